//! Unmanaged routes and rules in `drift`: a route table and a security group of a deployed
//! stack hold a route and rules added by hand, which CloudFormation's drift detection (in sync
//! here: it checks only what the template sets) does not report. CloudFormation is answered by
//! aws-smithy-mocks (moto has no drift detection: TESTING.md), EC2 by a fake connector, in the
//! shapes of the API references (ListStackResources `StackResourceSummaries`, `NextToken`;
//! EC2 DescribeRouteTables `routeTableSet`, DescribeSecurityGroups `securityGroupInfo`).

mod common;
use common::*;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::operation::describe_stack_drift_detection_status::DescribeStackDriftDetectionStatusOutput;
use aws_sdk_cloudformation::operation::describe_stack_resource_drifts::DescribeStackResourceDriftsOutput;
use aws_sdk_cloudformation::operation::detect_stack_drift::DetectStackDriftOutput;
use aws_sdk_cloudformation::operation::list_stack_resources::ListStackResourcesOutput;
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    ResourceStatus, StackDriftDetectionStatus, StackDriftStatus, StackResourceSummary,
};
use aws_smithy_mocks::{Rule, mock};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use vpcform_deploy::{
    Connection, DeployOptions, Deployer, DriftState, Environment, RecordingUi, SignedAccess,
    StackTemplate,
};

/// The deployed template: a route table with a default route to the internet gateway and an
/// S3 gateway endpoint, a web group allowing HTTPS from the VPC (no egress set: EC2's default
/// stays), and a peering route another stack adds to an imported table.
const TEMPLATE: &str = r#"{"Resources":{
  "Public":{"Type":"AWS::EC2::RouteTable","Properties":{"VpcId":"vpc-1"}},
  "Igw":{"Type":"AWS::EC2::InternetGateway"},
  "Default":{"Type":"AWS::EC2::Route","Properties":{"RouteTableId":{"Ref":"Public"},
    "DestinationCidrBlock":"0.0.0.0/0","GatewayId":{"Ref":"Igw"}}},
  "S3":{"Type":"AWS::EC2::VPCEndpoint","Properties":{"VpcId":"vpc-1",
    "ServiceName":"com.amazonaws.us-east-1.s3","RouteTableIds":[{"Ref":"Public"}]}},
  "Web":{"Type":"AWS::EC2::SecurityGroup","Properties":{"GroupDescription":"web","VpcId":"vpc-1",
    "SecurityGroupIngress":[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"CidrIp":"10.0.0.0/16"}]}}
}}"#;

/// Another stack of the app: it adds a route to Net's table, imported.
const PEER: &str = r#"{"Resources":{
  "ToPeer":{"Type":"AWS::EC2::Route","Properties":{"RouteTableId":{"Fn::ImportValue":"Net-Public"},
    "DestinationCidrBlock":"10.50.0.0/16","VpcPeeringConnectionId":"pcx-1"}}
}}"#;

type Answerer = dyn Fn(&str, &str) -> (u16, String) + Send + Sync;

/// A fake EC2; every call's body is recorded.
#[derive(Clone)]
struct FakeEc2 {
    bodies: Arc<Mutex<Vec<String>>>,
    answer: Arc<Answerer>,
}

impl std::fmt::Debug for FakeEc2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeEc2")
    }
}

impl HttpConnector for FakeEc2 {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = request
            .body()
            .bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        self.bodies.lock().expect("lock").push(body.clone());
        let action = body
            .split('&')
            .find_map(|p| p.strip_prefix("Action="))
            .unwrap_or("")
            .to_string();
        let (status, text) = (self.answer)(&action, &body);
        HttpConnectorFuture::ready(Ok(Response::new(
            StatusCode::try_from(status).expect("status"),
            SdkBody::from(text),
        )))
    }
}

fn fake(answer: impl Fn(&str, &str) -> (u16, String) + Send + Sync + 'static) -> FakeEc2 {
    FakeEc2 {
        bodies: Arc::new(Mutex::new(Vec::new())),
        answer: Arc::new(answer),
    }
}

