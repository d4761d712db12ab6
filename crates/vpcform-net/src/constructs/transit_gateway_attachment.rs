//! `TransitGatewayAttachment`: a VPC attached to a transit gateway through one subnet per AZ.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::subnet::{SubnetRef, check_one_subnet_per_az};
use super::transit_gateway::{IntoTransitGateway, TransitGatewayNode, TransitGatewaySource};
use super::transit_gateway_route_table::{
    IntoTransitGatewayRouteTable, PropagationRouteTable, TransitGatewayRouteTableNode,
    TransitGatewayRouteTableSource,
};
use super::vpc::VpcRef;
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Claim, Node, Render};
use crate::model::{ConstructNode, Drawing, Placement, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// A VPC attachment (`AWS::EC2::TransitGatewayAttachment`) of VPC `V` to a transit gateway.
///
/// The transit gateway puts an interface in each subnet given, one per Availability Zone, and
/// reaches the VPC's workloads only in those zones: give a subnet in every zone with
/// workloads. Routes of `V`'s route tables send traffic to the transit gateway by naming this
/// attachment, so a route can only use a transit gateway its VPC is attached to (another VPC's
/// attachment does not compile), and waits for the attachment (`DependsOn`).
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Network { vpc Hub } }
/// let mut network = Stack::<Network>::new("Network");
/// let tgw = network.add("Tgw", TransitGateway::builder().build());
/// let hub = network.add("Hub", Vpc::<Hub>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let a = network.add(
///     "HubA",
///     Subnet::builder().vpc(&hub).cidr(cidr!("10.0.0.0/28")).availability_zone(Az::index(0)).build(),
/// );
/// let attachment = network.add(
///     "HubAttachment",
///     TransitGatewayAttachment::builder().vpc(&hub).transit_gateway(&tgw).subnets([&a]).build(),
/// );
/// let routes = network.add("HubRoutes", RouteTable::builder().vpc(&hub).subnets([&a]).build());
/// network.add(
///     "ToSpokes",
///     Route::builder().route_table(&routes).destination(cidr!("10.16.0.0/12")).target(&attachment).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct TransitGatewayAttachment<V: VpcMarker> {
    /// The VPC. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// The transit gateway: a [`TransitGatewayRef`](crate::transit::TransitGatewayRef) of the same
    /// stack, or its ID imported from another stack's export. Required.
    #[builder(setter(transform = |tgw: impl IntoTransitGateway<V::Stack>| tgw.transit_gateway()))]
    transit_gateway: TransitGatewaySource,
    /// `SubnetIds`: one subnet per Availability Zone for the transit gateway's interfaces (a
    /// small dedicated /28 each is AWS's advice). Required, at least one.
    #[builder(setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    subnets: Vec<SubnetRef<V>>,
    /// The transit gateway route table this attachment's traffic is routed by
    /// (`AWS::EC2::TransitGatewayRouteTableAssociation`, logical ID `<Id>Association`), when
    /// the transit gateway's default route table is off. Default: none.
    #[builder(default, setter(transform = |table: impl IntoTransitGatewayRouteTable<V::Stack>| Some(table.route_table())))]
    association: Option<TransitGatewayRouteTableSource>,
    /// The route tables this attachment's VPC block is propagated into
    /// (`AWS::EC2::TransitGatewayRouteTablePropagation`, `<Id>Propagation<n>`). Default: none.
    #[builder(default, setter(transform = |tables: impl IntoIterator<Item = PropagationRouteTable<V::Stack>>| tables.into_iter().map(|t| t.source).collect()))]
    propagations: Vec<TransitGatewayRouteTableSource>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`TransitGatewayAttachment`] of VPC `V`: the target of `V`'s routes to
    /// the transit gateway.
    TransitGatewayAttachmentRef exports crate::export::TransitGatewayAttachmentId
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for TransitGatewayAttachment<V> {
    type Handle = TransitGatewayAttachmentRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> TransitGatewayAttachmentRef<V> {
        TransitGatewayAttachmentRef::new(stack.push(Node::TransitGatewayAttachment(
            TransitGatewayAttachmentNode {
                tags: self.tags,
                id,
                transit_gateway: self.transit_gateway,
                vpc: self.vpc.handle,
                subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
                association: self.association,
                propagations: self.propagations,
            },
        )))
    }
}

