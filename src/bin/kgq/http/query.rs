//! `POST /db/{name}/query/v2`: one statement in, Neo4j's Query API reply
//! out, in its own transaction (auto-commit). The reply streams: rows are
//! turned into JSON chunk by chunk as the client reads them, so a large
//! result is never held as one text. (The rows themselves are computed
//! before the first byte is sent.) The graph stays read-locked while the
//! reply is written; a client that stops reading for [`STALL`] loses its
//! reply, so writers never wait on a slow reader for longer.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kgq::database::RunOptions;
use kgq::server::Core;
use kgq::{Graph, QueryResult, Stats};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::sync::oneshot;
use tokio_stream::wrappers::ReceiverStream;

use super::errors::ApiError;
use super::json::{self, Mapping, TYPED_MEDIA};

/// The only database name served.
pub const DATABASE: &str = "kgq";
/// Bytes of JSON gathered before a chunk is sent.
const CHUNK_BYTES: usize = 64 << 10;
/// Chunks waiting to be sent before the writer waits for the client.
const CHUNKS_IN_FLIGHT: usize = 8;
/// How long the writer waits for a client that reads nothing.
const STALL: Duration = Duration::from_secs(30);

/// The request body.
/// Other fields Neo4j clients send (`includeCounters`, `bookmarks`, …) are
/// ignored: counters are always sent and one graph needs no bookmarks.
#[derive(Debug, Deserialize)]
struct QueryRequest {
    statement: String,
    #[serde(default)]
    parameters: Option<serde_json::Map<String, serde_json::Value>>,
    /// kgq's extension: run as of this date (valid time), like `--as-of`.
    #[serde(default, rename = "asOf")]
    as_of: Option<String>,
}

fn mapping_of(headers: &HeaderMap, name: header::HeaderName) -> Mapping {
    let typed = headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(TYPED_MEDIA));
    if typed {
        Mapping::Typed
    } else {
        Mapping::Plain
    }
}

/// Runs the statement and streams its reply.
pub async fn handle(
    State(core): State<Arc<Core>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if name != DATABASE {
        return ApiError::not_found(
            "Neo.ClientError.Database.DatabaseNotFound",
            format!("no database {name:?}: this server has one database, {DATABASE:?}"),
        )
        .into_response();
    }
    let request: QueryRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return ApiError::invalid(format!("the request body: {e}")).into_response(),
    };
    let param_mapping = mapping_of(&headers, header::CONTENT_TYPE);
    let mut params = BTreeMap::new();
    for (key, value) in request.parameters.iter().flatten() {
        match json::from_json(value, param_mapping) {
            Ok(v) => {
                params.insert(key.clone(), v);
            }
            Err(e) => {
                return ApiError::invalid(format!("parameter ${key}: {e}")).into_response();
            }
        }
    }
    let as_of = match request.as_of.as_deref().map(kgq::valid_time::parse_instant) {
        Some(Err(e)) => return ApiError::invalid(format!("asOf: {}", e.message)).into_response(),
        Some(Ok(v)) => Some(v),
        None => None,
    };
    let mapping = mapping_of(&headers, header::ACCEPT);
    let (started_tx, started_rx) = oneshot::channel();
    let (chunks_tx, chunks_rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(CHUNKS_IN_FLIGHT);
    let statement = request.statement;
    let options = RunOptions {
        params,
        as_of,
        ..RunOptions::default()
    };
    tokio::task::spawn_blocking(move || {
        let mut started = Some(started_tx);
        let outcome = core.db.run_map(&statement, &options, |graph, result| {
            let ok = started.take().is_some_and(|tx| tx.send(Ok(())).is_ok());
            if ok {
                let mut writer = ChunkWriter::new(chunks_tx);
                write_reply(&result, graph, mapping, &mut writer);
                writer.finish();
            }
        });
        if let (Err(e), Some(tx)) = (outcome, started) {
            let _ = tx.send(Err(ApiError::statement(&e, &statement)));
        }
    });
    match started_rx.await {
        Ok(Ok(())) => {
            let content_type = match mapping {
                Mapping::Typed => "application/vnd.neo4j.query.v1.1",
                Mapping::Plain => "application/json",
            };
            (
                StatusCode::ACCEPTED,
                [(header::CONTENT_TYPE, content_type)],
                Body::from_stream(ReceiverStream::new(chunks_rx)),
            )
                .into_response()
        }
        Ok(Err(e)) => e.into_response(),
        Err(_) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Neo.DatabaseError.General.UnknownError",
            "the statement stopped unexpectedly",
        )
        .into_response(),
    }
}

