//! `ProfileAssociation`: a VPC associated with a Route 53 Profile, of this stack or shared by
//! another account through AWS RAM.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::profile::{ProfileRef, check_name};
use super::vpc::VpcRef;
use crate::export::{Imported, ProfileId};
use crate::handle::{Handle, Linked, handle};
use crate::identity::NodeKey;
use crate::model::Render;
use crate::model::{Check, Claim, ConstructNode, Drawing, Node, Placement, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// VPC `V` associated with a Route 53 Profile (`AWS::Route53Profiles::ProfileAssociation`, in
/// the VPC owner's stack): the profile's zones, endpoints and rules answer its clients' DNS
/// queries. A VPC takes one profile ("A VPC can have only one Profile associated with it":
/// Route 53 Profiles API reference, `AssociateProfile`), of its own region; a profile of
/// another account must be shared with this one through AWS RAM (and, outside the
/// organization, the invitation accepted) before this stack deploys.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::zones::{Profile, ProfileAssociation};
/// vpcform_net::topology! {
///     stack Hub {}
///     stack Spoke { vpc SpokeVpc }
/// }
/// let mut hub = Stack::<Hub>::new("Hub");
/// let profile = hub.add("Dns", Profile::builder().name("shared-endpoints").build());
/// let profile_id = hub.export("DnsProfileId", &profile);
/// let mut spoke = Stack::<Spoke>::new("Spoke");
/// let vpc = spoke.add("SpokeVpc", Vpc::<SpokeVpc>::builder().cidr(cidr!("10.1.0.0/16")).build());
/// let imported = spoke.import(&profile_id);
/// spoke.add(
///     "SpokeDns",
///     ProfileAssociation::builder()
///         .vpc(&vpc)
///         .profile(imported)
///         .name("spoke-dns")
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ProfileAssociation<V: VpcMarker> {
    /// `ResourceId`: the VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// `ProfileId`: a [`ProfileRef`] of the same stack, its ID imported from another stack's
    /// export, or a stated ID (`rp-…`) of a profile outside the app. Required.
    #[builder(setter(transform = |profile: impl IntoProfile<V::Stack>| profile.profile()))]
    profile: Linked,
    /// `Name`: 1 to 64 letters, digits, spaces, `-`, `_` and `'`, not only digits. Required.
    #[builder(setter(into))]
    name: String,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

/// What [`ProfileAssociation`]'s `profile` takes in stack `S`: a [`ProfileRef`] of `S`, a
/// profile ID imported from another stack's export, or a stated ID.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Route 53 Profile that a VPC of stack `{S}` can name",
    note = "give a `&ProfileRef` of the same stack, a profile ID imported from another stack's \
            export (`spoke.import(&hub.export(\"ProfileId\", &profile))`), or its ID as text"
)]
pub trait IntoProfile<S> {
    #[doc(hidden)]
    fn profile(self) -> Linked;
}

impl<S> IntoProfile<S> for &ProfileRef<S> {
    fn profile(self) -> Linked {
        Linked::local(&self.handle, self.reference())
    }
}

impl<S> IntoProfile<S> for Imported<S, ProfileId> {
    fn profile(self) -> Linked {
        Linked::imported(self)
    }
}

impl<S> IntoProfile<S> for &str {
    fn profile(self) -> Linked {
        Linked {
            value: Value::String(self.to_string()),
            source: None,
            local: false,
        }
    }
}

impl<S> IntoProfile<S> for String {
    fn profile(self) -> Linked {
        Linked {
            value: Value::String(self),
            source: None,
            local: false,
        }
    }
}

