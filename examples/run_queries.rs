//! Loads a folder of CSV files (the layout `kgq import csv` reads) and runs
//! a list of read queries on it, one result per query. The differential
//! test (`scripts/test-differential`) uses it to ask kgq the same questions
//! as another engine.
//!
//! `cargo run --example run_queries -- DATA_DIR QUERIES.jsonl OUT.jsonl`
//!
//! Each line of QUERIES.jsonl is a JSON string, the text of one query. Each
//! line of OUT.jsonl is `{"rows": [[…], …]}` (values as `kgq export jsonl`
//! writes properties) or `{"error": "Class.Code: message"}`.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use kgq::Session;
use kgq::export::jsonl::to_json;
use serde_json::{Value as Json, json};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, queries, out] = args.as_slice() else {
        return Err("usage: run_queries DATA_DIR QUERIES.jsonl OUT.jsonl".into());
    };
    let (graph, _) = kgq::import::csv::load_dir(Path::new(data), &mut |_| {})?;
    let mut session = Session::with_graph(graph);
    // Only a guard against a runaway query; CI machines may be slow.
    session.set_timeout(Some(Duration::from_secs(120)));
    let input = BufReader::new(std::fs::File::open(queries)?);
    let mut output = BufWriter::new(std::fs::File::create(out)?);
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let query: String = serde_json::from_str(&line)?;
        let answer = match session.run(&query) {
            Ok(result) => {
                let rows: Vec<Json> = result
                    .rows
                    .iter()
                    .map(|row| Json::Array(row.iter().map(to_json).collect()))
                    .collect();
                json!({ "rows": rows })
            }
            Err(e) => json!({ "error": format!("{}.{}: {}", e.class.name(), e.code, e.message) }),
        };
        writeln!(output, "{answer}")?;
    }
    output.flush()?;
    Ok(())
}
