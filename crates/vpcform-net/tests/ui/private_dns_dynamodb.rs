// DynamoDB's interface endpoint has no private DNS name.
include!("../common/ui_setup.rs");

fn main() {
    let Two { vpc_a, subnet_a, .. } = two();
    let _ = InterfaceEndpoint::builder()
        .vpc(&vpc_a)
        .service(services::DynamoDb)
        .subnets([&subnet_a])
        .private_dns(true);
}
