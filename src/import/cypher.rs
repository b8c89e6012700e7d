//! Reading a Cypher script (`kgq export cypher`, or any script of
//! statements ending with `;`): the statements run in order on a new
//! graph; the first failing one stops the import with its file, line and
//! column.

use std::path::PathBuf;
use std::time::Instant;

use super::{ImportStats, at_line};
use crate::error::{Position, Result};
use crate::graph::Graph;
use crate::session::Session;

/// Runs the scripts in order on a new graph.
pub fn load_files(paths: &[PathBuf]) -> Result<(Graph, ImportStats)> {
    let started = Instant::now();
    let mut session = Session::new();
    let mut stats = ImportStats::default();
    for path in paths {
        let text = stats.read_text(path)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        for chunk in crate::syntax::split_script(text) {
            if let Err(e) = session.run_chunk(text, &chunk) {
                let at = e.span.map_or(chunk.span.start, |s| s.start);
                let position = Position::of(text, at);
                let column = position.column;
                let mut err = at_line(
                    path,
                    position.line as u64,
                    "CypherImportFailed",
                    &format!("{column}: {}: {}: {}", e.class.name(), e.code, e.message),
                );
                err.class = e.class;
                return Err(err);
            }
        }
    }
    let graph = session.into_graph();
    stats.nodes = graph.node_count() as u64;
    stats.relationships = graph.relationship_count() as u64;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok((graph, stats))
}
