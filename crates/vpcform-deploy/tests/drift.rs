//! Drift, answered by aws-smithy-mocks (moto has no drift detection): DetectStackDrift,
//! DescribeStackDriftDetectionStatus and DescribeStackResourceDrifts in the shapes the
//! CloudFormation API Reference documents; `diff`'s last result (DescribeStacks
//! `DriftInformation`); `deploy --revert-drift` (CreateChangeSet `DeploymentMode`).

mod common;
use common::*;

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ErrorMetadata;
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_stack_drift_detection_status::DescribeStackDriftDetectionStatusOutput;
use aws_sdk_cloudformation::operation::describe_stack_resource_drifts::DescribeStackResourceDriftsOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::operation::detect_stack_drift::{
    DetectStackDriftError, DetectStackDriftOutput,
};
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    ChangeAction, ChangeSetStatus, ChangeSetType, DeploymentMode, DifferenceType,
    PropertyDifference, Stack, StackDriftDetectionStatus, StackDriftInformation, StackDriftStatus,
    StackResourceDrift, StackResourceDriftStatus, StackStatus,
};
use aws_smithy_mocks::{Rule, mock};
use vpcform_deploy::{
    DeployError, DeployOptions, Deployer, DriftState, RecordingUi, StackOutcome, StackTemplate,
};

/// 2026-12-07T12:00:00Z.
const CHECKED: i64 = 1_796_644_800;

fn deployer(client: Client, ui: Arc<RecordingUi>, options: DeployOptions) -> Deployer {
    Deployer::new(
        client,
        ui,
        DeployOptions {
            poll_interval: Duration::from_millis(5),
            ..options
        },
    )
}

fn detects(stack: &'static str) -> Rule {
    mock!(Client::detect_stack_drift)
        .match_requests(move |req| req.stack_name() == Some(stack))
        .then_output(move || {
            DetectStackDriftOutput::builder()
                .stack_drift_detection_id(format!("{stack}-detection"))
                .build()
        })
}

/// DescribeStackDriftDetectionStatus: `DETECTION_IN_PROGRESS` once, then `detection` with
/// `drift`.
fn detection_status(
    stack: &'static str,
    detection: StackDriftDetectionStatus,
    drift: StackDriftStatus,
    reason: Option<&'static str>,
) -> Rule {
    let id = format!("{stack}-detection");
    mock!(Client::describe_stack_drift_detection_status)
        .match_requests(move |req| req.stack_drift_detection_id() == Some(id.as_str()))
        .sequence()
        .output(move || {
            DescribeStackDriftDetectionStatusOutput::builder()
                .stack_id(stack_id(stack))
                .stack_drift_detection_id(format!("{stack}-detection"))
                .detection_status(StackDriftDetectionStatus::DetectionInProgress)
                .timestamp(DateTime::from_secs(CHECKED))
                .build()
        })
        .output(move || {
            DescribeStackDriftDetectionStatusOutput::builder()
                .stack_id(stack_id(stack))
                .stack_drift_detection_id(format!("{stack}-detection"))
                .detection_status(detection.clone())
                .stack_drift_status(drift.clone())
                .set_detection_status_reason(reason.map(str::to_string))
                .timestamp(DateTime::from_secs(CHECKED))
                .build()
        })
        .repeatedly()
        .build()
}

fn resource(
    logical: &str,
    physical: &str,
    kind: &str,
    status: StackResourceDriftStatus,
    differences: Vec<PropertyDifference>,
) -> StackResourceDrift {
    StackResourceDrift::builder()
        .stack_id(stack_id("Net"))
        .logical_resource_id(logical)
        .physical_resource_id(physical)
        .resource_type(kind)
        .stack_resource_drift_status(status)
        .set_property_differences(Some(differences))
        .timestamp(DateTime::from_secs(CHECKED))
        .build()
}

fn difference(
    path: &str,
    expected: &str,
    actual: &str,
    kind: DifferenceType,
) -> PropertyDifference {
    PropertyDifference::builder()
        .property_path(path)
        .expected_value(expected)
        .actual_value(actual)
        .difference_type(kind)
        .build()
}

