//! `VpcPeering`: a private connection between two VPCs, routed by each side's route tables.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::vpc::{VpcNode, VpcRef};
use crate::handle::AnyHandle;
use crate::handle::Handle;
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, Ipv4Cidr, StackMarker, SynthError, VpcMarker};

/// A VPC peering connection (`AWS::EC2::VPCPeeringConnection`) from VPC `V` (the requester)
/// to VPC `W` (the accepter): a VPC of the same stack, or a VPC outside the app given by its
/// IDs ([`ExternalVpc`]).
///
/// Peering is not transitive and carries no traffic to the internet or to the other VPC's
/// gateways. Each side routes the other's block to the connection: `V`'s routes name the
/// peering handle, `W`'s name [`VpcPeeringRef::accepter`]; a route of a third VPC does not
/// compile. The two VPCs' blocks must not overlap (checked at synth: AWS fails the
/// connection, and CloudFormation reports "VpcPeeringConnection failed to stabilize").
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::transit::VpcPeering;
/// vpcform_net::topology! { stack Net { vpc A, vpc B } }
/// let mut net = Stack::<Net>::new("Net");
/// let a = net.add("A", Vpc::<A>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let b = net.add("B", Vpc::<B>::builder().cidr(cidr!("10.1.0.0/16")).build());
/// let peering = net.add("AToB", VpcPeering::builder().vpc(&a).peer(&b).build());
/// let a_routes = net.add("ARoutes", RouteTable::builder().vpc(&a).build());
/// let b_routes = net.add("BRoutes", RouteTable::builder().vpc(&b).build());
/// net.add("AToBRoute", Route::builder().route_table(&a_routes).destination(cidr!("10.1.0.0/16")).target(&peering).build());
/// net.add("BToARoute", Route::builder().route_table(&b_routes).destination(cidr!("10.0.0.0/16")).target(peering.accepter()).build());
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct VpcPeering<V: VpcMarker, W> {
    /// `VpcId`: the requester VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The accepter: a [`VpcRef`] of the same stack, or an [`ExternalVpc`]. Required.
    #[builder(setter(transform = |peer: impl IntoPeerVpc<W>| peer.into_peer_vpc()))]
    peer: PeerVpcDef<W>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

/// What a peering connection can connect to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the peer of a VPC peering connection",
    label = "not a VPC of this stack or an external VPC",
    note = "give a `&VpcRef` of the same stack, or `ExternalVpc::new(\"vpc-…\", cidr)` for a VPC \
            outside the app"
)]
pub trait IntoPeerVpc<W> {
    #[doc(hidden)]
    fn into_peer_vpc(self) -> PeerVpcDef<W>;
}

/// The accepter side, as given.
#[doc(hidden)]
pub struct PeerVpcDef<W> {
    peer: PeerVpc,
    _vpc: PhantomData<fn() -> W>,
}

enum PeerVpc {
    Local(Handle),
    External(ExternalVpc),
}

impl<W> IntoPeerVpc<W> for &VpcRef<W> {
    fn into_peer_vpc(self) -> PeerVpcDef<W> {
        PeerVpcDef {
            peer: PeerVpc::Local(self.any_handle().clone()),
            _vpc: PhantomData,
        }
    }
}

impl IntoPeerVpc<ExternalVpc> for ExternalVpc {
    fn into_peer_vpc(self) -> PeerVpcDef<ExternalVpc> {
        PeerVpcDef {
            peer: PeerVpc::External(self),
            _vpc: PhantomData,
        }
    }
}

/// A VPC outside the app, for peering: its ID and block, and its account, region and the role
/// that accepts the request when they are not the requester's.
///
/// ```
/// use vpcform_net::cidr;
/// use vpcform_net::transit::ExternalVpc;
/// let shared = ExternalVpc::new("vpc-0123456789abcdef0", cidr!("10.50.0.0/16"))
///     .owner("123456789012")
///     .role_arn("arn:aws:iam::123456789012:role/peering-acceptor")
///     .region("eu-west-1");
/// ```
#[derive(Clone, Debug)]
pub struct ExternalVpc {
    vpc_id: String,
    cidr: CidrBlock,
    owner: Option<String>,
    region: Option<String>,
    role_arn: Option<String>,
}

