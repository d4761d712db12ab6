//! Centralized endpoints: a hub endpoint, a private hosted zone associated with a spoke, and
//! the way between them — every rule of the zone, every reason a spoke's flow does not arrive.

use vpcform_net::cfn;
use vpcform_net::endpoints::ServiceName;
use vpcform_net::findings::{Code, SynthError, SynthWarning};
use vpcform_net::prelude::*;
use vpcform_net::traffic::PathKind;
use vpcform_net::vpc::SubnetRef;
use vpcform_net::vpc::VpcRef;
use vpcform_net::vpc::{InternetGateway, NatGateway};
include!("common/errors.rs");

vpcform_net::topology! {
    stack Core {}
    stack Shared { vpc Hub }
    stack Spoke { vpc A }
}

/// What to leave out or change in the fixture, one piece at a time.
#[derive(Default, Clone, Copy)]
struct Break {
    hub_attachment_one_az: bool,
    spoke_s3_gateway: bool,
    spoke_route: bool,
    hub_attachment: bool,
    return_route: bool,
    spoke_az_b_attachment: bool,
    admit_spoke: bool,
    default_route_table_off: bool,
    spoke_route_to_nat: bool,
    hub_private_dns: bool,
    spoke_not_in_sqs_zone: bool,
    existing_spoke_routes: bool,
    /// The SQS flow receives 40 GB a month besides the 100 it sends.
    sqs_responses: bool,
}

struct Built {
    app: App,
}

