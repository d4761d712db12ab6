//! The synthesis pipeline, per stack: a stack's checks, its rendered template, the dangling
//! references and values of other stacks found in it, and CloudFormation's limits. Above the
//! model (it reads `Model` and renders every `Node`), below the app that runs it per stack.

use std::collections::{HashMap, HashSet};

use vpcform_cfn::{Output, Template, TemplateError};

use crate::SynthError;
use crate::model::{Check, Model, Node, Render};
use crate::stack::{Findings, OverrideDef, StackDef};

/// Checks, then renders the stack's template; every problem goes to `findings`.
pub(crate) fn stack(
    stack: &StackDef,
    model: &Model<'_>,
    findings: &mut Findings,
) -> Option<Template> {
    let before = findings.errors.len();
    let first_restricted = stack
        .nodes
        .iter()
        .find_map(|n| n.restricted_tags().map(|r| (n.id(), r)));
    crate::tags::check_stack_characters(stack.tag_data(), first_restricted, &mut findings.errors);
    for (key, node) in stack.keyed_nodes() {
        if let Err(e) = vpcform_cfn::validate_logical_id(node.id()) {
            // The characters CloudFormation refuses are the cause: a name with a hyphen that
            // the program writes into every ID of a spoke is one finding, not one per ID.
            let mut refused: Vec<char> = node
                .id()
                .chars()
                .filter(|c| !c.is_ascii_alphanumeric())
                .collect();
            refused.sort_unstable();
            refused.dedup();
            let cause = if refused.is_empty() {
                format!("{} {}", stack.name, node.id())
            } else {
                format!("{} {}", stack.name, refused.into_iter().collect::<String>())
            };
            findings.report_cause(
                cause,
                SynthError::InvalidId {
                    stack: stack.name.to_string(),
                    id: node.id().to_string(),
                    reason: match e {
                        TemplateError::InvalidLogicalId { reason, .. } => reason.to_string(),
                        other => other.to_string(),
                    },
                    also: Vec::new(),
                },
            );
        }
        if let Some(tags) = node.tags() {
            crate::tags::check_construct(
                stack.tag_data(),
                node.id(),
                tags,
                node.restricted_tags(),
                &mut findings.errors,
            );
        }
        let mut check = Check {
            model,
            stack,
            key,
            findings,
        };
        node.check(&mut check);
    }
    check_outputs(stack, model, findings);
    check_accepted(stack, model, findings);
    let mut template = render(stack, model, findings, before);
    template = crate::constructs::lookup::drop_unused(stack, template);
    crate::environment::rewrite_imports(
        &stack.name,
        &stack.parameter_imports(model.stacks),
        &mut template,
        &mut findings.errors,
    );
    if findings.errors.len() > before {
        return None;
    }
    check_limits(&stack.name, &template, findings);
    Some(template)
}

/// Values a handle of another stack gave (`reference()`, `group_id()`,
/// `service_name()`, …) written into this stack's template, in any form: such a `Ref`
/// resolves to whatever this stack calls the same ID, or to nothing. A template names only
/// its own resources ("Ref", "Fn::GetAtt": "the logical name of the resource" in the
/// template; other stacks' values come through `Fn::ImportValue`, CloudFormation User
/// Guide, "Refer to resource outputs in another CloudFormation stack").
/// Returns the dangling references they explain: `(from, target)` as
/// `TemplateError::UnresolvedReference` names them.
fn check_foreign_values(
    stack: &StackDef,
    model: &Model<'_>,
    template: &Template,
    findings: &mut Findings,
) -> HashSet<(String, String)> {
    let mut explained = HashSet::new();
    for found in template.foreign_values(stack.key.scope()) {
        // `Logical.Property` or `output Name`: what a dangling reference's `from` says.
        let from = match found.location.split_once('.') {
            Some((resource, _)) if !found.location.starts_with("output ") => resource,
            _ => found.location.as_str(),
        };
        for target in found.value.references() {
            explained.insert((from.to_string(), target));
        }
        let other = model
            .stacks
            .iter()
            .find(|s| s.key.scope() == found.scope)
            .map(|s| s.name.to_string());
        findings.errors.push(SynthError::ValueOfAnotherStack {
            stack: stack.name.to_string(),
            location: found.location,
            value: serde_json::to_string(&found.value).unwrap_or_default(),
            names: found.value.references().join(", "),
            other_stack: other,
        });
    }
    explained
}

