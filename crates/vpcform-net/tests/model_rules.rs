//! The typed network model's guarantees (handle identity, typed exports, the escape hatch) and
//! the AWS rules it added: each test fails when its rule is removed.

use vpcform_net::cfn;
use vpcform_net::endpoints::DnsOptions;
use vpcform_net::endpoints::ServiceName;
use vpcform_net::findings::{Code, SynthError, SynthWarning};
use vpcform_net::prelude::*;
use vpcform_net::privatelink::HealthCheck;
use vpcform_net::privatelink::Scheme;
use vpcform_net::security::SecurityGroupRef;
use vpcform_net::vpc::CidrError;
use vpcform_net::vpc::{InternetGateway, NatGateway, VpcRef};
use vpcform_net::vpc::{InternetGatewayRef, NatGatewayRef, RouteTableRef, SubnetRef};

include!("common/consumer.rs");
include!("common/report.rs");

/// The errors of `app`'s synthesis, as data; none when it succeeds.
fn errors_of(app: &App) -> Vec<SynthError> {
    app.synth().err().map(|e| e.0).unwrap_or_default()
}

fn errors(stack: Stack<Consumer>) -> Vec<SynthError> {
    let mut app = App::new("test");
    app.add_stack(stack);
    errors_of(&app)
}

/// The codes and constructs of `stack`'s synthesis errors (each code's text has its snapshot
/// in `finding.rs`).
fn codes(stack: Stack<Consumer>) -> Vec<(Code, Option<String>)> {
    let mut app = App::new("test");
    app.add_stack(stack);
    error_codes(&app)
}

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
}

fn one_error(stack: Stack<Consumer>) -> SynthError {
    let mut errors = errors(stack);
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    errors.remove(0)
}

/// An error's code and construct.
fn coded(e: &SynthError) -> (Code, Option<String>) {
    (e.code(), e.construct().map(str::to_string))
}

/// The codes and constructs of errors already collected.
fn all_coded(errors: &[SynthError]) -> Vec<(Code, Option<String>)> {
    errors.iter().map(coded).collect()
}

/// A consumer stack with a public subnet, its route table and (optionally) an internet gateway.
type Public = (
    Stack<Consumer>,
    VpcRef<VpcA>,
    SubnetRef<VpcA>,
    RouteTableRef<VpcA>,
    Option<InternetGatewayRef<VpcA>>,
);

fn public(with_igw: bool) -> Public {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "Public", "10.0.0.0/24", 0);
    let routes = stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a]).build(),
    );
    let igw = with_igw.then(|| stack.add("Igw", InternetGateway::builder().vpc(&vpc).build()));
    (stack, vpc, a, routes, igw)
}

// ── Identity ────────────────────────────────────────────────────────────────────────────

#[test]
fn a_handle_of_another_app_with_the_same_stack_name_is_an_error() {
    // Two programs' worth of the same stack: IDs and names agree, identities do not.
    let (mut other, other_vpc) = consumer();
    let foreign = subnet(&mut other, &other_vpc, "A1", "10.0.1.0/24", 0);
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&foreign]).build(),
    );
    let e = one_error(stack);
    assert_eq!(coded(&e), (Code::VF0908, at("Consumer/Routes")));
    assert!(
        matches!(&e, SynthError::HandleNotInApp { property: "subnets", target, .. }
            if target == "Consumer/A1"),
        "{e:?}"
    );
}

#[test]
fn an_output_of_another_stacks_handle_is_an_error() {
    // A stack of the same name and IDs, never added: its handle must not resolve here.
    let (mut other, other_vpc) = consumer();
    let (mut stack, vpc) = consumer();
    let theirs = subnet(&mut other, &other_vpc, "A1", "10.0.1.0/24", 0);
    subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    stack.output("SubnetId", &theirs);
    let mut app = App::new("test");
    app.add_stack(stack);
    let errors = errors_of(&app);
    assert_eq!(
        all_coded(&errors),
        [(Code::VF0908, at("Consumer/output SubnetId"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::HandleNotInApp { property: "Value", target, .. }
            if target == "Consumer/A1"),
        "{:?}",
        errors[0]
    );
}

#[test]
fn a_flow_whose_workload_is_not_in_the_app_is_an_error() {
    let (mut other, vpc) = consumer();
    let a = subnet(&mut other, &vpc, "A1", "10.0.1.0/24", 0);
    let pods = other.add("Pods", Workload::builder().subnets([&a]).build());
    let (stack, _) = consumer();
    let mut app = App::new("test");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)));
    let errors = errors_of(&app);
    assert_eq!(all_coded(&errors), [(Code::VF1001, None)], "{errors:#?}");
    assert!(
        matches!(&errors[0], SynthError::FlowNotInApp { flow, missing }
            if flow == "Consumer/Pods -> s3 (TCP 443)" && missing.contains("Consumer/Pods")),
        "{:?}",
        errors[0]
    );
    // The fix is to add the workload's stack.
    let help = errors[0].help().unwrap_or_default();
    assert!(help.contains("stack"), "{help}");
}

