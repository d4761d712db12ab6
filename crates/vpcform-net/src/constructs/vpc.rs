//! `Vpc`: the network every other construct lives in.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::subnet::SubnetNode;
use crate::handle::handle;
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, Ipv4Cidr, StackMarker, SynthError, VpcMarker};

/// A VPC (`AWS::EC2::VPC`), typed by its [`VpcMarker`] `V`.
///
/// Every handle of a construct inside it is typed by `V` too, so VPC A's subnets cannot be given
/// to VPC B's endpoints.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Consumer { vpc VpcA } }
///
/// let mut stack = Stack::<Consumer>::new("Consumer");
/// let vpc_a = stack.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// assert_eq!(vpc_a.cidr(), Some(cidr!("10.0.0.0/16")));
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct Vpc<V: VpcMarker> {
    /// The VPC's IPv4 block, /16 to /28. Required.
    #[builder(setter(into))]
    cidr: CidrBlock,
    /// `EnableDnsSupport`: the Amazon-provided DNS server answers in the VPC. Default `true`:
    /// interface endpoints with private DNS need it.
    #[builder(default = true)]
    enable_dns_support: bool,
    /// `EnableDnsHostnames`: instances get public DNS hostnames. Default `true`: private DNS for
    /// interface endpoints needs it as well.
    #[builder(default = true)]
    enable_dns_hostnames: bool,
    /// An IPv6 block (`AWS::EC2::VPCCidrBlock`), for dual-stack subnets
    /// ([`Subnet::ipv6_index`](crate::vpc::Subnet)). Default: none (IPv4 only).
    #[builder(default, setter(strip_option(fallback = ipv6_opt)))]
    ipv6: Option<Ipv6Block>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
    #[builder(default, setter(skip))]
    _vpc: PhantomData<fn() -> V>,
}

/// Where a VPC's IPv6 block comes from (`AWS::EC2::VPCCidrBlock`; docs/aws-rules.md §22).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::vpc::Ipv6Block;
/// vpcform_net::topology! { stack S { vpc A } }
/// let mut stack = Stack::<S>::new("S");
/// let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").ipv6(Ipv6Block::AmazonProvided).build());
/// let from_ipam = Ipv6Block::ipam("ipam-pool-0123456789abcdef0", 56);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ipv6Block {
    /// `AmazonProvidedIpv6CidrBlock`: a /56 of Amazon's addresses, chosen by AWS.
    AmazonProvided,
    /// `Ipv6IpamPoolId` + `Ipv6NetmaskLength`: allocated from an IPAM pool.
    Ipam {
        /// The pool, `ipam-pool-…`.
        pool_id: String,
        /// The block's prefix length.
        netmask_length: u8,
    },
}

impl Ipv6Block {
    /// A block of `netmask_length` from an IPAM pool.
    ///
    /// See [`Ipv6Block`] for an example.
    pub fn ipam(pool_id: impl Into<String>, netmask_length: u8) -> Ipv6Block {
        Ipv6Block::Ipam {
            pool_id: pool_id.into(),
            netmask_length,
        }
    }

    /// How many /64 subnets the block holds, at most 256 (what `Fn::Cidr` can carve at once).
    pub(crate) fn subnet_count(&self) -> u32 {
        let prefix = match self {
            Ipv6Block::AmazonProvided => 56,
            Ipv6Block::Ipam { netmask_length, .. } => *netmask_length,
        };
        match 64u8.checked_sub(prefix) {
            Some(bits) if bits >= 8 => 256,
            Some(bits) => 1 << bits,
            None => 0,
        }
    }
}

/// The logical ID of a VPC's IPv6 block resource.
pub(crate) fn ipv6_block_id(vpc: &str) -> String {
    format!("{vpc}Ipv6Block")
}

handle! {
    /// A handle to a [`Vpc`] added to a stack.
    VpcRef exports crate::export::VpcId { cidr: Option<crate::Ipv4Cidr>, existing: bool }
}

impl<V> VpcRef<V> {
    /// The VPC's block, when it parsed.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// assert_eq!(vpc.cidr().map(|c| c.to_string()), Some("10.0.0.0/16".into()));
    /// ```
    pub fn cidr(&self) -> Option<crate::Ipv4Cidr> {
        self.cidr
    }

