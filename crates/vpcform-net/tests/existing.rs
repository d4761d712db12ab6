//! Existing VPCs, subnets, route tables and security groups: typed like created ones, rendered
//! as AWS-specific template parameters, their IDs checked, their unknown routes and rules
//! reported as unknown by the traffic analysis.

use vpcform_net::cfn;
use vpcform_net::existing::{
    ExistingId, ExistingNetworkAcl, ExistingRouteTable, ExistingSecurityGroup, ExistingSubnet,
    ExistingVpc,
};
use vpcform_net::findings::{Code, SynthError, SynthWarning};
use vpcform_net::prelude::*;
use vpcform_net::security::AclEntry;
use vpcform_net::traffic::PathKind;

/// The errors of `app`'s synthesis; none when it succeeds.
fn errors(app: &App) -> Vec<SynthError> {
    app.synth().err().map(|e| e.0).unwrap_or_default()
}

/// The code and construct of each error: what the tests assert (each code's text has its
/// snapshot in `finding.rs`).
fn codes(errors: &[SynthError]) -> Vec<(Code, Option<String>)> {
    errors
        .iter()
        .map(|e| (e.code(), e.construct().map(str::to_string)))
        .collect()
}

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
}

vpcform_net::topology! {
    stack Endpoints { vpc Landing }
}

#[derive(Clone)]
struct Setup {
    vpc_id: ExistingId,
    subnet_id: ExistingId,
    table_id: ExistingId,
    group_id: ExistingId,
    /// The existing table serves the subnet.
    table_serves_subnet: bool,
    /// The SQS endpoint's group: vpcform's (admitting the VPC) or only the existing one.
    own_group: bool,
    dns_support: Option<bool>,
    /// The subnet's network ACL, stated as facts: `None` leaves it unknown.
    acl: Option<(Vec<AclEntry>, Vec<AclEntry>)>,
}

/// The rules of a default network ACL AWS created and nobody changed.
fn default_acl() -> (Vec<AclEntry>, Vec<AclEntry>) {
    let all = AclEntry::allow(100, Port::all_traffic(), cidr!("0.0.0.0/0"));
    (vec![all.clone()], vec![all])
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            vpc_id: ExistingId::parameter(),
            subnet_id: ExistingId::id("subnet-0a1b2c3d4e5f60718"),
            table_id: ExistingId::ssm("/landing/private-routes"),
            group_id: ExistingId::id("sg-0a1b2c3d"),
            table_serves_subnet: true,
            own_group: true,
            dns_support: None,
            acl: Some(default_acl()),
        }
    }
}

/// An existing VPC, subnet, route table and group; an S3 gateway endpoint on the table, an SQS
/// interface endpoint in the subnet; flows from a workload in the subnet to S3, SQS and STS
/// (no endpoint).
fn app(s: Setup) -> App {
    let mut stack = Stack::<Endpoints>::new("Endpoints");
    // DNS attributes as a config gives them: known (with hostnames on) or not.
    let vpc = stack.add(
        "LandingVpc",
        ExistingVpc::<Landing>::builder()
            .id(s.vpc_id)
            .cidr(cidr!("10.20.0.0/16"))
            .dns_support_opt(s.dns_support)
            .dns_hostnames_opt(s.dns_support.map(|_| true))
            .build(),
    );
    let a = stack.add(
        "PrivateA",
        ExistingSubnet::builder()
            .vpc(&vpc)
            .id(s.subnet_id)
            .cidr(cidr!("10.20.1.0/24"))
            .availability_zone(Az::name("us-east-1a"))
            .build(),
    );
    if let Some((inbound, outbound)) = s.acl {
        stack.add(
            "LandingAcl",
            ExistingNetworkAcl::builder()
                .vpc(&vpc)
                .serves([&a])
                .inbound(inbound)
                .outbound(outbound)
                .build(),
        );
    }
    let serves: Vec<_> = if s.table_serves_subnet {
        vec![a.clone()]
    } else {
        Vec::new()
    };
    let routes = stack.add(
        "PrivateRoutes",
        ExistingRouteTable::builder()
            .vpc(&vpc)
            .id(s.table_id)
            .serves(serves)
            .build(),
    );
    let existing_sg = stack.add(
        "SharedSg",
        ExistingSecurityGroup::builder()
            .vpc(&vpc)
            .id(s.group_id)
            .build(),
    );
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .build(),
    );
    let groups = if s.own_group {
        vec![
            stack.add(
                "EndpointSg",
                SecurityGroup::builder()
                    .vpc(&vpc)
                    .ingress([Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.20.0.0/16")))])
                    .build(),
            ),
        ]
    } else {
        vec![existing_sg]
    };
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a])
            .security_groups(&groups)
            .build(),
    );
    let pods = stack.add("Pods", Workload::builder().subnets([&a]).build());
    let mut app = App::new("existing");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)));
    app.flow(Flow::new(&pods, services::Sqs, Port::tcp(443)));
    app.flow(Flow::new(&pods, services::Sts, Port::tcp(443)));
    app
}

