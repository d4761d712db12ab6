// Shared setup of the compile-fail cases: two stacks, one VPC each, a subnet, a route table and
// a security group in each. Included by each case with `include!`.
use vpcform_net::prelude::*;

vpcform_net::topology! {
    stack Provider { vpc VpcB }
    stack Consumer { vpc VpcA }
}

#[allow(dead_code)]
struct Two {
    provider: Stack<Provider>,
    consumer: Stack<Consumer>,
    vpc_a: vpcform_net::vpc::VpcRef<VpcA>,
    vpc_b: vpcform_net::vpc::VpcRef<VpcB>,
    subnet_a: vpcform_net::vpc::SubnetRef<VpcA>,
    subnet_b: vpcform_net::vpc::SubnetRef<VpcB>,
    routes_b: vpcform_net::vpc::RouteTableRef<VpcB>,
    sg_a: vpcform_net::security::SecurityGroupRef<VpcA>,
    sg_b: vpcform_net::security::SecurityGroupRef<VpcB>,
    targets_b: vpcform_net::privatelink::TargetGroupRef<VpcB>,
}

#[allow(dead_code)]
fn two() -> Two {
    let mut provider = Stack::<Provider>::new("Provider");
    let mut consumer = Stack::<Consumer>::new("Consumer");
    let vpc_b = provider.add("VpcB", Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build());
    let vpc_a = consumer.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
    let subnet_b = provider.add(
        "B1",
        Subnet::builder().vpc(&vpc_b).cidr(cidr!("10.1.1.0/24")).availability_zone(Az::index(0)).build(),
    );
    let subnet_a = consumer.add(
        "A1",
        Subnet::builder().vpc(&vpc_a).cidr(cidr!("10.0.1.0/24")).availability_zone(Az::index(0)).build(),
    );
    let routes_b = provider.add("RoutesB", RouteTable::builder().vpc(&vpc_b).build());
    let sg_a = consumer.add("SgA", SecurityGroup::builder().vpc(&vpc_a).build());
    let sg_b = provider.add("SgB", SecurityGroup::builder().vpc(&vpc_b).build());
    let targets_b = provider.add("TargetsB", TargetGroup::builder().vpc(&vpc_b).port(443).build());
    Two { provider, consumer, vpc_a, vpc_b, subnet_a, subnet_b, routes_b, sg_a, sg_b, targets_b }
}
