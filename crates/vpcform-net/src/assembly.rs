//! The assembly: what synthesis made of the app — each stack's template, its deployment
//! settings, the analyses — and writing it to a directory in the cloud assembly schema
//! (`vpcform-assembly`: `manifest.json` beside the templates).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use indexmap::IndexMap;
use vpcform_assembly::{Environment, Manifest, ManifestStack, ParameterImport};
use vpcform_cfn::Template;

use crate::SynthWarning;
use crate::cost::CostReport;
use crate::traffic::TrafficReport;

/// From this many stacks on, templates are serialized on every core (below it, threads cost
/// more than they save).
const PARALLEL_STACKS: usize = 4;

/// The template files a previous synthesis's manifest lists (none if there is none or it cannot
/// be read): only names of the `<Stack>.template.json` form, never a path.
fn previous_templates(manifest: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return Vec::new();
    };
    /// The one field read back: the rest of the format may change freely.
    #[derive(serde::Deserialize)]
    struct Previous {
        stacks: Vec<PreviousStack>,
    }
    #[derive(serde::Deserialize)]
    struct PreviousStack {
        template: String,
    }
    let Ok(manifest) = serde_json::from_str::<Previous>(&text) else {
        return Vec::new();
    };
    manifest
        .stacks
        .into_iter()
        .map(|s| s.template)
        .filter(|t| {
            t.strip_suffix(".template.json")
                .is_some_and(crate::app::valid_stack_name)
        })
        .collect()
}

/// The synthesized app: one template per stack, in deployment order.
#[derive(Debug)]
pub struct Assembly {
    pub(crate) app: String,
    pub(crate) stacks: Vec<SynthesizedStack>,
    /// The acceptances the deployer runs between stacks (`steps.rs`).
    pub(crate) steps: Vec<vpcform_assembly::ManifestStep>,
    /// The lookups the context did not answer, sorted by key (`constructs/lookup.rs`).
    pub(crate) missing: Vec<vpcform_assembly::ContextQuery>,
    pub(crate) warnings: Vec<SynthWarning>,
    /// How many warnings `Stack::allow` and `Stack::allow_for` left out.
    pub(crate) allowed: usize,
    pub(crate) traffic: TrafficReport,
    pub(crate) cost: CostReport,
    /// The diagram's content; drawn in DOT or Mermaid on first use, so a program that never
    /// asks for a diagram never pays for one.
    pub(crate) diagram: crate::diagram::Picture,
    /// Whether flows were declared (the DOT legend explains their colours).
    pub(crate) flows: bool,
    pub(crate) dot: OnceLock<String>,
    pub(crate) mermaid: OnceLock<String>,
}

/// One stack's template and the stacks it must be deployed after.
#[derive(Debug)]
pub struct SynthesizedStack {
    pub(crate) name: String,
    pub(crate) template: Template,
    pub(crate) depends_on: Vec<String>,
    pub(crate) imports: Vec<String>,
    pub(crate) parameter_imports: Vec<ParameterImport>,
    pub(crate) environment: Environment,
    pub(crate) stack_set: Option<crate::StackSetSpec>,
    pub(crate) tags: Vec<(String, String)>,
    pub(crate) termination_protection: Option<bool>,
    pub(crate) capabilities: Vec<String>,
    /// Logical ID → the existing resource's physical ID (`Stack::import_existing`).
    pub(crate) import_ids: BTreeMap<String, String>,
}

impl SynthesizedStack {
    /// The CloudFormation stack name.
    ///
    /// See [`Assembly`] for an example.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The template.
    ///
    /// See [`Assembly`] for an example.
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The stacks whose exports this one imports.
    ///
    /// See [`Assembly`] for an example.
    pub fn depends_on(&self) -> &[String] {
        &self.depends_on
    }

    /// The existing resources the program says its resources are, by logical ID
    /// ([`Stack::import_existing`](crate::Stack::import_existing)): what `vpcform import`
    /// adopts without a `--resource`.
    ///
    /// See [`Stack::import_existing`](crate::Stack::import_existing) for an example.
    pub fn import_ids(&self) -> &BTreeMap<String, String> {
        &self.import_ids
    }

    /// The region the program pinned the stack to, if any.
    ///
    /// See [`Assembly`] for an example.
    pub fn region(&self) -> Option<&str> {
        self.environment.region.as_deref()
    }

