//! A landing zone across two accounts' worth of workloads and two Regions, read from a config
//! file (`examples/landing_zone.json`). In each Region the network account has a transit
//! gateway with a route table of its own, shared with the organization by AWS RAM, and a
//! shared-services hub of centralized interface endpoints held by a Route 53 Profile (shared
//! too), so that the endpoints' private DNS names resolve in every spoke associated with it.
//! Spokes in other accounts, each its own stack, attach to their Region's gateway; the
//! network account associates and routes their attachments (only a transit gateway's owner
//! runs its route table APIs). The two gateways are peered, with static routes both ways for
//! the other Region's block. A PrivateLink provider in an account of its own is consumed in
//! its Region and, across Regions, in the other. One spoke already exists (its IDs in Systems
//! Manager parameters). Every flow is required private.
//!
//! ```text
//!  us-east-1 (10.0.0.0/9)                           us-west-2 (10.128.0.0/9)
//!  NetworkEast: Tgw 64512 + Routes ◄── TgwPeering ──► NetworkWest: Tgw 64513 + Routes
//!  HubEast 10.0.0.0/16: endpoints, profile          HubWest 10.128.0.0/16: endpoints, profile
//!    + SQS endpoint, its zone for Builds ◄──────────── Builds 10.130.0.0/16 (network account)
//!  Payments 10.1.0.0/16, Orders 10.2.0.0/16          Shipping 10.129.0.0/16 (222222222222)
//!    (222222222222), Analytics 10.3.0.0/16 (existing)   │
//!  Inventory 172.20.0.0/16 (444444444444): NLB + endpoint service ◄── Payments, Shipping
//!  SpokeRoutesEast, PeeringRoutesEast               SpokeRoutesWest, PeeringRoutesWest
//! ```
//!
//! The spokes come from the config at run time, so the stacks use the run-time form
//! (`DynamicStack`, `DynamicVpc`); subnets are carved from their blocks (`Ipv4Cidr::subnets`),
//! gateway endpoints named (`services::GatewayByName`), optional settings given as the config
//! has them (`*_opt`).

use serde::Deserialize;
use vpcform::endpoints::ServiceName;
use vpcform::existing::{
    ExistingId, ExistingNetworkAcl, ExistingRouteTable, ExistingSubnet, ExistingVpc,
};
use vpcform::export::{
    Export, ProfileId, TransitGatewayAttachmentId, TransitGatewayId, TransitGatewayRouteTableId,
    VpcId,
};
use vpcform::handles::{DynamicStack, DynamicVpc};
use vpcform::prelude::*;
use vpcform::privatelink::{AccessLogs, HealthCheck};
use vpcform::quotas::{Quota, Quotas};
use vpcform::security::AclEntry;
use vpcform::sharing::{ResourceShare, SharedResource};
use vpcform::transit::{
    PeeringAccepterAttachment, PropagationRouteTable, TransitGatewayPeering, TransitGatewayRoute,
    TransitGatewayRouteTable, TransitGatewayRouteTableAssociation,
};
use vpcform::vpc::{Ipv4Cidr, SubnetRef, VpcRef};
use vpcform::zones::{Profile, ProfileAssociation, ProfileResource, ProfileResourceAssociation};

/// The landing zone's config.
#[derive(Deserialize)]
pub struct Config {
    /// The AWS Organizations ID the network account shares with.
    pub organization: String,
    /// The network account: the transit gateways', the hubs'.
    pub network_account: String,
    /// The two Regions: the first requests the transit gateway peering, the second accepts it.
    pub regions: [RegionConfig; 2],
    /// The PrivateLink provider.
    pub provider: ProviderConfig,
}

/// One Region of the landing zone.
#[derive(Deserialize)]
pub struct RegionConfig {
    /// Its stacks' suffix (`NetworkEast`).
    pub name: String,
    /// Its Region code.
    pub region: String,
    /// Every attached VPC of the Region is in it: the other Region routes it over the peering.
    pub block: Ipv4Cidr,
    /// The transit gateway's ASN (peered gateways take different ones).
    pub amazon_side_asn: u32,
    /// The shared-services hub.
    pub hub: HubConfig,
    /// The workload VPCs.
    pub spokes: Vec<SpokeConfig>,
}

