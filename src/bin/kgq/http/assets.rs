//! The explorer page, built from `web/` into `web/dist/` and embedded in
//! the binary, so `kgq serve` works offline (no CDN).

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::errors::ApiError;

/// The page.
const INDEX_HTML: &str = include_str!("../../../../web/dist/index.html");
/// Every built asset: name under `/assets/`, media type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../../../web/dist/assets/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../../../web/dist/assets/app.css"),
    ),
];

/// A policy that keeps the page to its own origin.
const CSP: &str =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'";

/// `GET /`: the page (`?query=…` is read by the page itself).
pub async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX_HTML,
    )
        .into_response()
}

/// `GET /assets/{file}`.
pub async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, media, bytes)) => (
            [
                (header::CONTENT_TYPE, *media),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *bytes,
        )
            .into_response(),
        None => not_found().await,
    }
}

/// Anything else.
pub async fn not_found() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Neo.ClientError.Request.Invalid",
        "no such page",
    )
    .into_response()
}
