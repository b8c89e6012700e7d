//! The line editor's helper: completion, highlighting and the check that
//! decides whether Enter runs the input or starts a new line.

use std::borrow::Cow;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::catalog::Catalog;
use super::complete::{self, Completion};
use super::highlight;

/// The editor's helper.
pub struct ReplHelper {
    /// What completion knows about the graph.
    pub catalog: Catalog,
    /// Whether the input is coloured.
    color: bool,
    files: FilenameCompleter,
}

impl ReplHelper {
    /// A helper offering the names in `catalog`; colours when `color`.
    pub fn new(catalog: Catalog, color: bool) -> ReplHelper {
        ReplHelper {
            catalog,
            color,
            files: FilenameCompleter::new(),
        }
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        match complete::complete(line, pos, &self.catalog) {
            Completion::Items { start, items } => Ok((start, items)),
            Completion::Path => self.files.complete(line, pos, ctx),
        }
    }
}

impl Hinter for ReplHelper {
    type Hint = String;
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(highlight::highlight(line, pos))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.color && kind != CmdKind::ForcedRefresh
    }
}

/// Enter always ends the line: the shell itself gathers the lines of an
/// unfinished statement (see [`validate::is_complete`]), under a
/// continuation prompt that shows the open quote or bracket.
impl Validator for ReplHelper {
    fn validate(&self, _ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(ValidationResult::Valid(None))
    }
}

impl Helper for ReplHelper {}
