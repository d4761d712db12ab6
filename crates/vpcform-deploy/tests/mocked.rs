//! The real SDK client, answered by aws-smithy-mocks: the CloudFormation states no emulator
//! produces (rollbacks, empty change sets, throttling, paginated events, stuck stacks).

mod common;
use common::*;

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::operation::list_stack_resources::ListStackResourcesOutput;
use aws_sdk_cloudformation::operation::update_termination_protection::UpdateTerminationProtectionOutput;
use aws_sdk_cloudformation::types::{
    ChangeAction, ChangeSetStatus, ChangeSetType, OnStackFailure, Replacement, ResourceStatus,
    Stack, StackEvent, StackStatus,
};
use aws_smithy_mocks::{Rule, mock};
use vpcform_deploy::{
    DeployError, DeployOptions, Deployer, Operation, RecordingUi, StackOutcome, StackTemplate,
};

fn deployer(client: Client, ui: Arc<RecordingUi>, yes: bool) -> Deployer {
    let options = DeployOptions {
        yes,
        poll_interval: Duration::from_millis(5),
        ..DeployOptions::default()
    };
    Deployer::new(client, ui, options)
}

fn template(name: &str) -> StackTemplate {
    StackTemplate::new(name, BODY)
}

/// What an update needs besides its own rules: the deployed template (as the local one) and no
/// stale change sets.
fn update_basics() -> [Rule; 2] {
    [deployed(BODY), no_stale_change_sets()]
}

/// DescribeStackEvents without a token: `before` (the marker read before executing), then
/// `after` for every later call.
fn events_first_page(
    before: Vec<StackEvent>,
    after: impl Fn() -> DescribeStackEventsOutput + Send + Sync + 'static,
) -> Rule {
    mock!(Client::describe_stack_events)
        .match_requests(|req| req.next_token().is_none())
        .sequence()
        .output(move || {
            DescribeStackEventsOutput::builder()
                .set_stack_events(Some(before.clone()))
                .build()
        })
        .output(after)
        .repeatedly()
        .build()
}

#[tokio::test]
async fn an_empty_change_set_means_no_changes_and_is_deleted() {
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let create = created(ChangeSetType::Update);
    let empty = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::Failed)
            .status_reason(
                "The submitted information didn't contain changes. Submit different information to \
                 create a change set.",
            )
            .build()
    });
    let delete = delete_change_set();
    let execute = executes();
    let stale = no_stale_change_sets();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &empty, &delete, &execute, &stale]),
        ui.clone(),
        false,
    );
    let outcome = d
        .deploy_stack(&template("Net"))
        .await
        .expect("no changes is success");
    assert_eq!(outcome, StackOutcome::NoChanges);
    assert_eq!(delete.num_calls(), 1, "the empty change set is deleted");
    assert_eq!(execute.num_calls(), 0);
    assert!(
        ui.lines().contains(&"Net: no changes".to_string()),
        "{:#?}",
        ui.lines()
    );
}

