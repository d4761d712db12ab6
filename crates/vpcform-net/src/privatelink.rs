//! PrivateLink, the provider's side: an endpoint service in front of a Network Load Balancer,
//! its listeners and target groups, and the targets registered in them. The consumer's side is
//! an [`InterfaceEndpoint`](crate::endpoints::InterfaceEndpoint).

pub use crate::constructs::endpoint_service::{
    EndpointService, EndpointServiceRef, ServiceLoadBalancer,
};
pub use crate::constructs::listener::{Listener, ListenerRef};
pub use crate::constructs::network_load_balancer::{
    AccessLogs, NetworkLoadBalancer, NetworkLoadBalancerRef, Scheme,
};
pub use crate::constructs::target_group::{
    HealthCheck, TargetDescription, TargetGroup, TargetGroupRef, TargetType,
};

// The rest: checks across the two ends of a PrivateLink connection, which may sit in different
// stacks: an interface endpoint and the endpoint service of the same app it connects to.

use crate::constructs::endpoint_service::EndpointServiceNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::network_load_balancer::NetworkLoadBalancerNode;
use crate::identity::NodeKey;
use crate::model::{Model, Node, Placement};
use crate::stack::{Findings, StackDef};
use crate::{Az, SynthError};

/// For every interface endpoint connected to an endpoint service of the app (directly or
/// through a typed import), the checks that need both ends.
pub(crate) fn check_links(model: &Model<'_>, findings: &mut Findings) {
    for consumer in model.stacks {
        for (key, node) in consumer.keyed_nodes() {
            let Node::InterfaceEndpoint(endpoint) = node else {
                continue;
            };
            let Some((service_key, service)) = model.service_of(key) else {
                continue;
            };
            let Some(provider) = model.stack(service_key.stack) else {
                continue;
            };
            let link = Link {
                model,
                consumer,
                endpoint,
                provider,
                service_key,
                service,
            };
            // Across Regions the endpoint's zones are its own Region's, never the load
            // balancer's: AWS connects them to the service's Region itself (cross-Region
            // PrivateLink, aws-facts §1 [23]), so only the Regions are checked.
            if let Placement::Different(..) = model.same_region(key, service_key) {
                link.check_regions(findings);
                continue;
            }
            if let Placement::Different(account, service_account) =
                model.same_account(key, service_key)
            {
                // Names and indexes mean other zones in each account: only IDs compare.
                link.check_zones_across_accounts(account, service_account, findings);
                link.check_regions(findings);
                continue;
            }
            link.check_zones(findings);
            link.check_regions(findings);
        }
    }
}

struct Link<'a> {
    model: &'a Model<'a>,
    consumer: &'a StackDef,
    endpoint: &'a InterfaceEndpointNode,
    provider: &'a StackDef,
    service_key: NodeKey,
    service: &'a EndpointServiceNode,
}

impl Link<'_> {
    /// Consumers see only the AZs they share with the provider (aws-facts §1 [17]).
    fn check_zones(&self, findings: &mut Findings) {
        let model = self.model;
        // By ID where a side's stack looked up its zone map (`Model::zone`); a zone that cannot
        // be told (reported on its subnet) leaves the coverage unknown.
        let served: Option<Vec<std::borrow::Cow<'_, Az>>> = self
            .service
            .network_load_balancers
            .iter()
            .filter_map(|nlb| model.get::<NetworkLoadBalancerNode>(nlb))
            .flat_map(|nlb| &nlb.subnets)
            .map(|subnet| model.zone(subnet))
            .collect();
        let Some(served) = served else {
            return;
        };
        let served: Vec<&Az> = served.iter().map(|az| az.as_ref()).collect();
        for subnet in &self.endpoint.subnets {
            let Some(az) = model.zone(subnet) else {
                continue;
            };
            if az.missing_from(&served) {
                let served_list: Vec<String> = served.iter().map(|az| az.to_string()).collect();
                findings.errors.push(SynthError::EndpointAzNotServed {
                    construct: self.consumer.path(&self.endpoint.id),
                    subnet: subnet.path(),
                    az: az.to_string(),
                    service: model.path(self.service_key),
                    served: served_list.join(", "),
                });
            }
        }
    }

    /// Across accounts, every zone compared must be an AZ ID; then coverage compares IDs.
    fn check_zones_across_accounts(
        &self,
        account: &str,
        service_account: &str,
        findings: &mut Findings,
    ) {
        let model = self.model;
        let provider_subnets = self
            .service
            .network_load_balancers
            .iter()
            .filter_map(|nlb| model.get::<NetworkLoadBalancerNode>(nlb))
            .flat_map(|nlb| &nlb.subnets);
        let not_ids: Vec<String> = self
            .endpoint
            .subnets
            .iter()
            .chain(provider_subnets)
            .filter_map(|s| Some((s, model.zone(s)?)))
            .filter(|(_, az)| !matches!(az.as_ref(), Az::Id(_)))
            .map(|(s, az)| format!("{} ({az})", s.path()))
            .collect();
        if not_ids.is_empty() {
            self.check_zones(findings);
        } else {
            findings.errors.push(SynthError::AzAcrossAccounts {
                construct: self.consumer.path(&self.endpoint.id),
                account: account.to_string(),
                service: model.path(self.service_key),
                service_account: service_account.to_string(),
                subnets: not_ids.join(", "),
            });
        }
    }

    /// Cross-region PrivateLink: the provider lists the consumer's region, the consumer names
    /// the provider's (aws-facts §1 [16][22][23]).
    fn check_regions(&self, findings: &mut Findings) {
        let (Some(region), Some(service_region)) = (&self.consumer.region, &self.provider.region)
        else {
            return;
        };
        if region == service_region {
            return;
        }
        let service = self.model.path(self.service_key);
        if !self.service.supported_regions.contains(region) {
            findings.errors.push(SynthError::RegionNotSupported {
                construct: self.consumer.path(&self.endpoint.id),
                region: region.clone(),
                service: service.clone(),
                service_region: service_region.clone(),
                supported: if self.service.supported_regions.is_empty() {
                    format!("its own region ({service_region})")
                } else {
                    self.service.supported_regions.join(", ")
                },
            });
        }
        if self.endpoint.service_region.as_ref() != Some(service_region) {
            findings.errors.push(SynthError::ServiceRegionMissing {
                construct: self.consumer.path(&self.endpoint.id),
                service,
                service_region: service_region.clone(),
                region: region.clone(),
            });
        }
    }
}
