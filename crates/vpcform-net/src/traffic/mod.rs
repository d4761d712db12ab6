//! Flow analysis: for each declared flow, the path its packets take — through a gateway
//! endpoint, an interface endpoint, a NAT or internet gateway — or why they cannot arrive,
//! found from the route tables, endpoints, security groups and load balancers of the app.

mod acceptance;
mod aws_service;
mod cross_vpc;
mod endpoint_service;
mod network_acl;
mod resource;
mod security_group;

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::constructs::endpoint_service::{EndpointServiceNode, EndpointServiceRef};
use crate::constructs::resource_configuration::ResourceConfigurationNode;
use crate::constructs::route_table::RouteTableNode;
use crate::constructs::subnet::SubnetNode;
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
/// or a VPC Lattice [`ResourceConfigurationRef`](crate::lattice::ResourceConfigurationRef) of any stack
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
    response_gb_per_month: Option<f64>,
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
            response_gb_per_month: None,
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
    /// # use vpcform_net::vpc::Ipv6Block;
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

    /// The expected volume the workload sends (requests, uploads), in GB a month, for the cost
    /// estimate. Default: unknown (0). What comes back is
    /// [`response_gb_per_month`](Flow::response_gb_per_month).
    ///
    /// See [`Flow`] for an example.
    pub fn gb_per_month(mut self, gb: f64) -> Flow {
        // `+ 0.0` turns -0 into 0: a report never shows "-0".
        self.gb_per_month = Some(gb + 0.0);
        self
    }

    /// The expected volume that comes back to the workload (responses, downloads, image
    /// pulls), in GB a month, for the cost estimate. Default: 0, a one-way flow.
    ///
    /// Endpoints and NAT gateways bill the GB of both directions; a transit gateway bills each
    /// GB on the attachment that sends it into the gateway, so a flow to a hub endpoint pays
    /// its requests on the workload's attachment and its responses on the hub's.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// # let sub = stack.add("Sub", Subnet::builder().vpc(&vpc).cidr("10.0.0.0/24").availability_zone(Az::index(0)).build());
    /// # let pods = stack.add("Pods", Workload::builder().subnets([&sub]).build());
    /// // Image pulls: little sent, much received.
    /// let flow = Flow::new(&pods, services::EcrDkr, Port::tcp(443))
    ///     .gb_per_month(3.0)
    ///     .response_gb_per_month(297.0);
    /// ```
    pub fn response_gb_per_month(mut self, gb: f64) -> Flow {
        // `+ 0.0` turns -0 into 0: a report never shows "-0".
        self.response_gb_per_month = Some(gb + 0.0);
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

    pub(crate) fn response_gb(&self) -> f64 {
        self.response_gb_per_month.unwrap_or(0.0)
    }
}

/// How a flow's packets travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
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
    /// assert!(vpcform_net::traffic::PathKind::GatewayEndpoint.is_private());
    /// assert!(!vpcform_net::traffic::PathKind::NatGateway.is_private());
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
    /// Expected GB a month the workload sends, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gb_per_month: Option<f64>,
    /// Expected GB a month that comes back to it, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_gb_per_month: Option<f64>,
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
    /// What the analysis assumed, once each: the VPCs whose default network ACL (allowing
    /// all traffic, as AWS creates it) the flows cross.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl TrafficReport {
    /// A table: each flow, its path and what it goes through (or why not).
    ///
    /// ```
    /// let report = vpcform_net::traffic::TrafficReport::default();
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
            .chain(self.notes.iter().map(|note| format!("note: {note}\n")))
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
    /// The VPCs whose default network ACL (allowing everything) the path relies on.
    pub(crate) default_network_acls: Vec<NodeKey>,
    /// Its fix, when the fix names the flow's sources (admit them, route them back): the
    /// same fix for other workloads is the same cause.
    pub(crate) sources_fix: Option<SourcesFix>,
}

/// A fix that names the flow's sources — `admit` them in security groups that refuse them,
/// `add a route to` them back — as the smallest declared block covering them: one cause,
/// whichever workloads it stops, and one round of fixing for all of them.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SourcesFix {
    /// What to do with the block: `admit`.
    pub(crate) action: &'static str,
    /// The rest, after the block: ` on TCP 443 in Hub/EndpointSg`.
    pub(crate) rest: String,
    /// The blocks stopped: the workloads' subnets'.
    pub(crate) sources: Vec<Ipv4Cidr>,
}

impl SourcesFix {
    /// `action` on the workload's subnets' blocks, or `None` when none parses.
    fn of(context: &Context<'_>, action: &'static str, rest: String) -> Option<SourcesFix> {
        let sources: Vec<Ipv4Cidr> = context
            .workload
            .subnets
            .iter()
            .filter_map(|s| context.model.get::<SubnetNode>(s)?.parsed)
            .collect();
        (!sources.is_empty()).then_some(SourcesFix {
            action,
            rest,
            sources,
        })
    }

