//! Unmanaged routes and rules: what a deployed stack's route tables and security groups hold
//! that no template of the app makes. CloudFormation's drift detection checks only the
//! properties a template sets (CloudFormation User Guide, "Detect unmanaged configuration
//! changes to stacks and resources": "CloudFormation detects drift on those properties that are
//! explicitly set"), and a route or a rule is a resource of its own (`AWS::EC2::Route`,
//! `AWS::EC2::SecurityGroupIngress`) or an item of a list property: one added by hand in the
//! console is in no template, so CloudFormation never reports it.
//!
//! For each stack `drift` checks, the stack's `AWS::EC2::RouteTable` and
//! `AWS::EC2::SecurityGroup` resources (ListStackResources' physical IDs: DescribeStackResources
//! answers at most 100 resources) are described with signed EC2 calls (DescribeRouteTables,
//! DescribeSecurityGroups, filtered by ID, every page), and each route and rule is matched
//! against the deployed template (GetTemplate) and the app's other templates (a route or rule
//! another stack adds to an imported table or group).
//!
//! Not reported, as the template implies them: a table's `local` routes (origin
//! `CreateRouteTable`), a gateway endpoint's routes to its prefix list (target `vpce-…`,
//! destination `pl-…`: `AWS::EC2::VPCEndpoint` `RouteTableIds`), routes propagated from a
//! virtual private gateway (origin `EnableVgwRoutePropagation`) when a template propagates, and
//! a security group's default egress (all protocols to `0.0.0.0/0`) when its template sets no
//! `SecurityGroupEgress` (CloudFormation User Guide, `AWS::EC2::SecurityGroup`: "Amazon EC2
//! creates a default egress rule that allows egress traffic on all ports and IP protocols to any
//! location. The default rule is removed only when you specify one or more egress rules"; an
//! IPv4 rule: CDK's `allowAllIpv6Outbound`, false by default, adds the IPv6 one itself).
//!
//! Invariant: a value the deployer cannot resolve (a parameter, `Fn::ImportValue`,
//! `Fn::GetAtt`) matches anything, so a route or rule is reported only when no template can
//! make it: an unresolved template hides a real one rather than invent one.

use serde_json::Value;
use std::collections::HashMap;

use crate::calls::aws;
use crate::lookup::Xml;
use crate::{DeployError, Deployer, Environment, PropertyDrift, ResourceDrift, SignedAccess};
use vpcform_assembly::{RouteFacts, RuleFacts};

/// The drift status of a route table or security group that holds routes or rules no
/// template makes.
pub(crate) const UNMANAGED: &str = "UNMANAGED";

/// The route targets a template names, by property (`AWS::EC2::Route`).
const TARGETS: [&str; 11] = [
    "GatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "VpcPeeringConnectionId",
    "NetworkInterfaceId",
    "InstanceId",
    "EgressOnlyInternetGatewayId",
    "VpcEndpointId",
    "CarrierGatewayId",
    "LocalGatewayId",
    "CoreNetworkArn",
];

/// A route some template makes; `None` fields are values the deployer could not resolve.
#[derive(Clone, Debug, PartialEq)]
struct ManagedRoute {
    table: Option<String>,
    destination: Option<String>,
    target: Option<String>,
}

/// A security group rule some template makes.
#[derive(Clone, Debug, PartialEq)]
struct ManagedRule {
    group: Option<String>,
    egress: bool,
    protocol: Option<String>,
    from_port: Option<i64>,
    to_port: Option<i64>,
    peer: Option<String>,
}

/// What the app's templates make of routes and rules.
#[derive(Clone, Debug, Default)]
pub(crate) struct Managed {
    routes: Vec<ManagedRoute>,
    rules: Vec<ManagedRule>,
    /// Tables a gateway endpoint is attached to (`None`: one not resolved).
    endpoint_tables: Vec<Option<String>>,
    /// Groups whose template sets no `SecurityGroupEgress`: they keep EC2's default egress.
    default_egress: Vec<String>,
    /// Whether some template propagates a virtual private gateway's routes.
    propagates: bool,
}

