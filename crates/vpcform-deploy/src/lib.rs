//! Deploys, diffs and destroys CloudFormation stacks — always through change sets, following
//! each stack's events with live progress.
//!
//! This crate takes templates ([`StackTemplate`]: a name, a JSON body, dependencies) and knows
//! nothing of the builders that made them: a stack is its entry in the cloud assembly's manifest
//! (`vpcform-assembly`, whose [`Environment`], [`ParameterImport`] and [`StackSetSpec`] it
//! re-exports) with its template, from a synthesized assembly
//! ([`StackTemplate::from_assembly`]) or a directory written earlier ([`stack_templates`]).
//! Credentials, region and endpoint come from the standard AWS configuration chain
//! ([`Deployer::from_env`]); tests pass their own client ([`Deployer::new`]).
//!
//! Invariant: nothing is left half-done without saying so — a change set not executed is
//! deleted (with the empty stack a CREATE change set made), an interrupted stack is reported
//! with its state, a failure names the first resource that failed, and every stack an
//! operation selected appears in its [`Report`] exactly once.
//!
//! Code map: `deployer.rs` (options, verbs, the run), `schedule.rs` (selection and order,
//! pure), `change_set.rs` (one stack's deploy and destroy), `follow.rs` (events and final
//! state), `calls.rs` (interruptible calls, retry notices, one-line errors with hints),
//! `security.rs` (what broadens access), `lookup.rs` (a program's lookups answered from the
//! account: signed EC2 Describe calls), `status.rs` (typed stack states), `orphans.rs` (the app's stacks the
//! program no longer has: list, destroy), `step.rs` (the
//! acceptance steps, signed EC2 and RAM calls), `diff.rs`, `drift.rs` (drift detection),
//! `import.rs` (existing resources adopted through an IMPORT change set),
//! `template.rs`, `ui.rs`.
//!
//! ```no_run
//! use std::sync::Arc;
//! use vpcform_deploy::{DeployOptions, Deployer, StackTemplate, TerminalUi};
//!
//! # async fn demo() -> Result<(), vpcform_deploy::DeployError> {
//! let ui = Arc::new(TerminalUi::new());
//! let deployer = Deployer::from_env(ui, DeployOptions { yes: true, ..Default::default() }).await;
//! let body = r#"{"Resources":{"Vpc":{"Type":"AWS::EC2::VPC","Properties":{"CidrBlock":"10.0.0.0/16"}}}}"#;
//! deployer.deploy(&[StackTemplate::new("Network", body)], &[]).await?.into_result()?;
//! for diff in deployer.diff(&[StackTemplate::new("Network", body)], &[]).await? {
//!     print!("{diff}");
//! }
//! # Ok(()) }
//! ```

// A DeployError carries the SDK's error and AWS's words; it is made once per failed stack,
// never in a loop, so its size costs nothing worth boxing every variant for.
#![allow(clippy::result_large_err)]

mod calls;
mod change_set;
mod deployer;
mod diff;
mod drift;
mod environment;
mod error;
mod follow;
mod import;
mod lookup;
mod orphans;
mod rollback;
mod schedule;
mod security;
mod signing;
mod stack_set;
mod status;
mod step;
mod template;
mod ui;
mod unmanaged;
mod upload;
mod validation;

pub use aws_sdk_cloudformation::Client;
pub use change_set::{PlannedChange, approval_reason};
pub use deployer::{DeployOptions, Deployer, Report, RequireApproval, StackOutcome};
pub use diff::{PropertyChange, ResourceChange, ResourceDiff, StackDiff, diff_templates};
pub use drift::{DriftReport, DriftState, LastDrift, PropertyDrift, ResourceDrift, StackDrift};
pub use environment::{
    Connect, Connecting, Connection, SdkConnect, UnusableVariable, check_aws_variables,
};
pub use error::{DeployError, FailedResource};
pub use import::{ImportReport, ImportedResource};
pub use lookup::LOOKUP_ACTIONS;
pub use orphans::{APP_TAG, DeployedStack, Listing};
pub use security::{SecurityChange, security_changes, security_table};
pub use stack_set::InstanceFailure;
pub use status::{Operation, is_busy};
pub use step::SignedAccess;
pub use template::{MAX_TEMPLATE_BODY_BYTES, StackTemplate, stack_templates, with_steps};
pub use ui::{RecordingUi, TerminalUi, Ui};
pub use upload::{BOOTSTRAP_STACK, MAX_TEMPLATE_URL_BYTES, S3Access, bootstrap_stack};
pub use validation::{ValidationFinding, ValidationMode};
// The assembly's types: the deployer takes what synthesis wrote, described once.
pub use vpcform_assembly::{
    Amount, Environment, OperationPreferences, OutputRef, ParameterImport, PermissionModel,
    StackSetOverride, StackSetSpec, StackSetTargets, StepAction,
};

/// The TLS every HTTPS connection of vpcform's uses (CloudFormation, S3, credentials): rustls
/// on ring, which builds in seconds where aws-lc-rs's C build took most of a minute.
pub(crate) fn tls_provider() -> aws_smithy_http_client::tls::Provider {
    aws_smithy_http_client::tls::Provider::Rustls(
        aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
    )
}

/// The HTTPS client vpcform's AWS clients use: rustls on ring, with the system's trust store (and,
/// as the SDK's default client, no proxy). The SDK has no default one in vpcform's build (see
/// `Cargo.toml`): a client configured by hand needs this one.
///
/// ```
/// let config = aws_sdk_cloudformation::Config::builder()
///     .behavior_version(aws_sdk_cloudformation::config::BehaviorVersion::latest())
///     .region(aws_sdk_cloudformation::config::Region::new("us-east-1"))
///     .http_client(vpcform_deploy::https_client())
///     .build();
/// let client = aws_sdk_cloudformation::Client::from_conf(config);
/// ```
pub fn https_client() -> aws_sdk_cloudformation::config::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls_provider())
        .build_https()
}
