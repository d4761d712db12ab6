//! Marker types that carry a VPC's and a stack's identity in the type of every handle.
//!
//! `Subnet<VpcA>`-typed handles cannot be passed where `VpcB`'s are expected, and a VPC's
//! handles cannot be added to a stack other than the one its marker names: both are compile
//! errors, found before anything is synthesized, let alone deployed.

/// A stack's identity, declared with [`topology!`](crate::topology).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a stack marker",
    note = "declare stacks and their VPCs with `vpcform::topology! {{ stack Provider {{ vpc VpcB }} }}`"
)]
pub trait StackMarker: 'static {}

/// A VPC's identity and the stack it lives in, declared with [`topology!`](crate::topology).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a VPC marker",
    note = "declare VPCs inside their stack with `vpcform::topology! {{ stack Provider {{ vpc VpcB }} }}`"
)]
pub trait VpcMarker: 'static + InStack<<Self as VpcMarker>::Stack> {
    /// The stack whose template holds this VPC and everything in it.
    type Stack: StackMarker;
}

/// Holds for a VPC marker and the stack it lives in: what lets a construct of VPC `V` be added
/// to stack `S`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a VPC of another stack than `{S}`",
    label = "this construct belongs to a VPC of another stack",
    note = "`topology!` names each VPC's stack: add the construct to that stack, or pass values \
            between stacks with `export` and `import`"
)]
pub trait InStack<S> {}

/// Declares the stacks of an app and the VPCs each holds, as marker types.
///
/// Each `stack` becomes a [`StackMarker`], each `vpc` a [`VpcMarker`] whose resources may only be
/// added to that stack. The types are uninhabited enums: they exist only for the compiler.
///
/// ```
/// vpcform_net::topology! {
///     /// VPC B's side: the custom service.
///     pub stack Provider { vpc VpcB }
///     /// VPC A's side: the EKS pods.
///     pub stack Consumer { vpc VpcA }
/// }
/// fn stack_of<V: vpcform_net::handles::VpcMarker>() -> &'static str { std::any::type_name::<V::Stack>() }
/// assert!(stack_of::<VpcA>().ends_with("Consumer"));
/// ```
#[macro_export]
macro_rules! topology {
    ($(
        $(#[$stack_meta:meta])*
        $vis:vis stack $stack:ident { $( $(#[$vpc_meta:meta])* vpc $vpc:ident ),* $(,)? }
    )*) => {$(
        $(#[$stack_meta])*
        #[derive(Debug)]
        $vis enum $stack {}
        impl $crate::handles::StackMarker for $stack {}
        $(
            $(#[$vpc_meta])*
            #[derive(Debug)]
            $vis enum $vpc {}
            impl $crate::handles::VpcMarker for $vpc {
                type Stack = $stack;
            }
            impl $crate::handles::InStack<$stack> for $vpc {}
        )*
    )*};
}

/// The escape hatch for topologies known only at run time (VPCs read from a configuration
/// file): every stack is a `Stack<DynamicStack>` and every VPC a `Vpc<DynamicVpc>`.
///
/// The compiler can then no longer tell VPCs or stacks apart, so synthesis enforces the same
/// rules on the handles' run-time identity: a subnet of another VPC, or a handle of another
/// stack, is a [`SynthError`](crate::findings::SynthError) naming both.
///
/// ```
/// use vpcform_net::prelude::*;
/// use vpcform_net::handles::{DynamicStack, DynamicVpc};
///
/// let config = [("Blue", "10.0.0.0/16", "10.0.1.0/24"), ("Green", "10.1.0.0/16", "10.1.1.0/24")];
/// let mut stack = Stack::<DynamicStack>::new("Fleet");
/// let mut subnets = Vec::new();
/// for (name, vpc_cidr, subnet_cidr) in config {
///     let vpc = stack.add(name, Vpc::<DynamicVpc>::builder().cidr(vpc_cidr).build());
///     subnets.push(stack.add(
///         &format!("{name}Private"),
///         Subnet::builder().vpc(&vpc).cidr(subnet_cidr).availability_zone(Az::index(0)).build(),
///     ));
/// }
/// let mut app = App::new("fleet");
/// app.add_stack(stack);
/// assert!(app.synth().is_ok());
/// ```
#[derive(Debug)]
pub enum DynamicStack {}

impl StackMarker for DynamicStack {}

/// Every VPC of the run-time form: see [`DynamicStack`].
#[derive(Debug)]
pub enum DynamicVpc {}

impl VpcMarker for DynamicVpc {
    type Stack = DynamicStack;
}

impl InStack<DynamicStack> for DynamicVpc {}

/// Supertraits users cannot name, so the traits built on them are implemented only here: an
/// `impl SameStack<Consumer> for Provider` in a program would let a handle cross stacks.
pub(crate) mod sealed {
    /// Holds when stack `Self` is stack `S`.
    pub trait Same<S> {}

    impl<S> Same<S> for S {}
}
