//! AWS RAM resource shares: what they render, and each rule at its edge.

use vpcform_net::cfn::Value;
use vpcform_net::findings::{SynthError, SynthWarning};
use vpcform_net::prelude::*;
use vpcform_net::sharing::{ResourceShare, SharedResource};

include!("common/consumer.rs");

const ORG: &str = "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5";

/// A consumer stack (pinned to `region` when given) with a transit gateway and a subnet, both
/// shared with `principals`.
fn shared_with(region: Option<&str>, name: &str, principals: &[&str]) -> App {
    let (mut stack, vpc) = consumer();
    if let Some(region) = region {
        stack = stack.region(region);
    }
    let subnet = subnet(&mut stack, &vpc, "A1", "10.0.1.0/24", 0);
    let tgw = stack.add("Tgw", TransitGateway::builder().build());
    stack.add(
        "Share",
        ResourceShare::builder()
            .name(name)
            .resources([SharedResource::from(&tgw), SharedResource::from(&subnet)])
            .principals(principals.iter().copied())
            .build(),
    );
    let mut app = App::new("share");
    app.add_stack(stack);
    app
}

/// The synthesis's errors, as data; none when it succeeds.
fn errors(app: &App) -> Option<vpcform_net::findings::SynthErrors> {
    app.synth().err()
}

fn found(errors: &Option<vpcform_net::findings::SynthErrors>) -> &[SynthError] {
    errors.as_ref().map_or(&[], |e| e.errors())
}

#[test]
fn a_share_names_each_resource_by_arn_and_each_principal_as_given() {
    let app = shared_with(Some("us-east-1"), "landing-zone", &[ORG, "444455556666"]);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let share = &assembly.stacks()[0].template().resources()["Share"];
    assert_eq!(share.resource_type(), "AWS::RAM::ResourceShare");
    assert_eq!(
        share.get("ResourceArns"),
        Some(&Value::List(vec![
            Value::sub(
                "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:transit-gateway/${Tgw}"
            ),
            Value::sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:subnet/${A1}"),
        ]))
    );
    assert_eq!(
        share.get("Principals"),
        Some(&Value::List(vec![ORG.into(), "444455556666".into()]))
    );
    // AWS's default, not written.
    assert_eq!(share.get("AllowExternalPrincipals"), None);
    assert!(assembly.warnings().is_empty(), "{:?}", assembly.warnings());
}

#[test]
fn a_principal_in_none_of_the_forms_is_an_error() {
    let errors = errors(&shared_with(None, "lz", &["o-a1b2c3d4e5", ORG]));
    let found = found(&errors);
    assert!(
        matches!(found, [SynthError::InvalidSharePrincipal { principal, .. }] if principal == "o-a1b2c3d4e5"),
        "{found:?}"
    );
}

#[test]
fn a_principal_of_another_partition_is_an_error_where_the_region_is_known() {
    let china = "arn:aws-cn:organizations::111122223333:organization/o-a1b2c3d4e5";
    let errors_of = |region| errors(&shared_with(region, "lz", &[china]));
    let errors = errors_of(Some("us-east-1"));
    let found = found(&errors);
    assert!(
        matches!(
            found,
            [SynthError::SharePrincipalInOtherPartition {
                partition: "aws",
                ..
            }]
        ),
        "{found:?}"
    );
    // Of its own partition, and where the region (so the partition) is not pinned: accepted.
    assert!(errors_of(Some("cn-north-1")).is_none());
    assert!(errors_of(None).is_none());
}

#[test]
fn a_share_needs_a_name_and_warns_when_it_shares_with_no_one() {
    let errors = errors(&shared_with(None, " ", &[ORG]));
    let found = found(&errors);
    assert!(
        matches!(
            found,
            [SynthError::Empty {
                property: "Name",
                ..
            }]
        ),
        "{found:?}"
    );
    let assembly = shared_with(None, "lz", &[])
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(
            assembly.warnings(),
            [SynthWarning::ResourceShareSharesNothing {
                missing: "principals",
                ..
            }]
        ),
        "{:?}",
        assembly.warnings()
    );
    let share = &assembly.stacks()[0].template().resources()["Share"];
    assert_eq!(share.get("Principals"), None);
}