#[test]
fn a_negative_or_infinite_volume_is_an_error() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let pods = stack.add("Pods", Workload::builder().subnets([&a]).build());
    let mut app = App::new("test");
    app.add_stack(stack);
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)).gb_per_month(-1.0));
    app.flow(Flow::new(&pods, services::S3, Port::tcp(443)).gb_per_month(f64::NAN));
    let errors = errors_of(&app);
    assert_eq!(
        all_coded(&errors),
        [(Code::VF1002, None), (Code::VF1002, None)],
        "{errors:#?}"
    );
    assert!(
        matches!(errors[0], SynthError::InvalidVolume { value, .. } if value == -1.0),
        "{:?}",
        errors[0]
    );
    assert!(
        matches!(errors[1], SynthError::InvalidVolume { value, .. } if value.is_nan()),
        "{:?}",
        errors[1]
    );
}

#[test]
fn importing_ones_own_export_is_an_error() {
    let (mut stack, vpc) = consumer();
    let export = stack.export("VpcId", &vpc);
    let imported = stack.import(&export);
    stack.output("Again", &imported);
    let errors = errors(stack);
    assert!(
        errors.iter().any(
            |e| matches!(e, SynthError::InvalidImport { stack, from, .. }
            if stack == "Consumer" && from == "Consumer")
        ),
        "{errors:#?}"
    );
}

