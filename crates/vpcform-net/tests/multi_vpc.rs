//! Beyond one VPC: transit gateways, their attachments and routes, VPC peering — each rule
//! with a test that fails without it.

use vpcform_net::cfn;
use vpcform_net::findings::{Code, SynthError, SynthWarning};
use vpcform_net::handles::VpcMarker;
use vpcform_net::prelude::*;
use vpcform_net::traffic::PathKind;
use vpcform_net::transit::VpcPeering;
use vpcform_net::transit::{
    ExternalVpc, TransitGatewayAttachmentRef, TransitGatewayRef, VpcPeeringRef,
};
use vpcform_net::vpc::VpcRef;
use vpcform_net::vpc::{RouteTableRef, SubnetRef};

include!("common/report.rs");

vpcform_net::topology! {
    stack Network { vpc Hub }
    stack SpokeA { vpc A }
    stack Peers { vpc Left, vpc Right }
}

fn synth(app: &App) -> Result<vpcform_net::Assembly, Vec<String>> {
    app.synth()
        .map_err(|e| e.errors().iter().map(ToString::to_string).collect())
}

/// The errors of `app`'s synthesis; none when it succeeds.
fn errors(app: &App) -> Vec<SynthError> {
    app.synth().err().map(|e| e.0).unwrap_or_default()
}

/// The codes and constructs of `app`'s synthesis errors (each code's text has its snapshot in
/// `finding.rs`).
fn codes(app: &App) -> Vec<(Code, Option<String>)> {
    error_codes(app)
}

/// The codes and constructs of errors already collected.
fn codes_of(errors: &[SynthError]) -> Vec<(Code, Option<String>)> {
    errors
        .iter()
        .map(|e| (e.code(), e.construct().map(str::to_string)))
        .collect()
}

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
}

/// The warnings of `app`'s synthesis, which must succeed.
fn warnings(app: &App) -> Vec<SynthWarning> {
    match app.synth() {
        Ok(assembly) => assembly.warnings().to_vec(),
        Err(e) => panic!("{e}"),
    }
}

/// A VPC with one subnet per AZ index given, one route table for them all.
struct Built<V> {
    vpc: VpcRef<V>,
    subnets: Vec<SubnetRef<V>>,
    routes: RouteTableRef<V>,
}

fn vpc<
    S: vpcform_net::handles::StackMarker,
    V: VpcMarker<Stack = S> + vpcform_net::handles::InStack<S>,
>(
    stack: &mut Stack<S>,
    name: &str,
    cidr: &str,
    azs: &[u32],
) -> Built<V> {
    let vpc = stack.add(name, Vpc::<V>::builder().cidr(cidr).build());
    let base: Ipv4Cidr = cidr.parse().unwrap_or_else(|e| panic!("{e}"));
    let subnets: Vec<SubnetRef<V>> = azs
        .iter()
        .enumerate()
        .map(|(i, az)| {
            let octets = base.network().octets();
            stack.add(
                &format!("{name}Subnet{i}"),
                Subnet::builder()
                    .vpc(&vpc)
                    .cidr(format!(
                        "{}.{}.{}.0/24",
                        octets[0],
                        octets[1],
                        usize::from(octets[2]) + i
                    ))
                    .availability_zone(Az::index(*az))
                    .build(),
            )
        })
        .collect();
    let routes = stack.add(
        &format!("{name}Routes"),
        RouteTable::builder().vpc(&vpc).subnets(&subnets).build(),
    );
    Built {
        vpc,
        subnets,
        routes,
    }
}

/// The hub stack with a transit gateway, the hub VPC attached; a spoke stack importing the
/// transit gateway and attaching `spoke_cidr`.
struct HubAndSpoke {
    network: Stack<Network>,
    spoke: Stack<SpokeA>,
    tgw: TransitGatewayRef<Network>,
    hub: Built<Hub>,
    hub_attachment: TransitGatewayAttachmentRef<Hub>,
    a: Built<A>,
    a_attachment: TransitGatewayAttachmentRef<A>,
}

