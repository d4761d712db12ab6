//! The deployer: its options, its verbs (deploy, destroy, diff, outputs), interrupts, prompts,
//! and the run that schedules stacks and reports each one exactly once.
//!
//! One stack's deploy is in `change_set.rs`; following a stack in `follow.rs`; calling AWS in
//! `calls.rs`; the order in `schedule.rs`.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::TemplateStage;
use tokio::sync::{Mutex, watch};
use tokio::task::JoinSet;

use crate::calls::{STACK, aws, does_not_exist};
use crate::diff::{StackDiff, diff_templates};
use crate::environment::{Connected, Connections};
use crate::schedule::{Schedule, select_for_deploy, select_for_destroy};
use crate::ui::{Stream, write_out};
use crate::{Connect, Connection, Environment, SdkConnect};
use crate::{DeployError, S3Access, StackTemplate, Ui};
use aws_smithy_runtime_api::client::http::SharedHttpConnector;

/// When a deploy stops to ask (CDK's `--require-approval`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RequireApproval {
    /// Never ask: for pipelines whose review happened elsewhere.
    Never,
    /// Ask before any change.
    AnyChange,
    /// Ask before a change that broadens access (see [`crate::security_changes`]) or that
    /// replaces or removes resources. The default, as CDK's.
    #[default]
    Broadening,
}

impl std::str::FromStr for RequireApproval {
    type Err = String;

    /// `never`, `any-change` or `broadening`.
    ///
    /// ```
    /// use vpcform_deploy::RequireApproval;
    /// assert_eq!("any-change".parse::<RequireApproval>(), Ok(RequireApproval::AnyChange));
    /// assert!("sometimes".parse::<RequireApproval>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "never" => Ok(RequireApproval::Never),
            "any-change" => Ok(RequireApproval::AnyChange),
            "broadening" => Ok(RequireApproval::Broadening),
            other => Err(format!(
                "--require-approval {other:?}: expected never, any-change or broadening"
            )),
        }
    }
}

/// How a deploy behaves.
#[derive(Clone, Debug)]
pub struct DeployOptions {
    /// Answer yes to every question (approvals, destroy).
    pub yes: bool,
    /// When to ask. Default: [`RequireApproval::Broadening`].
    pub require_approval: RequireApproval,
    /// Create and show change sets, but do not execute them.
    pub no_execute: bool,
    /// Only the stacks named: not what they depend on (deploy), not what depends on them
    /// (destroy refuses instead when such a stack is deployed).
    pub exclusively: bool,
    /// How many independent stacks deploy at once.
    pub concurrency: usize,
    /// How often to poll CloudFormation while following a stack.
    pub poll_interval: Duration,
    /// Stop following a stack after this long (CloudFormation carries on); `None`: wait.
    pub timeout: Option<Duration>,
    /// The S3 bucket templates over 51,200 bytes are uploaded to; `None`: the bootstrap
    /// stack's (created once per account and region).
    pub template_bucket: Option<String>,
    /// A change set another run left unexecuted (still executable, or still being made) is
    /// deleted when it is older than this; a younger one stops the stack's deploy
    /// ([`DeployError::ChangeSetPending`]): another deploy may be reviewing it. Default: one
    /// hour.
    pub stale_change_set_age: Duration,
    /// Delete the change sets other runs left unexecuted whatever their age.
    pub discard_pending: bool,
    /// A failed create or update keeps what it made and stays `CREATE_FAILED` /
    /// `UPDATE_FAILED` (`ExecuteChangeSet` `DisableRollback`; `OnStackFailure=DO_NOTHING` for
    /// a creation), to fix and deploy again or roll back with [`Deployer::rollback`].
    pub no_rollback: bool,
    /// Update change sets are drift-aware (`DeploymentMode: REVERT_DRIFT`): executing one puts
    /// properties changed outside CloudFormation back to the template's values.
    pub revert_drift: bool,
}

