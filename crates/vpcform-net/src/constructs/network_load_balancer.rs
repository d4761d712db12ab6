//! `NetworkLoadBalancer`: the layer-4 load balancer an endpoint service is built on.

use std::sync::Arc;

use indexmap::IndexMap;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::internet_gateway::InternetGatewayNode;
use super::security_group::{SecurityGroupRef, check_open_ingress, groups};
use super::subnet::{SubnetRef, check_one_subnet_per_az};
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, SynthWarning, VpcMarker};

/// Whether the load balancer answers inside the VPC only or on the internet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scheme {
    /// Private IPs only. The default, and what an endpoint service needs.
    #[default]
    Internal,
    /// Public IPs; needs public subnets with an internet gateway.
    InternetFacing,
}

/// A Network Load Balancer (`AWS::ElasticLoadBalancingV2::LoadBalancer`, type `network`) in VPC
/// `V`, its VPC given by its subnets.
///
/// # Security groups and PrivateLink
///
/// Security groups can only be attached when an NLB is created — one created without them can
/// never get them — so `security_groups` is required (`SecurityGroupRef::none()` is an explicit
/// choice).
///
/// With security groups attached, AWS evaluates their inbound rules on PrivateLink traffic too
/// (`EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`, on by default), and the source it
/// evaluates is **the consumer client's private IP address**, not the consumer endpoint's ENI
/// nor anything of the provider's VPC (AWS, "Security groups for your Network Load Balancer":
/// <https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html>).
/// An NLB whose security group admits only its own VPC therefore silently drops every
/// PrivateLink connection — the trap of a CDK NLB with an empty security group.
///
/// vpcform keeps enforcement on by default and asks for the consumers' CIDR blocks in the
/// group's inbound rules on the listener port: the group then keeps doing its job (only the
/// known consumer networks, only the service port) instead of being switched off for all
/// PrivateLink traffic. Turn enforcement off
/// (`enforce_security_group_inbound_rules_on_private_link_traffic(false)`) when consumers' networks are unknown or overlap yours; the endpoint service's allowed
/// principals and acceptance then gate who connects.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Provider { vpc VpcB } }
///
/// let mut stack = Stack::<Provider>::new("Provider");
/// let vpc = stack.add("VpcB", Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build());
/// let a = stack.add(
///     "PrivateA",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.1.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let sg = stack.add(
///     "NlbSg",
///     SecurityGroup::builder()
///         .vpc(&vpc)
///         .ingress([Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16")))])
///         .build(),
/// );
/// let nlb = stack.add(
///     "Nlb",
///     NetworkLoadBalancer::builder().subnets([&a]).security_groups([&sg]).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct NetworkLoadBalancer<V: VpcMarker> {
    /// Subnets, one per AZ the load balancer serves. Required. Consumers' interface endpoints
    /// can only use AZs listed here.
    #[builder(setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    subnets: Vec<SubnetRef<V>>,
    /// Security groups. Required (see above): `[]` creates an NLB that can never have any.
    #[builder(setter(transform = |list: impl IntoIterator<Item = impl AsHandle<SecurityGroupRef<V>>>| groups(list)))]
    security_groups: Vec<SecurityGroupRef<V>>,
    /// Internal or internet-facing. Default [`Scheme::Internal`].
    #[builder(default)]
    scheme: Scheme,
    /// Whether the security groups' inbound rules apply to PrivateLink traffic. Default `true`
    /// (AWS's default too); see above for the source address they see.
    #[builder(default = true)]
    enforce_security_group_inbound_rules_on_private_link_traffic: bool,
    /// `IpAddressType: dualstack`: clients reach it over IPv4 and IPv6, and an endpoint
    /// service on it can offer IPv6. Every subnet needs an IPv6 block. Default `false` (`ipv4`).
    #[builder(default = false)]
    dualstack: bool,
    /// Access logs to an S3 bucket (`access_logs.s3.*` attributes). AWS writes them for TLS
    /// listeners only: with TCP listeners the log stays empty (synthesis warns), and the
    /// subnets' [`FlowLog`](crate::vpc::FlowLog)s are what record connections. Default: off.
    #[builder(default, setter(strip_option(fallback = access_logs_opt)))]
    access_logs: Option<AccessLogs>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`NetworkLoadBalancer`] added to a stack; `Ref` gives its ARN.
    NetworkLoadBalancerRef exports crate::export::ElbArn
}

