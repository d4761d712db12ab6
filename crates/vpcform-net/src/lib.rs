//! Typed AWS network builders that synthesize CloudFormation.
//!
//! A program declares its stacks and VPCs as marker types with [`topology!`], adds constructs
//! to [`Stack`]s through typed builders, and synthesizes the [`App`] into one CloudFormation
//! template per stack. Every handle is typed by its VPC, so wiring VPC B's subnet into VPC A's
//! endpoint does not compile; what types cannot express is checked at [`App::synth`].
//!
//! ```
//! use vpcform_net::findings::SynthErrors;
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
//! The API is grouped by what a program does: the root holds the app, its stacks and what every
//! construct shares ([`App`], [`Stack`], [`Tags`], [`Value`], [`topology!`], [`cidr!`]); the
//! builders live in [`vpc`], [`security`], [`endpoints`] (with [`services`] and [`policy`]),
//! [`privatelink`], [`transit`], [`zones`], [`lattice`], [`sharing`] and [`existing`] (with [`lookups`]); values
//! that cross stacks in [`export`]; what synthesis reports in [`findings`], [`traffic`] and
//! [`cost`]; where stacks go in [`deployment`]; and the marker traits that type handles in
//! [`handles`]. [`prelude`] holds what most programs use.
//!
//! Invariant: [`App::synth`] returns templates only when every check passed; the same program
//! gives byte-identical templates, with logical IDs taken from the IDs the program gives.

mod app;
mod arn;
mod assembly;
mod cidr;
mod constructs;
pub mod cost;
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
pub mod privatelink;
mod quota_check;
pub mod quotas;
mod regions;
pub mod services;
mod stack;
mod stack_set;
mod steps;
mod synth;
mod tags;
pub mod traffic;

pub use app::App;
pub use assembly::{Assembly, SynthesizedStack};
pub use stack::{Construct, ImportId, RawResourceRef, Stack};
pub use tags::Tags;
pub use vpcform_assembly::{Manifest, ManifestStack, ManifestStep, OutputRef, StepAction};
pub use vpcform_cfn as cfn;
pub use vpcform_cfn::{Pseudo, Value};

// Crate-internal shorthands (`crate::SynthError`, …): the implementation keeps short paths; users
// name these through the public modules below.
pub(crate) use cidr::{CidrBlock, CidrError, Ipv4Cidr};
pub(crate) use constructs::interface_endpoint::ServiceName;
pub(crate) use constructs::resource_configuration::ResourceConfigurationRef;
pub(crate) use constructs::security_group::Port;
pub(crate) use constructs::subnet::Az;
pub(crate) use error::{SynthError, SynthErrors, SynthWarning};
pub(crate) use finding::{Code, Finding};
pub(crate) use markers::{InStack, StackMarker, VpcMarker};
pub(crate) use stack_set::StackSet;
pub(crate) use vpcform_assembly::StackSetSpec;

/// The VPC and what lives in it: subnets and availability zones, route tables and routes,
/// internet, NAT and egress-only gateways, flow logs, workloads, and CIDR blocks.
///
/// ```
/// use vpcform_net::vpc::{SubnetRef, VpcRef};
/// // Handles are typed by their VPC: a subnet of another VPC does not fit here.
/// fn private_subnets<V>(_vpc: &VpcRef<V>, subnets: Vec<SubnetRef<V>>) -> Vec<SubnetRef<V>> {
///     subnets
/// }
/// ```
pub mod vpc {
    pub use crate::cidr::{CidrBlock, CidrError, Ipv4Cidr, Subnets, SubnetsError};
    pub use crate::constructs::egress_only_internet_gateway::{
        EgressOnlyInternetGateway, EgressOnlyInternetGatewayRef,
    };
    pub use crate::constructs::flow_log::{
        AggregationInterval, FlowLog, FlowLogDestination, FlowLogResource, TrafficType,
    };
    pub use crate::constructs::internet_gateway::{InternetGateway, InternetGatewayRef};
    pub use crate::constructs::nat_gateway::{NatGateway, NatGatewayRef};
    pub use crate::constructs::route::{IntoRouteTarget, Route, RouteDestination, RouteTarget};
    pub use crate::constructs::route_table::{RouteTable, RouteTableRef};
    pub use crate::constructs::subnet::{Az, Subnet, SubnetRef};
    pub use crate::constructs::vpc::{Ipv6Block, Vpc, VpcRef};
    pub use crate::constructs::workload::{Workload, WorkloadRef};
}

/// Security groups and their rules — who (`Peer`) may reach which `Port` — and network ACLs.
///
/// ```
/// use vpcform_net::security::Port;
/// assert_eq!(Port::tcp(443).to_string(), "TCP 443");
/// ```
pub mod security {
    pub use crate::constructs::network_acl::{AclAction, AclEntry, NetworkAcl, NetworkAclRef};
    pub use crate::constructs::security_group::{
        Peer, Port, PrefixListSize, Rule, SecurityGroup, SecurityGroupRef,
    };
}

