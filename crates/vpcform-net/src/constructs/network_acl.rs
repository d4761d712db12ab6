//! `NetworkAcl`: a stateless filter on the traffic in and out of its subnets.
//!
//! Facts it rests on (Amazon VPC User Guide, "Control subnet traffic with network access
//! control lists", and its pages on the default and custom network ACLs):
//! - a VPC's default network ACL allows all traffic in and out; a subnet not associated with
//!   another uses it;
//! - a custom network ACL denies all traffic until rules are added: every ACL ends with the
//!   unnumbered `*` rule that denies what no rule matched;
//! - rules are evaluated from the lowest number up, the first match decides; numbers run from
//!   1 to 32766, inbound and outbound apart;
//! - a subnet is associated with one network ACL at a time;
//! - ACLs are stateless: a response is filtered like any packet, on the client's ephemeral
//!   ports.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::subnet::SubnetRef;
use super::vpc::VpcRef;
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, Port, StackMarker, SynthError, VpcMarker};

/// The highest rule number AWS accepts: "Constraints: Positive integer from 1 to 32766"
/// (EC2 API, `CreateNetworkAclEntry` `RuleNumber`).
pub(crate) const MAX_RULE_NUMBER: u16 = 32766;

/// What a network ACL rule does with the traffic it matches (`RuleAction`).
///
/// ```
/// use vpcform_net::security::AclAction;
/// assert_eq!(AclAction::Deny.to_string(), "deny");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AclAction {
    /// `allow`.
    Allow,
    /// `deny`.
    Deny,
}

impl std::fmt::Display for AclAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AclAction::Allow => "allow",
            AclAction::Deny => "deny",
        })
    }
}

/// The addresses a network ACL rule matches: the source of inbound traffic, the destination
/// of outbound traffic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AclBlock {
    /// `CidrBlock`.
    Ipv4(CidrBlock),
    /// `Ipv6CidrBlock`.
    Ipv6(String),
}

/// One numbered rule of a network ACL (`AWS::EC2::NetworkAclEntry`): its number, whether it
/// allows or denies, the protocol and ports it matches (the destination port, inbound and
/// outbound alike), and the block of the other side.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::security::AclEntry;
/// let https = AclEntry::allow(100, Port::tcp(443), cidr!("10.0.0.0/8"));
/// let replies = AclEntry::allow(110, Port::tcp_range(1024, 65535), cidr!("10.0.0.0/8"));
/// let no_telnet = AclEntry::deny(90, Port::tcp(23), cidr!("0.0.0.0/0"));
/// let https_v6 = AclEntry::allow_ipv6(120, Port::tcp(443), "::/0");
/// assert_eq!(https.number(), 100);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AclEntry {
    pub(crate) number: u16,
    pub(crate) action: AclAction,
    pub(crate) port: Port,
    pub(crate) block: AclBlock,
}

impl AclEntry {
    /// A rule allowing `port` from (inbound) or to (outbound) the IPv4 block `cidr`.
    ///
    /// See [`AclEntry`] for an example.
    pub fn allow(number: u16, port: Port, cidr: impl Into<CidrBlock>) -> AclEntry {
        AclEntry::new(number, AclAction::Allow, port, AclBlock::Ipv4(cidr.into()))
    }

    /// A rule denying `port` from (inbound) or to (outbound) the IPv4 block `cidr`.
    ///
    /// See [`AclEntry`] for an example.
    pub fn deny(number: u16, port: Port, cidr: impl Into<CidrBlock>) -> AclEntry {
        AclEntry::new(number, AclAction::Deny, port, AclBlock::Ipv4(cidr.into()))
    }

    /// A rule allowing `port` from or to the IPv6 block `cidr` (`Ipv6CidrBlock`).
    ///
    /// See [`AclEntry`] for an example.
    pub fn allow_ipv6(number: u16, port: Port, cidr: impl Into<String>) -> AclEntry {
        AclEntry::new(number, AclAction::Allow, port, AclBlock::Ipv6(cidr.into()))
    }

    /// A rule denying `port` from or to the IPv6 block `cidr` (`Ipv6CidrBlock`).
    ///
    /// See [`AclEntry`] for an example.
    pub fn deny_ipv6(number: u16, port: Port, cidr: impl Into<String>) -> AclEntry {
        AclEntry::new(number, AclAction::Deny, port, AclBlock::Ipv6(cidr.into()))
    }

    fn new(number: u16, action: AclAction, port: Port, block: AclBlock) -> AclEntry {
        AclEntry {
            number,
            action,
            port,
            block,
        }
    }

    /// Its rule number.
    ///
    /// See [`AclEntry`] for an example.
    pub fn number(&self) -> u16 {
        self.number
    }

