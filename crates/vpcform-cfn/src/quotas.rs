//! CloudFormation's quotas on a template and a stack, described once: synthesis checks a
//! rendered template against them and the deployer chooses `TemplateBody` or `TemplateURL` by
//! them, so the two can never disagree.
//!
//! Source: "CloudFormation quotas",
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html>,
//! and the CreateChangeSet API reference for `TemplateBody`/`TemplateURL`.
//!
//! ```
//! use vpcform_cfn::quotas;
//! assert!(quotas::MAX_TEMPLATE_BODY_BYTES < quotas::MAX_TEMPLATE_URL_BYTES);
//! ```

/// Resources in one template.
pub const MAX_RESOURCES: usize = 500;

/// Outputs in one template.
pub const MAX_OUTPUTS: usize = 200;

/// Characters of a logical ID (resources, parameters, outputs).
pub const MAX_LOGICAL_ID_CHARS: usize = 255;

/// Bytes of a template given inline (`TemplateBody`); above it the template must be uploaded
/// to S3 and given by `TemplateURL`.
pub const MAX_TEMPLATE_BODY_BYTES: usize = 51_200;

/// Bytes of a template given by `TemplateURL`: "max size: 1 MB", read as 10^6 bytes, the
/// smaller reading, so nothing passes that AWS could refuse.
pub const MAX_TEMPLATE_URL_BYTES: usize = 1_000_000;
