// A peering connection between VPC B and VPC C used by a route table of VPC A, which is
// neither side.
use vpcform_net::transit::VpcPeering;
include!("../common/ui_setup.rs");

vpcform_net::topology! { stack Other { vpc VpcC } }

fn main() {
    let Two { mut consumer, vpc_a, .. } = two();
    let mut other = Stack::<Other>::new("Other");
    let vpc_c = other.add("VpcC", Vpc::<VpcC>::builder().cidr(cidr!("10.2.0.0/16")).build());
    let peer = vpcform_net::transit::ExternalVpc::new("vpc-0123456789abcdef0", cidr!("10.3.0.0/16"));
    let peering = other.add("CToX", VpcPeering::builder().vpc(&vpc_c).peer(peer).build());
    let routes_a = consumer.add("RoutesA", RouteTable::builder().vpc(&vpc_a).build());
    let _ = Route::builder().route_table(&routes_a).destination(cidr!("10.3.0.0/16")).target(&peering);
}
