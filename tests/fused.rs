//! The fused expand-aggregate (issue 16) against the row engine: a run of
//! expansions, intersections, filters and node checks feeding an
//! aggregation gives the row engine's rows, in its order, and its errors
//! — on random graphs with self-loops, parallel relationships, mixed and
//! absent properties, multi-label nodes and deleted entities; on two
//! threads (morsels) as on one; and the values counted by hand.

use proptest::prelude::*;

use engines::{rows, session_with};

mod engines;

/// The query with fast paths on and off (each on a fresh graph, since the
/// query may write); asserts they agree and gives the result.
fn both(script: &str, query: &str) -> Result<Vec<String>, String> {
    let fast = rows(&mut session_with(script), query);
    let mut slow_session = session_with(script);
    slow_session.set_fast_paths(false);
    let slow = rows(&mut slow_session, query);
    assert_eq!(fast, slow, "{query}\n{script}");
    fast
}

/// A small graph: companies (one also `:Maker`), products with integer,
/// float, string and absent `units`, a self-loop and parallel
/// relationships.
const SMALL: &str = "
CREATE (c1:Company {name: 'Sino'}), (c2:Company {name: 'Taiga'}),
       (c3:Company:Maker {name: 'Sino'}), (c4:Company {name: 'Empty'}),
       (p1:Product {name: 'p1', units: 10}), (p2:Product {name: 'p2', units: 5}),
       (p3:Product:Old {name: 'p3', units: 7}), (p4:Product {name: 'p4'}),
       (c1)-[:MAKES]->(p1), (c1)-[:MAKES]->(p2), (c1)-[:MAKES]->(p2),
       (c2)-[:MAKES]->(p3), (c2)-[:MAKES]->(p4), (c3)-[:MAKES]->(p1),
       (c3)-[:MAKES]->(p3), (c1)-[:LIKES]->(c1), (c1)-[:LIKES]->(c2),
       (c2)-[:LIKES]->(c3);
";

#[test]
fn sums_per_company_follow_the_scan_order_and_merge_equal_names() {
    let got = both(
        SMALL,
        "MATCH (c:Company)-[:MAKES]->(p:Product) RETURN c.name AS company, sum(p.units) AS units, count(*) AS n",
    );
    // 'Sino' is two companies (c1: 10 + 5 + 5 over parallel MAKES, c3: 10 + 7);
    // p4 has no units; 'Empty' makes nothing, so has no group.
    assert_eq!(
        got.unwrap(),
        vec![
            r#"[String("Sino"), Int(37), Int(5)]"#,
            r#"[String("Taiga"), Int(7), Int(2)]"#,
        ]
    );
}

#[test]
fn distinct_counts_ids_once_per_group() {
    let got = both(
        SMALL,
        "MATCH (c:Company)-[:MAKES]->(p) RETURN c.name AS company, count(DISTINCT p) AS products, \
         count(p) AS rows, collect(DISTINCT p.name) AS names",
    );
    assert_eq!(
        got.unwrap(),
        vec![
            r#"[String("Sino"), Int(3), Int(5), List([String("p1"), String("p2"), String("p3")])]"#,
            r#"[String("Taiga"), Int(2), Int(2), List([String("p3"), String("p4")])]"#,
        ]
    );
}

