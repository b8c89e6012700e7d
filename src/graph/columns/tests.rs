//! Column typing transitions, removals, label moves and rollback.

use std::sync::Arc;

use super::*;
use crate::graph::{Graph, NodeId};
use crate::value::Value;

fn s(text: &str) -> Value {
    Value::String(Arc::from(text))
}

fn node_column(g: &Graph, label: LabelId, key: KeyId) -> Vec<&Column> {
    g.property_store()
        .node_tables(label)
        .filter_map(|(_, t)| t.column(key))
        .collect()
}

#[test]
fn a_string_turns_an_int_column_into_any_and_keeps_its_values() {
    let mut g = Graph::new();
    let l = g.intern_label("Company");
    let k = g.intern_key("founded");
    let a = g.add_node(vec![l], vec![(k, Value::Int(1956))]);
    let b = g.add_node(vec![l], vec![(k, Value::Int(2001))]);
    assert!(matches!(
        node_column(&g, l, k)[0].data(),
        ColumnData::Int(_)
    ));
    g.set_node_property(b, k, s("unknown"));
    assert!(matches!(
        node_column(&g, l, k)[0].data(),
        ColumnData::Any(_)
    ));
    assert_eq!(g.node_value(a, k), Some(Value::Int(1956)));
    assert_eq!(g.node_value(b, k), Some(s("unknown")));
}

#[test]
fn int_and_float_stay_distinct_values() {
    let mut g = Graph::new();
    let k = g.intern_key("x");
    let a = g.add_node(vec![], vec![(k, Value::Int(1))]);
    let b = g.add_node(vec![], vec![(k, Value::Float(1.0))]);
    assert_eq!(g.node_value(a, k), Some(Value::Int(1)));
    assert!(matches!(g.node_value(b, k), Some(Value::Float(f)) if f == 1.0));
}

#[test]
fn strings_share_one_dictionary_code_across_tables() {
    let mut g = Graph::new();
    let (c, p) = (g.intern_label("Company"), g.intern_label("Product"));
    let k = g.intern_key("country");
    g.add_node(vec![c], vec![(k, s("CN"))]);
    g.add_node(vec![p], vec![(k, s("CN"))]);
    let code = |label| match node_column(&g, label, k)[0].data() {
        ColumnData::Str(codes) => codes[0],
        other => panic!("not a string column: {other:?}"),
    };
    assert_eq!(code(c), code(p));
    assert_eq!(&**g.property_store().dictionary().get(code(c)), "CN");
}

#[test]
fn removing_properties_and_nodes_leaves_other_rows_intact() {
    let mut g = Graph::new();
    let k = g.intern_key("n");
    let nodes: Vec<NodeId> = (0..5)
        .map(|i| g.add_node(vec![], vec![(k, Value::Int(i))]))
        .collect();
    assert_eq!(
        g.set_node_property(nodes[1], k, Value::Null),
        Some(Value::Int(1))
    );
    assert_eq!(g.node_value(nodes[1], k), None);
    assert!(g.node(nodes[1]).unwrap().properties().is_empty());
    // Removing a row moves the last row into its place.
    let data = g.remove_node(nodes[0]).unwrap().unwrap();
    assert_eq!(data.properties(), &vec![(k, Value::Int(0))]);
    for (i, n) in nodes.iter().enumerate().skip(2) {
        assert_eq!(g.node_value(*n, k), Some(Value::Int(i as i64)));
    }
    assert!(g.node(nodes[0]).is_none());
    assert_eq!(g.node_value(nodes[0], k), None);
}

#[test]
fn an_emptied_column_takes_the_next_type() {
    let mut g = Graph::new();
    let k = g.intern_key("v");
    let a = g.add_node(vec![], vec![(k, Value::Bool(true))]);
    g.set_node_property(a, k, Value::Null);
    g.set_node_property(a, k, Value::Float(2.5));
    let tables: Vec<_> = g.property_store().all_node_tables().collect();
    assert!(matches!(
        tables[0].1.column(k).unwrap().data(),
        ColumnData::Float(_)
    ));
    assert_eq!(g.node_value(a, k), Some(Value::Float(2.5)));
}

