//! One cause, one finding (issue 23), on the landing-zone shape where one mistake used to
//! give many: a hub with a transit gateway and centralized interface endpoints, spokes as
//! run-time stacks named by configuration.

use vpcform_net::findings::SynthError;
use vpcform_net::handles::{DynamicStack, DynamicVpc};
use vpcform_net::prelude::*;
use vpcform_net::vpc::SubnetRef;
use vpcform_net::vpc::VpcRef;

const HTTPS: Port = Port::tcp(443);

/// The hub's interface endpoints.
const SERVICES: [&str; 5] = ["sts", "ecr.api", "ecr.dkr", "logs", "ssm"];

/// What a landing zone is built from: the spokes' names and blocks, the hub's subnets' zones.
struct Shape {
    spokes: Vec<(&'static str, &'static str)>,
    /// The zone index of each of the hub's two subnets.
    hub_zones: [u32; 2],
    /// The block the hub's endpoints' security group admits.
    admitted: &'static str,
    /// The hub's route back to the spokes, if any.
    hub_return: Option<&'static str>,
}

impl Default for Shape {
    fn default() -> Shape {
        Shape {
            spokes: vec![("TeamA", "10.1.0.0/16"), ("TeamB", "10.2.0.0/16")],
            hub_zones: [0, 1],
            admitted: "10.0.0.0/8",
            hub_return: Some("10.0.0.0/8"),
        }
    }
}

fn subnet(
    stack: &mut Stack<DynamicStack>,
    id: &str,
    vpc: &VpcRef<DynamicVpc>,
    cidr: &str,
    az: u32,
) -> SubnetRef<DynamicVpc> {
    stack.add(
        id,
        Subnet::builder()
            .vpc(vpc)
            .cidr(cidr)
            .availability_zone(Az::index(az))
            .build(),
    )
}

/// The landing zone: `Hub` (the transit gateway, its attachment, an NLB, the centralized
/// endpoints and their zones) and one stack per spoke (a VPC, two subnets, the attachment,
/// a route to the hub, a gateway endpoint, pods).
fn landing_zone(shape: &Shape) -> App {
    let mut network = Stack::<DynamicStack>::new("Network");
    let tgw = network.add("Tgw", TransitGateway::builder().build());
    let tgw_id = network.export("TransitGatewayId", &tgw);
    let mut hub = Stack::<DynamicStack>::new("Hub");
    let hub_tgw = hub.import(&tgw_id);
    let vpc = hub.add(
        "HubVpc",
        Vpc::<DynamicVpc>::builder().cidr("10.0.0.0/16").build(),
    );
    let h1 = subnet(&mut hub, "HubA", &vpc, "10.0.1.0/24", shape.hub_zones[0]);
    let h2 = subnet(&mut hub, "HubB", &vpc, "10.0.2.0/24", shape.hub_zones[1]);
    let attachment = hub.add(
        "HubAttachment",
        TransitGatewayAttachment::builder()
            .vpc(&vpc)
            .transit_gateway(hub_tgw)
            .subnets([&h1, &h2])
            .build(),
    );
    let routes = hub.add(
        "HubRoutes",
        RouteTable::builder().vpc(&vpc).subnets([&h1, &h2]).build(),
    );
    if let Some(destination) = shape.hub_return {
        hub.add(
            "HubToSpokes",
            Route::builder()
                .route_table(&routes)
                .destination(destination)
                .target(&attachment)
                .build(),
        );
    }
    let sg = hub.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(HTTPS, Peer::ipv4(shape.admitted))])
            .build(),
    );
    hub.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&h1, &h2])
            .security_groups([&sg])
            .build(),
    );
    let mut zones = Vec::new();
    for service in SERVICES {
        let id: String = service
            .split('.')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect();
        let endpoint = hub.add(
            &format!("{id}Endpoint"),
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(vpcform_net::services::ByName::new(service))
                .subnets([&h1, &h2])
                .security_groups([&sg])
                .private_dns(false)
                .build(),
        );
        zones.push((id, endpoint));
    }
    let mut app = App::new("landing-zone");
    app.add_stack(network);
    let mut spoke_ids = Vec::new();
    for (name, cidr) in &shape.spokes {
        let mut spoke = Stack::<DynamicStack>::new(*name);
        let spoke_vpc = spoke.add(
            &format!("{name}Vpc"),
            Vpc::<DynamicVpc>::builder().cidr(*cidr).build(),
        );
        let base = &cidr[..cidr.len() - "0.0/16".len()];
        let w1 = subnet(
            &mut spoke,
            &format!("{name}WorkA"),
            &spoke_vpc,
            &format!("{base}1.0/24"),
            0,
        );
        let w2 = subnet(
            &mut spoke,
            &format!("{name}WorkB"),
            &spoke_vpc,
            &format!("{base}2.0/24"),
            1,
        );
        let spoke_tgw = spoke.import(&tgw_id);
        let attachment = spoke.add(
            &format!("{name}Attachment"),
            TransitGatewayAttachment::builder()
                .vpc(&spoke_vpc)
                .transit_gateway(spoke_tgw)
                .subnets([&w1, &w2])
                .build(),
        );
        let routes = spoke.add(
            &format!("{name}Routes"),
            RouteTable::builder()
                .vpc(&spoke_vpc)
                .subnets([&w1, &w2])
                .build(),
        );
        spoke.add(
            &format!("{name}ToHub"),
            Route::builder()
                .route_table(&routes)
                .destination("10.0.0.0/16")
                .target(&attachment)
                .build(),
        );
        spoke.add(
            &format!("{name}S3"),
            GatewayEndpoint::builder()
                .vpc(&spoke_vpc)
                .service(services::S3)
                .route_tables([&routes])
                .build(),
        );
        let pods = spoke.add(
            &format!("{name}Pods"),
            Workload::builder().subnets([&w1, &w2]).build(),
        );
        spoke_ids.push(spoke.export("VpcId", &spoke_vpc));
        app.add_stack(spoke);
        for service in SERVICES {
            app.flow(Flow::new(
                &pods,
                vpcform_net::services::ByName::new(service),
                HTTPS,
            ));
        }
    }
    for (id, endpoint) in zones {
        let mut vpcs = vec![ZoneVpc::of(&vpc)];
        for spoke_id in &spoke_ids {
            vpcs.push(ZoneVpc::of(hub.import(spoke_id)));
        }
        hub.add(
            &format!("{id}Zone"),
            PrivateHostedZone::builder()
                .endpoint(&endpoint)
                .vpcs(vpcs)
                .build(),
        );
    }
    app.add_stack(hub);
    app.require_private_traffic();
    app
}

