//! The deployer's pipeline against the real SDK client answered by aws-smithy-mocks: approval
//! gates and prompts, interrupts (at a question, during the SDK's retries, before a stack's
//! turn), retry notices, cleanup after a failed execute, reviewed change sets, `--no-execute`,
//! reports, `--timeout`, the event marker, deploy and destroy selection, and one-line errors.

mod common;
use common::*;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::config::retry::RetryConfig;
use aws_sdk_cloudformation::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cloudformation::error::ErrorMetadata;
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_change_set::DeleteChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput;
use aws_sdk_cloudformation::operation::describe_change_set::{
    DescribeChangeSetError, DescribeChangeSetOutput,
};
use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::execute_change_set::{
    ExecuteChangeSetError, ExecuteChangeSetOutput,
};
use aws_sdk_cloudformation::operation::list_change_sets::ListChangeSetsOutput;
use aws_sdk_cloudformation::operation::list_stack_resources::ListStackResourcesOutput;
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    Change, ChangeAction, ChangeSetStatus, ChangeSetSummary, ChangeSetType, ExecutionStatus,
    Replacement, ResourceStatus, StackStatus,
};
use aws_smithy_mocks::{MockResponse, Rule, mock};
use serde_json::json;
use vpcform_deploy::{
    DeployError, DeployOptions, Deployer, RecordingUi, RequireApproval, StackOutcome,
    StackTemplate, Ui,
};

/// CloudFormation's throttling answer, as the Query protocol sends it.
const THROTTLED: &str = r#"<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
    <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
    <RequestId>1</RequestId></ErrorResponse>"#;

// ---------------------------------------------------------------------------------------------
// Helpers of this file (the shared ones are in tests/common).

/// Fast polling; `yes` as given; everything else the default.
fn options(yes: bool) -> DeployOptions {
    DeployOptions {
        yes,
        poll_interval: Duration::from_millis(5),
        ..DeployOptions::default()
    }
}

fn deployer(client: Client, ui: Arc<dyn Ui>, options: DeployOptions) -> Deployer {
    Deployer::new(client, ui, options)
}

/// The stack a request names, by name or by ID.
fn name_of(stack: &str) -> String {
    match stack.split_once(":stack/") {
        Some((_, rest)) => rest.split('/').next().unwrap_or_default().to_string(),
        None => stack.to_string(),
    }
}

/// An event line as the deployer prints it.
fn event_line(status: &str, kind: &str, logical: &str, reason: &str) -> String {
    format!("Net: {status:<20} {kind:<45} {logical} — {reason}")
}

/// DescribeChangeSet: empty (CloudFormation's "no changes" failure).
fn empty_change_set() -> Rule {
    mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::Failed)
            .status_reason("No updates are to be performed.")
            .build()
    })
}

/// A rule that records the stack named by each CreateChangeSet (in order) and answers it.
fn recording_create(order: &Arc<Mutex<Vec<String>>>) -> Rule {
    let order = order.clone();
    mock!(Client::create_change_set)
        .match_requests(move |req| {
            order
                .lock()
                .expect("order")
                .push(req.stack_name().unwrap_or_default().to_string());
            true
        })
        .then_output(|| CreateChangeSetOutput::builder().build())
}

/// A security group allowing HTTPS from `cidr`, with explicit (empty) egress.
fn web_sg(cidr: &str) -> String {
    json!({"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
        "GroupDescription": "web",
        "SecurityGroupEgress": [],
        "SecurityGroupIngress": [
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": cidr}
        ]
    }}}})
    .to_string()
}

/// The change set of a security group modified in place.
fn sg_modified() -> Vec<Change> {
    vec![change(
        ChangeAction::Modify,
        "Sg",
        "AWS::EC2::SecurityGroup",
        Some(Replacement::False),
    )]
}

/// The change set of an added subnet.
fn subnet_added() -> Vec<Change> {
    vec![change(
        ChangeAction::Add,
        "Subnet",
        "AWS::EC2::Subnet",
        None,
    )]
}

/// BODY with a subnet added: no security change.
fn with_subnet() -> String {
    json!({"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {
            "VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24"}}
    }})
    .to_string()
}

/// Everything an update of Net needs: the stack in UPDATE_COMPLETE (before and after), its
/// deployed template, no stale change sets, a change set holding `changes`, no events; each
/// rule kept to count its calls.
struct Update {
    describe: Rule,
    create: Rule,
    ready: Rule,
    template: Rule,
    stale: Rule,
    delete: Rule,
    execute: Rule,
    events: Rule,
}

impl Update {
    fn new(deployed_body: String, changes: Vec<Change>) -> Update {
        Update {
            describe: mock!(Client::describe_stacks)
                .then_output(|| stack(StackStatus::UpdateComplete)),
            create: created(ChangeSetType::Update),
            ready: change_set_ready(changes),
            template: deployed(deployed_body),
            stale: no_stale_change_sets(),
            delete: delete_change_set(),
            execute: executes(),
            events: no_events(),
        }
    }

    fn client(&self) -> Client {
        client(&[
            &self.describe,
            &self.create,
            &self.ready,
            &self.template,
            &self.stale,
            &self.delete,
            &self.execute,
            &self.events,
        ])
    }
}

fn has_line(lines: &[String], wanted: &str) -> bool {
    lines.iter().any(|l| l == wanted)
}

fn asked(lines: &[String]) -> bool {
    lines.iter().any(|l| l.starts_with("Net: ?"))
}

// ---------------------------------------------------------------------------------------------
// 1–3. Approval levels.

