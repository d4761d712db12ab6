//! Refusals AWS gives that synthesis used to let through (issue 24): each gives exactly one
//! finding with its code and construct, and the near miss AWS accepts still synthesizes.

use vpcform_net::deployment::{PermissionModel, StackSet, StackSetTargets};
use vpcform_net::findings::Code;
use vpcform_net::policy::EndpointPolicy;
use vpcform_net::prelude::*;
use vpcform_net::security::SecurityGroupRef;
use vpcform_net::transit::{ExternalVpc, VpcPeering};
use vpcform_net::vpc::{FlowLog, FlowLogDestination, SubnetRef, TrafficType, VpcRef};

include!("common/report.rs");

vpcform_net::topology! {
    stack Net { vpc Main, vpc Other }
}

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
}

/// A stack with VPC `Main` (10.0.0.0/16) and two subnets in two zones.
fn net() -> (Stack<Net>, VpcRef<Main>, [SubnetRef<Main>; 2]) {
    let mut stack = Stack::<Net>::new("Net");
    let vpc = stack.add(
        "Main",
        Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let subnets = [("A", "10.0.1.0/24", 0), ("B", "10.0.2.0/24", 1)].map(|(id, cidr, az)| {
        stack.add(
            id,
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr)
                .availability_zone(Az::index(az))
                .build(),
        )
    });
    (stack, vpc, subnets)
}

/// The codes and constructs of the stack's synthesis errors; none when it synthesizes.
fn codes(stack: Stack<Net>) -> Vec<(Code, Option<String>)> {
    let mut app = App::new("refusals");
    app.add_stack(stack);
    error_codes(&app)
}

fn nlb(
    stack: &mut Stack<Net>,
    id: &str,
    subnets: &[SubnetRef<Main>; 2],
) -> vpcform_net::privatelink::NetworkLoadBalancerRef<Main> {
    stack.add(
        id,
        NetworkLoadBalancer::builder()
            .subnets([&subnets[0], &subnets[1]])
            .security_groups(SecurityGroupRef::none())
            .build(),
    )
}

// ── 1. one endpoint service per load balancer ────────────────────────────────────────────

fn services_on(second_on_own_nlb: bool) -> Stack<Net> {
    let (mut stack, _, subnets) = net();
    let first = nlb(&mut stack, "Nlb", &subnets);
    let second = if second_on_own_nlb {
        nlb(&mut stack, "Nlb2", &subnets)
    } else {
        first.clone()
    };
    for (id, balancer) in [("Service", &first), ("Service2", &second)] {
        stack.add(
            id,
            EndpointService::builder()
                .network_load_balancers([balancer])
                .build(),
        );
    }
    stack
}

#[test]
fn two_endpoint_services_on_one_load_balancer_are_refused() {
    assert_eq!(
        codes(services_on(false)),
        [(Code::VF0320, at("Net/Service2"))]
    );
}

#[test]
fn two_endpoint_services_on_two_load_balancers_synthesize() {
    assert_eq!(codes(services_on(true)), []);
}

// ── 2. one load balancer per target group ────────────────────────────────────────────────

fn listeners_to_one_group(second_nlb: bool) -> Stack<Net> {
    let (mut stack, vpc, subnets) = net();
    let targets = stack.add(
        "Targets",
        TargetGroup::builder().vpc(&vpc).port(443).build(),
    );
    let first = nlb(&mut stack, "Nlb", &subnets);
    let (second, port) = if second_nlb {
        (nlb(&mut stack, "Nlb2", &subnets), 443)
    } else {
        (first.clone(), 8443)
    };
    for (id, balancer, port) in [("Listener", &first, 443), ("Listener2", &second, port)] {
        stack.add(
            id,
            Listener::builder()
                .load_balancer(balancer)
                .port(port)
                .default_target_group(&targets)
                .build(),
        );
    }
    stack
}

#[test]
fn a_target_group_behind_two_load_balancers_is_refused() {
    assert_eq!(
        codes(listeners_to_one_group(true)),
        [(Code::VF0420, at("Net/Listener2"))]
    );
}

#[test]
fn two_listeners_of_one_load_balancer_may_share_a_target_group() {
    assert_eq!(codes(listeners_to_one_group(false)), []);
}

// ── 3. one permission once per direction ─────────────────────────────────────────────────

