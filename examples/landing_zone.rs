//! A landing zone read from a config file (`examples/landing_zone.json`): a network account
//! with a transit gateway and a shared-services hub of centralized interface endpoints, shared
//! with the organization by AWS RAM together with a Route 53 Profile that holds the endpoints;
//! spokes in other accounts, each its own stack, attached to the gateway and associated with
//! the profile, so that the endpoints' private DNS names resolve in every spoke; one spoke that
//! already exists (its IDs in Systems Manager parameters). Every flow is required private.
//!
//! ```text
//!  Network 111111111111: transit gateway (auto-accepts shared attachments)
//!                        + RAM share (the gateway, the profile) with the organization
//!  Hub 10.0.0.0/16:      STS, Logs, ECR, SSM endpoints ── Route 53 Profile "shared-endpoints"
//!  Payments 10.1.0.0/16 (222222222222) ─┐
//!  Orders   10.2.0.0/16 (222222222222) ─┼─ attachment + profile association + gateway endpoints
//!  Analytics 10.3.0.0/16 (333333333333, existing) ─┘
//! ```
//!
//! The spokes come from the config at run time, so they use the run-time form (`DynamicStack`,
//! `DynamicVpc`); their subnets are carved from their blocks (`Ipv4Cidr::subnets`), their
//! gateway endpoints named (`services::GatewayByName`), their optional settings given as the
//! config has them (`*_opt`).

use serde::Deserialize;
use vpcform::existing::{
    ExistingId, ExistingNetworkAcl, ExistingRouteTable, ExistingSubnet, ExistingVpc,
};
use vpcform::handles::{DynamicStack, DynamicVpc};
use vpcform::prelude::*;
use vpcform::security::AclEntry;
use vpcform::sharing::{ResourceShare, SharedResource};
use vpcform::vpc::{Ipv4Cidr, SubnetRef, VpcRef};
use vpcform::zones::{Profile, ProfileAssociation, ProfileResource, ProfileResourceAssociation};

vpcform::topology! {
    /// The network account's transit gateway and what it shares.
    pub stack Network {}
    /// The shared-services hub: centralized interface endpoints and the profile holding them.
    pub stack Hub {
        /// The hub VPC.
        vpc HubVpc
    }
}

/// The landing zone's config.
#[derive(Deserialize)]
pub struct Config {
    /// The AWS Organizations ID the network account shares with.
    pub organization: String,
    /// The network account: the transit gateway's, the hub's.
    pub network_account: String,
    /// The one Region of this landing zone.
    pub region: String,
    /// The shared-services hub.
    pub hub: HubConfig,
    /// The workload VPCs.
    pub spokes: Vec<SpokeConfig>,
}

/// The hub's block, zones and centralized services.
#[derive(Deserialize)]
pub struct HubConfig {
    /// Its block; one /24 per zone is carved from it.
    pub cidr: Ipv4Cidr,
    /// How many zones.
    pub zones: u32,
    /// The AWS services its interface endpoints serve, by endpoint name.
    pub services: Vec<String>,
}

/// A workload VPC.
#[derive(Deserialize)]
pub struct SpokeConfig {
    /// Its stack's and its constructs' name.
    pub name: String,
    /// Its account.
    pub account: String,
    /// Its block; one /24 per zone is carved from it.
    pub cidr: Ipv4Cidr,
    /// How many zones.
    pub zones: u32,
    /// Gateway endpoints, by service name (`s3`, `dynamodb`).
    pub gateways: Vec<String>,
    /// The workloads' ephemeral ports, if known.
    #[serde(default)]
    pub ephemeral_ports: Option<(u16, u16)>,
    /// An existing VPC: the Systems Manager parameters holding its IDs.
    #[serde(default)]
    pub existing: Option<ExistingConfig>,
}

/// The IDs of a spoke that exists already, as Systems Manager parameter names.
#[derive(Deserialize)]
pub struct ExistingConfig {
    /// The VPC's ID.
    pub vpc: String,
    /// Each zone's subnet ID, in zone order.
    pub subnets: Vec<String>,
    /// The route table the subnets use.
    pub route_table: String,
}

/// Every spoke's block: the hub routes them back through the transit gateway.
const SPOKES: Ipv4Cidr = cidr!("10.0.0.0/8");
const HTTPS: Port = Port::tcp(443);

/// The config shipped beside the example.
///
/// # Panics
/// When the bundled file does not parse (a test reads it).
pub fn config() -> Config {
    serde_json::from_str(include_str!("landing_zone.json"))
        .unwrap_or_else(|e| panic!("examples/landing_zone.json: {e}"))
}