impl ExternalVpc {
    /// A VPC by ID (`vpc-` and 8 or 17 hex digits) and its primary block (for the overlap
    /// check and the analysis).
    ///
    /// See [`ExternalVpc`] for an example.
    pub fn new(vpc_id: impl Into<String>, cidr: impl Into<CidrBlock>) -> ExternalVpc {
        ExternalVpc {
            vpc_id: vpc_id.into(),
            cidr: cidr.into(),
            owner: None,
            region: None,
            role_arn: None,
        }
    }

    /// `PeerOwnerId`: the account that owns it (12 digits). Default: the requester's.
    ///
    /// See [`ExternalVpc`] for an example.
    pub fn owner(mut self, account: impl Into<String>) -> ExternalVpc {
        self.owner = Some(account.into());
        self
    }

    /// `PeerRegion`. Default: the requester's region.
    ///
    /// See [`ExternalVpc`] for an example.
    pub fn region(mut self, region: impl Into<String>) -> ExternalVpc {
        self.region = Some(region.into());
        self
    }

    /// `PeerRoleArn`: a role in the owner's account that accepts the request; required when
    /// the owner is another account.
    ///
    /// See [`ExternalVpc`] for an example.
    pub fn role_arn(mut self, arn: impl Into<String>) -> ExternalVpc {
        self.role_arn = Some(arn.into());
        self
    }
}

/// A handle to a [`VpcPeering`] between `V` (requester) and `W` (accepter).
pub struct VpcPeeringRef<V, W> {
    pub(crate) handle: Handle,
    _vpcs: PhantomData<fn() -> (V, W)>,
}

impl<V, W> Clone for VpcPeeringRef<V, W> {
    fn clone(&self) -> Self {
        VpcPeeringRef {
            handle: self.handle.clone(),
            _vpcs: PhantomData,
        }
    }
}

impl<V, W> std::fmt::Debug for VpcPeeringRef<V, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VpcPeeringRef({})", self.handle.path())
    }
}

impl<V, W> AnyHandle for VpcPeeringRef<V, W> {
    fn any_handle(&self) -> &Handle {
        &self.handle
    }
}

impl<V, W> VpcPeeringRef<V, W> {
    /// The CloudFormation logical ID.
    pub fn logical_id(&self) -> &str {
        &self.handle.id
    }

    /// `{"Ref": logical_id}`: the connection's ID (`pcx-…`).
    pub fn reference(&self) -> vpcform_cfn::Value {
        self.handle.reference()
    }

    /// The connection as the accepter `W`'s routes name it.
    ///
    /// See [`VpcPeering`] for an example.
    pub fn accepter(&self) -> PeeringAccepter<W> {
        PeeringAccepter {
            handle: self.handle.clone(),
            _vpc: PhantomData,
        }
    }
}

/// A peering connection seen from its accepter VPC `W`: the target of `W`'s routes.
pub struct PeeringAccepter<W> {
    pub(crate) handle: Handle,
    _vpc: PhantomData<fn() -> W>,
}

impl<S: StackMarker, V: VpcMarker + InStack<S>, W: PeerVpcIn<S>> Construct<S> for VpcPeering<V, W> {
    type Handle = VpcPeeringRef<V, W>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> VpcPeeringRef<V, W> {
        let handle = stack.push(Node::VpcPeering(VpcPeeringNode {
            tags: self.tags,
            id,
            vpc: self.vpc.handle,
            peer: self.peer.peer,
        }));
        VpcPeeringRef {
            handle,
            _vpcs: PhantomData,
        }
    }
}

/// Holds for an accepter that a peering in stack `S` can name: a VPC of `S`, or an external one.
#[diagnostic::on_unimplemented(
    message = "VPC `{Self}` is not in stack `{S}`",
    note = "peer two VPCs of one stack, or give the other VPC as an `ExternalVpc` (its ID and \
            block)"
)]
pub trait PeerVpcIn<S>: sealed::Accepter<S> {}

