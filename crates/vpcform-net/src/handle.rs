//! Handles: cheap, typed references to constructs already added to a stack.

use std::sync::Arc;

use vpcform_cfn::Value;

use crate::identity::{Kind, NodeKey};

/// What every handle carries at run time: the construct's identity and kind, its VPC's
/// identity, and the names error messages use.
///
/// The marker types make most misuse a compile error; the identity lets synthesis check the
/// rest (and the run-time topologies of the escape hatch) without comparing strings: a handle
/// resolves to exactly the construct it was made for, or synthesis says why not.
#[derive(Clone, Debug)]
#[doc(hidden)]
pub struct Handle {
    pub(crate) key: NodeKey,
    pub(crate) kind: Kind,
    /// The VPC the construct lives in (the VPC's own key for a VPC); `None` when it has none
    /// (raw resources) or none could be told (a load balancer without subnets).
    pub(crate) vpc: Option<NodeKey>,
    /// The stack's name, for messages.
    pub(crate) stack: Arc<str>,
    /// The logical ID.
    pub(crate) id: Arc<str>,
}

impl PartialEq for Handle {
    fn eq(&self, other: &Handle) -> bool {
        self.key == other.key
    }
}

impl Eq for Handle {}

impl Handle {
    pub(crate) fn path(&self) -> String {
        format!("{}/{}", self.stack, self.id)
    }

    pub(crate) fn reference(&self) -> Value {
        Value::Ref(self.id.to_string())
    }

    /// `value` (a `Ref`, `Fn::GetAtt` or `Fn::Sub` of this construct) marked as its stack's:
    /// what a handle gives a user program, so that synthesis finds it written into another
    /// stack, where the same logical ID names something else (`Template::foreign_values`).
    pub(crate) fn scoped(&self, value: Value) -> Value {
        value.scoped(self.key.stack.scope())
    }
}

/// Declares a handle type generic over a VPC marker, and what an export of it carries.
macro_rules! handle {
    ($(#[$meta:meta])* $name:ident $(exports $carries:ty)? $({ $($field:ident : $ty:ty),* $(,)? })?) => {
        $(#[$meta])*
        pub struct $name<V> {
            pub(crate) handle: $crate::handle::Handle,
            $($(pub(crate) $field: $ty,)*)?
            _vpc: ::std::marker::PhantomData<fn() -> V>,
        }

        impl<V> $name<V> {
            pub(crate) fn new(handle: $crate::handle::Handle $($(, $field: $ty)*)?) -> Self {
                $name {
                    handle,
                    $($($field,)*)?
                    _vpc: ::std::marker::PhantomData,
                }
            }

            /// The CloudFormation logical ID: the ID given when the construct was added.
            pub fn logical_id(&self) -> &str {
                &self.handle.id
            }

            /// The construct path, `Stack/Id`, as error messages name it.
            pub fn path(&self) -> String {
                self.handle.path()
            }

            /// `{"Ref": logical_id}`, valid in this construct's stack only (another stack
            /// takes it through an export and an import).
            pub fn reference(&self) -> ::vpcform_cfn::Value {
                self.handle.scoped(self.handle.reference())
            }
        }

        impl<V> Clone for $name<V> {
            fn clone(&self) -> Self {
                $name {
                    handle: self.handle.clone(),
                    $($($field: self.$field.clone(),)*)?
                    _vpc: ::std::marker::PhantomData,
                }
            }
        }

        impl<V> ::std::fmt::Debug for $name<V> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.handle.path())
            }
        }

        impl<V> $crate::handle::AnyHandle for $name<V> {
            fn any_handle(&self) -> &$crate::handle::Handle {
                &self.handle
            }
        }

        impl<V> From<&$name<V>> for $name<V> {
            fn from(handle: &$name<V>) -> Self {
                handle.clone()
            }
        }

        impl<V> From<&$name<V>> for ::vpcform_cfn::Value {
            fn from(handle: &$name<V>) -> Self {
                handle.reference()
            }
        }

        $(
            impl<V> $crate::export::Exportable for &$name<V> {
                type Carries = $carries;

                fn output_value(self) -> $crate::export::OutputValue {
                    $crate::export::OutputValue::of_handle(&self.handle, self.reference())
                }
            }
        )?
    };
}

