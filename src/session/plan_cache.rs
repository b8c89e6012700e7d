//! A bounded cache of parsed statements and bound read plans, shared by
//! every thread of a [`Database`](crate::Database).
//!
//! **What is kept, and when it is valid.** Per statement text (least
//! recently used texts are evicted past the capacity):
//! - its parsed AST, valid forever (parsing reads nothing but the text);
//! - up to [`PLANS_PER_TEXT`] bound plans of the statement, each with its
//!   notifications. Binding reads the parameters (they become constants
//!   of the plan), the as-of instant and provenance switch, and the graph
//!   (its names, its schema — indexes, constraints, full-text indexes —
//!   and the counts that choose the plan's order). So a plan is reused
//!   only for the *same* parameter values (compared strictly: `1` is not
//!   `1.0`, `0.0` is not `-0.0`), the same options, and the same *graph
//!   version*: a number the owner of the graph changes whenever the graph
//!   may have changed (the database bumps it each time it takes the
//!   writer's lock), which covers new labels, types and keys, schema
//!   changes and every write.
//!
//! Plans whose binding read the clock (`datetime()` and the other
//! temporal constructors without arguments, folded into constants) or the
//! random generator are never kept.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::Result;
use crate::notify::Notification;
use crate::plan::Plan;
use crate::syntax::{self, ast::Statement};
use crate::value::Value;

/// How many statement texts a cache keeps unless told otherwise.
pub const DEFAULT_CAPACITY: usize = 256;

/// How many bound plans (parameter values, options) one text keeps.
pub const PLANS_PER_TEXT: usize = 4;

/// What a cache has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Statements parsed (texts not in the cache).
    pub parses: u64,
    /// Plans found in the cache.
    pub plan_hits: u64,
    /// Plans bound because none in the cache fitted.
    pub plan_misses: u64,
    /// Statement texts held now.
    pub entries: usize,
}

/// What a bound plan was bound with, besides its text.
#[derive(Debug, Clone, Copy)]
pub struct PlanKey<'a> {
    /// The graph version it was bound against.
    pub version: u64,
    /// The statement's parameters.
    pub params: &'a BTreeMap<String, Value>,
    /// The as-of instant of its MATCH clauses.
    pub as_of: Option<&'a Value>,
    /// Whether provenance was on.
    pub provenance: bool,
}

/// A plan found in (or added to) the cache, with its notifications.
#[derive(Debug, Clone)]
pub struct CachedPlan {
    /// The bound plan.
    pub plan: Arc<Plan>,
    /// The statement's notifications against that graph version.
    pub notifications: Arc<Vec<Notification>>,
}

#[derive(Debug)]
struct Bound {
    version: u64,
    params: BTreeMap<String, Value>,
    as_of: Option<Value>,
    provenance: bool,
    found: CachedPlan,
}

impl Bound {
    fn fits(&self, key: &PlanKey<'_>) -> bool {
        self.version == key.version
            && self.provenance == key.provenance
            && match (&self.as_of, key.as_of) {
                (None, None) => true,
                (Some(a), Some(b)) => same(a, b),
                _ => false,
            }
            && self.params.len() == key.params.len()
            && self
                .params
                .iter()
                .zip(key.params)
                .all(|((ka, a), (kb, b))| ka == kb && same(a, b))
    }
}

#[derive(Debug)]
struct Entry {
    used: u64,
    statement: Arc<Statement>,
    /// Most recently bound last.
    plans: Vec<Bound>,
}

#[derive(Debug, Default)]
struct Inner {
    capacity: usize,
    tick: u64,
    entries: HashMap<String, Entry>,
    stats: CacheStats,
}

/// Parsed statements and bound read plans, by statement text. See the
/// [module docs](self).
#[derive(Debug)]
pub struct PlanCache {
    inner: Mutex<Inner>,
}

impl Default for PlanCache {
    fn default() -> Self {
        PlanCache::new(DEFAULT_CAPACITY)
    }
}

