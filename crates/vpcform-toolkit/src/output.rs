//! Where the toolkit writes, and its exit codes (docs/guide/deploy.md, "Exit codes").

use std::process::ExitCode;

/// Writes to stdout. A closed stdout (`| head`, a pipeline that stopped reading) loses the
/// text, never the work: the deploy goes on regardless, so this is not the panic (exit 101)
/// `print!` would make of it.
pub(crate) fn stdout(text: &str) {
    write_to(std::io::stdout().lock(), text);
}

/// Writes to stderr; a closed stderr (`2>&1 | tee log`, and Ctrl-C ended `tee`) loses the text,
/// never the exit code, as [`stdout`].
pub(crate) fn stderr(text: &str) {
    write_to(std::io::stderr().lock(), text);
}

/// The one place the toolkit writes: errors of the stream are ignored (see [`stdout`]).
fn write_to(mut stream: impl std::io::Write, text: &str) {
    let _ = stream
        .write_all(text.as_bytes())
        .and_then(|()| stream.flush());
}

/// A command line refused before anything was done: clap's for a malformed argument, and
/// vpcform's for a malformed `--parameters` value, an AWS variable the SDK would drop, a
/// missing or malformed `vpcform.toml`, or lookups `--no-lookups` forbids resolving.
pub(crate) const USAGE: u8 = 2;

/// 128 + SIGINT: what a shell reports for a program stopped by Ctrl-C.
pub(crate) const INTERRUPTED: u8 = 130;

/// An error line on stderr, and `code`.
pub(crate) fn refuse(text: &str, code: u8) -> ExitCode {
    stderr(&format!("error: {text}\n"));
    ExitCode::from(code)
}
