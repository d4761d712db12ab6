//! Typed AWS network builders that synthesize CloudFormation.
//!
//! A program declares its stacks and VPCs as marker types with [`topology!`], adds constructs
//! to [`Stack`]s through typed builders, and synthesizes the [`App`] into one CloudFormation
//! template per stack. Every handle is typed by its VPC, so wiring VPC B's subnet into VPC A's
//! endpoint does not compile; what types cannot express is checked at [`App::synth`].
//!
//! ```
//! use vpcform_net::prelude::*;
//!
//! vpcform_net::topology! { stack Consumer { vpc VpcA } }
//!
//! let mut consumer = Stack::<Consumer>::new("Consumer");
//! let vpc = consumer.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
//! let subnet = consumer.add(
//!     "PrivateA",
//!     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.1.0/24")).availability_zone(Az::index(0)).build(),
//! );
//! let routes = consumer.add("RoutesA", RouteTable::builder().vpc(&vpc).subnets([&subnet]).build());
//! consumer.add(
//!     "S3",
//!     GatewayEndpoint::builder().vpc(&vpc).service(services::S3).route_tables([&routes]).build(),
//! );
//!
//! let mut app = App::new("demo");
//! app.add_stack(consumer);
//! let assembly = app.synth()?;
//! assert_eq!(assembly.stacks()[0].template().resources().len(), 5);
//! # Ok::<(), SynthErrors>(())
//! ```
//!
//! Invariant: [`App::synth`] returns templates only when every check passed; the same program
//! gives byte-identical templates, with logical IDs taken from the IDs the program gives.

mod app;
mod cidr;
mod constructs;
mod cost;
mod diagram;
mod environment;
mod error;
pub mod export;
mod finding;
mod handle;
mod identity;
mod markers;
mod model;
pub mod policy;
mod privatelink;
mod regions;
pub mod services;
mod stack;
mod stack_set;
mod synth;
mod tags;
mod traffic;

