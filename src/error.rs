//! The one error type of kgq: a typed kind, an openCypher-style class and
//! code, a message, and the source span it points at when known.

use std::fmt;

/// A byte range in the statement text an error or AST node came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The same span moved `offset` bytes to the right (used when a
    /// statement is cut out of a larger script).
    pub fn shifted(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }
}

/// The error classes of the openCypher TCK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// The statement cannot be parsed or violates a static rule.
    SyntaxError,
    /// A static rule about the meaning of the statement is violated.
    SemanticError,
    /// A value has the wrong type.
    TypeError,
    /// A function got an argument it cannot accept.
    ArgumentError,
    /// Arithmetic went wrong (overflow, division by zero).
    ArithmeticError,
    /// A parameter was referenced but not supplied.
    ParameterMissing,
    /// A constraint of the data was violated.
    ConstraintVerificationFailed,
    /// A procedure does not exist.
    ProcedureError,
    /// An entity was accessed after it was deleted.
    EntityNotFound,
    /// A limit (time, memory, expansions) stopped the query, or it was cancelled.
    LimitExceeded,
    /// Reading or writing a file failed.
    IoError,
    /// A snapshot or store file is damaged or of an unknown version.
    FormatError,
    /// Something the language describes but kgq does not implement yet.
    Unsupported,
    /// The database was busy (a writer waited past its limit for its turn);
    /// the same request may succeed if tried again.
    TransientError,
}

impl ErrorClass {
    /// The class name as the TCK spells it.
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::SyntaxError => "SyntaxError",
            ErrorClass::SemanticError => "SemanticError",
            ErrorClass::TypeError => "TypeError",
            ErrorClass::ArgumentError => "ArgumentError",
            ErrorClass::ArithmeticError => "ArithmeticError",
            ErrorClass::ParameterMissing => "ParameterMissing",
            ErrorClass::ConstraintVerificationFailed => "ConstraintVerificationFailed",
            ErrorClass::ProcedureError => "ProcedureError",
            ErrorClass::EntityNotFound => "EntityNotFound",
            ErrorClass::LimitExceeded => "LimitExceeded",
            ErrorClass::IoError => "IoError",
            ErrorClass::FormatError => "FormatError",
            ErrorClass::Unsupported => "Unsupported",
            ErrorClass::TransientError => "TransientError",
        }
    }
}

/// Every error kgq reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The class (SyntaxError, TypeError, …).
    pub class: ErrorClass,
    /// The TCK-style code within the class, e.g. `UndefinedVariable`.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
    /// Where in the statement text, when known.
    pub span: Option<Span>,
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A new error without a position.
    pub fn new(class: ErrorClass, code: &'static str, message: impl Into<String>) -> Self {
        Error {
            class,
            code,
            message: message.into(),
            span: None,
        }
    }

    /// The same error pointing at `span` (kept if a span is already set).
    pub fn at(mut self, span: Span) -> Self {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }

    /// The same error with its span moved by `offset` bytes.
    pub fn shifted(mut self, offset: usize) -> Self {
        self.span = self.span.map(|s| s.shifted(offset));
        self
    }

    /// A syntax error with the given code.
    pub fn syntax(code: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorClass::SyntaxError, code, message)
    }

    /// A semantic error with the given code.
    pub fn semantic(code: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorClass::SemanticError, code, message)
    }

    /// A type error with the given code.
    pub fn type_error(code: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorClass::TypeError, code, message)
    }

    /// An argument error with the given code.
    pub fn argument(code: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorClass::ArgumentError, code, message)
    }

    /// An arithmetic error with the given code.
    pub fn arithmetic(code: &'static str, message: impl Into<String>) -> Self {
        Error::new(ErrorClass::ArithmeticError, code, message)
    }

    /// `TypeError: InvalidArgumentType` with a message.
    pub fn invalid_type(message: impl Into<String>) -> Self {
        Error::type_error("InvalidArgumentType", message)
    }

    /// Something kgq does not implement yet.
    pub fn unsupported(message: impl Into<String>) -> Self {
        Error::new(ErrorClass::Unsupported, "NotImplemented", message)
    }

    /// The query was cancelled or ran out of time.
    pub fn cancelled(message: impl Into<String>) -> Self {
        Error::new(ErrorClass::LimitExceeded, "Cancelled", message)
    }

    /// An I/O failure on `path`.
    pub fn io(path: &str, err: &std::io::Error) -> Self {
        Error::new(ErrorClass::IoError, "Io", format!("{path}: {err}"))
    }

    /// Renders the error as `ORIGIN:LINE:COL: Class: Code: message`, followed
    /// by the source line and a caret under the span, when a span is known.
    /// `source` is the text the span points into.
    pub fn render(&self, origin: &str, source: &str) -> String {
        let head = format!("{}: {}: {}", self.class.name(), self.code, self.message);
        let Some(span) = self.span else {
            return if origin.is_empty() {
                head
            } else {
                format!("{origin}: {head}")
            };
        };
        let pos = Position::of(source, span.start);
        let prefix = if origin.is_empty() {
            String::new()
        } else {
            format!("{origin}:")
        };
        let lines = caret_lines(source, span);
        format!("{prefix}{}:{}: {head}\n{lines}", pos.line, pos.column)
    }
}

