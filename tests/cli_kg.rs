//! The knowledge-graph features from the command line: `--as-of`, `--why`,
//! `kgq find` and `kgq diff`.

mod common;
use common::{path_str, run};

const IN_FORCE: &str =
    "MATCH (:Product)-[r:CERTIFIED_IN|SUSPENDED_SALES_OF]-() RETURN type(r) AS fact";

#[test]
fn as_of_applies_to_every_match() {
    let (code, out, err) = run(&["query", "--as-of", "2025-02-09", "-f", "csv", IN_FORCE]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "fact\nCERTIFIED_IN\n");
    let (_, out, _) = run(&["query", "--as-of", "2025-02-11", "-f", "csv", IN_FORCE]);
    assert_eq!(out, "fact\nSUSPENDED_SALES_OF\n");
    // A MATCH's own AS OF wins over --as-of.
    let own = "MATCH (:Product)-[r:CERTIFIED_IN|SUSPENDED_SALES_OF]-() AS OF date('2025-02-09') RETURN type(r) AS fact";
    let (_, out, _) = run(&["query", "--as-of", "2025-02-11", "-f", "csv", own]);
    assert_eq!(out, "fact\nCERTIFIED_IN\n");
    let (code, _, err) = run(&["query", "--as-of", "someday", IN_FORCE]);
    assert_eq!(code, 2);
    assert!(err.contains("--as-of"), "{err}");
}

#[test]
fn as_of_with_save_materialises_the_graph_then() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let snap = dir.path().join("feb11.kgs");
    let (code, _, err) = run(&[
        "query",
        "--as-of",
        "2025-02-11",
        "--save",
        path_str(&snap),
        "RETURN 1 AS one",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(&["diff", "bundled", path_str(&snap)]);
    assert_eq!(code, 1, "the graphs differ: {out}");
    assert!(
        out.contains("Relationships: 0 added, 1 removed, 0 changed"),
        "{out}"
    );
    assert!(out.contains("-[:CERTIFIED_IN"), "{out}");
}

#[test]
fn why_shows_the_facts_and_sources_under_each_row() {
    let q = "MATCH (a:Agency)-[r:CANCELLED_CERTIFICATION_OF]->(p:Product)<-[:MAKES]-(c:Company) RETURN a.name AS agency, c.name AS company";
    let (code, out, err) = run(&["query", "--why", q]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Why:\nrow 1: Rosstandart | Shaanxi Heavy Truck\n"),
        "{out}"
    );
    assert!(
        out.contains("(Rosstandart)-[:CANCELLED_CERTIFICATION_OF]->(Shaanxi Heavy Truck heavy truck (model not named)) on 2025-02-10 — source: Caijing Network (reported 2025-02-14)"),
        "{out}"
    );
    let (_, out, _) = run(&["query", "--why", "-f", "json", q]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc["columns"].as_array().map(Vec::len), Some(2));
    assert_eq!(doc["why"][0][0]["source"][0], "Caijing Network");
    assert_eq!(doc["why"][0][1]["type"], "MAKES");
    let (_, out, _) = run(&["query", "--why", "-f", "csv", q]);
    assert!(out.starts_with("agency,company,why\n"), "{out}");
}

#[test]
fn why_works_for_scripts_and_aggregates() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let script = dir.path().join("q.kgq");
    std::fs::write(
        &script,
        "MATCH (p:Person)-[r:PREDICTED]->(:Statement) RETURN p.name AS who, count(r) AS n;",
    )
    .expect("the script is written");
    let (code, out, err) = run(&[
        "run",
        "--why",
        "-g",
        "graphs/russia-china-vehicle-trade.kgq",
        path_str(&script),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("row 1: Yao Yuan | 2"), "{out}");
    assert_eq!(out.matches("source: Dajiyuan").count(), 2, "{out}");
}

#[test]
fn find_lists_candidates_with_scores() {
    for text in ["shacman", "Shaanxi Heavy Truck Co., Ltd.", "Шакман"] {
        let (code, out, err) = run(&["find", text, "--limit", "1", "-f", "csv"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("1.0,Company,Shaanxi Heavy Truck,"),
            "{text}: {out}"
        );
    }
    let (code, out, _) = run(&["find", "Rosstandard", "-f", "csv"]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .nth(1)
            .is_some_and(|l| l.contains("Agency,Rosstandart,(name)")),
        "{out}"
    );
    let (code, out, _) = run(&["find", "zzzz qqqq"]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn diff_reports_json_and_a_script_that_turns_a_into_b() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let a = dir.path().join("a.kgq");
    let b = dir.path().join("b.kgq");
    std::fs::write(
        &a,
        "CREATE (s:Company {name: 'Shacman'}), (r:Country {name: 'Russia'}),
                (s)-[:SELLS_IN {units: 15000}]->(r), (:Company {name: 'Gone'});",
    )
    .expect("a is written");
    std::fs::write(
        &b,
        "CREATE (s:Company {name: 'Shacman', aliases: ['Шакман']}), (r:Country {name: 'Russia'}),
                (s)-[:SELLS_IN {units: 15000, valid_to: date('2025-02-10')}]->(r), (:Company {name: 'New'});",
    )
    .expect("b is written");
    let (code, out, err) = run(&["diff", path_str(&a), path_str(&b)]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("Nodes: 1 added, 1 removed, 1 changed"),
        "{out}"
    );
    assert!(
        out.contains("  ~ (:Company Shacman)\n      aliases: (absent) → ['Шакман']"),
        "{out}"
    );
    assert!(out.contains("valid_to: (absent) → 2025-02-10"), "{out}");
    let (_, out, _) = run(&["diff", "-f", "json", path_str(&a), path_str(&b)]);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(doc["nodes"]["added"][0]["key"], "Company|New");
    assert_eq!(
        doc["relationships"]["changed"][0]["changes"][0]["after"],
        "2025-02-10"
    );
    let (_, script, _) = run(&["diff", "-f", "script", path_str(&a), path_str(&b)]);
    let fix = dir.path().join("fix.kgq");
    std::fs::write(&fix, &script).expect("the script is written");
    let fixed = dir.path().join("fixed.kgs");
    let (code, _, err) = run(&[
        "run",
        "-g",
        path_str(&a),
        path_str(&fix),
        "--save",
        path_str(&fixed),
    ]);
    assert_eq!(code, 0, "{script}\n{err}");
    let (code, out, _) = run(&["diff", path_str(&fixed), path_str(&b)]);
    assert_eq!((code, out.as_str()), (0, "No differences.\n"), "{script}");
}
