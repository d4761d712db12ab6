//! Lookups, the program's side: facts only the account knows — an existing VPC with its
//! subnets, route tables and security groups, an endpoint service's zones — read from the
//! context (`vpcform.context.json`, `vpcform_assembly::Context`) that the toolkit fills with
//! EC2's Describe calls, so that synthesis stays deterministic and offline (CDK's
//! `Vpc.fromLookup` and `cdk.context.json`).
//!
//! A lookup the context does not answer still gives handles (placeholders: a VPC whose ID is
//! a parameter without a default, no subnets) and is recorded; `App::synth` then yields an
//! assembly listing the missing queries (`Assembly::missing`) and no finding, since checks
//! over placeholders would be false.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use std::borrow::Cow;

use vpcform_assembly::{
    AvailabilityZone, CONTEXT_ENV, CONTEXT_FILE, Context, ContextError, ContextQuery, ContextValue,
    EndpointServiceFacts, RouteTableFacts, SecurityGroupFacts, SubnetFacts, VpcFacts, VpcFilter,
};

use super::existing::ExistingId;
use super::interface_endpoint::InterfaceTarget;
use super::route_table::{RouteTableNode, RouteTableRef};
use super::security_group::{SecurityGroupNode, SecurityGroupRef};
use super::subnet::{Az, SubnetNode, SubnetRef};
use super::vpc::{VpcNode, VpcRef};
use vpcform_cfn::Template;

use crate::handle::Handle;
use crate::model::{Check, Node};
use crate::stack::{Construct, StackDef};
use crate::{CidrBlock, InStack, Ipv4Cidr, StackMarker, SynthError, VpcMarker};

/// What a stack's lookups found: the queries not answered, the errors, and the facts the
/// checks use (an interface endpoint's service zones).
#[derive(Default)]
pub(crate) struct Lookups {
    /// Queries the context does not answer, in the order asked.
    pub(crate) missing: Vec<ContextQuery>,
    /// Lookups that failed: reported by `App::synth` instead of any check.
    pub(crate) errors: Vec<LookupFailure>,
    /// The endpoint services looked up and answered.
    pub(crate) services: Vec<EndpointServiceFacts>,
    /// Zone names and IDs learned from looked-up subnets: (name, ID).
    pub(crate) zones: Vec<(String, String)>,
    /// The account's zones in the stack's Region, when the program looked them up
    /// (`Stack::lookup_availability_zones`).
    pub(crate) azs: Option<Vec<AvailabilityZone>>,
    /// The key of that answer in the context, for the fix of a zone it lacks.
    pub(crate) azs_key: String,
    /// The logical IDs of the looked-up resources' parameters: those nothing refers to are
    /// left out of the template ([`drop_unused`]).
    pub(crate) made: Vec<Arc<str>>,
}

/// The context of the process: read once, at the first lookup of a stack without a context of
/// its own ([`Stack::context`](crate::Stack::context)), from `$VPCFORM_CONTEXT` or else
/// `./vpcform.context.json`; a file that cannot be read is kept as its error.
static PROCESS_CONTEXT: OnceLock<Result<Arc<Context>, (String, String)>> = OnceLock::new();

/// Where the process's context file is: the toolkit's `$VPCFORM_CONTEXT` when set and not
/// empty, else [`CONTEXT_FILE`] in the working directory.
pub(crate) fn context_path(env: Option<std::ffi::OsString>) -> PathBuf {
    match env {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => PathBuf::from(CONTEXT_FILE),
    }
}

/// Reads a context file: the context, or the file's name and why it cannot be used.
pub(crate) fn read_context(path: &Path) -> Result<Arc<Context>, (String, String)> {
    Context::read(path).map(Arc::new).map_err(|e| {
        let why = match e {
            ContextError::Io { source, .. } => source.to_string(),
            ContextError::Garbled { error, .. } => format!("not a vpcform context file: {error}"),
        };
        (path.display().to_string(), why)
    })
}

/// The context a stack's lookups read: its own, or the process's; else the file's name and
/// why it cannot be used.
fn context_of(stack: &StackDef) -> Result<Arc<Context>, (String, String)> {
    if let Some(own) = &stack.context {
        return Ok(own.clone());
    }
    PROCESS_CONTEXT
        .get_or_init(|| read_context(&context_path(std::env::var_os(CONTEXT_ENV))))
        .clone()
}

/// Where a stack's context comes from, for messages.
fn context_name(stack: &StackDef) -> String {
    match &stack.context {
        Some(_) => format!("the context of stack {}", stack.name),
        None => context_path(std::env::var_os(CONTEXT_ENV))
            .display()
            .to_string(),
    }
}

/// Why a lookup failed: what `App::synth` reports instead of any check (kept as data, as
/// `SynthError` is not `Clone` and the app's stacks are borrowed at synthesis).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LookupFailure {
    /// `ContextUnreadable`.
    Context { file: String, error: String },
    /// `LookupWithoutEnvironment`.
    Environment {
        stack: String,
        lookup: String,
        missing: &'static str,
    },
    /// `LookupNotFound`.
    NotFound {
        construct: String,
        query: String,
        message: String,
    },
    /// `LookupNameUnknown`.
    NameUnknown { construct: String, name: String },
}

impl LookupFailure {
    fn to_error(&self) -> SynthError {
        match self.clone() {
            LookupFailure::Context { file, error } => SynthError::ContextUnreadable { file, error },
            LookupFailure::Environment {
                stack,
                lookup,
                missing,
            } => SynthError::LookupWithoutEnvironment {
                stack,
                lookup,
                missing,
            },
            LookupFailure::NotFound {
                construct,
                query,
                message,
            } => SynthError::LookupNotFound {
                construct,
                query,
                message,
            },
            LookupFailure::NameUnknown { construct, name } => {
                SynthError::LookupNameUnknown { construct, name }
            }
        }
    }

    /// Failures of one cause, reported once: the context's own per file, a stack's missing
    /// account or region per stack (naming its first lookup).
    fn same_cause(&self, other: &LookupFailure) -> bool {
        match (self, other) {
            (LookupFailure::Context { file: a, .. }, LookupFailure::Context { file: b, .. }) => {
                a == b
            }
            (
                LookupFailure::Environment { stack: a, .. },
                LookupFailure::Environment { stack: b, .. },
            ) => a == b,
            _ => self == other,
        }
    }
}

/// Records a lookup's failure, once per cause.
fn push_error(stack: &mut StackDef, failure: LookupFailure) {
    if !stack.lookups.errors.iter().any(|f| f.same_cause(&failure)) {
        stack.lookups.errors.push(failure);
    }
}