fn hub_and_spoke(spoke_cidr: &str) -> HubAndSpoke {
    let mut network = Stack::<Network>::new("Network");
    let tgw = network.add("Tgw", TransitGateway::builder().build());
    let hub = vpc::<Network, Hub>(&mut network, "Hub", "10.0.0.0/16", &[0, 1]);
    let hub_attachment = network.add(
        "HubAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&hub.vpc)
            .transit_gateway(&tgw)
            .subnets(&hub.subnets)
            .build(),
    );
    let tgw_id = network.export("TransitGatewayId", &tgw);
    let mut spoke = Stack::<SpokeA>::new("SpokeA");
    let a = vpc::<SpokeA, A>(&mut spoke, "A", spoke_cidr, &[0, 1]);
    let imported = spoke.import(&tgw_id);
    let a_attachment = spoke.add(
        "AAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&a.vpc)
            .transit_gateway(imported)
            .subnets(&a.subnets)
            .build(),
    );
    HubAndSpoke {
        network,
        spoke,
        tgw,
        hub,
        hub_attachment,
        a,
        a_attachment,
    }
}

fn app(h: HubAndSpoke) -> App {
    let mut app = App::new("multi");
    app.add_stack(h.network);
    app.add_stack(h.spoke);
    app
}

// ── Transit gateways ──────────────────────────────────────────────────────────────────────

#[test]
fn a_spoke_attaches_to_an_imported_transit_gateway_and_routes_wait_for_the_attachment() {
    let mut h = hub_and_spoke("10.1.0.0/16");
    h.spoke.add(
        "ToHub",
        Route::builder()
            .route_table(&h.a.routes)
            .destination(cidr!("10.0.0.0/16"))
            .target(&h.a_attachment)
            .build(),
    );
    let app = app(h);
    let assembly = synth(&app).unwrap_or_else(|e| panic!("{e:#?}"));
    let spoke = assembly
        .stack("SpokeA")
        .unwrap_or_else(|| panic!("no spoke"));
    assert_eq!(spoke.depends_on(), ["Network"]);
    let template = spoke.template();
    let attachment = &template.resources()["AAttachment"];
    assert_eq!(
        attachment.resource_type(),
        "AWS::EC2::TransitGatewayAttachment"
    );
    assert_eq!(
        attachment.get("TransitGatewayId"),
        Some(&cfn::Value::import_value("Network-TransitGatewayId"))
    );
    let route = &template.resources()["ToHub"];
    assert_eq!(
        route.get("TransitGatewayId"),
        Some(&cfn::Value::import_value("Network-TransitGatewayId"))
    );
    assert_eq!(route.dependencies(), ["AAttachment"]);
    let network = assembly
        .stack("Network")
        .unwrap_or_else(|| panic!("no network"));
    let tgw = &network.template().resources()["Tgw"];
    assert_eq!(
        tgw.get("DefaultRouteTablePropagation"),
        Some(&cfn::Value::from("enable"))
    );
}

#[test]
fn vpcs_attached_to_one_transit_gateway_must_not_overlap() {
    assert_eq!(
        codes(&app(hub_and_spoke("10.0.128.0/17"))),
        [(Code::VF0602, at("Network/Tgw"))]
    );
}

