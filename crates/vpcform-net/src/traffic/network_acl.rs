//! The network ACLs a flow crosses, both ways: the request out of the workload's subnet and
//! into the server's, the response out of the server's and back in on the client's ephemeral
//! ports. Network ACLs are stateless, so each of those four crossings is filtered on its own
//! (VPC User Guide, "Control subnet traffic with network access control lists").
//!
//! What each rule is compared with:
//! - a subnet of the app: its block (where in it an interface gets its address is AWS's
//!   choice, so a rule covering part of the block decides nothing);
//! - an AWS service behind a gateway endpoint, or the internet: public addresses, which
//!   `0.0.0.0/0` covers and a private block (RFC 1918, RFC 6598) does not; a network ACL
//!   cannot name a prefix list, so any other block is undecided;
//! - IPv6: addresses AWS assigns at deploy, which only `::/0` is known to cover.
//!
//! Over a transit gateway the attachment subnets filter too, as the Transit Gateway guide
//! says ("How network ACLs work with transit gateways"): leaving a VPC, the workload subnet's
//! outbound rules and the attachment subnet's inbound rules; entering one, the attachment
//! subnet's outbound rules and the destination subnet's inbound rules; and when the workload
//! and the attachment share a subnet, leaving it is filtered by both its rule lists and
//! entering it by none. Two interfaces of one subnet talk without crossing its ACL.

use crate::constructs::network_acl::{AclAction, AclBlock, AclEntry, Direction};
use crate::constructs::subnet::SubnetNode;
use crate::constructs::transit_gateway_attachment::TransitGatewayAttachmentNode;
use crate::constructs::vpc::VpcNode;
use crate::identity::NodeKey;
use crate::model::Node;
use crate::{Ipv4Cidr, Port};

use super::{Context, Outcome, PathKind};

/// The ephemeral ports a client's response comes back on, unless its workload says: "to
/// cover the different types of clients that might initiate traffic to public-facing
/// instances in your VPC, you can open ephemeral ports 1024-65535" (VPC User Guide,
/// "Ephemeral ports"; a NAT gateway and Elastic Load Balancing use that range).
pub(crate) const EPHEMERAL_PORTS: (u16, u16) = (1024, 65535);

/// Private blocks no AWS public address is in: RFC 1918's and RFC 6598's shared space.
const PRIVATE: [Ipv4Cidr; 4] = [
    crate::cidr!("10.0.0.0/8"),
    crate::cidr!("172.16.0.0/12"),
    crate::cidr!("192.168.0.0/16"),
    crate::cidr!("100.64.0.0/10"),
];

/// The addresses on the other side of a crossing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Far {
    /// A subnet's block.
    Block(Ipv4Cidr),
    /// Public addresses: an AWS service's, or the internet's.
    Public,
    /// IPv6 addresses assigned at deploy.
    Ipv6,
}

impl Far {
    fn describe(self) -> String {
        match self {
            Far::Block(block) => block.to_string(),
            Far::Public => "the destination's public addresses".into(),
            Far::Ipv6 => "IPv6 addresses AWS assigns at deploy".into(),
        }
    }
}

/// Which half of the exchange a crossing carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Leg {
    Request,
    Response,
    /// The response from the internet to a NAT gateway, on the NAT gateway's own ephemeral
    /// ports ("A NAT gateway uses ports 1024-65535": VPC User Guide, "Ephemeral ports").
    ResponseToNat,
}

/// One filtering: a subnet's ACL, one direction, one half of the exchange.
#[derive(Clone, Copy, Debug)]
struct Crossing {
    subnet: NodeKey,
    direction: Direction,
    far: Far,
    leg: Leg,
}

/// Does a rule match the packets of a crossing: all of them, none, or some.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Match {
    Yes,
    No,
    Some,
}

impl Match {
    fn and(self, other: Match) -> Match {
        match (self, other) {
            (Match::No, _) | (_, Match::No) => Match::No,
            (Match::Yes, Match::Yes) => Match::Yes,
            _ => Match::Some,
        }
    }
}