impl Managed {
    /// The routes and rules of `template`; `physical` maps its logical IDs to physical IDs
    /// (empty for another stack's template: then only what it adds to tables and groups it
    /// does not make itself is taken, as the rest is that stack's own).
    pub(crate) fn add_template(&mut self, template: &Value, physical: &HashMap<String, String>) {
        let Some(resources) = template.get("Resources").and_then(Value::as_object) else {
            return;
        };
        let own = |value: &Value| {
            value
                .get("Ref")
                .and_then(Value::as_str)
                .is_some_and(|r| resources.contains_key(r))
        };
        let parameters = template.get("Parameters").and_then(Value::as_object);
        // A Ref to a resource is its physical ID; to a parameter, its default (what a
        // looked-up table or group is: `ExistingId` parameters default to the ID). A value
        // left unresolved matches anything, so each resolved one narrows what is managed.
        let resolve = |value: Option<&Value>| -> Option<String> {
            match value? {
                Value::String(text) => Some(text.clone()),
                Value::Number(n) => Some(n.to_string()),
                other => {
                    let name = other.get("Ref")?.as_str()?;
                    physical.get(name).cloned().or_else(|| {
                        parameters?
                            .get(name)?
                            .get("Default")?
                            .as_str()
                            .map(str::to_string)
                    })
                }
            }
        };
        let this_stack = !physical.is_empty();
        for (logical, resource) in resources {
            let kind = resource.get("Type").and_then(Value::as_str).unwrap_or("");
            let empty = Value::Object(Default::default());
            let props = resource.get("Properties").unwrap_or(&empty);
            let mine = |key: &str| props.get(key).is_some_and(own);
            match kind {
                "AWS::EC2::Route" if this_stack || !mine("RouteTableId") => {
                    self.routes.push(ManagedRoute {
                        table: resolve(props.get("RouteTableId")),
                        destination: [
                            "DestinationCidrBlock",
                            "DestinationIpv6CidrBlock",
                            "DestinationPrefixListId",
                        ]
                        .iter()
                        .find_map(|k| props.get(*k))
                        .and_then(|v| resolve(Some(v))),
                        target: TARGETS
                            .iter()
                            .find_map(|k| props.get(*k))
                            .and_then(|v| resolve(Some(v))),
                    });
                }
                "AWS::EC2::VPCEndpoint" => {
                    if let Some(tables) = props.get("RouteTableIds").and_then(Value::as_array) {
                        self.endpoint_tables.extend(
                            tables
                                .iter()
                                .filter(|t| this_stack || !own(t))
                                .map(|t| resolve(Some(t))),
                        );
                    }
                }
                "AWS::EC2::VPNGatewayRoutePropagation" => self.propagates = true,
                "AWS::EC2::SecurityGroup" if this_stack => {
                    let group = physical.get(logical).cloned();
                    for (key, egress) in [
                        ("SecurityGroupIngress", false),
                        ("SecurityGroupEgress", true),
                    ] {
                        for rule in props
                            .get(key)
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                        {
                            self.rules
                                .push(managed_rule(group.clone(), egress, rule, &resolve));
                        }
                    }
                    let egress_set = props
                        .get("SecurityGroupEgress")
                        .and_then(Value::as_array)
                        .is_some_and(|rules| !rules.is_empty());
                    if let (false, Some(group)) = (egress_set, group) {
                        self.default_egress.push(group);
                    }
                }
                "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress"
                    if this_stack || !mine("GroupId") =>
                {
                    let group = resolve(props.get("GroupId"));
                    let egress = kind == "AWS::EC2::SecurityGroupEgress";
                    self.rules
                        .push(managed_rule(group, egress, props, &resolve));
                }
                _ => {}
            }
        }
    }

    /// Whether a template makes (or implies) `route` in `table`.
    fn has_route(&self, table: &str, route: &RouteFacts) -> bool {
        let fits = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        route.target == "local"
            || route.origin == "CreateRouteTable"
            || (route.origin == "EnableVgwRoutePropagation" && self.propagates)
            || (route.target.starts_with("vpce-")
                && route.destination.starts_with("pl-")
                && self.endpoint_tables.iter().any(|t| fits(t, table)))
            || self.routes.iter().any(|r| {
                fits(&r.table, table)
                    && fits(&r.destination, &route.destination)
                    // An unresolved destination is told apart by its target, when known.
                    && (r.destination.is_some() || fits(&r.target, &route.target))
            })
    }