/// VPC endpoints to AWS services and endpoint services: gateway and interface endpoints, their
/// DNS options and policies. The services themselves are in [`services`].
///
/// ```
/// use vpcform_net::endpoints::InterfaceEndpointRef;
/// fn endpoint_dns<V>(_endpoint: &InterfaceEndpointRef<V>) {}
/// ```
pub mod endpoints {
    pub use crate::constructs::gateway_endpoint::{GatewayEndpoint, GatewayEndpointRef};
    pub use crate::constructs::interface_endpoint::{
        DnsOptions, DnsRecordIpType, InterfaceEndpoint, InterfaceEndpointRef, InterfaceTarget,
        IpAddressType, PrivateDnsServiceName, ServiceName,
    };
    pub use crate::policy::EndpointPolicy;
}

/// Transit gateways (attachments, peering attachments, route tables, routes) and VPC peering
/// connections.
///
/// ```
/// use vpcform_net::transit::TransitGatewayRef;
/// fn hub<S>(_tgw: &TransitGatewayRef<S>) {}
/// ```
pub mod transit {
    pub use crate::constructs::transit_gateway::{
        IntoTransitGateway, SameStack, TransitGateway, TransitGatewayRef,
    };
    pub use crate::constructs::transit_gateway_association::{
        IntoPeeringAttachment, TransitGatewayRouteTableAssociation,
    };
    pub use crate::constructs::transit_gateway_attachment::{
        TransitGatewayAttachment, TransitGatewayAttachmentRef,
    };
    pub use crate::constructs::transit_gateway_peering::{
        ExternalTransitGateway, IntoPeerTransitGateway, PeeringAccepterAttachment,
        TransitGatewayPeering, TransitGatewayPeeringRef,
    };
    pub use crate::constructs::transit_gateway_route::{
        Blackhole, IntoTransitGatewayRouteTarget, TransitGatewayRoute,
    };
    pub use crate::constructs::transit_gateway_route_table::{
        IntoTransitGatewayRouteTable, PropagationRouteTable, TransitGatewayRouteTable,
        TransitGatewayRouteTableRef,
    };
    pub use crate::constructs::vpc_peering::{
        ExternalVpc, IntoPeerVpc, PeerVpcIn, PeeringAccepter, VpcPeering, VpcPeeringRef,
    };
}

/// Route 53 private hosted zones and the VPCs they are associated with, and Route 53 Profiles
/// (a profile, what it holds, the VPCs associated with it).
///
/// ```
/// use vpcform_net::zones::PrivateHostedZoneRef;
/// fn zone(_zone: &PrivateHostedZoneRef) {}
/// ```
pub mod zones {
    pub use crate::constructs::hosted_zone::{
        IntoZoneVpc, PrivateHostedZone, PrivateHostedZoneRef, ZoneVpc,
    };
    pub use crate::constructs::profile::{Profile, ProfileRef};
    pub use crate::constructs::profile_association::{
        IntoProfile, ProfileAssociation, ProfileAssociationRef,
    };
    pub use crate::constructs::profile_resource_association::{
        ProfileResource, ProfileResourceAssociation, ProfileResourceAssociationRef,
    };
}

/// VPC Lattice: service networks, their endpoints and resource associations, resource gateways,
/// resource configurations and resource endpoints.
///
/// ```
/// use vpcform_net::lattice::LatticeResource;
/// let db = LatticeResource::dns("db.internal.example.com");
/// # let _ = db;
/// ```
pub mod lattice {
    pub use crate::constructs::resource_configuration::{
        LatticeResource, ResourceConfiguration, ResourceConfigurationRef,
    };
    pub use crate::constructs::resource_endpoint::{
        IntoResourceConfiguration, ResourceEndpoint, ResourceEndpointRef,
    };
    pub use crate::constructs::resource_gateway::{ResourceGateway, ResourceGatewayRef};
    pub use crate::constructs::service_network::{
        IntoServiceNetwork, ServiceNetwork, ServiceNetworkRef, ServiceNetworkStack,
    };
    pub use crate::constructs::service_network_association::{
        ServiceNetworkResourceAssociation, ServiceNetworkResourceAssociationRef,
    };
    pub use crate::constructs::service_network_endpoint::{
        ServiceNetworkEndpoint, ServiceNetworkEndpointRef,
    };
}

/// AWS RAM resource shares: constructs shared with other accounts.
///
/// ```
/// use vpcform_net::sharing::ResourceShareRef;
/// fn share<S>(_share: &ResourceShareRef<S>) {}
/// ```
pub mod sharing {
    pub use crate::constructs::resource_share::{ResourceShare, ResourceShareRef, SharedResource};
}

