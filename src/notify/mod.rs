//! Notifications: warnings and hints about a statement that runs fine but
//! probably does not do what its author meant — a misspelt label, a
//! comparison that can never hold, a cartesian product, an unbounded
//! variable-length pattern. They are shaped after Neo4j 5's notifications
//! (code, title, description, severity, category, position) and GQLSTATUS
//! objects, and never change a statement's result.
//!
//! [`analyze`] is a separate pass over a parsed statement and the graph it
//! is about to run on (before binding, which interns new names); see
//! [`names`], [`patterns`] and [`compare`] for the three kinds of checks.

mod compare;
mod names;
mod patterns;
#[cfg(test)]
mod tests;
mod walk;

use crate::error::Span;
use crate::graph::Graph;
use crate::syntax::ast::Statement;

/// How serious a notification is (Neo4j's severity levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The statement likely has a mistake.
    Warning,
    /// The statement may be slow or surprising.
    Information,
}

impl Severity {
    /// The name Neo4j uses: `WARNING` or `INFORMATION`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "WARNING",
            Severity::Information => "INFORMATION",
        }
    }
}

/// What a notification is about (Neo4j's notification categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// A name the graph does not know.
    Unrecognized,
    /// Something that may make the statement slow.
    Performance,
    /// Anything else (here: comparisons that cannot hold).
    Generic,
}

impl Category {
    /// The name Neo4j uses: `UNRECOGNIZED`, `PERFORMANCE` or `GENERIC`.
    pub fn name(self) -> &'static str {
        match self {
            Category::Unrecognized => "UNRECOGNIZED",
            Category::Performance => "PERFORMANCE",
            Category::Generic => "GENERIC",
        }
    }
}

/// The kinds of notification kgq gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// A label no node of the graph has ever had.
    UnknownLabel,
    /// A relationship type the graph has never had.
    UnknownRelationshipType,
    /// A property key the graph has never had.
    UnknownPropertyKey,
    /// A comparison whose operand types make it always null (or always
    /// false / always true for `=` / `<>`).
    IncomparableTypes,
    /// Disconnected patterns in one MATCH.
    CartesianProduct,
    /// A variable-length relationship without an upper bound.
    UnboundedVariableLengthPattern,
}

impl NotificationKind {
    /// The Neo4j status code (`Neo.ClientNotification.…`); kgq's own kind
    /// has a `Kgq.ClientNotification.…` code.
    pub fn code(self) -> &'static str {
        match self {
            NotificationKind::UnknownLabel => {
                "Neo.ClientNotification.Statement.UnknownLabelWarning"
            }
            NotificationKind::UnknownRelationshipType => {
                "Neo.ClientNotification.Statement.UnknownRelationshipTypeWarning"
            }
            NotificationKind::UnknownPropertyKey => {
                "Neo.ClientNotification.Statement.UnknownPropertyKeyWarning"
            }
            NotificationKind::IncomparableTypes => {
                "Kgq.ClientNotification.Statement.IncomparableTypesWarning"
            }
            NotificationKind::CartesianProduct => {
                "Neo.ClientNotification.Statement.CartesianProduct"
            }
            NotificationKind::UnboundedVariableLengthPattern => {
                "Neo.ClientNotification.Statement.UnboundedVariableLengthPattern"
            }
        }
    }

    /// The GQLSTATUS code (Neo4j's where it has one; `01000`, "warning
    /// without subclass", for kgq's own kind).
    pub fn gql_status(self) -> &'static str {
        match self {
            NotificationKind::UnknownLabel => "01N50",
            NotificationKind::UnknownRelationshipType => "01N51",
            NotificationKind::UnknownPropertyKey => "01N52",
            NotificationKind::IncomparableTypes => "01000",
            NotificationKind::CartesianProduct => "03N90",
            NotificationKind::UnboundedVariableLengthPattern => "03N91",
        }
    }

    /// The severity.
    pub fn severity(self) -> Severity {
        match self {
            NotificationKind::CartesianProduct
            | NotificationKind::UnboundedVariableLengthPattern => Severity::Information,
            _ => Severity::Warning,
        }
    }

    /// The category.
    pub fn category(self) -> Category {
        match self {
            NotificationKind::UnknownLabel
            | NotificationKind::UnknownRelationshipType
            | NotificationKind::UnknownPropertyKey => Category::Unrecognized,
            NotificationKind::IncomparableTypes => Category::Generic,
            NotificationKind::CartesianProduct
            | NotificationKind::UnboundedVariableLengthPattern => Category::Performance,
        }
    }

    /// The GQLSTATUS classification, as the status description starts
    /// (`warn: unknown label.`).
    fn classification(self) -> &'static str {
        match self {
            NotificationKind::UnknownLabel => "warn: unknown label",
            NotificationKind::UnknownRelationshipType => "warn: unknown relationship type",
            NotificationKind::UnknownPropertyKey => "warn: unknown property key",
            NotificationKind::IncomparableTypes => "warn: incomparable types",
            NotificationKind::CartesianProduct => "info: cartesian product",
            NotificationKind::UnboundedVariableLengthPattern => {
                "info: unbounded variable length pattern"
            }
        }
    }
}

