//! Orphans with mocks: the app's stacks in two environments, an orphan a program stack still
//! imports from, the order orphans that import from each other are deleted in, a declined
//! confirmation, and interrupts. Each environment is a fake account whose DescribeStacks,
//! ListImports and DeleteStack answer from its state, as the CloudFormation API reference
//! describes them (DescribeStacks without a name: every stack but deleted ones, paginated with
//! NextToken; ListImports of an export nothing imports: `ValidationError` "Export 'X' is not
//! imported by any stack.").

mod common;
use common::*;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ErrorMetadata;
use aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput;
use aws_sdk_cloudformation::operation::describe_stacks::{
    DescribeStacksError, DescribeStacksOutput,
};
use aws_sdk_cloudformation::operation::list_imports::{ListImportsError, ListImportsOutput};
use aws_sdk_cloudformation::operation::list_stack_resources::ListStackResourcesOutput;
use aws_sdk_cloudformation::types::{Output, Stack, StackStatus, Tag};
use aws_smithy_mocks::{MockResponse, Rule, RuleMode, mock, mock_client};
use vpcform_deploy::{
    APP_TAG, Connection, DeployError, DeployOptions, Deployer, Environment, RecordingUi,
    StackOutcome, StackTemplate, Ui,
};

const APP: &str = "network";

/// A deployed stack of a fake account: name, app tag, exports.
#[derive(Clone)]
struct Deployed {
    name: String,
    app: Option<String>,
    exports: Vec<String>,
}

fn of_app(name: &str, exports: &[&str]) -> Deployed {
    Deployed {
        name: name.into(),
        app: Some(APP.into()),
        exports: exports.iter().map(|e| e.to_string()).collect(),
    }
}

/// One account and Region: its stacks, what imports each export, the stacks deleted (in order).
#[derive(Clone)]
struct Account {
    region: &'static str,
    stacks: Arc<Mutex<Vec<Deployed>>>,
    imports: HashMap<String, Vec<String>>,
    deleted: Arc<Mutex<Vec<String>>>,
    /// Interrupts this deployer at the first DeleteStack.
    interrupt_at_delete: Arc<OnceLock<Deployer>>,
    rules: Arc<OnceLock<Vec<Rule>>>,
}

impl Account {
    fn new(region: &'static str, stacks: Vec<Deployed>) -> Account {
        Account {
            region,
            stacks: Arc::new(Mutex::new(stacks)),
            imports: HashMap::new(),
            deleted: Arc::new(Mutex::new(Vec::new())),
            interrupt_at_delete: Arc::new(OnceLock::new()),
            rules: Arc::new(OnceLock::new()),
        }
    }

    fn importing(mut self, export: &str, importers: &[&str]) -> Account {
        self.imports.insert(
            export.into(),
            importers.iter().map(|s| s.to_string()).collect(),
        );
        self
    }

    fn stack(&self, deployed: &Deployed) -> Stack {
        let mut stack = Stack::builder()
            .stack_name(&deployed.name)
            .stack_id(format!(
                "arn:aws:cloudformation:{}:123456789012:stack/{}/1",
                self.region, deployed.name
            ))
            .stack_status(StackStatus::UpdateComplete)
            .creation_time(aws_sdk_cloudformation::primitives::DateTime::from_secs(
                1_796_000_000,
            ))
            .last_updated_time(aws_sdk_cloudformation::primitives::DateTime::from_secs(
                1_796_600_000,
            ));
        if let Some(app) = &deployed.app {
            stack = stack.tags(Tag::builder().key(APP_TAG).value(app).build());
        }
        for export in &deployed.exports {
            stack = stack.outputs(
                Output::builder()
                    .output_key("Out")
                    .output_value("v")
                    .export_name(export)
                    .build(),
            );
        }
        stack.build()
    }

    fn deleted(&self) -> Vec<String> {
        self.deleted.lock().expect("deleted").clone()
    }