impl TransitGatewayAttachmentNode {
    /// A VPC attaches to a transit gateway of its own region (Transit Gateway guide, "Amazon
    /// VPC attachments": across regions, gateways peer), and of its own account unless the
    /// gateway is shared with that account through AWS RAM ("Sharing transit gateways"). An
    /// account or region left unpinned is not assumed to match a pinned one.
    fn check_placement(&self, check: &mut Check<'_>, tgw: NodeKey) {
        let construct = check.path(&self.id);
        let transit_gateway = check.model.path(tgw);
        let region = check.model.same_region(check.key, tgw);
        match region {
            Placement::Same => {}
            Placement::Different(region, tgw_region) => {
                check.report(SynthError::TransitGatewayInOtherRegion {
                    construct: construct.clone(),
                    transit_gateway: transit_gateway.clone(),
                    tgw_region: tgw_region.to_string(),
                    region: region.to_string(),
                })
            }
            Placement::Unknown { .. } => {
                check
                    .findings
                    .errors
                    .extend(region.unknown(&construct, &transit_gateway, "region"))
            }
        }
        let shared_with = check.model.shared_with(tgw);
        let account = check.model.same_account(check.key, tgw);
        match account {
            Placement::Same => {}
            Placement::Different(account, _) if shares_with(shared_with, account) => {}
            Placement::Different(account, tgw_account) => {
                check.report(SynthError::TransitGatewayNotShared {
                    construct: construct.clone(),
                    transit_gateway: transit_gateway.clone(),
                    tgw_account: tgw_account.to_string(),
                    account: account.to_string(),
                })
            }
            Placement::Unknown { .. } => check.findings.errors.extend(account.unknown(
                &construct,
                &transit_gateway,
                "account",
            )),
        }
    }

    /// The transit gateway construct this attachment names, when the app has it.
    pub(crate) fn transit_gateway_key(&self) -> Option<NodeKey> {
        self.transit_gateway.key()
    }
}

