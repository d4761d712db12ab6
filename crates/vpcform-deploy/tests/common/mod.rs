//! Helpers both mocked suites share: a mocked client, canned CloudFormation answers and
//! rules. Each test file uses a part of them.
#![allow(dead_code)]

use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::config::retry::RetryConfig;
use aws_sdk_cloudformation::error::ErrorMetadata;
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_change_set::DeleteChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::describe_stacks::{
    DescribeStacksError, DescribeStacksOutput,
};
use aws_sdk_cloudformation::operation::execute_change_set::ExecuteChangeSetOutput;
use aws_sdk_cloudformation::operation::get_template::GetTemplateOutput;
use aws_sdk_cloudformation::operation::list_change_sets::ListChangeSetsOutput;
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    Change, ChangeAction, ChangeSetStatus, ChangeSetType, ChangeType, Output, Replacement,
    ResourceChange, ResourceStatus, Stack, StackEvent, StackStatus,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};

pub const BODY: &str =
    r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}}}}"#;

pub fn client(rules: &[&Rule]) -> Client {
    client_retrying(
        rules,
        RetryConfig::standard()
            .with_max_attempts(4)
            .with_initial_backoff(Duration::from_millis(1)),
    )
}

/// A mocked client answering `rules` first (MatchAny takes the first rule that matches), then
/// what a test need not spell out: a change set's clean pre-deployment validation.
pub fn client_retrying(rules: &[&Rule], retry: RetryConfig) -> Client {
    let clean = no_findings();
    let rules: Vec<&Rule> = rules.iter().copied().chain([&clean]).collect();
    mock_client!(
        aws_sdk_cloudformation,
        RuleMode::MatchAny,
        &rules,
        move |config| config.retry_config(retry.clone())
    )
}

pub fn now() -> DateTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    DateTime::from_secs(secs + 5)
}

pub fn stack_id(name: &str) -> String {
    format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/1")
}

pub fn stack_named(name: &str, status: StackStatus) -> DescribeStacksOutput {
    DescribeStacksOutput::builder()
        .stacks(
            Stack::builder()
                .stack_name(name)
                .stack_id(stack_id(name))
                .stack_status(status)
                .creation_time(now())
                .outputs(
                    Output::builder()
                        .output_key("VpcId")
                        .output_value("vpc-123")
                        .build(),
                )
                .build(),
        )
        .build()
}

pub fn stack(status: StackStatus) -> DescribeStacksOutput {
    stack_named("Net", status)
}

pub fn missing_named(name: &str) -> DescribeStacksError {
    DescribeStacksError::generic(
        ErrorMetadata::builder()
            .code("ValidationError")
            .message(format!("Stack with id {name} does not exist"))
            .build(),
    )
}

pub fn missing() -> DescribeStacksError {
    missing_named("Net")
}

pub fn change(
    action: ChangeAction,
    id: &str,
    kind: &str,
    replacement: Option<Replacement>,
) -> Change {
    let mut rc = ResourceChange::builder()
        .action(action)
        .logical_resource_id(id)
        .resource_type(kind);
    if let Some(r) = replacement {
        rc = rc.replacement(r);
    }
    Change::builder()
        .r#type(ChangeType::Resource)
        .resource_change(rc.build())
        .build()
}

pub fn event(
    id: &str,
    logical: &str,
    kind: &str,
    status: ResourceStatus,
    reason: &str,
) -> StackEvent {
    StackEvent::builder()
        .event_id(id)
        .stack_id(stack_id("Net"))
        .stack_name("Net")
        .logical_resource_id(logical)
        .resource_type(kind)
        .resource_status(status)
        .resource_status_reason(reason)
        .timestamp(now())
        .build()
}

pub fn change_set_ready(changes: Vec<Change>) -> Rule {
    mock!(Client::describe_change_set).then_output(move || {
        let mut out = DescribeChangeSetOutput::builder().status(ChangeSetStatus::CreateComplete);
        for c in &changes {
            out = out.changes(c.clone());
        }
        out.build()
    })
}

pub fn created(kind: ChangeSetType) -> Rule {
    mock!(Client::create_change_set)
        .match_requests(move |req| req.change_set_type() == Some(&kind))
        .then_output(|| {
            CreateChangeSetOutput::builder()
                .id("arn:changeset")
                .stack_id(stack_id("Net"))
                .build()
        })
}

pub fn delete_change_set() -> Rule {
    mock!(Client::delete_change_set).then_output(|| DeleteChangeSetOutput::builder().build())
}

pub fn executes() -> Rule {
    mock!(Client::execute_change_set).then_output(|| ExecuteChangeSetOutput::builder().build())
}

/// GetTemplate: the deployed template is `body`.
pub fn deployed(body: impl Into<String>) -> Rule {
    let body = body.into();
    mock!(Client::get_template).then_output(move || {
        GetTemplateOutput::builder()
            .template_body(body.clone())
            .build()
    })
}

/// ListChangeSets: none left by earlier runs.
pub fn no_stale_change_sets() -> Rule {
    mock!(Client::list_change_sets).then_output(|| ListChangeSetsOutput::builder().build())
}

pub fn no_events() -> Rule {
    mock!(Client::describe_stack_events)
        .then_output(|| DescribeStackEventsOutput::builder().build())
}

/// DescribeEvents: the change set's pre-deployment validation found nothing.
pub fn no_findings() -> Rule {
    mock!(Client::describe_events).then_output(|| {
        aws_sdk_cloudformation::operation::describe_events::DescribeEventsOutput::builder().build()
    })
}
