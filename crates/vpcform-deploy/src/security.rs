//! Security changes between a deployed template and a local one, and which of them broaden
//! access: what `--require-approval broadening` (the default) stops for.
//!
//! Read from templates alone (this crate knows nothing of builders), so it holds for any
//! template. Invariant: a change is *broadening* when, after it, something can reach or do what
//! it could not before; a change that only narrows is shown, never stopped for. Where a value
//! cannot be compared (a `Ref` to a parameter, an imported value), the change counts as
//! broadening: the review errs towards asking.
//!
//! What counts (the issue's list; CDK's `permissionsBroadened` counts every added IAM statement
//! or security-group rule, aws-cdk `cloudformation-diff/lib/diff-template.ts`):
//! - an ingress rule added that no earlier rule of the group already allowed (a /16 widened to
//!   a /8 is one: the /8 is not covered by the /16);
//! - an egress rule to the world (`0.0.0.0/0`, `::/0`) not allowed before; a group without
//!   egress rules gets AWS's allow-all egress for IPv4 and IPv6 ("When you create a security
//!   group, if you do not add egress rules, we add egress rules that allow all outbound IPv4 and
//!   IPv6 traffic", AWS::EC2::SecurityGroup reference);
//! - an endpoint or bucket policy loosened: an `Allow` statement added, a `Deny` removed, the
//!   policy removed (an endpoint without a policy allows full access, "VPC endpoint policies",
//!   AWS PrivateLink guide);
//! - an allowed principal added to an endpoint service; acceptance turned off;
//! - private DNS turned off on an interface endpoint, an interface or gateway endpoint removed,
//!   a route table taken off a gateway endpoint: the service's traffic then leaves through
//!   NAT or an internet gateway when the subnet has a default route (seed article);
//! - a route to an internet gateway added: the table's subnets become public.

use std::fmt;

use ipnet::IpNet;
use serde_json::{Map, Value};

/// One security-relevant change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityChange {
    /// Whether it broadens access (marked `!` in the table).
    pub broadening: bool,
    /// `+` added, `-` removed, `~` changed.
    pub sign: char,
    /// The resource (logical ID) the change is on: the security group, endpoint, service….
    pub resource: String,
    /// What changes, e.g. `ingress TCP 443 from 10.0.0.0/8`.
    pub what: String,
}

impl fmt::Display for SecurityChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {:<28} {}",
            if self.broadening { '!' } else { ' ' },
            self.sign,
            self.resource,
            self.what
        )
    }
}

/// The security changes from `deployed` (`None`: not deployed) to `local`, security groups
/// first, then policies, principals, DNS and routes.
///
/// ```
/// use serde_json::json;
/// let rule = |cidr: &str| json!({"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup",
///     "Properties": {"GroupDescription": "d", "SecurityGroupEgress": [],
///     "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": cidr}]}}}});
/// let changes = vpcform_deploy::security_changes(Some(&rule("10.0.0.0/16")), &rule("10.0.0.0/8"));
/// assert!(changes.iter().any(|c| c.broadening && c.what == "ingress TCP 443 from 10.0.0.0/8"));
/// let narrowed = vpcform_deploy::security_changes(Some(&rule("10.0.0.0/8")), &rule("10.0.0.0/16"));
/// assert!(narrowed.iter().all(|c| !c.broadening));
/// ```
pub fn security_changes(deployed: Option<&Value>, local: &Value) -> Vec<SecurityChange> {
    let empty = Map::new();
    let resources = |t: Option<&Value>| -> Map<String, Value> {
        t.and_then(|t| t.get("Resources"))
            .and_then(Value::as_object)
            .unwrap_or(&empty)
            .clone()
    };
    let before = resources(deployed);
    let after = resources(Some(local));
    let mut changes = rule_changes(&rules(&before), &rules(&after));
    changes.extend(policy_changes(&before, &after));
    changes.extend(principal_changes(&before, &after));
    changes.extend(endpoint_changes(&before, &after));
    changes.extend(route_changes(&before, &after));
    changes
}