/// `Fn::ImportValue` resolves only exports of the same account and region (CloudFormation
/// User Guide, Fn::ImportValue): across accounts the import is a parameter the deployer fills.
#[test]
fn an_import_from_another_account_is_a_parameter_filled_at_deploy() {
    let mut provider = Stack::<Provider>::new("Provider").account("444455556666");
    let vpc_b = provider.add(
        "VpcB",
        Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let export = provider.export("VpcId", &vpc_b);
    let (stack, _) = consumer();
    let mut stack = stack.account("111122223333");
    let imported = stack.import(&export);
    stack.output("ProviderVpc", &imported);
    let again = stack.import(&export);
    stack.output("ProviderVpcAgain", &again);
    let mut app = App::new("test");
    app.add_stack(provider);
    app.add_stack(stack);
    let assembly = app.synth().expect("synthesizes");
    let consumer = assembly.stack("Consumer").expect("consumer");
    assert!(consumer.template().imports().is_empty());
    assert_eq!(consumer.depends_on(), ["Provider"]);
    let parameter = &consumer.template().parameters()["ImportProviderVpcId"];
    assert_eq!(parameter.parameter_type(), "String");
    assert_eq!(
        consumer.template().outputs()["ProviderVpc"].value(),
        &Value::reference("ImportProviderVpcId")
    );
    assert_eq!(
        consumer.parameter_imports(),
        [vpcform_net::deployment::ParameterImport {
            parameter: "ImportProviderVpcId".into(),
            stack: "Provider".into(),
            output: "VpcId".into(),
        }]
    );
    let manifest = serde_json::to_value(assembly.manifest()).expect("json");
    // Imported twice, one parameter.
    assert_eq!(consumer.template().parameters().len(), 1);
    assert_eq!(
        manifest["stacks"][1]["parameterImports"][0]["output"],
        "VpcId"
    );
    assert_eq!(manifest["stacks"][1]["account"], "111122223333");
    assert!(
        manifest["stacks"][1]["imports"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
}

/// In one known account and region an import stays `Fn::ImportValue` (CloudFormation then
/// guards the export); a valid profile is no error; names that strip to one are numbered.
#[test]
fn an_import_in_one_account_and_region_stays_an_import_value() {
    let mut provider = Stack::<Provider>::new("Provider")
        .account("111122223333")
        .region("us-east-1")
        .profile("network");
    let vpc_b = provider.add(
        "VpcB",
        Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    let export = provider.export("VpcId", &vpc_b);
    let (stack, _) = consumer();
    let mut stack = stack
        .account("111122223333")
        .region("us-east-1")
        .profile("network");
    let imported = stack.import(&export);
    stack.output("ProviderVpc", &imported);
    let mut app = App::new("test");
    app.add_stack(provider);
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let consumer = assembly.stack("Consumer").expect("consumer");
    assert_eq!(consumer.template().imports(), ["Provider-VpcId"]);
    assert!(consumer.parameter_imports().is_empty());
    assert!(consumer.template().parameters().is_empty());
}

#[test]
fn import_parameter_names_that_strip_to_one_are_numbered() {
    use vpcform_net::handles::{DynamicStack, DynamicVpc};
    let mut stacks = Vec::new();
    let mut exports = Vec::new();
    for (i, name) in ["Net-A", "NetA", "N-etA"].into_iter().enumerate() {
        let mut s = Stack::<DynamicStack>::new(name);
        let vpc = s.add(
            "Vpc",
            Vpc::<DynamicVpc>::builder()
                .cidr(format!("10.{i}.0.0/16").as_str())
                .build(),
        );
        exports.push(s.export("VpcId", &vpc));
        stacks.push(s);
    }
    let mut d = Stack::<DynamicStack>::new("Consumer").account("444455556666");
    let vpc = d.add(
        "Vpc",
        Vpc::<DynamicVpc>::builder()
            .cidr(cidr!("10.9.0.0/16"))
            .build(),
    );
    let _ = vpc;
    for (i, export) in exports.iter().enumerate() {
        let imported = d.import(export);
        d.output(&format!("From{i}"), &imported);
    }
    let mut app = App::new("test");
    for s in stacks {
        app.add_stack(s);
    }
    app.add_stack(d);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = assembly
        .stack("Consumer")
        .expect("consumer")
        .parameter_imports()
        .iter()
        .map(|p| p.parameter.as_str())
        .collect();
    assert_eq!(
        names,
        ["ImportNetAVpcId", "ImportNetAVpcId2", "ImportNetAVpcId3"]
    );
}

#[test]
fn environments_aws_cannot_deploy_to_are_errors() {
    let (stack, _) = consumer();
    let stack = stack
        .account("1234")
        .role_arn("arn:aws:iam::111122223333:user/me")
        .profile("two words");
    // Each refused setting: what it is and its value; the fix says what it must be.
    let refused = |e: &SynthError| match e {
        SynthError::InvalidEnvironment { what, value, .. } => (
            e.code(),
            e.construct().map(str::to_string),
            *what,
            value.clone(),
        ),
        e => panic!("not an environment error: {e:?}"),
    };
    let errors = errors(stack);
    assert_eq!(
        errors.iter().map(refused).collect::<Vec<_>>(),
        [
            (Code::VF0919, at("Consumer"), "account", "1234".to_string()),
            (
                Code::VF0919,
                at("Consumer"),
                "role ARN",
                "arn:aws:iam::111122223333:user/me".to_string()
            ),
            (
                Code::VF0919,
                at("Consumer"),
                "profile",
                "two words".to_string()
            ),
        ],
        "{errors:#?}"
    );
    let helps: Vec<String> = errors.iter().filter_map(SynthError::help).collect();
    assert!(helps[0].contains("12 digits"), "{helps:#?}");
    assert!(helps[1].contains(":role/"), "{helps:#?}");
    let (stack, _) = consumer();
    assert_eq!(
        refused(&one_error(stack.profile("a]b"))),
        (Code::VF0919, at("Consumer"), "profile", "a]b".to_string())
    );
    let (stack, _) = consumer();
    let stack = stack
        .account("111122223333")
        .role_arn("arn:aws:iam::444455556666:role/deploy");
    let e = one_error(stack);
    assert_eq!(
        refused(&e),
        (
            Code::VF0919,
            at("Consumer"),
            "role ARN",
            "arn:aws:iam::444455556666:role/deploy".to_string()
        )
    );
    // The fix names both accounts: the role's and the stack's.
    let help = e.help().unwrap_or_default();
    assert!(
        help.contains("444455556666") && help.contains("111122223333"),
        "{help}"
    );
}

#[test]
fn duplicate_outputs_are_reported() {
    let (mut stack, vpc) = consumer();
    stack.output("VpcId", &vpc);
    stack.output("VpcId", &vpc);
    let e = one_error(stack);
    assert_eq!(coded(&e), (Code::VF0905, at("Consumer")));
    assert!(
        matches!(&e, SynthError::DuplicateOutput { name, .. } if name == "VpcId"),
        "{e:?}"
    );
}

#[test]
fn a_generated_id_colliding_with_a_given_one_names_both_constructs() {
    let (mut stack, vpc, _, _, _) = public(true);
    // `Igw` renders `IgwAttachment`; a subnet given that ID collides with it.
    subnet(&mut stack, &vpc, "IgwAttachment", "10.0.9.0/24", 0);
    let e = one_error(stack);
    assert_eq!(coded(&e), (Code::VF0904, at("Consumer")));
    let SynthError::DuplicateId {
        id,
        construct,
        other,
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(id, "IgwAttachment");
    // Both constructs, in either order, each with its kind.
    let mut both = [construct.as_str(), other.as_str()];
    both.sort_unstable();
    assert_eq!(
        both,
        [
            "Consumer/Igw (an internet gateway)",
            "Consumer/IgwAttachment (a subnet)"
        ]
    );
}

#[test]
fn a_stack_cycle_names_the_cycle() {
    vpcform_net::topology! { stack A {} stack B {} stack C {} }
    let mut a = Stack::<A>::new("A");
    let mut b = Stack::<B>::new("B");
    let mut c = Stack::<C>::new("C");
    c.add_resource("Topic", cfn::Resource::new("AWS::SNS::Topic"));
    let from_a = a.export("X", "x");
    let from_b = b.export("Y", "y");
    let in_b = b.import(&from_a);
    b.output("Z", &in_b);
    let in_a = a.import(&from_b);
    a.output("W", &in_a);
    a.add_resource("Topic", cfn::Resource::new("AWS::SNS::Topic"));
    b.add_resource("Topic", cfn::Resource::new("AWS::SNS::Topic"));
    let mut app = App::new("test");
    app.add_stack(c);
    app.add_stack(a);
    app.add_stack(b);
    let errors = errors_of(&app);
    assert!(
        errors
            .iter()
            .any(|e| matches!(e, SynthError::StackCycle { cycle }
            if cycle == &["A", "B", "A"])),
        "{errors:#?}"
    );
}

// ── Escape hatch ────────────────────────────────────────────────────────────────────────

#[test]
fn raw_resources_and_overrides_render_and_their_references_are_checked() {
    let (mut stack, vpc) = consumer();
    stack.add_resource(
        "FlowLogs",
        cfn::Resource::new("AWS::EC2::FlowLog")
            .property("ResourceId", vpc.reference())
            .property("ResourceType", "VPC"),
    );
    stack.override_property(&vpc, "InstanceTenancy", "default");
    let mut app = App::new("test");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let template = assembly.stacks()[0].template();
    assert_eq!(
        template.resources()["FlowLogs"].resource_type(),
        "AWS::EC2::FlowLog"
    );
    assert_eq!(
        template.resources()["VpcA"].get("InstanceTenancy"),
        Some(&Value::from("default"))
    );

    let (mut stack, _) = consumer();
    stack.add_resource(
        "FlowLogs",
        cfn::Resource::new("AWS::EC2::FlowLog").property("ResourceId", Value::reference("Nope")),
    );
    let e = one_error(stack);
    assert_eq!(coded(&e), (Code::VF0924, at("Consumer")));
    assert!(
        matches!(&e, SynthError::Template { source: cfn::TemplateError::UnresolvedReference { from, target, .. }, .. }
            if from == "FlowLogs" && target == "Nope"),
        "{e:?}"
    );
}

#[test]
fn an_override_of_a_workload_or_through_a_scalar_is_an_error() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let pods = stack.add("Pods", Workload::builder().subnets([&a]).build());
    stack.override_property(&pods, "X", "y");
    stack.override_property(&a, "CidrBlock.Inner", "y");
    let errors = errors(stack);
    assert_eq!(
        all_coded(&errors),
        [
            (Code::VF0907, at("Consumer/Pods")),
            (Code::VF0907, at("Consumer/A1")),
        ],
        "{errors:#?}"
    );
    // Each names the path and why it cannot be applied: a workload renders no resource; a
    // path through a scalar reaches no property.
    assert!(
        matches!(&errors[0], SynthError::InvalidOverride { path, reason, .. }
            if path == "X" && reason.contains("no resource")),
        "{:?}",
        errors[0]
    );
    assert!(
        matches!(&errors[1], SynthError::InvalidOverride { path, reason, .. }
            if path == "CidrBlock.Inner" && reason.contains("not a map")),
        "{:?}",
        errors[1]
    );
}

/// `Stack::retain` gives the construct's resource the `DeletionPolicy` an import needs (and the
/// `UpdateReplacePolicy` that keeps it through a replacement); a workload has nothing to retain.
#[test]
fn a_retained_construct_keeps_its_resource_and_a_workload_cannot_be_retained() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    stack.retain(&vpc);
    let mut app = App::new("test");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let json: serde_json::Value = serde_json::from_str(
        &assembly.stacks()[0]
            .template()
            .to_json_compact()
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["Resources"]["VpcA"]["DeletionPolicy"], "Retain");
    assert_eq!(json["Resources"]["VpcA"]["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        json["Resources"]["A1"].get("DeletionPolicy"),
        None,
        "only the construct retained"
    );

    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let pods = stack.add("Pods", Workload::builder().subnets([&a]).build());
    stack.retain(&pods);
    let errors = errors(stack);
    assert_eq!(
        all_coded(&errors),
        [(Code::VF0907, at("Consumer/Pods"))],
        "{errors:#?}"
    );
    assert!(
        matches!(&errors[0], SynthError::InvalidOverride { path, reason, .. }
            if path == "DeletionPolicy" && reason.contains("no resource of its own to retain")),
        "{:?}",
        errors[0]
    );
}

// ── Routes, gateways ────────────────────────────────────────────────────────────────────

fn route(
    stack: &mut Stack<Consumer>,
    id: &str,
    table: &RouteTableRef<VpcA>,
    destination: &str,
    igw: &InternetGatewayRef<VpcA>,
) {
    stack.add(
        id,
        Route::builder()
            .route_table(table)
            .destination(destination)
            .target(igw)
            .build(),
    );
}

#[test]
fn one_route_per_destination_in_a_table() {
    let (mut stack, _, _, routes, igw) = public(true);
    let igw = igw.expect("with an internet gateway");
    route(&mut stack, "Default", &routes, "0.0.0.0/0", &igw);
    route(&mut stack, "Again", &routes, "0.0.0.0/0", &igw);
    assert_eq!(codes(stack), [(Code::VF0501, at("Consumer/Again"))]);
}

#[test]
fn a_gateway_route_inside_the_vpc_block_is_an_error_but_a_nat_route_to_a_whole_subnet_is_not() {
    let (mut stack, _, _, routes, igw) = public(true);
    route(
        &mut stack,
        "Inside",
        &routes,
        "10.0.5.0/24",
        &igw.expect("igw"),
    );
    assert_eq!(codes(stack), [(Code::VF0502, at("Consumer/Inside"))]);

    let (mut stack, vpc, public_subnet, routes, _) = public(true);
    let private = subnet(&mut stack, &vpc, "Private", "10.0.1.0/24", 0);
    let nat: NatGatewayRef<VpcA> =
        stack.add("Nat", NatGateway::builder().subnet(&public_subnet).build());
    stack.add(
        "ToPrivate",
        Route::builder()
            .route_table(&routes)
            .destination("10.0.1.0/24")
            .target(&nat)
            .build(),
    );
    let _ = private;
    assert_eq!(codes(stack), []);
}

#[test]
fn one_internet_gateway_per_vpc() {
    let (mut stack, vpc, _, _, _) = public(true);
    stack.add("Igw2", InternetGateway::builder().vpc(&vpc).build());
    assert_eq!(codes(stack), [(Code::VF0503, at("Consumer/Igw2"))]);
}

#[test]
fn nat_gateways_and_internet_facing_nlbs_need_an_internet_gateway_and_wait_for_it() {
    let (mut stack, _, a, _, _) = public(false);
    stack.add("Nat", NatGateway::builder().subnet(&a).build());
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(SecurityGroupRef::none())
            .scheme(Scheme::InternetFacing)
            .build(),
    );
    assert_eq!(
        codes(stack),
        [
            (Code::VF0504, at("Consumer/Nat")),
            (Code::VF0504, at("Consumer/Nlb")),
        ]
    );

    let (mut stack, _, a, _, _) = public(true);
    stack.add("Nat", NatGateway::builder().subnet(&a).build());
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(SecurityGroupRef::none())
            .scheme(Scheme::InternetFacing)
            .build(),
    );
    let mut app = App::new("test");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let resources = assembly.stacks()[0].template().resources();
    for id in ["Nat", "NatEip", "Nlb"] {
        assert_eq!(resources[id].dependencies(), ["IgwAttachment"], "{id}");
    }
}

// ── Load balancing ──────────────────────────────────────────────────────────────────────

fn nlb_stack(
    health: HealthCheck,
    targets: Vec<TargetDescription>,
    ports: &[u16],
) -> Stack<Consumer> {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let nlb = stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(SecurityGroupRef::none())
            .build(),
    );
    let group = stack.add(
        "Targets",
        TargetGroup::builder()
            .vpc(&vpc)
            .port(443)
            .health_check(health)
            .targets(targets)
            .build(),
    );
    for (i, port) in ports.iter().enumerate() {
        stack.add(
            &format!("Listener{i}"),
            Listener::builder()
                .load_balancer(&nlb)
                .port(*port)
                .default_target_group(&group)
                .build(),
        );
    }
    stack
}

#[test]
fn one_listener_per_port_and_no_port_zero() {
    assert_eq!(
        codes(nlb_stack(HealthCheck::tcp(), vec![], &[443, 443, 0])),
        [
            (Code::VF0404, at("Consumer/Listener1")),
            (Code::VF0403, at("Consumer/Listener2")),
        ]
    );
}

#[test]
fn health_check_bounds() {
    // Each bound is its own finding: the four out of bounds (VF0804, one per property, in the
    // order the builder sets them) and the timeout not below the interval.
    let of_check = |check| {
        codes(nlb_stack(check, vec![], &[443]))
            .into_iter()
            .map(|(code, _)| code)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        of_check(
            HealthCheck::tcp()
                .interval_seconds(4)
                .healthy_threshold(11)
                .unhealthy_threshold(1)
                .timeout_seconds(121)
        ),
        [
            Code::VF0804,
            Code::VF0804,
            Code::VF0804,
            Code::VF0804,
            Code::VF0405
        ]
    );
    assert!(of_check(HealthCheck::tcp().interval_seconds(30).timeout_seconds(10)).is_empty());
}

#[test]
fn ip_targets_must_be_private() {
    let e = codes(nlb_stack(
        HealthCheck::tcp(),
        vec![
            TargetDescription::ip("10.0.1.10"),
            TargetDescription::ip("100.64.0.1"),
            TargetDescription::ip("8.8.8.8"),
            TargetDescription::ip("i-0123456789abcdef0"),
            TargetDescription::ip("10.0.1.11").port(0),
        ],
        &[443],
    ));
    assert_eq!(
        e,
        [
            (Code::VF0406, at("Consumer/Targets")),
            (Code::VF0406, at("Consumer/Targets")),
            (Code::VF0403, at("Consumer/Targets")),
        ]
    );
}

// ── Interface endpoints ─────────────────────────────────────────────────────────────────

#[test]
fn s3_private_dns_needs_a_gateway_endpoint_or_all_resolvers() {
    let build = |gateway: bool, options: DnsOptions| {
        let (mut stack, vpc) = consumer();
        let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
        let b = subnet(&mut stack, &vpc, "B1", "10.0.2.0/24", 1);
        let routes = stack.add(
            "Routes",
            RouteTable::builder().vpc(&vpc).subnets([&a, &b]).build(),
        );
        if gateway {
            stack.add(
                "S3Gateway",
                GatewayEndpoint::builder()
                    .vpc(&vpc)
                    .service(services::S3)
                    .route_tables([&routes])
                    .build(),
            );
        }
        let sg = stack.add("Sg", SecurityGroup::builder().vpc(&vpc).build());
        stack.add(
            "S3Interface",
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::S3)
                .subnets([&a, &b])
                .security_groups([&sg])
                .private_dns(true)
                .dns_options(options)
                .build(),
        );
        stack
    };
    let e = one_error(build(false, DnsOptions::default()));
    assert_eq!(coded(&e), (Code::VF0201, at("Consumer/S3Interface")));
    assert!(
        errors(build(
            false,
            DnsOptions::default().private_dns_only_for_inbound_resolver_endpoint(false)
        ))
        .is_empty()
    );

    let mut app = App::new("test");
    app.add_stack(build(true, DnsOptions::default()));
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let endpoint = &assembly.stacks()[0].template().resources()["S3Interface"];
    let Some(Value::Map(options)) = endpoint.get("DnsOptions") else {
        panic!("DnsOptions rendered: {endpoint:?}");
    };
    assert_eq!(
        options["PrivateDnsOnlyForInboundResolverEndpoint"],
        Value::from("OnlyInboundResolver")
    );
}

