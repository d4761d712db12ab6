//! The network model: every construct of the app as one variant of a closed set, with typed
//! relations between them, built once per synthesis. Checks, rendering, the traffic analysis,
//! the cost estimate and the diagram all read it; none looks constructs up by string.
//!
//! Adding a construct: one file under `constructs/` with its node struct implementing
//! [`ConstructNode`] (the compiler lists what it must say: its VPC, tags, relations, checks,
//! rendering, pricing and drawing), and one line in `identity::constructs!`, from which the
//! closed [`Node`] enum and all its dispatch are generated.

use std::collections::HashMap;

use vpcform_cfn::{Template, TemplateError};

use crate::SynthError;
use crate::constructs::endpoint_service::EndpointServiceNode;
use crate::constructs::hosted_zone::PrivateHostedZoneNode;
use crate::constructs::listener::ListenerNode;
use crate::constructs::route::RouteNode;
use crate::constructs::route_table::RouteTableNode;
use crate::constructs::service_network_association::ServiceNetworkResourceAssociationNode;
use crate::constructs::subnet::Az;
use crate::constructs::transit_gateway_association::TransitGatewayRouteTableAssociationNode;
use crate::constructs::transit_gateway_attachment::TransitGatewayAttachmentNode;
use crate::constructs::transit_gateway_route::TransitGatewayRouteNode;
use crate::constructs::vpc::VpcNode;
use crate::handle::{Handle, Linked};
use crate::identity::{Kind, NodeKey, StackKey};
use crate::stack::{Findings, StackDef};

/// What every construct's node says of itself. Every method is required, so the compiler
/// lists what a new construct must say; the model, the checks, rendering, the cost estimate
/// and the diagram ask these, never the construct's type.
pub(crate) trait ConstructNode {
    /// The construct's ID: its main resource's logical ID.
    fn id(&self) -> &str;

    /// The VPC it lives in (`own` is its key: a VPC is its own); `None` when regional.
    fn vpc(&self, own: NodeKey) -> Option<NodeKey>;

    /// Its own tags when it renders a taggable resource (its CloudFormation schema says so);
    /// `None` when it renders none.
    fn tags(&self) -> Option<&crate::Tags>;

    /// The resource type among its own whose tags allow fewer characters than EC2's (ELBv2,
    /// IAM: `tags::check_characters`), if any.
    fn restricted_tags(&self) -> Option<&'static str>;

    /// The relations it adds to the model (a route table's subnets, a route's table, …).
    fn relate(&self, key: NodeKey, relations: &mut Relations);

    /// Reports every problem with its properties, each rule citing its AWS source.
    fn check(&self, check: &mut Check<'_>);

    /// Adds its resources to the template.
    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError>;

    /// How the cost estimate bills it.
    fn pricing(&self) -> Pricing;

    /// How the diagram draws it.
    fn drawing(&self) -> Drawing<'_>;
}

/// What a construct costs, as the cost estimate prices it (`cost.rs` knows the prices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pricing {
    /// No charge of its own (or billed through another construct).
    Free,
    /// Charged, but not priced by vpcform (named in the estimate's notes).
    NotPriced,
    /// Per AZ-hour and per GB processed.
    InterfaceEndpoint {
        /// Its zones: one subnet each.
        zones: usize,
    },
    /// Free, and listed as such.
    GatewayEndpoint,
    /// Per hour and per NLCU.
    NetworkLoadBalancer,
    /// Per hour and per GB processed.
    NatGateway,
    /// Per GB crossing zones or regions.
    VpcPeering,
    /// Per hour and per GB processed.
    TransitGatewayAttachment,
    /// Per hour, and per GB between regions (no processing for what it delivers).
    TransitGatewayPeering,
    /// Per month (queries not included).
    PrivateHostedZone,
}

