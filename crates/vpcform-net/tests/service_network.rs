//! VPC Lattice service networks: a database joins a network in its data stack, a consumer
//! VPC of another stack reaches it through one service-network endpoint — the rules, the
//! templates and the traffic analysis.

use vpcform_net::cfn;
use vpcform_net::findings::{Code, SynthError, SynthWarning};
use vpcform_net::lattice::{
    LatticeResource, ResourceConfiguration, ServiceNetwork, ServiceNetworkEndpoint,
    ServiceNetworkResourceAssociation,
};
use vpcform_net::prelude::*;
use vpcform_net::traffic::PathKind;

include!("common/lattice_data.rs");
include!("common/errors.rs");

vpcform_net::topology! {
    stack Data { vpc DataVpc }
    stack Consumer { vpc AppVpc }
}

#[derive(Clone)]
struct Setup {
    network_name: String,
    shareable: bool,
    configuration_allows_shareable: bool,
    associated: bool,
    endpoint_az: u32,
    admitted: &'static str,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            network_name: "databases".into(),
            shareable: false,
            configuration_allows_shareable: false,
            associated: true,
            endpoint_az: 0,
            admitted: "10.6.0.0/16",
        }
    }
}

/// Data: a database behind a resource gateway in AZ 0, in service network `Databases`.
/// Consumer: a workload in `AppA` and an endpoint to the network, its group admitting
/// `s.admitted` on 5432–5433; a flow from the workload to the database on `port`.
fn app(s: Setup, port: u16) -> App {
    let (mut data, gateway) = data_stack("data-gateway");
    let db = data.add(
        "Database",
        ResourceConfiguration::builder()
            .name("orders-db")
            .gateway(&gateway)
            .resource(LatticeResource::ip("10.5.1.20"))
            .ports([(5432, 5432)])
            .shareable_service_networks(s.configuration_allows_shareable)
            .build(),
    );
    let network = data.add(
        "Databases",
        ServiceNetwork::builder()
            .name(s.network_name)
            .shareable(s.shareable)
            .build(),
    );
    if s.associated {
        data.add(
            "DatabaseInNetwork",
            ServiceNetworkResourceAssociation::builder()
                .service_network(&network)
                .resource(&db)
                .build(),
        );
    }
    let arn = data.export("DatabasesArn", &network);

    let mut consumer = Stack::<Consumer>::new("Consumer");
    let app_vpc = consumer.add(
        "AppVpc",
        Vpc::<AppVpc>::builder().cidr(cidr!("10.6.0.0/16")).build(),
    );
    let b = consumer.add(
        "AppA",
        Subnet::builder()
            .vpc(&app_vpc)
            .cidr(cidr!("10.6.1.0/24"))
            .availability_zone(Az::index(s.endpoint_az))
            .build(),
    );
    let sg = consumer.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&app_vpc)
            .ingress([Rule::new(
                Port::tcp_range(5432, 5433),
                Peer::ipv4(s.admitted),
            )])
            .build(),
    );
    let imported = consumer.import(&arn);
    consumer.add(
        "DatabasesEndpoint",
        ServiceNetworkEndpoint::builder()
            .vpc(&app_vpc)
            .service_network(imported)
            .subnets([&b])
            .security_groups([&sg])
            .build(),
    );
    let pods = consumer.add("Pods", Workload::builder().subnets([&b]).build());
    let mut app = App::new("lattice");
    app.add_stack(consumer);
    app.add_stack(data);
    app.flow(Flow::new(&pods, &db, Port::tcp(port)));
    app
}

/// The synthesis errors, as data: tests assert their codes, constructs and values (each code's
/// text has its own snapshot in `finding.rs`).
fn errors(s: Setup) -> Vec<SynthError> {
    app(s, 5432).synth().err().map(|e| e.0).unwrap_or_default()
}

/// The synthesis warnings; the synthesis must succeed.
fn warnings(s: Setup) -> Vec<SynthWarning> {
    match app(s, 5432).synth() {
        Ok(assembly) => assembly.warnings().to_vec(),
        Err(e) => panic!("{e}"),
    }
}

