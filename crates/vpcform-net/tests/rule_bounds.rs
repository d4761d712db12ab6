//! The edges of AWS's rules: each limit at its value (accepted) and one past it (refused), and
//! each part of a compound rule on its own. Written from what cargo-mutants found untested
//! (`cargo xtask mutants`, TESTING.md).

use vpcform_net::cfn;
use vpcform_net::findings::Code;
use vpcform_net::prelude::*;
use vpcform_net::privatelink::TargetType;
use vpcform_net::vpc::NatGatewayRef;
use vpcform_net::vpc::{InternetGateway, NatGateway};

include!("common/consumer.rs");
include!("common/report.rs");

/// The error messages of `stack`'s synthesis, for the tests about how a value is shown.
fn errors(stack: Stack<Consumer>) -> Vec<String> {
    let mut app = App::new("test");
    app.add_stack(stack);
    error_messages(&app)
}

/// The codes and constructs of `stack`'s synthesis errors: what the limits' tests assert (each
/// code's text has its snapshot in `finding.rs`).
fn codes(stack: Stack<Consumer>) -> Vec<(Code, Option<String>)> {
    let mut app = App::new("test");
    app.add_stack(stack);
    error_codes(&app)
}

fn at(path: &str) -> Option<String> {
    Some(path.to_string())
}

fn warnings(stack: Stack<Consumer>) -> Vec<String> {
    let mut app = App::new("test");
    app.add_stack(stack);
    warning_messages(&app)
}

// ── Names and tags ─────────────────────────────────────────────────────────────────────────

fn named(stack: &str, app: &str) -> Vec<(Code, Option<String>)> {
    let mut s = Stack::<Consumer>::new(stack);
    s.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let mut a = App::new(app);
    a.add_stack(s);
    error_codes(&a)
}

#[test]
fn stack_names_at_and_past_their_limits() {
    assert!(named(&format!("S{}", "a".repeat(127)), "test").is_empty());
    let name = format!("S{}", "a".repeat(128));
    assert_eq!(named(&name, "test"), [(Code::VF0916, at(&name))]);
    assert!(named("My-Stack-2", "test").is_empty());
    assert_eq!(named("My_Stack", "test"), [(Code::VF0916, at("My_Stack"))]);
    assert_eq!(named("2Stack", "test"), [(Code::VF0916, at("2Stack"))]);
}

#[test]
fn app_names_at_and_past_their_limits() {
    assert!(named("Consumer", &"a".repeat(100)).is_empty());
    assert_eq!(named("Consumer", &"a".repeat(101)), [(Code::VF0915, None)]);
    assert_eq!(named("Consumer", ""), [(Code::VF0915, None)]);
    assert_eq!(named("Consumer", ".hidden"), [(Code::VF0915, None)]);
    assert!(named("Consumer", "my_app-1.0").is_empty());
}

fn tagged(count: usize, value_length: usize) -> Vec<(Code, Option<String>)> {
    let (mut stack, _) = consumer();
    for i in 0..count {
        stack = stack.tag(format!("k{i}"), "v".repeat(value_length));
    }
    codes(stack)
}

#[test]
fn stack_tags_at_and_past_their_limits() {
    // 48 of the user's, each resource's Name and vpcform:app make AWS's 50; one more is one
    // error, for the stack (not one per construct).
    assert!(tagged(48, 1).is_empty());
    assert_eq!(tagged(49, 1), [(Code::VF0801, at("Consumer"))]);
    assert!(tagged(1, 256).is_empty());
    assert_eq!(tagged(1, 257), [(Code::VF0802, at("Consumer"))]);
}

// ── Template limits ────────────────────────────────────────────────────────────────────────

