//! IPv6 routes (to internet and egress-only internet gateways, NAT64) and IPv6 flows in the
//! traffic analysis: endpoints with IPv6 addresses and AAAA records, security groups with IPv6
//! rules, `::/0` routes.

use vpcform_net::endpoints::{DnsOptions, DnsRecordIpType, IpAddressType};
use vpcform_net::findings::Code;
use vpcform_net::prelude::*;
use vpcform_net::vpc::{
    EgressOnlyInternetGateway, InternetGateway, Ipv6Block, NatGateway, RouteDestination, VpcRef,
};
use vpcform_net::vpc::{EgressOnlyInternetGatewayRef, RouteTableRef, SubnetRef};

include!("common/consumer.rs");
include!("common/report.rs");

/// A rule made from the VPC it belongs to.
type RuleOf = fn(&VpcRef<VpcA>) -> Rule<VpcA>;

struct Dual {
    stack: Stack<Consumer>,
    vpc: VpcRef<VpcA>,
    subnet: SubnetRef<VpcA>,
    routes: RouteTableRef<VpcA>,
    egress: EgressOnlyInternetGatewayRef<VpcA>,
}

/// A dual-stack VPC with one dual-stack subnet, its route table and an egress-only gateway.
fn dual() -> Dual {
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder()
            .cidr(cidr!("10.0.0.0/16"))
            .ipv6(Ipv6Block::AmazonProvided)
            .build(),
    );
    let subnet = stack.add(
        "Private",
        Subnet::builder()
            .vpc(&vpc)
            .cidr("10.0.1.0/24")
            .ipv6_index(0)
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
    Dual {
        stack,
        vpc,
        subnet,
        routes,
        egress,
    }
}

/// A group of the dual-stack VPC admitting HTTPS from the VPC's IPv6 block.
fn https_from_vpc(d: &mut Dual, id: &str) -> vpcform_net::security::SecurityGroupRef<VpcA> {
    d.stack.add(
        id,
        SecurityGroup::builder()
            .vpc(&d.vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::vpc_ipv6(&d.vpc))])
            .build(),
    )
}

/// The codes and constructs of `stack`'s synthesis errors (each code's text has its snapshot
/// in `finding.rs`).
fn codes(stack: Stack<Consumer>) -> Vec<(Code, Option<String>)> {
    let mut app = App::new("test");
    app.add_stack(stack);
    error_codes(&app)
}

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
}

fn route(d: &mut Dual, id: &str, destination: &str) {
    let (routes, egress) = (d.routes.clone(), d.egress.clone());
    d.stack.add(
        id,
        Route::builder()
            .route_table(&routes)
            .destination(destination)
            .target(&egress)
            .build(),
    );
}

