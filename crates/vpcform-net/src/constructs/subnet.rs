//! `Subnet`: a block of a VPC's addresses in one availability zone.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::vpc::{VpcNode, VpcRef, check_prefix};
use crate::handle::{Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, Ipv4Cidr, StackMarker, SynthError, VpcMarker};

/// Where a subnet is placed.
///
/// AZ *names* map to different physical zones in different accounts; when a provider and its
/// consumers are in different accounts, align them on AZ *IDs*
/// (<https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html>).
///
/// ```
/// use vpcform_net::vpc::Az;
/// let first = Az::index(0);          // the region's first AZ, whatever the region
/// let named = Az::name("us-east-1a");
/// let by_id = Az::id("use1-az1");     // the same physical zone in every account
/// assert_ne!(first, named);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Az {
    /// The n-th zone of the stack's region: `Fn::Select [n, Fn::GetAZs ""]`.
    Index(u32),
    /// A zone name such as `us-east-1a` (`AvailabilityZone`).
    Name(String),
    /// A zone ID such as `use1-az1` (`AvailabilityZoneId`).
    Id(String),
}

impl Az {
    /// The n-th zone of the stack's region.
    ///
    /// ```
    /// assert_eq!(vpcform_net::vpc::Az::index(1), vpcform_net::vpc::Az::Index(1));
    /// ```
    pub fn index(n: u32) -> Az {
        Az::Index(n)
    }

    /// A zone by name, e.g. `us-east-1a`.
    ///
    /// ```
    /// let az = vpcform_net::vpc::Az::name("eu-west-1b");
    /// ```
    pub fn name(name: impl Into<String>) -> Az {
        Az::Name(name.into())
    }

    /// A zone by ID, e.g. `use1-az1`.
    ///
    /// ```
    /// let az = vpcform_net::vpc::Az::id("euw1-az2");
    /// ```
    pub fn id(id: impl Into<String>) -> Az {
        Az::Id(id.into())
    }
}

impl Az {
    /// Whether two zones are written the same way (both indexes, names or IDs), so that
    /// "equal" means "the same zone" before deploy; an index and a name are not comparable.
    pub(crate) fn comparable(&self, other: &Az) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }

    /// Whether this zone is known to be none of `covered`: written like them and not among
    /// them (unknown is not missing).
    /// How the zone is given: `AZ ID`, `name` or `index`.
    pub(crate) fn form(&self) -> &'static str {
        match self {
            Az::Index(_) => "index",
            Az::Name(_) => "name",
            Az::Id(_) => "AZ ID",
        }
    }

    pub(crate) fn missing_from(&self, covered: &[&Az]) -> bool {
        covered.iter().any(|c| c.comparable(self)) && !covered.contains(&self)
    }
}

/// The zones of the app's subnets among `subnets`.
pub(crate) fn zones_of<'m>(model: &crate::model::Model<'m>, subnets: &[Handle]) -> Vec<&'m Az> {
    subnets
        .iter()
        .filter_map(|s| model.get::<SubnetNode>(s).map(|n| &n.az))
        .collect()
}

impl std::fmt::Display for Az {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Az::Index(n) => write!(f, "AZ #{n} of the region"),
            Az::Name(name) => write!(f, "{name}"),
            Az::Id(id) => write!(f, "AZ ID {id}"),
        }
    }
}

/// A subnet (`AWS::EC2::Subnet`) of VPC `V`.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Consumer { vpc VpcA } }
///
/// let mut stack = Stack::<Consumer>::new("Consumer");
/// let vpc = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let subnet = stack.add(
///     "PrivateA",
///     Subnet::builder()
///         .vpc(&vpc)
///         .cidr(cidr!("10.0.1.0/24"))
///         .availability_zone(Az::index(0))
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct Subnet<V: VpcMarker> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The subnet's block: inside the VPC's, /16 to /28, overlapping no other subnet. Required.
    #[builder(setter(into))]
    cidr: CidrBlock,
    /// The availability zone. Required: placing subnets is a decision, not a default.
    availability_zone: Az,
    /// `MapPublicIpOnLaunch`. Default `false`: subnets are private unless said otherwise.
    #[builder(default = false)]
    map_public_ip_on_launch: bool,
    /// Makes the subnet dual-stack: its `Ipv6CidrBlock` is the n-th /64 of its VPC's IPv6
    /// block (`Fn::Cidr`, as AWS's own example and CDK write it), and instances get an IPv6
    /// address (`AssignIpv6AddressOnCreation`). The VPC needs an
    /// [`Ipv6Block`](crate::vpc::Ipv6Block); no two subnets of a VPC take the same index. Default:
    /// none (IPv4 only).
    #[builder(default, setter(strip_option(fallback = ipv6_index_opt)))]
    ipv6_index: Option<u8>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`Subnet`] added to a stack.
    SubnetRef exports crate::export::SubnetId { az: Az }
}

