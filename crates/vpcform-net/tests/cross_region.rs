//! Interface endpoints to an AWS service of another region (`service_region`): the
//! `ServiceName` is that region's, in every partition; AWS's limits on it are errors; and the
//! endpoint is no path to the service of the endpoint's own region. An endpoint service of
//! another region (cross-Region PrivateLink) is priced with the transfer between regions.

use vpcform_net::cfn::Value;
use vpcform_net::findings::{SynthError, SynthErrors};
use vpcform_net::prelude::*;
use vpcform_net::security::SecurityGroupRef;
use vpcform_net::services::InterfaceService;
use vpcform_net::traffic::PathKind;

include!("common/consumer.rs");

/// A stack in `region` (unpinned when `None`) with one endpoint to `service` of
/// `service_region`, and a workload whose flow goes to `service`.
fn app<T: InterfaceService + Copy>(region: Option<&str>, service: T, service_region: &str) -> App {
    let (mut stack, vpc) = consumer();
    if let Some(region) = region {
        stack = stack.region(region);
    }
    let a = subnet(&mut stack, &vpc, "A", "10.0.1.0/24", 0);
    let b = subnet(&mut stack, &vpc, "B", "10.0.2.0/24", 1);
    let clients = stack.add(
        "Clients",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/16"))])
            .build(),
    );
    stack.add(
        "Remote",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(service)
            .subnets([&a, &b])
            .security_groups([&clients])
            .service_region(service_region)
            .build(),
    );
    let pods = stack.add("Pods", Workload::builder().subnets([&a]).build());
    let mut app = App::new("cross-region");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, service, Port::tcp(443)));
    app
}

/// `ServiceName` and `ServiceRegion` of the endpoint `Remote`.
fn names(app: &App) -> (Value, Value) {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let template = assembly.stacks()[0].template();
    let endpoint = template
        .resources()
        .get("Remote")
        .unwrap_or_else(|| panic!("no endpoint"));
    let property = |name: &str| {
        endpoint
            .properties()
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("no {name}"))
    };
    (property("ServiceName"), property("ServiceRegion"))
}

fn errors(app: &App) -> SynthErrors {
    match app.synth() {
        Ok(_) => panic!("synthesized"),
        Err(e) => e,
    }
}

#[test]
fn the_service_name_is_the_service_regions_in_every_partition() {
    for (region, service_region, expected) in [
        ("us-east-1", "eu-west-1", "com.amazonaws.eu-west-1.kms"),
        (
            "us-gov-west-1",
            "us-gov-east-1",
            "com.amazonaws.us-gov-east-1.kms",
        ),
        (
            "cn-north-1",
            "cn-northwest-1",
            "com.amazonaws.cn-northwest-1.kms",
        ),
    ] {
        let (name, named_region) = names(&app(Some(region), services::Kms, service_region));
        assert_eq!(name, Value::from(expected), "{region} → {service_region}");
        assert_eq!(named_region, Value::from(service_region));
    }
    // The case of the issue: S3 of eu-west-1 from us-east-1.
    let (name, named_region) = names(&app(Some("us-east-1"), services::S3, "eu-west-1"));
    assert_eq!(name, Value::from("com.amazonaws.eu-west-1.s3"));
    assert_eq!(named_region, Value::from("eu-west-1"));
    // A region with its own prefix for the service: that region's prefix, not the stack's.
    let (name, _) = names(&app(
        Some("us-iso-east-1"),
        services::EcrApi,
        "us-iso-west-1",
    ));
    assert_eq!(name, Value::from("gov.ic.c2s.us-iso-west-1.ecr.api"));
    let (name, _) = names(&app(Some("cn-north-1"), services::Lambda, "cn-northwest-1"));
    assert_eq!(name, Value::from("cn.com.amazonaws.cn-northwest-1.lambda"));
    let (name, _) = names(&app(Some("us-east-1"), services::Lambda, "us-west-2"));
    assert_eq!(name, Value::from("com.amazonaws.us-west-2.lambda"));
}

#[test]
fn a_stack_of_no_pinned_region_still_names_the_service_region() {
    let (name, _) = names(&app(None, services::Kms, "eu-west-1"));
    assert_eq!(name, Value::from("com.amazonaws.eu-west-1.kms"));
}

#[test]
fn a_service_region_that_is_no_region_code_is_an_error() {
    let errors = errors(&app(Some("us-east-1"), services::Kms, "eu-west"));
    assert!(matches!(
        errors.errors(),
        [SynthError::InvalidServiceRegion { region, .. }] if region == "eu-west"
    ));
}

#[test]
fn a_service_region_of_another_partition_is_an_error() {
    let errors = errors(&app(Some("us-east-1"), services::Kms, "cn-north-1"));
    assert!(
        matches!(
            errors.errors(),
            [SynthError::ServiceRegionInOtherPartition {
                partition: "aws",
                service_partition: "aws-cn",
                ..
            }]
        ),
        "{errors}"
    );
}

