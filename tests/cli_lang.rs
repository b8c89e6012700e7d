//! The real `kgq` binary with Neo4j-style statements: `--import-dir` for
//! LOAD CSV, procedures and constraints in scripts.

mod common;
use common::run;

#[test]
fn load_csv_reads_inside_the_import_dir_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("people.csv"), "name,age\nAnn,41\nBo,\n").unwrap();
    let import_dir = dir.path().to_str().unwrap();
    let (code, out, err) = run(&[
        "query",
        "--import-dir",
        import_dir,
        "--format",
        "csv",
        "LOAD CSV WITH HEADERS FROM 'file:///people.csv' AS row \
         RETURN linenumber() AS line, row.name AS name, toInteger(row.age) AS age",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "line,name,age\n2,Ann,41\n3,Bo,\n");

    let (code, _, err) = run(&[
        "query",
        "--import-dir",
        import_dir,
        "LOAD CSV FROM 'file:///../people.csv' AS row RETURN row",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("LoadCsvUrlRefused"), "{err}");
}

#[test]
fn procedures_and_constraints_from_the_command_line() {
    let (code, out, err) = run(&[
        "query",
        "--format",
        "csv",
        "CALL db.labels() YIELD label WHERE label STARTS WITH 'Co' RETURN label ORDER BY label",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "label\nCompany\nCountry\n");

    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("schema.kgq");
    std::fs::write(
        &script,
        "CREATE CONSTRAINT country_name FOR (c:Country) REQUIRE c.name IS UNIQUE;\n\
         CREATE (:Country {name: 'Russia'});\n\
         CREATE (:Country {name: 'Russia'});\n",
    )
    .unwrap();
    let (code, _, err) = run(&["run", script.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("country_name"), "{err}");
    assert!(
        err.contains(":3:"),
        "the error names the failing statement's line: {err}"
    );
}