#[tokio::test]
async fn a_failed_creation_is_deleted_and_diagnosed_from_the_first_failed_resource() {
    // prepare: not there; follow: gone again (OnStackFailure=DELETE removed it).
    let describe = mock!(Client::describe_stacks).then_error(missing);
    let create = mock!(Client::create_change_set)
        .match_requests(|req| {
            req.change_set_type() == Some(&ChangeSetType::Create)
                && req.on_stack_failure() == Some(&OnStackFailure::Delete)
        })
        .then_output(|| {
            CreateChangeSetOutput::builder()
                .stack_id("arn:aws:cloudformation:us-east-1:123456789012:stack/Net/1")
                .build()
        });
    let ready = change_set_ready(vec![
        change(ChangeAction::Add, "Vpc", "AWS::EC2::VPC", None),
        change(ChangeAction::Add, "Endpoint", "AWS::EC2::VPCEndpoint", None),
    ]);
    let execute = executes();
    // Newest first, as CloudFormation returns them: the cancellation follows the real cause.
    let events = events_first_page(vec![], || {
        DescribeStackEventsOutput::builder()
            .stack_events(event(
                "e4",
                "Net",
                "AWS::CloudFormation::Stack",
                ResourceStatus::DeleteComplete,
                "",
            ))
            .stack_events(event(
                "e3",
                "Vpc",
                "AWS::EC2::VPC",
                ResourceStatus::CreateFailed,
                "Resource creation cancelled",
            ))
            .stack_events(event(
                "e2",
                "Endpoint",
                "AWS::EC2::VPCEndpoint",
                ResourceStatus::CreateFailed,
                "The Vpc Endpoint Service 'com.amazonaws.vpce.us-east-1.vpce-svc-0' does not exist",
            ))
            .stack_events(event(
                "e1",
                "Net",
                "AWS::CloudFormation::Stack",
                ResourceStatus::CreateInProgress,
                "User Initiated",
            ))
            .build()
    });
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &ready, &execute, &events]),
        ui.clone(),
        false,
    );
    let error = d
        .deploy_stack(&template("Net"))
        .await
        .expect_err("creation fails");
    let DeployError::StackFailed {
        status,
        cause,
        operation,
        ..
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(*operation, Operation::Create);
    assert!(status.contains("OnStackFailure=DELETE"), "{status}");
    let cause = cause.as_ref().expect("diagnosed");
    assert_eq!(cause.logical_id, "Endpoint");
    assert_eq!(cause.resource_type, "AWS::EC2::VPCEndpoint");
    assert!(cause.reason.contains("does not exist"));
    assert_eq!(
        create.num_calls(),
        1,
        "a CREATE change set with OnStackFailure=DELETE"
    );
    // Each event printed once, oldest first.
    let lines = ui.lines();
    let positions: Vec<usize> = ["User Initiated", "does not exist", "creation cancelled"]
        .iter()
        .map(|needle| lines.iter().position(|l| l.contains(needle)).expect(needle))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{lines:#?}");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("creation cancelled"))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_failed_update_rolls_back_and_is_diagnosed() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete)) // prepare
        .output(|| stack(StackStatus::UpdateRollbackInProgress)) // first poll
        .output(|| stack(StackStatus::UpdateRollbackComplete))
        .repeatedly()
        .build();
    let create = created(ChangeSetType::Update);
    let ready = change_set_ready(vec![change(
        ChangeAction::Modify,
        "Sg",
        "AWS::EC2::SecurityGroup",
        Some(Replacement::False),
    )]);
    let execute = executes();
    let [template_rule, stale] = update_basics();
    let events = events_first_page(vec![], || {
        DescribeStackEventsOutput::builder()
            .stack_events(event(
                "u2",
                "Sg",
                "AWS::EC2::SecurityGroup",
                ResourceStatus::UpdateFailed,
                "The security group 'sg-1' does not exist",
            ))
            .stack_events(event(
                "u1",
                "Net",
                "AWS::CloudFormation::Stack",
                ResourceStatus::UpdateInProgress,
                "User Initiated",
            ))
            .build()
    });
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &create,
            &ready,
            &execute,
            &events,
            &template_rule,
            &stale,
        ]),
        ui,
        false,
    );
    let error = d
        .deploy_stack(&template("Net"))
        .await
        .expect_err("update fails");
    assert_eq!(
        error.to_string(),
        "Net: update failed; the stack is UPDATE_ROLLBACK_COMPLETE. First failure: Sg \
         (AWS::EC2::SecurityGroup) UPDATE_FAILED: The security group 'sg-1' does not exist"
    );
}

#[tokio::test]
async fn a_stack_left_in_rollback_complete_is_deleted_then_created() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::RollbackComplete)) // prepare
        .error(missing) // following the delete: gone
        .output(|| stack(StackStatus::CreateComplete)) // following the create
        .repeatedly()
        .build();
    let delete_stack =
        mock!(Client::delete_stack).then_output(|| DeleteStackOutput::builder().build());
    let resources = mock!(Client::list_stack_resources)
        .then_output(|| ListStackResourcesOutput::builder().build());
    let events = mock!(Client::describe_stack_events)
        .then_output(|| DescribeStackEventsOutput::builder().build());
    let create = created(ChangeSetType::Create);
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let execute = executes();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &delete_stack,
            &resources,
            &events,
            &create,
            &ready,
            &execute,
        ]),
        ui.clone(),
        false,
    );
    let outcome = d.deploy_stack(&template("Net")).await.expect("recovers");
    let StackOutcome::Deployed { outputs, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(outputs, [("VpcId".to_string(), "vpc-123".to_string())]);
    assert_eq!(delete_stack.num_calls(), 1);
    assert_eq!(create.num_calls(), 1);
    assert!(
        ui.lines()
            .iter()
            .any(|l| l.contains("found ROLLBACK_COMPLETE")),
        "{:#?}",
        ui.lines()
    );
    assert_eq!(ui.progress("Net"), Some((1, 1)));
}

