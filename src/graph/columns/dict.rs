//! The string dictionary shared by every string column of a store: each
//! distinct string is stored once and named by a `u32` code, so equal
//! strings have equal codes in every table.

use std::collections::HashMap;
use std::sync::Arc;

/// Distinct strings and their codes. Codes are never reused or dropped
/// while the store lives (a string no row uses any more keeps its code).
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    strings: Vec<Arc<str>>,
    codes: HashMap<Arc<str>, u32>,
    /// The length in bytes of the longest string.
    longest: usize,
}

impl Dictionary {
    /// The string with code `code`.
    ///
    /// # Panics
    /// If `code` was not handed out by this dictionary (codes read from
    /// the store's own columns always were).
    pub fn get(&self, code: u32) -> &Arc<str> {
        &self.strings[code as usize]
    }
    /// The code of `s`, if it has one.
    pub fn code(&self, s: &str) -> Option<u32> {
        self.codes.get(s).copied()
    }
    /// The code of `s`, handing out a new one if needed; `None` once
    /// 2^32 distinct strings exist.
    pub fn intern(&mut self, s: &Arc<str>) -> Option<u32> {
        if let Some(code) = self.codes.get(&**s) {
            return Some(*code);
        }
        let code = u32::try_from(self.strings.len()).ok()?;
        self.longest = self.longest.max(s.len());
        self.strings.push(Arc::clone(s));
        self.codes.insert(Arc::clone(s), code);
        Some(code)
    }
    /// The length in bytes of the longest string (the typed filter
    /// kernels bind only when no stored string is over the value limit).
    pub fn longest(&self) -> usize {
        self.longest
    }
    /// How many distinct strings.
    pub fn len(&self) -> usize {
        self.strings.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
    /// Bytes held on the heap (string bytes plus table overhead, roughly).
    pub fn heap_bytes(&self) -> usize {
        let text: usize = self.strings.iter().map(|s| s.len() + 16).sum();
        text + self.strings.capacity() * 16 + self.codes.capacity() * 24
    }
}
