//! `ResourceEndpoint`: a VPC endpoint of type `Resource`, reaching one VPC Lattice resource
//! configuration from a consumer VPC.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::resource_configuration::{ResourceConfigurationNode, ResourceConfigurationRef};
use super::resource_gateway::ResourceGatewayNode;
use super::security_group::{SecurityGroupRef, groups};
use super::subnet::{SubnetRef, check_one_subnet_per_az};
use super::vpc::VpcRef;
use crate::export::{Imported, ResourceConfigurationArn};
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Placement, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{Az, InStack, StackMarker, SynthError, VpcMarker};

/// A resource endpoint (`AWS::EC2::VPCEndpoint`, `VpcEndpointType: Resource`) in VPC `V`:
/// network interfaces in the consumer's subnets through which its clients reach one
/// [`ResourceConfiguration`](crate::lattice::ResourceConfiguration) — of this stack, or of another by
/// its exported ARN. At least one of the endpoint's zones must be one of the resource
/// gateway's (checked at synth when both are in the app).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::lattice::{LatticeResource, ResourceConfiguration, ResourceEndpoint, ResourceGateway};
/// vpcform_net::topology! { stack Data { vpc DataVpc } stack App { vpc AppVpc } }
/// let mut data = Stack::<Data>::new("Data");
/// let vpc = data.add("DataVpc", Vpc::<DataVpc>::builder().cidr(cidr!("10.5.0.0/16")).build());
/// let a = data.add("DataA", Subnet::builder().vpc(&vpc).cidr(cidr!("10.5.1.0/24")).availability_zone(Az::index(0)).build());
/// let gateway = data.add("Gateway", ResourceGateway::builder().name("data-gateway").vpc(&vpc).subnets([&a]).build());
/// let db = data.add(
///     "Database",
///     ResourceConfiguration::builder().name("orders-db").gateway(&gateway)
///         .resource(LatticeResource::ip("10.5.1.20")).ports([(5432, 5432)]).build(),
/// );
/// let arn = data.export("DatabaseArn", &db);
///
/// let mut app = Stack::<App>::new("App");
/// let app_vpc = app.add("AppVpc", Vpc::<AppVpc>::builder().cidr(cidr!("10.6.0.0/16")).build());
/// let b = app.add("AppA", Subnet::builder().vpc(&app_vpc).cidr(cidr!("10.6.1.0/24")).availability_zone(Az::index(0)).build());
/// let imported = app.import(&arn);
/// app.add("OrdersDb", ResourceEndpoint::builder().vpc(&app_vpc).resource(imported).subnets([&b]).build());
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ResourceEndpoint<V: VpcMarker> {
    /// `VpcId`. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// `ResourceConfigurationArn`: a configuration of this stack, or its ARN imported.
    /// Required.
    #[builder(setter(transform = |resource: impl IntoResourceConfiguration<V::Stack>| resource.resource_configuration()))]
    resource: ResourceSource,
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

/// What a resource endpoint in stack `S` can connect to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a resource configuration a resource endpoint of stack `{S}` can name",
    note = "give a `&ResourceConfigurationRef` of this stack, or its ARN imported: \
            `app.import(&data.export(\"DatabaseArn\", &configuration))`"
)]
pub trait IntoResourceConfiguration<S> {
    #[doc(hidden)]
    fn resource_configuration(self) -> ResourceSource;
}

/// The resource configuration an endpoint names.
#[doc(hidden)]
pub type ResourceSource = crate::handle::Linked;

impl<S, W: VpcMarker + InStack<S>> IntoResourceConfiguration<S> for &ResourceConfigurationRef<W> {
    fn resource_configuration(self) -> ResourceSource {
        crate::handle::Linked::local(&self.handle, Value::get_att(self.logical_id(), "Arn"))
    }
}

impl<S> IntoResourceConfiguration<S> for Imported<S, ResourceConfigurationArn> {
    fn resource_configuration(self) -> ResourceSource {
        crate::handle::Linked::imported(self)
    }
}

