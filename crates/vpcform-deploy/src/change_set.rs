//! One stack's deploy through a change set: prepare, create, review (changes, replacements,
//! security table), approve, execute, follow; and destroy.
//!
//! Invariant: a change set this process created and did not execute is deleted before the
//! stack's result is returned — declined, refused, interrupted, failed to execute — with the
//! empty stack a CREATE change set made; and the result says so, or says what was left.

use std::time::Instant;

use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::{
    Capability, ChangeAction, ChangeSetStatus, ChangeSetSummary, ChangeSetType, ExecutionStatus,
    OnStackFailure, Replacement, RequiresRecreation, StackStatus, Tag,
};

use crate::Environment;
use crate::calls::{aws, does_not_exist};
use crate::security::{SecurityChange, security_changes, security_table};
use crate::status::{Operation, is_busy};
use crate::{
    DeployError, Deployer, MAX_TEMPLATE_BODY_BYTES, MAX_TEMPLATE_URL_BYTES, RequireApproval,
    StackOutcome, StackTemplate,
};

/// The description vpcform gives its change sets: how it finds the ones it left.
pub(crate) const DESCRIPTION: &str = "Created by vpcform";

/// One change of a change set, as printed.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedChange {
    /// `Add`, `Modify`, `Remove`, …
    pub action: String,
    /// The logical ID.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// `True`, `Conditional` or `False` for modifications.
    pub replacement: Option<String>,
    /// The properties whose change recreates the resource, with CloudFormation's
    /// `RequiresRecreation` (`Always` or `Conditionally`).
    pub recreated_by: Vec<(String, String)>,
}

impl PlannedChange {
    fn from_sdk(change: &aws_sdk_cloudformation::types::Change) -> Option<PlannedChange> {
        let rc = change.resource_change()?;
        let mut recreated_by: Vec<(String, String)> = rc
            .details()
            .iter()
            .filter_map(|detail| {
                let target = detail.target()?;
                let recreation = target.requires_recreation()?;
                if *recreation == RequiresRecreation::Never {
                    return None;
                }
                Some((
                    target.name().unwrap_or_default().to_string(),
                    recreation.as_str().to_string(),
                ))
            })
            .collect();
        recreated_by.dedup();
        Some(PlannedChange {
            action: rc
                .action()
                .map(|a| a.as_str().to_string())
                .unwrap_or_default(),
            logical_id: rc.logical_resource_id().unwrap_or_default().to_string(),
            resource_type: rc.resource_type().unwrap_or_default().to_string(),
            replacement: rc.replacement().map(|r| r.as_str().to_string()),
            recreated_by,
        })
    }

    /// Whether the change replaces (certainly or possibly) or removes a resource.
    ///
    /// ```
    /// let change = vpcform_deploy::PlannedChange {
    ///     action: "Modify".into(), logical_id: "Vpc".into(), resource_type: "AWS::EC2::VPC".into(),
    ///     replacement: Some("True".into()), recreated_by: vec![("CidrBlock".into(), "Always".into())],
    /// };
    /// assert!(change.is_risky());
    /// assert!(change.to_string().ends_with("(replacement: CidrBlock)"));
    /// ```
    pub fn is_risky(&self) -> bool {
        self.action == ChangeAction::Remove.as_str()
            || self.replacement.as_deref() == Some(Replacement::True.as_str())
            || self.replacement.as_deref() == Some(Replacement::Conditional.as_str())
    }
}

impl std::fmt::Display for PlannedChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = match self.action.as_str() {
            "Add" => "+",
            "Remove" => "-",
            _ => "~",
        };
        write!(
            f,
            "{sign} {:<7} {:<45} {}",
            self.action, self.resource_type, self.logical_id
        )?;
        let by = |wanted: &str| {
            self.recreated_by
                .iter()
                .filter(|(_, r)| r == wanted)
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self.replacement.as_deref() {
            Some("True") => match by("Always") {
                p if p.is_empty() => write!(f, " (replacement)"),
                p => write!(f, " (replacement: {p})"),
            },
            Some("Conditional") => match by("Conditionally") {
                p if p.is_empty() => write!(f, " (may be replaced)"),
                p => write!(f, " (may be replaced: {p})"),
            },
            _ => Ok(()),
        }
    }
}

