//! `TransitGatewayRouteTableAssociation`: a peering attachment, or a VPC attachment of another
//! account, associated with a transit gateway route table by its owner.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::transit_gateway::{SameStack, TransitGatewayNode};
use super::transit_gateway_attachment::TransitGatewayAttachmentNode;
use super::transit_gateway_peering::{
    PeeringAccepterAttachment, TransitGatewayPeeringNode, TransitGatewayPeeringRef,
};
use super::transit_gateway_route::check_attachment;
use super::transit_gateway_route_table::{
    IntoTransitGatewayRouteTable, TransitGatewayRouteTableNode, TransitGatewayRouteTableSource,
};
use crate::StackMarker;
use crate::export::{Imported, TransitGatewayAttachmentId};
use crate::handle::Linked;
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};

/// The association (`AWS::EC2::TransitGatewayRouteTableAssociation`) of a transit gateway
/// peering attachment with a route table of one of its two transit gateways, in stack `S`:
/// the table routes what arrives over the peering on that side. A VPC attachment names its
/// table itself ([`TransitGatewayAttachment`](crate::transit::TransitGatewayAttachment)'s
/// `association`), except one of another account attached to a shared transit gateway: only
/// the gateway's owner runs the route table APIs, so the owner's stack associates it, by the
/// attachment's ID imported.
///
/// The attachment must be accepted first, so this goes in a stack deployed after the
/// acceptance: the requester's side takes the peering's ID imported, the accepter's side a
/// [`PeeringAccepterAttachment`]. With its transit gateway's default route table on, the
/// peering is associated with that table already.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::transit::{
///     ExternalTransitGateway, TransitGatewayPeering, TransitGatewayRouteTable,
///     TransitGatewayRouteTableAssociation,
/// };
/// vpcform_net::topology! { stack East {} stack EastRoutes {} }
/// let mut east = Stack::<East>::new("East").region("us-east-1");
/// let tgw = east.add("Tgw", TransitGateway::builder().default_route_table(false).build());
/// let table = east.add("FromWest", TransitGatewayRouteTable::builder().transit_gateway(&tgw).build());
/// let table_id = east.export("FromWestId", &table);
/// let peer = ExternalTransitGateway::new("tgw-0123456789abcdef0", "123456789012", "us-west-2");
/// let peering = east.add("ToWest", TransitGatewayPeering::builder().transit_gateway(&tgw).peer(peer).build());
/// let peering_id = east.export("ToWestId", &peering);
/// let mut routes = Stack::<EastRoutes>::new("EastRoutes").region("us-east-1");
/// let table = routes.import(&table_id);
/// let peering = routes.import(&peering_id);
/// routes.add(
///     "PeeringAssociation",
///     TransitGatewayRouteTableAssociation::builder().route_table(table).attachment(peering).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct TransitGatewayRouteTableAssociation<S> {
    /// `TransitGatewayRouteTableId`: a route table of this stack, or its ID imported. Required.
    #[builder(setter(transform = |table: impl IntoTransitGatewayRouteTable<S>| table.route_table()))]
    route_table: TransitGatewayRouteTableSource,
    /// `TransitGatewayAttachmentId`: the peering attachment, its ID imported (the requester's
    /// side) or a [`PeeringAccepterAttachment`] (the accepter's); or a VPC attachment of
    /// another stack without an `.association` of its own, its ID imported. Required.
    #[builder(setter(transform = |attachment: impl IntoPeeringAttachment<S>| attachment.peering_attachment()))]
    attachment: (Linked, bool),
    #[builder(default, setter(skip))]
    _stack: PhantomData<fn() -> S>,
}

/// What an association in stack `S` can name as its peering attachment.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a peering attachment an association in stack `{S}` can name",
    note = "give the peering's ID imported (`let id = network.export(\"PeeringId\", &peering);` \
            then `routes.import(&id)`), or `PeeringAccepterAttachment` on the accepter's side"
)]
pub trait IntoPeeringAttachment<S> {
    #[doc(hidden)]
    fn peering_attachment(self) -> (Linked, bool);
}

/// A peering of this stack compiles so that synthesis can say why it cannot be associated
/// yet (it is `pendingAcceptance`) and what to do instead.
impl<S: SameStack<T>, T> IntoPeeringAttachment<T> for &TransitGatewayPeeringRef<S> {
    fn peering_attachment(self) -> (Linked, bool) {
        (Linked::local(&self.handle, self.handle.reference()), false)
    }
}

impl<S> IntoPeeringAttachment<S> for Imported<S, TransitGatewayAttachmentId> {
    fn peering_attachment(self) -> (Linked, bool) {
        (Linked::imported(self), false)
    }
}

impl<S> IntoPeeringAttachment<S> for PeeringAccepterAttachment<S> {
    fn peering_attachment(self) -> (Linked, bool) {
        (self.linked, true)
    }
}

