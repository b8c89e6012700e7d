//! The CSV importer: both layouts, type inference, and errors that name the
//! file and line of a bad row.

use std::fs;
use std::path::Path;

use kgq::import::csv::load_dir;
use kgq::{ErrorClass, Session, Value};

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

fn query(session: &mut Session, text: &str) -> Vec<Vec<Value>> {
    session.run(text).unwrap().rows
}

#[test]
fn generator_layout_with_inferred_types() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "Company.csv",
        "id,name,founded,rating,listed,since\n\
         1,Sinotruk,2007,4.5,true,2007-02-08\n\
         2,\"FAW, Jiefang\",2003,4,false,\n",
    );
    write(dir.path(), "Country.csv", "id,name\n10,China\n");
    write(
        dir.path(),
        "BASED_IN.csv",
        "from,to,since\n1,10,2007\n2,10,\n",
    );
    let mut seen_progress = false;
    let (graph, stats) = load_dir(dir.path(), &mut |_| seen_progress = true).unwrap();
    assert_eq!((stats.nodes, stats.relationships, stats.files), (3, 2, 3));
    assert!(seen_progress);
    let mut s = Session::with_graph(graph);
    let rows = query(
        &mut s,
        "MATCH (c:Company)-[b:BASED_IN]->(k:Country) \
         RETURN c.id, c.name, c.founded, c.rating, c.listed, c.since, b.since, k.name \
         ORDER BY c.id",
    );
    let date = Value::Date(chrono::NaiveDate::from_ymd_opt(2007, 2, 8).unwrap());
    assert_eq!(
        rows[0],
        vec![
            Value::Int(1),
            Value::from("Sinotruk"),
            Value::Int(2007),
            Value::Float(4.5),
            Value::Bool(true),
            date,
            Value::Int(2007),
            Value::from("China"),
        ]
    );
    // 4 in a float column is a float; empty fields are nulls.
    assert_eq!(rows[1][3], Value::Float(4.0));
    assert_eq!(rows[1][1], Value::from("FAW, Jiefang"));
    assert_eq!(rows[1][5], Value::Null);
    assert_eq!(rows[1][6], Value::Null);
}

#[test]
fn neo4j_admin_layout_with_typed_headers() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "nodes.csv",
        "id:ID,name,founded:int,:LABEL\n\
         c1,Sinotruk,2007,Company;Maker\n\
         m1,Ban,,Measure\n",
    );
    write(
        dir.path(),
        "rels.csv",
        ":START_ID,:END_ID,:TYPE,announced:date,years:int[]\n\
         m1,c1,TARGETS,2025-02-10,2024;2025\n",
    );
    let (graph, stats) = load_dir(dir.path(), &mut |_| {}).unwrap();
    assert_eq!((stats.nodes, stats.relationships), (2, 1));
    let mut s = Session::with_graph(graph);
    let rows = query(
        &mut s,
        "MATCH (m:Measure)-[t:TARGETS]->(c:Company:Maker) \
         RETURN c.id, c.founded, m.founded, t.announced, t.years",
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], Value::from("c1"));
    assert_eq!(rows[0][1], Value::Int(2007));
    assert_eq!(rows[0][2], Value::Null);
    assert_eq!(
        rows[0][3],
        Value::Date(chrono::NaiveDate::from_ymd_opt(2025, 2, 10).unwrap())
    );
    assert_eq!(rows[0][4], Value::from(vec![2024i64, 2025]));
}

#[test]
fn a_bad_row_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "Company.csv", "id,name\n1,Sinotruk\n2,Chery\n");
    write(dir.path(), "OWNS.csv", "from,to\n1,2\n1,99\n");
    let err = load_dir(dir.path(), &mut |_| {}).unwrap_err();
    assert_eq!(err.class, ErrorClass::FormatError);
    assert!(err.message.contains("OWNS.csv:3:"), "{}", err.message);
    assert!(err.message.contains("`99`"), "{}", err.message);

    write(dir.path(), "OWNS.csv", "from,to\n1,2,3\n");
    let err = load_dir(dir.path(), &mut |_| {}).unwrap_err();
    assert!(err.message.contains("OWNS.csv:2:"), "{}", err.message);

    fs::remove_file(dir.path().join("OWNS.csv")).unwrap();
    write(dir.path(), "typed.csv", "id:ID,founded:int\nx,19x7\n");
    let err = load_dir(dir.path(), &mut |_| {}).unwrap_err();
    assert!(err.message.contains("typed.csv:2:"), "{}", err.message);
    assert!(err.message.contains("integer"), "{}", err.message);

    write(dir.path(), "typed.csv", "id:ID,founded:int\nx,1\nx,2\n");
    let err = load_dir(dir.path(), &mut |_| {}).unwrap_err();
    assert!(err.message.contains("typed.csv:3:"), "{}", err.message);
    assert!(err.message.contains("twice"), "{}", err.message);
}

#[test]
fn an_empty_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_dir(dir.path(), &mut |_| {}).unwrap_err();
    assert_eq!(err.class, ErrorClass::IoError);
}
