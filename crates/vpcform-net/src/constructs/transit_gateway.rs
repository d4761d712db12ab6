//! `TransitGateway`: a regional router that connects the VPCs attached to it.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use crate::export::Imported;
use crate::handle::handle;
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{Ipv4Cidr, StackMarker, SynthError};

/// A transit gateway (`AWS::EC2::TransitGateway`) in stack `S`: VPCs attach to it with a
/// [`TransitGatewayAttachment`](crate::transit::TransitGatewayAttachment), and their route tables send
/// traffic for the other VPCs to the attachment.
///
/// With AWS's defaults, kept here, every attachment is associated with the transit gateway's
/// default route table and propagates its VPC's block into it: every attached VPC reaches every
/// other, which is the hub-and-spoke layout of AWS's whitepaper "Building a Scalable and Secure
/// Multi-VPC AWS Network Infrastructure". VPCs attached to one transit gateway must not overlap
/// (checked at synth).
///
/// Billed per attachment-hour and per GB processed (see the cost report).
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Network {} }
/// let mut network = Stack::<Network>::new("Network");
/// let tgw = network.add("Tgw", TransitGateway::builder().description("hub and spokes").build());
/// let id = network.export("TransitGatewayId", &tgw); // spokes in other stacks import it
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct TransitGateway {
    /// `AmazonSideAsn`: the BGP ASN of the AWS side, 64512–65534 or 4200000000–4294967294.
    /// Default: AWS's, 64512.
    #[builder(default, setter(strip_option(fallback = amazon_side_asn_opt)))]
    amazon_side_asn: Option<u32>,
    /// `Description`. Default: none.
    #[builder(default, setter(strip_option(fallback = description_opt), into))]
    description: Option<String>,
    /// `DefaultRouteTableAssociation` and `DefaultRouteTablePropagation`: attachments are
    /// associated with the default route table and propagate their VPC's block into it, so
    /// every attached VPC reaches every other. Default: on (AWS's default). Off is for
    /// segmented networks with route tables of their own, which vpcform does not model yet:
    /// attachments then route nothing in the traffic analysis.
    #[builder(default = true)]
    default_route_table: bool,
    /// `DnsSupport`: attached VPCs resolve each other's public DNS names to private
    /// addresses. Default: on (AWS's default).
    #[builder(default = true)]
    dns_support: bool,
    /// `AutoAcceptSharedAttachments`: attachments from other accounts the gateway is shared
    /// with (AWS RAM) are accepted without the owner's step. Default: off (AWS's default), so
    /// such an attachment stays `pendingAcceptance` until the gateway's owner accepts it
    /// (`AcceptTransitGatewayVpcAttachment`), and the traffic report says so.
    #[builder(default)]
    auto_accept_shared_attachments: bool,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`TransitGateway`] added to stack `S`.
    TransitGatewayRef exports crate::export::TransitGatewayId
}

impl<S: StackMarker> Construct<S> for TransitGateway {
    type Handle = TransitGatewayRef<S>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> TransitGatewayRef<S> {
        TransitGatewayRef::new(stack.push(Node::TransitGateway(TransitGatewayNode {
            tags: self.tags,
            id,
            amazon_side_asn: self.amazon_side_asn,
            description: self.description,
            default_route_table: self.default_route_table,
            dns_support: self.dns_support,
            auto_accept_shared_attachments: self.auto_accept_shared_attachments,
        })))
    }
}

/// What an attachment in stack `S` can name as its transit gateway: one of the same stack, or
/// one imported from another stack's export.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a transit gateway of stack `{S}`",
    label = "not a transit gateway here",
    note = "a transit gateway of another stack crosses stacks by its ID: \
            `let id = network.export(\"TransitGatewayId\", &tgw);` then `spoke.import(&id)`"
)]
pub trait IntoTransitGateway<S> {
    #[doc(hidden)]
    fn transit_gateway(self) -> TransitGatewaySource;
}

/// The transit gateway an attachment names: its ID and, when the app has it, its construct.
#[doc(hidden)]
pub type TransitGatewaySource = crate::handle::Linked;