fn parameter(template: &cfn::Template, name: &str) -> serde_json::Value {
    serde_json::to_value(&template.parameters()[name]).unwrap_or_default()
}

#[test]
fn existing_resources_are_typed_parameters_and_referenced_like_created_ones() {
    let assembly = app(Setup::default())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let template = assembly.stacks()[0].template();
    assert_eq!(
        parameter(template, "LandingVpc"),
        serde_json::json!({"Type": "AWS::EC2::VPC::Id", "Description": "Existing VPC Endpoints/LandingVpc (vpcform)"})
    );
    assert_eq!(
        parameter(template, "PrivateA"),
        serde_json::json!({"Type": "AWS::EC2::Subnet::Id", "Description": "Existing subnet Endpoints/PrivateA (vpcform)", "Default": "subnet-0a1b2c3d4e5f60718"})
    );
    assert_eq!(
        parameter(template, "PrivateRoutes"),
        serde_json::json!({"Type": "AWS::SSM::Parameter::Value<String>", "Description": "Existing route table Endpoints/PrivateRoutes (vpcform)", "Default": "/landing/private-routes"})
    );
    assert_eq!(
        parameter(template, "SharedSg")["Type"],
        "AWS::EC2::SecurityGroup::Id"
    );
    let resources = template.resources();
    // Only what the stack creates is a resource: no VPC, subnet, table, group or association.
    let mut types: Vec<&str> = resources.values().map(|r| r.resource_type()).collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::VPCEndpoint",
            "AWS::EC2::VPCEndpoint"
        ]
    );
    assert_eq!(
        resources["S3"].get("RouteTableIds"),
        Some(&cfn::Value::List(vec![cfn::Value::reference(
            "PrivateRoutes"
        )]))
    );
    assert_eq!(
        resources["Sqs"].get("VpcId"),
        Some(&cfn::Value::reference("LandingVpc"))
    );
    // The summary says which parameters need a value at deploy (only the one without default).
    let summary = assembly.summary("out".as_ref());
    assert!(
        summary
            .contains("    4 parameters (give at deploy: --parameters Endpoints:LandingVpc=…)\n"),
        "{summary}"
    );
}

#[test]
fn an_existing_vpcs_block_and_groups_id_are_values_not_attributes_of_a_parameter() {
    let mut stack = Stack::<Endpoints>::new("Endpoints");
    let vpc = stack.add(
        "LandingVpc",
        ExistingVpc::<Landing>::builder()
            .id(ExistingId::parameter())
            .cidr(cidr!("10.20.0.0/16"))
            .build(),
    );
    assert_eq!(vpc.cidr_block(), cfn::Value::from("10.20.0.0/16"));
    let sg = stack.add(
        "SharedSg",
        ExistingSecurityGroup::builder()
            .vpc(&vpc)
            .id(ExistingId::parameter())
            .build(),
    );
    assert_eq!(sg.group_id(), cfn::Value::reference("SharedSg"));
}

