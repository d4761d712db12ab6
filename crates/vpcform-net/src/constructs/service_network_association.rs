//! `ServiceNetworkResourceAssociation`: a resource configuration joining a VPC Lattice
//! service network.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::resource_configuration::{ResourceConfigurationNode, ResourceConfigurationRef};
use super::service_network::{IntoServiceNetwork, ServiceNetworkNode};
use crate::handle::{Handle, Linked, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// A service-network resource association
/// (`AWS::VpcLattice::ServiceNetworkResourceAssociation`): makes a
/// [`ResourceConfiguration`](crate::lattice::ResourceConfiguration) of this stack reachable through a
/// [`ServiceNetwork`](crate::lattice::ServiceNetwork) — of this stack, or of another by its exported
/// ARN — and so through every [`ServiceNetworkEndpoint`](crate::lattice::ServiceNetworkEndpoint) to
/// that network ("This allows the resource configuration to receive connections through the
/// service network, including through a service network VPC endpoint": VPC Lattice API,
/// `CreateServiceNetworkResourceAssociation`).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::lattice::{
///     LatticeResource, ResourceConfiguration, ResourceGateway, ServiceNetwork,
///     ServiceNetworkResourceAssociation,
/// };
/// vpcform_net::topology! { stack Data { vpc DataVpc } }
/// let mut data = Stack::<Data>::new("Data");
/// let vpc = data.add("DataVpc", Vpc::<DataVpc>::builder().cidr(cidr!("10.5.0.0/16")).build());
/// let a = data.add("DataA", Subnet::builder().vpc(&vpc).cidr(cidr!("10.5.1.0/24")).availability_zone(Az::index(0)).build());
/// let gateway = data.add("Gateway", ResourceGateway::builder().name("data-gateway").vpc(&vpc).subnets([&a]).build());
/// let db = data.add(
///     "Database",
///     ResourceConfiguration::builder().name("orders-db").gateway(&gateway)
///         .resource(LatticeResource::ip("10.5.1.20")).ports([(5432, 5432)]).build(),
/// );
/// let network = data.add("Databases", ServiceNetwork::builder().name("databases").build());
/// data.add(
///     "DatabaseInNetwork",
///     ServiceNetworkResourceAssociation::builder().service_network(&network).resource(&db).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ServiceNetworkResourceAssociation<V: VpcMarker> {
    /// `ServiceNetworkId`: a network of this stack, or its ARN imported. Required.
    #[builder(setter(transform = |network: impl IntoServiceNetwork<V::Stack>| network.service_network()))]
    service_network: Linked,
    /// `ResourceConfigurationId`: a configuration of this stack (AWS takes its ID, not its
    /// ARN). Required.
    #[builder(setter(into))]
    resource: ResourceConfigurationRef<V>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`ServiceNetworkResourceAssociation`] of a configuration in VPC `V`.
    ServiceNetworkResourceAssociationRef
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S>
    for ServiceNetworkResourceAssociation<V>
{
    type Handle = ServiceNetworkResourceAssociationRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ServiceNetworkResourceAssociationRef<V> {
        ServiceNetworkResourceAssociationRef::new(stack.push(
            Node::ServiceNetworkResourceAssociation(ServiceNetworkResourceAssociationNode {
                tags: self.tags,
                id,
                service_network: self.service_network,
                resource: self.resource.handle,
            }),
        ))
    }
}

pub(crate) struct ServiceNetworkResourceAssociationNode {
    pub(crate) id: Arc<str>,
    pub(crate) service_network: Linked,
    pub(crate) resource: Handle,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl ConstructNode for ServiceNetworkResourceAssociationNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Its configuration's: the resource it adds to the network is there.
        self.resource.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        if let Some(network) = self.service_network.key() {
            relations
                .associations_of
                .entry(network)
                .or_default()
                .push(key);
            relations.shared_users.entry(network).or_default().push(key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "ResourceConfigurationId", &self.resource, None);
        check.linked(&self.service_network, &self.id, "ServiceNetworkId");
        // CreateResourceConfiguration, `allowAssociationToShareableServiceNetwork`: "Specifies
        // whether the resource configuration can be associated with a sharable service
        // network. The default is false." (VPC Lattice API reference; docs/aws-rules.md §18.8).
        let network = self
            .service_network
            .source
            .as_ref()
            .and_then(|h| check.model.get::<ServiceNetworkNode>(h).map(|n| (h, n)));
        let configuration = check.model.get::<ResourceConfigurationNode>(&self.resource);
        if let Some((network_handle, network)) = network
            && let Some(configuration) = configuration
            && network.shareable
            && !configuration.shareable_networks
        {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "ResourceConfigurationId",
                value: self.resource.path(),
                reason: format!(
                    "service network {} is shareable, and AWS lets a resource configuration join \
                     a shareable network only when it allows it: set \
                     `.shareable_service_networks(true)` on {}, or make the network not shareable",
                    network_handle.path(),
                    self.resource.path()
                ),
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::VpcLattice::ServiceNetworkResourceAssociation")
                .property("ServiceNetworkId", self.service_network.value.clone())
                .property(
                    "ResourceConfigurationId",
                    Value::get_att(&*self.resource.id, "Id"),
                )
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // VPC Lattice's prices are not in the bundled file.
        Pricing::NotPriced
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::LatticeAssociation {
            network: self.service_network.source.as_ref(),
            resource: &self.resource,
        }
    }
}
