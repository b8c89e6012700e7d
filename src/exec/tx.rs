//! Transactions: every change a statement makes goes through [`Tx`], which
//! counts it and records how to undo it, so a failing statement leaves the
//! graph exactly as it was. When asked ([`Tx::with_redo`]) it also records
//! each change as a [`Change`] that a journal can store and replay.

use std::collections::{HashMap, HashSet};

use super::redo::Change;
use crate::graph::{EdgeData, EdgeId, Graph, KeyId, LabelId, NodeData, NodeId, Properties, TypeId};
use crate::value::Value;

/// Counts of what a statement changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Nodes created.
    pub nodes_created: u64,
    /// Nodes deleted.
    pub nodes_deleted: u64,
    /// Relationships created.
    pub relationships_created: u64,
    /// Relationships deleted.
    pub relationships_deleted: u64,
    /// Label names that came into use (no node had them before, some do now).
    pub labels_added: u64,
    /// Label names that went out of use (some node had them, none does now).
    pub labels_removed: u64,
    /// Property values that exist after the statement and did not before
    /// (a replaced value counts as one set and one removed; a property set
    /// to the value it had counts nothing).
    pub properties_set: u64,
    /// Property values that existed before the statement and do not after,
    /// including those of deleted entities.
    pub properties_removed: u64,
}

impl Stats {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == Stats::default()
    }

    /// Adds another statement's counts.
    pub fn add(&mut self, other: &Stats) {
        self.nodes_created += other.nodes_created;
        self.nodes_deleted += other.nodes_deleted;
        self.relationships_created += other.relationships_created;
        self.relationships_deleted += other.relationships_deleted;
        self.labels_added += other.labels_added;
        self.labels_removed += other.labels_removed;
        self.properties_set += other.properties_set;
        self.properties_removed += other.properties_removed;
    }
}

/// How to undo one change.
#[derive(Debug)]
enum Undo {
    CreatedNode(NodeId),
    CreatedRel(EdgeId),
    DeletedNode(NodeId, NodeData),
    DeletedRel(EdgeId, NodeId, NodeId, EdgeData),
    NodeProperty(NodeId, KeyId, Option<Value>),
    RelProperty(EdgeId, KeyId, Option<Value>),
    AddedLabel(NodeId, LabelId),
    RemovedLabel(NodeId, LabelId, usize),
}

/// A statement's changes to a graph, with counts and an undo log.
pub struct Tx<'g> {
    graph: &'g mut Graph,
    undo: Vec<Undo>,
    stats: Stats,
    /// For each label the statement touched, how many nodes had it before.
    labels_before: HashMap<LabelId, usize>,
    /// For each property the statement touched, its value before.
    props_before: HashMap<(Entity, KeyId), Option<Value>>,
    /// The changes as a journal records them, when asked for.
    redo: Option<Vec<Change>>,
    /// The nodes and relationships this statement created (and has not
    /// deleted again): one created and deleted in the same statement counts
    /// as neither, as the TCK's side effects say.
    created: HashSet<Entity>,
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        self.graph.forget_deleted();
    }
}

/// A node or a relationship, as the owner of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Entity {
    Node(NodeId),
    Rel(EdgeId),
}

impl<'g> Tx<'g> {
    /// Starts a transaction on `graph`.
    pub fn new(graph: &'g mut Graph) -> Self {
        Tx {
            graph,
            undo: Vec::new(),
            stats: Stats::default(),
            labels_before: HashMap::new(),
            props_before: HashMap::new(),
            redo: None,
            created: HashSet::new(),
        }
    }

    /// Starts a transaction that also records redo [`Change`]s.
    pub fn with_redo(graph: &'g mut Graph) -> Self {
        let mut tx = Tx::new(graph);
        tx.redo = Some(Vec::new());
        tx
    }

    /// The redo changes recorded so far (empty unless started with
    /// [`Tx::with_redo`]).
    pub fn redo(&self) -> &[Change] {
        self.redo.as_deref().unwrap_or_default()
    }

    /// Keeps the changes; returns the counts and the redo changes.
    pub fn commit_with_redo(mut self) -> (Stats, Vec<Change>) {
        (self.stats(), self.redo.take().unwrap_or_default())
    }

    fn record(&mut self, change: impl FnOnce(&Graph) -> Change) {
        if let Some(redo) = &mut self.redo {
            redo.push(change(self.graph));
        }
    }

    /// The graph as it is now, for reading.
    pub fn graph(&self) -> &Graph {
        self.graph
    }

    /// Interns a property key (not a change of the graph's content).
    pub fn intern_key(&mut self, name: &str) -> KeyId {
        self.graph.intern_key(name)
    }

