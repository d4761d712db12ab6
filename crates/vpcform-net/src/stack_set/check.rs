//! The StackSets API's rules for a stack set's settings, one function per group: targets,
//! regions, operation preferences, permissions, exports, parameters and overrides. Errors
//! come in the order the groups are checked.

use crate::SynthError;
use crate::constructs::existing::{ExistingId, ExistingKind};
use crate::model::{Model, Node};
use crate::stack::StackDef;

use super::{
    Amount, ParameterValue, PermissionModel, StackSetDef, StackSetOverride, StackSetSpec,
    TargetOverride,
};

/// Checks a stack set's settings against the rules of the StackSets API, and returns its spec.
pub(crate) fn check(
    stack: &StackDef,
    set: &StackSetDef,
    model: &Model<'_>,
    errors: &mut Vec<SynthError>,
) -> StackSetSpec {
    let mut rules = Rules {
        stack,
        model,
        errors,
    };
    rules.targets(set);
    rules.admin_region(set);
    rules.excluded_accounts(set);
    rules.regions(set);
    rules.preferences(set);
    rules.permissions(set);
    rules.exports();
    let parameters = rules.values(&set.values);
    rules.parameters_without_value(set);
    let overrides = set
        .overrides
        .iter()
        .map(|o| rules.override_for(set, o))
        .collect();
    StackSetSpec {
        targets: set.targets.clone(),
        regions: set.regions.clone(),
        preferences: set.preferences.clone(),
        permission_model: set.permissions.clone(),
        parameters,
        overrides,
    }
}

/// One stack set being checked: its stack, the app's model, and where errors go.
struct Rules<'a, 'm> {
    stack: &'a StackDef,
    model: &'a Model<'m>,
    errors: &'a mut Vec<SynthError>,
}

