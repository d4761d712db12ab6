//! `ProfileResourceAssociation`: a private hosted zone, an interface endpoint or a resolver rule
//! held by a Route 53 Profile, so that every VPC associated with the profile uses it.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::hosted_zone::PrivateHostedZoneRef;
use super::interface_endpoint::InterfaceEndpointRef;
use super::profile::{ProfileRef, check_name};
use crate::handle::{Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, ConstructNode, Drawing, Node, Pricing, Relations, Render};
use crate::stack::{Construct, StackDef};
use crate::{StackMarker, SynthError, VpcMarker};

/// A resource held by a Route 53 Profile (`AWS::Route53Profiles::ProfileResourceAssociation`,
/// in the profile's stack): every VPC associated with the profile resolves names through it
/// (Route 53 developer guide, "Route 53 Profiles": private hosted zones, Resolver rules and
/// interface VPC endpoints among what a profile holds).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::zones::{Profile, ProfileResource, ProfileResourceAssociation, ZoneVpc};
/// vpcform_net::topology! { stack Hub { vpc HubVpc } }
/// let mut hub = Stack::<Hub>::new("Hub");
/// let vpc = hub.add("HubVpc", Vpc::<HubVpc>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let a = hub.add(
///     "HubA",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.0.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let sqs = hub.add(
///     "Sqs",
///     InterfaceEndpoint::builder().vpc(&vpc).service(services::Sqs).subnets([&a]).private_dns(false).build(),
/// );
/// let zone = hub.add(
///     "SqsZone",
///     PrivateHostedZone::builder().endpoint(&sqs).vpcs([ZoneVpc::of(&vpc)]).build(),
/// );
/// let profile = hub.add("Dns", Profile::builder().name("shared-endpoints").build());
/// hub.add(
///     "DnsSqsZone",
///     ProfileResourceAssociation::builder()
///         .profile(&profile)
///         .name("sqs-zone")
///         .resource(ProfileResource::from(&zone))
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ProfileResourceAssociation<S> {
    /// `ProfileId`: the profile, of this stack (its owner associates resources). Required.
    #[builder(setter(into))]
    profile: ProfileRef<S>,
    /// `Name`: 1 to 64 letters, digits, spaces, `-`, `_` and `'`, not only digits. Required.
    #[builder(setter(into))]
    name: String,
    /// `ResourceArn`: what the profile holds ([`ProfileResource`]). Required.
    resource: ProfileResource<S>,
}

/// What a [`ProfileResourceAssociation`] of stack `S` associates, by its ARN: a private hosted
/// zone or an interface endpoint of the stack, or a resource outside the app by ARN.
///
/// ```
/// use vpcform_net::zones::ProfileResource;
/// vpcform_net::topology! { stack Hub {} }
/// let rule = ProfileResource::<Hub>::arn(
///     "arn:aws:route53resolver:us-east-1:111122223333:resolver-rule/rslvr-rr-0123456789abcdef0",
/// );
/// # let _ = rule;
/// ```
pub struct ProfileResource<S> {
    /// The construct, when the app has it.
    handle: Option<Handle>,
    arn: Value,
    _stack: PhantomData<fn() -> S>,
}

impl<S> ProfileResource<S> {
    /// A resource outside the app by its ARN: a private hosted zone
    /// (`arn:<partition>:route53:::hostedzone/<id>`), an interface endpoint
    /// (`arn:<partition>:ec2:<region>:<account>:vpc-endpoint/<id>`) or a Resolver rule
    /// (`arn:<partition>:route53resolver:<region>:<account>:resolver-rule/<id>`).
    ///
    /// See [`ProfileResource`] for an example.
    pub fn arn(arn: impl Into<String>) -> ProfileResource<S> {
        ProfileResource {
            handle: None,
            arn: Value::String(arn.into()),
            _stack: PhantomData,
        }
    }
}

