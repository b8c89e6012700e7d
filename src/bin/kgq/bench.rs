//! `kgq bench DIR`: loads a benchmark data folder (made by
//! `../shared/bench/gen_kg.py`) and times the queries Q1–Q11 in-process:
//! one warm-up, then N timed runs each; reports median and minimum
//! milliseconds, row counts, digests comparable with `peer_kuzu.py`'s, and
//! the peak memory.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

use kgq::{Session, Value};
use serde_json::json;

use crate::args::BenchArgs;
use crate::digest::digest;
use crate::import_cmd::{load_with_progress, throughput};
use crate::runner::{FAILED, OK, USAGE};

/// The query texts, each after a `// Qn title` line.
const QUERIES: &str = include_str!("../../../benches/queries.kgq");

/// One benchmark query.
struct Query {
    id: String,
    title: String,
    text: String,
}

fn parse_queries(source: &str) -> Vec<Query> {
    let mut out: Vec<Query> = Vec::new();
    for line in source.lines() {
        if let Some(rest) = line.strip_prefix("// Q") {
            let (num, title) = rest.split_once(' ').unwrap_or((rest, ""));
            out.push(Query {
                id: format!("Q{num}"),
                title: title.trim().to_string(),
                text: String::new(),
            });
        } else if let Some(q) = out.last_mut()
            && !line.starts_with("//")
        {
            q.text.push_str(line);
            q.text.push('\n');
        }
    }
    for q in &mut out {
        q.text = q.text.trim().trim_end_matches(';').to_string();
    }
    out
}

/// A JSON parameter as a value of the language.
fn json_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Value::Int)
            .or_else(|| n.as_f64().map(Value::Float))
            .unwrap_or(Value::Null),
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(json_value).collect()),
        serde_json::Value::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| (k.clone(), json_value(v)))
                .collect(),
        ),
    }
}

