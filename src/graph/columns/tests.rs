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

fn date(y: i32, m: u32, d: u32) -> crate::value::Date {
    crate::value::Date::from_ymd_opt(y, m, d).unwrap()
}

fn local(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32, nano: u32) -> Value {
    Value::LocalDateTime(date(y, m, d).and_hms_nano_opt(h, min, s, nano).unwrap())
}

#[test]
fn date_codes_are_days_since_the_epoch_and_decode_back() {
    assert_eq!(date_to_days(date(1970, 1, 1)), 0);
    assert_eq!(date_to_days(date(1970, 1, 2)), 1);
    assert_eq!(date_to_days(date(1969, 12, 31)), -1);
    assert_eq!(date_to_days(date(2024, 3, 1)), 19_783);
    for d in [
        crate::value::Date::MIN,
        crate::value::Date::MAX,
        date(1, 1, 1),
        date(-400, 2, 29),
        date(2000, 2, 29),
    ] {
        assert_eq!(days_to_date(date_to_days(d)), Some(d));
    }
    // Order of codes is the order of dates.
    assert!(date_to_days(date(2019, 12, 31)) < date_to_days(date(2020, 1, 1)));
    assert_eq!(days_to_date(i32::MAX), None);
    assert_eq!(days_to_date(i32::MIN), None);
}

#[test]
fn local_datetime_codes_cover_1677_to_2262_and_refuse_leap_seconds() {
    let t = local(2024, 5, 6, 7, 8, 9, 123_456_789);
    let Value::LocalDateTime(t) = t else {
        unreachable!()
    };
    let nanos = local_datetime_to_nanos(&t).unwrap();
    assert_eq!(nanos, 1_714_979_289_123_456_789);
    assert_eq!(nanos_to_local_datetime(nanos), t);
    assert_eq!(nanos_to_local_datetime(i64::MIN).year_ce().1, 1677);
    assert_eq!(nanos_to_local_datetime(i64::MAX).year_ce().1, 2262);
    let too_early = date(1600, 1, 1).and_hms_opt(0, 0, 0).unwrap();
    assert_eq!(local_datetime_to_nanos(&too_early), None);
    let leap = date(2016, 12, 31)
        .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
        .unwrap();
    assert_eq!(local_datetime_to_nanos(&leap), None);
}

use chrono::Datelike as _;

#[test]
fn dates_live_in_a_date_column_and_read_back_as_dates() {
    let mut g = Graph::new();
    let l = g.intern_label("Measure");
    let k = g.intern_key("announced");
    let a = g.add_node(vec![l], vec![(k, Value::Date(date(2024, 3, 1)))]);
    let b = g.add_node(vec![l], vec![]);
    let c = g.add_node(vec![l], vec![(k, Value::Date(date(1900, 7, 14)))]);
    match node_column(&g, l, k)[0].data() {
        ColumnData::Date(days) => assert_eq!(days[0], 19_783),
        other => panic!("not a date column: {other:?}"),
    }
    assert_eq!(g.node_value(a, k), Some(Value::Date(date(2024, 3, 1))));
    assert_eq!(g.node_value(b, k), None);
    assert_eq!(g.node_value(c, k), Some(Value::Date(date(1900, 7, 14))));
    // Removing a row keeps the others' dates.
    g.remove_node(a).unwrap();
    assert_eq!(g.node_value(c, k), Some(Value::Date(date(1900, 7, 14))));
    assert!(matches!(
        node_column(&g, l, k)[0].data(),
        ColumnData::Date(_)
    ));
}

#[test]
fn local_datetimes_live_in_a_typed_column() {
    let mut g = Graph::new();
    let t = g.intern_type("REPORTED");
    let k = g.intern_key("at");
    let a = g.add_node(vec![], vec![]);
    let when = local(2025, 1, 2, 3, 4, 5, 6);
    let r = g
        .add_relationship(a, a, t, vec![(k, when.clone())])
        .unwrap();
    let table = g.property_store().relationship_table(t).unwrap();
    assert!(matches!(
        table.column(k).unwrap().data(),
        ColumnData::LocalDateTime(_)
    ));
    assert_eq!(g.relationship_value(r, k), Some(when));
}