    fn client(&self) -> Client {
        let rules = self.rules.get_or_init(|| {
            let me = self.clone();
            let describe = mock!(Client::describe_stacks).then_compute_response(move |req| {
                let stacks = me.stacks.lock().expect("stacks").clone();
                match req.stack_name() {
                    Some(name) => match stacks.iter().find(|s| s.name == name) {
                        Some(found) => MockResponse::Output(
                            DescribeStacksOutput::builder()
                                .stacks(me.stack(found))
                                .build(),
                        ),
                        None => MockResponse::Error(missing_named(name)),
                    },
                    // Pages of two, the token the index of the next stack.
                    None => {
                        let start: usize = req
                            .next_token()
                            .map(|t| t.parse().expect("a token of ours"))
                            .unwrap_or(0);
                        let mut page = DescribeStacksOutput::builder();
                        for found in stacks.iter().skip(start).take(2) {
                            page = page.stacks(me.stack(found));
                        }
                        if start + 2 < stacks.len() {
                            page = page.next_token((start + 2).to_string());
                        }
                        MockResponse::Output(page.build())
                    }
                }
            });
            let me = self.clone();
            let imports = mock!(Client::list_imports).then_compute_response(move |req| {
                let export = req.export_name().unwrap_or_default();
                match me.imports.get(export) {
                    Some(importers) => MockResponse::Output(
                        ListImportsOutput::builder()
                            .set_imports(Some(importers.clone()))
                            .build(),
                    ),
                    None => MockResponse::Error(ListImportsError::generic(
                        ErrorMetadata::builder()
                            .code("ValidationError")
                            .message(format!("Export '{export}' is not imported by any stack."))
                            .build(),
                    )),
                }
            });
            let me = self.clone();
            let delete = mock!(Client::delete_stack).then_compute_output(move |req| {
                let name = req.stack_name().unwrap_or_default().to_string();
                me.stacks.lock().expect("stacks").retain(|s| s.name != name);
                me.deleted.lock().expect("deleted").push(name);
                if let Some(deployer) = me.interrupt_at_delete.get() {
                    deployer.interrupt();
                }
                DeleteStackOutput::builder().build()
            });
            let resources = mock!(Client::list_stack_resources)
                .then_output(|| ListStackResourcesOutput::builder().build());
            vec![describe, imports, delete, resources, no_events()]
        });
        let rules: Vec<&Rule> = rules.iter().collect();
        mock_client!(aws_sdk_cloudformation, RuleMode::MatchAny, rules.as_slice())
    }
}

fn west() -> Environment {
    Environment {
        region: Some("us-west-2".into()),
        ..Environment::default()
    }
}

fn options(yes: bool) -> DeployOptions {
    DeployOptions {
        yes,
        poll_interval: Duration::from_millis(5),
        ..DeployOptions::default()
    }
}

/// A deployer whose ambient environment is `east`, with `west` as [`west()`].
fn deployer(
    east: &Account,
    west_account: Option<&Account>,
    ui: Arc<dyn Ui>,
    yes: bool,
) -> Deployer {
    let d = Deployer::new(east.client(), ui, options(yes));
    match west_account {
        Some(account) => d.with_environment(
            &west(),
            Connection {
                cloudformation: account.client(),
                sts: None,
                s3: None,
                signed: None,
            },
        ),
        None => d,
    }
}

fn program(names: &[&str]) -> Vec<StackTemplate> {
    names.iter().map(|n| StackTemplate::new(*n, BODY)).collect()
}

/// The app's stacks in both environments the program names are listed, each once, in pages;
/// those the program no longer has are orphans; another app's and untagged stacks are not
/// listed; text and JSON say the same.
#[tokio::test]
async fn the_apps_stacks_in_two_environments_are_listed_with_the_orphans_marked() {
    let east = Account::new(
        "us-east-1",
        vec![
            of_app("Hub", &[]),
            Deployed {
                app: Some("billing".into()),
                ..of_app("Ledger", &[])
            },
            of_app("OldSpoke", &[]),
            Deployed {
                app: None,
                ..of_app("Handmade", &[])
            },
            of_app("Shared", &[]),
        ],
    );
    let west_account = Account::new(
        "us-west-2",
        vec![of_app("Spoke1", &[]), of_app("Spoke2", &[])],
    );
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&east, Some(&west_account), ui, false);
    let mut stacks = program(&["Hub", "Shared", "Spoke1"]);
    stacks[2].environment = west();

    let listing = d.list(APP, &stacks).await.expect("listed");
    let rows: Vec<(&str, bool, Option<&str>)> = listing
        .stacks
        .iter()
        .map(|s| (s.name.as_str(), s.orphan, s.environment.region.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            ("Hub", false, None),
            ("OldSpoke", true, None),
            ("Shared", false, None),
            ("Spoke1", false, Some("us-west-2")),
            ("Spoke2", true, Some("us-west-2")),
        ]
    );
    let text = listing.to_string();
    assert_eq!(
        text,
        "the ambient account and region:\n\
         \x20 Hub       UPDATE_COMPLETE  2026-12-06T23:33:20Z\n\
         \x20 OldSpoke  UPDATE_COMPLETE  2026-12-06T23:33:20Z  orphan (the program no longer has it)\n\
         \x20 Shared    UPDATE_COMPLETE  2026-12-06T23:33:20Z\n\
         us-west-2:\n\
         \x20 Spoke1    UPDATE_COMPLETE  2026-12-06T23:33:20Z\n\
         \x20 Spoke2    UPDATE_COMPLETE  2026-12-06T23:33:20Z  orphan (the program no longer has it)\n\
         2 orphans: `destroy --orphans` removes them\n"
    );
    let json = listing.to_json();
    assert_eq!(json["app"], APP);
    assert_eq!(json["environments"][1]["region"], "us-west-2");
    assert_eq!(json["stacks"][4]["name"], "Spoke2");
    assert_eq!(json["stacks"][4]["orphan"], true);
    assert_eq!(json["stacks"][4]["lastUpdated"], "2026-12-06T23:33:20Z");
    assert_eq!(
        json["stacks"][4]["stackId"],
        "arn:aws:cloudformation:us-west-2:123456789012:stack/Spoke2/1"
    );
}

