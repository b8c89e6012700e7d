//! The group table of a hash aggregation: rows are added one by one, each
//! finding (or creating) its group by its key values and feeding that
//! group's accumulators; groups keep the order in which they were first
//! seen. Two tables over consecutive parts of the input merge into the
//! table of the whole input (parallel aggregation, `exec::morsel`).

use rustc_hash::FxHashMap;

use super::aggregate::{Accumulator, AggregateKind};
use super::eval::eval;
use super::group_cache::{ENTRY_BYTES, EntityGroups};
use super::kernels::code_of;
use super::{Ctx, Row};
use crate::error::Result;
use crate::plan::{AggregateCall, Expr};
use crate::value::size::row_bytes;
use crate::value::{GroupKey, Value};

/// Groups by key values, each with one accumulator per aggregate call.
pub struct GroupTable<'p> {
    keys: &'p [Expr],
    calls: &'p [AggregateCall],
    index: FxHashMap<Vec<GroupKey>, usize>,
    groups: Vec<(Row, Vec<Accumulator>)>,
    /// Bytes this table counts against its context's memory limit.
    held: u64,
    /// One key buffer for every row: a row whose group exists allocates nothing.
    group_key: Vec<GroupKey>,
    memo: Vec<NodePropertyMemo>,
    by_entities: Option<EntityGroups>,
    by_code: Option<CodeGroups>,
}

impl<'p> GroupTable<'p> {
    /// An empty table grouping by `keys` (finding groups by entity ids
    /// when `by_entities`, see `exec::group_cache`).
    pub fn new(keys: &'p [Expr], calls: &'p [AggregateCall], by_entities: bool) -> Self {
        GroupTable {
            keys,
            calls,
            index: FxHashMap::default(),
            groups: Vec::new(),
            held: 0,
            group_key: Vec::with_capacity(keys.len()),
            memo: keys.iter().map(|_| Default::default()).collect(),
            by_entities: by_entities.then(|| EntityGroups::for_keys(keys)).flatten(),
            by_code: CodeGroups::for_keys(keys),
        }
    }

    fn new_accumulators(&self, row: &Row, ctx: &Ctx<'_>) -> Result<Vec<Accumulator>> {
        self.calls
            .iter()
            .map(|c| {
                let param = c.param.as_ref().map(|p| eval(p, row, ctx)).transpose()?;
                Accumulator::new(c.kind, c.distinct, param)
            })
            .collect()
    }

    fn hold(&mut self, bytes: u64, ctx: &Ctx<'_>) -> Result<()> {
        ctx.hold(bytes)?;
        self.held += bytes;
        Ok(())
    }

    /// The group of the key values in `self.group_key`, created (with
    /// accumulators for `row`) when new.
    fn intern(&mut self, row: &Row, ctx: &Ctx<'_>) -> Result<usize> {
        if let Some(at) = self.index.get(self.group_key.as_slice()) {
            return Ok(*at);
        }
        let group_key = self.group_key.clone();
        let key_values: Row = group_key.iter().map(|k| k.0.clone()).collect();
        // The key is held twice: in the index and in the group.
        self.hold(2 * row_bytes(&key_values), ctx)?;
        let accumulators = self.new_accumulators(row, ctx)?;
        self.groups.push((key_values, accumulators));
        self.index.insert(group_key, self.groups.len() - 1);
        ctx.check_buffer(self.groups.len())?;
        Ok(self.groups.len() - 1)
    }

    /// The group of `row`, found by entity ids when possible.
    fn group_of(&mut self, row: &Row, ctx: &Ctx<'_>) -> Result<usize> {
        let code = self.by_code.as_ref().and_then(|c| c.code(row, ctx));
        if let (Some(groups), Some(code)) = (self.by_code.as_ref(), code)
            && let Some(at) = groups.groups.get(&code)
        {
            return Ok(*at);
        }
        let at = self.group_by_value(row, ctx)?;
        if let Some(code) = code {
            self.hold(ENTRY_BYTES, ctx)?;
            if let Some(groups) = self.by_code.as_mut() {
                groups.groups.insert(code, at);
            }
        }
        Ok(at)
    }

