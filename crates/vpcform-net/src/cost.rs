//! Monthly cost estimate: endpoints, load balancers and NAT gateways of each stack, and beside
//! them what the same AWS-service traffic would cost through NAT gateways.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::constructs::endpoint_service::EndpointServiceNode;
use crate::constructs::hosted_zone::PrivateHostedZoneNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::subnet::SubnetNode;
use crate::error::PricesError;
use crate::identity::NodeKey;
use crate::model::{Model, Pricing};
use crate::traffic::{FlowOutcome, PathKind, Target, Traffic};

/// Unit prices for one region, with where they come from. `Prices::us_east_1()` is the bundled
/// default; load your own with [`Prices::from_json`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prices {
    /// The region the prices are for.
    pub region: String,
    /// The currency, e.g. `USD`.
    pub currency: String,
    /// When they were read.
    pub retrieved: String,
    /// Where they come from.
    pub source: String,
    /// Hours billed in a month.
    pub hours_per_month: f64,
    /// Interface endpoint, per endpoint per AZ-hour.
    pub interface_endpoint_per_az_hour: f64,
    /// Interface endpoint, per GB processed (first tier).
    pub interface_endpoint_per_gb: f64,
    /// Gateway endpoint, per hour (free).
    pub gateway_endpoint_per_hour: f64,
    /// NAT gateway, per hour.
    pub nat_gateway_per_hour: f64,
    /// NAT gateway, per GB processed.
    pub nat_gateway_per_gb: f64,
    /// Network Load Balancer, per hour.
    pub nlb_per_hour: f64,
    /// Network Load Balancer, per NLCU-hour.
    pub nlb_per_nlcu_hour: f64,
    /// Data transfer between AZs, per GB each way.
    pub cross_az_per_gb: f64,
    /// Transit gateway, per attachment-hour. Default (a prices file without it): the bundled
    /// us-east-1 price.
    #[serde(default = "us_east_1_transit_gateway_attachment_per_hour")]
    pub transit_gateway_attachment_per_hour: f64,
    /// Transit gateway, per GB sent to it from a VPC. Default: the bundled us-east-1 price.
    #[serde(default = "us_east_1_transit_gateway_per_gb")]
    pub transit_gateway_per_gb: f64,
    /// Route 53 hosted zone, per zone-month (first 25). Default: the bundled us-east-1 price.
    #[serde(default = "us_east_1_hosted_zone_per_month")]
    pub hosted_zone_per_month: f64,
    /// Data transfer to another region, per GB sent (what a transit gateway peering between
    /// regions carries, and an interface endpoint to a service of another region). Default:
    /// the bundled us-east-1 price.
    #[serde(default = "us_east_1_inter_region_per_gb")]
    pub inter_region_per_gb: f64,
    /// Route 53 Profiles, per hour of an account that owns profiles: it covers the first 100
    /// Profile-VPC associations of all the account's profiles in a region. Default: the
    /// bundled us-east-1 price.
    #[serde(default = "us_east_1_profiles_per_hour")]
    pub profiles_per_hour: f64,
    /// Route 53 Profiles, per Profile-VPC association-hour past the first 100. Default: the
    /// bundled us-east-1 price.
    #[serde(default = "us_east_1_profile_association_per_hour")]
    pub profile_association_per_hour: f64,
}

// Prices added after the file format: a file of the earlier shape gets these (us-east-1,
// docs/aws-rules.md §18.9).
fn us_east_1_transit_gateway_attachment_per_hour() -> f64 {
    0.05
}
fn us_east_1_transit_gateway_per_gb() -> f64 {
    0.02
}
fn us_east_1_hosted_zone_per_month() -> f64 {
    0.50
}
fn us_east_1_inter_region_per_gb() -> f64 {
    0.02
}
fn us_east_1_profiles_per_hour() -> f64 {
    0.75
}
fn us_east_1_profile_association_per_hour() -> f64 {
    0.0014
}

const US_EAST_1: &str = include_str!("../prices/us-east-1.json");

