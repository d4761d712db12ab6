// A Network Load Balancer given subnets of two VPCs.
include!("../common/ui_setup.rs");

fn main() {
    let Two { subnet_a, subnet_b, .. } = two();
    let _ = NetworkLoadBalancer::builder().subnets([&subnet_a, &subnet_b]);
}
