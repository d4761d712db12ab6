//! `TargetGroup`: the targets a Network Load Balancer's listener forwards to.

use std::sync::Arc;

use indexmap::IndexMap;
use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::vpc::VpcRef;
use crate::handle::{Handle, handle};
use crate::stack::{Check, Construct, Node, StackDef, name_tag};
use crate::{InStack, StackMarker, VpcMarker};

/// How targets are registered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TargetType {
    /// By private IP address (pods, containers, on-premises hosts). The default.
    #[default]
    Ip,
    /// By EC2 instance ID.
    Instance,
}

/// A registered target.
///
/// ```
/// let pod = vpcform_net::Target::ip("10.1.1.10");
/// let on_8443 = vpcform_net::Target::ip("10.1.2.10").port(8443);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    id: Value,
    port: Option<u16>,
}

impl Target {
    /// A target by IP address (for [`TargetType::Ip`]).
    ///
    /// ```
    /// let t = vpcform_net::Target::ip("10.1.1.10");
    /// ```
    pub fn ip(address: impl Into<Value>) -> Target {
        Target {
            id: address.into(),
            port: None,
        }
    }

    /// A target by instance ID (for [`TargetType::Instance`]).
    ///
    /// ```
    /// let t = vpcform_net::Target::instance("i-0123456789abcdef0");
    /// ```
    pub fn instance(id: impl Into<Value>) -> Target {
        Target {
            id: id.into(),
            port: None,
        }
    }

    /// Overrides the target group's port for this target.
    ///
    /// ```
    /// let t = vpcform_net::Target::ip("10.1.1.10").port(8443);
    /// ```
    pub fn port(mut self, port: u16) -> Target {
        self.port = Some(port);
        self
    }
}

/// A TCP health check.
///
/// ```
/// let check = vpcform_net::HealthCheck::tcp().interval_seconds(10).healthy_threshold(3);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HealthCheck {
    port: Option<u16>,
    interval_seconds: u16,
    healthy_threshold: u16,
    unhealthy_threshold: u16,
}

impl HealthCheck {
    /// A TCP connect check on the traffic port, every 10 s, 3 successes or failures to change
    /// state: the fast end of what NLBs allow, since PrivateLink consumers see failures directly.
    ///
    /// ```
    /// let check = vpcform_net::HealthCheck::tcp();
    /// ```
    pub fn tcp() -> HealthCheck {
        HealthCheck {
            port: None,
            interval_seconds: 10,
            healthy_threshold: 3,
            unhealthy_threshold: 3,
        }
    }

    /// Checks this port instead of the traffic port.
    ///
    /// ```
    /// let check = vpcform_net::HealthCheck::tcp().port(8081);
    /// ```
    pub fn port(mut self, port: u16) -> HealthCheck {
        self.port = Some(port);
        self
    }

    /// Seconds between checks (NLB: 5 to 300).
    ///
    /// ```
    /// let check = vpcform_net::HealthCheck::tcp().interval_seconds(30);
    /// ```
    pub fn interval_seconds(mut self, seconds: u16) -> HealthCheck {
        self.interval_seconds = seconds;
        self
    }

    /// Consecutive successes before a target is healthy (2 to 10).
    ///
    /// ```
    /// let check = vpcform_net::HealthCheck::tcp().healthy_threshold(2);
    /// ```
    pub fn healthy_threshold(mut self, n: u16) -> HealthCheck {
        self.healthy_threshold = n;
        self
    }

    /// Consecutive failures before a target is unhealthy (2 to 10).
    ///
    /// ```
    /// let check = vpcform_net::HealthCheck::tcp().unhealthy_threshold(2);
    /// ```
    pub fn unhealthy_threshold(mut self, n: u16) -> HealthCheck {
        self.unhealthy_threshold = n;
        self
    }
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck::tcp()
    }
}

/// A TCP target group (`AWS::ElasticLoadBalancingV2::TargetGroup`) in VPC `V`.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Provider { vpc VpcB } }
///
/// let mut stack = Stack::<Provider>::new("Provider");
/// let vpc = stack.add("VpcB", Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build());
/// let service = stack.add(
///     "Service",
///     TargetGroup::builder()
///         .vpc(&vpc)
///         .port(443)
///         .targets([Target::ip("10.1.1.10"), Target::ip("10.1.2.10")])
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct TargetGroup<V: VpcMarker> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The port targets receive traffic on. Required.
    port: u16,
    /// How targets are registered. Default [`TargetType::Ip`].
    #[builder(default)]
    target_type: TargetType,
    /// The health check. Default [`HealthCheck::tcp`].
    #[builder(default)]
    health_check: HealthCheck,
    /// Targets registered with the group. Default: none (register them later, e.g. from EKS).
    #[builder(default, setter(transform = |targets: impl IntoIterator<Item = Target>| targets.into_iter().collect()))]
    targets: Vec<Target>,
}

handle! {
    /// A handle to a [`TargetGroup`] added to a stack; `Ref` gives its ARN.
    TargetGroupRef
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for TargetGroup<V> {
    type Handle = TargetGroupRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> TargetGroupRef<V> {
        let vpc = self.vpc.handle;
        let handle = TargetGroupRef::new(stack.handle(&id, &vpc.id));
        stack.push(TargetGroupNode {
            id,
            vpc,
            port: self.port,
            target_type: self.target_type,
            health_check: self.health_check,
            targets: self.targets,
        });
        handle
    }
}

struct TargetGroupNode {
    id: Arc<str>,
    vpc: Handle,
    port: u16,
    target_type: TargetType,
    health_check: HealthCheck,
    targets: Vec<Target>,
}

impl Node for TargetGroupNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
    }

    fn render(&self, stack: &StackDef, template: &mut Template) -> Result<(), TemplateError> {
        let check = &self.health_check;
        let health_port = match check.port {
            Some(port) => port.to_string(),
            None => "traffic-port".to_string(),
        };
        let mut group = Resource::new("AWS::ElasticLoadBalancingV2::TargetGroup")
            .property("VpcId", self.vpc.reference())
            .property("Protocol", "TCP")
            .property("Port", self.port)
            .property(
                "TargetType",
                match self.target_type {
                    TargetType::Ip => "ip",
                    TargetType::Instance => "instance",
                },
            )
            .property("HealthCheckEnabled", true)
            .property("HealthCheckProtocol", "TCP")
            .property("HealthCheckPort", health_port)
            .property("HealthCheckIntervalSeconds", check.interval_seconds)
            .property("HealthyThresholdCount", check.healthy_threshold)
            .property("UnhealthyThresholdCount", check.unhealthy_threshold);
        if !self.targets.is_empty() {
            let targets = self
                .targets
                .iter()
                .map(|t| {
                    let mut target = IndexMap::new();
                    target.insert("Id".to_string(), t.id.clone());
                    if let Some(port) = t.port {
                        target.insert("Port".to_string(), Value::from(port));
                    }
                    Value::Map(target)
                })
                .collect();
            group = group.property("Targets", Value::List(targets));
        }
        template.add_resource(&*self.id, group.property("Tags", name_tag(stack, &self.id)))
    }
}
