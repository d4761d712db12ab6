//! The deployer's stacks from a cloud assembly directory: each manifest entry with its template
//! made compact, its imports with their producers' environments, a stack set's values as
//! parameters; a template that is not JSON is refused naming its file.

use std::path::PathBuf;

use vpcform_assembly::{
    CloudAssembly, Environment, Manifest, ManifestStack, ParameterImport, StackSetSpec,
    StackSetTargets,
};
use vpcform_deploy::stack_templates;

/// A fresh directory holding `manifest` and the templates given.
fn assembly(name: &str, manifest: &Manifest, templates: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "vpcform-deploy-assembly-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    manifest.write_to(&dir).expect("manifest");
    for (file, body) in templates {
        std::fs::write(dir.join(file), body).expect("template");
    }
    dir
}

fn two_stacks() -> Manifest {
    let mut provider = ManifestStack::new("Provider");
    provider.environment = Environment {
        account: Some("111122223333".into()),
        region: Some("eu-west-1".into()),
        ..Environment::default()
    };
    let mut consumer = ManifestStack::new("Consumer");
    consumer.depends_on = vec!["Provider".into()];
    consumer.tags = vec![("vpcform:app".into(), "demo".into())];
    consumer.parameter_imports = vec![ParameterImport {
        parameter: "ImportProviderVpcId".into(),
        stack: "Provider".into(),
        output: "VpcId".into(),
    }];
    consumer.stack_set = Some(StackSetSpec {
        targets: StackSetTargets::accounts(["444455556666"]),
        regions: vec!["us-east-1".into()],
        parameters: vec![("Vpc".into(), "vpc-0123456789abcdef0".into())],
        ..StackSetSpec::default()
    });
    let mut manifest = Manifest::new("demo");
    manifest.stacks = vec![provider, consumer];
    manifest
}

#[test]
fn each_stack_comes_from_its_manifest_entry_and_template() {
    let manifest = two_stacks();
    let dir = assembly(
        "ok",
        &manifest,
        &[
            ("Provider.template.json", "{\n  \"Resources\": {}\n}\n"),
            ("Consumer.template.json", "{ \"Parameters\": {} }"),
        ],
    );
    let stacks = stack_templates(&CloudAssembly::read(&dir).expect("read")).expect("stacks");
    assert_eq!(stacks.len(), 2);
    assert_eq!(stacks[0].name, "Provider");
    assert_eq!(stacks[0].body, r#"{"Resources":{}}"#);
    let consumer = &stacks[1];
    assert_eq!(consumer.body, r#"{"Parameters":{}}"#);
    assert_eq!(consumer.depends_on, ["Provider"]);
    assert_eq!(consumer.tags, manifest.stacks[1].tags);
    let (import, producer) = &consumer.parameter_imports[0];
    assert_eq!(import.output, "VpcId");
    assert_eq!(producer, &manifest.stacks[0].environment);
    assert_eq!(
        consumer.parameters,
        [("Vpc".to_string(), "vpc-0123456789abcdef0".to_string())]
    );
    assert_eq!(consumer.stack_set, manifest.stacks[1].stack_set);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_template_that_is_not_json_is_refused_naming_its_file() {
    let dir = assembly(
        "garbled",
        &two_stacks(),
        &[
            ("Provider.template.json", "{}"),
            ("Consumer.template.json", "{ \"Resources\": "),
        ],
    );
    let error = stack_templates(&CloudAssembly::read(&dir).expect("read")).expect_err("refused");
    let text = error.to_string();
    assert!(
        text.starts_with(&dir.join("Consumer.template.json").display().to_string()),
        "{text}"
    );
    assert!(text.contains("the template is not JSON"), "{text}");
    assert!(!text.contains('\n'), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A manifest's steps come with its stacks, in dependency order: after the stack they read,
/// before the stacks that name them; the input is read in the requester's environment.
#[test]
fn the_manifest_s_steps_are_placed_among_its_stacks() {
    use vpcform_assembly::{ManifestStep, OutputRef, StepAction};
    let mut east = ManifestStack::new("East");
    east.environment.region = Some("us-east-1".into());
    let mut routes = ManifestStack::new("WestRoutes");
    routes.depends_on = vec!["AcceptPeering".into()];
    let mut manifest = Manifest::new("demo");
    manifest.stacks = vec![east, routes];
    let mut step = ManifestStep::new(
        "AcceptPeering",
        StepAction::AcceptTransitGatewayPeeringAttachment {
            attachment: OutputRef::new("East", "PeeringAttachmentId"),
        },
    );
    step.environment.region = Some("us-west-2".into());
    manifest.steps.push(step);
    let dir = assembly(
        "steps",
        &manifest,
        &[
            ("East.template.json", r#"{"Resources": {}}"#),
            ("WestRoutes.template.json", r#"{"Resources": {}}"#),
        ],
    );
    let read = CloudAssembly::read(&dir).expect("a valid assembly");
    let stacks = stack_templates(&read).expect("stacks");
    let names: Vec<&str> = stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["East", "AcceptPeering", "WestRoutes"]);
    let accept = &stacks[1];
    assert!(accept.step.is_some() && accept.body.is_empty());
    assert_eq!(accept.environment.region.as_deref(), Some("us-west-2"));
    let (input, producer) = &accept.parameter_imports[0];
    assert_eq!(input.output, "PeeringAttachmentId");
    assert_eq!(producer.region.as_deref(), Some("us-east-1"));
    let _ = std::fs::remove_dir_all(&dir);
}
