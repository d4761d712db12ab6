//! A typed model of CloudFormation templates.
//!
//! This crate knows templates, not networks: [`Template`], [`Resource`], [`Parameter`],
//! [`Output`] and the intrinsic functions as [`Value`] variants. Layers above it (the network
//! builders of `vpcform-net`) produce templates; layers beside it (the deployer) consume them.
//!
//! Invariant: a [`Template`] that passes [`Template::check`] has valid, unique logical IDs and
//! no reference to a logical ID it does not contain; serializing it is deterministic.
//!
//! ```
//! use vpcform_cfn::{Output, Resource, Template, Value};
//!
//! let mut template = Template::new("A VPC");
//! template.add_resource(
//!     "Vpc",
//!     Resource::new("AWS::EC2::VPC")
//!         .property("CidrBlock", "10.0.0.0/16")
//!         .property("EnableDnsSupport", true),
//! )?;
//! template.add_output(
//!     "VpcId",
//!     Output::new(Value::reference("Vpc")).export(Value::sub("${AWS::StackName}-VpcId")),
//! )?;
//! template.check()?;
//! println!("{}", template.to_json_pretty()?);
//! # Ok::<(), vpcform_cfn::TemplateError>(())
//! ```

mod error;
pub mod quotas;
mod template;
mod value;

pub use error::TemplateError;
pub use template::{
    DeletionPolicy, FORMAT_VERSION, ForeignValue, Output, Parameter, Resource, Template,
    validate_logical_id,
};
pub use value::{Pseudo, Scope, Value};
