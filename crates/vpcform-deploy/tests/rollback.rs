//! Rollback control and pre-deployment validation, against the real SDK client answered by
//! aws-smithy-mocks: no emulator leaves a stack UPDATE_FAILED, rolls one back, or validates a
//! change set (moto has neither RollbackStack's states nor DescribeEvents).

mod common;
use common::*;

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::continue_update_rollback::ContinueUpdateRollbackOutput;
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_events::DescribeEventsOutput;
use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::execute_change_set::ExecuteChangeSetOutput;
use aws_sdk_cloudformation::operation::list_stack_resources::ListStackResourcesOutput;
use aws_sdk_cloudformation::operation::rollback_stack::RollbackStackOutput;
use aws_sdk_cloudformation::types::{
    ChangeAction, ChangeSetStatus, ChangeSetType, EventType, HookFailureMode, OnStackFailure,
    OperationEvent, ResourceStatus, StackEvent, StackStatus, ValidationStatus,
};
use aws_smithy_mocks::{Rule, mock};
use vpcform_deploy::{
    DeployError, DeployOptions, Deployer, RecordingUi, StackOutcome, StackTemplate, ValidationMode,
};

fn deployer(client: Client, ui: Arc<RecordingUi>, no_rollback: bool) -> Deployer {
    let options = DeployOptions {
        yes: true,
        no_rollback,
        poll_interval: Duration::from_millis(5),
        ..DeployOptions::default()
    };
    Deployer::new(client, ui, options)
}

/// DescribeStackEvents: `before` for the marker read before the operation, then `after`.
fn events(before: Vec<StackEvent>, after: Vec<StackEvent>) -> Rule {
    mock!(Client::describe_stack_events)
        .sequence()
        .output(move || {
            DescribeStackEventsOutput::builder()
                .set_stack_events(Some(before.clone()))
                .build()
        })
        .output(move || {
            DescribeStackEventsOutput::builder()
                .set_stack_events(Some(after.clone()))
                .build()
        })
        .repeatedly()
        .build()
}

fn resources() -> Rule {
    mock!(Client::list_stack_resources).then_output(|| ListStackResourcesOutput::builder().build())
}

fn finding(mode: HookFailureMode, name: &str, reason: &str) -> OperationEvent {
    OperationEvent::builder()
        .event_id(format!("v-{name}"))
        .event_type(EventType::ValidationError)
        .validation_name(name)
        .validation_status(ValidationStatus::Failed)
        .validation_failure_mode(mode)
        .validation_status_reason(reason)
        .logical_resource_id("Vpc")
        .build()
}

/// An update that fails with `--no-rollback`: ExecuteChangeSet carries DisableRollback, the
/// stack stays UPDATE_FAILED, and the error says how to go on.
#[tokio::test]
async fn a_failed_update_with_no_rollback_is_left_update_failed_and_says_how_to_go_on() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete)) // prepare
        .output(|| stack(StackStatus::UpdateInProgress))
        .output(|| stack(StackStatus::UpdateFailed))
        .repeatedly()
        .build();
    let create = created(ChangeSetType::Update);
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let execute = mock!(Client::execute_change_set)
        .match_requests(|req| req.disable_rollback() == Some(true))
        .then_output(|| ExecuteChangeSetOutput::builder().build());
    let failed = events(
        vec![],
        vec![event(
            "e1",
            "Vpc",
            "AWS::EC2::VPC",
            ResourceStatus::CreateFailed,
            "The CIDR '10.0.0.0/16' conflicts with another subnet",
        )],
    );
    let (template, stale) = (deployed(BODY), no_stale_change_sets());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe, &create, &ready, &execute, &failed, &template, &stale,
        ]),
        ui,
        true,
    );
    let error = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect_err("the update fails");
    assert!(matches!(&error, DeployError::LeftFailed { status, .. } if status == "UPDATE_FAILED"));
    assert_eq!(
        error.to_string(),
        "Net: update failed; the stack is left UPDATE_FAILED (--no-rollback). First failure: Vpc \
         (AWS::EC2::VPC) CREATE_FAILED: The CIDR '10.0.0.0/16' conflicts with another subnet; \
         fix the cause and deploy again, or run `rollback Net` to return it to its last stable \
         state"
    );
    assert_eq!(execute.num_calls(), 1, "executed with DisableRollback");
}

