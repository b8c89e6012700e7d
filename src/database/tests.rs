//! The shared handle under real threads.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::*;
use crate::ErrorClass;

fn opts() -> RunOptions {
    RunOptions::default()
}

fn count(db: &Database) -> i64 {
    let r = db.run("MATCH (n) RETURN count(n) AS c", &opts()).unwrap();
    r.rows[0][0].as_int().unwrap()
}

#[test]
fn reads_run_in_parallel() {
    let db = Database::in_memory(Graph::new());
    db.run("CREATE (:A)", &opts()).unwrap();
    let (a_in, a_rx) = mpsc::channel();
    let (b_in, b_rx) = mpsc::channel();
    let db2 = db.clone();
    let t = thread::spawn(move || {
        db2.read(|_| {
            a_in.send(()).unwrap();
            // Only possible if the other read runs while this one holds the graph.
            b_rx.recv_timeout(Duration::from_secs(30)).is_ok()
        })
        .unwrap()
    });
    a_rx.recv().unwrap();
    let inside = db
        .run_map("MATCH (n:A) RETURN n", &opts(), |_, r| {
            b_in.send(()).unwrap();
            r.rows.len()
        })
        .unwrap();
    assert_eq!(inside, 1);
    assert!(
        t.join().unwrap(),
        "the second read ran while the first held the graph"
    );
}

