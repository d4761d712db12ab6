//! Network ACLs: rendered as AWS writes them, checked as AWS refuses them, and walked both
//! ways by the traffic analysis — stateless, on the client's ephemeral ports, through the
//! subnets a flow leaves and enters (the transit gateway's attachment subnets included).

use vpcform_net::findings::{Code, SynthError};
use vpcform_net::prelude::*;
use vpcform_net::security::{AclEntry, NetworkAcl};
use vpcform_net::traffic::{PathKind, TrafficReport};
use vpcform_net::vpc::SubnetRef;

vpcform_net::topology! {
    stack Net { vpc Main, vpc Hub }
}

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
}

fn codes(errors: &[SynthError]) -> Vec<(Code, Option<String>)> {
    errors
        .iter()
        .map(|e| (e.code(), e.construct().map(str::to_string)))
        .collect()
}

/// Rules both ways, and where the ACL goes.
#[derive(Clone, Default)]
struct Acl {
    inbound: Vec<AclEntry>,
    outbound: Vec<AclEntry>,
}

impl Acl {
    fn open() -> Acl {
        let all = AclEntry::allow(100, Port::all_traffic(), cidr!("0.0.0.0/0"));
        Acl {
            inbound: vec![all.clone()],
            outbound: vec![all],
        }
    }
}

#[derive(Clone, Default)]
struct Setup {
    /// The workload's subnet's ACL.
    work: Option<Acl>,
    /// The SQS endpoint's subnet's ACL.
    ends: Option<Acl>,
    /// The workload's ephemeral ports.
    ephemeral: Option<(u16, u16)>,
    /// The endpoint in the workload's own subnet.
    endpoint_in_work: bool,
}

/// One VPC (10.0.0.0/16): the workload in Work (10.0.1.0/24), an SQS endpoint in Ends
/// (10.0.2.0/24) admitting the VPC, an S3 gateway endpoint on Work's table; flows to both.
fn app(s: Setup) -> App {
    let mut stack = Stack::<Net>::new("Net");
    let vpc = stack.add(
        "Main",
        Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let subnet = |stack: &mut Stack<Net>, id: &str, cidr: &str| -> SubnetRef<Main> {
        stack.add(
            id,
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr)
                .availability_zone(Az::index(0))
                .build(),
        )
    };
    let work = subnet(&mut stack, "Work", "10.0.1.0/24");
    let ends = subnet(&mut stack, "Ends", "10.0.2.0/24");
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&work]).build(),
    );
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .build(),
    );
    let sg = stack.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16")))])
            .build(),
    );
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([if s.endpoint_in_work { &work } else { &ends }])
            .security_groups([&sg])
            .build(),
    );
    for (id, acl, subnet) in [("WorkAcl", &s.work, &work), ("EndsAcl", &s.ends, &ends)] {
        if let Some(acl) = acl {
            stack.add(
                id,
                NetworkAcl::builder()
                    .vpc(&vpc)
                    .subnets([subnet])
                    .inbound(acl.inbound.clone())
                    .outbound(acl.outbound.clone())
                    .build(),
            );
        }
    }
    let pods = match s.ephemeral {
        Some((from, to)) => Workload::builder()
            .subnets([&work])
            .ephemeral_ports(from, to)
            .build(),
        None => Workload::builder().subnets([&work]).build(),
    };
    let pods = stack.add("Pods", pods);
    let mut app = App::new("acls");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)));
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)));
    app
}

fn traffic(app: &App) -> TrafficReport {
    app.synth()
        .unwrap_or_else(|e| panic!("{e}"))
        .traffic()
        .clone()
}

