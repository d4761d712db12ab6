//! StackSets: create or update the set, reconcile its instances with the targets, follow each
//! operation with progress per account and region, and destroy instances then the set.
//!
//! **Invariant:** one operation at a time per stack set (CloudFormation refuses a second:
//! `OperationInProgressException`); every operation is followed to a final status or, on an
//! interrupt, stopped (`StopStackSetOperation`: instances under way finish, no new one starts)
//! and reported with its ID. Rules cite the StackSets API reference
//! (docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use aws_sdk_cloudformation::types::{
    AccountFilterType, AutoDeployment, CallAs, Capability, ConcurrencyMode, DeploymentTargets,
    Parameter, PermissionModels, RegionConcurrencyType, StackInstanceStatus,
    StackSetOperationPreferences, StackSetOperationResultStatus, StackSetOperationStatus,
};

use crate::calls::aws;
use crate::change_set::change_set_name;
use crate::diff::diff_templates;
use crate::{
    DeployError, Deployer, MAX_TEMPLATE_BODY_BYTES, PlannedChange, ResourceChange, StackOutcome,
    StackTemplate,
};

/// A number of accounts or a percentage of a region's.
///
/// ```
/// let amount = vpcform_deploy::Amount::Count(2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    /// Accounts.
    Count(u32),
    /// Percent of a region's accounts.
    Percentage(u8),
}

/// `StackSetOperationPreferences`.
///
/// ```
/// let p = vpcform_deploy::OperationPreferences { parallel_regions: true, ..Default::default() };
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OperationPreferences {
    /// `MaxConcurrentCount`/`Percentage`; `None`: AWS's 1.
    pub max_concurrent: Option<Amount>,
    /// `FailureToleranceCount`/`Percentage` per region; `None`: AWS's 0.
    pub failure_tolerance: Option<Amount>,
    /// `ConcurrencyMode` `SOFT_FAILURE_TOLERANCE`.
    pub soft_failure_tolerance: bool,
    /// `RegionConcurrencyType` `PARALLEL`.
    pub parallel_regions: bool,
    /// `RegionOrder`.
    pub region_order: Vec<String>,
}

/// Who deploys a stack set's instances.
///
/// ```
/// let p = vpcform_deploy::PermissionModel::SelfManaged { administration_role_arn: None, execution_role_name: None };
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermissionModel {
    /// `SELF_MANAGED`, with the roles (AWS's default names when `None`).
    SelfManaged {
        /// `AdministrationRoleARN`.
        administration_role_arn: Option<String>,
        /// `ExecutionRoleName`.
        execution_role_name: Option<String>,
    },
    /// `SERVICE_MANAGED` through AWS Organizations.
    ServiceManaged {
        /// `AutoDeployment.Enabled`.
        auto_deploy: bool,
        /// `AutoDeployment.RetainStacksOnAccountRemoval`.
        retain_stacks_on_account_removal: bool,
        /// `CallAs` `DELEGATED_ADMIN`.
        delegated_admin: bool,
    },
}

/// Where a stack set's instances go, and parameter values for some of them.
///
/// ```
/// let spec = vpcform_deploy::StackSetSpec {
///     accounts: vec!["111122223333".into()],
///     regions: vec!["us-east-1".into()],
///     ..Default::default()
/// };
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackSetSpec {
    /// Target accounts (self-managed).
    pub accounts: Vec<String>,
    /// Target organizational units (service-managed).
    pub organizational_units: Vec<String>,
    /// Accounts left out of the units.
    pub excluded_accounts: Vec<String>,
    /// Regions, in every target.
    pub regions: Vec<String>,
    /// How operations roll out.
    pub preferences: OperationPreferences,
    /// Who deploys.
    pub permission_model: PermissionModel,
    /// Values for some targets (`ParameterOverrides`).
    pub overrides: Vec<StackSetOverride>,
}

impl Default for StackSetSpec {
    fn default() -> Self {
        StackSetSpec {
            accounts: Vec::new(),
            organizational_units: Vec::new(),
            excluded_accounts: Vec::new(),
            regions: Vec::new(),
            preferences: OperationPreferences::default(),
            permission_model: PermissionModel::SelfManaged {
                administration_role_arn: None,
                execution_role_name: None,
            },
            overrides: Vec::new(),
        }
    }
}

