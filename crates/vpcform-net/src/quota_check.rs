//! AWS's quotas counted at synth against the table in `quotas` (pipeline layer: it reads the
//! built `Model`). Each count is made once per construct, VPC or table from the model's
//! relations, never by scanning the model per construct; one finding per construct over a
//! quota, whatever the number of rules or routes over it.

use std::collections::HashMap;

use crate::SynthError;
use crate::constructs::gateway_endpoint::GatewayEndpointNode;
use crate::constructs::hosted_zone::PrivateHostedZoneNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::network_acl::{Direction, NetworkAclNode};
use crate::constructs::network_load_balancer::NetworkLoadBalancerNode;
use crate::constructs::profile::ProfileNode;
use crate::constructs::route::RouteDestination;
use crate::constructs::route_table::RouteTableNode;
use crate::constructs::security_group::{PeerDef, RuleDef, SecurityGroupNode};
use crate::constructs::subnet::SubnetNode;
use crate::constructs::transit_gateway::TransitGatewayNode;
use crate::constructs::transit_gateway_route_table::TransitGatewayRouteTableNode;
use crate::constructs::vpc::VpcNode;
use crate::constructs::vpc_peering::VpcPeeringNode;
use crate::identity::{NodeKey, StackKey};
use crate::model::{Model, Variant};
use crate::quotas::{Quota, Quotas, RULES_TIMES_GROUPS, row};
use crate::stack::Findings;

/// Counts every stack's constructs against the quotas in force for its stack (the stack's
/// declared quotas over the app's, over AWS's defaults).
pub(crate) fn check(model: &Model<'_>, app: &Quotas, findings: &mut Findings) {
    let in_force = quotas_in_force(model, app);
    let default = Quotas::default();
    let quotas_of = |key: NodeKey| in_force.get(&key.stack).unwrap_or(&default);
    // Peering connections per VPC: both ends count, of every stack; counted in one pass.
    let mut peerings: HashMap<NodeKey, usize> = HashMap::new();
    // Gateway endpoints per account and Region, as the stacks pin them: stacks that pin
    // neither deploy to the same ambient account and Region, and an ambient one is never
    // counted with a pinned one (a lower bound).
    let mut gateway_endpoints: HashMap<(Option<&str>, Option<&str>), usize> = HashMap::new();
    let tgw_routes = transit_gateway_routes(model);
    let endpoint_routes = gateway_endpoint_routes(model);
    for stack in model.stacks {
        let quotas = in_force.get(&stack.key).unwrap_or(&default);
        let rules = quotas.get(Quota::RulesPerSecurityGroup);
        let groups = quotas.get(Quota::SecurityGroupsPerNetworkInterface);
        if u64::from(rules) * u64::from(groups) > u64::from(RULES_TIMES_GROUPS) {
            findings.errors.push(SynthError::QuotaProductTooLarge {
                stack: stack.name.to_string(),
                rules,
                groups,
                product: u64::from(rules) * u64::from(groups),
            });
        }
        for (key, node) in stack.keyed_nodes() {
            let over = |count: usize, counted: &str, quota: Quota| -> Option<SynthError> {
                let limit = quotas.get(quota);
                (count > limit as usize)
                    .then(|| exceeded(model.path(key), counted, count, quota, limit))
            };
            let error = if let Some(group) = SecurityGroupNode::of(node) {
                security_group(group, &over)
            } else if let Some(endpoint) = InterfaceEndpointNode::of(node) {
                over(
                    endpoint.security_groups.len(),
                    "security groups",
                    Quota::SecurityGroupsPerNetworkInterface,
                )
            } else if let Some(nlb) = NetworkLoadBalancerNode::of(node) {
                over(
                    nlb.security_groups.len(),
                    "security groups",
                    Quota::SecurityGroupsPerNetworkInterface,
                )
                .or_else(|| {
                    over(
                        model.listeners_of(key).count(),
                        "listeners",
                        Quota::ListenersPerNetworkLoadBalancer,
                    )
                })
            } else if let Some(acl) = NetworkAclNode::of(node) {
                network_acl(acl, &over)
            } else if RouteTableNode::of(node).is_some() {
                route_table(model, key, &endpoint_routes, &over)
            } else if VpcNode::of(node).is_some() {
                vpc(model, key, quotas, findings);
                vpc_endpoints_and_acls(model, key, &over)
            } else if let Some(zone) = PrivateHostedZoneNode::of(node) {
                over(zone.vpc_count(), "VPCs", Quota::VpcsPerPrivateHostedZone)
            } else if ProfileNode::of(node).is_some() {
                over(
                    model.profile_association_count(key),
                    "VPC associations",
                    Quota::VpcsPerProfile,
                )
            } else if let Some(tgw) = TransitGatewayNode::of(node) {
                transit_gateway(model, key, tgw, &tgw_routes, &over)
            } else if GatewayEndpointNode::of(node).is_some() {
                let count = gateway_endpoints
                    .entry((stack.account.as_deref(), stack.region.as_deref()))
                    .or_default();
                *count += 1;
                // Reported once, on the endpoint one past the quota.
                let limit = quotas.get(Quota::GatewayEndpointsPerRegion);
                (*count == limit as usize + 1).then(|| {
                    exceeded(
                        model.path(key),
                        "gateway endpoints in its account and Region",
                        *count,
                        Quota::GatewayEndpointsPerRegion,
                        limit,
                    )
                })
            } else if let Some(peering) = VpcPeeringNode::of(node) {
                for vpc in [peering.vpc.vpc, peering.peer_vpc()].into_iter().flatten() {
                    *peerings.entry(vpc).or_default() += 1;
                }
                None
            } else {
                None
            };
            findings.errors.extend(error);
        }
    }
    check_peerings(model, peerings, &quotas_of, findings);
}

