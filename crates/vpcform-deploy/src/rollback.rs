//! Rollback control: `deploy --no-rollback` leaves a failed stack as it failed, with the
//! resources made so far, and `rollback` takes a failed stack back to its last stable state.
//!
//! Which call for which state, from the CloudFormation API reference:
//! - `RollbackStack`: "Rolls back the specified stack to the last known stable state from
//!   CREATE_FAILED or UPDATE_FAILED stack statuses"; a stack without a stable state is
//!   deleted;
//! - `ContinueUpdateRollback`: "For a specified stack that's in the UPDATE_ROLLBACK_FAILED
//!   state, continues rolling it back to the UPDATE_ROLLBACK_COMPLETE state"; its
//!   `ResourcesToSkip` names resources "in the UPDATE_FAILED state because a rollback failed",
//!   which CloudFormation then marks `UPDATE_COMPLETE` and leaves as they are;
//! - `ExecuteChangeSet`'s `DisableRollback`: "Preserves the state of previously provisioned
//!   resources when an operation fails"; a CREATE change set takes `OnStackFailure=DO_NOTHING`
//!   instead ("equivalent to specifying true for the DisableRollback parameter"; when
//!   `OnStackFailure` is given, `DisableRollback` must not be).
//!
//! Invariant: a rollback is asked for only in a state the API accepts; any other state is a
//! one-line [`DeployError::RollbackRefused`] that names it and what to do, and nothing is sent.

use std::time::Instant;

use aws_sdk_cloudformation::types::StackStatus;

use crate::calls::aws;
use crate::change_set::request_token;
use crate::schedule::select_for_deploy;
use crate::status::{failed_in_place, is_busy};
use crate::{DeployError, Deployer, Operation, Report, StackOutcome, StackTemplate};

/// The call that rolls a stack back from its status, or why none can.
enum RollbackCall {
    /// `RollbackStack`.
    Rollback,
    /// `ContinueUpdateRollback`.
    Continue,
}

/// The call for `status`, or the advice for a state neither call accepts.
fn call_for(status: &StackStatus, skipping: bool) -> Result<RollbackCall, String> {
    match status {
        status if failed_in_place(status) && skipping => Err(
            "--skip is for UPDATE_ROLLBACK_FAILED only (ContinueUpdateRollback's \
             ResourcesToSkip); run rollback without it"
                .into(),
        ),
        status if failed_in_place(status) => Ok(RollbackCall::Rollback),
        StackStatus::UpdateRollbackFailed => Ok(RollbackCall::Continue),
        status if is_busy(status) => {
            Err("CloudFormation is working on it; wait for it to settle, then try again".into())
        }
        StackStatus::CreateComplete
        | StackStatus::UpdateComplete
        | StackStatus::UpdateRollbackComplete
        | StackStatus::ImportComplete
        | StackStatus::ImportRollbackComplete => {
            Err("it is already in a stable state: nothing to roll back".into())
        }
        StackStatus::RollbackComplete => Err(
            "its creation was already rolled back and it cannot be updated: deploy again \
             (vpcform deletes it and creates it anew) or destroy it"
                .into(),
        ),
        StackStatus::RollbackFailed | StackStatus::DeleteFailed => Err(
            "it can only be deleted: destroy it (resources CloudFormation could not delete are \
             named in its events)"
                .into(),
        ),
        StackStatus::ReviewInProgress => {
            Err("nothing was deployed to it (a change set never executed)".into())
        }
        _ => Err(
            "RollbackStack takes CREATE_FAILED or UPDATE_FAILED, ContinueUpdateRollback \
             UPDATE_ROLLBACK_FAILED"
                .into(),
        ),
    }
}