/// Why a change set needs approval at `level`, or `None`.
///
/// ```
/// use vpcform_deploy::{RequireApproval, approval_reason};
/// assert_eq!(approval_reason(RequireApproval::Broadening, &[], &[]), None);
/// assert_eq!(approval_reason(RequireApproval::Never, &[], &[]), None);
/// ```
pub fn approval_reason(
    level: RequireApproval,
    changes: &[PlannedChange],
    security: &[SecurityChange],
) -> Option<String> {
    let broadening = security.iter().filter(|c| c.broadening).count();
    let risky = changes.iter().filter(|c| c.is_risky()).count();
    match level {
        RequireApproval::Never => None,
        // Only change sets with changes get here: an empty one is "no changes".
        RequireApproval::AnyChange => Some(format!(
            "the change set makes {} change(s) and --require-approval is any-change",
            changes.len()
        )),
        RequireApproval::Broadening => {
            let mut parts = Vec::new();
            if broadening > 0 {
                parts.push(format!(
                    "broadens access ({broadening} security change(s) marked !)"
                ));
            }
            if risky > 0 {
                parts.push(format!("replaces or removes {risky} resource(s)"));
            }
            (!parts.is_empty()).then(|| format!("the change set {}", parts.join(" and ")))
        }
    }
}

/// What a CREATE or UPDATE change set is for.
pub(crate) fn operation(creating: bool) -> Operation {
    if creating {
        Operation::Create
    } else {
        Operation::Update
    }
}

/// What a change set does, from its changes: an IMPORT change set's are all `Import` (the
/// action only an import has: ResourceChange `Action`, API Reference), and DescribeChangeSet
/// does not give the type; otherwise CREATE or UPDATE.
pub(crate) fn kind_of(changes: &[PlannedChange], creating: bool) -> Operation {
    if changes
        .iter()
        .any(|c| c.action == ChangeAction::Import.as_str())
    {
        Operation::Import
    } else {
        operation(creating)
    }
}

/// An interrupt before execution changed nothing: say so.
pub(crate) fn before_execution(stack: &str, error: DeployError) -> DeployError {
    match error {
        DeployError::Cancelled { .. } => DeployError::InterruptedBeforeExecution {
            stack: stack.to_string(),
        },
        other => other,
    }
}

/// An interrupt before a deletion started deleted nothing: say so.
fn before_deletion(stack: &str, error: DeployError) -> DeployError {
    match error {
        DeployError::Cancelled { .. } => DeployError::NotStarted {
            stack: stack.to_string(),
        },
        other => other,
    }
}

