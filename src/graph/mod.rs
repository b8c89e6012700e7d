//! The property graph: a petgraph `StableDiGraph` of nodes (labels +
//! properties) and relationships (one type + properties), with interned
//! names and derived indexes.

mod adjacency;
mod api;
mod bulk;
pub mod columns;
pub mod element_id;
mod fulltext;
mod index;
mod intern;
pub mod memory;
mod views;
mod weights;

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use petgraph::Direction as PgDirection;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::{Deserialize, Serialize};

pub use index::indexable;
pub use intern::Interner;

pub use adjacency::Adj;
pub use bulk::{BulkNodes, EdgeSlot, GraphBuilder, Names};
pub use views::{EdgeData, NodeData, NodeRef, RelRef};

use columns::PropertyStore;

use adjacency::Adjacency;
use index::{LabelIndex, PropertyIndexes};
use weights::{EdgeWeight, LabelSets, NodeWeight};

use crate::resolve::AliasIndex;
use crate::value::Value;

/// A node's id: stable while the node exists (petgraph's `StableDiGraph`
/// never moves indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeId(pub u32);

/// A relationship's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EdgeId(pub u32);

/// An interned label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LabelId(pub u32);

/// An interned relationship type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TypeId(pub u32);

/// An interned property key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeyId(pub u32);

impl NodeId {
    /// The raw index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
    fn pg(self) -> NodeIndex<u32> {
        NodeIndex::new(self.0 as usize)
    }
}

impl EdgeId {
    /// The raw index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
    fn pg(self) -> EdgeIndex<u32> {
        EdgeIndex::new(self.0 as usize)
    }
}

/// Properties of a node or relationship, sorted by key id; never holds null.
pub type Properties = Vec<(KeyId, Value)>;

/// The value of property `key` in a property list.
pub fn get_property(props: &Properties, key: KeyId) -> Option<&Value> {
    props
        .binary_search_by_key(&key, |(k, _)| *k)
        .ok()
        .map(|i| &props[i].1)
}

/// Sets (or, for null, removes) a property; returns the old value.
fn put_property(props: &mut Properties, key: KeyId, value: Value) -> Option<Value> {
    match props.binary_search_by_key(&key, |(k, _)| *k) {
        Ok(i) if value.is_null() => Some(props.remove(i).1),
        Ok(i) => Some(std::mem::replace(&mut props[i].1, value)),
        Err(_) if value.is_null() => None,
        Err(i) => {
            props.insert(i, (key, value));
            None
        }
    }
}

/// Which relationships of a node to walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Relationships that start at the node.
    Outgoing,
    /// Relationships that end at the node.
    Incoming,
    /// Both; a self-loop is reported once.
    Both,
}

/// A property graph with interned names and derived indexes.
#[derive(Debug, Default)]
pub struct Graph {
    inner: StableDiGraph<NodeWeight, EdgeWeight, u32>,
    /// Every node's label list, by the id in its weight.
    label_sets: LabelSets,
    /// Every property of every node and relationship.
    store: PropertyStore,
    labels: Interner,
    types: Interner,
    keys: Interner,
    label_index: LabelIndex,
    property_indexes: RwLock<PropertyIndexes>,
    adjacency: Adjacency,
    type_counts: Vec<usize>,
    /// Names and aliases in normal form, built on first use and dropped
    /// whenever a node is added, removed or changes a property.
    alias_index: RwLock<Option<Arc<AliasIndex>>>,
    /// The types of the relationships the running statement deleted (see
    /// [`Graph::note_deleted`]), so that `type(r)` still answers after
    /// `DELETE r` (openCypher allows it); forgotten when the statement ends.
    deleted_types: HashMap<EdgeId, TypeId>,
    /// Declared indexes and constraints.
    schema: crate::schema::Schema,
    /// The postings of the declared full-text indexes (see [`fulltext`]).
    fulltext: crate::schema::fulltext::FulltextIndexes,
}

