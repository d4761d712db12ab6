//! Resource tags: what every taggable resource of a construct carries.
//!
//! A resource's `Tags` are, in order: `Name` (the construct's path, `Stack/Id`), the stack's
//! tags, then the construct's own; a later key replaces an earlier one's value in place.
//! (`vpcform:app` stays a stack tag only, so a template does not change with the app's name.) Stack tags are written into the template as well as passed to CreateStack because
//! CloudFormation's propagation of stack tags "varies by resource type" (VPC endpoints did not
//! receive them on create; endpoint services and hosted zones carry no system tags:
//! docs/research/tags-logs-checkov.md §1.3).
//!
//! **Invariant:** only resource types whose schema is taggable get tags, in the property the
//! schema names (`HostedZoneTags` for Route 53 zones); every list has unique keys and passes
//! AWS's tag rules (checked at synth, `SynthError::InvalidTag`).

use indexmap::IndexMap;
use vpcform_cfn::Value;

use crate::SynthError;

/// AWS allows 50 user tags per resource and per stack (CloudFormation `Tag`, CreateStack
/// `Tags` max 50; AWS tagging rules: docs/aws-rules.md §12).
pub(crate) const MAX_TAGS: usize = 50;

/// Tags a construct adds to its resources, after the stack's (see [`Stack::tag`](crate::Stack::tag)).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::Tags;
/// vpcform_net::topology! { stack Network { vpc Main } }
///
/// let mut stack = Stack::<Network>::new("Network").tag("team", "platform");
/// let vpc = stack.add(
///     "Main",
///     Vpc::<Main>::builder()
///         .cidr("10.0.0.0/16")
///         .tags([("cost-centre", "net-42"), ("team", "network")])
///         .build(),
/// );
/// let tags = Tags::new().tag("env", "prod");
/// assert_eq!(tags.iter().count(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    /// No tags.
    ///
    /// See [`Tags`] for an example.
    pub fn new() -> Tags {
        Tags(Vec::new())
    }

    /// Adds a tag.
    ///
    /// See [`Tags`] for an example.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Tags {
        self.0.push((key.into(), value.into()));
        self
    }

    /// The tags, in the order given.
    ///
    /// ```
    /// let tags = vpcform_net::Tags::from([("env", "prod")]);
    /// assert_eq!(tags.iter().next(), Some(("env", "prod")));
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl<K: Into<String>, V: Into<String>, const N: usize> From<[(K, V); N]> for Tags {
    fn from(tags: [(K, V); N]) -> Tags {
        tags.into_iter().collect()
    }
}

