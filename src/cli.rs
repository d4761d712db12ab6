//! The command line every vpcform program gets (clap): its verbs and flags.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

/// The command line of a vpcform program.
///
/// [`AppExt::run`](crate::AppExt::run) parses it alone. A program with flags of its own
/// flattens it into its own parser (`#[command(flatten)]`) and hands it to
/// [`AppExt::run_cli`](crate::AppExt::run_cli): its flags go before the verb, vpcform's verbs
/// and flags are unchanged.
///
/// ```
/// use clap::Parser;
/// #[derive(Parser)]
/// struct Program {
///     #[arg(long, value_name = "FILE")]
///     config: std::path::PathBuf,
///     #[command(flatten)]
///     vpcform: vpcform::Cli,
/// }
/// let program = Program::try_parse_from(["prog", "--config", "spokes.json", "deploy", "--yes"])?;
/// assert!(matches!(program.vpcform.command, Some(vpcform::Command::Deploy { yes: true, .. })));
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Parser)]
#[command(
    about = "Synthesize, diff, deploy, roll back and destroy this vpcform app's stacks; check their drift; list them and their orphans"
)]
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
    /// How findings (errors and warnings) are printed: `text`, as rustc prints its own, on
    /// stderr; or `json`, an array on stdout (the summary then goes to stderr).
    #[arg(long, global = true, value_name = "FORMAT", default_value = "text")]
    pub format: FindingsFormat,
    /// Also write the findings to this file as SARIF 2.1.0, for code-scanning views.
    #[arg(long, global = true, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
    /// Make warnings errors: print them as errors, write nothing, exit 1.
    #[arg(long, global = true)]
    pub deny_warnings: bool,
}

/// `--format`'s values.
///
/// ```
/// use clap::ValueEnum;
/// assert_eq!(vpcform::FindingsFormat::from_str("json", false), Ok(vpcform::FindingsFormat::Json));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FindingsFormat {
    /// As rustc prints its diagnostics, on stderr.
    Text,
    /// A JSON array of findings on stdout.
    Json,
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
        /// A failed create or update keeps what it made and stays CREATE_FAILED /
        /// UPDATE_FAILED: fix the cause and deploy again, or run `rollback STACK`. With
        /// `--no-execute`, a new stack's change set is made so (OnStackFailure DO_NOTHING).
        #[arg(long)]
        no_rollback: bool,
        /// Make update change sets drift-aware (CloudFormation's `REVERT_DRIFT`): the deploy
        /// also puts properties changed outside CloudFormation back to the template's values.
        #[arg(long, conflicts_with = "change_set")]
        revert_drift: bool,
        /// Print errors with their causes and AWS request IDs.
        #[arg(long)]
        verbose: bool,
    },
    /// Roll failed stacks back to their last stable state: RollbackStack from CREATE_FAILED or
    /// UPDATE_FAILED (left so by `deploy --no-rollback`), ContinueUpdateRollback from
    /// UPDATE_ROLLBACK_FAILED.
    Rollback {
        /// The stacks to roll back (exactly these).
        #[arg(required = true)]
        stacks: Vec<String>,
        /// A resource CloudFormation cannot roll back, to skip (repeat for more): for
        /// UPDATE_ROLLBACK_FAILED only (ContinueUpdateRollback's ResourcesToSkip); it is left
        /// as it is.
        #[arg(long = "skip", value_name = "RESOURCE", num_args = 1..)]
        skip: Vec<String>,
        /// Stop following a stack after this many seconds, at least 1 (CloudFormation carries
        /// on).
        #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
        timeout: Option<u64>,
        /// Print errors with their causes and AWS request IDs.
        #[arg(long)]
        verbose: bool,
    },
    /// Detect drift: what was changed in the deployed stacks outside CloudFormation, property
    /// by property (`--format json` for JSON); exit 1 when a stack drifted, 0 when all are in
    /// sync, 2 on an error or an incomplete detection.
    Drift {
        /// Stacks to check (default: all). Only these: drift detection reads, it changes nothing.
        stacks: Vec<String>,
        /// Stop waiting for a stack's detection after this many seconds, at least 1
        /// (CloudFormation finishes it on its own).
        #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
        timeout: Option<u64>,
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
        /// Instead of the program's stacks, the app's stacks the program no longer has (see
        /// `list`), importers first; refused while a stack of the program imports from one.
        #[arg(long, conflicts_with_all = ["stacks", "exclusively"])]
        orphans: bool,
        /// Print errors with their causes and AWS request IDs.
        #[arg(long)]
        verbose: bool,
    },
    /// List the app's stacks deployed in each environment the program names, with their status
    /// and last update, marking the orphans (stacks the program no longer has); `--format json`
    /// prints JSON on stdout. Exit 0 either way.
    List {
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

#[cfg(test)]
mod tests {
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

    /// `destroy --orphans` takes no stack names and no --exclusively; `list` takes no stacks.
    #[test]
    fn destroy_orphans_stands_alone() {
        let parse = |args: &[&str]| super::Cli::try_parse_from(["app"].iter().chain(args));
        let cli = parse(&["destroy", "--orphans", "--yes"]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            cli.command,
            Some(super::Command::Destroy {
                orphans: true,
                yes: true,
                ..
            })
        ));
        for conflicting in [
            &["destroy", "--orphans", "Net"][..],
            &["destroy", "--orphans", "--exclusively"],
        ] {
            let error = parse(conflicting).expect_err("conflict");
            assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
        }
        let cli = parse(&["list", "--format", "json"]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(cli.command, Some(super::Command::List { .. })));
        assert_eq!(cli.format, super::FindingsFormat::Json);
        assert!(parse(&["list", "Net"]).is_err());
    }

    #[test]
    fn rollback_names_its_stacks_and_the_resources_to_skip() {
        let cli = super::Cli::try_parse_from([
            "app", "rollback", "Net", "--skip", "Endpoint", "--skip", "Sg",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            cli.command,
            Some(super::Command::Rollback { stacks, skip, .. })
                if stacks == ["Net"] && skip == ["Endpoint", "Sg"]
        ));
        let none = super::Cli::try_parse_from(["app", "rollback"]).map(|_| ());
        assert_eq!(
            none.map_err(|e| e.kind()),
            Err(clap::error::ErrorKind::MissingRequiredArgument)
        );
        assert!(matches!(
            deploy(&["--no-rollback"]),
            Ok(super::Command::Deploy {
                no_rollback: true,
                ..
            })
        ));
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
