//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// kgq — an embedded knowledge-graph store with a query language modelled on openCypher.
#[derive(Debug, Parser)]
#[command(name = "kgq", version, about, long_about = None)]
pub struct Cli {
    /// What to do (without a command: open the interactive shell on the
    /// bundled example graph).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run statement scripts (`-` reads standard input); statements end with `;`.
    Run(RunArgs),
    /// Run one statement.
    Query(QueryArgs),
    /// Show what a snapshot holds (format, version, counts, checksum).
    Inspect(InspectArgs),
    /// Open the interactive shell (reads statements like `run -` when
    /// standard input is not a terminal).
    Repl(ReplArgs),
    /// Bulk-load files into a snapshot.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write the graph, or what a query returns, as Cypher, JSON lines,
    /// neo4j-admin CSV, Parquet, GraphML, DOT or Mermaid.
    Export(ExportArgs),
    /// Time the benchmark queries Q1–Q11 on a generated data folder.
    Bench(BenchArgs),
    /// List the nodes whose name or alias resembles TEXT, with scores
    /// (normalised: case, accents, punctuation, Co./Ltd./Group, other scripts).
    Find(FindArgs),
    /// Compare two graphs (snapshots, stores or scripts): nodes and
    /// relationships added, removed and changed, matched by label and name.
    Diff(DiffArgs),
    /// Serve the graph to many clients at once over Bolt (Neo4j's drivers
    /// and tools); loopback only unless --auth is given.
    Serve(ServeArgs),
}

/// `kgq serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The graph: a store (opened durably, with its lock; created when the
    /// file does not exist), or a query script (served in memory). The
    /// bundled example graph when not given.
    #[arg(value_name = "GRAPH")]
    pub graph: Option<PathBuf>,
    /// Serve Bolt at this address (default 127.0.0.1:7687; port 0 picks a
    /// free port).
    #[arg(long, value_name = "ADDR")]
    pub bolt: Option<String>,
    /// Serve the HTTP query API and the graph explorer page at this
    /// address (e.g. 127.0.0.1:7474). Without --bolt, only HTTP is served.
    #[arg(long, value_name = "ADDR")]
    pub http: Option<String>,
    /// Let pages from this origin call the HTTP API (`*`: any origin).
    /// Off by default: no CORS headers are sent.
    #[arg(long, value_name = "ORIGIN", requires = "http")]
    pub cors: Option<String>,
    /// Require these credentials (`user:password`); needed to listen on a
    /// non-loopback address.
    #[arg(long, value_name = "USER:PASSWORD", conflicts_with = "auth_file")]
    pub auth: Option<String>,
    /// Read the credentials (`user:password`, first line) from a file.
    #[arg(long, value_name = "FILE")]
    pub auth_file: Option<PathBuf>,
    /// Refuse write statements (a store is opened without its lock).
    #[arg(long)]
    pub read_only: bool,
    /// Stop a statement after this many seconds (clients may ask for less).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Close a connection idle for this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 600.0)]
    pub idle_timeout: f64,
    /// Roll back a transaction (and close its connection) idle for this
    /// many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub tx_idle_timeout: f64,
    /// How long a writer waits for its turn before a transient error.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub lock_timeout: f64,
    /// The largest request message a client may send.
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(64 << 20))]
    pub max_message_size: ByteSize,
    /// Most relationships one statement may traverse in variable-length
    /// and shortest-path patterns.
    #[arg(long, value_name = "N", default_value_t = kgq::exec::Limits::default().max_expansions)]
    pub max_expansions: u64,
    /// Most rows one operator may hold.
    #[arg(long, value_name = "N", default_value_t = kgq::exec::Limits::default().max_buffered_rows)]
    pub max_rows: usize,
    /// Most memory one statement's intermediate results may hold.
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(kgq::exec::Limits::default().max_memory))]
    pub max_memory: ByteSize,
    /// The largest single string, list or map a statement may build.
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(kgq::exec::Limits::default().max_value_bytes))]
    pub max_value_size: ByteSize,
}

/// `kgq find`.
#[derive(Debug, Args)]
pub struct FindArgs {
    /// The name to look for.
    #[arg(value_name = "TEXT")]
    pub text: String,
    /// The graph (default: the bundled example graph).
    #[arg(short = 'g', long = "graph", value_name = "GRAPH")]
    pub graph: Option<PathBuf>,
    /// Most candidates listed.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Output format (`json` for JSON; anything else prints a table).
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// How `kgq diff` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A readable report.
    Text,
    /// One JSON document.
    Json,
    /// A kgq script that turns the first graph into the second.
    Script,
}

/// `kgq diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The graph before (`bundled` for the bundled example graph).
    #[arg(value_name = "A")]
    pub a: PathBuf,
    /// The graph after.
    #[arg(value_name = "B")]
    pub b: PathBuf,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Compare both graphs as they stood at this date (valid time).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

