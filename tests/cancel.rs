//! Stopping statements from the command line: `--timeout` and SIGINT reach
//! a write of millions of nodes, which is rolled back and says so; the
//! store it ran on keeps none of it. The real binary, real signals.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;

/// A write that makes one node at once, then millions (far more than the
/// test waits for, so the stop always lands in the middle of it).
const BIG_WRITE: &str = "CREATE (:Start) WITH 1 AS one \
                         UNWIND range(1, 5000000) AS i CREATE (:Tmp {i: i})";

fn kgq() -> Command {
    let mut cmd = Command::cargo_bin("kgq").expect("the kgq binary is built by cargo test");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A store (a snapshot opened with `-g`) holding the bundled graph.
fn store(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("g.kgqs");
    let out = kgq()
        .args(["query", "RETURN 1"])
        .arg("--save")
        .arg(&path)
        .output()
        .expect("kgq runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    path
}

/// How many nodes with `label` the store holds, read by another process.
fn count(store: &std::path::Path, label: &str) -> String {
    let out = kgq()
        .args(["query", "-f", "csv", "-g"])
        .arg(store)
        .arg(format!("MATCH (n:{label}) RETURN count(n) AS n"))
        .output()
        .expect("kgq runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_timed_out_write_is_rolled_back_and_says_so() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = store(&dir);
    let out = kgq()
        .args(["query", "--timeout", "0.5", "-g"])
        .arg(&store)
        .arg(BIG_WRITE)
        .output()
        .expect("kgq runs");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("LimitExceeded: Timeout"), "{stderr}");
    assert!(stderr.contains("its changes were rolled back"), "{stderr}");
    assert_eq!(count(&store, "Start"), "0");
    assert_eq!(count(&store, "Tmp"), "0");
}

fn interrupt(pid: u32) {
    let status = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

#[test]
fn sigint_stops_a_script_in_a_write_and_rolls_it_back() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = store(&dir);
    let script = dir.path().join("big.kgq");
    std::fs::write(
        &script,
        format!("CREATE (:Before);\n{BIG_WRITE};\nCREATE (:After);\n"),
    )
    .expect("the script is written");
    let child = kgq()
        .arg("run")
        .arg(&script)
        .arg("-g")
        .arg(&store)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kgq starts");
    // Long enough for the first statement and the start of the big write
    // (which needs far longer than this to finish).
    std::thread::sleep(Duration::from_millis(2000));
    interrupt(child.id());
    let out: Output = child.wait_with_output().expect("kgq finishes");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("LimitExceeded: Cancelled"), "{stderr}");
    assert!(stderr.contains("big.kgq:2:1"), "{stderr}");
    assert!(stderr.contains("its changes were rolled back"), "{stderr}");
    // The statement before it stays, the cancelled one and the rest do not.
    assert_eq!(count(&store, "Before"), "1");
    assert_eq!(count(&store, "Start"), "0");
    assert_eq!(count(&store, "Tmp"), "0");
    assert_eq!(count(&store, "After"), "0");
}
