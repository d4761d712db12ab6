//! vpcform: AWS network infrastructure — VPCs, gateway and interface endpoints, PrivateLink —
//! as ordinary, typed Rust programs that synthesize CloudFormation.
//!
//! This facade re-exports the layers (see `ARCHITECTURE.md`): [`cfn`], the template model, and
//! the network builders at the crate root, plus [`AppExt::run`], the command line every
//! vpcform program gets.
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
//!     app.run() // `cargo run -- --out DIR` writes the templates
//! }
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use vpcform_cfn as cfn;
pub use vpcform_net::*;

/// Everything a vpcform program usually needs: `use vpcform::prelude::*;`.
pub mod prelude {
    pub use crate::AppExt;
    pub use vpcform_net::prelude::*;
}

/// The command line of a vpcform program.
#[derive(Debug, Parser)]
#[command(about = "Synthesize this vpcform app's CloudFormation templates")]
pub struct Cli {
    /// What to do; `synth` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Where templates and manifest.json are written.
    #[arg(long, global = true, default_value = "vpcform.out")]
    pub out: PathBuf,
}

/// The verbs of [`Cli`].
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the app and write one template per stack plus manifest.json (the default).
    Synth,
}

/// Runs an [`App`] as a command-line program.
pub trait AppExt {
    /// Parses the process's arguments (see [`Cli`]) and acts on the app: prints a summary and
    /// returns success, or prints every error and returns failure without writing anything.
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
        self.run_with(std::env::args_os())
    }

    fn run_with<I, T>(self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let cli = match Cli::try_parse_from(args) {
            Ok(cli) => cli,
            Err(e) => {
                let _ = e.print();
                return if e.use_stderr() {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                };
            }
        };
        match cli.command.unwrap_or(Command::Synth) {
            Command::Synth => synth(&self, &cli.out),
        }
    }
}

fn synth(app: &App, out: &std::path::Path) -> ExitCode {
    if app.is_empty() {
        eprintln!(
            "error: app {:?} has no stacks: add one with App::add_stack",
            app.name()
        );
        return ExitCode::FAILURE;
    }
    let assembly = match app.synth() {
        Ok(assembly) => assembly,
        Err(errors) => {
            eprintln!("error: {errors}");
            eprintln!("nothing was written");
            return ExitCode::FAILURE;
        }
    };
    for warning in assembly.warnings() {
        eprintln!("warning: {warning}");
    }
    match assembly.write_to(out) {
        Ok(_) => {
            print!("{}", assembly.summary(out));
            println!("manifest -> {}", out.join("manifest.json").display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: could not write the assembly: {e}");
            ExitCode::FAILURE
        }
    }
}

/// README.md's code, compiled as a doctest so the first example a reader sees keeps working.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
