//! The abstract syntax tree: what a statement says, with the span of every
//! part, before any name is resolved.

use crate::error::Span;

/// A name as written (backticks removed), with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// One statement: a query, optionally prefixed by EXPLAIN or PROFILE.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `EXPLAIN` / `PROFILE` prefix, if any.
    pub mode: StatementMode,
    /// The query itself.
    pub query: Query,
    /// The whole statement without the trailing `;`.
    pub span: Span,
}

/// How a statement is to be run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementMode {
    /// Run it and return rows.
    Run,
    /// Plan it and return the plan without running it.
    Explain,
    /// Run it and return the plan with rows and time per operator.
    Profile,
}

/// One or more single queries joined by UNION / UNION ALL.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The first single query.
    pub first: SingleQuery,
    /// The following ones, each with whether it was joined by `UNION ALL`.
    pub unions: Vec<(bool, SingleQuery)>,
    /// The whole query.
    pub span: Span,
}

/// A sequence of clauses, ending in RETURN or in a writing clause.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleQuery {
    /// The clauses in order.
    pub clauses: Vec<Clause>,
    /// The whole single query.
    pub span: Span,
}

/// A clause with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// What the clause is.
    pub kind: ClauseKind,
    /// Where it was written.
    pub span: Span,
}

/// The clauses of the language.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    /// `[OPTIONAL] MATCH pattern [AS OF expr] [WHERE expr]`
    Match(Match),
    /// `UNWIND expr AS name`
    Unwind {
        /// The list to unwind.
        expr: Expr,
        /// The variable bound to each element.
        alias: Ident,
    },
    /// `WITH projection [WHERE expr]`
    With(Projection),
    /// `RETURN projection`
    Return(Projection),
    /// `CREATE pattern`
    Create(Vec<PatternPart>),
    /// `MERGE part [ON CREATE SET …] [ON MATCH SET …]`
    Merge(Merge),
    /// `SET item, …`
    Set(Vec<SetItem>),
    /// `REMOVE item, …`
    Remove(Vec<RemoveItem>),
    /// `[DETACH] DELETE expr, …`
    Delete {
        /// Whether `DETACH` was given.
        detach: bool,
        /// What to delete.
        exprs: Vec<Expr>,
    },
    /// `CALL name(args) [YIELD … [WHERE …]]` or `SHOW …`.
    Call(ProcedureCall),
    /// `CALL [(vars)] { query } [IN TRANSACTIONS [OF n ROWS]]`
    CallSubquery(CallSubquery),
    /// `FOREACH (x IN list | update …)`
    Foreach {
        /// The element variable.
        variable: Ident,
        /// The list.
        list: Expr,
        /// The updating clauses run for each element.
        clauses: Vec<Clause>,
    },
    /// `USE graph` (refused: kgq has one graph per session).
    Use(Expr),
    /// `LOAD CSV [WITH HEADERS] FROM url AS row [FIELDTERMINATOR 'c']`
    LoadCsv {
        /// `WITH HEADERS`: each row is a map keyed by the first line.
        headers: bool,
        /// The `file:///…` URL.
        url: Expr,
        /// The row variable.
        alias: Ident,
        /// The field separator (default `,`).
        terminator: Option<String>,
    },
    /// `CREATE INDEX …`, `CREATE CONSTRAINT …`, `DROP INDEX | CONSTRAINT …`.
    Schema(SchemaCommand),
}

/// A schema command.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaCommand {
    /// `CREATE [RANGE|TEXT] INDEX [name] [IF NOT EXISTS] FOR (n:L) ON (n.p, …)`
    CreateIndex {
        /// The name, if given.
        name: Option<Ident>,
        /// Range (the default) or text.
        kind: crate::schema::IndexKind,
        /// The label.
        label: Ident,
        /// The property keys.
        properties: Vec<Ident>,
        /// `IF NOT EXISTS`
        if_not_exists: bool,
    },
    /// `CREATE CONSTRAINT [name] [IF NOT EXISTS] FOR (n:L) REQUIRE … IS …`
    CreateConstraint {
        /// The name, if given.
        name: Option<Ident>,
        /// Unique, not null or node key.
        kind: crate::schema::ConstraintKind,
        /// The label.
        label: Ident,
        /// The property keys.
        properties: Vec<Ident>,
        /// `IF NOT EXISTS`
        if_not_exists: bool,
    },
    /// `CREATE FULLTEXT INDEX [name] [IF NOT EXISTS] FOR (n:A|B) ON EACH
    /// [n.p, …] [OPTIONS {…}]` (or `FOR ()-[r:T|U]-()`)
    CreateFulltext {
        /// The name, if given.
        name: Option<Ident>,
        /// Relationships rather than nodes.
        relationships: bool,
        /// The labels or relationship types.
        tokens: Vec<Ident>,
        /// The property keys.
        properties: Vec<Ident>,
        /// The `OPTIONS` map, if given.
        options: Option<Expr>,
        /// `IF NOT EXISTS`
        if_not_exists: bool,
    },
    /// `DROP INDEX name [IF EXISTS]` / `DROP CONSTRAINT name [IF EXISTS]`
    Drop {
        /// A constraint rather than an index.
        constraint: bool,
        /// The name.
        name: Ident,
        /// `IF EXISTS`
        if_exists: bool,
    },
}

