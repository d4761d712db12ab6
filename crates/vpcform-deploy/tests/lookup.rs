//! Lookups (`Deployer::resolve_lookups`): against moto's EC2 (a VPC made with its subnet,
//! route table and security group, looked up by ID and by tag; the Region's zones), and against
//! a fake EC2 for what moto cannot produce (a service not offered in every zone, nothing
//! found, two VPCs matching, access denied, paging, throttling, another account's
//! credentials, an interrupt).

mod common;
use common::*;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use vpcform_assembly::{ContextQuery, ContextValue, VpcFacts, VpcFilter};
use vpcform_deploy::{
    Connection, DeployError, DeployOptions, Deployer, Environment, RecordingUi, SignedAccess,
};

const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";

/// What the fake answers an action and its form body with: the HTTP status and the body.
type Answerer = dyn Fn(&str, &str) -> (u16, String) + Send + Sync;

/// A fake EC2: `answer(action, body)`; every call's body is recorded.
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

impl FakeEc2 {
    fn new(answer: impl Fn(&str, &str) -> (u16, String) + Send + Sync + 'static) -> FakeEc2 {
        FakeEc2 {
            bodies: Arc::new(Mutex::new(Vec::new())),
            answer: Arc::new(answer),
        }
    }

    fn actions(&self) -> Vec<String> {
        self.bodies
            .lock()
            .expect("lock")
            .iter()
            .map(|b| action_of(b).to_string())
            .collect()
    }

    fn bodies_of(&self, action: &str) -> Vec<String> {
        self.bodies
            .lock()
            .expect("lock")
            .iter()
            .filter(|b| action_of(b) == action)
            .cloned()
            .collect()
    }
}

fn action_of(body: &str) -> &str {
    body.split('&')
        .find_map(|p| p.strip_prefix("Action="))
        .unwrap_or("")
}

impl HttpConnector for FakeEc2 {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        assert!(
            request.headers().get("authorization").is_some(),
            "every call is signed"
        );
        let body = request
            .body()
            .bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        self.bodies.lock().expect("lock").push(body.clone());
        let (status, text) = (self.answer)(action_of(&body), &body);
        HttpConnectorFuture::ready(Ok(Response::new(
            StatusCode::try_from(status).expect("status"),
            SdkBody::from(text),
        )))
    }
}

fn sts(account: &'static str) -> (Rule, aws_sdk_sts::Client) {
    let rule = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(move || {
        GetCallerIdentityOutput::builder()
            .account(account)
            .arn(format!("arn:aws:sts::{account}:assumed-role/lookup/me"))
            .build()
    });
    let client = mock_client!(aws_sdk_sts, RuleMode::MatchAny, [&rule]);
    (rule, client)
}

/// A deployer whose `us-east-1` credentials are of `caller`, with EC2 answered by `ec2`.
fn deployer_with(ec2: &FakeEc2, caller: &'static str) -> (Deployer, Arc<RecordingUi>, Rule) {
    let (identity, sts) = sts(caller);
    let cfn = client(&[]);
    let ui = Arc::new(RecordingUi::answering(None));
    let options = DeployOptions {
        poll_interval: Duration::from_millis(5),
        ..DeployOptions::default()
    };
    let deployer = Deployer::new(cfn.clone(), ui.clone(), options).with_environment(
        &Environment {
            region: Some(REGION.into()),
            ..Environment::default()
        },
        Connection {
            cloudformation: cfn,
            sts: Some(sts),
            s3: None,
            signed: Some(
                SignedAccess::new(REGION, Credentials::for_tests(), None)
                    .http_connector(SharedHttpConnector::new(ec2.clone())),
            ),
        },
    );
    (deployer, ui, identity)
}

fn zones_query() -> ContextQuery {
    ContextQuery::AvailabilityZones {
        account: ACCOUNT.into(),
        region: REGION.into(),
    }
}

fn tagged(key: &str, value: &str) -> VpcFilter {
    VpcFilter::Tags(BTreeMap::from([(key.to_string(), value.to_string())]))
}

fn vpc_query(filter: VpcFilter) -> ContextQuery {
    ContextQuery::Vpc {
        account: ACCOUNT.into(),
        region: REGION.into(),
        filter,
    }
}