    /// Whether it matches IPv6 traffic (an `Ipv6CidrBlock`): AWS counts those rules apart.
    pub(crate) fn is_ipv6(&self) -> bool {
        matches!(self.block, AclBlock::Ipv6(_))
    }

    /// `100 allow TCP 443 10.0.0.0/8`: how findings and reports name the rule.
    pub(crate) fn describe(&self) -> String {
        let block = match &self.block {
            AclBlock::Ipv4(cidr) => cidr.text(),
            AclBlock::Ipv6(cidr) => cidr.as_str(),
        };
        format!("{} {} {} {block}", self.number, self.action, self.port)
    }
}

/// Inbound or outbound: the two rule lists of a network ACL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

/// A network ACL (`AWS::EC2::NetworkAcl`) of VPC `V`, with an `AWS::EC2::NetworkAclEntry`
/// for each rule and an `AWS::EC2::SubnetNetworkAclAssociation` for each subnet.
///
/// A custom network ACL denies what no rule allows, both ways, and it is stateless: a flow
/// needs its request allowed out of the client's subnet and into the server's, and its
/// response allowed out of the server's and back in on the client's ephemeral ports
/// (1024-65535 covers every client AWS lists). The traffic analysis walks both ways through
/// the ACLs of the subnets a flow crosses. A subnet without one of the app's uses its VPC's
/// default network ACL, which allows everything (the traffic report says so).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::security::{AclEntry, NetworkAcl};
/// vpcform_net::topology! { stack Consumer { vpc VpcA } }
///
/// let mut stack = Stack::<Consumer>::new("Consumer");
/// let vpc = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let subnet = stack.add(
///     "PrivateA",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// stack.add(
///     "PrivateAcl",
///     NetworkAcl::builder()
///         .vpc(&vpc)
///         .subnets([&subnet])
///         .inbound([
///             AclEntry::allow(100, Port::tcp(443), cidr!("10.0.0.0/16")),
///             AclEntry::allow(110, Port::tcp_range(1024, 65535), cidr!("0.0.0.0/0")),
///         ])
///         .outbound([
///             AclEntry::allow(100, Port::tcp(443), cidr!("0.0.0.0/0")),
///             AclEntry::allow(110, Port::tcp_range(1024, 65535), cidr!("10.0.0.0/16")),
///         ])
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct NetworkAcl<V: VpcMarker> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// Subnets to associate (`AWS::EC2::SubnetNetworkAclAssociation`; a subnet has one network
    /// ACL, and an existing subnet given here leaves its former one). Default: none, which
    /// leaves the ACL unused.
    #[builder(default, setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    subnets: Vec<SubnetRef<V>>,
    /// Inbound rules (`Egress: false`), matched on the source's block. Default: none, so
    /// everything inbound is denied.
    #[builder(default, setter(transform = |entries: impl IntoIterator<Item = AclEntry>| entries.into_iter().collect()))]
    inbound: Vec<AclEntry>,
    /// Outbound rules (`Egress: true`), matched on the destination's block. Default: none, so
    /// everything outbound is denied.
    #[builder(default, setter(transform = |entries: impl IntoIterator<Item = AclEntry>| entries.into_iter().collect()))]
    outbound: Vec<AclEntry>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`NetworkAcl`] added to a stack.
    NetworkAclRef
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for NetworkAcl<V> {
    type Handle = NetworkAclRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> NetworkAclRef<V> {
        NetworkAclRef::new(stack.push(Node::NetworkAcl(NetworkAclNode {
            id,
            vpc: self.vpc.handle,
            subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
            inbound: self.inbound,
            outbound: self.outbound,
            existing: false,
            vpc_default: false,
            tags: self.tags,
        })))
    }
}