#[tokio::test]
async fn throttling_is_retried_until_it_succeeds() {
    let throttled = r#"<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
        <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
        <RequestId>1</RequestId></ErrorResponse>"#;
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .http_status(400, Some(throttled.to_string()))
        .times(2)
        .output(|| stack(StackStatus::UpdateComplete))
        .repeatedly()
        .build();
    let create = created(ChangeSetType::Update);
    let empty = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::Failed)
            .status_reason("No updates are to be performed.")
            .build()
    });
    let delete = delete_change_set();
    let ui = Arc::new(RecordingUi::answering(None));
    let stale = no_stale_change_sets();
    let d = deployer(
        client(&[&describe, &create, &empty, &delete, &stale]),
        ui,
        false,
    );
    let outcome = d.deploy_stack(&template("Net")).await.expect("retried");
    assert_eq!(outcome, StackOutcome::NoChanges);
    assert_eq!(
        describe.num_calls(),
        3,
        "two throttled attempts, then success"
    );
}

/// An HTML 500 (a proxy's, or moto's when it breaks) is retried with a one-line notice: the
/// status and the page's title, not the page, and not "HTTP 500: HTTP 500:".
#[tokio::test]
async fn a_retried_html_500_is_announced_in_one_line() {
    let page = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n\
                <h1>Internal Server Error</h1>\n<p>The server encountered an internal error.</p>\n";
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .http_status(500, Some(page.to_string()))
        .times(2)
        .output(|| stack(StackStatus::UpdateComplete))
        .repeatedly()
        .build();
    let create = created(ChangeSetType::Update);
    let empty = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::Failed)
            .status_reason("No updates are to be performed.")
            .build()
    });
    let delete = delete_change_set();
    let stale = no_stale_change_sets();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &empty, &delete, &stale]),
        ui.clone(),
        false,
    );
    let outcome = d.deploy_stack(&template("Net")).await.expect("retried");
    assert_eq!(outcome, StackOutcome::NoChanges);
    let notices: Vec<String> = ui
        .lines()
        .into_iter()
        .filter(|l| l.contains("retrying DescribeStacks"))
        .collect();
    assert_eq!(
        notices,
        [
            "vpcform: retrying DescribeStacks (attempt 2) after: HTTP 500: 500 Internal Server \
             Error",
            "vpcform: retrying DescribeStacks (attempt 3) after: HTTP 500: 500 Internal Server \
             Error",
        ],
        "{:#?}",
        ui.lines()
    );
}

