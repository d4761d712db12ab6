//! What the deployer takes: a stack's name, template and deployment settings.
//!
//! Invariant: nothing here knows of builders; a template is JSON text.

use crate::{DeployError, Environment};

/// CloudFormation's limit on `TemplateBody`, in bytes (the template model's quota: one number
/// for synthesis and the deployer).
pub use vpcform_cfn::quotas::MAX_TEMPLATE_BODY_BYTES;

/// A synthesized stack, as the deployer needs it.
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
    pub parameters: Vec<(String, String)>,
    /// Where the stack deploys, and with which credentials.
    pub environment: Environment,
    /// Parameters filled at deploy from another stack's output, read in that stack's
    /// environment: the references that cross accounts or regions.
    pub parameter_imports: Vec<ParameterImport>,
    /// Deployed as a StackSet to these targets, rather than as a stack; its `parameters` are
    /// the set's values for every target.
    pub stack_set: Option<crate::StackSetSpec>,
}

/// A parameter whose value is another stack's output, read with that stack's credentials
/// (`Fn::ImportValue` cannot cross accounts or regions).
///
/// ```
/// let import = vpcform_deploy::ParameterImport {
///     parameter: "ImportProviderServiceName".into(),
///     stack: "Provider".into(),
///     output: "ServiceName".into(),
///     environment: vpcform_deploy::Environment::default(),
/// };
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterImport {
    /// The importing stack's parameter.
    pub parameter: String,
    /// The stack whose output fills it.
    pub stack: String,
    /// That output's key.
    pub output: String,
    /// That stack's environment.
    pub environment: Environment,
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