/// Core: the transit gateway. Spoke A (10.1.0.0/16): workload subnets in AZs 0 and 1, the
/// attachment in both, a route to the hub. Shared: the hub (10.0.0.0/16), its attachment, a
/// route back to 10.0.0.0/8, an SQS endpoint with private DNS off, and its zone associated
/// with the hub and spoke A.
fn build(b: Break) -> Built {
    let mut core = Stack::<Core>::new("Core");
    let tgw = core.add(
        "Tgw",
        TransitGateway::builder()
            .default_route_table(!b.default_route_table_off)
            .build(),
    );
    let tgw_id = core.export("TgwId", &tgw);

    let mut spoke = Stack::<Spoke>::new("Spoke");
    let a = spoke.add("A", Vpc::<A>::builder().cidr(cidr!("10.1.0.0/16")).build());
    let subnet = |stack: &mut Stack<Spoke>, id: &str, cidr: &str, az: u32| -> SubnetRef<A> {
        stack.add(
            id,
            Subnet::builder()
                .vpc(&a)
                .cidr(cidr)
                .availability_zone(Az::index(az))
                .build(),
        )
    };
    let w1 = subnet(&mut spoke, "Work1", "10.1.1.0/24", 0);
    let w2 = subnet(&mut spoke, "Work2", "10.1.2.0/24", 1);
    let public = subnet(&mut spoke, "Public", "10.1.9.0/24", 0);
    let imported = spoke.import(&tgw_id);
    let attachment_subnets = if b.spoke_az_b_attachment {
        vec![&w1]
    } else {
        vec![&w1, &w2]
    };
    let attachment = spoke.add(
        "AAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&a)
            .transit_gateway(imported)
            .subnets(attachment_subnets)
            .build(),
    );
    let routes = if b.existing_spoke_routes {
        spoke.add(
            "ARoutes",
            vpcform_net::existing::ExistingRouteTable::builder()
                .vpc(&a)
                .id(vpcform_net::existing::ExistingId::id(
                    "rtb-0123456789abcdef0",
                ))
                .serves([&w1, &w2])
                .build(),
        )
    } else {
        spoke.add(
            "ARoutes",
            RouteTable::builder().vpc(&a).subnets([&w1, &w2]).build(),
        )
    };
    if b.spoke_route_to_nat {
        spoke.add("Igw", InternetGateway::builder().vpc(&a).build());
        let nat = spoke.add("Nat", NatGateway::builder().subnet(&public).build());
        spoke.add(
            "ToHub",
            Route::builder()
                .route_table(&routes)
                .destination(cidr!("0.0.0.0/0"))
                .target(&nat)
                .build(),
        );
    } else if !b.spoke_route {
        spoke.add(
            "ToHub",
            Route::builder()
                .route_table(&routes)
                .destination(cidr!("10.0.0.0/16"))
                .target(&attachment)
                .build(),
        );
    }
    if b.spoke_s3_gateway {
        spoke.add(
            "S3Gateway",
            GatewayEndpoint::builder()
                .vpc(&a)
                .service(services::S3)
                .route_tables([&routes])
                .build(),
        );
    }
    let pods = spoke.add("Pods", Workload::builder().subnets([&w1, &w2]).build());
    let spoke_id = spoke.export("VpcId", &a);

    let mut shared = Stack::<Shared>::new("Shared");
    let hub = shared.add(
        "Hub",
        Vpc::<Hub>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let h1 = shared.add(
        "H1",
        Subnet::builder()
            .vpc(&hub)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let h2 = shared.add(
        "H2",
        Subnet::builder()
            .vpc(&hub)
            .cidr(cidr!("10.0.2.0/24"))
            .availability_zone(Az::index(1))
            .build(),
    );
    let hub_routes = shared.add(
        "HubRoutes",
        RouteTable::builder().vpc(&hub).subnets([&h1, &h2]).build(),
    );
    if !b.hub_attachment {
        let hub_tgw = shared.import(&tgw_id);
        let hub_attachment = shared.add(
            "HubAttachment",
            TransitGatewayAttachment::builder()
                .vpc(&hub)
                .transit_gateway(hub_tgw)
                .subnets(if b.hub_attachment_one_az {
                    vec![&h1]
                } else {
                    vec![&h1, &h2]
                })
                .build(),
        );
        if !b.return_route {
            shared.add(
                "Back",
                Route::builder()
                    .route_table(&hub_routes)
                    .destination(cidr!("10.0.0.0/8"))
                    .target(&hub_attachment)
                    .build(),
            );
        }
    }
    let admitted = if b.admit_spoke {
        "10.0.0.0/16"
    } else {
        "10.0.0.0/8"
    };
    let sg = shared.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&hub)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(admitted))])
            .build(),
    );
    let sqs = shared.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&hub)
            .service(services::Sqs)
            .subnets([&h1, &h2])
            .security_groups([&sg])
            .private_dns(b.hub_private_dns)
            .build(),
    );
    // S3 centralized too: a zone for it wins over a spoke's own gateway endpoint.
    let s3 = shared.add(
        "S3",
        InterfaceEndpoint::builder()
            .vpc(&hub)
            .service(services::S3)
            .subnets([&h1, &h2])
            .security_groups([&sg])
            .build(),
    );
    let spoke_vpc_for_s3 = shared.import(&spoke_id);
    shared.add(
        "S3Zone",
        PrivateHostedZone::builder()
            .endpoint(&s3)
            .vpcs([ZoneVpc::of(spoke_vpc_for_s3)])
            .build(),
    );
    let ecr = shared.add(
        "EcrApi",
        InterfaceEndpoint::builder()
            .vpc(&hub)
            .service(services::EcrApi)
            .subnets([&h1, &h2])
            .security_groups([&sg])
            .private_dns(false)
            .build(),
    );
    shared.add(
        "EcrApiZone",
        PrivateHostedZone::builder()
            .endpoint(&ecr)
            .vpcs([ZoneVpc::of(&hub)])
            .build(),
    );
    let spoke_vpc = shared.import(&spoke_id);
    let mut sqs_zone_vpcs = vec![ZoneVpc::of(&hub)];
    if !b.spoke_not_in_sqs_zone {
        sqs_zone_vpcs.push(ZoneVpc::of(spoke_vpc));
    }
    shared.add(
        "SqsZone",
        PrivateHostedZone::builder()
            .endpoint(&sqs)
            .vpcs(sqs_zone_vpcs)
            .build(),
    );

    let mut app = App::new("central");
    app.add_stack(core);
    app.add_stack(spoke);
    app.add_stack(shared);
    let mut sqs_flow = Flow::new(&pods, services::Sqs, Port::tcp(443)).gb_per_month(100.0);
    if b.sqs_responses {
        sqs_flow = sqs_flow.response_gb_per_month(40.0);
    }
    app.flow(sqs_flow);
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)).gb_per_month(10.0));
    Built { app }
}

