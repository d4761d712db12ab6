//! The assembly as the deployer takes it: one `StackTemplate` per stack, built by the deploy
//! crate from the manifest and the template files (one schema, `vpcform-assembly`), and the
//! `--parameters` values.

use vpcform_assembly::CloudAssembly;

/// Adds `STACK:NAME=VALUE` parameter values to the stacks they name.
///
/// # Errors
/// A value not of that form, or naming a stack the app does not have.
///
/// ```
/// let mut stacks = vec![vpcform_deploy::StackTemplate::new("Net", "{}")];
/// vpcform_toolkit::apply_parameters(&mut stacks, &["Net:LandingVpc=vpc-0a1b2c3d".to_string()])?;
/// assert_eq!(stacks[0].parameters, [("LandingVpc".to_string(), "vpc-0a1b2c3d".to_string())]);
/// assert!(vpcform_toolkit::apply_parameters(&mut stacks, &["Other:X=1".to_string()]).is_err());
/// # Ok::<(), String>(())
/// ```
pub fn apply_parameters(
    stacks: &mut [vpcform_deploy::StackTemplate],
    values: &[String],
) -> Result<(), String> {
    for text in values {
        let parsed = text
            .split_once(':')
            .and_then(|(stack, rest)| rest.split_once('=').map(|(k, v)| (stack, k, v)))
            .filter(|(stack, key, _)| !stack.is_empty() && !key.is_empty());
        let Some((stack, key, value)) = parsed else {
            return Err(format!(
                "--parameters {text:?}: expected STACK:NAME=VALUE, e.g. Endpoints:LandingVpc=vpc-0a1b2c3d"
            ));
        };
        let Some(target) = stacks.iter_mut().find(|s| s.name == stack) else {
            let names: Vec<&str> = stacks.iter().map(|s| s.name.as_str()).collect();
            return Err(format!(
                "--parameters {text:?}: no stack named {stack} (stacks: {})",
                names.join(", ")
            ));
        };
        target.parameters.push((key.to_string(), value.to_string()));
    }
    Ok(())
}

/// The deployer's stacks of a cloud assembly ([`vpcform_deploy::stack_templates`]): each
/// stack's manifest entry with its template made compact, and the manifest's acceptance steps
/// ([`StackTemplate::from_step`](vpcform_deploy::StackTemplate::from_step)), in deployment
/// order.
///
/// # Errors
/// A template file that cannot be read or is not JSON, or an assembly whose lookups are not all answered
/// (its templates hold placeholders): one line naming them and how to resolve them.
///
/// ```
/// use vpcform_assembly::{CloudAssembly, Manifest, ManifestStack};
/// let dir = std::env::temp_dir().join(format!("vpcform-toolkit-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let mut manifest = Manifest::new("demo");
/// let mut network = ManifestStack::new("Network");
/// network.environment.region = Some("eu-west-1".into());
/// manifest.stacks.push(network);
/// std::fs::write(dir.join("Network.template.json"), r#"{"Resources":{}}"#)?;
/// manifest.write_to(&dir)?;
/// let stacks = vpcform_toolkit::stack_templates(&CloudAssembly::read(&dir)?)?;
/// assert_eq!(stacks[0].environment.region.as_deref(), Some("eu-west-1"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn stack_templates(
    assembly: &CloudAssembly,
) -> Result<Vec<vpcform_deploy::StackTemplate>, String> {
    // Compact, as sent to CloudFormation (a body's size decides body or S3 URL), and the
    // acceptance steps between the stacks, in dependency order.
    vpcform_deploy::stack_templates(assembly).map_err(|e| e.to_string())
}
