//! Calls that change a stack carry an idempotency token, the same on every retry of one call
//! and new per call: `ClientToken` (CreateChangeSet), `ClientRequestToken` (ExecuteChangeSet,
//! DeleteStack), `OperationId` (the StackSet operations). A rule answers the first attempt with
//! HTTP 500 and the retry with success; an interceptor records what each attempt really sent
//! (aws-smithy-mocks only shows a rule the first attempt's input).

mod common;
use common::*;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_cloudformation::config::retry::RetryConfig;
use aws_sdk_cloudformation::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::create_stack_instances::CreateStackInstancesOutput;
use aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput;
use aws_sdk_cloudformation::operation::describe_stack_set::DescribeStackSetOutput;
use aws_sdk_cloudformation::operation::describe_stack_set_operation::DescribeStackSetOperationOutput;
use aws_sdk_cloudformation::operation::execute_change_set::ExecuteChangeSetOutput;
use aws_sdk_cloudformation::operation::list_stack_instances::ListStackInstancesOutput;
use aws_sdk_cloudformation::operation::list_stack_resources::ListStackResourcesOutput;
use aws_sdk_cloudformation::operation::list_stack_set_operation_results::ListStackSetOperationResultsOutput;
use aws_sdk_cloudformation::operation::update_stack_set::UpdateStackSetOutput;
use aws_sdk_cloudformation::types::{
    ChangeAction, PermissionModels, StackSet, StackSetOperation, StackSetOperationStatus,
    StackSetStatus, StackStatus,
};
use aws_smithy_mocks::{Rule, RuleBuilder, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use vpcform_deploy::{DeployOptions, Deployer, RecordingUi, StackSetSpec, StackTemplate};

/// Every attempt's operation and form-encoded body (the Query protocol's), as sent.
#[derive(Clone, Debug, Default)]
struct Attempts(Arc<Mutex<Vec<(String, String)>>>);

impl Intercept for Attempts {
    fn name(&self) -> &'static str {
        "test::Attempts"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let operation = cfg.load::<Metadata>().map_or("", |m| m.name()).to_string();
        let body = context
            .request()
            .body()
            .bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        self.0.lock().expect("attempts").push((operation, body));
        Ok(())
    }
}

impl Attempts {
    /// The value of `field` in each attempt of `operation`, in order (`""` when absent).
    fn field(&self, operation: &str, field: &str) -> Vec<String> {
        self.0
            .lock()
            .expect("attempts")
            .iter()
            .filter(|(op, _)| op == operation)
            .map(|(_, body)| {
                body.split('&')
                    .find_map(|pair| pair.strip_prefix(&format!("{field}=")))
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }
}

/// A mocked client that retries (up to 3 attempts, no real backoff) and records every attempt.
fn recording_client(rules: &[&Rule]) -> (Client, Attempts) {
    let attempts = Attempts::default();
    let recorder = attempts.clone();
    // A clean pre-deployment validation after the test's own rules.
    let clean = no_findings();
    let rules: Vec<&Rule> = rules.iter().copied().chain([&clean]).collect();
    let client = mock_client!(
        aws_sdk_cloudformation,
        RuleMode::MatchAny,
        &rules,
        move |config| config
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(3)
                    .with_initial_backoff(Duration::from_millis(1)),
            )
            .interceptor(recorder.clone())
    );
    (client, attempts)
}

fn deployer(client: Client, yes: bool) -> Deployer {
    Deployer::new(
        client,
        Arc::new(RecordingUi::answering(None)),
        DeployOptions {
            yes,
            poll_interval: Duration::from_millis(5),
            ..DeployOptions::default()
        },
    )
}

/// `n` calls, each answered HTTP 500 on its first attempt and `output` on its retry.
fn fails_once_per_call<I, O, E>(rule: RuleBuilder<I, O, E>, n: usize, output: fn() -> O) -> Rule
where
    I: std::fmt::Debug + Send + Sync + 'static,
    O: std::fmt::Debug + Send + Sync + 'static,
    E: std::fmt::Debug + Send + Sync + std::error::Error + 'static,
{
    let mut sequence = rule.sequence();
    for _ in 0..n {
        sequence = sequence.http_status(500, None).output(output);
    }
    sequence.build()
}

/// Each call's attempts: two, with the same token in the API's form; the next call's differs.
fn assert_one_token_per_call(tokens: &[String], calls: usize) {
    assert_eq!(
        tokens.len(),
        2 * calls,
        "a failed attempt and its retry per call: {tokens:?}"
    );
    for pair in tokens.chunks(2) {
        assert!(
            !pair[0].is_empty(),
            "the first attempt carries a token: {tokens:?}"
        );
        assert_eq!(
            pair[0], pair[1],
            "the retry resends the call's token: {tokens:?}"
        );
        assert!(pair[0].len() <= 128, "{}", pair[0]);
        assert!(
            pair[0].starts_with(|c: char| c.is_ascii_alphabetic()),
            "{}",
            pair[0]
        );
        assert!(
            pair[0]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "{}",
            pair[0]
        );
    }
    let mut distinct: Vec<&String> = tokens.iter().step_by(2).collect();
    distinct.dedup();
    assert_eq!(distinct.len(), calls, "a new token per call: {tokens:?}");
}

/// CreateChangeSet (`ClientToken`) and ExecuteChangeSet (`ClientRequestToken`), each failed
/// once with HTTP 500 in each of two deploys.
#[tokio::test]
async fn change_set_calls_resend_their_token_on_retry_and_get_a_new_one_per_call() {
    let describe =
        mock!(Client::describe_stacks).then_output(|| stack(StackStatus::UpdateComplete));
    let create = fails_once_per_call(mock!(Client::create_change_set), 2, || {
        CreateChangeSetOutput::builder()
            .id("arn:changeset")
            .stack_id(stack_id("Net"))
            .build()
    });
    let execute = fails_once_per_call(mock!(Client::execute_change_set), 2, || {
        ExecuteChangeSetOutput::builder().build()
    });
    let ready = change_set_ready(vec![change(
        ChangeAction::Add,
        "Subnet",
        "AWS::EC2::Subnet",
        None,
    )]);
    let template = deployed(BODY);
    let stale = no_stale_change_sets();
    let events = no_events();
    let (client, attempts) = recording_client(&[
        &describe, &create, &execute, &ready, &template, &stale, &events,
    ]);
    let d = deployer(client, true);
    for _ in 0..2 {
        d.deploy_stack(&StackTemplate::new("Net", BODY))
            .await
            .expect("deployed after the retries");
    }
    assert_one_token_per_call(&attempts.field("CreateChangeSet", "ClientToken"), 2);
    assert_one_token_per_call(&attempts.field("ExecuteChangeSet", "ClientRequestToken"), 2);
}

/// DeleteStack (`ClientRequestToken`) failed once with HTTP 500 in each of two destroys.
#[tokio::test]
async fn delete_stack_resends_its_token_on_retry_and_gets_a_new_one_per_call() {
    // Before each destroy: the stack; while following its deletion: gone.
    let describe = mock!(Client::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::CreateComplete))
        .error(missing)
        .output(|| stack(StackStatus::CreateComplete))
        .error(missing)
        .build();
    let delete = fails_once_per_call(mock!(Client::delete_stack), 2, || {
        DeleteStackOutput::builder().build()
    });
    let resources = mock!(Client::list_stack_resources)
        .then_output(|| ListStackResourcesOutput::builder().build());
    let events = no_events();
    let (client, attempts) = recording_client(&[&describe, &delete, &resources, &events]);
    let d = deployer(client, true);
    for _ in 0..2 {
        d.destroy_stack("Net")
            .await
            .expect("destroyed after the retry");
    }
    assert_one_token_per_call(&attempts.field("DeleteStack", "ClientRequestToken"), 2);
}

