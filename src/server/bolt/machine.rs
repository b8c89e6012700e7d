//! The Bolt server state machine of one connection: which request is
//! allowed in which state, what each answers, and FAILED → IGNORED until
//! RESET. Statements run on blocking threads through the shared
//! [`Database`](crate::Database); their rows are converted to PackStream
//! while the graph is still locked, then streamed by PULL.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::packstream::Pack;
use super::values::{Dialect, from_pack, to_pack};
use super::{Ending, Version, chunk, errors, notices};
use crate::database::{AccessMode, RunOptions, Transaction};
use crate::error::{Error, ErrorClass};
use crate::exec::{CancelHandle, Stats};
use crate::graph::Graph;
use crate::server::Core;
use crate::session::QueryResult;
use crate::value::Value;

const HELLO: u8 = 0x01;
const GOODBYE: u8 = 0x02;
const RESET: u8 = 0x0F;
const RUN: u8 = 0x10;
const BEGIN: u8 = 0x11;
const COMMIT: u8 = 0x12;
const ROLLBACK: u8 = 0x13;
const DISCARD: u8 = 0x2F;
const PULL: u8 = 0x3F;
const TELEMETRY: u8 = 0x54;
const ROUTE: u8 = 0x66;
const LOGON: u8 = 0x6A;
const LOGOFF: u8 = 0x6B;
/// SUCCESS.
pub const SUCCESS: u8 = 0x70;
/// RECORD.
pub const RECORD: u8 = 0x71;
/// IGNORED.
pub const IGNORED: u8 = 0x7E;
/// FAILURE.
pub const FAILURE: u8 = 0x7F;

/// The agent string sent to drivers (some check for the `Neo4j/` prefix).
const SERVER_AGENT: &str = concat!(
    "Neo4j/5.26.0 compatible graph database server - kgq ",
    env!("CARGO_PKG_VERSION")
);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Connected,
    Authentication,
    Ready,
    Streaming,
    TxReady,
    TxStreaming,
    Failed,
}

/// A result waiting to be pulled.
struct Stream {
    qid: i64,
    rows: VecDeque<Vec<Pack>>,
    stats: Stats,
    query_type: &'static str,
    auto_commit: bool,
    /// The statement's notifications, sent with the last PULL's summary.
    notifications: Vec<crate::notify::Notification>,
    /// Whether the result had records / columns (for the GQL result status).
    had_rows: bool,
    had_fields: bool,
}

/// A result converted while the graph was locked.
struct Converted {
    fields: Vec<String>,
    rows: Vec<Vec<Pack>>,
    stats: Stats,
    notifications: Vec<crate::notify::Notification>,
}

fn convert(graph: &Graph, result: QueryResult, dialect: Dialect) -> Converted {
    Converted {
        rows: result
            .rows
            .iter()
            .map(|row| row.iter().map(|v| to_pack(v, graph, dialect)).collect())
            .collect(),
        fields: result.columns,
        stats: result.stats,
        notifications: result.notifications,
    }
}

/// One Bolt connection's state.
pub struct Connection {
    core: Arc<Core>,
    id: u64,
    peer: SocketAddr,
    local: SocketAddr,
    version: Version,
    dialect: Dialect,
    state: State,
    user: Option<String>,
    agent: Option<String>,
    requests: u64,
    tx: Option<Transaction>,
    tx_timeout: Option<Duration>,
    streams: Vec<Stream>,
    next_qid: i64,
    cancel: CancelHandle,
}