    /// `{"Fn::GetAtt": [id, "CidrBlock"]}`; for an [`ExistingVpc`](crate::existing::ExistingVpc), the
    /// block it was declared with.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// assert_eq!(vpc.cidr_block(), vpcform_net::Value::get_att("A", "CidrBlock"));
    /// ```
    pub fn cidr_block(&self) -> Value {
        match (self.existing, self.cidr) {
            (true, Some(cidr)) => Value::from(cidr.to_string()),
            _ => self
                .handle
                .scoped(Value::get_att(self.logical_id(), "CidrBlock")),
        }
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for Vpc<V> {
    type Handle = VpcRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> VpcRef<V> {
        let cidr = self.cidr.parsed().ok();
        let handle = stack.push(Node::Vpc(VpcNode {
            tags: self.tags,
            id,
            cidr: self.cidr,
            parsed: cidr,
            enable_dns_support: Some(self.enable_dns_support),
            enable_dns_hostnames: Some(self.enable_dns_hostnames),
            ipv6: self.ipv6,
            existing: None,
            secondary: Vec::new(),
        }));
        VpcRef::new(handle, cidr, false)
    }
}

pub(crate) struct VpcNode {
    pub(crate) id: Arc<str>,
    pub(crate) cidr: CidrBlock,
    /// The block, when it parses (an unparsable one is reported by `check`).
    pub(crate) parsed: Option<Ipv4Cidr>,
    /// `None`: an existing VPC's attribute nobody stated.
    pub(crate) enable_dns_support: Option<bool>,
    pub(crate) enable_dns_hostnames: Option<bool>,
    pub(crate) ipv6: Option<Ipv6Block>,
    /// Where an existing VPC's ID comes from; `None` for a VPC this stack creates.
    pub(crate) existing: Option<super::existing::ExistingId>,
    /// A looked-up VPC's secondary IPv4 blocks (`CidrBlockAssociationSet`): its subnets may
    /// sit in any of its blocks (VPC user guide, "Add or remove a CIDR block").
    pub(crate) secondary: Vec<Ipv4Cidr>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

/// IPv4 VPC and subnet blocks are /16 to /28 (aws-facts §1 [1]: CreateVpc, CreateSubnet).
pub(crate) fn check_prefix(check: &mut Check<'_>, id: &str, cidr: Ipv4Cidr) {
    if !(16..=28).contains(&cidr.prefix_len()) {
        check.report(SynthError::CidrPrefixOutOfRange {
            construct: check.path(id),
            cidr: cidr.to_string(),
            prefix: cidr.prefix_len(),
        });
    }
}

impl VpcNode {
    /// Whether `cidr` sits inside the VPC's primary block or one of its secondary blocks;
    /// `None` when the primary block did not parse.
    pub(crate) fn holds(&self, cidr: &Ipv4Cidr) -> Option<bool> {
        let primary = self.parsed?;
        Some(primary.contains(cidr) || self.secondary.iter().any(|b| b.contains(cidr)))
    }

    /// The DNS attributes known to be off (`enableDnsSupport`, `enableDnsHostnames`): private
    /// DNS and gateway endpoints' non-default record types need both on.
    pub(crate) fn dns_attributes_off(&self) -> impl Iterator<Item = &'static str> {
        [
            (self.enable_dns_support == Some(false)).then_some("enableDnsSupport"),
            (self.enable_dns_hostnames == Some(false)).then_some("enableDnsHostnames"),
        ]
        .into_iter()
        .flatten()
    }

    /// The VPC's subnets: no two overlap, no more addresses than the
    /// VPC has. Sorted by address once, so the overlap check is O(n log n), not pairwise.
    fn check_subnets(&self, check: &mut Check<'_>) {
        let model = check.model;
        let mut blocks: Vec<(Ipv4Cidr, NodeKey)> = Vec::new();
        let mut count = 0;
        let mut addresses = 0u64;
        for (key, subnet) in model.in_vpc::<SubnetNode>(check.key) {
            count += 1;
            if let Some(cidr) = subnet.parsed {
                addresses += cidr.size();
                blocks.push((cidr, key));
            }
        }
        // Subnets per VPC against the quota in force: the pipeline's quota_check.
        if let Some(cidr) = self.parsed
            && addresses > cidr.size() + self.secondary.iter().map(|b| b.size()).sum::<u64>()
        {
            check.report(SynthError::SubnetsExceedVpc {
                vpc: check.path(&self.id),
                cidr: cidr.to_string(),
                available: cidr.size(),
                needed: addresses,
                count,
            });
        }
        // Subnets must not overlap (aws-facts §1 [1]). Sorted by first address, a block
        // overlaps an earlier one exactly when it starts before the widest end so far.
        blocks.sort_by_key(|(cidr, key)| (cidr.first(), *key));
        let mut widest: Option<(Ipv4Cidr, NodeKey)> = None;
        for (cidr, key) in blocks {
            if let Some((other, other_key)) = widest
                && cidr.first() <= other.last()
            {
                // Reported on the subnet added later, naming the earlier one.
                let (later, later_cidr, earlier, earlier_cidr) = if key > other_key {
                    (key, cidr, other_key, other)
                } else {
                    (other_key, other, key, cidr)
                };
                check.report(SynthError::OverlappingSubnets {
                    construct: model.path(later),
                    cidr: later_cidr.to_string(),
                    other: model.path(earlier),
                    other_cidr: earlier_cidr.to_string(),
                });
            }
            if widest.is_none_or(|(w, _)| cidr.last() > w.last()) {
                widest = Some((cidr, key));
            }
        }
    }
}

impl ConstructNode for VpcNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, own: NodeKey) -> Option<NodeKey> {
        // The VPC is its own.
        Some(own)
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        if let Some(existing) = &self.existing {
            existing.check(check, &self.id, super::existing::ExistingKind::Vpc);
            super::lookup::check_stated_vpc(check, self);
        }
        if let Some(cidr) = check.cidr(&self.id, "CidrBlock", &self.cidr) {
            check_prefix(check, &self.id, cidr);
        }
        if let Some(Ipv6Block::Ipam {
            pool_id,
            netmask_length,
        }) = &self.ipv6
        {
            // IPAM pool IDs are `ipam-pool-` + 17 hex (EC2 API, IpamPool.IpamPoolId).
            if !super::ec2_id(pool_id, "ipam-pool-") {
                check.report(SynthError::InvalidText {
                    construct: check.path(&self.id),
                    property: "Ipv6IpamPoolId",
                    value: pool_id.clone(),
                    reason: "an IPAM pool ID is ipam-pool- and 8 or 17 lowercase hex digits".into(),
                });
            }
            // Subnets are /64s carved from the block (docs/aws-rules.md §22).
            if *netmask_length > 64 {
                check.report(SynthError::InvalidText {
                    construct: check.path(&self.id),
                    property: "Ipv6NetmaskLength",
                    value: netmask_length.to_string(),
                    reason: "the VPC's IPv6 block must hold /64 subnets: give a length of 64 or less (an Amazon-provided block is /56)".into(),
                });
            }
        }
        self.check_subnets(check);
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        if let Some(existing) = &self.existing {
            return existing.render(ctx, template, &self.id, super::existing::ExistingKind::Vpc);
        }
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::VPC")
                .property("CidrBlock", self.cidr.text())
                .property("EnableDnsSupport", self.enable_dns_support.unwrap_or(true))
                .property(
                    "EnableDnsHostnames",
                    self.enable_dns_hostnames.unwrap_or(true),
                )
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )?;
        if let Some(ipv6) = &self.ipv6 {
            let block = Resource::new("AWS::EC2::VPCCidrBlock")
                .property("VpcId", Value::reference(&*self.id));
            let block = match ipv6 {
                Ipv6Block::AmazonProvided => block.property("AmazonProvidedIpv6CidrBlock", true),
                Ipv6Block::Ipam {
                    pool_id,
                    netmask_length,
                } => block
                    .property("Ipv6IpamPoolId", pool_id.as_str())
                    .property("Ipv6NetmaskLength", u32::from(*netmask_length)),
            };
            template.add_resource(ipv6_block_id(&self.id), block)?;
        }
        Ok(())
    }

    fn pricing(&self) -> Pricing {
        // Free.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // The cluster its constructs are drawn in.
        Drawing::Hidden
    }
}
