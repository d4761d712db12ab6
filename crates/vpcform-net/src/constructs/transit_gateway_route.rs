//! `TransitGatewayRoute`: a static or blackhole route in a transit gateway route table.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::transit_gateway::SameStack;
use super::transit_gateway_attachment::{
    TransitGatewayAttachmentNode, TransitGatewayAttachmentRef,
};
use super::transit_gateway_peering::{
    PeeringAccepterAttachment, TransitGatewayPeeringNode, TransitGatewayPeeringRef,
};
use super::transit_gateway_route_table::{
    IntoTransitGatewayRouteTable, TransitGatewayRouteTableNode, TransitGatewayRouteTableSource,
};
use crate::export::{Imported, TransitGatewayAttachmentId};
use crate::handle::Linked;
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, StackMarker, SynthError, VpcMarker};

/// A static route (`AWS::EC2::TransitGatewayRoute`) in a transit gateway route table of stack
/// `S`: a destination sent to an attachment (a VPC attachment of this stack, or a peering
/// attachment of another stack: [`TransitGatewayPeering`](crate::transit::TransitGatewayPeering)
/// says how each side names it), or dropped ([`Blackhole`]).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::transit::{TransitGatewayRoute, TransitGatewayRouteTable};
/// use vpcform_net::transit::Blackhole;
/// vpcform_net::topology! { stack Network {} }
/// let mut network = Stack::<Network>::new("Network");
/// let tgw = network.add("Tgw", TransitGateway::builder().default_route_table(false).build());
/// let table = network.add("Routes", TransitGatewayRouteTable::builder().transit_gateway(&tgw).build());
/// network.add(
///     "NoOnPremises",
///     TransitGatewayRoute::builder().route_table(&table).destination(cidr!("192.168.0.0/16")).target(Blackhole).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct TransitGatewayRoute<S> {
    /// `TransitGatewayRouteTableId`: a route table of this stack, or its ID imported. Required.
    #[builder(setter(transform = |table: impl IntoTransitGatewayRouteTable<S>| table.route_table()))]
    route_table: TransitGatewayRouteTableSource,
    /// `DestinationCidrBlock`. Required.
    #[builder(setter(into))]
    destination: CidrBlock,
    /// `TransitGatewayAttachmentId`: a VPC attachment of this stack, an attachment's ID
    /// imported (a peering attachment's, on the requester's side), a
    /// [`PeeringAccepterAttachment`] (on the accepter's side), or [`Blackhole`]. Required.
    #[builder(setter(transform = |target: impl IntoTransitGatewayRouteTarget<S>| target.transit_gateway_route_target()))]
    target: TransitGatewayRouteTargetDef,
    #[builder(default, setter(skip))]
    _stack: PhantomData<fn() -> S>,
}

/// A transit gateway route that drops its traffic (`Blackhole: true`).
#[derive(Clone, Copy, Debug)]
pub struct Blackhole;

/// Where a transit gateway route sends traffic.
#[doc(hidden)]
pub enum TransitGatewayRouteTargetDef {
    /// An attachment: a VPC attachment of this stack, or a peering attachment by its ID
    /// (imported; as the accepter states it, `accepter`).
    Attachment {
        attachment: Linked,
        accepter: bool,
    },
    Blackhole,
}

impl TransitGatewayRouteTargetDef {
    fn attachment(attachment: Linked) -> TransitGatewayRouteTargetDef {
        TransitGatewayRouteTargetDef::Attachment {
            attachment,
            accepter: false,
        }
    }
}

/// What a transit gateway route of stack `S` can send traffic to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the target of a transit gateway route in stack `{S}`",
    note = "give an attachment of this stack, a peering attachment's ID imported (or \
            `PeeringAccepterAttachment` on the accepter's side), or `Blackhole` to drop the \
            traffic"
)]
pub trait IntoTransitGatewayRouteTarget<S> {
    #[doc(hidden)]
    fn transit_gateway_route_target(self) -> TransitGatewayRouteTargetDef;
}