/// The flow's worst subnet: its path, reason and fix.
fn flow(b: Break) -> (PathKind, String, String, Vec<String>) {
    let built = build(b);
    let assembly = built.app.synth().unwrap_or_else(|e| panic!("{e}"));
    let flow = &assembly.traffic().flows[0];
    let worst = flow
        .subnets
        .iter()
        .find(|s| s.path == flow.path)
        .cloned()
        .unwrap_or_else(|| panic!("no subnet"));
    (
        flow.path,
        worst.reason.unwrap_or_default(),
        worst.fix.unwrap_or_default(),
        worst.hops,
    )
}

#[test]
fn a_spoke_reaches_the_hub_endpoint_through_the_zone_and_the_transit_gateway() {
    let (path, reason, _, hops) = flow(Break::default());
    assert_eq!(path, PathKind::InterfaceEndpoint, "{reason}");
    assert_eq!(
        hops,
        ["Spoke/AAttachment", "Core/Tgw", "Shared/HubAttachment"]
    );
}

#[test]
fn a_spoke_left_out_of_the_zone_is_told_to_join_it_not_to_add_an_endpoint() {
    let (path, reason, fix, _) = flow(Break {
        spoke_not_in_sqs_zone: true,
        ..Break::default()
    });
    assert_eq!(path, PathKind::Unreachable, "{reason}");
    assert_eq!(
        fix,
        "add VPC Spoke/A to private hosted zone Shared/SqsZone's VPCs"
    );
    assert!(reason.contains("Shared/SqsZone"), "{reason}");
}

#[test]
fn a_route_missing_from_an_existing_table_is_unknown_as_for_an_aws_service() {
    let (path, reason, fix, _) = flow(Break {
        existing_spoke_routes: true,
        spoke_route: true,
        ..Break::default()
    });
    assert_eq!(path, PathKind::Unknown, "{reason}");
    assert_eq!(
        fix,
        "add a route to Shared/Hub's block through the VPC's transit gateway attachment or peering connection"
    );
    // Known to the program, the same table without the route is unreachable.
    let (path, ..) = flow(Break {
        spoke_route: true,
        ..Break::default()
    });
    assert_eq!(path, PathKind::Unreachable);
}

