//! Deploy, diff and destroy: each stack through a change set, followed event by event.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudformation::types::{
    Capability, ChangeAction, ChangeSetStatus, ChangeSetType, OnStackFailure, Replacement,
    StackEvent, Tag, TemplateStage,
};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::diff::{StackDiff, diff_templates};
use crate::{DeployError, FailedResource, Ui};

/// CloudFormation's limit on `TemplateBody`, in bytes.
pub const MAX_TEMPLATE_BODY_BYTES: usize = 51_200;

/// A synthesized stack, as the deployer needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct StackTemplate {
    /// The CloudFormation stack name.
    pub name: String,
    /// The template, as sent (compact JSON).
    pub body: String,
    /// Stacks that must be deployed first (and destroyed after).
    pub depends_on: Vec<String>,
    /// Stack tags, propagated by CloudFormation to the resources that support them.
    pub tags: Vec<(String, String)>,
    /// Termination protection, set after each deploy when `Some`.
    pub termination_protection: Option<bool>,
    /// Capabilities acknowledged, e.g. `CAPABILITY_IAM`; none by default.
    pub capabilities: Vec<String>,
    /// Template parameter values (name, value). A parameter without a default that is not
    /// given keeps its previous value on an update, and stops a creation before it starts.
    pub parameters: Vec<(String, String)>,
}

impl StackTemplate {
    /// A stack with a name and a template body, no dependencies, tags or capabilities.
    ///
    /// ```
    /// let stack = vpcform_deploy::StackTemplate::new("Net", r#"{"Resources":{}}"#);
    /// assert!(stack.depends_on.is_empty());
    /// ```
    pub fn new(name: impl Into<String>, body: impl Into<String>) -> StackTemplate {
        StackTemplate {
            name: name.into(),
            body: body.into(),
            depends_on: Vec::new(),
            tags: Vec::new(),
            termination_protection: None,
            capabilities: Vec::new(),
            parameters: Vec::new(),
        }
    }

    /// The `Parameters` of a change set for this stack: the values given, the previous value
    /// on an update for a parameter without a default, the template's default otherwise.
    ///
    /// # Errors
    /// [`DeployError::UnknownParameter`] for a value the template has no parameter for;
    /// [`DeployError::MissingParameter`] when a new stack's parameter has neither a value nor
    /// a default.
    ///
    /// ```
    /// let mut stack = vpcform_deploy::StackTemplate::new(
    ///     "Net",
    ///     r#"{"Parameters":{"Vpc":{"Type":"AWS::EC2::VPC::Id"}},"Resources":{}}"#,
    /// );
    /// assert!(stack.change_set_parameters(true).is_err());
    /// stack.parameters.push(("Vpc".into(), "vpc-0a1b2c3d".into()));
    /// assert_eq!(stack.change_set_parameters(true)?.len(), 1);
    /// # Ok::<(), vpcform_deploy::DeployError>(())
    /// ```
    pub fn change_set_parameters(
        &self,
        creating: bool,
    ) -> Result<Vec<aws_sdk_cloudformation::types::Parameter>, DeployError> {
        use aws_sdk_cloudformation::types::Parameter;
        let template: serde_json::Value = serde_json::from_str(&self.body).unwrap_or_default();
        let declared = template
            .get("Parameters")
            .and_then(serde_json::Value::as_object);
        for (key, _) in &self.parameters {
            if !declared.is_some_and(|d| d.contains_key(key)) {
                let mut names: Vec<&str> = declared
                    .map(|d| d.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                names.sort_unstable();
                return Err(DeployError::UnknownParameter {
                    stack: self.name.clone(),
                    parameter: key.clone(),
                    declared: names.join(", "),
                });
            }
        }
        let mut out = Vec::new();
        for (key, definition) in declared.into_iter().flatten() {
            if let Some((_, value)) = self.parameters.iter().find(|(k, _)| k == key) {
                out.push(
                    Parameter::builder()
                        .parameter_key(key)
                        .parameter_value(value)
                        .build(),
                );
            } else if definition.get("Default").is_none() {
                if creating {
                    return Err(DeployError::MissingParameter {
                        stack: self.name.clone(),
                        parameter: key.clone(),
                    });
                }
                out.push(
                    Parameter::builder()
                        .parameter_key(key)
                        .use_previous_value(true)
                        .build(),
                );
            }
        }
        Ok(out)
    }
}

/// How a deploy behaves.
#[derive(Clone, Debug)]
pub struct DeployOptions {
    /// Deploy replacements and removals without asking.
    pub yes: bool,
    /// Create and show change sets, but do not execute them.
    pub no_execute: bool,
    /// How many independent stacks deploy at once.
    pub concurrency: usize,
    /// How often to poll CloudFormation while following a stack.
    pub poll_interval: Duration,
}

impl Default for DeployOptions {
    /// Asks before replacing, executes, 4 stacks at once, polls every 2 s (the SDK's waiters
    /// poll every 30 s: too slow for a person watching).
    fn default() -> Self {
        DeployOptions {
            yes: false,
            no_execute: false,
            concurrency: 4,
            poll_interval: Duration::from_secs(2),
        }
    }
}

/// What happened to a stack.
#[derive(Clone, Debug, PartialEq)]
pub enum StackOutcome {
    /// The template matched what is deployed; the empty change set was deleted.
    NoChanges,
    /// Deployed: how long CloudFormation took, and the stack's outputs.
    Deployed {
        /// From execution to a final state.
        duration: Duration,
        /// The outputs, `(key, value)`.
        outputs: Vec<(String, String)>,
    },
    /// `--no-execute`: the change set left for review.
    ChangeSetCreated {
        /// The change set's name.
        change_set: String,
    },
    /// Destroyed, or not deployed in the first place.
    Destroyed,
}

/// Deploys, diffs and destroys stacks with a CloudFormation client.
///
/// ```no_run
/// use std::sync::Arc;
/// use vpcform_deploy::{DeployOptions, Deployer, StackTemplate, TerminalUi};
///
/// # async fn demo() -> Result<(), vpcform_deploy::DeployError> {
/// let deployer = Deployer::from_env(Arc::new(TerminalUi::new()), DeployOptions::default()).await;
/// let stacks = [StackTemplate::new("Net", r#"{"Resources":{}}"#)];
/// deployer.deploy(&stacks, &[]).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Deployer {
    client: Client,
    ui: Arc<dyn Ui>,
    options: DeployOptions,
    interrupted: watch::Receiver<bool>,
    interrupt: Arc<watch::Sender<bool>>,
}

