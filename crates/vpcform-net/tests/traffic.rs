//! The traffic analysis: each way a flow can go, found from the synthesized topology.

use vpcform_net::prelude::*;
use vpcform_net::traffic::PathKind;
use vpcform_net::vpc::{InternetGateway, NatGateway};
use vpcform_net::vpc::{SubnetRef, VpcRef, WorkloadRef};

vpcform_net::topology! {
    stack Provider { vpc VpcB }
    stack Consumer { vpc VpcA }
}

/// VPC A with a public subnet (internet gateway, NAT gateway) and a private one whose route
/// table sends 0.0.0.0/0 to the NAT gateway; the workload runs in the private subnet.
struct NatConsumer {
    stack: Stack<Consumer>,
    vpc: VpcRef<VpcA>,
    private: SubnetRef<VpcA>,
    routes: vpcform_net::vpc::RouteTableRef<VpcA>,
    pods: WorkloadRef<VpcA>,
}

fn consumer_behind_nat() -> NatConsumer {
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let public = stack.add(
        "Public",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.0.0/24"))
            .availability_zone(Az::index(0))
            .map_public_ip_on_launch(true)
            .build(),
    );
    let private = stack.add(
        "Private",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let igw = stack.add("Internet", InternetGateway::builder().vpc(&vpc).build());
    let public_routes = stack.add(
        "PublicRoutes",
        RouteTable::builder().vpc(&vpc).subnets([&public]).build(),
    );
    stack.add(
        "PublicDefault",
        Route::builder()
            .route_table(&public_routes)
            .destination(cidr!("0.0.0.0/0"))
            .target(&igw)
            .build(),
    );
    let nat = stack.add("Nat", NatGateway::builder().subnet(&public).build());
    let routes = stack.add(
        "PrivateRoutes",
        RouteTable::builder().vpc(&vpc).subnets([&private]).build(),
    );
    stack.add(
        "PrivateDefault",
        Route::builder()
            .route_table(&routes)
            .destination(cidr!("0.0.0.0/0"))
            .target(&nat)
            .build(),
    );
    let pods = stack.add("Pods", Workload::builder().subnets([&private]).build());
    NatConsumer {
        stack,
        vpc,
        private,
        routes,
        pods,
    }
}

fn analyse(app: &App) -> Vec<(PathKind, Option<String>, Option<String>)> {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    assembly
        .traffic()
        .flows
        .iter()
        .map(|f| {
            (
                f.path,
                f.subnets[0].via.clone(),
                f.subnets[0].reason.clone(),
            )
        })
        .collect()
}

fn one_stack_app(stack: Stack<Consumer>) -> App {
    let mut app = App::new("traffic");
    app.add_stack(stack);
    app
}

#[test]
fn nat_default_route_and_no_s3_endpoint_is_public() {
    let c = consumer_behind_nat();
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&c.pods, services::S3, Port::tcp(443)).gb_per_month(100.0));
    let paths = analyse(&app);
    assert_eq!(paths[0].0, PathKind::NatGateway);
    assert_eq!(paths[0].1.as_deref(), Some("Consumer/Nat"));
    let assembly = app.synth().expect("synth");
    assert_eq!(
        assembly.traffic().flows[0].subnets[0].fix.as_deref(),
        Some("add a GatewayEndpoint for s3 on route table Consumer/PrivateRoutes (free)")
    );
    // The NAT gateway carries the 100 GB: 730 h x $0.045 + 100 GB x $0.045.
    let nat = &assembly.cost().stacks[0]
        .items
        .iter()
        .find(|i| i.resource == "Consumer/Nat")
        .expect("nat item");
    assert_eq!(nat.monthly, 37.35);
}

#[test]
fn a_gateway_endpoint_on_the_route_table_makes_it_private_despite_the_nat_route() {
    let mut c = consumer_behind_nat();
    c.stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&c.vpc)
            .service(services::S3)
            .route_tables([&c.routes])
            .build(),
    );
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&c.pods, services::S3, Port::tcp(443)));
    assert_eq!(analyse(&app)[0].0, PathKind::GatewayEndpoint);
    assert_eq!(analyse(&app)[0].1.as_deref(), Some("Consumer/S3"));
}

