//! Centralized VPC endpoints (AWS whitepaper "Building a Scalable and Secure Multi-VPC AWS
//! Network Infrastructure", "Centralized access to VPC private endpoints"): interface endpoints
//! in one hub VPC with private DNS off, one Route 53 private hosted zone per service named
//! after its endpoint name and associated with every spoke, a transit gateway between hub and
//! spokes; gateway endpoints stay in each spoke, and a PrivateLink provider is consumed by both.
//!
//! ```text
//!  Network: transit gateway ──────────────┬───────────────────────┐
//!  Hub 10.0.0.0/16: STS, ECR API/registry, │ SpokeA 10.1.0.0/16    │ SpokeB 10.2.0.0/16
//!   CloudWatch Logs, SSM endpoints         │  pods ─► zone ─► hub  │  pods ─► zone ─► hub
//!   + private hosted zones (all VPCs)      │  S3 gateway endpoint  │  S3 gateway endpoint
//!  Provider 10.3.0.0/16: NLB + endpoint service ◄── PrivateLink ── each spoke's endpoint
//! ```
//!
//! Stacks deploy Network, Provider, SpokeA, SpokeB, Hub: the hub imports the spokes' VPC IDs
//! for its zones, the spokes import the transit gateway and the provider's service name.

use vpcform::endpoints::InterfaceTarget;
use vpcform::endpoints::ServiceName;
use vpcform::handles::VpcMarker;
use vpcform::prelude::*;
use vpcform::privatelink::AccessLogs;
use vpcform::security::SecurityGroupRef;
use vpcform::services::PrivateDnsCapable;
use vpcform::sharing::{ResourceShare, SharedResource};
use vpcform::vpc::SubnetRef;
use vpcform::vpc::{Ipv4Cidr, VpcRef};

vpcform::topology! {
    /// The transit gateway, shared by every VPC.
    pub stack Network {}
    /// The shared-services hub: the centralized interface endpoints and their zones.
    pub stack Hub {
        /// The hub VPC, 10.0.0.0/16.
        vpc HubVpc
    }
    /// A workload VPC.
    pub stack SpokeA {
        /// 10.1.0.0/16.
        vpc SpokeAVpc
    }
    /// Another workload VPC.
    pub stack SpokeB {
        /// 10.2.0.0/16.
        vpc SpokeBVpc
    }
    /// A custom service offered over PrivateLink.
    pub stack Provider {
        /// 10.3.0.0/16.
        vpc ProviderVpc
    }
}

const HUB_CIDR: Ipv4Cidr = cidr!("10.0.0.0/16");
/// Every spoke: the hub routes it back through the transit gateway.
const SPOKES: Ipv4Cidr = cidr!("10.0.0.0/8");
const PROVIDER_CIDR: Ipv4Cidr = cidr!("10.3.0.0/16");
const HTTPS: Port = Port::tcp(443);
/// The account every stack deploys to.
const ACCOUNT: &str = "111122223333";

