//! kgq errors as Bolt FAILURE metadata: a Neo4j status code, kgq's own
//! message with the position, and (for Bolt 5.7+ clients) the GQL status
//! fields.

use super::packstream::Pack;
use crate::error::{Error, ErrorClass};

/// The Neo4j status code for a kgq error.
pub fn neo4j_code(error: &Error) -> &'static str {
    match (error.class, error.code) {
        (ErrorClass::SyntaxError, _) => "Neo.ClientError.Statement.SyntaxError",
        (_, "ReadOnlyStore" | "WriteInReadTransaction") => "Neo.ClientError.Statement.AccessMode",
        (_, "NoOpenTransaction") => "Neo.ClientError.Transaction.TransactionNotFound",
        (_, "TransactionAlreadyOpen" | "TransactionOpen") => "Neo.ClientError.Request.Invalid",
        (ErrorClass::SemanticError, "InternalError") => "Neo.DatabaseError.General.UnknownError",
        (ErrorClass::SemanticError, _) => "Neo.ClientError.Statement.SemanticError",
        (ErrorClass::TypeError, _) => "Neo.ClientError.Statement.TypeError",
        (ErrorClass::ArgumentError, _) => "Neo.ClientError.Statement.ArgumentError",
        (ErrorClass::ArithmeticError, _) => "Neo.ClientError.Statement.ArithmeticError",
        (ErrorClass::ParameterMissing, _) => "Neo.ClientError.Statement.ParameterMissing",
        (ErrorClass::ConstraintVerificationFailed, _) => {
            "Neo.ClientError.Schema.ConstraintValidationFailed"
        }
        (ErrorClass::ProcedureError, _) => "Neo.ClientError.Procedure.ProcedureNotFound",
        (ErrorClass::EntityNotFound, _) => "Neo.ClientError.Statement.EntityNotFound",
        (ErrorClass::LimitExceeded, "Timeout" | "Cancelled") => {
            "Neo.TransientError.Transaction.Terminated"
        }
        (ErrorClass::LimitExceeded, "MemoryLimitExceeded") => {
            "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
        }
        (ErrorClass::LimitExceeded, _) => "Neo.ClientError.Statement.ExecutionFailed",
        (ErrorClass::TransientError, _) => "Neo.TransientError.Transaction.LockAcquisitionTimeout",
        (ErrorClass::Unsupported, _) => "Neo.ClientError.Statement.ExecutionFailed",
        (ErrorClass::IoError | ErrorClass::FormatError, _) => {
            "Neo.DatabaseError.General.UnknownError"
        }
    }
}

/// Line and column (1-based, in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// FAILURE metadata for a kgq error raised by `query` (empty when the
/// error has nothing to do with a query text).
pub fn failure(error: &Error, query: &str) -> Pack {
    let code = neo4j_code(error);
    let mut message = format!("{}: {}: {}", error.class.name(), error.code, error.message);
    let mut diagnostic = vec![
        ("OPERATION".to_string(), Pack::str("")),
        ("OPERATION_CODE".to_string(), Pack::str("0")),
        ("CURRENT_SCHEMA".to_string(), Pack::str("/")),
    ];
    if let Some(span) = error.span.filter(|_| !query.is_empty()) {
        let (line, column) = line_col(query, span.start);
        message.push_str(&format!(
            " (line {line}, column {column} (offset: {}))",
            span.start
        ));
        diagnostic.push((
            "_position".to_string(),
            Pack::Map(vec![
                ("offset".into(), Pack::Int(span.start as i64)),
                ("line".into(), Pack::Int(line as i64)),
                ("column".into(), Pack::Int(column as i64)),
            ]),
        ));
    }
    coded(code, &message, diagnostic)
}

/// FAILURE metadata with a Neo4j `code` and a `message`.
pub fn protocol(code: &str, message: &str) -> Pack {
    coded(code, message, Vec::new())
}

fn coded(code: &str, message: &str, mut diagnostic: Vec<(String, Pack)>) -> Pack {
    let (gql, description) = gql_status(code);
    let classification = if code.starts_with("Neo.ClientError") {
        "CLIENT_ERROR"
    } else if code.starts_with("Neo.TransientError") {
        "TRANSIENT_ERROR"
    } else {
        "DATABASE_ERROR"
    };
    diagnostic.push(("_classification".into(), Pack::str(classification)));
    Pack::Map(vec![
        ("code".into(), Pack::str(code)),
        ("neo4j_code".into(), Pack::str(code)),
        ("message".into(), Pack::str(message)),
        ("gql_status".into(), Pack::str(gql)),
        ("description".into(), Pack::str(description)),
        ("diagnostic_record".into(), Pack::Map(diagnostic)),
    ])
}

/// A GQLSTATUS and its description for a Neo4j status code.
fn gql_status(code: &str) -> (&'static str, &'static str) {
    if code.ends_with("SyntaxError") {
        (
            "42001",
            "error: syntax error or access rule violation - invalid syntax",
        )
    } else if code.contains("Security") {
        (
            "42NFF",
            "error: syntax error or access rule violation - permission/access denied",
        )
    } else if code.contains("Statement.") && !code.ends_with("ExecutionFailed") {
        ("22000", "error: data exception")
    } else if code.starts_with("Neo.TransientError") {
        ("25N00", "error: invalid transaction state")
    } else {
        (
            "50N42",
            "error: general processing exception - unexpected error",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_code_message_and_position() {
        let mut s = crate::Session::new();
        let query = "MATCH (n)\nRETRN n";
        let err = s.run(query).unwrap_err();
        let pack = failure(&err, query);
        assert_eq!(
            pack.get("code").and_then(Pack::as_str),
            Some("Neo.ClientError.Statement.SyntaxError")
        );
        let message = pack.get("message").and_then(Pack::as_str).unwrap();
        assert!(message.contains("line 2, column 1"), "{message}");
        let position = pack
            .get("diagnostic_record")
            .unwrap()
            .get("_position")
            .unwrap();
        assert_eq!(position.get("line"), Some(&Pack::Int(2)));
    }

    #[test]
    fn classes_map_to_neo4j_families() {
        let e = |class, code| Error::new(class, code, "m");
        assert_eq!(
            neo4j_code(&e(ErrorClass::TransientError, "LockTimeout")),
            "Neo.TransientError.Transaction.LockAcquisitionTimeout"
        );
        assert!(
            neo4j_code(&e(ErrorClass::LimitExceeded, "Timeout")).starts_with("Neo.TransientError")
        );
        assert!(
            neo4j_code(&e(ErrorClass::LimitExceeded, "Cancelled"))
                .starts_with("Neo.TransientError")
        );
        assert_eq!(
            neo4j_code(&e(ErrorClass::ArithmeticError, "DivisionByZero")),
            "Neo.ClientError.Statement.ArithmeticError"
        );
    }
}
