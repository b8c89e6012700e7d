//! String functions: case, trimming, cutting, replacing and splitting.
//! Positions and lengths count characters, not bytes.

use super::{arg, int_arg, out_of_range, type_error};
use crate::error::Result;
use crate::graph::Graph;
use crate::value::Value;

/// The string argument `i` of `name`: `Ok(None)` for null.
fn str_arg<'a>(name: &str, args: &'a [Value], i: usize) -> Result<Option<&'a str>> {
    match arg(args, i) {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        other => Err(type_error(name, "a string", other)),
    }
}

/// A non-negative count argument (`start`, `length`, `n`) of `name` as a
/// `usize`; negative values are an `ArgumentError`.
fn count_arg(name: &str, what: &str, args: &[Value], i: usize) -> Result<Option<usize>> {
    match int_arg(name, args, i)? {
        None => Ok(None),
        Some(n) if n < 0 => Err(out_of_range(format!(
            "{name}() needs a non-negative {what}, got {n}"
        ))),
        // Saturate on (theoretical) 32-bit targets: no string is that long.
        Some(n) => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
    }
}

/// Applies `f` to a string argument, passing null through.
fn map_str(name: &str, args: &[Value], f: impl FnOnce(&str) -> String) -> Result<Value> {
    Ok(str_arg(name, args, 0)?.map_or(Value::Null, |s| Value::from(f(s))))
}

/// `toLower(s)`.
pub fn to_lower(args: &[Value], _: &Graph) -> Result<Value> {
    map_str("toLower", args, str::to_lowercase)
}

/// `toUpper(s)`.
pub fn to_upper(args: &[Value], _: &Graph) -> Result<Value> {
    map_str("toUpper", args, str::to_uppercase)
}

/// `trim(s)`: without leading and trailing (Unicode) whitespace.
pub fn trim(args: &[Value], _: &Graph) -> Result<Value> {
    map_str("trim", args, |s| s.trim().to_owned())
}

/// `ltrim(s)`.
pub fn ltrim(args: &[Value], _: &Graph) -> Result<Value> {
    map_str("ltrim", args, |s| s.trim_start().to_owned())
}

/// `rtrim(s)`.
pub fn rtrim(args: &[Value], _: &Graph) -> Result<Value> {
    map_str("rtrim", args, |s| s.trim_end().to_owned())
}

/// `substring(s, start[, length])`: 0-based, in characters; a start past
/// the end gives `''`, a length past the end stops at the end; negative
/// start or length is an `ArgumentError: NumberOutOfRange`.
pub fn substring(args: &[Value], _: &Graph) -> Result<Value> {
    let s = str_arg("substring", args, 0)?;
    let start = count_arg("substring", "start", args, 1)?;
    let length = if args.len() > 2 {
        match count_arg("substring", "length", args, 2)? {
            None => return Ok(Value::Null),
            some => some,
        }
    } else {
        None
    };
    let (Some(s), Some(start)) = (s, start) else {
        return Ok(Value::Null);
    };
    let rest = s.chars().skip(start);
    Ok(Value::from(match length {
        Some(n) => rest.take(n).collect::<String>(),
        None => rest.collect::<String>(),
    }))
}

/// `left(s, n)`: the first `n` characters.
pub fn left(args: &[Value], _: &Graph) -> Result<Value> {
    let s = str_arg("left", args, 0)?;
    let n = count_arg("left", "length", args, 1)?;
    let (Some(s), Some(n)) = (s, n) else {
        return Ok(Value::Null);
    };
    Ok(Value::from(s.chars().take(n).collect::<String>()))
}

/// `right(s, n)`: the last `n` characters.
pub fn right(args: &[Value], _: &Graph) -> Result<Value> {
    let s = str_arg("right", args, 0)?;
    let n = count_arg("right", "length", args, 1)?;
    let (Some(s), Some(n)) = (s, n) else {
        return Ok(Value::Null);
    };
    let skip = s.chars().count().saturating_sub(n);
    Ok(Value::from(s.chars().skip(skip).collect::<String>()))
}

/// `replace(s, search, replacement)`: every occurrence; an empty `search`
/// inserts `replacement` between all characters (as Java does).
pub fn replace(args: &[Value], _: &Graph) -> Result<Value> {
    let s = str_arg("replace", args, 0)?;
    let search = str_arg("replace", args, 1)?;
    let replacement = str_arg("replace", args, 2)?;
    let (Some(s), Some(search), Some(replacement)) = (s, search, replacement) else {
        return Ok(Value::Null);
    };
    Ok(Value::from(s.replace(search, replacement)))
}

