//! VPC Lattice resources: a resource gateway and configuration in a data VPC, a resource
//! endpoint in a consumer VPC of another stack — their rules and their templates.

use vpcform_net::cfn;
use vpcform_net::findings::{Code, SynthError};
use vpcform_net::lattice::{
    LatticeResource, ResourceConfiguration, ResourceEndpoint, ResourceGateway,
};
use vpcform_net::prelude::*;

include!("common/lattice_data.rs");
include!("common/errors.rs");

vpcform_net::topology! {
    stack Data { vpc DataVpc }
    stack Consumer { vpc AppVpc }
}

#[derive(Clone)]
struct Setup {
    gateway_name: &'static str,
    configuration_name: &'static str,
    resource: LatticeResource,
    ports: Vec<(u16, u16)>,
    endpoint_az: u32,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            gateway_name: "data-gateway",
            configuration_name: "orders-db",
            resource: LatticeResource::ip("10.5.1.20"),
            ports: vec![(5432, 5432)],
            endpoint_az: 0,
        }
    }
}

fn app(s: Setup) -> App {
    let (mut data, gateway) = data_stack(s.gateway_name);
    let db = data.add(
        "Database",
        ResourceConfiguration::builder()
            .name(s.configuration_name)
            .gateway(&gateway)
            .resource(s.resource)
            .ports(s.ports)
            .build(),
    );
    let arn = data.export("DatabaseArn", &db);
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
    let imported = consumer.import(&arn);
    consumer.add(
        "OrdersDb",
        ResourceEndpoint::builder()
            .vpc(&app_vpc)
            .resource(imported)
            .subnets([&b])
            .build(),
    );
    let mut app = App::new("lattice");
    app.add_stack(consumer);
    app.add_stack(data);
    app
}

fn errors(s: Setup) -> Vec<SynthError> {
    synth_errors(&app(s))
}

#[test]
fn gateway_configuration_and_endpoint_are_rendered_and_ordered() {
    let assembly = app(Setup::default())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let order: Vec<&str> = assembly.stacks().iter().map(|s| s.name()).collect();
    assert_eq!(order, ["Data", "Consumer"]);
    let data = assembly.stack("Data").unwrap_or_else(|| panic!("no Data"));
    let json = data.template().to_json_compact().unwrap_or_default();
    assert!(
        json.contains(r#""Database":{"Type":"AWS::VpcLattice::ResourceConfiguration","Properties":{"Name":"orders-db","ResourceConfigurationType":"SINGLE","ResourceGatewayId":{"Fn::GetAtt":["Gateway","Id"]},"ProtocolType":"TCP","PortRanges":["5432"],"ResourceConfigurationDefinition":{"IpResource":"10.5.1.20"},"Tags":[{"Key":"Name","Value":"Data/Database"}]}}"#),
        "{json}"
    );
    assert!(
        json.contains(
            r#""Value":{"Fn::GetAtt":["Database","Arn"]},"Export":{"Name":"Data-DatabaseArn"}"#
        ),
        "{json}"
    );
    let consumer = assembly
        .stack("Consumer")
        .unwrap_or_else(|| panic!("no Consumer"));
    let endpoint = &consumer.template().resources()["OrdersDb"];
    assert_eq!(
        endpoint.get("VpcEndpointType"),
        Some(&cfn::Value::from("Resource"))
    );
    assert_eq!(
        endpoint.get("ResourceConfigurationArn"),
        Some(&cfn::Value::import_value("Data-DatabaseArn"))
    );
}

#[test]
fn names_addresses_and_ports_are_checked() {
    let e = errors(Setup {
        gateway_name: "rgw-data",
        configuration_name: "Orders_DB",
        resource: LatticeResource::ip("10.9.0.1"),
        ports: vec![(0, 10), (6000, 5000)],
        ..Setup::default()
    });
    assert_eq!(
        codes(&e),
        [
            (Code::VF0803, Some("Data/Gateway")),
            (Code::VF0803, Some("Data/Database")),
            (Code::VF0803, Some("Data/Database")),
            (Code::VF0803, Some("Data/Database")),
            (Code::VF0803, Some("Data/Database")),
        ],
        "{e:#?}"
    );
    // The gateway's name is refused for AWS's own prefix, the address for lying outside the
    // gateway's VPC (named with its block).
    assert!(
        matches!(text(&e[0]), Some(("Name", "rgw-data", reason)) if reason.contains("rgw-")),
        "{:?}",
        e[0]
    );
    assert!(
        matches!(text(&e[1]), Some(("Name", "Orders_DB", _))),
        "{:?}",
        e[1]
    );
    assert!(
        matches!(text(&e[2]), Some(("PortRanges", "0-10", _))),
        "{:?}",
        e[2]
    );
    assert!(
        matches!(text(&e[3]), Some(("PortRanges", "6000-5000", _))),
        "{:?}",
        e[3]
    );
    assert!(
        matches!(text(&e[4]), Some(("IpResource", "10.9.0.1", reason))
            if reason.contains("Data/DataVpc") && reason.contains("10.5.0.0/16")),
        "{:?}",
        e[4]
    );
    let e = errors(Setup {
        resource: LatticeResource::dns("x"),
        ports: vec![],
        ..Setup::default()
    });
    assert_eq!(
        codes(&e),
        [
            (Code::VF0805, Some("Data/Database")),
            (Code::VF0803, Some("Data/Database")),
        ],
        "{e:#?}"
    );
    assert!(
        matches!(
            &e[0],
            SynthError::Empty {
                property: "PortRanges",
                ..
            }
        ),
        "{:?}",
        e[0]
    );
    assert!(
        matches!(text(&e[1]), Some(("DnsResource.DomainName", "x", _))),
        "{:?}",
        e[1]
    );
}

#[test]
fn the_endpoint_shares_a_zone_with_the_gateway() {
    let e = errors(Setup {
        endpoint_az: 1,
        ..Setup::default()
    });
    assert_eq!(
        codes(&e),
        [(Code::VF0803, Some("Consumer/OrdersDb"))],
        "{e:#?}"
    );
    assert!(
        matches!(text(&e[0]), Some(("SubnetIds", "AZ #1 of the region", reason))
            if reason.contains("Data/Gateway") && reason.contains("AZ #0 of the region")),
        "{:?}",
        e[0]
    );
}

/// The consumer's workload and flows to the database on `port`, with the endpoint's group
/// admitting `admitted`.
fn flow_to_db(
    port: u16,
    admitted: &str,
    with_endpoint: bool,
) -> (vpcform_net::traffic::PathKind, String) {
    let (mut data, gateway) = data_stack("data-gateway");
    let db = data.add(
        "Database",
        ResourceConfiguration::builder()
            .name("orders-db")
            .gateway(&gateway)
            .resource(LatticeResource::ip("10.5.1.20"))
            .ports([(5432, 5433)])
            .build(),
    );
    let arn = data.export("DatabaseArn", &db);
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
            .availability_zone(Az::index(0))
            .build(),
    );
    let sg = consumer.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&app_vpc)
            .ingress([Rule::new(Port::tcp(port), Peer::ipv4(admitted))])
            .build(),
    );
    if with_endpoint {
        let imported = consumer.import(&arn);
        consumer.add(
            "OrdersDb",
            ResourceEndpoint::builder()
                .vpc(&app_vpc)
                .resource(imported)
                .subnets([&b])
                .security_groups([&sg])
                .build(),
        );
    }
    let pods = consumer.add("Pods", Workload::builder().subnets([&b]).build());
    let mut app = App::new("lattice");
    app.add_stack(data);
    app.add_stack(consumer);
    app.flow(Flow::new(&pods, &db, Port::tcp(port)));
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let subnet = assembly.traffic().flows[0].subnets[0].clone();
    (subnet.path, subnet.reason.unwrap_or_default())
}