#[test]
fn a_gateway_endpoint_on_another_route_table_does_not_count() {
    let mut c = consumer_behind_nat();
    let other = c
        .stack
        .add("OtherRoutes", RouteTable::builder().vpc(&c.vpc).build());
    c.stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&c.vpc)
            .service(services::S3)
            .route_tables([&other])
            .build(),
    );
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&c.pods, services::S3, Port::tcp(443)));
    let paths = analyse(&app);
    assert_eq!(paths[0].0, PathKind::NatGateway);
    assert!(
        paths[0]
            .2
            .as_deref()
            .unwrap_or_default()
            .contains("gateway endpoint Consumer/S3 is not on route table Consumer/PrivateRoutes"),
        "{paths:?}"
    );
}

#[test]
fn no_route_at_all_is_unreachable() {
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let private = stack.add(
        "Private",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&private]).build(),
    );
    let pods = stack.add("Pods", Workload::builder().subnets([&private]).build());
    let mut app = one_stack_app(stack);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)));
    let paths = analyse(&app);
    assert_eq!(paths[0].0, PathKind::Unreachable);
    assert_eq!(
        paths[0].2.as_deref(),
        Some(
            "no route: route table Consumer/Routes has no endpoint for sqs and no 0.0.0.0/0 route"
        )
    );
}

fn with_sqs_endpoint(c: &mut NatConsumer, admitted: &str) {
    let sg = c.stack.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&c.vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(admitted))])
            .build(),
    );
    c.stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&c.vpc)
            .service(services::Sqs)
            .subnets([&c.private])
            .security_groups([&sg])
            .build(),
    );
}

#[test]
fn an_interface_endpoint_whose_security_group_admits_the_workload_is_private() {
    let mut c = consumer_behind_nat();
    with_sqs_endpoint(&mut c, "10.0.0.0/16");
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&c.pods, services::Sqs, Port::tcp(443)));
    assert_eq!(analyse(&app)[0].0, PathKind::InterfaceEndpoint);
}

#[test]
fn an_endpoint_security_group_not_admitting_the_workload_is_unreachable_with_that_reason() {
    let mut c = consumer_behind_nat();
    with_sqs_endpoint(&mut c, "10.0.200.0/24");
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&c.pods, services::Sqs, Port::tcp(443)));
    let paths = analyse(&app);
    assert_eq!(paths[0].0, PathKind::Unreachable);
    assert_eq!(
        paths[0].2.as_deref(),
        Some(
            "the endpoint's security group Consumer/EndpointSg does not admit 10.0.1.0/24 on TCP 443"
        )
    );
}

#[test]
fn a_security_group_peer_admits_the_workloads_group() {
    let mut c = consumer_behind_nat();
    let pods_sg = c
        .stack
        .add("PodsSg", SecurityGroup::builder().vpc(&c.vpc).build());
    let sg = c.stack.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&c.vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::security_group(&pods_sg))])
            .build(),
    );
    c.stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&c.vpc)
            .service(services::Sqs)
            .subnets([&c.private])
            .security_groups([&sg])
            .build(),
    );
    let pods = c.stack.add(
        "PodsWithSg",
        Workload::builder()
            .subnets([&c.private])
            .security_groups([&pods_sg])
            .build(),
    );
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)));
    assert_eq!(analyse(&app)[0].0, PathKind::InterfaceEndpoint);
}

/// A provider whose NLB group admits `admitted` on 443, and a consumer with an endpoint to it.
fn privatelink(
    admitted: &str,
    listener_port: u16,
    provider_account: Option<&str>,
    principals: &[&str],
) -> (App, PathKind, Option<String>) {
    privatelink_enforcing(admitted, listener_port, provider_account, principals, true)
}

fn privatelink_enforcing(
    admitted: &str,
    listener_port: u16,
    provider_account: Option<&str>,
    principals: &[&str],
    enforce: bool,
) -> (App, PathKind, Option<String>) {
    privatelink_with(
        admitted,
        listener_port,
        provider_account,
        principals,
        enforce,
        false,
    )
}

