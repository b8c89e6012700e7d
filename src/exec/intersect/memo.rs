//! The intersect operator's memo of matches by start nodes (issue 16).

use rustc_hash::FxHashMap;

use super::super::read::needs_rel_data;
use crate::graph::NodeId;
use crate::plan::Hop;

/// The matches of two-hop intersections by start nodes (issue 16): in Q8
/// the rows of one agency reach the same company again and again through
/// different measures and products, and the officials that lead the
/// agency and criticized the company are the same each time. Used only
/// when the hops' node and relationship conditions are labels and types
/// (so matches depend on the start nodes alone); relationship uniqueness,
/// which does read the row, is still checked per row. Nothing writes
/// while the operator borrows the graph, so a remembered match stays
/// right. The memo is internal and bounded: it is emptied once it holds
/// [`MEMO_IDS`] ids. It is a fast path: off with `Limits::fast_paths`.
///
/// When one start node stays while the other changes (the agency while
/// its rows reach company after company), and the misses for it outweigh
/// the work, the memo is filled for that node at once from the other side
/// (`Intersect::fill`): then a key with it that is absent has no match.
pub(super) struct Memo {
    /// Start nodes of the two hops → range of their matches in `ids`.
    pub(super) index: FxHashMap<u64, (usize, usize)>,
    /// Per match: the node, then one relationship per hop.
    pub(super) ids: Vec<u32>,
    /// The hop and start node whose keys are all in `index`.
    pub(super) complete: Option<(usize, NodeId)>,
    /// The start nodes of the last miss.
    last_miss: Option<[NodeId; 2]>,
    /// The hop whose start node stayed over the last misses, that node,
    /// the misses since, and the cost of filling the memo for it (once
    /// known).
    pub(super) outer: Option<(usize, NodeId, usize, Option<usize>)>,
}

/// Misses with one outer start node before the cost of filling the memo
/// for it is looked at.
const FILL_AFTER: usize = 8;

/// Work (adjacency entries read) a miss is taken to cost when weighing a
/// fill against further misses.
pub(super) const MISS_COST: usize = 32;

/// The most ids a [`Memo`] holds before it is emptied (16 MiB).
pub(super) const MEMO_IDS: usize = 1 << 22;

impl Memo {
    /// A memo for `hops`, when their matches depend on the start nodes
    /// alone.
    pub(super) fn for_hops(hops: &[Hop]) -> Option<Memo> {
        let fixed = hops.len() == 2
            && hops.iter().all(|h| {
                h.node_filter.properties.is_empty()
                    && h.node_filter.property_map.is_none()
                    && h.node_filter.valid_at.is_none()
                    && !needs_rel_data(&h.rel_filter)
            });
        fixed.then(|| Memo {
            index: FxHashMap::default(),
            ids: Vec::new(),
            complete: None,
            last_miss: None,
            outer: None,
        })
    }

    pub(super) fn clear(&mut self) {
        self.index.clear();
        self.ids.clear();
        self.complete = None;
    }

    /// Records a miss for start nodes `froms`; the outer hop to fill the
    /// memo for, when due.
    pub(super) fn miss(&mut self, froms: [NodeId; 2]) -> Option<(usize, NodeId)> {
        let stayed = match self.last_miss {
            Some(l) if l[0] == froms[0] && l[1] != froms[1] => Some(0),
            Some(l) if l[1] == froms[1] && l[0] != froms[0] => Some(1),
            _ => None,
        };
        self.last_miss = Some(froms);
        let i = stayed?;
        match &mut self.outer {
            Some((hop, node, misses, _)) if *hop == i && *node == froms[i] => *misses += 1,
            outer => *outer = Some((i, froms[i], 1, None)),
        }
        let (_, node, misses, _) = self.outer?;
        (misses >= FILL_AFTER).then_some((i, node))
    }
}