impl Deployer {
    /// Deploys one stack through a change set, with this deployer's clients: its
    /// [`StackTemplate::environment`] is not connected to nor checked here, as
    /// [`Deployer::deploy`] does for every stack.
    ///
    /// # Errors
    /// See [`DeployError`]: every path that stops early says what state it left.
    pub async fn deploy_stack(&self, stack: &StackTemplate) -> Result<StackOutcome, DeployError> {
        let name = stack.name.as_str();
        if self.environment != Environment::default() {
            self.ui.line(name, &format!("in {}", self.environment));
        }
        let filled;
        let stack = if stack.parameter_imports.is_empty() {
            stack
        } else {
            filled = self
                .with_imports(stack)
                .await
                .map_err(|e| before_execution(name, e))?;
            &filled
        };
        if stack.body.len() > MAX_TEMPLATE_URL_BYTES {
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
        let (creating, exists) = self
            .prepare(name)
            .await
            .map_err(|e| before_execution(name, e))?;
        if exists {
            self.delete_stale_change_sets(name)
                .await
                .map_err(|e| before_execution(name, e))?;
        }
        let change_set = change_set_name();
        // From here on a change set may exist: every early return discards it.
        let stack_id = match self.create_change_set(stack, &change_set, creating).await {
            Ok(id) => id,
            Err(error) => {
                if matches!(error, DeployError::Cancelled { .. }) {
                    self.discard(name, &change_set, creating).await;
                }
                return Err(before_execution(name, error));
            }
        };
        let reviewed = self.review(name, &change_set, creating, Some(&local)).await;
        let (changes, security) = match reviewed {
            Ok(Some(review)) => review,
            Ok(None) => {
                self.ui.line(name, "no changes");
                self.discard(name, &change_set, creating).await;
                self.set_termination_protection(stack).await?;
                return Ok(StackOutcome::NoChanges);
            }
            // Deleted under us: whoever did may be using the stack (its empty one included).
            Err(error @ DeployError::ChangeSetGone { .. }) => return Err(error),
            Err(error) => {
                self.discard(name, &change_set, creating).await;
                return Err(before_execution(name, error));
            }
        };
        if self.options.no_execute {
            self.ui.line(
                name,
                &format!(
                    "change set {change_set} left for review (--no-execute); execute it with \
                     deploy {name} --change-set {change_set}"
                ),
            );
            return Ok(StackOutcome::ChangeSetCreated { change_set });
        }
        if let Err(error) = self.approve(name, &changes, &security).await {
            self.discard(name, &change_set, creating).await;
            return Err(before_execution(name, error));
        }
        let outcome = self
            .execute(
                name,
                &change_set,
                &stack_id,
                creating,
                operation(creating),
                changes.len() as u64,
                true,
            )
            .await?;
        self.set_termination_protection(stack).await?;
        Ok(outcome)
    }

    /// Executes a change set made earlier (`deploy --no-execute`), after the same review and
    /// approval as a deploy; the change set stays when it is not executed.
    ///
    /// # Errors
    /// [`DeployError::ChangeSetNotExecutable`] when it does not exist, failed, or was made
    /// obsolete; otherwise as [`Deployer::deploy_stack`].
    pub async fn execute_reviewed(
        &self,
        stack: &StackTemplate,
        change_set: &str,
    ) -> Result<StackOutcome, DeployError> {
        let name = stack.name.as_str();
        let not_executable = |reason: String| DeployError::ChangeSetNotExecutable {
            stack: name.to_string(),
            change_set: change_set.to_string(),
            reason,
        };
        let Some(info) = self
            .stack_info(name)
            .await
            .map_err(|e| before_execution(name, e))?
        else {
            return Err(not_executable(
                "the stack does not exist; run deploy --no-execute to make a change set".into(),
            ));
        };
        let call = self
            .client
            .describe_change_set()
            .stack_name(name)
            .change_set_name(change_set)
            .send();
        let described = match self
            .interruptible(name, "DescribeChangeSet", call)
            .await
            .map_err(|e| before_execution(name, e))?
        {
            Ok(described) => described,
            Err(e) if e.code() == Some("ChangeSetNotFound") => {
                return Err(not_executable(
                    "no change set of that name: it was executed, deleted, or replaced by a \
                     newer deploy; run deploy --no-execute again"
                        .into(),
                ));
            }
            Err(e) => return Err(aws(name, "DescribeChangeSet", e)),
        };
        let status = described.status().cloned();
        let execution = described.execution_status().cloned();
        if status != Some(ChangeSetStatus::CreateComplete)
            || execution != Some(ExecutionStatus::Available)
        {
            let said = |s: Option<&str>| s.unwrap_or("unknown").to_string();
            return Err(not_executable(format!(
                "it is {} with execution status {}{} (only CREATE_COMPLETE and AVAILABLE can \
                 execute: OBSOLETE means another change set was executed since); run deploy \
                 --no-execute again",
                said(status.as_ref().map(ChangeSetStatus::as_str)),
                said(execution.as_ref().map(ExecutionStatus::as_str)),
                described
                    .status_reason()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            )));
        }
        if described.description() != Some(DESCRIPTION) {
            self.ui.line(
                name,
                &format!("change set {change_set} was not made by vpcform; reviewing it as any"),
            );
        }
        let creating = info.status == StackStatus::ReviewInProgress;
        let template = self
            .deployed_template(name, Some(change_set))
            .await
            .map_err(|e| before_execution(name, e))?;
        let review = self
            .review(name, change_set, creating, template.as_ref())
            .await
            .map_err(|e| before_execution(name, e))?;
        let Some((changes, security)) = review else {
            return Err(not_executable("it contains no changes".into()));
        };
        if let Err(error) = self.approve(name, &changes, &security).await {
            self.ui
                .line(name, &format!("change set {change_set} kept, not executed"));
            return Err(before_execution(name, error));
        }
        let outcome = self
            .execute(
                name,
                change_set,
                &info.stack_id,
                creating,
                kind_of(&changes, creating),
                changes.len() as u64,
                false,
            )
            .await?;
        self.set_termination_protection(stack).await?;
        Ok(outcome)
    }

    /// Finds whether the stack is to be created, recovering from an earlier failed attempt;
    /// and whether it exists now (and so may have change sets).
    pub(crate) async fn prepare(&self, name: &str) -> Result<(bool, bool), DeployError> {
        let Some(info) = self.stack_info(name).await? else {
            return Ok((true, false));
        };
        match info.status {
            StackStatus::ReviewInProgress => {
                self.ui.line(
                    name,
                    "found REVIEW_IN_PROGRESS (a change set never executed): creating it anew",
                );
                Ok((true, true))
            }
            StackStatus::RollbackComplete => {
                self.ui.line(
                    name,
                    "found ROLLBACK_COMPLETE (an earlier creation failed; it cannot be updated): \
                     deleting the empty stack, then creating it",
                );
                self.delete_and_wait(name, &info.stack_id).await?;
                Ok((true, false))
            }
            ref status if is_busy(status) => Err(DeployError::StackBusy {
                stack: name.to_string(),
                status: status.as_str().to_string(),
            }),
            _ => Ok((false, true)),
        }
    }

    /// Deletes the change sets other vpcform runs left unexecuted (`--no-execute`, or a process
    /// killed before its cleanup): a new deploy supersedes them, and they would pile up. One
    /// that may still be under review — still executable or being made, and younger than
    /// `--stale-change-set-age` — stops the deploy instead ([`DeployError::ChangeSetPending`]),
    /// unless `--discard-pending`: two runs of one stack must not delete each other's.
    pub(crate) async fn delete_stale_change_sets(&self, name: &str) -> Result<(), DeployError> {
        let call = self.client.list_change_sets().stack_name(name).send();
        let listed = match self.interruptible(name, "ListChangeSets", call).await? {
            Ok(listed) => listed,
            Err(e) if does_not_exist(&e) => return Ok(()),
            Err(e) => return Err(aws(name, "ListChangeSets", e)),
        };
        let now = std::time::SystemTime::now();
        let ours: Vec<&ChangeSetSummary> = listed
            .summaries()
            .iter()
            .filter(|s| {
                // The stack's own only (moto's ListChangeSets answers every stack's).
                s.stack_name() == Some(name)
                    && s.description() == Some(DESCRIPTION)
                    && s.execution_status() != Some(&ExecutionStatus::ExecuteInProgress)
            })
            .collect();
        if !self.options.discard_pending {
            let young = ours
                .iter()
                .filter(|s| is_pending(s))
                .map(|s| (s, age(s, now)))
                .filter(|(_, age)| age.is_none_or(|age| age < self.options.stale_change_set_age))
                // The newest: an unknown age counts as new.
                .min_by_key(|(_, age)| age.unwrap_or_default());
            if let Some((summary, age)) = young {
                return Err(DeployError::ChangeSetPending {
                    stack: name.to_string(),
                    change_set: summary.change_set_name().unwrap_or_default().to_string(),
                    created: summary
                        .creation_time()
                        .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok()),
                    age,
                });
            }
        }
        let stale: Vec<String> = ours
            .iter()
            .filter_map(|s| s.change_set_name().map(str::to_string))
            .collect();
        for change_set in &stale {
            let call = self
                .client
                .delete_change_set()
                .stack_name(name)
                .change_set_name(change_set)
                .send();
            match self.interruptible(name, "DeleteChangeSet", call).await? {
                Ok(_) => {}
                // Its own run deleted it meanwhile, or executed another.
                Err(e) if e.code() == Some("ChangeSetNotFound") => {}
                Err(e) => return Err(aws(name, "DeleteChangeSet", e)),
            }
        }
        if !stale.is_empty() {
            self.ui.line(
                name,
                &format!(
                    "deleted {} change set(s) an earlier run left unexecuted{}: {}",
                    stale.len(),
                    if self.options.discard_pending {
                        " (--discard-pending)"
                    } else {
                        ""
                    },
                    stale.join(", ")
                ),
            );
        }
        Ok(())
    }

