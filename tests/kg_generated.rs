//! The knowledge-graph features on generated graphs: valid time agrees
//! with materialising the graph, diff scripts turn A into B, and every
//! alias resolves to its node whatever its spelling.

use kgq::{Session, Value};

/// A small deterministic generator (no external state, same graphs every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn date(&mut self) -> String {
        format!(
            "date('2025-{:02}-{:02}')",
            1 + self.below(3),
            1 + self.below(28)
        )
    }
}

const LABELS: &[&str] = &["Company", "Agency", "Country", "Media"];
const TYPES: &[&str] = &["MAKES", "CERTIFIED_IN", "REPORTED", "BASED_IN"];

/// A script building a random graph of `n` nodes with names, aliases and
/// validity intervals on some nodes and relationships.
fn graph_script(rng: &mut Rng, n: usize) -> String {
    let mut parts = Vec::new();
    for i in 0..n {
        let label = LABELS[rng.below(LABELS.len() as u64) as usize];
        let mut props = format!(
            "name: 'Entity {i}', aliases: ['E{i} Holding', 'Alias-{i}'], n: {}",
            rng.below(5)
        );
        if rng.chance(20) {
            props.push_str(&format!(", valid_from: {}", rng.date()));
        }
        if rng.chance(20) {
            props.push_str(&format!(", valid_to: {}", rng.date()));
        }
        parts.push(format!("(n{i}:{label} {{{props}}})"));
    }
    for _ in 0..n * 2 {
        let (a, b) = (rng.below(n as u64), rng.below(n as u64));
        let t = TYPES[rng.below(TYPES.len() as u64) as usize];
        let mut props = format!("source: ['Media {}'], w: {}", rng.below(3), rng.below(4));
        if rng.chance(35) {
            props.push_str(&format!(", valid_from: {}", rng.date()));
        }
        if rng.chance(35) {
            props.push_str(&format!(", valid_to: {}", rng.date()));
        }
        parts.push(format!("(n{a})-[:{t} {{{props}}}]->(n{b})"));
    }
    format!("CREATE {};", parts.join(",\n  "))
}

fn session(script: &str) -> Session {
    let mut s = Session::new();
    if let Err(e) = s.run_script(script) {
        panic!("the generated script runs: {e}\n{script}");
    }
    s
}

fn count(s: &mut Session, q: &str) -> i64 {
    match s.run(q) {
        Ok(r) => r.rows[0][0].as_int().unwrap_or(-1),
        Err(e) => panic!("{q}: {e}"),
    }
}

#[test]
fn as_of_agrees_with_materialising_and_with_valid_at() {
    for seed in 1..=12 {
        let mut rng = Rng(seed);
        let script = graph_script(&mut rng, 12);
        let mut s = session(&script);
        for _ in 0..4 {
            let t = rng.date();
            let instant = match s.run(&format!("RETURN {t}")) {
                Ok(r) => r.rows[0][0].clone(),
                Err(e) => panic!("{e}"),
            };
            let at = match kgq::valid_time::as_of(s.graph(), &instant) {
                Ok(g) => g,
                Err(e) => panic!("{e}"),
            };
            let mut m = Session::with_graph(at);
            for (pattern, check) in [
                (
                    "(a)-[r]->(b)",
                    "validAt(a, $t) AND validAt(r, $t) AND validAt(b, $t)",
                ),
                ("p = (a)-[*1..3]->(b)", "validAt(p, $t)"),
            ] {
                let as_of = count(
                    &mut s,
                    &format!("MATCH {pattern} AS OF {t} RETURN count(*)"),
                );
                let materialised = count(&mut m, &format!("MATCH {pattern} RETURN count(*)"));
                s.set_param("t", instant.clone());
                let filtered = count(
                    &mut s,
                    &format!("MATCH {pattern} WHERE {check} RETURN count(*)"),
                );
                assert_eq!(as_of, materialised, "seed {seed}, {t}, {pattern}");
                assert_eq!(as_of, filtered, "seed {seed}, {t}, {pattern}");
                // The session-wide as-of gives the same answer.
                s.set_as_of(Some(instant.clone())).ok();
                let session_wide = count(&mut s, &format!("MATCH {pattern} RETURN count(*)"));
                s.set_as_of(None).ok();
                assert_eq!(as_of, session_wide, "seed {seed}, {t}, {pattern}");
            }
        }
    }
}

#[test]
fn diff_scripts_turn_a_into_b() {
    for seed in 1..=12 {
        let mut rng = Rng(seed);
        let script = graph_script(&mut rng, 10);
        let a = session(&script);
        let mut b = session(&script);
        // Random edits: change, remove and add nodes and relationships.
        let edits = [
            "MATCH (n) WHERE n.n = 0 SET n.n = 10, n.note = 'changed'",
            "MATCH ()-[r]->() WHERE r.w = 1 SET r.w = 7, r.valid_to = date('2025-06-01')",
            "MATCH ()-[r]->() WHERE r.w = 2 DELETE r",
            "MATCH (n) WHERE n.n = 4 DETACH DELETE n",
            "MATCH (n) WHERE n.n = 3 REMOVE n.aliases",
            "MATCH (a {name: 'Entity 1'}), (b {name: 'Entity 2'}) CREATE (a)-[:NEW {at: datetime('2025-02-10T12:00+01:00')}]->(b)",
            "CREATE (:Company {name: 'Entity new', aliases: ['Нова']}), (:Note {text: 'no name', x: 1.5})",
        ];
        for edit in edits.iter().filter(|_| rng.chance(70)) {
            if let Err(e) = b.run(edit) {
                panic!("{edit}: {e}");
            }
        }
        let d = kgq::diff::diff(a.graph(), b.graph());
        let mut fixed = session(&script);
        if let Err(e) = fixed.run_script(&d.script()) {
            panic!("seed {seed}: the diff script runs: {e}\n{}", d.script());
        }
        let left = kgq::diff::diff(fixed.graph(), b.graph());
        assert!(
            left.is_empty(),
            "seed {seed}:\n{}\nleft:\n{}",
            d.script(),
            left.report()
        );
        assert!(kgq::diff::diff(a.graph(), a.graph()).is_empty());
    }
}

#[test]
fn every_alias_resolves_whatever_its_spelling() {
    let mut rng = Rng(7);
    let mut s = session(&graph_script(&mut rng, 30));
    for i in 0..30 {
        for spelling in [
            format!("ENTITY {i}"),
            format!("e{i} holding, ltd."),
            format!("alias {i}"),
            format!("Entity {i} Co."),
        ] {
            let q = format!("RETURN [n IN resolve('{spelling}') | n.name] AS names");
            let names = match s.run(&q) {
                Ok(r) => r.rows[0][0].clone(),
                Err(e) => panic!("{e}"),
            };
            assert_eq!(
                names,
                Value::List(vec![Value::from(format!("Entity {i}").as_str())].into()),
                "{spelling}"
            );
        }
    }
}
