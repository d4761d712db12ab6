//! A CloudFormation resource vpcform does not model: the escape hatch of
//! [`Stack::add_resource`](crate::Stack::add_resource).

use std::sync::Arc;

use vpcform_cfn::{Resource, Template, TemplateError};

use crate::identity::NodeKey;
use crate::model::{Check, Render};
use crate::model::{ConstructNode, Drawing, Pricing, Relations};

pub(crate) struct ResourceNode {
    pub(crate) id: Arc<str>,
    pub(crate) resource: Resource,
}

impl ConstructNode for ResourceNode {
    fn id(&self) -> &str {
        &self.id
    }

    fn vpc(&self, _own: NodeKey) -> Option<NodeKey> {
        // A raw resource: the program's, in no VPC of the model.
        None
    }

    fn tags(&self) -> Option<&crate::Tags> {
        // A raw resource's properties are the program's.
        None
    }

    fn restricted_tags(&self) -> Option<&'static str> {
        None
    }

    fn relate(&self, _key: NodeKey, _relations: &mut Relations) {}

    // Its references are checked with the rendered template's (every dangling `Ref`,
    // `Fn::GetAtt` and `DependsOn` is reported, naming this resource).
    fn check(&self, _check: &mut Check<'_>) {}

    fn render(&self, _ctx: &Render<'_>, template: &mut Template) -> Result<(), TemplateError> {
        template.add_resource(&*self.id, self.resource.clone())
    }

    fn pricing(&self) -> Pricing {
        // Outside the network model.
        Pricing::Free
    }

    fn drawing(&self) -> Drawing<'_> {
        // Raw resources: not drawn.
        Drawing::Hidden
    }
}
