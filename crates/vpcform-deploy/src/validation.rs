//! What CloudFormation says before it changes anything: the results of its pre-deployment
//! validation of a change set, read with `DescribeEvents` and shown with the change set's review.
//!
//! AWS CloudFormation User Guide, "Validate stack deployments": validation runs when a change set
//! is created (property syntax, resource name conflicts, S3 bucket emptiness, service quotas,
//! AWS Config recorder conflicts, ECR repository delete readiness); each result has a failure
//! mode, `FAIL` or `WARN`. A `FAIL` result fails the change set, so it cannot be executed; a
//! `WARN` result leaves it executable, to be reviewed ("View findings": "With WARN findings,
//! CloudFormation creates the change set, and you review the findings before you execute it.
//! With FAIL findings, the change set fails."). The results are events of the change set's
//! operation: `DescribeEvents` with `ChangeSetName` (API reference: `OperationEvent`'s
//! `EventType` `VALIDATION_ERROR`, `ValidationName`, `ValidationStatus`,
//! `ValidationFailureMode`, `ValidationStatusReason`, `ValidationPath`).
//!
//! Invariant: a change set with a `FAIL` result is never executed — the deploy stops with
//! [`DeployError::ValidationFailed`] naming every result — and every `WARN` result is shown
//! before the approval question; reading the results is best effort: when `DescribeEvents`
//! does not answer, the review says so and goes on (CloudFormation still refuses a change set
//! its validation failed).

use aws_sdk_cloudformation::config::retry::RetryConfig;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::{EventType, HookFailureMode, OperationEvent, ValidationStatus};

use crate::{DeployError, Deployer};

/// How a validation result weighs, as CloudFormation gives it (`ValidationFailureMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationMode {
    /// `FAIL`: the change set failed and cannot be executed.
    Fail,
    /// `WARN`: the change set can be executed; review the result first.
    Warn,
}

impl ValidationMode {
    /// `FAIL` or `WARN`, as CloudFormation writes them.
    ///
    /// ```
    /// assert_eq!(vpcform_deploy::ValidationMode::Warn.as_str(), "WARN");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationMode::Fail => "FAIL",
            ValidationMode::Warn => "WARN",
        }
    }
}

/// One result of CloudFormation's pre-deployment validation of a change set.
///
/// ```
/// use vpcform_deploy::{ValidationFinding, ValidationMode};
/// let finding = ValidationFinding {
///     stack: "Net".into(),
///     change_set: "vpcform-1".into(),
///     mode: ValidationMode::Warn,
///     validation: "ServiceQuotaValidation".into(),
///     status: "FAILED".into(),
///     logical_id: Some("Vpc".into()),
///     path: None,
///     reason: "VPCs per Region: 5 in use of 5".into(),
/// };
/// assert_eq!(
///     finding.to_string(),
///     "WARN ServiceQuotaValidation Vpc: VPCs per Region: 5 in use of 5"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationFinding {
    /// The stack.
    pub stack: String,
    /// The change set validated.
    pub change_set: String,
    /// `FAIL` or `WARN`.
    pub mode: ValidationMode,
    /// The validation's name (`ValidationName`).
    pub validation: String,
    /// Its status (`ValidationStatus`: `FAILED`, `SKIPPED`).
    pub status: String,
    /// The resource it is about, when one.
    pub logical_id: Option<String>,
    /// Where in the resource (`ValidationPath`, e.g. `/Resources/Vpc/Properties/CidrBlock`).
    pub path: Option<String>,
    /// CloudFormation's reason (`ValidationStatusReason`).
    pub reason: String,
}

