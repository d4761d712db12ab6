//! Route 53 Profiles: a hub's zones and endpoints held by a profile, shared by AWS RAM with a
//! spoke of another account, associated with the spoke's VPC — what is rendered, what AWS
//! refuses, how a spoke's flow resolves a service through the profile, and what it costs.

use vpcform_net::findings::{Code, SynthError};
use vpcform_net::prelude::*;
use vpcform_net::sharing::{ResourceShare, SharedResource};
use vpcform_net::traffic::PathKind;
use vpcform_net::zones::{
    Profile, ProfileAssociation, ProfileResource, ProfileResourceAssociation, ZoneVpc,
};
include!("common/errors.rs");

vpcform_net::topology! {
    stack Hub { vpc HubVpc }
    stack Spoke { vpc SpokeVpc }
}

const HUB_ACCOUNT: &str = "111122223333";
const SPOKE_ACCOUNT: &str = "444455556666";

/// What to change in the fixture, one piece at a time.
#[derive(Default, Clone, Copy)]
struct Break {
    /// The share leaves the profile out (it shares the transit gateway only).
    profile_not_shared: bool,
    /// The spoke stack is in another region than the hub's.
    spoke_region: Option<&'static str>,
    /// The spoke's VPC is associated with no profile.
    no_association: bool,
    /// The spoke's VPC is associated with a second profile too (a stated ID).
    second_association: bool,
    /// The profile holds the SQS zone twice.
    zone_twice: bool,
    /// The hub's transit gateway does not accept shared attachments automatically.
    manual_acceptance: bool,
}

/// Hub (account 1111…, us-east-1): a VPC with an SQS endpoint (private DNS off) and its zone,
/// an STS endpoint with private DNS on, a transit gateway; a profile holding the zone and the
/// STS endpoint; a RAM share of the profile and the transit gateway with the spoke's account.
/// Spoke (account 4444…): a VPC attached to the hub's transit gateway, routed to the hub, and
/// associated with the profile by its imported ID.
fn build(b: Break) -> App {
    let mut hub = Stack::<Hub>::new("Hub")
        .account(HUB_ACCOUNT)
        .region("us-east-1");
    let tgw = hub.add(
        "Tgw",
        TransitGateway::builder()
            .auto_accept_shared_attachments(!b.manual_acceptance)
            .build(),
    );
    let tgw_id = hub.export("TgwId", &tgw);
    let vpc = hub.add(
        "HubVpc",
        Vpc::<HubVpc>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let subnet = |hub: &mut Stack<Hub>, id: &str, cidr: &str, az: u32| {
        hub.add(
            id,
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr)
                .availability_zone(Az::index(az))
                .build(),
        )
    };
    let h1 = subnet(&mut hub, "H1", "10.0.1.0/24", 0);
    let h2 = subnet(&mut hub, "H2", "10.0.2.0/24", 1);
    let attachment = hub.add(
        "HubAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&vpc)
            .transit_gateway(&tgw)
            .subnets([&h1, &h2])
            .build(),
    );
    let routes = hub.add(
        "HubRoutes",
        RouteTable::builder().vpc(&vpc).subnets([&h1, &h2]).build(),
    );
    hub.add(
        "Back",
        Route::builder()
            .route_table(&routes)
            .destination(cidr!("10.0.0.0/8"))
            .target(&attachment)
            .build(),
    );
    let sg = hub.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/8"))])
            .build(),
    );
    let sqs = hub.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&h1, &h2])
            .security_groups([&sg])
            .private_dns(false)
            .build(),
    );
    let sqs_zone = hub.add(
        "SqsZone",
        PrivateHostedZone::builder()
            .endpoint(&sqs)
            .vpcs([ZoneVpc::of(&vpc)])
            .build(),
    );
    let sts = hub.add(
        "Sts",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sts)
            .subnets([&h1, &h2])
            .security_groups([&sg])
            .build(),
    );
    let profile = hub.add("Dns", Profile::builder().name("shared-endpoints").build());
    hub.add(
        "DnsSqsZone",
        ProfileResourceAssociation::builder()
            .profile(&profile)
            .name("sqs-zone")
            .resource(ProfileResource::from(&sqs_zone))
            .build(),
    );
    if b.zone_twice {
        hub.add(
            "DnsSqsZoneAgain",
            ProfileResourceAssociation::builder()
                .profile(&profile)
                .name("sqs-zone-again")
                .resource(ProfileResource::from(&sqs_zone))
                .build(),
        );
    }
    hub.add(
        "DnsSts",
        ProfileResourceAssociation::builder()
            .profile(&profile)
            .name("sts-endpoint")
            .resource(ProfileResource::from(&sts))
            .build(),
    );
    let mut shared = vec![SharedResource::from(&tgw)];
    if !b.profile_not_shared {
        shared.push(SharedResource::from(&profile));
    }
    hub.add(
        "Share",
        ResourceShare::builder()
            .name("landing-zone")
            .resources(shared)
            .principals([SPOKE_ACCOUNT])
            .build(),
    );
    let profile_id = hub.export("DnsProfileId", &profile);

    let mut spoke = Stack::<Spoke>::new("Spoke")
        .account(SPOKE_ACCOUNT)
        .region(b.spoke_region.unwrap_or("us-east-1"));
    let a = spoke.add(
        "SpokeVpc",
        Vpc::<SpokeVpc>::builder()
            .cidr(cidr!("10.1.0.0/16"))
            .build(),
    );
    let w1 = spoke.add(
        "Work1",
        Subnet::builder()
            .vpc(&a)
            .cidr(cidr!("10.1.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let imported_tgw = spoke.import(&tgw_id);
    let spoke_attachment = spoke.add(
        "SpokeAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&a)
            .transit_gateway(imported_tgw)
            .subnets([&w1])
            .build(),
    );
    let spoke_routes = spoke.add(
        "SpokeRoutes",
        RouteTable::builder().vpc(&a).subnets([&w1]).build(),
    );
    spoke.add(
        "ToHub",
        Route::builder()
            .route_table(&spoke_routes)
            .destination(cidr!("10.0.0.0/16"))
            .target(&spoke_attachment)
            .build(),
    );
    if !b.no_association {
        let imported_profile = spoke.import(&profile_id);
        spoke.add(
            "SpokeDns",
            ProfileAssociation::builder()
                .vpc(&a)
                .profile(imported_profile)
                .name("spoke-dns")
                .build(),
        );
    }
    if b.second_association {
        spoke.add(
            "SpokeDns2",
            ProfileAssociation::builder()
                .vpc(&a)
                .profile("rp-0123456789abcdef")
                .name("other-dns")
                .build(),
        );
    }
    let pods = spoke.add("Pods", Workload::builder().subnets([&w1]).build());

    let mut app = App::new("profiles");
    app.add_stack(hub);
    app.add_stack(spoke);
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)).gb_per_month(100.0));
    app.flow(Flow::new(&pods, services::Sts, Port::tcp(443)).gb_per_month(10.0));
    app
}