/// A /16→/8 widening stops without a terminal; `never`, `--yes` execute; a narrowing doesn't ask.
#[tokio::test]
async fn broadening_access_needs_approval_and_narrowing_does_not() {
    let widened = StackTemplate::new("Net", web_sg("10.0.0.0/8"));
    let widened_line = format!("Net:   ! + {:<28} ingress TCP 443 from 10.0.0.0/8", "Sg");
    let reason = "the change set broadens access (1 security change(s) marked !)";

    // Default level, no terminal: refused, nothing executed, change set deleted.
    let update = Update::new(web_sg("10.0.0.0/16"), sg_modified());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(update.client(), ui.clone(), options(false));
    let error = d.deploy_stack(&widened).await.expect_err("needs approval");
    let DeployError::ConfirmationRequired { reason: said, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(said, reason);
    assert_eq!(
        error.to_string(),
        format!(
            "Net: {reason} and there is no terminal to approve it; review it (the `diff` verb, or \
             deploy --no-execute) and pass --yes to deploy anyway, or --require-approval never \
             (nothing was changed)"
        )
    );
    assert_eq!(update.execute.num_calls(), 0, "never executed");
    assert_eq!(update.delete.num_calls(), 1, "the change set is deleted");
    let lines = ui.lines();
    assert!(
        has_line(
            &lines,
            "Net: security changes (1 broaden access, marked !):"
        ),
        "{lines:#?}"
    );
    assert!(has_line(&lines, &widened_line), "{lines:#?}");
    assert!(
        has_line(
            &lines,
            &format!("Net:     - {:<28} ingress TCP 443 from 10.0.0.0/16", "Sg")
        ),
        "the removed /16 is shown, not marked: {lines:#?}"
    );
    assert!(
        has_line(&lines, &format!("Net: ? {reason}; deploy?")),
        "{lines:#?}"
    );

    // --require-approval never: executed, nothing asked.
    let update = Update::new(web_sg("10.0.0.0/16"), sg_modified());
    let ui = Arc::new(RecordingUi::answering(None));
    let never = DeployOptions {
        require_approval: RequireApproval::Never,
        ..options(false)
    };
    let d = deployer(update.client(), ui.clone(), never);
    let outcome = d.deploy_stack(&widened).await.expect("never asks");
    assert!(
        matches!(outcome, StackOutcome::Deployed { .. }),
        "{outcome:?}"
    );
    assert_eq!(update.execute.num_calls(), 1);
    let lines = ui.lines();
    assert!(!asked(&lines), "{lines:#?}");
    assert!(has_line(&lines, &widened_line), "still shown: {lines:#?}");

    // --yes: executed, and the line says who approved.
    let update = Update::new(web_sg("10.0.0.0/16"), sg_modified());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(update.client(), ui.clone(), options(true));
    d.deploy_stack(&widened).await.expect("--yes approves");
    assert_eq!(update.execute.num_calls(), 1);
    let lines = ui.lines();
    assert!(
        has_line(&lines, &format!("Net: {reason}: approved by --yes")),
        "{lines:#?}"
    );
    assert!(!asked(&lines), "{lines:#?}");

    // Narrowing /8 → /16: executed without a question, shown unmarked.
    let update = Update::new(web_sg("10.0.0.0/8"), sg_modified());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(update.client(), ui.clone(), options(false));
    d.deploy_stack(&StackTemplate::new("Net", web_sg("10.0.0.0/16")))
        .await
        .expect("a narrowing needs no approval");
    assert_eq!(update.execute.num_calls(), 1);
    assert_eq!(update.delete.num_calls(), 0);
    let lines = ui.lines();
    assert!(!asked(&lines), "{lines:#?}");
    assert!(
        has_line(
            &lines,
            "Net: security changes (0 broaden access, marked !):"
        ),
        "{lines:#?}"
    );
    assert!(
        has_line(
            &lines,
            &format!("Net:     + {:<28} ingress TCP 443 from 10.0.0.0/16", "Sg")
        ),
        "{lines:#?}"
    );
}

/// `any-change` stops for a mere added subnet without a terminal; `broadening` executes it.
#[tokio::test]
async fn any_change_asks_for_a_change_broadening_lets_through() {
    let local = StackTemplate::new("Net", with_subnet());

    let update = Update::new(BODY.to_string(), subnet_added());
    let ui = Arc::new(RecordingUi::answering(None));
    let any = DeployOptions {
        require_approval: RequireApproval::AnyChange,
        ..options(false)
    };
    let d = deployer(update.client(), ui.clone(), any);
    let error = d.deploy_stack(&local).await.expect_err("any change asks");
    let DeployError::ConfirmationRequired { reason, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(
        reason,
        "the change set makes 1 change(s) and --require-approval is any-change"
    );
    assert_eq!(update.execute.num_calls(), 0);
    assert_eq!(update.delete.num_calls(), 1);
    let lines = ui.lines();
    assert!(
        !lines.iter().any(|l| l.contains("security changes")),
        "no security change: {lines:#?}"
    );

    let update = Update::new(BODY.to_string(), subnet_added());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(update.client(), ui.clone(), options(false));
    let outcome = d
        .deploy_stack(&local)
        .await
        .expect("broadening: no question");
    assert!(
        matches!(outcome, StackOutcome::Deployed { .. }),
        "{outcome:?}"
    );
    assert_eq!(update.execute.num_calls(), 1);
    assert!(!asked(&ui.lines()), "{:#?}", ui.lines());
}

/// Answering no to a broadening change: Declined, the change set deleted, nothing executed.
#[tokio::test]
async fn a_declined_change_set_is_deleted() {
    let update = Update::new(web_sg("10.0.0.0/16"), sg_modified());
    let ui = Arc::new(RecordingUi::answering(Some(false)));
    let d = deployer(update.client(), ui.clone(), options(false));
    let error = d
        .deploy_stack(&StackTemplate::new("Net", web_sg("10.0.0.0/8")))
        .await
        .expect_err("declined");
    assert!(matches!(error, DeployError::Declined { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "Net: not deployed: the changes were declined; the stack was not changed"
    );
    assert_eq!(update.execute.num_calls(), 0);
    assert_eq!(update.delete.num_calls(), 1);
    assert!(asked(&ui.lines()), "{:#?}", ui.lines());
}

// ---------------------------------------------------------------------------------------------
// 4–6. Interrupts and retries.

/// A terminal whose answer comes only after 10 s: it notes when it was asked.
struct SlowUi {
    asked: AtomicBool,
    lines: Mutex<Vec<String>>,
}

impl Ui for SlowUi {
    fn line(&self, stack: &str, text: &str) {
        self.lines
            .lock()
            .expect("lines")
            .push(format!("{stack}: {text}"));
    }

    fn confirm(&self, _stack: &str, _question: &str) -> Option<bool> {
        self.asked.store(true, Ordering::SeqCst);
        std::thread::sleep(Duration::from_secs(10));
        Some(true)
    }

    fn progress_start(&self, _stack: &str, _total: u64) {}

    fn progress_set(&self, _stack: &str, _done: u64) {}

    fn progress_finish(&self, _stack: &str) {}
}

/// An interrupt at an unanswered question returns at once, deletes the change set, never executes.
#[tokio::test]
async fn an_interrupt_at_the_prompt_abandons_the_question() {
    let update = Update::new(web_sg("10.0.0.0/16"), sg_modified());
    let ui = Arc::new(SlowUi {
        asked: AtomicBool::new(false),
        lines: Mutex::new(Vec::new()),
    });
    let d = deployer(update.client(), ui.clone(), options(false));
    let stopper = d.clone();
    let watched = ui.clone();
    tokio::spawn(async move {
        while !watched.asked.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        stopper.interrupt();
    });
    let started = Instant::now();
    let error = d
        .deploy_stack(&StackTemplate::new("Net", web_sg("10.0.0.0/8")))
        .await
        .expect_err("interrupted");
    let took = started.elapsed();
    assert!(
        matches!(error, DeployError::InterruptedBeforeExecution { .. }),
        "{error}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(ui.asked.load(Ordering::SeqCst), "the question was asked");
    assert_eq!(update.execute.num_calls(), 0);
    assert_eq!(update.delete.num_calls(), 1, "the change set is deleted");
}

/// An interrupt while the SDK backs off between throttled retries returns at once, retry announced.
#[tokio::test]
async fn an_interrupt_stops_the_sdk_between_retries() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .http_status(400, Some(THROTTLED.to_string()))
        .repeatedly()
        .build();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client_retrying(
            &[&describe],
            RetryConfig::standard()
                .with_max_attempts(10)
                .with_initial_backoff(Duration::from_secs(2)),
        ),
        ui.clone(),
        options(false),
    );
    // The notice of attempt 2 comes after the SDK's first (jittered, up to 2 s) backoff: wait
    // for it, and for 300 ms at least, then interrupt during the next backoff (up to 4 s).
    let stopper = d.clone();
    let watched = ui.clone();
    let interrupted_at = Arc::new(Mutex::new(None));
    let stamp = interrupted_at.clone();
    let started = Instant::now();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        while !watched
            .lines()
            .iter()
            .any(|l| l.contains("retrying DescribeStacks (attempt 2)"))
            && started.elapsed() < Duration::from_secs(5)
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        *stamp.lock().expect("stamp") = Some(Instant::now());
        stopper.interrupt();
    });
    // Bounded: without the interrupt the SDK would spend its 10 attempts (about a minute).
    let error = tokio::time::timeout(
        Duration::from_secs(15),
        d.deploy_stack(&StackTemplate::new("Net", BODY)),
    )
    .await
    .expect("stopped")
    .expect_err("interrupted");
    let returned = Instant::now();
    assert!(error.is_interrupt(), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("Net: interrupted before executing; the stack was not changed"),
        "{error}"
    );
    let interrupted_at = interrupted_at
        .lock()
        .expect("stamp")
        .expect("the interrupt was sent");
    let after = returned.duration_since(interrupted_at);
    assert!(after < Duration::from_secs(2), "returned {after:?} after");
    assert!(
        describe.num_calls() < 10,
        "the retry budget was not spent: {}",
        describe.num_calls()
    );
    let lines = ui.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("retrying DescribeStacks (attempt 2)")),
        "{lines:#?}"
    );
}

