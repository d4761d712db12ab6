//! StackSets against aws-smithy-mocks: create, update, a failure within the tolerance, one
//! beyond it, an interrupt, and destroy — the operation states moto never produces (its
//! operations always succeed at once).

mod common;
use common::*;

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ErrorMetadata;
use aws_sdk_cloudformation::operation::create_stack_instances::CreateStackInstancesOutput;
use aws_sdk_cloudformation::operation::create_stack_set::CreateStackSetOutput;
use aws_sdk_cloudformation::operation::delete_stack_instances::DeleteStackInstancesOutput;
use aws_sdk_cloudformation::operation::delete_stack_set::DeleteStackSetOutput;
use aws_sdk_cloudformation::operation::describe_stack_instance::DescribeStackInstanceOutput;
use aws_sdk_cloudformation::operation::describe_stack_set::{
    DescribeStackSetError, DescribeStackSetOutput,
};
use aws_sdk_cloudformation::operation::describe_stack_set_operation::DescribeStackSetOperationOutput;
use aws_sdk_cloudformation::operation::list_stack_instances::ListStackInstancesOutput;
use aws_sdk_cloudformation::operation::list_stack_set_operation_results::ListStackSetOperationResultsOutput;
use aws_sdk_cloudformation::operation::stop_stack_set_operation::StopStackSetOperationOutput;
use aws_sdk_cloudformation::operation::update_stack_set::UpdateStackSetOutput;
use aws_sdk_cloudformation::types::error::StackSetNotFoundException;
use aws_sdk_cloudformation::types::{
    PermissionModels, StackInstance, StackInstanceStatus, StackInstanceSummary, StackSet,
    StackSetOperation, StackSetOperationResultStatus, StackSetOperationResultSummary,
    StackSetOperationStatus, StackSetStatus,
};
use aws_smithy_mocks::{Rule, mock};
use vpcform_deploy::{
    Amount, DeployError, DeployOptions, Deployer, OperationPreferences, RecordingUi, StackOutcome,
    StackSetSpec, StackTemplate,
};

const ACCOUNTS: [&str; 2] = ["111111111111", "222222222222"];
const REGIONS: [&str; 2] = ["us-east-1", "eu-west-1"];

fn deployer(client: Client, ui: Arc<RecordingUi>) -> Deployer {
    Deployer::new(
        client,
        ui,
        DeployOptions {
            yes: true,
            poll_interval: Duration::from_millis(5),
            ..DeployOptions::default()
        },
    )
}

fn baseline(body: &str) -> StackTemplate {
    let mut stack = StackTemplate::new("Baseline", body);
    stack.stack_set = Some(StackSetSpec {
        targets: vpcform_deploy::StackSetTargets::accounts(ACCOUNTS),
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        preferences: OperationPreferences {
            max_concurrent: Some(Amount::Count(2)),
            failure_tolerance: Some(Amount::Count(1)),
            ..OperationPreferences::default()
        },
        ..StackSetSpec::default()
    });
    stack
}

fn not_found() -> Rule {
    mock!(Client::describe_stack_set).then_error(|| {
        DescribeStackSetError::StackSetNotFoundException(
            StackSetNotFoundException::builder()
                .message("StackSet Baseline not found")
                .meta(
                    ErrorMetadata::builder()
                        .code("StackSetNotFoundException")
                        .build(),
                )
                .build(),
        )
    })
}

fn described(body: &'static str) -> DescribeStackSetOutput {
    DescribeStackSetOutput::builder()
        .stack_set(
            StackSet::builder()
                .stack_set_name("Baseline")
                .status(StackSetStatus::Active)
                .permission_model(PermissionModels::SelfManaged)
                .template_body(body)
                .build(),
        )
        .build()
}

/// ListStackInstances: every account in every region.
fn all_instances() -> Rule {
    mock!(Client::list_stack_instances).then_output(|| {
        let mut out = ListStackInstancesOutput::builder();
        for account in ACCOUNTS {
            for region in REGIONS {
                out = out.summaries(
                    StackInstanceSummary::builder()
                        .account(account)
                        .region(region)
                        .status(StackInstanceStatus::Current)
                        .build(),
                );
            }
        }
        out.build()
    })
}

