//! Findings as data: every [`SynthError`] and [`SynthWarning`] variant's stable code, severity,
//! title and the AWS source it rests on, declared once in [`declare_codes!`]'s list below; and
//! the [`Finding`] built from either, rendered as rustc renders its own diagnostics.
//!
//! A variant's `#[error]` text is "message — help": the first ` — ` separates what is wrong
//! from the fix. A variant whose text has no fix declares its help here.

use std::fmt;

use serde::Serialize;

use crate::{SynthError, SynthWarning};

/// A finding's stable code: `VF` and four digits, grouped by area (VF01xx addresses, VF02xx
/// endpoints, VF03xx PrivateLink, VF04xx security groups and load balancers, VF05xx routes and
/// gateways, VF06xx transit gateways and peering, VF07xx hosted zones and Lattice, VF08xx
/// tags, logs and existing resources, VF09xx environments, stack sets, templates and IDs,
/// VF1xxx traffic and cost). A code, once given, is never reused for another rule.
///
/// ```
/// use vpcform_net::findings::Code;
/// assert_eq!(Code::VF0201.as_str(), "VF0201");
/// assert_eq!(Code::VF0201.info().title, "S3 interface endpoint with private DNS and no gateway endpoint");
/// assert!(Code::parse("VF0201").is_some());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(&'static str);

impl Code {
    /// The code as written, `VF0201`.
    ///
    /// ```
    /// assert_eq!(vpcform_net::findings::Code::VF0101.as_str(), "VF0101");
    /// ```
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The declared code of that spelling, if any.
    ///
    /// ```
    /// assert_eq!(vpcform_net::findings::Code::parse("VF0101"), Some(vpcform_net::findings::Code::VF0101));
    /// assert_eq!(vpcform_net::findings::Code::parse("VF9999"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Code> {
        CODES.iter().find(|c| c.code.0 == text).map(|c| c.code)
    }

    /// The code's declaration.
    ///
    /// ```
    /// use vpcform_net::findings::{Code, Severity};
    /// assert_eq!(Code::VF0208.info().severity, Severity::Warning);
    /// ```
    pub fn info(self) -> &'static CodeInfo {
        // Every `Code` value is one of the declared constants, so the search finds it; the
        // fallback keeps this total without a panic.
        CODES.iter().find(|c| c.code == self).unwrap_or(&CODES[0])
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// How serious a finding is: an error stops synthesis; a warning is printed and can be allowed.
///
/// ```
/// assert_eq!(vpcform_net::findings::Severity::Error.as_str(), "error");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Nothing is written while there is one.
    Error,
    /// Printed, not fatal (fatal with `--deny-warnings`).
    Warning,
}

impl Severity {
    /// `error` or `warning`, as rustc writes it.
    ///
    /// ```
    /// assert_eq!(vpcform_net::findings::Severity::Warning.as_str(), "warning");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What a rule rests on: an AWS document, or — for a rule of vpcform's own — why there is none.
///
/// ```
/// use vpcform_net::findings::{Code, RuleSource};
/// assert!(matches!(Code::VF0101.info().source, RuleSource::Aws(url) if url.starts_with("https://docs.aws.amazon.com/")));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSource {
    /// The AWS documentation page that states the rule.
    Aws(&'static str),
    /// No AWS document: the reason the rule exists anyway (a rule of vpcform's own).
    Vpcform(&'static str),
}

impl RuleSource {
    /// The documentation URL, if the rule rests on one.
    ///
    /// ```
    /// use vpcform_net::findings::RuleSource;
    /// assert_eq!(RuleSource::Vpcform("consistency").url(), None);
    /// ```
    pub fn url(self) -> Option<&'static str> {
        match self {
            RuleSource::Aws(url) => Some(url),
            RuleSource::Vpcform(_) => None,
        }
    }
}

/// One code's declaration: the row of the codes table.
///
/// ```
/// let first = &vpcform_net::findings::CODES[0];
/// assert_eq!(first.code.as_str(), "VF0101");
/// assert_eq!(first.variant, "InvalidCidr");
/// ```
#[derive(Debug)]
pub struct CodeInfo {
    /// The code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The `SynthError` or `SynthWarning` variant it names.
    pub variant: &'static str,
    /// A short title.
    pub title: &'static str,
    /// What the rule rests on.
    pub source: RuleSource,
    /// The help for a variant whose message states no fix.
    pub help: Option<&'static str>,
}

/// Where the user's program created a construct (from `#[track_caller]`).
///
/// ```
/// let here = vpcform_net::findings::SourceLocation::from(std::panic::Location::caller());
/// assert!(here.line > 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceLocation {
    /// The source file, as the compiler names it.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl From<&std::panic::Location<'_>> for SourceLocation {
    fn from(at: &std::panic::Location<'_>) -> SourceLocation {
        SourceLocation {
            file: at.file().to_string(),
            line: at.line(),
            column: at.column(),
        }
    }
}

