//! `TransitGatewayPeering`: a peering attachment between two transit gateways, of one region or
//! two, of one account or two.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::transit_gateway::{
    IntoTransitGateway, SameStack, TransitGatewayRef, TransitGatewaySource,
};
use crate::export::{Export, Imported, TransitGatewayAttachmentId, TransitGatewayId};
use crate::handle::{Linked, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Placement, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{StackMarker, SynthError};

/// A transit gateway peering attachment (`AWS::EC2::TransitGatewayPeeringAttachment`) in stack
/// `S`, from the requester transit gateway (one of this stack, or its ID imported) to a peer:
/// a transit gateway of the app (of this stack, or imported from another stack, whose account
/// and region are that stack's) or one outside it ([`ExternalTransitGateway`]).
///
/// AWS creates the attachment `pendingAcceptance`: the peer's owner accepts it in the peer's
/// region, even within one account (Transit Gateway guide, "Transit gateway peering
/// attachments"). Until then a route or association naming it fails, so routes and
/// associations over the peering go in a stack that imports its ID and is deployed after the
/// acceptance (a route in this stack is refused at synth). Peering attachments carry static
/// routes only: nothing propagates over them, so both sides route the other's blocks with a
/// [`TransitGatewayRoute`](crate::transit::TransitGatewayRoute).
///
/// Billed per attachment-hour; data sent over it between regions is billed as inter-region
/// data transfer, with no transit gateway data processing for what it delivers (see the cost
/// report).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::transit::TransitGatewayPeering;
/// vpcform_net::topology! { stack East {} stack West {} }
/// let mut west = Stack::<West>::new("West").region("us-west-2");
/// let west_tgw = west.add("Tgw", TransitGateway::builder().amazon_side_asn(64513).build());
/// let west_id = west.export("TgwId", &west_tgw);
/// let mut east = Stack::<East>::new("East").region("us-east-1");
/// let east_tgw = east.add("Tgw", TransitGateway::builder().build());
/// let west_tgw = east.import(&west_id);
/// let peering = east.add(
///     "ToWest",
///     TransitGatewayPeering::builder().transit_gateway(&east_tgw).peer(west_tgw).build(),
/// );
/// let peering_id = east.export("ToWestId", &peering); // routes over it import this
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct TransitGatewayPeering<S> {
    /// `TransitGatewayId`: the requester, a transit gateway of this stack or its ID imported.
    /// Required.
    #[builder(setter(transform = |tgw: impl IntoTransitGateway<S>| tgw.transit_gateway()))]
    transit_gateway: TransitGatewaySource,
    /// The accepter (`PeerTransitGatewayId`, `PeerAccountId`, `PeerRegion`): a transit gateway
    /// of this stack, one imported from another stack of the app, or an
    /// [`ExternalTransitGateway`]. Required.
    #[builder(setter(transform = |peer: impl IntoPeerTransitGateway<S>| peer.peer_transit_gateway()))]
    peer: PeerDef,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
    #[builder(default, setter(skip))]
    _stack: PhantomData<fn() -> S>,
}

/// A transit gateway outside the app, for peering: its ID, account and region.
///
/// ```
/// use vpcform_net::transit::ExternalTransitGateway;
/// let partner = ExternalTransitGateway::new("tgw-0123456789abcdef0", "123456789012", "eu-west-1");
/// ```
#[derive(Clone, Debug)]
pub struct ExternalTransitGateway {
    id: String,
    account: String,
    region: String,
}

impl ExternalTransitGateway {
    /// A transit gateway by ID (`tgw-` and 8 or 17 hex digits), its owner's account (12
    /// digits) and its region code.
    ///
    /// See [`ExternalTransitGateway`] for an example.
    pub fn new(
        id: impl Into<String>,
        account: impl Into<String>,
        region: impl Into<String>,
    ) -> ExternalTransitGateway {
        ExternalTransitGateway {
            id: id.into(),
            account: account.into(),
            region: region.into(),
        }
    }
}

/// The accepter, as given.
#[doc(hidden)]
pub enum PeerDef {
    /// A transit gateway of the app: its ID (a `Ref` or an import) and its construct.
    App(Linked),
    External(ExternalTransitGateway),
}

/// What a peering in stack `S` can name as its accepter.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the peer of a transit gateway peering in stack `{S}`",
    label = "not a transit gateway here",
    note = "give a transit gateway of this stack, one of another stack imported \
            (`let id = other.export(\"TgwId\", &tgw);` then `stack.import(&id)`), or \
            `ExternalTransitGateway::new(\"tgw-…\", account, region)`"
)]
pub trait IntoPeerTransitGateway<S> {
    #[doc(hidden)]
    fn peer_transit_gateway(self) -> PeerDef;
}