/// The stack's account and Region, both pinned; else an error naming the lookup.
fn environment(stack: &mut StackDef, lookup: String) -> Option<(String, String)> {
    let missing = match (&stack.account, &stack.region) {
        (Some(account), Some(region)) => return Some((account.clone(), region.clone())),
        (None, None) => "account and region",
        (None, Some(_)) => "account",
        (Some(_), None) => "region",
    };
    let failure = LookupFailure::Environment {
        stack: stack.name.to_string(),
        lookup,
        missing,
    };
    push_error(stack, failure);
    None
}

/// The context's answer to `query`, asked by the construct `id`: `None` when the context has
/// none (recorded as missing) or cannot be used (recorded as an error).
fn answer(stack: &mut StackDef, id: &str, query: ContextQuery) -> Option<ContextValue> {
    let context = match context_of(stack) {
        Ok(context) => context,
        Err((file, error)) => {
            push_error(stack, LookupFailure::Context { file, error });
            return None;
        }
    };
    match context.get(&query) {
        None => {
            if !stack.lookups.missing.contains(&query) {
                stack.lookups.missing.push(query);
            }
            None
        }
        Some(ContextValue::NotFound { message }) => {
            let failure = LookupFailure::NotFound {
                construct: stack.path(id),
                query: query.key(),
                message: message.clone(),
            };
            push_error(stack, failure);
            None
        }
        Some(value) => Some(value.clone()),
    }
}

/// An answer of another kind than its query's: the file was edited into nonsense.
fn wrong_answer(stack: &mut StackDef, query: &str, expected: &str) {
    let failure = LookupFailure::Context {
        file: context_name(stack),
        error: format!("the entry {query:?} does not hold {expected}"),
    };
    push_error(stack, failure);
}

/// Every stack's lookup errors (the context's own error once per file) and missing queries
/// (deduplicated, sorted by key), for `App::synth`.
pub(crate) fn gather(stacks: &[StackDef]) -> (Vec<SynthError>, Vec<ContextQuery>) {
    let mut failures: Vec<&LookupFailure> = Vec::new();
    let mut missing: Vec<ContextQuery> = Vec::new();
    for stack in stacks {
        for failure in &stack.lookups.errors {
            if !failures.iter().any(|f| f.same_cause(failure)) {
                failures.push(failure);
            }
        }
        missing.extend(stack.lookups.missing.iter().cloned());
    }
    missing.sort_by_key(ContextQuery::key);
    missing.dedup();
    (failures.iter().map(|f| f.to_error()).collect(), missing)
}

/// The account's zones in the stack's Region (DescribeAvailabilityZones), recorded for the
/// stack's subnets: see `Stack::lookup_availability_zones`.
pub(crate) fn availability_zones(stack: &mut StackDef) -> Option<Vec<AvailabilityZone>> {
    let lookup = format!(
        "lookup {} (availability zones)",
        stack.path("AvailabilityZones")
    );
    let (account, region) = environment(stack, lookup)?;
    let query = ContextQuery::AvailabilityZones { account, region };
    let key = query.key();
    let zones = match answer(stack, "AvailabilityZones", query)? {
        ContextValue::AvailabilityZones { zones } => zones,
        _ => {
            wrong_answer(stack, &key, "availability zones");
            return None;
        }
    };
    for zone in &zones {
        let pair = (zone.name.clone(), zone.id.clone());
        if !stack.lookups.zones.contains(&pair) {
            stack.lookups.zones.push(pair);
        }
    }
    stack.lookups.azs = Some(zones.clone());
    stack.lookups.azs_key = key;
    Some(zones)
}

/// The zones `Az::index(n)` counts: `Fn::GetAZs`'s, the Region's Availability Zones in
/// alphabetical order (CloudFormation, "Fn::GetAZs"), not its Local or Wavelength Zones.
fn indexed(zones: &[AvailabilityZone]) -> Vec<&AvailabilityZone> {
    let mut indexed: Vec<&AvailabilityZone> = zones
        .iter()
        .filter(|z| z.zone_type.is_empty() || z.zone_type == "availability-zone")
        .collect();
    indexed.sort_by(|a, b| a.name.cmp(&b.name));
    indexed
}

/// `az` by ID when the stack looked up its account's zones; as written without a map; `None`
/// for a zone the map lacks (the subnet's own error, `check_zone_in_map`: one mistake, one
/// finding).
pub(crate) fn resolve_zone<'a>(stack: &StackDef, az: &'a Az) -> Option<Cow<'a, Az>> {
    let Some(zones) = &stack.lookups.azs else {
        return Some(Cow::Borrowed(az));
    };
    let zone = match az {
        Az::Index(n) => indexed(zones).get(*n as usize).copied(),
        Az::Name(name) => zones.iter().find(|z| z.name == *name),
        Az::Id(zone_id) => zones.iter().find(|z| z.id == *zone_id),
    };
    zone.map(|zone| Cow::Owned(Az::Id(zone.id.clone())))
}

/// A subnet's zone against its stack's looked-up zones: an index beyond them, or a name or ID
/// the account does not have in the Region, is an error (AWS: CreateSubnet refuses an unknown
/// zone, `InvalidParameterValue`).
pub(crate) fn check_zone_in_map(check: &mut Check<'_>, id: &str, az: &Az) {
    let Some(zones) = &check.stack.lookups.azs else {
        return;
    };
    let known = match az {
        Az::Index(n) => (*n as usize) < indexed(zones).len(),
        Az::Name(name) => zones.iter().any(|z| z.name == *name),
        Az::Id(zone_id) => zones.iter().any(|z| z.id == *zone_id),
    };
    if !known {
        let error = SynthError::AzNotInMap {
            query: check.stack.lookups.azs_key.clone(),
            construct: check.path(id),
            az: az.to_string(),
            zones: indexed(zones)
                .iter()
                .map(|z| format!("{} ({})", z.name, z.id))
                .collect::<Vec<_>>()
                .join(", "),
        };
        check.report(error);
    }
}

/// The logical ID of a looked-up resource: the lookup's ID, the resource's kind and its EC2
/// ID's hex digits (`SharedSubnet0a1b2c3d`), stable as long as the resource exists.
fn looked_up_id(lookup: &str, kind: &str, ec2_id: &str) -> Arc<str> {
    let hex: String = ec2_id
        .rsplit('-')
        .next()
        .unwrap_or(ec2_id)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    Arc::from(format!("{lookup}{kind}{hex}"))
}

