//! Steps: what the deployer does between stacks because CloudFormation cannot — accepting what
//! another account or region asked for.
//!
//! A transit gateway peering attachment is created `pendingAcceptance` and must be accepted by
//! the accepter transit gateway's owner in the accepter's region, even within one account; a
//! VPC attachment to a transit gateway of another account that does not auto-accept shared
//! attachments waits for the owner's acceptance; a resource share reaches an account outside
//! the organization (or one of it before sharing with the organization is enabled) as an
//! invitation. None of these has a CloudFormation resource, and a route or an association
//! naming an attachment that is not yet `available` fails. So the manifest lists each as a
//! [`ManifestStep`]: run in the accepter's environment after the stack that asks, and before
//! the stacks that need the accepted attachment (whose `dependsOn` names the step).

use serde::{Deserialize, Serialize};

use crate::Environment;

/// A step of the deployment that is not a stack: an acceptance, in the accepter's environment.
///
/// ```
/// use vpcform_assembly::{ManifestStep, OutputRef, StepAction};
/// let step = ManifestStep::new(
///     "AcceptEastToWest",
///     StepAction::AcceptTransitGatewayPeeringAttachment {
///         attachment: OutputRef::new("NetworkEast", "ToWestAttachmentId"),
///     },
/// );
/// assert_eq!(step.action.inputs()[0].stack, "NetworkEast");
/// assert_eq!(step.action.outputs(), ["TransitGatewayAttachmentId", "AccepterTransitGatewayAttachmentId"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestStep {
    /// The step's name: unique among the manifest's stacks and steps (a stack's `dependsOn`
    /// and a parameter import's `stack` may name it).
    pub name: String,
    /// What the deployer does.
    pub action: StepAction,
    /// Where: the accepter's account, region and credentials.
    #[serde(flatten)]
    pub environment: Environment,
    /// The stacks (or steps) that must be deployed first: those whose outputs it reads, and
    /// the one that asks for what it accepts.
    pub depends_on: Vec<String>,
}

impl ManifestStep {
    /// A step named `name` taking `action` in the ambient environment, depending on the stacks
    /// its action reads.
    ///
    /// See [`ManifestStep`] for an example.
    pub fn new(name: impl Into<String>, action: StepAction) -> ManifestStep {
        let mut depends_on: Vec<String> = Vec::new();
        for input in action.inputs() {
            if !depends_on.contains(&input.stack) {
                depends_on.push(input.stack.clone());
            }
        }
        ManifestStep {
            name: name.into(),
            action,
            environment: Environment::default(),
            depends_on,
        }
    }
}

/// What a step does: one AWS call (with the reads that make it idempotent), named by its API
/// action. Each takes the ID or ARN it accepts from a stack's output.
///
/// See [`ManifestStep`] for an example.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
pub enum StepAction {
    /// EC2 `AcceptTransitGatewayPeeringAttachment`, in the accepter transit gateway's account
    /// and region, then waiting for the attachment to be `available`. Already `available`:
    /// nothing to do. Its outputs: `TransitGatewayAttachmentId` and
    /// `AccepterTransitGatewayAttachmentId` (what the accepter's routes and association name).
    AcceptTransitGatewayPeeringAttachment {
        /// The requester's peering attachment ID (`tgw-attach-…`).
        attachment: OutputRef,
    },
    /// EC2 `AcceptTransitGatewayVpcAttachment`, in the transit gateway owner's account and
    /// region, then waiting for `available`. Its output: `TransitGatewayAttachmentId`.
    AcceptTransitGatewayVpcAttachment {
        /// The VPC attachment's ID (`tgw-attach-…`).
        attachment: OutputRef,
    },
    /// AWS RAM `AcceptResourceShareInvitation` for the share's pending invitation to the
    /// step's account, in the share's region. No invitation (the account is in the
    /// organization and sharing with it is enabled) or one already accepted: nothing to do.
    /// Its output: `ResourceShareArn`.
    AcceptResourceShareInvitation {
        /// The resource share's ARN.
        resource_share: OutputRef,
    },
}

impl StepAction {
    /// The stack outputs the action reads.
    ///
    /// See [`ManifestStep`] for an example.
    pub fn inputs(&self) -> [&OutputRef; 1] {
        match self {
            StepAction::AcceptTransitGatewayPeeringAttachment { attachment }
            | StepAction::AcceptTransitGatewayVpcAttachment { attachment } => [attachment],
            StepAction::AcceptResourceShareInvitation { resource_share } => [resource_share],
        }
    }

    /// The outputs the step gives once done, which a later stack's parameter import may name
    /// (`{"stack": <step>, "output": <key>}`).
    ///
    /// See [`ManifestStep`] for an example.
    pub fn outputs(&self) -> &'static [&'static str] {
        match self {
            StepAction::AcceptTransitGatewayPeeringAttachment { .. } => &[
                "TransitGatewayAttachmentId",
                "AccepterTransitGatewayAttachmentId",
            ],
            StepAction::AcceptTransitGatewayVpcAttachment { .. } => &["TransitGatewayAttachmentId"],
            StepAction::AcceptResourceShareInvitation { .. } => &["ResourceShareArn"],
        }
    }

    /// The AWS API action's name, as the manifest's `type` writes it.
    ///
    /// ```
    /// use vpcform_assembly::{OutputRef, StepAction};
    /// let action = StepAction::AcceptResourceShareInvitation {
    ///     resource_share: OutputRef::new("Network", "ShareArn"),
    /// };
    /// assert_eq!(action.api_action(), "AcceptResourceShareInvitation");
    /// ```
    pub fn api_action(&self) -> &'static str {
        match self {
            StepAction::AcceptTransitGatewayPeeringAttachment { .. } => {
                "AcceptTransitGatewayPeeringAttachment"
            }
            StepAction::AcceptTransitGatewayVpcAttachment { .. } => {
                "AcceptTransitGatewayVpcAttachment"
            }
            StepAction::AcceptResourceShareInvitation { .. } => "AcceptResourceShareInvitation",
        }
    }
}

/// A stack's output, by the stack's name and the output's key.
///
/// ```
/// let output = vpcform_assembly::OutputRef::new("Network", "TgwId");
/// assert_eq!(output.to_string(), "Network's output TgwId");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputRef {
    /// The stack.
    pub stack: String,
    /// The output's key.
    pub output: String,
}

impl OutputRef {
    /// Output `output` of stack `stack`.
    ///
    /// See [`OutputRef`] for an example.
    pub fn new(stack: impl Into<String>, output: impl Into<String>) -> OutputRef {
        OutputRef {
            stack: stack.into(),
            output: output.into(),
        }
    }
}

impl std::fmt::Display for OutputRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}'s output {}", self.stack, self.output)
    }
}
