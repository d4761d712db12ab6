//! `Deployer::import` against aws-smithy-mocks (moto does not model IMPORT change sets):
//! answers built from the CloudFormation API Reference — GetTemplateSummary's
//! `ResourceIdentifierSummaries` (`ResourceType`, `LogicalResourceIds`, `ResourceIdentifiers`),
//! CreateChangeSet's `ChangeSetType=IMPORT` with `ResourcesToImport` (`ResourceType`,
//! `LogicalResourceId`, `ResourceIdentifier`), DescribeChangeSet's `Changes` with the action
//! `Import`, the stack status `IMPORT_COMPLETE` / `IMPORT_IN_PROGRESS`, and
//! DetectStackResourceDrift's `StackResourceDrift` (`StackResourceDriftStatus`,
//! `PropertyDifferences`).

mod common;
use common::*;

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::operation::detect_stack_resource_drift::DetectStackResourceDriftOutput;
use aws_sdk_cloudformation::operation::get_template_summary::GetTemplateSummaryOutput;
use aws_sdk_cloudformation::types::{
    ChangeAction, ChangeSetType, DifferenceType, PropertyDifference, ResourceIdentifierSummary,
    ResourceStatus, StackResourceDrift, StackResourceDriftStatus, StackStatus,
};
use aws_smithy_mocks::{Rule, mock};
use serde_json::{Value, json};
use vpcform_deploy::{
    DeployError, DeployOptions, Deployer, RecordingUi, RequireApproval, StackOutcome, StackTemplate,
};

/// The program: a VPC deployed, a subnet and a security group to adopt (each with a
/// `DeletionPolicy`), and a route table that does not exist yet.
fn program() -> Value {
    json!({"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "Subnet": {"Type": "AWS::EC2::Subnet", "DeletionPolicy": "Retain",
                   "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24"}},
        "Sg": {"Type": "AWS::EC2::SecurityGroup", "DeletionPolicy": "Retain",
               "Properties": {"GroupDescription": "web", "VpcId": {"Ref": "Vpc"},
                              "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443,
                                                       "ToPort": 443, "CidrIp": "10.0.0.0/16"}]}},
        "Table": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
    },
    "Outputs": {"SubnetId": {"Value": {"Ref": "Subnet"}}}})
}

/// What is deployed: the VPC alone, with its output.
fn deployed_template() -> Value {
    json!({"Resources": {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
    },
    "Outputs": {"VpcId": {"Value": {"Ref": "Vpc"}}}})
}

fn net(body: &Value) -> StackTemplate {
    let mut stack = StackTemplate::new("Net", body.to_string());
    stack.tags = vec![("vpcform:app".into(), "demo".into())];
    stack
}

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