#[test]
fn every_missing_piece_is_named() {
    let cases: [(Break, &str, &str); 8] = [
        (
            Break {
                hub_attachment_one_az: true,
                ..Break::default()
            },
            "hub attachment Shared/HubAttachment has no subnet in AZ #1 of the region, where the endpoint has an interface",
            "add a subnet in AZ #1 of the region to Shared/HubAttachment",
        ),
        (
            Break {
                spoke_route: true,
                ..Break::default()
            },
            "route table Spoke/ARoutes has no route to 10.0.1.0/24",
            "add a route to Shared/Hub's block",
        ),
        (
            Break {
                hub_attachment: true,
                ..Break::default()
            },
            "Shared/Hub is not attached to transit gateway Core/Tgw",
            "add a TransitGatewayAttachment of Shared/Hub",
        ),
        (
            Break {
                return_route: true,
                ..Break::default()
            },
            "no way back: route table Shared/HubRoutes of hub subnet Shared/H1 has no route to 10.1.",
            "add a route to 10.1.",
        ),
        (
            Break {
                spoke_az_b_attachment: true,
                ..Break::default()
            },
            "attachment Spoke/AAttachment has no subnet in AZ #1 of the region",
            "add a subnet in AZ #1 of the region",
        ),
        (
            Break {
                admit_spoke: true,
                ..Break::default()
            },
            "the endpoint's security group Shared/EndpointSg does not admit 10.1.",
            "admit 10.1.",
        ),
        (
            Break {
                default_route_table_off: true,
                ..Break::default()
            },
            "attachment Spoke/AAttachment is associated with no transit gateway route table",
            "give Spoke/AAttachment an .association(…)",
        ),
        (
            Break {
                spoke_route_to_nat: true,
                ..Break::default()
            },
            "route table Spoke/ARoutes sends the hub endpoint's subnets to Spoke/Nat, not to the hub",
            "route Shared/Hub's block through",
        ),
    ];
    for (b, reason_start, fix_start) in cases {
        let (path, reason, fix, _) = flow(b);
        assert_eq!(path, PathKind::Unreachable, "{reason}");
        assert!(reason.starts_with(reason_start), "{reason}");
        assert!(fix.starts_with(fix_start), "{fix}");
    }
}

fn errors(b: Break) -> Vec<SynthError> {
    synth_errors(&build(b).app)
}

#[test]
fn a_zone_where_the_endpoint_already_has_private_dns_conflicts() {
    let e = errors(Break {
        hub_private_dns: true,
        ..Break::default()
    });
    assert_eq!(
        codes(&e),
        [(Code::VF0703, Some("Shared/SqsZone"))],
        "{e:#?}"
    );
    assert!(
        matches!(&e[0], SynthError::ZoneConflictsWithPrivateDns { vpc, service, endpoint, .. }
            if vpc == "Shared/Hub" && service == "sqs" && endpoint == "Shared/Sqs"),
        "{:?}",
        e[0]
    );
}

#[test]
fn the_zone_and_its_alias_are_rendered() {
    let built = build(Break::default());
    let assembly = built.app.synth().unwrap_or_else(|e| panic!("{e}"));
    let shared = assembly
        .stack("Shared")
        .unwrap_or_else(|| panic!("no Shared"));
    let template = shared.template();
    let zone = &template.resources()["SqsZone"];
    assert_eq!(zone.resource_type(), "AWS::Route53::HostedZone");
    let name = cfn::Value::sub("sqs.${AWS::Region}.${AWS::URLSuffix}");
    assert_eq!(zone.get("Name"), Some(&name));
    let json = template.to_json_compact().unwrap_or_default();
    assert!(
        json.contains(r#""VPCs":[{"VPCId":{"Ref":"Hub"},"VPCRegion":{"Ref":"AWS::Region"}},{"VPCId":{"Fn::ImportValue":"Spoke-VpcId"},"VPCRegion":{"Ref":"AWS::Region"}}]"#),
        "{json}"
    );
    assert!(
        json.contains(r#""AliasTarget":{"DNSName":{"Fn::Select":[1,{"Fn::Split":[":",{"Fn::Select":[0,{"Fn::GetAtt":["Sqs","DnsEntries"]}]}]}]},"HostedZoneId":{"Fn::Select":[0,{"Fn::Split":[":",{"Fn::Select":[0,{"Fn::GetAtt":["Sqs","DnsEntries"]}]}]}]},"EvaluateTargetHealth":false}"#),
        "{json}"
    );
    assert_eq!(
        template.resources()["SqsZoneAlias"].get("Name"),
        Some(&name)
    );
    // Order: the hub imports the spoke's VPC ID, the spoke the transit gateway's.
    let order: Vec<&str> = assembly.stacks().iter().map(|s| s.name()).collect();
    assert_eq!(order, ["Core", "Spoke", "Shared"]);
}

// ── The zone's own rules ──────────────────────────────────────────────────────────────────

vpcform_net::topology! { stack Lone { vpc L } }

fn lone(
    configure: impl FnOnce(
        &mut Stack<Lone>,
        &VpcRef<L>,
        &vpcform_net::endpoints::InterfaceEndpointRef<L>,
    ),
) -> Vec<SynthError> {
    let mut stack = Stack::<Lone>::new("Lone").account("111122223333");
    let vpc = stack.add("L", Vpc::<L>::builder().cidr(cidr!("10.0.0.0/16")).build());
    let s = stack.add(
        "S",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.0.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let endpoint = stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&s])
            .private_dns(false)
            .build(),
    );
    configure(&mut stack, &vpc, &endpoint);
    let mut app = App::new("lone");
    app.add_stack(stack);
    synth_errors(&app)
}