/// How the diagram draws a construct (`diagram.rs` knows how to draw each).
pub(crate) enum Drawing<'a> {
    /// Not drawn: drawn through other boxes, or carries no traffic.
    Hidden,
    /// A box in its VPC's cluster: `label` under its ID, in Graphviz `shape`.
    Box {
        label: &'static str,
        shape: &'static str,
    },
    /// A subnet: its block and zone.
    Subnet {
        cidr: Option<crate::Ipv4Cidr>,
        az: &'a Az,
    },
    /// Regional: drawn outside the VPCs, once.
    Regional {
        label: &'static str,
        shape: &'static str,
    },
    /// A gateway endpoint, with a line to its AWS service.
    GatewayEndpoint { service: &'a str },
    /// An interface endpoint, with a line to its AWS service or endpoint service.
    InterfaceEndpoint { aws_service: Option<&'a str> },
    /// An endpoint service, with a line to each load balancer.
    EndpointService { load_balancers: &'a [Handle] },
    /// A Lattice resource endpoint, with a line to its configuration.
    ResourceEndpoint { configuration: Option<&'a Handle> },
    /// A resource joining a service network: a line between them, no box.
    LatticeAssociation {
        network: Option<&'a Handle>,
        resource: &'a Handle,
    },
    /// A service-network endpoint, with a line to its network.
    ServiceNetworkEndpoint { network: Option<&'a Handle> },
    /// A peering connection: its box, and one for the accepter in the peer's cluster.
    Peering { peer_vpc: Option<NodeKey> },
    /// A transit gateway attachment, with a line to its transit gateway.
    Attachment { transit_gateway: Option<NodeKey> },
    /// A private hosted zone: its box, and a dashed line to each VPC of the app it is
    /// associated with (so a VPC it is not associated with has none).
    PrivateHostedZone { vpcs: Vec<NodeKey> },
    /// A transit gateway peering attachment: a box beside the VPCs, in its stack's account and
    /// Region, with a line from the requester transit gateway and one to the accepter (either
    /// when it is the app's), so flows across the peering pass through it.
    TransitGatewayPeering {
        requester: Option<NodeKey>,
        accepter: Option<NodeKey>,
    },
    /// A VPC's association with a Route 53 Profile: a dashed line from the profile to the
    /// VPC, no box.
    ProfileAssociation {
        profile: Option<NodeKey>,
        vpc: Option<NodeKey>,
    },
}

/// The typed relations between constructs, built in one pass ([`ConstructNode::relate`]).
#[derive(Default)]
pub(crate) struct Relations {
    /// Subnet → the route table it is associated with (the first to claim it).
    pub(crate) route_table_of: HashMap<NodeKey, NodeKey>,
    /// Subnet → the network ACL it is associated with (the first to claim it).
    pub(crate) network_acl_of: HashMap<NodeKey, NodeKey>,
    /// Existing VPC → its default network ACL, stated (`ExistingNetworkAcl::default_acl`).
    pub(crate) default_network_acl_of: HashMap<NodeKey, NodeKey>,
    /// Route table → its routes, in the order added.
    pub(crate) routes_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// VPC → every construct in it, in the order added.
    pub(crate) in_vpc: HashMap<NodeKey, Vec<NodeKey>>,
    /// Load balancer → its listeners.
    pub(crate) listeners_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// Interface endpoint → the endpoint service of the app it connects to.
    pub(crate) service_of: HashMap<NodeKey, NodeKey>,
    /// Transit gateway → its attachments, of every stack.
    pub(crate) attachments_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// VPC → the private hosted zones (of any stack) associated with it.
    pub(crate) zones_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// (transit gateway, VPC) → the VPC's attachment to it.
    pub(crate) attachment_of: HashMap<(NodeKey, NodeKey), NodeKey>,
    /// Transit gateway route table → its static routes.
    pub(crate) tgw_routes_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// Transit gateway route table → the attachments propagating into it.
    pub(crate) propagating_into: HashMap<NodeKey, Vec<NodeKey>>,
    /// Service network → its resource associations.
    pub(crate) associations_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// Construct → the principals a RAM resource share of the app shares it with.
    pub(crate) shared_with: HashMap<NodeKey, Vec<String>>,
    // Issue 25.
    /// Transit gateway → its peering attachments, as requester or accepter.
    pub(crate) peerings_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// (attachment, transit gateway) → the route table of that transit gateway the attachment
    /// is associated with on its side by a `TransitGatewayRouteTableAssociation`: a peering
    /// attachment's, or a VPC attachment's made by the transit gateway's owner.
    pub(crate) peering_association: HashMap<(NodeKey, NodeKey), NodeKey>,
    /// The `TransitGatewayRouteTableAssociation`s, resolved into `peering_association` once
    /// every table is known.
    pub(crate) table_associations: Vec<NodeKey>,
    /// VPC → the Route 53 Profile (of any stack) associated with it (the first association).
    pub(crate) profile_of: HashMap<NodeKey, NodeKey>,
    /// Route 53 Profile → the constructs of the app it holds (zones, interface endpoints).
    pub(crate) profile_resources: HashMap<NodeKey, Vec<NodeKey>>,
    /// Route 53 Profile → its VPC associations, of every stack.
    pub(crate) profile_associations_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// Transit gateway attachment (VPC or peering) → the routes and route table associations
    /// naming it, of every stack: what waits for its acceptance (`steps.rs`).
    pub(crate) attachment_users: HashMap<NodeKey, Vec<NodeKey>>,
    /// A construct another account may use once shared (a Lattice service network or
    /// resource configuration) → the constructs of every stack naming it: what waits for a
    /// share's invitation (`steps.rs`).
    pub(crate) shared_users: HashMap<NodeKey, Vec<NodeKey>>,
}

/// The name of the deployer's step that accepts what construct `key` asks of another owner
/// (a peering or VPC attachment): `Accept-<Stack>-<Id>`, a valid name for the manifest, which
/// the traffic report's fixes name and `steps.rs` gives the step.
pub(crate) fn acceptance_step(model: &Model<'_>, key: NodeKey) -> String {
    match (model.stack(key.stack), model.node(key)) {
        (Some(stack), Some(node)) => format!("Accept-{}-{}", stack.name, node.id()),
        _ => "Accept-(a construct of another app)".to_string(),
    }
}

/// Whether two constructs' accounts (or regions) are the same: each is its stack's, pinned or
/// unknown (the deploying credentials'). An unknown one never silently equals a pinned one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placement<'a> {
    /// Both pinned to the same value, or both unknown (the same credentials deploy both).
    Same,
    /// Both pinned, to these different values: (this construct's, the other's).
    Different(&'a str, &'a str),
    /// One pinned, the other unknown: which stack is unknown, and the pinned value.
    Unknown { unpinned: &'a str, pinned: &'a str },
}

impl<'a> Placement<'a> {
    /// For `Unknown`, the error that says so: `construct`'s rule compares its `what`
    /// (`account` or `region`) with `other`'s.
    pub(crate) fn unknown(
        &self,
        construct: &str,
        other: &str,
        what: &'static str,
    ) -> Option<SynthError> {
        match *self {
            Placement::Unknown { unpinned, pinned } => Some(SynthError::PlacementUnknown {
                construct: construct.to_string(),
                other: other.to_string(),
                what,
                unpinned: unpinned.to_string(),
                pinned: pinned.to_string(),
            }),
            Placement::Same | Placement::Different(..) => None,
        }
    }

    fn of(own: (&'a str, Option<&'a str>), other: (&'a str, Option<&'a str>)) -> Placement<'a> {
        match (own.1, other.1) {
            (Some(a), Some(b)) if a != b => Placement::Different(a, b),
            (Some(pinned), None) => Placement::Unknown {
                unpinned: other.0,
                pinned,
            },
            (None, Some(pinned)) => Placement::Unknown {
                unpinned: own.0,
                pinned,
            },
            _ => Placement::Same,
        }
    }
}

/// Declares the closed set of constructs from `identity::constructs!`: the [`Node`] enum, its
/// [`Kind`], dispatch to [`ConstructNode`], and typed access to each variant ([`Variant`]).
macro_rules! nodes {
    ($($variant:ident($module:ident :: $node:ident) $name:literal,)*) => {
        /// A construct recorded in a stack.
        pub(crate) enum Node {
            $($variant(crate::constructs::$module::$node),)*
        }

        impl Node {
            pub(crate) fn kind(&self) -> Kind {
                match self {
                    $(Node::$variant(_) => Kind::$variant,)*
                }
            }

            /// What the construct says of itself.
            pub(crate) fn construct(&self) -> &dyn ConstructNode {
                match self {
                    $(Node::$variant(node) => node,)*
                }
            }
        }

        $(
            impl Variant for crate::constructs::$module::$node {
                fn of(node: &Node) -> Option<&Self> {
                    match node {
                        Node::$variant(inner) => Some(inner),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }
        )*
    };
}

crate::identity::constructs!(nodes);

impl Node {
    /// The construct's ID: its main resource's logical ID.
    pub(crate) fn id(&self) -> &str {
        self.construct().id()
    }

    /// The construct's own tags, when it renders a taggable resource.
    pub(crate) fn tags(&self) -> Option<&crate::Tags> {
        self.construct().tags()
    }

    /// The resource type among the construct's whose tags allow the fewest characters, if any
    /// (see `tags::check_characters`).
    pub(crate) fn restricted_tags(&self) -> Option<&'static str> {
        self.construct().restricted_tags()
    }

    /// The VPC the construct lives in, when it has one.
    pub(crate) fn vpc(&self, own: NodeKey) -> Option<NodeKey> {
        self.construct().vpc(own)
    }

    /// Reports every problem with the construct's properties.
    pub(crate) fn check(&self, check: &mut Check<'_>) {
        self.construct().check(check)
    }

    /// Adds the construct's resources to the template.
    pub(crate) fn render(
        &self,
        ctx: &Render<'_>,
        template: &mut Template,
    ) -> Result<(), TemplateError> {
        self.construct().render(ctx, template)
    }
}

/// One variant's node type, reached from a [`Node`] by a `match`, never a downcast.
pub(crate) trait Variant: Sized + 'static {
    fn of(node: &Node) -> Option<&Self>;
}

/// Where a transit gateway route table sends traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TransitGatewayHop {
    /// To this attachment: a VPC attachment's VPC, or over a peering attachment.
    Attachment(NodeKey),
    /// Dropped.
    Blackhole,
}

/// Why a handle does not resolve in this app.
#[derive(Debug, PartialEq)]
pub(crate) enum Unresolved {
    /// Its stack is not one of the app's (another `App`'s, or never added).
    NotInApp,
    /// It names a construct of another kind (or none at all).
    WrongKind(Option<Kind>),
}

/// The model of the app: its stacks' constructs and the relations between them.
pub(crate) struct Model<'a> {
    pub(crate) stacks: &'a [StackDef],
    positions: HashMap<StackKey, usize>,
    relations: Relations,
    /// Transit gateway → its VPCs' blocks, sorted.
    attached_blocks: HashMap<NodeKey, Vec<(crate::Ipv4Cidr, NodeKey)>>,
}