/// Every error of `app`'s synthesis, which must fail.
fn errors(app: &App) -> vpcform_net::findings::SynthErrors {
    match app.synth() {
        Ok(_) => panic!("synthesized a landing zone with a mistake"),
        Err(e) => e,
    }
}

#[test]
fn the_landing_zone_synthesizes() {
    if let Err(e) = landing_zone(&Shape::default()).synth() {
        panic!("{e}");
    }
}

#[test]
fn a_hyphen_in_a_spoke_name_is_one_finding_on_the_name_listing_its_ids() {
    let shape = Shape {
        spokes: vec![("team-a", "10.1.0.0/16"), ("TeamB", "10.2.0.0/16")],
        ..Shape::default()
    };
    let errors = errors(&landing_zone(&shape));
    let found: Vec<(&str, &str, &[String])> = errors
        .errors()
        .iter()
        .map(|e| match e {
            SynthError::InvalidId {
                stack, id, also, ..
            } => (stack.as_str(), id.as_str(), &also[..]),
            other => panic!("not an invalid ID: {other}"),
        })
        .collect();
    // The spoke's eight constructs used to be eight findings.
    let others: Vec<String> = [
        "WorkA",
        "WorkB",
        "Attachment",
        "Routes",
        "ToHub",
        "S3",
        "Pods",
    ]
    .iter()
    .map(|suffix| format!("team-a{suffix}"))
    .collect();
    assert_eq!(found, [("team-a", "team-aVpc", &others[..])], "{errors}");
    assert_eq!(errors.errors()[0].code().as_str(), "VF0901");
    // The name the user wrote, said once.
    assert!(
        errors.errors()[0]
            .to_string()
            .contains("7 more IDs of the name \"team-a\""),
        "{errors}"
    );
}

