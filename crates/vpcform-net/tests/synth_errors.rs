//! Every synthesis check: a topology that breaks the rule, and the error that names it.

use vpcform_net::prelude::*;
use vpcform_net::{RouteTableRef, SubnetRef};

vpcform_net::topology! {
    stack Provider { vpc VpcB }
    stack Consumer { vpc VpcA }
}

fn consumer() -> (Stack<Consumer>, VpcRef<VpcA>) {
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    (stack, vpc)
}

fn subnet(
    stack: &mut Stack<Consumer>,
    vpc: &VpcRef<VpcA>,
    id: &str,
    cidr: &str,
    az: u32,
) -> SubnetRef<VpcA> {
    stack.add(
        id,
        Subnet::builder()
            .vpc(vpc)
            .cidr(cidr)
            .availability_zone(Az::index(az))
            .build(),
    )
}

fn synth_errors(stacks: Vec<Stack<Consumer>>) -> Vec<String> {
    let mut app = App::new("test");
    for stack in stacks {
        app.add_stack(stack);
    }
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(errors) => errors.errors().iter().map(ToString::to_string).collect(),
    }
}

fn one_error(stack: Stack<Consumer>) -> String {
    let errors = synth_errors(vec![stack]);
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    errors.into_iter().next().unwrap_or_default()
}

#[test]
fn valid_topology_synthesizes() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a]).build(),
    );
    assert!(synth_errors(vec![stack]).is_empty());
}

#[test]
fn invalid_cidr_text_names_construct_and_value() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.1.0/2x", 0);
    let e = one_error(stack);
    assert!(
        e.starts_with("Consumer/A1: CidrBlock \"10.0.1.0/2x\" is not a valid IPv4 CIDR block"),
        "{e}"
    );
}

#[test]
fn host_bits_are_rejected() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.1.1/24", 0);
    let e = one_error(stack);
    assert!(e.contains("host bits"), "{e}");
}

#[test]
fn vpc_prefix_outside_16_to_28() {
    for (cidr, prefix) in [("10.0.0.0/8", 8), ("10.0.0.0/29", 29)] {
        let mut stack = Stack::<Consumer>::new("Consumer");
        stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr).build());
        let e = one_error(stack);
        assert!(
            e.contains(&format!(
                "Consumer/VpcA: CIDR block {cidr} has a /{prefix} prefix"
            )),
            "{e}"
        );
    }
}

#[test]
fn subnet_outside_its_vpc() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.1.1.0/24", 0);
    let e = one_error(stack);
    assert_eq!(
        e,
        "Consumer/A1: subnet CIDR 10.1.1.0/24 is outside its VPC Consumer/VpcA's CIDR 10.0.0.0/16 \
         — choose a block inside 10.0.0.0/16"
    );
}

#[test]
fn overlapping_subnets() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.0.0/20", 0);
    subnet(&mut stack, &vpc, "A2", "10.0.1.0/24", 1);
    let e = one_error(stack);
    assert!(
        e.starts_with("Consumer/A2: subnet CIDR 10.0.1.0/24 overlaps Consumer/A1's 10.0.0.0/20"),
        "{e}"
    );
}

#[test]
fn invalid_and_duplicate_ids() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "private-a", "10.0.1.0/24", 0);
    let e = one_error(stack);
    assert!(
        e.contains("construct ID \"private-a\" is not a valid CloudFormation logical ID"),
        "{e}"
    );

    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    subnet(&mut stack, &vpc, "A1", "10.0.2.0/24", 1);
    let e = one_error(stack);
    assert_eq!(
        e,
        "Consumer: two constructs have the ID \"A1\" — give each its own"
    );
}

#[test]
fn subnet_associated_with_two_route_tables() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    stack.add(
        "RoutesOne",
        RouteTable::builder().vpc(&vpc).subnets([&a]).build(),
    );
    stack.add(
        "RoutesTwo",
        RouteTable::builder().vpc(&vpc).subnets([&a]).build(),
    );
    let e = one_error(stack);
    assert!(e.contains("Consumer/RoutesTwo: subnet Consumer/A1 is already associated with route table Consumer/RoutesOne"), "{e}");
}

#[test]
fn gateway_endpoint_without_route_tables() {
    let (mut stack, vpc) = consumer();
    let none: [&RouteTableRef<VpcA>; 0] = [];
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables(none)
            .build(),
    );
    let e = one_error(stack);
    assert!(e.starts_with("Consumer/S3: RouteTableIds is empty"), "{e}");
}