impl<S: SameStack<T>, T> IntoPeerTransitGateway<T> for &TransitGatewayRef<S> {
    fn peer_transit_gateway(self) -> PeerDef {
        PeerDef::App(Linked::local(&self.handle, self.reference()))
    }
}

impl<S> IntoPeerTransitGateway<S> for Imported<S, TransitGatewayId> {
    fn peer_transit_gateway(self) -> PeerDef {
        PeerDef::App(Linked::imported(self))
    }
}

impl<S> IntoPeerTransitGateway<S> for ExternalTransitGateway {
    fn peer_transit_gateway(self) -> PeerDef {
        PeerDef::External(self)
    }
}

handle! {
    /// A handle to a [`TransitGatewayPeering`] of stack `S`. Its export carries the peering
    /// attachment's ID (`tgw-attach-…`), what the requester's routes and association take
    /// imported in a stack deployed after the acceptance.
    TransitGatewayPeeringRef exports TransitGatewayAttachmentId
}

impl<S: StackMarker> Construct<S> for TransitGatewayPeering<S> {
    type Handle = TransitGatewayPeeringRef<S>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> TransitGatewayPeeringRef<S> {
        TransitGatewayPeeringRef::new(stack.push(Node::TransitGatewayPeering(
            TransitGatewayPeeringNode {
                id,
                transit_gateway: self.transit_gateway,
                peer: self.peer,
                tags: self.tags,
            },
        )))
    }
}

/// The peering attachment as the accepter's routes and association name it: its ID in the
/// accepter's region (`AccepterTransitGatewayAttachmentId` of
/// `DescribeTransitGatewayPeeringAttachments`), which CloudFormation does not return (the
/// resource's `Ref` is the requester's ID, and AWS gives the accepter an attachment of its own:
/// always within one region, and in some regions across two). When the accepter is a transit
/// gateway of the app, [`accepted`](PeeringAccepterAttachment::accepted) takes it from the
/// deployer's acceptance step; otherwise [`new`](PeeringAccepterAttachment::new) states it,
/// once its owner accepted the peering. Either way with the peering's export, so that the
/// checks and the traffic analysis know which peering it is.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::transit::{PeeringAccepterAttachment, TransitGatewayPeering};
/// vpcform_net::topology! { stack East {} stack WestRoutes {} }
/// let mut east = Stack::<East>::new("East").region("us-east-1");
/// let tgw = east.add("Tgw", TransitGateway::builder().build());
/// let peer = vpcform_net::transit::ExternalTransitGateway::new("tgw-0123456789abcdef0", "123456789012", "us-west-2");
/// let peering = east.add("ToWest", TransitGatewayPeering::builder().transit_gateway(&tgw).peer(peer).build());
/// let id = east.export("ToWestId", &peering);
/// let accepter = PeeringAccepterAttachment::<WestRoutes>::new(&id, "tgw-attach-0fedcba9876543210");
/// ```
pub struct PeeringAccepterAttachment<S> {
    pub(crate) linked: Linked,
    _stack: PhantomData<fn() -> S>,
}