/// The hub's block, zones, centralized services and raised quotas.
#[derive(Deserialize)]
pub struct HubConfig {
    /// Its block; one /24 per zone is carved from it.
    pub cidr: Ipv4Cidr,
    /// How many zones.
    pub zones: u32,
    /// The AWS services its interface endpoints serve, by endpoint name.
    pub services: Vec<String>,
    /// The network account's quotas AWS raised in this Region.
    #[serde(default)]
    pub quotas: HubQuotas,
}

/// Quotas raised for the network account (Service Quotas shows them applied).
#[derive(Deserialize, Default)]
pub struct HubQuotas {
    /// Interface endpoints per VPC.
    pub interface_endpoints_per_vpc: Option<u32>,
    /// VPC associations per Route 53 Profile.
    pub vpcs_per_profile: Option<u32>,
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
    /// The zones by AZ ID, where they must compare across accounts (a PrivateLink consumer's
    /// against the provider's); by index when not given.
    #[serde(default)]
    pub zone_ids: Vec<String>,
    /// Gateway endpoints, by service name (`s3`, `dynamodb`).
    pub gateways: Vec<String>,
    /// The workloads' ephemeral ports, if known.
    #[serde(default)]
    pub ephemeral_ports: Option<(u16, u16)>,
    /// An existing VPC: the Systems Manager parameters holding its IDs.
    #[serde(default)]
    pub existing: Option<ExistingConfig>,
    /// What it uses of the other Region's hub, across the peering.
    #[serde(default)]
    pub other_region: Option<OtherRegionConfig>,
    /// GB a month sent to the PrivateLink provider's service, when it consumes it.
    #[serde(default)]
    pub provider_gb_per_month: Option<f64>,
}

/// AWS services of the other Region that a spoke reaches through that Region's hub: the hub
/// answers their names with a private hosted zone associated with the spoke, so the spoke is
/// of the network account (a zone takes VPCs of other accounts only by an authorization
/// CloudFormation cannot give).
#[derive(Deserialize)]
pub struct OtherRegionConfig {
    /// The services, by endpoint name.
    pub services: Vec<String>,
    /// GB a month sent to each.
    pub gb_per_month: f64,
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

/// A service offered over AWS PrivateLink from an account of its own.
#[derive(Deserialize)]
pub struct ProviderConfig {
    /// Its stack's name.
    pub name: String,
    /// Its account.
    pub account: String,
    /// Its Region, one of the landing zone's.
    pub region: String,
    /// Its VPC's block; one /24 per zone.
    pub cidr: Ipv4Cidr,
    /// Its zones by AZ ID (consumers of other accounts compare them by ID).
    pub zone_ids: Vec<String>,
    /// The service's instances, by IP address.
    pub targets: Vec<String>,
    /// The bucket its load balancer's access logs go to.
    pub log_bucket: String,
}

/// Every attached block, of both Regions: hubs route them back through their gateway, and
/// the endpoints admit them.
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

/// A Region's network stack and what other stacks take from it.
struct Network {
    stack: Stack<DynamicStack>,
    tgw: Export<DynamicStack, TransitGatewayId>,
    table: Export<DynamicStack, TransitGatewayRouteTableId>,
}

/// A Region's hub stack, its VPC, subnets and endpoint group (for the zones added once the
/// spokes are known) and its profile's ID.
struct Hub {
    stack: Stack<DynamicStack>,
    vpc: VpcRef<DynamicVpc>,
    subnets: Vec<SubnetRef<DynamicVpc>>,
    endpoint_sg: vpcform::security::SecurityGroupRef<DynamicVpc>,
    profile: Export<DynamicStack, ProfileId>,
}

/// A spoke's stack and what the app and other stacks take from it.
struct BuiltSpoke<'c> {
    config: &'c SpokeConfig,
    stack: Stack<DynamicStack>,
    vpc: Export<DynamicStack, VpcId>,
    attachment: Export<DynamicStack, TransitGatewayAttachmentId>,
    pods: vpcform::vpc::WorkloadRef<DynamicVpc>,
}