impl<S: StackMarker> Construct<S> for TransitGatewayRouteTableAssociation<S> {
    type Handle = ();

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) {
        stack.push(Node::TransitGatewayRouteTableAssociation(
            TransitGatewayRouteTableAssociationNode {
                id,
                route_table: self.route_table,
                attachment: self.attachment.0,
                accepter: self.attachment.1,
            },
        ));
    }
}

pub(crate) struct TransitGatewayRouteTableAssociationNode {
    pub(crate) id: Arc<str>,
    pub(crate) route_table: TransitGatewayRouteTableSource,
    pub(crate) attachment: Linked,
    pub(crate) accepter: bool,
}

impl TransitGatewayRouteTableAssociationNode {
    /// Why a VPC attachment cannot be named here, if it cannot. Only the transit gateway's
    /// owner runs the route table APIs, so a VPC of another account that attaches to a shared
    /// transit gateway is associated by the owner (Transit Gateway guide, "Transit gateway
    /// sharing considerations": only the resource owner can "run all transit gateway,
    /// transit gateway attachment, and transit gateway route tables APIs"): its attachment's
    /// ID imported into the owner's stack. One of this stack is associated by its own
    /// `.association(…)`, and an attachment has one route table.
    fn vpc_attachment_refused(
        &self,
        check: &Check<'_>,
        source: &crate::handle::Handle,
    ) -> Option<&'static str> {
        if self.attachment.local {
            return Some(
                "a VPC attachment of this stack names its route table itself; give it \
                 .association(…) instead",
            );
        }
        let attachment = check.model.get::<TransitGatewayAttachmentNode>(source)?;
        attachment.association.is_some().then_some(
            "the VPC attachment is associated by its own .association(…) already; an \
             attachment has one route table; remove one of the two",
        )
    }

    /// The route table's transit gateway, when the app has both.
    fn table_tgw(&self, model: &crate::model::Model<'_>) -> Option<NodeKey> {
        model
            .get::<TransitGatewayRouteTableNode>(self.route_table.source.as_ref()?)?
            .transit_gateway_key()
    }
}

impl ConstructNode for TransitGatewayRouteTableAssociationNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Regional, like its transit gateway.
        None
    }

    fn tags(&self) -> Option<&crate::Tags> {
        // AWS::EC2::TransitGatewayRouteTableAssociation is not taggable.
        None
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        // Related once the model has every table's transit gateway (`Model::new`).
        relations.table_associations.push(key);
        // "the attachment must be in the available state" to be associated: it waits for the
        // peering's acceptance (`steps.rs`).
        if let Some(attachment) = self.attachment.key() {
            relations
                .attachment_users
                .entry(attachment)
                .or_default()
                .push(key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.linked(&self.route_table, &self.id, "TransitGatewayRouteTableId");
        let table_tgw = self.table_tgw(check.model);
        let peering = self
            .attachment
            .source
            .as_ref()
            .and_then(|s| check.model.get::<TransitGatewayPeeringNode>(s));
        if peering.is_none()
            && let Some(source) = &self.attachment.source
            && let Some(reason) = self.vpc_attachment_refused(check, source)
        {
            check.report(crate::SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "TransitGatewayAttachmentId",
                value: source.path(),
                reason: reason.into(),
            });
            return;
        }
        check_attachment(
            check,
            &self.id,
            table_tgw,
            &self.attachment,
            self.accepter,
            "association",
        );
        let Some(tgw) = table_tgw else {
            return;
        };
        // With the default route table on, an attachment is associated with it already: "is
        // already associated to a route table" (docs/aws-rules.md §18.3), as for VPC
        // attachments.
        if check
            .model
            .get_key::<TransitGatewayNode>(tgw)
            .is_some_and(|t| t.default_route_table)
        {
            check.report(crate::SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "TransitGatewayRouteTableId",
                value: check.model.path(tgw),
                reason: "the transit gateway's default route table is on, so the \
                         attachment is associated with it already; turn default_route_table \
                         off on the transit gateway"
                    .into(),
            });
        }
        // One route table per attachment on each side.
        if let Some(peering) = self.attachment.key()
            && let Some(other) = check.claim(Claim::PeeringAssociation {
                peering,
                transit_gateway: tgw,
            })
        {
            check.report(crate::SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "TransitGatewayAttachmentId",
                value: check.model.path(peering),
                reason: format!(
                    "the attachment is associated on this side by {other} already; an \
                     attachment has one route table; remove one of the two"
                ),
            });
        }
    }

    fn render(&self, _ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::TransitGatewayRouteTableAssociation")
                .property("TransitGatewayAttachmentId", self.attachment.value.clone())
                .property("TransitGatewayRouteTableId", self.route_table.value.clone()),
        )
    }

    fn pricing(&self) -> Pricing {
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // Routing inside the transit gateway: not drawn.
        Drawing::Hidden
    }
}
