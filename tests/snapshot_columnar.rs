//! Columnar snapshots (format 3): round trips of every value type and
//! column kind, multi-label nodes, holes, schema and full-text
//! definitions; format-2 files written by older builds; corruption.

use std::collections::BTreeMap;
use std::path::Path;

use kgq::snapshot::{self, columnar, payload::Meta};
use kgq::{ErrorClass, Graph, NodeId, Session, Value};
use proptest::prelude::*;
use random_graph::{assert_same, build, op};

mod random_graph;

fn date(y: i32, m: u32, d: u32) -> Value {
    Value::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

/// A graph with every column kind (Int, Float, Bool, Str, Any with mixed
/// and non-scalar values), multi-label nodes whose label order is not
/// sorted, unlabelled nodes, deleted nodes and relationships, valid time,
/// provenance lists, aliases, indexes, constraints and full-text indexes.
fn rich_graph() -> Graph {
    let mut g = Graph::new();
    let mut map = BTreeMap::new();
    map.insert(
        "k".to_string(),
        Value::from(vec![Value::Int(1), Value::Null]),
    );
    let russia = g.add_node_with(
        &["Country"],
        [
            ("name", Value::from("Russia")),
            ("aliases", Value::from(vec!["RF", "Russian Federation"])),
            ("population", Value::Int(146_000_000)),
            ("gdp", Value::Float(2.2e12)),
            ("sanctioned", Value::Bool(true)),
        ],
    );
    let china = g.add_node_with(
        &["Country"],
        [
            ("name", Value::from("China")),
            ("population", Value::Int(1_410_000_000)),
            ("gdp", Value::Float(f64::NAN)),
            ("sanctioned", Value::Bool(false)),
        ],
    );
    let gone = g.add_node_with(&["Country"], [("name", "Atlantis")]);
    let maker = g.add_node_with(
        &["Maker", "Company"],
        [
            ("name", Value::from("Sinotruk")),
            ("founded", date(1956, 1, 1)),
            ("mixed", Value::Int(1)),
            ("meta", Value::Map(map)),
        ],
    );
    let agency = g.add_node_with(
        &["Company", "Agency", "Maker"],
        [
            ("name", Value::from("Rosstandart")),
            ("mixed", Value::from("one")),
            ("note", Value::from("")),
        ],
    );
    let bare = g.add_node_with::<&str, Value>(&[], []);
    let moment = chrono::NaiveDate::from_ymd_opt(2025, 2, 10)
        .unwrap()
        .and_hms_nano_opt(8, 30, 0, 5)
        .unwrap();
    let _ = g.add_node_with(
        &["Event"],
        [
            ("at", Value::LocalDateTime(moment)),
            ("minus_zero", Value::Float(-0.0)),
            ("big", Value::Int(i64::MIN)),
        ],
    );
    let e1 = g
        .add_relationship_with(
            china,
            russia,
            "EXPORTED_TO",
            [
                ("vehicles", Value::Int(909_000)),
                ("valid_from", date(2023, 1, 1)),
                ("valid_to", date(2023, 12, 31)),
                ("source", Value::from(vec!["Caijing Network", "Sputnik"])),
            ],
        )
        .unwrap();
    let _ = g
        .add_relationship_with(
            china,
            russia,
            "EXPORTED_TO",
            [
                ("vehicles", Value::Int(1_158_000)),
                ("valid_from", date(2024, 1, 1)),
                ("source", Value::from(vec!["the article"])),
            ],
        )
        .unwrap();
    let _ = g
        .add_relationship_with(
            agency,
            maker,
            "CANCELLED_CERTIFICATION_OF",
            [
                ("date", date(2025, 2, 10)),
                ("confidence", Value::Float(0.5)),
            ],
        )
        .unwrap();
    let _ = g
        .add_relationship_with(maker, maker, "SELF", Vec::<(&str, Value)>::new())
        .unwrap();
    let _ = g
        .add_relationship_with(bare, china, "BASED_IN", [("x", Value::Bool(true))])
        .unwrap();
    g.remove_relationship(e1);
    g.remove_node(gone).unwrap();
    let mut session = Session::with_graph(g);
    for statement in [
        "CREATE INDEX FOR (n:Country) ON (n.name)",
        "CREATE CONSTRAINT company_name FOR (c:Company) REQUIRE c.name IS UNIQUE",
        "CREATE FULLTEXT INDEX names FOR (n:Company|Country) ON EACH [n.name, n.aliases]",
    ] {
        session.run(statement).unwrap();
    }
    session.into_graph()
}

// ----- format 2, written by an older build -----

const V2_FIXTURE: &str = "tests/data/v2-sample.kgqs";

/// Writes the format-2 fixture. It was written by the last build that
/// wrote format 2 (commit 67a9212) and is frozen since: this build writes
/// format 3, so running the generator now would write format 3.
#[test]
#[ignore]
fn generate_v2_fixture() {
    snapshot::save(&rich_graph(), Path::new(V2_FIXTURE)).unwrap();
}

#[test]
fn format_2_snapshots_still_load() {
    let info = snapshot::inspect(V2_FIXTURE).unwrap();
    assert_eq!(info.format_version, 2);
    let loaded = snapshot::load(V2_FIXTURE).unwrap();
    assert_same(&rich_graph(), &loaded);
}

// ----- format 3 round trips -----

fn meta() -> Meta {
    Meta {
        kgq_version: "test".into(),
        created_unix: 0,
        generation: 0,
    }
}

/// The columnar payload of `g` as bytes (bit for bit, so NaN compares).
fn described(g: &Graph) -> Vec<u8> {
    let payload = columnar::from_graph(g, meta()).unwrap();
    bincode::serde::encode_to_vec(&payload, bincode::config::standard()).unwrap()
}

fn round_trip(g: &Graph) -> Graph {
    snapshot::from_bytes(&snapshot::to_bytes(g).unwrap()).unwrap()
}

#[test]
fn the_rich_graph_survives_format_3_with_its_tables_as_they_were() {
    let g = rich_graph();
    let bytes = snapshot::to_bytes(&g).unwrap();
    assert_eq!(snapshot::inspect_bytes(&bytes).unwrap().format_version, 3);
    let loaded = snapshot::from_bytes(&bytes).unwrap();
    assert_same(&g, &loaded);
    // The tables, rows, columns, dictionary and label orders come back as
    // they were: saving the loaded graph describes it identically.
    assert_eq!(described(&g), described(&loaded));
    // Label order of multi-label nodes, full-text and queries.
    let agency = loaded
        .nodes()
        .find(|n| loaded.node_property(*n, "name") == Some(Value::from("Rosstandart")))
        .unwrap();
    assert_eq!(loaded.node_labels(agency), ["Company", "Agency", "Maker"]);
    let mut session = Session::with_graph(loaded);
    let rows = session
        .run("CALL db.index.fulltext.queryNodes('names', 'russian') YIELD node RETURN node.name AS n")
        .unwrap()
        .rows;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let rows = session
        .run("MATCH (c:Country)<-[e:EXPORTED_TO]-(:Country) RETURN c.name AS c, e.vehicles AS v, e.source AS s")
        .unwrap()
        .rows;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let err = session
        .run("CREATE (:Company {name: 'Sinotruk'})")
        .unwrap_err();
    assert_eq!(err.class, ErrorClass::ConstraintVerificationFailed, "{err}");
}

#[test]
fn every_column_kind_round_trips() {
    let g = rich_graph();
    let kinds = |g: &Graph| -> Vec<String> {
        let store = g.property_store();
        let mut out = Vec::new();
        for (set, table) in store.all_node_tables() {
            for key in table.keys() {
                let data = table.column(*key).unwrap().data();
                out.push(format!("{set:?} {} {}", g.key_name(*key), kind(data)));
            }
        }
        for (t, table) in store.all_relationship_tables() {
            for key in table.keys() {
                let data = table.column(*key).unwrap().data();
                out.push(format!(
                    "{} {} {}",
                    g.type_name(t),
                    g.key_name(*key),
                    kind(data)
                ));
            }
        }
        out
    };
    fn kind(d: &kgq::graph::columns::ColumnData) -> &'static str {
        use kgq::graph::columns::ColumnData::*;
        match d {
            Int(_) => "Int",
            Float(_) => "Float",
            Bool(_) => "Bool",
            Str(_) => "Str",
            Date(_) => "Date",
            LocalDateTime(_) => "LocalDateTime",
            Any(_) => "Any",
        }
    }
    let before = kinds(&g);
    for k in ["Int", "Float", "Bool", "Str", "Any"] {
        assert!(
            before.iter().any(|c| c.ends_with(k)),
            "no {k} column: {before:?}"
        );
    }
    assert_eq!(before, kinds(&round_trip(&g)));
}

