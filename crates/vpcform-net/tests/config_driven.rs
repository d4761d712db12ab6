//! Config-driven programs: optional properties given as `Option`s (the builders' `*_opt`
//! setters) make the same templates as the plain setters, and `None` the same as leaving the
//! property out.

use vpcform_net::endpoints::{DnsRecordIpType, IpAddressType};
use vpcform_net::prelude::*;
use vpcform_net::privatelink::AccessLogs;
use vpcform_net::security::SecurityGroupRef;
use vpcform_net::sharing::{ResourceShare, SharedResource};
use vpcform_net::vpc::{AggregationInterval, FlowLog, FlowLogDestination, Ipv6Block};

vpcform_net::topology! { stack Net { vpc Main } }

/// The optional properties as a config file gives them.
#[derive(Default)]
struct Config {
    ipv6: Option<Ipv6Block>,
    ipv6_index: Option<u8>,
    description: Option<String>,
    endpoint_ip: Option<IpAddressType>,
    policy: Option<serde_json::Value>,
    gateway_ip: Option<IpAddressType>,
    gateway_records: Option<DnsRecordIpType>,
    aggregation: Option<AggregationInterval>,
    log_format: Option<String>,
    asn: Option<u32>,
    access_logs: Option<AccessLogs>,
    ephemeral_ports: Option<(u16, u16)>,
    external: Option<bool>,
    private_dns: Option<bool>,
    egress: Option<Vec<Rule<Main>>>,
}

fn full() -> Config {
    Config {
        ipv6: Some(Ipv6Block::AmazonProvided),
        ipv6_index: Some(0),
        description: Some("from the config".into()),
        endpoint_ip: Some(IpAddressType::Dualstack),
        policy: Some(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                           "Resource": "arn:aws:s3:::config-bucket/*"}]
        })),
        gateway_ip: Some(IpAddressType::Dualstack),
        gateway_records: Some(DnsRecordIpType::ServiceDefined),
        aggregation: Some(AggregationInterval::OneMinute),
        log_format: Some("${version} ${srcaddr} ${dstaddr}".into()),
        asn: Some(64_512),
        access_logs: Some(AccessLogs::s3("central-logs")),
        ephemeral_ports: Some((32_768, 60_999)),
        external: Some(false),
        private_dns: Some(false),
        egress: Some(vec![Rule::new(
            Port::tcp(443),
            Peer::prefix_list("pl-63a5400a"),
        )]),
    }
}

/// The app the config describes, every optional property through its `*_opt` setter.
fn with_opt(c: Config) -> App {
    let mut stack = Stack::<Net>::new("Net");
    let vpc = stack.add(
        "Main",
        Vpc::<Main>::builder()
            .cidr(cidr!("10.0.0.0/16"))
            .ipv6_opt(c.ipv6)
            .build(),
    );
    let (a, b) = (
        stack.add(
            "A",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.0.1.0/24"))
                .availability_zone(Az::index(0))
                .ipv6_index_opt(c.ipv6_index)
                .build(),
        ),
        stack.add(
            "B",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.0.2.0/24"))
                .availability_zone(Az::index(1))
                .ipv6_index_opt(c.ipv6_index.map(|i| i + 1))
                .build(),
        ),
    );
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a, &b]).build(),
    );
    let sg = stack.add(
        "Sg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description_opt(c.description.clone())
            .egress_opt(c.egress)
            .build(),
    );
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .policy_opt(c.policy.clone().map(Into::into))
            .ip_address_type_opt(c.gateway_ip)
            .dns_record_ip_type_opt(c.gateway_records)
            .build(),
    );
    stack.add(
        "Sts",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sts)
            .subnets([&a, &b])
            .security_groups([&sg])
            .ip_address_type_opt(c.endpoint_ip)
            .private_dns_opt(c.private_dns)
            .service_region_opt(None)
            .build(),
    );
    stack.add(
        "Logs",
        FlowLog::builder()
            .resource(&vpc)
            .destination(FlowLogDestination::s3("arn:aws:s3:::central-logs"))
            .max_aggregation_interval_opt(c.aggregation)
            .log_format_opt(c.log_format)
            .build(),
    );
    let tgw = stack.add(
        "Tgw",
        TransitGateway::builder()
            .amazon_side_asn_opt(c.asn)
            .description_opt(c.description)
            .build(),
    );
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a, &b])
            .security_groups(SecurityGroupRef::none())
            .access_logs_opt(c.access_logs)
            .build(),
    );
    stack.add(
        "Pods",
        Workload::builder()
            .subnets([&a, &b])
            .ephemeral_ports_opt(c.ephemeral_ports)
            .build(),
    );
    stack.add(
        "Share",
        ResourceShare::builder()
            .name("tgw")
            .resources([SharedResource::from(&tgw)])
            .principals(["111111111111"])
            .allow_external_principals_opt(c.external)
            .build(),
    );
    let mut app = App::new("config");
    app.add_stack(stack);
    app
}