impl<'a> Model<'a> {
    /// Builds the relations in one pass over every construct.
    pub(crate) fn new(stacks: &'a [StackDef]) -> Model<'a> {
        let mut model = Model {
            stacks,
            positions: HashMap::with_capacity(stacks.len()),
            relations: Relations::default(),
            attached_blocks: HashMap::new(),
        };
        for (position, stack) in stacks.iter().enumerate() {
            model.positions.entry(stack.key).or_insert(position);
        }
        for stack in stacks {
            for (key, node) in stack.keyed_nodes() {
                let construct = node.construct();
                if let Some(vpc) = construct.vpc(key) {
                    model.relations.in_vpc.entry(vpc).or_default().push(key);
                }
                construct.relate(key, &mut model.relations);
            }
        }
        // Each transit gateway's VPC blocks, sorted once for the overlap check and the routes.
        let mut attached_blocks = HashMap::with_capacity(model.relations.attachments_of.len());
        for (&tgw, attachments) in &model.relations.attachments_of {
            let mut blocks: Vec<(crate::Ipv4Cidr, NodeKey)> = attachments
                .iter()
                .filter_map(|&a| model.get_key::<TransitGatewayAttachmentNode>(a)?.vpc.vpc)
                .filter_map(|vpc| Some((model.get_key::<VpcNode>(vpc)?.parsed?, vpc)))
                .collect();
            blocks.sort_by_key(|(cidr, vpc)| (cidr.first(), *vpc));
            blocks.dedup_by_key(|(_, vpc)| *vpc);
            attached_blocks.insert(tgw, blocks);
        }
        model.attached_blocks = attached_blocks;
        // Each peering association's side: its table's transit gateway (the first claims it;
        // a second is refused at check).
        let associations = std::mem::take(&mut model.relations.table_associations);
        for key in associations {
            let Some(node) = model.get_key::<TransitGatewayRouteTableAssociationNode>(key) else {
                continue;
            };
            let (Some(peering), Some(table)) = (node.attachment.key(), node.route_table.key())
            else {
                continue;
            };
            if let Some(tgw) = model
                .get_key::<crate::constructs::transit_gateway_route_table::TransitGatewayRouteTableNode>(table)
                .and_then(|t| t.transit_gateway_key())
            {
                model
                    .relations
                    .peering_association
                    .entry((peering, tgw))
                    .or_insert(table);
            }
        }
        model
    }

    /// The stack a key belongs to, if it is one of the app's.
    pub(crate) fn stack(&self, key: StackKey) -> Option<&'a StackDef> {
        self.positions.get(&key).map(|&p| &self.stacks[p])
    }

