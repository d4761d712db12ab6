//! Template diffs: what a deploy would add, remove and change, property by property.

use std::fmt;

use serde_json::{Map, Value};

/// How a resource differs between the deployed and the local template.
#[derive(Clone, Debug, PartialEq)]
pub enum ResourceChange {
    /// Only in the local template.
    Added,
    /// Only in the deployed template.
    Removed,
    /// In both, with these differences.
    Changed(Vec<PropertyChange>),
}

/// One property (or resource attribute such as `Type` or `DependsOn`) that differs.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyChange {
    /// The property path, e.g. `Properties.SecurityGroupIngress`.
    pub path: String,
    /// The deployed value, if any.
    pub before: Option<Value>,
    /// The local value, if any.
    pub after: Option<Value>,
}

/// A resource's difference.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDiff {
    /// The logical ID.
    pub logical_id: String,
    /// The resource type (local, or deployed when removed).
    pub resource_type: String,
    /// What differs.
    pub change: ResourceChange,
}

/// The difference between a stack's deployed template and its local one.
#[derive(Clone, Debug, PartialEq)]
pub struct StackDiff {
    /// The stack.
    pub stack: String,
    /// Whether the stack exists.
    pub deployed: bool,
    /// Resource differences: security groups and endpoints first, then in template order.
    pub resources: Vec<ResourceDiff>,
    /// Other top-level sections that differ (`Outputs`, `Description`, …), as property changes.
    pub other: Vec<PropertyChange>,
    /// Security changes (rules, policies, principals, DNS, routes), broadening ones marked.
    pub security: Vec<crate::SecurityChange>,
    /// Parameters filled from other stacks' outputs (accounts or regions apart): the deployed
    /// value and the one a deploy would pass, path `Parameters.<Name>`.
    pub parameters: Vec<PropertyChange>,
    /// For a step (an acceptance, not a stack): what a deploy would do, read without changing
    /// anything; `deployed` is then whether it has nothing to do.
    pub step: Option<String>,
    /// The stack's last drift result as DescribeStacks keeps it (`diff` never starts a
    /// detection); `None` when not deployed or not known.
    pub drift: Option<crate::LastDrift>,
}

impl StackDiff {
    /// Whether nothing differs (a stack that is not deployed always differs).
    ///
    /// ```
    /// let diff = vpcform_deploy::diff_templates("Net", None, &serde_json::json!({"Resources": {}}));
    /// assert!(!diff.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.deployed
            && self.resources.is_empty()
            && self.other.is_empty()
            && self.parameters.iter().all(|p| p.before == p.after)
    }
}

/// Security groups and endpoints decide who reaches what: they are shown first.
fn review_rank(resource_type: &str) -> u8 {
    if resource_type.starts_with("AWS::EC2::SecurityGroup") {
        0
    } else if resource_type.starts_with("AWS::EC2::VPCEndpoint") {
        1
    } else {
        2
    }
}

