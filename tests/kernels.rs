//! The typed predicate kernels (issue 16) end to end: filters over node
//! and relationship columns, pushed into label scans or applied after
//! expansions, give the row engine's rows in its order (fast paths on
//! against off), and the counts a hand count gives.

use kgq::Session;

/// 3,000 `:Company` nodes (a few also `:Listed`, so the label spans two
/// tables), each `MAKES` one `:Product`; names are distinct, `sector`
/// repeats, `score` is a float with NaN on some rows, `founded` is absent
/// on every fifth company. Company 2,500 is deleted and re-created, so its
/// table is no longer in id order.
fn session() -> Session {
    let mut session = Session::new();
    session
        .run_script(
            "UNWIND range(0, 2999) AS i
             CREATE (c:Company {name: CASE WHEN i % 7 = 0 THEN 'Sino ' ELSE 'Weichai ' END + toString(i),
                                sector: ['trucks', 'buses', 'parts'][i % 3],
                                score: CASE WHEN i % 11 = 0 THEN 0.0 / 0.0 ELSE toFloat(i % 10) / 2.0 END,
                                founded: CASE WHEN i % 5 = 0 THEN null ELSE 1950 + i % 70 END})
                    -[:MAKES {year: 2015 + i % 10, units: i}]->
                    (:Product {name: CASE WHEN i % 13 = 0 THEN 'Taiga ' ELSE 'Model ' END + toString(i)});
             MATCH (c:Company) WHERE c.name ENDS WITH '99' SET c:Listed;",
        )
        .expect("the graph script runs");
    session
}

/// Rows in returned order, or the error.
fn rows(session: &mut Session, fast: bool, query: &str) -> Result<Vec<String>, String> {
    session.set_fast_paths(fast);
    session
        .run(query)
        .map(|r| r.rows.iter().map(|row| format!("{row:?}")).collect())
        .map_err(|e| format!("{}: {}", e.code, e.message))
}

/// The rows with fast paths on, after checking they equal the row
/// engine's (order and errors included).
fn agreed(session: &mut Session, query: &str) -> Result<Vec<String>, String> {
    let fast = rows(session, true, query);
    let slow = rows(session, false, query);
    assert_eq!(fast, slow, "{query}");
    fast
}

fn count(session: &mut Session, query: &str) -> i64 {
    let got = agreed(session, query).expect("the query runs");
    assert_eq!(got.len(), 1, "{query}");
    got[0]
        .trim_start_matches("[Int(")
        .trim_end_matches(")]")
        .parse()
        .unwrap_or_else(|_| panic!("{query} gave {got:?}"))
}

const QUERIES: &[&str] = &[
    "MATCH (c:Company) WHERE c.name STARTS WITH 'Sino' RETURN c.name",
    "MATCH (c:Company)-[:MAKES]->(p:Product) WHERE c.name STARTS WITH 'Sino' AND p.name CONTAINS 'Taiga' RETURN c.name, p.name",
    "MATCH (c:Company) WHERE c.sector = 'buses' AND c.founded >= 2000 RETURN c.name, c.founded",
    "MATCH (c:Company) WHERE c.score < 1.0 OR c.score IS NULL RETURN c.name",
    "MATCH (c:Company) WHERE NOT c.score >= 1 RETURN count(*) AS n",
    "MATCH (c:Company) WHERE c.founded IN [1950, 1951.0, null] RETURN c.name",
    "MATCH (c:Company) WHERE c.founded IS NULL XOR c.sector <> 'trucks' RETURN c.name",
    "MATCH (c:Company)-[m:MAKES]->(p) WHERE m.year >= 2020 AND m.year <= 2022 RETURN p.name, m.units",
    "MATCH (c:Company) WHERE c.name =~ 'Sino 1.*' RETURN c.name",
    "MATCH (c:Company) WHERE c.name = 'Weichai 2500' RETURN c.name, c.sector",
    "MATCH (c:Listed) WHERE c.name ENDS WITH '99' RETURN c.name",
    "MATCH (c:Company) WHERE c.name > 'Weichai 2990' RETURN c.name",
];

#[test]
fn kernel_filters_give_the_row_engines_rows() {
    let mut session = session();
    // Break the single table's id order: delete a company and add one back.
    session
        .run("MATCH (c:Company {name: 'Weichai 2500'}) DETACH DELETE c")
        .expect("the delete runs");
    session
        .run("CREATE (:Company {name: 'Weichai 2500', sector: 'parts', founded: 2001})")
        .expect("the create runs");
    for query in QUERIES {
        let got = agreed(&mut session, query).expect("the query runs");
        assert!(!got.is_empty(), "{query} gives rows");
    }
}

#[test]
fn kernel_filters_count_what_a_hand_count_gives() {
    let mut session = session();
    // i % 7 = 0 for i in 0..3000: 429 names start with 'Sino '.
    assert_eq!(
        count(
            &mut session,
            "MATCH (c:Company) WHERE c.name STARTS WITH 'Sino' RETURN count(*) AS n"
        ),
        429
    );
    // Sino and Taiga: i % 91 = 0, 33 values.
    assert_eq!(
        count(
            &mut session,
            "MATCH (c:Company)-[:MAKES]->(p:Product) WHERE c.name STARTS WITH 'Sino' AND p.name CONTAINS 'Taiga' RETURN count(*) AS n"
        ),
        33
    );
    // year 2020..2022: i % 10 in 5..7, 900 relationships.
    assert_eq!(
        count(
            &mut session,
            "MATCH ()-[m:MAKES]->() WHERE m.year >= 2020 AND m.year <= 2022 RETURN count(*) AS n"
        ),
        900
    );
    // score < 1.0: i % 10 in {0, 1} (600) and not NaN (i % 11 != 0): i
    // = 0 or 11 modulo 110 are NaN, 28 each.
    assert_eq!(
        count(
            &mut session,
            "MATCH (c:Company) WHERE c.score < 1.0 RETURN count(*) AS n"
        ),
        544
    );
    // A NaN is neither >= 0 nor < 0: 273 NaN scores (i % 11 = 0).
    assert_eq!(
        count(
            &mut session,
            "MATCH (c:Company) WHERE NOT c.score >= 0 AND NOT c.score < 0 AND c.score IS NOT NULL RETURN count(*) AS n"
        ),
        273
    );
}

#[test]
fn errors_are_the_row_engines() {
    let mut session = session();
    for query in [
        // A string read as a boolean.
        "MATCH (c:Company) WHERE c.name RETURN count(*) AS n",
        // An invalid regular expression.
        "MATCH (c:Company) WHERE c.name =~ '(' RETURN count(*) AS n",
        // IN over a string.
        "MATCH (c:Company) WHERE c.founded IN 'x' RETURN count(*) AS n",
        // A non-boolean operand of AND.
        "MATCH (c:Company) WHERE c.founded > 1 AND 1 RETURN count(*) AS n",
    ] {
        assert!(agreed(&mut session, query).is_err(), "{query} fails");
    }
    // A mixed column: some `founded` values become strings.
    session
        .run("MATCH (c:Company) WHERE c.name ENDS WITH '7' SET c.founded = 'unknown'")
        .expect("the update runs");
    let got = agreed(
        &mut session,
        "MATCH (c:Company) WHERE c.founded >= 2010 RETURN count(*) AS n",
    )
    .expect("the query runs");
    assert_ne!(got, vec!["[Int(0)]".to_string()]);
}