/// A creation with `--no-rollback` asks OnStackFailure=DO_NOTHING on its change set, and
/// leaves DisableRollback unset on ExecuteChangeSet (the API refuses both).
#[tokio::test]
async fn a_creation_with_no_rollback_keeps_what_it_made() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .error(missing) // prepare: not there
        .output(|| stack(StackStatus::CreateFailed))
        .repeatedly()
        .build();
    let create = mock!(Client::create_change_set)
        .match_requests(|req| req.on_stack_failure() == Some(&OnStackFailure::DoNothing))
        .then_output(|| {
            CreateChangeSetOutput::builder()
                .stack_id(stack_id("Net"))
                .build()
        });
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let execute = mock!(Client::execute_change_set)
        .match_requests(|req| req.disable_rollback().is_none())
        .then_output(|| ExecuteChangeSetOutput::builder().build());
    let quiet = no_events();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &ready, &execute, &quiet]),
        ui,
        true,
    );
    let error = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect_err("the creation fails");
    assert!(
        matches!(&error, DeployError::LeftFailed { status, .. } if status == "CREATE_FAILED"),
        "{error}"
    );
    assert_eq!((create.num_calls(), execute.num_calls()), (1, 1));
}

/// `rollback` on an UPDATE_FAILED stack: RollbackStack, followed with its events to
/// UPDATE_ROLLBACK_COMPLETE.
#[tokio::test]
async fn rollback_takes_an_update_failed_stack_to_update_rollback_complete() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateFailed))
        .output(|| stack(StackStatus::UpdateRollbackInProgress))
        .output(|| stack(StackStatus::UpdateRollbackComplete))
        .repeatedly()
        .build();
    let rollback = mock!(Client::rollback_stack)
        .match_requests(|req| req.stack_name() == Some(stack_id("Net").as_str()))
        .then_output(|| {
            RollbackStackOutput::builder()
                .stack_id(stack_id("Net"))
                .build()
        });
    let rolled = events(
        vec![event(
            "old",
            "Vpc",
            "AWS::EC2::VPC",
            ResourceStatus::UpdateFailed,
            "earlier failure",
        )],
        vec![
            event(
                "r2",
                "Vpc",
                "AWS::EC2::VPC",
                ResourceStatus::UpdateComplete,
                "",
            ),
            event(
                "old",
                "Vpc",
                "AWS::EC2::VPC",
                ResourceStatus::UpdateFailed,
                "earlier failure",
            ),
        ],
    );
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &rollback, &rolled, &resources()]),
        ui.clone(),
        false,
    );
    let report = d
        .rollback(&[StackTemplate::new("Net", BODY)], &["Net".into()], &[])
        .await
        .expect("selected");
    let outcome = report.into_result().expect("rolled back");
    assert!(
        matches!(&outcome[..], [(name, StackOutcome::RolledBack { status, .. })]
            if name == "Net" && status == "UPDATE_ROLLBACK_COMPLETE"),
        "{outcome:?}"
    );
    assert_eq!(rollback.num_calls(), 1);
    let lines = ui.lines();
    assert!(
        lines.contains(&"Net: rolling back from UPDATE_FAILED".to_string()),
        "{lines:?}"
    );
    // The rollback's own events, not the earlier operation's.
    assert!(
        lines.iter().any(|l| l.contains("UPDATE_COMPLETE")),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.contains("earlier failure")),
        "{lines:?}"
    );
}

/// UPDATE_ROLLBACK_FAILED: ContinueUpdateRollback with `--skip` as ResourcesToSkip.
#[tokio::test]
async fn a_failed_rollback_continues_skipping_the_resources_named() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateRollbackFailed))
        .output(|| stack(StackStatus::UpdateRollbackComplete))
        .repeatedly()
        .build();
    let continued = mock!(Client::continue_update_rollback)
        .match_requests(|req| req.resources_to_skip() == ["Endpoint".to_string()])
        .then_output(|| ContinueUpdateRollbackOutput::builder().build());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &continued, &no_events(), &resources()]),
        ui.clone(),
        false,
    );
    let outcome = d
        .rollback_stack("Net", &["Endpoint".into()])
        .await
        .expect("rolled back");
    assert!(
        matches!(&outcome, StackOutcome::RolledBack { status, .. } if status == "UPDATE_ROLLBACK_COMPLETE")
    );
    assert_eq!(continued.num_calls(), 1);
    assert!(
        ui.lines().iter().any(|l| l.contains("skipping Endpoint")),
        "{:?}",
        ui.lines()
    );
}

