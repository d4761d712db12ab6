//! The toolkit's own refusals and its run of the program, without AWS: a missing or malformed
//! project file, an app that does not build or is not a vpcform program, an assembly of another
//! schema version, the context file listed, cleared and edited into nonsense, and lookups that
//! `--no-lookups` forbids resolving. Each asserts the exit code and the one line printed.
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

/// A fresh directory for one test, as a project's.
fn project(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("vpcform-toolkit-cli-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("project dir");
    dir
}

/// `vpcform ARGS` in `dir`, with no AWS endpoint that answers.
fn vpcform(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vpcform"))
        .current_dir(dir)
        .args(args)
        .envs(common::aws_variables("http://127.0.0.1:1"))
        .env_remove("AWS_PROFILE")
        .env_remove(vpcform_assembly::CONTEXT_ENV)
        .output()
        .expect("vpcform runs")
}

fn text(output: &Output) -> (Option<i32>, String, String) {
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `--help` says what the command does, not the rustdoc example of its type.
#[test]
fn help_is_for_people() {
    let dir = project("help");
    let (code, out, _) = text(&vpcform(&dir, &["--help"]));
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("Synthesize a vpcform program's cloud assembly"),
        "{out}"
    );
    assert!(!out.contains("```") && !out.contains("assert"), "{out}");
    for verb in ["synth", "context", "deploy", "import", "drift", "list"] {
        assert!(out.contains(&format!("  {verb} ")), "{verb}: {out}");
    }
}

#[test]
fn without_an_app_or_an_assembly_it_says_what_to_write() {
    let dir = project("no-app");
    let (code, _, err) = text(&vpcform(&dir, &["synth"]));
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no `app` to run"), "{err}");
    assert!(err.contains("vpcform.toml"), "{err}");
}

#[test]
fn a_malformed_project_file_is_one_line_with_where() {
    let dir = project("bad-toml");
    std::fs::write(dir.join("vpcform.toml"), "app = \"cargo run\"\napp2 = 1\n").expect("write");
    let (code, _, err) = text(&vpcform(&dir, &["synth"]));
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("vpcform.toml: not a vpcform project file: line 2"),
        "{err}"
    );
    assert!(err.contains("unknown field `app2`"), "{err}");
}

