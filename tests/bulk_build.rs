//! The bulk builder (`GraphBuilder`, used by `kgq import csv`) against the
//! element-by-element path (`Graph::add_node` / `add_relationship`): the
//! same additions give the same graph — ids, labels and their order,
//! property columns and their types, label index, adjacency and rows.

use kgq::graph::{Direction, GraphBuilder};
use kgq::graph::{KeyId, LabelId, TypeId};
use kgq::snapshot::{columnar, payload::Meta};
use kgq::{Graph, NodeId, Session, Value};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Add {
    Node(Vec<u8>, Vec<(u8, Value)>),
    Rel(usize, usize, u8, Vec<(u8, Value)>),
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..3).prop_map(Value::Int),
        prop_oneof![Just(0.5), Just(f64::NAN), Just(-0.0)].prop_map(Value::Float),
        "[ab]{0,2}".prop_map(Value::from),
        (0i32..1000).prop_map(|d| Value::Date(
            chrono::NaiveDate::from_num_days_from_ce_opt(700_000 + d).unwrap()
        )),
        prop::collection::vec((-3i64..3).prop_map(Value::Int), 0..3).prop_map(Value::from),
    ]
}

fn add() -> impl Strategy<Value = Add> {
    let props = || prop::collection::vec((0u8..4, value()), 0..5);
    prop_oneof![
        (prop::collection::vec(0u8..4, 0..4), props()).prop_map(|(l, p)| Add::Node(l, p)),
        (any::<usize>(), any::<usize>(), 0u8..3, props())
            .prop_map(|(a, b, t, p)| Add::Rel(a, b, t, p)),
    ]
}

fn described(g: &Graph) -> Vec<u8> {
    let meta = Meta {
        kgq_version: String::new(),
        created_unix: 0,
        generation: 0,
    };
    let payload = columnar::from_graph(g, meta).unwrap();
    bincode::serde::encode_to_vec(&payload, bincode::config::standard()).unwrap()
}

/// Both graphs from the same additions (names interned in the same order).
fn both(adds: &[Add]) -> (Graph, Graph) {
    let mut one = Graph::new();
    let mut bulk = GraphBuilder::new();
    for i in 0..4 {
        let name = format!("L{i}");
        assert_eq!(one.intern_label(&name), bulk.intern_label(&name));
        let name = format!("k{i}");
        assert_eq!(one.intern_key(&name), bulk.intern_key(&name));
    }
    for i in 0..3 {
        let name = format!("T{i}");
        assert_eq!(one.intern_type(&name), bulk.intern_type(&name));
    }
    let props = |p: &[(u8, Value)]| -> Vec<(KeyId, Value)> {
        p.iter()
            .map(|(k, v)| (KeyId(u32::from(*k)), v.clone()))
            .collect()
    };
    for a in adds {
        match a {
            Add::Node(labels, p) => {
                let labels: Vec<LabelId> = labels.iter().map(|l| LabelId(u32::from(*l))).collect();
                let x = one.add_node(labels.clone(), props(p));
                let y = bulk.add_node(&labels, props(p));
                assert_eq!(x, y);
            }
            Add::Rel(from, to, t, p) => {
                let n = one.node_count();
                if n == 0 {
                    continue;
                }
                let (from, to) = (NodeId((from % n) as u32), NodeId((to % n) as u32));
                let t = TypeId(u32::from(*t));
                let x = one.add_relationship(from, to, t, props(p));
                let y = bulk.add_relationship(from, to, t, props(p));
                assert_eq!(x, y);
            }
        }
    }
    (one, bulk.finish().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn the_bulk_builder_matches_adding_one_by_one(adds in prop::collection::vec(add(), 0..60)) {
        let (one, bulk) = both(&adds);
        prop_assert_eq!(described(&one), described(&bulk));
        for n in one.nodes() {
            prop_assert_eq!(one.node_labels(n), bulk.node_labels(n));
            for dir in [Direction::Outgoing, Direction::Incoming, Direction::Both] {
                let a: Vec<_> = one.neighbours(n, dir, &[]).collect();
                let b: Vec<_> = bulk.neighbours(n, dir, &[]).collect();
                prop_assert_eq!(a, b);
                let a: Vec<_> = one.relationships_of(n, dir).map(|r| (r.0, r.1)).collect();
                let b: Vec<_> = bulk.relationships_of(n, dir).map(|r| (r.0, r.1)).collect();
                prop_assert_eq!(a, b);
            }
        }
        for l in 0..4 {
            let a: Vec<_> = one.nodes_with_label(LabelId(l)).collect();
            let b: Vec<_> = bulk.nodes_with_label(LabelId(l)).collect();
            prop_assert_eq!(a, b);
            for n in one.nodes() {
                prop_assert_eq!(one.has_label(n, LabelId(l)), bulk.has_label(n, LabelId(l)));
            }
        }
        for t in 0..3 {
            prop_assert_eq!(one.type_count(TypeId(t)), bulk.type_count(TypeId(t)));
        }
        let query = "MATCH (a:L0)-[r]->(b) RETURN id(a) AS a, type(r) AS t, id(b) AS b, r.k1 AS k, b.k0 AS k0";
        let rows = |g: Graph| Session::with_graph(g).run(query).unwrap().rows;
        prop_assert_eq!(rows(one), rows(bulk));
    }
}

#[test]
fn a_foreign_type_id_is_an_error_not_a_panic() {
    let mut bulk = GraphBuilder::new();
    let a = bulk.add_node(&[], vec![]);
    bulk.add_relationship(a, a, TypeId(7), vec![]).unwrap();
    assert!(bulk.finish().is_err());
    let mut bulk = GraphBuilder::new();
    assert!(
        bulk.add_relationship(NodeId(0), NodeId(0), TypeId(0), vec![])
            .is_none()
    );
}
