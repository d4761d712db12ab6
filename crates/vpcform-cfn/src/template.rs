//! Templates, resources, parameters and outputs.

use indexmap::IndexMap;
use serde::Serialize;

use crate::{Pseudo, Scope, TemplateError, Value};

/// The template format version every template declares.
pub const FORMAT_VERSION: &str = "2010-09-09";

/// A CloudFormation template.
///
/// Resources, parameters and outputs keep the order they were added in, so a template reads in the
/// order its program was written and the same program always gives the same bytes.
///
/// ```
/// use vpcform_cfn::{Resource, Template, Value};
///
/// let mut template = Template::new("One VPC");
/// template.add_resource(
///     "Vpc",
///     Resource::new("AWS::EC2::VPC").property("CidrBlock", "10.0.0.0/16"),
/// )?;
/// template.add_output("VpcId", vpcform_cfn::Output::new(Value::reference("Vpc")))?;
/// template.check()?;
/// let json = template.to_json_pretty()?;
/// assert!(json.contains(r#""Type": "AWS::EC2::VPC""#));
/// # Ok::<(), vpcform_cfn::TemplateError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Template {
    #[serde(rename = "AWSTemplateFormatVersion")]
    format_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    parameters: IndexMap<String, Parameter>,
    resources: IndexMap<String, Resource>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    outputs: IndexMap<String, Output>,
}

impl Template {
    /// An empty template with a description.
    ///
    /// ```
    /// let t = vpcform_cfn::Template::new("Provider VPC");
    /// assert_eq!(t.description(), Some("Provider VPC"));
    /// ```
    pub fn new(description: impl Into<String>) -> Template {
        Template {
            format_version: FORMAT_VERSION,
            description: Some(description.into()),
            ..Template::default()
        }
    }

    /// The description, if any.
    ///
    /// ```
    /// assert_eq!(vpcform_cfn::Template::new("d").description(), Some("d"));
    /// ```
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Adds a resource under a logical ID.
    ///
    /// # Errors
    /// [`TemplateError::InvalidLogicalId`] when the ID is not 1–255 ASCII letters and digits;
    /// [`TemplateError::DuplicateLogicalId`] when a resource, parameter or output has it already.
    ///
    /// ```
    /// use vpcform_cfn::{Resource, Template, TemplateError};
    /// let mut t = Template::new("t");
    /// t.add_resource("A", Resource::new("AWS::EC2::VPC"))?;
    /// assert!(matches!(
    ///     t.add_resource("A", Resource::new("AWS::EC2::VPC")),
    ///     Err(TemplateError::DuplicateLogicalId { .. })
    /// ));
    /// assert!(matches!(
    ///     t.add_resource("my-vpc", Resource::new("AWS::EC2::VPC")),
    ///     Err(TemplateError::InvalidLogicalId { .. })
    /// ));
    /// # Ok::<(), TemplateError>(())
    /// ```
    pub fn add_resource(
        &mut self,
        logical_id: impl Into<String>,
        resource: Resource,
    ) -> Result<(), TemplateError> {
        let logical_id = self.new_logical_id(logical_id.into())?;
        self.resources.insert(logical_id, resource);
        Ok(())
    }

    /// Adds a parameter.
    ///
    /// # Errors
    /// As [`Template::add_resource`].
    ///
    /// ```
    /// use vpcform_cfn::{Parameter, Template};
    /// let mut t = Template::new("t");
    /// t.add_parameter("Cidr", Parameter::string().default_value("10.0.0.0/16"))?;
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn add_parameter(
        &mut self,
        name: impl Into<String>,
        parameter: Parameter,
    ) -> Result<(), TemplateError> {
        let name = self.new_logical_id(name.into())?;
        self.parameters.insert(name, parameter);
        Ok(())
    }