/// Builds the app from a config.
pub fn app(config: &Config) -> App {
    let organization = format!(
        "arn:aws:organizations::{}:organization/{}",
        config.network_account, config.organization
    );
    let networks: Vec<Network> = config
        .regions
        .iter()
        .map(|region| network(config, region, &organization))
        .collect();
    let mut hubs: Vec<Hub> = config
        .regions
        .iter()
        .zip(&networks)
        .map(|(region, network)| hub(config, region, network, &organization))
        .collect();
    let (provider, service, service_name) = provider(config);
    let mut app = App::new("landing-zone");
    let mut spokes: Vec<Vec<BuiltSpoke<'_>>> = Vec::new();
    for (region, (network, hub)) in config.regions.iter().zip(networks.iter().zip(&hubs)) {
        let built = region
            .spokes
            .iter()
            .map(|spoke| spoke_stack(config, region, spoke, network, hub, &service_name))
            .collect();
        spokes.push(built);
    }
    // The other Region's spokes' services, answered by this hub's zones.
    for (i, hub) in hubs.iter_mut().enumerate() {
        zones_for_the_other_region(hub, &spokes[1 - i]);
    }
    for (region, (network, built)) in config.regions.iter().zip(networks.iter().zip(&spokes)) {
        app.add_stack(spoke_routes(config, region, network, built));
    }
    for stack in peering(config, &networks) {
        app.add_stack(stack);
    }
    flows(&mut app, config, &spokes, &service);
    for network in networks {
        app.add_stack(network.stack);
    }
    for hub in hubs {
        app.add_stack(hub.stack);
    }
    app.add_stack(provider);
    for built in spokes.into_iter().flatten() {
        app.add_stack(built.stack);
    }
    app.require_private_traffic();
    app
}

/// The stack of `name` in `region`, of `account`.
fn stack(name: String, account: &str, region: &str, description: String) -> Stack<DynamicStack> {
    Stack::<DynamicStack>::new(name.as_str())
        .account(account)
        .region(region)
        .description(description)
}

/// A Region's transit gateway, its route table and their share with the organization.
fn network(config: &Config, region: &RegionConfig, organization: &str) -> Network {
    let mut stack = stack(
        format!("Network{}", region.name),
        &config.network_account,
        &region.region,
        format!(
            "The landing zone's transit gateway in {}, shared with the organization",
            region.region
        ),
    );
    let tgw = stack.add(
        "Tgw",
        TransitGateway::builder()
            .description(format!("landing zone {}", region.region))
            .amazon_side_asn(region.amazon_side_asn)
            // Its own route table: a peering carries static routes only, written to a table.
            .default_route_table(false)
            // Spokes of other accounts attach without the network team's step.
            .auto_accept_shared_attachments(true)
            .build(),
    );
    let table = stack.add(
        "Routes",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&tgw)
            .build(),
    );
    stack.add(
        "TgwShare",
        ResourceShare::builder()
            .name("landing-zone-tgw")
            .resources([SharedResource::from(&tgw)])
            .principals([organization])
            .allow_external_principals(false)
            .build(),
    );
    let tgw = stack.export("TransitGatewayId", &tgw);
    let table = stack.export("RouteTableId", &table);
    Network { stack, tgw, table }
}