/// A transit gateway's attachments, its routes across its route tables (with the default
/// route table, each attachment propagates its VPC's block into it: one more route) and its
/// peering attachments (each counts on both its gateways).
fn transit_gateway(
    model: &Model<'_>,
    key: NodeKey,
    tgw: &TransitGatewayNode,
    tgw_routes: &HashMap<NodeKey, usize>,
    over: &dyn Fn(usize, &str, Quota) -> Option<SynthError>,
) -> Option<SynthError> {
    let attachments = model.attachment_count(key);
    let propagated = if tgw.default_route_table {
        attachments
    } else {
        0
    };
    over(
        attachments,
        "attachments",
        Quota::AttachmentsPerTransitGateway,
    )
    .or_else(|| {
        over(
            tgw_routes.get(&key).copied().unwrap_or(0) + propagated,
            "routes across its route tables",
            Quota::RoutesPerTransitGateway,
        )
    })
    .or_else(|| {
        over(
            model.peerings_of(key).len(),
            "peering attachments",
            Quota::PeeringAttachmentsPerTransitGateway,
        )
    })
}

/// Routes per transit gateway, over all its route tables of every stack (AWS counts the
/// routes of a transit gateway's tables together: Transit Gateway quotas, "Total combined
/// routes (dynamic and static) across all route tables for a single transit gateway").
fn transit_gateway_routes(model: &Model<'_>) -> HashMap<NodeKey, usize> {
    let mut routes: HashMap<NodeKey, usize> = HashMap::new();
    for stack in model.stacks {
        for (key, node) in stack.keyed_nodes() {
            if let Some(tgw) =
                TransitGatewayRouteTableNode::of(node).and_then(|t| t.transit_gateway_key())
            {
                *routes.entry(tgw).or_default() += model.tgw_route_count(key);
            }
        }
    }
    routes
}