#[test]
fn one_attachment_per_vpc_and_transit_gateway_and_one_subnet_per_az() {
    let mut h = hub_and_spoke("10.1.0.0/16");
    h.network.add(
        "Again",
        TransitGatewayAttachment::builder()
            .vpc(&h.hub.vpc)
            .transit_gateway(&h.tgw)
            .subnets([&h.hub.subnets[0]])
            .build(),
    );
    let same_az = h.network.add(
        "HubSameAz",
        Subnet::builder()
            .vpc(&h.hub.vpc)
            .cidr(cidr!("10.0.9.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let other_tgw = h.network.add(
        "Other",
        TransitGateway::builder().amazon_side_asn(64000).build(),
    );
    h.network.add(
        "Doubled",
        TransitGatewayAttachment::builder()
            .vpc(&h.hub.vpc)
            .transit_gateway(&other_tgw)
            .subnets([&h.hub.subnets[0], &same_az])
            .build(),
    );
    let mut e = codes(&app(h));
    e.sort();
    assert_eq!(
        e,
        [
            (Code::VF0112, at("Network/Doubled")),
            (Code::VF0601, at("Network/Again")),
            (Code::VF0803, at("Network/Other")),
        ]
    );
}

#[test]
fn asns_at_the_edges_of_the_private_ranges() {
    for (asn, ok) in [
        (64511, false),
        (64512, true),
        (65534, true),
        (65535, false),
        (4_199_999_999, false),
        (4_200_000_000, true),
        (4_294_967_294, true),
        (4_294_967_295, false),
    ] {
        let mut network = Stack::<Network>::new("Network");
        network.add(
            "Tgw",
            TransitGateway::builder().amazon_side_asn(asn).build(),
        );
        let mut app = App::new("asn");
        app.add_stack(network);
        assert_eq!(errors(&app).is_empty(), ok, "{asn}");
    }
}

#[test]
fn an_attachment_needs_subnets() {
    let mut network = Stack::<Network>::new("Network");
    let tgw = network.add("Tgw", TransitGateway::builder().build());
    let hub = network.add(
        "Hub",
        Vpc::<Hub>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    network.add(
        "Bare",
        TransitGatewayAttachment::builder()
            .vpc(&hub)
            .transit_gateway(&tgw)
            .subnets(Vec::<SubnetRef<Hub>>::new())
            .build(),
    );
    let mut app = App::new("bare");
    app.add_stack(network);
    assert_eq!(codes(&app), [(Code::VF0805, at("Network/Bare"))]);
}

#[test]
fn a_route_to_the_transit_gateway_should_reach_an_attached_vpc() {
    let mut h = hub_and_spoke("10.1.0.0/16");
    h.spoke.add(
        "ToNowhere",
        Route::builder()
            .route_table(&h.a.routes)
            .destination(cidr!("192.168.0.0/16"))
            .target(&h.a_attachment)
            .build(),
    );
    h.network.add(
        "ToSpokes",
        Route::builder()
            .route_table(&h.hub.routes)
            .destination(cidr!("10.0.0.0/8"))
            .target(&h.hub_attachment)
            .build(),
    );
    assert_eq!(
        warnings(&app(h)),
        [SynthWarning::RouteReachesNoVpc {
            construct: "SpokeA/ToNowhere".into(),
            destination: "192.168.0.0/16".into(),
            target: "SpokeA/AAttachment".into(),
            connected: "10.0.0.0/16".into(),
        }]
    );
}

#[test]
fn a_route_to_the_transit_gateway_inside_the_own_block_is_refused() {
    let mut h = hub_and_spoke("10.1.0.0/16");
    h.spoke.add(
        "Inside",
        Route::builder()
            .route_table(&h.a.routes)
            .destination(cidr!("10.1.5.0/24"))
            .target(&h.a_attachment)
            .build(),
    );
    assert_eq!(codes(&app(h)), [(Code::VF0502, at("SpokeA/Inside"))]);
}

#[test]
fn a_default_route_to_the_transit_gateway_does_not_reach_aws_services() {
    let mut h = hub_and_spoke("10.1.0.0/16");
    h.spoke.add(
        "Default",
        Route::builder()
            .route_table(&h.a.routes)
            .destination(cidr!("0.0.0.0/0"))
            .target(&h.a_attachment)
            .build(),
    );
    let pods = h.spoke.add(
        "Pods",
        Workload::builder().subnets([&h.a.subnets[0]]).build(),
    );
    let mut app = app(h);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)).gb_per_month(100.0));
    let assembly = synth(&app).unwrap_or_else(|e| panic!("{e:#?}"));
    let flow = &assembly.traffic().flows[0];
    assert_eq!(flow.path, PathKind::Unreachable);
    let reason = flow.subnets[0].reason.clone().unwrap_or_default();
    assert!(
        reason.contains("goes to the transit gateway through SpokeA/AAttachment"),
        "{reason}"
    );
    let fix = flow.subnets[0].fix.clone().unwrap_or_default();
    assert!(fix.contains("centralize it"), "{fix}");
}

