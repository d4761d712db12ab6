//! `ResourceShare`: an AWS RAM resource share — a transit gateway, subnets, a VPC Lattice service
//! network or resource configuration made usable by other accounts, organizational units or the
//! whole organization.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::profile::ProfileRef;
use super::resource_configuration::ResourceConfigurationRef;
use super::service_network::ServiceNetworkRef;
use super::subnet::SubnetRef;
use super::transit_gateway::TransitGatewayRef;
use crate::handle::{Handle, handle};
use crate::identity::NodeKey;
use crate::model::{Check, ConstructNode, Drawing, Node, Pricing, Relations, Render};
use crate::stack::{Construct, StackDef};
use crate::{StackMarker, SynthError, SynthWarning, VpcMarker};

/// An AWS RAM resource share (`AWS::RAM::ResourceShare`) in stack `S`: its resources — of the
/// same stack — become usable by its principals (accounts, organizational units, the
/// organization, IAM roles or users).
///
/// Sharing with an account outside the organization (or before sharing with AWS Organizations
/// is enabled) sends an invitation the other account must accept; a transit gateway's
/// attachments from other accounts wait for acceptance unless the transit gateway accepts
/// shared attachments automatically (Transit Gateway guide, "Share a transit gateway").
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::sharing::{ResourceShare, SharedResource};
/// vpcform_net::topology! { stack Network {} }
/// let mut network = Stack::<Network>::new("Network");
/// let tgw = network.add("Tgw", TransitGateway::builder().build());
/// network.add(
///     "TgwShare",
///     ResourceShare::builder()
///         .name("landing-zone-tgw")
///         .resources([SharedResource::from(&tgw)])
///         .principals(["arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5"])
///         .allow_external_principals(false)
///         .build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ResourceShare<S> {
    /// `Name`. Required by CloudFormation.
    #[builder(setter(into))]
    name: String,
    /// `ResourceArns`: what it shares, each a construct of this stack
    /// ([`SharedResource::from`] a transit gateway, subnet, service network, resource
    /// configuration or Route 53 Profile). Default: none (a share without resources shares nothing: a warning).
    #[builder(default, setter(transform = |resources: impl IntoIterator<Item = SharedResource<S>>| resources.into_iter().collect()))]
    resources: Vec<SharedResource<S>>,
    /// `Principals`: 12-digit account IDs, or ARNs of an organization, an organizational unit,
    /// an IAM role or an IAM user (`AWS::RAM::ResourceShare` `Principals`). Default: none (a
    /// share with no principal shares with no one: a warning).
    #[builder(default, setter(transform = |principals: impl IntoIterator<Item = impl Into<String>>| principals.into_iter().map(Into::into).collect()))]
    principals: Vec<String>,
    /// `AllowExternalPrincipals`: whether principals outside the organization may be
    /// associated. `false` has meaning only in an account of an organization. Default: AWS's,
    /// `true`.
    #[builder(default, setter(strip_option(fallback = allow_external_principals_opt)))]
    allow_external_principals: Option<bool>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

/// A construct of stack `S` a [`ResourceShare`] can share, by its ARN: a transit gateway, a
/// subnet, a VPC Lattice service network or resource configuration, a Route 53 Profile (AWS
/// RAM, "Shareable AWS resources").
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::sharing::SharedResource;
/// vpcform_net::topology! { stack Network { vpc Shared } }
/// let mut network = Stack::<Network>::new("Network");
/// let vpc = network.add("Shared", Vpc::<Shared>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let subnet = network.add(
///     "A",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let shared = SharedResource::from(&subnet);
/// ```
pub struct SharedResource<S> {
    /// The construct, when the app has it.
    handle: Option<Handle>,
    arn: Value,
    _stack: PhantomData<fn() -> S>,
}

impl<S> SharedResource<S> {
    fn new(handle: &Handle, arn: Value) -> SharedResource<S> {
        SharedResource {
            handle: Some(handle.clone()),
            arn,
            _stack: PhantomData,
        }
    }

