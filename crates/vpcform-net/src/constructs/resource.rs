//! A CloudFormation resource vpcform does not model: the escape hatch of
//! [`Stack::add_resource`](crate::Stack::add_resource).

use std::sync::Arc;

use vpcform_cfn::{Resource, Template, TemplateError};

use crate::model::{Check, Render};

pub(crate) struct ResourceNode {
    pub(crate) id: Arc<str>,
    pub(crate) resource: Resource,
}

impl ResourceNode {
    /// Its references are checked with the rendered template's (every dangling `Ref`,
    /// `Fn::GetAtt` and `DependsOn` is reported, naming this resource).
    pub(crate) fn check(&self, _check: &mut Check<'_>) {}

    pub(crate) fn render(
        &self,
        _ctx: &Render<'_>,
        template: &mut Template,
    ) -> Result<(), TemplateError> {
        template.add_resource(&*self.id, self.resource.clone())
    }
}
