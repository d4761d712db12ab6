//! `Route`: a destination block sent to a gateway from a route table.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::egress_only_internet_gateway::EgressOnlyInternetGatewayRef;
use super::internet_gateway::{InternetGatewayNode, InternetGatewayRef};
use super::nat_gateway::NatGatewayRef;
use super::route_table::{RouteTableNode, RouteTableRef};
use super::subnet::SubnetNode;
use super::transit_gateway::TransitGatewayNode;
use super::transit_gateway_attachment::{
    TransitGatewayAttachmentNode, TransitGatewayAttachmentRef,
};
use super::vpc::VpcNode;
use super::vpc_peering::{PeeringAccepter, VpcPeeringNode, VpcPeeringRef};
use crate::handle::Handle;
use crate::identity::Kind;
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, StackMarker, SynthError, VpcMarker};

/// Where a route sends traffic.
pub enum RouteTarget<V> {
    /// An internet gateway: the subnets become public.
    InternetGateway(InternetGatewayRef<V>),
    /// An egress-only internet gateway: IPv6 out to the internet, nothing in.
    EgressOnlyInternetGateway(EgressOnlyInternetGatewayRef<V>),
    /// A NAT gateway: outbound to the internet through its Elastic IP.
    NatGateway(NatGatewayRef<V>),
    /// The transit gateway of one of the VPC's attachments: to the other attached VPCs.
    TransitGateway(TransitGatewayAttachmentRef<V>),
    /// A peering connection the VPC is a side of: to the other side's VPC.
    VpcPeering(Handle),
}

/// What a route of VPC `V` can send traffic to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the target of a route in this route table",
    label = "not a gateway, attachment or peering connection of the route table's VPC",
    note = "a route sends traffic to an `InternetGateway`, an `EgressOnlyInternetGateway`, a \
            `NatGateway`, a \
            `TransitGatewayAttachment` of the same VPC, or a `VpcPeering` it is a side of \
            (the accepter's routes name `peering.accepter()`)"
)]
pub trait IntoRouteTarget<V> {
    /// The target.
    fn into_route_target(self) -> RouteTarget<V>;
}

impl<V> IntoRouteTarget<V> for &InternetGatewayRef<V> {
    fn into_route_target(self) -> RouteTarget<V> {
        RouteTarget::InternetGateway(self.clone())
    }
}

impl<V> IntoRouteTarget<V> for &EgressOnlyInternetGatewayRef<V> {
    fn into_route_target(self) -> RouteTarget<V> {
        RouteTarget::EgressOnlyInternetGateway(self.clone())
    }
}

/// Where a route sends traffic: an IPv4 block (`DestinationCidrBlock`) or an IPv6 block
/// (`DestinationIpv6CidrBlock`). Text with a colon is IPv6.
///
/// ```
/// use vpcform_net::cidr;
/// use vpcform_net::vpc::RouteDestination;
/// assert!(matches!(RouteDestination::from("::/0"), RouteDestination::Ipv6(_)));
/// assert!(matches!(RouteDestination::from(cidr!("0.0.0.0/0")), RouteDestination::Ipv4(_)));
/// assert_eq!(RouteDestination::nat64(), RouteDestination::ipv6("64:ff9b::/96"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteDestination {
    /// An IPv4 block.
    Ipv4(CidrBlock),
    /// An IPv6 block, as text.
    Ipv6(String),
}

impl RouteDestination {
    /// An IPv6 block.
    ///
    /// See [`RouteDestination`] for an example.
    pub fn ipv6(cidr: impl Into<String>) -> RouteDestination {
        RouteDestination::Ipv6(cidr.into())
    }

    /// `::/0`, every IPv6 address: an IPv6 default route.
    ///
    /// See [`RouteDestination`] for an example.
    pub fn any_ipv6() -> RouteDestination {
        RouteDestination::ipv6("::/0")
    }

    /// `64:ff9b::/96`, the well-known NAT64 prefix: IPv6-only subnets reach IPv4 addresses
    /// through a NAT gateway with DNS64 (VPC user guide, "DNS64 and NAT64").
    ///
    /// See [`RouteDestination`] for an example.
    pub fn nat64() -> RouteDestination {
        RouteDestination::ipv6(NAT64)
    }
}

/// The well-known NAT64 prefix (RFC 6052; VPC user guide, "DNS64 and NAT64").
const NAT64: &str = "64:ff9b::/96";

