//! What is deployed (DescribeStackSet, ListStackInstances, DescribeStackInstance) and what a
//! deploy would change: instances missing, extra or stale, and how instances group into calls.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use aws_sdk_cloudformation::types::{
    AccountFilterType, CallAs, Capability, ConcurrencyMode, DeploymentTargets, Parameter,
    RegionConcurrencyType, StackInstanceStatus, StackSetOperationPreferences,
};

use crate::calls::aws;
use crate::diff::diff_templates;
use crate::{DeployError, Deployer, PlannedChange, ResourceChange, StackTemplate};

use super::spec::*;

/// A stack instance, as ListStackInstances tells it.
#[derive(Clone, Debug)]
pub(super) struct Instance {
    pub(super) account: String,
    pub(super) region: String,
    /// Its organizational unit (service-managed).
    pub(super) unit: Option<String>,
    /// `Status` `CURRENT`: up to date with the set. `OUTDATED` (an operation failed, was stopped,
    /// or did not reach it) or `INOPERABLE` need another operation (StackInstanceSummary).
    pub(super) current: bool,
}

/// A deployed stack set, as DescribeStackSet and ListStackInstances tell it.
pub(super) struct Deployed {
    pub(super) template: serde_json::Value,
    pub(super) parameters: Vec<(String, String)>,
    pub(super) administration_role_arn: Option<String>,
    pub(super) execution_role_name: Option<String>,
    /// `AutoDeployment` `(Enabled, RetainStacksOnAccountRemoval)`.
    pub(super) auto_deployment: Option<(bool, bool)>,
    pub(super) instances: Vec<Instance>,
}

/// What a target is: an account, or an organizational unit.
pub(super) fn service_managed(spec: &StackSetSpec) -> bool {
    matches!(
        spec.permission_model,
        PermissionModel::ServiceManaged { .. }
    )
}

pub(super) fn call_as(spec: &StackSetSpec) -> CallAs {
    match spec.permission_model {
        PermissionModel::ServiceManaged {
            delegated_admin: true,
            ..
        } => CallAs::DelegatedAdmin,
        _ => CallAs::SelfValue,
    }
}

/// The target an instance counts for: its account, or its unit (service-managed).
pub(super) fn target_of<'i>(spec: &StackSetSpec, instance: &'i Instance) -> &'i str {
    if service_managed(spec) {
        instance.unit.as_deref().unwrap_or_default()
    } else {
        &instance.account
    }
}

/// The `(target, region)` pairs the spec asks for.
pub(super) fn desired(spec: &StackSetSpec) -> BTreeSet<(String, String)> {
    let targets = if service_managed(spec) {
        &spec.targets.organizational_units
    } else {
        &spec.targets.accounts
    };
    targets
        .iter()
        .flat_map(|t| spec.regions.iter().map(move |r| (t.clone(), r.clone())))
        .collect()
}

/// Whether an instance stays: its target and region are asked for, and (service-managed) its
/// account is not excluded.
pub(super) fn kept(
    spec: &StackSetSpec,
    want: &BTreeSet<(String, String)>,
    instance: &Instance,
) -> bool {
    want.contains(&(
        target_of(spec, instance).to_string(),
        instance.region.clone(),
    )) && !(service_managed(spec) && spec.targets.excluded_accounts.contains(&instance.account))
}

