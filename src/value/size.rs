//! How much memory a value holds and how deeply it nests, measured without
//! recursion (a value can nest deeper than the stack could follow).

use super::Value;

/// The estimated size and the nesting depth of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Footprint {
    /// Estimated bytes: the value itself plus what it owns on the heap
    /// (a shared string is counted once per place that holds it).
    pub bytes: u64,
    /// How deeply lists and maps nest: 0 for a scalar, 1 for a flat list.
    pub depth: usize,
}

/// The bytes one [`Value`] takes inline (a list element, a row slot).
pub const VALUE_BYTES: u64 = std::mem::size_of::<Value>() as u64;

/// A rough per-entry overhead of a map (tree node bookkeeping and key).
const MAP_ENTRY_BYTES: u64 = std::mem::size_of::<String>() as u64 + 16;

/// Measures `value`, stopping early (with the partial count) once the
/// bytes pass `stop_bytes` or the depth passes `stop_depth`.
pub fn footprint(value: &Value, stop_bytes: u64, stop_depth: usize) -> Footprint {
    let mut total = Footprint {
        bytes: VALUE_BYTES,
        depth: 0,
    };
    let mut pending: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((v, depth)) = pending.pop() {
        match v {
            Value::String(s) => total.bytes += s.len() as u64,
            Value::List(items) => {
                total.depth = total.depth.max(depth + 1);
                total.bytes += items.len() as u64 * VALUE_BYTES;
                pending.extend(items.iter().map(|item| (item, depth + 1)));
            }
            Value::Map(map) => {
                total.depth = total.depth.max(depth + 1);
                for (key, item) in map {
                    total.bytes += key.len() as u64 + MAP_ENTRY_BYTES + VALUE_BYTES;
                    pending.push((item, depth + 1));
                }
            }
            Value::Path(path) => {
                total.bytes += (path.nodes.len() + path.relationships.len()) as u64 * 8;
            }
            _ => {}
        }
        if total.bytes > stop_bytes || total.depth > stop_depth {
            break;
        }
    }
    total
}

/// The estimated bytes of a row of values.
pub fn row_bytes(row: &[Value]) -> u64 {
    row.iter()
        .map(|v| match v {
            Value::String(_) | Value::List(_) | Value::Map(_) | Value::Path(_) => {
                footprint(v, u64::MAX, usize::MAX).bytes
            }
            _ => VALUE_BYTES,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_strings_lists_and_maps() {
        assert_eq!(footprint(&Value::Int(1), u64::MAX, usize::MAX).depth, 0);
        let s = footprint(&Value::string("abcd"), u64::MAX, usize::MAX);
        assert_eq!(s.bytes, VALUE_BYTES + 4);
        let list = Value::List(vec![Value::Int(1), Value::List(vec![Value::Null].into())].into());
        let f = footprint(&list, u64::MAX, usize::MAX);
        assert_eq!(f.depth, 2);
        assert_eq!(f.bytes, 4 * VALUE_BYTES);
    }

    #[test]
    fn measures_deep_values_without_recursion() {
        let mut v = Value::Null;
        for _ in 0..100_000 {
            v = Value::List(vec![v].into());
        }
        assert_eq!(footprint(&v, u64::MAX, usize::MAX).depth, 100_000);
        assert!(footprint(&v, u64::MAX, 10).depth <= 11);
        // Dismantle iteratively: dropping it would recurse 100k deep.
        while let Value::List(mut items) = v {
            v = items.pop().unwrap_or(Value::Null);
        }
    }
}
