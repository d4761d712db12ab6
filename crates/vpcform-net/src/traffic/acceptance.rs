//! Transit gateway attachments that wait for acceptance: an attachment from another account
//! than the gateway's (the gateway shared with it through AWS RAM) stays `pendingAcceptance`
//! until the gateway's owner accepts it, unless the gateway accepts shared attachments
//! automatically ("AutoAcceptSharedAttachments: Enable or disable automatic acceptance of
//! attachment requests. Disabled by default": `AWS::EC2::TransitGateway`; Transit Gateway
//! guide, "Accept a shared attachment"). A flow over one is private once accepted, and nothing
//! flows before: `PathKind::PendingAcceptance`, with the owner's step as the fix, as for an
//! endpoint service that requires acceptance.

use crate::constructs::transit_gateway::TransitGatewayNode;
use crate::constructs::transit_gateway_attachment::TransitGatewayAttachmentNode;
use crate::identity::NodeKey;
use crate::model::Placement;

use super::{Context, Outcome, PathKind};

impl Context<'_> {
    /// The outcome after the attachments it crosses: pending acceptance when one of them is of
    /// another account than its gateway, which does not accept it automatically.
    pub(super) fn through_acceptance(&self, outcome: Outcome) -> Outcome {
        let (path, via, hops) = outcome;
        if !path.path.is_private() || path.path == PathKind::PendingAcceptance {
            return (path, via, hops);
        }
        let Some((attachment, tgw, account)) = hops.iter().find_map(|&hop| self.waiting(hop))
        else {
            return (path, via, hops);
        };
        let attachment_path = self.model.path(attachment);
        let tgw_path = self.model.path(tgw);
        let region = self
            .model
            .stack(tgw.stack)
            .and_then(|s| s.region.as_deref())
            .map(|r| format!(" --region {r}"))
            .unwrap_or_default();
        let pending = super::SubnetPath {
            path: PathKind::PendingAcceptance,
            reason: Some(format!(
                "attachment {attachment_path} is of another account than transit gateway \
                 {tgw_path} ({account}'s), which does not accept shared attachments \
                 automatically: it stays pendingAcceptance, and carries nothing, until the \
                 gateway's owner accepts it"
            )),
            fix: Some(format!(
                "set auto_accept_shared_attachments(true) on {tgw_path}; otherwise account \
                 {account} accepts it while its stack creates, as CloudFormation waits for it \
                 (aws ec2 accept-transit-gateway-vpc-attachment --transit-gateway-attachment-id \
                 <{attachment_path}'s ID>{region})"
            )),
            ..path
        };
        (pending, via, hops)
    }

    /// `(attachment, its gateway, the gateway's account)` when `hop` is an attachment of
    /// another account than its gateway's, which does not accept it automatically.
    fn waiting(&self, hop: NodeKey) -> Option<(NodeKey, NodeKey, String)> {
        let attachment = self.model.get_key::<TransitGatewayAttachmentNode>(hop)?;
        let tgw = attachment.transit_gateway_key()?;
        let node = self.model.get_key::<TransitGatewayNode>(tgw)?;
        if node.auto_accept_shared_attachments {
            return None;
        }
        // Another account, as both stacks pin them (an unpinned one is the attachment's own
        // finding, VF0950).
        match self.model.same_account(hop, tgw) {
            Placement::Different(_, owner) => Some((hop, tgw, owner.to_string())),
            Placement::Same | Placement::Unknown { .. } => None,
        }
    }
}
