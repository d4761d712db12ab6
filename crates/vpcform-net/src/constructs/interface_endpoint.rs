//! `InterfaceEndpoint`: ENIs with private IPs in the VPC's subnets, reaching an AWS service or
//! an endpoint service over AWS PrivateLink.

// typed-builder wraps a setter's `fn transform` body in another block.
#![allow(unused_braces)]

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::endpoint_service::{EndpointServiceNode, EndpointServiceRef};
use super::gateway_endpoint::GatewayEndpointNode;
use super::security_group::{SecurityGroupRef, check_open_ingress, groups};
use super::subnet::{SubnetRef, check_one_subnet_per_az};
use super::vpc::{VpcNode, VpcRef};
use crate::export::{Exportable, Imported, OutputValue};
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render, ServiceKey};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::policy::EndpointPolicy;
use crate::services::{AwsTarget, ByName, InterfaceService, PrivateDnsCapable};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, SynthWarning, VpcMarker};

/// What an interface endpoint in stack `S` can connect to: an AWS service, an
/// [`EndpointService`](crate::privatelink::EndpointService) of the same stack, an endpoint service's name
/// imported from another stack, or a [`ServiceName`] given as text.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the service of an interface endpoint in stack `{S}`",
    label = "an endpoint service of another stack, or not a service at all",
    note = "an endpoint service of another stack crosses stacks by name: \
            `let name = provider.export(\"ServiceName\", service.service_name());` then \
            `consumer.import(&name)` gives the value to pass here"
)]
pub trait InterfaceTarget<S> {
    #[doc(hidden)]
    fn target(&self) -> TargetDef;
}

/// What an interface endpoint needs to know of its service.
#[doc(hidden)]
pub struct TargetDef {
    /// The `ServiceName` of an endpoint service; for an AWS service, its name in a stack whose
    /// region is not pinned (rendering uses [`TargetDef::aws`] and the stack's region).
    pub(crate) service_name: Value,
    pub(crate) private_dns_default: bool,
    pub(crate) private_dns_supported: bool,
    /// How error messages name the service.
    pub(crate) label: String,
    /// The AWS service, for AWS services.
    pub(crate) aws: Option<AwsTarget>,
    /// The endpoint service, when it is in the same stack.
    pub(crate) endpoint_service: Option<Handle>,
}

impl TargetDef {
    /// The AWS service's endpoint name (`sqs`, `ecr.api`), for AWS services.
    pub(crate) fn aws_name(&self) -> Option<&str> {
        self.aws.as_ref().map(|aws| aws.name.as_str())
    }

    /// The `ServiceName` to write in `stack`'s template: an AWS service's in the stack's region
    /// when it is pinned (with the region's prefix).
    pub(crate) fn service_name_in(&self, stack: &StackDef) -> Value {
        match &self.aws {
            Some(aws) => aws.service_name(stack.region.as_deref()),
            None => self.service_name.clone(),
        }
    }
}

impl<S: StackMarker, T: InterfaceService> InterfaceTarget<S> for T {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: T::service_name(),
            private_dns_default: T::PRIVATE_DNS,
            private_dns_supported: T::PRIVATE_DNS_SUPPORTED,
            label: format!("AWS service {}", T::NAME),
            aws: Some(AwsTarget::of::<T>()),
            endpoint_service: None,
        }
    }
}

impl<S: StackMarker> InterfaceTarget<S> for ByName {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: self.target().service_name(None),
            private_dns_default: self.private_dns_default(),
            private_dns_supported: self.private_dns_supported(),
            label: format!("AWS service {}", self.name()),
            aws: Some(self.target().clone()),
            endpoint_service: None,
        }
    }
}

impl<W: VpcMarker> InterfaceTarget<W::Stack> for EndpointServiceRef<W> {
    fn target(&self) -> TargetDef {
        TargetDef {
            // Checked as a handle of the endpoint's stack (one error when it is not).
            service_name: self.service_name().value.unscoped().clone(),
            private_dns_default: false,
            private_dns_supported: false,
            label: format!("endpoint service {}", self.path()),
            aws: None,
            endpoint_service: Some(self.handle.clone()),
        }
    }
}

/// `.service(&service)`, as every other handle is passed: the same as `.service(service)`.
impl<W: VpcMarker> InterfaceTarget<W::Stack> for &EndpointServiceRef<W> {
    fn target(&self) -> TargetDef {
        (*self).target()
    }
}

impl<S: StackMarker> InterfaceTarget<S> for Imported<S, ServiceName> {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: self.value().clone(),
            private_dns_default: false,
            private_dns_supported: false,
            label: format!("imported endpoint service {}", self.export_name()),
            aws: None,
            endpoint_service: self.source.clone(),
        }
    }
}

