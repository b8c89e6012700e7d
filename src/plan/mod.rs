//! Plans: what the executor runs. The binder ([`bind`]) turns an AST into a
//! plan with every name resolved to a row slot or an interned id; the
//! optimizer ([`optimize`]) rewrites it in small passes; [`explain`] prints it.

mod bind;
mod bind_call;
mod call;
mod explain;
pub mod expr;
mod labels;
mod liveness;
mod load;
mod optimize;
mod pattern;
mod projection;
mod scope;
mod shortest;
mod subquery;

use std::sync::Arc;

pub use bind::{Guard, PlanOptions, WHY_COLUMN, bind_read_only, bind_statement};
pub use explain::{Path, StepProfile, explain};
pub use expr::{AggregateCall, Expr};

use crate::graph::{KeyId, LabelId, TypeId};
use crate::syntax::ast::{Direction, StatementMode};

/// A row slot: the position of a variable's value in a row.
pub type Slot = usize;

/// A planned statement: one pipeline per UNION branch.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Run, explain or profile.
    pub mode: StatementMode,
    /// The UNION branches (one for a plain query).
    pub branches: Vec<Pipeline>,
    /// Whether the union removes duplicates (`UNION` rather than `UNION ALL`).
    pub union_distinct: bool,
    /// The names of the result columns (empty for a query without RETURN).
    pub columns: Vec<String>,
}

impl Plan {
    /// Whether any branch writes to the graph.
    pub fn writes(&self) -> bool {
        self.branches
            .iter()
            .any(|b| b.steps.iter().any(Step::writes))
    }
}

/// A straight sequence of steps, each turning a stream of rows into another.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pipeline {
    /// The steps, first to last.
    pub steps: Vec<Step>,
}

/// How a node step finds its candidates.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeSource {
    /// Every node.
    All,
    /// Nodes with a label.
    Label(LabelId),
    /// Nodes with a label whose property equals a value (index seek).
    Index {
        /// The label.
        label: LabelId,
        /// The property key.
        key: KeyId,
        /// The value to look up, evaluated against the input row.
        value: Expr,
    },
}

/// What a pattern requires of a node besides how it is found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeFilter {
    /// Labels it must have.
    pub labels: Vec<LabelId>,
    /// Properties it must have with equal values.
    pub properties: Vec<(KeyId, Expr)>,
    /// A whole map expression (a parameter) it must match.
    pub property_map: Option<Expr>,
    /// `AS OF`: the instant at which the node must be valid
    /// (see [`crate::valid_time`]).
    pub valid_at: Option<Expr>,
}

impl NodeFilter {
    /// Whether the filter accepts every node.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
            && self.properties.is_empty()
            && self.property_map.is_none()
            && self.valid_at.is_none()
    }
}

/// What a pattern requires of a relationship.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelFilter {
    /// Allowed types (empty = any).
    pub types: Vec<TypeId>,
    /// Types named in the pattern that the graph has never seen: if all
    /// named types are unknown nothing matches.
    pub unknown_types_only: bool,
    /// Properties it must have with equal values.
    pub properties: Vec<(KeyId, Expr)>,
    /// A whole map expression it must match.
    pub property_map: Option<Expr>,
    /// `AS OF`: the instant at which the relationship (and, in a
    /// variable-length or shortest path, every node it passes) must be valid.
    pub valid_at: Option<Expr>,
}

/// One node-to-node hop of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    /// The slot of the node the hop starts from (bound).
    pub from: Slot,
    /// The slot of the relationship (a list of relationships if variable-length).
    pub rel: Slot,
    /// The slot of the node the hop reaches.
    pub to: Slot,
    /// Whether `to` is already bound (then the hop checks, not binds).
    pub into: bool,
    /// Whether the relationship slot is already bound (then the hop only
    /// follows that relationship).
    pub rel_bound: bool,
    /// Direction relative to `from`.
    pub direction: Direction,
    /// Conditions on the relationship.
    pub rel_filter: RelFilter,
    /// Conditions on the reached node.
    pub node_filter: NodeFilter,
    /// Relationship slots bound earlier in the same MATCH that this one
    /// must differ from (relationship uniqueness).
    pub distinct_from: Vec<Slot>,
    /// `Some((min, max))` for a variable-length hop.
    pub var_length: Option<(u64, Option<u64>)>,
    /// Whether the hop walks the pattern right to left (its relationship
    /// list is then reversed to keep the pattern's order).
    pub leftward: bool,
}