#[test]
fn mixing_a_date_with_other_types_degrades_to_any_and_keeps_every_value() {
    // A date among strings, a string among dates, a local date-time among
    // dates, and a local date-time without a code among coded ones.
    let early = local(1500, 1, 1, 0, 0, 0, 0);
    let cases = [
        (s("2024-03-01"), Value::Date(date(2024, 3, 1))),
        (Value::Date(date(2024, 3, 1)), s("2024-03-01")),
        (Value::Date(date(2024, 3, 1)), local(2024, 3, 1, 0, 0, 0, 0)),
        (local(2024, 3, 1, 0, 0, 0, 0), early.clone()),
        (Value::Date(date(2024, 3, 1)), Value::Int(19_783)),
    ];
    for (first, second) in cases {
        let mut g = Graph::new();
        let k = g.intern_key("v");
        let a = g.add_node(vec![], vec![(k, first.clone())]);
        let b = g.add_node(vec![], vec![(k, second.clone())]);
        let tables: Vec<_> = g.property_store().all_node_tables().collect();
        assert!(
            matches!(tables[0].1.column(k).unwrap().data(), ColumnData::Any(_)),
            "{first:?} then {second:?}"
        );
        assert_eq!(g.node_value(a, k), Some(first));
        assert_eq!(g.node_value(b, k), Some(second));
    }
    // A local date-time without a code starts an `Any` column.
    let mut g = Graph::new();
    let k = g.intern_key("v");
    let a = g.add_node(vec![], vec![(k, early.clone())]);
    let tables: Vec<_> = g.property_store().all_node_tables().collect();
    assert!(matches!(
        tables[0].1.column(k).unwrap().data(),
        ColumnData::Any(_)
    ));
    assert_eq!(g.node_value(a, k), Some(early));
}

#[test]
fn dates_survive_a_snapshot_round_trip_and_queries_see_them() {
    let mut session = crate::Session::new();
    session
        .run(
            "CREATE (:Measure {announced: date('2024-03-01'), at: localdatetime('2024-03-01T10:30:00.5')}), \
             (:Measure {announced: date('1999-12-31')}), (:Measure {name: 'no date'})",
        )
        .unwrap();
    let graph = session.graph();
    let bytes = crate::snapshot::to_bytes(graph).unwrap();
    let back = crate::snapshot::from_bytes(&bytes).unwrap();
    assert_eq!(back.content_dump(), graph.content_dump());
    let l = back.label_id("Measure").unwrap();
    let k = back.key_id("announced").unwrap();
    assert!(matches!(
        node_column(&back, l, k)[0].data(),
        ColumnData::Date(_)
    ));
    let rows = session
        .run(
            "MATCH (m:Measure) WHERE m.announced >= date('2000-01-01') \
             RETURN m.announced AS d, m.at AS at",
        )
        .unwrap();
    assert_eq!(
        rows.rows,
        vec![vec![
            Value::Date(date(2024, 3, 1)),
            local(2024, 3, 1, 10, 30, 0, 500_000_000)
        ]]
    );
}

mod model {
    //! Random writes (typed, mixed, temporal, removals, label moves) read
    //! back exactly what a plain map of the same writes holds.

    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::{date, local, s};
    use crate::graph::{Graph, NodeId};
    use crate::value::Value;

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            (-2i64..3).prop_map(Value::Int),
            (-2i32..3).prop_map(|x| Value::Float(f64::from(x) / 2.0)),
            any::<bool>().prop_map(Value::Bool),
            (0..3u8).prop_map(|i| s(["a", "b", "2024-01-01"][i as usize])),
            (-300_000i32..300_000).prop_map(|d| Value::Date(
                date(1970, 1, 1) + chrono::TimeDelta::days(i64::from(d))
            )),
            (1500i32..2400, 0u32..86_400, 0u32..3).prop_map(|(y, secs, n)| local(
                y,
                1,
                1,
                secs / 3600,
                secs / 60 % 60,
                secs % 60,
                n * 333
            )),
        ]
    }

    /// (node index, key index, value) writes; null removes.
    fn writes() -> impl Strategy<Value = Vec<(usize, usize, Value)>> {
        prop::collection::vec((0..4usize, 0..3usize, value()), 1..40)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn columns_read_back_every_write(writes in writes(), flips in prop::collection::vec(0..4usize, 0..4)) {
            let mut g = Graph::new();
            let label = g.intern_label("L");
            let keys: Vec<_> = ["a", "b", "c"].iter().map(|k| g.intern_key(k)).collect();
            let nodes: Vec<NodeId> = (0..4).map(|_| g.add_node(vec![label], vec![])).collect();
            let mut expected: BTreeMap<(usize, usize), Value> = BTreeMap::new();
            for (i, (n, k, v)) in writes.into_iter().enumerate() {
                g.set_node_property(nodes[n], keys[k], v.clone());
                if v.is_null() {
                    expected.remove(&(n, k));
                } else {
                    expected.insert((n, k), v);
                }
                if let Some(f) = flips.get(i) {
                    // Moving rows between tables keeps their values.
                    if g.node(nodes[*f]).unwrap().labels().contains(&label) {
                        g.remove_label(nodes[*f], label);
                    } else {
                        g.add_label(nodes[*f], label);
                    }
                }
            }
            for (n, node) in nodes.iter().enumerate() {
                for (k, key) in keys.iter().enumerate() {
                    prop_assert_eq!(g.node_value(*node, *key), expected.get(&(n, k)).cloned());
                }
            }
        }
    }
}
