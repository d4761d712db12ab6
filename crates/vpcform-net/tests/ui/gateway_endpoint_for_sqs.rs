// SQS has no gateway endpoint: only S3 and DynamoDB do.
include!("../common/ui_setup.rs");

fn main() {
    let Two { vpc_a, .. } = two();
    let _ = GatewayEndpoint::builder().vpc(&vpc_a).service(services::Sqs);
}
