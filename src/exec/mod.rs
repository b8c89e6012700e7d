//! The executor: lazy, pull-based operators over a graph. Read steps are
//! chained iterators (a `LIMIT 1` pulls one row through); a writing step
//! first drains the steps before it, then changes the graph through a
//! transaction that can be rolled back.

pub mod aggregate;
mod batch;
mod call;
mod eval;
pub mod functions;
mod fused;
mod group_cache;
mod groups;
mod intersect;
mod kernels;
mod load_csv;
mod morsel;
mod ops;
mod paths;
mod reach;
mod read;
mod redo;
mod shortest;
mod subquery;
mod tx;
mod write;

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub use eval::eval;
pub use group_cache::entity_keyed;
pub use redo::Change;
pub use tx::{Stats, Tx, UndoLog};

use rustc_hash::FxHashMap;

use crate::error::{Error, ErrorClass, Result};
use crate::graph::Graph;
use crate::plan::{Path, Plan, Step, StepProfile};
use crate::value::size::{VALUE_BYTES, footprint, row_bytes};
use crate::value::{GroupKey, List, Value};

/// A row: one value per slot.
pub type Row = Vec<Value>;

/// A lazy stream of rows.
pub type Rows<'a> = Box<dyn Iterator<Item = Result<Row>> + 'a>;

/// Limits that stop a runaway query with a clear error.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Stop when this instant passes.
    pub deadline: Option<Instant>,
    /// Most relationships a query may traverse in variable-length and
    /// shortest-path expansions.
    pub max_expansions: u64,
    /// Most rows a blocking operator (sort, aggregation, a write's input)
    /// may hold at once.
    pub max_buffered_rows: usize,
    /// Most bytes (estimated) the intermediate results of one statement may
    /// hold at once: rows buffered by sorts, aggregations, `collect` and
    /// the result itself.
    pub max_memory: u64,
    /// The largest single value (estimated bytes) a statement may build: a
    /// string or a list made by `+`, `reduce`, a comprehension or a function.
    pub max_value_bytes: u64,
    /// Most threads one statement may run on (a label scan feeding an
    /// aggregation runs in parallel morsels when above 1).
    pub threads: usize,
    /// Whether column-aware fast paths (batch scans, typed kernels, fused
    /// expand-aggregate) may replace the row-at-a-time operators. Off, every
    /// statement runs on the row engine: tests compare the two.
    pub fast_paths: bool,
}

/// The deepest nesting of lists and maps a computed value may have (every
/// pass over values — printing, comparing, dropping — recurses into them).
pub const MAX_VALUE_DEPTH: usize = 1_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            deadline: None,
            max_expansions: 100_000_000,
            max_buffered_rows: 50_000_000,
            max_memory: 4 << 30,
            max_value_bytes: 256 << 20,
            threads: 2,
            fast_paths: true,
        }
    }
}

/// What every operator can see: the graph, the cancel flag and the limits.
pub struct Ctx<'g> {
    /// The graph being read.
    pub graph: &'g Graph,
    cancel: &'g AtomicBool,
    limits: &'g Limits,
    ticks: Cell<u32>,
    expansions: Cell<u64>,
    held: Cell<u64>,
    /// Shared lists already counted against the memory limit, by address;
    /// each is kept alive here so that its address stays its own until the
    /// statement ends.
    counted_lists: RefCell<FxHashMap<usize, List>>,
}

impl<'g> Ctx<'g> {
    /// A context over `graph`.
    pub fn new(graph: &'g Graph, cancel: &'g AtomicBool, limits: &'g Limits) -> Self {
        Ctx {
            graph,
            cancel,
            limits,
            ticks: Cell::new(0),
            expansions: Cell::new(0),
            held: Cell::new(0),
            counted_lists: RefCell::default(),
        }
    }

    /// Fails when the query was cancelled or ran past its deadline. Cheap:
    /// reads the clock only every 1024 calls.
    pub fn check(&self) -> Result<()> {
        let t = self.ticks.get().wrapping_add(1);
        self.ticks.set(t);
        if t % 1024 != 0 {
            return Ok(());
        }
        check_now(self.cancel, self.limits)
    }