fn group(ingress: Vec<Rule<Main>>, egress: Vec<Rule<Main>>) -> Stack<Net> {
    let (mut stack, vpc, _) = net();
    stack.add(
        "Web",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress(ingress)
            .egress(egress)
            .build(),
    );
    stack
}

fn https_from(cidr: &str, port: u16, description: &str) -> Rule<Main> {
    Rule::new(Port::tcp(port), Peer::ipv4(cidr)).description(description)
}

#[test]
fn the_same_ingress_permission_twice_is_refused_whatever_the_descriptions() {
    let rules = vec![
        https_from("10.1.0.0/16", 443, "clients"),
        https_from("10.1.0.0/16", 443, "other clients"),
    ];
    assert_eq!(
        codes(group(rules, Vec::new())),
        [(Code::VF0421, at("Net/Web"))]
    );
}

#[test]
fn the_same_egress_permission_twice_is_refused_even_as_a_range() {
    let rules = vec![
        https_from("10.1.0.0/16", 443, "to the service"),
        Rule::new(Port::tcp_range(443, 443), Peer::ipv4("10.1.0.0/16")),
    ];
    assert_eq!(
        codes(group(Vec::new(), rules)),
        [(Code::VF0421, at("Net/Web"))]
    );
}

#[test]
fn permissions_differing_in_port_peer_or_direction_synthesize() {
    let ingress = vec![
        https_from("10.1.0.0/16", 443, "clients"),
        https_from("10.1.0.0/16", 8443, "clients"),
        https_from("10.2.0.0/16", 443, "clients"),
    ];
    let egress = vec![https_from("10.1.0.0/16", 443, "clients")];
    assert_eq!(codes(group(ingress, egress)), []);
}

// ── 4. one peering connection per pair of VPCs ───────────────────────────────────────────

