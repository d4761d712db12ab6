//! `manifest.json`: the app, its stacks in deployment order, and per stack what a deployer needs
//! without running the program.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{ContextQuery, ManifestStep, StackSetSpec};

/// `manifest.json`: what a deployer needs to know without running the program.
///
/// ```
/// let mut manifest = vpcform_assembly::Manifest::new("demo");
/// manifest.stacks.push(vpcform_assembly::ManifestStack::new("Network"));
/// assert_eq!(manifest.version, vpcform_assembly::SCHEMA_VERSION);
/// assert_eq!(manifest.stacks[0].template, "Network.template.json");
/// assert!(manifest.to_json()?.starts_with("{\n  \"version\": 3,"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The schema's version ([`SCHEMA_VERSION`](crate::SCHEMA_VERSION) when written by this
    /// crate); a reader refuses any other.
    pub version: u32,
    /// The app's name.
    pub app: String,
    /// The stacks in deployment order: each after those it depends on.
    pub stacks: Vec<ManifestStack>,
    /// The acceptances the deployer runs between stacks ([`ManifestStep`]); a stack's
    /// `dependsOn` may name one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<ManifestStep>,
    /// The program's lookups the context did not answer ([`ContextQuery`]): the toolkit
    /// resolves them, writes the context file and runs the program again. An assembly with
    /// any is not deployable (its templates hold placeholders): the toolkit refuses it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<ContextQuery>,
}

impl Manifest {
    /// An app's manifest of this schema version, without stacks.
    ///
    /// See [`Manifest`] for an example.
    pub fn new(app: impl Into<String>) -> Manifest {
        Manifest {
            version: crate::SCHEMA_VERSION,
            app: app.into(),
            stacks: Vec::new(),
            steps: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// A stack by name.
    ///
    /// ```
    /// let mut manifest = vpcform_assembly::Manifest::new("demo");
    /// manifest.stacks.push(vpcform_assembly::ManifestStack::new("Network"));
    /// assert!(manifest.stack("Network").is_some() && manifest.stack("Other").is_none());
    /// ```
    pub fn stack(&self, name: &str) -> Option<&ManifestStack> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// The environment of the stack whose output fills `import`: where the deployer reads it
    /// (`None` when the manifest has no such stack, which [`CloudAssembly::read`](crate::CloudAssembly::read)
    /// refuses).
    ///
    /// ```
    /// use vpcform_assembly::{Environment, Manifest, ManifestStack, ParameterImport};
    /// let mut provider = ManifestStack::new("Provider");
    /// provider.environment.account = Some("111122223333".into());
    /// let mut manifest = Manifest::new("demo");
    /// manifest.stacks.push(provider);
    /// let import = ParameterImport {
    ///     parameter: "ImportProviderServiceName".into(),
    ///     stack: "Provider".into(),
    ///     output: "ServiceName".into(),
    /// };
    /// let env = manifest.producer_environment(&import).unwrap();
    /// assert_eq!(env.account.as_deref(), Some("111122223333"));
    /// ```
    pub fn producer_environment(&self, import: &ParameterImport) -> Option<&Environment> {
        self.stack(&import.stack)
            .map(|s| &s.environment)
            .or_else(|| self.step(&import.stack).map(|s| &s.environment))
    }

    /// A step by name.
    ///
    /// ```
    /// use vpcform_assembly::{Manifest, ManifestStep, OutputRef, StepAction};
    /// let mut manifest = Manifest::new("demo");
    /// manifest.steps.push(ManifestStep::new(
    ///     "AcceptPeering",
    ///     StepAction::AcceptTransitGatewayPeeringAttachment {
    ///         attachment: OutputRef::new("East", "PeeringId"),
    ///     },
    /// ));
    /// assert!(manifest.step("AcceptPeering").is_some() && manifest.stack("AcceptPeering").is_none());
    /// ```
    pub fn step(&self, name: &str) -> Option<&ManifestStep> {
        self.steps.iter().find(|s| s.name == name)
    }

    /// The manifest as written: pretty JSON, ending in a newline.
    ///
    /// # Errors
    /// serde_json's, which a manifest of these types does not produce.
    ///
    /// See [`Manifest`] for an example.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut json = serde_json::to_string_pretty(self)?;
        json.push('\n');
        Ok(json)
    }
}

/// A stack's entry in [`Manifest`].
///
/// ```
/// let stack = vpcform_assembly::ManifestStack::new("Network");
/// assert!(stack.depends_on.is_empty() && stack.stack_set.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestStack {
    /// The CloudFormation stack name.
    pub name: String,
    /// The template file, a file name in the assembly's directory.
    pub template: String,
    /// The stacks (and steps) to deploy before this one (and destroy after it).
    pub depends_on: Vec<String>,
    /// The export names this stack defines.
    pub exports: Vec<String>,
    /// The export names this stack imports (`Fn::ImportValue`).
    pub imports: Vec<String>,
    /// Values from stacks of other accounts or regions: parameters the deployer fills.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameter_imports: Vec<ParameterImport>,
    /// Account, region, profile and role; each missing part is the deploying credentials'.
    #[serde(flatten)]
    pub environment: Environment,
    /// For a stack set: its targets, regions, preferences, permissions and parameter values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_set: Option<StackSetSpec>,
    /// Stack tags `(key, value)`, in order; written as a JSON object.
    #[serde(with = "tags")]
    pub tags: Vec<(String, String)>,
    /// Termination protection to set at deploy, if chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_protection: Option<bool>,
    /// Capabilities acknowledged at deploy, e.g. `CAPABILITY_IAM`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<String>,
    /// The existing resources the program says its resources are (`Stack::import_existing`):
    /// logical ID → physical ID, what `vpcform import STACK` imports when no `--resource`
    /// names the logical ID. Absent from older manifests: none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub import_ids: BTreeMap<String, String>,
}

