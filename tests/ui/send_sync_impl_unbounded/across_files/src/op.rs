use std::marker::PhantomData;

/// A handle to work done elsewhere, typed by its progress value.
pub struct Op<P> {
    raw: *mut u8,
    _progress: PhantomData<P>,
}

/// A handle typed by what it stores.
pub struct Job<P> {
    raw: *mut u8,
    _stored: PhantomData<P>,
}