/// A stack in a state no rollback takes: one line naming the state and what to do; nothing
/// is sent.
#[tokio::test]
async fn rollback_is_refused_for_a_stack_in_another_state() {
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let rollback =
        mock!(Client::rollback_stack).then_output(|| RollbackStackOutput::builder().build());
    let continued = mock!(Client::continue_update_rollback)
        .then_output(|| ContinueUpdateRollbackOutput::builder().build());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(client(&[&describe, &rollback, &continued]), ui, false);
    let error = d.rollback_stack("Net", &[]).await.expect_err("refused");
    assert_eq!(
        error.to_string(),
        "Net: cannot roll back a stack that is UPDATE_COMPLETE: it is already in a stable state: \
         nothing to roll back"
    );
    // --skip goes with UPDATE_ROLLBACK_FAILED only.
    let failed = mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateFailed));
    let d = deployer(
        client(&[&failed, &rollback, &continued]),
        Arc::new(RecordingUi::answering(None)),
        false,
    );
    let error = d
        .rollback_stack("Net", &["Endpoint".into()])
        .await
        .expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("--skip is for UPDATE_ROLLBACK_FAILED only"),
        "{error}"
    );
    assert_eq!((rollback.num_calls(), continued.num_calls()), (0, 0));
}

/// Interrupted while CloudFormation rolls back: the stack's state, left to CloudFormation.
#[tokio::test]
async fn an_interrupt_while_rolling_back_reports_the_state_and_leaves_it_working() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateFailed))
        .output(|| stack(StackStatus::UpdateRollbackInProgress))
        .repeatedly()
        .build();
    let rollback = mock!(Client::rollback_stack).then_output(|| {
        RollbackStackOutput::builder()
            .stack_id(stack_id("Net"))
            .build()
    });
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &rollback, &no_events(), &resources()]),
        ui,
        false,
    );
    let stopper = d.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        stopper.interrupt();
    });
    let error = d.rollback_stack("Net", &[]).await.expect_err("interrupted");
    assert!(error.is_interrupt());
    assert_eq!(
        error.to_string(),
        "Net: interrupted; the stack is UPDATE_ROLLBACK_IN_PROGRESS and CloudFormation carries on \
         without us — follow it in the console or run the command again when it settles"
    );
}

/// A FAIL result fails the change set: the deploy stops naming it, nothing is executed, the
/// change set is deleted; WARN results are shown too.
#[tokio::test]
async fn a_fail_validation_result_stops_the_deploy_and_warnings_are_shown() {
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let create = created(ChangeSetType::Update);
    let failed = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::Failed)
            .status_reason("The following validation(s) failed: PropertyValidation")
            .build()
    });
    let findings = mock!(Client::describe_events)
        .match_requests(|req| req.change_set_name().is_some())
        .then_output(|| {
            DescribeEventsOutput::builder()
                .operation_events(finding(
                    HookFailureMode::Fail,
                    "PropertyValidation",
                    "CidrBlock: 10.0.0.0/33 is not a valid CIDR",
                ))
                .operation_events(finding(
                    HookFailureMode::Warn,
                    "ServiceQuotaValidation",
                    "VPCs per Region: 5 of 5 in use",
                ))
                .operation_events(
                    OperationEvent::builder()
                        .event_type(EventType::ProgressEvent)
                        .build(),
                )
                .build()
        });
    let execute = executes();
    let delete = delete_change_set();
    let (template, stale) = (deployed(BODY), no_stale_change_sets());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe, &create, &failed, &findings, &execute, &delete, &template, &stale,
        ]),
        ui.clone(),
        false,
    );
    let error = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect_err("validation fails");
    let DeployError::ValidationFailed { failures, .. } = &error else {
        panic!("{error}");
    };
    assert_eq!(failures.len(), 1);
    assert!(
        error
            .to_string()
            .contains("FAIL PropertyValidation Vpc: CidrBlock: 10.0.0.0/33 is not a valid CIDR"),
        "{error}"
    );
    assert_eq!(execute.num_calls(), 0);
    assert_eq!(delete.num_calls(), 1, "the failed change set is deleted");
    let lines = ui.lines();
    assert!(
        lines.contains(
            &"Net:   WARN ServiceQuotaValidation Vpc: VPCs per Region: 5 of 5 in use".to_string()
        ),
        "{lines:?}"
    );
    let kept = d.validation_results();
    assert_eq!(
        kept.iter().map(|f| f.mode).collect::<Vec<_>>(),
        [ValidationMode::Fail, ValidationMode::Warn]
    );
}

