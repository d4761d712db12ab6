//! Every synthesis check: a topology that breaks the rule, and the error that names it.

use vpcform_net::endpoints::{DnsOptions, DnsRecordIpType, IpAddressType, ServiceName};
use vpcform_net::findings::{Code, SynthError, SynthWarning};
use vpcform_net::policy::PolicyProblem;
use vpcform_net::prelude::*;
use vpcform_net::security::SecurityGroupRef;
use vpcform_net::vpc::VpcRef;
use vpcform_net::vpc::{CidrError, RouteTableRef, SubnetRef};

include!("common/consumer.rs");
include!("common/report.rs");

/// The errors of the stacks' synthesis, as data; none when it succeeds.
fn synth_errors(stacks: Vec<Stack<Consumer>>) -> Vec<SynthError> {
    let mut app = App::new("test");
    for stack in stacks {
        app.add_stack(stack);
    }
    app.synth().err().map(|e| e.0).unwrap_or_default()
}

/// An error's code and construct: what the tests assert (each code's text has its snapshot in
/// `finding.rs`).
fn coded(e: &SynthError) -> (Code, Option<String>) {
    (e.code(), e.construct().map(str::to_string))
}

/// The one error, as data.
fn the_error(stack: Stack<Consumer>) -> SynthError {
    let mut app = App::new("test");
    app.add_stack(stack);
    let mut errors = app.synth().map(|_| ()).expect_err("an error").0;
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    errors.remove(0)
}

/// The one error's code and construct.
fn one_code(stack: Stack<Consumer>) -> (Code, Option<String>) {
    let mut app = App::new("test");
    app.add_stack(stack);
    let errors = error_codes(&app);
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    errors.into_iter().next().unwrap_or((Code::VF0101, None))
}

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
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
    assert_eq!(one_code(stack), (Code::VF0101, at("Consumer/A1")));
}

#[test]
fn host_bits_are_rejected() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.1.1/24", 0);
    let e = the_error(stack);
    assert!(
        matches!(&e, SynthError::InvalidCidr { construct, reason: CidrError::HostBits, .. } if construct == "Consumer/A1"),
        "{e:?}"
    );
}

#[test]
fn vpc_prefix_outside_16_to_28() {
    for (cidr, prefix) in [("10.0.0.0/8", 8), ("10.0.0.0/29", 29)] {
        let mut stack = Stack::<Consumer>::new("Consumer");
        stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr).build());
        let e = the_error(stack);
        assert!(
            matches!(&e, SynthError::CidrPrefixOutOfRange { construct, cidr: c, prefix: p } if construct == "Consumer/VpcA" && c == cidr && *p == prefix),
            "{e:?}"
        );
    }
}

#[test]
fn subnet_outside_its_vpc() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.1.1.0/24", 0);
    assert_eq!(
        one_code(stack),
        (Code::VF0103, Some("Consumer/A1".to_string()))
    );
}

#[test]
fn overlapping_subnets() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.0.0/20", 0);
    subnet(&mut stack, &vpc, "A2", "10.0.1.0/24", 1);
    assert_eq!(
        one_code(stack),
        (Code::VF0104, Some("Consumer/A2".to_string()))
    );
}

#[test]
fn invalid_and_duplicate_ids() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "private-a", "10.0.1.0/24", 0);
    assert_eq!(
        one_code(stack),
        (Code::VF0901, Some("Consumer".to_string()))
    );

    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    subnet(&mut stack, &vpc, "A1", "10.0.2.0/24", 1);
    assert_eq!(
        one_code(stack),
        (Code::VF0904, Some("Consumer".to_string()))
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
    assert_eq!(one_code(stack), (Code::VF0505, at("Consumer/RoutesTwo")));
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
    assert_eq!(one_code(stack), (Code::VF0805, at("Consumer/S3")));
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
    assert_eq!(
        one_code(stack),
        (Code::VF0213, Some("Consumer/S3Two".to_string()))
    );
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
    assert_eq!(one_code(stack), (Code::VF0805, at("Consumer/Sqs")));
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
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0101, at("Consumer/Sg")));
    assert!(
        matches!(&e, SynthError::InvalidCidr { property: "SecurityGroupIngress", value, .. }
            if value == "10.0.0.0/40"),
        "{e:?}"
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
    let errors = app.synth().expect_err("must fail").0;
    assert_eq!(
        errors.iter().map(coded).collect::<Vec<_>>(),
        [(Code::VF0303, at("Provider/Service"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::InvalidPrincipal { principal, .. }
            if principal == "111122223333"),
        "{errors:#?}"
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
    let export = provider.export(
        "ServiceName",
        ServiceName::new("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"),
    );
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
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0913, at("Consumer")));
    assert!(
        matches!(&e, SynthError::UnknownExport { export, from, .. }
            if export == "Provider-ServiceName" && from == "Provider"),
        "{e:?}"
    );
}

#[test]
fn duplicate_stack_names_and_invalid_stack_name() {
    let (one, _) = consumer();
    let (two, _) = consumer();
    let mut app = App::new("test");
    app.add_stack(one);
    app.add_stack(two);
    assert!(
        error_codes(&app).contains(&(Code::VF0917, Some("Consumer".to_string()))),
        "{:#?}",
        error_codes(&app)
    );

    let mut stack = Stack::<Consumer>::new("1-bad_name");
    stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    assert_eq!(
        one_code(stack),
        (Code::VF0916, Some("1-bad_name".to_string()))
    );
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
    let cycle: Vec<_> = errors
        .errors()
        .iter()
        .filter_map(|e| match e {
            vpcform_net::findings::SynthError::StackCycle { cycle } => Some(cycle.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(cycle, [["Left", "Right", "Left"]], "{errors}");
}

#[test]
fn every_error_is_reported_at_once() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.9.0.0/24", 0);
    subnet(&mut stack, &vpc, "A2", "bad", 1);
    let errors = synth_errors(vec![stack]);
    assert_eq!(
        errors.iter().map(coded).collect::<Vec<_>>(),
        [
            (Code::VF0103, at("Consumer/A1")),
            (Code::VF0101, at("Consumer/A2")),
        ],
        "{errors:#?}"
    );
}

// ── Interface endpoints ─────────────────────────────────────────────────────────────────

#[test]
fn interface_endpoint_with_two_subnets_in_one_az() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let b = subnet(&mut stack, &vpc, "A2", "10.0.2.0/24", 0);
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a, &b])
            .build(),
    );
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0112, at("Consumer/Sqs")));
    assert!(
        matches!(&e, SynthError::DuplicateSubnetsInSameZone { first, second, az, .. }
            if first == "Consumer/A1" && second == "Consumer/A2" && az.contains("#0")),
        "{e:?}"
    );
}

