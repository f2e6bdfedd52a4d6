use std::marker::PhantomData;

/// A guard of the crate, named like `std::cell::Ref`: it lends the `T`, not the `C`.
pub struct Ref<'a, T, C> {
    value: &'a T,
    _config: PhantomData<C>,
}