/// `destroy --orphans` deletes the orphans of both environments, each in its own, and leaves the
/// program's stacks.
#[tokio::test]
async fn orphans_of_two_environments_are_destroyed_each_in_its_own() {
    let east = Account::new(
        "us-east-1",
        vec![of_app("Hub", &[]), of_app("OldSpoke", &[])],
    );
    let west_account = Account::new(
        "us-west-2",
        vec![of_app("Spoke1", &[]), of_app("Spoke2", &[])],
    );
    let ui = Arc::new(RecordingUi::answering(Some(true)));
    let d = deployer(&east, Some(&west_account), ui.clone(), false);
    let mut stacks = program(&["Hub", "Spoke1"]);
    stacks[1].environment = west();

    let report = d.destroy_orphans(APP, &stacks).await.expect("confirmed");
    let outcomes = report.into_result().expect("destroyed");
    assert_eq!(
        outcomes,
        [
            ("OldSpoke".to_string(), StackOutcome::Destroyed),
            ("Spoke2".to_string(), StackOutcome::Destroyed),
        ]
    );
    assert_eq!(east.deleted(), ["OldSpoke"]);
    assert_eq!(west_account.deleted(), ["Spoke2"]);
    let asked = ui
        .lines()
        .into_iter()
        .find(|l| l.contains("? "))
        .expect("asked");
    assert!(
        asked.ends_with(
            "? destroy OldSpoke, Spoke2 (stacks of app network the program no longer has) and \
             every resource in them?"
        ),
        "{asked}"
    );

    // Nothing left to do: said, and nothing asked.
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&east, Some(&west_account), ui.clone(), false);
    let report = d
        .destroy_orphans(APP, &stacks)
        .await
        .expect("nothing to do");
    assert!(report.stacks.is_empty());
    assert!(
        ui.lines()
            .iter()
            .any(|l| l.starts_with("network: no orphans")),
        "{:?}",
        ui.lines()
    );
}

/// An orphan a stack of the program still imports from is refused before the question, naming
/// the importer and saying to redeploy it first; one a foreign stack imports from says so.
#[tokio::test]
async fn an_orphan_a_program_stack_imports_from_is_refused_naming_the_stack_to_redeploy() {
    let east = Account::new(
        "us-east-1",
        vec![of_app("Spoke", &[]), of_app("OldHub", &["OldHub-TgwId"])],
    )
    .importing("OldHub-TgwId", &["Spoke"]);
    let ui = Arc::new(RecordingUi::answering(Some(true)));
    let d = deployer(&east, None, ui.clone(), true);
    let error = d
        .destroy_orphans(APP, &program(&["Spoke"]))
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, DeployError::OrphanImported { stack, importer, .. } if stack == "OldHub" && importer == "Spoke"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "OldHub: Spoke still imports its export OldHub-TgwId, so CloudFormation would refuse to \
         delete it; redeploy Spoke first so that it no longer imports it, then run destroy \
         --orphans again (nothing was deleted)"
    );
    assert!(east.deleted().is_empty());

    let east = Account::new("us-east-1", vec![of_app("OldHub", &["OldHub-TgwId"])])
        .importing("OldHub-TgwId", &["Handmade"]);
    let d = deployer(&east, None, ui.clone(), true);
    let error = d
        .destroy_orphans(APP, &program(&["Spoke"]))
        .await
        .expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("Handmade is not a stack of this program: update or delete it first"),
        "{error}"
    );
    assert!(east.deleted().is_empty());
    assert!(
        !ui.lines().iter().any(|l| l.contains("? ")),
        "refused before asking"
    );
}

