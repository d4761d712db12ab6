//! StackSets: create or update the set, reconcile its instances with the targets, follow each
//! operation with progress per account and region, and destroy instances then the set.
//!
//! **Invariant:** one operation at a time per stack set (CloudFormation refuses a second:
//! `OperationInProgressException`); every operation is followed to a final status or, on an
//! interrupt, stopped (`StopStackSetOperation`: instances under way finish, no new one starts)
//! and reported with its ID. Rules cite the StackSets API reference
//! (docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/).
//!
//! By concern: [`spec`] (what the program asks for), `plan` (what is deployed, and what a
//! deploy would change), `operations` (the calls that change the set and its instances),
//! `follow` (an operation to its end, or stopped) and `diff`.

mod diff;
mod follow;
mod operations;
mod plan;
pub(crate) mod spec;

pub use spec::InstanceFailure;
