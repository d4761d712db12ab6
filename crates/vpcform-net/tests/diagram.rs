//! The picture of a landing zone: account and region boundaries, zone associations drawn as
//! lines to the VPCs (so a missing one shows), and alike spokes beyond a threshold collapsed
//! into one node with a count.

use vpcform_net::handles::{DynamicStack, DynamicVpc};
use vpcform_net::prelude::*;
use vpcform_net::vpc::{SubnetRef, VpcRef};
use vpcform_net::zones::ZoneVpc;

/// A VPC with one private subnet, its route table and an S3 gateway endpoint, in a run-time
/// stack.
fn spoke(stack: &mut Stack<DynamicStack>, id: &str, index: usize) -> VpcRef<DynamicVpc> {
    spoke_and_subnet(stack, id, index).0
}

fn spoke_and_subnet(
    stack: &mut Stack<DynamicStack>,
    id: &str,
    index: usize,
) -> (VpcRef<DynamicVpc>, SubnetRef<DynamicVpc>) {
    let vpc = stack.add(
        id,
        Vpc::<DynamicVpc>::builder()
            .cidr(format!("10.{index}.0.0/16"))
            .build(),
    );
    let subnet = stack.add(
        &format!("{id}Private"),
        Subnet::builder()
            .vpc(&vpc)
            .cidr(format!("10.{index}.0.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let routes = stack.add(
        &format!("{id}Routes"),
        RouteTable::builder().vpc(&vpc).subnets([&subnet]).build(),
    );
    stack.add(
        &format!("{id}S3"),
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .build(),
    );
    (vpc, subnet)
}

fn dot(app: &App) -> String {
    app.synth()
        .map(|a| a.diagram_dot().to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The block of a DOT `subgraph` whose label is `label`: from its label to its closing brace.
fn cluster<'d>(dot: &'d str, label: &str) -> &'d str {
    let start = dot
        .find(&format!("label=\"{label}\""))
        .unwrap_or_else(|| panic!("no cluster {label:?} in\n{dot}"));
    let indent = dot[..start].rsplit('\n').next().map_or(0, str::len);
    let close = format!("\n{}}}", " ".repeat(indent.saturating_sub(2)));
    let end = dot[start..].find(&close).map_or(dot.len(), |e| start + e);
    &dot[start..end]
}

#[test]
fn each_stacks_vpcs_are_drawn_inside_its_account_and_region() {
    let mut network = Stack::<DynamicStack>::new("Network")
        .account("111111111111")
        .region("us-east-1");
    spoke(&mut network, "Shared", 0);
    let mut elsewhere = Stack::<DynamicStack>::new("Elsewhere")
        .account("222222222222")
        .region("eu-west-1");
    spoke(&mut elsewhere, "Far", 1);
    let mut anywhere = Stack::<DynamicStack>::new("Anywhere");
    spoke(&mut anywhere, "Loose", 2);
    let mut app = App::new("boundaries");
    app.add_stack(network);
    app.add_stack(elsewhere);
    app.add_stack(anywhere);
    let dot = dot(&app);
    let pinned = cluster(&dot, "account 111111111111 · us-east-1");
    assert!(pinned.contains("Network / Shared 10.0.0.0/16"), "{pinned}");
    assert!(!pinned.contains("Elsewhere / Far"), "{pinned}");
    let other = cluster(&dot, "account 222222222222 · eu-west-1");
    assert!(other.contains("Elsewhere / Far 10.1.0.0/16"), "{other}");
    // A stack that pins neither is drawn as such: where the deploying credentials point.
    let unpinned = cluster(&dot, "account not pinned · region not pinned");
    assert!(
        unpinned.contains("Anywhere / Loose 10.2.0.0/16"),
        "{unpinned}"
    );
}

#[test]
fn a_zones_associations_are_lines_to_its_vpcs_and_a_missing_one_has_none() {
    let mut stack = Stack::<DynamicStack>::new("Network");
    let hub = spoke(&mut stack, "Hub", 0);
    let associated = spoke(&mut stack, "Associated", 1);
    spoke(&mut stack, "Forgotten", 2);
    let subnets: Vec<_> = (0..2)
        .map(|i| {
            stack.add(
                &format!("HubEndpoints{i}"),
                Subnet::builder()
                    .vpc(&hub)
                    .cidr(format!("10.0.{}.0/24", 10 + i))
                    .availability_zone(Az::index(i))
                    .build(),
            )
        })
        .collect();
    let sg = stack.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&hub)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/8"))])
            .build(),
    );
    let sqs = stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&hub)
            .service(services::Sqs)
            .subnets(&subnets)
            .security_groups([&sg])
            .private_dns(false)
            .build(),
    );
    stack.add(
        "SqsZone",
        PrivateHostedZone::builder()
            .endpoint(&sqs)
            .vpcs([ZoneVpc::of(&hub), ZoneVpc::of(&associated)])
            .build(),
    );
    let mut app = App::new("zones");
    app.add_stack(stack);
    let dot = dot(&app);
    assert!(
        dot.contains(
            "\"Network/SqsZone\" -> \"Network/Associated\" [label=\"zone association\", color=\"#00838f\", fontcolor=\"#00838f\", style=dashed, lhead=cluster_1];"
        ),
        "{dot}"
    );
    assert!(
        !dot.contains("\"Network/SqsZone\" -> \"Network/Forgotten\""),
        "{dot}"
    );
    // Its own VPC's association is said in its box.
    assert!(
        dot.contains("SqsZone\\nprivate hosted zone\\nassociated with this VPC"),
        "{dot}"
    );
    // The line ends at the VPC's cluster: a point in it to reach.
    assert!(
        cluster(&dot, "Network / Associated 10.1.0.0/16")
            .contains("\"Network/Associated\" [label=\"\", shape=point"),
        "{dot}"
    );
}