/// One error or warning as data: what the command line renders, and `synth --format json`
/// and `--sarif` write.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::findings::Finding;
/// vpcform_net::topology! { stack Solo { vpc Main } }
///
/// let mut stack = Stack::<Solo>::new("Solo");
/// stack.add("Main", Vpc::<Main>::builder().cidr("10.0.0.0/8").build());
/// let mut app = App::new("demo");
/// app.add_stack(stack);
/// let errors = app.synth().unwrap_err();
/// let finding = app.locate(Finding::from(&errors.errors()[0]));
/// assert_eq!(finding.code.as_str(), "VF0102");
/// assert_eq!(finding.construct.as_deref(), Some("Solo/Main"));
/// assert!(finding.location.as_ref().is_some_and(|l| l.file.ends_with(".rs")));
/// assert!(finding.render().starts_with("error[VF0102]: Solo/Main: CIDR block 10.0.0.0/8"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The code's short title.
    pub title: &'static str,
    /// The construct path, `Stack/Id`, or the stack's name; `None` for the app or a flow.
    pub construct: Option<String>,
    /// What is wrong, with the offending value.
    pub message: String,
    /// The fix.
    pub help: Option<String>,
    /// The AWS documentation the rule rests on.
    pub source: Option<&'static str>,
    /// Where the program added the construct, when known.
    pub location: Option<SourceLocation>,
}

impl Finding {
    fn new(code: Code, severity: Severity, construct: Option<&str>, text: String) -> Finding {
        let info = code.info();
        let (message, help) = match text.split_once(" — ") {
            Some((message, help)) => (message.to_string(), Some(help.to_string())),
            None => (text, info.help.map(str::to_string)),
        };
        Finding {
            code,
            severity,
            title: info.title,
            construct: construct.map(str::to_string),
            message,
            help,
            source: info.source.url(),
            location: None,
        }
    }

    /// The same finding as an error (`--deny-warnings`).
    ///
    /// ```
    /// use vpcform_net::findings::{Finding, Severity, SynthWarning};
    /// let w = Finding::from(&SynthWarning::SingleAz { construct: "Net/Sts".into() });
    /// assert_eq!(w.denied().severity, Severity::Error);
    /// ```
    pub fn denied(mut self) -> Finding {
        self.severity = Severity::Error;
        self
    }

    /// The finding as rustc renders its own:
    ///
    /// ```text
    /// error[VF0102]: Solo/Main: CIDR block 10.0.0.0/8 has a /8 prefix; …
    ///   --> src/main.rs:12:5
    ///    = help: choose a prefix in that range
    ///    = note: AWS: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
    /// ```
    ///
    /// ```
    /// use vpcform_net::findings::{Finding, SynthWarning};
    /// let w = Finding::from(&SynthWarning::SingleAz { construct: "Net/Sts".into() });
    /// assert!(w.render().starts_with("warning[VF0208]: Net/Sts: the interface endpoint"));
    /// ```
    pub fn render(&self) -> String {
        let mut text = format!(
            "{}[{}]: {}\n",
            self.severity.as_str(),
            self.code,
            self.message
        );
        if let Some(at) = &self.location {
            text += &format!("  --> {}:{}:{}\n", at.file, at.line, at.column);
        }
        if let Some(help) = &self.help {
            text += &format!("   = help: {help}\n");
        }
        match (self.source, self.code.info().source) {
            (Some(url), _) => text += &format!("   = note: AWS: {url}\n"),
            (None, RuleSource::Vpcform(why)) => text += &format!("   = note: {why}\n"),
            (None, RuleSource::Aws(_)) => {}
        }
        text
    }
}

impl From<&SynthError> for Finding {
    fn from(error: &SynthError) -> Finding {
        Finding::new(
            error.code(),
            Severity::Error,
            error.construct(),
            error.to_string(),
        )
    }
}

impl From<&SynthWarning> for Finding {
    fn from(warning: &SynthWarning) -> Finding {
        Finding::new(
            warning.code(),
            Severity::Warning,
            warning.construct(),
            warning.to_string(),
        )
    }
}

/// The construct path of a field: `Stack/Id (a NAT gateway)` names `Stack/Id`.
fn path(field: &str) -> &str {
    field.split(" (").next().unwrap_or(field)
}

