//! `Route`: a destination block sent to a gateway from a route table.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::internet_gateway::{InternetGatewayNode, InternetGatewayRef};
use super::nat_gateway::NatGatewayRef;
use super::route_table::RouteTableRef;
use crate::handle::Handle;
use crate::stack::{Check, Construct, Node, StackDef};
use crate::{CidrBlock, VpcMarker};

/// Where a route sends traffic.
pub enum RouteTarget<V> {
    /// An internet gateway: the subnets become public.
    InternetGateway(InternetGatewayRef<V>),
    /// A NAT gateway: outbound to the internet through its Elastic IP.
    NatGateway(NatGatewayRef<V>),
}

impl<V> From<&InternetGatewayRef<V>> for RouteTarget<V> {
    fn from(igw: &InternetGatewayRef<V>) -> Self {
        RouteTarget::InternetGateway(igw.clone())
    }
}

impl<V> From<&NatGatewayRef<V>> for RouteTarget<V> {
    fn from(nat: &NatGatewayRef<V>) -> Self {
        RouteTarget::NatGateway(nat.clone())
    }
}

/// A route (`AWS::EC2::Route`) in a route table of VPC `V`.
///
/// ```
/// use vpcform_net::prelude::*;
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
    /// The destination block, e.g. `0.0.0.0/0` for a default route. Required.
    #[builder(setter(into))]
    destination: CidrBlock,
    /// The gateway traffic goes to. Required.
    #[builder(setter(into))]
    target: RouteTarget<V>,
}

impl<V: VpcMarker> Construct<V::Stack> for Route<V> {
    type Handle = ();

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) {
        let route_table = self.route_table.handle;
        let target = match self.target {
            RouteTarget::InternetGateway(igw) => TargetNode::InternetGateway(igw.handle),
            RouteTarget::NatGateway(nat) => TargetNode::NatGateway(nat.handle),
        };
        stack.push(RouteNode {
            id,
            route_table,
            destination: self.destination,
            target,
        });
    }
}

pub(crate) enum TargetNode {
    InternetGateway(Handle),
    NatGateway(Handle),
}

impl TargetNode {
    pub(crate) fn handle(&self) -> &Handle {
        match self {
            TargetNode::InternetGateway(h) | TargetNode::NatGateway(h) => h,
        }
    }
}

pub(crate) struct RouteNode {
    pub(crate) id: Arc<str>,
    pub(crate) route_table: Handle,
    pub(crate) destination: CidrBlock,
    pub(crate) target: TargetNode,
}

impl Node for RouteNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "RouteTableId", &self.route_table, None);
        check.handle(
            &self.id,
            "target",
            self.target.handle(),
            Some(&self.route_table.vpc),
        );
        check.cidr(&self.id, "DestinationCidrBlock", &self.destination);
    }

    fn render(&self, _stack: &StackDef, template: &mut Template) -> Result<(), TemplateError> {
        let route = Resource::new("AWS::EC2::Route")
            .property("RouteTableId", self.route_table.reference())
            .property("DestinationCidrBlock", self.destination.text());
        let route = match &self.target {
            // A route to an internet gateway fails until the gateway is attached.
            TargetNode::InternetGateway(igw) => route
                .property("GatewayId", igw.reference())
                .depends_on(InternetGatewayNode::attachment_id(&igw.id)),
            TargetNode::NatGateway(nat) => route.property("NatGatewayId", nat.reference()),
        };
        template.add_resource(&*self.id, route)
    }
}
