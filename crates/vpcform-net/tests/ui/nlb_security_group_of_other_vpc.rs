// VPC B's security group given to a Network Load Balancer in VPC A.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, subnet_a, sg_b, .. } = two();
    consumer.add(
        "Nlb",
        NetworkLoadBalancer::builder().subnets([&subnet_a]).security_groups([&sg_b]).build(),
    );
}
