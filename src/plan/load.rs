//! Binding `LOAD CSV` and the functions that read its current record's
//! position, `linenumber()` and `file()` (hidden variables the clause
//! declares next to its row variable).

use super::bind::Binder;
use super::scope::VarKind;
use super::{Expr, LoadCsvSpec, Step};
use crate::error::{Error, Result, Span};
use crate::syntax::ast;

/// The hidden variables `linenumber()` and `file()` read (names start with
/// a space, so no query can name them).
const LINE_VAR: &str = " linenumber";
const FILE_VAR: &str = " file";

impl Binder<'_> {
    /// `LOAD CSV [WITH HEADERS] FROM url AS row [FIELDTERMINATOR 'c']`.
    pub(super) fn bind_load_csv(
        &mut self,
        headers: bool,
        url: &ast::Expr,
        alias: &ast::Ident,
        terminator: Option<&str>,
        steps: &mut Vec<Step>,
    ) -> Result<()> {
        let url_expr = self.bind_expr(url)?;
        let terminator = match terminator {
            None => b',',
            Some(t) if t.len() == 1 => t.as_bytes()[0],
            Some("\\t") => b'\t',
            Some(t) => {
                return Err(Error::syntax(
                    "InvalidArgumentValue",
                    format!("FIELDTERMINATOR takes one single-byte character, got '{t}'"),
                )
                .at(url.span));
            }
        };
        let slot = self.declare_new(alias, VarKind::Value)?;
        let line_slot = self.scope.declare(LINE_VAR, VarKind::Scalar);
        let file_slot = self.scope.declare(FILE_VAR, VarKind::Scalar);
        steps.push(Step::LoadCsv(Box::new(LoadCsvSpec {
            url: url_expr,
            headers,
            terminator,
            slot,
            line_slot,
            file_slot,
            import_dir: self.options.import_dir.clone(),
        })));
        Ok(())
    }

    /// `linenumber()` / `file()`: the slot of the current LOAD CSV record's
    /// line or file; `None` for other functions.
    pub(super) fn bind_load_csv_function(
        &mut self,
        lower: &str,
        args: &[ast::Expr],
        span: Span,
    ) -> Result<Option<Expr>> {
        let var = match lower {
            "linenumber" => LINE_VAR,
            "file" => FILE_VAR,
            _ => return Ok(None),
        };
        if !args.is_empty() {
            return Err(Error::syntax(
                "InvalidNumberOfArguments",
                format!("{lower}() takes no arguments"),
            )
            .at(span));
        }
        match self.scope.get(var) {
            Some(v) => Ok(Some(Expr::Slot(v.slot))),
            None => Err(Error::syntax(
                "UnknownFunction",
                format!("{lower}() is only available after LOAD CSV, in the same query part"),
            )
            .at(span)),
        }
    }
}
