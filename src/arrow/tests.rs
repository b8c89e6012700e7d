//! Round trips of every value type through Arrow.

use std::collections::BTreeMap;
use std::sync::Arc;

use ::arrow::array::{
    Array, ArrayRef, DictionaryArray, Int8Array, LargeStringArray, StringArray,
    TimestampMillisecondArray, UInt64Array,
};
use ::arrow::datatypes::{DataType, Field, Int32Type, TimeUnit};

use super::*;
use crate::graph::{EdgeId, NodeId};
use crate::value::Path;

/// One value of every kind, computed by the language itself.
pub(crate) fn every_value() -> Vec<(&'static str, Value)> {
    let mut s = crate::Session::new();
    let r = s
        .run(
            "RETURN true AS b, 42 AS i, -1.5 AS f, 'Rosstandart' AS s, \
             date('2025-02-10') AS d, localdatetime('2025-02-10T12:31:14.123456789') AS ldt, \
             datetime('2025-02-10T12:31:14+03:00') AS dt_off, \
             datetime('2025-02-10T12:31:14[Europe/Moscow]') AS dt_zone, \
             localtime('12:31:14.5') AS lt, time('12:31:14+01:00') AS t, \
             duration('P1Y2M3DT4H5M6.007S') AS dur, duration('-PT0.5S') AS neg_dur, \
             ['Sputnik', 'Caijing'] AS list, [1, 2, 3] AS ints, [] AS empty, \
             [[1], [2, 3]] AS nested, {a: 1, b: 'x'} AS map, \
             localdatetime('1500-01-01T00:00') AS old, [1, 'a'] AS mixed",
        )
        .unwrap();
    let names: Vec<&'static str> = vec![
        "b", "i", "f", "s", "d", "ldt", "dt_off", "dt_zone", "lt", "t", "dur", "neg_dur", "list",
        "ints", "empty", "nested", "map", "old", "mixed",
    ];
    names.into_iter().zip(r.rows[0].iter().cloned()).collect()
}

#[test]
fn every_value_type_round_trips_through_a_batch() {
    let values = every_value();
    let mut columns: Vec<String> = values.iter().map(|(n, _)| n.to_string()).collect();
    let mut row: Vec<Value> = values.iter().map(|(_, v)| v.clone()).collect();
    columns.extend(["node", "rel", "path", "nan"].map(String::from));
    row.extend([
        Value::Node(NodeId(7)),
        Value::Relationship(EdgeId(8)),
        Value::Path(Arc::new(Path {
            nodes: vec![NodeId(1), NodeId(2)],
            relationships: vec![EdgeId(3)],
        })),
        Value::Float(f64::NAN),
    ]);
    let null_row = vec![Value::Null; row.len()];
    let rows = vec![row.clone(), null_row.clone(), row];
    let batch = rows_to_batch(&columns, &rows).unwrap();
    let (back_columns, back_rows) = batch_to_rows(&batch).unwrap();
    assert_eq!(back_columns, columns);
    for (r, (got, want)) in back_rows.iter().zip(&rows).enumerate() {
        for (c, name) in columns.iter().enumerate() {
            assert_eq!(got[c], want[c], "row {r} column {name}");
        }
    }
    let ty = |name: &str| {
        batch
            .schema()
            .field_with_name(name)
            .unwrap()
            .data_type()
            .clone()
    };
    assert_eq!(ty("i"), DataType::Int64);
    assert_eq!(ty("d"), DataType::Date32);
    assert_eq!(ty("ldt"), DataType::Timestamp(TimeUnit::Nanosecond, None));
    assert_eq!(
        ty("dt_zone"),
        DataType::Timestamp(TimeUnit::Nanosecond, Some("Europe/Moscow".into()))
    );
    assert_eq!(
        ty("dt_off"),
        DataType::Timestamp(TimeUnit::Nanosecond, Some("+03:00".into()))
    );
    assert_eq!(ty("lt"), DataType::Time64(TimeUnit::Nanosecond));
    assert!(matches!(ty("dur"), DataType::Struct(_)));
    assert!(matches!(ty("nested"), DataType::List(_)));
    assert_eq!(ty("map"), DataType::Utf8);
    assert_eq!(ty("old"), DataType::Utf8);
}