/// An existing VPC looked up by ID or by tags in the stack's account and Region (CDK's
/// `Vpc.fromLookup`): its block and DNS attributes, subnets (zone name and zone ID), route
/// tables (each serving its subnets; the main table the unassociated ones) and security
/// groups come from the context, as typed handles usable wherever an
/// [`ExistingVpc`](crate::existing::ExistingVpc)'s are. Each becomes a template parameter of
/// its AWS-specific type whose default is the looked-up ID.
///
/// The stack's account and Region must be pinned. Without the answer in the context the
/// handles are placeholders (the VPC's ID a parameter without a default, no subnets) and the
/// query is listed in [`Assembly::missing`](crate::Assembly::missing).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::lookups::{Context, ContextQuery, ContextValue, SubnetFacts, VpcFacts, VpcFilter, VpcLookup};
/// vpcform_net::topology! { stack Endpoints { vpc Landing } }
///
/// let mut context = Context::default();
/// context.insert(
///     ContextQuery::Vpc {
///         account: "111122223333".into(),
///         region: "eu-west-1".into(),
///         filter: VpcFilter::Id("vpc-0a1b2c3d".into()),
///     },
///     ContextValue::Vpc(Box::new(VpcFacts {
///         vpc_id: "vpc-0a1b2c3d".into(),
///         owner_id: "111122223333".into(),
///         cidr_block: "10.20.0.0/16".into(),
///         dns_support: Some(true),
///         dns_hostnames: Some(true),
///         subnets: vec![SubnetFacts {
///             subnet_id: "subnet-0a1b2c3d".into(),
///             cidr_block: "10.20.1.0/24".into(),
///             availability_zone: "eu-west-1a".into(),
///             availability_zone_id: "euw1-az3".into(),
///             tags: [("Name".to_string(), "private-a".to_string())].into(),
///             ..Default::default()
///         }],
///         ..Default::default()
///     })),
/// );
/// let mut stack = Stack::<Endpoints>::new("Endpoints")
///     .account("111122223333")
///     .region("eu-west-1")
///     .context(&context);
/// let landing = stack.add("Landing", VpcLookup::<Landing>::by_id("vpc-0a1b2c3d"));
/// assert_eq!(landing.vpc_id(), Some("vpc-0a1b2c3d"));
/// let private = landing.subnets().named("private-a");
/// assert_eq!(private.len(), 1);
/// let routes = stack.add("Routes", RouteTable::builder().vpc(&landing).subnets(&private).build());
/// let mut app = App::new("demo");
/// app.add_stack(stack);
/// let assembly = app.synth()?;
/// assert!(assembly.missing().is_empty());
/// # Ok::<(), vpcform_net::findings::SynthErrors>(())
/// ```
pub struct VpcLookup<V: VpcMarker> {
    filter: VpcFilter,
    _vpc: PhantomData<fn() -> V>,
}

impl<V: VpcMarker> VpcLookup<V> {
    /// The VPC with this ID (`vpc-…`).
    ///
    /// See [`VpcLookup`] for an example.
    pub fn by_id(id: impl Into<String>) -> VpcLookup<V> {
        VpcLookup {
            filter: VpcFilter::Id(id.into()),
            _vpc: PhantomData,
        }
    }

