//! StackSets: one stack's template rolled out to many accounts and regions by CloudFormation
//! (the fleet), with its targets, operation preferences, permission model, and per-target
//! parameter overrides typed by the existing construct they fill.
//!
//! **Invariant:** a stack set's template is synthesized and checked as any stack's; what
//! differs per target can only be the parameters of its existing constructs
//! ([`ExistingId::parameter`] or [`ExistingId::ssm`]), given as [`ExistingId`]s checked like the
//! construct's own. Every rule cites the StackSets API reference
//! (docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/): `DeploymentTargets`,
//! `StackSetOperationPreferences`, `CreateStackSet`, `AutoDeployment`.

use std::marker::PhantomData;

use serde::Serialize;

use crate::constructs::existing::{ExistingId, ExistingKind};
use crate::handle::AnyHandle;
use crate::handle::Handle;
use crate::model::{Model, Node};
use crate::stack::StackDef;
use crate::{Stack, StackMarker, SynthError};

/// Where a stack set's instances go: accounts (self-managed permissions), or organizational
/// units, every account in them and their children except those excluded (service-managed).
///
/// ```
/// use vpcform_net::StackSetTargets;
/// let accounts = StackSetTargets::accounts(["111122223333", "444455556666"]);
/// let ous = StackSetTargets::organizational_units(["ou-ab12-11111111"]).except_accounts(["111122223333"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackSetTargets {
    accounts: Vec<String>,
    organizational_units: Vec<String>,
    excluded_accounts: Vec<String>,
}

impl StackSetTargets {
    /// These accounts (12 digits each).
    ///
    /// See [`StackSetTargets`] for an example.
    pub fn accounts(accounts: impl IntoIterator<Item = impl Into<String>>) -> StackSetTargets {
        StackSetTargets {
            accounts: accounts.into_iter().map(Into::into).collect(),
            organizational_units: Vec::new(),
            excluded_accounts: Vec::new(),
        }
    }

    /// Every account of these organizational units (`ou-…`) or roots (`r-…`), children
    /// included.
    ///
    /// See [`StackSetTargets`] for an example.
    pub fn organizational_units(
        units: impl IntoIterator<Item = impl Into<String>>,
    ) -> StackSetTargets {
        StackSetTargets {
            accounts: Vec::new(),
            organizational_units: units.into_iter().map(Into::into).collect(),
            excluded_accounts: Vec::new(),
        }
    }

    /// Leaves these accounts out of the units (`AccountFilterType` `DIFFERENCE`).
    ///
    /// See [`StackSetTargets`] for an example.
    pub fn except_accounts(
        mut self,
        accounts: impl IntoIterator<Item = impl Into<String>>,
    ) -> StackSetTargets {
        self.excluded_accounts
            .extend(accounts.into_iter().map(Into::into));
        self
    }
}

/// A number of accounts, or a percentage of a region's: how many at once, how many may fail.
///
/// ```
/// let at_once = vpcform_net::Amount::Percentage(25);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Amount {
    /// Accounts.
    Count(u32),
    /// Percent of the accounts in a region (rounded down by CloudFormation).
    Percentage(u8),
}

/// How CloudFormation rolls an operation out (`StackSetOperationPreferences`).
///
/// ```
/// use vpcform_net::{Amount, OperationPreferences};
/// let preferences = OperationPreferences::default()
///     .max_concurrent(Amount::Percentage(25))
///     .failure_tolerance(Amount::Count(2))
///     .soft_failure_tolerance()
///     .region_order(["us-east-1", "eu-west-1"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationPreferences {
    /// `MaxConcurrentCount`/`Percentage`. Default: 1 account at a time (AWS's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_concurrent: Option<Amount>,
    /// `FailureToleranceCount`/`Percentage`, per region. Default: 0 (AWS's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_tolerance: Option<Amount>,
    /// `ConcurrencyMode` `SOFT_FAILURE_TOLERANCE`: concurrency does not shrink as failures
    /// occur. Default: `STRICT_FAILURE_TOLERANCE` (AWS's).
    pub soft_failure_tolerance: bool,
    /// `RegionConcurrencyType` `PARALLEL`. Default: one region after another.
    pub parallel_regions: bool,
    /// `RegionOrder`. Default: CloudFormation's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub region_order: Vec<String>,
}