impl From<CidrBlock> for RouteDestination {
    fn from(block: CidrBlock) -> RouteDestination {
        RouteDestination::Ipv4(block)
    }
}

impl From<crate::Ipv4Cidr> for RouteDestination {
    fn from(block: crate::Ipv4Cidr) -> RouteDestination {
        RouteDestination::Ipv4(block.into())
    }
}

impl From<&str> for RouteDestination {
    fn from(text: &str) -> RouteDestination {
        if text.contains(':') {
            RouteDestination::Ipv6(text.to_string())
        } else {
            RouteDestination::Ipv4(text.into())
        }
    }
}

impl From<String> for RouteDestination {
    fn from(text: String) -> RouteDestination {
        if text.contains(':') {
            RouteDestination::Ipv6(text)
        } else {
            RouteDestination::Ipv4(text.into())
        }
    }
}

impl<V> IntoRouteTarget<V> for &NatGatewayRef<V> {
    fn into_route_target(self) -> RouteTarget<V> {
        RouteTarget::NatGateway(self.clone())
    }
}

/// The requester's routes to its peer.
impl<V, W> IntoRouteTarget<V> for &VpcPeeringRef<V, W> {
    fn into_route_target(self) -> RouteTarget<V> {
        RouteTarget::VpcPeering(self.handle.clone())
    }
}

/// The accepter's routes back.
impl<W> IntoRouteTarget<W> for PeeringAccepter<W> {
    fn into_route_target(self) -> RouteTarget<W> {
        RouteTarget::VpcPeering(self.handle)
    }
}

/// A route to a transit gateway names the VPC's attachment to it: only a transit gateway the
/// VPC is attached to can be a target, and the route waits for the attachment.
impl<V> IntoRouteTarget<V> for &TransitGatewayAttachmentRef<V> {
    fn into_route_target(self) -> RouteTarget<V> {
        RouteTarget::TransitGateway(self.clone())
    }
}

/// A route (`AWS::EC2::Route`) in a route table of VPC `V`.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::vpc::InternetGateway;
/// vpcform_net::topology! { stack Net { vpc Main } }
/// let mut stack = Stack::<Net>::new("Net");
/// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let igw = stack.add("Internet", InternetGateway::builder().vpc(&vpc).build());
/// let routes = stack.add("PublicRoutes", RouteTable::builder().vpc(&vpc).build());
/// stack.add(
///     "DefaultRoute",
///     Route::builder().route_table(&routes).destination(cidr!("0.0.0.0/0")).target(&igw).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct Route<V: VpcMarker> {
    /// The route table. Required.
    #[builder(setter(into))]
    route_table: RouteTableRef<V>,
    /// The destination block: IPv4 (`0.0.0.0/0` for a default route) or IPv6 (`::/0`, written
    /// with colons or by [`RouteDestination::ipv6`]). Required.
    #[builder(setter(into))]
    destination: RouteDestination,
    /// Where traffic goes: an internet or NAT gateway of the same VPC, or the transit gateway
    /// of one of its attachments. Required.
    #[builder(setter(transform = |target: impl IntoRouteTarget<V>| target.into_route_target()))]
    target: RouteTarget<V>,
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for Route<V> {
    type Handle = ();

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) {
        let target = match self.target {
            RouteTarget::InternetGateway(igw) => TargetNode::InternetGateway(igw.handle),
            RouteTarget::EgressOnlyInternetGateway(eigw) => {
                TargetNode::EgressOnlyInternetGateway(eigw.handle)
            }
            RouteTarget::NatGateway(nat) => TargetNode::NatGateway(nat.handle),
            RouteTarget::TransitGateway(attachment) => {
                TargetNode::TransitGateway(attachment.handle)
            }
            RouteTarget::VpcPeering(peering) => TargetNode::VpcPeering(peering),
        };
        stack.push(Node::Route(RouteNode {
            id,
            route_table: self.route_table.handle,
            destination: self.destination,
            target,
        }));
    }
}

pub(crate) enum TargetNode {
    InternetGateway(Handle),
    EgressOnlyInternetGateway(Handle),
    NatGateway(Handle),
    /// The attachment through which the VPC reaches its transit gateway.
    TransitGateway(Handle),
    /// A peering connection the VPC is a side of.
    VpcPeering(Handle),
}

impl TargetNode {
    pub(crate) fn handle(&self) -> &Handle {
        match self {
            TargetNode::InternetGateway(h)
            | TargetNode::EgressOnlyInternetGateway(h)
            | TargetNode::NatGateway(h)
            | TargetNode::TransitGateway(h)
            | TargetNode::VpcPeering(h) => h,
        }
    }
}

