//! `GatewayEndpoint`: S3 or DynamoDB through the route tables, free of charge.

// rustc's `unused_braces` misfires on typed-builder's expansion of the `service` setter.
#![allow(unused_braces)]

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::interface_endpoint::{DnsRecordIpType, IpAddressType};
use super::route_table::{RouteTableNode, RouteTableRef};
use super::vpc::{VpcNode, VpcRef};
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::policy::EndpointPolicy;
use crate::services::{GatewayTarget, ServiceInfo, Support};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, SynthWarning, VpcMarker};

/// A gateway endpoint (`AWS::EC2::VPCEndpoint`, type `Gateway`) for S3 or DynamoDB.
///
/// AWS adds a route to each route table given: destination the service's managed prefix list
/// (`pl-…`), target the endpoint. Being narrower than `0.0.0.0/0`, it wins over a NAT or
/// internet gateway default route, so the subnets' traffic to the service stays in AWS
/// (<https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>; longest prefix
/// match: <https://docs.aws.amazon.com/vpc/latest/userguide/route-tables.html>). Gateway endpoints
/// are free.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Consumer { vpc VpcA } }
///
/// let mut stack = Stack::<Consumer>::new("Consumer");
/// let vpc = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let routes = stack.add("Routes", RouteTable::builder().vpc(&vpc).build());
/// stack.add(
///     "S3Gateway",
///     GatewayEndpoint::builder().vpc(&vpc).service(services::S3).route_tables([&routes]).build(),
/// );
/// ```
///
/// A service named at run time, from a config, is a
/// [`GatewayByName`](crate::services::GatewayByName), checked at synthesis.
///
/// Services without a gateway endpoint do not compile:
///
/// ```compile_fail
/// # use vpcform_net::prelude::*;
/// # vpcform_net::topology! { stack Consumer { vpc VpcA } }
/// # let mut stack = Stack::<Consumer>::new("Consumer");
/// # let vpc = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let sqs = GatewayEndpoint::builder().vpc(&vpc).service(services::Sqs).route_tables([]).build();
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct GatewayEndpoint<V: VpcMarker, T> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The service: [`S3`](crate::services::S3), [`DynamoDb`](crate::services::DynamoDb) or
    /// [`S3Express`](crate::services::S3Express), or one named at run time,
    /// [`GatewayByName`](crate::services::GatewayByName).
    /// Required.
    // The bound sits on this setter alone: a wrong service is one error, at `.service(..)`.
    #[builder(setter(fn transform(service: T) -> ChosenGateway<T> where T: GatewayTarget { ChosenGateway::of(&service) }))]
    service: ChosenGateway<T>,
    /// The route tables that get the service's prefix-list route. Required, at least one: a
    /// gateway endpoint on no route table carries no traffic.
    #[builder(setter(transform = |tables: impl IntoIterator<Item = impl AsHandle<RouteTableRef<V>>>| collect(tables)))]
    route_tables: Vec<RouteTableRef<V>>,
    /// An endpoint policy restricting what the endpoint may be used for: typed statements
    /// ([`EndpointPolicy`]) or IAM JSON (`serde_json::Value`); checked at synthesis. Its
    /// principal must be `"*"` (narrowed by conditions). Default: none, which AWS treats as
    /// full access to the service.
    #[builder(default, setter(strip_option(fallback = policy_opt), into))]
    policy: Option<EndpointPolicy>,
    /// `IpAddressType`: which of the service's prefix lists AWS routes — `dualstack` adds the
    /// IPv6 one (S3 since 2025-11; DynamoDB's gateway endpoints are IPv4 only). Every subnet of
    /// the route tables must then be dual-stack. Default: AWS's, `ipv4`.
    #[builder(default, setter(strip_option(fallback = ip_address_type_opt)))]
    ip_address_type: Option<IpAddressType>,
    /// `DnsOptions.DnsRecordIpType`. Default: AWS's, `service-defined` (the name decides:
    /// `s3.dualstack.<region>.amazonaws.com` answers A and AAAA).
    #[builder(default, setter(strip_option(fallback = dns_record_ip_type_opt)))]
    dns_record_ip_type: Option<DnsRecordIpType>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`GatewayEndpoint`] added to a stack.
    GatewayEndpointRef exports crate::export::VpcEndpointId
}

/// The gateway service an endpoint was given, resolved when it was given: its catalogue entry,
/// or the name given when that is no gateway service's (an error at synthesis).
#[doc(hidden)]
pub struct ChosenGateway<T> {
    info: Result<&'static ServiceInfo, String>,
    service: std::marker::PhantomData<fn() -> T>,
}

impl<T: GatewayTarget> ChosenGateway<T> {
    fn of(service: &T) -> ChosenGateway<T> {
        ChosenGateway {
            info: service.gateway_service(),
            service: std::marker::PhantomData,
        }
    }
}

