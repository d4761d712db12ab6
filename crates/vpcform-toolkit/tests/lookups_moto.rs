//! The lookup loop end to end against moto's EC2: a program that asks for a Region's zones
//! (exit 3, the query in its manifest) is answered by the toolkit, which writes the context file
//! and runs it again; the second run finds the answer and writes its assembly.
#![cfg(unix)]

mod common;

use std::path::Path;

use common::Moto;

/// A program that asks for us-east-1's zones in moto's account until `VPCFORM_CONTEXT` holds
/// them, then writes an assembly of no stacks.
fn asking_app(dir: &Path) -> String {
    let asks = serde_json::json!({
        "version": vpcform_assembly::SCHEMA_VERSION,
        "app": "asks",
        "stacks": [],
        "missing": [{"type": "availabilityZones", "account": "123456789012", "region": "us-east-1"}],
    });
    let done = serde_json::json!({
        "version": vpcform_assembly::SCHEMA_VERSION,
        "app": "asks",
        "stacks": [],
    });
    let script = dir.join("asks.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n# synth --out DIR\nmkdir -p \"$3\"\n\
             if grep -q 'availability-zones:account=123456789012:region=us-east-1' \"$VPCFORM_CONTEXT\" 2>/dev/null; then\n\
             echo '{done}' > \"$3/manifest.json\"; echo ran >> \"$3/runs\"; exit 0\nfi\n\
             echo '{asks}' > \"$3/manifest.json\"; echo asked >> \"$3/runs\"; exit 3\n"
        ),
    )
    .expect("write");
    format!("sh '{}'", script.display())
}

#[test]
fn missing_lookups_are_answered_from_the_account_written_sorted_and_the_program_runs_again() {
    let Some(moto) = Moto::start() else { return };
    let dir = std::env::temp_dir().join(format!("vpcform-lookups-moto-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let app = asking_app(&dir);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_vpcform"))
        .current_dir(&dir)
        .args(["--app", &app, "synth"])
        .envs(common::aws_variables(&moto.url()))
        .env_remove("AWS_PROFILE")
        .output()
        .expect("vpcform runs");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(err.contains("looking up 1 fact"), "{err}");
    let runs = std::fs::read_to_string(dir.join("vpcform.out/runs")).expect("runs");
    assert_eq!(runs, "asked\nran\n");
    let context = vpcform_assembly::Context::read(&dir.join("vpcform.context.json")).expect("read");
    let query = vpcform_assembly::ContextQuery::AvailabilityZones {
        account: "123456789012".into(),
        region: "us-east-1".into(),
    };
    match context.get(&query) {
        Some(vpcform_assembly::ContextValue::AvailabilityZones { zones }) => {
            assert!(zones.iter().any(|z| z.name == "us-east-1a"), "{zones:?}");
            assert!(zones.iter().all(|z| !z.id.is_empty()), "{zones:?}");
        }
        other => panic!("{other:?}"),
    }
    // Committed and run again: nothing is asked of the account (--no-lookups passes).
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_vpcform"))
        .current_dir(&dir)
        .args(["--app", &app, "--no-lookups", "synth"])
        .envs(common::aws_variables("http://127.0.0.1:1"))
        .env_remove("AWS_PROFILE")
        .output()
        .expect("vpcform runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A real program's lookup end to end: the toolkit deploys one program's VPC to moto, then runs
/// a second program that looks that VPC up by its `Name` tag; the toolkit answers the query
/// from moto's EC2, writes the context and runs the program again, whose template now holds the
/// VPC's ID; with the context committed, `--no-lookups` synthesizes offline.
#[test]
fn a_program_looks_up_a_deployed_vpc_through_the_toolkit() {
    let Some(moto) = Moto::start() else { return };
    let dir = std::env::temp_dir().join(format!("vpcform-lookup-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let vpcform = |app: &str, endpoint: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vpcform"))
            .current_dir(&dir)
            .arg("--app")
            .arg(format!("'{}'", common::example(app).display()))
            .args(args)
            .envs(common::aws_variables(endpoint))
            .env_remove("AWS_PROFILE")
            .output()
            .expect("vpcform runs")
    };
    let deployed = vpcform(
        "toolkit_test_app",
        &moto.url(),
        &["deploy", "--yes", "--out", "deployed"],
    );
    assert!(
        deployed.status.success(),
        "{}",
        String::from_utf8_lossy(&deployed.stderr)
    );
    let synth = vpcform("toolkit_lookup_app", &moto.url(), &["synth"]);
    let err = String::from_utf8_lossy(&synth.stderr);
    assert_eq!(synth.status.code(), Some(0), "{err}");
    assert!(err.contains("looking up 1 fact"), "{err}");
    let context = vpcform_assembly::Context::read(&dir.join("vpcform.context.json")).expect("read");
    let (_, entry) = context.entries().next().expect("one entry");
    let vpc = match &entry.value {
        vpcform_assembly::ContextValue::Vpc(vpc) => vpc,
        other => panic!("{other:?}"),
    };
    assert_eq!(vpc.cidr_block, "10.20.0.0/16");
    assert!(!vpc.subnets.is_empty(), "{vpc:?}");
    let template =
        std::fs::read_to_string(dir.join("vpcform.out/Adopted.template.json")).expect("template");
    assert!(template.contains(&vpc.vpc_id), "{template}");
    let offline = vpcform(
        "toolkit_lookup_app",
        "http://127.0.0.1:1",
        &["--no-lookups", "synth"],
    );
    assert_eq!(
        offline.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
