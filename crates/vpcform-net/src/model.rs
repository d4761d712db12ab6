//! The network model: every construct of the app as one variant of a closed set, with typed
//! relations between them, built once per synthesis. Checks, rendering, the traffic analysis,
//! the cost estimate and the diagram all read it; none looks constructs up by string.
//!
//! Adding a construct: one file under `constructs/` with its node struct, one line in
//! [`nodes!`] below; the compiler then lists every `match` that must say what the construct
//! means (its VPC, its checks, its rendering, its box in the diagram, its cost).

use std::collections::HashMap;

use vpcform_cfn::{Template, TemplateError};

use crate::SynthError;
use crate::constructs::egress_only_internet_gateway::EgressOnlyInternetGatewayNode;
use crate::constructs::endpoint_service::EndpointServiceNode;
use crate::constructs::flow_log::FlowLogNode;
use crate::constructs::gateway_endpoint::GatewayEndpointNode;
use crate::constructs::hosted_zone::PrivateHostedZoneNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::internet_gateway::InternetGatewayNode;
use crate::constructs::listener::ListenerNode;
use crate::constructs::nat_gateway::NatGatewayNode;
use crate::constructs::network_load_balancer::NetworkLoadBalancerNode;
use crate::constructs::resource::ResourceNode;
use crate::constructs::resource_configuration::ResourceConfigurationNode;
use crate::constructs::resource_endpoint::ResourceEndpointNode;
use crate::constructs::resource_gateway::ResourceGatewayNode;
use crate::constructs::route::RouteNode;
use crate::constructs::route_table::RouteTableNode;
use crate::constructs::security_group::SecurityGroupNode;
use crate::constructs::service_network::ServiceNetworkNode;
use crate::constructs::service_network_association::ServiceNetworkResourceAssociationNode;
use crate::constructs::service_network_endpoint::ServiceNetworkEndpointNode;
use crate::constructs::subnet::SubnetNode;
use crate::constructs::target_group::TargetGroupNode;
use crate::constructs::transit_gateway::TransitGatewayNode;
use crate::constructs::transit_gateway_attachment::TransitGatewayAttachmentNode;
use crate::constructs::transit_gateway_route::TransitGatewayRouteNode;
use crate::constructs::transit_gateway_route_table::TransitGatewayRouteTableNode;
use crate::constructs::vpc::VpcNode;
use crate::constructs::vpc_peering::VpcPeeringNode;
use crate::constructs::workload::WorkloadNode;
use crate::handle::{Handle, Linked};
use crate::identity::{Kind, NodeKey, StackKey};
use crate::stack::{Findings, StackDef};