#[test]
fn an_ipv6_default_route_to_the_egress_only_gateway_waits_for_the_block() {
    let mut d = dual();
    route(&mut d, "Default6", "::/0");
    let mut app = App::new("test");
    app.add_stack(d.stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    let r = &json["Resources"];
    assert_eq!(r["Egress6"]["Type"], "AWS::EC2::EgressOnlyInternetGateway");
    assert_eq!(
        r["Egress6"]["Properties"]["VpcId"],
        serde_json::json!({"Ref": "VpcA"})
    );
    assert_eq!(
        r["Default6"],
        serde_json::json!({
            "Type": "AWS::EC2::Route",
            "DependsOn": ["VpcAIpv6Block"],
            "Properties": {
                "RouteTableId": {"Ref": "Routes"},
                "DestinationIpv6CidrBlock": "::/0",
                "EgressOnlyInternetGatewayId": {"Ref": "Egress6"}
            }
        })
    );
}

#[test]
fn each_ipv6_route_mistake_is_named() {
    // IPv4 to an egress-only gateway.
    let mut d = dual();
    route(&mut d, "Default4", "0.0.0.0/0");
    assert_eq!(codes(d.stack), [(Code::VF0803, at("Consumer/Default4"))]);
    // Not an IPv6 block; host bits; twice in one table.
    let mut d = dual();
    route(&mut d, "Bad", "::g/0");
    route(&mut d, "HostBits", "2001:db8::1/64");
    route(&mut d, "A", "::/0");
    route(&mut d, "B", "::/0");
    assert_eq!(
        codes(d.stack),
        [
            (Code::VF0803, at("Consumer/Bad")),
            (Code::VF0803, at("Consumer/HostBits")),
            (Code::VF0501, at("Consumer/B")),
        ]
    );
    // A VPC without an IPv6 block.
    let (mut stack, vpc) = consumer();
    let routes = stack.add("Routes", RouteTable::builder().vpc(&vpc).build());
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
    assert_eq!(codes(stack), [(Code::VF0106, at("Consumer/Default6"))]);
}

#[test]
fn a_nat_gateway_takes_ipv6_only_for_nat64() {
    let with = |destination: RouteDestination| {
        let mut d = dual();
        d.stack
            .add("Igw", InternetGateway::builder().vpc(&d.vpc).build());
        let nat = d
            .stack
            .add("Nat", NatGateway::builder().subnet(&d.subnet).build());
        d.stack.add(
            "Route",
            Route::builder()
                .route_table(&d.routes)
                .destination(destination)
                .target(&nat)
                .build(),
        );
        codes(d.stack)
    };
    assert!(with(RouteDestination::nat64()).is_empty());
    assert_eq!(
        with(RouteDestination::any_ipv6()),
        [(Code::VF0803, at("Consumer/Route"))]
    );
}

/// The dual-stack VPC with an SQS endpoint of `ip`/`record`, behind `rule`, and an IPv6 flow
/// to SQS; the flow's report line.
fn sqs_flow(
    ip: IpAddressType,
    record: Option<DnsRecordIpType>,
    rule: fn(&VpcRef<VpcA>) -> Rule<VpcA>,
    via_endpoint_dns: bool,
) -> (PathKindText, String) {
    let mut d = dual();
    let group = d.stack.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&d.vpc)
            .ingress([rule(&d.vpc)])
            .build(),
    );
    let mut options = DnsOptions::default();
    if let Some(record) = record {
        options = options.dns_record_ip_type(record);
    }
    d.stack.add(
        "SqsEndpoint",
        InterfaceEndpoint::builder()
            .vpc(&d.vpc)
            .service(services::Sqs)
            .subnets([&d.subnet])
            .security_groups([&group])
            .ip_address_type(ip)
            .dns_options(options)
            .build(),
    );
    let pods = d
        .stack
        .add("Pods", Workload::builder().subnets([&d.subnet]).build());
    let mut app = App::new("test");
    app.add_stack(d.stack);
    let mut flow = Flow::new(&pods, services::Sqs, Port::tcp(443)).ipv6();
    if via_endpoint_dns {
        flow = flow.via_endpoint_dns();
    }
    app.flow(flow);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let flow = &assembly.traffic().flows[0];
    (
        PathKindText(format!("{:?}", flow.path)),
        assembly.traffic().table(),
    )
}

#[derive(Debug, PartialEq)]
struct PathKindText(String);

fn kind(text: &str) -> PathKindText {
    PathKindText(text.to_string())
}

#[test]
fn an_ipv6_flow_through_a_dual_stack_endpoint_with_aaaa_records_is_private() {
    let (path, table) = sqs_flow(
        IpAddressType::Dualstack,
        Some(DnsRecordIpType::Dualstack),
        |vpc| Rule::new(Port::tcp(443), Peer::vpc_ipv6(vpc)),
        false,
    );
    assert_eq!(path, kind("InterfaceEndpoint"), "{table}");
    assert!(
        table.contains("Consumer/Pods -> sqs (TCP 443, IPv6)"),
        "{table}"
    );
}

