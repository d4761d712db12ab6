//! Project tasks: `cargo xtask ci` runs everything CI checks.
//!
//! Plain `std`: the task runner must build in seconds on a clean machine.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// cfn-lint carries AWS's resource schemas; pinned so a new release cannot fail CI unannounced.
const CFN_LINT: &str = "cfn-lint==1.58.0";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("lint-templates") => lint_templates(),
        _ => {
            eprintln!(
                "usage: cargo xtask <task>\n\n\
                 tasks:\n  \
                 ci              fmt check, clippy, tests (INSTA_UPDATE=no), cfn-lint of every example\n  \
                 lint-templates  synthesize every example and run cfn-lint over the templates"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn root() -> PathBuf {
    // xtask/ sits at the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Runs a command, echoing it; an error names the step that failed.
fn run(step: &str, cmd: &mut Command) -> Result {
    eprintln!("==> {step}");
    let status = cmd
        .status()
        .map_err(|e| format!("{step}: could not start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step} failed ({status})"))
    }
}

fn ci() -> Result {
    run(
        "cargo fmt --check",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    run(
        "cargo clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    run(
        "cargo test",
        cargo()
            .args(["test", "--workspace"])
            .env("INSTA_UPDATE", "no"),
    )?;
    lint_templates()
}

/// Synthesizes each example into `target/xtask/synth/<example>` and runs cfn-lint over every
/// template; any finding (error, warning or informational) fails.
fn lint_templates() -> Result {
    let cfn_lint = ensure_cfn_lint()?;
    let out = root().join("target/xtask/synth");
    let _ = std::fs::remove_dir_all(&out);
    let mut templates = Vec::new();
    for example in examples()? {
        let dir = out.join(&example);
        run(
            &format!("synthesize example {example}"),
            cargo()
                .args([
                    "run",
                    "--quiet",
                    "--example",
                    &example,
                    "--",
                    "synth",
                    "--out",
                ])
                .arg(&dir),
        )?;
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.to_string_lossy().ends_with(".template.json") {
                templates.push(path);
            }
        }
    }
    if templates.is_empty() {
        return Err("the examples synthesized no template".into());
    }
    templates.sort();
    run(
        &format!("cfn-lint over {} templates", templates.len()),
        Command::new(&cfn_lint).args(&templates),
    )?;
    eprintln!("cfn-lint: {} templates, no findings", templates.len());
    Ok(())
}

fn examples() -> Result<Vec<String>> {
    let dir = root().join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Creates `target/xtask/venv` with the pinned cfn-lint unless it is there already.
fn ensure_cfn_lint() -> Result<PathBuf> {
    let venv = root().join("target/xtask/venv");
    let bin = venv.join("bin/cfn-lint");
    let stamp = venv.join(".installed");
    let installed = std::fs::read_to_string(&stamp).unwrap_or_default();
    if bin.exists() && installed.trim() == CFN_LINT {
        return Ok(bin);
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    run(
        "create the Python virtualenv",
        Command::new(&python).arg("-m").arg("venv").arg(&venv),
    )?;
    run(
        &format!("pip install {CFN_LINT}"),
        Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            CFN_LINT,
        ]),
    )?;
    std::fs::write(&stamp, CFN_LINT).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(bin)
}