/// A table of changes, broadening first marked `!`, or nothing when there are none.
///
/// ```
/// assert_eq!(vpcform_deploy::security_table(&[]), "");
/// ```
pub fn security_table(changes: &[SecurityChange]) -> String {
    if changes.is_empty() {
        return String::new();
    }
    let broadening = changes.iter().filter(|c| c.broadening).count();
    let mut text = format!(
        "security changes ({} broaden access, marked !):\n",
        broadening
    );
    for change in changes {
        text += &format!("  {change}\n");
    }
    text
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Ingress,
    Egress,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Peer {
    Cidr(IpNet),
    /// A security group, prefix list, or a value only known at deploy.
    Other(String),
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Cidr(net) => write!(f, "{net}"),
            Peer::Other(text) => f.write_str(text),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    group: String,
    direction: Direction,
    /// `all`, `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number.
    protocol: String,
    /// Port range (ICMP: type and code); `None` for every port.
    ports: Option<(i64, i64)>,
    peer: Peer,
    /// AWS's default egress for a group created without egress rules.
    implicit: bool,
}

impl Rule {
    fn covers(&self, other: &Rule) -> bool {
        self.group == other.group
            && self.direction == other.direction
            && (self.protocol == "all" || self.protocol == other.protocol)
            && match (self.ports, other.ports) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some((a, b)), Some((c, d))) => a <= c && d <= b,
            }
            && match (&self.peer, &other.peer) {
                (Peer::Cidr(a), Peer::Cidr(b)) => a.contains(b),
                (a, b) => a == b,
            }
    }

    fn to_world(&self) -> bool {
        matches!(&self.peer, Peer::Cidr(net) if net.prefix_len() == 0)
    }

    fn describe(&self) -> String {
        let ports = match (self.protocol.as_str(), self.ports) {
            ("all", _) => "all traffic".to_string(),
            (p, None) => format!("{} all ports", p.to_uppercase()),
            (p, Some((a, b))) if a == b => format!("{} {a}", p.to_uppercase()),
            (p, Some((a, b))) => format!("{} {a}-{b}", p.to_uppercase()),
        };
        let (direction, preposition) = match self.direction {
            Direction::Ingress => ("ingress", "from"),
            Direction::Egress => ("egress", "to"),
        };
        let implicit = if self.implicit {
            " (AWS's default: the group has no egress rules)"
        } else {
            ""
        };
        format!("{direction} {ports} {preposition} {}{implicit}", self.peer)
    }
}

/// A reference or value as text: `Ref` and `GetAtt` by logical ID.
fn render(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            if let Some(Value::String(id)) = o.get("Ref") {
                return id.clone();
            }
            if let Some(Value::Array(parts)) = o.get("Fn::GetAtt") {
                return parts.iter().map(render).collect::<Vec<_>>().join(".");
            }
            if let Some(imported) = o.get("Fn::ImportValue") {
                return format!("import {}", render(imported));
            }
            value.to_string()
        }
        other => other.to_string(),
    }
}

fn protocol(value: Option<&Value>) -> String {
    let text = value.map(render).unwrap_or_else(|| "all".to_string());
    // IpProtocol takes a name or an IANA number; -1 is every protocol.
    match text.to_ascii_lowercase().as_str() {
        "-1" | "all" => "all".to_string(),
        "6" | "tcp" => "tcp".to_string(),
        "17" | "udp" => "udp".to_string(),
        "1" | "icmp" => "icmp".to_string(),
        "58" | "icmpv6" => "icmpv6".to_string(),
        other => other.to_string(),
    }
}