handle! {
    /// A handle to a [`ResourceEndpoint`] of VPC `V`.
    ResourceEndpointRef exports crate::export::VpcEndpointId
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ResourceEndpoint<V> {
    type Handle = ResourceEndpointRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ResourceEndpointRef<V> {
        ResourceEndpointRef::new(stack.push(Node::ResourceEndpoint(ResourceEndpointNode {
            tags: self.tags,
            id,
            vpc: self.vpc.handle,
            resource: self.resource,
            subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
            security_groups: self.security_groups.into_iter().map(|g| g.handle).collect(),
        })))
    }
}

pub(crate) struct ResourceEndpointNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    resource: ResourceSource,
    pub(crate) subnets: Vec<Handle>,
    pub(crate) security_groups: Vec<Handle>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl ResourceEndpointNode {
    /// The resource configuration's construct, when the app has it.
    pub(crate) fn configuration(&self) -> Option<&Handle> {
        self.resource.source.as_ref()
    }
}

// The VPC Lattice endpoints' shared pieces (resource and service-network endpoints).

/// Where a Lattice endpoint's interfaces go: its VPC's subnets, one per zone, at least one, and
/// its VPC's groups.
pub(crate) fn check_placement(
    check: &mut Check<'_>,
    id: &str,
    vpc: &Handle,
    subnets: &[Handle],
    security_groups: &[Handle],
) {
    check.handle(id, "VpcId", vpc, None);
    check.handles(id, "SubnetIds", subnets, vpc.vpc);
    check.handles(id, "SecurityGroupIds", security_groups, vpc.vpc);
    check.non_empty(
        id,
        "SubnetIds",
        subnets,
        "give the subnets, one per Availability Zone, for the endpoint's interfaces",
    );
    check_one_subnet_per_az(check, id, subnets);
}

/// A Lattice endpoint's `AWS::EC2::VPCEndpoint` (its ID and own tags): its type, and the
/// property naming what it reaches with its value.
pub(crate) fn render_endpoint(
    ctx: &Render<'_>,
    template: &mut Template,
    (id, tags): (&str, &crate::Tags),
    (endpoint_type, property, value): (&str, &str, &Value),
    vpc: &Handle,
    subnets: &[Handle],
    security_groups: &[Handle],
) -> Result<(), TemplateError> {
    let list = |handles: &[Handle]| Value::List(handles.iter().map(Handle::reference).collect());
    let mut resource = Resource::new("AWS::EC2::VPCEndpoint")
        .property("VpcEndpointType", endpoint_type)
        .property("VpcId", vpc.reference())
        .property(property, value.clone())
        .property("SubnetIds", list(subnets));
    if !security_groups.is_empty() {
        resource = resource.property("SecurityGroupIds", list(security_groups));
    }
    template.add_resource(id, resource.property("Tags", ctx.tags(id, tags)))
}

/// A resource gateway with no zone in common with the subnets of endpoint `own`: the zones of
/// both, when they can be compared (an index and a name cannot before deploy; across accounts,
/// only AZ IDs can: see [`zones_across_accounts`]).
pub(crate) fn zone_mismatch(
    model: &crate::model::Model<'_>,
    own: NodeKey,
    subnets: &[Handle],
    (gateway_key, gateway): (NodeKey, &ResourceGatewayNode),
) -> Option<(String, String)> {
    // By ID where a side's stack looked up its zone map (`Model::zone`); a zone that cannot
    // be told (reported on its subnet) leaves the overlap unknown.
    let zones = |subnets: &[Handle]| -> Option<Vec<std::borrow::Cow<'_, Az>>> {
        subnets
            .iter()
            .filter(|s| {
                model
                    .get::<crate::constructs::subnet::SubnetNode>(s)
                    .is_some()
            })
            .map(|s| model.zone(s))
            .collect()
    };
    let mut ours = zones(subnets)?;
    let mut theirs = zones(&gateway.subnets)?;
    if matches!(
        model.same_account(own, gateway_key),
        Placement::Different(..)
    ) {
        ours.retain(|az| matches!(az.as_ref(), Az::Id(_)));
        theirs.retain(|az| matches!(az.as_ref(), Az::Id(_)));
    }
    let comparable = ours.iter().any(|a| theirs.iter().any(|b| a.comparable(b)));
    if !comparable || ours.iter().any(|a| theirs.contains(a)) {
        return None;
    }
    let list = |azs: &[std::borrow::Cow<'_, Az>]| {
        azs.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some((list(&ours), list(&theirs)))
}

/// Across accounts, the error for the zones a Lattice endpoint (`own`, `construct`) compares
/// with a resource gateway's given by name or index: each account maps names and indexes to
/// its own physical zones, and only AZ IDs name the same zone everywhere (VPC Lattice guide,
/// "Resource gateways": "at least one Availability Zone of the VPC endpoint and the resource
/// gateway have to overlap"; a resource configuration reaches other accounts through AWS RAM.
/// AWS Regions and Availability Zones, "AZ IDs": "us-east-1a for your AWS account might not be
/// the same physical location as the us-east-1a for another AWS account", while an AZ ID "has
/// the same physical location in every AWS account").
/// `None` in one account (or an unknown one, as `privatelink.rs` does), or when every zone is
/// an ID.
pub(crate) fn zones_across_accounts(
    model: &crate::model::Model<'_>,
    (own, construct): (NodeKey, String),
    subnets: &[Handle],
    gateway: &Handle,
    node: &ResourceGatewayNode,
) -> Option<SynthError> {
    let Placement::Different(account, gateway_account) = model.same_account(own, gateway.key)
    else {
        return None;
    };
    let not_ids: Vec<String> = subnets
        .iter()
        .chain(&node.subnets)
        .filter_map(|s| Some((s, model.zone(s)?)))
        .filter(|(_, az)| !matches!(az.as_ref(), Az::Id(_)))
        .map(|(s, az)| format!("{} ({az})", s.path()))
        .collect();
    (!not_ids.is_empty()).then(|| SynthError::AzAcrossAccounts {
        construct,
        account: account.to_string(),
        service: gateway.path(),
        service_account: gateway_account.to_string(),
        subnets: not_ids.join(", "),
    })
}

impl ConstructNode for ResourceEndpointNode {
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
        // Of another account, it waits for the configuration's share (`steps.rs`).
        if let Some(configuration) = self.configuration() {
            relations
                .shared_users
                .entry(configuration.key)
                .or_default()
                .push(key);
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
        let Some(source) = &self.resource.source else {
            return;
        };
        check.linked(&self.resource, &self.id, "ResourceConfigurationArn");
        // "at least one AZ of the VPC endpoint and the resource gateway must overlap"
        // (VPC Lattice guide, resource gateways; docs/aws-rules.md §18.8). Zones written
        // differently (an index and a name) cannot be compared before deploy.
        let gateway = check
            .model
            .get::<ResourceConfigurationNode>(source)
            .and_then(|c| {
                check
                    .model
                    .get::<ResourceGatewayNode>(&c.gateway)
                    .map(|g| (&c.gateway, g))
            });
        let Some((gateway_handle, gateway)) = gateway else {
            return;
        };
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
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "SubnetIds",
                value: ours,
                reason: format!(
                    "no zone in common with resource gateway {} ({theirs}): AWS requires at \
                     least one; add a subnet in one of its zones",
                    gateway_handle.path(),
                ),
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        render_endpoint(
            ctx,
            template,
            (&self.id, &self.tags),
            ("Resource", "ResourceConfigurationArn", &self.resource.value),
            &self.vpc,
            &self.subnets,
            &self.security_groups,
        )
    }

    fn pricing(&self) -> Pricing {
        // VPC Lattice's resource prices are not in the bundled file.
        Pricing::NotPriced
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::ResourceEndpoint {
            configuration: self.configuration(),
        }
    }
}
