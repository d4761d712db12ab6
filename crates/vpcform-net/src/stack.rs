//! Stacks: the unit of deployment, holding constructs and outputs; one template each.

use std::any::Any;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::OnceLock;

use indexmap::IndexMap;
use vpcform_cfn::{Output, Template, TemplateError, Value};

use crate::handle::Handle;
use crate::{Ipv4Cidr, StackMarker, SynthError};

/// A CloudFormation stack under construction, typed by its [`StackMarker`].
///
/// Constructs are added with [`Stack::add`], which returns a handle to wire into later
/// constructs. Nothing is checked until [`App::synth`](crate::App::synth), which reports every
/// problem at once.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Network { vpc Main } }
///
/// let mut stack = Stack::<Network>::new("Network").description("One VPC");
/// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// stack.output("VpcId", &vpc);
/// assert_eq!(vpc.logical_id(), "Main");
/// ```
pub struct Stack<S> {
    pub(crate) def: StackDef,
    _stack: PhantomData<fn() -> S>,
}

impl<S: StackMarker> Stack<S> {
    /// A new stack; `name` is the CloudFormation stack name (letters, digits, hyphens).
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network");
    /// assert_eq!(stack.name(), "Network");
    /// ```
    pub fn new(name: impl Into<String>) -> Stack<S> {
        let name: String = name.into();
        Stack {
            def: StackDef {
                description: format!("{name} (synthesized by vpcform)"),
                name: name.into(),
                region: None,
                account: None,
                tags: Vec::new(),
                termination_protection: None,
                capabilities: Vec::new(),
                nodes: Vec::new(),
                index: OnceLock::new(),
                outputs: IndexMap::new(),
                vpcs: IndexMap::new(),
                subnets: IndexMap::new(),
            },
            _stack: PhantomData,
        }
    }

    /// Sets the template's description (default: `"<name> (synthesized by vpcform)"`).
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network").description("VPC A: the EKS pods");
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Stack<S> {
        self.def.description = description.into();
        self
    }

    /// Pins the stack to a region (default: the region of the deploying credentials, unknown
    /// at synth). Knowing both sides' regions lets synthesis check cross-region PrivateLink.
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network").region("eu-west-1");
    /// ```
    pub fn region(mut self, region: impl Into<String>) -> Stack<S> {
        self.def.region = Some(region.into());
        self
    }

    /// Names the AWS account (12 digits) the stack is deployed to. Default: unknown at synth.
    /// Knowing a consumer's account lets the traffic analysis check that an endpoint service
    /// allows it.
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network").account("111122223333");
    /// ```
    pub fn account(mut self, account: impl Into<String>) -> Stack<S> {
        self.def.account = Some(account.into());
        self
    }

    /// Adds a stack tag: CloudFormation copies stack tags to every resource that takes tags.
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network").tag("team", "platform");
    /// ```
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Stack<S> {
        self.def.tags.push((key.into(), value.into()));
        self
    }

    /// Turns termination protection on (or explicitly off) at each deploy. Default: left as it
    /// is (off for a new stack).
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network").termination_protection(true);
    /// ```
    pub fn termination_protection(mut self, enabled: bool) -> Stack<S> {
        self.def.termination_protection = Some(enabled);
        self
    }

    /// Acknowledges a capability at deploy, such as `CAPABILITY_IAM`. Default: none — a stack
    /// that needs one fails its change set until the program says so.
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network").capability("CAPABILITY_IAM");
    /// ```
    pub fn capability(mut self, capability: impl Into<String>) -> Stack<S> {
        self.def.capabilities.push(capability.into());
        self
    }

    /// The stack's name.
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// assert_eq!(vpcform_net::Stack::<Network>::new("Net").name(), "Net");
    /// ```
    pub fn name(&self) -> &str {
        &self.def.name
    }

    /// Adds a construct under an ID (its CloudFormation logical ID: letters and digits) and
    /// returns its handle.
    ///
    /// Only constructs of this stack's VPCs can be added: a subnet of a VPC declared in another
    /// stack is a compile error.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let subnet = stack.add(
    ///     "PrivateA",
    ///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.0.0/24")).availability_zone(Az::index(0)).build(),
    /// );
    /// assert_eq!(subnet.path(), "Network/PrivateA");
    /// ```
    pub fn add<C: Construct<S>>(&mut self, id: &str, construct: C) -> C::Handle {
        construct.add_to(&mut self.def, Arc::from(id))
    }

