//! The columnar payload of format version 3: the property tables as they
//! are in memory (per table its element ids and, per column, typed data
//! and validity; the string dictionary once) and the topology in bulk
//! (node label sets per table, relationships per type as start and end
//! arrays). Saving borrows the columns; loading moves them into the graph
//! and builds petgraph, the label index and the adjacency at once
//! ([`Graph::from_bulk`]).

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::header::format_error;
use super::payload::Meta;
use super::value_codec::{Token, from_tokens, to_tokens};
use crate::error::Result;
use crate::graph::columns::{Bitmap, Column, ColumnData, Dictionary, PropertyStore, Table};
use crate::graph::{BulkNodes, EdgeSlot, Graph, Interner, KeyId, LabelId, Names, TypeId};

/// The payload of format version 3 (see `docs/snapshot-format.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayloadV3<'a> {
    /// Facts about the file.
    pub meta: Meta,
    /// Label names; a label id is an index into this list.
    pub labels: Vec<String>,
    /// Relationship type names.
    pub types: Vec<String>,
    /// Property key names.
    pub keys: Vec<String>,
    /// The string dictionary: code `i` of a string column is `strings[i]`.
    pub strings: Vec<Cow<'a, str>>,
    /// Ids of deleted node slots, ascending.
    pub node_holes: Vec<u32>,
    /// Node tables, one per distinct label set.
    pub node_tables: Vec<NodeTable<'a>>,
    /// Nodes whose labels are not in ascending id order: id and labels in
    /// the node's order (the same set as its table's).
    pub label_orders: Vec<(u32, Vec<u32>)>,
    /// Ids of deleted relationship slots, ascending.
    pub relationship_holes: Vec<u32>,
    /// Relationship tables, one per type.
    pub relationship_tables: Vec<RelTable<'a>>,
}

/// The nodes with one exact label set, and their properties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeTable<'a> {
    /// The label set: label ids, ascending and distinct (empty for
    /// unlabelled nodes).
    pub labels: Vec<u32>,
    /// The rows.
    pub rows: Rows<'a>,
}

/// The relationships of one type, their ends, and their properties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelTable<'a> {
    /// The type id.
    pub rel_type: u32,
    /// Start node id per row.
    pub from: Vec<u32>,
    /// End node id per row.
    pub to: Vec<u32>,
    /// The rows.
    pub rows: Rows<'a>,
}

/// The rows of a table: element ids and one column per key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rows<'a> {
    /// The element id of each row, in row order.
    pub ids: Cow<'a, [u32]>,
    /// Columns by ascending key id, each as long as `ids`.
    pub columns: Vec<ColumnRecord<'a>>,
}

/// One column: its key, validity and typed data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnRecord<'a> {
    /// The property key id.
    pub key: u32,
    /// Validity bits, 64 rows a word (bit `r % 64` of word `r / 64`).
    pub valid: Cow<'a, [u64]>,
    /// The values; absent rows hold a filler.
    pub data: ColumnValues<'a>,
}

