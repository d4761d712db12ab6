//! The `--parameters` values added to the deployer's stacks (which
//! `vpcform_deploy::stack_templates` builds from the assembly).

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