impl<'a> Rules<'a, '_> {
    /// An error in the stack set's settings: `what` is wrong with `value`, and the fix.
    fn invalid(&mut self, what: &str, value: String, fix: String) {
        self.errors.push(SynthError::InvalidStackSet {
            stack: self.stack.name.to_string(),
            what: what.to_string(),
            value,
            fix,
        });
    }

    /// Targets: some, well-formed, and of the kind the permission model deploys to.
    fn targets(&mut self, set: &StackSetDef) {
        let targets = &set.targets;
        let service_managed = matches!(set.permissions, PermissionModel::ServiceManaged { .. });
        if targets.accounts.is_empty() && targets.organizational_units.is_empty() {
            self.invalid(
                "targets",
                "none".into(),
                "give StackSetTargets::accounts or ::organizational_units".into(),
            );
        }
        for account in targets.accounts.iter().chain(&targets.excluded_accounts) {
            if !is_account(account) {
                self.invalid(
                    "account",
                    account.clone(),
                    "an account ID is 12 digits".into(),
                );
            }
        }
        for unit in &targets.organizational_units {
            if !is_unit(unit) {
                self.invalid(
                    "organizational unit",
                    unit.clone(),
                    "an OU ID looks like ou-ab12-11111111, a root's like r-ab12".into(),
                );
            }
        }
        // "Specify Accounts for self-managed permissions, DeploymentTargets (OUs) for
        // service-managed" (CreateStackInstances).
        if service_managed && !targets.accounts.is_empty() {
            self.invalid(
                "targets",
                targets.accounts.join(", "),
                "service-managed stack sets target organizational units: use \
                 StackSetTargets::organizational_units (with except_accounts to leave some out)"
                    .into(),
            );
        }
        if !service_managed && !targets.organizational_units.is_empty() {
            self.invalid(
                "targets",
                targets.organizational_units.join(", "),
                "organizational units need PermissionModel::service_managed(); self-managed stack \
                 sets target accounts"
                    .into(),
            );
        }
    }

    /// The administrator's region, where the set lives, is a region code.
    fn admin_region(&mut self, set: &StackSetDef) {
        if let Some(region) = &set.admin_region
            && !crate::regions::is_region_code(region)
        {
            self.invalid(
                "administrator region",
                region.clone(),
                "a region code looks like us-east-1".into(),
            );
        }
    }

    /// Excluded accounts leave accounts out of organizational units only.
    fn excluded_accounts(&mut self, set: &StackSetDef) {
        let targets = &set.targets;
        if !targets.excluded_accounts.is_empty() && targets.organizational_units.is_empty() {
            self.invalid(
                "excluded accounts",
                targets.excluded_accounts.join(", "),
                "except_accounts leaves accounts out of organizational units; with account \
                 targets, leave them out of the list"
                    .into(),
            );
        }
    }

    /// Regions: some, region codes, and an order that lists only them.
    fn regions(&mut self, set: &StackSetDef) {
        if set.regions.is_empty() {
            self.invalid(
                "regions",
                "none".into(),
                "give the regions instances go to with .regions([...])".into(),
            );
        }
        for region in set.regions.iter().chain(&set.preferences.region_order) {
            if !crate::regions::is_region_code(region) {
                self.invalid(
                    "region",
                    region.clone(),
                    "a region code looks like us-east-1".into(),
                );
            }
        }
        for region in &set.preferences.region_order {
            if !set.regions.contains(region) {
                self.invalid(
                    "region order",
                    region.clone(),
                    format!(
                        "the order lists only the stack set's regions ({})",
                        set.regions.join(", ")
                    ),
                );
            }
        }
    }

    /// Operation preferences: amounts in range, and a strict failure tolerance that allows
    /// the concurrency asked for.
    fn preferences(&mut self, set: &StackSetDef) {
        let preferences = &set.preferences;
        for (what, amount, min) in [
            ("max concurrent", preferences.max_concurrent, 1),
            ("failure tolerance", preferences.failure_tolerance, 0),
        ] {
            match amount {
                Some(Amount::Percentage(p)) if p > 100 || u32::from(p) < min => self.invalid(
                    what,
                    format!("{p}%"),
                    format!("a percentage is {min} to 100"),
                ),
                Some(Amount::Count(n)) if n < min => {
                    self.invalid(what, n.to_string(), format!("at least {min}"))
                }
                _ => {}
            }
        }
        // "MaxConcurrentCount is at most one more than the FailureToleranceCount if you're
        // using STRICT_FAILURE_TOLERANCE" (StackSetOperationPreferences).
        if !preferences.soft_failure_tolerance
            && let Some(Amount::Count(max)) = preferences.max_concurrent
        {
            let tolerance = match preferences.failure_tolerance {
                Some(Amount::Count(n)) => Some(n),
                None => Some(0),
                Some(Amount::Percentage(_)) => None,
            };
            if let Some(tolerance) = tolerance
                && max > tolerance.saturating_add(1)
            {
                self.invalid(
                    "max concurrent",
                    max.to_string(),
                    format!(
                        "with strict failure tolerance CloudFormation runs at most failure tolerance \
                         + 1 = {} accounts at once: raise failure_tolerance, or use \
                         soft_failure_tolerance()",
                        tolerance.saturating_add(1)
                    ),
                );
            }
        }
    }

    /// A self-managed set's administration role is a role ARN, of the administrator region's
    /// partition when that region is pinned.
    fn permissions(&mut self, set: &StackSetDef) {
        if let PermissionModel::SelfManaged {
            administration_role_arn: Some(arn),
            ..
        } = &set.permissions
        {
            if !(arn.starts_with("arn:aws") && arn.contains(":iam::") && arn.contains(":role/")) {
                self.invalid(
                    "administration role",
                    arn.clone(),
                    "a role ARN looks like arn:aws:iam::111122223333:role/AWSCloudFormationStackSetAdministrationRole"
                        .into(),
                );
            } else if let Some((arn_partition, partition)) =
                crate::arn::other_partition(arn, set.admin_region.as_deref())
            {
                self.errors.push(SynthError::ArnInOtherPartition {
                    construct: self.stack.name.to_string(),
                    property: "administration role",
                    arn: arn.clone(),
                    arn_partition: arn_partition.to_string(),
                    partition,
                });
            }
        }
    }

    /// Exports and imports are per account and region: a fleet's would collide or dangle.
    fn exports(&mut self) {
        let stack = self.stack;
        if !stack.imports.is_empty() || stack.outputs.iter().any(|(_, o)| o.export.is_some()) {
            self.invalid(
                "exports and imports",
                stack
                    .imports
                    .iter()
                    .map(|i| i.export_name.clone())
                    .chain(stack.outputs.iter().filter_map(|(_, o)| o.export.clone()))
                    .collect::<Vec<_>>()
                    .join(", "),
                "a stack set's instances cannot import or export (each account and region would \
                 hold its own); pass values as parameters of existing constructs"
                    .into(),
            );
        }
    }

    /// Parameter values, `(parameter, value)`, each checked (`Self::value`).
    fn values(&mut self, values: &[ParameterValue]) -> Vec<(String, String)> {
        values.iter().filter_map(|v| self.value(v)).collect()
    }

    /// Parameters: each value names an existing construct of this stack, checked like its
    /// own. `None`, with the error, when it does not.
    fn value(&mut self, value: &ParameterValue) -> Option<(String, String)> {
        let construct = value.construct.path();
        let Some((declared, kind)) = self.existing_of(value) else {
            self.invalid(
                "parameter value",
                construct,
                "only existing constructs of the stack set's own stack (ExistingVpc, \
                 ExistingSubnet, ExistingRouteTable, ExistingSecurityGroup) take values \
                 per target"
                    .into(),
            );
            return None;
        };
        if matches!(declared, ExistingId::Id(_)) {
            self.invalid(
                "parameter value",
                construct,
                "it is declared with a literal ID: declare it with ExistingId::parameter() \
                 or ::ssm(..) to vary it per target"
                    .into(),
            );
            return None;
        }
        if let Some(fix) = value_problem(&value.value, declared, kind) {
            self.invalid(
                &format!("value for {construct}"),
                value_text(&value.value),
                fix,
            );
            return None;
        }
        Some((value.construct.id.to_string(), value_text(&value.value)))
    }

    /// The existing construct of this stack a value is for, as declared, and its kind.
    fn existing_of(&self, value: &ParameterValue) -> Option<(&'a ExistingId, ExistingKind)> {
        let model = self.model;
        let node = (value.construct.key.stack == self.stack.key)
            .then(|| model.node(value.construct.key))
            .flatten()?;
        match node {
            Node::Vpc(n) => n.existing.as_ref().map(|e| (e, ExistingKind::Vpc)),
            Node::Subnet(n) => n.existing.as_ref().map(|e| (e, ExistingKind::Subnet)),
            Node::RouteTable(n) => n.existing.as_ref().map(|e| (e, ExistingKind::RouteTable)),
            Node::SecurityGroup(n) => n
                .existing
                .as_ref()
                .map(|e| (e, ExistingKind::SecurityGroup)),
            _ => None,
        }
    }

    /// A parameter without a default has no value in a target without one: CreateStackSet
    /// would refuse it ("Parameters: [..] must have values").
    fn parameters_without_value(&mut self, set: &StackSetDef) {
        let stack = self.stack;
        for (key, node) in stack.keyed_nodes() {
            let declared = match node {
                Node::Vpc(n) => n.existing.as_ref(),
                Node::Subnet(n) => n.existing.as_ref(),
                Node::RouteTable(n) => n.existing.as_ref(),
                Node::SecurityGroup(n) => n.existing.as_ref(),
                _ => None,
            };
            if matches!(declared, Some(ExistingId::Parameter))
                && !set.values.iter().any(|v| v.construct.key == key)
            {
                self.invalid(
                    "parameter",
                    stack.path(node.id()),
                    format!(
                        "it has no value for the stack set's targets: give one with \
                         .parameter(&{id}, ExistingId::id(..)) (and .override_for(..) where targets \
                         differ), or declare it with ExistingId::ssm(..) so each account reads its own",
                        id = node.id().to_lowercase()
                    ),
                );
            }
        }
    }

    /// An override: some targets and regions, all of them the stack set's own, and values
    /// checked as the set's own (`Self::value`).
    fn override_for(&mut self, set: &StackSetDef, o: &TargetOverride) -> StackSetOverride {
        let targets = &set.targets;
        if o.regions.is_empty()
            || (o.targets.accounts.is_empty() && o.targets.organizational_units.is_empty())
        {
            self.invalid(
                "override",
                o.values
                    .iter()
                    .map(|v| v.construct.path())
                    .collect::<Vec<_>>()
                    .join(", "),
                "an override names at least one target and one region".into(),
            );
        }
        for account in &o.targets.accounts {
            if !targets.accounts.contains(account) {
                self.invalid(
                    "override target",
                    account.clone(),
                    format!(
                        "an override applies to the stack set's own accounts ({})",
                        targets.accounts.join(", ")
                    ),
                );
            }
        }
        for unit in &o.targets.organizational_units {
            if !targets.organizational_units.contains(unit) {
                self.invalid(
                    "override target",
                    unit.clone(),
                    format!(
                        "an override applies to the stack set's own units ({})",
                        targets.organizational_units.join(", ")
                    ),
                );
            }
        }
        for region in &o.regions {
            if !set.regions.contains(region) {
                self.invalid(
                    "override region",
                    region.clone(),
                    format!(
                        "an override applies to the stack set's regions ({})",
                        set.regions.join(", ")
                    ),
                );
            }
        }
        StackSetOverride {
            targets: o.targets.clone(),
            regions: o.regions.clone(),
            parameters: self.values(&o.values),
        }
    }
}

