//! What the deployer takes: a stack's name, template and deployment settings.
//!
//! Invariant: nothing here knows of builders; a stack is its entry in the assembly's manifest
//! (`vpcform-assembly`) and its template, JSON text.

use std::collections::BTreeMap;

use vpcform_assembly::{AssemblyError, CloudAssembly, Manifest, ManifestStack, ManifestStep};

use crate::{DeployError, Environment, ParameterImport, StackSetSpec, StepAction};

/// CloudFormation's limit on `TemplateBody`, in bytes (the template model's quota: one number
/// for synthesis and the deployer).
pub use vpcform_cfn::quotas::MAX_TEMPLATE_BODY_BYTES;

/// A synthesized stack, as the deployer needs it: its entry in the assembly's manifest with its
/// template's text (built by [`StackTemplate::from_assembly`]), plus the values given at deploy.
#[derive(Clone, Debug, PartialEq)]
pub struct StackTemplate {
    /// The CloudFormation stack name.
    pub name: String,
    /// The template, as sent (compact JSON).
    pub body: String,
    /// Stacks that must be deployed first (and destroyed after).
    pub depends_on: Vec<String>,
    /// Stack tags, propagated by CloudFormation to the resources that support them.
    pub tags: Vec<(String, String)>,
    /// Termination protection, set after each deploy when `Some`.
    pub termination_protection: Option<bool>,
    /// Capabilities acknowledged, e.g. `CAPABILITY_IAM`; none by default.
    pub capabilities: Vec<String>,
    /// Template parameter values (name, value). A parameter without a default that is not
    /// given keeps its previous value on an update, and stops a creation before it starts.
    /// For a stack set: the set's values for every target ([`StackSetSpec::parameters`],
    /// copied here by [`StackTemplate::from_assembly`]) and those given at deploy.
    pub parameters: Vec<(String, String)>,
    /// Where the stack deploys, and with which credentials.
    pub environment: Environment,
    /// Parameters filled at deploy from another stack's output, each with that stack's
    /// environment, where the output is read: the references that cross accounts or regions.
    pub parameter_imports: Vec<(ParameterImport, Environment)>,
    /// Deployed as a StackSet to these targets, rather than as a stack.
    pub stack_set: Option<StackSetSpec>,
    /// Not a stack but a step the deployer takes itself (an acceptance CloudFormation cannot
    /// make, see [`StepAction`]): its input is its one [`parameter_imports`] entry (named after
    /// the action's input), its `body` is empty. Built by [`StackTemplate::from_step`].
    ///
    /// [`parameter_imports`]: StackTemplate::parameter_imports
    pub step: Option<StepAction>,
    /// The existing resources the program says its resources are, logical ID → physical ID
    /// (the manifest's `importIds`, from `Stack::import_existing`): what
    /// [`Deployer::import`](crate::Deployer::import) imports when not given otherwise.
    pub import_ids: BTreeMap<String, String>,
}

/// Every stack of the assembly in `dir`, in deployment order, with its template read from the
/// directory and made compact (as sent to CloudFormation).
///
/// # Errors
/// An assembly whose lookups are not all answered (`Manifest::missing`: its templates hold
/// placeholders), or a template that cannot be read or is not JSON, naming its file.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("vpcform-deploy-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let mut manifest = vpcform_assembly::Manifest::new("demo");
/// manifest.stacks.push(vpcform_assembly::ManifestStack::new("Net"));
/// manifest.write_to(&dir)?;
/// std::fs::write(dir.join("Net.template.json"), "{\n  \"Resources\": {}\n}\n")?;
/// let stacks = vpcform_deploy::stack_templates(&vpcform_assembly::CloudAssembly::read(&dir)?)?;
/// assert_eq!(stacks[0].body, r#"{"Resources":{}}"#);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn stack_templates(assembly: &CloudAssembly) -> Result<Vec<StackTemplate>, AssemblyError> {
    let manifest = assembly.manifest();
    // Lookups not answered: the templates hold placeholders, never to be deployed.
    if !manifest.missing.is_empty() {
        let keys: Vec<String> = manifest.missing.iter().map(|q| q.key()).collect();
        return Err(AssemblyError::Invalid {
            path: assembly.dir().join(vpcform_assembly::MANIFEST_FILE),
            why: format!(
                "the program's lookups are not all answered ({}), so its templates hold \
                 placeholders: run `vpcform synth` to look them up, then deploy",
                keys.join(", ")
            ),
        });
    }
    manifest
        .stacks
        .iter()
        .map(|stack| {
            let text = assembly.template(stack)?;
            let body = serde_json::from_str::<serde_json::Value>(&text)
                .map_err(|e| AssemblyError::Io {
                    path: assembly.dir().join(&stack.template),
                    source: std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("the template is not JSON: {e}"),
                    ),
                })?
                .to_string();
            Ok(StackTemplate::from_assembly(manifest, stack, body))
        })
        .collect::<Result<Vec<_>, AssemblyError>>()
        .map(|stacks| with_steps(manifest, stacks))
}

