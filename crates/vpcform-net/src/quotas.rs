//! AWS's quotas that what vpcform writes can exceed, as one closed table (`QUOTAS`), and
//! `Quotas`, the raised values a program declares per app or stack. Plain data (base layer):
//! the pipeline's `quota_check` counts the model against it.

use std::collections::BTreeMap;

/// The AWS quotas vpcform checks at synth: one per row of [`QUOTAS`].
///
/// ```
/// use vpcform_net::quotas::{Quota, Quotas};
/// assert_eq!(Quotas::default().get(Quota::RoutesPerRouteTable), 50);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Quota {
    /// Inbound or outbound rules per security group, IPv4 and IPv6 counted apart.
    RulesPerSecurityGroup,
    /// Security groups per network interface (an interface endpoint's, an NLB's).
    SecurityGroupsPerNetworkInterface,
    /// Routes per route table (non-propagated).
    RoutesPerRouteTable,
    /// Interface (and Gateway Load Balancer) VPC endpoints per VPC.
    InterfaceEndpointsPerVpc,
    /// Gateway VPC endpoints per Region.
    GatewayEndpointsPerRegion,
    /// Active VPC peering connections per VPC.
    PeeringConnectionsPerVpc,
    /// IPv4 CIDR blocks per VPC.
    Ipv4BlocksPerVpc,
    /// Subnets per VPC.
    SubnetsPerVpc,
    /// Attachments per transit gateway.
    AttachmentsPerTransitGateway,
    /// Routes (dynamic and static) across all route tables of one transit gateway.
    RoutesPerTransitGateway,
    /// VPCs associated with one private hosted zone.
    VpcsPerPrivateHostedZone,
    /// Listeners per Network Load Balancer.
    ListenersPerNetworkLoadBalancer,
    /// Rules per network ACL, one way, IPv4 and IPv6 apart, the default deny rule included.
    RulesPerNetworkAcl,
    /// Network ACLs per VPC.
    NetworkAclsPerVpc,
    /// Transit gateway peering attachments per transit gateway.
    PeeringAttachmentsPerTransitGateway,
    /// VPCs associated with one Route 53 Profile.
    VpcsPerProfile,
}

/// How vpcform stands to a row: what it checks at synth, or why it need not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    /// Counted at synth against the quota in force.
    AtSynth,
    /// What vpcform writes cannot exceed it (the reason).
    CannotExceed(&'static str),
}

/// One row of the table: a quota, AWS's default, how AWS counts it and where that is said.
#[derive(Clone, Copy, Debug)]
pub struct QuotaRow {
    /// Which quota.
    pub quota: Quota,
    /// What it limits, in AWS's words (the Service Quotas name).
    pub name: &'static str,
    /// The Service Quotas service and quota code, e.g. `vpc/L-0EA8095F`; `None` when the
    /// limit has no code of its own.
    pub code: Option<&'static str>,
    /// AWS's default.
    pub default: u32,
    /// How AWS counts it, and how vpcform does.
    pub counting: &'static str,
    /// The `Quotas` method that declares it raised.
    pub setter: &'static str,
    /// What to do instead of raising it.
    pub split: &'static str,
    /// The AWS page that states the default.
    pub source: &'static str,
    /// What the default and code were confirmed against.
    pub confirmed: &'static str,
    /// Whether vpcform checks it.
    pub checked: Checked,
}

const VPC_QUOTAS: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html";
const TGW_QUOTAS: &str = "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html";
const R53_QUOTAS: &str =
    "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html";
const NLB_QUOTAS: &str =
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-limits.html";

/// The VPC quotas page as AWS writes it: its source in AWS's documentation repository, whose
/// rows link each adjustable quota to its Service Quotas code (read with the search tool).
const VPC_PAGE_SOURCE: &str = "the VPC quotas page's source, awsdocs/amazon-vpc-user-guide \
                               doc_source/amazon-vpc-limits.md (commit 06e98d9), which links \
                               the quota to its Service Quotas code";

