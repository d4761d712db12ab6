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

pub use vpcform_assembly::{
    Amount, OperationPreferences, PermissionModel, StackSetOverride, StackSetSpec, StackSetTargets,
};

use crate::constructs::existing::ExistingId;
use crate::handle::AnyHandle;
use crate::handle::Handle;
use crate::stack::StackDef;
use crate::{Stack, StackMarker};

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
