//! Outputs and exports: values that leave a stack, typed by what they carry.
//!
//! An [`Export<S, T>`] says which stack exports it (`S`) and what it carries (`T`: a
//! [`VpcId`], a [`ServiceName`](crate::endpoints::ServiceName), …), so importing a VPC ID where an endpoint service name is
//! expected does not compile. An output or export made from a handle keeps the handle, and
//! synthesis checks that it belongs to the exporting stack.

use std::marker::PhantomData;

use vpcform_cfn::Value;

// In the private `handle` module, so `OutputValue` is not nameable outside the crate and
// `Exportable` cannot be implemented there.
use crate::handle::Handle;
pub(crate) use crate::handle::OutputValue;
use crate::identity::StackKey;

/// What an export of a VPC carries: its ID (`vpc-…`).
#[derive(Debug)]
pub enum VpcId {}
/// What an export of a subnet carries: its ID (`subnet-…`).
#[derive(Debug)]
pub enum SubnetId {}
/// What an export of a route table carries: its ID (`rtb-…`).
#[derive(Debug)]
pub enum RouteTableId {}
/// What an export of a security group carries: its ID (`sg-…`).
#[derive(Debug)]
pub enum SecurityGroupId {}
/// What an export of a VPC endpoint carries: its ID (`vpce-…`).
#[derive(Debug)]
pub enum VpcEndpointId {}
/// What an export of an endpoint service carries: its ID (`vpce-svc-…`); an interface endpoint
/// takes its [`ServiceName`](crate::endpoints::ServiceName) instead.
#[derive(Debug)]
pub enum EndpointServiceId {}
/// What an export of a load balancer, listener or target group carries: its ARN.
#[derive(Debug)]
pub enum ElbArn {}
/// What an export of an internet gateway carries: its ID (`igw-…`).
#[derive(Debug)]
pub enum InternetGatewayId {}
/// What an export of an egress-only internet gateway carries: its ID (`eigw-…`).
#[derive(Debug)]
pub enum EgressOnlyInternetGatewayId {}
/// What an export of a transit gateway carries: its ID (`tgw-…`); an attachment in another
/// stack takes it imported.
pub enum TransitGatewayId {}
/// What an export of a VPC Lattice resource configuration carries: its ARN, what a
/// [`ResourceEndpoint`](crate::lattice::ResourceEndpoint) of another stack takes imported.
pub enum ResourceConfigurationArn {}
/// What an export of a VPC Lattice service network carries: its ARN, what a
/// [`ServiceNetworkEndpoint`](crate::lattice::ServiceNetworkEndpoint) or
/// [`ServiceNetworkResourceAssociation`](crate::lattice::ServiceNetworkResourceAssociation) of another
/// stack takes imported.
pub enum ServiceNetworkArn {}
/// What an export of a transit gateway route table carries: its ID (`tgw-rtb-…`); an
/// attachment or route in another stack takes it imported.
pub enum TransitGatewayRouteTableId {}
/// What an export of a Route 53 Profile carries: its ID (`rp-…`), what a
/// [`ProfileAssociation`](crate::zones::ProfileAssociation) of another stack takes imported.
pub enum ProfileId {}
/// What an export of a transit gateway attachment carries: its ID (`tgw-attach-…`).
pub enum TransitGatewayAttachmentId {}
/// What an export of a NAT gateway carries: its ID (`nat-…`).
#[derive(Debug)]
pub enum NatGatewayId {}
/// What an export of a resource added with [`Stack::add_resource`](crate::Stack::add_resource)
/// carries: whatever its `Ref` returns.
#[derive(Debug)]
pub enum Raw {}
/// What an export of a plain value (text, an intrinsic function) carries: nothing vpcform can
/// check.
#[derive(Debug)]
pub enum Text {}

/// A value a stack can output or export: a handle, a [`ServiceName`](crate::endpoints::ServiceName), an [`Imported`] value, or
/// a plain [`Value`] or text.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a stack output",
    label = "not a handle, a service name, an imported value, a `Value` or text",
    note = "output handles by reference (`&vpc`), service names with `service.service_name()`, \
            and anything else as a `vpcform::Value`"
)]
pub trait Exportable {
    /// What an export of it carries (see [`Export`]).
    type Carries;

    /// The value and, for a handle, the construct it comes from.
    #[doc(hidden)]
    fn output_value(self) -> OutputValue;
}

impl Exportable for Value {
    type Carries = Text;
    fn output_value(self) -> OutputValue {
        OutputValue::plain(self)
    }
}

impl Exportable for &Value {
    type Carries = Text;
    fn output_value(self) -> OutputValue {
        OutputValue::plain(self.clone())
    }
}

impl Exportable for &str {
    type Carries = Text;
    fn output_value(self) -> OutputValue {
        OutputValue::plain(Value::from(self))
    }
}

impl Exportable for String {
    type Carries = Text;
    fn output_value(self) -> OutputValue {
        OutputValue::plain(Value::from(self))
    }
}