#[test]
fn a_zone_needs_vpcs_and_one_zone_per_name_and_vpc() {
    let e = lone(|stack, vpc, endpoint| {
        stack.add(
            "Empty",
            PrivateHostedZone::builder()
                .endpoint(endpoint)
                .vpcs(Vec::<ZoneVpc<Lone>>::new())
                .build(),
        );
        stack.add(
            "First",
            PrivateHostedZone::builder()
                .endpoint(endpoint)
                .vpcs([ZoneVpc::of(vpc)])
                .build(),
        );
        stack.add(
            "Second",
            PrivateHostedZone::builder()
                .endpoint(endpoint)
                .vpcs([ZoneVpc::of(vpc), ZoneVpc::of(vpc)])
                .build(),
        );
    });
    assert_eq!(
        codes(&e),
        [
            (Code::VF0805, Some("Lone/Empty")),
            (Code::VF0704, Some("Lone/Second")),
            (Code::VF0803, Some("Lone/Second")),
        ],
        "{e:#?}"
    );
    assert!(
        matches!(
            &e[0],
            SynthError::Empty {
                property: "VPCs",
                ..
            }
        ),
        "{:?}",
        e[0]
    );
    assert!(
        matches!(&e[1], SynthError::DuplicateServiceZone { vpc, service, other, .. }
            if vpc == "Lone/L" && service == "sqs" && other == "Lone/First"),
        "{:?}",
        e[1]
    );
    assert!(
        matches!(text(&e[2]), Some(("VPCs", "Lone/L", reason)) if reason.contains("twice")),
        "{:?}",
        e[2]
    );
}

#[test]
fn a_vpc_of_another_account_cannot_be_associated_from_cloudformation() {
    let e = lone(|stack, _, endpoint| {
        stack.add(
            "Zone",
            PrivateHostedZone::builder()
                .endpoint(endpoint)
                .vpcs([
                    ZoneVpc::external("vpc-0123456789abcdef0").account("444455556666"),
                    ZoneVpc::external("vpc-0123456789abcdef1").account("111122223333"),
                    ZoneVpc::external("vpc-XYZ"),
                ])
                .build(),
        );
    });
    assert_eq!(
        codes(&e),
        [
            (Code::VF0702, Some("Lone/Zone")),
            (Code::VF0803, Some("Lone/Zone")),
        ],
        "{e:#?}"
    );
    // Only the VPC of another account; the one of the zone's own account is associated.
    assert!(
        matches!(&e[0], SynthError::CrossAccountZoneAssociation { vpc, account, .. }
            if vpc == "vpc-0123456789abcdef0" && account == "444455556666"),
        "{:?}",
        e[0]
    );
    assert!(
        matches!(text(&e[1]), Some(("VPCs.VPCId", "vpc-XYZ", _))),
        "{:?}",
        e[1]
    );
}

