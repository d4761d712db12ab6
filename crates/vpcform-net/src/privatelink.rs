//! Checks across the two ends of a PrivateLink connection, which may sit in different stacks:
//! an interface endpoint and the endpoint service of the same app it connects to.

use crate::constructs::endpoint_service::EndpointServiceNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::network_load_balancer::NetworkLoadBalancerNode;
use crate::stack::{Findings, StackDef};
use crate::{Az, SynthError, Value};

/// Checks each interface endpoint whose endpoint service is defined in the app: the endpoint's
/// zones must be served by the service's load balancers, and a consumer in another region must
/// be supported by the service and name its region.
pub(crate) fn check_links(stacks: &[StackDef], findings: &mut Findings) {
    for consumer in stacks {
        for endpoint in consumer.nodes_of::<InterfaceEndpointNode>() {
            if let Some((provider, service)) = resolve(stacks, consumer, endpoint) {
                check_zones(consumer, endpoint, provider, service, findings);
                check_regions(consumer, endpoint, provider, service, findings);
            }
        }
    }
}

/// The endpoint service an endpoint connects to: the same stack's by handle, or another stack's
/// through the export it imports.
pub(crate) fn resolve<'a>(
    stacks: &'a [StackDef],
    consumer: &'a StackDef,
    endpoint: &InterfaceEndpointNode,
) -> Option<(&'a StackDef, &'a EndpointServiceNode)> {
    if let Some(handle) = &endpoint.target.endpoint_service {
        return consumer.node(&handle.id).map(|service| (consumer, service));
    }
    let Value::ImportValue(name) = &endpoint.target.service_name else {
        return None;
    };
    let export = name.as_str()?;
    stacks.iter().find_map(|provider| {
        let output = provider
            .outputs
            .values()
            .find(|o| o.export.as_deref() == Some(export))?;
        output
            .value
            .references()
            .iter()
            .find_map(|id| provider.node::<EndpointServiceNode>(id))
            .map(|service| (provider, service))
    })
}

/// AZs are compared as written: two `Az::index` values, two names or two IDs. AZ names and
/// indexes map to physical zones per account, so across accounts only AZ IDs are reliable.
fn check_zones(
    consumer: &StackDef,
    endpoint: &InterfaceEndpointNode,
    provider: &StackDef,
    service: &EndpointServiceNode,
    findings: &mut Findings,
) {
    let served: Vec<&Az> = service
        .network_load_balancers
        .iter()
        .filter_map(|nlb| provider.node::<NetworkLoadBalancerNode>(&nlb.id))
        .flat_map(|nlb| &nlb.subnets)
        .filter_map(|subnet| provider.subnets.get(&subnet.id).map(|facts| &facts.az))
        .collect();
    for subnet in &endpoint.subnets {
        let Some(az) = consumer.subnets.get(&subnet.id).map(|facts| &facts.az) else {
            continue;
        };
        let comparable = served
            .iter()
            .any(|s| std::mem::discriminant(*s) == std::mem::discriminant(az));
        if comparable && !served.contains(&az) {
            let served_list: Vec<String> = served.iter().map(|az| az.to_string()).collect();
            findings.errors.push(SynthError::EndpointAzNotServed {
                construct: consumer.path(&endpoint.id),
                subnet: subnet.path(),
                az: az.to_string(),
                service: provider.path(&service.id),
                served: served_list.join(", "),
            });
        }
    }
}

fn check_regions(
    consumer: &StackDef,
    endpoint: &InterfaceEndpointNode,
    provider: &StackDef,
    service: &EndpointServiceNode,
    findings: &mut Findings,
) {
    let (Some(region), Some(service_region)) = (&consumer.region, &provider.region) else {
        return;
    };
    if region == service_region {
        return;
    }
    if !service.supported_regions.contains(region) {
        findings.errors.push(SynthError::RegionNotSupported {
            construct: consumer.path(&endpoint.id),
            region: region.clone(),
            service: provider.path(&service.id),
            service_region: service_region.clone(),
            supported: if service.supported_regions.is_empty() {
                format!("its own region ({service_region})")
            } else {
                service.supported_regions.join(", ")
            },
        });
    }
    if endpoint.service_region.as_ref() != Some(service_region) {
        findings.errors.push(SynthError::ServiceRegionMissing {
            construct: consumer.path(&endpoint.id),
            service: provider.path(&service.id),
            service_region: service_region.clone(),
            region: region.clone(),
        });
    }
}