fn port(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn rule_from(group: String, direction: Direction, p: &Map<String, Value>) -> Rule {
    let protocol = protocol(p.get("IpProtocol"));
    let ports = match (port(p.get("FromPort")), port(p.get("ToPort"))) {
        _ if protocol == "all" => None,
        (Some(-1), _) | (_, Some(-1)) | (None, None) => None,
        (Some(a), Some(b)) => Some((a, b)),
        (Some(a), None) | (None, Some(a)) => Some((a, a)),
    };
    let peer_keys = [
        "CidrIp",
        "CidrIpv6",
        "SourceSecurityGroupId",
        "SourceSecurityGroupName",
        "SourcePrefixListId",
        "DestinationSecurityGroupId",
        "DestinationPrefixListId",
    ];
    let peer = peer_keys
        .iter()
        .find_map(|k| p.get(*k).map(|v| (*k, v)))
        .map(|(key, value)| match (key, value) {
            ("CidrIp" | "CidrIpv6", Value::String(text)) => text
                .parse::<IpNet>()
                .map(|n| Peer::Cidr(n.trunc()))
                .unwrap_or_else(|_| Peer::Other(text.clone())),
            (_, value) => Peer::Other(render(value)),
        })
        .unwrap_or_else(|| Peer::Other("(no peer)".to_string()));
    Rule {
        group,
        direction,
        protocol,
        ports,
        peer,
        implicit: false,
    }
}

fn rules(resources: &Map<String, Value>) -> Vec<Rule> {
    let mut out = Vec::new();
    for (id, resource) in resources {
        let kind = resource.get("Type").and_then(Value::as_str).unwrap_or("");
        let empty = Map::new();
        let props = resource
            .get("Properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        match kind {
            "AWS::EC2::SecurityGroup" => {
                for (key, direction) in [
                    ("SecurityGroupIngress", Direction::Ingress),
                    ("SecurityGroupEgress", Direction::Egress),
                ] {
                    for rule in props
                        .get(key)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(rule) = rule.as_object() {
                            out.push(rule_from(id.clone(), direction, rule));
                        }
                    }
                }
                if !props.contains_key("SecurityGroupEgress") {
                    for world in ["0.0.0.0/0", "::/0"] {
                        if let Ok(net) = world.parse::<IpNet>() {
                            out.push(Rule {
                                group: id.clone(),
                                direction: Direction::Egress,
                                protocol: "all".to_string(),
                                ports: None,
                                peer: Peer::Cidr(net),
                                implicit: true,
                            });
                        }
                    }
                }
            }
            "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
                let direction = if kind.ends_with("Ingress") {
                    Direction::Ingress
                } else {
                    Direction::Egress
                };
                let group = props
                    .get("GroupId")
                    .or_else(|| props.get("GroupName"))
                    .map(render)
                    .unwrap_or_else(|| id.clone());
                out.push(rule_from(group, direction, props));
            }
            _ => {}
        }
    }
    out
}

fn rule_changes(before: &[Rule], after: &[Rule]) -> Vec<SecurityChange> {
    let mut changes = Vec::new();
    for rule in after.iter().filter(|r| !before.contains(r)) {
        let covered = before.iter().any(|old| old.covers(rule));
        let broadening = !covered
            && match rule.direction {
                Direction::Ingress => true,
                Direction::Egress => rule.to_world() || matches!(rule.peer, Peer::Other(_)),
            };
        changes.push(SecurityChange {
            broadening,
            sign: '+',
            resource: rule.group.clone(),
            what: rule.describe(),
        });
    }
    for rule in before.iter().filter(|r| !after.contains(r)) {
        changes.push(SecurityChange {
            broadening: false,
            sign: '-',
            resource: rule.group.clone(),
            what: rule.describe(),
        });
    }
    changes
}

fn of_type<'a>(
    resources: &'a Map<String, Value>,
    kinds: &'a [&str],
) -> impl Iterator<Item = (&'a String, &'a Map<String, Value>)> + 'a {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    resources.iter().filter_map(move |(id, r)| {
        let kind = r.get("Type").and_then(Value::as_str)?;
        kinds.contains(&kind).then(|| {
            (
                id,
                r.get("Properties")
                    .and_then(Value::as_object)
                    .unwrap_or_else(|| EMPTY.get_or_init(Map::new)),
            )
        })
    })
}

fn statements(policy: Option<&Value>) -> Vec<Value> {
    match policy.and_then(|p| p.get("Statement")) {
        Some(Value::Array(list)) => list.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    }
}

fn statement_text(statement: &Value) -> String {
    let field = |k: &str| statement.get(k).map(render).unwrap_or_else(|| "*".into());
    format!(
        "{} {} on {} for {}",
        statement
            .get("Effect")
            .and_then(Value::as_str)
            .unwrap_or("?"),
        field("Action"),
        field("Resource"),
        statement
            .get("Principal")
            .map(render)
            .unwrap_or_else(|| "*".into())
    )
}

const POLICY_HOLDERS: &[&str] = &["AWS::EC2::VPCEndpoint", "AWS::S3::BucketPolicy"];