#[test]
fn existing_ids_and_ssm_names_are_checked() {
    let e = errors(&app(Setup {
        vpc_id: ExistingId::id("vpc-123"),
        subnet_id: ExistingId::id("sg-0a1b2c3d"),
        table_id: ExistingId::ssm("landing/routes"),
        group_id: ExistingId::ssm("/has space"),
        ..Setup::default()
    }));
    assert_eq!(
        codes(&e),
        [
            (Code::VF0803, at("Endpoints/LandingVpc")),
            (Code::VF0803, at("Endpoints/PrivateA")),
            (Code::VF0803, at("Endpoints/PrivateRoutes")),
            (Code::VF0803, at("Endpoints/SharedSg")),
        ],
        "{e:#?}"
    );
    // Each names the offending ID or name, and why: the kind's prefix, the leading `/`, the
    // character SSM refuses.
    let refused = |e: &SynthError, property: &str, refused: &str, why: &str| {
        matches!(e, SynthError::InvalidText { property: p, value, reason, .. }
            if *p == property && value == refused && reason.contains(why))
    };
    assert!(refused(&e[0], "Id", "vpc-123", " vpc- "), "{:?}", e[0]);
    assert!(
        refused(&e[1], "Id", "sg-0a1b2c3d", " subnet- "),
        "{:?}",
        e[1]
    );
    assert!(refused(&e[2], "Ssm", "landing/routes", " /"), "{:?}", e[2]);
    assert!(refused(&e[3], "Ssm", "/has space", "' '"), "{:?}", e[3]);
    let deep = format!("/{}", vec!["l"; 16].join("/"));
    let e = errors(&app(Setup {
        table_id: ExistingId::ssm(&deep),
        ..Setup::default()
    }));
    assert_eq!(
        codes(&e),
        [(Code::VF0803, at("Endpoints/PrivateRoutes"))],
        "{e:#?}"
    );
    assert!(refused(&e[0], "Ssm", &deep, "16 levels"), "{:?}", e[0]);
    let fifteen = format!("/{}", vec!["l"; 15].join("/"));
    assert!(
        errors(&app(Setup {
            table_id: ExistingId::ssm(&fifteen),
            vpc_id: ExistingId::id("vpc-0a1b2c3d"),
            ..Setup::default()
        }))
        .is_empty()
    );
}

