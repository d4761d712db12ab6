//! vpcform: AWS network infrastructure — VPCs, gateway and interface endpoints, PrivateLink —
//! as ordinary, typed Rust programs that synthesize CloudFormation.
//!
//! This facade re-exports the layers (see `ARCHITECTURE.md`): [`cfn`], the template model; the
//! network builders at the crate root; with the `deploy` feature (on by default), [`deploy`];
//! and [`AppExt::run`], the command line every vpcform program gets:
//! `synth` (the default), `diff`, `deploy` and `destroy`.
//!
//! ```no_run
//! use vpcform::prelude::*;
//!
//! vpcform::topology! { stack Network { vpc Main } }
//!
//! fn main() -> std::process::ExitCode {
//!     let mut network = Stack::<Network>::new("Network");
//!     let vpc = network.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
//!     network.output("VpcId", &vpc);
//!     let mut app = App::new("network");
//!     app.add_stack(network);
//!     app.run() // `cargo run -- deploy --yes`, `cargo run -- --out DIR`, …
//! }
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

pub use vpcform_cfn as cfn;
#[cfg(feature = "deploy")]
pub use vpcform_deploy as deploy;
pub use vpcform_net::*;

pub mod guide;

/// Everything a vpcform program usually needs: `use vpcform::prelude::*;`.
pub mod prelude {
    pub use crate::AppExt;
    pub use vpcform_net::prelude::*;
}

/// The command line of a vpcform program.
#[derive(Debug, Parser)]
#[command(about = "Synthesize, diff, deploy and destroy this vpcform app's stacks")]
pub struct Cli {
    /// What to do; `synth` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Where templates and manifest.json are written.
    #[arg(long, global = true, default_value = "vpcform.out")]
    pub out: PathBuf,
    /// Unit prices for the cost estimate (JSON, the shape of vpcform-net's
    /// prices/us-east-1.json). Default: the bundled us-east-1 list prices.
    #[arg(long, global = true)]
    pub prices: Option<PathBuf>,
}

/// The verbs of [`Cli`].
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the app and write one template per stack plus manifest.json (the default).
    Synth,
    /// Compare the local templates with the deployed ones; exit 1 when they differ.
    Diff {
        /// Stacks to compare (default: all).
        stacks: Vec<String>,
    },
    /// Deploy stacks through change sets, in dependency order: the stacks named and what they
    /// import from.
    Deploy {
        /// Stacks to deploy (default: all), with the stacks they import from.
        stacks: Vec<String>,
        /// Answer yes to every approval question.
        #[arg(long)]
        yes: bool,
        /// When to stop for approval: `never`, `any-change`, or `broadening` (a security change
        /// that widens access, or a replacement or removal).
        #[arg(long, value_name = "LEVEL", default_value = "broadening")]
        require_approval: RequireApprovalArg,
        /// Create and print the change sets; do not execute them.
        #[arg(long)]
        no_execute: bool,
        /// Execute this change set (made by `deploy --no-execute`) of the one stack named,
        /// instead of making a new one.
        #[arg(long, value_name = "NAME", conflicts_with = "no_execute")]
        change_set: Option<String>,
        /// Only the stacks named, not what they import from.
        #[arg(long)]
        exclusively: bool,
        /// How many independent stacks deploy at once (at least 1).
        #[arg(long, default_value_t = 4, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        concurrency: usize,
        /// Stop following a stack after this many seconds, at least 1 (CloudFormation carries
        /// on).
        #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
        timeout: Option<u64>,
        /// A template parameter's value, `STACK:NAME=VALUE` (repeat for more): for existing
        /// resources given as `ExistingId::parameter()`. Not given, a parameter keeps its
        /// previous value on an update.
        #[arg(long = "parameters", value_name = "STACK:NAME=VALUE")]
        parameters: Vec<String>,
        /// Write the deployed stacks' outputs to this file as JSON, `{"Stack": {"Key":
        /// "Value"}}` (CDK's `--outputs-file`).
        #[arg(long, value_name = "FILE")]
        outputs_file: Option<PathBuf>,
        /// The S3 bucket templates over 51,200 bytes are uploaded to (default: the bucket of
        /// the `VpcformToolkit` stack, created on first need in each account and region).
        #[arg(long, value_name = "BUCKET")]
        template_bucket: Option<String>,
        /// A change set another run left unexecuted is deleted once older than this (`90s`,
        /// `30m`, `2h`, or seconds); a younger one stops the stack: another deploy may be
        /// reviewing it.
        #[arg(long, value_name = "AGE", default_value = "1h", value_parser = parse_age)]
        stale_change_set_age: Duration,
        /// Delete the change sets other runs left unexecuted, however young.
        #[arg(long)]
        discard_pending: bool,
        /// Print errors with their causes and AWS request IDs.
        #[arg(long)]
        verbose: bool,
    },
    /// Delete stacks, in reverse dependency order: the stacks named and the stacks that import
    /// from them.
    Destroy {
        /// Stacks to destroy (default: all), with the stacks that import from them.
        stacks: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// Only the stacks named: refuse when a deployed stack imports from one of them.
        #[arg(long)]
        exclusively: bool,
        /// Print errors with their causes and AWS request IDs.
        #[arg(long)]
        verbose: bool,
    },
}