/// DescribeStackResourceDrifts of Net in two pages: a security group whose rule was widened
/// and tagged by hand (MODIFIED), a subnet deleted by hand (DELETED), then a resource
/// CloudFormation could not check (NOT_CHECKED) on the second page. Only when the request
/// filters out IN_SYNC resources.
fn net_drifts() -> Rule {
    mock!(Client::describe_stack_resource_drifts)
        .match_requests(|req| {
            let filters = req.stack_resource_drift_status_filters();
            filters.contains(&StackResourceDriftStatus::Modified)
                && !filters.contains(&StackResourceDriftStatus::InSync)
        })
        .sequence()
        .output(|| {
            DescribeStackResourceDriftsOutput::builder()
                .stack_resource_drifts(resource(
                    "Sg",
                    "sg-0123456789abcdef0",
                    "AWS::EC2::SecurityGroup",
                    StackResourceDriftStatus::Modified,
                    vec![
                        difference(
                            "/SecurityGroupIngress/0/CidrIp",
                            "10.0.0.0/16",
                            "0.0.0.0/0",
                            DifferenceType::NotEqual,
                        ),
                        difference(
                            "/Tags/0",
                            "",
                            r#"{"Key":"Owner","Value":"ops"}"#,
                            DifferenceType::Add,
                        ),
                    ],
                ))
                .stack_resource_drifts(resource(
                    "Subnet",
                    "subnet-0123456789abcdef0",
                    "AWS::EC2::Subnet",
                    StackResourceDriftStatus::Deleted,
                    vec![],
                ))
                .next_token("page-2")
                .build()
        })
        .output(|| {
            DescribeStackResourceDriftsOutput::builder()
                .stack_resource_drifts(
                    StackResourceDrift::builder()
                        .stack_id(stack_id("Net"))
                        .logical_resource_id("Flow")
                        .resource_type("AWS::EC2::FlowLog")
                        .stack_resource_drift_status(StackResourceDriftStatus::NotChecked)
                        .drift_status_reason("Internal Failure")
                        .timestamp(DateTime::from_secs(CHECKED))
                        .build(),
                )
                .build()
        })
        .build()
}

fn no_drifts() -> Rule {
    mock!(Client::describe_stack_resource_drifts)
        .then_output(|| DescribeStackResourceDriftsOutput::builder().build())
}

#[tokio::test]
async fn a_stack_in_sync_is_polled_until_complete_and_reads_in_sync() {
    let detect = detects("Net");
    let status = detection_status(
        "Net",
        StackDriftDetectionStatus::DetectionComplete,
        StackDriftStatus::InSync,
        None,
    );
    let drifts = no_drifts();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&detect, &status, &drifts]),
        ui.clone(),
        DeployOptions::default(),
    );
    let report = d
        .drift(&[StackTemplate::new("Net", BODY)], &[])
        .await
        .expect("drift");
    let drift = report.stacks[0].1.as_ref().expect("checked");
    assert_eq!(drift.state, DriftState::InSync);
    assert_eq!(drift.checked_at.as_deref(), Some("2026-12-07T12:00:00Z"));
    assert_eq!(status.num_calls(), 2, "polled until DETECTION_COMPLETE");
    assert!(!report.drifted() && report.complete());
    assert_eq!(
        report.to_string(),
        "Net: in sync (detected 2026-12-07T12:00:00Z)\n"
    );
    assert!(
        ui.lines()
            .contains(&"Net: detecting drift (Net-detection)".to_string()),
        "{:#?}",
        ui.lines()
    );
}

#[tokio::test]
async fn a_drifted_stack_lists_modified_properties_and_deleted_resources_from_every_page() {
    let detect = detects("Net");
    let status = detection_status(
        "Net",
        StackDriftDetectionStatus::DetectionComplete,
        StackDriftStatus::Drifted,
        None,
    );
    let drifts = net_drifts();
    let d = deployer(
        client(&[&detect, &status, &drifts]),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions::default(),
    );
    let report = d
        .drift(&[StackTemplate::new("Net", BODY)], &["Net".to_string()])
        .await
        .expect("drift");
    assert!(report.drifted() && report.complete());
    assert_eq!(drifts.num_calls(), 2, "both pages read");
    assert_eq!(
        report.to_string(),
        "Net: DRIFTED, 2 resources (detected 2026-12-07T12:00:00Z)\n\
         \x20 ~ Sg AWS::EC2::SecurityGroup (sg-0123456789abcdef0) MODIFIED\n\
         \x20     ~ /SecurityGroupIngress/0/CidrIp: 10.0.0.0/16 -> 0.0.0.0/0\n\
         \x20     + /Tags/0: {\"Key\":\"Owner\",\"Value\":\"ops\"}\n\
         \x20 - Subnet AWS::EC2::Subnet (subnet-0123456789abcdef0) DELETED\n\
         \x20 ? Flow AWS::EC2::FlowLog NOT_CHECKED: Internal Failure\n"
    );
    let json = report.to_json();
    let net = &json["stacks"][0];
    assert_eq!(net["status"], "DRIFTED");
    assert_eq!(
        net["resources"][0]["differences"][0]["path"],
        "/SecurityGroupIngress/0/CidrIp"
    );
    assert_eq!(
        net["resources"][0]["differences"][0]["expected"],
        "10.0.0.0/16"
    );
    assert_eq!(net["resources"][0]["differences"][0]["actual"], "0.0.0.0/0");
    assert_eq!(net["resources"][0]["differences"][0]["type"], "NOT_EQUAL");
    assert_eq!(net["resources"][1]["status"], "DELETED");
    assert_eq!(net["resources"][2]["status"], "NOT_CHECKED");
}

