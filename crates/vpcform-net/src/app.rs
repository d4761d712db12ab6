//! The app: its stacks, synthesized together into an [`Assembly`] of templates.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;
use vpcform_cfn::Template;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::cost::{CostReport, Prices};
use crate::environment::{Environment, ParameterImport};
use crate::identity::StackKey;
use crate::model::Model;
use crate::stack::{Findings, StackDef};
use crate::traffic::{Flow, TrafficReport};
use crate::{Finding, Stack, StackMarker, SynthError, SynthErrors, SynthWarning};

/// An app: the stacks one program defines, synthesized and deployed together.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Network { vpc Main } }
///
/// let mut stack = Stack::<Network>::new("Network");
/// stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let mut app = App::new("demo");
/// app.add_stack(stack);
/// let assembly = app.synth()?;
/// assert_eq!(assembly.stacks()[0].name(), "Network");
/// # Ok::<(), vpcform_net::findings::SynthErrors>(())
/// ```
pub struct App {
    name: String,
    stacks: Vec<StackDef>,
    /// The stack sets' settings, by position in `stacks`.
    stack_sets: Vec<(usize, crate::stack_set::StackSetDef)>,
    flows: Vec<Flow>,
    require_private_traffic: bool,
    prices: Option<Prices>,
}

impl App {
    /// A new app without stacks.
    ///
    /// ```
    /// let app = vpcform_net::App::new("privatelink");
    /// assert_eq!(app.name(), "privatelink");
    /// ```
    pub fn new(name: impl Into<String>) -> App {
        App {
            name: name.into(),
            stacks: Vec::new(),
            stack_sets: Vec::new(),
            flows: Vec::new(),
            require_private_traffic: false,
            prices: None,
        }
    }

