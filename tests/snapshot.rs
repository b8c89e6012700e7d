//! Snapshots: round trips of random graphs, every corruption class, and
//! format versions.

use std::collections::BTreeMap;
use std::path::Path;

use kgq::snapshot::{self, payload, value_codec::Token};
use kgq::value::Duration;
use kgq::{ErrorClass, Graph, NodeId, Value};
use proptest::prelude::*;
use random_graph::{assert_same, build, op};

mod random_graph;

// ----- random graphs -----

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<f64>().prop_map(Value::Float),
        Just(Value::Float(f64::NAN)),
        Just(Value::Float(-0.0)),
        "\\PC{0,8}".prop_map(Value::from),
        (-700_000i32..3_000_000)
            .prop_filter_map("date", chrono::NaiveDate::from_num_days_from_ce_opt)
            .prop_map(Value::Date),
        (-50_000_000_000i64..50_000_000_000, 0u32..1_000_000_000)
            .prop_filter_map("datetime", |(s, n)| chrono::DateTime::from_timestamp(s, n))
            .prop_map(|t| Value::LocalDateTime(t.naive_utc())),
        (
            any::<i64>(),
            any::<i64>(),
            any::<i64>(),
            0i32..1_000_000_000
        )
            .prop_map(|(months, days, seconds, nanos)| Value::Duration(Duration {
                months,
                days,
                seconds,
                nanos
            })),
        time_of_day().prop_map(Value::LocalTime),
        (time_of_day(), -64_800i32..=64_800)
            .prop_map(|(time, offset)| Value::Time(kgq::value::Time { time, offset })),
        (
            -50_000_000_000i64..50_000_000_000,
            -64_800i32..=64_800,
            prop::option::of(prop::sample::select(vec![
                "Europe/Stockholm",
                "Asia/Shanghai"
            ]))
        )
            .prop_filter_map("zoned datetime", |(s, offset, zone)| {
                let local = chrono::DateTime::from_timestamp(s, 0)?.naive_utc();
                Some(Value::DateTime(kgq::value::DateTime {
                    local,
                    offset,
                    zone: zone.map(std::sync::Arc::from),
                }))
            }),
    ]
}

fn time_of_day() -> impl Strategy<Value = chrono::NaiveTime> {
    (0u32..86_400, 0u32..1_000_000_000).prop_filter_map("time", |(s, n)| {
        chrono::NaiveTime::from_num_seconds_from_midnight_opt(s, n)
    })
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| Value::List(v.into())),
            prop::collection::btree_map("[a-z]{0,3}", inner, 0..3).prop_map(Value::Map),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    #[test]
    fn random_graphs_survive_save_and_load(ops in prop::collection::vec(op(value().boxed()), 0..40)) {
        let graph = build(&ops);
        let bytes = snapshot::to_bytes(&graph).unwrap();
        let loaded = snapshot::from_bytes(&bytes).unwrap();
        assert_same(&graph, &loaded);
        // And once more: a loaded graph saves to an equivalent snapshot.
        assert_same(&loaded, &snapshot::from_bytes(&snapshot::to_bytes(&loaded).unwrap()).unwrap());
    }
}