impl<K: Into<String>, V: Into<String>> From<Vec<(K, V)>> for Tags {
    fn from(tags: Vec<(K, V)>) -> Tags {
        tags.into_iter().collect()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Tags {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Tags {
        Tags(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

/// The keys vpcform writes itself, which a program's tags may not set.
const VPCFORM_APP: &str = "vpcform:app";

/// What the tag rules need of a stack: its name and its tags. Plain data, so that this module
/// sits below the stack that calls it.
#[derive(Clone, Copy)]
pub(crate) struct StackTags<'a> {
    pub(crate) name: &'a str,
    pub(crate) tags: &'a [(String, String)],
}

impl StackTags<'_> {
    /// `Stack/Id`, as messages and the `Name` tag write it.
    fn path(&self, id: &str) -> String {
        format!("{}/{}", self.name, id)
    }
}

/// The `Name` tag's value: the construct's path, cut at a tag value's 256 characters (a stack
/// name of 128 and an ID of 255 can pass it).
fn name(stack: StackTags<'_>, id: &str) -> String {
    stack.path(id).chars().take(256).collect()
}

/// The merged tags of one of `id`'s resources, as a key → value map in rendering order.
fn merged<'a>(stack: StackTags<'a>, id: &str, own: &'a Tags) -> IndexMap<&'a str, String> {
    let mut tags: IndexMap<&str, String> = IndexMap::new();
    tags.insert("Name", name(stack, id));
    for (key, value) in stack.tags.iter().chain(own.0.iter()) {
        tags.insert(key.as_str(), value.clone());
    }
    tags
}

/// `[{Key, Value}, …]` for a resource of the construct `id`: `Name`, the stack's tags, the
/// construct's (see the module docs).
pub(crate) fn render(stack: StackTags<'_>, id: &str, own: &Tags) -> Value {
    let tag = |key: &str, value: String| {
        let mut tag = IndexMap::with_capacity(2);
        tag.insert("Key".to_string(), Value::from(key));
        tag.insert("Value".to_string(), Value::from(value));
        Value::Map(tag)
    };
    // Most resources carry their Name only: no map to merge (synthesis renders thousands).
    if stack.tags.is_empty() && own.0.is_empty() {
        return Value::List(vec![tag("Name", name(stack, id))]);
    }
    Value::List(
        merged(stack, id, own)
            .into_iter()
            .map(|(key, value)| tag(key, value))
            .collect(),
    )
}

/// AWS's rules for one list of user tags, reported against `at` (a stack, or a construct's
/// path): keys 1–128 characters without the reserved `aws:` prefix, values at most 256, no key
/// twice, not `vpcform:app` (vpcform's own). Source: CloudFormation `Tag` and AWS tagging rules
/// (docs/aws-rules.md §12).
pub(crate) fn check_list(at: &str, tags: &[(String, String)], errors: &mut Vec<SynthError>) {
    let mut error = |key: &str, reason: String| {
        errors.push(SynthError::InvalidTag {
            at: at.to_string(),
            key: key.to_string(),
            reason,
        })
    };
    let mut seen: Vec<&str> = Vec::with_capacity(tags.len());
    for (key, value) in tags {
        let length = key.chars().count();
        if !(1..=128).contains(&length) {
            error(
                key,
                format!("keys are 1 to 128 characters, this one {length}"),
            );
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            error(key, "the aws: prefix is reserved for AWS".to_string());
        }
        if key == VPCFORM_APP {
            error(
                key,
                "vpcform sets vpcform:app to the app's name".to_string(),
            );
        }
        let length = value.chars().count();
        if length > 256 {
            error(
                key,
                format!("values are at most 256 characters, this one {length}"),
            );
        }
        if seen.contains(&key.as_str()) {
            error(key, "the key is given twice".to_string());
        } else {
            seen.push(key);
        }
    }
}

/// How many tags a resource of `id` carries: the merged list, plus `vpcform:app`, which
/// CloudFormation propagates from the stack.
fn carried(stack: StackTags<'_>, id: &str, own: &Tags) -> usize {
    let merged = merged(stack, id, own);
    merged.len() + usize::from(!merged.contains_key(VPCFORM_APP))
}

/// The stack's tags against the per-resource limit: every resource also carries `Name` and
/// `vpcform:app`, so a stack has room for 48 of the program's (one error for the stack, not
/// one per construct).
pub(crate) fn check_stack(stack: StackTags<'_>, errors: &mut Vec<SynthError>) {
    let at = format!("stack {}", stack.name);
    let count = carried(stack, "", &Tags::new());
    if count > MAX_TAGS {
        errors.push(SynthError::TooManyTags {
            at: at.clone(),
            count,
            fix: format!(
                "each resource carries its Name, vpcform:app and the stack's {}: drop {} of the \
                 stack's",
                stack.tags.len(),
                count - MAX_TAGS
            ),
        });
    }
    check_list(&at, stack.tags, errors);
    // CreateStack `Tag`: values are 1 to 256 characters (resource tags may be empty).
    for (key, value) in stack.tags {
        if value.is_empty() {
            errors.push(SynthError::InvalidTag {
                at: at.clone(),
                key: key.clone(),
                reason: "a stack tag's value is 1 to 256 characters: give it one".into(),
            });
        }
    }
}

/// A construct's own tags, and the number its resources carry once merged with `Name`, the
/// stack's and `vpcform:app`: at most [`MAX_TAGS`] (when the stack's alone are not already
/// too many: that is the stack's error).
pub(crate) fn check_construct(
    stack: StackTags<'_>,
    id: &str,
    own: &Tags,
    restricted: Option<&str>,
    errors: &mut Vec<SynthError>,
) {
    // Nothing of its own: the stack's check has counted what its resources carry.
    if own.0.is_empty() {
        return;
    }
    let at = stack.path(id);
    check_list(&at, &own.0, errors);
    if let Some(resource) = restricted {
        check_characters(&at, resource, &own.0, errors);
    }
    let count = carried(stack, id, own);
    if count > MAX_TAGS && carried(stack, id, &Tags::new()) <= MAX_TAGS {
        errors.push(SynthError::TooManyTags {
            at: at.clone(),
            count,
            fix: format!(
                "its resources carry Name, vpcform:app, the stack's and its own: drop {} of the \
                 construct's",
                count - MAX_TAGS
            ),
        });
    }
}

/// The characters ELBv2's and IAM's tags allow: `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` (the
/// AWS::ElasticLoadBalancingV2 and AWS::IAM::Role `Tag` schemas; docs/aws-rules.md §12, §23).
fn restricted_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_numeric()
        || (c.is_whitespace() && !c.is_control())
        || "_.:/=+-@".contains(c)
}

/// Tags written into a resource whose type allows only [`restricted_char`]s (`resource`),
/// reported against `at` (the construct, or the stack for its tags).
pub(crate) fn check_characters(
    at: &str,
    resource: &str,
    tags: &[(String, String)],
    errors: &mut Vec<SynthError>,
) {
    for (key, value) in tags {
        if let Some(c) = key
            .chars()
            .chain(value.chars())
            .find(|c| !restricted_char(*c))
        {
            errors.push(SynthError::InvalidTag {
                at: at.to_string(),
                key: key.clone(),
                reason: format!(
                    "{c:?} cannot be in a tag of {resource}, whose tags take letters, digits, \
                     spaces and _ . : / = + - @ only: drop it"
                ),
            });
        }
    }
}

/// The stack's tags against the construct that restricts them most, once per stack: `first`
/// is the first construct's ID with the resource type that restricts its tags, if any.
pub(crate) fn check_stack_characters(
    stack: StackTags<'_>,
    first: Option<(&str, &str)>,
    errors: &mut Vec<SynthError>,
) {
    if let Some((id, resource)) = first {
        let at = format!(
            "stack {} (tags written into {})",
            stack.name,
            stack.path(id)
        );
        check_characters(&at, resource, stack.tags, errors);
    }
}