/// Compares a deployed template (`None` when the stack does not exist) with a local one.
///
/// ```
/// use serde_json::json;
/// let before = json!({"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup",
///     "Properties": {"GroupDescription": "a"}}}});
/// let after = json!({"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup",
///     "Properties": {"GroupDescription": "b"}}}});
/// let diff = vpcform_deploy::diff_templates("Net", Some(&before), &after);
/// assert_eq!(diff.resources.len(), 1);
/// assert!(diff.to_string().contains("GroupDescription"));
/// ```
pub fn diff_templates(stack: &str, deployed: Option<&Value>, local: &Value) -> StackDiff {
    let empty = Map::new();
    let resources_of = |t: Option<&Value>| -> Map<String, Value> {
        t.and_then(|t| t.get("Resources"))
            .and_then(Value::as_object)
            .unwrap_or(&empty)
            .clone()
    };
    let before = resources_of(deployed);
    let after = resources_of(Some(local));
    let type_of = |r: &Value| {
        r.get("Type")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let mut resources = Vec::new();
    for (id, resource) in &after {
        let change = match before.get(id) {
            None => ResourceChange::Added,
            Some(old) => {
                let changes = compare(old, resource, "");
                if changes.is_empty() {
                    continue;
                }
                ResourceChange::Changed(changes)
            }
        };
        resources.push(ResourceDiff {
            logical_id: id.clone(),
            resource_type: type_of(resource),
            change,
        });
    }
    for (id, resource) in &before {
        if !after.contains_key(id) {
            resources.push(ResourceDiff {
                logical_id: id.clone(),
                resource_type: type_of(resource),
                change: ResourceChange::Removed,
            });
        }
    }
    // Stable: template order within each rank.
    resources.sort_by_key(|r| review_rank(&r.resource_type));

    let mut other = Vec::new();
    if let Some(deployed) = deployed {
        let sections = |t: &Value| -> Map<String, Value> {
            t.as_object()
                .map(|m| {
                    m.iter()
                        .filter(|(k, _)| k.as_str() != "Resources")
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default()
        };
        other = compare(
            &Value::Object(sections(deployed)),
            &Value::Object(sections(local)),
            "",
        );
    }
    StackDiff {
        stack: stack.to_string(),
        deployed: deployed.is_some(),
        resources,
        other,
        security: crate::security_changes(deployed, local),
        parameters: Vec::new(),
        step: None,
        drift: None,
    }
}

/// Differences between two JSON values, one level into objects at a time: object members are
/// compared by key, anything else as a whole.
fn compare(before: &Value, after: &Value, prefix: &str) -> Vec<PropertyChange> {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let mut changes = Vec::new();
            for (key, new) in a {
                match b.get(key) {
                    Some(old) if old == new => {}
                    Some(old) if old.is_object() && new.is_object() && prefix.is_empty() => {
                        changes.extend(compare(old, new, &join(key)));
                    }
                    old => changes.push(PropertyChange {
                        path: join(key),
                        before: old.cloned(),
                        after: Some(new.clone()),
                    }),
                }
            }
            for (key, old) in b {
                if !a.contains_key(key) {
                    changes.push(PropertyChange {
                        path: join(key),
                        before: Some(old.clone()),
                        after: None,
                    });
                }
            }
            changes
        }
        _ if before == after => Vec::new(),
        _ => vec![PropertyChange {
            path: prefix.to_string(),
            before: Some(before.clone()),
            after: Some(after.clone()),
        }],
    }
}

/// Compact JSON, cut to a readable length.
fn short(value: &Option<Value>) -> String {
    match value {
        None => "(none)".to_string(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 100 {
                format!("{}…", text.chars().take(100).collect::<String>())
            } else {
                text
            }
        }
    }
}

impl fmt::Display for StackDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(plan) = &self.step {
            return writeln!(f, "{} (step): {plan}", self.stack);
        }
        if self.is_empty() {
            writeln!(f, "{}: no differences", self.stack)?;
            self.fmt_parameters(f)?;
            return self.fmt_drift(f);
        }
        if !self.deployed {
            writeln!(f, "{}: not deployed; everything would be added", self.stack)?;
        } else {
            writeln!(f, "{}:", self.stack)?;
        }
        for r in &self.resources {
            match &r.change {
                ResourceChange::Added => {
                    writeln!(f, "  + {} {}", r.logical_id, r.resource_type)?;
                }
                ResourceChange::Removed => {
                    writeln!(f, "  - {} {}", r.logical_id, r.resource_type)?;
                }
                ResourceChange::Changed(changes) => {
                    writeln!(f, "  ~ {} {}", r.logical_id, r.resource_type)?;
                    for c in changes {
                        writeln!(
                            f,
                            "      {}: {} -> {}",
                            c.path,
                            short(&c.before),
                            short(&c.after)
                        )?;
                    }
                }
            }
        }
        for c in &self.other {
            writeln!(
                f,
                "  ~ {}: {} -> {}",
                c.path,
                short(&c.before),
                short(&c.after)
            )?;
        }
        self.fmt_parameters(f)?;
        for line in crate::security_table(&self.security).lines() {
            writeln!(f, "  {line}")?;
        }
        self.fmt_drift(f)
    }
}

