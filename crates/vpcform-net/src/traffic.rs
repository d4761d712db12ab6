//! Flow analysis: for each declared flow, the path its packets take — through a gateway
//! endpoint, an interface endpoint, a NAT or internet gateway — or why they cannot arrive,
//! found from the route tables, endpoints, security groups and load balancers of the app.

use std::fmt;

use serde::Serialize;

use crate::constructs::endpoint_service::{EndpointServiceNode, EndpointServiceRef};
use crate::constructs::gateway_endpoint::GatewayEndpointNode;
use crate::constructs::hosted_zone::PrivateHostedZoneNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::network_load_balancer::NetworkLoadBalancerNode;
use crate::constructs::resource_configuration::ResourceConfigurationNode;
use crate::constructs::resource_endpoint::ResourceEndpointNode;
use crate::constructs::resource_endpoint::zone_mismatch;
use crate::constructs::resource_gateway::ResourceGatewayNode;
use crate::constructs::route::{RouteNode, TargetNode};
use crate::constructs::route_table::RouteTableNode;
use crate::constructs::security_group::SecurityGroupNode;
use crate::constructs::service_network_endpoint::ServiceNetworkEndpointNode;
use crate::constructs::subnet::SubnetNode;
use crate::constructs::transit_gateway::TransitGatewayNode;
use crate::constructs::transit_gateway_attachment::TransitGatewayAttachmentNode;
use crate::constructs::vpc_peering::VpcPeeringNode;
use crate::constructs::workload::{WorkloadNode, WorkloadRef};
use crate::handle::Handle;
use crate::identity::NodeKey;
use crate::model::Model;
use crate::services::{AwsService, AwsTarget, ByName};
use crate::stack::{Findings, StackDef};
use crate::{Ipv4Cidr, Port, SynthError};

/// What a workload talks to: see [`FlowDestination`].
#[derive(Clone, Debug, PartialEq)]
pub struct Destination(DestinationDef);

#[derive(Clone, Debug, PartialEq)]
enum DestinationDef {
    /// An AWS service (`s3`, `sqs`, `ecr.api`).
    AwsService(AwsTarget),
    /// An endpoint service of the app.
    EndpointService(Handle),
    /// A VPC Lattice resource configuration of the app.
    Resource(Handle),
}

/// Anything a [`Flow`] can go to: an AWS service type, [`ByName`], an [`EndpointServiceRef`]
/// or a VPC Lattice [`ResourceConfigurationRef`](crate::ResourceConfigurationRef) of any stack
/// of the app.
pub trait FlowDestination {
    /// The destination.
    fn destination(&self) -> Destination;
}

impl<T: AwsService> FlowDestination for T {
    fn destination(&self) -> Destination {
        Destination(DestinationDef::AwsService(AwsTarget::of::<T>()))
    }
}

impl FlowDestination for ByName {
    fn destination(&self) -> Destination {
        Destination(DestinationDef::AwsService(self.target().clone()))
    }
}

impl<W> FlowDestination for &EndpointServiceRef<W> {
    fn destination(&self) -> Destination {
        Destination(DestinationDef::EndpointService(self.handle.clone()))
    }
}

impl<W> FlowDestination for &crate::ResourceConfigurationRef<W> {
    fn destination(&self) -> Destination {
        Destination(DestinationDef::Resource(self.handle.clone()))
    }
}

/// Traffic a workload sends: to a destination, on a port, with an expected monthly volume.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Consumer { vpc VpcA } }
/// let mut stack = Stack::<Consumer>::new("Consumer");
/// let vpc = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let a1 = stack.add(
///     "PrivateA1",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let pods = stack.add("EksPods", Workload::builder().subnets([&a1]).build());
/// let flow = Flow::new(&pods, services::S3, Port::tcp(443)).gb_per_month(500.0);
/// ```
#[derive(Clone, Debug)]
pub struct Flow {
    workload: Handle,
    destination: DestinationDef,
    port: Port,
    gb_per_month: Option<f64>,
    via_endpoint_dns: bool,
    ipv6: bool,
}

impl Flow {
    /// A flow from `workload` to `destination` on `port`.
    ///
    /// See [`Flow`] for an example.
    pub fn new<V>(
        workload: &WorkloadRef<V>,
        destination: impl FlowDestination,
        port: Port,
    ) -> Flow {
        Flow {
            workload: workload.handle.clone(),
            destination: destination.destination().0,
            port,
            gb_per_month: None,
            via_endpoint_dns: false,
            ipv6: false,
        }
    }

    /// The workload connects over IPv6: its subnets need IPv6 blocks, the endpoint IPv6
    /// addresses and AAAA records, the security groups an IPv6 rule, and a flow to the
    /// internet a `::/0` route. Default: IPv4.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").ipv6(Ipv6Block::AmazonProvided).build());
    /// # let sub = stack.add("Sub", Subnet::builder().vpc(&vpc).cidr("10.0.0.0/24").ipv6_index(0).availability_zone(Az::index(0)).build());
    /// # let pods = stack.add("Pods", Workload::builder().subnets([&sub]).build());
    /// let flow = Flow::new(&pods, services::Sqs, Port::tcp(443)).ipv6();
    /// ```
    pub fn ipv6(mut self) -> Flow {
        self.ipv6 = true;
        self
    }

    /// The port as reports show it, with the IP version when it is IPv6.
    fn port_label(&self) -> String {
        if self.ipv6 {
            format!("{}, IPv6", self.port)
        } else {
            self.port.to_string()
        }
    }

    /// The expected volume, in GB a month, for the cost estimate. Default: unknown (0).
    ///
    /// See [`Flow`] for an example.
    pub fn gb_per_month(mut self, gb: f64) -> Flow {
        // `+ 0.0` turns -0 into 0: a report never shows "-0".
        self.gb_per_month = Some(gb + 0.0);
        self
    }

