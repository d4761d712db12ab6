//! AWS services that endpoints reach, as types: which endpoint kinds each has is known to the
//! compiler.
//!
//! One unit type per service of the catalogue vendored in `catalogue/aws-services.json`
//! ([`CATALOGUE_SOURCE`], retrieved [`CATALOGUE_RETRIEVED`]): every AWS service with an
//! interface endpoint, and the gateway services. `cargo xtask catalogue` generates the types
//! from it, and merges a `describe-vpc-endpoint-services` dump into it when someone has one.
//!
//! ```
//! use vpcform_net::services;
//! use vpcform_net::services::AwsService;
//! assert_eq!(services::SsmMessages.name(), "ssmmessages");
//! assert_eq!(services::BedrockRuntime::INFO.service_name_in("eu-west-1"), "com.amazonaws.eu-west-1.bedrock-runtime");
//! assert_eq!(services::Sqs::INFO.service_name_in("cn-north-1"), "cn.com.amazonaws.cn-north-1.sqs");
//! ```

use vpcform_cfn::Value;

// Generated, long lines and all: `cargo xtask catalogue`.
#[rustfmt::skip]
mod catalogue;

pub use catalogue::*;

/// Where the vendored catalogue's facts come from.
pub const CATALOGUE_SOURCE: &str = catalogue::SOURCE;
/// When the vendored catalogue's facts were retrieved (ISO date).
pub const CATALOGUE_RETRIEVED: &str = catalogue::RETRIEVED;

/// The endpoint-service prefix of AWS services, `com.amazonaws`.
const DEFAULT_PREFIX: &str = "com.amazonaws";

/// Whether a service has a feature, as far as the catalogue's sources say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Support {
    /// A cited source says it does.
    Yes,
    /// A cited source says it does not.
    No,
    /// No source the catalogue was built from says.
    Unknown,
}

/// What the catalogue knows of one AWS endpoint service.
///
/// ```
/// use vpcform_net::services::{AwsService, Support, self};
/// let s3 = services::S3::INFO;
/// assert!(s3.has_gateway_endpoint() && s3.has_interface_endpoint());
/// assert_eq!(services::Sqs::INFO.endpoint_policy(), Support::Yes);
/// ```
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ServiceInfo {
    name: &'static str,
    prefix: &'static str,
    global: bool,
    title: &'static str,
    interface: bool,
    gateway: bool,
    private_dns: Support,
    private_dns_default: bool,
    ipv6: Support,
    gateway_ipv6: Support,
    endpoint_policy: Support,
    fips: bool,
    port: u16,
    cross_region: bool,
}

impl ServiceInfo {
    /// The service's part of the endpoint service name (`sqs`, `ecr.api`).
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert_eq!(services::EcrApi::INFO.name(), "ecr.api");
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The service name's prefix outside the regions with their own (`com.amazonaws`,
    /// `aws.api`, `aws.sagemaker`, …).
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert_eq!(services::SageMakerNotebook::INFO.prefix(), "aws.sagemaker");
    /// ```
    pub fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// A global service's name has no region (`com.amazonaws.iam`).
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert!(services::Iam::INFO.is_global());
    /// ```
    pub fn is_global(&self) -> bool {
        self.global
    }

