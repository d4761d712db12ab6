//! Existing VPCs, subnets, route tables and security groups: the networks users already have,
//! typed with the same markers as created ones, so they go everywhere a created one goes.
//!
//! An existing resource becomes a template parameter of an AWS-specific type
//! (`AWS::EC2::VPC::Id`, …), named by the construct's ID: every `Ref` to it works as for a
//! created one, and CloudFormation checks at deploy that the resource exists in the account
//! and region ("AWS-specific parameter types": CloudFormation user guide, "Parameters";
//! docs/aws-rules.md §19).

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Parameter, Template, TemplateError};

use super::route_table::{RouteTableNode, RouteTableRef};
use super::security_group::{SecurityGroupNode, SecurityGroupRef};
use super::subnet::{Az, SubnetNode, SubnetRef};
use super::vpc::{VpcNode, VpcRef};
use crate::handle::{AsHandle, collect};
use crate::model::{Check, Node, Render};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, StackMarker, SynthError, VpcMarker};

/// Where an existing resource's ID comes from.
///
/// ```
/// use vpcform_net::existing::ExistingId;
/// let literal = ExistingId::id("vpc-0a1b2c3d4e5f60718");
/// let at_deploy = ExistingId::parameter(); // a template parameter named by the construct's ID
/// let from_ssm = ExistingId::ssm("/network/prod/vpc-id");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExistingId {
    /// The ID itself, e.g. `vpc-0a1b2c3d4e5f60718`: the parameter's default.
    Id(String),
    /// A template parameter without a default, named by the construct's ID: its value is given
    /// at deploy (`deploy --parameters Stack:Id=vpc-…`).
    Parameter,
    /// The name of a Systems Manager parameter holding the ID, read by CloudFormation at
    /// deploy (`AWS::SSM::Parameter::Value<…>`).
    Ssm(String),
}

impl ExistingId {
    /// The ID itself.
    ///
    /// See [`ExistingId`] for an example.
    pub fn id(id: impl Into<String>) -> ExistingId {
        ExistingId::Id(id.into())
    }

    /// A template parameter, given at deploy.
    ///
    /// See [`ExistingId`] for an example.
    pub fn parameter() -> ExistingId {
        ExistingId::Parameter
    }

    /// A Systems Manager parameter's name, such as `/network/prod/vpc-id`.
    ///
    /// See [`ExistingId`] for an example.
    pub fn ssm(name: impl Into<String>) -> ExistingId {
        ExistingId::Ssm(name.into())
    }

    /// What is wrong with a literal ID or an SSM name of a `kind` construct, if anything.
    pub(crate) fn problem(&self, kind: ExistingKind) -> Option<String> {
        match self {
            ExistingId::Id(id) if !super::ec2_id(id, kind.prefix()) => Some(format!(
                "an existing {} ID is {} and 8 or 17 lowercase hex digits",
                kind.label(),
                kind.prefix()
            )),
            ExistingId::Ssm(name) => ssm_name_problem(name),
            ExistingId::Id(_) | ExistingId::Parameter => None,
        }
    }

    /// Reports a malformed ID or SSM parameter name.
    pub(crate) fn check(&self, check: &mut Check<'_>, construct: &str, kind: ExistingKind) {
        let problem = match self {
            ExistingId::Id(id) if !super::ec2_id(id, kind.prefix()) => Some((
                "Id",
                id.clone(),
                format!(
                    "an existing {} ID is {} and 8 or 17 lowercase hex digits",
                    kind.label(),
                    kind.prefix()
                ),
            )),
            ExistingId::Ssm(name) => {
                ssm_name_problem(name).map(|reason| ("Ssm", name.clone(), reason))
            }
            ExistingId::Id(_) | ExistingId::Parameter => None,
        };
        if let Some((property, value, reason)) = problem {
            check.report(SynthError::InvalidText {
                construct: check.path(construct),
                property,
                value,
                reason,
            });
        }
    }

    /// The template parameter standing for the resource, named `id`.
    pub(crate) fn render(
        &self,
        ctx: &Render<'_>,
        template: &mut Template,
        id: &str,
        kind: ExistingKind,
    ) -> Result<(), TemplateError> {
        let description = format!("Existing {} {} (vpcform)", kind.label(), ctx.stack.path(id));
        let parameter = match self {
            ExistingId::Id(value) => {
                Parameter::new(kind.parameter_type()).default_value(value.as_str())
            }
            ExistingId::Parameter => Parameter::new(kind.parameter_type()),
            ExistingId::Ssm(name) => Parameter::new(format!(
                "AWS::SSM::Parameter::Value<{}>",
                kind.parameter_type()
            ))
            .default_value(name.as_str()),
        };
        template.add_parameter(id, parameter.description(description))
    }
}