impl Clone for Graph {
    fn clone(&self) -> Self {
        Graph {
            inner: self.inner.clone(),
            label_sets: self.label_sets.clone(),
            store: self.store.clone(),
            labels: self.labels.clone(),
            types: self.types.clone(),
            keys: self.keys.clone(),
            label_index: self.label_index.clone(),
            property_indexes: RwLock::new(self.indexes().clone()),
            adjacency: self.adjacency.clone(),
            type_counts: self.type_counts.clone(),
            alias_index: RwLock::new(None),
            deleted_types: HashMap::new(),
            schema: self.schema.clone(),
            fulltext: self.fulltext.clone(),
        }
    }
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Graph::default()
    }

    /// Rebuilds a graph from its parts (nodes and relationships as owned
    /// data); derived indexes are rebuilt.
    pub fn from_parts(
        inner: StableDiGraph<NodeData, EdgeData, u32>,
        labels: Interner,
        types: Interner,
        keys: Interner,
    ) -> Self {
        let mut graph = Graph {
            labels,
            types,
            keys,
            ..Graph::default()
        };
        graph.labels.rebuild();
        graph.types.rebuild();
        graph.keys.rebuild();
        let store = std::cell::RefCell::new(PropertyStore::default());
        let mut label_sets = LabelSets::default();
        let inner = inner.map_owned(
            |id, data| {
                let id = NodeId(id.index() as u32);
                store
                    .borrow_mut()
                    .add_node(id, &data.labels, data.properties);
                label_sets.intern(&data.labels)
            },
            |id, data| {
                let id = EdgeId(id.index() as u32);
                store
                    .borrow_mut()
                    .add_relationship(id, data.rel_type, data.properties);
                EdgeWeight::new(data.rel_type)
            },
        );
        graph.inner = inner;
        graph.label_sets = label_sets;
        graph.store = store.into_inner();
        for id in graph.inner.node_indices() {
            for label in graph.label_sets.labels(graph.inner[id]) {
                graph.label_index.insert(*label, NodeId(id.index() as u32));
            }
        }
        graph.adjacency.begin_bulk();
        let edges: Vec<(NodeId, NodeId, TypeId, EdgeId)> = graph
            .inner
            .edge_references()
            .map(|e| {
                (
                    NodeId(e.source().index() as u32),
                    NodeId(e.target().index() as u32),
                    e.weight().rel_type(),
                    EdgeId(e.id().index() as u32),
                )
            })
            .collect();
        for (from, to, rel_type, id) in edges {
            graph.count_type(rel_type, true);
            graph.adjacency.add(from, to, rel_type, id);
        }
        graph.adjacency.finish_bulk();
        graph
    }

    fn count_type(&mut self, rel_type: TypeId, added: bool) {
        let i = rel_type.0 as usize;
        if self.type_counts.len() <= i {
            self.type_counts.resize(i + 1, 0);
        }
        if added {
            self.type_counts[i] += 1;
        } else {
            self.type_counts[i] = self.type_counts[i].saturating_sub(1);
        }
    }

    /// The declared indexes and constraints.
    pub fn schema(&self) -> &crate::schema::Schema {
        &self.schema
    }

    /// The declared indexes and constraints, to change them (the caller
    /// checks the data against new constraints).
    pub fn schema_mut(&mut self) -> &mut crate::schema::Schema {
        &mut self.schema
    }

    /// The interners a snapshot stores: labels, types and keys.
    pub fn parts(&self) -> (&Interner, &Interner, &Interner) {
        (&self.labels, &self.types, &self.keys)
    }

    /// One past the highest node id ever in use (holes included).
    pub fn node_bound(&self) -> usize {
        petgraph::visit::NodeIndexable::node_bound(&self.inner)
    }

    /// One past the highest relationship id ever in use (holes included).
    pub fn edge_bound(&self) -> usize {
        petgraph::visit::EdgeIndexable::edge_bound(&self.inner)
    }

    /// The typed property columns (see [`columns`] for the read API).
    pub fn property_store(&self) -> &PropertyStore {
        &self.store
    }

    /// The value of node `id`'s property `key`, read from its column.
    pub fn node_value(&self, id: NodeId, key: KeyId) -> Option<Value> {
        self.store.node_property(id, key)
    }

    /// The value of relationship `id`'s property `key`, read from its column.
    pub fn relationship_value(&self, id: EdgeId, key: KeyId) -> Option<Value> {
        self.store.relationship_property(id, key)
    }

    /// The index of every node's `name` and `aliases` in normal form (see
    /// [`crate::resolve`]), built now if a write dropped it.
    pub fn alias_index(&self) -> Arc<AliasIndex> {
        if let Some(index) = self
            .alias_index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
        {
            return Arc::clone(index);
        }
        let built = Arc::new(AliasIndex::build(self));
        *self.alias_index.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::clone(&built));
        built
    }

    /// Drops the alias index (a node changed).
    fn forget_aliases(&mut self) {
        *self
            .alias_index
            .get_mut()
            .unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn indexes(&self) -> RwLockReadGuard<'_, PropertyIndexes> {
        self.property_indexes
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn indexes_mut(&self) -> RwLockWriteGuard<'_, PropertyIndexes> {
        self.property_indexes
            .write()
            .unwrap_or_else(|e| e.into_inner())
    }

    // ----- names -----

    /// The id of label `name`, if any node ever had it.
    pub fn label_id(&self, name: &str) -> Option<LabelId> {
        self.labels.get(name).map(LabelId)
    }
    /// The id of relationship type `name`, if it was ever used.
    pub fn type_id(&self, name: &str) -> Option<TypeId> {
        self.types.get(name).map(TypeId)
    }
    /// The id of property key `name`, if it was ever used.
    pub fn key_id(&self, name: &str) -> Option<KeyId> {
        self.keys.get(name).map(KeyId)
    }
    /// Interns a label.
    pub fn intern_label(&mut self, name: &str) -> LabelId {
        LabelId(self.labels.intern(name))
    }
    /// Interns a relationship type.
    pub fn intern_type(&mut self, name: &str) -> TypeId {
        TypeId(self.types.intern(name))
    }
    /// Interns a property key.
    pub fn intern_key(&mut self, name: &str) -> KeyId {
        KeyId(self.keys.intern(name))
    }
    /// The name of a label.
    pub fn label_name(&self, id: LabelId) -> &str {
        self.labels.name(id.0)
    }
    /// The name of a relationship type.
    pub fn type_name(&self, id: TypeId) -> &str {
        self.types.name(id.0)
    }
    /// The name of a property key.
    pub fn key_name(&self, id: KeyId) -> &str {
        self.keys.name(id.0)
    }
    /// Every label ever used, with its id.
    pub fn all_labels(&self) -> impl Iterator<Item = (LabelId, &str)> {
        self.labels.iter().map(|(i, n)| (LabelId(i), n))
    }
    /// Every relationship type ever used, with its id.
    pub fn all_types(&self) -> impl Iterator<Item = (TypeId, &str)> {
        self.types.iter().map(|(i, n)| (TypeId(i), n))
    }
    /// Every property key ever used, with its id.
    pub fn all_keys(&self) -> impl Iterator<Item = (KeyId, &str)> {
        self.keys.iter().map(|(i, n)| (KeyId(i), n))
    }

    /// Properties as (name, value) pairs sorted by name.
    pub fn sorted_properties<'a>(&'a self, props: &'a Properties) -> Vec<(&'a str, &'a Value)> {
        let mut out: Vec<_> = props.iter().map(|(k, v)| (self.key_name(*k), v)).collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    // ----- reading -----

    /// How many nodes exist.
    pub fn node_count(&self) -> usize {
        self.inner.node_count()
    }
    /// How many relationships exist.
    pub fn relationship_count(&self) -> usize {
        self.inner.edge_count()
    }
    /// The node `id`, if it exists.
    pub fn node(&self, id: NodeId) -> Option<NodeRef<'_>> {
        let weight = self.inner.node_weight(id.pg())?;
        Some(NodeRef {
            graph: self,
            id,
            labels: self.label_sets.labels(*weight),
        })
    }
    /// The relationship `id`, if it exists.
    pub fn relationship(&self, id: EdgeId) -> Option<RelRef<'_>> {
        let rel_type = self.inner.edge_weight(id.pg())?.rel_type();
        Some(RelRef {
            graph: self,
            id,
            rel_type,
        })
    }
    /// The start and end node of relationship `id`.
    pub fn endpoints(&self, id: EdgeId) -> Option<(NodeId, NodeId)> {
        self.inner
            .edge_endpoints(id.pg())
            .map(|(a, b)| (NodeId(a.index() as u32), NodeId(b.index() as u32)))
    }
    /// Every node, in id order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.inner.node_indices().map(|i| NodeId(i.index() as u32))
    }
    /// Every relationship, in id order.
    pub fn relationships(&self) -> impl Iterator<Item = EdgeId> + '_ {
        self.inner.edge_indices().map(|i| EdgeId(i.index() as u32))
    }
    /// The nodes with `label`, in id order.
    pub fn nodes_with_label(&self, label: LabelId) -> impl Iterator<Item = NodeId> + '_ {
        self.label_index.nodes(label)
    }
    /// Whether node `node` exists and has `label`, without reading its data.
    pub fn has_label(&self, node: NodeId, label: LabelId) -> bool {
        self.label_index.has(label, node)
    }
    /// How many nodes have `label`.
    pub fn label_count(&self, label: LabelId) -> usize {
        self.label_index.count(label)
    }

    /// The relationships at `node` in `direction`, each with the node at
    /// the other end.
    pub fn relationships_of(
        &self,
        node: NodeId,
        direction: Direction,
    ) -> impl Iterator<Item = (EdgeId, NodeId, RelRef<'_>)> + '_ {
        let n = node.pg();
        let out = matches!(direction, Direction::Outgoing | Direction::Both)
            .then(|| self.inner.edges_directed(n, PgDirection::Outgoing))
            .into_iter()
            .flatten()
            .map(|e| {
                let id = EdgeId(e.id().index() as u32);
                let rel_type = e.weight().rel_type();
                (
                    id,
                    NodeId(e.target().index() as u32),
                    RelRef {
                        graph: self,
                        id,
                        rel_type,
                    },
                )
            });
        let incoming = matches!(direction, Direction::Incoming | Direction::Both)
            .then(|| self.inner.edges_directed(n, PgDirection::Incoming))
            .into_iter()
            .flatten()
            // In `Both`, a self-loop was already reported as outgoing.
            .filter(move |e| direction != Direction::Both || e.source() != e.target())
            .map(|e| {
                let id = EdgeId(e.id().index() as u32);
                let rel_type = e.weight().rel_type();
                (
                    id,
                    NodeId(e.source().index() as u32),
                    RelRef {
                        graph: self,
                        id,
                        rel_type,
                    },
                )
            });
        out.chain(incoming)
    }

    /// The relationships at `node` in `direction` whose type is one of
    /// `types` (any type when empty), each with the node at the other end;
    /// reads only the relationships of those types. A self-loop is
    /// reported once in `Both`.
    pub fn neighbours<'a>(
        &'a self,
        node: NodeId,
        direction: Direction,
        types: &'a [TypeId],
    ) -> Neighbours<'a> {
        let sides: &'static [bool] = match direction {
            Direction::Outgoing => &[true],
            Direction::Incoming => &[false],
            Direction::Both => &[true, false],
        };
        Neighbours {
            adjacency: &self.adjacency,
            node,
            types,
            sides,
            both: direction == Direction::Both,
            side: 0,
            type_at: 0,
            current: &[],
            current_outgoing: true,
        }
    }

    /// The relationships of one type on one side of `node`, sorted by
    /// (other end, id): the slice an intersection walks.
    pub fn typed_adjacency(&self, node: NodeId, outgoing: bool, rel_type: TypeId) -> &[Adj] {
        self.adjacency.typed(node, outgoing, rel_type)
    }

    /// How many relationships [`Graph::neighbours`] would give (self-loops
    /// counted twice in `Both`).
    pub fn neighbour_count(&self, node: NodeId, direction: Direction, types: &[TypeId]) -> usize {
        let side = |outgoing: bool| -> usize {
            if types.is_empty() {
                self.adjacency.all(node, outgoing).len()
            } else {
                types
                    .iter()
                    .map(|t| self.adjacency.typed(node, outgoing, *t).len())
                    .sum()
            }
        };
        match direction {
            Direction::Outgoing => side(true),
            Direction::Incoming => side(false),
            Direction::Both => side(true) + side(false),
        }
    }

    /// The relationships from `from` to `to` in `direction` whose type is
    /// one of `types` (any type when empty): a binary search per type.
    pub fn relationships_between(
        &self,
        from: NodeId,
        to: NodeId,
        direction: Direction,
        types: &[TypeId],
    ) -> Vec<EdgeId> {
        let mut out = Vec::new();
        let sides: &[bool] = match direction {
            Direction::Outgoing => &[true],
            Direction::Incoming => &[false],
            Direction::Both => &[true, false],
        };
        for &outgoing in sides {
            // In `Both`, a self-loop was already reported as outgoing.
            if !outgoing && direction == Direction::Both && from == to {
                continue;
            }
            if types.is_empty() {
                let all = self.adjacency.all(from, outgoing);
                out.extend(all.iter().filter(|a| a.other == to).map(|a| a.edge));
            } else {
                for t in types {
                    out.extend(
                        self.adjacency
                            .between(from, outgoing, *t, to)
                            .iter()
                            .map(|a| a.edge),
                    );
                }
            }
        }
        out
    }

    /// Starts a bulk load: relationships added until
    /// [`Graph::finish_bulk_load`] are indexed all at once at the end.
    pub fn begin_bulk_load(&mut self) {
        self.adjacency.begin_bulk();
    }

    /// Ends a bulk load (see [`Graph::begin_bulk_load`]).
    pub fn finish_bulk_load(&mut self) {
        self.adjacency.finish_bulk();
    }

    /// How many relationships have type `rel_type`.
    pub fn type_count(&self, rel_type: TypeId) -> usize {
        self.type_counts
            .get(rel_type.0 as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Bytes held by the typed adjacency index.
    pub fn adjacency_bytes(&self) -> usize {
        self.adjacency.heap_bytes()
    }

    /// How many relationships touch `node` (a self-loop counts once).
    pub fn degree(&self, node: NodeId) -> usize {
        self.relationships_of(node, Direction::Both).count()
    }

    /// The nodes with `label` whose property `key` equals `value`, using
    /// (and creating on first use) the equality index on (label, key).
    pub fn find_nodes(&self, label: LabelId, key: KeyId, value: &Value) -> Vec<NodeId> {
        if !indexable(value) {
            return self
                .nodes_with_label(label)
                .filter(|n| {
                    self.node_value(*n, key)
                        .and_then(|v| v.equals(value))
                        .unwrap_or(false)
                })
                .collect();
        }
        if let Some(found) = self.indexes().lookup(label, key, value) {
            return found;
        }
        let entries = self
            .nodes_with_label(label)
            .filter_map(|n| Some((n, self.node_value(n, key)?)));
        let mut indexes = self.indexes_mut();
        indexes.create(label, key, entries);
        indexes.lookup(label, key, value).unwrap_or_default()
    }

    // ----- writing -----

    /// Adds a node; labels are deduplicated, null properties dropped.
    pub fn add_node(&mut self, labels: Vec<LabelId>, properties: Properties) -> NodeId {
        let mut own = Vec::with_capacity(labels.len());
        for label in labels {
            if !own.contains(&label) {
                own.push(label);
            }
        }
        let weight = self.label_sets.intern(&own);
        let mut props = Properties::with_capacity(properties.len());
        for (k, v) in properties {
            put_property(&mut props, k, v);
        }
        let id = NodeId(self.inner.add_node(weight).index() as u32);
        self.index_new_node(id, props);
        id
    }

    /// Gives a node just added to `inner` its row and index entries.
    fn index_new_node(&mut self, id: NodeId, props: Properties) {
        self.forget_aliases();
        let Some(weight) = self.inner.node_weight(id.pg()) else {
            return;
        };
        let labels = self.label_sets.labels(*weight);
        let mut indexes = self
            .property_indexes
            .write()
            .unwrap_or_else(|e| e.into_inner());
        for label in labels {
            self.label_index.insert(*label, id);
            indexes.relabel(id, *label, &props, true);
        }
        drop(indexes);
        self.store.add_node(id, labels, props);
        self.fulltext_node(id);
    }

    /// Adds a relationship from `from` to `to`; `None` if an end is missing.
    pub fn add_relationship(
        &mut self,
        from: NodeId,
        to: NodeId,
        rel_type: TypeId,
        properties: Properties,
    ) -> Option<EdgeId> {
        if self.node(from).is_none() || self.node(to).is_none() {
            return None;
        }
        let mut props = Properties::with_capacity(properties.len());
        for (k, v) in properties {
            put_property(&mut props, k, v);
        }
        let weight = EdgeWeight::new(rel_type);
        let id = EdgeId(self.inner.add_edge(from.pg(), to.pg(), weight).index() as u32);
        self.store.add_relationship(id, rel_type, props);
        self.deleted_types.remove(&id);
        self.adjacency.add(from, to, rel_type, id);
        self.count_type(rel_type, true);
        self.fulltext_relationship(id);
        Some(id)
    }

    /// Removes a node that has no relationships; returns its data, or the
    /// node back as `Err` if it still has relationships.
    pub fn remove_node(&mut self, id: NodeId) -> Result<Option<NodeData>, usize> {
        let degree = self.degree(id);
        if degree > 0 {
            return Err(degree);
        }
        let Some(weight) = self.inner.remove_node(id.pg()) else {
            return Ok(None);
        };
        let labels = self.label_sets.labels(weight).to_vec();
        let properties = self.store.remove_node(id);
        self.forget_aliases();
        let mut indexes = self
            .property_indexes
            .write()
            .unwrap_or_else(|e| e.into_inner());
        for label in &labels {
            self.label_index.remove(*label, id);
            indexes.relabel(id, *label, &properties, false);
        }
        drop(indexes);
        self.fulltext_node(id);
        Ok(Some(NodeData { labels, properties }))
    }

    /// Re-adds a node removed by [`Graph::remove_node`] into the slot it
    /// had: valid only when undoing removals in reverse order.
    pub(crate) fn restore_node(&mut self, id: NodeId, data: NodeData) -> bool {
        let weight = self.label_sets.intern(&data.labels);
        let got = NodeId(self.inner.add_node(weight).index() as u32);
        self.index_new_node(got, data.properties);
        got == id
    }

    /// Re-adds a relationship removed by [`Graph::remove_relationship`].
    pub(crate) fn restore_relationship(
        &mut self,
        id: EdgeId,
        from: NodeId,
        to: NodeId,
        data: EdgeData,
    ) -> bool {
        let rel_type = data.rel_type;
        let weight = EdgeWeight::new(rel_type);
        let got = EdgeId(self.inner.add_edge(from.pg(), to.pg(), weight).index() as u32);
        self.store.add_relationship(got, rel_type, data.properties);
        self.adjacency.add(from, to, rel_type, got);
        self.count_type(rel_type, true);
        self.fulltext_relationship(got);
        got == id
    }

    /// Removes a relationship; returns its ends and data.
    pub fn remove_relationship(&mut self, id: EdgeId) -> Option<(NodeId, NodeId, EdgeData)> {
        let (from, to) = self.endpoints(id)?;
        let rel_type = self.inner.remove_edge(id.pg())?.rel_type();
        let properties = self.store.remove_relationship(id);
        self.adjacency.remove(from, to, rel_type, id);
        self.count_type(rel_type, false);
        self.fulltext_relationship(id);
        Some((
            from,
            to,
            EdgeData {
                rel_type,
                properties,
            },
        ))
    }

    /// Remembers the type of relationship `id`, which the running
    /// statement deleted, until [`Graph::forget_deleted`].
    pub fn note_deleted(&mut self, id: EdgeId, rel_type: TypeId) {
        self.deleted_types.insert(id, rel_type);
    }

    /// The type of relationship `id` if the running statement deleted it.
    pub fn deleted_type(&self, id: EdgeId) -> Option<TypeId> {
        self.deleted_types.get(&id).copied()
    }

    /// Forgets the types of deleted relationships (at the end of a statement).
    pub fn forget_deleted(&mut self) {
        self.deleted_types = HashMap::new();
    }

    /// Sets (or with null, removes) a node property; returns the old value.
    pub fn set_node_property(&mut self, id: NodeId, key: KeyId, value: Value) -> Option<Value> {
        self.forget_aliases();
        let weight = *self.inner.node_weight(id.pg())?;
        let new = (!value.is_null()).then(|| value.clone());
        let old = self.store.set_node_property(id, key, value);
        let labels = self.label_sets.labels(weight);
        self.indexes_mut()
            .update(id, labels, key, old.as_ref(), new.as_ref());
        self.fulltext_node_key(id, key);
        old
    }

    /// Sets (or with null, removes) a relationship property; returns the old value.
    pub fn set_relationship_property(
        &mut self,
        id: EdgeId,
        key: KeyId,
        value: Value,
    ) -> Option<Value> {
        self.inner.edge_weight(id.pg())?;
        let old = self.store.set_relationship_property(id, key, value);
        self.fulltext_relationship_key(id, key);
        old
    }

    /// Adds a label to a node; `true` if it was not there.
    pub fn add_label(&mut self, id: NodeId, label: LabelId) -> bool {
        let Some(weight) = self.inner.node_weight(id.pg()) else {
            return false;
        };
        let mut labels = self.label_sets.labels(*weight).to_vec();
        if labels.contains(&label) {
            return false;
        }
        labels.push(label);
        self.set_labels(id, &labels);
        self.label_index.insert(label, id);
        let mut indexes = self
            .property_indexes
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if !indexes.is_empty() {
            indexes.relabel(id, label, &self.store.node_properties(id), true);
        }
        drop(indexes);
        self.fulltext_node(id);
        true
    }

    /// Removes a label from a node; returns the position it had, if any.
    pub fn remove_label(&mut self, id: NodeId, label: LabelId) -> Option<usize> {
        let weight = self.inner.node_weight(id.pg())?;
        let mut labels = self.label_sets.labels(*weight).to_vec();
        let pos = labels.iter().position(|l| *l == label)?;
        labels.remove(pos);
        self.set_labels(id, &labels);
        self.label_index.remove(label, id);
        let mut indexes = self
            .property_indexes
            .write()
            .unwrap_or_else(|e| e.into_inner());
        if !indexes.is_empty() {
            indexes.relabel(id, label, &self.store.node_properties(id), false);
        }
        drop(indexes);
        self.fulltext_node(id);
        Some(pos)
    }

    /// Puts a label back at the position it had (undo of `remove_label`).
    pub(crate) fn insert_label_at(&mut self, id: NodeId, label: LabelId, pos: usize) {
        if self.add_label(id, label)
            && let Some(weight) = self.inner.node_weight(id.pg())
        {
            let mut labels = self.label_sets.labels(*weight).to_vec();
            if let Some(last) = labels.pop() {
                labels.insert(pos.min(labels.len()), last);
            }
            let weight = self.label_sets.intern(&labels);
            if let Some(w) = self.inner.node_weight_mut(id.pg()) {
                *w = weight;
            }
        }
    }

    /// Gives node `id` the label list `labels` and moves its row to the
    /// table of that set.
    fn set_labels(&mut self, id: NodeId, labels: &[LabelId]) {
        let weight = self.label_sets.intern(labels);
        if let Some(w) = self.inner.node_weight_mut(id.pg()) {
            *w = weight;
        }
        self.store.relabel_node(id, labels);
    }
}

/// The iterator of [`Graph::neighbours`].
#[derive(Debug, Clone)]
pub struct Neighbours<'a> {
    adjacency: &'a Adjacency,
    node: NodeId,
    types: &'a [TypeId],
    sides: &'static [bool],
    both: bool,
    side: usize,
    type_at: usize,
    current: &'a [Adj],
    current_outgoing: bool,
}