#[test]
fn deleted_slots_are_reused_lowest_first_after_a_columnar_load() {
    let mut g = Graph::new();
    let ids: Vec<_> = (0..6)
        .map(|i| g.add_node_with(&["N"], [("i", i)]))
        .collect();
    let rels: Vec<_> = (0..5)
        .map(|i| {
            g.add_relationship_with(ids[i], ids[i + 1], "NEXT", [("i", i as i64)])
                .unwrap()
        })
        .collect();
    g.remove_relationship(rels[0]);
    g.remove_relationship(rels[3]);
    g.remove_node(ids[0]).unwrap();
    g.set_node_property_named(ids[5], "i", Value::Null);
    let mut loaded = round_trip(&g);
    assert_same(&g, &loaded);
    assert_eq!(loaded.add_node_with::<&str, Value>(&[], []), ids[0]);
    assert_eq!(loaded.add_node_with::<&str, Value>(&[], []), NodeId(6));
    let r = loaded
        .add_relationship_with(ids[1], ids[2], "NEXT", Vec::<(&str, Value)>::new())
        .unwrap();
    assert_eq!(r, rels[0]);
    let r = loaded
        .add_relationship_with(ids[1], ids[2], "NEXT", Vec::<(&str, Value)>::new())
        .unwrap();
    assert_eq!(r, rels[3]);
}