/// The declaration list: each variant once, with its code, the field naming its construct
/// (none for the app, a flow or a cycle), title, source and (where its text states no fix)
/// help. Generates [`Code`]'s constants, [`CODES`] and each enum's `code`, `construct`,
/// `message`, `help`, `source_url` and `severity`.
macro_rules! declare_codes {
    ($(
        $enum:ident $severity:ident {
            $( $variant:ident => $code:ident [$($field:ident)?] $title:literal, $source:expr, $help:expr; )*
        }
    )*) => {
        impl Code {
            $($(
                #[doc = concat!("`", stringify!($code), "`: ", $title, " (`", stringify!($enum), "::", stringify!($variant), "`).")]
                pub const $code: Code = Code(stringify!($code));
            )*)*
        }

        /// Every code, in the order declared: the source of the codes table
        /// (`docs/guide/codes.md`).
        ///
        /// ```
        /// assert!(vpcform_net::findings::CODES.len() > 90);
        /// ```
        pub const CODES: &[CodeInfo] = &[$($(
            CodeInfo {
                code: Code::$code,
                severity: Severity::$severity,
                variant: stringify!($variant),
                title: $title,
                source: $source,
                help: $help,
            },
        )*)*];

        $(
        impl $enum {
            /// The stable code of this finding.
            ///
            /// ```
            /// let w = vpcform_net::findings::SynthWarning::SingleAz { construct: "Net/Sts".into() };
            /// assert_eq!(w.code().as_str(), "VF0208");
            /// ```
            pub fn code(&self) -> Code {
                match self {
                    $( Self::$variant { .. } => Code::$code, )*
                }
            }

            /// The construct path (`Stack/Id`) or stack name the finding is about; `None` for
            /// the app, a flow or a cycle of stacks.
            ///
            /// ```
            /// let w = vpcform_net::findings::SynthWarning::SingleAz { construct: "Net/Sts".into() };
            /// assert_eq!(w.construct(), Some("Net/Sts"));
            /// ```
            pub fn construct(&self) -> Option<&str> {
                match self {
                    $( Self::$variant { $($field,)? .. } => {
                        <[&str]>::first(&[$(path($field.as_str()))?]).copied()
                    } )*
                }
            }

            /// Error or warning.
            ///
            /// ```
            /// let w = vpcform_net::findings::SynthWarning::SingleAz { construct: "Net/Sts".into() };
            /// assert_eq!(w.severity(), vpcform_net::findings::Severity::Warning);
            /// ```
            pub fn severity(&self) -> Severity {
                Severity::$severity
            }

            /// What is wrong, with the offending value: the text before the fix.
            ///
            /// ```
            /// let w = vpcform_net::findings::SynthWarning::AttachmentRoutesNothing { construct: "Net/Att".into() };
            /// assert!(w.message().ends_with("routes none of its traffic"));
            /// ```
            pub fn message(&self) -> String {
                Finding::from(self).message
            }

            /// The fix.
            ///
            /// ```
            /// let w = vpcform_net::findings::SynthWarning::AttachmentRoutesNothing { construct: "Net/Att".into() };
            /// assert_eq!(w.help().as_deref(), Some("give it .association(…)"));
            /// ```
            pub fn help(&self) -> Option<String> {
                Finding::from(self).help
            }

            /// The AWS documentation the rule rests on; `None` for a rule of vpcform's own.
            ///
            /// ```
            /// let w = vpcform_net::findings::SynthWarning::SingleAz { construct: "Net/Sts".into() };
            /// assert!(w.source_url().is_some());
            /// ```
            pub fn source_url(&self) -> Option<&'static str> {
                self.code().info().source.url()
            }
        }
        )*
    };
}

const CIDR: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html";
const SUBNETS: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html";
const IPV6: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/aws-ipv6-support.html";
const IPV6_SUBNET: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-subnetcidrblock.html";
const VPC_QUOTAS: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";
const AZS: &str =
    "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html";
const DNS_OPTIONS: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-vpcendpoint-dnsoptionsspecification.html";
const INTERFACE_ENDPOINT: &str =
    "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_ec2.CfnVPCEndpointProps.html";
const PRIVATE_DNS: &str = "https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-create-vpc-endpoint-request/private-dns-enabled.html";
const SERVICES: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html";
const ENDPOINT_POLICY: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html";
const GATEWAY_ENDPOINTS: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html";
const ENDPOINT_SERVICE: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html";
const ENDPOINT_SERVICE_OVERVIEW: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/endpoint-service-overview.html";
const SERVICE_PERMISSIONS: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/add-endpoint-service-permissions.html";
const SHARE_SERVICES: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html";
const PARTITIONS: &str =
    "https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html";
const NLB_SECURITY_GROUPS: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html";
const TARGET_GROUPS: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html";
const ROUTE_TABLES: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/route-tables.html";
const SUBNET_ROUTE_TABLES: &str =
    "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html";
const IGW_ATTACHMENT: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html#gatewayattachment";
const TGW_ATTACHMENTS: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html";
const TGW: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-transitgateway.html";
const RAM_SHARE: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ram-resourceshare.html";
const PEERING: &str = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html";
const PRIVATE_ZONES: &str = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html";
const CENTRAL_ENDPOINTS: &str = "https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-access-to-vpc-private-endpoints.html";
const RESOURCE_GATEWAY: &str =
    "https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-gateway.html";
