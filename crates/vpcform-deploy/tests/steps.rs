//! The acceptance steps against a fake EC2 and AWS RAM (what moto does not model: VPC
//! attachment acceptance, RAM invitations, failed attachments, slow ones), with the producing
//! stacks' outputs from CloudFormation mocks.

mod common;
use common::*;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::types::{Output, Stack, StackStatus};
use aws_smithy_mocks::{Rule, mock};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use vpcform_assembly::{Manifest, ManifestStack, ManifestStep, OutputRef, StepAction};
use vpcform_deploy::{
    Connection, DeployError, DeployOptions, Deployer, Environment, RecordingUi, RequireApproval,
    SignedAccess, StackOutcome, StackTemplate,
};

const ATTACHMENT: &str = "tgw-attach-0123456789abcdef0";
const SHARE: &str = "arn:aws:ram:us-east-1:111122223333:resource-share/abc";

/// What the fake answers an action and its body with: the HTTP status and the body.
type Answerer = dyn Fn(&str, &str) -> (u16, String) + Send + Sync;

/// A fake EC2 and RAM: `answer(action, body)` gives the status and body; every action is
/// recorded.
#[derive(Clone)]
struct FakeAws {
    calls: Arc<Mutex<Vec<String>>>,
    answer: Arc<Answerer>,
}

impl std::fmt::Debug for FakeAws {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeAws")
    }
}

impl FakeAws {
    fn new(answer: impl Fn(&str, &str) -> (u16, String) + Send + Sync + 'static) -> FakeAws {
        FakeAws {
            calls: Arc::new(Mutex::new(Vec::new())),
            answer: Arc::new(answer),
        }
    }

    fn calls(&self) -> Vec<String> {
        self.calls.lock().expect("lock").clone()
    }

    fn count(&self, action: &str) -> usize {
        self.calls().iter().filter(|c| *c == action).count()
    }
}