#[tokio::test]
async fn events_are_paginated_and_each_printed_once() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete)) // prepare
        .output(|| stack(StackStatus::UpdateInProgress)) // poll 1
        .output(|| stack(StackStatus::UpdateComplete))
        .repeatedly()
        .build();
    let create = created(ChangeSetType::Update);
    let ready = change_set_ready(vec![
        change(
            ChangeAction::Modify,
            "A",
            "AWS::EC2::Subnet",
            Some(Replacement::False),
        ),
        change(
            ChangeAction::Modify,
            "B",
            "AWS::EC2::Subnet",
            Some(Replacement::False),
        ),
    ]);
    let execute = executes();
    // Poll 1: two pages (4 events). Poll 2: one new event on top of the old first page.
    let first_page = mock!(Client::describe_stack_events)
        .match_requests(|req| req.next_token().is_none())
        .sequence()
        .output(|| DescribeStackEventsOutput::builder().build()) // before executing: none
        .output(|| {
            DescribeStackEventsOutput::builder()
                .stack_events(event(
                    "p4",
                    "B",
                    "AWS::EC2::Subnet",
                    ResourceStatus::UpdateInProgress,
                    "",
                ))
                .stack_events(event(
                    "p3",
                    "A",
                    "AWS::EC2::Subnet",
                    ResourceStatus::UpdateComplete,
                    "",
                ))
                .next_token("page2")
                .build()
        })
        .output(|| {
            DescribeStackEventsOutput::builder()
                .stack_events(event(
                    "p5",
                    "B",
                    "AWS::EC2::Subnet",
                    ResourceStatus::UpdateComplete,
                    "",
                ))
                .stack_events(event(
                    "p4",
                    "B",
                    "AWS::EC2::Subnet",
                    ResourceStatus::UpdateInProgress,
                    "",
                ))
                .stack_events(event(
                    "p3",
                    "A",
                    "AWS::EC2::Subnet",
                    ResourceStatus::UpdateComplete,
                    "",
                ))
                .next_token("page2")
                .build()
        })
        .repeatedly()
        .build();
    let second_page = mock!(Client::describe_stack_events)
        .match_requests(|req| req.next_token() == Some("page2"))
        .then_output(|| {
            DescribeStackEventsOutput::builder()
                .stack_events(event(
                    "p2",
                    "A",
                    "AWS::EC2::Subnet",
                    ResourceStatus::UpdateInProgress,
                    "",
                ))
                .stack_events(event(
                    "p1",
                    "Net",
                    "AWS::CloudFormation::Stack",
                    ResourceStatus::UpdateInProgress,
                    "User Initiated",
                ))
                .build()
        });
    let [template_rule, stale] = update_basics();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &create,
            &ready,
            &execute,
            &first_page,
            &second_page,
            &template_rule,
            &stale,
        ]),
        ui.clone(),
        false,
    );
    d.deploy_stack(&template("Net")).await.expect("deploys");
    let events: Vec<String> = ui
        .lines()
        .into_iter()
        .filter(|l| l.contains("AWS::EC2::Subnet ") || l.contains("AWS::CloudFormation::Stack"))
        .filter(|l| l.contains("UPDATE_"))
        .collect();
    assert_eq!(events.len(), 5, "{events:#?}");
    let order: Vec<bool> = vec![
        events[0].contains("User Initiated"),
        events[1].contains("UPDATE_IN_PROGRESS") && events[1].ends_with(" A"),
        events[2].contains("UPDATE_COMPLETE") && events[2].ends_with(" A"),
        events[3].contains("UPDATE_IN_PROGRESS") && events[3].ends_with(" B"),
        events[4].contains("UPDATE_COMPLETE") && events[4].ends_with(" B"),
    ];
    assert!(order.iter().all(|ok| *ok), "{events:#?}");
    assert_eq!(
        second_page.num_calls(),
        1,
        "the second poll stops at the first event seen"
    );
    assert_eq!(ui.progress("Net"), Some((2, 2)));
}

#[tokio::test]
async fn replacements_need_confirmation_and_without_a_terminal_nothing_is_executed() {
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let create = created(ChangeSetType::Update);
    let ready = change_set_ready(vec![
        change(
            ChangeAction::Modify,
            "Subnet",
            "AWS::EC2::Subnet",
            Some(Replacement::True),
        ),
        change(ChangeAction::Remove, "Old", "AWS::EC2::VPCEndpoint", None),
    ]);
    let delete = delete_change_set();
    let execute = executes();
    let [template_rule, stale] = update_basics();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &create,
            &ready,
            &delete,
            &execute,
            &template_rule,
            &stale,
        ]),
        ui.clone(),
        false,
    );
    let error = d
        .deploy_stack(&template("Net"))
        .await
        .expect_err("needs --yes");
    assert!(
        matches!(error, DeployError::ConfirmationRequired { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("pass --yes"), "{error}");
    assert_eq!(execute.num_calls(), 0);
    assert_eq!(delete.num_calls(), 1, "no stray change set");
    let lines = ui.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("~ Modify") && l.contains("Subnet (replacement)")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("- Remove") && l.contains("Old")),
        "{lines:#?}"
    );

    // With --yes it executes.
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let create = created(ChangeSetType::Update);
    let ready = change_set_ready(vec![change(
        ChangeAction::Remove,
        "Old",
        "AWS::EC2::VPCEndpoint",
        None,
    )]);
    let execute = executes();
    let events = no_events();
    let [template_rule, stale] = update_basics();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &create,
            &ready,
            &execute,
            &events,
            &template_rule,
            &stale,
        ]),
        ui,
        true,
    );
    d.deploy_stack(&template("Net"))
        .await
        .expect("deploys with --yes");
    assert_eq!(execute.num_calls(), 1);
}