/// DescribeStacks throttled twice, then UPDATE_COMPLETE; the rest of a deploy with no changes.
fn throttled_twice_then_no_changes() -> [Rule; 5] {
    [
        mock!(Client::describe_stacks)
            .sequence()
            .http_status(400, Some(THROTTLED.to_string()))
            .times(2)
            .output(|| stack(StackStatus::UpdateComplete))
            .repeatedly()
            .build(),
        created(ChangeSetType::Update),
        empty_change_set(),
        delete_change_set(),
        no_stale_change_sets(),
    ]
}

/// The retry notices among `lines`.
fn retry_notices(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|l| l.contains("retrying")).collect()
}

/// Each retry is announced with its failure, naming the stack under `deploy` ("vpcform" alone).
#[tokio::test]
async fn retries_are_announced_with_the_stack_and_the_last_failure() {
    let rules = throttled_twice_then_no_changes();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&rules.iter().collect::<Vec<_>>()),
        ui.clone(),
        options(false),
    );
    let report = d
        .deploy(&[StackTemplate::new("Net", BODY)], &[])
        .await
        .expect("selected");
    assert_eq!(
        report.into_result().expect("deployed"),
        [("Net".to_string(), StackOutcome::NoChanges)]
    );
    assert_eq!(
        rules[0].num_calls(),
        3,
        "two throttled attempts, then one answered"
    );
    let lines = ui.lines();
    let notices = retry_notices(&lines);
    assert_eq!(notices.len(), 2, "{lines:#?}");
    for (notice, attempt) in notices.iter().zip([2, 3]) {
        assert!(
            notice.starts_with(&format!(
                "Net: retrying DescribeStacks (attempt {attempt}) after: HTTP 400: "
            )),
            "{notice}"
        );
        assert!(notice.contains("Rate exceeded"), "{notice}");
        assert!(!notice.contains('\n'), "{notice}");
    }
    assert!(has_line(&lines, "Net: no changes"), "{lines:#?}");

    // deploy_stack alone has no run to name the stack: the notice says "vpcform".
    let rules = throttled_twice_then_no_changes();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&rules.iter().collect::<Vec<_>>()),
        ui.clone(),
        options(false),
    );
    let outcome = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect("retried");
    assert_eq!(outcome, StackOutcome::NoChanges);
    let lines = ui.lines();
    let notices = retry_notices(&lines);
    assert_eq!(notices.len(), 2, "{lines:#?}");
    for (notice, attempt) in notices.iter().zip([2, 3]) {
        assert!(
            notice.starts_with(&format!(
                "vpcform: retrying DescribeStacks (attempt {attempt}) after: HTTP 400: "
            )),
            "{notice}"
        );
    }
}

/// A retry notice says "Throttling: Rate exceeded", not the SDK's `Error { code: .. }` struct text.
#[tokio::test]
async fn retry_notices_say_the_code_and_message_without_a_struct_dump() {
    let rules = throttled_twice_then_no_changes();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&rules.iter().collect::<Vec<_>>()),
        ui.clone(),
        options(false),
    );
    d.deploy(&[StackTemplate::new("Net", BODY)], &[])
        .await
        .expect("selected");
    let lines = ui.lines();
    let notices = retry_notices(&lines);
    assert_eq!(notices.len(), 2, "{lines:#?}");
    for notice in notices {
        assert!(!notice.contains("Error {"), "{notice}");
        assert!(!notice.contains("code: \""), "{notice}");
        assert!(notice.contains("Throttling: Rate exceeded"), "{notice}");
    }
}

// ---------------------------------------------------------------------------------------------
// 7–9. Executing: failures, reviewed change sets, --no-execute.

/// A refused execute of a creation says AWS's words and deletes the change set and empty stack.
#[tokio::test]
async fn a_failed_execute_of_a_creation_deletes_the_change_set_and_the_empty_stack() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .error(missing) // prepare: not there
        .output(|| stack(StackStatus::ReviewInProgress)) // discard: the empty stack
        .repeatedly()
        .build();
    let create = created(ChangeSetType::Create);
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let message = "ChangeSet [x] cannot be executed in its current status of [CREATE_PENDING]";
    let execute = mock!(Client::execute_change_set).then_error(move || {
        ExecuteChangeSetError::generic(
            ErrorMetadata::builder()
                .code("InvalidChangeSetStatus")
                .message(message)
                .build(),
        )
    });
    let delete = delete_change_set();
    let delete_stack =
        mock!(Client::delete_stack).then_output(|| DeleteStackOutput::builder().build());
    let events = no_events();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &create,
            &ready,
            &execute,
            &delete,
            &delete_stack,
            &events,
        ]),
        ui.clone(),
        options(false),
    );
    let error = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect_err("execute fails");
    let DeployError::ExecuteFailed { change_set, .. } = &error else {
        panic!("{error}")
    };
    let left = format!(
        "change set {change_set} deleted with the empty stack it created (REVIEW_IN_PROGRESS)"
    );
    assert_eq!(
        error.to_string(),
        format!(
            "Net: could not execute change set {change_set}: InvalidChangeSetStatus: {message}; \
             {left}"
        )
    );
    assert!(
        error
            .to_string()
            .contains("deleted with the empty stack it created (REVIEW_IN_PROGRESS)")
    );
    assert_eq!(execute.num_calls(), 1);
    assert_eq!(delete.num_calls(), 1);
    assert_eq!(delete_stack.num_calls(), 1);
    assert!(
        has_line(&ui.lines(), &format!("Net: {left}")),
        "{:#?}",
        ui.lines()
    );
}