fn yes() -> DeployOptions {
    DeployOptions {
        yes: true,
        ..DeployOptions::default()
    }
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// DescribeStacks by name (before the import): `before`; by ID (following it): `after`.
fn stack_states(
    before: Option<StackStatus>,
    after: impl Fn() -> DescribeStacksOutput + Send + Sync + 'static,
) -> [Rule; 2] {
    let by_name = match before {
        Some(status) => mock!(Client::describe_stacks)
            .match_requests(|r| r.stack_name() == Some("Net"))
            .then_output(move || stack(status.clone())),
        None => mock!(Client::describe_stacks)
            .match_requests(|r| r.stack_name() == Some("Net"))
            .then_error(missing),
    };
    let by_id = mock!(Client::describe_stacks)
        .match_requests(|r| r.stack_name() == Some(stack_id("Net").as_str()))
        .then_output(after);
    [by_name, by_id]
}

/// GetTemplateSummary: the identifier property of each type CloudFormation can import here
/// (`AWS::EC2::RouteTable` left out, to stand for a type it cannot).
fn summary() -> Rule {
    mock!(Client::get_template_summary).then_output(|| {
        let kind = |t: &str, id: &str, property: &str| {
            ResourceIdentifierSummary::builder()
                .resource_type(t)
                .logical_resource_ids(id)
                .resource_identifiers(property)
                .build()
        };
        GetTemplateSummaryOutput::builder()
            .resource_identifier_summaries(kind("AWS::EC2::Subnet", "Subnet", "SubnetId"))
            .resource_identifier_summaries(kind("AWS::EC2::SecurityGroup", "Sg", "GroupId"))
            .resource_identifier_summaries(kind("AWS::EC2::VPC", "Vpc", "VpcId"))
            .build()
    })
}

/// DetectStackResourceDrift: the subnet matches; the security group's description differs.
fn drift() -> Rule {
    mock!(Client::detect_stack_resource_drift).then_compute_output(|req| {
        let id = req.logical_resource_id().unwrap_or_default().to_string();
        let mut drift = StackResourceDrift::builder()
            .stack_id(stack_id("Net"))
            .logical_resource_id(&id)
            .timestamp(now());
        drift = if id == "Sg" {
            drift
                .resource_type("AWS::EC2::SecurityGroup")
                .physical_resource_id("sg-0123")
                .stack_resource_drift_status(StackResourceDriftStatus::Modified)
                .property_differences(
                    PropertyDifference::builder()
                        .property_path("/GroupDescription")
                        .expected_value("web")
                        .actual_value("made by hand")
                        .difference_type(DifferenceType::NotEqual)
                        .build(),
                )
        } else {
            drift
                .resource_type("AWS::EC2::Subnet")
                .physical_resource_id("subnet-0123")
                .stack_resource_drift_status(StackResourceDriftStatus::InSync)
        };
        DetectStackResourceDriftOutput::builder()
            .stack_resource_drift(drift.build())
            .build()
    })
}

/// Every call that changes something, to count: a refused import makes none.
struct Writes {
    create: Rule,
    execute: Rule,
    delete_change_set: Rule,
    delete_stack: Rule,
}

impl Writes {
    fn new() -> Writes {
        Writes {
            create: created(ChangeSetType::Import),
            execute: executes(),
            delete_change_set: delete_change_set(),
            delete_stack: mock!(Client::delete_stack)
                .then_output(|| DeleteStackOutput::builder().build()),
        }
    }

    fn rules(&self) -> [&Rule; 4] {
        [
            &self.create,
            &self.execute,
            &self.delete_change_set,
            &self.delete_stack,
        ]
    }

    fn none(&self) -> bool {
        self.rules().iter().all(|r| r.num_calls() == 0)
    }
}

#[tokio::test]
async fn an_import_creates_an_import_change_set_executes_it_and_detects_drift() {
    let [before, after] = stack_states(Some(StackStatus::UpdateComplete), || {
        stack(StackStatus::ImportComplete)
    });
    let template = deployed(deployed_template().to_string());
    let stale = no_stale_change_sets();
    let summary = summary();
    // CreateChangeSet: IMPORT, the two resources by their identifier properties, and the
    // deployed template plus those two — not the route table, not the program's outputs.
    let create = mock!(Client::create_change_set)
        .match_requests(|req| {
            let mut imports: Vec<String> = req
                .resources_to_import()
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {:?}",
                        r.logical_resource_id().unwrap_or_default(),
                        r.resource_type().unwrap_or_default(),
                        r.resource_identifier()
                    )
                })
                .collect();
            imports.sort();
            let body: Value =
                serde_json::from_str(req.template_body().unwrap_or("{}")).unwrap_or_default();
            let mut ids: Vec<&String> = body["Resources"]
                .as_object()
                .map(|r| r.keys().collect())
                .unwrap_or_default();
            ids.sort();
            req.change_set_type() == Some(&ChangeSetType::Import)
                && imports
                    == [
                        r#"Sg AWS::EC2::SecurityGroup Some({"GroupId": "sg-0123"})"#,
                        r#"Subnet AWS::EC2::Subnet Some({"SubnetId": "subnet-0123"})"#,
                    ]
                && ids == ["Sg", "Subnet", "Vpc"]
                && body["Outputs"] == deployed_template()["Outputs"]
                // An existing stack keeps its tags: none sent.
                && req.tags().is_empty()
        })
        .then_output(|| {
            aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput::builder()
                .id("arn:changeset")
                .stack_id(stack_id("Net"))
                .build()
        });
    let ready = change_set_ready(vec![
        change(ChangeAction::Import, "Subnet", "AWS::EC2::Subnet", None),
        change(ChangeAction::Import, "Sg", "AWS::EC2::SecurityGroup", None),
    ]);
    let execute = executes();
    let events = no_events();
    let drift = drift();
    let discard = delete_change_set();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &before, &after, &template, &stale, &summary, &create, &ready, &execute, &events,
            &drift, &discard,
        ]),
        ui.clone(),
        DeployOptions::default(),
    );
    let report = d
        .import(
            &[net(&program())],
            "Net",
            &pairs(&[("Subnet", "subnet-0123"), ("Sg", "sg-0123")]),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}: {:#?}", ui.lines()));
    assert_eq!(create.num_calls(), 1, "{:#?}", ui.lines());
    assert_eq!(execute.num_calls(), 1);
    assert_eq!(discard.num_calls(), 0);
    assert_eq!(drift.num_calls(), 2, "one detection per imported resource");
    assert!(matches!(report.outcome, StackOutcome::Deployed { .. }));
    assert_eq!(
        report.left_out,
        [("Table".to_string(), "AWS::EC2::RouteTable".to_string())]
    );
    assert!(report.drifted());
    let text = report.to_string();
    assert!(text.starts_with("Net: imported 2 resources in "), "{text}");
    assert!(
        text.contains(
            "imported Subnet AWS::EC2::Subnet (SubnetId=subnet-0123): matches the program"
        ),
        "{text}"
    );
    assert!(
        text.contains("imported Sg AWS::EC2::SecurityGroup (GroupId=sg-0123): differs from the program\n      ~ /GroupDescription: program web -> actual made by hand"),
        "{text}"
    );
    assert!(text.contains("--revert-drift"), "{text}");
    assert!(text.contains("left out (not deployed, not imported): Table AWS::EC2::RouteTable"));
    assert_eq!(report.to_json()["drift"][1]["status"], "MODIFIED");
    let lines = ui.lines();
    assert!(
        lines.iter().any(|l| l.contains("(import):")),
        "the review names the import: {lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Import") && l.contains("Subnet"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Net: left out of the import"))
    );
}