#[test]
fn an_ipv6_flow_is_refused_by_what_lacks_ipv6() {
    let anywhere6: fn(&VpcRef<VpcA>) -> Rule<VpcA> =
        |_| Rule::new(Port::tcp(443), Peer::ipv6("::/0")).allow_from_anywhere();
    // IPv4 addresses only.
    let (path, table) = sqs_flow(IpAddressType::Ipv4, None, anywhere6, false);
    assert_eq!(path, kind("Unreachable"), "{table}");
    assert!(
        table.contains("answers sqs over IPv4 only: it has IPv4 addresses only"),
        "{table}"
    );
    // Dual-stack, but service-defined records: no AAAA for the private DNS name…
    let (path, table) = sqs_flow(IpAddressType::Dualstack, None, anywhere6, false);
    assert_eq!(path, kind("Unreachable"), "{table}");
    assert!(
        table.contains("service-defined, gives the service's private DNS name no AAAA record"),
        "{table}"
    );
    // …yet AAAA for the endpoint's own name.
    let (path, table) = sqs_flow(IpAddressType::Dualstack, None, anywhere6, true);
    assert_eq!(path, kind("InterfaceEndpoint"), "{table}");
    // IPv4 records only.
    let (path, table) = sqs_flow(
        IpAddressType::Dualstack,
        Some(DnsRecordIpType::Ipv4),
        anywhere6,
        true,
    );
    assert_eq!(path, kind("Unreachable"), "{table}");
    // A group admitting IPv4 only.
    let (path, table) = sqs_flow(
        IpAddressType::Dualstack,
        Some(DnsRecordIpType::Dualstack),
        |_| Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16"))),
        false,
    );
    assert_eq!(path, kind("Unreachable"), "{table}");
    assert!(
        table.contains("does not admit the IPv6 block of Consumer/Private"),
        "{table}"
    );
    // A group admitting an IPv6 block or a prefix list vpcform cannot compare with AWS's
    // addresses: unknown, not unreachable.
    let narrow: [RuleOf; 2] = [
        |_| Rule::new(Port::tcp(443), Peer::ipv6("2001:db8::/56")),
        |_| Rule::new(Port::tcp(443), Peer::prefix_list("pl-0123456789abcdef0")),
    ];
    for rule in narrow {
        let (path, table) = sqs_flow(
            IpAddressType::Dualstack,
            Some(DnsRecordIpType::Dualstack),
            rule,
            false,
        );
        assert_eq!(path, kind("Unknown"), "{table}");
        assert!(
            table.contains(
                "vpcform cannot compare with the IPv6 block of Consumer/Private, which AWS assigns at deploy"
            ),
            "{table}"
        );
    }
}

#[test]
fn a_group_admitting_the_vpc_s_ipv6_block_admits_its_subnets() {
    let mut d = dual();
    let group = https_from_vpc(&mut d, "EndpointSg");
    d.stack.add(
        "SqsEndpoint",
        InterfaceEndpoint::builder()
            .vpc(&d.vpc)
            .service(services::Sqs)
            .subnets([&d.subnet])
            .security_groups([&group])
            .ip_address_type(IpAddressType::Dualstack)
            .dns_options(DnsOptions::default().dns_record_ip_type(DnsRecordIpType::Ipv6))
            .build(),
    );
    let pods = d
        .stack
        .add("Pods", Workload::builder().subnets([&d.subnet]).build());
    let mut app = App::new("test");
    app.add_stack(d.stack);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)).ipv6());
    app.require_private_traffic();
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    assert!(assembly.traffic().flows[0].path.is_private());
}

#[test]
fn without_an_endpoint_ipv6_leaves_by_the_default_route_or_goes_nowhere() {
    let flow_of = |with_route: bool, require_private: bool| {
        let mut d = dual();
        if with_route {
            route(&mut d, "Default6", "::/0");
        }
        d.stack.add(
            "S3",
            GatewayEndpoint::builder()
                .vpc(&d.vpc)
                .service(services::S3)
                .route_tables([&d.routes])
                .build(),
        );
        let pods = d
            .stack
            .add("Pods", Workload::builder().subnets([&d.subnet]).build());
        let mut app = App::new("test");
        app.add_stack(d.stack);
        app.flow(Flow::new(&pods, services::S3, Port::tcp(443)).ipv6());
        if require_private {
            app.require_private_traffic();
        }
        app
    };
    let assembly = flow_of(true, false)
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let table = assembly.traffic().table();
    assert_eq!(
        format!("{:?}", assembly.traffic().flows[0].path),
        "InternetGateway",
        "{table}"
    );
    assert!(
        table.contains("through egress-only internet gateway Consumer/Egress6"),
        "{table}"
    );
    assert!(
        table.contains("gateway endpoint Consumer/S3 routes IPv4 only"),
        "{table}"
    );
    assert_eq!(error_codes(&flow_of(true, true)), [(Code::VF1003, None)]);
    let assembly = flow_of(false, false)
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let table = assembly.traffic().table();
    assert!(table.contains("no ::/0 route"), "{table}");
}

