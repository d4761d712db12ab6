//! Drift: what changed in deployed stacks outside CloudFormation, property by property.
//!
//! `drift` runs CloudFormation's own drift detection per stack — DetectStackDrift, then
//! DescribeStackDriftDetectionStatus polled until it settles, then DescribeStackResourceDrifts
//! (paginated) — and reports, per resource that drifted, each property that differs. `diff`
//! only reads the last result DescribeStacks keeps ([`LastDrift`]), never starting a detection.
//! `drift` then reports the routes and rules no template makes (`unmanaged.rs`), which
//! CloudFormation's detection cannot see.
//!
//! Invariant: every stack selected appears in the [`DriftReport`] exactly once; a stack not
//! deployed is said, not an error; nothing is changed (drift detection only reads).
//!
//! AWS sources (CloudFormation API Reference): DetectStackDrift, DescribeStackDriftDetectionStatus
//! (`DetectionStatus` DETECTION_IN_PROGRESS | DETECTION_FAILED | DETECTION_COMPLETE — failed
//! means "failed for at least one resource", results stand for the others; `StackDriftStatus`
//! DRIFTED | IN_SYNC | NOT_CHECKED | UNKNOWN; `DetectionStatusReason`; `Timestamp`),
//! DescribeStackResourceDrifts (`StackResourceDriftStatusFilters`, `NextToken`;
//! `StackResourceDrift`: `LogicalResourceId`, `PhysicalResourceId`, `ResourceType`,
//! `StackResourceDriftStatus` IN_SYNC | MODIFIED | DELETED | NOT_CHECKED, `PropertyDifferences`
//! for MODIFIED ones: `PropertyPath`, `ExpectedValue`, `ActualValue`, `DifferenceType` ADD |
//! REMOVE | NOT_EQUAL), and the data type `StackDriftInformation` (`StackDriftStatus`,
//! `LastCheckTimestamp`) of DescribeStacks.

use std::fmt;
use std::time::Instant;

use aws_sdk_cloudformation::operation::create_change_set::builders::CreateChangeSetFluentBuilder;
use aws_sdk_cloudformation::types::{
    DeploymentMode, StackDriftDetectionStatus, StackDriftStatus, StackResourceDrift,
    StackResourceDriftStatus,
};
use aws_smithy_types::date_time::Format;
use serde_json::{Value, json};

use crate::calls::{STACK, aws, does_not_exist};
use crate::schedule::select_for_deploy;
use crate::{DeployError, Deployer, StackTemplate};

/// A stack's drift, as the detection found it.
///
/// ```
/// use vpcform_deploy::DriftState;
/// assert_ne!(DriftState::NotDeployed, DriftState::InSync);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum DriftState {
    /// Every resource checked matches the template (`IN_SYNC`).
    InSync,
    /// One or more resources differ or were deleted (`DRIFTED`).
    Drifted,
    /// The detection could not say (`NOT_CHECKED` or `UNKNOWN`): the stack's status word.
    Unknown(String),
    /// The stack does not exist: nothing to compare.
    NotDeployed,
    /// Not checked by this verb, and why (a stack set, a step).
    NotChecked(String),
}

/// One property of a resource that differs from the template (`PropertyDifference`).
///
/// ```
/// let widened = vpcform_deploy::PropertyDrift {
///     path: "/SecurityGroupIngress/0/CidrIp".into(),
///     expected: Some("10.0.0.0/16".into()),
///     actual: Some("0.0.0.0/0".into()),
///     difference: "NOT_EQUAL".into(),
/// };
/// assert_eq!(widened.difference, "NOT_EQUAL");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyDrift {
    /// The property's path, as CloudFormation writes it, e.g. `/SecurityGroupIngress/0/CidrIp`.
    pub path: String,
    /// The template's value (with parameters), as CloudFormation gives it (JSON text).
    pub expected: Option<String>,
    /// The resource's actual value.
    pub actual: Option<String>,
    /// `ADD` (added to a list), `REMOVE` (gone from the resource), `NOT_EQUAL`.
    pub difference: String,
}

