//! Isolated VPCs with shared services (AWS Transit Gateway guide, "Example: Isolated VPCs with
//! shared services"): a transit gateway whose default route table is off, one route table the
//! workload VPCs are associated with (only the shared-services VPC propagates into it, so
//! workloads cannot reach each other) and one the shared-services VPC is associated with (every
//! workload propagates into it). The on-premises range is blackholed. Workloads reach the
//! shared VPC's interface endpoints through private hosted zones.
//!
//! ```text
//!  Network (one stack): transit gateway, route tables "Workloads" and "Shared"
//!  Shared 10.0.0.0/16: STS and Secrets Manager endpoints + zones ◄── Workload A 10.1.0.0/16
//!                                                                  ◄── Workload B 10.2.0.0/16
//!  Workload A ──✗── Workload B (no route between them)
//! ```

use vpcform::handles::VpcMarker;
use vpcform::prelude::*;
use vpcform::security::{AclEntry, NetworkAcl};
use vpcform::transit::{Blackhole, PropagationRouteTable};
use vpcform::transit::{TransitGatewayRoute, TransitGatewayRouteTable};
use vpcform::vpc::SubnetRef;
use vpcform::vpc::{Ipv4Cidr, VpcRef};

vpcform::topology! {
    /// Everything in one stack: the routing is the point.
    pub stack Network {
        /// Shared services, 10.0.0.0/16.
        vpc SharedVpc,
        /// A workload, 10.1.0.0/16.
        vpc WorkloadA,
        /// Another workload, 10.2.0.0/16.
        vpc WorkloadB,
    }
}

const HTTPS: Port = Port::tcp(443);

/// Builds the app.
pub fn app() -> App {
    let mut net = Stack::<Network>::new("Network")
        .description("Isolated workload VPCs that share one services VPC over a transit gateway");
    let tgw = net.add(
        "Tgw",
        TransitGateway::builder()
            .description("isolated VPCs with shared services")
            .default_route_table(false)
            .build(),
    );
    let workloads = net.add(
        "WorkloadsTable",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&tgw)
            .build(),
    );
    let shared_table = net.add(
        "SharedTable",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&tgw)
            .build(),
    );
    // Nothing goes on premises from here.
    net.add(
        "NoOnPremises",
        TransitGatewayRoute::builder()
            .route_table(&workloads)
            .destination(cidr!("192.168.0.0/16"))
            .target(Blackhole)
            .build(),
    );

    // ── Shared services ──────────────────────────────────────────────────────────────────
    let shared = net.add(
        "SharedVpc",
        Vpc::<SharedVpc>::builder()
            .cidr(cidr!("10.0.0.0/16"))
            .build(),
    );
    let s1 = net.add("SharedA", subnet(&shared, cidr!("10.0.1.0/24"), 0));
    let s2 = net.add("SharedB", subnet(&shared, cidr!("10.0.2.0/24"), 1));
    let shared_attachment = net.add(
        "SharedAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&shared)
            .transit_gateway(&tgw)
            .subnets([&s1, &s2])
            .association(&shared_table)
            .propagations([PropagationRouteTable::of(&workloads)])
            .build(),
    );
    let shared_routes = net.add(
        "SharedRoutes",
        RouteTable::builder()
            .vpc(&shared)
            .subnets([&s1, &s2])
            .build(),
    );
    net.add(
        "SharedToWorkloads",
        Route::builder()
            .route_table(&shared_routes)
            .destination(cidr!("10.0.0.0/8"))
            .target(&shared_attachment)
            .build(),
    );
    let endpoint_sg = net.add(
        "EndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&shared)
            .description("Shared endpoints: HTTPS from the workloads")
            .ingress([Rule::new(HTTPS, Peer::ipv4(cidr!("10.0.0.0/8"))).description("Workloads")])
            .build(),
    );
    // Defence in depth on the endpoints' subnets: HTTPS in from the workloads, and, since a
    // network ACL is stateless, the answers on the clients' ephemeral ports. These subnets are
    // the attachment's too: a request the transit gateway delivers into SharedA for the
    // endpoint's interface in SharedB leaves SharedA through its outbound rules (Transit
    // Gateway guide, "How network ACLs work with transit gateways"), hence outbound rule 110.
    // The traffic analysis walks every flow through it both ways.
    let ephemeral = Port::tcp_range(1024, 65535);
    net.add(
        "SharedAcl",
        NetworkAcl::builder()
            .vpc(&shared)
            .subnets([&s1, &s2])
            .inbound([
                AclEntry::allow(100, HTTPS, cidr!("10.0.0.0/8")),
                AclEntry::allow(110, ephemeral, cidr!("10.0.0.0/8")),
            ])
            .outbound([
                AclEntry::allow(100, ephemeral, cidr!("10.0.0.0/8")),
                AclEntry::allow(110, HTTPS, cidr!("10.0.0.0/16")),
            ])
            .build(),
    );

    // ── Workloads ────────────────────────────────────────────────────────────────────────
    let (a, a_pods) = workload::<WorkloadA>(
        &mut net,
        "WorkloadA",
        cidr!("10.1.0.0/16"),
        [cidr!("10.1.1.0/24"), cidr!("10.1.2.0/24")],
        &tgw,
        &workloads,
        &shared_table,
    );
    let (b, b_pods) = workload::<WorkloadB>(
        &mut net,
        "WorkloadB",
        cidr!("10.2.0.0/16"),
        [cidr!("10.2.1.0/24"), cidr!("10.2.2.0/24")],
        &tgw,
        &workloads,
        &shared_table,
    );

    let sts = net.add(
        "StsEndpoint",
        InterfaceEndpoint::builder()
            .vpc(&shared)
            .service(services::Sts)
            .subnets([&s1, &s2])
            .security_groups([&endpoint_sg])
            .private_dns(false)
            .build(),
    );
    net.add(
        "StsZone",
        PrivateHostedZone::builder()
            .endpoint(&sts)
            .vpcs([ZoneVpc::of(&shared), ZoneVpc::of(&a), ZoneVpc::of(&b)])
            .build(),
    );
    let secrets = net.add(
        "SecretsEndpoint",
        InterfaceEndpoint::builder()
            .vpc(&shared)
            .service(services::SecretsManager)
            .subnets([&s1, &s2])
            .security_groups([&endpoint_sg])
            .private_dns(false)
            .build(),
    );
    net.add(
        "SecretsZone",
        PrivateHostedZone::builder()
            .endpoint(&secrets)
            .vpcs([ZoneVpc::of(&shared), ZoneVpc::of(&a), ZoneVpc::of(&b)])
            .build(),
    );

    let mut app = App::new("segmented");
    app.add_stack(net);
    app.flow(Flow::new(&a_pods, services::Sts, HTTPS).gb_per_month(5.0));
    app.flow(Flow::new(&a_pods, services::SecretsManager, HTTPS).gb_per_month(1.0));
    app.flow(Flow::new(&b_pods, services::Sts, HTTPS).gb_per_month(5.0));
    app.flow(Flow::new(&b_pods, services::SecretsManager, HTTPS).gb_per_month(1.0));
    app.require_private_traffic();
    app
}