    /// Counts `n` relationship traversals against the expansion limit.
    pub fn expand(&self, n: u64) -> Result<()> {
        let total = self.expansions.get() + n;
        self.expansions.set(total);
        if total > self.limits.max_expansions {
            return Err(Error::new(
                ErrorClass::LimitExceeded,
                "TooManyExpansions",
                format!(
                    "the query traversed more than {} relationships in variable-length patterns \
                     (raise the limit with --max-expansions N)",
                    self.limits.max_expansions
                ),
            ));
        }
        self.check()
    }

    /// Fails when a buffer would hold more rows than allowed.
    pub fn check_buffer(&self, rows: usize) -> Result<()> {
        if rows > self.limits.max_buffered_rows {
            return Err(Error::new(
                ErrorClass::LimitExceeded,
                "TooManyRows",
                format!(
                    "an operator had to hold more than {} rows (raise the limit with --max-rows N)",
                    self.limits.max_buffered_rows
                ),
            ));
        }
        Ok(())
    }
}

impl Ctx<'_> {
    /// Counts `bytes` more held by a buffering operator against the memory
    /// limit of the statement.
    pub fn hold(&self, bytes: u64) -> Result<()> {
        let total = self.held.get().saturating_add(bytes);
        self.held.set(total);
        if total > self.limits.max_memory {
            return Err(Error::new(
                ErrorClass::LimitExceeded,
                "MemoryLimitExceeded",
                format!(
                    "the statement's intermediate results needed more than {} of memory \
                     (raise the limit with --max-memory SIZE)",
                    human_bytes(self.limits.max_memory)
                ),
            ));
        }
        Ok(())
    }

    /// The bytes a buffering operator holds for `row`, as [`row_bytes`],
    /// except that a list shared with other values (one `WITH` variable
    /// copied to every row by `UNWIND`) is counted once per statement,
    /// here and for good, and costs each row only its handle.
    pub fn row_bytes(&self, row: &[Value]) -> Result<u64> {
        let mut bytes = 0;
        for value in row {
            match value {
                Value::List(list) if list.is_shared() => {
                    bytes += VALUE_BYTES;
                    let first = self
                        .counted_lists
                        .borrow_mut()
                        .insert(list.address(), list.clone())
                        .is_none();
                    if first {
                        self.hold(footprint(value, u64::MAX, usize::MAX).bytes)?;
                    }
                }
                _ => bytes += row_bytes(std::slice::from_ref(value)),
            }
        }
        Ok(bytes)
    }

    /// Gives back `bytes` an operator no longer holds.
    pub fn release(&self, bytes: u64) {
        self.held.set(self.held.get().saturating_sub(bytes));
    }

    /// Fails when `value` is larger than the single-value limit or nests
    /// deeper than [`MAX_VALUE_DEPTH`]. Scalars cost nothing to check; a
    /// list or map is measured (in time proportional to building it).
    pub fn check_value(&self, value: &Value) -> Result<()> {
        let max = self.limits.max_value_bytes;
        let size = match value {
            Value::String(s) => s.len() as u64,
            Value::List(_) | Value::Map(_) => {
                let f = footprint(value, max, MAX_VALUE_DEPTH);
                if f.depth > MAX_VALUE_DEPTH {
                    return Err(Error::new(
                        ErrorClass::LimitExceeded,
                        "ValueTooDeep",
                        format!(
                            "a value nests lists or maps more than {MAX_VALUE_DEPTH} levels deep"
                        ),
                    ));
                }
                f.bytes
            }
            _ => return Ok(()),
        };
        self.check_size(value.type_name(), size)
    }

    /// Fails when a `what` (string, list, …) of `size` bytes is larger than
    /// the single-value limit.
    pub fn check_size(&self, what: &str, size: u64) -> Result<()> {
        let max = self.limits.max_value_bytes;
        if size > max {
            return Err(Error::new(
                ErrorClass::LimitExceeded,
                "ValueTooLarge",
                format!(
                    "a {what} grew past {} (raise the limit with --max-value-size SIZE)",
                    human_bytes(max)
                ),
            ));
        }
        Ok(())
    }
}

