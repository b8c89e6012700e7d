//! The durable store: journaling, replay, checkpoints, locking, and a
//! crash test that SIGKILLs a writing child process.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kgq::store::{OpenOptions, Store, journal_path, lock_path};
use kgq::{ErrorClass, Value};

fn copy_store(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    let j = journal_path(from);
    if j.exists() {
        std::fs::copy(j, journal_path(to)).unwrap();
    }
}

fn names(store: &mut Store) -> Vec<String> {
    store
        .run("MATCH (c:Country) RETURN c.name AS name ORDER BY name")
        .unwrap()
        .column::<String>("name")
        .unwrap()
}

#[test]
fn writes_survive_close_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store
        .run("CREATE (:Country {name: 'Russia'}), (:Country {name: 'China'})")
        .unwrap();
    store
        .run("MATCH (c:Country {name: 'China'}) SET c.trucks = 3")
        .unwrap();
    assert_eq!(store.journal_records(), 2);
    store.close().unwrap();
    assert!(!lock_path(&path).exists(), "close releases the lock");
    let mut store = Store::open(&path, OpenOptions::write()).unwrap();
    assert_eq!(store.generation(), 1);
    assert_eq!(store.journal_records(), 0);
    assert_eq!(names(&mut store), ["China", "Russia"]);
}

#[test]
fn the_journal_is_replayed_with_the_same_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let copy = dir.path().join("copy.kgqs");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store
        .run("UNWIND range(1, 5) AS i CREATE (:Country {name: 'c' + toString(i)})")
        .unwrap();
    store
        .run("MATCH (c:Country) WHERE c.name IN ['c2', 'c4'] DELETE c")
        .unwrap();
    store
        .run("CREATE (:Country {name: 'new'})-[:TRADES {v: 1.5}]->(:Port {at: date('2024-01-02')})")
        .unwrap();
    store
        .run("MATCH (c:Country {name: 'c1'}) SET c:Big REMOVE c:Country SET c.tags = ['a', 'b']")
        .unwrap();
    let ids = |s: &mut Store| {
        s.run("MATCH (n) RETURN id(n) AS id, labels(n) AS l, properties(n) AS p ORDER BY id")
            .unwrap()
            .rows
    };
    let expected = ids(&mut store);
    // Copy the files while the store is open: snapshot + unfolded journal,
    // as a crash would leave them.
    copy_store(&path, &copy);
    let mut replayed = Store::open(&copy, OpenOptions::write()).unwrap();
    assert_eq!(replayed.journal_records(), 4);
    assert_eq!(ids(&mut replayed), expected);
    // Later creations agree too (same free slots).
    let a = store.run("CREATE (n:X) RETURN id(n) AS id").unwrap().rows;
    let b = replayed
        .run("CREATE (n:X) RETURN id(n) AS id")
        .unwrap()
        .rows;
    assert_eq!(a, b);
    // And after a checkpoint on both.
    store.checkpoint().unwrap();
    replayed.checkpoint().unwrap();
    let a = store
        .run("CREATE (n:X) CREATE (m:Y) RETURN id(n), id(m)")
        .unwrap()
        .rows;
    let b = replayed
        .run("CREATE (n:X) CREATE (m:Y) RETURN id(n), id(m)")
        .unwrap()
        .rows;
    assert_eq!(a, b);
}

#[test]
fn failed_and_read_statements_are_not_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store.run("CREATE (:A {x: 1})").unwrap();
    assert!(
        store
            .run("CREATE (:A {x: 2}) WITH 1 AS one RETURN 1 / 0")
            .is_err()
    );
    store.run("MATCH (a:A) RETURN a.x").unwrap();
    assert_eq!(store.journal_records(), 1);
    assert_eq!(store.graph().node_count(), 1);
}