#[test]
fn a_flow_reaches_a_lattice_resource_through_its_endpoint_or_says_why_not() {
    use vpcform_net::traffic::PathKind;
    let (path, reason) = flow_to_db(5433, "10.6.0.0/16", true);
    assert_eq!(path, PathKind::LatticeEndpoint, "{reason}");
    let (path, reason) = flow_to_db(443, "10.6.0.0/16", true);
    assert_eq!(path, PathKind::Unreachable);
    assert!(
        reason.starts_with("resource configuration Data/Database does not offer TCP 443"),
        "{reason}"
    );
    let (path, reason) = flow_to_db(5432, "10.7.0.0/16", true);
    assert_eq!(path, PathKind::Unreachable);
    assert!(reason.contains("does not admit 10.6.1.0/24"), "{reason}");
    let (path, reason) = flow_to_db(5432, "10.6.0.0/16", false);
    assert_eq!(path, PathKind::Unreachable);
    assert!(
        reason.starts_with(
            "no resource endpoint to Data/Database and no service network endpoint to a network \
             it joins in VPC Consumer/AppVpc"
        ),
        "{reason}"
    );
}

#[test]
fn a_resource_gateway_takes_at_most_five_security_groups() {
    let with_groups = |n: usize| -> Vec<SynthError> {
        let mut data = Stack::<Data>::new("Data");
        let vpc = data.add(
            "DataVpc",
            Vpc::<DataVpc>::builder().cidr(cidr!("10.5.0.0/16")).build(),
        );
        let a = data.add(
            "DataA",
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr!("10.5.1.0/24"))
                .availability_zone(Az::index(0))
                .build(),
        );
        let groups: Vec<_> = (0..n)
            .map(|i| {
                data.add(
                    &format!("Sg{i}"),
                    SecurityGroup::builder().vpc(&vpc).build(),
                )
            })
            .collect();
        data.add(
            "Gateway",
            ResourceGateway::builder()
                .name("data-gateway")
                .vpc(&vpc)
                .subnets([&a])
                .security_groups(&groups)
                .build(),
        );
        let mut app = App::new("groups");
        app.add_stack(data);
        synth_errors(&app)
    };
    assert!(with_groups(5).is_empty());
    let e = with_groups(6);
    assert_eq!(codes(&e), [(Code::VF0804, Some("Data/Gateway"))], "{e:#?}");
    assert!(
        matches!(
            &e[0],
            SynthError::OutOfBounds {
                property: "SecurityGroupIds",
                value: 6,
                min: 0,
                max: 5,
                ..
            }
        ),
        "{:?}",
        e[0]
    );
}
