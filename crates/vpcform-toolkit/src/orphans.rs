//! `list`: the app's stacks deployed in the program's environments, orphans marked, as text or
//! JSON (`--format`). `destroy --orphans` is in `deploy_verbs.rs`, beside destroy.

use vpcform_deploy::{DeployError, Deployer, StackTemplate};

use crate::Format;

/// What `list` prints on stdout: the listing as text, or as one JSON document.
pub(crate) async fn list(
    deployer: &Deployer,
    app: &str,
    stacks: &[StackTemplate],
    format: Format,
) -> Result<String, DeployError> {
    let listing = deployer.list(app, stacks).await?;
    Ok(match format {
        Format::Text => listing.to_string(),
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&listing.to_json()).unwrap_or_default();
            text.push('\n');
            text
        }
    })
}
