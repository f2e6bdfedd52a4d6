// MUST NOT fire: `make check` runs `unsafe-code`, whose recipe runs Miri.
pub struct Raw(*mut u8);
// SAFETY: the buffer is owned uniquely by `Raw`.
unsafe impl Send for Raw {}
