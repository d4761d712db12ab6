//! `diff` of a stack set: its template, parameters and instances against the program's.

use crate::{DeployError, Deployer, StackTemplate};

use super::spec::*;

impl Deployer {
    /// For `diff`: the template difference, the parameters given that differ, and the
    /// instances a deploy would add, update or remove.
    pub(crate) async fn diff_stack_set(
        &self,
        stack: &StackTemplate,
        spec: &StackSetSpec,
    ) -> Result<crate::StackDiff, DeployError> {
        let local: serde_json::Value =
            serde_json::from_str(&stack.body).map_err(|e| DeployError::TemplateNotJson {
                stack: stack.name.clone(),
                reason: format!("local template: {e}"),
            })?;
        let deployed = self.describe_stack_set(&stack.name, spec).await?;
        let values = stack.parameters.clone();
        let plan = self
            .plan(stack, spec, &local, deployed.as_ref(), &values)
            .await?;
        let mut diff = plan.diff;
        if let Some(d) = &deployed {
            for (key, value) in &values {
                let before = d.parameters.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                if before != Some(value) {
                    diff.other.push(crate::PropertyChange {
                        path: format!("Parameters.{key}"),
                        before: before.map(|v| serde_json::Value::from(v.as_str())),
                        after: Some(serde_json::Value::from(value.as_str())),
                    });
                }
            }
        }
        let list = |items: Vec<String>| (!items.is_empty()).then(|| serde_json::Value::from(items));
        let added: Vec<String> = plan
            .missing
            .iter()
            .map(|(t, r)| format!("{t} {r}"))
            .collect();
        let removed: Vec<String> = plan
            .extra
            .iter()
            .map(|i| format!("{} {}", i.account, i.region))
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            diff.other.push(crate::PropertyChange {
                path: "StackInstances".into(),
                before: list(removed),
                after: list(added),
            });
        }
        if !plan.stale.is_empty() {
            diff.other.push(crate::PropertyChange {
                path: "StackInstances (outdated, or other overrides)".into(),
                before: list(
                    plan.stale
                        .iter()
                        .map(|(i, _)| format!("{} {}", i.account, i.region))
                        .collect(),
                ),
                after: Some(serde_json::Value::from("updated by the next deploy")),
            });
        }
        Ok(diff)
    }
}