impl ValidationFinding {
    /// A validation event as a finding; `None` for other events. A failed validation without
    /// a failure mode counts as `FAIL`: CloudFormation reports the failures that stop a change
    /// set as validation errors; a skipped one is a `WARN`.
    fn from_event(stack: &str, change_set: &str, event: &OperationEvent) -> Option<Self> {
        let is_validation = event.event_type() == Some(&EventType::ValidationError)
            || event.validation_name().is_some();
        if !is_validation {
            return None;
        }
        // FAIL only for a failed validation in FAIL mode (or of no stated mode); a SKIPPED one
        // (`ValidationStatus`) stops nothing, and is shown as a warning.
        let mode = match (event.validation_failure_mode(), event.validation_status()) {
            (Some(HookFailureMode::Warn), _) => ValidationMode::Warn,
            (_, Some(ValidationStatus::Skipped)) => ValidationMode::Warn,
            _ => ValidationMode::Fail,
        };
        Some(ValidationFinding {
            stack: stack.to_string(),
            change_set: change_set.to_string(),
            mode,
            validation: event.validation_name().unwrap_or("validation").to_string(),
            status: event
                .validation_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            logical_id: event
                .logical_resource_id()
                .filter(|id| !id.is_empty() && *id != stack)
                .map(str::to_string),
            path: event.validation_path().map(str::to_string),
            reason: event
                .validation_status_reason()
                .or(event.resource_status_reason())
                .unwrap_or_default()
                .to_string(),
        })
    }

    /// The finding as JSON, for `--format json`.
    ///
    /// ```
    /// # use vpcform_deploy::{ValidationFinding, ValidationMode};
    /// # let finding = ValidationFinding { stack: "Net".into(), change_set: "c".into(),
    /// #     mode: ValidationMode::Fail, validation: "PropertyValidation".into(),
    /// #     status: "FAILED".into(), logical_id: None, path: None, reason: "bad".into() };
    /// assert_eq!(finding.to_json()["mode"], "FAIL");
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "stack": self.stack,
            "change_set": self.change_set,
            "mode": self.mode.as_str(),
            "validation": self.validation,
            "status": self.status,
            "logical_id": self.logical_id,
            "path": self.path,
            "reason": self.reason,
        })
    }
}

