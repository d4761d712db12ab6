//! `ServiceNetworkEndpoint`: a VPC endpoint of type `ServiceNetwork`, reaching every resource
//! of one VPC Lattice service network from a consumer VPC.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Template, TemplateError};

use super::resource_configuration::ResourceConfigurationNode;
use super::resource_endpoint::{
    check_placement, render_endpoint, zone_mismatch, zones_across_accounts,
};
use super::resource_gateway::ResourceGatewayNode;
use super::security_group::{SecurityGroupRef, groups};
use super::service_network::IntoServiceNetwork;
use super::subnet::SubnetRef;
use super::vpc::VpcRef;
use crate::handle::{AsHandle, Handle, Linked, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthWarning, VpcMarker};

/// A service-network endpoint (`AWS::EC2::VPCEndpoint`, `VpcEndpointType: ServiceNetwork`) in
/// VPC `V`: network interfaces in the consumer's subnets through which its clients reach every
/// resource configuration associated with one [`ServiceNetwork`](crate::lattice::ServiceNetwork) — of
/// this stack, or of another by its exported ARN. An endpoint connects to exactly one service
/// network (PrivateLink guide, "Access service networks"); one endpoint then serves any number
/// of resources, where [`ResourceEndpoint`](crate::lattice::ResourceEndpoint)s take one each.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::lattice::{ServiceNetwork, ServiceNetworkEndpoint};
/// vpcform_net::topology! { stack Shared {} stack App { vpc AppVpc } }
/// let mut shared = Stack::<Shared>::new("Shared");
/// let network = shared.add("Databases", ServiceNetwork::builder().name("databases").build());
/// let arn = shared.export("DatabasesArn", &network);
///
/// let mut app = Stack::<App>::new("App");
/// let vpc = app.add("AppVpc", Vpc::<AppVpc>::builder().cidr(cidr!("10.6.0.0/16")).build());
/// let a = app.add("AppA", Subnet::builder().vpc(&vpc).cidr(cidr!("10.6.1.0/24")).availability_zone(Az::index(0)).build());
/// let imported = app.import(&arn);
/// app.add(
///     "DatabasesEndpoint",
///     ServiceNetworkEndpoint::builder().vpc(&vpc).service_network(imported).subnets([&a]).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ServiceNetworkEndpoint<V: VpcMarker> {
    /// `VpcId`. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// `ServiceNetworkArn`: a network of this stack, or its ARN imported. Required.
    #[builder(setter(transform = |network: impl IntoServiceNetwork<V::Stack>| network.service_network()))]
    service_network: Linked,
    /// `SubnetIds`, one per Availability Zone. Required, at least one.
    #[builder(setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    subnets: Vec<SubnetRef<V>>,
    /// `SecurityGroupIds`. Default: none given, and AWS uses the VPC's default group.
    #[builder(default, setter(transform = |list: impl IntoIterator<Item = impl AsHandle<SecurityGroupRef<V>>>| groups(list)))]
    security_groups: Vec<SecurityGroupRef<V>>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`ServiceNetworkEndpoint`] of VPC `V`.
    ServiceNetworkEndpointRef exports crate::export::VpcEndpointId
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ServiceNetworkEndpoint<V> {
    type Handle = ServiceNetworkEndpointRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ServiceNetworkEndpointRef<V> {
        ServiceNetworkEndpointRef::new(stack.push(Node::ServiceNetworkEndpoint(
            ServiceNetworkEndpointNode {
                tags: self.tags,
                id,
                vpc: self.vpc.handle,
                service_network: self.service_network,
                subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
                security_groups: self.security_groups.into_iter().map(|g| g.handle).collect(),
            },
        )))
    }
}

pub(crate) struct ServiceNetworkEndpointNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    pub(crate) service_network: Linked,
    pub(crate) subnets: Vec<Handle>,
    pub(crate) security_groups: Vec<Handle>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl ConstructNode for ServiceNetworkEndpointNode {
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
        // Of another account, it waits for the network's share (`steps.rs`).
        if let Some(network) = self.service_network.key() {
            relations.shared_users.entry(network).or_default().push(key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check_placement(
            check,
            &self.id,
            &self.vpc,
            &self.subnets,
            &self.security_groups,
        );
        check.linked(&self.service_network, &self.id, "ServiceNetworkArn");
        // "at least one AZ of the VPC endpoint and the resource gateway must overlap" (VPC
        // Lattice guide, resource gateways; docs/aws-rules.md §18.8). AWS creates the endpoint
        // anyway (the resources join the network separately), so each resource it cannot
        // reach is a warning here and unreachable in the traffic analysis.
        let Some(network) = self.service_network.key() else {
            return;
        };
        for configuration in check.model.configurations_in(network) {
            let gateway = check
                .model
                .get::<ResourceConfigurationNode>(configuration)
                .and_then(|c| {
                    check
                        .model
                        .get::<ResourceGatewayNode>(&c.gateway)
                        .map(|g| (&c.gateway, g))
                });
            let Some((gateway_handle, gateway)) = gateway else {
                continue;
            };
            // Across accounts, zones compare by AZ ID only: an error, as for PrivateLink.
            if let Some(error) = zones_across_accounts(
                check.model,
                (check.key, check.path(&self.id)),
                &self.subnets,
                gateway_handle,
                gateway,
            ) {
                check.report(error);
            } else if let Some((ours, theirs)) = zone_mismatch(
                check.model,
                check.key,
                &self.subnets,
                (gateway_handle.key, gateway),
            ) {
                check.warn(SynthWarning::LatticeZoneMismatch {
                    construct: check.path(&self.id),
                    zones: ours,
                    resource: configuration.path(),
                    gateway: gateway_handle.path(),
                    gateway_zones: theirs,
                });
            }
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        render_endpoint(
            ctx,
            template,
            (&self.id, &self.tags),
            (
                "ServiceNetwork",
                "ServiceNetworkArn",
                &self.service_network.value,
            ),
            &self.vpc,
            &self.subnets,
            &self.security_groups,
        )
    }

    fn pricing(&self) -> Pricing {
        // VPC Lattice's prices are not in the bundled file.
        Pricing::NotPriced
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::ServiceNetworkEndpoint {
            network: self.service_network.source.as_ref(),
        }
    }
}
