//! `kgq inspect FILE`: what a snapshot holds, without loading it.

use std::io::{self, Write};
use std::path::Path;

use chrono::DateTime;
use kgq::snapshot::SnapshotInfo;

use crate::args::Format;
use crate::{output, runner};

/// Prints the header and contents of the snapshot at `path`; exits 1 when
/// the file is not a readable snapshot or its checksum does not hold.
pub fn run(path: &Path, format: Format) -> u8 {
    let info = match kgq::snapshot::inspect(path) {
        Ok(info) => info,
        Err(e) => {
            output::report_error(&e, &path.display().to_string(), "", format);
            return runner::FAILED;
        }
    };
    let text = match format {
        Format::Json | Format::Jsonl => as_json(&info).to_string(),
        _ => as_text(path, &info),
    };
    if let Err(e) = writeln!(io::stdout().lock(), "{text}") {
        return runner::output_failed(&e);
    }
    if info.checksum_ok {
        runner::OK
    } else {
        runner::FAILED
    }
}

fn created(info: &SnapshotInfo) -> String {
    DateTime::from_timestamp(info.created_unix, 0).map_or_else(
        || info.created_unix.to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

fn as_text(path: &Path, info: &SnapshotInfo) -> String {
    let mut lines = vec![
        format!("file:            {}", path.display()),
        format!("format version:  {}", info.format_version),
        format!("written by:      kgq {}", info.kgq_version),
        format!("created:         {}", created(info)),
        format!("generation:      {}", info.generation),
        format!("payload:         {} bytes", info.payload_len),
        format!(
            "checksum:        {}",
            if info.checksum_ok {
                "ok"
            } else {
                "MISMATCH (the file is damaged)"
            }
        ),
        format!("nodes:           {}", info.node_count),
    ];
    lines.extend(
        info.labels
            .iter()
            .map(|(label, n)| format!("  :{label:<24} {n}")),
    );
    lines.push(format!("relationships:   {}", info.relationship_count));
    lines.extend(info.types.iter().map(|(t, n)| format!("  :{t:<24} {n}")));
    lines.join("\n")
}

fn as_json(info: &SnapshotInfo) -> serde_json::Value {
    serde_json::json!({
        "format_version": info.format_version,
        "kgq_version": info.kgq_version,
        "created": created(info),
        "generation": info.generation,
        "payload_bytes": info.payload_len,
        "checksum_ok": info.checksum_ok,
        "nodes": info.node_count,
        "relationships": info.relationship_count,
        "labels": info.labels,
        "types": info.types,
    })
}
