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
    Parameter, PermissionModels, RegionConcurrencyType, StackSetOperationPreferences,
    StackSetOperationResultStatus, StackSetOperationStatus,
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

/// A deployed stack set, as DescribeStackSet and ListStackInstances tell it.
struct Deployed {
    template: serde_json::Value,
    parameters: Vec<(String, String)>,
    /// `(target, region)`: the account (self-managed) or the unit (service-managed).
    instances: BTreeSet<(String, String)>,
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

/// The pairs the spec asks for.
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

/// The operation preferences as the SDK takes them.
fn preferences(spec: &StackSetSpec) -> StackSetOperationPreferences {
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
    if !p.region_order.is_empty() {
        b = b.set_region_order(Some(p.region_order.clone()));
    }
    b.build()
}

/// `DeploymentTargets` for units, less the excluded accounts (`DIFFERENCE`).
fn unit_targets(spec: &StackSetSpec, units: Vec<String>) -> DeploymentTargets {
    let mut b = DeploymentTargets::builder().set_organizational_unit_ids(Some(units));
    if !spec.excluded_accounts.is_empty() {
        b = b
            .set_accounts(Some(spec.excluded_accounts.clone()))
            .account_filter_type(AccountFilterType::Difference);
    }
    b.build()
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

impl Deployer {
    /// Deploys a stack set: creates or updates it, creates the instances its targets lack,
    /// applies overrides, deletes the instances of targets no longer listed (after approval),
    /// following each operation.
    pub(crate) async fn deploy_stack_set(
        &self,
        stack: &StackTemplate,
        spec: &StackSetSpec,
    ) -> Result<StackOutcome, DeployError> {
        let name = stack.name.as_str();
        let local: serde_json::Value =
            serde_json::from_str(&stack.body).map_err(|e| DeployError::TemplateNotJson {
                stack: name.to_string(),
                reason: format!("local template: {e}"),
            })?;
        let deployed = self.describe_stack_set(name, spec).await?;
        let parameters = stack.change_set_parameters(true)?;
        let values: Vec<(String, String)> = parameters
            .iter()
            .map(|p| {
                (
                    p.parameter_key().unwrap_or_default().to_string(),
                    p.parameter_value().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let diff = diff_templates(name, deployed.as_ref().map(|d| &d.template), &local);
        let template_changed = deployed.as_ref().is_none_or(|d| {
            !diff.resources.is_empty() || !diff.other.is_empty() || {
                let mut a = d.parameters.clone();
                let mut b = values.clone();
                a.sort();
                b.sort();
                a != b
            }
        });
        let existing = deployed
            .as_ref()
            .map(|d| d.instances.clone())
            .unwrap_or_default();
        let want = desired(spec);
        let missing: BTreeSet<(String, String)> = want.difference(&existing).cloned().collect();
        let extra: BTreeSet<(String, String)> = existing.difference(&want).cloned().collect();
        let mut stale_overrides = Vec::new();
        for o in &spec.overrides {
            if !self.override_current(name, spec, o, &missing).await? {
                stale_overrides.push(o);
            }
        }
        if !template_changed && missing.is_empty() && extra.is_empty() && stale_overrides.is_empty()
        {
            self.ui.line(name, "no changes");
            return Ok(StackOutcome::NoChanges);
        }
        let mut changes = if template_changed {
            planned(&diff)
        } else {
            Vec::new()
        };
        for (target, region) in &extra {
            changes.push(PlannedChange {
                action: "Remove".into(),
                logical_id: format!("instance {target} {region}"),
                resource_type: "AWS::CloudFormation::StackInstance".into(),
                replacement: None,
                recreated_by: Vec::new(),
            });
        }
        if template_changed && !diff.security.is_empty() {
            for line in crate::security_table(&diff.security).lines() {
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
            for (target, region) in &missing {
                self.ui
                    .line(name, &format!("  Add instance {target} {region}"));
            }
            return Ok(StackOutcome::NotExecuted);
        }
        self.approve(name, &changes, &diff.security)
            .await
            .map_err(|e| match e {
                DeployError::Cancelled { .. } => DeployError::InterruptedBeforeExecution {
                    stack: name.to_string(),
                },
                other => other,
            })?;
        let mut failed: Vec<InstanceFailure> = Vec::new();
        if deployed.is_none() {
            self.create_stack_set(stack, spec, parameters).await?;
        } else if template_changed {
            self.ui.line(
                name,
                &format!(
                    "updating the stack set's template and parameters in {} instances",
                    existing.len()
                ),
            );
            let request = self
                .client
                .update_stack_set()
                .stack_set_name(name)
                .set_parameters(Some(parameters))
                .set_capabilities(Some(
                    stack
                        .capabilities
                        .iter()
                        .map(|c| Capability::from(c.as_str()))
                        .collect(),
                ))
                .operation_preferences(preferences(spec))
                .call_as(call_as(spec));
            let request = if stack.body.len() > MAX_TEMPLATE_BODY_BYTES {
                request.template_url(self.upload_template(stack).await?)
            } else {
                request.template_body(&stack.body)
            };
            let id = change_set_name();
            // The ID AWS answers with names the operation (emulators make their own).
            let id = self
                .interruptible(name, "UpdateStackSet", request.operation_id(&id).send())
                .await
                .map_err(|_| DeployError::InterruptedBeforeExecution {
                    stack: name.to_string(),
                })?
                .map_err(|e| aws(name, "UpdateStackSet", e))?
                .operation_id()
                .map_or(id, str::to_string);
            failed.extend(
                self.follow_operation(name, spec, &id, "update", Scope::Set)
                    .await?,
            );
        }
        for (targets, regions) in calls(&missing) {
            let id = change_set_name();
            self.ui.line(
                name,
                &format!(
                    "creating instances: {} in {}",
                    targets.join(", "),
                    regions.join(", ")
                ),
            );
            let mut request = self
                .client
                .create_stack_instances()
                .stack_set_name(name)
                .set_regions(Some(regions.clone()))
                .operation_preferences(preferences(spec))
                .operation_id(&id)
                .call_as(call_as(spec));
            request = if service_managed(spec) {
                request.deployment_targets(unit_targets(spec, targets.clone()))
            } else {
                request.set_accounts(Some(targets.clone()))
            };
            // The ID AWS answers with names the operation (emulators make their own).
            let id = self
                .interruptible(name, "CreateStackInstances", request.send())
                .await?
                .map_err(|e| aws(name, "CreateStackInstances", e))?
                .operation_id()
                .map_or(id, str::to_string);
            failed.extend(
                self.follow_operation(
                    name,
                    spec,
                    &id,
                    "create instances",
                    Scope::Instances(&targets, &regions),
                )
                .await?,
            );
        }
        for o in stale_overrides {
            let targets = if service_managed(spec) {
                &o.organizational_units
            } else {
                &o.accounts
            };
            let id = change_set_name();
            self.ui.line(
                name,
                &format!(
                    "overriding {} for {} in {}",
                    o.parameters
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    targets.join(", "),
                    o.regions.join(", ")
                ),
            );
            let mut request = self
                .client
                .update_stack_instances()
                .stack_set_name(name)
                .set_regions(Some(o.regions.clone()))
                .set_parameter_overrides(Some(
                    o.parameters
                        .iter()
                        .map(|(k, v)| {
                            Parameter::builder()
                                .parameter_key(k)
                                .parameter_value(v)
                                .build()
                        })
                        .collect(),
                ))
                .operation_preferences(preferences(spec))
                .operation_id(&id)
                .call_as(call_as(spec));
            request = if service_managed(spec) {
                request.deployment_targets(unit_targets(spec, targets.clone()))
            } else {
                request.set_accounts(Some(targets.clone()))
            };
            // The ID AWS answers with names the operation (emulators make their own).
            let id = self
                .interruptible(name, "UpdateStackInstances", request.send())
                .await?
                .map_err(|e| aws(name, "UpdateStackInstances", e))?
                .operation_id()
                .map_or(id, str::to_string);
            failed.extend(
                self.follow_operation(
                    name,
                    spec,
                    &id,
                    "override",
                    Scope::Instances(targets, &o.regions),
                )
                .await?,
            );
        }
        if !extra.is_empty() {
            self.delete_instances(name, spec, &extra).await?;
        }
        let instances = self
            .describe_stack_set(name, spec)
            .await?
            .map(|d| d.instances.len())
            .unwrap_or_default();
        Ok(StackOutcome::StackSetDeployed { instances, failed })
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
            .set_capabilities(Some(
                stack
                    .capabilities
                    .iter()
                    .map(|c| Capability::from(c.as_str()))
                    .collect(),
            ))
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
            } => {
                let mut auto = AutoDeployment::builder().enabled(*auto_deploy);
                // "Set RetainStacksOnAccountRemoval only when Enabled is true" (AutoDeployment).
                if *auto_deploy {
                    auto = auto.retain_stacks_on_account_removal(*retain_stacks_on_account_removal);
                }
                request
                    .permission_model(PermissionModels::ServiceManaged)
                    .auto_deployment(auto.build())
            }
        };
        request = if stack.body.len() > MAX_TEMPLATE_BODY_BYTES {
            request.template_url(self.upload_template(stack).await?)
        } else {
            request.template_body(&stack.body)
        };
        self.interruptible(name, "CreateStackSet", request.send())
            .await
            .map_err(|_| DeployError::InterruptedBeforeExecution {
                stack: name.to_string(),
            })?
            .map_err(|e| aws(name, "CreateStackSet", e))?;
        Ok(())
    }

    /// Whether an override is already in place: its first instance, deployed before this run,
    /// has exactly its values (DescribeStackInstance). Units cannot be asked per instance:
    /// their overrides are applied on every deploy.
    async fn override_current(
        &self,
        name: &str,
        spec: &StackSetSpec,
        o: &StackSetOverride,
        missing: &BTreeSet<(String, String)>,
    ) -> Result<bool, DeployError> {
        let (Some(account), Some(region)) = (o.accounts.first(), o.regions.first()) else {
            return Ok(false);
        };
        if service_managed(spec) || missing.contains(&(account.clone(), region.clone())) {
            return Ok(false);
        }
        let call = self
            .client
            .describe_stack_instance()
            .stack_set_name(name)
            .stack_instance_account(account)
            .stack_instance_region(region)
            .call_as(call_as(spec))
            .send();
        let Ok(output) = self
            .interruptible(name, "DescribeStackInstance", call)
            .await?
        else {
            return Ok(false);
        };
        let mut deployed: Vec<(String, String)> = output
            .stack_instance()
            .map(|i| {
                i.parameter_overrides()
                    .iter()
                    .map(|p| {
                        (
                            p.parameter_key().unwrap_or_default().to_string(),
                            p.parameter_value().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut wanted = o.parameters.clone();
        deployed.sort();
        wanted.sort();
        Ok(deployed == wanted)
    }

    /// Deletes the instances of `pairs` (their stacks too: `RetainStacks` false).
    async fn delete_instances(
        &self,
        name: &str,
        spec: &StackSetSpec,
        pairs: &BTreeSet<(String, String)>,
    ) -> Result<(), DeployError> {
        for (targets, regions) in calls(pairs) {
            let id = change_set_name();
            self.ui.line(
                name,
                &format!(
                    "deleting instances: {} in {}",
                    targets.join(", "),
                    regions.join(", ")
                ),
            );
            let mut request = self
                .client
                .delete_stack_instances()
                .stack_set_name(name)
                .set_regions(Some(regions.clone()))
                .retain_stacks(false)
                .operation_preferences(preferences(spec))
                .operation_id(&id)
                .call_as(call_as(spec));
            request = if service_managed(spec) {
                request.deployment_targets(unit_targets(spec, targets.clone()))
            } else {
                request.set_accounts(Some(targets.clone()))
            };
            // The ID AWS answers with names the operation (emulators make their own).
            let id = self
                .interruptible(name, "DeleteStackInstances", request.send())
                .await?
                .map_err(|e| aws(name, "DeleteStackInstances", e))?
                .operation_id()
                .map_or(id, str::to_string);
            let failed = self
                .follow_operation(
                    name,
                    spec,
                    &id,
                    "delete instances",
                    Scope::Instances(&targets, &regions),
                )
                .await?;
            if !failed.is_empty() {
                return Err(DeployError::StackSetOperationFailed {
                    stack: name.to_string(),
                    operation_id: id,
                    action: "delete instances",
                    status: "SUCCEEDED with failures".into(),
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
        let Some(deployed) = self.describe_stack_set(name, spec).await? else {
            self.ui.line(name, "not deployed");
            return Ok(StackOutcome::Destroyed);
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

    /// The deployed stack set's template, parameters and instances; `None` when it does not
    /// exist.
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
        let parameters = set
            .parameters()
            .iter()
            .map(|p| {
                (
                    p.parameter_key().unwrap_or_default().to_string(),
                    p.parameter_value().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let mut instances = BTreeSet::new();
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
                let target = if service_managed(spec) {
                    instance.organizational_unit_id()
                } else {
                    instance.account()
                };
                if let (Some(target), Some(region)) = (target, instance.region()) {
                    instances.insert((target.to_string(), region.to_string()));
                }
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        Ok(Some(Deployed {
            template,
            parameters,
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

    /// For `diff`: the template difference, and the instances to add and remove.
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
        let mut diff = diff_templates(&stack.name, deployed.as_ref().map(|d| &d.template), &local);
        let existing = deployed.map(|d| d.instances).unwrap_or_default();
        let want = desired(spec);
        let list = |pairs: Vec<&(String, String)>| {
            serde_json::Value::from(
                pairs
                    .into_iter()
                    .map(|(t, r)| format!("{t} {r}"))
                    .collect::<Vec<_>>(),
            )
        };
        let added: Vec<&(String, String)> = want.difference(&existing).collect();
        let removed: Vec<&(String, String)> = existing.difference(&want).collect();
        if !added.is_empty() || !removed.is_empty() {
            diff.other.push(crate::PropertyChange {
                path: "StackInstances".into(),
                before: (!removed.is_empty()).then(|| list(removed)),
                after: (!added.is_empty()).then(|| list(added)),
            });
        }
        Ok(diff)
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
                region_order: vec!["us-east-1".into()],
            },
            ..StackSetSpec::default()
        };
        let p = preferences(&spec);
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
        assert_eq!(p.region_order(), ["us-east-1"]);
        let units = unit_targets(
            &StackSetSpec {
                excluded_accounts: vec!["111122223333".into()],
                ..StackSetSpec::default()
            },
            vec!["ou-ab12-11111111".into()],
        );
        assert_eq!(
            units.account_filter_type(),
            Some(&AccountFilterType::Difference)
        );
        assert_eq!(units.accounts(), ["111122223333"]);
    }
}
