use super::*;
use crate::plan::PlanOptions;

fn plan_of(text: &str) -> CachedPlan {
    let statement = syntax::parse_statement(text).unwrap();
    let graph = crate::Graph::new();
    let limits = crate::exec::Limits::default();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let guard = crate::plan::Guard {
        cancel: &cancel,
        limits: &limits,
    };
    let params = BTreeMap::new();
    let plan =
        crate::plan::bind_read_only(&statement, &graph, &params, &PlanOptions::default(), guard)
            .unwrap();
    CachedPlan {
        plan: Arc::new(plan),
        notifications: Arc::new(Vec::new()),
    }
}

fn key(version: u64, params: &BTreeMap<String, Value>) -> PlanKey<'_> {
    PlanKey {
        version,
        params,
        as_of: None,
        provenance: false,
    }
}

fn params(v: Value) -> BTreeMap<String, Value> {
    BTreeMap::from([("x".to_string(), v)])
}

#[test]
fn a_text_is_parsed_once_and_its_plan_found_for_the_same_key() {
    let cache = PlanCache::new(8);
    let p = params(Value::Int(1));
    let (_, found) = cache.statement("RETURN $x AS v", &key(1, &p)).unwrap();
    assert!(found.is_none());
    cache.keep("RETURN $x AS v", &key(1, &p), plan_of("RETURN 1 AS v"));
    let (_, found) = cache.statement("RETURN $x AS v", &key(1, &p)).unwrap();
    assert!(found.is_some());
    let stats = cache.stats();
    assert_eq!(
        (stats.parses, stats.plan_hits, stats.plan_misses),
        (1, 1, 1)
    );
    assert_eq!(stats.entries, 1);
}

#[test]
fn a_plan_is_not_found_for_other_values_options_or_versions() {
    let cache = PlanCache::new(8);
    let text = "RETURN $x AS v";
    let one = params(Value::Int(1));
    cache.statement(text, &key(1, &one)).unwrap();
    cache.keep(text, &key(1, &one), plan_of("RETURN 1 AS v"));
    let misses = [
        params(Value::Float(1.0)),
        params(Value::Int(2)),
        params(Value::Null),
        BTreeMap::new(),
    ];
    for p in &misses {
        assert!(
            cache.statement(text, &key(1, p)).unwrap().1.is_none(),
            "{p:?}"
        );
    }
    assert!(cache.statement(text, &key(2, &one)).unwrap().1.is_none());
    let explained = PlanKey {
        provenance: true,
        ..key(1, &one)
    };
    assert!(cache.statement(text, &explained).unwrap().1.is_none());
    let date = Value::Int(20240101);
    let as_of = PlanKey {
        as_of: Some(&date),
        ..key(1, &one)
    };
    assert!(cache.statement(text, &as_of).unwrap().1.is_none());
    assert!(cache.statement(text, &key(1, &one)).unwrap().1.is_some());
    assert_eq!(cache.stats().parses, 1);
}

#[test]
fn values_are_compared_strictly() {
    assert!(same(&Value::Int(1), &Value::Int(1)));
    assert!(!same(&Value::Int(1), &Value::Float(1.0)));
    assert!(!same(&Value::Float(0.0), &Value::Float(-0.0)));
    assert!(same(&Value::Float(f64::NAN), &Value::Float(f64::NAN)));
    let list = |v: Value| Value::List(vec![Value::from("a"), v].into());
    assert!(same(&list(Value::Int(1)), &list(Value::Int(1))));
    assert!(!same(&list(Value::Int(1)), &list(Value::Float(1.0))));
    let map = |v: Value| Value::Map(BTreeMap::from([("k".to_string(), v)]));
    assert!(same(&map(Value::Int(1)), &map(Value::Int(1))));
    assert!(!same(&map(Value::Int(1)), &map(Value::Float(1.0))));
    assert!(!same(&Value::Null, &Value::Bool(false)));
}

#[test]
fn the_least_recently_used_text_is_evicted() {
    let cache = PlanCache::new(2);
    let p = BTreeMap::new();
    cache.statement("RETURN 1", &key(0, &p)).unwrap();
    cache.statement("RETURN 2", &key(0, &p)).unwrap();
    cache.statement("RETURN 1", &key(0, &p)).unwrap();
    cache.statement("RETURN 3", &key(0, &p)).unwrap();
    assert_eq!(cache.stats().parses, 3);
    cache.statement("RETURN 1", &key(0, &p)).unwrap();
    assert_eq!(cache.stats().parses, 3, "RETURN 1 was kept");
    cache.statement("RETURN 2", &key(0, &p)).unwrap();
    assert_eq!(cache.stats().parses, 4, "RETURN 2 was evicted");
    assert_eq!(cache.stats().entries, 2);
    cache.set_capacity(1);
    assert_eq!(cache.stats().entries, 1);
    cache.set_capacity(0);
    cache.statement("RETURN 1", &key(0, &p)).unwrap();
    cache.statement("RETURN 1", &key(0, &p)).unwrap();
    assert_eq!(cache.stats().entries, 0);
    assert_eq!(cache.stats().parses, 6, "nothing is kept at capacity 0");
}

#[test]
fn a_text_keeps_a_bounded_number_of_plans_of_one_version() {
    let cache = PlanCache::new(4);
    let text = "RETURN $x AS v";
    cache.statement(text, &key(1, &BTreeMap::new())).unwrap();
    for i in 0..10 {
        let p = params(Value::Int(i));
        cache.keep(text, &key(1, &p), plan_of("RETURN 1 AS v"));
    }
    let found = |i: i64, version: u64| {
        let p = params(Value::Int(i));
        cache
            .statement(text, &key(version, &p))
            .unwrap()
            .1
            .is_some()
    };
    assert!(found(9, 1) && found(6, 1));
    assert!(!found(5, 1), "only the last {PLANS_PER_TEXT} are kept");
    cache.keep(text, &key(2, &params(Value::Int(0))), plan_of("RETURN 1"));
    assert!(!found(9, 1), "plans of older versions are dropped");
    assert!(found(0, 2));
}

#[test]
fn syntax_errors_are_returned_and_not_kept() {
    let cache = PlanCache::new(4);
    let p = BTreeMap::new();
    assert!(cache.statement("RETURN (", &key(0, &p)).is_err());
    assert!(cache.statement("RETURN (", &key(0, &p)).is_err());
    assert_eq!(cache.stats().entries, 0);
}