/// WARN results alone: shown with the review, and the change set is executed.
#[tokio::test]
async fn warnings_alone_are_shown_and_the_deploy_goes_on() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete))
        .output(|| stack(StackStatus::UpdateComplete))
        .repeatedly()
        .build();
    let create = created(ChangeSetType::Update);
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let findings = mock!(Client::describe_events).then_output(|| {
        DescribeEventsOutput::builder()
            .operation_events(finding(
                HookFailureMode::Warn,
                "ServiceQuotaValidation",
                "VPCs per Region: 5 of 5 in use",
            ))
            .build()
    });
    let execute = executes();
    let (template, stale) = (deployed(BODY), no_stale_change_sets());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &create,
            &ready,
            &findings,
            &execute,
            &no_events(),
            &template,
            &stale,
        ]),
        ui.clone(),
        false,
    );
    let outcome = d
        .deploy_stack(&StackTemplate::new("Net", BODY))
        .await
        .expect("deployed despite the warning");
    assert!(matches!(outcome, StackOutcome::Deployed { .. }));
    assert_eq!(execute.num_calls(), 1);
    assert!(
        ui.lines()
            .iter()
            .any(|l| l.ends_with("WARN ServiceQuotaValidation Vpc: VPCs per Region: 5 of 5 in use")),
        "{:?}",
        ui.lines()
    );
    assert_eq!(d.validation_results().len(), 1);
}

/// A creation with no stable state to go back to: RollbackStack deletes the stack, which read
/// by its ARN answers DELETE_COMPLETE — a rollback done, not failed.
#[tokio::test]
async fn a_rollback_that_deletes_a_new_stack_succeeds() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::CreateFailed))
        .output(|| stack(StackStatus::RollbackInProgress))
        .output(|| stack(StackStatus::DeleteComplete))
        .repeatedly()
        .build();
    let rollback =
        mock!(Client::rollback_stack).then_output(|| RollbackStackOutput::builder().build());
    let d = deployer(
        client(&[&describe, &rollback, &no_events(), &resources()]),
        Arc::new(RecordingUi::answering(None)),
        false,
    );
    let outcome = d.rollback_stack("Net", &[]).await.expect("rolled back");
    assert!(
        matches!(&outcome, StackOutcome::RolledBack { status, .. }
            if status == "DELETE_COMPLETE" || status.contains("deleted")),
        "{outcome:?}"
    );
}

/// Two stacks named, the first already stable: it is refused, and the one importing from it
/// is still rolled back (each rollback is its own).
#[tokio::test]
async fn a_refused_stack_does_not_skip_the_others_named() {
    let describe = mock!(Client::describe_stacks)
        .match_requests(|r| r.stack_name() == Some("Net"))
        .then_output(|| stack(StackStatus::UpdateComplete));
    let spoke = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack_named("Spoke", StackStatus::UpdateFailed))
        .output(|| stack_named("Spoke", StackStatus::UpdateRollbackComplete))
        .repeatedly()
        .build();
    let rollback =
        mock!(Client::rollback_stack).then_output(|| RollbackStackOutput::builder().build());
    let d = deployer(
        client(&[&describe, &spoke, &rollback, &no_events(), &resources()]),
        Arc::new(RecordingUi::answering(None)),
        false,
    );
    let mut spoke_template = StackTemplate::new("Spoke", BODY);
    spoke_template.depends_on = vec!["Net".into()];
    let report = d
        .rollback(
            &[StackTemplate::new("Net", BODY), spoke_template],
            &["Net".into(), "Spoke".into()],
            &[],
        )
        .await
        .expect("selected");
    let spoke = report
        .stacks
        .iter()
        .find(|(name, _)| name == "Spoke")
        .map(|(_, outcome)| outcome);
    assert!(
        matches!(spoke, Some(Ok(StackOutcome::RolledBack { .. }))),
        "{:?}",
        report.stacks
    );
    assert_eq!(rollback.num_calls(), 1);
}
