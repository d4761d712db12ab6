//! `Vpc`: the network every other construct lives in.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use crate::handle::handle;
use crate::stack::{Check, Construct, Node, StackDef, VpcFacts, name_tag};
use crate::{CidrBlock, InStack, StackMarker, SynthError, VpcMarker};

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
    #[builder(default, setter(skip))]
    _vpc: PhantomData<fn() -> V>,
}

handle! {
    /// A handle to a [`Vpc`] added to a stack.
    VpcRef { cidr: Option<crate::Ipv4Cidr> }
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

    /// `{"Fn::GetAtt": [id, "CidrBlock"]}`.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack S { vpc A } }
    /// # let mut stack = Stack::<S>::new("S");
    /// let vpc = stack.add("A", Vpc::<A>::builder().cidr("10.0.0.0/16").build());
    /// assert_eq!(vpc.cidr_block(), vpcform_net::Value::get_att("A", "CidrBlock"));
    /// ```
    pub fn cidr_block(&self) -> Value {
        Value::get_att(self.logical_id(), "CidrBlock")
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for Vpc<V> {
    type Handle = VpcRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> VpcRef<V> {
        let cidr = self.cidr.parsed().ok();
        stack.vpcs.insert(
            id.clone(),
            VpcFacts {
                cidr,
                dns_support: self.enable_dns_support,
                dns_hostnames: self.enable_dns_hostnames,
            },
        );
        let mut handle = VpcRef::new(stack.handle(&id, &id));
        handle.cidr = cidr;
        stack.push(VpcNode {
            id,
            cidr: self.cidr,
            enable_dns_support: self.enable_dns_support,
            enable_dns_hostnames: self.enable_dns_hostnames,
        });
        handle
    }
}

struct VpcNode {
    id: Arc<str>,
    cidr: CidrBlock,
    enable_dns_support: bool,
    enable_dns_hostnames: bool,
}

/// AWS allows VPC and subnet blocks from /16 to /28 (EC2 API reference, CreateVpc and
/// CreateSubnet: "between /16 and /28").
pub(crate) fn check_prefix(check: &mut Check<'_>, id: &str, cidr: crate::Ipv4Cidr) {
    if !(16..=28).contains(&cidr.prefix_len()) {
        check.report(SynthError::CidrPrefixOutOfRange {
            construct: check.path(id),
            cidr: cidr.to_string(),
            prefix: cidr.prefix_len(),
        });
    }
}

impl Node for VpcNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn check(&self, check: &mut Check<'_>) {
        if let Some(cidr) = check.cidr(&self.id, "CidrBlock", &self.cidr) {
            check_prefix(check, &self.id, cidr);
        }
    }

    fn render(&self, stack: &StackDef, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::EC2::VPC")
                .property("CidrBlock", self.cidr.text())
                .property("EnableDnsSupport", self.enable_dns_support)
                .property("EnableDnsHostnames", self.enable_dns_hostnames)
                .property("Tags", name_tag(stack, &self.id)),
        )
    }
}
