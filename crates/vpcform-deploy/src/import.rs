//! Import: resources that already exist adopted into a stack through an `IMPORT` change set, as
//! CDK's `cdk import` — with a deploy's review, approval, events, final states and interrupts —
//! then drift detection on each imported resource.
//!
//! IMPORT's rules are checked before any change is made (CloudFormation User Guide, "Bringing
//! existing resources into CloudFormation management": overview, validation, considerations):
//! each resource to import has a `DeletionPolicy`; the operation changes nothing else ("Import
//! operations don't allow new resource creations, resource deletions, or changes to property
//! configurations"), so the template sent is the deployed one plus the imported resources, a
//! deployed resource the program changes is refused and the program's other new resources are
//! left out (listed: deploy them after the import); a type missing from GetTemplateSummary's
//! `ResourceIdentifierSummaries` cannot be imported; each resource is named by its identifier
//! properties, as that summary gives them (not a table of ours).
//!
//! Invariant: a refusal sends nothing that changes anything (only DescribeStacks, GetTemplate
//! and GetTemplateSummary are called before it); the change set this run made and did not
//! execute is deleted, as a deploy's.
//!
//! AWS sources (CloudFormation API Reference): CreateChangeSet (`ChangeSetType` IMPORT — "To
//! create a change set for an import operation, specify IMPORT"; a new stack name makes a stack
//! in REVIEW_IN_PROGRESS, as for CREATE; `ResourcesToImport`: `ResourceToImport` with
//! `ResourceType`, `LogicalResourceId`, `ResourceIdentifier`, a map of identifier property to
//! value), GetTemplateSummary (`ResourceIdentifierSummaries`: `ResourceType`,
//! `LogicalResourceIds`, `ResourceIdentifiers` — "the resource properties you can provide during
//! the import to identify your target resources"), DetectStackResourceDrift (`StackName`,
//! `LogicalResourceId`; answers a `StackResourceDrift` at once), and the stack status
//! IMPORT_COMPLETE (User Guide, "Resource import status codes"). After an import, "we recommend
//! running drift detection on imported resources" (User Guide, considerations):
//! CloudFormation "does not check that the template configuration matches the actual
//! configuration of resource properties".

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use aws_sdk_cloudformation::types::{
    Capability, ChangeSetType, Parameter, ResourceToImport, StackStatus, Tag,
};
use serde_json::{Map, Value, json};

use crate::calls::{STACK, aws};
use crate::change_set::{DESCRIPTION, before_execution, change_set_name, request_token};
use crate::drift::resource_drift;
use crate::status::is_busy;
use crate::{
    DeployError, Deployer, Environment, MAX_TEMPLATE_BODY_BYTES, MAX_TEMPLATE_URL_BYTES, Operation,
    ResourceDrift, StackOutcome, StackTemplate,
};

/// A resource adopted by an import: what CloudFormation was told to look for.
///
/// ```
/// let vpc = vpcform_deploy::ImportedResource {
///     logical_id: "Vpc".into(),
///     resource_type: "AWS::EC2::VPC".into(),
///     identifier: vec![("VpcId".into(), "vpc-0123".into())],
/// };
/// assert_eq!(vpc.to_string(), "Vpc AWS::EC2::VPC (VpcId=vpc-0123)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedResource {
    /// The logical ID in the program's template.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// Each identifier property (GetTemplateSummary's `ResourceIdentifiers`) with its value.
    pub identifier: Vec<(String, String)>,
}

impl fmt::Display for ImportedResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let identifier: Vec<String> = self
            .identifier
            .iter()
            .map(|(property, value)| format!("{property}={value}"))
            .collect();
        write!(
            f,
            "{} {} ({})",
            self.logical_id,
            self.resource_type,
            identifier.join(", ")
        )
    }
}

/// What an import did: the stack's outcome, the resources adopted, those left for a deploy,
/// and each imported resource's drift from the program.
///
/// ```
/// use vpcform_deploy::{ImportReport, StackOutcome};
/// let report = ImportReport {
///     stack: "Net".into(),
///     outcome: StackOutcome::ChangeSetCreated { change_set: "vpcform-1".into() },
///     imported: vec![],
///     left_out: vec![("Route".into(), "AWS::EC2::Route".into())],
///     drift: vec![],
/// };
/// assert!(!report.drifted());
/// assert!(report.to_string().contains("Route AWS::EC2::Route"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ImportReport {
    /// The stack.
    pub stack: String,
    /// [`StackOutcome::Deployed`] once imported; [`StackOutcome::ChangeSetCreated`] with
    /// `--no-execute` (the import change set left for review).
    pub outcome: StackOutcome,
    /// The resources imported (or to be, with `--no-execute`).
    pub imported: Vec<ImportedResource>,
    /// The program's resources neither deployed nor imported, `(logical ID, type)`: left out
    /// of the import (it creates nothing); the next deploy creates them.
    pub left_out: Vec<(String, String)>,
    /// Each imported resource's drift detection after the import (`IN_SYNC`, `MODIFIED` with
    /// each property that differs from the program, `NOT_CHECKED`); empty when not executed.
    pub drift: Vec<ResourceDrift>,
}

impl ImportReport {
    /// Whether an imported resource differs from the program (`MODIFIED` or `DELETED`).
    ///
    /// ```
    /// use vpcform_deploy::{ImportReport, ResourceDrift, StackOutcome};
    /// let mut report = ImportReport { stack: "Net".into(), outcome: StackOutcome::NoChanges,
    ///     imported: vec![], left_out: vec![], drift: vec![] };
    /// report.drift.push(ResourceDrift { logical_id: "Sg".into(), physical_id: None,
    ///     resource_type: "AWS::EC2::SecurityGroup".into(), status: "MODIFIED".into(),
    ///     reason: None, differences: vec![] });
    /// assert!(report.drifted());
    /// ```
    pub fn drifted(&self) -> bool {
        self.drift
            .iter()
            .any(|r| matches!(r.status.as_str(), "MODIFIED" | "DELETED"))
    }

