//! Flows to AWS services, over IPv4 and IPv6: a private hosted zone, a gateway endpoint,
//! an interface endpoint, or the default route.

use crate::constructs::gateway_endpoint::GatewayEndpointNode;
use crate::constructs::hosted_zone::PrivateHostedZoneNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::route::TargetNode;
use crate::identity::NodeKey;
use crate::stack::StackDef;

use super::{Context, Outcome, PathKind};

/// A flow to an AWS service that no endpoint has served yet: the subnet's route table, and
/// notes on the endpoints that did not serve it, said after the reason.
struct Search<'s> {
    service: &'s str,
    vpc_path: String,
    /// The subnet's route table, when the app has one.
    table: Option<NodeKey>,
    /// How reports name the table (`Context::table_name`).
    table_name: String,
    notes: Vec<String>,
}

impl Search<'_> {
    /// `base`, then the notes.
    fn reason(&self, base: String) -> String {
        if self.notes.is_empty() {
            base
        } else {
            format!("{base}; {}", self.notes.join("; "))
        }
    }
}

impl Context<'_> {
    /// 2b. A private hosted zone for the service associated with the VPC resolves it to the
    /// zone's endpoint: in this VPC, or in a hub reached over a transit gateway or peering
    /// (the whitepaper's centralized endpoints).
    fn through_zone(&self, vpc: NodeKey, service: &str) -> Option<Outcome> {
        let zone_endpoint = self
            .model
            .zones_of(vpc)
            .find(|(_, z)| z.service(self.model) == Some(service))
            .map(|(_, zone)| zone.endpoint.key);
        let (endpoint_key, endpoint) = match zone_endpoint {
            Some(key) => (key, self.model.get_key::<InterfaceEndpointNode>(key)?),
            None => self.through_profile_endpoint(vpc, service)?,
        };
        let hub = endpoint.vpc.vpc?;
        let hops = if hub == vpc {
            Vec::new()
        } else {
            match self.cross_vpc(vpc, hub, endpoint_key, endpoint) {
                Ok(hops) => hops,
                Err(outcome) => return Some(*outcome),
            }
        };
        let (path, via, _) = match self.admitted(&endpoint.security_groups) {
            Ok(()) => self
                .peering_acceptance(&hops, endpoint_key)
                .unwrap_or_else(|| {
                    self.result(PathKind::InterfaceEndpoint, Some(endpoint_key), None, None)
                }),
            Err(groups) => {
                self.unreachable_by_security_group(endpoint_key, &groups, &endpoint.security_groups)
            }
        };
        Some((path, via, hops))
    }

    /// An interface endpoint with private DNS held by the Route 53 Profile associated with the
    /// VPC: the profile applies the endpoint's private DNS names to the VPC (Route 53
    /// developer guide, "Associate interface VPC endpoints to a Route 53 Profile").
    fn through_profile_endpoint(
        &self,
        vpc: NodeKey,
        service: &str,
    ) -> Option<(NodeKey, &InterfaceEndpointNode)> {
        self.model.profile_resources_of(vpc).find_map(|&key| {
            self.model
                .get_key::<InterfaceEndpointNode>(key)
                .filter(|e| e.private_dns && e.target.aws_name() == Some(service))
                .map(|e| (key, e))
        })
    }

    /// A private hosted zone of the app for `service`'s name, by path. Only asked when a flow
    /// found no zone of its own VPC (a failure path: a walk over the app's constructs).
    fn zone_for(&self, service: &str) -> Option<String> {
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
    fn to_aws_service_ipv6(&self, service: &str, vpc: NodeKey) -> Outcome {
        let mut search = self.search(service, vpc);
        if let Some(outcome) = self.zone_without_aaaa(&search, vpc) {
            return outcome;
        }
        if let Some(outcome) = self.through_gateway_endpoint_ipv6(&mut search, vpc) {
            return outcome;
        }
        if let Some(outcome) = self.through_interface_endpoint_ipv6(&search, vpc) {
            return outcome;
        }
        self.over_ipv6_default_route(&search)
    }

    /// A private hosted zone for the service decides its name in this VPC, and holds an
    /// alias A record only (hosted_zone.rs): no AAAA, so no IPv6 address to connect to.
    fn zone_without_aaaa(&self, search: &Search<'_>, vpc: NodeKey) -> Option<Outcome> {
        let (service, vpc_path) = (search.service, &search.vpc_path);
        let (zone, _) = self
            .model
            .zones_of(vpc)
            .find(|(_, z)| z.service(self.model) == Some(service))?;
        Some(self.result(
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
        ))
    }

    /// A dual-stack gateway endpoint on the subnet's table: AWS routes the service's IPv6
    /// prefix list through it, narrower than ::/0. The other gateway endpoints are noted.
    fn through_gateway_endpoint_ipv6(
        &self,
        search: &mut Search<'_>,
        vpc: NodeKey,
    ) -> Option<Outcome> {
        let gateways = self.gateway_endpoints(vpc, search.service);
        let on_table = |g: &GatewayEndpointNode| {
            search
                .table
                .is_some_and(|table| g.route_tables.iter().any(|t| t.key == table))
        };
        if let Some((key, _)) = gateways
            .iter()
            .find(|(_, g)| g.routes_ipv6() && on_table(g))
        {
            return Some(self.result(PathKind::GatewayEndpoint, Some(*key), None, None));
        }
        let table_name = &search.table_name;
        let notes = gateways.iter().map(|(key, g)| {
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
        });
        let notes: Vec<String> = notes.collect();
        search.notes.extend(notes);
        None
    }

    /// An interface endpoint in the VPC that the workload's name resolves to: it answers over
    /// IPv6, and its security groups admit the workload.
    fn through_interface_endpoint_ipv6(
        &self,
        search: &Search<'_>,
        vpc: NodeKey,
    ) -> Option<Outcome> {
        let service = search.service;
        let private_name = !self.flow.via_endpoint_dns;
        let (key, endpoint) =
            self.model
                .in_vpc::<InterfaceEndpointNode>(vpc)
                .find(|(key, e)| {
                    e.target.aws_name() == Some(service)
                        && e.serves_own_region(self.model.stack(key.stack))
                        && (e.private_dns || !private_name)
                })?;
        Some(match endpoint.answers_ipv6(private_name) {
            Ok(()) => match self.admitted(&endpoint.security_groups) {
                Ok(()) => self.result(PathKind::InterfaceEndpoint, Some(key), None, None),
                Err(groups) => {
                    self.unreachable_by_security_group(key, &groups, &endpoint.security_groups)
                }
            },
            // The endpoint's private zone answers the name: without AAAA there, the client
            // has no IPv6 address to connect to.
            Err((why, fix)) => self.result(
                PathKind::Unreachable,
                Some(key),
                Some(format!(
                    "interface endpoint {} answers {service} over IPv4 only: {why}",
                    self.model.path(key)
                )),
                Some(format!("{fix} (endpoint {})", self.model.path(key))),
            ),
        })
    }

    /// No endpoint serves the flow over IPv6: the subnet table's `::/0` route decides.
    fn over_ipv6_default_route(&self, search: &Search<'_>) -> Outcome {
        let (service, vpc_path, table_name) =
            (search.service, &search.vpc_path, &search.table_name);
        let fix = format!(
            "add an InterfaceEndpoint for {service} in VPC {vpc_path} with IpAddressType dualstack and DNS record IP type dualstack"
        );
        let default_route = search.table.and_then(|table| {
            self.model
                .routes_of(table)
                .find(|r| r.ipv6().is_some_and(|net| net.prefix_len() == 0))
        });
        match default_route.map(|r| &r.target) {
            Some(TargetNode::InternetGateway(gateway))
            | Some(TargetNode::EgressOnlyInternetGateway(gateway)) => self.result(
                PathKind::InternetGateway,
                Some(gateway.key),
                Some(search.reason(format!(
                    "{service} is reached over the internet through {} {}",
                    gateway.kind,
                    gateway.path()
                ))),
                Some(fix),
            ),
            Some(other) => self.result(
                PathKind::Unreachable,
                Some(other.handle().key),
                Some(search.reason(format!(
                    "the ::/0 route goes to {} {}, which carries no traffic to {service}'s public addresses",
                    other.handle().kind,
                    other.handle().path()
                ))),
                Some(fix),
            ),
            None if self.routes_unknown(search.table) => self.result(
                PathKind::Unknown,
                None,
                Some(search.reason(format!(
                    "route table {table_name} is an existing one: its IPv6 routes are unknown"
                ))),
                Some(fix),
            ),
            None => self.result(
                PathKind::Unreachable,
                None,
                Some(search.reason(format!(
                    "no route: route table {table_name} has no IPv6 endpoint for {service} and no ::/0 route"
                ))),
                Some(fix),
            ),
        }
    }

    /// An AWS service over IPv4, in AWS's order: a private hosted zone for it, a gateway
    /// endpoint on the subnet's table, an interface endpoint in the VPC, the default route.
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
        // 0. A private hosted zone for the service associated with the VPC: DNS answers with
        //    its endpoint's private addresses, so not even a gateway endpoint's prefix-list
        //    route applies.
        if let Some(outcome) = self.through_zone(vpc, service) {
            return outcome;
        }
        let mut search = self.search(service, vpc);
        // 1. A gateway endpoint on the subnet's route table: its prefix-list route is more
        //    specific than any default route, so it wins.
        let gateways = self.gateway_endpoints(vpc, service);
        if let Some(table) = search.table
            && let Some((gateway, _)) = gateways
                .iter()
                .find(|(_, g)| g.route_tables.iter().any(|t| t.key == table))
        {
            return self.result(PathKind::GatewayEndpoint, Some(*gateway), None, None);
        }
        search.notes = gateways
            .iter()
            .map(|(key, _)| {
                format!(
                    "gateway endpoint {} is not on route table {}",
                    self.model.path(*key),
                    search.table_name
                )
            })
            .collect();
        // 2. An interface endpoint in the VPC, used through private DNS (or its own DNS name).
        if let Some(outcome) = self.through_interface_endpoint(&mut search, vpc) {
            return outcome;
        }
        // 3. The default route.
        self.over_default_route(search)
    }

    /// An interface endpoint in the VPC for the service, used through private DNS (or its own
    /// DNS name); those with private DNS off are noted.
    fn through_interface_endpoint(&self, search: &mut Search<'_>, vpc: NodeKey) -> Option<Outcome> {
        let service = search.service;
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
            return Some(match self.admitted(&endpoint.security_groups) {
                Ok(()) => self.result(PathKind::InterfaceEndpoint, Some(*key), None, None),
                Err(groups) => {
                    self.unreachable_by_security_group(*key, &groups, &endpoint.security_groups)
                }
            });
        }
        search.notes.extend(interfaces.iter().map(|(key, _)| {
            format!(
                "interface endpoint {} has private DNS off, so clients resolve {service}'s public name",
                self.model.path(*key)
            )
        }));
        None
    }

    /// No endpoint serves the flow: the subnet table's default route decides, and the fix
    /// is the missing zone association or an endpoint.
    fn over_default_route(&self, mut search: Search<'_>) -> Outcome {
        let (service, vpc_path) = (search.service, search.vpc_path.clone());
        // A private hosted zone for the service that this VPC is not associated with: the
        // centralized design's missing step is the association, not another endpoint.
        let unassociated_zone = self.zone_for(service);
        if let Some(zone) = &unassociated_zone {
            search.notes.push(format!(
                "private hosted zone {zone} answers {service}'s name with its endpoint, but VPC \
                 {vpc_path} is not one of its VPCs"
            ));
        }
        // A Route 53 Profile holding that zone, or a private-DNS endpoint for the service:
        // associating the VPC with it works across accounts, where a zone association cannot.
        let profile = self.model.profile_holding(|key| {
            self.model
                .get_key::<PrivateHostedZoneNode>(key)
                .is_some_and(|zone| zone.service(self.model) == Some(service))
                || self
                    .model
                    .get_key::<InterfaceEndpointNode>(key)
                    .is_some_and(|e| e.private_dns && e.target.aws_name() == Some(service))
        });
        if let Some((profile, held)) = profile {
            search.notes.push(format!(
                "Route 53 Profile {} holds {}, but VPC {vpc_path} is not associated with it",
                self.model.path(profile),
                self.model.path(held)
            ));
        }
        let has_gateway = crate::services::lookup(service)
            .is_some_and(crate::services::ServiceInfo::has_gateway_endpoint);
        let fix = match (profile, &unassociated_zone, has_gateway) {
            (Some((profile, _)), _, _) => format!(
                "associate VPC {vpc_path} with Route 53 Profile {} (a ProfileAssociation in the \
                 VPC's stack; the profile shared with its account)",
                self.model.path(profile)
            ),
            (None, Some(zone), _) => {
                format!("add VPC {vpc_path} to private hosted zone {zone}'s VPCs")
            }
            (None, None, true) => format!(
                "add a GatewayEndpoint for {service} on route table {} (free)",
                search.table_name
            ),
            (None, None, false) => {
                format!("add an InterfaceEndpoint for {service} with private DNS in VPC {vpc_path}")
            }
        };
        let default_route = search.table.and_then(|table| {
            self.model
                .routes_of(table)
                .find(|r| r.ipv4().is_some_and(|c| c.is_any()))
        });
        let table_name = &search.table_name;
        match default_route.map(|r| &r.target) {
            Some(target) => {
                let missed = unassociated_zone.is_some() || profile.is_some();
                self.through_default_route(&search, target, missed, fix)
            }
            // An existing table (or an existing subnet's table not declared) may have routes
            // vpcform was not told of: unknown, not unreachable.
            None if self.routes_unknown(search.table) => self.result(
                PathKind::Unknown,
                None,
                Some(search.reason(format!(
                    "route table {table_name} is an existing one: vpcform knows no endpoint for \
                     {service} and no 0.0.0.0/0 route on it, and its other routes are unknown"
                ))),
                Some(fix),
            ),
            None => self.result(
                PathKind::Unreachable,
                None,
                Some(search.reason(format!(
                    "no route: route table {table_name} has no endpoint for {service} and no 0.0.0.0/0 route"
                ))),
                Some(fix),
            ),
        }
    }

    /// Where the 0.0.0.0/0 route to `target` takes a flow to the service's public addresses.
    /// `zone`: a private hosted zone (or a Route 53 Profile) for the service exists, so `fix`
    /// is to join it.
    fn through_default_route(
        &self,
        search: &Search<'_>,
        target: &TargetNode,
        zone: bool,
        fix: String,
    ) -> Outcome {
        let (service, vpc_path) = (search.service, &search.vpc_path);
        match target {
            TargetNode::NatGateway(nat) => self.result(
                PathKind::NatGateway,
                Some(nat.key),
                Some(search.reason(format!("{service} is reached over the internet through the NAT gateway"))),
                Some(fix),
            ),
            TargetNode::InternetGateway(igw) => self.result(
                PathKind::InternetGateway,
                Some(igw.key),
                Some(search.reason(format!("{service} is reached over the internet through the internet gateway"))),
                Some(fix),
            ),
            TargetNode::EgressOnlyInternetGateway(eigw) => self.result(
                PathKind::InternetGateway,
                Some(eigw.key),
                Some(search.reason(format!("{service} is reached over the internet through the egress-only internet gateway"))),
                Some(fix),
            ),
            // A transit gateway's default route table holds the attached VPCs' blocks only
            // (propagation), never the public addresses of an AWS service: the flow is
            // dropped there (Transit Gateway guide, "Route tables"; docs/aws-rules.md §18.3).
            TargetNode::TransitGateway(attachment) => self.result(
                PathKind::Unreachable,
                Some(attachment.key),
                Some(search.reason(format!(
                    "the default route goes to the transit gateway through {}, whose route table \
                     holds only the attached VPCs' blocks, not {service}'s public addresses",
                    attachment.path()
                ))),
                Some(if zone {
                    fix
                } else {
                    format!(
                        "{fix}, or centralize it: an interface endpoint in a hub VPC attached to \
                         the transit gateway, with a private hosted zone for {service} associated \
                         with VPC {vpc_path}"
                    )
                }),
            ),
            // Peering carries only the two VPCs' blocks, never onward to the internet (no
            // edge-to-edge routing: VPC peering guide, docs/aws-rules.md §18.5).
            TargetNode::VpcPeering(peering) => self.result(
                PathKind::Unreachable,
                Some(peering.key),
                Some(search.reason(format!(
                    "the default route goes to peering connection {}, which carries only the \
                     peer VPC's block, not {service}'s public addresses",
                    peering.path()
                ))),
                Some(fix),
            ),
        }
    }

    /// The start of a search for an endpoint in `vpc`: the subnet's route table, no notes.
    fn search<'s>(&self, service: &'s str, vpc: NodeKey) -> Search<'s> {
        let vpc_path = self.model.path(vpc);
        let table = self
            .model
            .route_table_of(self.subnet.key)
            .map(|(key, _)| key);
        let table_name = self.table_name(table, &vpc_path);
        Search {
            service,
            vpc_path,
            table,
            table_name,
            notes: Vec::new(),
        }
    }

    /// The gateway endpoints for `service` in `vpc`.
    fn gateway_endpoints(
        &self,
        vpc: NodeKey,
        service: &str,
    ) -> Vec<(NodeKey, &GatewayEndpointNode)> {
        self.model
            .in_vpc::<GatewayEndpointNode>(vpc)
            .filter(|(_, g)| g.service == service)
            .collect()
    }
}