impl<V> SubnetRef<V> {
    /// The subnet's availability zone.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// # let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// let subnet = stack.add(
    ///     "Sub",
    ///     Subnet::builder().vpc(&vpc).cidr("10.0.0.0/24").availability_zone(Az::index(1)).build(),
    /// );
    /// assert_eq!(subnet.availability_zone(), &Az::index(1));
    /// ```
    pub fn availability_zone(&self) -> &Az {
        &self.az
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for Subnet<V> {
    type Handle = SubnetRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> SubnetRef<V> {
        let az = self.availability_zone.clone();
        let handle = stack.push(Node::Subnet(SubnetNode {
            tags: self.tags,
            id,
            vpc: self.vpc.handle,
            parsed: self.cidr.parsed().ok(),
            cidr: self.cidr,
            az: self.availability_zone,
            map_public_ip_on_launch: self.map_public_ip_on_launch,
            ipv6_index: self.ipv6_index,
            existing: None,
        }));
        SubnetRef::new(handle, az)
    }
}

pub(crate) struct SubnetNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    cidr: CidrBlock,
    /// The block, when it parses (an unparsable one is reported by `check`).
    pub(crate) parsed: Option<Ipv4Cidr>,
    pub(crate) az: Az,
    map_public_ip_on_launch: bool,
    /// The index of its /64 in the VPC's IPv6 block: a dual-stack subnet.
    pub(crate) ipv6_index: Option<u8>,
    /// Where an existing subnet's ID comes from; `None` for one this stack creates.
    pub(crate) existing: Option<super::existing::ExistingId>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl SubnetNode {
    /// An existing subnet: its facts, and where its ID comes from.
    pub(crate) fn existing(
        id: Arc<str>,
        vpc: Handle,
        cidr: CidrBlock,
        az: Az,
        existing: super::existing::ExistingId,
    ) -> SubnetNode {
        SubnetNode {
            tags: crate::Tags::new(),
            id,
            vpc,
            parsed: cidr.parsed().ok(),
            cidr,
            az,
            map_public_ip_on_launch: false,
            ipv6_index: None,
            existing: Some(existing),
        }
    }

    /// A dual-stack subnet: its VPC has an IPv6 block, its index is inside it and no other
    /// subnet of the VPC has it (docs/aws-rules.md §22).
    fn check_ipv6(&self, check: &mut Check<'_>, index: u8) {
        let Some(vpc) = check.get::<VpcNode>(&self.vpc) else {
            return;
        };
        let Some(block) = &vpc.ipv6 else {
            check.report(SynthError::Ipv6WithoutVpcBlock {
                construct: check.path(&self.id),
                vpc: self.vpc.path(),
            });
            return;
        };
        if u32::from(index) >= block.subnet_count() {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "Ipv6CidrBlock",
                value: format!("index {index}"),
                reason: format!(
                    "the VPC's IPv6 block holds {} /64 subnets: choose an index below that",
                    block.subnet_count()
                ),
            });
        }
        if let Some(vpc_key) = self.vpc.vpc {
            let claim = crate::model::Claim::Ipv6Subnet {
                vpc: vpc_key,
                index,
            };
            if let Some(other) = check.claim(claim) {
                check.report(SynthError::OverlappingSubnets {
                    construct: check.path(&self.id),
                    cidr: format!("IPv6 /64 #{index}"),
                    other,
                    other_cidr: format!("IPv6 /64 #{index}"),
                });
            }
        }
    }

    /// Whether the subnet has an IPv6 block: `None` when nobody said (an existing subnet).
    pub(crate) fn has_ipv6(&self) -> Option<bool> {
        match (&self.existing, self.ipv6_index) {
            (_, Some(_)) => Some(true),
            (Some(_), None) => None,
            (None, None) => Some(false),
        }
    }
}