/// The table: its local route, the template's default route, the endpoint's prefix-list
/// route, the other stack's peering route, and `extra` routes.
fn tables(extra: &str) -> String {
    format!(
        "<DescribeRouteTablesResponse><routeTableSet><item><routeTableId>rtb-pub</routeTableId>\
         <routeSet>\
         <item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local\
         </gatewayId><state>active</state><origin>CreateRouteTable</origin></item>\
         <item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><gatewayId>igw-1\
         </gatewayId><state>active</state><origin>CreateRoute</origin></item>\
         <item><destinationPrefixListId>pl-63a5400a</destinationPrefixListId><gatewayId>vpce-1\
         </gatewayId><state>active</state><origin>CreateRoute</origin></item>\
         <item><destinationCidrBlock>10.50.0.0/16</destinationCidrBlock>\
         <vpcPeeringConnectionId>pcx-1</vpcPeeringConnectionId><state>active</state>\
         <origin>CreateRoute</origin></item>{extra}\
         </routeSet></item></routeTableSet></DescribeRouteTablesResponse>"
    )
}

/// The web group: the template's HTTPS rule, EC2's default egress, and `extra` ingress
/// permissions.
fn groups(extra: &str) -> String {
    format!(
        "<DescribeSecurityGroupsResponse><securityGroupInfo><item><groupId>sg-web</groupId>\
         <groupName>web</groupName><ipPermissions>\
         <item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort>\
         <ipRanges><item><cidrIp>10.0.0.0/16</cidrIp></item></ipRanges></item>{extra}\
         </ipPermissions><ipPermissionsEgress><item><ipProtocol>-1</ipProtocol><ipRanges><item>\
         <cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></ipPermissionsEgress></item>\
         </securityGroupInfo></DescribeSecurityGroupsResponse>"
    )
}

fn summary(logical: &str, kind: &str, physical: &str) -> StackResourceSummary {
    StackResourceSummary::builder()
        .logical_resource_id(logical)
        .resource_type(kind)
        .physical_resource_id(physical)
        .resource_status(ResourceStatus::CreateComplete)
        .last_updated_timestamp(DateTime::from_secs(0))
        .build()
}

/// CloudFormation: Net in sync, its deployed template, and its resources in two pages.
fn in_sync_net() -> Vec<Rule> {
    vec![
        mock!(Client::detect_stack_drift).then_output(|| {
            DetectStackDriftOutput::builder()
                .stack_drift_detection_id("d-1")
                .build()
        }),
        mock!(Client::describe_stack_drift_detection_status).then_output(|| {
            DescribeStackDriftDetectionStatusOutput::builder()
                .stack_id(stack_id("Net"))
                .stack_drift_detection_id("d-1")
                .detection_status(StackDriftDetectionStatus::DetectionComplete)
                .stack_drift_status(StackDriftStatus::InSync)
                .timestamp(DateTime::from_secs(1_796_644_800))
                .build()
        }),
        mock!(Client::describe_stack_resource_drifts)
            .then_output(|| DescribeStackResourceDriftsOutput::builder().build()),
        deployed(TEMPLATE),
        mock!(Client::list_stack_resources)
            .match_requests(|r| r.next_token().is_none())
            .then_output(|| {
                ListStackResourcesOutput::builder()
                    .stack_resource_summaries(summary("Public", "AWS::EC2::RouteTable", "rtb-pub"))
                    .stack_resource_summaries(summary("Igw", "AWS::EC2::InternetGateway", "igw-1"))
                    .next_token("page-2")
                    .build()
            }),
        mock!(Client::list_stack_resources)
            .match_requests(|r| r.next_token() == Some("page-2"))
            .then_output(|| {
                ListStackResourcesOutput::builder()
                    .stack_resource_summaries(summary("S3", "AWS::EC2::VPCEndpoint", "vpce-1"))
                    .stack_resource_summaries(summary("Web", "AWS::EC2::SecurityGroup", "sg-web"))
                    .build()
            }),
    ]
}

fn deployer_with(ec2: &FakeEc2) -> Deployer {
    let rules = in_sync_net();
    let cfn = client(&rules.iter().collect::<Vec<_>>());
    let ui = Arc::new(RecordingUi::answering(None));
    let options = DeployOptions {
        poll_interval: Duration::from_millis(5),
        ..DeployOptions::default()
    };
    Deployer::new(cfn.clone(), ui, options).with_environment(
        &Environment::default(),
        Connection {
            cloudformation: cfn,
            sts: None,
            s3: None,
            signed: Some(
                SignedAccess::new("us-east-1", Credentials::for_tests(), None)
                    .http_connector(SharedHttpConnector::new(ec2.clone())),
            ),
        },
    )
}

