//! The command line every vpcform program gets (clap): its verbs and flags.

#[cfg(not(feature = "deploy"))]
use std::ffi::OsString;
use std::path::PathBuf;

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
/// let program = Program::try_parse_from(["prog", "--config", "spokes.json", "synth"])?;
/// assert!(matches!(program.vpcform.command, Some(vpcform::Command::Synth)));
/// assert_eq!(program.config, std::path::Path::new("spokes.json"));
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Parser)]
#[command(
    // The doc comment above is for rustdoc (its example); `--help` says `about`.
    long_about = None,
    about = "Synthesize this vpcform app's cloud assembly: templates, manifest, traffic, cost and diagrams (the `vpcform` toolkit deploys it)"
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

/// The verbs of [`Cli`]: `synth`, and with the `deploy` feature the toolkit's verbs on the
/// assembly just written (`vpcform_toolkit::Verb`).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the app and write one template per stack plus manifest.json (the default).
    Synth,
    /// A verb of the toolkit, run on the assembly just written.
    #[cfg(feature = "deploy")]
    #[command(flatten)]
    Verb(vpcform_toolkit::Verb),
    /// Any other verb: the toolkit's (`vpcform deploy`, …), which this program, built without
    /// vpcform's `deploy` feature, does not run itself.
    #[cfg(not(feature = "deploy"))]
    #[command(external_subcommand)]
    Toolkit(Vec<OsString>),
}
