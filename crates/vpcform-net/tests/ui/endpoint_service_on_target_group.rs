// An endpoint service needs a Network Load Balancer, not a target group.
include!("../common/ui_setup.rs");

fn main() {
    let Two { targets_b, .. } = two();
    let _ = EndpointService::builder().network_load_balancers([&targets_b]);
}