/// What is wrong with a zone for a stack in `region` (`None`: not pinned), if anything.
///
/// Sources (docs/aws-rules.md §9): AZ names are the region code plus one letter and AZ IDs
/// `use1-az1` ("AWS Availability Zones",
/// <https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html>);
/// the zones per region are cfn-lint's table; an index past the region's zones fails the stack
/// with "Template error: Fn::Select cannot select nonexistent value at index N".
fn zone_problem(az: &Az, region: Option<&str>) -> Option<(String, String)> {
    let letters = region.and_then(crate::regions::zone_letters);
    match az {
        Az::Index(n) => {
            let n = *n as usize;
            match (region, letters) {
                (Some(region), Some(letters)) if n >= letters.len() => Some((
                    format!(
                        "is past the {count} zones of {region} (indexes 0 to {last}): \
                         CloudFormation fails the stack with \"Fn::Select cannot select \
                         nonexistent value at index {n}\"",
                        count = letters.len(),
                        last = letters.len() - 1,
                    ),
                    format!("use an index below {}", letters.len()),
                )),
                _ if n >= crate::regions::MOST_ZONES => Some((
                    format!(
                        "is past the zones of every region (at most {most}, in us-east-1): \
                         CloudFormation fails the stack with \"Fn::Select cannot select \
                         nonexistent value at index {n}\"",
                        most = crate::regions::MOST_ZONES,
                    ),
                    "use an index below the region's zone count".to_string(),
                )),
                _ => None,
            }
        }
        Az::Name(name) => {
            let (code, letter) = match name.char_indices().last() {
                Some((i, c)) if c.is_ascii_lowercase() => (&name[..i], c),
                _ => ("", ' '),
            };
            if !crate::regions::is_region_code(code) {
                return Some((
                    "is not a zone name: AWS names zones by their region and a letter \
                     (us-east-1a)"
                        .to_string(),
                    "write a zone name such as us-east-1a, or use Az::id for a zone ID (use1-az1)"
                        .to_string(),
                ));
            }
            match region {
                Some(region) if region != code => Some((
                    format!(
                        "is in {code}, but the stack is pinned to {region}: a subnet is created \
                         in its stack's region"
                    ),
                    format!("use one of {region}'s zones or Az::index"),
                )),
                _ => match crate::regions::zone_letters(code) {
                    Some(letters) if !letters.contains(letter) => {
                        let zones = letters
                            .chars()
                            .map(|l| format!("{code}{l}"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        Some((
                            format!(
                                "does not exist: {code} has zones {zones}, and AWS refuses the \
                                 subnet (\"Value ({name}) for parameter availabilityZone is \
                                 invalid\")"
                            ),
                            format!("use one of {zones}"),
                        ))
                    }
                    _ => None,
                },
            }
        }
        Az::Id(id) if !crate::regions::is_zone_id(id) => Some((
            "is not a zone ID: AWS zone IDs are a region abbreviation, its number, -az and a \
             number (use1-az1, apne1-az4)"
                .to_string(),
            "write a zone ID such as use1-az1, or use Az::name for a zone name (us-east-1a)"
                .to_string(),
        )),
        Az::Id(_) => None,
    }
}

/// Interface endpoints and load balancers take one subnet per availability zone: AWS answers a
/// second with `DuplicateSubnetsInSameZone` (aws-facts §1 [3]).
pub(crate) fn check_one_subnet_per_az(check: &mut Check<'_>, construct: &str, subnets: &[Handle]) {
    check_az_forms(check, construct, subnets);
    let mut seen: std::collections::HashMap<&Az, &Handle> =
        std::collections::HashMap::with_capacity(subnets.len());
    for subnet in subnets {
        let Some(node) = check.get::<SubnetNode>(subnet) else {
            continue;
        };
        match seen.entry(&node.az) {
            std::collections::hash_map::Entry::Occupied(first) => {
                let first = first.get().path();
                let second = subnet.path();
                // The pair is the cause, whichever construct lists it in whichever order:
                // every endpoint, attachment and NLB given both is one finding.
                let cause = if first <= second {
                    format!("{first} {second}")
                } else {
                    format!("{second} {first}")
                };
                check.report_cause(
                    cause,
                    SynthError::DuplicateSubnetsInSameZone {
                        construct: check.path(construct),
                        kind: check
                            .model
                            .node(check.key)
                            .map_or_else(|| "it".to_string(), |n| n.kind().with_article()),
                        az: node.az.to_string(),
                        first,
                        second,
                        also: Vec::new(),
                    },
                );
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(subnet);
            }
        }
    }
}

/// A construct's subnets giving their zones in different forms: an index or a name and an ID
/// cannot be compared, so "one subnet per zone" and zone coverage cannot be told (a warning:
/// within one account they may well differ).
fn check_az_forms(check: &mut Check<'_>, construct: &str, subnets: &[Handle]) {
    let mut forms: Vec<&'static str> = Vec::new();
    for subnet in subnets {
        if let Some(node) = check.get::<SubnetNode>(subnet) {
            let form = node.az.form();
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    if forms.len() > 1 && forms.contains(&"AZ ID") {
        check.warn(crate::SynthWarning::MixedAzForms {
            construct: check.path(construct),
            forms: forms.join(", "),
        });
    }
}

/// Every subnet given to `construct` that is known to lack IPv6 is an error naming `what`
/// needs it; an existing subnet's IPv6 is not known, so not checked.
pub(crate) fn check_ipv6_subnets(
    check: &mut Check<'_>,
    construct: &str,
    subnets: &[Handle],
    what: &str,
) {
    for subnet in subnets {
        if check
            .get::<SubnetNode>(subnet)
            .is_some_and(|node| node.has_ipv6() == Some(false))
        {
            check.report(SynthError::SubnetWithoutIpv6 {
                construct: check.path(construct),
                what: what.to_string(),
                subnet: subnet.path(),
            });
        }
    }
}

impl ConstructNode for SubnetNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        self.vpc.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
        if let Some(existing) = &self.existing {
            existing.check(check, &self.id, super::existing::ExistingKind::Subnet);
            super::lookup::check_stated_subnet(check, self);
        }
        super::lookup::check_zone_in_map(check, &self.id, &self.az);
        if let Some((reason, fix)) = zone_problem(&self.az, check.stack.region.as_deref()) {
            check.report(SynthError::InvalidAvailabilityZone {
                construct: check.path(&self.id),
                az: self.az.to_string(),
                reason,
                fix,
            });
        }
        if let Some(index) = self.ipv6_index {
            self.check_ipv6(check, index);
        }
        let Some(cidr) = check.cidr(&self.id, "CidrBlock", &self.cidr) else {
            return;
        };
        check_prefix(check, &self.id, cidr);
        // A subnet must equal or sit inside its VPC's block (aws-facts §1 [1]). Overlaps
        // between subnets are the VPC's check (one sorted pass, not pairs).
        if let Some(vpc) = check.get::<VpcNode>(&self.vpc)
            && let Some(vpc_cidr) = vpc.parsed
            && vpc.holds(&cidr) == Some(false)
        {
            check.report(SynthError::SubnetOutsideVpc {
                construct: check.path(&self.id),
                subnet: cidr.to_string(),
                vpc: self.vpc.path(),
                vpc_cidr: vpc_cidr.to_string(),
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        if let Some(existing) = &self.existing {
            return existing.render(
                ctx,
                template,
                &self.id,
                super::existing::ExistingKind::Subnet,
            );
        }
        let mut subnet = Resource::new("AWS::EC2::Subnet")
            .property("VpcId", self.vpc.reference())
            .property("CidrBlock", self.cidr.text());
        subnet = match &self.az {
            Az::Index(n) => {
                subnet.property("AvailabilityZone", Value::select(*n, Value::get_azs()))
            }
            Az::Name(name) => subnet.property("AvailabilityZone", name.as_str()),
            Az::Id(id) => subnet.property("AvailabilityZoneId", id.as_str()),
        };
        subnet = subnet.property("MapPublicIpOnLaunch", self.map_public_ip_on_launch);
        if let Some(index) = self.ipv6_index
            && let Some(block) = ctx
                .model
                .get::<VpcNode>(&self.vpc)
                .and_then(|v| v.ipv6.as_ref())
        {
            let vpc = self.vpc.id.to_string();
            let blocks = Value::cidr(
                Value::select(0, Value::get_att(&vpc, "Ipv6CidrBlocks")),
                block.subnet_count(),
                64,
            );
            subnet = subnet
                .property("Ipv6CidrBlock", Value::select(u32::from(index), blocks))
                .property("AssignIpv6AddressOnCreation", true)
                // The VPC's Ipv6CidrBlocks is empty until its block is associated.
                .depends_on(super::vpc::ipv6_block_id(&vpc));
        }
        template.add_resource(
            &*self.id,
            subnet.property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // Free.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Subnet {
            cidr: self.parsed,
            az: &self.az,
        }
    }
}
