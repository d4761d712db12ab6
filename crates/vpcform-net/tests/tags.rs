//! Tags inside the templates: every taggable resource carries its `Name`, the stack's tags and
//! its construct's own, in the property its schema names; non-taggable types carry none; AWS's
//! tag rules apply to a construct's tags as to a stack's.

use vpcform_net::findings::SynthErrors;
use vpcform_net::prelude::*;
use vpcform_net::security::SecurityGroupRef;
use vpcform_net::vpc::{InternetGateway, NatGateway};
use vpcform_net::{Tags, cfn};

include!("common/consumer.rs");
include!("common/report.rs");

fn synth(stack: Stack<Consumer>) -> Result<vpcform_net::Assembly, SynthErrors> {
    let mut app = App::new("test");
    app.add_stack(stack);
    app.synth()
}

fn errors(stack: Stack<Consumer>) -> Vec<String> {
    let mut app = App::new("test");
    app.add_stack(stack);
    error_messages(&app)
}

/// The `[Key, Value]` pairs of a resource's `property`.
fn tags_of(template: &cfn::Template, id: &str, property: &str) -> Vec<(String, String)> {
    let json = serde_json::to_value(template).unwrap_or_default();
    let list = json["Resources"][id]["Properties"][property]
        .as_array()
        .cloned()
        .unwrap_or_default();
    list.iter()
        .map(|t| {
            (
                t["Key"].as_str().unwrap_or_default().to_string(),
                t["Value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A stack with tags, a VPC, a subnet, a route table with a route, and a NAT gateway with
/// construct tags.
fn tagged_stack(vpc_tags: Tags) -> Stack<Consumer> {
    let mut stack = Stack::<Consumer>::new("Consumer")
        .tag("team", "platform")
        .tag("env", "test");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder()
            .cidr(cidr!("10.0.0.0/16"))
            .tags(vpc_tags)
            .build(),
    );
    let public = subnet(&mut stack, &vpc, "Public", "10.0.0.0/24", 0);
    let igw = stack.add("Igw", InternetGateway::builder().vpc(&vpc).build());
    stack.add(
        "Nat",
        NatGateway::builder()
            .subnet(&public)
            .tags([("cost-centre", "net-42")])
            .build(),
    );
    let routes = stack.add(
        "PublicRoutes",
        RouteTable::builder().vpc(&vpc).subnets([&public]).build(),
    );
    stack.add(
        "Default",
        Route::builder()
            .route_table(&routes)
            .destination(cidr!("0.0.0.0/0"))
            .target(&igw)
            .build(),
    );
    stack
}

#[test]
fn construct_tags_follow_the_stack_s_and_replace_a_key_in_place() {
    let assembly = synth(tagged_stack(
        Tags::new().tag("env", "prod").tag("owner", "net"),
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let template = assembly.stacks()[0].template();
    assert_eq!(
        tags_of(template, "VpcA", "Tags"),
        pairs(&[
            ("Name", "Consumer/VpcA"),
            ("team", "platform"),
            ("env", "prod"),
            ("owner", "net"),
        ])
    );
    // A construct without tags of its own carries the stack's.
    assert_eq!(
        tags_of(template, "Public", "Tags"),
        pairs(&[
            ("Name", "Consumer/Public"),
            ("team", "platform"),
            ("env", "test"),
        ])
    );
    // Every resource of a construct gets its tags: the NAT gateway and its Elastic IP.
    for (id, name) in [("Nat", "Consumer/Nat"), ("NatEip", "Consumer/NatEip")] {
        assert_eq!(
            tags_of(template, id, "Tags"),
            pairs(&[
                ("Name", name),
                ("team", "platform"),
                ("env", "test"),
                ("cost-centre", "net-42"),
            ]),
            "{id}"
        );
    }
}

#[test]
fn a_construct_may_name_itself() {
    let assembly =
        synth(tagged_stack(Tags::from([("Name", "core-vpc")]))).unwrap_or_else(|e| panic!("{e}"));
    let tags = tags_of(assembly.stacks()[0].template(), "VpcA", "Tags");
    assert_eq!(tags[0], ("Name".to_string(), "core-vpc".to_string()));
}

include!("common/not_taggable.rs");

#[test]
fn taggable_resources_carry_tags_and_the_others_none() {
    let assembly = synth(tagged_stack(Tags::new())).unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(assembly.stacks()[0].template()).unwrap_or_default();
    let resources = json["Resources"].as_object().cloned().unwrap_or_default();
    assert!(resources.len() >= 8, "{resources:#?}");
    for (id, resource) in &resources {
        let kind = resource["Type"].as_str().unwrap_or_default();
        let tags = &resource["Properties"]["Tags"];
        if NOT_TAGGABLE.contains(&kind) {
            assert!(tags.is_null(), "{id} ({kind}) is not taggable");
        } else {
            let team = tags
                .as_array()
                .is_some_and(|t| t.iter().any(|t| t["Key"] == "team"));
            assert!(team, "{id} ({kind}) lacks the stack's tags: {resource}");
        }
    }
}

#[test]
fn a_construct_s_tags_follow_aws_s_rules() {
    let e = errors(tagged_stack(Tags::from([
        ("aws:owner", "me"),
        ("", "empty"),
        ("vpcform:app", "other"),
        ("long", &*"v".repeat(257)),
        ("dup", "1"),
        ("dup", "2"),
    ])));
    assert_eq!(e.len(), 5, "{e:#?}");
    for (error, expected) in e.iter().zip([
        "Consumer/VpcA: tag \"aws:owner\" is not accepted by AWS: the aws: prefix is reserved",
        "Consumer/VpcA: tag \"\" is not accepted by AWS: keys are 1 to 128 characters, this one 0",
        "Consumer/VpcA: tag \"vpcform:app\" is not accepted by AWS: vpcform sets vpcform:app",
        "Consumer/VpcA: tag \"long\" is not accepted by AWS: values are at most 256 characters, this one 257",
        "Consumer/VpcA: tag \"dup\" is not accepted by AWS: the key is given twice",
    ]) {
        assert!(error.contains(expected), "{error}\nexpected: {expected}");
    }
}

#[test]
fn a_construct_s_tags_count_with_the_stack_s() {
    // The stack's two, Name and vpcform:app leave room for 46.
    let own = |n: usize| (0..n).map(|i| (format!("k{i}"), "v")).collect::<Tags>();
    assert!(synth(tagged_stack(own(46))).is_ok());
    let e = errors(tagged_stack(own(47)));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].contains(
            "Consumer/VpcA: 51 tags; AWS allows 50 per resource and per stack\nhelp: its resources carry Name, vpcform:app, the stack's and its own: drop 1 of the construct's"
        ),
        "{}",
        e[0]
    );
    // A key the stack has already does not count twice.
    let overlapping = own(46).tag("team", "network");
    assert!(synth(tagged_stack(overlapping)).is_ok());
}

fn with_nlb(stack_tag: (&str, &str), nlb_tags: Tags) -> Stack<Consumer> {
    let mut stack = Stack::<Consumer>::new("Consumer").tag(stack_tag.0, stack_tag.1);
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let a = subnet(&mut stack, &vpc, "A", "10.0.1.0/24", 0);
    stack.add(
        "Nlb",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(SecurityGroupRef::none())
            .tags(nlb_tags)
            .build(),
    );
    stack.add(
        "Nlb2",
        NetworkLoadBalancer::builder()
            .subnets([&a])
            .security_groups(SecurityGroupRef::none())
            .build(),
    );
    stack
}

#[test]
fn tags_written_into_elb_resources_take_its_characters_only() {
    assert!(errors(with_nlb(("team", "net-1 a_b.c:d/e=f+g@h"), Tags::new())).is_empty());
    // A construct's own tag: its error.
    let e = errors(with_nlb(("team", "net"), Tags::from([("cost", "a&b")])));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].contains(
            "Consumer/Nlb: tag \"cost\" is not accepted by AWS: '&' cannot be in a tag of ELBv2"
        ),
        "{}",
        e[0]
    );
    // A stack tag: one error for the stack, naming where it is written, not one per NLB.
    let e = errors(with_nlb(("team", "a,b"), Tags::new()));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].contains("stack Consumer (tags written into Consumer/Nlb): tag \"team\""),
        "{}",
        e[0]
    );
    // The same tag on EC2 resources only is fine.
    let plain = tagged_stack(Tags::from([("cost", "a&b")]));
    assert!(errors(plain).is_empty());
}

