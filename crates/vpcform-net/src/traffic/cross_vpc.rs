//! The way to an endpoint in a hub VPC and back: over a transit gateway or a peering
//! connection, routes both ways.

use crate::Ipv4Cidr;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::route::{RouteNode, TargetNode};
use crate::constructs::subnet::SubnetNode;
use crate::constructs::transit_gateway::TransitGatewayNode;
use crate::constructs::transit_gateway_attachment::TransitGatewayAttachmentNode;
use crate::constructs::transit_gateway_peering::TransitGatewayPeeringNode;
use crate::constructs::vpc_peering::VpcPeeringNode;
use crate::handle::Handle;
use crate::identity::NodeKey;

use super::{Context, Outcome, PathKind};

/// A flow's way over two transit gateways peered.
struct Peered<'a> {
    /// The spoke's attachment, to `tgw`.
    attachment: &'a Handle,
    own: &'a TransitGatewayAttachmentNode,
    tgw: NodeKey,
    /// The peering attachment between `tgw` and `peer_tgw`.
    peering: NodeKey,
    peer_tgw: NodeKey,
    /// The hub's attachment, to `peer_tgw`.
    hub_attachment: NodeKey,
}

/// The hub VPC a flow crosses to, and its interface endpoint.
struct Hub<'e> {
    vpc: NodeKey,
    /// The VPC's path, as reasons and fixes name it.
    path: String,
    endpoint_key: NodeKey,
    endpoint: &'e InterfaceEndpointNode,
}

