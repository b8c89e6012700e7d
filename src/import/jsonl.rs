//! Reading JSON lines written by `kgq export jsonl` (or APOC's JSON
//! export): one object per line, `{"type": "node", "id", "labels",
//! "properties"}` or `{"type": "relationship", "id", "label", "start",
//! "end", "properties"}`. Ids may be numbers or strings and are shared by
//! all files of one import; relationships may come before their nodes.
//! Property values are read by [`crate::export::jsonl::from_json`].

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Map, Value as Json};

use super::{ImportStats, at_line};
use crate::error::{Error, Result};
use crate::export::jsonl::from_json;
use crate::graph::{Graph, KeyId, NodeId};
use crate::value::Value;

/// A relationship waiting for its ends.
struct Pending {
    file: usize,
    line: u64,
    start: String,
    end: String,
    rel_type: String,
    properties: Vec<(KeyId, Value)>,
}

/// Loads JSONL files into a new graph.
pub fn load_files(paths: &[PathBuf]) -> Result<(Graph, ImportStats)> {
    let started = Instant::now();
    let mut graph = Graph::new();
    let mut ids: HashMap<String, NodeId> = HashMap::new();
    let mut pending: Vec<Pending> = Vec::new();
    let mut stats = ImportStats::default();
    for (f, path) in paths.iter().enumerate() {
        let file = File::open(path).map_err(|e| Error::io(&path.display().to_string(), &e))?;
        stats.files += 1;
        stats.bytes += file.metadata().map_or(0, |m| m.len());
        let mut reader = BufReader::new(file);
        let mut text = String::new();
        let mut line = 0u64;
        loop {
            text.clear();
            let n = reader.read_line(&mut text).map_err(|e| {
                at_line(
                    path,
                    line + 1,
                    "BadJsonLine",
                    &format!("cannot read the line: {e}"),
                )
            })?;
            if n == 0 {
                break;
            }
            line += 1;
            let fail = |m: &str| at_line(path, line, "BadJsonLine", m);
            let trimmed = text.trim();
            if trimmed.is_empty() {
                continue;
            }
            let json: Json =
                serde_json::from_str(trimmed).map_err(|e| fail(&format!("not valid JSON: {e}")))?;
            let Json::Object(obj) = json else {
                return Err(fail("each line must be a JSON object"));
            };
            let props = properties(&mut graph, &obj).map_err(|m| fail(&m))?;
            match obj.get("type").and_then(Json::as_str) {
                Some("node") => {
                    let labels = match obj.get("labels") {
                        None | Some(Json::Null) => Vec::new(),
                        Some(Json::Array(items)) => items
                            .iter()
                            .map(|l| l.as_str().ok_or_else(|| fail("labels must be strings")))
                            .collect::<Result<Vec<_>>>()?,
                        Some(_) => return Err(fail("`labels` must be a list of strings")),
                    };
                    let labels = labels.iter().map(|l| graph.intern_label(l)).collect();
                    let node = graph.add_node(labels, props);
                    if let Some(id) = obj.get("id") {
                        let key =
                            id_key(id).ok_or_else(|| fail("`id` must be a number or a string"))?;
                        if ids.insert(key, node).is_some() {
                            return Err(fail(&format!("the node id {id} appears twice")));
                        }
                    }
                    stats.nodes += 1;
                }
                Some("relationship") => {
                    let rel_type = obj
                        .get("label")
                        .or_else(|| obj.get("rel_type"))
                        .and_then(Json::as_str)
                        .filter(|t| !t.is_empty())
                        .ok_or_else(|| fail("a relationship needs a `label` (its type)"))?;
                    let end = |name: &str| {
                        obj.get(name)
                            .map(|v| v.get("id").unwrap_or(v))
                            .and_then(id_key)
                            .ok_or_else(|| {
                                fail(&format!("a relationship needs a `{name}` node id"))
                            })
                    };
                    pending.push(Pending {
                        file: f,
                        line,
                        start: end("start")?,
                        end: end("end")?,
                        rel_type: rel_type.to_string(),
                        properties: props,
                    });
                }
                _ => return Err(fail("`type` must be \"node\" or \"relationship\"")),
            }
        }
    }
    for p in pending {
        let path = &paths[p.file];
        let node = |key: &str| {
            ids.get(key).copied().ok_or_else(|| {
                at_line(
                    path,
                    p.line,
                    "BadJsonLine",
                    &format!("no node has id {key}"),
                )
            })
        };
        let (a, b) = (node(&p.start)?, node(&p.end)?);
        let t = graph.intern_type(&p.rel_type);
        graph.add_relationship(a, b, t, p.properties);
        stats.relationships += 1;
    }
    stats.seconds = started.elapsed().as_secs_f64();
    Ok((graph, stats))
}

/// A node id as a map key: numbers and strings apart (`1` ≠ `"1"`).
fn id_key(id: &Json) -> Option<String> {
    match id {
        Json::Number(n) => Some(n.to_string()),
        Json::String(s) => Some(Json::String(s.clone()).to_string()),
        _ => None,
    }
}

fn properties(graph: &mut Graph, obj: &Map<String, Json>) -> Result<Vec<(KeyId, Value)>, String> {
    let mut out = Vec::new();
    match obj.get("properties") {
        None | Some(Json::Null) => {}
        Some(Json::Object(props)) => {
            for (k, v) in props {
                let value = from_json(v).map_err(|m| format!("property `{k}`: {m}"))?;
                if !value.is_null() {
                    out.push((graph.intern_key(k), value));
                }
            }
        }
        Some(_) => return Err("`properties` must be an object".to_string()),
    }
    Ok(out)
}

/// Reads one JSONL file (see [`load_files`]).
pub fn load_file(path: &Path) -> Result<Graph> {
    load_files(&[path.to_path_buf()]).map(|(g, _)| g)
}