    /// What the statement changed so far.
    pub fn stats(&self) -> Stats {
        let mut stats = self.stats;
        for ((entity, key), before) in &self.props_before {
            let after = self.current_property(*entity, *key);
            match (before.as_ref(), after) {
                (None, Some(_)) => stats.properties_set += 1,
                (Some(_), None) => stats.properties_removed += 1,
                (Some(b), Some(a)) if *b != a => {
                    stats.properties_set += 1;
                    stats.properties_removed += 1;
                }
                _ => {}
            }
        }
        for (label, before) in &self.labels_before {
            let after = self.graph.label_count(*label);
            stats.labels_added += u64::from(*before == 0 && after > 0);
            stats.labels_removed += u64::from(*before > 0 && after == 0);
        }
        stats
    }

    /// Whether the statement changed the graph so far.
    pub fn changed(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Keeps the changes.
    pub fn commit(self) -> Stats {
        self.stats()
    }

    /// Remembers how many nodes had `label` before the statement changed it.
    fn touch_label(&mut self, label: LabelId) {
        let count = self.graph.label_count(label);
        self.labels_before.entry(label).or_insert(count);
    }

    /// Undoes every change, newest first. Returns false if the graph could
    /// not be put back exactly (slots reused differently) — never expected.
    pub fn rollback(mut self) -> bool {
        let undo = std::mem::take(&mut self.undo);
        UndoLog { entries: undo }.undo(self.graph)
    }

    /// Keeps the changes of this statement inside a longer transaction:
    /// returns its counts, the log that undoes it and its redo changes
    /// (empty unless started with [`Tx::with_redo`]).
    pub fn keep(mut self) -> (Stats, UndoLog, Vec<Change>) {
        let stats = self.stats();
        let undo = UndoLog {
            entries: std::mem::take(&mut self.undo),
        };
        (stats, undo, self.redo.take().unwrap_or_default())
    }

    /// Creates a node.
    pub fn create_node(&mut self, labels: Vec<LabelId>, properties: Properties) -> NodeId {
        for label in &labels {
            self.touch_label(*label);
        }
        let id = self.graph.add_node(labels, properties);
        self.touch_new_properties(Entity::Node(id));
        self.stats.nodes_created += 1;
        self.created.insert(Entity::Node(id));
        self.undo.push(Undo::CreatedNode(id));
        self.record(|g| Change::CreateNode {
            id: id.0,
            labels: g.node_labels(id).into_iter().map(str::to_string).collect(),
            properties: named(g, g.node(id).map(|d| d.properties()).as_ref()),
        });
        id
    }

    /// Creates a relationship; `None` if an end node is missing.
    pub fn create_relationship(
        &mut self,
        from: NodeId,
        to: NodeId,
        rel_type: TypeId,
        properties: Properties,
    ) -> Option<EdgeId> {
        let id = self
            .graph
            .add_relationship(from, to, rel_type, properties)?;
        self.stats.relationships_created += 1;
        self.created.insert(Entity::Rel(id));
        self.touch_new_properties(Entity::Rel(id));
        self.undo.push(Undo::CreatedRel(id));
        self.record(|g| Change::CreateRelationship {
            id: id.0,
            from: from.0,
            to: to.0,
            rel_type: g.type_name(rel_type).to_string(),
            properties: named(g, g.relationship(id).map(|d| d.properties()).as_ref()),
        });
        Some(id)
    }

    /// Deletes a relationship (no-op if already gone).
    pub fn delete_relationship(&mut self, id: EdgeId) {
        if let Some((from, to, data)) = self.graph.remove_relationship(id) {
            self.graph.note_deleted(id, data.rel_type());
            if self.created.remove(&Entity::Rel(id)) {
                self.stats.relationships_created -= 1;
            } else {
                self.stats.relationships_deleted += 1;
            }
            for (key, value) in data.properties() {
                self.props_before
                    .entry((Entity::Rel(id), *key))
                    .or_insert_with(|| Some(value.clone()));
            }
            self.undo.push(Undo::DeletedRel(id, from, to, data));
            self.record(|_| Change::DeleteRelationship { id: id.0 });
        }
    }

    /// Deletes a node; `Err(degree)` if it still has relationships.
    pub fn delete_node(&mut self, id: NodeId) -> Result<(), usize> {
        let labels = self
            .graph
            .node(id)
            .map(|n| n.labels().to_vec())
            .unwrap_or_default();
        for label in labels {
            self.touch_label(label);
        }
        if let Some(data) = self.graph.remove_node(id)? {
            if self.created.remove(&Entity::Node(id)) {
                self.stats.nodes_created -= 1;
            } else {
                self.stats.nodes_deleted += 1;
            }
            for (key, value) in data.properties() {
                self.props_before
                    .entry((Entity::Node(id), *key))
                    .or_insert_with(|| Some(value.clone()));
            }
            self.undo.push(Undo::DeletedNode(id, data));
            self.record(|_| Change::DeleteNode { id: id.0 });
        }
        Ok(())
    }

    /// Sets (null removes) a node property.
    pub fn set_node_property(&mut self, id: NodeId, key: KeyId, value: Value) {
        if self.graph.node(id).is_none() {
            return;
        }
        if self.graph.node(id).and_then(|n| n.property(key)).as_ref() == Some(&value) {
            return;
        }
        if self.redo.is_some() {
            let value = value.clone();
            self.record(|g| Change::SetNodeProperty {
                id: id.0,
                key: g.key_name(key).to_string(),
                value,
            });
        }
        let old = self.graph.set_node_property(id, key, value);
        self.props_before
            .entry((Entity::Node(id), key))
            .or_insert_with(|| old.clone());
        self.undo.push(Undo::NodeProperty(id, key, old));
    }

    /// Sets (null removes) a relationship property.
    pub fn set_relationship_property(&mut self, id: EdgeId, key: KeyId, value: Value) {
        if self.graph.relationship(id).is_none() {
            return;
        }
        if self
            .graph
            .relationship(id)
            .and_then(|r| r.property(key))
            .as_ref()
            == Some(&value)
        {
            return;
        }
        if self.redo.is_some() {
            let value = value.clone();
            self.record(|g| Change::SetRelationshipProperty {
                id: id.0,
                key: g.key_name(key).to_string(),
                value,
            });
        }
        let old = self.graph.set_relationship_property(id, key, value);
        self.props_before
            .entry((Entity::Rel(id), key))
            .or_insert_with(|| old.clone());
        self.undo.push(Undo::RelProperty(id, key, old));
    }

    /// Records that every property of a just-created entity had no value
    /// before the statement.
    fn touch_new_properties(&mut self, entity: Entity) {
        let keys: Vec<KeyId> = match entity {
            Entity::Node(id) => self
                .graph
                .node(id)
                .map(|n| n.properties().iter().map(|(k, _)| *k).collect()),
            Entity::Rel(id) => self
                .graph
                .relationship(id)
                .map(|r| r.properties().iter().map(|(k, _)| *k).collect()),
        }
        .unwrap_or_default();
        for key in keys {
            self.props_before.entry((entity, key)).or_insert(None);
        }
    }

    /// The value of a property as it is now (`None` when absent or the
    /// entity is gone).
    fn current_property(&self, entity: Entity, key: KeyId) -> Option<Value> {
        match entity {
            Entity::Node(id) => self.graph.node(id)?.property(key),
            Entity::Rel(id) => self.graph.relationship(id)?.property(key),
        }
    }

    /// Adds a label.
    pub fn add_label(&mut self, id: NodeId, label: LabelId) {
        self.touch_label(label);
        if self.graph.add_label(id, label) {
            self.undo.push(Undo::AddedLabel(id, label));
            self.record(|g| Change::AddLabel {
                id: id.0,
                label: g.label_name(label).to_string(),
            });
        }
    }

    /// Removes a label.
    pub fn remove_label(&mut self, id: NodeId, label: LabelId) {
        self.touch_label(label);
        if let Some(pos) = self.graph.remove_label(id, label) {
            self.undo.push(Undo::RemovedLabel(id, label, pos));
            self.record(|g| Change::RemoveLabel {
                id: id.0,
                label: g.label_name(label).to_string(),
            });
        }
    }
}

/// How to undo the statements kept so far by an open multi-statement
/// transaction (see [`Tx::keep`]).
#[derive(Debug, Default)]
pub struct UndoLog {
    entries: Vec<Undo>,
}

impl UndoLog {
    /// Adds a later statement's log.
    pub fn append(&mut self, mut later: UndoLog) {
        self.entries.append(&mut later.entries);
    }

