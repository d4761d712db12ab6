//! Transit gateway peering (issue 25): the peering attachment and what AWS refuses of it,
//! static routes and associations over it from a stack deployed after the acceptance, the
//! traffic walk across two peered transit gateways (pending acceptance until the accepter
//! accepts), its cost and its quota.

use vpcform_net::findings::{Code, SynthError};
use vpcform_net::prelude::*;
use vpcform_net::quotas::Quotas;
use vpcform_net::traffic::PathKind;
use vpcform_net::transit::{
    ExternalTransitGateway, PeeringAccepterAttachment, PropagationRouteTable,
    TransitGatewayPeering, TransitGatewayRef, TransitGatewayRoute, TransitGatewayRouteTable,
    TransitGatewayRouteTableAssociation,
};
use vpcform_net::vpc::SubnetRef;
include!("common/errors.rs");

vpcform_net::topology! {
    stack East { vpc A }
    stack West { vpc Hub }
    stack Peering {}
    stack EastRoutes {}
    stack WestRoutes {}
    stack Solo {}
}

const ACCOUNT: &str = "111111111111";
/// The accepter's attachment ID, as `DescribeTransitGatewayPeeringAttachments` gives it.
const ACCEPTER_ID: &str = "tgw-attach-0123456789abcdef0";

/// What to leave out or change in the fixture, one piece at a time.
#[derive(Default, Clone, Copy)]
struct Break {
    /// The West stack's region is not pinned.
    west_unpinned: bool,
    /// West's table has no route back to the spoke over the peering.
    no_accepter_route: bool,
    /// West's route back names the peering by the requester's (imported) ID.
    accepter_route_by_import: bool,
    /// The peering has no association on West's side.
    no_accepter_association: bool,
    /// East's route to the hub is written in the peering's own stack.
    route_in_peering_stack: bool,
    /// East's route to the hub names the accepter's attachment ID.
    requester_route_by_accepter_id: bool,
    /// West's route and association take the accepter's ID from the acceptance step.
    accepter_id_from_step: bool,
    /// The spoke's attachment has no `.association` of its own: EastRoutes associates it by
    /// its imported ID, as a transit gateway's owner does for a VPC of another account.
    spoke_associated_by_owner: bool,
    /// The spoke's attachment keeps its own `.association`, and EastRoutes associates it too.
    spoke_associated_twice: bool,
    /// The spoke's attachment is associated nowhere.
    spoke_unassociated: bool,
}