    /// Whether a template makes (or implies) `rule` of `group`.
    fn has_rule(&self, group: &str, egress: bool, rule: &RuleFacts) -> bool {
        let protocol = normal_protocol(&rule.protocol);
        let all = protocol == "-1";
        if egress
            && all
            && rule.peer == "0.0.0.0/0"
            && self.default_egress.iter().any(|g| g == group)
        {
            return true;
        }
        self.rules.iter().any(|r| {
            r.egress == egress
                && r.group.as_deref().is_none_or(|g| g == group)
                && r.protocol.as_deref().is_none_or(|p| p == protocol)
                && r.peer.as_deref().is_none_or(|p| p == rule.peer)
                // Ports mean nothing for all protocols (EC2 answers none).
                && (all
                    || (r.from_port.is_none_or(|p| Some(p) == rule.from_port.map(i64::from))
                        && r.to_port.is_none_or(|p| Some(p) == rule.to_port.map(i64::from))))
        })
    }
}

/// A template's rule (an item of `SecurityGroupIngress`/`Egress`, or the properties of an
/// `AWS::EC2::SecurityGroupIngress`/`Egress` resource).
fn managed_rule(
    group: Option<String>,
    egress: bool,
    rule: &Value,
    resolve: &dyn Fn(Option<&Value>) -> Option<String>,
) -> ManagedRule {
    let port = |key: &str| -> Option<i64> {
        match rule.get(key)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    };
    let peer_keys: &[&str] = if egress {
        &[
            "CidrIp",
            "CidrIpv6",
            "DestinationSecurityGroupId",
            "DestinationPrefixListId",
        ]
    } else {
        &[
            "CidrIp",
            "CidrIpv6",
            "SourceSecurityGroupId",
            "SourcePrefixListId",
        ]
    };
    ManagedRule {
        group,
        egress,
        protocol: resolve(rule.get("IpProtocol")).map(|p| normal_protocol(&p).to_string()),
        from_port: port("FromPort"),
        to_port: port("ToPort"),
        peer: peer_keys
            .iter()
            .find_map(|k| rule.get(*k))
            .and_then(|v| resolve(Some(v))),
    }
}

/// A protocol as EC2 answers it: names for TCP, UDP, ICMP and ICMPv6 given by number, `-1`
/// for all (`IpProtocol`, EC2 API Reference, IpPermission).
fn normal_protocol(protocol: &str) -> &str {
    match protocol.to_ascii_lowercase().as_str() {
        "6" | "tcp" => "tcp",
        "17" | "udp" => "udp",
        "1" | "icmp" => "icmp",
        "58" | "icmpv6" => "icmpv6",
        "-1" | "all" => "-1",
        _ => protocol,
    }
}

/// A rule's protocol and ports as read: `tcp 443`, `tcp 1024-65535`, `all`.
fn rule_text(rule: &RuleFacts) -> String {
    let protocol = normal_protocol(&rule.protocol);
    match (protocol, rule.from_port, rule.to_port) {
        ("-1", _, _) => "all".to_string(),
        (p, Some(from), Some(to)) if from == to => format!("{p} {from}"),
        (p, Some(from), Some(to)) => format!("{p} {from}-{to}"),
        (p, _, _) => p.to_string(),
    }
}

impl Deployer {
    /// This deployer's environment's EC2 access, if it has one.
    fn own_signed_access(&self) -> Option<SignedAccess> {
        let key = Environment {
            account: None,
            ..self.environment.clone()
        };
        self.connections
            .lock()
            .ok()
            .and_then(|c| c.get(&key).and_then(|c| c.connection.signed.clone()))
    }

