//! The `vpcform` command line (clap): where the assembly comes from, and what to do with it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::Verb;

/// The `vpcform` command: runs a vpcform program to synthesize its cloud assembly (the `app` of
/// `vpcform.toml`, or `--app`), or takes one already synthesized (`--assembly DIR`), then acts
/// on it.
///
/// ```
/// use clap::Parser;
/// let cli = vpcform_toolkit::Cli::try_parse_from(["vpcform", "--assembly", "cdk.out", "diff"])?;
/// assert_eq!(cli.assembly.as_deref(), Some(std::path::Path::new("cdk.out")));
/// assert!(matches!(cli.command, vpcform_toolkit::Command::Verb(vpcform_toolkit::Verb::Diff { .. })));
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Parser)]
#[command(
    // The doc comment above is for rustdoc (its example); `--help` says `about`.
    long_about = None,
    name = "vpcform",
    version,
    about = "Synthesize a vpcform program's cloud assembly, look up what only the account knows, and diff, deploy, import, roll back, check the drift of, list and destroy its stacks"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// The command that runs the program, with vpcform's `synth --out DIR` appended (overrides
    /// `app` in vpcform.toml), e.g. "cargo run -q --example privatelink --".
    #[arg(
        long,
        global = true,
        value_name = "COMMAND",
        conflicts_with = "assembly"
    )]
    pub app: Option<String>,
    /// Act on this cloud assembly, synthesized already, instead of running the program: what
    /// was reviewed is what is deployed.
    #[arg(long, global = true, value_name = "DIR")]
    pub assembly: Option<PathBuf>,
    /// Where the program writes the assembly (default: `output` in vpcform.toml, else
    /// `vpcform.out`).
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "assembly")]
    pub out: Option<PathBuf>,
    /// `text`, for people; or `json`: findings, drift, listings and validation results as JSON
    /// on stdout, progress and summaries on stderr.
    #[arg(long, global = true, value_name = "FORMAT", default_value = "text")]
    pub format: Format,
    /// Fail when the program's lookups are not all in vpcform.context.json, instead of looking
    /// them up (for CI: synthesis stays offline and deterministic).
    #[arg(long, global = true, conflicts_with = "assembly")]
    pub no_lookups: bool,
    /// Passed to the program: make its warnings errors.
    #[arg(long, global = true, conflicts_with = "assembly")]
    pub deny_warnings: bool,
    /// Passed to the program: write its findings to this file as SARIF 2.1.0.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "assembly")]
    pub sarif: Option<PathBuf>,
    /// Passed to the program: unit prices for its cost estimate (JSON).
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "assembly")]
    pub prices: Option<PathBuf>,
}

/// `--format`'s values.
///
/// ```
/// use clap::ValueEnum;
/// assert_eq!(vpcform_toolkit::Format::from_str("json", false), Ok(vpcform_toolkit::Format::Json));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// JSON on stdout.
    Json,
}

/// The toolkit's verbs: `synth` and `context` of its own, and every [`Verb`] on the assembly.
///
/// See [`Cli`] for an example.
#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Run the program: check it and write its cloud assembly, looking up what the context
    /// file does not answer yet.
    Synth,
    /// List the looked-up facts in vpcform.context.json, or clear entries so that the next
    /// synthesis looks them up again.
    Context {
        /// Entries to remove, by key (as listed).
        #[arg(long, value_name = "KEY", conflicts_with = "clear_all")]
        clear: Vec<String>,
        /// Remove every entry.
        #[arg(long)]
        clear_all: bool,
    },
    /// A verb on the cloud assembly.
    #[command(flatten)]
    Verb(Verb),
}

/// The verb of a `vpcform` command line (tests).
#[cfg(test)]
pub(crate) fn verb(args: &[&str]) -> Verb {
    let line =
        Cli::try_parse_from(["vpcform"].iter().chain(args)).unwrap_or_else(|e| panic!("{e}"));
    match line.command {
        Command::Verb(verb) => verb,
        other => panic!("not a verb: {other:?}"),
    }
}