/// An endpoint service's name given as text, as a consumer in another account receives it
/// (`com.amazonaws.vpce.<region>.vpce-svc-<id>`).
///
/// ```
/// let name = vpcform_net::endpoints::ServiceName::new("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceName {
    pub(crate) value: Value,
    /// The endpoint service of the app it names, when it comes from one.
    pub(crate) source: Option<Handle>,
}

impl From<ServiceName> for Value {
    fn from(name: ServiceName) -> Value {
        name.value
    }
}

impl ServiceName {
    /// A service name, as text or any [`Value`].
    ///
    /// ```
    /// let name = vpcform_net::endpoints::ServiceName::new("com.amazonaws.vpce.eu-west-1.vpce-svc-0abc");
    /// ```
    pub fn new(name: impl Into<Value>) -> ServiceName {
        ServiceName {
            value: name.into(),
            source: None,
        }
    }

    /// The name as a CloudFormation value.
    ///
    /// ```
    /// let name = vpcform_net::endpoints::ServiceName::new("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");
    /// assert!(name.value().as_str().is_some());
    /// ```
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The service has a verified private DNS name (such as `api.example.com`), so endpoints
    /// to it may enable private DNS.
    ///
    /// ```
    /// let name = vpcform_net::endpoints::ServiceName::new("com.amazonaws.vpce.eu-west-1.vpce-svc-0abc")
    ///     .with_private_dns_name("api.example.com");
    /// ```
    pub fn with_private_dns_name(self, dns_name: impl Into<String>) -> PrivateDnsServiceName {
        PrivateDnsServiceName {
            service_name: self.value,
            source: self.source,
            dns_name: dns_name.into(),
        }
    }
}

// A service name is exported as text, with its service's handle when it has one: an
// export of the constructs' layer, as `export` sits below them.
impl Exportable for ServiceName {
    type Carries = ServiceName;
    fn output_value(self) -> OutputValue {
        OutputValue {
            referenced: !self.value.references().is_empty(),
            // With its service's handle, checked as one; without, the mark finds it in a
            // stack it is not of.
            value: match &self.source {
                Some(_) => self.value.unscoped().clone(),
                None => self.value,
            },
            source: self.source,
        }
    }
}

impl Exportable for &ServiceName {
    type Carries = ServiceName;
    fn output_value(self) -> OutputValue {
        self.clone().output_value()
    }
}

impl<S: StackMarker> InterfaceTarget<S> for ServiceName {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: self.value.clone(),
            private_dns_default: false,
            private_dns_supported: false,
            label: match &self.source {
                Some(service) => format!("endpoint service {}", service.path()),
                None => "endpoint service given by name".to_string(),
            },
            aws: None,
            endpoint_service: self.source.clone(),
        }
    }
}

/// An endpoint service by name, with its verified private DNS name: see
/// [`ServiceName::with_private_dns_name`]. Private DNS is on by default for it.
#[derive(Clone, Debug, PartialEq)]
pub struct PrivateDnsServiceName {
    service_name: Value,
    source: Option<Handle>,
    dns_name: String,
}

impl<S: StackMarker> InterfaceTarget<S> for PrivateDnsServiceName {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: self.service_name.clone(),
            private_dns_default: true,
            private_dns_supported: true,
            label: format!("endpoint service {}", self.dns_name),
            aws: None,
            endpoint_service: self.source.clone(),
        }
    }
}

impl PrivateDnsCapable for PrivateDnsServiceName {}

