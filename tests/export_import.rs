//! Export → import round trips for every format with an importer, on the
//! bundled graph and on random graphs; the JSONL and GraphML files are
//! also read by independent readers (serde_json, quick-xml, and
//! networkx when Python has it); and the CLI's errors and exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use assert_cmd::cargo::CommandCargoExt;
use chrono::{NaiveDate, NaiveTime};
use kgq::export::{Subgraph, cypher, graphml, jsonl, neo4j};
use kgq::value::DateTime;
use kgq::value::temporal::{Duration, Time, Zone};
use kgq::{Graph, Value};
use proptest::prelude::*;

// ----- comparing graphs -----

fn node_key(g: &Graph, n: kgq::NodeId) -> String {
    let mut labels = g.node_labels(n);
    labels.sort_unstable();
    format!("{labels:?} {:?}", g.node_properties(n))
}

/// Nodes by labels and properties, relationships by (start, type, end,
/// properties), both as sorted lists: equal for graphs equal up to ids.
fn canonical(g: &Graph) -> (Vec<String>, Vec<String>) {
    let mut nodes: Vec<String> = g.nodes().map(|n| node_key(g, n)).collect();
    nodes.sort();
    let mut rels: Vec<String> = g
        .relationships()
        .map(|r| {
            let (a, b) = g.endpoints(r).unwrap();
            format!(
                "{} -[{} {:?}]-> {}",
                node_key(g, a),
                g.relationship_type(r).unwrap(),
                g.relationship_properties(r),
                node_key(g, b)
            )
        })
        .collect();
    rels.sort();
    (nodes, rels)
}

fn assert_same(expected: &Graph, got: &Graph, format: &str) {
    let (en, er) = canonical(expected);
    let (gn, gr) = canonical(got);
    assert_eq!(en.len(), gn.len(), "{format}: node count");
    for (e, g) in en.iter().zip(&gn) {
        assert_eq!(e, g, "{format}: nodes differ");
    }
    assert_eq!(er.len(), gr.len(), "{format}: relationship count");
    for (e, g) in er.iter().zip(&gr) {
        assert_eq!(e, g, "{format}: relationships differ");
    }
}

// ----- the round trips -----

fn via_jsonl(g: &Graph, dir: &Path) -> Graph {
    let path = dir.join("g.jsonl");
    let mut out = Vec::new();
    jsonl::write(g, &Subgraph::whole(g), &mut out).unwrap();
    std::fs::write(&path, &out).unwrap();
    check_jsonl_independently(&out, g);
    kgq::import::jsonl::load_files(&[path]).unwrap().0
}

fn via_graphml(g: &Graph, dir: &Path) -> Graph {
    let path = dir.join("g.graphml");
    let mut out = Vec::new();
    graphml::write(g, &Subgraph::whole(g), &mut out).unwrap();
    std::fs::write(&path, &out).unwrap();
    check_graphml_independently(&String::from_utf8(out).unwrap(), g);
    kgq::import::graphml::load_files(&[path]).unwrap().0
}

fn via_cypher(g: &Graph, dir: &Path, batch: usize) -> Graph {
    let path = dir.join("g.cypher");
    let mut out = Vec::new();
    cypher::write(g, &Subgraph::whole(g), cypher::Options { batch }, &mut out).unwrap();
    std::fs::write(&path, &out).unwrap();
    let got = kgq::import::cypher::load_files(&[path])
        .unwrap_or_else(|e| panic!("{e:?}\n{}", String::from_utf8_lossy(&out)))
        .0;
    assert!(
        got.label_id(cypher::EXPORT_LABEL)
            .is_none_or(|l| got.label_count(l) == 0)
    );
    got
}

fn via_neo4j_csv(g: &Graph, dir: &Path) -> Graph {
    let folder = dir.join("neo4j");
    if g.node_count() == 0 {
        // An empty folder is not an import (the CSV importer says so).
        return Graph::new();
    }
    let done = neo4j::write_dir(g, &Subgraph::whole(g), &folder).unwrap();
    assert!(done.command.starts_with("neo4j-admin database import full"));
    kgq::import::csv::load_dir(&folder, &mut |_| {}).unwrap().0
}

