//! Full-text indexes beyond one session: definitions survive snapshots
//! and journal replay (postings are rebuilt on load), a rolled-back
//! explicit transaction leaves no trace, old snapshots still load, and
//! EXPLAIN shows the procedure call.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use kgq::store::{OpenOptions, Store, journal_path};
use kgq::{Session, Value};

mod common;

const SETUP: &[&str] = &[
    "CREATE (:Company {name: 'Shaanxi Heavy Truck', about: 'Sinotruk rival, heavy trucks'}), \
     (:Company {name: 'Sinotruk', about: 'China National Heavy Duty Truck Group'}), \
     (:Agency {name: 'Rosstandart', about: 'Russian standards agency'})",
    "MATCH (a:Agency), (c:Company {name: 'Shaanxi Heavy Truck'}) \
     CREATE (a)-[:CANCELLED {note: 'certification of a heavy truck cancelled'}]->(c)",
    "CREATE FULLTEXT INDEX companies FOR (n:Company|Agency) ON EACH [n.name, n.about]",
    "CREATE FULLTEXT INDEX actions FOR ()-[r:CANCELLED]-() ON EACH [r.note]",
];

const QUERIES: &[&str] = &[
    "CALL db.index.fulltext.queryNodes('companies', 'heavy truck') YIELD node, score \
     RETURN node.name AS name, score",
    "CALL db.index.fulltext.queryNodes('companies', 'sino* OR russian') YIELD node, score \
     RETURN node.name AS name, score",
    "CALL db.index.fulltext.queryRelationships('actions', 'certification') \
     YIELD relationship, score RETURN relationship.note AS note, score",
];

fn answers(run: &mut dyn FnMut(&str) -> Vec<Vec<Value>>) -> Vec<Vec<Vec<Value>>> {
    QUERIES.iter().map(|q| run(q)).collect()
}

fn session_answers(session: &mut Session) -> Vec<Vec<Vec<Value>>> {
    answers(&mut |q| session.run(q).unwrap().rows)
}

fn store_answers(store: &mut Store) -> Vec<Vec<Vec<Value>>> {
    answers(&mut |q| store.run(q).unwrap().rows)
}

#[test]
fn a_snapshot_keeps_the_definitions_and_gives_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut session = Session::new();
    for s in SETUP {
        session.run(s).unwrap();
    }
    let before = session_answers(&mut session);
    assert_eq!(before[0].len(), 2, "{before:?}");
    assert_eq!(before[2].len(), 1, "{before:?}");
    kgq::snapshot::save(session.graph(), &path).unwrap();
    let mut loaded = Session::with_graph(kgq::snapshot::load(&path).unwrap());
    assert_eq!(session_answers(&mut loaded), before);
    assert_eq!(loaded.graph().schema().fulltext.len(), 2);
    // The loaded index is kept current like any other.
    loaded
        .run("CREATE (:Company {name: 'KAMAZ', about: 'Russian heavy truck maker'})")
        .unwrap();
    let names = loaded
        .run("CALL db.index.fulltext.queryNodes('companies', 'kamaz') YIELD node RETURN node.name AS n")
        .unwrap()
        .column::<String>("n")
        .unwrap();
    assert_eq!(names, ["KAMAZ"]);
}

#[test]
fn snapshots_without_full_text_indexes_keep_their_old_form() {
    let mut session = Session::new();
    session
        .run("CREATE INDEX FOR (n:Company) ON (n.name)")
        .unwrap();
    let bytes = kgq::snapshot::to_bytes(session.graph()).unwrap();
    // Flags (bytes 12..16): only the schema bit.
    assert_eq!(u32::from_le_bytes(bytes[12..16].try_into().unwrap()), 1);
    session
        .run("CREATE FULLTEXT INDEX f FOR (n:Company) ON EACH [n.about]")
        .unwrap();
    let bytes = kgq::snapshot::to_bytes(session.graph()).unwrap();
    assert_eq!(u32::from_le_bytes(bytes[12..16].try_into().unwrap()), 3);
    let graph = kgq::snapshot::from_bytes(&bytes).unwrap();
    assert_eq!(graph.schema().indexes.len(), 1);
    assert_eq!(graph.schema().fulltext.len(), 1);
    // The committed version-1 fixture still loads.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/v1-sample.kgqs");
    let old = kgq::snapshot::load(fixture).unwrap();
    assert!(old.schema().fulltext.is_empty());
}

