//! StackSet declarations: what the StackSets API would refuse is a synthesis error naming the
//! stack set, the value and the fix; a valid one's spec is what the deployer gets.

use vpcform_net::deployment::{
    Amount, OperationPreferences, PermissionModel, StackSet, StackSetTargets,
};
use vpcform_net::existing::{ExistingId, ExistingSubnet, ExistingVpc};
use vpcform_net::findings::{Code, SynthError};
use vpcform_net::prelude::*;

vpcform_net::topology! {
    stack Baseline { vpc Workload }
}

/// A baseline stack: an existing VPC given by parameter, a subnet by SSM, one endpoint.
fn baseline() -> (
    Stack<Baseline>,
    vpcform_net::vpc::VpcRef<Workload>,
    vpcform_net::vpc::SubnetRef<Workload>,
) {
    let mut stack = Stack::<Baseline>::new("Baseline");
    let vpc = stack.add(
        "Vpc",
        ExistingVpc::<Workload>::builder()
            .id(ExistingId::parameter())
            .cidr(cidr!("10.100.0.0/16"))
            .build(),
    );
    let subnet = stack.add(
        "PrivateA",
        ExistingSubnet::builder()
            .vpc(&vpc)
            .id(ExistingId::ssm("/network/private-a"))
            .cidr(cidr!("10.100.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    stack.add(
        "Logs",
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(services::ByName::new("logs"))
            .subnets([&subnet])
            .build(),
    );
    (stack, vpc, subnet)
}

/// One setting the StackSets API would refuse: what it is, the value given, and the help.
type Refusal = (String, String, String);

/// The stack set's synthesis errors, as data: each must be a StackSets refusal (`VF0918`) of
/// stack set Baseline (each code's text has its own snapshot in `finding.rs`).
fn errors_of(set: StackSet<Baseline>) -> Vec<Refusal> {
    let mut app = App::new("fleet");
    app.add_stack_set(set);
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(e) => {
            e.0.into_iter()
                .map(|e| {
                    assert_eq!(
                        (e.code(), e.construct()),
                        (Code::VF0918, Some("Baseline")),
                        "{e:?}"
                    );
                    let help = e.help().unwrap_or_default();
                    match e {
                        SynthError::InvalidStackSet { what, value, .. } => (what, value, help),
                        other => panic!("not a stack set's refusal: {other:?}"),
                    }
                })
                .collect()
        }
    }
}

/// Asserts `found` is, in order, one refusal per `(what, value, key)`, the help of each naming
/// its `key` (the value or call that fixes it).
#[track_caller]
fn assert_refused(found: &[Refusal], expected: &[(&str, &str, &str)]) {
    let refused: Vec<(&str, &str)> = found
        .iter()
        .map(|(what, value, _)| (what.as_str(), value.as_str()))
        .collect();
    let want: Vec<(&str, &str)> = expected
        .iter()
        .map(|(what, value, _)| (*what, *value))
        .collect();
    assert_eq!(refused, want, "{found:#?}");
    for ((what, _, help), (_, _, key)) in found.iter().zip(expected) {
        assert!(help.contains(key), "{what}: {help:?} does not name {key:?}");
    }
}

#[test]
fn a_valid_stack_set_gives_the_deployer_its_spec() {
    let (stack, vpc, subnet) = baseline();
    let set = StackSet::new(stack)
        .targets(StackSetTargets::accounts(["111111111111", "222222222222"]))
        .regions(["us-east-1", "eu-west-1"])
        .preferences(
            OperationPreferences::default()
                .max_concurrent(Amount::Count(2))
                .failure_tolerance(Amount::Count(1)),
        )
        .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0"))
        .override_for(
            StackSetTargets::accounts(["222222222222"]),
            ["eu-west-1"],
            &subnet,
            ExistingId::ssm("/legacy/private-a"),
        );
    let mut app = App::new("fleet");
    app.add_stack_set(set);
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let spec = assembly.stacks()[0].stack_set().expect("a stack set");
    assert_eq!(spec.regions, ["us-east-1", "eu-west-1"]);
    assert_eq!(
        spec.parameters,
        [("Vpc".to_string(), "vpc-0123456789abcdef0".to_string())]
    );
    assert_eq!(
        spec.overrides[0].parameters,
        [("PrivateA".to_string(), "/legacy/private-a".to_string())]
    );
    assert!(matches!(
        spec.permission_model,
        PermissionModel::SelfManaged { .. }
    ));
    assert!(
        assembly
            .summary("out".as_ref())
            .contains("stack set: accounts 111111111111, 222222222222, in us-east-1, eu-west-1")
    );
}

/// Targets and permissions: `DeploymentTargets` and `CreateStackInstances` (Accounts for
/// self-managed, OUs for service-managed), 12-digit accounts, OU ID pattern, regions.
#[test]
fn targets_the_permission_model_cannot_use_are_errors() {
    let (stack, vpc, _) = baseline();
    let errors = errors_of(
        StackSet::new(stack)
            .targets(StackSetTargets::accounts(["1234"]))
            .regions(["us-east-1", "moon-1"])
            .permission_model(PermissionModel::service_managed())
            .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0")),
    );
    assert_refused(
        &errors,
        &[
            ("account", "1234", "12 digits"),
            ("targets", "1234", "StackSetTargets::organizational_units"),
            ("region", "moon-1", "us-east-1"),
        ],
    );
    let (stack, vpc, _) = baseline();
    let errors = errors_of(
        StackSet::new(stack)
            .targets(StackSetTargets::organizational_units(["ou-ab-1"]))
            .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0")),
    );
    assert_refused(
        &errors,
        &[
            ("organizational unit", "ou-ab-1", "ou-ab12-11111111"),
            ("targets", "ou-ab-1", "PermissionModel::service_managed()"),
            ("regions", "none", ".regions("),
        ],
    );
}

/// "MaxConcurrentCount is at most one more than the FailureToleranceCount if you're using
/// STRICT_FAILURE_TOLERANCE" (StackSetOperationPreferences); percentages are 0–100.
#[test]
fn preferences_aws_refuses_are_errors() {
    let set = |preferences: OperationPreferences| {
        let (stack, vpc, _) = baseline();
        StackSet::new(stack)
            .targets(StackSetTargets::accounts(["111111111111"]))
            .regions(["us-east-1"])
            .preferences(preferences)
            .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0"))
    };
    assert_refused(
        &errors_of(set(OperationPreferences::default()
            .max_concurrent(Amount::Count(5))
            .failure_tolerance(Amount::Count(1)))),
        &[("max concurrent", "5", "soft_failure_tolerance()")],
    );
    assert!(
        errors_of(set(OperationPreferences::default()
            .max_concurrent(Amount::Count(5))
            .failure_tolerance(Amount::Count(1))
            .soft_failure_tolerance()))
        .is_empty()
    );
    assert_refused(
        &errors_of(set(OperationPreferences::default()
            .max_concurrent(Amount::Percentage(0))
            .failure_tolerance(Amount::Percentage(101)))),
        &[
            ("max concurrent", "0%", "1 to 100"),
            ("failure tolerance", "101%", "0 to 100"),
        ],
    );
    assert_refused(
        &errors_of(set(
            OperationPreferences::default().region_order(["eu-west-1"])
        )),
        &[("region order", "eu-west-1", "(us-east-1)")],
    );
}

/// Per-target values are typed by the existing construct they fill, and checked like its own.
#[test]
fn parameter_values_must_fit_the_construct_and_the_targets() {
    // No value for the VPC declared as a parameter.
    let (stack, _, _) = baseline();
    let errors_without = errors_of(
        StackSet::new(stack)
            .targets(StackSetTargets::accounts(["111111111111"]))
            .regions(["us-east-1"]),
    );
    assert_refused(
        &errors_without,
        &[(
            "parameter",
            "Baseline/Vpc",
            ".parameter(&vpc, ExistingId::id(..))",
        )],
    );
    // A subnet's ID for the VPC, an SSM name where the type takes an ID, an override for an
    // account and a region the set does not target.
    let (stack, vpc, subnet) = baseline();
    let errors = errors_of(
        StackSet::new(stack)
            .targets(StackSetTargets::accounts(["111111111111"]))
            .regions(["us-east-1"])
            .parameter(&vpc, ExistingId::id("subnet-0123456789abcdef0"))
            .override_for(
                StackSetTargets::accounts(["999999999999"]),
                ["eu-west-1"],
                &subnet,
                ExistingId::id("subnet-0123456789abcdef0"),
            ),
    );
    assert_refused(
        &errors,
        &[
            ("value for Baseline/Vpc", "subnet-0123456789abcdef0", "vpc-"),
            ("override target", "999999999999", "(111111111111)"),
            ("override region", "eu-west-1", "(us-east-1)"),
            (
                "value for Baseline/PrivateA",
                "subnet-0123456789abcdef0",
                "give ExistingId::ssm(..)",
            ),
        ],
    );
}

/// A fleet's instances cannot export or import: each account and region would hold its own.
#[test]
fn a_stack_set_cannot_export() {
    let (mut stack, vpc, _) = baseline();
    stack.export("VpcId", &vpc);
    let errors = errors_of(
        StackSet::new(stack)
            .targets(StackSetTargets::accounts(["111111111111"]))
            .regions(["us-east-1"])
            .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0")),
    );
    assert_refused(
        &errors,
        &[(
            "exports and imports",
            "Baseline-VpcId",
            "parameters of existing constructs",
        )],
    );
}

/// Exclusions only narrow units; an override names targets and regions; the administrator's
/// region is a region; the template is rendered for every target region, not the
/// administrator's.
#[test]
fn exclusions_overrides_and_the_administrators_region() {
    let (stack, vpc, subnet) = baseline();
    let errors = errors_of(
        StackSet::new(stack.region("moon-1"))
            .targets(StackSetTargets::accounts(["111111111111"]).except_accounts(["222222222222"]))
            .regions(["us-east-1"])
            .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0"))
            .override_for(
                StackSetTargets::accounts(Vec::<String>::new()),
                Vec::<String>::new(),
                &subnet,
                ExistingId::ssm("/legacy/private-a"),
            )
            .override_for(
                StackSetTargets::accounts(["111111111111"]),
                Vec::<String>::new(),
                &subnet,
                ExistingId::ssm("/legacy/private-a"),
            ),
    );
    assert_refused(
        &errors,
        &[
            ("administrator region", "moon-1", "us-east-1"),
            ("excluded accounts", "222222222222", "except_accounts"),
            ("override", "Baseline/PrivateA", "one target and one region"),
            ("override", "Baseline/PrivateA", "one target and one region"),
        ],
    );
    let (stack, vpc, _) = baseline();
    let mut app = App::new("fleet");
    app.add_stack_set(
        StackSet::new(stack.region("eu-west-1"))
            .targets(StackSetTargets::accounts(["111111111111"]))
            .regions(["us-east-1", "ap-south-1"])
            .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0")),
    );
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    let set = &assembly.stacks()[0];
    assert_eq!(set.environment().region.as_deref(), Some("eu-west-1"));
    let json = set.template().to_json_compact().expect("json");
    assert!(!json.contains("eu-west-1"), "{json}");
    assert!(json.contains("${AWS::Region}"), "{json}");
}

/// Every kind of existing construct takes values per target, and each declared as a parameter
/// needs one; an SSM name where the type takes an ID is refused.
#[test]
fn every_existing_kind_takes_and_needs_values() {
    use vpcform_net::existing::{ExistingRouteTable, ExistingSecurityGroup};
    let build = |with_values: bool, vpc_value: ExistingId| {
        let mut stack = Stack::<Baseline>::new("Baseline");
        let vpc = stack.add(
            "Vpc",
            ExistingVpc::<Workload>::builder()
                .id(ExistingId::parameter())
                .cidr(cidr!("10.100.0.0/16"))
                .build(),
        );
        let subnet = stack.add(
            "Sub",
            ExistingSubnet::builder()
                .vpc(&vpc)
                .id(ExistingId::parameter())
                .cidr(cidr!("10.100.1.0/24"))
                .availability_zone(Az::index(0))
                .build(),
        );
        let routes = stack.add(
            "Routes",
            ExistingRouteTable::builder()
                .vpc(&vpc)
                .id(ExistingId::parameter())
                .serves([&subnet])
                .build(),
        );
        let group = stack.add(
            "Group",
            ExistingSecurityGroup::builder()
                .vpc(&vpc)
                .id(ExistingId::parameter())
                .build(),
        );
        stack.add(
            "S3",
            GatewayEndpoint::builder()
                .vpc(&vpc)
                .service(services::S3)
                .route_tables([&routes])
                .build(),
        );
        let mut set = StackSet::new(stack)
            .targets(StackSetTargets::accounts(["111111111111"]))
            .regions(["us-east-1"]);
        if with_values {
            set = set
                .parameter(&vpc, vpc_value)
                .parameter(&subnet, ExistingId::id("subnet-0123456789abcdef0"))
                .parameter(&routes, ExistingId::id("rtb-0123456789abcdef0"))
                .parameter(&group, ExistingId::id("sg-0123456789abcdef0"));
        }
        errors_of(set)
    };
    let missing = build(false, ExistingId::parameter());
    assert_eq!(missing.len(), 4, "{missing:#?}");
    for (i, path) in [
        "Baseline/Vpc",
        "Baseline/Sub",
        "Baseline/Routes",
        "Baseline/Group",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(
            (missing[i].0.as_str(), missing[i].1.as_str()),
            ("parameter", *path),
            "{missing:#?}"
        );
    }
    assert!(build(true, ExistingId::id("vpc-0123456789abcdef0")).is_empty());
    assert_refused(
        &build(true, ExistingId::ssm("/network/vpc-id")),
        &[(
            "value for Baseline/Vpc",
            "/network/vpc-id",
            "declare it with ExistingId::ssm(..)",
        )],
    );
}

/// Bounds: 100 % at once and 0 failures tolerated are AWS's limits, not errors; a count of 0
/// at once is; an administration role must be a role ARN; an override's unit must be the
/// set's.
#[test]
fn bounds_roles_and_unit_overrides() {
    let set = |preferences: OperationPreferences, permissions: PermissionModel| {
        let (stack, vpc, _) = baseline();
        StackSet::new(stack)
            .targets(StackSetTargets::accounts(["111111111111"]))
            .regions(["us-east-1"])
            .preferences(preferences)
            .permission_model(permissions)
            .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0"))
    };
    assert!(
        errors_of(set(
            OperationPreferences::default()
                .max_concurrent(Amount::Percentage(100))
                .failure_tolerance(Amount::Percentage(0)),
            PermissionModel::self_managed()
        ))
        .is_empty()
    );
    assert!(
        errors_of(set(
            OperationPreferences::default()
                .max_concurrent(Amount::Count(1))
                .failure_tolerance(Amount::Count(0)),
            PermissionModel::self_managed().roles(
                "arn:aws:iam::111122223333:role/StackSetAdmin",
                "StackSetExecution"
            )
        ))
        .is_empty()
    );
    assert_eq!(
        errors_of(set(
            OperationPreferences::default(),
            PermissionModel::self_managed()
                .roles("arn:aws:iam::111122223333:user/admin", "StackSetExecution")
        ))
        .len(),
        1,
        "a user is not a role"
    );
    assert_eq!(
        errors_of(set(
            OperationPreferences::default(),
            PermissionModel::self_managed().roles("arn:aws:sts::111122223333:role/x", "E")
        ))
        .len(),
        1,
        "an STS ARN is not an IAM role's"
    );
    assert_refused(
        &errors_of(set(
            OperationPreferences::default().max_concurrent(Amount::Count(0)),
            PermissionModel::self_managed().roles("StackSetAdmin", "StackSetExecution"),
        )),
        &[
            ("max concurrent", "0", "at least 1"),
            (
                "administration role",
                "StackSetAdmin",
                "arn:aws:iam::111122223333:role/",
            ),
        ],
    );
    let (stack, vpc, _) = baseline();
    let errors = errors_of(
        StackSet::new(stack)
            .targets(StackSetTargets::organizational_units(["ou-ab12-11111111"]))
            .regions(["us-east-1"])
            .permission_model(PermissionModel::service_managed())
            .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0"))
            .override_for(
                StackSetTargets::organizational_units(["ou-ab12-22222222"]),
                ["us-east-1"],
                &vpc,
                ExistingId::id("vpc-0123456789abcdef1"),
            ),
    );
    assert_refused(
        &errors,
        &[("override target", "ou-ab12-22222222", "(ou-ab12-11111111)")],
    );
}
