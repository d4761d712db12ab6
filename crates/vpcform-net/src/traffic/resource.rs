//! Flows to VPC Lattice resources: a resource endpoint or a service-network endpoint.

use crate::Port;
use crate::constructs::resource_configuration::ResourceConfigurationNode;
use crate::constructs::resource_endpoint::ResourceEndpointNode;
use crate::constructs::resource_endpoint::zone_mismatch;
use crate::constructs::resource_gateway::ResourceGatewayNode;
use crate::constructs::service_network_endpoint::ServiceNetworkEndpointNode;
use crate::handle::Handle;
use crate::identity::NodeKey;

use super::{Context, Outcome, PathKind};

impl Context<'_> {
    /// A VPC Lattice resource: a resource endpoint to it in the workload's VPC, or a
    /// service-network endpoint to a network it joins, whose security groups admit the
    /// workload and whose resource offers the port.
    pub(super) fn to_resource(&self, configuration: &Handle) -> Outcome {
        let path = configuration.path();
        let Some(vpc) = self.subnet.vpc else {
            return self.result(
                PathKind::Unreachable,
                None,
                Some("the subnet has no VPC".into()),
                None,
            );
        };
        let vpc_path = self.model.path(vpc);
        if let Some((key, endpoint)) =
            self.model
                .in_vpc::<ResourceEndpointNode>(vpc)
                .find(|(_, e)| {
                    e.configuration()
                        .is_some_and(|c| c.key == configuration.key)
                })
        {
            return self.through_lattice(key, &endpoint.security_groups, configuration);
        }
        // Through a service network the resource joins: the first endpoint to one.
        let mut without_association = None;
        for (key, endpoint) in self.model.in_vpc::<ServiceNetworkEndpointNode>(vpc) {
            // A service network's ARN is exported from its handle only, so an import always
            // carries the network.
            let Some(network) = &endpoint.service_network.source else {
                continue;
            };
            if !self
                .model
                .configurations_in(network.key)
                .any(|c| c.key == configuration.key)
            {
                without_association.get_or_insert((key, network));
                continue;
            }
            let gateway = self
                .model
                .get::<ResourceConfigurationNode>(configuration)
                .and_then(|c| {
                    Some((
                        c.gateway.key,
                        self.model.get::<ResourceGatewayNode>(&c.gateway)?,
                    ))
                });
            if let Some(gateway) = gateway
                && let Some((ours, theirs)) =
                    zone_mismatch(self.model, key, &endpoint.subnets, gateway)
            {
                return self.result(
                    PathKind::Unreachable,
                    Some(key),
                    Some(format!(
                        "service network endpoint {} ({ours}) shares no zone with the resource \
                         gateway of {path} ({theirs})",
                        self.model.path(key)
                    )),
                    Some("add a subnet in one of the gateway's zones to either side".into()),
                );
            }
            return self.through_lattice(key, &endpoint.security_groups, configuration);
        }
        if let Some((key, network)) = without_association {
            let network = network.path();
            return self.result(
                PathKind::Unreachable,
                Some(key),
                Some(format!(
                    "resource configuration {path} has no association with service network \
                     {network}, the one endpoint {} reaches",
                    self.model.path(key)
                )),
                Some(format!(
                    "add a ServiceNetworkResourceAssociation of {path} with service network {network}"
                )),
            );
        }
        self.result(
            PathKind::Unreachable,
            None,
            Some(format!(
                "no resource endpoint to {path} and no service network endpoint to a network it \
                 joins in VPC {vpc_path}"
            )),
            Some(format!(
                "add a ResourceEndpoint to {path} in VPC {vpc_path}, or a ServiceNetworkEndpoint \
                 to a service network {path} is associated with"
            )),
        )
    }

    /// The last legs to a VPC Lattice resource, from the endpoint that reaches it: the
    /// endpoint's security groups, then the resource's ports.
    fn through_lattice(
        &self,
        key: NodeKey,
        security_groups: &[Handle],
        configuration: &Handle,
    ) -> Outcome {
        let path = configuration.path();
        if let Err(groups) = self.admitted(security_groups) {
            return self.unreachable_by_security_group(key, &groups, security_groups);
        }
        let offered = self
            .model
            .get::<ResourceConfigurationNode>(configuration)
            .is_some_and(|c| match self.flow.port {
                Port::Tcp(port) => c
                    .ports
                    .iter()
                    .any(|&(from, to)| (from..=to).contains(&port)),
                _ => false,
            });
        if !offered {
            return self.result(
                PathKind::Unreachable,
                Some(key),
                Some(format!(
                    "resource configuration {path} does not offer {} (VPC Lattice resources are TCP, on their port ranges)",
                    self.flow.port
                )),
                Some(format!("add {} to {path}'s ports", self.flow.port)),
            );
        }
        self.result(PathKind::LatticeEndpoint, Some(key), None, None)
    }
}