    /// Calls `visit` on every value of the template's resource properties and outputs (see
    /// [`Value::walk_mut`]): to rewrite a value wherever it is used.
    ///
    /// ```
    /// use vpcform_cfn::{Output, Template, Value};
    /// let mut t = Template::new("t");
    /// t.add_output("Service", Output::new(Value::import_value("P-Name")))?;
    /// t.rewrite_values(&mut |v| {
    ///     if matches!(v, Value::ImportValue(_)) {
    ///         *v = Value::from("literal");
    ///     }
    /// });
    /// assert!(t.imports().is_empty());
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn rewrite_values(&mut self, visit: &mut dyn FnMut(&mut Value)) {
        for resource in self.resources.values_mut() {
            for value in resource.properties.values_mut() {
                value.walk_mut(visit);
            }
        }
        for output in self.outputs.values_mut() {
            output.value.walk_mut(visit);
        }
    }

    /// Adds an output.
    ///
    /// # Errors
    /// As [`Template::add_resource`].
    ///
    /// ```
    /// use vpcform_cfn::{Output, Template, Value};
    /// let mut t = Template::new("t");
    /// t.add_output("Region", Output::new(Value::sub("${AWS::Region}")))?;
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn add_output(
        &mut self,
        name: impl Into<String>,
        output: Output,
    ) -> Result<(), TemplateError> {
        let name = name.into();
        validate_logical_id(&name)?;
        // Outputs have their own namespace in CloudFormation.
        if self.outputs.contains_key(&name) {
            return Err(TemplateError::DuplicateLogicalId { logical_id: name });
        }
        self.outputs.insert(name, output);
        Ok(())
    }

    fn new_logical_id(&self, logical_id: String) -> Result<String, TemplateError> {
        validate_logical_id(&logical_id)?;
        if self.resources.contains_key(&logical_id) || self.parameters.contains_key(&logical_id) {
            return Err(TemplateError::DuplicateLogicalId { logical_id });
        }
        Ok(logical_id)
    }

    /// The resources by logical ID, in the order added.
    ///
    /// ```
    /// let t = vpcform_cfn::Template::new("t");
    /// assert!(t.resources().is_empty());
    /// ```
    pub fn resources(&self) -> &IndexMap<String, Resource> {
        &self.resources
    }

    /// The parameters by name, in the order added.
    ///
    /// ```
    /// assert!(vpcform_cfn::Template::new("t").parameters().is_empty());
    /// ```
    pub fn parameters(&self) -> &IndexMap<String, Parameter> {
        &self.parameters
    }

    /// The outputs by name, in the order added.
    ///
    /// ```
    /// assert!(vpcform_cfn::Template::new("t").outputs().is_empty());
    /// ```
    pub fn outputs(&self) -> &IndexMap<String, Output> {
        &self.outputs
    }