    /// The stack set settings, for a stack added with
    /// [`App::add_stack_set`](crate::App::add_stack_set); `None` for a plain stack.
    ///
    /// See [`StackSet`](crate::deployment::StackSet) for an example.
    pub fn stack_set(&self) -> Option<&crate::StackSetSpec> {
        self.stack_set.as_ref()
    }

    /// Where the stack is deployed and with which credentials (see [`Environment`]).
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network").account("111122223333").region("eu-west-1");
    /// stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// let assembly = app.synth()?;
    /// let env = assembly.stacks()[0].environment();
    /// assert_eq!(env.account.as_deref(), Some("111122223333"));
    /// assert_eq!(env.region.as_deref(), Some("eu-west-1"));
    /// assert!(env.profile.is_none() && env.role_arn.is_none());
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The imports from stacks of other accounts or regions, made parameters of this stack
    /// for the deployer to fill (see [`ParameterImport`]).
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Provider { vpc P } stack Consumer { vpc C } }
    /// let mut provider = Stack::<Provider>::new("Provider").account("111122223333");
    /// provider.add("P", Vpc::<P>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let name = provider.export("ServiceName", "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");
    /// let mut consumer = Stack::<Consumer>::new("Consumer").account("444455556666");
    /// consumer.add("C", Vpc::<C>::builder().cidr(cidr!("10.1.0.0/16")).build());
    /// let service = consumer.import(&name);
    /// consumer.output("Service", &service);
    /// let mut app = App::new("demo");
    /// app.add_stack(provider);
    /// app.add_stack(consumer);
    /// let assembly = app.synth()?;
    /// let imports = assembly.stack("Consumer").unwrap().parameter_imports();
    /// assert_eq!(imports[0].parameter, "ImportProviderServiceName");
    /// assert_eq!((imports[0].stack.as_str(), imports[0].output.as_str()), ("Provider", "ServiceName"));
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn parameter_imports(&self) -> &[ParameterImport] {
        &self.parameter_imports
    }

    /// Stack tags: `vpcform:app` = the app's name, then the program's.
    ///
    /// See [`Assembly`] for an example.
    pub fn tags(&self) -> &[(String, String)] {
        &self.tags
    }

    /// Termination protection to set at deploy, if the program chose.
    ///
    /// See [`Assembly`] for an example.
    pub fn termination_protection(&self) -> Option<bool> {
        self.termination_protection
    }

    /// Capabilities to acknowledge at deploy.
    ///
    /// See [`Assembly`] for an example.
    pub fn capabilities(&self) -> &[String] {
        &self.capabilities
    }

    /// The template's resources counted by type, in order of first appearance.
    ///
    /// See [`Assembly::summary`] for what it serves.
    pub fn resource_counts(&self) -> IndexMap<&str, usize> {
        let mut counts: IndexMap<&str, usize> = IndexMap::new();
        for resource in self.template.resources().values() {
            *counts.entry(resource.resource_type()).or_default() += 1;
        }
        counts
    }

    /// The template's file name in the output directory.
    ///
    /// See [`Assembly`] for an example.
    pub fn template_file(&self) -> String {
        vpcform_assembly::template_file(&self.name)
    }
}

impl Assembly {
    /// The app's name.
    ///
    /// See [`Assembly::stacks`] for an example.
    pub fn app(&self) -> &str {
        &self.app
    }

    /// The analysis of the app's declared flows (empty without flows).
    ///
    /// See [`App::flow`](crate::App::flow) for an example.
    pub fn traffic(&self) -> &TrafficReport {
        &self.traffic
    }

    /// The monthly cost estimate, with the NAT alternative beside it.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack Network { vpc Main } }
    /// # let mut stack = Stack::<Network>::new("Network");
    /// # stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// # let mut app = App::new("demo");
    /// # app.add_stack(stack);
    /// let cost = app.synth()?.cost().clone();
    /// assert_eq!(cost.total, 0.0);
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn cost(&self) -> &CostReport {
        &self.cost
    }