#[test]
fn arrays_from_other_tools_are_read() {
    let read = |array: ArrayRef| {
        let field = Field::new("c", array.data_type().clone(), true);
        array_to_values(&field, array.as_ref())
    };
    assert_eq!(
        read(Arc::new(Int8Array::from(vec![Some(1), None]))).unwrap(),
        vec![Value::Int(1), Value::Null]
    );
    assert_eq!(
        read(Arc::new(LargeStringArray::from(vec!["a"]))).unwrap(),
        vec![Value::from("a")]
    );
    let dict: DictionaryArray<Int32Type> = vec!["x", "y", "x"].into_iter().collect();
    assert_eq!(
        read(Arc::new(dict)).unwrap(),
        vec![Value::from("x"), Value::from("y"), Value::from("x")]
    );
    let ms = TimestampMillisecondArray::from(vec![1_700_000_000_123]).with_timezone("UTC");
    match &read(Arc::new(ms)).unwrap()[0] {
        Value::DateTime(d) => {
            assert_eq!(d.offset, 0);
            assert_eq!(d.utc().and_utc().timestamp_millis(), 1_700_000_000_123);
        }
        other => panic!("not a datetime: {other:?}"),
    }
    // Too large for a kgq integer: an error, not a wrong number.
    let err = read(Arc::new(UInt64Array::from(vec![u64::MAX]))).unwrap_err();
    assert!(err.message.contains("column `c`"), "{}", err.message);
    // Text tagged as a date that is not one.
    let field = Field::new("d", DataType::Utf8, true)
        .with_metadata([(KGQ_TYPE.to_string(), "date".to_string())].into());
    let err = array_to_values(&field, &StringArray::from(vec!["2025-13-45"])).unwrap_err();
    assert!(err.message.contains("not a valid date"), "{}", err.message);
    let binary = ::arrow::array::BinaryArray::from(vec![b"x".as_ref()]);
    assert!(read(Arc::new(binary)).is_err());
}

#[test]
fn a_value_that_does_not_fit_the_chosen_type_is_an_error() {
    let values = [Value::Int(1), Value::from("x")];
    let refs: Vec<&Value> = values.iter().collect();
    let err = values_to_array_as("n", &refs, &ColumnType::Int).unwrap_err();
    assert!(err.message.contains("column `n`"), "{}", err.message);
    let (field, array) = values_to_array("n", &refs).unwrap();
    assert_eq!(
        field.metadata().get(KGQ_TYPE).map(String::as_str),
        Some("json")
    );
    assert_eq!(array.len(), 2);
}

#[test]
fn nodes_and_relationships_load_from_batches() {
    let mut g = crate::Graph::new();
    let companies = rows_to_batch(
        &["name".into(), "founded".into()],
        &[
            vec![Value::from("Sinotruk"), Value::Int(1956)],
            vec![Value::from("Shacman"), Value::Null],
        ],
    )
    .unwrap();
    let mut keys = NodeKeys::new();
    let spec = NodeLoad {
        labels: vec!["Company".into()],
        key: Some("name".into()),
        store_key: true,
        labels_column: None,
    };
    let added = load_nodes(&mut g, &companies, &spec, &mut keys).unwrap();
    assert_eq!(added.len(), 2);
    assert_eq!(g.node_property(added[0], "founded"), Some(Value::Int(1956)));
    assert_eq!(g.node_property(added[1], "founded"), None);
    // The same keys again: refused, and nothing is added.
    assert!(load_nodes(&mut g, &companies, &spec, &mut keys).is_err());
    assert_eq!(g.node_count(), 2);

    let owns = rows_to_batch(
        &["from".into(), "to".into(), "share".into()],
        &[vec![
            Value::from("Sinotruk"),
            Value::from("Shacman"),
            Value::Float(0.51),
        ]],
    )
    .unwrap();
    let rel = RelationshipLoad {
        rel_type: "OWNS".into(),
        src: "from".into(),
        dst: "to".into(),
        skip: vec![],
    };
    assert_eq!(
        load_relationships(&mut g, &owns, &rel, &keys, &keys).unwrap(),
        1
    );
    let r = g.relationships().next().unwrap();
    assert_eq!(g.endpoints(r), Some((added[0], added[1])));
    assert_eq!(
        g.relationship_property(r, "share"),
        Some(Value::Float(0.51))
    );
    assert_eq!(g.relationship_property(r, "from"), None);

    // Keys read back from the graph find the same nodes.
    let again = NodeKeys::from_graph(&g, "Company", "name").unwrap();
    assert_eq!(again.get(&Key::String("Shacman".into())), Some(added[1]));

    // A missing end: an error naming the key, nothing added.
    let bad = rows_to_batch(
        &["from".into(), "to".into()],
        &[vec![Value::from("Sinotruk"), Value::from("Nobody")]],
    )
    .unwrap();
    let err = load_relationships(&mut g, &bad, &rel, &keys, &keys).unwrap_err();
    assert!(err.message.contains("Nobody"), "{}", err.message);
    assert_eq!(g.relationship_count(), 1);

    // Maps are not properties.
    let maps = rows_to_batch(
        &["m".into()],
        &[vec![Value::Map(BTreeMap::from([(
            "a".to_string(),
            Value::Int(1),
        )]))]],
    )
    .unwrap();
    let plain = NodeLoad {
        labels: vec!["X".into()],
        ..NodeLoad::default()
    };
    assert!(load_nodes(&mut g, &maps, &plain, &mut NodeKeys::new()).is_err());
    assert_eq!(g.node_count(), 2);
}