    /// The AWS service's name in AWS's PrivateLink table (`Amazon Simple Queue Service`), or
    /// `""` where the table does not list it.
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert_eq!(services::Sqs::INFO.title(), "Amazon SQS");
    /// ```
    pub fn title(&self) -> &'static str {
        self.title
    }

    /// Whether the service has interface endpoints (AWS PrivateLink).
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert!(!services::S3Express::INFO.has_interface_endpoint());
    /// ```
    pub fn has_interface_endpoint(&self) -> bool {
        self.interface
    }

    /// Whether the service has gateway endpoints (S3, DynamoDB, S3 Express One Zone).
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert!(services::DynamoDb::INFO.has_gateway_endpoint());
    /// ```
    pub fn has_gateway_endpoint(&self) -> bool {
        self.gateway
    }

    /// Whether its interface endpoints can enable private DNS. vpcform treats
    /// [`Support::Unknown`] as yes, as CDK does for every AWS service; the catalogue records
    /// the services known to have none (DynamoDB).
    ///
    /// ```
    /// use vpcform_net::services::{AwsService, Support, self};
    /// assert_eq!(services::DynamoDb::INFO.private_dns(), Support::No);
    /// ```
    pub fn private_dns(&self) -> Support {
        self.private_dns
    }

    /// Whether vpcform enables private DNS on its interface endpoints by default: where it
    /// can, except S3 (see [`S3`]).
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert!(services::Sts::INFO.private_dns_default() && !services::S3::INFO.private_dns_default());
    /// ```
    pub fn private_dns_default(&self) -> bool {
        self.private_dns_default
    }

    /// Whether its interface endpoints accept IPv6 (`SupportedIpAddressTypes` has `ipv6`).
    ///
    /// ```
    /// use vpcform_net::services::{AwsService, Support, self};
    /// assert_eq!(services::Ec2::INFO.ipv6(), Support::No);
    /// ```
    pub fn ipv6(&self) -> Support {
        self.ipv6
    }

    /// Whether its gateway endpoints take `IpAddressType: dualstack` (S3 since 2025-11;
    /// DynamoDB's are IPv4 only).
    ///
    /// ```
    /// use vpcform_net::services::{AwsService, Support, self};
    /// assert_eq!(services::S3::INFO.gateway_ipv6(), Support::Yes);
    /// assert_eq!(services::DynamoDb::INFO.gateway_ipv6(), Support::No);
    /// ```
    pub fn gateway_ipv6(&self) -> Support {
        self.gateway_ipv6
    }

    /// Whether its endpoints accept an endpoint policy (`VpcEndpointPolicySupported`).
    ///
    /// ```
    /// use vpcform_net::services::{AwsService, Support, self};
    /// assert_eq!(services::AppStreamStreaming::INFO.endpoint_policy(), Support::No);
    /// ```
    pub fn endpoint_policy(&self) -> Support {
        self.endpoint_policy
    }

    /// Whether the name is a FIPS 140 endpoint of its service (`sqs-fips`).
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert!(services::SqsFips::INFO.is_fips());
    /// ```
    pub fn is_fips(&self) -> bool {
        self.fips
    }

    /// The port clients use (443, except Amazon Keyspaces' 9142).
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert_eq!(services::Cassandra::INFO.port(), 9142);
    /// ```
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether AWS lists it among the services an endpoint in another region can reach.
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert!(services::Kms::INFO.is_cross_region());
    /// ```
    pub fn is_cross_region(&self) -> bool {
        self.cross_region
    }

    /// The endpoint service name in `region`, with the region's own prefix where it has one
    /// (China's `cn.com.amazonaws` for some services, the ISO and European sovereign
    /// partitions' prefixes), as CDK's `InterfaceVpcEndpointAwsService` computes it.
    ///
    /// ```
    /// use vpcform_net::services;
    /// use vpcform_net::services::AwsService;
    /// assert_eq!(services::Transcribe::INFO.service_name_in("cn-north-1"), "cn.com.amazonaws.cn-north-1.transcribe.cn");
    /// assert_eq!(services::Iam::INFO.service_name_in("us-east-1"), "com.amazonaws.iam");
    /// ```
    pub fn service_name_in(&self, region: &str) -> String {
        let (prefix, suffix) = self.regional_prefix(region);
        if self.global {
            format!("{prefix}.{}{suffix}", self.name)
        } else {
            format!("{prefix}.{region}.{}{suffix}", self.name)
        }
    }

    /// The prefix and suffix of the name in `region`. A service listed with its own prefix
    /// keeps it everywhere; CDK applies the regional exceptions only to `com.amazonaws` names
    /// (aws-cdk `vpc-endpoint.ts`, `getDefaultEndpointPrefix`/`getDefaultEndpointSuffix`).
    fn regional_prefix(&self, region: &str) -> (&'static str, &'static str) {
        if self.prefix != DEFAULT_PREFIX {
            return (self.prefix, "");
        }
        REGIONAL_PREFIXES
            .iter()
            .find(|r| r.region == region && r.services.binary_search(&self.name).is_ok())
            .map(|r| {
                let suffix = if r.suffixed.contains(&self.name) {
                    r.suffix
                } else {
                    ""
                };
                (r.prefix, suffix)
            })
            .unwrap_or((self.prefix, ""))
    }

    /// The `ServiceName` to write in a template: the literal name when the stack's region is
    /// pinned; otherwise `Fn::Sub` over `${AWS::Region}` with the service's own prefix, which is
    /// right outside the regions with their own prefixes (pin the region to deploy there).
    pub(crate) fn service_name(&self, region: Option<&str>) -> Value {
        match region {
            Some(region) => Value::from(self.service_name_in(region)),
            None if self.global => Value::from(format!("{}.{}", self.prefix, self.name)),
            None => Value::sub(format!("{}.${{AWS::Region}}.{}", self.prefix, self.name)),
        }
    }
}