#[test]
fn the_journal_replays_definitions_and_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let copy = dir.path().join("copy.kgqs");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    for s in SETUP {
        store.run(s).unwrap();
    }
    store
        .run("MATCH (c:Company {name: 'Sinotruk'}) SET c.about = 'maker of HOWO trucks'")
        .unwrap();
    store.run("DROP INDEX actions").unwrap();
    let expected_first = store_answers_without_actions(&mut store);
    // Snapshot + unfolded journal, as a crash would leave them.
    std::fs::copy(&path, &copy).unwrap();
    std::fs::copy(journal_path(&path), journal_path(&copy)).unwrap();
    let mut replayed = Store::open(&copy, OpenOptions::write()).unwrap();
    assert!(replayed.journal_records() >= 6);
    assert_eq!(store_answers_without_actions(&mut replayed), expected_first);
    assert_eq!(replayed.graph().schema().fulltext.len(), 1);
    let err = replayed
        .run(
            "CALL db.index.fulltext.queryRelationships('actions', 'x') YIELD relationship RETURN 1",
        )
        .unwrap_err();
    assert_eq!(err.code, "IndexNotFound");
    // A checkpoint folds it all into the snapshot.
    replayed.checkpoint().unwrap();
    replayed.close().unwrap();
    let mut reopened = Store::open(&copy, OpenOptions::write()).unwrap();
    assert_eq!(store_answers_without_actions(&mut reopened), expected_first);
}

fn store_answers_without_actions(store: &mut Store) -> Vec<Vec<Vec<Value>>> {
    let howo = store
        .run("CALL db.index.fulltext.queryNodes('companies', 'howo') YIELD node RETURN node.name")
        .unwrap()
        .rows;
    assert_eq!(howo.len(), 1);
    QUERIES[..2]
        .iter()
        .map(|q| store.run(q).unwrap().rows)
        .collect()
}

#[test]
fn a_rolled_back_transaction_leaves_no_trace() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    for s in SETUP {
        store.run(s).unwrap();
    }
    let before = store_answers(&mut store);
    store.begin().unwrap();
    store
        .run("CREATE (:Company {name: 'Ghost Trucks', about: 'heavy truck phantom'})")
        .unwrap();
    store
        .run("MATCH (c:Company {name: 'Sinotruk'}) SET c.about = 'phantom' REMOVE c:Company")
        .unwrap();
    store
        .run("MATCH ()-[r:CANCELLED]->() SET r.note = 'phantom'")
        .unwrap();
    store.run("MATCH (a:Agency) DETACH DELETE a").unwrap();
    let inside = store
        .run("CALL db.index.fulltext.queryNodes('companies', 'phantom') YIELD node RETURN node")
        .unwrap()
        .rows;
    assert_eq!(inside.len(), 1, "the transaction sees its own writes");
    store.rollback().unwrap();
    assert_eq!(store_answers(&mut store), before);
    let after = store
        .run("CALL db.index.fulltext.queryNodes('companies', 'phantom OR ghost') YIELD node RETURN node")
        .unwrap()
        .rows;
    assert!(after.is_empty(), "{after:?}");
}

#[test]
fn explain_and_profile_show_the_procedure_call() {
    let mut session = Session::new();
    for s in SETUP {
        session.run(s).unwrap();
    }
    let plan = session
        .explain("CALL db.index.fulltext.queryNodes('companies', 'truck') YIELD node, score RETURN node.name, score")
        .unwrap();
    assert!(
        plan.contains("ProcedureCall db.index.fulltext.queryNodes"),
        "{plan}"
    );
    let profiled = session
        .run("PROFILE CALL db.index.fulltext.queryNodes('companies', 'truck') YIELD node RETURN node.name AS name")
        .unwrap();
    assert_eq!(profiled.rows.len(), 2);
}

/// The real binary, streaming CSV (the path that once refused schema
/// commands), and a bad query's error with its position.
#[test]
fn the_binary_creates_and_queries_an_index_in_a_csv_script() {
    let script = "CREATE (:Company {name: 'Sinotruk', about: 'heavy trucks'}), \
                  (:Company {name: 'FAW', about: 'light trucks and cars'});\n\
                  CREATE FULLTEXT INDEX about FOR (c:Company) ON EACH [c.about];\n\
                  CALL db.index.fulltext.queryNodes('about', 'heavy OR cars') \
                  YIELD node RETURN node.name AS name;\n\
                  CALL db.index.fulltext.queryNodes('about', 'truck AND') YIELD node RETURN node;\n";
    let mut child = common::kgq()
        .args(["run", "-", "-f", "csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("name\nSinotruk\nFAW\n"), "{stdout}");
    assert!(
        stderr.contains("InvalidFulltextQuery") && stderr.contains("at character 10"),
        "{stderr}"
    );
}