impl Iterator for Neighbours<'_> {
    type Item = (EdgeId, NodeId);

    fn next(&mut self) -> Option<(EdgeId, NodeId)> {
        loop {
            if let Some((first, rest)) = self.current.split_first() {
                self.current = rest;
                // In `Both`, a self-loop was already reported as outgoing.
                if self.both && !self.current_outgoing && first.other == self.node {
                    continue;
                }
                return Some((first.edge, first.other));
            }
            // Move to the next (side, type) slice.
            let outgoing = *self.sides.get(self.side)?;
            self.current_outgoing = outgoing;
            if self.types.is_empty() {
                self.current = self.adjacency.all(self.node, outgoing);
                self.side += 1;
            } else if let Some(t) = self.types.get(self.type_at) {
                self.current = self.adjacency.typed(self.node, outgoing, *t);
                self.type_at += 1;
                if self.type_at == self.types.len() {
                    self.type_at = 0;
                    self.side += 1;
                }
            } else {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_slots_are_reused_last_in_first_out() {
        let mut g = Graph::new();
        let a = g.add_node(vec![], vec![]);
        let b = g.add_node(vec![], vec![]);
        let c = g.add_node(vec![], vec![]);
        let da = g.remove_node(a).unwrap().unwrap();
        let dc = g.remove_node(c).unwrap().unwrap();
        assert!(g.restore_node(c, dc));
        assert!(g.restore_node(a, da));
        assert!(g.node(b).is_some());
    }

    #[test]
    fn equality_index_follows_writes() {
        let mut g = Graph::new();
        let company = g.intern_label("Company");
        let name = g.intern_key("name");
        let a = g.add_node(vec![company], vec![(name, Value::from("Sinotruk"))]);
        assert_eq!(
            g.find_nodes(company, name, &Value::from("Sinotruk")),
            vec![a]
        );
        g.set_node_property(a, name, Value::from("CNHTC"));
        assert!(
            g.find_nodes(company, name, &Value::from("Sinotruk"))
                .is_empty()
        );
        assert_eq!(g.find_nodes(company, name, &Value::from("CNHTC")), vec![a]);
        let b = g.add_node(vec![company], vec![(name, Value::Int(1))]);
        assert_eq!(g.find_nodes(company, name, &Value::Float(1.0)), vec![b]);
        g.remove_label(b, company);
        assert!(g.find_nodes(company, name, &Value::Int(1)).is_empty());
    }

    #[test]
    fn self_loops_are_seen_once_in_both_directions() {
        let mut g = Graph::new();
        let t = g.intern_type("T");
        let a = g.add_node(vec![], vec![]);
        g.add_relationship(a, a, t, vec![]);
        assert_eq!(g.relationships_of(a, Direction::Both).count(), 1);
        assert_eq!(g.relationships_of(a, Direction::Outgoing).count(), 1);
        assert_eq!(g.relationships_of(a, Direction::Incoming).count(), 1);
        assert_eq!(g.neighbours(a, Direction::Both, &[]).count(), 1);
        assert_eq!(g.neighbours(a, Direction::Both, &[t]).count(), 1);
        assert_eq!(g.neighbours(a, Direction::Incoming, &[t]).count(), 1);
    }

    #[test]
    fn neighbours_by_type_follow_writes() {
        let mut g = Graph::new();
        let (t, u) = (g.intern_type("T"), g.intern_type("U"));
        let a = g.add_node(vec![], vec![]);
        let b = g.add_node(vec![], vec![]);
        let e1 = g.add_relationship(a, b, t, vec![]).unwrap();
        let e2 = g.add_relationship(b, a, u, vec![]).unwrap();
        let out: Vec<_> = g.neighbours(a, Direction::Outgoing, &[t]).collect();
        assert_eq!(out, [(e1, b)]);
        let both: Vec<_> = g.neighbours(a, Direction::Both, &[u, t]).collect();
        assert_eq!(both, [(e1, b), (e2, b)]);
        assert_eq!(g.neighbour_count(a, Direction::Both, &[]), 2);
        g.remove_relationship(e1);
        assert_eq!(g.neighbours(a, Direction::Both, &[]).count(), 1);
    }
}
