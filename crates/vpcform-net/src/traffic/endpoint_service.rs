//! Flows to endpoint services (PrivateLink): the interface endpoint, its security groups,
//! the load balancers' listeners and security groups, the allowed accounts, acceptance.

use crate::constructs::endpoint_service::EndpointServiceNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::network_load_balancer::NetworkLoadBalancerNode;
use crate::constructs::security_group::{RuleDef, SecurityGroupNode};
use crate::handle::Handle;
use crate::identity::NodeKey;
use crate::stack::StackDef;
use crate::{Ipv4Cidr, Port};

use super::{Context, Outcome, PathKind};

impl Context<'_> {
    /// An endpoint service of the app: each step in turn, the first that fails decides.
    pub(super) fn to_endpoint_service(&self, service: &Handle) -> Outcome {
        let service_path = service.path();
        let (Some(service_node), Some(provider)) = (
            self.model.get::<EndpointServiceNode>(service),
            self.model.stack(service.key.stack),
        ) else {
            // Reported by `analyze` as a flow not in the app.
            return self.result(PathKind::Unreachable, None, None, None);
        };
        let Some(vpc) = self.subnet.vpc else {
            return self.result(
                PathKind::Unreachable,
                None,
                Some("the subnet has no VPC".into()),
                None,
            );
        };
        let vpc_path = self.model.path(vpc);
        // 1. An interface endpoint in the workload's VPC connected to this service.
        let endpoint = self
            .model
            .in_vpc::<InterfaceEndpointNode>(vpc)
            .find(|(key, _)| {
                self.model
                    .service_of(*key)
                    .is_some_and(|(s, _)| s == service.key)
            });
        let Some((endpoint_key, endpoint)) = endpoint else {
            return self.result(
                PathKind::Unreachable,
                None,
                Some(format!(
                    "no interface endpoint to {service_path} in VPC {vpc_path}"
                )),
                Some(format!(
                    "add an InterfaceEndpoint to {service_path} in VPC {vpc_path}"
                )),
            );
        };
        let via = Some(endpoint_key);
        // 1b. Over IPv6: the endpoint and the service both speak it.
        if self.flow.ipv6
            && let Some(outcome) =
                self.endpoint_service_ipv6(&service_path, service_node, endpoint_key, endpoint)
        {
            return outcome;
        }
        // 2. The endpoint's security groups admit the workload.
        if let Err(groups) = self.admitted(&endpoint.security_groups) {
            return self.unreachable_by_security_group(
                endpoint_key,
                &groups,
                &endpoint.security_groups,
            );
        }
        // 3. A listener on the port, on one of the service's load balancers.
        let listening = self.listening(service_node);
        if listening.is_empty() {
            return self.result(
                PathKind::Unreachable,
                via,
                Some(format!(
                    "no listener on {} on {service_path}'s load balancer",
                    self.flow.port
                )),
                Some(format!(
                    "add a Listener on {} to the load balancer",
                    self.flow.port
                )),
            );
        }
        // 4. The NLBs' security groups; 5. the allowed accounts; 6. acceptance.
        if let Some(outcome) = self.refused_by_load_balancer(&listening, via) {
            return outcome;
        }
        if let Some(outcome) = self.account_not_allowed(&service_path, service_node, provider, via)
        {
            return outcome;
        }
        if service_node.acceptance_required {
            return self.pending_acceptance(&service_path, endpoint_key);
        }
        self.result(PathKind::InterfaceEndpoint, via, None, None)
    }

    /// Over IPv6: the endpoint has IPv6 addresses and AAAA records for its own names, and the
    /// service accepts IPv6 (SupportedIpAddressTypes). `None` when both hold.
    fn endpoint_service_ipv6(
        &self,
        service_path: &str,
        service_node: &EndpointServiceNode,
        endpoint_key: NodeKey,
        endpoint: &InterfaceEndpointNode,
    ) -> Option<Outcome> {
        let via = Some(endpoint_key);
        if let Err((why, fix)) = endpoint.answers_ipv6(false) {
            return Some(self.result(
                PathKind::Unreachable,
                via,
                Some(format!(
                    "interface endpoint {} connects over IPv4 only: {why}",
                    self.model.path(endpoint_key)
                )),
                Some(fix),
            ));
        }
        if !service_node.supports_ipv6 {
            return Some(self.result(
                PathKind::Unreachable,
                via,
                Some(format!("endpoint service {service_path} accepts IPv4 only")),
                Some(format!(
                    "give {service_path} .supports_ipv6(true) over dual-stack load balancers"
                )),
            ));
        }
        None
    }

    /// The service's load balancers with a listener on the flow's port.
    fn listening<'s>(
        &'s self,
        service_node: &'s EndpointServiceNode,
    ) -> Vec<&'s NetworkLoadBalancerNode> {
        let port = match self.flow.port {
            Port::Tcp(port) => Some(port),
            _ => None,
        };
        service_node
            .network_load_balancers
            .iter()
            .filter(|h| self.model.listeners_of(h.key).any(|l| Some(l.port) == port))
            .filter_map(|h| self.model.get::<NetworkLoadBalancerNode>(h))
            .collect()
    }

    /// Step 4: the NLB's security groups, evaluated on the client's own IP (PrivateLink traffic
    /// presents the consumer's address when enforcement is on): the outcome when one refuses.
    fn refused_by_load_balancer(
        &self,
        listening: &[&NetworkLoadBalancerNode],
        via: Option<NodeKey>,
    ) -> Option<Outcome> {
        let cidr = self.cidr();
        let nlb = listening.iter().find(|nlb| {
            !nlb.security_groups.is_empty()
                && nlb.enforce_on_private_link
                && !self.load_balancer_admits(nlb, cidr)
        })?;
        let groups: Vec<String> = nlb.security_groups.iter().map(Handle::path).collect();
        let cidr = if self.flow.ipv6 {
            format!("the IPv6 block of {}", self.subnet.path())
        } else {
            cidr.map(|c| c.to_string()).unwrap_or_default()
        };
        Some(self.result(
            PathKind::Unreachable,
            via,
            Some(format!(
                "the NLB's security group {} does not admit the PrivateLink traffic: AWS \
                 evaluates it on the client's IP, {cidr}, on {}",
                groups.join(", "),
                self.flow.port
            )),
            Some({
                let rest = format!(
                    " on {} in {}, or turn EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off",
                    self.flow.port,
                    groups.join(", ")
                );
                self.fix_for_sources("admit", rest.clone())
                    .unwrap_or_else(|| format!("admit {cidr}{rest}"))
            }),
        ))
    }

    /// Whether one of `nlb`'s security groups admits the client (`cidr`: its subnet's block).
    fn load_balancer_admits(&self, nlb: &NetworkLoadBalancerNode, cidr: Option<Ipv4Cidr>) -> bool {
        if !self.flow.ipv6 && cidr.is_none() {
            return true; // An unparsable block is reported by synthesis itself.
        }
        let admits = |rule: &RuleDef| {
            if self.flow.ipv6 {
                // Over IPv6 the NLB sees the client's IPv6 address: an IPv6 rule it cannot
                // judge counts as admitting (said by the endpoint's own check above).
                rule.admits_ipv6(self.subnet.vpc, &[], &self.flow.port) != Some(false)
            } else {
                cidr.is_some_and(|cidr| rule.admits(cidr, &[], &self.flow.port))
            }
        };
        nlb.security_groups.iter().any(|g| {
            self.model
                .get::<SecurityGroupNode>(g)
                .is_some_and(|sg| sg.ingress.iter().any(admits))
        })
    }

    /// Step 5: the service allows the consumer's account, when both accounts are known.
    fn account_not_allowed(
        &self,
        service_path: &str,
        service_node: &EndpointServiceNode,
        provider: &StackDef,
        via: Option<NodeKey>,
    ) -> Option<Outcome> {
        let (Some(consumer), Some(owner)) = (&self.stack.account, &provider.account) else {
            return None;
        };
        let allowed = consumer == owner
            || service_node
                .allowed_principals
                .iter()
                .any(|p| p == "*" || p.split(':').nth(4) == Some(consumer.as_str()));
        if allowed {
            return None;
        }
        Some(self.result(
            PathKind::Unreachable,
            via,
            Some(format!(
                "endpoint service {service_path} does not allow account {consumer} (allowed: {})",
                if service_node.allowed_principals.is_empty() {
                    "its own account only".to_string()
                } else {
                    service_node.allowed_principals.join(", ")
                }
            )),
            Some(format!(
                "add arn:aws:iam::{consumer}:root to its allowed_principals"
            )),
        ))
    }

    /// Step 6: an acceptance-required service leaves the endpoint `pendingAcceptance` until the
    /// provider accepts it, whoever the consumer is (AWS PrivateLink, "Accept or reject
    /// connection requests"; the endpoint lifecycle's PendingAcceptance state).
    fn pending_acceptance(&self, service_path: &str, endpoint_key: NodeKey) -> Outcome {
        let endpoint_path = self.model.path(endpoint_key);
        self.result(
            PathKind::PendingAcceptance,
            Some(endpoint_key),
            Some(format!(
                "endpoint service {service_path} requires acceptance: {endpoint_path} stays \
                 pendingAcceptance, and carries nothing, until the provider accepts it"
            )),
            Some(format!(
                "after deploy, accept it on the provider's side: aws ec2 \
                 accept-vpc-endpoint-connections --service-id <{service_path}'s ID> \
                 --vpc-endpoint-ids <{endpoint_path}'s ID> (or the console's Endpoint \
                 services > Endpoint connections); or set acceptance_required(false) on \
                 {service_path} with the consumer in allowed_principals"
            )),
        )
    }
}