/// `stacks` (the manifest's, in its order) with the manifest's steps
/// ([`StackTemplate::from_step`]) placed in dependency order among them: each entry after
/// everything it depends on, otherwise in the given order (stacks first, then steps).
///
/// ```
/// use vpcform_assembly::{Manifest, ManifestStack, ManifestStep, OutputRef, StepAction};
/// let mut manifest = Manifest::new("demo");
/// manifest.stacks.push(ManifestStack::new("East"));
/// let mut routes = ManifestStack::new("WestRoutes");
/// routes.depends_on.push("AcceptPeering".into());
/// manifest.stacks.push(routes);
/// manifest.steps.push(ManifestStep::new(
///     "AcceptPeering",
///     StepAction::AcceptTransitGatewayPeeringAttachment {
///         attachment: OutputRef::new("East", "PeeringAttachmentId"),
///     },
/// ));
/// let stacks: Vec<_> = manifest
///     .stacks
///     .iter()
///     .map(|s| vpcform_deploy::StackTemplate::from_assembly(&manifest, s, "{}"))
///     .collect();
/// let all = vpcform_deploy::with_steps(&manifest, stacks);
/// let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
/// assert_eq!(names, ["East", "AcceptPeering", "WestRoutes"]);
/// ```
pub fn with_steps(manifest: &Manifest, stacks: Vec<StackTemplate>) -> Vec<StackTemplate> {
    let mut pending: Vec<StackTemplate> = stacks;
    pending.extend(
        manifest
            .steps
            .iter()
            .map(|step| StackTemplate::from_step(manifest, step)),
    );
    let names: Vec<String> = pending.iter().map(|s| s.name.clone()).collect();
    let mut ordered: Vec<StackTemplate> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        // The first entry whose dependencies (among these) are all placed; a cycle, which
        // `CloudAssembly::read` refuses, keeps the given order rather than looping.
        let ready = pending
            .iter()
            .position(|entry| {
                entry
                    .depends_on
                    .iter()
                    .all(|d| !names.contains(d) || ordered.iter().any(|placed| placed.name == *d))
            })
            .unwrap_or(0);
        ordered.push(pending.remove(ready));
    }
    ordered
}

impl StackTemplate {
    /// A stack with a name and a template body, no dependencies, tags or capabilities.
    ///
    /// ```
    /// let stack = vpcform_deploy::StackTemplate::new("Net", r#"{"Resources":{}}"#);
    /// assert!(stack.depends_on.is_empty());
    /// ```
    pub fn new(name: impl Into<String>, body: impl Into<String>) -> StackTemplate {
        StackTemplate {
            name: name.into(),
            body: body.into(),
            depends_on: Vec::new(),
            tags: Vec::new(),
            termination_protection: None,
            capabilities: Vec::new(),
            parameters: Vec::new(),
            environment: Environment::default(),
            parameter_imports: Vec::new(),
            stack_set: None,
            step: None,
            import_ids: BTreeMap::new(),
        }
    }

    /// `step` of `manifest`, as the deployer schedules it beside the stacks: its dependencies,
    /// its environment (the accepter's), and its input as a parameter import read in the
    /// producing stack's environment.
    ///
    /// ```
    /// use vpcform_assembly::{Manifest, ManifestStack, ManifestStep, OutputRef, StepAction};
    /// let mut requester = ManifestStack::new("East");
    /// requester.environment.region = Some("us-east-1".into());
    /// let mut manifest = Manifest::new("demo");
    /// manifest.stacks.push(requester);
    /// let step = ManifestStep::new(
    ///     "AcceptPeering",
    ///     StepAction::AcceptTransitGatewayPeeringAttachment {
    ///         attachment: OutputRef::new("East", "PeeringAttachmentId"),
    ///     },
    /// );
    /// let entry = vpcform_deploy::StackTemplate::from_step(&manifest, &step);
    /// assert_eq!(entry.depends_on, ["East"]);
    /// let (input, producer) = &entry.parameter_imports[0];
    /// assert_eq!((input.stack.as_str(), input.output.as_str()), ("East", "PeeringAttachmentId"));
    /// assert_eq!(producer.region.as_deref(), Some("us-east-1"));
    /// ```
    pub fn from_step(manifest: &Manifest, step: &ManifestStep) -> StackTemplate {
        let [input] = step.action.inputs();
        let import = ParameterImport {
            parameter: crate::step::input_name(&step.action).to_string(),
            stack: input.stack.clone(),
            output: input.output.clone(),
        };
        let producer = manifest.producer_environment(&import).cloned();
        StackTemplate {
            depends_on: step.depends_on.clone(),
            environment: step.environment.clone(),
            parameter_imports: vec![(import, producer.unwrap_or_default())],
            step: Some(step.action.clone()),
            ..StackTemplate::new(step.name.clone(), "")
        }
    }