impl<S, V: VpcMarker + InStack<S>> IntoTransitGatewayRouteTarget<S>
    for &TransitGatewayAttachmentRef<V>
{
    fn transit_gateway_route_target(self) -> TransitGatewayRouteTargetDef {
        TransitGatewayRouteTargetDef::attachment(Linked::local(
            &self.handle,
            self.handle.reference(),
        ))
    }
}

/// A peering of this stack compiles as a target so that synthesis can say why it cannot be
/// one yet (it is `pendingAcceptance` when the route is created) and what to do instead.
impl<S: SameStack<T>, T> IntoTransitGatewayRouteTarget<T> for &TransitGatewayPeeringRef<S> {
    fn transit_gateway_route_target(self) -> TransitGatewayRouteTargetDef {
        TransitGatewayRouteTargetDef::attachment(Linked::local(
            &self.handle,
            self.handle.reference(),
        ))
    }
}

impl<S> IntoTransitGatewayRouteTarget<S> for Imported<S, TransitGatewayAttachmentId> {
    fn transit_gateway_route_target(self) -> TransitGatewayRouteTargetDef {
        TransitGatewayRouteTargetDef::attachment(Linked::imported(self))
    }
}

impl<S> IntoTransitGatewayRouteTarget<S> for PeeringAccepterAttachment<S> {
    fn transit_gateway_route_target(self) -> TransitGatewayRouteTargetDef {
        TransitGatewayRouteTargetDef::Attachment {
            attachment: self.linked,
            accepter: true,
        }
    }
}

impl<S> IntoTransitGatewayRouteTarget<S> for Blackhole {
    fn transit_gateway_route_target(self) -> TransitGatewayRouteTargetDef {
        TransitGatewayRouteTargetDef::Blackhole
    }
}

impl<S: StackMarker> Construct<S> for TransitGatewayRoute<S> {
    type Handle = ();

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) {
        stack.push(Node::TransitGatewayRoute(TransitGatewayRouteNode {
            id,
            route_table: self.route_table,
            destination: self.destination,
            target: self.target,
        }));
    }
}

pub(crate) struct TransitGatewayRouteNode {
    pub(crate) id: Arc<str>,
    pub(crate) route_table: TransitGatewayRouteTableSource,
    pub(crate) destination: CidrBlock,
    pub(crate) target: TransitGatewayRouteTargetDef,
}