    /// The export names this template's values import with `Fn::ImportValue`, each once.
    ///
    /// ```
    /// use vpcform_cfn::{Resource, Template, Value};
    /// let mut t = Template::new("t");
    /// t.add_resource(
    ///     "Endpoint",
    ///     Resource::new("AWS::EC2::VPCEndpoint")
    ///         .property("ServiceName", Value::import_value("Provider-ServiceName")),
    /// )?;
    /// assert_eq!(t.imports(), vec!["Provider-ServiceName"]);
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn imports(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for value in self.values() {
            for name in value.imports() {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// The export names of this template's outputs.
    ///
    /// ```
    /// use vpcform_cfn::{Output, Template, Value};
    /// let mut t = Template::new("t");
    /// t.add_output("Name", Output::new(Value::from("x")).export("App-Name"))?;
    /// assert_eq!(t.exports(), vec!["App-Name"]);
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn exports(&self) -> Vec<&str> {
        self.outputs
            .values()
            .filter_map(|o| o.export.as_ref().and_then(|e| e.name.as_str()))
            .collect()
    }

    /// Every value in the template: resource properties, conditions' inputs, outputs.
    fn values(&self) -> impl Iterator<Item = &Value> {
        self.resources
            .values()
            .flat_map(|r| r.properties.values())
            .chain(self.outputs.values().map(|o| &o.value))
            .chain(
                self.outputs
                    .values()
                    .filter_map(|o| o.export.as_ref().map(|e| &e.name)),
            )
    }

    /// Checks what CloudFormation would reject before creating anything: references to logical
    /// IDs that do not exist (through `Ref`, `Fn::GetAtt`, `Fn::Sub` or `DependsOn`), and a
    /// template without resources.
    ///
    /// # Errors
    /// The first problem found, naming the resource or output and the missing target.
    ///
    /// ```
    /// use vpcform_cfn::{Resource, Template, TemplateError, Value};
    /// let mut t = Template::new("t");
    /// t.add_resource(
    ///     "Subnet",
    ///     Resource::new("AWS::EC2::Subnet").property("VpcId", Value::reference("Vpc")),
    /// )?;
    /// assert!(matches!(t.check(), Err(TemplateError::UnresolvedReference { .. })));
    /// # Ok::<(), TemplateError>(())
    /// ```
    pub fn check(&self) -> Result<(), TemplateError> {
        match self.problems().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every problem [`Template::check`] looks for, not just the first.
    ///
    /// ```
    /// use vpcform_cfn::{Resource, Template, Value};
    /// let mut t = Template::new("t");
    /// t.add_resource(
    ///     "Subnet",
    ///     Resource::new("AWS::EC2::Subnet")
    ///         .property("VpcId", Value::reference("Vpc"))
    ///         .property("RouteTableId", Value::reference("Routes")),
    /// )?;
    /// assert_eq!(t.problems().len(), 2);
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn problems(&self) -> Vec<TemplateError> {
        let mut problems = Vec::new();
        if self.resources.is_empty() {
            problems.push(TemplateError::NoResources);
        }
        let exists = |name: &str| {
            self.resources.contains_key(name)
                || self.parameters.contains_key(name)
                || Pseudo::is_pseudo(name)
        };
        for (logical_id, resource) in &self.resources {
            for target in resource
                .properties
                .values()
                .flat_map(Value::references)
                .chain(resource.depends_on.iter().cloned())
            {
                if !exists(&target) {
                    problems.push(TemplateError::UnresolvedReference {
                        from: logical_id.clone(),
                        target,
                    });
                }
            }
        }
        for (name, output) in &self.outputs {
            for target in output.value.references() {
                if !exists(&target) {
                    problems.push(TemplateError::UnresolvedReference {
                        from: format!("output {name}"),
                        target,
                    });
                }
            }
        }
        problems
    }

    /// The values marked as another template's ([`Value::Scoped`] of a scope other than
    /// `own`), wherever they are written: each a reference that resolves here to something
    /// else, or to nothing, since a template can only name its own resources.
    ///
    /// ```
    /// use vpcform_cfn::{Output, Scope, Template, Value};
    /// let mut t = Template::new("t");
    /// t.add_output("Theirs", Output::new(Value::reference("Svc").scoped(Scope::new(2))))?;
    /// t.add_output("Ours", Output::new(Value::reference("Vpc").scoped(Scope::new(1))))?;
    /// let foreign = t.foreign_values(Scope::new(1));
    /// assert_eq!(foreign.len(), 1);
    /// assert_eq!((foreign[0].location.as_str(), foreign[0].scope), ("output Theirs", Scope::new(2)));
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn foreign_values(&self, own: Scope) -> Vec<ForeignValue> {
        let mut out = Vec::new();
        let mut find = |location: &dyn Fn() -> String, value: &Value| {
            value.walk(&mut |v| {
                if let Value::Scoped { scope, value } = v
                    && *scope != own
                {
                    out.push(ForeignValue {
                        location: location(),
                        scope: *scope,
                        value: (**value).clone(),
                    });
                }
            });
        };
        for (logical_id, resource) in &self.resources {
            for (property, value) in &resource.properties {
                find(&|| format!("{logical_id}.{property}"), value);
            }
        }
        for (name, output) in &self.outputs {
            find(&|| format!("output {name}"), &output.value);
        }
        out
    }

    /// A resource, to change after it was added (property overrides).
    ///
    /// ```
    /// use vpcform_cfn::{Resource, Template};
    /// let mut t = Template::new("t");
    /// t.add_resource("Vpc", Resource::new("AWS::EC2::VPC"))?;
    /// t.resource_mut("Vpc").expect("added").override_property("CidrBlock", "10.0.0.0/16".into())?;
    /// assert!(t.resources()["Vpc"].get("CidrBlock").is_some());
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn resource_mut(&mut self, logical_id: &str) -> Option<&mut Resource> {
        self.resources.get_mut(logical_id)
    }

    /// The template as pretty-printed JSON (two-space indent), ending in a newline.
    ///
    /// # Errors
    /// [`TemplateError::Json`] if serialization fails (it does not for templates built here).
    ///
    /// ```
    /// let json = vpcform_cfn::Template::new("d").to_json_pretty()?;
    /// assert!(json.starts_with("{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\""));
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn to_json_pretty(&self) -> Result<String, TemplateError> {
        let mut json = serde_json::to_string_pretty(self)?;
        json.push('\n');
        Ok(json)
    }

    /// The template as compact JSON: what is sent to CloudFormation, where size counts.
    ///
    /// # Errors
    /// As [`Template::to_json_pretty`].
    ///
    /// ```
    /// let json = vpcform_cfn::Template::new("d").to_json_compact()?;
    /// assert!(!json.contains('\n'));
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn to_json_compact(&self) -> Result<String, TemplateError> {
        Ok(serde_json::to_string(self)?)
    }

    /// The length in bytes of [`Template::to_json_compact`], counted without building the
    /// string: CloudFormation's template-size quotas are on this form.
    ///
    /// # Errors
    /// As [`Template::to_json_pretty`].
    ///
    /// ```
    /// let template = vpcform_cfn::Template::new("d");
    /// assert_eq!(template.compact_json_len()?, template.to_json_compact()?.len());
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn compact_json_len(&self) -> Result<usize, TemplateError> {
        /// Counts what serde_json writes and keeps none of it.
        struct Count(usize);
        impl std::io::Write for Count {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0 += buf.len();
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut count = Count(0);
        serde_json::to_writer(&mut count, self)?;
        Ok(count.0)
    }
}

/// A value of another template found in this one (see [`Template::foreign_values`]).
///
/// ```
/// use vpcform_cfn::{ForeignValue, Scope, Value};
/// let found = ForeignValue {
///     location: "Endpoint.ServiceName".into(),
///     scope: Scope::new(2),
///     value: Value::reference("Svc"),
/// };
/// assert_eq!(found.value.references(), ["Svc"]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ForeignValue {
    /// Where it is written: `<LogicalId>.<Property>`, or `output <Name>`.
    pub location: String,
    /// The template it belongs to.
    pub scope: Scope,
    /// The value, without its mark.
    pub value: Value,
}

/// CloudFormation logical IDs: alphanumeric (A–Z, a–z, 0–9), at most 255 characters.
///
/// ```
/// assert!(vpcform_cfn::validate_logical_id("PrivateSubnet1").is_ok());
/// assert!(vpcform_cfn::validate_logical_id("private_subnet").is_err());
/// ```
///
/// # Errors
/// [`TemplateError::InvalidLogicalId`] naming the ID and what is wrong with it.
pub fn validate_logical_id(logical_id: &str) -> Result<(), TemplateError> {
    let reason = if logical_id.is_empty() {
        "it is empty"
    } else if logical_id.len() > crate::quotas::MAX_LOGICAL_ID_CHARS {
        "it is longer than 255 characters"
    } else if !logical_id.chars().all(|c| c.is_ascii_alphanumeric()) {
        "CloudFormation allows only the letters A-Z, a-z and the digits 0-9"
    } else {
        return Ok(());
    };
    Err(TemplateError::InvalidLogicalId {
        logical_id: logical_id.to_string(),
        reason,
    })
}

/// A resource: its type, properties and resource attributes.
///
/// ```
/// use vpcform_cfn::{DeletionPolicy, Resource, Value};
/// let r = Resource::new("AWS::EC2::Subnet")
///     .property("VpcId", Value::reference("Vpc"))
///     .depends_on("Vpc")
///     .deletion_policy(DeletionPolicy::Retain);
/// assert_eq!(r.resource_type(), "AWS::EC2::Subnet");
/// assert_eq!(r.get("VpcId"), Some(&Value::reference("Vpc")));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Resource {
    #[serde(rename = "Type")]
    resource_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deletion_policy: Option<DeletionPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    update_replace_policy: Option<DeletionPolicy>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    properties: IndexMap<String, Value>,
}

impl Resource {
    /// A resource of a type such as `AWS::EC2::VPC`, without properties.
    ///
    /// ```
    /// let r = vpcform_cfn::Resource::new("AWS::EC2::VPC");
    /// assert!(r.properties().is_empty());
    /// ```
    pub fn new(resource_type: impl Into<String>) -> Resource {
        Resource {
            resource_type: resource_type.into(),
            condition: None,
            depends_on: Vec::new(),
            deletion_policy: None,
            update_replace_policy: None,
            properties: IndexMap::new(),
        }
    }

    /// Sets a property.
    ///
    /// ```
    /// let r = vpcform_cfn::Resource::new("AWS::EC2::VPC").property("EnableDnsSupport", true);
    /// assert_eq!(r.get("EnableDnsSupport"), Some(&true.into()));
    /// ```
    pub fn property(mut self, name: impl Into<String>, value: impl Into<Value>) -> Resource {
        self.properties.insert(name.into(), value.into());
        self
    }

    /// Sets a property at a dotted path (`DnsOptions.DnsRecordIpType`), creating the maps on
    /// the way: CDK's `addPropertyOverride`, for properties a builder does not model.
    ///
    /// # Errors
    /// [`TemplateError::InvalidOverride`] for an empty path or segment, or a path that runs
    /// through a value that is not a map.
    ///
    /// ```
    /// use vpcform_cfn::{Resource, Value};
    /// let mut r = Resource::new("AWS::EC2::VPCEndpoint");
    /// r.override_property("DnsOptions.DnsRecordIpType", Value::from("ipv4"))?;
    /// assert!(matches!(r.get("DnsOptions"), Some(Value::Map(_))));
    /// assert!(r.override_property("DnsOptions.DnsRecordIpType.X", Value::from(1i64)).is_err());
    /// # Ok::<(), vpcform_cfn::TemplateError>(())
    /// ```
    pub fn override_property(&mut self, path: &str, value: Value) -> Result<(), TemplateError> {
        let invalid = |reason: &'static str| TemplateError::InvalidOverride {
            path: path.to_string(),
            reason,
        };
        let segments: Vec<&str> = path.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(invalid("empty path segment"));
        }
        let (last, parents) = segments.split_last().ok_or(invalid("empty path"))?;
        let mut map = &mut self.properties;
        for segment in parents {
            let entry = map
                .entry((*segment).to_string())
                .or_insert_with(|| Value::Map(IndexMap::new()));
            map = match entry {
                Value::Map(inner) => inner,
                _ => return Err(invalid("the path runs through a value that is not a map")),
            };
        }
        map.insert((*last).to_string(), value);
        Ok(())
    }

    /// Sets a property when `value` is `Some`.
    ///
    /// ```
    /// let r = vpcform_cfn::Resource::new("AWS::EC2::VPC").property_opt("Ipv4IpamPoolId", None::<&str>);
    /// assert!(r.get("Ipv4IpamPoolId").is_none());
    /// ```
    pub fn property_opt(
        self,
        name: impl Into<String>,
        value: Option<impl Into<Value>>,
    ) -> Resource {
        match value {
            Some(value) => self.property(name, value),
            None => self,
        }
    }

    /// Adds a `DependsOn` entry (once).
    ///
    /// ```
    /// let r = vpcform_cfn::Resource::new("AWS::EC2::Route").depends_on("Attach").depends_on("Attach");
    /// assert_eq!(r.dependencies(), ["Attach"]);
    /// ```
    pub fn depends_on(mut self, logical_id: impl Into<String>) -> Resource {
        let logical_id = logical_id.into();
        if !self.depends_on.contains(&logical_id) {
            self.depends_on.push(logical_id);
        }
        self
    }

    /// Sets the `DeletionPolicy`.
    ///
    /// ```
    /// use vpcform_cfn::{DeletionPolicy, Resource};
    /// let r = Resource::new("AWS::EC2::VPC").deletion_policy(DeletionPolicy::Retain);
    /// ```
    pub fn deletion_policy(mut self, policy: DeletionPolicy) -> Resource {
        self.deletion_policy = Some(policy);
        self
    }

    /// Sets the `UpdateReplacePolicy`.
    ///
    /// ```
    /// use vpcform_cfn::{DeletionPolicy, Resource};
    /// let r = Resource::new("AWS::EC2::VPC").update_replace_policy(DeletionPolicy::Retain);
    /// ```
    pub fn update_replace_policy(mut self, policy: DeletionPolicy) -> Resource {
        self.update_replace_policy = Some(policy);
        self
    }

    /// Sets the `Condition` the resource is created under.
    ///
    /// ```
    /// let r = vpcform_cfn::Resource::new("AWS::EC2::VPC").condition("IsProd");
    /// ```
    pub fn condition(mut self, condition: impl Into<String>) -> Resource {
        self.condition = Some(condition.into());
        self
    }

    /// The resource type, e.g. `AWS::EC2::VPCEndpoint`.
    ///
    /// ```
    /// assert_eq!(vpcform_cfn::Resource::new("AWS::EC2::VPC").resource_type(), "AWS::EC2::VPC");
    /// ```
    pub fn resource_type(&self) -> &str {
        &self.resource_type
    }

    /// A property's value.
    ///
    /// ```
    /// let r = vpcform_cfn::Resource::new("AWS::EC2::VPC");
    /// assert!(r.get("CidrBlock").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.properties.get(name)
    }