/// Outputs: names unique and valid, handles of this stack.
fn check_outputs(stack: &StackDef, model: &Model<'_>, findings: &mut Findings) {
    let mut seen: HashMap<&str, ()> = HashMap::with_capacity(stack.outputs.len());
    for (name, output) in &stack.outputs {
        if seen.insert(name.as_str(), ()).is_some() {
            findings.errors.push(SynthError::DuplicateOutput {
                stack: stack.name.to_string(),
                name: name.clone(),
            });
        }
        if let Some(source) = &output.value.source
            && output.value.referenced
        {
            let mut check = Check {
                model,
                stack,
                key: source.key,
                findings,
            };
            let construct = format!("output {name}");
            check.handle(&construct, "Value", source, None);
        }
    }
}

/// `PeeringAccepterAttachment::accepted` names a peering the app has an acceptance step for:
/// one whose accepter is a transit gateway of the app (`steps.rs`), or nothing fills its ID.
fn check_accepted(stack: &StackDef, model: &Model<'_>, findings: &mut Findings) {
    use crate::constructs::transit_gateway_peering::TransitGatewayPeeringNode;
    for accepted in &stack.accepted {
        let peering = accepted
            .peering
            .as_ref()
            .and_then(|h| model.get::<TransitGatewayPeeringNode>(h));
        if peering
            .and_then(TransitGatewayPeeringNode::accepter)
            .is_none()
        {
            findings
                .errors
                .push(SynthError::AcceptedPeeringWithoutStep {
                    construct: stack.name.to_string(),
                    peering: accepted
                        .peering
                        .as_ref()
                        .map_or_else(|| accepted.step.clone(), crate::handle::Handle::path),
                });
        }
    }
}

