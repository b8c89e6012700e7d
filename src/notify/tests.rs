use super::*;
use crate::{Session, Value};

fn session() -> Session {
    let mut s = Session::new();
    s.run(
        "CREATE (:Country {name: 'China'})-[:EXPORTED_TO {year: 2023, date: date('2023-12-31')}]->\
         (:Country {name: 'Russia', founded: date('1991-12-25')})",
    )
    .unwrap();
    s
}

fn kinds(s: &mut Session, text: &str) -> Vec<NotificationKind> {
    let r = s.run(text).unwrap();
    r.notifications().iter().map(|n| n.kind).collect()
}

#[test]
fn unknown_names_point_at_the_name() {
    let mut s = session();
    let text = "MATCH (c:Contry)-[:EXPORTS]->(d)\nWHERE d.nme = 'x' RETURN c";
    let r = s.run(text).unwrap();
    let n = r.notifications();
    assert_eq!(n.len(), 3, "{n:#?}");
    assert_eq!(n[0].kind, NotificationKind::UnknownLabel);
    assert_eq!(
        n[0].code(),
        "Neo.ClientNotification.Statement.UnknownLabelWarning"
    );
    assert_eq!(n[0].gql_status(), "01N50");
    assert_eq!(&text[n[0].span.start..n[0].span.end], "Contry");
    assert_eq!(
        n[0].position,
        NotificationPosition {
            offset: 9,
            line: 1,
            column: 10
        }
    );
    assert_eq!(n[1].kind, NotificationKind::UnknownRelationshipType);
    assert_eq!(n[2].kind, NotificationKind::UnknownPropertyKey);
    assert_eq!(n[2].position.line, 2);
    assert_eq!(n[2].position.column, 9);
    assert_eq!(n[2].severity().name(), "WARNING");
    assert_eq!(n[2].category().name(), "UNRECOGNIZED");
}

#[test]
fn names_the_statement_creates_are_not_unknown() {
    let mut s = session();
    assert!(
        kinds(
            &mut s,
            "MATCH (c:Country) SET c:Nation, c.flag = 1 RETURN c.flag"
        )
        .is_empty()
    );
    assert!(
        kinds(
            &mut s,
            "CREATE (n:Brand {slogan: 'x'}) WITH n MATCH (n:Brand) RETURN n.slogan"
        )
        .is_empty()
    );
    assert!(
        kinds(
            &mut s,
            "MERGE (a:Agency {name: 'R'})-[:CANCELLED]->(b:Product)"
        )
        .is_empty()
    );
    // A map's keys are not property keys of the graph.
    assert!(kinds(&mut s, "WITH {zz: 1} AS m RETURN m.zz").is_empty());
    assert!(kinds(&mut s, "UNWIND [{q: 1}] AS m RETURN m.q").is_empty());
}

#[test]
fn comparisons_of_different_types() {
    let mut s = session();
    let k = kinds(
        &mut s,
        "MATCH (c:Country) WHERE c.founded > '1990-01-01' RETURN c",
    );
    assert_eq!(k, vec![NotificationKind::IncomparableTypes]);
    let text = "RETURN 1 < 'a' AS x, date('2024-01-01') = '2024-01-01' AS y, 2 <> 'b' AS z";
    let r = s.run(text).unwrap();
    let n = r.notifications();
    assert_eq!(n.len(), 3);
    // What each warning says is what the statement gives.
    assert_eq!(
        r.rows[0],
        vec![Value::Null, Value::Bool(false), Value::Bool(true)]
    );
    assert!(n[0].message.contains("always null"), "{}", n[0].message);
    assert!(n[1].message.contains("always false"), "{}", n[1].message);
    assert!(n[2].message.contains("always true"), "{}", n[2].message);
    let k = kinds(
        &mut s,
        "MATCH ()-[e:EXPORTED_TO]->() WHERE e.year >= '2020' RETURN e",
    );
    assert_eq!(k, vec![NotificationKind::IncomparableTypes]);
    // Same types, or unknown types: nothing.
    assert!(
        kinds(
            &mut s,
            "MATCH (c:Country) WHERE c.founded > date('1990-01-01') RETURN c"
        )
        .is_empty()
    );
    assert!(
        kinds(
            &mut s,
            "MATCH (c:Country) WHERE c.name > 1 OR c.name = 'x' RETURN c"
        )
        .len()
            == 1
    );
    assert!(kinds(&mut s, "WITH 1 AS x RETURN x < 'a' AS y").is_empty());
}

