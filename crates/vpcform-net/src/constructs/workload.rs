//! `Workload`: where traffic starts — pods, instances or functions in some subnets. It creates
//! no resource; flows from it are analysed at synth.

use std::sync::Arc;

use typed_builder::TypedBuilder;

use super::security_group::{SecurityGroupRef, groups};
use super::subnet::SubnetRef;
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node};
use crate::model::{ConstructNode, Drawing, Pricing, Relations, Render};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, VpcMarker};
use vpcform_cfn::{Template, TemplateError};

/// A workload in subnets of VPC `V`: the source of [`Flow`](crate::traffic::Flow)s. It synthesizes
/// nothing; it tells the traffic analysis where requests start.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Consumer { vpc VpcA } }
/// let mut stack = Stack::<Consumer>::new("Consumer");
/// let vpc = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let a1 = stack.add(
///     "PrivateA1",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let pods = stack.add("EksPods", Workload::builder().subnets([&a1]).build());
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct Workload<V: VpcMarker> {
    /// The subnets it runs in. Required.
    #[builder(setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    subnets: Vec<SubnetRef<V>>,
    /// Its security groups: rules that admit these groups admit the workload. Default: none
    /// (rules must then admit its subnets' blocks).
    #[builder(default, setter(transform = |list: impl IntoIterator<Item = impl AsHandle<SecurityGroupRef<V>>>| groups(list)))]
    security_groups: Vec<SecurityGroupRef<V>>,
    /// The ephemeral ports its connections come back on, inclusive (Amazon Linux:
    /// `(32768, 60999)`; Windows Server: `(49152, 65535)`): what network ACLs must allow back
    /// in. Default: 1024-65535, every client AWS lists ("Ephemeral ports", VPC User Guide),
    /// so a rule allowing less is a flow vpcform cannot call private.
    // Mutators rather than a setter: a transform setter has no `_opt` fallback, and a config
    // gives the range or not.
    #[builder(via_mutators(init = None), mutators(
        /// The ephemeral ports, inclusive: `.ephemeral_ports(32768, 60999)`.
        pub fn ephemeral_ports(&mut self, from: u16, to: u16) {
            self.ephemeral_ports = Some((from, to));
        }
        /// As `ephemeral_ports`, given or not (from a config): `None` keeps the default.
        pub fn ephemeral_ports_opt(&mut self, ports: Option<(u16, u16)>) {
            self.ephemeral_ports = ports;
        }
    ))]
    ephemeral_ports: Option<(u16, u16)>,
}

handle! {
    /// A handle to a [`Workload`] added to a stack.
    WorkloadRef
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for Workload<V> {
    type Handle = WorkloadRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> WorkloadRef<V> {
        WorkloadRef::new(stack.push(Node::Workload(WorkloadNode {
            id,
            subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
            security_groups: self.security_groups.into_iter().map(|g| g.handle).collect(),
            ephemeral_ports: self.ephemeral_ports,
        })))
    }
}

pub(crate) struct WorkloadNode {
    pub(crate) id: Arc<str>,
    pub(crate) subnets: Vec<Handle>,
    pub(crate) security_groups: Vec<Handle>,
    pub(crate) ephemeral_ports: Option<(u16, u16)>,
}

impl WorkloadNode {
    /// The VPC: its subnets'.
    pub(crate) fn vpc(&self) -> Option<crate::identity::NodeKey> {
        self.subnets.first().and_then(|s| s.vpc)
    }
}

impl ConstructNode for WorkloadNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Its subnets'.
        WorkloadNode::vpc(self)
    }

    fn tags(&self) -> Option<&crate::Tags> {
        // A workload renders no resource.
        None
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.non_empty(
            &self.id,
            "subnets",
            &self.subnets,
            "give the subnets the workload runs in",
        );
        check.handles(&self.id, "subnets", &self.subnets, self.vpc());
        check.handles(
            &self.id,
            "security_groups",
            &self.security_groups,
            self.vpc(),
        );
        if let Some((from, to)) = self.ephemeral_ports {
            if from > to {
                check.report(crate::SynthError::PortRangeReversed {
                    construct: check.path(&self.id),
                    property: "ephemeral_ports",
                    from,
                    to,
                });
            }
            // Port 0 is no port a connection uses (IANA: reserved).
            if from == 0 {
                check.report(crate::SynthError::PortOutOfRange {
                    construct: check.path(&self.id),
                    property: "ephemeral_ports",
                    port: from,
                });
            }
        }
    }

    fn render(&self, _ctx: &Render<'_>, _template: &mut Template) -> Result<(), TemplateError> {
        // Not an AWS resource: a workload only feeds the traffic analysis.
        Ok(())
    }

    fn pricing(&self) -> Pricing {
        // Not an AWS resource.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Box {
            label: "workload",
            shape: "oval",
        }
    }
}