/// The rules of a reviewed change set `vpcform-1-0` of Net, whose DescribeChangeSet answers
/// `describe`; ExecuteChangeSet only for that name.
struct Reviewed {
    describe_stack: Rule,
    describe: Rule,
    template: Rule,
    create: Rule,
    execute: Rule,
    events: Rule,
}

impl Reviewed {
    fn new(describe: Rule) -> Reviewed {
        Reviewed {
            describe_stack: mock!(Client::describe_stacks)
                .then_output(|| stack(StackStatus::UpdateComplete)),
            describe,
            template: deployed(BODY.to_string()),
            create: mock!(Client::create_change_set)
                .then_output(|| CreateChangeSetOutput::builder().build()),
            execute: mock!(Client::execute_change_set)
                .match_requests(|req| req.change_set_name() == Some("vpcform-1-0"))
                .then_output(|| ExecuteChangeSetOutput::builder().build()),
            events: no_events(),
        }
    }

    fn client(&self) -> Client {
        client(&[
            &self.describe_stack,
            &self.describe,
            &self.template,
            &self.create,
            &self.execute,
            &self.events,
        ])
    }
}

/// `--change-set NAME` executes that change set only; missing, OBSOLETE or two stacks are refused.
#[tokio::test]
async fn a_reviewed_change_set_is_executed_by_name() {
    let only = ["Net".to_string()];
    let stacks = [StackTemplate::new("Net", with_subnet())];

    let available = mock!(Client::describe_change_set)
        .match_requests(|req| req.change_set_name() == Some("vpcform-1-0"))
        .then_output(|| {
            DescribeChangeSetOutput::builder()
                .change_set_name("vpcform-1-0")
                .description("Created by vpcform")
                .status(ChangeSetStatus::CreateComplete)
                .execution_status(ExecutionStatus::Available)
                .changes(change(
                    ChangeAction::Add,
                    "Subnet",
                    "AWS::EC2::Subnet",
                    None,
                ))
                .build()
        });
    let rules = Reviewed::new(available);
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(rules.client(), ui.clone(), options(false));
    let report = d
        .deploy_change_set(&stacks, &only, "vpcform-1-0")
        .await
        .expect("one stack");
    assert_eq!(report.stacks.len(), 1);
    let (name, outcome) = &report.stacks[0];
    assert_eq!(name, "Net");
    assert!(
        matches!(outcome, Ok(StackOutcome::Deployed { .. })),
        "{outcome:?}"
    );
    assert_eq!(rules.execute.num_calls(), 1, "that change set, by name");
    assert_eq!(rules.create.num_calls(), 0, "no new change set");
    let lines = ui.lines();
    assert!(
        !lines.iter().any(|l| l.contains("not made by vpcform")),
        "{lines:#?}"
    );

    // Gone.
    let not_found = mock!(Client::describe_change_set).then_error(|| {
        DescribeChangeSetError::generic(
            ErrorMetadata::builder()
                .code("ChangeSetNotFound")
                .message("ChangeSet [vpcform-1-0] does not exist")
                .build(),
        )
    });
    let rules = Reviewed::new(not_found);
    let d = deployer(
        rules.client(),
        Arc::new(RecordingUi::answering(None)),
        options(true),
    );
    let report = d
        .deploy_change_set(&stacks, &only, "vpcform-1-0")
        .await
        .expect("one stack");
    let error = report.into_result().expect_err("not found");
    assert!(
        matches!(error, DeployError::ChangeSetNotExecutable { .. }),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "Net: change set vpcform-1-0 cannot be executed: no change set of that name: it was \
         executed, deleted, or replaced by a newer deploy; run deploy --no-execute again"
    );
    assert_eq!(rules.execute.num_calls(), 0);
    assert_eq!(rules.create.num_calls(), 0);

    // Obsolete.
    let obsolete = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::CreateComplete)
            .execution_status(ExecutionStatus::Obsolete)
            .build()
    });
    let rules = Reviewed::new(obsolete);
    let d = deployer(
        rules.client(),
        Arc::new(RecordingUi::answering(None)),
        options(true),
    );
    let report = d
        .deploy_change_set(&stacks, &only, "vpcform-1-0")
        .await
        .expect("one stack");
    let error = report.into_result().expect_err("obsolete");
    assert!(
        matches!(error, DeployError::ChangeSetNotExecutable { .. }),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "Net: change set vpcform-1-0 cannot be executed: it is CREATE_COMPLETE with execution \
         status OBSOLETE (only CREATE_COMPLETE and AVAILABLE can execute: OBSOLETE means another \
         change set was executed since); run deploy --no-execute again"
    );
    assert_eq!(rules.execute.num_calls(), 0);

    // Two stacks named: refused before any call (a client without rules).
    let d = deployer(
        client(&[]),
        Arc::new(RecordingUi::answering(None)),
        options(true),
    );
    let two = [
        StackTemplate::new("Net", BODY),
        StackTemplate::new("Logs", BODY),
    ];
    let error = d
        .deploy_change_set(&two, &["Net".into(), "Logs".into()], "vpcform-1-0")
        .await
        .expect_err("two stacks");
    assert!(
        matches!(&error, DeployError::ChangeSetNeedsOneStack { given } if given == "Net, Logs"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "--change-set names one stack's change set: name exactly one stack (given: Net, Logs)"
    );
}

