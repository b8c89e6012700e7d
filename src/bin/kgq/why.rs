//! `--why` and `:why`: the relationships behind each result row, with
//! their sources, printed under the result.

use std::io::{self, Write};

use kgq::provenance::Fact;
use kgq::{Graph, QueryResult, Value};
use serde_json::{Value as Json, json};

use crate::output;

/// The facts behind row `i` of `result` (empty without provenance).
pub fn facts(result: &QueryResult, i: usize, graph: &Graph) -> Vec<Fact> {
    result
        .why
        .as_ref()
        .and_then(|w| w.get(i))
        .map(|rels| rels.iter().filter_map(|r| Fact::of(graph, *r)).collect())
        .unwrap_or_default()
}

/// Writes, for each of the first `shown` rows, the row's cells and then one
/// line per relationship that produced it.
pub fn write_section(
    out: &mut dyn Write,
    result: &QueryResult,
    graph: &Graph,
    shown: usize,
) -> io::Result<()> {
    if result.why.is_none() || result.columns.is_empty() {
        return Ok(());
    }
    writeln!(out, "Why:")?;
    for (i, row) in result.rows.iter().take(shown).enumerate() {
        let cells: Vec<String> = row.iter().map(|v| output::cell(v, graph)).collect();
        writeln!(out, "row {}: {}", i + 1, cells.join(" | "))?;
        let facts = facts(result, i, graph);
        if facts.is_empty() {
            writeln!(
                out,
                "  (no relationship: the row comes from nodes or values only)"
            )?;
        }
        for fact in facts {
            writeln!(out, "  {}", fact.line(graph))?;
        }
    }
    Ok(())
}

/// The facts behind row `i` as JSON objects.
pub fn json_facts(result: &QueryResult, i: usize, graph: &Graph) -> Json {
    Json::Array(
        facts(result, i, graph)
            .into_iter()
            .map(|f| {
                json!({
                    "id": f.id.index(),
                    "type": f.rel_type,
                    "start": f.start,
                    "end": f.end,
                    "source": f.sources,
                    "reported_on": f.reported_on.as_ref().map(|v| output::to_json(v, graph)),
                    "date": f.date.as_ref().map(|v| output::to_json(v, graph)),
                })
            })
            .collect(),
    )
}

/// `result` with one more column, `why`, holding the fact lines of each
/// row joined by `; ` (for CSV and TSV).
pub fn with_column(result: &QueryResult, graph: &Graph) -> QueryResult {
    let mut out = result.clone();
    if result.why.is_none() || result.columns.is_empty() {
        return out;
    }
    out.columns.push("why".to_string());
    for (i, row) in out.rows.iter_mut().enumerate() {
        let lines: Vec<String> = facts(result, i, graph)
            .iter()
            .map(|f| f.line(graph))
            .collect();
        row.push(Value::from(lines.join("; ").as_str()));
    }
    out.why = None;
    out
}