/// Each stack's quotas in force: its declared quotas over the app's, over AWS's defaults.
fn quotas_in_force(model: &Model<'_>, app: &Quotas) -> HashMap<StackKey, Quotas> {
    model
        .stacks
        .iter()
        .map(|stack| {
            let quotas = stack
                .quotas
                .as_ref()
                .map_or_else(|| app.clone(), |q| q.over(app));
            (stack.key, quotas)
        })
        .collect()
}

/// Peering connections per VPC, counted over every stack (both ends count).
fn check_peerings<'q>(
    model: &Model<'_>,
    peerings: HashMap<NodeKey, usize>,
    quotas_of: &impl Fn(NodeKey) -> &'q Quotas,
    findings: &mut Findings,
) {
    let mut peerings: Vec<(NodeKey, usize)> = peerings.into_iter().collect();
    peerings.sort();
    for (vpc, count) in peerings {
        let limit = quotas_of(vpc).get(Quota::PeeringConnectionsPerVpc);
        if count > limit as usize {
            findings.errors.push(exceeded(
                model.path(vpc),
                "peering connections",
                count,
                Quota::PeeringConnectionsPerVpc,
                limit,
            ));
        }
    }
}

/// Subnets per VPC, with its own code (VF0108, older than the table).
fn vpc(model: &Model<'_>, key: NodeKey, quotas: &Quotas, findings: &mut Findings) {
    let count = model.in_vpc::<SubnetNode>(key).count();
    let quota = quotas.get(Quota::SubnetsPerVpc);
    if count > quota as usize {
        findings.errors.push(SynthError::TooManySubnets {
            vpc: model.path(key),
            count,
            quota,
        });
    }
}

/// A VPC's interface endpoints, and its network ACLs: the created ones and its default one
/// (an existing ACL is stated rules, perhaps the default's: not counted).
fn vpc_endpoints_and_acls(
    model: &Model<'_>,
    key: NodeKey,
    over: &dyn Fn(usize, &str, Quota) -> Option<SynthError>,
) -> Option<SynthError> {
    over(
        model.in_vpc::<InterfaceEndpointNode>(key).count(),
        "interface endpoints",
        Quota::InterfaceEndpointsPerVpc,
    )
    .or_else(|| {
        let created = model
            .in_vpc::<NetworkAclNode>(key)
            .filter(|(_, acl)| !acl.existing)
            .count();
        over(created + 1, "network ACLs", Quota::NetworkAclsPerVpc)
    })
}

/// A created group's rules, inbound and outbound apart and IPv4 and IPv6 apart (the VPC
/// quotas page counts them so): the largest of the four over the quota, as one finding.
fn security_group(
    group: &SecurityGroupNode,
    over: &dyn Fn(usize, &str, Quota) -> Option<SynthError>,
) -> Option<SynthError> {
    // An existing group's rules are unknown.
    if group.existing.is_some() {
        return None;
    }
    let (in4, in6) = families(&group.ingress);
    // No egress given: CloudFormation keeps the one allow-all IPv4 rule.
    let (out4, out6) = group.egress.as_deref().map_or((1, 0), families);
    [
        (in4, "inbound IPv4 rules"),
        (in6, "inbound IPv6 rules"),
        (out4, "outbound IPv4 rules"),
        (out6, "outbound IPv6 rules"),
    ]
    .into_iter()
    .max_by_key(|(count, _)| *count)
    .and_then(|(count, counted)| over(count, counted, Quota::RulesPerSecurityGroup))
}

/// A created network ACL's rules, one way and per family, each with its default deny rule
/// (the VPC quotas page: "This quota includes the default deny rules"): the largest of the
/// four over the quota, as one finding.
fn network_acl(
    acl: &NetworkAclNode,
    over: &dyn Fn(usize, &str, Quota) -> Option<SynthError>,
) -> Option<SynthError> {
    if acl.existing {
        return None;
    }
    let count = |direction: Direction, ipv6: bool| {
        acl.rules(direction)
            .iter()
            .filter(|rule| rule.is_ipv6() == ipv6)
            .count()
            + 1
    };
    [
        (count(Direction::Inbound, false), "inbound IPv4 rules"),
        (count(Direction::Inbound, true), "inbound IPv6 rules"),
        (count(Direction::Outbound, false), "outbound IPv4 rules"),
        (count(Direction::Outbound, true), "outbound IPv6 rules"),
    ]
    .into_iter()
    .max_by_key(|(count, _)| *count)
    .and_then(|(count, counted)| over(count, counted, Quota::RulesPerNetworkAcl))
}

