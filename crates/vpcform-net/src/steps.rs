//! The acceptances synthesis lists for the deployer: the assembly's steps.
//!
//! CloudFormation creates what the program asks for in its own account and region, and some of
//! it then waits for another owner (docs/guide/assembly.md, "Steps"):
//! - a transit gateway peering attachment is `pendingAcceptance` until the accepter transit
//!   gateway's owner accepts it in the accepter's region, even within one account ("The owner of
//!   the accepter transit gateway must accept the peering attachment request": Transit Gateway
//!   guide, "Transit gateway peering attachments");
//! - a VPC attachment from another account than its gateway's waits for the gateway's owner,
//!   unless the gateway accepts shared attachments automatically (`AutoAcceptSharedAttachments`,
//!   "Disabled by default": `AWS::EC2::TransitGateway`);
//! - a RAM share reaches an account outside the organization, or one inside it before sharing
//!   with the organization is enabled, as an invitation its owner accepts (AWS RAM User Guide,
//!   "Accepting and rejecting resource share invitations").
//!
//! A VPC attachment's acceptance is not a step: CloudFormation's create of the attachment waits
//! until it is `available`, so nothing after its stack could accept it (`VF0648` says so; the
//! gateway's `auto_accept_shared_attachments` is the fix).
//!
//! When the app holds both sides, synthesis lists the acceptance as a step in the other side's
//! environment, after the stack that asks (which outputs the ID or ARN the step reads), and
//! makes the stacks that need the accepted attachment — routes and associations over it, VPC
//! attachments to a shared transit gateway, associations with a shared profile — wait for it.
//!
//! Invariant: a step is planned from the model only (never from template text); every stack
//! that names what a step accepts, other than the one asking, depends on the step and on the
//! stack it follows, so the manifest's order and the deployer's agree.

use vpcform_assembly::{ManifestStep, OutputRef, StepAction};
use vpcform_cfn::{Output, Template, TemplateError, Value};

use crate::constructs::profile::ProfileNode;
use crate::constructs::resource_share::ResourceShareNode;
use crate::constructs::transit_gateway::TransitGatewayNode;
use crate::constructs::transit_gateway_peering::TransitGatewayPeeringNode;
use crate::identity::NodeKey;
use crate::model::Model;
use crate::stack::StackDef;

/// One step, with what synthesis adds around it.
pub(crate) struct PlannedStep {
    pub(crate) step: ManifestStep,
    /// The stack that asks (by position): it outputs the step's input.
    producer: usize,
    /// The construct whose `Ref` the step reads.
    logical_id: String,
    /// The output's preferred name (`<Id>AttachmentId`, `<Id>Arn`).
    output: String,
    /// The stacks (by position) that wait for the step.
    pub(crate) dependents: Vec<usize>,
}

/// Every step the app needs, in the order of the constructs that ask.
pub(crate) fn plan(model: &Model<'_>) -> Vec<PlannedStep> {
    let mut steps = Vec::new();
    for (position, stack) in model.stacks.iter().enumerate() {
        for (index, node) in stack.nodes.iter().enumerate() {
            let key = NodeKey {
                stack: stack.key,
                index: index as u32,
            };
            let planner = Planner {
                model,
                position,
                stack,
                key,
            };
            if let Some(peering) = crate::model::Variant::of(node) {
                steps.extend(planner.peering(peering));
            } else if let Some(share) = crate::model::Variant::of(node) {
                steps.extend(planner.invitations(share));
            }
        }
    }
    steps
}

/// Makes each stack that waits for a step wait for the stack the step follows (by position in
/// `depends`, the stacks each waits for), so that the stacks' order puts them after it.
pub(crate) fn order_after_producers(steps: &[PlannedStep], depends: &mut [Vec<usize>]) {
    for planned in steps {
        for &dependent in &planned.dependents {
            if !depends[dependent].contains(&planned.producer) {
                depends[dependent].push(planned.producer);
            }
        }
    }
}

/// Names each step in the `dependsOn` of the synthesized stacks that wait for it.
pub(crate) fn name_in_dependents(
    steps: &[PlannedStep],
    defs: &[StackDef],
    stacks: &mut [crate::assembly::SynthesizedStack],
) {
    for planned in steps {
        for &dependent in &planned.dependents {
            let name = &*defs[dependent].name;
            if let Some(stack) = stacks.iter_mut().find(|s| s.name == name) {
                stack.depends_on.push(planned.step.name.clone());
            }
        }
    }
}

/// Adds to each step's producing template the output its step reads — a program's output of the
/// same value when there is one, else `<Id>AttachmentId` or `<Id>Arn` — and sets the step's input
/// to it.
///
/// # Errors
/// The template's, for an output name the program took for another value.
pub(crate) fn add_outputs(
    steps: &mut [PlannedStep],
    templates: &mut [Option<Template>],
) -> Result<(), (usize, TemplateError)> {
    for planned in steps {
        let Some(template) = templates[planned.producer].as_mut() else {
            continue;
        };
        let value = Value::reference(&planned.logical_id);
        let existing = template
            .outputs()
            .iter()
            .find(|(_, output)| output.value() == &value)
            .map(|(name, _)| name.clone());
        let name = match existing {
            Some(name) => name,
            None => {
                template
                    .add_output(
                        &planned.output,
                        Output::new(value).description(format!(
                            "Read by the deployer's step {} (docs/guide/assembly.md, Steps)",
                            planned.step.name
                        )),
                    )
                    .map_err(|e| (planned.producer, e))?;
                planned.output.clone()
            }
        };
        match &mut planned.step.action {
            StepAction::AcceptTransitGatewayPeeringAttachment { attachment }
            | StepAction::AcceptTransitGatewayVpcAttachment { attachment } => {
                attachment.output = name;
            }
            StepAction::AcceptResourceShareInvitation { resource_share } => {
                resource_share.output = name;
            }
        }
    }
    Ok(())
}