/// A resource that drifted (`MODIFIED`, `DELETED`) or could not be checked (`NOT_CHECKED`).
///
/// ```
/// let deleted = vpcform_deploy::ResourceDrift {
///     logical_id: "Subnet".into(),
///     physical_id: Some("subnet-0123".into()),
///     resource_type: "AWS::EC2::Subnet".into(),
///     status: "DELETED".into(),
///     reason: None,
///     differences: vec![],
/// };
/// assert!(deleted.differences.is_empty());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDrift {
    /// The logical ID.
    pub logical_id: String,
    /// The physical ID, e.g. `sg-0123…`.
    pub physical_id: Option<String>,
    /// The resource type.
    pub resource_type: String,
    /// `MODIFIED`, `DELETED` or `NOT_CHECKED` (CloudFormation's), or `UNMANAGED`: a route
    /// table or security group holding routes or rules no template makes, each an `ADD`.
    pub status: String,
    /// CloudFormation's reason, when it gives one (why a resource was not checked).
    pub reason: Option<String>,
    /// For a `MODIFIED` resource: each property that differs.
    pub differences: Vec<PropertyDrift>,
}

/// One stack's drift detection result; `Display` is the readable diff `drift` prints.
///
/// ```
/// use vpcform_deploy::{DriftState, StackDrift};
/// let drift = StackDrift { stack: "Net".into(), state: DriftState::InSync,
///     checked_at: Some("2026-12-07T12:00:00Z".into()), detection_failed: None, resources: vec![] };
/// assert_eq!(drift.to_string(), "Net: in sync (detected 2026-12-07T12:00:00Z)\n");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct StackDrift {
    /// The stack.
    pub stack: String,
    /// What the detection found.
    pub state: DriftState,
    /// When the detection ran (`2026-12-07T12:00:00Z`), when known.
    pub checked_at: Option<String>,
    /// `DETECTION_FAILED`'s reason: the detection failed for some resources; the results
    /// stand for the others.
    pub detection_failed: Option<String>,
    /// The resources that drifted or were not checked, in CloudFormation's order.
    pub resources: Vec<ResourceDrift>,
}

impl StackDrift {
    /// A stack not checked, with why.
    fn not_checked(stack: &str, why: &str) -> StackDrift {
        StackDrift {
            stack: stack.to_string(),
            state: DriftState::NotChecked(why.to_string()),
            checked_at: None,
            detection_failed: None,
            resources: Vec::new(),
        }
    }

    /// Whether the stack drifted.
    ///
    /// ```
    /// use vpcform_deploy::{DriftState, StackDrift};
    /// let drift = StackDrift { stack: "Net".into(), state: DriftState::InSync, checked_at: None,
    ///     detection_failed: None, resources: vec![] };
    /// assert!(!drift.drifted());
    /// ```
    pub fn drifted(&self) -> bool {
        self.state == DriftState::Drifted
    }

