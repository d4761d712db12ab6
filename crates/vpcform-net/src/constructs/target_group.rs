//! `TargetGroup`: the targets a Network Load Balancer's listener forwards to.

use std::sync::Arc;

use indexmap::IndexMap;
use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::vpc::VpcNode;
use super::vpc::VpcRef;
use crate::handle::{Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// How targets are registered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TargetType {
    /// By private IP address (pods, containers, on-premises hosts). The default.
    #[default]
    Ip,
    /// By EC2 instance ID.
    Instance,
}

/// A target registered in a target group: an IP address or an instance ID, with an optional
/// port (ELBv2's `TargetDescription`, the items of `AWS::ElasticLoadBalancingV2::TargetGroup`
/// `Targets`).
///
/// ```
/// let pod = vpcform_net::privatelink::TargetDescription::ip("10.1.1.10");
/// let on_8443 = vpcform_net::privatelink::TargetDescription::ip("10.1.2.10").port(8443);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TargetDescription {
    id: Value,
    port: Option<u16>,
}

impl TargetDescription {
    /// A target by IP address (for [`TargetType::Ip`]).
    ///
    /// ```
    /// let t = vpcform_net::privatelink::TargetDescription::ip("10.1.1.10");
    /// ```
    pub fn ip(address: impl Into<Value>) -> TargetDescription {
        TargetDescription {
            id: address.into(),
            port: None,
        }
    }

    /// A target by instance ID (for [`TargetType::Instance`]).
    ///
    /// ```
    /// let t = vpcform_net::privatelink::TargetDescription::instance("i-0123456789abcdef0");
    /// ```
    pub fn instance(id: impl Into<Value>) -> TargetDescription {
        TargetDescription {
            id: id.into(),
            port: None,
        }
    }

    /// Overrides the target group's port for this target.
    ///
    /// ```
    /// let t = vpcform_net::privatelink::TargetDescription::ip("10.1.1.10").port(8443);
    /// ```
    pub fn port(mut self, port: u16) -> TargetDescription {
        self.port = Some(port);
        self
    }
}

/// A TCP health check.
///
/// ```
/// let check = vpcform_net::privatelink::HealthCheck::tcp().interval_seconds(10).healthy_threshold(3);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HealthCheck {
    port: Option<u16>,
    interval_seconds: u16,
    timeout_seconds: Option<u16>,
    healthy_threshold: u16,
    unhealthy_threshold: u16,
}

impl HealthCheck {
    /// A TCP connect check on the traffic port, every 10 s, 3 successes or failures to change
    /// state: the fast end of what NLBs allow, since PrivateLink consumers see failures directly.
    ///
    /// ```
    /// let check = vpcform_net::privatelink::HealthCheck::tcp();
    /// ```
    pub fn tcp() -> HealthCheck {
        HealthCheck {
            port: None,
            interval_seconds: 10,
            timeout_seconds: None,
            healthy_threshold: 3,
            unhealthy_threshold: 3,
        }
    }

    /// Checks this port instead of the traffic port.
    ///
    /// ```
    /// let check = vpcform_net::privatelink::HealthCheck::tcp().port(8081);
    /// ```
    pub fn port(mut self, port: u16) -> HealthCheck {
        self.port = Some(port);
        self
    }

    /// Seconds between checks (NLB: 5 to 300).
    ///
    /// ```
    /// let check = vpcform_net::privatelink::HealthCheck::tcp().interval_seconds(30);
    /// ```
    pub fn interval_seconds(mut self, seconds: u16) -> HealthCheck {
        self.interval_seconds = seconds;
        self
    }

    /// Seconds without a response after which a check fails: 2–120, less than the interval.
    /// Default: AWS's (10 s for TCP).
    ///
    /// ```
    /// let check = vpcform_net::privatelink::HealthCheck::tcp().interval_seconds(30).timeout_seconds(5);
    /// ```
    pub fn timeout_seconds(mut self, seconds: u16) -> HealthCheck {
        self.timeout_seconds = Some(seconds);
        self
    }

    /// Consecutive successes before a target is healthy (2 to 10).
    ///
    /// ```
    /// let check = vpcform_net::privatelink::HealthCheck::tcp().healthy_threshold(2);
    /// ```
    pub fn healthy_threshold(mut self, n: u16) -> HealthCheck {
        self.healthy_threshold = n;
        self
    }