/// A region whose endpoint service names use their own prefix for some services.
struct RegionalPrefix {
    region: &'static str,
    prefix: &'static str,
    /// Sorted, for binary search.
    services: &'static [&'static str],
    suffixed: &'static [&'static str],
    suffix: &'static str,
}

/// Every service of the catalogue, sorted by name.
///
/// ```
/// let all = vpcform_net::services::all();
/// assert!(all.len() > 400);
/// assert!(all.windows(2).all(|w| w[0].name() < w[1].name()));
/// ```
pub fn all() -> &'static [&'static ServiceInfo] {
    catalogue::SERVICES
}

/// The catalogue's entry for an endpoint name (`ssmmessages`), if it lists one.
///
/// ```
/// let sts = vpcform_net::services::lookup("sts").map(|s| s.title());
/// assert_eq!(sts, Some("AWS Security Token Service"));
/// assert!(vpcform_net::services::lookup("stss").is_none());
/// ```
pub fn lookup(name: &str) -> Option<&'static ServiceInfo> {
    catalogue::SERVICES
        .binary_search_by(|s| s.name.cmp(name))
        .ok()
        .and_then(|i| catalogue::SERVICES.get(i).copied())
}

/// Every endpoint-service name prefix the catalogue knows: its services' own and the regional
/// ones (`cn.com.amazonaws`, …).
pub(crate) fn prefixes() -> impl Iterator<Item = &'static str> {
    // Gathered once: every interface endpoint's service name is checked against them, and
    // gathering them per check was a quarter of a large synthesis (BENCHMARKS.md, issue 24).
    static PREFIXES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut prefixes: Vec<&'static str> = catalogue::SERVICES
            .iter()
            .map(|s| s.prefix)
            .chain(REGIONAL_PREFIXES.iter().map(|r| r.prefix))
            .collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        prefixes
    });
    PREFIXES.iter().copied()
}

/// The catalogue's closest name to one it does not list: the same name in lower case, the
/// service part of a full endpoint service name (`com.amazonaws.us-east-1.sqs`), or the name
/// a few edits away.
pub(crate) fn suggest(name: &str) -> Option<&'static str> {
    suggest_among(name, |_| true)
}

