//! Findings as data: every [`SynthError`] and [`SynthWarning`] variant's stable code, severity,
//! title and the AWS source it rests on, declared once in [`declare_codes!`]'s list below; and
//! the [`Finding`] built from either, rendered as rustc renders its own diagnostics.
//!
//! Message and help are declared apart, in error.rs:
//!
//! - the variant's `#[error("…")]` text is the message only: what is wrong, with the offending
//!   value (no ` — `, no fix);
//! - its fix is the variant's arm in `SynthError::help` / `SynthWarning::help`, right after
//!   each enum, one arm per variant in the enum's order: an imperative sentence naming the
//!   construct or value to change.
//!
//! A variant still written the old way, `#[error("message — fix")]`, converts mechanically:
//! cut the text at its first ` — `; keep the part before it in `#[error]`; move the part after
//! it, with the fields it names, into a new arm at the variant's place in `help`
//! (`Self::Variant { field, .. } => format!("fix naming {field}"),`, or `"fix".into()` when
//! it names no field). If that part states a rule rather than a fix, keep the rule in the
//! message (joined with `; `) and write the fix as the help. A variant with no fix at all is
//! listed in `WITHOUT_HELP` (error.rs) with the reason, and its arm gives `None`. Then declare
//! the variant's code below and add its sample to `finding_samples.rs`; the tests
//! `no_message_states_a_fix`, `every_finding_has_a_help_or_a_reason_for_none` and
//! `every_code_renders_as_snapshotted` fail until both are done.

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
    /// What in the stack the finding is about when it is not a construct (`output <Name>`,
    /// `import <Export>`, `override <Id> <Path>`): the key [`App::locate`](crate::App::locate)
    /// looks up instead of the construct's.
    #[serde(skip)]
    pub(crate) site: Option<String>,
}

impl Finding {
    fn new(
        code: Code,
        severity: Severity,
        construct: Option<&str>,
        message: String,
        help: Option<String>,
        site: Option<String>,
    ) -> Finding {
        let info = code.info();
        Finding {
            code,
            severity,
            title: info.title,
            construct: construct.map(str::to_string),
            message,
            help,
            source: info.source.url(),
            location: None,
            site,
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
    ///    = help: choose a prefix from /16 to /28
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
            error.help(),
            error.site(),
        )
    }
}

impl SynthError {
    /// The stack's record of what the finding is about when that is an output, an import or an
    /// override rather than a construct: the key `StackDef::record` stored with the user's line.
    pub(crate) fn site(&self) -> Option<String> {
        match self {
            SynthError::DuplicateOutput { name, .. }
            | SynthError::InvalidOutputName { name, .. } => Some(format!("output {name}")),
            // `output <Name>`, or `<LogicalId>.<Property>`, found under the construct's ID.
            SynthError::ValueOfAnotherStack { location, .. } => Some(location.clone()),
            SynthError::InvalidImport { export, .. } | SynthError::UnknownExport { export, .. } => {
                Some(format!("import {export}"))
            }
            SynthError::InvalidOverride {
                construct, path, ..
            } => {
                let id = construct
                    .split_once('/')
                    .map_or(construct.as_str(), |(_, id)| id);
                Some(format!("override {id} {path}"))
            }
            _ => None,
        }
    }
}

impl From<&SynthWarning> for Finding {
    fn from(warning: &SynthWarning) -> Finding {
        Finding::new(
            warning.code(),
            Severity::Warning,
            warning.construct(),
            warning.to_string(),
            warning.help(),
            // Every warning is about a construct or a stack.
            None,
        )
    }
}

/// The construct path of a field: `Stack/Id (a NAT gateway)` names `Stack/Id`, and `stack Name`
/// (a tag finding's `at`) the stack `Name`.
fn path(field: &str) -> &str {
    let field = field.strip_prefix("stack ").unwrap_or(field);
    field.split(" (").next().unwrap_or(field)
}