    async fn create_change_set(
        &self,
        stack: &StackTemplate,
        change_set: &str,
        creating: bool,
    ) -> Result<String, DeployError> {
        let name = stack.name.as_str();
        let change_set_type = if creating {
            ChangeSetType::Create
        } else {
            ChangeSetType::Update
        };
        let mut request = self
            .client
            .create_change_set()
            .stack_name(name)
            .change_set_name(change_set)
            .change_set_type(change_set_type)
            .description(DESCRIPTION)
            .client_token(request_token());
        if creating {
            // A failed creation leaves nothing behind, instead of a ROLLBACK_COMPLETE stack;
            // with --no-rollback it stays CREATE_FAILED with what it made (rollback.rs).
            request = request.on_stack_failure(if self.options.no_rollback {
                OnStackFailure::DoNothing
            } else {
                OnStackFailure::Delete
            });
        }
        request = self.revert_drift_mode(name, request, creating);
        for (key, value) in &stack.tags {
            request = request.tags(Tag::builder().key(key).value(value).build());
        }
        for capability in &stack.capabilities {
            request = request.capabilities(Capability::from(capability.as_str()));
        }
        for parameter in stack.change_set_parameters(creating)? {
            request = request.parameters(parameter);
        }
        request = if stack.body.len() > MAX_TEMPLATE_BODY_BYTES {
            request.template_url(self.upload_template(stack).await?)
        } else {
            request.template_body(&stack.body)
        };
        let created = self
            .interruptible(name, "CreateChangeSet", request.send())
            .await?
            .map_err(|e| aws(name, "CreateChangeSet", e))?;
        Ok(created.stack_id().unwrap_or(name).to_string())
    }