/// As [`suggest`], among the services `keep` accepts only.
fn suggest_among(name: &str, keep: impl Fn(&ServiceInfo) -> bool) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let listed = |name: &str| lookup(name).filter(|info| keep(info));
    if let Some(info) = listed(&lower) {
        return Some(info.name);
    }
    // A full name: try every dotted tail (`sqs`, then `ecr.api` for `…ecr.api`).
    let parts: Vec<&str> = lower.split('.').collect();
    for start in 1..parts.len() {
        if let Some(info) = listed(&parts[start..].join(".")) {
            return Some(info.name);
        }
    }
    let limit = (lower.len() / 3).clamp(1, 3);
    catalogue::SERVICES
        .iter()
        .filter(|s| keep(s))
        .map(|s| (strsim::damerau_levenshtein(&lower, s.name), s.name))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, name)| name)
}

/// The names of the services with gateway endpoints, as an error lists them: `dynamodb, s3,
/// s3express`.
pub(crate) fn gateway_names() -> String {
    catalogue::SERVICES
        .iter()
        .filter(|s| s.gateway)
        .map(|s| s.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a [`GatewayByName`] is not a gateway service: the error synthesis reports, naming the
/// endpoint `construct`.
pub(crate) fn gateway_error(construct: String, name: &str) -> crate::SynthError {
    let suggestion = suggest_among(name, |s| s.gateway);
    match lookup(name) {
        Some(_) => crate::SynthError::NoGatewayEndpoint {
            construct,
            name: name.to_string(),
            known: gateway_names(),
            suggestion,
        },
        None => crate::SynthError::UnknownGatewayService {
            construct,
            name: name.to_string(),
            known: gateway_names(),
            suggestion,
            retrieved: CATALOGUE_RETRIEVED,
        },
    }
}

/// An AWS service reachable from a VPC through an endpoint.
pub trait AwsService {
    /// What the catalogue knows of it.
    const INFO: &'static ServiceInfo;
    /// The service's part of the endpoint service name, `com.amazonaws.<region>.<NAME>`.
    const NAME: &'static str = Self::INFO.name;
    /// Whether its interface endpoints get private DNS by default: on for services that support
    /// it (except S3), so that the usual SDK hostnames resolve to the endpoint's private IPs.
    const PRIVATE_DNS: bool = Self::INFO.private_dns_default;
    /// Whether its interface endpoints can have private DNS at all.
    const PRIVATE_DNS_SUPPORTED: bool =
        Self::INFO.interface && !matches!(Self::INFO.private_dns, Support::No);

    /// The service's [`NAME`](AwsService::NAME).
    ///
    /// ```
    /// use vpcform_net::services::{AwsService, EcrApi};
    /// assert_eq!(EcrApi.name(), "ecr.api");
    /// ```
    fn name(&self) -> &'static str {
        Self::NAME
    }

    /// The service name for a stack whose region is not pinned:
    /// `{"Fn::Sub": "<prefix>.${AWS::Region}.<NAME>"}` (a global service's name has no region).
    ///
    /// ```
    /// use vpcform_net::services::{AwsService, Sqs};
    /// assert_eq!(Sqs::service_name(), vpcform_net::Value::sub("com.amazonaws.${AWS::Region}.sqs"));
    /// ```
    fn service_name() -> Value {
        Self::INFO.service_name(None)
    }
}

/// An AWS service with a gateway endpoint: S3, DynamoDB and S3 Express One Zone
/// (<https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no gateway endpoint: only S3, DynamoDB and S3 Express do",
    label = "not S3, DynamoDB or S3 Express",
    note = "reach `{Self}` through an `InterfaceEndpoint` (AWS PrivateLink) instead"
)]
pub trait GatewayService: AwsService {}

/// What a gateway endpoint's `.service(..)` takes: a [`GatewayService`] type, known to be one
/// at compile time, or a [`GatewayByName`], checked at synthesis.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no gateway endpoint: only S3, DynamoDB and S3 Express do",
    label = "not S3, DynamoDB or S3 Express",
    note = "reach `{Self}` through an `InterfaceEndpoint` (AWS PrivateLink) instead"
)]
pub trait GatewayTarget {
    /// The catalogue's entry of the service, or the name given when the catalogue has no
    /// gateway service by that name.
    ///
    /// ```
    /// use vpcform_net::services::{self, GatewayTarget};
    /// assert_eq!(services::S3.gateway_service().map(|s| s.name()), Ok("s3"));
    /// assert_eq!(services::GatewayByName::new("sqs").gateway_service(), Err("sqs".to_string()));
    /// ```
    ///
    /// # Errors
    /// The name given, when it is not a gateway service's.
    fn gateway_service(&self) -> Result<&'static ServiceInfo, String>;
}