/// Builds the app.
pub fn app() -> App {
    // ── Network: the transit gateway ─────────────────────────────────────────────────────
    let mut network = Stack::<Network>::new("Network")
        .account(ACCOUNT)
        .description("The transit gateway between the hub and the spokes");
    let tgw = network.add(
        "Tgw",
        TransitGateway::builder()
            .description("hub and spokes")
            .build(),
    );
    let tgw_id = network.export("TransitGatewayId", &tgw);
    // Shared with the organization (AWS RAM), so that spokes in its member accounts attach too.
    network.add(
        "TgwShare",
        ResourceShare::builder()
            .name("hub-and-spokes-tgw")
            .resources([SharedResource::from(&tgw)])
            .principals(["arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5"])
            .allow_external_principals(false)
            .build(),
    );

    // ── Provider: a custom service behind an NLB ─────────────────────────────────────────
    let mut provider = Stack::<Provider>::new("Provider")
        .account(ACCOUNT)
        .description("A custom service behind an NLB, offered over AWS PrivateLink");
    let provider_vpc = provider.add(
        "ProviderVpc",
        Vpc::<ProviderVpc>::builder().cidr(PROVIDER_CIDR).build(),
    );
    let p1 = provider.add("ProviderA", subnet(&provider_vpc, cidr!("10.3.1.0/24"), 0));
    let p2 = provider.add("ProviderB", subnet(&provider_vpc, cidr!("10.3.2.0/24"), 1));
    provider.add(
        "ProviderRoutes",
        RouteTable::builder()
            .vpc(&provider_vpc)
            .subnets([&p1, &p2])
            .build(),
    );
    let nlb_sg = provider.add(
        "NlbSecurityGroup",
        SecurityGroup::builder()
            .vpc(&provider_vpc)
            .description("NLB: HTTPS from the spokes over PrivateLink")
            .ingress([Rule::new(HTTPS, Peer::ipv4(SPOKES)).description("Spokes")])
            .egress([Rule::new(HTTPS, Peer::ipv4(PROVIDER_CIDR)).description("Targets")])
            .build(),
    );
    let nlb = provider.add(
        "ServiceNlb",
        NetworkLoadBalancer::builder()
            .subnets([&p1, &p2])
            .security_groups([&nlb_sg])
            // Scanners expect access logs (checkov CKV_AWS_91); with a TCP listener AWS writes
            // none, and synthesis says so.
            .access_logs(
                AccessLogs::s3("example-central-network-logs").prefix("access-logs/orders"),
            )
            .build(),
    );
    let targets = provider.add(
        "ServiceTargets",
        TargetGroup::builder()
            .vpc(&provider_vpc)
            .port(443)
            .targets([
                TargetDescription::ip("10.3.1.10"),
                TargetDescription::ip("10.3.2.10"),
            ])
            .build(),
    );
    provider.add(
        "HttpsListener",
        Listener::builder()
            .load_balancer(&nlb)
            .port(443)
            .default_target_group(&targets)
            .build(),
    );
    let service = provider.add(
        "EndpointService",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .allowed_principals([format!("arn:aws:iam::{ACCOUNT}:root")])
            .build(),
    );
    let service_name = provider.export("ServiceName", service.service_name());

    // ── Spokes ───────────────────────────────────────────────────────────────────────────
    let mut spoke_a = Stack::<SpokeA>::new("SpokeA")
        .account(ACCOUNT)
        .description("Workload VPC A: AWS services through the hub, S3 by its own gateway");
    let a: Spoke<SpokeAVpc> = spoke(
        &mut spoke_a,
        "SpokeA",
        cidr!("10.1.0.0/16"),
        [cidr!("10.1.0.0/28"), cidr!("10.1.0.16/28")],
        [cidr!("10.1.1.0/24"), cidr!("10.1.2.0/24")],
        &tgw_id,
        &service_name,
    );
    let mut spoke_b = Stack::<SpokeB>::new("SpokeB")
        .account(ACCOUNT)
        .description("Workload VPC B: AWS services through the hub, S3 by its own gateway");
    let b: Spoke<SpokeBVpc> = spoke(
        &mut spoke_b,
        "SpokeB",
        cidr!("10.2.0.0/16"),
        [cidr!("10.2.0.0/28"), cidr!("10.2.0.16/28")],
        [cidr!("10.2.1.0/24"), cidr!("10.2.2.0/24")],
        &tgw_id,
        &service_name,
    );
    let spoke_a_id = spoke_a.export("VpcId", &a.vpc);
    let spoke_b_id = spoke_b.export("VpcId", &b.vpc);

    // ── Hub: the centralized interface endpoints ─────────────────────────────────────────
    let mut hub = Stack::<Hub>::new("Hub")
        .account(ACCOUNT)
        .description("Shared services: interface endpoints every spoke resolves through Route 53");
    let hub_vpc = hub.add("HubVpc", Vpc::<HubVpc>::builder().cidr(HUB_CIDR).build());
    let h1 = hub.add("HubA", subnet(&hub_vpc, cidr!("10.0.1.0/24"), 0));
    let h2 = hub.add("HubB", subnet(&hub_vpc, cidr!("10.0.2.0/24"), 1));
    let hub_tgw = hub.import(&tgw_id);
    let hub_attachment = hub.add(
        "HubAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&hub_vpc)
            .transit_gateway(hub_tgw)
            .subnets([&h1, &h2])
            .build(),
    );
    let hub_routes = hub.add(
        "HubRoutes",
        RouteTable::builder()
            .vpc(&hub_vpc)
            .subnets([&h1, &h2])
            .build(),
    );
    hub.add(
        "HubToSpokes",
        Route::builder()
            .route_table(&hub_routes)
            .destination(SPOKES)
            .target(&hub_attachment)
            .build(),
    );
    let endpoint_sg = hub.add(
        "EndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&hub_vpc)
            .description("Centralized endpoints: HTTPS from the hub and every spoke")
            .ingress([Rule::new(HTTPS, Peer::ipv4(SPOKES)).description("Hub and spokes")])
            .build(),
    );
    // One endpoint and one zone per service; `*.` too for ECR's registry names
    // (`<account>.dkr.ecr.<region>.amazonaws.com`).
    let every_vpc = |hub: &mut Stack<Hub>| {
        vec![
            ZoneVpc::of(&hub_vpc),
            ZoneVpc::of(hub.import(&spoke_a_id)),
            ZoneVpc::of(hub.import(&spoke_b_id)),
        ]
    };
    let zones = every_vpc(&mut hub);
    centralize(
        &mut hub,
        "Sts",
        services::Sts,
        &hub_vpc,
        [&h1, &h2],
        &endpoint_sg,
        zones,
        false,
    );
    let zones = every_vpc(&mut hub);
    centralize(
        &mut hub,
        "EcrApi",
        services::EcrApi,
        &hub_vpc,
        [&h1, &h2],
        &endpoint_sg,
        zones,
        false,
    );
    let zones = every_vpc(&mut hub);
    centralize(
        &mut hub,
        "EcrDkr",
        services::EcrDkr,
        &hub_vpc,
        [&h1, &h2],
        &endpoint_sg,
        zones,
        true,
    );
    let zones = every_vpc(&mut hub);
    centralize(
        &mut hub,
        "Logs",
        services::Logs,
        &hub_vpc,
        [&h1, &h2],
        &endpoint_sg,
        zones,
        false,
    );
    let zones = every_vpc(&mut hub);
    centralize(
        &mut hub,
        "Ssm",
        services::Ssm,
        &hub_vpc,
        [&h1, &h2],
        &endpoint_sg,
        zones,
        false,
    );

    let mut app = App::new("centralized");
    app.add_stack(network);
    app.add_stack(provider);
    app.add_stack(spoke_a);
    app.add_stack(spoke_b);
    app.add_stack(hub);
    flows(&mut app, &a.pods, &service);
    flows(&mut app, &b.pods, &service);
    app.require_private_traffic();
    app
}