impl OperationPreferences {
    /// How many accounts deploy at once, per region.
    ///
    /// See [`OperationPreferences`] for an example.
    pub fn max_concurrent(mut self, amount: Amount) -> OperationPreferences {
        self.max_concurrent = Some(amount);
        self
    }

    /// How many accounts may fail, per region, before the operation stops.
    ///
    /// See [`OperationPreferences`] for an example.
    pub fn failure_tolerance(mut self, amount: Amount) -> OperationPreferences {
        self.failure_tolerance = Some(amount);
        self
    }

    /// Keeps concurrency at `max_concurrent` whatever fails (`SOFT_FAILURE_TOLERANCE`).
    ///
    /// See [`OperationPreferences`] for an example.
    pub fn soft_failure_tolerance(mut self) -> OperationPreferences {
        self.soft_failure_tolerance = true;
        self
    }

    /// Deploys to all regions at once.
    ///
    /// ```
    /// let p = vpcform_net::OperationPreferences::default().parallel_regions();
    /// ```
    pub fn parallel_regions(mut self) -> OperationPreferences {
        self.parallel_regions = true;
        self
    }

    /// The order regions are deployed in.
    ///
    /// See [`OperationPreferences`] for an example.
    pub fn region_order(
        mut self,
        regions: impl IntoIterator<Item = impl Into<String>>,
    ) -> OperationPreferences {
        self.region_order = regions.into_iter().map(Into::into).collect();
        self
    }
}

/// Who deploys the instances.
///
/// ```
/// use vpcform_net::PermissionModel;
/// let own_roles = PermissionModel::self_managed();
/// let organizations = PermissionModel::service_managed().auto_deploy(true);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "model"
)]
pub enum PermissionModel {
    /// `SELF_MANAGED`: an administration role in this account assumes an execution role in
    /// each target account (both created beforehand).
    SelfManaged {
        /// `AdministrationRoleARN`. Default (AWS's):
        /// `arn:aws:iam::<this account>:role/AWSCloudFormationStackSetAdministrationRole`.
        #[serde(skip_serializing_if = "Option::is_none")]
        administration_role_arn: Option<String>,
        /// `ExecutionRoleName`. Default (AWS's): `AWSCloudFormationStackSetExecutionRole`.
        #[serde(skip_serializing_if = "Option::is_none")]
        execution_role_name: Option<String>,
    },
    /// `SERVICE_MANAGED`: AWS Organizations' trusted access; targets are organizational units.
    ServiceManaged {
        /// `AutoDeployment.Enabled`: accounts added to a target unit get an instance.
        auto_deploy: bool,
        /// `AutoDeployment.RetainStacksOnAccountRemoval`: an account leaving keeps its stack.
        retain_stacks_on_account_removal: bool,
        /// `CallAs` `DELEGATED_ADMIN`: deployed from a delegated administrator account rather
        /// than the management account.
        delegated_admin: bool,
    },
}

impl PermissionModel {
    /// Self-managed with AWS's default role names.
    ///
    /// See [`PermissionModel`] for an example.
    pub fn self_managed() -> PermissionModel {
        PermissionModel::SelfManaged {
            administration_role_arn: None,
            execution_role_name: None,
        }
    }

    /// Service-managed, without auto-deployment, from the management account.
    ///
    /// See [`PermissionModel`] for an example.
    pub fn service_managed() -> PermissionModel {
        PermissionModel::ServiceManaged {
            auto_deploy: false,
            retain_stacks_on_account_removal: false,
            delegated_admin: false,
        }
    }

    /// Service-managed: turns auto-deployment on or off.
    ///
    /// See [`PermissionModel`] for an example.
    pub fn auto_deploy(mut self, enabled: bool) -> PermissionModel {
        if let PermissionModel::ServiceManaged { auto_deploy, .. } = &mut self {
            *auto_deploy = enabled;
        }
        self
    }