/// IPv4 and IPv6 rules of one direction, as AWS counts them (VPC user guide, "Security group
/// size"): a block or a group is one rule (a group counted as IPv4: AWS does not say which); a
/// prefix list counts as its maximum entries, known when the program states them
/// (`Peer::ipv4_prefix_list`), else as one IPv4 rule (a lower bound).
fn families(rules: &[RuleDef]) -> (usize, usize) {
    rules
        .iter()
        .fold((0, 0), |(v4, v6), rule| match &rule.peer {
            PeerDef::Ipv6(_) | PeerDef::VpcIpv6(_) => (v4, v6 + 1),
            PeerDef::PrefixList(_, Some(size)) if size.ipv6 => (v4, v6 + size.max_entries as usize),
            PeerDef::PrefixList(_, Some(size)) => (v4 + size.max_entries as usize, v6),
            PeerDef::Ipv4(_) | PeerDef::SecurityGroup(_) | PeerDef::PrefixList(_, None) => {
                (v4 + 1, v6)
            }
        })
}

/// The routes a gateway endpoint adds to each of its route tables, IPv4 and IPv6 apart: one
/// per table to its service's prefix list, and one to the IPv6 list when dual-stack. They
/// are not propagated routes, and an AWS-managed list counts as its weight, 1 for S3 and
/// DynamoDB (VPC user guide, "AWS-managed prefix list weight"); S3 Express's weight is not
/// given there and is counted as 1.
fn gateway_endpoint_routes(model: &Model<'_>) -> HashMap<NodeKey, (usize, usize)> {
    let mut routes: HashMap<NodeKey, (usize, usize)> = HashMap::new();
    for stack in model.stacks {
        for (_, node) in stack.keyed_nodes() {
            let Some(endpoint) = GatewayEndpointNode::of(node) else {
                continue;
            };
            for table in &endpoint.route_tables {
                let (v4, v6) = routes.entry(table.key).or_default();
                *v4 += 1;
                *v6 += usize::from(endpoint.routes_ipv6());
            }
        }
    }
    routes
}

/// A route table's routes, IPv4 and IPv6 apart (AWS enforces the quota for each apart): the
/// routes written to it and its gateway endpoints' routes. Propagated routes do not count
/// (the quota is on non-propagated routes), and vpcform writes none.
fn route_table(
    model: &Model<'_>,
    key: NodeKey,
    endpoint_routes: &HashMap<NodeKey, (usize, usize)>,
    over: &dyn Fn(usize, &str, Quota) -> Option<SynthError>,
) -> Option<SynthError> {
    let (v4, v6) = model.routes_of(key).fold(
        endpoint_routes.get(&key).copied().unwrap_or_default(),
        |(v4, v6), route| match route.destination {
            RouteDestination::Ipv4(_) => (v4 + 1, v6),
            RouteDestination::Ipv6(_) => (v4, v6 + 1),
        },
    );
    let (count, counted) = if v6 > v4 {
        (v6, "IPv6 routes")
    } else {
        (v4, "IPv4 routes")
    };
    over(count, counted, Quota::RoutesPerRouteTable)
}

fn exceeded(
    construct: String,
    counted: &str,
    count: usize,
    quota: Quota,
    limit: u32,
) -> SynthError {
    let row = row(quota);
    SynthError::QuotaExceeded {
        construct,
        counted: counted.to_string(),
        count,
        quota: row.name,
        code: row.code.unwrap_or("no quota code"),
        limit,
        split: row.split,
        setter: row.setter,
    }
}