fn map(entries: Vec<(&str, Pack)>) -> Pack {
    Pack::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn send(out: &mut Vec<u8>, tag: u8, fields: Vec<Pack>) {
    chunk::write_message(&Pack::Struct(tag, fields), out);
}

fn success(out: &mut Vec<u8>, meta: Pack) {
    send(out, SUCCESS, vec![meta]);
}

fn millis(since: Instant) -> Pack {
    Pack::Int(since.elapsed().as_millis().min(i64::MAX as u128) as i64)
}

fn stats_map(stats: &Stats) -> Pack {
    let mut entries = Vec::new();
    let mut put = |k: &str, v: u64| {
        if v > 0 {
            entries.push((k.to_string(), Pack::Int(v.min(i64::MAX as u64) as i64)));
        }
    };
    put("nodes-created", stats.nodes_created);
    put("nodes-deleted", stats.nodes_deleted);
    put("relationships-created", stats.relationships_created);
    put("relationships-deleted", stats.relationships_deleted);
    put(
        "properties-set",
        stats.properties_set + stats.properties_removed,
    );
    put("labels-added", stats.labels_added);
    put("labels-removed", stats.labels_removed);
    if !entries.is_empty() {
        entries.push(("contains-updates".to_string(), Pack::Bool(true)));
    }
    Pack::Map(entries)
}

/// A request that is not allowed in the current state.
fn invalid(message: impl Into<String>) -> Pack {
    errors::protocol("Neo.ClientError.Request.Invalid", &message.into())
}

impl Connection {
    /// A connection that has not negotiated yet.
    pub fn new(core: Arc<Core>, id: u64, peer: SocketAddr, local: SocketAddr) -> Connection {
        Connection {
            core,
            id,
            peer,
            local,
            version: Version { major: 5, minor: 0 },
            dialect: Dialect {
                element_ids: true,
                utc_datetimes: true,
            },
            state: State::Connected,
            user: None,
            agent: None,
            requests: 0,
            tx: None,
            tx_timeout: None,
            streams: Vec::new(),
            next_qid: 0,
            cancel: CancelHandle::default(),
        }
    }

    /// The shared server core.
    pub fn core(&self) -> &Arc<Core> {
        &self.core
    }

    /// Sets the negotiated version.
    pub fn set_version(&mut self, version: Version) {
        self.version = version;
        self.dialect = Dialect {
            element_ids: version.major >= 5,
            utc_datetimes: version.major >= 5,
        };
    }

    /// How long the next request may take to arrive.
    pub fn idle_limit(&self) -> Duration {
        if self.tx.is_some() {
            self.core.config.tx_idle_timeout
        } else {
            self.core.config.idle_timeout
        }
    }

    /// The connection's log line (never a password).
    pub fn describe(&self, ending: &Ending) -> String {
        format!(
            "{} bolt/{} user={:?} agent={:?} requests={} ended: {ending}",
            self.peer,
            self.version,
            self.user.as_deref().unwrap_or("-"),
            self.agent.as_deref().unwrap_or("-"),
            self.requests
        )
    }

    /// Rolls back what the connection left open.
    pub async fn finish(&mut self) {
        self.streams.clear();
        if let Some(tx) = self.tx.take() {
            let _ = tokio::task::spawn_blocking(move || tx.rollback()).await;
        }
    }

    fn fail(&mut self, out: &mut Vec<u8>, meta: Pack) {
        send(out, FAILURE, vec![meta]);
        self.state = State::Failed;
    }

    /// Handles one request, appending the responses to `out`; returns how
    /// the connection ends, if it does.
    pub async fn handle(
        &mut self,
        tag: u8,
        fields: Vec<Pack>,
        out: &mut Vec<u8>,
    ) -> Option<Ending> {
        self.requests += 1;
        if self.state == State::Failed && !matches!(tag, RESET | GOODBYE) {
            send(out, IGNORED, vec![]);
            return None;
        }
        let arg = |i: usize| fields.get(i).cloned().unwrap_or(Pack::Map(Vec::new()));
        match tag {
            GOODBYE => return Some(Ending::Goodbye),
            RESET => self.reset(out).await,
            HELLO => return self.hello(&arg(0), out).await,
            LOGON => return self.logon(&arg(0), out).await,
            LOGOFF => self.expect(&[State::Ready], "LOGOFF", out, |c, out| {
                c.user = None;
                c.state = State::Authentication;
                success(out, Pack::Map(vec![]));
            }),
            TELEMETRY => self.expect(&[State::Ready], "TELEMETRY", out, |_, out| {
                success(out, Pack::Map(vec![]));
            }),
            ROUTE => {
                let db = arg(2).get("db").and_then(Pack::as_str).map(str::to_string);
                self.expect(&[State::Ready], "ROUTE", out, |c, out| c.route(db, out));
            }
            RUN => {
                let query = arg(0).as_str().unwrap_or_default().to_string();
                self.run(query, &arg(1), &arg(2), out).await;
            }
            PULL | DISCARD => self.pull(&arg(0), tag == PULL, out),
            BEGIN => self.begin(&arg(0), out),
            COMMIT | ROLLBACK => self.end_tx(tag == COMMIT, out).await,
            other => {
                let message = format!("unknown request tag 0x{other:02X}");
                self.fail(out, invalid(message.clone()));
                return Some(Ending::Protocol(message));
            }
        }
        None
    }

    fn expect(
        &mut self,
        states: &[State],
        what: &str,
        out: &mut Vec<u8>,
        then: impl FnOnce(&mut Self, &mut Vec<u8>),
    ) {
        if states.contains(&self.state) {
            then(self, out);
        } else {
            let message = format!("{what} is not allowed in state {:?}", self.state);
            self.fail(out, invalid(message));
        }
    }

    async fn reset(&mut self, out: &mut Vec<u8>) {
        if self.state == State::Connected {
            self.fail(out, invalid("RESET before HELLO"));
            return;
        }
        self.finish().await;
        self.state = if self.user.is_some() {
            State::Ready
        } else {
            State::Authentication
        };
        success(out, Pack::Map(vec![]));
    }

    async fn hello(&mut self, extra: &Pack, out: &mut Vec<u8>) -> Option<Ending> {
        if self.state != State::Connected {
            self.fail(out, invalid("HELLO was already sent"));
            return None;
        }
        self.agent = extra
            .get("user_agent")
            .and_then(Pack::as_str)
            .map(str::to_string);
        let mut meta = vec![
            ("server", Pack::str(SERVER_AGENT)),
            ("connection_id", Pack::String(format!("bolt-{}", self.id))),
            ("hints", Pack::Map(vec![])),
        ];
        let wants_utc =
            matches!(extra.get("patch_bolt"), Some(Pack::List(p)) if p.contains(&Pack::str("utc")));
        if self.version.major == 4 && wants_utc {
            self.dialect.utc_datetimes = true;
            meta.push(("patch_bolt", Pack::List(vec![Pack::str("utc")])));
        }
        if self.version < (Version { major: 5, minor: 1 }) {
            // Credentials come with HELLO.
            if let Err(ending) = self.authenticate(extra, out).await {
                return Some(ending);
            }
            self.state = State::Ready;
        } else {
            self.state = State::Authentication;
        }
        success(out, map(meta));
        None
    }

    async fn logon(&mut self, auth: &Pack, out: &mut Vec<u8>) -> Option<Ending> {
        if self.state != State::Authentication {
            self.fail(out, invalid("LOGON is only allowed after HELLO or LOGOFF"));
            return None;
        }
        if let Err(ending) = self.authenticate(auth, out).await {
            return Some(ending);
        }
        self.state = State::Ready;
        success(out, Pack::Map(vec![]));
        None
    }

    /// Checks credentials; on failure answers (after the throttle's delay)
    /// and ends the connection.
    async fn authenticate(&mut self, auth: &Pack, out: &mut Vec<u8>) -> Result<(), Ending> {
        let text = |k: &str| auth.get(k).and_then(Pack::as_str).unwrap_or_default();
        let principal = text("principal").to_string();
        let ok = match &self.core.config.auth {
            None => true,
            Some(c) => text("scheme") == "basic" && c.accepts(&principal, text("credentials")),
        };
        let ip = self.peer.ip();
        if ok {
            self.core.throttle.succeeded(ip);
            self.user = Some(if principal.is_empty() {
                "anonymous".into()
            } else {
                principal
            });
            return Ok(());
        }
        tokio::time::sleep(self.core.throttle.failed(ip)).await;
        self.user = Some(principal);
        let meta = errors::protocol(
            "Neo.ClientError.Security.Unauthorized",
            "The client is unauthorized due to authentication failure.",
        );
        self.fail(out, meta);
        Err(Ending::AuthFailed)
    }

    fn route(&mut self, db: Option<String>, out: &mut Vec<u8>) {
        let address = Pack::List(vec![Pack::String(self.local.to_string())]);
        let server = |role: &str| {
            map(vec![
                ("addresses", address.clone()),
                ("role", Pack::str(role)),
            ])
        };
        let table = map(vec![
            ("ttl", Pack::Int(300)),
            ("db", Pack::String(db.unwrap_or_else(|| "neo4j".into()))),
            (
                "servers",
                Pack::List(vec![server("WRITE"), server("READ"), server("ROUTE")]),
            ),
        ]);
        success(out, map(vec![("rt", table)]));
    }

    fn begin(&mut self, extra: &Pack, out: &mut Vec<u8>) {
        if self.state != State::Ready {
            let message = format!("BEGIN is not allowed in state {:?}", self.state);
            self.fail(out, invalid(message));
            return;
        }
        let mode = if extra.get("mode").and_then(Pack::as_str) == Some("r") {
            AccessMode::Read
        } else {
            AccessMode::Write
        };
        self.tx_timeout = timeout_of(extra);
        self.tx = Some(self.core.db.begin(mode));
        self.state = State::TxReady;
        success(out, Pack::Map(vec![]));
    }

    async fn run(&mut self, query: String, params: &Pack, extra: &Pack, out: &mut Vec<u8>) {
        let in_tx = matches!(self.state, State::TxReady | State::TxStreaming);
        if !in_tx && self.state != State::Ready {
            let message = format!("RUN is not allowed in state {:?}", self.state);
            self.fail(out, invalid(message));
            return;
        }
        let params = match params_of(params) {
            Ok(p) => p,
            Err(e) => return self.fail(out, errors::failure(&e, "")),
        };
        self.cancel = CancelHandle::default();
        let options = RunOptions {
            params,
            timeout: if in_tx {
                self.tx_timeout
            } else {
                timeout_of(extra)
            },
            cancel: Some(self.cancel.clone()),
            ..RunOptions::default()
        };
        let read = extra.get("mode").and_then(Pack::as_str) == Some("r");
        let dialect = self.dialect;
        let started = Instant::now();
        let db = self.core.db.clone();
        let text = query.clone();
        let tx = self.tx.take();
        let task = tokio::task::spawn_blocking(move || match tx {
            Some(mut tx) => {
                let r = tx.run_map(&text, &options, |g, r| convert(g, r, dialect));
                (Some(tx), r)
            }
            None if read => {
                let mut tx = db.begin(AccessMode::Read);
                let r = tx.run_map(&text, &options, |g, r| convert(g, r, dialect));
                let _ = tx.commit();
                (None, r)
            }
            None => (
                None,
                db.run_map(&text, &options, |g, r| convert(g, r, dialect)),
            ),
        });
        let joined = self.await_blocking(task).await;
        let (tx, result) = match joined {
            Ok(pair) => pair,
            Err(e) => {
                let err = Error::new(ErrorClass::SemanticError, "InternalError", e);
                return self.fail(out, errors::failure(&err, ""));
            }
        };
        self.tx = tx;
        match result {
            Ok(converted) => {
                let qid = if in_tx {
                    self.next_qid += 1;
                    self.next_qid - 1
                } else {
                    -1
                };
                let query_type = match (converted.stats.is_empty(), converted.fields.is_empty()) {
                    (true, _) => "r",
                    (false, true) => "w",
                    (false, false) => "rw",
                };
                let fields = converted.fields.iter().map(|f| Pack::str(f)).collect();
                let mut meta = vec![("fields", Pack::List(fields)), ("t_first", millis(started))];
                if in_tx {
                    meta.push(("qid", Pack::Int(qid)));
                }
                self.streams.push(Stream {
                    qid,
                    had_rows: !converted.rows.is_empty(),
                    had_fields: !converted.fields.is_empty(),
                    notifications: converted.notifications,
                    rows: converted.rows.into(),
                    stats: converted.stats,
                    query_type,
                    auto_commit: !in_tx,
                });
                self.state = if in_tx {
                    State::TxStreaming
                } else {
                    State::Streaming
                };
                success(out, map(meta));
            }
            Err(e) => self.fail(out, errors::failure(&e, &query)),
        }
    }

    /// Waits for a blocking task; if the server shuts down meanwhile, the
    /// statement is cancelled (and still awaited).
    async fn await_blocking<T>(&self, mut task: tokio::task::JoinHandle<T>) -> Result<T, String> {
        let shutdown = self.core.shutdown_signal();
        tokio::select! {
            r = &mut task => return r.map_err(|e| format!("the statement's thread failed: {e}")),
            _ = shutdown => self.cancel.cancel(),
        }
        task.await
            .map_err(|e| format!("the statement's thread failed: {e}"))
    }

    fn pull(&mut self, extra: &Pack, keep: bool, out: &mut Vec<u8>) {
        if !matches!(self.state, State::Streaming | State::TxStreaming) {
            let message = format!("PULL/DISCARD is not allowed in state {:?}", self.state);
            return self.fail(out, invalid(message));
        }
        let started = Instant::now();
        let n = extra.get("n").and_then(Pack::as_int).unwrap_or(-1);
        let qid = extra.get("qid").and_then(Pack::as_int).unwrap_or(-1);
        let at = if qid == -1 {
            self.streams.len().checked_sub(1)
        } else {
            self.streams.iter().position(|s| s.qid == qid)
        };
        let Some(at) = at else {
            return self.fail(out, invalid(format!("no open result with qid {qid}")));
        };
        let stream = &mut self.streams[at];
        let take = if n < 0 {
            stream.rows.len()
        } else {
            (n as u64).min(stream.rows.len() as u64) as usize
        };
        for row in stream.rows.drain(..take) {
            if keep {
                send(out, RECORD, vec![Pack::List(row)]);
            }
        }
        if !stream.rows.is_empty() {
            return success(out, map(vec![("has_more", Pack::Bool(true))]));
        }
        let stream = self.streams.remove(at);
        let mut meta = vec![
            ("type", Pack::str(stream.query_type)),
            ("t_last", millis(started)),
            ("db", Pack::str("neo4j")),
        ];
        if !stream.stats.is_empty() {
            meta.push(("stats", stats_map(&stream.stats)));
        }
        if let Some(entry) = notices::summary_entry(
            self.version,
            &stream.notifications,
            stream.had_rows,
            stream.had_fields,
        ) {
            meta.push(entry);
        }
        if stream.auto_commit {
            meta.push(("bookmark", Pack::String(self.core.bookmark())));
            self.state = State::Ready;
        } else if self.streams.is_empty() {
            self.state = State::TxReady;
        }
        success(out, map(meta));
    }

    async fn end_tx(&mut self, commit: bool, out: &mut Vec<u8>) {
        if !matches!(self.state, State::TxReady | State::TxStreaming) {
            let what = if commit { "COMMIT" } else { "ROLLBACK" };
            let message = format!("{what} is not allowed in state {:?}", self.state);
            return self.fail(out, invalid(message));
        }
        self.streams.clear();
        let Some(tx) = self.tx.take() else {
            return self.fail(out, invalid("no open transaction"));
        };
        let task = tokio::task::spawn_blocking(move || {
            if commit {
                tx.commit().map(|_| ())
            } else {
                tx.rollback()
            }
        });
        match self.await_blocking(task).await {
            Ok(Ok(())) => {
                self.state = State::Ready;
                let meta = if commit {
                    map(vec![("bookmark", Pack::String(self.core.bookmark()))])
                } else {
                    Pack::Map(vec![])
                };
                success(out, meta);
            }
            Ok(Err(e)) => self.fail(out, errors::failure(&e, "")),
            Err(e) => {
                let err = Error::new(ErrorClass::SemanticError, "InternalError", e);
                self.fail(out, errors::failure(&err, ""));
            }
        }
    }
}

/// `tx_timeout` (milliseconds) from a RUN or BEGIN extra map.
fn timeout_of(extra: &Pack) -> Option<Duration> {
    extra
        .get("tx_timeout")
        .and_then(Pack::as_int)
        .filter(|ms| *ms > 0)
        .map(|ms| Duration::from_millis(ms as u64))
}

fn params_of(params: &Pack) -> crate::Result<BTreeMap<String, Value>> {
    match params {
        Pack::Map(entries) => entries
            .iter()
            .map(|(k, v)| Ok((k.clone(), from_pack(v)?)))
            .collect(),
        Pack::Null => Ok(BTreeMap::new()),
        other => Err(Error::new(
            ErrorClass::TypeError,
            "InvalidParameter",
            format!(
                "parameters must be a map, not a {}",
                super::packstream::kind(other)
            ),
        )),
    }
}
