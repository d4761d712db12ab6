//! Deploys, diffs and destroys CloudFormation stacks — always through change sets, following
//! each stack's events with live progress.
//!
//! This crate takes templates ([`StackTemplate`]: a name, a JSON body, dependencies) and knows
//! nothing of the builders that made them. Credentials, region and endpoint come from the
//! standard AWS configuration chain ([`Deployer::from_env`]); tests pass their own client
//! ([`Deployer::new`]).
//!
//! Invariant: nothing is left half-done without saying so — a change set not executed is
//! deleted (with the empty stack a CREATE change set made), an interrupted stack is reported
//! with its state, and a failure names the first resource that failed.
//!
//! ```no_run
//! use std::sync::Arc;
//! use vpcform_deploy::{DeployOptions, Deployer, StackTemplate, TerminalUi};
//!
//! # async fn demo() -> Result<(), vpcform_deploy::DeployError> {
//! let ui = Arc::new(TerminalUi::new());
//! let deployer = Deployer::from_env(ui, DeployOptions { yes: true, ..Default::default() }).await;
//! let body = r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}}}}"#;
//! deployer.deploy(&[StackTemplate::new("Network", body)], &[]).await?;
//! for diff in deployer.diff(&[StackTemplate::new("Network", body)], &[]).await? {
//!     print!("{diff}");
//! }
//! # Ok(()) }
//! ```

mod deployer;
mod diff;
mod error;
mod ui;

pub use aws_sdk_cloudformation::Client;
pub use deployer::{
    DeployOptions, Deployer, MAX_TEMPLATE_BODY_BYTES, PlannedChange, StackOutcome, StackTemplate,
};
pub use diff::{PropertyChange, ResourceChange, ResourceDiff, StackDiff, diff_templates};
pub use error::{DeployError, FailedResource};
pub use ui::{RecordingUi, TerminalUi, Ui};