/// DescribeStackInstance: no overrides.
fn no_overrides() -> Rule {
    mock!(Client::describe_stack_instance).then_output(|| {
        DescribeStackInstanceOutput::builder()
            .stack_instance(StackInstance::builder().build())
            .build()
    })
}

fn operation(status: StackSetOperationStatus) -> Rule {
    mock!(Client::describe_stack_set_operation).then_output(move || {
        DescribeStackSetOperationOutput::builder()
            .stack_set_operation(StackSetOperation::builder().status(status.clone()).build())
            .build()
    })
}

/// Results: every instance succeeded except `failed` (account, region, reason).
fn results(failed: &'static [(&'static str, &'static str, &'static str)]) -> Rule {
    mock!(Client::list_stack_set_operation_results).then_output(move || {
        let mut out = ListStackSetOperationResultsOutput::builder();
        for account in ACCOUNTS {
            for region in REGIONS {
                let failure = failed
                    .iter()
                    .find(|(a, r, _)| *a == account && *r == region);
                let mut summary = StackSetOperationResultSummary::builder()
                    .account(account)
                    .region(region)
                    .status(if failure.is_some() {
                        StackSetOperationResultStatus::Failed
                    } else {
                        StackSetOperationResultStatus::Succeeded
                    });
                if let Some((_, _, reason)) = failure {
                    summary = summary.status_reason(*reason);
                }
                out = out.summaries(summary.build());
            }
        }
        out.build()
    })
}

/// A new stack set: CreateStackSet, then one CreateStackInstances for both accounts in both
/// regions with the preferences, followed to SUCCEEDED with progress per account and region.
#[tokio::test]
async fn a_new_stack_set_is_created_with_its_instances() {
    let describe = mock!(Client::describe_stack_set)
        .sequence()
        .error(|| {
            DescribeStackSetError::StackSetNotFoundException(
                StackSetNotFoundException::builder().build(),
            )
        })
        .output(|| described(BODY))
        .repeatedly()
        .build();
    let create = mock!(Client::create_stack_set)
        .match_requests(|r| {
            r.stack_set_name() == Some("Baseline")
                && r.permission_model() == Some(&PermissionModels::SelfManaged)
                && r.template_body() == Some(BODY)
        })
        .then_output(|| {
            CreateStackSetOutput::builder()
                .stack_set_id("Baseline:1")
                .build()
        });
    let instances = mock!(Client::create_stack_instances)
        .match_requests(|r| {
            r.accounts() == ACCOUNTS
                && r.regions() == ["eu-west-1", "us-east-1"]
                && r.operation_preferences().is_some_and(|p| {
                    p.max_concurrent_count() == Some(2) && p.failure_tolerance_count() == Some(1)
                })
        })
        .then_output(|| {
            CreateStackInstancesOutput::builder()
                .operation_id("op")
                .build()
        });
    let running_then_done = mock!(Client::describe_stack_set_operation)
        .sequence()
        .output(|| {
            DescribeStackSetOperationOutput::builder()
                .stack_set_operation(
                    StackSetOperation::builder()
                        .status(StackSetOperationStatus::Running)
                        .build(),
                )
                .build()
        })
        .output(|| {
            DescribeStackSetOperationOutput::builder()
                .stack_set_operation(
                    StackSetOperation::builder()
                        .status(StackSetOperationStatus::Succeeded)
                        .build(),
                )
                .build()
        })
        .build();
    let results = results(&[]);
    let listed = all_instances();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &create,
            &instances,
            &running_then_done,
            &results,
            &listed,
        ]),
        ui.clone(),
    );
    let outcomes = d
        .deploy(&[baseline(BODY)], &[])
        .await
        .expect("runs")
        .into_result()
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert_eq!(
        outcomes,
        [(
            "Baseline".to_string(),
            StackOutcome::StackSetDeployed {
                instances: 4,
                failed: vec![]
            }
        )]
    );
    assert_eq!(create.num_calls(), 1);
    assert_eq!(
        instances.num_calls(),
        1,
        "one call: both accounts share both regions"
    );
    let lines = ui.lines();
    for line in [
        "Baseline: creating the stack set",
        "Baseline: creating instances: 111111111111, 222222222222 in eu-west-1, us-east-1",
        "Baseline:   111111111111 us-east-1: SUCCEEDED",
        "Baseline:   222222222222 eu-west-1: SUCCEEDED",
    ] {
        assert!(lines.contains(&line.to_string()), "{line}\n{lines:#?}");
    }
    // Each instance's progress is printed once, however many polls saw it.
    assert_eq!(
        lines
            .iter()
            .filter(|l| *l == "Baseline:   111111111111 us-east-1: SUCCEEDED")
            .count(),
        1
    );
}

