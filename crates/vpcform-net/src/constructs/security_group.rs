//! `SecurityGroup`: stateful firewall rules for ENIs (endpoints, load balancers, instances).

use std::sync::Arc;

use indexmap::IndexMap;
use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::vpc::VpcRef;
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, StackMarker, SynthError, VpcMarker};

/// Protocol and ports of a rule.
///
/// ```
/// use vpcform_net::security::Port;
/// let https = Port::tcp(443);
/// let ephemeral = Port::tcp_range(1024, 65535);
/// assert_eq!(https.to_string(), "TCP 443");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Port {
    /// One TCP port.
    Tcp(u16),
    /// A TCP port range, inclusive.
    TcpRange(u16, u16),
    /// One UDP port.
    Udp(u16),
    /// A UDP port range, inclusive.
    UdpRange(u16, u16),
    /// Every protocol and port (`IpProtocol: -1`).
    AllTraffic,
}

impl Port {
    /// One TCP port.
    ///
    /// ```
    /// assert_eq!(vpcform_net::security::Port::tcp(443), vpcform_net::security::Port::Tcp(443));
    /// ```
    pub const fn tcp(port: u16) -> Port {
        Port::Tcp(port)
    }

    /// A TCP port range, inclusive.
    ///
    /// ```
    /// let p = vpcform_net::security::Port::tcp_range(8000, 8080);
    /// ```
    pub const fn tcp_range(from: u16, to: u16) -> Port {
        Port::TcpRange(from, to)
    }

    /// One UDP port.
    ///
    /// ```
    /// let dns = vpcform_net::security::Port::udp(53);
    /// ```
    pub const fn udp(port: u16) -> Port {
        Port::Udp(port)
    }

    /// A UDP port range, inclusive.
    ///
    /// ```
    /// let p = vpcform_net::security::Port::udp_range(1000, 2000);
    /// ```
    pub const fn udp_range(from: u16, to: u16) -> Port {
        Port::UdpRange(from, to)
    }

    /// Every protocol and port.
    ///
    /// ```
    /// let all = vpcform_net::security::Port::all_traffic();
    /// ```
    pub const fn all_traffic() -> Port {
        Port::AllTraffic
    }

    /// Whether this rule port admits all of `other`'s traffic.
    ///
    /// ```
    /// use vpcform_net::security::Port;
    /// assert!(Port::tcp_range(400, 500).covers(&Port::tcp(443)));
    /// assert!(Port::all_traffic().covers(&Port::udp(53)));
    /// assert!(!Port::tcp(443).covers(&Port::udp(443)));
    /// ```
    pub fn covers(&self, other: &Port) -> bool {
        let (protocol, from, to) = self.ec2();
        let (other_protocol, other_from, other_to) = other.ec2();
        protocol == "-1" || (protocol == other_protocol && from <= other_from && other_to <= to)
    }

    /// `(IpProtocol, FromPort, ToPort)` as the EC2 API spells them.
    pub(crate) fn ec2(self) -> (&'static str, i64, i64) {
        match self {
            Port::Tcp(p) => ("tcp", p.into(), p.into()),
            Port::TcpRange(a, b) => ("tcp", a.into(), b.into()),
            Port::Udp(p) => ("udp", p.into(), p.into()),
            Port::UdpRange(a, b) => ("udp", a.into(), b.into()),
            Port::AllTraffic => ("-1", -1, -1),
        }
    }
}

impl std::fmt::Display for Port {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Port::Tcp(p) => write!(f, "TCP {p}"),
            Port::TcpRange(a, b) => write!(f, "TCP {a}-{b}"),
            Port::Udp(p) => write!(f, "UDP {p}"),
            Port::UdpRange(a, b) => write!(f, "UDP {a}-{b}"),
            Port::AllTraffic => write!(f, "all traffic"),
        }
    }
}