impl<S> PeeringAccepterAttachment<S> {
    /// The peering exported as `peering`, as the accepter's attachment whose ID the deployer's
    /// acceptance step gives (`AccepterTransitGatewayAttachmentId`, read from the accepted
    /// attachment): `stack` gets a `String` parameter the deployer fills after the step, and
    /// waits for it. Only for a peering whose accepter is a transit gateway of the app (the
    /// step is the app's); for one outside it, [`new`](PeeringAccepterAttachment::new) with the
    /// ID its owner gives.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// use vpcform_net::transit::{
    ///     PeeringAccepterAttachment, TransitGatewayPeering, TransitGatewayRouteTable,
    ///     TransitGatewayRouteTableAssociation,
    /// };
    /// vpcform_net::topology! { stack East {} stack West {} stack WestRoutes {} }
    /// let mut west = Stack::<West>::new("West").region("us-west-2");
    /// let west_tgw = west.add(
    ///     "Tgw",
    ///     TransitGateway::builder().amazon_side_asn(64513).default_route_table(false).build(),
    /// );
    /// let west_id = west.export("TgwId", &west_tgw);
    /// let west_table = west.add("Table", TransitGatewayRouteTable::builder().transit_gateway(&west_tgw).build());
    /// let west_table_id = west.export("TableId", &west_table);
    /// let mut east = Stack::<East>::new("East").region("us-east-1");
    /// let east_tgw = east.add("Tgw", TransitGateway::builder().build());
    /// let peer = east.import(&west_id);
    /// let peering = east.add("ToWest", TransitGatewayPeering::builder().transit_gateway(&east_tgw).peer(peer).build());
    /// let peering_id = east.export("ToWestId", &peering);
    /// let mut routes = Stack::<WestRoutes>::new("WestRoutes").region("us-west-2");
    /// let accepter = PeeringAccepterAttachment::accepted(&mut routes, &peering_id);
    /// let table = routes.import(&west_table_id);
    /// routes.add("PeeringAssociation", TransitGatewayRouteTableAssociation::builder().route_table(table).attachment(accepter).build());
    /// let mut app = App::new("peered");
    /// app.add_stack(west);
    /// app.add_stack(east);
    /// app.add_stack(routes);
    /// let manifest = app.synth()?.manifest();
    /// let routes = manifest.stack("WestRoutes").unwrap();
    /// assert_eq!(routes.parameter_imports[0].stack, "Accept-East-ToWest");
    /// assert!(routes.depends_on.contains(&"Accept-East-ToWest".to_string()));
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    #[track_caller]
    pub fn accepted<E>(
        stack: &mut crate::Stack<S>,
        peering: &Export<E, TransitGatewayAttachmentId>,
    ) -> PeeringAccepterAttachment<S>
    where
        S: StackMarker,
    {
        // Named after the peering's own stack and ID (its handle's), as `steps.rs` names the
        // step: an export of the ID re-exported by another stack still names the peering.
        let (stack_name, id) = peering
            .source
            .as_ref()
            .map_or((peering.stack_name.as_str(), ""), |h| (&*h.stack, &*h.id));
        let parameter = format!(
            "Accepter{}{}",
            stack_name.replace(|c: char| !c.is_ascii_alphanumeric(), ""),
            id
        );
        stack
            .def
            .record(&format!("accepted {}", peering.export_name));
        if !stack.def.accepted.iter().any(|a| a.parameter == parameter) {
            stack.def.accepted.push(crate::stack::AcceptedDef {
                parameter: parameter.clone(),
                step: format!("Accept-{stack_name}-{id}"),
                peering: peering.source.clone(),
            });
        }
        PeeringAccepterAttachment {
            linked: Linked {
                value: Value::reference(parameter.as_str()),
                source: peering.source.clone(),
                local: false,
            },
            _stack: PhantomData,
        }
    }

    /// The peering exported as `peering`, as attachment `accepter_id` of the accepter.
    ///
    /// See [`PeeringAccepterAttachment`] for an example.
    pub fn new<E>(
        peering: &Export<E, TransitGatewayAttachmentId>,
        accepter_id: impl Into<String>,
    ) -> PeeringAccepterAttachment<S> {
        PeeringAccepterAttachment {
            linked: Linked {
                value: Value::String(accepter_id.into()),
                source: peering.source.clone(),
                local: false,
            },
            _stack: PhantomData,
        }
    }
}