/// What a construct at `key` of stack `position` asks of another owner.
struct Planner<'m> {
    model: &'m Model<'m>,
    position: usize,
    stack: &'m StackDef,
    key: NodeKey,
}

impl<'m> Planner<'m> {
    /// A peering whose accepter is the app's: accepted in the accepter's environment; the
    /// stacks routing over it or associating it wait.
    fn peering(&self, peering: &TransitGatewayPeeringNode) -> Option<PlannedStep> {
        let accepter = peering.accepter()?;
        let accepter_stack = self.model.stack(accepter.stack)?;
        let mut step = ManifestStep::new(
            crate::model::acceptance_step(self.model, self.key),
            StepAction::AcceptTransitGatewayPeeringAttachment {
                attachment: OutputRef::new(&*self.stack.name, ""),
            },
        );
        step.environment = accepter_stack.environment();
        Some(self.planned(
            step,
            &peering.id,
            format!("{}AttachmentId", peering.id),
            self.peering_users(),
        ))
    }

    /// A share's invitation to each account principal the app deploys to, other than the
    /// share's own: accepted there, in the share's region; that account's stacks attaching to a
    /// shared transit gateway or associating a shared profile wait. (Inside the organization
    /// with sharing enabled there is no invitation, and the step finds none: the app cannot
    /// know which, so it always asks.)
    fn invitations(&self, share: &ResourceShareNode) -> Vec<PlannedStep> {
        let mut steps = Vec::new();
        // An invitation is regional and to another account than the share's: with the share's
        // account or Region unknown (an unpinned stack), neither can be told, and nothing is
        // planned (the share's own account would be invited, or the wrong Region searched).
        let (Some(own), Some(_)) = (self.stack.account.as_deref(), self.stack.region.as_deref())
        else {
            return steps;
        };
        for principal in share.principals() {
            if !crate::arn::is_account_id(principal) || own == principal.as_str() {
                continue;
            }
            // The principal's credentials: a stack of that account, of the share's region if
            // the app has one there.
            let of_account = || {
                self.model
                    .stacks
                    .iter()
                    .filter(|s| s.account.as_deref() == Some(principal.as_str()))
            };
            let Some(there) = of_account()
                .find(|s| s.region == self.stack.region)
                .or_else(|| of_account().next())
            else {
                continue;
            };
            let mut step = ManifestStep::new(
                format!("Accept-{}-{}-{principal}", self.stack.name, share.id),
                StepAction::AcceptResourceShareInvitation {
                    resource_share: OutputRef::new(&*self.stack.name, ""),
                },
            );
            step.environment = vpcform_assembly::Environment {
                region: self.stack.region.clone(),
                ..there.environment()
            };
            let mut dependents = Vec::new();
            for resource in share.resource_keys() {
                for user in self.users_of_shared(resource) {
                    let account = self
                        .model
                        .stack(user.stack)
                        .and_then(|s| s.account.as_deref());
                    if account == Some(principal.as_str()) {
                        self.push_stack(&mut dependents, user);
                    }
                }
            }
            steps.push(self.planned(step, &share.id, format!("{}Arn", share.id), dependents));
        }
        steps
    }

    fn planned(
        &self,
        step: ManifestStep,
        logical_id: &str,
        output: String,
        dependents: Vec<usize>,
    ) -> PlannedStep {
        PlannedStep {
            step,
            producer: self.position,
            logical_id: logical_id.to_string(),
            output,
            dependents,
        }
    }

    /// The stacks, other than this one, with a construct that routes over or associates the
    /// attachment `key`.
    fn users(&self, key: NodeKey) -> Vec<usize> {
        let mut stacks = Vec::new();
        for &user in self.model.attachment_users(key) {
            self.push_stack(&mut stacks, user);
        }
        stacks
    }

    /// The stacks routing over or associating this peering, and those taking its accepter's
    /// attachment ID from the step (`PeeringAccepterAttachment::accepted`).
    fn peering_users(&self) -> Vec<usize> {
        let mut stacks = self.users(self.key);
        for (position, stack) in self.model.stacks.iter().enumerate() {
            let takes = stack
                .accepted
                .iter()
                .any(|a| a.peering.as_ref().is_some_and(|h| h.key == self.key));
            if takes && position != self.position && !stacks.contains(&position) {
                stacks.push(position);
            }
        }
        stacks
    }

    /// What uses a shared construct: a transit gateway's VPC attachments, a profile's VPC
    /// associations, the endpoints and associations naming a Lattice service network or
    /// resource configuration. (A subnet shared is used by what another account places in it,
    /// which the model does not hold across accounts: nothing waits for it.)
    fn users_of_shared(&self, resource: NodeKey) -> Vec<NodeKey> {
        if self.model.get_key::<TransitGatewayNode>(resource).is_some() {
            return self.model.attachments_of(resource).to_vec();
        }
        if self.model.get_key::<ProfileNode>(resource).is_some() {
            return self.model.profile_associations_of(resource).to_vec();
        }
        self.model.shared_users(resource).to_vec()
    }

    fn push_stack(&self, stacks: &mut Vec<usize>, user: NodeKey) {
        if user.stack == self.stack.key {
            return;
        }
        if let Some(position) = self.model.position(user.stack)
            && !stacks.contains(&position)
        {
            stacks.push(position);
        }
    }
}
