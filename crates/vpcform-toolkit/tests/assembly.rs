//! The assembly as the toolkit takes it from a program: the same types on both sides, and the
//! deployer's order (acceptance steps between stacks) read from what the program wrote.

mod common;

#[allow(dead_code)]
#[path = "../../../examples/landing_zone.rs"]
mod landing_zone;

#[allow(dead_code)]
#[path = "../../../examples/privatelink.rs"]
mod privatelink;

/// One schema: what synthesis writes is what the deployer takes, the same types (a second
/// description of any of them would not compile here).
#[test]
fn the_network_and_the_deployer_share_the_assembly_types() {
    let environment: vpcform_deploy::Environment = vpcform::deployment::Environment::default();
    let import: vpcform_deploy::ParameterImport = vpcform::deployment::ParameterImport {
        parameter: "ImportProviderVpcId".into(),
        stack: "Provider".into(),
        output: "VpcId".into(),
    };
    let spec: vpcform_deploy::StackSetSpec = vpcform::deployment::StackSetSpec {
        targets: vpcform::deployment::StackSetTargets::accounts(["111122223333"]),
        preferences: vpcform::deployment::OperationPreferences::default()
            .max_concurrent(vpcform::deployment::Amount::Count(2)),
        permission_model: vpcform::deployment::PermissionModel::self_managed(),
        overrides: vec![vpcform::deployment::StackSetOverride {
            targets: vpcform::deployment::StackSetTargets::accounts(["111122223333"]),
            regions: vec!["us-east-1".into()],
            parameters: Vec::new(),
        }],
        ..vpcform::deployment::StackSetSpec::default()
    };
    let amount: vpcform_deploy::Amount = vpcform::deployment::Amount::Percentage(25);
    let mut stack = vpcform_deploy::StackTemplate::new("Consumer", "{}");
    stack.parameter_imports.push((import, environment));
    stack.stack_set = Some(spec);
    assert_eq!(
        stack.stack_set.map(|s| s.preferences.max_concurrent),
        Some(Some(vpcform_deploy::Amount::Count(2)))
    );
    assert_ne!(amount, vpcform_deploy::Amount::Count(25));
}

/// The deployer takes the peering's acceptance between the stack that asks and the stacks that
/// route over it, in the accepter's Region, and fills the accepter's attachment ID from it.
#[test]
fn landing_zone_deploys_the_peerings_acceptance_between_its_stacks() {
    let assembly = landing_zone::app(&landing_zone::config())
        .synth()
        .unwrap_or_else(|e| panic!("{e}"));
    let entries = common::templates(&assembly);
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let at = |name: &str| {
        names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("{name} not in {names:?}"))
    };
    let step = &entries[at("Accept-TgwPeering-Peering")];
    assert!(step.step.is_some(), "a step, not a stack");
    assert_eq!(step.environment.region.as_deref(), Some("us-west-2"));
    assert!(at("TgwPeering") < at("Accept-TgwPeering-Peering"));
    for routes in ["PeeringRoutesEast", "PeeringRoutesWest"] {
        assert!(at("Accept-TgwPeering-Peering") < at(routes), "{names:?}");
    }
    let west = &entries[at("PeeringRoutesWest")];
    let (import, from) = &west.parameter_imports[0];
    assert_eq!(
        (import.stack.as_str(), import.output.as_str()),
        (
            "Accept-TgwPeering-Peering",
            "AccepterTransitGatewayAttachmentId"
        )
    );
    assert_eq!(from.region.as_deref(), Some("us-west-2"));
    assert_eq!(names.len(), 16, "15 stacks and the step: {names:?}");
}

/// An example's assembly, written and read back, gives the deployer the stacks of the manifest
/// in deployment order with their templates as synthesized, compact as sent.
#[test]
fn an_assembly_read_back_gives_the_deployer_its_stacks_in_order() {
    let assembly = privatelink::app().synth().unwrap_or_else(|e| panic!("{e}"));
    let stacks = common::templates(&assembly);
    let names: Vec<&str> = stacks.iter().map(|s| s.name.as_str()).collect();
    let manifest = assembly.manifest();
    let expected: Vec<&str> = manifest.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, expected);
    for (stack, synthesized) in stacks.iter().zip(assembly.stacks()) {
        assert!(!stack.body.contains('\n'), "compact: {}", stack.name);
        let sent: serde_json::Value = serde_json::from_str(&stack.body).expect("JSON");
        assert_eq!(
            sent,
            serde_json::to_value(synthesized.template()).expect("JSON")
        );
    }
}

/// A manifest with lookups not yet answered is not deployable: its templates hold placeholders.
#[test]
fn an_assembly_with_missing_lookups_is_refused_naming_them() {
    let assembly = privatelink::app().synth().unwrap_or_else(|e| panic!("{e}"));
    let dir = std::env::temp_dir().join(format!("vpcform-toolkit-missing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    assembly.write_to(&dir).expect("written");
    let mut manifest = assembly.manifest();
    manifest
        .missing
        .push(vpcform_assembly::ContextQuery::AvailabilityZones {
            account: "111122223333".into(),
            region: "eu-west-1".into(),
        });
    manifest.write_to(&dir).expect("written");
    let read = vpcform_assembly::CloudAssembly::read(&dir).unwrap_or_else(|e| panic!("{e}"));
    let error = vpcform_toolkit::stack_templates(&read)
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("availability-zones:account=111122223333:region=eu-west-1"),
        "{error}"
    );
    assert!(error.contains("vpcform synth"), "{error}");
    let _ = std::fs::remove_dir_all(&dir);
}