    /// Adds an output: the value is shown by `describe-stacks` after deploy.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// stack.output("VpcId", &vpc);
    /// ```
    pub fn output(&mut self, name: &str, value: impl Into<Value>) {
        self.def.outputs.insert(
            name.to_string(),
            OutputDef {
                value: value.into(),
                export: None,
            },
        );
    }

    /// Adds an output exported as `<stack name>-<name>`, for another stack to
    /// [`import`](Stack::import). This is the only way a value crosses stacks.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Provider {} stack Consumer {} }
    /// let mut provider = Stack::<Provider>::new("Provider");
    /// let name = provider.export("ServiceName", "com.amazonaws.vpce.us-east-1.vpce-svc-0123");
    /// assert_eq!(name.export_name(), "Provider-ServiceName");
    /// let mut consumer = Stack::<Consumer>::new("Consumer");
    /// let imported = consumer.import(&name);
    /// ```
    pub fn export(&mut self, name: &str, value: impl Into<Value>) -> Export<S> {
        let export_name = format!("{}-{}", self.def.name, name);
        self.def.outputs.insert(
            name.to_string(),
            OutputDef {
                value: value.into(),
                export: Some(export_name.clone()),
            },
        );
        Export {
            export_name,
            _stack: PhantomData,
        }
    }

    /// Imports another stack's export (`Fn::ImportValue`); the app deploys the exporting stack
    /// first and refuses to delete it while this one imports from it.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Provider {} stack Consumer {} }
    /// let mut provider = Stack::<Provider>::new("Provider");
    /// let name = provider.export("ServiceName", "x");
    /// let mut consumer = Stack::<Consumer>::new("Consumer");
    /// let service = consumer.import(&name);
    /// assert_eq!(service.value(), &vpcform_net::Value::import_value("Provider-ServiceName"));
    /// ```
    pub fn import<T>(&mut self, export: &Export<T>) -> Imported<S> {
        Imported {
            export_name: export.export_name.clone(),
            value: Value::import_value(export.export_name.as_str()),
            _stack: PhantomData,
        }
    }
}

/// An exported output of stack `S`: import it into another stack with [`Stack::import`].
#[derive(Debug)]
pub struct Export<S> {
    export_name: String,
    _stack: PhantomData<fn() -> S>,
}

impl<S> Export<S> {
    /// The export name, `<stack name>-<output name>`.
    ///
    /// ```
    /// vpcform_net::topology! { stack Provider {} }
    /// let mut p = vpcform_net::Stack::<Provider>::new("Provider");
    /// assert_eq!(p.export("X", "v").export_name(), "Provider-X");
    /// ```
    pub fn export_name(&self) -> &str {
        &self.export_name
    }
}

/// A value imported into stack `S` from another stack's export.
#[derive(Debug)]
pub struct Imported<S> {
    export_name: String,
    value: Value,
    _stack: PhantomData<fn() -> S>,
}

impl<S> Imported<S> {
    /// The name of the export imported.
    ///
    /// ```
    /// vpcform_net::topology! { stack A {} stack B {} }
    /// let mut a = vpcform_net::Stack::<A>::new("A");
    /// let e = a.export("X", "v");
    /// let mut b = vpcform_net::Stack::<B>::new("B");
    /// assert_eq!(b.import(&e).export_name(), "A-X");
    /// ```
    pub fn export_name(&self) -> &str {
        &self.export_name
    }

    /// The `Fn::ImportValue` expression.
    ///
    /// ```
    /// vpcform_net::topology! { stack A {} stack B {} }
    /// let mut a = vpcform_net::Stack::<A>::new("A");
    /// let e = a.export("X", "v");
    /// let mut b = vpcform_net::Stack::<B>::new("B");
    /// assert!(matches!(b.import(&e).value(), vpcform_net::Value::ImportValue(_)));
    /// ```
    pub fn value(&self) -> &Value {
        &self.value
    }
}

impl<S> Clone for Imported<S> {
    fn clone(&self) -> Self {
        Imported {
            export_name: self.export_name.clone(),
            value: self.value.clone(),
            _stack: PhantomData,
        }
    }
}

impl<S> From<&Imported<S>> for Value {
    fn from(imported: &Imported<S>) -> Self {
        imported.value.clone()
    }
}

