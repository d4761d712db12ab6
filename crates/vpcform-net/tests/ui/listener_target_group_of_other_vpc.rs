// A listener of VPC A's load balancer forwarding to VPC B's target group.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, subnet_a, sg_a, targets_b, .. } = two();
    let nlb = consumer.add(
        "Nlb",
        NetworkLoadBalancer::builder().subnets([&subnet_a]).security_groups([&sg_a]).build(),
    );
    let _ = Listener::builder().load_balancer(&nlb).port(443).default_target_group(&targets_b);
}