    /// The properties, in the order set.
    ///
    /// ```
    /// assert!(vpcform_cfn::Resource::new("AWS::EC2::VPC").properties().is_empty());
    /// ```
    pub fn properties(&self) -> &IndexMap<String, Value> {
        &self.properties
    }

    /// The `DependsOn` logical IDs.
    ///
    /// ```
    /// assert!(vpcform_cfn::Resource::new("AWS::EC2::VPC").dependencies().is_empty());
    /// ```
    pub fn dependencies(&self) -> &[String] {
        &self.depends_on
    }
}

/// What CloudFormation does with a resource's physical resource when it is deleted or replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DeletionPolicy {
    /// Delete it (the default for most types).
    Delete,
    /// Keep it, outside the stack.
    Retain,
    /// Keep it unless the stack is rolling back its creation.
    RetainExceptOnCreate,
    /// Take a snapshot, then delete it (types that support snapshots only).
    Snapshot,
}

/// A template parameter.
///
/// ```
/// let p = vpcform_cfn::Parameter::string()
///     .description("The consumer's account")
///     .allowed_pattern("^[0-9]{12}$");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Parameter {
    #[serde(rename = "Type")]
    parameter_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_pattern: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    allowed_values: Vec<Value>,
}

impl Parameter {
    /// A parameter of any CloudFormation parameter type, e.g. `AWS::EC2::VPC::Id`.
    ///
    /// ```
    /// let p = vpcform_cfn::Parameter::new("AWS::EC2::VPC::Id");
    /// ```
    pub fn new(parameter_type: impl Into<String>) -> Parameter {
        Parameter {
            parameter_type: parameter_type.into(),
            description: None,
            default: None,
            allowed_pattern: None,
            allowed_values: Vec::new(),
        }
    }