fn peerings(second_reversed: bool, second_to_external: bool) -> Stack<Net> {
    let (mut stack, main, _) = net();
    let other = stack.add(
        "Other",
        Vpc::<Other>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    stack.add(
        "Peering",
        VpcPeering::builder().vpc(&main).peer(&other).build(),
    );
    if second_to_external {
        let third = stack.add(
            "Third",
            Vpc::<Other>::builder().cidr(cidr!("10.2.0.0/16")).build(),
        );
        stack.add(
            "Peering2",
            VpcPeering::builder().vpc(&main).peer(&third).build(),
        );
    } else if second_reversed {
        stack.add(
            "Peering2",
            VpcPeering::builder().vpc(&other).peer(&main).build(),
        );
    } else {
        stack.add(
            "Peering2",
            VpcPeering::builder().vpc(&main).peer(&other).build(),
        );
    }
    stack
}

#[test]
fn two_peerings_of_the_same_vpcs_are_refused_whichever_requests() {
    for reversed in [false, true] {
        assert_eq!(
            codes(peerings(reversed, false)),
            [(Code::VF0630, at("Net/Peering2"))],
            "reversed: {reversed}"
        );
    }
}

#[test]
fn peerings_to_two_vpcs_synthesize() {
    assert_eq!(codes(peerings(false, true)), []);
}

/// Two peerings of `Main` with VPCs outside the app: the first with vpc-0123456789abcdef0,
/// the second with `second` (an `ExternalVpc` built from that ID).
fn external_peerings(second: impl Fn(&str) -> ExternalVpc) -> Stack<Net> {
    let (mut stack, main, _) = net();
    let first = "vpc-0123456789abcdef0";
    stack.add(
        "Peering",
        VpcPeering::builder()
            .vpc(&main)
            .peer(ExternalVpc::new(first, cidr!("10.50.0.0/16")))
            .build(),
    );
    stack.add(
        "Peering2",
        VpcPeering::builder().vpc(&main).peer(second(first)).build(),
    );
    stack
}

#[test]
fn two_peerings_of_a_vpc_with_the_same_external_vpc_are_refused() {
    assert_eq!(
        codes(external_peerings(|id| ExternalVpc::new(
            id,
            cidr!("10.50.0.0/16")
        ))),
        [(Code::VF0630, at("Net/Peering2"))]
    );
    // The requester's own region and account, written out: still the same VPC.
    let pinned = |second: fn(&str) -> ExternalVpc| {
        external_peerings(second)
            .region("eu-west-1")
            .account("111122223333")
    };
    assert_eq!(
        codes(pinned(|id| ExternalVpc::new(id, cidr!("10.50.0.0/16"))
            .region("eu-west-1")
            .owner("111122223333"))),
        [(Code::VF0630, at("Net/Peering2"))]
    );
}

#[test]
fn peerings_with_other_external_vpcs_synthesize() {
    // Another VPC ID.
    assert_eq!(
        codes(external_peerings(|_| ExternalVpc::new(
            "vpc-0fedcba9876543210",
            cidr!("10.51.0.0/16")
        ))),
        []
    );
    // The same ID in a region the stack is not pinned to: not known to be the same VPC.
    assert_eq!(
        codes(external_peerings(|id| ExternalVpc::new(
            id,
            cidr!("10.50.0.0/16")
        )
        .region("eu-west-1"))),
        []
    );
}

// ── 5. one flow log per resource, traffic type and destination ───────────────────────────

fn flow_logs(second: TrafficType, second_bucket: &str) -> Stack<Net> {
    let (mut stack, vpc, _) = net();
    for (id, traffic, bucket) in [
        ("Logs", TrafficType::All, "arn:aws:s3:::central-flow-logs"),
        ("Logs2", second, second_bucket),
    ] {
        stack.add(
            id,
            FlowLog::builder()
                .resource(&vpc)
                .destination(FlowLogDestination::s3(bucket))
                .traffic_type(traffic)
                .build(),
        );
    }
    stack
}

#[test]
fn two_flow_logs_of_one_vpc_traffic_type_and_bucket_are_refused() {
    assert_eq!(
        codes(flow_logs(
            TrafficType::All,
            "arn:aws:s3:::central-flow-logs"
        )),
        [(Code::VF0820, at("Net/Logs2"))]
    );
}

#[test]
fn flow_logs_of_other_traffic_types_or_buckets_synthesize() {
    assert_eq!(
        codes(flow_logs(
            TrafficType::Reject,
            "arn:aws:s3:::central-flow-logs"
        )),
        []
    );
    assert_eq!(
        codes(flow_logs(TrafficType::All, "arn:aws:s3:::other-flow-logs")),
        []
    );
}

/// Two flow logs of `Main`'s traffic to the buckets given (a reference or a literal); the
/// stack creates buckets `Logs` and `Audit` itself.
fn flow_logs_to(first: Value, second: Value) -> Stack<Net> {
    let (mut stack, vpc, _) = net();
    for bucket in ["LogsBucket", "AuditBucket"] {
        stack.add_resource(bucket, vpcform_net::cfn::Resource::new("AWS::S3::Bucket"));
    }
    for (id, bucket) in [("Logs", first), ("Logs2", second)] {
        stack.add(
            id,
            FlowLog::builder()
                .resource(&vpc)
                .destination(FlowLogDestination::s3(bucket).prefix("network"))
                .build(),
        );
    }
    stack
}

#[test]
fn two_flow_logs_to_the_same_referenced_bucket_are_refused() {
    let logs = || Value::get_att("LogsBucket", "Arn");
    assert_eq!(
        codes(flow_logs_to(logs(), logs())),
        [(Code::VF0820, at("Net/Logs2"))]
    );
}

#[test]
fn flow_logs_to_buckets_not_known_to_be_the_same_synthesize() {
    // Two references: other buckets, or perhaps not; nothing is said.
    assert_eq!(
        codes(flow_logs_to(
            Value::get_att("LogsBucket", "Arn"),
            Value::get_att("AuditBucket", "Arn")
        )),
        []
    );
    // A reference and a literal: not compared.
    assert_eq!(
        codes(flow_logs_to(
            Value::get_att("LogsBucket", "Arn"),
            Value::from("arn:aws:s3:::central-flow-logs")
        )),
        []
    );
}

// ── 6. a custom policy on a service that takes only the full-access one ─────────────────

fn neptune_endpoint(policy: EndpointPolicy, data_plane: bool) -> Stack<Net> {
    let (mut stack, vpc, subnets) = net();
    // Two builder types (the service is a type parameter): one arm each.
    let subnets = [&subnets[0], &subnets[1]];
    let endpoint = if data_plane {
        stack.add(
            "Graph",
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::NeptuneGraphData)
                .subnets(subnets)
                .policy(policy)
                .build(),
        )
    } else {
        stack.add(
            "Graph",
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::NeptuneGraph)
                .subnets(subnets)
                .policy(policy)
                .build(),
        )
    };
    let _ = endpoint;
    stack.allow(Code::VF0410);
    stack
}

