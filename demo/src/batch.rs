//! Records and the batches they are grouped into before a flush.

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub stream: String,
    pub value: f64,
}

impl Record {
    /// `stream value`, e.g. `cpu.load 0.42`.
    pub fn parse(line: &str) -> std::io::Result<Record> {
        let invalid = || std::io::Error::new(std::io::ErrorKind::InvalidData, format!("bad record: {line:?}"));
        let (stream, value) = line.trim().split_once(' ').ok_or_else(invalid)?;
        let value = value.parse().map_err(|_| invalid())?;
        Ok(Record { stream: stream.to_string(), value })
    }
}

#[derive(Debug, Default)]
pub struct Batches {
    by_stream: HashMap<String, Vec<f64>>,
}

impl Batches {
    pub fn push(&mut self, record: Record) {
        self.by_stream.entry(record.stream).or_default().push(record.value);
    }

    pub fn take(&mut self) -> HashMap<String, Vec<f64>> {
        std::mem::take(&mut self.by_stream)
    }
}

/// A fixed-size arena that batches are serialised into; handed to the writer thread.
pub struct Arena {
    ptr: *mut u8,
    len: usize,
}

impl Arena {
    pub fn new(len: usize) -> Arena {
        let mut bytes = vec![0u8; len].into_boxed_slice();
        let ptr = bytes.as_mut_ptr();
        std::mem::forget(bytes);
        Arena { ptr, len }
    }

    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: `ptr` comes from a boxed slice of exactly `len` bytes that `Arena` owns.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

// The writer thread takes ownership of arenas (and no comment argues for it).
unsafe impl Send for Arena {}

/// A read-only view of a batch published once and then never written.
pub struct Frozen {
    ptr: *const u8,
    len: usize,
}

impl Frozen {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0 || self.ptr.is_null()
    }
}

// SAFETY: a `Frozen` view is created after its bytes are fully written and the writer is
// gone; the bytes are never mutated again, so shared access from any thread is sound.
unsafe impl Sync for Frozen {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records() {
        assert_eq!(Record::parse("cpu.load 0.5\n").unwrap(), Record { stream: "cpu.load".into(), value: 0.5 });
        assert!(Record::parse("nonsense").is_err());
    }
}