/// Declares the closed set of constructs: the [`Node`] enum, the [`Kind`] of each (`Kind`
/// lives in `identity`, below the handles; a variant missing from either does not compile), and
/// typed access to each variant ([`Variant`]).
macro_rules! nodes {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        /// A construct recorded in a stack.
        pub(crate) enum Node {
            $($variant($ty),)*
        }

        impl Node {
            pub(crate) fn kind(&self) -> Kind {
                match self {
                    $(Node::$variant(_) => Kind::$variant,)*
                }
            }

            /// The construct's ID: its main resource's logical ID.
            pub(crate) fn id(&self) -> &str {
                match self {
                    $(Node::$variant(node) => &node.id,)*
                }
            }

            /// The construct's own tags, when it renders a taggable resource.
            pub(crate) fn tags(&self) -> Option<&crate::Tags> {
                match self {
                    $(Node::$variant(node) => Tagged::tags(node),)*
                }
            }

            /// The resource type among the construct's whose tags allow the fewest
            /// characters, if any (see `tags::check_characters`).
            pub(crate) fn restricted_tags(&self) -> Option<&'static str> {
                match self {
                    $(Node::$variant(node) => Tagged::restricted(node),)*
                }
            }
        }

        $(
            impl Variant for $ty {
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

nodes! {
    Vpc(VpcNode),
    Subnet(SubnetNode),
    RouteTable(RouteTableNode),
    Route(RouteNode),
    SecurityGroup(SecurityGroupNode),
    GatewayEndpoint(GatewayEndpointNode),
    InterfaceEndpoint(InterfaceEndpointNode),
    TargetGroup(TargetGroupNode),
    NetworkLoadBalancer(NetworkLoadBalancerNode),
    Listener(ListenerNode),
    EndpointService(EndpointServiceNode),
    InternetGateway(InternetGatewayNode),
    EgressOnlyInternetGateway(EgressOnlyInternetGatewayNode),
    NatGateway(NatGatewayNode),
    TransitGateway(TransitGatewayNode),
    TransitGatewayAttachment(TransitGatewayAttachmentNode),
    TransitGatewayRouteTable(TransitGatewayRouteTableNode),
    TransitGatewayRoute(TransitGatewayRouteNode),
    VpcPeering(VpcPeeringNode),
    PrivateHostedZone(PrivateHostedZoneNode),
    ResourceGateway(ResourceGatewayNode),
    ResourceConfiguration(ResourceConfigurationNode),
    ResourceEndpoint(ResourceEndpointNode),
    ServiceNetwork(ServiceNetworkNode),
    ServiceNetworkResourceAssociation(ServiceNetworkResourceAssociationNode),
    ServiceNetworkEndpoint(ServiceNetworkEndpointNode),
    FlowLog(FlowLogNode),
    Workload(WorkloadNode),
    Resource(ResourceNode),
}

/// Whether a construct's resources take tags (their CloudFormation schema is taggable), and
/// the tags the program gave it. Every node type answers, so a new construct cannot forget.
pub(crate) trait Tagged {
    fn tags(&self) -> Option<&crate::Tags>;

    /// The resource type whose tags allow fewer characters than EC2's, when the construct
    /// renders one (ELBv2 and IAM: `tags::check_characters`).
    fn restricted(&self) -> Option<&'static str>;
}

/// `Tagged` for nodes with a `tags` field (ELBv2's restricted), and for nodes rendering
/// nothing taggable. A flow log answers itself (its role exists only with CloudWatch Logs).
macro_rules! tagged {
    (tags: $($ty:ty),* ; elb: $($elb:ty),* ; none: $($none:ty),* $(,)?) => {
        $(impl Tagged for $ty {
            fn tags(&self) -> Option<&crate::Tags> {
                Some(&self.tags)
            }
            fn restricted(&self) -> Option<&'static str> {
                None
            }
        })*
        $(impl Tagged for $elb {
            fn tags(&self) -> Option<&crate::Tags> {
                Some(&self.tags)
            }
            fn restricted(&self) -> Option<&'static str> {
                Some("ELBv2 (AWS::ElasticLoadBalancingV2)")
            }
        })*
        $(impl Tagged for $none {
            fn tags(&self) -> Option<&crate::Tags> {
                None
            }
            fn restricted(&self) -> Option<&'static str> {
                None
            }
        })*
    };
}

tagged! {
    tags: VpcNode, SubnetNode, RouteTableNode, SecurityGroupNode, GatewayEndpointNode,
        InterfaceEndpointNode, EndpointServiceNode,
        InternetGatewayNode, EgressOnlyInternetGatewayNode, NatGatewayNode, TransitGatewayNode, TransitGatewayAttachmentNode,
        TransitGatewayRouteTableNode, VpcPeeringNode, PrivateHostedZoneNode, ResourceGatewayNode,
        ResourceConfigurationNode, ResourceEndpointNode, ServiceNetworkNode,
        ServiceNetworkResourceAssociationNode, ServiceNetworkEndpointNode;
    elb: TargetGroupNode, NetworkLoadBalancerNode;
    // AWS::EC2::Route, AWS::ElasticLoadBalancingV2::Listener and
    // AWS::EC2::TransitGatewayRoute are not taggable (their schemas: taggable false,
    // docs/research/tags-logs-checkov.md §1.1); a workload renders nothing; a raw resource's
    // properties are the program's.
    none: RouteNode, ListenerNode, TransitGatewayRouteNode, WorkloadNode, ResourceNode,
}

