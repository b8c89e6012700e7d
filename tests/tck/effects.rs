//! Side effects as the TCK defines them (README, "Observability of side
//! effects"): `nodes` and `relationships` come from the library's
//! statistics, while `labels` counts *distinct label names* present in the
//! graph and `properties` counts (entity, key, value) triples, both as the
//! difference between the graph before and after the query. The library
//! counts labels per node and does not count the properties of deleted
//! entities, so those two are measured here. `KGQ_TCK_SIDE_EFFECTS=stats`
//! takes every count from the library instead.

use std::collections::{BTreeSet, HashSet};

use kgq::{Graph, Stats};

use crate::convert::to_tck;

/// The labels and property triples of a graph.
pub struct Snapshot {
    labels: BTreeSet<String>,
    props: HashSet<(bool, u32, String, String)>,
}

impl Snapshot {
    /// Takes the snapshot.
    pub fn of(graph: &Graph) -> Snapshot {
        let mut labels = BTreeSet::new();
        let mut props = HashSet::new();
        for id in graph.nodes() {
            let Some(node) = graph.node(id) else { continue };
            labels.extend(
                node.labels()
                    .iter()
                    .map(|l| graph.label_name(*l).to_string()),
            );
            for (k, v) in node.properties() {
                let value = to_tck(v, graph).to_string();
                props.insert((true, id.0, graph.key_name(*k).to_string(), value));
            }
        }
        for id in graph.relationships() {
            let Some(rel) = graph.relationship(id) else {
                continue;
            };
            for (k, v) in rel.properties() {
                let value = to_tck(v, graph).to_string();
                props.insert((false, id.0, graph.key_name(*k).to_string(), value));
            }
        }
        Snapshot { labels, props }
    }
}

/// Whether only the library's statistics are used.
pub fn library_only() -> bool {
    std::env::var("KGQ_TCK_SIDE_EFFECTS").is_ok_and(|v| v == "stats")
}

/// The side effects of a query that turned `before` into `after`, given the
/// library's statistics for it.
pub fn measure(stats: &Stats, before: &Snapshot, after: &Snapshot) -> Stats {
    if library_only() {
        return *stats;
    }
    let count = |n: usize| n as u64;
    Stats {
        labels_added: count(after.labels.difference(&before.labels).count()),
        labels_removed: count(before.labels.difference(&after.labels).count()),
        properties_set: count(after.props.difference(&before.props).count()),
        properties_removed: count(before.props.difference(&after.props).count()),
        ..*stats
    }
}
