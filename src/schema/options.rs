//! The `OPTIONS {…}` map of `CREATE FULLTEXT INDEX`: only constants, and
//! only the keys Neo4j documents (`indexProvider`, and in `indexConfig`
//! `fulltext.analyzer` and `fulltext.eventually_consistent`).

use super::fulltext::analyze::ANALYZER;
use crate::error::{Error, Result};
use crate::syntax::ast::{Expr, ExprKind, Literal};

/// The analyzer and `eventually_consistent` flag `options` ask for.
pub fn fulltext(options: Option<&Expr>) -> Result<(String, bool)> {
    let mut analyzer = ANALYZER.to_string();
    let mut eventually_consistent = false;
    let Some(options) = options else {
        return Ok((analyzer, eventually_consistent));
    };
    for (key, value) in entries(options)? {
        match key.as_str() {
            "indexProvider" => match literal(value) {
                Some(Literal::String(p)) if p == "fulltext-1.0" => {}
                _ => return Err(invalid(value, "`indexProvider` must be 'fulltext-1.0'")),
            },
            "indexConfig" => {
                for (key, value) in entries(value)? {
                    match (key.as_str(), literal(value)) {
                        ("fulltext.analyzer", Some(Literal::String(a))) => {
                            if a != ANALYZER {
                                return Err(invalid(
                                    value,
                                    format!("unknown analyzer '{a}' (available: '{ANALYZER}')"),
                                ));
                            }
                            analyzer = a.clone();
                        }
                        ("fulltext.eventually_consistent", Some(Literal::Bool(b))) => {
                            eventually_consistent = *b;
                        }
                        ("fulltext.analyzer" | "fulltext.eventually_consistent", _) => {
                            return Err(invalid(
                                value,
                                format!("`{key}` needs a constant string or boolean"),
                            ));
                        }
                        _ => {
                            return Err(invalid(
                                value,
                                format!(
                                    "unknown full-text index setting `{key}` (known: \
                                     `fulltext.analyzer`, `fulltext.eventually_consistent`)"
                                ),
                            ));
                        }
                    }
                }
            }
            _ => {
                return Err(invalid(
                    value,
                    format!("unknown option `{key}` (known: `indexProvider`, `indexConfig`)"),
                ));
            }
        }
    }
    Ok((analyzer, eventually_consistent))
}

fn entries(map: &Expr) -> Result<Vec<(String, &Expr)>> {
    match &map.kind {
        ExprKind::Map(entries) => Ok(entries.iter().map(|(k, v)| (k.name.clone(), v)).collect()),
        _ => Err(invalid(map, "expected a map of constants")),
    }
}

fn literal(e: &Expr) -> Option<&Literal> {
    match &e.kind {
        ExprKind::Literal(l) => Some(l),
        _ => None,
    }
}

fn invalid(at: &Expr, message: impl Into<String>) -> Error {
    Error::argument("InvalidIndexOption", message).at(at.span)
}