/// Builds the app from a config.
pub fn app(config: &Config) -> App {
    let organization = format!(
        "arn:aws:organizations::{}:organization/{}",
        config.network_account, config.organization
    );
    // ── Network: the transit gateway ─────────────────────────────────────────────────────
    let mut network = Stack::<Network>::new("Network")
        .account(&config.network_account)
        .region(&config.region)
        .description("The landing zone's transit gateway, shared with the organization");
    let tgw = network.add(
        "Tgw",
        TransitGateway::builder()
            .description("landing zone")
            // Spokes of other accounts attach without the network team's step.
            .auto_accept_shared_attachments(true)
            .build(),
    );
    let tgw_id = network.export("TransitGatewayId", &tgw);

    // ── Hub: centralized endpoints and the profile that holds them ────────────────────────
    let mut hub = Stack::<Hub>::new("Hub")
        .account(&config.network_account)
        .region(&config.region)
        .description("Centralized interface endpoints, held by a Route 53 Profile");
    let hub_vpc = hub.add(
        "HubVpc",
        Vpc::<HubVpc>::builder().cidr(config.hub.cidr).build(),
    );
    let hub_subnets = carve(&mut hub, &hub_vpc, "Hub", config.hub.cidr, config.hub.zones);
    let hub_tgw = hub.import(&tgw_id);
    let hub_attachment = hub.add(
        "HubAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&hub_vpc)
            .transit_gateway(hub_tgw)
            .subnets(&hub_subnets)
            .build(),
    );
    let hub_routes = hub.add(
        "HubRoutes",
        RouteTable::builder()
            .vpc(&hub_vpc)
            .subnets(&hub_subnets)
            .build(),
    );
    hub.add(
        "BackToSpokes",
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
            .description("Centralized endpoints: HTTPS from the spokes")
            .ingress([Rule::new(HTTPS, Peer::ipv4(SPOKES)).description("Spokes")])
            .egress([])
            .build(),
    );
    let profile = hub.add(
        "SharedEndpoints",
        Profile::builder().name("shared-endpoints").build(),
    );
    for service in &config.hub.services {
        let id = pascal(service);
        // Private DNS on: the profile applies the endpoint's private DNS names to every VPC
        // associated with it.
        let endpoint = hub.add(
            &format!("{id}Endpoint"),
            InterfaceEndpoint::builder()
                .vpc(&hub_vpc)
                .service(services::ByName::new(service.as_str()))
                .subnets(&hub_subnets)
                .security_groups([&endpoint_sg])
                .build(),
        );
        hub.add(
            &format!("SharedEndpoints{id}"),
            ProfileResourceAssociation::builder()
                .profile(&profile)
                .name(format!("{}-endpoint", service.replace('.', "-")))
                .resource(ProfileResource::from(&endpoint))
                .build(),
        );
    }
    hub.add(
        "LandingZoneShare",
        ResourceShare::builder()
            .name("landing-zone")
            .resources([SharedResource::from(&profile)])
            .principals([organization.as_str()])
            .allow_external_principals(false)
            .build(),
    );
    network.add(
        "TgwShare",
        ResourceShare::builder()
            .name("landing-zone-tgw")
            .resources([SharedResource::from(&tgw)])
            .principals([organization.as_str()])
            .allow_external_principals(false)
            .build(),
    );
    let profile_id = hub.export("SharedEndpointsProfileId", &profile);

    let mut app = App::new("landing-zone");
    // ── Spokes, from the config ───────────────────────────────────────────────────────────
    let mut spokes = Vec::new();
    for spoke in &config.spokes {
        let mut stack = Stack::<DynamicStack>::new(spoke.name.as_str())
            .account(&spoke.account)
            .region(&config.region)
            .description(format!("Spoke {} of the landing zone", spoke.name));
        let (vpc, subnets, routes) = match &spoke.existing {
            None => created_spoke(&mut stack, spoke),
            Some(existing) => existing_spoke(&mut stack, spoke, existing),
        };
        let tgw = stack.import(&tgw_id);
        let attachment = stack.add(
            &format!("{}Attachment", spoke.name),
            TransitGatewayAttachment::builder()
                .vpc(&vpc)
                .transit_gateway(tgw)
                .subnets(&subnets)
                .build(),
        );
        stack.add(
            &format!("{}ToHub", spoke.name),
            Route::builder()
                .route_table(&routes)
                .destination(config.hub.cidr)
                .target(&attachment)
                .build(),
        );
        for gateway in &spoke.gateways {
            stack.add(
                &format!("{}{}Gateway", spoke.name, pascal(gateway)),
                GatewayEndpoint::builder()
                    .vpc(&vpc)
                    .service(services::GatewayByName::new(gateway.as_str()))
                    .route_tables([&routes])
                    .build(),
            );
        }
        let profile = stack.import(&profile_id);
        stack.add(
            &format!("{}Dns", spoke.name),
            ProfileAssociation::builder()
                .vpc(&vpc)
                .profile(profile)
                .name(format!("{}-dns", spoke.name.to_lowercase()))
                .build(),
        );
        let pods = stack.add(
            &format!("{}Pods", spoke.name),
            Workload::builder()
                .subnets(&subnets)
                .ephemeral_ports_opt(spoke.ephemeral_ports)
                .build(),
        );
        spokes.push((pods, &spoke.gateways));
        app.add_stack(stack);
    }
    app.add_stack(network);
    app.add_stack(hub);
    for (pods, gateways) in &spokes {
        for service in config.hub.services.iter().chain(gateways.iter()) {
            app.flow(Flow::new(
                pods,
                services::ByName::new(service.as_str()),
                HTTPS,
            ));
        }
    }
    app.require_private_traffic();
    app
}

