//! `EndpointService`: a provider's service behind a Network Load Balancer, offered to other
//! VPCs and accounts over AWS PrivateLink.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::network_load_balancer::NetworkLoadBalancerRef;
use crate::handle::{Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, SynthWarning, VpcMarker};

/// What an endpoint service can run on: a Network Load Balancer of the same VPC (AWS also
/// allows Gateway Load Balancers, for appliance fleets).
#[diagnostic::on_unimplemented(
    message = "an endpoint service cannot run on `{Self}`",
    label = "not a Network Load Balancer of this VPC",
    note = "AWS PrivateLink endpoint services run on Network Load Balancers (or Gateway Load \
            Balancers): put the service behind a `NetworkLoadBalancer` and pass its handle"
)]
pub trait ServiceLoadBalancer<V> {
    /// The load balancer's handle.
    fn load_balancer(&self) -> &NetworkLoadBalancerRef<V>;
}

impl<V> ServiceLoadBalancer<V> for NetworkLoadBalancerRef<V> {
    fn load_balancer(&self) -> &NetworkLoadBalancerRef<V> {
        self
    }
}

impl<V> ServiceLoadBalancer<V> for &NetworkLoadBalancerRef<V> {
    fn load_balancer(&self) -> &NetworkLoadBalancerRef<V> {
        self
    }
}

/// An endpoint service (`AWS::EC2::VPCEndpointService`) on Network Load Balancers of VPC `V`,
/// with an `AWS::EC2::VPCEndpointServicePermissions` when principals are allowed.
///
/// Consumers connect with an [`InterfaceEndpoint`](crate::endpoints::InterfaceEndpoint) to its
/// [`service_name`](EndpointServiceRef::service_name).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::security::SecurityGroupRef;
/// vpcform_net::topology! { stack Provider { vpc VpcB } }
///
/// let mut stack = Stack::<Provider>::new("Provider");
/// let vpc = stack.add("VpcB", Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build());
/// let a = stack.add(
///     "PrivateA",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.1.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let nlb = stack.add("Nlb", NetworkLoadBalancer::builder().subnets([&a]).security_groups(SecurityGroupRef::none()).build());
/// let service = stack.add(
///     "Service",
///     EndpointService::builder()
///         .network_load_balancers([&nlb])
///         .allowed_principals(["arn:aws:iam::111122223333:root"])
///         .build(),
/// );
/// stack.export("ServiceName", service.service_name());
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct EndpointService<V: VpcMarker> {
    /// The Network Load Balancers serving it. Required, at least one.
    #[builder(setter(transform = |nlbs: impl IntoIterator<Item = impl ServiceLoadBalancer<V>>| nlbs.into_iter().map(|nlb| nlb.load_balancer().clone()).collect()))]
    network_load_balancers: Vec<NetworkLoadBalancerRef<V>>,
    /// Whether the provider must accept each consumer's connection. Default `true`: a
    /// connection is a decision, as in AWS's own default.
    #[builder(default = true)]
    acceptance_required: bool,
    /// IAM principals allowed to create endpoints to the service: `arn:aws:iam::<account>:root`
    /// (a whole account), `…:role/<name>`, `…:user/<name>`, or `*` (anyone). Default: none, so
    /// only the provider's own account can connect.
    #[builder(default, setter(transform = |principals: impl IntoIterator<Item = impl Into<String>>| principals.into_iter().map(Into::into).collect()))]
    allowed_principals: Vec<String>,
    /// Regions other than the service's own where consumers may connect from
    /// (`SupportedRegions`, cross-region PrivateLink). Default: none, the service's region only.
    #[builder(default, setter(transform = |regions: impl IntoIterator<Item = impl Into<String>>| regions.into_iter().map(Into::into).collect()))]
    supported_regions: Vec<String>,
    /// `SupportedIpAddressTypes: [ipv4, ipv6]`: consumers may connect with dual-stack
    /// endpoints. Every load balancer must be dual-stack. Default `false` (IPv4 only).
    #[builder(default = false)]
    supports_ipv6: bool,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to an [`EndpointService`] added to a stack; `Ref` gives its `vpce-svc-…` ID.
    EndpointServiceRef exports crate::export::EndpointServiceId
}