/// `--no-execute` deletes this stack's stale change set, keeps the new one, says how to run it.
#[tokio::test]
async fn no_execute_replaces_the_stale_change_set_and_leaves_the_new_one() {
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let listed = mock!(Client::list_change_sets).then_output(|| {
        ListChangeSetsOutput::builder()
            .summaries(
                ChangeSetSummary::builder()
                    .stack_name("Net")
                    .change_set_name("vpcform-1-0")
                    .description("Created by vpcform")
                    .status(ChangeSetStatus::CreateComplete)
                    .execution_status(ExecutionStatus::Available)
                    // Older than the default --stale-change-set-age (an hour).
                    .creation_time(created_ago(2 * 3600))
                    .build(),
            )
            .summaries(
                ChangeSetSummary::builder()
                    .stack_name("Net")
                    .change_set_name("someone-elses")
                    .description("made by hand")
                    .status(ChangeSetStatus::CreateComplete)
                    .execution_status(ExecutionStatus::Available)
                    .build(),
            )
            .summaries(
                // Another stack's (moto's ListChangeSets answers every stack's).
                ChangeSetSummary::builder()
                    .stack_name("Logs")
                    .change_set_name("vpcform-1-1")
                    .description("Created by vpcform")
                    .status(ChangeSetStatus::CreateComplete)
                    .execution_status(ExecutionStatus::Available)
                    .build(),
            )
            .build()
    });
    // Matched first: the stale one. Any other deletion falls to the second rule.
    let delete_stale = mock!(Client::delete_change_set)
        .match_requests(|req| req.change_set_name() == Some("vpcform-1-0"))
        .then_output(|| DeleteChangeSetOutput::builder().build());
    let delete_other = delete_change_set();
    let create = created(ChangeSetType::Update);
    let ready = change_set_ready(subnet_added());
    let template = deployed(BODY.to_string());
    let execute = executes();
    let ui = Arc::new(RecordingUi::answering(None));
    let no_execute = DeployOptions {
        no_execute: true,
        ..options(false)
    };
    let d = deployer(
        client(&[
            &describe,
            &listed,
            &delete_stale,
            &delete_other,
            &create,
            &ready,
            &template,
            &execute,
        ]),
        ui.clone(),
        no_execute,
    );
    let outcome = d
        .deploy_stack(&StackTemplate::new("Net", with_subnet()))
        .await
        .expect("left for review");
    let StackOutcome::ChangeSetCreated { change_set } = &outcome else {
        panic!("{outcome:?}")
    };
    assert!(change_set.starts_with("vpcform-"), "{change_set}");
    assert_ne!(change_set, "vpcform-1-0");
    assert_eq!(delete_stale.num_calls(), 1, "the stale one is deleted");
    assert_eq!(
        delete_other.num_calls(),
        0,
        "not the new one, not one made by hand, not another stack's"
    );
    assert_eq!(create.num_calls(), 1);
    assert_eq!(execute.num_calls(), 0);
    let lines = ui.lines();
    assert!(
        has_line(
            &lines,
            "Net: deleted 1 change set(s) an earlier run left unexecuted: vpcform-1-0"
        ),
        "{lines:#?}"
    );
    assert!(
        has_line(
            &lines,
            &format!(
                "Net: change set {change_set} left for review (--no-execute); execute it with \
                 deploy Net --change-set {change_set}"
            )
        ),
        "{lines:#?}"
    );
}

/// A CloudFormation time `secs` seconds ago.
fn created_ago(secs: i64) -> DateTime {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    DateTime::from_secs(now - secs)
}

/// Another run's change set of Net, made `secs` ago, in `status` / `execution`.
fn other_runs(
    name: &str,
    secs: i64,
    status: ChangeSetStatus,
    execution: ExecutionStatus,
) -> ChangeSetSummary {
    ChangeSetSummary::builder()
        .stack_name("Net")
        .change_set_name(name)
        .description("Created by vpcform")
        .status(status)
        .execution_status(execution)
        .creation_time(created_ago(secs))
        .build()
}

/// Two runs of Net: ListChangeSets shows a change set made 3 minutes ago (another run may be
/// reviewing it), one made 2 hours ago, and a young obsolete one; a DeleteChangeSet rule per
/// name; the rest of an update with no changes.
struct Concurrent {
    rules: Vec<Rule>,
}

impl Concurrent {
    const YOUNG: &str = "vpcform-young";
    const OLD: &str = "vpcform-old";
    const OBSOLETE: &str = "vpcform-obsolete";

    fn new() -> Concurrent {
        let listed = mock!(Client::list_change_sets).then_output(|| {
            ListChangeSetsOutput::builder()
                .summaries(other_runs(
                    Concurrent::OLD,
                    2 * 3600,
                    ChangeSetStatus::CreateComplete,
                    ExecutionStatus::Available,
                ))
                .summaries(other_runs(
                    Concurrent::YOUNG,
                    180,
                    ChangeSetStatus::CreateComplete,
                    ExecutionStatus::Available,
                ))
                .summaries(other_runs(
                    Concurrent::OBSOLETE,
                    60,
                    ChangeSetStatus::CreateComplete,
                    ExecutionStatus::Obsolete,
                ))
                .build()
        });
        let mut rules = vec![
            mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete)),
            listed,
            created(ChangeSetType::Update),
            empty_change_set(),
        ];
        for name in [Concurrent::YOUNG, Concurrent::OLD, Concurrent::OBSOLETE] {
            rules.push(
                mock!(Client::delete_change_set)
                    .match_requests(move |req| req.change_set_name() == Some(name))
                    .then_output(|| DeleteChangeSetOutput::builder().build()),
            );
        }
        // This run's own (empty) change set.
        rules.push(delete_change_set());
        Concurrent { rules }
    }

    fn client(&self) -> Client {
        client(&self.rules.iter().collect::<Vec<_>>())
    }

    fn create(&self) -> &Rule {
        &self.rules[2]
    }

    /// How many times each of YOUNG, OLD, OBSOLETE was deleted.
    fn deleted(&self) -> [usize; 3] {
        [
            self.rules[4].num_calls(),
            self.rules[5].num_calls(),
            self.rules[6].num_calls(),
        ]
    }
}