pub use app::{App, Assembly, Manifest, ManifestStack, SynthesizedStack};
pub use cidr::{CidrBlock, CidrError, Ipv4Cidr};
pub use constructs::egress_only_internet_gateway::{
    EgressOnlyInternetGateway, EgressOnlyInternetGatewayRef,
};
pub use constructs::endpoint_service::{EndpointService, EndpointServiceRef, ServiceLoadBalancer};
pub use constructs::existing::{
    ExistingId, ExistingRouteTable, ExistingSecurityGroup, ExistingSubnet, ExistingVpc,
};
pub use constructs::flow_log::{
    AggregationInterval, FlowLog, FlowLogDestination, FlowLogResource, TrafficType,
};
pub use constructs::gateway_endpoint::{GatewayEndpoint, GatewayEndpointRef};
pub use constructs::hosted_zone::{IntoZoneVpc, PrivateHostedZone, PrivateHostedZoneRef, ZoneVpc};
pub use constructs::interface_endpoint::{
    DnsOptions, DnsRecordIpType, InterfaceEndpoint, InterfaceEndpointRef, InterfaceTarget,
    IpAddressType, PrivateDnsServiceName, ServiceName,
};
pub use constructs::internet_gateway::{InternetGateway, InternetGatewayRef};
pub use constructs::listener::{Listener, ListenerRef};
pub use constructs::nat_gateway::{NatGateway, NatGatewayRef};
pub use constructs::network_load_balancer::AccessLogs;
pub use constructs::network_load_balancer::{NetworkLoadBalancer, NetworkLoadBalancerRef, Scheme};
pub use constructs::resource_configuration::{
    LatticeResource, ResourceConfiguration, ResourceConfigurationRef,
};
pub use constructs::resource_endpoint::{
    IntoResourceConfiguration, ResourceEndpoint, ResourceEndpointRef,
};
pub use constructs::resource_gateway::{ResourceGateway, ResourceGatewayRef};
pub use constructs::resource_share::{ResourceShare, ResourceShareRef, SharedResource};
pub use constructs::route::{IntoRouteTarget, Route, RouteDestination, RouteTarget};
pub use constructs::route_table::{RouteTable, RouteTableRef};
pub use constructs::security_group::{Peer, Port, Rule, SecurityGroup, SecurityGroupRef};
pub use constructs::service_network::{
    IntoServiceNetwork, ServiceNetwork, ServiceNetworkRef, ServiceNetworkStack,
};
pub use constructs::service_network_association::{
    ServiceNetworkResourceAssociation, ServiceNetworkResourceAssociationRef,
};
pub use constructs::service_network_endpoint::{ServiceNetworkEndpoint, ServiceNetworkEndpointRef};
pub use constructs::subnet::{Az, Subnet, SubnetRef};
pub use constructs::target_group::{
    HealthCheck, TargetDescription, TargetGroup, TargetGroupRef, TargetType,
};
pub use constructs::transit_gateway::{
    IntoTransitGateway, SameStack, TransitGateway, TransitGatewayRef,
};
pub use constructs::transit_gateway_attachment::{
    TransitGatewayAttachment, TransitGatewayAttachmentRef,
};
pub use constructs::transit_gateway_route::{
    Blackhole, IntoTransitGatewayRouteTarget, TransitGatewayRoute,
};
pub use constructs::transit_gateway_route_table::{
    IntoTransitGatewayRouteTable, PropagationRouteTable, TransitGatewayRouteTable,
    TransitGatewayRouteTableRef,
};
pub use constructs::vpc::{Ipv6Block, Vpc, VpcRef};
pub use constructs::vpc_peering::{
    ExternalVpc, IntoPeerVpc, PeerVpcIn, PeeringAccepter, VpcPeering, VpcPeeringRef,
};
pub use constructs::workload::{Workload, WorkloadRef};
pub use cost::{CentralizedEndpoint, CostItem, CostReport, Prices, StackCost};
pub use environment::{Environment, ParameterImport};
pub use error::{PricesError, SynthError, SynthErrors, SynthWarning};
pub use export::{Export, Exportable, Imported};
pub use finding::{CODES, Code, CodeInfo, Finding, RuleSource, Severity, SourceLocation};
pub use handle::{AnyHandle, AsHandle};
pub use markers::{DynamicStack, DynamicVpc, InStack, StackMarker, VpcMarker};
pub use policy::EndpointPolicy;
pub use services::{AwsService, GatewayService, InterfaceService, PrivateDnsCapable};
pub use stack::{Construct, RawResourceRef, Stack};
pub use stack_set::{
    Amount, OperationPreferences, PermissionModel, StackSet, StackSetOverride, StackSetSpec,
    StackSetTargets,
};
pub use tags::Tags;
pub use traffic::{
    Destination, Flow, FlowDestination, FlowReport, PathKind, SubnetPath, TrafficReport,
};
pub use vpcform_cfn as cfn;
pub use vpcform_cfn::{Pseudo, Value};

/// Everything a program usually needs: `use vpcform_net::prelude::*;`.
pub mod prelude {
    pub use crate::services;
    pub use crate::{
        AccessLogs, App, Az, DnsOptions, DnsRecordIpType, EgressOnlyInternetGateway,
        EndpointPolicy, EndpointService, Flow, FlowLog, FlowLogDestination, GatewayEndpoint,
        HealthCheck, InterfaceEndpoint, InternetGateway, IpAddressType, Ipv4Cidr, Ipv6Block,
        Listener, NatGateway, NetworkLoadBalancer, Peer, Port, PrivateHostedZone, Route,
        RouteDestination, RouteTable, Rule, SecurityGroup, SecurityGroupRef, ServiceName, Stack,
        Subnet, SynthError, SynthErrors, Tags, TargetDescription, TargetGroup, TransitGateway,
        TransitGatewayAttachment, TransitGatewayRoute, TransitGatewayRouteTable, Value, Vpc,
        VpcMarker, VpcPeering, VpcRef, Workload, ZoneVpc, cidr,
    };
}
