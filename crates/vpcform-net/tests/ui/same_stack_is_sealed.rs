// `SameStack` is sealed: a program cannot declare two stacks the same to pass a transit
// gateway of one to the other.
include!("../common/ui_setup.rs");

impl vpcform_net::transit::SameStack<Consumer> for Provider {}

fn main() {
    let _ = two();
}