    /// The routes and rules of stack `name`'s route tables and security groups that neither
    /// its deployed template nor `elsewhere` (the app's other templates) makes: one
    /// [`ResourceDrift`] of status `UNMANAGED` per table or group, each route or rule an
    /// `ADD`. `None` when this environment has no EC2 access (a deployer made by hand without
    /// [`SignedAccess`]): nothing is checked.
    pub(crate) async fn unmanaged(
        &self,
        name: &str,
        elsewhere: &Managed,
    ) -> Result<Option<Vec<ResourceDrift>>, DeployError> {
        let Some(access) = self.own_signed_access() else {
            return Ok(None);
        };
        let Some(template) = self.deployed_template(name, None).await? else {
            return Ok(Some(Vec::new()));
        };
        let resources = self.stack_resources(name).await?;
        let physical: HashMap<String, String> = resources
            .iter()
            .map(|(logical, _, id)| (logical.clone(), id.clone()))
            .collect();
        let mut managed = elsewhere.clone();
        managed.add_template(&template, &physical);
        let of_type = |kind: &str| -> Vec<(String, String)> {
            resources
                .iter()
                .filter(|(_, t, _)| t == kind)
                .map(|(logical, _, id)| (logical.clone(), id.clone()))
                .collect()
        };
        let mut found = Vec::new();
        let tables = of_type("AWS::EC2::RouteTable");
        let described = self
            .describe_by_ids(
                name,
                &access,
                "DescribeRouteTables",
                "route-table-id",
                &tables,
                "routeTableSet",
            )
            .await?;
        for (logical, id) in &tables {
            let Some(table) = described
                .iter()
                .find(|t| t.text("routeTableId").as_deref() == Some(id))
            else {
                continue; // Deleted: CloudFormation's detection says so.
            };
            let differences: Vec<PropertyDrift> = table
                .items("routeSet")
                .map(crate::lookup::route)
                .filter(|r| !managed.has_route(id, r))
                .map(|r| PropertyDrift {
                    path: format!("route {}", r.destination),
                    expected: None,
                    actual: Some(if r.target.is_empty() {
                        format!("(no target: {})", r.state)
                    } else {
                        r.target
                    }),
                    difference: "ADD".to_string(),
                })
                .collect();
            if !differences.is_empty() {
                found.push(unmanaged_resource(
                    logical,
                    id,
                    "AWS::EC2::RouteTable",
                    differences,
                ));
            }
        }
        let groups = of_type("AWS::EC2::SecurityGroup");
        let described = self
            .describe_by_ids(
                name,
                &access,
                "DescribeSecurityGroups",
                "group-id",
                &groups,
                "securityGroupInfo",
            )
            .await?;
        for (logical, id) in &groups {
            let Some(group) = described
                .iter()
                .find(|g| g.text("groupId").as_deref() == Some(id))
            else {
                continue;
            };
            let facts = crate::lookup::security_group(group);
            let mut differences = Vec::new();
            for (direction, egress, rules) in [
                ("ingress", false, &facts.ingress),
                ("egress", true, &facts.egress),
            ] {
                differences.extend(
                    rules
                        .iter()
                        .filter(|r| !managed.has_rule(id, egress, r))
                        .map(|r| PropertyDrift {
                            path: format!("{direction} {}", rule_text(r)),
                            expected: None,
                            actual: Some(r.peer.clone()),
                            difference: "ADD".to_string(),
                        }),
                );
            }
            if !differences.is_empty() {
                found.push(unmanaged_resource(
                    logical,
                    id,
                    "AWS::EC2::SecurityGroup",
                    differences,
                ));
            }
        }
        Ok(Some(found))
    }

    /// `(logical ID, type, physical ID)` of the stack's resources that have a physical ID,
    /// every page of ListStackResources.
    async fn stack_resources(
        &self,
        name: &str,
    ) -> Result<Vec<(String, String, String)>, DeployError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let call = self
                .client
                .list_stack_resources()
                .stack_name(name)
                .set_next_token(token.clone())
                .send();
            let page = self
                .interruptible(name, "ListStackResources", call)
                .await?
                .map_err(|e| aws(name, "ListStackResources", e))?;
            out.extend(page.stack_resource_summaries().iter().filter_map(|r| {
                Some((
                    r.logical_resource_id()?.to_string(),
                    r.resource_type()?.to_string(),
                    r.physical_resource_id()?.to_string(),
                ))
            }));
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                return Ok(out);
            }
        }
    }

    /// The items of a Describe call filtered by `filter` to these IDs (a filter, not the ID
    /// list: an ID deleted meanwhile is left out instead of failing the call), every page.
    async fn describe_by_ids(
        &self,
        name: &str,
        access: &SignedAccess,
        action: &'static str,
        filter: &str,
        ids: &[(String, String)],
        list: &str,
    ) -> Result<Vec<Xml>, DeployError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut params = vec![("Filter.1.Name".to_string(), filter.to_string())];
        params.extend(
            ids.iter()
                .enumerate()
                .map(|(i, (_, id))| (format!("Filter.1.Value.{}", i + 1), id.clone())),
        );
        self.ec2_pages(name, access, action, &params, list)
            .await
            .map_err(|e| match e {
                // A lookup's error, said of the stack.
                DeployError::LookupFailed {
                    action,
                    reason,
                    fix,
                    request_id,
                    ..
                } => {
                    let (code, message) = reason
                        .split_once(": ")
                        .map_or(("NoResponse", reason.as_str()), |(c, m)| (c, m));
                    DeployError::Aws {
                        stack: name.to_string(),
                        operation: action,
                        code: code.to_string(),
                        message: message.to_string(),
                        hint: Some(format!(
                            "reading the stack's routes and rules for unmanaged ones: {}",
                            fix.replace("run the lookup again", "run drift again")
                        )),
                        request_id,
                        source: None,
                    }
                }
                other => other,
            })
    }
}