/// A changed template is one UpdateStackSet for every instance; with nothing else changed no
/// instance call is made, and a second deploy of the same template changes nothing.
#[tokio::test]
async fn a_changed_template_updates_every_instance_and_the_same_one_changes_nothing() {
    const OLD: &str = r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.9.0.0/16"}}}}"#;
    let describe = mock!(Client::describe_stack_set).then_output(|| described(OLD));
    let update = mock!(Client::update_stack_set)
        .match_requests(|r| r.template_body() == Some(BODY) && r.accounts().is_empty())
        .then_output(|| UpdateStackSetOutput::builder().operation_id("op").build());
    let create = mock!(Client::create_stack_instances)
        .then_output(|| CreateStackInstancesOutput::builder().build());
    let done = operation(StackSetOperationStatus::Succeeded);
    let results = results(&[]);
    let listed = all_instances();
    let overrides = no_overrides();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe, &update, &create, &done, &results, &listed, &overrides,
        ]),
        ui.clone(),
    );
    let outcome = d
        .deploy(&[baseline(BODY)], &[])
        .await
        .expect("runs")
        .into_result()
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert!(matches!(
        outcome[0].1,
        StackOutcome::StackSetDeployed { instances: 4, .. }
    ));
    assert_eq!(update.num_calls(), 1);
    assert_eq!(create.num_calls(), 0, "every instance exists");

    // Deployed as local: nothing to do.
    let same = mock!(Client::describe_stack_set).then_output(|| described(BODY));
    let update = mock!(Client::update_stack_set)
        .then_output(|| UpdateStackSetOutput::builder().operation_id("op").build());
    let listed = all_instances();
    let overrides = no_overrides();
    let d = deployer(client(&[&same, &update, &listed, &overrides]), ui.clone());
    let outcome = d
        .deploy(&[baseline(BODY)], &[])
        .await
        .expect("runs")
        .into_result()
        .expect("no changes");
    assert_eq!(outcome[0].1, StackOutcome::NoChanges);
    assert_eq!(update.num_calls(), 0);
}

/// One instance fails within the failure tolerance: the operation SUCCEEDED, and the outcome
/// names the instance and AWS's reason.
#[tokio::test]
async fn a_failure_within_the_tolerance_is_reported_with_its_reason() {
    const OLD: &str = r#"{"Resources":{}}"#;
    let describe = mock!(Client::describe_stack_set).then_output(|| described(OLD));
    let update = mock!(Client::update_stack_set)
        .then_output(|| UpdateStackSetOutput::builder().operation_id("op").build());
    let done = operation(StackSetOperationStatus::Succeeded);
    let results = results(&[(
        "222222222222",
        "eu-west-1",
        "ResourceLogicalId:Vpc, ResourceType:AWS::EC2::VPC, ResourceStatusReason:The maximum number of VPCs has been reached.",
    )]);
    let listed = all_instances();
    let overrides = no_overrides();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &update, &done, &results, &listed, &overrides]),
        ui.clone(),
    );
    let outcome = d
        .deploy(&[baseline(BODY)], &[])
        .await
        .expect("runs")
        .into_result()
        .expect("within tolerance");
    let text = outcome[0].1.to_string();
    assert_eq!(
        text,
        "stack set deployed: 4 instances; 1 failed within the failure tolerance: 222222222222 \
         eu-west-1 FAILED: ResourceLogicalId:Vpc, ResourceType:AWS::EC2::VPC, \
         ResourceStatusReason:The maximum number of VPCs has been reached."
    );
}

