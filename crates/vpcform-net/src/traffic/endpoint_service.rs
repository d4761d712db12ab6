//! Flows to endpoint services (PrivateLink): the interface endpoint, its security groups,
//! the load balancers' listeners and security groups, the allowed accounts, acceptance.

use crate::Port;
use crate::constructs::endpoint_service::EndpointServiceNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::network_load_balancer::NetworkLoadBalancerNode;
use crate::constructs::security_group::SecurityGroupNode;
use crate::handle::Handle;

use super::{Context, Outcome, PathKind};

impl Context<'_> {
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
        // 1b. Over IPv6: the endpoint has IPv6 addresses and AAAA records for its own names,
        //     and the service accepts IPv6 (SupportedIpAddressTypes).
        if self.flow.ipv6 {
            if let Err((why, fix)) = endpoint.answers_ipv6(false) {
                return self.result(
                    PathKind::Unreachable,
                    via,
                    Some(format!(
                        "interface endpoint {} connects over IPv4 only: {why}",
                        self.model.path(endpoint_key)
                    )),
                    Some(fix),
                );
            }
            if !service_node.supports_ipv6 {
                return self.result(
                    PathKind::Unreachable,
                    via,
                    Some(format!("endpoint service {service_path} accepts IPv4 only")),
                    Some(format!(
                        "give {service_path} .supports_ipv6(true) over dual-stack load balancers"
                    )),
                );
            }
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
        let port = match self.flow.port {
            Port::Tcp(port) => Some(port),
            _ => None,
        };
        let listening: Vec<&NetworkLoadBalancerNode> = service_node
            .network_load_balancers
            .iter()
            .filter(|h| self.model.listeners_of(h.key).any(|l| Some(l.port) == port))
            .filter_map(|h| self.model.get::<NetworkLoadBalancerNode>(h))
            .collect();
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
        // 4. The NLB's security groups, evaluated on the client's own IP (PrivateLink traffic
        //    presents the consumer's address when enforcement is on).
        let cidr = self.cidr();
        for nlb in &listening {
            if nlb.security_groups.is_empty() || !nlb.enforce_on_private_link {
                continue;
            }
            let admits = if self.flow.ipv6 {
                // Over IPv6 the NLB sees the client's IPv6 address: an IPv6 rule it cannot
                // judge counts as admitting (said by the endpoint's own check above).
                nlb.security_groups.iter().any(|g| {
                    self.model.get::<SecurityGroupNode>(g).is_some_and(|sg| {
                        sg.ingress.iter().any(|rule| {
                            rule.admits_ipv6(self.subnet.vpc, &[], &self.flow.port) != Some(false)
                        })
                    })
                })
            } else {
                cidr.is_none_or(|cidr| {
                    nlb.security_groups.iter().any(|g| {
                        self.model.get::<SecurityGroupNode>(g).is_some_and(|sg| {
                            sg.ingress
                                .iter()
                                .any(|rule| rule.admits(cidr, &[], &self.flow.port))
                        })
                    })
                })
            };
            if !admits {
                let groups: Vec<String> = nlb.security_groups.iter().map(Handle::path).collect();
                let cidr = if self.flow.ipv6 {
                    format!("the IPv6 block of {}", self.subnet.path())
                } else {
                    cidr.map(|c| c.to_string()).unwrap_or_default()
                };
                return self.result(
                    PathKind::Unreachable,
                    via,
                    Some(format!(
                        "the NLB's security group {} does not admit the PrivateLink traffic: AWS \
                         evaluates it on the client's IP, {cidr}, on {}",
                        groups.join(", "),
                        self.flow.port
                    )),
                    Some(format!(
                        "admit {cidr} on {} in {}, or turn EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off",
                        self.flow.port,
                        groups.join(", ")
                    )),
                );
            }
        }
        // 5. The service allows the consumer's account, when both accounts are known.
        if let (Some(consumer), Some(owner)) = (&self.stack.account, &provider.account)
            && consumer != owner
        {
            let allowed = service_node
                .allowed_principals
                .iter()
                .any(|p| p == "*" || p.split(':').nth(4) == Some(consumer.as_str()));
            if !allowed {
                return self.result(
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
                    Some(format!("add arn:aws:iam::{consumer}:root to its allowed_principals")),
                );
            }
        }
        // 6. An acceptance-required service leaves the endpoint `pendingAcceptance` until the
        // provider accepts it, whoever the consumer is (AWS PrivateLink, "Accept or reject
        // connection requests"; the endpoint lifecycle's PendingAcceptance state).
        if service_node.acceptance_required {
            let endpoint_path = self.model.path(endpoint_key);
            return self.result(
                PathKind::PendingAcceptance,
                via,
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
            );
        }
        self.result(PathKind::InterfaceEndpoint, via, None, None)
    }
}