/// Where a notification points, as Neo4j reports it: `offset` counts
/// characters from the start of the text (0-based); `line` and `column`
/// are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NotificationPosition {
    /// Characters before the position.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl NotificationPosition {
    /// The position of byte `offset` in `text`.
    pub fn of(text: &str, offset: usize) -> Self {
        let pos = crate::error::Position::of(text, offset);
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        NotificationPosition {
            offset: text[..end].chars().count(),
            line: pos.line,
            column: pos.column,
        }
    }
}

/// One notification about a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// Which kind it is.
    pub kind: NotificationKind,
    /// A one-sentence message naming what was found (what the CLI prints).
    pub message: String,
    /// A short title, the same for every notification of a kind.
    pub title: &'static str,
    /// A longer description with advice.
    pub description: String,
    /// The byte span it points at in the text it was made from.
    pub span: Span,
    /// The position of the span's start.
    pub position: NotificationPosition,
}

impl Notification {
    /// A notification of `kind` at `span` of `text`.
    pub(crate) fn new(
        kind: NotificationKind,
        text: &str,
        span: Span,
        message: String,
        description: String,
    ) -> Self {
        let title = match kind {
            NotificationKind::UnknownLabel => "The label is not in the graph.",
            NotificationKind::UnknownRelationshipType => {
                "The relationship type is not in the graph."
            }
            NotificationKind::UnknownPropertyKey => "The property key is not in the graph.",
            NotificationKind::IncomparableTypes => {
                "The comparison cannot hold because of the types of its operands."
            }
            NotificationKind::CartesianProduct => {
                "This query builds a cartesian product between disconnected patterns."
            }
            NotificationKind::UnboundedVariableLengthPattern => {
                "The variable-length pattern has no upper bound on its number of hops."
            }
        };
        Notification {
            kind,
            message,
            title,
            description,
            span,
            position: NotificationPosition::of(text, span.start),
        }
    }

    /// The status code (e.g. `Neo.ClientNotification.Statement.UnknownLabelWarning`).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The GQLSTATUS code (e.g. `01N50`).
    pub fn gql_status(&self) -> &'static str {
        self.kind.gql_status()
    }

    /// The severity.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// The category.
    pub fn category(&self) -> Category {
        self.kind.category()
    }

    /// The GQLSTATUS status description: classification, then the message.
    pub fn status_description(&self) -> String {
        format!("{}. {}", self.kind.classification(), self.message)
    }

    /// The same notification for a statement cut out of `script` at byte
    /// `offset` (its span and position then point into `script`).
    pub fn shifted(mut self, offset: usize, script: &str) -> Self {
        self.span = self.span.shifted(offset);
        self.position = NotificationPosition::of(script, self.span.start);
        self
    }

    /// Renders the notification as the CLI prints it: `warning: MESSAGE
    /// (line L, column C)` (with `ORIGIN, ` before `line` when given), then
    /// the source line and a caret under the span, in the style of errors.
    /// `source` is the text the span points into.
    pub fn render(&self, origin: &str, source: &str) -> String {
        let place = if origin.is_empty() {
            String::new()
        } else {
            format!("{origin}, ")
        };
        let head = format!(
            "warning: {} ({place}line {}, column {})",
            self.message, self.position.line, self.position.column
        );
        format!("{head}\n{}", crate::error::caret_lines(source, self.span))
    }
}

/// The notifications for `statement` (parsed from `text`), run against
/// `graph` as it is before the statement runs. Cheap: one walk over the
/// statement, plus, for a comparison of a property with a literal, a
/// bounded look at that property's values.
pub fn analyze(statement: &Statement, text: &str, graph: &Graph) -> Vec<Notification> {
    let facts = walk::collect(statement);
    let mut out = Vec::new();
    names::check(&facts, text, graph, &mut out);
    compare::check(&facts, text, graph, &mut out);
    patterns::check(&facts, text, &mut out);
    out.sort_by_key(|n| (n.span.start, n.span.end));
    out.dedup_by(|a, b| a.kind == b.kind && a.span == b.span && a.message == b.message);
    out
}
