//! `shortestPath` / `allShortestPaths` with WHERE conditions on the path,
//! against a brute-force reference on random graphs: the conditions apply
//! during the search (Neo4j's semantics), so the answer is the shortest
//! path among those that meet them, not the shortest path filtered.

use std::collections::BTreeSet;

use proptest::prelude::*;

use kgq::{Session, Value};

/// A random small multigraph: `nodes` nodes with ids 0.., and edges
/// (from, to, is type X, weight).
#[derive(Debug, Clone)]
struct Net {
    nodes: usize,
    edges: Vec<(usize, usize, bool, i64)>,
}

fn net() -> impl Strategy<Value = Net> {
    (2usize..7).prop_flat_map(|nodes| {
        prop::collection::vec((0..nodes, 0..nodes, any::<bool>(), 0i64..4), 0..11)
            .prop_map(move |edges| Net { nodes, edges })
    })
}

/// The conditions tried, as WHERE text and as a check of a path given as
/// (node ids, edge indexes).
#[derive(Debug, Clone, Copy)]
enum Condition {
    NoX,
    AvoidNode(usize),
    AtLeastTwo,
    HeavyEnough,
    NoXAndLong,
}

impl Condition {
    fn text(self) -> String {
        match self {
            Condition::NoX => "none(r IN relationships(p) WHERE type(r) = 'X')".into(),
            Condition::AvoidNode(k) => format!("all(n IN nodes(p) WHERE n.id <> {k})"),
            Condition::AtLeastTwo => "length(p) >= 2".into(),
            Condition::HeavyEnough => "reduce(s = 0, r IN relationships(p) | s + r.w) >= 3".into(),
            Condition::NoXAndLong => {
                "none(r IN relationships(p) WHERE type(r) = 'X') AND length(p) > 1".into()
            }
        }
    }

    fn holds(self, net: &Net, nodes: &[usize], edges: &[usize]) -> bool {
        let no_x = edges.iter().all(|e| !net.edges[*e].2);
        match self {
            Condition::NoX => no_x,
            Condition::AvoidNode(k) => nodes.iter().all(|n| *n != k),
            Condition::AtLeastTwo => edges.len() >= 2,
            Condition::HeavyEnough => edges.iter().map(|e| net.edges[*e].3).sum::<i64>() >= 3,
            Condition::NoXAndLong => no_x && edges.len() > 1,
        }
    }
}

fn condition() -> impl Strategy<Value = Condition> {
    prop_oneof![
        Just(Condition::NoX),
        (0usize..7).prop_map(Condition::AvoidNode),
        Just(Condition::AtLeastTwo),
        Just(Condition::HeavyEnough),
        Just(Condition::NoXAndLong),
    ]
}

/// Every trail (no edge twice) from `from` to `to` that meets `cond`, as
/// edge index lists, found by exhaustive depth-first search.
fn trails(net: &Net, from: usize, to: usize, directed: bool, cond: Condition) -> Vec<Vec<usize>> {
    fn walk(
        net: &Net,
        to: usize,
        directed: bool,
        cond: Condition,
        nodes: &mut Vec<usize>,
        edges: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        let here = *nodes.last().expect("a start node");
        if here == to && !edges.is_empty() && cond.holds(net, nodes, edges) {
            out.push(edges.clone());
        }
        for (i, (a, b, _, _)) in net.edges.iter().enumerate() {
            if edges.contains(&i) {
                continue;
            }
            let next = if *a == here {
                *b
            } else if !directed && *b == here {
                *a
            } else {
                continue;
            };
            nodes.push(next);
            edges.push(i);
            walk(net, to, directed, cond, nodes, edges, out);
            nodes.pop();
            edges.pop();
        }
    }
    let mut out = Vec::new();
    walk(
        net,
        to,
        directed,
        cond,
        &mut vec![from],
        &mut Vec::new(),
        &mut out,
    );
    out
}

