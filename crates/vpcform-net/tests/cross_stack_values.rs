//! A value of one stack reaches another only through an export and an import: every value a
//! handle gives out (`reference()`, `From<&handle>`, `cidr_block()`, `group_id()`,
//! `dns_name()`, `dns_entries()`, `service_name()`, a raw resource's `reference()`), written
//! into another stack's template in any form — a construct's property, a raw resource, a
//! property override, an output, nested in `Fn::Join` or `Fn::Sub` — is an error naming both
//! stacks, never a `Ref` to whatever the other stack calls the same ID.

use vpcform_net::cfn::{Resource, Value};
use vpcform_net::endpoints::ServiceName;
use vpcform_net::findings::SynthError;
use vpcform_net::prelude::*;
use vpcform_net::privatelink::EndpointServiceRef;
use vpcform_net::security::SecurityGroupRef;
use vpcform_net::vpc::VpcRef;

include!("common/consumer.rs");

/// The provider: a VPC, a subnet, a security group, an NLB, an endpoint service `Svc`, an
/// interface endpoint and a raw resource — one of each kind of value a handle gives.
struct Provided {
    stack: Stack<Provider>,
    service: EndpointServiceRef<VpcB>,
    values: Vec<(&'static str, Value)>,
}

fn provider() -> Provided {
    let mut stack = Stack::<Provider>::new("Provider");
    let vpc = stack.add(
        "VpcB",
        Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let a = stack.add(
        "B1",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.1.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let b = stack.add(
        "B2",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.1.2.0/24"))
            .availability_zone(Az::index(1))
            .build(),
    );
    let sg = stack.add(
        "Sg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("10.1.0.0/16"))])
            .build(),
    );
    let nlb = stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a, &b])
            .security_groups(SecurityGroupRef::none())
            .build(),
    );
    let service = stack.add(
        "Svc",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .build(),
    );
    let kms = stack.add(
        "Kms",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Kms)
            .subnets([&a, &b])
            .security_groups([&sg])
            .build(),
    );
    let topic = stack.add_resource("Topic", Resource::new("AWS::SNS::Topic"));
    let values = vec![
        ("reference()", vpc.reference()),
        ("From<&handle>", Value::from(&a)),
        ("cidr_block()", vpc.cidr_block()),
        ("group_id()", sg.group_id()),
        ("dns_name()", nlb.dns_name()),
        ("dns_entries()", kms.dns_entries()),
        ("service_name()", service.service_name().value().clone()),
        ("raw reference()", topic.reference()),
        (
            "nested in Fn::Join",
            Value::join(",", [Value::from("x"), sg.group_id()]),
        ),
        (
            "nested in Fn::Sub",
            Value::sub_with("${Id}-x", [("Id", nlb.dns_name())]),
        ),
    ];
    Provided {
        stack,
        service,
        values,
    }
}

fn app(provider: Stack<Provider>, consumer: Stack<Consumer>) -> App {
    let mut app = App::new("cross-stack");
    app.add_stack(provider);
    app.add_stack(consumer);
    app
}

/// `(stack, location, other stack)` of each `ValueOfAnotherStack`; panics on any other error.
fn foreign(app: &App) -> Vec<(String, String, Option<String>)> {
    let errors = match app.synth() {
        Ok(_) => panic!("synthesized a value of another stack"),
        Err(e) => e,
    };
    errors
        .errors()
        .iter()
        .map(|e| match e {
            SynthError::ValueOfAnotherStack {
                stack,
                location,
                other_stack,
                ..
            } => (stack.clone(), location.clone(), other_stack.clone()),
            other => panic!("expected only ValueOfAnotherStack, got: {other}"),
        })
        .collect()
}

/// The consumer: a VPC with a subnet and its own `Svc` (a security group), which a `${Svc}` of
/// the provider's would resolve to.
fn consumer_with_svc() -> (
    Stack<Consumer>,
    VpcRef<VpcA>,
    vpcform_net::vpc::SubnetRef<VpcA>,
) {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    stack.add("Svc", SecurityGroup::builder().vpc(&vpc).build());
    (stack, vpc, a)
}

