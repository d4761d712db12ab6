// VPC B's route table given to a gateway endpoint in VPC A.
include!("../common/ui_setup.rs");

fn main() {
    let Two { mut consumer, vpc_a, routes_b, .. } = two();
    consumer.add(
        "S3Gateway",
        GatewayEndpoint::builder().vpc(&vpc_a).service(services::S3).route_tables([&routes_b]).build(),
    );
}
