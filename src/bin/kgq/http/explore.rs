//! The small endpoints the explorer page needs besides the query API:
//! graph facts (`/api/info`), names for completion (`/api/catalog`),
//! name resolution (`/api/find`, as `kgq find`), one node with its
//! aliases, one relationship with its sources and valid time, and a
//! node's neighbours for expansion. Values are in typed JSON.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::NaiveDateTime;
use kgq::resolve::{self, ALIASES, NAME};
use kgq::valid_time::{self, VALID_FROM, VALID_TO};
use kgq::{Direction, EdgeId, Graph, NodeId, Value, provenance};
use serde::Deserialize;
use serde_json::{Value as JsonValue, json};

use super::errors::ApiError;
use super::json::{Mapping, node_json, parse_element_id, relationship_json, to_json};
use crate::repl::complete::{AGGREGATES, KEYWORDS};
use kgq::server::Core;

/// The most entity names the catalog lists.
const MAX_NAMES: usize = 50_000;
/// The most neighbours one expansion returns.
const MAX_NEIGHBOURS: usize = 1_000;

type Reply = Result<Json<JsonValue>, ApiError>;

/// Runs `f` on the graph (as last committed) on a blocking thread.
async fn with_graph<T: Send + 'static>(
    core: Arc<Core>,
    f: impl FnOnce(&Graph) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let joined = tokio::task::spawn_blocking(move || match core.db.read(f) {
        Ok(reply) => reply,
        Err(e) => Err(ApiError::kgq(&e)),
    })
    .await;
    joined.unwrap_or_else(|_| {
        Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Neo.DatabaseError.General.UnknownError",
            "the request stopped unexpectedly",
        ))
    })
}

fn node_id(text: &str, graph: &Graph) -> Result<NodeId, ApiError> {
    parse_element_id(text, true)
        .map(NodeId)
        .filter(|id| graph.node(*id).is_some())
        .ok_or_else(|| {
            ApiError::not_found(
                "Neo.ClientError.Statement.EntityNotFound",
                format!("no node {text:?}"),
            )
        })
}

fn relationship_id(text: &str, graph: &Graph) -> Result<EdgeId, ApiError> {
    parse_element_id(text, false)
        .map(EdgeId)
        .filter(|id| graph.relationship(*id).is_some())
        .ok_or_else(|| {
            ApiError::not_found(
                "Neo.ClientError.Statement.EntityNotFound",
                format!("no relationship {text:?}"),
            )
        })
}

/// `GET /api/info`: counts, whether writes are refused, and the span of
/// dates the graph's facts cover (for the time slider).
pub async fn info(State(core): State<Arc<Core>>) -> Reply {
    let read_only = core.db.is_read_only();
    with_graph(core, move |graph| {
        let range = time_range(graph);
        Ok(Json(json!({
            "database": super::query::DATABASE,
            "version": env!("CARGO_PKG_VERSION"),
            "nodes": graph.node_count(),
            "relationships": graph.relationship_count(),
            "readOnly": read_only,
            "timeRange": range.map(|(a, b)| json!({
                "min": a.date().to_string(),
                "max": b.date().to_string(),
            })),
        })))
    })
    .await
}

/// The earliest and latest `valid_from`, `valid_to` and `date` of any
/// node or relationship.
fn time_range(graph: &Graph) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let mut range: Option<(NaiveDateTime, NaiveDateTime)> = None;
    let mut see = |value: &Value| {
        if let Ok(Some(t)) = valid_time::instant_of(value, "") {
            range = Some(match range {
                Some((a, b)) => (a.min(t), b.max(t)),
                None => (t, t),
            });
        }
    };
    for key in [VALID_FROM, VALID_TO, "date"] {
        for id in graph.relationships() {
            if let Some(v) = graph.relationship_property(id, key) {
                see(&v);
            }
        }
        for id in graph.nodes() {
            if let Some(v) = graph.node_property(id, key) {
                see(&v);
            }
        }
    }
    range
}

