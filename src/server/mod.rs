//! The server core behind `kgq serve`: listeners on a tokio runtime, the
//! loopback-unless-authenticated rule, credentials, a log line per
//! connection, idle timeouts, and a clean shutdown (Ctrl-C or SIGTERM)
//! that checkpoints the store. Protocols plug in as [`Service`]s: Bolt
//! ([`bolt::BoltService`]) is built in; the HTTP API plugs in the same way.
//!
//! Statements run on tokio's blocking threads through the shared
//! [`Database`] handle: reads in parallel, writers in turn.
//!
//! ```no_run
//! use kgq::server::{Server, ServerConfig};
//! let db = kgq::Database::bundled().unwrap();
//! let config = ServerConfig::default(); // Bolt on 127.0.0.1:7687, no auth
//! Server::new(db, config).run().unwrap();
//! ```

pub mod auth;
pub mod bolt;

use std::future::Future;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::database::Database;
pub use auth::{Credentials, Throttle};

/// The Bolt address used when none is given (loopback only).
pub const DEFAULT_BOLT: &str = "127.0.0.1:7687";

/// What the server is told on the command line.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Where Bolt listens (`None`: no Bolt listener).
    pub bolt: Option<SocketAddr>,
    /// The credentials clients must give (`None`: any, loopback only).
    pub auth: Option<Credentials>,
    /// A connection with no request for this long is closed.
    pub idle_timeout: Duration,
    /// A connection whose transaction has no request for this long is
    /// closed and the transaction rolled back.
    pub tx_idle_timeout: Duration,
    /// The most connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// The largest request message, in bytes.
    pub max_message_bytes: usize,
    /// How long shutdown waits for connections to finish.
    pub shutdown_grace: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bolt: DEFAULT_BOLT.parse().ok(),
            auth: None,
            idle_timeout: Duration::from_secs(600),
            tx_idle_timeout: Duration::from_secs(60),
            max_connections: 256,
            max_message_bytes: 64 << 20,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Why the server could not start or stop cleanly.
#[derive(Debug)]
pub enum ServeError {
    /// A non-loopback address without `--auth`.
    Unprotected(SocketAddr),
    /// A listener could not be bound.
    Bind(SocketAddr, io::Error),
    /// The runtime could not start.
    Runtime(io::Error),
    /// Closing the database (the checkpoint) failed.
    Close(crate::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Unprotected(addr) => write!(
                f,
                "refusing to listen on {addr} without --auth: only loopback addresses may go without credentials"
            ),
            ServeError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            ServeError::Runtime(e) => write!(f, "cannot start the server: {e}"),
            ServeError::Close(e) => write!(f, "closing the graph: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// What every connection of every service shares.
#[derive(Debug)]
pub struct Core {
    /// The database.
    pub db: Database,
    /// The settings.
    pub config: ServerConfig,
    /// Failed logins per address.
    pub throttle: Throttle,
    shutdown: watch::Receiver<bool>,
    connections: AtomicUsize,
    next_connection: AtomicU64,
    commits: AtomicU64,
    idle: tokio::sync::Notify,
}

impl Core {
    /// Resolves when the server is shutting down.
    pub fn shutdown_signal(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.shutdown.clone();
        async move {
            while !*rx.borrow_and_update() {
                if rx.changed().await.is_err() {
                    return;
                }
            }
        }
    }

    /// Whether shutdown has begun.
    pub fn shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// Counts a connection in; it is counted out when the guard drops.
    /// Also gives it a number for its log line.
    pub fn connection(self: &Arc<Self>) -> ConnectionGuard {
        self.connections.fetch_add(1, Ordering::SeqCst);
        ConnectionGuard {
            core: self.clone(),
            id: self.next_connection.fetch_add(1, Ordering::Relaxed) + 1,
        }
    }

    /// A new bookmark, after a commit that wrote.
    pub fn bookmark(&self) -> String {
        format!("kgq:{}", self.commits.fetch_add(1, Ordering::SeqCst) + 1)
    }

    /// Writes one line to stderr (never a password: callers log names,
    /// addresses and outcomes only).
    pub fn log(&self, line: &str) {
        let _ = writeln!(io::stderr(), "kgq: {line}");
    }
}

/// A live connection, counted while it exists.
#[derive(Debug)]
pub struct ConnectionGuard {
    core: Arc<Core>,
    /// The connection's number (for logs and `connection_id`).
    pub id: u64,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if self.core.connections.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.core.idle.notify_waiters();
        }
    }
}

/// A future a service returns.
pub type ServiceFuture = Pin<Box<dyn Future<Output = io::Result<()>> + Send>>;

/// A protocol served on one listener. Bolt is one; the HTTP API is
/// another: implement `serve` to accept connections on `listener` until
/// [`Core::shutdown_signal`] resolves (e.g. `axum::serve(listener, app)
/// .with_graceful_shutdown(core.shutdown_signal())`), running statements
/// through `core.db` on blocking threads, and add it with
/// [`Server::add_service`].
pub trait Service: Send + Sync + 'static {
    /// A short name for logs (`bolt`, `http`).
    fn name(&self) -> &'static str;
    /// Serves connections accepted on `listener`.
    fn serve(self: Arc<Self>, listener: TcpListener, core: Arc<Core>) -> ServiceFuture;
}