/// East (us-east-1): transit gateway A with route table A, spoke VPC A (10.1.0.0/16)
/// attached and associated with it, its subnets routing the hub to the attachment, and a
/// workload. West (us-west-2): transit gateway B with route table B, the hub VPC
/// (10.0.0.0/16) attached and associated, an SQS endpoint and its zone associated with the
/// hub and spoke A. Peering (us-east-1): A peered with B. EastRoutes and WestRoutes, deployed
/// after the acceptance: each table's static route over the peering, and the peering's
/// association on each side.
fn build(b: Break) -> App {
    let mut east = Stack::<East>::new("East")
        .region("us-east-1")
        .account(ACCOUNT);
    let tgw_a = east.add(
        "TgwA",
        TransitGateway::builder().default_route_table(false).build(),
    );
    let table_a = east.add(
        "TableA",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&tgw_a)
            .build(),
    );
    let a = east.add("A", Vpc::<A>::builder().cidr(cidr!("10.1.0.0/16")).build());
    let subnet = |stack: &mut Stack<East>, id: &str, cidr: &str, az: u32| -> SubnetRef<A> {
        stack.add(
            id,
            Subnet::builder()
                .vpc(&a)
                .cidr(cidr)
                .availability_zone(Az::index(az))
                .build(),
        )
    };
    let w1 = subnet(&mut east, "Work1", "10.1.1.0/24", 0);
    let w2 = subnet(&mut east, "Work2", "10.1.2.0/24", 1);
    let own_association = !(b.spoke_associated_by_owner || b.spoke_unassociated);
    let attachment = TransitGatewayAttachment::builder()
        .vpc(&a)
        .transit_gateway(&tgw_a)
        .subnets([&w1, &w2])
        .propagations([PropagationRouteTable::of(&table_a)]);
    let attachment = east.add(
        "AAttachment",
        if own_association {
            attachment.association(&table_a).build()
        } else {
            attachment.build()
        },
    );
    let routes = east.add(
        "ARoutes",
        RouteTable::builder().vpc(&a).subnets([&w1, &w2]).build(),
    );
    east.add(
        "ToHub",
        Route::builder()
            .route_table(&routes)
            .destination(cidr!("10.0.0.0/16"))
            .target(&attachment)
            .build(),
    );
    let pods = east.add("Pods", Workload::builder().subnets([&w1, &w2]).build());
    let tgw_a_id = east.export("TgwAId", &tgw_a);
    let table_a_id = east.export("TableAId", &table_a);
    let spoke_id = east.export("VpcId", &a);
    let attachment_id = east.export("AAttachmentId", &attachment);

    let mut west = Stack::<West>::new("West").account(ACCOUNT);
    if !b.west_unpinned {
        west = west.region("us-west-2");
    }
    let tgw_b = west.add(
        "TgwB",
        TransitGateway::builder()
            .amazon_side_asn(64513)
            .default_route_table(false)
            .build(),
    );
    let table_b = west.add(
        "TableB",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&tgw_b)
            .build(),
    );
    let hub = west.add(
        "Hub",
        Vpc::<Hub>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let h1 = west.add(
        "H1",
        Subnet::builder()
            .vpc(&hub)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let h2 = west.add(
        "H2",
        Subnet::builder()
            .vpc(&hub)
            .cidr(cidr!("10.0.2.0/24"))
            .availability_zone(Az::index(1))
            .build(),
    );
    let hub_attachment = west.add(
        "HubAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&hub)
            .transit_gateway(&tgw_b)
            .subnets([&h1, &h2])
            .association(&table_b)
            .propagations([PropagationRouteTable::of(&table_b)])
            .build(),
    );
    let hub_routes = west.add(
        "HubRoutes",
        RouteTable::builder().vpc(&hub).subnets([&h1, &h2]).build(),
    );
    west.add(
        "Back",
        Route::builder()
            .route_table(&hub_routes)
            .destination(cidr!("10.0.0.0/8"))
            .target(&hub_attachment)
            .build(),
    );
    let sg = west.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&hub)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/8"))])
            .build(),
    );
    let sqs = west.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&hub)
            .service(services::Sqs)
            .subnets([&h1, &h2])
            .security_groups([&sg])
            .private_dns(false)
            .build(),
    );
    let spoke = west.import(&spoke_id);
    west.add(
        "SqsZone",
        PrivateHostedZone::builder()
            .endpoint(&sqs)
            .vpcs([ZoneVpc::of(&hub), ZoneVpc::of(spoke)])
            .build(),
    );
    let tgw_b_id = west.export("TgwBId", &tgw_b);
    let table_b_id = west.export("TableBId", &table_b);

    let mut peering_stack = Stack::<Peering>::new("Peering")
        .region("us-east-1")
        .account(ACCOUNT);
    let requester = peering_stack.import(&tgw_a_id);
    let accepter = peering_stack.import(&tgw_b_id);
    let peering = peering_stack.add(
        "AToB",
        TransitGatewayPeering::builder()
            .transit_gateway(requester)
            .peer(accepter)
            .build(),
    );
    if b.route_in_peering_stack {
        let table = peering_stack.import(&table_a_id);
        peering_stack.add(
            "TooEarly",
            TransitGatewayRoute::builder()
                .route_table(table)
                .destination(cidr!("10.0.0.0/16"))
                .target(&peering)
                .build(),
        );
    }
    let peering_id = peering_stack.export("AToBId", &peering);

    let mut east_routes = Stack::<EastRoutes>::new("EastRoutes")
        .region("us-east-1")
        .account(ACCOUNT);
    if !b.route_in_peering_stack {
        let table = east_routes.import(&table_a_id);
        let route = TransitGatewayRoute::builder()
            .route_table(table)
            .destination(cidr!("10.0.0.0/16"));
        let route = if b.requester_route_by_accepter_id {
            route
                .target(PeeringAccepterAttachment::new(&peering_id, ACCEPTER_ID))
                .build()
        } else {
            route.target(east_routes.import(&peering_id)).build()
        };
        east_routes.add("HubOverPeering", route);
    }
    let table = east_routes.import(&table_a_id);
    let peering = east_routes.import(&peering_id);
    east_routes.add(
        "PeeringAssociation",
        TransitGatewayRouteTableAssociation::builder()
            .route_table(table)
            .attachment(peering)
            .build(),
    );

    if b.spoke_associated_by_owner || b.spoke_associated_twice {
        let table = east_routes.import(&table_a_id);
        let spoke = east_routes.import(&attachment_id);
        east_routes.add(
            "SpokeAssociation",
            TransitGatewayRouteTableAssociation::builder()
                .route_table(table)
                .attachment(spoke)
                .build(),
        );
    }

    let mut west_routes = Stack::<WestRoutes>::new("WestRoutes").account(ACCOUNT);
    if !b.west_unpinned {
        west_routes = west_routes.region("us-west-2");
    }
    let accepter = |stack: &mut Stack<WestRoutes>| {
        if b.accepter_id_from_step {
            PeeringAccepterAttachment::accepted(stack, &peering_id)
        } else {
            PeeringAccepterAttachment::new(&peering_id, ACCEPTER_ID)
        }
    };
    if !b.no_accepter_route {
        let table = west_routes.import(&table_b_id);
        let route = TransitGatewayRoute::builder()
            .route_table(table)
            .destination(cidr!("10.1.0.0/16"));
        let route = if b.accepter_route_by_import {
            route.target(west_routes.import(&peering_id)).build()
        } else {
            route.target(accepter(&mut west_routes)).build()
        };
        west_routes.add("SpokeOverPeering", route);
    }
    if !b.no_accepter_association {
        let table = west_routes.import(&table_b_id);
        let attachment = accepter(&mut west_routes);
        west_routes.add(
            "PeeringAssociation",
            TransitGatewayRouteTableAssociation::builder()
                .route_table(table)
                .attachment(attachment)
                .build(),
        );
    }

    let mut app = App::new("tgw-peering");
    app.add_stack(east);
    app.add_stack(west);
    app.add_stack(peering_stack);
    app.add_stack(east_routes);
    app.add_stack(west_routes);
    // SQS through the hub: 100 GB a month sent, 40 back.
    app.flow(
        Flow::new(&pods, services::Sqs, Port::tcp(443))
            .gb_per_month(100.0)
            .response_gb_per_month(40.0),
    );
    app
}

