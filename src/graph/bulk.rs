//! Building a whole graph at once (snapshot loading, CSV import): the
//! property columns come in ready-made, petgraph is filled with reserved
//! capacity, and the label index and typed adjacency are built in one pass
//! each instead of element by element.

use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};

use super::adjacency::Adjacency;
use super::columns::PropertyStore;
use super::index::LabelIndex;
use super::weights::{EdgeWeight, LabelSets, NodeWeight};
use super::{EdgeId, Graph, Interner, LabelId, NodeId, TypeId};

/// One relationship slot of a bulk build: start, end and type, or a
/// deleted slot ([`EdgeSlot::HOLE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeSlot {
    /// Start node id.
    pub from: u32,
    /// End node id.
    pub to: u32,
    /// Type id.
    pub rel_type: u32,
}

impl EdgeSlot {
    /// A deleted relationship slot.
    pub const HOLE: EdgeSlot = EdgeSlot {
        from: u32::MAX,
        to: u32::MAX,
        rel_type: u32::MAX,
    };

    /// Whether this slot is deleted.
    pub fn is_hole(&self) -> bool {
        self.from == u32::MAX
    }
}

/// The names of a graph: labels, relationship types and property keys.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Label names by id.
    pub labels: Interner,
    /// Relationship type names by id.
    pub types: Interner,
    /// Property key names by id.
    pub keys: Interner,
}

/// The node slots of a bulk build: per slot, the node's labels (in the
/// node's order) or a deleted slot. Label lists are interned as they come,
/// so a million nodes with a handful of distinct lists allocate a handful
/// of lists.
#[derive(Debug, Clone, Default)]
pub struct BulkNodes {
    sets: LabelSets,
    slots: Vec<Option<NodeWeight>>,
}

impl BulkNodes {
    /// `count` deleted slots, to be filled with [`BulkNodes::set`].
    pub fn holes(count: usize) -> BulkNodes {
        BulkNodes {
            sets: LabelSets::default(),
            slots: vec![None; count],
        }
    }
    /// Appends a node slot with `labels`.
    pub fn push(&mut self, labels: &[LabelId]) {
        let w = self.sets.intern(labels);
        self.slots.push(Some(w));
    }
    /// Gives slot `id` (which must exist) a node with `labels`.
    pub fn set(&mut self, id: u32, labels: &[LabelId]) {
        let w = self.sets.intern(labels);
        if let Some(slot) = self.slots.get_mut(id as usize) {
            *slot = Some(w);
        }
    }
    /// The labels of the node in slot `id`, or `None` for a deleted or
    /// missing slot.
    pub fn labels(&self, id: u32) -> Option<&[LabelId]> {
        let w = (*self.slots.get(id as usize)?)?;
        Some(self.sets.labels(w))
    }
    /// How many slots there are.
    pub fn len(&self) -> usize {
        self.slots.len()
    }
    /// Whether there is no slot.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

impl Graph {
    /// Builds a graph at once. `nodes` has one entry per node slot (its
    /// labels in the node's order, or a deleted slot), `edges`
    /// one per relationship slot, and `store` every property, with a row
    /// for exactly the present nodes and relationships (the caller
    /// guarantees it). Deleted slots are reused lowest id first, as after
    /// loading element by element. `Err` describes the first
    /// inconsistency: a relationship at a missing node, an unknown label
    /// or type id, or relationship slots without any node slot.
    pub fn from_bulk(
        names: Names,
        nodes: BulkNodes,
        edges: &[EdgeSlot],
        mut store: PropertyStore,
    ) -> Result<Graph, String> {
        let Names {
            mut labels,
            mut types,
            mut keys,
        } = names;
        labels.rebuild();
        types.rebuild();
        keys.rebuild();
        if nodes.is_empty() && !edges.is_empty() {
            return Err("relationship slots without any node slot".to_string());
        }
        let (label_count, type_count) = (labels.len(), types.len());
        let node_bound = nodes.len();
        let BulkNodes {
            sets: label_sets,
            slots: nodes,
        } = nodes;
        let present = |id: u32| nodes.get(id as usize).is_some_and(Option::is_some);
        for (i, e) in edges.iter().enumerate() {
            if e.is_hole() {
                continue;
            }
            if !present(e.from) || !present(e.to) {
                return Err(format!("relationship {i} ends at a missing node"));
            }
            if e.rel_type as usize >= type_count {
                return Err(format!("relationship type id {} is unknown", e.rel_type));
            }
        }
        let mut node_holes = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            match n {
                None => node_holes.push(i),
                Some(w) => {
                    let list = label_sets.labels(*w);
                    if let Some(l) = list.iter().find(|l| l.0 as usize >= label_count) {
                        return Err(format!("label id {} is unknown", l.0));
                    }
                }
            }
        }