    /// The one VPC carrying every one of these tags.
    ///
    /// ```
    /// vpcform_net::topology! { stack S { vpc Landing } }
    /// let lookup = vpcform_net::lookups::VpcLookup::<Landing>::by_tags([("Name", "shared"), ("env", "prod")]);
    /// ```
    pub fn by_tags(
        tags: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>,
    ) -> VpcLookup<V> {
        VpcLookup {
            filter: VpcFilter::Tags(
                tags.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
            _vpc: PhantomData,
        }
    }

    /// The one VPC whose `Name` tag is `name`.
    ///
    /// ```
    /// vpcform_net::topology! { stack S { vpc Landing } }
    /// let lookup = vpcform_net::lookups::VpcLookup::<Landing>::by_name("shared");
    /// ```
    pub fn by_name(name: impl Into<String>) -> VpcLookup<V> {
        VpcLookup::by_tags([("Name".to_string(), name.into())])
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for VpcLookup<V> {
    type Handle = LookedUpVpc<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> LookedUpVpc<V> {
        let lookup = format!("lookup {} ({})", stack.path(&id), self.filter);
        let facts = environment(stack, lookup).and_then(|(account, region)| {
            let query = ContextQuery::Vpc {
                account,
                region,
                filter: self.filter,
            };
            let key = query.key();
            match answer(stack, &id, query)? {
                ContextValue::Vpc(facts) => Some(facts),
                _ => {
                    wrong_answer(stack, &key, "a VPC");
                    None
                }
            }
        });
        match facts {
            Some(facts) => looked_up(stack, &id, Arc::from(*facts)),
            None => placeholder(stack, id),
        }
    }
}

/// The handles of a VPC whose lookup has no answer: its ID a parameter without a default,
/// never a real ID; a block that only stands in (no check runs over it).
fn placeholder<V>(stack: &mut StackDef, id: Arc<str>) -> LookedUpVpc<V> {
    let cidr = CidrBlock::from("10.0.0.0/16");
    let parsed = cidr.parsed().ok();
    let handle = stack.push(Node::Vpc(VpcNode {
        tags: crate::Tags::new(),
        id,
        cidr,
        parsed,
        enable_dns_support: None,
        enable_dns_hostnames: None,
        ipv6: None,
        existing: Some(ExistingId::Parameter),
        secondary: Vec::new(),
    }));
    LookedUpVpc {
        vpc: VpcRef::new(handle, parsed, true),
        subnets: LookedUpSubnets(Vec::new()),
        route_tables: Vec::new(),
        security_groups: Vec::new(),
        facts: None,
    }
}

/// The handles of a looked-up VPC: one existing node per VPC, subnet, route table and
/// security group, each with its looked-up ID.
fn looked_up<V>(stack: &mut StackDef, id: &Arc<str>, facts: Arc<VpcFacts>) -> LookedUpVpc<V> {
    let cidr = CidrBlock::from(facts.cidr_block.as_str());
    let parsed = cidr.parsed().ok();
    let secondary: Vec<Ipv4Cidr> = facts
        .secondary_cidr_blocks
        .iter()
        .filter_map(|b| CidrBlock::from(b.as_str()).parsed().ok())
        .collect();
    stack.lookups.made.push(id.clone());
    let vpc_handle = stack.push(Node::Vpc(VpcNode {
        tags: crate::Tags::new(),
        id: id.clone(),
        cidr,
        parsed,
        enable_dns_support: facts.dns_support,
        enable_dns_hostnames: facts.dns_hostnames,
        ipv6: None,
        existing: Some(ExistingId::id(&facts.vpc_id)),
        secondary,
    }));
    let subnets: Vec<LookedUpSubnet<V>> = facts
        .subnets
        .iter()
        .map(|subnet| {
            // The zone by ID where the account gave it: the same physical zone in every
            // account, so comparisons across accounts hold (see `Az`).
            let az = if subnet.availability_zone_id.is_empty() {
                Az::name(&subnet.availability_zone)
            } else {
                Az::id(&subnet.availability_zone_id)
            };
            let zone = (
                subnet.availability_zone.clone(),
                subnet.availability_zone_id.clone(),
            );
            if !stack.lookups.zones.contains(&zone) {
                stack.lookups.zones.push(zone);
            }
            let subnet_id = looked_up_id(id, "Subnet", &subnet.subnet_id);
            stack.lookups.made.push(subnet_id.clone());
            let handle = stack.push(Node::Subnet(SubnetNode::existing(
                subnet_id,
                vpc_handle.clone(),
                CidrBlock::from(subnet.cidr_block.as_str()),
                az.clone(),
                ExistingId::id(&subnet.subnet_id),
            )));
            LookedUpSubnet {
                handle: SubnetRef::new(handle, az),
                facts: subnet.clone(),
            }
        })
        .collect();
    let route_tables = facts
        .route_tables
        .iter()
        .map(|table| {
            let served: Vec<Handle> = subnets
                .iter()
                .filter(|s| serves(table, &facts.route_tables, &s.facts))
                .map(|s| s.handle.handle.clone())
                .collect();
            let table_id = looked_up_id(id, "RouteTable", &table.route_table_id);
            stack.lookups.made.push(table_id.clone());
            let handle = stack.push(Node::RouteTable(RouteTableNode {
                tags: crate::Tags::new(),
                id: table_id,
                vpc: vpc_handle.clone(),
                subnets: served,
                existing: Some(ExistingId::id(&table.route_table_id)),
            }));
            LookedUpRouteTable {
                handle: RouteTableRef::new(handle),
                facts: table.clone(),
            }
        })
        .collect();
    let security_groups = facts
        .security_groups
        .iter()
        .map(|group| {
            let group_id = looked_up_id(id, "SecurityGroup", &group.group_id);
            stack.lookups.made.push(group_id.clone());
            let handle = stack.push(Node::SecurityGroup(SecurityGroupNode::existing(
                group_id,
                vpc_handle.clone(),
                ExistingId::id(&group.group_id),
            )));
            LookedUpSecurityGroup {
                handle: SecurityGroupRef::new(handle, true),
                facts: group.clone(),
            }
        })
        .collect();
    LookedUpVpc {
        vpc: VpcRef::new(vpc_handle, parsed, true),
        subnets: LookedUpSubnets(subnets),
        route_tables,
        security_groups,
        facts: Some(facts),
    }
}

/// The template without the parameters of looked-up resources that nothing in it refers to: a
/// looked-up VPC brings every subnet, table and group, and a parameter no resource or output
/// uses is noise (cfn-lint W2001, "Parameter not used").
pub(crate) fn drop_unused(stack: &StackDef, template: Template) -> Template {
    if stack.lookups.made.is_empty() {
        return template;
    }
    let mut used: Vec<String> = Vec::new();
    for resource in template.resources().values() {
        for value in resource.properties().values() {
            used.extend(value.references());
        }
    }
    for output in template.outputs().values() {
        used.extend(output.value().references());
    }
    let unused =
        |id: &str| stack.lookups.made.iter().any(|m| &**m == id) && !used.iter().any(|u| u == id);
    if !template.parameters().keys().any(|id| unused(id)) {
        return template;
    }
    let mut kept = Template::new(template.description().unwrap_or_default());
    // The same template less some parameters: adding back what was accepted cannot fail.
    for (id, parameter) in template.parameters() {
        if !unused(id) {
            let _ = kept.add_parameter(id.as_str(), parameter.clone());
        }
    }
    for (id, resource) in template.resources() {
        let _ = kept.add_resource(id.as_str(), resource.clone());
    }
    for (id, output) in template.outputs() {
        let _ = kept.add_output(id.as_str(), output.clone());
    }
    kept
}

/// Whether `table` serves `subnet`: the subnet is associated with it, or with no table and it
/// is the main one (VPC user guide, "Subnet route tables": a subnet not explicitly associated
/// uses the main route table).
fn serves(table: &RouteTableFacts, tables: &[RouteTableFacts], subnet: &SubnetFacts) -> bool {
    if table.subnet_ids.contains(&subnet.subnet_id) {
        return true;
    }
    let associated = tables
        .iter()
        .any(|t| t.subnet_ids.contains(&subnet.subnet_id));
    match &subnet.route_table_id {
        _ if associated => false,
        Some(id) => *id == table.route_table_id,
        None => table.main,
    }
}

/// A looked-up VPC's handles (see [`VpcLookup`]).
pub struct LookedUpVpc<V> {
    vpc: VpcRef<V>,
    subnets: LookedUpSubnets<V>,
    route_tables: Vec<LookedUpRouteTable<V>>,
    security_groups: Vec<LookedUpSecurityGroup<V>>,
    facts: Option<Arc<VpcFacts>>,
}

impl<V> LookedUpVpc<V> {
    /// The VPC's handle: what builders' `.vpc(..)` take (they take `&LookedUpVpc` too).
    ///
    /// See [`VpcLookup`] for an example.
    pub fn vpc(&self) -> &VpcRef<V> {
        &self.vpc
    }

    /// The VPC's ID; `None` while the lookup is not answered.
    ///
    /// See [`VpcLookup`] for an example.
    pub fn vpc_id(&self) -> Option<&str> {
        self.facts.as_deref().map(|f| f.vpc_id.as_str())
    }

    /// What the account answered; `None` while the lookup is not answered (a placeholder).
    ///
    /// See [`VpcLookup`] for an example.
    pub fn facts(&self) -> Option<&VpcFacts> {
        self.facts.as_deref()
    }

    /// Whether the handles are placeholders: the context does not answer the lookup yet.
    ///
    /// See [`VpcLookup`] for an example.
    pub fn is_placeholder(&self) -> bool {
        self.facts.is_none()
    }

    /// Its subnets, sorted by zone then block, to pick from (none for a placeholder).
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn subnets(&self) -> LookedUpSubnets<V> {
        self.subnets.clone()
    }

    /// Its route tables, the main one included.
    ///
    /// See [`LookedUpVpc::route_table_of`] for an example.
    pub fn route_tables(&self) -> &[LookedUpRouteTable<V>] {
        &self.route_tables
    }

    /// The route table serving `subnet`: its own, or the main one.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # use vpcform_net::lookups::*;
    /// # vpcform_net::topology! { stack S { vpc Landing } }
    /// # let mut context = Context::default();
    /// # let query = ContextQuery::Vpc { account: "111122223333".into(), region: "eu-west-1".into(), filter: VpcFilter::Id("vpc-0a1b2c3d".into()) };
    /// # context.insert(query, ContextValue::Vpc(Box::new(VpcFacts {
    /// #     vpc_id: "vpc-0a1b2c3d".into(), cidr_block: "10.20.0.0/16".into(),
    /// #     subnets: vec![SubnetFacts { subnet_id: "subnet-0a1b2c3d".into(), cidr_block: "10.20.1.0/24".into(),
    /// #         availability_zone: "eu-west-1a".into(), availability_zone_id: "euw1-az3".into(), ..Default::default() }],
    /// #     route_tables: vec![RouteTableFacts { route_table_id: "rtb-0a1b2c3d".into(), main: true, ..Default::default() }],
    /// #     ..Default::default() })));
    /// let mut stack = Stack::<S>::new("S").account("111122223333").region("eu-west-1").context(&context);
    /// let landing = stack.add("Landing", VpcLookup::<Landing>::by_id("vpc-0a1b2c3d"));
    /// let subnets = landing.subnets();
    /// let main = landing.route_table_of(&subnets.iter().next().unwrap()).unwrap();
    /// assert_eq!(main.route_table_id(), "rtb-0a1b2c3d");
    /// stack.add("S3", GatewayEndpoint::builder().vpc(&landing).service(services::S3).route_tables([main.handle()]).build());
    /// ```
    pub fn route_table_of(&self, subnet: &LookedUpSubnet<V>) -> Option<&LookedUpRouteTable<V>> {
        let facts = self.facts.as_deref()?;
        self.route_tables
            .iter()
            .find(|table| serves(&table.facts, &facts.route_tables, &subnet.facts))
    }

    /// Its security groups.
    ///
    /// See [`LookedUpVpc::security_group`] for an example.
    pub fn security_groups(&self) -> &[LookedUpSecurityGroup<V>] {
        &self.security_groups
    }

    /// The security group of this name (`GroupName`), if the VPC has one.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # use vpcform_net::lookups::*;
    /// # vpcform_net::topology! { stack S { vpc Landing } }
    /// # let mut context = Context::default();
    /// # let query = ContextQuery::Vpc { account: "111122223333".into(), region: "eu-west-1".into(), filter: VpcFilter::Id("vpc-0a1b2c3d".into()) };
    /// # context.insert(query, ContextValue::Vpc(Box::new(VpcFacts {
    /// #     vpc_id: "vpc-0a1b2c3d".into(), cidr_block: "10.20.0.0/16".into(),
    /// #     security_groups: vec![SecurityGroupFacts { group_id: "sg-0a1b2c3d".into(), group_name: "endpoints".into(), ..Default::default() }],
    /// #     ..Default::default() })));
    /// let mut stack = Stack::<S>::new("S").account("111122223333").region("eu-west-1").context(&context);
    /// let landing = stack.add("Landing", VpcLookup::<Landing>::by_id("vpc-0a1b2c3d"));
    /// let group = landing.security_group("endpoints").unwrap();
    /// assert_eq!(group.group_id(), "sg-0a1b2c3d");
    /// ```
    pub fn security_group(&self, name: &str) -> Option<&LookedUpSecurityGroup<V>> {
        self.security_groups
            .iter()
            .find(|g| g.facts.group_name == name)
    }
}

impl<V> From<&LookedUpVpc<V>> for VpcRef<V> {
    fn from(lookup: &LookedUpVpc<V>) -> VpcRef<V> {
        lookup.vpc.clone()
    }
}

/// A looked-up subnet: its handle (what builders' `.subnets(..)` take) and its facts.
pub struct LookedUpSubnet<V> {
    handle: SubnetRef<V>,
    facts: SubnetFacts,
}

impl<V> Clone for LookedUpSubnet<V> {
    fn clone(&self) -> Self {
        LookedUpSubnet {
            handle: self.handle.clone(),
            facts: self.facts.clone(),
        }
    }
}

impl<V> LookedUpSubnet<V> {
    /// The subnet's handle.
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn handle(&self) -> &SubnetRef<V> {
        &self.handle
    }

    /// What the account answered of it.
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn facts(&self) -> &SubnetFacts {
        &self.facts
    }

    /// `SubnetId`.
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn subnet_id(&self) -> &str {
        &self.facts.subnet_id
    }

    /// Its zone's name (`eu-west-1a`).
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn zone_name(&self) -> &str {
        &self.facts.availability_zone
    }

    /// Its zone's ID (`euw1-az3`).
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn zone_id(&self) -> &str {
        &self.facts.availability_zone_id
    }

    /// The value of one of its tags.
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.facts.tags.get(key).map(String::as_str)
    }

    /// Whether it is in `zone`, a zone's name or ID.
    fn in_zone(&self, zone: &str) -> bool {
        self.facts.availability_zone == zone || self.facts.availability_zone_id == zone
    }
}

impl<V> From<&LookedUpSubnet<V>> for SubnetRef<V> {
    fn from(subnet: &LookedUpSubnet<V>) -> SubnetRef<V> {
        subnet.handle.clone()
    }
}

/// A looked-up VPC's subnets, to pick from (each selection a new set) by tag (`Name`, CDK's `aws-cdk:subnet-type`), by
/// zone, or one per zone an endpoint service is offered in; builders' `.subnets(..)` take
/// `&LookedUpSubnets` as they take a list of handles.
///
/// ```
/// # use vpcform_net::prelude::*;
/// # use vpcform_net::lookups::*;
/// # vpcform_net::topology! { stack S { vpc Landing } }
/// let subnet = |id: &str, block: &str, zone: &str, zone_id: &str, kind: &str| SubnetFacts {
///     subnet_id: id.into(),
///     cidr_block: block.into(),
///     availability_zone: zone.into(),
///     availability_zone_id: zone_id.into(),
///     tags: [("aws-cdk:subnet-type".to_string(), kind.to_string())].into(),
///     ..Default::default()
/// };
/// let mut context = Context::default();
/// let query = ContextQuery::Vpc {
///     account: "111122223333".into(),
///     region: "eu-west-1".into(),
///     filter: VpcFilter::Id("vpc-0a1b2c3d".into()),
/// };
/// context.insert(query, ContextValue::Vpc(Box::new(VpcFacts {
///     vpc_id: "vpc-0a1b2c3d".into(),
///     cidr_block: "10.20.0.0/16".into(),
///     subnets: vec![
///         subnet("subnet-0000000a", "10.20.0.0/24", "eu-west-1a", "euw1-az3", "Public"),
///         subnet("subnet-0000000b", "10.20.1.0/24", "eu-west-1a", "euw1-az3", "Private"),
///         subnet("subnet-0000000c", "10.20.2.0/24", "eu-west-1b", "euw1-az1", "Private"),
///     ],
///     ..Default::default()
/// })));
/// let mut stack = Stack::<S>::new("S").account("111122223333").region("eu-west-1").context(&context);
/// let landing = stack.add("Landing", VpcLookup::<Landing>::by_id("vpc-0a1b2c3d"));
/// let private = landing.subnets().of_type("Private");
/// assert_eq!(private.len(), 2);
/// assert_eq!(private.in_zone("euw1-az1").iter().next().map(|s| s.subnet_id()), Some("subnet-0000000c"));
/// assert_eq!(landing.subnets().one_per_zone().len(), 2);
/// let first = private.iter().next().unwrap();
/// assert_eq!((first.zone_name(), first.zone_id(), first.tag("aws-cdk:subnet-type")), ("eu-west-1a", "euw1-az3", Some("Private")));
/// assert_eq!(first.facts().cidr_block, "10.20.1.0/24");
/// assert_eq!(first.handle().availability_zone(), &Az::id("euw1-az3"));
/// ```
pub struct LookedUpSubnets<V>(Vec<LookedUpSubnet<V>>);

impl<V> Clone for LookedUpSubnets<V> {
    fn clone(&self) -> Self {
        LookedUpSubnets(self.0.clone())
    }
}

impl<V> LookedUpSubnets<V> {
    /// Those whose tag `key` is `value`.
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn tagged(&self, key: &str, value: &str) -> LookedUpSubnets<V> {
        self.filter(|s| s.tag(key) == Some(value))
    }

    /// Those whose `Name` tag is `name`.
    ///
    /// See [`VpcLookup`] for an example.
    pub fn named(&self, name: &str) -> LookedUpSubnets<V> {
        self.tagged("Name", name)
    }

    /// Those of a CDK subnet type (their `aws-cdk:subnet-type` tag: `Public`, `Private`,
    /// `Isolated`), as CDK's `SubnetSelection`.
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn of_type(&self, subnet_type: &str) -> LookedUpSubnets<V> {
        self.tagged("aws-cdk:subnet-type", subnet_type)
    }

    /// Those in `zone`, by name (`eu-west-1a`) or ID (`euw1-az3`).
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn in_zone(&self, zone: &str) -> LookedUpSubnets<V> {
        self.filter(|s| s.in_zone(zone))
    }

    /// The first (by block) of each zone: what an interface endpoint or a load balancer
    /// takes.
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn one_per_zone(&self) -> LookedUpSubnets<V> {
        let mut zones: Vec<String> = Vec::new();
        self.filter(|s| {
            let zone = s.facts.availability_zone.clone();
            if zones.contains(&zone) {
                false
            } else {
                zones.push(zone);
                true
            }
        })
    }

    /// One per zone `service` is offered in, as an interface endpoint to it needs ("does not
    /// support the availability zone of the subnet" otherwise); one per zone while the
    /// service's lookup is not answered.
    ///
    /// See [`EndpointServiceLookup`] for an example.
    pub fn offered_by(&self, service: &LookedUpService) -> LookedUpSubnets<V> {
        let Some(facts) = &service.facts else {
            return self.one_per_zone();
        };
        self.filter(|s| {
            facts.offered_in(&s.facts.availability_zone)
                || facts.offered_in(&s.facts.availability_zone_id)
        })
        .one_per_zone()
    }

    /// Their handles.
    ///
    /// ```
    /// vpcform_net::topology! { stack S { vpc Landing } }
    /// # let context = vpcform_net::lookups::Context::default();
    /// let mut stack = vpcform_net::Stack::<S>::new("S").account("111122223333").region("eu-west-1").context(&context);
    /// let landing = stack.add("Landing", vpcform_net::lookups::VpcLookup::<Landing>::by_name("shared"));
    /// assert!(landing.subnets().handles().is_empty()); // not in the context: a placeholder
    /// ```
    pub fn handles(&self) -> Vec<SubnetRef<V>> {
        self.0.iter().map(|s| s.handle.clone()).collect()
    }

    /// The subnets.
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn iter(&self) -> std::slice::Iter<'_, LookedUpSubnet<V>> {
        self.0.iter()
    }

    /// How many.
    ///
    /// See [`LookedUpSubnets`] for an example.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    ///
    /// See [`LookedUpSubnets::handles`] for an example.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn filter(&self, mut keep: impl FnMut(&LookedUpSubnet<V>) -> bool) -> LookedUpSubnets<V> {
        LookedUpSubnets(self.0.iter().filter(|s| keep(s)).cloned().collect())
    }
}

