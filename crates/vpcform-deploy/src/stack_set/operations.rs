//! The calls that change a stack set and its instances, one operation at a time.

use aws_sdk_cloudformation::types::{AutoDeployment, Parameter, PermissionModels};

use crate::calls::aws;
use crate::change_set::change_set_name;
use crate::{
    DeployError, Deployer, MAX_TEMPLATE_BODY_BYTES, PlannedChange, StackOutcome, StackTemplate,
};

use super::plan::*;
use super::spec::*;

impl Deployer {
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
        let changes = self.review_stack_set(name, &plan);
        if self.options.no_execute {
            self.list_stack_set_plan(name, &changes, &plan);
            return Ok(StackOutcome::NotExecuted);
        }
        self.approve(name, &changes, &plan.diff.security)
            .await
            .map_err(before)?;
        let failed = self
            .apply_stack_set_plan(stack, spec, parameters, deployed.as_ref(), &plan)
            .await?;
        let instances = self
            .describe_stack_set(name, spec)
            .await?
            .map(|d| d.instances.len())
            .unwrap_or_default();
        Ok(StackOutcome::StackSetDeployed { instances, failed })
    }

    /// The changes to approve (the set's resources, instances removed), with the security
    /// table printed when the set's template changes.
    fn review_stack_set(&self, name: &str, plan: &Plan) -> Vec<PlannedChange> {
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
        changes
    }

    /// `--no-execute`: what a deploy would do, and nothing done.
    fn list_stack_set_plan(&self, name: &str, changes: &[PlannedChange], plan: &Plan) {
        for change in changes {
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
    }

    /// Carries out an approved plan, one operation at a time: the set (created or updated),
    /// the instances missing, the stale ones, then the extra ones; returns the instances that
    /// failed within the failure tolerance.
    async fn apply_stack_set_plan(
        &self,
        stack: &StackTemplate,
        spec: &StackSetSpec,
        parameters: Vec<Parameter>,
        deployed: Option<&Deployed>,
        plan: &Plan,
    ) -> Result<Vec<InstanceFailure>, DeployError> {
        let name = stack.name.as_str();
        let mut failed: Vec<InstanceFailure> = Vec::new();
        let mut updated_all = false;
        match deployed {
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
        Ok(failed)
    }

    /// Starts an operation with the ID `id` and follows it. An interrupt while the request is
    /// under way may come after AWS started the operation: it is stopped by that ID.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn operation<T, E, R>(
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

    pub(super) async fn update_stack_set(
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

    pub(super) async fn create_instances(
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

    pub(super) async fn update_instances(
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

    pub(super) async fn create_stack_set(
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
    pub(super) async fn delete_instances(
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
}

/// `AutoDeployment`; `RetainStacksOnAccountRemoval` only when enabled (AutoDeployment).
pub(super) fn auto_deployment(enabled: bool, retain: bool) -> AutoDeployment {
    let auto = AutoDeployment::builder().enabled(enabled);
    if enabled {
        auto.retain_stacks_on_account_removal(retain).build()
    } else {
        auto.build()
    }
}