impl<S> From<&PrivateHostedZoneRef> for ProfileResource<S> {
    /// A hosted zone's ARN, `arn:<partition>:route53:::hostedzone/<id>` (Service Authorization
    /// Reference, "Resource types defined by Amazon Route 53": global, no region or account);
    /// the zone's `Ref` is its ID.
    fn from(zone: &PrivateHostedZoneRef) -> Self {
        ProfileResource {
            handle: Some(zone.handle.clone()),
            arn: Value::sub(format!(
                "arn:${{AWS::Partition}}:route53:::hostedzone/${{{}}}",
                zone.handle.id
            )),
            _stack: PhantomData,
        }
    }
}

impl<V: VpcMarker> From<&InterfaceEndpointRef<V>> for ProfileResource<V::Stack> {
    /// An endpoint's ARN, `arn:<partition>:ec2:<region>:<account>:vpc-endpoint/<id>` (Service
    /// Authorization Reference, "Resource types defined by Amazon EC2"); CloudFormation gives
    /// no `Arn` attribute for `AWS::EC2::VPCEndpoint`.
    fn from(endpoint: &InterfaceEndpointRef<V>) -> Self {
        ProfileResource {
            handle: Some(endpoint.handle.clone()),
            arn: Value::sub(format!(
                "arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:vpc-endpoint/${{{}}}",
                endpoint.handle.id
            )),
            _stack: PhantomData,
        }
    }
}

handle! {
    /// A handle to a [`ProfileResourceAssociation`] added to stack `S`.
    ProfileResourceAssociationRef
}

impl<S: StackMarker> Construct<S> for ProfileResourceAssociation<S> {
    type Handle = ProfileResourceAssociationRef<S>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ProfileResourceAssociationRef<S> {
        ProfileResourceAssociationRef::new(stack.push(Node::ProfileResourceAssociation(
            ProfileResourceAssociationNode {
                id,
                profile: self.profile.handle,
                name: self.name,
                resource: self.resource.handle,
                arn: self.resource.arn,
            },
        )))
    }
}

pub(crate) struct ProfileResourceAssociationNode {
    pub(crate) id: Arc<str>,
    pub(crate) profile: Handle,
    name: String,
    /// The associated construct, when the app has it.
    pub(crate) resource: Option<Handle>,
    arn: Value,
}

/// Whether a stated ARN names a resource a profile holds, and its region (`None` for a global
/// one): a hosted zone, an interface endpoint or a Resolver rule (Route 53 Profiles API
/// reference, `AssociateResourceToProfile`; Service Authorization Reference, the ARN formats).
/// A DNS Firewall rule group needs `ResourceProperties` (its priority), which this construct
/// does not write.
fn stated_arn(text: &str) -> Result<(&str, Option<&str>), &'static str> {
    let arn = crate::arn::Arn::parse(text).ok_or("not an ARN")?;
    let (kind, id) = arn
        .resource
        .split_once('/')
        .ok_or("not a hosted zone, interface endpoint or Resolver rule ARN")?;
    let regional = !arn.region.is_empty() && crate::arn::is_account_id(arn.account);
    match (arn.service, kind) {
        ("route53", "hostedzone") if arn.region.is_empty() && arn.account.is_empty() => (!id
            .is_empty())
        .then_some((arn.partition, None))
        .ok_or("a hosted zone ARN ends in its ID"),
        ("ec2", "vpc-endpoint") if regional => super::ec2_id(id, "vpce-")
            .then_some((arn.partition, Some(arn.region)))
            .ok_or("an interface endpoint ARN ends in its ID, vpce- and 8 or 17 hex digits"),
        ("route53resolver", "resolver-rule") if regional => (!id.is_empty())
            .then_some((arn.partition, Some(arn.region)))
            .ok_or("a Resolver rule ARN ends in its ID"),
        ("route53resolver", "firewall-rule-group") => Err(
            "a DNS Firewall rule group needs a priority (ResourceProperties) vpcform does not write",
        ),
        _ => Err("not a hosted zone, interface endpoint or Resolver rule ARN"),
    }
}

