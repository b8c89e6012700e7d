//! Typed adjacency: for every node, its outgoing and incoming relationships
//! sorted by (type, other end, id), so that an expansion along one type
//! reads only the relationships of that type and a check for a
//! relationship between two bound nodes is a binary search. Derived from
//! the petgraph storage and kept up to date by every write (or, during a
//! bulk load, sorted once at the end); never stored.

use super::{EdgeId, NodeId, TypeId};

/// One relationship as seen from one of its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adj {
    /// The relationship's type.
    pub rel_type: TypeId,
    /// The relationship.
    pub edge: EdgeId,
    /// The node at the other end.
    pub other: NodeId,
}

impl Adj {
    fn key(&self) -> (TypeId, NodeId, EdgeId) {
        (self.rel_type, self.other, self.edge)
    }
}

/// Per node, outgoing and incoming relationships sorted by (type, other
/// end, id).
#[derive(Debug, Clone, Default)]
pub struct Adjacency {
    out: Vec<Vec<Adj>>,
    inc: Vec<Vec<Adj>>,
    /// During a bulk load: append now, sort in [`Adjacency::finish_bulk`].
    bulk: bool,
}

impl Adjacency {
    fn side(&mut self, outgoing: bool, node: NodeId) -> &mut Vec<Adj> {
        let lists = if outgoing {
            &mut self.out
        } else {
            &mut self.inc
        };
        let i = node.index();
        if lists.len() <= i {
            lists.resize_with(i + 1, Vec::new);
        }
        &mut lists[i]
    }

    fn insert_into(list: &mut Vec<Adj>, adj: Adj, bulk: bool) {
        if bulk || list.last().is_none_or(|last| last.key() < adj.key()) {
            list.push(adj);
        } else {
            let at = list.partition_point(|a| a.key() < adj.key());
            list.insert(at, adj);
        }
    }

    /// Records relationship `edge` of type `rel_type` from `from` to `to`.
    pub fn add(&mut self, from: NodeId, to: NodeId, rel_type: TypeId, edge: EdgeId) {
        let bulk = self.bulk;
        Self::insert_into(
            self.side(true, from),
            Adj {
                rel_type,
                edge,
                other: to,
            },
            bulk,
        );
        Self::insert_into(
            self.side(false, to),
            Adj {
                rel_type,
                edge,
                other: from,
            },
            bulk,
        );
    }

    /// Builds the lists at once from every relationship as `(start, end,
    /// type, id)`, for nodes below `node_bound`: degrees are counted first,
    /// so each list is allocated once at its size, then sorted once.
    pub fn from_edges<I>(node_bound: usize, edges: I) -> Adjacency
    where
        I: Iterator<Item = (NodeId, NodeId, TypeId, EdgeId)> + Clone,
    {
        let mut out_degree = vec![0usize; node_bound];
        let mut in_degree = vec![0usize; node_bound];
        for (from, to, _, _) in edges.clone() {
            out_degree[from.index()] += 1;
            in_degree[to.index()] += 1;
        }
        let lists = |degrees: Vec<usize>| -> Vec<Vec<Adj>> {
            degrees.into_iter().map(Vec::with_capacity).collect()
        };
        let (mut out, mut inc) = (lists(out_degree), lists(in_degree));
        for (from, to, rel_type, edge) in edges {
            out[from.index()].push(Adj {
                rel_type,
                edge,
                other: to,
            });
            inc[to.index()].push(Adj {
                rel_type,
                edge,
                other: from,
            });
        }
        for list in out.iter_mut().chain(inc.iter_mut()) {
            list.sort_unstable_by_key(Adj::key);
        }
        Adjacency {
            out,
            inc,
            bulk: false,
        }
    }

    /// Starts a bulk load: additions are appended unsorted.
    pub fn begin_bulk(&mut self) {
        self.bulk = true;
    }

    /// Ends a bulk load: sorts every list once.
    pub fn finish_bulk(&mut self) {
        if !std::mem::take(&mut self.bulk) {
            return;
        }
        for list in self.out.iter_mut().chain(self.inc.iter_mut()) {
            list.sort_unstable_by_key(Adj::key);
            list.shrink_to_fit();
        }
    }

    /// Forgets relationship `edge`.
    pub fn remove(&mut self, from: NodeId, to: NodeId, rel_type: TypeId, edge: EdgeId) {
        self.finish_bulk();
        for (outgoing, node, other) in [(true, from, to), (false, to, from)] {
            let key = (rel_type, other, edge);
            let list = self.side(outgoing, node);
            if let Ok(i) = list.binary_search_by(|a| a.key().cmp(&key)) {
                list.remove(i);
            }
        }
    }

    /// Every relationship on one side of `node`, sorted by (type, id).
    pub fn all(&self, node: NodeId, outgoing: bool) -> &[Adj] {
        let lists = if outgoing { &self.out } else { &self.inc };
        lists.get(node.index()).map_or(&[], Vec::as_slice)
    }

    /// The relationships of one type on one side of `node`.
    pub fn typed(&self, node: NodeId, outgoing: bool, rel_type: TypeId) -> &[Adj] {
        let list = self.all(node, outgoing);
        let start = list.partition_point(|a| a.rel_type < rel_type);
        let end = start + list[start..].partition_point(|a| a.rel_type == rel_type);
        &list[start..end]
    }

    /// The relationships of one type on one side of `node` whose other end
    /// is `other`.
    pub fn between(&self, node: NodeId, outgoing: bool, rel_type: TypeId, other: NodeId) -> &[Adj] {
        let list = self.typed(node, outgoing, rel_type);
        let start = list.partition_point(|a| a.other < other);
        let end = start + list[start..].partition_point(|a| a.other == other);
        &list[start..end]
    }

    /// Bytes held (for memory reports).
    pub fn heap_bytes(&self) -> usize {
        let lists = |v: &Vec<Vec<Adj>>| {
            v.capacity() * std::mem::size_of::<Vec<Adj>>()
                + v.iter()
                    .map(|l| l.capacity() * std::mem::size_of::<Adj>())
                    .sum::<usize>()
        };
        lists(&self.out) + lists(&self.inc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