    /// The fix, naming the smallest declared blocks covering every source.
    fn text(&self, model: &Model<'_>) -> String {
        let blocks: Vec<String> = model
            .covering_blocks(&self.sources)
            .iter()
            .map(ToString::to_string)
            .collect();
        format!("{} {}{}", self.action, blocks.join(", "), self.rest)
    }
}

/// One flow's analysis, typed.
#[derive(Clone, Debug)]
pub(crate) struct FlowOutcome {
    pub(crate) workload: NodeKey,
    pub(crate) destination: Target,
    /// GB a month the workload sends.
    pub(crate) gb: f64,
    /// GB a month that comes back to it.
    pub(crate) response_gb: f64,
    /// The port as reports show it (`TCP 443, IPv6` for an IPv6 flow).
    pub(crate) port_label: String,
    pub(crate) subnets: Vec<SubnetOutcome>,
}

impl FlowOutcome {
    /// GB a month both ways: what endpoints, NAT gateways and load balancers process.
    pub(crate) fn total_gb(&self) -> f64 {
        self.gb + self.response_gb
    }
}

impl SubnetOutcome {
    /// The transit gateway attachment its requests enter the gateway from: the first hop
    /// (over a peering connection, the connection, which is no attachment).
    pub(crate) fn request_attachment(&self) -> Option<NodeKey> {
        self.hops.first().copied()
    }

    /// The attachment its responses enter the gateway from: the hub's, the last hop after the
    /// gateway; `None` over a peering connection (one hop).
    pub(crate) fn response_attachment(&self) -> Option<NodeKey> {
        (self.hops.len() > 1)
            .then(|| self.hops.last().copied())
            .flatten()
    }
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
    // One cause, one finding: flows whose one fix is the same (a missing route), or that the
    // same security groups refuse on a port whichever workload sends them, are one error
    // listing them, in the order found.
    let mut not_private: Vec<(SynthError, Option<SourcesFix>)> = Vec::new();
    let mut by_cause: HashMap<(PathKind, String), usize> = HashMap::new();
    for flow in flows {
        if let Some((flow_report, outcome)) = analyze_flow(model, flow, findings) {
            if require_private && !flow_report.path.is_private() {
                let error = not_private_error(&flow_report);
                let sources_fix = flow_report
                    .subnets
                    .iter()
                    .position(|s| s.path == flow_report.path)
                    .and_then(|worst| outcome.subnets.get(worst)?.sources_fix.clone());
                let cause = match (&sources_fix, &error) {
                    (Some(f), _) => Some(format!("{} …{}", f.action, f.rest)),
                    (None, SynthError::TrafficNotPrivate { fix, .. }) if !fix.is_empty() => {
                        Some(fix.clone())
                    }
                    _ => None,
                };
                match cause.map(|cause| by_cause.entry((flow_report.path, cause))) {
                    Some(std::collections::hash_map::Entry::Occupied(first)) => {
                        if let Some((SynthError::TrafficNotPrivate { also, .. }, first_fix)) =
                            not_private.get_mut(*first.get())
                        {
                            also.push(flow_report.name());
                            if let (Some(first_fix), Some(fix)) = (first_fix, sources_fix) {
                                first_fix.sources.extend(fix.sources);
                            }
                        }
                    }
                    Some(std::collections::hash_map::Entry::Vacant(slot)) => {
                        slot.insert(not_private.len());
                        not_private.push((error, sources_fix));
                    }
                    None => not_private.push((error, sources_fix)),
                }
            }
            report.flows.push(flow_report);
            outcomes.push(outcome);
        }
    }
    // The default network ACLs relied on, once per VPC in the order met.
    let mut vpcs: Vec<NodeKey> = Vec::new();
    for subnet in outcomes.iter().flat_map(|o: &FlowOutcome| &o.subnets) {
        for &vpc in &subnet.default_network_acls {
            if !vpcs.contains(&vpc) {
                vpcs.push(vpc);
            }
        }
    }
    report.notes = vpcs
        .into_iter()
        .map(|vpc| {
            format!(
                "{}: subnets without a network ACL of the app use the VPC's default network ACL, which allows all traffic in and out as AWS creates it",
                model.path(vpc)
            )
        })
        .collect();
    // A fix naming sources names the smallest declared block covering every workload of the
    // finding (the spokes' summary), so that one round of fixing serves them all.
    findings
        .errors
        .extend(not_private.into_iter().map(|(mut error, sources_fix)| {
            if let (SynthError::TrafficNotPrivate { fix, .. }, Some(sources_fix)) =
                (&mut error, sources_fix)
            {
                *fix = sources_fix.text(model);
            }
            error
        }));
    Traffic { report, outcomes }
}