impl Default for DeployOptions {
    /// Asks before broadening, replacing or removing; executes; 4 stacks at once; polls every
    /// 2 s (the SDK's waiters poll every 30 s: too slow for a person watching); no timeout;
    /// another run's change set is stale after an hour.
    fn default() -> Self {
        DeployOptions {
            yes: false,
            require_approval: RequireApproval::default(),
            no_execute: false,
            exclusively: false,
            concurrency: 4,
            poll_interval: Duration::from_secs(2),
            timeout: None,
            template_bucket: None,
            stale_change_set_age: Duration::from_secs(60 * 60),
            discard_pending: false,
            no_rollback: false,
            revert_drift: false,
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
    /// `--no-execute` on a stack set: the plan was shown, nothing changed (stack sets have no
    /// change sets to leave for review).
    NotExecuted,
    /// A stack set created or updated, with its instances.
    StackSetDeployed {
        /// Instances the set has after the deploy (one per account and region).
        instances: usize,
        /// Instances that failed within the failure tolerance, with AWS's reasons.
        failed: Vec<crate::InstanceFailure>,
    },
    /// Rolled back ([`Deployer::rollback`]): the stack's final status, and how long it took.
    RolledBack {
        /// `UPDATE_ROLLBACK_COMPLETE`, `ROLLBACK_COMPLETE`, or gone (a stack without a stable
        /// state is deleted).
        status: String,
        /// From the call to a final state.
        duration: Duration,
    },
    /// A step (an acceptance the deployer makes itself) done: what it did, and its outputs.
    Step {
        /// What was done, e.g. `accepted attachment tgw-attach-…: available after 40 s`.
        done: String,
        /// The outputs later stacks may import, `(key, value)`.
        outputs: Vec<(String, String)>,
    },
}

impl std::fmt::Display for StackOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StackOutcome::NoChanges => f.write_str("no changes"),
            StackOutcome::Deployed { duration, .. } => {
                write!(f, "deployed in {}", crate::error::human_duration(*duration))
            }
            StackOutcome::ChangeSetCreated { change_set } => write!(
                f,
                "change set {change_set} created, not executed (run deploy <stack> \
                 --change-set {change_set} to execute it)"
            ),
            StackOutcome::Destroyed => f.write_str("destroyed"),
            StackOutcome::NotExecuted => f.write_str(
                "planned, not executed (--no-execute): a stack set has no change set to keep; \
                 deploy without --no-execute to roll it out",
            ),
            StackOutcome::Step { done, .. } => f.write_str(done),
            StackOutcome::RolledBack { status, duration } => write!(
                f,
                "rolled back in {}: {status}",
                crate::error::human_duration(*duration)
            ),
            StackOutcome::StackSetDeployed { instances, failed } if failed.is_empty() => {
                write!(f, "stack set deployed: {instances} instances")
            }
            StackOutcome::StackSetDeployed { instances, failed } => write!(
                f,
                "stack set deployed: {instances} instances; {} failed within the failure \
                 tolerance: {}",
                failed.len(),
                failed
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        }
    }
}

/// Every stack an operation selected, exactly once, with its final state, in the order the
/// operation planned them.
#[derive(Debug)]
pub struct Report {
    /// `(stack, outcome or error)`.
    pub stacks: Vec<(String, Result<StackOutcome, DeployError>)>,
}

impl Report {
    /// Whether every stack succeeded.
    ///
    /// ```
    /// let report = vpcform_deploy::Report { stacks: vec![] };
    /// assert!(report.succeeded());
    /// ```
    pub fn succeeded(&self) -> bool {
        self.stacks.iter().all(|(_, r)| r.is_ok())
    }

    /// Whether the operation was interrupted (a stack's error is an interrupt).
    ///
    /// ```
    /// use vpcform_deploy::{DeployError, Report};
    /// let report = Report { stacks: vec![("Net".into(), Err(DeployError::NotStarted { stack: "Net".into() }))] };
    /// assert!(report.interrupted());
    /// ```
    pub fn interrupted(&self) -> bool {
        self.stacks
            .iter()
            .any(|(_, r)| r.as_ref().is_err_and(DeployError::is_interrupt))
    }

