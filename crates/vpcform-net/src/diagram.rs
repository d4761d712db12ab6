//! Diagrams of the app: VPCs as clusters holding their subnets, endpoints, load balancers and
//! gateways, and the declared flows coloured by the path they take. Graphviz DOT and Mermaid.

use std::fmt::Write as _;

use crate::identity::NodeKey;
use crate::model::{Drawing, Model as NetworkModel, Node};
use crate::traffic::{PathKind, Target, Traffic};

/// A box in the diagram.
#[derive(Debug)]
struct Box_ {
    id: String,
    label: String,
    shape: &'static str,
}

/// A line between two boxes.
#[derive(Debug)]
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

/// The diagram's content, independent of its notation: built once per synthesis, drawn in
/// DOT or Mermaid only when asked for.
#[derive(Debug)]
pub(crate) struct Picture {
    clusters: Vec<(String, Vec<Box_>)>,
    outside: Vec<Box_>,
    lines: Vec<Line>,
}

fn color(path: PathKind) -> &'static str {
    match path {
        PathKind::GatewayEndpoint => "#2e7d32",
        PathKind::InterfaceEndpoint | PathKind::PendingAcceptance => "#1565c0",
        PathKind::LatticeEndpoint => "#6a1b9a",
        PathKind::NatGateway | PathKind::InternetGateway => "#ef6c00",
        PathKind::Unknown => "#757575",
        PathKind::Unreachable => "#c62828",
    }
}

pub(crate) fn picture(model: &NetworkModel<'_>, traffic: &Traffic) -> Picture {
    let mut drawer = Drawer::default();
    for stack in model.stacks {
        drawer.stack(model, stack);
    }
    for flow in &traffic.outcomes {
        drawer.flow(model, flow);
    }
    Picture {
        clusters: drawer.clusters,
        outside: drawer.outside,
        lines: drawer.lines,
    }
}

/// The picture as it is drawn: stack by stack, then flow by flow.
#[derive(Default)]
struct Drawer {
    clusters: Vec<(String, Vec<Box_>)>,
    outside: Vec<Box_>,
    lines: Vec<Line>,
    /// Internet legs already drawn (gateway → service): a set, not a scan of every line.
    internet_legs: std::collections::HashSet<(String, String)>,
    /// Legs inside the transit network (between hops) already drawn.
    transit_legs: std::collections::HashSet<(String, String)>,
}

impl Drawer {
    /// An AWS service's box, outside the VPCs (once); its ID.
    fn aws(&mut self, name: &str) -> String {
        let id = format!("aws:{name}");
        if !self.outside.iter().any(|b| b.id == id) {
            self.outside.push(Box_ {
                id: id.clone(),
                label: format!("AWS {name}"),
                shape: "cylinder",
            });
        }
        id
    }

    /// A stack's VPCs as clusters, each construct's box in its VPC's cluster (subnets first,
    /// then in the order added), and the structural lines between them.
    fn stack(&mut self, model: &NetworkModel<'_>, stack: &crate::stack::StackDef) {
        let mut vpc_boxes: indexmap::IndexMap<NodeKey, (String, Vec<Box_>)> =
            indexmap::IndexMap::new();
        for (key, node) in stack.keyed_nodes() {
            if let Node::Vpc(vpc) = node {
                let cidr = vpc.parsed.map(|c| c.to_string()).unwrap_or_default();
                let existing = if vpc.existing.is_some() {
                    " (existing)"
                } else {
                    ""
                };
                vpc_boxes.insert(
                    key,
                    (
                        format!("{} / {} {cidr}{existing}", stack.name, vpc.id),
                        Vec::new(),
                    ),
                );
            }
        }
        let mut nodes: Vec<(NodeKey, &Node)> = stack.keyed_nodes().collect();
        nodes.sort_by_key(|(_, node)| !matches!(node, Node::Subnet(_)));
        for (key, node) in nodes {
            let path = stack.path(node.id());
            let drawn = self.construct(model, key, node, &path, &mut vpc_boxes);
            if let Some((label, shape)) = drawn
                && let Some(vpc) = node.vpc(key)
                && let Some((_, boxes)) = vpc_boxes.get_mut(&vpc)
            {
                boxes.push(Box_ {
                    id: path,
                    label,
                    shape,
                });
            }
        }
        self.clusters.extend(vpc_boxes.into_values());
    }