#[test]
fn inbound_resolver_option_is_for_s3_only_and_service_names_are_checked() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let sg = stack.add("Sg", SecurityGroup::builder().vpc(&vpc).build());
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a])
            .security_groups([&sg])
            .dns_options(DnsOptions::default().private_dns_only_for_inbound_resolver_endpoint(true))
            .build(),
    );
    for (id, name) in [
        ("Typo", "com.amazonaws.vpce.us-east-1.vpce-svc-0123"),
        ("VpcId", "vpc-0123456789abcdef0"),
    ] {
        stack.add(
            id,
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(ServiceName::new(name))
                .subnets([&a])
                .security_groups([&sg])
                .build(),
        );
    }
    stack.add(
        "Fine",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(ServiceName::new(
                "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
            ))
            .subnets([&a])
            .security_groups([&sg])
            .build(),
    );
    let e = errors(stack);
    assert_eq!(
        all_coded(&e),
        [
            (Code::VF0209, at("Consumer/Sqs")),
            (Code::VF0301, at("Consumer/Typo")),
            (Code::VF0301, at("Consumer/VpcId")),
        ],
        "{e:#?}"
    );
    assert!(
        matches!(
            &e[0],
            SynthError::DnsOptionNotForService {
                option: "PrivateDnsOnlyForInboundResolverEndpoint",
                ..
            }
        ),
        "{:?}",
        e[0]
    );
    assert!(
        matches!(&e[1], SynthError::InvalidServiceName { name, .. }
            if name == "com.amazonaws.vpce.us-east-1.vpce-svc-0123"),
        "{:?}",
        e[1]
    );
    assert!(
        matches!(&e[2], SynthError::InvalidServiceName { name, .. } if name == "vpc-0123456789abcdef0"),
        "{:?}",
        e[2]
    );
}