/// A consumer stack with `raw` extra resources and `outputs` outputs.
fn sized(raw: usize, outputs: usize) -> Stack<Consumer> {
    let (mut stack, vpc) = consumer();
    for i in 0..raw {
        stack.add_resource(
            &format!("Log{i}"),
            cfn::Resource::new("AWS::Logs::LogGroup"),
        );
    }
    for i in 0..outputs {
        stack.output(&format!("Vpc{i}"), &vpc);
    }
    stack
}

#[test]
fn resources_and_outputs_at_and_past_cloudformations_limits() {
    assert!(codes(sized(499, 0)).is_empty(), "500 resources are allowed");
    assert_eq!(codes(sized(500, 0)), [(Code::VF0921, at("Consumer"))]);
    assert!(codes(sized(0, 200)).is_empty(), "200 outputs are allowed");
    assert_eq!(codes(sized(0, 201)), [(Code::VF0922, at("Consumer"))]);
}

/// A consumer stack whose compact template is exactly `bytes` long (padded in a raw resource).
fn of_size(bytes: usize) -> Stack<Consumer> {
    let padded = |pad: usize| {
        let (mut stack, _) = consumer();
        stack.add_resource(
            "Pad",
            cfn::Resource::new("AWS::Logs::LogGroup").property("LogGroupName", "p".repeat(pad)),
        );
        stack
    };
    let mut app = App::new("test");
    app.add_stack(padded(0));
    let base = match app.synth() {
        Ok(assembly) => assembly.stacks()[0]
            .template()
            .compact_json_len()
            .unwrap_or_else(|e| panic!("{e}")),
        Err(e) => panic!("{e}"),
    };
    padded(bytes - base)
}

#[test]
fn template_sizes_at_and_past_cloudformations_limits() {
    let s3 = |w: &Vec<String>| w.iter().any(|w| w.contains("TemplateBody"));
    assert!(
        !s3(&warnings(of_size(51_200))),
        "51,200 bytes go in the request"
    );
    assert!(s3(&warnings(of_size(51_201))), "51,201 bytes need S3");
    assert!(codes(of_size(1_000_000)).is_empty(), "1 MB is allowed");
    assert_eq!(codes(of_size(1_000_001)), [(Code::VF0923, at("Consumer"))]);
}

#[test]
fn a_raw_resources_dangling_reference_is_reported_beside_other_errors() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "Outside", "10.9.0.0/24", 0);
    stack.add_resource(
        "FlowLogs",
        cfn::Resource::new("AWS::EC2::FlowLog")
            .property("ResourceId", cfn::Value::reference("Nope")),
    );
    assert_eq!(
        codes(stack),
        [
            (Code::VF0103, at("Consumer/Outside")),
            (Code::VF0924, at("Consumer")),
        ]
    );
}

// ── VPCs, subnets, routes ──────────────────────────────────────────────────────────────────

#[test]
fn subnets_at_and_past_the_vpcs_limits() {
    // 200 subnets per VPC (Amazon VPC quotas).
    let many = |n: usize| {
        let (mut stack, vpc) = consumer();
        for i in 0..n {
            subnet(
                &mut stack,
                &vpc,
                &format!("S{i}"),
                &format!("10.0.{i}.0/24"),
                0,
            );
        }
        codes(stack)
    };
    assert!(many(200).is_empty());
    assert_eq!(many(201), [(Code::VF0108, at("Consumer/VpcA"))]);
    // Subnets that fill the VPC's block exactly.
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/24")).build(),
    );
    for i in 0..16 {
        subnet(
            &mut stack,
            &vpc,
            &format!("S{i}"),
            &format!("10.0.0.{}/28", i * 16),
            0,
        );
    }
    assert_eq!(codes(stack), []);
}

