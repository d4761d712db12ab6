//! A network baseline for every workload account of an organization: S3 and DynamoDB gateway
//! endpoints, and the interface endpoints Systems Manager, ECR, STS and CloudWatch Logs need,
//! rolled out as one StackSet to every account of two organizational units, in two regions.
//!
//! Each account's landing zone publishes its VPC, private subnets and private route table in
//! Systems Manager Parameter Store; the template reads them there (`AWS::SSM::Parameter::Value`
//! parameters), so one template serves every account. The sandbox unit's landing zone is older
//! and publishes its route table under another name: an override for that unit says so.
//!
//! The stack set lives in the organization's delegated administrator account, and AWS
//! Organizations deploys it (service-managed): accounts that join a unit get the baseline.
//! An override is set on the accounts a unit has at deploy time; an account that joins the
//! sandbox later starts with the set's values, until the next deploy gives it the override
//! (CloudFormation's UpdateStackInstances), so run the deploy when the organization changes.
//!
//! ```text
//! vpcform --app "cargo run -q --example endpoint_baseline --" deploy            # create or update, follow
//! vpcform --app "cargo run -q --example endpoint_baseline --" diff              # template and instances
//! vpcform --app "cargo run -q --example endpoint_baseline --" destroy --yes     # instances, then the set
//! ```

use vpcform::deployment::{
    Amount, OperationPreferences, PermissionModel, StackSet, StackSetTargets,
};
use vpcform::existing::{
    ExistingId, ExistingNetworkAcl, ExistingRouteTable, ExistingSubnet, ExistingVpc,
};
use vpcform::prelude::*;
use vpcform::security::AclEntry;
use vpcform::vpc::Ipv4Cidr;

/// The delegated administrator account, where the stack set lives.
const ADMINISTRATOR: &str = "111122223333";
/// The workload units: production and sandbox.
const PRODUCTION: &str = "ou-ab12-11111111";
const SANDBOX: &str = "ou-ab12-22222222";
/// The security tooling account sits in the production unit but keeps its own network.
const SECURITY_TOOLING: &str = "444455556666";

vpcform::topology! {
    /// The baseline, in each workload account's VPC.
    pub stack Baseline {
        /// The landing zone's VPC of each account (not created here).
        vpc WorkloadNetwork
    }
}

/// Every workload VPC follows the landing zone's address plan. Workload VPCs are not connected
/// to each other, so the plan repeats from account to account.
const WORKLOAD_CIDR: Ipv4Cidr = cidr!("10.100.0.0/16");

/// Builds the app.
pub fn app() -> App {
    let mut stack = Stack::<Baseline>::new("EndpointBaseline")
        .description("VPC endpoints baseline of every workload account")
        .account(ADMINISTRATOR)
        .region("us-east-1");
    let vpc = stack.add(
        "WorkloadVpc",
        ExistingVpc::<WorkloadNetwork>::builder()
            .id(ExistingId::ssm("/landing-zone/network/vpc-id"))
            .cidr(WORKLOAD_CIDR)
            .dns_support(true)
            .dns_hostnames(true)
            .build(),
    );
    let subnets: Vec<_> = [
        (
            "PrivateA",
            "10.100.1.0/24",
            0,
            "/landing-zone/network/private-subnet-a",
        ),
        (
            "PrivateB",
            "10.100.2.0/24",
            1,
            "/landing-zone/network/private-subnet-b",
        ),
    ]
    .into_iter()
    .map(|(id, cidr, zone, parameter)| {
        stack.add(
            id,
            ExistingSubnet::builder()
                .vpc(&vpc)
                .id(ExistingId::ssm(parameter))
                .cidr(cidr)
                .availability_zone(Az::index(zone))
                .build(),
        )
    })
    .collect();
    // The accounts' private subnets keep the default network ACL their VPC was created with:
    // stated, so that flows through it are judged, not UNKNOWN.
    let all = AclEntry::allow(100, Port::all_traffic(), cidr!("0.0.0.0/0"));
    stack.add(
        "PrivateAcl",
        ExistingNetworkAcl::builder()
            .vpc(&vpc)
            .serves(&subnets)
            .inbound([all.clone()])
            .outbound([all])
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
            .build(),
    );
    stack.add(
        "DynamoDbGateway",
        GatewayEndpoint::builder()
            .vpc(&vpc)
            .service(services::DynamoDb)
            .route_tables([&routes])
            .build(),
    );
    let https = stack.add(
        "EndpointSecurityGroup",
        SecurityGroup::builder()
            .vpc(&vpc)
            .description("Interface endpoints: HTTPS from the workload VPC")
            .ingress([Rule::new(Port::tcp(443), Peer::ipv4(WORKLOAD_CIDR))])
            .build(),
    );
    for (id, name) in [
        ("SsmEndpoint", "ssm"),
        ("SsmMessagesEndpoint", "ssmmessages"),
        ("Ec2MessagesEndpoint", "ec2messages"),
        ("EcrApiEndpoint", "ecr.api"),
        ("EcrDkrEndpoint", "ecr.dkr"),
        ("StsEndpoint", "sts"),
        ("LogsEndpoint", "logs"),
    ] {
        stack.add(
            id,
            InterfaceEndpoint::builder()
                .vpc(&vpc)
                .service(services::ByName::new(name))
                .subnets(&subnets)
                .security_groups([&https])
                .build(),
        );
    }
    let workloads = stack.add("Workloads", Workload::builder().subnets(&subnets).build());

    let fleet = StackSet::new(stack)
        .targets(
            StackSetTargets::organizational_units([PRODUCTION, SANDBOX])
                .except_accounts([SECURITY_TOOLING]),
        )
        .regions(["us-east-1", "eu-west-1"])
        .permission_model(
            PermissionModel::service_managed()
                .auto_deploy(true)
                .delegated_admin(),
        )
        // A quarter of a region's accounts at once, a tenth allowed to fail, both regions at
        // once: hundreds of accounts in minutes, and a bad change stops early.
        .preferences(
            OperationPreferences::default()
                .max_concurrent(Amount::Percentage(25))
                .failure_tolerance(Amount::Percentage(10))
                .soft_failure_tolerance()
                .parallel_regions(),
        )
        .override_for(
            StackSetTargets::organizational_units([SANDBOX]),
            ["us-east-1", "eu-west-1"],
            &routes,
            ExistingId::ssm("/landing-zone/sandbox/route-table-id"),
        );

    let mut app = App::new("endpoint-baseline");
    app.add_stack_set(fleet);
    for service in ["s3", "dynamodb", "ssm", "ecr.dkr", "sts", "logs"] {
        app.flow(Flow::new(
            &workloads,
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
