//! Diagrams of the app: VPCs as clusters holding their subnets, endpoints, load balancers and
//! gateways, and the declared flows coloured by the path they take. Graphviz DOT and Mermaid.

use std::fmt::Write as _;

use crate::constructs::endpoint_service::EndpointServiceNode;
use crate::constructs::gateway_endpoint::GatewayEndpointNode;
use crate::constructs::interface_endpoint::InterfaceEndpointNode;
use crate::constructs::internet_gateway::InternetGatewayNode;
use crate::constructs::nat_gateway::NatGatewayNode;
use crate::constructs::network_load_balancer::NetworkLoadBalancerNode;
use crate::constructs::workload::WorkloadNode;
use crate::stack::StackDef;
use crate::traffic::{PathKind, TrafficReport};

/// A box in the diagram.
struct Box_ {
    id: String,
    label: String,
    shape: &'static str,
}

/// A line between two boxes.
struct Line {
    from: String,
    to: String,
    label: String,
    color: &'static str,
    dashed: bool,
}

impl Line {
    /// A grey dashed line: how the topology is wired, not a flow.
    fn structural(from: &str, to: String, label: &str) -> Line {
        Line {
            from: from.to_string(),
            to,
            label: label.to_string(),
            color: "#9e9e9e",
            dashed: true,
        }
    }
}

/// The diagram's content, independent of its notation.
struct Model {
    clusters: Vec<(String, Vec<Box_>)>,
    outside: Vec<Box_>,
    lines: Vec<Line>,
}

fn color(path: PathKind) -> &'static str {
    match path {
        PathKind::GatewayEndpoint => "#2e7d32",
        PathKind::InterfaceEndpoint => "#1565c0",
        PathKind::NatGateway | PathKind::InternetGateway => "#ef6c00",
        PathKind::Unreachable => "#c62828",
    }
}

fn model(stacks: &[StackDef], traffic: &TrafficReport) -> Model {
    let mut clusters = Vec::new();
    let mut outside: Vec<Box_> = Vec::new();
    let mut lines = Vec::new();
    let aws = |name: &str, outside: &mut Vec<Box_>| {
        let id = format!("aws:{name}");
        if !outside.iter().any(|b| b.id == id) {
            outside.push(Box_ {
                id: id.clone(),
                label: format!("AWS {name}"),
                shape: "cylinder",
            });
        }
        id
    };
    for stack in stacks {
        // One pass over the stack: each box into its VPC's cluster, in the order added.
        let mut vpc_boxes: indexmap::IndexMap<&str, Vec<Box_>> =
            stack.vpcs.keys().map(|v| (&**v, Vec::new())).collect();
        let mut put = |vpc: &str, b: Box_| {
            if let Some(boxes) = vpc_boxes.get_mut(vpc) {
                boxes.push(b);
            }
        };
        for (id, subnet) in &stack.subnets {
            let cidr = subnet.cidr.map(|c| c.to_string()).unwrap_or_default();
            put(
                &subnet.vpc,
                Box_ {
                    id: stack.path(id),
                    label: format!("{id}\\n{cidr}\\n{}", subnet.az),
                    shape: "box",
                },
            );
        }
        for node in &stack.nodes {
            let any = node.as_ref() as &dyn std::any::Any;
            let path = stack.path(node.id());
            if let Some(w) = any.downcast_ref::<WorkloadNode>() {
                put(
                    &w.vpc,
                    Box_ {
                        id: path,
                        label: format!("{}\\nworkload", w.id),
                        shape: "oval",
                    },
                );
            } else if let Some(e) = any.downcast_ref::<GatewayEndpointNode>() {
                let target = aws(e.service, &mut outside);
                lines.push(Line::structural(&path, target, ""));
                put(
                    &e.vpc.id,
                    Box_ {
                        id: path,
                        label: format!("{}\\ngateway endpoint", e.id),
                        shape: "diamond",
                    },
                );
            } else if let Some(e) = any.downcast_ref::<InterfaceEndpointNode>() {
                let target = match &e.target.aws_service {
                    Some(service) => Some(aws(service, &mut outside)),
                    None => crate::privatelink::resolve(stacks, stack, e)
                        .map(|(provider, service)| provider.path(&service.id)),
                };
                if let Some(target) = target {
                    let label = if e.target.aws_service.is_some() {
                        ""
                    } else {
                        "PrivateLink"
                    };
                    lines.push(Line::structural(&path, target, label));
                }
                put(
                    &e.vpc.id,
                    Box_ {
                        id: path,
                        label: format!("{}\\ninterface endpoint", e.id),
                        shape: "hexagon",
                    },
                );
            } else if let Some(nlb) = any.downcast_ref::<NetworkLoadBalancerNode>() {
                put(
                    &nlb.vpc,
                    Box_ {
                        id: path,
                        label: format!("{}\\nNetwork Load Balancer", nlb.id),
                        shape: "component",
                    },
                );
            } else if let Some(svc) = any.downcast_ref::<EndpointServiceNode>() {
                for nlb in &svc.network_load_balancers {
                    lines.push(Line::structural(&path, nlb.path(), ""));
                }
                put(
                    &svc.vpc,
                    Box_ {
                        id: path,
                        label: format!("{}\\nendpoint service", svc.id),
                        shape: "doubleoctagon",
                    },
                );
            } else if let Some(igw) = any.downcast_ref::<InternetGatewayNode>() {
                put(
                    &igw.vpc.id,
                    Box_ {
                        id: path,
                        label: format!("{}\\ninternet gateway", igw.id),
                        shape: "invtrapezium",
                    },
                );
            } else if let Some(nat) = any.downcast_ref::<NatGatewayNode>() {
                put(
                    &nat.subnet.vpc,
                    Box_ {
                        id: path,
                        label: format!("{}\\nNAT gateway", nat.id),
                        shape: "trapezium",
                    },
                );
            }
        }
        for (vpc, boxes) in vpc_boxes {
            let cidr = stack
                .vpcs
                .get(vpc)
                .and_then(|f| f.cidr)
                .map(|c| c.to_string())
                .unwrap_or_default();
            clusters.push((format!("{} / {vpc} {cidr}", stack.name), boxes));
        }
    }
    for flow in &traffic.flows {
        let destination = if flow.destination.contains('/') {
            flow.destination.clone()
        } else {
            aws(&flow.destination, &mut outside)
        };
        // One line per distinct (path, via): subnets that agree are drawn once.
        let mut drawn: Vec<(PathKind, Option<String>)> = Vec::new();
        for subnet in &flow.subnets {
            let key = (subnet.path, subnet.via.clone());
            if drawn.contains(&key) {
                continue;
            }
            drawn.push(key);
            let short = flow
                .destination
                .rsplit('/')
                .next()
                .unwrap_or(&flow.destination);
            let label = format!("{short} {}", flow.port);
            let to = subnet.via.clone().unwrap_or_else(|| destination.clone());
            lines.push(Line {
                from: flow.workload.clone(),
                to: to.clone(),
                label,
                color: color(subnet.path),
                dashed: subnet.path == PathKind::Unreachable,
            });
            // Public paths go on from the gateway to the service, over the internet.
            if matches!(
                subnet.path,
                PathKind::NatGateway | PathKind::InternetGateway
            ) && !lines.iter().any(|l| l.from == to && l.to == destination)
            {
                lines.push(Line {
                    from: to,
                    to: destination.clone(),
                    label: "internet".into(),
                    color: color(subnet.path),
                    dashed: false,
                });
            }
        }
    }
    Model {
        clusters,
        outside,
        lines,
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\\\""))
}