fn service_query(name: &str) -> ContextQuery {
    ContextQuery::EndpointService {
        account: ACCOUNT.into(),
        region: REGION.into(),
        service_name: name.into(),
    }
}

/// An EC2 error answer, as EC2 writes it.
fn ec2_error(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code>\
         <Message>{message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>"
    )
}

fn vpc_item(id: &str) -> String {
    format!(
        "<item><vpcId>{id}</vpcId><ownerId>{ACCOUNT}</ownerId><cidrBlock>10.20.0.0/16</cidrBlock>\
         <cidrBlockAssociationSet><item><cidrBlock>10.20.0.0/16</cidrBlock><cidrBlockState>\
         <state>associated</state></cidrBlockState></item><item><cidrBlock>100.64.0.0/16\
         </cidrBlock><cidrBlockState><state>associated</state></cidrBlockState></item><item>\
         <cidrBlock>172.16.0.0/16</cidrBlock><cidrBlockState><state>disassociated</state>\
         </cidrBlockState></item></cidrBlockAssociationSet><tagSet><item><key>Name</key>\
         <value>shared</value></item></tagSet></item>"
    )
}

/// A VPC with two pages of subnets, a route table with a route, and a security group.
fn one_vpc_ec2() -> FakeEc2 {
    FakeEc2::new(|action, body| match action {
        "DescribeVpcs" => (
            200,
            format!(
                "<DescribeVpcsResponse><vpcSet>{}</vpcSet></DescribeVpcsResponse>",
                vpc_item("vpc-1")
            ),
        ),
        "DescribeVpcAttribute" if body.contains("Attribute=enableDnsSupport") => (
            200,
            "<DescribeVpcAttributeResponse><vpcId>vpc-1</vpcId><enableDnsSupport><value>true\
             </value></enableDnsSupport></DescribeVpcAttributeResponse>"
                .into(),
        ),
        "DescribeVpcAttribute" => (
            200,
            "<DescribeVpcAttributeResponse><vpcId>vpc-1</vpcId><enableDnsHostnames><value>false\
             </value></enableDnsHostnames></DescribeVpcAttributeResponse>"
                .into(),
        ),
        "DescribeSubnets" if !body.contains("NextToken=") => (
            200,
            "<DescribeSubnetsResponse><subnetSet><item><subnetId>subnet-b</subnetId>\
             <cidrBlock>10.20.10.0/24</cidrBlock><availabilityZone>us-east-1a</availabilityZone>\
             <availabilityZoneId>use1-az4</availabilityZoneId></item></subnetSet>\
             <nextToken>page+2/=</nextToken></DescribeSubnetsResponse>"
                .into(),
        ),
        "DescribeSubnets" => (
            200,
            "<DescribeSubnetsResponse><subnetSet><item><subnetId>subnet-a</subnetId>\
             <cidrBlock>10.20.2.0/24</cidrBlock><availabilityZone>us-east-1a</availabilityZone>\
             <availabilityZoneId>use1-az4</availabilityZoneId><tagSet><item><key>Name</key>\
             <value>app-a</value></item></tagSet></item></subnetSet></DescribeSubnetsResponse>"
                .into(),
        ),
        "DescribeRouteTables" => (
            200,
            "<DescribeRouteTablesResponse><routeTableSet><item><routeTableId>rtb-main\
             </routeTableId><associationSet><item><main>true</main></item></associationSet>\
             <routeSet><item><destinationCidrBlock>10.20.0.0/16</destinationCidrBlock>\
             <gatewayId>local</gatewayId><state>active</state><origin>CreateRouteTable</origin>\
             </item></routeSet></item><item><routeTableId>rtb-app</routeTableId>\
             <associationSet><item><main>false</main><subnetId>subnet-a</subnetId></item>\
             </associationSet><routeSet><item><destinationCidrBlock>0.0.0.0/0\
             </destinationCidrBlock><natGatewayId>nat-1</natGatewayId><state>active</state>\
             <origin>CreateRoute</origin></item></routeSet></item></routeTableSet>\
             </DescribeRouteTablesResponse>"
                .into(),
        ),
        "DescribeSecurityGroups" => (
            200,
            "<DescribeSecurityGroupsResponse><securityGroupInfo><item><groupId>sg-2</groupId>\
             <groupName>web</groupName><ipPermissions><item><ipProtocol>tcp</ipProtocol>\
             <fromPort>443</fromPort><toPort>443</toPort><ipRanges><item><cidrIp>10.0.0.0/8\
             </cidrIp></item></ipRanges></item></ipPermissions><ipPermissionsEgress/></item>\
             <item><groupId>sg-1</groupId><groupName>default</groupName></item>\
             </securityGroupInfo></DescribeSecurityGroupsResponse>"
                .into(),
        ),
        other => panic!("unexpected {other}"),
    })
}