/// Fails when the statement was cancelled (`cancel` is set) or ran past the
/// deadline of `limits`; reads the clock every time (callers that run per
/// row use [`Ctx::check`], which calls this every 1024 rows).
pub fn check_now(cancel: &AtomicBool, limits: &Limits) -> Result<()> {
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::cancelled("the query was cancelled"));
    }
    if let Some(deadline) = limits.deadline
        && Instant::now() >= deadline
    {
        return Err(Error::new(
            ErrorClass::LimitExceeded,
            "Timeout",
            "the query ran past its time limit (raise it with --timeout SECONDS)",
        ));
    }
    Ok(())
}

/// Whether `error` is a cancellation or a time-out (the statement was
/// stopped, not wrong).
pub fn is_stop(error: &Error) -> bool {
    error.class == ErrorClass::LimitExceeded && matches!(error.code, "Cancelled" | "Timeout")
}

/// `bytes` for people: `256 MiB`, `4 GiB`, `1000 bytes`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit && bytes % unit == 0 {
            return format!("{} {name}", bytes / unit);
        }
    }
    format!("{bytes} bytes")
}

/// A shared flag that cancels running queries when set.
#[derive(Debug, Clone, Default)]
pub struct CancelHandle(Arc<AtomicBool>);

impl CancelHandle {
    /// Asks the running query to stop; it fails with `LimitExceeded: Cancelled`.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    /// Clears the flag (done before each statement).
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
    /// The flag itself.
    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }
}

/// Chains the read steps onto `input`, lazily.
pub fn build<'a>(steps: &'a [Step], ctx: &'a Ctx<'a>, input: Rows<'a>) -> Rows<'a> {
    let mut rows = input;
    let mut at = 0;
    while at < steps.len() {
        let (next, used, _) = build_next(&steps[at..], ctx, rows);
        rows = next;
        at += used;
    }
    rows
}

/// The operator that starts `steps`, chained onto `rows`: how many steps
/// it runs and on which path. A label scan that feeds an aggregation
/// through filters runs as a batch over typed columns when it can (see
/// `batch`), else, like one with other per-row steps, on parallel threads
/// (see `morsel`); other expansions that feed an aggregation run fused
/// (see `fused`), and a filter right after a label scan is pushed into it
/// (see `read::pushed_scan`). Anything else is one row-engine step.
fn build_next<'a>(steps: &'a [Step], ctx: &'a Ctx<'a>, rows: Rows<'a>) -> (Rows<'a>, usize, Path) {
    if let Some(segment) = batch::plan(steps, ctx) {
        let used = segment.last() + 1;
        return (batch::aggregate(segment, ctx, rows), used, Path::Batch);
    }
    if let Some(last) = morsel::segment(steps, ctx) {
        let threads = ctx.limits.threads;
        return (
            morsel::aggregate(&steps[..=last], ctx, rows),
            last + 1,
            Path::Morsels { threads },
        );
    }
    if let Some(last) = fused::segment(steps, ctx) {
        return (
            fused::aggregate(&steps[..=last], ctx, rows),
            last + 1,
            Path::Fused,
        );
    }
    match read::pushed_scan(steps, ctx, rows) {
        Ok((pushed, replaced)) => (pushed, replaced, Path::PushedFilter),
        Err(unchanged) => (read::build_step(&steps[0], ctx, unchanged), 1, Path::Row),
    }
}