    /// What a construct says it is drawn as: its box's label and shape (`None` when drawn
    /// outside the VPCs, or not at all), adding its lines.
    fn construct(
        &mut self,
        model: &NetworkModel<'_>,
        key: NodeKey,
        node: &Node,
        path: &str,
        vpc_boxes: &mut indexmap::IndexMap<NodeKey, (String, Vec<Box_>)>,
    ) -> Option<(String, &'static str)> {
        let id = node.id();
        let path = path.to_string();
        match node.construct().drawing() {
            Drawing::Subnet { cidr, az } => {
                let cidr = cidr.map(|c| c.to_string()).unwrap_or_default();
                Some((format!("{id}\\n{cidr}\\n{az}"), "box"))
            }
            Drawing::Box { label, shape } => Some((format!("{id}\\n{label}"), shape)),
            Drawing::GatewayEndpoint { service } => {
                let target = self.aws(service);
                self.lines.push(Line::structural(&path, target, ""));
                Some((format!("{id}\\ngateway endpoint"), "diamond"))
            }
            Drawing::InterfaceEndpoint { aws_service } => {
                let target = match aws_service {
                    Some(service) => Some((self.aws(service), "")),
                    None => model
                        .service_of(key)
                        .map(|(service, _)| (model.path(service), "PrivateLink")),
                };
                if let Some((target, label)) = target {
                    self.lines.push(Line::structural(&path, target, label));
                }
                Some((format!("{id}\\ninterface endpoint"), "hexagon"))
            }
            Drawing::EndpointService { load_balancers } => {
                for nlb in load_balancers {
                    self.lines.push(Line::structural(&path, nlb.path(), ""));
                }
                Some((format!("{id}\\nendpoint service"), "doubleoctagon"))
            }
            // Drawn once, outside the VPCs it connects.
            Drawing::Regional { label, shape } => {
                if !self.outside.iter().any(|b| b.id == path) {
                    self.outside.push(Box_ {
                        id: path.clone(),
                        label: format!("{id}\\n{label}"),
                        shape,
                    });
                }
                None
            }
            Drawing::ResourceEndpoint { configuration } => {
                if let Some(configuration) = configuration {
                    self.lines
                        .push(Line::structural(&path, configuration.path(), "Lattice"));
                }
                Some((format!("{id}\\nresource endpoint"), "hexagon"))
            }
            Drawing::LatticeAssociation { network, resource } => {
                if let Some(network) = network {
                    self.lines.push(Line::structural(
                        &network.path(),
                        resource.path(),
                        "Lattice",
                    ));
                }
                None
            }
            Drawing::ServiceNetworkEndpoint { network } => {
                if let Some(network) = network {
                    self.lines
                        .push(Line::structural(&path, network.path(), "Lattice"));
                }
                Some((format!("{id}\\nservice network endpoint"), "hexagon"))
            }
            Drawing::Peering { peer_vpc } => {
                // Its box in the requester's cluster, a line to a box in the peer's.
                if let Some(peer) = peer_vpc
                    && let Some((_, boxes)) = vpc_boxes.get_mut(&peer)
                {
                    let accepter = format!("{path}/accepter");
                    boxes.push(Box_ {
                        id: accepter.clone(),
                        label: format!("{id}\\npeering (accepter)"),
                        shape: "cds",
                    });
                    self.lines
                        .push(Line::structural(&path, accepter, "peering"));
                }
                Some((format!("{id}\\nVPC peering"), "cds"))
            }
            Drawing::Attachment { transit_gateway } => {
                if let Some(tgw) = transit_gateway {
                    self.lines
                        .push(Line::structural(&path, model.path(tgw), ""));
                }
                Some((format!("{id}\\ntransit gateway attachment"), "cds"))
            }
            Drawing::Hidden => None,
        }
    }

