// A route in VPC A's route table to the transit gateway VPC B is attached to: a VPC reaches a
// transit gateway only through its own attachment.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, mut provider, vpc_a, vpc_b, subnet_b, .. } = two();
    let tgw = provider.add("Tgw", TransitGateway::builder().build());
    let attachment_b = provider.add(
        "AttachB",
        TransitGatewayAttachment::builder().vpc(&vpc_b).transit_gateway(&tgw).subnets([&subnet_b]).build(),
    );
    let routes_a = consumer.add("RoutesA", RouteTable::builder().vpc(&vpc_a).build());
    let _ = Route::builder().route_table(&routes_a).destination(cidr!("10.1.0.0/16")).target(&attachment_b);
}