fn via_parquet(g: &Graph, dir: &Path) -> Graph {
    let folder = dir.join("parquet");
    let done = kgq::export::parquet::write_dir(g, &Subgraph::whole(g), &folder).unwrap();
    assert!(done.command.contains("--input-type=parquet"));
    kgq::import::parquet::load_dir(&folder).unwrap().0
}

/// What the neo4j CSV layout cannot tell apart from a missing value:
/// empty strings and empty lists.
fn without_csv_blanks(g: &Graph) -> Graph {
    let mut out = g.clone();
    let blank = |v: &Value| matches!(v, Value::List(l) if l.is_empty()) || v.as_str() == Some("");
    for n in g.nodes() {
        for (k, v) in g.node_properties(n) {
            if blank(&v) {
                let key = out.key_id(k).unwrap();
                out.set_node_property(n, key, Value::Null);
            }
        }
    }
    for r in g.relationships() {
        for (k, v) in g.relationship_properties(r) {
            if blank(&v) {
                let key = out.key_id(k).unwrap();
                out.set_relationship_property(r, key, Value::Null);
            }
        }
    }
    out
}

#[test]
fn the_bundled_graph_survives_every_format() {
    let g = kgq::bundled::graph().unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert_same(&g, &via_jsonl(&g, dir.path()), "jsonl");
    assert_same(&g, &via_graphml(&g, dir.path()), "graphml");
    assert_same(&g, &via_cypher(&g, dir.path(), 500), "cypher");
    assert_same(&g, &via_cypher(&g, dir.path(), 7), "cypher (batched)");
    assert_same(&g, &via_parquet(&g, dir.path()), "parquet");
    assert_same(
        &without_csv_blanks(&g),
        &via_neo4j_csv(&g, dir.path()),
        "neo4j csv",
    );
}

#[test]
fn every_value_type_survives_every_format() {
    let g = kgq::Session::new();
    let mut s = g;
    s.run(
        "CREATE (:A:B {i: -9223372036854775807 - 1, f: 1.0, nan: 0.0/0.0, inf: 1.0/0.0, ninf: -1.0/0.0, \
         big: 1e300, s: 'it\\'s \"q\"\\n\\t\\\\ ✓ 😀 <&>', t: true, \
         d: date('2025-02-10'), ldt: localdatetime('2025-02-10T12:30:01.123456789'), \
         dt: datetime('2025-03-30T02:30+01:00[Europe/Stockholm]'), dto: datetime('2025-01-01T10:00-03:30'), \
         lt: localtime('23:59:59.5'), tm: time('10:00+05:45'), du: duration('P1Y-2M3DT-4H-5.5S'), \
         e: [], li: [1, 2], lf: [1.5, 0.0/0.0], ld: [date('2024-01-31')], ls: ['a', 'b c'], lb: [true, false]})\
         -[:`odd type` {`odd key`: duration('PT0S'), when: [datetime('2025-01-01T00:00Z')]}]->(:C)",
    )
    .unwrap();
    let g = s.into_graph();
    let dir = tempfile::tempdir().unwrap();
    assert_same(&g, &via_jsonl(&g, dir.path()), "jsonl");
    assert_same(&g, &via_graphml(&g, dir.path()), "graphml");
    assert_same(&g, &via_cypher(&g, dir.path(), 500), "cypher");
    assert_same(&g, &via_cypher(&g, dir.path(), 1), "cypher (batched)");
    assert_same(&g, &via_parquet(&g, dir.path()), "parquet");
    assert_same(
        &without_csv_blanks(&g),
        &via_neo4j_csv(&g, dir.path()),
        "neo4j csv",
    );
}

// ----- random graphs -----