/// `GET /api/catalog`: what the editor completes — keywords (the
/// shell's), functions, labels, relationship types, property keys and
/// entity names with their aliases (from the alias index).
pub async fn catalog(State(core): State<Arc<Core>>) -> Reply {
    with_graph(core, |graph| {
        let mut labels: Vec<&str> = graph
            .all_labels()
            .filter(|(id, _)| graph.label_count(*id) > 0)
            .map(|(_, n)| n)
            .collect();
        labels.sort_unstable();
        let mut types: Vec<&str> = graph.all_types().map(|(_, n)| n).collect();
        types.sort_unstable();
        let mut keys: Vec<&str> = graph.all_keys().map(|(_, n)| n).collect();
        keys.sort_unstable();
        let mut functions: Vec<&str> = kgq::exec::functions::all().iter().map(|f| f.name).collect();
        functions.extend(AGGREGATES);
        functions.sort_unstable();
        functions.dedup();
        let index = graph.alias_index();
        let mut names: BTreeMap<NodeId, (String, Vec<String>)> = BTreeMap::new();
        for form in index.forms() {
            if names.len() >= MAX_NAMES && !names.contains_key(&form.node) {
                continue;
            }
            let Some(Value::String(name)) = graph.node_property(form.node, NAME) else {
                continue;
            };
            let entry = names
                .entry(form.node)
                .or_insert_with(|| (name.to_string(), Vec::new()));
            if !form.is_name && !entry.1.contains(&form.text) {
                entry.1.push(form.text.clone());
            }
        }
        let names: Vec<JsonValue> = names
            .into_iter()
            .map(|(id, (name, aliases))| {
                json!({"name": name, "labels": graph.node_labels(id), "aliases": aliases})
            })
            .collect();
        Ok(Json(json!({
            "keywords": KEYWORDS,
            "functions": functions,
            "labels": labels,
            "types": types,
            "keys": keys,
            "names": names,
        })))
    })
    .await
}

/// The query string of `/api/find`.
#[derive(Debug, Deserialize)]
pub struct FindQuery {
    q: String,
    limit: Option<usize>,
}

/// `GET /api/find?q=TEXT`: the nodes whose name or alias resembles TEXT,
/// best first, as `kgq find` lists them.
pub async fn find(State(core): State<Arc<Core>>, Query(query): Query<FindQuery>) -> Reply {
    let limit = query.limit.unwrap_or(10).min(100);
    with_graph(core, move |graph| {
        let found = resolve::find(graph, &query.q, resolve::FIND_THRESHOLD, limit);
        let candidates: Vec<JsonValue> = found
            .iter()
            .map(|c| {
                json!({
                    "score": (c.score * 1000.0).round() / 1000.0,
                    "matched": c.matched,
                    "isName": c.is_name,
                    "node": node_json(c.node, graph, Mapping::Typed),
                })
            })
            .collect();
        Ok(Json(json!({"candidates": candidates})))
    })
    .await
}