/// One SET item, resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum SetOp {
    /// `target.key = value`.
    Property {
        /// The entity expression.
        target: Expr,
        /// The key.
        key: KeyId,
        /// The value.
        value: Expr,
    },
    /// `n = map` or `n += map`.
    Map {
        /// The entity expression.
        target: Expr,
        /// The map (or entity) expression.
        value: Expr,
        /// `+=` (merge) rather than `=` (replace).
        merge: bool,
    },
    /// `n:A:B`.
    AddLabels {
        /// The node expression.
        target: Expr,
        /// The labels.
        labels: Vec<LabelId>,
    },
    /// `REMOVE n.key`.
    RemoveProperty {
        /// The entity expression.
        target: Expr,
        /// The key.
        key: KeyId,
    },
    /// `REMOVE n:A:B`.
    RemoveLabels {
        /// The node expression.
        target: Expr,
        /// The labels.
        labels: Vec<LabelId>,
    },
}

/// A node to create (or reuse, when its slot is already bound).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateNode {
    /// Where the node goes in the row.
    pub slot: Slot,
    /// Whether the slot is already bound (then nothing is created).
    pub bound: bool,
    /// Labels of the new node.
    pub labels: Vec<LabelId>,
    /// Properties of the new node.
    pub properties: Vec<(KeyId, Expr)>,
    /// A map expression giving properties (a parameter).
    pub property_map: Option<Expr>,
}

/// A relationship to create.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateRel {
    /// Where it goes in the row.
    pub slot: Slot,
    /// Its start node's slot.
    pub from: Slot,
    /// Its end node's slot.
    pub to: Slot,
    /// Its type.
    pub rel_type: TypeId,
    /// Its properties.
    pub properties: Vec<(KeyId, Expr)>,
    /// A map expression giving properties.
    pub property_map: Option<Expr>,
}

/// A path to assemble from slots once its parts are bound.
#[derive(Debug, Clone, PartialEq)]
pub struct PathSpec {
    /// Where the path goes.
    pub slot: Slot,
    /// The first node's slot.
    pub start: Slot,
    /// Each hop: the relationship slot (a list for var-length), whether it
    /// is a list, and the slot of the node after it.
    pub hops: Vec<(Slot, bool, Slot)>,
}

/// What CREATE (and MERGE's create half) makes, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CreateSpec {
    /// Nodes first.
    pub nodes: Vec<CreateNode>,
    /// Then relationships.
    pub rels: Vec<CreateRel>,
    /// Then paths.
    pub paths: Vec<PathSpec>,
}

/// A sort key: an expression over the row and a direction.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    /// The key.
    pub expr: Expr,
    /// Descending?
    pub descending: bool,
}

pub use shortest::{ElementCondition, PathFilter};

