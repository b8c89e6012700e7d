//! Tests of the function table itself; each family tests its functions
//! in its own module.

use std::collections::HashSet;

use super::*;

#[test]
fn names_are_unique_canonical_and_documented() {
    let mut names = HashSet::new();
    for f in all() {
        assert!(names.insert(f.name), "duplicate function {}", f.name);
        assert_eq!(
            f.name,
            f.name.to_lowercase(),
            "{} is not lower-case",
            f.name
        );
        assert!(f.min_args <= f.max_args, "{}", f.name);
        assert!(
            !f.summary.is_empty() && f.summary.ends_with('.'),
            "{}",
            f.name
        );
        assert!(
            f.example.starts_with("RETURN") || f.example.starts_with("MATCH"),
            "{}",
            f.name
        );
        let shown = f.example.to_lowercase();
        assert!(
            shown.contains(&format!("{}(", f.name)),
            "example of {} does not call it",
            f.name
        );
    }
}

#[test]
fn every_requested_function_is_present() {
    let expected = [
        "id",
        "labels",
        "type",
        "keys",
        "properties",
        "startnode",
        "endnode",
        "size",
        "length",
        "nodes",
        "relationships",
        "head",
        "last",
        "tail",
        "range",
        "reverse",
        "coalesce",
        "tointeger",
        "tofloat",
        "tostring",
        "toboolean",
        "tostringornull",
        "tointegerornull",
        "tofloatornull",
        "tobooleanornull",
        "tolower",
        "toupper",
        "trim",
        "ltrim",
        "rtrim",
        "substring",
        "left",
        "right",
        "replace",
        "split",
        "abs",
        "ceil",
        "floor",
        "round",
        "sign",
        "sqrt",
        "exp",
        "log",
        "log10",
        "e",
        "pi",
        "sin",
        "cos",
        "tan",
        "asin",
        "acos",
        "atan",
        "atan2",
        "degrees",
        "radians",
        "rand",
        "isnan",
        "date",
        "localdatetime",
        "datetime",
        "duration",
    ];
    for name in expected {
        assert!(lookup(name).is_some(), "{name} is missing");
    }
    // Neither aggregates nor `exists` are scalar functions.
    for name in ["count", "sum", "collect", "exists"] {
        assert!(
            lookup(name).is_none(),
            "{name} should not be a scalar function"
        );
    }
}

#[test]
fn lookup_ignores_case() {
    assert_eq!(lookup("toInteger").map(|f| f.name), Some("tointeger"));
    assert_eq!(lookup("TOUPPER").map(|f| f.name), Some("toupper"));
    assert_eq!(
        lookup("Date.Truncate").map(|f| f.name),
        Some("date.truncate")
    );
    assert!(lookup("nosuchfunction").is_none());
    assert!(lookup("").is_none());
}

#[test]
fn arity_is_checked_by_invoke() {
    let graph = Graph::new();
    let Some(substring) = lookup("substring") else {
        panic!("substring missing")
    };
    assert!(
        substring.accepts(2)
            && substring.accepts(3)
            && !substring.accepts(1)
            && !substring.accepts(4)
    );
    let err = substring.invoke(&[Value::from("a")], &graph).unwrap_err();
    assert_eq!(
        (err.class, err.code),
        (ErrorClass::SyntaxError, "InvalidNumberOfArguments")
    );
    assert!(err.message.contains("2 to 3"), "{}", err.message);
    let Some(pi) = lookup("pi") else {
        panic!("pi missing")
    };
    assert!(
        pi.invoke(&[Value::Int(1)], &graph)
            .unwrap_err()
            .message
            .contains("takes 0")
    );
    let Some(coalesce) = lookup("coalesce") else {
        panic!("coalesce missing")
    };
    assert!(coalesce.accepts(100));
    assert!(
        coalesce
            .check_arity(0)
            .unwrap_err()
            .message
            .contains("at least 1")
    );
}

#[test]
fn calls_without_the_arity_check_never_panic() {
    // The planner may call `call` directly; missing arguments act as null.
    let graph = Graph::new();
    for f in all() {
        let _ = (f.call)(&[], &graph);
        let _ = (f.call)(&[Value::Null], &graph);
    }
}

#[test]
fn null_in_gives_null_out() {
    let graph = Graph::new();
    let exempt = [
        "e",
        "pi",
        "rand",
        "coalesce",
        "date",
        "localdatetime",
        "datetime",
        // Neo4j 5: no arguments, or a value for null (`valueType(null)` is 'NULL').
        "randomuuid",
        "timestamp",
        "valuetype",
    ];
    for f in all().iter().filter(|f| !exempt.contains(&f.name)) {
        let args = vec![Value::Null; f.min_args.max(1)];
        assert_eq!(
            f.invoke(&args, &graph).unwrap(),
            Value::Null,
            "{}(null, …)",
            f.name
        );
    }
}
