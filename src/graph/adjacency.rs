//! Typed adjacency: for every node, its outgoing and incoming relationships
//! sorted by (type, other end, id), so that an expansion along one type
//! reads only the relationships of that type and a check for a
//! relationship between two bound nodes is a binary search. Derived from
//! the petgraph storage and kept up to date by every write (or, during a
//! bulk load, sorted once at the end); never stored.
//!
//! An entry is 8 bytes (relationship, other end); the types live beside
//! the entries in a parallel array as narrow as the highest type id allows
//! ([`tags`]: one byte each for up to 256 types), and a typed slice is
//! found by binary search over them.

use super::{EdgeId, NodeId, TypeId};
use tags::{TagSlice, Tags};

mod tags;

/// One relationship as seen from one of its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adj {
    /// The relationship.
    pub edge: EdgeId,
    /// The node at the other end.
    pub other: NodeId,
}

/// An entry with its type, compared as lists are sorted: by (type, other
/// end, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    rel_type: TypeId,
    other: NodeId,
    edge: EdgeId,
}

impl Entry {
    fn new(rel_type: TypeId, adj: Adj) -> Entry {
        Entry {
            rel_type,
            other: adj.other,
            edge: adj.edge,
        }
    }
    fn adj(self) -> Adj {
        Adj {
            edge: self.edge,
            other: self.other,
        }
    }
}

/// Per node, outgoing and incoming relationships sorted by (type, other
/// end, id).
#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    out: Side,
    inc: Side,
    /// During a bulk load: relationships as (start, end, type, id), folded
    /// into both sides by [`Adjacency::finish_bulk`].
    pending: Vec<(NodeId, NodeId, TypeId, EdgeId)>,
    bulk: bool,
}

/// A node's list copied out of the compressed array to be changed: its
/// entries and their types, in the same order.
#[derive(Debug, Clone, Default)]
struct Owned {
    adj: Vec<Adj>,
    types: Vec<u32>,
}

impl Owned {
    /// Where `key` is (`Ok`) or would go (`Err`).
    fn search(&self, key: Entry) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.adj.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match Entry::new(TypeId(self.types[mid]), self.adj[mid]).cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }
}

/// One side (outgoing or incoming) of every node's list.
///
/// The lists live in one compressed array (CSR): node `i`'s list is
/// `flat[offsets[i]..offsets[i + 1]]` (its types the same range of
/// `tags`), with no per-node allocation. A write copies the node's list
/// out into `owned` and changes it there; when the copied lists hold a
/// quarter as many entries as `flat` (at least [`COMPACT_MIN`]),
/// everything is folded back into the array, so a write costs amortized
/// O(1) plus the node's degree.
#[derive(Debug, Clone, Default)]
struct Side {
    offsets: Vec<u32>,
    flat: Vec<Adj>,
    tags: Tags,
    /// Per node, 1 + its index in `owned`, or 0 when its list is in `flat`
    /// (nodes past the end: in `flat`, empty unless covered by `offsets`).
    owned_at: Vec<u32>,
    owned: Vec<Owned>,
    owned_entries: usize,
}

/// Copied-out entries below which a side is never compacted (small in
/// unit tests, so that they compact often).
const COMPACT_MIN: usize = if cfg!(test) { 8 } else { 4096 };

impl Side {
    /// Node `node`'s entries and their types.
    fn list(&self, node: usize) -> (&[Adj], TagSlice<'_>) {
        if let Some(&at) = self.owned_at.get(node)
            && at != 0
        {
            let owned = &self.owned[at as usize - 1];
            return (&owned.adj, TagSlice::U32(&owned.types));
        }
        match (self.offsets.get(node), self.offsets.get(node + 1)) {
            (Some(&a), Some(&b)) => {
                let range = a as usize..b as usize;
                (&self.flat[range.clone()], self.tags.slice(range))
            }
            _ => (&[], TagSlice::U32(&[])),
        }
    }

