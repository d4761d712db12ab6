//! End to end over HTTP: deploy, redeploy, change, diff and destroy against a moto server that
//! this harness starts on 127.0.0.1 and stops afterwards. See `../shared/docs/emulator.md` for
//! what moto emulates; the states it cannot produce are tested with mocks in vpcform-deploy.

#[allow(dead_code)]
#[path = "../../../examples/private_endpoints.rs"]
mod private_endpoints;

mod common;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::config::Credentials;
use common::{Moto, private_endpoints_command};
use vpcform::endpoints::ServiceName;
use vpcform::prelude::*;
use vpcform::transit::VpcPeering;
use vpcform::vpc::Ipv6Block;
use vpcform::vpc::{EgressOnlyInternetGateway, FlowLog, FlowLogDestination, RouteDestination};
use vpcform_deploy::{
    DeployOptions, Deployer, RecordingUi, ResourceChange, S3Access, StackOutcome, StackTemplate,
};

fn deployer(client: &Client, ui: Arc<RecordingUi>) -> Deployer {
    let options = DeployOptions {
        yes: true,
        poll_interval: Duration::from_millis(200),
        ..DeployOptions::default()
    };
    Deployer::new(client.clone(), ui, options)
}

fn templates(app: &App) -> Vec<vpcform_deploy::StackTemplate> {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    common::templates(&assembly)
}