    /// The diagram in Graphviz DOT (written as `<app>.dot`).
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack Network { vpc Main } }
    /// # let mut stack = Stack::<Network>::new("Network");
    /// # stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// # let mut app = App::new("demo");
    /// # app.add_stack(stack);
    /// assert!(app.synth()?.diagram_dot().starts_with("digraph \"demo\""));
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn diagram_dot(&self) -> &str {
        self.dot
            .get_or_init(|| crate::diagram::dot(&self.app, &self.diagram, self.flows))
    }

    /// The diagram as a Mermaid flowchart (written as `<app>.mmd`).
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack Network { vpc Main } }
    /// # let mut stack = Stack::<Network>::new("Network");
    /// # stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// # let mut app = App::new("demo");
    /// # app.add_stack(stack);
    /// assert!(app.synth()?.diagram_mermaid().starts_with("flowchart LR"));
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn diagram_mermaid(&self) -> &str {
        self.mermaid
            .get_or_init(|| crate::diagram::mermaid(&self.diagram))
    }

    /// What synthesis let through but a reviewer should see.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack S { vpc A } }
    /// let mut stack = Stack::<S>::new("S");
    /// let vpc = stack.add("A", Vpc::<A>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let sub = stack.add(
    ///     "Sub",
    ///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.0.0/24")).availability_zone(Az::index(0)).build(),
    /// );
    /// stack.add("Sqs", InterfaceEndpoint::builder().vpc(&vpc).service(services::Sqs).subnets([&sub]).build());
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// let warnings = app.synth()?.warnings().to_vec();
    /// assert!(matches!(warnings[0], vpcform_net::findings::SynthWarning::SingleAz { .. }));
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn warnings(&self) -> &[SynthWarning] {
        &self.warnings
    }

    /// How many warnings were allowed ([`Stack::allow`](crate::Stack::allow),
    /// [`Stack::allow_for`](crate::Stack::allow_for)) and so left out of
    /// [`Assembly::warnings`].
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack S { vpc A } }
    /// let mut stack = Stack::<S>::new("S");
    /// stack.add("A", Vpc::<A>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// assert_eq!(app.synth()?.allowed_warnings(), 0);
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn allowed_warnings(&self) -> usize {
        self.allowed
    }

    /// The stacks in deployment order.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// let assembly = app.synth()?;
    /// let network = &assembly.stacks()[0];
    /// assert_eq!(assembly.app(), "demo");
    /// assert_eq!(network.template_file(), "Network.template.json");
    /// assert!(network.depends_on().is_empty());
    /// assert_eq!(network.tags()[0], ("vpcform:app".to_string(), "demo".to_string()));
    /// assert_eq!(network.region(), None);
    /// assert_eq!(network.termination_protection(), None);
    /// assert!(network.capabilities().is_empty());
    /// assert_eq!(network.template().resources().len(), 1);
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn stacks(&self) -> &[SynthesizedStack] {
        &self.stacks
    }

    /// A stack by name.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack Network { vpc Main } }
    /// # let mut stack = Stack::<Network>::new("Network");
    /// # stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// # let mut app = App::new("demo");
    /// # app.add_stack(stack);
    /// let assembly = app.synth()?;
    /// assert!(assembly.stack("Network").is_some());
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn stack(&self, name: &str) -> Option<&SynthesizedStack> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// The manifest describing the assembly, in the cloud assembly schema
    /// ([`Manifest`]: what `write_to` writes as `manifest.json`, and a deployer reads).
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack Network { vpc Main } }
    /// # let mut stack = Stack::<Network>::new("Network");
    /// # stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// # let mut app = App::new("demo");
    /// # app.add_stack(stack);
    /// let manifest = app.synth()?.manifest();
    /// assert_eq!(manifest.stacks[0].template, "Network.template.json");
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn manifest(&self) -> Manifest {
        Manifest {
            version: vpcform_assembly::SCHEMA_VERSION,
            app: self.app.clone(),
            stacks: self
                .stacks
                .iter()
                .map(|s| ManifestStack {
                    name: s.name.clone(),
                    template: s.template_file(),
                    depends_on: s.depends_on.clone(),
                    exports: s.template.exports().iter().map(|e| e.to_string()).collect(),
                    imports: s.imports.clone(),
                    parameter_imports: s.parameter_imports.clone(),
                    environment: s.environment.clone(),
                    stack_set: s.stack_set.clone(),
                    // One value per key, the last given, at the key's first place.
                    tags: s
                        .tags
                        .iter()
                        .cloned()
                        .collect::<IndexMap<_, _>>()
                        .into_iter()
                        .collect(),
                    termination_protection: s.termination_protection,
                    capabilities: s.capabilities.clone(),
                    import_ids: s.import_ids.clone(),
                })
                .collect(),
            steps: self.steps.clone(),
            missing: self.missing.clone(),
        }
    }

    /// The lookups the context does not answer, sorted by key and each once: while any is
    /// listed, the templates hold placeholders and the assembly is not to be deployed; the
    /// toolkit looks them up, writes the context file and runs the program again. The
    /// manifest lists them too ([`Manifest::missing`]).
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// use vpcform_net::lookups::{Context, VpcLookup};
    /// vpcform_net::topology! { stack Endpoints { vpc Landing } }
    /// let mut stack = Stack::<Endpoints>::new("Endpoints")
    ///     .account("111122223333")
    ///     .region("eu-west-1")
    ///     .context(&Context::default());
    /// let landing = stack.add("Landing", VpcLookup::<Landing>::by_name("shared"));
    /// assert!(landing.is_placeholder());
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// let assembly = app.synth()?;
    /// assert_eq!(
    ///     assembly.missing()[0].key(),
    ///     "vpc:account=111122223333:region=eu-west-1:tag:Name=shared"
    /// );
    /// assert_eq!(assembly.manifest().missing, assembly.missing());
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn missing(&self) -> &[vpcform_assembly::ContextQuery] {
        &self.missing
    }

    /// Writes into `dir` (created if missing) `<Stack>.template.json` for each stack,
    /// `traffic.json` when flows are declared, `cost.json`, the diagrams `<app>.dot` and
    /// `<app>.mmd`, and `manifest.json`; returns the files written, manifest last.
    ///
    /// Nothing is half-written: every file goes first into a staging directory inside `dir`
    /// and is moved into place (a rename) only once all of them were written; on an error
    /// `dir` keeps what it held. Templates of stacks the previous manifest listed and this
    /// assembly no longer has are removed, so `dir` never holds a stale stack.
    ///
    /// # Errors
    /// An I/O error naming the file that could not be written or moved.
    ///
    /// ```no_run
    /// # fn demo(assembly: vpcform_net::Assembly) -> std::io::Result<()> {
    /// let files = assembly.write_to("vpcform.out".as_ref())?;
    /// # Ok(()) }
    /// ```
    pub fn write_to(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        let with_path = |path: &Path, e: std::io::Error| {
            std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
        };
        std::fs::create_dir_all(dir).map_err(|e| with_path(dir, e))?;
        // Inside `dir`, so the final renames never cross a file system.
        let staging = dir.join(format!(".vpcform-staging-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| with_path(&staging, e))?;
        }
        std::fs::create_dir(&staging).map_err(|e| with_path(&staging, e))?;
        let files = match self.files() {
            Ok(files) => files,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(e);
            }
        };
        for (name, content) in &files {
            if let Err(e) = std::fs::write(staging.join(name), content.as_bytes()) {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(with_path(&dir.join(name), e));
            }
        }
        // A rename onto a directory fails: find that before moving anything.
        if let Some((name, _)) = files.iter().find(|(name, _)| dir.join(name).is_dir()) {
            let _ = std::fs::remove_dir_all(&staging);
            let path = dir.join(name);
            return Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                format!(
                    "{}: is a directory; move it away and synthesize again",
                    path.display()
                ),
            ));
        }
        let stale = previous_templates(&dir.join(vpcform_assembly::MANIFEST_FILE));
        let mut written = Vec::with_capacity(files.len());
        for (name, _) in &files {
            let path = dir.join(name);
            if let Err(e) = std::fs::rename(staging.join(name), &path) {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(with_path(&path, e));
            }
            written.push(path);
        }
        let _ = std::fs::remove_dir(&staging);
        for name in stale {
            if !files.iter().any(|(file, _)| *file == name) {
                let _ = std::fs::remove_file(dir.join(name));
            }
        }
        Ok(written)
    }

    /// Every file of the assembly, named and rendered, manifest last.
    fn files(&self) -> std::io::Result<Vec<(String, std::borrow::Cow<'_, str>)>> {
        use std::borrow::Cow;
        fn pretty(name: &str, value: &impl serde::Serialize) -> std::io::Result<String> {
            let mut json = serde_json::to_string_pretty(value)
                .map_err(|e| std::io::Error::other(format!("{name}: {e}")))?;
            json.push('\n');
            Ok(json)
        }
        let template = |stack: &SynthesizedStack| {
            let name = stack.template_file();
            let json = stack
                .template
                .to_json_pretty()
                .map_err(|e| std::io::Error::other(format!("{name}: {e}")))?;
            Ok::<_, std::io::Error>((name, Cow::Owned(json)))
        };
        let mut files = Vec::with_capacity(self.stacks.len() + 5);
        // Many stacks: the templates (the bulk of the work) on every core and the diagrams on
        // a thread of their own, joined in order so the files are the same whatever the cores.
        if self.stacks.len() >= PARALLEL_STACKS {
            let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
            let chunk = self.stacks.len().div_ceil(workers.max(1));
            let rendered = std::thread::scope(|scope| {
                let diagrams = scope.spawn(|| {
                    self.diagram_dot();
                    self.diagram_mermaid();
                });
                let parts: Vec<_> = self
                    .stacks
                    .chunks(chunk.max(1))
                    .map(|part| scope.spawn(move || part.iter().map(template).collect::<Vec<_>>()))
                    .collect();
                let mut all = Vec::with_capacity(self.stacks.len());
                for part in parts {
                    match part.join() {
                        Ok(done) => all.extend(done),
                        Err(_) => all.push(Err(std::io::Error::other(
                            "a thread writing templates panicked",
                        ))),
                    }
                }
                if diagrams.join().is_err() {
                    all.push(Err(std::io::Error::other(
                        "the thread drawing the diagrams panicked",
                    )));
                }
                all
            });
            for file in rendered {
                files.push(file?);
            }
        } else {
            for stack in &self.stacks {
                files.push(template(stack)?);
            }
        }
        if !self.traffic.flows.is_empty() {
            files.push((
                "traffic.json".into(),
                Cow::Owned(pretty("traffic.json", &self.traffic)?),
            ));
        }
        files.push((
            "cost.json".into(),
            Cow::Owned(pretty("cost.json", &self.cost)?),
        ));
        files.push((
            format!("{}.dot", self.app),
            Cow::Borrowed(self.diagram_dot()),
        ));
        files.push((
            format!("{}.mmd", self.app),
            Cow::Borrowed(self.diagram_mermaid()),
        ));
        let manifest = self.manifest().to_json().map_err(|e| {
            std::io::Error::other(format!("{}: {e}", vpcform_assembly::MANIFEST_FILE))
        })?;
        files.push((vpcform_assembly::MANIFEST_FILE.into(), Cow::Owned(manifest)));
        Ok(files)
    }

    /// A short human summary: each stack, its template file, its resources counted by type, and
    /// the stacks it is deployed after.
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack Network { vpc Main } }
    /// # let mut stack = Stack::<Network>::new("Network");
    /// # stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
    /// # let mut app = App::new("demo");
    /// # app.add_stack(stack);
    /// let summary = app.synth()?.summary("vpcform.out".as_ref());
    /// assert!(summary.contains("Network: 1 resources -> vpcform.out/Network.template.json"));
    /// assert!(summary.contains("1 AWS::EC2::VPC"));
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn summary(&self, dir: &Path) -> String {
        let mut out = String::new();
        for stack in &self.stacks {
            let counts = stack.resource_counts();
            let _ = write!(
                out,
                "{}: {} resources -> {}",
                stack.name,
                stack.template.resources().len(),
                dir.join(stack.template_file()).display()
            );
            if !stack.depends_on.is_empty() {
                let _ = write!(out, " (after {})", stack.depends_on.join(", "));
            }
            out.push('\n');
            if let Some(set) = &stack.stack_set {
                let targets = &set.targets;
                let mut to = if targets.unit_ids().is_empty() {
                    format!("accounts {}", targets.account_ids().join(", "))
                } else {
                    format!("every account of {}", targets.unit_ids().join(", "))
                };
                if !targets.excluded_account_ids().is_empty() {
                    to += &format!(" except {}", targets.excluded_account_ids().join(", "));
                }
                let _ = writeln!(
                    out,
                    "  stack set: {to}, in {} (resources and cost are per instance)",
                    set.regions.join(", ")
                );
            }
            // Existing resources are parameters: say which, and which need a value at deploy.
            let parameters = stack.template.parameters();
            if !parameters.is_empty() {
                let needed: Vec<&str> = parameters
                    .iter()
                    .filter(|(_, p)| p.default().is_none())
                    .map(|(name, _)| name.as_str())
                    .collect();
                let _ = write!(out, "  {:>3} parameters", parameters.len());
                if !needed.is_empty() {
                    let _ = write!(
                        out,
                        " (give at deploy: {})",
                        needed
                            .iter()
                            .map(|n| format!("--parameters {}:{n}=…", stack.name))
                            .collect::<Vec<_>>()
                            .join(" ")
                    );
                }
                out.push('\n');
            }
            for (resource_type, n) in counts {
                let _ = writeln!(out, "  {n:>3} {resource_type}");
            }
        }
        out
    }
}