handle! {
    /// A handle to a [`ProfileAssociation`] of VPC `V`.
    ProfileAssociationRef
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ProfileAssociation<V> {
    type Handle = ProfileAssociationRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ProfileAssociationRef<V> {
        ProfileAssociationRef::new(stack.push(Node::ProfileAssociation(ProfileAssociationNode {
            id,
            vpc: self.vpc.handle,
            profile: self.profile,
            name: self.name,
            tags: self.tags,
        })))
    }
}

pub(crate) struct ProfileAssociationNode {
    pub(crate) id: Arc<str>,
    pub(crate) vpc: Handle,
    pub(crate) profile: Linked,
    name: String,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl ProfileAssociationNode {
    /// The profile is regional: a VPC of another region cannot use it ("Route 53 Profiles …
    /// apply … to multiple VPCs in the same AWS Region", AWS News Blog, "Unify DNS management
    /// using Amazon Route 53 Profiles"). Of another account, it must be shared with this one
    /// through AWS RAM (AWS RAM, "Shareable AWS resources": Route 53 Profiles). An account or
    /// region left unpinned is not assumed to match a pinned one.
    fn check_placement(&self, check: &mut Check<'_>, profile: NodeKey) {
        let construct = check.path(&self.id);
        let profile_path = check.model.path(profile);
        let region = check.model.same_region(check.key, profile);
        match region {
            Placement::Same => {}
            Placement::Different(region, profile_region) => {
                check.report(SynthError::ProfileInOtherRegion {
                    construct: construct.clone(),
                    profile: profile_path.clone(),
                    profile_region: profile_region.to_string(),
                    region: region.to_string(),
                })
            }
            Placement::Unknown { .. } => {
                let error = region.unknown(&construct, &profile_path, "region");
                check.findings.errors.extend(error);
            }
        }
        let account = check.model.same_account(check.key, profile);
        match account {
            Placement::Same => {}
            Placement::Different(account, _)
                if super::transit_gateway_attachment::shares_with(
                    check.model.shared_with(profile),
                    account,
                ) => {}
            Placement::Different(account, profile_account) => {
                check.report(SynthError::ProfileNotShared {
                    construct: construct.clone(),
                    profile: profile_path.clone(),
                    profile_account: profile_account.to_string(),
                    account: account.to_string(),
                })
            }
            Placement::Unknown { .. } => {
                let error = account.unknown(&construct, &profile_path, "account");
                check.findings.errors.extend(error);
            }
        }
    }
}

impl ConstructNode for ProfileAssociationNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        self.vpc.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        if let Some(profile) = self.profile.key() {
            relations
                .profile_associations_of
                .entry(profile)
                .or_default()
                .push(key);
            if let Some(vpc) = self.vpc.vpc {
                relations.profile_of.entry(vpc).or_insert(profile);
            }
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "ResourceId", &self.vpc, None);
        check.linked(&self.profile, &self.id, "ProfileId");
        check_name(check, &self.id, &self.name);
        // A stated ID: "rp-" then the ID (CloudFormation, `AWS::Route53Profiles::Profile`
        // Ref: "rp-9e6daa461example"), at most 64 characters (AssociateProfile `ProfileId`).
        if let Some(text) = self.profile.value.as_str()
            && (!text.starts_with("rp-") || text.len() < 4 || text.len() > 64)
        {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "ProfileId",
                value: text.to_string(),
                reason: "a Route 53 Profile ID is rp- and its ID, at most 64 characters".into(),
            });
        }
        if let Some(profile) = self.profile.key() {
            self.check_placement(check, profile);
        }
        // One profile per VPC (AssociateProfile: "A VPC can have only one Profile associated
        // with it").
        if let Some(vpc) = self.vpc.vpc
            && let Some(other) = check.claim(Claim::ProfileOfVpc { vpc })
        {
            check.report(SynthError::SecondProfileForVpc {
                construct: check.path(&self.id),
                vpc: self.vpc.path(),
                other,
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::Route53Profiles::ProfileAssociation")
                .property("ProfileId", self.profile.value.clone())
                .property("ResourceId", self.vpc.reference())
                .property("Name", self.name.as_str())
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // Billed to the profile's owner per VPC association: priced in the centralized
        // endpoints comparison (cost.rs), where it replaces per-VPC endpoints.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::ProfileAssociation {
            profile: self.profile.key(),
            vpc: self.vpc.vpc,
        }
    }
}
