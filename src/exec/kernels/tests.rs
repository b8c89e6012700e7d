//! The kernels against the row evaluator: random graphs (typed, absent and
//! mixed columns, several tables) and random predicates, compared row by
//! row, errors included.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use proptest::prelude::*;

use super::{Predicate, SlotFilter};
use crate::exec::eval::{eval, truth};
use crate::exec::{Ctx, Limits};
use crate::graph::{Graph, KeyId};
use crate::plan::Expr;
use crate::plan::expr::{CmpOp, StrOp};
use crate::value::{Date, Value};

/// Property keys of the test graphs: `i` ints, `f` floats, `b` booleans,
/// `s` strings, `m` a mix of everything, `z` never set, `d` dates, `t`
/// local date-times.
const KEYS: [&str; 8] = ["i", "f", "b", "s", "m", "z", "d", "t"];

fn s(text: &str) -> Value {
    Value::String(Arc::from(text))
}

fn int() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-3i64..4).prop_map(Value::Int),
        prop::sample::select(vec![i64::MIN, i64::MAX, 1 << 53, (1 << 53) + 1]).prop_map(Value::Int),
    ]
}

fn float() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        0.0,
        0.5,
        1.0,
        -2.0,
        9_007_199_254_740_992.0,
        9.223_372_036_854_776e18,
    ])
    .prop_map(Value::Float)
}

fn string() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        "", "a", "ab", "b", "Sino", "Sinotruk", "truk", "é", "Z",
    ])
    .prop_map(s)
}

fn date() -> impl Strategy<Value = Value> {
    (1i32..4).prop_map(|d| Value::Date(Date::from_ymd_opt(2024, 1, d as u32).unwrap()))
}

fn local_datetime() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u32..3).prop_map(|h| Value::LocalDateTime(
            Date::from_ymd_opt(2024, 1, 2)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        )),
        // Outside the nanosecond range of the typed column.
        Just(Value::LocalDateTime(
            Date::from_ymd_opt(1500, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        )),
    ]
}

fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        int(),
        float(),
        string(),
        any::<bool>().prop_map(Value::Bool),
        date(),
        local_datetime()
    ]
    .boxed()
}

/// A constant operand: any scalar, null, or a short list.
fn constant() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => scalar(),
        1 => Just(Value::Null),
        1 => prop::collection::vec(prop_oneof![4 => scalar(), 1 => Just(Value::Null)], 0..3)
            .prop_map(|v| Value::List(v.into())),
    ]
    .boxed()
}

/// The properties of one node: each typed key set or absent, `m` mixed.
fn node_props() -> impl Strategy<Value = (bool, Vec<Option<Value>>)> {
    (
        any::<bool>(),
        (
            prop::option::weighted(0.8, int()),
            prop::option::weighted(0.8, float()),
            prop::option::weighted(0.8, any::<bool>().prop_map(Value::Bool)),
            prop::option::weighted(0.8, string()),
            prop::option::weighted(0.8, scalar()),
            prop::option::weighted(0.8, date()),
            prop::option::weighted(0.8, local_datetime()),
        )
            .prop_map(|(i, f, b, s, m, d, t)| vec![i, f, b, s, m, None, d, t]),
    )
}

/// A constant for a test of key `k`: mostly of the key's own type (so that
/// comparisons hit equal and neighbouring values), else anything.
fn constant_for(k: usize) -> BoxedStrategy<Value> {
    let own = match KEYS[k] {
        "i" => int().boxed(),
        "f" => prop_oneof![float(), int()].boxed(),
        "b" => any::<bool>().prop_map(Value::Bool).boxed(),
        "s" => string().boxed(),
        "d" => date().boxed(),
        "t" => local_datetime().boxed(),
        _ => scalar(),
    };
    prop_oneof![3 => own, 1 => constant()].boxed()
}

fn key(i: usize) -> KeyId {
    KeyId(i as u32)
}

fn prop_of(k: usize) -> Expr {
    Expr::Property(Box::new(Expr::Slot(0)), key(k), KEYS[k].into())
}