/// The app as Graphviz DOT.
pub(crate) fn dot(app: &str, stacks: &[StackDef], traffic: &TrafficReport) -> String {
    let model = model(stacks, traffic);
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(app));
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=\"#ffffff\"];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    for (i, (label, boxes)) in model.clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{i} {{");
        let _ = writeln!(
            out,
            "    label={}; style=\"rounded,filled\"; fillcolor=\"#f5f7fa\";",
            quote(label)
        );
        for b in boxes {
            let _ = writeln!(
                out,
                "    {} [label={}, shape={}];",
                quote(&b.id),
                quote(&b.label),
                b.shape
            );
        }
        let _ = writeln!(out, "  }}");
    }
    for b in &model.outside {
        let _ = writeln!(
            out,
            "  {} [label={}, shape={}, fillcolor=\"#fff8e1\"];",
            quote(&b.id),
            quote(&b.label),
            b.shape
        );
    }
    for l in &model.lines {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, color={}, fontcolor={}{}];",
            quote(&l.from),
            quote(&l.to),
            quote(&l.label),
            quote(l.color),
            quote(l.color),
            if l.dashed {
                ", style=dashed"
            } else {
                ", penwidth=2"
            }
        );
    }
    if !traffic.flows.is_empty() {
        let _ = writeln!(
            out,
            "  legend [shape=note, fillcolor=\"#fafafa\", label=\"flows\\lgreen: private, gateway endpoint\\lblue: private, interface endpoint\\lorange: public internet (NAT or internet gateway)\\lred, dashed: unreachable\\l\"];"
        );
    }
    out.push_str("}\n");
    out
}

/// Mermaid node IDs: letters, digits and underscores.
fn mermaid_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// The app as a Mermaid flowchart.
pub(crate) fn mermaid(stacks: &[StackDef], traffic: &TrafficReport) -> String {
    let model = model(stacks, traffic);
    let mut out = String::from("flowchart LR\n");
    let node = |b: &Box_| {
        // Mermaid reads `#…;` as an entity: write `#` as one.
        let label = b
            .label
            .replace('#', "#35;")
            .replace("\\n", "<br/>")
            .replace('"', "'");
        let (open, close) = match b.shape {
            "oval" => ("([", "])"),
            "cylinder" => ("[(", ")]"),
            "diamond" => ("{", "}"),
            "hexagon" => ("{{", "}}"),
            "doubleoctagon" => ("[[", "]]"),
            _ => ("[", "]"),
        };
        format!("{}{open}\"{label}\"{close}", mermaid_id(&b.id))
    };
    for (i, (label, boxes)) in model.clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph vpc{i}[\"{}\"]", label.replace('"', "'"));
        for b in boxes {
            let _ = writeln!(out, "    {}", node(b));
        }
        let _ = writeln!(out, "  end");
    }
    for b in &model.outside {
        let _ = writeln!(out, "  {}", node(b));
    }
    for (i, l) in model.lines.iter().enumerate() {
        let arrow = if l.dashed { "-.->" } else { "==>" };
        if l.label.is_empty() {
            let _ = writeln!(
                out,
                "  {} {arrow} {}",
                mermaid_id(&l.from),
                mermaid_id(&l.to)
            );
        } else {
            let _ = writeln!(
                out,
                "  {} {arrow}|\"{}\"| {}",
                mermaid_id(&l.from),
                l.label,
                mermaid_id(&l.to)
            );
        }
        let _ = writeln!(out, "  linkStyle {i} stroke:{}", l.color);
    }
    out
}
