//! Transit gateways with route tables of their own: associations, propagations, static and
//! blackhole routes — their rules, and the traffic analysis through them.

use vpcform_net::cfn;
use vpcform_net::findings::{Code, SynthError, SynthWarning};
use vpcform_net::prelude::*;
use vpcform_net::traffic::PathKind;
use vpcform_net::transit::{Blackhole, PropagationRouteTable};
use vpcform_net::transit::{TransitGatewayRoute, TransitGatewayRouteTable};
include!("common/errors.rs");

vpcform_net::topology! {
    stack Seg { vpc Hub, vpc Spoke }
}

#[derive(Default, Clone, Copy)]
struct Change {
    blackhole_hub: bool,
    no_spoke_propagation: bool,
    default_on: bool,
    twice: bool,
}

/// One stack: a transit gateway with its default route table off, a "Spokes" table (the spoke
/// is associated; the hub propagates into it) and a "Hub" table (the hub is associated; the
/// spoke propagates into it); the hub's SQS endpoint and its zone, associated with the spoke.
fn app(c: Change) -> App {
    let mut stack = Stack::<Seg>::new("Seg");
    let tgw = stack.add(
        "Tgw",
        TransitGateway::builder()
            .default_route_table(c.default_on)
            .build(),
    );
    let spokes_table = stack.add(
        "SpokesTable",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&tgw)
            .build(),
    );
    let hub_table = stack.add(
        "HubTable",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&tgw)
            .build(),
    );
    let hub = stack.add(
        "Hub",
        Vpc::<Hub>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let h1 = stack.add(
        "H1",
        Subnet::builder()
            .vpc(&hub)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let hub_attachment = stack.add(
        "HubAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&hub)
            .transit_gateway(&tgw)
            .subnets([&h1])
            .association(&hub_table)
            .propagations([PropagationRouteTable::of(&spokes_table)])
            .build(),
    );
    let hub_routes = stack.add(
        "HubRoutes",
        RouteTable::builder().vpc(&hub).subnets([&h1]).build(),
    );
    stack.add(
        "HubBack",
        Route::builder()
            .route_table(&hub_routes)
            .destination(cidr!("10.1.0.0/16"))
            .target(&hub_attachment)
            .build(),
    );
    let spoke = stack.add(
        "Spoke",
        Vpc::<Spoke>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let s1 = stack.add(
        "S1",
        Subnet::builder()
            .vpc(&spoke)
            .cidr(cidr!("10.1.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let mut propagations = Vec::new();
    if !c.no_spoke_propagation {
        propagations.push(PropagationRouteTable::of(&hub_table));
    }
    if c.twice {
        propagations.push(PropagationRouteTable::of(&hub_table));
        propagations.push(PropagationRouteTable::of(&hub_table));
    }
    let spoke_attachment = stack.add(
        "SpokeAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&spoke)
            .transit_gateway(&tgw)
            .subnets([&s1])
            .association(&spokes_table)
            .propagations(propagations)
            .build(),
    );
    let spoke_routes = stack.add(
        "SpokeRoutes",
        RouteTable::builder().vpc(&spoke).subnets([&s1]).build(),
    );
    stack.add(
        "SpokeToHub",
        Route::builder()
            .route_table(&spoke_routes)
            .destination(cidr!("10.0.0.0/16"))
            .target(&spoke_attachment)
            .build(),
    );
    if c.blackhole_hub {
        stack.add(
            "DropHub",
            TransitGatewayRoute::builder()
                .route_table(&spokes_table)
                .destination(cidr!("10.0.0.0/16"))
                .target(Blackhole)
                .build(),
        );
    }
    if c.twice {
        for id in ["Static1", "Static2"] {
            stack.add(
                id,
                TransitGatewayRoute::builder()
                    .route_table(&spokes_table)
                    .destination(cidr!("10.0.0.0/24"))
                    .target(&hub_attachment)
                    .build(),
            );
        }
    }
    let sg = stack.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&hub)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/8")))])
            .build(),
    );
    let sqs = stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&hub)
            .service(services::Sqs)
            .subnets([&h1])
            .security_groups([&sg])
            .private_dns(false)
            .build(),
    );
    stack.add(
        "SqsZone",
        PrivateHostedZone::builder()
            .endpoint(&sqs)
            .vpcs([ZoneVpc::of(&spoke)])
            .build(),
    );
    let pods = stack.add("Pods", Workload::builder().subnets([&s1]).build());
    let mut app = App::new("seg");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)));
    app
}

fn flow(c: Change) -> (PathKind, String, Vec<String>) {
    let assembly = app(c).synth().unwrap_or_else(|e| panic!("{e}"));
    let subnet = assembly.traffic().flows[0].subnets[0].clone();
    (subnet.path, subnet.reason.unwrap_or_default(), subnet.hops)
}

/// The synthesis errors, as data: tests assert their codes, constructs and values (each code's
/// text has its own snapshot in `finding.rs`).
fn errors(c: Change) -> Vec<SynthError> {
    app(c).synth().err().map(|e| e.0).unwrap_or_default()
}