    /// Service-managed: keep an account's stack when it leaves the target units.
    ///
    /// ```
    /// let p = vpcform_net::PermissionModel::service_managed().auto_deploy(true).retain_stacks_on_account_removal(true);
    /// ```
    pub fn retain_stacks_on_account_removal(mut self, retain: bool) -> PermissionModel {
        if let PermissionModel::ServiceManaged {
            retain_stacks_on_account_removal,
            ..
        } = &mut self
        {
            *retain_stacks_on_account_removal = retain;
        }
        self
    }

    /// Service-managed: deploy as a delegated administrator (`CallAs` `DELEGATED_ADMIN`).
    ///
    /// ```
    /// let p = vpcform_net::PermissionModel::service_managed().delegated_admin();
    /// ```
    pub fn delegated_admin(mut self) -> PermissionModel {
        if let PermissionModel::ServiceManaged {
            delegated_admin, ..
        } = &mut self
        {
            *delegated_admin = true;
        }
        self
    }

    /// Self-managed: the administration role's ARN and the execution role's name.
    ///
    /// ```
    /// let p = vpcform_net::PermissionModel::self_managed()
    ///     .roles("arn:aws:iam::111122223333:role/StackSetAdmin", "StackSetExecution");
    /// ```
    pub fn roles(
        mut self,
        administration: impl Into<String>,
        execution: impl Into<String>,
    ) -> Self {
        if let PermissionModel::SelfManaged {
            administration_role_arn,
            execution_role_name,
        } = &mut self
        {
            *administration_role_arn = Some(administration.into());
            *execution_role_name = Some(execution.into());
        }
        self
    }
}

/// One parameter's value: the existing construct it stands for, and where its ID comes from.
pub(crate) struct ParameterValue {
    pub(crate) construct: Handle,
    pub(crate) value: ExistingId,
}

/// Values for some targets only.
pub(crate) struct TargetOverride {
    pub(crate) targets: StackSetTargets,
    pub(crate) regions: Vec<String>,
    pub(crate) values: Vec<ParameterValue>,
}

/// A stack set's settings, beside its stack's contents.
pub(crate) struct StackSetDef {
    /// The administrator's region, where the set lives: the stack's own, taken out of it so
    /// the template is rendered for every region (`${AWS::Region}`), not for this one.
    pub(crate) admin_region: Option<String>,
    pub(crate) targets: StackSetTargets,
    pub(crate) regions: Vec<String>,
    pub(crate) preferences: OperationPreferences,
    pub(crate) permissions: PermissionModel,
    pub(crate) values: Vec<ParameterValue>,
    pub(crate) overrides: Vec<TargetOverride>,
}

/// A stack deployed as a StackSet: its template rolled out by CloudFormation to every target
/// account in every region. The stack's own [`account`](Stack::account) and
/// [`region`](Stack::region) are the administrator's, where the stack set lives.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::{ExistingId, ExistingVpc, PermissionModel, StackSet, StackSetTargets};
/// vpcform_net::topology! { stack Baseline { vpc Workload } }
///
/// let mut stack = Stack::<Baseline>::new("EndpointBaseline");
/// let vpc = stack.add(
///     "WorkloadVpc",
///     ExistingVpc::<Workload>::builder().id(ExistingId::ssm("/network/vpc-id")).cidr(cidr!("10.100.0.0/16")).build(),
/// );
/// stack.add("Endpoints", SecurityGroup::builder().vpc(&vpc).build());
/// let fleet = StackSet::new(stack)
///     .targets(StackSetTargets::organizational_units(["ou-ab12-11111111", "ou-ab12-22222222"]))
///     .regions(["us-east-1", "eu-west-1"])
///     .permission_model(PermissionModel::service_managed().auto_deploy(true))
///     .override_for(
///         StackSetTargets::organizational_units(["ou-ab12-22222222"]),
///         ["eu-west-1"],
///         &vpc,
///         ExistingId::ssm("/legacy/vpc-id"),
///     );
/// let mut app = App::new("baseline");
/// app.add_stack_set(fleet);
/// let assembly = app.synth()?;
/// assert_eq!(assembly.stacks()[0].stack_set().unwrap().overrides.len(), 1);
/// # Ok::<(), vpcform_net::SynthErrors>(())
/// ```
pub struct StackSet<S> {
    pub(crate) def: StackDef,
    pub(crate) set: StackSetDef,
    _stack: PhantomData<fn() -> S>,
}

