use super::*;

fn clauses(text: &str) -> Vec<(Occur, Matcher)> {
    match parse(text).unwrap().matcher {
        Matcher::Bool(c) => c.into_iter().map(|(o, q)| (o, q.matcher)).collect(),
        other => panic!("not a boolean query: {other:?}"),
    }
}

fn term(t: &str) -> Matcher {
    Matcher::Term(t.to_string())
}

fn error_at(text: &str) -> (usize, String) {
    let e = parse(text).unwrap_err();
    (e.position, e.message)
}

#[test]
fn words_are_joined_by_or() {
    assert_eq!(
        clauses("heavy truck"),
        [
            (Occur::Should, term("heavy")),
            (Occur::Should, term("truck"))
        ]
    );
}

#[test]
fn and_makes_both_sides_required() {
    assert_eq!(
        clauses("a AND b c"),
        [
            (Occur::Must, term("a")),
            (Occur::Must, term("b")),
            (Occur::Should, term("c"))
        ]
    );
    assert_eq!(
        clauses("a && b"),
        [(Occur::Must, term("a")), (Occur::Must, term("b"))]
    );
    // `AND NOT` keeps the exclusion.
    assert_eq!(
        clauses("a AND NOT b"),
        [(Occur::Must, term("a")), (Occur::MustNot, term("b"))]
    );
}

#[test]
fn modifiers() {
    assert_eq!(
        clauses("+a -b !c NOT d e || f"),
        [
            (Occur::Must, term("a")),
            (Occur::MustNot, term("b")),
            (Occur::MustNot, term("c")),
            (Occur::MustNot, term("d")),
            (Occur::Should, term("e")),
            (Occur::Should, term("f")),
        ]
    );
}

#[test]
fn lowercase_operators_are_words() {
    assert_eq!(
        clauses("a and b"),
        [
            (Occur::Should, term("a")),
            (Occur::Should, term("and")),
            (Occur::Should, term("b"))
        ]
    );
}

#[test]
fn phrases_prefixes_wildcards_fuzzy_boosts() {
    assert_eq!(
        clauses(r#""heavy truck" sino* tr?ck roam~1 x^2.5"#),
        [
            (Occur::Should, Matcher::Phrase("heavy truck".into())),
            (Occur::Should, Matcher::Prefix("sino".into())),
            (Occur::Should, Matcher::Wildcard("tr?ck".into())),
            (Occur::Should, Matcher::Fuzzy("roam".into(), 1)),
            (Occur::Should, term("x")),
        ]
    );
    let Matcher::Bool(c) = parse("x^2.5").unwrap().matcher else {
        panic!()
    };
    assert_eq!(c[0].1.boost, 2.5);
    assert_eq!(
        clauses("roam~"),
        [(Occur::Should, Matcher::Fuzzy("roam".into(), 2))]
    );
}

#[test]
fn fields_and_groups() {
    let q = parse("name:foo (a OR team:b) title:(c d)").unwrap();
    let Matcher::Bool(c) = q.matcher else {
        panic!()
    };
    assert_eq!(c[0].1.field.as_deref(), Some("name"));
    let Matcher::Bool(inner) = &c[1].1.matcher else {
        panic!()
    };
    assert_eq!(inner[0].1.field, None);
    assert_eq!(inner[1].1.field.as_deref(), Some("team"));
    let Matcher::Bool(group) = &c[2].1.matcher else {
        panic!()
    };
    assert!(
        group
            .iter()
            .all(|(_, q)| q.field.as_deref() == Some("title"))
    );
}

#[test]
fn hyphens_inside_words_and_escapes() {
    assert_eq!(clauses("nils-erik"), [(Occur::Should, term("nils-erik"))]);
    assert_eq!(
        clauses(r"a\:b \(c\)"),
        [(Occur::Should, term("a:b")), (Occur::Should, term("(c)"))]
    );
    assert_eq!(clauses(r"\AND"), [(Occur::Should, term("AND"))]);
}

#[test]
fn errors_name_the_character() {
    assert_eq!(error_at("").0, 1);
    assert_eq!(error_at("   ").0, 1);
    assert_eq!(
        error_at("AND truck"),
        (1, "`AND` needs a clause before it".into())
    );
    assert_eq!(error_at("truck AND").0, 10);
    assert_eq!(error_at("truck OR )").0, 10);
    assert_eq!(error_at("a \"heavy truck").0, 3);
    assert_eq!(error_at("a (b c").0, 3);
    assert_eq!(error_at("a b)").0, 4);
    assert_eq!(error_at("x [a TO b]").0, 3);
    assert_eq!(error_at("x /re/").0, 3);
    assert_eq!(error_at("truck^").0, 6);
    assert_eq!(error_at("truck~3").0, 6);
    assert_eq!(error_at(":x").0, 1);
    assert_eq!(error_at("a\\").0, 2);
    assert_eq!(error_at("\"a b\"~2").0, 6);
    assert!(error_at("ä ö (").1.contains("never closed"));
    assert_eq!(error_at("ä ö (").0, 5);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    let e = parse(&deep).unwrap_err();
    assert!(e.message.contains("nest deeper"), "{e}");
    let ok = format!("{}a{}", "(".repeat(10), ")".repeat(10));
    assert!(parse(&ok).is_ok());
}