/// Renders every construct, the outputs and the overrides, reporting every duplicate ID
/// with the constructs that both claimed it, and every dangling reference.
fn render(stack: &StackDef, model: &Model<'_>, findings: &mut Findings, before: usize) -> Template {
    let ctx = Render { model, stack };
    let mut template = Template::new(stack.description.clone());
    // The accepter attachment IDs the deployer's acceptance steps give, declared first so the
    // constructs' `Ref`s to them resolve (`PeeringAccepterAttachment::accepted`).
    for accepted in &stack.accepted {
        let parameter = vpcform_cfn::Parameter::string().description(format!(
            "The accepter's attachment ID (AccepterTransitGatewayAttachmentId): filled in by \
             `vpcform deploy` from its step {}",
            accepted.step
        ));
        if let Err(source) = template.add_parameter(accepted.parameter.as_str(), parameter) {
            findings.errors.push(SynthError::Template {
                stack: stack.name.to_string(),
                source,
            });
        }
    }
    // Which construct rendered which resources (by position in the template), to name
    // both ends of a duplicate without indexing every logical ID.
    let mut rendered: Vec<(usize, &Node)> = Vec::with_capacity(stack.nodes.len());
    let name = |node: &Node| format!("{} ({})", stack.path(node.id()), node.kind().with_article());
    for node in &stack.nodes {
        rendered.push((template.resources().len(), node));
        match node.render(&ctx, &mut template) {
            Ok(()) => {}
            Err(TemplateError::DuplicateLogicalId { logical_id }) => {
                let other = template
                    .resources()
                    .get_index_of(&logical_id)
                    .and_then(|at| rendered.iter().rev().find(|(start, _)| *start <= at))
                    .map(|(_, owner)| name(owner))
                    .unwrap_or_default();
                findings.errors.push(SynthError::DuplicateId {
                    stack: stack.name.to_string(),
                    other,
                    construct: name(node),
                    id: logical_id,
                })
            }
            // A construct's own invalid ID was reported by the checks above; an ID it
            // generates from a valid one can only be too long (the suffixes are
            // alphanumeric), and must not vanish from the template unsaid.
            Err(TemplateError::InvalidLogicalId { logical_id, reason }) => {
                if vpcform_cfn::validate_logical_id(node.id()).is_ok() {
                    findings.errors.push(if logical_id.len() > MAX_LOGICAL_ID {
                        SynthError::GeneratedIdTooLong {
                            construct: name(node),
                            length: logical_id.len(),
                            over: logical_id.len() - MAX_LOGICAL_ID,
                            id: logical_id,
                        }
                    } else {
                        SynthError::Template {
                            stack: stack.name.to_string(),
                            source: TemplateError::InvalidLogicalId { logical_id, reason },
                        }
                    });
                }
            }
            Err(source) => findings.errors.push(SynthError::Template {
                stack: stack.name.to_string(),
                source,
            }),
        }
    }
    for (name, output) in &stack.outputs {
        let mut out = Output::new(output.value.value.clone());
        if let Some(export) = &output.export {
            out = out.export(export.as_str());
        }
        match template.add_output(name.as_str(), out) {
            Ok(()) | Err(TemplateError::DuplicateLogicalId { .. }) => {}
            Err(source) => findings.errors.push(SynthError::InvalidOutputName {
                stack: stack.name.to_string(),
                name: name.clone(),
                reason: source.to_string(),
            }),
        }
    }
    // Checked and rendered without a problem: a dangling reference is then a problem of
    // its own, not the trace of a construct left out of the template.
    let checked_clean = findings.errors.len() == before;
    for o in &stack.overrides {
        apply_override(stack, model, o, &mut template, findings);
    }
    for target in &stack.retained {
        apply_retain(stack, model, target, &mut template, findings);
    }
    check_import_ids(stack, findings);
    let explained = check_foreign_values(stack, model, &template, findings);
    // A dangling reference from a construct follows from a handle problem already
    // reported (one mistake, one error), and one from a value of another stack from that
    // value; a raw resource's are its own.
    let raw = |from: &str| {
        stack
            .nodes
            .iter()
            .any(|n| matches!(n, Node::Resource(_)) && n.id() == from)
    };
    for source in template.problems() {
        let own = match &source {
            TemplateError::UnresolvedReference { from, target }
                if explained.contains(&(from.clone(), target.clone())) =>
            {
                continue;
            }
            TemplateError::UnresolvedReference { from, .. } => raw(from),
            _ => false,
        };
        if own || checked_clean {
            findings.errors.push(SynthError::Template {
                stack: stack.name.to_string(),
                source,
            });
        }
    }
    template
}

fn apply_override(
    stack: &StackDef,
    model: &Model<'_>,
    o: &OverrideDef,
    template: &mut Template,
    findings: &mut Findings,
) {
    let construct = format!("property override {:?}", o.path);
    let before = findings.errors.len();
    let mut check = Check {
        model,
        stack,
        key: o.target.key,
        findings,
    };
    check.handle(&construct, "construct", &o.target, None);
    if findings.errors.len() > before {
        return;
    }
    let error = match template.resource_mut(&o.target.id) {
        None => Some(format!(
            "{} renders no resource of its own (a workload is not an AWS resource)",
            o.target.path()
        )),
        Some(resource) => resource
            .override_property(&o.path, o.value.clone())
            .err()
            .map(|e| e.to_string()),
    };
    if let Some(reason) = error {
        findings.errors.push(SynthError::InvalidOverride {
            construct: o.target.path(),
            path: o.path.clone(),
            reason,
        });
    }
}