/// Each flow's path, reason and fix (its first subnet's).
fn paths(s: Setup) -> Vec<(PathKind, String, String)> {
    traffic(&app(s))
        .flows
        .iter()
        .map(|f| {
            let s = &f.subnets[0];
            (
                s.path,
                s.reason.clone().unwrap_or_default(),
                s.fix.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn without_an_acl_of_the_app_the_vpcs_default_allows_and_the_report_says_so() {
    let report = traffic(&app(Setup::default()));
    assert_eq!(report.flows[0].path, PathKind::InterfaceEndpoint);
    assert_eq!(report.flows[1].path, PathKind::GatewayEndpoint);
    assert_eq!(
        report.notes,
        [
            "Net/Main: subnets without a network ACL of the app use the VPC's default network ACL, which allows all traffic in and out as AWS creates it"
        ]
    );
    // Every subnet crossed has an ACL of the app: nothing is assumed.
    let report = traffic(&app(Setup {
        work: Some(Acl::open()),
        ends: Some(Acl::open()),
        ..Setup::default()
    }));
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    assert_eq!(report.flows[0].path, PathKind::InterfaceEndpoint);
}

#[test]
fn a_rule_denying_the_request_makes_the_flow_unreachable_and_names_the_rule() {
    let mut work = Acl::open();
    work.outbound
        .insert(0, AclEntry::deny(90, Port::tcp(443), cidr!("10.0.2.0/24")));
    let p = paths(Setup {
        work: Some(work),
        ..Setup::default()
    });
    assert_eq!(p[0].0, PathKind::Unreachable, "{p:?}");
    assert_eq!(
        p[0].1,
        "network ACL Net/WorkAcl of Net/Work denies the request on TCP 443 to 10.0.2.0/24 by outbound rule 90 deny TCP 443 10.0.2.0/24"
    );
    assert_eq!(
        p[0].2,
        "allow TCP 443 to 10.0.2.0/24 in Net/WorkAcl's outbound rules with a number below 90, or narrow rule 90"
    );
    // The S3 flow goes elsewhere: rule 90 does not match it.
    assert_eq!(p[1].0, PathKind::GatewayEndpoint, "{p:?}");
}

#[test]
fn the_response_is_filtered_too_on_the_clients_ephemeral_ports() {
    // The endpoint's subnet lets the request in but nothing out: the answer is denied.
    let ends = Acl {
        inbound: vec![AclEntry::allow(100, Port::tcp(443), cidr!("10.0.0.0/16"))],
        outbound: Vec::new(),
    };
    let p = paths(Setup {
        ends: Some(ends.clone()),
        ..Setup::default()
    });
    assert_eq!(p[0].0, PathKind::Unreachable, "{p:?}");
    assert_eq!(
        p[0].1,
        "no outbound rule of network ACL Net/EndsAcl of Net/Ends allows the response on TCP 1024-65535 to 10.0.1.0/24"
    );
    assert_eq!(
        p[0].2,
        "add an outbound rule to Net/EndsAcl allowing TCP 1024-65535 to 10.0.1.0/24"
    );
    // Only Linux's ephemeral ports out: not every client's, so not known to arrive...
    let linux = Acl {
        outbound: vec![AclEntry::allow(
            100,
            Port::tcp_range(32768, 65535),
            cidr!("10.0.0.0/16"),
        )],
        ..ends
    };
    let p = paths(Setup {
        ends: Some(linux.clone()),
        ..Setup::default()
    });
    assert_eq!(p[0].0, PathKind::Unknown, "{p:?}");
    assert!(
        p[0].1.starts_with("outbound rule 100 allow TCP 32768-65535 10.0.0.0/16 of network ACL Net/EndsAcl of Net/Ends matches only part of the response"),
        "{}",
        p[0].1
    );
    assert!(p[0].2.contains("Workload::ephemeral_ports"), "{}", p[0].2);
    // ...unless the workload says its clients use them.
    let p = paths(Setup {
        ends: Some(linux),
        ephemeral: Some((32768, 60999)),
        ..Setup::default()
    });
    assert_eq!(p[0].0, PathKind::InterfaceEndpoint, "{p:?}");
}

#[test]
fn traffic_inside_one_subnet_crosses_no_acl() {
    // A closed ACL on the subnet both the workload and the endpoint are in.
    let p = paths(Setup {
        work: Some(Acl::default()),
        endpoint_in_work: true,
        ..Setup::default()
    });
    assert_eq!(p[0].0, PathKind::InterfaceEndpoint, "{p:?}");
    // S3 is reached out of the subnet: denied by the final `*` rule.
    assert_eq!(p[1].0, PathKind::Unreachable, "{p:?}");
    assert!(p[1].1.starts_with("no outbound rule"), "{}", p[1].1);
}

#[test]
fn a_gateway_endpoints_service_is_public_addresses_that_only_0_0_0_0_covers() {
    let with = |block: &str| Acl {
        inbound: vec![AclEntry::allow(100, Port::all_traffic(), block)],
        outbound: vec![AclEntry::allow(100, Port::all_traffic(), block)],
    };
    let vpc_only = paths(Setup {
        work: Some(with("10.0.0.0/8")),
        ..Setup::default()
    });
    assert_eq!(vpc_only[0].0, PathKind::InterfaceEndpoint, "{vpc_only:?}");
    assert_eq!(vpc_only[1].0, PathKind::Unreachable, "{vpc_only:?}");
    assert_eq!(
        vpc_only[1].2,
        "add an outbound rule to Net/WorkAcl allowing TCP 443 to 0.0.0.0/0 (a network ACL cannot name the service's prefix list)"
    );
    let some_public = paths(Setup {
        work: Some(with("52.0.0.0/8")),
        ..Setup::default()
    });
    assert_eq!(some_public[1].0, PathKind::Unknown, "{some_public:?}");
    let anywhere = paths(Setup {
        work: Some(with("0.0.0.0/0")),
        ..Setup::default()
    });
    assert_eq!(anywhere[1].0, PathKind::GatewayEndpoint, "{anywhere:?}");
}

#[test]
fn an_acl_not_private_fails_require_private_traffic() {
    let mut app = app(Setup {
        work: Some(Acl::default()),
        ..Setup::default()
    });
    app.require_private_traffic();
    let errors = app.synth().err().map(|e| e.0).unwrap_or_default();
    assert_eq!(
        codes(&errors),
        [(Code::VF1003, None), (Code::VF1003, None)],
        "{errors:#?}"
    );
}

#[test]
fn rule_numbers_and_associations_are_checked() {
    let mut stack = Stack::<Net>::new("Net");
    let vpc = stack.add(
        "Main",
        Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let work = stack.add(
        "Work",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    stack.add(
        "WorkAcl",
        NetworkAcl::builder()
            .vpc(&vpc)
            .subnets([&work])
            .inbound([
                AclEntry::allow(0, Port::tcp(443), cidr!("10.0.0.0/8")),
                AclEntry::allow(32767, Port::tcp(443), cidr!("10.0.0.0/8")),
                AclEntry::allow(32766, Port::tcp(443), cidr!("10.0.0.0/8")),
            ])
            .outbound([
                AclEntry::allow(100, Port::tcp(443), cidr!("10.0.0.0/8")),
                AclEntry::deny(100, Port::tcp(80), cidr!("10.0.0.0/8")),
                AclEntry::allow(110, Port::tcp_range(2000, 1000), cidr!("10.0.0.0/8")),
                // One port as a range: not reversed.
                AclEntry::allow(115, Port::tcp_range(443, 443), cidr!("10.0.0.0/8")),
                AclEntry::allow_ipv6(120, Port::tcp(443), "2001:db8::1/64"),
            ])
            .build(),
    );
    // The same number inbound and outbound is two rules: allowed.
    stack.add(
        "OtherAcl",
        NetworkAcl::builder()
            .vpc(&vpc)
            .subnets([&work])
            .inbound([AclEntry::allow(100, Port::tcp(443), cidr!("10.0.0.0/8"))])
            .outbound([AclEntry::allow(100, Port::tcp(443), cidr!("10.0.0.0/8"))])
            .build(),
    );
    let mut app = App::new("acls");
    app.add_stack(stack);
    let errors = app.synth().err().map(|e| e.0).unwrap_or_default();
    assert_eq!(
        codes(&errors),
        [
            (Code::VF0430, at("Net/WorkAcl")),
            (Code::VF0430, at("Net/WorkAcl")),
            (Code::VF0431, at("Net/WorkAcl")),
            (Code::VF0402, at("Net/WorkAcl")),
            (Code::VF0803, at("Net/WorkAcl")),
            (Code::VF0432, at("Net/OtherAcl")),
        ],
        "{errors:#?}"
    );
    // The two out of range are 0 and 32767; 32766 is AWS's highest.
    let out_of_range: Vec<u16> = errors
        .iter()
        .filter_map(|e| match e {
            SynthError::AclRuleNumberOutOfRange { number, .. } => Some(*number),
            _ => None,
        })
        .collect();
    assert_eq!(out_of_range, [0, 32767]);
}

#[test]
fn an_acl_renders_its_rules_in_order_and_its_associations() {
    let mut work = Acl::open();
    work.outbound.push(AclEntry::deny(
        90,
        Port::udp_range(1000, 2000),
        cidr!("10.9.0.0/16"),
    ));
    work.inbound
        .push(AclEntry::allow_ipv6(110, Port::tcp(443), "::/0"));
    let assembly = app(Setup {
        work: Some(work),
        ..Setup::default()
    })
    .synth()
    .unwrap_or_else(|e| panic!("{e}"));
    let template =
        serde_json::to_value(assembly.stacks()[0].template()).expect("a template is JSON");
    let resources = &template["Resources"];
    assert_eq!(resources["WorkAcl"]["Type"], "AWS::EC2::NetworkAcl");
    assert_eq!(
        resources["WorkAclOutbound90"]["Properties"],
        serde_json::json!({
            "NetworkAclId": {"Ref": "WorkAcl"},
            "RuleNumber": 90,
            "Protocol": 17,
            "RuleAction": "deny",
            "Egress": true,
            "CidrBlock": "10.9.0.0/16",
            "PortRange": {"From": 1000, "To": 2000},
        })
    );
    assert_eq!(
        resources["WorkAclInbound100"]["Properties"],
        serde_json::json!({
            "NetworkAclId": {"Ref": "WorkAcl"},
            "RuleNumber": 100,
            "Protocol": -1,
            "RuleAction": "allow",
            "Egress": false,
            "CidrBlock": "0.0.0.0/0",
        })
    );
    assert_eq!(
        resources["WorkAclInbound110"]["Properties"]["Ipv6CidrBlock"],
        "::/0"
    );
    assert_eq!(
        resources["WorkAclWorkAssociation"],
        serde_json::json!({
            "Type": "AWS::EC2::SubnetNetworkAclAssociation",
            "Properties": {"NetworkAclId": {"Ref": "WorkAcl"}, "SubnetId": {"Ref": "Work"}},
        })
    );
}

/// A spoke (10.1.0.0/16: Work, and Attach for its transit gateway attachment) reaching an
/// SQS endpoint in the hub (10.0.0.0/16: Ends, and HubAttach) over a transit gateway; `acl`
/// on the spoke's attachment subnet.
fn over_tgw(acl: Option<Acl>) -> Vec<(PathKind, String, String)> {
    over_tgw_zones(acl, None, None)
}

/// [`over_tgw`] with `acl` on the hub's attachment subnet instead.
fn over_tgw_hub(acl: Acl) -> Vec<(PathKind, String, String)> {
    over_tgw_zones(None, None, Some(acl))
}

/// [`over_tgw`], with `zone_b`: the endpoint and both attachments also in zone 1 (Ends2,
/// Attach2, HubAttach2), the ACL on the spoke's zone-1 attachment subnet Attach2 instead;
/// `hub_acl` on the hub's attachment subnet HubAttach.
fn over_tgw_zones(
    acl: Option<Acl>,
    zone_b: Option<()>,
    hub_acl: Option<Acl>,
) -> Vec<(PathKind, String, String)> {
    let mut stack = Stack::<Net>::new("Net");
    let tgw = stack.add("Tgw", TransitGateway::builder().build());
    let spoke = stack.add(
        "Spoke",
        Vpc::<Main>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let hub = stack.add(
        "Hub",
        Vpc::<Hub>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let work = stack.add(
        "Work",
        Subnet::builder()
            .vpc(&spoke)
            .cidr(cidr!("10.1.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let attach = stack.add(
        "Attach",
        Subnet::builder()
            .vpc(&spoke)
            .cidr(cidr!("10.1.15.0/28"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let ends = stack.add(
        "Ends",
        Subnet::builder()
            .vpc(&hub)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let hub_attach = stack.add(
        "HubAttach",
        Subnet::builder()
            .vpc(&hub)
            .cidr(cidr!("10.0.15.0/28"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let mut spoke_subnets = vec![attach.clone()];
    let mut hub_subnets = vec![hub_attach.clone()];
    let mut ends_subnets = vec![ends.clone()];
    let mut acl_subnet = attach.clone();
    if zone_b.is_some() {
        let attach2 = stack.add(
            "Attach2",
            Subnet::builder()
                .vpc(&spoke)
                .cidr(cidr!("10.1.15.16/28"))
                .availability_zone(Az::index(1))
                .build(),
        );
        let hub_attach2 = stack.add(
            "HubAttach2",
            Subnet::builder()
                .vpc(&hub)
                .cidr(cidr!("10.0.15.16/28"))
                .availability_zone(Az::index(1))
                .build(),
        );
        let ends2 = stack.add(
            "Ends2",
            Subnet::builder()
                .vpc(&hub)
                .cidr(cidr!("10.0.2.0/24"))
                .availability_zone(Az::index(1))
                .build(),
        );
        spoke_subnets.push(attach2.clone());
        hub_subnets.push(hub_attach2);
        ends_subnets.push(ends2);
        acl_subnet = attach2;
    }
    let spoke_attachment = stack.add(
        "SpokeAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&spoke)
            .transit_gateway(&tgw)
            .subnets(&spoke_subnets)
            .build(),
    );
    let hub_attachment = stack.add(
        "HubAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&hub)
            .transit_gateway(&tgw)
            .subnets(&hub_subnets)
            .build(),
    );
    let mut spoke_table_subnets = spoke_subnets.clone();
    spoke_table_subnets.push(work.clone());
    let spoke_routes = stack.add(
        "SpokeRoutes",
        RouteTable::builder()
            .vpc(&spoke)
            .subnets(&spoke_table_subnets)
            .build(),
    );
    stack.add(
        "ToHub",
        Route::builder()
            .route_table(&spoke_routes)
            .destination(cidr!("10.0.0.0/16"))
            .target(&spoke_attachment)
            .build(),
    );
    let mut hub_table_subnets = hub_subnets.clone();
    hub_table_subnets.extend(ends_subnets.iter().cloned());
    let hub_routes = stack.add(
        "HubRoutes",
        RouteTable::builder()
            .vpc(&hub)
            .subnets(&hub_table_subnets)
            .build(),
    );
    stack.add(
        "Back",
        Route::builder()
            .route_table(&hub_routes)
            .destination(cidr!("10.1.0.0/16"))
            .target(&hub_attachment)
            .build(),
    );
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
            .subnets(&ends_subnets)
            .security_groups([&sg])
            .private_dns(false)
            .build(),
    );
    stack.add(
        "SqsZone",
        PrivateHostedZone::builder()
            .endpoint(&sqs)
            .vpcs([ZoneVpc::of(&hub), ZoneVpc::of(&spoke)])
            .build(),
    );
    if let Some(acl) = acl {
        stack.add(
            "AttachAcl",
            NetworkAcl::builder()
                .vpc(&spoke)
                .subnets([&acl_subnet])
                .inbound(acl.inbound)
                .outbound(acl.outbound)
                .build(),
        );
    }
    if let Some(acl) = hub_acl {
        stack.add(
            "HubAttachAcl",
            NetworkAcl::builder()
                .vpc(&hub)
                .subnets([&hub_attach])
                .inbound(acl.inbound)
                .outbound(acl.outbound)
                .build(),
        );
    }
    let pods = stack.add("Pods", Workload::builder().subnets([&work]).build());
    let mut app = App::new("acls");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)));
    traffic(&app)
        .flows
        .iter()
        .map(|f| {
            let s = &f.subnets[0];
            (
                s.path,
                s.reason.clone().unwrap_or_default(),
                s.fix.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn over_a_transit_gateway_the_attachment_subnets_filter_as_the_tgw_guide_says() {
    assert_eq!(over_tgw(None)[0].0, PathKind::InterfaceEndpoint);
    assert_eq!(
        over_tgw(Some(Acl::open()))[0].0,
        PathKind::InterfaceEndpoint
    );
    // Leaving the spoke, the attachment subnet's inbound rules see the workload's block.
    let p = over_tgw(Some(Acl {
        outbound: Acl::open().outbound,
        ..Acl::default()
    }));
    assert_eq!(p[0].0, PathKind::Unreachable, "{p:?}");
    assert_eq!(
        p[0].1,
        "no inbound rule of network ACL Net/AttachAcl of Net/Attach allows the request on TCP 443 from 10.1.1.0/24"
    );
    // Its outbound rules are not evaluated on the way out, only on the way back in, for the
    // response to the workload.
    let p = over_tgw(Some(Acl {
        inbound: Acl::open().inbound,
        ..Acl::default()
    }));
    assert_eq!(p[0].0, PathKind::Unreachable, "{p:?}");
    assert_eq!(
        p[0].1,
        "no outbound rule of network ACL Net/AttachAcl of Net/Attach allows the response on TCP 1024-65535 to 10.1.1.0/24"
    );
}

#[test]
fn the_response_crosses_the_attachment_subnets_of_the_servers_zone() {
    // The workload is in zone 0; the endpoint also answers from zone 1, whose response the
    // transit gateway hands to the spoke's zone-1 attachment subnet: its outbound rules see it.
    let closed_out = Acl {
        inbound: Acl::open().inbound,
        ..Acl::default()
    };
    let p = over_tgw_zones(Some(closed_out), Some(()), None);
    assert_eq!(p[0].0, PathKind::Unreachable, "{p:?}");
    assert_eq!(
        p[0].1,
        "no outbound rule of network ACL Net/AttachAcl of Net/Attach2 allows the response on TCP 1024-65535 to 10.1.1.0/24"
    );
    // Its inbound rules are never crossed: requests leave through zone 0's.
    let closed_in = Acl {
        outbound: Acl::open().outbound,
        ..Acl::default()
    };
    assert_eq!(
        over_tgw_zones(Some(closed_in), Some(()), None)[0].0,
        PathKind::InterfaceEndpoint
    );
}

/// A workload in Work (10.0.1.0/24) reaching S3 over a NAT gateway in Public (10.0.9.0/24),
/// or in its own subnet; `public_acl` on the NAT gateway's subnet.
fn over_nat(public_acl: Option<Acl>, nat_in_work: bool) -> (PathKind, String) {
    use vpcform_net::vpc::{InternetGateway, NatGateway};
    let mut stack = Stack::<Net>::new("Net");
    let vpc = stack.add(
        "Main",
        Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let work = stack.add(
        "Work",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let public = stack.add(
        "Public",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.9.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    stack.add("Igw", InternetGateway::builder().vpc(&vpc).build());
    let nat = stack.add(
        "Nat",
        NatGateway::builder()
            .subnet(if nat_in_work { &work } else { &public })
            .build(),
    );
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&work]).build(),
    );
    stack.add(
        "Out",
        Route::builder()
            .route_table(&routes)
            .destination(cidr!("0.0.0.0/0"))
            .target(&nat)
            .build(),
    );
    let acl_subnet = if nat_in_work { &work } else { &public };
    if let Some(acl) = public_acl {
        stack.add(
            "PublicAcl",
            NetworkAcl::builder()
                .vpc(&vpc)
                .subnets([acl_subnet])
                .inbound(acl.inbound)
                .outbound(acl.outbound)
                .build(),
        );
    }
    let pods = stack.add(
        "Pods",
        Workload::builder()
            .subnets([&work])
            .ephemeral_ports(32768, 60999)
            .build(),
    );
    let mut app = App::new("acls");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)));
    let report = traffic(&app);
    let s = &report.flows[0].subnets[0];
    (s.path, s.reason.clone().unwrap_or_default())
}

#[test]
fn a_nat_gateways_subnet_filters_both_ways_the_internets_answer_on_its_own_ports() {
    assert_eq!(over_nat(Some(Acl::open()), false).0, PathKind::NatGateway);
    // The NAT gateway's answer from the internet arrives on its ports, 1024-65535, whatever
    // the workload's own.
    let linux_only = |nat_in_work: bool| {
        let mut acl = Acl::open();
        acl.inbound = vec![
            AclEntry::allow(100, Port::tcp(443), cidr!("10.0.0.0/16")),
            AclEntry::allow(110, Port::tcp_range(32768, 60999), cidr!("0.0.0.0/0")),
        ];
        over_nat(Some(acl), nat_in_work)
    };
    let (path, reason) = linux_only(false);
    assert_eq!(path, PathKind::Unknown, "{reason}");
    assert!(
        reason.starts_with("inbound rule 110 allow TCP 32768-60999 0.0.0.0/0 of network ACL Net/PublicAcl of Net/Public matches only part of the response on TCP 1024-65535 from the destination's public addresses"),
        "{reason}"
    );
    // A NAT gateway in the workload's own subnet: the same, on that subnet's ACL.
    let (path, reason) = linux_only(true);
    assert_eq!(path, PathKind::Unknown, "{reason}");
    assert!(reason.contains("of Net/Work matches only part"), "{reason}");
    // The NAT's subnet must let the workload's request in.
    let mut no_request = Acl::open();
    no_request.inbound = vec![AclEntry::allow(
        100,
        Port::tcp_range(1024, 65535),
        cidr!("0.0.0.0/0"),
    )];
    let (path, reason) = over_nat(Some(no_request), false);
    assert_eq!(path, PathKind::Unreachable, "{reason}");
    assert!(
        reason.starts_with(
            "no inbound rule of network ACL Net/PublicAcl of Net/Public allows the request on TCP 443 from 10.0.1.0/24"
        ),
        "{reason}"
    );
}

#[test]
fn a_certain_deny_later_on_the_way_wins_over_an_undecided_rule_before_it() {
    // Work's outbound rule covers part of Ends' block (undecided); Ends denies the request.
    let work = Acl {
        inbound: Acl::open().inbound,
        outbound: vec![
            AclEntry::allow(100, Port::tcp(443), cidr!("10.0.2.0/25")),
            AclEntry::allow(110, Port::tcp(443), cidr!("0.0.0.0/0")),
        ],
    };
    let p = paths(Setup {
        work: Some(work.clone()),
        ends: Some(Acl::open()),
        ..Setup::default()
    });
    assert_eq!(p[0].0, PathKind::InterfaceEndpoint, "{p:?}");
    let mut undecided = work;
    undecided.outbound = vec![AclEntry::allow(100, Port::tcp(443), cidr!("10.0.2.0/25"))];
    let p = paths(Setup {
        work: Some(undecided),
        ends: Some(Acl::default()),
        ..Setup::default()
    });
    assert_eq!(p[0].0, PathKind::Unreachable, "{p:?}");
    assert!(p[0].1.contains("Net/EndsAcl"), "{}", p[0].1);
}

#[test]
fn entering_the_hub_its_attachment_subnets_outbound_rules_filter_and_its_inbound_ones_the_answer() {
    // Out of HubAttach to the endpoint's subnet: its outbound rules, for the request.
    let p = over_tgw_hub(Acl {
        inbound: Acl::open().inbound,
        ..Acl::default()
    });
    assert_eq!(p[0].0, PathKind::Unreachable, "{p:?}");
    assert_eq!(
        p[0].1,
        "no outbound rule of network ACL Net/HubAttachAcl of Net/HubAttach allows the request on TCP 443 to 10.0.1.0/24"
    );
    // The answer enters the transit gateway through HubAttach: its inbound rules.
    let p = over_tgw_hub(Acl {
        outbound: Acl::open().outbound,
        ..Acl::default()
    });
    assert_eq!(p[0].0, PathKind::Unreachable, "{p:?}");
    assert_eq!(
        p[0].1,
        "no inbound rule of network ACL Net/HubAttachAcl of Net/HubAttach allows the response on TCP 1024-65535 from 10.0.1.0/24"
    );
}

#[test]
fn fixes_follow_the_rule_that_decides() {
    // A deny numbered 1 cannot be preceded: renumber it.
    let mut work = Acl::open();
    work.outbound
        .insert(0, AclEntry::deny(1, Port::tcp(443), cidr!("10.0.2.0/24")));
    let p = paths(Setup {
        work: Some(work),
        ..Setup::default()
    });
    assert!(
        p[0].2
            .starts_with("narrow or renumber outbound rule 1 of Net/WorkAcl"),
        "{}",
        p[0].2
    );
    // A deny covering part of the traffic, then an allow: narrow the deny.
    let mut work = Acl::open();
    work.outbound
        .insert(0, AclEntry::deny(90, Port::tcp(443), cidr!("10.0.2.0/25")));
    let p = paths(Setup {
        work: Some(work),
        ..Setup::default()
    });
    assert_eq!(p[0].0, PathKind::Unknown, "{p:?}");
    assert!(
        p[0].2.starts_with("narrow outbound rule 90 of Net/WorkAcl"),
        "{}",
        p[0].2
    );
    // The workload states its ephemeral ports and the rule covers part of them: widen it.
    let ends = Acl {
        inbound: vec![AclEntry::allow(100, Port::tcp(443), cidr!("10.0.0.0/16"))],
        outbound: vec![AclEntry::allow(
            100,
            Port::tcp_range(40000, 65535),
            cidr!("10.0.0.0/16"),
        )],
    };
    let p = paths(Setup {
        ends: Some(ends),
        ephemeral: Some((32768, 60999)),
        ..Setup::default()
    });
    assert_eq!(p[0].0, PathKind::Unknown, "{p:?}");
    assert!(
        p[0].2.starts_with("widen the rule to TCP 32768-60999"),
        "{}",
        p[0].2
    );
    assert!(!p[0].2.contains("Workload::ephemeral_ports"), "{}", p[0].2);
}
