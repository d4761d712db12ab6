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
    /// It was stopped by a signal (Ctrl-C reaches the program and the toolkit alike).
    Interrupted,
}

/// What the program is given besides `synth --out DIR`; every path absolute (the app may `cd`).
pub(crate) struct Run<'a> {
    pub app: &'a str,
    /// Where `app` came from, for the error lines: `vpcform.toml` or `--app`.
    pub source: &'a str,
    pub out: &'a Path,
    pub context: &'a Path,
    /// The program's stdout goes to the toolkit's stderr (stdout is the verb's, as JSON).
    pub stdout_to_stderr: bool,
    /// Flags passed to the program after `synth`.
    pub flags: Vec<String>,
}

/// Why `app` cannot have `synth --out DIR` appended to its last command: a comment would
/// swallow the arguments (and with them `--deny-warnings`), a newline or a trailing `;` or `&`
/// would run `synth` as a command of its own.
pub(crate) fn refuse_app(app: &str) -> Option<String> {
    let trimmed = app.trim_end();
    let why = if app.contains('\n') {
        "holds a newline"
    } else if app.contains('#') {
        "holds a `#`, which the shell may read as a comment"
    } else if trimmed.ends_with(';') || trimmed.ends_with('&') {
        "ends with `;` or `&`"
    } else {
        return None;
    };
    Some(format!(
        "`app` {why}: vpcform appends `synth --out DIR` to it, so it must end with the \
         program's command line, e.g. app = \"cargo run -q --example privatelink --\""
    ))
}

/// Runs the program through the shell (`sh -c`, so `app` may quote, `cd` and set variables as
/// a person types it); `VPCFORM_CONTEXT` names the context file.
pub(crate) fn run(run: &Run<'_>) -> Ran {
    // A stale manifest must not pass for this run's: the program must write it anew (a
    // program that exits 0 without writing one is not a vpcform program). It is left in
    // place, so that the program's synthesis removes the templates of stacks it dropped, and
    // dated back to 1970, so any write of it, however soon, is newer (filesystems that keep
    // seconds only included).
    let manifest = run.out.join(vpcform_assembly::MANIFEST_FILE);
    if let Ok(file) = std::fs::File::options().write(true).open(&manifest)
        && let Err(e) = file.set_modified(std::time::SystemTime::UNIX_EPOCH)
    {
        return Ran::Failed(format!(
            "could not mark the old {}: {e}",
            manifest.display()
        ));
    }
    let before = modified(&manifest);
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
    // Collected, then passed on once the run's outcome is known: a run that only asked for
    // lookups is not the one whose findings (`--format json`) belong on stdout.
    command.stdout(Stdio::piped());
    let mut text = String::new();
    let status = match command.spawn() {
        Ok(mut child) => {
            if let Some(mut out) = child.stdout.take() {
                let _ = out.read_to_string(&mut text);
            }
            child.wait()
        }
        Err(e) => Err(e),
    };
    let ran = match status {
        Ok(status) => ended(status, run, &manifest, before),
        Err(e) => Ran::Failed(format!("could not run the app `{}`: {e}", run.app)),
    };
    if run.stdout_to_stderr || ran == Ran::LookupsMissing {
        stderr(&text);
    } else {
        crate::output::stdout(&text);
    }
    ran
}

/// When a file was last written, if it exists.
fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// What an exit status means for the assembly.
fn ended(
    status: ExitStatus,
    run: &Run<'_>,
    manifest: &Path,
    before: Option<std::time::SystemTime>,
) -> Ran {
    let (app, source) = (run.app, run.source);
    let written = modified(manifest).is_some_and(|after| before.is_none_or(|b| after > b));
    match status.code() {
        Some(0) if written => Ran::Synthesized,
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
             build or run; check {source}"
        )),
        None => Ran::Interrupted,
    }
}