const TAGS: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html";
const TAG_RESTRICTIONS: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions";
const NLB_ACCESS_LOGS: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html";
const VPC_DNS: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html";
const CFN_LIMITS: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html";
const CFN_TEMPLATE_ANATOMY: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html";
const IMPORT_VALUE: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html";
const STACK_EXPORTS: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html";
const STACK_SETS: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/what-is-cfnstacksets.html";
const ACCOUNT_ID: &str =
    "https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html";
const STACK_NAME: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html";
const PORTS: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html";

use RuleSource::{Aws, Vpcform};

const HANDLES: RuleSource = Vpcform(
    "a rule of vpcform's handles: a handle names a construct of one stack of one app, of its kind",
);
const TYPED_VPCS: RuleSource =
    Vpcform("a rule of vpcform's typed VPCs: a construct's handles name its own VPC");
const FLOWS: RuleSource =
    Vpcform("a rule of vpcform's traffic analysis: a flow names constructs of this app");
const CATALOGUE: RuleSource =
    Vpcform("vpcform's service catalogue (from AWS's DescribeVpcEndpointServices) lacks it");
const PER_PROPERTY: RuleSource = Vpcform(
    "one code for many properties, each with its own AWS rule: see the property's row in docs/aws-rules.md",
);
const FILES: RuleSource =
    Vpcform("vpcform names the files it writes after the app: the name must make a file name");

