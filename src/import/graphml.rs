//! Reading GraphML: what `kgq export graphml` writes, and GraphML from
//! other tools. Each `<key>`'s `attr.type` (`boolean`, `int`, `long`,
//! `float`, `double`, `string`) types its values; a `kgq:type` attribute
//! (`date`, …, `list`) reads string values as those types. The node key
//! named `labels` (`:A:B`) gives labels and the edge key named `label`
//! the relationship type (as APOC writes them); an edge without one is a
//! `RELATED_TO`. Node ids are per file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

use super::{ImportStats, at_line};
use crate::error::Result;
use crate::graph::{Graph, KeyId, LabelId, NodeId};
use crate::value::{Value, tagged};

/// The relationship type of edges that carry none.
pub const DEFAULT_TYPE: &str = "RELATED_TO";

/// What a `<key>` declares.
#[derive(Debug, Clone)]
struct Key {
    name: String,
    for_node: bool,
    attr_type: String,
    kgq_type: Option<String>,
}

/// The element whose `<data>` is being read.
enum Owner {
    Node {
        id: String,
        labels: Vec<LabelId>,
        props: Vec<(KeyId, Value)>,
        line: u64,
    },
    Edge {
        source: String,
        target: String,
        rel_type: Option<String>,
        props: Vec<(KeyId, Value)>,
        line: u64,
    },
}

struct Edge {
    source: String,
    target: String,
    rel_type: String,
    props: Vec<(KeyId, Value)>,
    line: u64,
}

/// Loads GraphML files into a new graph.
pub fn load_files(paths: &[PathBuf]) -> Result<(Graph, ImportStats)> {
    let started = Instant::now();
    let mut graph = Graph::new();
    let mut stats = ImportStats::default();
    for path in paths {
        let text = stats.read_text(path)?;
        let (nodes, rels) = load_text(&mut graph, &text, path)?;
        stats.nodes += nodes;
        stats.relationships += rels;
    }
    stats.seconds = started.elapsed().as_secs_f64();
    Ok((graph, stats))
}

/// The line of byte offset `at` in `text`.
fn line_of(text: &str, at: u64) -> u64 {
    Lines::default().at(text, at)
}

/// Line numbers of increasing byte offsets, counted incrementally.
#[derive(Default)]
struct Lines {
    offset: usize,
    line: u64,
}

impl Lines {
    /// The line of byte offset `at` (offsets before the last one asked
    /// restart the count).
    fn at(&mut self, text: &str, at: u64) -> u64 {
        let at = usize::try_from(at).unwrap_or(usize::MAX).min(text.len());
        if at < self.offset {
            *self = Lines::default();
        }
        let newlines = text.as_bytes()[self.offset..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.line += newlines as u64;
        self.offset = at;
        self.line + 1
    }
}

fn attributes(e: &BytesStart<'_>) -> std::result::Result<HashMap<String, String>, String> {
    let mut out = HashMap::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| format!("bad attribute: {err}"))?;
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| format!("bad attribute value: {err}"))?;
        out.insert(key, value.into_owned());
    }
    Ok(out)
}