#[test]
fn stack_tag_values_are_not_empty_and_names_stop_at_256() {
    let (stack, _) = consumer();
    let e = errors(stack.tag("team", ""));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].contains("a stack tag's value is 1 to 256 characters"),
        "{}",
        e[0]
    );
    // A construct's tag may be empty (EC2 allows it).
    assert!(synth(tagged_stack(Tags::from([("flag", "")]))).is_ok());
    // Name is the path, cut at a tag value's 256 characters.
    let mut stack = Stack::<Consumer>::new(format!("S{}", "a".repeat(127)));
    let id = "V".repeat(200);
    stack.add(
        &id,
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    let assembly = synth(stack).unwrap_or_else(|e| panic!("{e}"));
    let name = &tags_of(assembly.stacks()[0].template(), &id, "Tags")[0].1;
    assert_eq!(name.chars().count(), 256);
}

#[test]
fn iam_resources_ask_for_capability_iam_unless_the_program_did() {
    let with_flow_log = |capability: Option<&str>| {
        let mut stack = Stack::<Consumer>::new("Consumer");
        if let Some(capability) = capability {
            stack = stack.capability(capability);
        }
        let vpc = stack.add(
            "VpcA",
            Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
        );
        stack.add(
            "FlowLog",
            vpcform_net::vpc::FlowLog::builder()
                .resource(&vpc)
                .destination(vpcform_net::vpc::FlowLogDestination::cloud_watch_logs())
                .build(),
        );
        let assembly = synth(stack).unwrap_or_else(|e| panic!("{e}"));
        assembly.stacks()[0].capabilities().to_vec()
    };
    assert_eq!(with_flow_log(None), ["CAPABILITY_IAM"]);
    assert_eq!(
        with_flow_log(Some("CAPABILITY_NAMED_IAM")),
        ["CAPABILITY_NAMED_IAM"]
    );
    assert_eq!(with_flow_log(Some("CAPABILITY_IAM")), ["CAPABILITY_IAM"]);
    // No IAM resource, no capability.
    assert!(
        synth(tagged_stack(Tags::new()))
            .map(|a| a.stacks()[0].capabilities().is_empty())
            .unwrap_or(false)
    );
}