#[test]
fn same_gateway_service_twice_on_a_route_table() {
    let (mut stack, vpc) = consumer();
    let routes = stack.add("Routes", RouteTable::builder().vpc(&vpc).build());
    stack.add(
        "S3One",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .build(),
    );
    stack.add(
        "S3Two",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .build(),
    );
    // A DynamoDB endpoint on the same table is fine.
    stack.add(
        "Ddb",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::DynamoDb)
            .route_tables([&routes])
            .build(),
    );
    let e = one_error(stack);
    assert!(e.contains("Consumer/S3Two: route table Consumer/Routes already routes s3 through gateway endpoint Consumer/S3One"), "{e}");
    assert!(e.contains("RouteAlreadyExists"), "{e}");
}

#[test]
fn interface_endpoint_without_subnets() {
    let (mut stack, vpc) = consumer();
    let none: [&SubnetRef<VpcA>; 0] = [];
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets(none)
            .build(),
    );
    let e = one_error(stack);
    assert!(e.starts_with("Consumer/Sqs: SubnetIds is empty"), "{e}");
}

#[test]
fn security_group_rule_with_invalid_cidr() {
    let (mut stack, vpc) = consumer();
    stack.add(
        "Sg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/40"))])
            .build(),
    );
    let e = one_error(stack);
    assert!(
        e.starts_with("Consumer/Sg: SecurityGroupIngress \"10.0.0.0/40\""),
        "{e}"
    );
}

fn provider_with_service(principal: &str) -> Stack<Provider> {
    let mut stack = Stack::<Provider>::new("Provider");
    let vpc = stack.add(
        "VpcB",
        Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let b = stack.add(
        "B1",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.1.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let nlb = stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&b])
            .security_groups(SecurityGroupRef::none())
            .build(),
    );
    stack.add(
        "Service",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .allowed_principals([principal])
            .build(),
    );
    stack
}

#[test]
fn malformed_principal_arn() {
    let mut app = App::new("test");
    app.add_stack(provider_with_service("111122223333"));
    let errors = app.synth().expect_err("must fail");
    let e = errors.errors()[0].to_string();
    assert!(
        e.starts_with(
            "Provider/Service: allowed principal \"111122223333\" is not an IAM principal ARN"
        ),
        "{e}"
    );

    let mut app = App::new("test");
    app.add_stack(provider_with_service("arn:aws:iam::111122223333:root"));
    let assembly = app.synth().expect("valid principal");
    let template = assembly.stacks()[0].template();
    assert!(template.resources().contains_key("ServicePermissions"));
}

#[test]
fn import_of_an_export_no_stack_defines() {
    let mut provider = Stack::<Provider>::new("Provider");
    let export = provider.export("ServiceName", "com.amazonaws.vpce.us-east-1.vpce-svc-0123");
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let imported = stack.import(&export);
    stack.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(imported)
            .subnets([&a])
            .build(),
    );
    // The provider stack is not added to the app.
    let e = one_error(stack);
    assert!(e.contains("stack \"Consumer\" imports export \"Provider-ServiceName\", but no stack of the app exports it"), "{e}");
}

#[test]
fn duplicate_stack_names_and_invalid_stack_name() {
    let (one, _) = consumer();
    let (two, _) = consumer();
    let errors = synth_errors(vec![one, two]);
    assert!(
        errors
            .iter()
            .any(|e| e == "the app has two stacks named \"Consumer\" — give each its own"),
        "{errors:#?}"
    );

    let mut stack = Stack::<Consumer>::new("1-bad_name");
    stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let e = one_error(stack);
    assert!(e.starts_with("stack name \"1-bad_name\" is invalid"), "{e}");
}

#[test]
fn cross_stack_cycle_is_rejected() {
    vpcform_net::topology! { stack Left { vpc L } stack Right { vpc R } }
    let mut left = Stack::<Left>::new("Left");
    let mut right = Stack::<Right>::new("Right");
    left.add("L", Vpc::<L>::builder().cidr(cidr!("10.0.0.0/16")).build());
    right.add("R", Vpc::<R>::builder().cidr(cidr!("10.1.0.0/16")).build());
    let from_left = left.export("X", "x");
    let from_right = right.export("Y", "y");
    let into_right = right.import(&from_left);
    let into_left = left.import(&from_right);
    left.output("FromRight", &into_left);
    right.output("FromLeft", &into_right);
    let mut app = App::new("cycle");
    app.add_stack(left);
    app.add_stack(right);
    let errors = app.synth().expect_err("cycle");
    let e = errors.to_string();
    assert!(
        e.contains("stacks import from each other in a cycle: Left -> Right"),
        "{e}"
    );
}

#[test]
fn every_error_is_reported_at_once() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.9.0.0/24", 0);
    subnet(&mut stack, &vpc, "A2", "bad", 1);
    let errors = synth_errors(vec![stack]);
    assert_eq!(errors.len(), 2, "{errors:#?}");
}
