//! Where a graph's memory goes: heap bytes and allocation counts per
//! structure, for `kgq bench` and memory work. Counts are computed from
//! lengths and capacities, not measured from the allocator, so they leave
//! out the allocator's own overhead (about 8–16 bytes an allocation) and
//! memory it keeps after frees.

use std::mem::size_of;

use petgraph::graph::{Edge, Node};

use super::Graph;
use super::weights::{EdgeWeight, NodeWeight};

/// The heap use of one structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryUse {
    /// What the structure is.
    pub name: &'static str,
    /// Heap bytes it holds (capacity, not length).
    pub bytes: usize,
    /// How many separate heap allocations hold them.
    pub allocations: usize,
}

impl MemoryUse {
    pub(crate) fn new(name: &'static str, bytes: usize, allocations: usize) -> MemoryUse {
        MemoryUse {
            name,
            bytes,
            allocations,
        }
    }
}

impl Graph {
    /// The heap use of each of the graph's structures, largest parts of
    /// the store split out (see [`MemoryUse`]).
    pub fn memory_use(&self) -> Vec<MemoryUse> {
        let (node_cap, edge_cap) = self.inner.capacity();
        let (label_bytes, label_allocations) = self.label_sets.memory_use();
        let mut out = vec![
            MemoryUse::new(
                "petgraph nodes",
                node_cap * size_of::<Node<Option<NodeWeight>, u32>>(),
                1,
            ),
            MemoryUse::new("node label lists", label_bytes, label_allocations),
            MemoryUse::new(
                "petgraph relationships",
                edge_cap * size_of::<Edge<Option<EdgeWeight>, u32>>(),
                1,
            ),
        ];
        out.push(self.adjacency.memory_use());
        out.extend(self.store.memory_use());
        out.push(self.label_index.memory_use());
        out
    }
}
