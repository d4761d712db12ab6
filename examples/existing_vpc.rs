//! Endpoints added to a VPC that already exists — a landing zone's, created by another team:
//! the VPC and its two private subnets come in as template parameters (filled at deploy), the
//! private route table as a Systems Manager parameter the landing zone publishes. vpcform adds
//! an S3 gateway endpoint on that table and the interface endpoints Systems Manager Session
//! Manager and ECR need, with a security group of its own.
//!
//! ```text
//! vpcform --app "cargo run -q --example existing_vpc --" deploy \
//!     --parameters Endpoints:LandingVpc=vpc-0a1b2c3d4e5f60718 \
//!     --parameters Endpoints:PrivateA=subnet-0a1b2c3d4e5f60718 \
//!     --parameters Endpoints:PrivateB=subnet-0b1c2d3e4f5a60718
//! ```

use vpcform::Value;
use vpcform::existing::{
    ExistingId, ExistingNetworkAcl, ExistingRouteTable, ExistingSubnet, ExistingVpc,
};
use vpcform::policy::{Condition, EndpointPolicy, PolicyResource, Principal, Statement};
use vpcform::prelude::*;
use vpcform::security::AclEntry;
use vpcform::vpc::Ipv4Cidr;
use vpcform::vpc::{FlowLog, FlowLogDestination};

/// The landing zone's AWS Organizations ID.
const ORGANIZATION: &str = "o-a1b2c3d4e5";

vpcform::topology! {
    /// The endpoints, in the landing zone's VPC.
    pub stack Endpoints {
        /// The landing zone's VPC, 10.40.0.0/16 (not created here).
        vpc Landing
    }
}

const LANDING_CIDR: Ipv4Cidr = cidr!("10.40.0.0/16");

/// Builds the app.
pub fn app() -> App {
    let mut stack = Stack::<Endpoints>::new("Endpoints")
        .description("VPC endpoints added to the landing zone's existing VPC");
    // The facts vpcform checks against: the VPC's block and DNS attributes, each subnet's
    // block and zone, which subnets the route table serves.
    let vpc = stack.add(
        "LandingVpc",
        ExistingVpc::<Landing>::builder()
            .id(ExistingId::parameter())
            .cidr(LANDING_CIDR)
            .dns_support(true)
            .dns_hostnames(true)
            .build(),
    );
    // The VPC's traffic to CloudWatch Logs, a year, encrypted with the key the landing zone
    // publishes in Parameter Store (resolved at deploy). vpcform creates the log group and the
    // role flow logs deliver with, and asks for CAPABILITY_IAM.
    stack.add(
        "LandingFlowLog",
        FlowLog::builder()
            .resource(&vpc)
            .destination(
                FlowLogDestination::cloud_watch_logs()
                    .retention_days(365)
                    .kms_key("{{resolve:ssm:/landing-zone/network-log-key-arn}}"),
            )
            .build(),
    );
    let subnets: Vec<_> = [
        ("PrivateA", "10.40.1.0/24", "use1-az1"),
        ("PrivateB", "10.40.2.0/24", "use1-az2"),
    ]
    .into_iter()
    .map(|(id, cidr, zone)| {
        stack.add(
            id,
            ExistingSubnet::builder()
                .vpc(&vpc)
                .id(ExistingId::parameter())
                .cidr(cidr)
                .availability_zone(Az::id(zone))
                .build(),
        )
    })
    .collect();
    // The landing zone's network ACL on the private subnets, as it is: the VPC in, answers
    // from outside on ephemeral ports in, everything out. The analysis walks flows through it
    // both ways; left unstated, it would make them UNKNOWN.
    stack.add(
        "PrivateAcl",
        ExistingNetworkAcl::builder()
            .vpc(&vpc)
            .serves(&subnets)
            .inbound([
                AclEntry::allow(100, Port::all_traffic(), LANDING_CIDR),
                AclEntry::allow(110, Port::tcp_range(1024, 65535), cidr!("0.0.0.0/0")),
            ])
            .outbound([AclEntry::allow(
                100,
                Port::all_traffic(),
                cidr!("0.0.0.0/0"),
            )])
            .build(),
    );
    let routes = stack.add(
        "PrivateRoutes",
        ExistingRouteTable::builder()
            .vpc(&vpc)
            .id(ExistingId::ssm(
                "/landing-zone/network/private-route-table-id",
            ))
            .serves(&subnets)
            .build(),
    );

    stack.add(
        "S3Gateway",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::S3)
            .route_tables([&routes])
            // A data perimeter: the organization's principals reach the organization's
            // buckets, and ECR's image layers (AWS's bucket) for the ECR endpoints below.
            .policy(
                EndpointPolicy::new()
                    .statement(
                        Statement::allow()
                            .sid("OrganizationBuckets")
                            .principal(Principal::Any)
                            .actions(["s3:*"])
                            .resources([PolicyResource::any()])
                            .condition(Condition::principal_org_id(ORGANIZATION))
                            .condition(Condition::resource_org_id(ORGANIZATION)),
                    )
                    .statement(
                        Statement::allow()
                            .sid("EcrImageLayers")
                            .principal(Principal::Any)
                            .actions(["s3:GetObject"])
                            .resources([PolicyResource::arn(Value::sub(
                                "arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*",
                            ))]),
                    ),
            )
            .build(),
    );
    let https_from_vpc = stack.add(
        "EndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("Interface endpoints: HTTPS from the landing zone VPC")
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(LANDING_CIDR))])
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
    for name in [
        "ssm",
        "ssmmessages",
        "ec2messages",
        "ecr.api",
        "ecr.dkr",
        "logs",
    ] {
        let id = format!(
            "{}Endpoint",
            name.split('.')
                .map(|part| part[..1].to_uppercase() + &part[1..])
                .collect::<String>()
        );
        stack.add(&id, interface(services::ByName::new(name)));
    }
    let instances = stack.add("Instances", Workload::builder().subnets(&subnets).build());

    let mut app = App::new("existing-vpc");
    app.add_stack(stack);
    for service in ["ssm", "ssmmessages", "ecr.dkr", "s3"] {
        app.flow(Flow::new(
            &instances,
            services::ByName::new(service),
            Port::tcp(443),
        ));
    }
    app.require_private_traffic();
    app
}

#[allow(dead_code)]
fn main() -> std::process::ExitCode {
    app().run()
}
