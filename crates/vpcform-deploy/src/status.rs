//! Stack states, typed: the SDK's `StackStatus` matched by variant, never by its text.
//!
//! Invariant: whether a stack is busy, settled, or settled as the operation wanted is decided
//! here and only here.

use aws_sdk_cloudformation::types::StackStatus;

/// What the deployer asks CloudFormation to do to a stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// A stack created through a `CREATE` change set.
    Create,
    /// A stack updated through an `UPDATE` change set.
    Update,
    /// `DeleteStack`.
    Delete,
    /// `RollbackStack` (from `CREATE_FAILED` or `UPDATE_FAILED`) or `ContinueUpdateRollback`
    /// (from `UPDATE_ROLLBACK_FAILED`): see `rollback.rs`.
    Rollback,
    /// Existing resources adopted through an `IMPORT` change set (`import.rs`).
    Import,
}

impl Operation {
    /// The final status that means the operation succeeded. Anything else final is a failure:
    /// a creation that ends in `DELETE_COMPLETE` was rolled back and deleted
    /// (`OnStackFailure=DELETE`), an update in `UPDATE_ROLLBACK_COMPLETE` was rolled back.
    ///
    /// ```
    /// use aws_sdk_cloudformation::types::StackStatus;
    /// use vpcform_deploy::Operation;
    /// assert!(Operation::Create.succeeded(&StackStatus::CreateComplete));
    /// assert!(!Operation::Create.succeeded(&StackStatus::DeleteComplete));
    /// // A rollback that deletes a stack with no stable state to go back to.
    /// assert!(Operation::Rollback.succeeded(&StackStatus::DeleteComplete));
    /// ```
    pub fn succeeded(self, status: &StackStatus) -> bool {
        matches!(
            (self, status),
            (Operation::Create, StackStatus::CreateComplete)
                | (Operation::Update, StackStatus::UpdateComplete)
                | (Operation::Delete, StackStatus::DeleteComplete)
                // RollbackStack API reference: back to the last stable state (an update's
                // UPDATE_ROLLBACK_COMPLETE; a creation's ROLLBACK_COMPLETE); ContinueUpdateRollback
                // API reference: UPDATE_ROLLBACK_COMPLETE.
                | (
                    Operation::Rollback,
                    StackStatus::UpdateRollbackComplete | StackStatus::RollbackComplete
                )
                // "This operation will delete a stack if it doesn't contain a last known
                // stable state" (RollbackStack API reference); read by its ARN, a deleted
                // stack answers DELETE_COMPLETE.
                | (Operation::Rollback, StackStatus::DeleteComplete)
                // "IMPORT_COMPLETE: The import operation successfully completed for all
                // resources in the stack that support resource import" (User Guide, "Resource
                // import status codes").
                | (Operation::Import, StackStatus::ImportComplete)
        )
    }