fn policy_changes(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<SecurityChange> {
    let mut changes = Vec::new();
    let old: Vec<_> = of_type(before, POLICY_HOLDERS).collect();
    for (id, props) in of_type(after, POLICY_HOLDERS) {
        let previous = old
            .iter()
            .find(|(old_id, _)| *old_id == id)
            .map(|(_, p)| *p);
        let new_policy = props.get("PolicyDocument");
        let old_policy = previous.and_then(|p| p.get("PolicyDocument"));
        let is_endpoint = !props.contains_key("Bucket");
        if is_endpoint && new_policy.is_none() {
            if previous.is_some() && old_policy.is_some() {
                changes.push(SecurityChange {
                    broadening: true,
                    sign: '-',
                    resource: id.clone(),
                    what: "endpoint policy removed: the endpoint allows full access".into(),
                });
            }
            continue;
        }
        let new_statements = statements(new_policy);
        // An endpoint that had no policy allowed everything: nothing added to it is wider.
        let old_statements = if is_endpoint && previous.is_some() && old_policy.is_none() {
            None
        } else {
            Some(statements(old_policy))
        };
        for s in &new_statements {
            if old_statements.as_ref().is_some_and(|old| old.contains(s)) {
                continue;
            }
            let allow = s.get("Effect").and_then(Value::as_str) == Some("Allow");
            changes.push(SecurityChange {
                broadening: allow && old_statements.is_some(),
                sign: '+',
                resource: id.clone(),
                what: format!("policy statement {}", statement_text(s)),
            });
        }
        for s in old_statements.iter().flatten() {
            if new_statements.contains(s) {
                continue;
            }
            let deny = s.get("Effect").and_then(Value::as_str) == Some("Deny");
            changes.push(SecurityChange {
                broadening: deny,
                sign: '-',
                resource: id.clone(),
                what: format!("policy statement {}", statement_text(s)),
            });
        }
    }
    changes
}

fn principal_changes(
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> Vec<SecurityChange> {
    let principals = |resources: &Map<String, Value>| -> Vec<(String, String)> {
        of_type(resources, &["AWS::EC2::VPCEndpointServicePermissions"])
            .flat_map(|(id, p)| {
                p.get("AllowedPrincipals")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(move |principal| (id.clone(), render(principal)))
            })
            .collect()
    };
    let old = principals(before);
    let new = principals(after);
    let mut changes: Vec<SecurityChange> = new
        .iter()
        .filter(|p| !old.contains(p))
        .map(|(id, principal)| SecurityChange {
            broadening: true,
            sign: '+',
            resource: id.clone(),
            what: format!("allowed principal {principal}"),
        })
        .collect();
    changes.extend(
        old.iter()
            .filter(|p| !new.contains(p))
            .map(|(id, principal)| SecurityChange {
                broadening: false,
                sign: '-',
                resource: id.clone(),
                what: format!("allowed principal {principal}"),
            }),
    );
    let services_before: Vec<_> = of_type(before, &["AWS::EC2::VPCEndpointService"]).collect();
    for (id, props) in of_type(after, &["AWS::EC2::VPCEndpointService"]) {
        let required =
            |p: &Map<String, Value>| p.get("AcceptanceRequired") == Some(&Value::Bool(true));
        if let Some((_, old)) = services_before.iter().find(|(old_id, _)| *old_id == id)
            && required(old)
            && !required(props)
        {
            changes.push(SecurityChange {
                broadening: true,
                sign: '~',
                resource: id.clone(),
                what: "acceptance turned off: allowed principals connect without approval".into(),
            });
        }
    }
    changes
}

fn endpoint_changes(
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> Vec<SecurityChange> {
    let mut changes = Vec::new();
    let service = |p: &Map<String, Value>| p.get("ServiceName").map(render).unwrap_or_default();
    let interface = |p: &Map<String, Value>| {
        p.get("VpcEndpointType").and_then(Value::as_str) == Some("Interface")
    };
    let gateway = |p: &Map<String, Value>| {
        matches!(
            p.get("VpcEndpointType").and_then(Value::as_str),
            None | Some("Gateway")
        )
    };
    let private_dns =
        |p: &Map<String, Value>| p.get("PrivateDnsEnabled") == Some(&Value::Bool(true));
    let tables = |p: &Map<String, Value>| -> Vec<String> {
        p.get("RouteTableIds")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(render)
            .collect()
    };
    let new: Vec<_> = of_type(after, &["AWS::EC2::VPCEndpoint"]).collect();
    for (id, old) in of_type(before, &["AWS::EC2::VPCEndpoint"]) {
        let Some((_, now)) = new.iter().find(|(new_id, _)| *new_id == id) else {
            if (interface(old) && private_dns(old)) || gateway(old) {
                changes.push(SecurityChange {
                    broadening: true,
                    sign: '-',
                    resource: id.clone(),
                    what: format!(
                        "endpoint for {} removed: its traffic leaves through NAT or an internet \
                         gateway where a default route exists",
                        service(old)
                    ),
                });
            }
            continue;
        };
        if interface(old) && private_dns(old) && !private_dns(now) {
            changes.push(SecurityChange {
                broadening: true,
                sign: '~',
                resource: id.clone(),
                what: format!(
                    "private DNS off: {}'s public name resolves to public addresses again",
                    service(old)
                ),
            });
        }
        if gateway(old) {
            let kept = tables(now);
            for table in tables(old).into_iter().filter(|t| !kept.contains(t)) {
                changes.push(SecurityChange {
                    broadening: true,
                    sign: '-',
                    resource: id.clone(),
                    what: format!(
                        "route table {table} off the gateway endpoint: {} traffic from its \
                         subnets leaves the endpoint",
                        service(old)
                    ),
                });
            }
        }
    }
    changes
}

fn route_changes(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<SecurityChange> {
    let old: Vec<_> = of_type(before, &["AWS::EC2::Route"]).collect();
    let internet_gateways: Vec<&String> = of_type(after, &["AWS::EC2::InternetGateway"])
        .map(|(id, _)| id)
        .collect();
    let mut changes = Vec::new();
    for (id, props) in of_type(after, &["AWS::EC2::Route"]) {
        let Some(gateway) = props.get("GatewayId").map(render) else {
            continue;
        };
        // GatewayId also takes virtual private gateways (vgw-…); an internet gateway is one of
        // this template's, or an igw- ID.
        let internet = gateway.starts_with("igw-") || internet_gateways.contains(&&gateway);
        let unchanged = old.iter().any(|(old_id, p)| {
            *old_id == id && p.get("GatewayId").map(render) == Some(gateway.clone())
        });
        if internet && !unchanged {
            let destination = props
                .get("DestinationCidrBlock")
                .or_else(|| props.get("DestinationIpv6CidrBlock"))
                .map(render)
                .unwrap_or_default();
            changes.push(SecurityChange {
                broadening: true,
                sign: '+',
                resource: id.clone(),
                what: format!(
                    "route {destination} to internet gateway {gateway} in {}: its subnets are public",
                    props.get("RouteTableId").map(render).unwrap_or_default()
                ),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sg(ingress: Value, egress: Option<Value>) -> Value {
        let mut props = json!({"GroupDescription": "d", "SecurityGroupIngress": ingress});
        if let Some(egress) = egress {
            props["SecurityGroupEgress"] = egress;
        }
        json!({"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": props}}})
    }

    fn https(cidr: &str) -> Value {
        json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": cidr})
    }

    fn broadening(before: Option<&Value>, after: &Value) -> Vec<String> {
        security_changes(before, after)
            .into_iter()
            .filter(|c| c.broadening)
            .map(|c| format!("{} {}", c.resource, c.what))
            .collect()
    }

    #[test]
    fn a_widened_ingress_broadens_and_a_narrowed_one_does_not() {
        let narrow = sg(json!([https("10.0.0.0/16")]), Some(json!([])));
        let wide = sg(json!([https("10.0.0.0/8")]), Some(json!([])));
        assert_eq!(
            broadening(Some(&narrow), &wide),
            ["Sg ingress TCP 443 from 10.0.0.0/8"]
        );
        assert!(broadening(Some(&wide), &narrow).is_empty());
        let both = sg(
            json!([https("10.0.0.0/8"), https("10.1.0.0/16")]),
            Some(json!([])),
        );
        assert!(
            broadening(Some(&wide), &both).is_empty(),
            "a /16 inside an allowed /8 adds nothing"
        );
        // Another port is not covered by 443.
        let ssh = sg(
            json!([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/16"}]),
            Some(json!([])),
        );
        assert_eq!(
            broadening(Some(&narrow), &ssh),
            ["Sg ingress TCP 22 from 10.0.0.0/16"]
        );
        // All protocols under "-1" cover everything; a numbered protocol is its name.
        let all = sg(
            json!([{"IpProtocol": "-1", "CidrIp": "10.0.0.0/16"}]),
            Some(json!([])),
        );
        let numbered = sg(
            json!([{"IpProtocol": "6", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}]),
            Some(json!([])),
        );
        assert!(broadening(Some(&all), &numbered).is_empty());
        // "-1" means every port whatever FromPort and ToPort say (CloudFormation ignores them).
        let all_with_ports = sg(
            json!([{"IpProtocol": "-1", "FromPort": 0, "ToPort": 0, "CidrIp": "10.0.0.0/16"}]),
            Some(json!([])),
        );
        assert!(broadening(Some(&all_with_ports), &numbered).is_empty());
        // Ports given as text (both are valid in a template) are the same ports.
        let text_ports = sg(
            json!([{"IpProtocol": "tcp", "FromPort": "443", "ToPort": "443", "CidrIp": "10.0.0.0/16"}]),
            Some(json!([])),
        );
        assert!(broadening(Some(&wide), &text_ports).is_empty());
        assert_eq!(
            broadening(Some(&numbered), &all),
            ["Sg ingress all traffic from 10.0.0.0/16"]
        );
    }

    #[test]
    fn egress_to_the_world_broadens_including_aws_default() {
        let closed = sg(json!([]), Some(json!([https("10.0.0.0/16")])));
        let open = sg(
            json!([]),
            Some(json!([{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}])),
        );
        assert_eq!(
            broadening(Some(&closed), &open),
            ["Sg egress all traffic to 0.0.0.0/0"]
        );
        let default = sg(json!([]), None);
        let found = broadening(Some(&closed), &default);
        assert_eq!(found.len(), 2, "IPv4 and IPv6: {found:?}");
        assert!(found[0].contains("AWS's default"), "{found:?}");
        // Egress inside the VPC is not broadening; nor is narrowing AWS's default.
        let inside = sg(json!([]), Some(json!([https("10.1.0.0/16")])));
        assert!(broadening(Some(&closed), &inside).is_empty());
        assert!(broadening(Some(&default), &closed).is_empty());
    }

    #[test]
    fn a_new_stack_broadens_with_its_ingress() {
        let new = sg(json!([https("10.0.0.0/16")]), Some(json!([])));
        assert_eq!(
            broadening(None, &new),
            ["Sg ingress TCP 443 from 10.0.0.0/16"]
        );
    }

    #[test]
    fn standalone_rules_and_group_peers() {
        let rule = |peer: &str| {
            json!({"Resources": {"In": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                "GroupId": {"Fn::GetAtt": ["Sg", "GroupId"]}, "IpProtocol": "tcp",
                "FromPort": 443, "ToPort": 443, "SourceSecurityGroupId": {"Ref": peer}}}}})
        };
        assert!(broadening(Some(&rule("App")), &rule("App")).is_empty());
        assert_eq!(
            broadening(Some(&rule("App")), &rule("Other")),
            ["Sg.GroupId ingress TCP 443 from Other"]
        );
    }

    #[test]
    fn policies_principals_acceptance() {
        let endpoint = |policy: Option<Value>| {
            let mut props = json!({"ServiceName": "com.amazonaws.us-east-1.s3", "VpcId": "v"});
            if let Some(p) = policy {
                props["PolicyDocument"] = p;
            }
            json!({"Resources": {"S3": {"Type": "AWS::EC2::VPCEndpoint", "Properties": props}}})
        };
        let allow = |resource: &str| json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": resource, "Principal": "*"});
        let one = endpoint(Some(json!({"Statement": [allow("arn:aws:s3:::a/*")]})));
        let two = endpoint(Some(
            json!({"Statement": [allow("arn:aws:s3:::a/*"), allow("arn:aws:s3:::b/*")]}),
        ));
        assert_eq!(
            broadening(Some(&one), &two),
            ["S3 policy statement Allow s3:GetObject on arn:aws:s3:::b/* for *"]
        );
        assert!(broadening(Some(&two), &one).is_empty());
        assert_eq!(
            broadening(Some(&one), &endpoint(None)),
            ["S3 endpoint policy removed: the endpoint allows full access"]
        );
        assert!(
            broadening(Some(&endpoint(None)), &one).is_empty(),
            "a policy on a full-access endpoint narrows it"
        );
        let deny = endpoint(Some(json!({"Statement": [allow("*"),
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Principal": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-1"}}}]})));
        let no_deny = endpoint(Some(json!({"Statement": [allow("*")]})));
        assert_eq!(broadening(Some(&deny), &no_deny).len(), 1);

        let service = |acceptance: bool, principals: Value| {
            json!({"Resources": {
                "Svc": {"Type": "AWS::EC2::VPCEndpointService", "Properties": {"AcceptanceRequired": acceptance}},
                "Perms": {"Type": "AWS::EC2::VPCEndpointServicePermissions", "Properties": {
                    "ServiceId": {"Ref": "Svc"}, "AllowedPrincipals": principals}}}})
        };
        let a = json!(["arn:aws:iam::111111111111:root"]);
        let ab = json!([
            "arn:aws:iam::111111111111:root",
            "arn:aws:iam::222222222222:root"
        ]);
        assert_eq!(
            broadening(Some(&service(true, a.clone())), &service(true, ab.clone())),
            ["Perms allowed principal arn:aws:iam::222222222222:root"]
        );
        assert!(broadening(Some(&service(true, ab.clone())), &service(true, a.clone())).is_empty());
        let removed = security_changes(Some(&service(true, ab)), &service(true, a.clone()));
        assert_eq!(
            removed
                .iter()
                .map(|c| format!("{} {} {}", c.sign, c.resource, c.what))
                .collect::<Vec<_>>(),
            ["- Perms allowed principal arn:aws:iam::222222222222:root"]
        );
        assert_eq!(
            broadening(Some(&service(true, a.clone())), &service(false, a.clone())),
            ["Svc acceptance turned off: allowed principals connect without approval"]
        );
        assert!(broadening(Some(&service(false, a.clone())), &service(true, a)).is_empty());
    }

    #[test]
    fn private_dns_removed_endpoints_and_internet_routes() {
        let interface = |dns: bool| {
            json!({"Resources": {"Sqs": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
                "VpcEndpointType": "Interface", "ServiceName": "com.amazonaws.us-east-1.sqs",
                "PrivateDnsEnabled": dns}}}})
        };
        assert_eq!(
            broadening(Some(&interface(true)), &interface(false)).len(),
            1
        );
        assert!(broadening(Some(&interface(false)), &interface(true)).is_empty());
        let nothing = json!({"Resources": {}});
        assert_eq!(broadening(Some(&interface(true)), &nothing).len(), 1);
        assert!(broadening(Some(&interface(false)), &nothing).is_empty());
        let gateway = |tables: Value| {
            json!({"Resources": {"S3": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
                "ServiceName": "com.amazonaws.us-east-1.s3", "RouteTableIds": tables}}}})
        };
        let two = gateway(json!([{"Ref": "A"}, {"Ref": "B"}]));
        let one = gateway(json!([{"Ref": "A"}]));
        let found = broadening(Some(&two), &one);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("route table B"), "{found:?}");
        assert!(broadening(Some(&one), &two).is_empty());

        let route = |target: Value| {
            json!({"Resources": {
                "Igw": {"Type": "AWS::EC2::InternetGateway"},
                "Default": {"Type": "AWS::EC2::Route", "Properties": {
                    "RouteTableId": {"Ref": "Private"}, "DestinationCidrBlock": "0.0.0.0/0",
                    "GatewayId": target}}}})
        };
        let to_igw = route(json!({"Ref": "Igw"}));
        let to_vgw = route(json!("vgw-0123"));
        let found = broadening(Some(&to_vgw), &to_igw);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("0.0.0.0/0 to internet gateway Igw in Private"));
        assert!(broadening(Some(&to_igw), &to_igw).is_empty());
        assert!(broadening(None, &to_vgw).is_empty());
    }

    #[test]
    fn the_table_marks_broadening_changes() {
        let narrow = sg(json!([https("10.0.0.0/16")]), Some(json!([])));
        let wide = sg(json!([https("10.0.0.0/8")]), Some(json!([])));
        let table = security_table(&security_changes(Some(&narrow), &wide));
        assert_eq!(
            table,
            "security changes (1 broaden access, marked !):\n\
             \x20 ! + Sg                           ingress TCP 443 from 10.0.0.0/8\n\
             \x20   - Sg                           ingress TCP 443 from 10.0.0.0/16\n"
        );
    }
}