/// The `ResourcesToImport` of a CreateChangeSet request, as `Logical Type Identifier` lines.
fn to_import(
    req: &aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetInput,
) -> Vec<String> {
    let mut imports: Vec<String> = req
        .resources_to_import()
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?}",
                r.logical_resource_id().unwrap_or_default(),
                r.resource_type().unwrap_or_default(),
                r.resource_identifier()
            )
        })
        .collect();
    imports.sort();
    imports
}

/// The program's IDs (`Stack::import_existing`, the manifest's `importIds`) are imported
/// without `--resource`; one given for a logical ID overrides the program's; the deployed
/// VPC's ID is not imported again.
#[tokio::test]
async fn an_import_takes_the_programs_ids_from_the_manifest() {
    let [before, after] = stack_states(Some(StackStatus::UpdateComplete), || {
        stack(StackStatus::ImportComplete)
    });
    let template = deployed(deployed_template().to_string());
    let stale = no_stale_change_sets();
    let summary = summary();
    let create = mock!(Client::create_change_set)
        .match_requests(|req| {
            req.change_set_type() == Some(&ChangeSetType::Import)
                && to_import(req)
                    == [
                        r#"Sg AWS::EC2::SecurityGroup Some({"GroupId": "sg-0123"})"#,
                        r#"Subnet AWS::EC2::Subnet Some({"SubnetId": "subnet-0123"})"#,
                    ]
        })
        .then_output(|| {
            aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput::builder()
                .id("arn:changeset")
                .stack_id(stack_id("Net"))
                .build()
        });
    let ready = change_set_ready(vec![
        change(ChangeAction::Import, "Subnet", "AWS::EC2::Subnet", None),
        change(ChangeAction::Import, "Sg", "AWS::EC2::SecurityGroup", None),
    ]);
    let (execute, events, drift, discard) = (executes(), no_events(), drift(), delete_change_set());
    let mut entry = vpcform_assembly::ManifestStack::new("Net");
    entry.import_ids = [
        ("Subnet", "subnet-0123"),
        ("Sg", "sg-from-the-program"),
        ("Vpc", "vpc-0123"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let mut manifest = vpcform_assembly::Manifest::new("demo");
    manifest.stacks.push(entry);
    let stack = StackTemplate::from_assembly(&manifest, &manifest.stacks[0], program().to_string());
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[
            &before, &after, &template, &stale, &summary, &create, &ready, &execute, &events,
            &drift, &discard,
        ]),
        ui.clone(),
        yes(),
    );
    let report = d
        .import(&[stack], "Net", &pairs(&[("Sg", "sg-0123")]))
        .await
        .unwrap_or_else(|e| panic!("{e}: {:#?}", ui.lines()));
    assert_eq!(create.num_calls(), 1, "{:#?}", ui.lines());
    assert_eq!(execute.num_calls(), 1);
    assert!(matches!(report.outcome, StackOutcome::Deployed { .. }));
    assert!(report.to_string().contains("(SubnetId=subnet-0123)"));
}