#[test]
fn cartesian_products_and_unbounded_patterns() {
    let mut s = session();
    let k = kinds(&mut s, "MATCH (a:Country), (b:Country) RETURN a, b");
    assert_eq!(k, vec![NotificationKind::CartesianProduct]);
    assert!(kinds(&mut s, "MATCH (a:Country)-->(b), (b)-->(c) RETURN a").is_empty());
    assert!(
        kinds(
            &mut s,
            "MATCH (a:Country) WITH a MATCH (a)-->(b), (a)<--(c) RETURN a"
        )
        .is_empty()
    );
    let k = kinds(
        &mut s,
        "MATCH (a:Country) WITH a MATCH (a)-->(b), (c) RETURN a",
    );
    assert_eq!(k, vec![NotificationKind::CartesianProduct]);
    let k = kinds(&mut s, "MATCH (a)-[*]->(b) RETURN a");
    assert_eq!(k, vec![NotificationKind::UnboundedVariableLengthPattern]);
    let k = kinds(&mut s, "MATCH (a)-[*1..]->(b) RETURN a");
    assert_eq!(k, vec![NotificationKind::UnboundedVariableLengthPattern]);
    assert!(kinds(&mut s, "MATCH (a)-[*1..3]->(b) RETURN a").is_empty());
    let text = "MATCH p = shortestPath((a:Country)-[*]-(b:Country)) WHERE a <> b RETURN p";
    let r = s.run(text).unwrap();
    assert_eq!(r.notifications().len(), 1);
    assert!(r.notifications()[0].message.contains("shortest-path"));
    assert_eq!(r.notifications()[0].severity(), Severity::Information);
    assert_eq!(r.notifications()[0].category(), Category::Performance);
}

#[test]
fn notifications_do_not_change_results() {
    let mut s = session();
    let a = s
        .run("MATCH (a:Country), (b:Country) RETURN a.name, b.name ORDER BY a.name, b.name")
        .unwrap();
    let mut quiet = session();
    let b = quiet
        .run("MATCH (a:Country) MATCH (b:Country) RETURN a.name, b.name ORDER BY a.name, b.name")
        .unwrap();
    assert_eq!(a.rows, b.rows);
    assert_eq!(a.rows.len(), 4);
    assert!(!a.notifications().is_empty());
}

#[test]
fn script_notifications_point_into_the_script() {
    let mut s = session();
    let script = "RETURN 1;\nMATCH (x:Nope) RETURN x;";
    let results = s.run_script(script).unwrap();
    let n = &results[1].notifications()[0];
    assert_eq!(&script[n.span.start..n.span.end], "Nope");
    assert_eq!((n.position.line, n.position.column), (2, 10));
    let shown = n.render("", script);
    assert_eq!(
        shown,
        "warning: The label `Nope` does not exist in the graph. Verify that the spelling is \
         correct. (line 2, column 10)\n  MATCH (x:Nope) RETURN x;\n           ^^^^"
    );
}

#[test]
fn a_misspelt_name_read_twice_is_warned_about_twice() {
    // Binding interns the names a statement reads; that must not make a
    // typo count as known the second time.
    let mut s = session();
    for _ in 0..2 {
        let k = kinds(
            &mut s,
            "MATCH (c:Contry)-[:EXPORTS]->(d) WHERE d.nmae = 1 RETURN c",
        );
        assert_eq!(
            k,
            vec![
                NotificationKind::UnknownLabel,
                NotificationKind::UnknownRelationshipType,
                NotificationKind::UnknownPropertyKey
            ]
        );
    }
}

#[test]
fn database_reads_and_writes_carry_them_too() {
    let db = crate::Database::in_memory(session().into_graph());
    let options = crate::RunOptions::default();
    // A read runs on the shared graph (nothing interned)…
    let r = db.run("MATCH (c:Contry) RETURN c", &options).unwrap();
    assert_eq!(r.notifications().len(), 1);
    assert_eq!(r.notifications()[0].kind, NotificationKind::UnknownLabel);
    // …a write through the session; in a transaction as well.
    let r = db
        .run(
            "MATCH (c:Country), (d:Country) CREATE (c)-[:NEAR]->(d)",
            &options,
        )
        .unwrap();
    assert_eq!(
        r.notifications()[0].kind,
        NotificationKind::CartesianProduct
    );
    let mut tx = db.begin(crate::AccessMode::Read);
    let r = tx
        .run("MATCH (a)-[:NEAR*]->(b) RETURN count(*) AS n", &options)
        .unwrap();
    assert_eq!(
        r.notifications().iter().map(|n| n.kind).collect::<Vec<_>>(),
        vec![NotificationKind::UnboundedVariableLengthPattern]
    );
    tx.commit().unwrap();
}

#[test]
fn long_expressions_are_walked_on_a_small_stack() {
    // As deep as the parser allows a chain to be (see tests/hostile), on a
    // thread with the 2 MiB stack of spawned threads and server workers.
    let text = format!(
        "MATCH (c:Country) WHERE c.founded > '1990'{} RETURN c",
        " AND c.name <> 1".repeat(2999)
    );
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let st = crate::syntax::parse_statement(&text).unwrap();
            analyze(&st, &text, session().graph()).len()
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), 3000);
}