    /// A subnet's zone as zones compare across accounts: by ID where its stack looked up its
    /// account's zones (`Stack::lookup_availability_zones`), else as written; `None` for a
    /// subnet not of the app or a zone its stack's map lacks (reported on the subnet).
    pub(crate) fn zone(&self, subnet: &Handle) -> Option<std::borrow::Cow<'a, Az>> {
        let node = self.get::<crate::constructs::subnet::SubnetNode>(subnet)?;
        match self.stack(subnet.key.stack) {
            Some(stack) => crate::constructs::lookup::resolve_zone(stack, &node.az),
            None => Some(std::borrow::Cow::Borrowed(&node.az)),
        }
    }

    /// The construct a key names, if it is one of the app's.
    /// The region of `own`'s stack against `other`'s.
    pub(crate) fn same_region(&self, own: NodeKey, other: NodeKey) -> Placement<'a> {
        self.placement(own, other, |s| s.region.as_deref())
    }

    /// The account of `own`'s stack against `other`'s.
    pub(crate) fn same_account(&self, own: NodeKey, other: NodeKey) -> Placement<'a> {
        self.placement(own, other, |s| s.account.as_deref())
    }

    fn placement(
        &self,
        own: NodeKey,
        other: NodeKey,
        field: impl Fn(&'a StackDef) -> Option<&'a str>,
    ) -> Placement<'a> {
        match (self.stack(own.stack), self.stack(other.stack)) {
            (Some(a), Some(b)) => Placement::of((&a.name, field(a)), (&b.name, field(b))),
            _ => Placement::Same,
        }
    }

    /// The principals the app's RAM shares share `key` with.
    pub(crate) fn shared_with(&self, key: NodeKey) -> &[String] {
        self.relations
            .shared_with
            .get(&key)
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn node(&self, key: NodeKey) -> Option<&'a Node> {
        self.stack(key.stack)?.nodes.get(key.index as usize)
    }

    /// The construct a handle names, or why it names none here.
    pub(crate) fn resolve(&self, handle: &Handle) -> Result<&'a Node, Unresolved> {
        let stack = self.stack(handle.key.stack).ok_or(Unresolved::NotInApp)?;
        match stack.nodes.get(handle.key.index as usize) {
            Some(node) if node.kind() == handle.kind && node.id() == &*handle.id => Ok(node),
            Some(node) => Err(Unresolved::WrongKind(Some(node.kind()))),
            None => Err(Unresolved::WrongKind(None)),
        }
    }

    /// The construct of type `N` a handle names, if it resolves to one.
    pub(crate) fn get<N: Variant>(&self, handle: &Handle) -> Option<&'a N> {
        self.resolve(handle).ok().and_then(N::of)
    }

    /// The construct of type `N` a key names.
    pub(crate) fn get_key<N: Variant>(&self, key: NodeKey) -> Option<&'a N> {
        self.node(key).and_then(N::of)
    }

    /// `Stack/Id` of a key, for messages.
    pub(crate) fn path(&self, key: NodeKey) -> String {
        match (self.stack(key.stack), self.node(key)) {
            (Some(stack), Some(node)) => stack.path(node.id()),
            _ => "(a construct of another app)".to_string(),
        }
    }

    /// A VPC's attachment to a transit gateway, if it has one.
    pub(crate) fn attachment_of(&self, transit_gateway: NodeKey, vpc: NodeKey) -> Option<NodeKey> {
        self.relations
            .attachment_of
            .get(&(transit_gateway, vpc))
            .copied()
    }

    /// Where a transit gateway route table sends `block`: the most specific of its static
    /// routes and the blocks propagated into it (a static route wins a tie: Transit Gateway
    /// guide, "Route evaluation order"); `None` when nothing matches.
    pub(crate) fn tgw_route(
        &self,
        table: NodeKey,
        block: crate::Ipv4Cidr,
    ) -> Option<TransitGatewayHop> {
        use crate::constructs::transit_gateway_route::TransitGatewayRouteTargetDef;
        let statics = self
            .keys::<TransitGatewayRouteNode>(self.relations.tgw_routes_of.get(&table))
            .filter_map(|r| {
                let destination = r.destination.parsed().ok()?;
                let hop = match &r.target {
                    TransitGatewayRouteTargetDef::Attachment { attachment, .. } => {
                        TransitGatewayHop::Attachment(attachment.key()?)
                    }
                    TransitGatewayRouteTargetDef::Blackhole => TransitGatewayHop::Blackhole,
                };
                Some((destination, 1u8, hop))
            });
        let propagated = self
            .relations
            .propagating_into
            .get(&table)
            .into_iter()
            .flatten()
            .filter_map(|&a| {
                let vpc = self.get_key::<TransitGatewayAttachmentNode>(a)?.vpc.vpc?;
                Some((
                    self.get_key::<VpcNode>(vpc)?.parsed?,
                    0u8,
                    TransitGatewayHop::Attachment(a),
                ))
            });
        statics
            .chain(propagated)
            .filter(|(destination, _, _)| destination.contains(&block))
            .max_by_key(|(destination, rank, _)| (destination.prefix_len(), *rank))
            .map(|(_, _, hop)| hop)
    }

    /// The smallest blocks the program declared that cover `sources` (subnets' blocks): one
    /// when a VPC's block, a route's or a transit gateway route's destination (the summary of
    /// the spokes behind it) covers them all, else the smallest for each source, or the
    /// source itself where none covers it; sorted, without repeats. What a fix names for a
    /// rule whose sources are several subnets or VPCs, so that following it once serves them
    /// all and the subnets added later. A `/0` summarizes nothing and is never chosen.
    pub(crate) fn covering_blocks(&self, sources: &[crate::Ipv4Cidr]) -> Vec<crate::Ipv4Cidr> {
        let declared: Vec<crate::Ipv4Cidr> = self
            .stacks
            .iter()
            .flat_map(|stack| stack.nodes.iter())
            .filter_map(|node| {
                if let Some(vpc) = VpcNode::of(node) {
                    vpc.parsed
                } else if let Some(route) = RouteNode::of(node) {
                    route.ipv4()
                } else {
                    TransitGatewayRouteNode::of(node)?.destination.parsed().ok()
                }
            })
            .filter(|block| block.prefix_len() > 0)
            .collect();
        let smallest = |of: &[crate::Ipv4Cidr]| {
            declared
                .iter()
                .filter(|block| of.iter().all(|source| block.contains(source)))
                .max_by_key(|block| block.prefix_len())
                .copied()
        };
        let mut blocks = match smallest(sources) {
            Some(block) => vec![block],
            None => sources
                .iter()
                .map(|&source| smallest(&[source]).unwrap_or(source))
                .collect(),
        };
        blocks.sort_by_key(|block| (block.first(), block.prefix_len()));
        blocks.dedup();
        blocks
    }

    /// The blocks of the VPCs attached to a transit gateway, sorted by first address.
    pub(crate) fn attached_blocks(
        &self,
        transit_gateway: NodeKey,
    ) -> &[(crate::Ipv4Cidr, NodeKey)] {
        self.attached_blocks
            .get(&transit_gateway)
            .map_or(&[], Vec::as_slice)
    }

    /// The private hosted zones associated with a VPC, of every stack: directly, then those
    /// held by the Route 53 Profile associated with it (a profile's zones answer its VPCs'
    /// queries as an association would).
    pub(crate) fn zones_of(
        &self,
        vpc: NodeKey,
    ) -> impl Iterator<Item = (NodeKey, &'a PrivateHostedZoneNode)> + '_ {
        let direct = self.relations.zones_of.get(&vpc).into_iter().flatten();
        direct
            .chain(self.profile_resources_of(vpc))
            .filter_map(|&key| self.get_key(key).map(|n| (key, n)))
    }

    /// The Route 53 Profile of the app associated with a VPC, if any.
    pub(crate) fn profile_of(&self, vpc: NodeKey) -> Option<NodeKey> {
        self.relations.profile_of.get(&vpc).copied()
    }

    /// The constructs held by the Route 53 Profile associated with a VPC.
    pub(crate) fn profile_resources_of(&self, vpc: NodeKey) -> impl Iterator<Item = &NodeKey> {
        self.profile_of(vpc)
            .and_then(|profile| self.relations.profile_resources.get(&profile))
            .into_iter()
            .flatten()
    }

    /// A Route 53 Profile of the app holding a construct that `holds` accepts, with that
    /// construct. A scan of the profiles: for failure paths only (a flow's fix).
    pub(crate) fn profile_holding(
        &self,
        holds: impl Fn(NodeKey) -> bool,
    ) -> Option<(NodeKey, NodeKey)> {
        let mut found: Vec<(NodeKey, NodeKey)> = self
            .relations
            .profile_resources
            .iter()
            .flat_map(|(&profile, held)| held.iter().map(move |&key| (profile, key)))
            .filter(|&(_, key)| holds(key))
            .collect();
        // The map's order is not the program's: the first profile added wins.
        found.sort();
        found.first().copied()
    }

    /// How many VPC associations a Route 53 Profile has, of every stack (quota checks).
    pub(crate) fn profile_association_count(&self, profile: NodeKey) -> usize {
        self.relations
            .profile_associations_of
            .get(&profile)
            .map_or(0, Vec::len)
    }

    /// The route table a subnet is associated with.
    pub(crate) fn route_table_of(&self, subnet: NodeKey) -> Option<(NodeKey, &'a RouteTableNode)> {
        let key = *self.relations.route_table_of.get(&subnet)?;
        self.get_key(key).map(|t| (key, t))
    }

    /// The network ACL a subnet is associated with (a created one or stated facts).
    pub(crate) fn network_acl_of(
        &self,
        subnet: NodeKey,
    ) -> Option<(NodeKey, &'a crate::constructs::network_acl::NetworkAclNode)> {
        let key = *self.relations.network_acl_of.get(&subnet)?;
        self.get_key(key).map(|t| (key, t))
    }

    /// An existing VPC's default network ACL, when its rules are stated.
    pub(crate) fn default_network_acl_of(
        &self,
        vpc: NodeKey,
    ) -> Option<(NodeKey, &'a crate::constructs::network_acl::NetworkAclNode)> {
        let key = *self.relations.default_network_acl_of.get(&vpc)?;
        self.get_key(key).map(|t| (key, t))
    }

    /// A route table's routes.
    pub(crate) fn routes_of(&self, table: NodeKey) -> impl Iterator<Item = &'a RouteNode> + '_ {
        self.keys(self.relations.routes_of.get(&table))
    }

    /// The constructs of type `N` in a VPC, in the order added.
    pub(crate) fn in_vpc<N: Variant>(
        &self,
        vpc: NodeKey,
    ) -> impl Iterator<Item = (NodeKey, &'a N)> + '_ {
        self.relations
            .in_vpc
            .get(&vpc)
            .into_iter()
            .flatten()
            .filter_map(move |&key| self.get_key::<N>(key).map(|n| (key, n)))
    }

    /// The routes and route table associations naming a transit gateway attachment (VPC or
    /// peering), of every stack.
    pub(crate) fn attachment_users(&self, attachment: NodeKey) -> &[NodeKey] {
        self.relations
            .attachment_users
            .get(&attachment)
            .map_or(&[], Vec::as_slice)
    }

    /// The constructs naming a Lattice service network or resource configuration, of every
    /// stack.
    pub(crate) fn shared_users(&self, resource: NodeKey) -> &[NodeKey] {
        self.relations
            .shared_users
            .get(&resource)
            .map_or(&[], Vec::as_slice)
    }

    /// A transit gateway's VPC attachments, of every stack.
    pub(crate) fn attachments_of(&self, transit_gateway: NodeKey) -> &[NodeKey] {
        self.relations
            .attachments_of
            .get(&transit_gateway)
            .map_or(&[], Vec::as_slice)
    }

    /// A Route 53 Profile's VPC associations, of every stack.
    pub(crate) fn profile_associations_of(&self, profile: NodeKey) -> &[NodeKey] {
        self.relations
            .profile_associations_of
            .get(&profile)
            .map_or(&[], Vec::as_slice)
    }

    /// A stack's position in the app, if it is one of the app's.
    pub(crate) fn position(&self, stack: StackKey) -> Option<usize> {
        self.positions.get(&stack).copied()
    }

    /// A transit gateway's peering attachments, as requester or accepter, of every stack.
    pub(crate) fn peerings_of(&self, transit_gateway: NodeKey) -> &[NodeKey] {
        self.relations
            .peerings_of
            .get(&transit_gateway)
            .map_or(&[], Vec::as_slice)
    }

    /// The route table of `transit_gateway` a peering attachment is associated with there.
    pub(crate) fn peering_association(
        &self,
        peering: NodeKey,
        transit_gateway: NodeKey,
    ) -> Option<NodeKey> {
        self.relations
            .peering_association
            .get(&(peering, transit_gateway))
            .copied()
    }

    /// The route table a VPC attachment (`key`) is associated with: its own `.association`,
    /// or a `TransitGatewayRouteTableAssociation` of the transit gateway's owner naming it.
    pub(crate) fn attachment_table(
        &self,
        key: NodeKey,
        attachment: &TransitGatewayAttachmentNode,
    ) -> Option<NodeKey> {
        match &attachment.association {
            Some(own) => own.key(),
            None => self.peering_association(key, attachment.transit_gateway_key()?),
        }
    }

    /// How many attachments a transit gateway has, of every stack (quota checks).
    pub(crate) fn attachment_count(&self, transit_gateway: NodeKey) -> usize {
        self.relations
            .attachments_of
            .get(&transit_gateway)
            .map_or(0, Vec::len)
    }

    /// How many routes a transit gateway route table holds, of every stack: its static
    /// routes and one per attachment propagating into it (its VPC's block; quota checks).
    pub(crate) fn tgw_route_count(&self, table: NodeKey) -> usize {
        let count = |map: &HashMap<NodeKey, Vec<NodeKey>>| map.get(&table).map_or(0, Vec::len);
        count(&self.relations.tgw_routes_of) + count(&self.relations.propagating_into)
    }

    /// A load balancer's listeners.
    pub(crate) fn listeners_of(&self, nlb: NodeKey) -> impl Iterator<Item = &'a ListenerNode> + '_ {
        self.keys(self.relations.listeners_of.get(&nlb))
    }

    /// The endpoint service of the app an interface endpoint connects to.
    pub(crate) fn service_of(
        &self,
        endpoint: NodeKey,
    ) -> Option<(NodeKey, &'a EndpointServiceNode)> {
        let key = *self.relations.service_of.get(&endpoint)?;
        self.get_key(key).map(|s| (key, s))
    }

    /// The resource configurations associated with a VPC Lattice service network.
    pub(crate) fn configurations_in(
        &self,
        network: NodeKey,
    ) -> impl Iterator<Item = &'a Handle> + '_ {
        self.keys::<ServiceNetworkResourceAssociationNode>(
            self.relations.associations_of.get(&network),
        )
        .map(|a| &a.resource)
    }

    fn keys<'s, N: Variant>(
        &'s self,
        keys: Option<&'s Vec<NodeKey>>,
    ) -> impl Iterator<Item = &'a N> + 's {
        keys.into_iter()
            .flatten()
            .filter_map(|&k| self.get_key::<N>(k))
    }
}