impl<T: GatewayService> GatewayTarget for T {
    fn gateway_service(&self) -> Result<&'static ServiceInfo, String> {
        Ok(T::INFO)
    }
}

/// A gateway service named at run time (from a configuration file, say): `s3`, `dynamodb` or
/// `s3express`, for a [`GatewayEndpoint`](crate::endpoints::GatewayEndpoint)'s `.service(..)`.
///
/// The types [`S3`], [`DynamoDb`] and [`S3Express`] are checked by the compiler; a name is
/// checked at synthesis: one the catalogue does not list, or a service without a gateway
/// endpoint (`sqs`), is an error naming the endpoint, the name, the gateway services and the
/// closest of them.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack S { vpc A } }
/// let mut stack = Stack::<S>::new("S");
/// let vpc = stack.add("A", Vpc::<A>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let routes = stack.add("Routes", RouteTable::builder().vpc(&vpc).build());
/// let config = ["s3", "dynamodb"]; // as a config file gives them
/// for name in config {
///     stack.add(
///         &format!("{}Gateway", name.to_uppercase()),
///         GatewayEndpoint::builder()
///             .vpc(&vpc)
///             .service(services::GatewayByName::new(name))
///             .route_tables([&routes])
///             .build(),
///     );
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GatewayByName {
    name: String,
}

impl GatewayByName {
    /// A gateway service by its endpoint name (`s3`, `dynamodb`, `s3express`), checked at
    /// synthesis.
    ///
    /// ```
    /// let s3 = vpcform_net::services::GatewayByName::new("s3");
    /// assert_eq!(s3.name(), "s3");
    /// ```
    pub fn new(name: impl Into<String>) -> GatewayByName {
        GatewayByName { name: name.into() }
    }

    /// The name as given.
    ///
    /// ```
    /// assert_eq!(vpcform_net::services::GatewayByName::new("dynamodb").name(), "dynamodb");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The catalogue's entry, when the name is a gateway service's.
    ///
    /// ```
    /// use vpcform_net::services::GatewayByName;
    /// assert!(GatewayByName::new("s3express").info().is_some());
    /// assert!(GatewayByName::new("sqs").info().is_none()); // an interface endpoint's only
    /// ```
    pub fn info(&self) -> Option<&'static ServiceInfo> {
        lookup(&self.name).filter(|info| info.gateway)
    }
}

impl GatewayTarget for GatewayByName {
    fn gateway_service(&self) -> Result<&'static ServiceInfo, String> {
        self.info().ok_or_else(|| self.name.clone())
    }
}

/// An AWS service with interface endpoints (AWS PrivateLink).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no interface endpoint",
    label = "a gateway-only service",
    note = "reach `{Self}` through a `GatewayEndpoint` instead"
)]
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

/// Declares the catalogue's services (used by the generated `catalogue.rs`): a unit type per
/// service with its [`ServiceInfo`], the endpoint-kind traits it has, and the sorted table.
macro_rules! services {
    ($( $(#[$meta:meta])* $ty:ident = $info:expr => [$($trait:ident),*]; )*) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
            pub struct $ty;
            impl $crate::services::AwsService for $ty {
                const INFO: &'static $crate::services::ServiceInfo = &$info;
            }
            $( impl $crate::services::$trait for $ty {} )*
        )*
        /// Every service, sorted by name.
        pub(crate) static SERVICES: &[&$crate::services::ServiceInfo] = &[
            $( <$ty as $crate::services::AwsService>::INFO, )*
        ];
    };
}
use services;

/// An AWS service as the model keeps it: its endpoint name and, unless it was given with
/// [`ByName::unlisted`] or misspelt, its catalogue entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AwsTarget {
    pub(crate) name: String,
    pub(crate) info: Option<&'static ServiceInfo>,
    /// Given with [`ByName::unlisted`]: not checked against the catalogue.
    pub(crate) unlisted: Option<Unlisted>,
}

