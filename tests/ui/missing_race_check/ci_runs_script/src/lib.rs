// MUST NOT fire: the workflow runs `ci/unsafe-checks.sh`, which builds with ThreadSanitizer.
pub struct Raw(*mut u8);
// SAFETY: the buffer is owned uniquely by `Raw`.
unsafe impl Send for Raw {}