/// The subnets' handles, as builders' `.subnets(..)` take them.
impl<'a, V> IntoIterator for &'a LookedUpSubnets<V> {
    type Item = &'a SubnetRef<V>;
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, LookedUpSubnet<V>>,
        fn(&'a LookedUpSubnet<V>) -> &'a SubnetRef<V>,
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(LookedUpSubnet::handle)
    }
}

/// The subnets' handles, as builders' `.subnets(..)` take them.
impl<V> IntoIterator for LookedUpSubnets<V> {
    type Item = SubnetRef<V>;
    type IntoIter = std::iter::Map<
        std::vec::IntoIter<LookedUpSubnet<V>>,
        fn(LookedUpSubnet<V>) -> SubnetRef<V>,
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter().map(|s| s.handle)
    }
}

/// A looked-up route table: its handle (routes and gateway endpoints take it) and its facts.
pub struct LookedUpRouteTable<V> {
    handle: RouteTableRef<V>,
    facts: RouteTableFacts,
}

impl<V> LookedUpRouteTable<V> {
    /// The table's handle.
    ///
    /// See [`LookedUpVpc::route_table_of`] for an example.
    pub fn handle(&self) -> &RouteTableRef<V> {
        &self.handle
    }

    /// `RouteTableId`.
    ///
    /// See [`LookedUpVpc::route_table_of`] for an example.
    pub fn route_table_id(&self) -> &str {
        &self.facts.route_table_id
    }