/// The same app, written with the plain setters: every property given.
fn with_setters(c: Config) -> App {
    let mut stack = Stack::<Net>::new("Net");
    let vpc = stack.add(
        "Main",
        Vpc::<Main>::builder()
            .cidr(cidr!("10.0.0.0/16"))
            .ipv6(c.ipv6.expect("the full config gives ipv6"))
            .build(),
    );
    let index = c.ipv6_index.expect("the full config gives ipv6_index");
    let (a, b) = (
        stack.add(
            "A",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.0.1.0/24"))
                .availability_zone(Az::index(0))
                .ipv6_index(index)
                .build(),
        ),
        stack.add(
            "B",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.0.2.0/24"))
                .availability_zone(Az::index(1))
                .ipv6_index(index + 1)
                .build(),
        ),
    );
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a, &b]).build(),
    );
    let description = c.description.expect("the full config gives description");
    let sg = stack.add(
        "Sg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description(description.clone())
            .egress(c.egress.expect("the full config gives egress"))
            .build(),
    );
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .policy(c.policy.expect("the full config gives policy"))
            .ip_address_type(c.gateway_ip.expect("the full config gives gateway_ip"))
            .dns_record_ip_type(c.gateway_records.expect("the full config gives records"))
            .build(),
    );
    stack.add(
        "Sts",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sts)
            .subnets([&a, &b])
            .security_groups([&sg])
            .ip_address_type(c.endpoint_ip.expect("the full config gives endpoint_ip"))
            .private_dns(c.private_dns.expect("the full config gives private_dns"))
            .build(),
    );
    stack.add(
        "Logs",
        FlowLog::builder()
            .resource(&vpc)
            .destination(FlowLogDestination::s3("arn:aws:s3:::central-logs"))
            .max_aggregation_interval(c.aggregation.expect("the full config gives aggregation"))
            .log_format(c.log_format.expect("the full config gives log_format"))
            .build(),
    );
    let tgw = stack.add(
        "Tgw",
        TransitGateway::builder()
            .amazon_side_asn(c.asn.expect("the full config gives asn"))
            .description(description)
            .build(),
    );
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a, &b])
            .security_groups(SecurityGroupRef::none())
            .access_logs(c.access_logs.expect("the full config gives access_logs"))
            .build(),
    );
    let (from, to) = c
        .ephemeral_ports
        .expect("the full config gives ephemeral_ports");
    stack.add(
        "Pods",
        Workload::builder()
            .subnets([&a, &b])
            .ephemeral_ports(from, to)
            .build(),
    );
    stack.add(
        "Share",
        ResourceShare::builder()
            .name("tgw")
            .resources([SharedResource::from(&tgw)])
            .principals(["111111111111"])
            .allow_external_principals(c.external.expect("the full config gives external"))
            .build(),
    );
    let mut app = App::new("config");
    app.add_stack(stack);
    app
}

/// The same app with no optional property given.
fn without(_: Config) -> App {
    let mut stack = Stack::<Net>::new("Net");
    let vpc = stack.add(
        "Main",
        Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let (a, b) = (
        stack.add(
            "A",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.0.1.0/24"))
                .availability_zone(Az::index(0))
                .build(),
        ),
        stack.add(
            "B",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.0.2.0/24"))
                .availability_zone(Az::index(1))
                .build(),
        ),
    );
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a, &b]).build(),
    );
    let sg = stack.add("Sg", SecurityGroup::builder().vpc(&vpc).build());
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .build(),
    );
    stack.add(
        "Sts",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sts)
            .subnets([&a, &b])
            .security_groups([&sg])
            .build(),
    );
    stack.add(
        "Logs",
        FlowLog::builder()
            .resource(&vpc)
            .destination(FlowLogDestination::s3("arn:aws:s3:::central-logs"))
            .build(),
    );
    let tgw = stack.add("Tgw", TransitGateway::builder().build());
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a, &b])
            .security_groups(SecurityGroupRef::none())
            .build(),
    );
    stack.add("Pods", Workload::builder().subnets([&a, &b]).build());
    stack.add(
        "Share",
        ResourceShare::builder()
            .name("tgw")
            .resources([SharedResource::from(&tgw)])
            .principals(["111111111111"])
            .build(),
    );
    let mut app = App::new("config");
    app.add_stack(stack);
    app
}

/// What an app synthesizes to: its template and its findings, as text.
fn synthesized(app: &App) -> (serde_json::Value, Vec<String>) {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let template = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    let warnings = assembly.warnings().iter().map(|w| w.to_string()).collect();
    (template, warnings)
}

#[test]
fn opt_setters_given_some_are_the_plain_setters() {
    let given = synthesized(&with_opt(full()));
    assert_eq!(given, synthesized(&with_setters(full())));
    // The properties reach the template: the comparison is not of two empty stacks.
    let r = &given.0["Resources"];
    assert_eq!(r["Tgw"]["Properties"]["AmazonSideAsn"], 64_512);
    assert_eq!(r["Sg"]["Properties"]["GroupDescription"], "from the config");
    assert_eq!(r["Sts"]["Properties"]["IpAddressType"], "dualstack");
    assert_eq!(r["Sts"]["Properties"]["PrivateDnsEnabled"], false);
}

#[test]
fn opt_setters_given_none_leave_the_property_out() {
    let none = synthesized(&with_opt(Config::default()));
    assert_eq!(none, synthesized(&without(Config::default())));
    assert_ne!(none.0, synthesized(&with_opt(full())).0);
    assert!(none.0["Resources"]["Tgw"]["Properties"]["AmazonSideAsn"].is_null());
}