fn app() -> Vec<StackTemplate> {
    vec![
        StackTemplate::new("Net", TEMPLATE),
        StackTemplate::new("Peer", PEER),
    ]
}

#[tokio::test]
async fn a_route_and_rules_added_by_hand_are_unmanaged_drift() {
    let ec2 = fake(|action, _| match action {
        "DescribeRouteTables" => (
            200,
            tables(
                "<item><destinationCidrBlock>192.168.0.0/16</destinationCidrBlock>\
                 <transitGatewayId>tgw-9</transitGatewayId><state>active</state>\
                 <origin>CreateRoute</origin></item>",
            ),
        ),
        "DescribeSecurityGroups" => (
            200,
            groups(
                "<item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort>\
                 <ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges>\
                 <ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges></item>",
            ),
        ),
        other => panic!("unexpected {other}"),
    });
    let deployer = deployer_with(&ec2);
    let report = deployer
        .drift(&app(), &["Net".into()])
        .await
        .expect("drift");
    assert!(report.drifted() && report.complete(), "{report}");
    assert_eq!(
        report.to_string(),
        "Net: DRIFTED, 2 resources (detected 2026-12-07T12:00:00Z)\n\
         \x20 + Public AWS::EC2::RouteTable (rtb-pub) UNMANAGED: not in any template \
         (CloudFormation's drift detection checks only what a template sets)\n\
         \x20     + route 192.168.0.0/16: tgw-9\n\
         \x20 + Web AWS::EC2::SecurityGroup (sg-web) UNMANAGED: not in any template \
         (CloudFormation's drift detection checks only what a template sets)\n\
         \x20     + ingress tcp 22: 0.0.0.0/0\n\
         \x20     + ingress tcp 22: ::/0\n"
    );
    let json = report.to_json();
    let net = &json["stacks"][0];
    assert_eq!(net["status"], "DRIFTED");
    assert_eq!(net["resources"][0]["status"], "UNMANAGED");
    assert_eq!(net["resources"][0]["differences"][0]["type"], "ADD");
    assert_eq!(
        net["resources"][1]["differences"][1]["path"],
        "ingress tcp 22"
    );
    // Filtered by the stack's IDs (a deleted one is left out, not an error).
    let bodies = ec2.bodies.lock().expect("lock").clone();
    assert!(
        bodies[0].contains("Filter.1.Name=route-table-id&Filter.1.Value.1=rtb-pub"),
        "{}",
        bodies[0]
    );
    assert!(bodies[1].contains("Filter.1.Name=group-id&Filter.1.Value.1=sg-web"));
}

#[tokio::test]
async fn what_the_templates_make_or_imply_is_in_sync() {
    let ec2 = fake(|action, _| match action {
        "DescribeRouteTables" => (200, tables("")),
        "DescribeSecurityGroups" => (200, groups("")),
        other => panic!("unexpected {other}"),
    });
    let deployer = deployer_with(&ec2);
    let report = deployer
        .drift(&app(), &["Net".into()])
        .await
        .expect("drift");
    assert!(!report.drifted() && report.complete(), "{report}");
    assert_eq!(
        report.to_string(),
        "Net: in sync (detected 2026-12-07T12:00:00Z)\n"
    );
}

#[tokio::test]
async fn routes_and_rules_that_cannot_be_read_leave_the_check_incomplete() {
    let ec2 = fake(|action, _| match action {
        "DescribeRouteTables" => (200, tables("")),
        _ => (
            403,
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not \
             authorized to perform this operation.</Message></Error></Errors>\
             <RequestID>r-9</RequestID></Response>"
                .into(),
        ),
    });
    let deployer = deployer_with(&ec2);
    let report = deployer
        .drift(&app(), &["Net".into()])
        .await
        .expect("drift");
    assert!(!report.complete(), "{report}");
    let Ok(net) = &report.stacks[0].1 else {
        panic!("{report}")
    };
    assert_eq!(
        net.state,
        DriftState::InSync,
        "CloudFormation's result stands"
    );
    let failed = net.detection_failed.as_deref().unwrap_or_default();
    assert!(
        failed.starts_with(
            "unmanaged routes and rules not read: Net: DescribeSecurityGroups failed: \
             UnauthorizedOperation"
        ) && failed.contains("grant ec2:DescribeSecurityGroups"),
        "{failed}"
    );
}