impl ConstructNode for TransitGatewayRouteNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Regional, like its transit gateway.
        None
    }

    fn tags(&self) -> Option<&crate::Tags> {
        // AWS::EC2::TransitGatewayRoute is not taggable (its schema: taggable false).
        None
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        if let Some(table) = &self.route_table.source {
            relations
                .tgw_routes_of
                .entry(table.key)
                .or_default()
                .push(key);
        }
        // A route naming an attachment fails until it is available: it waits for any
        // acceptance (`steps.rs`).
        if let TransitGatewayRouteTargetDef::Attachment { attachment, .. } = &self.target
            && let Some(attachment) = attachment.key()
        {
            relations
                .attachment_users
                .entry(attachment)
                .or_default()
                .push(key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.linked(&self.route_table, &self.id, "TransitGatewayRouteTableId");
        if let TransitGatewayRouteTargetDef::Attachment {
            attachment,
            accepter,
        } = &self.target
        {
            let table_tgw = self
                .route_table
                .source
                .as_ref()
                .and_then(|t| check.model.get::<TransitGatewayRouteTableNode>(t))
                .and_then(|t| t.transit_gateway_key());
            check_attachment(
                check,
                &self.id,
                table_tgw,
                attachment,
                *accepter,
                &format!("route {}", self.destination.text()),
            );
        }
        let Some(destination) = check.cidr(&self.id, "DestinationCidrBlock", &self.destination)
        else {
            return;
        };
        // One route per (table, destination): the resource's identifier is the pair
        // (AWS::EC2::TransitGatewayRoute; docs/aws-rules.md §18.3).
        if let Some(table) = &self.route_table.source
            && let Some(other) = check.claim(Claim::TransitGatewayRoute {
                table: table.key,
                destination,
            })
        {
            check.report(SynthError::DuplicateRoute {
                construct: check.path(&self.id),
                route_table: table.path(),
                destination: destination.to_string(),
                other,
            });
        }
    }

    fn render(&self, _ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let route = Resource::new("AWS::EC2::TransitGatewayRoute")
            .property("TransitGatewayRouteTableId", self.route_table.value.clone())
            .property("DestinationCidrBlock", self.destination.text());
        let route = match &self.target {
            TransitGatewayRouteTargetDef::Attachment { attachment, .. } => {
                route.property("TransitGatewayAttachmentId", attachment.value.clone())
            }
            TransitGatewayRouteTargetDef::Blackhole => route.property("Blackhole", true),
        };
        template.add_resource(&*self.id, route)
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

/// Checks the attachment a transit gateway route or association (`what`, for messages) in a
/// table of `table_tgw` names: a VPC attachment of that transit gateway; or a peering
/// attachment of it, created in another stack (it is `pendingAcceptance` until its accepter
/// accepts it, and "the peering attachment must be … available" for a route: Transit Gateway
/// guide, "Transit gateway peering attachments"), named on the accepter's side by the
/// accepter's own attachment ID (`AccepterTransitGatewayAttachmentId`, EC2 API
/// `TransitGatewayPeeringAttachment`).
pub(crate) fn check_attachment(
    check: &mut Check<'_>,
    id: &str,
    table_tgw: Option<NodeKey>,
    attachment: &Linked,
    accepter: bool,
    what: &str,
) {
    const PROPERTY: &str = "TransitGatewayAttachmentId";
    let Some(source) = &attachment.source else {
        return;
    };
    if let Some(peering) = check.model.get::<TransitGatewayPeeringNode>(source) {
        if attachment.local {
            check.report(SynthError::PeeringNotYetAccepted {
                construct: check.path(id),
                peering: source.path(),
                what: what.to_string(),
            });
            return;
        }
        let (requester, peer) = (peering.requester(), peering.accepter());
        let mismatch = |check: &mut Check<'_>, reason: String| {
            check.report(SynthError::InvalidText {
                construct: check.path(id),
                property: PROPERTY,
                value: source.path(),
                reason,
            });
        };
        match table_tgw {
            Some(tgw) if Some(tgw) == requester && accepter => mismatch(
                check,
                "this is the accepter's attachment ID, and the route table is the requester's; \
                 give the peering's ID imported"
                    .into(),
            ),
            Some(tgw) if Some(tgw) == peer && !accepter => {
                check.report(SynthError::PeeringAccepterIdNeeded {
                    construct: check.path(id),
                    peering: source.path(),
                    transit_gateway: check.model.path(tgw),
                })
            }
            Some(tgw) if Some(tgw) != requester && Some(tgw) != peer => mismatch(
                check,
                format!(
                    "the peering does not attach transit gateway {}, the route table's; use an \
                     attachment of that transit gateway",
                    check.model.path(tgw)
                ),
            ),
            _ => {}
        }
        return;
    }
    if accepter {
        check.report(SynthError::InvalidText {
            construct: check.path(id),
            property: PROPERTY,
            value: source.path(),
            reason: "PeeringAccepterAttachment names a peering attachment; give the peering's \
                     ID imported"
                .into(),
        });
        return;
    }
    if attachment.local {
        check.handle(id, PROPERTY, source, None);
    }
    // The attachment and the table must be of one transit gateway.
    let attachment_tgw = check
        .model
        .get::<TransitGatewayAttachmentNode>(source)
        .and_then(|a| a.transit_gateway_key());
    if let (Some(a), Some(b)) = (table_tgw, attachment_tgw)
        && a != b
    {
        check.report(SynthError::InvalidText {
            construct: check.path(id),
            property: PROPERTY,
            value: source.path(),
            reason: format!(
                "the attachment is to transit gateway {}, the route table of {}; route \
                 to an attachment of the table's transit gateway",
                check.model.path(b),
                check.model.path(a)
            ),
        });
    }
}