/// One flow's report and outcome; `None`, with the error in `findings`, when it has no path
/// to report.
fn analyze_flow(
    model: &Model<'_>,
    flow: &Flow,
    findings: &mut Findings,
) -> Option<(FlowReport, FlowOutcome)> {
    let destination_name = match &flow.destination {
        DestinationDef::AwsService(aws) => aws.name.clone(),
        DestinationDef::EndpointService(handle) | DestinationDef::Resource(handle) => handle.path(),
    };
    let name = format!(
        "{} -> {destination_name} ({})",
        flow.workload.path(),
        flow.port_label()
    );
    for gb in [flow.gb_per_month, flow.response_gb_per_month]
        .into_iter()
        .flatten()
    {
        if !(gb.is_finite() && gb >= 0.0) {
            findings.errors.push(SynthError::InvalidVolume {
                flow: name.clone(),
                value: gb,
            });
        }
    }
    let Some(workload) = model.get::<WorkloadNode>(&flow.workload) else {
        findings.errors.push(SynthError::FlowNotInApp {
            flow: name,
            missing: format!("workload {}", flow.workload.path()),
        });
        return None;
    };
    let target = resolve(model, &flow.destination, name, findings)?;
    // Resolved above: the stack is the app's.
    let stack = model.stack(flow.workload.key.stack)?;
    // A workload in no subnet is the workload's own error (`subnets is empty`, with its
    // fix): its flows have no path to report, and no second error without a reason.
    if workload.subnets.is_empty() {
        return None;
    }
    let (paths, typed) = subnet_paths(model, stack, workload, flow);
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
        response_gb_per_month: flow.response_gb_per_month,
        path,
        subnets: paths,
    };
    let outcome = FlowOutcome {
        workload: flow.workload.key,
        destination: target,
        gb: flow.gb(),
        response_gb: flow.response_gb(),
        port_label: flow.port_label(),
        subnets: typed,
    };
    Some((flow_report, outcome))
}

/// The flow's destination, resolved; `None`, with the error in `findings`, when it is not
/// in the app (or not an AWS service vpcform knows). `name` is the flow's, for the error.
fn resolve(
    model: &Model<'_>,
    destination: &DestinationDef,
    name: String,
    findings: &mut Findings,
) -> Option<Target> {
    let missing = match destination {
        DestinationDef::AwsService(aws) => {
            if let Some(error) = aws.unknown_error(name) {
                findings.errors.push(error);
                return None;
            }
            return Some(Target::AwsService(aws.name.clone()));
        }
        DestinationDef::EndpointService(handle) => {
            if model.get::<EndpointServiceNode>(handle).is_some() {
                return Some(Target::EndpointService(handle.key));
            }
            format!("endpoint service {}", handle.path())
        }
        DestinationDef::Resource(handle) => {
            if model.get::<ResourceConfigurationNode>(handle).is_some() {
                return Some(Target::Resource(handle.key));
            }
            format!("resource configuration {}", handle.path())
        }
    };
    findings.errors.push(SynthError::FlowNotInApp {
        flow: name,
        missing,
    });
    None
}

/// Each subnet of the workload's path: for the report, and typed.
fn subnet_paths(
    model: &Model<'_>,
    stack: &StackDef,
    workload: &WorkloadNode,
    flow: &Flow,
) -> (Vec<SubnetPath>, Vec<SubnetOutcome>) {
    let mut paths: Vec<SubnetPath> = Vec::with_capacity(workload.subnets.len());
    let mut typed: Vec<SubnetOutcome> = Vec::with_capacity(workload.subnets.len());
    for subnet in &workload.subnets {
        let context = Context {
            model,
            stack,
            workload,
            subnet,
            flow,
            sources_fix: std::cell::RefCell::new(None),
        };
        let ((mut path, via, hops), default_network_acls) =
            context.through_network_acls(context.through_acceptance(context.path()));
        path.hops = hops.iter().map(|&h| model.path(h)).collect();
        typed.push(SubnetOutcome {
            subnet: subnet.key,
            path: path.path,
            via,
            hops,
            default_network_acls,
            // Kept only when it is this outcome's fix, not an abandoned step's.
            sources_fix: context
                .sources_fix
                .into_inner()
                .filter(|f| path.fix.as_deref() == Some(f.text(model).as_str())),
        });
        paths.push(path);
    }
    (paths, typed)
}

/// The error for a flow that is not private, with the reason and fix of its worst subnet.
fn not_private_error(flow_report: &FlowReport) -> SynthError {
    let path = flow_report.path;
    let worst = flow_report.subnets.iter().find(|s| s.path == path).cloned();
    SynthError::TrafficNotPrivate {
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
        also: Vec::new(),
    }
}

/// One subnet of one flow's workload, being analysed.
struct Context<'a> {
    model: &'a Model<'a>,
    stack: &'a StackDef,
    workload: &'a WorkloadNode,
    subnet: &'a Handle,
    flow: &'a Flow,
    /// Set when the fix names the flow's sources (the outcome's text says so; this is the
    /// cause, for one finding per cause).
    sources_fix: std::cell::RefCell<Option<SourcesFix>>,
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

    /// The fix `action` on the workload's sources (IPv4: an IPv6 block is assigned at deploy,
    /// and said as the subnet's), naming the smallest declared block covering them; kept as
    /// the outcome's cause.
    fn fix_for_sources(&self, action: &'static str, rest: String) -> Option<String> {
        if self.flow.ipv6 {
            return None;
        }
        let sources_fix = SourcesFix::of(self, action, rest)?;
        let fix = sources_fix.text(self.model);
        self.sources_fix.replace(Some(sources_fix));
        Some(fix)
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
}