/// A pair rule's key: what at most one construct may have ("one route table per subnet").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Claim {
    /// A subnet's route table association.
    RouteTableOf(NodeKey),
    /// A subnet's network ACL association.
    NetworkAclOf(NodeKey),
    /// A gateway endpoint's prefix-list route for a service in a route table.
    GatewayRoute {
        table: NodeKey,
        service: &'static str,
    },
    /// A route's destination in a route table.
    Route {
        table: NodeKey,
        destination: crate::Ipv4Cidr,
    },
    /// A route's IPv6 destination in a route table.
    Ipv6Route {
        table: NodeKey,
        destination: ipnet::Ipv6Net,
    },
    /// A private-DNS name for a service in a VPC.
    PrivateDns { vpc: NodeKey, service: ServiceKey },
    /// A listener's port on a load balancer.
    Listener { load_balancer: NodeKey, port: u16 },
    /// A VPC's internet gateway.
    InternetGateway { vpc: NodeKey },
    /// A /64 of a VPC's IPv6 block, by index.
    Ipv6Subnet { vpc: NodeKey, index: u8 },
    /// A private hosted zone for an AWS service's name in a VPC.
    ServiceZone { vpc: NodeKey, service: ServiceKey },
    /// A static route's destination in a transit gateway route table.
    TransitGatewayRoute {
        table: NodeKey,
        destination: crate::Ipv4Cidr,
    },
    /// A VPC's attachment to a transit gateway.
    TransitGatewayAttachment {
        vpc: NodeKey,
        transit_gateway: NodeKey,
    },
    // Issue 24.
    /// A load balancer's endpoint service.
    EndpointServiceOf { load_balancer: NodeKey },
    /// The first listener forwarding to a target group: its load balancer is the group's.
    TargetGroupListener { target_group: NodeKey },
    /// The peering connection between two VPCs of the app, the smaller key first.
    Peering { vpcs: (NodeKey, NodeKey) },
    /// The peering connection between a VPC of the app and a VPC outside it: its ID, account
    /// and region, each as written or else the requester stack's (`None`: unknown).
    ExternalPeering {
        vpc: NodeKey,
        peer: (String, Option<String>, Option<String>),
    },
    // Issue 25.
    /// The peering attachment between two transit gateways of the app, the smaller key first.
    TransitGatewayPeering {
        transit_gateways: (NodeKey, NodeKey),
    },
    /// The peering attachment between a transit gateway of the app and one outside it: its
    /// ID, account and region.
    ExternalTransitGatewayPeering {
        transit_gateway: NodeKey,
        peer: (String, String, String),
    },
    /// A peering attachment's association on one side (its transit gateway).
    PeeringAssociation {
        peering: NodeKey,
        transit_gateway: NodeKey,
    },
    /// A flow log of a resource by traffic type and destination (`LogDestination` as written).
    FlowLog {
        resource: NodeKey,
        traffic_type: &'static str,
        destination: String,
    },
    // Issue 25.
    /// A VPC's Route 53 Profile association.
    ProfileOfVpc { vpc: NodeKey },
    /// A resource (by path, or ARN as written) held by a Route 53 Profile.
    ProfileResource { profile: NodeKey, resource: String },
}