    /// The parameter's type, e.g. `String` or `AWS::EC2::VPC::Id`.
    ///
    /// ```
    /// assert_eq!(vpcform_cfn::Parameter::string().parameter_type(), "String");
    /// ```
    pub fn parameter_type(&self) -> &str {
        &self.parameter_type
    }

    /// A `String` parameter.
    ///
    /// ```
    /// let p = vpcform_cfn::Parameter::string();
    /// ```
    pub fn string() -> Parameter {
        Parameter::new("String")
    }

    /// Sets the description.
    ///
    /// ```
    /// let p = vpcform_cfn::Parameter::string().description("why");
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Parameter {
        self.description = Some(description.into());
        self
    }

    /// Sets the default value.
    ///
    /// ```
    /// let p = vpcform_cfn::Parameter::string().default_value("x");
    /// ```
    pub fn default_value(mut self, value: impl Into<Value>) -> Parameter {
        self.default = Some(value.into());
        self
    }

    /// The default value, if any.
    ///
    /// ```
    /// let p = vpcform_cfn::Parameter::string().default_value("x");
    /// assert_eq!(p.default(), Some(&vpcform_cfn::Value::from("x")));
    /// assert_eq!(vpcform_cfn::Parameter::string().default(), None);
    /// ```
    pub fn default(&self) -> Option<&Value> {
        self.default.as_ref()
    }

