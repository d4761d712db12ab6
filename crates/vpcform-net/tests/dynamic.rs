//! The run-time form (`DynamicStack`, `DynamicVpc`): the rules the types enforce elsewhere are
//! enforced at synthesis.

use vpcform_net::findings::{Code, SynthError};
use vpcform_net::handles::{DynamicStack, DynamicVpc};
use vpcform_net::prelude::*;
use vpcform_net::vpc::SubnetRef;
use vpcform_net::vpc::VpcRef;
include!("common/errors.rs");

/// VPCs as a configuration file would give them: name, VPC block, one subnet block.
const CONFIG: [(&str, &str, &str); 2] = [
    ("Blue", "10.0.0.0/16", "10.0.1.0/24"),
    ("Green", "10.1.0.0/16", "10.1.1.0/24"),
];

/// Each VPC of the fleet with its one private subnet.
type Fleet = Vec<(VpcRef<DynamicVpc>, SubnetRef<DynamicVpc>)>;

fn fleet(stack_name: &str) -> (Stack<DynamicStack>, Fleet) {
    let mut stack = Stack::<DynamicStack>::new(stack_name);
    let mut vpcs = Vec::new();
    for (name, vpc_cidr, subnet_cidr) in CONFIG {
        let vpc = stack.add(
            &format!("{stack_name}{name}"),
            Vpc::<DynamicVpc>::builder().cidr(vpc_cidr).build(),
        );
        let subnet = stack.add(
            &format!("{stack_name}{name}Private"),
            Subnet::builder()
                .vpc(&vpc)
                .cidr(subnet_cidr)
                .availability_zone(Az::index(0))
                .build(),
        );
        vpcs.push((vpc, subnet));
    }
    (stack, vpcs)
}

/// The synthesis errors, as data: tests assert their codes, constructs and values (each code's
/// text has its own snapshot in `finding.rs`).
fn errors(stacks: Vec<Stack<DynamicStack>>) -> Vec<SynthError> {
    let mut app = App::new("fleet");
    for stack in stacks {
        app.add_stack(stack);
    }
    app.synth().err().map(|e| e.0).unwrap_or_default()
}

#[test]
fn a_valid_runtime_topology_synthesizes() {
    let (mut stack, vpcs) = fleet("Fleet");
    for (vpc, subnet) in &vpcs {
        let id = format!("{}S3", vpc.logical_id());
        let routes = stack.add(
            &format!("{id}Routes"),
            RouteTable::builder().vpc(vpc).subnets([subnet]).build(),
        );
        stack.add(
            &id,
            GatewayEndpoint::builder()
                .vpc(vpc)
                .service(services::S3)
                .route_tables([&routes])
                .build(),
        );
    }
    assert!(errors(vec![stack]).is_empty());
}

#[test]
fn a_subnet_of_another_vpc_is_rejected_at_synth() {
    let (mut stack, vpcs) = fleet("Fleet");
    let (blue, _) = &vpcs[0];
    let (_, green_subnet) = &vpcs[1];
    stack.add(
        "BlueSqs",
        InterfaceEndpoint::builder()
            .vpc(blue)
            .service(services::Sqs)
            .subnets([green_subnet])
            .build(),
    );
    let errors = errors(vec![stack]);
    assert_eq!(
        codes(&errors),
        [(Code::VF0911, Some("Fleet/BlueSqs"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::WrongVpc { property: "SubnetIds", target, target_vpc, vpc, .. }
            if target == "Fleet/FleetGreenPrivate" && target_vpc == "Fleet/FleetGreen" && vpc == "Fleet/FleetBlue"),
        "{:?}",
        errors[0]
    );
    // The fix names the endpoint's own VPC.
    let help = errors[0].help().unwrap_or_default();
    assert!(help.contains("Fleet/FleetBlue"), "{help}");
}

#[test]
fn a_route_table_of_another_vpc_is_rejected_at_synth() {
    let (mut stack, vpcs) = fleet("Fleet");
    let green_routes = stack.add("GreenRoutes", RouteTable::builder().vpc(&vpcs[1].0).build());
    stack.add(
        "BlueS3",
        GatewayEndpoint::builder()
            .vpc(&vpcs[0].0)
            .service(services::S3)
            .route_tables([&green_routes])
            .build(),
    );
    let errors = errors(vec![stack]);
    assert_eq!(
        codes(&errors),
        [(Code::VF0911, Some("Fleet/BlueS3"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::WrongVpc { property: "RouteTableIds", target, target_vpc, vpc, .. }
            if target == "Fleet/GreenRoutes" && target_vpc == "Fleet/FleetGreen" && vpc == "Fleet/FleetBlue"),
        "{:?}",
        errors[0]
    );
}

#[test]
fn a_handle_of_another_stack_is_rejected_at_synth() {
    let (one, one_vpcs) = fleet("One");
    let (mut two, two_vpcs) = fleet("Two");
    two.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&two_vpcs[0].0)
            .service(services::Sqs)
            .subnets([&one_vpcs[0].1])
            .build(),
    );
    let errors = errors(vec![one, two]);
    assert_eq!(
        codes(&errors),
        [(Code::VF0910, Some("Two/Sqs"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::ForeignHandle { property: "SubnetIds", target, target_stack, .. }
            if target == "One/OneBluePrivate" && target_stack == "One"),
        "{:?}",
        errors[0]
    );
    // Not "export and import": an export carries a subnet's ID, never the subnet into the
    // endpoint's VPC. The fix is a subnet of the endpoint's own VPC.
    let help = errors[0].help().unwrap_or_default();
    assert!(
        help.contains("Two/TwoBlue") && !help.contains("export"),
        "{help}"
    );
}

#[test]
fn an_endpoint_service_of_another_stack_is_rejected_at_synth() {
    let (mut provider, provider_vpcs) = fleet("Provider");
    let (mut consumer, consumer_vpcs) = fleet("Consumer");
    let sg = provider.add(
        "NlbSg",
        SecurityGroup::builder().vpc(&provider_vpcs[0].0).build(),
    );
    let nlb = provider.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&provider_vpcs[0].1])
            .security_groups([&sg])
            .build(),
    );
    let service = provider.add(
        "Service",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .build(),
    );
    consumer.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&consumer_vpcs[0].0)
            .service(service)
            .subnets([&consumer_vpcs[0].1])
            .build(),
    );
    let errors = errors(vec![provider, consumer]);
    assert_eq!(
        codes(&errors),
        [(Code::VF0910, Some("Consumer/Endpoint"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::ForeignHandle { property: "ServiceName", target, target_stack, .. }
            if target == "Provider/Service" && target_stack == "Provider"),
        "{:?}",
        errors[0]
    );
}