#[test]
fn a_service_aws_does_not_serve_across_regions_is_an_error() {
    let errors = errors(&app(Some("us-east-1"), services::Sqs, "eu-west-1"));
    assert!(
        matches!(
            errors.errors(),
            [SynthError::ServiceNotCrossRegion { service, .. }] if service == "sqs"
        ),
        "{errors}"
    );
    // Its own region named explicitly crosses nothing.
    let (name, _) = names(&app(Some("us-east-1"), services::Sqs, "us-east-1"));
    assert_eq!(name, Value::from("com.amazonaws.us-east-1.sqs"));
}

#[test]
fn an_endpoint_to_another_regions_service_is_no_path_to_the_own_regions() {
    let path = |app: &App| {
        let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
        assembly.traffic().flows[0].path
    };
    assert_ne!(
        path(&app(Some("us-east-1"), services::Kms, "eu-west-1")),
        PathKind::InterfaceEndpoint
    );
    assert_eq!(
        path(&app(Some("us-east-1"), services::Kms, "us-east-1")),
        PathKind::InterfaceEndpoint
    );
}

/// A provider's endpoint service in us-east-1 (an NLB), consumed by an endpoint of a VPC in
/// `consumer_region` sending 50 GB a month to it: with `ServiceRegion` us-east-1 when the
/// consumer is in another Region.
fn private_link(consumer_region: &str) -> App {
    let mut provider = Stack::<Provider>::new("Provider").region("us-east-1");
    let b = provider.add("VpcB", Vpc::<VpcB>::builder().cidr("10.1.0.0/16").build());
    let b1 = provider.add(
        "B1",
        Subnet::builder()
            .vpc(&b)
            .cidr("10.1.1.0/24")
            .availability_zone(Az::index(0))
            .build(),
    );
    let nlb = provider.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&b1])
            .security_groups(SecurityGroupRef::none())
            .build(),
    );
    let targets = provider.add("Targets", TargetGroup::builder().vpc(&b).port(443).build());
    provider.add(
        "Listener",
        Listener::builder()
            .load_balancer(&nlb)
            .port(443)
            .default_target_group(&targets)
            .build(),
    );
    let other_regions: Vec<&str> = [consumer_region]
        .into_iter()
        .filter(|r| *r != "us-east-1")
        .collect();
    let service = provider.add(
        "Service",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .supported_regions(other_regions.clone())
            .build(),
    );
    let export = provider.export("ServiceName", service.service_name());

    let (stack, vpc) = consumer();
    let mut stack = stack.region(consumer_region);
    let a = subnet(&mut stack, &vpc, "A", "10.0.1.0/24", 0);
    let clients = stack.add(
        "Clients",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("10.0.0.0/16"))])
            .build(),
    );
    let imported = stack.import(&export);
    let endpoint = InterfaceEndpoint::builder()
        .vpc(&vpc)
        .service(imported)
        .subnets([&a])
        .security_groups([&clients]);
    let endpoint = if other_regions.is_empty() {
        endpoint.build()
    } else {
        endpoint.service_region("us-east-1").build()
    };
    stack.add("Remote", endpoint);
    let pods = stack.add("Pods", Workload::builder().subnets([&a]).build());
    let mut app = App::new("cross-region-privatelink");
    app.add_stack(provider);
    app.add_stack(stack);
    app.flow(Flow::new(&pods, &service, Port::tcp(443)).gb_per_month(50.0));
    app
}

/// The monthly cost and basis of the consumer's endpoint.
fn endpoint_cost(app: &App) -> (f64, String) {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    // Through the endpoint: the service asks for acceptance, and is priced as it will run.
    assert!(
        matches!(
            assembly.traffic().flows[0].path,
            PathKind::InterfaceEndpoint | PathKind::PendingAcceptance
        ),
        "{}",
        assembly.traffic().table()
    );
    let cost = assembly.cost();
    cost.stacks
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.resource == "Consumer/Remote")
        .map(|i| (i.monthly, i.basis.clone()))
        .unwrap_or_else(|| panic!("no Consumer/Remote in {cost}"))
}

#[test]
fn an_endpoint_to_a_service_of_another_region_pays_the_transfer_between_regions() {
    // Same Region: 730 h x $0.01 + 50 GB x $0.01, no transfer.
    let (monthly, basis) = endpoint_cost(&private_link("us-east-1"));
    assert_eq!(monthly, 7.8, "{basis}");
    assert!(!basis.contains("between regions"), "{basis}");
    // Across Regions: the same, and the 50 GB between Regions x $0.02.
    let (monthly, basis) = endpoint_cost(&private_link("us-west-2"));
    assert_eq!(monthly, 8.8, "{basis}");
    assert!(
        basis.contains("50 GB between regions (us-west-2 to the service in us-east-1) x $0.02"),
        "{basis}"
    );
}