/// One step of a pipeline.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Start rows: each input row widened to `width` slots (nulls).
    Widen {
        /// The new row width.
        width: usize,
    },
    /// Bind `slot` to each node from `source` passing `filter`.
    NodeScan {
        /// Where the node goes.
        slot: Slot,
        /// How candidates are found.
        source: NodeSource,
        /// What else they must satisfy.
        filter: NodeFilter,
    },
    /// Check an already bound node against a filter (drops the row on mismatch,
    /// or when the slot is null).
    CheckNode {
        /// The node slot.
        slot: Slot,
        /// The conditions.
        filter: NodeFilter,
    },
    /// Follow relationships from a bound node.
    Expand(Hop),
    /// Bind the node that every hop reaches (all share `to`, each starts
    /// from a bound node) by intersecting their sorted typed adjacency
    /// lists: a worst-case-optimal join step that closes a cycle without
    /// expanding one side first and checking the other afterwards.
    Intersect(Vec<Hop>),
    /// Bind `slot` to the shortest path(s) between two bound nodes.
    ShortestPath {
        /// The start node slot.
        from: Slot,
        /// The end node slot.
        to: Slot,
        /// Where the path goes.
        path: Slot,
        /// Where the relationship list goes.
        rels: Slot,
        /// Direction.
        direction: Direction,
        /// Relationship conditions.
        rel_filter: RelFilter,
        /// Length bounds.
        min: u64,
        /// Upper bound.
        max: Option<u64>,
        /// `allShortestPaths` rather than one.
        all: bool,
        /// The WHERE conditions on the path, applied during the search.
        path_filter: PathFilter,
    },
    /// Assemble path values.
    BuildPaths(Vec<PathSpec>),
    /// Keep rows where the predicate is true.
    Filter(Expr),
    /// For each row, run the inner steps; when they give no row, keep the
    /// input row with `nulls` set to null.
    Optional {
        /// The steps of the OPTIONAL MATCH.
        steps: Vec<Step>,
        /// The slots the optional part binds.
        nulls: Vec<Slot>,
    },
    /// Replace each row by the values of `exprs`.
    Project(Vec<Expr>),
    /// Group by `keys` and compute aggregates; output row = keys then aggregates.
    Aggregate {
        /// Grouping expressions.
        keys: Vec<Expr>,
        /// Aggregate calls.
        aggregates: Vec<AggregateCall>,
        /// Whether rows find their group by the entity ids the keys read
        /// (every key is an entity slot or a property of one; set by the
        /// optimizer).
        by_entities: bool,
    },
    /// Drop duplicate rows (comparing the first `width` slots).
    Distinct {
        /// How many leading slots count.
        width: usize,
    },
    /// Sort rows by keys.
    Sort(Vec<SortKey>),
    /// Sort and keep only the first `limit` rows (after `skip`).
    TopK {
        /// Sort keys.
        keys: Vec<SortKey>,
        /// Rows kept.
        limit: Expr,
        /// Rows skipped first.
        skip: Option<Expr>,
    },
    /// Skip the first rows.
    Skip(Expr),
    /// Keep only the first rows.
    Limit(Expr),
    /// One row per element of a list.
    Unwind {
        /// The list expression.
        expr: Expr,
        /// Where each element goes.
        slot: Slot,
        /// Whether the list is a variable no later step reads, so each row's
        /// list is moved out rather than copied into every row made of it.
        move_list: bool,
    },
    /// Create nodes, relationships and paths.
    Create(CreateSpec),
    /// Match a pattern, or create it when it does not match.
    Merge {
        /// Steps that match the pattern against the row.
        matcher: Vec<Step>,
        /// What to create when nothing matches.
        create: CreateSpec,
        /// SET items applied after creating.
        on_create: Vec<SetOp>,
        /// SET items applied to each match.
        on_match: Vec<SetOp>,
    },
    /// SET / REMOVE items.
    Set(Vec<SetOp>),
    /// Call a procedure once per row (arguments evaluated against it):
    /// one output row per row the procedure gives, with the yielded
    /// columns in their slots.
    ProcedureCall {
        /// The procedure.
        procedure: Arc<crate::procedures::Procedure>,
        /// One argument per input (defaults filled in).
        args: Vec<Expr>,
        /// For each yielded column: its index among the outputs and its slot.
        yields: Vec<(usize, Slot)>,
    },
    /// `CALL { … }`: runs the subquery for each row.
    CallSubquery(Box<CallSubqueryPlan>),
    /// `LOAD CSV`: one output row per record of the file the row names.
    LoadCsv(Box<LoadCsvSpec>),
    /// DELETE / DETACH DELETE.
    Delete {
        /// What to delete.
        exprs: Vec<Expr>,
        /// Whether relationships of deleted nodes go too.
        detach: bool,
    },
}

impl Step {
    /// Whether the step changes the graph.
    pub fn writes(&self) -> bool {
        match self {
            Step::CallSubquery(sub) => sub.writes(),
            _ => matches!(
                self,
                Step::Create(_) | Step::Merge { .. } | Step::Set(_) | Step::Delete { .. }
            ),
        }
    }
}

/// A planned `LOAD CSV`.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadCsvSpec {
    /// The `file:///…` URL, evaluated per input row.
    pub url: Expr,
    /// `WITH HEADERS`: records become maps keyed by the first record.
    pub headers: bool,
    /// The field separator byte.
    pub terminator: u8,
    /// Where each record goes.
    pub slot: Slot,
    /// Where its line number goes (`linenumber()`).
    pub line_slot: Slot,
    /// Where the file's path goes (`file()`).
    pub file_slot: Slot,
    /// The directory `file:///` URLs resolve in (`None`: the current one).
    pub import_dir: Option<std::path::PathBuf>,
}

/// One UNION branch of a subquery: which outer slots it imports (they
/// become its first slots, in order) and its steps.
#[derive(Debug, Clone, PartialEq)]
pub struct SubqueryBranch {
    /// The outer slots copied into the subquery's row.
    pub imports: Vec<Slot>,
    /// The subquery's steps.
    pub pipeline: Pipeline,
}

impl SubqueryBranch {
    /// Whether the branch changes the graph.
    pub fn writes(&self) -> bool {
        self.pipeline.steps.iter().any(Step::writes)
    }
}

/// A planned `CALL { … }` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSubqueryPlan {
    /// The UNION branches.
    pub branches: Vec<SubqueryBranch>,
    /// `UNION` rather than `UNION ALL`: duplicate result rows are dropped.
    pub union_distinct: bool,
    /// The outer slots the returned columns go to, in column order; empty
    /// for a subquery without RETURN (each input row then passes through).
    pub returns: Vec<Slot>,
    /// `IN TRANSACTIONS [OF n ROWS]`: the number of input rows per batch.
    pub batch_rows: Option<Expr>,
}

impl CallSubqueryPlan {
    /// Whether any branch changes the graph.
    pub fn writes(&self) -> bool {
        self.branches.iter().any(SubqueryBranch::writes)
    }
}

/// A name as kept in plans for printing (EXPLAIN) and column names.
pub type Name = Arc<str>;