impl Prices {
    /// The bundled us-east-1 list prices (see `prices/us-east-1.json` for source and date).
    ///
    /// # Errors
    /// Only if the bundled file were malformed, which a test rules out.
    ///
    /// ```
    /// let prices = vpcform_net::cost::Prices::us_east_1()?;
    /// assert_eq!(prices.region, "us-east-1");
    /// # Ok::<(), vpcform_net::findings::PricesError>(())
    /// ```
    pub fn us_east_1() -> Result<Prices, PricesError> {
        Prices::from_json(US_EAST_1, "bundled us-east-1.json")
    }

    /// Prices from JSON text of the bundled file's shape.
    ///
    /// # Errors
    /// [`PricesError::Parse`] naming `origin`.
    ///
    /// ```
    /// let text = include_str!("../prices/us-east-1.json").replace("0.045", "0.05");
    /// let prices = vpcform_net::cost::Prices::from_json(&text, "mine.json")?;
    /// assert_eq!(prices.nat_gateway_per_hour, 0.05);
    /// # Ok::<(), vpcform_net::findings::PricesError>(())
    /// ```
    pub fn from_json(text: &str, origin: &str) -> Result<Prices, PricesError> {
        let prices: Prices = serde_json::from_str(text).map_err(|source| PricesError::Parse {
            path: origin.to_string(),
            source,
        })?;
        for (field, value) in [
            ("hours_per_month", prices.hours_per_month),
            (
                "interface_endpoint_per_az_hour",
                prices.interface_endpoint_per_az_hour,
            ),
            (
                "interface_endpoint_per_gb",
                prices.interface_endpoint_per_gb,
            ),
            (
                "gateway_endpoint_per_hour",
                prices.gateway_endpoint_per_hour,
            ),
            ("nat_gateway_per_hour", prices.nat_gateway_per_hour),
            ("nat_gateway_per_gb", prices.nat_gateway_per_gb),
            ("nlb_per_hour", prices.nlb_per_hour),
            ("nlb_per_nlcu_hour", prices.nlb_per_nlcu_hour),
            ("cross_az_per_gb", prices.cross_az_per_gb),
            (
                "transit_gateway_attachment_per_hour",
                prices.transit_gateway_attachment_per_hour,
            ),
            ("transit_gateway_per_gb", prices.transit_gateway_per_gb),
            ("hosted_zone_per_month", prices.hosted_zone_per_month),
            ("inter_region_per_gb", prices.inter_region_per_gb),
            ("profiles_per_hour", prices.profiles_per_hour),
            (
                "profile_association_per_hour",
                prices.profile_association_per_hour,
            ),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(PricesError::Invalid {
                    path: origin.to_string(),
                    field,
                    value,
                });
            }
        }
        Ok(prices)
    }

    /// Prices from a JSON file.
    ///
    /// # Errors
    /// [`PricesError::Read`] or [`PricesError::Parse`] naming the file.
    ///
    /// ```no_run
    /// let prices = vpcform_net::cost::Prices::from_file("prices/eu-west-1.json".as_ref())?;
    /// # Ok::<(), vpcform_net::findings::PricesError>(())
    /// ```
    pub fn from_file(path: &Path) -> Result<Prices, PricesError> {
        let text = std::fs::read_to_string(path).map_err(|source| PricesError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Prices::from_json(&text, &path.display().to_string())
    }
}

/// One billed item.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostItem {
    /// The resource, `Stack/Id`.
    pub resource: String,
    /// What is billed, e.g. `2 AZs x 730 h x $0.01`.
    pub basis: String,
    /// Per month.
    pub monthly: f64,
}

/// A stack's items and total.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackCost {
    /// The stack.
    pub stack: String,
    /// Its billed items.
    pub items: Vec<CostItem>,
    /// Their sum, per month.
    pub total: f64,
}

/// The app's monthly estimate; written as `cost.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CostReport {
    /// The prices used.
    pub prices: Prices,
    /// Per stack.
    pub stacks: Vec<StackCost>,
    /// All stacks, per month.
    pub total: f64,
    /// The app's traffic to AWS services through VPC endpoints, per month.
    pub endpoints: f64,
    /// The same traffic through NAT gateways (one per VPC and AZ of the workloads), per month.
    pub nat_alternative: f64,
    /// Each hub endpoint that VPCs reach across a transit gateway or peering: what it costs
    /// centralized, and what the same traffic would cost with an endpoint in each of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub centralized: Vec<CentralizedEndpoint>,
    /// Billed resources the estimate does not price (`Stack/Id`): its totals leave them out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unpriced: Vec<String>,
    /// How the estimate was made, and what it leaves out.
    pub notes: Vec<String>,
}