impl<S: StackMarker> StackSet<S> {
    /// `stack` as a stack set, with no targets yet, self-managed permissions and AWS's
    /// default preferences.
    ///
    /// See [`StackSet`] for an example.
    pub fn new(stack: Stack<S>) -> StackSet<S> {
        let mut def = stack.def;
        StackSet {
            set: StackSetDef {
                admin_region: def.region.take(),
                targets: StackSetTargets::accounts(Vec::<String>::new()),
                regions: Vec::new(),
                preferences: OperationPreferences::default(),
                permissions: PermissionModel::self_managed(),
                values: Vec::new(),
                overrides: Vec::new(),
            },
            def,
            _stack: PhantomData,
        }
    }

    /// The accounts or organizational units instances go to. Required.
    ///
    /// See [`StackSet`] for an example.
    pub fn targets(mut self, targets: StackSetTargets) -> StackSet<S> {
        self.set.targets = targets;
        self
    }

    /// The regions instances go to, in every target. Required.
    ///
    /// See [`StackSet`] for an example.
    pub fn regions(mut self, regions: impl IntoIterator<Item = impl Into<String>>) -> StackSet<S> {
        self.set.regions = regions.into_iter().map(Into::into).collect();
        self
    }

    /// How operations roll out. Default: AWS's (one account at a time, no failure tolerated,
    /// regions in sequence).
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # vpcform_net::topology! { stack Baseline {} }
    /// let fleet = vpcform_net::StackSet::new(Stack::<Baseline>::new("Baseline"))
    ///     .preferences(vpcform_net::OperationPreferences::default().max_concurrent(vpcform_net::Amount::Count(10)));
    /// ```
    pub fn preferences(mut self, preferences: OperationPreferences) -> StackSet<S> {
        self.set.preferences = preferences;
        self
    }

    /// Self- or service-managed. Default: self-managed with AWS's role names.
    ///
    /// See [`StackSet`] for an example.
    pub fn permission_model(mut self, permissions: PermissionModel) -> StackSet<S> {
        self.set.permissions = permissions;
        self
    }

    /// The value of an existing construct's parameter for every target: a construct of this
    /// stack declared with [`ExistingId::parameter`] takes its ID here (or an SSM name).
    ///
    /// ```
    /// # use vpcform_net::prelude::*;
    /// # use vpcform_net::{ExistingId, ExistingVpc, StackSet};
    /// # vpcform_net::topology! { stack Baseline { vpc Workload } }
    /// let mut stack = Stack::<Baseline>::new("Baseline");
    /// let vpc = stack.add("Vpc", ExistingVpc::<Workload>::builder().id(ExistingId::parameter()).cidr(cidr!("10.100.0.0/16")).build());
    /// stack.add("Endpoints", SecurityGroup::builder().vpc(&vpc).build());
    /// let fleet = StackSet::new(stack)
    ///     .targets(vpcform_net::StackSetTargets::accounts(["111122223333"]))
    ///     .regions(["us-east-1"])
    ///     .parameter(&vpc, ExistingId::id("vpc-0123456789abcdef0"));
    /// let mut app = App::new("fleet");
    /// app.add_stack_set(fleet);
    /// assert!(app.synth().is_ok());
    /// ```
    pub fn parameter(mut self, construct: &impl AnyHandle, value: ExistingId) -> StackSet<S> {
        self.set.values.push(ParameterValue {
            construct: construct.any_handle().clone(),
            value,
        });
        self
    }

