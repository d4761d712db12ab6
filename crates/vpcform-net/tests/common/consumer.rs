// Shared by the synthesis tests: two stacks, and a consumer VPC with subnets.
vpcform_net::topology! {
    stack Provider { vpc VpcB }
    stack Consumer { vpc VpcA }
}

#[allow(dead_code)]
fn consumer() -> (Stack<Consumer>, vpcform_net::vpc::VpcRef<VpcA>) {
    let mut stack = Stack::<Consumer>::new("Consumer");
    let vpc = stack.add(
        "VpcA",
        Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build(),
    );
    (stack, vpc)
}

fn subnet(
    stack: &mut Stack<Consumer>,
    vpc: &vpcform_net::vpc::VpcRef<VpcA>,
    id: &str,
    cidr: &str,
    az: u32,
) -> vpcform_net::vpc::SubnetRef<VpcA> {
    stack.add(
        id,
        Subnet::builder()
            .vpc(vpc)
            .cidr(cidr)
            .availability_zone(Az::index(az))
            .build(),
    )
}