/// A property value; `csv` keeps to what the CSV layout can hold (no
/// empty strings or lists, no `;` in list elements).
fn value(csv: bool) -> BoxedStrategy<Value> {
    let text = if csv {
        "[a-zA-Z0-9 '\"\\\\\n<>&:é✓😀]{1,8}"
    } else {
        "[a-zA-Z0-9 '\"\\\\\n\t\r<>&;:é✓😀]{0,8}"
    };
    let scalar = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0)
        ]
        .prop_map(Value::Float),
        text.prop_map(|s: String| Value::String(Arc::from(s.as_str()))),
        (1000i32..9999, 1u32..366)
            .prop_map(|(y, d)| Value::Date(NaiveDate::from_yo_opt(y, d).unwrap_or(NaiveDate::MIN))),
        (1000i32..9999, 1u32..366, 0u32..86400, 0u32..1_000_000_000)
            .prop_map(|(y, d, s, n)| { Value::LocalDateTime(datetime(y, d, s, n)) }),
        (
            1970i32..2100,
            1u32..366,
            0u32..86400,
            0u32..1000,
            prop_oneof![
                (-1080i32..1080).prop_map(|m| Zone::offset(m * 60).unwrap_or(Zone::UTC)),
                prop::sample::select(vec![
                    "Europe/Stockholm",
                    "America/New_York",
                    "Asia/Kathmandu"
                ])
                .prop_map(|z| Zone::named(z).unwrap_or(Zone::UTC)),
            ]
        )
            .prop_map(|(y, d, s, n, z)| {
                DateTime::at_local(datetime(y, d, s, n * 1_000_000), &z, None)
                    .map_or(Value::Null, Value::DateTime)
            }),
        (0u32..86400, 0u32..1_000_000_000).prop_map(|(s, n)| Value::LocalTime(time(s, n))),
        (0u32..86400, -1080i32..1080).prop_map(|(s, m)| Value::Time(Time {
            time: time(s, 0),
            offset: m * 60
        })),
        (
            -10_000i64..10_000,
            -10_000i64..10_000,
            -1_000_000i64..1_000_000,
            0i32..1_000_000_000
        )
            .prop_map(|(months, days, seconds, nanos)| Value::Duration(Duration {
                months,
                days,
                seconds,
                nanos
            })),
    ]
    .boxed();
    let list_text = if csv {
        "[a-z✓ ]{1,5}"
    } else {
        "[a-z✓;' ]{0,5}"
    };
    let min = usize::from(csv);
    prop_oneof![
        6 => scalar,
        1 => prop::collection::vec(any::<i64>().prop_map(Value::Int), min..4).prop_map(|v| Value::List(v.into())),
        1 => prop::collection::vec(list_text.prop_map(|s: String| Value::from(s)), min..4).prop_map(|v| Value::List(v.into())),
        1 => prop::collection::vec((1000i32..9999, 1u32..366).prop_map(|(y, d)| Value::Date(
            NaiveDate::from_yo_opt(y, d).unwrap_or(NaiveDate::MIN))), min..3).prop_map(|v| Value::List(v.into())),
    ]
    .boxed()
}

fn datetime(y: i32, d: u32, s: u32, n: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_yo_opt(y, d)
        .unwrap_or(NaiveDate::MIN)
        .and_time(time(s, n))
}

fn time(s: u32, n: u32) -> NaiveTime {
    NaiveTime::from_num_seconds_from_midnight_opt(s, n).unwrap_or(NaiveTime::MIN)
}

const LABELS: &[&str] = &["Person", "Company", "Ünïcode", "With Space"];
const TYPES: &[&str] = &["KNOWS", "MAKES", "odd-type"];
const KEYS: &[&str] = &["name", "x", "y z", "_k", "ñ"];

type Props = Vec<(usize, Value)>;

#[derive(Debug, Clone)]
struct Spec {
    nodes: Vec<(Vec<usize>, Props)>,
    rels: Vec<(usize, usize, usize, Props)>,
}

fn spec(csv: bool) -> impl Strategy<Value = Spec> {
    let props = prop::collection::vec((0..KEYS.len(), value(csv)), 0..4);
    let nodes = prop::collection::vec(
        (prop::collection::vec(0..LABELS.len(), 0..3), props.clone()),
        0..12,
    );
    let rels = prop::collection::vec(
        (any::<usize>(), any::<usize>(), 0..TYPES.len(), props),
        0..16,
    );
    (nodes, rels).prop_map(|(nodes, rels)| Spec { nodes, rels })
}

