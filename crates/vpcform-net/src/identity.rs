//! Identities and kinds: what names a stack and a construct, whatever layer looks at them.
//!
//! The leaf of the crate's layers (`crates/vpcform-net/LAYERS`): it imports nothing of the
//! crate, so that handles, the model and every analysis can name constructs.

use std::sync::atomic::{AtomicU64, Ordering};

/// A stack's identity: unique in the process, so that handles of two apps, or of two stacks
/// with the same name, never resolve to each other's constructs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct StackKey(u64);

impl StackKey {
    /// The scope of the stack's template: what marks the values its handles give out.
    pub(crate) fn scope(self) -> vpcform_cfn::Scope {
        vpcform_cfn::Scope::new(self.0)
    }

    pub(crate) fn fresh() -> StackKey {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        StackKey(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// A construct's identity: its stack's key and its position in that stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct NodeKey {
    pub(crate) stack: StackKey,
    pub(crate) index: u32,
}

/// What kind of construct a node (or a handle) is: one variant per variant of the model's
/// closed `Node` enum, which maps each node to its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Vpc,
    Subnet,
    RouteTable,
    Route,
    SecurityGroup,
    GatewayEndpoint,
    InterfaceEndpoint,
    TargetGroup,
    NetworkLoadBalancer,
    Listener,
    EndpointService,
    InternetGateway,
    EgressOnlyInternetGateway,
    NatGateway,
    TransitGateway,
    TransitGatewayAttachment,
    TransitGatewayRouteTable,
    TransitGatewayRoute,
    VpcPeering,
    PrivateHostedZone,
    ResourceGateway,
    ResourceConfiguration,
    ResourceEndpoint,
    ServiceNetwork,
    ServiceNetworkResourceAssociation,
    ServiceNetworkEndpoint,
    FlowLog,
    Workload,
    Resource,
}

impl Kind {
    /// Its name in messages with `a` or `an`: `an interface endpoint`.
    pub(crate) fn with_article(self) -> String {
        let name = self.to_string();
        let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {name}")
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Vpc => "VPC",
            Kind::Subnet => "subnet",
            Kind::RouteTable => "route table",
            Kind::Route => "route",
            Kind::SecurityGroup => "security group",
            Kind::GatewayEndpoint => "gateway endpoint",
            Kind::InterfaceEndpoint => "interface endpoint",
            Kind::TargetGroup => "target group",
            Kind::NetworkLoadBalancer => "Network Load Balancer",
            Kind::Listener => "listener",
            Kind::EndpointService => "endpoint service",
            Kind::InternetGateway => "internet gateway",
            Kind::EgressOnlyInternetGateway => "egress-only internet gateway",
            Kind::NatGateway => "NAT gateway",
            Kind::TransitGateway => "transit gateway",
            Kind::TransitGatewayAttachment => "transit gateway attachment",
            Kind::TransitGatewayRouteTable => "transit gateway route table",
            Kind::TransitGatewayRoute => "transit gateway route",
            Kind::VpcPeering => "VPC peering connection",
            Kind::PrivateHostedZone => "private hosted zone",
            Kind::ResourceGateway => "resource gateway",
            Kind::ResourceConfiguration => "resource configuration",
            Kind::ResourceEndpoint => "resource endpoint",
            Kind::ServiceNetwork => "service network",
            Kind::ServiceNetworkResourceAssociation => "service network resource association",
            Kind::ServiceNetworkEndpoint => "service network endpoint",
            Kind::FlowLog => "flow log",
            Kind::Workload => "workload",
            Kind::Resource => "resource",
        })
    }
}