#[tokio::test]
async fn a_failed_detection_keeps_the_results_it_has_and_is_incomplete() {
    let detect = detects("Net");
    let status = detection_status(
        "Net",
        StackDriftDetectionStatus::DetectionFailed,
        StackDriftStatus::InSync,
        Some("Failed to detect drift on resource [Flow]"),
    );
    let drifts = no_drifts();
    let d = deployer(
        client(&[&detect, &status, &drifts]),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions::default(),
    );
    let report = d
        .drift(&[StackTemplate::new("Net", BODY)], &[])
        .await
        .expect("drift");
    let drift = report.stacks[0].1.as_ref().expect("partial results");
    assert_eq!(
        drift.detection_failed.as_deref(),
        Some("Failed to detect drift on resource [Flow]")
    );
    assert!(!report.complete(), "a failed detection is not a clean bill");
    assert!(
        report
            .to_string()
            .contains("detection failed for some resources (DETECTION_FAILED)"),
        "{report}"
    );
    assert_eq!(
        report.to_json()["stacks"][0]["detection_failed"],
        "Failed to detect drift on resource [Flow]"
    );
}

/// Detecting forever: the status never leaves DETECTION_IN_PROGRESS.
fn detecting_forever() -> Rule {
    mock!(Client::describe_stack_drift_detection_status).then_output(|| {
        DescribeStackDriftDetectionStatusOutput::builder()
            .stack_drift_detection_id("Net-detection")
            .detection_status(StackDriftDetectionStatus::DetectionInProgress)
            .build()
    })
}

#[tokio::test]
async fn an_interrupt_while_detecting_says_cloudformation_finishes_it_and_stops_the_rest() {
    let detect = detects("Net");
    let status = detecting_forever();
    let d = deployer(
        client(&[&detect, &status]),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions::default(),
    );
    let stopper = d.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        stopper.interrupt();
    });
    let stacks = [
        StackTemplate::new("Net", BODY),
        StackTemplate::new("Hub", BODY),
    ];
    let report = d.drift(&stacks, &[]).await.expect("drift");
    assert!(report.interrupted());
    let error = report.stacks[0].1.as_ref().expect_err("interrupted");
    assert!(error.is_interrupt());
    assert_eq!(
        error.to_string(),
        "Net: interrupted; the stack is DETECTION_IN_PROGRESS (drift detection Net-detection) \
         and CloudFormation carries on without us — follow it in the console or run the command \
         again when it settles"
    );
    assert!(
        matches!(&report.stacks[1].1, Err(DeployError::NotStarted { stack }) if stack == "Hub"),
        "{:?}",
        report.stacks[1]
    );
}

#[tokio::test]
async fn a_detection_longer_than_the_timeout_stops_waiting() {
    let detect = detects("Net");
    let status = detecting_forever();
    let d = deployer(
        client(&[&detect, &status]),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions {
            timeout: Some(Duration::from_millis(30)),
            ..DeployOptions::default()
        },
    );
    let error = d.detect_drift("Net").await.expect_err("timed out");
    assert!(matches!(error, DeployError::TimedOut { .. }), "{error}");
    assert!(
        error.to_string().contains("still DETECTION_IN_PROGRESS"),
        "{error}"
    );
}