fn privatelink_with(
    admitted: &str,
    listener_port: u16,
    provider_account: Option<&str>,
    principals: &[&str],
    enforce: bool,
    acceptance_required: bool,
) -> (App, PathKind, Option<String>) {
    // The two stacks may be of different accounts: their zones are given by ID, the one form
    // that means the same zone in every account.
    let mut provider = Stack::<Provider>::new("Provider");
    if let Some(account) = provider_account {
        provider = provider.account(account);
    }
    let vpc_b = provider.add(
        "VpcB",
        Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let b1 = provider.add(
        "B1",
        Subnet::builder()
            .vpc(&vpc_b)
            .cidr(cidr!("10.1.1.0/24"))
            .availability_zone(Az::id("use1-az1"))
            .build(),
    );
    let nlb_sg = provider.add(
        "NlbSg",
        SecurityGroup::builder()
            .vpc(&vpc_b)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(admitted))])
            .build(),
    );
    let nlb = provider.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&b1])
            .security_groups([&nlb_sg])
            .enforce_security_group_inbound_rules_on_private_link_traffic(enforce)
            .build(),
    );
    let targets = provider.add(
        "Targets",
        TargetGroup::builder().vpc(&vpc_b).port(443).build(),
    );
    provider.add(
        "Listener",
        Listener::builder()
            .load_balancer(&nlb)
            .port(listener_port)
            .default_target_group(&targets)
            .build(),
    );
    let service = provider.add(
        "Service",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .allowed_principals(principals.iter().copied())
            .acceptance_required(acceptance_required)
            .build(),
    );
    // Another account: no import reaches it, so the consumer is given the deployed name.
    let name = service.deployed_name("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");

    let mut consumer = Stack::<Consumer>::new("Consumer").account("111122223333");
    let vpc_a = consumer.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let a1 = consumer.add(
        "A1",
        Subnet::builder()
            .vpc(&vpc_a)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::id("use1-az1"))
            .build(),
    );
    let sg = consumer.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&vpc_a)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/16"))])
            .build(),
    );
    let imported = name;
    consumer.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc_a)
            .service(imported)
            .subnets([&a1])
            .security_groups([&sg])
            .build(),
    );
    let pods = consumer.add("Pods", Workload::builder().subnets([&a1]).build());
    let mut app = App::new("pl");
    app.add_stack(provider);
    app.add_stack(consumer);
    app.flow(Flow::new(&pods, &service, Port::tcp(443)).gb_per_month(10.0));
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let flow = &assembly.traffic().flows[0];
    (app, flow.path, flow.subnets[0].reason.clone())
}

#[test]
fn privatelink_to_an_nlb_admitting_the_consumer_is_private() {
    let (_, path, reason) = privatelink("10.0.0.0/16", 443, None, &[]);
    assert_eq!(path, PathKind::InterfaceEndpoint, "{reason:?}");
}

/// A service that requires acceptance (AWS's and vpcform's default) leaves the endpoint
/// `pendingAcceptance` after deploy: the report says so and names the provider's step, and
/// nothing is public, so `require_private_traffic` lets it through.
#[test]
fn an_acceptance_required_service_leaves_the_flow_pending_acceptance() {
    let (mut app, path, reason) = privatelink_with(
        "10.0.0.0/16",
        443,
        Some("444455556666"),
        &["arn:aws:iam::111122223333:root"],
        true,
        true,
    );
    assert_eq!(path, PathKind::PendingAcceptance, "{reason:?}");
    assert_eq!(
        reason.as_deref(),
        Some(
            "endpoint service Provider/Service requires acceptance: Consumer/Endpoint stays \
             pendingAcceptance, and carries nothing, until the provider accepts it"
        )
    );
    let assembly = app.synth().expect("synthesizes");
    let fix = assembly.traffic().flows[0].subnets[0]
        .fix
        .clone()
        .unwrap_or_default();
    assert!(
        fix.starts_with(
            "after deploy, accept it on the provider's side: aws ec2 \
             accept-vpc-endpoint-connections --service-id <Provider/Service's ID>"
        ),
        "{fix}"
    );
    assert!(assembly.traffic().table().contains("PENDING ACCEPTANCE"));
    app.require_private_traffic();
    assert!(app.synth().is_ok(), "pending acceptance is not public");
}