    /// The app's name.
    ///
    /// ```
    /// assert_eq!(vpcform_net::App::new("x").name(), "x");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the app has no stacks.
    ///
    /// ```
    /// assert!(vpcform_net::App::new("x").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.stacks.is_empty()
    }

    /// Adds a stack. The order of stacks is kept where dependencies allow.
    ///
    /// ```
    /// vpcform_net::topology! { stack Network {} }
    /// let mut app = vpcform_net::App::new("x");
    /// app.add_stack(vpcform_net::Stack::<Network>::new("Network"));
    /// ```
    pub fn add_stack<S: StackMarker>(&mut self, stack: Stack<S>) {
        self.stacks.push(stack.def);
    }

    /// Adds a stack deployed as a StackSet (see [`StackSet`](crate::deployment::StackSet)): synthesized
    /// and checked as any stack, and rolled out by CloudFormation to its targets.
    ///
    /// See [`StackSet`](crate::deployment::StackSet) for an example.
    pub fn add_stack_set<S: StackMarker>(&mut self, stack_set: crate::StackSet<S>) {
        self.stack_sets.push((self.stacks.len(), stack_set.set));
        self.stacks.push(stack_set.def);
    }

    /// Declares a flow for the traffic analysis (see [`Flow`]).
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
    /// let routes = stack.add("Routes", RouteTable::builder().vpc(&vpc).subnets([&sub]).build());
    /// stack.add("S3", GatewayEndpoint::builder().vpc(&vpc).service(services::S3).route_tables([&routes]).build());
    /// let pods = stack.add("Pods", Workload::builder().subnets([&sub]).build());
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// app.flow(Flow::new(&pods, services::S3, Port::tcp(443)));
    /// let report = app.synth()?.traffic().clone();
    /// assert_eq!(report.flows[0].path, vpcform_net::traffic::PathKind::GatewayEndpoint);
    /// # Ok::<(), vpcform_net::findings::SynthErrors>(())
    /// ```
    pub fn flow(&mut self, flow: Flow) {
        self.flows.push(flow);
    }

    /// Makes every declared flow that is public or unreachable a synthesis error naming the
    /// flow and the missing piece.
    ///
    /// ```
    /// let mut app = vpcform_net::App::new("x");
    /// app.require_private_traffic();
    /// ```
    pub fn require_private_traffic(&mut self) {
        self.require_private_traffic = true;
    }

    /// Uses these unit prices for the cost estimate. Default: the bundled us-east-1 list prices
    /// ([`Prices::us_east_1`]).
    ///
    /// ```
    /// let mut app = vpcform_net::App::new("x");
    /// app.prices(vpcform_net::cost::Prices::us_east_1()?);
    /// # Ok::<(), vpcform_net::findings::PricesError>(())
    /// ```
    pub fn prices(&mut self, prices: Prices) {
        self.prices = Some(prices);
    }

    /// Checks every stack and renders its template; stacks are ordered so that each comes after
    /// the stacks it imports from.
    ///
    /// # Errors
    /// Every problem found, each naming its stack and construct; no partial result.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// use vpcform_net::findings::SynthError;
    /// vpcform_net::topology! { stack Network { vpc Main } }
    /// let mut stack = Stack::<Network>::new("Network");
    /// stack.add("Main", Vpc::<Main>::builder().cidr("10.0.0.0/8").build());
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// let err = app.synth().unwrap_err();
    /// assert!(matches!(err.errors()[0], SynthError::CidrPrefixOutOfRange { .. }));
    /// ```
    pub fn synth(&self) -> Result<Assembly, SynthErrors> {
        let mut findings = Findings::default();
        if !valid_app_name(&self.name) {
            findings.errors.push(SynthError::InvalidAppName {
                name: self.name.clone(),
            });
        }
        let mut names: HashMap<&str, ()> = HashMap::with_capacity(self.stacks.len());
        for stack in &self.stacks {
            if !valid_stack_name(&stack.name) {
                findings.errors.push(SynthError::InvalidStackName {
                    name: stack.name.to_string(),
                });
            }
            if names.insert(&stack.name, ()).is_some() {
                findings.errors.push(SynthError::DuplicateStackName {
                    name: stack.name.to_string(),
                });
            }
            if let Some(region) = &stack.region {
                if !crate::regions::is_region_code(region) {
                    findings.errors.push(SynthError::InvalidRegion {
                        stack: stack.name.to_string(),
                        region: region.clone(),
                    });
                } else if crate::regions::zone_letters(region).is_none() {
                    findings.warnings.push(SynthWarning::RegionNotInTable {
                        stack: stack.name.to_string(),
                        region: region.clone(),
                    });
                }
            }
            crate::environment::check(&stack.name, &stack.environment(), &mut findings.errors);
            crate::tags::check_stack(stack.tag_data(), &mut findings.errors);
        }
        let model = Model::new(&self.stacks);
        let templates: Vec<Option<Template>> = self
            .stacks
            .iter()
            .map(|stack| crate::synth::stack(stack, &model, &mut findings))
            .collect();
        let depends = check_imports(&model, &mut findings.errors);
        let mut stack_sets: Vec<Option<crate::StackSetSpec>> =
            (0..self.stacks.len()).map(|_| None).collect();
        for (index, set) in &self.stack_sets {
            stack_sets[*index] = Some(crate::stack_set::check(
                &self.stacks[*index],
                set,
                &model,
                &mut findings.errors,
            ));
        }
        crate::privatelink::check_links(&model, &mut findings);
        let traffic = crate::traffic::analyze(
            &model,
            &self.flows,
            self.require_private_traffic,
            &mut findings,
        );
        let Findings {
            mut errors,
            mut warnings,
            ..
        } = findings;
        let before = warnings.len();
        warnings.retain(|w| !self.allows(w));
        let allowed = before - warnings.len();
        if errors.is_empty() {
            // Only after every other check: an error above may have left an import dangling.
            let order = order_stacks(&self.stacks, &depends, &mut errors);
            if errors.is_empty() {
                let prices = match &self.prices {
                    Some(prices) => prices.clone(),
                    None => {
                        Prices::us_east_1().map_err(|e| SynthErrors(vec![SynthError::Prices(e)]))?
                    }
                };
                let cost = crate::cost::estimate(&model, &traffic, &prices);
                let diagram = crate::diagram::picture(&model, &traffic);
                let flows = !traffic.outcomes.is_empty();
                let mut templates: Vec<Option<Template>> = templates;
                let stacks = order
                    .into_iter()
                    .filter_map(|i| {
                        let template = templates[i].take()?;
                        Some(self.synthesized(i, template, &depends[i], stack_sets[i].take()))
                    })
                    .collect();
                return Ok(Assembly {
                    app: self.name.clone(),
                    stacks,
                    warnings,
                    allowed,
                    traffic: traffic.report,
                    cost,
                    diagram,
                    flows,
                    dot: OnceLock::new(),
                    mermaid: OnceLock::new(),
                });
            }
        }
        Err(SynthErrors(errors))
    }

    /// Whether a stack of the app allows this warning (`Stack::allow`, `Stack::allow_for`).
    fn allows(&self, warning: &SynthWarning) -> bool {
        let (code, construct) = (warning.code(), warning.construct());
        self.stacks.iter().any(|s| s.allows(code, construct))
    }

    /// The finding with where the program added its construct (`Stack::add` and the other
    /// entry points record it), or created its stack; unchanged when it names neither.
    ///
    /// ```
    /// use vpcform_net::prelude::*;
    /// use vpcform_net::findings::Finding;
    /// vpcform_net::topology! { stack Solo { vpc Main } }
    /// let mut stack = Stack::<Solo>::new("Solo");
    /// let line = line!() + 1;
    /// stack.add("Main", Vpc::<Main>::builder().cidr("10.0.0.0/8").build());
    /// let mut app = App::new("demo");
    /// app.add_stack(stack);
    /// let errors = app.synth().unwrap_err();
    /// let finding = app.locate(Finding::from(&errors.errors()[0]));
    /// assert_eq!(finding.location.map(|l| l.line), Some(line));
    /// ```
    pub fn locate(&self, mut finding: Finding) -> Finding {
        let Some(construct) = finding.construct.as_deref() else {
            return finding;
        };
        let (stack, id) = construct.split_once('/').unwrap_or((construct, ""));
        if let Some(def) = self.stacks.iter().find(|s| &*s.name == stack) {
            let at = if id.is_empty() {
                def.created
            } else {
                def.location_of(id)
            };
            finding.location = Some(at.into());
        }
        finding
    }

    fn synthesized(
        &self,
        i: usize,
        template: Template,
        depends: &[usize],
        stack_set: Option<crate::StackSetSpec>,
    ) -> SynthesizedStack {
        let def = &self.stacks[i];
        let mut tags = vec![("vpcform:app".to_string(), self.name.clone())];
        tags.extend(def.tags.iter().cloned());
        let capabilities = capabilities(def, &template);
        let parameter_imports: Vec<ParameterImport> = def
            .parameter_imports(&self.stacks)
            .into_iter()
            .map(|(_, import, _)| import)
            .collect();
        let mut imports: Vec<String> = template.imports().iter().map(|i| i.to_string()).collect();
        imports.dedup();
        SynthesizedStack {
            name: def.name.to_string(),
            template,
            depends_on: depends
                .iter()
                .map(|&d| self.stacks[d].name.to_string())
                .collect(),
            imports,
            parameter_imports,
            environment: Environment {
                // A stack set's own region is its administrator's (see `StackSetDef`).
                region: def.region.clone().or_else(|| {
                    self.stack_sets
                        .iter()
                        .find(|(index, _)| *index == i)
                        .and_then(|(_, set)| set.admin_region.clone())
                }),
                ..def.environment()
            },
            stack_set,
            tags,
            termination_protection: def.termination_protection,
            capabilities,
        }
    }
}