impl Deployer {
    /// Rolls back the stacks named in `only` (exactly those, not what they import from: a
    /// rollback is per stack; every stack of the app when `only` is empty): one in
    /// `CREATE_FAILED` or `UPDATE_FAILED` (left so by `deploy --no-rollback`) with
    /// `RollbackStack`, one in `UPDATE_ROLLBACK_FAILED` with `ContinueUpdateRollback`, skipping
    /// the resources in `skip`; each followed to its end with its events, as a deploy is.
    ///
    /// ```no_run
    /// # async fn demo(deployer: vpcform_deploy::Deployer, stacks: Vec<vpcform_deploy::StackTemplate>) -> Result<(), vpcform_deploy::DeployError> {
    /// let report = deployer.rollback(&stacks, &["Net".to_string()], &[]).await?;
    /// assert!(report.succeeded());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A stack name the app does not have; each stack's own failure (a state no rollback
    /// takes: [`DeployError::RollbackRefused`]) is in the report.
    pub async fn rollback(
        &self,
        stacks: &[StackTemplate],
        only: &[String],
        skip: &[String],
    ) -> Result<Report, DeployError> {
        let mut selected = select_for_deploy(stacks, only, true)?;
        // Each stack's rollback is its own: one refused (already stable) must not skip the
        // stacks that import from it.
        for stack in &mut selected {
            stack.depends_on.clear();
        }
        let deployable: Vec<&StackTemplate> = selected
            .iter()
            .filter(|s| s.step.is_none() && s.stack_set.is_none())
            .collect();
        self.prepare_environments(&deployable).await?;
        let skip = skip.to_vec();
        Ok(self
            .run(selected, false, move |deployer, stack| {
                let skip = skip.clone();
                async move {
                    if stack.step.is_some() || stack.stack_set.is_some() {
                        return Err(DeployError::RollbackRefused {
                            stack: stack.name.clone(),
                            status: if stack.step.is_some() {
                                "a step"
                            } else {
                                "a stack set"
                            }
                            .into(),
                            advice: "only a stack has a rollback".into(),
                        });
                    }
                    deployer.rollback_stack(&stack.name, &skip).await
                }
            })
            .await)
    }

    /// Rolls back one stack with this deployer's clients (see [`Deployer::rollback`]).
    ///
    /// # Errors
    /// [`DeployError::RollbackRefused`] for a state no rollback takes (nothing is sent), the
    /// API's error, the rollback's failure with its first failed resource, or an interrupt
    /// with the stack's state.
    pub async fn rollback_stack(
        &self,
        name: &str,
        skip: &[String],
    ) -> Result<StackOutcome, DeployError> {
        let refused = |status: &str, advice: String| DeployError::RollbackRefused {
            stack: name.to_string(),
            status: status.to_string(),
            advice,
        };
        let Some(info) = self
            .stack_info(name)
            .await
            .map_err(|e| not_started(name, e))?
        else {
            return Err(refused(
                "not deployed",
                "there is nothing to roll back".into(),
            ));
        };
        let call = call_for(&info.status, !skip.is_empty())
            .map_err(|advice| refused(info.status.as_str(), advice))?;
        let marker = self
            .newest_event(name, &info.stack_id)
            .await
            .map_err(|e| not_started(name, e))?;
        let total = self
            .resource_count(name)
            .await
            .map_err(|e| not_started(name, e))?;
        let started = Instant::now();
        let (operation, sent) = match call {
            RollbackCall::Rollback => {
                self.ui
                    .line(name, &format!("rolling back from {}", info.status.as_str()));
                let call = self
                    .client
                    .rollback_stack()
                    .stack_name(&info.stack_id)
                    .client_request_token(request_token())
                    .send();
                (
                    "RollbackStack",
                    self.interruptible(name, "RollbackStack", call)
                        .await
                        .map(|r| r.map(|_| ()).map_err(|e| aws(name, "RollbackStack", e))),
                )
            }
            RollbackCall::Continue => {
                self.ui.line(
                    name,
                    &if skip.is_empty() {
                        "continuing the rollback from UPDATE_ROLLBACK_FAILED".to_string()
                    } else {
                        format!(
                            "continuing the rollback from UPDATE_ROLLBACK_FAILED, skipping {} \
                             (left as they are, marked UPDATE_COMPLETE)",
                            skip.join(", ")
                        )
                    },
                );
                let call = self
                    .client
                    .continue_update_rollback()
                    .stack_name(&info.stack_id)
                    .set_resources_to_skip((!skip.is_empty()).then(|| skip.to_vec()))
                    .client_request_token(request_token())
                    .send();
                (
                    "ContinueUpdateRollback",
                    self.interruptible(name, "ContinueUpdateRollback", call)
                        .await
                        .map(|r| {
                            r.map(|_| ())
                                .map_err(|e| aws(name, "ContinueUpdateRollback", e))
                        }),
                )
            }
        };
        match sent {
            Ok(result) => result?,
            Err(_) => {
                // Abandoned mid-call: whether CloudFormation took it, only the stack can say.
                return Err(DeployError::Interrupted {
                    stack: name.to_string(),
                    status: format!(
                        "{} (interrupted while {operation} was under way)",
                        self.status_for_report(&info.stack_id).await
                    ),
                });
            }
        }
        let settled = self
            .follow(name, &info.stack_id, marker, total, Operation::Rollback)
            .await?;
        let duration = started.elapsed();
        let status = if settled.status == StackStatus::DeleteComplete {
            // RollbackStack deletes a stack that never had a stable state.
            crate::follow::GONE.to_string()
        } else {
            settled.status.as_str().to_string()
        };
        self.ui.line(
            name,
            &format!(
                "rolled back: {status} in {}",
                crate::error::human_duration(duration)
            ),
        );
        Ok(StackOutcome::RolledBack { status, duration })
    }
}