/// A young change set another run may be reviewing stops the deploy, deleting nothing and
/// naming it with its age; an old one alone is deleted.
#[tokio::test]
async fn another_runs_young_change_set_stops_the_deploy_and_an_old_one_is_deleted() {
    let runs = Concurrent::new();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(runs.client(), ui.clone(), options(true));
    let report = d
        .deploy(&[StackTemplate::new("Net", BODY)], &[])
        .await
        .expect("selected");
    let error = report.into_result().expect_err("another run is reviewing");
    let DeployError::ChangeSetPending {
        stack,
        change_set,
        created,
        age,
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(stack, "Net");
    assert_eq!(
        change_set,
        Concurrent::YOUNG,
        "the pending one, not the obsolete one"
    );
    assert!(
        created.as_deref().is_some_and(|c| c.ends_with('Z')),
        "{created:?}"
    );
    let age = age.expect("age").as_secs();
    assert!((180..240).contains(&age), "{age}");
    let text = error.to_string();
    assert!(text.contains("3 min ago at "), "{text}");
    assert!(text.contains("--discard-pending"), "{text}");
    assert_eq!(runs.deleted(), [0, 0, 0], "nothing deleted");
    assert_eq!(runs.create().num_calls(), 0, "nothing created");

    // Alone, the old one (and the obsolete one, which can never run) is deleted.
    let old_only = Concurrent::new();
    let stale = DeployOptions {
        stale_change_set_age: Duration::from_secs(3600),
        ..options(true)
    };
    let listed = mock!(Client::list_change_sets).then_output(|| {
        ListChangeSetsOutput::builder()
            .summaries(other_runs(
                Concurrent::OLD,
                2 * 3600,
                ChangeSetStatus::CreateComplete,
                ExecutionStatus::Available,
            ))
            .summaries(other_runs(
                Concurrent::OBSOLETE,
                60,
                ChangeSetStatus::CreateComplete,
                ExecutionStatus::Obsolete,
            ))
            .build()
    });
    let mut rules: Vec<&Rule> = old_only.rules.iter().collect();
    rules[1] = &listed;
    let d = deployer(client(&rules), ui.clone(), stale);
    let outcome = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect("deployed");
    assert_eq!(outcome, StackOutcome::NoChanges);
    assert_eq!(old_only.deleted(), [0, 1, 1]);
}

/// `--discard-pending` deletes every unexecuted change set; a shorter
/// `--stale-change-set-age` makes the young one stale.
#[tokio::test]
async fn discard_pending_or_a_shorter_age_deletes_the_young_change_set() {
    for options in [
        DeployOptions {
            discard_pending: true,
            ..options(true)
        },
        DeployOptions {
            stale_change_set_age: Duration::from_secs(60),
            ..options(true)
        },
    ] {
        let runs = Concurrent::new();
        let ui = Arc::new(RecordingUi::answering(None));
        let discarding = options.discard_pending;
        let d = deployer(runs.client(), ui.clone(), options);
        let outcome = d
            .deploy_stack(&StackTemplate::new("Net", BODY))
            .await
            .expect("deployed");
        assert_eq!(outcome, StackOutcome::NoChanges);
        assert_eq!(runs.deleted(), [1, 1, 1], "discard_pending: {discarding}");
        assert_eq!(runs.create().num_calls(), 1);
    }
}

/// This run's change set deleted under it (by a run with --discard-pending): the error says
/// so, and nothing is deleted — neither the change set nor the empty stack, which the other
/// run may be using.
#[tokio::test]
async fn a_change_set_deleted_under_a_run_is_reported_as_gone_and_nothing_is_cleaned_up() {
    let not_found = || {
        ErrorMetadata::builder()
            .code("ChangeSetNotFound")
            .message("ChangeSet [vpcform-1-0] does not exist")
            .build()
    };
    // At execution (the user was answering the prompt), of a creation.
    let describe = mock!(Client::describe_stacks).then_error(missing);
    let create = created(ChangeSetType::Create);
    let ready = change_set_ready(subnet_added());
    let execute = mock!(Client::execute_change_set)
        .then_error(move || ExecuteChangeSetError::generic(not_found()));
    let delete_cs = delete_change_set();
    let delete_stack =
        mock!(Client::delete_stack).then_output(|| DeleteStackOutput::builder().build());
    let events = no_events();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &create,
            &ready,
            &execute,
            &delete_cs,
            &delete_stack,
            &events,
        ]),
        ui.clone(),
        options(true),
    );
    let error = d
        .deploy_stack(&StackTemplate::new("Net", with_subnet()))
        .await
        .expect_err("gone");
    assert!(
        matches!(
            &error,
            DeployError::ChangeSetGone {
                operation: "ExecuteChangeSet",
                ..
            }
        ),
        "{error}"
    );
    assert!(!error.to_string().contains("delete-change-set"), "{error}");
    assert_eq!(delete_cs.num_calls(), 0);
    assert_eq!(delete_stack.num_calls(), 0);

    // While waiting for it to be made.
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let create = created(ChangeSetType::Update);
    let gone = mock!(Client::describe_change_set)
        .then_error(move || DescribeChangeSetError::generic(not_found()));
    let delete_cs = delete_change_set();
    let stale = no_stale_change_sets();
    let d = deployer(
        client(&[&describe, &create, &gone, &delete_cs, &stale]),
        ui,
        options(true),
    );
    let error = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect_err("gone");
    assert!(
        matches!(
            &error,
            DeployError::ChangeSetGone {
                operation: "DescribeChangeSet",
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(delete_cs.num_calls(), 0);
}

// ---------------------------------------------------------------------------------------------
// 10–13. Reports, --timeout, events.

/// The report holds each stack once, in order: failed Provider, skipped Consumer, unchanged Logs.
#[tokio::test]
async fn the_report_has_every_stack_once_in_order() {
    let describe = mock!(Client::describe_stacks).then_compute_response(|req| {
        let name = name_of(req.stack_name().unwrap_or_default());
        if name == "Logs" {
            MockResponse::Output(stack_named(&name, StackStatus::UpdateComplete))
        } else {
            MockResponse::Error(missing_named(&name))
        }
    });
    let order = Arc::new(Mutex::new(Vec::new()));
    let create = recording_create(&order);
    let described = mock!(Client::describe_change_set).then_compute_output(|req| {
        let reason = match req.stack_name() {
            Some("Provider") => "Template format error: Unresolved resource dependencies [X]",
            _ => "No updates are to be performed.",
        };
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::Failed)
            .status_reason(reason)
            .build()
    });
    let delete = delete_change_set();
    let stale = no_stale_change_sets();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &described, &delete, &stale]),
        ui.clone(),
        options(false),
    );
    let mut consumer = StackTemplate::new("Consumer", BODY);
    consumer.depends_on = vec!["Provider".into()];
    let stacks = [
        StackTemplate::new("Provider", BODY),
        consumer,
        StackTemplate::new("Logs", BODY),
    ];
    let report = d.deploy(&stacks, &[]).await.expect("all selected");
    let names: Vec<&str> = report.stacks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Provider", "Consumer", "Logs"]);
    assert!(
        matches!(&report.stacks[0].1, Err(DeployError::ChangeSetFailed { reason, .. })
            if reason == "Template format error: Unresolved resource dependencies [X]"),
        "{:?}",
        report.stacks[0]
    );
    assert!(
        matches!(&report.stacks[1].1, Err(DeployError::Skipped { dependency, .. })
            if dependency == "Provider"),
        "{:?}",
        report.stacks[1]
    );
    assert!(
        matches!(&report.stacks[2].1, Ok(StackOutcome::NoChanges)),
        "{:?}",
        report.stacks[2]
    );
    assert!(!report.succeeded());
    assert!(!report.interrupted());
    let mut created: Vec<String> = order.lock().expect("order").clone();
    created.sort();
    assert_eq!(created, ["Logs", "Provider"], "Consumer never started");
    assert!(
        has_line(&ui.lines(), "Consumer: skipped: Provider did not complete"),
        "{:#?}",
        ui.lines()
    );
}

/// Interrupted while the first stack waits for its change set: the second is NotStarted.
#[tokio::test]
async fn an_interrupt_before_a_stacks_turn_leaves_it_not_started() {
    let describe = mock!(Client::describe_stacks).then_compute_response(|req| {
        MockResponse::Error(missing_named(&name_of(
            req.stack_name().unwrap_or_default(),
        )))
    });
    let order = Arc::new(Mutex::new(Vec::new()));
    let create = recording_create(&order);
    let pending = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::CreatePending)
            .build()
    });
    let delete = delete_change_set();
    let ui = Arc::new(RecordingUi::answering(None));
    let one = DeployOptions {
        concurrency: 1,
        ..options(false)
    };
    let d = deployer(
        client(&[&describe, &create, &pending, &delete]),
        ui.clone(),
        one,
    );
    let stopper = d.clone();
    let waited = pending.clone();
    tokio::spawn(async move {
        while waited.num_calls() == 0 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        stopper.interrupt();
    });
    let stacks = [
        StackTemplate::new("Net", BODY),
        StackTemplate::new("Logs", BODY),
    ];
    let report = tokio::time::timeout(Duration::from_secs(10), d.deploy(&stacks, &[]))
        .await
        .expect("stops")
        .expect("selected");
    assert_eq!(report.stacks.len(), 2);
    assert_eq!(report.stacks[0].0, "Net");
    assert!(
        matches!(
            &report.stacks[0].1,
            Err(DeployError::InterruptedBeforeExecution { .. })
        ),
        "{:?}",
        report.stacks[0]
    );
    assert_eq!(report.stacks[1].0, "Logs");
    assert!(
        matches!(&report.stacks[1].1, Err(DeployError::NotStarted { .. })),
        "{:?}",
        report.stacks[1]
    );
    assert!(report.interrupted());
    assert_eq!(*order.lock().expect("order"), ["Net"], "Logs never started");
    assert_eq!(delete.num_calls(), 1, "Net's change set is deleted");
}

