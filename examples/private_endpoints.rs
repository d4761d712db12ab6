//! One VPC whose private subnets reach AWS services without an internet or NAT gateway:
//! S3 and DynamoDB through free gateway endpoints on the route tables, SQS and the ECR API
//! through interface endpoints (PrivateLink) with private DNS.
//!
//! `cargo run --example private_endpoints` synthesizes; `vpcform --app "cargo run -q --example
//! private_endpoints --" deploy` (and `diff`, `destroy`) acts on the account (or endpoint,
//! `AWS_ENDPOINT_URL`) of the standard AWS configuration.
//! `cargo xtask demo` deploys it to a local emulator.

use vpcform::prelude::*;
use vpcform::vpc::Ipv4Cidr;

vpcform::topology! {
    /// The only stack.
    pub stack PrivateEndpoints {
        /// The workload VPC.
        vpc AppVpc
    }
}

const VPC_CIDR: Ipv4Cidr = cidr!("10.20.0.0/16");

/// The app; `with_sts` adds an STS interface endpoint (the change the end-to-end test deploys).
pub fn app(with_sts: bool) -> App {
    let mut stack = Stack::<PrivateEndpoints>::new("PrivateEndpoints")
        .description("A private VPC reaching S3, DynamoDB, SQS and ECR through VPC endpoints")
        .tag("purpose", "vpcform-example");
    let vpc = stack.add("Workload", Vpc::<AppVpc>::builder().cidr(VPC_CIDR).build());
    let mut subnets = Vec::new();
    let mut route_tables = Vec::new();
    for (i, cidr) in ["10.20.1.0/24", "10.20.2.0/24"].into_iter().enumerate() {
        let subnet = stack.add(
            &format!("Private{}", i + 1),
            Subnet::builder()
                .vpc(&vpc)
                .cidr(cidr)
                .availability_zone(Az::index(i as u32))
                .build(),
        );
        route_tables.push(stack.add(
            &format!("Routes{}", i + 1),
            RouteTable::builder().vpc(&vpc).subnets([&subnet]).build(),
        ));
        subnets.push(subnet);
    }

    // Gateway endpoints: a prefix-list route on each route table, free of charge.
    let s3 = stack.add(
        "S3Gateway",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables(&route_tables)
            .build(),
    );
    let dynamodb = stack.add(
        "DynamoDbGateway",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::DynamoDb)
            .route_tables(&route_tables)
            .build(),
    );

    // Interface endpoints: ENIs in both subnets, HTTPS from the VPC only.
    let https_from_vpc = stack.add(
        "EndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("Interface endpoints: HTTPS from the VPC")
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(VPC_CIDR))])
            .build(),
    );
    let interface = |service| {
        InterfaceEndpoint::builder()
            .vpc(&vpc)
            .service(service)
            .subnets(&subnets)
            .security_groups([&https_from_vpc])
            .build()
    };
    let sqs = stack.add("SqsEndpoint", interface(services::ByName::new("sqs")));
    let ecr = stack.add(
        "EcrApiEndpoint",
        interface(services::ByName::new("ecr.api")),
    );
    if with_sts {
        let sts = stack.add("StsEndpoint", interface(services::ByName::new("sts")));
        stack.output("StsEndpointId", &sts);
    }

    stack.output("VpcId", &vpc);
    stack.output("S3GatewayId", &s3);
    stack.output("DynamoDbGatewayId", &dynamodb);
    stack.output("SqsEndpointId", &sqs);
    stack.output("EcrApiEndpointId", &ecr);

    let mut app = App::new("private-endpoints");
    app.add_stack(stack);
    app
}

fn main() -> std::process::ExitCode {
    app(false).run()
}