fn vpc_of(value: &ContextValue) -> &VpcFacts {
    match value {
        ContextValue::Vpc(vpc) => vpc,
        other => panic!("not a VPC: {other:?}"),
    }
}

#[tokio::test]
async fn a_vpc_by_tag_is_read_with_every_page_of_its_subnets_sorted() {
    let ec2 = one_vpc_ec2();
    let (deployer, ui, _identity) = deployer_with(&ec2, ACCOUNT);
    let answers = deployer
        .resolve_lookups(&[vpc_query(tagged("Name", "shared"))], &[])
        .await
        .expect("answered");
    let vpc = vpc_of(&answers[0].1);
    assert_eq!(vpc.vpc_id, "vpc-1");
    assert_eq!(vpc.cidr_block, "10.20.0.0/16");
    assert_eq!(
        vpc.secondary_cidr_blocks,
        ["100.64.0.0/16"],
        "associated only"
    );
    assert_eq!(
        (vpc.dns_support, vpc.dns_hostnames),
        (Some(true), Some(false))
    );
    assert_eq!(vpc.tags["Name"], "shared");
    // Two pages, sorted by zone then block (10.20.2 before 10.20.10).
    let subnets: Vec<_> = vpc.subnets.iter().map(|s| s.subnet_id.as_str()).collect();
    assert_eq!(subnets, ["subnet-a", "subnet-b"]);
    assert_eq!(vpc.subnets[0].route_table_id.as_deref(), Some("rtb-app"));
    assert_eq!(
        vpc.subnets[1].route_table_id.as_deref(),
        Some("rtb-main"),
        "a subnet with no association uses the main table"
    );
    assert_eq!(vpc.subnets[0].tags["Name"], "app-a");
    let tables: Vec<_> = vpc
        .route_tables
        .iter()
        .map(|t| t.route_table_id.as_str())
        .collect();
    assert_eq!(tables, ["rtb-app", "rtb-main"]);
    assert!(vpc.route_tables[1].main && !vpc.route_tables[0].main);
    assert_eq!(vpc.route_tables[0].routes[0].target, "nat-1");
    let groups: Vec<_> = vpc
        .security_groups
        .iter()
        .map(|g| g.group_id.as_str())
        .collect();
    assert_eq!(groups, ["sg-1", "sg-2"]);
    assert_eq!(vpc.security_groups[1].ingress[0].from_port, Some(443));
    // The filter and the second page's token, form-encoded.
    let describe = &ec2.bodies_of("DescribeVpcs")[0];
    assert!(
        describe.contains("Filter.1.Name=tag%3AName&Filter.1.Value.1=shared"),
        "{describe}"
    );
    let pages = ec2.bodies_of("DescribeSubnets");
    assert_eq!(pages.len(), 2);
    assert!(pages[0].contains("Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1"));
    assert!(
        pages[1].contains("NextToken=page%2B2%2F%3D"),
        "{}",
        pages[1]
    );
    assert!(
        ui.lines()
            .iter()
            .any(|l| l.contains("vpc:account=111122223333") && l.contains("found")),
        "{:?}",
        ui.lines()
    );
}

