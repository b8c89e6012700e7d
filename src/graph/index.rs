//! Derived indexes: label → nodes, and (label, key) → value → nodes for
//! equality lookups. Indexes are rebuilt from the graph, never stored.

use std::collections::{BTreeSet, HashMap};

use super::{KeyId, LabelId, NodeId};
use crate::value::{GroupKey, Value};

/// The nodes carrying each label, in id order.
#[derive(Debug, Clone, Default)]
pub struct LabelIndex {
    by_label: Vec<BTreeSet<NodeId>>,
    /// Per label, one bit per node id: a label test without touching the
    /// node's data.
    bits: Vec<Vec<u64>>,
}

impl LabelIndex {
    /// Records that `node` has `label`.
    pub fn insert(&mut self, label: LabelId, node: NodeId) {
        let i = label.0 as usize;
        if self.by_label.len() <= i {
            self.by_label.resize_with(i + 1, BTreeSet::new);
        }
        self.by_label[i].insert(node);
        if self.bits.len() <= i {
            self.bits.resize_with(i + 1, Vec::new);
        }
        let (word, bit) = (node.index() / 64, node.index() % 64);
        let bits = &mut self.bits[i];
        if bits.len() <= word {
            bits.resize(word + 1, 0);
        }
        bits[word] |= 1 << bit;
    }

    /// The index of `nodes` (each with its labels), built at once; ids
    /// must be below `node_bound`.
    pub fn from_nodes<'a>(
        label_count: usize,
        node_bound: usize,
        nodes: impl Iterator<Item = (NodeId, &'a [LabelId])>,
    ) -> LabelIndex {
        let mut members: Vec<Vec<NodeId>> = vec![Vec::new(); label_count];
        let mut bits: Vec<Vec<u64>> = Vec::with_capacity(label_count);
        for (node, labels) in nodes {
            for label in labels {
                let i = label.0 as usize;
                if members.len() <= i {
                    members.resize_with(i + 1, Vec::new);
                }
                members[i].push(node);
            }
        }
        for list in &members {
            let mut words = Vec::new();
            if !list.is_empty() {
                words = vec![0u64; node_bound.div_ceil(64)];
                for node in list {
                    words[node.index() / 64] |= 1 << (node.index() % 64);
                }
            }
            bits.push(words);
        }
        LabelIndex {
            // Collecting sorted ids builds each set in one pass.
            by_label: members.into_iter().map(BTreeSet::from_iter).collect(),
            bits,
        }
    }

    /// Whether `node` has `label` (one bit test).
    pub fn has(&self, label: LabelId, node: NodeId) -> bool {
        let (word, bit) = (node.index() / 64, node.index() % 64);
        self.bits
            .get(label.0 as usize)
            .and_then(|b| b.get(word))
            .is_some_and(|w| w & (1 << bit) != 0)
    }

    /// Records that `node` no longer has `label`.
    pub fn remove(&mut self, label: LabelId, node: NodeId) {
        if let Some(set) = self.by_label.get_mut(label.0 as usize) {
            set.remove(&node);
        }
        let (word, bit) = (node.index() / 64, node.index() % 64);
        if let Some(w) = self
            .bits
            .get_mut(label.0 as usize)
            .and_then(|b| b.get_mut(word))
        {
            *w &= !(1 << bit);
        }
    }

    /// The nodes with `label`.
    pub fn nodes(&self, label: LabelId) -> impl Iterator<Item = NodeId> + '_ {
        self.by_label
            .get(label.0 as usize)
            .into_iter()
            .flatten()
            .copied()
    }

    /// Heap use, for memory reports (a B-tree node holds up to 11 ids in
    /// about 56 bytes on 64-bit targets; counted as full nodes).
    pub fn memory_use(&self) -> super::memory::MemoryUse {
        let ids: usize = self.by_label.iter().map(BTreeSet::len).sum();
        let tree_nodes = ids.div_ceil(11);
        let bits: usize = self.bits.iter().map(|b| b.capacity() * 8).sum();
        super::memory::MemoryUse::new(
            "label index",
            tree_nodes * 56 + bits,
            tree_nodes + self.bits.len(),
        )
    }

    /// How many nodes have `label`.
    pub fn count(&self, label: LabelId) -> usize {
        self.by_label.get(label.0 as usize).map_or(0, BTreeSet::len)
    }
}

