// A resource configuration of one stack's VPC associated by a construct whose service network
// belongs to another stack: the association lives with its configuration, and the network
// crosses by its ARN.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, mut provider, vpc_b, subnet_b, .. } = two();
    let network = consumer.add("Databases", vpcform_net::lattice::ServiceNetwork::builder().name("databases").build());
    let gateway = provider.add(
        "Gateway",
        vpcform_net::lattice::ResourceGateway::builder().name("data-gateway").vpc(&vpc_b).subnets([&subnet_b]).build(),
    );
    let db = provider.add(
        "Database",
        vpcform_net::lattice::ResourceConfiguration::builder()
            .name("orders-db")
            .gateway(&gateway)
            .resource(vpcform_net::lattice::LatticeResource::ip("10.1.1.20"))
            .ports([(5432, 5432)])
            .build(),
    );
    provider.add(
        "DatabaseInNetwork",
        vpcform_net::lattice::ServiceNetworkResourceAssociation::builder().service_network(&network).resource(&db).build(),
    );
}