#[test]
fn an_ipv6_flow_from_an_ipv4_only_subnet_is_unreachable() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A", "10.0.1.0/24", 0);
    let pods = stack.add("Pods", Workload::builder().subnets([&a]).build());
    let mut app = App::new("test");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)).ipv6());
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let table = assembly.traffic().table();
    assert!(
        table.contains("subnet Consumer/A has no IPv6 block"),
        "{table}"
    );
    assert!(table.contains("give Consumer/A .ipv6_index(n)"), "{table}");
}

fn s3_gateway(
    ip: Option<IpAddressType>,
    record: Option<DnsRecordIpType>,
) -> (Stack<Consumer>, vpcform_net::vpc::WorkloadRef<VpcA>) {
    let mut d = dual();
    let builder = GatewayEndpoint::builder()
        .vpc(&d.vpc)
        .service(services::S3)
        .route_tables([&d.routes]);
    let endpoint = match (ip, record) {
        (Some(ip), Some(record)) => builder
            .ip_address_type(ip)
            .dns_record_ip_type(record)
            .build(),
        (Some(ip), None) => builder.ip_address_type(ip).build(),
        (None, Some(record)) => builder.dns_record_ip_type(record).build(),
        (None, None) => builder.build(),
    };
    d.stack.add("S3", endpoint);
    let pods = d
        .stack
        .add("Pods", Workload::builder().subnets([&d.subnet]).build());
    (d.stack, pods)
}

#[test]
fn a_dual_stack_s3_gateway_endpoint_carries_ipv6_flows() {
    let (stack, pods) = s3_gateway(Some(IpAddressType::Dualstack), None);
    let mut app = App::new("test");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)).ipv6());
    app.require_private_traffic();
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        format!("{:?}", assembly.traffic().flows[0].path),
        "GatewayEndpoint",
        "{}",
        assembly.traffic().table()
    );
    let json = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    assert_eq!(
        json["Resources"]["S3"]["Properties"]["IpAddressType"],
        "dualstack"
    );
    assert!(json["Resources"]["S3"]["Properties"]["DnsOptions"].is_null());
    // An IPv4 one does not, and says how to change that.
    let (stack, pods) = s3_gateway(None, None);
    let mut app = App::new("test");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)).ipv6());
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let table = assembly.traffic().table();
    assert!(table.contains("gateway endpoint Consumer/S3 routes IPv4 only (give it .ip_address_type(IpAddressType::Dualstack))"), "{table}");
}

