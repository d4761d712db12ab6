//! A generated fleet of consumer VPCs, each with the same private endpoints — the shape of a
//! platform team's landing zone, and the workload of the scaling benchmarks. The number of
//! stacks and of VPCs per stack is known only at run time, so it uses the run-time form
//! (`DynamicStack`, `DynamicVpc`): the same rules, enforced at synth.
//!
//! `FLEET_STACKS=25 FLEET_VPCS=28 cargo run --release --example fleet` synthesizes 25 stacks of
//! 28 VPCs × 14 resources; the defaults (1 stack of 32 VPCs, 448 resources) match the peers'
//! 454-resource benchmark.

use vpcform::handles::{DynamicStack, DynamicVpc};
use vpcform::prelude::*;

/// Resources each VPC of the fleet synthesizes.
pub const RESOURCES_PER_VPC: usize = 14;

/// `stacks` stacks of `vpcs` VPCs each.
pub fn app(stacks: usize, vpcs: usize) -> App {
    let mut app = App::new("fleet");
    // Two gateway endpoints (S3, DynamoDB) per VPC, all in one account and Region: past AWS's
    // default of 20 per Region from 11 VPCs on, so a fleet this size runs in an account whose
    // quota was raised, and says so.
    let gateway_endpoints = u32::try_from(2 * stacks * vpcs).unwrap_or(u32::MAX);
    app.quotas(vpcform::quotas::Quotas::default().gateway_endpoints_per_region(gateway_endpoints));
    for s in 0..stacks {
        let mut stack = Stack::<DynamicStack>::new(format!("Fleet{s}"));
        for v in 0..vpcs {
            add_vpc(&mut stack, &format!("S{s}V{v}"), s * vpcs + v);
        }
        app.add_stack(stack);
    }
    app
}

/// One consumer VPC: a /24, two /26 subnets with route tables, S3 and DynamoDB gateway
/// endpoints, and SQS, ECR (API and registry) and STS interface endpoints.
fn add_vpc(stack: &mut Stack<DynamicStack>, id: &str, index: usize) {
    let (hi, lo) = (index / 256, index % 256);
    let vpc = stack.add(
        id,
        Vpc::<DynamicVpc>::builder()
            .cidr(format!("10.{hi}.{lo}.0/24"))
            .build(),
    );
    let mut subnets = Vec::new();
    let mut tables = Vec::new();
    for (i, offset) in [0, 64].into_iter().enumerate() {
        let subnet = stack.add(
            &format!("{id}Private{i}"),
            Subnet::builder()
                .vpc(&vpc)
                .cidr(format!("10.{hi}.{lo}.{offset}/26"))
                .availability_zone(Az::index(i as u32))
                .build(),
        );
        tables.push(stack.add(
            &format!("{id}Routes{i}"),
            RouteTable::builder().vpc(&vpc).subnets([&subnet]).build(),
        ));
        subnets.push(subnet);
    }
    stack.add(
        &format!("{id}S3"),
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables(&tables)
            .build(),
    );
    stack.add(
        &format!("{id}DynamoDb"),
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::DynamoDb)
            .route_tables(&tables)
            .build(),
    );
    let sg = stack.add(
        &format!("{id}EndpointSg"),
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("Interface endpoints: HTTPS from the VPC")
            .ingress([Rule::new(
                Port::tcp(443),
                Peer::ipv4(format!("10.{hi}.{lo}.0/24")),
            )])
            .build(),
    );
    for (name, service) in [
        ("Sqs", "sqs"),
        ("EcrApi", "ecr.api"),
        ("EcrDkr", "ecr.dkr"),
        ("Sts", "sts"),
    ] {
        stack.add(
            &format!("{id}{name}"),
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::ByName::new(service))
                .subnets(&subnets)
                .security_groups([&sg])
                .build(),
        );
    }
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> std::process::ExitCode {
    app(env_or("FLEET_STACKS", 1), env_or("FLEET_VPCS", 32)).run()
}
