//! Orphans against moto: the `vpcform:app` tag synthesis puts on every stack reaches
//! CloudFormation through the change sets, `list` finds the app's stacks by it (DescribeStacks
//! without a name) and marks a stack dropped from the program, and `destroy --orphans` deletes
//! it and nothing else. moto has no ListImports (TESTING.md): an orphan that exports is proven
//! with mocks (`crates/vpcform-deploy/tests/orphans.rs`). The verbs are run through the
//! private_endpoints example, as a user runs them.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Moto, private_endpoints_command};
use vpcform::prelude::*;
use vpcform_deploy::{APP_TAG, DeployOptions, Deployer, RecordingUi, StackOutcome, StackTemplate};

vpcform::topology! {
    stack Hub { vpc HubVpc }
    stack Spoke { vpc SpokeVpc }
}

const APP: &str = "orphans-demo";

/// The app, with or without its spoke.
fn app(with_spoke: bool) -> App {
    let mut app = App::new(APP);
    let mut hub = vpcform::Stack::<Hub>::new("OrphansHub");
    hub.add(
        "Main",
        Vpc::<HubVpc>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    app.add_stack(hub);
    if with_spoke {
        let mut spoke = vpcform::Stack::<Spoke>::new("OrphansSpoke");
        spoke.add(
            "Main",
            Vpc::<SpokeVpc>::builder()
                .cidr(cidr!("10.1.0.0/16"))
                .build(),
        );
        app.add_stack(spoke);
    }
    app
}

fn templates(app: &App) -> Vec<StackTemplate> {
    let assembly = app.synth().unwrap_or_else(|e| panic!("{e}"));
    common::templates(&assembly)
}

fn names(listing: &vpcform_deploy::Listing) -> Vec<(&str, bool)> {
    listing
        .stacks
        .iter()
        .map(|s| (s.name.as_str(), s.orphan))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn moto_lists_the_apps_stacks_by_its_tag_and_destroys_the_dropped_one() {
    let Some(moto) = Moto::start() else { return };
    let ui = Arc::new(RecordingUi::answering(None));
    let options = DeployOptions {
        yes: true,
        poll_interval: Duration::from_millis(200),
        ..DeployOptions::default()
    };
    let d = Deployer::new(moto.client(), ui.clone(), options);
    let first = templates(&app(true));
    for stack in &first {
        assert!(
            stack.tags.contains(&(APP_TAG.to_string(), APP.to_string())),
            "{}: {:?}",
            stack.name,
            stack.tags
        );
    }
    d.deploy(&first, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    // A stack of no app, in the same account and Region.
    let handmade = StackTemplate::new(
        "Handmade",
        r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.9.0.0/16"}}}}"#,
    );
    d.deploy(std::slice::from_ref(&handmade), &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}"));

    let listing = d.list(APP, &first).await.expect("listed");
    assert_eq!(
        names(&listing),
        [("OrphansHub", false), ("OrphansSpoke", false)]
    );
    assert!(
        listing
            .stacks
            .iter()
            .all(|s| s.status == "CREATE_COMPLETE" && s.last_updated.is_some()),
        "{listing:?}"
    );

    // The spoke dropped from the program: an orphan, destroyed alone.
    let second = templates(&app(false));
    let listing = d.list(APP, &second).await.expect("listed");
    assert_eq!(
        names(&listing),
        [("OrphansHub", false), ("OrphansSpoke", true)]
    );
    let outcomes = d
        .destroy_orphans(APP, &second)
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}\n{:#?}", ui.lines()));
    assert_eq!(
        outcomes,
        [("OrphansSpoke".to_string(), StackOutcome::Destroyed)]
    );
    let listing = d.list(APP, &second).await.expect("listed");
    assert_eq!(names(&listing), [("OrphansHub", false)]);

    // Clean up the rest.
    d.destroy(&second, &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}"));
    d.destroy(std::slice::from_ref(&handmade), &[])
        .await
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        d.list(APP, &second)
            .await
            .expect("listed")
            .stacks
            .is_empty()
    );
}

/// The verbs as a user runs them: `list --format json` prints the listing as stdout's one JSON
/// document; `destroy --orphans` needs a terminal or --yes, takes no stack names, then deletes;
/// `destroy` of a dropped stack points to it.
#[test]
fn the_list_and_destroy_orphans_verbs_run_from_the_program() {
    let Some(moto) = Moto::start() else { return };
    let dir = std::env::temp_dir().join(format!("vpcform-orphans-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // A stack the private-endpoints app had once.
    let mut dropped = StackTemplate::new(
        "DroppedSpoke",
        r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.7.0.0/16"}}}}"#,
    );
    dropped.tags = vec![(APP_TAG.to_string(), "private-endpoints".to_string())];
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let options = DeployOptions {
        yes: true,
        poll_interval: Duration::from_millis(200),
        ..DeployOptions::default()
    };
    let d = Deployer::new(
        moto.client(),
        Arc::new(RecordingUi::answering(None)),
        options,
    );
    runtime
        .block_on(d.deploy(std::slice::from_ref(&dropped), &[]))
        .and_then(vpcform_deploy::Report::into_result)
        .unwrap_or_else(|e| panic!("{e}"));
    let run = |args: &[&str]| {
        let output = private_endpoints_command(&moto.url())
            .args(args)
            .arg("--out")
            .arg(&dir)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run the example");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).to_string(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };

    let (code, stdout, stderr) = run(&["list", "--format", "json"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    let listing: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(listing["app"], "private-endpoints");
    assert_eq!(listing["stacks"][0]["name"], "DroppedSpoke");
    assert_eq!(listing["stacks"][0]["orphan"], true);
    assert_eq!(listing["stacks"].as_array().map(Vec::len), Some(1));
    let (code, stdout, _) = run(&["list"]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("1 orphan: `destroy --orphans` removes it"),
        "{stdout}"
    );

    let (code, _, stderr) = run(&["destroy", "DroppedSpoke"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("`destroy --orphans` removes it"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["destroy", "--orphans", "PrivateEndpoints"]);
    assert_eq!(code, Some(2), "{stderr}");
    let (code, _, stderr) = run(&["destroy", "--orphans"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("pass --yes"), "{stderr}");
    let (code, stdout, stderr) = run(&["destroy", "--orphans", "--yes"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("DroppedSpoke: destroyed"), "{stdout}");
    let (code, stdout, _) = run(&["list"]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("no stacks of app private-endpoints"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