pub(crate) struct RouteNode {
    pub(crate) id: Arc<str>,
    pub(crate) route_table: Handle,
    pub(crate) destination: RouteDestination,
    pub(crate) target: TargetNode,
}

impl RouteNode {
    /// The IPv4 destination, when it is one and parses.
    pub(crate) fn ipv4(&self) -> Option<crate::Ipv4Cidr> {
        match &self.destination {
            RouteDestination::Ipv4(block) => block.parsed().ok(),
            RouteDestination::Ipv6(_) => None,
        }
    }

    /// The IPv6 destination, when it is one and parses.
    pub(crate) fn ipv6(&self) -> Option<ipnet::Ipv6Net> {
        match &self.destination {
            RouteDestination::Ipv6(text) => text.parse().ok(),
            RouteDestination::Ipv4(_) => None,
        }
    }

    /// An IPv6 route: a block (its network address), in a VPC with an IPv6 block, once per
    /// table, to a target that carries IPv6 — every target but a NAT gateway, which takes
    /// only the NAT64 prefix (AWS::EC2::Route `NatGatewayId`: "IPv4 traffic only", and the
    /// NAT64 exception, VPC user guide "DNS64 and NAT64"; docs/aws-rules.md §22).
    fn check_ipv6(&self, check: &mut Check<'_>, text: &str) {
        let invalid = |check: &mut Check<'_>, reason: String| {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "DestinationIpv6CidrBlock",
                value: text.to_string(),
                reason,
            });
        };
        // The same parser as security-group rules: host bits and non-canonical text refused,
        // so what is checked is what is written.
        let block = match super::security_group::ipv6(text) {
            Ok(block) => block,
            Err(reason) => {
                invalid(check, reason);
                return;
            }
        };
        if matches!(self.target, TargetNode::NatGateway(_))
            && NAT64.parse::<ipnet::Ipv6Net>().ok() != Some(block)
        {
            invalid(
                check,
                format!(
                    "a NAT gateway takes IPv6 traffic only for NAT64, {NAT64}; route other IPv6 blocks to an egress-only internet gateway"
                ),
            );
        }
        if let Some(vpc_key) = self.route_table.vpc
            && let Some(vpc) = check.model.get_key::<VpcNode>(vpc_key)
            && vpc.existing.is_none()
            && vpc.ipv6.is_none()
        {
            check.report(SynthError::Ipv6WithoutVpcBlock {
                construct: check.path(&self.id),
                vpc: check.model.path(vpc_key),
            });
        }
        let claim = Claim::Ipv6Route {
            table: self.route_table.key,
            destination: block,
        };
        if let Some(other) = check.claim(claim) {
            check.report(SynthError::DuplicateRoute {
                construct: check.path(&self.id),
                route_table: self.route_table.path(),
                destination: block.to_string(),
                other,
            });
        }
    }

    /// A route to a transit gateway or peering connection should reach a VPC on the other side:
    /// a destination no connected VPC covers sends traffic nowhere (the transit gateway drops
    /// it; a peering connection carries only the peer's block, docs/aws-rules.md §18.5).
    fn check_connected(&self, check: &mut Check<'_>, destination: crate::Ipv4Cidr) {
        let Some(own) = self.route_table.vpc else {
            return;
        };
        let (target, reaches, connected) = match &self.target {
            TargetNode::TransitGateway(attachment) => {
                let Some(tgw) = check
                    .model
                    .get::<TransitGatewayAttachmentNode>(attachment)
                    .and_then(|a| a.transit_gateway_key())
                else {
                    return; // An imported transit gateway of no app construct: unknown.
                };
                // Own route tables (default off) may route anywhere: not judged here.
                if check
                    .model
                    .get_key::<TransitGatewayNode>(tgw)
                    .is_some_and(|t| !t.default_route_table)
                {
                    return;
                }
                // The blocks are sorted and (checked) disjoint: those overlapping the
                // destination are one run, found by a binary search.
                let blocks = check.model.attached_blocks(tgw);
                let start = blocks.partition_point(|(b, _)| b.last() < destination.first());
                let reaches = blocks[start..]
                    .iter()
                    .take_while(|(b, _)| b.first() <= destination.last())
                    .any(|(_, vpc)| *vpc != own);
                let connected = || {
                    blocks
                        .iter()
                        .filter(|(_, vpc)| *vpc != own)
                        .map(|(b, _)| b.to_string())
                        .collect::<Vec<_>>()
                };
                (
                    attachment,
                    reaches,
                    if reaches { Vec::new() } else { connected() },
                )
            }
            TargetNode::VpcPeering(peering) => {
                let Some(node) = check.model.get::<VpcPeeringNode>(peering) else {
                    return;
                };
                match node.other_side(check.model, own) {
                    Some((_, Some(block))) => (
                        peering,
                        block.overlaps(&destination),
                        vec![block.to_string()],
                    ),
                    Some((_, None)) => return,
                    None => {
                        check.report(SynthError::InvalidText {
                            construct: check.path(&self.id),
                            property: "VpcPeeringConnectionId",
                            value: peering.path(),
                            reason: format!(
                                "route table {}'s VPC {} is neither side of the peering \
                                 connection; route through a connection of that VPC",
                                self.route_table.path(),
                                check.model.path(own)
                            ),
                        });
                        return;
                    }
                }
            }
            TargetNode::InternetGateway(_)
            | TargetNode::EgressOnlyInternetGateway(_)
            | TargetNode::NatGateway(_) => return,
        };
        if !reaches {
            check.warn(crate::SynthWarning::RouteReachesNoVpc {
                construct: check.path(&self.id),
                destination: destination.to_string(),
                target: target.path(),
                connected: if connected.is_empty() {
                    "none".to_string()
                } else {
                    connected.join(", ")
                },
            });
        }
    }

    /// "traffic is forwarded to the transit gateway only when the transit gateway has an
    /// attachment in a subnet in the same Availability Zone" (Transit Gateway guide, VPC
    /// attachments; docs/aws-rules.md §18.2): each subnet of the table in a zone the
    /// attachment has no subnet in loses this route's traffic. Zones written differently (an
    /// index and a name) cannot be compared before deploy and are not judged.
    fn check_attachment_azs(&self, check: &mut Check<'_>) {
        let TargetNode::TransitGateway(attachment) = &self.target else {
            return;
        };
        let (Some(node), Some(table)) = (
            check.model.get::<TransitGatewayAttachmentNode>(attachment),
            check.model.get::<RouteTableNode>(&self.route_table),
        ) else {
            return;
        };
        let covered = super::subnet::zones_of(check.model, &node.subnets);
        let mut warned: Vec<&crate::Az> = Vec::new();
        for subnet in &table.subnets {
            let Some(az) = check.model.get::<SubnetNode>(subnet).map(|n| &n.az) else {
                continue;
            };
            if az.missing_from(&covered) && !warned.contains(&az) {
                warned.push(az);
                check.warn(crate::SynthWarning::TransitGatewayAzNotAttached {
                    construct: check.path(&self.id),
                    subnet: subnet.path(),
                    az: az.to_string(),
                    attachment: attachment.path(),
                });
            }
        }
    }
}