/// `CALL [(x, y) | (*)] { query } [IN TRANSACTIONS [OF n ROWS]]`
#[derive(Debug, Clone, PartialEq)]
pub struct CallSubquery {
    /// The variable scope clause `(x, y)` or `(*)`; `None` without one
    /// (an importing `WITH` at the start of the subquery imports then).
    pub scope: Option<ImportScope>,
    /// The subquery.
    pub query: Query,
    /// `IN TRANSACTIONS`, with the `OF n ROWS` expression if given.
    pub in_transactions: Option<Option<Expr>>,
}

/// The variables a `CALL (…) { … }` subquery imports.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportScope {
    /// `(*)`: every variable in scope.
    All,
    /// `(x, y)`: these (none for `()`).
    Vars(Vec<Ident>),
}

/// Which value an expression subquery gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubqueryKind {
    /// `EXISTS { … }`: whether it gives a row.
    Exists,
    /// `COUNT { … }`: how many rows it gives.
    Count,
    /// `COLLECT { … }`: the list of its single column.
    Collect,
}

/// The body of an expression subquery.
#[derive(Debug, Clone, PartialEq)]
pub enum SubqueryBody {
    /// A pattern with an optional WHERE.
    Pattern(Exists),
    /// A whole query.
    Query(Query),
}

/// A procedure call: `CALL name(args) [YIELD … [WHERE …]]`, or a `SHOW …`
/// command, which calls a hidden procedure.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcedureCall {
    /// The dotted procedure name (backticks removed).
    pub name: Ident,
    /// The arguments; `None` when written without parentheses (a
    /// standalone call then takes them from parameters of the same names).
    pub args: Option<Vec<Expr>>,
    /// `YIELD *` or `YIELD a, b AS c`; `None` without YIELD.
    pub yields: Option<Yields>,
    /// The WHERE after YIELD (or directly after a SHOW command).
    pub where_: Option<Expr>,
    /// Set for `SHOW …` commands.
    pub show: Option<Show>,
}

/// What a `SHOW` command lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// `SHOW PROCEDURES`
    Procedures,
    /// `SHOW [ALL | BUILT IN | USER DEFINED] FUNCTIONS`
    Functions(FunctionFilter),
    /// `SHOW [ALL | type] INDEXES`
    Indexes,
    /// `SHOW [ALL | type] CONSTRAINTS`
    Constraints,
}

/// Which functions `SHOW FUNCTIONS` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionFilter {
    /// Every function (the default).
    All,
    /// `BUILT IN` functions.
    BuiltIn,
    /// `USER DEFINED` functions (kgq has none).
    UserDefined,
}

/// The YIELD part of a procedure call.
#[derive(Debug, Clone, PartialEq)]
pub enum Yields {
    /// `YIELD *` (standalone calls only).
    Star,
    /// `YIELD field [AS alias], …`
    Items(Vec<YieldItem>),
}

/// `field [AS alias]` after YIELD.
#[derive(Debug, Clone, PartialEq)]
pub struct YieldItem {
    /// The procedure's output field.
    pub field: Ident,
    /// The variable it is bound to, if renamed.
    pub alias: Option<Ident>,
}

impl YieldItem {
    /// The variable the field is bound to.
    pub fn variable(&self) -> &Ident {
        self.alias.as_ref().unwrap_or(&self.field)
    }
}

/// A MATCH or OPTIONAL MATCH clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// `OPTIONAL MATCH`?
    pub optional: bool,
    /// The comma-separated pattern parts.
    pub pattern: Vec<PatternPart>,
    /// `AS OF expr`: match only elements valid at that instant.
    pub as_of: Option<Expr>,
    /// The WHERE predicate.
    pub where_: Option<Expr>,
}