/// Like [`build`], recording in `profile[i]` the rows step `i` gave, the
/// time spent pulling them (the step and its inputs) and the path it ran
/// on. A fast-path segment is timed as a whole, at its last step; its
/// other steps are marked as run inside it.
pub fn build_profiled<'a>(
    steps: &'a [Step],
    ctx: &'a Ctx<'a>,
    input: Rows<'a>,
    profile: &'a [Cell<StepProfile>],
) -> Rows<'a> {
    let mut rows = input;
    let mut at = 0;
    while at < steps.len() && at < profile.len() {
        let (next, used, path) = build_next(&steps[at..], ctx, rows);
        let last = (at + used).min(profile.len()) - 1;
        for cell in &profile[at..last] {
            cell.set(StepProfile {
                path: Path::Inside,
                ..cell.get()
            });
        }
        let cell = &profile[last];
        cell.set(StepProfile { path, ..cell.get() });
        rows = Box::new(Profiled { inner: next, cell });
        at += used;
    }
    rows
}

/// Counts the rows of an operator and the time spent in its `next`.
struct Profiled<'a> {
    inner: Rows<'a>,
    cell: &'a Cell<StepProfile>,
}

impl Iterator for Profiled<'_> {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        let started = Instant::now();
        let item = self.inner.next();
        let mut p = self.cell.get();
        p.micros += started.elapsed().as_micros() as u64;
        if matches!(item, Some(Ok(_))) {
            p.rows += 1;
        }
        self.cell.set(p);
        item
    }
}

/// Runs a plan inside a transaction and returns its rows (each as wide as
/// the plan's columns).
pub fn execute(
    plan: &Plan,
    tx: &mut Tx<'_>,
    cancel: &AtomicBool,
    limits: &Limits,
) -> Result<Vec<Row>> {
    execute_with_profile(plan, tx, cancel, limits, None)
}

/// Like [`execute`]; with `profile`, also fills one [`StepProfile`] per
/// step of each branch (PROFILE).
pub fn execute_with_profile(
    plan: &Plan,
    tx: &mut Tx<'_>,
    cancel: &AtomicBool,
    limits: &Limits,
    profile: Option<&mut Vec<Vec<StepProfile>>>,
) -> Result<Vec<Row>> {
    run_branches(plan, profile, |steps, cells| {
        run_pipeline(steps, tx, cancel, limits, cells)
    })
}

/// Runs a plan that does not write ([`Plan::writes`] is false) on a graph
/// shared with other readers; with `profile`, fills it as
/// [`execute_with_profile`] does. A writing plan is refused with an
/// internal error, never run.
pub fn execute_read(
    plan: &Plan,
    graph: &Graph,
    cancel: &AtomicBool,
    limits: &Limits,
    profile: Option<&mut Vec<Vec<StepProfile>>>,
) -> Result<Vec<Row>> {
    if plan.writes() {
        return Err(internal("a writing plan was run on a read-only graph"));
    }
    run_branches(plan, profile, |steps, cells| {
        let ctx = Ctx::new(graph, cancel, limits);
        let input: Rows<'_> = Box::new(std::iter::once(Ok(Vec::new())));
        let built = match cells {
            Some(cells) => build_profiled(steps, &ctx, input, cells),
            None => build(steps, &ctx, input),
        };
        drain(built, &ctx)
    })
}

/// Runs each UNION branch with `run`, then trims the rows to the plan's
/// columns and removes duplicates for `UNION`.
fn run_branches(
    plan: &Plan,
    mut profile: Option<&mut Vec<Vec<StepProfile>>>,
    mut run: impl FnMut(&[Step], Option<&[Cell<StepProfile>]>) -> Result<Vec<Row>>,
) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for branch in &plan.branches {
        let cells: Vec<Cell<StepProfile>> = branch
            .steps
            .iter()
            .map(|_| Cell::new(StepProfile::default()))
            .collect();
        let cells_ref = profile.is_some().then_some(cells.as_slice());
        let result = run(&branch.steps, cells_ref);
        if let Some(p) = profile.as_deref_mut() {
            p.push(cells.iter().map(Cell::get).collect());
        }
        if plan.columns.is_empty() {
            result?;
            continue;
        }
        let rows = result?;
        out.extend(rows.into_iter().map(|mut r| {
            r.truncate(plan.columns.len());
            r
        }));
    }
    if plan.union_distinct {
        let mut seen = HashSet::new();
        out.retain(|row| seen.insert(row.iter().cloned().map(GroupKey).collect::<Vec<_>>()));
    }
    Ok(out)
}

