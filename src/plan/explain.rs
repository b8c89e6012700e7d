//! EXPLAIN: a plan printed as an indented list of operators, with rows and
//! time per operator when profiled.

use std::fmt::Write;

use super::{Expr, NodeFilter, NodeSource, Plan, RelFilter, Step};
use crate::graph::Graph;
use crate::syntax::ast::Direction;

/// Rows produced and time spent by one operator during a profiled run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StepProfile {
    /// Rows the operator produced.
    pub rows: u64,
    /// Time spent in the operator and its inputs, in microseconds.
    pub micros: u64,
    /// The engine path the operator ran on.
    pub path: Path,
}

/// Which engine path ran an operator (PROFILE prints it). A fast path runs
/// a segment of steps as one operator: its last step carries the rows and
/// time of the whole segment, and its other steps are [`Path::Inside`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Path {
    /// The row engine: rows pulled one at a time through the operator.
    #[default]
    Row,
    /// Run inside the fast-path segment of a later step (no rows or time
    /// of its own).
    Inside,
    /// The batch executor: the scan's typed columns read in chunks,
    /// filtered by kernels and aggregated into typed states.
    Batch,
    /// Morsel-parallel aggregation on up to `threads` threads.
    Morsels {
        /// The most threads the segment may use.
        threads: usize,
    },
    /// The fused walker: expansions walked depth first over one scratch
    /// row, feeding the aggregation.
    Fused,
    /// A label scan with its filter pushed into it as a typed kernel.
    PushedFilter,
}

impl Path {
    /// How PROFILE names the path, after the operator's figures.
    fn describe(self) -> String {
        match self {
            Path::Row => String::new(),
            Path::Inside => "  (run inside the segment above)".to_string(),
            Path::Batch => ", batch over typed columns".to_string(),
            Path::Morsels { threads } => format!(", morsels on up to {threads} threads"),
            Path::Fused => ", fused expand and aggregate".to_string(),
            Path::PushedFilter => ", filter pushed into the scan".to_string(),
        }
    }
}

/// Prints the plan, one operator per line, the first step at the bottom
/// as data flows upward; `profile` adds rows and time for each step of
/// each branch (in step order).
pub fn explain(plan: &Plan, graph: &Graph, profile: Option<&[Vec<StepProfile>]>) -> String {
    let mut out = String::new();
    let multi = plan.branches.len() > 1;
    if multi {
        let kind = if plan.union_distinct {
            "Union"
        } else {
            "UnionAll"
        };
        let _ = writeln!(out, "{kind}");
    }
    for (b, branch) in plan.branches.iter().enumerate() {
        let indent = if multi { 2 } else { 0 };
        if !plan.columns.is_empty() && !multi {
            let _ = writeln!(out, "Produce [{}]", plan.columns.join(", "));
        }
        let stats = profile.and_then(|p| p.get(b));
        for (i, step) in branch.steps.iter().enumerate().rev() {
            if matches!(step, Step::Widen { .. }) && stats.is_none() {
                continue;
            }
            let line = describe(step, graph);
            let suffix = stats
                .and_then(|s| s.get(i))
                .map(|s| match s.path {
                    Path::Inside => s.path.describe(),
                    path => format!(
                        "  (rows: {}, time: {:.3} ms{})",
                        s.rows,
                        s.micros as f64 / 1000.0,
                        path.describe()
                    ),
                })
                .unwrap_or_default();
            let _ = writeln!(out, "{}{line}{suffix}", " ".repeat(indent));
            if let Step::Optional { steps, .. } | Step::Merge { matcher: steps, .. } = step {
                for inner in steps.iter().rev() {
                    let _ = writeln!(out, "{}  └ {}", " ".repeat(indent), describe(inner, graph));
                }
            }
        }
    }
    out
}

