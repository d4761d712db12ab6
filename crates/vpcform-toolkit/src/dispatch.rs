//! The verbs on a cloud assembly: the deployer's options from the command line, its report as a
//! summary and an exit code.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use vpcform_deploy::{
    DeployError, DeployOptions, Deployer, Report, RequireApproval, StackOutcome, TerminalUi,
};

use vpcform_assembly::CloudAssembly;

use crate::output::{INTERRUPTED, USAGE, stderr, stdout};
use crate::{Format, RequireApprovalArg, Verb, stack_templates};

/// Runs a verb on a cloud assembly and says how it ended (docs/guide/deploy.md, "Exit codes");
/// with `--format json` a deploy's pre-deployment validation results go to stdout as a JSON
/// array and its summary to stderr.
///
/// ```no_run
/// use clap::Parser;
/// #[derive(Parser)]
/// struct Line {
///     #[command(subcommand)]
///     verb: vpcform_toolkit::Verb,
/// }
/// let assembly = vpcform_assembly::CloudAssembly::read(std::path::Path::new("vpcform.out"))?;
/// let line = Line::parse_from(["vpcform", "diff"]);
/// let code = vpcform_toolkit::run_verb(&assembly, line.verb, vpcform_toolkit::Format::Text);
/// # Ok::<(), vpcform_assembly::AssemblyError>(())
/// ```
pub fn run_verb(assembly: &CloudAssembly, verb: Verb, format: Format) -> ExitCode {
    // Lookups not answered: refused before anything is read or sent (a usage error, as
    // `--no-lookups`); a template that cannot be read is a failure.
    let refused = if assembly.manifest().missing.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::from(USAGE)
    };
    let mut stacks = match stack_templates(assembly) {
        Ok(stacks) => stacks,
        Err(e) => {
            stderr(&format!("error: {e}\n"));
            return refused;
        }
    };
    if let Verb::Deploy { parameters, .. } = &verb
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
        // With --format json, stdout holds only JSON (a deploy's validation results, drift's
        // report): progress goes to stderr.
        let ui = if format == Format::Json {
            TerminalUi::on_stderr()
        } else {
            TerminalUi::new()
        };
        let deployer = Deployer::from_env(Arc::new(ui), options).await;
        if let Err(e) = deployer.interrupt_on_ctrl_c() {
            stderr(&format!("error: could not watch for Ctrl-C: {e}\n"));
            return ExitCode::FAILURE;
        }
        match verb {
            Verb::Diff { stacks: only } => match deployer.diff(&stacks, &only).await {
                Ok(diffs) => {
                    for diff in &diffs {
                        stdout(&diff.to_string());
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
            verb @ Verb::Deploy { .. } => deploy(&deployer, &stacks, verb, format).await,
            Verb::Import {
                stack,
                resources,
                verbose,
                ..
            } => import(&deployer, &stacks, &stack, &resources, format, verbose).await,
            Verb::Rollback {
                stacks: only,
                skip,
                verbose,
                ..
            } => match deployer.rollback(&stacks, &only, &skip).await {
                Ok(report) => summary(&report, &[], verbose),
                Err(e) => fail(&e, verbose),
            },
            Verb::Drift {
                stacks: only,
                verbose,
                ..
            } => crate::drift_verb::report(deployer.drift(&stacks, &only).await, format, verbose),
            verb @ (Verb::Destroy { .. } | Verb::List { .. }) => {
                destroy_or_list(
                    &deployer,
                    assembly.manifest().app.as_str(),
                    &stacks,
                    verb,
                    format,
                )
                .await
            }
        }
    });
    // A question nobody answered holds a thread reading the terminal: do not wait for it.
    runtime.shutdown_background();
    code
}

