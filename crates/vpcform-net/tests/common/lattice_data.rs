// The data side shared by the VPC Lattice tests: stack `Data` with VPC `DataVpc` 10.5.0.0/16,
// subnet `DataA` 10.5.1.0/24 in AZ 0 and a resource gateway `Gateway` named `gateway_name` in
// it. The including file declares `stack Data { vpc DataVpc }` and adds its own configurations.

fn data_stack(
    gateway_name: &str,
) -> (
    Stack<Data>,
    vpcform_net::lattice::ResourceGatewayRef<DataVpc>,
) {
    let mut data = Stack::<Data>::new("Data");
    let vpc = data.add(
        "DataVpc",
        Vpc::<DataVpc>::builder().cidr(cidr!("10.5.0.0/16")).build(),
    );
    let a = data.add(
        "DataA",
        Subnet::builder()
            .vpc(&vpc)
            .cidr(cidr!("10.5.1.0/24"))
            .availability_zone(Az::index(0))
            .build(),
    );
    let gateway = data.add(
        "Gateway",
        vpcform_net::lattice::ResourceGateway::builder()
            .name(gateway_name)
            .vpc(&vpc)
            .subnets([&a])
            .build(),
    );
    (data, gateway)
}