    /// A Route 53 Resolver rule outside the app, by its ARN
    /// (`arn:<partition>:route53resolver:<region>:<account>:resolver-rule/<id>`; AWS RAM,
    /// "Shareable AWS resources": `route53resolver:ResolverRule`): the VPCs of the accounts it
    /// is shared with can then be associated with the rule. Checked at synth: a Resolver rule's
    /// ARN, of the share's partition and Region (a share holds resources of its own Region).
    ///
    /// ```
    /// use vpcform_net::sharing::SharedResource;
    /// vpcform_net::topology! { stack Network {} }
    /// let rule = SharedResource::<Network>::resolver_rule(
    ///     "arn:aws:route53resolver:us-east-1:111122223333:resolver-rule/rslvr-rr-0123456789abcdef0",
    /// );
    /// # let _ = rule;
    /// ```
    pub fn resolver_rule(arn: impl Into<String>) -> SharedResource<S> {
        SharedResource {
            handle: None,
            arn: Value::String(arn.into()),
            _stack: PhantomData,
        }
    }

    /// An EC2 resource's ARN: `arn:<partition>:ec2:<region>:<account>:<kind>/<id>` (Service
    /// Authorization Reference, "Resource types defined by Amazon EC2"); CloudFormation gives
    /// no `Arn` attribute for transit gateways and subnets.
    fn ec2(handle: &Handle, kind: &str) -> SharedResource<S> {
        let arn = Value::sub(format!(
            "arn:${{AWS::Partition}}:ec2:${{AWS::Region}}:${{AWS::AccountId}}:{kind}/${{{}}}",
            handle.id
        ));
        SharedResource::new(handle, arn)
    }
}

impl<S> From<&TransitGatewayRef<S>> for SharedResource<S> {
    fn from(tgw: &TransitGatewayRef<S>) -> Self {
        SharedResource::ec2(&tgw.handle, "transit-gateway")
    }
}

impl<V: VpcMarker> From<&SubnetRef<V>> for SharedResource<V::Stack> {
    fn from(subnet: &SubnetRef<V>) -> Self {
        SharedResource::ec2(&subnet.handle, "subnet")
    }
}

impl<S> From<&ServiceNetworkRef<S>> for SharedResource<S> {
    fn from(network: &ServiceNetworkRef<S>) -> Self {
        let arn = Value::get_att(&*network.handle.id, "Arn");
        SharedResource::new(&network.handle, arn)
    }
}

impl<S> From<&ProfileRef<S>> for SharedResource<S> {
    /// A Route 53 Profile, by its `Arn` attribute: shared, its owner's zones and endpoints
    /// answer the DNS of the VPCs other accounts associate with it (AWS RAM, "Shareable AWS
    /// resources": `route53profiles:Profile`).
    fn from(profile: &ProfileRef<S>) -> Self {
        let arn = Value::get_att(&*profile.handle.id, "Arn");
        SharedResource::new(&profile.handle, arn)
    }
}

impl<V: VpcMarker> From<&ResourceConfigurationRef<V>> for SharedResource<V::Stack> {
    fn from(configuration: &ResourceConfigurationRef<V>) -> Self {
        let arn = Value::get_att(&*configuration.handle.id, "Arn");
        SharedResource::new(&configuration.handle, arn)
    }
}

handle! {
    /// A handle to a [`ResourceShare`] added to stack `S`.
    ResourceShareRef
}

impl<S: StackMarker> Construct<S> for ResourceShare<S> {
    type Handle = ResourceShareRef<S>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ResourceShareRef<S> {
        ResourceShareRef::new(
            stack.push(Node::ResourceShare(ResourceShareNode {
                id,
                name: self.name,
                resources: self
                    .resources
                    .into_iter()
                    .map(|r| (r.handle, r.arn))
                    .collect(),
                principals: self.principals,
                allow_external_principals: self.allow_external_principals,
                tags: self.tags,
            })),
        )
    }
}