#[test]
fn attachments_are_billed_by_the_hour() {
    let h = hub_and_spoke("10.1.0.0/16");
    let assembly = synth(&app(h)).unwrap_or_else(|e| panic!("{e:#?}"));
    let items: Vec<(String, f64)> = assembly
        .cost()
        .stacks
        .iter()
        .flat_map(|s| s.items.iter().map(|i| (i.resource.clone(), i.monthly)))
        .collect();
    // 730 h x $0.05 each.
    assert_eq!(
        items,
        [
            ("Network/HubAttachment".to_string(), 36.5),
            ("SpokeA/AAttachment".to_string(), 36.5)
        ]
    );
}

// ── VPC peering ───────────────────────────────────────────────────────────────────────────

fn peers(right_cidr: &str) -> (Stack<Peers>, Built<Left>, Built<Right>) {
    let mut stack = Stack::<Peers>::new("Peers");
    let left = vpc::<Peers, Left>(&mut stack, "Left", "10.0.0.0/16", &[0]);
    let right = vpc::<Peers, Right>(&mut stack, "Right", right_cidr, &[0]);
    (stack, left, right)
}

fn one(stack: Stack<Peers>) -> App {
    let mut app = App::new("peers");
    app.add_stack(stack);
    app
}

#[test]
fn peering_routes_on_both_sides() {
    let (mut stack, left, right) = peers("10.1.0.0/16");
    let peering = stack.add(
        "LeftRight",
        VpcPeering::builder()
            .vpc(&left.vpc)
            .peer(&right.vpc)
            .build(),
    );
    stack.add(
        "LeftToRight",
        Route::builder()
            .route_table(&left.routes)
            .destination(cidr!("10.1.0.0/16"))
            .target(&peering)
            .build(),
    );
    stack.add(
        "RightToLeft",
        Route::builder()
            .route_table(&right.routes)
            .destination(cidr!("10.0.0.0/16"))
            .target(peering.accepter())
            .build(),
    );
    let app = one(stack);
    let assembly = synth(&app).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(assembly.warnings().is_empty(), "{:#?}", assembly.warnings());
    let template = assembly.stacks()[0].template();
    let connection = &template.resources()["LeftRight"];
    assert_eq!(connection.resource_type(), "AWS::EC2::VPCPeeringConnection");
    assert_eq!(
        connection.get("PeerVpcId"),
        Some(&cfn::Value::reference("Right"))
    );
    for route in ["LeftToRight", "RightToLeft"] {
        assert_eq!(
            template.resources()[route].get("VpcPeeringConnectionId"),
            Some(&cfn::Value::reference("LeftRight")),
            "{route}"
        );
    }
}

#[test]
fn peered_vpcs_must_not_overlap_nor_be_one_vpc() {
    let (mut stack, left, right) = peers("10.0.128.0/17");
    stack.add(
        "Overlap",
        VpcPeering::builder()
            .vpc(&left.vpc)
            .peer(&right.vpc)
            .build(),
    );
    stack.add(
        "Itself",
        VpcPeering::builder().vpc(&left.vpc).peer(&left.vpc).build(),
    );
    let app = one(stack);
    assert_eq!(
        codes(&app),
        [
            (Code::VF0602, at("Peers/Overlap")),
            (Code::VF0803, at("Peers/Itself")),
        ]
    );
    let e = errors(&app);
    assert!(
        matches!(&e[0], SynthError::ConnectedVpcsOverlap { vpc, cidr, other, other_cidr, .. }
            if vpc == "Peers/Left" && cidr == "10.0.0.0/16"
                && other == "Peers/Right" && other_cidr == "10.0.128.0/17"),
        "{:?}",
        e[0]
    );
    assert!(
        matches!(&e[1], SynthError::InvalidText { property: "PeerVpcId", reason, .. }
            if reason.contains("itself")),
        "{:?}",
        e[1]
    );
}