/// Parameter values for some targets in some regions.
///
/// ```
/// let o = vpcform_deploy::StackSetOverride {
///     accounts: vec!["111122223333".into()],
///     organizational_units: vec![],
///     regions: vec!["eu-west-1".into()],
///     parameters: vec![("Vpc".into(), "vpc-0123456789abcdef0".into())],
/// };
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackSetOverride {
    /// Accounts.
    pub accounts: Vec<String>,
    /// Organizational units.
    pub organizational_units: Vec<String>,
    /// Regions.
    pub regions: Vec<String>,
    /// `(parameter, value)`.
    pub parameters: Vec<(String, String)>,
}

/// An instance an operation could not deploy, and AWS's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceFailure {
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// `FAILED` or `CANCELLED`.
    pub status: String,
    /// AWS's `StatusReason`.
    pub reason: String,
}

impl fmt::Display for InstanceFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: {}",
            self.account, self.region, self.status, self.reason
        )
    }
}

/// A stack instance, as ListStackInstances tells it.
#[derive(Clone, Debug)]
struct Instance {
    account: String,
    region: String,
    /// Its organizational unit (service-managed).
    unit: Option<String>,
    /// `Status` `CURRENT`: up to date with the set. `OUTDATED` (an operation failed, was stopped,
    /// or did not reach it) or `INOPERABLE` need another operation (StackInstanceSummary).
    current: bool,
}

/// A deployed stack set, as DescribeStackSet and ListStackInstances tell it.
struct Deployed {
    template: serde_json::Value,
    parameters: Vec<(String, String)>,
    administration_role_arn: Option<String>,
    execution_role_name: Option<String>,
    /// `AutoDeployment` `(Enabled, RetainStacksOnAccountRemoval)`.
    auto_deployment: Option<(bool, bool)>,
    instances: Vec<Instance>,
}

/// What a target is: an account, or an organizational unit.
fn service_managed(spec: &StackSetSpec) -> bool {
    matches!(
        spec.permission_model,
        PermissionModel::ServiceManaged { .. }
    )
}

fn call_as(spec: &StackSetSpec) -> CallAs {
    match spec.permission_model {
        PermissionModel::ServiceManaged {
            delegated_admin: true,
            ..
        } => CallAs::DelegatedAdmin,
        _ => CallAs::SelfValue,
    }
}

/// The target an instance counts for: its account, or its unit (service-managed).
fn target_of<'i>(spec: &StackSetSpec, instance: &'i Instance) -> &'i str {
    if service_managed(spec) {
        instance.unit.as_deref().unwrap_or_default()
    } else {
        &instance.account
    }
}

/// The `(target, region)` pairs the spec asks for.
fn desired(spec: &StackSetSpec) -> BTreeSet<(String, String)> {
    let targets = if service_managed(spec) {
        &spec.organizational_units
    } else {
        &spec.accounts
    };
    targets
        .iter()
        .flat_map(|t| spec.regions.iter().map(move |r| (t.clone(), r.clone())))
        .collect()
}

/// Whether an instance stays: its target and region are asked for, and (service-managed) its
/// account is not excluded.
fn kept(spec: &StackSetSpec, want: &BTreeSet<(String, String)>, instance: &Instance) -> bool {
    want.contains(&(
        target_of(spec, instance).to_string(),
        instance.region.clone(),
    )) && !(service_managed(spec) && spec.excluded_accounts.contains(&instance.account))
}