#[test]
fn an_nlb_security_group_not_admitting_the_privatelink_traffic_is_unreachable() {
    // Admitting the provider's own VPC — the CDK default's trap.
    let (_, path, reason) = privatelink("10.1.0.0/16", 443, None, &[]);
    assert_eq!(path, PathKind::Unreachable);
    assert_eq!(
        reason.as_deref(),
        Some(
            "the NLB's security group Provider/NlbSg does not admit the PrivateLink traffic: AWS \
             evaluates it on the client's IP, 10.0.1.0/24, on TCP 443"
        )
    );
}

#[test]
fn no_listener_on_the_port_is_unreachable() {
    let (_, path, reason) = privatelink("10.0.0.0/16", 8443, None, &[]);
    assert_eq!(path, PathKind::Unreachable);
    assert!(
        reason
            .unwrap_or_default()
            .starts_with("no listener on TCP 443")
    );
}

#[test]
fn an_endpoint_service_not_allowing_the_consumer_account_is_unreachable() {
    let (_, path, reason) = privatelink(
        "10.0.0.0/16",
        443,
        Some("444455556666"),
        &["arn:aws:iam::999999999999:root"],
    );
    assert_eq!(path, PathKind::Unreachable);
    assert!(
        reason
            .unwrap_or_default()
            .contains("does not allow account 111122223333")
    );
    let (_, path, _) = privatelink(
        "10.0.0.0/16",
        443,
        Some("444455556666"),
        &["arn:aws:iam::111122223333:root"],
    );
    assert_eq!(path, PathKind::InterfaceEndpoint);
}

#[test]
fn require_private_traffic_fails_on_a_public_flow_naming_the_missing_piece() {
    let c = consumer_behind_nat();
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&c.pods, services::S3, Port::tcp(443)));
    app.require_private_traffic();
    let errors = app.synth().expect_err("public traffic");
    let error = &errors.errors()[0];
    assert_eq!(error.code(), vpcform_net::findings::Code::VF1003);
    assert_eq!(
        error.to_string(),
        "traffic Consumer/Pods -> s3 (TCP 443) is PUBLIC (NAT gateway): s3 is reached over the \
         internet through the NAT gateway"
    );
    assert_eq!(
        error.help().as_deref(),
        Some("add a GatewayEndpoint for s3 on route table Consumer/PrivateRoutes (free)")
    );
}

#[test]
fn require_private_traffic_passes_when_every_flow_is_private() {
    let mut c = consumer_behind_nat();
    c.stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&c.vpc)
            .service(services::S3)
            .route_tables([&c.routes])
            .build(),
    );
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&c.pods, services::S3, Port::tcp(443)));
    app.require_private_traffic();
    assert!(app.synth().is_ok());
}

#[test]
fn the_nat_alternative_is_priced_beside_the_endpoints() {
    let mut c = consumer_behind_nat();
    with_sqs_endpoint(&mut c, "10.0.0.0/16");
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&c.pods, services::Sqs, Port::tcp(443)).gb_per_month(1000.0));
    let assembly = app.synth().expect("synth");
    let cost = assembly.cost();
    // Endpoint: 1 AZ x 730 h x $0.01 + 1000 GB x $0.01 = 17.30.
    assert_eq!(cost.endpoints, 17.3);
    // NAT: 1 AZ x 730 h x $0.045 + 1000 GB x $0.045 = 77.85.
    assert_eq!(cost.nat_alternative, 77.85);
    assert!(cost.to_string().contains(
        "traffic to AWS services through endpoints: $17.30/month; the same traffic through NAT: $77.85/month"
    ));
}

/// Prices that tell every term apart: no price is 0 or 1, no two are equal.
fn test_prices() -> vpcform_net::cost::Prices {
    let text = r#"{
        "region": "test-region-1", "currency": "USD", "retrieved": "2026-11-26",
        "source": "made up for the test", "hours_per_month": 100,
        "interface_endpoint_per_az_hour": 0.1, "interface_endpoint_per_gb": 0.01,
        "gateway_endpoint_per_hour": 0.0, "nat_gateway_per_hour": 0.5,
        "nat_gateway_per_gb": 0.05, "nlb_per_hour": 0.2, "nlb_per_nlcu_hour": 0.003,
        "cross_az_per_gb": 0.04, "transit_gateway_attachment_per_hour": 0.07,
        "transit_gateway_per_gb": 0.02, "hosted_zone_per_month": 0.3
    }"#;
    vpcform_net::cost::Prices::from_json(text, "test").unwrap_or_else(|e| panic!("{e}"))
}

