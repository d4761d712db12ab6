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

/// Every construct, one line each — `Variant(module::NodeType) "its name in messages"` — the
/// one list the closed set is generated from: [`Kind`] here; the model's `Node` enum and its
/// dispatch; the `constructs` module declarations. A new construct is its file, one line here,
/// and its re-export (ARCHITECTURE.md, "How to add a construct"). The node types are named as
/// tokens only: this leaf module does not import them.
macro_rules! constructs {
    ($then:ident) => {
        $then! {
            Vpc(vpc::VpcNode) "VPC",
            Subnet(subnet::SubnetNode) "subnet",
            RouteTable(route_table::RouteTableNode) "route table",
            NetworkAcl(network_acl::NetworkAclNode) "network ACL",
            Route(route::RouteNode) "route",
            SecurityGroup(security_group::SecurityGroupNode) "security group",
            GatewayEndpoint(gateway_endpoint::GatewayEndpointNode) "gateway endpoint",
            InterfaceEndpoint(interface_endpoint::InterfaceEndpointNode) "interface endpoint",
            TargetGroup(target_group::TargetGroupNode) "target group",
            NetworkLoadBalancer(network_load_balancer::NetworkLoadBalancerNode) "Network Load Balancer",
            Listener(listener::ListenerNode) "listener",
            EndpointService(endpoint_service::EndpointServiceNode) "endpoint service",
            InternetGateway(internet_gateway::InternetGatewayNode) "internet gateway",
            EgressOnlyInternetGateway(egress_only_internet_gateway::EgressOnlyInternetGatewayNode) "egress-only internet gateway",
            NatGateway(nat_gateway::NatGatewayNode) "NAT gateway",
            TransitGateway(transit_gateway::TransitGatewayNode) "transit gateway",
            TransitGatewayAttachment(transit_gateway_attachment::TransitGatewayAttachmentNode) "transit gateway attachment",
            TransitGatewayRouteTable(transit_gateway_route_table::TransitGatewayRouteTableNode) "transit gateway route table",
            TransitGatewayRoute(transit_gateway_route::TransitGatewayRouteNode) "transit gateway route",
            VpcPeering(vpc_peering::VpcPeeringNode) "VPC peering connection",
            PrivateHostedZone(hosted_zone::PrivateHostedZoneNode) "private hosted zone",
            ResourceGateway(resource_gateway::ResourceGatewayNode) "resource gateway",
            ResourceConfiguration(resource_configuration::ResourceConfigurationNode) "resource configuration",
            ResourceEndpoint(resource_endpoint::ResourceEndpointNode) "resource endpoint",
            ServiceNetwork(service_network::ServiceNetworkNode) "service network",
            ServiceNetworkResourceAssociation(service_network_association::ServiceNetworkResourceAssociationNode) "service network resource association",
            ServiceNetworkEndpoint(service_network_endpoint::ServiceNetworkEndpointNode) "service network endpoint",
            FlowLog(flow_log::FlowLogNode) "flow log",
            Workload(workload::WorkloadNode) "workload",
            Resource(resource::ResourceNode) "resource",
            ResourceShare(resource_share::ResourceShareNode) "resource share",
            TransitGatewayPeering(transit_gateway_peering::TransitGatewayPeeringNode) "transit gateway peering attachment",
            TransitGatewayRouteTableAssociation(transit_gateway_association::TransitGatewayRouteTableAssociationNode) "transit gateway route table association",
            Profile(profile::ProfileNode) "Route 53 Profile",
            ProfileResourceAssociation(profile_resource_association::ProfileResourceAssociationNode) "Route 53 Profile resource association",
            ProfileAssociation(profile_association::ProfileAssociationNode) "Route 53 Profile association",
        }
    };
}
pub(crate) use constructs;

/// Declares [`Kind`] from the list.
macro_rules! kinds {
    ($($variant:ident($module:ident :: $node:ident) $name:literal,)*) => {
        /// What kind of construct a node (or a handle) is: one variant per variant of the
        /// model's closed `Node` enum, both generated from `constructs!`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(crate) enum Kind {
            $($variant,)*
        }

        impl std::fmt::Display for Kind {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(match self {
                    $(Kind::$variant => $name,)*
                })
            }
        }
    };
}
constructs!(kinds);

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