/// Gathers JSON text and sends it in chunks; stops quietly when the client
/// has gone.
struct ChunkWriter {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
    closed: bool,
}

impl ChunkWriter {
    fn new(sender: mpsc::Sender<Result<Bytes, std::io::Error>>) -> ChunkWriter {
        ChunkWriter {
            buffer: Vec::with_capacity(CHUNK_BYTES),
            sender,
            closed: false,
        }
    }

    fn push(&mut self, text: &[u8]) {
        self.buffer.extend_from_slice(text);
        if self.buffer.len() >= CHUNK_BYTES {
            self.flush();
        }
    }

    fn push_json(&mut self, value: &serde_json::Value) {
        // Writing JSON into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.buffer, value);
        if self.buffer.len() >= CHUNK_BYTES {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.buffer.is_empty() || self.closed {
            self.buffer.clear();
            return;
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        let mut chunk = Ok(chunk);
        let since = Instant::now();
        loop {
            match self.sender.try_send(chunk) {
                Ok(()) => return,
                Err(TrySendError::Closed(_)) => break,
                Err(TrySendError::Full(back)) if since.elapsed() < STALL => {
                    chunk = back;
                    std::thread::sleep(Duration::from_millis(2));
                }
                // The client stopped reading: give up its reply.
                Err(TrySendError::Full(_)) => break,
            }
        }
        self.closed = true;
    }

    fn finish(mut self) {
        self.flush();
    }
}

/// `{"data": {"fields", "values"}, "counters", "notifications"}`.
fn write_reply(result: &QueryResult, graph: &Graph, mapping: Mapping, out: &mut ChunkWriter) {
    out.push(b"{\"data\":{\"fields\":");
    out.push_json(&json!(result.columns));
    out.push(b",\"values\":[");
    for (i, row) in result.rows.iter().enumerate() {
        if out.closed {
            return;
        }
        if i > 0 {
            out.push(b",");
        }
        let values: Vec<serde_json::Value> = row
            .iter()
            .map(|v| json::to_json(v, graph, mapping))
            .collect();
        out.push_json(&serde_json::Value::Array(values));
    }
    out.push(b"]},\"counters\":");
    out.push_json(&counters(&result.stats));
    out.push(b",\"notifications\":");
    out.push_json(&crate::output::notifications_json(&result.notifications));
    if let Some(plan) = &result.plan {
        out.push(b",\"plan\":");
        out.push_json(&json!(plan));
    }
    out.push(b"}");
}

/// The counters Neo4j reports, from what the statement changed.
fn counters(stats: &Stats) -> serde_json::Value {
    json!({
        "containsUpdates": !stats.is_empty(),
        "nodesCreated": stats.nodes_created,
        "nodesDeleted": stats.nodes_deleted,
        "propertiesSet": stats.properties_set,
        "relationshipsCreated": stats.relationships_created,
        "relationshipsDeleted": stats.relationships_deleted,
        "labelsAdded": stats.labels_added,
        "labelsRemoved": stats.labels_removed,
        "indexesAdded": 0,
        "indexesRemoved": 0,
        "constraintsAdded": 0,
        "constraintsRemoved": 0,
        "containsSystemUpdates": false,
        "systemUpdates": 0,
    })
}
