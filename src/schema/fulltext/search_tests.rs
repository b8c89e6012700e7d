use super::*;
use crate::schema::fulltext::query::parse;
use crate::value::Value;

/// d1 "heavy truck", d2 "truck", d3 "light van" in field `title`;
/// d3 also has `note` "truck".
fn corpus() -> (Inverted, Vec<String>) {
    let mut index = Inverted::new(2);
    index.put(1, &[Some(&Value::from("heavy truck")), None]);
    index.put(2, &[Some(&Value::from("Truck")), None]);
    index.put(
        3,
        &[Some(&Value::from("light van")), Some(&Value::from("truck"))],
    );
    (index, vec!["title".into(), "note".into()])
}

fn run(text: &str) -> Vec<(DocId, f64)> {
    let (index, fields) = corpus();
    search(&index, &fields, &parse(text).unwrap())
}

fn ids(text: &str) -> Vec<DocId> {
    run(text).into_iter().map(|(d, _)| d).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn bm25_by_hand() {
    // title: N = 3, avgdl = 5/3; "truck" in 2 docs: idf = ln(1.6).
    // d2 (dl 1): norm = 1.2 · (0.25 + 0.75 · 0.6) = 0.84 → idf / 1.84
    // d1 (dl 2): norm = 1.2 · (0.25 + 0.75 · 1.2) = 1.38 → idf / 2.38
    // note: N = 1, avgdl = 1, n = 1: idf = ln(1 + 0.5/1.5), norm = 1.2.
    let hits = run("title:truck");
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].0, 2);
    assert!(close(hits[0].1, 1.6f64.ln() / 1.84), "{hits:?}");
    assert!(close(hits[1].1, 1.6f64.ln() / 2.38), "{hits:?}");
    let hits = run("truck");
    let d3 = hits.iter().find(|(d, _)| *d == 3).unwrap().1;
    assert!(close(d3, (1.0f64 + 0.5 / 1.5).ln() / 2.2), "{hits:?}");
    assert!(close(idf(3, 2), 1.6f64.ln()));
}

#[test]
fn boolean_operators() {
    assert_eq!(ids("heavy OR van"), [1, 3]);
    assert_eq!(ids("heavy AND van"), Vec::<DocId>::new());
    assert_eq!(ids("+truck -heavy"), [2, 3]);
    assert_eq!(ids("truck NOT heavy"), [2, 3]);
    assert_eq!(ids("NOT heavy"), Vec::<DocId>::new());
    assert_eq!(ids("title:truck AND NOT note:truck"), [2, 1]);
    assert_eq!(ids("(heavy OR light) AND title:van"), [3]);
    assert_eq!(ids("nosuchfield:truck"), Vec::<DocId>::new());
    // A clause that analyzes to nothing is dropped, as Lucene does.
    assert_eq!(ids("heavy AND \\-\\-"), [1]);
}

#[test]
fn phrases_need_adjacent_terms_in_order() {
    assert_eq!(ids("\"heavy truck\""), [1]);
    assert!(ids("\"truck heavy\"").is_empty());
    assert!(ids("\"heavy van\"").is_empty());
    // A phrase scores with the sum of its terms' idfs.
    let hits = run("\"heavy truck\"");
    let idf_sum = (1.0f64 + 2.5 / 1.5).ln() + 1.6f64.ln();
    assert!(close(hits[0].1, idf_sum / 2.38), "{hits:?}");
}

#[test]
fn prefixes_wildcards_and_fuzzy_terms() {
    assert_eq!(run("tru*"), [(1, 1.0), (2, 1.0), (3, 1.0)]);
    assert_eq!(ids("v?n"), [3]);
    assert_eq!(ids("*ea*"), [1]);
    assert_eq!(ids("trukc~2"), [2, 1, 3]);
    assert!(ids("trukc~1").is_empty());
    // A boost multiplies.
    let plain = run("title:van")[0].1;
    let boosted = run("title:van^3")[0].1;
    assert!(close(boosted, plain * 3.0));
}

#[test]
fn star_star_matches_everything() {
    assert_eq!(run("*:*"), [(1, 1.0), (2, 1.0), (3, 1.0)]);
    assert_eq!(ids("*:* -van"), [1, 2]);
}

#[test]
fn ties_come_in_id_order() {
    assert_eq!(ids("tru* OR heav*"), [1, 2, 3]);
}

#[test]
fn glob_matches() {
    let g = |p: &str, t: &str| {
        glob(
            &p.chars().collect::<Vec<_>>(),
            &t.chars().collect::<Vec<_>>(),
        )
    };
    assert!(g("a*c", "abbbc"));
    assert!(g("*", ""));
    assert!(g("a?c", "abc"));
    assert!(!g("a?c", "ac"));
    assert!(!g("a*d", "abc"));
}
