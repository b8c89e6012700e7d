//! Equality, comparison and ordering of values as openCypher defines them.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::Value;

impl Value {
    /// The language's `=`: `None` (null) when the answer is unknown.
    /// Integers and floats compare by numeric value; `NaN` equals nothing.
    pub fn equals(&self, other: &Value) -> Option<bool> {
        use Value::*;
        match (self, other) {
            (Null, _) | (_, Null) => None,
            (Int(a), Int(b)) => Some(a == b),
            (Int(_) | Float(_), Int(_) | Float(_)) => {
                Some(compare_numbers(self, other) == Some(Ordering::Equal))
            }
            (List(a), List(b)) => {
                if a.len() != b.len() {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.iter().zip(b) {
                    match x.equals(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            (Map(a), Map(b)) => {
                if a.len() != b.len() || a.keys().ne(b.keys()) {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.values().zip(b.values()) {
                    match x.equals(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            _ => Some(self == other),
        }
    }

    /// The language's `<`, `<=`, `>`, `>=`: `None` (null) when the values
    /// are not comparable (different types, null, NaN).
    pub fn compare(&self, other: &Value) -> Option<Ordering> {
        use Value::*;
        match (self, other) {
            (Int(_) | Float(_), Int(_) | Float(_)) => compare_numbers(self, other),
            (String(a), String(b)) => Some(a.cmp(b)),
            (Bool(a), Bool(b)) => Some(a.cmp(b)),
            (Date(a), Date(b)) => Some(a.cmp(b)),
            (LocalDateTime(a), LocalDateTime(b)) => Some(a.cmp(b)),
            (DateTime(a), DateTime(b)) => Some(a.utc().cmp(&b.utc())),
            (LocalTime(a), LocalTime(b)) => Some(a.cmp(b)),
            (Time(a), Time(b)) => Some(a.utc_nanos().cmp(&b.utc_nanos())),
            (List(a), List(b)) => {
                for (x, y) in a.iter().zip(b) {
                    match x.compare(y)? {
                        Ordering::Equal => {}
                        other => return Some(other),
                    }
                }
                Some(a.len().cmp(&b.len()))
            }
            _ => None,
        }
    }
}

/// Numeric comparison across integers and floats without losing precision
/// on large integers.
fn compare_numbers(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Float(y)) => compare_int_float(*x, *y),
        (Value::Float(x), Value::Int(y)) => compare_int_float(*y, *x).map(Ordering::reverse),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        _ => None,
    }
}

fn compare_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    let as_float = i as f64;
    match as_float.partial_cmp(&f)? {
        // Equal as floats: f is integral; compare exactly in integers.
        Ordering::Equal if f >= 9_223_372_036_854_775_808.0 => Some(Ordering::Less),
        Ordering::Equal => Some(i.cmp(&(f as i64))),
        other => Some(other),
    }
}

/// Rank of each type in openCypher's global sort order (ascending).
fn order_rank(v: &Value) -> u8 {
    match v {
        Value::Map(_) => 0,
        Value::Node(_) => 1,
        Value::Relationship(_) => 2,
        Value::List(_) => 3,
        Value::Path(_) => 4,
        Value::DateTime(_) => 5,
        Value::LocalDateTime(_) => 6,
        Value::Date(_) => 7,
        Value::Time(_) => 8,
        Value::LocalTime(_) => 9,
        Value::Duration(_) => 10,
        Value::String(_) => 11,
        Value::Bool(_) => 12,
        Value::Int(_) | Value::Float(_) => 13,
        Value::Null => 14,
    }
}

/// The total order ORDER BY uses: values of different types sort by type
/// (maps first, numbers late, null last), NaN after every other number.
pub fn compare_for_order(a: &Value, b: &Value) -> Ordering {
    use Value::*;
    let (ra, rb) = (order_rank(a), order_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Int(_) | Float(_), Int(_) | Float(_)) => {
            let a_nan = matches!(a, Float(f) if f.is_nan());
            let b_nan = matches!(b, Float(f) if f.is_nan());
            match (a_nan, b_nan) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_numbers(a, b).unwrap_or(Ordering::Equal),
            }
        }
        (List(x), List(y)) => {
            for (p, q) in x.iter().zip(y) {
                match compare_for_order(p, q) {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
            x.len().cmp(&y.len())
        }
        (Map(x), Map(y)) => {
            for ((kp, vp), (kq, vq)) in x.iter().zip(y) {
                match kp.cmp(kq).then_with(|| compare_for_order(vp, vq)) {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
            x.len().cmp(&y.len())
        }
        (Node(x), Node(y)) => x.cmp(y),
        (Relationship(x), Relationship(y)) => x.cmp(y),
        (Path(x), Path(y)) => x
            .nodes
            .cmp(&y.nodes)
            .then_with(|| x.relationships.cmp(&y.relationships)),
        (Duration(x), Duration(y)) => x.cmp(y),
        (DateTime(x), DateTime(y)) => x
            .utc()
            .cmp(&y.utc())
            .then_with(|| x.offset.cmp(&y.offset))
            .then_with(|| x.zone.cmp(&y.zone)),
        (Time(x), Time(y)) => x
            .utc_nanos()
            .cmp(&y.utc_nanos())
            .then_with(|| x.offset.cmp(&y.offset)),
        _ => a.compare(b).unwrap_or(Ordering::Equal),
    }
}

/// A value wrapped for hashing and grouping by openCypher's equivalence:
/// `null` groups with `null`, `NaN` with `NaN`, and `1` with `1.0`.
#[derive(Debug, Clone)]
pub struct GroupKey(pub Value);

impl PartialEq for GroupKey {
    fn eq(&self, other: &Self) -> bool {
        equivalent(&self.0, &other.0)
    }
}

impl Eq for GroupKey {}

fn equivalent(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (Int(_) | Float(_), Int(_) | Float(_)) => compare_for_order(a, b) == Ordering::Equal,
        (List(x), List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equivalent(p, q)),
        (Map(x), Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kp, vp), (kq, vq))| kp == kq && equivalent(vp, vq))
        }
        _ => a == b,
    }
}

impl Hash for GroupKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_value(&self.0, state);
    }
}

fn hash_value<H: Hasher>(v: &Value, state: &mut H) {
    use Value::*;
    hash_tag(v).hash(state);
    match v {
        Null => {}
        Bool(b) => b.hash(state),
        Int(i) => (*i as f64).to_bits().hash(state),
        Float(f) => {
            if f.is_nan() {
                f64::NAN.to_bits().hash(state)
            } else if *f == 0.0 {
                0f64.to_bits().hash(state)
            } else {
                f.to_bits().hash(state)
            }
        }
        String(s) => s.hash(state),
        Date(d) => d.hash(state),
        LocalDateTime(d) => d.hash(state),
        DateTime(d) => d.hash(state),
        LocalTime(t) => t.hash(state),
        Time(t) => t.hash(state),
        Duration(d) => d.hash(state),
        List(items) => {
            items.len().hash(state);
            for item in items {
                hash_value(item, state);
            }
        }
        Map(map) => {
            map.len().hash(state);
            for (k, item) in map {
                k.hash(state);
                hash_value(item, state);
            }
        }
        Node(n) => n.hash(state),
        Relationship(r) => r.hash(state),
        Path(p) => p.hash(state),
    }
}

/// One tag per kind of value; integers and floats share one, as they
/// group together.
fn hash_tag(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Int(_) | Value::Float(_) => 2,
        Value::String(_) => 3,
        Value::Date(_) => 4,
        Value::LocalDateTime(_) => 5,
        Value::Duration(_) => 6,
        Value::List(_) => 7,
        Value::Map(_) => 8,
        Value::Node(_) => 9,
        Value::Relationship(_) => 10,
        Value::Path(_) => 11,
        Value::DateTime(_) => 12,
        Value::LocalTime(_) => 13,
        Value::Time(_) => 14,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn null_logic_in_equality() {
        assert_eq!(Value::Null.equals(&Value::Int(1)), None);
        assert_eq!(Value::Int(1).equals(&Value::Float(1.0)), Some(true));
        assert_eq!(Value::string("a").equals(&Value::Int(1)), Some(false));
        let a = Value::from(vec![Value::Int(1), Value::Null]);
        let b = Value::from(vec![Value::Int(2), Value::Null]);
        assert_eq!(a.equals(&b), Some(false));
        assert_eq!(a.equals(&a), None);
    }

    #[test]
    fn order_puts_null_last_and_nan_after_numbers() {
        let mut values = [
            Value::Null,
            Value::Float(f64::NAN),
            Value::Int(3),
            Value::string("x"),
            Value::Float(1.5),
        ];
        values.sort_by(compare_for_order);
        assert_eq!(values[0], Value::string("x"));
        assert_eq!(values[1], Value::Float(1.5));
        assert_eq!(values[2], Value::Int(3));
        assert!(matches!(values[3], Value::Float(f) if f.is_nan()));
        assert_eq!(values[4], Value::Null);
    }

    #[test]
    fn group_keys_treat_one_and_one_point_zero_alike() {
        let set: HashSet<GroupKey> = [Value::Int(1), Value::Float(1.0), Value::Null, Value::Null]
            .into_iter()
            .map(GroupKey)
            .collect();
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn large_integers_compare_exactly_with_floats() {
        let big = Value::Int(i64::MAX);
        assert_eq!(
            big.compare(&Value::Float(9_223_372_036_854_775_808.0)),
            Some(Ordering::Less)
        );
    }
}