/// Reads one document into `graph`; returns the nodes and relationships added.
fn load_text(graph: &mut Graph, text: &str, path: &Path) -> Result<(u64, u64)> {
    let mut reader = Reader::from_str(text);
    let mut keys: HashMap<String, Key> = HashMap::new();
    let mut ids: HashMap<String, NodeId> = HashMap::new();
    let mut edges: Vec<Edge> = Vec::new();
    let mut owner: Option<Owner> = None;
    // The key of the `<data>` being read and its text so far.
    let mut data: Option<(String, String, u64)> = None;
    let mut saw_root = false;
    let mut nodes = 0u64;
    let mut lines = Lines::default();
    loop {
        let before = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            let at = reader.error_position();
            at_line(
                path,
                line_of(text, at),
                "BadGraphml",
                &format!("not well-formed XML: {e}"),
            )
        })?;
        let line = lines.at(text, before);
        let fail = |m: &str| at_line(path, line, "BadGraphml", m);
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = e.local_name();
            let attrs = attributes(e).map_err(|m| fail(&m))?;
            let get = |k: &str| attrs.get(k).cloned();
            match name.as_ref() {
                b"graphml" => saw_root = true,
                b"key" => {
                    let id = get("id").ok_or_else(|| fail("a <key> needs an id"))?;
                    let for_node = match get("for").as_deref() {
                        Some("node") => true,
                        Some("edge") => false,
                        // Keys for graphs, ports or all: only used if a node or edge uses them.
                        _ => true,
                    };
                    keys.insert(
                        id.clone(),
                        Key {
                            name: get("attr.name").unwrap_or(id),
                            for_node,
                            attr_type: get("attr.type").unwrap_or_else(|| "string".to_string()),
                            kgq_type: get("kgq:type"),
                        },
                    );
                }
                b"node" => {
                    let id = get("id").ok_or_else(|| fail("a <node> needs an id"))?;
                    owner = Some(Owner::Node {
                        id,
                        labels: Vec::new(),
                        props: Vec::new(),
                        line,
                    });
                }
                b"edge" => {
                    let source = get("source").ok_or_else(|| fail("an <edge> needs a source"))?;
                    let target = get("target").ok_or_else(|| fail("an <edge> needs a target"))?;
                    owner = Some(Owner::Edge {
                        source,
                        target,
                        rel_type: get("label"),
                        props: Vec::new(),
                        line,
                    });
                }
                b"data" => {
                    let key = get("key").ok_or_else(|| fail("a <data> needs a key"))?;
                    data = Some((key, String::new(), line));
                }
                _ => {}
            }
            if !empty {
                continue;
            }
        }
        let end_name: Option<Vec<u8>> = match &event {
            Event::End(e) => Some(e.local_name().as_ref().to_vec()),
            Event::Empty(e) => Some(e.local_name().as_ref().to_vec()),
            _ => None,
        };
        match &event {
            Event::Text(t) => {
                if let Some((_, buf, _)) = &mut data {
                    let s = t
                        .xml10_content()
                        .map_err(|e| fail(&format!("bad text: {e}")))?;
                    buf.push_str(&s);
                }
            }
            Event::CData(t) => {
                if let Some((_, buf, _)) = &mut data {
                    let s = t.decode().map_err(|e| fail(&format!("bad text: {e}")))?;
                    buf.push_str(&s);
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, buf, _)) = &mut data {
                    if let Some(c) = r.resolve_char_ref().map_err(|e| fail(&e.to_string()))? {
                        buf.push(c);
                    } else {
                        let name = r.decode().map_err(|e| fail(&e.to_string()))?;
                        let s = resolve_predefined_entity(&name)
                            .ok_or_else(|| fail(&format!("unknown entity &{name};")))?;
                        buf.push_str(s);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        match end_name.as_deref() {
            Some(b"data") => {
                if let Some((key_id, text_value, at)) = data.take() {
                    let fail = |m: &str| at_line(path, at, "BadGraphml", m);
                    let key = keys
                        .get(&key_id)
                        .ok_or_else(|| fail(&format!("no <key> has id `{key_id}`")))?;
                    store(graph, &mut owner, key, &text_value).map_err(|m| fail(&m))?;
                }
            }
            Some(b"node") => {
                if let Some(Owner::Node {
                    id,
                    labels,
                    props,
                    line,
                }) = owner.take()
                {
                    let node = graph.add_node(labels, props);
                    nodes += 1;
                    if ids.insert(id.clone(), node).is_some() {
                        return Err(at_line(
                            path,
                            line,
                            "BadGraphml",
                            &format!("the node id `{id}` appears twice"),
                        ));
                    }
                }
            }
            Some(b"edge") => {
                if let Some(Owner::Edge {
                    source,
                    target,
                    rel_type,
                    props,
                    line,
                }) = owner.take()
                {
                    edges.push(Edge {
                        source,
                        target,
                        rel_type: rel_type.unwrap_or_else(|| DEFAULT_TYPE.to_string()),
                        props,
                        line,
                    });
                }
            }
            _ => {}
        }
    }
    if !saw_root {
        return Err(at_line(path, 1, "BadGraphml", "no <graphml> element"));
    }
    let rels = edges.len() as u64;
    for e in edges {
        let node = |id: &str| {
            ids.get(id).copied().ok_or_else(|| {
                at_line(
                    path,
                    e.line,
                    "BadGraphml",
                    &format!("no node has id `{id}`"),
                )
            })
        };
        let (a, b) = (node(&e.source)?, node(&e.target)?);
        let t = graph.intern_type(&e.rel_type);
        graph.add_relationship(a, b, t, e.props);
    }
    Ok((nodes, rels))
}

/// Stores one `<data>` value on the element being read.
fn store(
    graph: &mut Graph,
    owner: &mut Option<Owner>,
    key: &Key,
    text: &str,
) -> std::result::Result<(), String> {
    match owner {
        Some(Owner::Node { labels, props, .. }) => {
            if key.name == "labels" && key.for_node && key.kgq_type.is_none() {
                for l in text.split(':').filter(|l| !l.is_empty()) {
                    labels.push(graph.intern_label(l));
                }
                return Ok(());
            }
            let v = typed(key, text)?;
            props.push((graph.intern_key(&key.name), v));
        }
        Some(Owner::Edge {
            rel_type, props, ..
        }) => {
            if key.name == "label" && !key.for_node && key.kgq_type.is_none() {
                if text.is_empty() {
                    return Err("the relationship type is empty".to_string());
                }
                *rel_type = Some(text.to_string());
                return Ok(());
            }
            let v = typed(key, text)?;
            props.push((graph.intern_key(&key.name), v));
        }
        // Data of the graph itself: not kept.
        None => {}
    }
    Ok(())
}

/// The value of `text` under `key`'s types.
fn typed(key: &Key, text: &str) -> std::result::Result<Value, String> {
    let bad = |what: &str| format!("`{text}` is not a valid {what} (key `{}`)", key.name);
    if let Some(k) = &key.kgq_type {
        if k == "list" {
            let json: serde_json::Value =
                serde_json::from_str(text).map_err(|_| bad("JSON list"))?;
            if !json.is_array() {
                return Err(bad("JSON list"));
            }
            return crate::export::jsonl::from_json(&json);
        }
        return tagged::parse(k, text).ok_or_else(|| bad(k));
    }
    Ok(match key.attr_type.as_str() {
        "boolean" => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            _ => return Err(bad("boolean")),
        },
        "int" | "long" | "integer" | "short" => {
            Value::Int(text.trim().parse().map_err(|_| bad("integer"))?)
        }
        "float" | "double" => Value::Float(tagged::parse_float(text).ok_or_else(|| bad("float"))?),
        _ => list_from_other_tools(key, text).unwrap_or_else(|| Value::from(text)),
    })
}

