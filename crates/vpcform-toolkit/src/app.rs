//! Running the program: its `app` command with `synth --out DIR` appended, as CDK runs its app
//! with `CDK_OUTDIR`; how it ended, in the toolkit's words.

use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

use crate::output::stderr;

/// How a run of the program ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ran {
    /// It wrote the assembly.
    Synthesized,
    /// It wrote an assembly whose lookups are not all answered.
    LookupsMissing,
    /// Its synthesis failed: its findings are printed.
    SynthesisFailed,
    /// It did not run as a vpcform program: the command failed to start, to build, or exited
    /// with another status (the line says which, its output is above).
    Failed(String),
}

/// What the program is given besides `synth --out DIR`.
pub(crate) struct Run<'a> {
    pub app: &'a str,
    pub out: &'a Path,
    pub context: &'a Path,
    /// The program's stdout goes to the toolkit's stderr (stdout is the verb's, as JSON).
    pub stdout_to_stderr: bool,
    /// Flags passed to the program after `synth`.
    pub flags: Vec<String>,
}

/// Runs the program through the shell (`sh -c`, so `app` may quote and set variables as a
/// person types it); `VPCFORM_CONTEXT` names the context file.
pub(crate) fn run(run: &Run<'_>) -> Ran {
    // A stale manifest must not pass for this run's: a program that exits 0 without writing
    // one (not a vpcform program) is then an error.
    let manifest = run.out.join(vpcform_assembly::MANIFEST_FILE);
    if let Err(e) = std::fs::remove_file(&manifest)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        return Ran::Failed(format!(
            "could not remove the old {}: {e}",
            manifest.display()
        ));
    }
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{} \"$@\"", run.app))
        .arg("vpcform")
        .arg("synth")
        .arg("--out")
        .arg(run.out)
        .args(&run.flags)
        .env(vpcform_assembly::CONTEXT_ENV, run.context)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit());
    command.stdout(if run.stdout_to_stderr {
        Stdio::piped()
    } else {
        Stdio::inherit()
    });
    let status = match command.spawn() {
        Ok(mut child) => {
            if let Some(mut out) = child.stdout.take() {
                let mut text = String::new();
                let _ = out.read_to_string(&mut text);
                stderr(&text);
            }
            child.wait()
        }
        Err(e) => Err(e),
    };
    match status {
        Ok(status) => ended(status, run.app, &manifest),
        Err(e) => Ran::Failed(format!("could not run the app `{}`: {e}", run.app)),
    }
}

/// What an exit status means for the assembly.
fn ended(status: ExitStatus, app: &str, manifest: &Path) -> Ran {
    match status.code() {
        Some(0) if manifest.exists() => Ran::Synthesized,
        Some(0) => Ran::Failed(format!(
            "the app `{app}` exited without writing {}: is it a vpcform program (`App::run`)?",
            manifest.display()
        )),
        Some(code) if code == i32::from(vpcform_assembly::LOOKUPS_MISSING_EXIT) => {
            Ran::LookupsMissing
        }
        Some(1) => Ran::SynthesisFailed,
        Some(code) => Ran::Failed(format!(
            "the app `{app}` failed with exit status {code} (its output is above): it did not \
             build or run; check `app` in vpcform.toml"
        )),
        None => Ran::Failed(format!("the app `{app}` was stopped by a signal")),
    }
}