    /// Node `node`'s entries with their types, in order.
    fn entries(&self, node: usize) -> impl Iterator<Item = Entry> + '_ {
        let (adj, tags) = self.list(node);
        adj.iter()
            .enumerate()
            .map(move |(i, a)| Entry::new(TypeId(tags.get(i)), *a))
    }

    /// Node `node`'s list, copied out of `flat` first if needed.
    fn list_mut(&mut self, node: usize) -> &mut Owned {
        if self.owned_at.len() <= node {
            self.owned_at.resize(node + 1, 0);
        }
        if self.owned_at[node] == 0 {
            let (adj, tags) = self.list(node);
            let copy = Owned {
                adj: adj.to_vec(),
                types: (0..adj.len()).map(|i| tags.get(i)).collect(),
            };
            self.owned_entries += copy.adj.len();
            self.owned.push(copy);
            self.owned_at[node] = self.owned.len() as u32;
        }
        &mut self.owned[self.owned_at[node] as usize - 1]
    }

    fn insert(&mut self, node: NodeId, entry: Entry) {
        let list = self.list_mut(node.index());
        let at = list.search(entry).unwrap_or_else(|at| at);
        list.adj.insert(at, entry.adj());
        list.types.insert(at, entry.rel_type.0);
        self.owned_entries += 1;
        self.maybe_compact();
    }

    fn remove(&mut self, node: NodeId, key: Entry) {
        if self.list(node.index()).0.is_empty() {
            return;
        }
        let list = self.list_mut(node.index());
        if let Ok(i) = list.search(key) {
            list.adj.remove(i);
            list.types.remove(i);
        }
        self.maybe_compact();
    }

    fn maybe_compact(&mut self) {
        if self.owned_entries >= COMPACT_MIN.max(self.flat.len() / 4) {
            self.rebuild(std::iter::empty());
        }
    }

    /// Rebuilds `flat` from the current lists plus `extra` (node, entry)
    /// pairs: counts, prefix sums, a scatter, then one sort per node whose
    /// list got extra entries.
    fn rebuild<I>(&mut self, extra: I)
    where
        I: Iterator<Item = (NodeId, Entry)> + Clone,
    {
        let mut nodes = self
            .offsets
            .len()
            .saturating_sub(1)
            .max(self.owned_at.len());
        for (node, _) in extra.clone() {
            nodes = nodes.max(node.index() + 1);
        }
        let mut counts = vec![0u32; nodes + 1];
        for (i, count) in counts.iter_mut().take(nodes).enumerate() {
            *count = self.list(i).0.len() as u32;
        }
        let mut grown = vec![false; nodes];
        for (node, _) in extra.clone() {
            counts[node.index()] += 1;
            grown[node.index()] = true;
        }
        // Exclusive prefix sums: counts[i] becomes node i's start.
        let mut total = 0u32;
        for c in &mut counts {
            let n = *c;
            *c = total;
            total += n;
        }
        // The entries with their types, sorted, then split in two arrays.
        let filler = Entry {
            rel_type: TypeId(0),
            edge: EdgeId(0),
            other: NodeId(0),
        };
        let mut all = vec![filler; total as usize];
        let mut cursor: Vec<u32> = counts[..nodes].to_vec();
        for (i, at) in cursor.iter_mut().enumerate() {
            for entry in self.entries(i) {
                all[*at as usize] = entry;
                *at += 1;
            }
        }
        for (node, entry) in extra {
            let at = &mut cursor[node.index()];
            all[*at as usize] = entry;
            *at += 1;
        }
        drop(cursor);
        for (i, grew) in grown.iter().enumerate() {
            if *grew {
                all[counts[i] as usize..counts[i + 1] as usize].sort_unstable();
            }
        }
        drop(grown);
        let tags = Tags::from_types(all.iter().map(|e| e.rel_type.0));
        let flat = all.iter().map(|e| e.adj()).collect();
        drop(all);
        *self = Side {
            offsets: counts,
            flat,
            tags,
            ..Side::default()
        };
    }

    fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * 4
            + self.flat.capacity() * std::mem::size_of::<Adj>()
            + self.tags.heap_bytes()
            + self.owned_at.capacity() * 4
            + self.owned.capacity() * std::mem::size_of::<Owned>()
            + self
                .owned
                .iter()
                .map(|l| l.adj.capacity() * std::mem::size_of::<Adj>() + l.types.capacity() * 4)
                .sum::<usize>()
    }

    fn allocations(&self) -> usize {
        4 + self
            .owned
            .iter()
            .map(|l| usize::from(l.adj.capacity() > 0) + usize::from(l.types.capacity() > 0))
            .sum::<usize>()
    }
}

impl Adjacency {
    /// Records relationship `edge` of type `rel_type` from `from` to `to`.
    pub fn add(&mut self, from: NodeId, to: NodeId, rel_type: TypeId, edge: EdgeId) {
        if self.bulk {
            self.pending.push((from, to, rel_type, edge));
            return;
        }
        self.out.insert(
            from,
            Entry {
                rel_type,
                edge,
                other: to,
            },
        );
        self.inc.insert(
            to,
            Entry {
                rel_type,
                edge,
                other: from,
            },
        );
    }

