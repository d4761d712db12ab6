//! `Listener`: a port a Network Load Balancer accepts connections on.

use std::sync::Arc;

use indexmap::IndexMap;
use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::network_load_balancer::NetworkLoadBalancerRef;
use super::target_group::TargetGroupRef;
use crate::handle::{AsHandle, Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// A TCP listener (`AWS::ElasticLoadBalancingV2::Listener`) forwarding to a target group of the
/// same VPC. Endpoint services carry TCP only
/// (<https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html>).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::security::SecurityGroupRef;
/// vpcform_net::topology! { stack Provider { vpc VpcB } }
///
/// let mut stack = Stack::<Provider>::new("Provider");
/// let vpc = stack.add("VpcB", Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build());
/// let a = stack.add(
///     "PrivateA",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.1.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let nlb = stack.add("Nlb", NetworkLoadBalancer::builder().subnets([&a]).security_groups(SecurityGroupRef::none()).build());
/// let service = stack.add("Service", TargetGroup::builder().vpc(&vpc).port(443).build());
/// stack.add(
///     "Https",
///     Listener::builder().load_balancer(&nlb).port(443).default_target_group(&service).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct Listener<V: VpcMarker> {
    /// The load balancer. Required.
    #[builder(setter(into))]
    load_balancer: NetworkLoadBalancerRef<V>,
    /// The port to listen on. Required.
    port: u16,
    /// Where connections go: a target group of the same VPC. Required.
    #[builder(setter(transform = |group: impl AsHandle<TargetGroupRef<V>>| group.as_handle().clone()))]
    default_target_group: TargetGroupRef<V>,
}

handle! {
    /// A handle to a [`Listener`] added to a stack; `Ref` gives its ARN.
    ListenerRef exports crate::export::ElbArn
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for Listener<V> {
    type Handle = ListenerRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ListenerRef<V> {
        ListenerRef::new(stack.push(Node::Listener(ListenerNode {
            id,
            load_balancer: self.load_balancer.handle,
            port: self.port,
            target_group: self.default_target_group.handle,
        })))
    }
}

pub(crate) struct ListenerNode {
    pub(crate) id: Arc<str>,
    pub(crate) load_balancer: Handle,
    pub(crate) port: u16,
    target_group: Handle,
}

impl ConstructNode for ListenerNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Its load balancer's.
        self.load_balancer.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        // AWS::ElasticLoadBalancingV2::Listener is not taggable (its schema: taggable false).
        None
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        relations
            .listeners_of
            .entry(self.load_balancer.key)
            .or_default()
            .push(key);
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "LoadBalancerArn", &self.load_balancer, None);
        check.handle(
            &self.id,
            "DefaultActions",
            &self.target_group,
            self.load_balancer.vpc,
        );
        // Ports 1–65535 (AWS::ElasticLoadBalancingV2::Listener, Port: minimum 1).
        if self.port == 0 {
            check.report(SynthError::PortOutOfRange {
                construct: check.path(&self.id),
                property: "Port",
                port: 0,
            });
        }
        // One listener per port on a load balancer: ELB CreateListener answers a second with
        // `DuplicateListener`.
        let claim = Claim::Listener {
            load_balancer: self.load_balancer.key,
            port: self.port,
        };
        if let Some(other) = check.claim(claim) {
            check.report(SynthError::DuplicateListener {
                construct: check.path(&self.id),
                load_balancer: self.load_balancer.path(),
                port: self.port,
                other,
            });
        }
        // A target group belongs to one load balancer: ELB CreateListener answers a listener
        // of another with `TargetGroupAssociationLimit`.
        let claim = Claim::TargetGroupListener {
            target_group: self.target_group.key,
        };
        if let Some(first) = check.claimed_by(claim)
            && let Some(other) = check.model.get_key::<ListenerNode>(first)
            && other.load_balancer.key != self.load_balancer.key
        {
            check.report(SynthError::TargetGroupOfTwoLoadBalancers {
                construct: check.path(&self.id),
                target_group: self.target_group.path(),
                load_balancer: self.load_balancer.path(),
                other: check.model.path(first),
                other_load_balancer: other.load_balancer.path(),
            });
        }
    }

    fn render(&self, _ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let mut forward = IndexMap::new();
        forward.insert("Type".to_string(), Value::from("forward"));
        forward.insert("TargetGroupArn".to_string(), self.target_group.reference());
        template.add_resource(
            &*self.id,
            Resource::new("AWS::ElasticLoadBalancingV2::Listener")
                .property("LoadBalancerArn", self.load_balancer.reference())
                .property("Port", self.port)
                .property("Protocol", "TCP")
                .property("DefaultActions", Value::List(vec![Value::Map(forward)])),
        )
    }

    fn pricing(&self) -> Pricing {
        // Free.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // Drawn through its load balancer.
        Drawing::Hidden
    }
}
