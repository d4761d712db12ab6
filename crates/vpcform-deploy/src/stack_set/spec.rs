//! What a program asks of a stack set (targets, regions, preferences, permissions, overrides:
//! the assembly's [`StackSetSpec`]), and what an operation could not do.

use std::fmt;

pub(crate) use vpcform_assembly::{Amount, PermissionModel, StackSetSpec};

/// An instance an operation could not deploy, and AWS's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceFailure {
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// `FAILED` or `CANCELLED`.
    pub status: String,
    /// AWS's `StatusReason`.
    pub reason: String,
}

impl fmt::Display for InstanceFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: {}",
            self.account, self.region, self.status, self.reason
        )
    }
}
