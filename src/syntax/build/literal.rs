//! Number, string and parameter tokens → values, with the TCK error codes
//! for malformed literals.

use super::{Node, span_of, unescape_name};
use crate::error::{Error, Result, Span};

/// A number literal before its sign is known: integers keep their
/// magnitude so that `-9223372036854775808` can be represented.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Number {
    /// An integer magnitude (may exceed `i64::MAX` by one).
    Integer(u64),
    /// A finite float.
    Float(f64),
}

/// `IntegerOverflow` at `span`.
pub(super) fn integer_overflow(span: Span) -> Error {
    Error::syntax(
        "IntegerOverflow",
        "integer literal is too large for a 64-bit signed integer",
    )
    .at(span)
}

fn invalid_number(span: Span) -> Error {
    Error::syntax("InvalidNumberLiteral", "invalid number literal").at(span)
}

/// Parses a number token: decimal, `0x` hex, `0o` (or legacy `0`) octal,
/// or float.
pub(super) fn number(text: &str, span: Span) -> Result<Number> {
    let lower = text.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return radix(hex, 16, span);
    }
    if let Some(oct) = lower.strip_prefix("0o") {
        return radix(oct, 8, span);
    }
    let is_float_char = |c: char| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+' | '-');
    if !lower.chars().all(is_float_char) {
        return Err(invalid_number(span));
    }
    if lower.contains(['.', 'e']) {
        let value: f64 = lower.parse().map_err(|_| invalid_number(span))?;
        if !value.is_finite() {
            return Err(Error::syntax(
                "FloatingPointOverflow",
                "float literal is too large for a 64-bit float",
            )
            .at(span));
        }
        return Ok(Number::Float(value));
    }
    if lower.len() > 1 && lower.starts_with('0') {
        return radix(&lower[1..], 8, span);
    }
    radix(&lower, 10, span)
}

fn radix(digits: &str, radix: u32, span: Span) -> Result<Number> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(invalid_number(span));
    }
    let magnitude = u64::from_str_radix(digits, radix).map_err(|_| integer_overflow(span))?;
    if magnitude > i64::MIN.unsigned_abs() {
        return Err(integer_overflow(span));
    }
    Ok(Number::Integer(magnitude))
}

/// A `*min..max` bound.
pub(super) fn length_bound(pair: &Node) -> Result<u64> {
    pair.as_str()
        .parse()
        .map_err(|_| integer_overflow(span_of(pair)))
}

/// The name of a `$name` / `$0` / `` $`odd name` `` token.
pub(super) fn parameter_name(text: &str) -> String {
    unescape_name(text.strip_prefix('$').unwrap_or(text))
}

/// The value of a quoted string token starting at byte `start`.
pub(super) fn string(token: &str, start: usize) -> Result<String> {
    let inner = token
        .get(1..token.len().saturating_sub(1))
        .unwrap_or_default();
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let at = start + 1 + i;
        let Some((_, e)) = chars.next() else {
            return Err(bad_escape(at, 1, "a `\\` at the end of a string"));
        };
        let simple = match e {
            '\\' => Some('\\'),
            '\'' => Some('\''),
            '"' => Some('"'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let width = match e {
            'u' => 4,
            'U' => 8,
            _ => {
                let msg = format!("invalid escape sequence `\\{e}` in a string");
                return Err(bad_escape(at, 1 + e.len_utf8(), &msg));
            }
        };
        let hex: String = chars.clone().take(width).map(|(_, h)| h).collect();
        let code = (hex.len() == width && hex.chars().all(|h| h.is_ascii_hexdigit()))
            .then(|| u32::from_str_radix(&hex, 16).ok())
            .flatten()
            .and_then(char::from_u32);
        match code {
            Some(ch) => {
                out.push(ch);
                for _ in 0..width {
                    chars.next();
                }
            }
            None => {
                return Err(Error::syntax(
                    "InvalidUnicodeLiteral",
                    format!("invalid Unicode escape `\\{e}{hex}`: expected {width} hex digits of a Unicode scalar value"),
                )
                .at(Span::new(at, at + 2 + hex.len())));
            }
        }
    }
    Ok(out)
}

fn bad_escape(at: usize, len: usize, message: &str) -> Error {
    Error::syntax("UnexpectedSyntax", message.to_string()).at(Span::new(at, at + len))
}