impl Deployer {
    /// A deployer with a client built from the standard AWS configuration chain
    /// (`AWS_PROFILE`, `AWS_REGION`, `AWS_ENDPOINT_URL[_CLOUDFORMATION]`, …), with standard
    /// retries raised to 10 attempts: CloudFormation throttles bursts of describe calls.
    ///
    /// ```no_run
    /// # async fn demo() {
    /// let ui = std::sync::Arc::new(vpcform_deploy::TerminalUi::new());
    /// let deployer = vpcform_deploy::Deployer::from_env(ui, Default::default()).await;
    /// # }
    /// ```
    pub async fn from_env(ui: Arc<dyn Ui>, options: DeployOptions) -> Deployer {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(10))
            .load()
            .await;
        Deployer::new(Client::new(&config), ui, options)
    }

    /// A deployer with a given client (tests give one backed by mocks or an emulator).
    ///
    /// ```no_run
    /// # fn demo(client: aws_sdk_cloudformation::Client) {
    /// let ui = std::sync::Arc::new(vpcform_deploy::RecordingUi::answering(None));
    /// let deployer = vpcform_deploy::Deployer::new(client, ui, Default::default());
    /// # }
    /// ```
    pub fn new(client: Client, ui: Arc<dyn Ui>, options: DeployOptions) -> Deployer {
        let (interrupt, interrupted) = watch::channel(false);
        Deployer {
            client,
            ui,
            options,
            interrupted,
            interrupt: Arc::new(interrupt),
        }
    }

    /// Stops following stacks, as Ctrl-C does: change sets not yet executed are deleted; stacks
    /// CloudFormation is working on are reported and left to it.
    ///
    /// ```no_run
    /// # fn demo(deployer: &vpcform_deploy::Deployer) {
    /// deployer.interrupt();
    /// # }
    /// ```
    pub fn interrupt(&self) {
        let _ = self.interrupt.send(true);
    }

    /// Interrupts on Ctrl-C from now on.
    ///
    /// ```no_run
    /// # fn demo(deployer: &vpcform_deploy::Deployer) {
    /// deployer.interrupt_on_ctrl_c();
    /// # }
    /// ```
    pub fn interrupt_on_ctrl_c(&self) {
        let interrupt = self.interrupt.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = interrupt.send(true);
            }
        });
    }

    fn is_interrupted(&self) -> bool {
        *self.interrupted.borrow()
    }

    /// Sleeps one polling interval; `true` when interrupted meanwhile.
    async fn pause(&self) -> bool {
        let mut interrupted = self.interrupted.clone();
        if *interrupted.borrow() {
            return true;
        }
        tokio::select! {
            _ = tokio::time::sleep(self.options.poll_interval) => self.is_interrupted(),
            _ = interrupted.wait_for(|i| *i) => true,
        }
    }

    /// Deploys `stacks` (those named in `only`, or all) in dependency order, independent stacks
    /// concurrently. A stack whose dependency fails is skipped.
    ///
    /// # Errors
    /// The first error, after every started stack has finished; later stacks' errors are
    /// reported through the UI.
    pub async fn deploy(
        &self,
        stacks: &[StackTemplate],
        only: &[String],
    ) -> Result<Vec<(String, StackOutcome)>, DeployError> {
        let selected = select(stacks, only)?;
        let order = selected.clone();
        self.run_in_order(order, false, |deployer, stack| async move {
            deployer.deploy_stack(&stack).await
        })
        .await
    }

    /// Destroys `stacks` (those named in `only`, or all) in reverse dependency order, after one
    /// confirmation unless `yes`.
    ///
    /// # Errors
    /// [`DeployError::ConfirmationRequired`] without a terminal and without `yes`; otherwise as
    /// [`Deployer::deploy`].
    pub async fn destroy(
        &self,
        stacks: &[StackTemplate],
        only: &[String],
    ) -> Result<Vec<(String, StackOutcome)>, DeployError> {
        let selected = select(stacks, only)?;
        let names: Vec<&str> = selected.iter().map(|s| s.name.as_str()).collect();
        if !self.options.yes {
            let question = format!("destroy {} and every resource in them?", names.join(", "));
            match self.ui.confirm(&names.join(","), &question) {
                Some(true) => {}
                Some(false) => {
                    return Err(DeployError::DestroyDeclined {
                        stack: names.join(","),
                    });
                }
                None => {
                    return Err(DeployError::ConfirmationRequired {
                        stack: names.join(","),
                    });
                }
            }
        }
        self.run_in_order(selected, true, |deployer, stack| async move {
            deployer.destroy_stack(&stack.name).await
        })
        .await
    }

    /// Compares each stack's deployed template with its local one.
    ///
    /// # Errors
    /// An API error, or a deployed template that is not JSON.
    pub async fn diff(
        &self,
        stacks: &[StackTemplate],
        only: &[String],
    ) -> Result<Vec<StackDiff>, DeployError> {
        let mut diffs = Vec::new();
        for stack in select(stacks, only)? {
            let local: serde_json::Value =
                serde_json::from_str(&stack.body).map_err(|e| DeployError::TemplateNotJson {
                    stack: stack.name.clone(),
                    reason: format!("local template: {e}"),
                })?;
            let deployed = self.deployed_template(&stack.name).await?;
            diffs.push(diff_templates(&stack.name, deployed.as_ref(), &local));
        }
        Ok(diffs)
    }

    async fn deployed_template(
        &self,
        stack: &str,
    ) -> Result<Option<serde_json::Value>, DeployError> {
        let result = self
            .client
            .get_template()
            .stack_name(stack)
            .template_stage(TemplateStage::Original)
            .send()
            .await;
        let output = match result {
            Ok(output) => output,
            Err(e) if does_not_exist(&e) => return Ok(None),
            Err(e) => return Err(aws(stack, "GetTemplate", e)),
        };
        let body = output.template_body().unwrap_or("{}");
        serde_json::from_str(body)
            .map(Some)
            .map_err(|e| DeployError::TemplateNotJson {
                stack: stack.to_string(),
                reason: e.to_string(),
            })
    }

    /// Runs `action` on each stack once its dependencies (or, in `reverse`, its dependents) in
    /// `stacks` have succeeded, at most `concurrency` at once.
    async fn run_in_order<F, Fut>(
        &self,
        stacks: Vec<StackTemplate>,
        reverse: bool,
        action: F,
    ) -> Result<Vec<(String, StackOutcome)>, DeployError>
    where
        F: Fn(Deployer, StackTemplate) -> Fut,
        Fut: std::future::Future<Output = Result<StackOutcome, DeployError>> + Send + 'static,
    {
        let names: Vec<String> = stacks.iter().map(|s| s.name.clone()).collect();
        // What must finish before each stack starts, among the selected stacks.
        let waits_for: Vec<Vec<String>> = stacks
            .iter()
            .map(|stack| {
                if reverse {
                    stacks
                        .iter()
                        .filter(|other| other.depends_on.contains(&stack.name))
                        .map(|other| other.name.clone())
                        .collect()
                } else {
                    stack
                        .depends_on
                        .iter()
                        .filter(|d| names.contains(d))
                        .cloned()
                        .collect()
                }
            })
            .collect();
        let mut pending: Vec<usize> = (0..stacks.len()).collect();
        let mut succeeded: Vec<String> = Vec::new();
        let mut failed: Vec<String> = Vec::new();
        let mut outcomes = Vec::new();
        let mut first_error: Option<DeployError> = None;
        let mut running: JoinSet<(String, Result<StackOutcome, DeployError>)> = JoinSet::new();
        loop {
            // Skip stacks whose dependencies failed; start those that are ready.
            let mut i = 0;
            while i < pending.len() {
                let index = pending[i];
                let stack = &stacks[index];
                if let Some(dependency) = waits_for[index].iter().find(|d| failed.contains(d)) {
                    let error = DeployError::Skipped {
                        stack: stack.name.clone(),
                        dependency: dependency.clone(),
                    };
                    self.ui.line(
                        &stack.name,
                        &format!("skipped: {dependency} did not complete"),
                    );
                    failed.push(stack.name.clone());
                    first_error.get_or_insert(error);
                    pending.remove(i);
                    continue;
                }
                let ready = waits_for[index].iter().all(|d| succeeded.contains(d));
                if ready
                    && running.len() < self.options.concurrency.max(1)
                    && !self.is_interrupted()
                {
                    let name = stack.name.clone();
                    let future = action(self.clone(), stack.clone());
                    running.spawn(async move { (name, future.await) });
                    pending.remove(i);
                    continue;
                }
                i += 1;
            }
            let Some(joined) = running.join_next().await else {
                break;
            };
            match joined {
                Ok((name, Ok(outcome))) => {
                    succeeded.push(name.clone());
                    outcomes.push((name, outcome));
                }
                Ok((name, Err(error))) => {
                    failed.push(name.clone());
                    // The first error is returned for the caller to report; later ones are
                    // reported here so that none is lost.
                    match first_error {
                        None => first_error = Some(error),
                        Some(_) => self.ui.line(&name, &format!("error: {error}")),
                    }
                }
                Err(join_error) => {
                    first_error.get_or_insert(DeployError::Aws {
                        stack: "?".into(),
                        operation: "task",
                        code: "Panic".into(),
                        message: join_error.to_string(),
                    });
                }
            }
        }
        if let Some(&index) = pending.first() {
            // Interrupted before these started.
            first_error.get_or_insert(DeployError::InterruptedBeforeExecution {
                stack: stacks[index].name.clone(),
            });
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(outcomes),
        }
    }

    /// A deployed stack's outputs, `(key, value)` in CloudFormation's order; `None` when the
    /// stack does not exist.
    ///
    /// ```no_run
    /// # use std::sync::Arc;
    /// # use vpcform_deploy::{DeployOptions, Deployer, TerminalUi};
    /// # async fn demo() -> Result<(), vpcform_deploy::DeployError> {
    /// let deployer = Deployer::from_env(Arc::new(TerminalUi::new()), DeployOptions::default()).await;
    /// if let Some(outputs) = deployer.outputs("Provider").await? {
    ///     for (key, value) in outputs {
    ///         println!("{key} = {value}");
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn outputs(&self, stack: &str) -> Result<Option<Vec<(String, String)>>, DeployError> {
        Ok(self.stack_status(stack).await?.map(|s| s.outputs))
    }

    /// Deploys one stack through a change set.
    ///
    /// # Errors
    /// See [`DeployError`]: every path that stops early says what state it left.
    pub async fn deploy_stack(&self, stack: &StackTemplate) -> Result<StackOutcome, DeployError> {
        let name = stack.name.as_str();
        if stack.body.len() > MAX_TEMPLATE_BODY_BYTES {
            return Err(DeployError::TemplateTooLarge {
                stack: name.to_string(),
                bytes: stack.body.len(),
            });
        }
        let change_set_type = self.prepare(name).await?;
        let change_set = change_set_name();
        let mut request = self
            .client
            .create_change_set()
            .stack_name(name)
            .change_set_name(&change_set)
            .template_body(&stack.body)
            .change_set_type(change_set_type.clone())
            .description("Created by vpcform");
        if change_set_type == ChangeSetType::Create {
            // A failed creation leaves nothing behind, instead of a ROLLBACK_COMPLETE stack.
            request = request.on_stack_failure(OnStackFailure::Delete);
        }
        for (key, value) in &stack.tags {
            request = request.tags(Tag::builder().key(key).value(value).build());
        }
        for capability in &stack.capabilities {
            request = request.capabilities(Capability::from(capability.as_str()));
        }
        for parameter in stack.change_set_parameters(change_set_type == ChangeSetType::Create)? {
            request = request.parameters(parameter);
        }
        let created = request
            .send()
            .await
            .map_err(|e| aws(name, "CreateChangeSet", e))?;
        let stack_id = created.stack_id().unwrap_or(name).to_string();
        let creating = change_set_type == ChangeSetType::Create;

        let changes = match self.wait_for_change_set(name, &change_set).await {
            Ok(changes) => changes,
            Err(WaitError::NoChanges) => {
                self.ui.line(name, "no changes");
                self.discard(name, &change_set, creating).await;
                self.set_termination_protection(stack).await?;
                return Ok(StackOutcome::NoChanges);
            }
            Err(WaitError::Interrupted) => {
                self.discard(name, &change_set, creating).await;
                return Err(DeployError::InterruptedBeforeExecution {
                    stack: name.to_string(),
                });
            }
            Err(WaitError::Failed(error)) => {
                self.discard(name, &change_set, creating).await;
                return Err(error);
            }
        };
        self.ui.line(
            name,
            &format!(
                "change set {change_set} ({}):",
                if creating { "create" } else { "update" }
            ),
        );
        for change in &changes {
            self.ui.line(name, &format!("  {change}"));
        }
        if self.options.no_execute {
            self.ui.line(
                name,
                &format!("change set {change_set} left for review (--no-execute)"),
            );
            return Ok(StackOutcome::ChangeSetCreated { change_set });
        }
        let risky: Vec<&PlannedChange> = changes.iter().filter(|c| c.is_risky()).collect();
        if !risky.is_empty() && !self.options.yes {
            let question = format!(
                "{} change(s) replace or remove resources; deploy?",
                risky.len()
            );
            match self.ui.confirm(name, &question) {
                Some(true) => {}
                answer => {
                    self.discard(name, &change_set, creating).await;
                    return Err(match answer {
                        Some(_) => DeployError::Declined {
                            stack: name.to_string(),
                        },
                        None => DeployError::ConfirmationRequired {
                            stack: name.to_string(),
                        },
                    });
                }
            }
        }
        if self.is_interrupted() {
            self.discard(name, &change_set, creating).await;
            return Err(DeployError::InterruptedBeforeExecution {
                stack: name.to_string(),
            });
        }

        let started = Instant::now();
        let since = aws_smithy_types_now();
        self.client
            .execute_change_set()
            .stack_name(name)
            .change_set_name(&change_set)
            .send()
            .await
            .map_err(|e| aws(name, "ExecuteChangeSet", e))?;
        self.ui.line(name, "executing");
        let operation = if creating { "create" } else { "update" };
        let status = self
            .follow(name, &stack_id, since, changes.len() as u64, operation)
            .await?;
        let duration = started.elapsed();
        let outputs = status.outputs;
        self.ui.line(
            name,
            &format!("{} in {:.1}s", status.status, duration.as_secs_f64()),
        );
        for (key, value) in &outputs {
            self.ui.line(name, &format!("  {key} = {value}"));
        }
        self.set_termination_protection(stack).await?;
        Ok(StackOutcome::Deployed { duration, outputs })
    }

    /// Finds the change set type for a stack, recovering from an earlier failed attempt.
    async fn prepare(&self, name: &str) -> Result<ChangeSetType, DeployError> {
        let Some(status) = self.stack_status(name).await? else {
            return Ok(ChangeSetType::Create);
        };
        match status.status.as_str() {
            "REVIEW_IN_PROGRESS" => {
                self.ui.line(
                    name,
                    "found REVIEW_IN_PROGRESS (a change set never executed): creating it anew",
                );
                Ok(ChangeSetType::Create)
            }
            "ROLLBACK_COMPLETE" => {
                self.ui.line(
                    name,
                    "found ROLLBACK_COMPLETE (an earlier creation failed; it cannot be updated): \
                     deleting the empty stack, then creating it",
                );
                self.delete_and_wait(name, "delete").await?;
                Ok(ChangeSetType::Create)
            }
            s if s.ends_with("_IN_PROGRESS") => Err(DeployError::StackBusy {
                stack: name.to_string(),
                status: s.to_string(),
            }),
            _ => Ok(ChangeSetType::Update),
        }
    }

    /// Polls the change set until it is ready, paginating its changes.
    async fn wait_for_change_set(
        &self,
        name: &str,
        change_set: &str,
    ) -> Result<Vec<PlannedChange>, WaitError> {
        loop {
            let mut changes = Vec::new();
            let mut token: Option<String> = None;
            let mut status;
            loop {
                let page = self
                    .client
                    .describe_change_set()
                    .stack_name(name)
                    .change_set_name(change_set)
                    .set_next_token(token.clone())
                    .send()
                    .await
                    .map_err(|e| WaitError::Failed(aws(name, "DescribeChangeSet", e)))?;
                status = page.status().cloned();
                let reason = page.status_reason().unwrap_or_default().to_string();
                match &status {
                    Some(ChangeSetStatus::Failed) => {
                        // CloudFormation's wording for an empty change set (both forms are in use).
                        return Err(
                            if reason.contains("didn't contain changes")
                                || reason.contains("No updates are to be performed")
                            {
                                WaitError::NoChanges
                            } else {
                                WaitError::Failed(DeployError::ChangeSetFailed {
                                    stack: name.to_string(),
                                    reason,
                                })
                            },
                        );
                    }
                    Some(ChangeSetStatus::CreateComplete) => {}
                    _ => break,
                }
                changes.extend(page.changes().iter().filter_map(PlannedChange::from_sdk));
                token = page.next_token().map(str::to_string);
                if token.is_none() {
                    return Ok(changes);
                }
            }
            if self.pause().await {
                return Err(WaitError::Interrupted);
            }
        }
    }

    /// Deletes a change set not executed, and the empty stack a CREATE change set made.
    async fn discard(&self, name: &str, change_set: &str, created_stack: bool) {
        let deleted = self
            .client
            .delete_change_set()
            .stack_name(name)
            .change_set_name(change_set)
            .send()
            .await;
        if let Err(e) = deleted {
            self.ui.line(
                name,
                &format!(
                    "could not delete change set {change_set}: {}",
                    aws(name, "DeleteChangeSet", e)
                ),
            );
        }
        if created_stack
            && let Ok(Some(status)) = self.stack_status(name).await
            && status.status == "REVIEW_IN_PROGRESS"
        {
            let _ = self.client.delete_stack().stack_name(name).send().await;
        }
    }

    async fn set_termination_protection(&self, stack: &StackTemplate) -> Result<(), DeployError> {
        let Some(enable) = stack.termination_protection else {
            return Ok(());
        };
        self.client
            .update_termination_protection()
            .stack_name(&stack.name)
            .enable_termination_protection(enable)
            .send()
            .await
            .map_err(|e| aws(&stack.name, "UpdateTerminationProtection", e))?;
        Ok(())
    }

    /// Destroys one stack.
    ///
    /// # Errors
    /// [`DeployError::TerminationProtected`], or the deletion's failure with its first failed
    /// resource.
    pub async fn destroy_stack(&self, name: &str) -> Result<StackOutcome, DeployError> {
        let Some(status) = self.stack_status(name).await? else {
            self.ui.line(name, "not deployed; nothing to destroy");
            return Ok(StackOutcome::Destroyed);
        };
        if status.termination_protection {
            return Err(DeployError::TerminationProtected {
                stack: name.to_string(),
            });
        }
        if status.status.ends_with("_IN_PROGRESS") && status.status != "REVIEW_IN_PROGRESS" {
            return Err(DeployError::StackBusy {
                stack: name.to_string(),
                status: status.status,
            });
        }
        self.delete_and_wait(name, "delete").await?;
        self.ui.line(name, "destroyed");
        Ok(StackOutcome::Destroyed)
    }

    async fn delete_and_wait(
        &self,
        name: &str,
        operation: &'static str,
    ) -> Result<(), DeployError> {
        let stack_id = self
            .stack_status(name)
            .await?
            .map(|s| s.stack_id)
            .unwrap_or_else(|| name.to_string());
        let since = aws_smithy_types_now();
        self.client
            .delete_stack()
            .stack_name(name)
            .send()
            .await
            .map_err(|e| aws(name, "DeleteStack", e))?;
        let total = self.resource_count(name).await;
        self.follow(name, &stack_id, since, total, operation)
            .await?;
        Ok(())
    }

    async fn resource_count(&self, name: &str) -> u64 {
        self.client
            .list_stack_resources()
            .stack_name(name)
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await
            .len() as u64
    }

    /// Follows a stack until it settles: prints each new event once, advances the progress bar,
    /// and diagnoses a failure from the first failed resource.
    async fn follow(
        &self,
        name: &str,
        stack_id: &str,
        since: aws_sdk_cloudformation::primitives::DateTime,
        total: u64,
        operation: &'static str,
    ) -> Result<Settled, DeployError> {
        self.ui.progress_start(name, total);
        let mut seen: HashSet<String> = HashSet::new();
        let mut settled_resources: HashSet<String> = HashSet::new();
        let mut first_failure: Option<FailedResource> = None;
        let result = loop {
            let events = self.new_events(name, stack_id, &since, &seen).await?;
            for event in &events {
                seen.insert(event.event_id().unwrap_or_default().to_string());
                let logical = event.logical_resource_id().unwrap_or_default();
                let status = event
                    .resource_status()
                    .map(|s| s.as_str())
                    .unwrap_or_default();
                let reason = event.resource_status_reason().unwrap_or_default();
                let kind = event.resource_type().unwrap_or_default();
                self.ui.line(
                    name,
                    &format!(
                        "{status:<20} {kind:<45} {logical}{}",
                        if reason.is_empty() {
                            String::new()
                        } else {
                            format!(" — {reason}")
                        }
                    ),
                );
                let is_stack = kind == "AWS::CloudFormation::Stack";
                if !is_stack
                    && (status.ends_with("_COMPLETE")
                        || status.ends_with("_FAILED")
                        || status.ends_with("_SKIPPED"))
                {
                    settled_resources.insert(logical.to_string());
                }
                if !is_stack && status.ends_with("_FAILED") && first_failure.is_none() {
                    first_failure = Some(FailedResource {
                        logical_id: logical.to_string(),
                        resource_type: kind.to_string(),
                        status: status.to_string(),
                        reason: reason.to_string(),
                    });
                }
            }
            self.ui.progress_set(name, settled_resources.len() as u64);
            match self.stack_status(stack_id).await? {
                None => {
                    // Gone: deleted as asked, or by OnStackFailure=DELETE after a failed create.
                    break if operation == "delete" {
                        Ok(Settled {
                            status: "DELETE_COMPLETE".into(),
                            outputs: Vec::new(),
                        })
                    } else {
                        Err(DeployError::StackFailed {
                            stack: name.to_string(),
                            operation,
                            status: "deleted after the failed creation (OnStackFailure=DELETE)"
                                .into(),
                            cause: first_failure.clone().map(Box::new),
                        })
                    };
                }
                Some(status) if status.status.ends_with("_IN_PROGRESS") => {}
                Some(status) => {
                    // Success is the operation's own *_COMPLETE: a creation that ends in
                    // DELETE_COMPLETE was rolled back and deleted (OnStackFailure=DELETE; a
                    // stack ID stays describable after deletion).
                    let ok = status.status == format!("{}_COMPLETE", operation.to_uppercase());
                    break if ok {
                        Ok(Settled {
                            status: status.status,
                            outputs: status.outputs,
                        })
                    } else {
                        Err(DeployError::StackFailed {
                            stack: name.to_string(),
                            operation,
                            status: status.status,
                            cause: first_failure.clone().map(Box::new),
                        })
                    };
                }
            }
            if self.pause().await {
                let status = self
                    .stack_status(stack_id)
                    .await
                    .ok()
                    .flatten()
                    .map(|s| s.status)
                    .unwrap_or_else(|| "unknown".into());
                break Err(DeployError::Interrupted {
                    stack: name.to_string(),
                    status,
                });
            }
        };
        if result.is_ok() {
            self.ui.progress_set(name, total);
        }
        self.ui.progress_finish(name);
        result
    }

    /// Events newer than `since` not yet seen, oldest first. Events come newest first, a page
    /// at a time: paging stops at the first event already seen or older than `since`.
    async fn new_events(
        &self,
        name: &str,
        stack_id: &str,
        since: &aws_sdk_cloudformation::primitives::DateTime,
        seen: &HashSet<String>,
    ) -> Result<Vec<StackEvent>, DeployError> {
        let mut fresh = Vec::new();
        let mut token: Option<String> = None;
        'pages: loop {
            let page = match self
                .client
                .describe_stack_events()
                .stack_name(stack_id)
                .set_next_token(token.clone())
                .send()
                .await
            {
                Ok(page) => page,
                Err(e) if does_not_exist(&e) => break,
                Err(e) => return Err(aws(name, "DescribeStackEvents", e)),
            };
            for event in page.stack_events() {
                let old = event.timestamp().is_some_and(|t| t.secs() < since.secs());
                if old || event.event_id().is_some_and(|id| seen.contains(id)) {
                    break 'pages;
                }
                fresh.push(event.clone());
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        fresh.reverse();
        Ok(fresh)
    }

    async fn stack_status(&self, name: &str) -> Result<Option<StackStatusInfo>, DeployError> {
        match self.client.describe_stacks().stack_name(name).send().await {
            Ok(output) => Ok(output.stacks().first().map(|stack| StackStatusInfo {
                stack_id: stack.stack_id().unwrap_or(name).to_string(),
                status: stack
                    .stack_status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                termination_protection: stack.enable_termination_protection().unwrap_or(false),
                outputs: stack
                    .outputs()
                    .iter()
                    .map(|o| {
                        (
                            o.output_key().unwrap_or_default().to_string(),
                            o.output_value().unwrap_or_default().to_string(),
                        )
                    })
                    .collect(),
            })),
            Err(e) if does_not_exist(&e) => Ok(None),
            Err(e) => Err(aws(name, "DescribeStacks", e)),
        }
    }
}

