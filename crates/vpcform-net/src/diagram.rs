//! Diagrams of the app: VPCs as clusters holding their subnets, endpoints, load balancers and
//! gateways, inside a cluster per (account, region) their stacks pin; zone and profile
//! associations as dashed lines to the VPCs; and the declared flows coloured by the path they
//! take. Beyond [`SPOKES_DRAWN`] VPCs of one shape, the rest are one node with their count, so
//! a landing zone of 100 spokes still reads. Graphviz DOT and Mermaid.

use std::collections::{BTreeSet, HashMap};
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

/// The VPCs of one shape drawn in full before the rest are collapsed into one node: enough to
/// show the pattern (and each one's lines), few enough that 100 spokes stay one screen.
pub(crate) const SPOKES_DRAWN: usize = 8;

/// The colour of association lines (a zone's or a profile's VPCs).
const ASSOCIATION: &str = "#00838f";

/// A VPC's cluster: its path (the target of lines to the VPC itself), label and boxes.
#[derive(Debug)]
struct Cluster {
    vpc: String,
    /// `stack / VPC`, without the block: how a collapsed node names its model.
    name: String,
    label: String,
    boxes: Vec<Box_>,
}

/// The constructs of the stacks that pin one (account, region): their VPCs' clusters, and
/// their regional boxes (transit gateways, profiles, collapsed spokes).
#[derive(Debug)]
struct Group {
    label: String,
    clusters: Vec<Cluster>,
    regional: Vec<Box_>,
}

/// What makes two VPCs draw alike: the kinds of their constructs (with their counts), the
/// transit gateways they attach to, their flows (destination, port, path) and the zones and
/// profiles associated with them, and whether they exist already. Only alike VPCs collapse, so
/// a spoke that differs (a flow unreachable, an association missing) is always drawn.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Shape {
    existing: bool,
    kinds: Vec<String>,
    transit_gateways: BTreeSet<String>,
    flows: BTreeSet<String>,
    associations: BTreeSet<String>,
}

/// The diagram's content, independent of its notation: built once per synthesis, drawn in
/// DOT or Mermaid only when asked for.
#[derive(Debug)]
pub(crate) struct Picture {
    groups: Vec<Group>,
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
    // Shapes first (a flow is part of its VPC's), then which VPCs collapse, then the flows'
    // lines, from the collapsed node for the collapsed VPCs.
    for flow in &traffic.outcomes {
        drawer.flow_shape(model, flow);
    }
    drawer.collapse();
    for flow in &traffic.outcomes {
        drawer.flow(model, flow);
    }
    Picture {
        groups: drawer.groups.into_values().collect(),
        outside: drawer.outside,
        lines: fold(drawer.lines, &drawer.folded),
    }
}

/// A (account, region) cluster's label: each as the stacks pin it, or that it is not pinned
/// (the deploying credentials' then).
fn placement_label(account: Option<&str>, region: Option<&str>) -> String {
    format!(
        "account {} · {}",
        account.unwrap_or("not pinned"),
        region.unwrap_or("region not pinned")
    )
}

