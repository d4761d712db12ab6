//! vpcform: AWS network infrastructure — VPCs, gateway and interface endpoints, PrivateLink —
//! as ordinary, typed Rust programs that synthesize CloudFormation.
//!
//! This facade re-exports the layers (see `ARCHITECTURE.md`): [`cfn`], the template model; the
//! network builders of `vpcform-net`, by module ([`vpc`], [`security`], [`endpoints`],
//! [`privatelink`], [`transit`], …; see `ARCHITECTURE.md`, "Public API"); [`assembly`], the
//! schema of what synthesis writes; with the `deploy` feature (on by default), [`deploy`];
//! and [`AppExt::run`], the command line every vpcform program gets:
//! `synth` (the default), `diff`, `deploy`, `drift`, `rollback`, `destroy` and `list`.
//!
//! ```no_run
//! use vpcform::prelude::*;
//!
//! vpcform::topology! { stack Network { vpc Main } }
//!
//! fn main() -> std::process::ExitCode {
//!     let mut network = Stack::<Network>::new("Network");
//!     let vpc = network.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
//!     network.output("VpcId", &vpc);
//!     let mut app = App::new("network");
//!     app.add_stack(network);
//!     app.run() // `cargo run -- deploy --yes`, `cargo run -- --out DIR`, …
//! }
//! ```

mod cli;
#[cfg(feature = "deploy")]
mod deploy_verbs;
#[cfg(feature = "deploy")]
mod deployer_input;
#[cfg(feature = "deploy")]
mod drift_verb;
mod orphans;
mod run;
mod sarif;

pub use cli::{Cli, Command, FindingsFormat, RequireApprovalArg, parse_age};
#[cfg(feature = "deploy")]
pub use deployer_input::{apply_parameters, stack_templates};
pub use run::AppExt;
pub use vpcform_assembly as assembly;
pub use vpcform_cfn as cfn;
#[cfg(feature = "deploy")]
pub use vpcform_deploy as deploy;
pub use vpcform_net::{
    App, Assembly, Construct, Manifest, ManifestStack, ManifestStep, OutputRef, Pseudo,
    RawResourceRef, Stack, StepAction, SynthesizedStack, Tags, Value, cidr, cost, deployment,
    endpoints, existing, export, findings, handles, lattice, policy, privatelink, quotas, security,
    services, sharing, topology, traffic, transit, vpc, zones,
};

pub mod guide;

/// Everything a vpcform program usually needs: `use vpcform::prelude::*;`.
pub mod prelude {
    pub use crate::AppExt;
    pub use vpcform_net::prelude::*;
}

/// README.md's code, compiled as a doctest so the first example a reader sees keeps working.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