#[test]
fn an_external_peer_is_checked_and_rendered() {
    let (mut stack, left, _) = peers("10.1.0.0/16");
    stack.add(
        "Bad",
        VpcPeering::builder()
            .vpc(&left.vpc)
            .peer(
                ExternalVpc::new("vpc-XYZ", cidr!("10.9.0.0/16"))
                    .owner("12345")
                    .region("eu-west1"),
            )
            .build(),
    );
    let e = errors(&one(stack));
    // Each names the property and the value AWS would refuse; a peer of another account
    // without a role is refused for the role it lacks.
    let refused: Vec<(Code, Option<&str>, &str, &str)> = e
        .iter()
        .map(|e| match e {
            SynthError::InvalidText {
                property, value, ..
            } => (e.code(), e.construct(), *property, value.as_str()),
            _ => panic!("{e:?}"),
        })
        .collect();
    assert_eq!(
        refused[..3],
        [
            (Code::VF0803, Some("Peers/Bad"), "PeerVpcId", "vpc-XYZ"),
            (Code::VF0803, Some("Peers/Bad"), "PeerOwnerId", "12345"),
            (Code::VF0803, Some("Peers/Bad"), "PeerRegion", "eu-west1"),
        ],
        "{e:#?}"
    );
    assert_eq!(e.len(), 4, "{e:#?}");
    assert!(
        matches!(&e[3], SynthError::InvalidText { property: "PeerRoleArn", reason, .. }
            if reason.contains("another account")),
        "{:?}",
        e[3]
    );

    let (mut stack, left, _) = peers("10.1.0.0/16");
    let stack_ref = &mut stack;
    let shared = stack_ref.add(
        "Shared",
        VpcPeering::builder()
            .vpc(&left.vpc)
            .peer(
                ExternalVpc::new("vpc-0123456789abcdef0", cidr!("10.50.0.0/16"))
                    .owner("123456789012")
                    .role_arn("arn:aws:iam::123456789012:role/peering")
                    .region("eu-west-1"),
            )
            .build(),
    );
    stack.add(
        "ToShared",
        Route::builder()
            .route_table(&left.routes)
            .destination(cidr!("10.60.0.0/16"))
            .target(&shared)
            .build(),
    );
    let app = one(stack);
    let assembly = synth(&app).unwrap_or_else(|e| panic!("{e:#?}"));
    let connection = &assembly.stacks()[0].template().resources()["Shared"];
    assert_eq!(
        connection.get("PeerOwnerId"),
        Some(&cfn::Value::from("123456789012"))
    );
    assert_eq!(
        connection.get("PeerRegion"),
        Some(&cfn::Value::from("eu-west-1"))
    );
    let w = assembly.warnings();
    assert!(
        matches!(w, [SynthWarning::RouteReachesNoVpc { construct, connected, .. }]
            if construct == "Peers/ToShared" && connected == "10.50.0.0/16"),
        "{w:#?}"
    );
}

#[test]
fn a_default_route_to_a_peering_connection_does_not_reach_aws_services() {
    let (mut stack, left, right) = peers("10.1.0.0/16");
    let peering = stack.add(
        "LeftRight",
        VpcPeering::builder()
            .vpc(&left.vpc)
            .peer(&right.vpc)
            .build(),
    );
    stack.add(
        "Default",
        Route::builder()
            .route_table(&left.routes)
            .destination(cidr!("0.0.0.0/0"))
            .target(&peering)
            .build(),
    );
    let pods = stack.add("Pods", Workload::builder().subnets(&left.subnets).build());
    let mut app = one(stack);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)));
    let assembly = synth(&app).unwrap_or_else(|e| panic!("{e:#?}"));
    let flow = &assembly.traffic().flows[0];
    assert_eq!(flow.path, PathKind::Unreachable);
    let reason = flow.subnets[0].reason.clone().unwrap_or_default();
    assert!(
        reason.contains("peering connection Peers/LeftRight"),
        "{reason}"
    );
}