    /// What the account answered of it (its routes among them).
    ///
    /// See [`LookedUpVpc::route_table_of`] for an example.
    pub fn facts(&self) -> &RouteTableFacts {
        &self.facts
    }
}

/// A looked-up security group: its handle (endpoints and load balancers take it) and its
/// facts.
pub struct LookedUpSecurityGroup<V> {
    handle: SecurityGroupRef<V>,
    facts: SecurityGroupFacts,
}

impl<V> LookedUpSecurityGroup<V> {
    /// The group's handle.
    ///
    /// See [`LookedUpVpc::security_group`] for an example.
    pub fn handle(&self) -> &SecurityGroupRef<V> {
        &self.handle
    }

    /// `GroupId`.
    ///
    /// See [`LookedUpVpc::security_group`] for an example.
    pub fn group_id(&self) -> &str {
        &self.facts.group_id
    }

    /// What the account answered of it (its rules among them).
    ///
    /// See [`LookedUpVpc::security_group`] for an example.
    pub fn facts(&self) -> &SecurityGroupFacts {
        &self.facts
    }
}

/// An endpoint service looked up in the stack's account and Region
/// (DescribeVpcEndpointServices): an AWS service by its marker, or another account's by its
/// name. With the answer, each interface endpoint of the stack to that service is checked
/// against the zones it is offered in — a subnet elsewhere is an error naming the offered
/// zones, as AWS refuses it ("does not support the availability zone of the subnet",
/// aws/aws-cdk#4912) — and [`LookedUpSubnets::offered_by`] picks one subnet per offered zone.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::lookups::*;
/// vpcform_net::topology! { stack S { vpc Landing } }
/// let (account, region) = ("111122223333", "eu-west-1");
/// let mut context = Context::default();
/// context.insert(
///     ContextQuery::EndpointService { account: account.into(), region: region.into(), service_name: "com.amazonaws.eu-west-1.ssm".into() },
///     ContextValue::EndpointService(EndpointServiceFacts {
///         service_name: "com.amazonaws.eu-west-1.ssm".into(),
///         service_type: "Interface".into(),
///         availability_zones: vec!["eu-west-1a".into(), "eu-west-1b".into()],
///         private_dns_name: Some("ssm.eu-west-1.amazonaws.com".into()),
///         ..Default::default()
///     }),
/// );
/// let subnet = |id: &str, block: &str, zone: &str, zone_id: &str| SubnetFacts {
///     subnet_id: id.into(), cidr_block: block.into(), availability_zone: zone.into(),
///     availability_zone_id: zone_id.into(), ..Default::default()
/// };
/// context.insert(
///     ContextQuery::Vpc { account: account.into(), region: region.into(), filter: VpcFilter::Id("vpc-0a1b2c3d".into()) },
///     ContextValue::Vpc(Box::new(VpcFacts {
///         vpc_id: "vpc-0a1b2c3d".into(),
///         cidr_block: "10.20.0.0/16".into(),
///         dns_support: Some(true),
///         dns_hostnames: Some(true),
///         subnets: vec![
///             subnet("subnet-0000000a", "10.20.0.0/24", "eu-west-1a", "euw1-az3"),
///             subnet("subnet-0000000b", "10.20.1.0/24", "eu-west-1b", "euw1-az1"),
///             subnet("subnet-0000000c", "10.20.2.0/24", "eu-west-1c", "euw1-az2"),
///         ],
///         ..Default::default()
///     })),
/// );
/// let mut stack = Stack::<S>::new("S").account(account).region(region).context(&context);
/// let landing = stack.add("Landing", VpcLookup::<Landing>::by_id("vpc-0a1b2c3d"));
/// let ssm = stack.add("SsmService", EndpointServiceLookup::of(services::Ssm));
/// assert_eq!(ssm.offered_zones(), Some(&["eu-west-1a".to_string(), "eu-west-1b".to_string()][..]));
/// let subnets = landing.subnets().offered_by(&ssm);
/// assert_eq!(subnets.len(), 2);
/// let sg = stack.add("Sg", SecurityGroup::builder().vpc(&landing).description("ssm").build());
/// stack.add("Ssm", InterfaceEndpoint::builder().vpc(&landing).service(services::Ssm).subnets(&subnets).security_groups([&sg]).build());
/// let mut app = App::new("demo");
/// app.add_stack(stack);
/// app.synth()?;
/// # Ok::<(), vpcform_net::findings::SynthErrors>(())
/// ```
pub struct EndpointServiceLookup<T> {
    target: T,
}