fn items(cost: &vpcform_net::cost::CostReport) -> Vec<(String, f64)> {
    cost.stacks
        .iter()
        .flat_map(|s| s.items.iter().map(|i| (i.resource.clone(), i.monthly)))
        .collect()
}

#[test]
fn each_item_is_priced_from_its_hours_and_the_gigabytes_that_go_through_it() {
    let mut c = consumer_behind_nat();
    with_sqs_endpoint(&mut c, "10.0.0.0/16");
    let mut app = one_stack_app(c.stack);
    app.prices(test_prices());
    app.flow(Flow::new(&c.pods, services::Sqs, Port::tcp(443)).gb_per_month(1000.0));
    app.flow(Flow::new(&c.pods, services::S3, Port::tcp(443)).gb_per_month(500.0));
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let cost = assembly.cost();
    assert_eq!(
        items(cost),
        [
            // 100 h x $0.5 + 500 GB (S3, no gateway endpoint) x $0.05
            ("Consumer/Nat".to_string(), 75.0),
            // 1 AZ x 100 h x $0.1 + 1000 GB x $0.01
            ("Consumer/Sqs".to_string(), 20.0),
        ]
    );
    // NAT: 100 h x $0.5 + 500 GB x $0.05 = 75; the endpoint: 10 + 10 = 20.
    assert_eq!(cost.stacks[0].total, 95.0);
    assert_eq!(cost.total, 95.0);
    // All AWS-service traffic through endpoints: S3 by gateway (free), SQS as today: 20.
    assert_eq!(cost.endpoints, 20.0);
    // All of it through NAT: one NAT (1 VPC x 1 AZ) 100 h x $0.5 + 1500 GB x $0.05 = 125.
    assert_eq!(cost.nat_alternative, 125.0);
}

#[test]
fn privatelink_bills_the_consumers_endpoint_and_the_providers_load_balancer() {
    let (mut app, path, _) = privatelink("10.0.0.0/16", 443, None, &[]);
    assert_eq!(path, PathKind::InterfaceEndpoint);
    app.prices(test_prices());
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let cost = assembly.cost();
    assert_eq!(
        items(cost),
        [
            // 100 h x $0.2 + 10 GB as NLCU-hours x $0.003
            ("Provider/Nlb".to_string(), 20.03),
            // 1 AZ x 100 h x $0.1 + 10 GB x $0.01
            ("Consumer/Endpoint".to_string(), 10.1),
        ]
    );
    assert_eq!(cost.total, 30.13);
    // No AWS-service traffic: nothing to compare.
    assert_eq!((cost.endpoints, cost.nat_alternative), (0.0, 0.0));
    // A flow that does not arrive (no listener on its port) adds no NLCUs.
    let (mut app, path, _) = privatelink("10.0.0.0/16", 8443, None, &[]);
    assert_eq!(path, PathKind::Unreachable);
    app.prices(test_prices());
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        items(assembly.cost())[0],
        ("Provider/Nlb".to_string(), 20.0)
    );
}

#[test]
fn with_enforcement_off_the_nlb_group_does_not_judge_privatelink_traffic() {
    let (_, path, reason) = privatelink_enforcing("10.1.0.0/16", 443, None, &[], false);
    assert_eq!(path, PathKind::InterfaceEndpoint, "{reason:?}");
}

