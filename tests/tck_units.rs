//! Unit tests of the TCK runner's parsers and comparison (the runner itself
//! is a `harness = false` target, so its `#[cfg(test)]` modules run here).
#![allow(dead_code)]

#[path = "tck/gherkin.rs"]
mod gherkin;
#[path = "tck/values.rs"]
mod values;

mod gherkin_tests {
    use super::gherkin::*;

    #[test]
    fn rows_unescape_pipes_and_backslashes() {
        assert_eq!(
            split_row(r"| 'a\|b' | '\\\\' |  x  |"),
            vec!["'a|b'", r"'\\'", "x"]
        );
    }

    #[test]
    fn outlines_expand_placeholders() {
        let text = "Feature: F\n  Scenario Outline: [1] <x> case\n    When executing query:\n      \"\"\"\n      RETURN <x> AS v\n      \"\"\"\n    Then the result should be, in any order:\n      | v |\n      | <x> |\n\n    Examples:\n      | x |\n      | 1 |\n      | 2 |\n";
        let f = parse(text).unwrap();
        let r = f.runnables();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].name, "[1] <x> case");
        assert_eq!(r[1].example, Some(2));
        assert_eq!(r[1].steps[0].doc.as_deref(), Some("RETURN 2 AS v"));
        assert_eq!(r[1].steps[1].table.as_ref().unwrap()[1], vec!["2"]);
    }
}

mod values_tests {
    use super::values::*;

    fn p(s: &str) -> TVal {
        parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn scalars() {
        assert!(matches!(p("null"), TVal::Null));
        assert!(matches!(p("-12"), TVal::Int(-12)));
        assert!(matches!(p("1.0"), TVal::Float(x) if x == 1.0));
        assert!(matches!(p("-0.0"), TVal::Float(x) if x == 0.0 && x.is_sign_negative()));
        assert!(matches!(p("1e308"), TVal::Float(x) if x == 1e308));
        assert!(matches!(p("-Inf"), TVal::Float(x) if x == f64::NEG_INFINITY));
        assert_eq!(p("NaN"), TVal::Float(f64::NAN));
        assert_ne!(p("1"), p("1.0"));
        assert!(matches!(p(r"'a\'b\\c'"), TVal::Str(s) if s == r"a'b\c"));
        assert!(parse("nope").is_err());
        assert!(parse("1 2").is_err());
    }

    #[test]
    fn structures_round_trip() {
        for text in [
            "[1, 'a', [], {}]",
            "{a: 1, b: [true, null]}",
            "(:A:B {name: 'x'})",
            "()",
            "[:T {k: 1}]",
            "<(:A)-[:T]->(:B)<-[:S {w: 2.5}]-()>",
            "<()>",
        ] {
            assert_eq!(p(text).to_string(), text);
        }
    }

    #[test]
    fn labels_compare_as_sets_and_lists_by_order() {
        assert_eq!(p("(:A:B)"), p("(:B:A)"));
        assert_ne!(p("[1, 2]"), p("[2, 1]"));
        assert!(equal(&p("[1, [2, 3]]"), &p("[[3, 2], 1]"), true));
        assert!(!equal(&p("[1, 1, 2]"), &p("[1, 2, 2]"), true));
        assert_ne!(p("<(:A)-[:T]->(:B)>"), p("<(:A)<-[:T]-(:B)>"));
    }
}
