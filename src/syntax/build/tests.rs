//! Tests of the statement parser.

use std::time::{Duration, Instant};

use crate::error::Span;
use crate::syntax::ast::*;
use crate::syntax::parse_statement;
use crate::syntax::print::{print_expr, print_statement};

fn parse(text: &str) -> Statement {
    match parse_statement(text) {
        Ok(s) => s,
        Err(e) => panic!("{text:?} failed: {}", e.render("", text)),
    }
}

fn clauses(text: &str) -> Vec<ClauseKind> {
    parse(text)
        .query
        .first
        .clauses
        .into_iter()
        .map(|c| c.kind)
        .collect()
}

/// The expression of `RETURN <text>`.
fn ret(text: &str) -> Expr {
    let q = format!("RETURN {text}");
    match clauses(&q).into_iter().next() {
        Some(ClauseKind::Return(mut p)) => p.items.remove(0).expr,
        other => panic!("not a RETURN: {other:?}"),
    }
}

/// `RETURN <text>` printed back, to compare shapes compactly.
fn shape(text: &str) -> String {
    print_expr(&ret(text))
}

fn err(text: &str) -> crate::error::Error {
    match parse_statement(text) {
        Ok(s) => panic!("{text:?} parsed: {s:?}"),
        Err(e) => e,
    }
}

fn int(i: i64) -> ExprKind {
    ExprKind::Literal(Literal::Integer(i))
}

// ------------------------------------------------------------- clauses

#[test]
fn match_with_labels_properties_as_of_and_where() {
    let c = clauses(
        "OPTIONAL MATCH p = (a:L1:L2 {k: 1})-[r:T1|T2|:T3 *1..3 {w: 2}]->(b), (c) AS OF $t WHERE a.x > 1 RETURN a",
    );
    let ClauseKind::Match(m) = &c[0] else {
        panic!()
    };
    assert!(m.optional);
    assert_eq!(m.pattern.len(), 2);
    let part = &m.pattern[0];
    assert_eq!(part.variable.as_ref().map(|v| v.name.as_str()), Some("p"));
    let a = &part.element.start;
    assert_eq!(
        a.labels.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(),
        ["L1", "L2"]
    );
    assert!(matches!(
        a.properties.as_ref().map(|p| &p.kind),
        Some(ExprKind::Map(_))
    ));
    let (r, b) = &part.element.chain[0];
    assert_eq!(r.direction, Direction::Outgoing);
    assert_eq!(
        r.types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["T1", "T2", "T3"]
    );
    assert_eq!(
        r.length,
        Some(LengthRange {
            min: Some(1),
            max: Some(3)
        })
    );
    assert!(r.properties.is_some());
    assert_eq!(b.variable.as_ref().map(|v| v.name.as_str()), Some("b"));
    assert!(matches!(m.as_of.as_ref().map(|e| &e.kind), Some(ExprKind::Parameter(p)) if p == "t"));
    assert!(m.where_.is_some());
}

#[test]
fn relationship_directions_and_lengths() {
    let cases = [
        ("(a)-[]->(b)", Direction::Outgoing, None),
        ("(a)<-[]-(b)", Direction::Incoming, None),
        ("(a)-[]-(b)", Direction::Either, None),
        ("(a)<-->(b)", Direction::Either, None),
        ("(a)-->(b)", Direction::Outgoing, None),
        ("(a)--(b)", Direction::Either, None),
        ("(a)<--(b)", Direction::Incoming, None),
        ("(a)-[*]->(b)", Direction::Outgoing, Some((None, None))),
        (
            "(a)-[*2]->(b)",
            Direction::Outgoing,
            Some((Some(2), Some(2))),
        ),
        (
            "(a)-[*1..3]->(b)",
            Direction::Outgoing,
            Some((Some(1), Some(3))),
        ),
        (
            "(a)-[*..3]->(b)",
            Direction::Outgoing,
            Some((None, Some(3))),
        ),
        (
            "(a)-[*2..]->(b)",
            Direction::Outgoing,
            Some((Some(2), None)),
        ),
        ("(a)-[r:T*]-(b)", Direction::Either, Some((None, None))),
    ];
    for (pattern, dir, len) in cases {
        let c = clauses(&format!("MATCH {pattern} RETURN 1"));
        let ClauseKind::Match(m) = &c[0] else {
            panic!()
        };
        let r = &m.pattern[0].element.chain[0].0;
        assert_eq!(r.direction, dir, "{pattern}");
        assert_eq!(r.length.map(|l| (l.min, l.max)), len, "{pattern}");
    }
}

#[test]
fn shortest_path_selectors_and_parameter_properties() {
    let c = clauses(
        "MATCH p = SHORTESTPATH((a {name: $n})-[*]-(b)), q = allShortestPaths((a)-->(c)) RETURN p",
    );
    let ClauseKind::Match(m) = &c[0] else {
        panic!()
    };
    assert_eq!(m.pattern[0].selector, PathSelector::Shortest);
    assert_eq!(m.pattern[1].selector, PathSelector::AllShortest);
    assert!(matches!(
        m.pattern[0]
            .element
            .start
            .properties
            .as_ref()
            .map(|p| &p.kind),
        Some(ExprKind::Map(_))
    ));
    let c = clauses("MATCH (a $props)-[r $rp]->(b) RETURN a");
    let ClauseKind::Match(m) = &c[0] else {
        panic!()
    };
    assert!(matches!(
        m.pattern[0].element.start.properties.as_ref().map(|p| &p.kind),
        Some(ExprKind::Parameter(p)) if p == "props"
    ));
    assert!(m.pattern[0].element.chain[0].0.properties.is_some());
}

