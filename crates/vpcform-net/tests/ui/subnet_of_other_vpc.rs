// VPC B's subnet given to an interface endpoint in VPC A.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, vpc_a, subnet_b, .. } = two();
    consumer.add(
        "SqsEndpoint",
        InterfaceEndpoint::builder().vpc(&vpc_a).service(services::Sqs).subnets([&subnet_b]).build(),
    );
}
