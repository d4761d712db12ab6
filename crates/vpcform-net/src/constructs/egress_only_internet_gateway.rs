//! `EgressOnlyInternetGateway`: outbound-only IPv6 to the internet.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::vpc::VpcRef;
use crate::handle::{Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, VpcMarker};

/// An egress-only internet gateway (`AWS::EC2::EgressOnlyInternetGateway`) of VPC `V`: IPv6
/// traffic from its subnets out to the internet, and the answers back, but no connection from
/// the internet in — for IPv6 what a NAT gateway is for IPv4, without its charges.
///
/// Traffic reaches it through a [`Route`](crate::vpc::Route) to an IPv6 destination, usually `::/0`
/// ([`RouteDestination::any_ipv6`](crate::vpc::RouteDestination::any_ipv6)). Source: VPC user guide,
/// "Enable outbound IPv6 traffic using an egress-only internet gateway".
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::vpc::Ipv6Block;
/// use vpcform_net::vpc::{EgressOnlyInternetGateway, RouteDestination};
/// vpcform_net::topology! { stack Net { vpc Main } }
/// let mut stack = Stack::<Net>::new("Net");
/// let vpc = stack.add(
///     "Main",
///     Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).ipv6(Ipv6Block::AmazonProvided).build(),
/// );
/// let eigw = stack.add("Egress6", EgressOnlyInternetGateway::builder().vpc(&vpc).build());
/// let routes = stack.add("PrivateRoutes", RouteTable::builder().vpc(&vpc).build());
/// stack.add(
///     "DefaultRoute6",
///     Route::builder().route_table(&routes).destination(RouteDestination::any_ipv6()).target(&eigw).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct EgressOnlyInternetGateway<V: VpcMarker> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to an [`EgressOnlyInternetGateway`] added to a stack.
    EgressOnlyInternetGatewayRef exports crate::export::EgressOnlyInternetGatewayId
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for EgressOnlyInternetGateway<V> {
    type Handle = EgressOnlyInternetGatewayRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> EgressOnlyInternetGatewayRef<V> {
        EgressOnlyInternetGatewayRef::new(stack.push(Node::EgressOnlyInternetGateway(
            EgressOnlyInternetGatewayNode {
                id,
                vpc: self.vpc.handle,
                tags: self.tags,
            },
        )))
    }
}

pub(crate) struct EgressOnlyInternetGatewayNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl ConstructNode for EgressOnlyInternetGatewayNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
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
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::EgressOnlyInternetGateway")
                .property("VpcId", self.vpc.reference())
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // No hourly charge; data out to the internet is billed as for any instance.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Box {
            label: "egress-only internet gateway",
            shape: "invtrapezium",
        }
    }
}