/// A centralized interface endpoint against an endpoint in every VPC that uses it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CentralizedEndpoint {
    /// The hub endpoint, `Stack/Id`.
    pub endpoint: String,
    /// The AWS service.
    pub service: String,
    /// The VPCs that reach it from outside its own.
    pub vpcs: usize,
    /// Their traffic through it, GB a month both ways.
    pub gb: f64,
    /// The private hosted zones that give those VPCs the service's name for the hub endpoint:
    /// the centralized design pays for them; an endpoint in each VPC needs none (its private
    /// DNS is AWS-managed).
    pub zones: usize,
    /// Those VPCs that resolve the service through a Route 53 Profile holding the endpoint or
    /// its zone: their Profile-VPC associations.
    pub profile_associations: usize,
    /// Per month as built: the hub endpoint's AZ-hours and GB, the transit gateway's GB, the
    /// hosted zones and, when VPCs resolve it through a Route 53 Profile, the profile owner's
    /// hourly charge (priced for this endpoint as if it were the only one centralized: the
    /// charge covers an account's first 100 associations, whatever they serve) and each
    /// association past 100.
    pub centralized: f64,
    /// Per month with an endpoint in each of those VPCs instead (in the AZs their workloads
    /// use), and no transit gateway processing or hosted zone.
    pub distributed: f64,
}

impl fmt::Display for CostReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.prices;
        writeln!(
            f,
            "monthly estimate ({}, {} list prices of {}):",
            p.currency, p.region, p.retrieved
        )?;
        for stack in &self.stacks {
            writeln!(f, "  {}: ${:.2}", stack.stack, stack.total)?;
            for item in &stack.items {
                writeln!(
                    f,
                    "    ${:>9.2}  {}  ({})",
                    item.monthly, item.resource, item.basis
                )?;
            }
        }
        writeln!(
            f,
            "  traffic to AWS services through endpoints: ${:.2}/month; the same traffic through NAT: ${:.2}/month",
            self.endpoints, self.nat_alternative
        )?;
        if !self.unpriced.is_empty() {
            writeln!(
                f,
                "  not priced (left out of the totals): {}",
                self.unpriced.join(", ")
            )?;
        }
        for c in &self.centralized {
            let (verdict, by) = if c.centralized <= c.distributed {
                ("saves", c.distributed - c.centralized)
            } else {
                ("costs", c.centralized - c.distributed)
            };
            writeln!(
                f,
                "  {} ({}): ${:.2}/month centralized for {} VPC(s) with {} hosted zone(s){}, ${:.2} with an endpoint in each — centralizing {verdict} ${:.2}",
                c.endpoint,
                c.service,
                c.centralized,
                c.vpcs,
                c.zones,
                match c.profile_associations {
                    0 => String::new(),
                    n => format!(" and {n} Route 53 Profile association(s)"),
                },
                c.distributed,
                by
            )?;
        }
        Ok(())
    }
}

/// Rounds to cents, so reports compare and serialize stably.
/// Rounded to cents; `+ 0.0` turns -0 into 0.
fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

/// GB a month through the construct `via`, both ways: each flow's volume shared evenly among
/// its workload's subnets, counted for the subnets whose path goes through `via`.
fn gb_through(outcomes: &[FlowOutcome], via: NodeKey) -> f64 {
    outcomes
        .iter()
        .map(|flow| {
            let share = flow.total_gb() / flow.subnets.len().max(1) as f64;
            // Traffic that does not arrive is not billed.
            flow.subnets
                .iter()
                .filter(|s| s.path != PathKind::Unreachable && s.via == Some(via))
                .count() as f64
                * share
        })
        // A float sum starts at -0: `+ 0.0` keeps "-0 GB" out of the report.
        .sum::<f64>()
        + 0.0
}