/// An interface endpoint (`AWS::EC2::VPCEndpoint`, type `Interface`) in VPC `V`.
///
/// AWS puts one ENI with a private IP in each subnet given (one subnet per AZ); clients reach
/// the service through them, without an internet or NAT gateway.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Consumer { vpc VpcA } }
///
/// let mut stack = Stack::<Consumer>::new("Consumer");
/// let vpc = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let a = stack.add(
///     "PrivateA",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let sg = stack.add(
///     "EndpointSg",
///     SecurityGroup::builder()
///         .vpc(&vpc)
///         .ingress([Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16")))])
///         .build(),
/// );
/// let sqs = stack.add(
///     "SqsEndpoint",
///     InterfaceEndpoint::builder()
///         .vpc(&vpc)
///         .service(services::Sqs)
///         .subnets([&a])
///         .security_groups([&sg])
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct InterfaceEndpoint<V: VpcMarker, T> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The service: an AWS service type from [`services`](crate::services), an
    /// [`EndpointServiceRef`] of the same stack, an [`Imported`] service name, or a
    /// [`ServiceName`]. Required.
    // The bound sits on this setter alone, not on the struct: a wrong service is one error,
    // at `.service(..)`, instead of one per builder method that carries the struct's bounds.
    #[builder(setter(fn transform(service: T) -> ChosenService<T> where T: InterfaceTarget<V::Stack> { ChosenService::new(service.target()) }))]
    service: ChosenService<T>,
    /// Subnets for the endpoint's ENIs, at most one per AZ. Required.
    #[builder(setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    subnets: Vec<SubnetRef<V>>,
    /// Security groups of the ENIs: they decide which clients reach the service. Default: none
    /// given, and AWS then uses the VPC's default security group.
    #[builder(default, setter(transform = |list: impl IntoIterator<Item = impl AsHandle<SecurityGroupRef<V>>>| groups(list)))]
    security_groups: Vec<SecurityGroupRef<V>>,
    /// `PrivateDnsEnabled`: the service's usual hostname resolves to the endpoint inside the
    /// VPC. Default: on for AWS services that support it and for a
    /// [`PrivateDnsServiceName`]; off for S3 (see [`S3`](crate::services::S3)). Only services
    /// that can have private DNS ([`PrivateDnsCapable`]) accept this setter: DynamoDB and
    /// endpoint services without a private DNS name do not compile.
    // Mutators rather than a setter: a transform setter has no `_opt` fallback.
    #[builder(via_mutators(init = None), mutators(
        /// `PrivateDnsEnabled`, for services that can have private DNS.
        pub fn private_dns(&mut self, enabled: bool) where T: PrivateDnsCapable {
            self.private_dns = Some(enabled);
        }
        /// As `private_dns`, given or not (from a config): `None` keeps the default.
        pub fn private_dns_opt(&mut self, enabled: Option<bool>) where T: PrivateDnsCapable {
            self.private_dns = enabled;
        }
    ))]
    private_dns: Option<bool>,
    /// `ServiceRegion`: the endpoint service's region, for cross-region PrivateLink. Default:
    /// the endpoint's own region.
    #[builder(default, setter(strip_option(fallback = service_region_opt), into))]
    service_region: Option<String>,
    /// An endpoint policy: typed statements ([`EndpointPolicy`]) or IAM JSON
    /// (`serde_json::Value`), checked at synthesis. Default: none (AWS's full access).
    #[builder(default, setter(strip_option(fallback = policy_opt), into))]
    policy: Option<EndpointPolicy>,
    /// `DnsOptions`. Default: AWS's, except that an S3 endpoint with private DNS states
    /// `PrivateDnsOnlyForInboundResolverEndpoint` explicitly (see [`DnsOptions`]).
    #[builder(default)]
    dns_options: DnsOptions,
    /// `IpAddressType`: the addresses of the endpoint's network interfaces. `Dualstack` needs
    /// every subnet dual-stack and a service that accepts IPv6 (checked against the catalogue,
    /// or the endpoint service's `supports_ipv6`). Default: none written (AWS uses IPv4).
    #[builder(default, setter(strip_option(fallback = ip_address_type_opt)))]
    ip_address_type: Option<IpAddressType>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

/// An interface endpoint's `IpAddressType` (docs/aws-rules.md §22).
///
/// ```
/// use vpcform_net::endpoints::IpAddressType;
/// assert_eq!(IpAddressType::Dualstack.as_str(), "dualstack");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpAddressType {
    /// `ipv4`: every subnet has IPv4 (all of vpcform's do).
    Ipv4,
    /// `dualstack`: IPv4 and IPv6 addresses; every subnet must be dual-stack.
    Dualstack,
    /// `ipv6`: IPv6-only subnets, which vpcform does not create.
    Ipv6,
}

impl IpAddressType {
    /// The CloudFormation value.
    ///
    /// See [`IpAddressType`] for an example.
    pub fn as_str(self) -> &'static str {
        match self {
            IpAddressType::Ipv4 => "ipv4",
            IpAddressType::Dualstack => "dualstack",
            IpAddressType::Ipv6 => "ipv6",
        }
    }
}

/// An interface endpoint's `DnsOptions` (AWS::EC2::VPCEndpoint DnsOptionsSpecification).
///
/// `private_dns_only_for_inbound_resolver_endpoint` applies only to services with both
/// gateway and interface endpoints (S3): with it on (AWS's default when private DNS is on),
/// the VPC's own clients keep using the gateway endpoint and only on-premises clients, through
/// a Route 53 inbound resolver, use the interface endpoint; AWS then requires a gateway
/// endpoint for S3 in the VPC (aws-facts §1 [7][8][9]).
///
/// ```
/// use vpcform_net::endpoints::{DnsOptions, DnsRecordIpType};
/// let options = DnsOptions::default()
///     .dns_record_ip_type(DnsRecordIpType::Ipv4)
///     .private_dns_only_for_inbound_resolver_endpoint(false);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DnsOptions {
    dns_record_ip_type: Option<DnsRecordIpType>,
    inbound_resolver_only: Option<bool>,
}