/// An interrupt before the rollback was sent changed nothing: say so.
fn not_started(name: &str, error: DeployError) -> DeployError {
    match error {
        DeployError::Cancelled { .. } => DeployError::NotStarted {
            stack: name.to_string(),
        },
        other => other,
    }
}

/// The error a `--no-rollback` deploy returns for a stack left failed: the same failure, with
/// how to go on.
pub(crate) fn left_failed(error: DeployError) -> DeployError {
    match error {
        DeployError::StackFailed {
            stack,
            operation,
            status,
            cause,
        } if failed_in_place(&StackStatus::from(status.as_str())) => DeployError::LeftFailed {
            stack,
            operation,
            status,
            cause,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each state the API references accept gets its call; every other state is refused with
    /// advice, and `--skip` only goes with ContinueUpdateRollback.
    #[test]
    fn the_call_follows_the_state() {
        assert!(matches!(
            call_for(&StackStatus::UpdateFailed, false),
            Ok(RollbackCall::Rollback)
        ));
        assert!(matches!(
            call_for(&StackStatus::CreateFailed, false),
            Ok(RollbackCall::Rollback)
        ));
        assert!(matches!(
            call_for(&StackStatus::UpdateRollbackFailed, true),
            Ok(RollbackCall::Continue)
        ));
        assert!(call_for(&StackStatus::UpdateFailed, true).is_err());
        for status in StackStatus::values() {
            let status = StackStatus::from(*status);
            let accepted = matches!(
                status,
                StackStatus::CreateFailed
                    | StackStatus::UpdateFailed
                    | StackStatus::UpdateRollbackFailed
            );
            assert_eq!(call_for(&status, false).is_ok(), accepted, "{status:?}");
        }
    }

    #[test]
    fn only_a_stack_left_failed_says_how_to_go_on() {
        let failed = |status: &str| DeployError::StackFailed {
            stack: "Net".into(),
            operation: Operation::Update,
            status: status.into(),
            cause: None,
        };
        assert!(matches!(
            left_failed(failed("UPDATE_FAILED")),
            DeployError::LeftFailed { .. }
        ));
        assert!(matches!(
            left_failed(failed("UPDATE_ROLLBACK_COMPLETE")),
            DeployError::StackFailed { .. }
        ));
    }
}