struct StackStatusInfo {
    stack_id: String,
    status: String,
    termination_protection: bool,
    outputs: Vec<(String, String)>,
}

struct Settled {
    status: String,
    outputs: Vec<(String, String)>,
}

enum WaitError {
    NoChanges,
    Interrupted,
    Failed(DeployError),
}

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
}

impl PlannedChange {
    fn from_sdk(change: &aws_sdk_cloudformation::types::Change) -> Option<PlannedChange> {
        let rc = change.resource_change()?;
        Some(PlannedChange {
            action: rc
                .action()
                .map(|a| a.as_str().to_string())
                .unwrap_or_default(),
            logical_id: rc.logical_resource_id().unwrap_or_default().to_string(),
            resource_type: rc.resource_type().unwrap_or_default().to_string(),
            replacement: rc.replacement().map(|r| r.as_str().to_string()),
        })
    }

    /// Whether the change replaces (certainly or possibly) or removes a resource.
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
        match self.replacement.as_deref() {
            Some("True") => write!(f, " (replacement)"),
            Some("Conditional") => write!(f, " (may be replaced)"),
            _ => Ok(()),
        }
    }
}

/// The stacks named in `only` (all when empty), in the given (dependency) order.
fn select(stacks: &[StackTemplate], only: &[String]) -> Result<Vec<StackTemplate>, DeployError> {
    if let Some(unknown) = only.iter().find(|n| !stacks.iter().any(|s| &s.name == *n)) {
        return Err(DeployError::UnknownStack(unknown.clone()));
    }
    Ok(stacks
        .iter()
        .filter(|s| only.is_empty() || only.contains(&s.name))
        .cloned()
        .collect())
}