#[test]
fn projections() {
    let c = clauses(
        "MATCH (n) WITH DISTINCT *, n.x AS x ORDER BY x DESC, n.y ASCENDING SKIP 1 LIMIT 2 WHERE x > 0 RETURN x, count(*) AS c ORDER BY c DESCENDING",
    );
    let ClauseKind::With(w) = &c[1] else { panic!() };
    assert!(w.distinct && w.star);
    assert_eq!(w.items.len(), 1);
    assert_eq!(w.items[0].text, "n.x");
    assert_eq!(
        w.items[0].alias.as_ref().map(|a| a.name.as_str()),
        Some("x")
    );
    assert_eq!(w.order_by.len(), 2);
    assert!(w.order_by[0].descending && !w.order_by[1].descending);
    assert!(w.skip.is_some() && w.limit.is_some() && w.where_.is_some());
    let ClauseKind::Return(r) = &c[2] else {
        panic!()
    };
    assert_eq!(r.items[1].expr.kind, ExprKind::CountStar);
    assert!(r.order_by[0].descending);
}

#[test]
fn projection_text_is_the_trimmed_source() {
    let c = clauses("RETURN  a.b  +  1 /* c */ , `x` // end\n");
    let ClauseKind::Return(r) = &c[0] else {
        panic!()
    };
    assert_eq!(r.items[0].text, "a.b  +  1");
    assert_eq!(r.items[1].text, "`x`");
}

#[test]
fn unwind_create_delete_call() {
    let c = clauses(
        "UNWIND [1, 2] AS x CREATE (n:A {v: x})-[:R]->(m) DETACH DELETE n, m CALL db.labels() YIELD label",
    );
    assert!(matches!(&c[0], ClauseKind::Unwind { alias, .. } if alias.name == "x"));
    assert!(matches!(&c[1], ClauseKind::Create(p) if p[0].element.chain.len() == 1));
    assert!(matches!(&c[2], ClauseKind::Delete { detach: true, exprs } if exprs.len() == 2));
    let ClauseKind::Call(call) = &c[3] else {
        panic!("not a call: {:?}", c[3]);
    };
    assert_eq!(call.name.name, "db.labels");
    assert_eq!(call.args.as_deref().map(<[_]>::len), Some(0));
    assert!(matches!(&call.yields, Some(Yields::Items(items)) if items[0].field.name == "label"));
    let ClauseKind::Call(call) = &clauses("CALL `my`.proc")[0] else {
        panic!("not a call");
    };
    assert_eq!(call.name.name, "my.proc");
    assert!(call.args.is_none(), "no parentheses: implicit arguments");
    let ClauseKind::Call(call) =
        &clauses("SHOW BUILT IN FUNCTIONS YIELD name WHERE name = 'x' RETURN name")[0]
    else {
        panic!("not a call");
    };
    assert_eq!(call.show, Some(Show::Functions(FunctionFilter::BuiltIn)));
    assert!(call.where_.is_some());
}

#[test]
fn merge_actions_in_any_order() {
    let c = clauses(
        "MERGE (n:A {k: 1}) ON MATCH SET n.seen = n.seen + 1 ON CREATE SET n.seen = 1, n:New ON MATCH SET n += {x: 1}",
    );
    let ClauseKind::Merge(m) = &c[0] else {
        panic!()
    };
    assert_eq!(m.on_create.len(), 2);
    assert_eq!(m.on_match.len(), 2);
    assert!(matches!(&m.on_create[1], SetItem::Labels { labels, .. } if labels[0].name == "New"));
    assert!(matches!(&m.on_match[1], SetItem::Merge { .. }));
}

#[test]
fn set_and_remove_items() {
    let c = clauses(
        "MATCH (n) SET n.a = 1, (n).b = 2, n.c.d = 3, n = {x: 1}, n += $m, n:A:B REMOVE n.a, n:A:B",
    );
    let ClauseKind::Set(items) = &c[1] else {
        panic!()
    };
    assert!(matches!(&items[0], SetItem::Property { target, key, .. }
        if target.kind == ExprKind::Variable("n".into()) && key.name == "a"));
    assert!(matches!(&items[1], SetItem::Property { key, .. } if key.name == "b"));
    assert!(matches!(&items[2], SetItem::Property { target, key, .. }
        if matches!(target.kind, ExprKind::Property(..)) && key.name == "d"));
    assert!(matches!(&items[3], SetItem::Replace { .. }));
    assert!(matches!(&items[4], SetItem::Merge { .. }));
    assert!(matches!(&items[5], SetItem::Labels { labels, .. } if labels.len() == 2));
    let ClauseKind::Remove(items) = &c[2] else {
        panic!()
    };
    assert!(matches!(&items[0], RemoveItem::Property { key, .. } if key.name == "a"));
    assert!(matches!(&items[1], RemoveItem::Labels { labels, .. } if labels.len() == 2));
}