/// What an interface endpoint reaches, for comparing endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ServiceKey {
    /// An AWS service by endpoint name, and the region it is reached in when that is not the
    /// VPC's own (`ServiceRegion`): its private DNS names are that region's.
    Aws(String, Option<String>),
    EndpointService(NodeKey),
    Name(String),
}

/// What a node's `check` sees: the model, its stack, and where to report.
pub(crate) struct Check<'a> {
    pub(crate) model: &'a Model<'a>,
    pub(crate) stack: &'a StackDef,
    /// The construct being checked.
    pub(crate) key: NodeKey,
    pub(crate) findings: &'a mut Findings,
}

impl<'a> Check<'a> {
    pub(crate) fn path(&self, id: &str) -> String {
        self.stack.path(id)
    }

    pub(crate) fn report(&mut self, error: SynthError) {
        self.findings.errors.push(error);
    }

    /// Reports `error` as one effect of `cause`: findings of one code and cause are one
    /// finding listing what they affect ([`Findings::report_cause`]).
    pub(crate) fn report_cause(&mut self, cause: String, error: SynthError) {
        self.findings.report_cause(cause, error);
    }

    pub(crate) fn warn(&mut self, warning: crate::SynthWarning) {
        self.findings.warnings.push(warning);
    }

    /// The construct of type `N` a handle names, if it resolves to one.
    pub(crate) fn get<N: Variant>(&self, handle: &Handle) -> Option<&'a N> {
        self.model.get(handle)
    }

    /// Checks that `handle` resolves in this app, to a construct of its kind, of this stack
    /// and, when `vpc` is given, of that VPC.
    pub(crate) fn handle(
        &mut self,
        construct: &str,
        property: &'static str,
        handle: &Handle,
        vpc: Option<NodeKey>,
    ) {
        let error = match self.model.resolve(handle) {
            Err(Unresolved::NotInApp) => Some(SynthError::HandleNotInApp {
                construct: self.path(construct),
                property,
                target: handle.path(),
            }),
            Err(Unresolved::WrongKind(found)) => Some(SynthError::HandleKindMismatch {
                construct: self.path(construct),
                property,
                target: handle.path(),
                expected: handle.kind.to_string(),
                found: found.map_or("nothing".to_string(), |k| format!("a {k}")),
            }),
            Ok(_) if handle.key.stack != self.stack.key => Some(SynthError::ForeignHandle {
                construct: self.path(construct),
                property,
                target: handle.path(),
                target_stack: handle.stack.to_string(),
                // What must be in the construct's own VPC cannot be imported from another
                // stack: an export carries an ID, not the construct into this VPC.
                fix: match vpc {
                    Some(vpc) => format!(
                        "give {property} a {} of {}, {}'s own VPC",
                        handle.kind,
                        self.model.path(vpc),
                        self.path(construct),
                    ),
                    None => "pass values across stacks with `export` and `import`".to_string(),
                },
            }),
            Ok(_) => match vpc {
                Some(vpc) if handle.vpc != Some(vpc) => Some(SynthError::WrongVpc {
                    construct: self.path(construct),
                    property,
                    target: handle.path(),
                    target_vpc: handle
                        .vpc
                        .map_or_else(|| "no VPC".to_string(), |v| self.model.path(v)),
                    vpc: self.model.path(vpc),
                }),
                _ => None,
            },
        };
        if let Some(error) = error {
            self.report(error);
        }
    }

    /// Checks a same-stack [`Linked`] construct like any other property's handle (an import is
    /// the app's import rules' to check).
    pub(crate) fn linked(&mut self, linked: &Linked, construct: &str, property: &'static str) {
        if let Some(source) = &linked.source
            && linked.local
        {
            self.handle(construct, property, source, None);
        }
    }

    /// [`Check::handle`] for each handle of a list property.
    pub(crate) fn handles(
        &mut self,
        construct: &str,
        property: &'static str,
        handles: &[Handle],
        vpc: Option<NodeKey>,
    ) {
        for handle in handles {
            self.handle(construct, property, handle, vpc);
        }
    }

    /// Parses a CIDR property, reporting it if it does not parse.
    pub(crate) fn cidr(
        &mut self,
        construct: &str,
        property: &'static str,
        block: &crate::CidrBlock,
    ) -> Option<crate::Ipv4Cidr> {
        match block.parsed() {
            Ok(cidr) => Some(cidr),
            Err(reason) => {
                self.report(SynthError::InvalidCidr {
                    construct: self.path(construct),
                    property,
                    value: block.text().to_string(),
                    reason,
                });
                None
            }
        }
    }

    /// Reports an empty list property.
    pub(crate) fn non_empty<T>(
        &mut self,
        construct: &str,
        property: &'static str,
        items: &[T],
        fix: &'static str,
    ) {
        if items.is_empty() {
            self.report(SynthError::Empty {
                construct: self.path(construct),
                property,
                fix,
            });
        }
    }

    /// Claims `claim` for the construct being checked and returns the construct that claimed
    /// it first, if another did: what rules about pairs ("one subnet in two route tables")
    /// use, in O(1), reporting each pair once, on the construct added later.
    pub(crate) fn claim(&mut self, claim: Claim) -> Option<String> {
        self.claimed_by(claim).map(|first| self.model.path(first))
    }

    /// As [`Check::claim`], with the key of the construct that claimed first: for rules that
    /// compare the two ("one load balancer per target group").
    pub(crate) fn claimed_by(&mut self, claim: Claim) -> Option<NodeKey> {
        match self.findings.claims.entry(claim) {
            std::collections::hash_map::Entry::Occupied(first) if *first.get() != self.key => {
                Some(*first.get())
            }
            std::collections::hash_map::Entry::Occupied(_) => None,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(self.key);
                None
            }
        }
    }
}

