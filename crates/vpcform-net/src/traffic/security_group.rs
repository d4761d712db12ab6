//! Whether an endpoint's security groups admit the flow, over IPv4 and IPv6, and what to
//! say when they do not.

use crate::constructs::security_group::SecurityGroupNode;
use crate::handle::Handle;
use crate::identity::NodeKey;

use super::{Context, Outcome, PathKind};

impl Context<'_> {
    /// Whether the security groups admit this subnet (or the workload's groups) on the port;
    /// `Err` names the groups when they do not.
    pub(super) fn admitted(&self, groups: &[Handle]) -> Result<(), String> {
        if self.flow.ipv6 {
            return self.admitted_ipv6(groups);
        }
        let Some(cidr) = self.cidr() else {
            return Ok(()); // An unparsable block is reported by synthesis itself.
        };
        let admits = groups.iter().any(|group| {
            self.model
                .get::<SecurityGroupNode>(group)
                .is_some_and(|sg| {
                    sg.ingress.iter().any(|rule| {
                        rule.admits(cidr, &self.workload.security_groups, &self.flow.port)
                    })
                })
        });
        if admits {
            Ok(())
        } else {
            Err(groups
                .iter()
                .map(Handle::path)
                .collect::<Vec<_>>()
                .join(", "))
        }
    }

    /// [`Self::admitted`] for IPv6: a rule from `::/0`, from the VPC's IPv6 block
    /// (`Peer::vpc_ipv6`) or from the workload's groups admits.
    fn admitted_ipv6(&self, groups: &[Handle]) -> Result<(), String> {
        if groups
            .iter()
            .any(|g| self.ipv6_answers(g).any(|a| a == Some(true)))
        {
            Ok(())
        } else {
            Err(groups
                .iter()
                .map(Handle::path)
                .collect::<Vec<_>>()
                .join(", "))
        }
    }

    /// The first of `groups` with an IPv6 rule vpcform cannot judge (a block other than
    /// `::/0`, or a prefix list, against addresses AWS assigns at deploy).
    fn undecided_ipv6(&self, groups: &[Handle]) -> Option<String> {
        groups
            .iter()
            .find(|g| self.ipv6_answers(g).any(|a| a.is_none()))
            .map(Handle::path)
    }

    /// What each inbound rule of `group` answers for this flow over IPv6
    /// (`RuleDef::admits_ipv6`: admits, does not, cannot tell).
    fn ipv6_answers<'s>(&'s self, group: &Handle) -> impl Iterator<Item = Option<bool>> + 's {
        self.model
            .get::<SecurityGroupNode>(group)
            .into_iter()
            .flat_map(|sg| sg.ingress.iter())
            .map(|rule| {
                rule.admits_ipv6(
                    self.subnet.vpc,
                    &self.workload.security_groups,
                    &self.flow.port,
                )
            })
    }

    /// The outcome when the security groups of `via` do not admit the flow: unknown where
    /// vpcform cannot judge a rule, unreachable otherwise.
    pub(super) fn unreachable_by_security_group(
        &self,
        via: NodeKey,
        groups: &str,
        handles: &[Handle],
    ) -> Outcome {
        let cidr = if self.flow.ipv6 {
            format!("the IPv6 block of {}", self.subnet.path())
        } else {
            self.cidr().map(|c| c.to_string()).unwrap_or_default()
        };
        let reason = if handles.is_empty() {
            format!(
                "the endpoint has no security group of ours (the VPC's default group decides) and none admits {cidr}"
            )
        } else {
            format!(
                "the endpoint's security group {groups} does not admit {cidr} on {}",
                self.flow.port
            )
        };
        if self.flow.ipv6
            && let Some(group) = self.undecided_ipv6(handles)
        {
            return self.result(
                PathKind::Unknown,
                Some(via),
                Some(format!(
                    "security group {group} admits IPv6 by a block or prefix list that vpcform \
                     cannot compare with {cidr}, which AWS assigns at deploy"
                )),
                Some(format!(
                    "check that it covers the VPC's block, or admit it with Peer::vpc_ipv6 on {}",
                    self.flow.port
                )),
            );
        }
        let existing: Vec<String> = handles
            .iter()
            .filter(|h| {
                self.model
                    .get::<SecurityGroupNode>(h)
                    .is_some_and(|g| g.existing.is_some())
            })
            .map(Handle::path)
            .collect();
        if !existing.is_empty() {
            return self.result(
                PathKind::Unknown,
                Some(via),
                Some(format!(
                    "whether {cidr} is admitted on {} depends on existing security group {}, whose rules vpcform does not know",
                    self.flow.port,
                    existing.join(", ")
                )),
                Some(format!(
                    "check that {} admits {cidr} on {}, or add a security group of vpcform's that does",
                    existing.join(", "),
                    self.flow.port
                )),
            );
        }
        let rest = format!(" on {} in {groups}", self.flow.port);
        let fix = self
            .fix_for_sources("admit", rest.clone())
            .unwrap_or_else(|| format!("admit {cidr}{rest}"));
        self.result(PathKind::Unreachable, Some(via), Some(reason), Some(fix))
    }
}