    /// Waits for the change set, prints its changes and the security table; `None` when it
    /// holds no changes.
    pub(crate) async fn review(
        &self,
        name: &str,
        change_set: &str,
        creating: bool,
        template: Option<&serde_json::Value>,
    ) -> Result<Option<(Vec<PlannedChange>, Vec<SecurityChange>)>, DeployError> {
        let changes = match self.wait_for_change_set(name, change_set).await {
            // A FAIL validation result fails the change set: name every result.
            Err(DeployError::ChangeSetFailed { stack, reason }) => {
                let findings = self.validation(name, change_set).await?;
                return Err(
                    crate::validation::validation_failed(name, change_set, &findings)
                        .unwrap_or(DeployError::ChangeSetFailed { stack, reason }),
                );
            }
            other => other?,
        };
        let Some(changes) = changes else {
            return Ok(None);
        };
        self.ui.line(
            name,
            &format!("change set {change_set} ({}):", kind_of(&changes, creating)),
        );
        for change in &changes {
            self.ui.line(name, &format!("  {change}"));
        }
        let security = match template {
            Some(template) => {
                let deployed = if creating {
                    None
                } else {
                    self.deployed_template(name, None).await?
                };
                security_changes(deployed.as_ref(), template)
            }
            None => Vec::new(),
        };
        for line in security_table(&security).lines() {
            self.ui.line(name, line);
        }
        // After the changes, before the approval question: what CloudFormation's validation
        // says of them. A FAIL result on a change set it made anyway: not executed either.
        let findings = self.validation(name, change_set).await?;
        if let Some(error) = crate::validation::validation_failed(name, change_set, &findings) {
            return Err(error);
        }
        Ok(Some((changes, security)))
    }

    /// Asks for approval when the level requires it (`--yes` answers for the user).
    pub(crate) async fn approve(
        &self,
        name: &str,
        changes: &[PlannedChange],
        security: &[SecurityChange],
    ) -> Result<(), DeployError> {
        let Some(reason) = approval_reason(self.options.require_approval, changes, security) else {
            return Ok(());
        };
        if self.options.yes {
            self.ui.line(name, &format!("{reason}: approved by --yes"));
            return Ok(());
        }
        match self.ask(name, &format!("{reason}; deploy?")).await? {
            Some(true) => Ok(()),
            Some(false) => Err(DeployError::Declined {
                stack: name.to_string(),
            }),
            None => Err(DeployError::ConfirmationRequired {
                stack: name.to_string(),
                reason,
                fix: "review it (the `diff` verb, or deploy --no-execute) and pass --yes to deploy \
                      anyway, or --require-approval never",
            }),
        }
    }

