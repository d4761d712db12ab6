//! A stack set's settings as synthesized: targets, regions, operation preferences, permission
//! model, parameter values and per-target overrides. Every field names its StackSets API
//! counterpart (docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/):
//! `DeploymentTargets`, `StackSetOperationPreferences`, `CreateStackSet`, `AutoDeployment`.

use serde::{Deserialize, Serialize};

/// Where a stack set's instances go: accounts (self-managed permissions), or organizational
/// units, every account in them and their children except those excluded (service-managed).
///
/// ```
/// use vpcform_assembly::StackSetTargets;
/// let accounts = StackSetTargets::accounts(["111122223333", "444455556666"]);
/// let ous = StackSetTargets::organizational_units(["ou-ab12-11111111"]).except_accounts(["111122223333"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StackSetTargets {
    /// Target accounts, 12 digits each (self-managed permissions).
    pub accounts: Vec<String>,
    /// Target organizational units (`ou-…`) or roots (`r-…`), children included
    /// (service-managed permissions).
    pub organizational_units: Vec<String>,
    /// Accounts of the units left out (`AccountFilterType` `DIFFERENCE`).
    pub excluded_accounts: Vec<String>,
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
/// let at_once = vpcform_assembly::Amount::Percentage(25);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
/// use vpcform_assembly::{Amount, OperationPreferences};
/// let preferences = OperationPreferences::default()
///     .max_concurrent(Amount::Percentage(25))
///     .failure_tolerance(Amount::Count(2))
///     .soft_failure_tolerance()
///     .region_order(["us-east-1", "eu-west-1"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationPreferences {
    /// `MaxConcurrentCount`/`Percentage`. Default: 1 account at a time (AWS's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent: Option<Amount>,
    /// `FailureToleranceCount`/`Percentage`, per region. Default: 0 (AWS's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_tolerance: Option<Amount>,
    /// `ConcurrencyMode` `SOFT_FAILURE_TOLERANCE`: concurrency does not shrink as failures
    /// occur. Default: `STRICT_FAILURE_TOLERANCE` (AWS's).
    pub soft_failure_tolerance: bool,
    /// `RegionConcurrencyType` `PARALLEL`. Default: one region after another.
    pub parallel_regions: bool,
    /// `RegionOrder`. Default: CloudFormation's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
    /// let p = vpcform_assembly::OperationPreferences::default().parallel_regions();
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
/// use vpcform_assembly::PermissionModel;
/// let own_roles = PermissionModel::self_managed();
/// let organizations = PermissionModel::service_managed().auto_deploy(true);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
        #[serde(default, skip_serializing_if = "Option::is_none")]
        administration_role_arn: Option<String>,
        /// `ExecutionRoleName`. Default (AWS's): `AWSCloudFormationStackSetExecutionRole`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// Self-managed with AWS's default role names.
impl Default for PermissionModel {
    fn default() -> Self {
        PermissionModel::self_managed()
    }
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
    /// let p = vpcform_assembly::PermissionModel::service_managed().auto_deploy(true).retain_stacks_on_account_removal(true);
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
    /// let p = vpcform_assembly::PermissionModel::service_managed().delegated_admin();
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
    /// let p = vpcform_assembly::PermissionModel::self_managed()
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

/// Parameter values for some of a stack set's targets, in some of its regions
/// (`ParameterOverrides`).
///
/// ```
/// let o = vpcform_assembly::StackSetOverride {
///     targets: vpcform_assembly::StackSetTargets::accounts(["111122223333"]),
///     regions: vec!["eu-west-1".into()],
///     parameters: vec![("Vpc".into(), "vpc-0123456789abcdef0".into())],
/// };
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
/// ```
/// use vpcform_assembly::{PermissionModel, StackSetSpec, StackSetTargets};
/// let spec = StackSetSpec {
///     targets: StackSetTargets::organizational_units(["ou-ab12-11111111"]),
///     regions: vec!["us-east-1".into()],
///     permission_model: PermissionModel::service_managed().auto_deploy(true),
///     ..Default::default()
/// };
/// assert!(spec.overrides.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
    /// assert_eq!(vpcform_assembly::StackSetTargets::accounts(["111122223333"]).account_ids(), ["111122223333"]);
    /// ```
    pub fn account_ids(&self) -> &[String] {
        &self.accounts
    }

    /// The organizational units.
    ///
    /// ```
    /// assert_eq!(vpcform_assembly::StackSetTargets::organizational_units(["r-ab12"]).unit_ids(), ["r-ab12"]);
    /// ```
    pub fn unit_ids(&self) -> &[String] {
        &self.organizational_units
    }

    /// The accounts left out of the units.
    ///
    /// ```
    /// let t = vpcform_assembly::StackSetTargets::organizational_units(["r-ab12"]).except_accounts(["111122223333"]);
    /// assert_eq!(t.excluded_account_ids(), ["111122223333"]);
    /// ```
    pub fn excluded_account_ids(&self) -> &[String] {
        &self.excluded_accounts
    }
}