    /// The workload addresses an interface endpoint by the endpoint's own DNS name, so the
    /// endpoint carries the flow even with private DNS off. Default: the service's usual name.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// # let sub = stack.add("Sub", Subnet::builder().vpc(&vpc).cidr("10.0.0.0/24").availability_zone(Az::index(0)).build());
    /// # let pods = stack.add("Pods", Workload::builder().subnets([&sub]).build());
    /// let flow = Flow::new(&pods, services::DynamoDb, Port::tcp(443)).via_endpoint_dns();
    /// ```
    pub fn via_endpoint_dns(mut self) -> Flow {
        self.via_endpoint_dns = true;
        self
    }

    pub(crate) fn gb(&self) -> f64 {
        self.gb_per_month.unwrap_or(0.0)
    }
}

/// How a flow's packets travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PathKind {
    /// Private: a gateway endpoint's prefix-list route.
    GatewayEndpoint,
    /// Private: an interface endpoint (AWS PrivateLink).
    InterfaceEndpoint,
    /// Private once the provider accepts the connection: an interface endpoint to an endpoint
    /// service that requires acceptance, `pendingAcceptance` after deploy (the fix names the
    /// provider's step). Counts as private for `require_private_traffic`: nothing goes public.
    PendingAcceptance,
    /// Private: a VPC Lattice resource or service-network endpoint (PrivateLink for
    /// resources).
    LatticeEndpoint,
    /// Public internet, through a NAT gateway.
    NatGateway,
    /// Public internet, through an internet gateway.
    InternetGateway,
    /// Not known: the path depends on what vpcform was not told or cannot judge before deploy
    /// (an existing resource's routes or rules, an IPv6 block AWS assigns); the reason names
    /// it. Not private, so `require_private_traffic` fails.
    Unknown,
    /// The packets do not arrive.
    Unreachable,
}

impl PathKind {
    /// Whether the traffic stays inside AWS's network.
    ///
    /// ```
    /// assert!(vpcform_net::PathKind::GatewayEndpoint.is_private());
    /// assert!(!vpcform_net::PathKind::NatGateway.is_private());
    /// ```
    pub fn is_private(self) -> bool {
        matches!(
            self,
            PathKind::GatewayEndpoint
                | PathKind::InterfaceEndpoint
                | PathKind::PendingAcceptance
                | PathKind::LatticeEndpoint
        )
    }

    fn severity(self) -> u8 {
        match self {
            PathKind::GatewayEndpoint
            | PathKind::InterfaceEndpoint
            | PathKind::PendingAcceptance
            | PathKind::LatticeEndpoint => 0,
            PathKind::NatGateway | PathKind::InternetGateway => 1,
            PathKind::Unknown => 2,
            PathKind::Unreachable => 3,
        }
    }
}

impl fmt::Display for PathKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathKind::GatewayEndpoint => "private (gateway endpoint)",
            PathKind::InterfaceEndpoint => "private (interface endpoint)",
            PathKind::PendingAcceptance => "PENDING ACCEPTANCE (interface endpoint)",
            PathKind::LatticeEndpoint => "private (VPC Lattice endpoint)",
            PathKind::NatGateway => "PUBLIC (NAT gateway)",
            PathKind::InternetGateway => "PUBLIC (internet gateway)",
            PathKind::Unknown => "UNKNOWN",
            PathKind::Unreachable => "UNREACHABLE",
        })
    }
}

/// The path from one subnet of the workload.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubnetPath {
    /// The subnet, `Stack/Id`.
    pub subnet: String,
    /// How the packets travel.
    pub path: PathKind,
    /// The resource they go through (`Stack/Id`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// Why the path is public or unreachable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What to add or change to make it private.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The constructs it crosses on the way to `via`, when it leaves its VPC (`Stack/Id`:
    /// attachment, transit gateway, hub attachment; or the peering connection).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hops: Vec<String>,
}

/// One flow's analysis: its worst path over the workload's subnets, and each subnet's.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FlowReport {
    /// The workload, `Stack/Id`.
    pub workload: String,
    /// The destination: `s3`, or the endpoint service's `Stack/Id`.
    pub destination: String,
    /// The port, e.g. `TCP 443` (`TCP 443, IPv6` for an IPv6 flow).
    pub port: String,
    /// Expected GB a month, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gb_per_month: Option<f64>,
    /// The worst path over the subnets.
    pub path: PathKind,
    /// Per subnet.
    pub subnets: Vec<SubnetPath>,
}

impl FlowReport {
    /// `workload -> destination (port)`.
    ///
    /// See [`TrafficReport`] for an example.
    pub fn name(&self) -> String {
        format!("{} -> {} ({})", self.workload, self.destination, self.port)
    }
}

/// Every flow's analysis; written as `traffic.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TrafficReport {
    /// The flows, in the order declared.
    pub flows: Vec<FlowReport>,
}

