// An existing subnet is typed by its VPC like a created one: VPC B's goes nowhere in VPC A.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, mut provider, vpc_a, vpc_b, .. } = two();
    let existing = provider.add(
        "LegacyB",
        vpcform_net::existing::ExistingSubnet::builder()
            .vpc(&vpc_b)
            .id(vpcform_net::existing::ExistingId::id("subnet-0a1b2c3d"))
            .cidr(cidr!("10.1.9.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    consumer.add(
        "Sqs",
        InterfaceEndpoint::builder().vpc(&vpc_a).service(services::Sqs).subnets([&existing]).build(),
    );
}
