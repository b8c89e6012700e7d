//! Holds `docs/functions.md` to the code: every function marked ✓ there
//! runs in its example statement, and every function marked ✗ is refused
//! as unknown.

use std::path::Path;

use kgq::Session;

/// The rows of the table: function name, whether it is marked ✓, and the
/// example statement (✓ rows) or the reason (✗ rows).
fn rows() -> Vec<(String, bool, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/functions.md");
    let text = std::fs::read_to_string(&path).expect("docs/functions.md");
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 3, "bad row: {line}");
            let name = cells[0]
                .trim_matches('`')
                .trim_end_matches("()")
                .to_string();
            let supported = match cells[1] {
                "✓" => true,
                "✗" => false,
                other => panic!("bad mark {other} in {line}"),
            };
            (
                name,
                supported,
                cells[2].trim_matches('`').replace("\\|", "|"),
            )
        })
        .collect()
}

#[test]
fn every_supported_function_runs_its_example() {
    let rows = rows();
    assert!(rows.len() > 100, "the table lists {} functions", rows.len());
    for (name, supported, example) in rows.iter().filter(|r| r.1) {
        assert!(*supported);
        assert!(
            example.to_lowercase().contains(&name.to_lowercase()),
            "the example of {name} does not use it: {example}"
        );
        let mut session = Session::new();
        if let Err(e) = session.run(example) {
            panic!("{name}: `{example}` failed: {e}");
        }
    }
}

#[test]
fn every_unsupported_function_is_refused_as_unknown() {
    for (name, _, _) in rows().iter().filter(|r| !r.1) {
        let mut session = Session::new();
        let err = session
            .run(&format!("RETURN {name}(1)"))
            .expect_err(&format!("{name} is marked ✗ but runs"));
        assert_eq!(err.code, "UnknownFunction", "{name}: {err}");
    }
}
