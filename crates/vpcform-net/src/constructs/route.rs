//! `Route`: a destination block sent to a gateway from a route table.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::internet_gateway::{InternetGatewayNode, InternetGatewayRef};
use super::nat_gateway::NatGatewayRef;
use super::route_table::RouteTableRef;
use super::subnet::SubnetNode;
use super::vpc::VpcNode;
use crate::handle::Handle;
use crate::model::{Check, Claim, Node, Render};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, StackMarker, SynthError, VpcMarker};

/// Where a route sends traffic.
pub enum RouteTarget<V> {
    /// An internet gateway: the subnets become public.
    InternetGateway(InternetGatewayRef<V>),
    /// A NAT gateway: outbound to the internet through its Elastic IP.
    NatGateway(NatGatewayRef<V>),
}

/// What a route of VPC `V` can send traffic to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the target of a route in this route table",
    label = "not an internet or NAT gateway of the route table's VPC",
    note = "a route sends traffic to an `InternetGateway` or `NatGateway` of the same VPC"
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

impl<V> IntoRouteTarget<V> for &NatGatewayRef<V> {
    fn into_route_target(self) -> RouteTarget<V> {
        RouteTarget::NatGateway(self.clone())
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
    /// The gateway traffic goes to: an internet or NAT gateway of the same VPC. Required.
    #[builder(setter(transform = |target: impl IntoRouteTarget<V>| target.into_route_target()))]
    target: RouteTarget<V>,
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for Route<V> {
    type Handle = ();

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) {
        let target = match self.target {
            RouteTarget::InternetGateway(igw) => TargetNode::InternetGateway(igw.handle),
            RouteTarget::NatGateway(nat) => TargetNode::NatGateway(nat.handle),
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

impl RouteNode {
    pub(crate) fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "RouteTableId", &self.route_table, None);
        check.handle(
            &self.id,
            "target",
            self.target.handle(),
            self.route_table.vpc,
        );
        let Some(destination) = check.cidr(&self.id, "DestinationCidrBlock", &self.destination)
        else {
            return;
        };
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

    pub(crate) fn render(
        &self,
        _ctx: &Render<'_>,
        template: &mut Template,
    ) -> Result<(), TemplateError> {
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