        let label_index = LabelIndex::from_nodes(
            label_count,
            node_bound,
            nodes
                .iter()
                .enumerate()
                .filter_map(|(i, n)| n.map(|w| (NodeId(i as u32), label_sets.labels(w)))),
        );
        let live = edges
            .iter()
            .enumerate()
            .filter(|(_, e)| !e.is_hole())
            .map(|(i, e)| {
                (
                    NodeId(e.from),
                    NodeId(e.to),
                    TypeId(e.rel_type),
                    EdgeId(i as u32),
                )
            });
        let adjacency = Adjacency::from_edges(node_bound, live);
        let mut type_counts = vec![0usize; type_count];
        for e in edges.iter().filter(|e| !e.is_hole()) {
            type_counts[e.rel_type as usize] += 1;
        }

        let mut inner: StableDiGraph<NodeWeight, EdgeWeight, u32> =
            StableDiGraph::with_capacity(node_bound, edges.len());
        for w in nodes {
            inner.add_node(w.unwrap_or_else(|| label_sets.empty()));
        }
        for e in edges {
            // A deleted slot is a placeholder at node 0, removed below.
            let (from, to, t) = if e.is_hole() {
                (0, 0, 0)
            } else {
                (e.from, e.to, e.rel_type)
            };
            inner.add_edge(
                NodeIndex::new(from as usize),
                NodeIndex::new(to as usize),
                EdgeWeight::new(TypeId(t)),
            );
        }
        // Highest id first, so that the lowest free slot is reused first.
        for (i, _) in edges.iter().enumerate().rev().filter(|(_, e)| e.is_hole()) {
            inner.remove_edge(EdgeIndex::new(i));
        }
        for i in node_holes.into_iter().rev() {
            inner.remove_node(NodeIndex::new(i));
        }
        store.shrink_to_fit();
        Ok(Graph {
            inner,
            label_sets,
            store,
            labels,
            types,
            keys,
            label_index,
            adjacency,
            type_counts,
            ..Graph::default()
        })
    }
}

/// Properties as [`Graph::add_node`] keeps them: sorted by key, the last
/// value of a key winning, null meaning absent.
fn normalized(properties: super::Properties) -> super::Properties {
    if properties.windows(2).all(|w| w[0].0 < w[1].0) && !properties.iter().any(|p| p.1.is_null()) {
        return properties;
    }
    let mut props = super::Properties::with_capacity(properties.len());
    for (k, v) in properties {
        super::put_property(&mut props, k, v);
    }
    props
}

/// Collects nodes and relationships, then builds the graph at once
/// ([`GraphBuilder::finish`]): each element gets its property row as it
/// comes, while petgraph, the label index and the adjacency are built in
/// one pass at the end. Ids are handed out densely from 0, as
/// [`Graph::add_node`] and [`Graph::add_relationship`] would on an empty
/// graph.
#[derive(Debug, Default)]
pub struct GraphBuilder {
    names: Names,
    nodes: BulkNodes,
    edges: Vec<EdgeSlot>,
    store: PropertyStore,
}

impl GraphBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        GraphBuilder::default()
    }
    /// Interns a label.
    pub fn intern_label(&mut self, name: &str) -> LabelId {
        LabelId(self.names.labels.intern(name))
    }
    /// Interns a relationship type.
    pub fn intern_type(&mut self, name: &str) -> TypeId {
        TypeId(self.names.types.intern(name))
    }
    /// Interns a property key.
    pub fn intern_key(&mut self, name: &str) -> super::KeyId {
        super::KeyId(self.names.keys.intern(name))
    }
    /// How many nodes were added.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
    /// How many relationships were added.
    pub fn relationship_count(&self) -> usize {
        self.edges.len()
    }

    /// Adds a node; labels are deduplicated, null properties dropped, and
    /// of two values for one key the last wins (as [`Graph::add_node`]).
    pub fn add_node(&mut self, labels: &[LabelId], properties: super::Properties) -> NodeId {
        let mut own = Vec::with_capacity(labels.len());
        for label in labels {
            if !own.contains(label) {
                own.push(*label);
            }
        }
        let id = NodeId(self.nodes.len() as u32);
        self.store.add_node(id, &own, normalized(properties));
        self.nodes.push(&own);
        id
    }

    /// Adds a relationship; `None` if an end was never added.
    pub fn add_relationship(
        &mut self,
        from: NodeId,
        to: NodeId,
        rel_type: TypeId,
        properties: super::Properties,
    ) -> Option<EdgeId> {
        if from.index() >= self.nodes.len() || to.index() >= self.nodes.len() {
            return None;
        }
        let id = EdgeId(self.edges.len() as u32);
        self.store
            .add_relationship(id, rel_type, normalized(properties));
        self.edges.push(EdgeSlot {
            from: from.0,
            to: to.0,
            rel_type: rel_type.0,
        });
        Some(id)
    }

    /// The graph of everything added; `Err` if a label or type id given
    /// to it was not interned by this builder.
    pub fn finish(self) -> Result<Graph, String> {
        Graph::from_bulk(self.names, self.nodes, &self.edges, self.store)
    }
}