#[tokio::test]
async fn a_stack_not_deployed_is_said_and_the_others_are_checked() {
    let missing = mock!(Client::detect_stack_drift)
        .match_requests(|req| req.stack_name() == Some("Hub"))
        .then_error(|| {
            DetectStackDriftError::generic(
                ErrorMetadata::builder()
                    .code("ValidationError")
                    .message("Stack with id Hub does not exist")
                    .build(),
            )
        });
    let detect = detects("Net");
    let status = detection_status(
        "Net",
        StackDriftDetectionStatus::DetectionComplete,
        StackDriftStatus::InSync,
        None,
    );
    let drifts = no_drifts();
    let d = deployer(
        client(&[&missing, &detect, &status, &drifts]),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions::default(),
    );
    let stacks = [
        StackTemplate::new("Hub", BODY),
        StackTemplate::new("Net", BODY),
    ];
    let report = d.drift(&stacks, &[]).await.expect("drift");
    assert_eq!(
        report.stacks[0].1.as_ref().map(|d| &d.state).ok(),
        Some(&DriftState::NotDeployed)
    );
    assert_eq!(
        report.stacks[1].1.as_ref().map(|d| &d.state).ok(),
        Some(&DriftState::InSync)
    );
    assert!(report.complete() && !report.drifted());
    assert!(
        report
            .to_string()
            .starts_with("Hub: not deployed; no drift to detect\nNet: in sync"),
        "{report}"
    );
    assert_eq!(report.to_json()["stacks"][0]["status"], "NOT_DEPLOYED");
}

#[tokio::test]
async fn diff_shows_the_last_drift_result_and_never_starts_a_detection() {
    let describe = mock!(Client::describe_stacks).then_output(|| {
        DescribeStacksOutput::builder()
            .stacks(
                Stack::builder()
                    .stack_name("Net")
                    .stack_id(stack_id("Net"))
                    .stack_status(StackStatus::UpdateComplete)
                    .creation_time(now())
                    .drift_information(
                        StackDriftInformation::builder()
                            .stack_drift_status(StackDriftStatus::Drifted)
                            .last_check_timestamp(DateTime::from_secs(CHECKED))
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let template = deployed(BODY);
    let detect = detects("Net");
    let d = deployer(
        client(&[&describe, &template, &detect]),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions::default(),
    );
    let diffs = d
        .diff(&[StackTemplate::new("Net", BODY)], &[])
        .await
        .expect("diff");
    assert!(diffs[0].is_empty(), "the templates match");
    assert_eq!(
        diffs[0].to_string(),
        "Net: no differences\n  drift: DRIFTED at the last check, 2026-12-07T12:00:00Z (run \
         `drift` to see what differs)\n"
    );
    assert_eq!(detect.num_calls(), 0, "diff only reads the last result");

    let never = mock!(Client::describe_stacks).then_output(|| {
        DescribeStacksOutput::builder()
            .stacks(
                Stack::builder()
                    .stack_name("Net")
                    .stack_status(StackStatus::CreateComplete)
                    .drift_information(
                        StackDriftInformation::builder()
                            .stack_drift_status(StackDriftStatus::NotChecked)
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let d = deployer(
        client(&[&never, &template]),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions::default(),
    );
    let diffs = d
        .diff(&[StackTemplate::new("Net", BODY)], &[])
        .await
        .expect("diff");
    assert!(
        diffs[0]
            .to_string()
            .contains("  drift: never checked (run `drift` to detect it)\n"),
        "{}",
        diffs[0]
    );
}

/// An update whose change set is drift-aware: CreateChangeSet must carry `REVERT_DRIFT`, and
/// DescribeChangeSet answers with the mode and the drifted resource's modification.
#[tokio::test]
async fn revert_drift_makes_the_update_change_set_drift_aware_and_the_review_says_so() {
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let create = mock!(Client::create_change_set)
        .match_requests(|req| {
            req.change_set_type() == Some(&ChangeSetType::Update)
                && req.deployment_mode() == Some(&DeploymentMode::RevertDrift)
        })
        .then_output(|| {
            CreateChangeSetOutput::builder()
                .id("arn:changeset")
                .stack_id(stack_id("Net"))
                .build()
        });
    let ready = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::CreateComplete)
            .deployment_mode(DeploymentMode::RevertDrift)
            .changes(change(ChangeAction::Modify, "Vpc", "AWS::EC2::VPC", None))
            .build()
    });
    let template = deployed(BODY);
    let stale = no_stale_change_sets();
    let delete = delete_change_set();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &ready, &template, &stale, &delete]),
        ui.clone(),
        DeployOptions {
            revert_drift: true,
            no_execute: true,
            ..DeployOptions::default()
        },
    );
    let outcome = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect("change set made");
    assert!(
        matches!(outcome, StackOutcome::ChangeSetCreated { .. }),
        "{outcome:?}"
    );
    assert_eq!(create.num_calls(), 1, "REVERT_DRIFT was sent");
    assert!(
        ui.lines().iter().any(|l| l.starts_with(
            "Net: drift-aware change set (REVERT_DRIFT): executing it also puts properties"
        )),
        "{:#?}",
        ui.lines()
    );
}

/// A new stack has nothing deployed to drift from: its CREATE change set is made as usual.
#[tokio::test]
async fn revert_drift_leaves_a_create_change_set_as_it_is() {
    let describe = mock!(Client::describe_stacks).then_error(missing);
    let create = mock!(Client::create_change_set)
        .match_requests(|req| {
            req.change_set_type() == Some(&ChangeSetType::Create) && req.deployment_mode().is_none()
        })
        .then_output(|| {
            CreateChangeSetOutput::builder()
                .id("arn:changeset")
                .stack_id(stack_id("Net"))
                .build()
        });
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &ready]),
        ui.clone(),
        DeployOptions {
            revert_drift: true,
            no_execute: true,
            ..DeployOptions::default()
        },
    );
    d.deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect("change set made");
    assert_eq!(
        create.num_calls(),
        1,
        "no DeploymentMode on a CREATE change set"
    );
    assert!(
        ui.lines().contains(
            &"Net: --revert-drift: a new stack has nothing deployed to drift; created as usual"
                .to_string()
        ),
        "{:#?}",
        ui.lines()
    );
}