#[tokio::test]
async fn an_import_into_a_stack_not_deployed_creates_it_with_the_programs_tags() {
    let [before, after] = stack_states(None, || stack(StackStatus::ImportComplete));
    let summary = summary();
    let body = program();
    let create = mock!(Client::create_change_set)
        .match_requests(|req| {
            let body: Value =
                serde_json::from_str(req.template_body().unwrap_or("{}")).unwrap_or_default();
            req.change_set_type() == Some(&ChangeSetType::Import)
                && body["Resources"].as_object().map(|r| r.len()) == Some(1)
                && body.get("Outputs").is_none()
                && req.tags().len() == 1
        })
        .then_output(|| {
            aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput::builder()
                .stack_id(stack_id("Net"))
                .build()
        });
    let ready = change_set_ready(vec![change(
        ChangeAction::Import,
        "Vpc",
        "AWS::EC2::VPC",
        None,
    )]);
    let execute = executes();
    let events = no_events();
    let drift = drift();
    let ui = Arc::new(RecordingUi::answering(None));
    let mut with_policy = body.clone();
    with_policy["Resources"]["Vpc"]["DeletionPolicy"] = json!("Retain");
    let d = deployer(
        client(&[
            &before, &after, &summary, &create, &ready, &execute, &events, &drift,
        ]),
        ui.clone(),
        DeployOptions::default(),
    );
    let report = d
        .import(&[net(&with_policy)], "Net", &pairs(&[("Vpc", "vpc-0123")]))
        .await
        .expect("imported into a new stack");
    assert_eq!(create.num_calls(), 1, "{:#?}", ui.lines());
    assert_eq!(report.imported.len(), 1);
    assert_eq!(report.left_out.len(), 3, "the rest is for a deploy");
}

/// `--resource` pairs, `(logical ID, physical ID)`.
type Named = Vec<(String, String)>;