#[test]
fn an_overlap_is_found_after_a_wider_block_ends_later() {
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "A", "10.0.0.0/24", 0);
    subnet(&mut stack, &vpc, "B", "10.0.1.0/24", 0);
    subnet(&mut stack, &vpc, "C", "10.0.1.128/25", 1);
    assert_eq!(codes(stack), [(Code::VF0104, at("Consumer/C"))]);
    // Two blocks inside a wider one: both reported against it.
    let (mut stack, vpc) = consumer();
    subnet(&mut stack, &vpc, "X", "10.0.0.0/20", 0);
    subnet(&mut stack, &vpc, "Y", "10.0.8.0/24", 1);
    subnet(&mut stack, &vpc, "Z", "10.0.9.0/24", 2);
    assert_eq!(
        codes(stack),
        [
            (Code::VF0104, at("Consumer/Y")),
            (Code::VF0104, at("Consumer/Z")),
        ]
    );
}

#[test]
fn a_zone_name_without_a_letter_is_not_a_zone_name() {
    let (mut stack, vpc) = consumer();
    stack.add(
        "A1",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.0.1.0/24"))
            .availability_zone(Az::name("us-east-11"))
            .build(),
    );
    assert_eq!(codes(stack), [(Code::VF0111, at("Consumer/A1"))]);
}

#[test]
fn gateway_and_nat_routes_to_blocks_inside_the_vpc() {
    let public = || {
        let (mut stack, vpc) = consumer();
        let public = subnet(&mut stack, &vpc, "Public", "10.0.0.0/24", 0);
        subnet(&mut stack, &vpc, "Private", "10.0.1.0/24", 1);
        let routes = stack.add(
            "Routes",
            RouteTable::builder().vpc(&vpc).subnets([&public]).build(),
        );
        let igw = stack.add("Igw", InternetGateway::builder().vpc(&vpc).build());
        let nat: NatGatewayRef<VpcA> =
            stack.add("Nat", NatGateway::builder().subnet(&public).build());
        (stack, routes, igw, nat)
    };
    // An internet gateway route to a whole subnet's block: still inside the VPC.
    let (mut stack, routes, igw, _) = public();
    stack.add(
        "ToPrivate",
        Route::builder()
            .route_table(&routes)
            .destination("10.0.1.0/24")
            .target(&igw)
            .build(),
    );
    assert_eq!(codes(stack), [(Code::VF0502, at("Consumer/ToPrivate"))]);
    // A NAT route to a block that is no subnet's.
    let (mut stack, routes, _, nat) = public();
    stack.add(
        "ToNowhere",
        Route::builder()
            .route_table(&routes)
            .destination("10.0.5.0/24")
            .target(&nat)
            .build(),
    );
    assert_eq!(codes(stack), [(Code::VF0502, at("Consumer/ToNowhere"))]);
}

#[test]
fn a_subnet_listed_twice_by_one_route_table_is_not_in_two_tables() {
    let (mut stack, vpc) = consumer();
    let a = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    stack.add(
        "Routes",
        RouteTable::builder().vpc(&vpc).subnets([&a, &a]).build(),
    );
    // The subnet is in one table: no VF0505 (a subnet associated with two route tables).
    assert!(
        !codes(stack).iter().any(|(code, _)| *code == Code::VF0505),
        "the subnet is in one table"
    );
}

#[test]
fn a_workload_needs_subnets() {
    let (mut stack, _) = consumer();
    stack.add(
        "Pods",
        Workload::builder()
            .subnets(Vec::<vpcform_net::vpc::SubnetRef<VpcA>>::new())
            .build(),
    );
    assert_eq!(codes(stack), [(Code::VF0805, at("Consumer/Pods"))]);
}

// ── Security groups and targets ────────────────────────────────────────────────────────────

fn group(rules: Vec<Rule<VpcA>>, description: &str) -> Vec<String> {
    let (mut stack, vpc) = consumer();
    stack.add(
        "Sg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description(description)
            .ingress(rules)
            .build(),
    );
    errors(stack)
}