/// Resources that exist already, outside the app (a VPC, subnets, route tables, security
/// groups), named by their IDs.
///
/// ```
/// use vpcform_net::existing::ExistingVpc;
/// use vpcform_net::handles::VpcMarker;
/// fn adopted<V: VpcMarker>(_vpc: &ExistingVpc<V>) {}
/// ```
pub mod existing {
    pub use crate::constructs::existing::{
        ExistingId, ExistingRouteTable, ExistingSecurityGroup, ExistingSubnet, ExistingVpc,
    };
    pub use crate::constructs::network_acl::ExistingNetworkAcl;
}

/// Lookups: facts only the account knows, read from the context (`vpcform.context.json`) the
/// toolkit fills: [`VpcLookup`](lookups::VpcLookup) (an existing VPC with its subnets, route
/// tables and security groups) and [`EndpointServiceLookup`](lookups::EndpointServiceLookup)
/// (the zones a service is offered in), with the context's types.
///
/// ```
/// use vpcform_net::lookups::{Context, VpcLookup};
/// vpcform_net::topology! { stack Endpoints { vpc Landing } }
/// let mut stack = vpcform_net::Stack::<Endpoints>::new("Endpoints")
///     .account("111122223333")
///     .region("eu-west-1")
///     .context(&Context::default());
/// let landing = stack.add("Landing", VpcLookup::<Landing>::by_id("vpc-0a1b2c3d"));
/// ```
pub mod lookups {
    pub use crate::constructs::lookup::{
        EndpointServiceLookup, LookedUpRouteTable, LookedUpSecurityGroup, LookedUpService,
        LookedUpSubnet, LookedUpSubnets, LookedUpVpc, VpcLookup,
    };
    pub use vpcform_assembly::{
        AvailabilityZone, CONTEXT_ENV, CONTEXT_FILE, Context, ContextEntry, ContextError,
        ContextQuery, ContextValue, EndpointServiceFacts, RouteFacts, RouteTableFacts, RuleFacts,
        SecurityGroupFacts, SubnetFacts, VpcFacts, VpcFilter,
    };
}

/// What synthesis reports: errors and warnings as findings with stable codes, severities, the
/// AWS source a rule rests on, and where the program added the construct.
///
/// ```
/// use vpcform_net::findings::{Severity, SynthErrors};
/// fn errors(result: Result<(), SynthErrors>) -> usize {
///     result.err().map_or(0, |e| e.errors().len())
/// }
/// assert_eq!(errors(Ok(())), 0);
/// # let _ = Severity::Warning;
/// ```
pub mod findings {
    pub use crate::error::{PricesError, SynthError, SynthErrors, SynthWarning};
    pub use crate::finding::{
        CODES, Code, CodeInfo, Finding, RuleSource, Severity, SourceLocation,
    };
}

/// Where stacks are deployed: environments (account, region, parameters) and StackSets.
///
/// ```
/// use vpcform_net::deployment::Environment;
/// fn region(env: &Environment) -> &Environment { env }
/// ```
pub mod deployment {
    pub use crate::stack_set::StackSet;
    pub use vpcform_assembly::{
        Amount, Environment, OperationPreferences, ParameterImport, PermissionModel,
        StackSetOverride, StackSetSpec, StackSetTargets,
    };
}

/// The types that make handles typed: the stack and VPC marker traits [`topology!`] implements,
/// the run-time escape hatch, and the traits generic code over handles names.
///
/// ```
/// use vpcform_net::handles::VpcMarker;
/// vpcform_net::topology! { stack Network { vpc Main } }
/// fn stack_of<V: VpcMarker>() -> &'static str { std::any::type_name::<V::Stack>() }
/// assert!(stack_of::<Main>().ends_with("Network"));
/// ```
pub mod handles {
    pub use crate::handle::{AnyHandle, AsHandle};
    pub use crate::markers::{DynamicStack, DynamicVpc, InStack, StackMarker, VpcMarker};
}

/// What most programs use: `use vpcform_net::prelude::*;`. Reports, errors, `*Ref` handles and
/// marker traits are not here; a program that names one imports it from its module.
pub mod prelude {
    pub use crate::endpoints::{GatewayEndpoint, InterfaceEndpoint};
    pub use crate::privatelink::{
        EndpointService, Listener, NetworkLoadBalancer, TargetDescription, TargetGroup,
    };
    pub use crate::security::{Peer, Port, Rule, SecurityGroup};
    pub use crate::services;
    pub use crate::traffic::Flow;
    pub use crate::transit::{TransitGateway, TransitGatewayAttachment};
    pub use crate::vpc::{Az, Ipv4Cidr, Route, RouteTable, Subnet, Vpc, Workload};
    pub use crate::zones::{PrivateHostedZone, ZoneVpc};
    pub use crate::{App, Stack, Value, cidr};
}