/// What a Systems Manager parameter name breaks, if anything: "Parameter names can include only
/// the following symbols and letters: a-zA-Z0-9_.-" and `/` between levels, a leading `/` for
/// a hierarchy, at most fifteen levels (SSM API, `PutParameter` `Name`; docs/aws-rules.md §19).
fn ssm_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("empty; give the parameter's name, such as /network/vpc-id".into());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')))
    {
        return Some(format!(
            "{bad:?} is not allowed: letters, digits, _ . - and / between levels"
        ));
    }
    if name.contains('/') && !name.starts_with('/') {
        return Some("a name with levels starts with /".into());
    }
    let levels = name.split('/').filter(|l| !l.is_empty()).count();
    if levels > 15 {
        return Some(format!("{levels} levels; AWS allows at most 15"));
    }
    None
}

/// The kinds of existing resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExistingKind {
    Vpc,
    Subnet,
    RouteTable,
    SecurityGroup,
}

impl ExistingKind {
    fn prefix(self) -> &'static str {
        match self {
            ExistingKind::Vpc => "vpc-",
            ExistingKind::Subnet => "subnet-",
            ExistingKind::RouteTable => "rtb-",
            ExistingKind::SecurityGroup => "sg-",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ExistingKind::Vpc => "VPC",
            ExistingKind::Subnet => "subnet",
            ExistingKind::RouteTable => "route table",
            ExistingKind::SecurityGroup => "security group",
        }
    }

    /// The AWS-specific parameter type; route tables have none, so a plain string.
    fn parameter_type(self) -> &'static str {
        match self {
            ExistingKind::Vpc => "AWS::EC2::VPC::Id",
            ExistingKind::Subnet => "AWS::EC2::Subnet::Id",
            ExistingKind::RouteTable => "String",
            ExistingKind::SecurityGroup => "AWS::EC2::SecurityGroup::Id",
        }
    }
}

