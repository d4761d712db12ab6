//! `ResourceConfiguration`: one resource (an IP or a DNS name, with ports) offered through a
//! VPC Lattice resource gateway.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::resource_gateway::{ResourceGatewayNode, ResourceGatewayRef, lattice_name};
use super::vpc::VpcNode;
use crate::export::{Exportable, OutputValue};
use crate::handle::{Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// A VPC Lattice resource configuration (`AWS::VpcLattice::ResourceConfiguration`, type
/// `SINGLE`, TCP) for a resource in VPC `V`, reached through one of its
/// [`ResourceGateway`](crate::lattice::ResourceGateway)s. Consumers connect with a
/// [`ResourceEndpoint`](crate::lattice::ResourceEndpoint) (`VpcEndpointType: Resource`) — in the same
/// stack by handle, or elsewhere by its exported ARN.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::lattice::{LatticeResource, ResourceConfiguration, ResourceGateway};
/// vpcform_net::topology! { stack Data { vpc DataVpc } }
/// let mut data = Stack::<Data>::new("Data");
/// let vpc = data.add("DataVpc", Vpc::<DataVpc>::builder().cidr(cidr!("10.5.0.0/16")).build());
/// let a = data.add(
///     "DataA",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.5.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let gateway = data.add("Gateway", ResourceGateway::builder().name("data-gateway").vpc(&vpc).subnets([&a]).build());
/// let database = data.add(
///     "Database",
///     ResourceConfiguration::builder()
///         .name("orders-db")
///         .gateway(&gateway)
///         .resource(LatticeResource::ip("10.5.1.20"))
///         .ports([(5432, 5432)])
///         .build(),
/// );
/// let arn = data.export("DatabaseArn", &database);
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ResourceConfiguration<V: VpcMarker> {
    /// `Name`: 3–40 lowercase letters, digits and hyphens, not starting with `rcfg-`, unique
    /// in the account. Required.
    #[builder(setter(into))]
    name: String,
    /// `ResourceGatewayId`: a gateway of the resource's VPC. Required.
    #[builder(setter(into))]
    gateway: ResourceGatewayRef<V>,
    /// `ResourceConfigurationDefinition`: the resource. Required.
    resource: LatticeResource,
    /// `PortRanges`: inclusive TCP port ranges, `(5432, 5432)` for one port. Required, at
    /// least one.
    #[builder(setter(transform = |ranges: impl IntoIterator<Item = (u16, u16)>| ranges.into_iter().collect()))]
    ports: Vec<(u16, u16)>,
    /// `AllowAssociationToSharableServiceNetwork`: whether the configuration may join a
    /// [`ServiceNetwork`](crate::lattice::ServiceNetwork) that is shareable with other accounts.
    /// Default: no, AWS's default.
    #[builder(default)]
    shareable_service_networks: bool,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

/// What a [`ResourceConfiguration`] offers.
///
/// ```
/// use vpcform_net::lattice::LatticeResource;
/// let by_ip = LatticeResource::ip("10.5.1.20");
/// let by_name = LatticeResource::dns("orders.internal.example.com");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LatticeResource {
    /// `IpResource`: an IPv4 address in the gateway's VPC.
    Ip(String),
    /// `DnsResource`: a publicly resolvable domain name (IPv4).
    Dns(String),
}

impl LatticeResource {
    /// An IPv4 address in the gateway's VPC.
    ///
    /// See [`LatticeResource`] for an example.
    pub fn ip(address: impl Into<String>) -> LatticeResource {
        LatticeResource::Ip(address.into())
    }

    /// A publicly resolvable domain name.
    ///
    /// See [`LatticeResource`] for an example.
    pub fn dns(name: impl Into<String>) -> LatticeResource {
        LatticeResource::Dns(name.into())
    }
}

handle! {
    /// A handle to a [`ResourceConfiguration`] of VPC `V`.
    ResourceConfigurationRef
}

impl<V> Exportable for &ResourceConfigurationRef<V> {
    type Carries = crate::export::ResourceConfigurationArn;

    /// Its ARN (`Fn::GetAtt Arn`): what a resource endpoint takes.
    fn output_value(self) -> OutputValue {
        OutputValue::of_handle(&self.handle, Value::get_att(&*self.handle.id, "Arn"))
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ResourceConfiguration<V> {
    type Handle = ResourceConfigurationRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ResourceConfigurationRef<V> {
        ResourceConfigurationRef::new(stack.push(Node::ResourceConfiguration(
            ResourceConfigurationNode {
                tags: self.tags,
                id,
                name: self.name,
                gateway: self.gateway.handle,
                resource: self.resource,
                ports: self.ports,
                shareable_networks: self.shareable_service_networks,
            },
        )))
    }
}

pub(crate) struct ResourceConfigurationNode {
    pub(crate) id: Arc<str>,
    name: String,
    pub(crate) gateway: Handle,
    resource: LatticeResource,
    pub(crate) ports: Vec<(u16, u16)>,
    pub(crate) shareable_networks: bool,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl ConstructNode for ResourceConfigurationNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Its gateway's: the resource it offers is in that VPC.
        self.gateway.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "ResourceGatewayId", &self.gateway, None);
        let mut invalid = Vec::new();
        if let Err(reason) = lattice_name(&self.name, 3, 40, "rcfg-") {
            invalid.push(("Name", self.name.clone(), reason));
        }
        check.non_empty(
            &self.id,
            "PortRanges",
            &self.ports,
            "give the TCP ports consumers connect to",
        );
        for &(from, to) in &self.ports {
            if from == 0 || from > to {
                invalid.push((
                    "PortRanges",
                    format!("{from}-{to}"),
                    "ports are 1 to 65535 and a range runs low to high".to_string(),
                ));
            }
        }
        match &self.resource {
            // "only IP addresses in the VPC are supported" (VpcLattice IpResource).
            LatticeResource::Ip(text) => match text.parse::<std::net::Ipv4Addr>() {
                Err(_) => invalid.push((
                    "IpResource",
                    text.clone(),
                    "not an IPv4 address".to_string(),
                )),
                Ok(address) => {
                    let vpc = check
                        .get::<ResourceGatewayNode>(&self.gateway)
                        .and_then(|g| g.vpc.vpc)
                        .and_then(|v| check.model.get_key::<VpcNode>(v).map(|n| (v, n)));
                    if let Some((key, vpc)) = vpc
                        && let Some(cidr) = vpc.parsed
                        && !(cidr.first()..=cidr.last()).contains(&u32::from(address))
                    {
                        invalid.push((
                            "IpResource",
                            text.clone(),
                            format!(
                                "outside the gateway's VPC {} ({cidr}): a resource configuration \
                                 reaches addresses in its gateway's VPC only",
                                check.model.path(key)
                            ),
                        ));
                    }
                }
            },
            // DomainName: 3–255 characters (DnsResource).
            LatticeResource::Dns(name) => {
                if !(3..=255).contains(&name.len()) || name.contains(char::is_whitespace) {
                    invalid.push((
                        "DnsResource.DomainName",
                        name.clone(),
                        "a domain name of 3 to 255 characters".to_string(),
                    ));
                }
            }
        }
        for (property, value, reason) in invalid {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property,
                value,
                reason,
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let definition = match &self.resource {
            LatticeResource::Ip(address) => {
                let mut map = indexmap::IndexMap::new();
                map.insert("IpResource".to_string(), Value::from(address.as_str()));
                map
            }
            LatticeResource::Dns(name) => {
                let mut dns = indexmap::IndexMap::new();
                dns.insert("DomainName".to_string(), Value::from(name.as_str()));
                dns.insert("IpAddressType".to_string(), Value::from("IPV4"));
                let mut map = indexmap::IndexMap::new();
                map.insert("DnsResource".to_string(), Value::Map(dns));
                map
            }
        };
        let ports = Value::List(
            self.ports
                .iter()
                .map(|&(from, to)| {
                    Value::from(if from == to {
                        from.to_string()
                    } else {
                        format!("{from}-{to}")
                    })
                })
                .collect(),
        );
        let mut resource = Resource::new("AWS::VpcLattice::ResourceConfiguration")
            .property("Name", self.name.as_str())
            .property("ResourceConfigurationType", "SINGLE")
            .property("ResourceGatewayId", Value::get_att(&*self.gateway.id, "Id"))
            .property("ProtocolType", "TCP")
            .property("PortRanges", ports)
            .property("ResourceConfigurationDefinition", Value::Map(definition));
        if self.shareable_networks {
            resource = resource.property("AllowAssociationToSharableServiceNetwork", true);
        }
        template.add_resource(
            &*self.id,
            resource.property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // VPC Lattice's resource prices are not in the bundled file.
        Pricing::NotPriced
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Box {
            label: "resource configuration",
            shape: "cylinder",
        }
    }
}