/// GB a month a transit gateway attachment sends into the gateway: `(requests, responses)`.
/// "Data processing charges apply for each gigabyte sent from a VPC to the AWS Transit
/// Gateway" (Transit Gateway pricing page; docs/aws-rules.md §18.9): a flow's requests enter
/// at its own VPC's attachment, its responses at the hub's, so each stack pays what its VPC
/// sends.
fn attachment_gb(outcomes: &[FlowOutcome], attachment: NodeKey) -> (f64, f64) {
    let (mut requests, mut responses) = (0.0, 0.0);
    for flow in outcomes {
        let subnets = flow.subnets.len().max(1) as f64;
        for outcome in flow
            .subnets
            .iter()
            .filter(|s| s.path != PathKind::Unreachable)
        {
            if outcome.request_attachment() == Some(attachment) {
                requests += flow.gb / subnets;
            }
            if outcome.response_attachment() == Some(attachment) {
                responses += flow.response_gb / subnets;
            }
        }
    }
    // A float sum starts at -0: `+ 0.0` keeps "-0 GB" out of the report.
    (requests + 0.0, responses + 0.0)
}

/// GB a month over a peering connection, and the part of it that crosses AZs: a subnet's
/// share stays in its zone when the endpoint it reaches has a subnet in the same zone
/// (written the same way); otherwise, or when that cannot be told, it counts as crossing.
fn peering_gb(model: &Model<'_>, outcomes: &[FlowOutcome], peering: NodeKey) -> (f64, f64) {
    let (mut gb, mut crossing) = (0.0, 0.0);
    for flow in outcomes {
        let share = flow.total_gb() / flow.subnets.len().max(1) as f64;
        for outcome in flow
            .subnets
            .iter()
            .filter(|s| s.path != PathKind::Unreachable && s.hops.contains(&peering))
        {
            gb += share;
            let from = model.get_key::<SubnetNode>(outcome.subnet).map(|s| &s.az);
            let to = outcome
                .via
                .and_then(|via| model.get_key::<InterfaceEndpointNode>(via))
                .map(|e| crate::constructs::subnet::zones_of(model, &e.subnets))
                .unwrap_or_default();
            if !from.is_some_and(|az| to.contains(&az)) {
                crossing += share;
            }
        }
    }
    // A float sum starts at -0: `+ 0.0` keeps "-0 GB" out of the report.
    (gb + 0.0, crossing + 0.0)
}

/// GB a month over a transit gateway peering, both ways: each flow's requests and responses
/// shared evenly among its workload's subnets, for the subnets whose path crosses it.
fn peering_transfer_gb(outcomes: &[FlowOutcome], peering: NodeKey) -> f64 {
    outcomes
        .iter()
        .map(|flow| {
            let share = flow.total_gb() / flow.subnets.len().max(1) as f64;
            flow.subnets
                .iter()
                .filter(|s| s.path != PathKind::Unreachable && s.hops.contains(&peering))
                .count() as f64
                * share
        })
        // A float sum starts at -0: `+ 0.0` keeps "-0 GB" out of the report.
        .sum::<f64>()
        + 0.0
}

/// Whether every subnet of the flow reaches its destination through an interface endpoint
/// (accepted or pending acceptance).
fn private_link(flow: &FlowOutcome) -> bool {
    !flow.subnets.is_empty()
        && flow.subnets.iter().all(|s| {
            // Priced as it will run: once the provider accepts the connection.
            matches!(
                s.path,
                PathKind::InterfaceEndpoint | PathKind::PendingAcceptance
            )
        })
}