/// A Region's hub: centralized endpoints, the profile that holds them, shared with the
/// organization, and the quotas raised for it.
fn hub(config: &Config, region: &RegionConfig, network: &Network, organization: &str) -> Hub {
    let mut stack = stack(
        format!("Hub{}", region.name),
        &config.network_account,
        &region.region,
        format!(
            "Centralized interface endpoints in {}, held by a Route 53 Profile",
            region.region
        ),
    );
    let quotas = [
        (
            Quota::InterfaceEndpointsPerVpc,
            region.hub.quotas.interface_endpoints_per_vpc,
        ),
        (Quota::VpcsPerProfile, region.hub.quotas.vpcs_per_profile),
    ];
    stack.quotas(
        quotas
            .into_iter()
            .filter_map(|(quota, value)| Some((quota, value?)))
            .fold(Quotas::default(), |q, (quota, value)| q.raise(quota, value)),
    );
    let vpc = stack.add(
        "HubVpc",
        Vpc::<DynamicVpc>::builder().cidr(region.hub.cidr).build(),
    );
    let subnets = carve(
        &mut stack,
        &vpc,
        "Hub",
        region.hub.cidr,
        &zones(region.hub.zones, &[]),
    );
    let (tgw, table, propagation) = (
        stack.import(&network.tgw),
        stack.import(&network.table),
        stack.import(&network.table),
    );
    let attachment = stack.add(
        "HubAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&vpc)
            .transit_gateway(tgw)
            .subnets(&subnets)
            .association(table)
            .propagations([PropagationRouteTable::of(propagation)])
            .build(),
    );
    let routes = stack.add(
        "HubRoutes",
        RouteTable::builder().vpc(&vpc).subnets(&subnets).build(),
    );
    stack.add(
        "BackToSpokes",
        Route::builder()
            .route_table(&routes)
            .destination(SPOKES)
            .target(&attachment)
            .build(),
    );
    let endpoint_sg = stack.add(
        "EndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("Centralized endpoints: HTTPS from the spokes")
            .ingress([Rule::new(HTTPS, Peer::ipv4(SPOKES)).description("Spokes")])
            .egress([])
            .build(),
    );
    let profile = stack.add(
        "SharedEndpoints",
        Profile::builder().name("shared-endpoints").build(),
    );
    for service in &region.hub.services {
        let id = pascal(service);
        // Private DNS on: the profile applies the endpoint's private DNS names to every VPC
        // associated with it.
        let endpoint = stack.add(
            &format!("{id}Endpoint"),
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::ByName::new(service.as_str()))
                .subnets(&subnets)
                .security_groups([&endpoint_sg])
                .build(),
        );
        stack.add(
            &format!("SharedEndpoints{id}"),
            ProfileResourceAssociation::builder()
                .profile(&profile)
                .name(format!("{}-endpoint", service.replace('.', "-")))
                .resource(ProfileResource::from(&endpoint))
                .build(),
        );
    }
    stack.add(
        "LandingZoneShare",
        ResourceShare::builder()
            .name("landing-zone")
            .resources([SharedResource::from(&profile)])
            .principals([organization])
            .allow_external_principals(false)
            .build(),
    );
    let profile = stack.export("SharedEndpointsProfileId", &profile);
    Hub {
        stack,
        vpc,
        subnets,
        endpoint_sg,
        profile,
    }
}