fn build(spec: &Spec, csv: bool) -> Graph {
    let mut g = Graph::new();
    // In CSV, one key keeps one type per file: make the key decide the type.
    let mut first_type: std::collections::HashMap<usize, String> = Default::default();
    let mut keep = |k: usize, v: &Value| -> bool {
        if !csv {
            return true;
        }
        let ty = neo4j::column_type(v).unwrap_or_default();
        first_type.entry(k).or_insert_with(|| ty.clone()) == &ty
    };
    let mut props = |p: &Props| -> Vec<(String, Value)> {
        p.iter()
            .filter(|(k, v)| keep(*k, v))
            .map(|(k, v)| (KEYS[*k].to_string(), v.clone()))
            .collect()
    };
    let mut ids = Vec::new();
    for (labels, p) in &spec.nodes {
        let labels: Vec<&str> = labels.iter().map(|l| LABELS[*l]).collect();
        ids.push(g.add_node_with(&labels, props(p)));
    }
    if !ids.is_empty() {
        for (a, b, t, p) in &spec.rels {
            let (a, b) = (ids[a % ids.len()], ids[b % ids.len()]);
            g.add_relationship_with(a, b, TYPES[*t], props(p)).unwrap();
        }
    }
    g
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn random_graphs_survive_jsonl_graphml_and_cypher(spec in spec(false)) {
        let g = build(&spec, false);
        let dir = tempfile::tempdir().unwrap();
        assert_same(&g, &via_jsonl(&g, dir.path()), "jsonl");
        assert_same(&g, &via_graphml(&g, dir.path()), "graphml");
        assert_same(&g, &via_cypher(&g, dir.path(), 500), "cypher");
        assert_same(&g, &via_cypher(&g, dir.path(), 3), "cypher (batched)");
        assert_same(&g, &via_parquet(&g, dir.path()), "parquet");
    }

    #[test]
    fn random_graphs_survive_neo4j_csv(spec in spec(true)) {
        let g = build(&spec, true);
        let dir = tempfile::tempdir().unwrap();
        assert_same(&g, &via_neo4j_csv(&g, dir.path()), "neo4j csv");
    }
}

// ----- independent readers -----

/// Reads the JSONL with serde_json alone: every line an object of the
/// documented shape, every tagged value a known tag.
fn check_jsonl_independently(bytes: &[u8], g: &Graph) {
    fn check_value(v: &serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                let tag = m["$type"].as_str().unwrap();
                assert!(
                    kgq::value::tagged::TAGS.contains(&tag) || tag == "float",
                    "{tag}"
                );
                assert!(m["value"].is_string());
            }
            serde_json::Value::Array(items) => items.iter().for_each(check_value),
            _ => {}
        }
    }
    let text = std::str::from_utf8(bytes).unwrap();
    let (mut nodes, mut rels) = (0, 0);
    for line in text.lines() {
        let obj: serde_json::Value = serde_json::from_str(line).unwrap();
        match obj["type"].as_str().unwrap() {
            "node" => {
                nodes += 1;
                assert!(obj["labels"].is_array());
            }
            "relationship" => {
                rels += 1;
                assert!(obj["label"].is_string() && obj["start"].is_u64() && obj["end"].is_u64());
            }
            other => panic!("unexpected type {other}"),
        }
        obj["properties"]
            .as_object()
            .unwrap()
            .values()
            .for_each(check_value);
    }
    assert_eq!((nodes, rels), (g.node_count(), g.relationship_count()));
}