/// Hub endpoints reached from other VPCs (flows with hops), against an endpoint in each of
/// those VPCs: where centralizing wins (few GB, many VPCs) and where it loses (the transit
/// gateway's per-GB charge on heavy traffic, the hosted zones). Zones are found from the VPCs
/// (theirs and the hub's), once per endpoint: no scan per flow.
fn centralized(
    model: &Model<'_>,
    outcomes: &[FlowOutcome],
    prices: &Prices,
) -> Vec<CentralizedEndpoint> {
    let hours = prices.hours_per_month;
    /// A hub endpoint's use from other VPCs: its service, the GB, each VPC's AZs.
    type Use = (String, f64, BTreeMap<NodeKey, BTreeSet<String>>);
    let mut by_endpoint: BTreeMap<NodeKey, Use> = BTreeMap::new();
    for flow in outcomes {
        let Target::AwsService(service) = &flow.destination else {
            continue;
        };
        let share = flow.total_gb() / flow.subnets.len().max(1) as f64;
        for outcome in &flow.subnets {
            // Pending acceptance is priced as it will run once accepted.
            let (Some(endpoint), false, PathKind::InterfaceEndpoint | PathKind::PendingAcceptance) =
                (outcome.via, outcome.hops.is_empty(), outcome.path)
            else {
                continue;
            };
            let Some(subnet) = model.get_key::<SubnetNode>(outcome.subnet) else {
                continue;
            };
            let Some(vpc) = subnet.vpc.vpc else {
                continue;
            };
            let entry = by_endpoint
                .entry(endpoint)
                .or_insert_with(|| (service.clone(), 0.0, BTreeMap::new()));
            entry.1 += share;
            entry
                .2
                .entry(vpc)
                .or_default()
                .insert(subnet.az.to_string());
        }
    }
    by_endpoint
        .into_iter()
        .filter_map(|(endpoint, (service, gb, vpcs))| {
            let node = model.get_key::<InterfaceEndpointNode>(endpoint)?;
            let hub_azs = node.subnets.len() as f64;
            // The zones holding the service's name for this endpoint, associated with the hub
            // or with a VPC that uses it; a zone associated with several counts once.
            let zones: BTreeSet<NodeKey> = vpcs
                .keys()
                .copied()
                .chain(node.vpc.vpc)
                .flat_map(|vpc| model.zones_of(vpc))
                .filter(|(_, zone)| zone.endpoint.key == endpoint)
                .map(|(key, _)| key)
                .collect();
            // The VPCs whose profile holds this endpoint, or a zone naming it.
            let profile_associations = vpcs
                .keys()
                .filter(|&&vpc| {
                    model.profile_resources_of(vpc).any(|&held| {
                        held == endpoint
                            || model
                                .get_key::<PrivateHostedZoneNode>(held)
                                .is_some_and(|zone| zone.endpoint.key == endpoint)
                    })
                })
                .count();
            let profiles = if profile_associations == 0 {
                0.0
            } else {
                hours
                    * (prices.profiles_per_hour
                        + profile_associations.saturating_sub(100) as f64
                            * prices.profile_association_per_hour)
            };
            let centralized = hub_azs * hours * prices.interface_endpoint_per_az_hour
                + gb * (prices.interface_endpoint_per_gb + prices.transit_gateway_per_gb)
                + zones.len() as f64 * prices.hosted_zone_per_month
                + profiles;
            let spoke_az_hours: f64 =
                vpcs.values().map(|azs| azs.len() as f64).sum::<f64>() * hours;
            let distributed = spoke_az_hours * prices.interface_endpoint_per_az_hour
                + gb * prices.interface_endpoint_per_gb;
            Some(CentralizedEndpoint {
                endpoint: model.path(endpoint),
                service,
                vpcs: vpcs.len(),
                gb: cents(gb),
                zones: zones.len(),
                profile_associations,
                centralized: cents(centralized),
                distributed: cents(distributed),
            })
        })
        .collect()
}