impl Context<'_> {
    /// The most specific route of `table` whose destination holds `block`.
    fn route_for(&self, table: NodeKey, block: Ipv4Cidr) -> Option<&RouteNode> {
        self.model
            .routes_of(table)
            .filter_map(|r| Some((r.ipv4()?, r)))
            .filter(|(destination, _)| destination.contains(&block))
            .max_by_key(|(destination, _)| destination.prefix_len())
            .map(|(_, r)| r)
    }

    /// A route of `table` more specific than `block` that sends part of it elsewhere than
    /// `chosen` does: its destination and target. Where in a subnet an interface gets its
    /// address is AWS's choice, so a split block is not reliably reachable (VPC route tables
    /// use the most specific route: VPC user guide, "Route priority").
    fn split(
        &self,
        table: NodeKey,
        block: Ipv4Cidr,
        chosen: Option<&RouteNode>,
    ) -> Option<(Ipv4Cidr, String)> {
        let target = chosen.map(|r| r.target.handle().key);
        self.model
            .routes_of(table)
            .filter_map(|r| Some((r.ipv4()?, r)))
            .find(|(destination, r)| {
                destination.prefix_len() > block.prefix_len()
                    && block.contains(destination)
                    && Some(r.target.handle().key) != target
            })
            .map(|(destination, r)| (destination, r.target.handle().path()))
    }

    /// The way from this subnet in `from` to the endpoint's ENIs in `hub` and back: a route
    /// to the hub's endpoint subnets through a transit gateway both VPCs are attached to (an
    /// attachment subnet in this subnet's AZ) or a peering connection between them, and the
    /// hub subnets' routes back. `Err` is the unreachable outcome naming the missing piece.
    pub(super) fn cross_vpc(
        &self,
        from: NodeKey,
        hub: NodeKey,
        endpoint_key: NodeKey,
        endpoint: &InterfaceEndpointNode,
    ) -> Result<Vec<NodeKey>, Box<Outcome>> {
        let hub = Hub {
            vpc: hub,
            path: self.model.path(hub),
            endpoint_key,
            endpoint,
        };
        let Some((table, _)) = self.model.route_table_of(self.subnet.key) else {
            return Err(self.unreachable_at(
                &hub,
                format!(
                    "the subnet has no route table of the app, so no route to {}",
                    hub.path
                ),
                format!(
                    "associate the subnet with a route table that routes {}'s block to the transit gateway or peering connection",
                    hub.path
                ),
            ));
        };
        let connection = self.connection_to(&hub, table)?;
        let (hops, back) = self.hops_over(&hub, from, table, connection)?;
        // The way back: each hub endpoint subnet's table routes this subnet over the same
        // connection (the transit gateway, or the peering connection).
        if let Some(own) = self.cidr() {
            for subnet in &endpoint.subnets {
                self.way_back(&hub, subnet, own, back)?;
            }
        }
        Ok(hops)
    }

    /// The flow cannot reach the hub endpoint: why, and the fix.
    fn unreachable_at(&self, hub: &Hub<'_>, reason: String, fix: String) -> Box<Outcome> {
        Box::new(self.result(
            PathKind::Unreachable,
            Some(hub.endpoint_key),
            Some(reason),
            Some(fix),
        ))
    }

    /// A route missing from `table`. A route missing from an existing table may be one
    /// vpcform was not told of: unknown, not unreachable, as for a flow to an AWS service
    /// (`routes_unknown`).
    fn missing_at(
        &self,
        hub: &Hub<'_>,
        table: NodeKey,
        reason: String,
        fix: String,
    ) -> Box<Outcome> {
        if self.routes_unknown(Some(table)) {
            Box::new(self.result(
                PathKind::Unknown,
                Some(hub.endpoint_key),
                Some(format!(
                    "{reason}; it is an existing route table, whose other routes are unknown"
                )),
                Some(fix),
            ))
        } else {
            self.unreachable_at(hub, reason, fix)
        }
    }

    /// The connection `table` sends every hub endpoint subnet to, whole and the same for
    /// all.
    fn connection_to(&self, hub: &Hub<'_>, table: NodeKey) -> Result<&TargetNode, Box<Outcome>> {
        let table_path = self.model.path(table);
        let hub_path = &hub.path;
        let mut connection: Option<&TargetNode> = None;
        for subnet in &hub.endpoint.subnets {
            let Some(block) = self.model.get::<SubnetNode>(subnet).and_then(|s| s.parsed) else {
                continue;
            };
            let chosen = self.route_for(table, block);
            if let Some((part, target)) = self.split(table, block, chosen) {
                return Err(self.unreachable_at(
                    hub,
                    format!(
                        "route table {table_path} sends {part}, part of hub endpoint subnet \
                         {block}, to {target}, so the endpoint's interface there may be out of reach"
                    ),
                    format!(
                        "route the whole of {block} the same way: remove or widen the route to {part}"
                    ),
                ));
            }
            let Some(route) = chosen else {
                return Err(self.missing_at(
                    hub,
                    table,
                    format!(
                        "route table {table_path} has no route to {block}, where hub endpoint {} has its interface",
                        self.model.path(hub.endpoint_key)
                    ),
                    format!(
                        "add a route to {hub_path}'s block through the VPC's transit gateway attachment or peering connection"
                    ),
                ));
            };
            match connection {
                Some(first) if first.handle().key != route.target.handle().key => {
                    return Err(self.unreachable_at(
                        hub,
                        format!(
                            "route table {table_path} sends the hub endpoint's subnets to different targets"
                        ),
                        format!("route {hub_path}'s whole block through one connection"),
                    ));
                }
                _ => connection = Some(&route.target),
            }
        }
        connection.ok_or_else(|| {
            self.unreachable_at(
                hub,
                format!(
                    "hub endpoint {} has no subnet",
                    self.model.path(hub.endpoint_key)
                ),
                "give the hub endpoint subnets".into(),
            )
        })
    }

    /// Over `connection` from `from` to the hub: the hops crossed, and the key of what the
    /// way back must go through (the transit gateway, or the peering connection).
    fn hops_over(
        &self,
        hub: &Hub<'_>,
        from: NodeKey,
        table: NodeKey,
        connection: &TargetNode,
    ) -> Result<(Vec<NodeKey>, NodeKey), Box<Outcome>> {
        let hub_path = &hub.path;
        match connection {
            TargetNode::TransitGateway(attachment) => self.over_transit_gateway(
                hub.vpc,
                hub.endpoint,
                attachment,
                &|reason, fix| self.unreachable_at(hub, reason, fix),
            ),
            TargetNode::VpcPeering(peering) => {
                let node = self.model.get::<VpcPeeringNode>(peering);
                match node.and_then(|n| n.other_side(self.model, from)) {
                    Some((Some(other), _)) if other == hub.vpc => {
                        Ok((vec![peering.key], peering.key))
                    }
                    _ => Err(self.unreachable_at(
                        hub,
                        format!(
                            "peering connection {} does not connect to {hub_path}",
                            peering.path()
                        ),
                        format!("route {hub_path}'s block through a connection to it"),
                    )),
                }
            }
            TargetNode::NatGateway(gateway)
            | TargetNode::InternetGateway(gateway)
            | TargetNode::EgressOnlyInternetGateway(gateway) => Err(self.unreachable_at(
                hub,
                format!(
                    "route table {} sends the hub endpoint's subnets to {}, not to the hub",
                    self.model.path(table),
                    gateway.path()
                ),
                format!(
                    "route {hub_path}'s block through the VPC's transit gateway attachment or peering connection"
                ),
            )),
        }
    }

    /// The way back from one hub endpoint subnet: its table routes `own` (this subnet's
    /// block) whole over `back`, the connection the flow came through.
    fn way_back(
        &self,
        hub: &Hub<'_>,
        subnet: &Handle,
        own: Ipv4Cidr,
        back: NodeKey,
    ) -> Result<(), Box<Outcome>> {
        let Some((hub_table, _)) = self.model.route_table_of(subnet.key) else {
            return Err(self.unreachable_at(
                hub,
                format!(
                    "hub subnet {} has no route table of the app, so no route back to {own}",
                    subnet.path()
                ),
                format!(
                    "associate {} with a route table that routes {own} back",
                    subnet.path()
                ),
            ));
        };
        let chosen = self.route_for(hub_table, own);
        if let Some((part, target)) = self.split(hub_table, own, chosen) {
            return Err(self.unreachable_at(
                hub,
                format!(
                    "route table {} of hub subnet {} sends {part}, part of {own}, to \
                     {target}, so replies to some of the subnet's addresses go astray",
                    self.model.path(hub_table),
                    subnet.path()
                ),
                format!(
                    "route the whole of {own} back the same way: remove or widen the route to {part}"
                ),
            ));
        }
        let returns = chosen.is_some_and(|r| match &r.target {
            TargetNode::TransitGateway(a) => {
                self.model
                    .get::<TransitGatewayAttachmentNode>(a)
                    .and_then(|a| a.transit_gateway_key())
                    == Some(back)
            }
            TargetNode::VpcPeering(p) => p.key == back,
            TargetNode::NatGateway(_)
            | TargetNode::InternetGateway(_)
            | TargetNode::EgressOnlyInternetGateway(_) => false,
        });
        if returns {
            return Ok(());
        }
        let reason = format!(
            "no way back: route table {} of hub subnet {} has no route to {own} over the same connection",
            self.model.path(hub_table),
            subnet.path()
        );
        // The route covers every subnet the flows come from (the VPC's block, the spokes'
        // summary), not just this one.
        let rest = format!(" to {}", self.model.path(hub_table));
        let fix = self
            .fix_for_sources("add a route to", rest.clone())
            .unwrap_or_else(|| format!("add a route to {own}{rest}"));
        // No known route back may be an unknown one; a known route elsewhere sends the
        // replies astray whatever else the table holds.
        Err(match chosen {
            None => self.missing_at(hub, hub_table, reason, fix),
            Some(_) => self.unreachable_at(hub, reason, fix),
        })
    }

    /// Over a transit gateway: both VPCs attached to it, its default route table on, an
    /// attachment subnet in this subnet's AZ. Returns the hops and the transit gateway's key.
    fn over_transit_gateway(
        &self,
        hub: NodeKey,
        endpoint: &InterfaceEndpointNode,
        attachment: &Handle,
        unreachable: &dyn Fn(String, String) -> Box<Outcome>,
    ) -> Result<(Vec<NodeKey>, NodeKey), Box<Outcome>> {
        let hub_path = self.model.path(hub);
        let Some(own) = self.model.get::<TransitGatewayAttachmentNode>(attachment) else {
            return Err(unreachable(
                format!("attachment {} is not in the app", attachment.path()),
                "attach the VPC to the transit gateway".into(),
            ));
        };
        let Some(tgw) = own.transit_gateway_key() else {
            return Err(unreachable(
                format!(
                    "the transit gateway of {} is not in the app",
                    attachment.path()
                ),
                "import the transit gateway's ID from the stack that creates it".into(),
            ));
        };
        let tgw_path = self.model.path(tgw);
        let default_route_table = self
            .model
            .get_key::<TransitGatewayNode>(tgw)
            .is_none_or(|t| t.default_route_table);
        let (hub_attachment, hops, back) = match self.model.attachment_of(tgw, hub) {
            Some(hub_attachment) => {
                // Route tables of one's own (default off): the spoke's table must send the
                // hub endpoint's subnets to the hub attachment, the hub's table this subnet
                // back.
                if !default_route_table {
                    self.through_tgw_tables(
                        attachment,
                        own,
                        hub_attachment,
                        &endpoint.subnets,
                        unreachable,
                    )?;
                }
                (hub_attachment, vec![attachment.key, tgw], tgw)
            }
            None => match self.peered_hub(tgw, hub) {
                Some((peering, peer_tgw, hub_attachment)) => {
                    self.through_peering(
                        &Peered {
                            attachment,
                            own,
                            tgw,
                            peering,
                            peer_tgw,
                            hub_attachment,
                        },
                        &endpoint.subnets,
                        unreachable,
                    )?;
                    (
                        hub_attachment,
                        vec![attachment.key, tgw, peering, peer_tgw],
                        peer_tgw,
                    )
                }
                None => {
                    return Err(unreachable(
                        format!("{hub_path} is not attached to transit gateway {tgw_path}"),
                        format!("add a TransitGatewayAttachment of {hub_path} to {tgw_path}"),
                    ));
                }
            },
        };
        // "traffic is forwarded to the transit gateway only when the transit gateway has an
        // attachment in a subnet in the same Availability Zone" (Transit Gateway guide, VPC
        // attachments; docs/aws-rules.md §18.2): this subnet's AZ on the way there, each of the
        // endpoint's AZs on the way back.
        if let Some(subnet) = self.model.get::<SubnetNode>(self.subnet)
            && let Some(missing) = self.uncovered(&own.subnets, [&subnet.az])
        {
            return Err(unreachable(
                format!(
                    "attachment {} has no subnet in {missing}, so the transit gateway does not take this subnet's traffic",
                    attachment.path()
                ),
                format!("add a subnet in {missing} to {}", attachment.path()),
            ));
        }
        if let Some(hub_node) = self
            .model
            .get_key::<TransitGatewayAttachmentNode>(hub_attachment)
        {
            let endpoint_azs: Vec<&crate::Az> = endpoint
                .subnets
                .iter()
                .filter_map(|s| self.model.get::<SubnetNode>(s).map(|n| &n.az))
                .collect();
            if let Some(missing) = self.uncovered(&hub_node.subnets, endpoint_azs) {
                let hub_path = self.model.path(hub_attachment);
                return Err(unreachable(
                    format!(
                        "hub attachment {hub_path} has no subnet in {missing}, where the endpoint has an interface, so its answers cannot return"
                    ),
                    format!("add a subnet in {missing} to {hub_path}"),
                ));
            }
        }
        let mut hops = hops;
        hops.push(hub_attachment);
        Ok((hops, back))
    }

    /// A transit gateway peered with `tgw` that `hub` is attached to: the peering attachment,
    /// that transit gateway and the hub's attachment to it (the first peering that has one).
    fn peered_hub(&self, tgw: NodeKey, hub: NodeKey) -> Option<(NodeKey, NodeKey, NodeKey)> {
        self.model.peerings_of(tgw).iter().find_map(|&peering| {
            let other = self
                .model
                .get_key::<TransitGatewayPeeringNode>(peering)?
                .other_side(tgw)?;
            Some((peering, other, self.model.attachment_of(other, hub)?))
        })
    }

    /// Over two transit gateways peered: peering attachments carry static routes only
    /// (Transit Gateway guide, "Transit gateway peering attachments": "add a static route to
    /// the transit gateway route table that points to the transit gateway peering
    /// attachment", on both sides). There: the spoke attachment's table sends each hub
    /// endpoint subnet to the peering, the peering's table on the far side to the hub
    /// attachment; back: the hub attachment's table sends this subnet to the peering, the
    /// peering's table on this side to the spoke attachment.
    fn through_peering(
        &self,
        peered: &Peered<'_>,
        endpoint_subnets: &[Handle],
        unreachable: &dyn Fn(String, String) -> Box<Outcome>,
    ) -> Result<(), Box<Outcome>> {
        let peering_path = self.model.path(peered.peering);
        let spoke_table = self
            .model
            .attachment_table(peered.attachment.key, peered.own);
        let far_table = self
            .model
            .peering_association(peered.peering, peered.peer_tgw);
        let near_table = self.model.peering_association(peered.peering, peered.tgw);
        let hub_table = self
            .model
            .get_key::<TransitGatewayAttachmentNode>(peered.hub_attachment)
            .and_then(|a| self.model.attachment_table(peered.hub_attachment, a));
        let spoke = format!("attachment {}", peered.attachment.path());
        let far = format!(
            "peering {peering_path} on {}'s side",
            self.model.path(peered.peer_tgw)
        );
        let near = format!(
            "peering {peering_path} on {}'s side",
            self.model.path(peered.tgw)
        );
        let hub = format!("hub attachment {}", self.model.path(peered.hub_attachment));
        for subnet in endpoint_subnets {
            if let Some(block) = self.model.get::<SubnetNode>(subnet).and_then(|s| s.parsed) {
                self.static_leg(spoke_table, &spoke, block, peered.peering, unreachable)?;
                self.static_leg(far_table, &far, block, peered.hub_attachment, unreachable)?;
            }
        }
        if let Some(block) = self.cidr() {
            self.static_leg(hub_table, &hub, block, peered.peering, unreachable)?;
            self.static_leg(near_table, &near, block, peered.attachment.key, unreachable)?;
        }
        Ok(())
    }

    /// One leg over a peering: `table` (the route table of `owner`, the attachment whose
    /// traffic it routes) sends `block` to the attachment `to`.
    fn static_leg(
        &self,
        table: Option<NodeKey>,
        owner: &str,
        block: Ipv4Cidr,
        to: NodeKey,
        unreachable: &dyn Fn(String, String) -> Box<Outcome>,
    ) -> Result<(), Box<Outcome>> {
        let to_path = self.model.path(to);
        let Some(table) = table else {
            return Err(unreachable(
                format!(
                    "{owner} is associated with no transit gateway route table of the app, so nothing routes {block} over the peering (peering attachments take static routes only)"
                ),
                format!(
                    "associate {owner} with a route table of its own (default_route_table off) that has a TransitGatewayRoute for {block} to {to_path}"
                ),
            ));
        };
        let table_path = self.model.path(table);
        match self.model.tgw_route(table, block) {
            Some(crate::model::TransitGatewayHop::Attachment(a)) if a == to => Ok(()),
            Some(crate::model::TransitGatewayHop::Attachment(a)) => Err(unreachable(
                format!(
                    "transit gateway route table {table_path} of {owner} sends {block} to {}, not {to_path}",
                    self.model.path(a)
                ),
                format!("route {block} to {to_path} in {table_path}"),
            )),
            Some(crate::model::TransitGatewayHop::Blackhole) => Err(unreachable(
                format!("transit gateway route table {table_path} of {owner} blackholes {block}"),
                format!("remove the blackhole route or add a more specific one to {to_path}"),
            )),
            None => Err(unreachable(
                format!(
                    "transit gateway route table {table_path} of {owner} has no route to {block}"
                ),
                format!("add a TransitGatewayRoute for {block} to {to_path} in {table_path}"),
            )),
        }
    }

    /// A flow whose hops cross a transit gateway peering: `pendingAcceptance` until the
    /// accepter's owner accepts it in the accepter's region, "even if both transit gateways
    /// are in the same account" (Transit Gateway guide, "Transit gateway peering
    /// attachments"); private once accepted. `None` when no hop is a peering.
    pub(super) fn peering_acceptance(
        &self,
        hops: &[NodeKey],
        endpoint_key: NodeKey,
    ) -> Option<Outcome> {
        let (peering, node) = hops.iter().find_map(|&hop| {
            self.model
                .get_key::<TransitGatewayPeeringNode>(hop)
                .map(|node| (hop, node))
        })?;
        let path = self.model.path(peering);
        let accepter = node
            .accepter()
            .map_or_else(|| "its accepter".to_string(), |tgw| self.model.path(tgw));
        let region = node
            .accepter_region(self.model)
            .map_or_else(|| "<the accepter's region>".to_string(), str::to_string);
        Some(self.result(
            PathKind::PendingAcceptance,
            Some(endpoint_key),
            Some(format!(
                "transit gateway peering {path} stays pendingAcceptance, and carries nothing, \
                 until {accepter}'s owner accepts it"
            )),
            Some(match node.accepter() {
                // Both sides are the app's: the deployer's step accepts it (`steps.rs`).
                Some(_) => format!(
                    "deploy: step {} accepts it in {accepter}'s account and region after stack \
                     {} (by hand: aws ec2 accept-transit-gateway-peering-attachment \
                     --transit-gateway-attachment-id <{path}'s attachment ID> --region {region})",
                    crate::model::acceptance_step(self.model, peering),
                    self.model
                        .stack(peering.stack)
                        .map_or_else(String::new, |s| s.name.to_string()),
                ),
                None => format!(
                    "after deploy, accept it in the accepter's account: aws ec2 \
                     accept-transit-gateway-peering-attachment --transit-gateway-attachment-id \
                     <{path}'s attachment ID> --region {region}"
                ),
            }),
        ))
    }

    /// Over a transit gateway with route tables of its own: each attachment's associated
    /// table routes the other side's blocks to the other attachment.
    fn through_tgw_tables(
        &self,
        attachment: &Handle,
        own: &TransitGatewayAttachmentNode,
        hub_attachment: NodeKey,
        endpoint_subnets: &[Handle],
        unreachable: &dyn Fn(String, String) -> Box<Outcome>,
    ) -> Result<(), Box<Outcome>> {
        for subnet in endpoint_subnets {
            if let Some(block) = self.model.get::<SubnetNode>(subnet).and_then(|s| s.parsed) {
                self.tgw_leg(attachment, own, hub_attachment, block, unreachable)?;
            }
        }
        if let (Some(block), Some(hub_node)) = (
            self.cidr(),
            self.model
                .get_key::<TransitGatewayAttachmentNode>(hub_attachment),
        ) {
            self.tgw_way_back(attachment, hub_attachment, hub_node, block, unreachable)?;
        }
        Ok(())
    }

    /// One leg there: the table associated with `from` (`from_node`) sends `block` to the
    /// attachment `to`.
    fn tgw_leg(
        &self,
        from: &Handle,
        from_node: &TransitGatewayAttachmentNode,
        to: NodeKey,
        block: Ipv4Cidr,
        unreachable: &dyn Fn(String, String) -> Box<Outcome>,
    ) -> Result<(), Box<Outcome>> {
        let Some(table) = self.model.attachment_table(from.key, from_node) else {
            return Err(unreachable(
                format!(
                    "attachment {} is associated with no transit gateway route table",
                    from.path()
                ),
                format!(
                    "give {} an .association(…) whose table routes {block}",
                    from.path()
                ),
            ));
        };
        let table_path = self.model.path(table);
        match self.model.tgw_route(table, block) {
            Some(crate::model::TransitGatewayHop::Attachment(a)) if a == to => Ok(()),
            Some(crate::model::TransitGatewayHop::Attachment(a)) => Err(unreachable(
                format!(
                    "transit gateway route table {} sends {block} to {}, not {}",
                    table_path,
                    self.model.path(a),
                    self.model.path(to)
                ),
                format!("route {block} to {} in {}", self.model.path(to), table_path),
            )),
            Some(crate::model::TransitGatewayHop::Blackhole) => Err(unreachable(
                format!(
                    "transit gateway route table {} blackholes {block}",
                    table_path
                ),
                format!(
                    "remove the blackhole route or add a more specific one to {}",
                    self.model.path(to)
                ),
            )),
            None => Err(unreachable(
                format!(
                    "transit gateway route table {} has no route to {block}",
                    table_path
                ),
                format!(
                    "propagate {} into {} or add a TransitGatewayRoute",
                    self.model.path(to),
                    table_path
                ),
            )),
        }
    }

    /// The leg back: the table associated with the hub attachment sends `block` (this
    /// subnet's) to `attachment`.
    fn tgw_way_back(
        &self,
        attachment: &Handle,
        hub_attachment: NodeKey,
        hub_node: &TransitGatewayAttachmentNode,
        block: Ipv4Cidr,
        unreachable: &dyn Fn(String, String) -> Box<Outcome>,
    ) -> Result<(), Box<Outcome>> {
        let hub_path = self.model.path(hub_attachment);
        let Some(hub_table) = self.model.attachment_table(hub_attachment, hub_node) else {
            return Err(unreachable(
                format!(
                    "hub attachment {hub_path} is associated with no transit gateway route table, so answers cannot return"
                ),
                format!("give {hub_path} an .association(…) whose table routes {block}"),
            ));
        };
        let hub_table_path = self.model.path(hub_table);
        match self.model.tgw_route(hub_table, block) {
            Some(crate::model::TransitGatewayHop::Attachment(a)) if a == attachment.key => Ok(()),
            _ => Err(unreachable(
                format!(
                    "no way back: transit gateway route table {} does not send {block} to {}",
                    hub_table_path,
                    attachment.path()
                ),
                format!(
                    "propagate {} into {} or add a TransitGatewayRoute",
                    attachment.path(),
                    hub_table_path
                ),
            )),
        }
    }

    /// The first of `azs` that no subnet of `attachment` is in, when the two are written the
    /// same way (an index, a name and an ID cannot be compared before deploy: unknown is not
    /// missing).
    fn uncovered<'z>(
        &self,
        attachment: &[Handle],
        azs: impl IntoIterator<Item = &'z crate::Az>,
    ) -> Option<&'z crate::Az> {
        let covered = crate::constructs::subnet::zones_of(self.model, attachment);
        azs.into_iter().find(|az| az.missing_from(&covered))
    }
}