/// Reads the GraphML with quick-xml alone: keys have standard
/// `attr.type`s, every `<data>` names a declared key of its element's
/// kind, and typed values parse.
fn check_graphml_independently(text: &str, g: &Graph) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut keys: std::collections::HashMap<String, (String, String)> = Default::default();
    let (mut nodes, mut edges) = (0, 0);
    let mut element = String::new();
    let mut current: Option<(String, String)> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8(e.local_name().as_ref().to_vec()).unwrap();
                let attr = |k: &str| {
                    e.try_get_attribute(k)
                        .unwrap()
                        .map(|a| String::from_utf8(a.value.to_vec()).unwrap())
                };
                match name.as_str() {
                    "key" => {
                        let ty = attr("attr.type").unwrap();
                        assert!(
                            ["boolean", "int", "long", "float", "double", "string"]
                                .contains(&ty.as_str())
                        );
                        keys.insert(attr("id").unwrap(), (attr("for").unwrap(), ty));
                    }
                    "node" => {
                        nodes += 1;
                        element = "node".into();
                    }
                    "edge" => {
                        edges += 1;
                        element = "edge".into();
                    }
                    "data" => {
                        let (domain, ty) = keys[&attr("key").unwrap()].clone();
                        assert_eq!(domain, element);
                        current = Some((ty, String::new()));
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, buf)) = &mut current {
                    buf.push_str(&t.xml10_content().unwrap());
                }
            }
            Event::GeneralRef(_) => {
                if let Some((_, buf)) = &mut current {
                    buf.push('?');
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"data" => {
                let (ty, text) = current.take().unwrap();
                match ty.as_str() {
                    "long" => assert!(text.parse::<i64>().is_ok(), "{text}"),
                    "double" => assert!(
                        text.parse::<f64>().is_ok()
                            || ["NaN", "Infinity", "-Infinity"].contains(&text.as_str()),
                        "{text}"
                    ),
                    "boolean" => assert!(text == "true" || text == "false"),
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((nodes, edges), (g.node_count(), g.relationship_count()));
}

#[test]
fn networkx_reads_the_graphml_export() {
    let has_networkx = Command::new("python3")
        .args(["-c", "import networkx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_networkx {
        eprintln!("skipped: python3 with networkx is not installed");
        return;
    }
    let g = kgq::bundled::graph().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.graphml");
    let mut out = Vec::new();
    graphml::write(&g, &Subgraph::whole(&g), &mut out).unwrap();
    std::fs::write(&path, &out).unwrap();
    let script = "import sys, networkx as nx\n\
        g = nx.read_graphml(sys.argv[1], force_multigraph=True)\n\
        years = sorted(d['year'] for _, _, d in g.edges(data=True) if d.get('label') == 'EXPORTED_TO' and 'vehicles' in d)\n\
        assert all(isinstance(y, int) for y in years), years\n\
        names = [d['name'] for _, d in g.nodes(data=True) if d.get('labels') == ':Country']\n\
        print(g.number_of_nodes(), g.number_of_edges(), 'Russia' in names)\n";
    let run = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let printed = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        printed.trim(),
        format!("{} {} True", g.node_count(), g.relationship_count())
    );
}

// ----- subgraphs -----

#[test]
fn a_query_selects_a_subgraph() {
    let mut s = kgq::Session::with_graph(kgq::bundled::graph().unwrap());
    let r = s
        .run(
            "MATCH p = (:Agency {name: 'Rosstandart'})-[:CANCELLED_CERTIFICATION_OF]->(x) RETURN p",
        )
        .unwrap();
    let sub = Subgraph::from_rows(s.graph(), r.rows.iter().map(Vec::as_slice));
    assert_eq!((sub.nodes.len(), sub.relationships.len()), (2, 1));
    let mut out = Vec::new();
    jsonl::write(s.graph(), &sub, &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 3);
}

// ----- the command line -----

fn kgq_cmd(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("kgq")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn cli_exports_and_imports_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["cypher", "jsonl", "graphml"] {
        let file = dir.path().join(format!("g.{format}"));
        let (code, _, err) = kgq_cmd(&["export", format, "-o", p(&file)]);
        assert_eq!(code, 0, "{err}");
        let snap = dir.path().join(format!("{format}.kgs"));
        let (code, _, err) = kgq_cmd(&["import", format, p(&file), "--out", p(&snap)]);
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = kgq_cmd(&[
            "query",
            "-g",
            p(&snap),
            "--read-only",
            "-f",
            "csv",
            "MATCH (n) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r",
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.lines().nth(1), Some("50,104"), "{format}: {out}");
    }
    let folder = dir.path().join("neo");
    let (code, _, err) = kgq_cmd(&["export", "neo4j", "-o", p(&folder)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("neo4j-admin database import full"), "{err}");
    assert!(folder.join("import.sh").exists() && folder.join("nodes_Country.csv").exists());
    let (code, _, err) = kgq_cmd(&[
        "import",
        "csv",
        p(&folder),
        "--out",
        p(&dir.path().join("csv.kgs")),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = kgq_cmd(&[
        "export",
        "dot",
        "--query",
        "MATCH (p:Product)<-[r:MAKES]-(c) RETURN r",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("digraph kgq {") && out.contains("[label=\"MAKES\"]"),
        "{out}"
    );
    let (code, out, _) = kgq_cmd(&["export", "mermaid"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("graph LR"), "{out}");
}

#[test]
fn cli_exports_and_imports_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("pq");
    let (code, _, err) = kgq_cmd(&["export", "parquet", "-o", p(&folder)]);
    assert_eq!(code, 0, "{err}");
    assert!(folder.join("manifest.json").exists() && folder.join("nodes_Country.parquet").exists());
    let snap = dir.path().join("pq.kgs");
    let (code, _, err) = kgq_cmd(&["import", "parquet", p(&folder), "--out", p(&snap)]);
    assert_eq!(code, 0, "{err}");
    let count = "MATCH (n) WITH count(n) AS n MATCH ()-[r]->() RETURN n, count(r) AS r";
    let (code, out, err) = kgq_cmd(&["query", "-g", p(&snap), "--read-only", "-f", "csv", count]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().nth(1), Some("50,104"), "{out}");
    // A query's subgraph only.
    let sub = dir.path().join("sub");
    let q = "MATCH (p:Product)<-[r:MAKES]-(c) RETURN r";
    let (code, _, err) = kgq_cmd(&["export", "parquet", "-o", p(&sub), "--query", q]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<String> = std::fs::read_dir(&sub)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".parquet"))
        .collect();
    assert!(
        names.contains(&"rels_MAKES.parquet".to_string()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"rels_EXPORTED_TO.parquet".to_string()),
        "{names:?}"
    );
    // A folder that is not an export: an error, and no snapshot.
    let bad = dir.path().join("bad.kgs");
    let (code, _, err) = kgq_cmd(&["import", "parquet", p(dir.path()), "--out", p(&bad)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("NoParquetFiles"), "{err}");
    assert!(!bad.exists());
}

#[test]
fn cli_usage_errors() {
    let (code, _, err) = kgq_cmd(&["export", "neo4j"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = kgq_cmd(&["export", "parquet"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = kgq_cmd(&["export", "widget"]);
    assert_eq!(code, 2);
    let (code, _, err) = kgq_cmd(&["export", "jsonl", "--query", "MATCH (n RETURN n"]);
    assert_eq!(code, 1, "{err}");
}

fn failing_import(format: &str, name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file: PathBuf = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out.kgs");
    let (code, _, err) = kgq_cmd(&["import", format, p(&file), "--out", p(&out)]);
    assert_eq!(code, 1, "{err}");
    assert!(!out.exists(), "nothing is written when an import fails");
    err
}

#[test]
fn bad_input_is_reported_with_file_and_line() {
    let err = failing_import(
        "jsonl",
        "bad.jsonl",
        "{\"type\":\"node\",\"id\":0,\"labels\":[]}\n{\"type\": \"node\", oops}\n",
    );
    assert!(err.contains("bad.jsonl:2: not valid JSON"), "{err}");
    let err = failing_import(
        "jsonl",
        "dangling.jsonl",
        "{\"type\":\"relationship\",\"label\":\"T\",\"start\":0,\"end\":1}\n",
    );
    assert!(err.contains("dangling.jsonl:1: no node has id 0"), "{err}");
    let err = failing_import(
        "jsonl",
        "typed.jsonl",
        "\n{\"type\":\"node\",\"properties\":{\"d\":{\"$type\":\"date\",\"value\":\"2025-02-30\"}}}\n",
    );
    assert!(
        err.contains("typed.jsonl:2: property `d`: `2025-02-30` is not a valid date"),
        "{err}"
    );
    let err = failing_import(
        "graphml",
        "bad.graphml",
        "<graphml>\n<key id=\"k\" for=\"node\" attr.name=\"x\" attr.type=\"long\"/>\n<graph>\n<node id=\"a\"><data key=\"k\">1.5</data></node>\n</graph></graphml>\n",
    );
    assert!(
        err.contains("bad.graphml:4: `1.5` is not a valid integer"),
        "{err}"
    );
    let err = failing_import("graphml", "broken.graphml", "<graphml>\n<graph>\n</node>\n");
    assert!(
        err.contains("broken.graphml:3: not well-formed XML"),
        "{err}"
    );
    let err = failing_import(
        "cypher",
        "bad.cypher",
        "CREATE (:A);\n\nMATCH (a:A)\nCREATE (a)-[:T]->(b:B {x: 1 / 0});\n",
    );
    assert!(err.contains("bad.cypher:3: 1:"), "{err}");
    assert!(err.contains("ArithmeticError"), "{err}");
}