/// A stack stuck in UPDATE_IN_PROGRESS past `--timeout`: TimedOut with its state.
#[tokio::test]
async fn a_stack_that_does_not_settle_times_out() {
    let mut update = Update::new(BODY.to_string(), subnet_added());
    update.describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete)) // prepare
        .output(|| stack(StackStatus::UpdateInProgress))
        .repeatedly()
        .build();
    let ui = Arc::new(RecordingUi::answering(None));
    let timed = DeployOptions {
        timeout: Some(Duration::from_millis(50)),
        ..options(false)
    };
    let d = deployer(update.client(), ui, timed);
    let started = Instant::now();
    // Bounded: without --timeout the stack would be followed forever.
    let error = tokio::time::timeout(
        Duration::from_secs(5),
        d.deploy_stack(&StackTemplate::new("Net", with_subnet())),
    )
    .await
    .expect("gave up following")
    .expect_err("times out");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(&error, DeployError::TimedOut { status, after, .. }
            if status == "UPDATE_IN_PROGRESS" && *after == Duration::from_millis(50)),
        "{error}"
    );
    let text = error.to_string();
    assert!(text.contains("still UPDATE_IN_PROGRESS"), "{text}");
    assert!(text.contains("--timeout"), "{text}");
    assert_eq!(
        text,
        "Net: still UPDATE_IN_PROGRESS after 50 ms (--timeout); CloudFormation carries on without \
         us — follow it in the console or run the command again when it settles"
    );
    assert_eq!(update.execute.num_calls(), 1);
}

/// Events at or below the marker read before executing are never printed; a new one once.
#[tokio::test]
async fn events_of_the_previous_operation_are_not_replayed() {
    let mut update = Update::new(BODY.to_string(), subnet_added());
    update.describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete)) // prepare
        .output(|| stack(StackStatus::UpdateInProgress)) // poll 1
        .output(|| stack(StackStatus::UpdateInProgress)) // poll 2
        .output(|| stack(StackStatus::UpdateComplete))
        .repeatedly()
        .build();
    let old1 = || {
        event(
            "old1",
            "Vpc",
            "AWS::EC2::VPC",
            ResourceStatus::UpdateInProgress,
            "old: the previous update",
        )
    };
    let old2 = || {
        event(
            "old2",
            "Net",
            "AWS::CloudFormation::Stack",
            ResourceStatus::UpdateComplete,
            "old: the previous update done",
        )
    };
    let new1 = || {
        event(
            "new1",
            "Subnet",
            "AWS::EC2::Subnet",
            ResourceStatus::CreateComplete,
            "new: this update",
        )
    };
    update.events = mock!(Client::describe_stack_events)
        .sequence()
        .output(move || {
            // The marker, read before executing.
            DescribeStackEventsOutput::builder()
                .stack_events(old2())
                .stack_events(old1())
                .build()
        })
        .output(move || {
            DescribeStackEventsOutput::builder()
                .stack_events(new1())
                .stack_events(old2())
                .stack_events(old1())
                .build()
        })
        .repeatedly()
        .build();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(update.client(), ui.clone(), options(false));
    d.deploy_stack(&StackTemplate::new("Net", with_subnet()))
        .await
        .expect("deploys");
    assert!(
        update.events.num_calls() >= 3,
        "the marker and at least two polls"
    );
    let lines = ui.lines();
    let new_line = event_line(
        "CREATE_COMPLETE",
        "AWS::EC2::Subnet",
        "Subnet",
        "new: this update",
    );
    assert_eq!(
        lines.iter().filter(|l| **l == new_line).count(),
        1,
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|l| l.contains("old:")), "{lines:#?}");
}

// ---------------------------------------------------------------------------------------------
// 14–15. Selection.

/// Destroy rules: every stack deployed (CREATE_COMPLETE) until its DeleteStack, except those
/// `never_deployed`; DeleteStack records the order.
struct Destroy {
    describe: Rule,
    delete: Rule,
    events: Rule,
    resources: Rule,
    order: Arc<Mutex<Vec<String>>>,
}

impl Destroy {
    fn new(never_deployed: &'static [&'static str]) -> Destroy {
        let order = Arc::new(Mutex::new(Vec::<String>::new()));
        let deleted = order.clone();
        let describe = mock!(Client::describe_stacks).then_compute_response(move |req| {
            let name = name_of(req.stack_name().unwrap_or_default());
            let gone = deleted.lock().expect("order").contains(&name);
            if gone || never_deployed.contains(&name.as_str()) {
                MockResponse::Error(missing_named(&name))
            } else {
                MockResponse::Output(stack_named(&name, StackStatus::CreateComplete))
            }
        });
        let recorded = order.clone();
        let delete = mock!(Client::delete_stack)
            .match_requests(move |req| {
                recorded
                    .lock()
                    .expect("order")
                    .push(name_of(req.stack_name().unwrap_or_default()));
                true
            })
            .then_output(|| DeleteStackOutput::builder().build());
        Destroy {
            describe,
            delete,
            events: no_events(),
            resources: mock!(Client::list_stack_resources)
                .then_output(|| ListStackResourcesOutput::builder().build()),
            order,
        }
    }

    fn client(&self) -> Client {
        client(&[&self.describe, &self.delete, &self.events, &self.resources])
    }

    fn deleted(&self) -> Vec<String> {
        self.order.lock().expect("order").clone()
    }
}

fn provider_and_consumer() -> [StackTemplate; 2] {
    let mut consumer = StackTemplate::new("Consumer", BODY);
    consumer.depends_on = vec!["Provider".into()];
    [StackTemplate::new("Provider", BODY), consumer]
}