#[test]
fn concurrent_writers_take_turns_and_lose_nothing() {
    let db = Database::in_memory(Graph::new());
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let db = db.clone();
            thread::spawn(move || {
                for j in 0..50 {
                    let mut o = opts();
                    o.params.insert("i".into(), Value::Int(i * 1000 + j));
                    db.run("CREATE (:W {i: $i})", &o).unwrap();
                    // Mixed with reads.
                    db.run("MATCH (w:W) RETURN count(w)", &opts()).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(count(&db), 400);
    let r = db
        .run("MATCH (w:W) RETURN count(DISTINCT w.i) AS c", &opts())
        .unwrap();
    assert_eq!(r.rows[0][0], Value::Int(400));
}

#[test]
fn transaction_sees_its_writes_others_do_not_and_rollback_undoes_all() {
    let db = Database::in_memory(Graph::new());
    db.set_lock_timeout(Duration::from_millis(50));
    let mut tx = db.begin(AccessMode::Write);
    tx.run("CREATE (:T {x: 1})", &opts()).unwrap();
    tx.run("CREATE (:T {x: 2})", &opts()).unwrap();
    let r = tx.run("MATCH (t:T) RETURN count(t) AS c", &opts()).unwrap();
    assert_eq!(r.rows[0][0], Value::Int(2));
    // Another thread cannot read the uncommitted state: it waits, then
    // gives up with a transient error.
    let db2 = db.clone();
    let err = thread::spawn(move || db2.run("MATCH (t:T) RETURN t", &opts()).unwrap_err())
        .join()
        .unwrap();
    assert_eq!(err.class, ErrorClass::TransientError);
    // Another writer waits for its turn, then gives up.
    let db3 = db.clone();
    let err = thread::spawn(move || db3.run("CREATE (:Other)", &opts()).unwrap_err())
        .join()
        .unwrap();
    assert_eq!(
        (err.class, err.code),
        (ErrorClass::TransientError, "LockTimeout")
    );
    tx.rollback().unwrap();
    assert_eq!(count(&db), 0);
}

#[test]
fn commit_publishes_and_a_waiting_reader_sees_the_committed_state() {
    let db = Database::in_memory(Graph::new());
    let mut tx = db.begin(AccessMode::Write);
    tx.run("CREATE (:T)", &opts()).unwrap();
    let db2 = db.clone();
    let (started, started_rx) = mpsc::channel();
    let reader = thread::spawn(move || {
        started.send(()).unwrap();
        count(&db2)
    });
    started_rx.recv().unwrap();
    tx.run("CREATE (:T)", &opts()).unwrap();
    let stats = tx.commit().unwrap();
    assert_eq!(stats.nodes_created, 2);
    // The reader either waited for the commit or ran... never between.
    assert_eq!(reader.join().unwrap(), 2);
}

#[test]
fn dropped_transaction_rolls_back_and_frees_the_turn() {
    let db = Database::in_memory(Graph::new());
    db.set_lock_timeout(Duration::from_millis(200));
    {
        let mut tx = db.begin(AccessMode::Write);
        tx.run("CREATE (:T)", &opts()).unwrap();
    }
    db.run("CREATE (:U)", &opts()).unwrap();
    assert_eq!(count(&db), 1);
}

#[test]
fn read_transactions_and_read_only_databases_refuse_writes() {
    let db = Database::in_memory(Graph::new());
    let mut tx = db.begin(AccessMode::Read);
    let err = tx.run("CREATE (:T)", &opts()).unwrap_err();
    assert_eq!(err.code, "WriteInReadTransaction");
    tx.run("MATCH (n) RETURN n", &opts()).unwrap();
    tx.commit().unwrap();
    db.set_read_only(true);
    assert_eq!(
        db.run("CREATE (:T)", &opts()).unwrap_err().code,
        "ReadOnlyStore"
    );
    assert_eq!(count(&db), 0);
}

#[test]
fn store_transaction_is_journaled_as_one_record_at_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let db = Database::open_store(&path, OpenOptions::create()).unwrap();
    db.run("CREATE (:A)", &opts()).unwrap();
    let journal = crate::store::journal_path(&path);
    let records = |p: &Path| crate::store::journal::read(p).unwrap().unwrap().records;
    assert_eq!(records(&journal).len(), 1);
    let mut tx = db.begin(AccessMode::Write);
    tx.run("CREATE (:B)", &opts()).unwrap();
    tx.run("CREATE (:C)", &opts()).unwrap();
    assert_eq!(
        records(&journal).len(),
        1,
        "nothing journaled before commit"
    );
    tx.commit().unwrap();
    let after = records(&journal);
    assert_eq!(after.len(), 2);
    assert_eq!(after[1].len(), 2, "both statements in one record");
    let mut tx = db.begin(AccessMode::Write);
    tx.run("CREATE (:D)", &opts()).unwrap();
    tx.rollback().unwrap();
    assert_eq!(records(&journal).len(), 2);
    // Reopen from the journal alone (no checkpoint: the process "died").
    let copy = dir.path().join("copy.kgqs");
    std::fs::copy(&path, &copy).unwrap();
    std::fs::copy(&journal, crate::store::journal_path(&copy)).unwrap();
    let reopened = Database::open_store(&copy, OpenOptions::read_only()).unwrap();
    assert_eq!(count(&reopened), 3);
    db.close().unwrap();
}

#[test]
fn options_params_as_of_provenance_cancel_and_stats() {
    let db = Database::in_memory(Graph::new());
    let mut o = opts();
    o.params.insert("n".into(), Value::from("x"));
    let r = db.run("CREATE (a:A {name: $n})-[:R {valid_from: date('2020-01-01')}]->(:B) RETURN a.name AS n", &o).unwrap();
    assert_eq!(r.rows[0][0], Value::from("x"));
    assert_eq!(r.stats.nodes_created, 2);
    assert_eq!(r.stats.relationships_created, 1);
    let mut o = opts();
    o.as_of = Some(Value::Date(
        chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
    ));
    let r = db.run("MATCH (:A)-[r:R]->() RETURN r", &o).unwrap();
    assert!(r.rows.is_empty(), "not valid yet in 2019");
    let mut o = opts();
    o.provenance = true;
    let r = db.run("MATCH (:A)-[r:R]->() RETURN 1 AS one", &o).unwrap();
    assert_eq!(r.why.unwrap()[0].len(), 1);
    let cancel = CancelHandle::default();
    cancel.cancel();
    let mut o = opts();
    o.cancel = Some(cancel);
    let err = db
        .run(
            "MATCH (a), (b), (c), (d), (e) UNWIND range(1, 1000) AS x RETURN count(x)",
            &o,
        )
        .unwrap_err();
    assert_eq!(err.code, "Cancelled");
}

#[test]
fn open_like_the_cli() {
    let db = Database::open(None, true).unwrap();
    assert!(count(&db) > 0, "the bundled graph");
    assert!(db.run("CREATE (:X)", &opts()).is_err());
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("g.kgq");
    std::fs::write(&script, "CREATE (:A); CREATE (:B);").unwrap();
    let db = Database::open(Some(&script), false).unwrap();
    assert_eq!(count(&db), 2);
    assert!(db.store_path().is_none());
}
