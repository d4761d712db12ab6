//! A dual-stack VPC: an Amazon-provided IPv6 block, dual-stack subnets, and interface
//! endpoints whose network interfaces have IPv4 and IPv6 addresses with A and AAAA records —
//! Session Manager's three endpoints and an internal service behind a dual-stack Network Load
//! Balancer offered over IPv6 (`SupportedIpAddressTypes`).
//!
//! `cargo run --example dual_stack` synthesizes; the checks refuse an IPv4-only subnet under a
//! dual-stack endpoint, a service without IPv6 (EC2's API, say), or DNS records of a type the
//! endpoint cannot have.

use vpcform::endpoints::DnsOptions;
use vpcform::endpoints::{DnsRecordIpType, IpAddressType};
use vpcform::prelude::*;
use vpcform::privatelink::AccessLogs;
use vpcform::privatelink::HealthCheck;
use vpcform::vpc::Ipv6Block;
use vpcform::vpc::{EgressOnlyInternetGateway, RouteDestination};

vpcform::topology! {
    /// The only stack.
    pub stack DualStack {
        /// The workload VPC.
        vpc Workload
    }
}

/// The app.
pub fn app() -> App {
    let mut stack = Stack::<DualStack>::new("DualStack")
        .description(
            "A dual-stack VPC reaching AWS services and an internal service over IPv4 and IPv6",
        )
        .tag("purpose", "vpcform-example");
    let vpc = stack.add(
        "Workload",
        Vpc::<Workload>::builder()
            .cidr(cidr!("10.30.0.0/16"))
            .ipv6(Ipv6Block::AmazonProvided)
            .build(),
    );
    let subnets: Vec<_> = ["10.30.1.0/24", "10.30.2.0/24"]
        .into_iter()
        .enumerate()
        .map(|(i, cidr)| {
            stack.add(
                &format!("Private{}", i + 1),
                Subnet::builder()
                    .vpc(&vpc)
                    .cidr(cidr)
                    .availability_zone(Az::index(i as u32))
                    .ipv6_index(i as u8)
                    .build(),
            )
        })
        .collect();
    let routes = stack.add(
        "PrivateRoutes",
        RouteTable::builder().vpc(&vpc).subnets(&subnets).build(),
    );
    // S3 over both families through its gateway endpoint: dual-stack routes its IPv6 prefix
    // list too (S3 since 2025-11).
    stack.add(
        "S3Gateway",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .ip_address_type(IpAddressType::Dualstack)
            .build(),
    );
    // IPv6 out to the internet, nothing in: the egress-only gateway is IPv6's NAT, free of
    // hourly charges.
    let egress = stack.add(
        "Egress6",
        EgressOnlyInternetGateway::builder().vpc(&vpc).build(),
    );
    stack.add(
        "DefaultRoute6",
        Route::builder()
            .route_table(&routes)
            .destination(RouteDestination::any_ipv6())
            .target(&egress)
            .build(),
    );
    let https_from_vpc = stack.add(
        "HttpsFromVpc",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("HTTPS from the VPC, over IPv4 and IPv6")
            .ingress([
                Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.30.0.0/16")))
                    .description("HTTPS from the VPC IPv4 block"),
                Rule::new(Port::tcp(443), Peer::vpc_ipv6(&vpc))
                    .description("HTTPS from the VPC IPv6 block"),
            ])
            .build(),
    );
    // A and AAAA records for the services' own names: IPv6 clients resolve them too.
    let dual_stack_dns = DnsOptions::default().dns_record_ip_type(DnsRecordIpType::Dualstack);
    for (id, service) in [
        ("SsmEndpoint", services::ByName::new("ssm")),
        ("SsmMessagesEndpoint", services::ByName::new("ssmmessages")),
        ("Ec2MessagesEndpoint", services::ByName::new("ec2messages")),
    ] {
        stack.add(
            id,
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(service)
                .subnets(&subnets)
                .security_groups([&https_from_vpc])
                .ip_address_type(IpAddressType::Dualstack)
                .dns_options(dual_stack_dns.clone())
                .build(),
        );
    }

    // An internal service offered over IPv6 as well: its NLB must be dual-stack.
    let nlb = stack.add(
        "InternalNlb",
        NetworkLoadBalancer::builder()
            .subnets(&subnets)
            .security_groups([&https_from_vpc])
            .dualstack(true)
            // Scanners expect access logs (checkov CKV_AWS_91); AWS writes them for TLS
            // listeners only, which synthesis points out for this TCP one.
            .access_logs(
                AccessLogs::s3("example-central-network-logs").prefix("access-logs/dual-stack"),
            )
            .build(),
    );
    let targets = stack.add(
        "Targets",
        TargetGroup::builder()
            .vpc(&vpc)
            .port(443)
            .health_check(HealthCheck::tcp())
            .targets([
                TargetDescription::ip("10.30.1.10"),
                TargetDescription::ip("10.30.2.10"),
            ])
            .build(),
    );
    stack.add(
        "HttpsListener",
        Listener::builder()
            .load_balancer(&nlb)
            .port(443)
            .default_target_group(&targets)
            .build(),
    );
    let service = stack.add(
        "InternalService",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .supports_ipv6(true)
            .build(),
    );
    stack.output("InternalServiceId", &service);
    stack.output("VpcId", &vpc);
    let instances = stack.add(
        "Instances",
        vpcform::vpc::Workload::builder().subnets(&subnets).build(),
    );

    let mut app = App::new("dual-stack");
    app.add_stack(stack);
    // Session Manager over both families: private either way.
    app.flow(Flow::new(
        &instances,
        services::ByName::new("ssm"),
        Port::tcp(443),
    ));
    app.flow(Flow::new(&instances, services::ByName::new("ssm"), Port::tcp(443)).ipv6());
    app.flow(Flow::new(&instances, services::S3, Port::tcp(443)).ipv6());
    // STS has no endpoint here: over IPv6 the analysis shows it leaving through the
    // egress-only internet gateway.
    app.flow(Flow::new(&instances, services::Sts, Port::tcp(443)).ipv6());
    app
}

fn main() -> std::process::ExitCode {
    app().run()
}