/// The program's capabilities, plus `CAPABILITY_IAM` when the template creates IAM resources
/// (a flow log's delivery role): CreateChangeSet refuses such a template without it
/// (InsufficientCapabilities). vpcform's roles are unnamed, so `CAPABILITY_NAMED_IAM` is not
/// needed; a raw resource with a name still needs the program to say so.
fn capabilities(def: &StackDef, template: &Template) -> Vec<String> {
    let mut capabilities = def.capabilities.clone();
    let iam = template
        .resources()
        .values()
        .any(|r| r.resource_type().starts_with("AWS::IAM::"));
    let acknowledged = capabilities
        .iter()
        .any(|c| c == "CAPABILITY_IAM" || c == "CAPABILITY_NAMED_IAM");
    if iam && !acknowledged {
        capabilities.push("CAPABILITY_IAM".to_string());
    }
    capabilities
}

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
                .is_some_and(valid_stack_name)
        })
        .collect()
}

/// CloudFormation stack names: a letter, then letters, digits and hyphens; at most 128
/// (CloudFormation CreateStack, StackName).
fn valid_stack_name(name: &str) -> bool {
    name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The app's name names the diagram files (`<app>.dot`): a plain file name, no path.
fn valid_app_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Each stack's imports, resolved to the exporting stacks (by position): an import from a
/// stack not in the app or from the stack itself is an error. (Across accounts or regions an
/// import is a parameter: see `environment.rs`.)
fn check_imports(model: &Model<'_>, errors: &mut Vec<SynthError>) -> Vec<Vec<usize>> {
    let positions: HashMap<StackKey, usize> = model
        .stacks
        .iter()
        .enumerate()
        .map(|(i, s)| (s.key, i))
        .collect();
    let mut depends = Vec::with_capacity(model.stacks.len());
    for stack in model.stacks {
        let mut deps: Vec<usize> = Vec::new();
        for import in &stack.imports {
            let Some(&from) = positions.get(&import.from) else {
                errors.push(SynthError::UnknownExport {
                    stack: stack.name.to_string(),
                    export: import.export_name.clone(),
                    from: import.from_name.clone(),
                });
                continue;
            };
            let exporter = &model.stacks[from];
            let mut invalid = |why: String| {
                errors.push(SynthError::InvalidImport {
                    stack: stack.name.to_string(),
                    export: import.export_name.clone(),
                    from: exporter.name.to_string(),
                    why,
                })
            };
            if exporter.key == stack.key {
                invalid(
                    "itself: a stack cannot import its own export; use the value directly".into(),
                );
                continue;
            }
            if !deps.contains(&from) {
                deps.push(from);
            }
        }
        depends.push(deps);
    }
    depends
}

/// Orders the stacks so that each follows those it imports from, keeping the app's order
/// otherwise; a cycle is an error naming the stacks around it.
fn order_stacks(
    stacks: &[StackDef],
    depends: &[Vec<usize>],
    errors: &mut Vec<SynthError>,
) -> Vec<usize> {
    let mut placed = vec![false; stacks.len()];
    let mut order: Vec<usize> = Vec::with_capacity(stacks.len());
    while order.len() < stacks.len() {
        let next = (0..stacks.len()).find(|&i| !placed[i] && depends[i].iter().all(|&d| placed[d]));
        match next {
            Some(i) => {
                placed[i] = true;
                order.push(i);
            }
            None => {
                errors.push(SynthError::StackCycle {
                    cycle: find_cycle(stacks, depends, &placed),
                });
                break;
            }
        }
    }
    order
}

/// A cycle among the unplaced stacks, as names, first stack repeated at the end: follow
/// unplaced dependencies from any unplaced stack until one repeats.
fn find_cycle(stacks: &[StackDef], depends: &[Vec<usize>], placed: &[bool]) -> Vec<String> {
    let Some(mut at) = (0..stacks.len()).find(|&i| !placed[i]) else {
        return Vec::new();
    };
    let mut path: Vec<usize> = Vec::new();
    loop {
        if let Some(start) = path.iter().position(|&p| p == at) {
            let mut cycle: Vec<String> = path[start..]
                .iter()
                .map(|&i| stacks[i].name.to_string())
                .collect();
            cycle.push(stacks[at].name.to_string());
            return cycle;
        }
        path.push(at);
        // Every unplaced stack has an unplaced dependency, or it would have been placed.
        match depends[at].iter().find(|&&d| !placed[d]) {
            Some(&d) => at = d,
            None => return path.iter().map(|&i| stacks[i].name.to_string()).collect(),
        }
    }
}

/// The synthesized app: one template per stack, in deployment order.
#[derive(Debug)]
pub struct Assembly {
    app: String,
    stacks: Vec<SynthesizedStack>,
    warnings: Vec<SynthWarning>,
    /// How many warnings `Stack::allow` and `Stack::allow_for` left out.
    allowed: usize,
    traffic: TrafficReport,
    cost: CostReport,
    /// The diagram's content; drawn in DOT or Mermaid on first use, so a program that never
    /// asks for a diagram never pays for one.
    diagram: crate::diagram::Picture,
    /// Whether flows were declared (the DOT legend explains their colours).
    flows: bool,
    dot: OnceLock<String>,
    mermaid: OnceLock<String>,
}

/// One stack's template and the stacks it must be deployed after.
#[derive(Debug)]
pub struct SynthesizedStack {
    name: String,
    template: Template,
    depends_on: Vec<String>,
    imports: Vec<String>,
    parameter_imports: Vec<ParameterImport>,
    environment: Environment,
    stack_set: Option<crate::StackSetSpec>,
    tags: Vec<(String, String)>,
    termination_protection: Option<bool>,
    capabilities: Vec<String>,
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

    /// The region the program pinned the stack to, if any.
    ///
    /// See [`Assembly`] for an example.
    pub fn region(&self) -> Option<&str> {
        self.environment.region.as_deref()
    }

    /// The stack set settings, for a stack added with
    /// [`App::add_stack_set`]; `None` for a plain stack.
    ///
    /// See [`StackSet`](crate::deployment::StackSet) for an example.
    pub fn stack_set(&self) -> Option<&crate::StackSetSpec> {
        self.stack_set.as_ref()
    }

    /// Where the stack is deployed and with which credentials (see [`Environment`]).
    ///
    /// See [`Environment`] for an example.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The imports from stacks of other accounts or regions, made parameters of this stack
    /// for the deployer to fill (see [`ParameterImport`]).
    ///
    /// See [`ParameterImport`] for an example.
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
        format!("{}.template.json", self.name)
    }
}

