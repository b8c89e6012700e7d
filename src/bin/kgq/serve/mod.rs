//! `kgq serve`: the HTTP query API (shaped like Neo4j's Query API) and the
//! graph explorer page, over one graph opened as the other commands open
//! it (same limits: `--timeout`, `--max-memory`, …; `--read-only`).
//!
//! The graph sits behind a mutex ([`state::AppState`]); statements run on
//! tokio's blocking threads, one at a time. This is the seam where the
//! shared server core (`kgq::Database`, parallel reads) slots in.

mod assets;
mod auth;
mod explore;
mod json;
mod query;
mod state;

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use axum::routing::{get, post};
use tower_http::cors::CorsLayer;

use crate::args::ServeArgs;
use crate::runner::{self, FAILED, OK, USAGE};

/// The address `--http` defaults to (loopback only).
pub const DEFAULT_HTTP: &str = "127.0.0.1:7474";
/// The stack of each thread that runs statements (reserved, not committed:
/// deeply nested expressions recurse in the evaluator).
const STACK_BYTES: usize = 256 << 20;
/// The most statements running at once (each holds a blocking thread).
const MAX_BLOCKING_THREADS: usize = 8;
/// The largest request body taken.
const MAX_BODY_BYTES: usize = 16 << 20;

/// `kgq serve [GRAPH] --http ADDR`.
pub fn run(args: &ServeArgs) -> u8 {
    let mut common = args.common.clone();
    if args.graph.is_some() {
        common.graph.clone_from(&args.graph);
    }
    let auth = match args.auth.as_deref().map(auth::Credentials::parse) {
        Some(Err(message)) => return usage(&message),
        Some(Ok(c)) => Some(c),
        None => None,
    };
    let cors = match args.cors.as_deref().map(cors_layer) {
        Some(Err(message)) => return usage(&message),
        Some(Ok(layer)) => Some(layer),
        None => None,
    };
    let addr: SocketAddr = match args.http.as_deref().unwrap_or(DEFAULT_HTTP).parse() {
        Ok(a) => a,
        Err(_) => return usage("--http needs an address like 127.0.0.1:7474"),
    };
    let Some(db) = runner::open_db(&common, true) else {
        return FAILED;
    };
    let state = Arc::new(state::AppState::new(db, common.read_only, auth));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(STACK_BYTES)
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build();
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "kgq: cannot start the server: {e}");
            return FAILED;
        }
    };
    let served = runtime.block_on(serve(addr, router(state.clone(), cors)));
    let status = match served {
        Ok(()) => OK,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "kgq: {e}");
            FAILED
        }
    };
    drop(runtime);
    match state.close() {
        Ok(()) => status,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "kgq: closing the graph: {e}");
            FAILED
        }
    }
}

fn usage(message: &str) -> u8 {
    let _ = writeln!(std::io::stderr(), "kgq: {message}");
    USAGE
}

/// Every route: the page and its assets, the query API, the explorer's API.
fn router(state: Arc<state::AppState>, cors: Option<CorsLayer>) -> Router {
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
            state.clone(),
            auth::require,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    match cors {
        Some(layer) => router.layer(layer),
        None => router,
    }
}

/// CORS for one origin (`*`: any); without `--cors` no CORS header is sent.
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

/// Listens at `addr` until Ctrl-C (or SIGTERM), then stops.
async fn serve(addr: SocketAddr, app: Router) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let _ = writeln!(
        std::io::stderr(),
        "kgq: serving http://{local}/ (explorer at /, query API at /db/kgq/query/v2); Ctrl-C stops"
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
