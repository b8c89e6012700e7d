//! `kgq find` (entity resolution) and `kgq diff` (graph diff), and the
//! helpers the shell's `:find` and `:diff` share with them.

use std::io::{self, Write};
use std::path::Path;

use kgq::resolve::{self, Candidate};
use kgq::{Graph, QueryResult, Value};

use crate::args::{DiffArgs, DiffFormat, FindArgs, Format};
use crate::output;
use crate::runner::{self, FAILED, LoadFailure, OK, USAGE};

/// Loads a graph to compare or search: `bundled`, a snapshot or store (its
/// journal replayed, opened read-only), or a script.
pub fn load_any(path: &Path) -> Result<Graph, LoadFailure> {
    if path.as_os_str() == "bundled" {
        return kgq::bundled::graph().map_err(|error| LoadFailure {
            error,
            origin: kgq::bundled::NAME.to_string(),
            source: kgq::bundled::SCRIPT.to_string(),
        });
    }
    if kgq::snapshot::is_snapshot_file(path).unwrap_or(false) {
        return kgq::open(path)
            .and_then(|store| store.into_graph())
            .map_err(|error| LoadFailure {
                error,
                origin: path.display().to_string(),
                source: String::new(),
            });
    }
    runner::load_graph(path)
}

/// The candidates for `text` in `graph` as a result table: score, labels,
/// name, and the name or alias that matched.
pub fn find_result(graph: &Graph, text: &str, limit: usize) -> QueryResult {
    let found: Vec<Candidate> = resolve::find(graph, text, resolve::FIND_THRESHOLD, limit);
    let rows = found
        .iter()
        .map(|c| {
            let labels = graph.node_labels(c.node).join(":");
            let name = graph
                .node_property(c.node, resolve::NAME)
                .unwrap_or(Value::Null);
            vec![
                Value::Float((c.score * 1000.0).round() / 1000.0),
                Value::from(labels.as_str()),
                name,
                Value::from(
                    if c.is_name {
                        "(name)".to_string()
                    } else {
                        c.matched.clone()
                    }
                    .as_str(),
                ),
            ]
        })
        .collect();
    QueryResult {
        columns: ["score", "labels", "name", "matched alias"]
            .map(String::from)
            .to_vec(),
        rows,
        ..QueryResult::default()
    }
}

/// `kgq find TEXT`.
pub fn find(args: &FindArgs) -> u8 {
    let graph = match &args.graph {
        Some(path) => load_any(path),
        None => load_any(Path::new("bundled")),
    };
    let graph = match graph {
        Ok(g) => g,
        Err(f) => {
            output::report_error(&f.error, &f.origin, &f.source, args.format);
            return FAILED;
        }
    };
    let result = find_result(&graph, &args.text, args.limit);
    let mut out = io::stdout().lock();
    match output::write_result(&mut out, &result, &graph, args.format).and_then(|_| out.flush()) {
        Ok(()) if result.rows.is_empty() => FAILED,
        Ok(()) => OK,
        Err(e) => runner::output_failed(&e),
    }
}

/// The diff of `a` and `b` in `format`.
pub fn render_diff(a: &Graph, b: &Graph, format: DiffFormat) -> (String, bool) {
    let d = kgq::diff::diff(a, b);
    let text = match format {
        DiffFormat::Text => d.report(),
        DiffFormat::Json => serde_json::to_string_pretty(&d.to_json()).unwrap_or_default() + "\n",
        DiffFormat::Script => d.script(),
    };
    (text, d.is_empty())
}

/// `kgq diff A B`: exit status 0 when the graphs are the same, 1 when they
/// differ (like `diff`), 2 when one cannot be loaded.
pub fn diff(args: &DiffArgs) -> u8 {
    let mut graphs = Vec::new();
    for path in [&args.a, &args.b] {
        match load_any(path) {
            Ok(g) => graphs.push(g),
            Err(f) => {
                output::report_error(&f.error, &f.origin, &f.source, Format::Table);
                return USAGE;
            }
        }
    }
    if let Some(text) = &args.as_of {
        let instant = match runner::parse_as_of(text) {
            Ok(v) => v,
            Err(e) => {
                output::report_error(&e, "--as-of", text, Format::Table);
                return USAGE;
            }
        };
        for g in &mut graphs {
            match kgq::valid_time::as_of(g, &instant) {
                Ok(at) => *g = at,
                Err(e) => {
                    output::report_error(&e, "--as-of", text, Format::Table);
                    return FAILED;
                }
            }
        }
    }
    let (text, same) = render_diff(&graphs[0], &graphs[1], args.format);
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) if same => OK,
        Ok(()) => FAILED,
        Err(e) => runner::output_failed(&e),
    }
}
