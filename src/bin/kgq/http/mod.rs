//! The HTTP listener of `kgq serve --http ADDR`: a query API shaped like
//! Neo4j's Query API (`POST /db/kgq/query/v2`) and the graph explorer
//! page at `/` with the small endpoints it needs (`/api/…`).
//!
//! It is a [`Service`] of the library's server core: the core binds the
//! address (loopback unless `--auth`), hands over the shared [`Core`]
//! (the [`kgq::Database`], credentials, login throttle, shutdown signal)
//! and stops it with Bolt. Statements run on blocking threads through
//! `core.db`, under the limits `kgq serve` set on it (`--timeout`,
//! `--max-memory`, …) and its `--read-only`.

mod assets;
mod auth;
mod errors;
mod explore;
mod json;
mod query;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use axum::routing::{get, post};
use kgq::server::{Core, Service, ServiceFuture};
use tokio::net::TcpListener;
use tower_http::cors::CorsLayer;

/// The largest request body taken.
const MAX_BODY_BYTES: usize = 16 << 20;

/// The HTTP service, with its CORS policy (none unless `--cors`).
pub struct HttpService {
    cors: Option<CorsLayer>,
}

impl HttpService {
    /// The service; `cors` is the origin allowed to call it from other
    /// pages (`*`: any), `None` to send no CORS headers at all.
    pub fn new(cors: Option<&str>) -> Result<HttpService, String> {
        let cors = cors.map(cors_layer).transpose()?;
        Ok(HttpService { cors })
    }
}

impl Service for HttpService {
    fn name(&self) -> &'static str {
        "http"
    }

    fn serve(self: Arc<Self>, listener: TcpListener, core: Arc<Core>) -> ServiceFuture {
        Box::pin(async move {
            if let Ok(local) = listener.local_addr() {
                core.log(&format!(
                    "explorer at http://{local}/, query API at http://{local}/db/{}/query/v2",
                    query::DATABASE
                ));
            }
            let app = router(core.clone(), self.cors.clone());
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(core.shutdown_signal())
            .await
        })
    }
}

/// Every route: the page and its assets, the query API, the explorer's API.
fn router(core: Arc<Core>, cors: Option<CorsLayer>) -> Router {
    let router = Router::new()
        .route("/db/{name}/query/v2", post(query::handle))
        .route("/api/info", get(explore::info))
        .route("/api/catalog", get(explore::catalog))
        .route("/api/find", get(explore::find))
        .route("/api/node/{id}", get(explore::node))
        .route("/api/relationship/{id}", get(explore::relationship))
        .route("/api/neighbours/{id}", get(explore::neighbours))
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::asset))
        .fallback(assets::not_found)
        .layer(axum::middleware::from_fn_with_state(
            core.clone(),
            auth::require,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(core);
    match cors {
        Some(layer) => router.layer(layer),
        None => router,
    }
}

/// CORS for one origin (`*`: any).
fn cors_layer(origin: &str) -> Result<CorsLayer, String> {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT]);
    if origin == "*" {
        return Ok(layer.allow_origin(tower_http::cors::Any));
    }
    let value = HeaderValue::from_str(origin).map_err(|_| {
        format!("--cors needs an origin like http://localhost:5173, not {origin:?}")
    })?;
    Ok(layer.allow_origin(value))
}