/// Failures beyond the tolerance: the operation FAILED, and the error lists every failed
/// instance with its reason.
#[tokio::test]
async fn a_failure_beyond_the_tolerance_fails_naming_every_instance() {
    const OLD: &str = r#"{"Resources":{}}"#;
    let describe = mock!(Client::describe_stack_set).then_output(|| described(OLD));
    let update = mock!(Client::update_stack_set)
        .then_output(|| UpdateStackSetOutput::builder().operation_id("op").build());
    let failed = mock!(Client::describe_stack_set_operation).then_output(|| {
        DescribeStackSetOperationOutput::builder()
            .stack_set_operation(
                StackSetOperation::builder()
                    .status(StackSetOperationStatus::Failed)
                    .status_reason("Failure tolerance exceeded")
                    .build(),
            )
            .build()
    });
    let results = results(&[
        (
            "111111111111",
            "us-east-1",
            "Account 111111111111 should have 'AWSCloudFormationStackSetExecutionRole' role with trust relationship to Role 'AWSCloudFormationStackSetAdministrationRole'.",
        ),
        (
            "222222222222",
            "us-east-1",
            "Cancelled since failure tolerance has exceeded",
        ),
    ]);
    let listed = all_instances();
    let overrides = no_overrides();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &update, &failed, &results, &listed, &overrides]),
        ui.clone(),
    );
    let error = d
        .deploy(&[baseline(BODY)], &[])
        .await
        .expect("runs")
        .into_result()
        .expect_err("beyond tolerance");
    let DeployError::StackSetOperationFailed { failed, status, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(status, "FAILED (Failure tolerance exceeded)");
    assert_eq!(failed.len(), 2);
    assert!(
        error.to_string().contains(
            "(update) FAILED (Failure tolerance exceeded): 2 instance(s) failed: 111111111111 \
             us-east-1 FAILED: Account 111111111111 should have \
             'AWSCloudFormationStackSetExecutionRole' role"
        ),
        "{error}"
    );
}

/// Ctrl-C while an operation runs: the deployer asks CloudFormation to stop it and says so;
/// the report counts as interrupted.
#[tokio::test]
async fn an_interrupt_stops_the_operation() {
    const OLD: &str = r#"{"Resources":{}}"#;
    let describe = mock!(Client::describe_stack_set).then_output(|| described(OLD));
    let update = mock!(Client::update_stack_set)
        .then_output(|| UpdateStackSetOutput::builder().operation_id("op").build());
    let running = operation(StackSetOperationStatus::Running);
    let results = results(&[]);
    let stop = mock!(Client::stop_stack_set_operation)
        .match_requests(|r| r.operation_id() == Some("op"))
        .then_output(|| StopStackSetOperationOutput::builder().build());
    let listed = all_instances();
    let overrides = no_overrides();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = Deployer::new(
        client(&[
            &describe, &update, &running, &results, &stop, &listed, &overrides,
        ]),
        ui.clone(),
        DeployOptions {
            yes: true,
            poll_interval: Duration::from_millis(50),
            ..DeployOptions::default()
        },
    );
    let stopper = d.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        stopper.interrupt();
    });
    let report = tokio::time::timeout(Duration::from_secs(5), d.deploy(&[baseline(BODY)], &[]))
        .await
        .expect("returns promptly")
        .expect("runs");
    assert!(report.interrupted(), "{report:?}");
    let error = report.into_result().expect_err("interrupted");
    assert!(
        matches!(
            error,
            DeployError::StackSetInterrupted { stopping: true, .. }
        ),
        "{error}"
    );
    assert_eq!(stop.num_calls(), 1);
    assert!(
        error
            .to_string()
            .contains("is stopping (StopStackSetOperation)"),
        "{error}"
    );
}

/// Destroy deletes every instance (their stacks too), follows that, then deletes the set; a
/// set that does not exist is already destroyed.
#[tokio::test]
async fn destroy_deletes_the_instances_then_the_set() {
    let describe = mock!(Client::describe_stack_set).then_output(|| described(BODY));
    let delete_instances = mock!(Client::delete_stack_instances)
        .match_requests(|r| r.retain_stacks() == Some(false) && r.accounts() == ACCOUNTS)
        .then_output(|| {
            DeleteStackInstancesOutput::builder()
                .operation_id("op")
                .build()
        });
    let done = operation(StackSetOperationStatus::Succeeded);
    let results = results(&[]);
    let delete_set =
        mock!(Client::delete_stack_set).then_output(|| DeleteStackSetOutput::builder().build());
    let listed = all_instances();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &delete_instances,
            &done,
            &results,
            &delete_set,
            &listed,
        ]),
        ui.clone(),
    );
    let outcome = d
        .destroy(&[baseline(BODY)], &[])
        .await
        .expect("runs")
        .into_result()
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert_eq!(outcome[0].1, StackOutcome::Destroyed);
    assert_eq!(delete_instances.num_calls(), 1);
    assert_eq!(delete_set.num_calls(), 1);

    let gone = not_found();
    let delete_set =
        mock!(Client::delete_stack_set).then_output(|| DeleteStackSetOutput::builder().build());
    let d = deployer(client(&[&gone, &delete_set]), ui);
    let outcome = d
        .destroy(&[baseline(BODY)], &[])
        .await
        .expect("runs")
        .into_result()
        .expect("nothing to destroy");
    assert_eq!(outcome[0].1, StackOutcome::Destroyed);
    assert_eq!(delete_set.num_calls(), 0);
}