/// The other side of a rule: where traffic comes from (ingress) or goes to (egress).
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack S { vpc A } }
/// let consumers: Peer<A> = Peer::ipv4(cidr!("10.0.0.0/16"));
/// let anywhere: Peer<A> = Peer::any_ipv4(); // only ever by writing it
/// ```
pub enum Peer<V> {
    /// An IPv4 block.
    Ipv4(CidrBlock),
    /// An IPv6 block, as text (e.g. `::/0`).
    Ipv6(String),
    /// Members of a security group of the same VPC.
    SecurityGroup(SecurityGroupRef<V>),
    /// A managed prefix list (`pl-…`), such as an AWS service's. Its maximum entries are
    /// unknown: the rules quota counts it as one IPv4 rule, a lower bound (AWS counts it as
    /// the list's maximum entries).
    PrefixList(Value),
    /// A managed prefix list whose address family and maximum entries the program states
    /// ([`Peer::ipv4_prefix_list`], [`Peer::ipv6_prefix_list`]): the rules quota counts it as
    /// that many rules of that family, as AWS does.
    SizedPrefixList(Value, PrefixListSize),
    /// The VPC's own IPv6 block (`Fn::Select [0, Fn::GetAtt [Vpc, Ipv6CidrBlocks]]`): the
    /// IPv6 counterpart of `Peer::ipv4(vpc.cidr())`, for a block AWS chooses at deploy.
    VpcIpv6(super::vpc::VpcRef<V>),
}

impl<V> Peer<V> {
    /// The VPC's IPv6 block, which must be [`Ipv6Block`](crate::vpc::Ipv6Block)-enabled and of this
    /// stack.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").ipv6(vpcform_net::vpc::Ipv6Block::AmazonProvided).build());
    /// let rule = Rule::new(Port::tcp(443), Peer::vpc_ipv6(&vpc));
    /// ```
    pub fn vpc_ipv6(vpc: &super::vpc::VpcRef<V>) -> Peer<V> {
        Peer::VpcIpv6(vpc.clone())
    }

    /// An IPv4 block.
    ///
    /// ```
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// let p = vpcform_net::security::Peer::<A>::ipv4("10.0.0.0/16");
    /// ```
    pub fn ipv4(cidr: impl Into<CidrBlock>) -> Peer<V> {
        Peer::Ipv4(cidr.into())
    }

    /// `0.0.0.0/0`: every IPv4 address. Never a default; write it where you mean it.
    ///
    /// ```
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// let p = vpcform_net::security::Peer::<A>::any_ipv4();
    /// ```
    pub fn any_ipv4() -> Peer<V> {
        Peer::Ipv4(crate::cidr!("0.0.0.0/0").into())
    }

    /// An IPv6 block.
    ///
    /// ```
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// let p = vpcform_net::security::Peer::<A>::ipv6("2001:db8::/32");
    /// ```
    pub fn ipv6(cidr: impl Into<String>) -> Peer<V> {
        Peer::Ipv6(cidr.into())
    }

    /// Members of a security group of the same VPC.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// let clients = stack.add("Clients", SecurityGroup::builder().vpc(&vpc).build());
    /// let peer = Peer::security_group(&clients);
    /// ```
    pub fn security_group(group: &SecurityGroupRef<V>) -> Peer<V> {
        Peer::SecurityGroup(group.clone())
    }

    /// A managed prefix list by ID or value.
    ///
    /// ```
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// let p = vpcform_net::security::Peer::<A>::prefix_list("pl-63a5400a");
    /// ```
    pub fn prefix_list(id: impl Into<Value>) -> Peer<V> {
        Peer::PrefixList(id.into())
    }

    /// A managed prefix list of IPv4 blocks with `max_entries` maximum entries (its
    /// `MaxEntries`; an AWS-managed list's weight): AWS counts a rule naming it as that many
    /// rules toward the rules-per-group quota (VPC user guide, "Security group size"), and so
    /// does vpcform.
    ///
    /// ```
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// let offices = vpcform_net::security::Peer::<A>::ipv4_prefix_list("pl-0123456789abcdef0", 20);
    /// ```
    pub fn ipv4_prefix_list(id: impl Into<Value>, max_entries: u32) -> Peer<V> {
        Peer::SizedPrefixList(
            id.into(),
            PrefixListSize {
                ipv6: false,
                max_entries,
            },
        )
    }