pub(crate) struct NetworkAclNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    /// The subnets associated with it: written as associations for a created ACL, facts for
    /// an existing one.
    pub(crate) subnets: Vec<Handle>,
    pub(crate) inbound: Vec<AclEntry>,
    pub(crate) outbound: Vec<AclEntry>,
    /// An existing ACL, stated by its rules: nothing is written for it.
    pub(crate) existing: bool,
    /// The existing ACL is its VPC's default: the app's subnets without an ACL use it.
    pub(crate) vpc_default: bool,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl NetworkAclNode {
    /// The rules of one direction, in the order AWS evaluates them (lowest number first).
    pub(crate) fn rules(&self, direction: Direction) -> Vec<&AclEntry> {
        let mut rules: Vec<&AclEntry> = match direction {
            Direction::Inbound => self.inbound.iter().collect(),
            Direction::Outbound => self.outbound.iter().collect(),
        };
        rules.sort_by_key(|e| e.number);
        rules
    }

    fn entry_id(&self, direction: Direction, entry: &AclEntry) -> String {
        let direction = match direction {
            Direction::Inbound => "Inbound",
            Direction::Outbound => "Outbound",
        };
        format!("{}{direction}{}", self.id, entry.number)
    }

    fn association_id(&self, subnet: &Handle) -> String {
        format!("{}{}Association", self.id, subnet.id)
    }

    fn check_entries(&self, check: &mut Check<'_>, direction: Direction) {
        let entries = match direction {
            Direction::Inbound => &self.inbound,
            Direction::Outbound => &self.outbound,
        };
        let property = direction.label();
        let mut seen: Vec<u16> = Vec::with_capacity(entries.len());
        for entry in entries {
            // "Constraints: Positive integer from 1 to 32766" (CreateNetworkAclEntry).
            if entry.number == 0 || entry.number > MAX_RULE_NUMBER {
                check.report(SynthError::AclRuleNumberOutOfRange {
                    construct: check.path(&self.id),
                    direction: property,
                    number: entry.number,
                });
            }
            // One rule per number and direction: a second is refused
            // (`NetworkAclEntryAlreadyExists`, EC2 API error codes).
            if seen.contains(&entry.number) {
                check.report(SynthError::AclRuleNumberTaken {
                    construct: check.path(&self.id),
                    direction: property,
                    number: entry.number,
                });
            } else {
                seen.push(entry.number);
            }
            match &entry.block {
                AclBlock::Ipv4(cidr) => {
                    check.cidr(&self.id, property, cidr);
                }
                AclBlock::Ipv6(text) => {
                    if let Err(reason) = super::security_group::ipv6(text) {
                        check.report(SynthError::InvalidText {
                            construct: check.path(&self.id),
                            property,
                            value: text.clone(),
                            reason,
                        });
                    }
                }
            }
            // From ≤ To (PortRange; EC2 CreateNetworkAclEntry: InvalidParameterValue).
            if let Port::TcpRange(from, to) | Port::UdpRange(from, to) = entry.port
                && from > to
            {
                check.report(SynthError::PortRangeReversed {
                    construct: check.path(&self.id),
                    property,
                    from,
                    to,
                });
            }
        }
    }

    fn render_entry(
        &self,
        template: &mut Template,
        direction: Direction,
        entry: &AclEntry,
    ) -> Result<(), TemplateError> {
        // Protocol numbers (IANA): 6 TCP, 17 UDP; -1 every protocol, which takes no ports.
        let (protocol, ports) = match entry.port {
            Port::Tcp(p) => (6, Some((p, p))),
            Port::TcpRange(a, b) => (6, Some((a, b))),
            Port::Udp(p) => (17, Some((p, p))),
            Port::UdpRange(a, b) => (17, Some((a, b))),
            Port::AllTraffic => (-1, None),
        };
        let mut resource = Resource::new("AWS::EC2::NetworkAclEntry")
            .property("NetworkAclId", Value::reference(&*self.id))
            .property("RuleNumber", entry.number)
            .property("Protocol", Value::Int(protocol))
            .property("RuleAction", entry.action.to_string())
            .property("Egress", direction == Direction::Outbound);
        resource = match &entry.block {
            AclBlock::Ipv4(cidr) => resource.property("CidrBlock", cidr.text()),
            AclBlock::Ipv6(cidr) => resource.property("Ipv6CidrBlock", cidr.as_str()),
        };
        if let Some((from, to)) = ports {
            resource = resource.property(
                "PortRange",
                Value::Map(
                    [("From", from), ("To", to)]
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), Value::from(v)))
                        .collect(),
                ),
            );
        }
        template.add_resource(self.entry_id(direction, entry), resource)
    }
}

