//! Errors of the template model.

/// What is wrong with a template, named precisely enough to find in the program that built it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A logical ID CloudFormation would reject.
    #[error("invalid logical ID {logical_id:?}: {reason}")]
    InvalidLogicalId {
        /// The offending ID.
        logical_id: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Two resources, parameters or outputs with one logical ID.
    #[error(
        "duplicate logical ID {logical_id:?}: each resource, parameter and output needs its own"
    )]
    DuplicateLogicalId {
        /// The ID used twice.
        logical_id: String,
    },
    /// A `Ref`, `Fn::GetAtt`, `Fn::Sub` placeholder or `DependsOn` naming nothing in the template.
    #[error(
        "{from} refers to {target:?}, which is neither a resource nor a parameter of this template"
    )]
    UnresolvedReference {
        /// The resource (or `output <name>`) holding the reference.
        from: String,
        /// The missing logical ID.
        target: String,
    },
    /// CloudFormation rejects a template with no resources.
    /// A property override whose path cannot be applied.
    #[error("property override {path:?}: {reason}")]
    InvalidOverride {
        /// The dotted path.
        path: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A template without resources.
    #[error("the template has no resources; CloudFormation requires at least one")]
    NoResources,
    /// Serialization failed.
    #[error("could not serialize the template: {0}")]
    Json(#[from] serde_json::Error),
}
