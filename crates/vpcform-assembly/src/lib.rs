//! The cloud assembly schema: what vpcform's synthesis writes and its deployer reads — a
//! directory holding `manifest.json` ([`Manifest`]: the app, its stacks in deployment order,
//! and per stack its template file, environment, dependencies, tags, capabilities, parameter
//! imports and stack set settings; the steps between stacks CloudFormation cannot take) beside one `<Stack>.template.json` per stack.
//!
//! As AWS CDK's `cloud-assembly-schema` package is to CDK's app and toolkit, this crate is to
//! `vpcform-net` (which writes an assembly) and `vpcform-deploy` (which deploys one): the one
//! description of the assembly both use. The guide's page `docs/guide/assembly.md` lists every
//! field with its meaning and default.
//!
//! Invariant: this crate knows nothing of VPCs, builders or the AWS SDK; it is the only
//! description of the assembly; [`SCHEMA_VERSION`] goes up with any change a reader of the
//! previous version would misread or refuse, and [`CloudAssembly::read`] refuses any other
//! version.
//!
//! ```
//! use vpcform_assembly::{CloudAssembly, Manifest, ManifestStack};
//!
//! let dir = std::env::temp_dir().join(format!("vpcform-assembly-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let mut manifest = Manifest::new("demo");
//! let mut network = ManifestStack::new("Network");
//! network.environment.region = Some("eu-west-1".into());
//! manifest.stacks.push(network);
//! std::fs::write(dir.join("Network.template.json"), r#"{"Resources":{}}"#)?;
//! manifest.write_to(&dir)?;
//!
//! let assembly = CloudAssembly::read(&dir)?;
//! assert_eq!(assembly.manifest(), &manifest);
//! let stack = &assembly.manifest().stacks[0];
//! assert_eq!(assembly.template(stack)?, r#"{"Resources":{}}"#);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod context;
mod manifest;
mod read;
mod stack_set;
mod step;

pub use context::{
    AvailabilityZone, CONTEXT_ENV, CONTEXT_FILE, Context, ContextEntry, ContextError, ContextQuery,
    ContextValue, EndpointServiceFacts, RouteFacts, RouteTableFacts, RuleFacts, SecurityGroupFacts,
    SubnetFacts, VpcFacts, VpcFilter,
};
pub use manifest::{Environment, Manifest, ManifestStack, ParameterImport};
pub use read::{AssemblyError, CloudAssembly};
pub use stack_set::{
    Amount, OperationPreferences, PermissionModel, StackSetOverride, StackSetSpec, StackSetTargets,
};
pub use step::{ManifestStep, OutputRef, StepAction};

/// The manifest schema's version, written as `"version"` in `manifest.json`. It goes up with
/// any change a reader of the previous version would misread or refuse: a field removed,
/// renamed, made required, or given another meaning or type. A new optional field with a
/// default that keeps the old meaning does not bump it.
///
/// ```
/// assert_eq!(vpcform_assembly::SCHEMA_VERSION, 3);
/// ```
// 2: `steps` (a reader of 1 would deploy past an acceptance it does not know of).
// 3: `missing` (a reader of 2 would deploy the placeholders of lookups not yet answered).
pub const SCHEMA_VERSION: u32 = 3;

/// The exit status of a program that wrote an assembly whose lookups are not all answered
/// ([`Manifest::missing`]): the toolkit then resolves them and runs the program again. Not 1
/// (synthesis failed) nor 2 (a malformed command line), nor cargo's 101.
///
/// ```
/// assert_eq!(vpcform_assembly::LOOKUPS_MISSING_EXIT, 3);
/// ```
pub const LOOKUPS_MISSING_EXIT: u8 = 3;

/// The manifest's file name in the assembly's directory.
///
/// ```
/// assert_eq!(vpcform_assembly::MANIFEST_FILE, "manifest.json");
/// ```
pub const MANIFEST_FILE: &str = "manifest.json";

/// A stack's template file name in the assembly's directory: `<stack>.template.json`.
///
/// ```
/// assert_eq!(vpcform_assembly::template_file("Network"), "Network.template.json");
/// ```
pub fn template_file(stack: &str) -> String {
    format!("{stack}.template.json")
}
