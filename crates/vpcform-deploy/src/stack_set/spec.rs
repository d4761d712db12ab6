//! What a program asks of a stack set: targets, regions, preferences, permissions, overrides.

use std::fmt;

/// A number of accounts or a percentage of a region's.
///
/// ```
/// let amount = vpcform_deploy::Amount::Count(2);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    /// Accounts.
    Count(u32),
    /// Percent of a region's accounts.
    Percentage(u8),
}

/// `StackSetOperationPreferences`.
///
/// ```
/// let p = vpcform_deploy::OperationPreferences { parallel_regions: true, ..Default::default() };
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OperationPreferences {
    /// `MaxConcurrentCount`/`Percentage`; `None`: AWS's 1.
    pub max_concurrent: Option<Amount>,
    /// `FailureToleranceCount`/`Percentage` per region; `None`: AWS's 0.
    pub failure_tolerance: Option<Amount>,
    /// `ConcurrencyMode` `SOFT_FAILURE_TOLERANCE`.
    pub soft_failure_tolerance: bool,
    /// `RegionConcurrencyType` `PARALLEL`.
    pub parallel_regions: bool,
    /// `RegionOrder`.
    pub region_order: Vec<String>,
}

/// Who deploys a stack set's instances.
///
/// ```
/// let p = vpcform_deploy::PermissionModel::SelfManaged { administration_role_arn: None, execution_role_name: None };
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermissionModel {
    /// `SELF_MANAGED`, with the roles (AWS's default names when `None`).
    SelfManaged {
        /// `AdministrationRoleARN`.
        administration_role_arn: Option<String>,
        /// `ExecutionRoleName`.
        execution_role_name: Option<String>,
    },
    /// `SERVICE_MANAGED` through AWS Organizations.
    ServiceManaged {
        /// `AutoDeployment.Enabled`.
        auto_deploy: bool,
        /// `AutoDeployment.RetainStacksOnAccountRemoval`.
        retain_stacks_on_account_removal: bool,
        /// `CallAs` `DELEGATED_ADMIN`.
        delegated_admin: bool,
    },
}

/// Where a stack set's instances go, and parameter values for some of them.
///
/// ```
/// let spec = vpcform_deploy::StackSetSpec {
///     accounts: vec!["111122223333".into()],
///     regions: vec!["us-east-1".into()],
///     ..Default::default()
/// };
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackSetSpec {
    /// Target accounts (self-managed).
    pub accounts: Vec<String>,
    /// Target organizational units (service-managed).
    pub organizational_units: Vec<String>,
    /// Accounts left out of the units.
    pub excluded_accounts: Vec<String>,
    /// Regions, in every target.
    pub regions: Vec<String>,
    /// How operations roll out.
    pub preferences: OperationPreferences,
    /// Who deploys.
    pub permission_model: PermissionModel,
    /// Values for some targets (`ParameterOverrides`).
    pub overrides: Vec<StackSetOverride>,
}

impl Default for StackSetSpec {
    fn default() -> Self {
        StackSetSpec {
            accounts: Vec::new(),
            organizational_units: Vec::new(),
            excluded_accounts: Vec::new(),
            regions: Vec::new(),
            preferences: OperationPreferences::default(),
            permission_model: PermissionModel::SelfManaged {
                administration_role_arn: None,
                execution_role_name: None,
            },
            overrides: Vec::new(),
        }
    }
}

/// Parameter values for some targets in some regions.
///
/// ```
/// let o = vpcform_deploy::StackSetOverride {
///     accounts: vec!["111122223333".into()],
///     organizational_units: vec![],
///     regions: vec!["eu-west-1".into()],
///     parameters: vec![("Vpc".into(), "vpc-0123456789abcdef0".into())],
/// };
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackSetOverride {
    /// Accounts.
    pub accounts: Vec<String>,
    /// Organizational units.
    pub organizational_units: Vec<String>,
    /// Regions.
    pub regions: Vec<String>,
    /// `(parameter, value)`.
    pub parameters: Vec<(String, String)>,
}

/// An instance an operation could not deploy, and AWS's reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceFailure {
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// `FAILED` or `CANCELLED`.
    pub status: String,
    /// AWS's `StatusReason`.
    pub reason: String,
}

impl fmt::Display for InstanceFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: {}",
            self.account, self.region, self.status, self.reason
        )
    }
}