#[test]
fn values_keep_their_exact_types() {
    let mut g = Graph::new();
    let mut m = BTreeMap::new();
    m.insert(
        "nested".to_string(),
        Value::from(vec![Value::List(vec![Value::Int(1)].into())]),
    );
    let values = [
        Value::Int(1),
        Value::Float(1.0),
        Value::Float(f64::NAN),
        Value::Float(f64::NEG_INFINITY),
        Value::from("1"),
        Value::Date(chrono::NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
        Value::Map(m),
        Value::from(vec![Value::Int(1), Value::Float(1.0), Value::Null]),
    ];
    for (i, v) in values.iter().enumerate() {
        g.add_node_with(&["V"], [(format!("v{i}"), v.clone())]);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.kgqs");
    snapshot::save(&g, &path).unwrap();
    let loaded = snapshot::load(&path).unwrap();
    assert_same(&g, &loaded);
    assert_eq!(loaded.node_property(NodeId(0), "v0"), Some(Value::Int(1)));
    assert_eq!(
        loaded.node_property(NodeId(1), "v1"),
        Some(Value::Float(1.0))
    );
}

#[test]
fn holes_stay_holes_and_are_reused_lowest_first() {
    let mut g = Graph::new();
    let ids: Vec<_> = (0..6)
        .map(|i| g.add_node_with(&["N"], [("i", i)]))
        .collect();
    g.remove_node(ids[1]).unwrap();
    g.remove_node(ids[4]).unwrap();
    let mut loaded = snapshot::from_bytes(&snapshot::to_bytes(&g).unwrap()).unwrap();
    assert_same(&g, &loaded);
    assert_eq!(loaded.add_node_with::<&str, Value>(&[], []), ids[1]);
    assert_eq!(loaded.add_node_with::<&str, Value>(&[], []), ids[4]);
    assert_eq!(loaded.add_node_with::<&str, Value>(&[], []), NodeId(6));
}

#[test]
fn nodes_and_relationships_cannot_be_stored_as_properties() {
    let mut g = Graph::new();
    let a = g.add_node_with::<&str, Value>(&[], []);
    g.set_node_property_named(a, "self", Value::Node(a));
    let err = snapshot::to_bytes(&g).unwrap_err();
    assert_eq!(err.class, ErrorClass::TypeError);
}

// ----- corruption -----

fn small_snapshot() -> Vec<u8> {
    let mut g = Graph::new();
    let a = g.add_node_with(&["Company"], [("name", Value::from("Sinotruk"))]);
    let b = g.add_node_with(
        &["Product"],
        [("year", Value::Int(2020)), ("w", Value::Float(1.5))],
    );
    let c = g.add_node_with(&["X"], [("d", Value::from(vec![1i64, 2]))]);
    g.add_relationship_with(a, b, "MAKES", [("since", 1956)])
        .unwrap();
    g.remove_node(c).unwrap();
    snapshot::to_bytes(&g).unwrap()
}

fn assert_format_error(bytes: &[u8], what: &str) {
    match snapshot::from_bytes(bytes) {
        Ok(_) => panic!("{what}: a damaged snapshot loaded"),
        Err(e) => {
            assert_eq!(e.class, ErrorClass::FormatError, "{what}: {e}");
            assert!(!e.message.is_empty());
        }
    }
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = small_snapshot();
    for len in 0..bytes.len() {
        assert_format_error(&bytes[..len], &format!("truncated to {len}"));
        assert!(snapshot::inspect_bytes(&bytes[..len]).is_err());
    }
    // A few through the file path too.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.kgqs");
    for len in [0, 7, 8, 12, 27, 28, bytes.len() - 1] {
        std::fs::write(&path, &bytes[..len]).unwrap();
        assert_eq!(
            snapshot::load(&path).unwrap_err().class,
            ErrorClass::FormatError
        );
    }
}

#[test]
fn every_single_bit_flip_is_an_error() {
    let bytes = small_snapshot();
    for byte in 0..bytes.len() {
        for bit in 0..8 {
            let mut damaged = bytes.clone();
            damaged[byte] ^= 1 << bit;
            assert_format_error(&damaged, &format!("bit {bit} of byte {byte}"));
        }
    }
}

#[test]
fn trailing_bytes_wrong_magic_and_zeros_are_errors() {
    let mut bytes = small_snapshot();
    bytes.push(0);
    assert_format_error(&bytes, "trailing byte");
    let mut bytes = small_snapshot();
    bytes[0..8].copy_from_slice(b"NOTSNAP\0");
    assert_format_error(&bytes, "wrong magic");
    for len in [1, 8, 28, 4096] {
        assert_format_error(&vec![0u8; len], &format!("{len} zero bytes"));
    }
    assert_format_error(b"CREATE (:Country {name: 'Russia'});\n", "a script");
}

fn with_header(version: u32, payload: &[u8], declared_len: u64) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"KGQSNAP\0");
    out.extend_from_slice(&version.to_le_bytes());
    if version != 1 {
        out.extend_from_slice(&0u32.to_le_bytes());
    }
    out.extend_from_slice(&declared_len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}

#[test]
fn huge_length_prefixes_are_refused_without_allocating() {
    let bytes = small_snapshot();
    let payload = &bytes[28..];
    // In the header.
    assert_format_error(
        &with_header(2, payload, u64::MAX),
        "u64::MAX payload length",
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.kgqs");
    std::fs::write(&path, with_header(2, payload, 1 << 62)).unwrap();
    assert_eq!(
        snapshot::load(&path).unwrap_err().class,
        ErrorClass::FormatError
    );
    // Inside the payload, with a valid checksum: a list claiming 2^60 items
    // right after the metadata.
    let mut evil = Vec::new();
    evil.extend_from_slice(&[1, b'x', 0, 0]); // meta: "x", created 0, generation 0
    evil.push(253); // varint marker for a u64
    evil.extend_from_slice(&(1u64 << 60).to_le_bytes());
    evil.extend_from_slice(&[0; 16]);
    let file = with_header(2, &evil, evil.len() as u64);
    assert_format_error(&file, "huge list length");
    // A string claiming 2^40 bytes.
    let mut evil = vec![253];
    evil.extend_from_slice(&(1u64 << 40).to_le_bytes());
    assert_format_error(
        &with_header(2, &evil, evil.len() as u64),
        "huge string length",
    );
    // Deeply nested value tokens are bounded by the value codec's depth.
    let mut g = Graph::new();
    let mut v = Value::Int(1);
    for _ in 0..100 {
        v = Value::List(vec![v].into());
    }
    g.add_node_with(&["Deep"], [("v", v)]);
    let bytes = snapshot::to_bytes(&g).unwrap();
    assert_format_error(&bytes, "nesting deeper than the limit");
}

#[test]
fn directories_missing_and_unreadable_files_are_io_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = snapshot::load(dir.path()).unwrap_err();
    assert_eq!((err.class, err.code), (ErrorClass::IoError, "IsADirectory"));
    let err = snapshot::load(dir.path().join("missing.kgqs")).unwrap_err();
    assert_eq!(err.class, ErrorClass::IoError);
    assert!(snapshot::save(&Graph::new(), dir.path()).is_err());

    use std::os::unix::fs::PermissionsExt;
    let path = dir.path().join("locked.kgqs");
    std::fs::write(&path, small_snapshot()).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!(
            "skipping the unreadable-file check: running as root, chmod 000 does not stop reads"
        );
    } else {
        let err = snapshot::load(&path).unwrap_err();
        assert_eq!(err.class, ErrorClass::IoError, "{err}");
    }
}

