//! Snapshots: a whole graph in one file, with a fixed header (magic,
//! format version, flags, payload length, CRC-32) and a bincode payload.
//! `docs/snapshot-format.md` specifies the bytes.
//!
//! Saving is atomic: the bytes go to a temporary file in the same folder,
//! which is synced and renamed over the target, and the folder is synced.
//! Loading checks magic, version, length and checksum before decoding, and
//! decodes with a size limit; no file content can make it panic or
//! allocate much more than the file's size.
//!
//! ```
//! # let dir = tempfile::tempdir().unwrap();
//! # let path = dir.path().join("g.kgqs");
//! let mut graph = kgq::Graph::new();
//! graph.add_node_with(&["Country"], [("name", kgq::Value::from("Russia"))]);
//! kgq::snapshot::save(&graph, &path).unwrap();
//! let loaded = kgq::snapshot::load(&path).unwrap();
//! assert_eq!(loaded.node_count(), 1);
//! ```

pub mod columnar;
mod file;
pub mod header;
pub mod payload;
pub mod value_codec;

use std::collections::BTreeMap;
use std::path::Path;

pub(crate) use file::{io_error as file_io_error, sync_parent};
pub use file::{read_file, write_atomic};
pub use header::{CURRENT_VERSION, MAGIC};

use crate::error::Result;
use crate::graph::Graph;
use columnar::PayloadV3;
use header::{Header, format_error};
use payload::{Meta, PayloadV1, PayloadV2};

use crate::schema::Schema;

/// The most payload bytes a snapshot may have (and the decoder's limit).
pub const MAX_PAYLOAD_LEN: u64 = 1 << 32;

const LIMIT: usize = 1 << 32;

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<LIMIT>()
}

/// What [`inspect`] reports about a snapshot file.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotInfo {
    /// The format version of the file.
    pub format_version: u32,
    /// The header's flag bits.
    pub flags: u32,
    /// The payload's length in bytes.
    pub payload_len: u64,
    /// Whether the payload matches the stored checksum.
    pub checksum_ok: bool,
    /// The kgq version that wrote the file.
    pub kgq_version: String,
    /// When the file was written, in seconds since the Unix epoch.
    pub created_unix: i64,
    /// The store generation (0 for plain snapshots).
    pub generation: u64,
    /// How many nodes the snapshot holds.
    pub node_count: usize,
    /// How many relationships it holds.
    pub relationship_count: usize,
    /// Node count per label, by label name.
    pub labels: BTreeMap<String, usize>,
    /// Relationship count per type, by type name.
    pub types: BTreeMap<String, usize>,
}

/// Whether `prefix` (the first bytes of a file, at least 8) starts like a
/// snapshot; use it to tell snapshots from scripts by content.
pub fn looks_like_snapshot(prefix: &[u8]) -> bool {
    prefix.starts_with(&MAGIC)
}

/// Whether the file at `path` starts like a snapshot (reads 8 bytes);
/// for telling snapshots from scripts by content, not by name.
pub fn is_snapshot_file(path: impl AsRef<Path>) -> Result<bool> {
    use std::io::Read;
    let path = path.as_ref();
    let mut prefix = Vec::with_capacity(MAGIC.len());
    std::fs::File::open(path)
        .and_then(|f| f.take(MAGIC.len() as u64).read_to_end(&mut prefix))
        .map_err(|e| file::io_error("ReadFailed", path, "read", e))?;
    Ok(looks_like_snapshot(&prefix))
}

fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

fn meta(generation: u64) -> Meta {
    Meta {
        kgq_version: env!("CARGO_PKG_VERSION").to_string(),
        created_unix: now_unix(),
        generation,
    }
}

/// The snapshot bytes of `graph` (generation 0).
pub fn to_bytes(graph: &Graph) -> Result<Vec<u8>> {
    to_bytes_with_generation(graph, 0)
}