/// The declaration list: each variant once, with its code, the field naming its construct
/// (none for the app, a flow or a cycle), title and source. Generates [`Code`]'s constants,
/// [`CODES`] and each enum's `code`, `construct`, `message`, `source_url` and `severity` (each
/// enum's `help` is declared beside it in error.rs).
macro_rules! declare_codes {
    ($(
        $enum:ident $severity:ident {
            $( $variant:ident => $code:ident [$($field:ident)?] $title:literal, $source:expr; )*
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

            /// What is wrong, with the offending value: the Display text (the fix is
            /// [`help`](Self::help)).
            ///
            /// ```
            /// let w = vpcform_net::findings::SynthWarning::AttachmentRoutesNothing { construct: "Net/Att".into() };
            /// assert!(w.message().ends_with("routes none of its traffic"));
            /// ```
            pub fn message(&self) -> String {
                self.to_string()
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
// Subnet blocks: inside the VPC's, not overlapping, /16 to /28 (the user guide's subnet-sizing
// page could not be confirmed; CreateSubnet states the rules, as aws-facts [1] cites it).
const SUBNETS: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html";
const IPV6: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/aws-ipv6-support.html";
const IPV6_SUBNET: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-subnetcidrblock.html";
const VPC_QUOTAS: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";
const AZS: &str =
    "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html";
const DNS_OPTIONS: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-vpcendpoint-dnsoptionsspecification.html";
const INTERFACE_ENDPOINT: &str =
    "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_ec2.CfnVPCEndpointProps.html";
// CreateVpcEndpoint's `PrivateDnsEnabled`: "To use a private hosted zone, you must set the
// following VPC attributes to true: enableDnsHostnames and enableDnsSupport" (aws-facts [5]
// quotes the same API text from an SDK's copy of the reference).
const PRIVATE_DNS: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html";
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
const NETWORK_ACLS: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html";
const CREATE_NACL_ENTRY: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html";
const ROUTE_TABLES: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/route-tables.html";
const SUBNET_ROUTE_TABLES: &str =
    "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-route-tables.html";
const IGW_ATTACHMENT: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html#gatewayattachment";
const TGW_ATTACHMENTS: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html";
// "AZ names map to different physical zones in different accounts, so align on AZ IDs"
// (aws-facts [17]).
const PRIVATELINK_AZS: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html";
const TGW_SHARING: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html";
const TGW_SHARE_CONSIDERATIONS: &str =
    "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html";
const TGW: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-transitgateway.html";
const RAM_SHARE: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ram-resourceshare.html";
const PEERING: &str = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html";
const PROFILES: &str = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profiles.html";
const PROFILE_ASSOCIATE: &str = "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53profiles_AssociateProfile.html";
const PROFILE_RESOURCES: &str = "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53profiles_AssociateResourceToProfile.html";
const PRIVATE_ZONES: &str = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html";
const CENTRAL_ENDPOINTS: &str = "https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-access-to-vpc-private-endpoints.html";
const RESOURCE_GATEWAY: &str =
    "https://docs.aws.amazon.com/vpc-lattice/latest/ug/resource-gateway.html";
const TAGS: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html";
const TAG_RESTRICTIONS: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions";
const NLB_ACCESS_LOGS: &str = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html";
const CFN_LIMITS: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html";
// "These names must be alphanumeric (A-Za-z0-9) and unique within the template": the logical
// IDs of resources and of outputs each have their section's page (template-anatomy states
// neither).
const RESOURCES_SECTION: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html";
const OUTPUTS_SECTION: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html";
const IMPORT_VALUE: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-importvalue.html";
const STACK_EXPORTS: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html";
// Accounts or DeploymentTargets by permission model, Regions, OperationPreferences and
// ParameterOverrides: the request vpcform's stack set checks follow.
const STACK_SETS: &str = "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html";
const ACCOUNT_ID: &str =
    "https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html";
const STACK_NAME: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html";
// Issue 24's refusals: the pages that state each rule or list its error code.
const CREATE_LISTENER: &str =
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html";
const AUTHORIZE_INGRESS: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html";
const PEERING_LIMITATIONS: &str = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html#vpc-peering-limitations";
const FLOW_LOGS: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html";
// Issue 25: transit gateway peering.
const TGW_PEERING: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html";
const TGW_QUOTAS: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html";
const TGW_PEERING_ATTACHMENT: &str = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TransitGatewayPeeringAttachment.html";
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
const TGW_ATTACHMENT_HANDLER: RuleSource = Vpcform(
    "CloudFormation's resource provider for AWS::EC2::TransitGatewayAttachment stabilizes its \
     create on AVAILABLE (aws-cloudformation-resource-providers-transitgateway, \
     aws-ec2-transitgatewayattachment workflow/create/Create.java), and an attachment of another \
     account stays pendingAcceptance until its gateway's owner accepts it (Transit Gateway \
     guide, \"Transit gateway attachments to a VPC\")",
);
const PLACEMENT: RuleSource = Vpcform(
    "a rule of vpcform's model: a stack without a pinned account or region is deployed wherever \
     the credentials point, so it cannot be known to match a pinned one",
);
const PER_PROPERTY: RuleSource = Vpcform(
    "one code for many properties, each with its own AWS rule: see the property's row in docs/aws-rules.md",
);
const DESCRIBE_AZS: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html";
const RESOURCE_IMPORT: &str =
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import.html";
const DESCRIBE_VPCS: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html";
const DESCRIBE_ENDPOINT_SERVICES: &str =
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpointServices.html";
const FILES: RuleSource =
    Vpcform("vpcform names the files it writes after the app: the name must make a file name");

declare_codes! {
    SynthError Error {
        InvalidCidr => VF0101 [construct] "invalid IPv4 CIDR block", Aws(CIDR);
        CidrPrefixOutOfRange => VF0102 [construct] "CIDR prefix outside /16 to /28", Aws(CIDR);
        SubnetOutsideVpc => VF0103 [construct] "subnet outside its VPC's block", Aws(SUBNETS);
        OverlappingSubnets => VF0104 [construct] "overlapping subnets", Aws(SUBNETS);
        InvalidIpv6Cidr => VF0105 [construct] "invalid IPv6 CIDR block", Aws(IPV6_SUBNET);
        Ipv6WithoutVpcBlock => VF0106 [construct] "IPv6 subnet in a VPC without IPv6", Aws(IPV6);
        SubnetWithoutIpv6 => VF0107 [construct] "IPv6 needed of a subnet without IPv6", Aws(IPV6);
        TooManySubnets => VF0108 [vpc] "more subnets than AWS's quota per VPC", Aws(VPC_QUOTAS);
        SubnetsExceedVpc => VF0109 [vpc] "subnets need more addresses than the VPC has", Aws(SUBNETS);
        InvalidAz => VF0110 [construct] "availability zone not in the region", Aws(AZS);
        InvalidAvailabilityZone => VF0111 [construct] "availability zone the region does not have", Aws(AZS);
        DuplicateSubnetsInSameZone => VF0112 [construct] "two subnets in one availability zone", Aws(TGW_ATTACHMENTS);
        S3PrivateDnsWithoutGateway => VF0201 [construct] "S3 interface endpoint with private DNS and no gateway endpoint", Aws(DNS_OPTIONS);
        Ipv6OnlyEndpoint => VF0202 [construct] "IPv6-only endpoint", Aws(INTERFACE_ENDPOINT);
        ServiceWithoutIpv6 => VF0203 [construct] "IPv6 to a service without IPv6", Aws(SERVICES);
        DnsRecordIpTypeMismatch => VF0204 [construct] "DNS record IP type the endpoint cannot have", Aws(DNS_OPTIONS);
        EndpointPolicy => VF0205 [construct] "endpoint policy AWS refuses or that admits nothing", Aws(ENDPOINT_POLICY);
        EndpointPolicyUnsupported => VF0206 [construct] "endpoint policy on a service without policies", Aws(ENDPOINT_POLICY);
        UnknownAwsService => VF0207 [construct] "AWS service not in the catalogue", CATALOGUE;
        UnknownGatewayService => VF0150 [construct] "gateway service name not in the catalogue", CATALOGUE;
        NoGatewayEndpoint => VF0151 [construct] "gateway endpoint for a service without one", Aws(GATEWAY_ENDPOINTS);
        DnsOptionNotForService => VF0209 [construct] "S3-only DNS option on another service", Aws(DNS_OPTIONS);
        PrivateDnsConflict => VF0210 [construct] "private DNS for one service twice in a VPC", Aws(PRIVATE_DNS);
        PrivateDnsWithoutVpcDns => VF0211 [construct] "private DNS without the VPC's DNS attributes", Aws(PRIVATE_DNS);
        PrivateDnsUnsupported => VF0212 [construct] "private DNS for a service without a DNS name", Aws(PRIVATE_DNS);
        DuplicateGatewayRoute => VF0213 [construct] "one service through two gateway endpoints", Aws(GATEWAY_ENDPOINTS);
        InvalidServiceName => VF0301 [construct] "not an endpoint service name", Aws(ENDPOINT_SERVICE_OVERVIEW);
        EndpointServiceIpv6WithoutDualstack => VF0302 [construct] "IPv6 endpoint service behind an IPv4 load balancer", Aws(ENDPOINT_SERVICE);
        InvalidPrincipal => VF0303 [construct] "allowed principal that is not an IAM principal ARN", Aws(SERVICE_PERMISSIONS);
        EndpointAzNotServed => VF0304 [construct] "endpoint in a zone the service's load balancer is not in", Aws(ENDPOINT_SERVICE);
        RegionNotSupported => VF0305 [construct] "consumer region the endpoint service does not support", Aws(SHARE_SERVICES);
        ServiceRegionMissing => VF0306 [construct] "cross-region endpoint without service_region", Aws(SHARE_SERVICES);
        InvalidServiceRegion => VF0307 [construct] "service_region that is not a region code", Aws(SHARE_SERVICES);
        ServiceRegionInOtherPartition => VF0308 [construct] "service_region in another partition", Aws(PARTITIONS);
        ServiceNotCrossRegion => VF0309 [construct] "AWS service PrivateLink does not reach across regions", Aws(SERVICES);
        OpenIngress => VF0401 [construct] "ingress open to the internet", Aws(NLB_SECURITY_GROUPS);
        PortRangeReversed => VF0402 [construct] "reversed port range", Aws(PORTS);
        PortOutOfRange => VF0403 [construct] "port AWS does not accept", Aws(PORTS);
        DuplicateListener => VF0404 [construct] "two listeners on one port", Aws(TARGET_GROUPS);
        HealthCheckTimeoutNotBelowInterval => VF0405 [construct] "health check timeout not below its interval", Aws(TARGET_GROUPS);
        InvalidTarget => VF0406 [construct] "target the group's target type does not take", Aws(TARGET_GROUPS);
        DuplicateRoute => VF0501 [construct] "two routes to one destination", Aws(ROUTE_TABLES);
        RouteInsideVpc => VF0502 [construct] "gateway route inside the VPC's block", Aws(SUBNET_ROUTE_TABLES);
        SecondInternetGateway => VF0503 [construct] "second internet gateway for a VPC", Aws(IGW_ATTACHMENT);
        NoInternetGateway => VF0504 [construct] "needs an internet gateway the VPC lacks", Aws(IGW_ATTACHMENT);
        SubnetAlreadyAssociated => VF0505 [construct] "subnet associated with two route tables", Aws(SUBNET_ROUTE_TABLES);
        AzAcrossAccounts => VF0140 [construct] "availability zones compared across accounts by name or index", Aws(PRIVATELINK_AZS);
        DuplicateTransitGatewayAttachment => VF0601 [construct] "VPC attached twice to one transit gateway", Aws(TGW_ATTACHMENTS);
        TransitGatewayInOtherRegion => VF0633 [construct] "attachment to a transit gateway of another region", Aws(TGW_ATTACHMENTS);
        TransitGatewayNotShared => VF0634 [construct] "attachment to a transit gateway of another account not shared with it", Aws(TGW_SHARING);
        PlacementUnknown => VF0950 [construct] "account or region compared with one that is not pinned", PLACEMENT;
        ConnectedVpcsOverlap => VF0602 [construct] "connected VPCs with overlapping blocks", Aws(PEERING);
        InvalidSharePrincipal => VF0620 [construct] "RAM share principal in none of the forms RAM takes", Aws(RAM_SHARE);
        SharePrincipalInOtherPartition => VF0621 [construct] "RAM share principal of another partition", Aws(PARTITIONS);
        InvalidSharedResourceArn => VF0623 [construct] "RAM share resource ARN not a Resolver rule of its Region", Aws(RAM_SHARE);
        ZoneForNonAwsService => VF0701 [construct] "service zone for an endpoint that is not an AWS service's", Aws(CENTRAL_ENDPOINTS);
        CrossAccountZoneAssociation => VF0702 [construct] "private zone associated with another account's VPC", Aws(PRIVATE_ZONES);
        ZoneConflictsWithPrivateDns => VF0703 [construct] "service zone in a VPC that has private DNS for it", Aws(CENTRAL_ENDPOINTS);
        DuplicateServiceZone => VF0704 [construct] "two zones for one service in a VPC", Aws(PRIVATE_ZONES);
        SecondProfileForVpc => VF0730 [construct] "second Route 53 Profile for a VPC", Aws(PROFILE_ASSOCIATE);
        ProfileInOtherRegion => VF0731 [construct] "VPC associated with a Route 53 Profile of another region", Aws(PROFILES);
        ProfileNotShared => VF0732 [construct] "Route 53 Profile of another account not shared with the VPC's", Aws(RAM_SHARE);
        InvalidProfileResourceArn => VF0733 [construct] "resource ARN a Route 53 Profile cannot hold", Aws(PROFILE_RESOURCES);
        ProfileResourceInOtherRegion => VF0734 [construct] "Route 53 Profile resource of another region", Aws(PROFILES);
        DuplicateProfileResource => VF0735 [construct] "resource held twice by a Route 53 Profile", Aws(PROFILE_RESOURCES);
        TooManyTags => VF0801 [at] "more than 50 tags", Aws(TAG_RESTRICTIONS);
        InvalidTag => VF0802 [at] "tag AWS rejects", Aws(TAGS);
        InvalidText => VF0803 [construct] "text outside AWS's length or character set", PER_PROPERTY;
        OutOfBounds => VF0804 [construct] "number outside AWS's bounds", PER_PROPERTY;
        Empty => VF0805 [construct] "required list is empty", Aws(INTERFACE_ENDPOINT);
        InvalidId => VF0901 [stack] "construct ID that is not a logical ID", Aws(RESOURCES_SECTION);
        GeneratedIdTooLong => VF0902 [construct] "generated logical ID over 255 characters", Aws(CFN_LIMITS);
        ValueOfAnotherStack => VF0903 [stack] "value of another stack written into a template", Aws(STACK_EXPORTS);
        DuplicateId => VF0904 [stack] "logical ID used twice", Aws(RESOURCES_SECTION);
        DuplicateOutput => VF0905 [stack] "two outputs with one name", Aws(OUTPUTS_SECTION);
        InvalidOutputName => VF0906 [stack] "invalid output name", Aws(OUTPUTS_SECTION);
        InvalidOverride => VF0907 [construct] "property override that cannot be applied", Vpcform("a rule of vpcform's overrides: the path must reach into the construct's rendered resource");
        HandleNotInApp => VF0908 [construct] "handle of a stack not in this app", HANDLES;
        HandleKindMismatch => VF0909 [construct] "handle of another kind", HANDLES;
        ForeignHandle => VF0910 [construct] "handle of another stack", HANDLES;
        WrongVpc => VF0911 [construct] "handle of another VPC", TYPED_VPCS;
        InvalidImport => VF0912 [stack] "import CloudFormation cannot resolve", Aws(IMPORT_VALUE);
        UnknownExport => VF0913 [stack] "import of an export not in this app", Aws(IMPORT_VALUE);
        StackCycle => VF0914 [] "stacks importing from each other in a cycle", Aws(STACK_EXPORTS);
        InvalidAppName => VF0915 [] "app name that cannot name files", FILES;
        InvalidStackName => VF0916 [name] "invalid stack name", Aws(STACK_NAME);
        DuplicateStackName => VF0917 [name] "two stacks with one name", Aws(STACK_NAME);
        InvalidStackSet => VF0918 [stack] "stack set setting StackSets refuses", Aws(STACK_SETS);
        InvalidEnvironment => VF0919 [stack] "account, role or profile that cannot be what it names", Aws(ACCOUNT_ID);
        InvalidRegion => VF0920 [stack] "region that is not a region code", Aws(AZS);
        TooManyResources => VF0921 [stack] "more than 500 resources in a stack", Aws(CFN_LIMITS);
        TooManyOutputs => VF0922 [stack] "more than 200 outputs in a stack", Aws(CFN_LIMITS);
        TemplateTooLarge => VF0923 [stack] "template over 1 MB", Aws(CFN_LIMITS);
        Template => VF0924 [stack] "template the template model rejects", Aws(RESOURCES_SECTION);
        // Issue 24: refusals AWS gives that synthesis let through.
        LoadBalancerInTwoEndpointServices => VF0320 [construct] "load balancer of two endpoint services", Aws(ENDPOINT_SERVICE);
        TargetGroupOfTwoLoadBalancers => VF0420 [construct] "target group behind two load balancers", Aws(CREATE_LISTENER);
        DuplicatePermission => VF0421 [construct] "same security group permission twice", Aws(AUTHORIZE_INGRESS);
        DuplicatePeering => VF0630 [construct] "two peering connections between two VPCs", Aws(PEERING_LIMITATIONS);
        // Issue 25: transit gateway peering.
        TransitGatewayPeeredWithItself => VF0640 [construct] "transit gateway peered with itself", Aws(TGW_PEERING);
        DuplicateTransitGatewayPeering => VF0641 [construct] "two peering attachments between two transit gateways", Aws(TGW_QUOTAS);
        PeeringNotYetAccepted => VF0642 [construct] "route or association to a peering attachment of the same stack", Aws(TGW_PEERING);
        PeeringAccepterIdNeeded => VF0643 [construct] "accepter's route or association naming the requester's attachment ID", Aws(TGW_PEERING_ATTACHMENT);
        AcceptedPeeringWithoutStep => VF0647 [construct] "accepter's attachment ID from a step the app does not have", Aws(TGW_PEERING);
        SharedTransitGatewayRouteTable => VF0644 [construct] "attachment of another account naming its transit gateway's route table", Aws(TGW_SHARE_CONSIDERATIONS);
        DuplicateFlowLog => VF0820 [construct] "two flow logs of one resource, traffic type and destination", Aws(FLOW_LOGS);
        AclRuleNumberOutOfRange => VF0430 [construct] "network ACL rule number outside 1-32766", Aws(CREATE_NACL_ENTRY);
        AclRuleNumberTaken => VF0431 [construct] "two network ACL rules with one number", Aws(CREATE_NACL_ENTRY);
        NetworkAclAlreadyAssociated => VF0432 [construct] "subnet associated with two network ACLs", Aws(NETWORK_ACLS);
        ExistingAclOfCreatedSubnet => VF0433 [construct] "existing network ACL stated for a created subnet", Aws(NETWORK_ACLS);
        ArnInOtherPartition => VF0940 [construct] "ARN of another partition than the stack's", Aws(PARTITIONS);
        FlowNotInApp => VF1001 [] "flow of a construct not in this app", FLOWS;
        InvalidVolume => VF1002 [] "flow volume that is not a volume", FLOWS;
        TrafficNotPrivate => VF1003 [] "traffic that is not private", Aws(CENTRAL_ENDPOINTS);
        Prices => VF1101 [] "prices that cannot be read", Vpcform("the cost estimate's prices file is vpcform's own format");
        // Issue 26, lookups.
        ContextUnreadable => VF0160 [] "context file that cannot be read", Vpcform("vpcform.context.json is vpcform's own file, as CDK's cdk.context.json");
        LookupWithoutEnvironment => VF0161 [stack] "lookup in a stack without a pinned account and region", Vpcform("a lookup is answered in one account and Region: without them it would depend on the credentials");
        LookupNotFound => VF0162 [construct] "lookup the account answered with not found", Aws(DESCRIBE_VPCS);
        ZoneNotOffered => VF0163 [construct] "interface endpoint subnet in a zone its service is not offered in", Aws(DESCRIBE_ENDPOINT_SERVICES);
        StatedFactDisagrees => VF0164 [construct] "stated fact of an existing VPC or subnet the lookup contradicts", Aws(DESCRIBE_VPCS);
        AzNotInMap => VF0166 [construct] "subnet zone not among the account's looked-up zones", Aws(DESCRIBE_AZS);
        LookupNameUnknown => VF0165 [construct] "endpoint service lookup of a name not known at synthesis", Vpcform("a lookup asks the account about a name; a reference or an import has none until deploy");
        ImportIdConflict => VF0167 [construct] "existing resource imported as two constructs, or a construct as two", Aws(RESOURCE_IMPORT);
        // Issue 24, quotas.
        QuotaExceeded => VF1201 [construct] "construct over an AWS quota", Aws(VPC_QUOTAS);
        QuotaProductTooLarge => VF1202 [stack] "declared quotas over 1,000 rules × groups", Aws(VPC_QUOTAS);
    }
    SynthWarning Warning {
        Ipv6SupportUnknown => VF0214 [construct] "IPv6 support of the service unknown", CATALOGUE;
        MixedAzForms => VF0141 [construct] "subnets giving their zones in different forms", Aws(PRIVATELINK_AZS);
        SingleAz => VF0208 [construct] "interface endpoint in one availability zone", Aws(INTERFACE_ENDPOINT);
        DefaultSecurityGroup => VF0410 [construct] "endpoint with the VPC's default security group", Aws(ENDPOINT_POLICY);
        LoadBalancerWithoutSecurityGroups => VF0411 [construct] "load balancer without security groups", Aws(NLB_SECURITY_GROUPS);
        AcceptanceOffWithoutPrincipals => VF0310 [construct] "endpoint service with no principal and no acceptance", Aws(SERVICE_PERMISSIONS);
        PublicEndpointService => VF0311 [construct] "endpoint service open to every account", Aws(SERVICE_PERMISSIONS);
        RouteReachesNoVpc => VF0510 [construct] "route that reaches no VPC of the app", Aws(ROUTE_TABLES);
        TransitGatewayAzNotAttached => VF0610 [construct] "subnet in a zone the attachment does not serve", Aws(TGW_ATTACHMENTS);
        AttachmentRoutesNothing => VF0611 [construct] "attachment associated with no route table", Aws(TGW);
        ResourceShareSharesNothing => VF0622 [construct] "RAM share with no resources or no principals", Aws(RAM_SHARE);
        AttachmentWaitsForAcceptance => VF0648 [construct] "attachment of another account that CloudFormation waits to see accepted", TGW_ATTACHMENT_HANDLER;
        LatticeZoneMismatch => VF0710 [construct] "service-network endpoint sharing no zone with a resource gateway", Aws(RESOURCE_GATEWAY);
        AccessLogsWithoutTls => VF0810 [construct] "NLB access logs without a TLS listener", Aws(NLB_ACCESS_LOGS);
        VpcDnsUnknown => VF0811 [construct] "existing VPC's DNS attributes not stated", Aws(PRIVATE_DNS);
        RegionNotInTable => VF0930 [stack] "region not in vpcform's zone table", Aws(AZS);
        TemplateNeedsS3Upload => VF0931 [stack] "template over 51,200 bytes deploys through S3", Aws(CFN_LIMITS);
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
mod samples;

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

    /// Every declared code's sample finding (finding/samples.rs), in code order; fails naming
    /// the codes that have none.
    fn samples() -> Vec<Finding> {
        let missing: Vec<&str> = CODES
            .iter()
            .filter(|c| samples::sample(c.code).is_none())
            .map(|c| c.code.as_str())
            .collect();
        assert!(
            missing.is_empty(),
            "codes without a sample in finding/samples.rs: {missing:?}"
        );
        let mut codes: Vec<Code> = CODES.iter().map(|c| c.code).collect();
        codes.sort();
        codes.into_iter().filter_map(samples::sample).collect()
    }

    /// The message says what is wrong; the fix is the help, never a ` — ` tail of the message
    /// (nor of a reason a check writes into it).
    #[test]
    fn no_message_states_a_fix() {
        let source = include_str!("error.rs");
        for attribute in source.split("#[error(").skip(1) {
            let text = attribute.split(")]").next().unwrap_or(attribute);
            assert!(
                !text.contains('—'),
                "an #[error] text with a ` — ` fix: move the fix into `help` (see finding.rs's \
                 module doc): {text}"
            );
        }
        for finding in samples() {
            assert!(
                !finding.message.contains(" — "),
                "{}: {}",
                finding.code,
                finding.message
            );
        }
    }

    /// Every finding has a help, unless its variant is declared in `WITHOUT_HELP` with the
    /// reason; and a declared reason is never dead.
    #[test]
    fn every_finding_has_a_help_or_a_reason_for_none() {
        for finding in samples() {
            let variant = finding.code.info().variant;
            let without = crate::error::WITHOUT_HELP
                .iter()
                .find(|(v, _)| *v == variant);
            match (&finding.help, without) {
                (Some(help), None) => assert!(!help.is_empty(), "{}", finding.code),
                (None, Some((_, why))) => assert!(why.len() > 20, "{}: {why}", finding.code),
                (Some(_), Some(_)) => panic!(
                    "{} ({variant}) has a help but is declared in WITHOUT_HELP",
                    finding.code
                ),
                (None, None) => panic!(
                    "{} ({variant}) has no help: give it one in error.rs, or declare it in \
                     WITHOUT_HELP with the reason",
                    finding.code
                ),
            }
        }
    }

    #[test]
    fn message_and_help_are_apart_and_display_is_the_message() {
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
        assert_eq!(error.to_string(), error.message());
        assert_eq!(
            error.help().as_deref(),
            Some("choose a block inside 10.0.0.0/16")
        );
        let finding = Finding::from(&error);
        assert_eq!(finding.message, error.message());
        assert_eq!(finding.help, error.help());
        // A construct with its kind names the construct's path.
        let error = SynthError::GeneratedIdTooLong {
            construct: "Net/Nat (a NAT gateway)".into(),
            id: "x".into(),
            length: 300,
            over: 45,
        };
        assert_eq!(error.construct(), Some("Net/Nat"));
        // A tag finding about a stack names the stack, as `App::locate` looks it up.
        let error = SynthError::TooManyTags {
            at: "stack Net".into(),
            count: 51,
            fix: "drop 1 of the stack's".into(),
        };
        assert_eq!(error.construct(), Some("Net"));
    }

    /// Every declared code's sample finding, rendered as rustc renders its own diagnostics, in
    /// code order in one snapshot: the texts users read are reviewed together and do not decay
    /// once tests compare codes; a code without a sample fails (`samples`).
    #[test]
    fn every_code_renders_as_snapshotted() {
        let at = SourceLocation {
            file: "src/main.rs".into(),
            line: 12,
            column: 5,
        };
        let rendered: Vec<String> = samples()
            .into_iter()
            .map(|mut finding| {
                finding.location = Some(at.clone());
                finding.render()
            })
            .collect();
        assert_eq!(rendered.len(), CODES.len());
        insta::assert_snapshot!("every_code", rendered.join("\n"));
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
