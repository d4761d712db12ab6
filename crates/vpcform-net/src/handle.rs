//! Handles: cheap, typed references to constructs already added to a stack.

use std::sync::Arc;

use vpcform_cfn::Value;

/// What every handle carries at run time: its stack, its logical ID and its VPC's logical ID.
///
/// The marker types make most misuse a compile error; these strings let synthesis check the
/// rest (and the run-time topologies of the escape hatch) with the same rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Handle {
    pub(crate) stack: Arc<str>,
    pub(crate) id: Arc<str>,
    /// The VPC the construct lives in (the VPC's own ID for a VPC).
    pub(crate) vpc: Arc<str>,
}

impl Handle {
    pub(crate) fn path(&self) -> String {
        format!("{}/{}", self.stack, self.id)
    }

    pub(crate) fn reference(&self) -> Value {
        Value::Ref(self.id.to_string())
    }
}

/// Declares a handle type generic over a VPC marker.
macro_rules! handle {
    ($(#[$meta:meta])* $name:ident $({ $($field:ident : $ty:ty),* $(,)? })?) => {
        $(#[$meta])*
        pub struct $name<V> {
            pub(crate) handle: $crate::handle::Handle,
            $($(pub(crate) $field: $ty,)*)?
            _vpc: ::std::marker::PhantomData<fn() -> V>,
        }

        impl<V> $name<V> {
            pub(crate) fn new(handle: $crate::handle::Handle) -> Self {
                $name {
                    handle,
                    $($($field: ::std::default::Default::default(),)*)?
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

            /// `{"Ref": logical_id}`.
            pub fn reference(&self) -> ::vpcform_cfn::Value {
                self.handle.reference()
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
    };
}

pub(crate) use handle;

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