/// The `ParameterOverrides` the program gives a target in a region: every override that
/// names both, merged in order (a later one wins), sorted by parameter. CloudFormation resets
/// a parameter left out of the list to the set's value (UpdateStackInstances), so this is the
/// whole list an instance must have.
pub(super) fn wanted_overrides(
    spec: &StackSetSpec,
    target: &str,
    region: &str,
) -> Vec<(String, String)> {
    let mut merged: BTreeMap<String, String> = BTreeMap::new();
    for o in &spec.overrides {
        let targets = if service_managed(spec) {
            &o.targets.organizational_units
        } else {
            &o.targets.accounts
        };
        if targets.iter().any(|t| t == target) && o.regions.iter().any(|r| r == region) {
            for (key, value) in &o.parameters {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    merged.into_iter().collect()
}

/// Pairs grouped into calls: targets that share the same regions go together (a call deploys
/// to every target in every region given).
pub(super) fn calls(pairs: &BTreeSet<(String, String)>) -> Vec<(Vec<String>, Vec<String>)> {
    let mut by_target: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (target, region) in pairs {
        by_target.entry(target).or_default().push(region.clone());
    }
    let mut by_regions: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for (target, regions) in by_target {
        by_regions
            .entry(regions)
            .or_default()
            .push(target.to_string());
    }
    by_regions
        .into_iter()
        .map(|(regions, targets)| (targets, regions))
        .collect()
}

/// One instance call: its targets (accounts, or units when creating service-managed ones), the
/// unit the accounts are in (service-managed updates and deletions), its regions, and the
/// overrides every instance of it takes.
#[derive(Debug, PartialEq)]
pub(super) struct Call {
    pub(super) unit: Option<String>,
    pub(super) targets: Vec<String>,
    pub(super) regions: Vec<String>,
    pub(super) overrides: Vec<(String, String)>,
}

/// `111111111111, 222222222222 in eu-west-1, us-east-1, overriding Vpc=…`.
impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in {}",
            self.targets.join(", "),
            self.regions.join(", ")
        )?;
        if !self.overrides.is_empty() {
            let overrides: Vec<String> = self
                .overrides
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            write!(f, ", overriding {}", overrides.join(", "))?;
        }
        Ok(())
    }
}

/// Instances grouped into calls: by unit and by the overrides they take, then targets that
/// share regions.
pub(super) fn group(
    items: impl IntoIterator<Item = (Option<String>, String, String, Vec<(String, String)>)>,
) -> Vec<Call> {
    type Key = (Option<String>, Vec<(String, String)>);
    let mut groups: BTreeMap<Key, BTreeSet<(String, String)>> = BTreeMap::new();
    for (unit, target, region, overrides) in items {
        groups
            .entry((unit, overrides))
            .or_default()
            .insert((target, region));
    }
    groups
        .into_iter()
        .flat_map(|((unit, overrides), pairs)| {
            calls(&pairs)
                .into_iter()
                .map(move |(targets, regions)| Call {
                    unit: unit.clone(),
                    targets,
                    regions,
                    overrides: overrides.clone(),
                })
        })
        .collect()
}

/// The operation preferences as the SDK takes them, the region order cut to the call's
/// regions.
pub(super) fn preferences(
    spec: &StackSetSpec,
    regions: Option<&[String]>,
) -> StackSetOperationPreferences {
    let p = &spec.preferences;
    let mut b = StackSetOperationPreferences::builder();
    match p.max_concurrent {
        Some(Amount::Count(n)) => b = b.max_concurrent_count(n.min(i32::MAX as u32) as i32),
        Some(Amount::Percentage(n)) => b = b.max_concurrent_percentage(i32::from(n)),
        None => {}
    }
    match p.failure_tolerance {
        Some(Amount::Count(n)) => b = b.failure_tolerance_count(n.min(i32::MAX as u32) as i32),
        Some(Amount::Percentage(n)) => b = b.failure_tolerance_percentage(i32::from(n)),
        None => {}
    }
    if p.soft_failure_tolerance {
        b = b.concurrency_mode(ConcurrencyMode::SoftFailureTolerance);
    }
    if p.parallel_regions {
        b = b.region_concurrency_type(RegionConcurrencyType::Parallel);
    }
    let order: Vec<String> = p
        .region_order
        .iter()
        .filter(|r| regions.is_none_or(|call| call.contains(r)))
        .cloned()
        .collect();
    if !order.is_empty() {
        b = b.set_region_order(Some(order));
    }
    b.build()
}