/// What a node's `render` sees.
pub(crate) struct Render<'a> {
    pub(crate) model: &'a Model<'a>,
    pub(crate) stack: &'a StackDef,
}

impl Render<'_> {
    /// The `Tags` of a resource of construct `id` with the construct's own tags `own`:
    /// `Name`, the stack's, the construct's (see `tags`).
    pub(crate) fn tags(&self, id: &str, own: &crate::Tags) -> vpcform_cfn::Value {
        crate::tags::render(self.stack.tag_data(), id, own)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;
    use crate::vpc::InternetGateway;

    crate::topology! { stack Network { vpc Main } }

    /// A handle altered after the fact (its kind or its ID) resolves to nothing: the guard
    /// behind `HandleKindMismatch`, which typed handles never reach from outside.
    #[test]
    fn a_handle_resolves_only_to_its_own_kind_and_id() {
        let mut stack = Stack::<Network>::new("Network");
        let vpc = stack.add(
            "Main",
            Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build(),
        );
        let stacks = [stack.def];
        let model = Model::new(&stacks);
        let handle = vpc.handle.clone();
        assert!(model.resolve(&handle).is_ok());
        let mut wrong_kind = handle.clone();
        wrong_kind.kind = Kind::Subnet;
        assert_eq!(
            model.resolve(&wrong_kind).err(),
            Some(Unresolved::WrongKind(Some(Kind::Vpc)))
        );
        let mut wrong_id = handle;
        wrong_id.id = "Other".into();
        assert_eq!(
            model.resolve(&wrong_id).err(),
            Some(Unresolved::WrongKind(Some(Kind::Vpc)))
        );
    }

    /// What a fix names for several sources: the smallest declared block covering them all
    /// (a VPC's, or a route's summary), never a `/0`; else each source's own.
    #[test]
    fn the_covering_block_is_the_smallest_declared_one() {
        let mut stack = Stack::<Network>::new("Network");
        let vpc = stack.add(
            "Main",
            Vpc::<Main>::builder().cidr(cidr!("10.1.0.0/16")).build(),
        );
        let routes = stack.add("Routes", RouteTable::builder().vpc(&vpc).build());
        let igw = stack.add("Igw", InternetGateway::builder().vpc(&vpc).build());
        for (id, destination) in [
            ("Spokes", cidr!("10.0.0.0/8")),
            ("Default", cidr!("0.0.0.0/0")),
        ] {
            stack.add(
                id,
                Route::builder()
                    .route_table(&routes)
                    .destination(destination)
                    .target(&igw)
                    .build(),
            );
        }
        let stacks = [stack.def];
        let model = Model::new(&stacks);
        let covering = |sources: &[&str]| -> Vec<String> {
            let sources: Vec<crate::Ipv4Cidr> =
                sources.iter().filter_map(|s| s.parse().ok()).collect();
            model
                .covering_blocks(&sources)
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(covering(&["10.1.1.0/24", "10.1.2.0/24"]), ["10.1.0.0/16"]);
        assert_eq!(covering(&["10.1.1.0/24", "10.2.1.0/24"]), ["10.0.0.0/8"]);
        assert_eq!(
            covering(&["10.1.1.0/24", "192.168.1.0/24"]),
            ["10.1.0.0/16", "192.168.1.0/24"]
        );
        assert_eq!(covering(&["192.168.1.0/24"]), ["192.168.1.0/24"]);
    }
}
