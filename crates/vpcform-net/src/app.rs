//! The app: its stacks, checked and synthesized together into an [`Assembly`] of templates
//! (`assembly.rs`).

use std::collections::HashMap;
use std::sync::OnceLock;

use vpcform_assembly::{Environment, ParameterImport};
use vpcform_cfn::Template;

use crate::assembly::{Assembly, SynthesizedStack};
use crate::cost::Prices;
use crate::identity::StackKey;
use crate::model::Model;
use crate::stack::{Findings, StackDef};
use crate::traffic::Flow;
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
    /// Quotas raised for every stack (`App::quotas`).
    quotas: crate::quotas::Quotas,
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
            quotas: crate::quotas::Quotas::default(),
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

    /// Declares the quotas AWS raised for the app's accounts and regions; a stack's own
    /// ([`Stack::quotas`](crate::Stack::quotas)) override them quota by quota. Default: AWS's
    /// defaults, listed in [`quotas::QUOTAS`](crate::quotas::QUOTAS). Synthesis counts the
    /// constructs against the quotas in force: a security group with more rules, a route
    /// table with more routes, … is an error naming the construct, the count and the quota.
    ///
    /// ```
    /// use vpcform_net::quotas::Quotas;
    /// let mut app = vpcform_net::App::new("landing-zone");
    /// app.quotas(Quotas::default().rules_per_security_group(120).routes_per_route_table(100));
    /// ```
    pub fn quotas(&mut self, quotas: crate::quotas::Quotas) {
        self.quotas = quotas;
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
    /// A program whose lookups the context does not all answer gets an assembly that lists
    /// them ([`Assembly::missing`]) and reports nothing else: its templates hold placeholders
    /// (a stack whose template could not be made over them is left out), it is not to be
    /// deployed, and the toolkit looks the queries up and runs the program again.
    ///
    /// # Errors
    /// Every problem found, each naming its stack and construct; no partial result. A lookup
    /// that failed (its stack's account or region not pinned, answered "not found", a context
    /// file that cannot be read) is reported alone, as the checks would run over placeholders.
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
        // Lookups first: a failed one leaves placeholders, over which every other check would
        // be false; a missing one makes an assembly that only asks for it (no findings).
        let (lookup_errors, missing) = crate::constructs::lookup::gather(&self.stacks);
        if !lookup_errors.is_empty() {
            return Err(SynthErrors(lookup_errors));
        }
        let placeholders = !missing.is_empty();
        let mut findings = Findings::default();
        self.check_names_and_environments(&mut findings);
        let model = Model::new(&self.stacks);
        let templates: Vec<Option<Template>> = self
            .stacks
            .iter()
            .map(|stack| crate::synth::stack(stack, &model, &mut findings))
            .collect();
        crate::quota_check::check(&model, &self.quotas, &mut findings);
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
        if placeholders {
            errors.clear();
            warnings.clear();
        }
        let before = warnings.len();
        warnings.retain(|w| !self.allows(w));
        let allowed = before - warnings.len();
        if errors.is_empty() {
            // The acceptances between stacks: a stack waiting for one is deployed after the
            // stack that asks, so the manifest's order and the deployer's agree.
            let mut steps = crate::steps::plan(&model);
            let mut depends = depends;
            crate::steps::order_after_producers(&steps, &mut depends);
            // Only after every other check: an error above may have left an import dangling.
            let order = order_stacks(&self.stacks, &depends, &mut errors);
            let mut templates: Vec<Option<Template>> = templates;
            if let Err((i, source)) = crate::steps::add_outputs(&mut steps, &mut templates) {
                errors.push(SynthError::Template {
                    stack: self.stacks[i].name.to_string(),
                    source,
                });
            }
            if placeholders {
                errors.clear();
            }
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
                let mut stacks: Vec<SynthesizedStack> = order
                    .into_iter()
                    .filter_map(|i| {
                        let template = templates[i].take()?;
                        Some(self.synthesized(i, template, &depends[i], stack_sets[i].take()))
                    })
                    .collect();
                crate::steps::name_in_dependents(&steps, &self.stacks, &mut stacks);
                return Ok(Assembly {
                    app: self.name.clone(),
                    stacks,
                    steps: steps.into_iter().map(|planned| planned.step).collect(),
                    missing,
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

    /// The app's and its stacks' names, the stacks' regions, environments and tags.
    fn check_names_and_environments(&self, findings: &mut Findings) {
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
    }

    /// Whether a stack of the app allows this warning (`Stack::allow`, `Stack::allow_for`).
    fn allows(&self, warning: &SynthWarning) -> bool {
        let (code, construct) = (warning.code(), warning.construct());
        self.stacks.iter().any(|s| s.allows(code, construct))
    }

    /// The finding with where the program added its construct (`Stack::add` and the other
    /// entry points record it), or the output, import or override it is about, or created its
    /// stack; unchanged when it names neither.
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
            let at = match (&finding.site, id) {
                (Some(site), _) => def.location_of(site),
                (None, "") => def.created,
                (None, id) => def.location_of(id),
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
        let mut parameter_imports: Vec<ParameterImport> = def
            .parameter_imports(&self.stacks)
            .into_iter()
            .map(|(_, import, _)| import)
            .collect();
        parameter_imports.extend(def.accepted.iter().map(|accepted| ParameterImport {
            parameter: accepted.parameter.clone(),
            stack: accepted.step.clone(),
            output: "AccepterTransitGatewayAttachmentId".to_string(),
        }));
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
            import_ids: def
                .import_ids
                .iter()
                .map(|(target, id)| (target.id.to_string(), id.clone()))
                .collect(),
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

/// CloudFormation stack names: a letter, then letters, digits and hyphens; at most 128
/// (CloudFormation CreateStack, StackName).
pub(crate) fn valid_stack_name(name: &str) -> bool {
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