/// The source line `span` starts on and a caret line under the span, each
/// indented by two spaces (long lines are shown as a window around the
/// caret).
pub fn caret_lines(source: &str, span: Span) -> String {
    let pos = Position::of(source, span.start);
    let line_text = pos.line_text(source);
    let caret_col = line_text
        .char_indices()
        .take_while(|(i, _)| *i < pos.byte_in_line)
        .count();
    let width = source
        .get(
            span.start
                ..span
                    .end
                    .min(pos.line_start + line_text.len())
                    .max(span.start),
        )
        .map(|s| s.chars().count())
        .unwrap_or(1)
        .max(1);
    // Long lines are shown as a window around the caret.
    let skip = caret_col.saturating_sub(WINDOW / 2);
    let shown: String = line_text.chars().skip(skip).take(WINDOW).collect();
    let more = line_text.chars().count() > skip + WINDOW;
    let (lead, caret_col) = if skip > 0 {
        ("…", caret_col - skip + 1)
    } else {
        ("", caret_col)
    };
    let trail = if more { "…" } else { "" };
    format!(
        "  {lead}{shown}{trail}\n  {}{}",
        " ".repeat(caret_col),
        "^".repeat(width.min((WINDOW + 1).saturating_sub(caret_col)).max(1))
    )
}

/// How many characters of a source line an error shows.
const WINDOW: usize = 120;

/// A 1-based line and column in a text (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line number (CRLF, LF and a lone CR each end a line).
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    line_start: usize,
    byte_in_line: usize,
}

impl Position {
    /// The line and column of byte `offset` in `text`.
    pub fn of(text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let mut line = 1;
        let mut line_start = 0;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < offset {
            match bytes[i] {
                b'\n' => {
                    line += 1;
                    line_start = i + 1;
                }
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') && i + 1 < offset {
                        i += 1;
                    }
                    line += 1;
                    line_start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        let mut start = line_start.min(offset);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() + 1;
        Position {
            line,
            column,
            line_start: start,
            byte_in_line: end - start,
        }
    }

    fn line_text<'a>(&self, text: &'a str) -> &'a str {
        let rest = &text[self.line_start..];
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        &rest[..end]
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.class.name(), self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// Decodes `bytes` read from `origin` as UTF-8; invalid bytes are an
/// `IoError: InvalidEncoding` naming the line and column where they start
/// (columns count characters, as editors do).
pub fn decode_utf8(origin: &str, bytes: Vec<u8>) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let pos = Position::of(valid, at);
            let column = valid[pos.line_start..].chars().count() + 1;
            Err(Error::new(
                ErrorClass::IoError,
                "InvalidEncoding",
                format!(
                    "{origin}:{}:{column}: not valid UTF-8 (byte 0x{:02x} at offset {at}); \
                     kgq reads UTF-8 text",
                    pos.line,
                    bytes.get(at).copied().unwrap_or_default()
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_line_column_and_caret() {
        let src = "MATCH (n)\nRETURN m";
        let err =
            Error::semantic("UndefinedVariable", "variable `m` not defined").at(Span::new(17, 18));
        let text = err.render("q.kgq", src);
        assert_eq!(
            text,
            "q.kgq:2:8: SemanticError: UndefinedVariable: variable `m` not defined\n  RETURN m\n         ^"
        );
    }

    #[test]
    fn encoding_errors_name_line_and_column() {
        let err = decode_utf8("s.kgq", b"RETURN 1;\nRETURN '\xc3\xa9\xff';".to_vec()).unwrap_err();
        assert_eq!(err.code, "InvalidEncoding");
        assert!(
            err.message
                .starts_with("s.kgq:2:10: not valid UTF-8 (byte 0xff at offset 20)"),
            "{}",
            err.message
        );
        assert_eq!(decode_utf8("x", b"ok".to_vec()).unwrap(), "ok");
    }

    #[test]
    fn lone_cr_and_crlf_count_as_line_ends() {
        assert_eq!(Position::of("a\rb\r\nc", 5).line, 3);
        assert_eq!(Position::of("a\rb\r\nc", 2).line, 2);
        assert_eq!(Position::of("a\rb\r\nc", 5).column, 1);
    }
}