pub(crate) use handle;

/// Any construct's handle: what [`Stack::override_property`](crate::Stack::override_property)
/// and [`StackSet::parameter`](crate::deployment::StackSet::parameter) take.
///
/// ```
/// use vpcform_net::prelude::*;
/// vpcform_net::topology! { stack Network { vpc Main } }
/// fn tenancy(stack: &mut Stack<Network>, construct: &impl vpcform_net::handles::AnyHandle) {
///     stack.override_property(construct, "InstanceTenancy", "default");
/// }
/// let mut stack = Stack::<Network>::new("Network");
/// let vpc = stack.add("Main", Vpc::<Main>::builder().cidr(cidr!("10.0.0.0/16")).build());
/// tenancy(&mut stack, &vpc);
/// ```
pub trait AnyHandle {
    /// The run-time handle.
    #[doc(hidden)]
    fn any_handle(&self) -> &Handle;
}

/// A handle, owned or borrowed: what builders' list setters take, so `[&a, &b]` works.
///
/// Its message is the one a user sees when passing another VPC's handle.
#[diagnostic::on_unimplemented(
    message = "expected `{H}`, found `{Self}`",
    label = "this handle belongs to another VPC, or is another kind of construct",
    note = "handles are typed by their VPC's marker: a construct of one VPC takes only that VPC's \
            subnets, route tables, security groups and load balancers"
)]
pub trait AsHandle<H> {
    /// The handle.
    fn as_handle(&self) -> &H;
}

impl<H> AsHandle<H> for H {
    fn as_handle(&self) -> &H {
        self
    }
}

impl<H> AsHandle<H> for &H {
    fn as_handle(&self) -> &H {
        self
    }
}

/// Clones borrowed handles into a list.
pub(crate) fn collect<T: Clone>(items: impl IntoIterator<Item = impl AsHandle<T>>) -> Vec<T> {
    items
        .into_iter()
        .map(|item| item.as_handle().clone())
        .collect()
}

/// A value naming another construct: a `Ref` to one of the same stack, or an imported value,
/// with the construct itself when the app has it (for checks and the analysis).
#[doc(hidden)]
#[derive(Clone)]
pub struct Linked {
    pub(crate) value: Value,
    pub(crate) source: Option<Handle>,
    /// A handle of the naming construct's own stack (a `Ref`), not an import.
    pub(crate) local: bool,
}

impl Linked {
    /// A handle of the same stack, named by `value` (its `Ref` or an attribute).
    pub(crate) fn local(handle: &Handle, value: Value) -> Linked {
        Linked {
            // The handle is checked to be of the stack (one error when it is not); its value
            // needs no mark of the stack's own.
            value: value.unscoped().clone(),
            source: Some(handle.clone()),
            local: true,
        }
    }

    /// A value imported from another stack's export.
    pub(crate) fn imported<S, T>(imported: crate::export::Imported<S, T>) -> Linked {
        Linked {
            value: imported.value,
            source: imported.source,
            local: false,
        }
    }

    /// The construct's key, when the app has it.
    pub(crate) fn key(&self) -> Option<NodeKey> {
        self.source.as_ref().map(|h| h.key)
    }
}

/// An output's value and, when it is a handle's, the construct it names.
#[derive(Clone, Debug)]
pub struct OutputValue {
    pub(crate) value: Value,
    pub(crate) source: Option<Handle>,
    /// Whether `source` is referenced by the value, so must be of the outputting stack (an
    /// imported value or a deployed name carries its source only for the analysis).
    pub(crate) referenced: bool,
}

impl OutputValue {
    pub(crate) fn of_handle(handle: &Handle, value: Value) -> OutputValue {
        OutputValue {
            // The handle is checked to be of the stack (one error when it is not); its value
            // needs no mark of the stack's own.
            value: value.unscoped().clone(),
            source: Some(handle.clone()),
            referenced: true,
        }
    }

    pub(crate) fn plain(value: Value) -> OutputValue {
        OutputValue {
            value,
            source: None,
            referenced: false,
        }
    }
}