impl ManifestStack {
    /// A stack named `name` with its template in `<name>.template.json`, and nothing else.
    ///
    /// See [`ManifestStack`] for an example.
    pub fn new(name: impl Into<String>) -> ManifestStack {
        let name = name.into();
        ManifestStack {
            template: crate::template_file(&name),
            name,
            depends_on: Vec::new(),
            exports: Vec::new(),
            imports: Vec::new(),
            parameter_imports: Vec::new(),
            environment: Environment::default(),
            stack_set: None,
            tags: Vec::new(),
            termination_protection: None,
            capabilities: Vec::new(),
            import_ids: BTreeMap::new(),
        }
    }
}

/// A stack's environment: where it is deployed and with which credentials. Each part left
/// `None` is the deploying credentials' (`AWS_PROFILE`, `AWS_REGION`, the credential chain).
///
/// ```
/// let env = vpcform_assembly::Environment {
///     account: Some("111122223333".into()),
///     region: Some("eu-west-1".into()),
///     ..Default::default()
/// };
/// assert_eq!(env.to_string(), "account 111122223333, eu-west-1");
/// assert_eq!(vpcform_assembly::Environment::default().to_string(), "the ambient account and region");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Environment {
    /// The account the stack must be deployed to (checked against STS GetCallerIdentity
    /// before any change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// A named profile of `~/.aws/config`: its credentials, and its region unless pinned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// An IAM role assumed (STS AssumeRole) to deploy it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// `account 111122223333, eu-west-1, profile …, role …`, or `the ambient account and region`.
impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(account) = &self.account {
            parts.push(format!("account {account}"));
        }
        if let Some(region) = &self.region {
            parts.push(region.clone());
        }
        if let Some(profile) = &self.profile {
            parts.push(format!("profile {profile}"));
        }
        if let Some(role) = &self.role_arn {
            parts.push(format!("role {role}"));
        }
        if parts.is_empty() {
            f.write_str("the ambient account and region")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

/// A parameter whose value is another stack's output, read with that stack's credentials
/// (`Fn::ImportValue` cannot cross accounts or regions). The producer's environment is its
/// entry's in the manifest ([`Manifest::producer_environment`]).
///
/// ```
/// let import = vpcform_assembly::ParameterImport {
///     parameter: "ImportProviderServiceName".into(),
///     stack: "Provider".into(),
///     output: "ServiceName".into(),
/// };
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterImport {
    /// The importing stack's parameter.
    pub parameter: String,
    /// The stack whose output fills it, or a step whose output does
    /// ([`StepAction::outputs`](crate::StepAction::outputs)).
    pub stack: String,
    /// That output's key.
    pub output: String,
}

/// Tags as a JSON object (`{"key": "value"}`), in the order given.
mod tags {
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        tags: &[(String, String)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(tags.len()))?;
        for (key, value) in tags {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<(String, String)>, D::Error> {
        struct Tags;
        impl<'de> Visitor<'de> for Tags {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of tag keys and string values")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut tags = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    tags.push(entry);
                }
                Ok(tags)
            }
        }
        deserializer.deserialize_map(Tags)
    }
}
