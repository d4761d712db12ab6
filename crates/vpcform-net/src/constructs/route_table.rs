//! `RouteTable`: routes for the subnets associated with it.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::subnet::SubnetRef;
use super::vpc::VpcRef;
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// A route table (`AWS::EC2::RouteTable`) of VPC `V`, with a
/// `AWS::EC2::SubnetRouteTableAssociation` for each subnet given.
///
/// Gateway endpoints add their routes to route tables (see
/// [`GatewayEndpoint`](crate::endpoints::GatewayEndpoint)).
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Consumer { vpc VpcA } }
///
/// let mut stack = Stack::<Consumer>::new("Consumer");
/// let vpc = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let subnet = stack.add(
///     "PrivateA",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let routes = stack.add("PrivateRoutesA", RouteTable::builder().vpc(&vpc).subnets([&subnet]).build());
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct RouteTable<V: VpcMarker> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// Subnets to associate (each subnet has one route table). Default: none, which leaves the
    /// table unused until a subnet is associated.
    #[builder(default, setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    subnets: Vec<SubnetRef<V>>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`RouteTable`] added to a stack.
    RouteTableRef exports crate::export::RouteTableId
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for RouteTable<V> {
    type Handle = RouteTableRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> RouteTableRef<V> {
        RouteTableRef::new(stack.push(Node::RouteTable(RouteTableNode {
            tags: self.tags,
            id,
            vpc: self.vpc.handle,
            subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
            existing: None,
        })))
    }
}

pub(crate) struct RouteTableNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    /// The subnets associated with it: written as associations for a created table, facts
    /// for an existing one.
    pub(crate) subnets: Vec<Handle>,
    /// Where an existing table's ID comes from; `None` for one this stack creates.
    pub(crate) existing: Option<super::existing::ExistingId>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl RouteTableNode {
    fn association_id(&self, subnet: &Handle) -> String {
        format!("{}{}Association", self.id, subnet.id)
    }
}

impl ConstructNode for RouteTableNode {
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
        for subnet in &self.subnets {
            relations.route_table_of.entry(subnet.key).or_insert(key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
        check.handles(&self.id, "subnets", &self.subnets, self.vpc.vpc);
        if let Some(existing) = &self.existing {
            existing.check(check, &self.id, super::existing::ExistingKind::RouteTable);
        }
        // A subnet is associated with one route table: a second association of the same
        // subnet fails (`Resource.AlreadyAssociated`, EC2 AssociateRouteTable).
        for subnet in &self.subnets {
            if let Some(other) = check.claim(Claim::RouteTableOf(subnet.key)) {
                check.report(SynthError::SubnetAlreadyAssociated {
                    construct: check.path(&self.id),
                    subnet: subnet.path(),
                    other,
                });
            }
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        if let Some(existing) = &self.existing {
            // The subnets it serves are facts: their associations exist already.
            return existing.render(
                ctx,
                template,
                &self.id,
                super::existing::ExistingKind::RouteTable,
            );
        }
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::RouteTable")
                .property("VpcId", self.vpc.reference())
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )?;
        for subnet in &self.subnets {
            template.add_resource(
                self.association_id(subnet),
                Resource::new("AWS::EC2::SubnetRouteTableAssociation")
                    .property("RouteTableId", Value::reference(&*self.id))
                    .property("SubnetId", subnet.reference()),
            )?;
        }
        Ok(())
    }

    fn pricing(&self) -> Pricing {
        // Free.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // Structure drawn through the boxes it connects.
        Drawing::Hidden
    }
}