#[test]
fn load_balancer_with_two_subnets_in_one_az() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 1);
    let b = subnet(&mut stack, &vpc, "A2", "10.0.2.0/24", 1);
    let sg = stack.add("Sg", SecurityGroup::builder().vpc(&vpc).build());
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a, &b])
            .security_groups([&sg])
            .build(),
    );
    assert_eq!(
        one_code(stack),
        (Code::VF0112, Some("Consumer/Nlb".to_string()))
    );
}

fn two_az_consumer() -> (
    Stack<Consumer>,
    VpcRef<VpcA>,
    SubnetRef<VpcA>,
    SubnetRef<VpcA>,
) {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let b = subnet(&mut stack, &vpc, "A2", "10.0.2.0/24", 1);
    (stack, vpc, a, b)
}

#[test]
fn two_private_dns_endpoints_for_one_service_in_a_vpc() {
    let (mut stack, vpc, a, b) = two_az_consumer();
    stack.add(
        "SqsOne",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a, &b])
            .build(),
    );
    stack.add(
        "SqsTwo",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a, &b])
            .build(),
    );
    // Without private DNS, a second endpoint is fine.
    stack.add(
        "SqsThree",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a, &b])
            .private_dns(false)
            .build(),
    );
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0210, at("Consumer/SqsTwo")));
    assert!(
        matches!(&e, SynthError::PrivateDnsConflict { service, other, .. }
            if service == "AWS service sqs" && other == "Consumer/SqsOne"),
        "{e:?}"
    );
}

#[test]
fn private_dns_in_a_vpc_without_dns_attributes() {
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder()
            .cidr(cidr!("10.0.0.0/16"))
            .enable_dns_hostnames(false)
            .build(),
    );
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let b = subnet(&mut stack, &vpc, "A2", "10.0.2.0/24", 1);
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a, &b])
            .build(),
    );
    assert_eq!(
        one_code(stack),
        (Code::VF0211, Some("Consumer/Sqs".to_string()))
    );
}

#[test]
fn private_dns_for_a_service_named_at_run_time_that_has_none() {
    let (mut stack, vpc, a, b) = two_az_consumer();
    stack.add(
        "Ddb",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::ByName::new("dynamodb"))
            .subnets([&a, &b])
            .private_dns(true)
            .build(),
    );
    assert_eq!(
        one_code(stack),
        (Code::VF0212, Some("Consumer/Ddb".to_string()))
    );
}

// ── The service catalogue ───────────────────────────────────────────────────────────────

/// `ByName` names are checked against the catalogue, with the closest name suggested.
#[test]
fn a_misspelt_service_name_is_refused_with_a_suggestion() {
    for (given, suggestion) in [
        ("ssmmesages", Some("ssmmessages")),
        ("com.amazonaws.eu-west-1.ecr.dkr", Some("ecr.dkr")),
        ("Bedrock-Runtime", Some("bedrock-runtime")),
        ("not-a-service-at-all", None),
    ] {
        let (mut stack, vpc, a, b) = two_az_consumer();
        stack.add(
            "Endpoint",
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::ByName::new(given))
                .subnets([&a, &b])
                .build(),
        );
        let errors = synth_errors(vec![stack]);
        let e = errors
            .iter()
            .find(|e| e.code() == Code::VF0207)
            .unwrap_or_else(|| panic!("{given}: {errors:#?}"));
        assert_eq!(coded(e), (Code::VF0207, at("Consumer/Endpoint")));
        assert!(
            matches!(e, SynthError::UnknownAwsService { name, suggestion: s, retrieved, .. }
                if name == given && *s == suggestion && *retrieved == services::CATALOGUE_RETRIEVED),
            "{given}: {e:?}"
        );
        // The fix names the escape hatch for a service the catalogue lacks.
        let help = e.help().unwrap_or_default();
        assert!(
            help.contains(&format!("ByName::unlisted({given:?})")),
            "{help}"
        );
    }
}