/// Destroys the stacks. moto never deletes a route table, so its DeleteStack answers
/// DependencyViolation for the VPC and then drops the stack anyway (emulator.md, "Partial or
/// wrong"); that one answer is accepted, any other error fails the test.
async fn destroy(d: &Deployer, stacks: &[vpcform_deploy::StackTemplate]) {
    match d
        .destroy(stacks, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
    {
        Ok(_) => {}
        Err(vpcform_deploy::DeployError::Aws {
            operation: "DeleteStack",
            code,
            ..
        }) if code == "DependencyViolation" => {}
        Err(e) => panic!("{e}"),
    }
}

/// A resource's physical ID, through CloudFormation's API.
async fn physical_id(client: &Client, stack: &str, logical_id: &str) -> String {
    let resource = client
        .describe_stack_resource()
        .stack_name(stack)
        .logical_resource_id(logical_id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{stack}/{logical_id}: {e}"));
    resource
        .stack_resource_detail()
        .and_then(|r| r.physical_resource_id())
        .unwrap_or_default()
        .to_string()
}

/// The stack's status and its resources' logical IDs, through CloudFormation's API.
async fn deployed(client: &Client, stack: &str) -> Option<(String, Vec<String>)> {
    let stacks = client
        .describe_stacks()
        .stack_name(stack)
        .send()
        .await
        .ok()?;
    let status = stacks
        .stacks()
        .first()?
        .stack_status()?
        .as_str()
        .to_string();
    let resources = client
        .list_stack_resources()
        .stack_name(stack)
        .send()
        .await
        .expect("list resources");
    let mut ids: Vec<String> = resources
        .stack_resource_summaries()
        .iter()
        .filter_map(|r| r.logical_resource_id().map(str::to_string))
        .collect();
    ids.sort();
    Some((status, ids))
}

#[tokio::test(flavor = "multi_thread")]
async fn private_endpoints_deploy_redeploy_change_diff_destroy() {
    let Some(moto) = Moto::start() else { return };
    let client = moto.client();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&client, ui.clone());
    let first = templates(&private_endpoints::app(false));

    // Deploy.
    let outcomes = d
        .deploy(&first, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert!(
        matches!(outcomes[0].1, StackOutcome::Deployed { .. }),
        "{outcomes:?}"
    );
    let (status, ids) = deployed(&client, "PrivateEndpoints")
        .await
        .expect("stack exists");
    assert_eq!(status, "CREATE_COMPLETE");
    assert_eq!(ids.len(), 12, "{ids:?}");
    for id in [
        "S3Gateway",
        "DynamoDbGateway",
        "SqsEndpoint",
        "EcrApiEndpoint",
        "Workload",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }
    // moto reports no Outputs for stacks made through change sets (the mocked tests cover
    // outputs); the VPC's physical ID comes from the stack's resources instead.
    let vpc_id = physical_id(&client, "PrivateEndpoints", "Workload").await;
    assert!(vpc_id.starts_with("vpc-"), "{vpc_id}");

    // Deploy again: no changes.
    let outcomes = d
        .deploy(&first, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .expect("redeploy");
    assert_eq!(outcomes[0].1, StackOutcome::NoChanges);
    let (status, unchanged) = deployed(&client, "PrivateEndpoints")
        .await
        .expect("stack exists");
    assert_eq!(status, "CREATE_COMPLETE", "no update was executed");
    assert_eq!(unchanged, ids);

    // Change: add an STS endpoint; diff shows exactly that.
    let second = templates(&private_endpoints::app(true));
    let diffs = d.diff(&second, &[]).await.expect("diff");
    let added: Vec<&str> = diffs[0]
        .resources
        .iter()
        .filter(|r| r.change == ResourceChange::Added)
        .map(|r| r.logical_id.as_str())
        .collect();
    assert_eq!(added, ["StsEndpoint"], "{}", diffs[0]);
    assert_eq!(diffs[0].resources.len(), 1, "{}", diffs[0]);
    assert!(
        diffs[0]
            .other
            .iter()
            .any(|c| c.path == "Outputs.StsEndpointId"),
        "{}",
        diffs[0]
    );

    // Deploy the change.
    let outcomes = d
        .deploy(&second, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .expect("update");
    assert!(
        matches!(outcomes[0].1, StackOutcome::Deployed { .. }),
        "{outcomes:?}"
    );
    let (status, ids) = deployed(&client, "PrivateEndpoints")
        .await
        .expect("stack exists");
    assert_eq!(status, "UPDATE_COMPLETE");
    assert!(ids.contains(&"StsEndpoint".to_string()), "{ids:?}");
    assert!(d.diff(&second, &[]).await.expect("diff")[0].is_empty());

    // Destroy.
    destroy(&d, &second).await;
    assert!(
        deployed(&client, "PrivateEndpoints").await.is_none(),
        "stack gone"
    );
}

/// The consumer half of the PrivateLink topology, as a consumer in another account deploys it:
/// the provider's service name arrives as text.
fn consumer_with_service_name() -> App {
    vpcform::topology! { stack Consumer { vpc VpcA } }
    let mut consumer = Stack::<Consumer>::new("Consumer");
    let vpc = consumer.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let a1 = consumer.add(
        "PrivateA1",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let a2 = consumer.add(
        "PrivateA2",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.2.0/24"))
            .availability_zone(Az::index(1))
            .build(),
    );
    let routes = consumer.add(
        "RoutesA",
        RouteTable::builder().vpc(&vpc).subnets([&a1, &a2]).build(),
    );
    let sg = consumer.add(
        "EndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16")))])
            .build(),
    );
    let endpoint = consumer.add(
        "ServiceEndpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(ServiceName::new(
                "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
            ))
            .subnets([&a1, &a2])
            .security_groups([&sg])
            .build(),
    );
    consumer.add(
        "S3Gateway",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .build(),
    );
    consumer.output("ServiceEndpointId", &endpoint);
    let mut app = App::new("consumer");
    app.add_stack(consumer);
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn privatelink_consumer_with_a_service_name_given_as_text() {
    let Some(moto) = Moto::start() else { return };
    let client = moto.client();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&client, ui.clone());
    let stacks = templates(&consumer_with_service_name());
    d.deploy(&stacks, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    let (status, ids) = deployed(&client, "Consumer").await.expect("stack exists");
    assert_eq!(status, "CREATE_COMPLETE");
    assert!(ids.contains(&"ServiceEndpoint".to_string()), "{ids:?}");
    let physical = physical_id(&client, "Consumer", "ServiceEndpoint").await;
    assert!(physical.starts_with("vpce-"), "{physical}");
    destroy(&d, &stacks).await;
    assert!(deployed(&client, "Consumer").await.is_none());
}