impl TrafficReport {
    /// A table: each flow, its path and what it goes through (or why not).
    ///
    /// ```
    /// let report = vpcform_net::TrafficReport::default();
    /// assert_eq!(report.table(), "");
    /// ```
    pub fn table(&self) -> String {
        let mut rows: Vec<[String; 3]> = Vec::new();
        for flow in &self.flows {
            let first = &flow.subnets;
            let same = first.windows(2).all(|w| {
                w[0].path == w[1].path && w[0].via == w[1].via && w[0].reason == w[1].reason
            });
            let shown: Vec<&SubnetPath> = if same {
                first.iter().take(1).collect()
            } else {
                first.iter().collect()
            };
            for (i, subnet) in shown.iter().enumerate() {
                let name = if i == 0 { flow.name() } else { String::new() };
                let mut detail = subnet.via.clone().unwrap_or_default();
                if !subnet.hops.is_empty() {
                    detail = format!("{detail} (over {})", subnet.hops.join(" -> "));
                }
                if let Some(reason) = &subnet.reason {
                    detail = if detail.is_empty() {
                        reason.clone()
                    } else {
                        format!("{detail}: {reason}")
                    };
                }
                if let Some(fix) = &subnet.fix {
                    detail = format!("{detail} (fix: {fix})");
                }
                if !same {
                    detail = format!("[{}] {detail}", subnet.subnet);
                }
                rows.push([name, subnet.path.to_string(), detail]);
            }
        }
        let w0 = rows.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
        let w1 = rows.iter().map(|r| r[1].chars().count()).max().unwrap_or(0);
        rows.iter()
            .map(|[a, b, c]| format!("{a:<w0$}  {b:<w1$}  {c}").trim_end().to_string() + "\n")
            .collect()
    }
}

/// One subnet's path, typed: what the cost estimate and the diagram read.
#[derive(Clone, Debug)]
pub(crate) struct SubnetOutcome {
    pub(crate) subnet: NodeKey,
    pub(crate) path: PathKind,
    /// The construct the packets go through, if any.
    pub(crate) via: Option<NodeKey>,
    /// The constructs crossed before `via`, when the flow leaves its VPC.
    pub(crate) hops: Vec<NodeKey>,
}

/// One flow's analysis, typed.
#[derive(Clone, Debug)]
pub(crate) struct FlowOutcome {
    pub(crate) workload: NodeKey,
    pub(crate) destination: Target,
    pub(crate) gb: f64,
    /// The port as reports show it (`TCP 443, IPv6` for an IPv6 flow).
    pub(crate) port_label: String,
    pub(crate) subnets: Vec<SubnetOutcome>,
}

/// A flow's destination, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    AwsService(String),
    EndpointService(NodeKey),
    Resource(NodeKey),
}

/// The traffic analysis: the report users read, and the typed outcomes the cost estimate and
/// diagram use, one per flow of the report, in the same order.
pub(crate) struct Traffic {
    pub(crate) report: TrafficReport,
    pub(crate) outcomes: Vec<FlowOutcome>,
}

/// Analyses every flow of the app; with `require_private`, each flow not private is an error.
/// A flow whose workload or destination is not in the app is an error, never dropped.
pub(crate) fn analyze(
    model: &Model<'_>,
    flows: &[Flow],
    require_private: bool,
    findings: &mut Findings,
) -> Traffic {
    let mut report = TrafficReport::default();
    let mut outcomes = Vec::with_capacity(flows.len());
    for flow in flows {
        let destination_name = match &flow.destination {
            DestinationDef::AwsService(aws) => aws.name.clone(),
            DestinationDef::EndpointService(handle) | DestinationDef::Resource(handle) => {
                handle.path()
            }
        };
        let name = format!(
            "{} -> {destination_name} ({})",
            flow.workload.path(),
            flow.port_label()
        );
        if let Some(gb) = flow.gb_per_month
            && !(gb.is_finite() && gb >= 0.0)
        {
            findings.errors.push(SynthError::InvalidVolume {
                flow: name.clone(),
                value: gb,
            });
        }
        let Some(workload) = model.get::<WorkloadNode>(&flow.workload) else {
            findings.errors.push(SynthError::FlowNotInApp {
                flow: name,
                missing: format!("workload {}", flow.workload.path()),
            });
            continue;
        };
        let target = match &flow.destination {
            DestinationDef::AwsService(aws) => {
                if let Some(error) = aws.unknown_error(name) {
                    findings.errors.push(error);
                    continue;
                }
                Target::AwsService(aws.name.clone())
            }
            DestinationDef::EndpointService(handle) => {
                if model.get::<EndpointServiceNode>(handle).is_none() {
                    findings.errors.push(SynthError::FlowNotInApp {
                        flow: name,
                        missing: format!("endpoint service {}", handle.path()),
                    });
                    continue;
                }
                Target::EndpointService(handle.key)
            }
            DestinationDef::Resource(handle) => {
                if model.get::<ResourceConfigurationNode>(handle).is_none() {
                    findings.errors.push(SynthError::FlowNotInApp {
                        flow: name,
                        missing: format!("resource configuration {}", handle.path()),
                    });
                    continue;
                }
                Target::Resource(handle.key)
            }
        };
        let Some(stack) = model.stack(flow.workload.key.stack) else {
            continue; // Resolved above: the stack is the app's.
        };
        // A workload in no subnet is the workload's own error (`subnets is empty`, with its
        // fix): its flows have no path to report, and no second error without a reason.
        if workload.subnets.is_empty() {
            continue;
        }
        let mut paths: Vec<SubnetPath> = Vec::with_capacity(workload.subnets.len());
        let mut typed: Vec<SubnetOutcome> = Vec::with_capacity(workload.subnets.len());
        for subnet in &workload.subnets {
            let context = Context {
                model,
                stack,
                workload,
                subnet,
                flow,
            };
            let (mut path, via, hops) = context.path();
            path.hops = hops.iter().map(|&h| model.path(h)).collect();
            typed.push(SubnetOutcome {
                subnet: subnet.key,
                path: path.path,
                via,
                hops,
            });
            paths.push(path);
        }
        let path = paths
            .iter()
            .map(|s| s.path)
            .max_by_key(|p| p.severity())
            .unwrap_or(PathKind::Unreachable);
        let flow_report = FlowReport {
            workload: flow.workload.path(),
            destination: destination_name,
            port: flow.port_label(),
            gb_per_month: flow.gb_per_month,
            path,
            subnets: paths,
        };
        if require_private && !path.is_private() {
            let worst = flow_report.subnets.iter().find(|s| s.path == path).cloned();
            findings.errors.push(SynthError::TrafficNotPrivate {
                flow: flow_report.name(),
                path: path.to_string(),
                reason: worst
                    .as_ref()
                    .and_then(|s| {
                        s.reason
                            .clone()
                            .or(s.via.clone().map(|v| format!("through {v}")))
                    })
                    .unwrap_or_default(),
                fix: worst.and_then(|s| s.fix).unwrap_or_default(),
            });
        }
        report.flows.push(flow_report);
        outcomes.push(FlowOutcome {
            workload: flow.workload.key,
            destination: target,
            gb: flow.gb(),
            port_label: flow.port_label(),
            subnets: typed,
        });
    }
    Traffic { report, outcomes }
}