/// Each flow's first subnet: path, reason, fix.
fn flows(s: Setup) -> Vec<(PathKind, String, String)> {
    let assembly = app(s).synth().unwrap_or_else(|e| panic!("{e}"));
    assembly
        .traffic()
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
fn what_depends_on_unknown_routes_or_rules_is_unknown_not_unreachable() {
    let f = flows(Setup::default());
    assert_eq!(f[0].0, PathKind::GatewayEndpoint, "{f:?}");
    assert_eq!(f[1].0, PathKind::InterfaceEndpoint, "{f:?}");
    assert_eq!(f[2].0, PathKind::Unknown, "{f:?}");
    assert!(
        f[2].1.starts_with(
            "route table Endpoints/PrivateRoutes is an existing one: vpcform knows no endpoint \
             for sts and no 0.0.0.0/0 route on it, and its other routes are unknown"
        ),
        "{}",
        f[2].1
    );
    assert!(
        f[2].2.contains("add an InterfaceEndpoint for sts"),
        "{}",
        f[2].2
    );

    // The table does not say it serves the subnet: the subnet's table is unknown, so S3's
    // gateway endpoint is not known to apply either.
    let f = flows(Setup {
        table_serves_subnet: false,
        ..Setup::default()
    });
    assert_eq!(f[0].0, PathKind::Unknown, "{f:?}");
    assert!(f[0].1.contains("is an existing one"), "{}", f[0].1);

    // Only the existing group on the endpoint: its rules decide, unknown.
    let f = flows(Setup {
        own_group: false,
        ..Setup::default()
    });
    assert_eq!(f[1].0, PathKind::Unknown, "{f:?}");
    assert!(
        f[1].1.starts_with(
            "whether 10.20.1.0/24 is admitted on TCP 443 depends on existing security group \
             Endpoints/SharedSg"
        ),
        "{}",
        f[1].1
    );
}

#[test]
fn an_existing_subnets_network_acl_unstated_is_unknown_and_stated_decides() {
    // Unstated: whatever leaves the subnet may be denied (the SQS endpoint shares the
    // subnet: its traffic does not cross the ACL).
    let f = flows(Setup {
        acl: None,
        ..Setup::default()
    });
    assert_eq!(f[0].0, PathKind::Unknown, "{f:?}");
    assert!(
        f[0].1
            .starts_with("the network ACL of existing subnet Endpoints/PrivateA is unknown"),
        "{}",
        f[0].1
    );
    assert!(f[0].2.contains("ExistingNetworkAcl"), "{}", f[0].2);
    assert_eq!(f[1].0, PathKind::InterfaceEndpoint, "{f:?}");
    // Stated, and allowing only the VPC's block out: S3's public addresses are denied.
    let vpc_only = AclEntry::allow(100, Port::all_traffic(), cidr!("10.20.0.0/16"));
    let f = flows(Setup {
        acl: Some((vec![vpc_only.clone()], vec![vpc_only])),
        ..Setup::default()
    });
    assert_eq!(f[0].0, PathKind::Unreachable, "{f:?}");
    assert!(
        f[0].1.starts_with(
            "no outbound rule of network ACL Endpoints/LandingAcl of Endpoints/PrivateA allows \
             the request on TCP 443 to the destination's public addresses"
        ),
        "{}",
        f[0].1
    );
}

#[test]
fn unknown_is_not_private() {
    let mut app = app(Setup::default());
    app.require_private_traffic();
    let e = errors(&app);
    assert_eq!(codes(&e), [(Code::VF1003, None)], "{e:#?}");
    assert!(
        matches!(&e[0], SynthError::TrafficNotPrivate { path, .. } if path == "UNKNOWN"),
        "{:?}",
        e[0]
    );
}

#[test]
fn a_stated_dns_attribute_is_checked_an_unstated_one_is_not_assumed_off() {
    let e = errors(&app(Setup {
        dns_support: Some(false),
        ..Setup::default()
    }));
    assert_eq!(codes(&e), [(Code::VF0211, at("Endpoints/Sqs"))], "{e:#?}");
    assert!(
        matches!(&e[0], SynthError::PrivateDnsWithoutVpcDns { vpc, attribute, .. }
            if vpc == "Endpoints/LandingVpc" && *attribute == "enableDnsSupport"),
        "{:?}",
        e[0]
    );
    // Unstated: not an error, a warning on the endpoint with private DNS (SQS).
    assert!(errors(&app(Setup::default())).is_empty());
    // (Besides the single-AZ warning every run of this app has.)
    let dns_warnings = |s: Setup| -> Vec<SynthWarning> {
        match app(s).synth() {
            Ok(assembly) => assembly
                .warnings()
                .iter()
                .filter(|w| w.code() == Code::VF0811)
                .cloned()
                .collect(),
            Err(e) => panic!("{e}"),
        }
    };
    let w = dns_warnings(Setup::default());
    assert_eq!(
        w,
        [SynthWarning::VpcDnsUnknown {
            construct: "Endpoints/Sqs".into(),
            vpc: "Endpoints/LandingVpc".into(),
        }]
    );
    assert!(
        dns_warnings(Setup {
            dns_support: Some(true),
            ..Setup::default()
        })
        .is_empty()
    );
}

#[test]
fn an_existing_acls_rules_serve_a_created_subnet_only_as_the_vpcs_default() {
    let build = |default_acl: bool| {
        let mut stack = Stack::<Endpoints>::new("Endpoints");
        let vpc = stack.add(
            "LandingVpc",
            ExistingVpc::<Landing>::builder()
                .id(ExistingId::parameter())
                .cidr(cidr!("10.20.0.0/16"))
                .build(),
        );
        let created = stack.add(
            "EndpointsA",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.20.9.0/24"))
                .availability_zone(Az::name("us-east-1a"))
                .build(),
        );
        let routes = stack.add(
            "Routes",
            RouteTable::builder().vpc(&vpc).subnets([&created]).build(),
        );
        stack.add(
            "S3",
            GatewayEndpoint::builder()
                .vpc(&vpc)
                .service(services::S3)
                .route_tables([&routes])
                .build(),
        );
        let vpc_only = AclEntry::allow(100, Port::all_traffic(), cidr!("10.20.0.0/16"));
        stack.add(
            "LandingAcl",
            ExistingNetworkAcl::builder()
                .vpc(&vpc)
                .serves([&created])
                .inbound([vpc_only.clone()])
                .outbound([vpc_only])
                .default_acl(default_acl)
                .build(),
        );
        let pods = stack.add("Pods", Workload::builder().subnets([&created]).build());
        let mut app = App::new("existing");
        app.add_stack(stack);
        app.flow(Flow::new(&pods, services::S3, Port::tcp(443)));
        app
    };
    // Not the default: nothing associates the created subnet with it.
    assert_eq!(
        codes(&errors(&build(false))),
        [(Code::VF0433, at("Endpoints/LandingAcl"))]
    );
    // The VPC's default: the created subnet uses it, and its rules decide (S3 is public).
    let assembly = build(true).synth().unwrap_or_else(|e| panic!("{e}"));
    let s3 = &assembly.traffic().flows[0].subnets[0];
    assert_eq!(s3.path, PathKind::Unreachable, "{s3:?}");
    assert!(
        s3.reason
            .as_deref()
            .is_some_and(|r| r.contains("network ACL Endpoints/LandingAcl")),
        "{s3:?}"
    );
}
