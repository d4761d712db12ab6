//! Deployment errors: each names the stack and says what to do.

/// The first resource that failed in a stack operation, from the stack's events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedResource {
    /// The resource's logical ID.
    pub logical_id: String,
    /// Its type, e.g. `AWS::EC2::VPCEndpoint`.
    pub resource_type: String,
    /// Its status, e.g. `CREATE_FAILED`.
    pub status: String,
    /// CloudFormation's reason.
    pub reason: String,
}

impl std::fmt::Display for FailedResource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}) {}: {}",
            self.logical_id, self.resource_type, self.status, self.reason
        )
    }
}

/// Why a deploy, diff or destroy did not complete.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeployError {
    /// A CloudFormation API call failed (after the SDK's retries). One line: the stack, the
    /// operation, AWS's code and message, and a hint where one is known; the SDK's error is
    /// kept as the source (printed by `--verbose`) with the request ID.
    #[error(
        "{stack}: {operation} failed: {code}: {message}{}",
        hint.as_ref().map(|h| format!(" (hint: {h})")).unwrap_or_default()
    )]
    Aws {
        /// The stack.
        stack: String,
        /// The API operation.
        operation: &'static str,
        /// AWS's error code, e.g. `ValidationError`; for errors with no response, what failed
        /// (`NoResponse`, `Timeout`, `RequestNotBuilt`).
        code: String,
        /// The error message, one line.
        message: String,
        /// What to do about it, when known.
        hint: Option<String>,
        /// The request ID AWS gave the failed request, if it answered.
        request_id: Option<String>,
        /// The SDK's error.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The template is over the 1 MB CloudFormation reads from S3.
    #[error(
        "{stack}: the template is {bytes} bytes, over CloudFormation's 1 MB limit for a template \
         in S3 (TemplateURL); split the stack (nothing was deployed)"
    )]
    TemplateTooLarge {
        /// The stack.
        stack: String,
        /// The template's size.
        bytes: usize,
    },
    /// A large template could not be uploaded to S3.
    #[error(
        "{stack}: could not upload the template to {target}: {reason}{} (nothing was deployed)",
        hint.as_ref().map(|h| format!(" (hint: {h})")).unwrap_or_default()
    )]
    Upload {
        /// The stack.
        stack: String,
        /// Where to: `s3://bucket/key`.
        target: String,
        /// S3's code and message, or what failed.
        reason: String,
        /// What to do about it, when known.
        hint: Option<String>,
        /// The request ID S3 gave the failed request (`--verbose` prints it).
        request_id: Option<String>,
        /// S3's extended request ID (`HostId`, header `x-amz-id-2`), which AWS support asks
        /// for with the request ID.
        host_id: Option<String>,
    },
    /// A value was given for a parameter the stack's template does not declare.
    #[error(
        "{stack}: no template parameter named {parameter} ({}); check the name given with \
         --parameters {stack}:NAME=VALUE",
        if declared.is_empty() {
            "the template declares none".to_string()
        } else {
            format!("declared: {declared}")
        }
    )]
    UnknownParameter {
        /// The stack.
        stack: String,
        /// The name given.
        parameter: String,
        /// The template's parameters.
        declared: String,
    },
    /// A new stack's parameter has neither a value nor a default.
    #[error(
        "{stack}: parameter {parameter} has no value and no default, so the stack cannot be \
         created; give it with --parameters {stack}:{parameter}=VALUE (nothing was created)"
    )]
    MissingParameter {
        /// The stack.
        stack: String,
        /// The parameter.
        parameter: String,
    },
    /// The stack is in the middle of another operation.
    #[error("{stack}: the stack is {status}; wait for that operation to finish, then try again")]
    StackBusy {
        /// The stack.
        stack: String,
        /// Its status.
        status: String,
    },
    /// CloudFormation could not create the change set.
    #[error("{stack}: the change set failed: {reason}")]
    ChangeSetFailed {
        /// The stack.
        stack: String,
        /// CloudFormation's reason.
        reason: String,
    },
    /// Changes that need approval (see `RequireApproval`), and nobody to give it.
    #[error(
        "{stack}: {reason} and there is no terminal to approve it; {fix} (nothing was changed)"
    )]
    ConfirmationRequired {
        /// The stack (or stacks, comma-separated, for a destroy).
        stack: String,
        /// What needs approval, e.g. "the change set broadens access (2 security changes)".
        reason: String,
        /// How to go ahead.
        fix: &'static str,
    },
    /// The user declined the changes.
    #[error("{stack}: not deployed: the changes were declined; the stack was not changed")]
    Declined {
        /// The stack.
        stack: String,
    },
    /// The user declined a destroy.
    #[error("{stack}: not destroyed: declined")]
    DestroyDeclined {
        /// The stacks.
        stack: String,
    },
    /// The stack operation failed.
    #[error(
        "{stack}: {operation} failed; the stack is {status}{}",
        cause.as_ref().map(|c| format!(". First failure: {c}")).unwrap_or_default()
    )]
    StackFailed {
        /// The stack.
        stack: String,
        /// What was attempted.
        operation: crate::Operation,
        /// The final status.
        status: String,
        /// The first resource that failed, when the events name one.
        cause: Option<Box<FailedResource>>,
    },
    /// Interrupted (Ctrl-C) while CloudFormation was working.
    #[error(
        "{stack}: interrupted; the stack is {status}{}",
        after_us(status, " and")
    )]
    Interrupted {
        /// The stack.
        stack: String,
        /// Its status when we stopped.
        status: String,
    },
    /// Interrupted before anything was executed.
    #[error("{stack}: interrupted before executing; the stack was not changed")]
    InterruptedBeforeExecution {
        /// The stack.
        stack: String,
    },
    /// Interrupted before the stack's turn came.
    #[error("{stack}: not started: interrupted before its turn; nothing was changed")]
    NotStarted {
        /// The stack.
        stack: String,
    },
    /// Interrupted while an API call was under way (internal: each caller turns it into the
    /// state the stack was left in).
    #[error("{stack}: interrupted during {operation}")]
    Cancelled {
        /// The stack.
        stack: String,
        /// The API operation abandoned.
        operation: &'static str,
    },
    /// The stack did not settle within `--timeout`.
    #[error(
        "{stack}: {}{status} after {} (--timeout){}",
        if settled(status) { "" } else { "still " },
        human_duration(*after),
        after_us(status, ";")
    )]
    TimedOut {
        /// The stack.
        stack: String,
        /// Its status when we stopped following.
        status: String,
        /// The deadline.
        after: std::time::Duration,
    },
    /// `ExecuteChangeSet` itself failed: the change set was cleaned up (or not, said so).
    #[error("{stack}: could not execute change set {change_set}: {reason}; {left}")]
    ExecuteFailed {
        /// The stack.
        stack: String,
        /// The change set.
        change_set: String,
        /// AWS's code and message.
        reason: String,
        /// What the cleanup left, e.g. "the change set was deleted; the stack is unchanged".
        left: String,
        /// The call's error.
        #[source]
        source: Box<DeployError>,
    },
    /// `--change-set NAME` names a change set that cannot be executed.
    #[error("{stack}: change set {change_set} cannot be executed: {reason}")]
    ChangeSetNotExecutable {
        /// The stack.
        stack: String,
        /// The change set named.
        change_set: String,
        /// Why, with what to do.
        reason: String,
    },
    /// Another run's change set that may still be under review: younger than
    /// `--stale-change-set-age` and still executable (or being made). Nothing was changed.
    #[error(
        "{stack}: another deploy of {stack} is in progress, or change set {change_set} was left \
         by --no-execute: created {}; wait for it, execute it with --change-set {change_set}, \
         or pass --discard-pending (nothing was changed)",
        created_when(created.as_deref(), *age)
    )]
    ChangeSetPending {
        /// The stack.
        stack: String,
        /// The other run's change set (the newest, when several).
        change_set: String,
        /// When it was made, as CloudFormation says (`2026-12-07T12:00:00Z`), when known.
        created: Option<String>,
        /// Its age, when known.
        age: Option<std::time::Duration>,
    },
    /// This run's change set was deleted under it (by another run, or by hand): nothing of it
    /// was executed and nothing is left to clean up.
    #[error(
        "{stack}: change set {change_set} no longer exists ({operation} answered \
         ChangeSetNotFound): another deploy deleted it (--discard-pending, or it was older than \
         --stale-change-set-age), or it was deleted by hand; this run changed nothing — run \
         deploy again once the other one is done"
    )]
    ChangeSetGone {
        /// The stack.
        stack: String,
        /// This run's change set.
        change_set: String,
        /// The call that found it gone.
        operation: &'static str,
    },
    /// `destroy --exclusively` on a stack others import from.
    #[error(
        "{stack}: deployed stacks import from it ({dependents}), so CloudFormation would refuse \
         to delete its exports; destroy them first, or run destroy without --exclusively to \
         include them (nothing was deleted)"
    )]
    DependentsDeployed {
        /// The stack.
        stack: String,
        /// The deployed stacks that import from it.
        dependents: String,
    },
    /// Destroy refused by termination protection.
    #[error(
        "{stack}: termination protection is on; turn it off in the program (or with \
         `aws cloudformation update-termination-protection --no-enable-termination-protection \
         --stack-name {stack}`) to destroy it"
    )]
    TerminationProtected {
        /// The stack.
        stack: String,
    },
    /// A stack named on the command line that the app does not define.
    #[error(
        "no stack named {0:?} in this app (a stack dropped from the program is an orphan: \
         `list` shows it, `destroy --orphans` removes it)"
    )]
    UnknownStack(String),
    /// `destroy --orphans` refused: a stack still imports an orphan's export, so CloudFormation
    /// would refuse to delete it (ListImports).
    #[error(
        "{stack}: {importer} still imports its export {export}, so CloudFormation would refuse \
         to delete it; {fix} (nothing was deleted)"
    )]
    OrphanImported {
        /// The orphan.
        stack: String,
        /// The export.
        export: String,
        /// The stack that imports it.
        importer: String,
        /// What to do: redeploy the program's importer, or update the foreign one.
        fix: String,
    },
    /// `--change-set NAME` with other than one stack.
    #[error("--change-set names one stack's change set: name exactly one stack (given: {given})")]
    ChangeSetNeedsOneStack {
        /// The stacks selected.
        given: String,
    },
    /// A stack not started because a stack it depends on failed.
    #[error("{stack}: skipped because {dependency} did not deploy")]
    Skipped {
        /// The stack.
        stack: String,
        /// The dependency that failed.
        dependency: String,
    },
    /// The credentials of a stack's environment are of another account than the one pinned.
    #[error(
        "{stack}: the stack is pinned to account {expected}, but the credentials for \
         {environment} are {caller} in account {actual}; nothing was changed — use credentials \
         of {expected} (a profile, or a role of that account), or pin {actual}"
    )]
    AccountMismatch {
        /// The first stack of the environment.
        stack: String,
        /// The pinned account.
        expected: String,
        /// The caller's account (STS GetCallerIdentity).
        actual: String,
        /// The caller's ARN.
        caller: String,
        /// The environment, described.
        environment: String,
    },
    /// An environment the deployer has no clients for.
    #[error(
        "no clients for {environment}: a deployer made with Deployer::new has only the \
         ambient environment's; give it others with with_environment, or use Deployer::from_env"
    )]
    NoConnection {
        /// The environment, described.
        environment: String,
    },
    /// A pinned account that cannot be checked: the environment's clients have no STS.
    #[error(
        "{stack}: cannot check the account pinned for {environment}: its Connection has no STS \
         client; give one (Connection {{ sts: Some(..), .. }}) or unpin the account"
    )]
    NoAccountCheck {
        /// The first stack of the environment.
        stack: String,
        /// The environment, described.
        environment: String,
    },
    /// A parameter filled from another stack's output that could not be read.
    #[error(
        "{stack}: parameter {parameter} takes {from}'s output {output} ({environment}), but {reason}"
    )]
    ImportUnresolved {
        /// The importing stack.
        stack: String,
        /// Its parameter.
        parameter: String,
        /// The exporting stack.
        from: String,
        /// The output.
        output: String,
        /// The exporting stack's environment, described.
        environment: String,
        /// What was found instead, and the fix.
        reason: String,
    },
    /// A stack set operation that failed beyond its failure tolerance, or was stopped.
    #[error(
        "{stack}: stack set operation {operation_id} ({action}) {status}{}",
        failures(failed)
    )]
    StackSetOperationFailed {
        /// The stack set.
        stack: String,
        /// The operation.
        operation_id: String,
        /// What it did: `create instances`, `update`, …
        action: &'static str,
        /// Its final status, with AWS's reason.
        status: String,
        /// Every instance that failed, with AWS's reason.
        failed: Vec<crate::InstanceFailure>,
    },
    /// Interrupted while CloudFormation rolled a stack set operation out.
    #[error(
        "{stack}: interrupted; {}",
        if *stopping {
            format!("operation {operation_id} is stopping (StopStackSetOperation): instances under way finish, no new one starts; run deploy again to finish the rollout")
        } else {
            format!("operation {operation_id} could not be stopped and carries on: stop it with aws cloudformation stop-stack-set-operation --stack-set-name {stack} --operation-id {operation_id}")
        }
    )]
    StackSetInterrupted {
        /// The stack set.
        stack: String,
        /// The operation.
        operation_id: String,
        /// Whether StopStackSetOperation was accepted.
        stopping: bool,
    },
    /// A deployed template that is not JSON (written by another tool).
    #[error("{stack}: the deployed template is not JSON ({reason}); vpcform diffs JSON templates")]
    TemplateNotJson {
        /// The stack.
        stack: String,
        /// The parse error.
        reason: String,
    },
    /// A step (an acceptance the deployer makes itself, in the accepter's environment) that
    /// failed: the AWS call or the state found, and what to do.
    #[error("{stack}: {action}: {reason}; {fix}")]
    StepFailed {
        /// The step.
        stack: String,
        /// The AWS API action (or the step's action) that failed.
        action: &'static str,
        /// AWS's code and message, or the state found.
        reason: String,
        /// What to do.
        fix: String,
        /// AWS's request ID, when AWS answered.
        request_id: Option<String>,
    },
    /// A lookup ([`vpcform_assembly::ContextQuery`]) that could not be answered: the EC2 call
    /// (or the account check) that failed, and what to do. A query that matched nothing is not
    /// an error: it is answered [`vpcform_assembly::ContextValue::NotFound`].
    #[error("lookup {query}: {action}: {reason}; {fix}")]
    LookupFailed {
        /// The query's key (`vpc:account=…:region=…:tag:Name=shared`).
        query: String,
        /// The AWS API action that failed (`DescribeVpcs`, `GetCallerIdentity`, …).
        action: &'static str,
        /// AWS's code and message, or what was found.
        reason: String,
        /// What to do: the IAM action to grant, the credentials to use.
        fix: String,
        /// AWS's request ID, when AWS answered.
        request_id: Option<String>,
    },
    /// A `--no-rollback` deploy that failed: the stack is left as it failed, with what it made.
    #[error(
        "{stack}: {operation} failed; the stack is left {status} (--no-rollback){}; fix the \
         cause and deploy again, or run `rollback {stack}` to return it to its last stable state",
        cause.as_ref().map(|c| format!(". First failure: {c}")).unwrap_or_default()
    )]
    LeftFailed {
        /// The stack.
        stack: String,
        /// What was attempted.
        operation: crate::Operation,
        /// `CREATE_FAILED` or `UPDATE_FAILED`.
        status: String,
        /// The first resource that failed, when the events name one.
        cause: Option<Box<FailedResource>>,
    },
    /// `rollback` on a stack in a state neither `RollbackStack` nor `ContinueUpdateRollback`
    /// takes: nothing was sent.
    #[error("{stack}: cannot roll back a stack that is {status}: {advice}")]
    RollbackRefused {
        /// The stack.
        stack: String,
        /// Its status (or `not deployed`).
        status: String,
        /// What to do instead.
        advice: String,
    },
    /// CloudFormation's pre-deployment validation failed the change set (`FAIL` results): it
    /// was not executed.
    #[error(
        "{stack}: CloudFormation's pre-deployment validation of change set {change_set} failed \
         ({}); fix the template and deploy again (nothing was executed)",
        failures.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    )]
    ValidationFailed {
        /// The stack.
        stack: String,
        /// The change set.
        change_set: String,
        /// Every `FAIL` result.
        failures: Vec<crate::ValidationFinding>,
    },
    /// An import (`Deployer::import`) that breaks one of IMPORT's rules, found before any
    /// change was made: the resource (logical ID and type), the value and the fix.
    #[error("{stack}: cannot import: {reason} (nothing was changed)")]
    ImportRefused {
        /// The stack.
        stack: String,
        /// The rule broken, naming the resource and the fix.
        reason: String,
    },
    /// A step's input, a stack's output, that could not be read.
    #[error("{stack}: its input is {from}'s output {output} ({environment}), but {reason}")]
    StepInputUnresolved {
        /// The step.
        stack: String,
        /// The producing stack.
        from: String,
        /// The output.
        output: String,
        /// The producing stack's environment, described.
        environment: String,
        /// What was found instead, and the fix.
        reason: String,
    },
}

