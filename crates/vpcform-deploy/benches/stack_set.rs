//! The deployer's own overhead for a StackSet of 100 instances (50 accounts × 2 regions), with
//! CloudFormation mocked to answer at once: everything measured is vpcform's (planning, the SDK
//! client's serialization and interceptors, following the operation, the report), none of it
//! AWS's. `cargo xtask bench` runs it and writes the result into BENCHMARKS.md.
//!
//! Prints one line: `create <median> <min> <max> unchanged <median> <min> <max>` in ms.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::create_stack_instances::CreateStackInstancesOutput;
use aws_sdk_cloudformation::operation::create_stack_set::CreateStackSetOutput;
use aws_sdk_cloudformation::operation::describe_stack_instance::DescribeStackInstanceOutput;
use aws_sdk_cloudformation::operation::describe_stack_set::{
    DescribeStackSetError, DescribeStackSetOutput,
};
use aws_sdk_cloudformation::operation::describe_stack_set_operation::DescribeStackSetOperationOutput;
use aws_sdk_cloudformation::operation::list_stack_instances::ListStackInstancesOutput;
use aws_sdk_cloudformation::operation::list_stack_set_operation_results::ListStackSetOperationResultsOutput;
use aws_sdk_cloudformation::types::error::StackSetNotFoundException;
use aws_sdk_cloudformation::types::{
    StackInstance, StackInstanceStatus, StackInstanceSummary, StackSet, StackSetOperation,
    StackSetOperationResultStatus, StackSetOperationResultSummary, StackSetOperationStatus,
    StackSetStatus,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use vpcform_deploy::{
    DeployOptions, Deployer, RecordingUi, StackSetSpec, StackSetTargets, StackTemplate,
};

const BODY: &str =
    r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}}}}"#;
const REGIONS: [&str; 2] = ["us-east-1", "eu-west-1"];

fn accounts() -> Vec<String> {
    (0..50)
        .map(|i| format!("{:012}", 100_000_000_000u64 + i))
        .collect()
}

fn stack() -> StackTemplate {
    let mut stack = StackTemplate::new("Baseline", BODY);
    stack.stack_set = Some(StackSetSpec {
        targets: StackSetTargets::accounts(accounts()),
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        ..StackSetSpec::default()
    });
    stack
}

fn instances() -> ListStackInstancesOutput {
    let mut out = ListStackInstancesOutput::builder();
    for account in accounts() {
        for region in REGIONS {
            out = out.summaries(
                StackInstanceSummary::builder()
                    .account(&account)
                    .region(region)
                    .status(StackInstanceStatus::Current)
                    .build(),
            );
        }
    }
    out.build()
}

fn described() -> DescribeStackSetOutput {
    DescribeStackSetOutput::builder()
        .stack_set(
            StackSet::builder()
                .stack_set_name("Baseline")
                .status(StackSetStatus::Active)
                .template_body(BODY)
                .build(),
        )
        .build()
}

fn rules(created: bool) -> Vec<Rule> {
    let describe = if created {
        mock!(Client::describe_stack_set).then_output(described)
    } else {
        mock!(Client::describe_stack_set)
            .sequence()
            .error(|| {
                DescribeStackSetError::StackSetNotFoundException(
                    StackSetNotFoundException::builder().build(),
                )
            })
            .output(described)
            .repeatedly()
            .build()
    };
    let listed = if created {
        mock!(Client::list_stack_instances).then_output(instances)
    } else {
        mock!(Client::list_stack_instances)
            .sequence()
            .output(|| ListStackInstancesOutput::builder().build())
            .output(instances)
            .repeatedly()
            .build()
    };
    vec![
        describe,
        listed,
        mock!(Client::describe_stack_instance).then_output(|| {
            DescribeStackInstanceOutput::builder()
                .stack_instance(StackInstance::builder().build())
                .build()
        }),
        mock!(Client::create_stack_set).then_output(|| {
            CreateStackSetOutput::builder()
                .stack_set_id("Baseline:1")
                .build()
        }),
        mock!(Client::create_stack_instances).then_output(|| {
            CreateStackInstancesOutput::builder()
                .operation_id("op")
                .build()
        }),
        mock!(Client::describe_stack_set_operation).then_output(|| {
            DescribeStackSetOperationOutput::builder()
                .stack_set_operation(
                    StackSetOperation::builder()
                        .status(StackSetOperationStatus::Succeeded)
                        .build(),
                )
                .build()
        }),
        mock!(Client::list_stack_set_operation_results).then_output(|| {
            let mut out = ListStackSetOperationResultsOutput::builder();
            for account in accounts() {
                for region in REGIONS {
                    out = out.summaries(
                        StackSetOperationResultSummary::builder()
                            .account(&account)
                            .region(region)
                            .status(StackSetOperationResultStatus::Succeeded)
                            .build(),
                    );
                }
            }
            out.build()
        }),
    ]
}

/// One deploy of the 100-instance stack set, from a fresh deployer.
fn deploy_once(runtime: &tokio::runtime::Runtime, created: bool) -> Duration {
    let rules = rules(created);
    let refs: Vec<&Rule> = rules.iter().collect();
    let client = mock_client!(aws_sdk_cloudformation, RuleMode::MatchAny, &refs);
    let deployer = Deployer::new(
        client,
        Arc::new(RecordingUi::answering(None)),
        DeployOptions {
            yes: true,
            ..DeployOptions::default()
        },
    );
    let stacks = [stack()];
    let start = Instant::now();
    let report = runtime.block_on(deployer.deploy(&stacks, &[]));
    let took = start.elapsed();
    match report.map(vpcform_deploy::Report::into_result) {
        Ok(Ok(_)) => took,
        Ok(Err(e)) | Err(e) => panic!("{e}"),
    }
}

fn stats(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(samples[samples.len() / 2]),
        ms(samples[0]),
        ms(samples[samples.len() - 1]),
    )
}

fn main() {
    // `cargo test --benches` runs this too: once is enough there.
    let runs = if std::env::args().any(|a| a == "--bench") {
        20
    } else {
        1
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => panic!("runtime: {e}"),
    };
    for _ in 0..3.min(runs) {
        deploy_once(&runtime, false);
    }
    let create = stats((0..runs).map(|_| deploy_once(&runtime, false)).collect());
    let unchanged = stats((0..runs).map(|_| deploy_once(&runtime, true)).collect());
    println!(
        "create {:.2} {:.2} {:.2} unchanged {:.2} {:.2} {:.2}",
        create.0, create.1, create.2, unchanged.0, unchanged.1, unchanged.2
    );
}
