// An export carrying a VPC ID imported where an endpoint service name is expected: exports are
// typed by what they carry.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut provider, mut consumer, vpc_a, vpc_b, subnet_a, .. } = two();
    let vpc_id = provider.export("VpcId", &vpc_b);
    let imported = consumer.import(&vpc_id);
    consumer.add(
        "Endpoint",
        InterfaceEndpoint::builder().vpc(&vpc_a).service(imported).subnets([&subnet_a]).build(),
    );
}