// Only `.service(..)` can make a `ChosenGateway`, and it requires `T: GatewayTarget`.
impl<S: StackMarker, V: VpcMarker + InStack<S>, T> Construct<S> for GatewayEndpoint<V, T> {
    type Handle = GatewayEndpointRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> GatewayEndpointRef<V> {
        let GatewayEndpoint {
            vpc,
            service,
            route_tables,
            policy,
            ip_address_type,
            dns_record_ip_type,
            tags,
        } = self;
        GatewayEndpointRef::new(stack.push(Node::GatewayEndpoint(GatewayEndpointNode {
            tags,
            id,
            vpc: vpc.handle,
            service: service.info.as_ref().map_or("", |info| info.name()),
            info: service.info,
            route_tables: route_tables.into_iter().map(|t| t.handle).collect(),
            policy,
            ip_address_type,
            dns_record_ip_type,
        })))
    }
}

pub(crate) struct GatewayEndpointNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    /// The service's name; empty when `info` is an error.
    pub(crate) service: &'static str,
    /// The catalogue's entry, or the name given that is no gateway service's.
    info: Result<&'static ServiceInfo, String>,
    pub(crate) route_tables: Vec<Handle>,
    policy: Option<EndpointPolicy>,
    pub(crate) ip_address_type: Option<IpAddressType>,
    dns_record_ip_type: Option<DnsRecordIpType>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl GatewayEndpointNode {
    /// Whether AWS routes the service's IPv6 prefix list through it.
    pub(crate) fn routes_ipv6(&self) -> bool {
        self.ip_address_type == Some(IpAddressType::Dualstack)
    }

    /// The IP types (PrivateLink guide, "Gateway endpoints": IP address type and DNS record
    /// IP type; docs/research/dns-ipv6-routes-flowlogs.md §2): `ipv6` needs IPv6-only subnets
    /// (vpcform makes none); `dualstack` needs the service's support (the catalogue's
    /// `gateway_ipv6`) and dual-stack subnets behind every route table; an `ipv4` endpoint
    /// takes `ipv4` or `service-defined` records; a service whose gateway endpoints are IPv4
    /// only takes `service-defined` only ("DynamoDB only supports the DNS record IP type of
    /// service-defined"); records other than service-defined need the VPC's DNS attributes.
    fn check_ip_types(&self, check: &mut Check<'_>, info: &ServiceInfo) {
        let ip = self.ip_address_type.unwrap_or(IpAddressType::Ipv4);
        let service_ipv6 = info.gateway_ipv6();
        match ip {
            IpAddressType::Ipv4 => {}
            IpAddressType::Ipv6 => check.report(SynthError::Ipv6OnlyEndpoint {
                construct: check.path(&self.id),
            }),
            IpAddressType::Dualstack => {
                match service_ipv6 {
                    Support::No => check.report(SynthError::ServiceWithoutIpv6 {
                        construct: check.path(&self.id),
                        service: format!("{}'s gateway endpoint", self.service),
                        reason: format!(
                            "vpcform's catalogue, retrieved {}",
                            crate::services::CATALOGUE_RETRIEVED
                        ),
                    }),
                    Support::Unknown => check.warn(SynthWarning::Ipv6SupportUnknown {
                        construct: check.path(&self.id),
                        service: format!("{}'s gateway endpoint", self.service),
                    }),
                    Support::Yes => {}
                }
                let subnets: Vec<Handle> = self
                    .route_tables
                    .iter()
                    .filter_map(|t| check.model.get::<RouteTableNode>(t))
                    .flat_map(|t| t.subnets.iter().cloned())
                    .collect();
                super::subnet::check_ipv6_subnets(
                    check,
                    &self.id,
                    &subnets,
                    "IpAddressType dualstack (its route tables' subnets)",
                );
            }
        }
        let Some(record) = self.dns_record_ip_type else {
            return;
        };
        if record == DnsRecordIpType::ServiceDefined {
            return;
        }
        if service_ipv6 == Support::No {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "DnsOptions.DnsRecordIpType",
                value: record.as_str().to_string(),
                reason: format!(
                    "{}'s gateway endpoints take only service-defined records (PrivateLink guide, \
                     Gateway endpoints): leave it unset",
                    self.service
                ),
            });
            return;
        }
        let allowed = match ip {
            IpAddressType::Ipv4 => record == DnsRecordIpType::Ipv4,
            IpAddressType::Ipv6 => record == DnsRecordIpType::Ipv6,
            IpAddressType::Dualstack => true,
        };
        if !allowed {
            check.report(SynthError::DnsRecordIpTypeMismatch {
                construct: check.path(&self.id),
                record: record.as_str(),
                needs: "dualstack",
                ip: ip.as_str(),
            });
        }
        if let Some(vpc) = check.get::<VpcNode>(&self.vpc) {
            for attribute in vpc.dns_attributes_off() {
                check.report(SynthError::InvalidText {
                    construct: check.path(&self.id),
                    property: "DnsOptions.DnsRecordIpType",
                    value: record.as_str().to_string(),
                    reason: format!(
                        "records other than service-defined need the VPC's enableDnsSupport and \
                         enableDnsHostnames, and {} has {attribute} off",
                        self.vpc.path()
                    ),
                });
            }
        }
    }
}