/// `kgq import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Load a folder of CSV files: one file per label and relationship type
    /// (`id` / `from`,`to` columns, inferred types) or the neo4j-admin
    /// layout (`:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, `name:type`).
    Csv(ImportCsvArgs),
    /// Load JSON lines (`kgq export jsonl`): one object per node and relationship.
    Jsonl(ImportFilesArgs),
    /// Load GraphML files (`kgq export graphml`, networkx, Gephi, yEd, APOC).
    Graphml(ImportFilesArgs),
    /// Run Cypher scripts (`kgq export cypher`) on an empty graph.
    Cypher(ImportFilesArgs),
    /// Load a folder of Parquet files (`kgq export parquet`, or one file
    /// per label with an `id` column and one per relationship type with
    /// `src`, `dst` columns).
    Parquet(ImportParquetArgs),
}

/// `kgq import parquet`.
#[derive(Debug, Args)]
pub struct ImportParquetArgs {
    /// The folder of `.parquet` files (with its `manifest.json`, if any).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The snapshot file to write (nothing is written when the import fails).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace `--out` if it exists (never a store another kgq process holds open).
    #[arg(long)]
    pub force: bool,
}

/// `kgq import jsonl|graphml|cypher`.
#[derive(Debug, Args)]
pub struct ImportFilesArgs {
    /// The files to read, in order.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The snapshot file to write (nothing is written when the import fails).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace `--out` if it exists (never a store another kgq process holds open).
    #[arg(long)]
    pub force: bool,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A Cypher script that rebuilds the graph.
    Cypher,
    /// One JSON object per node and relationship.
    Jsonl,
    /// The neo4j-admin bulk-import CSV layout (needs `-o DIR`).
    Neo4j,
    /// Parquet files, one per label and relationship type, with a
    /// manifest and neo4j-admin headers (needs `-o DIR`).
    Parquet,
    /// GraphML with typed keys.
    Graphml,
    /// Graphviz DOT, for `dot -Tsvg`.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

/// `kgq export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,
    /// The graph: a snapshot or a script (the bundled example graph when not given).
    #[arg(short = 'g', long = "graph", value_name = "GRAPH")]
    pub graph: Option<PathBuf>,
    /// Where to write: a file (standard output when not given), or a
    /// folder for `neo4j` and `parquet`.
    #[arg(short = 'o', long = "out", value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
    /// Export only the nodes, relationships and paths this query returns
    /// (a relationship brings its ends).
    #[arg(short = 'q', long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Nodes per CREATE statement in `cypher` scripts.
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub batch: usize,
    /// Export the graph as it stood at this date (valid time): elements not
    /// valid then are left out.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Replace the file `-o` names if it exists (never a store another kgq
    /// process holds open).
    #[arg(long)]
    pub force: bool,
}

/// `kgq import csv`.
#[derive(Debug, Args)]
pub struct ImportCsvArgs {
    /// The folder of `.csv` files.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The snapshot file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace `--out` if it exists (never a store another kgq process holds open).
    #[arg(long)]
    pub force: bool,
}

/// `kgq bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// A data folder written by gen_kg.py (CSV files and params.json).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Timed runs per query, after one warm-up.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Only these queries, e.g. `Q1,Q6`.
    #[arg(long, value_name = "Q1,Q2")]
    pub queries: Option<String>,
    /// Also write the results as JSON to this file.
    #[arg(long, value_name = "OUT")]
    pub json: Option<PathBuf>,
    /// A warm-up slower than this many seconds gets one timed run only.
    #[arg(long, default_value_t = 10.0)]
    pub slow_s: f64,
    /// Stop a query after this many seconds and report a timeout (as
    /// peer_kuzu.py's --timeout does).
    #[arg(long, default_value_t = 120.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Print each query's PROFILE (rows and time per operator) to stderr.
    #[arg(long)]
    pub profile: bool,
    /// Most threads one query may run on (1: every query on one thread).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub threads: usize,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A framed table, then a summary line.
    Table,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One JSON document per statement: columns, rows, statistics.
    Json,
    /// One JSON object per row.
    Jsonl,
    /// A Markdown table.
    Markdown,
}