    /// A managed prefix list of IPv6 blocks with `max_entries` maximum entries: counted as
    /// that many IPv6 rules (see [`Peer::ipv4_prefix_list`]).
    ///
    /// ```
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// let offices = vpcform_net::security::Peer::<A>::ipv6_prefix_list("pl-0123456789abcdef0", 20);
    /// ```
    pub fn ipv6_prefix_list(id: impl Into<Value>, max_entries: u32) -> Peer<V> {
        Peer::SizedPrefixList(
            id.into(),
            PrefixListSize {
                ipv6: true,
                max_entries,
            },
        )
    }
}

/// What a program states of a prefix list it names: its address family and maximum entries
/// (see [`Peer::ipv4_prefix_list`]).
///
/// ```
/// # vpcform_net::topology! { stack S { vpc A } }
/// use vpcform_net::security::Peer;
/// assert!(matches!(Peer::<A>::ipv4_prefix_list("pl-1", 20), Peer::SizedPrefixList(..)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrefixListSize {
    pub(crate) ipv6: bool,
    pub(crate) max_entries: u32,
}

/// One security group rule: a port (or range) and a peer.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack S { vpc A } }
/// let rule: Rule<A> = Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16")))
///     .description("HTTPS from VPC A");
/// ```
pub struct Rule<V> {
    port: Port,
    peer: Peer<V>,
    description: Option<String>,
    allow_from_anywhere: bool,
}

impl<V> Rule<V> {
    /// A rule admitting (ingress) or allowing (egress) `port` from or to `peer`.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// let rule = Rule::<A>::new(Port::tcp(443), Peer::ipv4("10.0.0.0/16"));
    /// ```
    pub fn new(port: Port, peer: Peer<V>) -> Rule<V> {
        Rule {
            port,
            peer,
            description: None,
            allow_from_anywhere: false,
        }
    }

    /// Says that an ingress rule from `0.0.0.0/0` or `::/0` is intended. Without it, synthesis
    /// rejects such a rule on the security group of an endpoint or a load balancer.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// let public = Rule::<A>::new(Port::tcp(443), Peer::any_ipv4()).allow_from_anywhere();
    /// ```
    pub fn allow_from_anywhere(mut self) -> Rule<V> {
        self.allow_from_anywhere = true;
        self
    }

    /// Sets the rule's description, shown in the console. Default: what the rule admits, as
    /// CDK writes it — `from 10.0.0.0/16:TCP 443` (ingress), `to …` (egress).
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// let rule = Rule::<A>::new(Port::tcp(443), Peer::ipv4("10.0.0.0/16")).description("why");
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Rule<V> {
        self.description = Some(description.into());
        self
    }

    fn erase(self) -> RuleDef {
        RuleDef {
            port: self.port,
            peer: match self.peer {
                Peer::Ipv4(cidr) => PeerDef::Ipv4(cidr),
                Peer::Ipv6(cidr) => PeerDef::Ipv6(cidr),
                Peer::SecurityGroup(group) => PeerDef::SecurityGroup(group.handle),
                Peer::PrefixList(id) => PeerDef::PrefixList(id, None),
                Peer::SizedPrefixList(id, size) => PeerDef::PrefixList(id, Some(size)),
                Peer::VpcIpv6(vpc) => PeerDef::VpcIpv6(vpc.handle),
            },
            description: self.description,
            allow_from_anywhere: self.allow_from_anywhere,
        }
    }
}