pub(crate) fn estimate(model: &Model<'_>, traffic: &Traffic, prices: &Prices) -> CostReport {
    let outcomes = &traffic.outcomes;
    let mut stack_costs = Vec::new();
    let mut unpriced = Vec::new();
    for stack in model.stacks {
        let mut items = Vec::new();
        for (key, node) in stack.keyed_nodes() {
            let resource = stack.path(node.id());
            let pricing = node.construct().pricing();
            if pricing == Pricing::NotPriced {
                unpriced.push(resource.clone());
            }
            if let Some((basis, monthly)) = item(model, outcomes, prices, key, pricing) {
                items.push(CostItem {
                    resource,
                    basis,
                    monthly: cents(monthly),
                });
            }
        }
        let total = cents(items.iter().map(|i| i.monthly).sum());
        stack_costs.push(StackCost {
            stack: stack.name.to_string(),
            items,
            total,
        });
    }
    let (endpoints, nat_alternative) = endpoints_or_nat(model, outcomes, prices);
    let centralized = centralized(model, outcomes, prices);
    CostReport {
        centralized,
        unpriced,
        prices: prices.clone(),
        total: cents(stack_costs.iter().map(|s| s.total).sum()),
        stacks: stack_costs,
        endpoints: cents(endpoints),
        nat_alternative: cents(nat_alternative),
        notes: vec![
            "Volumes are the flows' declared GB a month, sent and (`response_gb_per_month`) received; a flow without one counts 0 GB, without a response volume is one-way.".into(),
            "A transit gateway attachment pays for the GB its VPC sends into the gateway: a flow's requests on its own VPC's attachment, its responses on the hub's.".into(),
            "The comparison carries all traffic to AWS services either through VPC endpoints (gateway endpoints free; an interface endpoint per VPC and service, or the hub's with the transit gateway's GB for flows it serves) or through one NAT gateway per VPC and AZ the workloads use; it excludes internet egress charges.".into(),
            "Flows to endpoint services have no NAT equivalent and are left out of the comparison (not of the totals); NLB capacity units are approximated by bytes (1 GB = 1 NLCU-hour).".into(),
            "Cross-AZ data transfer inside a VPC and the interface endpoint volume tiers above 1 PB are not included; over a peering connection, a subnet's traffic to an endpoint without a subnet in its zone is counted as crossing AZs.".into(),
            "VPC Lattice resource gateways, configurations, service networks and their endpoints are not priced (rates unconfirmed).".into(),
        ],
    }
}

/// One construct's monthly cost and how it is reckoned, by what it says it is billed for;
/// `None` when free or not priced.
fn item(
    model: &Model<'_>,
    outcomes: &[FlowOutcome],
    prices: &Prices,
    key: NodeKey,
    pricing: Pricing,
) -> Option<(String, f64)> {
    let hours = prices.hours_per_month;
    match pricing {
        Pricing::InterfaceEndpoint { zones } => {
            let azs = zones as f64;
            let gb = gb_through(outcomes, key);
            let (label, transfer) = cross_region_transfer(model, prices, key, gb);
            Some((
                format!(
                    "interface endpoint: {azs} AZ x {hours} h x ${} + {gb} GB x ${}{label}",
                    prices.interface_endpoint_per_az_hour, prices.interface_endpoint_per_gb
                ),
                azs * hours * prices.interface_endpoint_per_az_hour
                    + gb * prices.interface_endpoint_per_gb
                    + transfer,
            ))
        }
        Pricing::GatewayEndpoint => Some(("gateway endpoint: free".to_string(), 0.0)),
        Pricing::NetworkLoadBalancer => {
            // PrivateLink traffic to this NLB: flows to endpoint services on it that
            // arrive; NLCUs by bytes only (1 GB = 1 NLCU-hour).
            let gb: f64 = outcomes
                .iter()
                .filter(|flow| private_link(flow))
                .filter(|flow| match flow.destination {
                    Target::EndpointService(service) => model
                        .get_key::<EndpointServiceNode>(service)
                        .is_some_and(|s| s.network_load_balancers.iter().any(|h| h.key == key)),
                    Target::AwsService(_) | Target::Resource(_) => false,
                })
                .map(FlowOutcome::total_gb)
                .sum::<f64>()
                + 0.0;
            Some((
                format!(
                    "NLB: {hours} h x ${} + ~{gb} NLCU-h x ${} (bytes only)",
                    prices.nlb_per_hour, prices.nlb_per_nlcu_hour
                ),
                hours * prices.nlb_per_hour + gb * prices.nlb_per_nlcu_hour,
            ))
        }
        Pricing::NatGateway => {
            let gb = gb_through(outcomes, key);
            Some((
                format!(
                    "NAT gateway: {hours} h x ${} + {gb} GB x ${}",
                    prices.nat_gateway_per_hour, prices.nat_gateway_per_gb
                ),
                hours * prices.nat_gateway_per_hour + gb * prices.nat_gateway_per_gb,
            ))
        }
        // No hourly charge; "data transfer over a VPC peering connection that stays
        // within an Availability Zone … is free", across AZs it is billed in each
        // direction (AWS networking blog, "Demystifying VPC peering charges";
        // docs/aws-rules.md §18.9).
        Pricing::VpcPeering => {
            let (gb, crossing) = peering_gb(model, outcomes, key);
            Some((
                format!(
                    "VPC peering: no hourly charge; {crossing} of {gb} GB cross AZs x 2 directions x ${}",
                    prices.cross_az_per_gb
                ),
                crossing * 2.0 * prices.cross_az_per_gb,
            ))
        }
        Pricing::TransitGatewayAttachment => {
            let (requests, responses) = attachment_gb(outcomes, key);
            Some((
                format!(
                    "transit gateway attachment: {hours} h x ${} + ({requests} GB of requests + {responses} GB of responses sent in) x ${}",
                    prices.transit_gateway_attachment_per_hour, prices.transit_gateway_per_gb
                ),
                hours * prices.transit_gateway_attachment_per_hour
                    + (requests + responses) * prices.transit_gateway_per_gb,
            ))
        }
        // "There is a Transit Gateway attachment-hour charge for peering attachments … There
        // are no data processing charges for data sent from a peering attachment to a Transit
        // Gateway. Data transfer charges for intra-region and inter-region traffic still
        // apply" (AWS networking blog, "AWS Transit Gateway now supports Intra-Region
        // Peering", updated 2024-09-09): the processing is billed on the VPC attachments the
        // flows enter from (`attachment_gb`), the transfer here, each direction once, by the
        // side that sends it.
        Pricing::TransitGatewayPeering => Some(tgw_peering(model, outcomes, prices, key)),
        // Charged but not in the bundled prices: left out, and said so in the notes.
        Pricing::NotPriced => None,
        // Queries to a private zone are billed too, by the million: left out.
        Pricing::PrivateHostedZone => Some((
            format!(
                "private hosted zone: ${}/month (queries not included)",
                prices.hosted_zone_per_month
            ),
            prices.hosted_zone_per_month,
        )),
        Pricing::Free => None,
    }
}

