//! `PrivateHostedZone`: an AWS service's name resolved to a central interface endpoint, in
//! every VPC associated with the zone.

use std::marker::PhantomData;
use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::interface_endpoint::{InterfaceEndpointNode, InterfaceEndpointRef};
use super::vpc::{VpcNode, VpcRef};
use crate::export::{Imported, VpcId};
use crate::handle::AnyHandle;
use crate::handle::{Handle, Linked};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render, ServiceKey};
use crate::model::{ConstructNode, Drawing, Placement, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// A Route 53 private hosted zone (`AWS::Route53::HostedZone`) named after an AWS service's
/// endpoint name (`sqs.<region>.amazonaws.com`), with an alias record
/// (`AWS::Route53::RecordSet`, logical ID `<Id>Alias`) to an interface endpoint of this stack:
/// the centralized endpoints of AWS's whitepaper "Building a Scalable and Secure Multi-VPC AWS
/// Network Infrastructure". Associated with the spoke VPCs, the zone makes their clients
/// resolve the service to the hub endpoint, reached over a transit gateway or peering.
///
/// The hub endpoint has private DNS off: with it on, AWS's own zone for the name is already
/// associated with the hub VPC and this one conflicts (`ConflictingDomainExists`, checked at
/// synth). A VPC of another account cannot be associated from CloudFormation (there is no
/// resource for `CreateVPCAssociationAuthorization`): synthesis says so rather than emit a
/// template that fails.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::zones::ZoneVpc;
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
/// hub.add(
///     "SqsZone",
///     PrivateHostedZone::builder().endpoint(&sqs).vpcs([ZoneVpc::of(&vpc)]).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct PrivateHostedZone<V: VpcMarker> {
    /// The interface endpoint (of an AWS service, in this stack) the zone's name resolves to.
    /// Required.
    #[builder(setter(into))]
    endpoint: InterfaceEndpointRef<V>,
    /// `VPCs`: the VPCs whose clients resolve the name through this zone — the spokes, and the
    /// hub itself when its endpoint has private DNS off. Required, at least one (a private
    /// zone is created with its VPCs).
    #[builder(setter(transform = |vpcs: impl IntoIterator<Item = ZoneVpc<V::Stack>>| vpcs.into_iter().map(|v| v.def).collect()))]
    vpcs: Vec<ZoneVpcDef>,
    /// Also a `*.<name>` alias, for services whose clients use names under the service's
    /// (ECR's `dkr` registry: `<account>.dkr.ecr.<region>.amazonaws.com`). Default: off.
    #[builder(default)]
    wildcard: bool,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

/// A VPC associated with a [`PrivateHostedZone`] of stack `S`: one of `S`, one imported from
/// another stack's export, or one outside the app by ID.
///
/// ```
/// use vpcform_net::zones::ZoneVpc;
/// vpcform_net::topology! { stack Hub {} }
/// let outside = ZoneVpc::<Hub>::external("vpc-0123456789abcdef0");
/// ```
pub struct ZoneVpc<S> {
    def: ZoneVpcDef,
    _stack: PhantomData<fn() -> S>,
}

#[doc(hidden)]
pub struct ZoneVpcDef {
    /// The VPC's ID, and its construct when the app has it.
    link: Linked,
    /// The VPC's account, when it is outside the app and says so.
    account: Option<String>,
    /// `VPCRegion`. Default: the stack's.
    region: Option<String>,
}

/// What [`ZoneVpc::of`] takes.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a VPC that a hosted zone of stack `{S}` can name",
    note = "give a `&VpcRef` of the zone's stack, or a VPC ID imported from another stack's \
            export (`hub.import(&spoke.export(\"VpcId\", &vpc))`)"
)]
pub trait IntoZoneVpc<S> {
    #[doc(hidden)]
    fn zone_vpc(self) -> ZoneVpcDef;
}

impl<S, V: VpcMarker + InStack<S>> IntoZoneVpc<S> for &VpcRef<V> {
    fn zone_vpc(self) -> ZoneVpcDef {
        ZoneVpcDef {
            link: Linked::local(self.any_handle(), self.reference()),
            account: None,
            region: None,
        }
    }
}

impl<S> IntoZoneVpc<S> for Imported<S, VpcId> {
    fn zone_vpc(self) -> ZoneVpcDef {
        ZoneVpcDef {
            link: Linked::imported(self),
            account: None,
            region: None,
        }
    }
}