declare_codes! {
    SynthError Error {
        InvalidCidr => VF0101 [construct] "invalid IPv4 CIDR block", Aws(CIDR), Some("write the block as a.b.c.d/n with no host bits set");
        CidrPrefixOutOfRange => VF0102 [construct] "CIDR prefix outside /16 to /28", Aws(CIDR), None;
        SubnetOutsideVpc => VF0103 [construct] "subnet outside its VPC's block", Aws(SUBNETS), None;
        OverlappingSubnets => VF0104 [construct] "overlapping subnets", Aws(SUBNETS), None;
        InvalidIpv6Cidr => VF0105 [construct] "invalid IPv6 CIDR block", Aws(IPV6_SUBNET), Some("write the block as AWS does: canonical, with its prefix");
        Ipv6WithoutVpcBlock => VF0106 [construct] "IPv6 subnet in a VPC without IPv6", Aws(IPV6), None;
        SubnetWithoutIpv6 => VF0107 [construct] "IPv6 needed of a subnet without IPv6", Aws(IPV6), None;
        TooManySubnets => VF0108 [vpc] "more subnets than AWS's quota per VPC", Aws(VPC_QUOTAS), Some("split the subnets across VPCs, or request a quota increase first");
        SubnetsExceedVpc => VF0109 [vpc] "subnets need more addresses than the VPC has", Aws(SUBNETS), None;
        InvalidAz => VF0110 [construct] "availability zone not in the region", Aws(AZS), Some("choose one of the region's zones");
        InvalidAvailabilityZone => VF0111 [construct] "availability zone the region does not have", Aws(AZS), Some("choose one of the region's zones");
        DuplicateSubnetsInSameZone => VF0112 [construct] "two subnets in one availability zone", Aws(TGW_ATTACHMENTS), None;
        S3PrivateDnsWithoutGateway => VF0201 [construct] "S3 interface endpoint with private DNS and no gateway endpoint", Aws(DNS_OPTIONS), None;
        Ipv6OnlyEndpoint => VF0202 [construct] "IPv6-only endpoint", Aws(INTERFACE_ENDPOINT), None;
        ServiceWithoutIpv6 => VF0203 [construct] "IPv6 to a service without IPv6", Aws(SERVICES), None;
        DnsRecordIpTypeMismatch => VF0204 [construct] "DNS record IP type the endpoint cannot have", Aws(DNS_OPTIONS), None;
        EndpointPolicy => VF0205 [construct] "endpoint policy AWS refuses or that admits nothing", Aws(ENDPOINT_POLICY), Some("fix the policy as the problem says");
        EndpointPolicyUnsupported => VF0206 [construct] "endpoint policy on a service without policies", Aws(ENDPOINT_POLICY), None;
        UnknownAwsService => VF0207 [construct] "AWS service not in the catalogue", CATALOGUE, None;
        DnsOptionNotForService => VF0209 [construct] "S3-only DNS option on another service", Aws(DNS_OPTIONS), None;
        PrivateDnsConflict => VF0210 [construct] "private DNS for one service twice in a VPC", Aws(PRIVATE_DNS), None;
        PrivateDnsWithoutVpcDns => VF0211 [construct] "private DNS without the VPC's DNS attributes", Aws(PRIVATE_DNS), None;
        PrivateDnsUnsupported => VF0212 [construct] "private DNS for a service without a DNS name", Aws(PRIVATE_DNS), None;
        DuplicateGatewayRoute => VF0213 [construct] "one service through two gateway endpoints", Aws(GATEWAY_ENDPOINTS), None;
        InvalidServiceName => VF0301 [construct] "not an endpoint service name", Aws(ENDPOINT_SERVICE_OVERVIEW), None;
        EndpointServiceIpv6WithoutDualstack => VF0302 [construct] "IPv6 endpoint service behind an IPv4 load balancer", Aws(ENDPOINT_SERVICE), None;
        InvalidPrincipal => VF0303 [construct] "allowed principal that is not an IAM principal ARN", Aws(SERVICE_PERMISSIONS), None;
        EndpointAzNotServed => VF0304 [construct] "endpoint in a zone the service's load balancer is not in", Aws(ENDPOINT_SERVICE), None;
        RegionNotSupported => VF0305 [construct] "consumer region the endpoint service does not support", Aws(SHARE_SERVICES), None;
        ServiceRegionMissing => VF0306 [construct] "cross-region endpoint without service_region", Aws(SHARE_SERVICES), Some("set service_region on the endpoint");
        InvalidServiceRegion => VF0307 [construct] "service_region that is not a region code", Aws(SHARE_SERVICES), None;
        ServiceRegionInOtherPartition => VF0308 [construct] "service_region in another partition", Aws(PARTITIONS), None;
        ServiceNotCrossRegion => VF0309 [construct] "AWS service PrivateLink does not reach across regions", Aws(SERVICES), None;
        OpenIngress => VF0401 [construct] "ingress open to the internet", Aws(NLB_SECURITY_GROUPS), None;
        PortRangeReversed => VF0402 [construct] "reversed port range", Aws(PORTS), None;
        PortOutOfRange => VF0403 [construct] "port AWS does not accept", Aws(PORTS), None;
        DuplicateListener => VF0404 [construct] "two listeners on one port", Aws(TARGET_GROUPS), None;
        HealthCheckTimeoutNotBelowInterval => VF0405 [construct] "health check timeout not below its interval", Aws(TARGET_GROUPS), None;
        InvalidTarget => VF0406 [construct] "target the group's target type does not take", Aws(TARGET_GROUPS), Some("give a target of the group's target type");
        DuplicateRoute => VF0501 [construct] "two routes to one destination", Aws(ROUTE_TABLES), None;
        RouteInsideVpc => VF0502 [construct] "gateway route inside the VPC's block", Aws(SUBNET_ROUTE_TABLES), None;
        SecondInternetGateway => VF0503 [construct] "second internet gateway for a VPC", Aws(IGW_ATTACHMENT), None;
        NoInternetGateway => VF0504 [construct] "needs an internet gateway the VPC lacks", Aws(IGW_ATTACHMENT), None;
        SubnetAlreadyAssociated => VF0505 [construct] "subnet associated with two route tables", Aws(SUBNET_ROUTE_TABLES), None;
        DuplicateTransitGatewayAttachment => VF0601 [construct] "VPC attached twice to one transit gateway", Aws(TGW_ATTACHMENTS), None;
        ConnectedVpcsOverlap => VF0602 [construct] "connected VPCs with overlapping blocks", Aws(PEERING), None;
        InvalidSharePrincipal => VF0620 [construct] "RAM share principal in none of the forms RAM takes", Aws(RAM_SHARE), None;
        SharePrincipalInOtherPartition => VF0621 [construct] "RAM share principal of another partition", Aws(PARTITIONS), None;
        ZoneForNonAwsService => VF0701 [construct] "service zone for an endpoint that is not an AWS service's", Aws(CENTRAL_ENDPOINTS), None;
        CrossAccountZoneAssociation => VF0702 [construct] "private zone associated with another account's VPC", Aws(PRIVATE_ZONES), None;
        ZoneConflictsWithPrivateDns => VF0703 [construct] "service zone in a VPC that has private DNS for it", Aws(CENTRAL_ENDPOINTS), None;
        DuplicateServiceZone => VF0704 [construct] "two zones for one service in a VPC", Aws(PRIVATE_ZONES), None;
        TooManyTags => VF0801 [at] "more than 50 tags", Aws(TAG_RESTRICTIONS), None;
        InvalidTag => VF0802 [at] "tag AWS rejects", Aws(TAGS), Some("use a key and value within AWS's length and character rules, not starting with aws:");
        InvalidText => VF0803 [construct] "text outside AWS's length or character set", PER_PROPERTY, Some("shorten the text or use only the characters AWS accepts there");
        OutOfBounds => VF0804 [construct] "number outside AWS's bounds", PER_PROPERTY, Some("give a value within the bounds");
        Empty => VF0805 [construct] "required list is empty", Aws(INTERFACE_ENDPOINT), None;
        InvalidId => VF0901 [stack] "construct ID that is not a logical ID", Aws(CFN_TEMPLATE_ANATOMY), Some("use letters and digits only, at most 255 characters");
        GeneratedIdTooLong => VF0902 [construct] "generated logical ID over 255 characters", Aws(CFN_LIMITS), None;
        ValueOfAnotherStack => VF0903 [stack] "value of another stack written into a template", Aws(STACK_EXPORTS), None;
        DuplicateId => VF0904 [stack] "logical ID used twice", Aws(CFN_TEMPLATE_ANATOMY), None;
        DuplicateOutput => VF0905 [stack] "two outputs with one name", Aws(CFN_TEMPLATE_ANATOMY), None;
        InvalidOutputName => VF0906 [stack] "invalid output name", Aws(CFN_TEMPLATE_ANATOMY), Some("use letters and digits only, at most 255 characters");
        InvalidOverride => VF0907 [construct] "property override that cannot be applied", Vpcform("a rule of vpcform's overrides: the path must reach into the construct's rendered resource"), Some("override a construct of this stack that renders a resource, at a path into its properties");
        HandleNotInApp => VF0908 [construct] "handle of a stack not in this app", HANDLES, None;
        HandleKindMismatch => VF0909 [construct] "handle of another kind", HANDLES, None;
        ForeignHandle => VF0910 [construct] "handle of another stack", HANDLES, None;
        WrongVpc => VF0911 [construct] "handle of another VPC", TYPED_VPCS, Some("use a handle of the construct's own VPC");
        InvalidImport => VF0912 [stack] "import CloudFormation cannot resolve", Aws(IMPORT_VALUE), None;
        UnknownExport => VF0913 [stack] "import of an export not in this app", Aws(IMPORT_VALUE), None;
        StackCycle => VF0914 [] "stacks importing from each other in a cycle", Aws(STACK_EXPORTS), None;
        InvalidAppName => VF0915 [] "app name that cannot name files", FILES, Some("use letters, digits, `-`, `_` and `.`, not starting with `.`, at most 100 characters");
        InvalidStackName => VF0916 [name] "invalid stack name", Aws(STACK_NAME), Some("start with a letter; use only letters, digits and hyphens, at most 128 characters");
        DuplicateStackName => VF0917 [name] "two stacks with one name", Aws(STACK_NAME), None;
        InvalidStackSet => VF0918 [stack] "stack set setting StackSets refuses", Aws(STACK_SETS), None;
        InvalidEnvironment => VF0919 [stack] "account, role or profile that cannot be what it names", Aws(ACCOUNT_ID), None;
        InvalidRegion => VF0920 [stack] "region that is not a region code", Aws(AZS), None;
        TooManyResources => VF0921 [stack] "more than 500 resources in a stack", Aws(CFN_LIMITS), None;
        TooManyOutputs => VF0922 [stack] "more than 200 outputs in a stack", Aws(CFN_LIMITS), Some("drop outputs, or split the stack");
        TemplateTooLarge => VF0923 [stack] "template over 1 MB", Aws(CFN_LIMITS), None;
        Template => VF0924 [stack] "template the template model rejects", Aws(CFN_TEMPLATE_ANATOMY), Some("fix the construct or raw resource the error names");
        FlowNotInApp => VF1001 [] "flow of a construct not in this app", FLOWS, None;
        InvalidVolume => VF1002 [] "flow volume that is not a volume", FLOWS, None;
        TrafficNotPrivate => VF1003 [] "traffic that is not private", Aws(CENTRAL_ENDPOINTS), None;
        Prices => VF1101 [] "prices that cannot be read", Vpcform("the cost estimate's prices file is vpcform's own format"), Some("give a prices file of the shape of vpcform-net's prices/us-east-1.json");
    }
    SynthWarning Warning {
        Ipv6SupportUnknown => VF0214 [construct] "IPv6 support of the service unknown", CATALOGUE, Some("check the service's IPv6 support, or use IpAddressType::Ipv4");
        SingleAz => VF0208 [construct] "interface endpoint in one availability zone", Aws(INTERFACE_ENDPOINT), Some("give the endpoint a subnet in a second availability zone");
        DefaultSecurityGroup => VF0410 [construct] "endpoint with the VPC's default security group", Aws(ENDPOINT_POLICY), Some("give the endpoint a security group of its own");
        LoadBalancerWithoutSecurityGroups => VF0411 [construct] "load balancer without security groups", Aws(NLB_SECURITY_GROUPS), Some("give the load balancer a security group (it can only get one at creation)");
        AcceptanceOffWithoutPrincipals => VF0310 [construct] "endpoint service with no principal and no acceptance", Aws(SERVICE_PERMISSIONS), None;
        PublicEndpointService => VF0311 [construct] "endpoint service open to every account", Aws(SERVICE_PERMISSIONS), None;
        RouteReachesNoVpc => VF0510 [construct] "route that reaches no VPC of the app", Aws(ROUTE_TABLES), None;
        TransitGatewayAzNotAttached => VF0610 [construct] "subnet in a zone the attachment does not serve", Aws(TGW_ATTACHMENTS), None;
        AttachmentRoutesNothing => VF0611 [construct] "attachment associated with no route table", Aws(TGW), None;
        ResourceShareSharesNothing => VF0622 [construct] "RAM share with no resources or no principals", Aws(RAM_SHARE), None;
        LatticeZoneMismatch => VF0710 [construct] "service-network endpoint sharing no zone with a resource gateway", Aws(RESOURCE_GATEWAY), None;
        AccessLogsWithoutTls => VF0810 [construct] "NLB access logs without a TLS listener", Aws(NLB_ACCESS_LOGS), Some("add a TLS listener, or rely on flow logs");
        VpcDnsUnknown => VF0811 [construct] "existing VPC's DNS attributes not stated", Aws(VPC_DNS), None;
        RegionNotInTable => VF0930 [stack] "region not in vpcform's zone table", Aws(AZS), Some("check the region's zones yourself, or update vpcform");
        TemplateNeedsS3Upload => VF0931 [stack] "template over 51,200 bytes deploys through S3", Aws(CFN_LIMITS), None;
    }
}