/// One subnet of one flow's workload, being analysed.
struct Context<'a> {
    model: &'a Model<'a>,
    stack: &'a StackDef,
    workload: &'a WorkloadNode,
    subnet: &'a Handle,
    flow: &'a Flow,
}

/// A subnet's path for the report, the construct it goes through, and the constructs crossed
/// on the way when it leaves its VPC.
type Outcome = (SubnetPath, Option<NodeKey>, Vec<NodeKey>);

impl Context<'_> {
    fn path(&self) -> Outcome {
        if self.flow.ipv6
            && let Some(outcome) = self.without_ipv6()
        {
            return outcome;
        }
        match &self.flow.destination {
            DestinationDef::AwsService(service) => self.to_aws_service(&service.name),
            DestinationDef::EndpointService(handle) => self.to_endpoint_service(handle),
            DestinationDef::Resource(handle) => self.to_resource(handle),
        }
    }

    /// How reports name the subnet's route table: its path, or the VPC's main table.
    fn table_name(&self, table: Option<NodeKey>, vpc_path: &str) -> String {
        table
            .map(|key| self.model.path(key))
            .unwrap_or_else(|| format!("{vpc_path} (the VPC's main route table)"))
    }

    /// Whether the subnet's routes are partly unknown: its table is an existing one, or it is
    /// an existing subnet whose table was not declared (its main route table, unknown).
    fn routes_unknown(&self, table: Option<NodeKey>) -> bool {
        match table {
            Some(table) => self
                .model
                .get_key::<RouteTableNode>(table)
                .is_some_and(|t| t.existing.is_some()),
            None => self
                .model
                .get::<SubnetNode>(self.subnet)
                .is_some_and(|s| s.existing.is_some()),
        }
    }

    fn cidr(&self) -> Option<Ipv4Cidr> {
        self.model
            .get::<SubnetNode>(self.subnet)
            .and_then(|s| s.parsed)
    }

    fn result(
        &self,
        path: PathKind,
        via: Option<NodeKey>,
        reason: Option<String>,
        fix: Option<String>,
    ) -> Outcome {
        (
            SubnetPath {
                subnet: self.subnet.path(),
                path,
                via: via.map(|v| self.model.path(v)),
                reason,
                fix,
                hops: Vec::new(),
            },
            via,
            Vec::new(),
        )
    }

    /// 2b. A private hosted zone for the service associated with the VPC resolves it to the
    /// zone's endpoint: in this VPC, or in a hub reached over a transit gateway or peering
    /// (the whitepaper's centralized endpoints).
    fn through_zone(&self, vpc: NodeKey, service: &str) -> Option<Outcome> {
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
    fn cross_vpc(
        &self,
        from: NodeKey,
        hub: NodeKey,
        endpoint_key: NodeKey,
        endpoint: &InterfaceEndpointNode,
    ) -> Result<Vec<NodeKey>, Box<Outcome>> {
        let unreachable = |reason: String, fix: String| {
            Box::new(self.result(
                PathKind::Unreachable,
                Some(endpoint_key),
                Some(reason),
                Some(fix),
            ))
        };
        // A route missing from an existing table may be one vpcform was not told of: unknown,
        // not unreachable, as for a flow to an AWS service (`routes_unknown`).
        let missing = |table: NodeKey, reason: String, fix: String| {
            if self.routes_unknown(Some(table)) {
                Box::new(self.result(
                    PathKind::Unknown,
                    Some(endpoint_key),
                    Some(format!(
                        "{reason}; it is an existing route table, whose other routes are unknown"
                    )),
                    Some(fix),
                ))
            } else {
                unreachable(reason, fix)
            }
        };
        let hub_path = self.model.path(hub);
        let own_cidr = self.cidr();
        let Some((table, _)) = self.model.route_table_of(self.subnet.key) else {
            return Err(unreachable(
                format!("the subnet has no route table of the app, so no route to {hub_path}"),
                format!(
                    "associate the subnet with a route table that routes {hub_path}'s block to the transit gateway or peering connection"
                ),
            ));
        };
        let table_path = self.model.path(table);
        // Each endpoint subnet: the route there, the same connection for all.
        let mut connection: Option<&TargetNode> = None;
        for subnet in &endpoint.subnets {
            let Some(block) = self.model.get::<SubnetNode>(subnet).and_then(|s| s.parsed) else {
                continue;
            };
            let chosen = self.route_for(table, block);
            if let Some((part, target)) = self.split(table, block, chosen) {
                return Err(unreachable(
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
                return Err(missing(
                    table,
                    format!(
                        "route table {table_path} has no route to {block}, where hub endpoint {} has its interface",
                        self.model.path(endpoint_key)
                    ),
                    format!(
                        "add a route to {hub_path}'s block through the VPC's transit gateway attachment or peering connection"
                    ),
                ));
            };
            match connection {
                Some(first) if first.handle().key != route.target.handle().key => {
                    return Err(unreachable(
                        format!(
                            "route table {table_path} sends the hub endpoint's subnets to different targets"
                        ),
                        format!("route {hub_path}'s whole block through one connection"),
                    ));
                }
                _ => connection = Some(&route.target),
            }
        }
        let Some(connection) = connection else {
            return Err(unreachable(
                format!(
                    "hub endpoint {} has no subnet",
                    self.model.path(endpoint_key)
                ),
                "give the hub endpoint subnets".into(),
            ));
        };
        let (hops, back) = match connection {
            TargetNode::TransitGateway(attachment) => {
                self.over_transit_gateway(hub, endpoint, attachment, &unreachable)?
            }
            TargetNode::VpcPeering(peering) => {
                let node = self.model.get::<VpcPeeringNode>(peering);
                match node.and_then(|n| n.other_side(self.model, from)) {
                    Some((Some(other), _)) if other == hub => {}
                    _ => {
                        return Err(unreachable(
                            format!(
                                "peering connection {} does not connect to {hub_path}",
                                peering.path()
                            ),
                            format!("route {hub_path}'s block through a connection to it"),
                        ));
                    }
                }
                (vec![peering.key], peering.key)
            }
            TargetNode::NatGateway(gateway)
            | TargetNode::InternetGateway(gateway)
            | TargetNode::EgressOnlyInternetGateway(gateway) => {
                return Err(unreachable(
                    format!(
                        "route table {table_path} sends the hub endpoint's subnets to {}, not to the hub",
                        gateway.path()
                    ),
                    format!(
                        "route {hub_path}'s block through the VPC's transit gateway attachment or peering connection"
                    ),
                ));
            }
        };
        // The way back: each hub endpoint subnet's table routes this subnet over the same
        // connection (the transit gateway, or the peering connection).
        if let Some(own) = own_cidr {
            for subnet in &endpoint.subnets {
                let Some((hub_table, _)) = self.model.route_table_of(subnet.key) else {
                    return Err(unreachable(
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
                    return Err(unreachable(
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
                if !returns {
                    let reason = format!(
                        "no way back: route table {} of hub subnet {} has no route to {own} over the same connection",
                        self.model.path(hub_table),
                        subnet.path()
                    );
                    let fix = format!(
                        "add a route to {own} (or the spokes' block) to {}",
                        self.model.path(hub_table)
                    );
                    // No known route back may be an unknown one; a known route elsewhere
                    // sends the replies astray whatever else the table holds.
                    return Err(match chosen {
                        None => missing(hub_table, reason, fix),
                        Some(_) => unreachable(reason, fix),
                    });
                }
            }
        }
        Ok(hops)
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
        let Some(hub_attachment) = self.model.attachment_of(tgw, hub) else {
            return Err(unreachable(
                format!("{hub_path} is not attached to transit gateway {tgw_path}"),
                format!("add a TransitGatewayAttachment of {hub_path} to {tgw_path}"),
            ));
        };
        // Route tables of one's own (default off): the spoke's table must send the hub
        // endpoint's subnets to the hub attachment, the hub's table this subnet back.
        if !default_route_table {
            self.through_tgw_tables(
                attachment,
                own,
                hub_attachment,
                &endpoint.subnets,
                unreachable,
            )?;
        }
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
        Ok((vec![attachment.key, tgw, hub_attachment], tgw))
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
        let hub_path = self.model.path(hub_attachment);
        let leg = |from: &Handle,
                   from_node: &TransitGatewayAttachmentNode,
                   to: NodeKey,
                   block: Ipv4Cidr| {
            let Some(table) = from_node
                .association
                .as_ref()
                .and_then(|t| t.source.as_ref())
            else {
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
            match self.model.tgw_route(table.key, block) {
                Some(crate::model::TgwHop::Attachment(a)) if a == to => Ok(()),
                Some(crate::model::TgwHop::Attachment(a)) => Err(unreachable(
                    format!(
                        "transit gateway route table {} sends {block} to {}, not {}",
                        table.path(),
                        self.model.path(a),
                        self.model.path(to)
                    ),
                    format!(
                        "route {block} to {} in {}",
                        self.model.path(to),
                        table.path()
                    ),
                )),
                Some(crate::model::TgwHop::Blackhole) => Err(unreachable(
                    format!(
                        "transit gateway route table {} blackholes {block}",
                        table.path()
                    ),
                    format!(
                        "remove the blackhole route or add a more specific one to {}",
                        self.model.path(to)
                    ),
                )),
                None => Err(unreachable(
                    format!(
                        "transit gateway route table {} has no route to {block}",
                        table.path()
                    ),
                    format!(
                        "propagate {} into {} or add a TransitGatewayRoute",
                        self.model.path(to),
                        table.path()
                    ),
                )),
            }
        };
        for subnet in endpoint_subnets {
            if let Some(block) = self.model.get::<SubnetNode>(subnet).and_then(|s| s.parsed) {
                leg(attachment, own, hub_attachment, block)?;
            }
        }
        if let (Some(block), Some(hub_node)) = (
            self.cidr(),
            self.model
                .get_key::<TransitGatewayAttachmentNode>(hub_attachment),
        ) {
            let Some(hub_table) = hub_node
                .association
                .as_ref()
                .and_then(|t| t.source.as_ref())
            else {
                return Err(unreachable(
                    format!(
                        "hub attachment {hub_path} is associated with no transit gateway route table, so answers cannot return"
                    ),
                    format!("give {hub_path} an .association(…) whose table routes {block}"),
                ));
            };
            match self.model.tgw_route(hub_table.key, block) {
                Some(crate::model::TgwHop::Attachment(a)) if a == attachment.key => {}
                _ => {
                    return Err(unreachable(
                        format!(
                            "no way back: transit gateway route table {} does not send {block} to {}",
                            hub_table.path(),
                            attachment.path()
                        ),
                        format!(
                            "propagate {} into {} or add a TransitGatewayRoute",
                            attachment.path(),
                            hub_table.path()
                        ),
                    ));
                }
            }
        }
        Ok(())
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

    /// Whether the security groups admit this subnet (or the workload's groups) on the port;
    /// `Err` names the groups when they do not.
    fn admitted(&self, groups: &[Handle]) -> Result<(), String> {
        if self.flow.ipv6 {
            return self.admitted_ipv6(groups);
        }
        let Some(cidr) = self.cidr() else {
            return Ok(()); // An unparsable block is reported by synthesis itself.
        };
        let admits = groups.iter().any(|group| {
            self.model
                .get::<SecurityGroupNode>(group)
                .is_some_and(|sg| {
                    sg.ingress.iter().any(|rule| {
                        rule.admits(cidr, &self.workload.security_groups, &self.flow.port)
                    })
                })
        });
        if admits {
            Ok(())
        } else {
            Err(groups
                .iter()
                .map(Handle::path)
                .collect::<Vec<_>>()
                .join(", "))
        }
    }

    /// What IPv6 needs before any path: a subnet with an IPv6 block; a destination vpcform
    /// analyses over IPv6 (not VPC Lattice's). `None` when the flow may go on.
    fn without_ipv6(&self) -> Option<Outcome> {
        let subnet = self.model.get::<SubnetNode>(self.subnet)?;
        if subnet.existing.is_some() {
            return Some(self.result(
                PathKind::Unknown,
                None,
                Some(format!(
                    "existing subnet {} was declared without its IPv6 block, so vpcform cannot tell whether it has one",
                    self.subnet.path()
                )),
                Some("analyse the flow over IPv4, or create the subnet with vpcform".into()),
            ));
        }
        if subnet.ipv6_index.is_none() {
            return Some(self.result(
                PathKind::Unreachable,
                None,
                Some(format!("subnet {} has no IPv6 block", self.subnet.path())),
                Some(format!(
                    "give {} .ipv6_index(n) (its VPC needs an IPv6 block)",
                    self.subnet.path()
                )),
            ));
        }
        if let DestinationDef::Resource(_) = self.flow.destination {
            return Some(self.result(
                PathKind::Unknown,
                None,
                Some("vpcform analyses flows to VPC Lattice resources over IPv4 only".into()),
                Some("analyse the flow over IPv4".into()),
            ));
        }
        None
    }

    /// [`Self::admitted`] for IPv6: a rule from `::/0`, from the VPC's IPv6 block
    /// (`Peer::vpc_ipv6`) or from the workload's groups admits.
    fn admitted_ipv6(&self, groups: &[Handle]) -> Result<(), String> {
        if groups
            .iter()
            .any(|g| self.ipv6_answers(g).any(|a| a == Some(true)))
        {
            Ok(())
        } else {
            Err(groups
                .iter()
                .map(Handle::path)
                .collect::<Vec<_>>()
                .join(", "))
        }
    }

    /// The first of `groups` with an IPv6 rule vpcform cannot judge (a block other than
    /// `::/0`, or a prefix list, against addresses AWS assigns at deploy).
    fn undecided_ipv6(&self, groups: &[Handle]) -> Option<String> {
        groups
            .iter()
            .find(|g| self.ipv6_answers(g).any(|a| a.is_none()))
            .map(Handle::path)
    }

    /// What each inbound rule of `group` answers for this flow over IPv6
    /// (`RuleDef::admits_ipv6`: admits, does not, cannot tell).
    fn ipv6_answers<'s>(&'s self, group: &Handle) -> impl Iterator<Item = Option<bool>> + 's {
        self.model
            .get::<SecurityGroupNode>(group)
            .into_iter()
            .flat_map(|sg| sg.ingress.iter())
            .map(|rule| {
                rule.admits_ipv6(
                    self.subnet.vpc,
                    &self.workload.security_groups,
                    &self.flow.port,
                )
            })
    }

    /// An AWS service over IPv6: an interface endpoint in the VPC whose addresses and records
    /// include IPv6, a dual-stack gateway endpoint on the subnet's table, or a `::/0` route to
    /// an internet or egress-only internet gateway. Private hosted zones (alias A records)
    /// answer IPv4 only.
    fn to_aws_service_ipv6(&self, service: &str, vpc: NodeKey) -> Outcome {
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

    fn to_aws_service(&self, service: &str) -> Outcome {
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

    /// A VPC Lattice resource: a resource endpoint to it in the workload's VPC, or a
    /// service-network endpoint to a network it joins, whose security groups admit the
    /// workload and whose resource offers the port.
    fn to_resource(&self, configuration: &Handle) -> Outcome {
        let path = configuration.path();
        let Some(vpc) = self.subnet.vpc else {
            return self.result(
                PathKind::Unreachable,
                None,
                Some("the subnet has no VPC".into()),
                None,
            );
        };
        let vpc_path = self.model.path(vpc);
        if let Some((key, endpoint)) =
            self.model
                .in_vpc::<ResourceEndpointNode>(vpc)
                .find(|(_, e)| {
                    e.configuration()
                        .is_some_and(|c| c.key == configuration.key)
                })
        {
            return self.through_lattice(key, &endpoint.security_groups, configuration);
        }
        // Through a service network the resource joins: the first endpoint to one.
        let mut without_association = None;
        for (key, endpoint) in self.model.in_vpc::<ServiceNetworkEndpointNode>(vpc) {
            // A service network's ARN is exported from its handle only, so an import always
            // carries the network.
            let Some(network) = &endpoint.service_network.source else {
                continue;
            };
            if !self
                .model
                .configurations_in(network.key)
                .any(|c| c.key == configuration.key)
            {
                without_association.get_or_insert((key, network));
                continue;
            }
            let gateway = self
                .model
                .get::<ResourceConfigurationNode>(configuration)
                .and_then(|c| self.model.get::<ResourceGatewayNode>(&c.gateway));
            if let Some(gateway) = gateway
                && let Some((ours, theirs)) = zone_mismatch(self.model, &endpoint.subnets, gateway)
            {
                return self.result(
                    PathKind::Unreachable,
                    Some(key),
                    Some(format!(
                        "service network endpoint {} ({ours}) shares no zone with the resource \
                         gateway of {path} ({theirs})",
                        self.model.path(key)
                    )),
                    Some("add a subnet in one of the gateway's zones to either side".into()),
                );
            }
            return self.through_lattice(key, &endpoint.security_groups, configuration);
        }
        if let Some((key, network)) = without_association {
            let network = network.path();
            return self.result(
                PathKind::Unreachable,
                Some(key),
                Some(format!(
                    "resource configuration {path} has no association with service network \
                     {network}, the one endpoint {} reaches",
                    self.model.path(key)
                )),
                Some(format!(
                    "add a ServiceNetworkResourceAssociation of {path} with service network {network}"
                )),
            );
        }
        self.result(
            PathKind::Unreachable,
            None,
            Some(format!(
                "no resource endpoint to {path} and no service network endpoint to a network it \
                 joins in VPC {vpc_path}"
            )),
            Some(format!(
                "add a ResourceEndpoint to {path} in VPC {vpc_path}, or a ServiceNetworkEndpoint \
                 to a service network {path} is associated with"
            )),
        )
    }

    /// The last legs to a VPC Lattice resource, from the endpoint that reaches it: the
    /// endpoint's security groups, then the resource's ports.
    fn through_lattice(
        &self,
        key: NodeKey,
        security_groups: &[Handle],
        configuration: &Handle,
    ) -> Outcome {
        let path = configuration.path();
        if let Err(groups) = self.admitted(security_groups) {
            return self.unreachable_by_security_group(key, &groups, security_groups);
        }
        let offered = self
            .model
            .get::<ResourceConfigurationNode>(configuration)
            .is_some_and(|c| match self.flow.port {
                Port::Tcp(port) => c
                    .ports
                    .iter()
                    .any(|&(from, to)| (from..=to).contains(&port)),
                _ => false,
            });
        if !offered {
            return self.result(
                PathKind::Unreachable,
                Some(key),
                Some(format!(
                    "resource configuration {path} does not offer {} (VPC Lattice resources are TCP, on their port ranges)",
                    self.flow.port
                )),
                Some(format!("add {} to {path}'s ports", self.flow.port)),
            );
        }
        self.result(PathKind::LatticeEndpoint, Some(key), None, None)
    }

    fn unreachable_by_security_group(
        &self,
        via: NodeKey,
        groups: &str,
        handles: &[Handle],
    ) -> Outcome {
        let cidr = if self.flow.ipv6 {
            format!("the IPv6 block of {}", self.subnet.path())
        } else {
            self.cidr().map(|c| c.to_string()).unwrap_or_default()
        };
        let reason = if handles.is_empty() {
            format!(
                "the endpoint has no security group of ours (the VPC's default group decides) and none admits {cidr}"
            )
        } else {
            format!(
                "the endpoint's security group {groups} does not admit {cidr} on {}",
                self.flow.port
            )
        };
        if self.flow.ipv6
            && let Some(group) = self.undecided_ipv6(handles)
        {
            return self.result(
                PathKind::Unknown,
                Some(via),
                Some(format!(
                    "security group {group} admits IPv6 by a block or prefix list that vpcform \
                     cannot compare with {cidr}, which AWS assigns at deploy"
                )),
                Some(format!(
                    "check that it covers the VPC's block, or admit it with Peer::vpc_ipv6 on {}",
                    self.flow.port
                )),
            );
        }
        let existing: Vec<String> = handles
            .iter()
            .filter(|h| {
                self.model
                    .get::<SecurityGroupNode>(h)
                    .is_some_and(|g| g.existing.is_some())
            })
            .map(Handle::path)
            .collect();
        if !existing.is_empty() {
            return self.result(
                PathKind::Unknown,
                Some(via),
                Some(format!(
                    "whether {cidr} is admitted on {} depends on existing security group {}, whose rules vpcform does not know",
                    self.flow.port,
                    existing.join(", ")
                )),
                Some(format!(
                    "check that {} admits {cidr} on {}, or add a security group of vpcform's that does",
                    existing.join(", "),
                    self.flow.port
                )),
            );
        }
        let fix = format!("admit {cidr} on {} in {groups}", self.flow.port);
        self.result(PathKind::Unreachable, Some(via), Some(reason), Some(fix))
    }

    fn to_endpoint_service(&self, service: &Handle) -> Outcome {
        let service_path = service.path();
        let (Some(service_node), Some(provider)) = (
            self.model.get::<EndpointServiceNode>(service),
            self.model.stack(service.key.stack),
        ) else {
            // Reported by `analyze` as a flow not in the app.
            return self.result(PathKind::Unreachable, None, None, None);
        };
        let Some(vpc) = self.subnet.vpc else {
            return self.result(
                PathKind::Unreachable,
                None,
                Some("the subnet has no VPC".into()),
                None,
            );
        };
        let vpc_path = self.model.path(vpc);
        // 1. An interface endpoint in the workload's VPC connected to this service.
        let endpoint = self
            .model
            .in_vpc::<InterfaceEndpointNode>(vpc)
            .find(|(key, _)| {
                self.model
                    .service_of(*key)
                    .is_some_and(|(s, _)| s == service.key)
            });
        let Some((endpoint_key, endpoint)) = endpoint else {
            return self.result(
                PathKind::Unreachable,
                None,
                Some(format!(
                    "no interface endpoint to {service_path} in VPC {vpc_path}"
                )),
                Some(format!(
                    "add an InterfaceEndpoint to {service_path} in VPC {vpc_path}"
                )),
            );
        };
        let via = Some(endpoint_key);
        // 1b. Over IPv6: the endpoint has IPv6 addresses and AAAA records for its own names,
        //     and the service accepts IPv6 (SupportedIpAddressTypes).
        if self.flow.ipv6 {
            if let Err((why, fix)) = endpoint.answers_ipv6(false) {
                return self.result(
                    PathKind::Unreachable,
                    via,
                    Some(format!(
                        "interface endpoint {} connects over IPv4 only: {why}",
                        self.model.path(endpoint_key)
                    )),
                    Some(fix),
                );
            }
            if !service_node.supports_ipv6 {
                return self.result(
                    PathKind::Unreachable,
                    via,
                    Some(format!("endpoint service {service_path} accepts IPv4 only")),
                    Some(format!(
                        "give {service_path} .supports_ipv6(true) over dual-stack load balancers"
                    )),
                );
            }
        }
        // 2. The endpoint's security groups admit the workload.
        if let Err(groups) = self.admitted(&endpoint.security_groups) {
            return self.unreachable_by_security_group(
                endpoint_key,
                &groups,
                &endpoint.security_groups,
            );
        }
        // 3. A listener on the port, on one of the service's load balancers.
        let port = match self.flow.port {
            Port::Tcp(port) => Some(port),
            _ => None,
        };
        let listening: Vec<&NetworkLoadBalancerNode> = service_node
            .network_load_balancers
            .iter()
            .filter(|h| self.model.listeners_of(h.key).any(|l| Some(l.port) == port))
            .filter_map(|h| self.model.get::<NetworkLoadBalancerNode>(h))
            .collect();
        if listening.is_empty() {
            return self.result(
                PathKind::Unreachable,
                via,
                Some(format!(
                    "no listener on {} on {service_path}'s load balancer",
                    self.flow.port
                )),
                Some(format!(
                    "add a Listener on {} to the load balancer",
                    self.flow.port
                )),
            );
        }
        // 4. The NLB's security groups, evaluated on the client's own IP (PrivateLink traffic
        //    presents the consumer's address when enforcement is on).
        let cidr = self.cidr();
        for nlb in &listening {
            if nlb.security_groups.is_empty() || !nlb.enforce_on_private_link {
                continue;
            }
            let admits = if self.flow.ipv6 {
                // Over IPv6 the NLB sees the client's IPv6 address: an IPv6 rule it cannot
                // judge counts as admitting (said by the endpoint's own check above).
                nlb.security_groups.iter().any(|g| {
                    self.model.get::<SecurityGroupNode>(g).is_some_and(|sg| {
                        sg.ingress.iter().any(|rule| {
                            rule.admits_ipv6(self.subnet.vpc, &[], &self.flow.port) != Some(false)
                        })
                    })
                })
            } else {
                cidr.is_none_or(|cidr| {
                    nlb.security_groups.iter().any(|g| {
                        self.model.get::<SecurityGroupNode>(g).is_some_and(|sg| {
                            sg.ingress
                                .iter()
                                .any(|rule| rule.admits(cidr, &[], &self.flow.port))
                        })
                    })
                })
            };
            if !admits {
                let groups: Vec<String> = nlb.security_groups.iter().map(Handle::path).collect();
                let cidr = if self.flow.ipv6 {
                    format!("the IPv6 block of {}", self.subnet.path())
                } else {
                    cidr.map(|c| c.to_string()).unwrap_or_default()
                };
                return self.result(
                    PathKind::Unreachable,
                    via,
                    Some(format!(
                        "the NLB's security group {} does not admit the PrivateLink traffic: AWS \
                         evaluates it on the client's IP, {cidr}, on {}",
                        groups.join(", "),
                        self.flow.port
                    )),
                    Some(format!(
                        "admit {cidr} on {} in {}, or turn EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off",
                        self.flow.port,
                        groups.join(", ")
                    )),
                );
            }
        }
        // 5. The service allows the consumer's account, when both accounts are known.
        if let (Some(consumer), Some(owner)) = (&self.stack.account, &provider.account)
            && consumer != owner
        {
            let allowed = service_node
                .allowed_principals
                .iter()
                .any(|p| p == "*" || p.split(':').nth(4) == Some(consumer.as_str()));
            if !allowed {
                return self.result(
                    PathKind::Unreachable,
                    via,
                    Some(format!(
                        "endpoint service {service_path} does not allow account {consumer} (allowed: {})",
                        if service_node.allowed_principals.is_empty() {
                            "its own account only".to_string()
                        } else {
                            service_node.allowed_principals.join(", ")
                        }
                    )),
                    Some(format!("add arn:aws:iam::{consumer}:root to its allowed_principals")),
                );
            }
        }
        // 6. An acceptance-required service leaves the endpoint `pendingAcceptance` until the
        // provider accepts it, whoever the consumer is (AWS PrivateLink, "Accept or reject
        // connection requests"; the endpoint lifecycle's PendingAcceptance state).
        if service_node.acceptance_required {
            let endpoint_path = self.model.path(endpoint_key);
            return self.result(
                PathKind::PendingAcceptance,
                via,
                Some(format!(
                    "endpoint service {service_path} requires acceptance: {endpoint_path} stays \
                     pendingAcceptance, and carries nothing, until the provider accepts it"
                )),
                Some(format!(
                    "after deploy, accept it on the provider's side: aws ec2 \
                     accept-vpc-endpoint-connections --service-id <{service_path}'s ID> \
                     --vpc-endpoint-ids <{endpoint_path}'s ID> (or the console's Endpoint \
                     services > Endpoint connections); or set acceptance_required(false) on \
                     {service_path} with the consumer in allowed_principals"
                )),
            );
        }
        self.result(PathKind::InterfaceEndpoint, via, None, None)
    }
}