#[test]
fn each_gateway_endpoint_ip_type_mistake_is_named() {
    let errors_of = |ip, record| codes(s3_gateway(ip, record).0);
    assert!(
        errors_of(
            Some(IpAddressType::Dualstack),
            Some(DnsRecordIpType::Dualstack)
        )
        .is_empty()
    );
    assert!(errors_of(None, Some(DnsRecordIpType::Ipv4)).is_empty());
    assert_eq!(
        errors_of(None, Some(DnsRecordIpType::Dualstack)),
        [(Code::VF0204, at("Consumer/S3"))]
    );
    assert_eq!(
        errors_of(Some(IpAddressType::Ipv6), None),
        [(Code::VF0202, at("Consumer/S3"))]
    );
    // DynamoDB's gateway endpoints: IPv4 and service-defined only.
    let dynamodb = |ip: Option<IpAddressType>, record: Option<DnsRecordIpType>| {
        let mut d = dual();
        let builder = GatewayEndpoint::builder()
            .vpc(&d.vpc)
            .service(services::DynamoDb)
            .route_tables([&d.routes]);
        let endpoint = match (ip, record) {
            (Some(ip), _) => builder.ip_address_type(ip).build(),
            (None, Some(record)) => builder.dns_record_ip_type(record).build(),
            (None, None) => builder.build(),
        };
        d.stack.add("Ddb", endpoint);
        codes(d.stack)
    };
    assert!(dynamodb(None, None).is_empty());
    assert_eq!(
        dynamodb(Some(IpAddressType::Dualstack), None),
        [(Code::VF0203, at("Consumer/Ddb"))]
    );
    assert_eq!(
        dynamodb(None, Some(DnsRecordIpType::Ipv4)),
        [(Code::VF0803, at("Consumer/Ddb"))]
    );
    // Dual-stack needs dual-stack subnets behind the tables.
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A", "10.0.1.0/24", 0);
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a]).build(),
    );
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .ip_address_type(IpAddressType::Dualstack)
            .build(),
    );
    assert_eq!(codes(stack), [(Code::VF0107, at("Consumer/S3"))]);
    // Records other than service-defined need the VPC's DNS attributes.
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder()
            .cidr(cidr!("10.0.0.0/16"))
            .enable_dns_hostnames(false)
            .build(),
    );
    let routes = stack.add("Routes", RouteTable::builder().vpc(&vpc).build());
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .dns_record_ip_type(DnsRecordIpType::Ipv4)
            .build(),
    );
    assert_eq!(codes(stack), [(Code::VF0803, at("Consumer/S3"))]);
}

fn one_flow(stack: Stack<Consumer>, flow: impl FnOnce(&mut App)) -> (String, String) {
    let mut app = App::new("test");
    app.add_stack(stack);
    flow(&mut app);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    (
        format!("{:?}", assembly.traffic().flows[0].path),
        assembly.traffic().table(),
    )
}

#[test]
fn a_private_zone_answering_a_only_leaves_ipv6_clients_without_an_address() {
    let mut d = dual();
    route(&mut d, "Default6", "::/0");
    let sqs = d.stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&d.vpc)
            .service(services::Sqs)
            .subnets([&d.subnet])
            .private_dns(false)
            .build(),
    );
    d.stack.add(
        "SqsZone",
        PrivateHostedZone::builder()
            .endpoint(&sqs)
            .vpcs([ZoneVpc::of(&d.vpc)])
            .build(),
    );
    let pods = d
        .stack
        .add("Pods", Workload::builder().subnets([&d.subnet]).build());
    let (path, table) = one_flow(d.stack, |app| {
        app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)).ipv6());
    });
    assert_eq!(path, "Unreachable", "{table}");
    assert!(
        table.contains(
            "private hosted zone Consumer/SqsZone answers sqs with an IPv4 alias (A) record only"
        ),
        "{table}"
    );
}

#[test]
fn an_existing_subnet_s_ipv6_is_unknown() {
    let (mut stack, vpc) = consumer();
    let existing = stack.add(
        "Existing",
        vpcform_net::existing::ExistingSubnet::builder()
            .vpc(&vpc)
            .id(vpcform_net::existing::ExistingId::id(
                "subnet-0123456789abcdef0",
            ))
            .cidr(cidr!("10.0.9.0/24"))
            .availability_zone(Az::name("us-east-1a"))
            .build(),
    );
    let pods = stack.add("Pods", Workload::builder().subnets([&existing]).build());
    let (path, table) = one_flow(stack, |app| {
        app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)).ipv6());
    });
    assert_eq!(path, "Unknown", "{table}");
    assert!(
        table.contains("existing subnet Consumer/Existing was declared without its IPv6 block"),
        "{table}"
    );
}