/// What [`ByName::unlisted`] knows of a service the catalogue does not list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unlisted {
    prefix: String,
}

impl AwsTarget {
    pub(crate) fn of<T: AwsService>() -> AwsTarget {
        AwsTarget {
            name: T::NAME.to_string(),
            info: Some(T::INFO),
            unlisted: None,
        }
    }

    /// The `ServiceName` value in a stack of `region` (pinned, or `None`).
    pub(crate) fn service_name(&self, region: Option<&str>) -> Value {
        match (self.info, &self.unlisted, region) {
            (Some(info), _, _) => info.service_name(region),
            (None, Some(unlisted), Some(region)) => {
                Value::from(format!("{}.{region}.{}", unlisted.prefix, self.name))
            }
            (None, Some(unlisted), None) => Value::sub(format!(
                "{}.${{AWS::Region}}.{}",
                unlisted.prefix, self.name
            )),
            (None, None, _) => Value::sub(format!("com.amazonaws.${{AWS::Region}}.{}", self.name)),
        }
    }

    /// A name neither in the catalogue nor declared unlisted: a typo, most likely.
    pub(crate) fn unknown_error(&self, construct: String) -> Option<crate::SynthError> {
        (self.info.is_none() && self.unlisted.is_none()).then(|| {
            crate::SynthError::UnknownAwsService {
                construct,
                name: self.name.clone(),
                suggestion: suggest(&self.name),
                retrieved: CATALOGUE_RETRIEVED,
            }
        })
    }
}

/// An AWS service named at run time (from a configuration file, say), for interface
/// endpoints: `ByName::new("sqs")` reaches `com.amazonaws.<region>.sqs`.
///
/// Synthesis checks the name against the catalogue: a name it does not list is an error that
/// suggests the closest one. A service newer than the catalogue is declared with
/// [`ByName::unlisted`]. The compiler cannot tell whether such a service has private DNS, so it
/// accepts `private_dns(true)`; synthesis then rejects it for services known to have none
/// (DynamoDB).
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ByName(AwsTarget);

impl ByName {
    /// A service by its endpoint name, such as `sqs` or `ecr.api`, checked against the
    /// catalogue at synthesis.
    ///
    /// ```
    /// let sqs = vpcform_net::services::ByName::new("sqs");
    /// assert_eq!(sqs.name(), "sqs");
    /// assert!(sqs.info().is_some());
    /// ```
    pub fn new(name: impl Into<String>) -> ByName {
        let name = name.into();
        ByName(AwsTarget {
            info: lookup(&name),
            name,
            unlisted: None,
        })
    }

    /// A service the catalogue does not list (newer than [`CATALOGUE_RETRIEVED`]), named
    /// `com.amazonaws.<region>.<name>`; not checked. Private DNS is on by default, as for
    /// listed services.
    ///
    /// ```
    /// let new = vpcform_net::services::ByName::unlisted("brand-new-service");
    /// assert!(new.info().is_none());
    /// ```
    pub fn unlisted(name: impl Into<String>) -> ByName {
        ByName(AwsTarget {
            name: name.into(),
            info: None,
            unlisted: Some(Unlisted {
                prefix: DEFAULT_PREFIX.to_string(),
            }),
        })
    }