#[test]
fn a_resource_of_another_app_is_an_error() {
    let (mut other, _) = consumer();
    let theirs = other.add("Tgw", TransitGateway::builder().build());
    let (mut stack, _) = consumer();
    stack.add(
        "Share",
        ResourceShare::builder()
            .name("lz")
            .resources([SharedResource::from(&theirs)])
            .principals([ORG])
            .build(),
    );
    let mut app = App::new("share");
    app.add_stack(stack);
    let errors = errors(&app);
    let found = found(&errors);
    assert!(
        matches!(
            found,
            [SynthError::HandleNotInApp {
                property: "ResourceArns",
                ..
            }]
        ),
        "{found:?}"
    );
}

/// A Resolver rule outside the app, by ARN: written as given when it is one of the share's
/// Region and partition; anything else is VF0623.
#[test]
fn a_resolver_rule_is_shared_by_its_arn_of_the_shares_region() {
    const RULE: &str =
        "arn:aws:route53resolver:us-east-1:111122223333:resolver-rule/rslvr-rr-0123456789abcdef0";
    let share = |arn: &str| {
        let (stack, _) = consumer();
        let mut stack = stack.region("us-east-1");
        stack.add(
            "Share",
            ResourceShare::builder()
                .name("resolver-rules")
                .resources([SharedResource::resolver_rule(arn)])
                .principals([ORG])
                .build(),
        );
        let mut app = App::new("share");
        app.add_stack(stack);
        app
    };
    let assembly = share(RULE).synth().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        assembly.stacks()[0].template().resources()["Share"].get("ResourceArns"),
        Some(&Value::List(vec![RULE.into()]))
    );
    for (arn, reason) in [
        (
            "arn:aws:route53resolver:eu-west-1:111122223333:resolver-rule/rslvr-rr-1",
            "of Region eu-west-1; a resource share holds resources of its own Region, us-east-1",
        ),
        (
            "arn:aws-cn:route53resolver:us-east-1:111122223333:resolver-rule/rslvr-rr-1",
            "of partition aws-cn, not the share's",
        ),
        (
            "arn:aws:route53resolver:us-east-1:111122223333:firewall-rule-group/rslvr-frg-1",
            "not a Resolver rule ARN (arn:<partition>:route53resolver:<region>:<account>:resolver-rule/<id>)",
        ),
        ("rslvr-rr-1", "not an ARN"),
    ] {
        let errors = errors(&share(arn));
        assert!(
            matches!(
                found(&errors),
                [SynthError::InvalidSharedResourceArn { construct, reason: r, .. }]
                    if construct == "Consumer/Share" && r == reason
            ),
            "{arn}: {errors:#?}"
        );
    }
}

vpcform_net::topology! { stack Shared {} stack Consumer2 { vpc AppVpc } }

/// A Lattice service network shared with an account of the app: the consumer's stack there
/// waits for the invitation's step before its service-network endpoint is created.
#[test]
fn a_consumer_of_a_shared_service_network_waits_for_the_invitation() {
    use vpcform_net::lattice::{ServiceNetwork, ServiceNetworkEndpoint};
    let mut shared = Stack::<Shared>::new("Shared")
        .account("111122223333")
        .region("us-east-1");
    let network = shared.add(
        "Databases",
        ServiceNetwork::builder().name("databases").build(),
    );
    shared.add(
        "Share",
        ResourceShare::builder()
            .name("databases")
            .resources([SharedResource::from(&network)])
            .principals(["444455556666"])
            .build(),
    );
    let arn = shared.export("DatabasesArn", &network);
    let mut app = Stack::<Consumer2>::new("App")
        .account("444455556666")
        .region("us-east-1");
    let vpc = app.add(
        "AppVpc",
        Vpc::<AppVpc>::builder().cidr(cidr!("10.6.0.0/16")).build(),
    );
    let a = app.add(
        "AppA",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.6.1.0/24"))
            .availability_zone(Az::id("use1-az1"))
            .build(),
    );
    let imported = app.import(&arn);
    app.add(
        "DatabasesEndpoint",
        ServiceNetworkEndpoint::builder()
            .vpc(&vpc)
            .service_network(imported)
            .subnets([&a])
            .build(),
    );
    let mut whole = App::new("lattice-share");
    whole.add_stack(shared);
    whole.add_stack(app);
    let manifest = whole.synth().unwrap_or_else(|e| panic!("{e}")).manifest();
    let step = "Accept-Shared-Share-444455556666";
    assert_eq!(
        manifest
            .steps
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        [step]
    );
    let app = manifest.stack("App").expect("App");
    assert!(
        app.depends_on.contains(&step.to_string()),
        "{:?}",
        app.depends_on
    );
}
