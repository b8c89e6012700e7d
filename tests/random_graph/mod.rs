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

/// Every node and relationship, with labels, properties, ends and types.
pub fn assert_same(a: &Graph, b: &Graph) {
    let nodes: Vec<NodeId> = a.nodes().collect();
    assert_eq!(nodes, b.nodes().collect::<Vec<_>>(), "node ids");
    for n in nodes {
        assert_eq!(a.node_labels(n), b.node_labels(n), "labels of {n:?}");
        assert_eq!(
            a.node_properties(n),
            b.node_properties(n),
            "properties of {n:?}"
        );
        // petgraph's own lists follow insertion history (slot reuse), as
        // with every earlier format: compare them as sets.
        let rels = |g: &Graph| -> Vec<_> {
            let mut v: Vec<_> = g
                .relationships_of(n, Direction::Both)
                .map(|r| (r.0, r.1))
                .collect();
            v.sort();
            v
        };
        assert_eq!(rels(a), rels(b), "relationships of {n:?}");
        for dir in [Direction::Outgoing, Direction::Incoming, Direction::Both] {
            let typed = |g: &Graph| -> Vec<_> { g.neighbours(n, dir, &[]).collect() };
            assert_eq!(typed(a), typed(b), "typed adjacency of {n:?}");
        }
    }
    let rels: Vec<_> = a.relationships().collect();
    assert_eq!(
        rels,
        b.relationships().collect::<Vec<_>>(),
        "relationship ids"
    );
    for r in rels {
        assert_eq!(a.endpoints(r), b.endpoints(r));
        assert_eq!(a.relationship_type(r), b.relationship_type(r));
        assert_eq!(a.relationship_properties(r), b.relationship_properties(r));
    }
    assert_eq!(a.schema(), b.schema(), "schema");
}