/// The aliases of a node (its `aliases` property, a string or a list).
fn aliases(graph: &Graph, id: NodeId) -> Vec<String> {
    match graph.node_property(id, ALIASES) {
        Some(Value::String(s)) => vec![s.to_string()],
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The sources behind a node's relationships, each with how many of its
/// facts it reports, most first.
fn node_sources(graph: &Graph, id: NodeId) -> Vec<JsonValue> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (edge, _, _) in graph.relationships_of(id, Direction::Both) {
        for name in provenance::source_names(
            graph
                .relationship_property(edge, provenance::SOURCE)
                .as_ref(),
        ) {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut sources: Vec<(String, usize)> = counts.into_iter().collect();
    sources.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sources
        .into_iter()
        .map(|(name, facts)| json!({"name": name, "facts": facts}))
        .collect()
}

/// `GET /api/node/{elementId}`: the node, its aliases, its degree and
/// the sources of its relationships.
pub async fn node(State(core): State<Arc<Core>>, Path(id): Path<String>) -> Reply {
    with_graph(core, move |graph| {
        let id = node_id(&id, graph)?;
        Ok(Json(json!({
            "node": node_json(id, graph, Mapping::Typed),
            "aliases": aliases(graph, id),
            "degree": graph.degree(id),
            "sources": node_sources(graph, id),
        })))
    })
    .await
}

/// `GET /api/relationship/{elementId}`: the relationship, its ends, its
/// sources (each with the source's node when the graph has one) and its
/// valid time (`valid_from`, `valid_to`, `date`, `reported_on`).
pub async fn relationship(State(core): State<Arc<Core>>, Path(id): Path<String>) -> Reply {
    with_graph(core, move |graph| {
        let id = relationship_id(&id, graph)?;
        let (start, end) = graph.endpoints(id).ok_or_else(|| {
            ApiError::not_found(
                "Neo.ClientError.Statement.EntityNotFound",
                "no such relationship",
            )
        })?;
        let sources: Vec<JsonValue> =
            provenance::source_names(graph.relationship_property(id, provenance::SOURCE).as_ref())
                .into_iter()
                .map(|name| {
                    let node = provenance::source_node(graph, &name)
                        .map(|n| node_json(n, graph, Mapping::Typed));
                    json!({"name": name, "node": node})
                })
                .collect();
        let prop = |key: &str| {
            graph
                .relationship_property(id, key)
                .map(|v| to_json(&v, graph, Mapping::Typed))
        };
        Ok(Json(json!({
            "relationship": relationship_json(id, graph, Mapping::Typed),
            "start": node_json(start, graph, Mapping::Typed),
            "end": node_json(end, graph, Mapping::Typed),
            "sources": sources,
            "reportedOn": prop(provenance::REPORTED_ON),
            "validTime": {
                "validFrom": prop(VALID_FROM),
                "validTo": prop(VALID_TO),
                "date": prop("date"),
            },
        })))
    })
    .await
}

/// The query string of `/api/neighbours`.
#[derive(Debug, Deserialize)]
pub struct NeighboursQuery {
    limit: Option<usize>,
    #[serde(rename = "asOf")]
    as_of: Option<String>,
}

/// `GET /api/neighbours/{elementId}?limit=N&asOf=DATE`: the node's
/// relationships and the nodes at their other ends (valid at `asOf`
/// when given), at most `limit` of them, and how many there are.
pub async fn neighbours(
    State(core): State<Arc<Core>>,
    Path(id): Path<String>,
    Query(query): Query<NeighboursQuery>,
) -> Reply {
    let limit = query.limit.unwrap_or(200).min(MAX_NEIGHBOURS);
    let at = match query.as_of.as_deref().map(valid_time::parse_instant) {
        None => None,
        Some(Err(e)) => return Err(ApiError::invalid(format!("asOf: {}", e.message))),
        Some(Ok(v)) => valid_time::instant_of(&v, "asOf")
            .map_err(|e| ApiError::invalid(format!("asOf: {}", e.message)))?,
    };
    with_graph(core, move |graph| {
        let id = node_id(&id, graph)?;
        let valid = |ok: kgq::Result<bool>| ok.unwrap_or(false);
        let mut nodes = vec![node_json(id, graph, Mapping::Typed)];
        let mut relationships = Vec::new();
        let mut total = 0usize;
        for (edge, other, _) in graph.relationships_of(id, Direction::Both) {
            if let Some(t) = at
                && !(valid(valid_time::relationship_valid_at(graph, edge, t))
                    && valid(valid_time::node_valid_at(graph, other, t)))
            {
                continue;
            }
            total += 1;
            if relationships.len() < limit {
                relationships.push(relationship_json(edge, graph, Mapping::Typed));
                nodes.push(node_json(other, graph, Mapping::Typed));
            }
        }
        Ok(Json(json!({
            "nodes": nodes,
            "relationships": relationships,
            "total": total,
        })))
    })
    .await
}