/// A MERGE clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// The single pattern part to match or create.
    pub pattern: PatternPart,
    /// `ON ALIAS` (a kgq extension): a node's `name` in the pattern also
    /// matches an existing node whose name or alias is equal to it in
    /// normal form (see [`crate::resolve`]).
    pub on_alias: bool,
    /// `ON CREATE SET` items.
    pub on_create: Vec<SetItem>,
    /// `ON MATCH SET` items.
    pub on_match: Vec<SetItem>,
}

/// The body of WITH and RETURN.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// `DISTINCT`?
    pub distinct: bool,
    /// `*` was given (as the first item).
    pub star: bool,
    /// The projected items.
    pub items: Vec<ProjectionItem>,
    /// `ORDER BY` keys.
    pub order_by: Vec<SortItem>,
    /// `SKIP expr`.
    pub skip: Option<Expr>,
    /// `LIMIT expr`.
    pub limit: Option<Expr>,
    /// `WHERE expr` (WITH only).
    pub where_: Option<Expr>,
}

/// `expr [AS alias]` in a projection.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionItem {
    /// The expression.
    pub expr: Expr,
    /// The alias, if given.
    pub alias: Option<Ident>,
    /// The expression's source text, used as the column name without alias.
    pub text: String,
}

/// One ORDER BY key.
#[derive(Debug, Clone, PartialEq)]
pub struct SortItem {
    /// The key expression.
    pub expr: Expr,
    /// `DESC` / `DESCENDING`?
    pub descending: bool,
}

/// One item of a SET clause.
#[derive(Debug, Clone, PartialEq)]
pub enum SetItem {
    /// `target.key = value` (target is any expression yielding an entity).
    Property {
        /// The expression before the final `.key`.
        target: Expr,
        /// The property key.
        key: Ident,
        /// The new value.
        value: Expr,
    },
    /// `n = map` (replace all properties).
    Replace {
        /// The variable.
        variable: Ident,
        /// The new properties.
        value: Expr,
    },
    /// `n += map` (merge properties).
    Merge {
        /// The variable.
        variable: Ident,
        /// The properties to add or overwrite.
        value: Expr,
    },
    /// `n:Label:Other`
    Labels {
        /// The variable.
        variable: Ident,
        /// The labels to add.
        labels: Vec<Ident>,
    },
}

/// One item of a REMOVE clause.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoveItem {
    /// `target.key`
    Property {
        /// The expression before the final `.key`.
        target: Expr,
        /// The property key.
        key: Ident,
    },
    /// `n:Label:Other`
    Labels {
        /// The variable.
        variable: Ident,
        /// The labels to remove.
        labels: Vec<Ident>,
    },
}

/// How a pattern part is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSelector {
    /// Every match.
    All,
    /// `shortestPath(…)`: one shortest match per pair of end nodes.
    Shortest,
    /// `allShortestPaths(…)`: every shortest match per pair of end nodes.
    AllShortest,
}

/// `[p =] [shortestPath(] element [)]`
#[derive(Debug, Clone, PartialEq)]
pub struct PatternPart {
    /// The path variable, if any.
    pub variable: Option<Ident>,
    /// Plain, shortestPath or allShortestPaths.
    pub selector: PathSelector,
    /// The chain of nodes and relationships.
    pub element: PatternElement,
    /// The whole part.
    pub span: Span,
}

/// `(a)-[r]->(b)<-[s]-(c)…`
#[derive(Debug, Clone, PartialEq)]
pub struct PatternElement {
    /// The first node.
    pub start: NodePattern,
    /// Each following relationship with the node after it.
    pub chain: Vec<(RelPattern, NodePattern)>,
    /// The whole element.
    pub span: Span,
}

/// `(var:Label:Other {props})`
#[derive(Debug, Clone, PartialEq)]
pub struct NodePattern {
    /// The variable, if any.
    pub variable: Option<Ident>,
    /// Labels the node must all have.
    pub labels: Vec<Ident>,
    /// A label expression beyond a conjunction of names (`:A|B`, `:!A`,
    /// `:%`); `labels` is then empty.
    pub label_expr: Option<LabelExpr>,
    /// A map literal or a parameter.
    pub properties: Option<Expr>,
    /// The node pattern including its parentheses.
    pub span: Span,
}