/// `split(s, delimiter)`: the pieces between delimiters, empty pieces
/// kept; an empty delimiter splits into characters. The delimiter may also
/// be a list of strings, any of which splits.
pub fn split(args: &[Value], _: &Graph) -> Result<Value> {
    let Some(s) = str_arg("split", args, 0)? else {
        return Ok(Value::Null);
    };
    let delimiters: Vec<&str> = match arg(args, 1) {
        Value::Null => return Ok(Value::Null),
        Value::String(d) => vec![d],
        Value::List(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(d) => out.push(&**d),
                    Value::Null => return Ok(Value::Null),
                    other => {
                        return Err(type_error(
                            "split",
                            "a string or a list of strings as delimiter",
                            other,
                        ));
                    }
                }
            }
            out
        }
        other => {
            return Err(type_error(
                "split",
                "a string or a list of strings as delimiter",
                other,
            ));
        }
    };
    Ok(Value::List(
        split_any(s, &delimiters)
            .into_iter()
            .map(Value::from)
            .collect(),
    ))
}

/// Splits `s` at every occurrence of any non-empty delimiter (the longest
/// one wins where several match at a position); with only empty delimiters
/// (or none), splits into characters.
///
/// Slicing cannot panic: every offset used is a character boundary, as it
/// comes from `char_indices`, from stepping over whole characters, or from
/// stepping over a delimiter that `starts_with` matched.
fn split_any<'a>(s: &'a str, delimiters: &[&str]) -> Vec<&'a str> {
    let delimiters: Vec<&str> = delimiters
        .iter()
        .copied()
        .filter(|d| !d.is_empty())
        .collect();
    if delimiters.is_empty() {
        return s
            .char_indices()
            .map(|(i, c)| &s[i..i + c.len_utf8()])
            .collect();
    }
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let mut pos = 0;
    while pos < s.len() {
        let rest = &s[pos..];
        let matched = delimiters
            .iter()
            .filter(|d| rest.starts_with(**d))
            .map(|d| d.len())
            .max();
        if let Some(len) = matched {
            pieces.push(&s[piece_start..pos]);
            pos += len;
            piece_start = pos;
        } else {
            pos += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    pieces.push(&s[piece_start..]);
    pieces
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorClass;
    use crate::exec::functions::call;
    use crate::value::Value;

    fn s(text: &str) -> Value {
        Value::from(text)
    }

    fn strs(items: &[&str]) -> Value {
        Value::List(items.iter().map(|t| Value::from(*t)).collect())
    }

    #[test]
    fn case_and_trim() {
        assert_eq!(call("toUpper", vec![s("kgq ß")]).unwrap(), s("KGQ SS"));
        assert_eq!(call("TOLOWER", vec![s("ÄBC")]).unwrap(), s("äbc"));
        assert_eq!(call("trim", vec![s(" \t a b \n")]).unwrap(), s("a b"));
        assert_eq!(call("ltrim", vec![s("  a  ")]).unwrap(), s("a  "));
        assert_eq!(call("rtrim", vec![s("  a  ")]).unwrap(), s("  a"));
        assert_eq!(call("toUpper", vec![Value::Null]).unwrap(), Value::Null);
        let err = call("toUpper", vec![Value::Int(1)]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::TypeError, "InvalidArgumentType")
        );
        assert!(err.message.contains("toUpper") && err.message.contains("Integer"));
    }

    #[test]
    fn substring_counts_characters() {
        assert_eq!(
            call("substring", vec![s("hello"), Value::Int(1), Value::Int(3)]).unwrap(),
            s("ell")
        );
        assert_eq!(
            call("substring", vec![s("hello"), Value::Int(2)]).unwrap(),
            s("llo")
        );
        assert_eq!(
            call(
                "substring",
                vec![s("héllo→wörld"), Value::Int(4), Value::Int(3)]
            )
            .unwrap(),
            s("o→w")
        );
        assert_eq!(
            call("substring", vec![s("日本語"), Value::Int(1)]).unwrap(),
            s("本語")
        );
        assert_eq!(
            call("substring", vec![s("abc"), Value::Int(10)]).unwrap(),
            s("")
        );
        assert_eq!(
            call("substring", vec![s("abc"), Value::Int(1), Value::Int(100)]).unwrap(),
            s("bc")
        );
        assert_eq!(
            call("substring", vec![s("abc"), Value::Int(0), Value::Int(0)]).unwrap(),
            s("")
        );
        assert_eq!(
            call("substring", vec![Value::Null, Value::Int(1)]).unwrap(),
            Value::Null
        );
        assert_eq!(
            call("substring", vec![s("abc"), Value::Null]).unwrap(),
            Value::Null
        );
        assert_eq!(
            call("substring", vec![s("abc"), Value::Int(0), Value::Null]).unwrap(),
            Value::Null
        );
        let err = call("substring", vec![s("abc"), Value::Int(-1)]).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::ArgumentError, "NumberOutOfRange")
        );
        let err = call("substring", vec![s("abc"), Value::Int(0), Value::Int(-2)]).unwrap_err();
        assert_eq!(err.class, ErrorClass::ArgumentError);
        let err = call("substring", vec![s("abc"), Value::Float(1.0)]).unwrap_err();
        assert_eq!(err.class, ErrorClass::TypeError);
        assert!(call("substring", vec![s("abc")]).is_err());
    }

    #[test]
    fn left_and_right_count_characters() {
        assert_eq!(
            call("left", vec![s("héllo"), Value::Int(2)]).unwrap(),
            s("hé")
        );
        assert_eq!(
            call("right", vec![s("héllo→"), Value::Int(2)]).unwrap(),
            s("o→")
        );
        assert_eq!(
            call("left", vec![s("ab"), Value::Int(10)]).unwrap(),
            s("ab")
        );
        assert_eq!(
            call("right", vec![s("ab"), Value::Int(10)]).unwrap(),
            s("ab")
        );
        assert_eq!(call("right", vec![s("ab"), Value::Int(0)]).unwrap(), s(""));
        assert_eq!(
            call("left", vec![Value::Null, Value::Int(1)]).unwrap(),
            Value::Null
        );
        assert_eq!(
            call("left", vec![s("a"), Value::Int(-1)])
                .unwrap_err()
                .class,
            ErrorClass::ArgumentError
        );
        assert_eq!(
            call("right", vec![s("a"), Value::Int(-1)])
                .unwrap_err()
                .class,
            ErrorClass::ArgumentError
        );
        assert_eq!(
            call("right", vec![Value::Int(5), Value::Int(1)])
                .unwrap_err()
                .class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn replace_all_occurrences() {
        assert_eq!(
            call("replace", vec![s("a-b-c"), s("-"), s("+")]).unwrap(),
            s("a+b+c")
        );
        assert_eq!(
            call("replace", vec![s("äöä"), s("ä"), s("ae")]).unwrap(),
            s("aeöae")
        );
        assert_eq!(
            call("replace", vec![s("ab"), s(""), s("-")]).unwrap(),
            s("-a-b-")
        );
        assert_eq!(
            call("replace", vec![s("ab"), Value::Null, s("-")]).unwrap(),
            Value::Null
        );
        assert_eq!(
            call("replace", vec![s("ab"), s("a"), Value::Int(1)])
                .unwrap_err()
                .class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn split_keeps_empty_pieces() {
        assert_eq!(
            call("split", vec![s("a,b,,c"), s(",")]).unwrap(),
            strs(&["a", "b", "", "c"])
        );
        assert_eq!(
            call("split", vec![s(",a,"), s(",")]).unwrap(),
            strs(&["", "a", ""])
        );
        assert_eq!(
            call("split", vec![s("abc"), s("x")]).unwrap(),
            strs(&["abc"])
        );
        assert_eq!(
            call("split", vec![s("a→b→c"), s("→")]).unwrap(),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            call("split", vec![s("日本"), s("")]).unwrap(),
            strs(&["日", "本"])
        );
        assert_eq!(
            call("split", vec![s("a::b:c"), s("::")]).unwrap(),
            strs(&["a", "b:c"])
        );
        assert_eq!(
            call("split", vec![s("a,b;c"), strs(&[",", ";"])]).unwrap(),
            strs(&["a", "b", "c"])
        );
        assert_eq!(call("split", vec![s(""), s(",")]).unwrap(), strs(&[""]));
        assert_eq!(
            call("split", vec![Value::Null, s(",")]).unwrap(),
            Value::Null
        );
        assert_eq!(
            call("split", vec![s("a"), Value::Null]).unwrap(),
            Value::Null
        );
        assert_eq!(
            call("split", vec![s("a"), Value::Int(1)])
                .unwrap_err()
                .class,
            ErrorClass::TypeError
        );
    }
}