#[test]
fn self_loops_and_relationship_uniqueness() {
    // Undirected, the self-loop c1-LIKES->c1 is seen once, and
    // relationship uniqueness forbids using a relationship twice: from c1
    // (loop, then c1-c2; c1-c2, then c2-c3), from c3 (c3-c2, then c2-c1)
    // and from c2 (c2-c1, then the loop).
    let got = both(
        SMALL,
        "MATCH (a:Company)-[r1:LIKES]-(b)-[r2:LIKES]-(c) RETURN a.name AS a, count(*) AS n, \
         count(DISTINCT r2) AS rels",
    );
    assert_eq!(
        got.unwrap(),
        vec![
            r#"[String("Sino"), Int(3), Int(2)]"#,
            r#"[String("Taiga"), Int(1), Int(1)]"#,
        ]
    );
    let got = both(
        SMALL,
        "MATCH (a)-[r:LIKES]->(a) RETURN a.name AS a, count(r) AS loops",
    );
    assert_eq!(got.unwrap(), vec![r#"[String("Sino"), Int(1)]"#]);
}

#[test]
fn remembered_intersections_keep_relationship_uniqueness() {
    // The plan scans x, expands r to y and intersects x-[t]->z with
    // y-[s]->z. Both rows x-[r]->b (parallel e1, e2) intersect from the
    // same start nodes (x, b), so the matches are found once and reused;
    // the one that reuses r (z = b over the self-loop) must still be
    // dropped per row: r = e1 keeps t = e2, r = e2 keeps t = e1.
    let script = "
        CREATE (a:N {name: 'a'}), (b:N {name: 'b'}), (c:N {name: 'c'}),
               (a)-[:T]->(b), (a)-[:T]->(b), (b)-[:T]->(b), (b)-[:T]->(c), (a)-[:T]->(c);
    ";
    let got = both(
        script,
        "MATCH (z)<-[t:T]-(x:N {name: 'a'})-[r:T]->(y)-[s:T]->(z) \
         RETURN z.name AS z, count(*) AS n, count(DISTINCT t) AS ts, count(DISTINCT r) AS rs",
    );
    let plan = session_with(script)
        .explain("MATCH (z)<-[t:T]-(x:N {name: 'a'})-[r:T]->(y)-[s:T]->(z) RETURN count(*) AS n")
        .expect("the plan");
    assert!(plan.contains("Intersect"), "{plan}");
    assert_eq!(
        got.unwrap(),
        vec![
            r#"[String("b"), Int(2), Int(2), Int(2)]"#,
            r#"[String("c"), Int(2), Int(1), Int(2)]"#,
        ]
    );
}

#[test]
fn intersections_filled_from_the_other_side_agree() {
    // One scanned node x reaches 29 nodes y, each closing cycles back to
    // nodes x also reaches: after a few misses with x fixed, the
    // intersection's memo is filled for x from the other side at once.
    // Parallel relationships, self-loops and a label some nodes lack.
    let script = "
        UNWIND range(0, 29) AS i CREATE (:N {i: i});
        MATCH (n:N) WHERE n.i % 3 = 0 SET n:K;
        MATCH (x:N {i: 0}), (y:N) WHERE y.i > 0 CREATE (x)-[:T]->(y);
        MATCH (x:N {i: 0}), (y:N) WHERE y.i % 5 = 1 CREATE (x)-[:T]->(y);
        MATCH (y:N), (z:N) WHERE y.i > 0 AND z.i > 0 AND (y.i * 7 + z.i) % 5 = 0
        CREATE (y)-[:T]->(z);
        MATCH (y:N) WHERE y.i % 4 = 0 CREATE (y)-[:T]->(y);
    ";
    for query in [
        "MATCH (z)<-[t:T]-(x:N {i: 0})-[r:T]->(y)-[s:T]->(z) \
         RETURN y.i AS y, count(*) AS n, collect(z.i) AS zs, count(DISTINCT t) AS ts",
        "MATCH (z:K)<-[t:T]-(x:N {i: 0})-[r:T]->(y)-[s:T]->(z) \
         RETURN z.i % 4 AS k, count(*) AS n, collect(id(s)) AS ss, collect(id(t)) AS ts",
        "MATCH (z)<-[t:T]-(x:N)-[r:T]->(y)-[s:T]->(z) RETURN count(*) AS n, count(DISTINCT z) AS zs",
    ] {
        let got = both(script, query).expect(query);
        assert!(
            got.len() > 1 || !got[0].contains("Int(0)"),
            "{query}: {got:?}"
        );
    }
    let plan = session_with(script)
        .explain("MATCH (z)<-[t:T]-(x:N {i: 0})-[r:T]->(y)-[s:T]->(z) RETURN count(*) AS n")
        .expect("the plan");
    assert!(plan.contains("Intersect"), "{plan}");
}

#[test]
fn keys_bound_inside_the_run_and_cycles() {
    for query in [
        "MATCH (c:Company)-[:MAKES]->(p)<-[:MAKES]-(d) RETURN p.name AS p, d.name AS d, count(*) AS n",
        "MATCH (a)-[:LIKES]->(b)-[:MAKES]->(p)<-[:MAKES]-(a) RETURN a.name AS a, b.name AS b, count(DISTINCT p) AS n",
        "MATCH (a:Company)-[:LIKES]->(b)-[:LIKES]->(a) RETURN count(*) AS n",
        "MATCH (c:Company)-[m:MAKES]->(p) WHERE p.units > 6 RETURN c AS c, collect(m) AS ms, max(p.units) AS top",
        "MATCH (c:Company) MATCH (c)-[:MAKES]->(p:Old) RETURN c.name + '!' AS k, avg(p.units) AS a",
    ] {
        let got = both(SMALL, query);
        assert!(!got.expect(query).is_empty(), "{query}");
    }
}

#[test]
fn errors_are_the_row_engines() {
    let script = format!("{SMALL} MATCH (p:Product {{name: 'p2'}}) SET p.units = 'many';");
    let got = both(
        &script,
        "MATCH (c:Company)-[:MAKES]->(p) RETURN c.name AS c, sum(p.units) AS s",
    );
    assert!(got.unwrap_err().starts_with("InvalidArgumentType"));
    let script =
        format!("{SMALL} MATCH (p:Product {{name: 'p2'}}) SET p.units = 9223372036854775800;");
    let got = both(
        &script,
        "MATCH (c:Company)-[:MAKES]->(p) RETURN c.name AS c, sum(p.units) AS s",
    );
    assert!(got.unwrap_err().starts_with("IntegerOverflow"));
    // A key that fails is evaluated only for rows that reach the aggregation.
    let got = both(
        SMALL,
        "MATCH (c:Company)-[:MAKES]->(p) WHERE c.name <> 'Sino' RETURN c.name * 2 AS k, count(*) AS n",
    );
    let err = got.unwrap_err();
    assert!(err.starts_with("InvalidArgumentType"), "{err}");
    let got = both(
        SMALL,
        "MATCH (c:Company {name: 'Empty'})-[:MAKES]->(p) RETURN c.name * 2 AS k, count(*) AS n",
    );
    assert_eq!(got.unwrap(), Vec::<String>::new());
}

#[test]
fn entities_deleted_by_the_statement() {
    let got = both(
        SMALL,
        "MATCH (p:Product {name: 'p1'}) DETACH DELETE p WITH count(*) AS gone \
         MATCH (c:Company)-[:MAKES]->(p) RETURN c.name AS c, gone, sum(p.units) AS s",
    );
    assert_eq!(
        got.unwrap(),
        vec![
            r#"[String("Sino"), Int(1), Int(17)]"#,
            r#"[String("Taiga"), Int(1), Int(7)]"#,
        ]
    );
    let got = both(
        SMALL,
        "MATCH (p:Product {name: 'p3'}) DETACH DELETE p WITH p \
         MATCH (c:Company)-[:LIKES]->(d) RETURN c.name AS c, sum(p.units) AS s",
    );
    assert!(got.unwrap_err().starts_with("DeletedEntityAccess"));
}

#[test]
fn shapes_outside_the_run_fall_back() {
    for query in [
        "MATCH (c:Company)-[:LIKES*1..2]->(d) RETURN c.name AS c, count(*) AS n",
        "MATCH (c:Company) OPTIONAL MATCH (c)-[:MAKES]->(p) RETURN c.name AS c, count(p) AS n",
        "MATCH (c:Company)-[:MAKES]->(p) WITH c, p ORDER BY p.name RETURN c.name AS c, collect(p.name) AS ps",
        "PROFILE MATCH (c:Company)-[:MAKES]->(p) RETURN c.name AS c, sum(p.units) AS s",
    ] {
        let got = both(SMALL, query);
        assert!(!got.expect(query).is_empty(), "{query}");
    }
}

/// 1,200 companies (over two morsels of 256 on two threads), each making
/// a few of 300 products; one product deep in the scan has a string.
fn big_script(bad: bool) -> String {
    let units = if bad {
        "CASE WHEN i = 250 THEN 'x' ELSE i % 17 END"
    } else {
        "i % 17"
    };
    format!(
        "UNWIND range(0, 299) AS i CREATE (:Product {{i: i, units: {units}, f: toFloat(i) / 8.0}});
         UNWIND range(0, 1199) AS i CREATE (:Company {{i: i, name: 'c' + toString(i % 500)}});
         CREATE INDEX FOR (p:Product) ON (p.i);
         MATCH (c:Company) UNWIND [c.i % 300, (c.i * 7) % 300, (c.i * 13) % 300] AS k
         MATCH (p:Product {{i: k}}) CREATE (c)-[:MAKES]->(p);"
    )
}

#[test]
fn morsels_run_fused_and_agree() {
    let queries = [
        "MATCH (c:Company)-[:MAKES]->(p:Product) RETURN c.name AS c, sum(p.units) AS s, sum(p.f) AS f, count(DISTINCT p) AS d",
        "MATCH (c:Company)-[:MAKES]->(p)<-[:MAKES]-(d:Company) WHERE d.i < 40 RETURN d.name AS d, count(DISTINCT c) AS n",
        "MATCH (c:Company)-[:MAKES]->(p) RETURN count(*) AS n, sum(p.units) AS s",
    ];
    for bad in [false, true] {
        // The queries only read: one graph serves every engine.
        let mut session = session_with(&big_script(bad));
        for query in queries {
            session.set_fast_paths(true);
            session.set_threads(2);
            let two = rows(&mut session, query);
            session.set_threads(1);
            let one = rows(&mut session, query);
            session.set_fast_paths(false);
            let row_engine = rows(&mut session, query);
            assert_eq!(two, row_engine, "{query}");
            assert_eq!(one, row_engine, "{query}");
            if bad && query.contains("units") {
                let err = two.unwrap_err();
                assert!(err.starts_with("InvalidArgumentType"), "{err}");
            } else {
                assert!(!two.expect(query).is_empty(), "{query}");
            }
        }
        if !bad {
            session.set_fast_paths(true);
            session.set_threads(2);
            let got = rows(
                &mut session,
                "MATCH (c:Company)-[:MAKES]->(p) RETURN count(*) AS n",
            );
            let by_hand = rows(&mut session, "MATCH ()-[r:MAKES]->() RETURN count(r) AS n");
            assert_eq!(got, by_hand);
            assert!(got.unwrap()[0].starts_with("[Int(3"), "about 3 per company");
        }
    }
}

#[test]
fn skewed_morsels_keep_the_row_engines_rows() {
    // Company 0 makes every product, the others one each: morsels are cut
    // by degree (company 0 alone, then many companies together), and the
    // groups still come out in scan order with the row engine's counts.
    let script = "UNWIND range(0, 599) AS i CREATE (:Product {i: i, units: i % 7});
         UNWIND range(0, 799) AS i CREATE (:Company {i: i, name: 'c' + toString(i % 300)});
         CREATE INDEX FOR (p:Product) ON (p.i);
         MATCH (c:Company {i: 0}), (p:Product) CREATE (c)-[:MAKES]->(p);
         MATCH (c:Company) WHERE c.i > 0 MATCH (p:Product {i: c.i % 600}) CREATE (c)-[:MAKES]->(p);";
    let mut session = session_with(script);
    let query = "MATCH (c:Company)-[:MAKES]->(p)<-[:MAKES]-(d:Company) \
                 RETURN c.name AS c, count(DISTINCT d) AS n, sum(p.units) AS s";
    session.set_threads(2);
    let two = rows(&mut session, query);
    session.set_fast_paths(false);
    let row_engine = rows(&mut session, query);
    assert_eq!(two, row_engine);
    let got = two.unwrap();
    assert_eq!(got.len(), 300);
    // 'c0' is companies 0, 300 and 600: company 0 meets all 800.
    assert!(
        got[0].starts_with(r#"[String("c0"), Int(800), "#),
        "{}",
        got[0]
    );
}

#[test]
fn distinct_values_seen_again_cost_no_memory() {
    // 3,000 rows per company but three distinct products: the memory
    // limit counts the values a DISTINCT aggregate keeps, not every row
    // fed to it; all distinct values still count.
    let script = "UNWIND range(0, 2) AS i CREATE (:Product {i: i});
         UNWIND range(0, 9) AS i CREATE (:Company {name: 'c' + toString(i)});
         MATCH (c:Company), (p:Product) UNWIND range(1, 1000) AS k CREATE (c)-[:MAKES]->(p);";
    let mut session = session_with(script);
    session.set_memory_limits(256 * 1024, u64::MAX);
    for fast in [true, false] {
        session.set_fast_paths(fast);
        let got = rows(
            &mut session,
            "MATCH (c:Company)-[:MAKES]->(p) RETURN c.name AS c, count(DISTINCT p) AS n",
        );
        assert_eq!(got.expect("three values per group").len(), 10);
        let all = rows(
            &mut session,
            "MATCH (c:Company)-[m:MAKES]->(p) RETURN c.name AS c, count(DISTINCT m) AS n",
        );
        assert!(all.unwrap_err().contains("MemoryLimitExceeded"));
    }
}

// ---------------------------------------------------------------------------
// Random graphs and queries.

/// Nodes with labels A, B or A:B and an `x` that is an integer, a float, a
/// string or absent; relationships T and U, self-loops and parallel ones
/// included; some nodes and relationships deleted afterwards.
fn graph_script() -> impl Strategy<Value = String> {
    let x = prop_oneof![
        4 => (-3i64..5).prop_map(|i| i.to_string()),
        1 => Just("1.5".to_string()),
        1 => Just("'s'".to_string()),
        1 => Just(String::new()),
    ];
    let node = (0..4u8, x, prop::option::of(0..3u8));
    (
        prop::collection::vec(node, 1..8),
        prop::collection::vec((0..8usize, 0..8usize, 0..2u8), 0..16),
        prop::collection::vec(0..8usize, 0..2),
    )
        .prop_map(|(nodes, rels, deleted)| {
            let n = nodes.len();
            let mut script = String::new();
            for (labels, x, y) in &nodes {
                let labels = ["", ":A", ":B", ":A:B"][*labels as usize];
                let mut props = Vec::new();
                if !x.is_empty() {
                    props.push(format!("x: {x}"));
                }
                if let Some(y) = y {
                    props.push(format!("y: '{}'", ["p", "q", "r"][*y as usize]));
                }
                script.push_str(&format!("CREATE ({labels} {{{}}});\n", props.join(", ")));
            }
            for (from, to, t) in rels {
                let t = ["T", "U"][t as usize];
                script.push_str(&format!(
                    "MATCH (a), (b) WHERE id(a) = {} AND id(b) = {} CREATE (a)-[:{t} {{w: {}}}]->(b);\n",
                    from % n,
                    to % n,
                    from % 3
                ));
            }
            for d in deleted {
                script.push_str(&format!("MATCH (a) WHERE id(a) = {d} DETACH DELETE a;\n"));
            }
            script
        })
}

fn fused_query() -> impl Strategy<Value = String> {
    let pattern = prop_oneof![
        Just("(a:A)-[r:T]->(b)"),
        Just("(a)-[r]-(b)"),
        Just("(a)<-[r:T|U]-(b:B)"),
        Just("(a)-[r:T]->(b)-[s:U]->(c)"),
        Just("(a)-[r]-(b)-[s]-(c)"),
        Just("(a)-[r:T]->(a)"),
        Just("(a:A)-[r:T]->(b)-[s:T]->(a)"),
        Just("(a)-[r:T]->(b:B)-[s:U]->(c)<-[:T]-(a)"),
        Just("(a)-[r:T {w: 1}]->(b)<-[s:T]-(c)"),
        Just("(a:B)-[r]->(b), (b)-[s:U]->(c)"),
    ];
    let predicate = prop_oneof![
        Just("true"),
        Just("b.x > 0"),
        Just("a.x <> b.x"),
        Just("b.y = 'p' OR b.y IS NULL"),
        Just("b:A"),
        Just("id(a) <= id(b)"),
    ];
    let projection = prop_oneof![
        Just("a.y AS k, sum(b.x) AS s, count(*) AS n"),
        Just("a AS k, count(DISTINCT b) AS c, collect(b.x) AS xs"),
        Just("count(*) AS n, count(DISTINCT r) AS d"),
        Just("b.y AS k, min(a.x) AS lo, max(b.x) AS hi"),
        Just("a.x AS k, avg(b.x) AS v, count(DISTINCT a) AS d"),
        Just("a.y AS k, b.y AS k2, count(r) AS n"),
        Just("a.y AS k, collect(DISTINCT b.y) AS ys, sum(DISTINCT b.x) AS s"),
        Just("a.y + 'x' AS k, count(b) AS n"),
    ];
    (pattern, predicate, projection).prop_map(|(p, w, r)| format!("MATCH {p} WHERE {w} RETURN {r}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn fused_and_row_engine_agree(script in graph_script(), query in fused_query()) {
        let mut session = session_with(&script);
        let fast = rows(&mut session, &query);
        session.set_fast_paths(false);
        let row_engine = rows(&mut session, &query);
        prop_assert_eq!(fast, row_engine, "{}", query);
    }
}