/// Runs a plan that does not write, handing each result row (as wide as
/// the plan's columns) to `sink` as soon as it is made; stops early, with
/// success, when `sink` returns `Ok(false)`. Rows are not held, so they do
/// not count against the memory limit. `UNION` (removing duplicates) and
/// writes are refused: run them with [`execute`].
pub fn stream(
    plan: &Plan,
    tx: &mut Tx<'_>,
    cancel: &AtomicBool,
    limits: &Limits,
    sink: &mut dyn FnMut(Row, &Graph) -> Result<bool>,
) -> Result<()> {
    if plan.writes() || plan.union_distinct {
        return Err(internal(
            "only plans that neither write nor deduplicate a UNION stream",
        ));
    }
    let width = plan.columns.len();
    for branch in &plan.branches {
        let ctx = Ctx::new(tx.graph(), cancel, limits);
        let input: Rows<'_> = Box::new(std::iter::once(Ok(Vec::new())));
        for row in build(&branch.steps, &ctx, input) {
            let mut row = row?;
            ctx.check()?;
            row.truncate(width);
            if !sink(row, ctx.graph)? {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn run_pipeline(
    steps: &[Step],
    tx: &mut Tx<'_>,
    cancel: &AtomicBool,
    limits: &Limits,
    profile: Option<&[Cell<StepProfile>]>,
) -> Result<Vec<Row>> {
    run_pipeline_from(steps, vec![Vec::new()], tx, cancel, limits, profile)
}

/// Runs `steps` on `rows` (writing steps through `tx`), to the rows the
/// last step gives.
fn run_pipeline_from(
    steps: &[Step],
    mut rows: Vec<Row>,
    tx: &mut Tx<'_>,
    cancel: &AtomicBool,
    limits: &Limits,
    profile: Option<&[Cell<StepProfile>]>,
) -> Result<Vec<Row>> {
    let mut start = 0;
    while let Some(offset) = steps[start..].iter().position(Step::writes) {
        let write_at = start + offset;
        rows = {
            let ctx = Ctx::new(tx.graph(), cancel, limits);
            let input: Rows<'_> = Box::new(rows.into_iter().map(Ok));
            let built = match profile {
                Some(cells) => build_profiled(
                    &steps[start..write_at],
                    &ctx,
                    input,
                    &cells[start..write_at],
                ),
                None => build(&steps[start..write_at], &ctx, input),
            };
            drain(built, &ctx)?
        };
        let started = Instant::now();
        rows = write::apply(&steps[write_at], rows, tx, cancel, limits)?;
        if let Some(cell) = profile.and_then(|c| c.get(write_at)) {
            cell.set(StepProfile {
                rows: rows.len() as u64,
                micros: started.elapsed().as_micros() as u64,
                path: Path::Row,
            });
        }
        start = write_at + 1;
    }
    let ctx = Ctx::new(tx.graph(), cancel, limits);
    let input: Rows<'_> = Box::new(rows.into_iter().map(Ok));
    let built = match profile {
        Some(cells) => build_profiled(&steps[start..], &ctx, input, &cells[start..]),
        None => build(&steps[start..], &ctx, input),
    };
    drain(built, &ctx)
}

fn drain(rows: Rows<'_>, ctx: &Ctx<'_>) -> Result<Vec<Row>> {
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        ctx.check()?;
        ctx.hold(ctx.row_bytes(&row)?)?;
        out.push(row);
        ctx.check_buffer(out.len())?;
    }
    Ok(out)
}

/// An internal invariant did not hold; reported, never panicked on.
pub(crate) fn internal(message: &str) -> Error {
    Error::new(
        ErrorClass::SemanticError,
        "InternalError",
        format!("internal error: {message}"),
    )
}