/// One variant's node type, reached from a [`Node`] by a `match`, never a downcast.
pub(crate) trait Variant: Sized + 'static {
    fn of(node: &Node) -> Option<&Self>;
}

impl Node {
    /// The VPC the construct lives in, when it has one.
    pub(crate) fn vpc(&self, own: NodeKey) -> Option<NodeKey> {
        match self {
            Node::Vpc(_) => Some(own),
            Node::Subnet(n) => n.vpc.vpc,
            Node::RouteTable(n) => n.vpc.vpc,
            Node::Route(n) => n.route_table.vpc,
            Node::SecurityGroup(n) => n.vpc.vpc,
            Node::GatewayEndpoint(n) => n.vpc.vpc,
            Node::InterfaceEndpoint(n) => n.vpc.vpc,
            Node::TargetGroup(n) => n.vpc.vpc,
            Node::NetworkLoadBalancer(n) => n.vpc(),
            Node::Listener(n) => n.load_balancer.vpc,
            Node::EndpointService(n) => n.vpc(),
            Node::InternetGateway(n) => n.vpc.vpc,
            Node::EgressOnlyInternetGateway(n) => n.vpc.vpc,
            Node::NatGateway(n) => n.subnet.vpc,
            // Regional, in no VPC: it connects VPCs through their attachments.
            Node::TransitGateway(_) => None,
            Node::TransitGatewayAttachment(n) => n.vpc.vpc,
            // Regional, like their transit gateway.
            Node::TransitGatewayRouteTable(_) | Node::TransitGatewayRoute(_) => None,
            // The requester's: the stack that creates it.
            Node::VpcPeering(n) => n.vpc.vpc,
            // Its endpoint's (the hub's); the VPCs it serves are its associations.
            Node::PrivateHostedZone(n) => n.endpoint.vpc,
            Node::ResourceGateway(n) => n.vpc.vpc,
            // Its gateway's: the resource it offers is in that VPC.
            Node::ResourceConfiguration(n) => n.gateway.vpc,
            Node::ResourceEndpoint(n) => n.vpc.vpc,
            // Regional, in no VPC: consumer VPCs reach it through their endpoints.
            Node::ServiceNetwork(_) => None,
            // Its configuration's: the resource it adds to the network is there.
            Node::ServiceNetworkResourceAssociation(n) => n.resource.vpc,
            Node::ServiceNetworkEndpoint(n) => n.vpc.vpc,
            // The VPC it records, or its subnet's.
            Node::FlowLog(n) => n.resource.vpc,
            Node::Workload(n) => n.vpc(),
            Node::Resource(_) => None,
        }
    }

    /// Reports every problem with the construct's properties.
    pub(crate) fn check(&self, check: &mut Check<'_>) {
        match self {
            Node::Vpc(n) => n.check(check),
            Node::Subnet(n) => n.check(check),
            Node::RouteTable(n) => n.check(check),
            Node::Route(n) => n.check(check),
            Node::SecurityGroup(n) => n.check(check),
            Node::GatewayEndpoint(n) => n.check(check),
            Node::InterfaceEndpoint(n) => n.check(check),
            Node::TargetGroup(n) => n.check(check),
            Node::NetworkLoadBalancer(n) => n.check(check),
            Node::Listener(n) => n.check(check),
            Node::EndpointService(n) => n.check(check),
            Node::InternetGateway(n) => n.check(check),
            Node::NatGateway(n) => n.check(check),
            Node::TransitGateway(n) => n.check(check),
            Node::TransitGatewayAttachment(n) => n.check(check),
            Node::TransitGatewayRouteTable(n) => n.check(check),
            Node::TransitGatewayRoute(n) => n.check(check),
            Node::VpcPeering(n) => n.check(check),
            Node::PrivateHostedZone(n) => n.check(check),
            Node::ResourceGateway(n) => n.check(check),
            Node::ResourceConfiguration(n) => n.check(check),
            Node::ResourceEndpoint(n) => n.check(check),
            Node::ServiceNetwork(n) => n.check(check),
            Node::ServiceNetworkResourceAssociation(n) => n.check(check),
            Node::ServiceNetworkEndpoint(n) => n.check(check),
            Node::FlowLog(n) => n.check(check),
            Node::EgressOnlyInternetGateway(n) => n.check(check),
            Node::Workload(n) => n.check(check),
            Node::Resource(n) => n.check(check),
        }
    }