pub(crate) struct TransitGatewayPeeringNode {
    pub(crate) id: Arc<str>,
    pub(crate) transit_gateway: TransitGatewaySource,
    pub(crate) peer: PeerDef,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl TransitGatewayPeeringNode {
    /// The requester transit gateway's construct, when the app has it.
    pub(crate) fn requester(&self) -> Option<NodeKey> {
        self.transit_gateway.key()
    }

    /// The accepter transit gateway's construct, when it is the app's.
    pub(crate) fn accepter(&self) -> Option<NodeKey> {
        match &self.peer {
            PeerDef::App(linked) => linked.key(),
            PeerDef::External(_) => None,
        }
    }

    /// The transit gateway on the other side from `tgw`, when the app has both.
    pub(crate) fn other_side(&self, tgw: NodeKey) -> Option<NodeKey> {
        let (a, b) = (self.requester()?, self.accepter()?);
        if a == tgw {
            Some(b)
        } else if b == tgw {
            Some(a)
        } else {
            None
        }
    }

    /// The accepter's region as written or pinned: `None` when it is the deploying
    /// credentials' (an unpinned stack).
    pub(crate) fn accepter_region<'m>(
        &'m self,
        model: &crate::model::Model<'m>,
    ) -> Option<&'m str> {
        match &self.peer {
            PeerDef::External(external) => Some(&external.region),
            PeerDef::App(linked) => model
                .stack(linked.source.as_ref()?.key.stack)?
                .region
                .as_deref(),
        }
    }

    /// Whether the two sides are in different regions (`None`: cannot be told before deploy).
    pub(crate) fn crosses_regions(
        &self,
        model: &crate::model::Model<'_>,
        own: NodeKey,
    ) -> Option<bool> {
        let own_region = model.stack(own.stack)?.region.as_deref();
        match (own_region, self.accepter_region(model)) {
            (Some(a), Some(b)) => Some(a != b),
            (None, None) if matches!(self.peer, PeerDef::App(_)) => Some(false),
            _ => None,
        }
    }

    /// The peer of the app: the same transit gateway twice is no peering; its account and
    /// region are its stack's, compared with this stack's (Placement: an unpinned one against
    /// a pinned one is VF0950).
    fn check_app_peer(&self, check: &mut Check<'_>, peer: &Linked) {
        check.linked(peer, &self.id, "PeerTransitGatewayId");
        let Some(peer_key) = peer.key() else {
            return;
        };
        // The peer is "the accepter transit gateway", another than the one the attachment is
        // created on (Transit Gateway guide, "Transit gateway peering attachments": "create a
        // peering attachment on your transit gateway, and specify a transit gateway").
        if self.requester() == Some(peer_key) {
            check.report(SynthError::TransitGatewayPeeredWithItself {
                construct: check.path(&self.id),
                transit_gateway: check.model.path(peer_key),
            });
            return;
        }
        // "Peering attachments between the same two transit gateways: 1", not adjustable
        // (Transit Gateway quotas page).
        if let Some(requester) = self.requester() {
            let pair = if requester < peer_key {
                (requester, peer_key)
            } else {
                (peer_key, requester)
            };
            if let Some(other) = check.claim(Claim::TransitGatewayPeering {
                transit_gateways: pair,
            }) {
                check.report(SynthError::DuplicateTransitGatewayPeering {
                    construct: check.path(&self.id),
                    transit_gateway: check.model.path(requester),
                    peer: check.model.path(peer_key),
                    other,
                });
            }
        }
        let construct = check.path(&self.id);
        let peer_path = check.model.path(peer_key);
        for (placement, what) in [
            (check.model.same_account(check.key, peer_key), "account"),
            (check.model.same_region(check.key, peer_key), "region"),
        ] {
            if let Placement::Unknown { .. } = placement {
                check
                    .findings
                    .errors
                    .extend(placement.unknown(&construct, &peer_path, what));
            }
        }
    }

    /// A peer outside the app: its IDs as AWS takes them, and one peering per pair.
    fn check_external(&self, check: &mut Check<'_>, external: &ExternalTransitGateway) {
        if let Some(requester) = self.requester()
            && let Some(other) = check.claim(Claim::ExternalTransitGatewayPeering {
                transit_gateway: requester,
                peer: (
                    external.id.clone(),
                    external.account.clone(),
                    external.region.clone(),
                ),
            })
        {
            check.report(SynthError::DuplicateTransitGatewayPeering {
                construct: check.path(&self.id),
                transit_gateway: check.model.path(requester),
                peer: external.id.clone(),
                other,
            });
        }
        let mut problems: Vec<(&'static str, &str, &'static str)> = Vec::new();
        if !super::ec2_id(&external.id, "tgw-") {
            problems.push((
                "PeerTransitGatewayId",
                &external.id,
                "a transit gateway ID is tgw- and 8 or 17 lowercase hex digits",
            ));
        }
        if !(external.account.len() == 12 && external.account.bytes().all(|b| b.is_ascii_digit())) {
            problems.push((
                "PeerAccountId",
                &external.account,
                "an account ID is 12 digits",
            ));
        }
        if !crate::regions::is_region_code(&external.region) {
            problems.push((
                "PeerRegion",
                &external.region,
                "a region code looks like us-east-1",
            ));
        }
        for (property, value, reason) in problems {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property,
                value: value.to_string(),
                reason: reason.to_string(),
            });
        }
    }

    /// The requester is created on in this stack's region: a peering attachment is created on
    /// "your transit gateway", in its region (Transit Gateway guide, "Transit gateway peering
    /// attachments").
    fn check_requester(&self, check: &mut Check<'_>) {
        check.linked(&self.transit_gateway, &self.id, "TransitGatewayId");
        let Some(tgw) = self.requester() else {
            return;
        };
        let construct = check.path(&self.id);
        let transit_gateway = check.model.path(tgw);
        match check.model.same_region(check.key, tgw) {
            Placement::Same => {}
            Placement::Different(region, tgw_region) => {
                check.report(SynthError::TransitGatewayInOtherRegion {
                    construct,
                    transit_gateway,
                    tgw_region: tgw_region.to_string(),
                    region: region.to_string(),
                })
            }
            unknown @ Placement::Unknown { .. } => check.findings.errors.extend(unknown.unknown(
                &construct,
                &transit_gateway,
                "region",
            )),
        }
    }
}