/// A security group (`AWS::EC2::SecurityGroup`) of VPC `V`.
///
/// Secure by default: no inbound rule unless written. Outbound follows AWS's default (all
/// traffic) unless `egress` lists the only rules to allow.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Consumer { vpc VpcA } }
///
/// let mut stack = Stack::<Consumer>::new("Consumer");
/// let vpc = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let endpoint_sg = stack.add(
///     "EndpointSg",
///     SecurityGroup::builder()
///         .vpc(&vpc)
///         .description("Interface endpoint: HTTPS from VPC A")
///         .ingress([Rule::new(Port::tcp(443), Peer::ipv4(cidr!("10.0.0.0/16")))])
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct SecurityGroup<V: VpcMarker> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// `GroupDescription` (cannot change without replacing the group). Default: the construct
    /// path, `Stack/Id` (its first 255 characters).
    #[builder(default, setter(strip_option(fallback = description_opt), into))]
    description: Option<String>,
    /// Inbound rules. Default: none, so nothing gets in.
    #[builder(default, setter(transform = |rules: impl IntoIterator<Item = Rule<V>>| rules.into_iter().collect()))]
    ingress: Vec<Rule<V>>,
    /// Outbound rules: when given, the only traffic allowed out (an empty list allows none).
    /// Default: AWS's own default rule, all traffic to anywhere.
    // Mutators rather than a setter: a transform setter has no `_opt` fallback.
    #[builder(via_mutators(init = None), mutators(
        /// The outbound rules: the only traffic allowed out.
        pub fn egress(&mut self, rules: impl IntoIterator<Item = Rule<V>>) {
            self.egress = Some(rules.into_iter().collect());
        }
        /// As `egress`, given or not (from a config): `None` keeps AWS's default rule.
        pub fn egress_opt(&mut self, rules: Option<Vec<Rule<V>>>) {
            self.egress = rules;
        }
    ))]
    egress: Option<Vec<Rule<V>>>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`SecurityGroup`] added to a stack.
    SecurityGroupRef exports crate::export::SecurityGroupId { existing: bool }
}

impl<V> SecurityGroupRef<V> {
    /// No security groups, said explicitly: for a builder whose security groups are required,
    /// such as [`NetworkLoadBalancer`](crate::privatelink::NetworkLoadBalancer)'s.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # use vpcform_net::security::SecurityGroupRef;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// # let sub = stack.add("Sub", Subnet::builder().vpc(&vpc).cidr("10.0.0.0/24").availability_zone(Az::index(0)).build());
    /// let nlb = stack.add(
    ///     "Nlb",
    ///     NetworkLoadBalancer::builder().subnets([&sub]).security_groups(SecurityGroupRef::none()).build(),
    /// );
    /// ```
    pub fn none() -> [SecurityGroupRef<V>; 0] {
        []
    }

    /// `{"Fn::GetAtt": [id, "GroupId"]}`: the `sg-…` ID (`Ref` gives the same in a VPC).
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// let sg = stack.add("Sg", SecurityGroup::builder().vpc(&vpc).build());
    /// assert_eq!(sg.group_id(), vpcform_net::Value::get_att("Sg", "GroupId"));
    /// ```
    pub fn group_id(&self) -> Value {
        if self.existing {
            // A parameter of type AWS::EC2::SecurityGroup::Id: its value is the ID.
            return self.reference();
        }
        self.handle
            .scoped(Value::get_att(self.logical_id(), "GroupId"))
    }
}

