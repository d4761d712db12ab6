//! The constructs: one file each, each with its builder, its handle and its synthesis.

/// Whether `text` is an EC2 resource ID: `prefix` then 8 or 17 lowercase hex digits ("long
/// IDs" since 2016; EC2 user guide, "Resource IDs"; docs/aws-rules.md §11).
pub(crate) fn ec2_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|hex| {
        matches!(hex.len(), 8 | 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

pub(crate) mod egress_only_internet_gateway;
pub(crate) mod endpoint_service;
pub(crate) mod existing;
pub(crate) mod flow_log;
pub(crate) mod gateway_endpoint;
pub(crate) mod hosted_zone;
pub(crate) mod interface_endpoint;
pub(crate) mod internet_gateway;
pub(crate) mod listener;
pub(crate) mod lookup;
pub(crate) mod nat_gateway;
pub(crate) mod network_acl;
pub(crate) mod network_load_balancer;
pub(crate) mod profile;
pub(crate) mod profile_association;
pub(crate) mod profile_resource_association;
pub(crate) mod resource;
pub(crate) mod resource_configuration;
pub(crate) mod resource_endpoint;
pub(crate) mod resource_gateway;
pub(crate) mod resource_share;
pub(crate) mod route;
pub(crate) mod route_table;
pub(crate) mod security_group;
pub(crate) mod service_network;
pub(crate) mod service_network_association;
pub(crate) mod service_network_endpoint;
pub(crate) mod subnet;
pub(crate) mod target_group;
pub(crate) mod transit_gateway;
pub(crate) mod transit_gateway_association;
pub(crate) mod transit_gateway_attachment;
pub(crate) mod transit_gateway_peering;
pub(crate) mod transit_gateway_route;
pub(crate) mod transit_gateway_route_table;
pub(crate) mod vpc;
pub(crate) mod vpc_peering;
pub(crate) mod workload;