    /// `create`, `update`, `delete`, `rollback` or `import`.
    ///
    /// ```
    /// assert_eq!(vpcform_deploy::Operation::Update.as_str(), "update");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Rollback => "rollback",
            Operation::Import => "import",
        }
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether CloudFormation is still working on a stack in this status (the deployer waits, or
/// refuses to start another operation). `REVIEW_IN_PROGRESS` is not: it is a stack that only
/// holds change sets and nothing runs on it.
///
/// ```
/// use aws_sdk_cloudformation::types::StackStatus;
/// assert!(vpcform_deploy::is_busy(&StackStatus::UpdateCompleteCleanupInProgress));
/// assert!(!vpcform_deploy::is_busy(&StackStatus::ReviewInProgress));
/// assert!(!vpcform_deploy::is_busy(&StackStatus::UpdateRollbackComplete));
/// ```
pub fn is_busy(status: &StackStatus) -> bool {
    match status {
        StackStatus::CreateInProgress
        | StackStatus::DeleteInProgress
        | StackStatus::ImportInProgress
        | StackStatus::ImportRollbackInProgress
        | StackStatus::RollbackInProgress
        | StackStatus::UpdateCompleteCleanupInProgress
        | StackStatus::UpdateInProgress
        | StackStatus::UpdateRollbackCompleteCleanupInProgress
        | StackStatus::UpdateRollbackInProgress => true,
        StackStatus::CreateComplete
        | StackStatus::CreateFailed
        | StackStatus::DeleteComplete
        | StackStatus::DeleteFailed
        | StackStatus::ImportComplete
        | StackStatus::ImportRollbackComplete
        | StackStatus::ImportRollbackFailed
        | StackStatus::ReviewInProgress
        | StackStatus::RollbackComplete
        | StackStatus::RollbackFailed
        | StackStatus::UpdateComplete
        | StackStatus::UpdateFailed
        | StackStatus::UpdateRollbackComplete
        | StackStatus::UpdateRollbackFailed => false,
        // A status newer than this SDK: its name says whether it runs.
        other => other.as_str().ends_with("_IN_PROGRESS"),
    }
}

/// Whether a stack failed and kept what it made: `CREATE_FAILED` or `UPDATE_FAILED`, where a
/// `--no-rollback` deploy leaves it (ExecuteChangeSet API reference, `DisableRollback`) and the
/// states `RollbackStack` takes (its API reference).
pub(crate) fn failed_in_place(status: &StackStatus) -> bool {
    matches!(
        status,
        StackStatus::CreateFailed | StackStatus::UpdateFailed
    )
}

/// A deployed stack, as `DescribeStacks` reports it.
#[derive(Clone, Debug)]
pub(crate) struct StackInfo {
    pub(crate) stack_id: String,
    pub(crate) status: StackStatus,
    pub(crate) termination_protection: bool,
    pub(crate) outputs: Vec<(String, String)>,
    /// The parameters' values as deployed (`NoEcho` ones masked by CloudFormation).
    pub(crate) parameters: Vec<(String, String)>,
}

impl StackInfo {
    pub(crate) fn from_sdk(name: &str, stack: &aws_sdk_cloudformation::types::Stack) -> StackInfo {
        StackInfo {
            stack_id: stack.stack_id().unwrap_or(name).to_string(),
            status: stack
                .stack_status()
                .cloned()
                .unwrap_or_else(|| StackStatus::from("UNKNOWN")),
            termination_protection: stack.enable_termination_protection().unwrap_or(false),
            outputs: stack
                .outputs()
                .iter()
                .map(|o| {
                    (
                        o.output_key().unwrap_or_default().to_string(),
                        o.output_value().unwrap_or_default().to_string(),
                    )
                })
                .collect(),
            parameters: stack
                .parameters()
                .iter()
                .map(|p| {
                    (
                        p.parameter_key().unwrap_or_default().to_string(),
                        p.parameter_value().unwrap_or_default().to_string(),
                    )
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every status the SDK knows is either busy or not, and an unknown future status is read
    /// from its name.
    #[test]
    fn busy_statuses() {
        for status in StackStatus::values() {
            let parsed = StackStatus::from(*status);
            assert_eq!(
                is_busy(&parsed),
                status.ends_with("_IN_PROGRESS") && *status != "REVIEW_IN_PROGRESS",
                "{status}"
            );
        }
        assert!(is_busy(&StackStatus::from("FUTURE_IN_PROGRESS")));
        assert!(!is_busy(&StackStatus::from("FUTURE_COMPLETE")));
    }

    #[test]
    fn success_is_the_operations_own_complete() {
        assert!(Operation::Update.succeeded(&StackStatus::UpdateComplete));
        assert!(!Operation::Update.succeeded(&StackStatus::UpdateRollbackComplete));
        assert!(Operation::Delete.succeeded(&StackStatus::DeleteComplete));
        assert!(!Operation::Delete.succeeded(&StackStatus::DeleteFailed));
        assert!(!Operation::Create.succeeded(&StackStatus::RollbackComplete));
        assert!(Operation::Rollback.succeeded(&StackStatus::UpdateRollbackComplete));
        assert!(Operation::Rollback.succeeded(&StackStatus::RollbackComplete));
        assert!(!Operation::Rollback.succeeded(&StackStatus::UpdateRollbackFailed));
        assert!(Operation::Import.succeeded(&StackStatus::ImportComplete));
        assert!(!Operation::Import.succeeded(&StackStatus::ImportRollbackComplete));
    }
}
