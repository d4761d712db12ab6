//! The article's Scenario 1: EKS pods in VPC A reach a custom service in VPC B over AWS
//! PrivateLink, and reach S3, DynamoDB and SQS through VPC endpoints — no internet on the way.
//!
//! ```text
//!  Consumer stack: VPC A 10.0.0.0/16                 Provider stack: VPC B 10.1.0.0/16
//!  ┌────────────────────────────────────┐           ┌──────────────────────────────────┐
//!  │ EKS pods (private subnets A1, A2)  │           │ NLB :443 (private subnets B1, B2) │
//!  │   ├─► interface endpoint ──────────┼─ PrivateLink ─► endpoint service ─► targets  │
//!  │   ├─► SQS interface endpoint       │           └──────────────────────────────────┘
//!  │   └─► S3, DynamoDB gateway endpoints (route tables)
//!  └────────────────────────────────────┘
//! ```
//!
//! `cargo run --example privatelink` writes `vpcform.out/{Provider,Consumer}.template.json`,
//! the traffic analysis, the cost estimate and the diagram; it fails if any of the pods' flows
//! would leave AWS.

use vpcform::handles::VpcMarker;
use vpcform::prelude::*;
use vpcform::privatelink::AccessLogs;
use vpcform::privatelink::HealthCheck;
use vpcform::vpc::{FlowLog, FlowLogDestination};
use vpcform::vpc::{Ipv4Cidr, VpcRef};

vpcform::topology! {
    /// VPC B's side: the custom service behind a Network Load Balancer.
    pub stack Provider {
        /// VPC B, 10.1.0.0/16.
        vpc VpcB
    }
    /// VPC A's side: where the EKS pods run.
    pub stack Consumer {
        /// VPC A, 10.0.0.0/16.
        vpc VpcA
    }
}

/// The consumer's account, allowed to connect to the endpoint service.
const CONSUMER_ACCOUNT: &str = "arn:aws:iam::111122223333:root";
const VPC_A_CIDR: Ipv4Cidr = cidr!("10.0.0.0/16");
const VPC_B_CIDR: Ipv4Cidr = cidr!("10.1.0.0/16");
const HTTPS: Port = Port::tcp(443);
/// The organization's central log bucket (its policy lets `delivery.logs.amazonaws.com` write):
/// flow logs go to it by ARN, load balancer access logs by name.
const LOG_BUCKET: &str = "example-central-network-logs";
const LOG_BUCKET_ARN: &str = "arn:aws:s3:::example-central-network-logs";