    /// A different value of an existing construct's parameter for some of the targets, in
    /// some of the regions (CloudFormation's `ParameterOverrides`): the targets must be among
    /// the stack set's, the regions among its regions.
    ///
    /// See [`StackSet`] for an example.
    pub fn override_for(
        mut self,
        targets: StackSetTargets,
        regions: impl IntoIterator<Item = impl Into<String>>,
        construct: &impl AnyHandle,
        value: ExistingId,
    ) -> StackSet<S> {
        self.set.overrides.push(TargetOverride {
            targets,
            regions: regions.into_iter().map(Into::into).collect(),
            values: vec![ParameterValue {
                construct: construct.any_handle().clone(),
                value,
            }],
        });
        self
    }
}

/// A parameter override as the deployer takes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackSetOverride {
    /// The targets it applies to.
    pub targets: StackSetTargets,
    /// The regions.
    pub regions: Vec<String>,
    /// `(parameter, value)`.
    pub parameters: Vec<(String, String)>,
}

/// A stack set's settings as synthesized: what `manifest.json` records and the deployer takes.
///
/// See [`SynthesizedStack::stack_set`](crate::SynthesizedStack::stack_set).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StackSetSpec {
    /// Where instances go.
    pub targets: StackSetTargets,
    /// In which regions.
    pub regions: Vec<String>,
    /// How operations roll out.
    pub preferences: OperationPreferences,
    /// Who deploys them.
    pub permission_model: PermissionModel,
    /// Parameter values for every target, `(parameter, value)`.
    pub parameters: Vec<(String, String)>,
    /// Values for some targets.
    pub overrides: Vec<StackSetOverride>,
}

impl StackSetTargets {
    /// The accounts.
    ///
    /// ```
    /// assert_eq!(vpcform_net::StackSetTargets::accounts(["111122223333"]).account_ids(), ["111122223333"]);
    /// ```
    pub fn account_ids(&self) -> &[String] {
        &self.accounts
    }

    /// The organizational units.
    ///
    /// ```
    /// assert_eq!(vpcform_net::StackSetTargets::organizational_units(["r-ab12"]).unit_ids(), ["r-ab12"]);
    /// ```
    pub fn unit_ids(&self) -> &[String] {
        &self.organizational_units
    }