    /// Builds the lists at once from every relationship as `(start, end,
    /// type, id)`, for nodes below `node_bound`: one count, one scatter
    /// and one sort per list.
    pub fn from_edges<I>(node_bound: usize, edges: I) -> Adjacency
    where
        I: Iterator<Item = (NodeId, NodeId, TypeId, EdgeId)> + Clone,
    {
        let mut adjacency = Adjacency::default();
        adjacency.fold(edges);
        // Every node below the bound has a (possibly empty) list.
        for side in [&mut adjacency.out, &mut adjacency.inc] {
            if side.offsets.len() < node_bound + 1 {
                let end = side.flat.len() as u32;
                side.offsets.resize(node_bound + 1, end);
            }
        }
        adjacency
    }

    /// Adds `edges` to both sides at once.
    fn fold<I>(&mut self, edges: I)
    where
        I: Iterator<Item = (NodeId, NodeId, TypeId, EdgeId)> + Clone,
    {
        self.out
            .rebuild(edges.clone().map(|(from, to, rel_type, edge)| {
                (
                    from,
                    Entry {
                        rel_type,
                        edge,
                        other: to,
                    },
                )
            }));
        self.inc.rebuild(edges.map(|(from, to, rel_type, edge)| {
            (
                to,
                Entry {
                    rel_type,
                    edge,
                    other: from,
                },
            )
        }));
    }

    /// Starts a bulk load: additions are kept aside until
    /// [`Adjacency::finish_bulk`] (reads meanwhile do not see them).
    pub fn begin_bulk(&mut self) {
        self.bulk = true;
    }