/// Turns `[&sg_a, &sg_b]` into handles: shared by the builders that take security groups.
pub(crate) fn groups<V>(
    groups: impl IntoIterator<Item = impl AsHandle<SecurityGroupRef<V>>>,
) -> Vec<SecurityGroupRef<V>> {
    collect(groups)
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for SecurityGroup<V> {
    type Handle = SecurityGroupRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> SecurityGroupRef<V> {
        // The default, the group's path, stops at GroupDescription's 255 characters.
        let description = self
            .description
            .unwrap_or_else(|| stack.path(&id).chars().take(255).collect());
        SecurityGroupRef::new(
            stack.push(Node::SecurityGroup(SecurityGroupNode {
                tags: self.tags,
                description,
                id,
                vpc: self.vpc.handle,
                ingress: self.ingress.into_iter().map(Rule::erase).collect(),
                egress: self
                    .egress
                    .map(|rules| rules.into_iter().map(Rule::erase).collect()),
                existing: None,
            })),
            false,
        )
    }
}

pub(crate) struct RuleDef {
    pub(crate) port: Port,
    pub(crate) peer: PeerDef,
    pub(crate) description: Option<String>,
    pub(crate) allow_from_anywhere: bool,
}

impl RuleDef {
    /// Whether this ingress rule admits traffic on `port` from the block `source` (all of it)
    /// or from members of `groups`.
    pub(crate) fn admits(&self, source: crate::Ipv4Cidr, groups: &[Handle], port: &Port) -> bool {
        self.port.covers(port)
            && match &self.peer {
                PeerDef::Ipv4(cidr) => cidr.parsed().is_ok_and(|c| c.contains(&source)),
                PeerDef::SecurityGroup(group) => groups.contains(group),
                PeerDef::Ipv6(_) | PeerDef::PrefixList(..) | PeerDef::VpcIpv6(_) => false,
            }
    }

    /// Whether the rule admits IPv6 traffic on `port` from a subnet of VPC `vpc` (or from
    /// members of `groups`): `None` when it names an IPv6 block other than `::/0`, or a prefix
    /// list, which cannot be compared with addresses AWS assigns at deploy.
    pub(crate) fn admits_ipv6(
        &self,
        vpc: Option<crate::identity::NodeKey>,
        groups: &[Handle],
        port: &Port,
    ) -> Option<bool> {
        if !self.port.covers(port) {
            return Some(false);
        }
        match &self.peer {
            PeerDef::Ipv6(_) if self.anywhere().is_some() => Some(true),
            PeerDef::Ipv6(_) => None,
            PeerDef::VpcIpv6(own) => Some(vpc == Some(own.key)),
            PeerDef::SecurityGroup(group) => Some(groups.contains(group)),
            // A customer-managed prefix list may hold IPv6 blocks: not known here.
            PeerDef::PrefixList(..) => None,
            PeerDef::Ipv4(_) => Some(false),
        }
    }

    /// `0.0.0.0/0` or `::/0` when the rule's peer is every address of its family.
    /// The whole address space, in whatever spelling (`0.0.0.0/0`, `::/0`, `0::/0`).
    pub(crate) fn anywhere(&self) -> Option<&'static str> {
        match &self.peer {
            PeerDef::Ipv4(cidr) if cidr.parsed().is_ok_and(|c| c.is_any()) => Some("0.0.0.0/0"),
            // Parsed leniently: `0::/0` is reported as not canonical, and as open here.
            PeerDef::Ipv6(cidr)
                if cidr
                    .parse::<ipnet::Ipv6Net>()
                    .is_ok_and(|net| net.prefix_len() == 0) =>
            {
                Some("::/0")
            }
            _ => None,
        }
    }
}

/// Parses an IPv6 block, refusing host bits and non-canonical text (what is checked must be
/// what is written): `Err` names the canonical form.
pub(crate) fn ipv6(text: &str) -> Result<ipnet::Ipv6Net, String> {
    let net: ipnet::Ipv6Net = text
        .parse()
        .map_err(|_| "expected the form x:x::/n, e.g. 2001:db8::/32".to_string())?;
    if net.trunc() != net {
        return Err(format!(
            "host bits are set after the prefix: write the network address, {}",
            net.trunc()
        ));
    }
    if net.to_string() != text {
        return Err(format!("not in canonical form: write {net}"));
    }
    Ok(net)
}

