//! `kgq serve`: reads the command line, opens the graph as a shared
//! [`kgq::Database`], and runs the library's server core
//! ([`kgq::server::Server`]) with Bolt.
//!
//! The HTTP API plugs in at [`http_service`]: build a
//! `kgq::server::Service` for the address given with `--http` and return
//! it; the core binds it (with the same loopback rule), passes it the
//! shared `Core` (database, credentials, throttle, shutdown signal) and
//! shuts it down with the rest.

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kgq::Database;
use kgq::server::{Credentials, Server, ServerConfig, Service};
use kgq::store::OpenOptions;

use crate::args::ServeArgs;
use crate::runner::{FAILED, OK, USAGE};

fn usage(message: &str) -> u8 {
    let _ = writeln!(std::io::stderr(), "kgq: {message}");
    USAGE
}

fn address(text: &str, flag: &str) -> Result<SocketAddr, String> {
    text.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| format!("{flag} needs an address like 127.0.0.1:7687, not {text:?}"))
}

fn seconds(value: f64, flag: &str) -> Result<Duration, String> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| format!("{flag} needs a non-negative number of seconds"))
}

/// The HTTP service for `--http ADDR` (the query API and the explorer).
#[cfg(feature = "http")]
fn http_service(args: &ServeArgs) -> Result<Arc<dyn Service>, String> {
    Ok(Arc::new(crate::http::HttpService::new(
        args.cors.as_deref(),
    )?))
}

/// This build has no HTTP listener.
#[cfg(not(feature = "http"))]
fn http_service(_args: &ServeArgs) -> Result<Arc<dyn Service>, String> {
    Err("this kgq was built without the HTTP listener (feature `http`)".to_string())
}

/// Opens GRAPH: a missing file becomes a new store (unless read-only).
fn open(graph: Option<&Path>, read_only: bool) -> kgq::Result<Database> {
    match graph {
        Some(path) if !path.exists() && !read_only => {
            Database::open_store(path, OpenOptions::create())
        }
        other => Database::open(other, read_only),
    }
}

/// Runs `kgq serve`; returns the exit status.
pub fn run(args: &ServeArgs) -> u8 {
    let config = match config(args) {
        Ok(c) => c,
        Err(message) => return usage(&message),
    };
    let http = match args.http.as_deref().map(|a| address(a, "--http")) {
        None => None,
        Some(Err(m)) => return usage(&m),
        Some(Ok(addr)) => match http_service(args) {
            Ok(service) => Some((addr, service)),
            Err(m) => return usage(&m),
        },
    };
    let timeout = match args.timeout.map(|t| seconds(t, "--timeout")).transpose() {
        Ok(t) => t,
        Err(m) => return usage(&m),
    };
    let lock_timeout = match seconds(args.lock_timeout, "--lock-timeout") {
        Ok(t) => t,
        Err(m) => return usage(&m),
    };
    let db = match open(args.graph.as_deref(), args.read_only) {
        Ok(db) => db,
        Err(e) => {
            let origin = args
                .graph
                .as_deref()
                .map_or_else(|| "bundled graph".to_string(), |p| p.display().to_string());
            let _ = writeln!(std::io::stderr(), "kgq: {origin}: {e}");
            return FAILED;
        }
    };
    db.set_read_only(args.read_only);
    db.set_default_timeout(timeout);
    db.set_lock_timeout(lock_timeout);
    db.set_limits(kgq::exec::Limits {
        deadline: None,
        max_expansions: args.max_expansions,
        max_buffered_rows: args.max_rows,
        max_memory: args.max_memory.0,
        max_value_bytes: args.max_value_size.0,
        ..kgq::exec::Limits::default()
    });
    let mut server = Server::new(db, config);
    if let Some((addr, service)) = http {
        server.add_service(addr, service);
    }
    match server.run() {
        Ok(()) => OK,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "kgq: {e}");
            FAILED
        }
    }
}

fn config(args: &ServeArgs) -> Result<ServerConfig, String> {
    let auth = match (&args.auth, &args.auth_file) {
        (Some(text), _) => Some(Credentials::parse(text).map_err(|e| format!("--auth: {e}"))?),
        (None, Some(file)) => {
            Some(Credentials::from_file(file).map_err(|e| format!("--auth-file: {e}"))?)
        }
        (None, None) => None,
    };
    // Bolt is served unless only --http was asked for.
    let bolt = match (&args.bolt, &args.http) {
        (Some(addr), _) => Some(address(addr, "--bolt")?),
        (None, Some(_)) => None,
        (None, None) => Some(address(kgq::server::DEFAULT_BOLT, "--bolt")?),
    };
    Ok(ServerConfig {
        bolt,
        auth,
        idle_timeout: seconds(args.idle_timeout, "--idle-timeout")?,
        tx_idle_timeout: seconds(args.tx_idle_timeout, "--tx-idle-timeout")?,
        max_message_bytes: usize::try_from(args.max_message_size.0).unwrap_or(usize::MAX),
        ..ServerConfig::default()
    })
}