/// What a call names: accounts (self-managed), or `DeploymentTargets` (service-managed): new
/// instances by unit less the excluded accounts (`DIFFERENCE`), existing ones by account within
/// their unit (`INTERSECTION`) (DeploymentTargets).
pub(super) enum Targets {
    Accounts(Vec<String>),
    Units(DeploymentTargets),
}

pub(super) fn targets(spec: &StackSetSpec, call: &Call) -> Targets {
    if !service_managed(spec) {
        return Targets::Accounts(call.targets.clone());
    }
    let b = DeploymentTargets::builder();
    Targets::Units(match &call.unit {
        Some(unit) => b
            .organizational_unit_ids(unit)
            .set_accounts(Some(call.targets.clone()))
            .account_filter_type(AccountFilterType::Intersection)
            .build(),
        None if spec.targets.excluded_accounts.is_empty() => b
            .set_organizational_unit_ids(Some(call.targets.clone()))
            .build(),
        None => b
            .set_organizational_unit_ids(Some(call.targets.clone()))
            .set_accounts(Some(spec.targets.excluded_accounts.clone()))
            .account_filter_type(AccountFilterType::Difference)
            .build(),
    })
}

/// Sets a call's targets on any of the three instance requests.
macro_rules! with_targets {
    ($request:expr, $targets:expr) => {
        match $targets {
            Targets::Accounts(accounts) => $request.set_accounts(Some(accounts)),
            Targets::Units(units) => $request.deployment_targets(units),
        }
    };
}
pub(super) use with_targets;