fn custom_policy() -> EndpointPolicy {
    EndpointPolicy::from(serde_json::json!({
        "Statement": [{
            "Effect": "Allow",
            "Principal": "*",
            "Action": "neptune-graph:GetGraph",
            "Resource": "*"
        }]
    }))
}

#[test]
fn a_custom_policy_on_neptune_graph_is_refused() {
    assert_eq!(
        codes(neptune_endpoint(custom_policy(), false)),
        [(Code::VF0206, at("Net/Graph"))]
    );
}

#[test]
fn a_custom_policy_on_neptune_graph_data_synthesizes() {
    assert_eq!(codes(neptune_endpoint(custom_policy(), true)), []);
}

// ── 7. principals and ARNs of another partition ──────────────────────────────────────────

fn service_allowing(principal: &str, region: Option<&str>) -> Stack<Net> {
    let (mut stack, _, subnets) = net();
    let balancer = nlb(&mut stack, "Nlb", &subnets);
    stack.add(
        "Service",
        EndpointService::builder()
            .network_load_balancers([&balancer])
            .allowed_principals([principal])
            .build(),
    );
    match region {
        Some(region) => stack.region(region),
        None => stack,
    }
}

#[test]
fn an_allowed_principal_of_another_partition_is_refused() {
    assert_eq!(
        codes(service_allowing(
            "arn:aws-cn:iam::111122223333:root",
            Some("eu-west-1")
        )),
        [(Code::VF0940, at("Net/Service"))]
    );
}

#[test]
fn an_allowed_principal_of_the_stacks_partition_synthesizes() {
    let principal = "arn:aws-cn:iam::111122223333:root";
    assert_eq!(codes(service_allowing(principal, Some("cn-north-1"))), []);
    // An ambient region's partition is unknown: nothing to compare.
    assert_eq!(codes(service_allowing(principal, None)), []);
}

#[test]
fn a_role_of_another_partition_is_refused() {
    let (stack, _, _) = net();
    let stack = stack
        .region("us-east-1")
        .role_arn("arn:aws-us-gov:iam::111122223333:role/deploy");
    assert_eq!(codes(stack), [(Code::VF0940, at("Net"))]);
}

#[test]
fn a_role_of_the_stacks_partition_or_an_ambient_region_synthesizes() {
    let role = "arn:aws-us-gov:iam::111122223333:role/deploy";
    let (stack, _, _) = net();
    assert_eq!(codes(stack.region("us-gov-west-1").role_arn(role)), []);
    let (stack, _, _) = net();
    assert_eq!(codes(stack.role_arn(role)), []);
}

/// The VPC's flow log to `destination`, in a stack of `region`.
fn flow_log_in(region: &str, destination: FlowLogDestination) -> Stack<Net> {
    let (mut stack, vpc, _) = net();
    stack.add(
        "Logs",
        FlowLog::builder()
            .resource(&vpc)
            .destination(destination)
            .build(),
    );
    stack.region(region)
}

#[test]
fn a_flow_log_bucket_of_another_partition_is_refused() {
    let logs = |region: &str| {
        flow_log_in(
            region,
            FlowLogDestination::s3("arn:aws-cn:s3:::central-flow-logs"),
        )
    };
    assert_eq!(codes(logs("eu-west-1")), [(Code::VF0940, at("Net/Logs"))]);
    assert_eq!(codes(logs("cn-north-1")), []);
}