impl DeployError {
    /// The stack the error is about, if one.
    ///
    /// ```
    /// let e = vpcform_deploy::DeployError::UnknownStack("X".into());
    /// assert_eq!(e.stack(), None);
    /// ```
    pub fn stack(&self) -> Option<&str> {
        match self {
            DeployError::Aws { stack, .. }
            | DeployError::TemplateTooLarge { stack, .. }
            | DeployError::Upload { stack, .. }
            | DeployError::UnknownParameter { stack, .. }
            | DeployError::MissingParameter { stack, .. }
            | DeployError::StackBusy { stack, .. }
            | DeployError::ChangeSetFailed { stack, .. }
            | DeployError::ConfirmationRequired { stack, .. }
            | DeployError::Declined { stack }
            | DeployError::DestroyDeclined { stack }
            | DeployError::StackFailed { stack, .. }
            | DeployError::Interrupted { stack, .. }
            | DeployError::InterruptedBeforeExecution { stack }
            | DeployError::NotStarted { stack }
            | DeployError::Cancelled { stack, .. }
            | DeployError::TimedOut { stack, .. }
            | DeployError::ExecuteFailed { stack, .. }
            | DeployError::ChangeSetNotExecutable { stack, .. }
            | DeployError::ChangeSetPending { stack, .. }
            | DeployError::ChangeSetGone { stack, .. }
            | DeployError::DependentsDeployed { stack, .. }
            | DeployError::OrphanImported { stack, .. }
            | DeployError::TerminationProtected { stack }
            | DeployError::Skipped { stack, .. }
            | DeployError::AccountMismatch { stack, .. }
            | DeployError::NoAccountCheck { stack, .. }
            | DeployError::StackSetOperationFailed { stack, .. }
            | DeployError::StackSetInterrupted { stack, .. }
            | DeployError::ImportUnresolved { stack, .. }
            | DeployError::StepFailed { stack, .. }
            | DeployError::StepInputUnresolved { stack, .. }
            | DeployError::LeftFailed { stack, .. }
            | DeployError::RollbackRefused { stack, .. }
            | DeployError::ValidationFailed { stack, .. }
            | DeployError::ImportRefused { stack, .. }
            | DeployError::TemplateNotJson { stack, .. } => Some(stack),
            DeployError::UnknownStack(_)
            | DeployError::ChangeSetNeedsOneStack { .. }
            | DeployError::NoConnection { .. }
            | DeployError::LookupFailed { .. } => None,
        }
    }