impl<V> EndpointServiceRef<V> {
    /// The service name consumers connect to, `com.amazonaws.vpce.<region>.vpce-svc-…`.
    ///
    /// CloudFormation has no attribute for it (in AWS's resource schema, as cfn-lint bundles it,
    /// the only read-only properties are `ServiceId` and `PrivateDnsNameConfiguration`; the
    /// request is open at aws-cloudformation/cloudformation-coverage-roadmap#197), so it is
    /// built from the region and the service ID.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # use vpcform_net::security::SecurityGroupRef;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// # let sub = stack.add("Sub", Subnet::builder().vpc(&vpc).cidr("10.0.0.0/24").availability_zone(Az::index(0)).build());
    /// # let nlb = stack.add("Nlb", NetworkLoadBalancer::builder().subnets([&sub]).security_groups(SecurityGroupRef::none()).build());
    /// let service = stack.add("Svc", EndpointService::builder().network_load_balancers([&nlb]).build());
    /// assert_eq!(service.service_name().value(), &vpcform_net::Value::sub("com.amazonaws.vpce.${AWS::Region}.${Svc}"));
    /// ```
    pub fn service_name(&self) -> crate::ServiceName {
        crate::ServiceName {
            value: self.handle.scoped(Value::sub(format!(
                "com.amazonaws.vpce.${{AWS::Region}}.${{{}}}",
                self.logical_id()
            ))),
            source: Some(self.handle.clone()),
        }
    }

