//! Provenance: which sources stand behind a fact, and which facts stand
//! behind a result row.
//!
//! Convention (see `graphs/README.md`): a relationship (or node) names its
//! sources in a `source` property, a string or a list of strings; each is
//! the `name` (or an alias) of a source entity, a `Media` or `Source` node
//! in preference. `reported_on` says when the source published it.
//!
//! [`sources`] answers `sources(r)`; [`Session::set_provenance`] makes
//! every result row carry the relationships that produced it
//! ([`QueryResult::why`]), which [`Fact`] describes for display.
//!
//! [`Session::set_provenance`]: crate::Session::set_provenance
//! [`QueryResult::why`]: crate::QueryResult::why

use crate::error::{Error, Result};
use crate::graph::{EdgeId, Graph, NodeId};
use crate::value::Value;

/// The property naming a fact's sources.
pub const SOURCE: &str = "source";
/// The property giving when the source published the fact.
pub const REPORTED_ON: &str = "reported_on";
/// Labels a source entity preferably has.
pub const SOURCE_LABELS: &[&str] = &["Media", "Source"];
/// The most relationships kept for one row (an aggregate over a large
/// group is cut there).
pub const MAX_FACTS_PER_ROW: usize = 100;

/// The source names a `source` property holds (a string or a list).
pub fn source_names(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.to_string()],
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The source entity named `name`: a `Media`/`Source` node with that name,
/// else any node with that name, else one whose name or alias equals it in
/// normal form (preferring `Media`/`Source` again).
pub fn source_node(graph: &Graph, name: &str) -> Option<NodeId> {
    let preferred = |n: &NodeId| SOURCE_LABELS.iter().any(|l| graph.node_has_label(*n, l));
    let index = graph.alias_index();
    let exact: Vec<NodeId> = index
        .forms()
        .iter()
        .filter(|f| f.is_name && f.text == name)
        .map(|f| f.node)
        .collect();
    if let Some(n) = exact.iter().find(|n| preferred(n)).or(exact.first()) {
        return Some(*n);
    }
    let key = crate::resolve::compact(name);
    let normal: Vec<NodeId> = index.exact(&key).map(|f| f.node).collect();
    normal
        .iter()
        .find(|n| preferred(n))
        .or(normal.first())
        .copied()
}

/// One source of a fact: the entity its name resolves to, or, when no node
/// has that name, the name itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRef {
    /// The source entity.
    Node(NodeId),
    /// A name no node has (or resolves to).
    Unresolved(String),
}

impl SourceRef {
    /// As `sources()` returns it: the node, or the placeholder map
    /// `{name: NAME}` (so `s.name` works on every element).
    pub fn to_value(&self) -> Value {
        match self {
            SourceRef::Node(n) => Value::Node(*n),
            SourceRef::Unresolved(name) => Value::Map(
                [("name".to_string(), Value::string(name))]
                    .into_iter()
                    .collect(),
            ),
        }
    }
}

/// `sources(x)`: the sources of a relationship, a node, or every
/// relationship of a path, in the order they are named, without repeats;
/// each is its entity, or [`SourceRef::Unresolved`] for a name no node has.
pub fn sources(graph: &Graph, value: &Value) -> Result<Vec<SourceRef>> {
    let names = match value {
        Value::Relationship(r) => source_names(graph.relationship_property(*r, SOURCE).as_ref()),
        Value::Node(n) => source_names(graph.node_property(*n, SOURCE).as_ref()),
        Value::Path(p) => p
            .relationships
            .iter()
            .flat_map(|r| source_names(graph.relationship_property(*r, SOURCE).as_ref()))
            .collect(),
        Value::Null => Vec::new(),
        other => {
            return Err(Error::invalid_type(format!(
                "sources() expects a relationship, a node or a path, got {}",
                other.type_name()
            )));
        }
    };
    let mut out = Vec::new();
    for name in names {
        let source = match source_node(graph, &name) {
            Some(n) => SourceRef::Node(n),
            None => SourceRef::Unresolved(name),
        };
        if !out.contains(&source) {
            out.push(source);
        }
    }
    Ok(out)
}

/// The relationships inside a provenance value (relationships, lists of
/// them, paths, nested lists), in order, without repeats, at most
/// [`MAX_FACTS_PER_ROW`].
pub fn relationships_in(value: &Value) -> Vec<EdgeId> {
    fn walk(value: &Value, out: &mut Vec<EdgeId>) {
        if out.len() >= MAX_FACTS_PER_ROW {
            return;
        }
        match value {
            Value::Relationship(r) if !out.contains(r) => out.push(*r),
            Value::Path(p) => {
                for r in &p.relationships {
                    walk(&Value::Relationship(*r), out);
                }
            }
            Value::List(items) => {
                for item in items {
                    walk(item, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut out);
    out
}

/// One relationship described for `--why`: its type, the names of its
/// ends, its sources and when they reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The relationship.
    pub id: EdgeId,
    /// Its type.
    pub rel_type: String,
    /// Its start node's `name` (or `#id`).
    pub start: String,
    /// Its end node's `name` (or `#id`).
    pub end: String,
    /// The names in its `source`.
    pub sources: Vec<String>,
    /// Its `reported_on`, if any.
    pub reported_on: Option<Value>,
    /// Its `date`, if any.
    pub date: Option<Value>,
}

impl Fact {
    /// Describes relationship `id` of `graph` (`None` if it was deleted).
    pub fn of(graph: &Graph, id: EdgeId) -> Option<Fact> {
        let (a, b) = graph.endpoints(id)?;
        let name = |n: NodeId| match graph.node_property(n, "name") {
            Some(Value::String(s)) => s.to_string(),
            _ => format!("#{}", n.index()),
        };
        Some(Fact {
            id,
            rel_type: graph.relationship_type(id)?.to_string(),
            start: name(a),
            end: name(b),
            sources: source_names(graph.relationship_property(id, SOURCE).as_ref()),
            reported_on: graph.relationship_property(id, REPORTED_ON),
            date: graph.relationship_property(id, "date"),
        })
    }

    /// One line: `(Rosstandart)-[:CANCELLED_CERTIFICATION_OF]->(…)  date 2025-02-10; source: Caijing Network (reported 2025-02-14)`.
    pub fn line(&self, graph: &Graph) -> String {
        let mut out = format!("({})-[:{}]->({})", self.start, self.rel_type, self.end);
        if let Some(d) = &self.date {
            out.push_str(&format!(" on {}", d.literal(Some(graph))));
        }
        out.push_str(" — ");
        if self.sources.is_empty() {
            out.push_str("no source");
        } else {
            out.push_str("source: ");
            out.push_str(&self.sources.join(", "));
        }
        if let Some(r) = &self.reported_on {
            out.push_str(&format!(" (reported {})", r.literal(Some(graph))));
        }
        out
    }
}