/// `Stack::retain`: the construct's main resource keeps its AWS resource when it leaves the
/// stack (`DeletionPolicy` and `UpdateReplacePolicy` `Retain`).
fn apply_retain(
    stack: &StackDef,
    model: &Model<'_>,
    target: &crate::handle::Handle,
    template: &mut Template,
    findings: &mut Findings,
) {
    let before = findings.errors.len();
    let mut check = Check {
        model,
        stack,
        key: target.key,
        findings,
    };
    check.handle("retain", "construct", target, None);
    if findings.errors.len() > before {
        return;
    }
    match template.resource_mut(&target.id) {
        Some(resource) => {
            *resource = resource
                .clone()
                .deletion_policy(vpcform_cfn::DeletionPolicy::Retain)
                .update_replace_policy(vpcform_cfn::DeletionPolicy::Retain);
        }
        // As an override of a construct without a resource: the attribute has nowhere to go.
        None => findings.errors.push(SynthError::InvalidOverride {
            construct: target.path(),
            path: "DeletionPolicy".into(),
            reason: format!(
                "{} renders no resource of its own to retain (a workload is not an AWS \
                 resource)",
                target.path()
            ),
        }),
    }
}

/// Each construct imported as one existing resource, and each existing resource as one
/// construct (`Stack::import_existing`): an IMPORT change set gives each resource to import
/// one identifier (CloudFormation User Guide, "Resource import"). The same pair twice is one.
fn check_import_ids(stack: &StackDef, findings: &mut Findings) {
    for (i, (target, id)) in stack.import_ids.iter().enumerate() {
        let earlier = &stack.import_ids[..i];
        if earlier
            .iter()
            .any(|(o, o_id)| o.id == target.id && o_id == id)
        {
            continue;
        }
        let conflict = earlier.iter().find_map(|(other, other_id)| {
            match (other.id == target.id, other_id == id) {
                (true, false) => Some(format!("it is imported as {other_id} too")),
                (false, true) => Some(format!("{} is imported as it too", other.path())),
                _ => None,
            }
        });
        if let Some(conflict) = conflict {
            findings.errors.push(SynthError::ImportIdConflict {
                construct: target.path(),
                id: id.clone(),
                conflict,
            });
        }
    }
}

// CloudFormation's quotas, described once in the template model (aws-facts [32]).
pub(crate) use vpcform_cfn::quotas::{
    MAX_LOGICAL_ID_CHARS as MAX_LOGICAL_ID, MAX_OUTPUTS, MAX_RESOURCES, MAX_TEMPLATE_BODY_BYTES,
    MAX_TEMPLATE_URL_BYTES,
};

/// The stack limits CloudFormation enforces on a rendered template.
fn check_limits(stack: &str, template: &Template, findings: &mut Findings) {
    let errors = &mut findings.errors;
    let resources = template.resources().len();
    if resources > MAX_RESOURCES {
        errors.push(SynthError::TooManyResources {
            stack: stack.to_string(),
            count: resources,
        });
    }
    let outputs = template.outputs().len();
    if outputs > MAX_OUTPUTS {
        errors.push(SynthError::TooManyOutputs {
            stack: stack.to_string(),
            count: outputs,
        });
    }
    // The deployer sends the compact form; that is the size CloudFormation counts.
    match template.compact_json_len() {
        Ok(bytes) if bytes > MAX_TEMPLATE_URL_BYTES => errors.push(SynthError::TemplateTooLarge {
            stack: stack.to_string(),
            bytes,
        }),
        // Deployable, but not in the request itself: CloudFormation takes it from S3.
        Ok(bytes) if bytes > MAX_TEMPLATE_BODY_BYTES => {
            findings
                .warnings
                .push(crate::SynthWarning::TemplateNeedsS3Upload {
                    stack: stack.to_string(),
                    bytes,
                })
        }
        Ok(_) => {}
        Err(source) => errors.push(SynthError::Template {
            stack: stack.to_string(),
            source,
        }),
    }
}