    /// Consecutive failures before a target is unhealthy (2 to 10).
    ///
    /// ```
    /// let check = vpcform_net::privatelink::HealthCheck::tcp().unhealthy_threshold(2);
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
///         .targets([TargetDescription::ip("10.1.1.10"), TargetDescription::ip("10.1.2.10")])
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
    #[builder(default, setter(transform = |targets: impl IntoIterator<Item = TargetDescription>| targets.into_iter().collect()))]
    targets: Vec<TargetDescription>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`TargetGroup`] added to a stack; `Ref` gives its ARN.
    TargetGroupRef exports crate::export::ElbArn
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for TargetGroup<V> {
    type Handle = TargetGroupRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> TargetGroupRef<V> {
        TargetGroupRef::new(stack.push(Node::TargetGroup(TargetGroupNode {
            tags: self.tags,
            id,
            vpc: self.vpc.handle,
            port: self.port,
            target_type: self.target_type,
            health_check: self.health_check,
            targets: self.targets,
        })))
    }
}

pub(crate) struct TargetGroupNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    port: u16,
    target_type: TargetType,
    health_check: HealthCheck,
    targets: Vec<TargetDescription>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

/// Whether an address is one AWS takes as an IP target: in the target group's VPC, or in
/// RFC 1918 or RFC 6598 space; "you can't specify publicly routable IP addresses"
/// (docs/aws-rules.md §7: ELB "Target groups for your Network Load Balancers", target type).
fn private_target(address: std::net::Ipv4Addr, vpc: Option<crate::Ipv4Cidr>) -> bool {
    let private = [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ];
    let as_block = |a: std::net::Ipv4Addr| format!("{a}/32").parse::<crate::Ipv4Cidr>().ok();
    let Some(host) = as_block(address) else {
        return false;
    };
    private
        .iter()
        .filter_map(|b| b.parse::<crate::Ipv4Cidr>().ok())
        .chain(vpc)
        .any(|block| block.contains(&host))
}

impl ConstructNode for TargetGroupNode {
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
        Some("ELBv2 (AWS::ElasticLoadBalancingV2)")
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
        let port = |check: &mut Check<'_>, property: &'static str, port: u16| {
            // Ports 1–65535 (AWS::ElasticLoadBalancingV2::TargetGroup schema).
            if port == 0 {
                check.report(SynthError::PortOutOfRange {
                    construct: check.path(&self.id),
                    property,
                    port,
                });
            }
        };
        port(check, "Port", self.port);
        let health = &self.health_check;
        if let Some(p) = health.port {
            port(check, "HealthCheckPort", p);
        }
        // Bounds from ELB CreateTargetGroup (docs/aws-rules.md §6); the older NLB-only limits
        // (10 or 30 s, equal thresholds) were lifted in November 2022.
        let mut bound = |property: &'static str, value: u16, min: u16, max: u16| {
            if !(min..=max).contains(&value) {
                check.report(SynthError::OutOfBounds {
                    construct: check.path(&self.id),
                    property,
                    value: value.into(),
                    min: min.into(),
                    max: max.into(),
                });
            }
        };
        bound(
            "HealthCheckIntervalSeconds",
            health.interval_seconds,
            5,
            300,
        );
        bound("HealthyThresholdCount", health.healthy_threshold, 2, 10);
        bound("UnhealthyThresholdCount", health.unhealthy_threshold, 2, 10);
        if let Some(timeout) = health.timeout_seconds {
            bound("HealthCheckTimeoutSeconds", timeout, 2, 120);
            // `ValidationError`: "Health check interval must be greater than the timeout."
            if timeout >= health.interval_seconds {
                check.report(SynthError::HealthCheckTimeoutNotBelowInterval {
                    construct: check.path(&self.id),
                    timeout,
                    interval: health.interval_seconds,
                });
            }
        }
        let vpc_cidr = check.get::<VpcNode>(&self.vpc).and_then(|v| v.parsed);
        for target in &self.targets {
            if let Some(p) = target.port {
                port(check, "Targets.Port", p);
            }
            let Some(text) = target.id.as_str() else {
                continue; // A reference or function: resolved at deploy.
            };
            let valid = match self.target_type {
                TargetType::Ip => text
                    .parse::<std::net::Ipv4Addr>()
                    .is_ok_and(|a| private_target(a, vpc_cidr)),
                // Instance IDs: `i-` and 8 or 17 hex digits (EC2 resource IDs).
                TargetType::Instance => super::ec2_id(text, "i-"),
            };
            if !valid {
                check.report(SynthError::InvalidTarget {
                    construct: check.path(&self.id),
                    target: text.to_string(),
                    expected: match self.target_type {
                        TargetType::Ip => "a private IPv4 address (in the VPC, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10); AWS refuses publicly routable ones",
                        TargetType::Instance => "an instance ID, i- and 8 or 17 hex digits",
                    },
                });
            }
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
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
            .property_opt("HealthCheckTimeoutSeconds", check.timeout_seconds)
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
        template.add_resource(
            &*self.id,
            group.property("Tags", ctx.tags(&self.id, &self.tags)),
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