    /// A flow's lines: one per distinct (path, via) of its subnets, through its hops.
    fn flow(&mut self, model: &NetworkModel<'_>, flow: &crate::traffic::FlowOutcome) {
        let (destination, short) = match &flow.destination {
            Target::AwsService(service) => (self.aws(service), service.clone()),
            Target::EndpointService(service) | Target::Resource(service) => (
                model.path(*service),
                model
                    .node(*service)
                    .map(|n| n.id().to_string())
                    .unwrap_or_default(),
            ),
        };
        let workload = model.path(flow.workload);
        // One line per distinct (path, via): subnets that agree are drawn once.
        let mut drawn: Vec<(PathKind, Option<NodeKey>)> = Vec::new();
        for subnet in &flow.subnets {
            let key = (subnet.path, subnet.via);
            if drawn.contains(&key) {
                continue;
            }
            drawn.push(key);
            let label = format!("{short} {}", flow.port_label);
            let to = subnet
                .via
                .map(|v| model.path(v))
                .unwrap_or_else(|| destination.clone());
            // Across VPCs the line goes through the hops (attachment, transit gateway, hub
            // attachment; or the peering connection), each leg drawn once.
            let mut from = workload.clone();
            let mut label = Some(label);
            for hop in subnet.hops.iter().map(|&h| model.path(h)) {
                if let Some(label) = label.take() {
                    self.lines.push(Line {
                        from: from.clone(),
                        to: hop.clone(),
                        label,
                        color: color(subnet.path),
                        dashed: subnet.path == PathKind::Unreachable,
                    });
                } else if self.transit_legs.insert((from.clone(), hop.clone())) {
                    self.lines.push(Line {
                        from: from.clone(),
                        to: hop.clone(),
                        label: String::new(),
                        color: color(subnet.path),
                        dashed: subnet.path == PathKind::Unreachable,
                    });
                }
                from = hop;
            }
            // The last leg: labelled when it is the only one, drawn once when it follows hops.
            let last = match label {
                Some(label) => Some(label),
                None => self
                    .transit_legs
                    .insert((from.clone(), to.clone()))
                    .then(String::new),
            };
            if let Some(label) = last {
                self.lines.push(Line {
                    from,
                    to: to.clone(),
                    label,
                    color: color(subnet.path),
                    dashed: subnet.path == PathKind::Unreachable,
                });
            }
            // Public paths go on from the gateway to the service, over the internet.
            if matches!(
                subnet.path,
                PathKind::NatGateway | PathKind::InternetGateway
            ) && self.internet_legs.insert((to.clone(), destination.clone()))
            {
                self.lines.push(Line {
                    from: to,
                    to: destination.clone(),
                    label: "internet".into(),
                    color: color(subnet.path),
                    dashed: false,
                });
            }
        }
    }
}

/// A DOT string: quoted, inner quotes escaped.
struct Quoted<'a>(&'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_char('"')?;
        for (i, part) in self.0.split('"').enumerate() {
            if i > 0 {
                f.write_str("\\\"")?;
            }
            f.write_str(part)?;
        }
        f.write_char('"')
    }
}

fn quote(s: &str) -> Quoted<'_> {
    Quoted(s)
}

/// The app as Graphviz DOT.
pub(crate) fn dot(app: &str, model: &Picture, flows: bool) -> String {
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
    if flows {
        let _ = writeln!(
            out,
            "  legend [shape=note, fillcolor=\"#fafafa\", label=\"flows\\lgreen: private, gateway endpoint\\lblue: private, interface endpoint\\lorange: public internet (NAT or internet gateway)\\lred, dashed: unreachable\\l\"];"
        );
    }
    out.push_str("}\n");
    out
}

/// A Mermaid node ID: letters, digits and underscores (written without an intermediate string).
struct MermaidId<'a>(&'a str);

impl std::fmt::Display for MermaidId<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in self.0.chars() {
            f.write_char(if c.is_ascii_alphanumeric() { c } else { '_' })?;
        }
        Ok(())
    }
}

fn mermaid_id(id: &str) -> MermaidId<'_> {
    MermaidId(id)
}

/// A Mermaid label: `#` as the entity `#35;` (Mermaid reads `#…;` as one), DOT's `\n` as
/// `<br/>`, `"` as `'`.
struct MermaidLabel<'a>(&'a str);

impl std::fmt::Display for MermaidLabel<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.0;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("\\n") {
                f.write_str("<br/>")?;
                rest = after;
                continue;
            }
            match c {
                '#' => f.write_str("#35;")?,
                '"' => f.write_char('\'')?,
                c => f.write_char(c)?,
            }
            rest = &rest[c.len_utf8()..];
        }
        Ok(())
    }
}

/// The app as a Mermaid flowchart.
pub(crate) fn mermaid(model: &Picture) -> String {
    let mut out = String::from("flowchart LR\n");
    let node = |out: &mut String, indent: &str, b: &Box_| {
        let (open, close) = match b.shape {
            "oval" => ("([", "])"),
            "cylinder" => ("[(", ")]"),
            "diamond" => ("{", "}"),
            "hexagon" => ("{{", "}}"),
            "doubleoctagon" => ("[[", "]]"),
            _ => ("[", "]"),
        };
        let _ = writeln!(
            out,
            "{indent}{}{open}\"{}\"{close}",
            mermaid_id(&b.id),
            MermaidLabel(&b.label)
        );
    };
    for (i, (label, boxes)) in model.clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph vpc{i}[\"{}\"]", label.replace('"', "'"));
        for b in boxes {
            node(&mut out, "    ", b);
        }
        let _ = writeln!(out, "  end");
    }
    for b in &model.outside {
        node(&mut out, "  ", b);
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