#[test]
fn a_route_target_made_by_hand_from_another_kind_is_an_error() {
    use vpcform_net::handles::AnyHandle;
    use vpcform_net::vpc::{IntoRouteTarget, RouteTarget};
    /// A target built outside the typed API: a subnet's handle posing as a peering.
    struct Posing(RouteTarget<Left>);
    impl IntoRouteTarget<Left> for Posing {
        fn into_route_target(self) -> RouteTarget<Left> {
            self.0
        }
    }
    let (mut stack, left, _) = peers("10.1.0.0/16");
    stack.add(
        "Forged",
        Route::builder()
            .route_table(&left.routes)
            .destination(cidr!("10.1.0.0/16"))
            .target(Posing(RouteTarget::VpcPeering(
                left.subnets[0].any_handle().clone(),
            )))
            .build(),
    );
    let e = errors(&one(stack));
    assert_eq!(codes_of(&e), [(Code::VF0909, at("Peers/Forged"))], "{e:#?}");
    assert!(
        matches!(&e[0], SynthError::HandleKindMismatch { target, .. } if target == "Peers/LeftSubnet0"),
        "{:?}",
        e[0]
    );
}

// ── Edges the mutation tests found ────────────────────────────────────────────────────────

#[test]
fn an_overlap_after_a_wider_attached_block_is_found() {
    vpcform_net::topology! { stack Three { vpc X, vpc Y, vpc Z } }
    let mut stack = Stack::<Three>::new("Three");
    let tgw = stack.add("Tgw", TransitGateway::builder().build());
    let x = vpc::<Three, X>(&mut stack, "X", "10.0.0.0/16", &[0]);
    let y = vpc::<Three, Y>(&mut stack, "Y", "10.1.0.0/16", &[0]);
    let z = vpc::<Three, Z>(&mut stack, "Z", "10.1.128.0/17", &[0]);
    stack.add(
        "XAtt",
        TransitGatewayAttachment::builder()
            .vpc(&x.vpc)
            .transit_gateway(&tgw)
            .subnets(&x.subnets)
            .build(),
    );
    stack.add(
        "YAtt",
        TransitGatewayAttachment::builder()
            .vpc(&y.vpc)
            .transit_gateway(&tgw)
            .subnets(&y.subnets)
            .build(),
    );
    stack.add(
        "ZAtt",
        TransitGatewayAttachment::builder()
            .vpc(&z.vpc)
            .transit_gateway(&tgw)
            .subnets(&z.subnets)
            .build(),
    );
    let mut app = App::new("three");
    app.add_stack(stack);
    let e = errors(&app);
    assert_eq!(codes_of(&e), [(Code::VF0602, at("Three/Tgw"))], "{e:#?}");
    assert!(
        matches!(&e[0], SynthError::ConnectedVpcsOverlap { vpc, cidr, other, other_cidr, .. }
            if vpc == "Three/Z" && cidr == "10.1.128.0/17"
                && other == "Three/Y" && other_cidr == "10.1.0.0/16"),
        "{:?}",
        e[0]
    );
}

#[test]
fn a_route_to_the_last_address_of_an_attached_block_reaches_it() {
    let mut h = hub_and_spoke("10.1.0.0/16");
    h.spoke.add(
        "ToLast",
        Route::builder()
            .route_table(&h.a.routes)
            .destination(cidr!("10.0.255.255/32"))
            .target(&h.a_attachment)
            .build(),
    );
    assert!(warnings(&app(h)).is_empty());
}