/// An endpoint's policy: its problems, and whether the service takes one at all (the
/// catalogue's `endpoint_policy`; AWS: "only supports the full-access endpoint policy").
pub(crate) fn check_policy(
    check: &mut Check<'_>,
    id: &str,
    policy: &EndpointPolicy,
    gateway: bool,
    service: Option<&'static ServiceInfo>,
) {
    if let Some(info) = service
        && info.endpoint_policy() == crate::services::Support::No
    {
        check.report(SynthError::EndpointPolicyUnsupported {
            construct: check.path(id),
            service: format!("AWS service {}", info.name()),
        });
        return;
    }
    for problem in policy.problems(gateway) {
        check.report(SynthError::EndpointPolicy {
            construct: check.path(id),
            problem,
        });
    }
    // A principal or resource of another partition than the stack's: partitions are separate
    // sets of accounts and resources, and IAM's policy grammar refuses such an ARN
    // (MalformedPolicyDocument: `Partition "aws" is not valid for resource "arn:aws:…"`, as
    // IAM answers in aws-cn: kubernetes/kops#6763, aws-load-balancer-controller#1557). An
    // ambient region's partition is unknown: not checked.
    for arn in policy.arns() {
        if let Some((arn_partition, partition)) =
            crate::arn::other_partition(&arn, check.stack.region.as_deref())
        {
            check.report(SynthError::ArnInOtherPartition {
                construct: check.path(id),
                property: "PolicyDocument",
                arn_partition: arn_partition.to_string(),
                arn,
                partition,
            });
        }
    }
}

impl ConstructNode for GatewayEndpointNode {
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

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
        // The service's own rules (IP types, policy support, one route per table) need the
        // service: without it, the name is the error to fix first.
        let info = match &self.info {
            Ok(info) => {
                self.check_ip_types(check, info);
                if let Some(policy) = &self.policy {
                    check_policy(check, &self.id, policy, true, Some(info));
                }
                Some(*info)
            }
            Err(name) => {
                let construct = check.path(&self.id);
                check.report(crate::services::gateway_error(construct, name));
                None
            }
        };
        check.non_empty(
            &self.id,
            "RouteTableIds",
            &self.route_tables,
            "give the route tables of the subnets that should reach the service",
        );
        for table in &self.route_tables {
            check.handle(&self.id, "RouteTableIds", table, self.vpc.vpc);
            if info.is_none() {
                continue;
            }
            // AWS: RouteAlreadyExists, one prefix-list route per service and table
            // (aws-facts §1 [13]).
            let claim = Claim::GatewayRoute {
                table: table.key,
                service: self.service,
            };
            if let Some(other) = check.claim(claim) {
                check.report(SynthError::DuplicateGatewayRoute {
                    construct: check.path(&self.id),
                    service: self.service,
                    route_table: table.path(),
                    other,
                });
            }
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let route_tables = self
            .route_tables
            .iter()
            .map(Handle::reference)
            .collect::<Vec<_>>();
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::VPCEndpoint")
                .property("VpcId", self.vpc.reference())
                .property(
                    "ServiceName",
                    match &self.info {
                        Ok(info) => info.service_name(ctx.stack.region.as_deref()),
                        // Not rendered: the check reports the name (VF0150, VF0151).
                        Err(name) => Value::sub(format!("com.amazonaws.${{AWS::Region}}.{name}")),
                    },
                )
                .property("VpcEndpointType", "Gateway")
                .property("RouteTableIds", Value::List(route_tables))
                .property_opt(
                    "PolicyDocument",
                    self.policy.as_ref().map(EndpointPolicy::to_value),
                )
                .property_opt(
                    "IpAddressType",
                    self.ip_address_type.map(|t| Value::from(t.as_str())),
                )
                .property_opt(
                    "DnsOptions",
                    self.dns_record_ip_type.map(|record| {
                        let mut options = indexmap::IndexMap::new();
                        options.insert("DnsRecordIpType".to_string(), Value::from(record.as_str()));
                        Value::Map(options)
                    }),
                )
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        Pricing::GatewayEndpoint
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::GatewayEndpoint {
            service: self.service,
        }
    }
}
