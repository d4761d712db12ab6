//! Following a stack: its events as they come, its progress, its final state.
//!
//! Invariant: each event of this operation is printed once, and no event of an earlier
//! operation: paging stops at the newest event seen before the operation started (a marker,
//! not a clock — event timestamps have second precision and clocks differ).

use std::collections::HashSet;
use std::time::Instant;

use aws_sdk_cloudformation::types::{StackEvent, StackStatus};

use crate::calls::{aws, does_not_exist};
use crate::status::{StackInfo, is_busy};
use crate::{DeployError, Deployer, FailedResource, Operation};

/// A stack settled as the operation wanted.
pub(crate) struct Settled {
    pub(crate) status: StackStatus,
    pub(crate) outputs: Vec<(String, String)>,
}

/// The status reported for a stack DescribeStacks no longer finds.
pub(crate) const GONE: &str = "not there (deleted)";

impl Deployer {
    /// Follows a stack until it settles: prints each new event once, advances the progress bar,
    /// and diagnoses a failure from the first failed resource. Stops on an interrupt or at
    /// `--timeout`, reporting the stack's state and leaving it to CloudFormation.
    pub(crate) async fn follow(
        &self,
        name: &str,
        stack_id: &str,
        marker: Option<String>,
        total: u64,
        operation: Operation,
    ) -> Result<Settled, DeployError> {
        self.ui.progress_start(name, total);
        let started = Instant::now();
        let mut seen: HashSet<String> = HashSet::new();
        let mut settled_resources: HashSet<String> = HashSet::new();
        let mut first_failure: Option<FailedResource> = None;
        let result = loop {
            let events = match self
                .new_events(name, stack_id, marker.as_deref(), &seen)
                .await
            {
                Ok(events) => events,
                Err(DeployError::Cancelled { .. }) => {
                    break Err(self.interrupted_at(name, stack_id).await);
                }
                Err(e) => break Err(e),
            };
            for event in &events {
                seen.insert(event.event_id().unwrap_or_default().to_string());
                self.show_event(name, event, &mut settled_resources, &mut first_failure);
            }
            self.ui.progress_set(name, settled_resources.len() as u64);
            let info = match self.stack_info(stack_id).await {
                Ok(info) => info,
                Err(DeployError::Cancelled { .. }) => {
                    break Err(self.interrupted_at(name, stack_id).await);
                }
                Err(e) => break Err(e),
            };
            if let Some(outcome) = settled_outcome(name, operation, info, first_failure.as_ref()) {
                break outcome;
            }
            if let Some(limit) = self.options.timeout
                && started.elapsed() >= limit
            {
                break Err(DeployError::TimedOut {
                    stack: name.to_string(),
                    status: self.status_for_report(stack_id).await,
                    after: limit,
                });
            }
            if self.pause().await {
                break Err(self.interrupted_at(name, stack_id).await);
            }
        };
        if result.is_ok() {
            self.ui.progress_set(name, total);
        }
        self.ui.progress_finish(name);
        result
    }

    /// Prints one event and records what it tells: a resource settled (for the progress bar),
    /// the first failed resource (the diagnosis). The stack's own events count for neither.
    fn show_event(
        &self,
        name: &str,
        event: &StackEvent,
        settled_resources: &mut HashSet<String>,
        first_failure: &mut Option<FailedResource>,
    ) {
        let logical = event.logical_resource_id().unwrap_or_default();
        let status = event
            .resource_status()
            .map(|s| s.as_str())
            .unwrap_or_default();
        let reason = event.resource_status_reason().unwrap_or_default();
        let kind = event.resource_type().unwrap_or_default();
        self.ui.line(
            name,
            &format!(
                "{status:<20} {kind:<45} {logical}{}",
                if reason.is_empty() {
                    String::new()
                } else {
                    format!(" — {reason}")
                }
            ),
        );
        let is_stack = kind == "AWS::CloudFormation::Stack";
        if !is_stack
            && (status.ends_with("_COMPLETE")
                || status.ends_with("_FAILED")
                || status.ends_with("_SKIPPED"))
        {
            settled_resources.insert(logical.to_string());
        }
        if !is_stack && status.ends_with("_FAILED") && first_failure.is_none() {
            *first_failure = Some(FailedResource {
                logical_id: logical.to_string(),
                resource_type: kind.to_string(),
                status: status.to_string(),
                reason: reason.to_string(),
            });
        }
    }

    /// The error for a stack interrupted while CloudFormation works on it, with its state.
    async fn interrupted_at(&self, name: &str, stack_id: &str) -> DeployError {
        DeployError::Interrupted {
            stack: name.to_string(),
            status: self.status_for_report(stack_id).await,
        }
    }

