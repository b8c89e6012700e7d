//! Row digests that match `peer_kuzu.py`'s, so kgq's results can be checked
//! against the peers': each value is canonicalised as its `canon()` does,
//! rows become Python tuples, unordered results are sorted by their
//! `repr`, and the digest is the first 12 hex digits of the SHA-1 of the
//! `repr` of the list of rows.

use std::fmt::Write;

use kgq::Value;

/// The digest of `rows` (in their order when `ordered`).
pub fn digest(rows: &[Vec<Value>], ordered: bool) -> String {
    let mut reprs: Vec<String> = rows.iter().map(|r| tuple_repr(r)).collect();
    if !ordered {
        // Python sorts str by code point; Rust's byte order on UTF-8 agrees.
        reprs.sort();
    }
    let text = format!("[{}]", reprs.join(", "));
    let hex = sha1_smol::Sha1::from(text.as_bytes()).digest().to_string();
    hex[..12].to_string()
}

fn tuple_repr(row: &[Value]) -> String {
    let items: Vec<String> = row.iter().map(repr).collect();
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", items.join(", "))
    }
}

/// Python's `repr` of `canon(value)`.
fn repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_repr(*f),
        Value::String(s) => str_repr(s),
        Value::Date(d) => str_repr(&d.format("%Y-%m-%d").to_string()),
        Value::LocalDateTime(d) => str_repr(&d.format("%Y-%m-%dT%H:%M:%S").to_string()),
        Value::List(items) => {
            let inner: Vec<String> = items.iter().map(repr).collect();
            format!("[{}]", inner.join(", "))
        }
        other => str_repr(&other.literal(None).to_string()),
    }
}

/// `canon(float)`: integral floats below 2^53 become ints, others are
/// rounded to 6 decimals; then Python's shortest `repr`.
fn float_repr(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        return format!("{}", f as i64);
    }
    if !f.is_finite() {
        return if f.is_nan() {
            "nan".into()
        } else if f > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let rounded: f64 = format!("{f:.6}").parse().unwrap_or(f);
    let a = rounded.abs();
    if rounded == 0.0 {
        return if rounded.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    if (1e-4..1e16).contains(&a) {
        let s = format!("{rounded}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        // Python: 1e-05, 1.5e+16
        let s = format!("{rounded:e}");
        match s.split_once('e') {
            Some((m, e)) => {
                let (sign, digits) = match e.strip_prefix('-') {
                    Some(d) => ('-', d),
                    None => ('+', e),
                };
                format!("{m}e{sign}{digits:0>2}")
            }
            None => s,
        }
    }
}

/// Python's `repr` of a str.
fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_python_would() {
        assert_eq!(repr(&Value::Float(3.0)), "3");
        assert_eq!(repr(&Value::Float(3.4567891)), "3.456789");
        assert_eq!(repr(&Value::Float(0.00001)), "1e-05");
        assert_eq!(repr(&Value::from("it's")), "\"it's\"");
        assert_eq!(repr(&Value::from("a")), "'a'");
        assert_eq!(tuple_repr(&[Value::Int(1)]), "(1,)");
        assert_eq!(
            tuple_repr(&[Value::Null, Value::Bool(true)]),
            "(None, True)"
        );
    }

    #[test]
    fn digest_matches_python() {
        // python3 -c "import hashlib;print(hashlib.sha1(repr([(1, 'a')]).encode()).hexdigest()[:12])"
        let rows = vec![vec![Value::Int(1), Value::from("a")]];
        assert_eq!(digest(&rows, true), "53ca9b3aaaec");
    }
}