/// A provider's dual-stack NLB and endpoint service (`supports_ipv6` as given) and a dual-stack
/// interface endpoint to it, in one VPC; an IPv6 flow to the service.
fn privatelink_ipv6(supports_ipv6: bool, endpoint_ip: IpAddressType) -> (String, String) {
    let mut d = dual();
    let sg = https_from_vpc(&mut d, "Sg");
    let nlb = d.stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&d.subnet])
            .security_groups([&sg])
            .dualstack(true)
            .build(),
    );
    let targets = d.stack.add(
        "Targets",
        TargetGroup::builder().vpc(&d.vpc).port(443).build(),
    );
    d.stack.add(
        "Listener",
        Listener::builder()
            .load_balancer(&nlb)
            .port(443)
            .default_target_group(&targets)
            .build(),
    );
    let service = d.stack.add(
        "Service",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .supports_ipv6(supports_ipv6)
            .acceptance_required(false)
            .build(),
    );
    let dns = if endpoint_ip == IpAddressType::Ipv4 {
        DnsOptions::default()
    } else {
        DnsOptions::default().dns_record_ip_type(DnsRecordIpType::Dualstack)
    };
    d.stack.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&d.vpc)
            .service(service.clone())
            .subnets([&d.subnet])
            .security_groups([&sg])
            .ip_address_type(endpoint_ip)
            .dns_options(dns)
            .build(),
    );
    let pods = d
        .stack
        .add("Pods", Workload::builder().subnets([&d.subnet]).build());
    one_flow(d.stack, |app| {
        app.flow(Flow::new(&pods, &service, Port::tcp(443)).ipv6());
    })
}

#[test]
fn ipv6_over_privatelink_needs_the_endpoint_and_the_service_on_ipv6() {
    let (path, table) = privatelink_ipv6(true, IpAddressType::Dualstack);
    assert_eq!(path, "InterfaceEndpoint", "{table}");
    let (path, table) = privatelink_ipv6(true, IpAddressType::Ipv4);
    assert_eq!(path, "Unreachable", "{table}");
    assert!(
        table.contains("interface endpoint Consumer/Endpoint connects over IPv4 only"),
        "{table}"
    );
}

#[test]
fn an_ipv6_route_to_an_internet_gateway_waits_for_the_attachment_and_the_block() {
    let mut d = dual();
    let igw = d
        .stack
        .add("Igw", InternetGateway::builder().vpc(&d.vpc).build());
    d.stack.add(
        "Public6",
        Route::builder()
            .route_table(&d.routes)
            .destination("::/0")
            .target(&igw)
            .build(),
    );
    let mut app = App::new("test");
    app.add_stack(d.stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    let route = &json["Resources"]["Public6"];
    assert_eq!(
        route["Properties"]["GatewayId"],
        serde_json::json!({"Ref": "Igw"})
    );
    let depends = route["DependsOn"].as_array().cloned().unwrap_or_default();
    assert!(
        depends.contains(&serde_json::json!("VpcAIpv6Block")),
        "{route}"
    );
    assert!(
        depends.contains(&serde_json::json!("IgwAttachment")),
        "{route}"
    );
    // NAT64 is written canonically, as every IPv6 block.
    let mut d = dual();
    route_to_nat(&mut d, "64:ff9b:0::/96");
    assert_eq!(codes(d.stack), [(Code::VF0803, at("Consumer/Nat64"))]);
}

fn route_to_nat(d: &mut Dual, destination: &str) {
    d.stack
        .add("Igw", InternetGateway::builder().vpc(&d.vpc).build());
    let nat = d
        .stack
        .add("Nat", NatGateway::builder().subnet(&d.subnet).build());
    d.stack.add(
        "Nat64",
        Route::builder()
            .route_table(&d.routes)
            .destination(destination)
            .target(&nat)
            .build(),
    );
}

/// The dual-stack VPC's subnet with no table of its own but `table`, an SQS endpoint with
/// private DNS as given, and an IPv6 flow to SQS (by the endpoint's own name or not).
fn sqs_without_private_dns(via_endpoint_dns: bool) -> (String, String) {
    let mut d = dual();
    let sg = https_from_vpc(&mut d, "Sg");
    d.stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&d.vpc)
            .service(services::Sqs)
            .subnets([&d.subnet])
            .security_groups([&sg])
            .private_dns(false)
            .ip_address_type(IpAddressType::Dualstack)
            .dns_options(DnsOptions::default().dns_record_ip_type(DnsRecordIpType::Dualstack))
            .build(),
    );
    let pods = d
        .stack
        .add("Pods", Workload::builder().subnets([&d.subnet]).build());
    one_flow(d.stack, |app| {
        let flow = Flow::new(&pods, services::Sqs, Port::tcp(443)).ipv6();
        app.flow(if via_endpoint_dns {
            flow.via_endpoint_dns()
        } else {
            flow
        });
    })
}