fn leaf() -> BoxedStrategy<Expr> {
    let cmp = prop::sample::select(vec![
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ]);
    let sop = prop::sample::select(vec![
        StrOp::StartsWith,
        StrOp::EndsWith,
        StrOp::Contains,
        StrOp::Regex,
    ]);
    let k = 0..KEYS.len();
    let c = |v: Value| Box::new(Expr::Const(v));
    prop_oneof![
        (
            cmp,
            k.clone().prop_flat_map(|k| (Just(k), constant_for(k))),
            any::<bool>()
        )
            .prop_map(move |(op, (k, v), flip)| {
                let (p, v) = (Box::new(prop_of(k)), c(v));
                if flip {
                    Expr::Compare(op, v, p)
                } else {
                    Expr::Compare(op, p, v)
                }
            }),
        (
            sop,
            k.clone(),
            prop_oneof![string(), Just(s("a.*")), Just(s("(")), int()],
            any::<bool>()
        )
            .prop_map(move |(op, k, v, flip)| {
                let (p, v) = (Box::new(prop_of(k)), c(v));
                if flip {
                    Expr::Str(op, v, p)
                } else {
                    Expr::Str(op, p, v)
                }
            }),
        (
            k.clone().prop_flat_map(|k| {
                let item = prop_oneof![4 => constant_for(k), 1 => Just(Value::Null)];
                (
                    Just(k),
                    prop_oneof![
                        4 => prop::collection::vec(item, 0..4).prop_map(|v| Value::List(v.into())),
                        1 => constant(),
                    ],
                )
            }),
            any::<bool>(),
        )
            .prop_map(move |((k, list), literal)| {
                let list = match (list, literal) {
                    // A literal list of constants, as the binder leaves `[a, b]`.
                    (Value::List(items), true) => {
                        Box::new(Expr::List(items.iter().cloned().map(Expr::Const).collect()))
                    }
                    (other, _) => c(other),
                };
                Expr::In(Box::new(prop_of(k)), list)
            }),
        (k.clone(), any::<bool>()).prop_map(|(k, neg)| Expr::IsNull(Box::new(prop_of(k)), neg)),
        k.prop_map(prop_of),
        prop_oneof![Just(Value::Null), any::<bool>().prop_map(Value::Bool)].prop_map(Expr::Const),
        (constant(), constant()).prop_map(move |(a, b)| Expr::Compare(CmpOp::Lt, c(a), c(b))),
    ]
    .boxed()
}

fn predicate() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|a| Expr::Not(Box::new(a))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Expr::Xor(Box::new(a), Box::new(b))),
        ]
    })
}

fn graph(nodes: &[(bool, Vec<Option<Value>>)]) -> Graph {
    let mut g = Graph::new();
    let l = g.intern_label("L");
    let m = g.intern_label("M");
    for name in KEYS {
        g.intern_key(name);
    }
    for (two_labels, values) in nodes {
        let labels = if *two_labels { vec![l, m] } else { vec![l] };
        let props = values
            .iter()
            .enumerate()
            .filter_map(|(k, v)| Some((key(k), v.clone()?)))
            .collect();
        g.add_node(labels, props);
    }
    g
}

/// Compares the kernels with the evaluator on every node; returns how
/// many nodes the kernels decided.
fn check(g: &Graph, expr: &Expr, limits: &Limits) -> usize {
    let cancel = AtomicBool::new(false);
    let ctx = Ctx::new(g, &cancel, limits);
    let Some(predicate) = Predicate::compile(expr, 0) else {
        return 0;
    };
    let mut filter = SlotFilter::new(predicate, g, limits.max_value_bytes);
    let mut decided = 0;
    for node in g.nodes() {
        let row = [Value::Node(node)];
        let expected = eval(expr, &row, &ctx).and_then(truth);
        match (filter.test(&row), expected) {
            (Some(got), Ok(want)) => {
                assert_eq!(
                    got,
                    want,
                    "{expr:?} on {:?}",
                    g.node(node).map(|n| n.properties())
                );
                decided += 1;
            }
            (Some(got), Err(e)) => {
                panic!("{expr:?}: the kernel gave {got:?} where the evaluator fails: {e}")
            }
            (None, _) => {}
        }
    }
    decided
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn kernels_agree_with_the_evaluator(
        nodes in prop::collection::vec(node_props(), 1..16),
        expr in predicate(),
    ) {
        let g = graph(&nodes);
        check(&g, &expr, &Limits::default());
    }

    #[test]
    fn select_keeps_exactly_the_rows_that_test_true(
        nodes in prop::collection::vec(node_props(), 1..16),
        expr in predicate(),
    ) {
        let g = graph(&nodes);
        if let Some(p) = Predicate::compile(&expr, 0) {
            let store = g.property_store();
            for (_, table) in store.all_node_tables() {
                if let Some(bound) = p.bind(table, store.dictionary(), u64::MAX) {
                    let rows: Vec<u32> = (0..table.ids().len() as u32).rev().collect();
                    let mut out = vec![7];
                    bound.select(&rows, &mut out);
                    let want: Vec<u32> = std::iter::once(7)
                        .chain(rows.iter().copied().filter(|r| bound.test(*r) == Some(true)))
                        .collect();
                    prop_assert_eq!(out, want);
                }
            }
        }
    }
}

fn cmp(op: CmpOp, k: usize, v: Value) -> Expr {
    Expr::Compare(op, Box::new(prop_of(k)), Box::new(Expr::Const(v)))
}

