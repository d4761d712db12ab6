//! `InternetGateway`: a VPC's door to the public internet.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use super::vpc::VpcRef;
use crate::handle::{Handle, handle};
use crate::stack::{Check, Construct, Node, StackDef, name_tag};
use crate::{InStack, StackMarker, VpcMarker};

/// An internet gateway (`AWS::EC2::InternetGateway`) attached to VPC `V`
/// (`AWS::EC2::VPCGatewayAttachment`, logical ID `<Id>Attachment`).
///
/// Traffic reaches it only through a [`Route`](crate::Route): subnets whose route table sends
/// `0.0.0.0/0` to it are public.
///
/// ```
/// use vpcform_net::prelude::*;
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
}

handle! {
    /// A handle to an [`InternetGateway`] added to a stack.
    InternetGatewayRef
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for InternetGateway<V> {
    type Handle = InternetGatewayRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> InternetGatewayRef<V> {
        let vpc = self.vpc.handle;
        let handle = InternetGatewayRef::new(stack.handle(&id, &vpc.id));
        stack.push(InternetGatewayNode { id, vpc });
        handle
    }
}

pub(crate) struct InternetGatewayNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
}

impl InternetGatewayNode {
    /// The attachment's logical ID: routes to the gateway wait for it.
    pub(crate) fn attachment_id(id: &str) -> String {
        format!("{id}Attachment")
    }
}

impl Node for InternetGatewayNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
    }

    fn render(&self, stack: &StackDef, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::InternetGateway").property("Tags", name_tag(stack, &self.id)),
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
}
