//! Error replies in the shape of Neo4j's Query API:
//! `{"errors": [{"code", "message"}]}`, with kgq's own class, code and
//! position added to each error.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kgq::Error;
use serde_json::json;

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

    /// A kgq error met outside a statement (e.g. waiting for the graph).
    pub fn kgq(e: &Error) -> ApiError {
        ApiError::statement(e, "")
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
        // The same status codes Bolt reports.
        let code = kgq::server::bolt::errors::neo4j_code(e);
        let status = if code.starts_with("Neo.DatabaseError") {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        let position = e.span.filter(|_| !statement.is_empty()).map(|span| {
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