fn load(net: &Net) -> Session {
    let mut session = Session::new();
    for id in 0..net.nodes {
        session
            .run(&format!("CREATE (:N {{id: {id}}})"))
            .expect("create node");
    }
    for (i, (a, b, x, w)) in net.edges.iter().enumerate() {
        let t = if *x { "X" } else { "Y" };
        session
            .run(&format!(
                "MATCH (a:N {{id: {a}}}), (b:N {{id: {b}}}) CREATE (a)-[:{t} {{eid: {i}, w: {w}}}]->(b)"
            ))
            .expect("create relationship");
    }
    session
}

/// The answer of kgq as sets of edge index lists.
fn answer(session: &mut Session, query: &str) -> Vec<Vec<usize>> {
    let result = session.run(query).expect("query runs");
    result
        .rows
        .iter()
        .map(|row| match &row[0] {
            Value::List(items) => items
                .iter()
                .map(|v| match v {
                    Value::Int(i) => usize::try_from(*i).expect("edge index"),
                    other => panic!("not an edge index: {other:?}"),
                })
                .collect(),
            other => panic!("not a list: {other:?}"),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn shortest_paths_apply_conditions_during_the_search(
        net in net(),
        from in 0usize..7,
        to in 0usize..7,
        directed in any::<bool>(),
        cond in condition(),
    ) {
        let (from, to) = (from % net.nodes, to % net.nodes);
        prop_assume!(from != to);
        let reference = trails(&net, from, to, directed, cond);
        let shortest = reference.iter().map(Vec::len).min();
        let expected_all: BTreeSet<Vec<usize>> = reference
            .iter()
            .filter(|t| Some(t.len()) == shortest)
            .cloned()
            .collect();

        let mut session = load(&net);
        let arrow = if directed { "->" } else { "-" };
        let pattern = format!("(a:N {{id: {from}}})-[*]{arrow}(b:N {{id: {to}}})");
        let where_ = cond.text();
        let one = answer(
            &mut session,
            &format!("MATCH p = shortestPath({pattern}) WHERE {where_} RETURN [r IN relationships(p) | r.eid] AS es"),
        );
        let all = answer(
            &mut session,
            &format!("MATCH p = allShortestPaths({pattern}) WHERE {where_} RETURN [r IN relationships(p) | r.eid] AS es"),
        );

        // allShortestPaths: exactly the shortest paths that meet the condition.
        let got_all: BTreeSet<Vec<usize>> = all.iter().cloned().collect();
        prop_assert_eq!(got_all.len(), all.len(), "allShortestPaths repeated a path");
        prop_assert_eq!(&got_all, &expected_all);
        // shortestPath: one of them, or nothing when there is none.
        if expected_all.is_empty() {
            prop_assert!(one.is_empty(), "expected no path, got {:?}", one);
        } else {
            prop_assert_eq!(one.len(), 1);
            prop_assert!(expected_all.contains(&one[0]), "{:?} is not among {:?}", one[0], expected_all);
        }
    }
}

/// The example of issue 17: the direct path uses an excluded type, a longer
/// one does not.
#[test]
fn a_longer_path_that_meets_the_condition_is_found() {
    let mut session = Session::new();
    session
        .run(
            "CREATE (a:N {id: 0})-[:X {eid: 0}]->(b:N {id: 1}), (b)-[:X {eid: 1}]->(e:N {id: 4}), \
             (a)-[:Y {eid: 2}]->(:N {id: 2})-[:Y {eid: 3}]->(:N {id: 3})-[:Y {eid: 4}]->(e)",
        )
        .expect("create");
    let unconditioned = answer(
        &mut session,
        "MATCH p = shortestPath((:N {id: 0})-[*]->(:N {id: 4})) RETURN [r IN relationships(p) | r.eid] AS es",
    );
    assert_eq!(unconditioned, vec![vec![0, 1]]);
    let conditioned = answer(
        &mut session,
        "MATCH p = shortestPath((:N {id: 0})-[*]->(:N {id: 4})) \
         WHERE none(r IN relationships(p) WHERE type(r) = 'X') RETURN [r IN relationships(p) | r.eid] AS es",
    );
    assert_eq!(conditioned, vec![vec![2, 3, 4]]);
}

/// Every pair's answer as (from id, to id, edge index list), for a query
/// returning `a.id, b.id, es`.
fn pair_answer(session: &mut Session, query: &str) -> BTreeSet<(usize, usize, Vec<usize>)> {
    let result = session.run(query).expect("query runs");
    let id = |v: &Value| match v {
        Value::Int(i) => usize::try_from(*i).expect("an id"),
        other => panic!("not an id: {other:?}"),
    };
    result
        .rows
        .iter()
        .map(|row| match &row[2] {
            Value::List(items) => (id(&row[0]), id(&row[1]), items.iter().map(id).collect()),
            other => panic!("not a list: {other:?}"),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Between two sets of nodes, one search per source serves every
    /// target: the answer for each pair is still the reference's, also
    /// when a condition reads the target (so the search cannot be shared).
    #[test]
    fn shortest_paths_between_sets_match_the_reference_per_pair(
        net in net(),
        directed in any::<bool>(),
        cond in condition(),
        avoid_after_target in any::<bool>(),
    ) {
        let mut session = load(&net);
        let arrow = if directed { "->" } else { "-" };
        let (where_, extra): (String, Option<usize>) = if avoid_after_target {
            // Avoid the node with the next id after the target's.
            ("all(n IN nodes(p) WHERE n.id <> b.id + 1)".into(), Some(1))
        } else {
            (cond.text(), None)
        };
        let query = |f: &str| format!(
            "MATCH (a:N), (b:N) WHERE a.id <> b.id MATCH p = {f}((a)-[*]{arrow}(b)) WHERE {where_} \
             RETURN a.id, b.id, [r IN relationships(p) | r.eid] AS es"
        );
        let all = pair_answer(&mut session, &query("allShortestPaths"));
        let one = pair_answer(&mut session, &query("shortestPath"));
        for from in 0..net.nodes {
            for to in (0..net.nodes).filter(|t| *t != from) {
                let reference: Vec<Vec<usize>> = match extra {
                    Some(step) => trails(&net, from, to, directed, Condition::AvoidNode(to + step)),
                    None => trails(&net, from, to, directed, cond),
                };
                let shortest = reference.iter().map(Vec::len).min();
                let expected: BTreeSet<Vec<usize>> = reference
                    .into_iter()
                    .filter(|t| Some(t.len()) == shortest)
                    .collect();
                let got: BTreeSet<Vec<usize>> = all
                    .iter()
                    .filter(|(f, t, _)| (*f, *t) == (from, to))
                    .map(|(_, _, es)| es.clone())
                    .collect();
                prop_assert_eq!(&got, &expected, "allShortestPaths from {} to {}", from, to);
                let got_one: Vec<&Vec<usize>> = one
                    .iter()
                    .filter(|(f, t, _)| (*f, *t) == (from, to))
                    .map(|(_, _, es)| es)
                    .collect();
                if expected.is_empty() {
                    prop_assert!(got_one.is_empty(), "shortestPath from {} to {}: {:?}", from, to, got_one);
                } else {
                    prop_assert_eq!(got_one.len(), 1, "shortestPath from {} to {}", from, to);
                    prop_assert!(expected.contains(got_one[0]), "shortestPath from {} to {}: {:?}", from, to, got_one);
                }
            }
        }
    }
}

/// From one source to every node of a long chain, the search is made once:
/// a search per target would cross about n²/2 relationships (45,000 here)
/// and stop at the expansion limit; one shared search crosses each once.
#[test]
fn one_search_serves_every_target_of_a_source() {
    let mut session = Session::new();
    session
        .run("UNWIND range(0, 299) AS i CREATE (:N {id: i})")
        .expect("nodes");
    session
        .run("MATCH (a:N), (b:N) WHERE b.id = a.id + 1 CREATE (a)-[:NEXT]->(b)")
        .expect("chain");
    session.set_limits(5_000, 1_000_000);
    for f in ["allShortestPaths", "shortestPath"] {
        let result = session
            .run(&format!(
                "MATCH (a:N {{id: 0}}), (b:N) WHERE b.id > 0 MATCH p = {f}((a)-[*]-(b)) \
                 RETURN count(p) AS n, sum(length(p)) AS total"
            ))
            .unwrap_or_else(|e| panic!("{f} between sets: {e}"));
        assert_eq!(
            result.rows,
            vec![vec![Value::Int(299), Value::Int(299 * 300 / 2)]],
            "{f}"
        );
    }
}