    /// `stack` of `manifest` with its template `body`: each parameter import with its
    /// producer's environment (the manifest's entry for it; the ambient one if the manifest
    /// has no such stack, which [`CloudAssembly::read`] refuses), a stack set's values as
    /// [`parameters`](StackTemplate::parameters).
    ///
    /// ```
    /// use vpcform_assembly::{Manifest, ManifestStack, ParameterImport};
    /// let mut provider = ManifestStack::new("Provider");
    /// provider.environment.account = Some("111122223333".into());
    /// let mut consumer = ManifestStack::new("Consumer");
    /// consumer.parameter_imports.push(ParameterImport {
    ///     parameter: "ImportProviderServiceName".into(),
    ///     stack: "Provider".into(),
    ///     output: "ServiceName".into(),
    /// });
    /// let mut manifest = Manifest::new("demo");
    /// manifest.stacks = vec![provider, consumer];
    /// let stack = vpcform_deploy::StackTemplate::from_assembly(&manifest, &manifest.stacks[1], "{}");
    /// let (import, producer) = &stack.parameter_imports[0];
    /// assert_eq!(import.output, "ServiceName");
    /// assert_eq!(producer.account.as_deref(), Some("111122223333"));
    /// assert!(stack.import_ids.is_empty());
    /// ```
    pub fn from_assembly(
        manifest: &Manifest,
        stack: &ManifestStack,
        body: impl Into<String>,
    ) -> StackTemplate {
        StackTemplate {
            name: stack.name.clone(),
            body: body.into(),
            depends_on: stack.depends_on.clone(),
            tags: stack.tags.clone(),
            termination_protection: stack.termination_protection,
            capabilities: stack.capabilities.clone(),
            parameters: stack
                .stack_set
                .as_ref()
                .map(|set| set.parameters.clone())
                .unwrap_or_default(),
            environment: stack.environment.clone(),
            parameter_imports: stack
                .parameter_imports
                .iter()
                .map(|import| {
                    let producer = manifest.producer_environment(import);
                    (import.clone(), producer.cloned().unwrap_or_default())
                })
                .collect(),
            stack_set: stack.stack_set.clone(),
            step: None,
            import_ids: stack.import_ids.clone(),
        }
    }

    /// The `Parameters` of a change set for this stack: the values given, the previous value
    /// on an update for a parameter without a default, the template's default otherwise.
    ///
    /// # Errors
    /// [`DeployError::UnknownParameter`] for a value the template has no parameter for;
    /// [`DeployError::MissingParameter`] when a new stack's parameter has neither a value nor
    /// a default.
    ///
    /// ```
    /// let mut stack = vpcform_deploy::StackTemplate::new(
    ///     "Net",
    ///     r#"{"Parameters":{"Vpc":{"Type":"AWS::EC2::VPC::Id"}},"Resources":{}}"#,
    /// );
    /// assert!(stack.change_set_parameters(true).is_err());
    /// stack.parameters.push(("Vpc".into(), "vpc-0a1b2c3d".into()));
    /// assert_eq!(stack.change_set_parameters(true)?.len(), 1);
    /// # Ok::<(), vpcform_deploy::DeployError>(())
    /// ```
    pub fn change_set_parameters(
        &self,
        creating: bool,
    ) -> Result<Vec<aws_sdk_cloudformation::types::Parameter>, DeployError> {
        use aws_sdk_cloudformation::types::Parameter;
        let template: serde_json::Value = serde_json::from_str(&self.body).unwrap_or_default();
        let declared = template
            .get("Parameters")
            .and_then(serde_json::Value::as_object);
        for (key, _) in &self.parameters {
            if !declared.is_some_and(|d| d.contains_key(key)) {
                let mut names: Vec<&str> = declared
                    .map(|d| d.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                names.sort_unstable();
                return Err(DeployError::UnknownParameter {
                    stack: self.name.clone(),
                    parameter: key.clone(),
                    declared: names.join(", "),
                });
            }
        }
        let mut out = Vec::new();
        for (key, definition) in declared.into_iter().flatten() {
            if let Some((_, value)) = self.parameters.iter().find(|(k, _)| k == key) {
                out.push(
                    Parameter::builder()
                        .parameter_key(key)
                        .parameter_value(value)
                        .build(),
                );
            } else if definition.get("Default").is_none() {
                if creating {
                    return Err(DeployError::MissingParameter {
                        stack: self.name.clone(),
                        parameter: key.clone(),
                    });
                }
                out.push(
                    Parameter::builder()
                        .parameter_key(key)
                        .use_previous_value(true)
                        .build(),
                );
            }
        }
        Ok(out)
    }
}
