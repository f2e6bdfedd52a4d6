pub fn add(a: u32, b: u32) -> u32 {
    a + b
}

#[cfg(test)]
mod tests {
    struct Raw(*mut u8);
    // SAFETY: test-only helper.
    unsafe impl Send for Raw {}
}