/// Something that can be added to stack `S`: the product of a construct's builder.
///
/// Implemented for every construct whose VPC marker names `S` as its stack.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be added to stack `{S}`",
    label = "this construct belongs to a VPC of another stack",
    note = "each VPC marker names its stack in `topology!`; add the construct to that stack, or \
            pass values between stacks with `export` and `import`"
)]
pub trait Construct<S>: Sized {
    /// The handle returned by [`Stack::add`].
    type Handle;

    /// Records the construct in the stack under `id`. Called by [`Stack::add`].
    #[doc(hidden)]
    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> Self::Handle;
}

/// A stack's contents with the marker types erased. Internal: reached only through [`Stack`].
#[doc(hidden)]
pub struct StackDef {
    pub(crate) name: Arc<str>,
    pub(crate) description: String,
    pub(crate) region: Option<String>,
    pub(crate) account: Option<String>,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) termination_protection: Option<bool>,
    pub(crate) capabilities: Vec<String>,
    pub(crate) nodes: Vec<Box<dyn Node>>,
    /// Node positions by ID (duplicates are reported at synth), built on first lookup.
    pub(crate) index: OnceLock<HashMap<Arc<str>, Vec<usize>>>,
    pub(crate) outputs: IndexMap<String, OutputDef>,
    /// What synthesis needs to know of each VPC and subnet, by logical ID.
    pub(crate) vpcs: IndexMap<Arc<str>, VpcFacts>,
    pub(crate) subnets: IndexMap<Arc<str>, SubnetFacts>,
}

pub(crate) struct OutputDef {
    pub(crate) value: Value,
    pub(crate) export: Option<String>,
}

pub(crate) struct VpcFacts {
    pub(crate) cidr: Option<Ipv4Cidr>,
    pub(crate) dns_support: bool,
    pub(crate) dns_hostnames: bool,
}

pub(crate) struct SubnetFacts {
    pub(crate) vpc: Arc<str>,
    pub(crate) cidr: Option<Ipv4Cidr>,
    pub(crate) az: crate::Az,
}

impl StackDef {
    pub(crate) fn handle(&self, id: &Arc<str>, vpc: &Arc<str>) -> Handle {
        Handle {
            stack: self.name.clone(),
            id: id.clone(),
            vpc: vpc.clone(),
        }
    }

    pub(crate) fn push(&mut self, node: impl Node) {
        self.nodes.push(Box::new(node));
        self.index.take();
    }

    pub(crate) fn path(&self, id: &str) -> String {
        format!("{}/{}", self.name, id)
    }

    /// The construct of type `N` with ID `id`, if any; through an index built on first use,
    /// so lookups stay O(1) in stacks of hundreds of constructs.
    pub(crate) fn node<N: Node>(&self, id: &str) -> Option<&N> {
        let index = self.index.get_or_init(|| {
            let mut index: HashMap<Arc<str>, Vec<usize>> = HashMap::with_capacity(self.nodes.len());
            for (i, node) in self.nodes.iter().enumerate() {
                index.entry(Arc::from(node.id())).or_default().push(i);
            }
            index
        });
        index
            .get(id)?
            .iter()
            .find_map(|&i| (self.nodes[i].as_ref() as &dyn Any).downcast_ref::<N>())
    }

    /// Every construct of type `N`, in the order added.
    pub(crate) fn nodes_of<N: Node>(&self) -> impl Iterator<Item = &N> {
        self.nodes
            .iter()
            .filter_map(|node| (node.as_ref() as &dyn Any).downcast_ref::<N>())
    }

    /// Per VPC: no more subnets than AWS's quota, and no more addresses in subnets than the VPC
    /// has (which the overlap check alone would report pair by pair).
    fn check_subnet_capacity(&self, findings: &mut Findings) {
        let mut per_vpc: IndexMap<&Arc<str>, (usize, u64)> = IndexMap::new();
        for subnet in self.subnets.values() {
            let (count, addresses) = per_vpc.entry(&subnet.vpc).or_default();
            *count += 1;
            *addresses += subnet.cidr.map_or(0, |c| c.size());
        }
        for (vpc, (count, addresses)) in per_vpc {
            if count > SUBNETS_PER_VPC {
                findings.errors.push(SynthError::TooManySubnets {
                    vpc: self.path(vpc),
                    count,
                });
            }
            if let Some(cidr) = self.vpcs.get(vpc).and_then(|v| v.cidr)
                && addresses > cidr.size()
            {
                findings.errors.push(SynthError::SubnetsExceedVpc {
                    vpc: self.path(vpc),
                    cidr: cidr.to_string(),
                    available: cidr.size(),
                    needed: addresses,
                    count,
                });
            }
        }
    }