/// The snapshot bytes of `graph`, recording a store generation.
pub fn to_bytes_with_generation(graph: &Graph, generation: u64) -> Result<Vec<u8>> {
    let payload = columnar::from_graph(graph, meta(generation))?;
    let encode_error = |e: bincode::error::EncodeError| {
        format_error("EncodeFailed", format!("cannot encode the snapshot: {e}"))
    };
    let mut body = bincode::serde::encode_to_vec(&payload, bincode::config::standard())
        .map_err(encode_error)?;
    // Snapshots of graphs without a schema stay byte for byte as before;
    // full-text definitions get their own section, so that snapshots
    // without them keep the older form.
    let mut flags = 0;
    let schema = graph.schema();
    if !schema.indexes.is_empty() || !schema.constraints.is_empty() {
        flags |= header::FLAG_SCHEMA;
        body.extend(
            bincode::serde::encode_to_vec(
                (&schema.indexes, &schema.constraints),
                bincode::config::standard(),
            )
            .map_err(encode_error)?,
        );
    }
    if !schema.fulltext.is_empty() {
        flags |= header::FLAG_FULLTEXT;
        body.extend(
            bincode::serde::encode_to_vec(&schema.fulltext, bincode::config::standard())
                .map_err(encode_error)?,
        );
    }
    if body.len() as u64 > MAX_PAYLOAD_LEN {
        return Err(format_error(
            "TooLarge",
            "the graph is too large for one snapshot (payload over 4 GiB)",
        ));
    }
    let mut out = Vec::with_capacity(header::HEADER_LEN_V2 + body.len());
    out.extend_from_slice(&header::encode_v2(&body, flags));
    out.extend_from_slice(&body);
    Ok(out)
}

/// Splits and checks header, length and checksum; returns the payload.
fn checked_payload(bytes: &[u8]) -> Result<(Header, &[u8])> {
    let header = header::parse(bytes)?;
    let rest = &bytes[header.len()..];
    header::check_length(&header, rest.len() as u64)?;
    if !header::checksum_ok(&header, rest) {
        return Err(header::bad_checksum(&header, rest));
    }
    Ok((header, rest))
}