    /// Adds the construct's resources to the template.
    pub(crate) fn render(
        &self,
        ctx: &Render<'_>,
        template: &mut Template,
    ) -> Result<(), TemplateError> {
        match self {
            Node::Vpc(n) => n.render(ctx, template),
            Node::Subnet(n) => n.render(ctx, template),
            Node::RouteTable(n) => n.render(ctx, template),
            Node::Route(n) => n.render(ctx, template),
            Node::SecurityGroup(n) => n.render(ctx, template),
            Node::GatewayEndpoint(n) => n.render(ctx, template),
            Node::InterfaceEndpoint(n) => n.render(ctx, template),
            Node::TargetGroup(n) => n.render(ctx, template),
            Node::NetworkLoadBalancer(n) => n.render(ctx, template),
            Node::Listener(n) => n.render(ctx, template),
            Node::EndpointService(n) => n.render(ctx, template),
            Node::InternetGateway(n) => n.render(ctx, template),
            Node::NatGateway(n) => n.render(ctx, template),
            Node::TransitGateway(n) => n.render(ctx, template),
            Node::TransitGatewayAttachment(n) => n.render(ctx, template),
            Node::TransitGatewayRouteTable(n) => n.render(ctx, template),
            Node::TransitGatewayRoute(n) => n.render(ctx, template),
            Node::VpcPeering(n) => n.render(ctx, template),
            Node::PrivateHostedZone(n) => n.render(ctx, template),
            Node::ResourceGateway(n) => n.render(ctx, template),
            Node::ResourceConfiguration(n) => n.render(ctx, template),
            Node::ResourceEndpoint(n) => n.render(ctx, template),
            Node::ServiceNetwork(n) => n.render(ctx, template),
            Node::ServiceNetworkResourceAssociation(n) => n.render(ctx, template),
            Node::ServiceNetworkEndpoint(n) => n.render(ctx, template),
            Node::FlowLog(n) => n.render(ctx, template),
            Node::EgressOnlyInternetGateway(n) => n.render(ctx, template),
            // Not an AWS resource: a workload only feeds the traffic analysis.
            Node::Workload(_) => Ok(()),
            Node::Resource(n) => n.render(ctx, template),
        }
    }
}

/// Where a transit gateway route table sends traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TgwHop {
    /// To this attachment's VPC.
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
    /// Subnet → the route table it is associated with (the first to claim it).
    route_table_of: HashMap<NodeKey, NodeKey>,
    /// Route table → its routes, in the order added.
    routes_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// VPC → every construct in it, in the order added.
    in_vpc: HashMap<NodeKey, Vec<NodeKey>>,
    /// Load balancer → its listeners.
    listeners_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// Interface endpoint → the endpoint service of the app it connects to.
    service_of: HashMap<NodeKey, NodeKey>,
    /// Transit gateway → its attachments (of any stack), in the order added.
    attachments_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// VPC → the private hosted zones (of any stack) associated with it.
    zones_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// (transit gateway, VPC) → the VPC's (first) attachment to it.
    attachment_of: HashMap<(NodeKey, NodeKey), NodeKey>,
    /// Transit gateway route table → its static routes.
    tgw_routes_of: HashMap<NodeKey, Vec<NodeKey>>,
    /// Transit gateway route table → the attachments propagating into it.
    propagating_into: HashMap<NodeKey, Vec<NodeKey>>,
    /// Transit gateway → the attached VPCs' blocks, sorted by first address.
    attached_blocks: HashMap<NodeKey, Vec<(crate::Ipv4Cidr, NodeKey)>>,
    /// VPC Lattice service network → its resource associations.
    associations_of: HashMap<NodeKey, Vec<NodeKey>>,
}