    /// Checks, then renders the stack's template.
    pub(crate) fn synth(&self, findings: &mut Findings) -> Option<Template> {
        let before = findings.errors.len();
        let mut check = Check {
            stack: self,
            findings,
        };
        for node in &self.nodes {
            if let Err(e) = vpcform_cfn::validate_logical_id(node.id()) {
                check.report(SynthError::InvalidId {
                    stack: self.name.to_string(),
                    id: node.id().to_string(),
                    reason: match e {
                        TemplateError::InvalidLogicalId { reason, .. } => reason.to_string(),
                        other => other.to_string(),
                    },
                });
            }
            node.check(&mut check);
        }
        self.check_subnet_capacity(findings);
        if findings.errors.len() > before {
            return None;
        }
        let mut template = Template::new(self.description.clone());
        let rendered = self
            .nodes
            .iter()
            .try_for_each(|node| node.render(self, &mut template))
            .and_then(|()| {
                self.outputs.iter().try_for_each(|(name, output)| {
                    let mut out = Output::new(output.value.clone());
                    if let Some(export) = &output.export {
                        out = out.export(export.as_str());
                    }
                    template.add_output(name.as_str(), out)
                })
            })
            .and_then(|()| template.check());
        match rendered {
            Ok(()) => {
                check_limits(&self.name, &template, findings);
                Some(template)
            }
            Err(TemplateError::DuplicateLogicalId { logical_id }) => {
                findings.errors.push(SynthError::DuplicateId {
                    stack: self.name.to_string(),
                    id: logical_id,
                });
                None
            }
            Err(source) => {
                findings.errors.push(SynthError::Template {
                    stack: self.name.to_string(),
                    source,
                });
                None
            }
        }
    }
}

/// AWS's default quota of subnets per VPC (aws-facts §1, Amazon VPC quotas).
pub(crate) const SUBNETS_PER_VPC: usize = 200;
/// CloudFormation quotas: resources and outputs per template, and the `TemplateBody` size, in
/// bytes, above which a template must be uploaded to S3 (`TemplateURL`). Source: "CloudFormation
/// quotas", docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html.
pub(crate) const MAX_RESOURCES: usize = 500;
pub(crate) const MAX_OUTPUTS: usize = 200;
pub(crate) const MAX_TEMPLATE_BODY_BYTES: usize = 51_200;
/// The size limit of a template uploaded to S3 (`TemplateURL`): 1 MB.
pub(crate) const MAX_TEMPLATE_URL_BYTES: usize = 1_000_000;

/// The stack limits CloudFormation enforces on a rendered template.
fn check_limits(stack: &str, template: &Template, findings: &mut Findings) {
    let errors = &mut findings.errors;
    let resources = template.resources().len();
    if resources > MAX_RESOURCES {
        errors.push(SynthError::TooManyResources {
            stack: stack.to_string(),
            count: resources,
        });
    }
    let outputs = template.outputs().len();
    if outputs > MAX_OUTPUTS {
        errors.push(SynthError::TooManyOutputs {
            stack: stack.to_string(),
            count: outputs,
        });
    }
    // The deployer sends the compact form; that is the size CloudFormation counts.
    match template.to_json_compact() {
        Ok(body) if body.len() > MAX_TEMPLATE_URL_BYTES => {
            errors.push(SynthError::TemplateTooLarge {
                stack: stack.to_string(),
                bytes: body.len(),
            })
        }
        // Deployable, but not in the request itself: CloudFormation takes it from S3.
        Ok(body) if body.len() > MAX_TEMPLATE_BODY_BYTES => {
            findings
                .warnings
                .push(crate::SynthWarning::TemplateNeedsS3Upload {
                    stack: stack.to_string(),
                    bytes: body.len(),
                })
        }
        Ok(_) => {}
        Err(source) => errors.push(SynthError::Template {
            stack: stack.to_string(),
            source,
        }),
    }
}

/// Errors and warnings found so far.
#[derive(Default)]
pub(crate) struct Findings {
    pub(crate) errors: Vec<SynthError>,
    pub(crate) warnings: Vec<crate::SynthWarning>,
    /// Keys claimed by constructs (see [`Check::claim`]), namespaced per stack by the caller.
    pub(crate) claims: HashMap<String, String>,
}