/// Each flow's path and the hops of its first subnet.
fn flows(b: Break) -> Vec<(PathKind, Vec<String>, String)> {
    let assembly = build(b).synth().unwrap_or_else(|e| panic!("{e}"));
    assembly
        .traffic()
        .flows
        .iter()
        .map(|f| {
            let first = &f.subnets[0];
            (
                f.path,
                first.hops.clone(),
                first.reason.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_spoke_of_another_account_reaches_the_hubs_endpoints_through_the_shared_profile() {
    let hops = ["Spoke/SpokeAttachment", "Hub/Tgw", "Hub/HubAttachment"];
    let found = flows(Break::default());
    // SQS through the zone the profile holds; STS through the endpoint's own private DNS,
    // which the profile applies to the spoke.
    for (path, flow_hops, reason) in &found {
        assert_eq!(*path, PathKind::InterfaceEndpoint, "{reason}");
        assert_eq!(flow_hops, &hops);
    }
    assert_eq!(found.len(), 2);
}

#[test]
fn without_the_association_the_spoke_is_told_to_associate_the_profile() {
    let assembly = build(Break {
        no_association: true,
        ..Break::default()
    })
    .synth()
    .unwrap_or_else(|e| panic!("{e}"));
    let flows = &assembly.traffic().flows;
    assert_eq!(flows.len(), 2);
    for (flow, held) in flows.iter().zip(["Hub/SqsZone", "Hub/Sts"]) {
        let first = &flow.subnets[0];
        let reason = first.reason.clone().unwrap_or_default();
        assert_ne!(flow.path, PathKind::InterfaceEndpoint, "{reason}");
        assert!(
            reason.contains(&format!(
                "Route 53 Profile Hub/Dns holds {held}, but VPC Spoke/SpokeVpc is not associated with it"
            )),
            "{reason}"
        );
        assert_eq!(
            first.fix.as_deref(),
            Some(
                "associate VPC Spoke/SpokeVpc with Route 53 Profile Hub/Dns (a ProfileAssociation \
                 in the VPC's stack; the profile shared with its account)"
            )
        );
    }
}

#[test]
fn private_traffic_is_required_and_holds_through_the_profile() {
    let mut app = build(Break::default());
    app.require_private_traffic();
    assert!(app.synth().is_ok());
    let mut app = build(Break {
        no_association: true,
        ..Break::default()
    });
    app.require_private_traffic();
    assert!(app.synth().is_err());
}

#[test]
fn the_three_resources_are_rendered_as_cloudformation_takes_them() {
    let assembly = build(Break::default())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let template = |name: &str| {
        assembly
            .stacks()
            .iter()
            .find(|s| s.name() == name)
            .and_then(|s| s.template().to_json_compact().ok())
            .unwrap_or_else(|| panic!("no stack {name}"))
    };
    let hub: serde_json::Value = serde_json::from_str(&template("Hub")).unwrap_or_default();
    let spoke: serde_json::Value = serde_json::from_str(&template("Spoke")).unwrap_or_default();
    let resource = |t: &serde_json::Value, id: &str| t["Resources"][id].clone();
    assert_eq!(
        resource(&hub, "Dns")["Type"],
        "AWS::Route53Profiles::Profile"
    );
    assert_eq!(
        resource(&hub, "Dns")["Properties"]["Name"],
        "shared-endpoints"
    );
    let zone = resource(&hub, "DnsSqsZone");
    assert_eq!(
        zone["Type"],
        "AWS::Route53Profiles::ProfileResourceAssociation"
    );
    assert_eq!(
        zone["Properties"]["ProfileId"],
        serde_json::json!({"Ref": "Dns"})
    );
    assert_eq!(
        zone["Properties"]["ResourceArn"],
        serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:route53:::hostedzone/${SqsZone}"})
    );
    assert_eq!(
        resource(&hub, "DnsSts")["Properties"]["ResourceArn"],
        serde_json::json!({"Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-endpoint/${Sts}"})
    );
    // The share names the profile by its Arn attribute.
    assert!(
        resource(&hub, "Share")["Properties"]["ResourceArns"]
            .as_array()
            .is_some_and(|arns| arns.contains(&serde_json::json!({"Fn::GetAtt": ["Dns", "Arn"]}))),
        "{hub}"
    );
    let association = resource(&spoke, "SpokeDns");
    assert_eq!(
        association["Type"],
        "AWS::Route53Profiles::ProfileAssociation"
    );
    assert_eq!(
        association["Properties"]["ResourceId"],
        serde_json::json!({"Ref": "SpokeVpc"})
    );
    assert_eq!(association["Properties"]["Name"], "spoke-dns");
    // Another account's export arrives as a parameter the deployer fills.
    assert!(
        association["Properties"]["ProfileId"]["Ref"]
            .as_str()
            .is_some_and(|p| p.starts_with("Import")),
        "{association}"
    );
}

#[test]
fn a_vpc_takes_one_profile() {
    let errors = synth_errors(&build(Break {
        second_association: true,
        ..Break::default()
    }));
    assert_eq!(codes(&errors), [(Code::VF0730, Some("Spoke/SpokeDns2"))]);
}

#[test]
fn a_profile_of_another_account_must_be_shared_with_the_vpcs() {
    let errors = synth_errors(&build(Break {
        profile_not_shared: true,
        ..Break::default()
    }));
    assert_eq!(codes(&errors), [(Code::VF0732, Some("Spoke/SpokeDns"))]);
}

#[test]
fn a_profile_of_another_region_is_refused() {
    let errors = synth_errors(&build(Break {
        spoke_region: Some("eu-west-1"),
        ..Break::default()
    }));
    // The transit gateway attachment is refused too, for the same reason.
    assert!(
        codes(&errors).contains(&(Code::VF0731, Some("Spoke/SpokeDns"))),
        "{errors:#?}"
    );
}

#[test]
fn a_resource_is_held_once_per_profile() {
    let errors = synth_errors(&build(Break {
        zone_twice: true,
        ..Break::default()
    }));
    assert_eq!(
        codes(&errors),
        [(Code::VF0735, Some("Hub/DnsSqsZoneAgain"))]
    );
}

/// A hub stack pinned to us-east-1 with a profile holding `arn`, named `name`.
fn lone(name: &str, arn: &str) -> Vec<SynthError> {
    let mut hub = Stack::<Hub>::new("Hub")
        .account(HUB_ACCOUNT)
        .region("us-east-1");
    let profile = hub.add("Dns", Profile::builder().name(name).build());
    hub.add(
        "DnsRule",
        ProfileResourceAssociation::builder()
            .profile(&profile)
            .name("rule")
            .resource(ProfileResource::arn(arn))
            .build(),
    );
    let mut app = App::new("lone");
    app.add_stack(hub);
    synth_errors(&app)
}

const RULE: &str =
    "arn:aws:route53resolver:us-east-1:111122223333:resolver-rule/rslvr-rr-0123456789abcdef0";

#[test]
fn a_stated_resource_must_be_one_a_profile_holds_of_its_region_and_partition() {
    assert_eq!(codes(&lone("dns", RULE)), []);
    let west = RULE.replace("us-east-1", "eu-west-1");
    assert_eq!(
        codes(&lone("dns", &west)),
        [(Code::VF0734, Some("Hub/DnsRule"))]
    );
    for bad in [
        "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0123456789abcdef0",
        "arn:aws-cn:route53:::hostedzone/Z0123456789",
        "rslvr-rr-0123456789abcdef0",
    ] {
        assert_eq!(
            codes(&lone("dns", bad)),
            [(Code::VF0733, Some("Hub/DnsRule"))],
            "{bad}"
        );
    }
}

#[test]
fn names_route53_profiles_refuses_are_errors() {
    for bad in ["", "12345", "dns.hub", &"x".repeat(65)] {
        let errors = lone(bad, RULE);
        assert_eq!(codes(&errors), [(Code::VF0803, Some("Hub/Dns"))], "{bad:?}");
        assert_eq!(errors.first().and_then(text).map(|t| t.0), Some("Name"));
    }
}

#[test]
fn a_profile_association_is_priced_in_the_centralized_comparison() {
    let assembly = build(Break::default())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let cost = assembly.cost();
    let sqs = cost
        .centralized
        .iter()
        .find(|c| c.service == "sqs")
        .unwrap_or_else(|| panic!("{:#?}", cost.centralized));
    assert_eq!((sqs.vpcs, sqs.zones, sqs.profile_associations), (1, 1, 1));
    // 2 AZ x 730 h x $0.01 + 100 GB x ($0.01 + $0.02) + the zone $0.50 + the profile owner's
    // 730 h x $0.75 (Route 53 pricing: per account-hour, the first 100 associations).
    assert_eq!(sqs.centralized, 565.6);
    assert!(
        cost.to_string()
            .contains("with 1 hosted zone(s) and 1 Route 53 Profile association(s)"),
        "{cost}"
    );
}

#[test]
fn the_profile_counts_against_its_vpc_associations_quota() {
    let mut app = build(Break::default());
    app.quotas(vpcform_net::quotas::Quotas::default().vpcs_per_profile(0));
    let errors = synth_errors(&app);
    assert_eq!(codes(&errors), [(Code::VF1201, Some("Hub/Dns"))]);
}

#[test]
fn a_stated_profile_id_must_be_an_rp_id() {
    let association = |id: &str| {
        let mut spoke = Stack::<Spoke>::new("Spoke");
        let vpc = spoke.add(
            "SpokeVpc",
            Vpc::<SpokeVpc>::builder()
                .cidr(cidr!("10.1.0.0/16"))
                .build(),
        );
        spoke.add(
            "SpokeDns",
            ProfileAssociation::builder()
                .vpc(&vpc)
                .profile(id)
                .name("spoke-dns")
                .build(),
        );
        let mut app = App::new("stated");
        app.add_stack(spoke);
        synth_errors(&app)
    };
    assert_eq!(codes(&association("rp-0123456789abcdef")), []);
    for bad in ["0123456789abcdef", "rp-", &format!("rp-{}", "a".repeat(62))] {
        let errors = association(bad);
        assert_eq!(
            codes(&errors),
            [(Code::VF0803, Some("Spoke/SpokeDns"))],
            "{bad}"
        );
        assert_eq!(
            errors.first().and_then(text).map(|t| t.0),
            Some("ProfileId")
        );
    }
}

#[test]
fn a_spoke_of_another_account_waits_for_the_gateways_owner_unless_it_accepts_automatically() {
    let found = flows(Break {
        manual_acceptance: true,
        ..Break::default()
    });
    for (path, _, reason) in &found {
        assert_eq!(*path, PathKind::PendingAcceptance, "{reason}");
        assert!(
            reason.starts_with(
                "attachment Spoke/SpokeAttachment is of another account than transit gateway \
                 Hub/Tgw (111122223333's), which does not accept shared attachments automatically"
            ),
            "{reason}"
        );
    }
    let assembly = build(Break {
        manual_acceptance: true,
        ..Break::default()
    })
    .synth()
    .unwrap_or_else(|e| panic!("{e}"));
    let sqs = &assembly.traffic().flows[0].subnets[0];
    assert_eq!(
        sqs.fix.as_deref(),
        Some(
            "set auto_accept_shared_attachments(true) on Hub/Tgw; otherwise account \
             111122223333 accepts it while its stack creates, as CloudFormation waits for it \
             (aws ec2 accept-transit-gateway-vpc-attachment --transit-gateway-attachment-id \
             <Spoke/SpokeAttachment's ID> --region us-east-1)"
        )
    );
    // The deployer's steps: the spoke's account accepts the share's invitation (if any: the
    // app cannot know whether it is in the organization) before attaching and associating.
    let manifest = assembly.manifest();
    let steps: Vec<(&str, Option<&str>, &[String])> = manifest
        .steps
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.environment.account.as_deref(),
                s.depends_on.as_slice(),
            )
        })
        .collect();
    let share_step = format!("Accept-Hub-Share-{SPOKE_ACCOUNT}");
    assert_eq!(
        steps,
        [(
            share_step.as_str(),
            Some(SPOKE_ACCOUNT),
            &["Hub".to_string()][..]
        ),]
    );
    // The attachment's acceptance is no step: CloudFormation's create waits for it (VF0648).
    assert!(
        assembly
            .warnings()
            .iter()
            .any(|w| w.code() == vpcform_net::findings::Code::VF0648
                && w.construct() == Some("Spoke/SpokeAttachment")),
        "{:#?}",
        assembly.warnings()
    );
    assert_eq!(
        manifest.steps[0].action,
        vpcform_net::StepAction::AcceptResourceShareInvitation {
            resource_share: vpcform_net::OutputRef::new("Hub", "ShareArn")
        }
    );
    let spoke = manifest.stack("Spoke").map(|s| s.depends_on.clone());
    assert_eq!(spoke, Some(vec!["Hub".to_string(), share_step.clone()]));
    // With auto-accept, the same step.
    let names: Vec<String> = build(Break::default())
        .synth()
        .map(|a| a.manifest().steps.into_iter().map(|s| s.name).collect())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names, [share_step]);
    // Written only when on.
    let hub = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    assert!(
        hub["Resources"]["Tgw"]["Properties"]
            .get("AutoAcceptSharedAttachments")
            .is_none()
    );
    let on = build(Break::default())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let hub = serde_json::to_value(on.stacks()[0].template()).unwrap_or_default();
    assert_eq!(
        hub["Resources"]["Tgw"]["Properties"]["AutoAcceptSharedAttachments"],
        "enable"
    );
}

/// The picture draws the spoke's association as a dashed line from the profile (in the hub's
/// account and region) to the spoke's VPC; without the association there is no line, so a
/// missing one is visible.
#[test]
fn the_picture_draws_a_profile_association_and_not_a_missing_one() {
    let dot = |b: Break| {
        build(b)
            .synth()
            .map(|a| a.diagram_dot().to_string())
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let line = "\"Hub/Dns\" -> \"Spoke/SpokeVpc\" [label=\"profile association\"";
    let associated = dot(Break::default());
    assert!(associated.contains(line), "{associated}");
    let hub = associated
        .find("label=\"account 111122223333 · us-east-1\"")
        .unwrap_or_else(|| panic!("{associated}"));
    let profile = associated
        .find("\"Hub/Dns\" [label=\"Dns\\nRoute 53 Profile\"")
        .unwrap_or_else(|| panic!("{associated}"));
    assert!(hub < profile, "{associated}");
    let missing = dot(Break {
        no_association: true,
        ..Break::default()
    });
    assert!(!missing.contains(line), "{missing}");
}
