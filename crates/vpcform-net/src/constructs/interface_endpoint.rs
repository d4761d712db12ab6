//! `InterfaceEndpoint`: ENIs with private IPs in the VPC's subnets, reaching an AWS service or
//! an endpoint service over AWS PrivateLink.

// typed-builder wraps a setter's `fn transform` body in another block.
#![allow(unused_braces)]

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::endpoint_service::EndpointServiceRef;
use super::security_group::{SecurityGroupRef, check_open_ingress, groups};
use super::subnet::{SubnetRef, check_one_subnet_per_az};
use super::vpc::VpcRef;
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::services::{ByName, InterfaceService, PrivateDnsCapable};
use crate::stack::{Check, Construct, Imported, Node, StackDef, name_tag};
use crate::{InStack, StackMarker, SynthError, SynthWarning, VpcMarker};

/// What an interface endpoint in stack `S` can connect to: an AWS service, an
/// [`EndpointService`](crate::EndpointService) of the same stack, an endpoint service's name
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
    pub(crate) service_name: Value,
    pub(crate) private_dns_default: bool,
    pub(crate) private_dns_supported: bool,
    /// How error messages name the service.
    pub(crate) label: String,
    /// The AWS service's endpoint name (`sqs`, `ecr.api`), for AWS services.
    pub(crate) aws_service: Option<String>,
    /// The endpoint service, when it is in the same stack.
    pub(crate) endpoint_service: Option<Handle>,
}

impl<S: StackMarker, T: InterfaceService> InterfaceTarget<S> for T {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: T::service_name(),
            private_dns_default: T::PRIVATE_DNS,
            private_dns_supported: T::PRIVATE_DNS_SUPPORTED,
            label: format!("AWS service {}", T::NAME),
            aws_service: Some(T::NAME.to_string()),
            endpoint_service: None,
        }
    }
}

impl<S: StackMarker> InterfaceTarget<S> for ByName {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: self.service_name(),
            private_dns_default: self.private_dns_default(),
            private_dns_supported: self.private_dns_supported(),
            label: format!("AWS service {}", self.name()),
            aws_service: Some(self.name().to_string()),
            endpoint_service: None,
        }
    }
}

impl<W: VpcMarker> InterfaceTarget<W::Stack> for EndpointServiceRef<W> {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: self.service_name(),
            private_dns_default: false,
            private_dns_supported: false,
            label: format!("endpoint service {}", self.path()),
            aws_service: None,
            endpoint_service: Some(self.handle.clone()),
        }
    }
}

impl<S: StackMarker> InterfaceTarget<S> for Imported<S> {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: self.value().clone(),
            private_dns_default: false,
            private_dns_supported: false,
            label: format!("imported endpoint service {}", self.export_name()),
            aws_service: None,
            endpoint_service: None,
        }
    }
}

/// An endpoint service's name given as text, as a consumer in another account receives it
/// (`com.amazonaws.vpce.<region>.vpce-svc-<id>`).
///
/// ```
/// let name = vpcform_net::ServiceName::new("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceName(Value);

impl ServiceName {
    /// A service name, as text or any [`Value`].
    ///
    /// ```
    /// let name = vpcform_net::ServiceName::new("com.amazonaws.vpce.eu-west-1.vpce-svc-0abc");
    /// ```
    pub fn new(name: impl Into<Value>) -> ServiceName {
        ServiceName(name.into())
    }

    /// The service has a verified private DNS name (such as `api.example.com`), so endpoints
    /// to it may enable private DNS.
    ///
    /// ```
    /// let name = vpcform_net::ServiceName::new("com.amazonaws.vpce.eu-west-1.vpce-svc-0abc")
    ///     .with_private_dns_name("api.example.com");
    /// ```
    pub fn with_private_dns_name(self, dns_name: impl Into<String>) -> PrivateDnsServiceName {
        PrivateDnsServiceName {
            service_name: self.0,
            dns_name: dns_name.into(),
        }
    }
}

impl<S: StackMarker> InterfaceTarget<S> for ServiceName {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: self.0.clone(),
            private_dns_default: false,
            private_dns_supported: false,
            label: "endpoint service given by name".to_string(),
            aws_service: None,
            endpoint_service: None,
        }
    }
}

/// An endpoint service by name, with its verified private DNS name: see
/// [`ServiceName::with_private_dns_name`]. Private DNS is on by default for it.
#[derive(Clone, Debug, PartialEq)]
pub struct PrivateDnsServiceName {
    service_name: Value,
    dns_name: String,
}