/// The typed values of a column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ColumnValues<'a> {
    /// Integers.
    Int(Cow<'a, [i64]>),
    /// Floats.
    Float(Cow<'a, [f64]>),
    /// Booleans, 64 rows a word.
    Bool(Cow<'a, [u64]>),
    /// Strings as dictionary codes.
    Str(Cow<'a, [u32]>),
    /// Any value (mixed types, lists, temporal values), as value tokens;
    /// absent rows hold `[Null]`.
    Any(Vec<Vec<Token>>),
    /// Dates as days since 1970-01-01.
    Date(Cow<'a, [i32]>),
    /// Local date-times as nanoseconds since 1970-01-01T00:00.
    LocalDateTime(Cow<'a, [i64]>),
}

fn bad(message: impl Into<String>) -> crate::Error {
    format_error("BadPayload", message)
}

fn names(i: &Interner) -> Vec<String> {
    i.iter().map(|(_, n)| n.to_string()).collect()
}

fn rows_out(table: &Table) -> Result<Rows<'_>> {
    let mut columns = Vec::with_capacity(table.keys().len());
    for key in table.keys() {
        let Some(column) = table.column(*key) else {
            continue;
        };
        let data = match column.data() {
            ColumnData::Int(v) => ColumnValues::Int(Cow::Borrowed(v)),
            ColumnData::Float(v) => ColumnValues::Float(Cow::Borrowed(v)),
            ColumnData::Bool(v) => ColumnValues::Bool(Cow::Borrowed(v.words())),
            ColumnData::Str(v) => ColumnValues::Str(Cow::Borrowed(v)),
            ColumnData::Date(v) => ColumnValues::Date(Cow::Borrowed(v)),
            ColumnData::LocalDateTime(v) => ColumnValues::LocalDateTime(Cow::Borrowed(v)),
            ColumnData::Any(v) => {
                ColumnValues::Any(v.iter().map(to_tokens).collect::<Result<_>>()?)
            }
        };
        columns.push(ColumnRecord {
            key: key.0,
            valid: Cow::Borrowed(column.validity().words()),
            data,
        });
    }
    Ok(Rows {
        ids: Cow::Borrowed(table.ids()),
        columns,
    })
}

/// The columnar payload of `graph`, borrowing its columns.
pub fn from_graph(graph: &Graph, meta: Meta) -> Result<PayloadV3<'_>> {
    let (labels, types, keys) = graph.parts();
    let store = graph.property_store();
    let mut node_tables = Vec::new();
    for (set, table) in store.all_node_tables() {
        node_tables.push(NodeTable {
            labels: set.iter().map(|l| l.0).collect(),
            rows: rows_out(table)?,
        });
    }
    let mut relationship_tables = Vec::new();
    for (rel_type, table) in store.all_relationship_tables() {
        let mut from = Vec::with_capacity(table.ids().len());
        let mut to = Vec::with_capacity(table.ids().len());
        for id in table.ids() {
            let (a, b) = graph
                .endpoints(crate::graph::EdgeId(*id))
                .ok_or_else(|| bad(format!("relationship {id} has a row but no ends")))?;
            from.push(a.0);
            to.push(b.0);
        }
        relationship_tables.push(RelTable {
            rel_type: rel_type.0,
            from,
            to,
            rows: rows_out(table)?,
        });
    }
    let mut label_orders = Vec::new();
    let mut node_holes = Vec::new();
    for slot in 0..graph.node_bound() {
        match graph.node(crate::graph::NodeId(slot as u32)) {
            Some(node) if node.labels().windows(2).any(|w| w[0] >= w[1]) => {
                label_orders.push((slot as u32, node.labels().iter().map(|l| l.0).collect()));
            }
            Some(_) => {}
            None => node_holes.push(slot as u32),
        }
    }
    let relationship_holes = (0..graph.edge_bound() as u32)
        .filter(|e| graph.endpoints(crate::graph::EdgeId(*e)).is_none())
        .collect();
    Ok(PayloadV3 {
        meta,
        labels: names(labels),
        types: names(types),
        keys: names(keys),
        strings: store
            .dictionary()
            .strings()
            .iter()
            .map(|s| Cow::Borrowed(&**s))
            .collect(),
        node_holes,
        node_tables,
        label_orders,
        relationship_holes,
        relationship_tables,
    })
}

/// Interns `names` in order; a repeated name is a format error.
fn interner(names: Vec<String>, what: &str) -> Result<Interner> {
    let mut interner = Interner::default();
    for (i, name) in names.iter().enumerate() {
        if interner.intern(name) as usize != i {
            return Err(bad(format!("the {what} name {name:?} occurs twice")));
        }
    }
    Ok(interner)
}

/// Per slot: 0 = not yet seen, 1 = an element, 2 = a hole. Checks that
/// every slot below `ids + holes` is exactly one of them.
struct Slots {
    state: Vec<u8>,
    what: &'static str,
}

impl Slots {
    fn new(ids: usize, holes: &[u32], what: &'static str) -> Result<Slots> {
        let len = ids
            .checked_add(holes.len())
            .filter(|n| *n <= u32::MAX as usize)
            .ok_or_else(|| bad(format!("too many {what} slots")))?;
        let mut slots = Slots {
            state: vec![0; len],
            what,
        };
        for hole in holes {
            slots.mark(*hole, 2)?;
        }
        Ok(slots)
    }

    fn mark(&mut self, id: u32, state: u8) -> Result<()> {
        let len = self.state.len();
        match self.state.get_mut(id as usize) {
            Some(s @ 0) => {
                *s = state;
                Ok(())
            }
            Some(_) => Err(bad(format!("{} id {id} occurs twice", self.what))),
            None => Err(bad(format!(
                "{} id {id} is beyond the {len} slots the file describes",
                self.what
            ))),
        }
    }
}

fn column_in(
    record: ColumnRecord<'_>,
    rows: usize,
    dict_len: usize,
    key_count: usize,
) -> Result<(KeyId, Column)> {
    if record.key as usize >= key_count {
        return Err(bad(format!("property key id {} is unknown", record.key)));
    }
    let bits = |words: Cow<'_, [u64]>| {
        Bitmap::from_words(words.into_owned(), rows)
            .ok_or_else(|| bad("a column's bitmap does not match its row count"))
    };
    let valid = bits(record.valid)?;
    let data = match record.data {
        ColumnValues::Int(v) => ColumnData::Int(v.into_owned()),
        ColumnValues::Float(v) => ColumnData::Float(v.into_owned()),
        ColumnValues::Bool(v) => ColumnData::Bool(bits(v)?),
        ColumnValues::Str(v) => ColumnData::Str(v.into_owned()),
        ColumnValues::Date(v) => ColumnData::Date(v.into_owned()),
        ColumnValues::LocalDateTime(v) => ColumnData::LocalDateTime(v.into_owned()),
        ColumnValues::Any(v) => {
            ColumnData::Any(v.into_iter().map(from_tokens).collect::<Result<_>>()?)
        }
    };
    let column = Column::from_parts(data, valid, dict_len).map_err(bad)?;
    Ok((KeyId(record.key), column))
}

fn table_in(rows: Rows<'_>, dict_len: usize, key_count: usize) -> Result<Table> {
    let ids = rows.ids.into_owned();
    let columns = rows
        .columns
        .into_iter()
        .map(|c| column_in(c, ids.len(), dict_len, key_count))
        .collect::<Result<Vec<_>>>()?;
    Table::from_parts(ids, columns).map_err(bad)
}

/// Rebuilds the graph a columnar payload describes, with the same ids.
pub fn to_graph(payload: PayloadV3<'_>) -> Result<Graph> {
    let (label_count, type_count, key_count) = (
        payload.labels.len(),
        payload.types.len(),
        payload.keys.len(),
    );
    let names = Names {
        labels: interner(payload.labels, "label")?,
        types: interner(payload.types, "type")?,
        keys: interner(payload.keys, "key")?,
    };
    let dict = Dictionary::from_strings(
        payload
            .strings
            .into_iter()
            .map(|s| Arc::<str>::from(s.as_ref()))
            .collect(),
    )
    .map_err(bad)?;

    let node_ids = payload.node_tables.iter().map(|t| t.rows.ids.len()).sum();
    let mut node_slots = Slots::new(node_ids, &payload.node_holes, "node")?;
    let mut nodes = BulkNodes::holes(node_slots.state.len());
    let mut node_tables = Vec::with_capacity(payload.node_tables.len());
    for t in payload.node_tables {
        if let Some(l) = t.labels.iter().find(|l| **l as usize >= label_count) {
            return Err(bad(format!("label id {l} is unknown")));
        }
        let set: Vec<LabelId> = t.labels.into_iter().map(LabelId).collect();
        for id in t.rows.ids.iter() {
            node_slots.mark(*id, 1)?;
            nodes.set(*id, &set);
        }
        node_tables.push((set, table_in(t.rows, dict.len(), key_count)?));
    }
    for (id, order) in payload.label_orders {
        let Some(labels) = nodes.labels(id) else {
            return Err(bad(format!("label order for missing node {id}")));
        };
        let order: Vec<LabelId> = order.into_iter().map(LabelId).collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        if sorted != labels || sorted.windows(2).any(|w| w[0] == w[1]) {
            return Err(bad(format!(
                "the label order of node {id} does not match its table"
            )));
        }
        nodes.set(id, &order);
    }

    let rel_ids = payload
        .relationship_tables
        .iter()
        .map(|t| t.rows.ids.len())
        .sum();
    let mut rel_slots = Slots::new(rel_ids, &payload.relationship_holes, "relationship")?;
    let mut edges = vec![EdgeSlot::HOLE; rel_slots.state.len()];
    let mut rel_tables = Vec::with_capacity(payload.relationship_tables.len());
    for t in payload.relationship_tables {
        if t.rel_type as usize >= type_count {
            return Err(bad(format!(
                "relationship type id {} is unknown",
                t.rel_type
            )));
        }
        if t.from.len() != t.rows.ids.len() || t.to.len() != t.rows.ids.len() {
            return Err(bad("a relationship table's ends do not match its rows"));
        }
        for ((id, from), to) in t.rows.ids.iter().zip(&t.from).zip(&t.to) {
            rel_slots.mark(*id, 1)?;
            edges[*id as usize] = EdgeSlot {
                from: *from,
                to: *to,
                rel_type: t.rel_type,
            };
        }
        rel_tables.push((TypeId(t.rel_type), table_in(t.rows, dict.len(), key_count)?));
    }
    let store = PropertyStore::from_parts(dict, node_tables, rel_tables, nodes.len(), edges.len())
        .map_err(bad)?;
    Graph::from_bulk(names, nodes, &edges, store).map_err(bad)
}

/// What a columnar payload holds, for `inspect`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// How many nodes.
    pub nodes: usize,
    /// How many relationships.
    pub relationships: usize,
    /// Node count per label name (a label may occur in several entries).
    pub labels: Vec<(String, usize)>,
    /// Relationship count per type name.
    pub types: Vec<(String, usize)>,
}

/// Node count per label and relationship count per type (for `inspect`).
pub fn counts(payload: &PayloadV3<'_>) -> Counts {
    let mut out = Counts::default();
    for t in &payload.node_tables {
        out.nodes += t.rows.ids.len();
        for l in &t.labels {
            let name = payload.labels.get(*l as usize).cloned().unwrap_or_default();
            out.labels.push((name, t.rows.ids.len()));
        }
    }
    for t in &payload.relationship_tables {
        out.relationships += t.rows.ids.len();
        let name = payload
            .types
            .get(t.rel_type as usize)
            .cloned()
            .unwrap_or_default();
        out.types.push((name, t.rows.ids.len()));
    }
    out
}