impl<T> EndpointServiceLookup<T> {
    /// The service an interface endpoint's `.service(..)` would take: an AWS service's marker
    /// (`services::Ssm`) or a [`ServiceName`](crate::endpoints::ServiceName) given as text.
    ///
    /// See [`EndpointServiceLookup`] for an example.
    pub fn of(target: T) -> EndpointServiceLookup<T> {
        EndpointServiceLookup { target }
    }
}

impl<S: StackMarker, T: InterfaceTarget<S>> Construct<S> for EndpointServiceLookup<T> {
    type Handle = LookedUpService;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> LookedUpService {
        let target = self.target.target();
        // The environment first: an AWS service's name is only text in a pinned Region.
        let lookup = format!("lookup {} ({})", stack.path(&id), target.label);
        let Some((account, region)) = environment(stack, lookup) else {
            return LookedUpService {
                name: String::new(),
                facts: None,
            };
        };
        let name = target.service_name_in(stack);
        let Some(name) = name.as_str().map(str::to_string) else {
            let failure = LookupFailure::NameUnknown {
                construct: stack.path(&id),
                name: serde_json::to_string(&name).unwrap_or_default(),
            };
            push_error(stack, failure);
            return LookedUpService {
                name: String::new(),
                facts: None,
            };
        };
        let query = ContextQuery::EndpointService {
            account,
            region,
            service_name: name.clone(),
        };
        let key = query.key();
        let facts = match answer(stack, &id, query) {
            Some(ContextValue::EndpointService(facts)) => Some(facts),
            Some(_) => {
                wrong_answer(stack, &key, "an endpoint service");
                None
            }
            None => None,
        };
        if let Some(facts) = &facts {
            stack.lookups.services.push(facts.clone());
        }
        LookedUpService { name, facts }
    }
}

/// A looked-up endpoint service (see [`EndpointServiceLookup`]).
#[derive(Clone, Debug)]
pub struct LookedUpService {
    name: String,
    facts: Option<EndpointServiceFacts>,
}

impl LookedUpService {
    /// The service's name, as looked up.
    ///
    /// See [`EndpointServiceLookup`] for an example.
    pub fn service_name(&self) -> &str {
        &self.name
    }

    /// What the account answered; `None` while the lookup is not answered.
    ///
    /// See [`EndpointServiceLookup`] for an example.
    pub fn facts(&self) -> Option<&EndpointServiceFacts> {
        self.facts.as_ref()
    }

    /// The zones it is offered in, by name in the stack's account; `None` while the lookup
    /// is not answered.
    ///
    /// See [`EndpointServiceLookup`] for an example.
    pub fn offered_zones(&self) -> Option<&[String]> {
        self.facts.as_ref().map(|f| f.availability_zones.as_slice())
    }
}

/// The looked-up facts of the endpoint service named `name`, when the stack looked it up.
pub(crate) fn service_facts<'a>(
    stack: &'a StackDef,
    name: &str,
) -> Option<&'a EndpointServiceFacts> {
    stack
        .lookups
        .services
        .iter()
        .find(|f| f.service_name == name)
}