/// Which way a relationship pattern points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `-[]->`
    Outgoing,
    /// `<-[]-`
    Incoming,
    /// `-[]-` (or `<-[]->`)
    Either,
}

/// `-[var:TYPE|OTHER *min..max {props}]->`
#[derive(Debug, Clone, PartialEq)]
pub struct RelPattern {
    /// The variable, if any.
    pub variable: Option<Ident>,
    /// Type alternatives (empty = any type).
    pub types: Vec<Ident>,
    /// A type expression beyond alternatives of names (`:!T`, `:%`);
    /// `types` is then empty.
    pub type_expr: Option<LabelExpr>,
    /// The direction.
    pub direction: Direction,
    /// `*…` given: variable length with these bounds.
    pub length: Option<LengthRange>,
    /// A map literal or a parameter.
    pub properties: Option<Expr>,
    /// The relationship pattern including its arrows.
    pub span: Span,
}

/// The bounds of `*min..max`; `None` = not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LengthRange {
    /// Lower bound (default 1).
    pub min: Option<u64>,
    /// Upper bound (default unbounded).
    pub max: Option<u64>,
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// Literal constants.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer (decimal, `0x…` hex or `0o…` octal).
    Integer(i64),
    /// A float.
    Float(f64),
    /// A string with escapes resolved.
    String(String),
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `NOT`
    Not,
    /// `-`
    Negate,
    /// `+`
    Plus,
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `OR`
    Or,
    /// `XOR`
    Xor,
    /// `AND`
    And,
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `^`
    Pow,
    /// `IN`
    In,
    /// `STARTS WITH`
    StartsWith,
    /// `ENDS WITH`
    EndsWith,
    /// `CONTAINS`
    Contains,
    /// `=~`
    Regex,
}

/// `all`, `any`, `none`, `single` list predicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// `all(x IN list WHERE p)`
    All,
    /// `any(x IN list WHERE p)`
    Any,
    /// `none(x IN list WHERE p)`
    None,
    /// `single(x IN list WHERE p)`
    Single,
}