/// For each service the other Region's spokes use here: an endpoint with private DNS off and
/// a private hosted zone for its name, associated with the hub and those spokes (Route 53
/// associates VPCs of any Region; a profile, only its own Region's).
fn zones_for_the_other_region(hub: &mut Hub, others: &[BuiltSpoke<'_>]) {
    let mut services: Vec<&str> = others
        .iter()
        .filter_map(|s| s.config.other_region.as_ref())
        .flat_map(|o| o.services.iter().map(String::as_str))
        .collect();
    services.sort_unstable();
    services.dedup();
    for service in services {
        let id = pascal(service);
        let endpoint = hub.stack.add(
            &format!("{id}Endpoint"),
            InterfaceEndpoint::builder()
                .vpc(&hub.vpc)
                .service(services::ByName::new(service))
                .subnets(&hub.subnets)
                .security_groups([&hub.endpoint_sg])
                .private_dns(false)
                .build(),
        );
        let mut vpcs = vec![ZoneVpc::of(&hub.vpc)];
        for spoke in others.iter().filter(|s| {
            s.config
                .other_region
                .as_ref()
                .is_some_and(|o| o.services.iter().any(|x| x == service))
        }) {
            vpcs.push(ZoneVpc::of(hub.stack.import(&spoke.vpc)));
        }
        hub.stack.add(
            &format!("{id}Zone"),
            PrivateHostedZone::builder()
                .endpoint(&endpoint)
                .vpcs(vpcs)
                .build(),
        );
    }
}

/// The PrivateLink provider: its VPC, a Network Load Balancer and the endpoint service,
/// open to the consuming spokes' accounts and Regions.
fn provider(
    config: &Config,
) -> (
    Stack<DynamicStack>,
    vpcform::privatelink::EndpointServiceRef<DynamicVpc>,
    Export<DynamicStack, ServiceName>,
) {
    let p = &config.provider;
    let mut stack = stack(
        p.name.clone(),
        &p.account,
        &p.region,
        format!(
            "{}: a service offered over AWS PrivateLink to the landing zone",
            p.name
        ),
    );
    let vpc = stack.add(
        "ServiceVpc",
        Vpc::<DynamicVpc>::builder().cidr(p.cidr).build(),
    );
    let zone_count = u32::try_from(p.zone_ids.len()).unwrap_or(u32::MAX);
    let subnets = carve(
        &mut stack,
        &vpc,
        "Service",
        p.cidr,
        &zones(zone_count, &p.zone_ids),
    );
    stack.add(
        "ServiceRoutes",
        RouteTable::builder().vpc(&vpc).subnets(&subnets).build(),
    );
    // The NLB sees PrivateLink clients by their own private addresses: the spokes'.
    let nlb_sg = stack.add(
        "NlbSecurityGroup",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("NLB: HTTPS from the landing zone PrivateLink consumers")
            .ingress([Rule::new(HTTPS, Peer::ipv4(SPOKES)).description("PrivateLink consumers")])
            .egress([Rule::new(HTTPS, Peer::ipv4(p.cidr)).description("Targets and health checks")])
            .build(),
    );
    let nlb = stack.add(
        "ServiceNlb",
        NetworkLoadBalancer::builder()
            .subnets(&subnets)
            .security_groups([&nlb_sg])
            // What scanners look for (checkov CKV_AWS_91); AWS writes NLB access logs for TLS
            // listeners only, so synthesis warns that they stay empty with this TCP listener.
            .access_logs(AccessLogs::s3(p.log_bucket.as_str()).prefix("access-logs/inventory"))
            .build(),
    );
    let targets = stack.add(
        "ServiceTargets",
        TargetGroup::builder()
            .vpc(&vpc)
            .port(443)
            .health_check(HealthCheck::tcp())
            .targets(
                p.targets
                    .iter()
                    .map(|ip| TargetDescription::ip(ip.as_str())),
            )
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
    let consumers = || {
        config
            .regions
            .iter()
            .flat_map(|r| r.spokes.iter().map(move |s| (r, s)))
            .filter(|(_, s)| s.provider_gb_per_month.is_some())
    };
    let mut principals: Vec<String> = consumers()
        .map(|(_, s)| format!("arn:aws:iam::{}:root", s.account))
        .collect();
    principals.sort();
    principals.dedup();
    let mut regions: Vec<String> = consumers()
        .map(|(r, _)| r.region.clone())
        .filter(|r| *r != p.region)
        .collect();
    regions.sort();
    regions.dedup();
    // Acceptance stays required (each connection a decision; checkov CKV_AWS_123): the
    // traffic report gives the provider's step.
    let service = stack.add(
        "EndpointService",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .allowed_principals(principals)
            .supported_regions(regions)
            .build(),
    );
    let service_name = stack.export("ServiceName", service.service_name());
    (stack, service, service_name)
}

/// A spoke: its VPC, zones, attachment (associated and routed by the network account),
/// gateway endpoints, profile association, PrivateLink endpoint and workloads.
fn spoke_stack<'c>(
    config: &Config,
    region: &RegionConfig,
    spoke: &'c SpokeConfig,
    network: &Network,
    hub: &Hub,
    service_name: &Export<DynamicStack, ServiceName>,
) -> BuiltSpoke<'c> {
    let mut stack = stack(
        spoke.name.clone(),
        &spoke.account,
        &region.region,
        format!("Spoke {} of the landing zone", spoke.name),
    );
    let (vpc, subnets, routes) = match &spoke.existing {
        None => created_spoke(&mut stack, spoke),
        Some(existing) => existing_spoke(&mut stack, spoke, existing),
    };
    // No association or propagation here: only the transit gateway's owner runs its route
    // table APIs (SpokeRoutes<Region> does both).
    let tgw = stack.import(&network.tgw);
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
            .destination(region.hub.cidr)
            .target(&attachment)
            .build(),
    );
    if spoke.other_region.is_some() {
        let other = other_region(config, region);
        stack.add(
            &format!("{}To{}", spoke.name, other.name),
            Route::builder()
                .route_table(&routes)
                .destination(other.block)
                .target(&attachment)
                .build(),
        );
    }
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
    let profile = stack.import(&hub.profile);
    stack.add(
        &format!("{}Dns", spoke.name),
        ProfileAssociation::builder()
            .vpc(&vpc)
            .profile(profile)
            .name(format!("{}-dns", spoke.name.to_lowercase()))
            .build(),
    );
    if spoke.provider_gb_per_month.is_some() {
        consume_provider(
            config,
            region,
            spoke,
            &mut stack,
            &vpc,
            &subnets,
            service_name,
        );
    }
    let pods = stack.add(
        &format!("{}Pods", spoke.name),
        Workload::builder()
            .subnets(&subnets)
            .ephemeral_ports_opt(spoke.ephemeral_ports)
            .build(),
    );
    let vpc = stack.export("VpcId", &vpc);
    let attachment = stack.export("AttachmentId", &attachment);
    BuiltSpoke {
        config: spoke,
        stack,
        vpc,
        attachment,
        pods,
    }
}

