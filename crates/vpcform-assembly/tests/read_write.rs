//! An assembly written then read back is the same; a manifest of another version, garbled, or
//! missing a field is refused on one line naming the file.

use std::path::PathBuf;

use vpcform_assembly::{
    Amount, AssemblyError, CloudAssembly, Environment, Manifest, ManifestStack, ManifestStep,
    OperationPreferences, OutputRef, ParameterImport, PermissionModel, SCHEMA_VERSION,
    StackSetOverride, StackSetSpec, StackSetTargets, StepAction,
};

/// A fresh directory of this test's own.
fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vpcform-assembly-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Every field given: two environments, an import across them, a stack set with overrides.
fn full_manifest() -> Manifest {
    let mut provider = ManifestStack::new("Provider");
    provider.environment = Environment {
        account: Some("111122223333".into()),
        region: Some("us-east-1".into()),
        profile: Some("prod".into()),
        role_arn: Some("arn:aws:iam::111122223333:role/deploy".into()),
    };
    provider.exports = vec!["Provider:ServiceName".into()];
    provider.tags = vec![
        ("vpcform:app".into(), "demo".into()),
        ("team".into(), "network".into()),
    ];
    provider.termination_protection = Some(true);
    provider.capabilities = vec!["CAPABILITY_IAM".into()];
    provider.import_ids = [("Vpc".to_string(), "vpc-0123456789abcdef0".to_string())].into();
    let mut consumer = ManifestStack::new("Consumer");
    consumer.environment.account = Some("444455556666".into());
    consumer.depends_on = vec!["Provider".into()];
    consumer.parameter_imports = vec![ParameterImport {
        parameter: "ImportProviderServiceName".into(),
        stack: "Provider".into(),
        output: "ServiceName".into(),
    }];
    consumer.stack_set = Some(StackSetSpec {
        targets: StackSetTargets::organizational_units(["ou-ab12-11111111"])
            .except_accounts(["777788889999"]),
        regions: vec!["us-east-1".into(), "eu-west-1".into()],
        preferences: OperationPreferences::default()
            .max_concurrent(Amount::Percentage(25))
            .failure_tolerance(Amount::Count(2))
            .region_order(["us-east-1", "eu-west-1"]),
        permission_model: PermissionModel::service_managed()
            .auto_deploy(true)
            .delegated_admin(),
        parameters: vec![("Vpc".into(), "vpc-0123456789abcdef0".into())],
        overrides: vec![StackSetOverride {
            targets: StackSetTargets::organizational_units(["ou-ab12-11111111"]),
            regions: vec!["eu-west-1".into()],
            parameters: vec![("Vpc".into(), "vpc-0fedcba9876543210".into())],
        }],
    });
    // The provider's peering accepted in the consumer's account, then a routes stack that
    // takes the accepter's attachment ID from the step.
    let mut accept = ManifestStep::new(
        "AcceptPeering",
        StepAction::AcceptTransitGatewayPeeringAttachment {
            attachment: OutputRef::new("Provider", "PeeringAttachmentId"),
        },
    );
    accept.environment.account = Some("444455556666".into());
    accept.environment.region = Some("eu-west-1".into());
    let mut routes = ManifestStack::new("Routes");
    routes.depends_on = vec!["AcceptPeering".into()];
    routes.parameter_imports = vec![ParameterImport {
        parameter: "AccepterAttachment".into(),
        stack: "AcceptPeering".into(),
        output: "AccepterTransitGatewayAttachmentId".into(),
    }];
    let mut manifest = Manifest::new("demo");
    manifest.stacks = vec![provider, consumer, routes];
    manifest.steps = vec![accept];
    manifest
}