impl PlanCache {
    /// A cache of at most `capacity` statement texts (0: keeps nothing).
    pub fn new(capacity: usize) -> PlanCache {
        PlanCache {
            inner: Mutex::new(Inner {
                capacity,
                ..Inner::default()
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Changes the capacity, evicting the least recently used texts
    /// beyond it.
    pub fn set_capacity(&self, capacity: usize) {
        let mut inner = self.lock();
        inner.capacity = capacity;
        while inner.entries.len() > capacity {
            inner.evict();
        }
    }

    /// Forgets everything (the counters stay).
    pub fn clear(&self) {
        self.lock().entries.clear();
    }

    /// The counters so far.
    pub fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            entries: inner.entries.len(),
            ..inner.stats
        }
    }

    /// The parsed statement of `text` (parsed now when not cached; a
    /// syntax error is returned and nothing is kept), with the plan bound
    /// for `key` if one is cached.
    pub fn statement(
        &self,
        text: &str,
        key: &PlanKey<'_>,
    ) -> Result<(Arc<Statement>, Option<CachedPlan>)> {
        {
            let mut inner = self.lock();
            inner.tick += 1;
            let tick = inner.tick;
            if let Some(entry) = inner.entries.get_mut(text) {
                entry.used = tick;
                let statement = entry.statement.clone();
                let found = entry
                    .plans
                    .iter()
                    .find(|b| b.fits(key))
                    .map(|b| b.found.clone());
                let stats = &mut inner.stats;
                match &found {
                    Some(_) => stats.plan_hits += 1,
                    None => stats.plan_misses += 1,
                }
                return Ok((statement, found));
            }
        }
        // Parsed outside the lock: other threads go on meanwhile.
        let statement = Arc::new(syntax::parse_statement(text)?);
        let mut inner = self.lock();
        inner.stats.parses += 1;
        inner.stats.plan_misses += 1;
        if inner.capacity == 0 {
            return Ok((statement, None));
        }
        if !inner.entries.contains_key(text) {
            while inner.entries.len() >= inner.capacity {
                inner.evict();
            }
            inner.tick += 1;
            let entry = Entry {
                used: inner.tick,
                statement: statement.clone(),
                plans: Vec::new(),
            };
            inner.entries.insert(text.to_string(), entry);
        }
        Ok((statement, None))
    }

    /// The parsed statement of `text` if it is cached (counted as nothing).
    pub fn parsed(&self, text: &str) -> Option<Arc<Statement>> {
        self.lock().entries.get(text).map(|e| e.statement.clone())
    }

    /// Keeps `found`, bound for `key`, under `text` (if `text` is still
    /// cached), replacing its oldest plan when it has
    /// [`PLANS_PER_TEXT`].
    pub fn keep(&self, text: &str, key: &PlanKey<'_>, found: CachedPlan) {
        let mut inner = self.lock();
        let Some(entry) = inner.entries.get_mut(text) else {
            return;
        };
        // Plans of older graph versions can never be used again.
        entry
            .plans
            .retain(|b| b.version == key.version && !b.fits(key));
        if entry.plans.len() >= PLANS_PER_TEXT {
            entry.plans.remove(0);
        }
        entry.plans.push(Bound {
            version: key.version,
            params: key.params.clone(),
            as_of: key.as_of.cloned(),
            provenance: key.provenance,
            found,
        });
    }
}

impl Inner {
    /// Drops the least recently used text.
    fn evict(&mut self) {
        let oldest = self
            .entries
            .iter()
            .min_by_key(|(_, e)| e.used)
            .map(|(k, _)| k.clone());
        if let Some(k) = oldest {
            self.entries.remove(&k);
        }
    }
}

/// Whether `a` and `b` are the same value for planning: same kind and the
/// same bits (`1` and `1.0` differ, and so do `0.0` and `-0.0`).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, a), (kb, b))| ka == kb && same(a, b))
        }
        (Value::Float(_) | Value::List(_) | Value::Map(_), _) => false,
        _ => std::mem::discriminant(a) == std::mem::discriminant(b) && a == b,
    }
}

#[cfg(test)]
#[path = "plan_cache_tests.rs"]
mod tests;