#[test]
fn a_flow_follows_the_associated_tables_both_ways() {
    let (path, reason, hops) = flow(Change::default());
    assert_eq!(path, PathKind::InterfaceEndpoint, "{reason}");
    assert_eq!(
        hops,
        ["Seg/SpokeAttachment", "Seg/Tgw", "Seg/HubAttachment"]
    );
}

#[test]
fn a_blackhole_route_and_a_missing_propagation_are_named() {
    let (path, reason, _) = flow(Change {
        blackhole_hub: true,
        ..Change::default()
    });
    assert_eq!(path, PathKind::Unreachable);
    assert!(
        reason.starts_with("transit gateway route table Seg/SpokesTable blackholes 10.0.1.0/24"),
        "{reason}"
    );
    let (path, reason, _) = flow(Change {
        no_spoke_propagation: true,
        ..Change::default()
    });
    assert_eq!(path, PathKind::Unreachable);
    assert!(
        reason.starts_with("no way back: transit gateway route table Seg/HubTable does not send 10.1.1.0/24 to Seg/SpokeAttachment"),
        "{reason}"
    );
}

#[test]
fn associations_need_the_default_route_table_off_and_each_table_once() {
    let e = errors(Change {
        default_on: true,
        ..Change::default()
    });
    assert_eq!(
        codes(&e),
        [
            (Code::VF0803, Some("Seg/HubAttachment")),
            (Code::VF0803, Some("Seg/SpokeAttachment")),
        ],
        "{e:#?}"
    );
    // Each association is refused for the default route table, whose switch the fix names.
    for (e, table) in e.iter().zip(["Seg/HubTable", "Seg/SpokesTable"]) {
        assert!(
            matches!(text(e), Some(("TransitGatewayRouteTableAssociation", value, reason))
                if value == table && reason.contains("default_route_table")),
            "{e:?}"
        );
    }
    let e = errors(Change {
        twice: true,
        ..Change::default()
    });
    assert_eq!(
        codes(&e),
        [
            (Code::VF0803, Some("Seg/SpokeAttachment")),
            (Code::VF0803, Some("Seg/SpokeAttachment")),
            (Code::VF0501, Some("Seg/Static2")),
        ],
        "{e:#?}"
    );
    assert!(
        matches!(text(&e[0]), Some(("TransitGatewayRouteTablePropagation", "Seg/HubTable", reason))
            if reason.contains("twice")),
        "{:?}",
        e[0]
    );
    assert!(
        matches!(&e[2], SynthError::DuplicateRoute { route_table, destination, other, .. }
            if route_table == "Seg/SpokesTable" && destination == "10.0.0.0/24" && other == "Seg/Static1"),
        "{:?}",
        e[2]
    );
}

#[test]
fn associations_propagations_and_routes_are_rendered() {
    let assembly = app(Change {
        blackhole_hub: true,
        ..Change::default()
    })
    .synth()
    .unwrap_or_else(|e| panic!("{e}"));
    let resources = assembly.stacks()[0].template().resources();
    let association = &resources["SpokeAttachmentAssociation"];
    assert_eq!(
        association.resource_type(),
        "AWS::EC2::TransitGatewayRouteTableAssociation"
    );
    assert_eq!(
        association.get("TransitGatewayRouteTableId"),
        Some(&cfn::Value::reference("SpokesTable"))
    );
    assert_eq!(
        resources["SpokeAttachmentPropagation1"].get("TransitGatewayRouteTableId"),
        Some(&cfn::Value::reference("HubTable"))
    );
    assert_eq!(
        resources["DropHub"].get("Blackhole"),
        Some(&cfn::Value::Bool(true))
    );
    assert_eq!(
        resources["Tgw"].get("DefaultRouteTableAssociation"),
        Some(&cfn::Value::from("disable"))
    );
}

#[test]
fn an_attachment_without_an_association_routes_nothing() {
    vpcform_net::topology! { stack Bare { vpc B } }
    let mut stack = Stack::<Bare>::new("Bare");
    let tgw = stack.add(
        "Tgw",
        TransitGateway::builder().default_route_table(false).build(),
    );
    let vpc = stack.add("B", Vpc::<B>::builder().cidr(cidr!("10.0.0.0/16")).build());
    let s = stack.add(
        "S",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.0.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    stack.add(
        "Att",
        TransitGatewayAttachment::builder()
            .vpc(&vpc)
            .transit_gateway(&tgw)
            .subnets([&s])
            .build(),
    );
    let mut app = App::new("bare");
    app.add_stack(stack);
    let w: Vec<SynthWarning> = match app.synth() {
        Ok(assembly) => assembly.warnings().to_vec(),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(
        w.iter()
            .map(|w| (w.code(), w.construct()))
            .collect::<Vec<_>>(),
        [(Code::VF0611, Some("Bare/Att"))],
        "{w:#?}"
    );
}
