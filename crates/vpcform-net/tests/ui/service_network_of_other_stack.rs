// A service network of another stack given to an endpoint directly: it crosses stacks by its
// exported ARN.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, mut provider, vpc_a, subnet_a, .. } = two();
    let network = provider.add("Databases", vpcform_net::lattice::ServiceNetwork::builder().name("databases").build());
    consumer.add(
        "DatabasesEndpoint",
        vpcform_net::lattice::ServiceNetworkEndpoint::builder().vpc(&vpc_a).service_network(&network).subnets([&subnet_a]).build(),
    );
}