    /// The result as JSON (`--format json`): `stack`, `status` (`IN_SYNC`, `DRIFTED`,
    /// `NOT_DEPLOYED`, `NOT_CHECKED`, `UNKNOWN`), `checked_at`, `detection_failed`, `note`,
    /// and `resources` with their `differences` (`path`, `expected`, `actual`, `type`).
    ///
    /// ```
    /// use vpcform_deploy::{DriftState, StackDrift};
    /// let drift = StackDrift { stack: "Net".into(), state: DriftState::NotDeployed,
    ///     checked_at: None, detection_failed: None, resources: vec![] };
    /// assert_eq!(drift.to_json()["status"], "NOT_DEPLOYED");
    /// ```
    pub fn to_json(&self) -> Value {
        let (status, note) = match &self.state {
            DriftState::InSync => ("IN_SYNC".to_string(), None),
            DriftState::Drifted => ("DRIFTED".to_string(), None),
            DriftState::Unknown(word) => (word.clone(), None),
            DriftState::NotDeployed => ("NOT_DEPLOYED".to_string(), None),
            DriftState::NotChecked(why) => ("NOT_CHECKED".to_string(), Some(why.clone())),
        };
        json!({
            "stack": self.stack,
            "status": status,
            "checked_at": self.checked_at,
            "detection_failed": self.detection_failed,
            "note": note,
            "resources": self.resources.iter().map(|r| json!({
                "logical_id": r.logical_id,
                "physical_id": r.physical_id,
                "resource_type": r.resource_type,
                "status": r.status,
                "reason": r.reason,
                "differences": r.differences.iter().map(|d| json!({
                    "path": d.path,
                    "expected": d.expected,
                    "actual": d.actual,
                    "type": d.difference,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// A value as CloudFormation gives it, cut to a readable length.
fn shown(value: Option<&str>) -> String {
    match value {
        None => "(none)".to_string(),
        Some(text) if text.chars().count() > 100 => {
            format!("{}…", text.chars().take(100).collect::<String>())
        }
        Some(text) => text.to_string(),
    }
}

impl fmt::Display for StackDrift {
    /// A readable diff: `~` a property that differs (template -> actual), `+` a value added to
    /// a list, `-` a property removed; `-` a deleted resource, `?` one not checked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let when = self
            .checked_at
            .as_deref()
            .map(|at| format!(" (detected {at})"))
            .unwrap_or_default();
        match &self.state {
            DriftState::InSync => writeln!(f, "{}: in sync{when}", self.stack)?,
            DriftState::Drifted => {
                let drifted = self
                    .resources
                    .iter()
                    .filter(|r| is_drift(&r.status))
                    .count();
                writeln!(
                    f,
                    "{}: DRIFTED, {drifted} resource{}{when}",
                    self.stack,
                    if drifted == 1 { "" } else { "s" }
                )?;
            }
            DriftState::Unknown(word) => writeln!(f, "{}: drift {word}{when}", self.stack)?,
            DriftState::NotDeployed => {
                writeln!(f, "{}: not deployed; no drift to detect", self.stack)?
            }
            DriftState::NotChecked(why) => writeln!(f, "{}: not checked: {why}", self.stack)?,
        }
        if let Some(reason) = &self.detection_failed {
            writeln!(
                f,
                "  detection failed for some resources (DETECTION_FAILED): {reason}; the \
                 results below stand for the others"
            )?;
        }
        for r in &self.resources {
            let physical = r
                .physical_id
                .as_deref()
                .map(|id| format!(" ({id})"))
                .unwrap_or_default();
            let sign = match r.status.as_str() {
                "MODIFIED" => '~',
                "DELETED" => '-',
                crate::unmanaged::UNMANAGED => '+',
                _ => '?',
            };
            let reason = r
                .reason
                .as_deref()
                .map(|why| format!(": {why}"))
                .unwrap_or_default();
            writeln!(
                f,
                "  {sign} {} {}{physical} {}{reason}",
                r.logical_id, r.resource_type, r.status
            )?;
            for d in &r.differences {
                match d.difference.as_str() {
                    "ADD" => writeln!(f, "      + {}: {}", d.path, shown(d.actual.as_deref()))?,
                    "REMOVE" => {
                        writeln!(f, "      - {}: {}", d.path, shown(d.expected.as_deref()))?;
                    }
                    _ => writeln!(
                        f,
                        "      ~ {}: {} -> {}",
                        d.path,
                        shown(d.expected.as_deref()),
                        shown(d.actual.as_deref())
                    )?,
                }
            }
        }
        Ok(())
    }
}

/// Every stack `drift` selected, exactly once, in the app's order.
///
/// ```
/// use vpcform_deploy::{DriftReport, DriftState, StackDrift};
/// let hub = StackDrift { stack: "Hub".into(), state: DriftState::Drifted, checked_at: None,
///     detection_failed: None, resources: vec![] };
/// let report = DriftReport { stacks: vec![("Hub".into(), Ok(hub))] };
/// assert!(report.drifted() && report.complete());
/// ```
#[derive(Debug)]
pub struct DriftReport {
    /// `(stack, result or error)`.
    pub stacks: Vec<(String, Result<StackDrift, DeployError>)>,
}

impl DriftReport {
    /// Whether any stack drifted.
    ///
    /// ```
    /// let report = vpcform_deploy::DriftReport { stacks: vec![] };
    /// assert!(!report.drifted());
    /// ```
    pub fn drifted(&self) -> bool {
        self.stacks
            .iter()
            .any(|(_, r)| r.as_ref().is_ok_and(StackDrift::drifted))
    }

    /// Whether every stack was checked completely: no error, no `DETECTION_FAILED`.
    ///
    /// ```
    /// let report = vpcform_deploy::DriftReport { stacks: vec![] };
    /// assert!(report.complete());
    /// ```
    pub fn complete(&self) -> bool {
        self.stacks.iter().all(|(_, r)| {
            r.as_ref().is_ok_and(|d| {
                d.detection_failed.is_none() && !matches!(d.state, DriftState::Unknown(_))
            })
        })
    }

    /// Whether the detection was interrupted (Ctrl-C).
    ///
    /// ```
    /// use vpcform_deploy::{DeployError, DriftReport};
    /// let report = DriftReport { stacks: vec![("Net".into(), Err(DeployError::NotStarted { stack: "Net".into() }))] };
    /// assert!(report.interrupted());
    /// ```
    pub fn interrupted(&self) -> bool {
        self.stacks
            .iter()
            .any(|(_, r)| r.as_ref().is_err_and(DeployError::is_interrupt))
    }

    /// The report as JSON: `{"stacks": [...]}`, each as [`StackDrift::to_json`], or `stack`
    /// and `error` for a stack whose detection failed.
    ///
    /// ```
    /// let report = vpcform_deploy::DriftReport { stacks: vec![] };
    /// assert_eq!(report.to_json(), serde_json::json!({"stacks": []}));
    /// ```
    pub fn to_json(&self) -> Value {
        json!({
            "stacks": self.stacks.iter().map(|(stack, result)| match result {
                Ok(drift) => drift.to_json(),
                Err(error) => json!({"stack": stack, "status": "ERROR", "error": error.to_string()}),
            }).collect::<Vec<_>>(),
        })
    }
}

impl fmt::Display for DriftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (_, result) in &self.stacks {
            match result {
                Ok(drift) => write!(f, "{drift}")?,
                Err(error) => writeln!(f, "error: {error}")?,
            }
        }
        Ok(())
    }
}

/// A stack's last drift result, as DescribeStacks keeps it (`DriftInformation`): what `diff`
/// shows, without starting a detection.
///
/// ```
/// let last = vpcform_deploy::LastDrift { status: "IN_SYNC".into(), checked_at: Some("2026-12-07T12:00:00Z".into()) };
/// assert_eq!(last.to_string(), "drift: in sync at the last check, 2026-12-07T12:00:00Z");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastDrift {
    /// `DRIFTED`, `IN_SYNC`, `NOT_CHECKED` or `UNKNOWN`.
    pub status: String,
    /// When the last detection ran (`LastCheckTimestamp`), if one did.
    pub checked_at: Option<String>,
}

impl fmt::Display for LastDrift {
    /// ```
    /// let last = vpcform_deploy::LastDrift { status: "NOT_CHECKED".into(), checked_at: None };
    /// assert_eq!(last.to_string(), "drift: never checked (run `drift` to detect it)");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.status.as_str(), &self.checked_at) {
            ("NOT_CHECKED", _) | (_, None) => {
                f.write_str("drift: never checked (run `drift` to detect it)")
            }
            ("IN_SYNC", Some(at)) => write!(f, "drift: in sync at the last check, {at}"),
            ("DRIFTED", Some(at)) => write!(
                f,
                "drift: DRIFTED at the last check, {at} (run `drift` to see what differs)"
            ),
            (other, Some(at)) => write!(f, "drift: {other} at the last check, {at}"),
        }
    }
}

/// A time as CloudFormation writes it, `2026-12-07T12:00:00Z`.
fn timestamp(at: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    at.and_then(|t| t.fmt(Format::DateTime).ok())
}

/// The resources that drifted or could not be checked: IN_SYNC ones are not listed. `UNKNOWN`:
/// "CloudFormation could not run drift detection for the resource"; `NOT_CHECKED`: "doesn't
/// currently return this value" (DescribeStackResourceDrifts API reference), kept for older
/// answers.
const LISTED: [StackResourceDriftStatus; 4] = [
    StackResourceDriftStatus::Modified,
    StackResourceDriftStatus::Deleted,
    StackResourceDriftStatus::NotChecked,
    StackResourceDriftStatus::UnknownValue,
];

/// Whether a resource's drift status is drift: modified or deleted outside CloudFormation, or
/// holding routes or rules no template makes (`UNMANAGED`, unmanaged.rs).
fn is_drift(status: &str) -> bool {
    matches!(status, "MODIFIED" | "DELETED" | crate::unmanaged::UNMANAGED)
}

impl Deployer {
    /// Detects drift on `stacks` (those named in `only`; all when empty), one at a time, each
    /// in its own environment: DetectStackDrift, then its status polled every poll interval
    /// (interruptible, bounded by `timeout`), then each drifted resource's differences, then,
    /// where the environment has EC2 access ([`crate::SignedAccess`]), the routes and rules
    /// of the stack's route tables and security groups that no template of `stacks` makes
    /// (resources of status `UNMANAGED`, each route or rule an `ADD`; they make the stack
    /// drifted). Stack sets and steps are said not to be checked.
    ///
    /// ```no_run
    /// # async fn demo(deployer: vpcform_deploy::Deployer, stacks: Vec<vpcform_deploy::StackTemplate>) -> Result<(), vpcform_deploy::DeployError> {
    /// let report = deployer.drift(&stacks, &[]).await?;
    /// print!("{report}");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A stack name the app does not have, or an environment that cannot be connected to;
    /// each stack's own failure is in the report.
    pub async fn drift(
        &self,
        stacks: &[StackTemplate],
        only: &[String],
    ) -> Result<DriftReport, DeployError> {
        let selected = select_for_deploy(stacks, only, true)?;
        let checked: Vec<&StackTemplate> = selected
            .iter()
            .filter(|s| s.step.is_none() && s.stack_set.is_none())
            .collect();
        self.prepare_environments(&checked).await?;
        // What the app's templates add to tables and groups of other stacks (imported), so
        // that such a route or rule is not reported unmanaged in the stack that owns them.
        let mut elsewhere = crate::unmanaged::Managed::default();
        for stack in stacks {
            if let Ok(template) = serde_json::from_str::<Value>(&stack.body) {
                elsewhere.add_template(&template, &Default::default());
            }
        }
        let mut report = Vec::new();
        for stack in &selected {
            let name = stack.name.clone();
            let result = if stack.step.is_some() {
                Ok(StackDrift::not_checked(
                    &name,
                    "a step (an acceptance) is not a stack and has no resources to drift",
                ))
            } else if stack.stack_set.is_some() {
                Ok(StackDrift::not_checked(
                    &name,
                    "a stack set is not checked by `drift`: run DetectStackSetDrift (the \
                     console's \"Detect drift\") on it",
                ))
            } else if self.is_interrupted() {
                Err(DeployError::NotStarted {
                    stack: name.clone(),
                })
            } else {
                match self.in_environment(&stack.environment) {
                    // Retry notices name the stack, as in a deploy.
                    Ok(deployer) => {
                        STACK
                            .scope(name.clone(), deployer.detect_all_drift(&name, &elsewhere))
                            .await
                    }
                    Err(error) => Err(error),
                }
            };
            report.push((name, result));
        }
        Ok(DriftReport { stacks: report })
    }

    /// CloudFormation's drift detection, then the routes and rules no template makes
    /// (unmanaged.rs) when the environment has EC2 access: found ones are resources of status
    /// `UNMANAGED` and make the stack drifted; when they cannot be read, the detection is
    /// incomplete (`detection_failed`) and CloudFormation's result stands.
    async fn detect_all_drift(
        &self,
        name: &str,
        elsewhere: &crate::unmanaged::Managed,
    ) -> Result<StackDrift, DeployError> {
        let mut drift = self.detect_drift(name).await?;
        if drift.state == DriftState::NotDeployed {
            return Ok(drift);
        }
        match self.unmanaged(name, elsewhere).await {
            Ok(None) => {}
            Ok(Some(found)) => {
                if !found.is_empty() {
                    drift.state = DriftState::Drifted;
                    drift.resources.extend(found);
                }
            }
            Err(error) if error.is_interrupt() => return Err(error),
            Err(error) => {
                let note = format!("unmanaged routes and rules not read: {error}");
                drift.detection_failed = Some(match drift.detection_failed.take() {
                    Some(reason) => format!("{reason}; {note}"),
                    None => note,
                });
            }
        }
        Ok(drift)
    }

    /// One stack's drift detection, with this deployer's clients.
    ///
    /// ```no_run
    /// # async fn demo(deployer: vpcform_deploy::Deployer) -> Result<(), vpcform_deploy::DeployError> {
    /// let drift = deployer.detect_drift("Network").await?;
    /// println!("{}", drift.to_json());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// An API error; [`DeployError::Interrupted`] or [`DeployError::TimedOut`] while
    /// CloudFormation detects (it finishes on its own).
    pub async fn detect_drift(&self, name: &str) -> Result<StackDrift, DeployError> {
        let call = self.client.detect_stack_drift().stack_name(name).send();
        let started = match self.interruptible(name, "DetectStackDrift", call).await {
            Ok(Ok(started)) => started,
            Ok(Err(e)) if does_not_exist(&e) => {
                return Ok(StackDrift {
                    stack: name.to_string(),
                    state: DriftState::NotDeployed,
                    checked_at: None,
                    detection_failed: None,
                    resources: Vec::new(),
                });
            }
            Ok(Err(e)) => return Err(aws(name, "DetectStackDrift", e)),
            Err(_) => {
                return Err(DeployError::NotStarted {
                    stack: name.to_string(),
                });
            }
        };
        let id = started
            .stack_drift_detection_id()
            .unwrap_or_default()
            .to_string();
        self.ui.line(name, &format!("detecting drift ({id})"));
        let in_progress = || format!("DETECTION_IN_PROGRESS (drift detection {id})");
        let begun = Instant::now();
        let status = loop {
            let call = self
                .client
                .describe_stack_drift_detection_status()
                .stack_drift_detection_id(&id)
                .send();
            let status = match self
                .interruptible(name, "DescribeStackDriftDetectionStatus", call)
                .await
            {
                Ok(Ok(status)) => status,
                Ok(Err(e)) => return Err(aws(name, "DescribeStackDriftDetectionStatus", e)),
                Err(_) => {
                    return Err(DeployError::Interrupted {
                        stack: name.to_string(),
                        status: in_progress(),
                    });
                }
            };
            match status.detection_status() {
                Some(StackDriftDetectionStatus::DetectionInProgress) | None => {}
                Some(_) => break status,
            }
            if let Some(limit) = self.options.timeout
                && begun.elapsed() >= limit
            {
                return Err(DeployError::TimedOut {
                    stack: name.to_string(),
                    status: in_progress(),
                    after: limit,
                });
            }
            if self.pause().await {
                return Err(DeployError::Interrupted {
                    stack: name.to_string(),
                    status: in_progress(),
                });
            }
        };
        let detection_failed = match status.detection_status() {
            Some(StackDriftDetectionStatus::DetectionComplete) => None,
            _ => Some(
                status
                    .detection_status_reason()
                    .unwrap_or("CloudFormation gave no reason")
                    .to_string(),
            ),
        };
        let resources = self.resource_drifts(name).await?;
        let state = match status.stack_drift_status() {
            Some(StackDriftStatus::Drifted) => DriftState::Drifted,
            Some(StackDriftStatus::InSync) => DriftState::InSync,
            // Detection ran and no resource of the stack supports it: nothing to report, not an
            // incomplete run (StackDriftStatus NOT_CHECKED, DescribeStackDriftDetectionStatus).
            Some(StackDriftStatus::NotChecked)
                if !resources.iter().any(|r| is_drift(&r.status)) =>
            {
                DriftState::NotChecked(
                    "CloudFormation checked no resource of it: none supports drift detection"
                        .to_string(),
                )
            }
            // A partial detection that found drift has drifted, whatever the stack's word.
            _ if resources.iter().any(|r| is_drift(&r.status)) => DriftState::Drifted,
            other => DriftState::Unknown(
                other
                    .map_or("UNKNOWN", StackDriftStatus::as_str)
                    .to_string(),
            ),
        };
        Ok(StackDrift {
            stack: name.to_string(),
            state,
            checked_at: timestamp(status.timestamp()),
            detection_failed,
            resources,
        })
    }

    /// The last detection's drifted and unchecked resources, every page.
    async fn resource_drifts(&self, name: &str) -> Result<Vec<ResourceDrift>, DeployError> {
        let mut resources = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let call = self
                .client
                .describe_stack_resource_drifts()
                .stack_name(name)
                .set_stack_resource_drift_status_filters(Some(LISTED.to_vec()))
                .set_next_token(token.clone())
                .send();
            let page = match self
                .interruptible(name, "DescribeStackResourceDrifts", call)
                .await
            {
                Ok(Ok(page)) => page,
                Ok(Err(e)) => return Err(aws(name, "DescribeStackResourceDrifts", e)),
                Err(_) => {
                    return Err(DeployError::Interrupted {
                        stack: name.to_string(),
                        status: "drift detected, its results not read".to_string(),
                    });
                }
            };
            resources.extend(
                page.stack_resource_drifts()
                    .iter()
                    // The filter is a request: an emulator may answer every resource.
                    .filter(|r| {
                        r.stack_resource_drift_status() != Some(&StackResourceDriftStatus::InSync)
                    })
                    .map(resource_drift),
            );
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        Ok(resources)
    }

    /// The stack's last drift result (DescribeStacks `DriftInformation`); `None` when the
    /// stack does not exist or CloudFormation keeps none.
    pub(crate) async fn last_drift(&self, name: &str) -> Result<Option<LastDrift>, DeployError> {
        let call = self.client.describe_stacks().stack_name(name).send();
        let output = match self.interruptible(name, "DescribeStacks", call).await? {
            Ok(output) => output,
            Err(e) if does_not_exist(&e) => return Ok(None),
            Err(e) => return Err(aws(name, "DescribeStacks", e)),
        };
        Ok(output
            .stacks()
            .first()
            .and_then(|s| s.drift_information())
            .map(|info| LastDrift {
                status: info
                    .stack_drift_status()
                    .map_or("UNKNOWN", StackDriftStatus::as_str)
                    .to_string(),
                checked_at: timestamp(info.last_check_timestamp()),
            }))
    }
}

impl Deployer {
    /// `deploy --revert-drift`: an UPDATE change set is made drift-aware (CreateChangeSet
    /// `DeploymentMode: REVERT_DRIFT`). A CREATE one is left as it is: a drift-aware change set
    /// compares the resources' actual state with the previous deployment and the new template
    /// (CloudFormation User Guide, "Using drift-aware change sets"), and a stack being created
    /// has no deployment to have drifted from.
    pub(crate) fn revert_drift_mode(
        &self,
        name: &str,
        request: CreateChangeSetFluentBuilder,
        creating: bool,
    ) -> CreateChangeSetFluentBuilder {
        if !self.options.revert_drift {
            return request;
        }
        if creating {
            self.ui.line(
                name,
                "--revert-drift: a new stack has nothing deployed to drift; created as usual",
            );
            return request;
        }
        request.deployment_mode(DeploymentMode::RevertDrift)
    }
}

/// The review says when a change set is drift-aware (DescribeChangeSet `DeploymentMode`, present
/// only for drift-aware change sets): its changes include putting drifted properties back.
pub(crate) fn say_if_drift_aware(deployer: &Deployer, name: &str, mode: Option<&DeploymentMode>) {
    if mode == Some(&DeploymentMode::RevertDrift) {
        deployer.ui.line(
            name,
            "drift-aware change set (REVERT_DRIFT): executing it also puts properties changed \
             outside CloudFormation back to the template's values",
        );
    }
}

/// A resource's drift as the SDK gives it (also `import.rs`'s, after an import).
pub(crate) fn resource_drift(r: &StackResourceDrift) -> ResourceDrift {
    ResourceDrift {
        logical_id: r.logical_resource_id().unwrap_or_default().to_string(),
        physical_id: r.physical_resource_id().map(str::to_string),
        resource_type: r.resource_type().unwrap_or_default().to_string(),
        status: r
            .stack_resource_drift_status()
            .map_or("UNKNOWN", StackResourceDriftStatus::as_str)
            .to_string(),
        reason: r.drift_status_reason().map(str::to_string),
        differences: r
            .property_differences()
            .iter()
            .map(|d| PropertyDrift {
                path: d.property_path().unwrap_or_default().to_string(),
                expected: d.expected_value().map(str::to_string),
                actual: d.actual_value().map(str::to_string),
                difference: d
                    .difference_type()
                    .map_or("NOT_EQUAL", |t| t.as_str())
                    .to_string(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modified() -> StackDrift {
        StackDrift {
            stack: "Net".into(),
            state: DriftState::Drifted,
            checked_at: Some("2026-12-07T12:00:00Z".into()),
            detection_failed: None,
            resources: vec![
                ResourceDrift {
                    logical_id: "Sg".into(),
                    physical_id: Some("sg-0123".into()),
                    resource_type: "AWS::EC2::SecurityGroup".into(),
                    status: "MODIFIED".into(),
                    reason: None,
                    differences: vec![
                        PropertyDrift {
                            path: "/SecurityGroupIngress/0/CidrIp".into(),
                            expected: Some("10.0.0.0/16".into()),
                            actual: Some("0.0.0.0/0".into()),
                            difference: "NOT_EQUAL".into(),
                        },
                        PropertyDrift {
                            path: "/Tags/1".into(),
                            expected: None,
                            actual: Some(r#"{"Key":"Owner","Value":"ops"}"#.into()),
                            difference: "ADD".into(),
                        },
                    ],
                },
                ResourceDrift {
                    logical_id: "Subnet".into(),
                    physical_id: Some("subnet-1".into()),
                    resource_type: "AWS::EC2::Subnet".into(),
                    status: "DELETED".into(),
                    reason: None,
                    differences: vec![],
                },
            ],
        }
    }

    #[test]
    fn a_drifted_stack_reads_as_a_diff_of_template_and_actual_values() {
        assert_eq!(
            modified().to_string(),
            "Net: DRIFTED, 2 resources (detected 2026-12-07T12:00:00Z)\n\
             \x20 ~ Sg AWS::EC2::SecurityGroup (sg-0123) MODIFIED\n\
             \x20     ~ /SecurityGroupIngress/0/CidrIp: 10.0.0.0/16 -> 0.0.0.0/0\n\
             \x20     + /Tags/1: {\"Key\":\"Owner\",\"Value\":\"ops\"}\n\
             \x20 - Subnet AWS::EC2::Subnet (subnet-1) DELETED\n"
        );
        let json = modified().to_json();
        assert_eq!(json["status"], "DRIFTED");
        assert_eq!(json["resources"][0]["differences"][1]["type"], "ADD");
        assert_eq!(json["resources"][1]["status"], "DELETED");
    }

    #[test]
    fn the_last_result_says_never_checked_in_sync_or_drifted_with_its_time() {
        let last = |status: &str, at: Option<&str>| {
            LastDrift {
                status: status.into(),
                checked_at: at.map(str::to_string),
            }
            .to_string()
        };
        assert_eq!(
            last("NOT_CHECKED", None),
            "drift: never checked (run `drift` to detect it)"
        );
        assert_eq!(
            last("IN_SYNC", Some("2026-12-07T12:00:00Z")),
            "drift: in sync at the last check, 2026-12-07T12:00:00Z"
        );
        assert!(last("DRIFTED", Some("2026-12-07T12:00:00Z")).starts_with("drift: DRIFTED at"));
    }
}