/// A construct recorded in a stack: it checks itself, then renders its resources.
pub(crate) trait Node: Any {
    /// The construct's ID (its main resource's logical ID).
    fn id(&self) -> &str;
    /// Reports every problem with the construct's properties.
    fn check(&self, check: &mut Check<'_>);
    /// Adds the construct's resources to the template.
    fn render(&self, stack: &StackDef, template: &mut Template) -> Result<(), TemplateError>;
}

/// What a node's [`Node::check`] sees: its stack, and where to report.
pub(crate) struct Check<'a> {
    pub(crate) stack: &'a StackDef,
    pub(crate) findings: &'a mut Findings,
}

impl Check<'_> {
    pub(crate) fn path(&self, id: &str) -> String {
        self.stack.path(id)
    }

    pub(crate) fn report(&mut self, error: SynthError) {
        self.findings.errors.push(error);
    }

    pub(crate) fn warn(&mut self, warning: crate::SynthWarning) {
        self.findings.warnings.push(warning);
    }

    /// Checks that `handle` comes from this stack and, when `vpc` is given, from that VPC.
    pub(crate) fn handle(
        &mut self,
        construct: &str,
        property: &'static str,
        handle: &Handle,
        vpc: Option<&str>,
    ) {
        if handle.stack != self.stack.name {
            self.findings.errors.push(SynthError::ForeignHandle {
                construct: self.path(construct),
                property,
                target: handle.path(),
                target_stack: handle.stack.to_string(),
            });
        } else if let Some(vpc) = vpc
            && *handle.vpc != *vpc
        {
            self.findings.errors.push(SynthError::WrongVpc {
                construct: self.path(construct),
                property,
                target: handle.path(),
                target_vpc: self.path(&handle.vpc),
                vpc: self.path(vpc),
            });
        }
    }

    /// [`Check::handle`] for each handle of a list property.
    pub(crate) fn handles(
        &mut self,
        construct: &str,
        property: &'static str,
        handles: &[Handle],
        vpc: Option<&str>,
    ) {
        for handle in handles {
            self.handle(construct, property, handle, vpc);
        }
    }

    /// Parses a CIDR property, reporting it if it does not parse.
    pub(crate) fn cidr(
        &mut self,
        construct: &str,
        property: &'static str,
        block: &crate::CidrBlock,
    ) -> Option<Ipv4Cidr> {
        match block.parsed() {
            Ok(cidr) => Some(cidr),
            Err(reason) => {
                self.findings.errors.push(SynthError::InvalidCidr {
                    construct: self.path(construct),
                    property,
                    value: block.text().to_string(),
                    reason,
                });
                None
            }
        }
    }

    /// Reports an empty list property.
    pub(crate) fn non_empty<T>(
        &mut self,
        construct: &str,
        property: &'static str,
        items: &[T],
        fix: &'static str,
    ) {
        if items.is_empty() {
            self.findings.errors.push(SynthError::Empty {
                construct: self.path(construct),
                property,
                fix,
            });
        }
    }
}

impl<'a> Check<'a> {
    /// The construct of type `N` with ID `id` in this stack, if any.
    pub(crate) fn node<N: Node>(&self, id: &str) -> Option<&'a N> {
        self.stack.node(id)
    }

    /// Claims `key` for construct `id` and returns the construct that claimed it first, if
    /// another did: what rules about pairs ("one subnet in two route tables") use, in O(1),
    /// reporting each pair once, on the construct added later (constructs are checked in order).
    pub(crate) fn claim(&mut self, key: String, id: &str) -> Option<String> {
        match self.findings.claims.entry(key) {
            std::collections::hash_map::Entry::Occupied(first) if first.get() != id => {
                Some(first.get().clone())
            }
            std::collections::hash_map::Entry::Occupied(_) => None,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(id.to_string());
                None
            }
        }
    }
}

/// `[{"Key": "Name", "Value": "<Stack>/<Id>"}]`: how the console shows the resource.
pub(crate) fn name_tag(stack: &StackDef, id: &str) -> Value {
    let mut tag = IndexMap::new();
    tag.insert("Key".to_string(), Value::from("Name"));
    tag.insert("Value".to_string(), Value::from(stack.path(id)));
    Value::List(vec![Value::Map(tag)])
}