// ── Security groups ─────────────────────────────────────────────────────────────────────

fn group_on_endpoint(rules: Vec<Rule<VpcA>>, description: Option<&str>) -> Vec<SynthError> {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let sg = match description {
        Some(d) => stack.add(
            "Sg",
            SecurityGroup::builder()
                .vpc(&vpc)
                .description(d)
                .ingress(rules)
                .build(),
        ),
        None => stack.add(
            "Sg",
            SecurityGroup::builder().vpc(&vpc).ingress(rules).build(),
        ),
    };
    stack.add(
        "Sqs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::Sqs)
            .subnets([&a])
            .security_groups([&sg])
            .build(),
    );
    errors(stack)
}

#[test]
fn every_spelling_of_open_to_the_world_is_caught() {
    // Open to the world through `peer`: the endpoint's VF0401 naming the group and the block.
    let open = |e: &SynthError, open_peer: &str| {
        coded(e) == (Code::VF0401, at("Consumer/Sqs"))
            && matches!(e, SynthError::OpenIngress { group, peer, .. }
                if group == "Consumer/Sg" && peer.starts_with(open_peer))
    };
    let e = group_on_endpoint(vec![Rule::new(Port::tcp(443), Peer::ipv6("::/0"))], None);
    assert!(matches!(&e[..], [e] if open(e, "::/0")), "{e:#?}");
    // `0::/0` is not canonical (an error of its own) and still open to the world.
    let e = group_on_endpoint(vec![Rule::new(Port::tcp(443), Peer::ipv6("0::/0"))], None);
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(
        e.iter().any(
            |e| matches!(e, SynthError::InvalidIpv6Cidr { value, reason, .. }
                if value == "0::/0" && reason.ends_with(" ::/0"))
        ),
        "{e:#?}"
    );
    assert!(e.iter().any(|e| open(e, "")), "{e:#?}");
    let halves = vec![
        Rule::new(Port::tcp(443), Peer::ipv4(cidr!("0.0.0.0/1"))),
        Rule::new(Port::tcp(443), Peer::ipv4(cidr!("128.0.0.0/1"))),
    ];
    let e = group_on_endpoint(halves, None);
    assert!(matches!(&e[..], [e] if open(e, "0.0.0.0/0 ")), "{e:#?}");
    let not_all = vec![
        Rule::new(Port::tcp(443), Peer::ipv4(cidr!("0.0.0.0/1"))),
        Rule::new(Port::tcp(443), Peer::ipv4(cidr!("128.0.0.0/2"))),
    ];
    assert!(group_on_endpoint(not_all, None).is_empty());
}

