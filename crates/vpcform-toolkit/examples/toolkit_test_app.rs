//! The root package's `private_endpoints` example, built for the toolkit's tests under a name of
//! its own (two examples of one name in a workspace collide): the program `vpcform --app` runs
//! (root examples are not built for this package's tests).

#[allow(dead_code)]
#[path = "../../../examples/private_endpoints.rs"]
mod program;

use vpcform::prelude::*;

fn main() -> std::process::ExitCode {
    program::app(false).run()
}