/// Every quota vpcform knows that its constructs can exceed: the closed table. The guide's
/// "Quotas" section lists it; a test keeps the two in step.
///
/// ```
/// use vpcform_net::quotas::{QUOTAS, Quota};
/// let rules = QUOTAS.iter().find(|r| r.quota == Quota::RulesPerSecurityGroup);
/// assert_eq!(rules.map(|r| r.default), Some(60));
/// ```
pub const QUOTAS: &[QuotaRow] = &[
    QuotaRow {
        quota: Quota::RulesPerSecurityGroup,
        name: "Inbound or outbound rules per security group",
        code: Some("vpc/L-0EA8095F"),
        default: 60,
        counting: "inbound and outbound apart, IPv4 and IPv6 apart; a block or a group is one \
                   rule (a group counted as IPv4: AWS does not say which); a prefix list \
                   counts as its maximum entries (an AWS-managed one as its weight), known when \
                   the program states them (`Peer::ipv4_prefix_list`), else as one IPv4 rule, \
                   a lower bound",
        setter: "rules_per_security_group",
        split: "split the rules across two security groups",
        source: VPC_QUOTAS,
        confirmed: VPC_PAGE_SOURCE,
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::SecurityGroupsPerNetworkInterface,
        name: "Security groups per network interface",
        code: Some("vpc/L-2AFB9258"),
        default: 5,
        counting: "the groups of an interface endpoint or of a Network Load Balancer (each \
                   is a network interface per subnet); this quota times the rules quota may \
                   not exceed 1,000, checked on the declared quotas",
        setter: "security_groups_per_network_interface",
        split: "merge the rules into fewer security groups",
        source: VPC_QUOTAS,
        confirmed: VPC_PAGE_SOURCE,
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::RoutesPerRouteTable,
        name: "Routes per route table",
        code: Some("vpc/L-93826ACB"),
        default: 50,
        counting: "non-propagated routes, IPv4 and IPv6 apart: the routes written to the \
                   table and one per gateway endpoint on it to its service's prefix list \
                   (weight 1 for S3 and DynamoDB; S3 Express's weight is not given, counted \
                   as 1), and one more for a dual-stack endpoint's IPv6 list; propagated \
                   routes do not count, and vpcform writes none",
        setter: "routes_per_route_table",
        split: "summarize the destinations into fewer, wider routes, or split the subnets \
                across route tables",
        source: VPC_QUOTAS,
        confirmed: VPC_PAGE_SOURCE,
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::InterfaceEndpointsPerVpc,
        name: "Interface and Gateway Load Balancer endpoints per VPC",
        code: None,
        default: 50,
        counting: "interface endpoints in the VPC, of every stack",
        setter: "interface_endpoints_per_vpc",
        split: "centralize the endpoints in another VPC",
        source: VPC_QUOTAS,
        confirmed: "50 and the name: the VPC quotas page's source (awsdocs/amazon-vpc-user-guide \
                    doc_source/amazon-vpc-limits.md), which gives no Service Quotas code (\"to \
                    increase this quota, contact AWS Support\"); public tooling lists \
                    vpc/L-29B6F2EB: unconfirmed",
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::GatewayEndpointsPerRegion,
        name: "Gateway VPC endpoints per Region",
        code: Some("vpc/L-1B52E74A"),
        default: 20,
        counting: "per account and Region, of every stack: stacks that pin neither count \
                   together, a pinned one with those of its pins",
        setter: "gateway_endpoints_per_region",
        split: "share the gateway endpoints' route tables instead of adding endpoints",
        source: VPC_QUOTAS,
        confirmed: VPC_PAGE_SOURCE,
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::PeeringConnectionsPerVpc,
        name: "Active VPC peering connections per VPC",
        code: Some("vpc/L-7E9ECCDB"),
        default: 50,
        counting: "the connections a VPC requests and accepts",
        setter: "peering_connections_per_vpc",
        split: "connect the VPCs through a transit gateway",
        source: VPC_QUOTAS,
        confirmed: VPC_PAGE_SOURCE,
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::Ipv4BlocksPerVpc,
        name: "IPv4 CIDR blocks per VPC",
        code: Some("vpc/L-83CA0A9D"),
        default: 5,
        counting: "the primary block and every secondary one",
        setter: "ipv4_blocks_per_vpc",
        split: "",
        source: VPC_QUOTAS,
        confirmed: VPC_PAGE_SOURCE,
        checked: Checked::CannotExceed("vpcform writes one IPv4 block per VPC"),
    },
    QuotaRow {
        quota: Quota::SubnetsPerVpc,
        name: "Subnets per VPC",
        code: Some("vpc/L-407747CB"),
        default: 200,
        counting: "subnets in the VPC, of every stack",
        setter: "subnets_per_vpc",
        split: "split the subnets across VPCs",
        source: VPC_QUOTAS,
        confirmed: VPC_PAGE_SOURCE,
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::AttachmentsPerTransitGateway,
        name: "Attachments per transit gateway",
        code: None,
        default: 5000,
        counting: "VPC attachments of every stack",
        setter: "attachments_per_transit_gateway",
        split: "spread the VPCs over two transit gateways, peered",
        source: TGW_QUOTAS,
        confirmed: "5,000, not adjustable (so no Service Quotas code): the transit gateway \
                    quotas page (search tool, docs corpus)",
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::RoutesPerTransitGateway,
        name: "Total combined routes (dynamic and static) across all route tables for a \
               single transit gateway",
        code: None,
        default: 10000,
        counting: "per transit gateway, over all its route tables",
        setter: "routes_per_transit_gateway",
        split: "summarize the destinations into fewer, wider routes",
        source: TGW_QUOTAS,
        confirmed: "10,000, adjustable, counted across all the transit gateway's route \
                    tables: the transit gateway quotas page (search tool, docs corpus); its \
                    Service Quotas code was not in what the search returned: unconfirmed",
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::VpcsPerPrivateHostedZone,
        name: "Amazon VPCs that you can associate with a private hosted zone",
        code: None,
        default: 300,
        counting: "the VPCs the zone names, of this app and external",
        setter: "vpcs_per_private_hosted_zone",
        split: "split the VPCs across two zones of the same name, or use a Route 53 Profile",
        source: R53_QUOTAS,
        confirmed: "300 per hosted zone, with no Service Quotas code (GetHostedZoneLimit \
                    MAX_VPCS_ASSOCIATED_BY_ZONE; past 300 AWS recommends Route 53 Profiles): \
                    the Route 53 quotas page's source, DNSLimitations.md (search tool)",
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::VpcsPerProfile,
        name: "VPC associations per Route 53 Profile",
        code: None,
        default: 1000,
        counting: "the profile's VPC associations in the app, of every stack (associations \
                   made outside the app are not known)",
        setter: "vpcs_per_profile",
        split: "split the VPCs across two profiles holding the same zones and endpoints",
        source: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53profiles_AssociateProfile.html",
        confirmed: "1,000, adjustable: the Route 53 Profiles API reference, AssociateProfile \
                    (\"a Profile can be associated with 1000 of VPCs (and you can request a \
                    higher quota)\"; search tool, docs corpus); its Service Quotas code was not \
                    in what the search returned: unconfirmed",
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::ListenersPerNetworkLoadBalancer,
        name: "Listeners per Network Load Balancer",
        code: None,
        default: 50,
        counting: "the load balancer's listeners, of every stack",
        setter: "listeners_per_network_load_balancer",
        split: "split the listeners across two load balancers",
        source: NLB_QUOTAS,
        confirmed: "50, not adjustable (so no Service Quotas code; AWS PrivateLink does not \
                    support a Network Load Balancer with more than 50 listeners either): the \
                    Network Load Balancer quotas page (search tool, docs corpus)",
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::RulesPerNetworkAcl,
        name: "Rules per network ACL",
        code: Some("vpc/L-2AEEBF1A"),
        default: 20,
        counting: "one way (inbound and outbound apart), IPv4 and IPv6 apart, the default \
                   deny rule of each included: a created ACL's rules of one direction and \
                   family, plus one",
        setter: "rules_per_network_acl",
        split: "merge rules into wider blocks or port ranges, or split the subnets across \
                two network ACLs",
        source: VPC_QUOTAS,
        confirmed: "20, adjustable up to 40, \"enforced separately for IPv4 rules and IPv6 \
                    rules\" and including \"the default deny rules\": the page's source \
                    (awsdocs/amazon-vpc-user-guide, amazon-vpc-limits.md), which links the code",
        checked: Checked::AtSynth,
    },
    QuotaRow {
        quota: Quota::NetworkAclsPerVpc,
        name: "Network ACLs per VPC",
        code: Some("vpc/L-B4A6D682"),
        default: 200,
        counting: "the network ACLs created in the VPC, of every stack, plus its default one",
        setter: "network_acls_per_vpc",
        split: "associate more subnets with fewer network ACLs",
        source: VPC_QUOTAS,
        confirmed: VPC_PAGE_SOURCE,
        checked: Checked::AtSynth,
    },
    // Issue 25.
    QuotaRow {
        quota: Quota::PeeringAttachmentsPerTransitGateway,
        name: "Number of transit gateway peering attachments per transit gateway",
        code: None,
        default: 50,
        counting: "the peering attachments the transit gateway requests or accepts, of every \
                   stack",
        setter: "peering_attachments_per_transit_gateway",
        split: "peer through a hub transit gateway per region instead of a full mesh",
        source: TGW_QUOTAS,
        confirmed: "50: the transit gateway quotas page's source \
                    (awsdocs/aws-transit-gateway-guide, transit-gateway-quotas.md), which gives \
                    no code; adjustable per a transcription of the current page: unconfirmed",
        checked: Checked::AtSynth,
    },
];