/// A workload VPC: two subnets (one per AZ, shared by the attachment and the workload), its
/// attachment associated with the workloads' table and propagating into the shared one, and
/// a route to the shared VPC.
fn workload<V: VpcMarker<Stack = Network> + vpcform::handles::InStack<Network>>(
    net: &mut Stack<Network>,
    name: &str,
    cidr: Ipv4Cidr,
    subnets: [Ipv4Cidr; 2],
    tgw: &vpcform::transit::TransitGatewayRef<Network>,
    workloads: &vpcform::transit::TransitGatewayRouteTableRef<Network>,
    shared: &vpcform::transit::TransitGatewayRouteTableRef<Network>,
) -> (VpcRef<V>, vpcform::vpc::WorkloadRef<V>) {
    let vpc = net.add(name, Vpc::<V>::builder().cidr(cidr).build());
    let w1: SubnetRef<V> = net.add(&format!("{name}A"), subnet(&vpc, subnets[0], 0));
    let w2: SubnetRef<V> = net.add(&format!("{name}B"), subnet(&vpc, subnets[1], 1));
    let attachment = net.add(
        &format!("{name}Attachment"),
        TransitGatewayAttachment::builder()
            .vpc(&vpc)
            .transit_gateway(tgw)
            .subnets([&w1, &w2])
            .association(workloads)
            .propagations([PropagationRouteTable::of(shared)])
            .build(),
    );
    let routes = net.add(
        &format!("{name}Routes"),
        RouteTable::builder().vpc(&vpc).subnets([&w1, &w2]).build(),
    );
    net.add(
        &format!("{name}ToShared"),
        Route::builder()
            .route_table(&routes)
            .destination(cidr!("10.0.0.0/16"))
            .target(&attachment)
            .build(),
    );
    let pods = net.add(
        &format!("{name}Pods"),
        Workload::builder().subnets([&w1, &w2]).build(),
    );
    (vpc, pods)
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