    /// For an [`unlisted`](ByName::unlisted) service whose name has another prefix
    /// (`aws.api`, say): `<prefix>.<region>.<name>`. Ignored for a listed service, whose prefix
    /// the catalogue knows.
    ///
    /// ```
    /// let svc = vpcform_net::services::ByName::unlisted("new-api").prefix("aws.api");
    /// ```
    pub fn prefix(mut self, prefix: impl Into<String>) -> ByName {
        if let Some(unlisted) = &mut self.0.unlisted {
            unlisted.prefix = prefix.into();
        }
        self
    }

    /// The endpoint name.
    ///
    /// ```
    /// assert_eq!(vpcform_net::services::ByName::new("kms").name(), "kms");
    /// ```
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The catalogue's entry, when it lists the name.
    ///
    /// ```
    /// assert!(vpcform_net::services::ByName::new("kmss").info().is_none());
    /// ```
    pub fn info(&self) -> Option<&'static ServiceInfo> {
        self.0.info
    }

    pub(crate) fn target(&self) -> &AwsTarget {
        &self.0
    }

    /// Private DNS is unavailable where the catalogue says so (DynamoDB's interface endpoints)
    /// and for gateway-only services.
    pub(crate) fn private_dns_supported(&self) -> bool {
        self.0
            .info
            .is_none_or(|i| i.interface && i.private_dns != Support::No)
    }

    /// On by default where supported, except S3 (see [`S3`]).
    pub(crate) fn private_dns_default(&self) -> bool {
        match self.0.info {
            Some(info) => info.private_dns_default,
            None => true,
        }
    }
}

impl PrivateDnsCapable for ByName {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name of the catalogue is a valid endpoint service name in every region with
    /// its own prefixes, and in an ordinary one.
    #[test]
    fn every_service_has_a_valid_name_in_every_partition() {
        let regions = ["us-east-1", "us-gov-west-1"]
            .into_iter()
            .chain(REGIONAL_PREFIXES.iter().map(|r| r.region));
        for region in regions {
            for info in all() {
                let name = info.service_name_in(region);
                assert!(
                    crate::constructs::interface_endpoint::valid_service_name(&name),
                    "{name}"
                );
            }
        }
    }