/// The data transfer between Regions of an interface endpoint whose `ServiceRegion` is not
/// its VPC's Region (cross-Region PrivateLink), for the `gb` it carries both ways: the label
/// to append to its line and the amount. "There is no premium for accessing services in other
/// Regions": hours and data processing are the standard PrivateLink charges, and "in
/// addition, AWS cross-Region data transfer charges" apply (AWS PrivateLink pricing page,
/// "Cross-Region connectivity pricing"; aws-facts [35]), at the rate a transit gateway
/// peering's traffic pays (`inter_region_per_gb`). An endpoint of its own Region adds nothing;
/// one whose VPC's Region is not pinned says the transfer is not priced.
fn cross_region_transfer(
    model: &Model<'_>,
    prices: &Prices,
    key: NodeKey,
    gb: f64,
) -> (String, f64) {
    let Some(service_region) = model
        .get_key::<InterfaceEndpointNode>(key)
        .and_then(|e| e.service_region.as_deref())
    else {
        return (String::new(), 0.0);
    };
    match model.stack(key.stack).and_then(|s| s.region.as_deref()) {
        Some(own) if own == service_region => (String::new(), 0.0),
        Some(own) => (
            format!(
                "; {gb} GB between regions ({own} to the service in {service_region}) x ${}",
                prices.inter_region_per_gb
            ),
            gb * prices.inter_region_per_gb,
        ),
        None => (
            format!(
                "; {gb} GB to the service in {service_region} (own region unknown: transfer not priced)"
            ),
            0.0,
        ),
    }
}

/// A transit gateway peering attachment: its hours, and the transfer it carries between
/// regions (see `item`'s arm for the source).
fn tgw_peering(
    model: &Model<'_>,
    outcomes: &[FlowOutcome],
    prices: &Prices,
    key: NodeKey,
) -> (String, f64) {
    let hours = prices.hours_per_month;
    let gb = peering_transfer_gb(outcomes, key);
    let crosses = model
        .get_key::<crate::constructs::transit_gateway_peering::TransitGatewayPeeringNode>(key)
        .and_then(|p| p.crosses_regions(model, key));
    let (label, transfer) = match crosses {
        Some(true) => (
            format!("{gb} GB between regions x ${}", prices.inter_region_per_gb),
            gb * prices.inter_region_per_gb,
        ),
        Some(false) => (
            format!("{gb} GB within the region (transfer not priced)"),
            0.0,
        ),
        None => (
            format!("{gb} GB (regions unknown: transfer not priced)"),
            0.0,
        ),
    };
    (
        format!(
            "transit gateway peering: {hours} h x ${}, no data processing; {label}",
            prices.transit_gateway_attachment_per_hour
        ),
        hours * prices.transit_gateway_attachment_per_hour + transfer,
    )
}