impl StackDiff {
    /// The last drift result, when known: templates may match while resources do not.
    fn fmt_drift(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.drift {
            Some(drift) => writeln!(f, "  {drift}"),
            None => Ok(()),
        }
    }

    /// The imported parameters, resolved: `=` unchanged, `~` changed.
    fn fmt_parameters(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.parameters {
            if c.before == c.after {
                writeln!(f, "  = {}: {}", c.path, short(&c.after))?;
            } else {
                writeln!(
                    f,
                    "  ~ {}: {} -> {}",
                    c.path,
                    short(&c.before),
                    short(&c.after)
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(resources: Value) -> Value {
        json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources})
    }

    #[test]
    fn identical_templates_do_not_differ() {
        let t = template(
            json!({"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}}),
        );
        let diff = diff_templates("Net", Some(&t), &t);
        assert!(diff.is_empty());
        assert_eq!(diff.to_string(), "Net: no differences\n");
    }

    #[test]
    fn added_removed_and_changed_with_security_groups_and_endpoints_first() {
        let before = template(json!({
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "Old": {"Type": "AWS::EC2::Subnet", "Properties": {}},
            "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d", "SecurityGroupIngress": []}}
        }));
        let after = template(json!({
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.1.0.0/16"}},
            "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d",
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}]}},
            "Sqs": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {}}
        }));
        let diff = diff_templates("Net", Some(&before), &after);
        let order: Vec<(&str, &ResourceChange)> = diff
            .resources
            .iter()
            .map(|r| (r.logical_id.as_str(), &r.change))
            .collect();
        assert_eq!(order[0].0, "Sg");
        assert_eq!(order[1].0, "Sqs");
        assert_eq!(order[1].1, &ResourceChange::Added);
        assert_eq!(order[2].0, "Vpc");
        assert_eq!(order[3].0, "Old");
        assert_eq!(order[3].1, &ResourceChange::Removed);
        let ResourceChange::Changed(vpc) = &diff.resources[2].change else {
            panic!("Vpc changed")
        };
        assert_eq!(vpc[0].path, "Properties.CidrBlock");
        let text = diff.to_string();
        assert!(
            text.contains(
                "  ~ Sg AWS::EC2::SecurityGroup\n      Properties.SecurityGroupIngress: [] -> [{"
            ),
            "{text}"
        );
        assert!(text.contains("  + Sqs AWS::EC2::VPCEndpoint"), "{text}");
        assert!(text.contains("  - Old AWS::EC2::Subnet"), "{text}");
        assert!(
            text.contains(
                "  security changes (1 broaden access, marked !):\n    ! + Sg                           ingress TCP 443 from 10.0.0.0/16"
            ),
            "{text}"
        );
        assert!(
            text.contains("Properties.CidrBlock: \"10.0.0.0/16\" -> \"10.1.0.0/16\""),
            "{text}"
        );
    }

    #[test]
    fn outputs_and_description_are_compared() {
        let before = json!({"Description": "a", "Resources": {}, "Outputs": {"X": {"Value": "1"}}});
        let after = json!({"Description": "b", "Resources": {}, "Outputs": {"X": {"Value": "2"}}});
        let diff = diff_templates("Net", Some(&before), &after);
        let paths: Vec<&str> = diff.other.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["Description", "Outputs.X"]);
    }

    #[test]
    fn a_stack_not_deployed_adds_everything() {
        let after = template(json!({"Vpc": {"Type": "AWS::EC2::VPC"}}));
        let diff = diff_templates("Net", None, &after);
        assert!(!diff.is_empty());
        assert!(diff.to_string().starts_with("Net: not deployed"));
    }
}