#[test]
fn a_zone_needs_vpc_dns_and_an_aws_service() {
    vpcform_net::topology! { stack Quiet { vpc Q } }
    let mut stack = Stack::<Quiet>::new("Quiet");
    let vpc = stack.add(
        "Q",
        Vpc::<Q>::builder()
            .cidr(cidr!("10.0.0.0/16"))
            .enable_dns_hostnames(false)
            .build(),
    );
    let s = stack.add(
        "S",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.0.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let endpoint = stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&s])
            .private_dns(false)
            .build(),
    );
    let custom = stack.add(
        "Custom",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(ServiceName::new(
                "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
            ))
            .subnets([&s])
            .build(),
    );
    stack.add(
        "Zone",
        PrivateHostedZone::builder()
            .endpoint(&endpoint)
            .vpcs([ZoneVpc::of(&vpc)])
            .build(),
    );
    stack.add(
        "CustomZone",
        PrivateHostedZone::builder()
            .endpoint(&custom)
            .vpcs([ZoneVpc::of(&vpc)])
            .build(),
    );
    let mut app = App::new("quiet");
    app.add_stack(stack);
    let e = synth_errors(&app);
    assert_eq!(
        codes(&e),
        [
            (Code::VF0211, Some("Quiet/Zone")),
            (Code::VF0701, Some("Quiet/CustomZone")),
        ],
        "{e:#?}"
    );
    assert!(
        matches!(&e[0], SynthError::PrivateDnsWithoutVpcDns { vpc, attribute: "enableDnsHostnames", .. }
            if vpc == "Quiet/Q"),
        "{:?}",
        e[0]
    );
    assert!(
        matches!(&e[1], SynthError::ZoneForNonAwsService { endpoint, .. } if endpoint == "Quiet/Custom"),
        "{:?}",
        e[1]
    );
}

#[test]
fn a_zone_for_s3_wins_over_the_spokes_own_gateway_endpoint() {
    let built = build(Break {
        spoke_s3_gateway: true,
        ..Break::default()
    });
    let assembly = built.app.synth().unwrap_or_else(|e| panic!("{e}"));
    let s3 = &assembly.traffic().flows[1];
    assert_eq!(s3.path, PathKind::InterfaceEndpoint);
    assert_eq!(s3.subnets[0].via.as_deref(), Some("Shared/S3"));
}

#[test]
fn a_zone_is_named_after_the_services_dns_name() {
    let built = build(Break::default());
    let assembly = built.app.synth().unwrap_or_else(|e| panic!("{e}"));
    let shared = assembly
        .stack("Shared")
        .unwrap_or_else(|| panic!("no Shared"));
    // ecr.api's DNS name is api.ecr.<region>.amazonaws.com.
    assert_eq!(
        shared.template().resources()["EcrApiZone"].get("Name"),
        Some(&cfn::Value::sub("api.ecr.${AWS::Region}.${AWS::URLSuffix}"))
    );
}

#[test]
fn a_routed_subnet_in_a_zone_without_an_attachment_subnet_is_a_warning() {
    let warnings = |b: Break| -> Vec<SynthWarning> {
        match build(b).app.synth() {
            Ok(assembly) => assembly.warnings().to_vec(),
            Err(e) => panic!("{e}"),
        }
    };
    assert!(warnings(Break::default()).is_empty());
    let w = warnings(Break {
        spoke_az_b_attachment: true,
        ..Break::default()
    });
    assert_eq!(
        w.iter()
            .map(|w| (w.code(), w.construct()))
            .collect::<Vec<_>>(),
        [(Code::VF0610, Some("Spoke/ToHub"))],
        "{w:#?}"
    );
    assert!(
        matches!(&w[0], SynthWarning::TransitGatewayAzNotAttached { subnet, az, attachment, .. }
            if subnet == "Spoke/Work2" && az == "AZ #1 of the region" && attachment == "Spoke/AAttachment"),
        "{:?}",
        w[0]
    );
}

