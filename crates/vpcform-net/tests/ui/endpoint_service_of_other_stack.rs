// The provider's endpoint service handle used in the consumer stack without export/import.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut provider, mut consumer, vpc_a, subnet_a, subnet_b, .. } = two();
    let nlb = provider.add(
        "Nlb",
        NetworkLoadBalancer::builder().subnets([&subnet_b]).security_groups(vpcform_net::security::SecurityGroupRef::none()).build(),
    );
    let service = provider.add("Service", EndpointService::builder().network_load_balancers([&nlb]).build());
    consumer.add(
        "Endpoint",
        InterfaceEndpoint::builder().vpc(&vpc_a).service(service).subnets([&subnet_a]).build(),
    );
}
