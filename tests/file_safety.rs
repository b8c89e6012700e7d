//! File safety with two real processes: nothing kgq writes replaces a store
//! another kgq process holds open; existing files are replaced only with
//! `--force`; a read of a held store opens it read-only and says so.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{kgq, path_str, run};

/// A store holding one `:Held` node, made by `kgq run --save`.
fn make_store(dir: &Path) -> PathBuf {
    let store = dir.join("held.kgqs");
    let script = dir.join("make.kgq");
    std::fs::write(&script, "CREATE (:Held {n: 1});\n").expect("the script is written");
    let (code, _, err) = run(&["run", path_str(&script), "--save", path_str(&store)]);
    assert_eq!(code, 0, "{err}");
    store
}

/// A second process that opens `store` for writing and keeps it open until
/// its standard input is closed (it reads the whole script first).
fn hold(store: &Path) -> Child {
    let child = kgq()
        .args(["run", "-g", path_str(store), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kgq starts");
    // Wait (bounded) until it holds the lock.
    let lock = PathBuf::from(format!("{}.lock", store.display()));
    let started = Instant::now();
    while !lock.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the holder never took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// Gives the holder its script, lets it finish, and checks it succeeded.
fn release(mut holder: Child, script: &str) {
    holder
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(script.as_bytes())
        .expect("the holder reads its script");
    let out = holder.wait_with_output().expect("the holder ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn count(store: &Path, label: &str) -> String {
    let (code, out, err) = run(&[
        "query",
        "-f",
        "csv",
        "-g",
        path_str(store),
        &format!("MATCH (n:{label}) RETURN count(n) AS n"),
    ]);
    assert_eq!(code, 0, "{err}");
    out.lines().nth(1).unwrap_or_default().to_string()
}

#[test]
fn nothing_replaces_a_store_another_process_holds() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = make_store(dir.path());
    let jsonl = dir.path().join("other.jsonl");
    std::fs::write(
        &jsonl,
        "{\"type\":\"node\",\"id\":1,\"labels\":[\"Imported\"],\"properties\":{}}\n",
    )
    .expect("the import file is written");

    let holder = hold(&store);
    let (code, _, err) = run(&[
        "import",
        "jsonl",
        path_str(&jsonl),
        "--out",
        path_str(&store),
        "--force",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("StoreLocked"), "{err}");
    let (code, _, err) = run(&["query", "RETURN 1", "--save", path_str(&store), "--force"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("StoreLocked"), "{err}");
    let (code, _, err) = run(&["export", "jsonl", "-o", path_str(&store), "--force"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("StoreLocked"), "{err}");

    // A read opens the held store read-only, says so, and sees its data.
    let (code, out, err) = run(&[
        "query",
        "-f",
        "csv",
        "-g",
        path_str(&store),
        "MATCH (n:Held) RETURN n.n AS n",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("opened it read-only"), "{err}");
    assert_eq!(out, "n\n1\n");
    // A write through that read-only view is refused.
    let (code, _, err) = run(&["query", "-g", path_str(&store), "CREATE (:Intruder)"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("ReadOnlyStore"), "{err}");

    // The holder's own write survives; nothing else got in.
    release(holder, "CREATE (:Held {n: 2});\n");
    assert_eq!(count(&store, "Held"), "2");
    assert_eq!(count(&store, "Imported"), "0");
    assert_eq!(count(&store, "Intruder"), "0");
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = make_store(dir.path());
    let (code, _, err) = run(&["query", "RETURN 1", "--save", path_str(&store)]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("FileExists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(count(&store, "Held"), "1");

    let (code, _, err) = run(&["query", "RETURN 1", "--save", path_str(&store), "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(count(&store, "Held"), "0");

    let out = dir.path().join("g.graphml");
    let (code, _, err) = run(&["export", "graphml", "-o", path_str(&out)]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["export", "graphml", "-o", path_str(&out)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("FileExists"), "{err}");
    let (code, _, err) = run(&["export", "graphml", "-o", path_str(&out), "--force"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_journal_next_to_a_replaced_store_does_not_break_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = make_store(dir.path());
    // A store that was written to and closed has a journal of a newer
    // generation than a plain snapshot; left next to a replaced file it
    // made the store unreadable (JournalAhead). (A journal with records
    // of a killed writer is covered by the unit tests of store::replace.)
    let mut writer = kgq()
        .args(["run", "-g", path_str(&store), "-"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("kgq starts");
    writer
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(b"CREATE (:Journaled);\n")
        .expect("the writer reads its script");
    let status = writer.wait().expect("the writer ends");
    assert!(status.success());
    let journal = PathBuf::from(format!("{}.journal", store.display()));
    assert!(journal.exists(), "the closed store keeps its journal");

    let (code, _, err) = run(&["query", "RETURN 1", "--save", path_str(&store), "--force"]);
    assert_eq!(code, 0, "{err}");
    // The bundled graph, whole and alone: the old journal is not replayed.
    let (code, out, err) = run(&[
        "query",
        "-f",
        "csv",
        "-g",
        path_str(&store),
        "MATCH (n) WHERE n:Held OR n:Journaled RETURN count(n) AS n",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "n\n0\n");
}