/// A throttled DetectStackDrift is retried, and the notice names the stack (as a deploy's do).
#[tokio::test]
async fn a_throttled_detection_is_retried_with_a_notice_naming_the_stack() {
    let throttled = r#"<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
        <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
        <RequestId>1</RequestId></ErrorResponse>"#;
    let detect = mock!(Client::detect_stack_drift)
        .sequence()
        .http_status(400, Some(throttled.to_string()))
        .output(|| {
            DetectStackDriftOutput::builder()
                .stack_drift_detection_id("Net-detection")
                .build()
        })
        .build();
    let status = detection_status(
        "Net",
        StackDriftDetectionStatus::DetectionComplete,
        StackDriftStatus::InSync,
        None,
    );
    let drifts = no_drifts();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&detect, &status, &drifts]),
        ui.clone(),
        DeployOptions::default(),
    );
    let report = d
        .drift(&[StackTemplate::new("Net", BODY)], &[])
        .await
        .expect("drift");
    assert!(report.complete(), "{report}");
    assert_eq!(detect.num_calls(), 2);
    assert!(
        ui.lines()
            .iter()
            .any(|l| l.starts_with("Net: retrying DetectStackDrift (attempt 2)")),
        "{:#?}",
        ui.lines()
    );
}

/// Stack sets and steps are said not to be checked, and no call is made for them.
#[tokio::test]
async fn stack_sets_and_steps_are_said_not_to_be_checked() {
    let mut set = StackTemplate::new("Baseline", BODY);
    set.stack_set = Some(vpcform_deploy::StackSetSpec {
        targets: vpcform_deploy::StackSetTargets::accounts(["111122223333"]),
        regions: vec!["us-east-1".to_string()],
        ..vpcform_deploy::StackSetSpec::default()
    });
    let mut step = StackTemplate::new("AcceptPeering", "{}");
    step.step = Some(
        vpcform_deploy::StepAction::AcceptTransitGatewayPeeringAttachment {
            attachment: vpcform_deploy::OutputRef::new("East", "PeeringAttachmentId"),
        },
    );
    let detect = detects("Net");
    let d = deployer(
        client(&[&detect]),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions::default(),
    );
    let report = d.drift(&[set, step], &[]).await.expect("drift");
    assert_eq!(detect.num_calls(), 0);
    assert!(report.complete() && !report.drifted());
    let text = report.to_string();
    assert!(
        text.starts_with("Baseline: not checked: a stack set is not checked by `drift`"),
        "{text}"
    );
    assert!(
        text.contains("AcceptPeering: not checked: a step"),
        "{text}"
    );
    assert_eq!(report.to_json()["stacks"][0]["status"], "NOT_CHECKED");
}
