// A custom endpoint service without a private DNS name cannot get private DNS.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut provider, mut consumer, vpc_a, subnet_a, subnet_b, .. } = two();
    let nlb = provider.add(
        "Nlb",
        NetworkLoadBalancer::builder().subnets([&subnet_b]).security_groups(vpcform_net::security::SecurityGroupRef::none()).build(),
    );
    let service = provider.add("Service", EndpointService::builder().network_load_balancers([&nlb]).build());
    let name = provider.export("ServiceName", service.service_name());
    let imported = consumer.import(&name);
    let _ = InterfaceEndpoint::builder()
        .vpc(&vpc_a)
        .service(imported)
        .subnets([&subnet_a])
        .private_dns(true);
}
