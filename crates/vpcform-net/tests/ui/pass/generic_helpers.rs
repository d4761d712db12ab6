// Helpers generic over any VPC compile and work for both VPCs of an app.
use vpcform_net::prelude::*;
use vpcform_net::handles::VpcMarker;
use vpcform_net::vpc::VpcRef;

vpcform_net::topology! {
    stack Provider { vpc VpcB }
    stack Consumer { vpc VpcA }
}

/// Two private subnets, /24 each, in the first two AZs, each with its own route table.
fn private_subnets<V: VpcMarker>(
    stack: &mut Stack<V::Stack>,
    vpc: &VpcRef<V>,
    prefix: &str,
    cidrs: [&str; 2],
) -> Vec<vpcform_net::vpc::RouteTableRef<V>> {
    let mut tables = Vec::new();
    for (i, cidr) in cidrs.into_iter().enumerate() {
        let subnet = stack.add(
            &format!("{prefix}{i}"),
            Subnet::builder().vpc(vpc).cidr(cidr).availability_zone(Az::index(i as u32)).build(),
        );
        tables.push(stack.add(
            &format!("{prefix}Routes{i}"),
            RouteTable::builder().vpc(vpc).subnets([&subnet]).build(),
        ));
    }
    tables
}

fn main() {
    let mut provider = Stack::<Provider>::new("Provider");
    let mut consumer = Stack::<Consumer>::new("Consumer");
    let vpc_b = provider.add("VpcB", Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build());
    let vpc_a = consumer.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
    private_subnets(&mut provider, &vpc_b, "PrivateB", ["10.1.1.0/24", "10.1.2.0/24"]);
    let tables = private_subnets(&mut consumer, &vpc_a, "PrivateA", ["10.0.1.0/24", "10.0.2.0/24"]);
    consumer.add(
        "S3",
        GatewayEndpoint::builder().vpc(&vpc_a).service(services::S3).route_tables(&tables).build(),
    );
    let mut app = App::new("generic");
    app.add_stack(provider);
    app.add_stack(consumer);
    let assembly = app.synth().expect("synthesizes");
    assert_eq!(assembly.stack("Consumer").expect("consumer").template().resources().len(), 8);
}
