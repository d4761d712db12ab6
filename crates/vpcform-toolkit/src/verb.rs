//! The verbs the toolkit (and a program built with vpcform's `deploy` feature) runs on a cloud
//! assembly, with their flags (clap).

use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;

/// What the toolkit does with a cloud assembly: every verb but `synth` (which runs the program).
///
/// A program's own command line flattens it (`#[command(flatten)]`) so that the same verbs and
/// flags work in the program, with vpcform's `deploy` feature.
///
/// ```
/// use clap::Parser;
/// #[derive(Parser)]
/// struct Line {
///     #[command(subcommand)]
///     verb: vpcform_toolkit::Verb,
/// }
/// let line = Line::try_parse_from(["vpcform", "deploy", "Net", "--yes"])?;
/// assert!(matches!(line.verb, vpcform_toolkit::Verb::Deploy { yes: true, .. }));
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Clone, Debug, Subcommand)]
pub enum Verb {
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
    /// Adopt resources that already exist into a stack through an IMPORT change set (CDK's
    /// `cdk import`), with deploy's review and approval; then detect their drift from the
    /// program.
    Import {
        /// The stack to import into (deployed or not).
        stack: String,
        /// A resource of the stack's template and the existing resource it is,
        /// `LOGICAL_ID=PHYSICAL_ID` (or `LOGICAL_ID=Property=value,Property=value` for a type
        /// identified by several properties); repeat for more. Over the program's own IDs
        /// (`Stack::import_existing`), imported too.
        #[arg(long = "resource", value_name = "ID=PHYSICAL-ID")]
        resources: Vec<String>,
        /// Answer yes to the approval question.
        #[arg(long)]
        yes: bool,
        /// When to stop for approval: `never`, `any-change`, or `broadening`.
        #[arg(long, value_name = "LEVEL", default_value = "broadening")]
        require_approval: RequireApprovalArg,
        /// Create and print the import change set; do not execute it (`deploy STACK
        /// --change-set NAME` does, after review).
        #[arg(long)]
        no_execute: bool,
        /// Stop following the stack after this many seconds, at least 1 (CloudFormation
        /// carries on).
        #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
        timeout: Option<u64>,
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
/// `broadening`).
///
/// ```
/// use clap::ValueEnum;
/// let level = vpcform_toolkit::RequireApprovalArg::from_str("any-change", false)?;
/// assert_eq!(level, vpcform_toolkit::RequireApprovalArg::AnyChange);
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
/// assert_eq!(vpcform_toolkit::parse_age("30m"), Ok(Duration::from_secs(1800)));
/// assert_eq!(vpcform_toolkit::parse_age("90"), Ok(Duration::from_secs(90)));
/// assert!(vpcform_toolkit::parse_age("0s").is_err());
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

    /// A command line of the verbs alone.
    #[derive(Debug, Parser)]
    struct Line {
        #[command(subcommand)]
        verb: super::Verb,
    }

    fn parse(args: &[&str]) -> Result<super::Verb, clap::Error> {
        Ok(Line::try_parse_from(["app"].iter().chain(args))?.verb)
    }

    fn deploy(args: &[&str]) -> Result<super::Verb, clap::Error> {
        parse(&["deploy"].iter().chain(args).copied().collect::<Vec<_>>())
    }

    fn age_and_discard(args: &[&str]) -> (Duration, bool) {
        match deploy(args).unwrap_or_else(|e| panic!("{e}")) {
            super::Verb::Deploy {
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
        let verb = parse(&["destroy", "--orphans", "--yes"]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            verb,
            super::Verb::Destroy {
                orphans: true,
                yes: true,
                ..
            }
        ));
        for conflicting in [
            &["destroy", "--orphans", "Net"][..],
            &["destroy", "--orphans", "--exclusively"],
        ] {
            let error = parse(conflicting).expect_err("conflict");
            assert_eq!(error.kind(), clap::error::ErrorKind::ArgumentConflict);
        }
        let verb = parse(&["list"]).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(verb, super::Verb::List { .. }));
        assert!(parse(&["list", "Net"]).is_err());
    }

    #[test]
    fn rollback_names_its_stacks_and_the_resources_to_skip() {
        let verb = parse(&["rollback", "Net", "--skip", "Endpoint", "--skip", "Sg"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            verb,
            super::Verb::Rollback { stacks, skip, .. }
                if stacks == ["Net"] && skip == ["Endpoint", "Sg"]
        ));
        let none = parse(&["rollback"]).map(|_| ());
        assert_eq!(
            none.map_err(|e| e.kind()),
            Err(clap::error::ErrorKind::MissingRequiredArgument)
        );
        assert!(matches!(
            deploy(&["--no-rollback"]),
            Ok(super::Verb::Deploy {
                no_rollback: true,
                ..
            })
        ));
    }

    #[test]
    fn import_names_one_stack_and_its_resources() {
        let verb = parse(&[
            "import",
            "Net",
            "--resource",
            "Subnet=subnet-0123",
            "--resource",
            "Route=RouteTableId=rtb-1,DestinationCidrBlock=0.0.0.0/0",
            "--yes",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            verb,
            super::Verb::Import { stack, resources, yes: true, .. }
                if stack == "Net" && resources.len() == 2
        ));
        assert!(parse(&["import"]).is_err(), "a stack is required");
        assert!(parse(&["import", "A", "B"]).is_err(), "one stack");
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