#[test]
fn two_hub_subnets_in_one_zone_are_one_finding_listing_what_takes_both() {
    let shape = Shape {
        hub_zones: [0, 0],
        ..Shape::default()
    };
    let errors = errors(&landing_zone(&shape));
    let found: Vec<(&str, &str, &str, &str, &[String])> = errors
        .errors()
        .iter()
        .map(|e| match e {
            SynthError::DuplicateSubnetsInSameZone {
                construct,
                az,
                first,
                second,
                also,
                ..
            } => (
                construct.as_str(),
                az.as_str(),
                first.as_str(),
                second.as_str(),
                &also[..],
            ),
            other => panic!("not two subnets in one zone: {other}"),
        })
        .collect();
    // The attachment, the NLB and five endpoints used to be seven findings.
    let mut others = vec!["Hub/Nlb (a Network Load Balancer)".to_string()];
    for id in ["Sts", "EcrApi", "EcrDkr", "Logs", "Ssm"] {
        others.push(format!("Hub/{id}Endpoint (an interface endpoint)"));
    }
    assert_eq!(
        found,
        [(
            "Hub/HubAttachment",
            "AZ #0 of the region",
            "Hub/HubA",
            "Hub/HubB",
            &others[..]
        )],
        "{errors}"
    );
    assert_eq!(errors.errors()[0].code().as_str(), "VF0112");
}

/// Every `TrafficNotPrivate` as `(flow, also, fix)`.
fn not_private(errors: &vpcform_net::findings::SynthErrors) -> Vec<(&str, &[String], &str)> {
    errors
        .errors()
        .iter()
        .map(|e| match e {
            SynthError::TrafficNotPrivate {
                flow, also, fix, ..
            } => (flow.as_str(), &also[..], fix.as_str()),
            other => panic!("not a flow: {other}"),
        })
        .collect()
}

/// The flows of `spokes`' pods to the hub's services but the first, in the order declared.
fn flows_of(spokes: &[&str]) -> Vec<String> {
    spokes
        .iter()
        .flat_map(|spoke| {
            SERVICES
                .iter()
                .map(move |service| format!("{spoke}/{spoke}Pods -> {service} (TCP 443)"))
        })
        .skip(1)
        .collect()
}

#[test]
fn an_endpoint_group_that_admits_no_spoke_is_one_finding_whose_fix_admits_the_spokes_summary() {
    // Admits the hub only: every spoke's every flow is refused by the same group.
    let shape = Shape {
        admitted: "10.0.0.0/16",
        ..Shape::default()
    };
    let errors = errors(&landing_zone(&shape));
    let others = flows_of(&["TeamA", "TeamB"]);
    assert_eq!(
        not_private(&errors),
        [(
            "TeamA/TeamAPods -> sts (TCP 443)",
            &others[..],
            // The hub's route to the spokes declares their summary: one round of fixing, not
            // one per subnet (10.1.1.0/24 before) or per spoke.
            "admit 10.0.0.0/8 on TCP 443 in Hub/EndpointSg"
        )],
        "{errors}"
    );
    assert_eq!(errors.errors()[0].code().as_str(), "VF1003");
}

#[test]
fn an_endpoint_group_that_admits_one_spoke_names_the_other_spokes_vpc_block_not_a_subnet() {
    let shape = Shape {
        admitted: "10.2.0.0/16",
        ..Shape::default()
    };
    let errors = errors(&landing_zone(&shape));
    let others = flows_of(&["TeamA"]);
    assert_eq!(
        not_private(&errors),
        [(
            "TeamA/TeamAPods -> sts (TCP 443)",
            &others[..],
            // The pods are in two subnets: the VPC's block covers both.
            "admit 10.1.0.0/16 on TCP 443 in Hub/EndpointSg"
        )],
        "{errors}"
    );
}

#[test]
fn a_hub_with_no_way_back_is_one_finding_whose_fix_routes_every_spokes_block() {
    let shape = Shape {
        hub_return: None,
        ..Shape::default()
    };
    let errors = errors(&landing_zone(&shape));
    let others = flows_of(&["TeamA", "TeamB"]);
    assert_eq!(
        not_private(&errors),
        [(
            "TeamA/TeamAPods -> sts (TCP 443)",
            &others[..],
            // No summary declared: each spoke's VPC block, not each subnet's.
            "add a route to 10.1.0.0/16, 10.2.0.0/16 to Hub/HubRoutes"
        )],
        "{errors}"
    );
}

#[test]
fn a_hub_that_routes_back_one_spoke_names_the_others_vpc_block() {
    let shape = Shape {
        hub_return: Some("10.2.0.0/16"),
        ..Shape::default()
    };
    let errors = errors(&landing_zone(&shape));
    let others = flows_of(&["TeamA"]);
    assert_eq!(
        not_private(&errors),
        [(
            "TeamA/TeamAPods -> sts (TCP 443)",
            &others[..],
            "add a route to 10.1.0.0/16 to Hub/HubRoutes"
        )],
        "{errors}"
    );
}
