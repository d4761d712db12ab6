// A transit gateway of another stack given to an attachment directly: it crosses stacks by its
// exported ID.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, mut provider, vpc_a, subnet_a, .. } = two();
    let tgw = provider.add("Tgw", TransitGateway::builder().build());
    consumer.add(
        "AttachA",
        TransitGatewayAttachment::builder().vpc(&vpc_a).transit_gateway(&tgw).subnets([&subnet_a]).build(),
    );
}
