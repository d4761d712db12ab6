//! `ResourceGateway`: VPC Lattice's way into a VPC for resources shared over PrivateLink.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::security_group::{SecurityGroupRef, groups};
use super::subnet::{SubnetRef, check_one_subnet_per_az};
use super::vpc::VpcRef;
use crate::handle::{AsHandle, Handle, collect, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{InStack, StackMarker, SynthError, VpcMarker};

/// A VPC Lattice resource gateway (`AWS::VpcLattice::ResourceGateway`) in VPC `V`: the network
/// interfaces through which consumers' [`ResourceEndpoint`](crate::lattice::ResourceEndpoint)s reach a
/// [`ResourceConfiguration`](crate::lattice::ResourceConfiguration) — a database or any TCP resource in
/// this VPC — without a load balancer. The resource sees the gateway's addresses as the source.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::lattice::ResourceGateway;
/// vpcform_net::topology! { stack Data { vpc DataVpc } }
/// let mut data = Stack::<Data>::new("Data");
/// let vpc = data.add("DataVpc", Vpc::<DataVpc>::builder().cidr(cidr!("10.5.0.0/16")).build());
/// let a = data.add(
///     "DataA",
///     Subnet::builder().vpc(&vpc).cidr(cidr!("10.5.1.0/24")).availability_zone(Az::index(0)).build(),
/// );
/// let gateway = data.add(
///     "Gateway",
///     ResourceGateway::builder().name("data-gateway").vpc(&vpc).subnets([&a]).build(),
/// );
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ResourceGateway<V: VpcMarker> {
    /// `Name`: 3–40 lowercase letters, digits and hyphens, not starting with `rgw-`, no
    /// leading, trailing or double hyphen. Required.
    #[builder(setter(into))]
    name: String,
    /// `VpcIdentifier`. Required.
    #[builder(setter(into))]
    vpc: VpcRef<V>,
    /// `SubnetIds`: one per Availability Zone, as many zones as possible (the consumers'
    /// endpoints must share one with it). Required, at least one.
    #[builder(setter(transform = |subnets: impl IntoIterator<Item = impl AsHandle<SubnetRef<V>>>| collect(subnets)))]
    subnets: Vec<SubnetRef<V>>,
    /// `SecurityGroupIds`, at most 5, of the same VPC. Default: none.
    #[builder(default, setter(transform = |list: impl IntoIterator<Item = impl AsHandle<SecurityGroupRef<V>>>| groups(list)))]
    security_groups: Vec<SecurityGroupRef<V>>,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`ResourceGateway`] of VPC `V`.
    ResourceGatewayRef
}

impl<S: StackMarker, V: VpcMarker + InStack<S>> Construct<S> for ResourceGateway<V> {
    type Handle = ResourceGatewayRef<V>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ResourceGatewayRef<V> {
        ResourceGatewayRef::new(stack.push(Node::ResourceGateway(ResourceGatewayNode {
            tags: self.tags,
            id,
            name: self.name,
            vpc: self.vpc.handle,
            subnets: self.subnets.into_iter().map(|s| s.handle).collect(),
            security_groups: self.security_groups.into_iter().map(|g| g.handle).collect(),
        })))
    }
}

pub(crate) struct ResourceGatewayNode {
    pub(crate) id: Arc<str>,
    name: String,
    pub(crate) vpc: Handle,
    pub(crate) subnets: Vec<Handle>,
    security_groups: Vec<Handle>,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

/// A VPC Lattice name: `min..=max` lowercase letters, digits and hyphens, no leading, trailing
/// or double hyphen, not starting with `reserved` (AWS::VpcLattice schemas; docs/aws-rules.md
/// §18.8). `Err` says what is wrong.
pub(crate) fn lattice_name(
    name: &str,
    min: usize,
    max: usize,
    reserved: &str,
) -> Result<(), String> {
    let length = name.chars().count();
    if !(min..=max).contains(&length) {
        return Err(format!("{length} characters; AWS accepts {min} to {max}"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "{bad:?} is not allowed: lowercase letters, digits and hyphens"
        ));
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Err("no leading, trailing or double hyphen".into());
    }
    if name.starts_with(reserved) {
        return Err(format!("names starting with {reserved} are AWS's"));
    }
    Ok(())
}

impl ConstructNode for ResourceGatewayNode {
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

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    fn check(&self, check: &mut Check<'_>) {
        check.handle(&self.id, "VpcIdentifier", &self.vpc, None);
        check.handles(&self.id, "SubnetIds", &self.subnets, self.vpc.vpc);
        check.handles(
            &self.id,
            "SecurityGroupIds",
            &self.security_groups,
            self.vpc.vpc,
        );
        check.non_empty(
            &self.id,
            "SubnetIds",
            &self.subnets,
            "give a subnet in each Availability Zone the consumers use",
        );
        check_one_subnet_per_az(check, &self.id, &self.subnets);
        if let Err(reason) = lattice_name(&self.name, 3, 40, "rgw-") {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "Name",
                value: self.name.clone(),
                reason,
            });
        }
        // "SecurityGroupIds": at most 5 (VpcLattice CreateResourceGateway).
        if self.security_groups.len() > 5 {
            check.report(SynthError::OutOfBounds {
                construct: check.path(&self.id),
                property: "SecurityGroupIds",
                value: self.security_groups.len() as i64,
                min: 0,
                max: 5,
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let list =
            |handles: &[Handle]| Value::List(handles.iter().map(Handle::reference).collect());
        let mut resource = Resource::new("AWS::VpcLattice::ResourceGateway")
            .property("Name", self.name.as_str())
            .property("VpcIdentifier", self.vpc.reference())
            .property("SubnetIds", list(&self.subnets))
            .property("IpAddressType", "IPV4");
        if !self.security_groups.is_empty() {
            resource = resource.property("SecurityGroupIds", list(&self.security_groups));
        }
        template.add_resource(
            &*self.id,
            resource.property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // VPC Lattice's resource prices are not in the bundled file (unconfirmed:
        // docs/aws-rules.md §18.9).
        Pricing::NotPriced
    }

    fn drawing(&self) -> Drawing<'_> {
        Drawing::Box {
            label: "resource gateway",
            shape: "cds",
        }
    }
}