/// Rules open to the whole internet, unless marked `allow_from_anywhere`: each one spelled
/// as the whole space, and sets of narrower blocks of one group that together cover it
/// (`0.0.0.0/1` + `128.0.0.0/1`). Sorted merge per group: linear in the rules.
pub(crate) fn check_open_ingress(check: &mut Check<'_>, construct: &str, groups: &[Handle]) {
    for group in groups {
        let Some(node) = check.get::<SecurityGroupNode>(group) else {
            continue;
        };
        let mut v4: Vec<(u128, u128)> = Vec::new();
        let mut v6: Vec<(u128, u128)> = Vec::new();
        for rule in &node.ingress {
            if rule.allow_from_anywhere {
                continue;
            }
            if let Some(peer) = rule.anywhere() {
                check.report(SynthError::OpenIngress {
                    construct: check.path(construct),
                    group: group.path(),
                    peer: peer.to_string(),
                    port: rule.port.to_string(),
                });
                continue;
            }
            match &rule.peer {
                PeerDef::Ipv4(cidr) => {
                    if let Ok(c) = cidr.parsed() {
                        v4.push((c.first().into(), c.last().into()));
                    }
                }
                PeerDef::Ipv6(text) => {
                    if let Ok(net) = ipv6(text) {
                        v6.push((u128::from(net.network()), u128::from(net.broadcast())));
                    }
                }
                PeerDef::SecurityGroup(_) | PeerDef::PrefixList(..) | PeerDef::VpcIpv6(_) => {}
            }
        }
        for (blocks, last, whole) in [
            (v4, u128::from(u32::MAX), "0.0.0.0/0"),
            (v6, u128::MAX, "::/0"),
        ] {
            if blocks.len() > 1 && covers_everything(blocks, last) {
                check.report(SynthError::OpenIngress {
                    construct: check.path(construct),
                    group: group.path(),
                    peer: format!("{whole} (in narrower blocks that together cover it)"),
                    port: "its ports".to_string(),
                });
            }
        }
    }
}

/// Whether the blocks `(first, last)` cover every address from 0 to `last`.
fn covers_everything(mut blocks: Vec<(u128, u128)>, last: u128) -> bool {
    blocks.sort_unstable();
    let mut next = 0u128;
    for (first, end) in blocks {
        if first > next {
            return false;
        }
        if end >= last {
            return true;
        }
        next = next.max(end + 1);
    }
    false
}

pub(crate) enum PeerDef {
    Ipv4(CidrBlock),
    Ipv6(String),
    SecurityGroup(Handle),
    /// The list, and its size when the program states it.
    PrefixList(Value, Option<PrefixListSize>),
    VpcIpv6(Handle),
}

pub(crate) struct SecurityGroupNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    description: String,
    pub(crate) ingress: Vec<RuleDef>,
    pub(crate) egress: Option<Vec<RuleDef>>,
    /// Where an existing group's ID comes from; `None` for one this stack creates. An existing
    /// group's rules are unknown.
    pub(crate) existing: Option<super::existing::ExistingId>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl SecurityGroupNode {
    /// An existing group: rules unknown.
    pub(crate) fn existing(
        id: Arc<str>,
        vpc: Handle,
        existing: super::existing::ExistingId,
    ) -> SecurityGroupNode {
        SecurityGroupNode {
            tags: crate::Tags::new(),
            description: String::new(),
            id,
            vpc,
            ingress: Vec::new(),
            egress: None,
            existing: Some(existing),
        }
    }
}

impl RuleDef {
    /// The rule as an entry of `SecurityGroupIngress` or `SecurityGroupEgress`.
    fn render(&self, inbound: bool) -> Value {
        let (protocol, from, to) = self.port.ec2();
        let mut rule = IndexMap::new();
        rule.insert("IpProtocol".to_string(), Value::from(protocol));
        if self.port != Port::AllTraffic {
            rule.insert("FromPort".to_string(), Value::Int(from));
            rule.insert("ToPort".to_string(), Value::Int(to));
        }
        let (key, value) = match (&self.peer, inbound) {
            (PeerDef::Ipv4(cidr), _) => ("CidrIp", Value::from(cidr.text())),
            (PeerDef::Ipv6(cidr), _) => ("CidrIpv6", Value::from(cidr.as_str())),
            (PeerDef::SecurityGroup(group), true) => ("SourceSecurityGroupId", group.reference()),
            (PeerDef::SecurityGroup(group), false) => {
                ("DestinationSecurityGroupId", group.reference())
            }
            (PeerDef::PrefixList(id, _), true) => ("SourcePrefixListId", id.clone()),
            (PeerDef::PrefixList(id, _), false) => ("DestinationPrefixListId", id.clone()),
            (PeerDef::VpcIpv6(vpc), _) => (
                "CidrIpv6",
                Value::select(0, Value::get_att(&*vpc.id, "Ipv6CidrBlocks")),
            ),
        };
        rule.insert(key.to_string(), value);
        let description = match &self.description {
            Some(description) => description.clone(),
            None => self.default_description(inbound),
        };
        rule.insert("Description".to_string(), Value::from(description));
        Value::Map(rule)
    }