impl DnsOptions {
    /// `DnsRecordIpType`. Default: AWS's (`ipv4` for an IPv4 endpoint).
    ///
    /// See [`DnsOptions`] for an example.
    pub fn dns_record_ip_type(mut self, ip_type: DnsRecordIpType) -> DnsOptions {
        self.dns_record_ip_type = Some(ip_type);
        self
    }

    /// `PrivateDnsOnlyForInboundResolverEndpoint`: `true` renders `OnlyInboundResolver`,
    /// `false` `AllResolvers`. S3 only.
    ///
    /// See [`DnsOptions`] for an example.
    pub fn private_dns_only_for_inbound_resolver_endpoint(mut self, only: bool) -> DnsOptions {
        self.inbound_resolver_only = Some(only);
        self
    }
}

/// The IP version of an endpoint's DNS records (CloudFormation enum values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DnsRecordIpType {
    /// `ipv4`: A records.
    Ipv4,
    /// `ipv6`: AAAA records.
    Ipv6,
    /// `dualstack`: both.
    Dualstack,
    /// `service-defined`: as the service says.
    ServiceDefined,
}

impl DnsRecordIpType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DnsRecordIpType::Ipv4 => "ipv4",
            DnsRecordIpType::Ipv6 => "ipv6",
            DnsRecordIpType::Dualstack => "dualstack",
            DnsRecordIpType::ServiceDefined => "service-defined",
        }
    }
}

/// Whether `name` has the form of a VPC endpoint service name: an AWS service's
/// `<prefix>.<region>.<service>` with a prefix the catalogue knows (`com.amazonaws`,
/// `cn.com.amazonaws` in China, `aws.sagemaker`, `aws.api`, the ISO partitions' …), a global
/// service's name as the catalogue lists it (`com.amazonaws.iam`), or an endpoint service's
/// `com.amazonaws.vpce.<region>.vpce-svc-<8 or 17 hex>` (aws-facts §1 [20];
/// docs/aws-rules.md §11).
pub(crate) fn valid_service_name(name: &str) -> bool {
    if crate::services::all()
        .iter()
        .any(|s| s.is_global() && s.service_name_in("") == name)
    {
        return true;
    }
    let region_ok = |r: &str| {
        let parts: Vec<&str> = r.split('-').collect();
        parts.len() >= 3
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
            && parts
                .last()
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
    };
    if let Some(vpce) = name.strip_prefix("com.amazonaws.vpce.") {
        let Some((region, id)) = vpce.split_once('.') else {
            return false;
        };
        return region_ok(region) && super::ec2_id(id, "vpce-svc-");
    }
    crate::services::prefixes().any(|prefix| {
        let Some(rest) = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('.'))
        else {
            return false;
        };
        let Some((region, service)) = rest.split_once('.') else {
            return false;
        };
        region_ok(region)
            && !service.is_empty()
            && service.split('.').all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            })
    })
}

handle! {
    /// A handle to an [`InterfaceEndpoint`] added to a stack.
    InterfaceEndpointRef exports crate::export::VpcEndpointId
}

impl<V> InterfaceEndpointRef<V> {
    /// `{"Fn::GetAtt": [id, "DnsEntries"]}`: `"<hosted zone>:<DNS name>"` entries, in an order
    /// that may change.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// # let sub = stack.add("Sub", Subnet::builder().vpc(&vpc).cidr("10.0.0.0/24").availability_zone(Az::index(0)).build());
    /// let e = stack.add("Sqs", InterfaceEndpoint::builder().vpc(&vpc).service(services::Sqs).subnets([&sub]).build());
    /// assert_eq!(e.dns_entries(), vpcform_net::Value::get_att("Sqs", "DnsEntries"));
    /// ```
    pub fn dns_entries(&self) -> Value {
        self.handle
            .scoped(Value::get_att(self.logical_id(), "DnsEntries"))
    }
}

/// The service an endpoint was given, resolved when it was given; `T` stays in the type for
/// the setters that depend on it (`private_dns`).
#[doc(hidden)]
pub struct ChosenService<T> {
    target: TargetDef,
    service: std::marker::PhantomData<fn() -> T>,
}

impl<T> ChosenService<T> {
    fn new(target: TargetDef) -> ChosenService<T> {
        ChosenService {
            target,
            service: std::marker::PhantomData,
        }
    }
}