/// `--no-execute` shows the plan and changes nothing; `--change-set` does not apply to a set.
#[tokio::test]
async fn no_execute_changes_nothing_and_a_set_has_no_change_set_to_execute() {
    let gone = not_found();
    let create =
        mock!(Client::create_stack_set).then_output(|| CreateStackSetOutput::builder().build());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = Deployer::new(
        client(&[&gone, &create]),
        ui.clone(),
        DeployOptions {
            no_execute: true,
            ..DeployOptions::default()
        },
    );
    let outcome = d
        .deploy(&[baseline(BODY)], &[])
        .await
        .expect("runs")
        .into_result()
        .expect("planned");
    assert_eq!(outcome[0].1, StackOutcome::NotExecuted);
    assert_eq!(create.num_calls(), 0);
    assert!(
        ui.lines()
            .contains(&"Baseline:   Add instance 111111111111 us-east-1".to_string()),
        "{:#?}",
        ui.lines()
    );
    let error = d
        .deploy_change_set(&[baseline(BODY)], &["Baseline".into()], "vpcform-1")
        .await
        .expect_err("no change sets");
    assert!(
        error
            .to_string()
            .contains("it is a stack set, which has no change sets"),
        "{error}"
    );
}

/// An account dropped from the targets loses its instances and their stacks: that is a
/// removal, so it waits for approval; without a terminal nothing is deleted.
#[tokio::test]
async fn removing_a_target_needs_approval() {
    let describe = mock!(Client::describe_stack_set).then_output(|| described(BODY));
    let listed = all_instances();
    let overrides = no_overrides();
    let delete = mock!(Client::delete_stack_instances).then_output(|| {
        DeleteStackInstancesOutput::builder()
            .operation_id("op")
            .build()
    });
    let ui = Arc::new(RecordingUi::answering(None));
    let d = Deployer::new(
        client(&[&describe, &listed, &overrides, &delete]),
        ui.clone(),
        DeployOptions::default(),
    );
    let mut one = baseline(BODY);
    if let Some(spec) = one.stack_set.as_mut() {
        spec.targets.accounts.truncate(1);
    }
    let error = d
        .deploy(&[one], &[])
        .await
        .expect("runs")
        .into_result()
        .expect_err("needs approval");
    assert!(
        matches!(error, DeployError::ConfirmationRequired { .. }),
        "{error}"
    );
    assert_eq!(delete.num_calls(), 0, "nothing deleted without approval");
}