impl ConstructNode for RouteNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        self.route_table.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        // AWS::EC2::Route is not taggable (its schema: taggable false, docs/research/tags-logs-checkov.md §1.1).
        None
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        relations
            .routes_of
            .entry(self.route_table.key)
            .or_default()
            .push(key);
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "RouteTableId", &self.route_table, None);
        // A peering connection belongs to both its VPCs: its side is checked below.
        let same_vpc = match self.target {
            TargetNode::VpcPeering(_) => None,
            _ => self.route_table.vpc,
        };
        check.handle(&self.id, "target", self.target.handle(), same_vpc);
        // Each target variant names one kind of construct (a handle made by hand may not).
        let expected = match self.target {
            TargetNode::InternetGateway(_) => Kind::InternetGateway,
            TargetNode::EgressOnlyInternetGateway(_) => Kind::EgressOnlyInternetGateway,
            TargetNode::NatGateway(_) => Kind::NatGateway,
            TargetNode::TransitGateway(_) => Kind::TransitGatewayAttachment,
            TargetNode::VpcPeering(_) => Kind::VpcPeering,
        };
        let target = self.target.handle();
        if target.kind != expected {
            check.report(SynthError::HandleKindMismatch {
                construct: check.path(&self.id),
                property: "target",
                target: target.path(),
                expected: expected.to_string(),
                found: format!("a {}", target.kind),
            });
            return;
        }
        let block = match &self.destination {
            RouteDestination::Ipv4(block) => block,
            RouteDestination::Ipv6(text) => {
                self.check_ipv6(check, text);
                self.check_attachment_azs(check);
                return;
            }
        };
        // An egress-only internet gateway carries IPv6 only (AWS::EC2::Route
        // `EgressOnlyInternetGatewayId`: "[IPv6 traffic only]").
        if matches!(self.target, TargetNode::EgressOnlyInternetGateway(_)) {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "DestinationCidrBlock",
                value: block.text().to_string(),
                reason: format!(
                    "egress-only internet gateway {} carries IPv6 only: route an IPv6 block \
                     (::/0) to it, and IPv4 to a NAT gateway",
                    self.target.handle().path()
                ),
            });
            return;
        }
        let Some(destination) = check.cidr(&self.id, "DestinationCidrBlock", block) else {
            return;
        };
        self.check_connected(check, destination);
        self.check_attachment_azs(check);
        // One route per destination in a route table: EC2 CreateRoute answers a second with
        // `RouteAlreadyExists`.
        let claim = Claim::Route {
            table: self.route_table.key,
            destination,
        };
        if let Some(other) = check.claim(claim) {
            check.report(SynthError::DuplicateRoute {
                construct: check.path(&self.id),
                route_table: self.route_table.path(),
                destination: destination.to_string(),
                other,
            });
        }
        // The VPC's own block is routed by its `local` route. A more specific route is allowed
        // only to a NAT gateway (among our targets) and only for exactly one subnet's block;
        // an internet gateway never (docs/aws-rules.md §3: VPC user guide, "Subnet route
        // tables", rules and considerations; EC2 answers `InvalidParameterValue`).
        let Some(vpc_key) = self.route_table.vpc else {
            return;
        };
        if let Some(vpc) = check.model.get_key::<VpcNode>(vpc_key)
            && let Some(vpc_cidr) = vpc.parsed
            && vpc_cidr.contains(&destination)
        {
            let whole_subnet = matches!(self.target, TargetNode::NatGateway(_))
                && check
                    .model
                    .in_vpc::<SubnetNode>(vpc_key)
                    .any(|(_, s)| s.parsed == Some(destination));
            if !whole_subnet {
                check.report(SynthError::RouteInsideVpc {
                    construct: check.path(&self.id),
                    destination: destination.to_string(),
                    vpc: check.model.path(vpc_key),
                    vpc_cidr: vpc_cidr.to_string(),
                });
            }
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let route =
            Resource::new("AWS::EC2::Route").property("RouteTableId", self.route_table.reference());
        let route = match &self.destination {
            RouteDestination::Ipv4(block) => route.property("DestinationCidrBlock", block.text()),
            // Like every user of the VPC's IPv6 block, the route waits for it (the block is a
            // separate resource; ARCHITECTURE.md, dual-stack invariant).
            RouteDestination::Ipv6(text) => {
                let route = route.property("DestinationIpv6CidrBlock", text.as_str());
                match self
                    .route_table
                    .vpc
                    .and_then(|v| ctx.model.get_key::<VpcNode>(v).map(|n| (v, n)))
                {
                    Some((_, vpc)) if vpc.ipv6.is_some() && vpc.existing.is_none() => {
                        route.depends_on(super::vpc::ipv6_block_id(&vpc.id))
                    }
                    _ => route,
                }
            }
        };
        let route = match &self.target {
            // A route to an internet gateway fails until the gateway is attached.
            TargetNode::InternetGateway(igw) => route
                .property("GatewayId", igw.reference())
                .depends_on(InternetGatewayNode::attachment_id(&igw.id)),
            TargetNode::EgressOnlyInternetGateway(eigw) => {
                route.property("EgressOnlyInternetGatewayId", eigw.reference())
            }
            TargetNode::NatGateway(nat) => route.property("NatGatewayId", nat.reference()),
            // `TransitGatewayId`, and `DependsOn` the attachment: a route created before the
            // attachment is available fails with InvalidTransitGatewayID.NotFound
            // (aws-cdk#8584; docs/aws-rules.md §18.4).
            TargetNode::TransitGateway(attachment) => {
                match ctx.model.get::<TransitGatewayAttachmentNode>(attachment) {
                    Some(node) => route
                        .property("TransitGatewayId", node.transit_gateway.value.clone())
                        .depends_on(attachment.id.to_string()),
                    None => route,
                }
            }
            TargetNode::VpcPeering(peering) => {
                route.property("VpcPeeringConnectionId", peering.reference())
            }
        };
        template.add_resource(&*self.id, route)
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