impl<S> ZoneVpc<S> {
    /// A VPC of the zone's stack, or one imported from another stack.
    ///
    /// See [`PrivateHostedZone`] for an example.
    pub fn of(vpc: impl IntoZoneVpc<S>) -> ZoneVpc<S> {
        ZoneVpc {
            def: vpc.zone_vpc(),
            _stack: PhantomData,
        }
    }

    /// A VPC outside the app, by ID (`vpc-` and 8 or 17 hex digits), in the zone's account.
    ///
    /// See [`ZoneVpc`] for an example.
    pub fn external(vpc_id: impl Into<String>) -> ZoneVpc<S> {
        ZoneVpc {
            def: ZoneVpcDef {
                link: Linked {
                    value: Value::String(vpc_id.into()),
                    source: None,
                    local: false,
                },
                account: None,
                region: None,
            },
            _stack: PhantomData,
        }
    }

    /// The account of an external VPC, when it is not the zone's (synthesis then explains
    /// why CloudFormation cannot associate it).
    ///
    /// ```
    /// vpcform_net::topology! { stack Hub {} }
    /// let other = vpcform_net::zones::ZoneVpc::<Hub>::external("vpc-0123456789abcdef0").account("111122223333");
    /// ```
    pub fn account(mut self, account: impl Into<String>) -> ZoneVpc<S> {
        self.def.account = Some(account.into());
        self
    }

    /// `VPCRegion`, when the VPC is in another region than the zone's stack.
    ///
    /// ```
    /// vpcform_net::topology! { stack Hub {} }
    /// let west = vpcform_net::zones::ZoneVpc::<Hub>::external("vpc-0123456789abcdef0").region("us-west-2");
    /// ```
    pub fn region(mut self, region: impl Into<String>) -> ZoneVpc<S> {
        self.def.region = Some(region.into());
        self
    }
}

/// A handle to a [`PrivateHostedZone`] added to a stack.
#[derive(Clone, Debug)]
pub struct PrivateHostedZoneRef {
    pub(crate) handle: Handle,
}

impl PrivateHostedZoneRef {
    /// The CloudFormation logical ID.
    pub fn logical_id(&self) -> &str {
        &self.handle.id
    }

    /// `{"Ref": logical_id}`: the zone's ID, valid in its stack only.
    pub fn reference(&self) -> Value {
        self.handle.scoped(self.handle.reference())
    }
}

impl AnyHandle for PrivateHostedZoneRef {
    fn any_handle(&self) -> &Handle {
        &self.handle
    }
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for PrivateHostedZone<V> {
    type Handle = PrivateHostedZoneRef;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> PrivateHostedZoneRef {
        PrivateHostedZoneRef {
            handle: stack.push(Node::PrivateHostedZone(PrivateHostedZoneNode {
                tags: self.tags,
                id,
                endpoint: self.endpoint.handle,
                vpcs: self.vpcs,
                wildcard: self.wildcard,
            })),
        }
    }
}

pub(crate) struct PrivateHostedZoneNode {
    pub(crate) id: Arc<str>,
    pub(crate) endpoint: Handle,
    vpcs: Vec<ZoneVpcDef>,
    wildcard: bool,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl PrivateHostedZoneNode {
    /// How many VPCs the zone is associated with, of the app or not (quota checks).
    pub(crate) fn vpc_count(&self) -> usize {
        self.vpcs.len()
    }

    /// The app's VPCs associated with the zone.
    pub(crate) fn vpc_keys(&self) -> impl Iterator<Item = NodeKey> + '_ {
        self.vpcs
            .iter()
            .filter_map(|v| v.link.source.as_ref().and_then(|h| h.vpc))
    }