/// Each rule refuses before anything changes, with one line naming the resource and the fix.
#[tokio::test]
async fn each_refusal_changes_nothing() {
    let mut changed = program();
    changed["Resources"]["Vpc"]["Properties"]["CidrBlock"] = json!("10.9.0.0/16");
    let mut not_importable = program();
    not_importable["Resources"]["Table"]["DeletionPolicy"] = json!("Retain");
    // (the program, the resources named, what the refusal says)
    let cases: Vec<(Value, Named, &str)> = vec![
        (
            program(),
            pairs(&[("Table", "rtb-0123")]),
            "Table (AWS::EC2::RouteTable) has no DeletionPolicy",
        ),
        (
            changed,
            pairs(&[("Subnet", "subnet-0123")]),
            "Vpc (AWS::EC2::VPC) is deployed and the program changes it (CidrBlock)",
        ),
        (
            not_importable,
            pairs(&[("Table", "rtb-0123")]),
            "Table (AWS::EC2::RouteTable): CloudFormation cannot import this type",
        ),
        (
            program(),
            pairs(&[("Subnett", "subnet-0123")]),
            "the program's template of Net has no resource Subnett; name one not deployed: \
             Subnet (AWS::EC2::Subnet), Sg (AWS::EC2::SecurityGroup), Table (AWS::EC2::RouteTable)",
        ),
        (
            program(),
            pairs(&[("Vpc", "vpc-0123")]),
            "Vpc (AWS::EC2::VPC) is already in the stack",
        ),
        (
            program(),
            vec![],
            "the resources not deployed need a physical ID each: Subnet (AWS::EC2::Subnet), Sg \
             (AWS::EC2::SecurityGroup), Table (AWS::EC2::RouteTable)",
        ),
    ];
    for (body, named, expected) in cases {
        let [before, after] = stack_states(Some(StackStatus::UpdateComplete), || {
            stack(StackStatus::UpdateComplete)
        });
        let template = deployed(deployed_template().to_string());
        let summary = summary();
        let writes = Writes::new();
        let mut rules = vec![&before, &after, &template, &summary];
        rules.extend(writes.rules());
        let d = deployer(
            client(&rules),
            Arc::new(RecordingUi::answering(Some(true))),
            yes(),
        );
        let error = d
            .import(&[net(&body)], "Net", &named)
            .await
            .expect_err(expected);
        let DeployError::ImportRefused { .. } = &error else {
            panic!("{expected}: {error}")
        };
        let line = error.to_string();
        assert!(line.contains(expected), "{line}");
        assert!(line.starts_with("Net: cannot import: "), "{line}");
        assert!(line.ends_with("(nothing was changed)"), "{line}");
        assert!(!line.contains('\n'), "one line: {line}");
        assert!(writes.none(), "{expected}: something was changed");
    }
}

#[tokio::test]
async fn a_declined_import_deletes_its_change_set_and_imports_nothing() {
    let [before, after] = stack_states(Some(StackStatus::UpdateComplete), || {
        stack(StackStatus::UpdateComplete)
    });
    let template = deployed(deployed_template().to_string());
    let stale = no_stale_change_sets();
    let summary = summary();
    let writes = Writes::new();
    let ready = change_set_ready(vec![change(
        ChangeAction::Import,
        "Subnet",
        "AWS::EC2::Subnet",
        None,
    )]);
    let drift = drift();
    let ui = Arc::new(RecordingUi::answering(Some(false)));
    let mut rules = vec![&before, &after, &template, &stale, &summary, &ready, &drift];
    rules.extend(writes.rules());
    let d = deployer(
        client(&rules),
        ui.clone(),
        DeployOptions {
            require_approval: RequireApproval::AnyChange,
            ..DeployOptions::default()
        },
    );
    let error = d
        .import(
            &[net(&program())],
            "Net",
            &pairs(&[("Subnet", "subnet-0123")]),
        )
        .await
        .expect_err("declined");
    assert!(matches!(error, DeployError::Declined { .. }), "{error}");
    assert_eq!(writes.create.num_calls(), 1);
    assert_eq!(writes.execute.num_calls(), 0, "not executed");
    assert_eq!(
        writes.delete_change_set.num_calls(),
        1,
        "the change set is deleted"
    );
    assert_eq!(drift.num_calls(), 0);

    // Without a terminal to ask, the same import needs --yes.
    let writes = Writes::new();
    let mut rules = vec![&before, &after, &template, &stale, &summary, &ready];
    rules.extend(writes.rules());
    let d = deployer(
        client(&rules),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions {
            require_approval: RequireApproval::AnyChange,
            ..DeployOptions::default()
        },
    );
    let error = d
        .import(
            &[net(&program())],
            "Net",
            &pairs(&[("Subnet", "subnet-0123")]),
        )
        .await
        .expect_err("no terminal");
    assert!(
        matches!(error, DeployError::ConfirmationRequired { .. }),
        "{error}"
    );
    assert_eq!(writes.execute.num_calls(), 0);
}

