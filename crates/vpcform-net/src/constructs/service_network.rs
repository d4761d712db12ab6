//! `ServiceNetwork`: a VPC Lattice service network, a set of resources (and services) that
//! consumer VPCs reach through one endpoint.

use std::sync::Arc;

use typed_builder::TypedBuilder;
use vpcform_cfn::{Resource, Template, TemplateError, Value};

use super::resource_gateway::lattice_name;
use crate::export::{Exportable, Imported, OutputValue, ServiceNetworkArn};
use crate::handle::{Linked, handle};
use crate::identity::NodeKey;
use crate::model::{Check, Node, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};
use crate::stack::{Construct, StackDef};
use crate::{StackMarker, SynthError};

/// A VPC Lattice service network (`AWS::VpcLattice::ServiceNetwork`) in stack `S`: resource
/// configurations join it with a
/// [`ServiceNetworkResourceAssociation`](crate::lattice::ServiceNetworkResourceAssociation), and a
/// consumer VPC reaches every one of them through a single
/// [`ServiceNetworkEndpoint`](crate::lattice::ServiceNetworkEndpoint) (`VpcEndpointType:
/// ServiceNetwork`) instead of one resource endpoint per resource.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::lattice::ServiceNetwork;
/// vpcform_net::topology! { stack Shared {} }
/// let mut shared = Stack::<Shared>::new("Shared");
/// let network = shared.add("Databases", ServiceNetwork::builder().name("databases").build());
/// let arn = shared.export("DatabasesArn", &network); // consumers in other stacks import it
/// ```
#[derive(TypedBuilder)]
#[builder(doc)]
pub struct ServiceNetwork {
    /// `Name`: 3–63 lowercase letters, digits and hyphens, not starting with
    /// `servicenetwork-`, no leading, trailing or double hyphen. Required here (AWS would
    /// generate one, which makes the network hard to find in the console).
    #[builder(setter(into))]
    name: String,
    /// `AuthType`: `true` for `AWS_IAM` (an auth policy decides who may connect), `false` for
    /// `NONE`. Default: `NONE`, AWS's default.
    #[builder(default)]
    iam_auth: bool,
    /// `SharingConfig.enabled`: whether the network can be shared with other accounts through
    /// AWS RAM. Only resource configurations that allow it may join a shareable network.
    /// Default: not shareable (written out, so the template does not depend on AWS's default).
    #[builder(default)]
    shareable: bool,
    /// Tags for the construct's resources, after the stack's ([`Stack::tag`](crate::Stack::tag)):
    /// a key given in both takes this value. Default: none beyond `Name` (the construct's path,
    /// `Stack/Id`) and the stack's.
    #[builder(default, setter(into))]
    tags: crate::Tags,
}

handle! {
    /// A handle to a [`ServiceNetwork`] added to stack `S`.
    ServiceNetworkRef
}

impl<S> Exportable for &ServiceNetworkRef<S> {
    type Carries = ServiceNetworkArn;

    /// Its ARN (`Fn::GetAtt Arn`): what a service-network endpoint takes, and what an
    /// association accepts as well as the ID.
    fn output_value(self) -> OutputValue {
        OutputValue::of_handle(&self.handle, Value::get_att(&*self.handle.id, "Arn"))
    }
}

impl<S: StackMarker> Construct<S> for ServiceNetwork {
    type Handle = ServiceNetworkRef<S>;

    fn add_to(self, stack: &mut StackDef, id: Arc<str>) -> ServiceNetworkRef<S> {
        ServiceNetworkRef::new(stack.push(Node::ServiceNetwork(ServiceNetworkNode {
            tags: self.tags,
            id,
            name: self.name,
            iam_auth: self.iam_auth,
            shareable: self.shareable,
        })))
    }
}

/// What a construct of stack `S` can name as its service network: one of the same stack, or
/// one imported by its ARN.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a service network of stack `{S}`",
    label = "not a service network here",
    note = "a service network of another stack crosses stacks by its ARN: \
            `let arn = shared.export(\"NetworkArn\", &network);` then `consumer.import(&arn)`"
)]
pub trait IntoServiceNetwork<S> {
    #[doc(hidden)]
    fn service_network(self) -> Linked;
}

/// Holds when stack `Self` is stack `S`: a service network handle works only in its own stack.
#[diagnostic::on_unimplemented(
    message = "a service network of stack `{Self}` cannot be used in stack `{S}`",
    label = "a handle of another stack",
    note = "a service network of another stack crosses stacks by its ARN: \
            `let arn = shared.export(\"NetworkArn\", &network);` then `consumer.import(&arn)`"
)]
pub trait ServiceNetworkStack<S>: crate::markers::sealed::Same<S> {}

impl<S> ServiceNetworkStack<S> for S {}

impl<S: ServiceNetworkStack<T>, T> IntoServiceNetwork<T> for &ServiceNetworkRef<S> {
    fn service_network(self) -> Linked {
        Linked::local(&self.handle, Value::get_att(self.logical_id(), "Arn"))
    }
}

impl<S> IntoServiceNetwork<S> for Imported<S, ServiceNetworkArn> {
    fn service_network(self) -> Linked {
        Linked::imported(self)
    }
}

pub(crate) struct ServiceNetworkNode {
    pub(crate) id: Arc<str>,
    name: String,
    iam_auth: bool,
    pub(crate) shareable: bool,
    /// The construct's own tags (see `tags`).
    pub(crate) tags: crate::Tags,
}

impl ConstructNode for ServiceNetworkNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // Regional, in no VPC: consumer VPCs reach it through their endpoints.
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
        // AWS::VpcLattice::ServiceNetwork `Name`: 3–63 characters, pattern
        // `^(?!servicenetwork-)(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+$` (docs/aws-rules.md §18.8).
        if let Err(reason) = lattice_name(&self.name, 3, 63, "servicenetwork-") {
            check.report(SynthError::InvalidText {
                construct: check.path(&self.id),
                property: "Name",
                value: self.name.clone(),
                reason,
            });
        }
    }

    fn render(&self, ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        let mut sharing = indexmap::IndexMap::new();
        sharing.insert("enabled".to_string(), Value::Bool(self.shareable));
        template.add_resource(
            &*self.id,
            Resource::new("AWS::VpcLattice::ServiceNetwork")
                .property("Name", self.name.as_str())
                .property("AuthType", if self.iam_auth { "AWS_IAM" } else { "NONE" })
                .property("SharingConfig", Value::Map(sharing))
                .property("Tags", ctx.tags(&self.id, &self.tags)),
        )
    }

    fn pricing(&self) -> Pricing {
        // VPC Lattice's prices are not in the bundled file.
        Pricing::NotPriced
    }

    fn drawing(&self) -> Drawing<'_> {
        // Regional, like a transit gateway: outside the VPCs, with a line to each resource
        // that joins it and from each endpoint that reaches it.
        Drawing::Regional {
            label: "service network",
            shape: "octagon",
        }
    }
}