/// The flow's path and reason, and the fix.
fn flow(s: Setup, port: u16) -> (PathKind, String, String) {
    let assembly = app(s, port).synth().unwrap_or_else(|e| panic!("{e}"));
    let subnet = assembly.traffic().flows[0].subnets[0].clone();
    (
        subnet.path,
        subnet.reason.unwrap_or_default(),
        subnet.fix.unwrap_or_default(),
    )
}

#[test]
fn network_association_and_endpoint_are_rendered() {
    let assembly = app(Setup::default(), 5432)
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let order: Vec<&str> = assembly.stacks().iter().map(|s| s.name()).collect();
    assert_eq!(order, ["Data", "Consumer"]);
    let data = assembly.stack("Data").unwrap_or_else(|| panic!("no Data"));
    let json = data.template().to_json_compact().unwrap_or_default();
    assert!(
        json.contains(r#""Databases":{"Type":"AWS::VpcLattice::ServiceNetwork","Properties":{"Name":"databases","AuthType":"NONE","SharingConfig":{"enabled":false},"Tags":[{"Key":"Name","Value":"Data/Databases"}]}}"#),
        "{json}"
    );
    assert!(
        json.contains(r#""DatabaseInNetwork":{"Type":"AWS::VpcLattice::ServiceNetworkResourceAssociation","Properties":{"ServiceNetworkId":{"Fn::GetAtt":["Databases","Arn"]},"ResourceConfigurationId":{"Fn::GetAtt":["Database","Id"]},"#),
        "{json}"
    );
    assert!(
        !json.contains("AllowAssociationToSharableServiceNetwork"),
        "{json}"
    );
    assert!(
        json.contains(
            r#""Value":{"Fn::GetAtt":["Databases","Arn"]},"Export":{"Name":"Data-DatabasesArn"}"#
        ),
        "{json}"
    );
    let consumer = assembly
        .stack("Consumer")
        .unwrap_or_else(|| panic!("no Consumer"));
    let endpoint = &consumer.template().resources()["DatabasesEndpoint"];
    assert_eq!(
        endpoint.get("VpcEndpointType"),
        Some(&cfn::Value::from("ServiceNetwork"))
    );
    assert_eq!(
        endpoint.get("ServiceNetworkArn"),
        Some(&cfn::Value::import_value("Data-DatabasesArn"))
    );
    assert_eq!(endpoint.get("ServiceName"), None);
    assert_eq!(
        endpoint.get("SecurityGroupIds"),
        Some(&cfn::Value::List(vec![cfn::Value::reference("EndpointSg")]))
    );
}

#[test]
fn a_service_network_name_is_checked() {
    for (name, bad) in [
        ("abc", false),
        ("ab", true),
        (&"a".repeat(63), false),
        (&"a".repeat(64), true),
        ("servicenetwork-db", true),
        ("Databases", true),
        ("data--bases", true),
    ] {
        let e = errors(Setup {
            network_name: name.to_string(),
            ..Setup::default()
        });
        if bad {
            assert_eq!(
                codes(&e),
                [(Code::VF0803, Some("Data/Databases"))],
                "{name}: {e:#?}"
            );
            assert!(
                matches!(&e[0], SynthError::InvalidText { property: "Name", value, .. } if value == name),
                "{:?}",
                e[0]
            );
        } else {
            assert!(e.is_empty(), "{name}: {e:#?}");
        }
    }
}

#[test]
fn only_a_configuration_that_allows_it_joins_a_shareable_network() {
    let e = errors(Setup {
        shareable: true,
        ..Setup::default()
    });
    assert_eq!(
        codes(&e),
        [(Code::VF0803, Some("Data/DatabaseInNetwork"))],
        "{e:#?}"
    );
    // Names the shareable network, and the fix on the configuration.
    assert!(
        matches!(&e[0], SynthError::InvalidText { property: "ResourceConfigurationId", value, reason, .. }
            if value == "Data/Database"
                && reason.contains("Data/Databases")
                && reason.contains(".shareable_service_networks(true)")),
        "{:?}",
        e[0]
    );
    let allowed = Setup {
        shareable: true,
        configuration_allows_shareable: true,
        ..Setup::default()
    };
    assert!(errors(allowed.clone()).is_empty());
    let assembly = app(allowed, 5432).synth().unwrap_or_else(|e| panic!("{e}"));
    let data = assembly.stack("Data").unwrap_or_else(|| panic!("no Data"));
    let resources = data.template().resources();
    assert_eq!(
        resources["Database"].get("AllowAssociationToSharableServiceNetwork"),
        Some(&cfn::Value::Bool(true))
    );
    let sharing = resources["Databases"]
        .get("SharingConfig")
        .and_then(|v| match v {
            cfn::Value::Map(map) => map.get("enabled").cloned(),
            _ => None,
        });
    assert_eq!(sharing, Some(cfn::Value::Bool(true)));
    // Not shareable: a configuration that allows shareable networks joins it all the same.
    assert!(
        errors(Setup {
            configuration_allows_shareable: true,
            ..Setup::default()
        })
        .is_empty()
    );
}

#[test]
fn an_endpoint_sharing_no_zone_with_a_member_gateway_is_warned_about() {
    let setup = Setup {
        endpoint_az: 1,
        ..Setup::default()
    };
    let w = warnings(setup.clone());
    assert_eq!(
        w.iter()
            .map(|w| (w.code(), w.construct()))
            .collect::<Vec<_>>(),
        [(Code::VF0710, Some("Consumer/DatabasesEndpoint"))],
        "{w:#?}"
    );
    assert!(
        matches!(&w[0], SynthWarning::LatticeZoneMismatch { zones, resource, gateway, gateway_zones, .. }
            if zones == "AZ #1 of the region"
                && resource == "Data/Database"
                && gateway == "Data/Gateway"
                && gateway_zones == "AZ #0 of the region"),
        "{:?}",
        w[0]
    );
    let (path, reason, fix) = flow(setup, 5432);
    assert_eq!(path, PathKind::Unreachable);
    assert!(
        reason.starts_with(
            "service network endpoint Consumer/DatabasesEndpoint (AZ #1 of the region) shares no \
             zone with the resource gateway of Data/Database (AZ #0 of the region)"
        ),
        "{reason}"
    );
    assert!(
        fix.contains("add a subnet in one of the gateway's zones"),
        "{fix}"
    );
    // Same zone: no warning.
    assert!(warnings(Setup::default()).is_empty());
}

#[test]
fn a_flow_reaches_a_resource_through_its_service_network_or_says_why_not() {
    let (path, reason, _) = flow(Setup::default(), 5432);
    assert_eq!(path, PathKind::LatticeEndpoint, "{reason}");

    let (path, reason, fix) = flow(
        Setup {
            associated: false,
            ..Setup::default()
        },
        5432,
    );
    assert_eq!(path, PathKind::Unreachable);
    assert!(
        reason.starts_with(
            "resource configuration Data/Database has no association with service network \
             Data/Databases, the one endpoint Consumer/DatabasesEndpoint reaches"
        ),
        "{reason}"
    );
    assert_eq!(
        fix,
        "add a ServiceNetworkResourceAssociation of Data/Database with service network \
         Data/Databases"
    );

    let (path, reason, _) = flow(
        Setup {
            admitted: "10.7.0.0/16",
            ..Setup::default()
        },
        5432,
    );
    assert_eq!(path, PathKind::Unreachable);
    assert!(reason.contains("does not admit 10.6.1.0/24"), "{reason}");

    let (path, reason, _) = flow(Setup::default(), 5433);
    assert_eq!(path, PathKind::Unreachable);
    assert!(
        reason.starts_with("resource configuration Data/Database does not offer TCP 5433"),
        "{reason}"
    );
}