impl<S: StackMarker> InterfaceTarget<S> for PrivateDnsServiceName {
    fn target(&self) -> TargetDef {
        TargetDef {
            service_name: self.service_name.clone(),
            private_dns_default: true,
            private_dns_supported: true,
            label: format!("endpoint service {}", self.dns_name),
            aws_service: None,
            endpoint_service: None,
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
pub struct InterfaceEndpoint<V: VpcMarker, T: InterfaceTarget<V::Stack>> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The service: an AWS service type from [`services`](crate::services), an
    /// [`EndpointServiceRef`] of the same stack, an [`Imported`] service name, or a
    /// [`ServiceName`]. Required.
    service: T,
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
    #[builder(default, setter(fn transform(enabled: bool) -> Option<bool> where T: PrivateDnsCapable { Some(enabled) }))]
    private_dns: Option<bool>,
    /// `ServiceRegion`: the endpoint service's region, for cross-region PrivateLink. Default:
    /// the endpoint's own region.
    #[builder(default, setter(strip_option, into))]
    service_region: Option<String>,
    /// An endpoint policy document (IAM JSON). Default: none (full access).
    #[builder(default, setter(strip_option))]
    policy: Option<serde_json::Value>,
}

handle! {
    /// A handle to an [`InterfaceEndpoint`] added to a stack.
    InterfaceEndpointRef
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
        Value::get_att(self.logical_id(), "DnsEntries")
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>, T: InterfaceTarget<V::Stack>> Construct<S>
    for InterfaceEndpoint<V, T>
{
    type Handle = InterfaceEndpointRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> InterfaceEndpointRef<V> {
        let vpc = self.vpc.handle;
        let handle = InterfaceEndpointRef::new(stack.handle(&id, &vpc.id));
        let target = self.service.target();
        stack.push(InterfaceEndpointNode {
            id,
            vpc,
            private_dns: self.private_dns.unwrap_or(target.private_dns_default),
            target,
            subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
            security_groups: self.security_groups.into_iter().map(|g| g.handle).collect(),
            service_region: self.service_region,
            policy: self.policy,
        });
        handle
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
    policy: Option<serde_json::Value>,
}

impl InterfaceEndpointNode {
    /// Private DNS needs a service that has it, a VPC with DNS on, and no other endpoint of the
    /// VPC claiming the same names.
    fn check_private_dns(&self, check: &mut Check<'_>) {
        if !self.target.private_dns_supported {
            check.report(SynthError::PrivateDnsUnsupported {
                construct: check.path(&self.id),
                service: self.target.label.clone(),
            });
            return;
        }
        if let Some(vpc) = check.stack.vpcs.get(&self.vpc.id) {
            let off = [
                (!vpc.dns_support).then_some("enableDnsSupport"),
                (!vpc.dns_hostnames).then_some("enableDnsHostnames"),
            ];
            for attribute in off.into_iter().flatten() {
                check.report(SynthError::PrivateDnsWithoutVpcDns {
                    construct: check.path(&self.id),
                    vpc: check.path(&self.vpc.id),
                    attribute,
                });
            }
        }
        let service = serde_json::to_string(&self.target.service_name).unwrap_or_default();
        let key = format!(
            "{}\0private-dns\0{}\0{service}",
            check.stack.name, self.vpc.id
        );
        if let Some(other) = check.claim(key, &self.id) {
            check.report(SynthError::PrivateDnsConflict {
                construct: check.path(&self.id),
                service: self.target.label.clone(),
                other: check.path(&other),
            });
        }
    }
}

impl Node for InterfaceEndpointNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
        check.non_empty(
            &self.id,
            "SubnetIds",
            &self.subnets,
            "give one subnet per availability zone the clients run in",
        );
        check.handles(&self.id, "SubnetIds", &self.subnets, Some(&self.vpc.id));
        check.handles(
            &self.id,
            "SecurityGroupIds",
            &self.security_groups,
            Some(&self.vpc.id),
        );
        if let Some(service) = &self.target.endpoint_service {
            check.handle(&self.id, "ServiceName", service, None);
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

    fn render(&self, stack: &StackDef, template: &mut Template) -> Result<(), TemplateError> {
        let mut endpoint = Resource::new("AWS::EC2::VPCEndpoint")
            .property("VpcId", self.vpc.reference())
            .property("ServiceName", self.target.service_name.clone())
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
                .property_opt("PolicyDocument", self.policy.clone().map(Value::from))
                .property("Tags", name_tag(stack, &self.id)),
        )
    }
}