    /// Sets the pattern a value must match.
    ///
    /// ```
    /// let p = vpcform_cfn::Parameter::string().allowed_pattern("^a$");
    /// ```
    pub fn allowed_pattern(mut self, pattern: impl Into<String>) -> Parameter {
        self.allowed_pattern = Some(pattern.into());
        self
    }

    /// Sets the values allowed.
    ///
    /// ```
    /// let p = vpcform_cfn::Parameter::string().allowed_values(["a", "b"]);
    /// ```
    pub fn allowed_values<V: Into<Value>>(
        mut self,
        values: impl IntoIterator<Item = V>,
    ) -> Parameter {
        self.allowed_values = values.into_iter().map(Into::into).collect();
        self
    }
}

/// A stack output, optionally exported for `Fn::ImportValue` in other stacks.
///
/// ```
/// use vpcform_cfn::{Output, Value};
/// let o = Output::new(Value::reference("Vpc"))
///     .description("VPC A")
///     .export(Value::sub("${AWS::StackName}-VpcId"));
/// assert!(o.export_name().is_some());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Output {
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    value: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    export: Option<Export>,
}

/// An output's export.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Export {
    name: Value,
}

impl Output {
    /// An output of a value.
    ///
    /// ```
    /// let o = vpcform_cfn::Output::new("literal");
    /// ```
    pub fn new(value: impl Into<Value>) -> Output {
        Output {
            description: None,
            value: value.into(),
            export: None,
        }
    }

    /// Sets the description.
    ///
    /// ```
    /// let o = vpcform_cfn::Output::new("v").description("what it is");
    /// ```
    pub fn description(mut self, description: impl Into<String>) -> Output {
        self.description = Some(description.into());
        self
    }

    /// Exports the output under a name, unique in the account and region.
    ///
    /// ```
    /// let o = vpcform_cfn::Output::new("v").export("App-Value");
    /// ```
    pub fn export(mut self, name: impl Into<Value>) -> Output {
        self.export = Some(Export { name: name.into() });
        self
    }

    /// The output's value.
    ///
    /// ```
    /// assert_eq!(vpcform_cfn::Output::new("v").value().as_str(), Some("v"));
    /// ```
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The export name, if exported.
    ///
    /// ```
    /// assert!(vpcform_cfn::Output::new("v").export_name().is_none());
    /// ```
    pub fn export_name(&self) -> Option<&Value> {
        self.export.as_ref().map(|e| &e.name)
    }
}