    /// The report as JSON (`--format json`): `stack`, `outcome`, `imported` (`logical_id`,
    /// `resource_type`, `identifier`), `left_out`, and `drift` as `drift --format json` gives
    /// a resource's.
    ///
    /// ```
    /// use vpcform_deploy::{ImportReport, StackOutcome};
    /// let report = ImportReport { stack: "Net".into(), outcome: StackOutcome::NoChanges,
    ///     imported: vec![], left_out: vec![], drift: vec![] };
    /// assert_eq!(report.to_json()["stack"], "Net");
    /// ```
    pub fn to_json(&self) -> Value {
        json!({
            "stack": self.stack,
            "outcome": self.outcome.to_string(),
            "imported": self.imported.iter().map(|r| json!({
                "logical_id": r.logical_id,
                "resource_type": r.resource_type,
                "identifier": r.identifier.iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect::<Map<String, Value>>(),
            })).collect::<Vec<_>>(),
            "left_out": self.left_out.iter().map(|(id, kind)| json!({
                "logical_id": id,
                "resource_type": kind,
            })).collect::<Vec<_>>(),
            "drift": self.drift.iter().map(|r| json!({
                "logical_id": r.logical_id,
                "physical_id": r.physical_id,
                "resource_type": r.resource_type,
                "status": r.status,
                "reason": r.reason,
                "differences": r.differences.iter().map(|d| json!({
                    "path": d.path,
                    "expected": d.expected,
                    "actual": d.actual,
                    "type": d.difference,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

impl fmt::Display for ImportReport {
    /// What `import` prints: the outcome, each imported resource with its drift, what is left
    /// for a deploy.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            StackOutcome::Deployed { duration, .. } => writeln!(
                f,
                "{}: imported {} resource{} in {}",
                self.stack,
                self.imported.len(),
                if self.imported.len() == 1 { "" } else { "s" },
                crate::error::human_duration(*duration)
            )?,
            other => writeln!(f, "{}: {other}", self.stack)?,
        }
        for resource in &self.imported {
            let drift = self
                .drift
                .iter()
                .find(|d| d.logical_id == resource.logical_id);
            let said = match drift {
                None => String::new(),
                Some(d) if d.status == "IN_SYNC" => ": matches the program".to_string(),
                Some(d) if d.status == "MODIFIED" => ": differs from the program".to_string(),
                Some(d) if d.status == "DELETED" => ": DELETED since the import".to_string(),
                Some(d) => format!(
                    ": drift {}{}",
                    d.status,
                    d.reason
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                ),
            };
            writeln!(f, "  imported {resource}{said}")?;
            for d in drift.map(|d| d.differences.as_slice()).unwrap_or_default() {
                let value = |v: Option<&str>| v.unwrap_or("(none)").to_string();
                match d.difference.as_str() {
                    "ADD" => writeln!(f, "      + {}: {}", d.path, value(d.actual.as_deref()))?,
                    "REMOVE" => {
                        writeln!(f, "      - {}: {}", d.path, value(d.expected.as_deref()))?
                    }
                    _ => writeln!(
                        f,
                        "      ~ {}: program {} -> actual {}",
                        d.path,
                        value(d.expected.as_deref()),
                        value(d.actual.as_deref())
                    )?,
                }
            }
        }
        if self.drifted() {
            // CloudFormation updates what a template changes: the imported template already
            // holds the program's values, so a plain deploy leaves these as they are.
            writeln!(
                f,
                "  the program's values are not applied by a plain deploy (its template does \
                 not change them): deploy {} --revert-drift sets them, or change the program \
                 to the actual values",
                self.stack
            )?;
        }
        if !self.left_out.is_empty() {
            let names: Vec<String> = self
                .left_out
                .iter()
                .map(|(id, kind)| format!("{id} {kind}"))
                .collect();
            writeln!(
                f,
                "  left out (not deployed, not imported): {}; deploy {} after the import to \
                 create them",
                names.join(", "),
                self.stack
            )?;
        }
        Ok(())
    }
}

/// What the import will send, worked out from the templates alone.
#[derive(Debug, PartialEq)]
pub(crate) struct Plan {
    /// The deployed template plus the imported resources.
    pub(crate) template: Value,
    /// `(logical ID, type, physical ID as given)`, in the program's order.
    pub(crate) imported: Vec<(String, String, String)>,
    /// The program's resources neither deployed nor imported, `(logical ID, type)`.
    pub(crate) left_out: Vec<(String, String)>,
}

fn resources(template: &Value) -> Option<&Map<String, Value>> {
    template.get("Resources").and_then(Value::as_object)
}

fn kind(resource: &Value) -> String {
    resource
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or("an unknown type")
        .to_string()
}

/// The names a resource's definition refers to: `Ref`, `Fn::GetAtt`, `Fn::Sub` variables,
/// `DependsOn`, and conditions (`Condition`, `Fn::If`). Pseudo parameters (`AWS::…`) are not.
fn references(resource: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(object) => {
                for (key, inner) in object {
                    match (key.as_str(), inner) {
                        ("Ref", Value::String(name)) => {
                            out.insert(name.clone());
                        }
                        ("Fn::GetAtt", Value::Array(parts)) => {
                            if let Some(Value::String(name)) = parts.first() {
                                out.insert(name.clone());
                            }
                        }
                        ("Fn::GetAtt", Value::String(dotted)) => {
                            if let Some((name, _)) = dotted.split_once('.') {
                                out.insert(name.to_string());
                            }
                        }
                        ("Fn::Sub", Value::String(text)) => sub_names(text, &[], out),
                        ("Fn::Sub", Value::Array(parts)) => {
                            let bound: Vec<&str> = parts
                                .get(1)
                                .and_then(Value::as_object)
                                .map(|vars| vars.keys().map(String::as_str).collect())
                                .unwrap_or_default();
                            if let Some(Value::String(text)) = parts.first() {
                                sub_names(text, &bound, out);
                            }
                            for part in parts.iter().skip(1) {
                                walk(part, out);
                            }
                        }
                        ("Fn::If", Value::Array(parts)) => {
                            if let Some(Value::String(condition)) = parts.first() {
                                out.insert(condition.clone());
                            }
                            for part in parts.iter().skip(1) {
                                walk(part, out);
                            }
                        }
                        _ => walk(inner, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
            _ => {}
        }
    }
    /// `${Name}` and `${Name.Attribute}` of an `Fn::Sub` string; `${!Literal}` is text.
    fn sub_names(text: &str, bound: &[&str], out: &mut BTreeSet<String>) {
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            rest = &rest[start + 2..];
            let Some(end) = rest.find('}') else { break };
            let inner = &rest[..end];
            let name = inner.split('.').next().unwrap_or_default();
            if !inner.starts_with('!') && !bound.contains(&name) {
                out.insert(name.to_string());
            }
            rest = &rest[end..];
        }
    }
    let mut out = BTreeSet::new();
    if let Some(properties) = resource.get("Properties") {
        walk(properties, &mut out);
    }
    match resource.get("DependsOn") {
        Some(Value::String(name)) => {
            out.insert(name.clone());
        }
        Some(Value::Array(names)) => {
            out.extend(names.iter().filter_map(Value::as_str).map(str::to_string));
        }
        _ => {}
    }
    if let Some(Value::String(condition)) = resource.get("Condition") {
        out.insert(condition.clone());
    }
    out.retain(|name| !name.starts_with("AWS::"));
    out
}

/// The properties of two definitions of one resource that differ (top-level names), and
/// whether anything else (an attribute such as `DependsOn`) does.
fn changed_properties(deployed: &Value, local: &Value) -> Vec<String> {
    let empty = Map::new();
    let properties = |r: &Value| {
        r.get("Properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    let (old, new) = (properties(deployed), properties(local));
    let mut names: BTreeSet<&String> = old.keys().collect();
    names.extend(new.keys());
    let mut changed: Vec<String> = names
        .into_iter()
        .filter(|name| old.get(*name) != new.get(*name))
        .cloned()
        .collect();
    let attributes = |r: &Value| {
        r.as_object()
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| k.as_str() != "Properties")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect::<Map<String, Value>>()
            })
            .unwrap_or_default()
    };
    let (old, new) = (attributes(deployed), attributes(local));
    let mut names: BTreeSet<&String> = old.keys().collect();
    names.extend(new.keys());
    changed.extend(
        names
            .into_iter()
            .filter(|name| old.get(*name) != new.get(*name))
            .cloned(),
    );
    changed
}

/// IMPORT's rules on the logical IDs named: each once, with a value, in the program, not
/// deployed; and at least one.
fn check_named(
    stack: &str,
    named: &[(String, String)],
    program: &Map<String, Value>,
    in_stack: &Map<String, Value>,
    not_deployed: &[(&String, &Value)],
) -> Result<(), DeployError> {
    let refuse = |reason: String| DeployError::ImportRefused {
        stack: stack.to_string(),
        reason,
    };
    let listed = |items: &[(&String, &Value)]| {
        items
            .iter()
            .map(|(id, r)| format!("{id} ({})", kind(r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Each logical ID named: once, with a value, in the program, not deployed.
    for (index, (id, physical)) in named.iter().enumerate() {
        if let Some((_, other)) = named[..index].iter().find(|(first, _)| first == id) {
            return Err(refuse(format!(
                "{id} is named twice (--resource {id}={other} and --resource {id}={physical}); \
                 name it once"
            )));
        }
        if physical.trim().is_empty() {
            return Err(refuse(format!(
                "--resource {id}= gives no physical ID; give the existing resource's, e.g. \
                 --resource {id}=vpc-0123456789abcdef0"
            )));
        }
        if let Some(resource) = in_stack.get(id) {
            return Err(refuse(format!(
                "{id} ({}) is already in the stack, so there is nothing to import for \
                 --resource {id}={physical}; drop it (only resources not deployed can be \
                 imported)",
                kind(resource)
            )));
        }
        if !program.contains_key(id) {
            return Err(refuse(format!(
                "--resource {id}={physical}: the program's template of {stack} has no resource \
                 {id}; {}",
                if not_deployed.is_empty() {
                    "every resource it has is deployed".to_string()
                } else {
                    format!("name one not deployed: {}", listed(not_deployed))
                }
            )));
        }
    }
    if named.is_empty() {
        return Err(refuse(if not_deployed.is_empty() {
            "every resource of the program is deployed: nothing to import".to_string()
        } else {
            format!(
                "no resource named to import, and the resources not deployed need a physical \
                 ID each: {}; pass --resource LOGICAL_ID=PHYSICAL_ID for each existing one to \
                 adopt (e.g. --resource {}=…), or name it in the program \
                 (Stack::import_existing) and synthesize again",
                listed(not_deployed),
                not_deployed
                    .first()
                    .map(|(id, _)| id.as_str())
                    .unwrap_or_default()
            )
        }));
    }
    Ok(())
}

/// IMPORT's rule on references: everything an imported resource names must be in the
/// template sent (deployed, imported with it, or a deployed parameter or condition).
fn check_references(
    stack: &str,
    deployed: Option<&Value>,
    program: &Map<String, Value>,
    in_stack: &Map<String, Value>,
    imported: &[(&String, &Value, &String)],
) -> Result<(), DeployError> {
    let refuse = |reason: String| DeployError::ImportRefused {
        stack: stack.to_string(),
        reason,
    };
    let parameters = deployed
        .and_then(|d| d.get("Parameters"))
        .and_then(Value::as_object);
    let conditions = deployed
        .and_then(|d| d.get("Conditions"))
        .and_then(Value::as_object);
    for (id, resource, _) in imported {
        for name in references(resource) {
            let resolved = in_stack.contains_key(&name)
                || imported.iter().any(|(other, _, _)| **other == name)
                || parameters.is_some_and(|p| p.contains_key(&name))
                || conditions.is_some_and(|c| c.contains_key(&name));
            if resolved {
                continue;
            }
            return Err(refuse(match program.get(&name) {
                Some(target) => format!(
                    "{id} ({}) refers to {name} ({}), which is neither deployed nor imported; \
                     import {name} too (--resource {name}=…), or deploy a program without {id} \
                     first (a deploy would create {id} too), then add {id} back and import it",
                    kind(resource),
                    kind(target)
                ),
                None => format!(
                    "{id} ({}) refers to {name}, a parameter or condition the deployed stack \
                     does not have, and an import adds nothing but the resources; deploy a \
                     program without {id} first so that {stack} has {name} (a deploy would \
                     create {id} too), then add {id} back and import it",
                    kind(resource)
                ),
            }));
        }
    }
    Ok(())
}

/// The resources to import: those named (`--resource`), then the program's own IDs
/// ([`StackTemplate::import_ids`], `Stack::import_existing`) for the logical IDs not named and
/// not yet in the stack — a resource imported once stays in the program without being
/// imported again (as Terraform's `import` block of a managed resource).
fn with_program_ids(
    stack: &StackTemplate,
    named: &[(String, String)],
    deployed: Option<&Value>,
) -> Vec<(String, String)> {
    let in_stack = deployed.and_then(resources);
    let mut all = named.to_vec();
    all.extend(
        stack
            .import_ids
            .iter()
            .filter(|(id, _)| !named.iter().any(|(given, _)| given == *id))
            .filter(|(id, _)| !in_stack.is_some_and(|r| r.contains_key(*id)))
            .map(|(id, physical)| (id.clone(), physical.clone())),
    );
    all
}

/// IMPORT's rules on the templates (nothing called): which resources are imported, which are
/// left out, and the template to send — the deployed one (`None`: a new stack) plus the
/// imported resources as the program defines them.
///
/// # Errors
/// [`DeployError::ImportRefused`] for the first rule broken.
pub(crate) fn plan(
    stack: &str,
    local: &Value,
    deployed: Option<&Value>,
    named: &[(String, String)],
) -> Result<Plan, DeployError> {
    let refuse = |reason: String| DeployError::ImportRefused {
        stack: stack.to_string(),
        reason,
    };
    let empty = Map::new();
    let program = resources(local).unwrap_or(&empty);
    let in_stack = deployed.and_then(resources).unwrap_or(&empty);
    let not_deployed: Vec<(&String, &Value)> = program
        .iter()
        .filter(|(id, _)| !in_stack.contains_key(*id))
        .collect();
    check_named(stack, named, program, in_stack, &not_deployed)?;
    // Nothing else changes: a deployed resource the program defines otherwise stops it.
    for (id, deployed_resource) in in_stack {
        let Some(local_resource) = program.get(id) else {
            continue;
        };
        let changed = changed_properties(deployed_resource, local_resource);
        if !changed.is_empty() {
            return Err(refuse(format!(
                "{id} ({}) is deployed and the program changes it ({}), and an import changes \
                 nothing else (\"Import operations don't allow ... changes to property \
                 configurations\"); import with {id} as deployed and deploy the change after \
                 it, or deploy the change first from a program without the resources to import",
                kind(local_resource),
                changed.join(", ")
            )));
        }
    }
    let imported: Vec<(&String, &Value, &String)> = program
        .iter()
        .filter_map(|(id, r)| {
            named
                .iter()
                .find(|(named_id, _)| named_id == id)
                .map(|(_, physical)| (id, r, physical))
        })
        .collect();
    for (id, resource, _) in &imported {
        if resource.get("DeletionPolicy").is_none() {
            return Err(refuse(format!(
                "{id} ({}) has no DeletionPolicy, and CloudFormation imports only resources \
                 that have one; give it one in the program (Stack::retain(&handle) sets \
                 Retain) and synthesize again",
                kind(resource)
            )));
        }
    }
    check_references(stack, deployed, program, in_stack, &imported)?;
    let mut template = deployed
        .cloned()
        .unwrap_or_else(|| json!({"Resources": {}}));
    if !template.get("Resources").is_some_and(Value::is_object)
        && let Some(object) = template.as_object_mut()
    {
        object.insert("Resources".into(), json!({}));
    }
    if let Some(sent) = template.get_mut("Resources").and_then(Value::as_object_mut) {
        for (id, resource, _) in &imported {
            sent.insert((*id).clone(), (*resource).clone());
        }
    }
    Ok(Plan {
        template,
        imported: imported
            .iter()
            .map(|(id, r, physical)| ((*id).clone(), kind(r), (*physical).clone()))
            .collect(),
        left_out: not_deployed
            .iter()
            .filter(|(id, _)| !named.iter().any(|(named_id, _)| named_id == *id))
            .map(|(id, r)| ((*id).clone(), kind(r)))
            .collect(),
    })
}

/// Each imported resource's identifier, from its type's identifier properties
/// (`identifiers`: GetTemplateSummary's, by type): a single property takes the physical ID
/// given; several are given as `Property=value,Property=value`, a property not given taken
/// from the template when it sets a literal value there.
///
/// # Errors
/// [`DeployError::ImportRefused`]: a type CloudFormation cannot import, an identifier
/// incomplete or contradicting the template.
pub(crate) fn identify(
    stack: &str,
    local: &Value,
    plan: &Plan,
    identifiers: &HashMap<String, Vec<String>>,
) -> Result<Vec<ImportedResource>, DeployError> {
    let refuse = |reason: String| DeployError::ImportRefused {
        stack: stack.to_string(),
        reason,
    };
    let mut out = Vec::new();
    for (id, resource_type, physical) in &plan.imported {
        let Some(properties) = identifiers.get(resource_type).filter(|p| !p.is_empty()) else {
            return Err(refuse(format!(
                "{id} ({resource_type}): CloudFormation cannot import this type (GetTemplateSummary \
                 gives no identifier for it; see the User Guide's \"Resource type support\"); \
                 drop --resource {id}=… and let a deploy create it (after deleting the existing \
                 one, or leaving it outside the stack)"
            )));
        };
        let literal = |property: &str| {
            resources(local)
                .and_then(|r| r.get(id))
                .and_then(|r| r.get("Properties"))
                .and_then(|p| p.get(property))
                .and_then(|v| match v {
                    Value::String(text) => Some(text.clone()),
                    Value::Number(number) => Some(number.to_string()),
                    _ => None,
                })
        };
        // `Property=value,…` when the first key is one of the type's identifier properties.
        let pairs: Option<Vec<(String, String)>> = physical
            .split_once('=')
            .filter(|(key, _)| properties.iter().any(|p| p == key))
            .map(|_| {
                physical
                    .split(',')
                    .map(|pair| {
                        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                        (key.trim().to_string(), value.trim().to_string())
                    })
                    .collect()
            });
        let given: Vec<(String, String)> = match pairs {
            Some(pairs) => {
                if let Some((key, _)) = pairs
                    .iter()
                    .find(|(key, value)| value.is_empty() || !properties.contains(key))
                {
                    return Err(refuse(format!(
                        "--resource {id}={physical}: {key} is not one of {resource_type}'s \
                         identifier properties ({}) with a value; give \
                         --resource {id}={}",
                        properties.join(", "),
                        example(properties)
                    )));
                }
                pairs
            }
            None if properties.len() == 1 => vec![(properties[0].clone(), physical.clone())],
            None => {
                return Err(refuse(format!(
                    "{id} ({resource_type}) is identified by {} together, and --resource \
                     {id}={physical} gives one value; give --resource {id}={}",
                    properties.join(" and "),
                    example(properties)
                )));
            }
        };
        let mut identifier = Vec::new();
        let mut missing = Vec::new();
        for property in properties {
            let value = given
                .iter()
                .find(|(key, _)| key == property)
                .map(|(_, v)| v.clone());
            if let (Some(value), Some(set)) = (&value, literal(property))
                && *value != set
            {
                return Err(refuse(format!(
                    "{id} ({resource_type}): --resource gives {property}={value} but the program \
                     sets {property} to {set:?}; import the resource the program describes, or \
                     change the program"
                )));
            }
            match value.or_else(|| literal(property)) {
                Some(value) => identifier.push((property.clone(), value)),
                None => missing.push(property.as_str()),
            }
        }
        if !missing.is_empty() {
            return Err(refuse(format!(
                "{id} ({resource_type}) is identified by {}, and {} is neither given nor a \
                 literal value in the template; give --resource {id}={}",
                properties.join(" and "),
                missing.join(" and "),
                example(properties)
            )));
        }
        out.push(ImportedResource {
            logical_id: id.clone(),
            resource_type: resource_type.clone(),
            identifier,
        });
    }
    Ok(out)
}

fn example(properties: &[String]) -> String {
    properties
        .iter()
        .map(|p| format!("{p}=…"))
        .collect::<Vec<_>>()
        .join(",")
}

impl Deployer {
    /// Adopts existing resources into the stack `stack` of `stacks` through an `IMPORT` change
    /// set (CDK's `cdk import`): `resources` names each one, `(logical ID, physical ID)` — the
    /// physical ID is the value of the type's identifier property (a VPC's `VpcId`), or
    /// `Property=value,Property=value` for a type identified by several. The program's own IDs
    /// ([`StackTemplate::import_ids`], from `Stack::import_existing`) are imported too, each
    /// unless `resources` names its logical ID (which then overrides it) or the stack already
    /// has it. The stack may exist or not (the import then creates it).
    ///
    /// IMPORT's rules are checked first, and a broken one stops the import with one line
    /// ([`DeployError::ImportRefused`]): each imported resource has a `DeletionPolicy`; the
    /// program changes no deployed resource; every resource named is in the program and not
    /// deployed, of a type CloudFormation can import, and refers only to what is deployed or
    /// imported with it. The program's other new resources are left out ([`ImportReport::left_out`]).
    /// Then, as a deploy: the change set is reviewed, approved (`yes`, `require_approval`),
    /// executed and followed, or left with `no_execute`; an interrupt leaves what a deploy's
    /// leaves. Once imported, each resource's drift from the program is detected
    /// ([`ImportReport::drift`]). `no_rollback` and `revert_drift` do not apply to an import.
    ///
    /// ```no_run
    /// # async fn demo(deployer: vpcform_deploy::Deployer, stacks: Vec<vpcform_deploy::StackTemplate>) -> Result<(), vpcform_deploy::DeployError> {
    /// let report = deployer
    ///     .import(&stacks, "Network", &[("Vpc".into(), "vpc-0123456789abcdef0".into())])
    ///     .await?;
    /// print!("{report}");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`DeployError::UnknownStack`], [`DeployError::ImportRefused`], and what a deploy's
    /// stack may fail with: [`DeployError::Declined`], [`DeployError::ConfirmationRequired`],
    /// [`DeployError::ChangeSetFailed`] (CloudFormation refused the import: a resource that
    /// does not exist or belongs to another stack), [`DeployError::StackFailed`],
    /// interrupts ([`DeployError::is_interrupt`]).
    pub async fn import(
        &self,
        stacks: &[StackTemplate],
        stack: &str,
        resources: &[(String, String)],
    ) -> Result<ImportReport, DeployError> {
        let Some(template) = stacks.iter().find(|s| s.name == stack) else {
            return Err(DeployError::UnknownStack(stack.to_string()));
        };
        let refuse = |reason: &str| DeployError::ImportRefused {
            stack: stack.to_string(),
            reason: reason.to_string(),
        };
        if template.step.is_some() {
            return Err(refuse(
                "it is a step (an acceptance), not a stack: it has no resources to import into",
            ));
        }
        if template.stack_set.is_some() {
            return Err(refuse(
                "it is a stack set, whose instances are stacks of their own: an IMPORT change \
                 set is for a stack; import into a stack set with CloudFormation's \
                 ImportStacksToStackSet",
            ));
        }
        self.prepare_environments(&[template]).await?;
        let mut deployer = self.in_environment(&template.environment)?;
        deployer.options.no_rollback = false;
        deployer.options.revert_drift = false;
        STACK
            .scope(
                stack.to_string(),
                deployer.import_stack(template, resources),
            )
            .await
    }

    /// The stack's state and IMPORT's rules, before anything is changed: the plan, the
    /// deployed template, the resources imported with their identifiers, and the body to send;
    /// what is left out and what is imported said through the UI.
    async fn import_plan(
        &self,
        stack: &StackTemplate,
        named: &[(String, String)],
    ) -> Result<(Plan, Option<Value>, Vec<ImportedResource>, String), DeployError> {
        let name = stack.name.as_str();
        let local: Value =
            serde_json::from_str(&stack.body).map_err(|e| DeployError::TemplateNotJson {
                stack: name.to_string(),
                reason: format!("local template: {e}"),
            })?;
        let info = self
            .stack_info(name)
            .await
            .map_err(|e| before_execution(name, e))?;
        if let Some(info) = &info
            && is_busy(&info.status)
        {
            return Err(DeployError::StackBusy {
                stack: name.to_string(),
                status: info.status.as_str().to_string(),
            });
        }
        // A stack that only holds change sets, or whose creation failed, has no resources.
        let deployed = match &info {
            Some(info)
                if !matches!(
                    info.status,
                    StackStatus::ReviewInProgress | StackStatus::RollbackComplete
                ) =>
            {
                self.deployed_template(name, None)
                    .await
                    .map_err(|e| before_execution(name, e))?
            }
            _ => None,
        };
        let named = with_program_ids(stack, named, deployed.as_ref());
        let plan = plan(name, &local, deployed.as_ref(), &named)?;
        let identifiers = self
            .identifier_properties(name, &plan)
            .await
            .map_err(|e| before_execution(name, e))?;
        let imported = identify(name, &local, &plan, &identifiers)?;
        let body = plan.template.to_string();
        if body.len() > MAX_TEMPLATE_URL_BYTES {
            return Err(DeployError::TemplateTooLarge {
                stack: name.to_string(),
                bytes: body.len(),
            });
        }
        if !plan.left_out.is_empty() {
            let names: Vec<String> = plan
                .left_out
                .iter()
                .map(|(id, kind)| format!("{id} ({kind})"))
                .collect();
            self.ui.line(
                name,
                &format!(
                    "left out of the import (not deployed, no physical ID given): {}; deploy \
                     them after the import",
                    names.join(", ")
                ),
            );
        }
        for resource in &imported {
            self.ui.line(name, &format!("to import: {resource}"));
        }
        Ok((plan, deployed, imported, body))
    }

    async fn import_stack(
        &self,
        stack: &StackTemplate,
        named: &[(String, String)],
    ) -> Result<ImportReport, DeployError> {
        let name = stack.name.as_str();
        if self.environment != Environment::default() {
            self.ui.line(name, &format!("in {}", self.environment));
        }
        let (plan, deployed, imported, body) = self.import_plan(stack, named).await?;
        // The rules hold: from here on, as a deploy.
        let (creating, exists) = self
            .prepare(name)
            .await
            .map_err(|e| before_execution(name, e))?;
        if exists {
            self.delete_stale_change_sets(name)
                .await
                .map_err(|e| before_execution(name, e))?;
        }
        let sent = StackTemplate {
            body,
            ..stack.clone()
        };
        let change_set = change_set_name();
        let stack_id = match self
            .create_import_change_set(&sent, &change_set, creating, deployed.as_ref(), &imported)
            .await
        {
            Ok(id) => id,
            Err(error) => {
                if matches!(error, DeployError::Cancelled { .. }) {
                    self.discard(name, &change_set, creating).await;
                }
                return Err(before_execution(name, error));
            }
        };
        let reviewed = self
            .review(name, &change_set, creating, Some(&plan.template))
            .await;
        let (changes, security) = match reviewed {
            Ok(Some(review)) => review,
            Ok(None) => {
                self.discard(name, &change_set, creating).await;
                return Err(DeployError::ChangeSetFailed {
                    stack: name.to_string(),
                    reason: "the import change set holds no changes".into(),
                });
            }
            Err(error @ DeployError::ChangeSetGone { .. }) => return Err(error),
            Err(error) => {
                self.discard(name, &change_set, creating).await;
                return Err(before_execution(name, error));
            }
        };
        let report = |outcome, drift| ImportReport {
            stack: name.to_string(),
            outcome,
            imported: imported.clone(),
            left_out: plan.left_out.clone(),
            drift,
        };
        if self.options.no_execute {
            self.ui.line(
                name,
                &format!(
                    "import change set {change_set} left for review (--no-execute); execute it \
                     with deploy {name} --change-set {change_set}"
                ),
            );
            return Ok(report(
                StackOutcome::ChangeSetCreated { change_set },
                Vec::new(),
            ));
        }
        if let Err(error) = self.approve(name, &changes, &security).await {
            self.discard(name, &change_set, creating).await;
            return Err(before_execution(name, error));
        }
        let outcome = self
            .execute(
                name,
                &change_set,
                &stack_id,
                creating,
                Operation::Import,
                changes.len() as u64,
                true,
            )
            .await?;
        let drift = self.imported_drift(name, &imported).await;
        Ok(report(outcome, drift))
    }

    /// Each imported type's identifier properties, from GetTemplateSummary of a template of
    /// the imported resources alone (their types are what it reads; their references would
    /// not resolve without the rest).
    async fn identifier_properties(
        &self,
        name: &str,
        plan: &Plan,
    ) -> Result<HashMap<String, Vec<String>>, DeployError> {
        let summary: Map<String, Value> = plan
            .imported
            .iter()
            .map(|(id, kind, _)| {
                (
                    id.clone(),
                    json!({"Type": kind, "DeletionPolicy": "Retain"}),
                )
            })
            .collect();
        let body = json!({ "Resources": summary }).to_string();
        let call = self
            .client
            .get_template_summary()
            .template_body(body)
            .send();
        let output = self
            .interruptible(name, "GetTemplateSummary", call)
            .await?
            .map_err(|e| aws(name, "GetTemplateSummary", e))?;
        Ok(output
            .resource_identifier_summaries()
            .iter()
            .filter_map(|s| {
                Some((
                    s.resource_type()?.to_string(),
                    s.resource_identifiers().to_vec(),
                ))
            })
            .collect())
    }

    async fn create_import_change_set(
        &self,
        stack: &StackTemplate,
        change_set: &str,
        creating: bool,
        deployed: Option<&Value>,
        imported: &[ImportedResource],
    ) -> Result<String, DeployError> {
        let name = stack.name.as_str();
        let mut request = self
            .client
            .create_change_set()
            .stack_name(name)
            .change_set_name(change_set)
            .change_set_type(ChangeSetType::Import)
            .description(DESCRIPTION)
            .client_token(request_token());
        for resource in imported {
            request = request.resources_to_import(
                ResourceToImport::builder()
                    .resource_type(&resource.resource_type)
                    .logical_resource_id(&resource.logical_id)
                    .set_resource_identifier(Some(resource.identifier.iter().cloned().collect()))
                    .build(),
            );
        }
        if creating {
            // A new stack gets the program's tags (the app's tag included, for `list`); an
            // existing one keeps its own: CreateChangeSet without Tags leaves them.
            for (key, value) in &stack.tags {
                request = request.tags(Tag::builder().key(key).value(value).build());
            }
        }
        for capability in &stack.capabilities {
            request = request.capabilities(Capability::from(capability.as_str()));
        }
        // The deployed template's parameters keep their values: the import changes nothing.
        let declared = deployed
            .and_then(|d| d.get("Parameters"))
            .and_then(Value::as_object);
        for key in declared.into_iter().flat_map(Map::keys) {
            request = request.parameters(
                Parameter::builder()
                    .parameter_key(key)
                    .use_previous_value(true)
                    .build(),
            );
        }
        request = if stack.body.len() > MAX_TEMPLATE_BODY_BYTES {
            request.template_url(self.upload_template(stack).await?)
        } else {
            request.template_body(&stack.body)
        };
        let created = self
            .interruptible(name, "CreateChangeSet", request.send())
            .await?
            .map_err(|e| aws(name, "CreateChangeSet", e))?;
        Ok(created.stack_id().unwrap_or(name).to_string())
    }

    /// Drift detection on each imported resource (DetectStackResourceDrift answers at once):
    /// what differs from the program. A resource that could not be checked says why; the
    /// import stands either way.
    async fn imported_drift(
        &self,
        name: &str,
        imported: &[ImportedResource],
    ) -> Vec<ResourceDrift> {
        let mut out = Vec::new();
        for resource in imported {
            let unchecked = |why: String| ResourceDrift {
                logical_id: resource.logical_id.clone(),
                physical_id: None,
                resource_type: resource.resource_type.clone(),
                status: "NOT_CHECKED".into(),
                reason: Some(why),
                differences: Vec::new(),
            };
            let call = self
                .client
                .detect_stack_resource_drift()
                .stack_name(name)
                .logical_resource_id(&resource.logical_id)
                .send();
            let drift = match self
                .interruptible(name, "DetectStackResourceDrift", call)
                .await
            {
                Ok(Ok(output)) => match output.stack_resource_drift() {
                    Some(drift) => resource_drift(drift),
                    None => unchecked("DetectStackResourceDrift gave no result".into()),
                },
                Ok(Err(e)) => unchecked(aws(name, "DetectStackResourceDrift", e).to_string()),
                Err(_) => unchecked("interrupted before its drift was detected".into()),
            };
            if drift.status == "MODIFIED" {
                self.ui.line(
                    name,
                    &format!(
                        "{} ({}) differs from the program in {} propert{}",
                        drift.logical_id,
                        drift.resource_type,
                        drift.differences.len(),
                        if drift.differences.len() == 1 {
                            "y"
                        } else {
                            "ies"
                        }
                    ),
                );
            }
            out.push(drift);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> Value {
        json!({"Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "DeletionPolicy": "Retain",
                    "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "Subnet": {"Type": "AWS::EC2::Subnet", "DeletionPolicy": "Retain",
                       "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.0.0.0/24"}},
            "Route": {"Type": "AWS::EC2::Route",
                      "Properties": {"RouteTableId": {"Ref": "Table"},
                                     "DestinationCidrBlock": "0.0.0.0/0"}},
            "Table": {"Type": "AWS::EC2::RouteTable",
                      "Properties": {"VpcId": {"Ref": "Vpc"}}},
        }})
    }

    fn named(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn refused(result: Result<Plan, DeployError>) -> String {
        match result {
            Err(DeployError::ImportRefused { reason, .. }) => reason,
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn the_template_sent_is_the_deployed_one_plus_the_imported_resources() {
        let deployed = json!({"Resources": {"Vpc": local()["Resources"]["Vpc"].clone()},
                              "Outputs": {"VpcId": {"Value": {"Ref": "Vpc"}}}});
        let plan = plan(
            "Net",
            &local(),
            Some(&deployed),
            &named(&[("Subnet", "subnet-1")]),
        )
        .expect("allowed");
        assert_eq!(
            plan.template["Resources"]
                .as_object()
                .map(|r| r.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["Vpc".to_string(), "Subnet".to_string()])
        );
        assert_eq!(plan.template["Outputs"], deployed["Outputs"]);
        assert_eq!(
            plan.imported,
            vec![(
                "Subnet".into(),
                "AWS::EC2::Subnet".into(),
                "subnet-1".into()
            )]
        );
        assert_eq!(
            plan.left_out,
            vec![
                ("Route".to_string(), "AWS::EC2::Route".to_string()),
                ("Table".to_string(), "AWS::EC2::RouteTable".to_string())
            ]
        );
    }

    #[test]
    fn a_new_stack_imports_into_an_empty_template() {
        let plan = plan(
            "Net",
            &local(),
            None,
            &named(&[("Vpc", "vpc-1"), ("Subnet", "subnet-1")]),
        )
        .expect("allowed");
        assert_eq!(
            plan.template["Resources"].as_object().map(Map::len),
            Some(2)
        );
    }

    #[test]
    fn each_rule_is_one_line_naming_the_resource_and_the_fix() {
        let reason = refused(plan("Net", &local(), None, &named(&[("Table", "rtb-1")])));
        assert!(reason.contains("Table (AWS::EC2::RouteTable) has no DeletionPolicy"));
        assert!(reason.contains("Stack::retain"));

        let reason = refused(plan(
            "Net",
            &local(),
            None,
            &named(&[("Subnet", "subnet-1")]),
        ));
        assert!(reason.contains("Subnet (AWS::EC2::Subnet) refers to Vpc (AWS::EC2::VPC)"));
        assert!(reason.contains("--resource Vpc="));

        let reason = refused(plan("Net", &local(), None, &named(&[("Nope", "x")])));
        assert!(reason.contains("has no resource Nope"), "{reason}");
        assert!(reason.contains("Vpc (AWS::EC2::VPC)"), "{reason}");

        let reason = refused(plan("Net", &local(), None, &[]));
        assert!(reason.contains("need a physical ID each"), "{reason}");
        assert!(reason.contains("Route (AWS::EC2::Route)"), "{reason}");

        let reason = refused(plan(
            "Net",
            &local(),
            None,
            &named(&[("Vpc", "vpc-1"), ("Vpc", "vpc-2")]),
        ));
        assert!(reason.contains("named twice"), "{reason}");

        let deployed = json!({"Resources": {"Vpc": local()["Resources"]["Vpc"].clone()}});
        let reason = refused(plan(
            "Net",
            &local(),
            Some(&deployed),
            &named(&[("Vpc", "vpc-1")]),
        ));
        assert!(reason.contains("Vpc (AWS::EC2::VPC) is already in the stack"));

        let mut changed = local();
        changed["Resources"]["Vpc"]["Properties"]["CidrBlock"] = json!("10.1.0.0/16");
        let reason = refused(plan(
            "Net",
            &changed,
            Some(&deployed),
            &named(&[("Subnet", "subnet-1")]),
        ));
        assert!(
            reason
                .contains("Vpc (AWS::EC2::VPC) is deployed and the program changes it (CidrBlock)"),
            "{reason}"
        );
        assert!(reason.contains("import with Vpc as deployed"), "{reason}");
    }

    #[test]
    fn references_are_refs_getatts_subs_dependencies_and_conditions() {
        let resource = json!({
            "Type": "X", "DependsOn": ["A"], "Condition": "C",
            "Properties": {
                "P": {"Fn::GetAtt": ["B", "Arn"]}, "Q": {"Fn::GetAtt": "D.Id"},
                "R": {"Fn::Sub": "${E}-${F.Arn}-${!Text}-${AWS::Region}"},
                "S": {"Fn::Sub": ["${G}-${H}", {"G": {"Ref": "I"}}]},
                "T": {"Fn::If": ["J", {"Ref": "K"}, {"Ref": "AWS::NoValue"}]}
            }
        });
        let names: Vec<String> = references(&resource).into_iter().collect();
        assert_eq!(names, ["A", "B", "C", "D", "E", "F", "H", "I", "J", "K"]);
    }

    #[test]
    fn identifiers_come_from_the_summary_the_physical_id_and_the_template() {
        let mut template = local();
        template["Resources"]["Route"]["DeletionPolicy"] = json!("Retain");
        template["Resources"]["Table"]["DeletionPolicy"] = json!("Retain");
        let plan = plan(
            "Net",
            &template,
            None,
            &named(&[
                ("Vpc", "vpc-1"),
                ("Table", "rtb-1"),
                ("Route", "RouteTableId=rtb-1"),
            ]),
        )
        .expect("allowed");
        let summaries: HashMap<String, Vec<String>> = [
            ("AWS::EC2::VPC", vec!["VpcId"]),
            ("AWS::EC2::RouteTable", vec!["RouteTableId"]),
            (
                "AWS::EC2::Route",
                vec!["RouteTableId", "DestinationCidrBlock"],
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(str::to_string).collect()))
        .collect();
        let imported = identify("Net", &template, &plan, &summaries).expect("identified");
        assert_eq!(
            imported.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "Vpc AWS::EC2::VPC (VpcId=vpc-1)",
                "Route AWS::EC2::Route (RouteTableId=rtb-1, DestinationCidrBlock=0.0.0.0/0)",
                "Table AWS::EC2::RouteTable (RouteTableId=rtb-1)",
            ]
        );

        let mut no_route = summaries.clone();
        no_route.remove("AWS::EC2::Route");
        let Err(DeployError::ImportRefused { reason, .. }) =
            identify("Net", &template, &plan, &no_route)
        else {
            panic!("a type without identifiers is refused")
        };
        assert!(
            reason.contains("Route (AWS::EC2::Route): CloudFormation cannot import this type"),
            "{reason}"
        );

        template["Resources"]["Route"]["Properties"]["DestinationCidrBlock"] = json!({"Ref": "X"});
        let Err(DeployError::ImportRefused { reason, .. }) =
            identify("Net", &template, &plan, &summaries)
        else {
            panic!("an incomplete identifier is refused")
        };
        assert!(
            reason.contains("DestinationCidrBlock is neither given nor a literal value"),
            "{reason}"
        );
        assert!(reason.contains("--resource Route=RouteTableId=…,DestinationCidrBlock=…"));
    }
}
