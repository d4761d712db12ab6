//! The user guide, one module per page of `docs/guide/`, in reading order.
//!
//! The pages are written for GitHub (relative links between `.md` files) and included here so
//! that rustdoc renders them beside the API and, above all, compiles and runs their Rust blocks
//! as doctests: an example in the guide cannot drift from the API without `cargo test` failing.
//! `build.rs` copies each page with its links made to work here (a link to another page becomes
//! an intra-doc link to its module, which rustdoc checks). A new page is a file in
//! `docs/guide/` and one line here.
//!
#![doc = include_str!(concat!(env!("OUT_DIR"), "/guide/README.md"))]

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/deploy.md"))]
pub mod deploy {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/toolkit.md"))]
pub mod toolkit {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/environments.md"))]
pub mod environments {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/stack-sets.md"))]
pub mod stack_sets {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/traffic.md"))]
pub mod traffic {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/centralized-endpoints.md"))]
pub mod centralized_endpoints {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/existing-networks.md"))]
pub mod existing_networks {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/services.md"))]
pub mod services {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/dual-stack.md"))]
pub mod dual_stack {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/tags-and-logs.md"))]
pub mod tags_and_logs {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/checks.md"))]
pub mod checks {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/codes.md"))]
pub mod codes {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/assembly.md"))]
pub mod assembly {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/quotas.md"))]
pub mod quotas {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/config-driven.md"))]
pub mod config_driven {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/landing-zones.md"))]
pub mod landing_zones {}

#[doc = include_str!(concat!(env!("OUT_DIR"), "/guide/lookups.md"))]
pub mod lookups {}