vpcform::topology! {
    stack Routed { vpc Left, vpc Right }
}

/// Two VPCs peered, each routing the other's block to the connection, and a transit gateway
/// the left VPC routes 10.16.0.0/12 to through its attachment: what moto models of the
/// multi-VPC constructs (emulator.md, "Multi-VPC resources": the attachment itself is
/// skipped by moto, the routes are created).
fn routed() -> App {
    let mut stack = Stack::<Routed>::new("Routed");
    let left = stack.add(
        "Left",
        Vpc::<Left>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let right = stack.add(
        "Right",
        Vpc::<Right>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let l1 = stack.add(
        "L1",
        Subnet::builder()
            .vpc(&left)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let left_routes = stack.add(
        "LeftRoutes",
        RouteTable::builder().vpc(&left).subnets([&l1]).build(),
    );
    let right_routes = stack.add("RightRoutes", RouteTable::builder().vpc(&right).build());
    let peering = stack.add(
        "LeftRight",
        VpcPeering::builder().vpc(&left).peer(&right).build(),
    );
    stack.add(
        "LeftToRight",
        Route::builder()
            .route_table(&left_routes)
            .destination(cidr!("10.1.0.0/16"))
            .target(&peering)
            .build(),
    );
    stack.add(
        "RightToLeft",
        Route::builder()
            .route_table(&right_routes)
            .destination(cidr!("10.0.0.0/16"))
            .target(peering.accepter())
            .build(),
    );
    // moto needs a Description on a transit gateway (emulator.md).
    let tgw = stack.add(
        "Tgw",
        TransitGateway::builder().description("to the rest").build(),
    );
    let attachment = stack.add(
        "LeftAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&left)
            .transit_gateway(&tgw)
            .subnets([&l1])
            .build(),
    );
    stack.add(
        "ToTgw",
        Route::builder()
            .route_table(&left_routes)
            .destination(cidr!("10.16.0.0/12"))
            .target(&attachment)
            .build(),
    );
    let mut app = App::new("routed");
    app.add_stack(stack);
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn peering_and_transit_gateway_routes_deploy() {
    let Some(moto) = Moto::start() else { return };
    let client = moto.client();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&client, ui.clone());
    let stacks = templates(&routed());
    d.deploy(&stacks, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    let (status, ids) = deployed(&client, "Routed").await.expect("stack exists");
    assert_eq!(status, "CREATE_COMPLETE");
    for id in ["LeftRight", "LeftToRight", "RightToLeft", "Tgw", "ToTgw"] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }
    let pcx = physical_id(&client, "Routed", "LeftRight").await;
    assert!(pcx.starts_with("pcx-"), "{pcx}");
    let tgw = physical_id(&client, "Routed", "Tgw").await;
    assert!(tgw.starts_with("tgw-"), "{tgw}");
    destroy(&d, &stacks).await;
}

vpcform::topology! {
    stack Observed { vpc Dual }
}

/// A VPC with an IPv6 block, an egress-only internet gateway and its `::/0` route, a flow log
/// to CloudWatch Logs (log group and delivery role, so the stack needs CAPABILITY_IAM, which
/// synthesis asks for) and construct tags. The subnet stays IPv4: moto answers `Fn::GetAtt`
/// of a VPC's `Ipv6CidrBlocks` with a ValidationError (emulator.md).
fn observed() -> App {
    let mut stack = Stack::<Observed>::new("Observed").tag("team", "network");
    let vpc = stack.add(
        "Dual",
        Vpc::<Dual>::builder()
            .cidr(cidr!("10.5.0.0/16"))
            .ipv6(Ipv6Block::AmazonProvided)
            .tags([("cost-centre", "net-42")])
            .build(),
    );
    let subnet = stack.add(
        "Private",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.5.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&subnet]).build(),
    );
    let egress = stack.add(
        "Egress6",
        EgressOnlyInternetGateway::builder().vpc(&vpc).build(),
    );
    stack.add(
        "Default6",
        Route::builder()
            .route_table(&routes)
            .destination(RouteDestination::any_ipv6())
            .target(&egress)
            .build(),
    );
    stack.add(
        "DualFlowLog",
        FlowLog::builder()
            .resource(&vpc)
            .destination(FlowLogDestination::cloud_watch_logs().retention_days(30))
            .build(),
    );
    let mut app = App::new("observed");
    app.add_stack(stack);
    app
}

#[tokio::test(flavor = "multi_thread")]
async fn flow_logs_an_egress_only_gateway_and_ipv6_routes_deploy() {
    let Some(moto) = Moto::start() else { return };
    let client = moto.client();
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&client, ui.clone());
    let stacks = templates(&observed());
    assert_eq!(stacks[0].capabilities, ["CAPABILITY_IAM"]);
    d.deploy(&stacks, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    let lines = ui.lines();
    assert!(
        !lines.iter().any(|l| l.contains("retrying")),
        "no call failed and was retried: {lines:#?}"
    );
    let (status, ids) = deployed(&client, "Observed").await.expect("stack exists");
    assert_eq!(status, "CREATE_COMPLETE");
    // moto lists the VPC's IPv6 block and the egress-only gateway without their logical IDs
    // (emulator.md); the route that needs both was created.
    for id in [
        "Default6",
        "DualFlowLogLogGroup",
        "DualFlowLogRole",
        "DualFlowLog",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }
    destroy(&d, &stacks).await;
}

/// The command line end to end: `deploy --yes --outputs-file F` writes every deployed stack's
/// outputs as CDK does, and the summary lists the stack (moto answers change-set stacks
/// without outputs, so the file holds the stack with none: the values are proven by
/// vpcform-deploy's mocked `outputs_of_a_deployed_stack_and_of_none`).
#[tokio::test(flavor = "multi_thread")]
async fn the_cli_writes_the_outputs_file() {
    let Some(moto) = Moto::start() else { return };
    let dir = std::env::temp_dir().join(format!("vpcform-outputs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("outputs.json");
    let run = |verb: &[&str]| {
        private_endpoints_command(&format!("http://127.0.0.1:{}", moto.port))
            .args(verb)
            .arg("--out")
            .arg(&dir)
            .output()
            .expect("run the example")
    };
    let output = run(&["deploy", "--yes", "--outputs-file", &file.to_string_lossy()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("PrivateEndpoints: deployed in"), "{stdout}");
    assert!(stdout.contains("outputs -> "), "{stdout}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("outputs file")).expect("JSON");
    assert!(written["PrivateEndpoints"].is_object(), "{written}");
    // Again, with no changes: the stack is still in the file (its outputs read back).
    let _ = std::fs::remove_file(&file);
    let output = run(&["deploy", "--yes", "--outputs-file", &file.to_string_lossy()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("PrivateEndpoints: no changes"), "{stdout}");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("outputs file")).expect("JSON");
    assert!(written["PrivateEndpoints"].is_object(), "{written}");
    // No destroy: moto cannot delete the stack's route tables (emulator.md), and the server
    // goes with the test.
    let _ = std::fs::remove_dir_all(&dir);
}

/// A VPC and `groups` security groups in it: a template of `groups + 1` resources.
fn many_groups(groups: usize) -> String {
    let mut resources = serde_json::Map::new();
    resources.insert(
        "Vpc".into(),
        serde_json::json!({"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}),
    );
    for i in 0..groups {
        resources.insert(
            format!("Group{i:03}"),
            serde_json::json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {
                "GroupDescription": format!("Application tier {i}: HTTPS from the VPC only"),
                "VpcId": {"Ref": "Vpc"},
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                    "CidrIp": "10.0.0.0/16", "Description": "HTTPS from the VPC"}],
                "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                    "CidrIp": "10.0.0.0/16", "Description": "HTTPS to the VPC"}]}}),
        );
    }
    serde_json::json!({"Resources": resources}).to_string()
}

/// A 300-resource template (over 51,200 bytes) is uploaded to S3 and deployed by TemplateURL:
/// the first time through a bootstrap stack vpcform creates; a redeploy reuses the bucket and
/// finds no changes.
#[tokio::test(flavor = "multi_thread")]
async fn a_300_resource_stack_deploys_through_s3_and_the_bootstrap_stack() {
    let Some(moto) = Moto::start() else { return };
    let client = moto.client();
    let ui = Arc::new(RecordingUi::answering(None));
    let s3 = || {
        S3Access::new(
            "us-east-1",
            Credentials::new("testing", "testing", None, None, "tests"),
            Some(format!("http://127.0.0.1:{}", moto.port)),
        )
    };
    let d = deployer(&client, ui.clone()).with_s3(s3());
    let body = many_groups(299);
    assert!(
        body.len() > vpcform_deploy::MAX_TEMPLATE_BODY_BYTES,
        "{} bytes",
        body.len()
    );
    let stacks = [StackTemplate::new("Large", body)];
    let outcomes = d
        .deploy(&stacks, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert!(
        matches!(outcomes[0].1, StackOutcome::Deployed { .. }),
        "{outcomes:?}"
    );
    let resources: Vec<_> = client
        .list_stack_resources()
        .stack_name("Large")
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("resources");
    assert_eq!(resources.len(), 300);
    let (status, bootstrap) = deployed(&client, "VpcformToolkit")
        .await
        .expect("bootstrap stack");
    assert_eq!(status, "CREATE_COMPLETE");
    assert!(
        bootstrap.contains(&"TemplateBucket".to_string()),
        "{bootstrap:?}"
    );
    let lines = ui.lines();
    assert!(
        lines.iter().any(|l| l.starts_with("VpcformToolkit: ")
            && l.contains("bootstrapping this account and region")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Large: template is ") && l.contains("uploaded to s3://")),
        "{lines:#?}"
    );

    // Again: the same object, no second bootstrap, no changes.
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&client, ui.clone()).with_s3(s3());
    let outcomes = d
        .deploy(&stacks, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert_eq!(outcomes[0].1, StackOutcome::NoChanges, "{:#?}", ui.lines());
    assert!(
        !ui.lines().iter().any(|l| l.contains("bootstrapping")),
        "{:#?}",
        ui.lines()
    );
}

/// A large template for a bucket that does not exist: S3's code and message in the one-line
/// error (read from the streamed body), its request ID under `--verbose`, nothing deployed.
#[tokio::test(flavor = "multi_thread")]
async fn an_upload_to_a_missing_bucket_says_s3s_code_and_message() {
    let Some(moto) = Moto::start() else { return };
    let client = moto.client();
    let ui = Arc::new(RecordingUi::answering(None));
    let options = DeployOptions {
        yes: true,
        poll_interval: Duration::from_millis(200),
        template_bucket: Some("no-such-bucket".into()),
        ..DeployOptions::default()
    };
    let d = Deployer::new(client.clone(), ui.clone(), options).with_s3(S3Access::new(
        "us-east-1",
        Credentials::new("testing", "testing", None, None, "tests"),
        Some(format!("http://127.0.0.1:{}", moto.port)),
    ));
    let stacks = [StackTemplate::new("Large", many_groups(299))];
    let error = d
        .deploy(&stacks, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .expect_err("no such bucket");
    let vpcform_deploy::DeployError::Upload {
        reason, request_id, ..
    } = &error
    else {
        panic!("{error}")
    };
    assert!(reason.starts_with("NoSuchBucket: "), "{reason}");
    assert!(
        reason.contains("The specified bucket does not exist"),
        "S3's message: {reason}"
    );
    let text = error.to_string();
    assert!(!text.contains('\n'), "{text}");
    let id = request_id.as_deref().expect("S3's request ID");
    assert!(
        !text.contains(id),
        "the request ID only under --verbose: {text}"
    );
    assert!(
        error.verbose().contains(&format!("\n  request ID: {id}")),
        "{}",
        error.verbose()
    );
    assert_eq!(deployed(&client, "Large").await, None, "nothing deployed");
}

/// `deploy Consumer` deploys the Provider it imports from first; `--no-execute` leaves a
/// change set whose name `deploy Consumer --change-set NAME` then executes, exactly that one.
#[tokio::test(flavor = "multi_thread")]
async fn deploying_a_consumer_deploys_its_provider_and_a_reviewed_change_set_executes() {
    let Some(moto) = Moto::start() else { return };
    let client = moto.client();
    let provider = StackTemplate::new(
        "Provider",
        serde_json::json!({"Resources": {"Vpc": {"Type": "AWS::EC2::VPC",
            "Properties": {"CidrBlock": "10.1.0.0/16"}}},
            "Outputs": {"VpcId": {"Value": {"Ref": "Vpc"}, "Export": {"Name": "Provider-VpcId"}}}})
        .to_string(),
    );
    // moto keeps no exports for stacks made through change sets (TESTING.md), so the
    // Consumer names its dependency without importing: the order is what is tested.
    let consumer_with = |groups: &[&str]| {
        let mut resources = serde_json::Map::new();
        resources.insert(
            "Vpc".into(),
            serde_json::json!({"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.2.0.0/16"}}),
        );
        for name in groups {
            resources.insert(
                name.to_string(),
                serde_json::json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {
                    "GroupDescription": "endpoints", "VpcId": {"Ref": "Vpc"},
                    "SecurityGroupEgress": []}}),
            );
        }
        let mut stack = StackTemplate::new(
            "Consumer",
            serde_json::json!({"Resources": resources}).to_string(),
        );
        stack.depends_on = vec!["Provider".into()];
        stack
    };
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&client, ui.clone());
    let stacks = [provider.clone(), consumer_with(&["Endpoints"])];
    let report = d
        .deploy(&stacks, &["Consumer".to_string()])
        .await
        .expect("selected");
    let names: Vec<&str> = report.stacks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Provider", "Consumer"]);
    report
        .into_result()
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert!(
        ui.lines().contains(
            &"Provider: deployed first: Consumer imports from it (--exclusively to skip it)"
                .to_string()
        ),
        "{:#?}",
        ui.lines()
    );
    let consumer_ids = |mut ids: Vec<String>| {
        ids.retain(|id| id != "Vpc");
        ids.sort();
        ids
    };
    assert_eq!(
        consumer_ids(deployed(&client, "Consumer").await.expect("deployed").1),
        ["Endpoints"]
    );

    // Review: a change set left, not executed.
    let changed = [provider, consumer_with(&["Endpoints", "Extra"])];
    let review = Deployer::new(
        client.clone(),
        ui.clone(),
        DeployOptions {
            no_execute: true,
            poll_interval: Duration::from_millis(200),
            ..DeployOptions::default()
        },
    );
    let outcomes = review
        .deploy(&changed, &["Consumer".to_string()])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    let Some((_, StackOutcome::ChangeSetCreated { change_set })) =
        outcomes.iter().find(|(n, _)| n == "Consumer")
    else {
        panic!("{outcomes:?}")
    };
    assert_eq!(
        consumer_ids(deployed(&client, "Consumer").await.expect("deployed").1),
        ["Endpoints"],
        "not executed"
    );
    // Execute exactly that one, from templates that no longer matter.
    let report = d
        .deploy_change_set(&stacks, &["Consumer".to_string()], change_set)
        .await
        .expect("one stack");
    let outcomes = report
        .into_result()
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert_eq!(outcomes.len(), 1, "only Consumer: {outcomes:?}");
    assert_eq!(
        consumer_ids(deployed(&client, "Consumer").await.expect("deployed").1),
        ["Endpoints", "Extra"]
    );
}

/// Ctrl-C while the SDK retries an endpoint that does not answer (no moto: 127.0.0.1:1 refuses
/// connections): the program stops at once, its summary says the stack was not changed, and it
/// exits 130.
#[test]
fn ctrl_c_stops_a_retrying_deploy_at_once_with_exit_code_130() {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("vpcform-ctrl-c-{}", std::process::id()));
    let mut child = private_endpoints_command("http://127.0.0.1:1")
        .args(["deploy", "--out"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the example");
    let mut lines = std::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    // Wait for the SDK's first retry, then interrupt.
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("utf-8");
        let retrying = line.contains("retrying DescribeStacks (attempt 2)");
        seen.push(line);
        if retrying {
            break;
        }
    }
    assert!(
        seen.iter().any(|l| l.contains("retrying DescribeStacks")),
        "{seen:#?}"
    );
    let sent = Instant::now();
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("exits");
    let took = sent.elapsed();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert_eq!(status.code(), Some(130), "{rest:#?}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(
        rest.contains(
            &"  error: PrivateEndpoints: interrupted before executing; the stack was not changed"
                .to_string()
        ),
        "{rest:#?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two regions and two accounts on one moto: the Provider in us-east-1 of moto's default
/// account, the Consumer in eu-west-1 of account 111111111111 through a role (moto's STS maps
/// an assumed role's credentials to the role's account). The Consumer's import is a parameter
/// filled from the Provider's output, read in the Provider's region; a stack pinned to an
/// account the credentials are not of stops before any change.
#[tokio::test(flavor = "multi_thread")]
async fn stacks_deploy_to_their_own_account_and_region_and_parameters_cross_them() {
    let Some(moto) = Moto::start() else { return };
    vpcform::topology! { stack Provider { vpc ProviderVpc } stack Consumer { vpc ConsumerVpc } }
    let mut provider = Stack::<Provider>::new("Provider").region("us-east-1");
    let vpc = provider.add(
        "ProviderVpc",
        Vpc::<ProviderVpc>::builder()
            .cidr(cidr!("10.1.0.0/16"))
            .build(),
    );
    let vpc_id = provider.export("VpcId", &vpc);
    let mut consumer = Stack::<Consumer>::new("Consumer")
        .region("eu-west-1")
        .account("111111111111")
        .role_arn("arn:aws:iam::111111111111:role/vpcform-deploy");
    consumer.add(
        "ConsumerVpc",
        Vpc::<ConsumerVpc>::builder()
            .cidr(cidr!("10.2.0.0/16"))
            .build(),
    );
    let imported = consumer.import(&vpc_id);
    consumer.output("ProviderVpc", &imported);
    let mut app = App::new("regions");
    app.add_stack(provider);
    app.add_stack(consumer);
    let stacks = templates(&app);
    let (import, producer) = &stacks[1].parameter_imports[0];
    assert_eq!(import.parameter, "ImportProviderVpcId");
    assert_eq!(producer, &stacks[0].environment);

    // moto keeps no outputs for stacks made through change sets (TESTING.md): the Provider is
    // made with CreateStack, as an earlier deploy would have left it.
    let client = moto.client();
    client
        .create_stack()
        .stack_name("Provider")
        .template_body(&stacks[0].body)
        .send()
        .await
        .expect("provider");
    let provider_vpc = physical_id(&client, "Provider", "ProviderVpc").await;

    let connect = vpcform_deploy::SdkConnect::new()
        .endpoint_url(format!("http://127.0.0.1:{}", moto.port))
        .credentials(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                "testing", "testing", None, None, "tests",
            )),
        );
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&client, ui.clone()).with_connector(Arc::new(connect.clone()));
    let options = DeployOptions {
        yes: true,
        exclusively: true,
        poll_interval: Duration::from_millis(200),
        ..DeployOptions::default()
    };
    let only = Deployer::new(client.clone(), ui.clone(), options).with_connector(Arc::new(connect));
    only.deploy(&stacks, &["Consumer".to_string()])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert!(
        ui.lines().iter().any(|l| l
            == &format!(
                "Consumer: ImportProviderVpcId = {provider_vpc} (Provider's output VpcId, us-east-1)"
            )),
        "{:#?}",
        ui.lines()
    );

    // The Consumer is in eu-west-1 of 111111111111, with the Provider's VPC ID deployed as its
    // parameter: diff reads both back and finds nothing to change.
    let diffs = d
        .diff(&stacks, &["Consumer".to_string()])
        .await
        .expect("diff");
    let text = diffs[0].to_string();
    assert!(diffs[0].is_empty(), "{text}");
    assert!(
        text.contains(&format!(
            "= Parameters.ImportProviderVpcId (Provider's output VpcId): \"{provider_vpc}\""
        )),
        "{text}"
    );
    // Not in the ambient account and region.
    assert!(deployed(&client, "Consumer").await.is_none());

    // Pinned to an account the ambient credentials (moto's 123456789012) are not of.
    let mut elsewhere = stacks[0].clone();
    elsewhere.environment.account = Some("999999999999".into());
    let error = d.deploy(&[elsewhere], &[]).await.expect_err("mismatch");
    assert!(
        error
            .to_string()
            .contains("in account 123456789012; nothing was changed"),
        "{error}"
    );
}

/// A self-managed stack set on moto: created with an instance in each of two accounts and two
/// regions, a second deploy changes nothing, diff finds nothing, destroy removes the instances
/// and the set. (moto's operations succeed at once: failures, tolerance and interrupts are
/// tested with mocks in crates/vpcform-deploy/tests/stack_sets.rs.)
#[tokio::test(flavor = "multi_thread")]
async fn a_stack_set_rolls_out_to_two_accounts_in_two_regions_and_back() {
    let Some(moto) = Moto::start() else { return };
    let client = moto.client();
    let mut baseline = StackTemplate::new(
        "Baseline",
        serde_json::json!({"Resources": {"Vpc": {"Type": "AWS::EC2::VPC",
            "Properties": {"CidrBlock": "10.100.0.0/16"}}}})
        .to_string(),
    );
    baseline.stack_set = Some(vpcform_deploy::StackSetSpec {
        targets: vpcform_deploy::StackSetTargets::accounts(["123456789012", "111111111111"]),
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
        ..Default::default()
    });
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&client, ui.clone());
    let outcomes = d
        .deploy(std::slice::from_ref(&baseline), &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert_eq!(
        outcomes[0].1,
        StackOutcome::StackSetDeployed {
            instances: 4,
            failed: vec![]
        },
        "{:#?}",
        ui.lines()
    );
    let instances = client
        .list_stack_instances()
        .stack_set_name("Baseline")
        .send()
        .await
        .expect("instances");
    let mut listed: Vec<(String, String)> = instances
        .summaries()
        .iter()
        .map(|i| {
            (
                i.account().unwrap_or_default().to_string(),
                i.region().unwrap_or_default().to_string(),
            )
        })
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            ("111111111111".to_string(), "eu-west-1".to_string()),
            ("111111111111".to_string(), "us-east-1".to_string()),
            ("123456789012".to_string(), "eu-west-1".to_string()),
            ("123456789012".to_string(), "us-east-1".to_string()),
        ]
    );

    let again = d
        .deploy(std::slice::from_ref(&baseline), &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again[0].1, StackOutcome::NoChanges);
    let diffs = d
        .diff(std::slice::from_ref(&baseline), &[])
        .await
        .expect("diff");
    assert!(diffs[0].is_empty(), "{}", diffs[0]);

    d.destroy(std::slice::from_ref(&baseline), &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    let diffs = d
        .diff(std::slice::from_ref(&baseline), &[])
        .await
        .expect("diff");
    assert!(!diffs[0].deployed, "{}", diffs[0]);
}