#[test]
fn a_route_table_of_a_transit_gateway_not_in_the_app_is_an_error() {
    let mut other = Stack::<Network>::new("Network");
    let foreign = other.add("Tgw", TransitGateway::builder().build());
    let mut network = Stack::<Network>::new("Network");
    network.add(
        "Routes",
        vpcform_net::transit::TransitGatewayRouteTable::builder()
            .transit_gateway(&foreign)
            .build(),
    );
    let mut app = App::new("foreign");
    app.add_stack(network);
    assert_eq!(codes(&app), [(Code::VF0908, at("Network/Routes"))]);
}

#[test]
fn an_external_peer_of_the_stacks_own_account_needs_no_role() {
    let mut stack = Stack::<Peers>::new("Peers").account("123456789012");
    let left = vpc::<Peers, Left>(&mut stack, "Left", "10.0.0.0/16", &[0]);
    stack.add(
        "Own",
        VpcPeering::builder()
            .vpc(&left.vpc)
            .peer(
                ExternalVpc::new("vpc-0123456789abcdef0", cidr!("10.50.0.0/16"))
                    .owner("123456789012"),
            )
            .build(),
    );
    assert!(errors(&one(stack)).is_empty());
}

/// Left (a subnet in AZ 0, two in AZ 1) peered with Right, whose STS endpoint is in AZ 0 only,
/// routes both ways, a zone for STS in Left; `change` adds to the stack; 90 GB a month from
/// Left's workload to STS, 10 GB from Right's.
fn peered_sts(
    change: impl FnOnce(&mut Stack<Peers>, &Built<Left>, &Built<Right>, &VpcPeeringRef<Left, Right>),
) -> App {
    let mut stack = Stack::<Peers>::new("Peers");
    let left = vpc::<Peers, Left>(&mut stack, "Left", "10.0.0.0/16", &[0, 1, 1]);
    let right = vpc::<Peers, Right>(&mut stack, "Right", "10.1.0.0/16", &[0]);
    let peering = stack.add(
        "LeftRight",
        VpcPeering::builder()
            .vpc(&left.vpc)
            .peer(&right.vpc)
            .build(),
    );
    stack.add(
        "LeftToRight",
        Route::builder()
            .route_table(&left.routes)
            .destination(cidr!("10.1.0.0/16"))
            .target(&peering)
            .build(),
    );
    stack.add(
        "RightToLeft",
        Route::builder()
            .route_table(&right.routes)
            .destination(cidr!("10.0.0.0/16"))
            .target(peering.accepter())
            .build(),
    );
    let sg = stack.add(
        "StsSg",
        SecurityGroup::builder()
            .vpc(&right.vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16")))])
            .build(),
    );
    let sts = stack.add(
        "Sts",
        InterfaceEndpoint::builder()
            .vpc(&right.vpc)
            .service(services::Sts)
            .subnets(&right.subnets)
            .security_groups([&sg])
            .private_dns(false)
            .build(),
    );
    stack.add(
        "StsZone",
        PrivateHostedZone::builder()
            .endpoint(&sts)
            .vpcs([ZoneVpc::of(&left.vpc)])
            .build(),
    );
    let pods = stack.add("Pods", Workload::builder().subnets(&left.subnets).build());
    // Right's own workload reaches the endpoint without the peering connection.
    let jobs = stack.add("Jobs", Workload::builder().subnets(&right.subnets).build());
    change(&mut stack, &left, &right, &peering);
    let mut app = one(stack);
    app.flow(Flow::new(&pods, services::Sts, Port::tcp(443)).gb_per_month(90.0));
    app.flow(Flow::new(&jobs, services::Sts, Port::tcp(443)).gb_per_month(10.0));
    app
}

#[test]
fn traffic_over_a_peering_connection_is_billed_where_it_crosses_azs() {
    let app = peered_sts(|_, _, _, _| {});
    let assembly = synth(&app).unwrap_or_else(|e| panic!("{e:#?}"));
    let subnets = &assembly.traffic().flows[0].subnets;
    assert_eq!(subnets.len(), 3);
    for subnet in subnets {
        assert_eq!(subnet.path, PathKind::InterfaceEndpoint, "{subnet:?}");
        assert_eq!(subnet.hops, ["Peers/LeftRight"], "{subnet:?}");
    }
    let cost = assembly.cost();
    let item = cost
        .stacks
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.resource == "Peers/LeftRight")
        .unwrap_or_else(|| panic!("{cost}"));
    // AZ 1's 60 GB cross to the endpoint in AZ 0: 60 GB x 2 directions x $0.01; AZ 0's 30 GB
    // stay in their zone, free.
    assert_eq!(item.monthly, 1.2, "{item:?}");
    assert!(
        item.basis
            .contains("60 of 90 GB cross AZs x 2 directions x $0.01"),
        "{}",
        item.basis
    );
}