#[tokio::test]
async fn termination_protection_blocks_destroy_and_is_set_on_deploy() {
    let protected = mock!(Client::describe_stacks).then_output(|| {
        DescribeStacksOutput::builder()
            .stacks(
                Stack::builder()
                    .stack_name("Net")
                    .stack_status(StackStatus::CreateComplete)
                    .creation_time(now())
                    .enable_termination_protection(true)
                    .build(),
            )
            .build()
    });
    let delete = mock!(Client::delete_stack).then_output(|| DeleteStackOutput::builder().build());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(client(&[&protected, &delete]), ui, true);
    let report = d.destroy(&[template("Net")], &[]).await.expect("selected");
    let error = report.into_result().expect_err("protected");
    assert!(
        matches!(error, DeployError::TerminationProtected { .. }),
        "{error}"
    );
    assert_eq!(delete.num_calls(), 0);

    // Deploying a stack that asks for protection sets it, even with no changes.
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let create = created(ChangeSetType::Update);
    let empty = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::Failed)
            .status_reason("The submitted information didn't contain changes.")
            .build()
    });
    let delete_cs = delete_change_set();
    let protect = mock!(Client::update_termination_protection)
        .match_requests(|req| req.enable_termination_protection() == Some(true))
        .then_output(|| UpdateTerminationProtectionOutput::builder().build());
    let stale = no_stale_change_sets();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &empty, &delete_cs, &protect, &stale]),
        ui,
        false,
    );
    let mut stack = template("Net");
    stack.termination_protection = Some(true);
    d.deploy_stack(&stack).await.expect("no changes");
    assert_eq!(protect.num_calls(), 1);
}

#[tokio::test]
async fn destroy_without_a_terminal_needs_yes() {
    let ui = Arc::new(RecordingUi::answering(None));
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::CreateComplete));
    let d = deployer(client(&[&describe]), ui, false);
    let error = d
        .destroy(&[template("Net")], &[])
        .await
        .expect_err("needs --yes");
    assert!(
        matches!(error, DeployError::ConfirmationRequired { .. }),
        "{error}"
    );
    assert_eq!(describe.num_calls(), 0, "asked before touching anything");
}

#[tokio::test]
async fn interrupting_while_following_reports_the_state_and_leaves_cloudformation_working() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete))
        .output(|| stack(StackStatus::UpdateInProgress))
        .repeatedly()
        .build();
    let create = created(ChangeSetType::Update);
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let execute = executes();
    let events = no_events();
    let [template_rule, stale] = update_basics();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &create,
            &ready,
            &execute,
            &events,
            &template_rule,
            &stale,
        ]),
        ui,
        false,
    );
    let stopper = d.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        stopper.interrupt();
    });
    let error = d
        .deploy_stack(&template("Net"))
        .await
        .expect_err("interrupted");
    assert_eq!(
        error.to_string(),
        "Net: interrupted; the stack is UPDATE_IN_PROGRESS and CloudFormation carries on without us \
         — follow it in the console or run the command again when it settles"
    );
}

#[tokio::test]
async fn interrupting_before_execution_deletes_the_change_set() {
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let create = created(ChangeSetType::Update);
    // The change set stays CREATE_PENDING: the interrupt comes while waiting for it.
    let pending = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::CreatePending)
            .build()
    });
    let delete = delete_change_set();
    let execute = executes();
    let ui = Arc::new(RecordingUi::answering(None));
    let stale = no_stale_change_sets();
    let d = deployer(
        client(&[&describe, &create, &pending, &delete, &execute, &stale]),
        ui,
        false,
    );
    let stopper = d.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        stopper.interrupt();
    });
    let error = d
        .deploy_stack(&template("Net"))
        .await
        .expect_err("interrupted");
    assert!(
        matches!(error, DeployError::InterruptedBeforeExecution { .. }),
        "{error}"
    );
    assert_eq!(delete.num_calls(), 1);
    assert_eq!(execute.num_calls(), 0);
}

/// Over CloudFormation's 1 MB for a template in S3: refused before any call. Over 51,200
/// bytes with no way to S3 (a deployer made with `new` and no `with_s3`): refused before any
/// change set, saying how to give one.
#[tokio::test]
async fn a_template_over_the_limits_is_refused_before_any_change() {
    let describe = mock!(Client::describe_stacks).then_error(missing);
    let create = created(ChangeSetType::Create);
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(client(&[&describe, &create]), ui, true);
    let huge = StackTemplate::new("Net", format!("{{\"x\":\"{}\"}}", "x".repeat(1_048_576)));
    let error = d.deploy_stack(&huge).await.expect_err("too large");
    assert_eq!(
        error.to_string(),
        "Net: the template is 1048584 bytes, over CloudFormation's 1 MB limit for a template in \
         S3 (TemplateURL); split the stack (nothing was deployed)"
    );
    assert_eq!(describe.num_calls(), 0);
    let large = StackTemplate::new("Net", format!("{{\"x\":\"{}\"}}", "x".repeat(60_000)));
    let error = d.deploy_stack(&large).await.expect_err("no S3");
    assert!(matches!(error, DeployError::Upload { .. }), "{error}");
    assert!(error.to_string().contains("Deployer::with_s3"), "{error}");
    assert_eq!(create.num_calls(), 0);
}

