//! The petgraph weights: 4 bytes per node and per relationship, with a
//! niche so that petgraph's `Option` around them costs nothing. A node's
//! weight is the id of its label list, interned in [`LabelSets`] (every
//! distinct list of labels, in the order a node got them, is stored
//! once); a relationship's is its type.

use std::collections::HashMap;
use std::num::NonZeroU32;

use super::{LabelId, TypeId};

/// What the topology keeps of a relationship: its type, stored as
/// `!type` so that it is never zero (type ids stay below `u32::MAX`: the
/// interner would need far more memory than exists to hand that one out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EdgeWeight(NonZeroU32);

impl EdgeWeight {
    /// The weight of a relationship of type `t`.
    pub(crate) fn new(t: TypeId) -> EdgeWeight {
        EdgeWeight(NonZeroU32::new(!t.0).unwrap_or(NonZeroU32::MAX))
    }

    /// The relationship's type.
    pub(crate) fn rel_type(self) -> TypeId {
        TypeId(!self.0.get())
    }
}

/// What the topology keeps of a node: the id of its label list in the
/// graph's [`LabelSets`] (its properties live in the property store).
/// Non-zero, so that petgraph's `Option` of it takes no extra space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodeWeight(NonZeroU32);

/// Every label list any node has had, each with a dense id; a list keeps
/// its id for the graph's lifetime (lists are few: one per distinct
/// combination and order of labels).
#[derive(Debug, Clone)]
pub(crate) struct LabelSets {
    lists: Vec<Box<[LabelId]>>,
    ids: HashMap<Box<[LabelId]>, NodeWeight>,
}

impl Default for LabelSets {
    fn default() -> Self {
        let mut sets = LabelSets {
            lists: Vec::new(),
            ids: HashMap::new(),
        };
        // The empty list is always there, so unlabelled nodes need no lookup.
        sets.intern(&[]);
        sets
    }
}

impl LabelSets {
    /// The weight of a node with `labels` (in order), interning the list.
    pub(crate) fn intern(&mut self, labels: &[LabelId]) -> NodeWeight {
        if let Some(w) = self.ids.get(labels) {
            return *w;
        }
        // At most u32::MAX - 1 lists: each costs an allocation, so memory
        // runs out long before; saturate rather than wrap.
        let id = u32::try_from(self.lists.len() + 1).unwrap_or(u32::MAX);
        let weight = NodeWeight(NonZeroU32::new(id).unwrap_or(NonZeroU32::MAX));
        self.lists.push(labels.into());
        self.ids.insert(labels.into(), weight);
        weight
    }

    /// The weight of an unlabelled node.
    pub(crate) fn empty(&self) -> NodeWeight {
        NodeWeight(NonZeroU32::MIN)
    }

    /// The labels of a node with weight `w`, in the order they were added.
    pub(crate) fn labels(&self, w: NodeWeight) -> &[LabelId] {
        self.lists.get(w.0.get() as usize - 1).map_or(&[], |l| &**l)
    }

    /// Heap bytes and allocations held, for memory reports.
    pub(crate) fn memory_use(&self) -> (usize, usize) {
        let lists: usize = self.lists.iter().map(|l| l.len() * 4).sum();
        let boxed = self.lists.len() * std::mem::size_of::<Box<[LabelId]>>();
        // The map's keys are second copies of the lists.
        let map = self.ids.capacity() * (std::mem::size_of::<(Box<[LabelId]>, NodeWeight)>() + 1);
        let allocations = 2 + 2 * self.lists.iter().filter(|l| !l.is_empty()).count();
        (boxed + 2 * lists + map, allocations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_weights_keep_their_type() {
        for t in [0, 1, 7, u32::MAX - 1] {
            assert_eq!(EdgeWeight::new(TypeId(t)).rel_type(), TypeId(t));
        }
        assert_eq!(
            std::mem::size_of::<Option<EdgeWeight>>(),
            std::mem::size_of::<u32>()
        );
    }

    #[test]
    fn petgraph_records_stay_small() {
        use petgraph::graph::{Edge, Node};
        use std::mem::size_of;
        // Weight 4 bytes, no tag for the `Option`; plus the links.
        assert_eq!(size_of::<Node<Option<NodeWeight>, u32>>(), 12);
        assert_eq!(size_of::<Edge<Option<EdgeWeight>, u32>>(), 20);
    }

    #[test]
    fn lists_are_interned_in_order() {
        let mut sets = LabelSets::default();
        let (a, b) = (LabelId(3), LabelId(1));
        let ab = sets.intern(&[a, b]);
        let ba = sets.intern(&[b, a]);
        assert_ne!(ab, ba);
        assert_eq!(sets.intern(&[a, b]), ab);
        assert_eq!(sets.labels(ab), [a, b]);
        assert_eq!(sets.labels(ba), [b, a]);
        assert_eq!(sets.intern(&[]), sets.empty());
        assert!(sets.labels(sets.empty()).is_empty());
    }
}