/// VmRSS and VmHWM of this process, in MiB.
fn memory() -> (f64, f64) {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| (kb / 1024.0 * 10.0).round() / 10.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// `kgq bench`.
pub fn run(args: &BenchArgs) -> u8 {
    let mut queries = parse_queries(QUERIES);
    if let Some(want) = &args.queries {
        let want: Vec<&str> = want.split(',').map(str::trim).collect();
        queries.retain(|q| want.contains(&q.id.as_str()));
        if queries.is_empty() {
            eprintln!("kgq: no query matches --queries {}", want.join(","));
            return USAGE;
        }
    }
    let params_path = args.dir.join("params.json");
    let params: BTreeMap<String, Value> = match std::fs::read_to_string(&params_path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string()))
    {
        Ok(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(k, v)| (k.clone(), json_value(v)))
            .collect(),
        Ok(_) => {
            eprintln!("kgq: {}: not a JSON object", params_path.display());
            return FAILED;
        }
        Err(e) => {
            eprintln!("kgq: {}: {e}", params_path.display());
            return FAILED;
        }
    };
    let (graph, stats) = match load_with_progress(&args.dir) {
        Ok(x) => x,
        Err(e) => {
            crate::output::report_plain(&e);
            return FAILED;
        }
    };
    eprintln!("{}", throughput(&stats));
    let mib = |bytes: usize| bytes / (1024 * 1024);
    let columns_mb = mib(graph.property_store().heap_bytes());
    eprintln!(
        "property columns {columns_mb} MiB; adjacency {} MiB",
        mib(graph.adjacency_bytes())
    );
    let memory_use = graph.memory_use();
    let mut heap_total = 0;
    for part in &memory_use {
        heap_total += part.bytes;
        eprintln!(
            "  {:<34} {:>8.1} MiB in {} allocations",
            part.name,
            part.bytes as f64 / (1024.0 * 1024.0),
            part.allocations
        );
    }
    eprintln!(
        "  {:<34} {:>8.1} MiB",
        "total (computed)",
        heap_total as f64 / (1024.0 * 1024.0)
    );
    let memory_json: serde_json::Map<String, serde_json::Value> = memory_use
        .iter()
        .map(|p| {
            (
                p.name.to_string(),
                json!({"bytes": p.bytes, "allocations": p.allocations}),
            )
        })
        .collect();
    let (rss_after_load, _) = memory();
    let mut session = Session::with_graph(graph);
    session.set_threads(args.threads);
    if args.timeout > 0.0 && args.timeout.is_finite() {
        session.set_timeout(Some(std::time::Duration::from_secs_f64(args.timeout)));
    }
    let mut results = serde_json::Map::new();
    let mut table = Vec::new();
    for q in &queries {
        if args.profile {
            match session.run_with(&format!("PROFILE {}", q.text), &params) {
                Ok(r) => eprintln!("{} profile:\n{}", q.id, r.plan.unwrap_or_default()),
                Err(e) => eprintln!("{} profile failed: {}", q.id, e.message),
            }
        }
        let entry = match time_query(&mut session, q, &params, args) {
            Ok(entry) => entry,
            Err(e) if e.code == "Timeout" => {
                eprintln!("  [kgq] {}: timeout > {} s", q.id, args.timeout);
                json!({"error": format!("timeout > {}s", args.timeout)})
            }
            Err(e) => {
                eprintln!("  [kgq] {}: {}: {}", q.id, e.code, e.message);
                json!({"error": format!("{}: {}: {}", e.class.name(), e.code, e.message)})
            }
        };
        if let Some(ms) = entry.get("median_ms") {
            eprintln!("  [kgq] {}: {} rows, median {} ms", q.id, entry["rows"], ms);
        }
        table.push((q.id.clone(), q.title.clone(), entry.clone()));
        results.insert(q.id.clone(), entry);
    }
    let (_, peak) = memory();
    let report = json!({
        "peer": "kgq",
        "version": format!("kgq {}", env!("CARGO_PKG_VERSION")),
        "data": args.dir.display().to_string(),
        "runs": args.runs,
        "load_s": round3(stats.seconds),
        "nodes": stats.nodes,
        "relationships": stats.relationships,
        "csv_bytes": stats.bytes,
        "rss_after_load_mb": rss_after_load,
        "property_columns_mb": columns_mb,
        "heap_by_structure": memory_json,
        "peak_rss_mb": peak,
        "queries": results,
    });
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "| query | rows | kgq median ms (min) | digest |");
    let _ = writeln!(out, "|---|---:|---:|---|");
    for (id, title, e) in &table {
        let cell = match (e.get("median_ms"), e.get("min_ms")) {
            (Some(m), Some(n)) => format!("{m} ({n})"),
            _ => e["error"].as_str().unwrap_or("error").to_string(),
        };
        let _ = writeln!(
            out,
            "| {id} {title} | {} | {cell} | {} |",
            e.get("rows").map_or("—".to_string(), ToString::to_string),
            e.get("digest").and_then(|d| d.as_str()).unwrap_or("—")
        );
    }
    let _ = writeln!(
        out,
        "\nload {:.2} s; RSS after load {rss_after_load} MiB; peak RSS {peak} MiB",
        stats.seconds
    );
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("kgq: {}: {e}", path.display());
            return FAILED;
        }
    }
    OK
}

fn time_query(
    session: &mut Session,
    q: &Query,
    params: &BTreeMap<String, Value>,
    args: &BenchArgs,
) -> kgq::Result<serde_json::Value> {
    let t0 = Instant::now();
    let mut result = session.run_with(&q.text, params)?;
    let warm_ms = t0.elapsed().as_secs_f64() * 1e3;
    let runs = if warm_ms / 1e3 > args.slow_s {
        args.runs.min(1)
    } else {
        args.runs
    };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t0 = Instant::now();
        result = session.run_with(&q.text, params)?;
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let ordered = q.text.to_ascii_uppercase().contains("ORDER BY");
    Ok(json!({
        "warmup_ms": round3(warm_ms),
        "runs": runs,
        "median_ms": round3(median(&times)),
        "min_ms": round3(times.first().copied().unwrap_or(warm_ms)),
        "rows": result.rows.len(),
        "digest": digest(&result.rows, ordered),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_is_found() {
        let qs = parse_queries(QUERIES);
        let ids: Vec<&str> = qs.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9", "Q10", "Q11"
            ]
        );
        assert!(qs[5].text.contains("shortestPath"));
        assert!(!qs[0].text.ends_with(';'));
    }
}
