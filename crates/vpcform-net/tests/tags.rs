//! Tags inside the templates: every taggable resource carries its `Name`, the stack's tags and
//! its construct's own, in the property its schema names; non-taggable types carry none; AWS's
//! tag rules apply to a construct's tags as to a stack's.

use vpcform_net::prelude::*;
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

/// Types whose CloudFormation schema is not taggable (`taggable: false` or no Tags property;
/// cfn-lint's schemas, docs/research/tags-logs-checkov.md §1.1): a `Tags` there fails E3002.
const NOT_TAGGABLE: &[&str] = &[
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::VPCEndpointServicePermissions",
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::TransitGatewayRoute",
    "AWS::EC2::TransitGatewayRouteTableAssociation",
    "AWS::EC2::TransitGatewayRouteTablePropagation",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::Route53::RecordSet",
];

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
            "Consumer/VpcA: tag \"\" is not accepted by AWS: its resources would carry 51 tags"
        ),
        "{}",
        e[0]
    );
    // A key the stack has already does not count twice.
    let overlapping = own(46).tag("team", "network");
    assert!(synth(tagged_stack(overlapping)).is_ok());
}