#[test]
fn the_providers_service_name_in_the_consumers_endpoint_is_an_error() {
    type Form = fn(&EndpointServiceRef<VpcB>) -> ServiceName;
    let forms: [Form; 2] = [
        |s| ServiceName::new(s.service_name()),
        |s| ServiceName::new(s.service_name().value().clone()),
    ];
    for form in forms {
        let provided = provider();
        let (mut consumer, vpc, a) = consumer_with_svc();
        consumer.add(
            "Endpoint",
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(form(&provided.service))
                .subnets([&a])
                .build(),
        );
        let found = foreign(&app(provided.stack, consumer));
        assert_eq!(
            found,
            [(
                "Consumer".to_string(),
                "Endpoint.ServiceName".to_string(),
                Some("Provider".to_string())
            )]
        );
    }
    // Through an export and an import, the same service synthesizes.
    let mut provided = provider();
    let (mut consumer, vpc, a) = consumer_with_svc();
    let export = provided
        .stack
        .export("ServiceName", provided.service.service_name());
    let name = consumer.import(&export);
    consumer.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(name)
            .subnets([&a])
            .build(),
    );
    if let Err(e) = app(provided.stack, consumer).synth() {
        panic!("{e}");
    }
}

#[test]
fn every_value_a_handle_gives_is_refused_in_a_raw_resource_of_another_stack() {
    let provided = provider();
    let (mut consumer, _vpc) = consumer();
    let mut resource = Resource::new("AWS::SSM::Parameter");
    for (i, (_, value)) in provided.values.iter().enumerate() {
        resource = resource.property(format!("P{i}"), value.clone());
    }
    consumer.add_resource("Params", resource);
    let found = foreign(&app(provided.stack, consumer));
    let expected: Vec<_> = (0..provided.values.len())
        .map(|i| {
            (
                "Consumer".to_string(),
                format!("Params.P{i}"),
                Some("Provider".to_string()),
            )
        })
        .collect();
    assert_eq!(
        found,
        expected,
        "{:?}",
        provided.values.iter().map(|(f, _)| f).collect::<Vec<_>>()
    );
}

#[test]
fn the_same_values_in_their_own_stack_synthesize() {
    let mut provided = provider();
    let mut resource = Resource::new("AWS::SSM::Parameter");
    for (i, (_, value)) in provided.values.iter().enumerate() {
        resource = resource.property(format!("P{i}"), value.clone());
    }
    provided.stack.add_resource("Params", resource);
    let mut app = App::new("own");
    app.add_stack(provided.stack);
    if let Err(e) = app.synth() {
        panic!("{e}");
    }
}

#[test]
fn overrides_outputs_and_typed_properties_are_checked_too() {
    let provided = provider();
    let sg_of_provider = provided.values[3].1.clone();
    let (mut consumer, vpc) = consumer();
    let a = subnet(&mut consumer, &vpc, "A1", "10.0.1.0/24", 0);
    let group = consumer.add(
        "Group",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(
                Port::tcp(443),
                Peer::prefix_list(provided.values[0].1.clone()),
            )])
            .build(),
    );
    consumer.override_property(&group, "GroupDescription", sg_of_provider.clone());
    consumer.output("Leaked", sg_of_provider);
    consumer.add(
        "Targets",
        TargetGroup::builder()
            .vpc(&vpc)
            .port(443)
            .targets([TargetDescription::ip(provided.values[4].1.clone())])
            .build(),
    );
    let _ = a;
    let found = foreign(&app(provided.stack, consumer));
    let locations: Vec<&str> = found.iter().map(|(_, l, _)| l.as_str()).collect();
    assert_eq!(
        locations,
        [
            "Group.GroupDescription",
            "Group.SecurityGroupIngress",
            "Targets.Targets",
            "output Leaked"
        ]
    );
}

#[test]
fn a_value_of_another_apps_stack_is_an_error_too() {
    let provided = provider();
    let (mut consumer, _vpc) = consumer();
    consumer.add_resource(
        "Param",
        Resource::new("AWS::SSM::Parameter").property("Value", provided.values[0].1.clone()),
    );
    let mut app = App::new("alone");
    app.add_stack(consumer);
    let found = foreign(&app);
    assert_eq!(
        found,
        [("Consumer".to_string(), "Param.Value".to_string(), None)]
    );
}
