//! `kgq export FORMAT [-g GRAPH] [-o FILE|DIR] [--query Q]`: writes the
//! graph, or the subgraph a query returns, in one of the export formats.
//! A file is written under a temporary name and renamed when complete.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use kgq::export::{Subgraph, cypher, dot, graphml, jsonl, mermaid, neo4j, parquet};
use kgq::{Error, ErrorClass, Graph};

use crate::args::{CommonArgs, ExportArgs, ExportFormat, Format};
use crate::runner::{FAILED, OK, USAGE, open_db, output_failed};

/// `kgq export`.
pub fn run(args: &ExportArgs) -> u8 {
    let common = CommonArgs {
        graph: args.graph.clone(),
        read_only: true,
        as_of: args.as_of.clone(),
        ..CommonArgs::default()
    };
    let Some(mut db) = open_db(&common, true) else {
        return FAILED;
    };
    // A query's MATCH clauses already see the graph as of `--as-of`; the
    // whole graph is materialised as it stood then.
    let (graph, subgraph) = match &args.query {
        Some(q) => match db.run(q) {
            Ok(result) => {
                let subgraph =
                    Subgraph::from_rows(db.graph(), result.rows.iter().map(Vec::as_slice));
                (std::borrow::Cow::Borrowed(db.graph()), subgraph)
            }
            Err(e) => {
                crate::output::report_error(&e, "--query", q, Format::Table);
                return FAILED;
            }
        },
        None => match crate::runner::graph_to_export(&db) {
            Ok(graph) => {
                let subgraph = Subgraph::whole(&graph);
                (graph, subgraph)
            }
            Err(e) => {
                crate::output::report_error(&e, "--as-of", "", Format::Table);
                return FAILED;
            }
        },
    };
    let graph: &Graph = &graph;
    let result = match args.format {
        ExportFormat::Neo4j => {
            let Some(dir) = &args.out else {
                eprintln!("kgq: export neo4j writes a folder of CSV files: give it with -o DIR");
                return USAGE;
            };
            neo4j::write_dir(graph, &subgraph, dir).map(|done| {
                for w in &done.warnings {
                    eprintln!("kgq: warning: {w}");
                }
                eprintln!(
                    "wrote {} files to {}; import into Neo4j with {}/import.sh:\n  {}",
                    done.files.len(),
                    dir.display(),
                    dir.display(),
                    done.command
                );
            })
        }
        ExportFormat::Parquet => {
            let Some(dir) = &args.out else {
                eprintln!(
                    "kgq: export parquet writes a folder of Parquet files: give it with -o DIR"
                );
                return USAGE;
            };
            parquet::write_dir(graph, &subgraph, dir).map(|done| {
                eprintln!(
                    "wrote {} Parquet files and manifest.json to {}; import into Neo4j with {}/import.sh",
                    done.files.len(),
                    dir.display(),
                    dir.display(),
                );
            })
        }
        format => write_to(args.out.as_deref(), |out| {
            write_format(format, graph, &subgraph, args.batch, out)
        }),
    };
    match result {
        Ok(()) => OK,
        Err(e) if e.class == ErrorClass::IoError && e.message.contains("Broken pipe") => OK,
        Err(e) => {
            crate::output::report_plain(&e);
            FAILED
        }
    }
}

fn write_format(
    format: ExportFormat,
    graph: &Graph,
    subgraph: &Subgraph,
    batch: usize,
    out: &mut dyn Write,
) -> kgq::Result<()> {
    match format {
        ExportFormat::Cypher => cypher::write(graph, subgraph, cypher::Options { batch }, out),
        ExportFormat::Jsonl => jsonl::write(graph, subgraph, out),
        ExportFormat::Graphml => graphml::write(graph, subgraph, out),
        ExportFormat::Dot => dot::write(graph, subgraph, out),
        ExportFormat::Mermaid => mermaid::write(graph, subgraph, out),
        ExportFormat::Neo4j | ExportFormat::Parquet => Ok(()),
    }
}

/// Runs `write` on standard output, or on a temporary file renamed to
/// `path` once complete.
fn write_to(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> kgq::Result<()>,
) -> kgq::Result<()> {
    let Some(path) = path else {
        let stdout = io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        return match write(&mut out) {
            Err(e) if e.message.contains("Broken pipe") => {
                output_failed(&io::Error::from(io::ErrorKind::BrokenPipe));
                Ok(())
            }
            other => other,
        };
    };
    let name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".to_string());
    let temp: PathBuf = path.with_file_name(format!(".{name}.kgq-tmp"));
    let io_err = |p: &Path, e: &io::Error| Error::io(&p.display().to_string(), e);
    let file = File::create(&temp).map_err(|e| io_err(&temp, &e))?;
    let mut out = BufWriter::new(file);
    let written = write(&mut out).and_then(|()| out.flush().map_err(|e| io_err(&temp, &e)));
    drop(out);
    match written.and_then(|()| std::fs::rename(&temp, path).map_err(|e| io_err(path, &e))) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}