/// `(key, value)` pairs of SDK parameters.
pub(super) fn pairs_of(parameters: &[Parameter]) -> Vec<(String, String)> {
    parameters
        .iter()
        .map(|p| {
            (
                p.parameter_key().unwrap_or_default().to_string(),
                p.parameter_value().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

pub(super) fn sdk_parameters(pairs: &[(String, String)]) -> Vec<Parameter> {
    pairs
        .iter()
        .map(|(k, v)| {
            Parameter::builder()
                .parameter_key(k)
                .parameter_value(v)
                .build()
        })
        .collect()
}

pub(super) fn capabilities(stack: &StackTemplate) -> Vec<Capability> {
    stack
        .capabilities
        .iter()
        .map(|c| Capability::from(c.as_str()))
        .collect()
}

/// The changes a template diff stands for, for the approval gate.
pub(super) fn planned(diff: &crate::StackDiff) -> Vec<PlannedChange> {
    diff.resources
        .iter()
        .map(|r| PlannedChange {
            action: match r.change {
                ResourceChange::Added => "Add",
                ResourceChange::Removed => "Remove",
                ResourceChange::Changed(_) => "Modify",
            }
            .to_string(),
            logical_id: r.logical_id.clone(),
            resource_type: r.resource_type.clone(),
            replacement: None,
            recreated_by: Vec::new(),
        })
        .collect()
}

/// Which instances an operation touches.
pub(super) enum Scope<'a> {
    /// Targets (accounts or units) in regions.
    Instances(&'a [String], &'a [String]),
    /// The whole set (UpdateStackSet).
    Set,
}

/// What a deploy would do to a deployed (or new) stack set.
pub(super) struct Plan {
    pub(super) diff: crate::StackDiff,
    /// The set's template, parameters or permission settings differ.
    pub(super) set_changed: bool,
    /// `(target, region)` pairs without an instance.
    pub(super) missing: BTreeSet<(String, String)>,
    /// Instances whose target is no longer asked for.
    pub(super) extra: Vec<Instance>,
    /// Instances kept that need an operation: not current, or (`true`) other overrides than
    /// wanted.
    pub(super) stale: Vec<(Instance, bool)>,
}

impl Deployer {
    /// What deploying `stack` would do.
    pub(super) async fn plan(
        &self,
        stack: &StackTemplate,
        spec: &StackSetSpec,
        local: &serde_json::Value,
        deployed: Option<&Deployed>,
        values: &[(String, String)],
    ) -> Result<Plan, DeployError> {
        let name = stack.name.as_str();
        let diff = diff_templates(name, deployed.map(|d| &d.template), local);
        let set_changed = match deployed {
            None => true,
            Some(d) => {
                // Only the values given: CloudFormation also lists defaulted parameters.
                let parameters = values
                    .iter()
                    .any(|(k, v)| !d.parameters.iter().any(|(dk, dv)| dk == k && dv == v));
                let settings = match &spec.permission_model {
                    PermissionModel::SelfManaged {
                        administration_role_arn,
                        execution_role_name,
                    } => {
                        administration_role_arn
                            .as_ref()
                            .is_some_and(|a| d.administration_role_arn.as_ref() != Some(a))
                            || execution_role_name
                                .as_ref()
                                .is_some_and(|e| d.execution_role_name.as_ref() != Some(e))
                    }
                    PermissionModel::ServiceManaged {
                        auto_deploy,
                        retain_stacks_on_account_removal,
                        ..
                    } => {
                        d.auto_deployment
                            != Some((
                                *auto_deploy,
                                *auto_deploy && *retain_stacks_on_account_removal,
                            ))
                    }
                };
                !diff.resources.is_empty() || !diff.other.is_empty() || parameters || settings
            }
        };
        let want = desired(spec);
        let instances = deployed.map(|d| d.instances.as_slice()).unwrap_or_default();
        let present: BTreeSet<(String, String)> = instances
            .iter()
            .map(|i| (target_of(spec, i).to_string(), i.region.clone()))
            .collect();
        let missing = want.difference(&present).cloned().collect();
        let (kept_instances, extra): (Vec<Instance>, Vec<Instance>) = instances
            .iter()
            .cloned()
            .partition(|i| kept(spec, &want, i));
        let overrides = self.instance_overrides(name, spec, &kept_instances).await?;
        let stale = kept_instances
            .into_iter()
            .zip(overrides)
            .map(|(i, o)| {
                let differs = o != wanted_overrides(spec, target_of(spec, &i), &i.region);
                (i, differs)
            })
            .filter(|(i, differs)| !i.current || *differs)
            .collect();
        Ok(Plan {
            diff,
            set_changed,
            missing,
            extra,
            stale,
        })
    }

    /// Each instance's `ParameterOverrides` (DescribeStackInstance), sorted; ten at a time.
    pub(super) async fn instance_overrides(
        &self,
        name: &str,
        spec: &StackSetSpec,
        instances: &[Instance],
    ) -> Result<Vec<Vec<(String, String)>>, DeployError> {
        let mut out = Vec::with_capacity(instances.len());
        for chunk in instances.chunks(10) {
            let mut running = tokio::task::JoinSet::new();
            for (index, instance) in chunk.iter().enumerate() {
                let call = self
                    .client
                    .describe_stack_instance()
                    .stack_set_name(name)
                    .stack_instance_account(&instance.account)
                    .stack_instance_region(&instance.region)
                    .call_as(call_as(spec))
                    .send();
                running.spawn(async move { (index, call.await) });
            }
            let mut results = vec![Vec::new(); chunk.len()];
            while let Some(joined) = self
                .interruptible(name, "DescribeStackInstance", running.join_next())
                .await?
            {
                let (index, result) = joined.map_err(|e| DeployError::Aws {
                    stack: name.to_string(),
                    operation: "DescribeStackInstance",
                    code: "Panic".into(),
                    message: e.to_string(),
                    hint: Some("a bug in vpcform or the HTTP client: please report it".into()),
                    request_id: None,
                    source: None,
                })?;
                let output = result.map_err(|e| aws(name, "DescribeStackInstance", e))?;
                let mut overrides = output
                    .stack_instance()
                    .map(|i| pairs_of(i.parameter_overrides()))
                    .unwrap_or_default();
                overrides.sort();
                results[index] = overrides;
            }
            out.extend(results);
        }
        Ok(out)
    }

    /// The deployed stack set's template, parameters, settings and instances; `None` when it
    /// does not exist.
    pub(super) async fn describe_stack_set(
        &self,
        name: &str,
        spec: &StackSetSpec,
    ) -> Result<Option<Deployed>, DeployError> {
        let call = self
            .client
            .describe_stack_set()
            .stack_set_name(name)
            .call_as(call_as(spec))
            .send();
        let output = match self.interruptible(name, "DescribeStackSet", call).await? {
            Ok(output) => output,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_stack_set_not_found_exception()) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(aws(name, "DescribeStackSet", e)),
        };
        let Some(set) = output.stack_set() else {
            return Ok(None);
        };
        // A deleted set is still described (moto lists it; AWS keeps it a while as DELETED).
        if set
            .status()
            .is_some_and(|s| *s == aws_sdk_cloudformation::types::StackSetStatus::Deleted)
        {
            return Ok(None);
        }
        let template = serde_json::from_str(set.template_body().unwrap_or("{}")).map_err(|e| {
            DeployError::TemplateNotJson {
                stack: name.to_string(),
                reason: e.to_string(),
            }
        })?;
        let mut instances = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let call = self
                .client
                .list_stack_instances()
                .stack_set_name(name)
                .set_next_token(token.clone())
                .call_as(call_as(spec))
                .send();
            let page = self
                .interruptible(name, "ListStackInstances", call)
                .await?
                .map_err(|e| aws(name, "ListStackInstances", e))?;
            for instance in page.summaries() {
                if let (Some(account), Some(region)) = (instance.account(), instance.region()) {
                    instances.push(Instance {
                        account: account.to_string(),
                        region: region.to_string(),
                        unit: instance.organizational_unit_id().map(str::to_string),
                        current: instance.status() == Some(&StackInstanceStatus::Current),
                    });
                }
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        Ok(Some(Deployed {
            template,
            parameters: pairs_of(set.parameters()),
            administration_role_arn: set.administration_role_arn().map(str::to_string),
            execution_role_name: set.execution_role_name().map(str::to_string),
            auto_deployment: set.auto_deployment().map(|a| {
                (
                    a.enabled().unwrap_or(false),
                    a.retain_stacks_on_account_removal().unwrap_or(false),
                )
            }),
            instances,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vpcform_assembly::{OperationPreferences, StackSetOverride, StackSetTargets};

    fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn targets_sharing_regions_share_a_call() {
        let grouped = calls(&pairs(&[
            ("111111111111", "eu-west-1"),
            ("111111111111", "us-east-1"),
            ("222222222222", "eu-west-1"),
            ("222222222222", "us-east-1"),
            ("333333333333", "eu-west-1"),
        ]));
        assert_eq!(
            grouped,
            [
                (
                    vec!["333333333333".to_string()],
                    vec!["eu-west-1".to_string()]
                ),
                (
                    vec!["111111111111".to_string(), "222222222222".to_string()],
                    vec!["eu-west-1".to_string(), "us-east-1".to_string()]
                ),
            ]
        );
    }

    #[test]
    fn preferences_map_to_the_api() {
        let spec = StackSetSpec {
            preferences: OperationPreferences {
                max_concurrent: Some(Amount::Percentage(25)),
                failure_tolerance: Some(Amount::Count(2)),
                soft_failure_tolerance: true,
                parallel_regions: true,
                region_order: vec!["us-east-1".into(), "eu-west-1".into()],
            },
            ..StackSetSpec::default()
        };
        let p = preferences(&spec, None);
        assert_eq!(p.max_concurrent_percentage(), Some(25));
        assert_eq!(p.max_concurrent_count(), None);
        assert_eq!(p.failure_tolerance_count(), Some(2));
        assert_eq!(
            p.concurrency_mode(),
            Some(&ConcurrencyMode::SoftFailureTolerance)
        );
        assert_eq!(
            p.region_concurrency_type(),
            Some(&RegionConcurrencyType::Parallel)
        );
        assert_eq!(p.region_order(), ["us-east-1", "eu-west-1"]);
        // A call to some regions orders only those.
        let p = preferences(&spec, Some(&["eu-west-1".to_string()]));
        assert_eq!(p.region_order(), ["eu-west-1"]);
    }

    fn unit_spec(excluded: &[&str]) -> StackSetSpec {
        StackSetSpec {
            targets: StackSetTargets::organizational_units(["ou-ab12-11111111"])
                .except_accounts(excluded.iter().copied()),
            permission_model: PermissionModel::ServiceManaged {
                auto_deploy: true,
                retain_stacks_on_account_removal: false,
                delegated_admin: false,
            },
            ..StackSetSpec::default()
        }
    }

    /// New instances go to units less the excluded accounts (`DIFFERENCE`); existing ones are
    /// named by account within their unit (`INTERSECTION`).
    #[test]
    fn service_managed_calls_name_units_and_accounts() {
        let spec = unit_spec(&["111122223333"]);
        let create = Call {
            unit: None,
            targets: vec!["ou-ab12-11111111".into()],
            regions: vec!["us-east-1".into()],
            overrides: vec![],
        };
        let Targets::Units(t) = targets(&spec, &create) else {
            panic!("units")
        };
        assert_eq!(t.organizational_unit_ids(), ["ou-ab12-11111111"]);
        assert_eq!(t.accounts(), ["111122223333"]);
        assert_eq!(
            t.account_filter_type(),
            Some(&AccountFilterType::Difference)
        );
        let update = Call {
            unit: Some("ou-ab12-11111111".into()),
            targets: vec!["444455556666".into()],
            regions: vec!["us-east-1".into()],
            overrides: vec![],
        };
        let Targets::Units(t) = targets(&spec, &update) else {
            panic!("units")
        };
        assert_eq!(t.accounts(), ["444455556666"]);
        assert_eq!(
            t.account_filter_type(),
            Some(&AccountFilterType::Intersection)
        );
        let Targets::Units(t) = targets(&unit_spec(&[]), &create) else {
            panic!("units")
        };
        assert_eq!(t.account_filter_type(), None);
        let Targets::Accounts(a) = targets(&StackSetSpec::default(), &update) else {
            panic!("accounts")
        };
        assert_eq!(a, ["444455556666"]);
    }

    /// Overrides naming a target and a region merge in order; a later one wins.
    #[test]
    fn overrides_merge_per_target_and_region() {
        let spec = StackSetSpec {
            targets: StackSetTargets::accounts(["111111111111", "222222222222"]),
            regions: vec!["us-east-1".into(), "eu-west-1".into()],
            overrides: vec![
                StackSetOverride {
                    targets: StackSetTargets::accounts(["111111111111"]),
                    regions: vec!["us-east-1".into(), "eu-west-1".into()],
                    parameters: vec![("Vpc".into(), "vpc-1".into()), ("Sub".into(), "s-1".into())],
                },
                StackSetOverride {
                    targets: StackSetTargets::accounts(["111111111111"]),
                    regions: vec!["eu-west-1".into()],
                    parameters: vec![("Vpc".into(), "vpc-2".into())],
                },
            ],
            ..StackSetSpec::default()
        };
        let o = |t: &str, r: &str| wanted_overrides(&spec, t, r);
        assert_eq!(
            o("111111111111", "eu-west-1"),
            [
                ("Sub".to_string(), "s-1".to_string()),
                ("Vpc".to_string(), "vpc-2".to_string())
            ]
        );
        assert_eq!(o("111111111111", "us-east-1")[1].1, "vpc-1");
        assert!(o("222222222222", "us-east-1").is_empty());
        // Grouped: the two override sets and no override make three calls.
        let calls = group(desired(&spec).into_iter().map(|(t, r)| {
            let overrides = wanted_overrides(&spec, &t, &r);
            (None, t, r, overrides)
        }));
        assert_eq!(calls.len(), 3, "{calls:?}");
    }
}