pub(crate) struct ResourceShareNode {
    pub(crate) id: Arc<str>,
    name: String,
    /// Each shared construct, and its ARN.
    /// Each shared resource: its construct when the app has it, and its ARN.
    resources: Vec<(Option<Handle>, Value)>,
    principals: Vec<String>,
    allow_external_principals: Option<bool>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl ResourceShareNode {
    /// The principals, as given (account IDs, organization, OU, role and user ARNs).
    pub(crate) fn principals(&self) -> &[String] {
        &self.principals
    }

    /// The shared constructs.
    pub(crate) fn resource_keys(&self) -> impl Iterator<Item = NodeKey> + '_ {
        self.resources
            .iter()
            .filter_map(|(handle, _)| handle.as_ref().map(|h| h.key))
    }
}

impl ResourceShareNode {
    /// A Resolver rule stated by ARN: of the share's partition and Region ("You can share
    /// resources only in the AWS Region where the resource share is": AWS RAM User Guide,
    /// "Sharing your AWS resources"; the ARN form: Service Authorization Reference, "Resource
    /// types defined by Amazon Route 53 Resolver").
    fn check_stated(&self, check: &mut Check<'_>, arn: &Value) {
        let Some(text) = arn.as_str() else {
            return;
        };
        let reason = match crate::arn::Arn::parse(text) {
            None => Some("not an ARN".to_string()),
            Some(parsed) => {
                let rule = parsed.service == "route53resolver"
                    && parsed
                        .resource
                        .strip_prefix("resolver-rule/")
                        .is_some_and(|id| !id.is_empty())
                    && crate::arn::is_account_id(parsed.account);
                let own = check.stack.region.as_deref();
                if !rule {
                    Some("not a Resolver rule ARN (arn:<partition>:route53resolver:<region>:<account>:resolver-rule/<id>)".to_string())
                } else if let Some(own) = own
                    && parsed.region != own
                {
                    Some(format!(
                        "of Region {}; a resource share holds resources of its own Region, {own}",
                        parsed.region
                    ))
                } else if let Some(own) = own
                    && parsed.partition != crate::regions::partition_of(own)
                {
                    Some(format!(
                        "of partition {}, not the share's",
                        parsed.partition
                    ))
                } else {
                    None
                }
            }
        };
        if let Some(reason) = reason {
            check.report(SynthError::InvalidSharedResourceArn {
                construct: check.path(&self.id),
                arn: text.to_string(),
                reason,
            });
        }
    }
}