/// The Region of the two that is not `region`.
fn other_region<'c>(config: &'c Config, region: &RegionConfig) -> &'c RegionConfig {
    let [first, second] = &config.regions;
    if first.region == region.region {
        second
    } else {
        first
    }
}

/// An interface endpoint to the provider's service, across Regions when the provider is in
/// the other (`ServiceRegion`), admitting the spoke's own workloads.
fn consume_provider(
    config: &Config,
    region: &RegionConfig,
    spoke: &SpokeConfig,
    stack: &mut Stack<DynamicStack>,
    vpc: &VpcRef<DynamicVpc>,
    subnets: &[SubnetRef<DynamicVpc>],
    service_name: &Export<DynamicStack, ServiceName>,
) {
    let sg = stack.add(
        &format!("{}ProviderSecurityGroup", spoke.name),
        SecurityGroup::builder()
            .vpc(vpc)
            .description(format!(
                "{} endpoint: HTTPS from the spoke",
                config.provider.name
            ))
            .ingress([
                Rule::new(HTTPS, Peer::ipv4(spoke.cidr)).description("Workloads of the spoke")
            ])
            .egress([])
            .build(),
    );
    let service = stack.import(service_name);
    let endpoint = InterfaceEndpoint::builder()
        .vpc(vpc)
        .service(service)
        .subnets(subnets)
        .security_groups([&sg]);
    let endpoint = if config.provider.region == region.region {
        endpoint.build()
    } else {
        endpoint
            .service_region(config.provider.region.as_str())
            .build()
    };
    stack.add(&format!("{}Endpoint", config.provider.name), endpoint);
}