impl<V> NetworkLoadBalancerRef<V> {
    /// `{"Fn::GetAtt": [id, "DNSName"]}`.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # use vpcform_net::security::SecurityGroupRef;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// # let sub = stack.add("Sub", Subnet::builder().vpc(&vpc).cidr("10.0.0.0/24").availability_zone(Az::index(0)).build());
    /// let nlb = stack.add("Nlb", NetworkLoadBalancer::builder().subnets([&sub]).security_groups(SecurityGroupRef::none()).build());
    /// assert_eq!(nlb.dns_name(), vpcform_net::Value::get_att("Nlb", "DNSName"));
    /// ```
    pub fn dns_name(&self) -> Value {
        self.handle
            .scoped(Value::get_att(self.logical_id(), "DNSName"))
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for NetworkLoadBalancer<V> {
    type Handle = NetworkLoadBalancerRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> NetworkLoadBalancerRef<V> {
        NetworkLoadBalancerRef::new(stack.push(Node::NetworkLoadBalancer(
            NetworkLoadBalancerNode {
                tags: self.tags,
                id,
                subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
                security_groups: self.security_groups.into_iter().map(|g| g.handle).collect(),
                scheme: self.scheme,
                enforce_on_private_link:
                    self.enforce_security_group_inbound_rules_on_private_link_traffic,
                dualstack: self.dualstack,
                access_logs: self.access_logs,
            },
        )))
    }
}

pub(crate) struct NetworkLoadBalancerNode {
    pub(crate) id: Arc<str>,
    pub(crate) subnets: Vec<Handle>,
    pub(crate) security_groups: Vec<Handle>,
    scheme: Scheme,
    pub(crate) enforce_on_private_link: bool,
    pub(crate) dualstack: bool,
    access_logs: Option<AccessLogs>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

/// Where a load balancer writes its access logs: an S3 bucket in its region, by name, and a
/// folder. The bucket's policy must let `delivery.logs.amazonaws.com` write (ELB guide,
/// "Enable access logs for your Network Load Balancer").
///
/// ```
/// use vpcform_net::privatelink::AccessLogs;
/// let logs = AccessLogs::s3("central-elb-logs").prefix("privatelink");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct AccessLogs {
    bucket: Value,
    prefix: Option<String>,
}

impl AccessLogs {
    /// Logs to `bucket` (its name, or a `Value` resolving to it).
    ///
    /// See [`AccessLogs`] for an example.
    pub fn s3(bucket: impl Into<Value>) -> AccessLogs {
        AccessLogs {
            bucket: bucket.into(),
            prefix: None,
        }
    }

    /// Writes under a folder of the bucket (not containing `AWSLogs` anywhere: AWS appends it).
    ///
    /// See [`AccessLogs`] for an example.
    pub fn prefix(mut self, prefix: impl Into<String>) -> AccessLogs {
        self.prefix = Some(prefix.into());
        self
    }

    fn check(&self, check: &mut Check<'_>, id: &str) {
        if let Some(bucket) = self.bucket.as_str()
            && !super::flow_log::dynamic_reference(bucket)
            && !super::flow_log::valid_bucket_name(bucket)
        {
            let reason = match bucket
                .strip_prefix("arn:")
                .and_then(|r| r.split_once(":s3:::"))
            {
                Some((_, name)) => format!("give the bucket's name, {name}, not its ARN"),
                None => "a bucket name is 3 to 63 lowercase letters, digits, dots and hyphens, \
                         starting and ending with a letter or digit"
                    .to_string(),
            };
            check.report(SynthError::InvalidText {
                construct: check.path(id),
                property: "access_logs.s3.bucket",
                value: bucket.to_string(),
                reason,
            });
        }
        // "The prefix that you specify must not include AWSLogs" (ELB guide, "Enable access
        // logs for your Network Load Balancer"): anywhere in it, unlike a flow log's folder.
        let problem = |prefix: &str| {
            super::flow_log::prefix_problem(prefix).or_else(|| {
                prefix.contains("AWSLogs").then_some(
                    "AWS appends AWSLogs/ after the prefix and refuses a prefix containing it: \
                     choose another",
                )
            })
        };
        if let Some(prefix) = &self.prefix
            && let Some(reason) = problem(prefix)
        {
            check.report(SynthError::InvalidText {
                construct: check.path(id),
                property: "access_logs.s3.prefix",
                value: prefix.clone(),
                reason: reason.into(),
            });
        }
        // "Access logs are created only if the load balancer has a TLS listener" (ELB guide,
        // "Access logs for your Network Load Balancer"); vpcform's listeners are TCP.
        check.warn(SynthWarning::AccessLogsWithoutTls {
            construct: check.path(id),
        });
    }

    /// The `LoadBalancerAttributes` entries.
    fn attributes(&self) -> Vec<Value> {
        let attribute = |key: &str, value: Value| {
            let mut entry = IndexMap::new();
            entry.insert("Key".to_string(), Value::from(key));
            entry.insert("Value".to_string(), value);
            Value::Map(entry)
        };
        let mut attributes = vec![
            attribute("access_logs.s3.enabled", Value::from("true")),
            attribute("access_logs.s3.bucket", self.bucket.clone()),
        ];
        if let Some(prefix) = &self.prefix {
            attributes.push(attribute(
                "access_logs.s3.prefix",
                Value::from(prefix.as_str()),
            ));
        }
        attributes
    }
}

impl NetworkLoadBalancerNode {
    /// The VPC: the subnets' (or, with none, which synth reports, the security groups').
    pub(crate) fn vpc(&self) -> Option<NodeKey> {
        self.subnets
            .first()
            .or(self.security_groups.first())
            .and_then(|h| h.vpc)
    }
}

impl ConstructNode for NetworkLoadBalancerNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Its subnets'.
        NetworkLoadBalancerNode::vpc(self)
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        Some("ELBv2 (AWS::ElasticLoadBalancingV2)")
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.non_empty(
            &self.id,
            "Subnets",
            &self.subnets,
            "give one subnet per availability zone the load balancer serves",
        );
        check.handles(&self.id, "Subnets", &self.subnets, self.vpc());
        check.handles(
            &self.id,
            "SecurityGroups",
            &self.security_groups,
            self.vpc(),
        );
        check_one_subnet_per_az(check, &self.id, &self.subnets);
        if self.dualstack {
            // "The VPC and subnets that you specify for the load balancer must have associated
            // IPv6 CIDR blocks" (ELB guide, dual-stack Network Load Balancers).
            super::subnet::check_ipv6_subnets(
                check,
                &self.id,
                &self.subnets,
                "a dual-stack load balancer",
            );
        }
        if self.security_groups.is_empty() {
            check.warn(SynthWarning::LoadBalancerWithoutSecurityGroups {
                construct: check.path(&self.id),
            });
        }
        check_open_ingress(check, &self.id, &self.security_groups);
        if let Some(logs) = &self.access_logs {
            logs.check(check, &self.id);
        }
        // An internet-facing load balancer needs an internet gateway in its VPC: ELB
        // CreateLoadBalancer answers `InvalidSubnet` ("VPC vpc-… has no internet gateway").
        if self.scheme == Scheme::InternetFacing
            && let Some(vpc) = self.vpc()
            && InternetGatewayNode::attachment_of(check.model, Some(vpc)).is_none()
        {
            check.report(SynthError::NoInternetGateway {
                construct: check.path(&self.id),
                what: "an internet-facing load balancer",
                vpc: check.model.path(vpc),
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let mut nlb = Resource::new("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .property("Type", "network")
            .property(
                "Scheme",
                match self.scheme {
                    Scheme::Internal => "internal",
                    Scheme::InternetFacing => "internet-facing",
                },
            )
            .property(
                "Subnets",
                Value::List(self.subnets.iter().map(Handle::reference).collect()),
            );
        if !self.security_groups.is_empty() {
            nlb = nlb
                .property(
                    "SecurityGroups",
                    Value::List(self.security_groups.iter().map(Handle::reference).collect()),
                )
                .property(
                    "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
                    if self.enforce_on_private_link {
                        "on"
                    } else {
                        "off"
                    },
                );
        }
        if self.dualstack {
            nlb = nlb.property("IpAddressType", "dualstack");
        }
        if let Some(logs) = &self.access_logs {
            nlb = nlb.property("LoadBalancerAttributes", Value::List(logs.attributes()));
        }
        if self.scheme == Scheme::InternetFacing
            && let Some(attachment) = InternetGatewayNode::attachment_of(ctx.model, self.vpc())
        {
            nlb = nlb.depends_on(attachment);
        }
        template.add_resource(
            &*self.id,
            nlb.property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        Pricing::NetworkLoadBalancer
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Box {
            label: "Network Load Balancer",
            shape: "component",
        }
    }
}