    /// What AWS keys the rule by: protocol, ports and peer, as `tcp 443 from 10.0.0.0/16`
    /// (the description is not part of it).
    fn permission(&self, inbound: bool) -> String {
        let (protocol, from, to) = self.port.ec2();
        let ports = match (self.port, from == to) {
            (Port::AllTraffic, _) => "all traffic".to_string(),
            (_, true) => format!("{protocol} {from}"),
            (_, false) => format!("{protocol} {from}-{to}"),
        };
        let peer = match &self.peer {
            PeerDef::Ipv4(cidr) => cidr.text().to_string(),
            PeerDef::Ipv6(cidr) => cidr.clone(),
            PeerDef::SecurityGroup(group) => format!("members of {}", group.path()),
            PeerDef::PrefixList(id, _) => match id.as_str() {
                Some(id) => format!("prefix list {id}"),
                None => format!("prefix list {id:?}"),
            },
            PeerDef::VpcIpv6(vpc) => format!("the IPv6 block of {}", vpc.path()),
        };
        let direction = if inbound { "from" } else { "to" };
        format!("{ports} {direction} {peer}")
    }

    /// A rule without a description gets one, as CDK writes them (`from 10.0.0.0/16:TCP 443`):
    /// the console and security scanners (checkov CKV_AWS_23) expect every rule to say what it
    /// admits. Only characters EC2 allows in rule descriptions (`check_description`).
    fn default_description(&self, inbound: bool) -> String {
        let peer = match &self.peer {
            PeerDef::Ipv4(cidr) => cidr.text().to_string(),
            PeerDef::Ipv6(cidr) => cidr.clone(),
            PeerDef::SecurityGroup(group) => format!("members of {}", group.path()),
            PeerDef::PrefixList(id, _) => match id.as_str() {
                Some(id) => format!("prefix list {id}"),
                None => "a prefix list".to_string(),
            },
            PeerDef::VpcIpv6(vpc) => format!("the IPv6 block of {}", vpc.path()),
        };
        let direction = if inbound { "from" } else { "to" };
        // At most 255 characters (a long stack and group name could pass it).
        format!("{direction} {peer}:{}", self.port)
            .chars()
            .take(255)
            .collect()
    }
}

/// GroupDescription and rule descriptions: at most 255 characters of
/// `a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*` (EC2 CreateSecurityGroup, AuthorizeSecurityGroupIngress).
pub(crate) fn check_description(
    check: &mut Check<'_>,
    construct: &str,
    property: &'static str,
    text: &str,
) {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!$*".contains(c);
    let bad: Option<char> = text.chars().find(|c| !allowed(*c));
    let length = text.chars().count();
    if length > 255 || bad.is_some() {
        // A long value is shown by its start: the message names it, not repeats it.
        let shown: String = if length > 60 {
            text.chars().take(57).chain("...".chars()).collect()
        } else {
            text.to_string()
        };
        check.report(SynthError::InvalidText {
            construct: check.path(construct),
            property,
            value: shown,
            reason: match bad {
                Some(c) => format!("{c:?} is not allowed (allowed: a-z A-Z 0-9 space . _ - : / ( ) # , @ [ ] + = & ; {{ }} ! $ *)"),
                None => format!("{length} characters; at most 255"),
            },
        });
    }
}

fn deny_all_egress() -> Value {
    let mut rule = IndexMap::new();
    rule.insert("IpProtocol".to_string(), Value::from("icmp"));
    rule.insert("FromPort".to_string(), Value::Int(252));
    rule.insert("ToPort".to_string(), Value::Int(86));
    rule.insert("CidrIp".to_string(), Value::from("255.255.255.255/32"));
    rule.insert(
        "Description".to_string(),
        Value::from("Disallow all traffic"),
    );
    Value::Map(rule)
}