#[test]
fn label_changes_move_the_row_between_tables() {
    let mut g = Graph::new();
    let (c, s_) = (g.intern_label("Company"), g.intern_label("Supplier"));
    let k = g.intern_key("name");
    let a = g.add_node(vec![c], vec![(k, s("Sinotruk"))]);
    let b = g.add_node(vec![c], vec![(k, s("MAN"))]);
    g.add_label(a, s_);
    let only_company: Vec<_> = g
        .property_store()
        .node_tables(c)
        .map(|(set, t)| (set.to_vec(), t.ids().to_vec()))
        .collect();
    assert!(only_company.contains(&(vec![c], vec![b.0])));
    assert!(only_company.contains(&(vec![c, s_], vec![a.0])));
    assert_eq!(g.node_value(a, k), Some(s("Sinotruk")));
    assert_eq!(g.node_value(b, k), Some(s("MAN")));
    g.remove_label(a, c);
    assert_eq!(
        g.property_store()
            .node_tables(c)
            .map(|(_, t)| t.ids().len())
            .sum::<usize>(),
        1
    );
    assert_eq!(g.node_value(a, k), Some(s("Sinotruk")));
}

#[test]
fn rows_stay_in_id_order_after_a_bulk_load_and_say_when_not() {
    let mut g = Graph::new();
    let l = g.intern_label("L");
    let nodes: Vec<NodeId> = (0..4).map(|_| g.add_node(vec![l], vec![])).collect();
    let table = |g: &Graph| {
        let (_, t) = g.property_store().node_tables(l).next().unwrap();
        (t.ids().to_vec(), t.in_id_order())
    };
    assert_eq!(table(&g), (vec![0, 1, 2, 3], true));
    g.remove_node(nodes[1]).unwrap();
    assert_eq!(table(&g), (vec![0, 3, 2], false));
}

#[test]
fn relationship_properties_live_in_a_table_per_type() {
    let mut g = Graph::new();
    let t = g.intern_type("SUPPLIES");
    let k = g.intern_key("share");
    let a = g.add_node(vec![], vec![]);
    let b = g.add_node(vec![], vec![]);
    let r = g
        .add_relationship(a, b, t, vec![(k, Value::Float(0.5))])
        .unwrap();
    let table = g.property_store().relationship_table(t).unwrap();
    assert_eq!(table.ids(), &[r.0]);
    assert_eq!(g.relationship_value(r, k), Some(Value::Float(0.5)));
    let (_, _, data) = g.remove_relationship(r).unwrap();
    assert_eq!(data.properties(), &vec![(k, Value::Float(0.5))]);
    assert_eq!(g.relationship_value(r, k), None);
}

#[test]
fn a_rolled_back_statement_restores_columns() {
    let mut session = crate::Session::new();
    session
        .run("CREATE (:C {n: 1, s: 'a'}), (:C {n: 2, s: 'b'})")
        .unwrap();
    let before = session.graph().content_dump();
    // Retypes a column, removes a property, moves a row and deletes a
    // node, then fails: everything must be undone.
    let failed = session.run(
        "MATCH (c:C) SET c.n = 'x' REMOVE c.s SET c:D WITH c DELETE c WITH 1 AS one RETURN 1 / 0",
    );
    assert!(failed.is_err());
    assert_eq!(session.graph().content_dump(), before);
    let rows = session
        .run("MATCH (c:C) RETURN c.n + 1 AS n, c.s AS s ORDER BY n")
        .unwrap();
    assert_eq!(
        rows.rows,
        vec![vec![Value::Int(2), s("a")], vec![Value::Int(3), s("b")]]
    );
}

#[test]
fn a_cloned_graph_has_its_own_columns() {
    let mut g = Graph::new();
    let k = g.intern_key("n");
    let a = g.add_node(vec![], vec![(k, Value::Int(1))]);
    let copy = g.clone();
    g.set_node_property(a, k, Value::Int(2));
    assert_eq!(copy.node_value(a, k), Some(Value::Int(1)));
    assert_eq!(g.node_value(a, k), Some(Value::Int(2)));
}