    /// The accounts left out of the units.
    ///
    /// ```
    /// let t = vpcform_net::StackSetTargets::organizational_units(["r-ab12"]).except_accounts(["111122223333"]);
    /// assert_eq!(t.excluded_account_ids(), ["111122223333"]);
    /// ```
    pub fn excluded_account_ids(&self) -> &[String] {
        &self.excluded_accounts
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
use crate::environment::is_account_id as is_account;

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

/// Checks a stack set's settings against the rules of the StackSets API, and returns its spec.
pub(crate) fn check(
    stack: &StackDef,
    set: &StackSetDef,
    model: &Model<'_>,
    errors: &mut Vec<SynthError>,
) -> StackSetSpec {
    let name = stack.name.to_string();
    let mut invalid = |what: &str, value: String, fix: String| {
        errors.push(SynthError::InvalidStackSet {
            stack: name.clone(),
            what: what.to_string(),
            value,
            fix,
        })
    };
    let targets = &set.targets;
    let service_managed = matches!(set.permissions, PermissionModel::ServiceManaged { .. });
    if targets.accounts.is_empty() && targets.organizational_units.is_empty() {
        invalid(
            "targets",
            "none".into(),
            "give StackSetTargets::accounts or ::organizational_units".into(),
        );
    }
    for account in targets.accounts.iter().chain(&targets.excluded_accounts) {
        if !is_account(account) {
            invalid(
                "account",
                account.clone(),
                "an account ID is 12 digits".into(),
            );
        }
    }
    for unit in &targets.organizational_units {
        if !is_unit(unit) {
            invalid(
                "organizational unit",
                unit.clone(),
                "an OU ID looks like ou-ab12-11111111, a root's like r-ab12".into(),
            );
        }
    }
    // "Specify Accounts for self-managed permissions, DeploymentTargets (OUs) for
    // service-managed" (CreateStackInstances).
    if service_managed && !targets.accounts.is_empty() {
        invalid(
            "targets",
            targets.accounts.join(", "),
            "service-managed stack sets target organizational units: use \
             StackSetTargets::organizational_units (with except_accounts to leave some out)"
                .into(),
        );
    }
    if !service_managed && !targets.organizational_units.is_empty() {
        invalid(
            "targets",
            targets.organizational_units.join(", "),
            "organizational units need PermissionModel::service_managed(); self-managed stack \
             sets target accounts"
                .into(),
        );
    }
    if let Some(region) = &set.admin_region
        && !crate::regions::is_region_code(region)
    {
        invalid(
            "administrator region",
            region.clone(),
            "a region code looks like us-east-1".into(),
        );
    }
    if !targets.excluded_accounts.is_empty() && targets.organizational_units.is_empty() {
        invalid(
            "excluded accounts",
            targets.excluded_accounts.join(", "),
            "except_accounts leaves accounts out of organizational units; with account \
             targets, leave them out of the list"
                .into(),
        );
    }
    if set.regions.is_empty() {
        invalid(
            "regions",
            "none".into(),
            "give the regions instances go to with .regions([...])".into(),
        );
    }
    for region in set.regions.iter().chain(&set.preferences.region_order) {
        if !crate::regions::is_region_code(region) {
            invalid(
                "region",
                region.clone(),
                "a region code looks like us-east-1".into(),
            );
        }
    }
    for region in &set.preferences.region_order {
        if !set.regions.contains(region) {
            invalid(
                "region order",
                region.clone(),
                format!(
                    "the order lists only the stack set's regions ({})",
                    set.regions.join(", ")
                ),
            );
        }
    }
    let preferences = &set.preferences;
    for (what, amount, min) in [
        ("max concurrent", preferences.max_concurrent, 1),
        ("failure tolerance", preferences.failure_tolerance, 0),
    ] {
        match amount {
            Some(Amount::Percentage(p)) if p > 100 || u32::from(p) < min => invalid(
                what,
                format!("{p}%"),
                format!("a percentage is {min} to 100"),
            ),
            Some(Amount::Count(n)) if n < min => {
                invalid(what, n.to_string(), format!("at least {min}"))
            }
            _ => {}
        }
    }
    // "MaxConcurrentCount is at most one more than the FailureToleranceCount if you're using
    // STRICT_FAILURE_TOLERANCE" (StackSetOperationPreferences).
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
            invalid(
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
    if let PermissionModel::SelfManaged {
        administration_role_arn: Some(arn),
        ..
    } = &set.permissions
        && !(arn.starts_with("arn:aws") && arn.contains(":iam::") && arn.contains(":role/"))
    {
        invalid(
            "administration role",
            arn.clone(),
            "a role ARN looks like arn:aws:iam::111122223333:role/AWSCloudFormationStackSetAdministrationRole"
                .into(),
        );
    }
    // Exports and imports are per account and region: a fleet's would collide or dangle.
    if !stack.imports.is_empty() || stack.outputs.iter().any(|(_, o)| o.export.is_some()) {
        invalid(
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
    // Parameters: each value names an existing construct of this stack, checked like its own.
    let resolve = |value: &ParameterValue,
                   errors: &mut Vec<SynthError>|
     -> Option<(String, String)> {
        let node = (value.construct.key.stack == stack.key)
            .then(|| model.node(value.construct.key))
            .flatten();
        let existing = node.and_then(|node| match node {
            Node::Vpc(n) => n.existing.as_ref().map(|e| (e, ExistingKind::Vpc)),
            Node::Subnet(n) => n.existing.as_ref().map(|e| (e, ExistingKind::Subnet)),
            Node::RouteTable(n) => n.existing.as_ref().map(|e| (e, ExistingKind::RouteTable)),
            Node::SecurityGroup(n) => n
                .existing
                .as_ref()
                .map(|e| (e, ExistingKind::SecurityGroup)),
            _ => None,
        });
        let construct = value.construct.path();
        let Some((declared, kind)) = existing else {
            errors.push(SynthError::InvalidStackSet {
                stack: stack.name.to_string(),
                what: "parameter value".into(),
                value: construct,
                fix: "only existing constructs of the stack set's own stack (ExistingVpc, \
                      ExistingSubnet, ExistingRouteTable, ExistingSecurityGroup) take values \
                      per target"
                    .into(),
            });
            return None;
        };
        if matches!(declared, ExistingId::Id(_)) {
            errors.push(SynthError::InvalidStackSet {
                stack: stack.name.to_string(),
                what: "parameter value".into(),
                value: construct,
                fix: "it is declared with a literal ID: declare it with ExistingId::parameter() \
                      or ::ssm(..) to vary it per target"
                    .into(),
            });
            return None;
        }
        let problem = match &value.value {
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
        };
        if let Some(fix) = problem {
            errors.push(SynthError::InvalidStackSet {
                stack: stack.name.to_string(),
                what: format!("value for {construct}"),
                value: value_text(&value.value),
                fix,
            });
            return None;
        }
        Some((value.construct.id.to_string(), value_text(&value.value)))
    };
    let parameters: Vec<(String, String)> = set
        .values
        .iter()
        .filter_map(|v| resolve(v, errors))
        .collect();
    // A parameter without a default has no value in a target without one: CreateStackSet
    // would refuse it ("Parameters: [..] must have values").
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
            errors.push(SynthError::InvalidStackSet {
                stack: stack.name.to_string(),
                what: "parameter".into(),
                value: stack.path(node.id()),
                fix: format!(
                    "it has no value for the stack set's targets: give one with \
                     .parameter(&{id}, ExistingId::id(..)) (and .override_for(..) where targets \
                     differ), or declare it with ExistingId::ssm(..) so each account reads its own",
                    id = node.id().to_lowercase()
                ),
            });
        }
    }
    let mut overrides = Vec::new();
    for o in &set.overrides {
        if o.regions.is_empty()
            || (o.targets.accounts.is_empty() && o.targets.organizational_units.is_empty())
        {
            errors.push(SynthError::InvalidStackSet {
                stack: stack.name.to_string(),
                what: "override".into(),
                value: o
                    .values
                    .iter()
                    .map(|v| v.construct.path())
                    .collect::<Vec<_>>()
                    .join(", "),
                fix: "an override names at least one target and one region".into(),
            });
        }
        for account in &o.targets.accounts {
            if !targets.accounts.contains(account) {
                errors.push(SynthError::InvalidStackSet {
                    stack: stack.name.to_string(),
                    what: "override target".into(),
                    value: account.clone(),
                    fix: format!(
                        "an override applies to the stack set's own accounts ({})",
                        targets.accounts.join(", ")
                    ),
                });
            }
        }
        for unit in &o.targets.organizational_units {
            if !targets.organizational_units.contains(unit) {
                errors.push(SynthError::InvalidStackSet {
                    stack: stack.name.to_string(),
                    what: "override target".into(),
                    value: unit.clone(),
                    fix: format!(
                        "an override applies to the stack set's own units ({})",
                        targets.organizational_units.join(", ")
                    ),
                });
            }
        }
        for region in &o.regions {
            if !set.regions.contains(region) {
                errors.push(SynthError::InvalidStackSet {
                    stack: stack.name.to_string(),
                    what: "override region".into(),
                    value: region.clone(),
                    fix: format!(
                        "an override applies to the stack set's regions ({})",
                        set.regions.join(", ")
                    ),
                });
            }
        }
        let values: Vec<(String, String)> =
            o.values.iter().filter_map(|v| resolve(v, errors)).collect();
        overrides.push(StackSetOverride {
            targets: o.targets.clone(),
            regions: o.regions.clone(),
            parameters: values,
        });
    }
    StackSetSpec {
        targets: set.targets.clone(),
        regions: set.regions.clone(),
        preferences: set.preferences.clone(),
        permission_model: set.permissions.clone(),
        parameters,
        overrides,
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