fn describe(step: &Step, graph: &Graph) -> String {
    match step {
        Step::Widen { width } => format!("Widen width={width}"),
        Step::NodeScan {
            slot,
            source,
            filter,
        } => {
            let src = match source {
                NodeSource::All => "AllNodesScan".to_string(),
                NodeSource::Label(l) => format!("NodeByLabelScan :{}", graph.label_name(*l)),
                NodeSource::Index { label, key, value } => format!(
                    "NodeIndexSeek :{}({} = {})",
                    graph.label_name(*label),
                    graph.key_name(*key),
                    short(value, graph)
                ),
            };
            format!("{src} → ${slot}{}", node_filter(filter, graph))
        }
        Step::CheckNode { slot, filter } => {
            format!("CheckNode ${slot}{}", node_filter(filter, graph))
        }
        Step::Expand(hop) => {
            let arrow = match hop.direction {
                Direction::Outgoing => ("-", "->"),
                Direction::Incoming => ("<-", "-"),
                Direction::Either => ("-", "-"),
            };
            let length = match hop.var_length {
                Some((min, Some(max))) => format!("*{min}..{max}"),
                Some((min, None)) => format!("*{min}.."),
                None => String::new(),
            };
            let op = match (hop.var_length.is_some(), hop.into) {
                (true, _) => "VarLengthExpand",
                (false, true) => "ExpandInto",
                (false, false) => "Expand",
            };
            format!(
                "{op} (${}){}[${}{}{}]{}(${}){}",
                hop.from,
                arrow.0,
                hop.rel,
                rel_types(&hop.rel_filter, graph),
                length,
                arrow.1,
                hop.to,
                node_filter(&hop.node_filter, graph)
            )
        }
        Step::Intersect(hops) => {
            let sides: Vec<String> = hops
                .iter()
                .map(|hop| {
                    let arrow = match hop.direction {
                        Direction::Outgoing => ("-", "->"),
                        Direction::Incoming => ("<-", "-"),
                        Direction::Either => ("-", "-"),
                    };
                    format!(
                        "(${}){}[${}{}]{}(${})",
                        hop.from,
                        arrow.0,
                        hop.rel,
                        rel_types(&hop.rel_filter, graph),
                        arrow.1,
                        hop.to
                    )
                })
                .collect();
            let filter = hops
                .first()
                .map(|h| node_filter(&h.node_filter, graph))
                .unwrap_or_default();
            format!("Intersect {}{filter}", sides.join(" ∩ "))
        }
        Step::ShortestPath {
            from,
            to,
            all,
            path_filter,
            ..
        } => {
            format!(
                "{} ${from} → ${to}{}",
                if *all {
                    "AllShortestPaths"
                } else {
                    "ShortestPath"
                },
                if path_filter.is_empty() {
                    String::new()
                } else {
                    format!(
                        " where: {} relationship, {} node, {} path condition(s)",
                        path_filter.rels.len(),
                        path_filter.nodes.len(),
                        usize::from(path_filter.whole.is_some())
                    )
                }
            )
        }
        Step::BuildPaths(specs) => format!("BuildPaths {}", specs.len()),
        Step::Filter(e) => format!("Filter {}", short(e, graph)),
        Step::Optional { .. } => "Optional".to_string(),
        Step::Project(exprs) => format!("Project {} columns", exprs.len()),
        Step::Aggregate {
            keys,
            aggregates,
            by_entities,
        } => {
            format!(
                "HashAggregate keys={} aggregates={}{}",
                keys.len(),
                aggregates.len(),
                if *by_entities { " by entities" } else { "" }
            )
        }
        Step::Distinct { .. } => "Distinct".to_string(),
        Step::Sort(keys) => format!("Sort {} keys", keys.len()),
        Step::TopK { keys, limit, .. } => {
            format!("TopK {} keys limit {}", keys.len(), short(limit, graph))
        }
        Step::Skip(e) => format!("Skip {}", short(e, graph)),
        Step::Limit(e) => format!("Limit {}", short(e, graph)),
        Step::Unwind { slot, .. } => format!("Unwind → ${slot}"),
        Step::Create(spec) => format!(
            "Create {} nodes, {} relationships",
            spec.nodes.len(),
            spec.rels.len()
        ),
        Step::Merge { .. } => "Merge".to_string(),
        Step::LoadCsv(spec) => format!(
            "LoadCsv{} → ${}",
            if spec.headers { " with headers" } else { "" },
            spec.slot
        ),
        Step::CallSubquery(plan) => format!(
            "CallSubquery {} branch(es){}{}",
            plan.branches.len(),
            if plan.returns.is_empty() {
                ", unit"
            } else {
                ""
            },
            if plan.batch_rows.is_some() {
                ", in transactions"
            } else {
                ""
            }
        ),
        Step::ProcedureCall {
            procedure, yields, ..
        } => format!(
            "ProcedureCall {} yielding {} columns",
            procedure.name.trim(),
            yields.len()
        ),
        Step::Set(ops) => format!("SetOrRemove {} items", ops.len()),
        Step::Delete { detach, exprs } => {
            format!(
                "{}Delete {} items",
                if *detach { "Detach" } else { "" },
                exprs.len()
            )
        }
    }
}

fn node_filter(filter: &NodeFilter, graph: &Graph) -> String {
    let mut out = String::new();
    for l in &filter.labels {
        let _ = write!(out, " :{}", graph.label_name(*l));
    }
    for (k, v) in &filter.properties {
        let _ = write!(out, " {}={}", graph.key_name(*k), short(v, graph));
    }
    if let Some(at) = &filter.valid_at {
        let _ = write!(out, " AS OF {}", short(at, graph));
    }
    out
}

fn rel_types(filter: &RelFilter, graph: &Graph) -> String {
    let mut out = String::new();
    if !filter.types.is_empty() {
        let names: Vec<&str> = filter.types.iter().map(|t| graph.type_name(*t)).collect();
        out = format!(":{}", names.join("|"));
    }
    if let Some(at) = &filter.valid_at {
        let _ = write!(out, " AS OF {}", short(at, graph));
    }
    out
}

/// A short rendering of an expression for plan lines.
fn short(expr: &Expr, graph: &Graph) -> String {
    let text = match expr {
        Expr::Const(v) => v.literal(Some(graph)).to_string(),
        Expr::Slot(s) => format!("${s}"),
        Expr::Property(target, _, name) => format!("{}.{name}", short(target, graph)),
        Expr::Compare(op, a, b) => format!("{} {op:?} {}", short(a, graph), short(b, graph)),
        Expr::And(a, b) => format!("{} AND {}", short(a, graph), short(b, graph)),
        Expr::Call(f, args) => {
            let args: Vec<String> = args.iter().map(|a| short(a, graph)).collect();
            format!("{}({})", f.0.name, args.join(", "))
        }
        Expr::Arith(op, a, b) => format!("{} {op:?} {}", short(a, graph), short(b, graph)),
        Expr::Str(op, a, b) => format!("{} {op:?} {}", short(a, graph), short(b, graph)),
        Expr::Or(a, b) => format!("{} OR {}", short(a, graph), short(b, graph)),
        Expr::Not(e) => format!("NOT {}", short(e, graph)),
        Expr::IsNull(e, negated) => {
            format!(
                "{} IS {}NULL",
                short(e, graph),
                if *negated { "NOT " } else { "" }
            )
        }
        _ => "…".to_string(),
    };
    if text.chars().count() > 60 {
        text.chars().take(57).collect::<String>() + "…"
    } else {
        text
    }
}
