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

mod check;

pub(crate) use check::check;

use std::marker::PhantomData;

use serde::Serialize;

use crate::constructs::existing::ExistingId;
use crate::handle::AnyHandle;
use crate::handle::Handle;
use crate::stack::StackDef;
use crate::{Stack, StackMarker};

/// Where a stack set's instances go: accounts (self-managed permissions), or organizational
/// units, every account in them and their children except those excluded (service-managed).
///
/// ```
/// use vpcform_net::deployment::StackSetTargets;
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
/// let at_once = vpcform_net::deployment::Amount::Percentage(25);
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
/// use vpcform_net::deployment::{Amount, OperationPreferences};
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
    /// let p = vpcform_net::deployment::OperationPreferences::default().parallel_regions();
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
/// use vpcform_net::deployment::PermissionModel;
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
    /// let p = vpcform_net::deployment::PermissionModel::service_managed().auto_deploy(true).retain_stacks_on_account_removal(true);
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
    /// let p = vpcform_net::deployment::PermissionModel::service_managed().delegated_admin();
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
    /// let p = vpcform_net::deployment::PermissionModel::self_managed()
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
/// use vpcform_net::deployment::{PermissionModel, StackSet, StackSetTargets};
/// use vpcform_net::existing::{ExistingId, ExistingVpc};
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
/// # Ok::<(), vpcform_net::findings::SynthErrors>(())
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
    /// let fleet = vpcform_net::deployment::StackSet::new(Stack::<Baseline>::new("Baseline"))
    ///     .preferences(vpcform_net::deployment::OperationPreferences::default().max_concurrent(vpcform_net::deployment::Amount::Count(10)));
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
    /// # use vpcform_net::deployment::StackSet;
    /// # use vpcform_net::existing::{ExistingId, ExistingVpc};
    /// # vpcform_net::topology! { stack Baseline { vpc Workload } }
    /// let mut stack = Stack::<Baseline>::new("Baseline");
    /// let vpc = stack.add("Vpc", ExistingVpc::<Workload>::builder().id(ExistingId::parameter()).cidr(cidr!("10.100.0.0/16")).build());
    /// stack.add("Endpoints", SecurityGroup::builder().vpc(&vpc).build());
    /// let fleet = StackSet::new(stack)
    ///     .targets(vpcform_net::deployment::StackSetTargets::accounts(["111122223333"]))
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
    /// assert_eq!(vpcform_net::deployment::StackSetTargets::accounts(["111122223333"]).account_ids(), ["111122223333"]);
    /// ```
    pub fn account_ids(&self) -> &[String] {
        &self.accounts
    }

    /// The organizational units.
    ///
    /// ```
    /// assert_eq!(vpcform_net::deployment::StackSetTargets::organizational_units(["r-ab12"]).unit_ids(), ["r-ab12"]);
    /// ```
    pub fn unit_ids(&self) -> &[String] {
        &self.organizational_units
    }

    /// The accounts left out of the units.
    ///
    /// ```
    /// let t = vpcform_net::deployment::StackSetTargets::organizational_units(["r-ab12"]).except_accounts(["111122223333"]);
    /// assert_eq!(t.excluded_account_ids(), ["111122223333"]);
    /// ```
    pub fn excluded_account_ids(&self) -> &[String] {
        &self.excluded_accounts
    }
}