/// What an ACL's rules do with a crossing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Verdict<'r> {
    Allow,
    /// Denied by a rule, or by the final `*` rule when `None`.
    Deny(Option<&'r AclEntry>),
    /// The first rule that matches only some of the packets, when the rest do not decide
    /// the same way.
    Undecided(&'r AclEntry),
}

/// The rules' verdict, lowest number first, the first match deciding (the VPC User Guide's
/// evaluation order); a rule matching some of the packets decides only when the rules after
/// it decide the rest the same way.
fn evaluate<'r>(rules: &[&'r AclEntry], matches: &dyn Fn(&AclEntry) -> Match) -> Verdict<'r> {
    let Some((first, rest)) = rules.split_first() else {
        return Verdict::Deny(None);
    };
    let decided = match first.action {
        AclAction::Allow => Verdict::Allow,
        AclAction::Deny => Verdict::Deny(Some(first)),
    };
    match matches(first) {
        Match::Yes => decided,
        Match::No => evaluate(rest, matches),
        Match::Some => match (evaluate(rest, matches), first.action) {
            (Verdict::Allow, AclAction::Allow) => Verdict::Allow,
            (Verdict::Deny(_), AclAction::Deny) => decided,
            _ => Verdict::Undecided(first),
        },
    }
}

/// Whether `rule`'s protocol and ports cover `traffic`'s.
fn port_match(rule: Port, traffic: Port) -> Match {
    // `-1` (every protocol) is decided before its ports are compared.
    let (rule_protocol, a, b) = rule.ec2();
    let (protocol, c, d) = traffic.ec2();
    if rule_protocol == "-1" {
        return Match::Yes;
    }
    if protocol == "-1" {
        return Match::Some;
    }
    if rule_protocol != protocol || b < c || d < a {
        Match::No
    } else if a <= c && d <= b {
        Match::Yes
    } else {
        Match::Some
    }
}

/// Whether `rule`'s block covers the far side's addresses.
fn address_match(rule: &AclEntry, far: Far) -> Match {
    match (&rule.block, far) {
        (AclBlock::Ipv6(_), Far::Block(_) | Far::Public) | (AclBlock::Ipv4(_), Far::Ipv6) => {
            Match::No
        }
        (AclBlock::Ipv6(text), Far::Ipv6) => {
            if text
                .parse::<ipnet::Ipv6Net>()
                .is_ok_and(|net| net.prefix_len() == 0)
            {
                Match::Yes
            } else {
                Match::Some
            }
        }
        (AclBlock::Ipv4(cidr), far) => {
            // An unparsable block is reported by the ACL's check.
            let Ok(cidr) = cidr.parsed() else {
                return Match::No;
            };
            match far {
                Far::Block(block) if cidr.contains(&block) => Match::Yes,
                Far::Block(block) if !cidr.overlaps(&block) => Match::No,
                Far::Public if cidr.is_any() => Match::Yes,
                Far::Public if PRIVATE.iter().any(|p| p.contains(&cidr)) => Match::No,
                _ => Match::Some,
            }
        }
    }
}