#[test]
fn a_flow_log_groups_kms_key_of_another_partition_is_refused() {
    let logs = |region: &str| {
        flow_log_in(
            region,
            FlowLogDestination::cloud_watch_logs().kms_key(
                "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ),
        )
    };
    assert_eq!(codes(logs("us-east-1")), [(Code::VF0940, at("Net/Logs"))]);
    assert_eq!(codes(logs("cn-north-1")), []);
}

#[test]
fn an_external_peers_role_of_another_partition_is_refused() {
    let peering = |role: &str| {
        let (mut stack, main, _) = net();
        stack.add(
            "Peering",
            VpcPeering::builder()
                .vpc(&main)
                .peer(
                    ExternalVpc::new("vpc-0123456789abcdef0", cidr!("10.50.0.0/16"))
                        .owner("123456789012")
                        .role_arn(role),
                )
                .build(),
        );
        stack.region("eu-west-1")
    };
    assert_eq!(
        codes(peering("arn:aws-us-gov:iam::123456789012:role/peering")),
        [(Code::VF0940, at("Net/Peering"))]
    );
    assert_eq!(codes(peering("arn:aws:iam::123456789012:role/peering")), []);
}

/// An SQS interface endpoint with a policy allowing `principal` to send to `queue`, and an S3
/// gateway endpoint whose policy names `bucket`, in a stack of `region`.
fn endpoint_policies(
    principal: &str,
    queue: &str,
    bucket: &str,
    region: Option<&str>,
) -> Stack<Net> {
    let (mut stack, vpc, subnets) = net();
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&subnets[0], &subnets[1]])
            .policy(EndpointPolicy::from(serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": [principal]},
                    "Action": "sqs:SendMessage",
                    "Resource": queue
                }]
            })))
            .build(),
    );
    let routes = stack.add("Routes", RouteTable::builder().vpc(&vpc).build());
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .policy(EndpointPolicy::from(serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "NotResource": [bucket]
                }]
            })))
            .build(),
    );
    stack.allow(Code::VF0410);
    match region {
        Some(region) => stack.region(region),
        None => stack,
    }
}

const ROLE: &str = "arn:aws:iam::111122223333:role/producer";
const QUEUE: &str = "arn:aws:sqs:us-east-1:111122223333:orders";
const BUCKET: &str = "arn:aws:s3:::orders/*";

#[test]
fn an_endpoint_policys_principal_or_resource_of_another_partition_is_refused() {
    let east = Some("us-east-1");
    assert_eq!(
        codes(endpoint_policies(
            "arn:aws-cn:iam::111122223333:role/producer",
            QUEUE,
            BUCKET,
            east
        )),
        [(Code::VF0940, at("Net/Sqs"))]
    );
    assert_eq!(
        codes(endpoint_policies(
            ROLE,
            "arn:aws-us-gov:sqs:us-gov-west-1:111122223333:orders",
            BUCKET,
            east
        )),
        [(Code::VF0940, at("Net/Sqs"))]
    );
    assert_eq!(
        codes(endpoint_policies(
            ROLE,
            QUEUE,
            "arn:aws-cn:s3:::orders/*",
            east
        )),
        [(Code::VF0940, at("Net/S3"))]
    );
}

#[test]
fn an_endpoint_policy_of_the_stacks_partition_or_an_ambient_region_synthesizes() {
    assert_eq!(
        codes(endpoint_policies(ROLE, QUEUE, BUCKET, Some("us-east-1"))),
        []
    );
    // An account ID is no ARN; an ambient region's partition is unknown.
    assert_eq!(
        codes(endpoint_policies(
            "111122223333",
            QUEUE,
            BUCKET,
            Some("us-east-1")
        )),
        []
    );
    assert_eq!(
        codes(endpoint_policies(
            "arn:aws-cn:iam::111122223333:role/producer",
            QUEUE,
            BUCKET,
            None
        )),
        []
    );
    // In aws-cn, the aws-cn ARNs are the stack's.
    assert_eq!(
        codes(endpoint_policies(
            "arn:aws-cn:iam::111122223333:role/producer",
            "arn:aws-cn:sqs:cn-north-1:111122223333:orders",
            "arn:aws-cn:s3:::orders/*",
            Some("cn-north-1")
        )),
        []
    );
}

#[test]
fn a_stack_sets_administration_role_of_another_partition_is_refused() {
    let set = |role: &str| {
        let (stack, _, _) = net();
        let mut app = App::new("fleet");
        app.add_stack_set(
            StackSet::new(stack.region("eu-west-1"))
                .targets(StackSetTargets::accounts(["111111111111"]))
                .regions(["eu-west-1"])
                .permission_model(PermissionModel::self_managed().roles(role, "StackSetExecution")),
        );
        error_codes(&app)
    };
    assert_eq!(
        set("arn:aws-cn:iam::111122223333:role/StackSetAdmin"),
        [(Code::VF0940, at("Net"))]
    );
    assert_eq!(set("arn:aws:iam::111122223333:role/StackSetAdmin"), []);
}