    /// The service's name as deployed (`com.amazonaws.vpce.<region>.vpce-svc-…`), for a
    /// consumer in another account or region, where no import reaches: the endpoint gets the
    /// text, and the analysis still knows which service of the app it is (accounts allowed,
    /// zones, regions, listeners).
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # use vpcform_net::security::SecurityGroupRef;
    /// # vpcform_net::topology! { stack Provider { vpc VpcB } }
    /// # let mut provider = Stack::<Provider>::new("Provider");
    /// # let vpc = provider.add("VpcB", Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build());
    /// # let b1 = provider.add("B1", Subnet::builder().vpc(&vpc).cidr(cidr!("10.1.1.0/24")).availability_zone(Az::index(0)).build());
    /// # let nlb = provider.add("Nlb", NetworkLoadBalancer::builder().subnets([&b1]).security_groups(SecurityGroupRef::none()).build());
    /// let service = provider.add("Service", EndpointService::builder().network_load_balancers([&nlb]).build());
    /// let name = service.deployed_name("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");
    /// assert!(name.value().as_str().is_some());
    /// ```
    pub fn deployed_name(&self, name: impl Into<String>) -> crate::ServiceName {
        crate::ServiceName {
            value: Value::from(name.into()),
            source: Some(self.handle.clone()),
        }
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for EndpointService<V> {
    type Handle = EndpointServiceRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> EndpointServiceRef<V> {
        EndpointServiceRef::new(
            stack.push(Node::EndpointService(EndpointServiceNode {
                tags: self.tags,
                id,
                network_load_balancers: self
                    .network_load_balancers
                    .into_iter()
                    .map(|nlb| nlb.handle)
                    .collect(),
                acceptance_required: self.acceptance_required,
                allowed_principals: self.allowed_principals,
                supported_regions: self.supported_regions,
                supports_ipv6: self.supports_ipv6,
            })),
        )
    }
}

pub(crate) struct EndpointServiceNode {
    pub(crate) id: Arc<str>,
    pub(crate) network_load_balancers: Vec<Handle>,
    pub(crate) acceptance_required: bool,
    pub(crate) allowed_principals: Vec<String>,
    pub(crate) supported_regions: Vec<String>,
    pub(crate) supports_ipv6: bool,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl EndpointServiceNode {
    fn permissions_id(&self) -> String {
        format!("{}Permissions", self.id)
    }

    /// The VPC: its load balancers'.
    pub(crate) fn vpc(&self) -> Option<crate::identity::NodeKey> {
        self.network_load_balancers.first().and_then(|h| h.vpc)
    }
}

/// An allowed principal: `*`, or an IAM ARN of an account's root, a role or a user.
pub(crate) fn valid_principal(principal: &str) -> bool {
    principal == "*"
        || crate::arn::Arn::parse(principal).is_some_and(|arn| arn.iam_principal().is_some())
}

impl ConstructNode for EndpointServiceNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Its load balancers'.
        EndpointServiceNode::vpc(self)
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.non_empty(
            &self.id,
            "NetworkLoadBalancerArns",
            &self.network_load_balancers,
            "give the Network Load Balancer that serves the service",
        );
        check.handles(
            &self.id,
            "NetworkLoadBalancerArns",
            &self.network_load_balancers,
            self.vpc(),
        );
        if !self.acceptance_required {
            if self.allowed_principals.is_empty() {
                check.warn(SynthWarning::AcceptanceOffWithoutPrincipals {
                    construct: check.path(&self.id),
                });
            } else if self.allowed_principals.iter().any(|p| p == "*") {
                check.warn(SynthWarning::PublicEndpointService {
                    construct: check.path(&self.id),
                });
            }
        }
        if self.supports_ipv6 {
            // An endpoint service supports IPv6 only if its load balancers are dual-stack
            // (PrivateLink guide, "IP address types" of endpoint services; docs/aws-rules.md §22).
            for nlb in &self.network_load_balancers {
                if check
                    .get::<super::network_load_balancer::NetworkLoadBalancerNode>(nlb)
                    .is_some_and(|n| !n.dualstack)
                {
                    check.report(SynthError::EndpointServiceIpv6WithoutDualstack {
                        construct: check.path(&self.id),
                        load_balancer: nlb.path(),
                    });
                }
            }
        }
        // A load balancer serves one endpoint service: AWS refuses one already associated
        // with another (PrivateLink guide, "Create an endpoint service").
        for nlb in &self.network_load_balancers {
            if let Some(other) = check.claim(Claim::EndpointServiceOf {
                load_balancer: nlb.key,
            }) {
                check.report(SynthError::LoadBalancerInTwoEndpointServices {
                    construct: check.path(&self.id),
                    load_balancer: nlb.path(),
                    other,
                });
            }
        }
        for principal in &self.allowed_principals {
            if !valid_principal(principal) {
                check.report(SynthError::InvalidPrincipal {
                    construct: check.path(&self.id),
                    principal: principal.clone(),
                });
            } else if let Some((arn_partition, partition)) =
                crate::arn::other_partition(principal, check.stack.region.as_deref())
            {
                check.report(SynthError::ArnInOtherPartition {
                    construct: check.path(&self.id),
                    property: "allowed principal",
                    arn: principal.clone(),
                    arn_partition: arn_partition.to_string(),
                    partition,
                });
            }
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let mut service = Resource::new("AWS::EC2::VPCEndpointService")
            .property("AcceptanceRequired", self.acceptance_required)
            .property(
                "NetworkLoadBalancerArns",
                Value::List(
                    self.network_load_balancers
                        .iter()
                        .map(Handle::reference)
                        .collect(),
                ),
            );
        if !self.supported_regions.is_empty() {
            service = service.property("SupportedRegions", self.supported_regions.clone());
        }
        if self.supports_ipv6 {
            service = service.property("SupportedIpAddressTypes", vec!["ipv4", "ipv6"]);
        }
        template.add_resource(
            &*self.id,
            service.property("Tags", ctx.tags(&self.id, &self.tags)),
        )?;
        if !self.allowed_principals.is_empty() {
            template.add_resource(
                self.permissions_id(),
                Resource::new("AWS::EC2::VPCEndpointServicePermissions")
                    .property("ServiceId", Value::reference(&*self.id))
                    .property("AllowedPrincipals", self.allowed_principals.clone()),
            )?;
        }
        Ok(())
    }

    fn pricing(&self) -> Pricing {
        // Billed to its load balancer.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::EndpointService {
            load_balancers: &self.network_load_balancers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid_principal;

    #[test]
    fn principals() {
        for ok in [
            "*",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:role/eks-pods",
            "arn:aws-us-gov:iam::111122223333:user/ops",
        ] {
            assert!(valid_principal(ok), "{ok}");
        }
        for bad in [
            "111122223333",
            "arn:aws:iam::1111:root",
            "arn:aws:iam::111122223333:group/x",
            "arn:aws:iam::111122223333:role/",
            "arn:aws:s3:::bucket",
            "arn:awsx:iam::111122223333:root",
            "arn:aws-foo:iam::111122223333:root",
        ] {
            assert!(!valid_principal(bad), "{bad}");
        }
    }
}