/// `vpcs` alike spokes and one that differs (no gateway endpoint), in one stack.
fn fleet(vpcs: usize) -> App {
    let mut stack = Stack::<DynamicStack>::new("Fleet");
    let mut workloads = Vec::new();
    for i in 0..vpcs {
        let (_, subnet) = spoke_and_subnet(&mut stack, &format!("V{i}"), i);
        workloads.push(stack.add(
            &format!("V{i}Pods"),
            Workload::builder().subnets([&subnet]).build(),
        ));
    }
    stack.add(
        "Odd",
        Vpc::<DynamicVpc>::builder().cidr("10.200.0.0/16").build(),
    );
    let mut app = App::new("fleet");
    app.quotas(vpcform_net::quotas::Quotas::default().gateway_endpoints_per_region(100));
    app.add_stack(stack);
    for pods in &workloads {
        app.flow(Flow::new(pods, services::S3, Port::tcp(443)));
    }
    app
}

#[test]
fn alike_spokes_beyond_the_threshold_are_one_node_with_their_count() {
    let dot = dot(&fleet(12));
    // The first eight drawn in full, the other four one node, their lines folded with a count.
    for i in 0..8 {
        assert!(dot.contains(&format!("label=\"Fleet / V{i} ")), "{dot}");
    }
    for i in 8..12 {
        assert!(!dot.contains(&format!("label=\"Fleet / V{i} ")), "{dot}");
        assert!(!dot.contains(&format!("\"Fleet/V{i}S3\"")), "{dot}");
    }
    assert!(
        dot.contains(
            "\"Fleet/V8/collapsed\" [label=\"4 more spokes like Fleet / V0\\nFleet / V8 … Fleet / V11\", shape=box3d"
        ),
        "{dot}"
    );
    assert!(
        dot.contains("\"Fleet/V8/collapsed\" -> \"aws:s3\" [label=\"×4\""),
        "{dot}"
    );
    // Their flows too: from the node, through their own gateway endpoints, to the service.
    assert!(
        dot.contains(
            "\"Fleet/V8/collapsed\" -> \"aws:s3\" [label=\"s3 TCP 443 ×4\", color=\"#2e7d32\""
        ),
        "{dot}"
    );
    assert!(!dot.contains("\"Fleet/V9Pods\""), "{dot}");
    // The spoke of another shape is drawn, whatever the count of the others.
    assert!(dot.contains("label=\"Fleet / Odd 10.200.0.0/16\""), "{dot}");
    // Deterministic: the same app draws the same picture.
    assert_eq!(dot, self::dot(&fleet(12)));
    // At the threshold nothing collapses.
    let eight = self::dot(&fleet(8));
    assert!(!eight.contains("more spokes like"), "{eight}");
    assert!(eight.contains("label=\"Fleet / V7 "), "{eight}");
}