impl<'a> Model<'a> {
    /// Builds the relations in one pass over every construct.
    pub(crate) fn new(stacks: &'a [StackDef]) -> Model<'a> {
        let mut model = Model {
            stacks,
            positions: HashMap::with_capacity(stacks.len()),
            route_table_of: HashMap::new(),
            routes_of: HashMap::new(),
            in_vpc: HashMap::new(),
            listeners_of: HashMap::new(),
            service_of: HashMap::new(),
            attachments_of: HashMap::new(),
            zones_of: HashMap::new(),
            attachment_of: HashMap::new(),
            tgw_routes_of: HashMap::new(),
            propagating_into: HashMap::new(),
            attached_blocks: HashMap::new(),
            associations_of: HashMap::new(),
        };
        for (position, stack) in stacks.iter().enumerate() {
            model.positions.entry(stack.key).or_insert(position);
        }
        for stack in stacks {
            for (key, node) in stack.keyed_nodes() {
                if let Some(vpc) = node.vpc(key) {
                    model.in_vpc.entry(vpc).or_default().push(key);
                }
                match node {
                    Node::RouteTable(table) => {
                        for subnet in &table.subnets {
                            model.route_table_of.entry(subnet.key).or_insert(key);
                        }
                    }
                    Node::Route(route) => {
                        model
                            .routes_of
                            .entry(route.route_table.key)
                            .or_default()
                            .push(key);
                    }
                    Node::Listener(listener) => {
                        model
                            .listeners_of
                            .entry(listener.load_balancer.key)
                            .or_default()
                            .push(key);
                    }
                    Node::InterfaceEndpoint(endpoint) => {
                        if let Some(service) = &endpoint.target.endpoint_service {
                            model.service_of.insert(key, service.key);
                        }
                    }
                    Node::TransitGatewayAttachment(attachment) => {
                        if let Some(tgw) = attachment.transit_gateway_key() {
                            model.attachments_of.entry(tgw).or_default().push(key);
                            if let Some(vpc) = attachment.vpc.vpc {
                                model.attachment_of.entry((tgw, vpc)).or_insert(key);
                            }
                        }
                        for table in attachment
                            .propagations
                            .iter()
                            .filter_map(|t| t.source.as_ref())
                        {
                            model
                                .propagating_into
                                .entry(table.key)
                                .or_default()
                                .push(key);
                        }
                    }
                    Node::TransitGatewayRoute(route) => {
                        if let Some(table) = &route.route_table.source {
                            model.tgw_routes_of.entry(table.key).or_default().push(key);
                        }
                    }
                    Node::PrivateHostedZone(zone) => {
                        for vpc in zone.vpc_keys() {
                            model.zones_of.entry(vpc).or_default().push(key);
                        }
                    }
                    Node::ServiceNetworkResourceAssociation(association) => {
                        if let Some(network) = association.service_network.key() {
                            model.associations_of.entry(network).or_default().push(key);
                        }
                    }
                    Node::Vpc(_)
                    | Node::Subnet(_)
                    | Node::SecurityGroup(_)
                    | Node::GatewayEndpoint(_)
                    | Node::TargetGroup(_)
                    | Node::NetworkLoadBalancer(_)
                    | Node::EndpointService(_)
                    | Node::InternetGateway(_)
                    | Node::NatGateway(_)
                    | Node::TransitGateway(_)
                    | Node::TransitGatewayRouteTable(_)
                    | Node::ResourceGateway(_)
                    | Node::ResourceConfiguration(_)
                    | Node::ResourceEndpoint(_)
                    | Node::ServiceNetwork(_)
                    | Node::ServiceNetworkEndpoint(_)
                    | Node::VpcPeering(_)
                    | Node::FlowLog(_)
                    | Node::EgressOnlyInternetGateway(_)
                    | Node::Workload(_)
                    | Node::Resource(_) => {}
                }
            }
        }
        // Each transit gateway's VPC blocks, sorted once for the overlap check and the routes.
        let mut attached_blocks = HashMap::with_capacity(model.attachments_of.len());
        for (&tgw, attachments) in &model.attachments_of {
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
        model
    }

    /// The stack a key belongs to, if it is one of the app's.
    pub(crate) fn stack(&self, key: StackKey) -> Option<&'a StackDef> {
        self.positions.get(&key).map(|&p| &self.stacks[p])
    }

    /// The construct a key names, if it is one of the app's.
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
        self.attachment_of.get(&(transit_gateway, vpc)).copied()
    }

