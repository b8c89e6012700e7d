//! Scripts with the real binary: `kgq run --atomic`, BEGIN / COMMIT /
//! ROLLBACK, runtime errors at FILE:LINE:COL, and `-p` / `--as-of` values
//! as users type them.

use std::path::Path;

mod common;
use common::{path_str, run};

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the script is written");
    path
}

/// The labels of the store's nodes among `labels`, sorted, as CSV lines.
fn labels(store: &Path) -> Vec<String> {
    let (code, out, err) = run(&[
        "query",
        "-f",
        "csv",
        "-g",
        path_str(store),
        "MATCH (n) WHERE n:A OR n:B OR n:C OR n:X OR n:Y OR n:Z \
         RETURN labels(n)[0] AS l ORDER BY l",
    ]);
    assert_eq!(code, 0, "{err}");
    out.lines().skip(1).map(str::to_string).collect()
}

fn empty_store(dir: &Path) -> std::path::PathBuf {
    let store = dir.join("s.kgqs");
    let (code, _, err) = run(&[
        "run",
        path_str(&write(dir, "empty.kgq", "")),
        "--save",
        path_str(&store),
    ]);
    assert_eq!(code, 0, "{err}");
    store
}

#[test]
fn atomic_keeps_all_or_nothing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = empty_store(dir.path());
    let failing = write(
        dir.path(),
        "failing.kgq",
        "CREATE (:A);\nCREATE (:B);\nRETURN 1 / 0 AS boom;\nCREATE (:C);\n",
    );
    let (code, _, err) = run(&[
        "run",
        "--atomic",
        "-g",
        path_str(&store),
        path_str(&failing),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("failing.kgq:3:1: ArithmeticError"), "{err}");
    assert!(err.contains("none of them was kept"), "{err}");
    assert!(labels(&store).is_empty());
    // Without --atomic the statements before the failure stay.
    let (code, _, _) = run(&["run", "-g", path_str(&store), path_str(&failing)]);
    assert_eq!(code, 1);
    assert_eq!(labels(&store), ["A", "B"]);

    let fine = write(dir.path(), "fine.kgq", "CREATE (:C);\nCREATE (:C);\n");
    let (code, _, err) = run(&["run", "--atomic", "-g", path_str(&store), path_str(&fine)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(labels(&store), ["A", "B", "C", "C"]);
}

#[test]
fn begin_commit_and_rollback_in_a_script() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = empty_store(dir.path());
    let script = write(
        dir.path(),
        "tx.kgq",
        "BEGIN;\nCREATE (:X);\nROLLBACK;\n\
         begin;\nCREATE (:Y);\nCREATE (:Y);\nCOMMIT;\n\
         BEGIN;\nCREATE (:Z);\n",
    );
    let (code, out, err) = run(&["run", "-g", path_str(&store), path_str(&script)]);
    // The last transaction was never committed: rolled back, and the run fails.
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("never committed"), "{err}");
    assert!(out.contains("Rolled back"), "{out}");
    assert!(out.contains("Committed: Created 2 nodes"), "{out}");
    assert_eq!(labels(&store), ["Y", "Y"]);

    let stray = write(dir.path(), "stray.kgq", "COMMIT;\n");
    let (code, _, err) = run(&["run", path_str(&stray)]);
    assert_eq!(code, 1);
    assert!(
        err.contains("stray.kgq:1:1: SemanticError: NoOpenTransaction"),
        "{err}"
    );
}

#[test]
fn runtime_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let script = write(
        dir.path(),
        "late.kgq",
        "RETURN 1 AS one;\n\n   UNWIND [1, 0] AS x\n   RETURN 1 / x AS y;\n",
    );
    let (code, _, err) = run(&["run", path_str(&script)]);
    assert_eq!(code, 1);
    assert!(
        err.contains("late.kgq:3:4: ArithmeticError: DivisionByZero"),
        "{err}"
    );
}

#[test]
fn params_and_as_of_take_what_users_type() {
    let (code, out, err) = run(&[
        "query",
        "-f",
        "csv",
        "-p",
        "d=2024-09-01",
        "-p",
        "co=BYD",
        "-p",
        "year=2024",
        "RETURN $d + duration('P1D') AS next, $co AS co, $year + 1 AS year",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "next,co,year\n2024-09-02,BYD,2025\n");

    let (code, _, err) = run(&["query", "-p", "co=Shaanxi Heavy Truck", "RETURN $co"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(r#"quote it: -p "co='Shaanxi Heavy Truck'""#),
        "{err}"
    );
    let (code, _, err) = run(&["query", "-p", "d=2024-13-01", "RETURN $d"]);
    assert_eq!(code, 2);
    assert!(err.contains("`2024-13-01` is not a date"), "{err}");

    let (code, _, err) = run(&["query", "--as-of", "2024-13-01", "RETURN 1"]);
    assert_eq!(code, 2);
    assert!(err.contains("`2024-13-01` is not a date"), "{err}");
    let (code, _, err) = run(&["query", "--as-of", "2025-02-10", "RETURN 1"]);
    assert_eq!(code, 0, "{err}");
}