/// A hub interface endpoint with private DNS off, and the private hosted zone that resolves
/// the service's name to it in every VPC of `zones`.
#[allow(clippy::too_many_arguments)]
fn centralize<T: InterfaceTarget<Hub> + PrivateDnsCapable>(
    hub: &mut Stack<Hub>,
    id: &str,
    service: T,
    vpc: &VpcRef<HubVpc>,
    subnets: [&SubnetRef<HubVpc>; 2],
    group: &SecurityGroupRef<HubVpc>,
    zones: Vec<ZoneVpc<Hub>>,
    wildcard: bool,
) {
    let endpoint = hub.add(
        &format!("{id}Endpoint"),
        InterfaceEndpoint::builder()
            .vpc(vpc)
            .service(service)
            .subnets(subnets)
            .security_groups([group])
            .private_dns(false) // the zone resolves the name, in every VPC
            .build(),
    );
    hub.add(
        &format!("{id}Zone"),
        PrivateHostedZone::builder()
            .endpoint(&endpoint)
            .vpcs(zones)
            .wildcard(wildcard)
            .build(),
    );
}

/// A spoke's pods: AWS services through the hub, S3 through their own gateway endpoint, the
/// provider's service through their own interface endpoint.
fn flows<V>(
    app: &mut App,
    pods: &vpcform::vpc::WorkloadRef<V>,
    service: &vpcform::privatelink::EndpointServiceRef<ProviderVpc>,
) {
    app.flow(Flow::new(pods, services::Sts, HTTPS).gb_per_month(5.0));
    app.flow(Flow::new(pods, services::EcrApi, HTTPS).gb_per_month(10.0));
    // Image pulls: a little sent, the layers received (through the hub's attachment).
    app.flow(
        Flow::new(pods, services::EcrDkr, HTTPS)
            .gb_per_month(6.0)
            .response_gb_per_month(294.0),
    );
    app.flow(Flow::new(pods, services::Logs, HTTPS).gb_per_month(50.0));
    app.flow(Flow::new(pods, services::Ssm, HTTPS).gb_per_month(2.0));
    app.flow(Flow::new(pods, services::S3, HTTPS).gb_per_month(500.0));
    app.flow(Flow::new(pods, service, HTTPS).gb_per_month(100.0));
}