/// The keys kgq writes as lists by its knowledge-graph conventions: the
/// sources of a fact and the aliases of an entity.
pub const LIST_KEYS: &[&str] = &[crate::provenance::SOURCE, crate::resolve::ALIASES];

/// A list that another tool wrote as a JSON array string (networkx, Gephi
/// and yEd have no list type): the string value of a [`LIST_KEYS`] key
/// that is a JSON array of strings, numbers and booleans. Anything else
/// stays the string it is.
fn list_from_other_tools(key: &Key, text: &str) -> Option<Value> {
    if !LIST_KEYS.contains(&key.name.as_str()) || !text.trim_start().starts_with('[') {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let items = json.as_array()?;
    let scalar = |v: &serde_json::Value| v.is_string() || v.is_number() || v.is_boolean();
    if !items.iter().all(scalar) {
        return None;
    }
    crate::export::jsonl::from_json(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Session;

    /// GraphML as networkx writes it: every list a JSON string.
    const NETWORKX: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="labels" attr.type="string"/>
  <key id="d1" for="node" attr.name="name" attr.type="string"/>
  <key id="d2" for="node" attr.name="aliases" attr.type="string"/>
  <key id="d3" for="edge" attr.name="label" attr.type="string"/>
  <key id="d4" for="edge" attr.name="source" attr.type="string"/>
  <key id="d5" for="edge" attr.name="note" attr.type="string"/>
  <graph edgedefault="directed">
    <node id="a"><data key="d0">:Company</data><data key="d1">Shaanxi Heavy Truck</data>
      <data key="d2">["Shacman", "Shaanxi Heavy Duty Automobile"]</data></node>
    <node id="m"><data key="d0">:Media</data><data key="d1">Caijing Network</data></node>
    <node id="r"><data key="d0">:Country</data><data key="d1">Russia</data></node>
    <edge source="a" target="r"><data key="d3">EXPORTS_TO</data>
      <data key="d4">["Caijing Network", "Sputnik"]</data><data key="d5">["not", "a list key"]</data></edge>
  </graph>
</graphml>"#;

    #[test]
    fn json_array_strings_in_list_keys_read_back_as_lists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nx.graphml");
        std::fs::write(&path, NETWORKX).unwrap();
        let (graph, _) = load_files(&[path]).unwrap();
        let mut session = Session::with_graph(graph);
        let result = session
            .run(
                "MATCH (c:Company)-[r]->() RETURN c.aliases AS aliases, \
                 [s IN sources(r) | s.name] AS sources, r.note AS note, \
                 [n IN resolve('Shacman') | n.name] AS resolved",
            )
            .unwrap();
        let text = |v: &Value| v.literal(None).to_string();
        let row: Vec<String> = result.rows[0].iter().map(text).collect();
        assert_eq!(
            row,
            [
                "['Shacman', 'Shaanxi Heavy Duty Automobile']",
                "['Caijing Network', 'Sputnik']",
                "'[\"not\", \"a list key\"]'",
                "['Shaanxi Heavy Truck']",
            ]
        );
    }
}