/// The partition a RAM principal names (`None` for an account ID), or `Err` when it is none of
/// the forms `AWS::RAM::ResourceShare` `Principals` takes: an account ID, or the ARN of an
/// organization (`organization/o-…`), an organizational unit (`ou/o-…/ou-…`), an IAM role or
/// user (AWS Organizations API reference, `Organization.Id` `^o-[a-z0-9]{10,32}$` and
/// `OrganizationalUnit.Id` `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`; IAM identifiers, "IAM ARNs").
fn principal_partition(principal: &str) -> Result<Option<&str>, ()> {
    use crate::arn::{Arn, IamPrincipal, is_account_id};
    if is_account_id(principal) {
        return Ok(None);
    }
    let arn = Arn::parse(principal).ok_or(())?;
    let id = |text: &str, prefix: &str, min: usize| {
        text.strip_prefix(prefix).is_some_and(|rest| {
            (min..=32).contains(&rest.len())
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
    };
    let valid = match arn.service {
        "organizations" => {
            arn.region.is_empty()
                && is_account_id(arn.account)
                && match arn.resource.split('/').collect::<Vec<_>>()[..] {
                    ["organization", org] => id(org, "o-", 10),
                    ["ou", org, ou] => {
                        id(org, "o-", 10)
                            && ou.strip_prefix("ou-").is_some_and(|rest| {
                                rest.split_once('-')
                                    .is_some_and(|(root, ou)| id(root, "", 4) && id(ou, "", 8))
                            })
                    }
                    _ => false,
                }
        }
        // RAM shares with roles and users, not an account's root (an account is its ID).
        "iam" => matches!(
            arn.iam_principal(),
            Some(IamPrincipal::Role | IamPrincipal::User)
        ),
        _ => false,
    };
    if valid {
        Ok(Some(arn.partition))
    } else {
        Err(())
    }
}

impl ConstructNode for ResourceShareNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Regional, in no VPC: it shares constructs of any VPC of its stack.
        None
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, relations: &mut Relations) {
        for handle in self.resources.iter().filter_map(|(h, _)| h.as_ref()) {
            relations
                .shared_with
                .entry(handle.key)
                .or_default()
                .extend(self.principals.iter().cloned());
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        for (handle, arn) in &self.resources {
            match handle {
                Some(handle) => check.handle(&self.id, "ResourceArns", handle, None),
                None => self.check_stated(check, arn),
            }
        }
        if self.name.trim().is_empty() {
            check.report(SynthError::Empty {
                construct: check.path(&self.id),
                property: "Name",
                fix: "name the share (CloudFormation requires a Name)",
            });
        }
        let own = check
            .stack
            .region
            .as_deref()
            .map(crate::regions::partition_of);
        for principal in &self.principals {
            match principal_partition(principal) {
                Err(()) => check.report(SynthError::InvalidSharePrincipal {
                    construct: check.path(&self.id),
                    principal: principal.clone(),
                }),
                // A share cannot cross partitions: they are separate sets of accounts.
                Ok(Some(partition)) if own.is_some_and(|own| own != partition) => {
                    check.report(SynthError::SharePrincipalInOtherPartition {
                        construct: check.path(&self.id),
                        principal: principal.clone(),
                        partition: own.unwrap_or_default(),
                    })
                }
                Ok(_) => {}
            }
        }
        for (missing, empty) in [
            ("resources", self.resources.is_empty()),
            ("principals", self.principals.is_empty()),
        ] {
            if empty {
                check.warn(SynthWarning::ResourceShareSharesNothing {
                    construct: check.path(&self.id),
                    missing,
                });
            }
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let arns: Vec<Value> = self.resources.iter().map(|(_, arn)| arn.clone()).collect();
        let principals: Vec<Value> = self
            .principals
            .iter()
            .map(|p| Value::from(p.as_str()))
            .collect();
        template.add_resource(
            &*self.id,
            Resource::new("AWS::RAM::ResourceShare")
                .property("Name", self.name.as_str())
                .property_opt(
                    "ResourceArns",
                    (!arns.is_empty()).then_some(Value::List(arns)),
                )
                .property_opt(
                    "Principals",
                    (!principals.is_empty()).then_some(Value::List(principals)),
                )
                .property_opt("AllowExternalPrincipals", self.allow_external_principals)
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // AWS RAM has no charge of its own ("There is no additional charge for using AWS RAM",
        // AWS RAM FAQ).
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // Permissions, not a path: drawn through the constructs it shares.
        Drawing::Hidden
    }
}

#[cfg(test)]
mod tests {
    use super::principal_partition;

    #[test]
    fn each_form_of_principal_and_each_way_to_miss_one() {
        for (principal, partition) in [
            ("111122223333", None),
            (
                "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5",
                Some("aws"),
            ),
            (
                "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12-cd34ef56",
                Some("aws"),
            ),
            ("arn:aws-cn:iam::111122223333:role/network", Some("aws-cn")),
            ("arn:aws:iam::111122223333:user/ops", Some("aws")),
        ] {
            assert_eq!(principal_partition(principal), Ok(partition), "{principal}");
        }
        for bad in [
            "11112222333",
            "o-a1b2c3d4e5",
            "arn:aws:organizations::111122223333:organization/o-short",
            "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-ab12",
            "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5",
            "arn:aws:iam::111122223333:group/admins",
            "arn:aws:iam::111122223333:role/",
            "arn:aws-mars:iam::111122223333:role/x",
            "arn:aws:iam::1111:role/x",
            "arn:aws:ec2::111122223333:role/x",
        ] {
            assert_eq!(principal_partition(bad), Err(()), "{bad}");
        }
    }
}
