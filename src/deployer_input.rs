//! The assembly as the deployer takes it: one `StackTemplate` per stack, built by the deploy
//! crate from the manifest (one schema, `vpcform-assembly`), and the `--parameters` values.

use crate::Assembly;

/// Adds `STACK:NAME=VALUE` parameter values to the stacks they name.
///
/// # Errors
/// A value not of that form, or naming a stack the app does not have.
///
/// ```
/// # #[cfg(feature = "deploy")] {
/// let mut stacks = vec![vpcform_deploy::StackTemplate::new("Net", "{}")];
/// vpcform::apply_parameters(&mut stacks, &["Net:LandingVpc=vpc-0a1b2c3d".to_string()])?;
/// assert_eq!(stacks[0].parameters, [("LandingVpc".to_string(), "vpc-0a1b2c3d".to_string())]);
/// assert!(vpcform::apply_parameters(&mut stacks, &["Other:X=1".to_string()]).is_err());
/// # }
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

/// The deployer's stacks of a synthesized assembly: each stack's manifest entry
/// ([`StackTemplate::from_assembly`](vpcform_deploy::StackTemplate::from_assembly)) with its
/// template as sent (compact JSON), and the manifest's acceptance steps
/// ([`StackTemplate::from_step`](vpcform_deploy::StackTemplate::from_step)), in deployment
/// order.
///
/// # Errors
/// A template that cannot be rendered as JSON.
///
/// ```
/// use vpcform::prelude::*;
/// vpcform::topology! { stack Network { vpc Main } }
/// let mut stack = Stack::<Network>::new("Network").region("eu-west-1");
/// stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let mut app = App::new("demo");
/// app.add_stack(stack);
/// let stacks = vpcform::stack_templates(&app.synth()?)?;
/// assert_eq!(stacks[0].environment.region.as_deref(), Some("eu-west-1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn stack_templates(
    assembly: &Assembly,
) -> Result<Vec<vpcform_deploy::StackTemplate>, vpcform_cfn::TemplateError> {
    let manifest = assembly.manifest();
    let stacks = assembly
        .stacks()
        .iter()
        .zip(&manifest.stacks)
        .map(|(stack, entry)| {
            let body = stack.template().to_json_compact()?;
            Ok(vpcform_deploy::StackTemplate::from_assembly(
                &manifest, entry, body,
            ))
        })
        .collect::<Result<Vec<_>, vpcform_cfn::TemplateError>>()?;
    // The acceptance steps run between the stacks, in dependency order.
    Ok(vpcform_deploy::with_steps(&manifest, stacks))
}

#[cfg(test)]
mod tests {
    /// One schema: what synthesis writes is what the deployer takes, the same types (a second
    /// description of any of them would not compile here).
    #[test]
    fn the_network_and_the_deployer_share_the_assembly_types() {
        let environment: vpcform_deploy::Environment = crate::deployment::Environment::default();
        let import: vpcform_deploy::ParameterImport = crate::deployment::ParameterImport {
            parameter: "ImportProviderVpcId".into(),
            stack: "Provider".into(),
            output: "VpcId".into(),
        };
        let spec: vpcform_deploy::StackSetSpec = crate::deployment::StackSetSpec {
            targets: crate::deployment::StackSetTargets::accounts(["111122223333"]),
            preferences: crate::deployment::OperationPreferences::default()
                .max_concurrent(crate::deployment::Amount::Count(2)),
            permission_model: crate::deployment::PermissionModel::self_managed(),
            overrides: vec![crate::deployment::StackSetOverride {
                targets: crate::deployment::StackSetTargets::accounts(["111122223333"]),
                regions: vec!["us-east-1".into()],
                parameters: Vec::new(),
            }],
            ..crate::deployment::StackSetSpec::default()
        };
        let amount: vpcform_deploy::Amount = crate::deployment::Amount::Percentage(25);
        let mut stack = vpcform_deploy::StackTemplate::new("Consumer", "{}");
        stack.parameter_imports.push((import, environment));
        stack.stack_set = Some(spec);
        assert_eq!(
            stack.stack_set.map(|s| s.preferences.max_concurrent),
            Some(Some(vpcform_deploy::Amount::Count(2)))
        );
        assert_ne!(amount, vpcform_deploy::Amount::Count(25));
    }
}