#[test]
fn ipv6_blocks_reversed_ranges_and_descriptions_are_checked() {
    let e = group_on_endpoint(
        vec![
            Rule::new(Port::tcp(443), Peer::ipv6("2001:db8::1/64")),
            Rule::new(Port::tcp(443), Peer::ipv6("2001:DB8::/32")),
            Rule::new(
                Port::tcp_range(2000, 1000),
                Peer::ipv4(cidr!("10.0.0.0/16")),
            ),
            Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16"))).description("caf\u{e9}"),
        ],
        Some(&"x".repeat(256)),
    );
    assert_eq!(
        all_coded(&e),
        [
            (Code::VF0803, at("Consumer/Sg")),
            (Code::VF0105, at("Consumer/Sg")),
            (Code::VF0105, at("Consumer/Sg")),
            (Code::VF0402, at("Consumer/Sg")),
            (Code::VF0803, at("Consumer/Sg")),
        ],
        "{e:#?}"
    );
    assert!(
        matches!(&e[0], SynthError::InvalidText { property: "GroupDescription", value, reason, .. }
            if value.starts_with("xxxx") && reason.contains("255")),
        "{:?}",
        e[0]
    );
    // Each IPv6 block's reason ends with the block as AWS stores it.
    assert!(
        matches!(&e[1], SynthError::InvalidIpv6Cidr { value, reason, .. }
            if value == "2001:db8::1/64" && reason.ends_with(" 2001:db8::/64")),
        "{:?}",
        e[1]
    );
    assert!(
        matches!(&e[2], SynthError::InvalidIpv6Cidr { value, reason, .. }
            if value == "2001:DB8::/32" && reason.ends_with(" 2001:db8::/32")),
        "{:?}",
        e[2]
    );
    assert!(
        matches!(
            &e[3],
            SynthError::PortRangeReversed {
                from: 2000,
                to: 1000,
                ..
            }
        ),
        "{:?}",
        e[3]
    );
    assert!(
        matches!(&e[4], SynthError::InvalidText { value, reason, .. }
            if value == "caf\u{e9}" && reason.contains('é')),
        "{:?}",
        e[4]
    );
}