#[test]
fn a_flow_takes_its_worst_subnet_and_the_table_shows_subnets_that_differ() {
    let mut c = consumer_behind_nat();
    // A second private subnet whose table has the S3 gateway endpoint.
    let other = c.stack.add(
        "Private2",
        Subnet::builder()
            .vpc(&c.vpc)
            .cidr(cidr!("10.0.2.0/24"))
            .availability_zone(Az::index(1))
            .build(),
    );
    let with_s3 = c.stack.add(
        "S3Routes",
        RouteTable::builder().vpc(&c.vpc).subnets([&other]).build(),
    );
    c.stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&c.vpc)
            .service(services::S3)
            .route_tables([&with_s3])
            .build(),
    );
    let other2 = c.stack.add(
        "Private3",
        Subnet::builder()
            .vpc(&c.vpc)
            .cidr(cidr!("10.0.3.0/24"))
            .availability_zone(Az::index(2))
            .build(),
    );
    c.stack.add(
        "S3Routes3",
        RouteTable::builder().vpc(&c.vpc).subnets([&other2]).build(),
    );
    // The public subnet first: the worst path wins whatever the order.
    let both = c.stack.add(
        "Both",
        Workload::builder().subnets([&c.private, &other]).build(),
    );
    // Two subnets that agree on the path but not on the way: shown apart.
    let apart = c.stack.add(
        "Apart",
        Workload::builder().subnets([&other, &other2]).build(),
    );
    let only = c
        .stack
        .add("Only", Workload::builder().subnets([&other]).build());
    let mut app = one_stack_app(c.stack);
    app.flow(Flow::new(&both, services::S3, Port::tcp(443)).gb_per_month(-0.0));
    app.flow(Flow::new(&only, services::S3, Port::tcp(443)));
    app.flow(Flow::new(&only, services::DynamoDb, Port::tcp(443)));
    app.flow(Flow::new(&apart, services::Sqs, Port::tcp(443)));
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let traffic = assembly.traffic();
    // The worst of private (gateway endpoint) and public (NAT) is public.
    assert_eq!(traffic.flows[0].path, PathKind::NatGateway);
    assert_eq!(traffic.flows[1].path, PathKind::GatewayEndpoint);
    // -0 GB is 0 GB: a report never shows "-0".
    let gb = traffic.flows[0].gb_per_month.unwrap_or(f64::NAN);
    assert!(gb == 0.0 && gb.is_sign_positive(), "{gb}");
    let fix = traffic.flows[2].subnets[0].fix.clone().unwrap_or_default();
    assert!(
        fix.starts_with("add a GatewayEndpoint for dynamodb"),
        "{fix}"
    );
    let table = traffic.table();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 7, "{table}");
    // What the analysis assumed, once: the VPC's default network ACL.
    assert_eq!(
        lines[6],
        "note: Consumer/VpcA: subnets without a network ACL of the app use the VPC's default network ACL, which allows all traffic in and out as AWS creates it"
    );
    // Subnets that differ: one row each, named.
    assert!(
        lines[0].starts_with("Consumer/Both -> s3 (TCP 443)        PUBLIC (NAT gateway)        [Consumer/Private] Consumer/Nat: s3 is reached over the internet through the NAT gateway; gateway endpoint Consumer/S3 is not on route table Consumer/PrivateRoutes (fix: add a GatewayEndpoint for s3"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "                                     private (gateway endpoint)  [Consumer/Private2] Consumer/S3"
    );
    // One subnet: one row, no subnet named.
    assert_eq!(
        lines[2],
        "Consumer/Only -> s3 (TCP 443)        private (gateway endpoint)  Consumer/S3"
    );
    assert!(
        lines[3].starts_with(
            "Consumer/Only -> dynamodb (TCP 443)  UNREACHABLE                 no route:"
        ),
        "{}",
        lines[3]
    );
}

#[test]
fn a_prices_file_of_the_earlier_shape_gets_the_newer_prices_bundled() {
    let text = r#"{
        "region": "eu-west-1", "currency": "USD", "retrieved": "2026-01-01",
        "source": "an older file", "hours_per_month": 730,
        "interface_endpoint_per_az_hour": 0.011, "interface_endpoint_per_gb": 0.01,
        "gateway_endpoint_per_hour": 0.0, "nat_gateway_per_hour": 0.048,
        "nat_gateway_per_gb": 0.048, "nlb_per_hour": 0.0252, "nlb_per_nlcu_hour": 0.006,
        "cross_az_per_gb": 0.01
    }"#;
    let prices =
        vpcform_net::cost::Prices::from_json(text, "old.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(prices.transit_gateway_attachment_per_hour, 0.05);
    assert_eq!(prices.transit_gateway_per_gb, 0.02);
    assert_eq!(prices.hosted_zone_per_month, 0.5);
}