    /// Polls the change set until it is ready, paginating its changes; `None` for an empty one.
    async fn wait_for_change_set(
        &self,
        name: &str,
        change_set: &str,
    ) -> Result<Option<Vec<PlannedChange>>, DeployError> {
        loop {
            let mut changes = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let call = self
                    .client
                    .describe_change_set()
                    .stack_name(name)
                    .change_set_name(change_set)
                    .set_next_token(token.clone())
                    .send();
                let page = match self.interruptible(name, "DescribeChangeSet", call).await? {
                    Ok(page) => page,
                    Err(e) if e.code() == Some("ChangeSetNotFound") => {
                        return Err(DeployError::ChangeSetGone {
                            stack: name.to_string(),
                            change_set: change_set.to_string(),
                            operation: "DescribeChangeSet",
                        });
                    }
                    Err(e) => return Err(aws(name, "DescribeChangeSet", e)),
                };
                let reason = page.status_reason().unwrap_or_default().to_string();
                match page.status() {
                    Some(ChangeSetStatus::Failed) => {
                        // CloudFormation's wording for an empty change set (both are in use).
                        return if reason.contains("didn't contain changes")
                            || reason.contains("No updates are to be performed")
                        {
                            Ok(None)
                        } else {
                            Err(DeployError::ChangeSetFailed {
                                stack: name.to_string(),
                                reason,
                            })
                        };
                    }
                    Some(ChangeSetStatus::CreateComplete) => {}
                    _ => break,
                }
                if token.is_none() {
                    crate::drift::say_if_drift_aware(self, name, page.deployment_mode());
                }
                changes.extend(page.changes().iter().filter_map(PlannedChange::from_sdk));
                token = page.next_token().map(str::to_string);
                if token.is_none() {
                    return Ok(Some(changes));
                }
            }
            if self.pause().await {
                return Err(DeployError::Cancelled {
                    stack: name.to_string(),
                    operation: "DescribeChangeSet",
                });
            }
        }
    }

    /// Executes a reviewed change set and follows the stack as `kind` (its final state); a
    /// failed execute cleans up (`discard_on_failure`: the change set this run made) and says
    /// what is left.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn execute(
        &self,
        name: &str,
        change_set: &str,
        stack_id: &str,
        creating: bool,
        kind: Operation,
        total: u64,
        discard_on_failure: bool,
    ) -> Result<StackOutcome, DeployError> {
        let marker = match self.newest_event(name, stack_id).await {
            Ok(marker) => marker,
            Err(error) => {
                if discard_on_failure {
                    self.discard(name, change_set, creating).await;
                }
                return Err(before_execution(name, error));
            }
        };
        if self.options.no_rollback && creating {
            // ExecuteChangeSet's DisableRollback "can't be specified when the OnStackFailure
            // parameter to CreateChangeSet was specified": a new stack keeps what its change
            // set was made with.
            self.ui.line(
                name,
                &format!(
                    "--no-rollback: a new stack fails as its change set {change_set} says \
                     (OnStackFailure; DO_NOTHING when it was made with --no-rollback)"
                ),
            );
        }
        let started = Instant::now();
        let call = self
            .client
            .execute_change_set()
            .stack_name(name)
            .change_set_name(change_set)
            .client_request_token(request_token())
            // A CREATE change set carries OnStackFailure instead (rollback.rs).
            .set_disable_rollback((self.options.no_rollback && !creating).then_some(true))
            .send();
        match self.interruptible(name, "ExecuteChangeSet", call).await {
            Ok(Ok(_)) => {}
            // Deleted under us: nothing to clean up, and the stack may be another run's now.
            Ok(Err(e)) if e.code() == Some("ChangeSetNotFound") => {
                return Err(DeployError::ChangeSetGone {
                    stack: name.to_string(),
                    change_set: change_set.to_string(),
                    operation: "ExecuteChangeSet",
                });
            }
            Ok(Err(e)) => {
                let error = aws(name, "ExecuteChangeSet", e);
                let left = if discard_on_failure {
                    self.discard(name, change_set, creating).await
                } else {
                    format!("the change set {change_set} is kept")
                };
                return Err(DeployError::ExecuteFailed {
                    stack: name.to_string(),
                    change_set: change_set.to_string(),
                    reason: match &error {
                        DeployError::Aws {
                            code,
                            message,
                            hint,
                            ..
                        } => format!(
                            "{code}: {message}{}",
                            hint.as_ref()
                                .map(|h| format!(" (hint: {h})"))
                                .unwrap_or_default()
                        ),
                        other => other.to_string(),
                    },
                    left,
                    source: Box::new(error),
                });
            }
            Err(_) => {
                // Abandoned mid-call: whether CloudFormation took it, only the stack can say.
                return Err(DeployError::Interrupted {
                    stack: name.to_string(),
                    status: format!(
                        "{} (interrupted while ExecuteChangeSet was under way)",
                        self.status_for_report(stack_id).await
                    ),
                });
            }
        }
        self.ui.line(name, "executing");
        let settled = self
            .follow(name, stack_id, marker, total, kind)
            .await
            .map_err(|e| {
                if self.options.no_rollback {
                    crate::rollback::left_failed(e)
                } else {
                    e
                }
            })?;
        let duration = started.elapsed();
        self.ui.line(
            name,
            &format!(
                "{} in {}",
                settled.status.as_str(),
                crate::error::human_duration(duration)
            ),
        );
        Ok(StackOutcome::Deployed {
            duration,
            outputs: settled.outputs,
        })
    }

    /// Deletes a change set not executed, and the empty stack a CREATE change set made, even
    /// when interrupted (bounded by the cleanup deadline); says what is left.
    pub(crate) async fn discard(
        &self,
        name: &str,
        change_set: &str,
        created_stack: bool,
    ) -> String {
        let call = self
            .client
            .delete_change_set()
            .stack_name(name)
            .change_set_name(change_set)
            .send();
        let mut left = match self.cleanup(call).await {
            Some(Ok(_)) => format!("change set {change_set} deleted"),
            Some(Err(e)) if e.code() == Some("ChangeSetNotFound") || does_not_exist(&e) => {
                format!(
                    "change set {change_set} was not there to delete (never created, or deleted \
                     by another run)"
                )
            }
            outcome => {
                let why = match outcome {
                    Some(Err(e)) => aws(name, "DeleteChangeSet", e).to_string(),
                    _ => "DeleteChangeSet did not answer in time".to_string(),
                };
                let text = format!(
                    "change set {change_set} could not be deleted ({why}); delete it with `aws \
                     cloudformation delete-change-set --stack-name {name} --change-set-name \
                     {change_set}`"
                );
                self.ui.line(name, &text);
                return text;
            }
        };
        if created_stack
            && let Some(Ok(Some(info))) = self.cleanup(self.stack_info_raw(name)).await
            && info.status == StackStatus::ReviewInProgress
        {
            let deleted = self
                .cleanup(
                    self.client
                        .delete_stack()
                        .stack_name(name)
                        .client_request_token(request_token())
                        .send(),
                )
                .await;
            left += match deleted {
                Some(Ok(_)) => " with the empty stack it created (REVIEW_IN_PROGRESS)",
                _ => {
                    "; the empty stack it created is left in REVIEW_IN_PROGRESS (harmless: the \
                     next deploy reuses it)"
                }
            };
        }
        self.ui.line(name, &left);
        left
    }

    async fn set_termination_protection(&self, stack: &StackTemplate) -> Result<(), DeployError> {
        let Some(enable) = stack.termination_protection else {
            return Ok(());
        };
        let call = self
            .client
            .update_termination_protection()
            .stack_name(&stack.name)
            .enable_termination_protection(enable)
            .send();
        self.interruptible(&stack.name, "UpdateTerminationProtection", call)
            .await?
            .map_err(|e| aws(&stack.name, "UpdateTerminationProtection", e))?;
        Ok(())
    }

    /// Destroys one stack, with this deployer's clients (see [`Deployer::deploy_stack`]).
    ///
    /// # Errors
    /// [`DeployError::TerminationProtected`], or the deletion's failure with its first failed
    /// resource.
    pub async fn destroy_stack(&self, name: &str) -> Result<StackOutcome, DeployError> {
        let Some(info) = self
            .stack_info(name)
            .await
            .map_err(|e| before_deletion(name, e))?
        else {
            self.ui.line(name, "not deployed; nothing to destroy");
            return Ok(StackOutcome::Destroyed);
        };
        if info.termination_protection {
            return Err(DeployError::TerminationProtected {
                stack: name.to_string(),
            });
        }
        if is_busy(&info.status) {
            return Err(DeployError::StackBusy {
                stack: name.to_string(),
                status: info.status.as_str().to_string(),
            });
        }
        self.delete_and_wait(name, &info.stack_id).await?;
        self.ui.line(name, "destroyed");
        Ok(StackOutcome::Destroyed)
    }

    async fn delete_and_wait(&self, name: &str, stack_id: &str) -> Result<(), DeployError> {
        let marker = self
            .newest_event(name, stack_id)
            .await
            .map_err(|e| before_deletion(name, e))?;
        let total = self
            .resource_count(name)
            .await
            .map_err(|e| before_deletion(name, e))?;
        let call = self
            .client
            .delete_stack()
            .stack_name(name)
            .client_request_token(request_token())
            .send();
        match self.interruptible(name, "DeleteStack", call).await {
            Ok(result) => result.map_err(|e| aws(name, "DeleteStack", e))?,
            Err(_) => {
                return Err(DeployError::Interrupted {
                    stack: name.to_string(),
                    status: format!(
                        "{} (interrupted while DeleteStack was under way)",
                        self.status_for_report(stack_id).await
                    ),
                });
            }
        };
        self.follow(name, stack_id, marker, total, Operation::Delete)
            .await?;
        Ok(())
    }

    pub(crate) async fn resource_count(&self, name: &str) -> Result<u64, DeployError> {
        let call = self
            .client
            .list_stack_resources()
            .stack_name(name)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>();
        Ok(self
            .interruptible(name, "ListStackResources", call)
            .await?
            .len() as u64)
    }
}

