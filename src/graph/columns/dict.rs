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
        self.strings.push(Arc::clone(s));
        self.codes.insert(Arc::clone(s), code);
        Some(code)
    }
    /// Every string, in code order (code `i` is `strings()[i]`).
    pub fn strings(&self) -> &[Arc<str>] {
        &self.strings
    }
    /// A dictionary whose code `i` is `strings[i]`; `Err` with the first
    /// repeated string when two are equal, or when there are 2^32 or more.
    pub fn from_strings(strings: Vec<Arc<str>>) -> Result<Dictionary, String> {
        if u32::try_from(strings.len()).is_err() {
            return Err("too many dictionary strings".to_string());
        }
        let mut codes = HashMap::with_capacity(strings.len());
        for (i, s) in strings.iter().enumerate() {
            if codes.insert(Arc::clone(s), i as u32).is_some() {
                return Err(format!("the dictionary string {s:?} occurs twice"));
            }
        }
        Ok(Dictionary { strings, codes })
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