#[test]
fn a_manifest_written_reads_back_the_same() {
    let dir = dir("round-trip");
    let manifest = full_manifest();
    let path = manifest.write_to(&dir).expect("written");
    assert_eq!(path, dir.join("manifest.json"));
    let assembly = CloudAssembly::read(&dir).expect("read");
    assert_eq!(assembly.manifest(), &manifest);
    assert_eq!(assembly.dir(), dir);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    assert_eq!(
        json["steps"][0]["action"],
        serde_json::json!({
            "type": "AcceptTransitGatewayPeeringAttachment",
            "attachment": {"stack": "Provider", "output": "PeeringAttachmentId"}
        })
    );
    assert_eq!(
        json["steps"][0]["dependsOn"],
        serde_json::json!(["Provider"])
    );
    let routes = &assembly.manifest().stacks[2];
    let step_env = assembly
        .manifest()
        .producer_environment(&routes.parameter_imports[0])
        .expect("a step produces");
    assert_eq!(step_env.region.as_deref(), Some("eu-west-1"));
    // The program's import IDs are an object by logical ID; a stack without any has no field.
    assert_eq!(
        json["stacks"][0]["importIds"],
        serde_json::json!({"Vpc": "vpc-0123456789abcdef0"})
    );
    assert!(json["stacks"][1].get("importIds").is_none());
    let consumer = &assembly.manifest().stacks[1];
    let producer = assembly
        .manifest()
        .producer_environment(&consumer.parameter_imports[0])
        .expect("the producer is listed");
    assert_eq!(producer.account.as_deref(), Some("111122223333"));
    // Tags are an object, in the order given; the environment's fields sit in the stack's.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("text")).expect("json");
    assert_eq!(json["version"], SCHEMA_VERSION);
    assert_eq!(json["stacks"][0]["tags"]["team"], "network");
    assert_eq!(
        json["stacks"][0]["roleArn"],
        "arn:aws:iam::111122223333:role/deploy"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn templates_are_read_from_the_directory() {
    let dir = dir("templates");
    let mut manifest = Manifest::new("demo");
    manifest.stacks.push(ManifestStack::new("Network"));
    manifest.write_to(&dir).expect("written");
    let assembly = CloudAssembly::read(&dir).expect("read");
    let error = assembly
        .template(&assembly.manifest().stacks[0])
        .expect_err("no template yet");
    assert!(matches!(error, AssemblyError::Io { .. }));
    assert!(
        error.to_string().contains("Network.template.json"),
        "{error}"
    );
    std::fs::write(dir.join("Network.template.json"), "{}").expect("template");
    assert_eq!(
        assembly
            .template(&assembly.manifest().stacks[0])
            .expect("read"),
        "{}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Reads `manifest` from a directory of its own, expecting a refusal.
fn refused(name: &str, manifest: &str) -> (AssemblyError, String) {
    let dir = dir(name);
    std::fs::write(dir.join("manifest.json"), manifest).expect("manifest");
    let error = CloudAssembly::read(&dir).expect_err("refused");
    let text = error.to_string();
    assert!(!text.contains('\n'), "one line: {text}");
    assert!(
        text.starts_with(&dir.join("manifest.json").display().to_string()),
        "names the file: {text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    (error, text)
}

#[test]
fn another_schema_version_is_refused_on_one_line() {
    // Whatever else a newer manifest holds, its version is what is named.
    let (error, text) = refused("version", r#"{"version": 4, "application": "demo"}"#);
    assert!(matches!(error, AssemblyError::Version { .. }), "{error:?}");
    assert!(
        text.ends_with(
            "cloud assembly schema version 4, but this vpcform reads version 3: synthesize \
             the app again with this vpcform"
        ),
        "{text}"
    );
    // Version 1 had no steps: read as 2 it would deploy past an acceptance it never saw.
    let (error, _) = refused(
        "version-1",
        r#"{"version": 1, "app": "demo", "stacks": []}"#,
    );
    assert!(matches!(error, AssemblyError::Version { .. }), "{error:?}");
    // Version 2 had no missing lookups: read as 3 it would deploy their placeholders.
    let (error, _) = refused(
        "version-2",
        r#"{"version": 2, "app": "demo", "stacks": []}"#,
    );
    assert!(matches!(error, AssemblyError::Version { .. }), "{error:?}");
    let (error, _) = refused(
        "version-text",
        r#"{"version": "3", "app": "demo", "stacks": []}"#,
    );
    assert!(matches!(error, AssemblyError::Version { .. }), "{error:?}");
}

#[test]
fn a_manifest_missing_a_field_is_refused_naming_the_field() {
    let (error, text) = refused(
        "missing-field",
        r#"{"version": 3, "app": "demo", "stacks": [{"name": "Network", "dependsOn": [],
            "exports": [], "imports": [], "tags": {}}]}"#,
    );
    assert!(matches!(error, AssemblyError::Garbled { .. }), "{error:?}");
    assert!(text.contains("missing field `template`"), "{text}");
    let (_, text) = refused("missing-version", r#"{"app": "demo", "stacks": []}"#);
    assert!(text.contains("missing field `version`"), "{text}");
}

#[test]
fn a_garbled_or_missing_manifest_is_refused_naming_the_file() {
    let (error, text) = refused("garbled", "{\"version\": 3, \"app\": ");
    assert!(matches!(error, AssemblyError::Garbled { .. }), "{error:?}");
    assert!(text.contains("not a cloud assembly manifest"), "{text}");
    let dir = dir("missing");
    let error = CloudAssembly::read(&dir).expect_err("no manifest");
    assert!(matches!(error, AssemblyError::Missing { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains(&dir.join("manifest.json").display().to_string())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn stacks_that_do_not_fit_together_are_refused() {
    let mut outside = Manifest::new("demo");
    let mut stack = ManifestStack::new("Network");
    stack.template = "../elsewhere.json".into();
    outside.stacks.push(stack);
    let (error, text) = refused("outside", &outside.to_json().expect("json"));
    assert!(matches!(error, AssemblyError::Invalid { .. }), "{error:?}");
    assert!(
        text.contains("not a file name in the assembly's directory"),
        "{text}"
    );

    let mut dangling = full_manifest();
    dangling.stacks.remove(0);
    let (_, text) = refused("dangling", &dangling.to_json().expect("json"));
    assert!(
        text.ends_with("stack Consumer depends on Provider, which the manifest does not list"),
        "{text}"
    );

    let mut twice = Manifest::new("demo");
    twice.stacks = vec![ManifestStack::new("Network"), ManifestStack::new("Network")];
    let (_, text) = refused("twice", &twice.to_json().expect("json"));
    assert!(text.ends_with("stack Network is listed twice"), "{text}");
}

/// A test case: its name, how it breaks the manifest, the end of the refusal.
type Breakage = (&'static str, fn(&mut Manifest), &'static str);

#[test]
fn steps_that_do_not_fit_are_refused() {
    let cases: [Breakage; 7] = [
        (
            "step-before-input",
            |m| m.steps[0].depends_on.clear(),
            "step AcceptPeering reads Provider's output PeeringAttachmentId, and its dependsOn \
             does not name Provider: it could run first",
        ),
        (
            "stack-before-step",
            |m| m.stacks[2].depends_on.clear(),
            "stack Routes's parameter AccepterAttachment takes an output of step AcceptPeering, \
             which its dependsOn does not name: it could be deployed before the step",
        ),
        (
            "step-unknown-input",
            |m| {
                m.steps[0].action = StepAction::AcceptTransitGatewayPeeringAttachment {
                    attachment: OutputRef::new("Nowhere", "Id"),
                }
            },
            "step AcceptPeering reads Nowhere's output Id, and the manifest lists no stack Nowhere",
        ),
        (
            "step-output",
            |m| m.stacks[2].parameter_imports[0].output = "TransitGatewayId".into(),
            "stack Routes's parameter AccepterAttachment takes output TransitGatewayId of step \
             AcceptPeering, which gives only TransitGatewayAttachmentId, \
             AccepterTransitGatewayAttachmentId",
        ),
        (
            "step-twice",
            |m| m.steps.push(m.steps[0].clone()),
            "step AcceptPeering is listed twice",
        ),
        (
            "step-cycle",
            |m| m.steps[0].depends_on.push("Routes".into()),
            "a dependency cycle: Routes → AcceptPeering → Routes",
        ),
        (
            "step-dependency",
            |m| m.stacks[2].depends_on = vec!["AcceptPeerings".into()],
            "stack Routes depends on AcceptPeerings, which the manifest does not list",
        ),
    ];
    for (name, break_it, expected) in cases {
        let mut manifest = full_manifest();
        break_it(&mut manifest);
        let (error, text) = refused(name, &manifest.to_json().expect("json"));
        assert!(
            matches!(error, AssemblyError::Invalid { .. }),
            "{name}: {error:?}"
        );
        assert!(text.ends_with(expected), "{name}: {text}");
    }
}
