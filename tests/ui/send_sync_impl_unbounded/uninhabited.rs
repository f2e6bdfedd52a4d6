//@ warn: send_sync_impl_unbounded
//! A type with a field that can have no value has no value either: an `unsafe impl` for it is
//! vacuous, whatever its parameters.
use std::convert::Infallible;

enum Never {}

/// Only used as a type, to satisfy a trait: it can never be built.
pub struct Unreachable<B> {
    _inner: B,
    never: Never,
}
// SAFETY: no value of this type can exist.
unsafe impl<B> Send for Unreachable<B> {}

pub struct NoValue<B>(B, Infallible);
// SAFETY: no value of this type can exist.
unsafe impl<B> Sync for NoValue<B> {}

enum Either {
    Left,
    Right,
}

/// Buggy: an enum with variants is inhabited; this type carries its `B`.
pub struct Tagged<B> {
    inner: B,
    tag: Either,
}
// SAFETY: wrong: `inner` moves with the value.
unsafe impl<B> Send for Tagged<B> {} //~ send_sync_impl_unbounded