impl<S, W: VpcMarker + InStack<S>> PeerVpcIn<S> for W {}
impl<S> PeerVpcIn<S> for ExternalVpc {}

/// Sealed: a program's `impl PeerVpcIn<Consumer> for VpcB` would peer across stacks.
mod sealed {
    use super::ExternalVpc;
    use crate::markers::{InStack, VpcMarker};

    pub trait Accepter<S> {}

    impl<S, W: VpcMarker + InStack<S>> Accepter<S> for W {}
    impl<S> Accepter<S> for ExternalVpc {}
}

pub(crate) struct VpcPeeringNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    peer: PeerVpc,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl VpcPeeringNode {
    /// The accepter VPC's key, when it is in the app.
    pub(crate) fn peer_vpc(&self) -> Option<NodeKey> {
        match &self.peer {
            PeerVpc::Local(handle) => handle.vpc,
            PeerVpc::External(_) => None,
        }
    }

    /// The VPC on the other side from `from` (its key when the app has it) and its block,
    /// when known; `None` when `from` is neither side.
    pub(crate) fn other_side(
        &self,
        model: &crate::model::Model<'_>,
        from: NodeKey,
    ) -> Option<(Option<NodeKey>, Option<Ipv4Cidr>)> {
        let block = |key: Option<NodeKey>| {
            key.and_then(|k| model.get_key::<VpcNode>(k))
                .and_then(|v| v.parsed)
        };
        if self.vpc.vpc == Some(from) {
            return Some(match &self.peer {
                PeerVpc::Local(peer) => (peer.vpc, block(peer.vpc)),
                PeerVpc::External(external) => (None, external.cidr.parsed().ok()),
            });
        }
        match &self.peer {
            PeerVpc::Local(peer) if peer.vpc == Some(from) => {
                Some((self.vpc.vpc, block(self.vpc.vpc)))
            }
            _ => None,
        }
    }

    /// The external peer's IDs (docs/aws-rules.md §18.5; EC2 resource IDs, account IDs).
    fn check_external(&self, check: &mut Check<'_>, external: &ExternalVpc) {
        // Two VPCs take one peering connection (VpcPeeringConnectionAlreadyExists; VPC
        // Peering guide, limitations), an external accepter as much as one of the app's. Its
        // account and region default to the requester's: a VPC ID written twice with an
        // account or region given once and left unknown once is not known to be the same VPC.
        if let Some(vpc) = self.vpc.vpc
            && let Some(other) = check.claim(Claim::ExternalPeering {
                vpc,
                peer: (
                    external.vpc_id.clone(),
                    external
                        .owner
                        .clone()
                        .or_else(|| check.stack.account.clone()),
                    external
                        .region
                        .clone()
                        .or_else(|| check.stack.region.clone()),
                ),
            })
        {
            check.report(SynthError::DuplicatePeering {
                construct: check.path(&self.id),
                vpc: self.vpc.path(),
                peer: external.vpc_id.clone(),
                other,
            });
        }
        let mut problems: Vec<(&'static str, String, &str)> = Vec::new();
        let mut invalid = |property: &'static str, value: &str, reason: &'static str| {
            problems.push((property, value.to_string(), reason));
        };
        if !super::ec2_id(&external.vpc_id, "vpc-") {
            invalid(
                "PeerVpcId",
                &external.vpc_id,
                "a VPC ID is vpc- and 8 or 17 lowercase hex digits",
            );
        }
        if let Some(owner) = &external.owner
            && !(owner.len() == 12 && owner.bytes().all(|b| b.is_ascii_digit()))
        {
            invalid("PeerOwnerId", owner, "an account ID is 12 digits");
        }
        if let Some(region) = &external.region
            && !crate::regions::is_region_code(region)
        {
            invalid("PeerRegion", region, "a region code looks like us-east-1");
        }
        // "PeerRoleArn is required when you are peering a VPC in a different AWS account"
        // (AWS::EC2::VPCPeeringConnection); without it the connection fails to stabilize.
        let other_account = match (&external.owner, &check.stack.account) {
            (Some(owner), Some(own)) => owner != own,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if other_account && external.role_arn.is_none() {
            invalid(
                "PeerRoleArn",
                "(none)",
                "required for a VPC of another account: give the accepter's role with \
                 ExternalVpc::role_arn (CloudFormation: \"VpcPeeringConnection failed to \
                 stabilize\")",
            );
        }
        // The accepter's role is assumed from the requester's partition: one of another
        // partition cannot be (an ambient region's partition is unknown: not checked).
        if let Some(role) = &external.role_arn
            && let Some((arn_partition, partition)) =
                crate::arn::other_partition(role, check.stack.region.as_deref())
        {
            check.report(SynthError::ArnInOtherPartition {
                construct: check.path(&self.id),
                property: "PeerRoleArn",
                arn: role.clone(),
                arn_partition: arn_partition.to_string(),
                partition,
            });
        }
        for (property, value, reason) in problems {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property,
                value,
                reason: reason.to_string(),
            });
        }
    }
}