#[tokio::test]
async fn stacks_deploy_in_dependency_order_and_dependents_of_a_failure_are_skipped() {
    // Every stack: not there, then its change set fails for a reason other than "no changes".
    let describe = mock!(Client::describe_stacks).then_error(missing);
    let create =
        mock!(Client::create_change_set).then_output(|| CreateChangeSetOutput::builder().build());
    let failed = mock!(Client::describe_change_set).then_output(|| {
        DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::Failed)
            .status_reason("Template format error: Unresolved resource dependencies [X]")
            .build()
    });
    let delete = delete_change_set();
    let delete_stack =
        mock!(Client::delete_stack).then_output(|| DeleteStackOutput::builder().build());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &failed, &delete, &delete_stack]),
        ui.clone(),
        true,
    );
    let provider = template("Provider");
    let mut consumer = template("Consumer");
    consumer.depends_on = vec!["Provider".into()];
    let report = d
        .deploy(&[provider, consumer], &[])
        .await
        .expect("both selected");
    assert_eq!(report.stacks.len(), 2, "each stack once");
    let error = report.stacks[0].1.as_ref().expect_err("Provider fails");
    assert!(
        error
            .to_string()
            .starts_with("Provider: the change set failed: Template format error"),
        "{error}"
    );
    assert!(
        matches!(&report.stacks[1].1, Err(DeployError::Skipped { dependency, .. }) if dependency == "Provider"),
        "{:?}",
        report.stacks[1]
    );
    assert_eq!(create.num_calls(), 1, "Consumer never starts");
    assert!(
        ui.lines()
            .contains(&"Consumer: skipped: Provider did not complete".to_string()),
        "{:#?}",
        ui.lines()
    );
}

#[tokio::test]
async fn a_stack_left_in_review_in_progress_gets_a_create_change_set() {
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::ReviewInProgress)) // prepare
        .output(|| stack(StackStatus::CreateComplete))
        .repeatedly()
        .build();
    let create = mock!(Client::create_change_set)
        .match_requests(|req| {
            req.change_set_type() == Some(&ChangeSetType::Create)
                && req
                    .capabilities()
                    .iter()
                    .any(|c| c.as_str() == "CAPABILITY_IAM")
                && req
                    .tags()
                    .iter()
                    .any(|t| t.key() == Some("team") && t.value() == Some("net"))
        })
        .then_output(|| CreateChangeSetOutput::builder().build());
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let execute = executes();
    let events = mock!(Client::describe_stack_events)
        .then_output(|| DescribeStackEventsOutput::builder().build());
    // The empty stack may hold another run's change set: it is looked for.
    let stale = no_stale_change_sets();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &ready, &execute, &events, &stale]),
        ui.clone(),
        false,
    );
    let mut stack = template("Net");
    stack.capabilities = vec!["CAPABILITY_IAM".into()];
    stack.tags = vec![("team".into(), "net".into())];
    d.deploy_stack(&stack).await.expect("created");
    assert_eq!(
        create.num_calls(),
        1,
        "CREATE with the stack's tags and capabilities"
    );
    assert_eq!(stale.num_calls(), 1);
    assert!(
        ui.lines()
            .iter()
            .any(|l| l.contains("found REVIEW_IN_PROGRESS")),
        "{:#?}",
        ui.lines()
    );
}

#[tokio::test]
async fn a_failed_creation_seen_as_delete_complete_is_a_failure() {
    // Real CloudFormation keeps a deleted stack describable by ID: DELETE_COMPLETE.
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .error(missing) // prepare: not there
        .output(|| stack(StackStatus::DeleteInProgress))
        .output(|| stack(StackStatus::DeleteComplete))
        .repeatedly()
        .build();
    let create = created(ChangeSetType::Create);
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let execute = executes();
    let events = events_first_page(vec![], || {
        DescribeStackEventsOutput::builder()
            .stack_events(event(
                "f1",
                "Vpc",
                "AWS::EC2::VPC",
                ResourceStatus::CreateFailed,
                "The CIDR '10.0.0.0/33' is invalid.",
            ))
            .build()
    });
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &ready, &execute, &events]),
        ui,
        false,
    );
    let error = d
        .deploy_stack(&template("Net"))
        .await
        .expect_err("creation failed");
    assert_eq!(
        error.to_string(),
        "Net: create failed; the stack is DELETE_COMPLETE. First failure: Vpc (AWS::EC2::VPC) \
         CREATE_FAILED: The CIDR '10.0.0.0/33' is invalid."
    );
}