    /// Ends a bulk load: folds its relationships into the lists at once.
    pub fn finish_bulk(&mut self) {
        if !std::mem::take(&mut self.bulk) {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        self.fold(pending.iter().copied());
    }

    /// Forgets relationship `edge`.
    pub fn remove(&mut self, from: NodeId, to: NodeId, rel_type: TypeId, edge: EdgeId) {
        self.finish_bulk();
        let key = |other| Entry {
            rel_type,
            other,
            edge,
        };
        self.out.remove(from, key(to));
        self.inc.remove(to, key(from));
    }

    /// Every relationship on one side of `node`, sorted by (type, other
    /// end, id).
    pub fn all(&self, node: NodeId, outgoing: bool) -> &[Adj] {
        let side = if outgoing { &self.out } else { &self.inc };
        side.list(node.index()).0
    }

    /// The relationships of one type on one side of `node`, sorted by
    /// (other end, id).
    pub fn typed(&self, node: NodeId, outgoing: bool, rel_type: TypeId) -> &[Adj] {
        let side = if outgoing { &self.out } else { &self.inc };
        let (list, tags) = side.list(node.index());
        &list[tags.range(rel_type.0)]
    }

    /// The relationships of one type on one side of `node` whose other end
    /// is `other`.
    pub fn between(&self, node: NodeId, outgoing: bool, rel_type: TypeId, other: NodeId) -> &[Adj] {
        let list = self.typed(node, outgoing, rel_type);
        let start = list.partition_point(|a| a.other < other);
        let end = start + list[start..].partition_point(|a| a.other == other);
        &list[start..end]
    }

    /// Heap use, for memory reports.
    pub fn memory_use(&self) -> super::memory::MemoryUse {
        super::memory::MemoryUse::new(
            "adjacency lists",
            self.heap_bytes(),
            self.out.allocations() + self.inc.allocations() + 1,
        )
    }

    /// Bytes held (for memory reports).
    pub fn heap_bytes(&self) -> usize {
        self.out.heap_bytes()
            + self.inc.heap_bytes()
            + self.pending.capacity() * std::mem::size_of::<(NodeId, NodeId, TypeId, EdgeId)>()
    }

    /// One side of `node` as (type, other end, id), in list order.
    #[cfg(test)]
    fn keys(&self, node: NodeId, outgoing: bool) -> Vec<(TypeId, NodeId, EdgeId)> {
        let side = if outgoing { &self.out } else { &self.inc };
        side.entries(node.index())
            .map(|e| (e.rel_type, e.other, e.edge))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_eight_bytes() {
        assert_eq!(std::mem::size_of::<Adj>(), 8);
    }

    #[test]
    fn typed_slices_follow_writes() {
        let mut a = Adjacency::default();
        let (n0, n1, n2) = (NodeId(0), NodeId(1), NodeId(2));
        a.add(n0, n1, TypeId(2), EdgeId(5));
        a.add(n0, n2, TypeId(1), EdgeId(6));
        a.add(n0, n2, TypeId(2), EdgeId(3));
        let t2: Vec<_> = a
            .typed(n0, true, TypeId(2))
            .iter()
            .map(|x| x.edge)
            .collect();
        assert_eq!(t2, [EdgeId(5), EdgeId(3)]);
        assert_eq!(a.between(n0, true, TypeId(2), n2)[0].edge, EdgeId(3));
        assert_eq!(a.typed(n2, false, TypeId(1))[0].other, n0);
        assert!(a.typed(n1, true, TypeId(2)).is_empty());
        a.remove(n0, n1, TypeId(2), EdgeId(5));
        assert_eq!(a.typed(n0, true, TypeId(2)).len(), 1);
        assert!(a.all(n1, false).is_empty());
        a.begin_bulk();
        a.add(n2, n0, TypeId(1), EdgeId(9));
        a.add(n2, n0, TypeId(0), EdgeId(8));
        a.finish_bulk();
        assert_eq!(a.all(n2, true)[0].edge, EdgeId(8));
    }

    mod model {
        use std::collections::BTreeSet;

        use proptest::prelude::*;

        use super::*;

        #[derive(Debug, Clone)]
        enum Op {
            Add(u32, u32, u32),
            Remove(usize),
            Bulk(Vec<(u32, u32, u32)>),
        }

        const TYPES: [u32; 5] = [0, 1, 2, 300, 70_000];

        fn op() -> impl Strategy<Value = Op> {
            // Type ids past 255 and 65,535 widen the type tags.
            let rel = (0..6u32, 0..6u32, prop::sample::select(TYPES.to_vec()));
            prop_oneof![
                4 => rel.clone().prop_map(|(a, b, t)| Op::Add(a, b, t)),
                2 => any::<usize>().prop_map(Op::Remove),
                1 => prop::collection::vec(rel, 0..20).prop_map(Op::Bulk),
            ]
        }

        proptest! {
            /// Writes, bulk loads and compactions give the lists a sorted
            /// set of (type, other, edge) would.
            #[test]
            fn lists_match_a_sorted_set(ops in prop::collection::vec(op(), 1..60)) {
                let mut adj = Adjacency::default();
                // (from, to, type, edge)
                let mut live: BTreeSet<(u32, u32, u32, u32)> = BTreeSet::new();
                let mut next = 0u32;
                for op in ops {
                    match op {
                        Op::Add(a, b, t) => {
                            adj.add(NodeId(a), NodeId(b), TypeId(t), EdgeId(next));
                            live.insert((a, b, t, next));
                            next += 1;
                        }
                        Op::Remove(i) => {
                            if live.is_empty() {
                                continue;
                            }
                            let e = *live.iter().nth(i % live.len()).unwrap();
                            live.remove(&e);
                            adj.remove(NodeId(e.0), NodeId(e.1), TypeId(e.2), EdgeId(e.3));
                        }
                        Op::Bulk(rels) => {
                            adj.begin_bulk();
                            for (a, b, t) in rels {
                                adj.add(NodeId(a), NodeId(b), TypeId(t), EdgeId(next));
                                live.insert((a, b, t, next));
                                next += 1;
                            }
                            adj.finish_bulk();
                        }
                    }
                }
                for node in 0..7u32 {
                    for outgoing in [true, false] {
                        let mut want: Vec<(TypeId, NodeId, EdgeId)> = live
                            .iter()
                            .filter(|e| if outgoing { e.0 == node } else { e.1 == node })
                            .map(|e| {
                                let other = if outgoing { e.1 } else { e.0 };
                                (TypeId(e.2), NodeId(other), EdgeId(e.3))
                            })
                            .collect();
                        want.sort();
                        let got = adj.keys(NodeId(node), outgoing);
                        prop_assert_eq!(&got, &want);
                        let all: Vec<_> = want.iter().map(|k| Adj { edge: k.2, other: k.1 }).collect();
                        prop_assert_eq!(adj.all(NodeId(node), outgoing), &all[..]);
                        for t in TYPES.into_iter().chain([3, 299, 70_001]) {
                            let typed: Vec<_> = adj
                                .typed(NodeId(node), outgoing, TypeId(t))
                                .iter()
                                .map(|a| (TypeId(t), a.other, a.edge))
                                .collect();
                            let want_t: Vec<_> = want.iter().copied().filter(|k| k.0 == TypeId(t)).collect();
                            prop_assert_eq!(&typed, &want_t);
                            for other in 0..6 {
                                let between = adj.between(NodeId(node), outgoing, TypeId(t), NodeId(other)).len();
                                prop_assert_eq!(between, want_t.iter().filter(|k| k.1 == NodeId(other)).count());
                            }
                        }
                    }
                }
                let built = Adjacency::from_edges(
                    8,
                    live.iter().map(|e| (NodeId(e.0), NodeId(e.1), TypeId(e.2), EdgeId(e.3))),
                );
                for node in 0..8u32 {
                    for outgoing in [true, false] {
                        prop_assert_eq!(built.keys(NodeId(node), outgoing), adj.keys(NodeId(node), outgoing));
                    }
                }
            }
        }
    }
}