/// Whether a change set may still be executed, so someone may be reviewing it: being made
/// (`CREATE_PENDING`, `CREATE_IN_PROGRESS`) or made and not executed (`CREATE_COMPLETE`,
/// execution `AVAILABLE` or `UNAVAILABLE`). A `FAILED` one (empty) or an `OBSOLETE` one (another
/// was executed since) cannot run any more (ChangeSetSummary, DescribeChangeSet API reference).
fn is_pending(summary: &ChangeSetSummary) -> bool {
    matches!(
        summary.status(),
        Some(
            ChangeSetStatus::CreatePending
                | ChangeSetStatus::CreateInProgress
                | ChangeSetStatus::CreateComplete
        )
    ) && matches!(
        summary.execution_status(),
        None | Some(ExecutionStatus::Available | ExecutionStatus::Unavailable)
    )
}

/// How old a change set is by its `CreationTime` (UTC, from ListChangeSets); `None` when not
/// given. A creation time ahead of the local clock counts as now.
fn age(summary: &ChangeSetSummary, now: std::time::SystemTime) -> Option<std::time::Duration> {
    let created = std::time::SystemTime::try_from(*summary.creation_time()?).ok()?;
    Some(now.duration_since(created).unwrap_or_default())
}

/// A change set name no other of this process's shares: the time in milliseconds and a
/// process-wide sequence number (two stacks in the same millisecond got the same name before).
/// CloudFormation: `[a-zA-Z][-a-zA-Z0-9]*`, at most 128 characters.
pub(crate) fn change_set_name() -> String {
    static SEQUENCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    format!("vpcform-{millis}-{n}")
}

