//! Indexes and constraints outlive the session: in the journal, in
//! checkpoints (snapshots) and in snapshot files; old snapshots still load.

use kgq::store::{OpenOptions, Store};
use kgq::{ErrorClass, Session, snapshot};

const SCHEMA: &str = "CREATE CONSTRAINT company_name FOR (c:Company) REQUIRE c.name IS UNIQUE";
const INDEX: &str = "CREATE TEXT INDEX product_name FOR (p:Product) ON (p.name)";
const DUPLICATE: &str = "CREATE (:Company {name: 'Sinotruk'})";

fn constraint_names(session: &Session) -> Vec<String> {
    session
        .graph()
        .schema()
        .constraints
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn schema_survives_the_journal_and_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store.run(DUPLICATE).unwrap();
    store.run(SCHEMA).unwrap();
    store.run(INDEX).unwrap();
    assert_eq!(store.journal_records(), 3);
    store.close().unwrap();

    // Replayed from the journal.
    let mut store = Store::open(&path, OpenOptions::write()).unwrap();
    assert_eq!(constraint_names(store.session()), ["company_name"]);
    assert_eq!(store.graph().schema().indexes[0].name, "product_name");
    let records = store.journal_records();
    let err = store.run(DUPLICATE).unwrap_err();
    assert_eq!(err.class, ErrorClass::ConstraintVerificationFailed);
    assert!(err.message.contains("company_name"), "{}", err.message);
    // The failed statement left nothing behind, in memory or in the journal.
    assert_eq!(store.journal_records(), records);
    assert_eq!(store.graph().nodes().count(), 1);

    // Folded into the snapshot.
    store.checkpoint().unwrap();
    assert_eq!(store.journal_records(), 0);
    store.close().unwrap();
    let mut store = Store::open(&path, OpenOptions::write()).unwrap();
    assert_eq!(constraint_names(store.session()), ["company_name"]);
    assert!(store.run(DUPLICATE).is_err());
    store.run("DROP CONSTRAINT company_name").unwrap();
    store.run(DUPLICATE).unwrap();
    store.close().unwrap();
    let store = Store::open(&path, OpenOptions::read_only()).unwrap();
    assert!(constraint_names(store.session()).is_empty());
    let count = store.graph().nodes().count();
    assert_eq!(count, 2);
}

#[test]
fn snapshots_carry_the_schema_and_old_ones_still_load() {
    let mut session = Session::new();
    session.run(DUPLICATE).unwrap();
    let plain = snapshot::to_bytes(session.graph()).unwrap();
    assert_eq!(snapshot::inspect_bytes(&plain).unwrap().flags, 0);
    session.run(SCHEMA).unwrap();
    session.run(INDEX).unwrap();
    let bytes = snapshot::to_bytes(session.graph()).unwrap();
    assert_eq!(snapshot::inspect_bytes(&bytes).unwrap().flags, 1);
    let graph = snapshot::from_bytes(&bytes).unwrap();
    assert_eq!(graph.schema(), session.graph().schema());
    let mut loaded = Session::with_graph(graph);
    assert!(loaded.run(DUPLICATE).is_err());

    let old = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/v1-sample.kgqs");
    let graph = snapshot::load(old).unwrap();
    assert!(graph.schema().is_empty());
    assert!(graph.node_count() > 0);
}