    /// Whether the error is an interrupt (Ctrl-C): the command line exits 130.
    ///
    /// ```
    /// let e = vpcform_deploy::DeployError::NotStarted { stack: "Net".into() };
    /// assert!(e.is_interrupt());
    /// ```
    pub fn is_interrupt(&self) -> bool {
        matches!(
            self,
            DeployError::Interrupted { .. }
                | DeployError::InterruptedBeforeExecution { .. }
                | DeployError::NotStarted { .. }
                | DeployError::Cancelled { .. }
                | DeployError::StackSetInterrupted { .. }
        )
    }

    /// The error with its sources and AWS's request ID, one per line: what `--verbose` prints.
    ///
    /// ```
    /// let e = vpcform_deploy::DeployError::UnknownStack("X".into());
    /// assert!(e.verbose().starts_with("no stack named \"X\" in this app"));
    /// assert_eq!(e.verbose(), e.to_string(), "no source, no request ID: one line");
    /// ```
    pub fn verbose(&self) -> String {
        let mut text = self.to_string();
        match self {
            DeployError::Aws {
                request_id: Some(id),
                ..
            }
            | DeployError::StepFailed {
                request_id: Some(id),
                ..
            }
            | DeployError::LookupFailed {
                request_id: Some(id),
                ..
            } => text += &format!("\n  request ID: {id}"),
            DeployError::Upload {
                request_id,
                host_id,
                ..
            } => {
                if let Some(id) = request_id {
                    text += &format!("\n  request ID: {id}");
                }
                if let Some(id) = host_id {
                    text += &format!("\n  host ID: {id}");
                }
            }
            _ => {}
        }
        let mut source = std::error::Error::source(self);
        while let Some(error) = source {
            text += &format!("\n  caused by: {error}");
            source = error.source();
        }
        text
    }
}