impl HttpConnector for FakeAws {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = request
            .body()
            .bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        assert!(
            request.headers().get("authorization").is_some(),
            "every call is signed"
        );
        let path = request
            .uri()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string();
        // EC2: the action in the form body; RAM: in the path.
        let action = body
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .map(str::to_string)
            .unwrap_or(path);
        self.calls.lock().expect("lock").push(action.clone());
        let (status, text) = (self.answer)(&action, &body);
        let response = Response::new(
            StatusCode::try_from(status).expect("status"),
            SdkBody::from(text),
        );
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// A peering attachment's description in `state`.
fn peering(state: &str) -> String {
    format!(
        "<DescribeTransitGatewayPeeringAttachmentsResponse><requestId>r</requestId>\
         <transitGatewayPeeringAttachments><item><transitGatewayAttachmentId>{ATTACHMENT}\
         </transitGatewayAttachmentId><state>{state}</state></item>\
         </transitGatewayPeeringAttachments></DescribeTransitGatewayPeeringAttachmentsResponse>"
    )
}

fn vpc_attachment(state: &str) -> String {
    format!(
        "<DescribeTransitGatewayVpcAttachmentsResponse><transitGatewayVpcAttachments><item>\
         <transitGatewayAttachmentId>{ATTACHMENT}</transitGatewayAttachmentId>\
         <state>{state}</state></item></transitGatewayVpcAttachments>\
         </DescribeTransitGatewayVpcAttachmentsResponse>"
    )
}

fn invitations(status: Option<&str>) -> String {
    match status {
        None => r#"{"resourceShareInvitations":[]}"#.to_string(),
        Some(status) => serde_json::json!({"resourceShareInvitations": [{
            "resourceShareInvitationArn": "arn:aws:ram:us-east-1:111122223333:resource-share-invitation/i-1",
            "resourceShareArn": SHARE,
            "status": status,
        }]})
        .to_string(),
    }
}

/// The producing stack `name`, deployed, with these outputs.
fn producer(name: &'static str, outputs: &'static [(&'static str, &'static str)]) -> Rule {
    mock!(Client::describe_stacks)
        .match_requests(move |r| r.stack_name() == Some(name))
        .then_output(move || {
            DescribeStacksOutput::builder()
                .stacks(
                    Stack::builder()
                        .stack_name(name)
                        .stack_id(stack_id(name))
                        .stack_status(StackStatus::CreateComplete)
                        .creation_time(now())
                        .set_outputs(Some(
                            outputs
                                .iter()
                                .map(|(k, v)| {
                                    Output::builder().output_key(*k).output_value(*v).build()
                                })
                                .collect(),
                        ))
                        .build(),
                )
                .build()
        })
}

fn step(name: &str, action: StepAction) -> StackTemplate {
    let mut manifest = Manifest::new("demo");
    manifest.stacks.push(ManifestStack::new("East"));
    StackTemplate::from_step(&manifest, &ManifestStep::new(name, action))
}

fn accept_peering() -> StackTemplate {
    step(
        "AcceptPeering",
        StepAction::AcceptTransitGatewayPeeringAttachment {
            attachment: OutputRef::new("East", "PeeringAttachmentId"),
        },
    )
}

fn options() -> DeployOptions {
    DeployOptions {
        yes: true,
        poll_interval: Duration::from_millis(5),
        ..DeployOptions::default()
    }
}

fn make_deployer(
    rules: &[&Rule],
    aws: &FakeAws,
    options: DeployOptions,
) -> (Deployer, Arc<RecordingUi>) {
    let cfn = client(rules);
    let ui = Arc::new(RecordingUi::answering(None));
    let signed = SignedAccess::new("us-west-2", Credentials::for_tests(), None)
        .http_connector(SharedHttpConnector::new(aws.clone()));
    let deployer = Deployer::new(cfn.clone(), ui.clone(), options).with_environment(
        &Environment::default(),
        Connection {
            cloudformation: cfn,
            sts: None,
            s3: None,
            signed: Some(signed),
        },
    );
    (deployer, ui)
}

/// A peering attachment that AWS moves from pendingAcceptance to available through pending
/// once accepted.
fn peering_aws() -> FakeAws {
    let state = Arc::new(Mutex::new("pendingAcceptance"));
    let describes = Arc::new(Mutex::new(0));
    FakeAws::new(move |action, body| {
        let mut state = state.lock().expect("lock");
        match action {
            "DescribeTransitGatewayPeeringAttachments" => {
                assert!(body.contains(&format!("TransitGatewayAttachmentIds.1={ATTACHMENT}")));
                assert!(body.contains("Version=2016-11-15"));
                let mut n = describes.lock().expect("lock");
                *n += 1;
                // Available two polls after the acceptance.
                if *state == "pending" && *n > 3 {
                    *state = "available";
                }
                (200, peering(&state))
            }
            "AcceptTransitGatewayPeeringAttachment" => {
                assert_eq!(*state, "pendingAcceptance", "accepted once");
                *state = "pending";
                (
                    200,
                    "<AcceptTransitGatewayPeeringAttachmentResponse/>".into(),
                )
            }
            other => panic!("unexpected {other}"),
        }
    })
}

#[tokio::test]
async fn a_pending_peering_is_accepted_and_waited_for_then_a_second_run_does_nothing() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let aws = peering_aws();
    let (deployer, ui) = make_deployer(&[&east], &aws, options());
    let report = deployer
        .deploy(&[accept_peering()], &[])
        .await
        .expect("deploy");
    let outcomes = report.into_result().expect("accepted");
    let StackOutcome::Step { done, outputs } = &outcomes[0].1 else {
        panic!("a step: {outcomes:?}")
    };
    assert!(
        done.starts_with(&format!("accepted attachment {ATTACHMENT}")),
        "{done}"
    );
    assert_eq!(
        outputs,
        &[
            (
                "TransitGatewayAttachmentId".to_string(),
                ATTACHMENT.to_string()
            ),
            // AWS gave no accepter ID: one ID names both sides.
            (
                "AccepterTransitGatewayAttachmentId".to_string(),
                ATTACHMENT.to_string()
            ),
        ]
    );
    assert_eq!(aws.count("AcceptTransitGatewayPeeringAttachment"), 1);
    assert!(
        aws.count("DescribeTransitGatewayPeeringAttachments") >= 4,
        "polled until available"
    );
    let lines = ui.lines().join("\n");
    assert!(
        lines.contains("AcceptTransitGatewayPeeringAttachment"),
        "{lines}"
    );

