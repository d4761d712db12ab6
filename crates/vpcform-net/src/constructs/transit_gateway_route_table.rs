//! `TransitGatewayRouteTable`: a route table of a transit gateway, for segmented networks.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::transit_gateway::{IntoTransitGateway, SameStack, TransitGatewaySource};
use crate::StackMarker;
use crate::export::{Imported, TransitGatewayRouteTableId};
use crate::handle::handle;
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};

/// A transit gateway route table (`AWS::EC2::TransitGatewayRouteTable`) in stack `S`: with the
/// transit gateway's default route table off, each attachment is associated with one table
/// (its traffic is routed by it) and propagates its VPC's block into any number of them; a
/// [`TransitGatewayRoute`](crate::transit::TransitGatewayRoute) adds a static or blackhole route. The
/// segmented layouts of AWS's Transit Gateway guide ("isolated VPCs with shared services")
/// are built from these.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::transit::TransitGatewayRouteTable;
/// vpcform_net::topology! { stack Network {} }
/// let mut network = Stack::<Network>::new("Network");
/// let tgw = network.add("Tgw", TransitGateway::builder().default_route_table(false).build());
/// let shared = network.add("SharedRoutes", TransitGatewayRouteTable::builder().transit_gateway(&tgw).build());
/// let id = network.export("SharedRoutesId", &shared); // attachments of other stacks import it
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct TransitGatewayRouteTable<S> {
    /// The transit gateway: a handle of this stack, or its ID imported. Required.
    #[builder(setter(transform = |tgw: impl IntoTransitGateway<S>| tgw.transit_gateway()))]
    transit_gateway: TransitGatewaySource,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
    #[builder(default, setter(skip))]
    _stack: PhantomData<fn() -> S>,
}

handle! {
    /// A handle to a [`TransitGatewayRouteTable`] of stack `S`.
    TransitGatewayRouteTableRef exports TransitGatewayRouteTableId
}

impl<S: StackMarker> Construct<S> for TransitGatewayRouteTable<S> {
    type Handle = TransitGatewayRouteTableRef<S>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> TransitGatewayRouteTableRef<S> {
        TransitGatewayRouteTableRef::new(stack.push(Node::TransitGatewayRouteTable(
            TransitGatewayRouteTableNode {
                tags: self.tags,
                id,
                transit_gateway: self.transit_gateway,
            },
        )))
    }
}

/// What an attachment or route in stack `S` can name as a transit gateway route table: one of
/// the same stack, or one imported from another stack's export.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a transit gateway route table of stack `{S}`",
    label = "not a route table here",
    note = "a route table of another stack crosses stacks by its ID: \
            `let id = network.export(\"RoutesId\", &table);` then `spoke.import(&id)`"
)]
pub trait IntoTransitGatewayRouteTable<S> {
    #[doc(hidden)]
    fn route_table(self) -> TransitGatewayRouteTableSource;
}

/// A transit gateway route table as an attachment or route names it.
#[doc(hidden)]
pub type TransitGatewayRouteTableSource = crate::handle::Linked;

impl<S: SameStack<T>, T> IntoTransitGatewayRouteTable<T> for &TransitGatewayRouteTableRef<S> {
    fn route_table(self) -> TransitGatewayRouteTableSource {
        crate::handle::Linked::local(&self.handle, self.reference())
    }
}

impl<S> IntoTransitGatewayRouteTable<S> for Imported<S, TransitGatewayRouteTableId> {
    fn route_table(self) -> TransitGatewayRouteTableSource {
        crate::handle::Linked::imported(self)
    }
}

/// A transit gateway route table for an attachment of stack `S` to propagate into.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::transit::TransitGatewayRouteTable;
/// use vpcform_net::transit::PropagationRouteTable;
/// vpcform_net::topology! { stack Network {} }
/// let mut network = Stack::<Network>::new("Network");
/// let tgw = network.add("Tgw", TransitGateway::builder().default_route_table(false).build());
/// let table = network.add("Routes", TransitGatewayRouteTable::builder().transit_gateway(&tgw).build());
/// let propagations = [PropagationRouteTable::<Network>::of(&table)];
/// ```
pub struct PropagationRouteTable<S> {
    pub(crate) source: TransitGatewayRouteTableSource,
    _stack: PhantomData<fn() -> S>,
}

impl<S> PropagationRouteTable<S> {
    /// A route table of this stack, or one imported.
    ///
    /// See [`PropagationRouteTable`] for an example.
    pub fn of(table: impl IntoTransitGatewayRouteTable<S>) -> PropagationRouteTable<S> {
        PropagationRouteTable {
            source: table.route_table(),
            _stack: PhantomData,
        }
    }
}

pub(crate) struct TransitGatewayRouteTableNode {
    pub(crate) id: Arc<str>,
    pub(crate) transit_gateway: TransitGatewaySource,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl TransitGatewayRouteTableNode {
    /// The transit gateway's construct, when the app has it.
    pub(crate) fn transit_gateway_key(&self) -> Option<crate::identity::NodeKey> {
        self.transit_gateway.key()
    }
}

impl ConstructNode for TransitGatewayRouteTableNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Regional, like its transit gateway.
        None
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.linked(&self.transit_gateway, &self.id, "TransitGatewayId");
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::TransitGatewayRouteTable")
                .property("TransitGatewayId", self.transit_gateway.value.clone())
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // Billed through the attachments.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // Routing inside the transit gateway: not drawn.
        Drawing::Hidden
    }
}