#[test]
fn set_requires_a_property() {
    let e = err("MATCH (n) SET n[0] = 1");
    assert_eq!(e.code, "UnexpectedSyntax");
    assert!(e.message.contains("property"), "{}", e.message);
}

#[test]
fn modes_unions_and_semicolon() {
    let s = parse("explain RETURN 1 AS x UNION ALL RETURN 2 AS x UNION RETURN 3 AS x;");
    assert_eq!(s.mode, StatementMode::Explain);
    assert_eq!(s.query.unions.len(), 2);
    assert!(s.query.unions[0].0 && !s.query.unions[1].0);
    assert_eq!(
        parse("PROFILE MATCH (n) RETURN n").mode,
        StatementMode::Profile
    );
    let text = "  RETURN 1 ; ";
    assert_eq!(parse(text).span, Span::new(2, 10));
}

#[test]
fn keywords_are_case_insensitive_and_allowed_as_keys_and_labels() {
    let c = clauses(
        "match (n:Match {return: 1, `a b`: 2})-[:WITH]->() where n.order = 1 return n.`the key` AS `a``b`",
    );
    let ClauseKind::Match(m) = &c[0] else {
        panic!()
    };
    assert_eq!(m.pattern[0].element.start.labels[0].name, "Match");
    let ClauseKind::Return(r) = &c[1] else {
        panic!()
    };
    assert!(matches!(&r.items[0].expr.kind, ExprKind::Property(_, k) if k.name == "the key"));
    assert_eq!(
        r.items[0].alias.as_ref().map(|a| a.name.as_str()),
        Some("a`b")
    );
    assert_eq!(err("MATCH (match) RETURN 1").code, "UnexpectedSyntax");
}

#[test]
fn comments_are_whitespace() {
    let c = clauses("MATCH /* a ; b */ (n) // comment\n RETURN n // trailing");
    assert_eq!(c.len(), 2);
}

// --------------------------------------------------------- expressions

#[test]
fn precedence() {
    assert_eq!(shape("1 + 2 * 3 ^ 2"), "1 + 2 * 3 ^ 2");
    assert_eq!(shape("(1 + 2) * 3"), "(1 + 2) * 3");
    assert_eq!(shape("a OR b XOR c AND NOT d"), "a OR b XOR c AND NOT d");
    assert!(matches!(
        ret("a OR b AND c").kind,
        ExprKind::Binary(BinaryOp::Or, ..)
    ));
    assert!(
        matches!(ret("NOT a = b").kind, ExprKind::Unary(UnaryOp::Not, ref x)
        if matches!(x.kind, ExprKind::Binary(BinaryOp::Eq, ..)))
    );
    // ^ is left-associative, unary minus binds tighter than ^.
    let e = ret("2 ^ 3 ^ 2");
    assert!(matches!(&e.kind, ExprKind::Binary(BinaryOp::Pow, l, _)
        if matches!(l.kind, ExprKind::Binary(BinaryOp::Pow, ..))));
    assert!(
        matches!(ret("-2 ^ 2").kind, ExprKind::Binary(BinaryOp::Pow, ref l, _)
        if matches!(l.kind, ExprKind::Unary(UnaryOp::Negate, _)))
    );
    // Predicates bind tighter than comparison, looser than +.
    let e = ret("a + 1 IN b = true");
    assert!(matches!(&e.kind, ExprKind::Binary(BinaryOp::Eq, l, _)
        if matches!(&l.kind, ExprKind::Binary(BinaryOp::In, x, _)
            if matches!(x.kind, ExprKind::Binary(BinaryOp::Add, ..)))));
    let e = ret("a STARTS WITH 'x' IS NULL");
    assert!(matches!(&e.kind, ExprKind::IsNull(x, false)
        if matches!(x.kind, ExprKind::Binary(BinaryOp::StartsWith, ..))));
    assert!(matches!(
        ret("a IS NOT nfkc NORMALIZED").kind,
        ExprKind::IsNormalized(_, Some(crate::syntax::ast::NormalForm::Nfkc), true)
    ));
    assert!(matches!(
        ret("a IS NORMALIZED").kind,
        ExprKind::IsNormalized(_, None, false)
    ));
    assert!(matches!(
        ret("a.b IS NOT NULL").kind,
        ExprKind::IsNull(_, true)
    ));
    assert!(matches!(
        ret("x =~ 'a.*'").kind,
        ExprKind::Binary(BinaryOp::Regex, ..)
    ));
    assert!(matches!(
        ret("x ENDS WITH 'a'").kind,
        ExprKind::Binary(BinaryOp::EndsWith, ..)
    ));
    assert!(matches!(
        ret("x CONTAINS 'a'").kind,
        ExprKind::Binary(BinaryOp::Contains, ..)
    ));
    assert_eq!(shape("1 - (2 - 3)"), "1 - (2 - 3)");
    assert_eq!(shape("1 - 2 - 3"), "1 - 2 - 3");
    assert_eq!(shape("10 % 3 / 2"), "10 % 3 / 2");
}