/// `3 min ago at 2026-12-07T12:00:00Z`, or what of it is known.
fn created_when(at: Option<&str>, age: Option<std::time::Duration>) -> String {
    match (age, at) {
        (Some(age), Some(at)) => format!("{} ago at {at}", human_duration(age)),
        (Some(age), None) => format!("{} ago", human_duration(age)),
        (None, Some(at)) => format!("at {at}"),
        (None, None) => "at a time CloudFormation did not say".to_string(),
    }
}

/// Whether a status as the deployer reports it (a `StackStatus` name, maybe with a note after
/// it, or [`GONE`](crate::follow::GONE)) says the stack settled: nothing runs on it any more.
fn settled(status: &str) -> bool {
    let name = status.split_whitespace().next().unwrap_or_default();
    use aws_sdk_cloudformation::types::StackStatus;
    if StackStatus::values().contains(&name) {
        !crate::is_busy(&StackStatus::from(name))
    } else {
        status.starts_with(crate::follow::GONE)
    }
}

/// What happens to a stack vpcform stopped following, by its status: CloudFormation carries on
/// with a busy one (said after `joint`); a settled one needs no word; of any other, vpcform
/// cannot tell.
fn after_us(status: &str, joint: &str) -> String {
    let name = status.split_whitespace().next().unwrap_or_default();
    if settled(status) {
        String::new()
    } else if crate::is_busy(&aws_sdk_cloudformation::types::StackStatus::from(name)) {
        format!(
            "{joint} CloudFormation carries on without us — follow it in the console or run the \
             command again when it settles"
        )
    } else {
        "; CloudFormation may still be working on it — check it in the console before running \
         the command again"
            .to_string()
    }
}