#[test]
fn a_hub_endpoint_is_priced_against_an_endpoint_in_each_vpc_that_uses_it() {
    let built = build(Break::default());
    let assembly = built.app.synth().unwrap_or_else(|e| panic!("{e}"));
    let cost = assembly.cost();
    let sqs = cost
        .centralized
        .iter()
        .find(|c| c.service == "sqs")
        .unwrap_or_else(|| panic!("{:#?}", cost.centralized));
    assert_eq!(sqs.endpoint, "Shared/Sqs");
    assert_eq!((sqs.vpcs, sqs.gb, sqs.zones), (1, 100.0, 1));
    // Hub: 2 AZ x 730 h x $0.01 + 100 GB x ($0.01 endpoint + $0.02 transit gateway) + the
    // zone, $0.50 (Route 53 pricing: per hosted zone per month, first 25).
    assert_eq!(sqs.centralized, 18.1);
    // Spoke instead: 2 AZ x 730 h x $0.01 + 100 GB x $0.01; its private DNS is AWS's, no zone.
    assert_eq!(sqs.distributed, 15.6);
    // The comparison with NAT counts the hub's endpoint and the transit gateway's GB for the
    // flows it serves, not an endpoint per VPC: 14.6 + 1 + 2.
    assert_eq!(cost.endpoints, 17.6);
    assert!(
        cost.to_string().contains(
            "Shared/Sqs (sqs): $18.10/month centralized for 1 VPC(s) with 1 hosted zone(s), $15.60 with an endpoint in each — centralizing costs $2.50"
        ),
        "{cost}"
    );
}

/// A stack's billed item by resource: its monthly cost and basis.
fn cost_item(cost: &vpcform_net::cost::CostReport, resource: &str) -> (f64, String) {
    cost.stacks
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.resource == resource)
        .map(|i| (i.monthly, i.basis.clone()))
        .unwrap_or_else(|| panic!("no {resource} in {cost}"))
}

#[test]
fn a_two_way_flow_pays_its_requests_on_the_spokes_attachment_and_its_responses_on_the_hubs() {
    let cost = |b: Break| {
        let built = build(b);
        built
            .app
            .synth()
            .unwrap_or_else(|e| panic!("{e}"))
            .cost()
            .clone()
    };
    // One-way (no response volume): all of it enters at the spoke's attachment.
    let one_way = cost(Break::default());
    assert_eq!(cost_item(&one_way, "Shared/HubAttachment").0, 36.5);
    // SQS 100 GB sent, 40 GB back (and S3's 10 GB sent, through the hub too): each attachment
    // pays what its VPC sends into the gateway, 730 h x $0.05 + GB x $0.02.
    let two_way = cost(Break {
        sqs_responses: true,
        ..Break::default()
    });
    let (spoke, spoke_basis) = cost_item(&two_way, "Spoke/AAttachment");
    assert_eq!(spoke, 38.7, "{spoke_basis}");
    assert!(
        spoke_basis.contains("(110 GB of requests + 0 GB of responses sent in) x $0.02"),
        "{spoke_basis}"
    );
    let (hub, hub_basis) = cost_item(&two_way, "Shared/HubAttachment");
    assert_eq!(hub, 37.3, "{hub_basis}");
    assert!(
        hub_basis.contains("(0 GB of requests + 40 GB of responses sent in) x $0.02"),
        "{hub_basis}"
    );
    // The endpoint processes both directions; so does the comparison.
    let (endpoint, basis) = cost_item(&two_way, "Shared/Sqs");
    assert_eq!(endpoint, 16.0, "{basis}");
    let sqs = two_way
        .centralized
        .iter()
        .find(|c| c.service == "sqs")
        .unwrap_or_else(|| panic!("{:#?}", two_way.centralized));
    // 14.6 + 140 GB x ($0.01 + $0.02) + $0.50 zone.
    assert_eq!((sqs.gb, sqs.centralized), (140.0, 19.3));
    // The stacks' totals hold each GB once, in the direction it enters: 150 GB x $0.02.
    assert_eq!(((spoke + hub - 2.0 * 36.5) * 100.0).round(), 300.0);
}
