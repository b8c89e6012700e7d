//! Random graphs for property tests: a strategy of building steps (nodes
//! with labels and properties, relationships, deletions, property writes,
//! label changes) and the graph they build.

use kgq::graph::Direction;
use kgq::{Graph, NodeId, Value};
use proptest::prelude::*;

/// One step of building a random graph: indexes pick among the nodes or
/// relationships that exist at that point.
#[derive(Debug, Clone)]
pub enum Op {
    Node(Vec<u8>, Vec<(u8, Value)>),
    Rel(usize, usize, u8, Vec<(u8, Value)>),
    DeleteNode(usize),
    DeleteRel(usize),
    Set(usize, u8, Value),
    AddLabel(usize, u8),
    RemoveLabel(usize, u8),
}

fn props(value: BoxedStrategy<Value>) -> impl Strategy<Value = Vec<(u8, Value)>> {
    prop::collection::vec((0u8..6, value), 0..4)
}

/// One random step, with property values from `value`.
pub fn op(value: BoxedStrategy<Value>) -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (prop::collection::vec(0u8..5, 0..3), props(value.clone())).prop_map(|(l, p)| Op::Node(l, p)),
        4 => (any::<usize>(), any::<usize>(), 0u8..4, props(value.clone()))
            .prop_map(|(a, b, t, p)| Op::Rel(a, b, t, p)),
        1 => any::<usize>().prop_map(Op::DeleteNode),
        2 => any::<usize>().prop_map(Op::DeleteRel),
        3 => (any::<usize>(), 0u8..6, value).prop_map(|(n, k, v)| Op::Set(n, k, v)),
        1 => (any::<usize>(), 0u8..5).prop_map(|(n, l)| Op::AddLabel(n, l)),
        1 => (any::<usize>(), 0u8..5).prop_map(|(n, l)| Op::RemoveLabel(n, l)),
    ]
}

/// The graph the steps build (steps that find nothing to act on are skipped).
pub fn build(ops: &[Op]) -> Graph {
    let mut g = Graph::new();
    let named = |p: &[(u8, Value)]| -> Vec<(String, Value)> {
        p.iter()
            .map(|(k, v)| (format!("k{k}"), v.clone()))
            .collect()
    };
    for op in ops {
        let nodes: Vec<NodeId> = g.nodes().collect();
        let pick = |i: usize| (!nodes.is_empty()).then(|| nodes[i % nodes.len()]);
        match op {
            Op::Node(labels, p) => {
                let labels: Vec<String> = labels.iter().map(|l| format!("L{l}")).collect();
                let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
                g.add_node_with(&labels, named(p));
            }
            Op::Rel(a, b, t, p) => {
                if let (Some(a), Some(b)) = (pick(*a), pick(*b)) {
                    g.add_relationship_with(a, b, &format!("T{t}"), named(p))
                        .unwrap();
                }
            }
            Op::DeleteNode(i) => {
                if let Some(n) = pick(*i) {
                    let rels: Vec<_> = g
                        .relationships_of(n, Direction::Both)
                        .map(|r| r.0)
                        .collect();
                    for r in rels {
                        g.remove_relationship(r);
                    }
                    g.remove_node(n).unwrap();
                }
            }
            Op::DeleteRel(i) => {
                let rels: Vec<_> = g.relationships().collect();
                if !rels.is_empty() {
                    g.remove_relationship(rels[i % rels.len()]);
                }
            }
            Op::Set(i, k, v) => {
                if let Some(n) = pick(*i) {
                    g.set_node_property_named(n, &format!("k{k}"), v.clone());
                }
            }
            Op::AddLabel(i, l) => {
                if let Some(n) = pick(*i) {
                    let l = g.intern_label(&format!("L{l}"));
                    g.add_label(n, l);
                }
            }
            Op::RemoveLabel(i, l) => {
                if let (Some(n), Some(l)) = (pick(*i), g.label_id(&format!("L{l}"))) {
                    g.remove_label(n, l);
                }
            }
        }
    }
    g
}