/// CloudFormation answers `ValidationError` "Stack with id X does not exist" for a missing stack.
fn does_not_exist<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> bool {
    error.code() == Some("ValidationError")
        && error
            .message()
            .is_some_and(|m| m.contains("does not exist"))
}

fn aws<E: ProvideErrorMetadata + std::error::Error + 'static, R: std::fmt::Debug>(
    stack: &str,
    operation: &'static str,
    error: SdkError<E, R>,
) -> DeployError {
    DeployError::Aws {
        stack: stack.to_string(),
        operation,
        code: error.code().unwrap_or("Unknown").to_string(),
        message: error.message().map(str::to_string).unwrap_or_else(|| {
            aws_sdk_cloudformation::error::DisplayErrorContext(&error).to_string()
        }),
    }
}

/// A change set name no other of this process's shares: the time in milliseconds and a
/// process-wide sequence number (two stacks in the same millisecond got the same name before).
/// CloudFormation: `[a-zA-Z][-a-zA-Z0-9]*`, at most 128 characters.
fn change_set_name() -> String {
    static SEQUENCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("vpcform-{}-{n}", unix_millis())
}

fn unix_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}

/// Now, a second early: event timestamps have second precision and clocks differ slightly.
fn aws_smithy_types_now() -> aws_sdk_cloudformation::primitives::DateTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    aws_sdk_cloudformation::primitives::DateTime::from_secs(secs - 1)
}

#[cfg(test)]
mod tests {
    /// Two stacks deployed in the same millisecond get different change sets, in
    /// CloudFormation's form.
    #[test]
    fn change_set_names_are_unique_and_well_formed() {
        let names: Vec<String> = (0..100).map(|_| super::change_set_name()).collect();
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
}