// Only `.service(..)` can make a `ChosenService`, and it requires `T: InterfaceTarget`.
impl<S: StackMarker, V: VpcMarker + InStack<S>, T> Construct<S> for InterfaceEndpoint<V, T> {
    type Handle = InterfaceEndpointRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> InterfaceEndpointRef<V> {
        let target = self.service.target;
        InterfaceEndpointRef::new(stack.push(Node::InterfaceEndpoint(InterfaceEndpointNode {
            tags: self.tags,
            id,
            vpc: self.vpc.handle,
            private_dns: self.private_dns.unwrap_or(target.private_dns_default),
            target,
            subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
            security_groups: self.security_groups.into_iter().map(|g| g.handle).collect(),
            service_region: self.service_region,
            policy: self.policy,
            dns_options: self.dns_options,
            ip_address_type: self.ip_address_type,
        })))
    }
}

pub(crate) struct InterfaceEndpointNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    pub(crate) target: TargetDef,
    pub(crate) subnets: Vec<Handle>,
    pub(crate) security_groups: Vec<Handle>,
    pub(crate) private_dns: bool,
    pub(crate) service_region: Option<String>,
    policy: Option<EndpointPolicy>,
    dns_options: DnsOptions,
    pub(crate) ip_address_type: Option<IpAddressType>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl InterfaceEndpointNode {
    /// Whether clients reach the endpoint over IPv6 by the name they use: the endpoint has IPv6
    /// addresses (`dualstack` or `ipv6`), and its DNS records include AAAA for that name —
    /// `ipv6` or `dualstack` record types for every name, `service-defined` (assumed when none
    /// is given) for the Regional and zonal names only (PrivateLink guide, "DNS record IP
    /// type"; docs/research/dualstack.md §4). `Err` says why not, and the fix.
    pub(crate) fn answers_ipv6(&self, private_name: bool) -> Result<(), (String, String)> {
        let ip = self.ip_address_type.unwrap_or(IpAddressType::Ipv4);
        if ip == IpAddressType::Ipv4 {
            return Err((
                "it has IPv4 addresses only (IpAddressType ipv4)".into(),
                "give it .ip_address_type(IpAddressType::Dualstack) in dual-stack subnets".into(),
            ));
        }
        let record = self
            .dns_options
            .dns_record_ip_type
            .unwrap_or(DnsRecordIpType::ServiceDefined);
        let aaaa = match record {
            DnsRecordIpType::Ipv6 | DnsRecordIpType::Dualstack => true,
            DnsRecordIpType::ServiceDefined => !private_name,
            DnsRecordIpType::Ipv4 => false,
        };
        if aaaa {
            Ok(())
        } else {
            Err((
                format!(
                    "its DNS record IP type, {}, gives the {} name no AAAA record",
                    record.as_str(),
                    if private_name {
                        "service's private DNS"
                    } else {
                        "endpoint's"
                    }
                ),
                "give it DnsOptions::default().dns_record_ip_type(DnsRecordIpType::Dualstack)"
                    .into(),
            ))
        }
    }
}

impl InterfaceEndpointNode {
    /// What the endpoint reaches, for comparing endpoints.
    pub(crate) fn service_key(&self) -> ServiceKey {
        match (&self.target.aws, &self.target.endpoint_service) {
            (Some(aws), _) => ServiceKey::Aws(aws.name.clone(), self.service_region.clone()),
            (None, Some(service)) => ServiceKey::EndpointService(service.key),
            (None, None) => ServiceKey::Name(
                serde_json::to_string(&self.target.service_name).unwrap_or_default(),
            ),
        }
    }

    fn is_s3(&self) -> bool {
        self.target.aws_name() == Some("s3")
    }

    fn check_private_dns(&self, check: &mut Check<'_>) {
        // A looked-up service without a `PrivateDnsName` has none, whatever was stated
        // (DescribeVpcEndpointServices, `PrivateDnsName`).
        let stack = check.stack;
        let name = self.target.service_name_in(stack);
        let looked_up_without = name
            .as_str()
            .and_then(|name| super::lookup::service_facts(stack, name))
            .is_some_and(|facts| facts.private_dns_name.is_none());
        if !self.target.private_dns_supported || looked_up_without {
            check.report(SynthError::PrivateDnsUnsupported {
                construct: check.path(&self.id),
                service: self.target.label.clone(),
            });
            return;
        }
        if let Some(vpc) = check.get::<VpcNode>(&self.vpc) {
            if vpc.enable_dns_support.is_none() || vpc.enable_dns_hostnames.is_none() {
                check.warn(crate::SynthWarning::VpcDnsUnknown {
                    construct: check.path(&self.id),
                    vpc: self.vpc.path(),
                });
            }
            for attribute in vpc.dns_attributes_off() {
                check.report(SynthError::PrivateDnsWithoutVpcDns {
                    construct: check.path(&self.id),
                    vpc: self.vpc.path(),
                    attribute,
                });
            }
        }
        if let Some(vpc) = self.vpc.vpc {
            let claim = Claim::PrivateDns {
                vpc,
                service: self.service_key(),
            };
            if let Some(other) = check.claim(claim) {
                check.report(SynthError::PrivateDnsConflict {
                    construct: check.path(&self.id),
                    service: self.target.label.clone(),
                    other,
                });
            }
        }
        // S3 with private DNS and inbound-resolver-only DNS (AWS's default): the VPC needs a
        // gateway endpoint for S3, or AWS answers `InvalidParameter` ("... must have a Gateway
        // endpoint for the service", aws-facts §1 [7]).
        if self.is_s3()
            && self.dns_options.inbound_resolver_only != Some(false)
            && let Some(vpc) = self.vpc.vpc
            && !check
                .model
                .in_vpc::<GatewayEndpointNode>(vpc)
                .any(|(_, g)| g.service == "s3")
        {
            check.report(SynthError::S3PrivateDnsWithoutGateway {
                construct: check.path(&self.id),
                vpc: self.vpc.path(),
            });
        }
    }

