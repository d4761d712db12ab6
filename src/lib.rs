//! vpcform: AWS network infrastructure — VPCs, gateway and interface endpoints, PrivateLink —
//! as ordinary, typed Rust programs that synthesize CloudFormation.
//!
//! This facade re-exports the layers (see `ARCHITECTURE.md`): [`cfn`], the template model; the
//! network builders of `vpcform-net`, by module ([`vpc`], [`security`], [`endpoints`],
//! [`privatelink`], [`transit`], …; see `ARCHITECTURE.md`, "Public API"); [`assembly`], the
//! schema of what synthesis writes; and [`AppExt::run`], the command line every vpcform
//! program gets: `synth` (the default), which writes the cloud assembly that the `vpcform`
//! toolkit (crates/vpcform-toolkit: `vpcform deploy`, `diff`, `drift`, …) deploys. A program
//! compiles no AWS SDK. With the `deploy` feature (off by default), for platform tooling that
//! embeds the deployer, the program runs the toolkit's verbs itself (`toolkit`, `deploy`).
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
//!     app.run() // `cargo run -- --out DIR`; then `vpcform deploy --assembly DIR`
//! }
//! ```

mod cli;
mod run;
mod sarif;

pub use cli::{Cli, Command, FindingsFormat};
pub use run::AppExt;
pub use vpcform_assembly as assembly;
pub use vpcform_cfn as cfn;
#[cfg(feature = "deploy")]
pub use vpcform_deploy as deploy;
pub use vpcform_net::{
    App, Assembly, Construct, Manifest, ManifestStack, ManifestStep, OutputRef, Pseudo,
    RawResourceRef, Stack, StepAction, SynthesizedStack, Tags, Value, cidr, cost, deployment,
    endpoints, existing, export, findings, handles, lattice, lookups, policy, privatelink, quotas,
    security, services, sharing, topology, traffic, transit, vpc, zones,
};
#[cfg(feature = "deploy")]
pub use vpcform_toolkit as toolkit;

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