#[tokio::test]
async fn an_import_interrupted_while_cloudformation_imports_reports_the_stacks_state() {
    let [before, after] = stack_states(Some(StackStatus::UpdateComplete), || {
        stack(StackStatus::ImportInProgress)
    });
    let template = deployed(deployed_template().to_string());
    let stale = no_stale_change_sets();
    let summary = summary();
    let writes = Writes::new();
    let ready = change_set_ready(vec![change(
        ChangeAction::Import,
        "Subnet",
        "AWS::EC2::Subnet",
        None,
    )]);
    let events = no_events();
    let drift = drift();
    let mut rules = vec![
        &before, &after, &template, &stale, &summary, &ready, &events, &drift,
    ];
    rules.extend(writes.rules());
    let d = deployer(
        client(&rules),
        Arc::new(RecordingUi::answering(None)),
        yes(),
    );
    let stopper = d.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        stopper.interrupt();
    });
    let error = d
        .import(
            &[net(&program())],
            "Net",
            &pairs(&[("Subnet", "subnet-0123")]),
        )
        .await
        .expect_err("interrupted");
    assert!(error.is_interrupt(), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("Net: interrupted; the stack is IMPORT_IN_PROGRESS"),
        "{error}"
    );
    assert_eq!(writes.execute.num_calls(), 1);
    assert_eq!(
        drift.num_calls(),
        0,
        "no drift detection on an unfinished import"
    );
}

#[tokio::test]
async fn no_execute_leaves_the_import_change_set_for_review() {
    let [before, after] = stack_states(Some(StackStatus::UpdateComplete), || {
        stack(StackStatus::UpdateComplete)
    });
    let template = deployed(deployed_template().to_string());
    let stale = no_stale_change_sets();
    let summary = summary();
    let writes = Writes::new();
    let ready = change_set_ready(vec![change(
        ChangeAction::Import,
        "Subnet",
        "AWS::EC2::Subnet",
        None,
    )]);
    let mut rules = vec![&before, &after, &template, &stale, &summary, &ready];
    rules.extend(writes.rules());
    let d = deployer(
        client(&rules),
        Arc::new(RecordingUi::answering(None)),
        DeployOptions {
            no_execute: true,
            ..DeployOptions::default()
        },
    );
    let report = d
        .import(
            &[net(&program())],
            "Net",
            &pairs(&[("Subnet", "subnet-0123")]),
        )
        .await
        .expect("left for review");
    assert!(matches!(
        report.outcome,
        StackOutcome::ChangeSetCreated { .. }
    ));
    assert_eq!(writes.execute.num_calls(), 0);
    assert_eq!(writes.delete_change_set.num_calls(), 0, "kept for review");
    assert!(report.drift.is_empty());
}

/// An import change set left by `--no-execute` and executed with `deploy STACK --change-set
/// NAME` is followed as an import: IMPORT_COMPLETE is its success.
#[tokio::test]
async fn an_import_change_set_executed_after_review_succeeds_at_import_complete() {
    let [before, after] = stack_states(Some(StackStatus::UpdateComplete), || {
        stack(StackStatus::ImportComplete)
    });
    let described = mock!(Client::describe_change_set).then_output(|| {
        aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput::builder()
            .status(aws_sdk_cloudformation::types::ChangeSetStatus::CreateComplete)
            .execution_status(aws_sdk_cloudformation::types::ExecutionStatus::Available)
            .description("Created by vpcform")
            .changes(change(
                ChangeAction::Import,
                "Subnet",
                "AWS::EC2::Subnet",
                None,
            ))
            .build()
    });
    let template = deployed(deployed_template().to_string());
    let execute = executes();
    let events = no_events();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(
        client(&[&before, &after, &described, &template, &execute, &events]),
        ui.clone(),
        DeployOptions::default(),
    );
    let report = d
        .deploy_change_set(&[net(&program())], &["Net".to_string()], "vpcform-1")
        .await
        .expect("one stack named");
    let outcomes = report
        .into_result()
        .unwrap_or_else(|e| panic!("{e}: {:#?}", ui.lines()));
    assert!(matches!(outcomes[0].1, StackOutcome::Deployed { .. }));
    assert_eq!(execute.num_calls(), 1);
    assert!(
        ui.lines()
            .iter()
            .any(|l| l.contains("change set vpcform-1 (import):")),
        "{:#?}",
        ui.lines()
    );
}

