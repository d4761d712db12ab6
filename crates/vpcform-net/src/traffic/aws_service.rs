//! Flows to AWS services, over IPv4 and IPv6: a private hosted zone, a gateway endpoint,
//! an interface endpoint, or the default route.

use crate::constructs::gateway_endpoint::GatewayEndpointNode;
use crate::constructs::hosted_zone::PrivateHostedZoneNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::route::TargetNode;
use crate::identity::NodeKey;
use crate::stack::StackDef;

use super::{Context, Outcome, PathKind};

impl Context<'_> {
    /// 2b. A private hosted zone for the service associated with the VPC resolves it to the
    /// zone's endpoint: in this VPC, or in a hub reached over a transit gateway or peering
    /// (the whitepaper's centralized endpoints).
    pub(super) fn through_zone(&self, vpc: NodeKey, service: &str) -> Option<Outcome> {
        let (_, zone) = self
            .model
            .zones_of(vpc)
            .find(|(_, z)| z.service(self.model) == Some(service))?;
        let endpoint = self.model.get::<InterfaceEndpointNode>(&zone.endpoint)?;
        let endpoint_key = zone.endpoint.key;
        let hub = zone.endpoint.vpc?;
        let hops = if hub == vpc {
            Vec::new()
        } else {
            match self.cross_vpc(vpc, hub, endpoint_key, endpoint) {
                Ok(hops) => hops,
                Err(outcome) => return Some(*outcome),
            }
        };
        let (path, via, _) = match self.admitted(&endpoint.security_groups) {
            Ok(()) => self.result(PathKind::InterfaceEndpoint, Some(endpoint_key), None, None),
            Err(groups) => {
                self.unreachable_by_security_group(endpoint_key, &groups, &endpoint.security_groups)
            }
        };
        Some((path, via, hops))
    }

    /// A private hosted zone of the app for `service`'s name, by path. Only asked when a flow
    /// found no zone of its own VPC (a failure path: a walk over the app's constructs).
    pub(super) fn zone_for(&self, service: &str) -> Option<String> {
        self.model
            .stacks
            .iter()
            .flat_map(StackDef::keyed_nodes)
            .find(|(key, _)| {
                self.model
                    .get_key::<PrivateHostedZoneNode>(*key)
                    .is_some_and(|zone| zone.service(self.model) == Some(service))
            })
            .map(|(key, _)| self.model.path(key))
    }

    /// An AWS service over IPv6: an interface endpoint in the VPC whose addresses and records
    /// include IPv6, a dual-stack gateway endpoint on the subnet's table, or a `::/0` route to
    /// an internet or egress-only internet gateway. Private hosted zones (alias A records)
    /// answer IPv4 only.
    pub(super) fn to_aws_service_ipv6(&self, service: &str, vpc: NodeKey) -> Outcome {
        let vpc_path = self.model.path(vpc);
        let route_table = self.model.route_table_of(self.subnet.key);
        let table_name = self.table_name(route_table.map(|(key, _)| key), &vpc_path);
        // A private hosted zone for the service decides its name in this VPC, and holds an
        // alias A record only (hosted_zone.rs): no AAAA, so no IPv6 address to connect to.
        if let Some((zone, _)) = self
            .model
            .zones_of(vpc)
            .find(|(_, z)| z.service(self.model) == Some(service))
        {
            return self.result(
                PathKind::Unreachable,
                Some(zone),
                Some(format!(
                    "private hosted zone {} answers {service} with an IPv4 alias (A) record only, \
                     so IPv6 clients get no address",
                    self.model.path(zone)
                )),
                Some(format!(
                    "reach {service} over IPv4, or drop the zone's association with VPC {vpc_path} \
                     and give the VPC its own dual-stack endpoint"
                )),
            );
        }
        let mut notes: Vec<String> = Vec::new();
        // A dual-stack gateway endpoint on the subnet's table: AWS routes the service's IPv6
        // prefix list through it, narrower than ::/0.
        let gateways: Vec<(NodeKey, &GatewayEndpointNode)> = self
            .model
            .in_vpc::<GatewayEndpointNode>(vpc)
            .filter(|(_, g)| g.service == service)
            .collect();
        let on_table = |g: &GatewayEndpointNode| {
            route_table.is_some_and(|(table, _)| g.route_tables.iter().any(|t| t.key == table))
        };
        if let Some((key, _)) = gateways
            .iter()
            .find(|(_, g)| g.routes_ipv6() && on_table(g))
        {
            return self.result(PathKind::GatewayEndpoint, Some(*key), None, None);
        }
        notes.extend(gateways.iter().map(|(key, g)| {
            if g.routes_ipv6() {
                format!(
                    "gateway endpoint {} is not on route table {table_name}",
                    self.model.path(*key)
                )
            } else {
                format!(
                    "gateway endpoint {} routes IPv4 only (give it .ip_address_type(IpAddressType::Dualstack))",
                    self.model.path(*key)
                )
            }
        }));
        let private_name = !self.flow.via_endpoint_dns;
        let endpoint = self
            .model
            .in_vpc::<InterfaceEndpointNode>(vpc)
            .find(|(key, e)| {
                e.target.aws_name() == Some(service)
                    && e.serves_own_region(self.model.stack(key.stack))
                    && (e.private_dns || !private_name)
            });
        if let Some((key, endpoint)) = endpoint {
            return match endpoint.answers_ipv6(private_name) {
                Ok(()) => match self.admitted(&endpoint.security_groups) {
                    Ok(()) => self.result(PathKind::InterfaceEndpoint, Some(key), None, None),
                    Err(groups) => {
                        self.unreachable_by_security_group(key, &groups, &endpoint.security_groups)
                    }
                },
                // The endpoint's private zone answers the name: without AAAA there, the
                // client has no IPv6 address to connect to.
                Err((why, fix)) => self.result(
                    PathKind::Unreachable,
                    Some(key),
                    Some(format!(
                        "interface endpoint {} answers {service} over IPv4 only: {why}",
                        self.model.path(key)
                    )),
                    Some(format!("{fix} (endpoint {})", self.model.path(key))),
                ),
            };
        }
        let fix = format!(
            "add an InterfaceEndpoint for {service} in VPC {vpc_path} with IpAddressType dualstack and DNS record IP type dualstack"
        );
        let reason = |base: String| {
            if notes.is_empty() {
                base
            } else {
                format!("{base}; {}", notes.join("; "))
            }
        };
        let default_route = route_table.and_then(|(table, _)| {
            self.model
                .routes_of(table)
                .find(|r| r.ipv6().is_some_and(|net| net.prefix_len() == 0))
        });
        match default_route.map(|r| &r.target) {
            Some(TargetNode::InternetGateway(gateway))
            | Some(TargetNode::EgressOnlyInternetGateway(gateway)) => self.result(
                PathKind::InternetGateway,
                Some(gateway.key),
                Some(reason(format!(
                    "{service} is reached over the internet through {} {}",
                    gateway.kind,
                    gateway.path()
                ))),
                Some(fix),
            ),
            Some(other) => self.result(
                PathKind::Unreachable,
                Some(other.handle().key),
                Some(reason(format!(
                    "the ::/0 route goes to {} {}, which carries no traffic to {service}'s public addresses",
                    other.handle().kind,
                    other.handle().path()
                ))),
                Some(fix),
            ),
            None if self.routes_unknown(route_table.map(|(key, _)| key)) => self.result(
                PathKind::Unknown,
                None,
                Some(reason(format!(
                    "route table {table_name} is an existing one: its IPv6 routes are unknown"
                ))),
                Some(fix),
            ),
            None => self.result(
                PathKind::Unreachable,
                None,
                Some(reason(format!(
                    "no route: route table {table_name} has no IPv6 endpoint for {service} and no ::/0 route"
                ))),
                Some(fix),
            ),
        }
    }

    pub(super) fn to_aws_service(&self, service: &str) -> Outcome {
        if self.flow.ipv6
            && let Some(vpc) = self.subnet.vpc
        {
            return self.to_aws_service_ipv6(service, vpc);
        }
        let Some(vpc) = self.subnet.vpc else {
            return self.result(
                PathKind::Unreachable,
                None,
                Some("the subnet has no VPC".into()),
                None,
            );
        };
        let vpc_path = self.model.path(vpc);
        let route_table = self.model.route_table_of(self.subnet.key);
        let table_name = self.table_name(route_table.map(|(key, _)| key), &vpc_path);
        let has_gateway = crate::services::lookup(service)
            .is_some_and(crate::services::ServiceInfo::has_gateway_endpoint);
        let gateways: Vec<(NodeKey, &GatewayEndpointNode)> = self
            .model
            .in_vpc::<GatewayEndpointNode>(vpc)
            .filter(|(_, g)| g.service == service)
            .collect();
        // 0. A private hosted zone for the service associated with the VPC: DNS answers with
        //    its endpoint's private addresses, so not even a gateway endpoint's prefix-list
        //    route applies.
        if let Some(outcome) = self.through_zone(vpc, service) {
            return outcome;
        }
        // 1. A gateway endpoint on the subnet's route table: its prefix-list route is more
        //    specific than any default route, so it wins.
        if let Some((table, _)) = route_table
            && let Some((gateway, _)) = gateways
                .iter()
                .find(|(_, g)| g.route_tables.iter().any(|t| t.key == table))
        {
            return self.result(PathKind::GatewayEndpoint, Some(*gateway), None, None);
        }
        let mut notes: Vec<String> = gateways
            .iter()
            .map(|(key, _)| {
                format!(
                    "gateway endpoint {} is not on route table {table_name}",
                    self.model.path(*key)
                )
            })
            .collect();
        // 2. An interface endpoint in the VPC, used through private DNS (or its own DNS name).
        let interfaces: Vec<(NodeKey, &InterfaceEndpointNode)> = self
            .model
            .in_vpc::<InterfaceEndpointNode>(vpc)
            .filter(|(key, e)| {
                e.target.aws_name() == Some(service)
                    && e.serves_own_region(self.model.stack(key.stack))
            })
            .collect();
        if let Some((key, endpoint)) = interfaces
            .iter()
            .find(|(_, e)| e.private_dns || self.flow.via_endpoint_dns)
        {
            return match self.admitted(&endpoint.security_groups) {
                Ok(()) => self.result(PathKind::InterfaceEndpoint, Some(*key), None, None),
                Err(groups) => {
                    self.unreachable_by_security_group(*key, &groups, &endpoint.security_groups)
                }
            };
        }
        notes.extend(interfaces.iter().map(|(key, _)| {
            format!(
                "interface endpoint {} has private DNS off, so clients resolve {service}'s public name",
                self.model.path(*key)
            )
        }));
        // A private hosted zone for the service that this VPC is not associated with: the
        // centralized design's missing step is the association, not another endpoint.
        let unassociated_zone = self.zone_for(service);
        if let Some(zone) = &unassociated_zone {
            notes.push(format!(
                "private hosted zone {zone} answers {service}'s name with its endpoint, but VPC \
                 {vpc_path} is not one of its VPCs"
            ));
        }
        let fix = match (&unassociated_zone, has_gateway) {
            (Some(zone), _) => format!("add VPC {vpc_path} to private hosted zone {zone}'s VPCs"),
            (None, true) => {
                format!("add a GatewayEndpoint for {service} on route table {table_name} (free)")
            }
            (None, false) => {
                format!("add an InterfaceEndpoint for {service} with private DNS in VPC {vpc_path}")
            }
        };
        // 3. The default route.
        let default_route = route_table.and_then(|(table, _)| {
            self.model
                .routes_of(table)
                .find(|r| r.ipv4().is_some_and(|c| c.is_any()))
        });
        let reason = |base: String| {
            if notes.is_empty() {
                base
            } else {
                format!("{base}; {}", notes.join("; "))
            }
        };
        match default_route.map(|r| &r.target) {
            Some(TargetNode::NatGateway(nat)) => self.result(
                PathKind::NatGateway,
                Some(nat.key),
                Some(reason(format!("{service} is reached over the internet through the NAT gateway"))),
                Some(fix),
            ),
            Some(TargetNode::InternetGateway(igw)) => self.result(
                PathKind::InternetGateway,
                Some(igw.key),
                Some(reason(format!("{service} is reached over the internet through the internet gateway"))),
                Some(fix),
            ),
            Some(TargetNode::EgressOnlyInternetGateway(eigw)) => self.result(
                PathKind::InternetGateway,
                Some(eigw.key),
                Some(reason(format!("{service} is reached over the internet through the egress-only internet gateway"))),
                Some(fix),
            ),
            // A transit gateway's default route table holds the attached VPCs' blocks only
            // (propagation), never the public addresses of an AWS service: the flow is
            // dropped there (Transit Gateway guide, "Route tables"; docs/aws-rules.md §18.3).
            Some(TargetNode::TransitGateway(attachment)) => self.result(
                PathKind::Unreachable,
                Some(attachment.key),
                Some(reason(format!(
                    "the default route goes to the transit gateway through {}, whose route table \
                     holds only the attached VPCs' blocks, not {service}'s public addresses",
                    attachment.path()
                ))),
                Some(match &unassociated_zone {
                    Some(_) => fix,
                    None => format!(
                        "{fix}, or centralize it: an interface endpoint in a hub VPC attached to \
                         the transit gateway, with a private hosted zone for {service} associated \
                         with VPC {vpc_path}"
                    ),
                }),
            ),
            // Peering carries only the two VPCs' blocks, never onward to the internet (no
            // edge-to-edge routing: VPC peering guide, docs/aws-rules.md §18.5).
            Some(TargetNode::VpcPeering(peering)) => self.result(
                PathKind::Unreachable,
                Some(peering.key),
                Some(reason(format!(
                    "the default route goes to peering connection {}, which carries only the \
                     peer VPC's block, not {service}'s public addresses",
                    peering.path()
                ))),
                Some(fix),
            ),
            // An existing table (or an existing subnet's table not declared) may have routes
            // vpcform was not told of: unknown, not unreachable.
            None if self.routes_unknown(route_table.map(|(key, _)| key)) => self.result(
                PathKind::Unknown,
                None,
                Some(reason(format!(
                    "route table {table_name} is an existing one: vpcform knows no endpoint for \
                     {service} and no 0.0.0.0/0 route on it, and its other routes are unknown"
                ))),
                Some(fix),
            ),
            None => self.result(
                PathKind::Unreachable,
                None,
                Some(reason(format!(
                    "no route: route table {table_name} has no endpoint for {service} and no 0.0.0.0/0 route"
                ))),
                Some(fix),
            ),
        }
    }
}