    // Again: available, nothing accepted.
    let report = deployer
        .deploy(&[accept_peering()], &[])
        .await
        .expect("deploy");
    let outcomes = report.into_result().expect("no-op");
    assert!(
        outcomes[0].1.to_string().starts_with("nothing to do"),
        "{}",
        outcomes[0].1
    );
    assert_eq!(aws.count("AcceptTransitGatewayPeeringAttachment"), 1);
}

#[tokio::test]
async fn a_vpc_attachment_is_accepted() {
    let east = producer("East", &[("AttachmentId", ATTACHMENT)]);
    let state = Arc::new(Mutex::new("pendingAcceptance"));
    let aws = FakeAws::new(move |action, _| {
        let mut state = state.lock().expect("lock");
        match action {
            "DescribeTransitGatewayVpcAttachments" => (200, vpc_attachment(&state)),
            "AcceptTransitGatewayVpcAttachment" => {
                *state = "available";
                (200, String::new())
            }
            other => panic!("unexpected {other}"),
        }
    });
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    let accept = step(
        "AcceptSpoke",
        StepAction::AcceptTransitGatewayVpcAttachment {
            attachment: OutputRef::new("East", "AttachmentId"),
        },
    );
    let outcomes = deployer
        .deploy(&[accept], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect("ok");
    let StackOutcome::Step { outputs, .. } = &outcomes[0].1 else {
        panic!()
    };
    assert_eq!(
        outputs,
        &[(
            "TransitGatewayAttachmentId".to_string(),
            ATTACHMENT.to_string()
        )]
    );
    assert_eq!(aws.count("AcceptTransitGatewayVpcAttachment"), 1);
}

#[tokio::test]
async fn a_rejected_attachment_fails_the_step_with_what_to_do() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let aws = FakeAws::new(|_, _| (200, peering("rejected")));
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    let report = deployer
        .deploy(&[accept_peering()], &[])
        .await
        .expect("deploy");
    let error = report.into_result().expect_err("rejected");
    let text = error.to_string();
    assert!(matches!(error, DeployError::StepFailed { .. }), "{text}");
    for part in ["AcceptPeering", ATTACHMENT, "rejected", "create it again"] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert_eq!(aws.count("AcceptTransitGatewayPeeringAttachment"), 0);
}

#[tokio::test]
async fn an_aws_error_names_the_action_code_and_permission() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let aws = FakeAws::new(|_, _| {
        (
            403,
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not \
             authorized</Message></Error></Errors><RequestID>req-1</RequestID></Response>"
                .into(),
        )
    });
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    let error = deployer
        .deploy(&[accept_peering()], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect_err("denied");
    let text = error.to_string();
    assert!(text.contains("UnauthorizedOperation"), "{text}");
    assert!(
        text.contains("ec2:DescribeTransitGatewayPeeringAttachments"),
        "{text}"
    );
    assert!(
        error.verbose().contains("request ID: req-1"),
        "{}",
        error.verbose()
    );
}

#[tokio::test]
async fn an_interrupt_while_waiting_stops_the_step() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let aws = FakeAws::new(|_, _| (200, peering("pending")));
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    let stopper = deployer.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        stopper.interrupt();
    });
    let report = tokio::time::timeout(
        Duration::from_secs(10),
        deployer.deploy(&[accept_peering()], &[]),
    )
    .await
    .expect("stops within a poll")
    .expect("deploy");
    assert!(report.interrupted(), "{:?}", report.stacks);
    assert!(
        aws.count("DescribeTransitGatewayPeeringAttachments") >= 2,
        "it was waiting"
    );
}