    /// The outcomes, or the first error.
    ///
    /// # Errors
    /// The first stack's error, in the report's order.
    ///
    /// ```
    /// let report = vpcform_deploy::Report { stacks: vec![] };
    /// assert!(report.into_result().is_ok());
    /// ```
    pub fn into_result(self) -> Result<Vec<(String, StackOutcome)>, DeployError> {
        self.stacks
            .into_iter()
            .map(|(name, result)| result.map(|outcome| (name, outcome)))
            .collect()
    }
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
/// deployer.deploy(&stacks, &[]).await?.into_result()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Deployer {
    pub(crate) client: Client,
    pub(crate) ui: Arc<dyn Ui>,
    pub(crate) options: DeployOptions,
    pub(crate) interrupted: watch::Receiver<bool>,
    interrupt: Arc<watch::Sender<bool>>,
    /// One question at a time, whichever stack asks.
    prompt: Arc<Mutex<()>>,
    /// How large templates reach S3; `None` without a region or credentials.
    pub(crate) s3: Option<S3Access>,
    /// The HTTP connector for uploads, made on first use.
    pub(crate) http: Arc<std::sync::OnceLock<SharedHttpConnector>>,
    /// The bootstrap bucket, once known.
    pub(crate) bootstrap: Arc<tokio::sync::OnceCell<String>>,
    /// The environment `client`, `s3` and `bootstrap` are of.
    pub(crate) environment: Environment,
    /// Every environment's clients, shared by all clones.
    pub(crate) connections: Connections,
    /// Connects to environments not connected yet; `None`: only those given.
    pub(crate) connector: Option<Arc<dyn Connect>>,
    /// The steps of the app being worked on (for stacks importing their outputs).
    pub(crate) steps: Arc<std::sync::Mutex<Vec<StackTemplate>>>,
    /// The outputs of the steps run so far, by step.
    pub(crate) step_outputs: StepOutputs,
    /// The pre-deployment validation results read so far (validation.rs).
    pub(crate) validation_results: Arc<std::sync::Mutex<Vec<crate::ValidationFinding>>>,
}