/// `deploy --require-approval`'s values, as the command line spells them (`never`, `any-change`,
/// `broadening`); defined here because the command line exists without the `deploy` feature.
///
/// ```
/// use clap::ValueEnum;
/// let level = vpcform::RequireApprovalArg::from_str("any-change", false)?;
/// assert_eq!(level, vpcform::RequireApprovalArg::AnyChange);
/// # Ok::<(), String>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RequireApprovalArg {
    /// Never ask.
    Never,
    /// Ask before any change.
    AnyChange,
    /// Ask before a change that broadens access, replaces or removes.
    Broadening,
}

/// `--stale-change-set-age`'s values: seconds, or a number with `s`, `m` or `h`; from one second
/// to seven days (a change set is a deploy's, which takes minutes, not weeks).
///
/// ```
/// use std::time::Duration;
/// assert_eq!(vpcform::parse_age("30m"), Ok(Duration::from_secs(1800)));
/// assert_eq!(vpcform::parse_age("90"), Ok(Duration::from_secs(90)));
/// assert!(vpcform::parse_age("0s").is_err());
/// ```
///
/// # Errors
/// A text of another form, or an age out of range.
pub fn parse_age(text: &str) -> Result<Duration, String> {
    const MAX_SECS: u64 = 7 * 24 * 60 * 60;
    let (number, unit) = match text.trim().char_indices().last() {
        Some((at, 's')) => (&text.trim()[..at], 1),
        Some((at, 'm')) => (&text.trim()[..at], 60),
        Some((at, 'h')) => (&text.trim()[..at], 3600),
        _ => (text.trim(), 1),
    };
    let secs = number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("{text:?} is not an age: give seconds, or e.g. 90s, 30m, 2h"))?;
    if !(1..=MAX_SECS).contains(&secs) {
        return Err(format!("{text:?} is out of range: from 1s to 168h"));
    }
    Ok(Duration::from_secs(secs))
}

/// Runs an [`App`] as a command-line program.
pub trait AppExt {
    /// Parses the process's arguments (see [`Cli`]) and acts on the app. Synthesis errors are
    /// printed, nothing is written, and the exit code is 1.
    ///
    /// Meant as `main`'s last call: the app and its assembly are left to the operating system
    /// when the process exits rather than freed one allocation at a time (for thousands of
    /// resources that is a third of the run). Use [`AppExt::run_with`] to run an app more than
    /// once in a process.
    ///
    /// ```no_run
    /// use vpcform::prelude::*;
    /// fn main() -> std::process::ExitCode {
    ///     App::new("empty").run()
    /// }
    /// ```
    fn run(self) -> ExitCode;

    /// As [`AppExt::run`], with arguments given (the first is the program name).
    ///
    /// ```
    /// use vpcform::prelude::*;
    /// let dir = std::env::temp_dir().join("vpcform-doc-run-with");
    /// let code = App::new("empty").run_with(["prog", "--out", dir.to_str().unwrap()]);
    /// assert_eq!(code, std::process::ExitCode::FAILURE); // an app with no stacks has nothing to deploy
    /// ```
    fn run_with<I, T>(self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone;
}

impl AppExt for App {
    fn run(self) -> ExitCode {
        let mut keep = Kept::default();
        let code = execute(self, std::env::args_os(), &mut keep);
        // The process ends right after: its memory goes back to the OS at once, so the app
        // and its assembly are not freed allocation by allocation (a tenth of the work for
        // thousands of resources).
        std::mem::forget(keep);
        code
    }