/// The `ParameterOverrides` the program gives a target in a region: every override that
/// names both, merged in order (a later one wins), sorted by parameter. CloudFormation resets
/// a parameter left out of the list to the set's value (UpdateStackInstances), so this is the
/// whole list an instance must have.
fn wanted_overrides(spec: &StackSetSpec, target: &str, region: &str) -> Vec<(String, String)> {
    let mut merged: BTreeMap<String, String> = BTreeMap::new();
    for o in &spec.overrides {
        let targets = if service_managed(spec) {
            &o.organizational_units
        } else {
            &o.accounts
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
fn calls(pairs: &BTreeSet<(String, String)>) -> Vec<(Vec<String>, Vec<String>)> {
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
struct Call {
    unit: Option<String>,
    targets: Vec<String>,
    regions: Vec<String>,
    overrides: Vec<(String, String)>,
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
fn group(
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
fn preferences(spec: &StackSetSpec, regions: Option<&[String]>) -> StackSetOperationPreferences {
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
enum Targets {
    Accounts(Vec<String>),
    Units(DeploymentTargets),
}

fn targets(spec: &StackSetSpec, call: &Call) -> Targets {
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
        None if spec.excluded_accounts.is_empty() => b
            .set_organizational_unit_ids(Some(call.targets.clone()))
            .build(),
        None => b
            .set_organizational_unit_ids(Some(call.targets.clone()))
            .set_accounts(Some(spec.excluded_accounts.clone()))
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

/// `(key, value)` pairs of SDK parameters.
fn pairs_of(parameters: &[Parameter]) -> Vec<(String, String)> {
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

fn sdk_parameters(pairs: &[(String, String)]) -> Vec<Parameter> {
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

fn capabilities(stack: &StackTemplate) -> Vec<Capability> {
    stack
        .capabilities
        .iter()
        .map(|c| Capability::from(c.as_str()))
        .collect()
}

/// The changes a template diff stands for, for the approval gate.
fn planned(diff: &crate::StackDiff) -> Vec<PlannedChange> {
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
enum Scope<'a> {
    /// Targets (accounts or units) in regions.
    Instances(&'a [String], &'a [String]),
    /// The whole set (UpdateStackSet).
    Set,
}

/// What a deploy would do to a deployed (or new) stack set.
struct Plan {
    diff: crate::StackDiff,
    /// The set's template, parameters or permission settings differ.
    set_changed: bool,
    /// `(target, region)` pairs without an instance.
    missing: BTreeSet<(String, String)>,
    /// Instances whose target is no longer asked for.
    extra: Vec<Instance>,
    /// Instances kept that need an operation: not current, or (`true`) other overrides than
    /// wanted.
    stale: Vec<(Instance, bool)>,
}

impl Deployer {
    /// What deploying `stack` would do.
    async fn plan(
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
    async fn instance_overrides(
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

    /// Deploys a stack set: creates or updates it, creates the instances its targets lack with
    /// their overrides, brings stale instances up to date (not current, or other overrides),
    /// deletes the instances of targets no longer listed (after approval), following each
    /// operation.
    pub(crate) async fn deploy_stack_set(
        &self,
        stack: &StackTemplate,
        spec: &StackSetSpec,
    ) -> Result<StackOutcome, DeployError> {
        let name = stack.name.as_str();
        if stack.body.len() > crate::MAX_TEMPLATE_URL_BYTES {
            return Err(DeployError::TemplateTooLarge {
                stack: name.to_string(),
                bytes: stack.body.len(),
            });
        }
        let local: serde_json::Value =
            serde_json::from_str(&stack.body).map_err(|e| DeployError::TemplateNotJson {
                stack: name.to_string(),
                reason: format!("local template: {e}"),
            })?;
        let before = |e| match e {
            DeployError::Cancelled { .. } => DeployError::InterruptedBeforeExecution {
                stack: name.to_string(),
            },
            other => other,
        };
        let deployed = self.describe_stack_set(name, spec).await.map_err(before)?;
        let parameters = stack.change_set_parameters(true)?;
        let values = pairs_of(&parameters);
        let plan = self
            .plan(stack, spec, &local, deployed.as_ref(), &values)
            .await
            .map_err(before)?;
        if !plan.set_changed
            && plan.missing.is_empty()
            && plan.extra.is_empty()
            && plan.stale.is_empty()
        {
            self.ui.line(name, "no changes");
            return Ok(StackOutcome::NoChanges);
        }
        let mut changes = if plan.set_changed {
            planned(&plan.diff)
        } else {
            Vec::new()
        };
        for i in &plan.extra {
            changes.push(PlannedChange {
                action: "Remove".into(),
                logical_id: format!("instance {} {}", i.account, i.region),
                resource_type: "AWS::CloudFormation::StackInstance".into(),
                replacement: None,
                recreated_by: Vec::new(),
            });
        }
        if plan.set_changed && !plan.diff.security.is_empty() {
            for line in crate::security_table(&plan.diff.security).lines() {
                self.ui.line(name, line);
            }
        }
        if self.options.no_execute {
            for change in &changes {
                self.ui.line(
                    name,
                    &format!(
                        "  {} {} {}",
                        change.action, change.logical_id, change.resource_type
                    ),
                );
            }
            for (target, region) in &plan.missing {
                self.ui
                    .line(name, &format!("  Add instance {target} {region}"));
            }
            for (i, _) in &plan.stale {
                self.ui.line(
                    name,
                    &format!("  Update instance {} {}", i.account, i.region),
                );
            }
            return Ok(StackOutcome::NotExecuted);
        }
        self.approve(name, &changes, &plan.diff.security)
            .await
            .map_err(before)?;
        let mut failed: Vec<InstanceFailure> = Vec::new();
        let mut updated_all = false;
        match &deployed {
            None => self.create_stack_set(stack, spec, parameters).await?,
            Some(d) if plan.set_changed => {
                failed.extend(self.update_stack_set(stack, spec, parameters, d).await?);
                updated_all = true;
            }
            Some(_) => {}
        }
        let creates = group(plan.missing.iter().map(|(target, region)| {
            (
                None,
                target.clone(),
                region.clone(),
                wanted_overrides(spec, target, region),
            )
        }));
        for call in creates {
            failed.extend(self.create_instances(name, spec, &call).await?);
        }
        // UpdateStackSet just brought every instance up to date, keeping its overrides: only
        // other overrides are left to apply.
        let stale = plan
            .stale
            .iter()
            .filter(|(_, differs)| !updated_all || *differs)
            .map(|(i, _)| i);
        let updates = group(stale.map(|i| {
            let target = target_of(spec, i).to_string();
            (
                service_managed(spec).then(|| target.clone()),
                i.account.clone(),
                i.region.clone(),
                wanted_overrides(spec, &target, &i.region),
            )
        }));
        for call in updates {
            failed.extend(self.update_instances(name, spec, &call).await?);
        }
        if !plan.extra.is_empty() {
            self.delete_instances(name, spec, &plan.extra).await?;
        }
        let instances = self
            .describe_stack_set(name, spec)
            .await?
            .map(|d| d.instances.len())
            .unwrap_or_default();
        Ok(StackOutcome::StackSetDeployed { instances, failed })
    }

    /// Starts an operation with the ID `id` and follows it. An interrupt while the request is
    /// under way may come after AWS started the operation: it is stopped by that ID.
    #[allow(clippy::too_many_arguments)]
    async fn operation<T, E, R>(
        &self,
        name: &str,
        spec: &StackSetSpec,
        operation: &'static str,
        action: &'static str,
        id: String,
        call: impl std::future::Future<
            Output = Result<T, aws_sdk_cloudformation::error::SdkError<E, R>>,
        >,
        operation_id: impl Fn(&T) -> Option<&str>,
        scope: Scope<'_>,
    ) -> Result<Vec<InstanceFailure>, DeployError>
    where
        E: aws_sdk_cloudformation::error::ProvideErrorMetadata
            + std::error::Error
            + Send
            + Sync
            + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
        aws_sdk_cloudformation::error::SdkError<E, R>: aws_sdk_cloudformation::operation::RequestId,
    {
        let output = match self.interruptible(name, operation, call).await {
            Err(_) => return Err(self.stop_operation(name, spec, &id).await),
            Ok(result) => result.map_err(|e| aws(name, operation, e))?,
        };
        // The ID AWS answers with names the operation (emulators make their own).
        let id = operation_id(&output).map_or(id, str::to_string);
        self.follow_operation(name, spec, &id, action, scope).await
    }

    async fn update_stack_set(
        &self,
        stack: &StackTemplate,
        spec: &StackSetSpec,
        parameters: Vec<Parameter>,
        deployed: &Deployed,
    ) -> Result<Vec<InstanceFailure>, DeployError> {
        let name = stack.name.as_str();
        self.ui.line(
            name,
            &format!(
                "updating the stack set's template, parameters and settings in {} instances",
                deployed.instances.len()
            ),
        );
        let id = change_set_name();
        let mut request = self
            .client
            .update_stack_set()
            .stack_set_name(name)
            .set_parameters(Some(parameters))
            .set_capabilities(Some(capabilities(stack)))
            .operation_preferences(preferences(spec, None))
            .operation_id(&id)
            .call_as(call_as(spec));
        // A custom administration role must be given on every update (UpdateStackSet).
        request = match &spec.permission_model {
            PermissionModel::SelfManaged {
                administration_role_arn,
                execution_role_name,
            } => request
                .set_administration_role_arn(administration_role_arn.clone())
                .set_execution_role_name(execution_role_name.clone()),
            PermissionModel::ServiceManaged {
                auto_deploy,
                retain_stacks_on_account_removal,
                ..
            } => request.auto_deployment(auto_deployment(
                *auto_deploy,
                *retain_stacks_on_account_removal,
            )),
        };
        request = if stack.body.len() > MAX_TEMPLATE_BODY_BYTES {
            request.template_url(self.upload_template(stack).await?)
        } else {
            request.template_body(&stack.body)
        };
        self.operation(
            name,
            spec,
            "UpdateStackSet",
            "update",
            id,
            request.send(),
            |o| o.operation_id(),
            Scope::Set,
        )
        .await
    }

    async fn create_instances(
        &self,
        name: &str,
        spec: &StackSetSpec,
        call: &Call,
    ) -> Result<Vec<InstanceFailure>, DeployError> {
        self.ui.line(name, &format!("creating instances: {call}"));
        let id = change_set_name();
        let mut request = self
            .client
            .create_stack_instances()
            .stack_set_name(name)
            .set_regions(Some(call.regions.clone()))
            .operation_preferences(preferences(spec, Some(&call.regions)))
            .operation_id(&id)
            .call_as(call_as(spec));
        if !call.overrides.is_empty() {
            request = request.set_parameter_overrides(Some(sdk_parameters(&call.overrides)));
        }
        let request = with_targets!(request, targets(spec, call));
        self.operation(
            name,
            spec,
            "CreateStackInstances",
            "create instances",
            id,
            request.send(),
            |o| o.operation_id(),
            Scope::Instances(&call.targets, &call.regions),
        )
        .await
    }

    async fn update_instances(
        &self,
        name: &str,
        spec: &StackSetSpec,
        call: &Call,
    ) -> Result<Vec<InstanceFailure>, DeployError> {
        self.ui.line(name, &format!("updating instances: {call}"));
        let id = change_set_name();
        // The whole list: a parameter left out goes back to the set's value.
        let request = self
            .client
            .update_stack_instances()
            .stack_set_name(name)
            .set_regions(Some(call.regions.clone()))
            .set_parameter_overrides(Some(sdk_parameters(&call.overrides)))
            .operation_preferences(preferences(spec, Some(&call.regions)))
            .operation_id(&id)
            .call_as(call_as(spec));
        let request = with_targets!(request, targets(spec, call));
        self.operation(
            name,
            spec,
            "UpdateStackInstances",
            "update instances",
            id,
            request.send(),
            |o| o.operation_id(),
            Scope::Instances(&call.targets, &call.regions),
        )
        .await
    }

    async fn create_stack_set(
        &self,
        stack: &StackTemplate,
        spec: &StackSetSpec,
        parameters: Vec<Parameter>,
    ) -> Result<(), DeployError> {
        let name = stack.name.as_str();
        self.ui.line(name, "creating the stack set");
        let mut request = self
            .client
            .create_stack_set()
            .stack_set_name(name)
            .set_parameters(Some(parameters))
            .set_capabilities(Some(capabilities(stack)))
            .set_tags(Some(
                stack
                    .tags
                    .iter()
                    .map(|(k, v)| {
                        aws_sdk_cloudformation::types::Tag::builder()
                            .key(k)
                            .value(v)
                            .build()
                    })
                    .collect(),
            ))
            .call_as(call_as(spec));
        request = match &spec.permission_model {
            PermissionModel::SelfManaged {
                administration_role_arn,
                execution_role_name,
            } => request
                .permission_model(PermissionModels::SelfManaged)
                .set_administration_role_arn(administration_role_arn.clone())
                .set_execution_role_name(execution_role_name.clone()),
            PermissionModel::ServiceManaged {
                auto_deploy,
                retain_stacks_on_account_removal,
                ..
            } => request
                .permission_model(PermissionModels::ServiceManaged)
                .auto_deployment(auto_deployment(
                    *auto_deploy,
                    *retain_stacks_on_account_removal,
                )),
        };
        request = if stack.body.len() > MAX_TEMPLATE_BODY_BYTES {
            request.template_url(self.upload_template(stack).await?)
        } else {
            request.template_body(&stack.body)
        };
        match self
            .interruptible(name, "CreateStackSet", request.send())
            .await
        {
            // The request may have reached AWS: the set may exist, without instances.
            Err(_) => Err(DeployError::Interrupted {
                stack: name.to_string(),
                status: "being created (CreateStackSet was under way): it may exist without \
                         instances, which the next deploy adds"
                    .into(),
            }),
            Ok(result) => result
                .map(|_| ())
                .map_err(|e| aws(name, "CreateStackSet", e)),
        }
    }

    /// Deletes `instances` and their stacks (`RetainStacks` false).
    async fn delete_instances(
        &self,
        name: &str,
        spec: &StackSetSpec,
        instances: &[Instance],
    ) -> Result<(), DeployError> {
        let calls = group(instances.iter().map(|i| {
            (
                i.unit.clone().filter(|_| service_managed(spec)),
                i.account.clone(),
                i.region.clone(),
                Vec::new(),
            )
        }));
        for call in calls {
            self.ui.line(name, &format!("deleting instances: {call}"));
            let id = change_set_name();
            let request = self
                .client
                .delete_stack_instances()
                .stack_set_name(name)
                .set_regions(Some(call.regions.clone()))
                .retain_stacks(false)
                .operation_preferences(preferences(spec, Some(&call.regions)))
                .operation_id(&id)
                .call_as(call_as(spec));
            let request = with_targets!(request, targets(spec, &call));
            let failed = self
                .operation(
                    name,
                    spec,
                    "DeleteStackInstances",
                    "delete instances",
                    id.clone(),
                    request.send(),
                    |o| o.operation_id(),
                    Scope::Instances(&call.targets, &call.regions),
                )
                .await?;
            if !failed.is_empty() {
                return Err(DeployError::StackSetOperationFailed {
                    stack: name.to_string(),
                    operation_id: id,
                    action: "delete instances",
                    status: "SUCCEEDED, but these instances were not deleted and the stack set \
                             keeps them; fix the reason and run the command again"
                        .into(),
                    failed,
                });
            }
        }
        Ok(())
    }

    /// Destroys a stack set: its instances (and their stacks), then the set.
    pub(crate) async fn destroy_stack_set(
        &self,
        name: &str,
        spec: &StackSetSpec,
    ) -> Result<StackOutcome, DeployError> {
        let deployed = match self.describe_stack_set(name, spec).await {
            Ok(Some(deployed)) => deployed,
            Ok(None) => {
                self.ui.line(name, "not deployed");
                return Ok(StackOutcome::Destroyed);
            }
            Err(DeployError::Cancelled { .. }) => {
                return Err(DeployError::NotStarted {
                    stack: name.to_string(),
                });
            }
            Err(e) => return Err(e),
        };
        if !deployed.instances.is_empty() {
            self.delete_instances(name, spec, &deployed.instances)
                .await?;
        }
        self.ui.line(name, "deleting the stack set");
        self.interruptible(
            name,
            "DeleteStackSet",
            self.client
                .delete_stack_set()
                .stack_set_name(name)
                .call_as(call_as(spec))
                .send(),
        )
        .await?
        .map_err(|e| aws(name, "DeleteStackSet", e))?;
        Ok(StackOutcome::Destroyed)
    }

    /// The deployed stack set's template, parameters, settings and instances; `None` when it
    /// does not exist.
    async fn describe_stack_set(
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

    /// Follows an operation to its end, printing each instance's status as it changes; the
    /// instances that failed within the failure tolerance when it succeeds.
    ///
    /// # Errors
    /// [`DeployError::StackSetOperationFailed`] with every failed instance and AWS's reason;
    /// [`DeployError::StackSetInterrupted`] after asking CloudFormation to stop it.
    async fn follow_operation(
        &self,
        name: &str,
        spec: &StackSetSpec,
        id: &str,
        action: &'static str,
        scope: Scope<'_>,
    ) -> Result<Vec<InstanceFailure>, DeployError> {
        let started = std::time::Instant::now();
        let total = match scope {
            Scope::Instances(targets, regions) => {
                format!("{} target(s) × {} region(s)", targets.len(), regions.len())
            }
            Scope::Set => "every instance".to_string(),
        };
        self.ui
            .line(name, &format!("operation {id} ({action}): {total}"));
        let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
        loop {
            if self.is_interrupted() {
                return Err(self.stop_operation(name, spec, id).await);
            }
            let call = self
                .client
                .describe_stack_set_operation()
                .stack_set_name(name)
                .operation_id(id)
                .call_as(call_as(spec))
                .send();
            let described = match self
                .interruptible(name, "DescribeStackSetOperation", call)
                .await
            {
                Ok(result) => result.map_err(|e| aws(name, "DescribeStackSetOperation", e))?,
                Err(_) => return Err(self.stop_operation(name, spec, id).await),
            };
            let status = described
                .stack_set_operation()
                .and_then(|o| o.status())
                .cloned()
                .unwrap_or(StackSetOperationStatus::Running);
            let results = match self.operation_results(name, spec, id).await {
                Ok(results) => results,
                Err(DeployError::Cancelled { .. }) => {
                    return Err(self.stop_operation(name, spec, id).await);
                }
                Err(e) => return Err(e),
            };
            for failure in &results {
                let key = (failure.account.clone(), failure.region.clone());
                let line = if failure.reason.is_empty() {
                    failure.status.clone()
                } else {
                    format!("{}: {}", failure.status, failure.reason)
                };
                if seen.get(&key) != Some(&line) {
                    self.ui.line(
                        name,
                        &format!("  {} {}: {line}", failure.account, failure.region),
                    );
                    seen.insert(key, line);
                }
            }
            let failed: Vec<InstanceFailure> = results
                .into_iter()
                .filter(|r| r.status == "FAILED" || r.status == "CANCELLED")
                .collect();
            match status {
                StackSetOperationStatus::Succeeded => {
                    if !failed.is_empty() {
                        self.ui.line(
                            name,
                            &format!(
                                "operation {id} succeeded with {} instance(s) failed, within the \
                                 failure tolerance",
                                failed.len()
                            ),
                        );
                    }
                    return Ok(failed);
                }
                StackSetOperationStatus::Failed | StackSetOperationStatus::Stopped => {
                    return Err(DeployError::StackSetOperationFailed {
                        stack: name.to_string(),
                        operation_id: id.to_string(),
                        action,
                        status: format!(
                            "{}{}",
                            status.as_str(),
                            described
                                .stack_set_operation()
                                .and_then(|o| o.status_reason())
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default()
                        ),
                        failed,
                    });
                }
                _ => {}
            }
            if let Some(limit) = self.options.timeout
                && started.elapsed() > limit
            {
                return Err(DeployError::TimedOut {
                    stack: name.to_string(),
                    status: format!("operation {id} {}", status.as_str()),
                    after: limit,
                });
            }
            if self.pause().await {
                return Err(self.stop_operation(name, spec, id).await);
            }
        }
    }

    /// Every instance result of an operation so far.
    async fn operation_results(
        &self,
        name: &str,
        spec: &StackSetSpec,
        id: &str,
    ) -> Result<Vec<InstanceFailure>, DeployError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let call = self
                .client
                .list_stack_set_operation_results()
                .stack_set_name(name)
                .operation_id(id)
                .set_next_token(token.clone())
                .call_as(call_as(spec))
                .send();
            let page = self
                .interruptible(name, "ListStackSetOperationResults", call)
                .await?
                .map_err(|e| aws(name, "ListStackSetOperationResults", e))?;
            for r in page.summaries() {
                out.push(InstanceFailure {
                    account: r
                        .account()
                        .or(r.organizational_unit_id())
                        .unwrap_or_default()
                        .to_string(),
                    region: r.region().unwrap_or_default().to_string(),
                    status: r
                        .status()
                        .map(StackSetOperationResultStatus::as_str)
                        .unwrap_or("PENDING")
                        .to_string(),
                    reason: r.status_reason().unwrap_or_default().to_string(),
                });
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    /// After an interrupt: asks CloudFormation to stop the operation (bounded, as every
    /// cleanup) and says what that leaves.
    async fn stop_operation(&self, name: &str, spec: &StackSetSpec, id: &str) -> DeployError {
        let stop = self
            .client
            .stop_stack_set_operation()
            .stack_set_name(name)
            .operation_id(id)
            .call_as(call_as(spec))
            .send();
        let stopped = matches!(self.cleanup(stop).await, Some(Ok(_)));
        DeployError::StackSetInterrupted {
            stack: name.to_string(),
            operation_id: id.to_string(),
            stopping: stopped,
        }
    }

    /// For `diff`: the template difference, the parameters given that differ, and the
    /// instances a deploy would add, update or remove.
    pub(crate) async fn diff_stack_set(
        &self,
        stack: &StackTemplate,
        spec: &StackSetSpec,
    ) -> Result<crate::StackDiff, DeployError> {
        let local: serde_json::Value =
            serde_json::from_str(&stack.body).map_err(|e| DeployError::TemplateNotJson {
                stack: stack.name.clone(),
                reason: format!("local template: {e}"),
            })?;
        let deployed = self.describe_stack_set(&stack.name, spec).await?;
        let values = stack.parameters.clone();
        let plan = self
            .plan(stack, spec, &local, deployed.as_ref(), &values)
            .await?;
        let mut diff = plan.diff;
        if let Some(d) = &deployed {
            for (key, value) in &values {
                let before = d.parameters.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                if before != Some(value) {
                    diff.other.push(crate::PropertyChange {
                        path: format!("Parameters.{key}"),
                        before: before.map(|v| serde_json::Value::from(v.as_str())),
                        after: Some(serde_json::Value::from(value.as_str())),
                    });
                }
            }
        }
        let list = |items: Vec<String>| (!items.is_empty()).then(|| serde_json::Value::from(items));
        let added: Vec<String> = plan
            .missing
            .iter()
            .map(|(t, r)| format!("{t} {r}"))
            .collect();
        let removed: Vec<String> = plan
            .extra
            .iter()
            .map(|i| format!("{} {}", i.account, i.region))
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            diff.other.push(crate::PropertyChange {
                path: "StackInstances".into(),
                before: list(removed),
                after: list(added),
            });
        }
        if !plan.stale.is_empty() {
            diff.other.push(crate::PropertyChange {
                path: "StackInstances (outdated, or other overrides)".into(),
                before: list(
                    plan.stale
                        .iter()
                        .map(|(i, _)| format!("{} {}", i.account, i.region))
                        .collect(),
                ),
                after: Some(serde_json::Value::from("updated by the next deploy")),
            });
        }
        Ok(diff)
    }
}

/// `AutoDeployment`; `RetainStacksOnAccountRemoval` only when enabled (AutoDeployment).
fn auto_deployment(enabled: bool, retain: bool) -> AutoDeployment {
    let auto = AutoDeployment::builder().enabled(enabled);
    if enabled {
        auto.retain_stacks_on_account_removal(retain).build()
    } else {
        auto.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            organizational_units: vec!["ou-ab12-11111111".into()],
            excluded_accounts: excluded.iter().map(|a| a.to_string()).collect(),
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
            accounts: vec!["111111111111".into(), "222222222222".into()],
            regions: vec!["us-east-1".into(), "eu-west-1".into()],
            overrides: vec![
                StackSetOverride {
                    accounts: vec!["111111111111".into()],
                    organizational_units: vec![],
                    regions: vec!["us-east-1".into(), "eu-west-1".into()],
                    parameters: vec![("Vpc".into(), "vpc-1".into()), ("Sub".into(), "s-1".into())],
                },
                StackSetOverride {
                    accounts: vec!["111111111111".into()],
                    organizational_units: vec![],
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