impl ConstructNode for SecurityGroupNode {
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
        if let Some(existing) = &self.existing {
            existing.check(
                check,
                &self.id,
                super::existing::ExistingKind::SecurityGroup,
            );
            return;
        }
        check_description(check, &self.id, "GroupDescription", &self.description);
        let rules = self
            .ingress
            .iter()
            .map(|r| ("SecurityGroupIngress", r))
            .chain(
                self.egress
                    .iter()
                    .flatten()
                    .map(|r| ("SecurityGroupEgress", r)),
            );
        // AWS keys a rule by protocol, ports and peer: the same three twice in one direction
        // fail with InvalidPermission.Duplicate, whatever the descriptions.
        let mut seen = std::collections::HashSet::new();
        for (property, rule) in rules {
            let permission = rule.permission(property == "SecurityGroupIngress");
            if !seen.insert((property, permission.clone())) {
                check.report(SynthError::DuplicatePermission {
                    construct: check.path(&self.id),
                    property,
                    permission,
                });
            }
            match &rule.peer {
                PeerDef::Ipv4(cidr) => {
                    check.cidr(&self.id, property, cidr);
                }
                PeerDef::Ipv6(text) => {
                    if let Err(reason) = ipv6(text) {
                        check.report(SynthError::InvalidIpv6Cidr {
                            construct: check.path(&self.id),
                            property,
                            value: text.clone(),
                            reason,
                        });
                    }
                }
                PeerDef::SecurityGroup(group) => {
                    check.handle(&self.id, property, group, self.vpc.vpc)
                }
                PeerDef::PrefixList(..) => {}
                PeerDef::VpcIpv6(vpc) => {
                    check.handle(&self.id, property, vpc, self.vpc.vpc);
                    if check
                        .get::<super::vpc::VpcNode>(vpc)
                        .is_some_and(|v| v.ipv6.is_none())
                    {
                        check.report(SynthError::Ipv6WithoutVpcBlock {
                            construct: check.path(&self.id),
                            vpc: vpc.path(),
                        });
                    }
                }
            }
            // FromPort ≤ ToPort (EC2 AuthorizeSecurityGroupIngress: InvalidParameterValue).
            if let Port::TcpRange(from, to) | Port::UdpRange(from, to) = rule.port
                && from > to
            {
                check.report(SynthError::PortRangeReversed {
                    construct: check.path(&self.id),
                    property,
                    from,
                    to,
                });
            }
            if let Some(description) = &rule.description {
                check_description(check, &self.id, property, description);
            }
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        if let Some(existing) = &self.existing {
            return existing.render(
                ctx,
                template,
                &self.id,
                super::existing::ExistingKind::SecurityGroup,
            );
        }
        let mut group = Resource::new("AWS::EC2::SecurityGroup")
            .property("GroupDescription", self.description.as_str())
            .property("VpcId", self.vpc.reference());
        if !self.ingress.is_empty() {
            group = group.property(
                "SecurityGroupIngress",
                Value::List(self.ingress.iter().map(|r| r.render(true)).collect()),
            );
        }
        if let Some(egress) = &self.egress {
            let rules = if egress.is_empty() {
                // An empty SecurityGroupEgress keeps AWS's allow-all rule; to allow nothing,
                // CDK's technique: one rule matching no real traffic (ICMP type 252, code 86,
                // to 255.255.255.255/32) replaces it.
                vec![deny_all_egress()]
            } else {
                egress.iter().map(|r| r.render(false)).collect()
            };
            group = group.property("SecurityGroupEgress", Value::List(rules));
        }
        // A VPC's Ipv6CidrBlocks is empty until its IPv6 block is associated: a rule naming it
        // waits for the association (as subnets do).
        let mut blocks: Vec<String> = self
            .ingress
            .iter()
            .chain(self.egress.iter().flatten())
            .filter_map(|rule| match &rule.peer {
                PeerDef::VpcIpv6(vpc) => Some(super::vpc::ipv6_block_id(&vpc.id)),
                _ => None,
            })
            .collect();
        blocks.sort();
        blocks.dedup();
        for block in blocks {
            group = group.depends_on(block);
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
        // Drawn through the boxes it guards.
        Drawing::Hidden
    }
}