    fn run_with<I, T>(self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        execute(self, args, &mut Kept::default())
    }
}

/// What `execute` leaves behind for its caller to free or not.
#[derive(Default)]
struct Kept {
    app: Option<App>,
    assembly: Option<Assembly>,
}

fn execute<I, T>(app: App, args: I, keep: &mut Kept) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let app = keep.app.insert(app);
    if let Some(path) = &cli.prices {
        match Prices::from_file(path) {
            Ok(prices) => app.prices(prices),
            Err(e) => {
                stderr(&format!("error: {e}\n"));
                return ExitCode::FAILURE;
            }
        }
    }
    let Some(assembly) = synth(app, &cli.out) else {
        return ExitCode::FAILURE;
    };
    let assembly = keep.assembly.insert(assembly);
    match cli.command.unwrap_or(Command::Synth) {
        Command::Synth => ExitCode::SUCCESS,
        #[cfg(feature = "deploy")]
        verb => cli_deploy::run(assembly, verb),
        #[cfg(not(feature = "deploy"))]
        _ => {
            let _ = assembly;
            stderr(
                "error: this program was built without vpcform's `deploy` feature; only `synth` \
                 is available\n",
            );
            ExitCode::from(USAGE)
        }
    }
}

/// Synthesizes and writes the assembly, printing the summary and warnings; `None` on error.
fn synth(app: &App, out: &Path) -> Option<Assembly> {
    if app.is_empty() {
        stderr(&format!(
            "error: app {:?} has no stacks: add one with App::add_stack\n",
            app.name()
        ));
        return None;
    }
    let assembly = match app.synth() {
        Ok(assembly) => assembly,
        Err(errors) => {
            stderr(&format!("error: {errors}\nnothing was written\n"));
            return None;
        }
    };
    for warning in assembly.warnings() {
        stderr(&format!("warning: {warning}\n"));
    }
    match assembly.write_to(out) {
        Ok(_) => {
            let mut text = assembly.summary(out);
            if !assembly.traffic().flows.is_empty() {
                text += &format!("traffic -> {}\n", out.join("traffic.json").display());
                text += &indent(&assembly.traffic().table());
            }
            text += &format!("cost -> {}\n", out.join("cost.json").display());
            let cost = assembly.cost();
            text += &format!(
                "  total ${:.2}/month; traffic to AWS services through endpoints: ${:.2}/month, the same through NAT: ${:.2}/month\n",
                cost.total, cost.endpoints, cost.nat_alternative
            );
            text += &format!(
                "diagram -> {} (Graphviz), {} (Mermaid)\n",
                out.join(format!("{}.dot", assembly.app())).display(),
                out.join(format!("{}.mmd", assembly.app())).display()
            );
            text += &format!("manifest -> {}\n", out.join("manifest.json").display());
            stdout(&text);
            Some(assembly)
        }
        Err(e) => {
            stderr(&format!("error: could not write the assembly: {e}\n"));
            None
        }
    }
}

/// Writes to stdout. A closed stdout (`| head`, a pipeline that stopped reading) loses the
/// text, never the work: the assembly is written or the deploy went on regardless, so this
/// is not the panic (exit 101) `print!` would make of it.
fn stdout(text: &str) {
    write_to(std::io::stdout().lock(), text);
}

/// Writes to stderr; a closed stderr (`2>&1 | tee log`, and Ctrl-C ended `tee`) loses the text,
/// never the exit code, as [`stdout`].
fn stderr(text: &str) {
    write_to(std::io::stderr().lock(), text);
}

/// The one place the command line writes: errors of the stream are ignored (see [`stdout`]).
fn write_to(mut stream: impl std::io::Write, text: &str) {
    let _ = stream
        .write_all(text.as_bytes())
        .and_then(|()| stream.flush());
}

