//! StackSet declarations: what the StackSets API would refuse is a synthesis error naming the
//! stack set, the value and the fix; a valid one's spec is what the deployer gets.

use vpcform_net::deployment::{
    Amount, OperationPreferences, PermissionModel, StackSet, StackSetTargets,
};
use vpcform_net::existing::{ExistingId, ExistingSubnet, ExistingVpc};
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

fn errors_of(set: StackSet<Baseline>) -> Vec<String> {
    let mut app = App::new("fleet");
    app.add_stack_set(set);
    match app.synth() {
        Ok(_) => Vec::new(),
        Err(e) => e
            .errors()
            .iter()
            .map(|e| match e.help() {
                Some(help) => format!("{e}\nhelp: {help}"),
                None => e.to_string(),
            })
            .collect(),
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
    assert_eq!(
        errors,
        [
            "stack set Baseline: StackSets refuses account \"1234\"\nhelp: an account ID is 12 digits",
            "stack set Baseline: StackSets refuses targets \"1234\"\nhelp: service-managed stack sets target organizational units: use StackSetTargets::organizational_units (with except_accounts to leave some out)",
            "stack set Baseline: StackSets refuses region \"moon-1\"\nhelp: a region code looks like us-east-1",
        ]
    );
    let (stack, vpc, _) = baseline();
    let errors = errors_of(
        StackSet::new(stack)
            .targets(StackSetTargets::organizational_units(["ou-ab-1"]))
            .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0")),
    );
    assert_eq!(
        errors,
        [
            "stack set Baseline: StackSets refuses organizational unit \"ou-ab-1\"\nhelp: an OU ID looks like ou-ab12-11111111, a root's like r-ab12",
            "stack set Baseline: StackSets refuses targets \"ou-ab-1\"\nhelp: organizational units need PermissionModel::service_managed(); self-managed stack sets target accounts",
            "stack set Baseline: StackSets refuses regions \"none\"\nhelp: give the regions instances go to with .regions([...])",
        ]
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
    assert_eq!(
        errors_of(set(OperationPreferences::default()
            .max_concurrent(Amount::Count(5))
            .failure_tolerance(Amount::Count(1)))),
        [
            "stack set Baseline: StackSets refuses max concurrent \"5\"\nhelp: with strict failure tolerance CloudFormation runs at most failure tolerance + 1 = 2 accounts at once: raise failure_tolerance, or use soft_failure_tolerance()"
        ]
    );
    assert!(
        errors_of(set(OperationPreferences::default()
            .max_concurrent(Amount::Count(5))
            .failure_tolerance(Amount::Count(1))
            .soft_failure_tolerance()))
        .is_empty()
    );
    assert_eq!(
        errors_of(set(OperationPreferences::default()
            .max_concurrent(Amount::Percentage(0))
            .failure_tolerance(Amount::Percentage(101)))),
        [
            "stack set Baseline: StackSets refuses max concurrent \"0%\"\nhelp: a percentage is 1 to 100",
            "stack set Baseline: StackSets refuses failure tolerance \"101%\"\nhelp: a percentage is 0 to 100",
        ]
    );
    assert_eq!(
        errors_of(set(
            OperationPreferences::default().region_order(["eu-west-1"])
        )),
        [
            "stack set Baseline: StackSets refuses region order \"eu-west-1\"\nhelp: the order lists only the stack set's regions (us-east-1)"
        ]
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
    assert_eq!(
        errors_without,
        [
            "stack set Baseline: StackSets refuses parameter \"Baseline/Vpc\"\nhelp: it has no value for the stack set's targets: give one with .parameter(&vpc, ExistingId::id(..)) (and .override_for(..) where targets differ), or declare it with ExistingId::ssm(..) so each account reads its own"
        ]
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
    assert_eq!(
        errors,
        [
            "stack set Baseline: StackSets refuses value for Baseline/Vpc \"subnet-0123456789abcdef0\"\nhelp: an existing VPC ID is vpc- and 8 or 17 lowercase hex digits",
            "stack set Baseline: StackSets refuses override target \"999999999999\"\nhelp: an override applies to the stack set's own accounts (111111111111)",
            "stack set Baseline: StackSets refuses override region \"eu-west-1\"\nhelp: an override applies to the stack set's regions (us-east-1)",
            "stack set Baseline: StackSets refuses value for Baseline/PrivateA \"subnet-0123456789abcdef0\"\nhelp: it is declared with ExistingId::ssm(..), whose type takes an SSM name: give ExistingId::ssm(..)",
        ]
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
    assert_eq!(
        errors,
        [
            "stack set Baseline: StackSets refuses exports and imports \"Baseline-VpcId\"\nhelp: a stack set's instances cannot import or export (each account and region would hold its own); pass values as parameters of existing constructs"
        ]
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
    assert_eq!(
        errors,
        [
            "stack set Baseline: StackSets refuses administrator region \"moon-1\"\nhelp: a region code looks like us-east-1",
            "stack set Baseline: StackSets refuses excluded accounts \"222222222222\"\nhelp: except_accounts leaves accounts out of organizational units; with account targets, leave them out of the list",
            "stack set Baseline: StackSets refuses override \"Baseline/PrivateA\"\nhelp: an override names at least one target and one region",
            "stack set Baseline: StackSets refuses override \"Baseline/PrivateA\"\nhelp: an override names at least one target and one region",
        ]
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
        assert!(
            missing[i].starts_with(&format!(
                "stack set Baseline: StackSets refuses parameter \"{path}\""
            )),
            "{}",
            missing[i]
        );
    }
    assert!(build(true, ExistingId::id("vpc-0123456789abcdef0")).is_empty());
    assert_eq!(
        build(true, ExistingId::ssm("/network/vpc-id")),
        [
            "stack set Baseline: StackSets refuses value for Baseline/Vpc \"/network/vpc-id\"\nhelp: it is declared with ExistingId::parameter(), whose type takes an ID: declare it with ExistingId::ssm(..) to give SSM names"
        ]
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
    assert_eq!(
        errors_of(set(
            OperationPreferences::default().max_concurrent(Amount::Count(0)),
            PermissionModel::self_managed().roles("StackSetAdmin", "StackSetExecution")
        )),
        [
            "stack set Baseline: StackSets refuses max concurrent \"0\"\nhelp: at least 1",
            "stack set Baseline: StackSets refuses administration role \"StackSetAdmin\"\nhelp: a role ARN looks like arn:aws:iam::111122223333:role/AWSCloudFormationStackSetAdministrationRole",
        ]
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
    assert_eq!(
        errors,
        [
            "stack set Baseline: StackSets refuses override target \"ou-ab12-22222222\"\nhelp: an override applies to the stack set's own units (ou-ab12-11111111)"
        ]
    );
}