#[test]
fn cidr_text_with_leading_zeros_is_rejected() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A1", "10.0.01.0/24", 0);
    let e = one_error(stack);
    assert_eq!(coded(&e), (Code::VF0101, at("Consumer/A1")));
    assert!(
        matches!(&e, SynthError::InvalidCidr { value, reason: CidrError::LeadingZero, .. }
            if value == "10.0.01.0/24"),
        "{e:?}"
    );
}

// ── App ─────────────────────────────────────────────────────────────────────────────────

#[test]
fn app_names_and_stack_tags_are_checked() {
    let (stack, _) = consumer();
    let stack = stack
        .tag("aws:owner", "me")
        .tag("team", "a")
        .tag("team", "b")
        .tag("", "x");
    let mut app = App::new("../escape");
    app.add_stack(stack);
    let e = errors_of(&app);
    assert_eq!(
        all_coded(&e),
        [
            (Code::VF0915, None),
            (Code::VF0802, at("Consumer")),
            (Code::VF0802, at("Consumer")),
            (Code::VF0802, at("Consumer")),
        ],
        "{e:#?}"
    );
    assert!(
        matches!(&e[0], SynthError::InvalidAppName { name } if name == "../escape"),
        "{:?}",
        e[0]
    );
    // Each tag by its key, and why AWS refuses it: the reserved prefix, the repeat, the length.
    let tag = |e: &SynthError, tag_key: &str, why: &str| {
        matches!(e, SynthError::InvalidTag { key, reason, .. }
            if key == tag_key && reason.contains(why))
    };
    assert!(tag(&e[1], "aws:owner", "reserved"), "{:?}", e[1]);
    assert!(tag(&e[2], "team", "twice"), "{:?}", e[2]);
    assert!(tag(&e[3], "", "128"), "{:?}", e[3]);
}

// ── Regions and Availability Zones ─────────────────────────────────────────────────────────

/// The errors of a consumer stack (pinned to `region`, if any) with one subnet in `az`.
fn zone_errors(region: Option<&str>, az: Az) -> Vec<SynthError> {
    let mut stack = Stack::<Consumer>::new("Consumer");
    if let Some(region) = region {
        stack = stack.region(region);
    }
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    stack.add(
        "A1",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(az)
            .build(),
    );
    errors(stack)
}

/// The one zone error of `errors`: its code, the zone as written and why (the reason names
/// the region or zones that decide, the value the test asserts).
fn zone_error(errors: &[SynthError]) -> (Code, String, String) {
    match errors {
        [
            e @ (SynthError::InvalidAz {
                construct,
                az,
                reason,
            }
            | SynthError::InvalidAvailabilityZone {
                construct,
                az,
                reason,
                ..
            }),
        ] if construct == "Consumer/A1" => (e.code(), az.clone(), reason.clone()),
        _ => panic!("not one zone error of Consumer/A1: {errors:#?}"),
    }
}

#[test]
fn zone_indexes_must_exist_in_the_pinned_region() {
    // us-west-1 shows two zones: index 2 fails at deploy with Fn::Select's error.
    let (code, az, reason) = zone_error(&zone_errors(Some("us-west-1"), Az::index(2)));
    assert_eq!((code, az.as_str()), (Code::VF0111, "AZ #2 of the region"));
    assert!(reason.contains("2 zones of us-west-1"), "{reason}");
    assert!(zone_errors(Some("us-west-1"), Az::index(1)).is_empty());
    assert!(zone_errors(Some("us-east-1"), Az::index(5)).is_empty());
    // Unpinned: only what no region has.
    assert!(zone_errors(None, Az::index(5)).is_empty());
    let (code, az, reason) = zone_error(&zone_errors(None, Az::index(6)));
    assert_eq!((code, az.as_str()), (Code::VF0111, "AZ #6 of the region"));
    assert!(reason.contains("every region"), "{reason}");
}

