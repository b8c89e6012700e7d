//! Unicode normalization: `normalize(s [, form])` and the predicate
//! `s IS [NOT] [form] NORMALIZED`, over the `unicode-normalization` crate.
//!
//! The planner passes the form (written as a bare word, `NFD`) to both as a
//! string constant, so a form reaching here is always one of the four names;
//! anything else is still refused with a clear error.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::{is_nfc, is_nfd, is_nfkc, is_nfkd};

use super::{Function, arg, invalid_value, type_error};
use crate::error::Result;
use crate::graph::Graph;
use crate::syntax::ast::NormalForm;
use crate::value::Value;

/// The form argument `i` (NFC when absent or null).
fn form_arg(name: &str, args: &[Value], i: usize) -> Result<NormalForm> {
    match arg(args, i) {
        Value::Null => Ok(NormalForm::Nfc),
        Value::String(s) => NormalForm::parse(s).ok_or_else(|| {
            invalid_value(format!(
                "{name}() takes NFC, NFD, NFKC or NFKD as its form, got `{s}`"
            ))
        }),
        other => Err(type_error(name, "a normal form", other)),
    }
}

/// `s` in normal form `form`.
pub fn normalized(s: &str, form: NormalForm) -> String {
    match form {
        NormalForm::Nfc => s.nfc().collect(),
        NormalForm::Nfd => s.nfd().collect(),
        NormalForm::Nfkc => s.nfkc().collect(),
        NormalForm::Nfkd => s.nfkd().collect(),
    }
}

/// Whether `s` is already in normal form `form`.
pub fn is_normalized_str(s: &str, form: NormalForm) -> bool {
    match form {
        NormalForm::Nfc => is_nfc(s),
        NormalForm::Nfd => is_nfd(s),
        NormalForm::Nfkc => is_nfkc(s),
        NormalForm::Nfkd => is_nfkd(s),
    }
}

/// `normalize(s [, form])`: `s` in the normal form (NFC by default); null
/// for null, a type error for anything but a string.
pub fn normalize(args: &[Value], _: &Graph) -> Result<Value> {
    let form = form_arg("normalize", args, 1)?;
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::String(s) => Ok(Value::from(normalized(s, form))),
        other => Err(type_error("normalize", "a string", other)),
    }
}

/// `s IS [form] NORMALIZED`: whether a string is in the normal form; null
/// for null and for any value that is not a string (as Neo4j).
pub fn is_normalized(args: &[Value], _: &Graph) -> Result<Value> {
    let form = form_arg("IS NORMALIZED", args, 1)?;
    match arg(args, 0) {
        Value::String(s) => Ok(Value::Bool(is_normalized_str(s, form))),
        _ => Ok(Value::Null),
    }
}

/// The predicate `IS NORMALIZED` as a function the planner calls; not in
/// the function table, so users cannot call it by name.
pub static IS_NORMALIZED: Function = Function {
    name: "is normalized",
    min_args: 2,
    max_args: 2,
    call: is_normalized,
    summary: "Whether a string is in a Unicode normal form.",
    example: "RETURN 'kgq' IS NFC NORMALIZED",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angstrom_sign_under_each_form() {
        let s = "\u{212B}";
        assert_eq!(normalized(s, NormalForm::Nfc), "\u{C5}");
        assert_eq!(normalized(s, NormalForm::Nfd), "A\u{30A}");
        assert_eq!(normalized(s, NormalForm::Nfkc), "\u{C5}");
        assert_eq!(normalized(s, NormalForm::Nfkd), "A\u{30A}");
        assert!(!is_normalized_str(s, NormalForm::Nfc));
        assert!(is_normalized_str("\u{C5}", NormalForm::Nfc));
        assert!(is_normalized_str("A\u{30A}", NormalForm::Nfd));
    }

    #[test]
    fn unknown_form_is_refused() {
        let graph = Graph::new();
        let args = [Value::from("a"), Value::from("NFX")];
        let err = normalize(&args, &graph).expect_err("NFX is no form");
        assert_eq!(err.code, "InvalidArgumentValue");
    }
}