#[test]
fn torn_tails_are_dropped_but_damage_in_the_middle_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store.run("CREATE (:Country {name: 'Russia'})").unwrap();
    store.run("CREATE (:Country {name: 'China'})").unwrap();
    let journal = std::fs::read(journal_path(&path)).unwrap();
    drop(store);

    let copy = dir.path().join("torn.kgqs");
    // An empty generation-0 snapshot, which the journal applies to.
    let base = dir.path().join("base.kgqs");
    Store::open(&base, OpenOptions::create())
        .unwrap()
        .close()
        .unwrap();
    std::fs::remove_file(journal_path(&base)).unwrap();
    // Every cut of the last record: the first statement survives.
    let first_end = {
        let len = u32::from_le_bytes(journal[24..28].try_into().unwrap()) as usize;
        24 + 8 + len
    };
    for cut in first_end..journal.len() {
        std::fs::copy(&base, &copy).unwrap();
        std::fs::write(journal_path(&copy), &journal[..cut]).unwrap();
        let mut s = Store::open(&copy, OpenOptions::write()).unwrap();
        assert_eq!(names(&mut s), ["Russia"], "cut at {cut}");
        assert_eq!(
            std::fs::metadata(journal_path(&copy)).unwrap().len(),
            first_end as u64
        );
        s.close().unwrap();
    }
    // A flipped bit in the first record, with the second intact after it.
    std::fs::copy(&base, &copy).unwrap();
    let mut damaged = journal.clone();
    damaged[40] ^= 0x10;
    std::fs::write(journal_path(&copy), &damaged).unwrap();
    let err = Store::open(&copy, OpenOptions::write()).unwrap_err();
    assert_eq!(err.class, ErrorClass::FormatError, "{err}");
}

#[test]
fn a_journal_already_folded_in_is_not_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store.run("CREATE (:Country {name: 'Russia'})").unwrap();
    let old_journal = std::fs::read(journal_path(&path)).unwrap();
    store.checkpoint().unwrap();
    drop(store);
    // A crash between the snapshot's rename and the journal's reset.
    std::fs::write(journal_path(&path), old_journal).unwrap();
    let mut store = Store::open(&path, OpenOptions::write()).unwrap();
    assert_eq!(names(&mut store), ["Russia"]);
}

#[test]
fn a_second_writer_is_refused_and_readers_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut first = Store::open(&path, OpenOptions::create()).unwrap();
    first.run("CREATE (:Country {name: 'Russia'})").unwrap();
    let err = Store::open(&path, OpenOptions::write()).unwrap_err();
    assert_eq!((err.class, err.code), (ErrorClass::IoError, "StoreLocked"));
    assert!(
        err.message.contains("already open for writing"),
        "{}",
        err.message
    );

    let mut reader = kgq::open(&path).unwrap();
    assert_eq!(names(&mut reader), ["Russia"], "readers see the journal");
    let err = reader.run("CREATE (:Country {name: 'China'})").unwrap_err();
    assert_eq!(err.code, "ReadOnlyStore");
    assert_eq!(reader.graph().node_count(), 1);
    drop(reader);

    first.close().unwrap();
    Store::open(&path, OpenOptions::write())
        .unwrap()
        .close()
        .unwrap();
}

#[test]
fn a_stale_lock_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    Store::open(&path, OpenOptions::create())
        .unwrap()
        .close()
        .unwrap();
    // A pid that is not running.
    let dead = (4_000_000..4_100_000)
        .find(|p| !Path::new(&format!("/proc/{p}")).exists())
        .unwrap();
    std::fs::write(lock_path(&path), format!("{dead}\n")).unwrap();
    Store::open(&path, OpenOptions::write())
        .unwrap()
        .close()
        .unwrap();
}

#[test]
fn opening_bad_paths_gives_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(dir.path(), OpenOptions::create()).unwrap_err();
    assert_eq!(err.code, "IsADirectory");
    let err = Store::open(dir.path().join("missing.kgqs"), OpenOptions::write()).unwrap_err();
    assert_eq!(err.class, ErrorClass::IoError);
    let junk = dir.path().join("junk.kgqs");
    std::fs::write(&junk, b"not a snapshot").unwrap();
    assert_eq!(kgq::open(&junk).unwrap_err().class, ErrorClass::FormatError);
    assert!(!lock_path(&junk).exists());
    assert_eq!(
        Store::open(&junk, OpenOptions::write()).unwrap_err().class,
        ErrorClass::FormatError
    );
    assert!(
        !lock_path(&junk).exists(),
        "a failed open releases the lock"
    );
}