/// The picture as it is drawn: stack by stack, then flow by flow, then alike spokes collapsed.
#[derive(Default)]
struct Drawer {
    /// (account, region) → its group, in the order the stacks first pin them.
    groups: indexmap::IndexMap<(Option<String>, Option<String>), Group>,
    outside: Vec<Box_>,
    lines: Vec<Line>,
    /// VPC path → its shape, for collapsing.
    shapes: HashMap<String, Shape>,
    /// Box (or VPC) path → the collapsed node it is drawn as.
    folded: HashMap<String, String>,
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
        let placement = (stack.account.clone(), stack.region.clone());
        let mut vpc_boxes: indexmap::IndexMap<NodeKey, Cluster> = indexmap::IndexMap::new();
        for (key, node) in stack.keyed_nodes() {
            if let Node::Vpc(vpc) = node {
                let cidr = vpc.parsed.map(|c| c.to_string()).unwrap_or_default();
                let existing = if vpc.existing.is_some() {
                    " (existing)"
                } else {
                    ""
                };
                let name = format!("{} / {}", stack.name, vpc.id);
                let path = stack.path(node.id());
                self.shapes.entry(path.clone()).or_default().existing = vpc.existing.is_some();
                vpc_boxes.insert(
                    key,
                    Cluster {
                        vpc: path,
                        label: format!("{name} {cidr}{existing}"),
                        name,
                        boxes: Vec::new(),
                    },
                );
            }
        }
        let mut nodes: Vec<(NodeKey, &Node)> = stack.keyed_nodes().collect();
        nodes.sort_by_key(|(_, node)| !matches!(node, Node::Subnet(_)));
        for (key, node) in nodes {
            let path = stack.path(node.id());
            if let Some(vpc) = node.vpc(key)
                && !matches!(node, Node::Vpc(_))
            {
                self.shape(model, vpc).kinds.push(node.kind().to_string());
            }
            let drawn = self.construct(model, key, node, &path, &placement, &mut vpc_boxes);
            if let Some((label, shape)) = drawn
                && let Some(vpc) = node.vpc(key)
                && let Some(cluster) = vpc_boxes.get_mut(&vpc)
            {
                cluster.boxes.push(Box_ {
                    id: path,
                    label,
                    shape,
                });
            }
        }
        let group = self.group(&placement);
        group.clusters.extend(vpc_boxes.into_values());
    }

    /// The group of an (account, region), added empty when first met.
    fn group(&mut self, placement: &(Option<String>, Option<String>)) -> &mut Group {
        self.groups
            .entry(placement.clone())
            .or_insert_with(|| Group {
                label: placement_label(placement.0.as_deref(), placement.1.as_deref()),
                clusters: Vec::new(),
                regional: Vec::new(),
            })
    }

    /// A VPC's shape, by its key.
    fn shape(&mut self, model: &NetworkModel<'_>, vpc: NodeKey) -> &mut Shape {
        self.shapes.entry(model.path(vpc)).or_default()
    }

    /// A dashed association line from `from` to a VPC of the app, recorded in its shape.
    fn association(&mut self, model: &NetworkModel<'_>, from: &str, vpc: NodeKey, label: &str) {
        let to = model.path(vpc);
        self.shape(model, vpc)
            .associations
            .insert(format!("{label} {from}"));
        self.lines.push(Line {
            from: from.to_string(),
            to,
            label: label.to_string(),
            color: ASSOCIATION,
            dashed: true,
        });
    }

    /// A VPC peering connection's box in the requester's cluster, and a line to a box for the
    /// accepter in the peer's.
    fn vpc_peering(
        &mut self,
        path: &str,
        id: &str,
        peer_vpc: Option<NodeKey>,
        vpc_boxes: &mut indexmap::IndexMap<NodeKey, Cluster>,
    ) -> (String, &'static str) {
        if let Some(peer) = peer_vpc
            && let Some(cluster) = vpc_boxes.get_mut(&peer)
        {
            let accepter = format!("{path}/accepter");
            cluster.boxes.push(Box_ {
                id: accepter.clone(),
                label: format!("{id}\\npeering (accepter)"),
                shape: "cds",
            });
            self.lines.push(Line::structural(path, accepter, "peering"));
        }
        (format!("{id}\\nVPC peering"), "cds")
    }

    /// A private hosted zone's box, and a dashed line to each VPC it is associated with but
    /// its own: its own VPC's association is said in its box, where a line would not leave it.
    fn hosted_zone(
        &mut self,
        model: &NetworkModel<'_>,
        own: Option<NodeKey>,
        path: &str,
        id: &str,
        vpcs: &[NodeKey],
    ) -> (String, &'static str) {
        let mut here = "";
        for &vpc in vpcs {
            if Some(vpc) == own {
                self.shape(model, vpc)
                    .associations
                    .insert(format!("zone association {path}"));
                here = "\\nassociated with this VPC";
            } else {
                self.association(model, path, vpc, "zone association");
            }
        }
        (format!("{id}\\nprivate hosted zone{here}"), "folder")
    }

    /// A transit gateway peering's box in its stack's account and region, with lines from the
    /// requester gateway and to the accepter.
    fn tgw_peering(
        &mut self,
        model: &NetworkModel<'_>,
        placement: &(Option<String>, Option<String>),
        path: &str,
        id: &str,
        (requester, accepter): (Option<NodeKey>, Option<NodeKey>),
    ) {
        let group = self.group(placement);
        group.regional.push(Box_ {
            id: path.to_string(),
            label: format!("{id}\\ntransit gateway peering"),
            shape: "cds",
        });
        if let Some(requester) = requester {
            self.lines.push(Line::structural(
                &model.path(requester),
                path.to_string(),
                "requester",
            ));
        }
        if let Some(accepter) = accepter {
            self.lines
                .push(Line::structural(path, model.path(accepter), "accepter"));
        }
    }

    /// What a construct says it is drawn as: its box's label and shape (`None` when drawn
    /// outside the VPCs, or not at all), adding its lines.
    fn construct(
        &mut self,
        model: &NetworkModel<'_>,
        key: NodeKey,
        node: &Node,
        path: &str,
        placement: &(Option<String>, Option<String>),
        vpc_boxes: &mut indexmap::IndexMap<NodeKey, Cluster>,
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
            // Drawn once, outside the VPCs it connects, in its stack's account and region.
            Drawing::Regional { label, shape } => {
                let group = self.group(placement);
                if !group.regional.iter().any(|b| b.id == path) {
                    group.regional.push(Box_ {
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
            Drawing::Peering { peer_vpc } => Some(self.vpc_peering(&path, id, peer_vpc, vpc_boxes)),
            Drawing::Attachment { transit_gateway } => {
                if let Some(tgw) = transit_gateway {
                    let tgw = model.path(tgw);
                    if let Some(vpc) = node.vpc(key) {
                        self.shape(model, vpc).transit_gateways.insert(tgw.clone());
                    }
                    self.lines.push(Line::structural(&path, tgw, ""));
                }
                Some((format!("{id}\\ntransit gateway attachment"), "cds"))
            }
            Drawing::PrivateHostedZone { vpcs } => {
                Some(self.hosted_zone(model, node.vpc(key), &path, id, &vpcs))
            }
            Drawing::TransitGatewayPeering {
                requester,
                accepter,
            } => {
                self.tgw_peering(model, placement, &path, id, (requester, accepter));
                None
            }
            Drawing::ProfileAssociation { profile, vpc } => {
                if let (Some(profile), Some(vpc)) = (profile, vpc) {
                    self.association(model, &model.path(profile), vpc, "profile association");
                }
                None
            }
            Drawing::Hidden => None,
        }
    }

    /// A flow's part in its workload's VPC's shape: its destination, port and each path.
    fn flow_shape(&mut self, model: &NetworkModel<'_>, flow: &crate::traffic::FlowOutcome) {
        let destination = match &flow.destination {
            Target::AwsService(service) => format!("aws:{service}"),
            Target::EndpointService(service) | Target::Resource(service) => model.path(*service),
        };
        if let Some(vpc) = model.node(flow.workload).and_then(|n| n.vpc(flow.workload)) {
            let paths: BTreeSet<String> = flow
                .subnets
                .iter()
                .map(|s| format!("{destination} {} {:?}", flow.port_label, s.path))
                .collect();
            self.shape(model, vpc).flows.extend(paths);
        }
    }

    /// The box a path is drawn as: its collapsed node's, if collapsed.
    fn drawn_as(&self, path: String) -> String {
        self.folded.get(&path).cloned().unwrap_or(path)
    }

    /// A flow's lines: one per distinct (path, via) of its subnets, through its hops; from a
    /// collapsed VPC, from its collapsed node, the hops inside it skipped.
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
        let workload = self.drawn_as(model.path(flow.workload));
        // One line per distinct (path, via): subnets that agree are drawn once.
        let mut drawn: Vec<(PathKind, Option<NodeKey>)> = Vec::new();
        for subnet in &flow.subnets {
            let key = (subnet.path, subnet.via);
            if drawn.contains(&key) {
                continue;
            }
            drawn.push(key);
            let label = format!("{short} {}", flow.port_label);
            let mut to = subnet
                .via
                .map(|v| self.drawn_as(model.path(v)))
                .unwrap_or_else(|| destination.clone());
            // A collapsed spoke's own gateway or endpoint: the line goes on to the service.
            if to == workload {
                to = destination.clone();
            }
            // Across VPCs the line goes through the hops (attachment, transit gateway, hub
            // attachment; or the peering connection), each leg drawn once.
            let mut from = workload.clone();
            let mut label = Some(label);
            let hops: Vec<String> = subnet
                .hops
                .iter()
                .map(|&h| self.drawn_as(model.path(h)))
                .collect();
            for hop in hops {
                if hop == from {
                    continue;
                }
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

impl Drawer {
    /// Each group's VPCs of one shape beyond the first [`SPOKES_DRAWN`] drawn as one node ("N
    /// more spokes like X"): their clusters removed, each of their boxes recorded in `folded`
    /// (their lines are moved to that node by [`fold`], with the count of lines each stands
    /// for). Deterministic: the order of the stacks and constructs.
    fn collapse(&mut self) {
        let folded = &mut self.folded;
        for group in self.groups.values_mut() {
            let mut classes: indexmap::IndexMap<Shape, Vec<usize>> = indexmap::IndexMap::new();
            for (i, cluster) in group.clusters.iter().enumerate() {
                let mut shape = self.shapes.get(&cluster.vpc).cloned().unwrap_or_default();
                shape.kinds.sort();
                classes.entry(shape).or_default().push(i);
            }
            let mut collapsed: std::collections::HashSet<usize> = Default::default();
            for members in classes.values() {
                let Some(rest) = members.get(SPOKES_DRAWN..) else {
                    continue;
                };
                let (Some(&first), Some(&head), Some(&last)) =
                    (members.first(), rest.first(), rest.last())
                else {
                    continue;
                };
                let name = |i: usize| group.clusters[i].name.as_str();
                let id = format!("{}/collapsed", group.clusters[head].vpc);
                let range = if head == last {
                    name(head).to_string()
                } else {
                    format!("{} … {}", name(head), name(last))
                };
                group.regional.push(Box_ {
                    id: id.clone(),
                    label: format!("{} more spokes like {}\\n{range}", rest.len(), name(first)),
                    shape: "box3d",
                });
                for &i in rest {
                    let cluster = &group.clusters[i];
                    folded.insert(cluster.vpc.clone(), id.clone());
                    for b in &cluster.boxes {
                        folded.insert(b.id.clone(), id.clone());
                    }
                }
                collapsed.extend(rest);
            }
            let mut i = 0;
            group.clusters.retain(|_| {
                i += 1;
                !collapsed.contains(&(i - 1))
            });
        }
    }
}

/// The lines with their ends in collapsed VPCs moved to the collapsed node: lines inside one
/// collapsed node dropped, alike lines drawn once with their count (`×N`).
fn fold(lines: Vec<Line>, folded: &HashMap<String, String>) -> Vec<Line> {
    if folded.is_empty() {
        return lines;
    }
    let mut out: Vec<Line> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let collapsed: std::collections::HashSet<&String> = folded.values().collect();
    let mut alike: HashMap<(String, String, String, &'static str, bool), usize> = HashMap::new();
    for mut line in lines {
        let from = folded.get(&line.from);
        let to = folded.get(&line.to);
        let touches = collapsed.contains(&line.from) || collapsed.contains(&line.to);
        if from.is_none() && to.is_none() && !touches {
            out.push(line);
            counts.push(1);
            continue;
        }
        if let Some(from) = from {
            line.from = from.clone();
        }
        if let Some(to) = to {
            line.to = to.clone();
        }
        if line.from == line.to {
            continue;
        }
        let key = (
            line.from.clone(),
            line.to.clone(),
            line.label.clone(),
            line.color,
            line.dashed,
        );
        match alike.get(&key) {
            Some(&at) => counts[at] += 1,
            None => {
                alike.insert(key, out.len());
                out.push(line);
                counts.push(1);
            }
        }
    }
    for (line, count) in out.iter_mut().zip(counts) {
        if count > 1 {
            line.label = if line.label.is_empty() {
                format!("×{count}")
            } else {
                format!("{} ×{count}", line.label)
            };
        }
    }
    out
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

impl Picture {
    /// Where each VPC (by path) and each box of a VPC is drawn: its cluster's number.
    fn cluster_numbers(&self) -> (HashMap<&str, usize>, HashMap<&str, usize>) {
        let mut vpcs = HashMap::new();
        let mut boxes = HashMap::new();
        let clusters = self.groups.iter().flat_map(|g| &g.clusters);
        for (i, cluster) in clusters.enumerate() {
            vpcs.insert(cluster.vpc.as_str(), i);
            for b in &cluster.boxes {
                boxes.insert(b.id.as_str(), i);
            }
        }
        (vpcs, boxes)
    }
}

/// The app as Graphviz DOT.
pub(crate) fn dot(app: &str, model: &Picture, flows: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(app));
    // `compound`: a line to a VPC ends at its cluster's border (`lhead`).
    let _ = writeln!(out, "  rankdir=LR; compound=true;");
    let _ = writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=\"#ffffff\"];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    let (vpcs, boxes) = model.cluster_numbers();
    // VPCs a line ends at: each gets a point in its cluster for the line to reach.
    let targets: BTreeSet<&str> = model
        .lines
        .iter()
        .map(|l| l.to.as_str())
        .filter(|to| vpcs.contains_key(to))
        .collect();
    let mut i = 0;
    for (g, group) in model.groups.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_g{g} {{");
        let _ = writeln!(
            out,
            "    label={}; style=\"rounded,dashed\"; color=\"#546e7a\";",
            quote(&group.label)
        );
        for cluster in &group.clusters {
            let _ = writeln!(out, "    subgraph cluster_{i} {{");
            let _ = writeln!(
                out,
                "      label={}; style=\"rounded,filled\"; fillcolor=\"#f5f7fa\";",
                quote(&cluster.label)
            );
            if targets.contains(cluster.vpc.as_str()) {
                let _ = writeln!(
                    out,
                    "      {} [label=\"\", shape=point, width=0.05];",
                    quote(&cluster.vpc)
                );
            }
            for b in &cluster.boxes {
                let _ = writeln!(
                    out,
                    "      {} [label={}, shape={}];",
                    quote(&b.id),
                    quote(&b.label),
                    b.shape
                );
            }
            let _ = writeln!(out, "    }}");
            i += 1;
        }
        for b in &group.regional {
            let _ = writeln!(
                out,
                "    {} [label={}, shape={}, fillcolor=\"#fff8e1\"];",
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
        // To a VPC: to its cluster's border, unless the line starts inside that cluster.
        let lhead = vpcs
            .get(l.to.as_str())
            .filter(|&&to| boxes.get(l.from.as_str()) != Some(&to))
            .map(|to| format!(", lhead=cluster_{to}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, color={}, fontcolor={}{}{lhead}];",
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
    let mut i = 0;
    for (g, group) in model.groups.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph g{g}[\"{}\"]",
            group.label.replace('"', "'")
        );
        for cluster in &group.clusters {
            let _ = writeln!(
                out,
                "    subgraph vpc{i}[\"{}\"]",
                cluster.label.replace('"', "'")
            );
            for b in &cluster.boxes {
                node(&mut out, "      ", b);
            }
            let _ = writeln!(out, "    end");
            i += 1;
        }
        for b in &group.regional {
            node(&mut out, "    ", b);
        }
        let _ = writeln!(out, "  end");
    }
    for b in &model.outside {
        node(&mut out, "  ", b);
    }
    // A line to a VPC ends at its subgraph.
    let (vpcs, _) = model.cluster_numbers();
    let end = |to: &str, out: &mut String| match vpcs.get(to) {
        Some(i) => {
            let _ = write!(out, "vpc{i}");
        }
        None => {
            let _ = write!(out, "{}", mermaid_id(to));
        }
    };
    for (i, l) in model.lines.iter().enumerate() {
        let arrow = if l.dashed { "-.->" } else { "==>" };
        if l.label.is_empty() {
            let _ = write!(out, "  {} {arrow} ", mermaid_id(&l.from));
        } else {
            let _ = write!(out, "  {} {arrow}|\"{}\"| ", mermaid_id(&l.from), l.label);
        }
        end(&l.to, &mut out);
        out.push('\n');
        let _ = writeln!(out, "  linkStyle {i} stroke:{}", l.color);
    }
    out
}
