//! `InternetGateway`: a VPC's door to the public internet.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::vpc::VpcRef;
use crate::handle::{Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Model, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// An internet gateway (`AWS::EC2::InternetGateway`) attached to VPC `V`
/// (`AWS::EC2::VPCGatewayAttachment`, logical ID `<Id>Attachment`).
///
/// Traffic reaches it only through a [`Route`](crate::vpc::Route): subnets whose route table sends
/// `0.0.0.0/0` to it are public.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::vpc::InternetGateway;
/// vpcform_net::topology! { stack Net { vpc Main } }
/// let mut stack = Stack::<Net>::new("Net");
/// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let igw = stack.add("Internet", InternetGateway::builder().vpc(&vpc).build());
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct InternetGateway<V: VpcMarker> {
    /// The VPC it is attached to. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to an [`InternetGateway`] added to a stack.
    InternetGatewayRef exports crate::export::InternetGatewayId
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for InternetGateway<V> {
    type Handle = InternetGatewayRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> InternetGatewayRef<V> {
        InternetGatewayRef::new(stack.push(Node::InternetGateway(InternetGatewayNode {
            tags: self.tags,
            id,
            vpc: self.vpc.handle,
        })))
    }
}

pub(crate) struct InternetGatewayNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl InternetGatewayNode {
    pub(crate) fn attachment_id(id: &str) -> String {
        format!("{id}Attachment")
    }

    /// The attachment of the internet gateway of `vpc`, if it has one: what NAT gateways,
    /// internet-facing load balancers and routes to the gateway must wait for (`DependsOn`).
    pub(crate) fn attachment_of(model: &Model<'_>, vpc: Option<NodeKey>) -> Option<String> {
        let (_, igw) = model.in_vpc::<InternetGatewayNode>(vpc?).next()?;
        Some(InternetGatewayNode::attachment_id(&igw.id))
    }
}

impl ConstructNode for InternetGatewayNode {
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
        // A VPC takes one internet gateway: attaching a second fails
        // (`Resource.AlreadyAssociated`, EC2 AttachInternetGateway).
        if let Some(vpc) = self.vpc.vpc
            && let Some(other) = check.claim(Claim::InternetGateway { vpc })
        {
            check.report(SynthError::SecondInternetGateway {
                construct: check.path(&self.id),
                vpc: self.vpc.path(),
                other,
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::InternetGateway")
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )?;
        template.add_resource(
            InternetGatewayNode::attachment_id(&self.id),
            Resource::new("AWS::EC2::VPCGatewayAttachment")
                .property("VpcId", self.vpc.reference())
                .property(
                    "InternetGatewayId",
                    vpcform_cfn::Value::reference(&*self.id),
                ),
        )
    }

    fn pricing(&self) -> Pricing {
        // Free.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Box {
            label: "internet gateway",
            shape: "invtrapezium",
        }
    }
}
