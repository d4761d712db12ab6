// VPC B's security group given to an interface endpoint in VPC A.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, vpc_a, subnet_a, sg_b, .. } = two();
    consumer.add(
        "SqsEndpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc_a)
            .service(services::Sqs)
            .subnets([&subnet_a])
            .security_groups([&sg_b])
            .build(),
    );
}