pub(crate) struct TransitGatewayAttachmentNode {
    pub(crate) id: Arc<str>,
    pub(crate) transit_gateway: TransitGatewaySource,
    pub(crate) vpc: Handle,
    pub(crate) subnets: Vec<Handle>,
    pub(crate) association: Option<TransitGatewayRouteTableSource>,
    pub(crate) propagations: Vec<TransitGatewayRouteTableSource>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl TransitGatewayAttachmentNode {
    /// Associations and propagations: route tables of the same transit gateway, an
    /// association only with its default route table off ("already associated" otherwise:
    /// docs/aws-rules.md §18.3), each table once.
    fn check_route_tables(&self, check: &mut Check<'_>) {
        let own_tgw = self.transit_gateway_key();
        if self.of_another_account(check, own_tgw) {
            return;
        }
        let default_on = own_tgw
            .and_then(|t| check.model.get_key::<TransitGatewayNode>(t))
            .map(|t| t.default_route_table);
        let mut propagated: Vec<NodeKey> = Vec::new();
        let tables = self
            .association
            .iter()
            .map(|t| (true, t))
            .chain(self.propagations.iter().map(|t| (false, t)));
        for (association, table) in tables {
            let property = if association {
                "TransitGatewayRouteTableAssociation"
            } else {
                "TransitGatewayRouteTablePropagation"
            };
            let Some(source) = &table.source else {
                continue;
            };
            check.linked(table, &self.id, property);
            let table_tgw = check
                .model
                .get::<TransitGatewayRouteTableNode>(source)
                .and_then(|t| t.transit_gateway_key());
            if let (Some(a), Some(b)) = (own_tgw, table_tgw)
                && a != b
            {
                check.report(SynthError::InvalidText {
                    construct: check.path(&self.id),
                    property,
                    value: source.path(),
                    reason: format!(
                        "the route table belongs to transit gateway {}, the attachment to {}; \
                         use a route table of the attachment's transit gateway",
                        check.model.path(b),
                        check.model.path(a)
                    ),
                });
            }
            if association {
                if default_on == Some(true) {
                    check.report(SynthError::InvalidText {
                        construct: check.path(&self.id),
                        property,
                        value: source.path(),
                        reason: "the transit gateway's default route table is on, so the \
                                 attachment is already associated with it (AWS: \"is already \
                                 associated to a route table\"); turn default_route_table off \
                                 on the transit gateway"
                            .into(),
                    });
                }
            } else if propagated.contains(&source.key) {
                check.report(SynthError::InvalidText {
                    construct: check.path(&self.id),
                    property,
                    value: source.path(),
                    reason: "the route table is listed twice; list it once".into(),
                });
            } else {
                propagated.push(source.key);
            }
        }
        // The owner's association (`TransitGatewayRouteTableAssociation`) counts as one.
        if default_on == Some(false) && check.model.attachment_table(check.key, self).is_none() {
            check.warn(crate::SynthWarning::AttachmentRoutesNothing {
                construct: check.path(&self.id),
            });
        }
    }
}

impl TransitGatewayAttachmentNode {
    /// An association or propagation of an attachment in another account than its transit
    /// gateway: "Only the resource owner can ... Run all transit gateway, transit gateway
    /// attachment, and transit gateway route tables APIs"; the accounts it is shared with run
    /// "the APIs that create and describe attachments" (Transit Gateway guide, "Transit gateway
    /// sharing considerations"). Reported once, for the first.
    fn of_another_account(&self, check: &mut Check<'_>, tgw: Option<NodeKey>) -> bool {
        let property = match (&self.association, self.propagations.is_empty()) {
            (Some(_), _) => "TransitGatewayRouteTableAssociation",
            (None, false) => "TransitGatewayRouteTablePropagation",
            (None, true) => return false,
        };
        let Some(tgw) = tgw else {
            return false;
        };
        let Placement::Different(account, tgw_account) = check.model.same_account(check.key, tgw)
        else {
            return false;
        };
        check.report(SynthError::SharedTransitGatewayRouteTable {
            construct: check.path(&self.id),
            property,
            transit_gateway: check.model.path(tgw),
            tgw_account: tgw_account.to_string(),
            account: account.to_string(),
        });
        true
    }
}

impl TransitGatewayAttachmentNode {
    /// An attachment of another account than its gateway's, which does not accept shared
    /// attachments automatically, stays `pendingAcceptance` until the owner accepts it, and
    /// CloudFormation's create of `AWS::EC2::TransitGatewayAttachment` waits until it is
    /// `available` (the resource provider's create handler stabilizes on AVAILABLE:
    /// aws-cloudformation-resource-providers-transitgateway, `workflow/create/Create.java`):
    /// the stack stays CREATE_IN_PROGRESS until someone accepts it, so no step after the stack
    /// can.
    fn check_acceptance(&self, check: &mut Check<'_>, tgw: NodeKey) {
        let Some(node) = check.model.get_key::<TransitGatewayNode>(tgw) else {
            return;
        };
        if node.auto_accept_shared_attachments {
            return;
        }
        if let Placement::Different(_, owner) = check.model.same_account(check.key, tgw) {
            check.warn(crate::SynthWarning::AttachmentWaitsForAcceptance {
                construct: check.path(&self.id),
                transit_gateway: check.model.path(tgw),
                owner: owner.to_string(),
            });
        }
    }
}

impl ConstructNode for TransitGatewayAttachmentNode {
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
        if let Some(tgw) = self.transit_gateway_key() {
            relations.attachments_of.entry(tgw).or_default().push(key);
            if let Some(vpc) = self.vpc.vpc {
                relations.attachment_of.entry((tgw, vpc)).or_insert(key);
            }
        }
        for table in self.propagations.iter().filter_map(|t| t.source.as_ref()) {
            relations
                .propagating_into
                .entry(table.key)
                .or_default()
                .push(key);
        }
    }

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcId", &self.vpc, None);
        check.handles(&self.id, "SubnetIds", &self.subnets, self.vpc.vpc);
        check.non_empty(
            &self.id,
            "SubnetIds",
            &self.subnets,
            "give one subnet in each Availability Zone the VPC's workloads use",
        );
        // One subnet per AZ (EC2 CreateTransitGatewayVpcAttachment: DuplicateSubnetsInSameZone).
        check_one_subnet_per_az(check, &self.id, &self.subnets);
        check.linked(&self.transit_gateway, &self.id, "TransitGatewayId");
        if let Some(tgw) = self.transit_gateway_key() {
            self.check_placement(check, tgw);
            self.check_acceptance(check, tgw);
        }
        if let Some(tgw) = &self.transit_gateway.source {
            // One attachment per VPC and transit gateway: EC2 refuses a second
            // (DuplicateTransitGatewayAttachment; docs/aws-rules.md §18.2).
            if let Some(vpc) = self.vpc.vpc
                && let Some(first) = check.claim(Claim::TransitGatewayAttachment {
                    vpc,
                    transit_gateway: tgw.key,
                })
            {
                check.report(SynthError::DuplicateTransitGatewayAttachment {
                    construct: check.path(&self.id),
                    vpc: self.vpc.path(),
                    transit_gateway: tgw.path(),
                    other: first,
                });
            }
        }
        self.check_route_tables(check);
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let subnets: Vec<vpcform_cfn::Value> = self.subnets.iter().map(Handle::reference).collect();
        let resource = Resource::new("AWS::EC2::TransitGatewayAttachment")
            .property("TransitGatewayId", self.transit_gateway.value.clone())
            .property("VpcId", self.vpc.reference())
            .property("SubnetIds", vpcform_cfn::Value::List(subnets))
            .property("Tags", ctx.tags(&self.id, &self.tags));
        template.add_resource(&*self.id, resource)?;
        if let Some(table) = &self.association {
            template.add_resource(
                format!("{}Association", self.id),
                Resource::new("AWS::EC2::TransitGatewayRouteTableAssociation")
                    .property("TransitGatewayAttachmentId", Value::reference(&*self.id))
                    .property("TransitGatewayRouteTableId", table.value.clone()),
            )?;
        }
        for (i, table) in self.propagations.iter().enumerate() {
            template.add_resource(
                format!("{}Propagation{}", self.id, i + 1),
                Resource::new("AWS::EC2::TransitGatewayRouteTablePropagation")
                    .property("TransitGatewayAttachmentId", Value::reference(&*self.id))
                    .property("TransitGatewayRouteTableId", table.value.clone()),
            )?;
        }
        Ok(())
    }

    fn pricing(&self) -> Pricing {
        Pricing::TransitGatewayAttachment
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Attachment {
            transit_gateway: self.transit_gateway_key(),
        }
    }
}

/// Whether RAM principals cover `account`: the account itself, or an organization or
/// organizational unit (whose member accounts vpcform cannot list at synth).
pub(crate) fn shares_with(principals: &[String], account: &str) -> bool {
    principals.iter().any(|p| {
        p == account
            || crate::arn::Arn::parse(p).is_some_and(|arn| {
                arn.service == "organizations"
                    && (arn.resource.starts_with("organization/")
                        || arn.resource.starts_with("ou/"))
            })
    })
}
