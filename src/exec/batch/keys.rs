//! Group ids from typed grouping keys: a dictionary code, an integer, a
//! boolean or null (an absent property) maps to a dense group id, handed
//! out in first-seen order. Codes map through a direct array when their
//! range is small (category-like keys), else through an `FxHashMap`.
//!
//! Equal keys are equal values: one dictionary code per string, integers
//! compared exactly, and no two kinds equal each other (float keys, where
//! `1` and `1.0` would meet, are not batch keys).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::source::KeyCol;
use crate::graph::columns::Dictionary;
use crate::value::Value;
use crate::value::size::VALUE_BYTES;

/// One row's grouping key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyVal {
    /// The property is absent.
    Null,
    /// A dictionary code.
    Str(u32),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
}

impl KeyVal {
    /// The key of `row` in `column`.
    #[inline(always)]
    pub fn read(column: &KeyCol<'_>, row: usize) -> KeyVal {
        match column {
            KeyCol::Absent => KeyVal::Null,
            KeyCol::Str(codes, valid) if valid.get(row) => KeyVal::Str(codes[row]),
            KeyCol::Int(ints, valid) if valid.get(row) => KeyVal::Int(ints[row]),
            KeyCol::Bool(bits, valid) if valid.get(row) => KeyVal::Bool(bits.get(row)),
            _ => KeyVal::Null,
        }
    }

    /// The bytes `row_bytes` counts for the key as a value, computed
    /// without making the value.
    #[inline]
    pub fn bytes(self, dict: &Dictionary) -> u64 {
        match self {
            KeyVal::Str(code) => VALUE_BYTES + dict.get(code).len() as u64,
            KeyVal::Null | KeyVal::Int(_) | KeyVal::Bool(_) => VALUE_BYTES,
        }
    }

    /// The key as a value.
    pub fn value(self, dict: &Dictionary) -> Value {
        match self {
            KeyVal::Null => Value::Null,
            KeyVal::Str(code) => Value::String(Arc::clone(dict.get(code))),
            KeyVal::Int(i) => Value::Int(i),
            KeyVal::Bool(b) => Value::Bool(b),
        }
    }
}

/// A slot of no group: slots hold a group id plus one, so that a direct
/// array starts as zeroed memory (pages the keys never touch cost
/// nothing).
const NONE: u32 = 0;

/// The widest code range always mapped through a direct array; a wider
/// one is too when it is at most [`DENSE_PER_ROW`] codes per scanned row
/// (company names at L: about 200k codes over 200k rows).
const DENSE_CODES: u64 = 1 << 16;

/// Codes per scanned row up to which a direct array is used.
const DENSE_PER_ROW: u64 = 4;

/// Keys to group ids (each slot holds its group's id plus one).
#[derive(Debug)]
pub struct KeyMap {
    keys: Vec<KeyVal>,
    null: u32,
    bools: [u32; 2],
    dense_base: u32,
    dense: Vec<u32>,
    codes: FxHashMap<u32, u32>,
    ints: FxHashMap<i64, u32>,
}

impl KeyMap {
    /// An empty map; codes in `code_range` (the least and greatest code
    /// the keys of `rows` scanned rows may have) go through a direct array
    /// when it is small, or small for so many rows.
    pub fn new(code_range: Option<(u32, u32)>, rows: usize) -> KeyMap {
        let widest = DENSE_CODES.max(DENSE_PER_ROW.saturating_mul(rows as u64));
        let (dense_base, dense) = match code_range {
            Some((lo, hi)) if u64::from(hi - lo) < widest => {
                (lo, vec![NONE; (hi - lo) as usize + 1])
            }
            _ => (0, Vec::new()),
        };
        KeyMap {
            keys: Vec::new(),
            null: NONE,
            bools: [NONE; 2],
            dense_base,
            dense,
            codes: FxHashMap::default(),
            ints: FxHashMap::default(),
        }
    }

    /// The group id of `key`, with whether it is new. (Always inlined: a
    /// call per row costs the plain scan about 5 %.)
    #[inline(always)]
    pub fn id(&mut self, key: KeyVal) -> (u32, bool) {
        // Group ids stay below `u32::MAX`: far fewer groups than that fit
        // in memory and under the buffered-row limit.
        let next = self.keys.len() as u32;
        let slot = match key {
            KeyVal::Null => &mut self.null,
            KeyVal::Bool(b) => &mut self.bools[usize::from(b)],
            KeyVal::Str(code) => {
                match code
                    .checked_sub(self.dense_base)
                    .and_then(|i| self.dense.get_mut(i as usize))
                {
                    Some(slot) => slot,
                    None => self.codes.entry(code).or_insert(NONE),
                }
            }
            KeyVal::Int(i) => self.ints.entry(i).or_insert(NONE),
        };
        if *slot != NONE {
            return (*slot - 1, false);
        }
        *slot = next + 1;
        self.keys.push(key);
        (next, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_first_seen_and_kinds_stay_apart() {
        for range in [Some((5, 9)), None] {
            let mut map = KeyMap::new(range, 0);
            let keys = [
                KeyVal::Str(7),
                KeyVal::Int(7),
                KeyVal::Null,
                KeyVal::Str(7),
                KeyVal::Bool(true),
                KeyVal::Str(5),
                KeyVal::Int(7),
                KeyVal::Bool(false),
                KeyVal::Null,
            ];
            let ids: Vec<(u32, bool)> = keys.iter().map(|k| map.id(*k)).collect();
            assert_eq!(
                ids,
                vec![
                    (0, true),
                    (1, true),
                    (2, true),
                    (0, false),
                    (3, true),
                    (4, true),
                    (1, false),
                    (5, true),
                    (2, false),
                ]
            );
            assert_eq!(map.keys.len(), 6);
            assert_eq!(map.keys[4], KeyVal::Str(5));
        }
    }

    #[test]
    fn key_bytes_are_the_row_bytes_of_the_key_value() {
        let mut dict = Dictionary::default();
        let code = dict.intern(&Arc::from("a longer company name")).unwrap();
        let empty = dict.intern(&Arc::from("")).unwrap();
        for key in [
            KeyVal::Null,
            KeyVal::Str(code),
            KeyVal::Str(empty),
            KeyVal::Int(-3),
            KeyVal::Bool(true),
        ] {
            let value = key.value(&dict);
            assert_eq!(key.bytes(&dict), crate::value::size::row_bytes(&[value]));
        }
    }

    #[test]
    fn wide_code_ranges_over_many_rows_use_a_direct_array() {
        let wide = Some((1000, 1000 + 300_000));
        assert!(KeyMap::new(wide, 10).dense.is_empty());
        let mut map = KeyMap::new(wide, 100_000);
        assert_eq!(map.dense.len(), 300_001);
        assert_eq!(map.id(KeyVal::Str(300_999)), (0, true));
        assert_eq!(map.id(KeyVal::Str(1000)), (1, true));
        assert_eq!(map.id(KeyVal::Str(300_999)), (0, false));
        assert!(map.codes.is_empty());
    }

    #[test]
    fn codes_outside_the_dense_range_use_the_hash_map() {
        let mut map = KeyMap::new(Some((10, 12)), 0);
        assert_eq!(map.id(KeyVal::Str(3)), (0, true));
        assert_eq!(map.id(KeyVal::Str(100)), (1, true));
        assert_eq!(map.id(KeyVal::Str(11)), (2, true));
        assert_eq!(map.id(KeyVal::Str(3)), (0, false));
        assert_eq!(map.id(KeyVal::Str(11)), (2, false));
    }
}