/// What a spoke's callers need.
struct Spoke<V> {
    vpc: VpcRef<V>,
    pods: vpcform::vpc::WorkloadRef<V>,
}

/// A spoke VPC: attachment subnets (/28, AWS's advice) and workload subnets in two AZs, one
/// route table sending the hub's and other spokes' blocks to the transit gateway, an S3
/// gateway endpoint, and its own interface endpoint to the provider's service.
fn spoke<
    S: vpcform::handles::StackMarker,
    V: VpcMarker<Stack = S> + vpcform::handles::InStack<S>,
>(
    stack: &mut Stack<S>,
    name: &str,
    cidr: Ipv4Cidr,
    attachment_cidrs: [Ipv4Cidr; 2],
    workload_cidrs: [Ipv4Cidr; 2],
    tgw_id: &vpcform::export::Export<Network, vpcform::export::TransitGatewayId>,
    service_name: &vpcform::export::Export<Provider, ServiceName>,
) -> Spoke<V> {
    let vpc = stack.add(
        &format!("{name}Vpc"),
        Vpc::<V>::builder().cidr(cidr).build(),
    );
    let t1 = stack.add(&format!("{name}TgwA"), subnet(&vpc, attachment_cidrs[0], 0));
    let t2 = stack.add(&format!("{name}TgwB"), subnet(&vpc, attachment_cidrs[1], 1));
    let w1 = stack.add(&format!("{name}WorkA"), subnet(&vpc, workload_cidrs[0], 0));
    let w2 = stack.add(&format!("{name}WorkB"), subnet(&vpc, workload_cidrs[1], 1));
    let tgw = stack.import(tgw_id);
    let attachment = stack.add(
        &format!("{name}Attachment"),
        TransitGatewayAttachment::builder()
            .vpc(&vpc)
            .transit_gateway(tgw)
            .subnets([&t1, &t2])
            .build(),
    );
    let routes = stack.add(
        &format!("{name}Routes"),
        RouteTable::builder()
            .vpc(&vpc)
            .subnets([&t1, &t2, &w1, &w2])
            .build(),
    );
    stack.add(
        &format!("{name}ToHub"),
        Route::builder()
            .route_table(&routes)
            .destination(HUB_CIDR)
            .target(&attachment)
            .build(),
    );
    stack.add(
        &format!("{name}S3"),
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .build(),
    );
    let endpoint_sg = stack.add(
        &format!("{name}EndpointSecurityGroup"),
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("Endpoint to the provider: HTTPS from this VPC")
            .ingress([Rule::new(HTTPS, Peer::ipv4(cidr)).description("This VPC")])
            .build(),
    );
    let imported = stack.import(service_name);
    stack.add(
        &format!("{name}ServiceEndpoint"),
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(imported)
            .subnets([&w1, &w2])
            .security_groups([&endpoint_sg])
            .build(),
    );
    let pods = stack.add(
        &format!("{name}Pods"),
        Workload::builder().subnets([&w1, &w2]).build(),
    );
    Spoke { vpc, pods }
}

/// A private subnet in the region's `az`-th zone.
fn subnet<V: VpcMarker>(vpc: &VpcRef<V>, cidr: Ipv4Cidr, az: u32) -> Subnet<V> {
    Subnet::builder()
        .vpc(vpc)
        .cidr(cidr)
        .availability_zone(Az::index(az))
        .build()
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    app().run()
}