/// The exit code of a command line the program refuses before doing anything: clap's for a
/// malformed argument, and vpcform's for a malformed `--parameters` value or an AWS variable
/// the SDK would drop (README, "Exit codes").
const USAGE: u8 = 2;

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

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
#[cfg(feature = "deploy")]
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
#[cfg(feature = "deploy")]
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
#[cfg(feature = "deploy")]
fn stack_set(spec: &vpcform_net::StackSetSpec) -> vpcform_deploy::StackSetSpec {
    use vpcform_deploy as d;
    use vpcform_net as n;
    let amount = |a: n::Amount| match a {
        n::Amount::Count(c) => d::Amount::Count(c),
        n::Amount::Percentage(p) => d::Amount::Percentage(p),
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
            n::PermissionModel::SelfManaged {
                administration_role_arn,
                execution_role_name,
            } => d::PermissionModel::SelfManaged {
                administration_role_arn: administration_role_arn.clone(),
                execution_role_name: execution_role_name.clone(),
            },
            n::PermissionModel::ServiceManaged {
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
#[cfg(feature = "deploy")]
fn environment(env: &vpcform_net::Environment) -> vpcform_deploy::Environment {
    vpcform_deploy::Environment {
        account: env.account.clone(),
        region: env.region.clone(),
        profile: env.profile.clone(),
        role_arn: env.role_arn.clone(),
    }
}

#[cfg(feature = "deploy")]
mod cli_deploy {
    use std::process::ExitCode;
    use std::sync::Arc;
    use std::time::Duration;

    use vpcform_deploy::{
        DeployError, DeployOptions, Deployer, Report, RequireApproval, StackOutcome, TerminalUi,
    };

    use crate::{Assembly, Command, RequireApprovalArg, USAGE, stack_templates, stderr};

    /// 128 + SIGINT: what a shell reports for a program stopped by Ctrl-C.
    const INTERRUPTED: u8 = 130;

    pub(crate) fn run(assembly: &Assembly, verb: Command) -> ExitCode {
        let mut stacks = match stack_templates(assembly) {
            Ok(stacks) => stacks,
            Err(e) => {
                stderr(&format!("error: {e}\n"));
                return ExitCode::FAILURE;
            }
        };
        if let Command::Deploy { parameters, .. } = &verb
            && let Err(e) = crate::apply_parameters(&mut stacks, parameters)
        {
            stderr(&format!("error: {e}\n"));
            return ExitCode::from(USAGE);
        }
        // Before any client: the SDK would silently drop such a value and go elsewhere.
        if let Err(e) = vpcform_deploy::check_aws_variables() {
            stderr(&format!("error: {e}\n"));
            return ExitCode::from(USAGE);
        }
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime,
            Err(e) => {
                stderr(&format!("error: could not start the async runtime: {e}\n"));
                return ExitCode::FAILURE;
            }
        };
        let code = runtime.block_on(async move {
            let options = options(&verb);
            let deployer = Deployer::from_env(Arc::new(TerminalUi::new()), options).await;
            if let Err(e) = deployer.interrupt_on_ctrl_c() {
                stderr(&format!("error: could not watch for Ctrl-C: {e}\n"));
                return ExitCode::FAILURE;
            }
            match verb {
                Command::Synth => ExitCode::SUCCESS,
                Command::Diff { stacks: only } => match deployer.diff(&stacks, &only).await {
                    Ok(diffs) => {
                        for diff in &diffs {
                            crate::stdout(&diff.to_string());
                        }
                        if diffs.iter().all(|d| d.is_empty()) {
                            ExitCode::SUCCESS
                        } else {
                            ExitCode::from(1)
                        }
                    }
                    Err(e) => {
                        stderr(&format!("error: {e}\n"));
                        ExitCode::from(if e.is_interrupt() { INTERRUPTED } else { 2 })
                    }
                },
                Command::Deploy {
                    stacks: only,
                    outputs_file,
                    change_set,
                    verbose,
                    ..
                } => {
                    let report = match &change_set {
                        Some(name) => deployer.deploy_change_set(&stacks, &only, name).await,
                        None => deployer.deploy(&stacks, &only).await,
                    };
                    let report = match report {
                        Ok(report) => report,
                        Err(e) => return fail(&e, verbose),
                    };
                    // Every deployed stack's outputs: from the deploy, or read back when it had
                    // no changes.
                    let mut outputs = Vec::new();
                    for (stack, outcome) in &report.stacks {
                        let values = match outcome {
                            Ok(StackOutcome::Deployed { outputs, .. }) => outputs.clone(),
                            Ok(StackOutcome::NoChanges) => {
                                let Some(template) = stacks.iter().find(|s| s.name == *stack)
                                else {
                                    continue;
                                };
                                match deployer.stack_outputs(template).await {
                                    Ok(values) => values.unwrap_or_default(),
                                    Err(e) => return fail(&e, verbose),
                                }
                            }
                            _ => continue,
                        };
                        outputs.push((stack.clone(), values));
                    }
                    let code = summary(&report, &outputs, verbose);
                    if let Some(path) = outputs_file
                        && report.succeeded()
                    {
                        if let Err(e) = std::fs::write(&path, crate::outputs_json(&outputs)) {
                            stderr(&format!(
                                "error: writing the outputs to {}: {e}\n",
                                path.display()
                            ));
                            return ExitCode::FAILURE;
                        }
                        crate::stdout(&format!("outputs -> {}\n", path.display()));
                    }
                    code
                }
                Command::Destroy {
                    stacks: only,
                    verbose,
                    ..
                } => match deployer.destroy(&stacks, &only).await {
                    Ok(report) => summary(&report, &[], verbose),
                    Err(e) => fail(&e, verbose),
                },
            }
        });
        // A question nobody answered holds a thread reading the terminal: do not wait for it.
        runtime.shutdown_background();
        code
    }

    fn options(verb: &Command) -> DeployOptions {
        let mut options = DeployOptions::default();
        match verb {
            Command::Deploy {
                yes,
                require_approval,
                no_execute,
                exclusively,
                concurrency,
                timeout,
                template_bucket,
                stale_change_set_age,
                discard_pending,
                ..
            } => {
                options.template_bucket = template_bucket.clone();
                options.stale_change_set_age = *stale_change_set_age;
                options.discard_pending = *discard_pending;
                options.yes = *yes;
                options.require_approval = match require_approval {
                    RequireApprovalArg::Never => RequireApproval::Never,
                    RequireApprovalArg::AnyChange => RequireApproval::AnyChange,
                    RequireApprovalArg::Broadening => RequireApproval::Broadening,
                };
                options.no_execute = *no_execute;
                options.exclusively = *exclusively;
                options.concurrency = *concurrency;
                options.timeout = timeout.map(Duration::from_secs);
            }
            Command::Destroy {
                yes, exclusively, ..
            } => {
                options.yes = *yes;
                options.exclusively = *exclusively;
            }
            Command::Diff { .. } | Command::Synth => {}
        }
        options
    }

    /// An error before any stack ran: one line (with causes under `--verbose`); exit 130 for
    /// an interrupt, 2 for stacks the command line named wrongly, 1 otherwise.
    fn fail(error: &DeployError, verbose: bool) -> ExitCode {
        let text = if verbose {
            error.verbose()
        } else {
            error.to_string()
        };
        stderr(&format!("error: {text}\n"));
        if error.is_interrupt() {
            ExitCode::from(INTERRUPTED)
        } else if matches!(
            error,
            DeployError::UnknownStack(_) | DeployError::ChangeSetNeedsOneStack { .. }
        ) {
            // The stacks named on the command line: a usage error, nothing was sent.
            ExitCode::from(USAGE)
        } else {
            ExitCode::FAILURE
        }
    }

    /// The summary: every stack once, with its final state, then its outputs (`outputs`, by
    /// stack). Exit 0 when all succeeded, 130 when interrupted, 1 otherwise.
    fn summary(
        report: &Report,
        outputs: &[(String, Vec<(String, String)>)],
        verbose: bool,
    ) -> ExitCode {
        let mut text = String::from("summary:\n");
        for (stack, result) in &report.stacks {
            match result {
                Ok(outcome) => text += &format!("  {stack}: {outcome}\n"),
                Err(error) if verbose => {
                    text += &format!("  error: {}\n", error.verbose().replace('\n', "\n  "));
                }
                Err(error) => text += &format!("  error: {error}\n"),
            }
            for (_, values) in outputs.iter().filter(|(s, _)| s == stack) {
                for (key, value) in values {
                    text += &format!("    {key} = {value}\n");
                }
            }
        }
        crate::stdout(&text);
        if report.succeeded() {
            ExitCode::SUCCESS
        } else if report.interrupted() {
            ExitCode::from(INTERRUPTED)
        } else {
            ExitCode::FAILURE
        }
    }

    #[cfg(test)]
    mod tests {
        use clap::Parser;

        /// The flags reach the deployer's options.
        #[test]
        fn stale_age_and_discard_pending_reach_the_options() {
            let cli = crate::Cli::try_parse_from([
                "app",
                "deploy",
                "--stale-change-set-age",
                "90s",
                "--discard-pending",
            ])
            .unwrap_or_else(|e| panic!("{e}"));
            let options = super::options(&cli.command.expect("deploy"));
            assert_eq!(options.stale_change_set_age, super::Duration::from_secs(90));
            assert!(options.discard_pending);
            let cli =
                crate::Cli::try_parse_from(["app", "deploy"]).unwrap_or_else(|e| panic!("{e}"));
            let options = super::options(&cli.command.expect("deploy"));
            assert_eq!(
                options.stale_change_set_age,
                super::Duration::from_secs(3600)
            );
            assert!(!options.discard_pending);
        }
    }
}

/// Stacks' outputs as CDK's `--outputs-file` writes them: `{"Stack": {"Key": "Value"}}`, in
/// deployment order, pretty-printed.
#[cfg(feature = "deploy")]
fn outputs_json(outputs: &[(String, Vec<(String, String)>)]) -> String {
    let mut file = serde_json::Map::new();
    for (stack, values) in outputs {
        let values: serde_json::Map<String, serde_json::Value> = values
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
            .collect();
        file.insert(stack.clone(), serde_json::Value::Object(values));
    }
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(file))
        .unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}

#[cfg(all(test, feature = "deploy"))]
mod outputs_tests {
    #[test]
    fn outputs_are_written_by_stack_in_deployment_order() {
        let outputs = vec![
            (
                "Provider".to_string(),
                vec![(
                    "ServiceName".to_string(),
                    "com.amazonaws.vpce.x".to_string(),
                )],
            ),
            ("Consumer".to_string(), vec![]),
        ];
        assert_eq!(
            super::outputs_json(&outputs),
            "{\n  \"Provider\": {\n    \"ServiceName\": \"com.amazonaws.vpce.x\"\n  },\n  \"Consumer\": {}\n}\n"
        );
    }
}

#[cfg(test)]
mod stale_age_tests {
    use clap::Parser;
    use std::time::Duration;

    fn deploy(args: &[&str]) -> Result<super::Command, clap::Error> {
        let cli = super::Cli::try_parse_from(["app", "deploy"].iter().chain(args))?;
        Ok(cli.command.expect("a verb"))
    }

    fn age_and_discard(args: &[&str]) -> (Duration, bool) {
        match deploy(args).unwrap_or_else(|e| panic!("{e}")) {
            super::Command::Deploy {
                stale_change_set_age,
                discard_pending,
                ..
            } => (stale_change_set_age, discard_pending),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_stale_age_defaults_to_an_hour_and_is_range_checked() {
        assert_eq!(age_and_discard(&[]), (Duration::from_secs(3600), false));
        assert_eq!(
            age_and_discard(&["--stale-change-set-age", "30m", "--discard-pending"]),
            (Duration::from_secs(1800), true)
        );
        assert_eq!(
            age_and_discard(&["--stale-change-set-age", "45"]).0,
            Duration::from_secs(45)
        );
        assert_eq!(
            age_and_discard(&["--stale-change-set-age", "168h"]).0,
            Duration::from_secs(168 * 3600)
        );
        for bad in [
            "0",
            "0s",
            "169h",
            "-5",
            "1d",
            "m",
            "",
            "99999999999999999999h",
        ] {
            let arg = format!("--stale-change-set-age={bad}");
            let error = deploy(&[&arg]).expect_err(bad);
            assert_eq!(
                error.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{bad}"
            );
        }
    }
}

/// README.md's code, compiled as a doctest so the first example a reader sees keeps working.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
