//! Stacks: the unit of deployment, holding constructs and outputs; one template each. A
//! stack's data and its builder API; `synth` turns it into its template.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::panic::Location;
use std::sync::Arc;

use vpcform_cfn::{Resource, Value};

use crate::environment::ImportOf;
use crate::export::{Export, Exportable, Imported, OutputValue};
use crate::handle::{AnyHandle, Handle};
use crate::identity::{NodeKey, StackKey};
use crate::model::{Claim, Node};
use crate::tags::StackTags;
use crate::{Code, StackMarker, SynthError};
use vpcform_assembly::{Environment, ParameterImport};

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
    #[track_caller]
    pub fn new(name: impl Into<String>) -> Stack<S> {
        let name: String = name.into();
        Stack {
            def: StackDef {
                key: StackKey::fresh(),
                description: format!("{name} (synthesized by vpcform)"),
                name: name.into(),
                region: None,
                account: None,
                profile: None,
                role_arn: None,
                tags: Vec::new(),
                termination_protection: None,
                capabilities: Vec::new(),
                nodes: Vec::new(),
                outputs: Vec::new(),
                imports: Vec::new(),
                accepted: Vec::new(),
                overrides: Vec::new(),
                retained: Vec::new(),
                import_ids: Vec::new(),
                created: std::panic::Location::caller(),
                locations: Vec::new(),
                allowed: Vec::new(),
                quotas: None,
                context: None,
                lookups: crate::constructs::lookup::Lookups::default(),
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
    /// at synth): the deployer deploys it there, whatever `AWS_REGION` says. Knowing both
    /// sides' regions lets synthesis check cross-region PrivateLink.
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
    /// The deployer checks the credentials' account (STS GetCallerIdentity) before any change
    /// and refuses another. Knowing a consumer's account lets the traffic analysis check that
    /// an endpoint service allows it.
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network").account("111122223333");
    /// ```
    pub fn account(mut self, account: impl Into<String>) -> Stack<S> {
        self.def.account = Some(account.into());
        self
    }

    /// Deploys the stack with this named profile's credentials (and region, unless pinned with
    /// [`Stack::region`]), from `~/.aws/config`. Default: the ambient credentials
    /// (`AWS_PROFILE`, environment variables, SSO, instance role).
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network").profile("prod-network");
    /// ```
    pub fn profile(mut self, profile: impl Into<String>) -> Stack<S> {
        self.def.profile = Some(profile.into());
        self
    }

    /// Deploys the stack with this IAM role, assumed (STS AssumeRole) with the ambient or the
    /// [`profile`](Stack::profile)'s credentials: CDK's bootstrap deploy role, for an account
    /// other than the caller's. The role's account must be the [`account`](Stack::account)
    /// when both are given (checked at synth). Default: no role.
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let stack = vpcform_net::Stack::<Network>::new("Network")
    ///     .account("111122223333")
    ///     .role_arn("arn:aws:iam::111122223333:role/vpcform-deploy");
    /// ```
    pub fn role_arn(mut self, role_arn: impl Into<String>) -> Stack<S> {
        self.def.role_arn = Some(role_arn.into());
        self
    }

    /// Adds a stack tag: passed to CreateStack, and written into every taggable resource of the
    /// stack as well (CloudFormation does not copy stack tags to every type). Constructs add
    /// their own with their builders' `.tags(..)`.
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

    /// Answers the stack's lookups ([`VpcLookup`](crate::lookups::VpcLookup),
    /// [`EndpointServiceLookup`](crate::lookups::EndpointServiceLookup)) from this context.
    /// Default: the process's, read once at the first lookup from the file named by
    /// `$VPCFORM_CONTEXT` (which the toolkit sets) or else `./vpcform.context.json`; a file
    /// that cannot be read is one synthesis error naming it. Tests give theirs here, so they
    /// depend on neither the environment nor the working directory. Call it before the
    /// stack's lookups.
    ///
    /// ```
    /// use vpcform_net::lookups::Context;
    /// vpcform_net::topology! { stack Network {} }
    /// let context = Context::default();
    /// let stack = vpcform_net::Stack::<Network>::new("Network").context(&context);
    /// ```
    pub fn context(mut self, context: &vpcform_assembly::Context) -> Stack<S> {
        self.def.context = Some(Arc::new(context.clone()));
        self
    }

    /// Looks up the account's Availability Zones in the stack's Region (names and zone IDs,
    /// DescribeAvailabilityZones); the stack's account and region must be pinned. With the
    /// answer, the stack's subnets given by index (`Az::index`, counted as `Fn::GetAZs` does)
    /// or by name compare with other accounts' zones by ID — PrivateLink and VPC Lattice
    /// across accounts need no `Az::id` written by hand — and an index beyond the zones or a
    /// zone the account does not have is an error. Asked explicitly, so that a program without
    /// it synthesizes offline with no context. `None` while the context does not answer (the
    /// query is then listed in [`Assembly::missing`](crate::Assembly::missing)).
    ///
    /// ```
    /// use vpcform_net::lookups::{AvailabilityZone, Context, ContextQuery, ContextValue};
    /// vpcform_net::topology! { stack Network {} }
    /// let mut context = Context::default();
    /// let zone = |name: &str, id: &str| AvailabilityZone {
    ///     name: name.into(), id: id.into(), zone_type: "availability-zone".into(),
    /// };
    /// context.insert(
    ///     ContextQuery::AvailabilityZones { account: "111122223333".into(), region: "eu-west-1".into() },
    ///     ContextValue::AvailabilityZones { zones: vec![zone("eu-west-1a", "euw1-az3"), zone("eu-west-1b", "euw1-az1")] },
    /// );
    /// let mut stack = vpcform_net::Stack::<Network>::new("Network")
    ///     .account("111122223333")
    ///     .region("eu-west-1")
    ///     .context(&context);
    /// let zones = stack.lookup_availability_zones().unwrap_or_default();
    /// assert_eq!(zones[1].id, "euw1-az1");
    /// ```
    #[track_caller]
    pub fn lookup_availability_zones(&mut self) -> Option<Vec<vpcform_assembly::AvailabilityZone>> {
        self.def.record("AvailabilityZones");
        crate::constructs::lookup::availability_zones(&mut self.def)
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
    #[track_caller]
    pub fn add<C: Construct<S>>(&mut self, id: &str, construct: C) -> C::Handle {
        let id: Arc<str> = Arc::from(id);
        self.def.record(&id);
        construct.add_to(&mut self.def, id)
    }

    /// Adds an output: the value is shown by `describe-stacks` after deploy. A handle's output
    /// must be of this stack (checked at synth).
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// stack.output("VpcId", &vpc);
    /// ```
    #[track_caller]
    pub fn output(&mut self, name: &str, value: impl Exportable) {
        self.def.record(&format!("output {name}"));
        self.def.outputs.push((
            name.to_string(),
            OutputDef {
                value: value.output_value(),
                export: None,
            },
        ));
    }

    /// Adds an output exported as `<stack name>-<name>`, for another stack to
    /// [`import`](Stack::import). This is the only way a value crosses stacks. The export is
    /// typed by what it carries: a VPC's export is an `Export<S, VpcId>`, an endpoint service
    /// name's an `Export<S, ServiceName>`.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// use vpcform_net::endpoints::ServiceName;
    /// vpcform_net::topology! { stack Provider {} stack Consumer {} }
    /// let mut provider = Stack::<Provider>::new("Provider");
    /// let name = provider.export(
    ///     "ServiceName",
    ///     ServiceName::new("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"),
    /// );
    /// assert_eq!(name.export_name(), "Provider-ServiceName");
    /// let mut consumer = Stack::<Consumer>::new("Consumer");
    /// let imported = consumer.import(&name);
    /// ```
    #[track_caller]
    pub fn export<T: Exportable>(&mut self, name: &str, value: T) -> Export<S, T::Carries> {
        self.def.record(&format!("output {name}"));
        let export_name = format!("{}-{}", self.def.name, name);
        let value = value.output_value();
        let source = value.source.clone();
        self.def.outputs.push((
            name.to_string(),
            OutputDef {
                value,
                export: Some(export_name.clone()),
            },
        ));
        Export::new(
            export_name,
            name.to_string(),
            self.def.key,
            self.def.name.to_string(),
            source,
        )
    }

    /// Imports another stack's export; the app deploys the exporting stack first and destroys
    /// it last. The imported value carries what the export carries.
    ///
    /// In the same account and region (both pinned alike, or both left to the same ambient
    /// credentials) it is `Fn::ImportValue`, and CloudFormation refuses to delete the export
    /// while it is imported. Anywhere else (another account or region, or one side unknown)
    /// `Fn::ImportValue` cannot resolve it, so the importing stack gets a `String` parameter,
    /// `Import<Stack><Output>`, that the deployer fills with the exporting stack's output,
    /// read with that stack's credentials.
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
    #[track_caller]
    pub fn import<E, T>(&mut self, export: &Export<E, T>) -> Imported<S, T> {
        self.def.record(&format!("import {}", export.export_name));
        self.def.imports.push(ImportDef {
            export_name: export.export_name.clone(),
            output: export.output.clone(),
            from: export.stack,
            from_name: export.stack_name.clone(),
        });
        Imported::new(export.export_name.clone(), export.source.clone())
    }

    /// Adds a CloudFormation resource vpcform does not model (yet), under `id`: the escape
    /// hatch. Its `Ref`s and `Fn::GetAtt`s must name resources of this stack (checked at
    /// synth, with every other error); the traffic analysis and diagram do not see into it.
    ///
    /// Use it for resources outside the network model (a Route 53 record, an IAM role); for a
    /// property a vpcform construct does not offer, prefer [`Stack::override_property`], which
    /// keeps the construct's checks.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let logs = stack.add_resource(
    ///     "FlowLogs",
    ///     vpcform_net::cfn::Resource::new("AWS::EC2::FlowLog")
    ///         .property("ResourceId", vpc.reference())
    ///         .property("ResourceType", "VPC")
    ///         .property("TrafficType", "ALL")
    ///         .property("LogDestinationType", "s3")
    ///         .property("LogDestination", "arn:aws:s3:::my-flow-logs"),
    /// );
    /// assert_eq!(logs.logical_id(), "FlowLogs");
    /// ```
    #[track_caller]
    pub fn add_resource(&mut self, id: &str, resource: Resource) -> RawResourceRef {
        self.def.record(id);
        let handle = self
            .def
            .push(Node::Resource(crate::constructs::resource::ResourceNode {
                id: Arc::from(id),
                resource,
            }));
        RawResourceRef { handle }
    }

    /// Sets a property of a construct's main resource at a dotted path, after rendering: CDK's
    /// `addPropertyOverride`, for a property vpcform does not model yet. The construct must be
    /// of this stack and render a resource (checked at synth).
    ///
    /// vpcform's checks do not see overridden values: prefer a builder property where there is
    /// one, and file an issue for the one that is missing.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// stack.override_property(&vpc, "InstanceTenancy", "default");
    /// ```
    #[track_caller]
    pub fn override_property(
        &mut self,
        construct: &impl AnyHandle,
        path: &str,
        value: impl Into<Value>,
    ) {
        let target = construct.any_handle();
        self.def.record(&format!("override {} {path}", target.id));
        self.def.overrides.push(OverrideDef {
            target: construct.any_handle().clone(),
            path: path.to_string(),
            value: value.into(),
        });
    }

    /// Keeps a construct's resource when it leaves the stack: its main resource gets
    /// `DeletionPolicy: Retain` and `UpdateReplacePolicy: Retain` (CDK's `RemovalPolicy.RETAIN`),
    /// so deleting the stack, removing the construct or replacing it leaves the AWS resource.
    /// A resource adopted with `vpcform import` needs a `DeletionPolicy` ("Each resource to
    /// import must have a DeletionPolicy attribute", CloudFormation User Guide, "Resource
    /// import"). The construct must be of this stack and render a resource (checked at synth).
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// stack.retain(&vpc);
    /// ```
    #[track_caller]
    pub fn retain(&mut self, construct: &impl AnyHandle) {
        let target = construct.any_handle().clone();
        self.def.record(&format!("retain {}", target.id));
        self.def.retained.push(target);
    }

    /// Says which existing AWS resource a construct's resource is (Terraform's `import`
    /// block, CDK's resource mapping): `vpcform import STACK` then adopts it into the stack
    /// without a `--resource` for it (one given for the same logical ID overrides this). `id` is
    /// the value of the type's identifier property (a VPC's `VpcId`): a literal, or one a lookup
    /// found (`LookedUpVpc::vpc_id`, `LookedUpSubnet::subnet_id`, …). A lookup not yet answered
    /// gives `None`, and nothing is recorded: the assembly is anyway not deployable while a lookup
    /// is missing. The manifest lists the stack's IDs (`importIds`).
    ///
    /// It implies [`retain`](Stack::retain): CloudFormation imports only a resource with a
    /// `DeletionPolicy` (User Guide, "Resource import"). The construct must be of this stack
    /// and render a resource of its own; two constructs imported as one ID, or one construct as
    /// two, is a synthesis error (`VF0167`).
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// use vpcform_net::lookups::{Context, VpcLookup};
    /// vpcform_net::topology! { stack Network { vpc Main, vpc Landing, vpc Legacy } }
    /// let mut stack = Stack::<Network>::new("Network")
    ///     .account("111122223333")
    ///     .region("eu-west-1")
    ///     .context(&Context::default());
    /// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// stack.import_existing(&vpc, "vpc-0123456789abcdef0");
    /// // From the context: nothing recorded while the lookup is not answered.
    /// let landing = stack.add("Landing", VpcLookup::<Landing>::by_name("landing"));
    /// let legacy = stack.add("Legacy", Vpc::<Legacy>::builder().cidr(cidr!("10.1.0.0/16")).build());
    /// stack.import_existing(&legacy, landing.vpc_id());
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// let manifest = app.synth()?.manifest();
    /// assert_eq!(manifest.stacks[0].import_ids.len(), 1);
    /// assert_eq!(manifest.stacks[0].import_ids["Main"], "vpc-0123456789abcdef0");
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    #[track_caller]
    pub fn import_existing(&mut self, construct: &impl AnyHandle, id: impl Into<ImportId>) {
        let target = construct.any_handle().clone();
        self.def.record(&format!("import_existing {}", target.id));
        if let Some(id) = id.into().0 {
            self.def.import_ids.push((target.clone(), id));
        }
        self.def.retained.push(target);
    }

    /// Declares the quotas AWS raised for this stack's account and region, over the app's
    /// ([`App::quotas`](crate::App::quotas)) quota by quota; the others stay AWS's defaults
    /// (listed in [`quotas::QUOTAS`](crate::quotas::QUOTAS)). Synthesis counts the stack's
    /// constructs against them.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// use vpcform_net::quotas::Quotas;
    /// vpcform_net::topology! { stack Hub { vpc Shared } }
    /// let mut stack = Stack::<Hub>::new("Hub");
    /// stack.quotas(Quotas::default().rules_per_security_group(120));
    /// ```
    pub fn quotas(&mut self, quotas: crate::quotas::Quotas) {
        self.def.quotas = Some(quotas);
    }

    /// Allows a warning code for every construct of this stack (and the stack itself), as
    /// clippy's `#[allow]`: its warnings are left out of
    /// [`Assembly::warnings`](crate::Assembly::warnings) and the output, and counted in
    /// [`Assembly::allowed_warnings`](crate::Assembly::allowed_warnings). An error's code
    /// cannot be allowed: errors stay errors.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// use vpcform_net::findings::SynthErrors;
    /// use vpcform_net::findings::Code;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let a = stack.add("A", Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.0.0/24")).availability_zone(Az::index(0)).build());
    /// let sg = stack.add("Sg", SecurityGroup::builder().vpc(&vpc).description("sts").build());
    /// stack.add("Sts", InterfaceEndpoint::builder().vpc(&vpc).service(services::Sts).subnets([&a]).security_groups([&sg]).build());
    /// stack.allow(Code::VF0208); // one zone is enough for this test network
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// let assembly = app.synth()?;
    /// assert!(assembly.warnings().is_empty());
    /// assert_eq!(assembly.allowed_warnings(), 1);
    /// # Ok::<(), SynthErrors>(())
    /// ```
    pub fn allow(&mut self, code: Code) {
        self.def.allowed.push((None, code));
    }

    /// Allows a warning code for one construct only (see [`Stack::allow`]).
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// use vpcform_net::findings::SynthErrors;
    /// use vpcform_net::findings::Code;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let a = stack.add("A", Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.0.0/24")).availability_zone(Az::index(0)).build());
    /// let sg = stack.add("Sg", SecurityGroup::builder().vpc(&vpc).description("sts").build());
    /// let sts = stack.add("Sts", InterfaceEndpoint::builder().vpc(&vpc).service(services::Sts).subnets([&a]).security_groups([&sg]).build());
    /// stack.add("Ssm", InterfaceEndpoint::builder().vpc(&vpc).service(services::Ssm).subnets([&a]).security_groups([&sg]).build());
    /// stack.allow_for(&sts, Code::VF0208);
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// let assembly = app.synth()?;
    /// assert_eq!(assembly.warnings().len(), 1); // Ssm's
    /// assert_eq!(assembly.warnings()[0].construct(), Some("Network/Ssm"));
    /// # Ok::<(), SynthErrors>(())
    /// ```
    pub fn allow_for(&mut self, construct: &impl AnyHandle, code: Code) {
        let handle = construct.any_handle();
        self.def
            .allowed
            .push((Some(format!("{}/{}", handle.stack, handle.id)), code));
    }
}

/// A handle to a resource added with [`Stack::add_resource`].
#[derive(Clone, Debug)]
pub struct RawResourceRef {
    handle: Handle,
}

impl RawResourceRef {
    /// The logical ID given.
    ///
    /// See [`Stack::add_resource`] for an example.
    pub fn logical_id(&self) -> &str {
        &self.handle.id
    }

    /// `{"Ref": logical_id}`.
    ///
    /// ```
    /// # vpcform_net::topology! { stack Network {} }
    /// # let mut stack = vpcform_net::Stack::<Network>::new("Network");
    /// let zone = stack.add_resource("Zone", vpcform_net::cfn::Resource::new("AWS::Route53::HostedZone"));
    /// assert_eq!(zone.reference(), vpcform_net::Value::reference("Zone"));
    /// ```
    pub fn reference(&self) -> Value {
        self.handle.scoped(self.handle.reference())
    }
}

impl AnyHandle for RawResourceRef {
    fn any_handle(&self) -> &Handle {
        &self.handle
    }
}

impl From<&RawResourceRef> for Value {
    fn from(handle: &RawResourceRef) -> Self {
        handle.reference()
    }
}

impl Exportable for &RawResourceRef {
    type Carries = crate::export::Raw;
    fn output_value(self) -> OutputValue {
        OutputValue::of_handle(&self.handle, self.reference())
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
    pub(crate) key: StackKey,
    pub(crate) name: Arc<str>,
    pub(crate) description: String,
    pub(crate) region: Option<String>,
    pub(crate) account: Option<String>,
    pub(crate) profile: Option<String>,
    pub(crate) role_arn: Option<String>,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) termination_protection: Option<bool>,
    pub(crate) capabilities: Vec<String>,
    /// The constructs in the order added; a handle's key indexes this.
    pub(crate) nodes: Vec<Node>,
    pub(crate) outputs: Vec<(String, OutputDef)>,
    pub(crate) imports: Vec<ImportDef>,
    /// Values the deployer's acceptance steps give (`PeeringAccepterAttachment::accepted`).
    pub(crate) accepted: Vec<AcceptedDef>,
    pub(crate) overrides: Vec<OverrideDef>,
    /// The constructs whose resource is kept when it leaves the stack (`Stack::retain`).
    pub(crate) retained: Vec<Handle>,
    /// The existing resources the program says constructs are (`Stack::import_existing`).
    pub(crate) import_ids: Vec<(Handle, String)>,
    /// Where the program created the stack: the location of findings about the stack itself.
    pub(crate) created: &'static Location<'static>,
    /// Where the program added each construct (by ID), output (`output <Name>`), import
    /// (`import <Export>`) and override (`override <Id> <Path>`), for findings' locations;
    /// beside `nodes`, not in them, as one `add` may push several nodes.
    pub(crate) locations: Vec<(Arc<str>, &'static Location<'static>)>,
    /// Warnings allowed: for the whole stack (`None`) or one construct ID.
    pub(crate) allowed: Vec<(Option<String>, Code)>,
    /// Quotas raised for this stack, over the app's (`Stack::quotas`).
    pub(crate) quotas: Option<crate::quotas::Quotas>,
    /// The context the stack's lookups read (`Stack::context`); `None`: the process's.
    pub(crate) context: Option<Arc<vpcform_assembly::Context>>,
    /// What the stack's lookups found, missed and failed (`constructs/lookup.rs`).
    pub(crate) lookups: crate::constructs::lookup::Lookups,
}

pub(crate) struct OutputDef {
    pub(crate) value: OutputValue,
    pub(crate) export: Option<String>,
}

/// A peering's accepter attachment ID, filled at deploy from its acceptance step's output.
pub(crate) struct AcceptedDef {
    /// The template's `String` parameter.
    pub(crate) parameter: String,
    /// The step's name (`Accept-<Stack>-<Id>`, `model::acceptance_step`).
    pub(crate) step: String,
    /// The peering, when the app has it.
    pub(crate) peering: Option<Handle>,
}

/// The existing resource a construct's resource is, for [`Stack::import_existing`]: text (a
/// literal ID), or an ID a lookup may not have found yet (`None`: nothing to record).
///
/// ```
/// use vpcform_net::ImportId;
/// assert_eq!(ImportId::from("vpc-0a1b2c3d").id(), Some("vpc-0a1b2c3d"));
/// assert_eq!(ImportId::from(None::<&str>).id(), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportId(Option<String>);

impl ImportId {
    /// The physical ID; `None` for a lookup not yet answered.
    ///
    /// See [`ImportId`] for an example.
    pub fn id(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl From<&str> for ImportId {
    fn from(id: &str) -> ImportId {
        ImportId(Some(id.to_string()))
    }
}

impl From<String> for ImportId {
    fn from(id: String) -> ImportId {
        ImportId(Some(id))
    }
}

impl From<&String> for ImportId {
    fn from(id: &String) -> ImportId {
        ImportId(Some(id.clone()))
    }
}

impl From<Option<&str>> for ImportId {
    fn from(id: Option<&str>) -> ImportId {
        ImportId(id.map(str::to_string))
    }
}

impl From<Option<String>> for ImportId {
    fn from(id: Option<String>) -> ImportId {
        ImportId(id)
    }
}

/// An import, as recorded when the program made it.
pub(crate) struct ImportDef {
    pub(crate) export_name: String,
    /// The output's name in the exporting stack.
    pub(crate) output: String,
    pub(crate) from: StackKey,
    pub(crate) from_name: String,
}

pub(crate) struct OverrideDef {
    pub(crate) target: Handle,
    pub(crate) path: String,
    pub(crate) value: Value,
}

impl StackDef {
    /// Records where the caller of a `#[track_caller]` entry point added `id`.
    #[track_caller]
    pub(crate) fn record(&mut self, id: &str) {
        self.locations.push((Arc::from(id), Location::caller()));
    }

    /// Where the program added `id` (or the construct whose ID it extends, such as `NatEip`
    /// for `Nat`); where it created the stack when no construct matches.
    pub(crate) fn location_of(&self, id: &str) -> &'static Location<'static> {
        self.locations
            .iter()
            .filter(|(added, _)| id.starts_with(&**added))
            .max_by_key(|(added, _)| added.len())
            .map_or(self.created, |(_, at)| *at)
    }

    /// Whether this stack allows a warning of `code` about `construct` (a path or a stack name).
    pub(crate) fn allows(&self, code: Code, construct: Option<&str>) -> bool {
        let Some(construct) = construct else {
            return false;
        };
        let in_stack = construct == &*self.name
            || construct
                .strip_prefix(&*self.name)
                .is_some_and(|rest| rest.starts_with('/'));
        self.allowed.iter().any(|(only, allowed)| {
            *allowed == code
                && match only {
                    None => in_stack,
                    Some(path) => path == construct,
                }
        })
    }

    /// Records a construct and returns its handle.
    pub(crate) fn push(&mut self, node: Node) -> Handle {
        let key = NodeKey {
            stack: self.key,
            index: u32::try_from(self.nodes.len()).unwrap_or(u32::MAX),
        };
        let handle = Handle {
            key,
            kind: node.kind(),
            vpc: node.vpc(key),
            stack: self.name.clone(),
            id: Arc::from(node.id()),
        };
        self.nodes.push(node);
        handle
    }

    pub(crate) fn path(&self, id: &str) -> String {
        format!("{}/{}", self.name, id)
    }

    /// Every construct with its key.
    pub(crate) fn keyed_nodes(&self) -> impl Iterator<Item = (NodeKey, &Node)> {
        let stack = self.key;
        self.nodes.iter().enumerate().map(move |(i, node)| {
            (
                NodeKey {
                    stack,
                    index: i as u32,
                },
                node,
            )
        })
    }

    /// Where the stack is deployed, as given.
    pub(crate) fn environment(&self) -> Environment {
        Environment {
            account: self.account.clone(),
            region: self.region.clone(),
            profile: self.profile.clone(),
            role_arn: self.role_arn.clone(),
        }
    }

    /// What the tag rules need: the stack's name and tags.
    pub(crate) fn tag_data(&self) -> StackTags<'_> {
        StackTags {
            name: &self.name,
            tags: &self.tags,
        }
    }

    /// The imports that cannot be `Fn::ImportValue` (the stack and its exporter are in
    /// different, or unknown, environments), as parameters, with the export each replaces.
    pub(crate) fn parameter_imports(
        &self,
        stacks: &[StackDef],
    ) -> Vec<(String, ParameterImport, Environment)> {
        let imports = self.imports.iter().filter_map(|import| {
            let exporter = stacks.iter().find(|s| s.key == import.from)?;
            Some(ImportOf {
                export_name: &import.export_name,
                output: &import.output,
                from: &exporter.name,
                environment: exporter.environment(),
                own: exporter.key == self.key,
            })
        });
        crate::environment::parameter_imports(&self.environment(), imports)
    }
}

/// Errors and warnings found so far.
#[derive(Default)]
pub(crate) struct Findings {
    pub(crate) errors: Vec<SynthError>,
    pub(crate) warnings: Vec<crate::SynthWarning>,
    /// Pair rules' keys and the construct that claimed each first (see [`Check::claim`]).
    pub(crate) claims: HashMap<Claim, NodeKey>,
    /// Each cause reported so far, by code and cause key, and its finding's place in
    /// `errors` (see [`Findings::report_cause`]).
    causes: HashMap<(Code, String), usize>,
}

impl Findings {
    /// Reports `error`, or folds it into the finding of the same code and `cause` reported
    /// before, which then lists it: one cause, one finding (a name written into many IDs,
    /// two subnets in one zone given to every endpoint of a hub), with the fix said once.
    pub(crate) fn report_cause(&mut self, cause: String, error: SynthError) {
        let key = (error.code(), cause);
        if let Some(first) = self
            .causes
            .get(&key)
            .and_then(|&at| self.errors.get_mut(at))
            && first.absorb(&error)
        {
            return;
        }
        self.causes.insert(key, self.errors.len());
        self.errors.push(error);
    }
}