#[test]
fn zone_names_must_be_of_the_pinned_region_and_exist() {
    let (code, az, reason) = zone_error(&zone_errors(Some("eu-west-1"), Az::name("us-east-1a")));
    assert_eq!((code, az.as_str()), (Code::VF0111, "us-east-1a"));
    assert!(
        reason.contains("us-east-1") && reason.contains("eu-west-1"),
        "{reason}"
    );
    let (code, az, reason) = zone_error(&zone_errors(None, Az::name("us-west-1b")));
    assert_eq!((code, az.as_str()), (Code::VF0111, "us-west-1b"));
    assert!(reason.contains("us-west-1a, us-west-1c"), "{reason}");
    // A zone ID given as a name: the fix is the other constructor.
    let e = zone_errors(None, Az::name("use1-az1"));
    let (code, az, _) = zone_error(&e);
    assert_eq!((code, az.as_str()), (Code::VF0111, "use1-az1"));
    let help = e[0].help().unwrap_or_default();
    assert!(help.contains("Az::id"), "{help}");
    assert!(zone_errors(Some("eu-west-1"), Az::name("eu-west-1c")).is_empty());
    // A region newer than the table: the name's form is all that is checked.
    assert!(zone_errors(None, Az::name("me-west-1a")).is_empty());
}

#[test]
fn zone_ids_and_region_codes_are_checked_for_form() {
    // A zone name given as an ID: the fix is the other constructor.
    let e = zone_errors(None, Az::id("us-east-1a"));
    let (code, az, _) = zone_error(&e);
    assert_eq!((code, az.as_str()), (Code::VF0111, "AZ ID us-east-1a"));
    let help = e[0].help().unwrap_or_default();
    assert!(help.contains("Az::name"), "{help}");
    assert!(zone_errors(Some("ap-northeast-1"), Az::id("apne1-az4")).is_empty());
    let e = zone_errors(Some("us-east1"), Az::index(0));
    assert_eq!(all_coded(&e), [(Code::VF0920, at("Consumer"))], "{e:#?}");
    assert!(
        matches!(&e[0], SynthError::InvalidRegion { region, .. } if region == "us-east1"),
        "{:?}",
        e[0]
    );
}

#[test]
fn a_region_not_in_the_table_is_a_warning() {
    let (stack, _) = consumer();
    let mut app = App::new("test");
    app.add_stack(stack.region("me-west-1"));
    let warnings = match app.synth() {
        Ok(assembly) => assembly.warnings().to_vec(),
        Err(e) => panic!("{e}"),
    };
    assert!(
        warnings.iter().any(
            |w| matches!(w, SynthWarning::RegionNotInTable { stack, region }
            if stack == "Consumer" && region == "me-west-1")
        ),
        "{warnings:#?}"
    );
}

// ── Writing the assembly ───────────────────────────────────────────────────────────────────

fn synthesized(stacks: Vec<Stack<Consumer>>) -> vpcform_net::Assembly {
    let mut app = App::new("test");
    for stack in stacks {
        app.add_stack(stack);
    }
    match app.synth() {
        Ok(assembly) => assembly,
        Err(e) => panic!("{e}"),
    }
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn the_assembly_replaces_stale_templates_and_leaves_no_staging_behind() {
    let dir = std::env::temp_dir().join(format!("vpcform-write-stale-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (first, _) = consumer();
    let mut old = Stack::<Consumer>::new("Old");
    old.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.1.0.0/16")).build(),
    );
    if let Err(e) = synthesized(vec![first, old]).write_to(&dir) {
        panic!("{e}");
    }
    assert!(dir.join("Old.template.json").exists());
    // A user's own file in the directory is not the assembly's to remove.
    std::fs::write(dir.join("notes.txt"), "mine").ok();
    let (again, _) = consumer();
    if let Err(e) = synthesized(vec![again]).write_to(&dir) {
        panic!("{e}");
    }
    assert_eq!(
        listing(&dir),
        [
            "Consumer.template.json",
            "cost.json",
            "manifest.json",
            "notes.txt",
            "test.dot",
            "test.mmd"
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_cannot_be_put_in_place_leaves_the_directory_as_it_was() {
    let dir = std::env::temp_dir().join(format!("vpcform-write-fail-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("cost.json")).ok();
    std::fs::write(dir.join("cost.json").join("keep"), "x").ok();
    let (stack, _) = consumer();
    let e = match synthesized(vec![stack]).write_to(&dir) {
        Ok(files) => panic!("wrote {files:?}"),
        Err(e) => e.to_string(),
    };
    assert!(e.contains("cost.json: is a directory"), "{e}");
    assert_eq!(listing(&dir), ["cost.json"], "nothing else written");
    let _ = std::fs::remove_dir_all(&dir);
}