    /// The group of `row`, found by entity ids when possible, else by
    /// the key values.
    fn group_by_value(&mut self, row: &Row, ctx: &Ctx<'_>) -> Result<usize> {
        let ids = self.by_entities.as_ref().and_then(|c| c.ids(row));
        if let (Some(cache), Some(ids)) = (self.by_entities.as_mut(), ids.as_ref())
            && let Some(at) = cache.get(ids)
        {
            return Ok(at);
        }
        self.group_key.clear();
        for (k, memo) in self.keys.iter().zip(self.memo.iter_mut()) {
            self.group_key.push(GroupKey(memo.eval(k, row, ctx)?));
        }
        let at = self.intern(row, ctx)?;
        if let (Some(cache), Some(ids)) = (self.by_entities.as_ref(), ids) {
            if cache.pays() {
                self.hold(ENTRY_BYTES, ctx)?;
                if let Some(cache) = self.by_entities.as_mut() {
                    cache.insert(ids, at);
                }
            } else {
                let bytes = ENTRY_BYTES * cache.entries() as u64;
                ctx.release(bytes);
                self.held -= bytes.min(self.held);
                self.by_entities = None;
            }
        }
        Ok(at)
    }

    /// Feeds one input row.
    pub fn add(&mut self, row: &Row, ctx: &Ctx<'_>) -> Result<()> {
        let at = self.group_of(row, ctx)?;
        for (i, call) in self.calls.iter().enumerate() {
            let value = match &call.arg {
                Some(arg) => eval(arg, row, ctx)?,
                None => Value::Null,
            };
            self.update(at, i, value, ctx)?;
        }
        Ok(())
    }

    /// The index of `row`'s group (created when new), as [`GroupTable::add`]
    /// finds it: the first part of `add`, for callers that feed the
    /// aggregates themselves ([`GroupTable::update`]).
    pub fn group(&mut self, row: &Row, ctx: &Ctx<'_>) -> Result<usize> {
        self.group_of(row, ctx)
    }

    /// Feeds `value` to aggregate call `call` of group `at` (a value
    /// [`GroupTable::add`] would have computed from a row of that group),
    /// counting it against the memory limit as `add` does: only when the
    /// accumulator keeps it (a value new to a `DISTINCT` set, a value
    /// `collect` or a percentile stores), so repeated values of
    /// `count(DISTINCT m)` cost nothing (issue 16: Q8 at XL feeds hundreds
    /// of millions of rows but keeps far fewer values).
    pub fn update(&mut self, at: usize, call: usize, value: Value, ctx: &Ctx<'_>) -> Result<()> {
        let bytes = if self.calls.get(call).is_some_and(keeps_values) {
            row_bytes(std::slice::from_ref(&value))
        } else {
            0
        };
        let kept = match self.groups.get_mut(at).and_then(|g| g.1.get_mut(call)) {
            Some(acc) => acc.update_kept(value)?,
            None => return Err(super::internal("an aggregate update for no group")),
        };
        if kept && bytes > 0 {
            self.hold(bytes, ctx)?;
        }
        Ok(())
    }

    /// Adds the groups of `later`, a table over the input that follows
    /// this table's: its new groups come after this table's, in their
    /// order, and a group both have merges its accumulators. `later`'s
    /// bytes are counted against `ctx` (its own context is gone).
    pub fn merge(&mut self, later: GroupTable<'p>, ctx: &Ctx<'_>) -> Result<()> {
        self.hold(later.held, ctx)?;
        for (key_values, accumulators) in later.groups {
            self.group_key.clear();
            self.group_key
                .extend(key_values.iter().cloned().map(GroupKey));
            match self.index.get(self.group_key.as_slice()) {
                Some(at) => {
                    for (mine, theirs) in self.groups[*at].1.iter_mut().zip(accumulators) {
                        mine.merge(theirs)?;
                    }
                }
                None => {
                    self.groups.push((key_values, accumulators));
                    self.index
                        .insert(self.group_key.clone(), self.groups.len() - 1);
                    ctx.check_buffer(self.groups.len())?;
                }
            }
        }
        Ok(())
    }