/// AWS's product limit on two quotas: rules per security group × groups per interface.
pub const RULES_TIMES_GROUPS: u32 = 1000;

/// The row of a quota.
///
/// ```
/// use vpcform_net::quotas::{row, Quota};
/// assert_eq!(row(Quota::SubnetsPerVpc).default, 200);
/// ```
pub fn row(quota: Quota) -> &'static QuotaRow {
    // The table has one row per variant (a test checks it); the first row is a fallback that
    // cannot be reached.
    QUOTAS
        .iter()
        .find(|r| r.quota == quota)
        .unwrap_or(&QUOTAS[0])
}

/// Quotas raised for an app or a stack: what AWS granted this account beyond the defaults
/// (each default is in [`QUOTAS`]). A stack's value overrides the app's, quota by quota.
///
/// ```
/// use vpcform_net::quotas::{Quota, Quotas};
/// let raised = Quotas::default().rules_per_security_group(120).routes_per_route_table(100);
/// assert_eq!(raised.get(Quota::RulesPerSecurityGroup), 120);
/// assert_eq!(raised.get(Quota::SubnetsPerVpc), 200); // the default
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Quotas {
    raised: BTreeMap<Quota, u32>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident => $quota:ident;)*) => {
        impl Quotas {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $name(self, value: u32) -> Quotas {
                    self.raise(Quota::$quota, value)
                }
            )*
        }
    };
}