/// Options every running command shares.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// The graph to start from: a query script that builds it. `run` starts
    /// from an empty graph and `query` from the bundled example graph when
    /// this is not given.
    #[arg(short = 'g', long = "graph", value_name = "GRAPH")]
    pub graph: Option<PathBuf>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// A parameter `$name`, given as `name=value` where the value is a
    /// literal of the language (`year=2024`, `names=['Russia','China']`).
    #[arg(short, long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Stop a statement after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Save the graph as a snapshot to this file when done.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Replace the file `--save` names if it exists (never a store another
    /// kgq process holds open).
    #[arg(long)]
    pub force: bool,
    /// Open a store without writing to it (no lock; writes are refused).
    #[arg(long)]
    pub read_only: bool,
    /// Most relationships one statement may traverse in variable-length
    /// and shortest-path patterns.
    #[arg(long, value_name = "N", default_value_t = kgq::exec::Limits::default().max_expansions)]
    pub max_expansions: u64,
    /// Most rows one operator (sort, aggregation, a write's input) may hold.
    #[arg(long, value_name = "N", default_value_t = kgq::exec::Limits::default().max_buffered_rows)]
    pub max_rows: usize,
    /// Valid time: every MATCH sees only the nodes and relationships valid
    /// at this date or date-time (`2025-02-10`, `2025-02-10T12:00`), and
    /// `--save` writes the graph as it stood then.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Provenance: under each result, the relationships behind every row
    /// with their sources.
    #[arg(long)]
    pub why: bool,
    /// Most memory one statement's intermediate results (sorted, grouped,
    /// collected and returned rows) may hold, e.g. `512M`, `8G`.
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(kgq::exec::Limits::default().max_memory))]
    pub max_memory: ByteSize,
    /// The largest single string, list or map a statement may build, e.g. `1G`.
    #[arg(long, value_name = "SIZE", default_value_t = ByteSize(kgq::exec::Limits::default().max_value_bytes))]
    pub max_value_size: ByteSize,
    /// The directory `LOAD CSV FROM 'file:///name.csv'` reads in (default:
    /// the current directory); URLs cannot leave it.
    #[arg(long, value_name = "DIR")]
    pub import_dir: Option<std::path::PathBuf>,
    /// Do not print warnings (unknown labels, relationship types and
    /// property keys, comparisons that cannot hold, cartesian products,
    /// unbounded patterns) on standard error.
    #[arg(long)]
    pub no_warnings: bool,
}

/// A number of bytes, written plainly or with a `K`, `M`, `G` or `T`
/// suffix (powers of 1024; `KiB`, `MB` and the like are read the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl std::str::FromStr for ByteSize {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (number, unit) = t.split_at(digits);
        let number: u64 = number
            .parse()
            .map_err(|_| format!("`{text}` is not a size (try 512M or 4G)"))?;
        let shift = match unit.trim().to_ascii_uppercase().as_str() {
            "" | "B" => 0,
            "K" | "KB" | "KIB" => 10,
            "M" | "MB" | "MIB" => 20,
            "G" | "GB" | "GIB" => 30,
            "T" | "TB" | "TIB" => 40,
            _ => return Err(format!("`{text}` is not a size (try 512M or 4G)")),
        };
        number
            .checked_mul(1 << shift)
            .map(ByteSize)
            .ok_or_else(|| format!("`{text}` is too large"))
    }
}

impl std::fmt::Display for ByteSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const UNITS: [(u32, &str); 4] = [(40, "T"), (30, "G"), (20, "M"), (10, "K")];
        for (shift, name) in UNITS {
            if self.0 >= 1 << shift && self.0 % (1 << shift) == 0 {
                return write!(f, "{}{name}", self.0 >> shift);
            }
        }
        write!(f, "{}", self.0)
    }
}

/// `kgq run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Script files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Stop at the first failing statement (the default).
    #[arg(long, overrides_with = "continue_on_error")]
    pub stop_on_error: bool,
    /// Report failing statements and go on with the next ones.
    #[arg(long, overrides_with = "stop_on_error")]
    pub continue_on_error: bool,
    /// All or nothing: run every script as one transaction, kept only if
    /// every statement succeeds (a store journals it as one record).
    #[arg(long)]
    pub atomic: bool,
}

/// `kgq query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The statement.
    #[arg(value_name = "TEXT")]
    pub text: String,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `kgq repl`.
#[derive(Debug, Clone, Default, Args)]
pub struct ReplArgs {
    /// The graph to open: a query script that builds it (the bundled
    /// example graph when not given).
    #[arg(value_name = "GRAPH")]
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The options as they are when none is given on the command line.
impl Default for CommonArgs {
    fn default() -> Self {
        let limits = kgq::exec::Limits::default();
        CommonArgs {
            graph: None,
            format: Format::Table,
            params: Vec::new(),
            timeout: None,
            save: None,
            force: false,
            read_only: false,
            max_expansions: limits.max_expansions,
            max_rows: limits.max_buffered_rows,
            as_of: None,
            why: false,
            max_memory: ByteSize(limits.max_memory),
            max_value_size: ByteSize(limits.max_value_bytes),
            import_dir: None,
            no_warnings: false,
        }
    }
}

/// `kgq inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The snapshot file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format (`json` for a JSON object; anything else prints text).
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}
