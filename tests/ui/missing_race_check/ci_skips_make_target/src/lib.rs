// MUST fire: CI runs `make test`; the Makefile's `miri` target is never run by CI.
pub struct Raw(*mut u8);
// SAFETY: the buffer is owned uniquely by `Raw`.
unsafe impl Send for Raw {}