    /// The `ServiceName` to write in `stack`'s template. An AWS service reached in another
    /// region is named by that region, with that region's prefix: the endpoint asks for
    /// `com.amazonaws.eu-west-1.s3` with `ServiceRegion: eu-west-1` (AWS PrivateLink Guide,
    /// "Cross-Region connectivity for AWS services"; "AWS PrivateLink extends cross-region
    /// connectivity to AWS services", AWS Networking blog, 2025-11; CDK's deployed
    /// integration test writes the same pair).
    pub(crate) fn service_name_in(&self, stack: &StackDef) -> Value {
        match (&self.target.aws, &self.service_region) {
            (Some(aws), Some(region)) => aws.service_name(Some(region)),
            _ => self.target.service_name_in(stack),
        }
    }

    /// Whether it reaches its service in the region of `stack` (where its VPC is): no
    /// `ServiceRegion`, or that region. A flow to an AWS service means the service of the
    /// flow's own region; an endpoint to S3 of eu-west-1 is no path to S3 of us-east-1.
    pub(crate) fn serves_own_region(&self, stack: Option<&StackDef>) -> bool {
        match (
            &self.service_region,
            stack.and_then(|s| s.region.as_deref()),
        ) {
            (None, _) => true,
            (Some(service), Some(own)) => service == own,
            // The stack's region is not pinned: which region it deploys to is unknown.
            (Some(_), None) => false,
        }
    }

    /// `ServiceRegion`: a region code of the endpoint's own partition and, for an AWS
    /// service, one AWS lists as reachable across regions.
    fn check_service_region(&self, check: &mut Check<'_>) {
        let Some(service_region) = &self.service_region else {
            return;
        };
        if !crate::regions::is_region_code(service_region) {
            check.report(SynthError::InvalidServiceRegion {
                construct: check.path(&self.id),
                region: service_region.clone(),
            });
            return;
        }
        // Partitions are hard boundaries: PrivateLink crosses regions within one only
        // (AWS PrivateLink Guide, "Cross-Region connectivity": "within the same partition").
        if let Some(own) = check.stack.region.as_deref()
            && crate::regions::partition_of(own) != crate::regions::partition_of(service_region)
        {
            check.report(SynthError::ServiceRegionInOtherPartition {
                construct: check.path(&self.id),
                region: own.to_string(),
                partition: crate::regions::partition_of(own),
                service_region: service_region.clone(),
                service_partition: crate::regions::partition_of(service_region),
            });
            return;
        }
        // An AWS service the catalogue knows: AWS lists the few it serves across regions
        // (AWS PrivateLink Guide, "AWS services that integrate with AWS PrivateLink",
        // "Cross-region enabled AWS services"; the catalogue's `cross_region`).
        let across = check.stack.region.as_deref() != Some(service_region.as_str());
        if across
            && let Some(aws) = &self.target.aws
            && let Some(info) = aws.info
            && !info.is_cross_region()
        {
            check.report(SynthError::ServiceNotCrossRegion {
                construct: check.path(&self.id),
                service: aws.name.clone(),
                service_region: service_region.clone(),
            });
        }
    }

