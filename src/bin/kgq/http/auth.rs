//! HTTP Basic auth with the server's credentials (`--auth`,
//! `--auth-file`): every request, the page included, must carry them when
//! they are set. Failed attempts are slowed down per client address by
//! the core's throttle; nothing secret is logged.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use kgq::server::{Core, Credentials};

use super::errors::ApiError;

/// Whether an `Authorization` header value carries `credentials`.
fn accepts(credentials: &Credentials, header: &str) -> bool {
    let Some((scheme, encoded)) = header.split_once(' ') else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return false;
    }
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let Ok(text) = String::from_utf8(decoded) else {
        return false;
    };
    match text.split_once(':') {
        Some((user, password)) => credentials.accepts(user, password),
        None => false,
    }
}

/// Lets a request through when no credentials are set or it carries them.
pub async fn require(
    State(core): State<Arc<Core>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let Some(credentials) = &core.config.auth else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if given.is_some_and(|h| accepts(credentials, h)) {
        core.throttle.succeeded(peer.ip());
        return next.run(request).await;
    }
    if given.is_some() {
        let delay = core.throttle.failed(peer.ip());
        core.log(&format!("http: {peer}: authentication failed"));
        tokio::time::sleep(delay).await;
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
        let encode = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        assert!(accepts(&c, &format!("Basic {}", encode("analyst:s3cr:et"))));
        assert!(accepts(&c, &format!("basic {}", encode("analyst:s3cr:et"))));
        assert!(!accepts(&c, &format!("Basic {}", encode("analyst:wrong"))));
        assert!(!accepts(&c, &format!("Basic {}", encode("analyst"))));
        assert!(!accepts(&c, "Basic not-base64!"));
        assert!(!accepts(&c, "Bearer x"));
    }
}