/// A new token for one call that changes a stack (`ClientRequestToken` of ExecuteChangeSet and
/// DeleteStack, `ClientToken` of CreateChangeSet): set once on the request's input, so the SDK
/// resends it with every retry of that call, and CloudFormation takes a retry whose first attempt
/// did arrive as the same request instead of failing it or acting twice (ExecuteChangeSet API
/// reference: "Specify this token if you plan to retry requests so that CloudFormation knows
/// that you're not attempting to execute a change set to update a stack with the same name").
/// A new one per call, random, so that two runs never share one. The form is the API's: 1–128
/// characters, `[a-zA-Z][-a-zA-Z0-9]*` (ExecuteChangeSet, DeleteStack: `ClientRequestToken`;
/// CreateChangeSet: `ClientToken`). CreateStackSet's `ClientRequestToken` and the StackSet
/// operations' `OperationId` are idempotency tokens in the SDK's model: it fills them itself
/// when not given, once per call.
pub(crate) fn request_token() -> String {
    format!(
        "vpcform-{:016x}{:016x}",
        fastrand::u64(..),
        fastrand::u64(..)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two stacks deployed in the same millisecond get different change sets, in
    /// CloudFormation's form.
    #[test]
    fn change_set_names_are_unique_and_well_formed() {
        let names: Vec<String> = (0..100).map(|_| change_set_name()).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        for name in &names {
            assert!(name.len() <= 128, "{name}");
            assert!(
                name.starts_with(|c: char| c.is_ascii_alphabetic()),
                "{name}"
            );
            assert!(
                name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{name}"
            );
        }
    }

    /// Tokens are new per call and in the API's form.
    #[test]
    fn request_tokens_are_unique_and_well_formed() {
        let tokens: std::collections::HashSet<String> =
            (0..1000).map(|_| request_token()).collect();
        assert_eq!(tokens.len(), 1000);
        for token in &tokens {
            assert!((1..=128).contains(&token.len()), "{token}");
            assert!(
                token.starts_with(|c: char| c.is_ascii_alphabetic()),
                "{token}"
            );
            assert!(
                token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{token}"
            );
        }
    }

    fn change(action: &str, replacement: Option<&str>) -> PlannedChange {
        PlannedChange {
            action: action.into(),
            logical_id: "X".into(),
            resource_type: "AWS::EC2::Subnet".into(),
            replacement: replacement.map(str::to_string),
            recreated_by: Vec::new(),
        }
    }

    fn widened() -> SecurityChange {
        SecurityChange {
            broadening: true,
            sign: '+',
            resource: "Sg".into(),
            what: "ingress TCP 443 from 10.0.0.0/8".into(),
        }
    }

    #[test]
    fn approval_levels() {
        let add = [change("Add", None)];
        let replace = [change("Modify", Some("True"))];
        let remove = [change("Remove", None)];
        let narrowed = SecurityChange {
            broadening: false,
            ..widened()
        };
        use RequireApproval::*;
        assert_eq!(approval_reason(Broadening, &add, &[]), None);
        assert_eq!(
            approval_reason(Broadening, &add, std::slice::from_ref(&narrowed)),
            None
        );
        assert_eq!(
            approval_reason(Broadening, &add, &[widened()]).as_deref(),
            Some("the change set broadens access (1 security change(s) marked !)")
        );
        assert_eq!(
            approval_reason(Broadening, &replace, &[widened()]).as_deref(),
            Some(
                "the change set broadens access (1 security change(s) marked !) and replaces or \
                 removes 1 resource(s)"
            )
        );
        assert!(approval_reason(Broadening, &remove, &[]).is_some());
        assert!(approval_reason(AnyChange, &add, &[]).is_some());
        assert_eq!(approval_reason(Never, &replace, &[widened()]), None);
    }
}