#[test]
fn a_more_specific_route_splitting_an_endpoint_subnet_or_the_way_back_is_named() {
    // Part of the hub endpoint's subnet (10.1.0.0/24) sent to an internet gateway.
    let app = peered_sts(|stack, left, _, _| {
        let igw = stack.add(
            "LeftIgw",
            vpcform_net::vpc::InternetGateway::builder()
                .vpc(&left.vpc)
                .build(),
        );
        stack.add(
            "Split",
            Route::builder()
                .route_table(&left.routes)
                .destination(cidr!("10.1.0.128/25"))
                .target(&igw)
                .build(),
        );
    });
    let assembly = synth(&app).unwrap_or_else(|e| panic!("{e:#?}"));
    let subnet = &assembly.traffic().flows[0].subnets[0];
    assert_eq!(subnet.path, PathKind::Unreachable);
    let reason = subnet.reason.clone().unwrap_or_default();
    assert!(
        reason.starts_with(
            "route table Peers/LeftRoutes sends 10.1.0.128/25, part of hub endpoint subnet \
             10.1.0.0/24, to Peers/LeftIgw"
        ),
        "{reason}"
    );
    assert!(
        subnet
            .fix
            .as_deref()
            .is_some_and(|f| f.starts_with("route the whole of 10.1.0.0/24 the same way")),
        "{subnet:?}"
    );
    // A more specific route over the same connection splits nothing.
    let app = peered_sts(|stack, left, _, peering| {
        stack.add(
            "Narrower",
            Route::builder()
                .route_table(&left.routes)
                .destination(cidr!("10.1.0.128/25"))
                .target(peering)
                .build(),
        );
    });
    let assembly = synth(&app).unwrap_or_else(|e| panic!("{e:#?}"));
    let subnet = &assembly.traffic().flows[0].subnets[0];
    assert_eq!(subnet.path, PathKind::InterfaceEndpoint, "{subnet:?}");
    // Part of the workload's first subnet (10.0.0.0/24) answered elsewhere on the way back.
    let app = peered_sts(|stack, _, right, _| {
        let igw = stack.add(
            "RightIgw",
            vpcform_net::vpc::InternetGateway::builder()
                .vpc(&right.vpc)
                .build(),
        );
        stack.add(
            "SplitBack",
            Route::builder()
                .route_table(&right.routes)
                .destination(cidr!("10.0.0.0/25"))
                .target(&igw)
                .build(),
        );
    });
    let assembly = synth(&app).unwrap_or_else(|e| panic!("{e:#?}"));
    let subnets = &assembly.traffic().flows[0].subnets;
    let reason = subnets[0].reason.clone().unwrap_or_default();
    assert_eq!(subnets[0].path, PathKind::Unreachable, "{reason}");
    assert!(
        reason.starts_with(
            "route table Peers/RightRoutes of hub subnet Peers/RightSubnet0 sends 10.0.0.0/25, \
             part of 10.0.0.0/24, to Peers/RightIgw"
        ),
        "{reason}"
    );
    // The other subnets are not split.
    assert_eq!(subnets[1].path, PathKind::InterfaceEndpoint);
}