impl ConstructNode for VpcPeeringNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // The requester's: the stack that creates it.
        self.vpc.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
        let requester = check.get::<VpcNode>(&self.vpc).and_then(|vpc| vpc.parsed);
        let (peer_path, peer_cidr) = match &self.peer {
            PeerVpc::Local(peer) => {
                check.handle(&self.id, "PeerVpcId", peer, None);
                if peer.key == self.vpc.key {
                    check.report(SynthError::InvalidText {
                        construct: check.path(&self.id),
                        property: "PeerVpcId",
                        value: peer.path(),
                        reason: "a VPC cannot peer with itself".into(),
                    });
                    return;
                }
                // Two VPCs take one peering connection, whichever requests
                // (VpcPeeringConnectionAlreadyExists; VPC Peering guide, limitations).
                if let (Some(a), Some(b)) = (self.vpc.vpc, peer.vpc)
                    && let Some(other) = check.claim(Claim::Peering {
                        vpcs: (a.min(b), a.max(b)),
                    })
                {
                    check.report(SynthError::DuplicatePeering {
                        construct: check.path(&self.id),
                        vpc: self.vpc.path(),
                        peer: peer.path(),
                        other,
                    });
                }
                (
                    peer.path(),
                    check.get::<VpcNode>(peer).and_then(|v| v.parsed),
                )
            }
            PeerVpc::External(external) => {
                self.check_external(check, external);
                (
                    external.vpc_id.clone(),
                    check.cidr(&self.id, "ExternalVpc cidr", &external.cidr),
                )
            }
        };
        // "The requester VPC and accepter VPC cannot have overlapping CIDR blocks": the
        // connection fails (EC2 CreateVpcPeeringConnection; docs/aws-rules.md §18.5).
        if let (Some(a), Some(b)) = (requester, peer_cidr)
            && a.overlaps(&b)
        {
            check.report(SynthError::ConnectedVpcsOverlap {
                construct: check.path(&self.id),
                vpc: self.vpc.path(),
                cidr: a.to_string(),
                fix: format!(
                    "give {} or {peer_path} a block that does not overlap the other's",
                    self.vpc.path()
                ),
                other: peer_path,
                other_cidr: b.to_string(),
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let mut resource =
            Resource::new("AWS::EC2::VPCPeeringConnection").property("VpcId", self.vpc.reference());
        resource = match &self.peer {
            PeerVpc::Local(peer) => resource.property("PeerVpcId", peer.reference()),
            PeerVpc::External(external) => resource
                .property("PeerVpcId", external.vpc_id.as_str())
                .property_opt("PeerOwnerId", external.owner.as_deref())
                .property_opt("PeerRegion", external.region.as_deref())
                .property_opt("PeerRoleArn", external.role_arn.as_deref()),
        };
        template.add_resource(
            &*self.id,
            resource.property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        Pricing::VpcPeering
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Peering {
            peer_vpc: self.peer_vpc(),
        }
    }
}