#[test]
fn an_empty_graph_round_trips() {
    let g = Graph::new();
    let loaded = round_trip(&g);
    assert_eq!((loaded.node_count(), loaded.relationship_count()), (0, 0));
}

// ----- random graphs -----

fn column_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..3).prop_map(Value::Int),
        any::<i64>().prop_map(Value::Int),
        prop_oneof![Just(0.5), Just(f64::NAN), Just(-0.0)].prop_map(Value::Float),
        "[ab]{0,2}".prop_map(Value::from),
        (0i32..1000).prop_map(|d| Value::Date(
            chrono::NaiveDate::from_num_days_from_ce_opt(700_000 + d).unwrap()
        )),
        prop::collection::vec((-3i64..3).prop_map(Value::Int), 0..3).prop_map(Value::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    #[test]
    fn random_graphs_keep_ids_labels_properties_tables_and_adjacency(
        ops in prop::collection::vec(op(column_value().boxed()), 0..60)
    ) {
        let graph = build(&ops);
        let loaded = round_trip(&graph);
        assert_same(&graph, &loaded);
        prop_assert_eq!(described(&graph), described(&loaded));
        // The same statement gives the same rows on both.
        let query = "MATCH (a)-[r]->(b) RETURN id(a) AS a, type(r) AS t, id(b) AS b, a.k0 AS k, labels(a) AS l";
        let rows = |g: Graph| Session::with_graph(g).run(query).unwrap().rows;
        prop_assert_eq!(rows(graph), rows(loaded));
    }
}

// ----- hostile format-3 payloads (valid checksum, inconsistent content) -----

