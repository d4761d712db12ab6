//! AWS services that endpoints reach, as types: which endpoint kinds each has is known to the
//! compiler.

use vpcform_cfn::Value;

/// An AWS service reachable from a VPC through an endpoint.
pub trait AwsService {
    /// The service's part of the endpoint service name, `com.amazonaws.<region>.<NAME>`.
    const NAME: &'static str;
    /// Whether its interface endpoints get private DNS by default: on for services that support
    /// it, so that the usual SDK hostnames resolve to the endpoint's private IPs.
    const PRIVATE_DNS: bool;
    /// Whether its interface endpoints can have private DNS at all.
    const PRIVATE_DNS_SUPPORTED: bool;

    /// The service's [`NAME`](AwsService::NAME).
    ///
    /// ```
    /// use vpcform_net::{AwsService, services::EcrApi};
    /// assert_eq!(EcrApi.name(), "ecr.api");
    /// ```
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// `{"Fn::Sub": "com.amazonaws.${AWS::Region}.<NAME>"}`.
    ///
    /// ```
    /// use vpcform_net::{AwsService, services::Sqs};
    /// assert_eq!(Sqs::service_name(), vpcform_net::Value::sub("com.amazonaws.${AWS::Region}.sqs"));
    /// ```
    fn service_name() -> Value {
        Value::sub(format!("com.amazonaws.${{AWS::Region}}.{}", Self::NAME))
    }
}

/// An AWS service with a gateway endpoint: S3 and DynamoDB only (<https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no gateway endpoint: only S3 and DynamoDB do",
    label = "not S3 or DynamoDB",
    note = "reach `{Self}` through an `InterfaceEndpoint` (AWS PrivateLink) instead"
)]
pub trait GatewayService: AwsService {}

/// An AWS service with interface endpoints (AWS PrivateLink).
pub trait InterfaceService: AwsService {}

/// A service whose interface endpoints can have private DNS: the service's usual hostname
/// resolves, inside the VPC, to the endpoint's private IPs.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no private DNS name: an interface endpoint to it cannot enable private DNS",
    label = "private DNS is not available for this service",
    note = "leave `private_dns` unset and use the endpoint's own DNS names (`dns_entries()`); an \
            endpoint service with a verified private DNS name is reached with \
            `ServiceName::with_private_dns_name`"
)]
pub trait PrivateDnsCapable {}

macro_rules! services {
    ($( $(#[$meta:meta])* $ty:ident = $name:literal, private_dns: $dns:ident ;)*) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $ty;
        impl AwsService for $ty {
            const NAME: &'static str = $name;
            const PRIVATE_DNS: bool = services!(@default $dns);
            const PRIVATE_DNS_SUPPORTED: bool = services!(@supported $dns);
        }
        impl InterfaceService for $ty {}
        services!(@capable $ty $dns);
    )*};
    (@default on) => { true };
    (@default off) => { false };
    (@default none) => { false };
    (@supported none) => { false };
    (@supported $other:ident) => { true };
    (@capable $ty:ident none) => {};
    (@capable $ty:ident $other:ident) => { impl PrivateDnsCapable for $ty {} };
}

services! {
    /// Amazon S3. Its interface endpoint's private DNS is off by default: with a gateway
    /// endpoint in the VPC, AWS requires `PrivateDnsOnlyForInboundResolverEndpoint` for it
    /// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-vpcendpoint-dnsoptionsspecification.html>);
    /// the free gateway endpoint is the usual path from inside the VPC.
    S3 = "s3", private_dns: off;
    /// Amazon DynamoDB. Its interface endpoint serves on-premises and peered networks, with
    /// endpoint-specific DNS names only (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/privatelink-interface-endpoints.html>);
    /// private DNS is off.
    DynamoDb = "dynamodb", private_dns: none;
    /// Amazon SQS.
    Sqs = "sqs", private_dns: on;
    /// Amazon SNS.
    Sns = "sns", private_dns: on;
    /// Amazon ECR's API (`ecr.api`).
    EcrApi = "ecr.api", private_dns: on;
    /// Amazon ECR's Docker registry (`ecr.dkr`).
    EcrDkr = "ecr.dkr", private_dns: on;
    /// AWS STS (EKS pods' IAM roles use it).
    Sts = "sts", private_dns: on;
    /// CloudWatch Logs.
    Logs = "logs", private_dns: on;
    /// CloudWatch metrics (`monitoring`).
    Monitoring = "monitoring", private_dns: on;
    /// AWS Secrets Manager.
    SecretsManager = "secretsmanager", private_dns: on;
    /// AWS Systems Manager.
    Ssm = "ssm", private_dns: on;
    /// AWS KMS.
    Kms = "kms", private_dns: on;
    /// Amazon EC2's API.
    Ec2 = "ec2", private_dns: on;
    /// Elastic Load Balancing's API.
    ElasticLoadBalancing = "elasticloadbalancing", private_dns: on;
    /// Amazon EKS's API.
    Eks = "eks", private_dns: on;
    /// AWS Lambda.
    Lambda = "lambda", private_dns: on;
}

// The only two services with gateway endpoints.
impl GatewayService for S3 {}
impl GatewayService for DynamoDb {}

/// An AWS service named at run time (from a configuration file, say), for interface
/// endpoints: `ByName::new("sqs")` reaches `com.amazonaws.<region>.sqs`.
///
/// The compiler cannot tell whether such a service has private DNS, so it accepts
/// `private_dns(true)`; synthesis then rejects it for services known to have none (DynamoDB).
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack S { vpc A } }
/// let mut stack = Stack::<S>::new("S");
/// let vpc = stack.add("A", Vpc::<A>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let sub = stack.add(
///     "Sub",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.0.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// for name in ["sqs", "sts"] {
///     stack.add(
///         &format!("{}Endpoint", name.to_uppercase()),
///         InterfaceEndpoint::builder().vpc(&vpc).service(services::ByName::new(name)).subnets([&sub]).build(),
///     );
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ByName(String);

impl ByName {
    /// A service by its endpoint name, such as `sqs` or `ecr.api`.
    ///
    /// ```
    /// let sqs = vpcform_net::services::ByName::new("sqs");
    /// assert_eq!(sqs.name(), "sqs");
    /// ```
    pub fn new(name: impl Into<String>) -> ByName {
        ByName(name.into())
    }

    /// The endpoint name.
    ///
    /// ```
    /// assert_eq!(vpcform_net::services::ByName::new("kms").name(), "kms");
    /// ```
    pub fn name(&self) -> &str {
        &self.0
    }

    /// `{"Fn::Sub": "com.amazonaws.${AWS::Region}.<name>"}`.
    pub(crate) fn service_name(&self) -> Value {
        Value::sub(format!("com.amazonaws.${{AWS::Region}}.{}", self.0))
    }

    /// Private DNS is unavailable for DynamoDB's interface endpoints.
    pub(crate) fn private_dns_supported(&self) -> bool {
        self.0 != DynamoDb::NAME
    }

    /// On by default where supported, except S3 (see [`S3`]).
    pub(crate) fn private_dns_default(&self) -> bool {
        self.private_dns_supported() && self.0 != S3::NAME
    }
}

impl PrivateDnsCapable for ByName {}