/// The comparison, for the app's traffic to AWS services whatever its path today: all of it
/// through VPC endpoints (gateway endpoints free; one interface endpoint per VPC and service,
/// in the AZs the workloads use unless one exists), or all of it through NAT gateways (one per
/// VPC and AZ the workloads use). Returns `(endpoints, nat_alternative)`, monthly.
fn endpoints_or_nat(model: &Model<'_>, outcomes: &[FlowOutcome], prices: &Prices) -> (f64, f64) {
    let hours = prices.hours_per_month;
    let mut nat_azs: BTreeSet<(NodeKey, String)> = BTreeSet::new();
    let mut interface_azs: BTreeMap<(NodeKey, &str), BTreeSet<String>> = BTreeMap::new();
    let mut aws_gb = 0.0;
    let mut interface_gb = 0.0;
    // Traffic served by a hub endpoint across a transit gateway: the hub's endpoint is the
    // one counted (not one per VPC), and its GB pay the transit gateway too.
    let mut hub_gb = 0.0;
    for flow in outcomes {
        let Target::AwsService(service) = &flow.destination else {
            continue;
        };
        let gb = flow.total_gb();
        aws_gb += gb;
        let gateway = crate::services::lookup(service)
            .is_some_and(crate::services::ServiceInfo::has_gateway_endpoint);
        if !gateway {
            interface_gb += gb;
        }
        for outcome in &flow.subnets {
            let Some(subnet) = model.get_key::<SubnetNode>(outcome.subnet) else {
                continue;
            };
            let Some(vpc) = subnet.vpc.vpc else {
                continue;
            };
            nat_azs.insert((vpc, subnet.az.to_string()));
            if !gateway {
                let hub = (!outcome.hops.is_empty())
                    .then(|| outcome.via.and_then(|v| model.node(v)?.vpc(v)))
                    .flatten();
                if hub.is_some() {
                    hub_gb += gb / flow.subnets.len().max(1) as f64;
                }
                interface_azs
                    .entry((hub.unwrap_or(vpc), service.as_str()))
                    .or_default()
                    .insert(subnet.az.to_string());
            }
        }
    }
    let endpoint_az_hours: f64 = interface_azs
        .iter()
        .map(|((vpc, service), azs)| {
            model
                .in_vpc::<InterfaceEndpointNode>(*vpc)
                .find(|(_, e)| e.target.aws_name() == Some(*service))
                .map_or(azs.len(), |(_, e)| e.subnets.len()) as f64
        })
        .sum::<f64>()
        * hours;
    let endpoints = endpoint_az_hours * prices.interface_endpoint_per_az_hour
        + interface_gb * prices.interface_endpoint_per_gb
        + hub_gb * prices.transit_gateway_per_gb;
    let nat_alternative = nat_azs.len() as f64 * hours * prices.nat_gateway_per_hour
        + aws_gb * prices.nat_gateway_per_gb;
    (endpoints, nat_alternative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_prices_parse_and_name_their_source() {
        let prices = Prices::us_east_1().expect("bundled prices parse");
        assert_eq!(prices.region, "us-east-1");
        assert_eq!(prices.hours_per_month, 730.0);
        assert!(prices.source.contains("privatelink/pricing"));
        assert_eq!(prices.retrieved, "2026-11-26");
    }

    #[test]
    fn negative_or_unbounded_prices_are_refused() {
        let json = US_EAST_1.replace(
            "\"nat_gateway_per_gb\": 0.045",
            "\"nat_gateway_per_gb\": -0.045",
        );
        assert_ne!(json, US_EAST_1, "the bundled file names the field");
        assert!(matches!(
            Prices::from_json(&json, "test"),
            Err(PricesError::Invalid {
                field: "nat_gateway_per_gb",
                ..
            })
        ));
        let json = US_EAST_1.replace("\"hours_per_month\": 730", "\"hours_per_month\": 1e999");
        assert!(Prices::from_json(&json, "test").is_err());
    }
}
