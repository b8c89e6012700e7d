//! What every request shares: the graph (behind a mutex), the server's
//! settings, and the error replies in Neo4j's shape.

use std::sync::{Mutex, MutexGuard};

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kgq::{Error, ErrorClass};
use serde_json::json;

use super::auth::Credentials;
use crate::db::Db;

/// The server's shared state.
pub struct AppState {
    db: Mutex<Option<Db>>,
    /// Whether write statements are refused (`--read-only`).
    pub read_only: bool,
    /// The credentials HTTP Basic auth asks for, if any.
    pub auth: Option<Credentials>,
}

impl AppState {
    /// State over an opened database.
    pub fn new(db: Db, read_only: bool, auth: Option<Credentials>) -> AppState {
        AppState {
            db: Mutex::new(Some(db)),
            read_only,
            auth,
        }
    }

    /// Locks the database (a statement that panicked does not poison it
    /// for good: its changes were rolled back).
    pub fn lock(&self) -> MutexGuard<'_, Option<Db>> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Closes the database (a store is checkpointed).
    pub fn close(&self) -> kgq::Result<()> {
        match self.lock().take() {
            Some(db) => db.close(),
            None => Ok(()),
        }
    }
}

/// An error reply: `{"errors": [{"code", "message"}]}` with Neo4j's
/// status code classification, plus kgq's own class, code and position.
pub struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
    detail: Option<serde_json::Value>,
}

impl ApiError {
    /// A request that cannot be read.
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "Neo.ClientError.Request.Invalid",
            message,
        )
    }

    /// Something that is not there.
    pub fn not_found(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    /// An error with a status and a Neo4j code.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
            detail: None,
        }
    }

    /// The reply to a statement that failed; `statement` locates its span.
    pub fn statement(e: &Error, statement: &str) -> ApiError {
        let code = match (e.class, e.code) {
            (_, "ReadOnly" | "ReadOnlyStore") => "Neo.ClientError.Statement.AccessMode",
            (ErrorClass::SyntaxError, _) => "Neo.ClientError.Statement.SyntaxError",
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
                "Neo.ClientError.Transaction.TransactionTimedOut"
            }
            (ErrorClass::LimitExceeded, _) => {
                "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
            }
            (ErrorClass::Unsupported, _) => "Neo.ClientError.Statement.FeatureNotSupported",
            (ErrorClass::IoError | ErrorClass::FormatError, _) => {
                "Neo.DatabaseError.General.UnknownError"
            }
        };
        let status = if code.starts_with("Neo.DatabaseError") {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        let position = e.span.map(|span| {
            let p = kgq::error::Position::of(statement, span.start);
            json!({"offset": span.start, "line": p.line, "column": p.column})
        });
        ApiError {
            status,
            code: code.to_string(),
            message: e.message.clone(),
            detail: Some(json!({
                "kgqClass": e.class.name(),
                "kgqCode": e.code,
                "position": position,
            })),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({"code": self.code, "message": self.message});
        if let (Some(serde_json::Value::Object(extra)), Some(obj)) =
            (self.detail, error.as_object_mut())
        {
            obj.extend(extra);
        }
        (self.status, Json(json!({"errors": [error]}))).into_response()
    }
}