/// The expressions of the language.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// A constant.
    Literal(Literal),
    /// `$name` (or `$0`).
    Parameter(String),
    /// A variable.
    Variable(String),
    /// `[a, b, …]`
    List(Vec<Expr>),
    /// `{key: value, …}`
    Map(Vec<(Ident, Expr)>),
    /// `expr.key`
    Property(Box<Expr>, Ident),
    /// `expr[index]`
    Index(Box<Expr>, Box<Expr>),
    /// `expr[from..to]`
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `NOT e`, `-e`, `+e`
    Unary(UnaryOp, Box<Expr>),
    /// `a op b`
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `e IS NULL` (false) / `e IS NOT NULL` (true)
    IsNull(Box<Expr>, bool),
    /// `e IS [NOT] [form] NORMALIZED`: the form as written (`None` means
    /// NFC) and whether `NOT` was written.
    IsNormalized(Box<Expr>, Option<NormalForm>, bool),
    /// `n:Label:Other` as a predicate.
    HasLabels(Box<Expr>, Vec<Ident>),
    /// `n:A|B`, `n:!A`, `n:%` …: a label expression as a predicate (on a
    /// relationship it tests the type).
    LabelTest(Box<Expr>, LabelExpr),
    /// `name([DISTINCT] args)`; `name` may be dotted (`date.truncate`).
    Function {
        /// The function name as written.
        name: Ident,
        /// `DISTINCT` inside the parentheses (aggregates).
        distinct: bool,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `count(*)`
    CountStar,
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`
    Case {
        /// The operand of the simple form.
        operand: Option<Box<Expr>>,
        /// `WHEN` / `THEN` pairs.
        alternatives: Vec<(Expr, Expr)>,
        /// `ELSE` value.
        default: Option<Box<Expr>>,
    },
    /// `[x IN list WHERE p | e]`
    ListComprehension {
        /// The element variable.
        variable: Ident,
        /// The list.
        list: Box<Expr>,
        /// The filter.
        predicate: Option<Box<Expr>>,
        /// The mapping.
        projection: Option<Box<Expr>>,
    },
    /// `all/any/none/single(x IN list WHERE p)`
    Quantified {
        /// Which quantifier.
        quantifier: Quantifier,
        /// The element variable.
        variable: Ident,
        /// The list.
        list: Box<Expr>,
        /// The predicate.
        predicate: Box<Expr>,
    },
    /// `reduce(acc = init, x IN list | e)`
    Reduce {
        /// The accumulator variable.
        accumulator: Ident,
        /// Its initial value.
        init: Box<Expr>,
        /// The element variable.
        variable: Ident,
        /// The list.
        list: Box<Expr>,
        /// The step expression.
        expr: Box<Expr>,
    },
    /// A pattern used as a predicate: `(a)-[:T]->()`.
    Pattern(Box<PatternElement>),
    /// `[p = (a)-->(b) WHERE pred | expr]`
    PatternComprehension {
        /// The path variable, if any.
        variable: Option<Ident>,
        /// The pattern.
        pattern: Box<PatternElement>,
        /// The filter.
        predicate: Option<Box<Expr>>,
        /// The mapping.
        projection: Box<Expr>,
    },
    /// `n{.name, .*, key: expr, var}`
    MapProjection(Box<Expr>, Vec<MapProjectionItem>),
    /// `COUNT { … }`, `COLLECT { … }`, or `EXISTS { … }` around a whole query.
    Subquery(SubqueryKind, Box<SubqueryBody>),
    /// `EXISTS { pattern [WHERE p] }` or `EXISTS { MATCH … }` or `exists(pattern)`.
    Exists(Box<Exists>),
}

/// One item of a map projection.
#[derive(Debug, Clone, PartialEq)]
pub enum MapProjectionItem {
    /// `.key`: the property of that name.
    Property(Ident),
    /// `.*`: every property.
    AllProperties,
    /// `key: expr`
    Entry(Ident, Expr),
    /// `var`: the variable under its own name.
    Variable(Ident),
}

/// A label expression (on relationships, a type expression).
#[derive(Debug, Clone, PartialEq)]
pub enum LabelExpr {
    /// A label or type name.
    Name(Ident),
    /// `%`: any label (a node with at least one label; any relationship).
    Wildcard,
    /// `!e`
    Not(Box<LabelExpr>),
    /// `a&b` (or `a:b`)
    And(Vec<LabelExpr>),
    /// `a|b`
    Or(Vec<LabelExpr>),
}

impl LabelExpr {
    /// The names of a plain conjunction `:A:B` / `:A&B`, else `None`.
    pub fn conjunction(&self) -> Option<Vec<Ident>> {
        match self {
            LabelExpr::Name(n) => Some(vec![n.clone()]),
            LabelExpr::And(items) => items
                .iter()
                .map(|i| match i {
                    LabelExpr::Name(n) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    /// The names of a plain disjunction `:A|B`, else `None`.
    pub fn disjunction(&self) -> Option<Vec<Ident>> {
        match self {
            LabelExpr::Name(n) => Some(vec![n.clone()]),
            LabelExpr::Or(items) => items
                .iter()
                .map(|i| match i {
                    LabelExpr::Name(n) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    /// Whether the expression holds for an element whose labels (or
    /// single type) satisfy `has`, and which has any label at all if `any`.
    pub fn holds(&self, has: &dyn Fn(&str) -> bool, any: bool) -> bool {
        match self {
            LabelExpr::Name(n) => has(&n.name),
            LabelExpr::Wildcard => any,
            LabelExpr::Not(e) => !e.holds(has, any),
            LabelExpr::And(items) => items.iter().all(|i| i.holds(has, any)),
            LabelExpr::Or(items) => items.iter().any(|i| i.holds(has, any)),
        }
    }
}

/// The body of an `EXISTS { … }` subquery.
#[derive(Debug, Clone, PartialEq)]
pub struct Exists {
    /// The pattern parts to look for.
    pub pattern: Vec<PatternPart>,
    /// An optional WHERE predicate.
    pub where_: Option<Expr>,
}

impl Expr {
    /// An expression of `kind` at `span`.
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span }
    }
}

/// A Unicode normalization form, as written in `normalize(s, NFD)` and
/// `s IS NFKC NORMALIZED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NormalForm {
    /// Canonical decomposition, then canonical composition (the default).
    Nfc,
    /// Canonical decomposition.
    Nfd,
    /// Compatibility decomposition, then canonical composition.
    Nfkc,
    /// Compatibility decomposition.
    Nfkd,
}

impl NormalForm {
    /// The form named `name` (case-insensitive), if it is one.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Nfc, Self::Nfd, Self::Nfkc, Self::Nfkd]
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The form's name as the language writes it: `NFC`, `NFD`, `NFKC`, `NFKD`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Nfc => "NFC",
            Self::Nfd => "NFD",
            Self::Nfkc => "NFKC",
            Self::Nfkd => "NFKD",
        }
    }
}
