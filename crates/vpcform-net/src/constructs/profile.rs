//! `Profile`: a Route 53 Profile — private hosted zones, resolver rules and interface endpoints
//! grouped once, shared with other accounts through AWS RAM and associated with their VPCs.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError};

use crate::handle::handle;
use crate::identity::NodeKey;
use crate::model::{Check, ConstructNode, Drawing, Node, Pricing, Relations, Render};
use crate::stack::{Construct, StackDef};
use crate::{StackMarker, SynthError};

/// A Route 53 Profile (`AWS::Route53Profiles::Profile`): what its
/// [`ProfileResourceAssociation`](crate::zones::ProfileResourceAssociation)s hold — private
/// hosted zones, interface endpoints, resolver rules — applies to every VPC a
/// [`ProfileAssociation`](crate::zones::ProfileAssociation) associates with it, in this
/// account or, shared through a [`ResourceShare`](crate::sharing::ResourceShare), in another
/// of the same region (Route 53 developer guide, "Route 53 Profiles").
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::zones::Profile;
/// vpcform_net::topology! { stack Hub {} }
/// let mut hub = Stack::<Hub>::new("Hub");
/// let profile = hub.add("Dns", Profile::builder().name("shared-endpoints").build());
/// # let _ = profile;
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct Profile {
    /// `Name`: 1 to 64 letters, digits, spaces, `-`, `_` and `'`, not only digits. Required.
    #[builder(setter(into))]
    name: String,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`Profile`] added to stack `S`: what its resource associations name, what
    /// a [`ResourceShare`](crate::sharing::ResourceShare) shares and, exported, what another
    /// stack's [`ProfileAssociation`](crate::zones::ProfileAssociation) imports.
    ProfileRef exports crate::export::ProfileId
}

impl<S: StackMarker> Construct<S> for Profile {
    type Handle = ProfileRef<S>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ProfileRef<S> {
        ProfileRef::new(stack.push(Node::Profile(ProfileNode {
            id,
            name: self.name,
            tags: self.tags,
        })))
    }
}

pub(crate) struct ProfileNode {
    pub(crate) id: Arc<str>,
    name: String,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

/// Why a Route 53 Profiles `Name` is refused, if it is: 1 to 64 characters (0 for an
/// association's, but CloudFormation requires one) of `[a-zA-Z0-9\-_' ']`, not only digits
/// (Route 53 Profiles API reference, `CreateProfile`, `AssociateProfile` and
/// `AssociateResourceToProfile`: `Name`, pattern `(?!^[0-9]+$)([a-zA-Z0-9\-_' ']+)`).
pub(crate) fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("a name is required (1 to 64 characters)")
    } else if name.chars().count() > 64 {
        Some("at most 64 characters")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '\'' | ' '))
    {
        Some("only letters, digits, spaces, '-', '_' and '\\''")
    } else if name.chars().all(|c| c.is_ascii_digit()) {
        Some("not only digits")
    } else {
        None
    }
}

/// Reports `name` when Route 53 Profiles refuses it.
pub(crate) fn check_name(check: &mut Check<'_>, id: &str, name: &str) {
    if let Some(reason) = name_problem(name) {
        check.report(SynthError::InvalidText {
            construct: check.path(id),
            property: "Name",
            value: name.to_string(),
            reason: format!("a Route 53 Profiles name is {reason}"),
        });
    }
}

impl ConstructNode for ProfileNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Regional, in no VPC: its associations name the VPCs.
        None
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check_name(check, &self.id, &self.name);
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::Route53Profiles::Profile")
                .property("Name", self.name.as_str())
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // Route 53 Profiles bills per VPC association (the centralized comparison prices
        // them), not per profile.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // Regional: drawn beside the VPCs, its associations as lines to them.
        Drawing::Regional {
            label: "Route 53 Profile",
            shape: "tab",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::name_problem;

    #[test]
    fn names_route53_profiles_takes_and_refuses() {
        for good in [
            "shared-endpoints",
            "a",
            "hub's DNS_1",
            &"x".repeat(64),
            "1a",
        ] {
            assert_eq!(name_problem(good), None, "{good}");
        }
        for bad in ["", "1234", "dots.not", &"x".repeat(65), "é"] {
            assert!(name_problem(bad).is_some(), "{bad}");
        }
    }
}