    /// The AWS service whose name the zone holds, when its endpoint is one.
    pub(crate) fn service<'m>(&self, model: &crate::model::Model<'m>) -> Option<&'m str> {
        model
            .get::<InterfaceEndpointNode>(&self.endpoint)?
            .target
            .aws_name()
    }

    /// An app VPC of another stack (an imported ID): of the zone's account, or CloudFormation
    /// cannot associate it (the check `ZoneVpc::account` makes for an external one); its region
    /// is written as `VPCRegion` (Route 53 associates VPCs of any region). An account or region
    /// left unpinned is not assumed to match a pinned one.
    fn check_vpc_placement(&self, check: &mut Check<'_>, key: NodeKey, vpc_path: &str) {
        let construct = check.path(&self.id);
        let placement = check.model.same_account(check.key, key);
        let account = match placement {
            Placement::Same => None,
            Placement::Different(_, vpc_account) => Some(SynthError::CrossAccountZoneAssociation {
                construct: check.path(&self.id),
                vpc: vpc_path.to_string(),
                account: vpc_account.to_string(),
            }),
            Placement::Unknown { .. } => placement.unknown(&construct, vpc_path, "account"),
        };
        let region = check
            .model
            .same_region(check.key, key)
            .unknown(&construct, vpc_path, "region");
        for error in account.into_iter().chain(region) {
            check.report(error);
        }
    }

    /// `VPCRegion`: as stated, else the region of the VPC's stack when it is another stack's
    /// and pinned, else the zone's own (`AWS::Region`).
    fn vpc_region(&self, vpc: &ZoneVpcDef, ctx: &Render<'_>) -> Value {
        let of_vpc_stack = vpc
            .link
            .source
            .as_ref()
            .and_then(|h| h.vpc)
            .filter(|key| key.stack != ctx.stack.key)
            .and_then(|key| ctx.model.stack(key.stack)?.region.clone());
        vpc.region
            .clone()
            .or(of_vpc_stack)
            .map_or_else(|| Value::reference("AWS::Region"), Value::String)
    }

    fn check_vpc(&self, check: &mut Check<'_>, vpc: &ZoneVpcDef, service: &str) {
        check.linked(&vpc.link, &self.id, "VPCs");
        // Another account: only CreateVPCAssociationAuthorization + AssociateVPCWithHostedZone
        // can associate it, and neither has a CloudFormation resource (docs/aws-rules.md §18.7).
        // An unpinned stack's account is unknown: a VPC that names its account must match a
        // pinned one.
        if let Some(account) = &vpc.account
            && Some(account) != check.stack.account.as_ref()
        {
            check.report(SynthError::CrossAccountZoneAssociation {
                construct: check.path(&self.id),
                vpc: vpc.link.value.as_str().unwrap_or_default().to_string(),
                account: account.clone(),
            });
        }
        if let Some(text) = vpc.link.value.as_str()
            && !valid_vpc_id(text)
        {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "VPCs.VPCId",
                value: text.to_string(),
                reason: "a VPC ID is vpc- and 8 or 17 lowercase hex digits".into(),
            });
        }
        let Some(key) = vpc.link.source.as_ref().and_then(|h| h.vpc) else {
            return;
        };
        let vpc_path = check.model.path(key);
        self.check_vpc_placement(check, key, &vpc_path);
        // "To use private hosted zones, you must set … enableDnsHostnames, enableDnsSupport"
        // (Route 53 guide, private hosted zone considerations).
        if let Some(node) = check.model.get_key::<VpcNode>(key) {
            if node.enable_dns_support.is_none() || node.enable_dns_hostnames.is_none() {
                check.warn(crate::SynthWarning::VpcDnsUnknown {
                    construct: check.path(&self.id),
                    vpc: vpc_path.clone(),
                });
            }
            for (on, attribute) in [
                (node.enable_dns_support, "enableDnsSupport"),
                (node.enable_dns_hostnames, "enableDnsHostnames"),
            ] {
                if on == Some(false) {
                    check.report(SynthError::PrivateDnsWithoutVpcDns {
                        construct: check.path(&self.id),
                        vpc: vpc_path.clone(),
                        attribute,
                    });
                }
            }
        }
        // A VPC holds one zone per name: a private-DNS endpoint's (AWS-managed) or another of
        // ours conflicts (Route 53 ConflictingDomainExists).
        let service_key = ServiceKey::Aws(service.to_string(), None);
        if let Some((endpoint, _)) = check
            .model
            .in_vpc::<InterfaceEndpointNode>(key)
            .find(|(_, e)| e.private_dns && e.service_key() == service_key)
        {
            check.report(SynthError::ZoneConflictsWithPrivateDns {
                construct: check.path(&self.id),
                vpc: vpc_path.clone(),
                service: service.to_string(),
                endpoint: check.model.path(endpoint),
            });
        }
        if let Some(other) = check.claim(Claim::ServiceZone {
            vpc: key,
            service: service_key,
        }) {
            check.report(SynthError::DuplicateServiceZone {
                construct: check.path(&self.id),
                vpc: vpc_path,
                service: service.to_string(),
                other,
            });
        }
    }
}

/// The service's part of its regional DNS name: the endpoint name's dotted parts reversed —
/// `ecr.api` is `api.ecr.<region>.amazonaws.com`, `ecr.dkr` `dkr.ecr.…`, `sqs` `sqs.…`
/// (AWS PrivateLink guide, "AWS services that integrate with AWS PrivateLink": the private DNS
/// name of each service; docs/aws-rules.md §18.7).
fn dns_label(service: &str) -> String {
    service.rsplit('.').collect::<Vec<_>>().join(".")
}