/// A decoded payload: element records (formats 1 and 2) or tables
/// (format 3).
enum Decoded {
    Records(PayloadV2),
    Tables(PayloadV3<'static>),
}

impl Decoded {
    fn meta(&self) -> &Meta {
        match self {
            Decoded::Records(p) => &p.meta,
            Decoded::Tables(p) => &p.meta,
        }
    }
}

fn bad_payload(e: bincode::error::DecodeError) -> crate::Error {
    format_error(
        "BadPayload",
        format!("the snapshot's payload cannot be decoded: {e}"),
    )
}

fn unused_bytes() -> crate::Error {
    format_error("BadPayload", "the payload has unused bytes at its end")
}

/// Decodes the graph part of a payload of format 2 or 3 and the sections
/// its flags announce (schema, full-text definitions).
fn decode_sections<T: serde::de::DeserializeOwned>(
    header: &Header,
    body: &[u8],
) -> Result<(T, Schema)> {
    let (graph, used): (T, usize) =
        bincode::serde::decode_from_slice(body, config()).map_err(bad_payload)?;
    let mut rest = &body[used.min(body.len())..];
    let mut schema = Schema::default();
    if header.flags & header::FLAG_SCHEMA != 0 {
        let ((indexes, constraints), used) =
            bincode::serde::decode_from_slice(rest, config()).map_err(bad_payload)?;
        schema.indexes = indexes;
        schema.constraints = constraints;
        rest = &rest[used.min(rest.len())..];
    }
    if header.flags & header::FLAG_FULLTEXT != 0 {
        let (fulltext, used) =
            bincode::serde::decode_from_slice(rest, config()).map_err(bad_payload)?;
        schema.fulltext = fulltext;
        rest = &rest[used.min(rest.len())..];
    }
    if !rest.is_empty() {
        return Err(unused_bytes());
    }
    Ok((graph, schema))
}

fn decode_payload(header: &Header, body: &[u8]) -> Result<(Decoded, Schema)> {
    match header.version {
        1 => {
            let (v1, used): (PayloadV1, usize) =
                bincode::serde::decode_from_slice(body, config()).map_err(bad_payload)?;
            if used != body.len() {
                return Err(unused_bytes());
            }
            Ok((Decoded::Records(v1.into()), Schema::default()))
        }
        2 => {
            let (p, schema) = decode_sections(header, body)?;
            Ok((Decoded::Records(p), schema))
        }
        _ => {
            let (p, schema) = decode_sections(header, body)?;
            Ok((Decoded::Tables(p), schema))
        }
    }
}

/// Decodes a snapshot held in memory, returning the graph and its
/// metadata.
pub fn from_bytes_with_meta(bytes: &[u8]) -> Result<(Graph, Meta)> {
    let (header, body) = checked_payload(bytes)?;
    let (payload, schema) = decode_payload(&header, body)?;
    let meta = payload.meta().clone();
    let mut graph = match payload {
        Decoded::Records(p) => payload::to_graph(p)?,
        Decoded::Tables(p) => columnar::to_graph(p)?,
    };
    *graph.schema_mut() = schema;
    graph.sync_fulltext();
    Ok((graph, meta))
}

/// Decodes a snapshot held in memory.
pub fn from_bytes(bytes: &[u8]) -> Result<Graph> {
    from_bytes_with_meta(bytes).map(|(g, _)| g)
}

/// Saves `graph` to `path` atomically (a crash leaves the old file intact).
pub fn save(graph: &Graph, path: impl AsRef<Path>) -> Result<()> {
    write_atomic(path.as_ref(), &to_bytes(graph)?)
}

/// Loads the graph saved at `path`.
pub fn load(path: impl AsRef<Path>) -> Result<Graph> {
    from_bytes(&read_file(path.as_ref())?)
}

/// Loads the graph saved at `path` with its metadata.
pub fn load_with_meta(path: impl AsRef<Path>) -> Result<(Graph, Meta)> {
    from_bytes_with_meta(&read_file(path.as_ref())?)
}

/// Reports what a snapshot file holds. Damaged checksums are reported in
/// [`SnapshotInfo::checksum_ok`] rather than as an error when the payload
/// still decodes; a file that cannot be decoded at all is an error.
pub fn inspect(path: impl AsRef<Path>) -> Result<SnapshotInfo> {
    inspect_bytes(&read_file(path.as_ref())?)
}

/// [`inspect`] for bytes in memory.
pub fn inspect_bytes(bytes: &[u8]) -> Result<SnapshotInfo> {
    let header = header::parse(bytes)?;
    let body = &bytes[header.len()..];
    header::check_length(&header, body.len() as u64)?;
    let checksum_ok = header::checksum_ok(&header, body);
    let (payload, _) = decode_payload(&header, body).map_err(|e| {
        if checksum_ok {
            e
        } else {
            header::bad_checksum(&header, body)
        }
    })?;
    let mut labels = BTreeMap::new();
    let mut types = BTreeMap::new();
    let (node_count, relationship_count) = match &payload {
        Decoded::Records(payload) => {
            for node in &payload.nodes {
                for l in &node.labels {
                    let name = payload.labels.get(*l as usize).cloned().unwrap_or_default();
                    *labels.entry(name).or_insert(0) += 1;
                }
            }
            for rel in &payload.relationships {
                let name = payload
                    .types
                    .get(rel.rel_type as usize)
                    .cloned()
                    .unwrap_or_default();
                *types.entry(name).or_insert(0) += 1;
            }
            (payload.nodes.len(), payload.relationships.len())
        }
        Decoded::Tables(payload) => {
            let counts = columnar::counts(payload);
            for (name, n) in counts.labels {
                *labels.entry(name).or_insert(0) += n;
            }
            for (name, n) in counts.types {
                *types.entry(name).or_insert(0) += n;
            }
            (counts.nodes, counts.relationships)
        }
    };
    let meta = payload.meta().clone();
    Ok(SnapshotInfo {
        format_version: header.version,
        flags: header.flags,
        payload_len: header.payload_len,
        checksum_ok,
        kgq_version: meta.kgq_version,
        created_unix: meta.created_unix,
        generation: meta.generation,
        node_count,
        relationship_count,
        labels,
        types,
    })
}