// ----- crash test -----

const CHILD_ENV: &str = "KGQ_CRASH_CHILD_STORE";

/// Not a test by itself: the crash test runs the test binary again with
/// this test selected and `KGQ_CRASH_CHILD_STORE` set.
#[test]
fn child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    let start: i64 = store
        .run("MATCH (i:Item) RETURN coalesce(max(i.n), 0) AS m")
        .unwrap()
        .iter()
        .next()
        .unwrap()
        .get("m")
        .unwrap();
    for n in start + 1.. {
        let mut params = BTreeMap::new();
        params.insert("n".to_string(), Value::Int(n));
        store
            .run_with("CREATE (:Item {n: $n})-[:NEXT]->(:Tail {n: $n})", &params)
            .unwrap();
        if n % 4 == 0 {
            store
                .run_with("MATCH (t:Tail {n: $n}) DETACH DELETE t", &params)
                .unwrap();
        }
        println!("ACK {n}");
        if n % 9 == 0 {
            store.checkpoint().unwrap();
        }
    }
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn stored_items(path: &PathBuf) -> BTreeSet<i64> {
    let mut store = Store::open(path, OpenOptions::read_only()).unwrap();
    store
        .run("MATCH (i:Item) RETURN i.n AS n")
        .unwrap()
        .column::<i64>("n")
        .unwrap()
        .into_iter()
        .collect()
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_statement() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.kgqs");
    let exe = std::env::current_exe().unwrap();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = Rng(seed | 1);
    let mut acked = BTreeSet::new();
    let started = Instant::now();
    let mut rounds = 0;
    while rounds < 25 && started.elapsed() < Duration::from_secs(20) {
        rounds += 1;
        let mut child = Command::new(&exe)
            .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("ACK ").and_then(|n| n.parse::<i64>().ok()))
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(30 + rng.below(400)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        acked.extend(reader.join().unwrap());
        let stored = stored_items(&path);
        let lost: Vec<_> = acked.difference(&stored).collect();
        assert!(
            lost.is_empty(),
            "round {rounds}: acknowledged but lost: {lost:?}"
        );
    }
    assert!(
        !acked.is_empty(),
        "the child never acknowledged a statement"
    );
    // The store still opens for writing (stale lock taken over) and closes.
    let mut store = Store::open(&path, OpenOptions::write()).unwrap();
    // An acknowledged multiple of 4 had its tail deleted by a second
    // statement; a kill between the two may leave an unacknowledged one.
    let tails = store
        .run("MATCH (i:Item)-[:NEXT]->(t:Tail) WHERE i.n % 4 = 0 RETURN i.n AS n")
        .unwrap()
        .column::<i64>("n")
        .unwrap();
    assert!(tails.iter().all(|n| !acked.contains(n)), "{tails:?}");
    store.close().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["crash.kgqs", "crash.kgqs.journal"],
        "leftover files"
    );
    eprintln!(
        "crash test: {rounds} kills, {} acknowledged statements",
        acked.len()
    );
}

#[test]
fn change_and_checkpoint_is_durable_and_refused_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgqs");
    let mut store = Store::open(&path, OpenOptions::create()).unwrap();
    store.run("CREATE (:Country {name: 'Russia'})").unwrap();
    let made = store
        .change_and_checkpoint(|g| {
            Ok(g.add_node_with(&["Country"], [("name", Value::from("China"))]))
        })
        .unwrap();
    assert_eq!(made.index(), 1);
    // Folded into the snapshot: nothing left in the journal.
    assert_eq!(store.journal_records(), 0);
    store.run("CREATE (:Country {name: 'Kazakhstan'})").unwrap();
    // Dropped without close: the journal and the snapshot both count.
    std::mem::forget(store);
    std::fs::remove_file(lock_path(&path)).unwrap();
    let mut store = Store::open(&path, OpenOptions::read_only()).unwrap();
    assert_eq!(names(&mut store), ["China", "Kazakhstan", "Russia"]);
    let err = store.change_and_checkpoint(|_| Ok(())).unwrap_err();
    assert_eq!(err.code, "ReadOnlyStore");
}