    /// Whether there is nothing to undo.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Undoes every change on `graph`, newest first. Returns false if the
    /// graph could not be put back exactly — never expected.
    pub fn undo(mut self, graph: &mut Graph) -> bool {
        let mut exact = true;
        while let Some(undo) = self.entries.pop() {
            match undo {
                Undo::CreatedNode(id) => {
                    let _ = graph.remove_node(id);
                }
                Undo::CreatedRel(id) => {
                    graph.remove_relationship(id);
                }
                Undo::DeletedNode(id, data) => exact &= graph.restore_node(id, data),
                Undo::DeletedRel(id, from, to, data) => {
                    exact &= graph.restore_relationship(id, from, to, data)
                }
                Undo::NodeProperty(id, key, old) => {
                    graph.set_node_property(id, key, old.unwrap_or(Value::Null));
                }
                Undo::RelProperty(id, key, old) => {
                    graph.set_relationship_property(id, key, old.unwrap_or(Value::Null));
                }
                Undo::AddedLabel(id, label) => {
                    graph.remove_label(id, label);
                }
                Undo::RemovedLabel(id, label, pos) => graph.insert_label_at(id, label, pos),
            }
        }
        exact
    }
}

/// Properties with key names instead of ids.
fn named(graph: &Graph, props: Option<&Properties>) -> Vec<(String, Value)> {
    props
        .map(|p| {
            p.iter()
                .map(|(k, v)| (graph.key_name(*k).to_string(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}