#[test]
fn an_app_that_fails_to_build_or_is_no_vpcform_program_is_named() {
    let dir = project("bad-app");
    // As cargo ends when the program does not compile: its output above, exit 101.
    std::fs::write(
        dir.join("vpcform.toml"),
        "app = \"echo 'error[E0425]: cannot find value' >&2; exit 101; :\"\n",
    )
    .expect("write");
    let (code, _, err) = text(&vpcform(&dir, &["synth"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.starts_with("error[E0425]: cannot find value\n"),
        "the compiler's output: {err}"
    );
    assert!(err.contains("failed with exit status 101"), "{err}");
    // A command that writes no assembly: not a vpcform program.
    let (code, _, err) = text(&vpcform(&dir, &["--app", "true", "synth"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("exited without writing"), "{err}");
    // A command that is not there.
    let (code, _, err) = text(&vpcform(&dir, &["--app", "/nonexistent/program", "synth"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("failed with exit status 127"), "{err}");
}

#[test]
fn synth_runs_the_program_and_a_verb_reads_its_assembly() {
    let dir = project("synth");
    let app = common::example("toolkit_test_app");
    std::fs::write(
        dir.join("vpcform.toml"),
        format!("app = \"{}\"\noutput = \"out\"\n", app.display()),
    )
    .expect("write");
    let (code, out, err) = text(&vpcform(&dir, &["synth"]));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.contains("manifest -> "), "{out}");
    let read = vpcform_assembly::CloudAssembly::read(&dir.join("out")).expect("the assembly");
    assert_eq!(read.manifest().app, "private-endpoints");
    // A verb on it: a stack it does not have is refused before anything is sent.
    let (code, _, err) = text(&vpcform(&dir, &["--assembly", "out", "drift", "Nope"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("Nope"), "{err}");
    // import: a malformed --resource, or a stack the app lacks, is refused before anything is
    // sent (no AWS answers here).
    let (code, _, err) = text(&vpcform(
        &dir,
        &[
            "--assembly",
            "out",
            "import",
            "PrivateEndpoints",
            "--resource",
            "subnet-0123",
        ],
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("expected LOGICAL_ID=PHYSICAL_ID"), "{err}");
    let (code, _, err) = text(&vpcform(
        &dir,
        &[
            "--assembly",
            "out",
            "import",
            "Nope",
            "--resource",
            "Vpc=vpc-0123",
        ],
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("Nope"), "{err}");
    // --app and --assembly exclude each other; synth takes no assembly.
    let (code, _, _) = text(&vpcform(&dir, &["--app", "x", "--assembly", "out", "diff"]));
    assert_eq!(code, Some(2));
    let (code, _, err) = text(&vpcform(&dir, &["--assembly", "out", "synth"]));
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn an_assembly_of_another_schema_version_is_refused_on_one_line() {
    let dir = project("version");
    std::fs::create_dir_all(dir.join("old")).expect("dir");
    std::fs::write(
        dir.join("old/manifest.json"),
        r#"{"version": 2, "app": "demo", "stacks": []}"#,
    )
    .expect("write");
    let (code, _, err) = text(&vpcform(&dir, &["--assembly", "old", "diff"]));
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cloud assembly schema version 2"), "{err}");
}

/// A program that asks for a lookup: writes a manifest naming it and exits 3.
fn asking_app(dir: &Path) -> String {
    let manifest = serde_json::json!({
        "version": vpcform_assembly::SCHEMA_VERSION,
        "app": "asks",
        "stacks": [],
        "missing": [{"type": "availabilityZones", "account": "111122223333", "region": "eu-west-1"}],
    });
    let script = dir.join("asks.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n# synth --out DIR\nmkdir -p \"$3\" && echo '{manifest}' > \"$3/manifest.json\"\nexit 3\n"
        ),
    )
    .expect("write");
    format!("sh {}", script.display())
}

#[test]
fn no_lookups_refuses_what_the_context_lacks_naming_each() {
    let dir = project("no-lookups");
    let app = asking_app(&dir);
    let (code, _, err) = text(&vpcform(&dir, &["--app", &app, "--no-lookups", "synth"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--no-lookups"), "{err}");
    assert!(
        err.contains("availability-zones:account=111122223333:region=eu-west-1"),
        "{err}"
    );
    assert!(
        !dir.join("vpcform.context.json").exists(),
        "nothing written"
    );
}

#[test]
fn the_context_is_listed_cleared_and_refused_when_edited_into_nonsense() {
    let dir = project("context");
    let (code, out, _) = text(&vpcform(&dir, &["context"]));
    assert_eq!(code, Some(0));
    assert!(out.contains("no lookups"), "{out}");
    let mut context = vpcform_assembly::Context::default();
    let query = vpcform_assembly::ContextQuery::AvailabilityZones {
        account: "111122223333".into(),
        region: "eu-west-1".into(),
    };
    context.insert(
        query.clone(),
        vpcform_assembly::ContextValue::AvailabilityZones {
            zones: vec![vpcform_assembly::AvailabilityZone {
                name: "eu-west-1a".into(),
                id: "euw1-az3".into(),
                zone_type: "availability-zone".into(),
            }],
        },
    );
    let file = dir.join("vpcform.context.json");
    context.write(&file).expect("write");
    let (code, out, _) = text(&vpcform(&dir, &["context"]));
    assert_eq!(code, Some(0));
    assert!(out.contains(&query.key()), "{out}");
    assert!(out.contains("eu-west-1a (euw1-az3)"), "{out}");
    let (code, out, _) = text(&vpcform(&dir, &["context", "--format", "json"]));
    assert_eq!(code, Some(0));
    assert_eq!(
        vpcform_assembly::Context::parse(&file, &out).expect("JSON"),
        context
    );
    // An unknown key: nothing removed.
    let (code, _, err) = text(&vpcform(&dir, &["context", "--clear", "nope"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&query.key()), "lists the keys: {err}");
    let (code, out, _) = text(&vpcform(&dir, &["context", "--clear", &query.key()]));
    assert_eq!(code, Some(0));
    assert!(out.contains("cleared 1 entry"), "{out}");
    assert!(
        vpcform_assembly::Context::read(&file)
            .expect("read")
            .is_empty()
    );
    // Edited by hand into nonsense: one line naming the file, before the program runs.
    std::fs::write(&file, "{\"x\": [").expect("write");
    let (code, _, err) = text(&vpcform(&dir, &["context"]));
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("vpcform.context.json: not a vpcform context file"),
        "{err}"
    );
    let app = asking_app(&dir);
    let (code, _, err) = text(&vpcform(&dir, &["--app", &app, "synth"]));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a vpcform context file"), "{err}");
    // The fix the line names works on such a file: an entry edited into nonsense is cleared
    // from the object it still is, and --clear-all removes the file.
    std::fs::write(&file, "{\"bad\": {\"query\": 1}}").expect("write");
    let (code, _, err) = text(&vpcform(&dir, &["context", "--clear", "bad"]));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        vpcform_assembly::Context::read(&file)
            .expect("read")
            .is_empty()
    );
    std::fs::write(&file, "[").expect("write");
    let (code, _, err) = text(&vpcform(&dir, &["context", "--clear-all"]));
    assert_eq!(code, Some(0), "{err}");
    assert!(!file.exists());
}

#[test]
fn an_app_whose_appended_arguments_would_be_lost_is_refused() {
    let dir = project("app-shape");
    for app in [
        "cargo run -q --example x -- # note",
        "make synth;",
        "cargo run\n--example x",
    ] {
        let (code, _, err) = text(&vpcform(&dir, &["--app", app, "synth"]));
        assert_eq!(code, Some(2), "{app:?}: {err}");
        assert!(err.contains("vpcform appends `synth --out DIR`"), "{err}");
    }
    // Flags that mean nothing with --assembly are refused beside it.
    let (code, _, _) = text(&vpcform(
        &dir,
        &["--assembly", "out", "--deny-warnings", "deploy"],
    ));
    assert_eq!(code, Some(2));
}

#[test]
fn an_app_that_changes_directory_writes_where_the_toolkit_reads() {
    let dir = project("cd-app");
    std::fs::create_dir_all(dir.join("net")).expect("dir");
    let app = format!(
        "cd net && '{}'",
        common::example("toolkit_test_app").display()
    );
    let (code, out, err) = text(&vpcform(&dir, &["--app", &app, "synth"]));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(dir.join("vpcform.out/manifest.json").exists(), "{out}");
    assert!(!dir.join("net/vpcform.out").exists());
}