#[test]
fn save_replaces_atomically_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut g = Graph::new();
    snapshot::save(&g, &path).unwrap();
    g.add_node_with(&["A"], [("x", 1)]);
    snapshot::save(&g, &path).unwrap();
    assert_eq!(snapshot::load(&path).unwrap().node_count(), 1);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn inspect_reports_counts_and_checksum() {
    let mut g = Graph::new();
    let a = g.add_node_with(&["Company", "Maker"], [("name", "Sinotruk")]);
    let b = g.add_node_with(&["Company"], [("name", "KAMAZ")]);
    g.add_relationship_with(a, b, "COMPETES", Vec::<(&str, Value)>::new())
        .unwrap();
    let mut bytes = snapshot::to_bytes(&g).unwrap();
    let info = snapshot::inspect_bytes(&bytes).unwrap();
    assert_eq!(info.format_version, 3);
    assert!(info.checksum_ok);
    assert_eq!(info.kgq_version, env!("CARGO_PKG_VERSION"));
    assert!(info.created_unix > 1_700_000_000);
    assert_eq!((info.node_count, info.relationship_count), (2, 1));
    assert_eq!(info.labels.get("Company"), Some(&2));
    assert_eq!(info.labels.get("Maker"), Some(&1));
    assert_eq!(info.types.get("COMPETES"), Some(&1));
    // Damage the stored checksum only: still decodable, checksum fails.
    bytes[24] ^= 1;
    let info = snapshot::inspect_bytes(&bytes).unwrap();
    assert!(!info.checksum_ok);
}

