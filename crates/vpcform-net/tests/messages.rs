//! Findings that named the wrong construct or the wrong fix (issue 23's list), each proven on
//! the data the finding carries, not on its sentence.

use vpcform_net::findings::SynthError;
use vpcform_net::prelude::*;
use vpcform_net::security::SecurityGroupRef;

include!("common/consumer.rs");

/// Every `DuplicateSubnetsInSameZone` as `(construct, kind, also)`.
fn same_zone(app: &App) -> Vec<(String, String, Vec<String>)> {
    let errors = match app.synth() {
        Ok(_) => panic!("synthesized two subnets in one zone"),
        Err(e) => e,
    };
    errors
        .errors()
        .iter()
        .filter_map(|e| match e {
            SynthError::DuplicateSubnetsInSameZone {
                construct,
                kind,
                also,
                ..
            } => Some((construct.clone(), kind.clone(), also.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn two_subnets_in_one_zone_name_the_kind_of_construct_they_were_given_to() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let b = subnet(&mut stack, &vpc, "A2", "10.0.2.0/24", 0);
    let tgw = stack.add("Tgw", TransitGateway::builder().build());
    stack.add(
        "Attachment",
        TransitGatewayAttachment::builder()
            .vpc(&vpc)
            .transit_gateway(&tgw)
            .subnets([&a, &b])
            .build(),
    );
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a, &b])
            .security_groups(SecurityGroupRef::none())
            .build(),
    );
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a, &b])
            .build(),
    );
    let mut app = App::new("zones");
    app.add_stack(stack);
    // One cause, one finding: the first construct given both subnets, and the others, each
    // with its own kind.
    assert_eq!(
        same_zone(&app),
        [(
            "Consumer/Attachment".to_string(),
            "a transit gateway attachment".to_string(),
            vec![
                "Consumer/Nlb (a Network Load Balancer)".to_string(),
                "Consumer/Sqs (an interface endpoint)".to_string(),
            ]
        )]
    );
}

#[test]
fn an_endpoint_service_of_the_same_stack_is_taken_by_reference_as_every_handle() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let nlb = stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(SecurityGroupRef::none())
            .build(),
    );
    let service = stack.add(
        "Svc",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .allowed_principals(["arn:aws:iam::111122223333:root"])
            .build(),
    );
    // `&service`, not `service`: this did not compile, and the compiler said "an endpoint
    // service of another stack".
    stack.add(
        "Endpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(&service)
            .subnets([&a])
            .build(),
    );
    let mut app = App::new("by-reference");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let endpoint = &assembly.stacks()[0].template().resources()["Endpoint"];
    assert_eq!(
        endpoint.properties().get("ServiceName"),
        Some(&vpcform_net::cfn::Value::sub(
            "com.amazonaws.vpce.${AWS::Region}.${Svc}"
        ))
    );
}

#[test]
fn a_workload_in_no_subnet_is_one_error_with_its_fix_not_an_empty_unreachable_flow() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let none: [&vpcform_net::vpc::SubnetRef<VpcA>; 0] = [];
    let pods = stack.add("Pods", Workload::builder().subnets(none).build());
    let mut app = App::new("workload");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)));
    app.require_private_traffic();
    let errors = match app.synth() {
        Ok(_) => panic!("synthesized a workload in no subnet"),
        Err(e) => e,
    };
    assert!(
        matches!(errors.errors(), [SynthError::Empty { construct, .. }] if construct == "Consumer/Pods"),
        "{errors}"
    );
}

#[test]
fn flows_that_one_fix_serves_are_one_finding_listing_them() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let b = subnet(&mut stack, &vpc, "A2", "10.0.2.0/24", 1);
    stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a, &b]).build(),
    );
    // One security group that admits none of the workload's subnets, on every endpoint.
    let sg = stack.add(
        "EndpointSg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4("192.168.0.0/16"))])
            .build(),
    );
    let mut endpoint = |id: &str, service: vpcform_net::services::ByName| {
        stack.add(
            id,
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(service)
                .subnets([&a, &b])
                .security_groups([&sg])
                .build(),
        );
    };
    endpoint("Sts", vpcform_net::services::ByName::new("sts"));
    endpoint("Ssm", vpcform_net::services::ByName::new("ssm"));
    endpoint("Logs", vpcform_net::services::ByName::new("logs"));
    let pods = stack.add("Pods", Workload::builder().subnets([&a]).build());
    let mut app = App::new("one-cause");
    app.add_stack(stack);
    for service in ["sts", "ssm", "logs"] {
        app.flow(Flow::new(
            &pods,
            vpcform_net::services::ByName::new(service),
            Port::tcp(443),
        ));
    }
    app.require_private_traffic();
    let errors = match app.synth() {
        Ok(_) => panic!("synthesized unreachable flows"),
        Err(e) => e,
    };
    let found: Vec<(&str, &[String])> = errors
        .errors()
        .iter()
        .filter_map(|e| match e {
            SynthError::TrafficNotPrivate { flow, also, .. } => Some((flow.as_str(), &also[..])),
            _ => None,
        })
        .collect();
    assert_eq!(
        found,
        [(
            "Consumer/Pods -> sts (TCP 443)",
            &[
                "Consumer/Pods -> ssm (TCP 443)".to_string(),
                "Consumer/Pods -> logs (TCP 443)".to_string()
            ][..]
        )],
        "{errors}"
    );
}
