//@ warn: send_sync_impl_unbounded
//! What other files show: associated types that name the parameter only as a marker, and the
//! `&T` pattern for a type defined elsewhere.
mod handler;
mod op;
mod view;

use op::{Job, Op};
use view::View;

// Correct: `Op` (op.rs) holds `P` only in `PhantomData`; its trait impl (handler.rs) names `P`
// only as an argument of `Callback`, which holds no `P` either.
// SAFETY: no `P` is ever stored or handed out.
unsafe impl<P> Send for Op<P> {}
// SAFETY: as above.
unsafe impl<P> Sync for Op<P> {}

// Buggy: `Job` derefs (handler.rs) to a `Store` that holds its `P` by value: every thread
// sharing the job reads the same values.
// SAFETY: wrong: `&Store<P>` reaches the stored values.
unsafe impl<P> Sync for Job<P> {} //~ send_sync_impl_unbounded

// Correct: `View` (view.rs) points at values it does not own and lends only `&T`.
// SAFETY: sending the view sends `&T`, which needs `T: Sync`.
unsafe impl<T: Sync> Send for View<'_, T> {}