/// Overrides: a new instance is created with its overrides merged into one list; an existing
/// one with other overrides is updated with the whole list (a parameter left out would go back
/// to the set's value); an outdated one (a stopped or failed operation) is updated again.
#[tokio::test]
async fn overrides_and_outdated_instances_are_reconciled() {
    use aws_sdk_cloudformation::operation::update_stack_instances::UpdateStackInstancesOutput;
    use aws_sdk_cloudformation::types::Parameter;
    let describe = mock!(Client::describe_stack_set).then_output(|| described(BODY));
    // 111111111111 exists in us-east-1 only (current, no overrides); 222222222222 in both,
    // outdated in eu-west-1.
    let listed = mock!(Client::list_stack_instances).then_output(|| {
        let instance = |account: &str, region: &str, status: StackInstanceStatus| {
            StackInstanceSummary::builder()
                .account(account)
                .region(region)
                .status(status)
                .build()
        };
        ListStackInstancesOutput::builder()
            .summaries(instance(
                "111111111111",
                "us-east-1",
                StackInstanceStatus::Current,
            ))
            .summaries(instance(
                "222222222222",
                "us-east-1",
                StackInstanceStatus::Current,
            ))
            .summaries(instance(
                "222222222222",
                "eu-west-1",
                StackInstanceStatus::Outdated,
            ))
            .build()
    });
    let overrides = no_overrides();
    let wanted = |p: &[Parameter]| {
        p.len() == 2
            && p[0].parameter_key() == Some("Subnet")
            && p[0].parameter_value() == Some("/legacy/subnet")
            && p[1].parameter_key() == Some("Vpc")
            && p[1].parameter_value() == Some("/legacy/vpc")
    };
    let create = mock!(Client::create_stack_instances)
        .match_requests(move |r| {
            r.accounts() == ["111111111111"]
                && r.regions() == ["eu-west-1"]
                && wanted(r.parameter_overrides())
        })
        .then_output(|| {
            CreateStackInstancesOutput::builder()
                .operation_id("create")
                .build()
        });
    let update_overrides = mock!(Client::update_stack_instances)
        .match_requests(move |r| {
            r.accounts() == ["111111111111"]
                && r.regions() == ["us-east-1"]
                && wanted(r.parameter_overrides())
        })
        .then_output(|| {
            UpdateStackInstancesOutput::builder()
                .operation_id("o")
                .build()
        });
    let update_outdated = mock!(Client::update_stack_instances)
        .match_requests(|r| {
            r.accounts() == ["222222222222"]
                && r.regions() == ["eu-west-1"]
                && r.parameter_overrides().is_empty()
        })
        .then_output(|| {
            UpdateStackInstancesOutput::builder()
                .operation_id("u")
                .build()
        });
    let done = operation(StackSetOperationStatus::Succeeded);
    let results = results(&[]);
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe,
            &listed,
            &overrides,
            &create,
            &update_overrides,
            &update_outdated,
            &done,
            &results,
        ]),
        ui.clone(),
    );
    let mut stack = baseline(BODY);
    if let Some(spec) = stack.stack_set.as_mut() {
        // Two overrides for one account, one parameter each: merged into one list.
        for (key, value) in [("Vpc", "/legacy/vpc"), ("Subnet", "/legacy/subnet")] {
            spec.overrides.push(vpcform_deploy::StackSetOverride {
                targets: vpcform_deploy::StackSetTargets::accounts(["111111111111"]),
                regions: REGIONS.iter().map(|r| r.to_string()).collect(),
                parameters: vec![(key.into(), value.into())],
            });
        }
    }
    d.deploy(&[stack], &[])
        .await
        .expect("runs")
        .into_result()
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert_eq!(create.num_calls(), 1, "created with its overrides");
    assert_eq!(update_overrides.num_calls(), 1, "the whole list, once");
    assert_eq!(
        update_outdated.num_calls(),
        1,
        "the outdated instance again"
    );
}