/// Builds the app: the provider stack, then the consumer stack that imports its service name.
pub fn app() -> App {
    // ── VPC B: the service provider ──────────────────────────────────────────────────────
    let mut provider = Stack::<Provider>::new("Provider")
        .description("VPC B: a custom service behind an NLB, offered over AWS PrivateLink");
    let vpc_b = provider.add("VpcB", Vpc::<VpcB>::builder().cidr(VPC_B_CIDR).build());
    // Every connection into VPC B, accepted or rejected, for the security team.
    provider.add(
        "VpcBFlowLog",
        FlowLog::builder()
            .resource(&vpc_b)
            .destination(FlowLogDestination::s3(LOG_BUCKET_ARN).prefix("flow-logs/provider"))
            .build(),
    );
    let b1 = provider.add("PrivateB1", private_subnet(&vpc_b, cidr!("10.1.1.0/24"), 0));
    let b2 = provider.add("PrivateB2", private_subnet(&vpc_b, cidr!("10.1.2.0/24"), 1));
    provider.add(
        "RoutesB1",
        RouteTable::builder().vpc(&vpc_b).subnets([&b1]).build(),
    );
    provider.add(
        "RoutesB2",
        RouteTable::builder().vpc(&vpc_b).subnets([&b2]).build(),
    );

    // The NLB sees PrivateLink clients by their own private IPs (VPC A's), so its group
    // admits VPC A on 443 — and nothing else.
    let nlb_sg = provider.add(
        "NlbSecurityGroup",
        SecurityGroup::builder()
            .vpc(&vpc_b)
            .description("NLB: HTTPS from the PrivateLink consumers in VPC A only")
            .ingress([
                Rule::new(HTTPS, Peer::ipv4(VPC_A_CIDR)).description("PrivateLink from VPC A")
            ])
            .egress([
                Rule::new(HTTPS, Peer::ipv4(VPC_B_CIDR)).description("Targets and health checks")
            ])
            .build(),
    );
    let nlb = provider.add(
        "ServiceNlb",
        NetworkLoadBalancer::builder()
            .subnets([&b1, &b2])
            .security_groups([&nlb_sg])
            // What scanners look for (checkov CKV_AWS_91). AWS writes NLB access logs for TLS
            // listeners only, so with this TCP listener synthesis warns that they stay empty:
            // the flow log above is what records the service's connections.
            .access_logs(AccessLogs::s3(LOG_BUCKET).prefix("access-logs/privatelink"))
            .tags([("service", "orders-api")])
            .build(),
    );
    let targets = provider.add(
        "ServiceTargets",
        TargetGroup::builder()
            .vpc(&vpc_b)
            .port(443)
            .health_check(HealthCheck::tcp())
            .targets([
                TargetDescription::ip("10.1.1.10"),
                TargetDescription::ip("10.1.2.10"),
            ])
            .build(),
    );
    provider.add(
        "HttpsListener",
        Listener::builder()
            .load_balancer(&nlb)
            .port(443)
            .default_target_group(&targets)
            .build(),
    );
    let service = provider.add(
        "EndpointService",
        EndpointService::builder()
            .network_load_balancers([&nlb])
            .allowed_principals([CONSUMER_ACCOUNT])
            .tags([("service", "orders-api")])
            .build(),
    );
    provider.output("VpcId", &vpc_b);
    provider.output(
        "SubnetIds",
        Value::join(",", [b1.reference(), b2.reference()]),
    );
    provider.output("EndpointServiceId", &service);
    let service_name = provider.export("ServiceName", service.service_name());

    // ── VPC A: the client, where the EKS pods run ────────────────────────────────────────
    let mut consumer = Stack::<Consumer>::new("Consumer").description(
        "VPC A: EKS pods reaching the provider's service, S3, DynamoDB and SQS privately",
    );
    let vpc_a = consumer.add("VpcA", Vpc::<VpcA>::builder().cidr(VPC_A_CIDR).build());
    consumer.add(
        "VpcAFlowLog",
        FlowLog::builder()
            .resource(&vpc_a)
            .destination(FlowLogDestination::s3(LOG_BUCKET_ARN).prefix("flow-logs/consumer"))
            .build(),
    );
    let a1 = consumer.add("PrivateA1", private_subnet(&vpc_a, cidr!("10.0.1.0/24"), 0));
    let a2 = consumer.add("PrivateA2", private_subnet(&vpc_a, cidr!("10.0.2.0/24"), 1));
    let routes_a1 = consumer.add(
        "RoutesA1",
        RouteTable::builder().vpc(&vpc_a).subnets([&a1]).build(),
    );
    let routes_a2 = consumer.add(
        "RoutesA2",
        RouteTable::builder().vpc(&vpc_a).subnets([&a2]).build(),
    );

    let endpoint_sg = consumer.add(
        "EndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&vpc_a)
            .description("Interface endpoints: HTTPS from VPC A only")
            .ingress([Rule::new(HTTPS, Peer::ipv4(VPC_A_CIDR)).description("Pods in VPC A")])
            .build(),
    );
    let imported_service = consumer.import(&service_name);
    let custom = consumer.add(
        "ServiceEndpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc_a)
            .service(imported_service)
            .subnets([&a1, &a2])
            .security_groups([&endpoint_sg])
            .build(),
    );
    let s3 = consumer.add(
        "S3Gateway",
        GatewayEndpoint::builder()
            .vpc(&vpc_a)
            .service(services::S3)
            .route_tables([&routes_a1, &routes_a2])
            .build(),
    );
    let dynamodb = consumer.add(
        "DynamoDbGateway",
        GatewayEndpoint::builder()
            .vpc(&vpc_a)
            .service(services::DynamoDb)
            .route_tables([&routes_a1, &routes_a2])
            .build(),
    );
    let sqs = consumer.add(
        "SqsEndpoint",
        InterfaceEndpoint::builder()
            .vpc(&vpc_a)
            .service(services::Sqs) // private DNS on: the SDK's usual SQS hostname resolves here
            .subnets([&a1, &a2])
            .security_groups([&endpoint_sg])
            .build(),
    );
    // The EKS pods, and what they talk to: all of it must stay inside AWS.
    let pods = consumer.add("EksPods", Workload::builder().subnets([&a1, &a2]).build());
    consumer.output("VpcId", &vpc_a);
    consumer.output(
        "SubnetIds",
        Value::join(",", [a1.reference(), a2.reference()]),
    );
    consumer.output("ServiceEndpointId", &custom);
    consumer.output("S3GatewayId", &s3);
    consumer.output("DynamoDbGatewayId", &dynamodb);
    consumer.output("SqsEndpointId", &sqs);

    let mut app = App::new("privatelink");
    app.add_stack(provider);
    app.add_stack(consumer);
    app.flow(Flow::new(&pods, &service, HTTPS).gb_per_month(200.0));
    app.flow(Flow::new(&pods, services::S3, HTTPS).gb_per_month(500.0));
    app.flow(Flow::new(&pods, services::DynamoDb, HTTPS).gb_per_month(50.0));
    app.flow(Flow::new(&pods, services::Sqs, HTTPS).gb_per_month(20.0));
    app.require_private_traffic();
    app
}

/// A private subnet of any VPC, in the region's `az`-th availability zone.
fn private_subnet<V: VpcMarker>(vpc: &VpcRef<V>, cidr: Ipv4Cidr, az: u32) -> Subnet<V> {
    Subnet::builder()
        .vpc(vpc)
        .cidr(cidr)
        .availability_zone(Az::index(az))
        .build()
}

fn main() -> std::process::ExitCode {
    app().run()
}
