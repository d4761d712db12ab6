//! An operation followed to its end with progress per account and region, or stopped.

use std::collections::BTreeMap;

use aws_sdk_cloudformation::types::{StackSetOperationResultStatus, StackSetOperationStatus};

use crate::calls::aws;
use crate::{DeployError, Deployer};

use super::plan::*;
use super::spec::*;

impl Deployer {
    /// Follows an operation to its end, printing each instance's status as it changes; the
    /// instances that failed within the failure tolerance when it succeeds.
    ///
    /// # Errors
    /// [`DeployError::StackSetOperationFailed`] with every failed instance and AWS's reason;
    /// [`DeployError::StackSetInterrupted`] after asking CloudFormation to stop it.
    pub(super) async fn follow_operation(
        &self,
        name: &str,
        spec: &StackSetSpec,
        id: &str,
        action: &'static str,
        scope: Scope<'_>,
    ) -> Result<Vec<InstanceFailure>, DeployError> {
        let started = std::time::Instant::now();
        let total = match scope {
            Scope::Instances(targets, regions) => {
                format!("{} target(s) × {} region(s)", targets.len(), regions.len())
            }
            Scope::Set => "every instance".to_string(),
        };
        self.ui
            .line(name, &format!("operation {id} ({action}): {total}"));
        let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
        loop {
            if self.is_interrupted() {
                return Err(self.stop_operation(name, spec, id).await);
            }
            let call = self
                .client
                .describe_stack_set_operation()
                .stack_set_name(name)
                .operation_id(id)
                .call_as(call_as(spec))
                .send();
            let described = match self
                .interruptible(name, "DescribeStackSetOperation", call)
                .await
            {
                Ok(result) => result.map_err(|e| aws(name, "DescribeStackSetOperation", e))?,
                Err(_) => return Err(self.stop_operation(name, spec, id).await),
            };
            let status = described
                .stack_set_operation()
                .and_then(|o| o.status())
                .cloned()
                .unwrap_or(StackSetOperationStatus::Running);
            let results = match self.operation_results(name, spec, id).await {
                Ok(results) => results,
                Err(DeployError::Cancelled { .. }) => {
                    return Err(self.stop_operation(name, spec, id).await);
                }
                Err(e) => return Err(e),
            };
            for failure in &results {
                let key = (failure.account.clone(), failure.region.clone());
                let line = if failure.reason.is_empty() {
                    failure.status.clone()
                } else {
                    format!("{}: {}", failure.status, failure.reason)
                };
                if seen.get(&key) != Some(&line) {
                    self.ui.line(
                        name,
                        &format!("  {} {}: {line}", failure.account, failure.region),
                    );
                    seen.insert(key, line);
                }
            }
            let failed: Vec<InstanceFailure> = results
                .into_iter()
                .filter(|r| r.status == "FAILED" || r.status == "CANCELLED")
                .collect();
            match status {
                StackSetOperationStatus::Succeeded => {
                    if !failed.is_empty() {
                        self.ui.line(
                            name,
                            &format!(
                                "operation {id} succeeded with {} instance(s) failed, within the \
                                 failure tolerance",
                                failed.len()
                            ),
                        );
                    }
                    return Ok(failed);
                }
                StackSetOperationStatus::Failed | StackSetOperationStatus::Stopped => {
                    return Err(DeployError::StackSetOperationFailed {
                        stack: name.to_string(),
                        operation_id: id.to_string(),
                        action,
                        status: format!(
                            "{}{}",
                            status.as_str(),
                            described
                                .stack_set_operation()
                                .and_then(|o| o.status_reason())
                                .map(|r| format!(" ({r})"))
                                .unwrap_or_default()
                        ),
                        failed,
                    });
                }
                _ => {}
            }
            if let Some(limit) = self.options.timeout
                && started.elapsed() > limit
            {
                return Err(DeployError::TimedOut {
                    stack: name.to_string(),
                    status: format!("operation {id} {}", status.as_str()),
                    after: limit,
                });
            }
            if self.pause().await {
                return Err(self.stop_operation(name, spec, id).await);
            }
        }
    }

    /// Every instance result of an operation so far.
    pub(super) async fn operation_results(
        &self,
        name: &str,
        spec: &StackSetSpec,
        id: &str,
    ) -> Result<Vec<InstanceFailure>, DeployError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let call = self
                .client
                .list_stack_set_operation_results()
                .stack_set_name(name)
                .operation_id(id)
                .set_next_token(token.clone())
                .call_as(call_as(spec))
                .send();
            let page = self
                .interruptible(name, "ListStackSetOperationResults", call)
                .await?
                .map_err(|e| aws(name, "ListStackSetOperationResults", e))?;
            for r in page.summaries() {
                out.push(InstanceFailure {
                    account: r
                        .account()
                        .or(r.organizational_unit_id())
                        .unwrap_or_default()
                        .to_string(),
                    region: r.region().unwrap_or_default().to_string(),
                    status: r
                        .status()
                        .map(StackSetOperationResultStatus::as_str)
                        .unwrap_or("PENDING")
                        .to_string(),
                    reason: r.status_reason().unwrap_or_default().to_string(),
                });
            }
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    /// After an interrupt: asks CloudFormation to stop the operation (bounded, as every
    /// cleanup) and says what that leaves.
    pub(super) async fn stop_operation(
        &self,
        name: &str,
        spec: &StackSetSpec,
        id: &str,
    ) -> DeployError {
        let stop = self
            .client
            .stop_stack_set_operation()
            .stack_set_name(name)
            .operation_id(id)
            .call_as(call_as(spec))
            .send();
        let stopped = matches!(self.cleanup(stop).await, Some(Ok(_)));
        DeployError::StackSetInterrupted {
            stack: name.to_string(),
            operation_id: id.to_string(),
            stopping: stopped,
        }
    }
}