#[test]
fn an_endpoint_with_private_dns_off_serves_only_clients_using_its_own_name() {
    let (path, table) = sqs_without_private_dns(false);
    assert_eq!(path, "Unreachable", "{table}");
    assert!(table.contains("no ::/0 route"), "{table}");
    let (path, table) = sqs_without_private_dns(true);
    assert_eq!(path, "InterfaceEndpoint", "{table}");
}

#[test]
fn an_ipv4_default_route_does_not_carry_ipv6_and_an_existing_table_is_unknown() {
    // Only 0.0.0.0/0 to a NAT gateway: IPv6 has no route.
    let mut d = dual();
    d.stack
        .add("Igw", InternetGateway::builder().vpc(&d.vpc).build());
    let nat = d
        .stack
        .add("Nat", NatGateway::builder().subnet(&d.subnet).build());
    d.stack.add(
        "Default4",
        Route::builder()
            .route_table(&d.routes)
            .destination(cidr!("0.0.0.0/0"))
            .target(&nat)
            .build(),
    );
    let pods = d
        .stack
        .add("Pods", Workload::builder().subnets([&d.subnet]).build());
    let (path, table) = one_flow(d.stack, |app| {
        app.flow(Flow::new(&pods, services::Sts, Port::tcp(443)).ipv6());
    });
    assert_eq!(path, "Unreachable", "{table}");
    assert!(table.contains("no ::/0 route"), "{table}");
    // A subnet served by an existing table: its IPv6 routes are unknown.
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder()
            .cidr(cidr!("10.0.0.0/16"))
            .ipv6(Ipv6Block::AmazonProvided)
            .build(),
    );
    let subnet = stack.add(
        "Private",
        Subnet::builder()
            .vpc(&vpc)
            .cidr("10.0.1.0/24")
            .ipv6_index(0)
            .availability_zone(Az::index(0))
            .build(),
    );
    stack.add(
        "Routes",
        vpcform_net::existing::ExistingRouteTable::builder()
            .vpc(&vpc)
            .id(vpcform_net::existing::ExistingId::id(
                "rtb-0123456789abcdef0",
            ))
            .serves([&subnet])
            .build(),
    );
    let pods = stack.add("Pods", Workload::builder().subnets([&subnet]).build());
    let (path, table) = one_flow(stack, |app| {
        app.flow(Flow::new(&pods, services::Sts, Port::tcp(443)).ipv6());
    });
    assert_eq!(path, "Unknown", "{table}");
    assert!(table.contains("its IPv6 routes are unknown"), "{table}");
}

#[test]
fn a_service_known_to_take_ipv6_raises_no_warning() {
    let mut d = dual();
    let sg = https_from_vpc(&mut d, "Sg");
    d.stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&d.vpc)
            .service(services::Sqs)
            .subnets([&d.subnet])
            .security_groups([&sg])
            .ip_address_type(IpAddressType::Dualstack)
            .build(),
    );
    let mut app = App::new("test");
    app.add_stack(d.stack);
    let warnings = warning_messages(&app);
    assert!(
        !warnings.iter().any(|w| w.contains("accepts IPv6")),
        "{warnings:#?}"
    );
    // DynamoDB's gateway endpoint takes service-defined records (its only kind).
    let mut d = dual();
    d.stack.add(
        "Ddb",
        GatewayEndpoint::builder()
            .vpc(&d.vpc)
            .service(services::DynamoDb)
            .route_tables([&d.routes])
            .dns_record_ip_type(DnsRecordIpType::ServiceDefined)
            .build(),
    );
    assert!(codes(d.stack).is_empty());
}