#[test]
fn chained_comparisons_become_conjunctions() {
    let e = ret("a < b <= c");
    let ExprKind::Binary(BinaryOp::And, l, r) = &e.kind else {
        panic!("{e:?}")
    };
    assert!(
        matches!(&l.kind, ExprKind::Binary(BinaryOp::Lt, _, b) if b.kind == ExprKind::Variable("b".into()))
    );
    assert!(
        matches!(&r.kind, ExprKind::Binary(BinaryOp::Le, b, _) if b.kind == ExprKind::Variable("b".into()))
    );
    assert_eq!(shape("1 = 2 <> 3 > 4"), "1 = 2 AND 2 <> 3 AND 3 > 4");
    assert_eq!(shape("(1 < 2) < 3"), "(1 < 2) < 3");
}

#[test]
fn postfix_operators() {
    let e = ret("n.a[0][1..][..2][1..2]:L:M");
    assert!(matches!(&e.kind, ExprKind::HasLabels(_, l) if l.len() == 2));
    assert_eq!(shape("n.a[0][1..][..2][1..2]"), "n.a[0][1..][..2][1..2]");
    assert_eq!(shape("(n).a"), "n.a");
    assert_eq!(shape("[1, 2][0]"), "[1, 2][0]");
    assert!(matches!(ret("n:Person").kind, ExprKind::HasLabels(..)));
    assert!(matches!(
        ret("x[1..2]").kind,
        ExprKind::Slice(_, Some(_), Some(_))
    ));
}

#[test]
fn integers_hex_octal_and_overflow() {
    assert_eq!(ret("0x1F").kind, int(31));
    assert_eq!(ret("0o17").kind, int(15));
    assert_eq!(ret("017").kind, int(15));
    assert_eq!(ret("0").kind, int(0));
    assert_eq!(ret("9223372036854775807").kind, int(i64::MAX));
    assert_eq!(ret("-9223372036854775808").kind, int(i64::MIN));
    assert_eq!(ret("-0o1000000000000000000000").kind, int(i64::MIN));
    assert_eq!(ret("-0x8000000000000000").kind, int(i64::MIN));
    assert!(matches!(
        ret("-1").kind,
        ExprKind::Unary(UnaryOp::Negate, _)
    ));
    let e = err("RETURN 9223372036854775808");
    assert_eq!(
        (e.code, e.span),
        ("IntegerOverflow", Some(Span::new(7, 26)))
    );
    assert_eq!(
        err("RETURN 0o1000000000000000000000").code,
        "IntegerOverflow"
    );
    assert_eq!(
        err("RETURN -0o1000000000000000000001").code,
        "IntegerOverflow"
    );
    assert_eq!(
        err("RETURN 99999999999999999999999").code,
        "IntegerOverflow"
    );
    assert_eq!(err("RETURN -(9223372036854775808)").code, "IntegerOverflow");
    assert_eq!(err("RETURN 0x1G").code, "InvalidNumberLiteral");
    assert_eq!(err("RETURN 0x").code, "InvalidNumberLiteral");
    assert_eq!(err("RETURN 1e").code, "InvalidNumberLiteral");
    assert_eq!(err("RETURN 12abc").code, "InvalidNumberLiteral");
    assert_eq!(err("RETURN 09").code, "InvalidNumberLiteral");
    assert_eq!(
        err("MATCH (a)-[*99999999999999999999]->(b) RETURN a").code,
        "IntegerOverflow"
    );
}

#[test]
fn floats() {
    let f = |t: &str| match ret(t).kind {
        ExprKind::Literal(Literal::Float(f)) => f,
        other => panic!("{t}: {other:?}"),
    };
    assert_eq!(f("1.5"), 1.5);
    assert_eq!(f(".5"), 0.5);
    assert_eq!(f("1e10"), 1e10);
    assert_eq!(f("1.5e-3"), 1.5e-3);
    assert_eq!(f("2E-01"), 0.2);
    assert_eq!(f(".1e9"), 1e8);
    assert_eq!(err("RETURN 1.34E999").code, "FloatingPointOverflow");
    assert_eq!(err("RETURN 1e999").code, "FloatingPointOverflow");
}