/// Equality indexes on (label, key), created on first use and kept up to
/// date by every write afterwards.
#[derive(Debug, Clone, Default)]
pub struct PropertyIndexes {
    indexes: HashMap<(LabelId, KeyId), HashMap<GroupKey, BTreeSet<NodeId>>>,
}

/// Whether a value can be an index key (lists and maps are not indexed).
pub fn indexable(value: &Value) -> bool {
    matches!(
        value,
        Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::String(_)
            | Value::Date(_)
            | Value::LocalDateTime(_)
            | Value::DateTime(_)
            | Value::LocalTime(_)
            | Value::Time(_)
    )
}

impl PropertyIndexes {
    /// Whether no index exists.
    pub fn is_empty(&self) -> bool {
        self.indexes.is_empty()
    }

    /// Creates the index on (label, key) from `entries`.
    pub fn create(
        &mut self,
        label: LabelId,
        key: KeyId,
        entries: impl Iterator<Item = (NodeId, Value)>,
    ) {
        let mut index: HashMap<GroupKey, BTreeSet<NodeId>> = HashMap::new();
        for (node, value) in entries {
            if indexable(&value) {
                index.entry(GroupKey(value)).or_default().insert(node);
            }
        }
        self.indexes.insert((label, key), index);
    }

    /// The nodes whose (label, key) property equals `value`; `None` when no
    /// such index exists.
    pub fn lookup(&self, label: LabelId, key: KeyId, value: &Value) -> Option<Vec<NodeId>> {
        let index = self.indexes.get(&(label, key))?;
        if matches!(value, Value::Float(f) if f.is_nan()) {
            return Some(Vec::new());
        }
        Some(
            index
                .get(&GroupKey(value.clone()))
                .map(|set| set.iter().copied().collect())
                .unwrap_or_default(),
        )
    }

    /// Updates indexes on `key` for a node with `labels` whose property
    /// changed from `old` to `new`.
    pub fn update(
        &mut self,
        node: NodeId,
        labels: &[LabelId],
        key: KeyId,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        for label in labels {
            if let Some(index) = self.indexes.get_mut(&(*label, key)) {
                remove_entry(index, node, old);
                add_entry(index, node, new);
            }
        }
    }

    /// Updates every index on `label` for a node that gained (`added`) or
    /// lost the label, given its properties.
    pub fn relabel(&mut self, node: NodeId, label: LabelId, props: &[(KeyId, Value)], added: bool) {
        for (key, value) in props {
            if let Some(index) = self.indexes.get_mut(&(label, *key)) {
                if added {
                    add_entry(index, node, Some(value));
                } else {
                    remove_entry(index, node, Some(value));
                }
            }
        }
    }
}

fn add_entry(index: &mut HashMap<GroupKey, BTreeSet<NodeId>>, node: NodeId, value: Option<&Value>) {
    if let Some(v) = value.filter(|v| indexable(v)) {
        index.entry(GroupKey(v.clone())).or_default().insert(node);
    }
}

fn remove_entry(
    index: &mut HashMap<GroupKey, BTreeSet<NodeId>>,
    node: NodeId,
    value: Option<&Value>,
) {
    if let Some(v) = value.filter(|v| indexable(v)) {
        let key = GroupKey(v.clone());
        if let Some(set) = index.get_mut(&key) {
            set.remove(&node);
            if set.is_empty() {
                index.remove(&key);
            }
        }
    }
}