/// A gateway service named at run time: the three gateway services synthesize as their types
/// do; a misspelt name, or a service with interface endpoints only, is one error naming the
/// endpoint, the name, the gateway services and the closest of them.
#[test]
fn gateway_services_by_name_are_checked_against_the_gateway_services() {
    let gateway = |name: &str| {
        let (mut stack, vpc) = consumer();
        let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
        let routes = stack.add(
            "Routes",
            RouteTable::builder().vpc(&vpc).subnets([&a]).build(),
        );
        stack.add(
            "Gateway",
            GatewayEndpoint::builder()
                .vpc(&vpc)
                .service(services::GatewayByName::new(name))
                .route_tables([&routes])
                .build(),
        );
        stack
    };
    for name in ["s3", "dynamodb", "s3express"] {
        let errors = synth_errors(vec![gateway(name)]);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    let known = "dynamodb, s3, s3express";
    for (given, code, suggestion) in [
        ("dynamo", Code::VF0150, Some("dynamodb")),
        ("S3", Code::VF0150, Some("s3")),
        (
            "com.amazonaws.us-east-1.s3express",
            Code::VF0150,
            Some("s3express"),
        ),
        ("not-a-service", Code::VF0150, None),
        ("sqs", Code::VF0151, None),
    ] {
        let e = the_error(gateway(given));
        assert_eq!(coded(&e), (code, at("Consumer/Gateway")), "{given}: {e:?}");
        let text = e.to_string();
        assert!(text.contains(&format!("{given:?}")), "{text}");
        assert!(text.contains(known), "{text}");
        match suggestion {
            Some(s) => assert!(text.contains(&format!("did you mean {s:?}?")), "{text}"),
            None => assert!(!text.contains("did you mean"), "{text}"),
        }
    }
    // A service with interface endpoints only: the fix is an interface endpoint.
    let help = the_error(gateway("sqs")).help().unwrap_or_default();
    assert!(help.contains("InterfaceEndpoint"), "{help}");
    // The same endpoint with a gateway service's type synthesizes (the name is the only fault).
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a]).build(),
    );
    stack.add(
        "Gateway",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .build(),
    );
    assert!(synth_errors(vec![stack]).is_empty());
}

/// A flow to a misspelt service is refused too, naming the flow.
#[test]
fn a_flow_to_a_misspelt_service_is_refused() {
    let (mut stack, _vpc, a, b) = two_az_consumer();
    let pods = stack.add("Pods", Workload::builder().subnets([&a, &b]).build());
    let mut app = App::new("test");
    app.add_stack(stack);
    app.flow(Flow::new(
        &pods,
        services::ByName::new("sqss"),
        Port::tcp(443),
    ));
    let errors = app.synth().err().map(|e| e.0).unwrap_or_default();
    assert_eq!(
        errors.iter().map(SynthError::code).collect::<Vec<_>>(),
        [Code::VF0207],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::UnknownAwsService { construct, name, suggestion, .. }
            if construct == "Consumer/Pods -> sqss (TCP 443)" && name == "sqss"
                && *suggestion == Some("sqs")),
        "{:?}",
        errors[0]
    );
}

/// `ByName::unlisted` is not checked; its name is written with the given prefix, and its form
/// is still checked.
#[test]
fn an_unlisted_service_is_written_as_given_and_its_form_checked() {
    let (mut stack, vpc, a, b) = two_az_consumer();
    stack.add(
        "New",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::ByName::unlisted("brand-new").prefix("aws.api"))
            .subnets([&a, &b])
            .build(),
    );
    let mut app = App::new("test");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let template = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    assert_eq!(
        template["Resources"]["New"]["Properties"]["ServiceName"],
        serde_json::json!({"Fn::Sub": "aws.api.${AWS::Region}.brand-new"})
    );

    let (mut stack, vpc, a, b) = two_az_consumer();
    stack.add(
        "New",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::ByName::unlisted("Brand New"))
            .subnets([&a, &b])
            .build(),
    );
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0301, at("Consumer/New")));
    assert!(
        matches!(&e, SynthError::InvalidServiceName { name, .. }
            if name == "com.amazonaws.us-east-1.Brand New"),
        "{e:?}"
    );
}

/// A stack pinned to a region writes each AWS service's name in full, with the region's own
/// prefix where it has one (China, here); an unpinned stack's follows `AWS::Region`.
#[test]
fn a_pinned_region_gets_the_partition_correct_service_name() {
    for (region, sqs, gateway) in [
        (
            Some("cn-north-1"),
            serde_json::json!("cn.com.amazonaws.cn-north-1.sqs"),
            serde_json::json!("com.amazonaws.cn-north-1.dynamodb"),
        ),
        (
            None,
            serde_json::json!({"Fn::Sub": "com.amazonaws.${AWS::Region}.sqs"}),
            serde_json::json!({"Fn::Sub": "com.amazonaws.${AWS::Region}.dynamodb"}),
        ),
    ] {
        let (stack, vpc, a, b) = two_az_consumer();
        let mut stack = match region {
            Some(region) => stack.region(region),
            None => stack,
        };
        stack.add(
            "Sqs",
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::ByName::new("sqs"))
                .subnets([&a, &b])
                .build(),
        );
        let routes = stack.add(
            "Routes",
            RouteTable::builder().vpc(&vpc).subnets([&a, &b]).build(),
        );
        stack.add(
            "Ddb",
            GatewayEndpoint::builder()
                .vpc(&vpc)
                .service(services::DynamoDb)
                .route_tables([&routes])
                .build(),
        );
        let mut app = App::new("test");
        app.add_stack(stack);
        let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
        let template = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
        assert_eq!(
            template["Resources"]["Sqs"]["Properties"]["ServiceName"],
            sqs
        );
        assert_eq!(
            template["Resources"]["Ddb"]["Properties"]["ServiceName"],
            gateway
        );
    }
}