    /// `IpAddressType` and `DnsRecordIpType` against the subnets, the service and each other
    /// (docs/aws-rules.md §22: AWS's wording as CDK's `VpcEndpointIpAddressType` and
    /// `VpcEndpointDnsRecordIpType` carry it).
    fn check_ip_types(&self, check: &mut Check<'_>) {
        let ip = self.ip_address_type.unwrap_or(IpAddressType::Ipv4);
        if let Some(record) = self.dns_options.dns_record_ip_type {
            let (allowed, needs): (&[IpAddressType], &'static str) = match record {
                DnsRecordIpType::Ipv4 => (
                    &[IpAddressType::Ipv4, IpAddressType::Dualstack],
                    "ipv4 or dualstack",
                ),
                DnsRecordIpType::Ipv6 => (
                    &[IpAddressType::Ipv6, IpAddressType::Dualstack],
                    "ipv6 or dualstack",
                ),
                DnsRecordIpType::Dualstack | DnsRecordIpType::ServiceDefined => {
                    (&[IpAddressType::Dualstack], "dualstack")
                }
            };
            if !allowed.contains(&ip) {
                check.report(SynthError::DnsRecordIpTypeMismatch {
                    construct: check.path(&self.id),
                    record: record.as_str(),
                    needs,
                    ip: ip.as_str(),
                });
            }
        }
        match ip {
            IpAddressType::Ipv4 => return,
            IpAddressType::Ipv6 => {
                check.report(SynthError::Ipv6OnlyEndpoint {
                    construct: check.path(&self.id),
                });
            }
            IpAddressType::Dualstack => {
                super::subnet::check_ipv6_subnets(
                    check,
                    &self.id,
                    &self.subnets,
                    "IpAddressType dualstack",
                );
            }
        }
        // The service must accept IPv6: as looked up (DescribeVpcEndpointServices,
        // `SupportedIpAddressTypes`) when the stack looked it up, else as the catalogue says.
        let stack = check.stack;
        let name = self.target.service_name_in(stack);
        if let Some(facts) = name
            .as_str()
            .and_then(|name| super::lookup::service_facts(stack, name))
        {
            if !facts.supported_ip_address_types.iter().any(|t| t == "ipv6") {
                check.report(SynthError::ServiceWithoutIpv6 {
                    construct: check.path(&self.id),
                    service: self.target.label.clone(),
                    reason: format!(
                        "its looked-up SupportedIpAddressTypes is {}",
                        facts.supported_ip_address_types.join(", ")
                    ),
                });
            }
        } else if let Some(aws) = &self.target.aws {
            match aws.info.map(crate::services::ServiceInfo::ipv6) {
                Some(crate::services::Support::No) => {
                    check.report(SynthError::ServiceWithoutIpv6 {
                        construct: check.path(&self.id),
                        service: self.target.label.clone(),
                        reason: format!(
                            "vpcform's catalogue, retrieved {}",
                            crate::services::CATALOGUE_RETRIEVED
                        ),
                    })
                }
                Some(crate::services::Support::Yes) => {}
                _ => check.warn(SynthWarning::Ipv6SupportUnknown {
                    construct: check.path(&self.id),
                    service: self.target.label.clone(),
                }),
            }
        } else if let Some(service) = &self.target.endpoint_service
            && let Some(node) = check.model.get::<EndpointServiceNode>(service)
            && !node.supports_ipv6
        {
            check.report(SynthError::ServiceWithoutIpv6 {
                construct: check.path(&self.id),
                service: self.target.label.clone(),
                reason: "its SupportedIpAddressTypes is ipv4 only: give it `.supports_ipv6(true)`"
                    .into(),
            });
        }
    }

    fn dns_options_value(&self) -> Option<Value> {
        let mut options = indexmap::IndexMap::new();
        if let Some(ip_type) = self.dns_options.dns_record_ip_type {
            options.insert("DnsRecordIpType".to_string(), Value::from(ip_type.as_str()));
        }
        // Stated explicitly for S3 with private DNS: AWS's default is not documented.
        let inbound_only = match self.dns_options.inbound_resolver_only {
            Some(only) => Some(only),
            None if self.is_s3() && self.private_dns => Some(true),
            None => None,
        };
        if let Some(only) = inbound_only {
            options.insert(
                "PrivateDnsOnlyForInboundResolverEndpoint".to_string(),
                Value::from(if only {
                    "OnlyInboundResolver"
                } else {
                    "AllResolvers"
                }),
            );
        }
        (!options.is_empty()).then_some(Value::Map(options))
    }
}