/// The network account's side of a Region's spokes, deployed after them: each attachment
/// associated with the Region's route table, and a static route to each spoke's block.
fn spoke_routes(
    config: &Config,
    region: &RegionConfig,
    network: &Network,
    spokes: &[BuiltSpoke<'_>],
) -> Stack<DynamicStack> {
    let mut stack = stack(
        format!("SpokeRoutes{}", region.name),
        &config.network_account,
        &region.region,
        format!(
            "The spokes' attachments in {}, associated and routed",
            region.region
        ),
    );
    for spoke in spokes {
        let name = &spoke.config.name;
        let (table, attachment) = (
            stack.import(&network.table),
            stack.import(&spoke.attachment),
        );
        stack.add(
            &format!("{name}Association"),
            TransitGatewayRouteTableAssociation::builder()
                .route_table(table)
                .attachment(attachment)
                .build(),
        );
        let (table, attachment) = (
            stack.import(&network.table),
            stack.import(&spoke.attachment),
        );
        stack.add(
            &format!("To{name}"),
            TransitGatewayRoute::builder()
                .route_table(table)
                .destination(spoke.config.cidr)
                .target(attachment)
                .build(),
        );
    }
    stack
}

/// The peering, requested from the first Region's transit gateway to the second's, and the
/// two stacks deployed after its acceptance: each side's association of it with its route
/// table and a static route for the other Region's block (nothing propagates over a peering).
fn peering(config: &Config, networks: &[Network]) -> [Stack<DynamicStack>; 3] {
    let [requester, accepter] = &config.regions;
    let mut stack = stack(
        "TgwPeering".to_string(),
        &config.network_account,
        &requester.region,
        format!(
            "The transit gateways of {} and {}, peered",
            requester.region, accepter.region
        ),
    );
    let (own, peer) = (
        stack.import(&networks[0].tgw),
        stack.import(&networks[1].tgw),
    );
    let peering = stack.add(
        "Peering",
        TransitGatewayPeering::builder()
            .transit_gateway(own)
            .peer(peer)
            .build(),
    );
    let peering = stack.export("PeeringAttachmentId", &peering);
    let routes = |region: &RegionConfig| {
        stack_named(config, region, format!("PeeringRoutes{}", region.name))
    };
    let mut near = routes(requester);
    let (table, attachment) = (near.import(&networks[0].table), near.import(&peering));
    near.add(
        "PeeringAssociation",
        TransitGatewayRouteTableAssociation::builder()
            .route_table(table)
            .attachment(attachment)
            .build(),
    );
    let (table, attachment) = (near.import(&networks[0].table), near.import(&peering));
    near.add(
        &format!("To{}", accepter.name),
        TransitGatewayRoute::builder()
            .route_table(table)
            .destination(accepter.block)
            .target(attachment)
            .build(),
    );
    // The accepter names the peering by its own attachment ID, which the deployer's acceptance
    // step gives: this stack waits for the step.
    let mut far = routes(accepter);
    let (table, attachment) = (
        far.import(&networks[1].table),
        PeeringAccepterAttachment::accepted(&mut far, &peering),
    );
    far.add(
        "PeeringAssociation",
        TransitGatewayRouteTableAssociation::builder()
            .route_table(table)
            .attachment(attachment)
            .build(),
    );
    let (table, attachment) = (
        far.import(&networks[1].table),
        PeeringAccepterAttachment::accepted(&mut far, &peering),
    );
    far.add(
        &format!("To{}", requester.name),
        TransitGatewayRoute::builder()
            .route_table(table)
            .destination(requester.block)
            .target(attachment)
            .build(),
    );
    [stack, near, far]
}

/// A peering routes stack of the network account in `region`.
fn stack_named(config: &Config, region: &RegionConfig, name: String) -> Stack<DynamicStack> {
    stack(
        name,
        &config.network_account,
        &region.region,
        format!(
            "Routes over the transit gateway peering in {}, once accepted",
            region.region
        ),
    )
}

/// Every spoke to its Region's hub endpoints and gateway endpoints; the other Region's
/// services across the peering; the PrivateLink consumers to the provider.
fn flows(
    app: &mut App,
    config: &Config,
    spokes: &[Vec<BuiltSpoke<'_>>],
    service: &vpcform::privatelink::EndpointServiceRef<DynamicVpc>,
) {
    for (region, built) in config.regions.iter().zip(spokes) {
        for spoke in built {
            let own = region.hub.services.iter().chain(&spoke.config.gateways);
            for name in own {
                app.flow(Flow::new(
                    &spoke.pods,
                    services::ByName::new(name.as_str()),
                    HTTPS,
                ));
            }
            if let Some(other) = &spoke.config.other_region {
                for name in &other.services {
                    app.flow(
                        Flow::new(&spoke.pods, services::ByName::new(name.as_str()), HTTPS)
                            .gb_per_month(other.gb_per_month),
                    );
                }
            }
            if let Some(gb) = spoke.config.provider_gb_per_month {
                app.flow(Flow::new(&spoke.pods, service, HTTPS).gb_per_month(gb));
            }
        }
    }
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
    let zones = zones(spoke.zones, &spoke.zone_ids);
    let subnets = carve(stack, &vpc, &spoke.name, spoke.cidr, &zones);
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

/// `count` zones: by AZ ID when `ids` are given (they compare across accounts), else by index.
fn zones(count: u32, ids: &[String]) -> Vec<Az> {
    if ids.is_empty() {
        (0..count).map(Az::index).collect()
    } else {
        ids.iter().map(|id| Az::id(id.as_str())).collect()
    }
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
    zones: &[Az],
) -> Vec<SubnetRef<V>> {
    zones
        .iter()
        .zip(block.subnets(24).into_iter().flatten())
        .zip(0u32..)
        .map(|((az, cidr), zone)| {
            stack.add(
                &format!("{name}Private{zone}"),
                Subnet::builder()
                    .vpc(vpc)
                    .cidr(cidr)
                    .availability_zone(az.clone())
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