/// A format-3 file around `payload` (flags 0, correct length and checksum).
fn file_of(payload: &columnar::PayloadV3<'_>) -> Vec<u8> {
    let body = bincode::serde::encode_to_vec(payload, bincode::config::standard()).unwrap();
    let mut out = Vec::new();
    out.extend_from_slice(b"KGQSNAP\0");
    out.extend_from_slice(&3u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

fn small_graph() -> Graph {
    let mut g = Graph::new();
    let a = g.add_node_with(
        &["Company", "Maker"],
        [
            ("name", Value::from("Sinotruk")),
            ("x", Value::from(vec![1i64])),
        ],
    );
    let b = g.add_node_with(&["Country"], [("name", "Russia")]);
    let c = g.add_node_with(&["Country"], [("name", "Gone")]);
    g.add_relationship_with(a, b, "SELLS_TO", [("units", 5)])
        .unwrap();
    g.remove_node(c).unwrap();
    // Company moves behind Maker: the node's label order is not sorted.
    let company = g.label_id("Company").unwrap();
    g.remove_label(a, company);
    g.add_label(a, company);
    g
}

#[test]
fn inconsistent_columnar_payloads_are_format_errors() {
    use columnar::ColumnValues;
    use std::borrow::Cow;
    let g = small_graph();
    let good = columnar::from_graph(&g, meta()).unwrap();
    assert!(snapshot::from_bytes(&file_of(&good)).is_ok());
    assert!(
        !good.label_orders.is_empty(),
        "the fixture needs a label order"
    );
    type Damage = fn(&mut columnar::PayloadV3<'static>);
    let cases: Vec<(&str, Damage)> = vec![
        ("string code outside the dictionary", |p| {
            p.node_tables[0].rows.columns[0].data = ColumnValues::Str(Cow::Owned(vec![99]));
        }),
        ("fewer values than rows", |p| {
            p.node_tables[0].rows.columns[0].data = ColumnValues::Str(Cow::Owned(vec![]));
        }),
        ("bitmap words do not fit the rows", |p| {
            p.node_tables[0].rows.columns[0].valid = Cow::Owned(vec![1, 1]);
        }),
        ("bool words do not fit the rows", |p| {
            p.node_tables[0].rows.columns[0].data = ColumnValues::Bool(Cow::Owned(vec![]));
        }),
        ("a node in two tables", |p| {
            let id = p.node_tables[0].rows.ids[0];
            p.node_tables[1].rows.ids = Cow::Owned(vec![id]);
        }),
        ("a node id beyond the slots", |p| {
            p.node_tables[1].rows.ids = Cow::Owned(vec![1000]);
        }),
        ("a hole that is also a node", |p| {
            p.node_holes = vec![0];
        }),
        ("a relationship ending at a hole", |p| {
            p.relationship_tables[0].to = vec![2];
        }),
        ("a relationship ending beyond every slot", |p| {
            p.relationship_tables[0].from = vec![u32::MAX - 1];
        }),
        ("ends and rows of different lengths", |p| {
            p.relationship_tables[0].from = vec![];
        }),
        ("an unknown label id", |p| {
            p.node_tables[0].labels = vec![77];
        }),
        ("an unsorted label set", |p| {
            p.node_tables[0].labels.reverse();
        }),
        ("a label order that is not the table's set", |p| {
            p.label_orders[0].1 = vec![0];
        }),
        ("a label order for a hole", |p| {
            p.label_orders[0].0 = 2;
        }),
        ("a label order naming a label twice", |p| {
            let l = p.label_orders[0].1[0];
            p.label_orders[0].1 = vec![l, l];
        }),
        ("null in a valid value row", |p| {
            let rows = &mut p.node_tables[0].rows;
            let any = rows
                .columns
                .iter_mut()
                .find(|c| matches!(c.data, ColumnValues::Any(_)))
                .unwrap();
            any.data = ColumnValues::Any(vec![vec![kgq::snapshot::value_codec::Token::Null]]);
        }),
        ("a malformed value", |p| {
            let rows = &mut p.node_tables[0].rows;
            let any = rows
                .columns
                .iter_mut()
                .find(|c| matches!(c.data, ColumnValues::Any(_)))
                .unwrap();
            any.data = ColumnValues::Any(vec![vec![kgq::snapshot::value_codec::Token::List(3)]]);
        }),
        ("an unknown key id", |p| {
            p.node_tables[0].rows.columns[0].key = 500;
        }),
        ("columns out of key order", |p| {
            p.node_tables[0].rows.columns.reverse();
        }),
        ("an unknown relationship type", |p| {
            p.relationship_tables[0].rel_type = 9;
        }),
        ("two tables for one type", |p| {
            let t = p.relationship_tables[0].clone();
            p.relationship_tables.push(columnar::RelTable {
                rows: columnar::Rows {
                    ids: Cow::Owned(vec![]),
                    columns: vec![],
                },
                from: vec![],
                to: vec![],
                ..t
            });
        }),
        ("a repeated dictionary string", |p| {
            let s = p.strings[0].clone();
            p.strings.push(s);
        }),
        ("a repeated label name", |p| {
            let s = p.labels[0].clone();
            p.labels.push(s);
        }),
        ("relationships without nodes", |p| {
            p.node_tables.clear();
            p.label_orders.clear();
            p.node_holes = vec![0, 1, 2];
        }),
    ];
    let owned: columnar::PayloadV3<'static> = bincode::serde::decode_from_slice(
        &bincode::serde::encode_to_vec(&good, bincode::config::standard()).unwrap(),
        bincode::config::standard(),
    )
    .unwrap()
    .0;
    for (what, damage) in cases {
        let mut p = owned.clone();
        damage(&mut p);
        let bytes = file_of(&p);
        match snapshot::from_bytes(&bytes) {
            Ok(_) => panic!("{what}: a damaged payload loaded"),
            Err(e) => {
                eprintln!("{what}: {e}");
                assert_eq!(e.class, ErrorClass::FormatError, "{what}: {e}")
            }
        }
    }
}

#[test]
fn a_truncated_or_flipped_columnar_snapshot_is_an_error() {
    let bytes = snapshot::to_bytes(&small_graph()).unwrap();
    assert_eq!(snapshot::inspect_bytes(&bytes).unwrap().format_version, 3);
    for len in 0..bytes.len() {
        let err = snapshot::from_bytes(&bytes[..len]).unwrap_err();
        assert_eq!(err.class, ErrorClass::FormatError, "truncated to {len}");
    }
    for byte in 0..bytes.len() {
        let mut damaged = bytes.clone();
        damaged[byte] ^= 0x10;
        let err = snapshot::from_bytes(&damaged).unwrap_err();
        assert_eq!(err.class, ErrorClass::FormatError, "byte {byte} flipped");
    }
}