#[test]
fn looks_like_snapshot_tells_snapshots_from_scripts() {
    assert!(snapshot::looks_like_snapshot(&small_snapshot()[..16]));
    assert!(!snapshot::looks_like_snapshot(b"CREATE (n)"));
    assert!(!snapshot::looks_like_snapshot(b"KGQ"));
    let dir = tempfile::tempdir().unwrap();
    let (snap, script) = (dir.path().join("a.cypher"), dir.path().join("b.kgqs"));
    std::fs::write(&snap, small_snapshot()).unwrap();
    std::fs::write(&script, "CREATE (n);").unwrap();
    assert!(snapshot::is_snapshot_file(&snap).unwrap());
    assert!(!snapshot::is_snapshot_file(&script).unwrap());
    assert!(snapshot::is_snapshot_file(dir.path().join("none")).is_err());
}

// ----- versions -----

const V1_FIXTURE: &str = "tests/data/v1-sample.kgqs";

/// The format-1 fixture: a header without flags, dense ids, no generation.
fn v1_fixture_bytes() -> Vec<u8> {
    let tok = |v: Value| kgq::snapshot::value_codec::to_tokens(&v).unwrap();
    let p = payload::PayloadV1 {
        kgq_version: "0.0.9".into(),
        created_unix: 1_700_000_000,
        labels: vec!["Country".into(), "Product".into()],
        types: vec!["IMPORTS".into()],
        keys: vec!["name".into(), "units".into(), "since".into()],
        nodes: vec![
            payload::NodeV1 {
                labels: vec![0],
                properties: vec![(0, tok(Value::from("Russia")))],
            },
            payload::NodeV1 {
                labels: vec![1],
                properties: vec![(0, tok(Value::from("Truck")))],
            },
            payload::NodeV1 {
                labels: vec![0],
                properties: vec![(0, vec![Token::String("China".into())])],
            },
        ],
        relationships: vec![payload::RelV1 {
            from: 0,
            to: 1,
            rel_type: 0,
            properties: vec![
                (1, tok(Value::Int(15000))),
                (
                    2,
                    tok(Value::Date(
                        chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap(),
                    )),
                ),
            ],
        }],
    };
    let body = bincode::serde::encode_to_vec(&p, bincode::config::standard()).unwrap();
    with_header(1, &body, body.len() as u64)
}

/// Regenerates the committed fixture: `cargo test --test snapshot -- --ignored generate_v1_fixture`.
#[test]
#[ignore]
fn generate_v1_fixture() {
    std::fs::write(V1_FIXTURE, v1_fixture_bytes()).unwrap();
}

#[test]
fn format_1_snapshots_still_load() {
    let committed = std::fs::read(V1_FIXTURE).unwrap();
    assert_eq!(
        committed,
        v1_fixture_bytes(),
        "the fixture generator changed"
    );
    let g = snapshot::load(Path::new(V1_FIXTURE)).unwrap();
    assert_eq!((g.node_count(), g.relationship_count()), (3, 1));
    assert_eq!(
        g.node_property(NodeId(0), "name"),
        Some(Value::from("Russia"))
    );
    let r = g.relationships().next().unwrap();
    assert_eq!(g.relationship_type(r), Some("IMPORTS"));
    assert_eq!(g.relationship_property(r, "units"), Some(Value::Int(15000)));
    let info = snapshot::inspect(V1_FIXTURE).unwrap();
    assert_eq!(
        (info.format_version, info.kgq_version.as_str()),
        (1, "0.0.9")
    );
    let mut session = kgq::Session::with_graph(g);
    let result = session
        .run("MATCH (c:Country)-[i:IMPORTS]->(p) RETURN c.name AS c, i.since AS since")
        .unwrap();
    assert_eq!(result.rows.len(), 1);
}

#[test]
fn newer_formats_are_refused_with_a_clear_message() {
    let mut bytes = small_snapshot();
    bytes[8..12].copy_from_slice(&99u32.to_le_bytes());
    let err = snapshot::from_bytes(&bytes).unwrap_err();
    assert_eq!(err.class, ErrorClass::FormatError);
    assert!(
        err.message
            .contains("written by a newer kgq (format 99; this kgq reads up to 3)"),
        "{}",
        err.message
    );
}