#[tokio::test]
async fn a_missing_producer_output_names_the_stack_and_the_fix() {
    let east = producer("East", &[("Other", "x")]);
    let aws = FakeAws::new(|action, _| panic!("nothing sent: {action}"));
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    let error = deployer
        .deploy(&[accept_peering()], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect_err("no input");
    let text = error.to_string();
    assert!(
        matches!(error, DeployError::StepInputUnresolved { .. }),
        "{text}"
    );
    for part in [
        "AcceptPeering",
        "East",
        "PeeringAttachmentId",
        "deploy East first",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

fn accept_share() -> StackTemplate {
    step(
        "AcceptShare",
        StepAction::AcceptResourceShareInvitation {
            resource_share: OutputRef::new("East", "ShareArn"),
        },
    )
}

/// RAM with one invitation whose status starts as `status` (`None`: no invitation);
/// accepting a pending one makes it ACCEPTED.
fn ram(status: Option<&'static str>) -> FakeAws {
    let status = Arc::new(Mutex::new(status));
    FakeAws::new(move |action, body| {
        let mut status = status.lock().expect("lock");
        match action {
            "getresourceshareinvitations" => {
                let json: serde_json::Value = serde_json::from_str(body).expect("JSON body");
                assert_eq!(
                    json["resourceShareArns"],
                    serde_json::json!([SHARE]),
                    "{body}"
                );
                (200, invitations(*status))
            }
            "acceptresourceshareinvitation" => {
                let json: serde_json::Value = serde_json::from_str(body).expect("JSON body");
                assert_eq!(
                    json["resourceShareInvitationArn"],
                    "arn:aws:ram:us-east-1:111122223333:resource-share-invitation/i-1",
                    "{body}"
                );
                *status = Some("ACCEPTED");
                (200, "{}".into())
            }
            other => panic!("unexpected {other}"),
        }
    })
}

#[tokio::test]
async fn a_pending_invitation_is_accepted_once() {
    let east = producer("East", &[("ShareArn", SHARE)]);
    let aws = ram(Some("PENDING"));
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    for _ in 0..2 {
        let outcomes = deployer
            .deploy(&[accept_share()], &[])
            .await
            .expect("deploy")
            .into_result()
            .expect("ok");
        let StackOutcome::Step { outputs, .. } = &outcomes[0].1 else {
            panic!()
        };
        assert_eq!(
            outputs,
            &[("ResourceShareArn".to_string(), SHARE.to_string())]
        );
    }
    assert_eq!(
        aws.count("acceptresourceshareinvitation"),
        1,
        "{:?}",
        aws.calls()
    );
}

#[tokio::test]
async fn no_invitation_is_nothing_to_do_after_a_short_wait() {
    let east = producer("East", &[("ShareArn", SHARE)]);
    let aws = ram(None);
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    let outcomes = deployer
        .deploy(&[accept_share()], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect("ok");
    let text = outcomes[0].1.to_string();
    assert!(
        text.contains("no invitation") && text.contains("organization"),
        "{text}"
    );
    let reads = aws.count("getresourceshareinvitations");
    // A bounded wait, about 2 minutes at the default 2 s poll.
    // One read to know whether to ask approval, then 61 until the wait ends.
    assert_eq!(reads, 62, "read until the wait ends");
    assert_eq!(aws.count("acceptresourceshareinvitation"), 0);
}

#[tokio::test]
async fn an_accepted_invitation_is_nothing_to_do_and_a_rejected_one_fails() {
    let east = producer("East", &[("ShareArn", SHARE)]);
    let aws = ram(Some("ACCEPTED"));
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    let outcomes = deployer
        .deploy(&[accept_share()], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect("ok");
    assert!(outcomes[0].1.to_string().contains("already accepted"));
    assert_eq!(aws.count("acceptresourceshareinvitation"), 0);

    for status in ["REJECTED", "EXPIRED"] {
        let aws = ram(Some(status));
        let (deployer, _) = make_deployer(&[&east], &aws, options());
        let error = deployer
            .deploy(&[accept_share()], &[])
            .await
            .expect("deploy")
            .into_result()
            .expect_err(status);
        let text = error.to_string();
        assert!(
            text.contains(status) && text.contains("invite the account again"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn at_any_change_an_acceptance_needs_approval() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let aws = peering_aws();
    let options = DeployOptions {
        yes: false,
        require_approval: RequireApproval::AnyChange,
        ..options()
    };
    let (deployer, _) = make_deployer(&[&east], &aws, options);
    let error = deployer
        .deploy(&[accept_peering()], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect_err("no terminal to ask");
    assert!(
        matches!(error, DeployError::ConfirmationRequired { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("another account"), "{error}");
    // Read first (asked only when there is something to accept), nothing accepted.
    assert_eq!(
        aws.count("AcceptTransitGatewayPeeringAttachment"),
        0,
        "{:?}",
        aws.calls()
    );
}

#[tokio::test]
async fn diff_says_what_a_deploy_would_do_without_accepting() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let aws = peering_aws();
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    let diffs = deployer.diff(&[accept_peering()], &[]).await.expect("diff");
    let text = diffs[0].to_string();
    assert!(
        text.contains("AcceptPeering (step): would accept attachment"),
        "{text}"
    );
    assert!(!diffs[0].is_empty());

    let available = FakeAws::new(|_, _| (200, peering("available")));
    let (deployer, _) = make_deployer(&[&east], &available, options());
    let diffs = deployer.diff(&[accept_peering()], &[]).await.expect("diff");
    assert!(
        diffs[0].to_string().contains("already accepted"),
        "{}",
        diffs[0]
    );
    assert!(diffs[0].is_empty());

    // The requester stack not deployed: the attachment does not exist yet.
    let not_deployed = mock!(Client::describe_stacks).then_error(missing_named_east);
    let (deployer, _) = make_deployer(&[&not_deployed], &aws, options());
    let diffs = deployer.diff(&[accept_peering()], &[]).await.expect("diff");
    assert!(
        diffs[0].to_string().contains("once East gives its input"),
        "{}",
        diffs[0]
    );
    assert_eq!(
        aws.count("AcceptTransitGatewayPeeringAttachment"),
        0,
        "diff never accepts"
    );
}

fn missing_named_east() -> aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksError {
    missing_named("East")
}

#[tokio::test]
async fn a_stack_importing_a_step_output_reads_it_without_accepting() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let west = mock!(Client::describe_stacks)
        .match_requests(|r| r.stack_name() == Some("WestRoutes"))
        .then_error(|| missing_named("WestRoutes"));
    let template = mock!(Client::get_template).then_error(|| {
        aws_sdk_cloudformation::operation::get_template::GetTemplateError::generic(
            aws_sdk_cloudformation::error::ErrorMetadata::builder()
                .code("ValidationError")
                .message("Stack with id WestRoutes does not exist")
                .build(),
        )
    });
    let aws = FakeAws::new(|_, _| (200, peering("available")));
    let (deployer, _) = make_deployer(&[&east, &west, &template], &aws, options());
    let mut routes = StackTemplate::new(
        "WestRoutes",
        r#"{"Parameters":{"PeeringAttachment":{"Type":"String"}},"Resources":{}}"#,
    );
    routes.depends_on.push("AcceptPeering".into());
    routes.parameter_imports.push((
        vpcform_deploy::ParameterImport {
            parameter: "PeeringAttachment".into(),
            stack: "AcceptPeering".into(),
            output: "AccepterTransitGatewayAttachmentId".into(),
        },
        Environment::default(),
    ));
    let app = [accept_peering(), routes];
    let diffs = deployer
        .diff(&app, &["WestRoutes".to_string()])
        .await
        .expect("diff");
    assert_eq!(diffs.len(), 1, "only the stack named");
    let parameter = &diffs[0].parameters[0];
    assert_eq!(parameter.after, Some(serde_json::Value::from(ATTACHMENT)));
    assert_eq!(aws.count("AcceptTransitGatewayPeeringAttachment"), 0);
}

#[tokio::test]
async fn destroy_passes_a_step_by_without_touching_its_environment() {
    let gone = mock!(Client::describe_stacks).then_error(missing_named_east);
    let aws = FakeAws::new(|action, _| panic!("nothing sent: {action}"));
    let (deployer, _) = make_deployer(&[&gone], &aws, options());
    let mut accept = accept_peering();
    // No connection for this environment: destroy must not need one.
    accept.environment = Environment {
        region: Some("eu-west-1".into()),
        ..Environment::default()
    };
    let east = StackTemplate::new("East", BODY);
    let report = deployer
        .destroy(&[east, accept], &[])
        .await
        .expect("destroy");
    let outcomes = report.into_result().expect("both done");
    assert_eq!(outcomes[0].1, StackOutcome::Destroyed);
    assert!(
        outcomes[1].1.to_string().contains("not destroyed"),
        "{}",
        outcomes[1].1
    );
}

/// WestRoutes: the accepter's routes, importing the step's accepter-side attachment ID.
fn west_routes(body: &str) -> StackTemplate {
    let mut routes = StackTemplate::new("WestRoutes", body);
    routes.depends_on.push("AcceptPeering".into());
    routes.parameter_imports.push((
        vpcform_deploy::ParameterImport {
            parameter: "PeeringAttachment".into(),
            stack: "AcceptPeering".into(),
            output: "AccepterTransitGatewayAttachmentId".into(),
        },
        Environment::default(),
    ));
    routes
}

#[tokio::test]
async fn a_step_s_outputs_fill_the_next_stack_s_import_in_the_same_run() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let aws = peering_aws();
    let (deployer, ui) = make_deployer(&[&east], &aws, options());
    // The routes' template is not JSON: its deploy stops right after filling its parameters,
    // before any CloudFormation call this test has no mock for.
    let app = [accept_peering(), west_routes("not json")];
    let report = deployer.deploy(&app, &[]).await.expect("deploy");
    assert!(report.stacks[0].1.is_ok(), "{:?}", report.stacks[0]);
    assert!(
        matches!(report.stacks[1].1, Err(DeployError::TemplateNotJson { .. })),
        "{:?}",
        report.stacks[1]
    );
    let lines = ui.lines().join("\n");
    assert!(
        lines.contains(&format!(
            "PeeringAttachment = {ATTACHMENT} (AcceptPeering's output"
        )),
        "{lines}"
    );
    assert_eq!(aws.count("AcceptTransitGatewayPeeringAttachment"), 1);
}

#[tokio::test]
async fn a_step_whose_requester_failed_is_skipped_and_so_are_its_dependents() {
    let aws = FakeAws::new(|action, _| panic!("nothing sent: {action}"));
    let (deployer, _) = make_deployer(&[], &aws, options());
    let app = [
        StackTemplate::new("East", "not json"),
        accept_peering(),
        west_routes(BODY),
    ];
    let report = deployer.deploy(&app, &[]).await.expect("deploy");
    assert!(matches!(
        report.stacks[0].1,
        Err(DeployError::TemplateNotJson { .. })
    ));
    assert!(
        matches!(&report.stacks[1].1, Err(DeployError::Skipped { stack, dependency })
            if stack == "AcceptPeering" && dependency == "East"),
        "{:?}",
        report.stacks[1]
    );
    assert!(
        matches!(&report.stacks[2].1, Err(DeployError::Skipped { dependency, .. })
            if dependency == "AcceptPeering"),
        "{:?}",
        report.stacks[2]
    );
    // `deploy WestRoutes` pulls in the step and its requester.
    let selected = deployer
        .deploy(&app, &["WestRoutes".to_string()])
        .await
        .expect("deploy");
    let names: Vec<&str> = selected.stacks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["East", "AcceptPeering", "WestRoutes"]);
}

fn xml(text: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    let start = text
        .find(&open)
        .unwrap_or_else(|| panic!("no {tag} in {text}"))
        + open.len();
    let end = text[start..].find(&format!("</{tag}>")).expect("closed") + start;
    text[start..end].to_string()
}

/// moto models transit gateway peering (create, describe, accept): the step accepts a real
/// pending attachment in the accepter's region, and does nothing the second time. The
/// requester stack's output comes from a CloudFormation mock (moto's CloudFormation has no
/// `AWS::EC2::TransitGatewayPeeringAttachment`, and no outputs for stacks made by change sets).
#[tokio::test]
async fn moto_a_peering_attachment_is_accepted_in_the_accepter_region() {
    let Some(moto) = Moto::start() else { return };
    let (requester, accepter) = ("us-east-1", "us-west-2");
    let tgw = |region: &str| {
        xml(
            &moto.ec2(region, &[("Action", "CreateTransitGateway")]),
            "transitGatewayId",
        )
    };
    let (east_tgw, west_tgw) = (tgw(requester), tgw(accepter));
    let created = moto.ec2(
        requester,
        &[
            ("Action", "CreateTransitGatewayPeeringAttachment"),
            ("TransitGatewayId", &east_tgw),
            ("PeerTransitGatewayId", &west_tgw),
            ("PeerAccountId", "123456789012"),
            ("PeerRegion", accepter),
        ],
    );
    let attachment: &'static str =
        Box::leak(xml(&created, "transitGatewayAttachmentId").into_boxed_str());
    let state = |region: &str| {
        xml(
            &moto.ec2(
                region,
                &[
                    ("Action", "DescribeTransitGatewayPeeringAttachments"),
                    ("TransitGatewayAttachmentIds.1", attachment),
                ],
            ),
            "state",
        )
    };
    assert_eq!(state(accepter), "pendingAcceptance");

    let outputs: &'static [(&'static str, &'static str)] =
        Box::leak(vec![("PeeringAttachmentId", attachment)].into_boxed_slice());
    let east = producer("East", outputs);
    let cfn = client(&[&east]);
    let ui = Arc::new(RecordingUi::answering(None));
    let mut accept = accept_peering();
    accept.environment.region = Some(accepter.into());
    // The requester's side is read in its Region (for the accepter's own attachment ID).
    let deployer = Deployer::new(cfn.clone(), ui, options())
        .with_environment(
            &Environment::default(),
            Connection {
                cloudformation: cfn.clone(),
                sts: None,
                s3: None,
                signed: Some(SignedAccess::new(
                    requester,
                    Credentials::for_tests(),
                    Some(moto.url()),
                )),
            },
        )
        .with_environment(
            &accept.environment,
            Connection {
                cloudformation: cfn,
                sts: None,
                s3: None,
                signed: Some(SignedAccess::new(
                    accepter,
                    Credentials::for_tests(),
                    Some(moto.url()),
                )),
            },
        );
    let outcomes = deployer
        .deploy(std::slice::from_ref(&accept), &[])
        .await
        .expect("deploy")
        .into_result()
        .expect("accepted");
    assert!(
        outcomes[0].1.to_string().starts_with("accepted attachment"),
        "{}",
        outcomes[0].1
    );
    assert_eq!(state(accepter), "available");
    let again = deployer
        .deploy(&[accept], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect("no-op");
    assert!(
        again[0].1.to_string().starts_with("nothing to do"),
        "{}",
        again[0].1
    );
}

#[tokio::test]
async fn no_execute_says_what_the_step_would_do_and_accepts_nothing() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let aws = peering_aws();
    let options = DeployOptions {
        no_execute: true,
        ..options()
    };
    let (deployer, _) = make_deployer(&[&east], &aws, options);
    let outcomes = deployer
        .deploy(&[accept_peering()], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect("planned");
    let text = outcomes[0].1.to_string();
    assert!(
        text.contains("not run (--no-execute): would accept"),
        "{text}"
    );
    assert_eq!(aws.count("AcceptTransitGatewayPeeringAttachment"), 0);
}

/// Within one Region (and in some Regions across two) AWS gives the accepter an attachment of
/// its own: the step reads it on the requester's side and accepts that one, never the
/// requester's ("Cannot accept … as the source of the peering request").
#[tokio::test]
async fn the_accepters_own_attachment_is_the_one_accepted() {
    const ACCEPTER: &str = "tgw-attach-0fedcba9876543210";
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let state = Arc::new(Mutex::new("pendingAcceptance"));
    let aws = FakeAws::new(move |action, body| {
        let mut state = state.lock().expect("lock");
        match action {
            "DescribeTransitGatewayPeeringAttachments" if body.contains(ATTACHMENT) => (
                200,
                format!(
                    "<DescribeTransitGatewayPeeringAttachmentsResponse>\
                     <transitGatewayPeeringAttachments><item>\
                     <transitGatewayAttachmentId>{ATTACHMENT}</transitGatewayAttachmentId>\
                     <accepterTransitGatewayAttachmentId>{ACCEPTER}</accepterTransitGatewayAttachmentId>\
                     <state>pendingAcceptance</state></item></transitGatewayPeeringAttachments>\
                     </DescribeTransitGatewayPeeringAttachmentsResponse>"
                ),
            ),
            "DescribeTransitGatewayPeeringAttachments" => {
                assert!(body.contains(ACCEPTER), "{body}");
                (200, peering(&state).replace(ATTACHMENT, ACCEPTER))
            }
            "AcceptTransitGatewayPeeringAttachment" => {
                assert!(
                    body.contains(&format!("TransitGatewayAttachmentId={ACCEPTER}")),
                    "the accepter's own ID: {body}"
                );
                *state = "available";
                (
                    200,
                    "<AcceptTransitGatewayPeeringAttachmentResponse/>".into(),
                )
            }
            other => panic!("unexpected {other}"),
        }
    });
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    let report = deployer
        .deploy(&[accept_peering()], &[])
        .await
        .expect("deploy");
    let outcomes = report.into_result().expect("accepted");
    let StackOutcome::Step { outputs, .. } = &outcomes[0].1 else {
        panic!("a step: {outcomes:?}")
    };
    assert_eq!(
        outputs,
        &[
            (
                "TransitGatewayAttachmentId".to_string(),
                ATTACHMENT.to_string()
            ),
            (
                "AccepterTransitGatewayAttachmentId".to_string(),
                ACCEPTER.to_string()
            ),
        ]
    );
    assert_eq!(aws.count("AcceptTransitGatewayPeeringAttachment"), 1);
}

/// RAM may answer an empty page with a `nextToken`: the invitation on the next page is found
/// and accepted.
#[tokio::test]
async fn an_invitation_on_a_later_page_is_found() {
    let east = producer("East", &[("ShareArn", SHARE)]);
    let accepted = Arc::new(Mutex::new(false));
    let aws = FakeAws::new(move |action, body| {
        let mut accepted = accepted.lock().expect("lock");
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON body");
        match action {
            "getresourceshareinvitations" if json.get("nextToken").is_none() => (
                200,
                r#"{"resourceShareInvitations":[],"nextToken":"page-2"}"#.to_string(),
            ),
            "getresourceshareinvitations" => {
                assert_eq!(json["nextToken"], "page-2");
                (
                    200,
                    invitations(Some(if *accepted { "ACCEPTED" } else { "PENDING" })),
                )
            }
            "acceptresourceshareinvitation" => {
                *accepted = true;
                (200, "{}".into())
            }
            other => panic!("unexpected {other}"),
        }
    });
    let (deployer, _) = make_deployer(&[&east], &aws, options());
    deployer
        .deploy(&[accept_share()], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect("accepted");
    assert_eq!(aws.count("acceptresourceshareinvitation"), 1);
}

/// A credentials provider that counts how often it is asked.
#[derive(Debug, Clone, Default)]
struct CountingCredentials(Arc<Mutex<u32>>);

impl aws_credential_types::provider::ProvideCredentials for CountingCredentials {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        *self.0.lock().expect("lock") += 1;
        aws_credential_types::provider::future::ProvideCredentials::ready(Ok(
            Credentials::for_tests(),
        ))
    }
}

/// Polling for minutes must not ask the credential chain (AssumeRole, SSO) on every call.
#[tokio::test]
async fn a_step_asks_its_credentials_once_while_they_last() {
    let east = producer("East", &[("PeeringAttachmentId", ATTACHMENT)]);
    let aws = peering_aws();
    let counting = CountingCredentials::default();
    let cfn = client(&[&east]);
    let signed = SignedAccess::new("us-west-2", counting.clone(), None)
        .http_connector(SharedHttpConnector::new(aws.clone()));
    let deployer = Deployer::new(
        cfn.clone(),
        Arc::new(RecordingUi::answering(None)),
        options(),
    )
    .with_environment(
        &Environment::default(),
        Connection {
            cloudformation: cfn,
            sts: None,
            s3: None,
            signed: Some(signed),
        },
    );
    deployer
        .deploy(&[accept_peering()], &[])
        .await
        .expect("deploy")
        .into_result()
        .expect("accepted");
    assert!(aws.calls().len() > 4, "{:?}", aws.calls());
    assert_eq!(*counting.0.lock().expect("lock"), 1);
}