setters! {
    /// Inbound or outbound rules per security group (default 60, `vpc/L-0EA8095F`).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().rules_per_security_group(120);
    /// ```
    rules_per_security_group => RulesPerSecurityGroup;
    /// Security groups per network interface (default 5, `vpc/L-2AFB9258`).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().security_groups_per_network_interface(8);
    /// ```
    security_groups_per_network_interface => SecurityGroupsPerNetworkInterface;
    /// Routes per route table (default 50, `vpc/L-93826ACB`).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().routes_per_route_table(100);
    /// ```
    routes_per_route_table => RoutesPerRouteTable;
    /// Interface and Gateway Load Balancer endpoints per VPC (default 50; raised through AWS
    /// Support, no Service Quotas code).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().interface_endpoints_per_vpc(100);
    /// ```
    interface_endpoints_per_vpc => InterfaceEndpointsPerVpc;
    /// Gateway VPC endpoints per Region (default 20, `vpc/L-1B52E74A`).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().gateway_endpoints_per_region(40);
    /// ```
    gateway_endpoints_per_region => GatewayEndpointsPerRegion;
    /// Active VPC peering connections per VPC (default 50, `vpc/L-7E9ECCDB`, up to 125).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().peering_connections_per_vpc(125);
    /// ```
    peering_connections_per_vpc => PeeringConnectionsPerVpc;
    /// IPv4 CIDR blocks per VPC (default 5, `vpc/L-83CA0A9D`).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().ipv4_blocks_per_vpc(10);
    /// ```
    ipv4_blocks_per_vpc => Ipv4BlocksPerVpc;
    /// Subnets per VPC (default 200, `vpc/L-407747CB`).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().subnets_per_vpc(300);
    /// ```
    subnets_per_vpc => SubnetsPerVpc;
    /// Attachments per transit gateway (default 5,000; AWS says it is not adjustable).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().attachments_per_transit_gateway(6000);
    /// ```
    attachments_per_transit_gateway => AttachmentsPerTransitGateway;
    /// Routes across all route tables of one transit gateway (default 10,000).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().routes_per_transit_gateway(20000);
    /// ```
    routes_per_transit_gateway => RoutesPerTransitGateway;
    /// VPCs associated with one private hosted zone (default 300).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().vpcs_per_private_hosted_zone(1000);
    /// ```
    vpcs_per_private_hosted_zone => VpcsPerPrivateHostedZone;
    /// VPC associations per Route 53 Profile (default 1,000).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().vpcs_per_profile(2000);
    /// ```
    vpcs_per_profile => VpcsPerProfile;
    /// Listeners per Network Load Balancer (default 50; AWS says it is not adjustable).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().listeners_per_network_load_balancer(100);
    /// ```
    listeners_per_network_load_balancer => ListenersPerNetworkLoadBalancer;
    /// Rules per network ACL, one way and per IP family, its default deny rule included
    /// (default 20, `vpc/L-2AEEBF1A`; AWS allows up to 40).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().rules_per_network_acl(40);
    /// ```
    rules_per_network_acl => RulesPerNetworkAcl;
    /// Network ACLs per VPC (default 200, `vpc/L-B4A6D682`).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().network_acls_per_vpc(300);
    /// ```
    network_acls_per_vpc => NetworkAclsPerVpc;
    /// Transit gateway peering attachments per transit gateway (default 50).
    ///
    /// ```
    /// let q = vpcform_net::quotas::Quotas::default().peering_attachments_per_transit_gateway(100);
    /// ```
    peering_attachments_per_transit_gateway => PeeringAttachmentsPerTransitGateway;
}