/// `deploy`: the report's summary, every deployed stack's outputs (to `--outputs-file`), and
/// with `--format json` the pre-deployment validation results on stdout.
async fn deploy(
    deployer: &Deployer,
    stacks: &[vpcform_deploy::StackTemplate],
    verb: Verb,
    format: Format,
) -> ExitCode {
    let Verb::Deploy {
        stacks: only,
        outputs_file,
        change_set,
        verbose,
        ..
    } = verb
    else {
        return ExitCode::from(USAGE);
    };
    let report = match &change_set {
        Some(name) => deployer.deploy_change_set(stacks, &only, name).await,
        None => deployer.deploy(stacks, &only).await,
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
            Ok(StackOutcome::Deployed { outputs, .. } | StackOutcome::Step { outputs, .. }) => {
                outputs.clone()
            }
            Ok(StackOutcome::NoChanges) => {
                let Some(template) = stacks.iter().find(|s| s.name == *stack) else {
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
    let code = if format == Format::Json {
        // Machine-readable on stdout, the summary for people on stderr.
        stdout(&validation_json(&deployer.validation_results()));
        summary_to(&report, &outputs, verbose, stderr)
    } else {
        summary(&report, &outputs, verbose)
    };
    if let Some(path) = outputs_file
        && report.succeeded()
    {
        if let Err(e) = std::fs::write(&path, outputs_json(&outputs)) {
            stderr(&format!(
                "error: writing the outputs to {}: {e}\n",
                path.display()
            ));
            return ExitCode::FAILURE;
        }
        let said = format!("outputs -> {}\n", path.display());
        if format == Format::Json {
            stderr(&said);
        } else {
            stdout(&said);
        }
    }
    code
}

/// The `--resource` values of `import`: `LOGICAL_ID=PHYSICAL_ID`, split at the first `=` (a
/// type identified by several properties takes `Property=value,…` after it).
fn import_pairs(resources: &[String]) -> Result<Vec<(String, String)>, String> {
    resources
        .iter()
        .map(|text| match text.split_once('=') {
            Some((id, value)) if !id.is_empty() && !value.is_empty() => {
                Ok((id.to_string(), value.to_string()))
            }
            _ => Err(format!(
                "--resource {text:?}: expected LOGICAL_ID=PHYSICAL_ID, e.g. \
                 PrivateA=subnet-0123456789abcdef0"
            )),
        })
        .collect()
}

/// `import`: the report (text, or JSON on stdout with `--format json`); 0 once imported or
/// left for review, 130 interrupted, 2 a `--resource` malformed or a stack the app lacks, 1
/// otherwise (a rule of IMPORT's broken, declined, failed).
async fn import(
    deployer: &Deployer,
    stacks: &[vpcform_deploy::StackTemplate],
    stack: &str,
    resources: &[String],
    format: Format,
    verbose: bool,
) -> ExitCode {
    let pairs = match import_pairs(resources) {
        Ok(pairs) => pairs,
        Err(e) => {
            stderr(&format!("error: {e}\n"));
            return ExitCode::from(USAGE);
        }
    };
    match deployer.import(stacks, stack, &pairs).await {
        Ok(report) => {
            match format {
                Format::Json => stdout(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&report.to_json()).unwrap_or_default()
                )),
                Format::Text => stdout(&report.to_string()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e, verbose),
    }
}

/// `destroy` (of the program's stacks, or `--orphans`) and `list`: a summary, or the listing
/// on stdout.
async fn destroy_or_list(
    deployer: &Deployer,
    app: &str,
    stacks: &[vpcform_deploy::StackTemplate],
    verb: Verb,
    format: Format,
) -> ExitCode {
    match verb {
        Verb::Destroy {
            stacks: only,
            orphans,
            verbose,
            ..
        } => {
            let report = if orphans {
                deployer.destroy_orphans(app, stacks).await
            } else {
                deployer.destroy(stacks, &only).await
            };
            match report {
                Ok(report) => summary(&report, &[], verbose),
                Err(e) => fail(&e, verbose),
            }
        }
        Verb::List { verbose } => match crate::orphans::list(deployer, app, stacks, format).await {
            Ok(text) => {
                stdout(&text);
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e, verbose),
        },
        // `run_verb` hands only destroy and list here.
        Verb::Diff { .. }
        | Verb::Deploy { .. }
        | Verb::Import { .. }
        | Verb::Rollback { .. }
        | Verb::Drift { .. } => ExitCode::from(USAGE),
    }
}

pub(crate) fn options(verb: &Verb) -> DeployOptions {
    let mut options = DeployOptions::default();
    match verb {
        Verb::Deploy {
            yes,
            require_approval,
            no_execute,
            exclusively,
            concurrency,
            timeout,
            template_bucket,
            stale_change_set_age,
            discard_pending,
            no_rollback,
            revert_drift,
            ..
        } => {
            options.no_rollback = *no_rollback;
            options.revert_drift = *revert_drift;
            options.template_bucket = template_bucket.clone();
            options.stale_change_set_age = *stale_change_set_age;
            options.discard_pending = *discard_pending;
            options.yes = *yes;
            options.require_approval = approval(*require_approval);
            options.no_execute = *no_execute;
            options.exclusively = *exclusively;
            options.concurrency = *concurrency;
            options.timeout = timeout.map(Duration::from_secs);
        }
        Verb::Destroy {
            yes, exclusively, ..
        } => {
            options.yes = *yes;
            options.exclusively = *exclusively;
        }
        Verb::Import {
            yes,
            require_approval,
            no_execute,
            timeout,
            ..
        } => {
            options.yes = *yes;
            options.require_approval = approval(*require_approval);
            options.no_execute = *no_execute;
            options.timeout = timeout.map(Duration::from_secs);
        }
        Verb::Rollback { timeout, .. } | Verb::Drift { timeout, .. } => {
            options.timeout = timeout.map(Duration::from_secs);
        }
        Verb::Diff { .. } | Verb::List { .. } => {}
    }
    options
}

/// `--require-approval`'s level for the deployer.
fn approval(level: RequireApprovalArg) -> RequireApproval {
    match level {
        RequireApprovalArg::Never => RequireApproval::Never,
        RequireApprovalArg::AnyChange => RequireApproval::AnyChange,
        RequireApprovalArg::Broadening => RequireApproval::Broadening,
    }
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
    summary_to(report, outputs, verbose, stdout)
}

/// [`summary`], written with `write`.
fn summary_to(
    report: &Report,
    outputs: &[(String, Vec<(String, String)>)],
    verbose: bool,
    write: fn(&str),
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
    write(&text);
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
    #[test]
    fn import_resources_split_at_the_first_equals_and_reach_the_options() {
        let pairs = super::import_pairs(&[
            "Subnet=subnet-0123".to_string(),
            "Route=RouteTableId=rtb-1,DestinationCidrBlock=0.0.0.0/0".to_string(),
        ]);
        assert_eq!(
            pairs,
            Ok(vec![
                ("Subnet".to_string(), "subnet-0123".to_string()),
                (
                    "Route".to_string(),
                    "RouteTableId=rtb-1,DestinationCidrBlock=0.0.0.0/0".to_string()
                ),
            ])
        );
        for bad in ["subnet-0123", "=x", "Subnet="] {
            assert!(super::import_pairs(&[bad.to_string()]).is_err(), "{bad}");
        }
        let options = super::options(&crate::cli::verb(&[
            "import",
            "Net",
            "--yes",
            "--no-execute",
            "--require-approval",
            "any-change",
            "--timeout",
            "30",
        ]));
        assert!(options.yes && options.no_execute);
        assert_eq!(options.require_approval, super::RequireApproval::AnyChange);
        assert_eq!(options.timeout, Some(super::Duration::from_secs(30)));
    }

    /// The flags reach the deployer's options.
    #[test]
    fn stale_age_and_discard_pending_reach_the_options() {
        let options = super::options(&crate::cli::verb(&[
            "deploy",
            "--stale-change-set-age",
            "90s",
            "--discard-pending",
        ]));
        assert_eq!(options.stale_change_set_age, super::Duration::from_secs(90));
        assert!(options.discard_pending);
        let options = super::options(&crate::cli::verb(&["deploy"]));
        assert_eq!(
            options.stale_change_set_age,
            super::Duration::from_secs(3600)
        );
        assert!(!options.discard_pending);
    }

    #[test]
    fn no_rollback_and_the_rollback_timeout_reach_the_options() {
        let options = |args: &[&str]| super::options(&crate::cli::verb(args));
        assert!(options(&["deploy", "--no-rollback"]).no_rollback);
        assert!(!options(&["deploy"]).no_rollback);
        assert_eq!(
            options(&["rollback", "Net", "--timeout", "60"]).timeout,
            Some(super::Duration::from_secs(60))
        );
    }
}

/// Pre-deployment validation results as `--format json` prints them: an array of objects
/// (`stack`, `change_set`, `mode` — `FAIL` or `WARN` —, `validation`, `status`, `logical_id`,
/// `path`, `reason`), pretty-printed.
fn validation_json(findings: &[vpcform_deploy::ValidationFinding]) -> String {
    let array = serde_json::Value::Array(findings.iter().map(|f| f.to_json()).collect());
    let mut text = serde_json::to_string_pretty(&array).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}

/// Stacks' outputs as CDK's `--outputs-file` writes them: `{"Stack": {"Key": "Value"}}`, in
/// deployment order, pretty-printed.
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

#[cfg(test)]
mod validation_tests {
    use vpcform_deploy::{ValidationFinding, ValidationMode};

    #[test]
    fn validation_results_are_a_json_array_with_their_mode() {
        let warn = ValidationFinding {
            stack: "Net".into(),
            change_set: "vpcform-1".into(),
            mode: ValidationMode::Warn,
            validation: "ServiceQuotaValidation".into(),
            status: "FAILED".into(),
            logical_id: Some("Vpc".into()),
            path: None,
            reason: "VPCs per Region: 5 of 5 in use".into(),
        };
        let json: serde_json::Value =
            serde_json::from_str(&super::validation_json(&[warn])).unwrap_or_default();
        assert_eq!(json[0]["mode"], "WARN");
        assert_eq!(json[0]["stack"], "Net");
        assert_eq!(json[0]["logical_id"], "Vpc");
        assert_eq!(json[0]["path"], serde_json::Value::Null);
        assert_eq!(super::validation_json(&[]), "[]\n");
    }
}

#[cfg(test)]
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