#[test]
fn strings_and_escapes() {
    let s = |t: &str| match ret(t).kind {
        ExprKind::Literal(Literal::String(s)) => s,
        other => panic!("{t}: {other:?}"),
    };
    assert_eq!(s(r#"'a\\b\'c\"d'"#), "a\\b'c\"d");
    assert_eq!(s(r#""\b\f\n\r\t""#), "\u{8}\u{c}\n\r\t");
    assert_eq!(s(r"'\u01FF\U0001F600'"), "\u{1FF}\u{1F600}");
    assert_eq!(s(r#""it's""#), "it's");
    assert_eq!(s("'🧐🍌'"), "🧐🍌");
    let e = err(r"RETURN '\uH'");
    assert_eq!(
        (e.code, e.span.map(|s| s.start)),
        ("InvalidUnicodeLiteral", Some(8))
    );
    assert_eq!(err(r"RETURN '\uD800'").code, "InvalidUnicodeLiteral");
    let e = err(r"RETURN 'ab\q'");
    assert_eq!(
        (e.code, e.span),
        ("UnexpectedSyntax", Some(Span::new(10, 12)))
    );
    assert!(e.message.contains("escape"));
}

#[test]
fn booleans_null_and_parameters() {
    assert_eq!(ret("TRUE").kind, ExprKind::Literal(Literal::Bool(true)));
    assert_eq!(ret("False").kind, ExprKind::Literal(Literal::Bool(false)));
    assert_eq!(ret("NULL").kind, ExprKind::Literal(Literal::Null));
    assert_eq!(ret("$name").kind, ExprKind::Parameter("name".into()));
    assert_eq!(ret("$0").kind, ExprKind::Parameter("0".into()));
    assert_eq!(ret("$`a b`").kind, ExprKind::Parameter("a b".into()));
    assert_eq!(ret("truex").kind, ExprKind::Variable("truex".into()));
}

#[test]
fn lists_maps_and_functions() {
    assert!(matches!(ret("[1, 'a', [2]]").kind, ExprKind::List(ref v) if v.len() == 3));
    assert!(matches!(ret("[]").kind, ExprKind::List(ref v) if v.is_empty()));
    let e = ret("{a: 1, `b c`: 2, match: 3}");
    let ExprKind::Map(entries) = &e.kind else {
        panic!()
    };
    assert_eq!(
        entries
            .iter()
            .map(|(k, _)| k.name.as_str())
            .collect::<Vec<_>>(),
        ["a", "b c", "match"]
    );
    let e = ret("date.truncate('day', x)");
    assert!(
        matches!(&e.kind, ExprKind::Function { name, args, distinct: false } if name.name == "date.truncate" && args.len() == 2)
    );
    assert!(matches!(
        ret("count(DISTINCT x)").kind,
        ExprKind::Function { distinct: true, .. }
    ));
    assert_eq!(ret("COUNT( * )").kind, ExprKind::CountStar);
    assert!(
        matches!(ret("exists(n.prop)").kind, ExprKind::Function { ref name, .. } if name.name == "exists")
    );
    assert!(matches!(ret("rand()").kind, ExprKind::Function { ref args, .. } if args.is_empty()));
}

#[test]
fn case_forms() {
    let e = ret("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END");
    assert!(
        matches!(&e.kind, ExprKind::Case { operand: Some(_), alternatives, default: Some(_) } if alternatives.len() == 2)
    );
    let e = ret("case when x > 1 then 1 end");
    assert!(
        matches!(&e.kind, ExprKind::Case { operand: None, alternatives, default: None } if alternatives.len() == 1)
    );
}

#[test]
fn comprehensions_quantifiers_and_reduce() {
    let e = ret("[x IN l WHERE x > 1 | x * 2]");
    assert!(matches!(
        &e.kind,
        ExprKind::ListComprehension {
            predicate: Some(_),
            projection: Some(_),
            ..
        }
    ));
    assert!(matches!(
        ret("[x IN l]").kind,
        ExprKind::ListComprehension {
            predicate: None,
            projection: None,
            ..
        }
    ));
    assert!(matches!(
        ret("[x IN l | x.name]").kind,
        ExprKind::ListComprehension {
            predicate: None,
            projection: Some(_),
            ..
        }
    ));
    let e = ret("[p = (a)-[:T]->(b:B) WHERE b.x > 1 | b.name]");
    assert!(matches!(
        &e.kind,
        ExprKind::PatternComprehension {
            variable: Some(_),
            predicate: Some(_),
            ..
        }
    ));
    assert!(matches!(
        ret("[(a)-->(b) | b]").kind,
        ExprKind::PatternComprehension { variable: None, .. }
    ));
    assert!(
        matches!(&ret("[(a)-->(b)]").kind, ExprKind::List(v) if matches!(v[0].kind, ExprKind::Pattern(_)))
    );
    for (q, want) in [
        ("all", Quantifier::All),
        ("ANY", Quantifier::Any),
        ("none", Quantifier::None),
        ("single", Quantifier::Single),
    ] {
        let e = ret(&format!("{q}(x IN [1, 2] WHERE x > 1)"));
        assert!(
            matches!(e.kind, ExprKind::Quantified { quantifier, .. } if quantifier == want),
            "{q}"
        );
    }
    assert!(matches!(ret("any(x)").kind, ExprKind::Function { .. }));
    let e = ret("reduce(acc = 0, x IN [1, 2] | acc + x)");
    assert!(
        matches!(&e.kind, ExprKind::Reduce { accumulator, variable, .. } if accumulator.name == "acc" && variable.name == "x")
    );
}

#[test]
fn patterns_and_exists_in_expressions() {
    let c = clauses("MATCH (a) WHERE (a)-[:T]->() AND NOT (a)<--(:B) RETURN a");
    let ClauseKind::Match(m) = &c[0] else {
        panic!()
    };
    let Some(ExprKind::Binary(BinaryOp::And, l, _)) = m.where_.as_ref().map(|w| &w.kind) else {
        panic!()
    };
    assert!(matches!(&l.kind, ExprKind::Pattern(p) if p.chain.len() == 1));
    let e = ret("EXISTS { (a)-->(b) WHERE b.x = 1 }");
    assert!(matches!(&e.kind, ExprKind::Exists(x) if x.pattern.len() == 1 && x.where_.is_some()));
    let e = ret("exists { MATCH (a)-->(b), (b)-->(c) }");
    assert!(matches!(&e.kind, ExprKind::Exists(x) if x.pattern.len() == 2 && x.where_.is_none()));
    // A parenthesized expression is not a pattern.
    assert_eq!(ret("(a)").kind, ExprKind::Variable("a".into()));
    assert!(matches!(
        ret("(a) - 1").kind,
        ExprKind::Binary(BinaryOp::Sub, ..)
    ));
    assert!(matches!(
        ret("(a) < -1").kind,
        ExprKind::Binary(BinaryOp::Lt, ..)
    ));
    assert!(matches!(ret("({a: 1}).a").kind, ExprKind::Property(..)));
}

#[test]
fn spans_cover_the_source() {
    let text = "MATCH (n:A)-[r]->(m) WHERE n.x + 1 > 2 RETURN n.x AS y";
    let s = parse(text);
    let ClauseKind::Match(m) = &s.query.first.clauses[0].kind else {
        panic!()
    };
    let at = |sp: Span| &text[sp.start..sp.end];
    assert_eq!(
        at(s.query.first.clauses[0].span),
        "MATCH (n:A)-[r]->(m) WHERE n.x + 1 > 2"
    );
    assert_eq!(at(m.pattern[0].element.start.span), "(n:A)");
    assert_eq!(at(m.pattern[0].element.chain[0].0.span), "-[r]->");
    let w = m.where_.as_ref().unwrap();
    assert_eq!(at(w.span), "n.x + 1 > 2");
    let ExprKind::Binary(_, l, _) = &w.kind else {
        panic!()
    };
    assert_eq!(at(l.span), "n.x + 1");
    assert_eq!(at(s.span), text);
    assert_eq!(ret("-9223372036854775808").span, Span::new(7, 27));
}

// -------------------------------------------------------------- errors

#[test]
fn errors_are_worded_and_positioned() {
    let e = err("MATCH (a RETURN a");
    assert_eq!(e.code, "UnexpectedSyntax");
    assert_eq!(e.span, Some(Span::new(9, 15)));
    assert!(e.message.contains("`)`"), "{}", e.message);
    assert!(e.message.contains("found `RETURN`"), "{}", e.message);

    let e = err("RETURN 1 +");
    assert_eq!(e.span, Some(Span::new(10, 10)));
    assert!(
        e.message.starts_with("expected an expression"),
        "{}",
        e.message
    );
    assert!(
        e.message.ends_with("found the end of the input"),
        "{}",
        e.message
    );

    let e = err("MATCH (a)-[r]-> RETURN a");
    assert_eq!(e.message, "expected `(`, found `RETURN`");
    assert_eq!(e.span, Some(Span::new(16, 22)));

    let e = err("MATCH (a RETURN a");
    assert_eq!(
        e.message,
        "expected a map such as `{key: value}`, `)` or `:`, found `RETURN`"
    );

    let e = err("MATCH (n) RETRN n");
    assert!(e.message.contains("a clause"), "{}", e.message);
    assert_eq!(e.span, Some(Span::new(10, 15)));

    let e = err("RETURN [1, 2");
    assert!(e.message.contains("`]`"), "{}", e.message);

    for text in [
        "RETURN [, ] AS literal",
        "RETURN [[[]] AS literal",
        "RETURN {1} AS literal",
        "RETURN {k1#k: 1}",
        "RETURN {, }",
        "RETURN {k: {k: {}} AS literal",
        "RETURN {1B2c3e67:1}",
        "MATCH (a)-[:LIKES..]->(c) RETURN c",
        "MATCH (a)-[:LIKES*-2]->(c) RETURN c",
        "",
        "RETURN",
        "RETURN 1 2",
        "MATCH (n) RETURN n.",
        "RETURN a.b(",
    ] {
        let e = err(text);
        assert_eq!(e.class, crate::error::ErrorClass::SyntaxError, "{text}");
        assert!(
            !e.message.contains("_"),
            "raw rule name in {:?}: {}",
            text,
            e.message
        );
        assert!(e.span.is_some(), "{text}");
    }
}

#[test]
fn unterminated_input_is_reported_at_its_start() {
    let e = err("RETURN 'abc");
    assert_eq!(e.span, Some(Span::new(7, 8)));
    assert!(err("RETURN 1 /* comment").message.contains("comment"));
}

// ------------------------------------------------------- resource bounds

/// Runs `f` on a thread with the default 2 MiB test stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("spawn");
    handle.join().expect("thread panicked")
}

#[test]
fn unclosed_parentheses_fail_fast() {
    for open in [
        "(",
        "[",
        "{a: ",
        "({a: ",
        "[x IN ",
        "all(x IN ",
        "f(",
        "[(a)-->(b {k: ",
    ] {
        let text = format!("RETURN {}", open.repeat(30));
        let start = Instant::now();
        let e = on_small_stack(move || parse_statement(&text).map(|_| ()));
        assert!(e.is_err());
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{open:?} took {:?}",
            start.elapsed()
        );
    }
    let text = format!("MATCH {} RETURN 1", "(".repeat(30));
    assert!(on_small_stack(move || parse_statement(&text).is_err()));
}

#[test]
fn deepest_allowed_nesting_parses_on_a_small_stack() {
    let n = crate::syntax::MAX_NESTING;
    for (open, close) in [
        ("(", ")"),
        ("[", "]"),
        ("{a: ", "}"),
        ("f(", ")"),
        ("[x IN ", "]"),
    ] {
        let text = format!("RETURN {}1{}", open.repeat(n), close.repeat(n));
        let ok = on_small_stack(move || parse_statement(&text).is_ok());
        assert!(ok, "{open:?}");
    }
    let text = format!("RETURN {}{}1", "NOT ".repeat(100), "- ".repeat(100));
    assert!(on_small_stack(move || parse_statement(&text).is_ok()));
    let text = format!("RETURN {}", "(".repeat(n + 1));
    assert_eq!(err(&text).code, "NestingTooDeep");
}

/// Takes a left-deep chain apart without recursion, returning its depth.
fn dismantle(mut e: Expr) -> usize {
    let mut depth = 0;
    loop {
        match e.kind {
            ExprKind::Binary(_, l, _) => {
                e = *l;
                depth += 1;
            }
            _ => return depth,
        }
    }
}

#[test]
fn long_flat_chains_do_not_recurse() {
    for (op, terms) in [(" + ", 3_000), (" AND ", 3_000), (" < ", 1_000)] {
        let text = format!("RETURN 1{}", format!("{op}1").repeat(terms - 1));
        let depth = on_small_stack(move || {
            let stmt = parse_statement(&text).map_err(|e| e.message)?;
            let Some(Clause {
                kind: ClauseKind::Return(mut p),
                ..
            }) = stmt.query.first.clauses.into_iter().next()
            else {
                return Err("no RETURN".to_string());
            };
            Ok::<_, String>(dismantle(p.items.remove(0).expr))
        });
        assert_eq!(depth, Ok(terms - 1), "{op}");
    }
}

#[test]
fn chains_past_the_depth_limit_are_refused_before_they_are_built() {
    for op in [" + ", " AND ", " < ", " OR "] {
        let text = format!("RETURN 1{}", format!("{op}1").repeat(10_000));
        let code = on_small_stack(move || parse_statement(&text).map(|_| ()).map_err(|e| e.code));
        assert_eq!(code, Err("ExpressionTooDeep"), "{op}");
    }
}

// ------------------------------------------------------ print fixpoint

const STATEMENTS: &[&str] = &[
    "MATCH (n) RETURN n",
    "OPTIONAL MATCH (a:Person {name: 'Ann'})-[r:KNOWS|LIKES*1..3]->(b) WHERE b.age > 30 RETURN a, b",
    "MATCH p = shortestPath((a)-[*..5]-(b)) RETURN length(p) AS len",
    "MATCH p = allShortestPaths((a)<-[:R*2..]-(b)) RETURN p",
    "MATCH (a)<--(b)--(c)-->(d)<-->(e) RETURN *",
    "MATCH (n) AS OF datetime('2025-01-01') WHERE n.x = 1 RETURN n",
    "UNWIND [1, 2, 3] AS x WITH x WHERE x > 1 RETURN x ORDER BY x DESC SKIP 1 LIMIT 1",
    "WITH DISTINCT *, 1 AS a ORDER BY a, a DESC LIMIT 3 WHERE a = 1 RETURN DISTINCT a",
    "CREATE (a:A:B {k: 1, `weird key`: [1, 2.5, 'x']})-[:T {w: $w}]->(b)",
    "MERGE (n:N {id: 1}) ON CREATE SET n.c = 1, n:New ON MATCH SET n.m = n.m + 1",
    "MATCH (n) SET n.a = 1, (n).b = 2, n = {x: 1}, n += $props, n:A:B",
    "MATCH (n) REMOVE n.a, n:A:B DETACH DELETE n",
    "MATCH (n) DELETE n",
    "CALL db.labels()",
    "RETURN 1 AS x UNION ALL RETURN 2 AS x UNION RETURN 3 AS x",
    "EXPLAIN MATCH (n) RETURN n",
    "PROFILE RETURN 1",
    "RETURN 1 + 2 * 3 - 4 / 5 % 6 ^ 7 ^ 8",
    "RETURN (1 + 2) * (3 - 4), -(-1), - -1, +1, -x ^ 2",
    "RETURN a OR b XOR c AND NOT d, NOT NOT e, (a OR b) AND c",
    "RETURN a < b < c, (a < b) < c, a = b <> c",
    "RETURN x IN [1, 2], (x IN y) IN z, a STARTS WITH 'a' ENDS WITH 'b', s CONTAINS 'c', s =~ '.*'",
    "RETURN a IS NULL, a.b IS NOT NULL, (a IS NULL) IS NULL, a + 1 IS NULL",
    "RETURN a IS NORMALIZED, a IS NOT nfkd NORMALIZED, NOT (a + 'x' IS NFC NORMALIZED) = true, normalize(a, NFD)",
    "RETURN n.a.b[0][1..2][..3][4..], n:A:B, (n:A).x, (a + b).c",
    "RETURN 0x1F, 0o17, -9223372036854775808, 9223372036854775807, 1.5, .5, 1e10, 1.5e-3",
    "RETURN 'a\\'b\\\\c\\n\\t', \"dq\", '\\u00e9\\U0001F600'",
    "RETURN true, FALSE, null, $p, $0, $`odd name`",
    "RETURN [1, [2, [3]]], {}, {a: {b: [1]}}, {match: 1, `a b`: 2}",
    "RETURN count(*), count(DISTINCT x), date.truncate('day', d), exists(n.p), rand()",
    "RETURN CASE x WHEN 1 THEN 'a' ELSE 'b' END, CASE WHEN a THEN b END",
    "RETURN [x IN l WHERE x > 1 | x * 2], [x IN l], [x IN l | x], [x IN l WHERE x]",
    "RETURN [p = (a)-->(b) WHERE b.x | b.y], [(a)-[:T]->(b) | b], [(a)-->(b)]",
    "RETURN all(x IN l WHERE x > 0), any(x IN l WHERE x), none(x IN l WHERE x), single(x IN l WHERE x)",
    "RETURN reduce(acc = 0, x IN [1, 2] | acc + x) AS total",
    "MATCH (a) WHERE (a)-[:T]->() AND NOT (a)<-[:U {k: 1}]-(:B) RETURN a",
    "MATCH (a) WHERE EXISTS { (a)-->(b) WHERE b.x = 1 } OR exists { MATCH (a)--(c), (c)--(d) } RETURN a",
    "MATCH (`weird var`:`Weird Label`) RETURN `weird var`.`prop` AS `the col`, `match`",
    "match (n) where n.x > 1 return n.x as x order by x descending",
    "MATCH (n) WITH n, count(*) AS c WHERE c > 1 RETURN n.name, c ORDER BY c DESC, n.name",
    "RETURN [((a)-->(b)), 1], -0.0, 1e300, 2 ^ -1, [1, 2][-1]",
    "MATCH (a {k: [x IN [1] | {v: x}]})-[r *0..1]-(b) RETURN r",
    "RETURN CASE WHEN NOT a THEN -1 ELSE + 2 END + 1",
];

#[test]
fn print_parse_fixpoint() {
    for text in STATEMENTS {
        let first = print_statement(&parse(text));
        let reparsed = parse_statement(&first)
            .unwrap_or_else(|e| panic!("{text:?} printed as {first:?}: {}", e.render("", &first)));
        let second = print_statement(&reparsed);
        assert_eq!(first, second, "{text}");
    }
}

#[test]
fn printing_preserves_the_ast_shape() {
    // Compare the ASTs themselves with spans and column texts blanked.
    for text in STATEMENTS {
        let original = parse(text);
        let reparsed = parse(&print_statement(&original));
        assert_eq!(
            format!("{:?}", without_spans(&original)),
            format!("{:?}", without_spans(&reparsed)),
            "{text}"
        );
    }
}

/// The Debug text of a statement with spans and projection texts erased.
fn without_spans(s: &Statement) -> String {
    let debug = format!("{s:?}");
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug.as_str();
    while let Some(i) = rest.find("span: Span {") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find('}').map_or(after.len(), |e| e + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    let mut cleaned = String::new();
    let mut rest = out.as_str();
    while let Some(i) = rest.find("text: \"") {
        cleaned.push_str(&rest[..i]);
        let after = &rest[i + 7..];
        let mut end = 0;
        let bytes = after.as_bytes();
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    cleaned.push_str(rest);
    cleaned
}

#[test]
fn no_panics_on_truncated_or_damaged_input() {
    for text in STATEMENTS {
        let cuts: Vec<usize> = (0..=text.len())
            .filter(|i| text.is_char_boundary(*i))
            .collect();
        for &i in &cuts {
            let _ = parse_statement(&text[..i]);
            let mut damaged = text.to_string();
            if let Some(c) = damaged[i..].chars().next() {
                damaged.replace_range(i..i + c.len_utf8(), "");
                let _ = parse_statement(&damaged);
                for extra in ["(", "'", "-", "`", ".."] {
                    let mut inserted = text.to_string();
                    inserted.insert_str(i, extra);
                    let _ = parse_statement(&inserted);
                }
            }
        }
    }
}

#[test]
fn label_expressions_parse_and_print_back() {
    let text = "MATCH (n:(A|B)&!C)-[r:!T|%]->(m:%) WHERE n:A|B AND m:!X RETURN [x IN [n] WHERE x:A | x.name] AS l";
    let first = parse_statement(text).unwrap();
    let printed = print_statement(&first);
    let again = parse_statement(&printed).unwrap();
    assert_eq!(print_statement(&again), printed);
    let ClauseKind::Match(m) = &first.query.first.clauses[0].kind else {
        panic!("not a match");
    };
    let start = &m.pattern[0].element.start;
    assert!(start.labels.is_empty());
    assert!(matches!(&start.label_expr, Some(LabelExpr::And(items)) if items.len() == 2));
    let rel = &m.pattern[0].element.chain[0].0;
    assert!(rel.types.is_empty());
    assert!(matches!(&rel.type_expr, Some(LabelExpr::Or(items)) if items.len() == 2));
    // Plain forms keep their simple shape.
    let simple = parse_statement("MATCH (n:A:B)-[:T|:U]->(m:C&D) RETURN n").unwrap();
    let ClauseKind::Match(m) = &simple.query.first.clauses[0].kind else {
        panic!("not a match");
    };
    assert_eq!(m.pattern[0].element.start.labels.len(), 2);
    assert_eq!(m.pattern[0].element.chain[0].0.types.len(), 2);
    assert_eq!(m.pattern[0].element.chain[0].1.labels.len(), 2);
}