/// Holds when stack `Self` is stack `S`: a transit gateway handle works only in its own stack.
#[diagnostic::on_unimplemented(
    message = "a transit gateway of stack `{Self}` cannot be used in stack `{S}`",
    label = "a handle of another stack",
    note = "a transit gateway of another stack crosses stacks by its ID: \
            `let id = network.export(\"TransitGatewayId\", &tgw);` then `spoke.import(&id)`"
)]
pub trait SameStack<S>: crate::markers::sealed::Same<S> {}

impl<S> SameStack<S> for S {}

impl<S: SameStack<T>, T> IntoTransitGateway<T> for &TransitGatewayRef<S> {
    fn transit_gateway(self) -> TransitGatewaySource {
        crate::handle::Linked::local(&self.handle, self.reference())
    }
}

impl<S> IntoTransitGateway<S> for Imported<S, crate::export::TransitGatewayId> {
    fn transit_gateway(self) -> TransitGatewaySource {
        crate::handle::Linked::imported(self)
    }
}

pub(crate) struct TransitGatewayNode {
    pub(crate) id: Arc<str>,
    amazon_side_asn: Option<u32>,
    description: Option<String>,
    pub(crate) default_route_table: bool,
    dns_support: bool,
    pub(crate) auto_accept_shared_attachments: bool,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl TransitGatewayNode {
    /// VPCs attached to one transit gateway must not overlap: with default propagation the
    /// second block is not propagated and traffic for it goes to the first VPC (Transit
    /// Gateway guide, "Route propagation"; docs/aws-rules.md §18.6). Route tables of one's own
    /// (default route table off) may keep overlapping VPCs apart: not checked then. One pass
    /// over the blocks sorted once by the model.
    fn check_overlaps(&self, check: &mut Check<'_>) {
        if !self.default_route_table {
            return;
        }
        let mut widest: Option<(Ipv4Cidr, NodeKey)> = None;
        for &(cidr, vpc) in check.model.attached_blocks(check.key) {
            if let Some((other, other_vpc)) = widest
                && cidr.first() <= other.last()
            {
                let vpc = check.model.path(vpc);
                check.report(SynthError::ConnectedVpcsOverlap {
                    construct: check.path(&self.id),
                    fix: format!(
                        "give {vpc} a block that does not overlap {other}, or turn the transit \
                         gateway's default route table off and keep the two VPCs in route \
                         tables of their own"
                    ),
                    vpc,
                    cidr: cidr.to_string(),
                    other: check.model.path(other_vpc),
                    other_cidr: other.to_string(),
                });
            }
            if widest.is_none_or(|(w, _)| cidr.last() > w.last()) {
                widest = Some((cidr, vpc));
            }
        }
    }
}

impl ConstructNode for TransitGatewayNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Regional, in no VPC: it connects VPCs through their attachments.
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
        // EC2 CreateTransitGateway, `AmazonSideAsn`: "The range is 64512 to 65534 for 16-bit
        // ASNs and 4200000000 to 4294967294 for 32-bit ASNs" (docs/aws-rules.md §18.1).
        if let Some(asn) = self.amazon_side_asn
            && !((64512..=65534).contains(&asn) || (4_200_000_000..=4_294_967_294).contains(&asn))
        {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "AmazonSideAsn",
                value: asn.to_string(),
                reason: "AWS accepts private ASNs 64512–65534 and 4200000000–4294967294".into(),
            });
        }
        self.check_overlaps(check);
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let enable = |on: bool| if on { "enable" } else { "disable" };
        let resource = Resource::new("AWS::EC2::TransitGateway")
            .property_opt("AmazonSideAsn", self.amazon_side_asn.map(i64::from))
            .property_opt("Description", self.description.as_deref())
            .property(
                "DefaultRouteTableAssociation",
                enable(self.default_route_table),
            )
            .property(
                "DefaultRouteTablePropagation",
                enable(self.default_route_table),
            )
            .property("DnsSupport", enable(self.dns_support))
            // Written only when on: AWS's default is off, and templates stay as they were.
            .property_opt(
                "AutoAcceptSharedAttachments",
                self.auto_accept_shared_attachments.then_some("enable"),
            )
            .property("Tags", ctx.tags(&self.id, &self.tags));
        template.add_resource(&*self.id, resource)
    }

    fn pricing(&self) -> Pricing {
        // Billed through its attachments.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // Regional: drawn between the VPCs it connects.
        Drawing::Regional {
            label: "transit gateway",
            shape: "octagon",
        }
    }
}
