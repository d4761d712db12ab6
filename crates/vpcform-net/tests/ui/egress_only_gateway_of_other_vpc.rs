// VPC B's egress-only internet gateway as the target of a route in VPC A's table.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, mut provider, vpc_a, vpc_b, .. } = two();
    let egress_b = provider.add("EgressB", vpcform_net::vpc::EgressOnlyInternetGateway::builder().vpc(&vpc_b).build());
    let routes_a = consumer.add("RoutesA", RouteTable::builder().vpc(&vpc_a).build());
    consumer.add(
        "Default6",
        Route::builder().route_table(&routes_a).destination("::/0").target(&egress_b).build(),
    );
}