/// Destroy includes importers (said, destroyed first); `--exclusively` refuses or destroys alone.
#[tokio::test]
async fn destroy_includes_importers_first_or_refuses_exclusively() {
    let stacks = provider_and_consumer();
    let only = ["Provider".to_string()];

    let rules = Destroy::new(&[]);
    let ui = Arc::new(RecordingUi::answering(Some(true)));
    let d = deployer(rules.client(), ui.clone(), options(false));
    let report = d.destroy(&stacks, &only).await.expect("confirmed");
    let lines = ui.lines();
    let question = lines
        .iter()
        .find(|l| l.contains(": ? "))
        .expect("asked once");
    assert!(question.contains("Consumer included"), "{question}");
    assert!(
        question.starts_with(
            "Provider,Consumer: ? destroy Provider, Consumer and every resource in them"
        ),
        "{question}"
    );
    assert_eq!(rules.deleted(), ["Consumer", "Provider"], "Consumer first");
    let outcomes: Vec<(&str, Option<&StackOutcome>)> = report
        .stacks
        .iter()
        .map(|(n, r)| (n.as_str(), r.as_ref().ok()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("Provider", Some(&StackOutcome::Destroyed)),
            ("Consumer", Some(&StackOutcome::Destroyed)),
        ]
    );
    let consumer = lines
        .iter()
        .position(|l| l == "Consumer: destroyed")
        .expect("Consumer destroyed");
    let provider = lines
        .iter()
        .position(|l| l == "Provider: destroyed")
        .expect("Provider destroyed");
    assert!(consumer < provider, "{lines:#?}");

    // --exclusively with Consumer deployed: refused, nothing deleted.
    let rules = Destroy::new(&[]);
    let ui = Arc::new(RecordingUi::answering(Some(true)));
    let exclusively = DeployOptions {
        exclusively: true,
        ..options(false)
    };
    let d = deployer(rules.client(), ui.clone(), exclusively.clone());
    let error = d.destroy(&stacks, &only).await.expect_err("refused");
    assert!(
        matches!(&error, DeployError::DependentsDeployed { stack, dependents }
            if stack == "Provider" && dependents == "Consumer"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "Provider: deployed stacks import from it (Consumer), so CloudFormation would refuse to \
         delete its exports; destroy them first, or run destroy without --exclusively to include \
         them (nothing was deleted)"
    );
    assert_eq!(rules.delete.num_calls(), 0);
    assert!(ui.lines().is_empty(), "not even asked: {:#?}", ui.lines());

    // --exclusively with Consumer not deployed: Provider alone.
    let rules = Destroy::new(&["Consumer"]);
    let ui = Arc::new(RecordingUi::answering(Some(true)));
    let d = deployer(rules.client(), ui.clone(), exclusively);
    let report = d.destroy(&stacks, &only).await.expect("Provider alone");
    assert_eq!(rules.deleted(), ["Provider"]);
    assert_eq!(report.stacks.len(), 1);
    assert_eq!(report.stacks[0].0, "Provider");
    assert!(
        matches!(report.stacks[0].1, Ok(StackOutcome::Destroyed)),
        "{:?}",
        report.stacks[0]
    );
    assert!(
        has_line(
            &ui.lines(),
            "Provider: ? destroy Provider and every resource in them?"
        ),
        "{:#?}",
        ui.lines()
    );
}

/// Deploying Consumer deploys its Provider first, saying so; `--exclusively`, Consumer alone.
#[tokio::test]
async fn deploying_a_stack_deploys_what_it_imports_from_first() {
    let stacks = provider_and_consumer();
    let only = ["Consumer".to_string()];
    let rules = || {
        let order = Arc::new(Mutex::new(Vec::new()));
        let list = [
            mock!(Client::describe_stacks).then_compute_output(|req| {
                stack_named(
                    &name_of(req.stack_name().unwrap_or_default()),
                    StackStatus::UpdateComplete,
                )
            }),
            recording_create(&order),
            empty_change_set(),
            delete_change_set(),
            no_stale_change_sets(),
        ];
        (list, order)
    };

    let (list, order) = rules();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&list.iter().collect::<Vec<_>>()),
        ui.clone(),
        options(false),
    );
    let report = d.deploy(&stacks, &only).await.expect("selected");
    assert_eq!(
        report.into_result().expect("no changes"),
        [
            ("Provider".to_string(), StackOutcome::NoChanges),
            ("Consumer".to_string(), StackOutcome::NoChanges),
        ]
    );
    assert_eq!(*order.lock().expect("order"), ["Provider", "Consumer"]);
    assert!(
        has_line(
            &ui.lines(),
            "Provider: deployed first: Consumer imports from it (--exclusively to skip it)"
        ),
        "{:#?}",
        ui.lines()
    );

    let (list, order) = rules();
    let ui = Arc::new(RecordingUi::answering(None));
    let exclusively = DeployOptions {
        exclusively: true,
        ..options(false)
    };
    let d = deployer(
        client(&list.iter().collect::<Vec<_>>()),
        ui.clone(),
        exclusively,
    );
    let report = d.deploy(&stacks, &only).await.expect("selected");
    assert_eq!(
        report.into_result().expect("no changes"),
        [("Consumer".to_string(), StackOutcome::NoChanges)]
    );
    assert_eq!(*order.lock().expect("order"), ["Consumer"]);
    assert!(
        !ui.lines().iter().any(|l| l.contains("deployed first")),
        "{:#?}",
        ui.lines()
    );
}

// ---------------------------------------------------------------------------------------------
// 16. Errors from a real client.

/// A real client (no mocks) for an endpoint nothing listens on, 127.0.0.1:1, with vpcform's
/// HTTP client (the SDK has no default one in vpcform's build).
fn unreachable_client(region: Option<&'static str>) -> Client {
    let mut config = aws_sdk_cloudformation::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url("http://127.0.0.1:1")
        .credentials_provider(Credentials::new("a", "b", None, None, "test"))
        .http_client(vpcform_deploy::https_client())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1)),
        );
    if let Some(region) = region {
        config = config.region(Region::new(region));
    }
    Client::from_conf(config.build())
}

/// An unreachable endpoint is one line with the network hint; `verbose()` adds the SDK's causes.
#[tokio::test]
async fn an_unreachable_endpoint_is_one_line_with_a_hint() {
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(unreachable_client(Some("us-east-1")), ui, options(true));
    let error = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect_err("nothing listens");
    assert!(
        matches!(&error, DeployError::Aws { operation: "DescribeStacks", code, .. }
            if code == "NoResponse"),
        "{error}"
    );
    let text = error.to_string();
    assert!(!text.contains('\n'), "{text}");
    assert!(
        text.starts_with("Net: DescribeStacks failed: NoResponse:"),
        "{text}"
    );
    assert!(
        text.ends_with(
            " (hint: CloudFormation's endpoint did not answer: check the network, and \
             AWS_ENDPOINT_URL if it is set)"
        ),
        "{text}"
    );
    assert!(
        !text.contains("No HTTP client"),
        "a real connection: {text}"
    );
    let verbose = error.verbose();
    assert!(verbose.starts_with(&text), "{verbose}");
    assert!(verbose.lines().count() > 1, "{verbose}");
    assert!(verbose.contains("\n  caused by: "), "{verbose}");
}

/// A client without a region gets the AWS_REGION hint, not the network one.
#[tokio::test]
async fn a_client_without_a_region_is_told_to_set_one() {
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(unreachable_client(None), ui, options(true));
    let error = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect_err("no region");
    let text = error.to_string();
    assert!(!text.contains('\n'), "{text}");
    assert!(text.starts_with("Net: DescribeStacks failed: "), "{text}");
    assert!(
        matches!(&error, DeployError::Aws { hint: Some(hint), .. } if hint.contains("AWS_REGION")),
        "{text}"
    );
    assert!(!text.contains("did not answer"), "{text}");
}