/// Ctrl-C while CloudFormation makes the import change set: it is deleted, nothing imported.
#[tokio::test]
async fn an_import_interrupted_before_execution_deletes_its_change_set() {
    let [before, after] = stack_states(Some(StackStatus::UpdateComplete), || {
        stack(StackStatus::UpdateComplete)
    });
    let template = deployed(deployed_template().to_string());
    let stale = no_stale_change_sets();
    let summary = summary();
    let writes = Writes::new();
    let pending = mock!(Client::describe_change_set).then_output(|| {
        aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput::builder()
            .status(aws_sdk_cloudformation::types::ChangeSetStatus::CreateInProgress)
            .build()
    });
    let mut rules = vec![&before, &after, &template, &stale, &summary, &pending];
    rules.extend(writes.rules());
    let d = deployer(
        client(&rules),
        Arc::new(RecordingUi::answering(None)),
        yes(),
    );
    let stopper = d.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        stopper.interrupt();
    });
    let error = d
        .import(
            &[net(&program())],
            "Net",
            &pairs(&[("Subnet", "subnet-0123")]),
        )
        .await
        .expect_err("interrupted");
    assert!(
        matches!(error, DeployError::InterruptedBeforeExecution { .. }),
        "{error}"
    );
    assert_eq!(writes.create.num_calls(), 1);
    assert_eq!(writes.execute.num_calls(), 0);
    assert_eq!(
        writes.delete_change_set.num_calls(),
        1,
        "the change set is deleted"
    );
}

/// An import CloudFormation cannot complete rolls back (`IMPORT_ROLLBACK_COMPLETE`): a failure
/// of the import naming the first resource that failed, and no drift detection.
#[tokio::test]
async fn a_failed_import_names_the_first_failed_resource() {
    let [before, after] = stack_states(Some(StackStatus::UpdateComplete), || {
        stack(StackStatus::ImportRollbackComplete)
    });
    let template = deployed(deployed_template().to_string());
    let stale = no_stale_change_sets();
    let summary = summary();
    let writes = Writes::new();
    let ready = change_set_ready(vec![change(
        ChangeAction::Import,
        "Subnet",
        "AWS::EC2::Subnet",
        None,
    )]);
    let events = mock!(Client::describe_stack_events)
        .sequence()
        .output(|| {
            aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput::builder()
                .build()
        })
        .output(|| {
            aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput::builder()
                .stack_events(event(
                    "e2",
                    "Subnet",
                    "AWS::EC2::Subnet",
                    ResourceStatus::ImportFailed,
                    "subnet-0123 does not exist",
                ))
                .stack_events(event(
                    "e1",
                    "Net",
                    "AWS::CloudFormation::Stack",
                    ResourceStatus::ImportInProgress,
                    "User Initiated",
                ))
                .build()
        })
        .repeatedly()
        .build();
    let drift = drift();
    let mut rules = vec![
        &before, &after, &template, &stale, &summary, &ready, &events, &drift,
    ];
    rules.extend(writes.rules());
    let d = deployer(
        client(&rules),
        Arc::new(RecordingUi::answering(None)),
        yes(),
    );
    let error = d
        .import(
            &[net(&program())],
            "Net",
            &pairs(&[("Subnet", "subnet-0123")]),
        )
        .await
        .expect_err("rolled back");
    assert_eq!(
        error.to_string(),
        "Net: import failed; the stack is IMPORT_ROLLBACK_COMPLETE. First failure: Subnet \
         (AWS::EC2::Subnet) IMPORT_FAILED: subnet-0123 does not exist"
    );
    assert_eq!(drift.num_calls(), 0);
}
