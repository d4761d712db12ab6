//! `NatGateway`: outbound internet access for private subnets, through a public subnet.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::subnet::SubnetRef;
use crate::handle::{Handle, handle};
use crate::stack::{Check, Construct, Node, StackDef, name_tag};
use crate::{InStack, StackMarker, VpcMarker};

/// A public NAT gateway (`AWS::EC2::NatGateway`) in a public subnet of VPC `V`, with its
/// Elastic IP (`AWS::EC2::EIP`, logical ID `<Id>Eip`).
///
/// Billed per hour and per GB processed: traffic to AWS services that could take a VPC endpoint
/// instead pays both (see the cost report).
///
/// ```
/// use vpcform_net::prelude::*;
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
}

handle! {
    /// A handle to a [`NatGateway`] added to a stack.
    NatGatewayRef
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for NatGateway<V> {
    type Handle = NatGatewayRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> NatGatewayRef<V> {
        let subnet = self.subnet.handle;
        let handle = NatGatewayRef::new(stack.handle(&id, &subnet.vpc));
        stack.push(NatGatewayNode { id, subnet });
        handle
    }
}

pub(crate) struct NatGatewayNode {
    pub(crate) id: Arc<str>,
    pub(crate) subnet: Handle,
}

impl Node for NatGatewayNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "SubnetId", &self.subnet, None);
    }

    fn render(&self, stack: &StackDef, template: &mut Template) -> Result<(), TemplateError> {
        let eip = format!("{}Eip", self.id);
        template.add_resource(
            &eip,
            Resource::new("AWS::EC2::EIP")
                .property("Domain", "vpc")
                .property("Tags", name_tag(stack, &eip)),
        )?;
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::NatGateway")
                .property("AllocationId", Value::get_att(&eip, "AllocationId"))
                .property("SubnetId", self.subnet.reference())
                .property("ConnectivityType", "public")
                .property("Tags", name_tag(stack, &self.id)),
        )
    }
}