/// An existing VPC, typed by its [`VpcMarker`] `V` like a created [`Vpc`](crate::vpc::Vpc): its
/// handle is a [`VpcRef<V>`], so it goes everywhere a created VPC goes, and another VPC's
/// pieces still do not compile.
///
/// Its block is required: the checks (overlaps, subnets inside it) and the traffic analysis
/// need it. Its DNS attributes are facts you state; left unstated, they are unknown, and an
/// endpoint with private DNS or a private zone in it gets a warning instead of a check.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::existing::{ExistingId, ExistingVpc};
/// vpcform_net::topology! { stack Endpoints { vpc Landing } }
/// let mut stack = Stack::<Endpoints>::new("Endpoints");
/// let vpc = stack.add(
///     "LandingVpc",
///     ExistingVpc::<Landing>::builder()
///         .id(ExistingId::ssm("/landing-zone/vpc-id"))
///         .cidr(cidr!("10.20.0.0/16"))
///         .dns_support(true)
///         .dns_hostnames(true)
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ExistingVpc<V: VpcMarker> {
    /// The VPC's ID, a deploy-time parameter, or an SSM parameter holding it. Required.
    id: ExistingId,
    /// Its primary IPv4 block. Required.
    #[builder(setter(into))]
    cidr: CidrBlock,
    /// `enableDnsSupport`, as it is. Default: unknown.
    #[builder(default, setter(strip_option(fallback = dns_support_opt)))]
    dns_support: Option<bool>,
    /// `enableDnsHostnames`, as it is. Default: unknown.
    #[builder(default, setter(strip_option(fallback = dns_hostnames_opt)))]
    dns_hostnames: Option<bool>,
    #[builder(default, setter(skip))]
    _vpc: PhantomData<fn() -> V>,
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ExistingVpc<V> {
    type Handle = VpcRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> VpcRef<V> {
        let cidr = self.cidr.parsed().ok();
        let handle = stack.push(Node::Vpc(VpcNode {
            tags: crate::Tags::new(),
            id,
            cidr: self.cidr,
            parsed: cidr,
            enable_dns_support: self.dns_support,
            enable_dns_hostnames: self.dns_hostnames,
            ipv6: None,
            existing: Some(self.id),
            secondary: Vec::new(),
        }));
        VpcRef::new(handle, cidr, true)
    }
}

/// An existing subnet of VPC `V` (created by vpcform or not): its handle is a
/// [`SubnetRef<V>`], like a created [`Subnet`](crate::vpc::Subnet)'s. Its block and zone are
/// required: the checks (one subnet per zone, zones shared across a connection) and the
/// analysis read them.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::existing::{ExistingId, ExistingSubnet, ExistingVpc};
/// vpcform_net::topology! { stack Endpoints { vpc Landing } }
/// let mut stack = Stack::<Endpoints>::new("Endpoints");
/// let vpc = stack.add(
///     "LandingVpc",
///     ExistingVpc::<Landing>::builder().id(ExistingId::parameter()).cidr(cidr!("10.20.0.0/16")).build(),
/// );
/// let a = stack.add(
///     "PrivateA",
///     ExistingSubnet::builder()
///         .vpc(&vpc)
///         .id(ExistingId::id("subnet-0a1b2c3d4e5f60718"))
///         .cidr(cidr!("10.20.1.0/24"))
///         .availability_zone(Az::id("use1-az1"))
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ExistingSubnet<V: VpcMarker> {
    /// The VPC it is in. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The subnet's ID, a deploy-time parameter, or an SSM parameter holding it. Required.
    id: ExistingId,
    /// Its IPv4 block. Required.
    #[builder(setter(into))]
    cidr: CidrBlock,
    /// Its zone: by name or, across accounts, by zone ID. Required.
    availability_zone: Az,
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ExistingSubnet<V> {
    type Handle = SubnetRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> SubnetRef<V> {
        let az = self.availability_zone.clone();
        let handle = stack.push(Node::Subnet(SubnetNode::existing(
            id,
            self.vpc.handle,
            self.cidr,
            self.availability_zone,
            self.id,
        )));
        SubnetRef::new(handle, az)
    }
}

/// An existing route table of VPC `V`: routes and gateway endpoints can be added to it like to
/// a created [`RouteTable`](crate::vpc::RouteTable). The subnets it serves are facts for the
/// analysis (no association is written). Its other routes are unknown to vpcform, so a flow
/// that none of the routes it knows carries is reported as unknown, not unreachable.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::existing::{ExistingId, ExistingRouteTable, ExistingSubnet, ExistingVpc};
/// vpcform_net::topology! { stack Endpoints { vpc Landing } }
/// let mut stack = Stack::<Endpoints>::new("Endpoints");
/// let vpc = stack.add(
///     "LandingVpc",
///     ExistingVpc::<Landing>::builder().id(ExistingId::parameter()).cidr(cidr!("10.20.0.0/16")).build(),
/// );
/// let a = stack.add(
///     "PrivateA",
///     ExistingSubnet::builder().vpc(&vpc).id(ExistingId::parameter())
///         .cidr(cidr!("10.20.1.0/24")).availability_zone(Az::name("us-east-1a")).build(),
/// );
/// let routes = stack.add(
///     "PrivateRoutes",
///     ExistingRouteTable::builder().vpc(&vpc).id(ExistingId::parameter()).serves([&a]).build(),
/// );
/// stack.add("S3", GatewayEndpoint::builder().vpc(&vpc).service(services::S3).route_tables([&routes]).build());
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ExistingRouteTable<V: VpcMarker> {
    /// The VPC it is in. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The table's ID, a deploy-time parameter, or an SSM parameter holding it. Required.
    id: ExistingId,
    /// The subnets it is associated with, as they are. Default: none known.
    #[builder(default, setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    serves: Vec<SubnetRef<V>>,
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ExistingRouteTable<V> {
    type Handle = RouteTableRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> RouteTableRef<V> {
        RouteTableRef::new(stack.push(Node::RouteTable(RouteTableNode {
            tags: crate::Tags::new(),
            id,
            vpc: self.vpc.handle,
            subnets: self.serves.into_iter().map(|s| s.handle).collect(),
            existing: Some(self.id),
        })))
    }
}

/// An existing security group of VPC `V`: endpoints and load balancers take it like a created
/// [`SecurityGroup`](crate::security::SecurityGroup). Its rules are unknown to vpcform, so a flow that
/// must pass it is reported as unknown unless another group on the way admits it.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::existing::{ExistingId, ExistingSecurityGroup, ExistingVpc};
/// vpcform_net::topology! { stack Endpoints { vpc Landing } }
/// let mut stack = Stack::<Endpoints>::new("Endpoints");
/// let vpc = stack.add(
///     "LandingVpc",
///     ExistingVpc::<Landing>::builder().id(ExistingId::parameter()).cidr(cidr!("10.20.0.0/16")).build(),
/// );
/// let shared = stack.add(
///     "SharedEndpointsSg",
///     ExistingSecurityGroup::builder().vpc(&vpc).id(ExistingId::id("sg-0a1b2c3d4e5f60718")).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ExistingSecurityGroup<V: VpcMarker> {
    /// The VPC it is in. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The group's ID, a deploy-time parameter, or an SSM parameter holding it. Required.
    id: ExistingId,
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ExistingSecurityGroup<V> {
    type Handle = SecurityGroupRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> SecurityGroupRef<V> {
        SecurityGroupRef::new(
            stack.push(Node::SecurityGroup(SecurityGroupNode::existing(
                id,
                self.vpc.handle,
                self.id,
            ))),
            true,
        )
    }
}
