//! The string dictionary shared by every string column of a store: each
//! distinct string is stored once and named by a `u32` code, so equal
//! strings have equal codes in every table.

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

use hashbrown::HashTable;

/// Distinct strings and their codes. Codes are never reused or dropped
/// while the store lives (a string no row uses any more keeps its code).
///
/// The hash table holds only codes (4 bytes a slot, not a 16-byte string
/// pointer plus the code), hashed by their string: `hashbrown::HashTable`
/// exists for this, std's `HashMap` cannot look up a code by its string.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    strings: Vec<Arc<str>>,
    codes: HashTable<u32>,
    hasher: RandomState,
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
        let strings = &self.strings;
        self.codes
            .find(self.hasher.hash_one(s), |c| &*strings[*c as usize] == s)
            .copied()
    }
    /// The code of `s`, handing out a new one if needed; `None` once
    /// 2^32 distinct strings exist.
    pub fn intern(&mut self, s: &Arc<str>) -> Option<u32> {
        let hash = self.hasher.hash_one(&**s);
        let (strings, hasher) = (&self.strings, &self.hasher);
        let entry = self.codes.entry(
            hash,
            |c| strings[*c as usize] == *s,
            |c| hasher.hash_one(&*strings[*c as usize]),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(found) => Some(*found.get()),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                let code = u32::try_from(strings.len()).ok()?;
                slot.insert(code);
                self.longest = self.longest.max(s.len());
                self.strings.push(Arc::clone(s));
                Some(code)
            }
        }
    }
    /// Gives back the spare capacity of the string list (after a bulk
    /// load; the hash map keeps its size, it would only be rehashed).
    pub fn shrink_to_fit(&mut self) {
        self.strings.shrink_to_fit();
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
        let hasher = RandomState::new();
        let mut codes = HashTable::with_capacity(strings.len());
        for (i, s) in strings.iter().enumerate() {
            let hash = hasher.hash_one(&**s);
            match codes.entry(
                hash,
                |c: &u32| strings[*c as usize] == *s,
                |c: &u32| hasher.hash_one(&*strings[*c as usize]),
            ) {
                hashbrown::hash_table::Entry::Occupied(_) => {
                    return Err(format!("the dictionary string {s:?} occurs twice"));
                }
                hashbrown::hash_table::Entry::Vacant(slot) => {
                    slot.insert(i as u32);
                }
            }
        }
        let longest = strings.iter().map(|s| s.len()).max().unwrap_or(0);
        Ok(Dictionary {
            strings,
            codes,
            hasher,
            longest,
        })
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
    /// (bytes, allocations) of the strings (their vector included) and of
    /// the hash map from string to code.
    pub fn memory_use(&self) -> ((usize, usize), (usize, usize)) {
        // An `Arc<str>` allocation holds two counters and the bytes.
        let text: usize = self.strings.iter().map(|s| s.len() + 16).sum();
        let strings = (
            text + self.strings.capacity() * std::mem::size_of::<Arc<str>>(),
            self.strings.len() + 1,
        );
        // hashbrown keeps 1/8 of its buckets free, plus one control byte each.
        let buckets = self.codes.capacity() * 8 / 7;
        let map = (buckets * (std::mem::size_of::<u32>() + 1), 1);
        (strings, map)
    }

    /// Bytes held on the heap (string bytes plus table overhead, roughly).
    pub fn heap_bytes(&self) -> usize {
        let text: usize = self.strings.iter().map(|s| s.len() + 16).sum();
        text + self.strings.capacity() * 16 + self.codes.capacity() * 5
    }
}
