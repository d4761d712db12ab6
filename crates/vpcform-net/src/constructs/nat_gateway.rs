//! `NatGateway`: outbound internet access for private subnets, through a public subnet.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::internet_gateway::InternetGatewayNode;
use super::subnet::SubnetRef;
use crate::handle::{Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// A public NAT gateway (`AWS::EC2::NatGateway`) in a public subnet of VPC `V`, with its
/// Elastic IP (`AWS::EC2::EIP`, logical ID `<Id>Eip`).
///
/// Billed per hour and per GB processed: traffic to AWS services that could take a VPC endpoint
/// instead pays both (see the cost report).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::vpc::NatGateway;
/// vpcform_net::topology! { stack Net { vpc Main } }
/// let mut stack = Stack::<Net>::new("Net");
/// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let public = stack.add(
///     "Public",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.0.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let nat = stack.add("Nat", NatGateway::builder().subnet(&public).build());
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct NatGateway<V: VpcMarker> {
    /// The public subnet it sits in (its route table needs a route to an internet gateway).
    /// Required.
    #[builder(setter(into))]
    subnet: SubnetRef<V>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`NatGateway`] added to a stack.
    NatGatewayRef exports crate::export::NatGatewayId
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for NatGateway<V> {
    type Handle = NatGatewayRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> NatGatewayRef<V> {
        NatGatewayRef::new(stack.push(Node::NatGateway(NatGatewayNode {
            tags: self.tags,
            id,
            subnet: self.subnet.handle,
        })))
    }
}

pub(crate) struct NatGatewayNode {
    pub(crate) id: Arc<str>,
    pub(crate) subnet: Handle,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl ConstructNode for NatGatewayNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Its subnet's.
        self.subnet.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "SubnetId", &self.subnet, None);
        // A public NAT gateway reaches the internet through its VPC's internet gateway; without
        // one, creation fails ("Network vpc-… has no Internet gateway attached").
        if InternetGatewayNode::attachment_of(check.model, self.subnet.vpc).is_none() {
            check.report(SynthError::NoInternetGateway {
                construct: check.path(&self.id),
                what: "a public NAT gateway",
                vpc: self
                    .subnet
                    .vpc
                    .map_or_else(|| self.subnet.path(), |v| check.model.path(v)),
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let eip = format!("{}Eip", self.id);
        let attachment = InternetGatewayNode::attachment_of(ctx.model, self.subnet.vpc);
        let mut address = Resource::new("AWS::EC2::EIP")
            .property("Domain", "vpc")
            .property("Tags", ctx.tags(&eip, &self.tags));
        let mut nat = Resource::new("AWS::EC2::NatGateway")
            .property("AllocationId", Value::get_att(&eip, "AllocationId"))
            .property("SubnetId", self.subnet.reference())
            .property("ConnectivityType", "public")
            .property("Tags", ctx.tags(&self.id, &self.tags));
        // CloudFormation: an EIP or NAT gateway in a VPC with an internet gateway must depend
        // on the gateway's attachment (AWS::EC2::EIP reference, "DependsOn attribute").
        if let Some(attachment) = attachment {
            address = address.depends_on(attachment.clone());
            nat = nat.depends_on(attachment);
        }
        template.add_resource(&eip, address)?;
        template.add_resource(&*self.id, nat)
    }

    fn pricing(&self) -> Pricing {
        Pricing::NatGateway
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Box {
            label: "NAT gateway",
            shape: "trapezium",
        }
    }
}
