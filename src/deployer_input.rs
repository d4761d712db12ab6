//! The assembly as the deployer takes it: one `StackTemplate` per stack, with its environment,
//! parameter imports and stack set, and the `--parameters` values.

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

/// Converts an assembly into what the deployer takes: the deployer knows nothing of builders.
pub fn stack_templates(
    assembly: &Assembly,
) -> Result<Vec<vpcform_deploy::StackTemplate>, vpcform_cfn::TemplateError> {
    assembly
        .stacks()
        .iter()
        .map(|stack| {
            Ok(vpcform_deploy::StackTemplate {
                name: stack.name().to_string(),
                body: stack.template().to_json_compact()?,
                depends_on: stack.depends_on().to_vec(),
                tags: stack.tags().to_vec(),
                termination_protection: stack.termination_protection(),
                capabilities: stack.capabilities().to_vec(),
                parameters: stack
                    .stack_set()
                    .map(|set| set.parameters.clone())
                    .unwrap_or_default(),
                environment: environment(stack.environment()),
                stack_set: stack.stack_set().map(stack_set),
                parameter_imports: stack
                    .parameter_imports()
                    .iter()
                    .map(|import| vpcform_deploy::ParameterImport {
                        parameter: import.parameter.clone(),
                        stack: import.stack.clone(),
                        output: import.output.clone(),
                        environment: assembly
                            .stack(&import.stack)
                            .map(|producer| environment(producer.environment()))
                            .unwrap_or_default(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// A stack set's settings as the deployer takes them.
fn stack_set(spec: &vpcform_net::deployment::StackSetSpec) -> vpcform_deploy::StackSetSpec {
    use vpcform_deploy as d;
    use vpcform_net as n;
    let amount = |a: n::deployment::Amount| match a {
        n::deployment::Amount::Count(c) => d::Amount::Count(c),
        n::deployment::Amount::Percentage(p) => d::Amount::Percentage(p),
    };
    let p = &spec.preferences;
    d::StackSetSpec {
        accounts: spec.targets.account_ids().to_vec(),
        organizational_units: spec.targets.unit_ids().to_vec(),
        excluded_accounts: spec.targets.excluded_account_ids().to_vec(),
        regions: spec.regions.clone(),
        preferences: d::OperationPreferences {
            max_concurrent: p.max_concurrent.map(amount),
            failure_tolerance: p.failure_tolerance.map(amount),
            soft_failure_tolerance: p.soft_failure_tolerance,
            parallel_regions: p.parallel_regions,
            region_order: p.region_order.clone(),
        },
        permission_model: match &spec.permission_model {
            n::deployment::PermissionModel::SelfManaged {
                administration_role_arn,
                execution_role_name,
            } => d::PermissionModel::SelfManaged {
                administration_role_arn: administration_role_arn.clone(),
                execution_role_name: execution_role_name.clone(),
            },
            n::deployment::PermissionModel::ServiceManaged {
                auto_deploy,
                retain_stacks_on_account_removal,
                delegated_admin,
            } => d::PermissionModel::ServiceManaged {
                auto_deploy: *auto_deploy,
                retain_stacks_on_account_removal: *retain_stacks_on_account_removal,
                delegated_admin: *delegated_admin,
            },
        },
        overrides: spec
            .overrides
            .iter()
            .map(|o| d::StackSetOverride {
                accounts: o.targets.account_ids().to_vec(),
                organizational_units: o.targets.unit_ids().to_vec(),
                regions: o.regions.clone(),
                parameters: o.parameters.clone(),
            })
            .collect(),
    }
}

/// A stack's environment as the deployer takes it.
fn environment(env: &vpcform_net::deployment::Environment) -> vpcform_deploy::Environment {
    vpcform_deploy::Environment {
        account: env.account.clone(),
        region: env.region.clone(),
        profile: env.profile.clone(),
        role_arn: env.role_arn.clone(),
    }
}