const OLD: &str = r#"{"Resources":{}}"#;

/// A stack set with one instance to add and a template to update: UpdateStackSet and
/// CreateStackInstances, each failed once with HTTP 500, resend the `OperationId` the deployer
/// follows.
#[tokio::test]
async fn stack_set_operations_resend_their_operation_id_on_retry() {
    let describe = mock!(Client::describe_stack_set).then_output(|| {
        DescribeStackSetOutput::builder()
            .stack_set(
                StackSet::builder()
                    .stack_set_name("Baseline")
                    .status(StackSetStatus::Active)
                    .permission_model(PermissionModels::SelfManaged)
                    .template_body(OLD)
                    .build(),
            )
            .build()
    });
    let update = fails_once_per_call(mock!(Client::update_stack_set), 1, || {
        UpdateStackSetOutput::builder().build()
    });
    let create = fails_once_per_call(mock!(Client::create_stack_instances), 1, || {
        CreateStackInstancesOutput::builder().build()
    });
    let listed = mock!(Client::list_stack_instances)
        .then_output(|| ListStackInstancesOutput::builder().build());
    let done = mock!(Client::describe_stack_set_operation).then_output(|| {
        DescribeStackSetOperationOutput::builder()
            .stack_set_operation(
                StackSetOperation::builder()
                    .status(StackSetOperationStatus::Succeeded)
                    .build(),
            )
            .build()
    });
    let results = mock!(Client::list_stack_set_operation_results)
        .then_output(|| ListStackSetOperationResultsOutput::builder().build());
    let (client, attempts) =
        recording_client(&[&describe, &update, &create, &listed, &done, &results]);
    let d = deployer(client, true);
    let mut stack = StackTemplate::new("Baseline", BODY);
    stack.stack_set = Some(StackSetSpec {
        targets: vpcform_deploy::StackSetTargets::accounts(["111111111111"]),
        regions: vec!["us-east-1".into()],
        ..StackSetSpec::default()
    });
    d.deploy(&[stack], &[])
        .await
        .expect("runs")
        .into_result()
        .expect("deployed after the retries");
    let update_ids = attempts.field("UpdateStackSet", "OperationId");
    let create_ids = attempts.field("CreateStackInstances", "OperationId");
    assert_one_token_per_call(&update_ids, 1);
    assert_one_token_per_call(&create_ids, 1);
    assert_ne!(update_ids[0], create_ids[0], "each operation its own ID");
    // The operation followed is the one the ID names.
    let followed = attempts.field("DescribeStackSetOperation", "OperationId");
    assert!(followed.contains(&update_ids[0]), "{followed:?}");
    assert!(followed.contains(&create_ids[0]), "{followed:?}");
}