impl ProfileResourceAssociationNode {
    /// A stated ARN: of a kind profiles hold, of the profile's partition and region (a
    /// profile is regional: "Route 53 Profiles ... apply to VPCs in the same Region"; the
    /// regional resources it holds are of its region).
    fn check_stated(&self, check: &mut Check<'_>) {
        let Some(text) = self.arn.as_str() else {
            return;
        };
        let region = check.stack.region.clone();
        let construct = check.path(&self.id);
        match stated_arn(text) {
            Err(reason) => check.report(SynthError::InvalidProfileResourceArn {
                construct,
                arn: text.to_string(),
                reason: reason.to_string(),
            }),
            Ok((partition, resource_region)) => {
                let Some(own) = region.as_deref() else {
                    return;
                };
                if partition != crate::regions::partition_of(own) {
                    check.report(SynthError::InvalidProfileResourceArn {
                        construct,
                        arn: text.to_string(),
                        reason: format!("of partition {partition}, not the profile's"),
                    });
                } else if let Some(resource_region) = resource_region
                    && resource_region != own
                {
                    check.report(SynthError::ProfileResourceInOtherRegion {
                        construct,
                        resource: text.to_string(),
                        resource_region: resource_region.to_string(),
                        region: own.to_string(),
                    });
                }
            }
        }
    }
}

impl ConstructNode for ProfileResourceAssociationNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        None
    }

    fn tags(&self) -> Option<&crate::Tags> {
        // The resource's schema has no Tags.
        None
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, relations: &mut Relations) {
        if let Some(resource) = &self.resource {
            relations
                .profile_resources
                .entry(self.profile.key)
                .or_default()
                .push(resource.key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "ProfileId", &self.profile, None);
        check_name(check, &self.id, &self.name);
        match &self.resource {
            Some(resource) => check.handle(&self.id, "ResourceArn", resource, None),
            None => self.check_stated(check),
        }
        // A resource once per profile: AWS refuses a second association of it
        // (AssociateResourceToProfile: ResourceExistsException).
        let resource = match &self.resource {
            Some(handle) => handle.path(),
            None => self.arn.as_str().unwrap_or_default().to_string(),
        };
        if let Some(other) = check.claim(Claim::ProfileResource {
            profile: self.profile.key,
            resource: resource.clone(),
        }) {
            check.report(SynthError::DuplicateProfileResource {
                construct: check.path(&self.id),
                profile: self.profile.path(),
                resource,
                other,
            });
        }
    }

    fn render(&self, _ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(
            &*self.id,
            Resource::new("AWS::Route53Profiles::ProfileResourceAssociation")
                .property("ProfileId", self.profile.reference())
                .property("Name", self.name.as_str())
                .property("ResourceArn", self.arn.clone()),
        )
    }

    fn pricing(&self) -> Pricing {
        // Route 53 Profiles bills VPC associations, not what a profile holds.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Hidden
    }
}

#[cfg(test)]
mod tests {
    use super::stated_arn;

    #[test]
    fn each_kind_of_arn_a_profile_holds_and_each_way_to_miss_one() {
        assert_eq!(
            stated_arn("arn:aws:route53:::hostedzone/Z0123456789ABC"),
            Ok(("aws", None))
        );
        assert_eq!(
            stated_arn("arn:aws:ec2:eu-west-1:111122223333:vpc-endpoint/vpce-0123456789abcdef0"),
            Ok(("aws", Some("eu-west-1")))
        );
        assert_eq!(
            stated_arn(
                "arn:aws-cn:route53resolver:cn-north-1:111122223333:resolver-rule/rslvr-rr-1"
            ),
            Ok(("aws-cn", Some("cn-north-1")))
        );
        for bad in [
            "hostedzone/Z1",
            "arn:aws:route53:::hostedzone/",
            "arn:aws:route53:us-east-1::hostedzone/Z1",
            "arn:aws:ec2:eu-west-1:111122223333:vpc-endpoint/vpce-12",
            "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0123456789abcdef0",
            "arn:aws:route53resolver:eu-west-1:111122223333:firewall-rule-group/rslvr-frg-1",
            "arn:aws:s3:::bucket/key",
        ] {
            assert!(stated_arn(bad).is_err(), "{bad}");
        }
    }
}