/// A template with an existing VPC's parameter (no default) and a subnet's (with one).
const WITH_PARAMETERS: &str = r#"{"Parameters":{"LandingVpc":{"Type":"AWS::EC2::VPC::Id"},"PrivateA":{"Type":"AWS::EC2::Subnet::Id","Default":"subnet-0a1b2c3d"}},"Resources":{}}"#;

#[tokio::test]
async fn parameter_values_are_sent_and_a_new_stack_without_one_is_not_started() {
    // Created with the value given; the defaulted parameter left to its default.
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .error(missing)
        .output(|| stack(StackStatus::CreateComplete))
        .repeatedly()
        .build();
    let create = mock!(Client::create_change_set)
        .match_requests(|req| {
            let p = req.parameters();
            p.len() == 1
                && p[0].parameter_key() == Some("LandingVpc")
                && p[0].parameter_value() == Some("vpc-0a1b2c3d")
        })
        .then_output(|| CreateChangeSetOutput::builder().build());
    let ready = change_set_ready(vec![]);
    let execute = executes();
    let events = mock!(Client::describe_stack_events)
        .then_output(|| DescribeStackEventsOutput::builder().build());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &create, &ready, &execute, &events]),
        ui.clone(),
        false,
    );
    let mut net = StackTemplate::new("Net", WITH_PARAMETERS);
    net.parameters = vec![("LandingVpc".into(), "vpc-0a1b2c3d".into())];
    let _ = d.deploy_stack(&net).await;
    assert_eq!(create.num_calls(), 1, "the value went with the change set");

    // Not given: a new stack stops before any change set.
    let describe = mock!(Client::describe_stacks).then_error(missing);
    let create = created(ChangeSetType::Create);
    let d = deployer(client(&[&describe, &create]), ui.clone(), false);
    let error = d
        .deploy_stack(&StackTemplate::new("Net", WITH_PARAMETERS))
        .await
        .expect_err("no value");
    assert_eq!(
        error.to_string(),
        "Net: parameter LandingVpc has no value and no default, so the stack cannot be created; \
         give it with --parameters Net:LandingVpc=VALUE (nothing was created)"
    );
    assert_eq!(create.num_calls(), 0);

    // An update keeps the previous value.
    let params = StackTemplate::new("Net", WITH_PARAMETERS)
        .change_set_parameters(false)
        .expect("update");
    assert_eq!(params.len(), 1);
    assert_eq!(params[0].parameter_key(), Some("LandingVpc"));
    assert_eq!(params[0].use_previous_value(), Some(true));

    // A misspelt name is refused, naming the template's parameters.
    let mut typo = StackTemplate::new("Net", WITH_PARAMETERS);
    typo.parameters = vec![("LandingVcp".into(), "vpc-0a1b2c3d".into())];
    let error = typo.change_set_parameters(true).expect_err("typo");
    assert_eq!(
        error.to_string(),
        "Net: no template parameter named LandingVcp (declared: LandingVpc, PrivateA); check the \
         name given with --parameters Net:NAME=VALUE"
    );
}

/// `Deployer::outputs` reads a deployed stack's outputs; a stack that does not exist has none.
#[tokio::test]
async fn outputs_of_a_deployed_stack_and_of_none() {
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::CreateComplete));
    let d = deployer(
        client(&[&describe]),
        Arc::new(RecordingUi::answering(None)),
        false,
    );
    assert_eq!(
        d.outputs("Net").await.expect("outputs"),
        Some(vec![("VpcId".to_string(), "vpc-123".to_string())])
    );
    let gone = mock!(Client::describe_stacks).then_error(missing);
    let d = deployer(
        client(&[&gone]),
        Arc::new(RecordingUi::answering(None)),
        false,
    );
    assert_eq!(d.outputs("Net").await.expect("no stack is no error"), None);
}
