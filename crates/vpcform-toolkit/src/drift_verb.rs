//! `drift`: the deployer's drift report printed as text or JSON, and its exit code.

use std::process::ExitCode;

use vpcform_deploy::{DeployError, DriftReport};

use crate::Format;
use crate::output::{INTERRUPTED, USAGE, stderr, stdout};

/// The exit code of a drift that was found (as `diff`'s for differences).
const DRIFTED: u8 = 1;

/// Prints the report (text, or JSON on stdout with `--format json`) and says how it ended:
/// 130 when interrupted, 2 when a stack could not be checked completely (an error,
/// `DETECTION_FAILED`), 1 when a stack drifted, 0 when every stack checked is in sync.
pub(crate) fn report(
    result: Result<DriftReport, DeployError>,
    format: Format,
    verbose: bool,
) -> ExitCode {
    let report = match result {
        Ok(report) => report,
        Err(error) => {
            let text = if verbose {
                error.verbose()
            } else {
                error.to_string()
            };
            stderr(&format!("error: {text}\n"));
            return ExitCode::from(if error.is_interrupt() {
                INTERRUPTED
            } else {
                USAGE
            });
        }
    };
    match format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
            stdout(&format!("{text}\n"));
        }
        Format::Text => stdout(&text(&report, verbose)),
    }
    ExitCode::from(code(&report))
}

/// The report as text; errors with their causes under `--verbose`.
fn text(report: &DriftReport, verbose: bool) -> String {
    let mut text = String::new();
    for (_, result) in &report.stacks {
        match result {
            Ok(drift) => text += &drift.to_string(),
            Err(error) if verbose => {
                text += &format!("error: {}\n", error.verbose().replace('\n', "\n  "));
            }
            Err(error) => text += &format!("error: {error}\n"),
        }
    }
    text
}

/// See [`report`].
fn code(report: &DriftReport) -> u8 {
    if report.interrupted() {
        INTERRUPTED
    } else if !report.complete() {
        USAGE
    } else if report.drifted() {
        DRIFTED
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use vpcform_deploy::{DeployError, DriftReport, DriftState, StackDrift};

    fn drift(stack: &str, state: DriftState, failed: Option<&str>) -> StackDrift {
        StackDrift {
            stack: stack.into(),
            state,
            checked_at: None,
            detection_failed: failed.map(str::to_string),
            resources: vec![],
        }
    }

    #[test]
    fn drifted_exits_1_in_sync_0_incomplete_2_interrupted_130() {
        let report = |stacks: Vec<(&str, Result<StackDrift, DeployError>)>| DriftReport {
            stacks: stacks
                .into_iter()
                .map(|(name, r)| (name.to_string(), r))
                .collect(),
        };
        let in_sync = || drift("A", DriftState::InSync, None);
        let not_deployed = || drift("B", DriftState::NotDeployed, None);
        let drifted = || drift("C", DriftState::Drifted, None);
        assert_eq!(
            super::code(&report(vec![
                ("A", Ok(in_sync())),
                ("B", Ok(not_deployed()))
            ])),
            0
        );
        assert_eq!(
            super::code(&report(vec![("A", Ok(in_sync())), ("C", Ok(drifted()))])),
            1
        );
        let failed = Ok(drift("D", DriftState::InSync, Some("resource X failed")));
        assert_eq!(
            super::code(&report(vec![("C", Ok(drifted())), ("D", failed)])),
            2
        );
        let error = Err(DeployError::UnknownStack("E".into()));
        assert_eq!(
            super::code(&report(vec![("A", Ok(in_sync())), ("E", error)])),
            2
        );
        let stopped = Err(DeployError::NotStarted { stack: "F".into() });
        assert_eq!(
            super::code(&report(vec![("C", Ok(drifted())), ("F", stopped)])),
            130
        );
    }

    #[test]
    fn the_verb_takes_stacks_and_a_timeout_and_deploy_takes_revert_drift() {
        let verb = crate::cli::verb(&["drift", "Net", "Hub", "--timeout", "60"]);
        assert!(
            matches!(&verb, crate::Verb::Drift { stacks, timeout: Some(60), .. } if stacks == &["Net", "Hub"])
        );
        let options = crate::dispatch::options(&verb);
        assert_eq!(options.timeout, Some(std::time::Duration::from_secs(60)));
        let verb = crate::cli::verb(&["deploy", "--revert-drift"]);
        assert!(crate::dispatch::options(&verb).revert_drift);
        // A reviewed change set was made already: its mode cannot change.
        assert!(
            <crate::Cli as clap::Parser>::try_parse_from([
                "vpcform",
                "deploy",
                "Net",
                "--revert-drift",
                "--change-set",
                "x"
            ])
            .is_err()
        );
    }
}