impl<S, T> Exportable for &Imported<S, T> {
    type Carries = T;
    fn output_value(self) -> OutputValue {
        OutputValue {
            value: self.value.clone(),
            source: self.source.clone(),
            referenced: false,
        }
    }
}

/// An exported output of stack `S` carrying a `T`: import it into another stack with
/// [`Stack::import`](crate::Stack::import).
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::export::{Export, VpcId};
/// vpcform_net::topology! { stack Network { vpc Main } }
/// let mut stack = Stack::<Network>::new("Network");
/// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let id: Export<Network, VpcId> = stack.export("VpcId", &vpc);
/// assert_eq!(id.export_name(), "Network-VpcId");
/// ```
pub struct Export<S, T> {
    pub(crate) export_name: String,
    /// The output's name in the exporting stack.
    pub(crate) output: String,
    pub(crate) stack: StackKey,
    pub(crate) stack_name: String,
    pub(crate) source: Option<Handle>,
    _types: PhantomData<fn() -> (S, T)>,
}

impl<S, T> Export<S, T> {
    pub(crate) fn new(
        export_name: String,
        output: String,
        stack: StackKey,
        stack_name: String,
        source: Option<Handle>,
    ) -> Export<S, T> {
        Export {
            export_name,
            output,
            stack,
            stack_name,
            source,
            _types: PhantomData,
        }
    }

    /// The export name, `<stack name>-<output name>`.
    ///
    /// ```
    /// vpcform_net::topology! { stack Provider {} }
    /// let mut p = vpcform_net::Stack::<Provider>::new("Provider");
    /// assert_eq!(p.export("X", "v").export_name(), "Provider-X");
    /// ```
    pub fn export_name(&self) -> &str {
        &self.export_name
    }
}

impl<S, T> std::fmt::Debug for Export<S, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Export({})", self.export_name)
    }
}

/// A value carrying a `T`, imported into stack `S` from another stack's export.
///
/// An `Imported<S, ServiceName>` is what an interface endpoint takes as its service; an
/// `Imported<S, VpcId>` is not:
///
/// ```compile_fail
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Provider { vpc VpcB } stack Consumer { vpc VpcA } }
/// let mut provider = Stack::<Provider>::new("Provider");
/// let vpc_b = provider.add("VpcB", Vpc::<VpcB>::builder().cidr(cidr!("10.1.0.0/16")).build());
/// let vpc_id = provider.export("VpcId", &vpc_b);
/// let mut consumer = Stack::<Consumer>::new("Consumer");
/// let vpc = consumer.add("VpcA", Vpc::<VpcA>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// let sub = consumer.add("A1", Subnet::builder().vpc(&vpc).cidr(cidr!("10.0.1.0/24")).availability_zone(Az::index(0)).build());
/// let imported = consumer.import(&vpc_id);
/// consumer.add("Svc", InterfaceEndpoint::builder().vpc(&vpc).service(imported).subnets([&sub]).build());
/// ```
pub struct Imported<S, T> {
    pub(crate) export_name: String,
    pub(crate) value: Value,
    pub(crate) source: Option<Handle>,
    _types: PhantomData<fn() -> (S, T)>,
}

impl<S, T> Imported<S, T> {
    pub(crate) fn new(export_name: String, source: Option<Handle>) -> Imported<S, T> {
        Imported {
            value: Value::import_value(export_name.as_str()),
            export_name,
            source,
            _types: PhantomData,
        }
    }

    /// The name of the export imported.
    ///
    /// ```
    /// vpcform_net::topology! { stack A {} stack B {} }
    /// let mut a = vpcform_net::Stack::<A>::new("A");
    /// let e = a.export("X", "v");
    /// let mut b = vpcform_net::Stack::<B>::new("B");
    /// assert_eq!(b.import(&e).export_name(), "A-X");
    /// ```
    pub fn export_name(&self) -> &str {
        &self.export_name
    }

    /// The `Fn::ImportValue` expression.
    ///
    /// ```
    /// vpcform_net::topology! { stack A {} stack B {} }
    /// let mut a = vpcform_net::Stack::<A>::new("A");
    /// let e = a.export("X", "v");
    /// let mut b = vpcform_net::Stack::<B>::new("B");
    /// assert!(matches!(b.import(&e).value(), vpcform_net::Value::ImportValue(_)));
    /// ```
    pub fn value(&self) -> &Value {
        &self.value
    }
}

impl<S, T> Clone for Imported<S, T> {
    fn clone(&self) -> Self {
        Imported {
            export_name: self.export_name.clone(),
            value: self.value.clone(),
            source: self.source.clone(),
            _types: PhantomData,
        }
    }
}

impl<S, T> std::fmt::Debug for Imported<S, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Imported({})", self.export_name)
    }
}

impl<S, T> From<&Imported<S, T>> for Value {
    fn from(imported: &Imported<S, T>) -> Self {
        imported.value.clone()
    }
}