impl std::fmt::Display for ValidationFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.mode.as_str(), self.validation)?;
        if let Some(id) = &self.logical_id {
            write!(f, " {id}")?;
        }
        if let Some(path) = &self.path {
            write!(f, " at {path}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl Deployer {
    /// The change set's validation results, shown one per line and kept for
    /// [`Deployer::validation_results`]. Best effort: when `DescribeEvents` does not answer,
    /// one line says so and the review goes on.
    ///
    /// # Errors
    /// Only an interrupt ([`DeployError::Cancelled`]).
    pub(crate) async fn validation(
        &self,
        name: &str,
        change_set: &str,
    ) -> Result<Vec<ValidationFinding>, DeployError> {
        let mut findings = Vec::new();
        let mut token: Option<String> = None;
        loop {
            // One attempt: results are advice, and an endpoint without the operation (an
            // emulator) must not cost the SDK's backoff on every change set.
            let call = self
                .client
                .describe_events()
                .stack_name(name)
                .change_set_name(change_set)
                .set_next_token(token.clone())
                .customize()
                .config_override(
                    aws_sdk_cloudformation::config::Builder::default()
                        .retry_config(RetryConfig::disabled()),
                )
                .send();
            let page = match self.interruptible(name, "DescribeEvents", call).await? {
                Ok(page) => page,
                Err(e) => {
                    let why = match (e.code(), e.message()) {
                        (Some(code), Some(message)) => format!("DescribeEvents: {code}: {message}"),
                        (Some(code), None) => format!("DescribeEvents: {code}"),
                        _ => "DescribeEvents gave no usable answer".to_string(),
                    };
                    self.ui.line(
                        name,
                        &format!(
                            "validation results not read ({why}); CloudFormation still refuses \
                             a change set its validation failed"
                        ),
                    );
                    break;
                }
            };
            findings.extend(
                page.operation_events()
                    .iter()
                    .filter_map(|event| ValidationFinding::from_event(name, change_set, event)),
            );
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        for finding in &findings {
            self.ui.line(name, &format!("  {finding}"));
        }
        if let Ok(mut kept) = self.validation_results.lock() {
            kept.extend(findings.iter().cloned());
        }
        Ok(findings)
    }

    /// Every validation result this deployer read, in the order read: `FAIL` ones stopped
    /// their stack ([`DeployError::ValidationFailed`]), `WARN` ones were shown with the
    /// review.
    ///
    /// ```no_run
    /// # async fn demo(deployer: vpcform_deploy::Deployer, stacks: Vec<vpcform_deploy::StackTemplate>) -> Result<(), vpcform_deploy::DeployError> {
    /// deployer.deploy(&stacks, &[]).await?;
    /// for finding in deployer.validation_results() {
    ///     println!("{finding}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn validation_results(&self) -> Vec<ValidationFinding> {
        self.validation_results
            .lock()
            .map(|kept| kept.clone())
            .unwrap_or_default()
    }
}

/// The error for a change set with `FAIL` results: it is not executed.
pub(crate) fn validation_failed(
    name: &str,
    change_set: &str,
    findings: &[ValidationFinding],
) -> Option<DeployError> {
    let failures: Vec<ValidationFinding> = findings
        .iter()
        .filter(|f| f.mode == ValidationMode::Fail)
        .cloned()
        .collect();
    (!failures.is_empty()).then(|| DeployError::ValidationFailed {
        stack: name.to_string(),
        change_set: change_set.to_string(),
        failures,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(mode: Option<HookFailureMode>) -> OperationEvent {
        let mut event = OperationEvent::builder()
            .event_type(EventType::ValidationError)
            .validation_name("PropertyValidation")
            .validation_status(ValidationStatus::Failed)
            .validation_status_reason("bad CidrBlock")
            .validation_path("/Resources/Vpc/Properties/CidrBlock")
            .logical_resource_id("Vpc");
        if let Some(mode) = mode {
            event = event.validation_failure_mode(mode);
        }
        event.build()
    }

    #[test]
    fn a_validation_event_is_a_finding_with_its_mode() {
        let warn = ValidationFinding::from_event("Net", "c", &event(Some(HookFailureMode::Warn)));
        assert_eq!(warn.map(|f| f.mode), Some(ValidationMode::Warn));
        let fail = ValidationFinding::from_event("Net", "c", &event(None));
        assert_eq!(fail.as_ref().map(|f| f.mode), Some(ValidationMode::Fail));
        assert_eq!(
            fail.map(|f| f.to_string()).as_deref(),
            Some(
                "FAIL PropertyValidation Vpc at /Resources/Vpc/Properties/CidrBlock: bad CidrBlock"
            )
        );
        let progress = OperationEvent::builder()
            .event_type(EventType::ProgressEvent)
            .build();
        assert_eq!(ValidationFinding::from_event("Net", "c", &progress), None);
        // A skipped validation stops nothing, whatever its mode.
        let skipped = OperationEvent::builder()
            .event_type(EventType::ValidationError)
            .validation_name("ServiceQuotaValidation")
            .validation_status(ValidationStatus::Skipped)
            .validation_failure_mode(HookFailureMode::Fail)
            .build();
        assert_eq!(
            ValidationFinding::from_event("Net", "c", &skipped).map(|f| f.mode),
            Some(ValidationMode::Warn)
        );
    }

    #[test]
    fn only_fail_results_stop_the_change_set() {
        let warn = ValidationFinding::from_event("Net", "c", &event(Some(HookFailureMode::Warn)));
        let warn: Vec<ValidationFinding> = warn.into_iter().collect();
        assert!(validation_failed("Net", "c", &warn).is_none());
        let fail: Vec<ValidationFinding> = ValidationFinding::from_event("Net", "c", &event(None))
            .into_iter()
            .collect();
        assert!(matches!(
            validation_failed("Net", "c", &fail),
            Some(DeployError::ValidationFailed { failures, .. }) if failures.len() == 1
        ));
    }
}