/// What is wrong with `value` for a construct declared as `declared`, of `kind`: the fix.
fn value_problem(value: &ExistingId, declared: &ExistingId, kind: ExistingKind) -> Option<String> {
    match value {
        ExistingId::Parameter => {
            Some("give an ID or an SSM name, not another parameter".to_string())
        }
        ExistingId::Ssm(_) if matches!(declared, ExistingId::Parameter) => Some(
            "it is declared with ExistingId::parameter(), whose type takes an ID: declare it \
             with ExistingId::ssm(..) to give SSM names"
                .to_string(),
        ),
        ExistingId::Id(_) if matches!(declared, ExistingId::Ssm(_)) => Some(
            "it is declared with ExistingId::ssm(..), whose type takes an SSM name: give \
             ExistingId::ssm(..)"
                .to_string(),
        ),
        other => other.problem(kind),
    }
}

/// The ID text a parameter value renders as.
fn value_text(value: &ExistingId) -> String {
    match value {
        ExistingId::Id(id) => id.clone(),
        ExistingId::Ssm(name) => name.clone(),
        // Rejected by `check`: a value must say what it is.
        ExistingId::Parameter => String::new(),
    }
}

/// Account IDs: 12 digits (`DeploymentTargets.Accounts`, pattern `^[0-9]{12}$`).
use crate::arn::is_account_id as is_account;

/// `^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$` (`DeploymentTargets.OrganizationalUnitIds`).
fn is_unit(text: &str) -> bool {
    let word = |w: &str, min: usize| {
        (min..=32).contains(&w.len())
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if let Some(rest) = text.strip_prefix("ou-") {
        rest.split_once('-')
            .is_some_and(|(root, unit)| word(root, 4) && word(unit, 8))
    } else {
        text.strip_prefix("r-").is_some_and(|root| word(root, 4))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizational_unit_ids() {
        assert!(is_unit("ou-ab12-11111111"));
        assert!(is_unit("r-ab12"));
        assert!(!is_unit("ou-ab1-11111111"));
        assert!(!is_unit("ou-ab12-1111111"));
        assert!(!is_unit("ou-AB12-11111111"));
        assert!(!is_unit("r-ab1"));
        assert!(!is_unit("111122223333"));
    }
}
