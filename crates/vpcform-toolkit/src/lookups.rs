//! Answering a program's lookups from the account: the deployer's signed EC2 Describe calls, in
//! each query's account and Region (`Deployer::resolve_lookups`).

use std::process::ExitCode;
use std::sync::Arc;

use vpcform_assembly::{ContextQuery, ContextValue, Environment};
use vpcform_deploy::{DeployOptions, Deployer, TerminalUi};

use crate::output::{INTERRUPTED, USAGE, refuse};

/// The answers to `queries`, asked with the credentials of the app's `environments` (a query's
/// account and Region), or the exit code to end with (the reason printed): 1 when a call
/// failed (naming the IAM action to grant), 130 when interrupted.
pub(crate) fn resolve(
    queries: &[ContextQuery],
    environments: &[Environment],
) -> Result<Vec<(ContextQuery, ContextValue)>, ExitCode> {
    // Before any client: the SDK would silently drop such a value and go elsewhere.
    vpcform_deploy::check_aws_variables().map_err(|e| refuse(&e.to_string(), USAGE))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| refuse(&format!("could not start the async runtime: {e}"), 1))?;
    let answers = runtime.block_on(async {
        // Progress (each query's key: looking up, found) on stderr: stdout is the verb's.
        let ui = Arc::new(TerminalUi::on_stderr());
        let deployer = Deployer::from_env(ui, DeployOptions::default()).await;
        if let Err(e) = deployer.interrupt_on_ctrl_c() {
            return Err(refuse(&format!("could not watch for Ctrl-C: {e}"), 1));
        }
        deployer
            .resolve_lookups(queries, environments)
            .await
            .map_err(|e| {
                if e.is_interrupt() {
                    crate::output::stderr(&format!("error: {e}\n"));
                    ExitCode::from(INTERRUPTED)
                } else {
                    refuse(&e.to_string(), 1)
                }
            })
    });
    // A question nobody answered holds no thread here, but the runtime is not waited for.
    runtime.shutdown_background();
    answers
}