fn unmanaged_resource(
    logical: &str,
    id: &str,
    kind: &str,
    differences: Vec<PropertyDrift>,
) -> ResourceDrift {
    ResourceDrift {
        logical_id: logical.to_string(),
        physical_id: Some(id.to_string()),
        resource_type: kind.to_string(),
        status: UNMANAGED.to_string(),
        reason: Some(
            "not in any template (CloudFormation's drift detection checks only what a \
             template sets)"
                .to_string(),
        ),
        differences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn route(destination: &str, target: &str, origin: &str) -> RouteFacts {
        RouteFacts {
            destination: destination.into(),
            target: target.into(),
            state: "active".into(),
            origin: origin.into(),
        }
    }

    fn rule(protocol: &str, ports: Option<(i32, i32)>, peer: &str) -> RuleFacts {
        RuleFacts {
            protocol: protocol.into(),
            from_port: ports.map(|p| p.0),
            to_port: ports.map(|p| p.1),
            peer: peer.into(),
        }
    }

    fn template() -> Value {
        json!({"Resources": {
            "Table": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": "vpc-1"}},
            "Igw": {"Type": "AWS::EC2::InternetGateway"},
            "Default": {"Type": "AWS::EC2::Route", "Properties": {
                "RouteTableId": {"Ref": "Table"}, "DestinationCidrBlock": "0.0.0.0/0",
                "GatewayId": {"Ref": "Igw"}}},
            "ToPeer": {"Type": "AWS::EC2::Route", "Properties": {
                "RouteTableId": {"Ref": "Table"},
                "DestinationCidrBlock": {"Fn::ImportValue": "PeerBlock"},
                "VpcPeeringConnectionId": "pcx-1"}},
            "S3": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
                "RouteTableIds": [{"Ref": "Table"}], "VpcEndpointType": "Gateway"}},
            "Web": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
                "SecurityGroupIngress": [{"IpProtocol": "6", "FromPort": "443", "ToPort": 443,
                    "CidrIp": "10.0.0.0/8"}]}},
            "Db": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
                "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 5432,
                    "ToPort": 5432, "DestinationSecurityGroupId": {"Ref": "Web"}}]}},
            "DbFromWeb": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                "GroupId": {"Ref": "Db"}, "IpProtocol": "tcp", "FromPort": 5432,
                "ToPort": 5432, "SourceSecurityGroupId": {"Ref": "Web"}}}
        }})
    }

    fn managed() -> Managed {
        let physical: HashMap<String, String> = [
            ("Table", "rtb-1"),
            ("Igw", "igw-1"),
            ("S3", "vpce-1"),
            ("Web", "sg-web"),
            ("Db", "sg-db"),
        ]
        .iter()
        .map(|(l, p)| (l.to_string(), p.to_string()))
        .collect();
        let mut managed = Managed::default();
        managed.add_template(&template(), &physical);
        managed
    }

    #[test]
    fn template_routes_and_implied_ones_are_managed_and_others_are_not() {
        let m = managed();
        assert!(m.has_route("rtb-1", &route("0.0.0.0/0", "igw-1", "CreateRoute")));
        assert!(m.has_route("rtb-1", &route("10.0.0.0/16", "local", "CreateRouteTable")));
        assert!(m.has_route("rtb-1", &route("pl-63a5400a", "vpce-1", "CreateRoute")));
        // An imported destination: told apart by its target.
        assert!(m.has_route("rtb-1", &route("172.16.0.0/16", "pcx-1", "CreateRoute")));
        assert!(!m.has_route("rtb-1", &route("192.168.0.0/16", "tgw-9", "CreateRoute")));
        assert!(!m.has_route(
            "rtb-1",
            &route("10.9.0.0/16", "vgw-1", "EnableVgwRoutePropagation")
        ));
        // The template's default route is of its own table only.
        assert!(!m.has_route("rtb-2", &route("0.0.0.0/0", "igw-1", "CreateRoute")));
    }

    #[test]
    fn template_rules_and_the_default_egress_are_managed_and_others_are_not() {
        let m = managed();
        assert!(m.has_rule(
            "sg-web",
            false,
            &rule("tcp", Some((443, 443)), "10.0.0.0/8")
        ));
        assert!(!m.has_rule("sg-web", false, &rule("tcp", Some((22, 22)), "0.0.0.0/0")));
        assert!(!m.has_rule("sg-web", false, &rule("tcp", Some((443, 443)), "0.0.0.0/0")));
        // Web sets no egress: EC2's default stays; Db sets one: the default is gone.
        assert!(m.has_rule("sg-web", true, &rule("-1", None, "0.0.0.0/0")));
        assert!(!m.has_rule("sg-web", true, &rule("-1", None, "::/0")));
        assert!(!m.has_rule("sg-db", true, &rule("-1", None, "0.0.0.0/0")));
        assert!(m.has_rule("sg-db", true, &rule("tcp", Some((5432, 5432)), "sg-web")));
        assert!(m.has_rule("sg-db", false, &rule("tcp", Some((5432, 5432)), "sg-web")));
        assert!(!m.has_rule("sg-db", false, &rule("udp", Some((5432, 5432)), "sg-web")));
    }

    #[test]
    fn another_stacks_additions_to_imported_tables_count_and_its_own_do_not() {
        let other = json!({"Resources": {
            "Own": {"Type": "AWS::EC2::RouteTable"},
            "OwnRoute": {"Type": "AWS::EC2::Route", "Properties": {
                "RouteTableId": {"Ref": "Own"}, "DestinationCidrBlock": "10.50.0.0/16"}},
            "HubRoute": {"Type": "AWS::EC2::Route", "Properties": {
                "RouteTableId": {"Fn::ImportValue": "HubTable"},
                "DestinationCidrBlock": "10.60.0.0/16", "TransitGatewayId": "tgw-1"}}
        }});
        let mut m = Managed::default();
        m.add_template(&other, &HashMap::new());
        assert!(m.has_route("rtb-hub", &route("10.60.0.0/16", "tgw-1", "CreateRoute")));
        assert!(!m.has_route("rtb-hub", &route("10.50.0.0/16", "tgw-1", "CreateRoute")));
    }

    /// A looked-up table is a parameter whose default is its ID: a route on it is managed on
    /// that table only, not on every table (a hand-made copy elsewhere is still reported).
    #[test]
    fn a_route_on_a_parameter_table_is_managed_on_the_table_its_default_names() {
        let template = json!({
            "Parameters": {"LandingRtb": {"Type": "String", "Default": "rtb-landing"}},
            "Resources": {
                "ToHub": {"Type": "AWS::EC2::Route", "Properties": {
                    "RouteTableId": {"Ref": "LandingRtb"},
                    "DestinationCidrBlock": "10.60.0.0/16", "TransitGatewayId": "tgw-1"}}
            }
        });
        let mut m = Managed::default();
        m.add_template(
            &template,
            &HashMap::from([("X".to_string(), "y".to_string())]),
        );
        let to_hub = route("10.60.0.0/16", "tgw-1", "CreateRoute");
        assert!(m.has_route("rtb-landing", &to_hub));
        assert!(!m.has_route("rtb-other", &to_hub));
    }

    #[test]
    fn rules_read_as_protocol_and_ports() {
        assert_eq!(rule_text(&rule("tcp", Some((22, 22)), "x")), "tcp 22");
        assert_eq!(
            rule_text(&rule("6", Some((1024, 65535)), "x")),
            "tcp 1024-65535"
        );
        assert_eq!(rule_text(&rule("-1", None, "x")), "all");
        assert_eq!(rule_text(&rule("icmp", Some((-1, -1)), "x")), "icmp -1");
    }
}