    /// Where a transit gateway route table sends `block`: the most specific of its static
    /// routes and the blocks propagated into it (a static route wins a tie: Transit Gateway
    /// guide, "Route evaluation order"); `None` when nothing matches.
    pub(crate) fn tgw_route(&self, table: NodeKey, block: crate::Ipv4Cidr) -> Option<TgwHop> {
        use crate::constructs::transit_gateway_route::TgwTarget;
        let statics = self
            .keys::<TransitGatewayRouteNode>(self.tgw_routes_of.get(&table))
            .filter_map(|r| {
                let destination = r.destination.parsed().ok()?;
                let hop = match &r.target {
                    TgwTarget::Attachment(a) => TgwHop::Attachment(a.key),
                    TgwTarget::Blackhole => TgwHop::Blackhole,
                };
                Some((destination, 1u8, hop))
            });
        let propagated = self
            .propagating_into
            .get(&table)
            .into_iter()
            .flatten()
            .filter_map(|&a| {
                let vpc = self.get_key::<TransitGatewayAttachmentNode>(a)?.vpc.vpc?;
                Some((
                    self.get_key::<VpcNode>(vpc)?.parsed?,
                    0u8,
                    TgwHop::Attachment(a),
                ))
            });
        statics
            .chain(propagated)
            .filter(|(destination, _, _)| destination.contains(&block))
            .max_by_key(|(destination, rank, _)| (destination.prefix_len(), *rank))
            .map(|(_, _, hop)| hop)
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

    /// The private hosted zones associated with a VPC, of every stack.
    pub(crate) fn zones_of(
        &self,
        vpc: NodeKey,
    ) -> impl Iterator<Item = (NodeKey, &'a PrivateHostedZoneNode)> + '_ {
        self.zones_of
            .get(&vpc)
            .into_iter()
            .flatten()
            .filter_map(|&key| self.get_key(key).map(|n| (key, n)))
    }

    /// The route table a subnet is associated with.
    pub(crate) fn route_table_of(&self, subnet: NodeKey) -> Option<(NodeKey, &'a RouteTableNode)> {
        let key = *self.route_table_of.get(&subnet)?;
        self.get_key(key).map(|t| (key, t))
    }

    /// A route table's routes.
    pub(crate) fn routes_of(&self, table: NodeKey) -> impl Iterator<Item = &'a RouteNode> + '_ {
        self.keys(self.routes_of.get(&table))
    }

    /// The constructs of type `N` in a VPC, in the order added.
    pub(crate) fn in_vpc<N: Variant>(
        &self,
        vpc: NodeKey,
    ) -> impl Iterator<Item = (NodeKey, &'a N)> + '_ {
        self.in_vpc
            .get(&vpc)
            .into_iter()
            .flatten()
            .filter_map(move |&key| self.get_key::<N>(key).map(|n| (key, n)))
    }

    /// A load balancer's listeners.
    pub(crate) fn listeners_of(&self, nlb: NodeKey) -> impl Iterator<Item = &'a ListenerNode> + '_ {
        self.keys(self.listeners_of.get(&nlb))
    }

    /// The endpoint service of the app an interface endpoint connects to.
    pub(crate) fn service_of(
        &self,
        endpoint: NodeKey,
    ) -> Option<(NodeKey, &'a EndpointServiceNode)> {
        let key = *self.service_of.get(&endpoint)?;
        self.get_key(key).map(|s| (key, s))
    }

    /// The resource configurations associated with a VPC Lattice service network.
    pub(crate) fn configurations_in(
        &self,
        network: NodeKey,
    ) -> impl Iterator<Item = &'a Handle> + '_ {
        self.keys::<ServiceNetworkResourceAssociationNode>(self.associations_of.get(&network))
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
        match self.findings.claims.entry(claim) {
            std::collections::hash_map::Entry::Occupied(first) if *first.get() != self.key => {
                Some(self.model.path(*first.get()))
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
}