impl ConstructNode for InterfaceEndpointNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        self.vpc.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        if let Some(service) = &self.target.endpoint_service {
            relations.service_of.insert(key, service.key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
        self.check_service_region(check);
        check.non_empty(
            &self.id,
            "SubnetIds",
            &self.subnets,
            "give one subnet per availability zone the clients run in",
        );
        check.handles(&self.id, "SubnetIds", &self.subnets, self.vpc.vpc);
        check.handles(
            &self.id,
            "SecurityGroupIds",
            &self.security_groups,
            self.vpc.vpc,
        );
        if let Some(service) = &self.target.endpoint_service {
            if self.target.service_name.references().is_empty() {
                // Imported, or its deployed name as text: the service must be of the app (an
                // import's own rules, same account and region, are the app's).
                if check.model.resolve(service).is_err() {
                    check.handle(&self.id, "ServiceName", service, None);
                }
            } else {
                // Referenced in this template: it must be of this stack.
                check.handle(&self.id, "ServiceName", service, None);
            }
        }
        if let Some(aws) = &self.target.aws
            && let Some(error) = aws.unknown_error(check.path(&self.id))
        {
            check.report(error);
        }
        // An unlisted service's name is the user's: its form is checked as any other's.
        let name = match &self.target.aws {
            Some(aws) => aws.service_name(Some("us-east-1")),
            None => self.target.service_name.clone(),
        };
        if let Some(name) = name.as_str()
            && !valid_service_name(name)
        {
            check.report(SynthError::InvalidServiceName {
                construct: check.path(&self.id),
                name: name.to_string(),
            });
        }
        // The zones the service is offered in, when the stack looked it up.
        if let Some(name) = self.target.service_name_in(check.stack).as_str() {
            super::lookup::check_offered(check, &self.id, name, &self.subnets);
        }
        if self.dns_options.inbound_resolver_only.is_some() && !self.is_s3() {
            check.report(SynthError::DnsOptionNotForService {
                construct: check.path(&self.id),
                option: "PrivateDnsOnlyForInboundResolverEndpoint",
                service: self.target.label.clone(),
            });
        }
        self.check_ip_types(check);
        if let Some(policy) = &self.policy {
            let info = self.target.aws.as_ref().and_then(|aws| aws.info);
            super::gateway_endpoint::check_policy(check, &self.id, policy, false, info);
        }
        check_one_subnet_per_az(check, &self.id, &self.subnets);
        if self.subnets.len() == 1 {
            check.warn(SynthWarning::SingleAz {
                construct: check.path(&self.id),
            });
        }
        if self.security_groups.is_empty() {
            check.warn(SynthWarning::DefaultSecurityGroup {
                construct: check.path(&self.id),
            });
        }
        check_open_ingress(check, &self.id, &self.security_groups);
        if self.private_dns {
            self.check_private_dns(check);
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let mut endpoint = Resource::new("AWS::EC2::VPCEndpoint")
            .property("VpcId", self.vpc.reference())
            .property("ServiceName", self.service_name_in(ctx.stack))
            .property("VpcEndpointType", "Interface")
            .property(
                "SubnetIds",
                Value::List(self.subnets.iter().map(Handle::reference).collect()),
            );
        if !self.security_groups.is_empty() {
            endpoint = endpoint.property(
                "SecurityGroupIds",
                Value::List(self.security_groups.iter().map(Handle::reference).collect()),
            );
        }
        template.add_resource(
            &*self.id,
            endpoint
                .property("PrivateDnsEnabled", self.private_dns)
                .property_opt("ServiceRegion", self.service_region.as_deref())
                .property_opt(
                    "PolicyDocument",
                    self.policy.as_ref().map(EndpointPolicy::to_value),
                )
                .property_opt("DnsOptions", self.dns_options_value())
                .property_opt(
                    "IpAddressType",
                    self.ip_address_type.map(IpAddressType::as_str),
                )
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        Pricing::InterfaceEndpoint {
            zones: self.subnets.len(),
        }
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::InterfaceEndpoint {
            aws_service: self.target.aws_name(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid_service_name;

    /// Each part of the two forms on its own (docs/aws-rules.md §11).
    #[test]
    fn service_names_of_both_forms_and_each_way_to_miss_them() {
        for good in [
            "com.amazonaws.us-east-1.s3",
            "com.amazonaws.us-gov-west-1.ecr.api",
            "com.amazonaws.eu-west-1.bedrock-runtime",
            "aws.sagemaker.us-east-1.notebook",
            "cn.com.amazonaws.cn-north-1.s3",
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0123abcd",
        ] {
            assert!(valid_service_name(good), "{good}");
        }
        for bad in [
            "s3",
            "com.amazonaws.useast1.s3",
            "com.amazonaws.us--east-1.s3",
            "com.amazonaws.US-east-1.s3",
            "com.amazonaws.us-east-x.s3",
            "com.amazonaws.us-east-1",
            "com.amazonaws.us-east-1.",
            "com.amazonaws.us-east-1.ecr..api",
            "com.amazonaws.us-east-1.S3",
            "com.amazonaws.us-east-1.s3_x",
            "com.amazonaws.vpce.eu-west-1",
            "com.amazonaws.vpce.euwest1.vpce-svc-0123456789abcdef0",
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0123",
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789ABCDEF0",
            "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdefg",
            "com.amazonaws.vpce.eu-west-1.svc-0123456789abcdef0",
        ] {
            assert!(!valid_service_name(bad), "{bad}");
        }
    }
}