    /// The partition-correct names CDK's `getDefaultEndpointPrefix` gives, one per kind of
    /// exception, and the services each regional list names exist in the catalogue (or are
    /// the ISO partitions' own).
    #[test]
    fn regional_prefixes_apply_only_where_listed() {
        let cases = [
            (Sqs::INFO, "cn-north-1", "cn.com.amazonaws.cn-north-1.sqs"),
            (
                Transcribe::INFO,
                "cn-northwest-1",
                "cn.com.amazonaws.cn-northwest-1.transcribe.cn",
            ),
            (
                BedrockRuntime::INFO,
                "cn-north-1",
                "com.amazonaws.cn-north-1.bedrock-runtime",
            ),
            (Polly::INFO, "cn-north-1", "com.amazonaws.cn-north-1.polly"),
            (
                Polly::INFO,
                "cn-northwest-1",
                "cn.com.amazonaws.cn-northwest-1.polly",
            ),
            (
                EcrDkr::INFO,
                "eusc-de-east-1",
                "eu.amazonaws.eusc-de-east-1.ecr.dkr",
            ),
            (Sns::INFO, "us-iso-east-1", "gov.ic.c2s.us-iso-east-1.sns"),
            (
                Sqs::INFO,
                "us-isob-east-1",
                "gov.sgov.sc2s.us-isob-east-1.sqs",
            ),
            (
                Ebs::INFO,
                "us-isof-south-1",
                "gov.ic.hci.csp.us-isof-south-1.ebs",
            ),
            (
                ExecuteApi::INFO,
                "eu-isoe-west-1",
                "uk.adc-e.cloud.eu-isoe-west-1.execute-api",
            ),
            (
                Sqs::INFO,
                "us-gov-west-1",
                "com.amazonaws.us-gov-west-1.sqs",
            ),
            (
                QBusiness::INFO,
                "cn-north-1",
                "aws.api.cn-north-1.qbusiness",
            ),
            (
                CodeCatalyst::INFO,
                "eu-west-1",
                "aws.api.global.codecatalyst",
            ),
        ];
        for (info, region, expected) in cases {
            assert_eq!(info.service_name_in(region), expected);
        }
        for regional in REGIONAL_PREFIXES {
            assert!(regional.services.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn the_table_is_sorted_and_each_type_finds_its_entry() {
        assert!(all().windows(2).all(|w| w[0].name < w[1].name));
        assert_eq!(lookup("ssmmessages"), Some(SsmMessages::INFO));
        assert_eq!(lookup("s3"), Some(S3::INFO));
        assert_eq!(lookup("zzz"), None);
        assert_eq!(lookup(""), None);
    }

    #[test]
    fn gateway_names_suggest_gateway_services_only() {
        assert_eq!(gateway_names(), "dynamodb, s3, s3express");
        let gateway = |name| suggest_among(name, |s| s.gateway);
        assert_eq!(gateway("S3"), Some("s3"));
        assert_eq!(gateway("dynamo"), Some("dynamodb"));
        assert_eq!(gateway("s3-express"), Some("s3express"));
        assert_eq!(
            gateway("com.amazonaws.us-east-1.dynamodb"),
            Some("dynamodb")
        );
        // `sqs` is in the catalogue, but not a gateway service; nor is one close to it.
        assert_eq!(gateway("sqs"), None);
        assert!(GatewayByName::new("s3").info().is_some());
        assert!(
            GatewayByName::new("S3").info().is_none(),
            "names are exact, as ByName's"
        );
    }

    #[test]
    fn suggestions_for_case_full_names_and_typos() {
        assert_eq!(suggest("SQS"), Some("sqs"));
        assert_eq!(suggest("com.amazonaws.us-east-1.ecr.api"), Some("ecr.api"));
        assert_eq!(suggest("ssmmesages"), Some("ssmmessages"));
        assert_eq!(suggest("ecr-api"), Some("ecr.api"));
        assert_eq!(suggest("bedrock-runtim"), Some("bedrock-runtime"));
        assert_eq!(suggest("completely-unrelated-thing"), None);
    }

    #[test]
    fn service_names_for_unpinned_stacks() {
        assert_eq!(
            Sqs::INFO.service_name(None),
            Value::sub("com.amazonaws.${AWS::Region}.sqs")
        );
        assert_eq!(
            Iam::INFO.service_name(None),
            Value::from("com.amazonaws.iam")
        );
        assert_eq!(
            SageMakerNotebook::INFO.service_name(None),
            Value::sub("aws.sagemaker.${AWS::Region}.notebook")
        );
        let unlisted = ByName::unlisted("new").prefix("aws.api");
        assert_eq!(
            unlisted.target().service_name(Some("eu-west-1")),
            Value::from("aws.api.eu-west-1.new")
        );
    }

    #[test]
    fn kinds_become_traits_and_private_dns_follows_the_catalogue() {
        const fn interface<T: InterfaceService>() {}
        const fn gateway<T: GatewayService>() {}
        const fn dns<T: PrivateDnsCapable>() {}
        interface::<S3>();
        gateway::<S3>();
        gateway::<S3Express>();
        dns::<SsmMessages>();
        const { assert!(!S3Express::INFO.interface) };
        const { assert!(!DynamoDb::PRIVATE_DNS_SUPPORTED && !DynamoDb::PRIVATE_DNS) };
        const { assert!(S3::PRIVATE_DNS_SUPPORTED && !S3::PRIVATE_DNS) };
        const { assert!(Sts::PRIVATE_DNS) };
        assert!(!ByName::new("dynamodb").private_dns_supported());
        assert!(!ByName::new("s3").private_dns_default());
        assert!(ByName::new("sts").private_dns_default());
        assert!(ByName::unlisted("new").private_dns_supported());
    }
}