/// The server: a database, its settings and its services.
pub struct Server {
    db: Database,
    config: ServerConfig,
    services: Vec<(SocketAddr, Arc<dyn Service>)>,
}

/// The stack of each thread that runs statements: deep expressions
/// recurse in the evaluator.
const STACK_BYTES: usize = 256 << 20;

impl Server {
    /// A server over `db`; Bolt is served at `config.bolt` if set.
    pub fn new(db: Database, config: ServerConfig) -> Server {
        let mut services: Vec<(SocketAddr, Arc<dyn Service>)> = Vec::new();
        if let Some(addr) = config.bolt {
            services.push((addr, Arc::new(bolt::BoltService)));
        }
        Server {
            db,
            config,
            services,
        }
    }

    /// Adds a service (e.g. HTTP) on its own address.
    pub fn add_service(&mut self, addr: SocketAddr, service: Arc<dyn Service>) {
        self.services.push((addr, service));
    }

    /// Checks the loopback rule for every address.
    fn check_addresses(&self) -> Result<(), ServeError> {
        match self
            .services
            .iter()
            .find(|(addr, _)| !addr.ip().is_loopback())
        {
            Some((addr, _)) if self.config.auth.is_none() => Err(ServeError::Unprotected(*addr)),
            _ => Ok(()),
        }
    }

    /// Serves until Ctrl-C or SIGTERM, then stops accepting, lets
    /// connections finish (open transactions roll back), and closes the
    /// database (a store is checkpointed).
    pub fn run(self) -> Result<(), ServeError> {
        self.check_addresses()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_stack_size(STACK_BYTES)
            .build()
            .map_err(ServeError::Runtime)?;
        let db = self.db.clone();
        let served = runtime.block_on(self.serve_until_signal());
        drop(runtime);
        served?;
        db.close().map_err(ServeError::Close)
    }

    async fn serve_until_signal(self) -> Result<(), ServeError> {
        let (stop, shutdown) = watch::channel(false);
        let core = Arc::new(Core {
            db: self.db,
            config: self.config,
            throttle: Throttle::default(),
            shutdown,
            connections: AtomicUsize::new(0),
            next_connection: AtomicU64::new(0),
            commits: AtomicU64::new(0),
            idle: tokio::sync::Notify::new(),
        });
        let mut tasks = Vec::new();
        for (addr, service) in self.services {
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|e| ServeError::Bind(addr, e))?;
            let local = listener.local_addr().unwrap_or(addr);
            core.log(&format!("{} listening on {local}", service.name()));
            let name = service.name();
            let fut = service.serve(listener, core.clone());
            let log_core = core.clone();
            tasks.push(tokio::spawn(async move {
                if let Err(e) = fut.await {
                    log_core.log(&format!("{name} listener stopped: {e}"));
                }
            }));
        }
        wait_for_signal().await;
        core.log("shutting down");
        let _ = stop.send(true);
        for task in tasks {
            let _ = task.await;
        }
        let grace = core.config.shutdown_grace;
        let drained = async {
            loop {
                let notified = core.idle.notified();
                if core.connections.load(Ordering::SeqCst) == 0 {
                    return;
                }
                notified.await;
            }
        };
        if tokio::time::timeout(grace, drained).await.is_err() {
            core.log("some connections did not finish in time; closing anyway");
        }
        Ok(())
    }
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_loopback_needs_auth() {
        let db = Database::in_memory(crate::Graph::new());
        let config = ServerConfig {
            bolt: Some("0.0.0.0:7687".parse().unwrap()),
            ..ServerConfig::default()
        };
        let server = Server::new(db.clone(), config.clone());
        assert!(matches!(
            server.check_addresses(),
            Err(ServeError::Unprotected(_))
        ));
        let config = ServerConfig {
            auth: Some(Credentials::parse("u:p").unwrap()),
            ..config
        };
        assert!(Server::new(db, config).check_addresses().is_ok());
    }
}