#[test]
fn descriptions_at_and_past_255_characters_and_how_they_are_shown() {
    let vpc_rule = || vec![Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16")))];
    assert!(group(vpc_rule(), &"x".repeat(255)).is_empty());
    let e = group(vpc_rule(), &"y".repeat(300));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains(&format!("{}...", "y".repeat(57))), "{}", e[0]);
    assert!(
        !e[0].contains(&"y".repeat(58)),
        "shown by its start: {}",
        e[0]
    );
    // A short bad description is shown whole.
    let short = format!("{}é", "z".repeat(59));
    let e = group(vpc_rule(), &short);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains(&short), "{}", e[0]);
}

#[test]
fn a_one_port_range_is_not_reversed() {
    let rules = vec![Rule::new(
        Port::tcp_range(8080, 8080),
        Peer::ipv4(cidr!("10.0.0.0/16")),
    )];
    assert!(group(rules, "one port").is_empty());
}

#[test]
fn instance_targets_are_i_and_8_or_17_hex_digits() {
    let with_targets = |targets: Vec<TargetDescription>| {
        let (mut stack, vpc) = consumer();
        stack.add(
            "Targets",
            TargetGroup::builder()
                .vpc(&vpc)
                .port(443)
                .target_type(TargetType::Instance)
                .targets(targets)
                .build(),
        );
        errors(stack)
    };
    assert!(
        with_targets(vec![
            TargetDescription::instance("i-0123abcd"),
            TargetDescription::instance("i-0123456789abcdef0"),
        ])
        .is_empty()
    );
    let e = with_targets(vec![
        TargetDescription::instance("i-xyzxyzxy"),
        TargetDescription::instance("i-0123"),
    ]);
    assert_eq!(e.len(), 2, "{e:#?}");
}

/// Rules without a description get one saying what they admit (CDK's form), in the characters
/// EC2 accepts and at most 255 of them; a given description is kept.
#[test]
fn rules_without_a_description_say_what_they_admit() {
    let (mut stack, vpc) = consumer();
    let peer_group = stack.add("Clients", SecurityGroup::builder().vpc(&vpc).build());
    stack.add(
        "Sg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([
                Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16"))),
                Rule::new(Port::udp_range(53, 54), Peer::ipv6("2001:db8::/32")),
                Rule::new(Port::AllTraffic, Peer::security_group(&peer_group)),
                Rule::new(Port::tcp(443), Peer::prefix_list("pl-63a5400a")).description("kept"),
            ])
            .egress([Rule::new(
                Port::tcp(443),
                Peer::prefix_list(Value::sub("pl-${AWS::Region}")),
            )])
            .build(),
    );
    let mut app = App::new("test");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    let descriptions = |property: &str| -> Vec<String> {
        json["Resources"]["Sg"]["Properties"][property]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|r| r["Description"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        descriptions("SecurityGroupIngress"),
        [
            "from 10.0.0.0/16:TCP 443",
            "from 2001:db8::/32:UDP 53-54",
            "from members of Consumer/Clients:all traffic",
            "kept",
        ]
    );
    assert_eq!(
        descriptions("SecurityGroupEgress"),
        ["to a prefix list:TCP 443"]
    );
}

#[test]
fn a_default_rule_description_stops_at_255_characters() {
    let mut stack = Stack::<Consumer>::new(format!("S{}", "a".repeat(127)));
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let long = "G".repeat(200);
    let peer_group = stack.add(&long, SecurityGroup::builder().vpc(&vpc).build());
    stack.add(
        "Sg",
        SecurityGroup::builder()
            .vpc(&vpc)
            .ingress([Rule::new(Port::tcp(443), Peer::security_group(&peer_group))])
            .build(),
    );
    let mut app = App::new("test");
    app.add_stack(stack);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    let description =
        json["Resources"]["Sg"]["Properties"]["SecurityGroupIngress"][0]["Description"]
            .as_str()
            .unwrap_or_default()
            .to_string();
    assert_eq!(description.chars().count(), 255, "{description}");
    assert!(
        description.starts_with("from members of S"),
        "{description}"
    );
}