    /// The output rows (keys, then aggregates), in first-seen order; with
    /// no keys, one row even for no input. Releases what the table held.
    pub fn finish(mut self, ctx: &Ctx<'_>) -> Result<Vec<Row>> {
        if self.groups.is_empty() && self.keys.is_empty() {
            let accumulators = self.new_accumulators(&Vec::new(), ctx)?;
            self.groups.push((Vec::new(), accumulators));
        }
        ctx.release(self.held);
        self.groups
            .into_iter()
            .map(|(mut key_values, accs)| {
                for acc in accs {
                    key_values.push(acc.finish()?);
                }
                Ok(key_values)
            })
            .collect()
    }
}

/// Whether partial results of `calls` over consecutive parts of the input
/// merge into exactly the result over the whole (up to float rounding):
/// among `DISTINCT` aggregates only `count` (the others would have to
/// replay values in an order the parts do not keep), and not the standard
/// deviations (their running mean does not merge exactly).
pub fn mergeable(calls: &[AggregateCall]) -> bool {
    calls.iter().all(|c| {
        (!c.distinct || c.kind == AggregateKind::Count)
            && !matches!(c.kind, AggregateKind::StDev | AggregateKind::StDevP)
    })
}

/// The last value a `node.key` grouping key gave, with its node: rows
/// from one expansion share the start node, so its property is read once
/// per run of rows rather than once per row. Nothing writes while an
/// aggregation reads its input, so a remembered value stays current.
#[derive(Default)]
struct NodePropertyMemo {
    last: Option<(crate::graph::NodeId, Value)>,
}

impl NodePropertyMemo {
    fn eval(&mut self, key: &Expr, row: &[Value], ctx: &Ctx<'_>) -> Result<Value> {
        let node = match key {
            Expr::Property(target, _, _) => match **target {
                Expr::Slot(s) => match row.get(s) {
                    Some(Value::Node(id)) => Some(*id),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let Some(node) = node else {
            return eval(key, row, ctx);
        };
        if let Some((last, value)) = &self.last
            && *last == node
        {
            return Ok(value.clone());
        }
        let value = eval(key, row, ctx)?;
        self.last = Some((node, value.clone()));
        Ok(value)
    }
}

/// Groups by the dictionary code of a single `node.key` grouping key
/// (issue 16): rows whose key is a string in a `Str` column find their
/// group by its code, without reading or hashing the string. The first
/// row with a code finds its group by value, so groups, their order and
/// their key values are those of the value path; other rows always take
/// it. Nothing writes while an aggregation reads its input, and codes
/// are never reused, so a remembered group stays right.
struct CodeGroups {
    slot: usize,
    key: crate::graph::KeyId,
    groups: FxHashMap<u32, usize>,
}

impl CodeGroups {
    /// The code path for `keys`, when they are one `slot.key`.
    fn for_keys(keys: &[Expr]) -> Option<CodeGroups> {
        let [Expr::Property(target, key, _)] = keys else {
            return None;
        };
        let Expr::Slot(slot) = **target else {
            return None;
        };
        Some(CodeGroups {
            slot,
            key: *key,
            groups: FxHashMap::default(),
        })
    }

    /// The code of the row's key, when it is a dictionary string.
    fn code(&self, row: &[Value], ctx: &Ctx<'_>) -> Option<u32> {
        match row.get(self.slot) {
            Some(Value::Node(id)) => code_of(*id, self.key, ctx),
            _ => None,
        }
    }
}

/// Whether an aggregate may keep the values it is fed (those it keeps
/// count against the memory limit): `collect`, the percentiles and
/// `DISTINCT`.
fn keeps_values(call: &AggregateCall) -> bool {
    call.distinct
        || matches!(
            call.kind,
            AggregateKind::Collect | AggregateKind::PercentileCont | AggregateKind::PercentileDisc
        )
}