/// The SQS flow's path from the first workload subnet.
fn sqs_path(b: Break) -> vpcform_net::traffic::SubnetPath {
    let assembly = build(b).synth().unwrap_or_else(|e| panic!("{e}"));
    assembly.traffic().flows[0].subnets[0].clone()
}

// ── The walk ──────────────────────────────────────────────────────────────────────────

/// The picture: each transit gateway in its Region's boundary, the peering a box between them
/// (in its own stack's), the flow passing through it.
#[test]
fn the_picture_draws_the_peering_between_the_regions_transit_gateways() {
    let dot = build(Break::default())
        .synth()
        .map(|a| a.diagram_dot().to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    for line in [
        "\"Peering/AToB\" [label=\"AToB\\ntransit gateway peering\", shape=cds",
        "\"East/TgwA\" -> \"Peering/AToB\" [label=\"requester\"",
        "\"Peering/AToB\" -> \"West/TgwB\" [label=\"accepter\"",
        "label=\"account 111111111111 · us-west-2\"",
    ] {
        assert!(dot.contains(line), "{line} not in\n{dot}");
    }
}

#[test]
fn a_spoke_reaches_a_hub_behind_a_peered_transit_gateway_once_the_peering_is_accepted() {
    let path = sqs_path(Break::default());
    assert_eq!(path.path, PathKind::PendingAcceptance, "{path:#?}");
    assert_eq!(path.via.as_deref(), Some("West/Sqs"));
    assert_eq!(
        path.hops,
        [
            "East/AAttachment",
            "East/TgwA",
            "Peering/AToB",
            "West/TgwB",
            "West/HubAttachment"
        ]
    );
    let fix = path.fix.unwrap_or_default();
    assert!(
        fix.contains(
            "deploy: step Accept-Peering-AToB accepts it in West/TgwB's account and region \
             after stack Peering (by hand: aws ec2 accept-transit-gateway-peering-attachment \
             --transit-gateway-attachment-id <Peering/AToB's attachment ID> --region us-west-2)"
        ),
        "{fix}"
    );
    // Pending acceptance is private: nothing goes public meanwhile.
    assert!(path.path.is_private());
}

#[test]
fn each_leg_over_the_peering_needs_its_static_route_and_association() {
    // The way back: West's table has no route to the spoke.
    let path = sqs_path(Break {
        no_accepter_route: true,
        ..Break::default()
    });
    assert_eq!(path.path, PathKind::Unreachable, "{path:#?}");
    let reason = path.reason.unwrap_or_default();
    assert!(
        reason.contains(
            "transit gateway route table West/TableB of hub attachment West/HubAttachment"
        ) && reason.contains("10.1.1.0/24"),
        "{reason}"
    );
    assert_eq!(
        path.fix.as_deref(),
        Some("add a TransitGatewayRoute for 10.1.1.0/24 to Peering/AToB in West/TableB")
    );
    // The far side: the peering is associated with no table of transit gateway B.
    let path = sqs_path(Break {
        no_accepter_association: true,
        ..Break::default()
    });
    assert_eq!(path.path, PathKind::Unreachable, "{path:#?}");
    let reason = path.reason.unwrap_or_default();
    assert!(
        reason.starts_with("peering Peering/AToB on West/TgwB's side is associated with no"),
        "{reason}"
    );
}

/// A VPC of another account attached to a shared transit gateway cannot name the owner's
/// route tables: the owner associates its attachment, by the attachment's ID imported. The walk
/// follows that association as it follows the attachment's own.
#[test]
fn the_transit_gateway_owner_associates_a_spokes_attachment() {
    let path = sqs_path(Break {
        spoke_associated_by_owner: true,
        ..Break::default()
    });
    assert_eq!(path.path, PathKind::PendingAcceptance, "{path:#?}");
    assert_eq!(path.hops, sqs_path(Break::default()).hops);
    let assembly = build(Break {
        spoke_associated_by_owner: true,
        ..Break::default()
    })
    .synth()
    .unwrap_or_else(|e| panic!("{e}"));
    // Associated, so no warning that the attachment routes nothing.
    assert!(
        assembly
            .warnings()
            .iter()
            .all(|w| w.construct() != Some("East/AAttachment")),
        "{:#?}",
        assembly.warnings()
    );
    // Associated nowhere: unreachable, and the warning.
    let path = sqs_path(Break {
        spoke_unassociated: true,
        ..Break::default()
    });
    assert_eq!(path.path, PathKind::Unreachable, "{path:#?}");
    let reason = path.reason.unwrap_or_default();
    assert!(
        reason.contains(
            "attachment East/AAttachment is associated with no transit gateway route table"
        ),
        "{reason}"
    );
}

#[test]
fn a_vpc_attachment_is_associated_once() {
    let errors = synth_errors(&build(Break {
        spoke_associated_twice: true,
        ..Break::default()
    }));
    let found: Vec<(Option<&str>, &str, &str)> = errors
        .iter()
        .filter_map(|e| Some((e.construct(), text(e)?.0, text(e)?.1)))
        .collect();
    assert_eq!(
        (errors.len(), found),
        (
            1,
            vec![(
                Some("EastRoutes/SpokeAssociation"),
                "TransitGatewayAttachmentId",
                "East/AAttachment"
            )]
        ),
        "{errors:#?}"
    );
}

// ── Refusals ──────────────────────────────────────────────────────────────────────────

/// What a spoke of another account names of the owner's route table.
#[derive(Clone, Copy)]
enum Names {
    Association,
    Propagation,
    Nothing,
}

/// A transit gateway of account 111111111111 (default route table off, a route table of its
/// own), shared with account 222222222222, whose VPC attaches to it naming `names`: the
/// synthesis's errors and warnings' codes with their constructs.
fn shared(names: Names) -> (Vec<SynthError>, Vec<(Code, Option<String>)>) {
    let mut network = Stack::<Solo>::new("Network")
        .region("us-east-1")
        .account(ACCOUNT);
    let tgw = network.add(
        "Tgw",
        TransitGateway::builder()
            .default_route_table(false)
            .auto_accept_shared_attachments(true)
            .build(),
    );
    let table = network.add(
        "Routes",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&tgw)
            .build(),
    );
    network.add(
        "Share",
        vpcform_net::sharing::ResourceShare::builder()
            .name("tgw")
            .resources([vpcform_net::sharing::SharedResource::from(&tgw)])
            .principals(["222222222222"])
            .build(),
    );
    let (tgw_id, table_id) = (
        network.export("TgwId", &tgw),
        network.export("RoutesId", &table),
    );
    let mut spoke = Stack::<East>::new("Spoke")
        .region("us-east-1")
        .account("222222222222");
    let a = spoke.add("A", Vpc::<A>::builder().cidr(cidr!("10.1.0.0/16")).build());
    let w = spoke.add(
        "Work",
        Subnet::builder()
            .vpc(&a)
            .cidr(cidr!("10.1.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let (tgw, table) = (spoke.import(&tgw_id), spoke.import(&table_id));
    let attachment = TransitGatewayAttachment::builder()
        .vpc(&a)
        .transit_gateway(tgw)
        .subnets([&w]);
    let attachment = match names {
        Names::Association => attachment.association(table).build(),
        Names::Propagation => attachment
            .propagations([PropagationRouteTable::of(table)])
            .build(),
        Names::Nothing => attachment.build(),
    };
    spoke.add("Attachment", attachment);
    let mut app = App::new("shared");
    app.add_stack(network);
    app.add_stack(spoke);
    match app.synth() {
        Ok(assembly) => (
            Vec::new(),
            assembly
                .warnings()
                .iter()
                .map(|w| (w.code(), w.construct().map(str::to_string)))
                .collect(),
        ),
        Err(errors) => (errors.0, Vec::new()),
    }
}

#[test]
fn a_spoke_of_another_account_names_none_of_the_owners_route_tables() {
    for (names, property) in [
        (Names::Association, "TransitGatewayRouteTableAssociation"),
        (Names::Propagation, "TransitGatewayRouteTablePropagation"),
    ] {
        let (errors, _) = shared(names);
        assert_eq!(
            codes(&errors),
            [(Code::VF0644, Some("Spoke/Attachment"))],
            "{errors:#?}"
        );
        assert!(
            matches!(&errors[0], SynthError::SharedTransitGatewayRouteTable { property: p, tgw_account, .. }
                if *p == property && tgw_account == ACCOUNT),
            "{errors:#?}"
        );
    }
    // Naming none: it synthesizes, and routes nothing until the owner associates it.
    let (errors, warnings) = shared(Names::Nothing);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        warnings,
        [(Code::VF0611, Some("Spoke/Attachment".to_string()))]
    );
}

#[test]
fn a_route_to_a_peering_of_its_own_stack_is_refused() {
    let errors = synth_errors(&build(Break {
        route_in_peering_stack: true,
        ..Break::default()
    }));
    assert_eq!(
        codes(&errors),
        [(Code::VF0642, Some("Peering/TooEarly"))],
        "{errors:#?}"
    );
}

#[test]
fn the_accepters_table_names_the_accepters_attachment() {
    let errors = synth_errors(&build(Break {
        accepter_route_by_import: true,
        ..Break::default()
    }));
    assert_eq!(
        codes(&errors),
        [(Code::VF0643, Some("WestRoutes/SpokeOverPeering"))],
        "{errors:#?}"
    );
}

#[test]
fn an_unpinned_peer_region_against_a_pinned_one_is_unknown() {
    let errors = synth_errors(&build(Break {
        west_unpinned: true,
        ..Break::default()
    }));
    assert!(
        errors.iter().any(|e| matches!(e,
            SynthError::PlacementUnknown { construct, what, .. }
                if construct == "Peering/AToB" && *what == "region")),
        "{errors:#?}"
    );
}

#[test]
fn the_requesters_table_names_the_peering_by_its_own_id() {
    let errors = synth_errors(&build(Break {
        requester_route_by_accepter_id: true,
        ..Break::default()
    }));
    let found: Vec<(Option<&str>, &str)> = errors
        .iter()
        .filter_map(|e| Some((e.construct(), text(e)?.0)))
        .collect();
    assert_eq!(
        (errors.len(), found),
        (
            1,
            vec![(
                Some("EastRoutes/HubOverPeering"),
                "TransitGatewayAttachmentId"
            )]
        ),
        "{errors:#?}"
    );
}

#[test]
fn a_peering_is_created_in_its_requesters_region() {
    let mut solo = Stack::<Solo>::new("Solo").region("us-east-1");
    let one = solo.add("One", TransitGateway::builder().build());
    let one_id = solo.export("OneId", &one);
    let mut far = Stack::<WestRoutes>::new("Far").region("us-west-2");
    let requester = far.import(&one_id);
    far.add(
        "ToPartner",
        TransitGatewayPeering::builder()
            .transit_gateway(requester)
            .peer(ExternalTransitGateway::new(
                "tgw-0123456789abcdef0",
                ACCOUNT,
                "eu-west-1",
            ))
            .build(),
    );
    let mut app = App::new("far");
    app.add_stack(solo);
    app.add_stack(far);
    let errors = synth_errors(&app);
    assert_eq!(
        codes(&errors),
        [(Code::VF0633, Some("Far/ToPartner"))],
        "{errors:#?}"
    );
}

/// One stack with two transit gateways and the peerings `peer` adds, its errors.
fn solo(
    peer: impl FnOnce(&mut Stack<Solo>, &TransitGatewayRef<Solo>, &TransitGatewayRef<Solo>),
) -> Vec<SynthError> {
    let mut stack = Stack::<Solo>::new("Solo").region("us-east-1");
    let one = stack.add("One", TransitGateway::builder().build());
    let two = stack.add(
        "Two",
        TransitGateway::builder().amazon_side_asn(64513).build(),
    );
    peer(&mut stack, &one, &two);
    let mut app = App::new("solo");
    app.add_stack(stack);
    synth_errors(&app)
}

#[test]
fn a_transit_gateway_peered_with_itself_is_refused() {
    let errors = solo(|stack, one, _| {
        stack.add(
            "Loop",
            TransitGatewayPeering::builder()
                .transit_gateway(one)
                .peer(one)
                .build(),
        );
    });
    assert_eq!(
        codes(&errors),
        [(Code::VF0640, Some("Solo/Loop"))],
        "{errors:#?}"
    );
}

#[test]
fn two_transit_gateways_take_one_peering() {
    // Within one region (intra-region peering), either way round.
    let errors = solo(|stack, one, two| {
        for (id, from, to) in [("OneToTwo", one, two), ("TwoToOne", two, one)] {
            stack.add(
                id,
                TransitGatewayPeering::builder()
                    .transit_gateway(from)
                    .peer(to)
                    .build(),
            );
        }
    });
    assert_eq!(
        codes(&errors),
        [(Code::VF0641, Some("Solo/TwoToOne"))],
        "{errors:#?}"
    );
    // A transit gateway outside the app, by ID, account and region.
    let partner = || ExternalTransitGateway::new("tgw-0123456789abcdef0", ACCOUNT, "eu-west-1");
    let errors = solo(|stack, one, _| {
        for id in ["ToPartner", "ToPartnerAgain"] {
            stack.add(
                id,
                TransitGatewayPeering::builder()
                    .transit_gateway(one)
                    .peer(partner())
                    .build(),
            );
        }
    });
    assert_eq!(
        codes(&errors),
        [(Code::VF0641, Some("Solo/ToPartnerAgain"))],
        "{errors:#?}"
    );
}

#[test]
fn an_external_peer_is_named_as_aws_takes_it() {
    let errors = solo(|stack, one, _| {
        stack.add(
            "ToPartner",
            TransitGatewayPeering::builder()
                .transit_gateway(one)
                .peer(ExternalTransitGateway::new("tgw-XYZ", "1234", "Europe"))
                .build(),
        );
    });
    let properties: Vec<&str> = errors.iter().filter_map(text).map(|(p, _, _)| p).collect();
    assert_eq!(
        properties,
        ["PeerTransitGatewayId", "PeerAccountId", "PeerRegion"],
        "{errors:#?}"
    );
}

#[test]
fn an_association_or_route_of_the_peerings_own_stack_is_refused() {
    let errors = solo(|stack, one, two| {
        let peering = stack.add(
            "OneToTwo",
            TransitGatewayPeering::builder()
                .transit_gateway(one)
                .peer(two)
                .build(),
        );
        let table = stack.add(
            "Table",
            TransitGatewayRouteTable::builder()
                .transit_gateway(one)
                .build(),
        );
        stack.add(
            "Association",
            TransitGatewayRouteTableAssociation::builder()
                .route_table(&table)
                .attachment(&peering)
                .build(),
        );
    });
    assert!(
        codes(&errors).contains(&(Code::VF0642, Some("Solo/Association"))),
        "{errors:#?}"
    );
}

#[test]
fn peering_attachments_per_transit_gateway_are_counted_on_both_sides() {
    let count = |quota: u32| {
        let mut stack = Stack::<Solo>::new("Solo").region("us-east-1");
        let one = stack.add("One", TransitGateway::builder().build());
        let two = stack.add("Two", TransitGateway::builder().build());
        stack.add(
            "OneToTwo",
            TransitGatewayPeering::builder()
                .transit_gateway(&one)
                .peer(&two)
                .build(),
        );
        stack.add(
            "TwoToPartner",
            TransitGatewayPeering::builder()
                .transit_gateway(&two)
                .peer(ExternalTransitGateway::new(
                    "tgw-0123456789abcdef0",
                    ACCOUNT,
                    "eu-west-1",
                ))
                .build(),
        );
        let mut app = App::new("solo");
        app.quotas(Quotas::default().peering_attachments_per_transit_gateway(quota));
        app.add_stack(stack);
        codes(&synth_errors(&app))
            .into_iter()
            .map(|(code, construct)| (code, construct.map(str::to_string)))
            .collect::<Vec<_>>()
    };
    assert_eq!(count(2), []);
    // Two has two: the one it accepts and the one it requests.
    assert_eq!(count(1), [(Code::VF1201, Some("Solo/Two".to_string()))]);
}

/// A peering between two transit gateways of `Solo` (`One`'s default route table as given),
/// exported; `Later` (deployed after the acceptance) associates it with `tables` of `One`'s
/// route tables (all the same table).
fn later(default_route_table: bool, tables: usize) -> Vec<SynthError> {
    let mut solo = Stack::<Solo>::new("Solo").region("us-east-1");
    let one = solo.add(
        "One",
        TransitGateway::builder()
            .default_route_table(default_route_table)
            .build(),
    );
    let two = solo.add(
        "Two",
        TransitGateway::builder().amazon_side_asn(64513).build(),
    );
    let table = solo.add(
        "Table",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&one)
            .build(),
    );
    let peering = solo.add(
        "OneToTwo",
        TransitGatewayPeering::builder()
            .transit_gateway(&one)
            .peer(&two)
            .build(),
    );
    let peering_id = solo.export("OneToTwoId", &peering);
    let table_id = solo.export("TableId", &table);
    let mut routes = Stack::<EastRoutes>::new("Later").region("us-east-1");
    for i in 0..tables {
        let table = routes.import(&table_id);
        let peering = routes.import(&peering_id);
        routes.add(
            &format!("Association{i}"),
            TransitGatewayRouteTableAssociation::builder()
                .route_table(table)
                .attachment(peering)
                .build(),
        );
    }
    let mut app = App::new("later");
    app.add_stack(solo);
    app.add_stack(routes);
    synth_errors(&app)
}

#[test]
fn a_peering_is_associated_once_per_side_with_a_table_of_its_own() {
    assert!(later(false, 1).is_empty(), "{:#?}", later(false, 1));
    // The default route table associates it already.
    let errors = later(true, 1);
    let texts: Vec<(&str, &str)> = errors
        .iter()
        .filter_map(text)
        .map(|(p, v, _)| (p, v))
        .collect();
    assert_eq!(
        texts,
        [("TransitGatewayRouteTableId", "Solo/One")],
        "{errors:#?}"
    );
    // One table per attachment on each side.
    let errors = later(false, 2);
    let found: Vec<(Option<&str>, &str)> = errors
        .iter()
        .filter_map(|e| Some((e.construct(), text(e)?.0)))
        .collect();
    assert_eq!(
        (errors.len(), found),
        (
            1,
            vec![(Some("Later/Association1"), "TransitGatewayAttachmentId")]
        ),
        "{errors:#?}"
    );
}

// ── Template and cost ─────────────────────────────────────────────────────────────────

#[test]
fn the_peering_names_its_peers_account_and_region() {
    let assembly = build(Break::default())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let template = |name: &str| {
        assembly
            .stack(name)
            .unwrap_or_else(|| panic!("no {name}"))
            .template()
            .to_json_pretty()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    insta::assert_snapshot!("peering_stack", template("Peering"));
    insta::assert_snapshot!("west_routes_stack", template("WestRoutes"));
}

#[test]
fn the_peering_is_billed_per_hour_and_per_gb_between_regions_with_no_processing() {
    let assembly = build(Break::default())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let cost = assembly.cost();
    let item = |resource: &str| {
        cost.stacks
            .iter()
            .flat_map(|s| &s.items)
            .find(|i| i.resource == resource)
            .map(|i| (i.monthly, i.basis.clone()))
            .unwrap_or_else(|| panic!("no {resource} in {cost}"))
    };
    // 730 h x $0.05 + (100 + 40) GB x $0.02 between regions.
    let (monthly, basis) = item("Peering/AToB");
    assert_eq!(monthly, 39.3, "{basis}");
    assert!(
        basis.contains("no data processing; 140 GB between regions x $0.02"),
        "{basis}"
    );
    // Processing is billed where the traffic enters from a VPC: the requests at the spoke's
    // attachment, the responses at the hub's; none where it enters from the peering.
    let (spoke, basis) = item("East/AAttachment");
    assert_eq!(spoke, 38.5, "{basis}");
    let (hub, basis) = item("West/HubAttachment");
    assert_eq!(hub, 37.3, "{basis}");
}

// ── The acceptance, a step of the deployment ───────────────────────────────────────────

#[test]
fn the_deployer_accepts_the_peering_between_the_stack_that_asks_and_those_that_route_over_it() {
    use vpcform_net::{OutputRef, StepAction};
    let manifest = build(Break::default())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"))
        .manifest();
    let [step] = &manifest.steps[..] else {
        panic!("one step: {:#?}", manifest.steps)
    };
    assert_eq!(step.name, "Accept-Peering-AToB");
    // In the accepter's account and region, after the stack that asks.
    assert_eq!(step.environment.account.as_deref(), Some(ACCOUNT));
    assert_eq!(step.environment.region.as_deref(), Some("us-west-2"));
    assert_eq!(step.depends_on, ["Peering"]);
    // The program's export of the peering is the output the step reads.
    assert_eq!(
        step.action,
        StepAction::AcceptTransitGatewayPeeringAttachment {
            attachment: OutputRef::new("Peering", "AToBId")
        }
    );
    let position = |name: &str| {
        manifest
            .stacks
            .iter()
            .position(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name} in {manifest:#?}"))
    };
    for routes in ["EastRoutes", "WestRoutes"] {
        let stack = &manifest.stacks[position(routes)];
        assert!(
            stack
                .depends_on
                .contains(&"Accept-Peering-AToB".to_string())
                && stack.depends_on.contains(&"Peering".to_string()),
            "{routes}: {:?}",
            stack.depends_on
        );
        assert!(position("Peering") < position(routes));
    }
    // What asks, and what the routes need otherwise, do not wait for the step.
    for other in ["East", "West", "Peering"] {
        assert!(
            !manifest.stacks[position(other)]
                .depends_on
                .iter()
                .any(|d| d.starts_with("Accept-")),
            "{other}"
        );
    }
}

#[test]
fn without_an_export_the_stack_that_asks_outputs_the_peerings_id_for_the_step() {
    use vpcform_net::{OutputRef, StepAction};
    let mut stack = Stack::<Solo>::new("Solo").region("us-east-1");
    let one = stack.add("One", TransitGateway::builder().build());
    let two = stack.add(
        "Two",
        TransitGateway::builder().amazon_side_asn(64513).build(),
    );
    stack.add(
        "OneToTwo",
        TransitGatewayPeering::builder()
            .transit_gateway(&one)
            .peer(&two)
            .build(),
    );
    // A peering of a transit gateway outside the app is its owner's to accept: no step.
    stack.add(
        "ToPartner",
        TransitGatewayPeering::builder()
            .transit_gateway(&one)
            .peer(ExternalTransitGateway::new(
                "tgw-0123456789abcdef0",
                ACCOUNT,
                "eu-west-1",
            ))
            .build(),
    );
    let mut app = App::new("solo");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let manifest = assembly.manifest();
    let [step] = &manifest.steps[..] else {
        panic!("one step: {:#?}", manifest.steps)
    };
    // Within one account and region, the accepter still accepts.
    assert_eq!(step.name, "Accept-Solo-OneToTwo");
    assert_eq!(step.environment.region.as_deref(), Some("us-east-1"));
    assert_eq!(
        step.action,
        StepAction::AcceptTransitGatewayPeeringAttachment {
            attachment: OutputRef::new("Solo", "OneToTwoAttachmentId")
        }
    );
    let template = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    assert_eq!(
        template["Outputs"]["OneToTwoAttachmentId"]["Value"],
        serde_json::json!({"Ref": "OneToTwo"})
    );
}

#[test]
fn the_accepters_routes_take_its_attachment_id_from_the_step() {
    let assembly = build(Break {
        accepter_id_from_step: true,
        ..Break::default()
    })
    .synth()
    .unwrap_or_else(|e| panic!("{e}"));
    // The same walk as with the ID stated.
    assert_eq!(
        assembly.traffic().flows[0].subnets[0].path,
        PathKind::PendingAcceptance
    );
    let manifest = assembly.manifest();
    let routes = manifest.stack("WestRoutes").expect("WestRoutes");
    // One parameter for the route and the association, filled from the step's output.
    assert_eq!(
        routes.parameter_imports,
        [vpcform_net::deployment::ParameterImport {
            parameter: "AccepterPeeringAToB".into(),
            stack: "Accept-Peering-AToB".into(),
            output: "AccepterTransitGatewayAttachmentId".into(),
        }]
    );
    assert!(
        routes
            .depends_on
            .contains(&"Accept-Peering-AToB".to_string())
    );
    let template = assembly
        .stacks()
        .iter()
        .find(|s| s.name() == "WestRoutes")
        .map(|s| serde_json::to_value(s.template()).unwrap_or_default())
        .unwrap_or_default();
    assert_eq!(
        template["Parameters"]["AccepterPeeringAToB"]["Type"],
        "String"
    );
    for (id, property) in [
        ("SpokeOverPeering", "TransitGatewayAttachmentId"),
        ("PeeringAssociation", "TransitGatewayAttachmentId"),
    ] {
        assert_eq!(
            template["Resources"][id]["Properties"][property],
            serde_json::json!({"Ref": "AccepterPeeringAToB"}),
            "{id}"
        );
    }
}

#[test]
fn an_accepter_id_from_a_step_the_app_does_not_have_is_refused() {
    let mut stack = Stack::<Solo>::new("Solo").region("us-east-1");
    let one = stack.add("One", TransitGateway::builder().build());
    let partner = stack.add(
        "ToPartner",
        TransitGatewayPeering::builder()
            .transit_gateway(&one)
            .peer(ExternalTransitGateway::new(
                "tgw-0123456789abcdef0",
                ACCOUNT,
                "eu-west-1",
            ))
            .build(),
    );
    let partner_id = stack.export("ToPartnerId", &partner);
    let mut routes = Stack::<WestRoutes>::new("WestRoutes").region("eu-west-1");
    let tgw = routes.add("Tgw", TransitGateway::builder().build());
    let table = routes.add(
        "Table",
        TransitGatewayRouteTable::builder()
            .transit_gateway(&tgw)
            .build(),
    );
    let attachment = PeeringAccepterAttachment::accepted(&mut routes, &partner_id);
    routes.add(
        "PartnerAssociation",
        TransitGatewayRouteTableAssociation::builder()
            .route_table(&table)
            .attachment(attachment)
            .build(),
    );
    let mut app = App::new("partner");
    app.add_stack(stack);
    app.add_stack(routes);
    let errors = synth_errors(&app);
    assert!(
        codes(&errors).contains(&(Code::VF0647, Some("WestRoutes"))),
        "{errors:#?}"
    );
}