// ── Endpoint policies ───────────────────────────────────────────────────────────────────

/// The policy problems of an S3 gateway endpoint with `policy`, each asserted to be the
/// endpoint's `VF0205`; other errors fail the test.
fn gateway_with_policy(
    policy: impl Into<vpcform_net::endpoints::EndpointPolicy>,
) -> Vec<PolicyProblem> {
    let (mut stack, vpc, a, b) = two_az_consumer();
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a, &b]).build(),
    );
    stack.add(
        "S3",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            .policy(policy)
            .build(),
    );
    synth_errors(vec![stack])
        .into_iter()
        .map(|e| match e {
            SynthError::EndpointPolicy { construct, problem } if construct == "Consumer/S3" => {
                problem
            }
            e => panic!("not the endpoint's policy problem: {e:?}"),
        })
        .collect()
}

/// The three mistakes the issue names, in the JSON form, each an error naming the endpoint.
#[test]
fn endpoint_policy_mistakes_are_synth_errors() {
    use serde_json::json;
    let no_allow: fn(&PolicyProblem) -> bool = |p| matches!(p, PolicyProblem::NoAllow);
    // The misspelt key, its place and the suggested spelling the help gives.
    let unknown_key: fn(&PolicyProblem) -> bool = |p| {
        matches!(p, PolicyProblem::UnknownKey { place, key, suggestion: Some("Action"), .. }
            if place == "statement 1" && key == "Actions")
            && p.help().contains("\"Action\"")
    };
    let not_an_arn: fn(&PolicyProblem) -> bool = |p| {
        matches!(p, PolicyProblem::NotAnArn { place, value, .. }
            if place == "statement 1" && value == "my-bucket")
    };
    let cases = [
        (
            json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "*"}]}),
            no_allow,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Actions": "s3:GetObject", "Resource": "*"}]}),
            unknown_key,
        ),
        (
            json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": ["my-bucket", "arn:aws:s3:::my-bucket/*"]}]}),
            not_an_arn,
        ),
    ];
    for (policy, expected) in cases {
        let problems = gateway_with_policy(policy.clone());
        assert!(problems.iter().any(expected), "{policy}: {problems:#?}");
    }
}

/// A typed policy: written as IAM JSON, partition-neutral; the same checks apply.
#[test]
fn a_typed_endpoint_policy_is_checked_and_written() {
    use vpcform_net::policy::{Condition, EndpointPolicy, PolicyResource, Principal, Statement};
    let good = EndpointPolicy::new().statement(
        Statement::allow()
            .principal(Principal::Any)
            .actions(["s3:GetObject"])
            .resources([PolicyResource::s3_objects("artifacts")])
            .condition(Condition::principal_org_id("o-a1b2c3d4e5")),
    );
    assert!(gateway_with_policy(good).is_empty());
    let only_deny = Statement::deny()
        .principal(Principal::Any)
        .actions(["s3:*"])
        .resources([PolicyResource::any()]);
    let problems = gateway_with_policy(only_deny);
    assert!(
        matches!(problems[..], [PolicyProblem::NoAllow]),
        "{problems:#?}"
    );
    let account = Statement::allow()
        .principal(Principal::aws(["111122223333"]))
        .actions(["s3:GetObject"])
        .resources([PolicyResource::s3_objects("artifacts")]);
    let problems = gateway_with_policy(account);
    assert!(
        matches!(&problems[..], [PolicyProblem::Malformed { reason, .. }] if reason.contains("\"*\"")),
        "{problems:#?}"
    );
}

/// A service the catalogue marks as taking only the full-access policy.
#[test]
fn an_endpoint_policy_for_a_service_without_policy_support() {
    let (mut stack, vpc, a, b) = two_az_consumer();
    stack.add(
        "Streaming",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::AppStreamStreaming)
            .subnets([&a, &b])
            .policy(vpcform_net::policy::EndpointPolicy::full_access())
            .build(),
    );
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0206, at("Consumer/Streaming")));
    assert!(
        matches!(&e, SynthError::EndpointPolicyUnsupported { service, .. }
            if service == "AWS service appstream.streaming"),
        "{e:?}"
    );
}

// ── Security groups open to the internet ────────────────────────────────────────────────

#[test]
fn ingress_from_anywhere_on_an_endpoint_or_load_balancer() {
    let (mut stack, vpc, a, b) = two_az_consumer();
    let open_v4 = stack.add(
        "OpenV4",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::any_ipv4())])
            .build(),
    );
    let open_v6 = stack.add(
        "OpenV6",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv6("::/0"))])
            .build(),
    );
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a, &b])
            .security_groups([&open_v4])
            .build(),
    );
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a, &b])
            .security_groups([&open_v6])
            .build(),
    );
    let errors = synth_errors(vec![stack]);
    assert_eq!(
        errors.iter().map(coded).collect::<Vec<_>>(),
        [
            (Code::VF0401, at("Consumer/Sqs")),
            (Code::VF0401, at("Consumer/Nlb")),
        ],
        "{errors:#?}"
    );
    // Each names the group, the open block and the port; the fix names the group's rule and
    // the marker for an intended exposure.
    for (e, open_group, open_peer) in [
        (&errors[0], "Consumer/OpenV4", "0.0.0.0/0"),
        (&errors[1], "Consumer/OpenV6", "::/0"),
    ] {
        assert!(
            matches!(e, SynthError::OpenIngress { group, peer, port, .. }
                if group == open_group && peer == open_peer && port == "TCP 443"),
            "{e:?}"
        );
        let help = e.help().unwrap_or_default();
        assert!(
            help.contains(open_group) && help.contains(".allow_from_anywhere()"),
            "{help}"
        );
    }
}

#[test]
fn ingress_from_anywhere_passes_when_marked_or_unattached() {
    let (mut stack, vpc, a, b) = two_az_consumer();
    let public = stack.add(
        "Public",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::any_ipv4()).allow_from_anywhere()])
            .build(),
    );
    // A group on no endpoint or load balancer is not this rule's business.
    stack.add(
        "Bastion",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(22), Peer::any_ipv4())])
            .build(),
    );
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a, &b])
            .security_groups([&public])
            .build(),
    );
    assert!(synth_errors(vec![stack]).is_empty());
}

// ── PrivateLink across stacks ───────────────────────────────────────────────────────────

/// A provider whose NLB has subnets in the given AZ indexes, exporting its service name.
fn provider_in_azs(
    azs: &[u32],
    region: Option<&str>,
    supported: &[&str],
) -> (
    Stack<Provider>,
    vpcform_net::export::Export<Provider, vpcform_net::endpoints::ServiceName>,
) {
    let mut stack = Stack::<Provider>::new("Provider");
    if let Some(region) = region {
        stack = stack.region(region);
    }
    let vpc = stack.add(
        "VpcB",
        Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let subnets: Vec<SubnetRef<VpcB>> = azs
        .iter()
        .map(|&az| {
            stack.add(
                &format!("B{az}"),
                Subnet::builder()
                    .vpc(&vpc)
                    .cidr(format!("10.1.{az}.0/24"))
                    .availability_zone(Az::index(az))
                    .build(),
            )
        })
        .collect();
    let sg = stack.add(
        "NlbSg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/16"))])
            .build(),
    );
    let nlb = stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets(&subnets)
            .security_groups([&sg])
            .build(),
    );
    let service = stack.add(
        "Service",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .supported_regions(supported.iter().copied())
            .build(),
    );
    let export = stack.export("ServiceName", service.service_name());
    (stack, export)
}

fn synth_pair(provider: Stack<Provider>, consumer: Stack<Consumer>) -> Vec<SynthError> {
    let mut app = App::new("pair");
    app.add_stack(provider);
    app.add_stack(consumer);
    app.synth().err().map(|e| e.0).unwrap_or_default()
}

#[test]
fn endpoint_in_an_az_the_service_does_not_serve() {
    let (provider, export) = provider_in_azs(&[0, 1], None, &[]);
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let c = subnet(&mut stack, &vpc, "A3", "10.0.3.0/24", 2);
    let imported = stack.import(&export);
    stack.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(imported)
            .subnets([&a, &c])
            .build(),
    );
    let errors = synth_pair(provider, stack);
    assert_eq!(
        errors.iter().map(coded).collect::<Vec<_>>(),
        [(Code::VF0304, at("Consumer/Endpoint"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::EndpointAzNotServed { subnet, az, service, .. }
            if subnet == "Consumer/A3" && az.contains("#2") && service == "Provider/Service"),
        "{:?}",
        errors[0]
    );

    // Served AZs only: fine.
    let (provider, export) = provider_in_azs(&[0, 1], None, &[]);
    let (mut stack, vpc, a, b) = two_az_consumer();
    let imported = stack.import(&export);
    stack.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(imported)
            .subnets([&a, &b])
            .build(),
    );
    assert!(synth_pair(provider, stack).is_empty());
}

#[test]
fn consumer_in_a_region_the_service_does_not_support() {
    let (provider, export) = provider_in_azs(&[0, 1], Some("us-east-1"), &["us-west-2"]);
    let (stack, vpc, a, b) = two_az_consumer();
    let mut stack = stack.region("eu-west-1");
    let imported = stack.import(&export);
    stack.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(imported)
            .subnets([&a, &b])
            .service_region("us-east-1")
            .build(),
    );
    let errors = synth_pair(provider, stack);
    // The import across regions is a parameter the deployer fills: only the region rule fails.
    assert_eq!(
        errors.iter().map(coded).collect::<Vec<_>>(),
        [(Code::VF0305, at("Consumer/Endpoint"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::RegionNotSupported { region, service, service_region, supported, .. }
            if region == "eu-west-1" && service == "Provider/Service"
                && service_region == "us-east-1" && supported == "us-west-2"),
        "{:?}",
        errors[0]
    );
    // The fix adds the endpoint's region to the service's.
    let help = errors[0].help().unwrap_or_default();
    assert!(
        help.contains("eu-west-1") && help.contains("supported_regions"),
        "{help}"
    );
}

#[test]
fn cross_region_endpoint_must_name_the_service_region() {
    let (provider, export) = provider_in_azs(&[0, 1], Some("us-east-1"), &["eu-west-1"]);
    let (stack, vpc, a, b) = two_az_consumer();
    let mut stack = stack.region("eu-west-1");
    let imported = stack.import(&export);
    stack.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(imported)
            .subnets([&a, &b])
            .build(),
    );
    let errors = synth_pair(provider, stack);
    assert_eq!(
        errors.iter().map(coded).collect::<Vec<_>>(),
        [(Code::VF0306, at("Consumer/Endpoint"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::ServiceRegionMissing { service_region, region, .. }
            if service_region == "us-east-1" && region == "eu-west-1"),
        "{:?}",
        errors[0]
    );
    // The fix names the region to set.
    let help = errors[0].help().unwrap_or_default();
    assert!(help.contains("service_region(\"us-east-1\")"), "{help}");
}

// ── Capacity and stack limits ───────────────────────────────────────────────────────────

#[test]
fn subnets_needing_more_addresses_than_the_vpc_has() {
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/24")).build(),
    );
    for i in 0..5u32 {
        subnet(
            &mut stack,
            &vpc,
            &format!("S{i}"),
            &format!("10.0.0.{}/26", (i % 4) * 64),
            i,
        );
    }
    let mut app = App::new("test");
    app.add_stack(stack);
    let errors = app.synth().map(|_| ()).expect_err("too many addresses");
    assert!(
        errors.errors().iter().any(|e| matches!(e,
            SynthError::SubnetsExceedVpc { vpc, needed: 320, available: 256, count: 5, .. }
                if vpc == "Consumer/VpcA")),
        "{errors}"
    );
}

#[test]
fn more_subnets_than_the_quota() {
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    for i in 0..201u32 {
        subnet(
            &mut stack,
            &vpc,
            &format!("S{i}"),
            &format!("10.0.{}.{}/28", i / 16, (i % 16) * 16),
            0,
        );
    }
    assert_eq!(
        one_code(stack),
        (Code::VF0108, Some("Consumer/VpcA".to_string()))
    );
}

#[test]
fn more_than_500_resources() {
    let (mut stack, vpc) = consumer();
    for i in 0..500 {
        stack.add(
            &format!("Sg{i}"),
            SecurityGroup::builder().vpc(&vpc).description("x").build(),
        );
    }
    let mut app = App::new("test");
    app.add_stack(stack);
    assert_eq!(
        error_codes(&app).first(),
        Some(&(Code::VF0921, Some("Consumer".to_string())))
    );
}

#[test]
fn more_than_200_outputs() {
    let (mut stack, vpc) = consumer();
    for i in 0..201 {
        stack.output(&format!("Out{i}"), &vpc);
    }
    assert_eq!(
        one_code(stack),
        (Code::VF0922, Some("Consumer".to_string()))
    );
}

// ── Warnings ────────────────────────────────────────────────────────────────────────────

/// The warnings of the stacks' synthesis, which must succeed.
fn warnings(stacks: Vec<Stack<Consumer>>) -> Vec<SynthWarning> {
    let mut app = App::new("test");
    for stack in stacks {
        app.add_stack(stack);
    }
    match app.synth() {
        Ok(assembly) => assembly.warnings().to_vec(),
        Err(e) => panic!("{e}"),
    }
}

/// A warning's code and construct.
fn warned(w: &SynthWarning) -> (Code, Option<String>) {
    (w.code(), w.construct().map(str::to_string))
}

/// A security group of `rules` ingress rules with 250-character descriptions (AWS's limit is
/// 255): about `rules` × 300 bytes of template.
fn bulky_group(stack: &mut Stack<Consumer>, vpc: &VpcRef<VpcA>, i: usize, rules: u16) {
    stack.add(
        &format!("Sg{i}"),
        SecurityGroup::builder()
            .vpc(vpc)
            .ingress((1..=rules).map(|port| {
                Rule::new(Port::tcp(port), Peer::ipv4(cidr!("10.0.0.0/16")))
                    .description("d".repeat(250))
            }))
            .build(),
    );
}

#[test]
fn template_over_51200_bytes_warns_that_deploy_needs_s3() {
    let (mut stack, vpc) = consumer();
    for i in 0..60 {
        bulky_group(&mut stack, &vpc, i, 4);
    }
    let warnings = warnings(vec![stack]);
    assert_eq!(
        warnings.iter().map(warned).collect::<Vec<_>>(),
        [(Code::VF0931, at("Consumer"))],
        "{warnings:#?}"
    );
    assert!(
        matches!(&warnings[0], SynthWarning::TemplateNeedsS3Upload { bytes, .. } if *bytes > 51_200),
        "{:?}",
        warnings[0]
    );
    // The fix names the stack to deploy through S3.
    let help = warnings[0].help().unwrap_or_default();
    assert!(help.contains("Consumer"), "{help}");
}

#[test]
fn template_over_1_mb_is_an_error() {
    let (mut stack, vpc) = consumer();
    // 260 groups with 16 rules of 250-byte descriptions: about 1 MB.
    for i in 0..260 {
        bulky_group(&mut stack, &vpc, i, 16);
    }
    assert_eq!(
        one_code(stack),
        (Code::VF0923, Some("Consumer".to_string()))
    );
}

#[test]
fn warnings_are_collected_not_fatal() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a])
            .build(),
    );
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(vpcform_net::security::SecurityGroupRef::none())
            .build(),
    );
    let warnings = warnings(vec![stack]);
    assert_eq!(
        warnings.iter().map(warned).collect::<Vec<_>>(),
        [
            (Code::VF0208, at("Consumer/Sqs")),
            (Code::VF0410, at("Consumer/Sqs")),
            (Code::VF0411, at("Consumer/Nlb")),
        ],
        "{warnings:#?}"
    );
}

#[test]
fn endpoint_service_acceptance_warnings() {
    for (principals, expected) in [(vec![], Code::VF0310), (vec!["*"], Code::VF0311)] {
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
        let sg = stack.add("Sg", SecurityGroup::builder().vpc(&vpc).build());
        let nlb = stack.add(
            "Nlb",
            NetworkLoadBalancer::builder()
                .subnets([&b])
                .security_groups([&sg])
                .build(),
        );
        stack.add(
            "Service",
            EndpointService::builder()
                .network_load_balancers([&nlb])
                .acceptance_required(false)
                .allowed_principals(principals)
                .build(),
        );
        let mut app = App::new("w");
        app.add_stack(stack);
        let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
        let warnings = assembly.warnings();
        assert_eq!(
            warnings.iter().map(warned).collect::<Vec<_>>(),
            [(expected, at("Provider/Service"))],
            "{warnings:#?}"
        );
    }
}

#[test]
fn endpoint_service_without_load_balancer_and_nlb_without_subnets() {
    let mut stack = Stack::<Provider>::new("Provider");
    let vpc = stack.add(
        "VpcB",
        Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let sg = stack.add("Sg", SecurityGroup::builder().vpc(&vpc).build());
    let no_subnets: [&SubnetRef<VpcB>; 0] = [];
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets(no_subnets)
            .security_groups([&sg])
            .build(),
    );
    let no_nlbs: [&vpcform_net::privatelink::NetworkLoadBalancerRef<VpcB>; 0] = [];
    stack.add(
        "Service",
        EndpointService::builder()
            .network_load_balancers(no_nlbs)
            .build(),
    );
    let mut app = App::new("test");
    app.add_stack(stack);
    let errors = app.synth().expect_err("empty lists").0;
    let empty: Vec<_> = errors
        .iter()
        .map(|e| match e {
            SynthError::Empty { property, .. } => (e.code(), e.construct(), *property),
            e => panic!("not an empty list: {e:?}"),
        })
        .collect();
    assert_eq!(
        empty,
        [
            (Code::VF0805, Some("Provider/Nlb"), "Subnets"),
            (
                Code::VF0805,
                Some("Provider/Service"),
                "NetworkLoadBalancerArns"
            ),
        ]
    );
    // Each fix names what to give.
    let helps: Vec<String> = errors.iter().filter_map(SynthError::help).collect();
    assert!(
        helps[0].contains("subnet") && helps[1].contains("Network Load Balancer"),
        "{helps:#?}"
    );
}

// ── Dual-stack ──────────────────────────────────────────────────────────────────────────

/// A dual-stack consumer VPC: an Amazon-provided IPv6 block, two dual-stack subnets.
fn dual_stack_consumer(
    ipv6: bool,
    indexes: [Option<u8>; 2],
) -> (
    Stack<Consumer>,
    VpcRef<VpcA>,
    SubnetRef<VpcA>,
    SubnetRef<VpcA>,
) {
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = match ipv6 {
        true => Vpc::<VpcA>::builder()
            .cidr("10.0.0.0/16")
            .ipv6(vpcform_net::vpc::Ipv6Block::AmazonProvided)
            .build(),
        false => Vpc::<VpcA>::builder().cidr("10.0.0.0/16").build(),
    };
    let vpc = stack.add("VpcA", vpc);
    let mut subnets = Vec::new();
    for (i, index) in indexes.into_iter().enumerate() {
        let id = format!("A{}", i + 1);
        let cidr = format!("10.0.{}.0/24", i + 1);
        let subnet = match index {
            Some(n) => Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr.as_str())
                .availability_zone(Az::index(i as u32))
                .ipv6_index(n)
                .build(),
            None => Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr.as_str())
                .availability_zone(Az::index(i as u32))
                .build(),
        };
        subnets.push(stack.add(&id, subnet));
    }
    let b = subnets.pop().unwrap_or_else(|| unreachable!());
    let a = subnets.pop().unwrap_or_else(|| unreachable!());
    (stack, vpc, a, b)
}

/// The IPv6 block, the subnets' /64s (Fn::Cidr, DependsOn the block) and a dual-stack
/// endpoint with AAAA records, written as AWS's own Fn::Cidr example writes them.
#[test]
fn a_dual_stack_endpoint_synthesizes() {
    let (mut stack, vpc, a, b) = dual_stack_consumer(true, [Some(0), Some(1)]);
    let sg = stack.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([
                Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/16")),
                Rule::new(Port::tcp(443), Peer::vpc_ipv6(&vpc)),
            ])
            .build(),
    );
    stack.add(
        "Ssm",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Ssm)
            .subnets([&a, &b])
            .security_groups([&sg])
            .ip_address_type(IpAddressType::Dualstack)
            .dns_options(DnsOptions::default().dns_record_ip_type(DnsRecordIpType::Dualstack))
            .build(),
    );
    let mut app = App::new("test");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let t = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    assert_eq!(
        t["Resources"]["VpcAIpv6Block"],
        serde_json::json!({"Type": "AWS::EC2::VPCCidrBlock", "Properties": {"VpcId": {"Ref": "VpcA"}, "AmazonProvidedIpv6CidrBlock": true}})
    );
    assert_eq!(
        t["Resources"]["A2"]["Properties"]["Ipv6CidrBlock"],
        serde_json::json!({"Fn::Select": [1, {"Fn::Cidr": [{"Fn::Select": [0, {"Fn::GetAtt": ["VpcA", "Ipv6CidrBlocks"]}]}, 256, "64"]}]})
    );
    assert_eq!(
        t["Resources"]["A2"]["DependsOn"],
        serde_json::json!(["VpcAIpv6Block"])
    );
    assert_eq!(
        t["Resources"]["EndpointSg"]["DependsOn"],
        serde_json::json!(["VpcAIpv6Block"])
    );
    assert_eq!(
        t["Resources"]["Ssm"]["Properties"]["IpAddressType"],
        "dualstack"
    );
    assert_eq!(
        t["Resources"]["EndpointSg"]["Properties"]["SecurityGroupIngress"][1]["CidrIpv6"],
        serde_json::json!({"Fn::Select": [0, {"Fn::GetAtt": ["VpcA", "Ipv6CidrBlocks"]}]})
    );
}

/// Each dual-stack mistake, one error each, naming the construct and the fix.
#[test]
fn dual_stack_mistakes() {
    // A /64 in a VPC without an IPv6 block.
    let (stack, ..) = dual_stack_consumer(false, [Some(0), None]);
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0106, at("Consumer/A1")));
    assert!(
        matches!(&e, SynthError::Ipv6WithoutVpcBlock { vpc, .. } if vpc == "Consumer/VpcA"),
        "{e:?}"
    );

    // Two subnets on one /64.
    let (stack, ..) = dual_stack_consumer(true, [Some(3), Some(3)]);
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0104, at("Consumer/A2")));
    assert!(
        matches!(&e, SynthError::OverlappingSubnets { cidr, other, .. }
            if cidr == "IPv6 /64 #3" && other == "Consumer/A1"),
        "{e:?}"
    );

    // A dual-stack endpoint with an IPv4-only subnet.
    let (mut stack, vpc, a, b) = dual_stack_consumer(true, [Some(0), None]);
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a, &b])
            .ip_address_type(IpAddressType::Dualstack)
            .build(),
    );
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0107, at("Consumer/Sqs")));
    assert!(
        matches!(&e, SynthError::SubnetWithoutIpv6 { what, subnet, .. }
            if what == "IpAddressType dualstack" && subnet == "Consumer/A2"),
        "{e:?}"
    );

    // A service the catalogue says has no IPv6 (EC2's API).
    let (mut stack, vpc, a, b) = dual_stack_consumer(true, [Some(0), Some(1)]);
    stack.add(
        "Ec2",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Ec2)
            .subnets([&a, &b])
            .ip_address_type(IpAddressType::Dualstack)
            .build(),
    );
    let e = the_error(stack);
    assert_eq!(coded(&e), (Code::VF0203, at("Consumer/Ec2")));
    assert!(
        matches!(&e, SynthError::ServiceWithoutIpv6 { service, reason, .. }
            if service == "AWS service ec2" && reason.contains("catalogue")),
        "{e:?}"
    );

    // DNS records of a type the endpoint's addresses cannot have; IPv6-only endpoints.
    let (mut stack, vpc, a, b) = dual_stack_consumer(true, [Some(0), Some(1)]);
    stack.add(
        "Sts",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sts)
            .subnets([&a, &b])
            .dns_options(DnsOptions::default().dns_record_ip_type(DnsRecordIpType::ServiceDefined))
            .build(),
    );
    stack.add(
        "Logs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Logs)
            .subnets([&a, &b])
            .ip_address_type(IpAddressType::Ipv6)
            .build(),
    );
    let errors = synth_errors(vec![stack]);
    assert_eq!(
        errors.iter().map(coded).collect::<Vec<_>>(),
        [
            (Code::VF0204, at("Consumer/Sts")),
            (Code::VF0202, at("Consumer/Logs")),
        ],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::DnsRecordIpTypeMismatch { record, needs, ip, .. }
            if *record == "service-defined" && *needs == "dualstack" && *ip == "ipv4"),
        "{:?}",
        errors[0]
    );
}

/// An endpoint service offering IPv6 needs dual-stack load balancers, whose subnets need IPv6;
/// a dual-stack endpoint to a service of the app that offers only IPv4 is refused.
#[test]
fn dual_stack_privatelink_needs_it_on_both_sides() {
    let (mut stack, vpc, a, b) = dual_stack_consumer(true, [Some(0), None]);
    let nlb = stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a, &b])
            .security_groups(SecurityGroupRef::none())
            .dualstack(true)
            .build(),
    );
    let ipv4_nlb = stack.add(
        "Ipv4Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(SecurityGroupRef::none())
            .build(),
    );
    stack.add(
        "Service",
        EndpointService::builder()
            .network_load_balancers([&nlb, &ipv4_nlb])
            .supports_ipv6(true)
            .build(),
    );
    let ipv4_only = stack.add(
        "Ipv4Service",
        EndpointService::builder()
            .network_load_balancers([&ipv4_nlb])
            .build(),
    );
    stack.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(ipv4_only)
            .subnets([&a])
            .ip_address_type(IpAddressType::Dualstack)
            .build(),
    );
    let errors: Vec<SynthError> = synth_errors(vec![stack])
        .into_iter()
        .filter(|e| [Code::VF0107, Code::VF0203, Code::VF0302].contains(&e.code()))
        .collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors.iter().any(
            |e| matches!(e, SynthError::SubnetWithoutIpv6 { construct, subnet, .. }
            if construct == "Consumer/Nlb" && subnet == "Consumer/A2")
        ),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| matches!(e, SynthError::EndpointServiceIpv6WithoutDualstack { construct, load_balancer }
            if construct == "Consumer/Service" && load_balancer == "Consumer/Ipv4Nlb")),
        "{errors:#?}"
    );
    assert!(
        errors.iter().any(|e| matches!(e, SynthError::ServiceWithoutIpv6 { construct, service, reason }
            if construct == "Consumer/Endpoint" && service == "endpoint service Consumer/Ipv4Service"
                && reason.contains("SupportedIpAddressTypes"))),
        "{errors:#?}"
    );
}