#[test]
fn typed_columns_are_decided_by_the_kernels() {
    let nodes: Vec<(bool, Vec<Option<Value>>)> = (0..20)
        .map(|i| {
            (
                false,
                vec![
                    Some(Value::Int(i)),
                    (i % 3 != 0).then(|| Value::Float(i as f64 / 2.0)),
                    Some(Value::Bool(i % 2 == 0)),
                    Some(s(if i % 4 == 0 { "Sinotruk" } else { "Weichai" })),
                    None,
                    None,
                    Some(Value::Date(
                        Date::from_ymd_opt(2024, 1, 1 + i as u32).unwrap(),
                    )),
                    None,
                ],
            )
        })
        .collect();
    let g = graph(&nodes);
    let limits = Limits::default();
    let exprs = [
        cmp(CmpOp::Ge, 0, Value::Int(4)),
        cmp(CmpOp::Lt, 1, Value::Float(f64::NAN)),
        cmp(CmpOp::Le, 1, Value::Int(3)),
        Expr::Str(
            StrOp::StartsWith,
            Box::new(prop_of(3)),
            Box::new(Expr::Const(s("Sino"))),
        ),
        cmp(CmpOp::Eq, 3, s("Weichai")),
        Expr::In(
            Box::new(prop_of(3)),
            Box::new(Expr::Const(Value::List(vec![s("x"), Value::Null].into()))),
        ),
        Expr::And(
            Box::new(prop_of(2)),
            Box::new(cmp(CmpOp::Gt, 5, Value::Int(1))),
        ),
    ];
    for e in &exprs {
        assert_eq!(check(&g, e, &limits), 20, "{e:?}");
    }
}

#[test]
fn shapes_that_could_fail_or_read_other_inputs_do_not_compile() {
    let other_slot = Expr::Compare(CmpOp::Eq, Box::new(prop_of(0)), Box::new(Expr::Slot(1)));
    assert!(Predicate::compile(&other_slot, 0).is_none());
    let two_properties = Expr::Compare(CmpOp::Eq, Box::new(prop_of(0)), Box::new(prop_of(1)));
    assert!(Predicate::compile(&two_properties, 0).is_none());
    // `AND 1` is a type error; `IN 'x'` too.
    let non_boolean = Expr::And(
        Box::new(cmp(CmpOp::Eq, 0, Value::Int(1))),
        Box::new(Expr::Const(Value::Int(1))),
    );
    assert!(Predicate::compile(&non_boolean, 0).is_none());
    let in_string = Expr::In(Box::new(prop_of(3)), Box::new(Expr::Const(s("x"))));
    assert!(Predicate::compile(&in_string, 0).is_none());
    // The property of another slot.
    assert!(Predicate::compile(&cmp(CmpOp::Eq, 0, Value::Int(1)), 1).is_none());
}

#[test]
fn an_int_column_read_as_a_boolean_or_an_invalid_regex_is_not_bound() {
    let nodes = vec![(
        false,
        vec![Some(Value::Int(1)), None, None, Some(s("a")), None, None],
    )];
    let g = graph(&nodes);
    let store = g.property_store();
    let (_, table) = store.all_node_tables().next().unwrap();
    let truth_of_int = Predicate::compile(&prop_of(0), 0).unwrap();
    assert!(
        truth_of_int
            .bind(table, store.dictionary(), u64::MAX)
            .is_none()
    );
    let bad_regex = Expr::Str(
        StrOp::Regex,
        Box::new(prop_of(3)),
        Box::new(Expr::Const(s("("))),
    );
    let p = Predicate::compile(&bad_regex, 0).unwrap();
    assert!(p.bind(table, store.dictionary(), u64::MAX).is_none());
    assert_eq!(check(&g, &bad_regex, &Limits::default()), 0);
}

#[test]
fn strings_over_the_value_limit_are_left_to_the_evaluator() {
    let nodes = vec![(
        false,
        vec![None, None, None, Some(s("Sinotruk")), None, None],
    )];
    let g = graph(&nodes);
    let limits = Limits {
        max_value_bytes: 4,
        ..Limits::default()
    };
    let e = Expr::Str(
        StrOp::StartsWith,
        Box::new(prop_of(3)),
        Box::new(Expr::Const(s("S"))),
    );
    // The evaluator fails on the 8-byte string; the kernel does not decide.
    assert_eq!(check(&g, &e, &limits), 0);
    assert_eq!(check(&g, &e, &Limits::default()), 1);
    // A constant over the limit: the same.
    let long = cmp(CmpOp::Eq, 0, s("longer than four"));
    assert_eq!(check(&g, &long, &limits), 0);
}

#[test]
fn deep_expressions_are_left_to_the_evaluator() {
    let chain = |n: usize| {
        (0..n).fold(cmp(CmpOp::Eq, 0, Value::Int(1)), |e, _| {
            Expr::And(Box::new(e), Box::new(cmp(CmpOp::Ge, 0, Value::Int(0))))
        })
    };
    assert!(Predicate::compile(&chain(40), 0).is_some());
    // The parser allows thousands of levels; compiling stops early.
    let deep = chain(3_000);
    assert!(Predicate::compile(&deep, 0).is_none());
    assert!(Predicate::compile_single(&deep).is_none());
}