/// Orphans importing from each other are deleted importers first: Spoke imports from Shared,
/// which imports from Core; an orphan nothing imports from goes whenever.
#[tokio::test]
async fn orphans_are_destroyed_importers_first() {
    let east = Account::new(
        "us-east-1",
        vec![
            of_app("Core", &["Core-TgwId"]),
            of_app("Hub", &[]),
            of_app("Shared", &["Shared-ZoneId"]),
            of_app("Spoke", &["Spoke-Unused"]),
        ],
    )
    .importing("Core-TgwId", &["Shared"])
    .importing("Shared-ZoneId", &["Spoke"]);
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&east, None, ui, true);
    let report = d
        .destroy_orphans(APP, &program(&["Hub"]))
        .await
        .expect("--yes");
    let names: Vec<&str> = report.stacks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Spoke", "Shared", "Core"]);
    assert!(report.succeeded(), "{:?}", report.stacks);
    assert_eq!(east.deleted(), ["Spoke", "Shared", "Core"]);
}

/// A declined confirmation deletes nothing; without a terminal and without --yes nothing is
/// deleted either, and the error says to pass --yes.
#[tokio::test]
async fn a_declined_confirmation_deletes_nothing() {
    let east = Account::new(
        "us-east-1",
        vec![of_app("Hub", &[]), of_app("OldSpoke", &[])],
    );
    let ui = Arc::new(RecordingUi::answering(Some(false)));
    let d = deployer(&east, None, ui, false);
    let error = d
        .destroy_orphans(APP, &program(&["Hub"]))
        .await
        .expect_err("declined");
    assert!(
        matches!(&error, DeployError::DestroyDeclined { stack } if stack == "OldSpoke"),
        "{error}"
    );
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&east, None, ui, false);
    let error = d
        .destroy_orphans(APP, &program(&["Hub"]))
        .await
        .expect_err("no terminal");
    assert!(
        matches!(error, DeployError::ConfirmationRequired { .. }),
        "{error}"
    );
    assert!(east.deleted().is_empty());
}

/// A terminal that answers only after 10 s, noting when it was asked.
struct SlowUi {
    asked: AtomicBool,
}

impl Ui for SlowUi {
    fn line(&self, _stack: &str, _text: &str) {}

    fn confirm(&self, _stack: &str, _question: &str) -> Option<bool> {
        self.asked.store(true, Ordering::SeqCst);
        std::thread::sleep(Duration::from_secs(10));
        Some(true)
    }

    fn progress_start(&self, _stack: &str, _total: u64) {}

    fn progress_set(&self, _stack: &str, _done: u64) {}

    fn progress_finish(&self, _stack: &str) {}
}

/// Ctrl-C at the question returns at once and deletes nothing; Ctrl-C while the first orphan is
/// deleted reports it with its state and starts none of the others.
#[tokio::test]
async fn an_interrupt_at_the_question_or_during_the_deletions_stops_what_has_not_started() {
    let east = Account::new(
        "us-east-1",
        vec![of_app("Core", &["Core-TgwId"]), of_app("Spoke", &[])],
    )
    .importing("Core-TgwId", &["Spoke"]);
    let ui = Arc::new(SlowUi {
        asked: AtomicBool::new(false),
    });
    let d = deployer(&east, None, ui.clone(), false);
    let stopper = d.clone();
    let watched = ui.clone();
    tokio::spawn(async move {
        while !watched.asked.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stopper.interrupt();
    });
    let started = Instant::now();
    let error = d
        .destroy_orphans(APP, &program(&["Hub"]))
        .await
        .expect_err("interrupted");
    assert!(error.is_interrupt(), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(east.deleted().is_empty());

    // Interrupted at the first DeleteStack: Spoke (the importer) is reported interrupted,
    // Core never starts.
    let ui = Arc::new(RecordingUi::answering(None));
    let d = deployer(&east, None, ui, true);
    let _ = east.interrupt_at_delete.set(d.clone());
    let report = d
        .destroy_orphans(APP, &program(&["Hub"]))
        .await
        .expect("selected");
    assert!(report.interrupted(), "{:?}", report.stacks);
    assert_eq!(east.deleted(), ["Spoke"]);
    assert!(
        matches!(&report.stacks[1], (name, Err(DeployError::NotStarted { .. })) if name == "Core"),
        "{:?}",
        report.stacks
    );
}

/// `DescribeStacks` failing in one environment fails the listing, naming the app and where.
#[tokio::test]
async fn a_failed_listing_names_the_app_and_the_environment() {
    let denied = mock!(Client::describe_stacks).then_error(|| {
        DescribeStacksError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("not authorized to perform: cloudformation:DescribeStacks")
                .build(),
        )
    });
    let ui = Arc::new(RecordingUi::answering(None));
    let d = Deployer::new(client(&[&denied]), ui, options(true));
    let error = d.list(APP, &program(&["Hub"])).await.expect_err("denied");
    assert!(
        error.to_string().starts_with(
            "app network in the ambient account and region: DescribeStacks failed: AccessDenied"
        ),
        "{error}"
    );
}