impl ConstructNode for NetworkAclNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        self.vpc.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        (!self.existing).then_some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        for subnet in &self.subnets {
            relations.network_acl_of.entry(subnet.key).or_insert(key);
        }
        if let (true, Some(vpc)) = (self.vpc_default, self.vpc.vpc) {
            relations.default_network_acl_of.entry(vpc).or_insert(key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
        let property = if self.existing { "serves" } else { "subnets" };
        check.handles(&self.id, property, &self.subnets, self.vpc.vpc);
        // Stated rules of an existing ACL apply to a subnet the app creates only if they are
        // its VPC's default ACL's: nothing associates a created subnet with another one.
        if self.existing && !self.vpc_default {
            for subnet in &self.subnets {
                if check
                    .get::<super::subnet::SubnetNode>(subnet)
                    .is_some_and(|s| s.existing.is_none())
                {
                    check.report(SynthError::ExistingAclOfCreatedSubnet {
                        construct: check.path(&self.id),
                        subnet: subnet.path(),
                    });
                }
            }
        }
        // "a subnet can be associated with only one network ACL at a time" (VPC User Guide,
        // network ACL basics).
        for subnet in &self.subnets {
            if let Some(other) = check.claim(Claim::NetworkAclOf(subnet.key)) {
                check.report(SynthError::NetworkAclAlreadyAssociated {
                    construct: check.path(&self.id),
                    subnet: subnet.path(),
                    other,
                });
            }
        }
        self.check_entries(check, Direction::Inbound);
        self.check_entries(check, Direction::Outbound);
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        if self.existing {
            // Facts for the analysis: the ACL and its associations exist already.
            return Ok(());
        }
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::NetworkAcl")
                .property("VpcId", self.vpc.reference())
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )?;
        for direction in [Direction::Inbound, Direction::Outbound] {
            let mut last = None;
            for entry in self.rules(direction) {
                // A number taken twice is the check's one error (VF0431), not a second one
                // for the logical ID it would repeat.
                if last != Some(entry.number) {
                    self.render_entry(template, direction, entry)?;
                }
                last = Some(entry.number);
            }
        }
        for subnet in &self.subnets {
            template.add_resource(
                self.association_id(subnet),
                Resource::new("AWS::EC2::SubnetNetworkAclAssociation")
                    .property("NetworkAclId", Value::reference(&*self.id))
                    .property("SubnetId", subnet.reference()),
            )?;
        }
        Ok(())
    }

    fn pricing(&self) -> Pricing {
        // Network ACLs are free.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // A filter on subnets, not a hop.
        Drawing::Hidden
    }
}

/// The rules of a network ACL your existing subnets use, as they are: vpcform writes nothing
/// for it, and the traffic analysis filters the flows of the subnets it `serves` through
/// them. An existing subnet whose ACL is not stated (here, or by associating it with a
/// [`NetworkAcl`]) makes its flows UNKNOWN: its ACL may deny them.
///
/// The default network ACL of a VPC that was never changed is
/// `AclEntry::allow(100, Port::all_traffic(), cidr!("0.0.0.0/0"))` both ways (and rule 101
/// for `::/0` with an IPv6 block).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::existing::{ExistingId, ExistingNetworkAcl, ExistingSubnet, ExistingVpc};
/// use vpcform_net::security::AclEntry;
/// vpcform_net::topology! { stack Endpoints { vpc Landing } }
/// let mut stack = Stack::<Endpoints>::new("Endpoints");
/// let vpc = stack.add(
///     "LandingVpc",
///     ExistingVpc::<Landing>::builder().id(ExistingId::parameter()).cidr(cidr!("10.20.0.0/16")).build(),
/// );
/// let a = stack.add(
///     "PrivateA",
///     ExistingSubnet::builder().vpc(&vpc).id(ExistingId::parameter())
///         .cidr(cidr!("10.20.1.0/24")).availability_zone(Az::name("us-east-1a")).build(),
/// );
/// let all = AclEntry::allow(100, Port::all_traffic(), cidr!("0.0.0.0/0"));
/// stack.add(
///     "LandingDefaultAcl",
///     ExistingNetworkAcl::builder().vpc(&vpc).serves([&a])
///         .inbound([all.clone()]).outbound([all]).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ExistingNetworkAcl<V: VpcMarker> {
    /// The VPC it is in. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The existing subnets associated with it, as they are (with `default_acl`, subnets the
    /// app creates need not be listed). Required.
    #[builder(setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    serves: Vec<SubnetRef<V>>,
    /// Its inbound rules, as they are. Default: none (everything inbound denied).
    #[builder(default, setter(transform = |entries: impl IntoIterator<Item = AclEntry>| entries.into_iter().collect()))]
    inbound: Vec<AclEntry>,
    /// Its outbound rules, as they are. Default: none (everything outbound denied).
    #[builder(default, setter(transform = |entries: impl IntoIterator<Item = AclEntry>| entries.into_iter().collect()))]
    outbound: Vec<AclEntry>,
    /// It is the VPC's default network ACL: the subnets the app creates in the VPC without a
    /// [`NetworkAcl`] use it ("If you don't explicitly associate a subnet with a network ACL,
    /// the subnet is automatically associated with the default network ACL": VPC User Guide).
    /// Default: false, and then it serves only existing subnets.
    #[builder(default)]
    default_acl: bool,
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ExistingNetworkAcl<V> {
    type Handle = NetworkAclRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> NetworkAclRef<V> {
        NetworkAclRef::new(stack.push(Node::NetworkAcl(NetworkAclNode {
            id,
            vpc: self.vpc.handle,
            subnets: self.serves.into_iter().map(|s| s.handle).collect(),
            inbound: self.inbound,
            outbound: self.outbound,
            existing: true,
            vpc_default: self.default_acl,
            tags: crate::Tags::new(),
        })))
    }
}