/// Service-managed: new instances go to the units less the excluded accounts (`DIFFERENCE`);
/// an instance of an account now excluded is deleted by account within its unit
/// (`INTERSECTION`), after approval; calls are made as the delegated administrator.
#[tokio::test]
async fn service_managed_targets_units_and_removes_excluded_accounts() {
    use aws_sdk_cloudformation::types::{AccountFilterType, CallAs};
    const UNIT: &str = "ou-ab12-11111111";
    let describe = mock!(Client::describe_stack_set).then_output(|| {
        DescribeStackSetOutput::builder()
            .stack_set(
                StackSet::builder()
                    .stack_set_name("Baseline")
                    .status(StackSetStatus::Active)
                    .permission_model(PermissionModels::ServiceManaged)
                    .auto_deployment(
                        aws_sdk_cloudformation::types::AutoDeployment::builder()
                            .enabled(true)
                            .retain_stacks_on_account_removal(false)
                            .build(),
                    )
                    .template_body(BODY)
                    .build(),
            )
            .build()
    });
    let listed = mock!(Client::list_stack_instances).then_output(|| {
        let instance = |account: &str| {
            StackInstanceSummary::builder()
                .account(account)
                .region("us-east-1")
                .organizational_unit_id(UNIT)
                .status(StackInstanceStatus::Current)
                .build()
        };
        ListStackInstancesOutput::builder()
            .summaries(instance("111111111111"))
            .summaries(instance("333333333333"))
            .build()
    });
    let overrides = no_overrides();
    let create = mock!(Client::create_stack_instances)
        .match_requests(|r| {
            r.call_as() == Some(&CallAs::DelegatedAdmin)
                && r.regions() == ["eu-west-1"]
                && r.deployment_targets().is_some_and(|t| {
                    t.organizational_unit_ids() == [UNIT]
                        && t.accounts() == ["333333333333"]
                        && t.account_filter_type() == Some(&AccountFilterType::Difference)
                })
        })
        .then_output(|| {
            CreateStackInstancesOutput::builder()
                .operation_id("c")
                .build()
        });
    let delete = mock!(Client::delete_stack_instances)
        .match_requests(|r| {
            r.regions() == ["us-east-1"]
                && r.deployment_targets().is_some_and(|t| {
                    t.organizational_unit_ids() == [UNIT]
                        && t.accounts() == ["333333333333"]
                        && t.account_filter_type() == Some(&AccountFilterType::Intersection)
                })
        })
        .then_output(|| {
            DeleteStackInstancesOutput::builder()
                .operation_id("d")
                .build()
        });
    let done = operation(StackSetOperationStatus::Succeeded);
    let results = results(&[]);
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &describe, &listed, &overrides, &create, &delete, &done, &results,
        ]),
        ui.clone(),
    );
    let mut stack = StackTemplate::new("Baseline", BODY);
    stack.stack_set = Some(StackSetSpec {
        targets: vpcform_deploy::StackSetTargets::organizational_units([UNIT])
            .except_accounts(["333333333333"]),
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        permission_model: vpcform_deploy::PermissionModel::ServiceManaged {
            auto_deploy: true,
            retain_stacks_on_account_removal: false,
            delegated_admin: true,
        },
        ..StackSetSpec::default()
    });
    d.deploy(&[stack], &[])
        .await
        .expect("runs")
        .into_result()
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert_eq!(create.num_calls(), 1);
    assert_eq!(delete.num_calls(), 1);
}

/// A parameter value given for every target that differs from the deployed one updates the set;
/// a template that removes a resource waits for approval like a stack's.
#[tokio::test]
async fn a_new_parameter_value_updates_and_a_removal_waits_for_approval() {
    use aws_sdk_cloudformation::types::Parameter;
    const WITH_PARAMETER: &str = r#"{"Parameters":{"Vpc":{"Type":"String"}},"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}}}}"#;
    let describe = mock!(Client::describe_stack_set).then_output(|| {
        DescribeStackSetOutput::builder()
            .stack_set(
                StackSet::builder()
                    .stack_set_name("Baseline")
                    .status(StackSetStatus::Active)
                    .template_body(WITH_PARAMETER)
                    .parameters(
                        Parameter::builder()
                            .parameter_key("Vpc")
                            .parameter_value("vpc-old")
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let update = mock!(Client::update_stack_set)
        .match_requests(|r| {
            r.parameters()
                .iter()
                .any(|p| p.parameter_value() == Some("vpc-new"))
        })
        .then_output(|| UpdateStackSetOutput::builder().operation_id("op").build());
    let done = operation(StackSetOperationStatus::Succeeded);
    let results = results(&[]);
    let listed = all_instances();
    let overrides = no_overrides();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&describe, &update, &done, &results, &listed, &overrides]),
        ui.clone(),
    );
    let mut stack = baseline(WITH_PARAMETER);
    stack.parameters = vec![("Vpc".into(), "vpc-new".into())];
    d.deploy(&[stack], &[])
        .await
        .expect("runs")
        .into_result()
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert_eq!(update.num_calls(), 1, "the new value went out");

    // The local template drops a resource the deployed one has: a removal.
    const TWO: &str = r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}},"Other":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.1.0.0/16"}}}}"#;
    let describe = mock!(Client::describe_stack_set).then_output(|| described(TWO));
    let update = mock!(Client::update_stack_set)
        .then_output(|| UpdateStackSetOutput::builder().operation_id("op").build());
    let listed = all_instances();
    let overrides = no_overrides();
    let d = Deployer::new(
        client(&[&describe, &update, &listed, &overrides]),
        ui,
        DeployOptions::default(),
    );
    let error = d
        .deploy(&[baseline(BODY)], &[])
        .await
        .expect("runs")
        .into_result()
        .expect_err("needs approval");
    assert!(
        matches!(error, DeployError::ConfirmationRequired { .. }),
        "{error}"
    );
    assert_eq!(update.num_calls(), 0);
}
