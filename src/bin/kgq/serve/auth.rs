//! HTTP Basic auth from `--auth user:password`: every request (the page
//! and the API) must carry the credentials; none are ever logged.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;

use super::state::{ApiError, AppState};

/// A user name and password.
pub struct Credentials {
    user: String,
    password: String,
}

impl Credentials {
    /// Reads `user:password`.
    pub fn parse(text: &str) -> Result<Credentials, String> {
        match text.split_once(':') {
            Some((user, password)) if !user.is_empty() => Ok(Credentials {
                user: user.to_string(),
                password: password.to_string(),
            }),
            _ => Err("--auth needs user:password".to_string()),
        }
    }

    /// Whether an `Authorization` header value carries these credentials.
    fn accepts(&self, header: &str) -> bool {
        let Some(encoded) = header
            .strip_prefix("Basic ")
            .or_else(|| header.strip_prefix("basic "))
        else {
            return false;
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return false;
        };
        let expected = format!("{}:{}", self.user, self.password);
        same_bytes(&decoded, expected.as_bytes())
    }
}

/// Compares without stopping at the first difference.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Lets a request through when no credentials are set or it carries them.
pub async fn require(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let Some(credentials) = &state.auth else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if given.is_some_and(|h| credentials.accepts(h)) {
        return next.run(request).await;
    }
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "Neo.ClientError.Security.Unauthorized",
        "authentication required: send HTTP Basic credentials",
    )
    .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Basic realm=\"kgq\", charset=\"UTF-8\""),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_must_match_exactly() {
        let c = Credentials::parse("analyst:s3cr:et").unwrap();
        let good = base64::engine::general_purpose::STANDARD.encode("analyst:s3cr:et");
        let bad = base64::engine::general_purpose::STANDARD.encode("analyst:wrong");
        assert!(c.accepts(&format!("Basic {good}")));
        assert!(!c.accepts(&format!("Basic {bad}")));
        assert!(!c.accepts("Bearer x"));
        assert!(Credentials::parse("nocolon").is_err());
    }
}