/// Steps' outputs by step, shared by a deployer's clones.
pub(crate) type StepOutputs =
    Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<(String, String)>>>>;

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
        let connect = SdkConnect::new();
        let ambient = Environment::default();
        let connection = SdkConnect::connection(&connect.config(&ambient).await);
        Deployer::new(connection.cloudformation.clone(), ui, options)
            .with_environment(&ambient, connection)
            .with_connector(Arc::new(connect))
    }

    /// A deployer with a given client (tests give one backed by mocks or an emulator). The
    /// client gets an interceptor that announces retries through `ui`.
    ///
    /// ```no_run
    /// # fn demo(client: aws_sdk_cloudformation::Client) {
    /// let ui = std::sync::Arc::new(vpcform_deploy::RecordingUi::answering(None));
    /// let deployer = vpcform_deploy::Deployer::new(client, ui, Default::default());
    /// # }
    /// ```
    pub fn new(client: Client, ui: Arc<dyn Ui>, options: DeployOptions) -> Deployer {
        let ambient = Connected::new(
            Connection {
                cloudformation: client,
                sts: None,
                s3: None,
                signed: None,
            },
            &ui,
        );
        let (interrupt, interrupted) = watch::channel(false);
        Deployer {
            client: ambient.connection.cloudformation.clone(),
            ui,
            options,
            interrupted,
            interrupt: Arc::new(interrupt),
            prompt: Arc::new(Mutex::new(())),
            s3: None,
            http: Arc::new(std::sync::OnceLock::new()),
            bootstrap: ambient.bootstrap.clone(),
            environment: Environment::default(),
            connections: Arc::new(std::sync::Mutex::new(
                [(Environment::default(), ambient)].into_iter().collect(),
            )),
            connector: None,
            steps: Arc::new(std::sync::Mutex::new(Vec::new())),
            step_outputs: Arc::new(std::sync::Mutex::new(std::collections::HashMap::new())),
            validation_results: Arc::new(std::sync::Mutex::new(Vec::new())),
        }
    }

    /// Reaches S3 (for templates over 51,200 bytes) this way: [`Deployer::from_env`] takes the
    /// standard chain's region and credentials and the `AWS_ENDPOINT_URL[_S3]` variables; a
    /// deployer made with [`Deployer::new`] has no S3 until given one.
    ///
    /// ```no_run
    /// # fn demo(deployer: vpcform_deploy::Deployer, s3: vpcform_deploy::S3Access) {
    /// let deployer = deployer.with_s3(s3);
    /// # }
    /// ```
    pub fn with_s3(mut self, s3: S3Access) -> Deployer {
        self.s3 = Some(s3.clone());
        if let Ok(mut connections) = self.connections.lock()
            && let Some(connected) = connections.get_mut(&self.environment)
        {
            connected.connection.s3 = Some(s3);
        }
        self
    }

    /// Stops, as Ctrl-C does: calls under way are abandoned, questions go unanswered, change
    /// sets not yet executed are deleted, nothing new starts; stacks CloudFormation is working
    /// on are reported with their state and left to it.
    ///
    /// ```no_run
    /// # fn demo(deployer: &vpcform_deploy::Deployer) {
    /// deployer.interrupt();
    /// # }
    /// ```
    pub fn interrupt(&self) {
        let _ = self.interrupt.send(true);
    }

    /// From now on, Ctrl-C interrupts (see [`Deployer::interrupt`]) and a second Ctrl-C exits
    /// the process at once with code 130 (128 + SIGINT, the shell's convention).
    ///
    /// Ctrl-C is watched on a thread of its own with its own runtime, so that it is seen however
    /// busy (or blocked) the deploy's runtime is; the handler is installed before this returns.
    ///
    /// ```no_run
    /// # fn demo(deployer: &vpcform_deploy::Deployer) -> std::io::Result<()> {
    /// deployer.interrupt_on_ctrl_c()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The operating system refused the thread, the runtime or the signal handler.
    pub fn interrupt_on_ctrl_c(&self) -> std::io::Result<()> {
        let interrupt = self.interrupt.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let mut ctrl_c = {
            let _entered = runtime.enter();
            CtrlC::new()?
        };
        std::thread::Builder::new()
            .name("vpcform-ctrl-c".into())
            .spawn(move || {
                runtime.block_on(async move {
                    if ctrl_c.next().await {
                        // The interrupt first: the line after it may go to a closed stderr.
                        let _ = interrupt.send(true);
                        write_out(
                            Stream::Stderr,
                            "\ninterrupted: cleaning up change sets not executed (Ctrl-C again \
                             to exit now)\n",
                        );
                        if ctrl_c.next().await {
                            std::process::exit(130);
                        }
                    }
                });
            })?;
        Ok(())
    }

    pub(crate) fn is_interrupted(&self) -> bool {
        *self.interrupted.borrow()
    }

    /// Sleeps one polling interval; `true` when interrupted meanwhile.
    pub(crate) async fn pause(&self) -> bool {
        let mut interrupted = self.interrupted.clone();
        if *interrupted.borrow() {
            return true;
        }
        tokio::select! {
            _ = tokio::time::sleep(self.options.poll_interval) => self.is_interrupted(),
            _ = interrupted.wait_for(|i| *i) => true,
        }
    }

    /// Asks the UI a question on its own thread (a terminal read blocks), one question at a
    /// time; an interrupt abandons the question, and a late answer is never read.
    ///
    /// # Errors
    /// [`DeployError::Cancelled`] when interrupted before the answer.
    pub(crate) async fn ask(
        &self,
        stack: &str,
        question: &str,
    ) -> Result<Option<bool>, DeployError> {
        let cancelled = || DeployError::Cancelled {
            stack: stack.to_string(),
            operation: "the question",
        };
        let mut interrupted = self.interrupted.clone();
        let _turn = tokio::select! {
            turn = self.prompt.lock() => turn,
            _ = interrupted.wait_for(|i| *i) => return Err(cancelled()),
        };
        if self.is_interrupted() {
            return Err(cancelled());
        }
        let (answer_tx, answer_rx) = tokio::sync::oneshot::channel();
        let ui = self.ui.clone();
        let (who, what) = (stack.to_string(), question.to_string());
        // A plain thread, not the runtime's blocking pool: the runtime would wait for a read
        // nobody answers when it shuts down.
        std::thread::spawn(move || {
            let _ = answer_tx.send(ui.confirm(&who, &what));
        });
        tokio::select! {
            biased;
            _ = interrupted.wait_for(|i| *i) => Err(cancelled()),
            answer = answer_rx => Ok(answer.unwrap_or(None)),
        }
    }

    /// Deploys `stacks` (those named in `only` and, unless `exclusively`, what they depend
    /// on; all when `only` is empty) in dependency order, independent stacks concurrently. A
    /// stack whose dependency fails is skipped.
    ///
    /// # Errors
    /// Only a stack name the app does not have; each stack's own failure is in the report.
    pub async fn deploy(
        &self,
        stacks: &[StackTemplate],
        only: &[String],
    ) -> Result<Report, DeployError> {
        let selected = select_for_deploy(stacks, only, self.options.exclusively)?;
        self.know_steps(stacks);
        self.prepare_environments(&selected.iter().collect::<Vec<_>>())
            .await?;
        for stack in &selected {
            if !only.is_empty() && !only.contains(&stack.name) {
                let importers: Vec<&str> = selected
                    .iter()
                    .filter(|s| s.depends_on.contains(&stack.name))
                    .map(|s| s.name.as_str())
                    .collect();
                let first = if stack.step.is_some() {
                    "run first (an acceptance):"
                } else {
                    "deployed first:"
                };
                self.ui.line(
                    &stack.name,
                    &format!(
                        "{first} {} {} from it (--exclusively to skip it)",
                        importers.join(", "),
                        if importers.len() == 1 {
                            "imports"
                        } else {
                            "import"
                        }
                    ),
                );
            }
        }
        Ok(self
            .run(selected, false, |deployer, stack| async move {
                match (&stack.step, &stack.stack_set) {
                    (Some(action), _) => deployer.run_step(&stack, action).await,
                    (None, Some(spec)) => deployer.deploy_stack_set(&stack, spec).await,
                    (None, None) => deployer.deploy_stack(&stack).await,
                }
            })
            .await)
    }

    /// Executes the change set `change_set` of the one stack named in `only`, as reviewed
    /// after `deploy --no-execute`: not a new one made from the local template. The approval
    /// level applies to it as to any deploy.
    ///
    /// # Errors
    /// [`DeployError::ChangeSetNeedsOneStack`] unless exactly one stack is named.
    pub async fn deploy_change_set(
        &self,
        stacks: &[StackTemplate],
        only: &[String],
        change_set: &str,
    ) -> Result<Report, DeployError> {
        let selected = select_for_deploy(stacks, only, true)?;
        if only.len() != 1 {
            return Err(DeployError::ChangeSetNeedsOneStack {
                given: if only.is_empty() {
                    "none".to_string()
                } else {
                    only.join(", ")
                },
            });
        }
        if let Some(step) = selected.iter().find(|s| s.step.is_some()) {
            return Err(DeployError::ChangeSetNotExecutable {
                stack: step.name.clone(),
                change_set: change_set.to_string(),
                reason: "it is a step (an acceptance), which has no change sets: deploy it \
                         without --change-set"
                    .into(),
            });
        }
        if let Some(set) = selected.iter().find(|s| s.stack_set.is_some()) {
            return Err(DeployError::ChangeSetNotExecutable {
                stack: set.name.clone(),
                change_set: change_set.to_string(),
                reason: "it is a stack set, which has no change sets: deploy it without \
                         --change-set (--no-execute shows its plan)"
                    .into(),
            });
        }
        self.prepare_environments(&selected.iter().collect::<Vec<_>>())
            .await?;
        let change_set = change_set.to_string();
        Ok(self
            .run(selected, false, move |deployer, stack| {
                let change_set = change_set.clone();
                async move { deployer.execute_reviewed(&stack, &change_set).await }
            })
            .await)
    }

    /// Destroys `stacks` (those named in `only` and every stack that imports from them; all
    /// when `only` is empty) in reverse dependency order, after one confirmation unless `yes`.
    /// With `exclusively`, a named stack that deployed stacks import from is refused.
    ///
    /// # Errors
    /// [`DeployError::ConfirmationRequired`] without a terminal and without `yes`,
    /// [`DeployError::DestroyDeclined`], [`DeployError::DependentsDeployed`]; each stack's own
    /// failure is in the report.
    pub async fn destroy(
        &self,
        stacks: &[StackTemplate],
        only: &[String],
    ) -> Result<Report, DeployError> {
        let (mut selected, dependents) = select_for_destroy(stacks, only)?;
        // A step is not destroyed (deleting the requester's stack deletes what it accepted):
        // its environment is not needed, and must not stop the stacks around it.
        let involved: Vec<&StackTemplate> = stacks
            .iter()
            .filter(|s| s.step.is_none() && selected.iter().any(|t| t.name == s.name))
            .collect();
        self.prepare_environments(&involved).await?;
        if self.options.exclusively && !dependents.is_empty() {
            let mut deployed = Vec::new();
            for stack in selected
                .iter()
                .filter(|s| s.step.is_none() && dependents.contains(&s.name))
            {
                let deployer = self.in_environment(&stack.environment)?;
                if deployer.stack_info(&stack.name).await?.is_some() {
                    deployed.push(stack.name.clone());
                }
            }
            if !deployed.is_empty() {
                let named: Vec<&String> = only
                    .iter()
                    .filter(|n| {
                        stacks
                            .iter()
                            .any(|s| deployed.contains(&s.name) && s.depends_on.contains(n))
                    })
                    .collect();
                return Err(DeployError::DependentsDeployed {
                    stack: named
                        .first()
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| only.join(",")),
                    dependents: deployed.join(", "),
                });
            }
            selected.retain(|s| !dependents.contains(&s.name));
        }
        let names: Vec<&str> = selected
            .iter()
            .filter(|s| s.step.is_none())
            .map(|s| s.name.as_str())
            .collect();
        if !self.options.yes {
            let importing = if dependents.is_empty() || self.options.exclusively {
                String::new()
            } else {
                format!(
                    " ({} included: {} from {})",
                    dependents.join(", "),
                    if dependents.len() == 1 {
                        "it imports"
                    } else {
                        "they import"
                    },
                    only.join(", ")
                )
            };
            let question = format!(
                "destroy {} and every resource in them{importing}?",
                names.join(", ")
            );
            let who = names.join(",");
            match self.ask(&who, &question).await {
                Ok(Some(true)) => {}
                Ok(Some(false)) => return Err(DeployError::DestroyDeclined { stack: who }),
                Ok(None) => {
                    return Err(DeployError::ConfirmationRequired {
                        stack: who,
                        reason: "destroy deletes the stacks and every resource in them".into(),
                        fix: "pass --yes to destroy them",
                    });
                }
                Err(_) => return Err(DeployError::NotStarted { stack: who }),
            }
        }
        Ok(self
            .run(selected, true, |deployer, stack| async move {
                match (&stack.step, &stack.stack_set) {
                    (Some(_), _) => Ok(StackOutcome::Step {
                        done: NOTHING_TO_UNDO.to_string(),
                        outputs: Vec::new(),
                    }),
                    (None, Some(spec)) => deployer.destroy_stack_set(&stack.name, spec).await,
                    (None, None) => deployer.destroy_stack(&stack.name).await,
                }
            })
            .await)
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
        let selected = select_for_deploy(stacks, only, true)?;
        self.know_steps(stacks);
        self.prepare_environments(&selected.iter().collect::<Vec<_>>())
            .await?;
        for stack in selected {
            if let Some(action) = &stack.step {
                let deployer = self.in_environment(&stack.environment)?;
                let (nothing_to_do, plan) = deployer.plan_step(&stack, action).await?;
                let mut diff = diff_templates(&stack.name, None, &serde_json::json!({}));
                diff.deployed = nothing_to_do;
                diff.step = Some(plan);
                diffs.push(diff);
                continue;
            }
            let local: serde_json::Value =
                serde_json::from_str(&stack.body).map_err(|e| DeployError::TemplateNotJson {
                    stack: stack.name.clone(),
                    reason: format!("local template: {e}"),
                })?;
            let deployer = self.in_environment(&stack.environment)?;
            if let Some(spec) = &stack.stack_set {
                diffs.push(deployer.diff_stack_set(&stack, spec).await?);
                continue;
            }
            let deployed = deployer.deployed_template(&stack.name, None).await?;
            let mut diff = diff_templates(&stack.name, deployed.as_ref(), &local);
            diff.parameters = deployer.imported_parameter_changes(&stack).await?;
            if diff.deployed {
                diff.drift = deployer.last_drift(&stack.name).await?;
            }
            diffs.push(diff);
        }
        Ok(diffs)
    }

    /// The deployed template (`change_set`: the one that change set would deploy), `None` when
    /// the stack does not exist.
    pub(crate) async fn deployed_template(
        &self,
        stack: &str,
        change_set: Option<&str>,
    ) -> Result<Option<serde_json::Value>, DeployError> {
        let call = self
            .client
            .get_template()
            .stack_name(stack)
            .set_change_set_name(change_set.map(str::to_string))
            .template_stage(TemplateStage::Original)
            .send();
        let output = match self.interruptible(stack, "GetTemplate", call).await? {
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
    ///
    /// # Errors
    /// An API error.
    pub async fn outputs(&self, stack: &str) -> Result<Option<Vec<(String, String)>>, DeployError> {
        Ok(self.stack_info(stack).await?.map(|s| s.outputs))
    }

    /// As [`Deployer::outputs`], read in the stack's environment.
    ///
    /// ```no_run
    /// # async fn demo(deployer: vpcform_deploy::Deployer, stack: vpcform_deploy::StackTemplate) -> Result<(), vpcform_deploy::DeployError> {
    /// let outputs = deployer.stack_outputs(&stack).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// An API error, or an environment the deployer cannot connect to.
    pub async fn stack_outputs(
        &self,
        stack: &StackTemplate,
    ) -> Result<Option<Vec<(String, String)>>, DeployError> {
        self.prepare_environments(&[stack]).await?;
        self.in_environment(&stack.environment)?
            .outputs(&stack.name)
            .await
    }

    /// Runs `action` on each stack once what it waits for has succeeded (see [`Schedule`]),
    /// at most `concurrency` at once, each in its own task that names the stack for retry
    /// notices. Every stack ends in the report exactly once.
    pub(crate) async fn run<F, Fut>(
        &self,
        stacks: Vec<StackTemplate>,
        reverse: bool,
        action: F,
    ) -> Report
    where
        F: Fn(Deployer, StackTemplate) -> Fut,
        Fut: std::future::Future<Output = Result<StackOutcome, DeployError>> + Send + 'static,
    {
        let mut schedule = Schedule::new(&stacks, reverse);
        let mut results: Vec<Option<Result<StackOutcome, DeployError>>> =
            (0..stacks.len()).map(|_| None).collect();
        let mut running: JoinSet<(usize, Result<StackOutcome, DeployError>)> = JoinSet::new();
        let mut tasks = std::collections::HashMap::new();
        let mut interrupted = self.interrupted.clone();
        loop {
            if self.is_interrupted() {
                for index in schedule.stop() {
                    results[index] = Some(Err(DeployError::NotStarted {
                        stack: stacks[index].name.clone(),
                    }));
                }
            }
            let (skipped, started) = schedule.advance(self.options.concurrency);
            for (index, dependency) in skipped {
                self.ui.line(
                    &stacks[index].name,
                    &format!("skipped: {dependency} did not complete"),
                );
                results[index] = Some(Err(DeployError::Skipped {
                    stack: stacks[index].name.clone(),
                    dependency,
                }));
            }
            for index in started {
                let stack = stacks[index].clone();
                let name = stack.name.clone();
                // Destroy passes a step by without its environment (nothing is called there).
                let deployer = if reverse && stack.step.is_some() {
                    Ok(self.clone())
                } else {
                    self.in_environment(&stack.environment)
                };
                let future: std::pin::Pin<Box<dyn Future<Output = _> + Send>> = match deployer {
                    Ok(deployer) => Box::pin(action(deployer, stack)),
                    Err(error) => Box::pin(async move { Err(error) }),
                };
                let task = running.spawn(STACK.scope(name, async move { (index, future.await) }));
                tasks.insert(task.id(), index);
            }
            if !schedule.any_running() {
                break;
            }
            let joined = tokio::select! {
                joined = running.join_next_with_id() => joined,
                // Wake to stop pending stacks at once; running ones see the interrupt too.
                _ = interrupted.wait_for(|i| *i), if !self.is_interrupted() => continue,
            };
            let Some(joined) = joined else { break };
            match joined {
                Ok((_, (index, result))) => {
                    schedule.finish(index, result.is_ok());
                    results[index] = Some(result);
                }
                Err(join_error) => {
                    // A task panicked: its stack fails, the others go on.
                    if let Some(&index) = tasks.get(&join_error.id()) {
                        schedule.finish(index, false);
                        results[index] = Some(Err(DeployError::Aws {
                            stack: stacks[index].name.clone(),
                            operation: "deploy task",
                            code: "Panic".into(),
                            message: join_error.to_string(),
                            hint: Some("a bug in vpcform: please report it".into()),
                            request_id: None,
                            source: None,
                        }));
                    }
                }
            }
        }
        Report {
            stacks: stacks
                .iter()
                .zip(results)
                .map(|(stack, result)| {
                    (
                        stack.name.clone(),
                        result.unwrap_or_else(|| {
                            Err(DeployError::NotStarted {
                                stack: stack.name.clone(),
                            })
                        }),
                    )
                })
                .collect(),
        }
    }
}

/// What destroy says of a step.
const NOTHING_TO_UNDO: &str = "nothing to undo: a step is not destroyed (deleting the stack that \
                               requested the attachment or share deletes it)";

impl Deployer {
    /// Keeps the app's steps, for stacks that import a step's output.
    fn know_steps(&self, stacks: &[StackTemplate]) {
        if let Ok(mut steps) = self.steps.lock() {
            *steps = stacks
                .iter()
                .filter(|s| s.step.is_some())
                .cloned()
                .collect();
        }
    }
}

/// Ctrl-C as a stream of presses; on Unix the SIGINT handler is installed when it is made
/// (inside a runtime), so no press between that and the first wait takes the default exit.
struct CtrlC {
    #[cfg(unix)]
    sigint: tokio::signal::unix::Signal,
}

impl CtrlC {
    fn new() -> std::io::Result<CtrlC> {
        Ok(CtrlC {
            #[cfg(unix)]
            sigint: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?,
        })
    }

    /// The next press; `false` when none can come.
    async fn next(&mut self) -> bool {
        #[cfg(unix)]
        return self.sigint.recv().await.is_some();
        #[cfg(not(unix))]
        return tokio::signal::ctrl_c().await.is_ok();
    }
}