    /// The stack's status for a report, read even when interrupted (bounded).
    pub(crate) async fn status_for_report(&self, stack_id: &str) -> String {
        match self.cleanup(self.stack_info_raw(stack_id)).await {
            Some(Ok(Some(info))) => info.status.as_str().to_string(),
            Some(Ok(None)) => GONE.to_string(),
            Some(Err(_)) | None => "unknown (DescribeStacks did not answer)".to_string(),
        }
    }

    /// The newest event's ID before an operation starts: [`Deployer::follow`] prints only
    /// what comes after it. `None` for a stack without events.
    pub(crate) async fn newest_event(
        &self,
        name: &str,
        stack_id: &str,
    ) -> Result<Option<String>, DeployError> {
        let call = self
            .client
            .describe_stack_events()
            .stack_name(stack_id)
            .send();
        match self
            .interruptible(name, "DescribeStackEvents", call)
            .await?
        {
            Ok(page) => Ok(page
                .stack_events()
                .first()
                .and_then(|e| e.event_id())
                .map(str::to_string)),
            Err(e) if does_not_exist(&e) => Ok(None),
            Err(e) => Err(aws(name, "DescribeStackEvents", e)),
        }
    }

    /// Events after `marker` not yet seen, oldest first. Events come newest first, a page at a
    /// time: paging stops at the marker or the first event already seen.
    async fn new_events(
        &self,
        name: &str,
        stack_id: &str,
        marker: Option<&str>,
        seen: &HashSet<String>,
    ) -> Result<Vec<StackEvent>, DeployError> {
        let mut fresh = Vec::new();
        let mut token: Option<String> = None;
        'pages: loop {
            let call = self
                .client
                .describe_stack_events()
                .stack_name(stack_id)
                .set_next_token(token.clone())
                .send();
            let page = match self
                .interruptible(name, "DescribeStackEvents", call)
                .await?
            {
                Ok(page) => page,
                Err(e) if does_not_exist(&e) => break,
                Err(e) => return Err(aws(name, "DescribeStackEvents", e)),
            };
            for event in page.stack_events() {
                let id = event.event_id();
                if id.is_some() && (id == marker || id.is_some_and(|id| seen.contains(id))) {
                    break 'pages;
                }
                fresh.push(event.clone());
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        fresh.reverse();
        Ok(fresh)
    }

    /// The stack's state, `None` when it does not exist.
    pub(crate) async fn stack_info(&self, name: &str) -> Result<Option<StackInfo>, DeployError> {
        let call = self.stack_info_raw(name);
        self.interruptible(name, "DescribeStacks", call).await?
    }

    /// [`Deployer::stack_info`] without the interrupt: for cleanups and reports.
    pub(crate) async fn stack_info_raw(
        &self,
        name: &str,
    ) -> Result<Option<StackInfo>, DeployError> {
        match self.client.describe_stacks().stack_name(name).send().await {
            Ok(output) => Ok(output
                .stacks()
                .first()
                .map(|stack| StackInfo::from_sdk(name, stack))),
            Err(e) if does_not_exist(&e) => Ok(None),
            Err(e) => Err(aws(name, "DescribeStacks", e)),
        }
    }
}

/// What the stack's state means for the operation: `None` while CloudFormation still works on
/// it, else the operation's outcome (a failure carries the first failed resource).
fn settled_outcome(
    name: &str,
    operation: Operation,
    info: Option<StackInfo>,
    first_failure: Option<&FailedResource>,
) -> Option<Result<Settled, DeployError>> {
    match info {
        // RollbackStack API reference: "This operation will delete a stack if it doesn't
        // contain a last known stable state" — gone is a finished rollback too.
        None if matches!(operation, Operation::Delete | Operation::Rollback) => Some(Ok(Settled {
            status: StackStatus::DeleteComplete,
            outputs: Vec::new(),
        })),
        // Gone: deleted by OnStackFailure=DELETE after a failed create.
        None => Some(Err(DeployError::StackFailed {
            stack: name.to_string(),
            operation,
            status: "deleted after the failed creation (OnStackFailure=DELETE)".into(),
            cause: first_failure.cloned().map(Box::new),
        })),
        Some(info) if is_busy(&info.status) => None,
        Some(info) if operation.succeeded(&info.status) => Some(Ok(Settled {
            status: info.status,
            outputs: info.outputs,
        })),
        Some(info) => Some(Err(DeployError::StackFailed {
            stack: name.to_string(),
            operation,
            status: info.status.as_str().to_string(),
            cause: first_failure.cloned().map(Box::new),
        })),
    }
}