impl ConstructNode for TransitGatewayPeeringNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Regional, like its transit gateways.
        None
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        // A peering attachment is an attachment of both transit gateways (each side's quota
        // counts it).
        for tgw in [self.requester(), self.accepter()].into_iter().flatten() {
            relations.peerings_of.entry(tgw).or_default().push(key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        self.check_requester(check);
        match &self.peer {
            PeerDef::App(peer) => self.check_app_peer(check, peer),
            PeerDef::External(external) => self.check_external(check, external),
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let (peer, account, region) = match &self.peer {
            PeerDef::External(external) => (
                Value::String(external.id.clone()),
                Value::String(external.account.clone()),
                Value::String(external.region.clone()),
            ),
            PeerDef::App(linked) => {
                // The peer's stack's account and region; an unpinned one is the deploying
                // credentials', as this stack's (an unpinned one against a pinned one is
                // refused at check).
                let stack = linked
                    .source
                    .as_ref()
                    .and_then(|h| ctx.model.stack(h.key.stack));
                let pinned = |field: Option<&String>, pseudo: &str| {
                    field.map_or_else(|| Value::reference(pseudo), |v| Value::String(v.clone()))
                };
                (
                    linked.value.clone(),
                    pinned(stack.and_then(|s| s.account.as_ref()), "AWS::AccountId"),
                    pinned(stack.and_then(|s| s.region.as_ref()), "AWS::Region"),
                )
            }
        };
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::TransitGatewayPeeringAttachment")
                .property("TransitGatewayId", self.transit_gateway.value.clone())
                .property("PeerTransitGatewayId", peer)
                .property("PeerAccountId", account)
                .property("PeerRegion", region)
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        Pricing::TransitGatewayPeering
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::TransitGatewayPeering {
            requester: self.requester(),
            accepter: self.accepter(),
        }
    }
}