/// A duration as a person writes it: `350 ms`, `2 s`, `2.5 s`, `1 min 5 s`, `2 h 10 min`.
///
/// ```ignore
/// assert_eq!(human_duration(Duration::from_secs(65)), "1 min 5 s");
/// ```
pub(crate) fn human_duration(duration: std::time::Duration) -> String {
    let millis = duration.as_millis();
    let seconds = duration.as_secs();
    if millis < 1000 {
        format!("{millis} ms")
    } else if seconds < 10 && millis % 1000 >= 50 {
        format!("{:.1} s", duration.as_secs_f64())
    } else if seconds < 60 {
        format!("{} s", (millis + 500) / 1000)
    } else if seconds < 3600 {
        match (seconds / 60, seconds % 60) {
            (minutes, 0) => format!("{minutes} min"),
            (minutes, rest) => format!("{minutes} min {rest} s"),
        }
    } else {
        match (seconds / 3600, seconds % 3600 / 60) {
            (hours, 0) => format!("{hours} h"),
            (hours, minutes) => format!("{hours} h {minutes} min"),
        }
    }
}

/// `: 2 instances failed: 111122223333 us-east-1 FAILED: …; …`, or nothing.
fn failures(failed: &[crate::InstanceFailure]) -> String {
    if failed.is_empty() {
        return String::new();
    }
    format!(
        ": {} instance(s) failed: {}",
        failed.len(),
        failed
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{DeployError, human_duration};

    #[test]
    fn a_change_sets_age_and_time_read_as_a_person_says_them() {
        assert_eq!(
            super::created_when(Some("2026-12-07T12:00:00Z"), Some(Duration::from_secs(180))),
            "3 min ago at 2026-12-07T12:00:00Z"
        );
        assert_eq!(
            super::created_when(None, Some(Duration::from_secs(3_900))),
            "1 h 5 min ago"
        );
    }

    #[test]
    fn durations_read_as_a_person_writes_them() {
        let ms = Duration::from_millis;
        assert_eq!(human_duration(ms(0)), "0 ms");
        assert_eq!(human_duration(ms(350)), "350 ms");
        assert_eq!(human_duration(ms(2000)), "2 s");
        assert_eq!(human_duration(ms(2500)), "2.5 s");
        assert_eq!(human_duration(ms(59_700)), "60 s");
        assert_eq!(human_duration(ms(65_000)), "1 min 5 s");
        assert_eq!(human_duration(ms(120_000)), "2 min");
        assert_eq!(human_duration(ms(3_600_000)), "1 h");
        assert_eq!(human_duration(ms(7_800_000)), "2 h 10 min");
    }

    #[test]
    fn a_timeout_says_its_duration_in_words() {
        let text = DeployError::TimedOut {
            stack: "Net".into(),
            status: "UPDATE_IN_PROGRESS".into(),
            after: Duration::from_secs(90),
        }
        .to_string();
        assert!(
            text.contains("still UPDATE_IN_PROGRESS after 1 min 30 s (--timeout)"),
            "{text}"
        );
        assert!(text.contains("carries on without us"), "{text}");
        assert!(!text.contains("90s"), "{text}");
    }

    #[test]
    fn only_a_running_stack_carries_on_without_us() {
        let interrupted = |status: &str| {
            DeployError::Interrupted {
                stack: "Net".into(),
                status: status.into(),
            }
            .to_string()
        };
        let running = interrupted("CREATE_IN_PROGRESS");
        assert!(running.contains("carries on without us"), "{running}");
        let running =
            interrupted("UPDATE_IN_PROGRESS (interrupted while ExecuteChangeSet was under way)");
        assert!(running.contains("carries on without us"), "{running}");
        for settled in [
            "CREATE_COMPLETE",
            "UPDATE_ROLLBACK_COMPLETE",
            crate::follow::GONE,
        ] {
            let text = interrupted(settled);
            assert_eq!(text, format!("Net: interrupted; the stack is {settled}"));
        }
        let unknown = interrupted("unknown (DescribeStacks did not answer)");
        assert!(unknown.contains("may still be working"), "{unknown}");
        assert!(!unknown.contains("carries on without us"), "{unknown}");
    }

    #[test]
    fn no_declared_parameters_is_said_in_words() {
        let unknown = |declared: &str| {
            DeployError::UnknownParameter {
                stack: "Net".into(),
                parameter: "Vpc".into(),
                declared: declared.into(),
            }
            .to_string()
        };
        let none = unknown("");
        assert!(none.contains("(the template declares none)"), "{none}");
        assert!(!none.contains("declared: )"), "{none}");
        assert!(unknown("A, B").contains("(declared: A, B)"));
    }
}