impl Quotas {
    /// Declares `quota` raised to `value` (what AWS granted; see [`QUOTAS`]).
    ///
    /// ```
    /// use vpcform_net::quotas::{Quota, Quotas};
    /// let q = Quotas::default().raise(Quota::SubnetsPerVpc, 300);
    /// assert_eq!(q.get(Quota::SubnetsPerVpc), 300);
    /// ```
    #[must_use]
    pub fn raise(mut self, quota: Quota, value: u32) -> Quotas {
        self.raised.insert(quota, value);
        self
    }

    /// The quota in force: the raised value, else AWS's default.
    ///
    /// ```
    /// use vpcform_net::quotas::{Quota, Quotas};
    /// assert_eq!(Quotas::default().get(Quota::ListenersPerNetworkLoadBalancer), 50);
    /// ```
    pub fn get(&self, quota: Quota) -> u32 {
        self.raised
            .get(&quota)
            .copied()
            .unwrap_or_else(|| row(quota).default)
    }

    /// These quotas over `base` (a stack's over the app's): each quota declared here wins.
    pub(crate) fn over(&self, base: &Quotas) -> Quotas {
        let mut raised = base.raised.clone();
        raised.extend(self.raised.iter().map(|(&q, &v)| (q, v)));
        Quotas { raised }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_quota() {
        let mut seen: Vec<Quota> = QUOTAS.iter().map(|r| r.quota).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), QUOTAS.len());
        // Issue 25 added peering attachments per transit gateway and VPCs per profile.
        assert_eq!(QUOTAS.len(), 16);
        assert!(
            QUOTAS
                .iter()
                .all(|r| r.source.starts_with("https://docs.aws.amazon.com/"))
        );
    }

    #[test]
    fn stack_overrides_app() {
        let app = Quotas::default()
            .rules_per_security_group(100)
            .subnets_per_vpc(300);
        let stack = Quotas::default().rules_per_security_group(120);
        let both = stack.over(&app);
        assert_eq!(both.get(Quota::RulesPerSecurityGroup), 120);
        assert_eq!(both.get(Quota::SubnetsPerVpc), 300);
        assert_eq!(both.get(Quota::RoutesPerRouteTable), 50);
    }
}