/// `vpc-` and 8 or 17 lowercase hex digits.
fn valid_vpc_id(text: &str) -> bool {
    super::ec2_id(text, "vpc-")
}

impl ConstructNode for PrivateHostedZoneNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Its endpoint's (the hub's); the VPCs it serves are its associations.
        self.endpoint.vpc
    }

    fn tags(&self) -> Option<&crate::Tags> {
        Some(&self.tags)
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, key: NodeKey, relations: &mut Relations) {
        for vpc in self.vpc_keys() {
            relations.zones_of.entry(vpc).or_default().push(key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "AliasTarget", &self.endpoint, None);
        check.non_empty(
            &self.id,
            "VPCs",
            &self.vpcs,
            "associate the VPCs whose clients should resolve the name (a private zone is created with them)",
        );
        let Some(endpoint) = check.get::<InterfaceEndpointNode>(&self.endpoint) else {
            return;
        };
        let Some(service) = endpoint.target.aws_name().map(str::to_string) else {
            check.report(SynthError::ZoneForNonAwsService {
                construct: check.path(&self.id),
                endpoint: self.endpoint.path(),
            });
            return;
        };
        let mut seen: Vec<NodeKey> = Vec::with_capacity(self.vpcs.len());
        for vpc in &self.vpcs {
            // A VPC given twice: its second association would be refused, and our own claim
            // cannot see it (the same zone).
            if let Some(key) = vpc.link.source.as_ref().and_then(|h| h.vpc) {
                if seen.contains(&key) {
                    check.report(SynthError::InvalidText {
                        construct: check.path(&self.id),
                        property: "VPCs",
                        value: check.model.path(key),
                        reason: "the VPC is listed twice; list it once".into(),
                    });
                    continue;
                }
                seen.push(key);
            }
            self.check_vpc(check, vpc, &service);
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let Some(service) = self.service(ctx.model) else {
            return Ok(()); // Reported by the check.
        };
        let name = Value::sub(format!(
            "{}.${{AWS::Region}}.${{AWS::URLSuffix}}",
            dns_label(service)
        ));
        let vpcs: Vec<Value> = self
            .vpcs
            .iter()
            .map(|vpc| {
                let mut map = indexmap::IndexMap::new();
                map.insert("VPCId".to_string(), vpc.link.value.clone());
                map.insert("VPCRegion".to_string(), self.vpc_region(vpc, ctx));
                Value::Map(map)
            })
            .collect();
        let mut config = indexmap::IndexMap::new();
        // HostedZoneConfig.Comment: at most 256 characters (docs/aws-rules.md §18.7).
        let comment: String = format!(
            "{service} through interface endpoint {}",
            ctx.stack.path(&self.endpoint.id)
        )
        .chars()
        .take(256)
        .collect();
        config.insert("Comment".to_string(), Value::from(comment));
        template.add_resource(
            &*self.id,
            Resource::new("AWS::Route53::HostedZone")
                .property("Name", name.clone())
                .property("VPCs", Value::List(vpcs))
                .property("HostedZoneConfig", Value::Map(config))
                // Route 53 zones name their tags HostedZoneTags (the resource's schema).
                .property("HostedZoneTags", ctx.tags(&self.id, &self.tags)),
        )?;
        // The endpoint's first DNS entry, "<zone id>:<regional name>" (aws-facts §2;
        // docs/aws-rules.md §18.7).
        let entry = Value::select(0, Value::get_att(&*self.endpoint.id, "DnsEntries"));
        let part = |i: u32| Value::select(i, Value::split(":", entry.clone()));
        let mut alias = indexmap::IndexMap::new();
        alias.insert("DNSName".to_string(), part(1));
        alias.insert("HostedZoneId".to_string(), part(0));
        alias.insert("EvaluateTargetHealth".to_string(), Value::Bool(false));
        let record = |record_name: Value| {
            Resource::new("AWS::Route53::RecordSet")
                .property("HostedZoneId", Value::reference(&*self.id))
                .property("Name", record_name)
                .property("Type", "A")
                .property("AliasTarget", Value::Map(alias.clone()))
        };
        template.add_resource(format!("{}Alias", self.id), record(name))?;
        if self.wildcard {
            template.add_resource(
                format!("{}Wildcard", self.id),
                record(Value::sub(format!(
                    "*.{}.${{AWS::Region}}.${{AWS::URLSuffix}}",
                    dns_label(service)
                ))),
            )?;
        }
        Ok(())
    }

    fn pricing(&self) -> Pricing {
        Pricing::PrivateHostedZone
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::PrivateHostedZone {
            vpcs: self.vpc_keys().collect(),
        }
    }
}