/// An interface endpoint's subnets against its service's looked-up zones: a subnet in a zone
/// the service is not offered in is refused by AWS (DescribeVpcEndpointServices,
/// `AvailabilityZones`; "does not support the availability zone of the subnet",
/// aws/aws-cdk#4912). A zone given by index, or by ID when neither the service's facts nor the
/// stack's looked-up subnets name it, cannot be told and is not checked.
pub(crate) fn check_offered(check: &mut Check<'_>, id: &str, service: &str, subnets: &[Handle]) {
    let Some(facts) = service_facts(check.stack, service) else {
        return;
    };
    for subnet in subnets {
        let Some(node) = check.get::<SubnetNode>(subnet) else {
            continue;
        };
        let zones = &check.stack.lookups.zones;
        let (name, zone_id) = match &node.az {
            Az::Name(name) => (
                Some(name.as_str()),
                zones
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, i)| i.as_str()),
            ),
            Az::Id(zone_id) => (
                zones
                    .iter()
                    .find(|(_, i)| i == zone_id)
                    .map(|(n, _)| n.as_str()),
                Some(zone_id.as_str()),
            ),
            Az::Index(_) => continue,
        };
        let offered = name.is_some_and(|n| facts.offered_in(n))
            || zone_id.is_some_and(|i| facts.offered_in(i));
        let comparable = name.is_some() || !facts.availability_zone_ids.is_empty();
        if !offered && comparable {
            let error = SynthError::ZoneNotOffered {
                construct: check.path(id),
                subnet: subnet.path(),
                zone: name.or(zone_id).unwrap_or_default().to_string(),
                service: service.to_string(),
                offered: facts.availability_zones.join(", "),
            };
            check.report(error);
        }
    }
}

/// An existing VPC stated by hand with a literal ID, against the context's entry for that VPC
/// in the stack's account and Region: its block and DNS attributes must agree.
pub(crate) fn check_stated_vpc(check: &mut Check<'_>, node: &VpcNode) {
    let Some(ExistingId::Id(vpc_id)) = &node.existing else {
        return;
    };
    for (key, facts) in looked_up_vpcs(check.stack) {
        if facts.vpc_id != *vpc_id {
            continue;
        }
        let mut differ = |fact: &'static str, stated: String, looked_up: String| {
            check.report(SynthError::StatedFactDisagrees {
                construct: check.path(&node.id),
                fact,
                stated,
                looked_up,
                query: key.clone(),
            });
        };
        let looked_up = CidrBlock::from(facts.cidr_block.as_str()).parsed().ok();
        if let (Some(stated), Some(looked_up)) = (node.parsed, looked_up)
            && stated != looked_up
        {
            differ("the block", stated.to_string(), looked_up.to_string());
        }
        for (fact, stated, looked_up) in [
            (
                "enableDnsSupport",
                node.enable_dns_support,
                facts.dns_support,
            ),
            (
                "enableDnsHostnames",
                node.enable_dns_hostnames,
                facts.dns_hostnames,
            ),
        ] {
            if let (Some(stated), Some(looked_up)) = (stated, looked_up)
                && stated != looked_up
            {
                differ(fact, stated.to_string(), looked_up.to_string());
            }
        }
        return;
    }
}

/// An existing subnet stated by hand with a literal ID, against the context's entry of its
/// VPC: its block and zone must agree.
pub(crate) fn check_stated_subnet(check: &mut Check<'_>, node: &SubnetNode) {
    let Some(ExistingId::Id(subnet_id)) = &node.existing else {
        return;
    };
    for (key, facts) in looked_up_vpcs(check.stack) {
        let Some(subnet) = facts.subnets.iter().find(|s| s.subnet_id == *subnet_id) else {
            continue;
        };
        let mut differ = |fact: &'static str, stated: String, looked_up: String| {
            check.report(SynthError::StatedFactDisagrees {
                construct: check.path(&node.id),
                fact,
                stated,
                looked_up,
                query: key.clone(),
            });
        };
        let looked_up = CidrBlock::from(subnet.cidr_block.as_str()).parsed().ok();
        if let (Some(stated), Some(looked_up)) = (node.parsed, looked_up)
            && stated != looked_up
        {
            differ("the block", stated.to_string(), looked_up.to_string());
        }
        match &node.az {
            Az::Name(name) if *name != subnet.availability_zone => {
                differ("the zone", name.clone(), subnet.availability_zone.clone())
            }
            Az::Id(zone_id)
                if !subnet.availability_zone_id.is_empty()
                    && *zone_id != subnet.availability_zone_id =>
            {
                differ(
                    "the zone ID",
                    zone_id.clone(),
                    subnet.availability_zone_id.clone(),
                )
            }
            _ => {}
        }
        return;
    }
}

/// The looked-up VPCs of the stack's account and Region in its context, with their keys; none
/// when the stack's environment is not pinned or the context cannot be read (a lookup reports
/// that).
fn looked_up_vpcs(stack: &StackDef) -> Vec<(String, VpcFacts)> {
    let (Some(account), Some(region)) = (&stack.account, &stack.region) else {
        return Vec::new();
    };
    let Ok(context) = context_of(stack) else {
        return Vec::new();
    };
    context
        .entries()
        .filter_map(|(key, entry)| match (&entry.query, &entry.value) {
            (
                ContextQuery::Vpc {
                    account: a,
                    region: r,
                    ..
                },
                ContextValue::Vpc(facts),
            ) if a == account && r == region => Some((key.to_string(), (**facts).clone())),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{context_path, read_context};

    /// The toolkit's variable names the file; unset or empty, the working directory's.
    #[test]
    fn the_context_file_is_the_toolkits_or_the_working_directorys() {
        assert_eq!(
            context_path(Some("/tmp/project/vpcform.context.json".into())),
            std::path::PathBuf::from("/tmp/project/vpcform.context.json")
        );
        assert_eq!(
            context_path(None),
            std::path::PathBuf::from("vpcform.context.json")
        );
        assert_eq!(
            context_path(Some("".into())),
            std::path::PathBuf::from("vpcform.context.json")
        );
    }

    /// A garbled file is its name and why; a missing one an empty context.
    #[test]
    fn a_garbled_context_file_is_named_with_why() {
        let dir = std::env::temp_dir().join(format!("vpcform-lookup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let garbled = dir.join("garbled.json");
        std::fs::write(&garbled, "{\"vpc:x\": 3").expect("write");
        let (file, why) = read_context(&garbled).expect_err("garbled");
        assert_eq!(file, garbled.display().to_string());
        assert!(why.starts_with("not a vpcform context file: "), "{why}");
        let missing = read_context(&dir.join("none.json")).expect("missing is empty");
        assert!(missing.is_empty());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