impl Context<'_> {
    /// The outcome after the network ACLs on its way: unchanged when they let it through
    /// (with the VPCs whose default ACL it relied on), unreachable when one denies it, unknown
    /// when vpcform cannot tell.
    pub(super) fn through_network_acls(&self, outcome: Outcome) -> (Outcome, Vec<NodeKey>) {
        let (path, via, hops) = outcome;
        if matches!(path.path, PathKind::Unknown | PathKind::Unreachable) {
            return ((path, via, hops), Vec::new());
        }
        let Some(crossings) = via.map(|via| self.crossings(via, &hops)) else {
            return ((path, via, hops), Vec::new());
        };
        let mut defaults: Vec<NodeKey> = Vec::new();
        // Every crossing is filtered: a certain deny anywhere on the way is the outcome, before
        // a crossing vpcform cannot decide.
        let mut unknown = None;
        for crossing in &crossings {
            match self.filter(crossing, &mut defaults) {
                Ok(()) => {}
                Err((PathKind::Unknown, reason, fix)) => {
                    unknown.get_or_insert((PathKind::Unknown, reason, fix));
                }
                Err(denied) => {
                    unknown = Some(denied);
                    break;
                }
            }
        }
        match unknown {
            Some((kind, reason, fix)) => {
                let refused = super::SubnetPath {
                    path: kind,
                    reason: Some(reason),
                    fix: Some(fix),
                    ..path
                };
                ((refused, via, hops), defaults)
            }
            None => ((path, via, hops), defaults),
        }
    }

    /// The crossings of the flow's packets through `via` (and `hops` to it), both ways.
    fn crossings(&self, via: NodeKey, hops: &[NodeKey]) -> Vec<Crossing> {
        let own = self.subnet.key;
        let mut crossings = Vec::new();
        match self.model.node(via) {
            Some(
                Node::InterfaceEndpoint(
                    crate::constructs::interface_endpoint::InterfaceEndpointNode {
                        subnets, ..
                    },
                )
                | Node::ResourceEndpoint(
                    crate::constructs::resource_endpoint::ResourceEndpointNode { subnets, .. },
                )
                | Node::ServiceNetworkEndpoint(
                    crate::constructs::service_network_endpoint::ServiceNetworkEndpointNode {
                        subnets,
                        ..
                    },
                ),
            ) => {
                for server in subnets {
                    let Some(server_far) = self.far_of(server.key) else {
                        continue;
                    };
                    let own_far = self.far_of(own).unwrap_or(Far::Ipv6);
                    match hops {
                        // Over a transit gateway: its attachment subnets filter too.
                        [own_attachment, _, hub_attachment] => self.over_attachments(
                            &mut crossings,
                            (*own_attachment, *hub_attachment),
                            server.key,
                            (own_far, server_far),
                        ),
                        // In the VPC, or over a peering connection.
                        _ if server.key == own => {}
                        _ => crossings.extend([
                            self.crossing(own, Direction::Outbound, server_far, Leg::Request),
                            self.crossing(server.key, Direction::Inbound, own_far, Leg::Request),
                            self.crossing(server.key, Direction::Outbound, own_far, Leg::Response),
                            self.crossing(own, Direction::Inbound, server_far, Leg::Response),
                        ]),
                    }
                }
            }
            Some(Node::NatGateway(nat)) => {
                let public = self.public();
                crossings.push(self.crossing(own, Direction::Outbound, public, Leg::Request));
                if nat.subnet.key == own {
                    // The NAT gateway's interface is in this subnet: the internet's answer
                    // comes in on its ports, then reaches the workload inside the subnet.
                    crossings.push(self.crossing(
                        own,
                        Direction::Inbound,
                        public,
                        Leg::ResponseToNat,
                    ));
                    return crossings;
                }
                {
                    let own_far = self.far_of(own).unwrap_or(Far::Ipv6);
                    crossings.extend([
                        self.crossing(nat.subnet.key, Direction::Inbound, own_far, Leg::Request),
                        self.crossing(nat.subnet.key, Direction::Outbound, public, Leg::Request),
                        self.crossing(
                            nat.subnet.key,
                            Direction::Inbound,
                            public,
                            Leg::ResponseToNat,
                        ),
                        self.crossing(nat.subnet.key, Direction::Outbound, own_far, Leg::Response),
                    ]);
                }
                crossings.push(self.crossing(own, Direction::Inbound, public, Leg::Response));
            }
            Some(
                Node::GatewayEndpoint(_)
                | Node::InternetGateway(_)
                | Node::EgressOnlyInternetGateway(_),
            ) => {
                let public = self.public();
                crossings.extend([
                    self.crossing(own, Direction::Outbound, public, Leg::Request),
                    self.crossing(own, Direction::Inbound, public, Leg::Response),
                ]);
            }
            _ => {}
        }
        crossings
    }

    /// Over a transit gateway from this subnet to `server` (a subnet of the hub) and back.
    /// The transit gateway keeps traffic in the zone it entered from: the request crosses the
    /// attachment subnets in the workload's zone, the response those in the server's ("The
    /// response traffic that originates from Availability Zone 2 in VPC B is routed by the
    /// transit gateway to the same Availability Zone in VPC C": Transit Gateway guide,
    /// appliance scenario); every subnet of an attachment when none is in that zone.
    fn over_attachments(
        &self,
        crossings: &mut Vec<Crossing>,
        (own_attachment, hub_attachment): (NodeKey, NodeKey),
        server: NodeKey,
        (own_far, server_far): (Far, Far),
    ) {
        let own = self.subnet.key;
        let zone = |subnet: NodeKey| self.model.get_key::<SubnetNode>(subnet).map(|s| &s.az);
        let (own_zone, server_zone) = (zone(own), zone(server));
        // The request leaving the spoke.
        crossings.push(self.crossing(own, Direction::Outbound, server_far, Leg::Request));
        for spoke in self.attachment_subnets(own_attachment, own_zone) {
            let filter = if spoke == own { own } else { spoke };
            crossings.push(self.crossing(filter, Direction::Inbound, own_far, Leg::Request));
        }
        // Entering the hub: not filtered when the attachment shares the server's subnet.
        for hub in self.attachment_subnets(hub_attachment, own_zone) {
            if hub != server {
                crossings.extend([
                    self.crossing(hub, Direction::Outbound, server_far, Leg::Request),
                    self.crossing(server, Direction::Inbound, own_far, Leg::Request),
                ]);
            }
        }
        // The response leaving the hub.
        crossings.push(self.crossing(server, Direction::Outbound, own_far, Leg::Response));
        for hub in self.attachment_subnets(hub_attachment, server_zone) {
            let filter = if hub == server { server } else { hub };
            crossings.push(self.crossing(filter, Direction::Inbound, server_far, Leg::Response));
        }
        // Entering the spoke.
        for spoke in self.attachment_subnets(own_attachment, server_zone) {
            if spoke != own {
                crossings.extend([
                    self.crossing(spoke, Direction::Outbound, own_far, Leg::Response),
                    self.crossing(own, Direction::Inbound, server_far, Leg::Response),
                ]);
            }
        }
    }

    /// The attachment's subnets in `zone`, else all of them.
    fn attachment_subnets(
        &self,
        attachment: NodeKey,
        zone: Option<&crate::constructs::subnet::Az>,
    ) -> Vec<NodeKey> {
        let Some(node) = self
            .model
            .get_key::<TransitGatewayAttachmentNode>(attachment)
        else {
            return Vec::new();
        };
        let same_zone: Vec<NodeKey> = node
            .subnets
            .iter()
            .filter(|s| {
                self.model
                    .get::<SubnetNode>(s)
                    .is_some_and(|n| Some(&n.az) == zone)
            })
            .map(|s| s.key)
            .collect();
        if same_zone.is_empty() {
            node.subnets.iter().map(|s| s.key).collect()
        } else {
            same_zone
        }
    }

    fn crossing(&self, subnet: NodeKey, direction: Direction, far: Far, leg: Leg) -> Crossing {
        Crossing {
            subnet,
            direction,
            far,
            leg,
        }
    }

    /// A subnet's addresses as a rule sees them.
    fn far_of(&self, subnet: NodeKey) -> Option<Far> {
        if self.flow.ipv6 {
            return Some(Far::Ipv6);
        }
        self.model
            .get_key::<SubnetNode>(subnet)
            .and_then(|s| s.parsed)
            .map(Far::Block)
    }

    fn public(&self) -> Far {
        if self.flow.ipv6 {
            Far::Ipv6
        } else {
            Far::Public
        }
    }

    /// The traffic of a crossing: the flow's port for the request, the workload's ephemeral
    /// ports (in the flow's protocol) for the response.
    fn traffic(&self, leg: Leg) -> Port {
        let (from, to) = match leg {
            Leg::ResponseToNat => EPHEMERAL_PORTS,
            _ => self.workload.ephemeral_ports.unwrap_or(EPHEMERAL_PORTS),
        };
        match (leg, self.flow.port) {
            (Leg::Request, port) => port,
            (_, Port::Udp(_) | Port::UdpRange(..)) => Port::UdpRange(from, to),
            (_, Port::AllTraffic) => Port::AllTraffic,
            (_, Port::Tcp(_) | Port::TcpRange(..)) => Port::TcpRange(from, to),
        }
    }

    /// Whether the ACL of the crossing's subnet lets it through; `Err` is the outcome's kind,
    /// reason and fix. A subnet on its created VPC's default ACL passes, and its VPC is noted.
    fn filter(
        &self,
        crossing: &Crossing,
        defaults: &mut Vec<NodeKey>,
    ) -> Result<(), (PathKind, String, String)> {
        let subnet_path = self.model.path(crossing.subnet);
        let traffic = self.traffic(crossing.leg);
        let leg = match crossing.leg {
            Leg::Request => "request",
            Leg::Response | Leg::ResponseToNat => "response",
        };
        let (side, far) = match crossing.direction {
            Direction::Inbound => ("from", crossing.far.describe()),
            Direction::Outbound => ("to", crossing.far.describe()),
        };
        let what = format!("the {leg} on {traffic} {side} {far}");
        let stated_default = || {
            let subnet = self.model.get_key::<SubnetNode>(crossing.subnet)?;
            // Only a subnet the app creates is known to be on the default ACL.
            subnet.existing.is_none().then_some(())?;
            self.model.default_network_acl_of(subnet.vpc.vpc?)
        };
        let Some((acl_key, acl)) = self
            .model
            .network_acl_of(crossing.subnet)
            .or_else(stated_default)
        else {
            return self.default_acl(crossing.subnet, &subnet_path, defaults);
        };
        let acl_path = self.model.path(acl_key);
        let direction = crossing.direction.label();
        let rules = acl.rules(crossing.direction);
        let verdict = evaluate(&rules, &|rule| {
            port_match(rule.port, traffic).and(address_match(rule, crossing.far))
        });
        let allowing = match crossing.far {
            Far::Public => format!(
                "{traffic} {side} 0.0.0.0/0 (a network ACL cannot name the service's prefix list)"
            ),
            Far::Ipv6 => format!("{traffic} {side} ::/0 (the addresses are assigned at deploy)"),
            Far::Block(_) => format!("{traffic} {side} {far}"),
        };
        match verdict {
            Verdict::Allow => Ok(()),
            Verdict::Deny(Some(rule)) => Err((
                PathKind::Unreachable,
                format!(
                    "network ACL {acl_path} of {subnet_path} denies {what} by {direction} rule {}",
                    rule.describe()
                ),
                if rule.number > 1 {
                    format!(
                        "allow {allowing} in {acl_path}'s {direction} rules with a number below {}, or narrow rule {}",
                        rule.number, rule.number
                    )
                } else {
                    format!(
                        "narrow or renumber {direction} rule 1 of {acl_path}, and allow {allowing} before it"
                    )
                },
            )),
            Verdict::Deny(None) => Err((
                PathKind::Unreachable,
                format!(
                    "no {direction} rule of network ACL {acl_path} of {subnet_path} allows {what}"
                ),
                format!("add an {direction} rule to {acl_path} allowing {allowing}"),
            )),
            Verdict::Undecided(rule) => {
                let fix = match (rule.action, crossing.leg) {
                    (AclAction::Deny, _) => format!(
                        "narrow {direction} rule {} of {acl_path} so that it does not match {allowing}, or allow it with a lower number",
                        rule.number
                    ),
                    (AclAction::Allow, Leg::Response)
                        if self.workload.ephemeral_ports.is_none() =>
                    {
                        format!(
                            "widen the rule to {allowing}, or give the workload its clients' \
                         ephemeral ports (Workload::ephemeral_ports)"
                        )
                    }
                    _ => format!("widen the rule to {allowing}"),
                };
                Err((
                    PathKind::Unknown,
                    format!(
                        "{direction} rule {} of network ACL {acl_path} of {subnet_path} matches \
                         only part of {what}, so some of it may be denied",
                        rule.describe()
                    ),
                    fix,
                ))
            }
        }
    }

    /// A subnet with no network ACL of the app: its VPC's default. A created VPC's allows
    /// everything ("The default network ACL is configured to allow all traffic to flow in
    /// and out of the subnets to which it is associated": VPC User Guide); an existing
    /// subnet's ACL, or an existing VPC's default, is unknown.
    fn default_acl(
        &self,
        subnet: NodeKey,
        subnet_path: &str,
        defaults: &mut Vec<NodeKey>,
    ) -> Result<(), (PathKind, String, String)> {
        let Some(node) = self.model.get_key::<SubnetNode>(subnet) else {
            return Ok(());
        };
        if node.existing.is_some() {
            return Err((
                PathKind::Unknown,
                format!(
                    "the network ACL of existing subnet {subnet_path} is unknown to vpcform, and it may deny the flow"
                ),
                format!(
                    "state its rules with ExistingNetworkAcl (serves {subnet_path}), or associate a NetworkAcl with it"
                ),
            ));
        }
        let Some(vpc) = node.vpc.vpc else {
            return Ok(());
        };
        if self
            .model
            .get_key::<VpcNode>(vpc)
            .is_some_and(|v| v.existing.is_some())
        {
            return Err((
                PathKind::Unknown,
                format!(
                    "{subnet_path} uses the default network ACL of existing VPC {}, whose rules vpcform does not know",
                    self.model.path(vpc)
                ),
                format!(
                    "state that ACL's rules with ExistingNetworkAcl (….default_acl(true)), or associate a NetworkAcl with {subnet_path}"
                ),
            ));
        }
        if !defaults.contains(&vpc) {
            defaults.push(vpc);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cidr;

    fn rule(number: u16, action: AclAction, port: Port, block: &str) -> AclEntry {
        AclEntry {
            number,
            action,
            port,
            block: AclBlock::Ipv4(block.into()),
        }
    }

    fn verdict(rules: &[AclEntry], traffic: Port, far: Far) -> String {
        let refs: Vec<&AclEntry> = rules.iter().collect();
        match evaluate(&refs, &|r| {
            port_match(r.port, traffic).and(address_match(r, far))
        }) {
            Verdict::Allow => "allow".into(),
            Verdict::Deny(Some(r)) => format!("deny {}", r.number),
            Verdict::Deny(None) => "deny *".into(),
            Verdict::Undecided(r) => format!("undecided {}", r.number),
        }
    }

    #[test]
    fn the_first_matching_rule_decides_and_nothing_matched_is_denied() {
        let block = Far::Block(cidr!("10.1.0.0/24"));
        let rules = [
            rule(200, AclAction::Allow, Port::tcp(443), "10.0.0.0/8"),
            rule(100, AclAction::Deny, Port::tcp(443), "10.1.0.0/16"),
        ];
        let mut sorted = rules.clone();
        sorted.sort_by_key(|r| r.number);
        assert_eq!(verdict(&sorted, Port::tcp(443), block), "deny 100");
        assert_eq!(verdict(&sorted[1..], Port::tcp(443), block), "allow");
        assert_eq!(verdict(&sorted[1..], Port::tcp(80), block), "deny *");
        assert_eq!(verdict(&[], Port::tcp(443), block), "deny *");
        // A rule for another block decides nothing: the `*` rule does.
        let elsewhere = rule(100, AclAction::Allow, Port::tcp(443), "10.9.0.0/16");
        assert_eq!(verdict(&[elsewhere], Port::tcp(443), block), "deny *");
    }

    #[test]
    fn a_deny_covering_part_of_the_traffic_decides_when_the_rest_is_denied_too() {
        let block = Far::Block(cidr!("10.1.0.0/24"));
        let part = rule(100, AclAction::Deny, Port::tcp(443), "10.1.0.0/25");
        // Nothing after it allows the rest: denied, by the rule (not undecided).
        assert_eq!(
            verdict(std::slice::from_ref(&part), Port::tcp(443), block),
            "deny 100"
        );
        let all = rule(110, AclAction::Allow, Port::tcp(443), "10.0.0.0/8");
        assert_eq!(
            verdict(&[part, all], Port::tcp(443), block),
            "undecided 100"
        );
    }

    #[test]
    fn a_rule_covering_part_of_the_traffic_decides_only_with_the_rest() {
        let block = Far::Block(cidr!("10.1.0.0/24"));
        let part = rule(100, AclAction::Allow, Port::tcp(443), "10.1.0.0/25");
        let all = rule(110, AclAction::Allow, Port::tcp(443), "10.0.0.0/8");
        assert_eq!(
            verdict(std::slice::from_ref(&part), Port::tcp(443), block),
            "undecided 100"
        );
        assert_eq!(verdict(&[part, all], Port::tcp(443), block), "allow");
        // Ephemeral ports: 32768-65535 is part of 1024-65535.
        let linux = rule(
            100,
            AclAction::Allow,
            Port::tcp_range(32768, 65535),
            "0.0.0.0/0",
        );
        assert_eq!(
            verdict(
                std::slice::from_ref(&linux),
                Port::tcp_range(1024, 65535),
                block
            ),
            "undecided 100"
        );
        assert_eq!(
            verdict(&[linux], Port::tcp_range(32768, 60999), block),
            "allow"
        );
    }

    #[test]
    fn public_addresses_are_covered_by_the_whole_space_and_never_by_a_private_block() {
        let vpc = rule(100, AclAction::Allow, Port::all_traffic(), "10.0.0.0/8");
        let any = rule(110, AclAction::Allow, Port::all_traffic(), "0.0.0.0/0");
        let some = rule(100, AclAction::Allow, Port::all_traffic(), "52.0.0.0/8");
        assert_eq!(
            verdict(std::slice::from_ref(&vpc), Port::tcp(443), Far::Public),
            "deny *"
        );
        assert_eq!(
            verdict(&[vpc, any.clone()], Port::tcp(443), Far::Public),
            "allow"
        );
        assert_eq!(
            verdict(&[some], Port::tcp(443), Far::Public),
            "undecided 100"
        );
        assert_eq!(verdict(&[any], Port::tcp(443), Far::Ipv6), "deny *");
        let v6 = AclEntry::allow_ipv6(100, Port::all_traffic(), "::/0");
        assert_eq!(verdict(&[v6], Port::tcp(443), Far::Ipv6), "allow");
    }

    #[test]
    fn protocols_and_ports_match_as_ranges() {
        assert_eq!(port_match(Port::all_traffic(), Port::udp(53)), Match::Yes);
        assert_eq!(port_match(Port::tcp(443), Port::udp(443)), Match::No);
        assert_eq!(
            port_match(Port::tcp_range(400, 500), Port::tcp(443)),
            Match::Yes
        );
        assert_eq!(
            port_match(Port::tcp(443), Port::tcp_range(400, 500)),
            Match::Some
        );
        assert_eq!(port_match(Port::tcp(443), Port::all_traffic()), Match::Some);
        assert_eq!(port_match(Port::tcp(80), Port::tcp(443)), Match::No);
    }
}