#[tokio::test]
async fn a_token_answered_twice_stops_the_paging() {
    let ec2 = FakeEc2::new(|_, _| {
        (
            200,
            "<DescribeVpcsResponse><vpcSet/><nextToken>again</nextToken></DescribeVpcsResponse>"
                .into(),
        )
    });
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    let error = deployer
        .resolve_lookups(&[vpc_query(tagged("Name", "shared"))], &[])
        .await
        .expect_err("stopped");
    assert!(
        error
            .to_string()
            .contains("DescribeVpcs: the same NextToken was answered twice"),
        "{error}"
    );
    assert_eq!(ec2.actions().len(), 2);
}

#[tokio::test]
async fn two_vpcs_matching_a_tag_are_not_found_naming_both() {
    let ec2 = FakeEc2::new(|action, _| match action {
        "DescribeVpcs" => (
            200,
            format!(
                "<DescribeVpcsResponse><vpcSet>{}{}</vpcSet></DescribeVpcsResponse>",
                vpc_item("vpc-1"),
                vpc_item("vpc-2")
            ),
        ),
        other => panic!("nothing is read of an ambiguous VPC: {other}"),
    });
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    let answers = deployer
        .resolve_lookups(&[vpc_query(tagged("Name", "shared"))], &[])
        .await
        .expect("answered");
    let ContextValue::NotFound { message } = &answers[0].1 else {
        panic!("{:?}", answers[0].1)
    };
    assert!(
        message.starts_with(
            "2 VPCs match tag:Name=shared in account 111122223333, us-east-1 (vpc-1, vpc-2)"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn a_vpc_id_that_does_not_exist_is_not_found() {
    let ec2 = FakeEc2::new(|action, _| match action {
        "DescribeVpcs" => (
            400,
            ec2_error(
                "InvalidVpcID.NotFound",
                "The vpc ID 'vpc-404' does not exist",
            ),
        ),
        other => panic!("unexpected {other}"),
    });
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    let answers = deployer
        .resolve_lookups(&[vpc_query(VpcFilter::Id("vpc-404".into()))], &[])
        .await
        .expect("answered");
    assert_eq!(
        answers[0].1,
        ContextValue::NotFound {
            message: "no VPC matches vpc-id=vpc-404 in account 111122223333, us-east-1".into()
        }
    );
    assert!(ec2.bodies_of("DescribeVpcs")[0].contains("VpcId.1=vpc-404"));
}

#[tokio::test]
async fn a_service_not_offered_in_a_zone_says_so_and_an_unknown_one_is_not_found() {
    let ec2 = FakeEc2::new(|action, body| {
        assert_eq!(action, "DescribeVpcEndpointServices");
        if body.contains("ServiceName.1=com.amazonaws.us-east-1.ssm") {
            (
                200,
                "<DescribeVpcEndpointServicesResponse><serviceNameSet><item>\
                 com.amazonaws.us-east-1.ssm</item></serviceNameSet><serviceDetailSet><item>\
                 <serviceName>com.amazonaws.us-east-1.ssm</serviceName><serviceType><item>\
                 <serviceType>Interface</serviceType></item></serviceType>\
                 <availabilityZoneSet><item>us-east-1b</item><item>us-east-1a</item>\
                 </availabilityZoneSet><owner>amazon</owner><privateDnsName>ssm.us-east-1.\
                 amazonaws.com</privateDnsName><acceptanceRequired>false</acceptanceRequired>\
                 <supportedIpAddressTypeSet><item>ipv4</item><item>ipv6</item>\
                 </supportedIpAddressTypeSet><serviceRegion>us-east-1</serviceRegion></item>\
                 </serviceDetailSet></DescribeVpcEndpointServicesResponse>"
                    .into(),
            )
        } else {
            (
                400,
                ec2_error(
                    "InvalidServiceName",
                    "The Vpc Endpoint Service 'com.amazonaws.vpce.us-east-1.vpce-svc-0' does not exist",
                ),
            )
        }
    });
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    let answers = deployer
        .resolve_lookups(
            &[
                service_query("com.amazonaws.us-east-1.ssm"),
                service_query("com.amazonaws.vpce.us-east-1.vpce-svc-0"),
            ],
            &[],
        )
        .await
        .expect("answered");
    let ContextValue::EndpointService(ssm) = &answers[0].1 else {
        panic!("{:?}", answers[0].1)
    };
    assert_eq!(ssm.availability_zones, ["us-east-1a", "us-east-1b"]);
    assert!(ssm.offered_in("us-east-1a") && !ssm.offered_in("us-east-1c"));
    assert_eq!(ssm.service_type, "Interface");
    assert_eq!(
        ssm.private_dns_name.as_deref(),
        Some("ssm.us-east-1.amazonaws.com")
    );
    assert_eq!(ssm.supported_ip_address_types, ["ipv4", "ipv6"]);
    assert_eq!(
        (ssm.owner.as_str(), ssm.acceptance_required),
        ("amazon", false)
    );
    assert_eq!(ssm.service_region.as_deref(), Some("us-east-1"));
    assert!(
        matches!(&answers[1].1, ContextValue::NotFound { message } if message.starts_with("no endpoint service com.amazonaws.vpce.us-east-1.vpce-svc-0")),
        "{:?}",
        answers[1].1
    );
}

#[tokio::test]
async fn a_service_of_another_region_is_asked_for_in_its_region() {
    let ec2 = FakeEc2::new(|_, _| {
        (
            200,
            "<DescribeVpcEndpointServicesResponse><serviceDetailSet/>\
             </DescribeVpcEndpointServicesResponse>"
                .into(),
        )
    });
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    deployer
        .resolve_lookups(
            &[service_query("com.amazonaws.vpce.eu-west-1.vpce-svc-9")],
            &[],
        )
        .await
        .expect("answered");
    let body = &ec2.bodies_of("DescribeVpcEndpointServices")[0];
    assert!(body.contains("ServiceRegion.1=eu-west-1"), "{body}");
}

/// S3 answers with a Gateway and an Interface entry of one name: the interface endpoint's facts
/// are the Interface entry's, whichever comes first.
#[tokio::test]
async fn a_service_with_a_gateway_and_an_interface_entry_gives_the_interface_one() {
    let ec2 = FakeEc2::new(|_, _| {
        (
            200,
            "<DescribeVpcEndpointServicesResponse><serviceDetailSet>\
             <item><serviceName>com.amazonaws.us-east-1.s3</serviceName><serviceType><item>\
             <serviceType>Gateway</serviceType></item></serviceType><availabilityZoneSet>\
             <item>us-east-1a</item></availabilityZoneSet><owner>amazon</owner></item>\
             <item><serviceName>com.amazonaws.us-east-1.s3</serviceName><serviceType><item>\
             <serviceType>Interface</serviceType></item></serviceType><availabilityZoneSet>\
             <item>us-east-1a</item><item>us-east-1b</item></availabilityZoneSet>\
             <owner>amazon</owner><privateDnsName>*.s3.us-east-1.amazonaws.com</privateDnsName>\
             </item></serviceDetailSet></DescribeVpcEndpointServicesResponse>"
                .into(),
        )
    });
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    let answers = deployer
        .resolve_lookups(&[service_query("com.amazonaws.us-east-1.s3")], &[])
        .await
        .expect("answered");
    let ContextValue::EndpointService(s3) = &answers[0].1 else {
        panic!("{:?}", answers[0].1)
    };
    assert_eq!(s3.service_type, "Interface");
    assert_eq!(s3.availability_zones, ["us-east-1a", "us-east-1b"]);
    assert!(s3.private_dns_name.is_some());
}

/// Tag values are literal: EC2's wildcards in them are escaped; no tag at all matches nothing.
#[tokio::test]
async fn tag_values_are_sent_literally_and_no_tag_is_not_a_lookup() {
    let ec2 = one_vpc_ec2();
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    let tags = [("Name".to_string(), "app-*".to_string())].into();
    deployer
        .resolve_lookups(&[vpc_query(VpcFilter::Tags(tags))], &[])
        .await
        .expect("answered");
    let body = &ec2.bodies_of("DescribeVpcs")[0];
    assert!(body.contains("Filter.1.Value.1=app-%5C%2A"), "{body}");
    let answers = deployer
        .resolve_lookups(&[vpc_query(VpcFilter::Tags(Default::default()))], &[])
        .await
        .expect("answered");
    assert!(
        matches!(&answers[0].1, ContextValue::NotFound { message } if message.contains("names no tag")),
        "{:?}",
        answers[0].1
    );
}

#[tokio::test]
async fn zones_are_every_one_answered_by_name_whatever_their_state() {
    let ec2 = FakeEc2::new(|_, _| {
        (
            200,
            "<DescribeAvailabilityZonesResponse><availabilityZoneInfo>\
             <item><zoneName>us-east-1b</zoneName><zoneId>use1-az6</zoneId><zoneType>\
             availability-zone</zoneType><zoneState>available</zoneState></item>\
             <item><zoneName>us-east-1a</zoneName><zoneId>use1-az4</zoneId><zoneType>\
             availability-zone</zoneType><zoneState>available</zoneState></item>\
             <item><zoneName>us-east-1e</zoneName><zoneId>use1-az3</zoneId><zoneType>\
             availability-zone</zoneType><zoneState>impaired</zoneState></item>\
             </availabilityZoneInfo></DescribeAvailabilityZonesResponse>"
                .into(),
        )
    });
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    let answers = deployer
        .resolve_lookups(&[zones_query()], &[])
        .await
        .expect("answered");
    let ContextValue::AvailabilityZones { zones } = &answers[0].1 else {
        panic!("{:?}", answers[0].1)
    };
    let names: Vec<_> = zones
        .iter()
        .map(|z| (z.name.as_str(), z.id.as_str()))
        .collect();
    // An impaired zone is still the account's: dropping it would shift the zones after it.
    assert_eq!(
        names,
        [
            ("us-east-1a", "use1-az4"),
            ("us-east-1b", "use1-az6"),
            ("us-east-1e", "use1-az3")
        ]
    );
}

#[tokio::test]
async fn a_refused_call_names_the_iam_action_to_grant() {
    let ec2 = FakeEc2::new(|action, body| match action {
        "DescribeRouteTables" => (
            403,
            ec2_error(
                "UnauthorizedOperation",
                "You are not authorized to perform this operation.",
            ),
        ),
        _ => (one_vpc_ec2().answer)(action, body),
    });
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    let error = deployer
        .resolve_lookups(&[vpc_query(VpcFilter::Id("vpc-1".into()))], &[])
        .await
        .expect_err("refused");
    let text = error.to_string();
    assert!(
        text.starts_with(
            "lookup vpc:account=111122223333:region=us-east-1:vpc-id=vpc-1: DescribeRouteTables: \
             UnauthorizedOperation: You are not authorized"
        ),
        "{text}"
    );
    assert!(
        text.contains("grant ec2:DescribeRouteTables to the credentials"),
        "{text}"
    );
    assert!(error.verbose().contains("request ID: req-1"));
}

#[tokio::test]
async fn throttling_is_retried_and_named_when_it_does_not_stop() {
    let calls = Arc::new(Mutex::new(0));
    let counted = calls.clone();
    let ec2 = FakeEc2::new(move |_, _| {
        let mut n = counted.lock().expect("lock");
        *n += 1;
        if *n == 1 {
            (
                503,
                ec2_error("RequestLimitExceeded", "Request limit exceeded."),
            )
        } else {
            (
                200,
                "<DescribeAvailabilityZonesResponse><availabilityZoneInfo/>\
                 </DescribeAvailabilityZonesResponse>"
                    .into(),
            )
        }
    });
    let (deployer, ui, _identity) = deployer_with(&ec2, ACCOUNT);
    deployer
        .resolve_lookups(&[zones_query()], &[])
        .await
        .expect("answered on the second attempt");
    assert!(
        ui.lines()
            .iter()
            .any(|l| l.contains("DescribeAvailabilityZones: attempt 1 of 4 failed; retrying")),
        "{:?}",
        ui.lines()
    );

    let always = FakeEc2::new(|_, _| {
        (
            503,
            ec2_error("RequestLimitExceeded", "Request limit exceeded."),
        )
    });
    let (deployer, _, _identity) = deployer_with(&always, ACCOUNT);
    let error = deployer
        .resolve_lookups(&[zones_query()], &[])
        .await
        .expect_err("throttled");
    assert_eq!(always.actions().len(), 4, "every attempt, then the error");
    let text = error.to_string();
    assert!(
        text.contains("DescribeAvailabilityZones: RequestLimitExceeded")
            && text.contains("throttled the account's calls through 4 attempts"),
        "{text}"
    );
}

#[tokio::test]
async fn credentials_of_another_account_are_refused_before_any_call() {
    let ec2 = FakeEc2::new(|action, _| {
        panic!("no EC2 call with another account's credentials: {action}")
    });
    let (deployer, _, _identity) = deployer_with(&ec2, "444455556666");
    let error = deployer
        .resolve_lookups(&[zones_query()], &[])
        .await
        .expect_err("another account");
    let text = error.to_string();
    assert!(
        matches!(
            error,
            DeployError::LookupFailed {
                action: "GetCallerIdentity",
                ..
            }
        ),
        "{text}"
    );
    assert!(
        text.contains("answered in account 111122223333")
            && text.contains("in account 444455556666")
            && text.contains("use credentials of 111122223333"),
        "{text}"
    );
}

#[tokio::test]
async fn an_interrupt_stops_the_lookups() {
    let ec2 = FakeEc2::new(|action, _| panic!("nothing is sent once interrupted: {action}"));
    let (deployer, _, _identity) = deployer_with(&ec2, ACCOUNT);
    deployer.interrupt();
    let error = deployer
        .resolve_lookups(&[zones_query()], &[])
        .await
        .expect_err("interrupted");
    assert!(error.is_interrupt(), "{error}");
}

/// moto's EC2 models every Describe call a lookup makes: a VPC made there with a subnet, a
/// route table with a route to an internet gateway, and a security group with a rule is looked
/// up by ID and by tag with the same facts, and the Region's zones are moto's (all
/// `available`). The account is moto's default, 123456789012 (its STS answers it).
#[tokio::test]
async fn moto_a_vpc_is_looked_up_by_id_and_by_tag_and_zones_are_listed() {
    let Some(moto) = Moto::start() else { return };
    let region = "us-west-2";
    let vpc = Moto::id(
        &moto.ec2(
            region,
            &[("Action", "CreateVpc"), ("CidrBlock", "10.30.0.0/16")],
        ),
        "vpcId",
    );
    moto.ec2(
        region,
        &[
            ("Action", "CreateTags"),
            ("ResourceId.1", &vpc),
            ("Tag.1.Key", "Name"),
            ("Tag.1.Value", "lookup-me"),
        ],
    );
    moto.ec2(
        region,
        &[
            ("Action", "ModifyVpcAttribute"),
            ("VpcId", &vpc),
            ("EnableDnsHostnames.Value", "true"),
        ],
    );
    let subnet = Moto::id(
        &moto.ec2(
            region,
            &[
                ("Action", "CreateSubnet"),
                ("VpcId", &vpc),
                ("CidrBlock", "10.30.1.0/24"),
                ("AvailabilityZone", "us-west-2a"),
            ],
        ),
        "subnetId",
    );
    let table = Moto::id(
        &moto.ec2(region, &[("Action", "CreateRouteTable"), ("VpcId", &vpc)]),
        "routeTableId",
    );
    moto.ec2(
        region,
        &[
            ("Action", "AssociateRouteTable"),
            ("RouteTableId", &table),
            ("SubnetId", &subnet),
        ],
    );
    let igw = Moto::id(
        &moto.ec2(region, &[("Action", "CreateInternetGateway")]),
        "internetGatewayId",
    );
    moto.ec2(
        region,
        &[
            ("Action", "AttachInternetGateway"),
            ("InternetGatewayId", &igw),
            ("VpcId", &vpc),
        ],
    );
    moto.ec2(
        region,
        &[
            ("Action", "CreateRoute"),
            ("RouteTableId", &table),
            ("DestinationCidrBlock", "0.0.0.0/0"),
            ("GatewayId", &igw),
        ],
    );
    let group = Moto::id(
        &moto.ec2(
            region,
            &[
                ("Action", "CreateSecurityGroup"),
                ("GroupName", "web"),
                ("GroupDescription", "web"),
                ("VpcId", &vpc),
            ],
        ),
        "groupId",
    );
    moto.ec2(
        region,
        &[
            ("Action", "AuthorizeSecurityGroupIngress"),
            ("GroupId", &group),
            ("IpPermissions.1.IpProtocol", "tcp"),
            ("IpPermissions.1.FromPort", "443"),
            ("IpPermissions.1.ToPort", "443"),
            ("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8"),
        ],
    );

    let sts = aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::Config::builder()
            .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
            .region(aws_sdk_sts::config::Region::new(region))
            .endpoint_url(moto.url())
            .credentials_provider(Credentials::for_tests())
            .http_client(vpcform_deploy::https_client())
            .build(),
    );
    let cfn = client(&[]);
    let ui = Arc::new(RecordingUi::answering(None));
    let deployer = Deployer::new(cfn.clone(), ui, DeployOptions::default()).with_environment(
        &Environment {
            region: Some(region.into()),
            ..Environment::default()
        },
        Connection {
            cloudformation: cfn,
            sts: Some(sts),
            s3: None,
            signed: Some(SignedAccess::new(
                region,
                Credentials::for_tests(),
                Some(moto.url()),
            )),
        },
    );
    let account = "123456789012";
    let query = |filter| ContextQuery::Vpc {
        account: account.into(),
        region: region.into(),
        filter,
    };
    let answers = deployer
        .resolve_lookups(
            &[
                query(VpcFilter::Id(vpc.clone())),
                query(tagged("Name", "lookup-me")),
                query(tagged("Name", "nobody")),
                ContextQuery::AvailabilityZones {
                    account: account.into(),
                    region: region.into(),
                },
            ],
            &[],
        )
        .await
        .expect("answered");
    let by_id = vpc_of(&answers[0].1);
    assert_eq!(by_id, vpc_of(&answers[1].1), "by ID and by tag: one VPC");
    assert_eq!(by_id.vpc_id, vpc);
    assert_eq!(by_id.owner_id, account);
    assert_eq!(by_id.cidr_block, "10.30.0.0/16");
    assert_eq!(by_id.tags["Name"], "lookup-me");
    assert_eq!(
        (by_id.dns_support, by_id.dns_hostnames),
        (Some(true), Some(true))
    );
    assert_eq!(by_id.subnets.len(), 1);
    assert_eq!(by_id.subnets[0].subnet_id, subnet);
    assert_eq!(by_id.subnets[0].availability_zone, "us-west-2a");
    assert_eq!(
        by_id.subnets[0].route_table_id.as_deref(),
        Some(table.as_str())
    );
    let ours = by_id
        .route_tables
        .iter()
        .find(|t| t.route_table_id == table)
        .expect("the table");
    assert_eq!(ours.subnet_ids, std::slice::from_ref(&subnet));
    assert!(
        ours.routes
            .iter()
            .any(|r| r.destination == "0.0.0.0/0" && r.target == igw),
        "{:?}",
        ours.routes
    );
    assert!(
        ours.routes.iter().any(|r| r.target == "local"),
        "{:?}",
        ours.routes
    );
    assert!(by_id.route_tables.iter().any(|t| t.main), "the main table");
    let web = by_id
        .security_groups
        .iter()
        .find(|g| g.group_id == group)
        .expect("the group");
    assert_eq!(web.group_name, "web");
    assert_eq!(web.ingress.len(), 1);
    assert_eq!(
        (
            web.ingress[0].protocol.as_str(),
            web.ingress[0].from_port,
            web.ingress[0].peer.as_str()
        ),
        ("tcp", Some(443), "10.0.0.0/8")
    );
    assert!(
        by_id
            .security_groups
            .iter()
            .any(|g| g.group_name == "default"),
        "the VPC's default group"
    );
    assert!(
        matches!(&answers[2].1, ContextValue::NotFound { message } if message.starts_with("no VPC matches tag:Name=nobody")),
        "{:?}",
        answers[2].1
    );
    let ContextValue::AvailabilityZones { zones } = &answers[3].1 else {
        panic!("{:?}", answers[3].1)
    };
    assert!(zones.len() >= 3, "{zones:?}");
    assert_eq!(zones[0].name, "us-west-2a");
    assert!(
        zones.iter().all(|z| z.id.starts_with("usw2-az")),
        "{zones:?}"
    );
}