type Spoke = (
    VpcRef<DynamicVpc>,
    Vec<SubnetRef<DynamicVpc>>,
    vpcform::vpc::RouteTableRef<DynamicVpc>,
);

/// A spoke vpcform creates: its VPC, a /24 per zone, one route table.
fn created_spoke(stack: &mut Stack<DynamicStack>, spoke: &SpokeConfig) -> Spoke {
    let vpc = stack.add(
        &format!("{}Vpc", spoke.name),
        Vpc::<DynamicVpc>::builder().cidr(spoke.cidr).build(),
    );
    let subnets = carve(stack, &vpc, &spoke.name, spoke.cidr, spoke.zones);
    let routes = stack.add(
        &format!("{}Routes", spoke.name),
        RouteTable::builder().vpc(&vpc).subnets(&subnets).build(),
    );
    (vpc, subnets, routes)
}

/// A spoke that exists: its IDs from Systems Manager, its blocks, zones and network ACL
/// stated as they are (its ACL is the one its VPC was created with).
fn existing_spoke(
    stack: &mut Stack<DynamicStack>,
    spoke: &SpokeConfig,
    existing: &ExistingConfig,
) -> Spoke {
    let vpc = stack.add(
        &format!("{}Vpc", spoke.name),
        ExistingVpc::<DynamicVpc>::builder()
            .id(ExistingId::ssm(existing.vpc.as_str()))
            .cidr(spoke.cidr)
            .dns_support(true)
            .dns_hostnames(true)
            .build(),
    );
    let subnets: Vec<SubnetRef<DynamicVpc>> = existing
        .subnets
        .iter()
        .zip(spoke.cidr.subnets(24).into_iter().flatten())
        .zip(0u32..)
        .map(|((parameter, cidr), zone)| {
            stack.add(
                &format!("{}Private{zone}", spoke.name),
                ExistingSubnet::builder()
                    .vpc(&vpc)
                    .id(ExistingId::ssm(parameter.as_str()))
                    .cidr(cidr)
                    .availability_zone(Az::index(zone))
                    .build(),
            )
        })
        .collect();
    let all = AclEntry::allow(100, Port::all_traffic(), cidr!("0.0.0.0/0"));
    stack.add(
        &format!("{}Acl", spoke.name),
        ExistingNetworkAcl::builder()
            .vpc(&vpc)
            .serves(&subnets)
            .inbound([all.clone()])
            .outbound([all])
            .default_acl(true)
            .build(),
    );
    let routes = stack.add(
        &format!("{}Routes", spoke.name),
        ExistingRouteTable::builder()
            .vpc(&vpc)
            .id(ExistingId::ssm(existing.route_table.as_str()))
            .serves(&subnets)
            .build(),
    );
    (vpc, subnets, routes)
}

/// One private /24 per zone, carved from `block` in order.
fn carve<
    S: vpcform::handles::StackMarker,
    V: vpcform::handles::VpcMarker + vpcform::handles::InStack<S>,
>(
    stack: &mut Stack<S>,
    vpc: &VpcRef<V>,
    name: &str,
    block: Ipv4Cidr,
    zones: u32,
) -> Vec<SubnetRef<V>> {
    (0..zones)
        .zip(block.subnets(24).into_iter().flatten())
        .map(|(zone, cidr)| {
            stack.add(
                &format!("{name}Private{zone}"),
                Subnet::builder()
                    .vpc(vpc)
                    .cidr(cidr)
                    .availability_zone(Az::index(zone))
                    .build(),
            )
        })
        .collect()
}

/// `ecr.api` → `EcrApi`: a service name as part of a logical ID.
fn pascal(name: &str) -> String {
    name.split(['.', '-'])
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    app(&config()).run()
}
