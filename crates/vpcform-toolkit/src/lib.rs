//! The `vpcform` toolkit: runs a vpcform program to synthesize its cloud assembly, answers the
//! program's lookups from the account, and diffs, deploys, rolls back, checks the drift of,
//! lists and destroys the assembly's stacks — as CDK's toolkit is to a CDK app.
//!
//! The program (built on `vpcform`, synth only) compiles no AWS SDK; this crate, installed
//! once (`cargo install --path crates/vpcform-toolkit`), holds the deployer. It reads only the
//! cloud assembly (`vpcform-assembly`), never the program's builders: what was synthesized and
//! reviewed is what is deployed, from any directory (`--assembly DIR`).
//!
//! Invariant: no dependency on `vpcform-net` or `vpcform-cfn`'s template model beyond what
//! `vpcform-deploy` takes; every verb's behaviour is [`run_verb`] on a `CloudAssembly`,
//! which a program built with vpcform's `deploy` feature calls too.
//!
//! ```no_run
//! // The `vpcform` binary's `main`:
//! fn main() -> std::process::ExitCode {
//!     vpcform_toolkit::main_with(std::env::args_os())
//! }
//! ```

mod app;
mod cli;
mod context;
mod dispatch;
mod drift_verb;
mod lookups;
mod orphans;
mod output;
mod project;
mod templates;
mod verb;

pub use cli::{Cli, Command, Format};
pub use dispatch::run_verb;
pub use project::{PROJECT_FILE, Project};
pub use templates::apply_parameters;
pub use verb::{RequireApprovalArg, Verb, parse_age};
/// The deployer's stacks of a cloud assembly, in deployment order (refused while its lookups
/// are missing): the deployer's own, re-exported.
pub use vpcform_deploy::stack_templates;

use std::process::ExitCode;

use clap::Parser;
use vpcform_assembly::CloudAssembly;

use crate::output::{USAGE, refuse};

/// Runs the `vpcform` command line `args` (the first is the program's name) and says how it
/// ended: 0 done, 1 failed (synthesis, a stack), 2 a command line, project file, context or
/// assembly refused before anything was sent, 130 interrupted; a verb's own codes otherwise
/// (docs/guide/toolkit.md).
///
/// ```
/// let code = vpcform_toolkit::main_with(["vpcform", "--assembly", "/nonexistent", "diff"]);
/// assert_eq!(code, std::process::ExitCode::from(2));
/// ```
pub fn main_with<I, T>(args: I) -> ExitCode
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
    let here = std::path::PathBuf::from(".");
    let project = match Project::read(&here) {
        Ok(project) => project,
        Err(e) => return refuse(&e, USAGE),
    };
    let format = cli.format;
    match cli.command.clone() {
        Command::Context { clear, clear_all } => {
            context::verb(&project.context_file(), &clear, clear_all, format)
        }
        Command::Synth if cli.assembly.is_some() => refuse(
            "synth runs the program; --assembly names an assembly synthesized already: give one \
             or the other",
            USAGE,
        ),
        Command::Synth => match context::synthesize(&cli, &project) {
            Ok(_) => ExitCode::SUCCESS,
            Err(code) => code,
        },
        Command::Verb(verb) => {
            let assembly = match &cli.assembly {
                Some(dir) => match CloudAssembly::read(dir) {
                    Ok(assembly) => assembly,
                    Err(e) => return refuse(&e.to_string(), USAGE),
                },
                None => match context::synthesize(&cli, &project) {
                    Ok(assembly) => assembly,
                    Err(code) => return code,
                },
            };
            run_verb(&assembly, verb, format)
        }
    }
}