/// `manifest.json`: what a deployer needs to know without running the program.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The manifest format's version.
    pub version: u32,
    /// The app's name.
    pub app: String,
    /// The stacks in deployment order.
    pub stacks: Vec<ManifestStack>,
}

/// A stack's entry in [`Manifest`].
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestStack {
    /// The stack name.
    pub name: String,
    /// The template file, relative to the manifest.
    pub template: String,
    /// The stacks to deploy before this one.
    pub depends_on: Vec<String>,
    /// The export names this stack defines.
    pub exports: Vec<String>,
    /// The export names this stack imports (`Fn::ImportValue`).
    pub imports: Vec<String>,
    /// Values from stacks of other accounts or regions: parameters the deployer fills.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameter_imports: Vec<ParameterImport>,
    /// Account, region, profile and role; each missing part is the deploying credentials'.
    #[serde(flatten)]
    pub environment: Environment,
    /// For a stack set: its targets, regions, preferences, permissions and parameter values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack_set: Option<crate::StackSetSpec>,
    /// Stack tags.
    pub tags: IndexMap<String, String>,
    /// Termination protection to set at deploy, if chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub termination_protection: Option<bool>,
    /// Capabilities acknowledged at deploy.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<String>,
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
    /// See [`App::flow`] for an example.
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

    /// The manifest describing the assembly.
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
            version: 1,
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
                    tags: s.tags.iter().cloned().collect(),
                    termination_protection: s.termination_protection,
                    capabilities: s.capabilities.clone(),
                })
                .collect(),
        }
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
        let stale = previous_templates(&dir.join("manifest.json"));
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
        files.push((
            "manifest.json".into(),
            Cow::Owned(pretty("manifest.json", &self.manifest())?),
        ));
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
