// A route in VPC A's route table to VPC B's internet gateway.
use vpcform_net::vpc::InternetGateway;
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, mut provider, vpc_a, vpc_b, .. } = two();
    let igw_b = provider.add("InternetB", InternetGateway::builder().vpc(&vpc_b).build());
    let routes_a = consumer.add("RoutesA", RouteTable::builder().vpc(&vpc_a).build());
    let _ = Route::builder().route_table(&routes_a).destination(cidr!("0.0.0.0/0")).target(&igw_b);
}