/// The codes table, `docs/guide/codes.md`, as generated from [`CODES`].
#[cfg(test)]
fn codes_markdown() -> String {
    let mut rows: Vec<&CodeInfo> = CODES.iter().collect();
    rows.sort_by_key(|c| c.code);
    let mut text = String::from(
        "# Finding codes\n\n\
         <!-- Generated from `CODES` in crates/vpcform-net/src/finding.rs by its test \
         `the_codes_table_is_current`; regenerate with `VPCFORM_UPDATE_CODES=1 cargo test -p \
         vpcform-net the_codes_table`. -->\n\n\
         Every error and warning vpcform reports has a stable code. Warnings can be allowed per \
         stack (`stack.allow(Code::VF0208)`) or per construct (`stack.allow_for(&handle, \
         Code::VF0208)`); `--deny-warnings` makes them errors. The rules behind each are in \
         [What vpcform checks](checks.md).\n\n\
         | Code | Severity | Title | Variant | Rests on |\n|---|---|---|---|---|\n",
    );
    for c in rows {
        let source = match c.source {
            RuleSource::Aws(url) => format!("[AWS]({url})"),
            RuleSource::Vpcform(why) => format!("no AWS document: {why}"),
        };
        text += &format!(
            "| {} | {} | {} | `{}` | {} |\n",
            c.code,
            c.severity.as_str(),
            c.title,
            c.variant,
            source
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_unique_well_formed_and_in_its_severity() {
        let mut seen = std::collections::HashSet::new();
        for c in CODES {
            let code = c.code.as_str();
            assert!(seen.insert(code), "{code} is declared twice");
            assert!(
                code.len() == 6
                    && code.starts_with("VF")
                    && code[2..].chars().all(|d| d.is_ascii_digit()),
                "{code}"
            );
            assert!(!c.title.is_empty(), "{code}");
            assert_eq!(Code::parse(code), Some(c.code));
        }
        let variants: std::collections::HashSet<&str> = CODES.iter().map(|c| c.variant).collect();
        assert_eq!(variants.len(), CODES.len(), "a variant declared twice");
    }

    #[test]
    fn every_code_rests_on_an_aws_document_or_says_why_not() {
        for c in CODES {
            match c.source {
                RuleSource::Aws(url) => assert!(
                    url.starts_with("https://docs.aws.amazon.com/"),
                    "{}: {url}",
                    c.code
                ),
                RuleSource::Vpcform(why) => assert!(why.len() > 20, "{}: {why}", c.code),
            }
        }
    }

    /// The `#[error]` text of a variant, as written in error.rs.
    fn error_text(variant: &str) -> &'static str {
        let src = include_str!("error.rs");
        let at = [format!("\n    {variant} {{"), format!("\n    {variant}(")]
            .iter()
            .find_map(|p| src.find(p.as_str()))
            .unwrap_or_else(|| panic!("{variant} not in error.rs"));
        let attr = src[..at]
            .rfind("#[error(")
            .unwrap_or_else(|| panic!("{variant} has no #[error]"));
        &src[attr..at]
    }

    /// Every finding has a help: its text states the fix after ` — `, or the declaration gives
    /// it; and a declared help is never dead (the text has no fix of its own).
    #[test]
    fn every_code_has_exactly_one_help() {
        for c in CODES {
            let text = error_text(c.variant);
            let in_text = text.contains('—');
            assert!(
                in_text != c.help.is_some(),
                "{} ({}): {}",
                c.code,
                c.variant,
                if in_text {
                    "its text has a fix after ` — `: the declared help is never used"
                } else {
                    "its text has no ` — fix`: declare a help"
                }
            );
        }
    }

    #[test]
    fn message_and_help_are_split_at_the_fix_and_display_keeps_both() {
        let error = SynthError::SubnetOutsideVpc {
            construct: "Net/A".into(),
            subnet: "10.1.0.0/24".into(),
            vpc: "Net/Vpc".into(),
            vpc_cidr: "10.0.0.0/16".into(),
        };
        assert_eq!(error.code(), Code::VF0103);
        assert_eq!(error.construct(), Some("Net/A"));
        assert_eq!(
            error.message(),
            "Net/A: subnet CIDR 10.1.0.0/24 is outside its VPC Net/Vpc's CIDR 10.0.0.0/16"
        );
        assert_eq!(
            error.help().as_deref(),
            Some("choose a block inside 10.0.0.0/16")
        );
        assert_eq!(
            error.to_string(),
            format!("{} — {}", error.message(), error.help().unwrap_or_default())
        );
        // A construct with its kind names the construct's path.
        let error = SynthError::GeneratedIdTooLong {
            construct: "Net/Nat (a NAT gateway)".into(),
            id: "x".into(),
            length: 300,
            over: 45,
        };
        assert_eq!(error.construct(), Some("Net/Nat"));
    }

    /// One representative finding per area, rendered: the messages users read do not decay
    /// once tests compare codes.
    #[test]
    fn each_area_renders_as_rustc_does() {
        let at = SourceLocation {
            file: "src/main.rs".into(),
            line: 12,
            column: 5,
        };
        let errors = [
            SynthError::CidrPrefixOutOfRange {
                construct: "Net/Vpc".into(),
                cidr: "10.0.0.0/8".into(),
                prefix: 8,
            },
            SynthError::S3PrivateDnsWithoutGateway {
                construct: "Net/S3".into(),
                vpc: "Net/Vpc".into(),
            },
            SynthError::InvalidPrincipal {
                construct: "Provider/Service".into(),
                principal: "123456789012".into(),
            },
            SynthError::OpenIngress {
                construct: "Net/Sts".into(),
                group: "Net/EndpointSg".into(),
                peer: "0.0.0.0/0".into(),
                port: "TCP 443".into(),
            },
            SynthError::DuplicateRoute {
                construct: "Net/Default2".into(),
                route_table: "Net/Routes".into(),
                destination: "0.0.0.0/0".into(),
                other: "Net/Default".into(),
            },
            SynthError::ConnectedVpcsOverlap {
                construct: "Net/Attachment".into(),
                vpc: "Net/Spoke".into(),
                cidr: "10.0.0.0/16".into(),
                other: "Net/Hub".into(),
                other_cidr: "10.0.0.0/8".into(),
                fix: "give Net/Spoke a block that does not overlap".into(),
            },
            SynthError::DuplicateServiceZone {
                construct: "Hub/StsZoneSpoke".into(),
                vpc: "Spoke/Vpc".into(),
                other: "Hub/StsZone2".into(),
                service: "sts".into(),
            },
            SynthError::InvalidTag {
                at: "Net/Vpc".into(),
                key: "aws:owner".into(),
                reason: "keys starting with aws: are reserved".into(),
            },
            SynthError::DuplicateOutput {
                stack: "Net".into(),
                name: "VpcId".into(),
            },
            SynthError::TrafficNotPrivate {
                flow: "Net/Pods -> sts (443)".into(),
                path: "UNREACHABLE".into(),
                reason: "Net/EndpointSg does not admit Net/Vpc (10.30.0.0/16) on TCP 443".into(),
                fix: "admit 10.30.0.0/16 on TCP 443 in Net/EndpointSg".into(),
                also: vec![
                    "Net/Pods -> ssm (443)".into(),
                    "Net/Pods -> logs (443)".into(),
                ],
            },
        ];
        let warnings = [
            SynthWarning::SingleAz {
                construct: "Net/Sts".into(),
            },
            SynthWarning::TransitGatewayAzNotAttached {
                construct: "Net/ToHub".into(),
                subnet: "Net/C".into(),
                az: "us-east-1c".into(),
                attachment: "Net/Attachment".into(),
            },
        ];
        let findings = errors
            .iter()
            .map(Finding::from)
            .chain(warnings.iter().map(Finding::from));
        for mut finding in findings {
            finding.location = Some(at.clone());
            insta::assert_snapshot!(finding.code.as_str(), finding.render());
        }
    }

    /// `docs/guide/codes.md` is generated from [`CODES`]; a stale table fails (CI runs the
    /// tests), as `cargo xtask catalogue --check` does for the catalogue.
    #[test]
    fn the_codes_table_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/guide/codes.md");
        let want = codes_markdown();
        if std::env::var_os("VPCFORM_UPDATE_CODES").is_some() {
            std::fs::write(path, &want).expect("write docs/guide/codes.md");
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/guide/codes.md is stale: regenerate it with `VPCFORM_UPDATE_CODES=1 cargo test -p vpcform-net the_codes_table`"
        );
    }
}
