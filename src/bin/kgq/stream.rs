//! Streaming output for `kgq query` and `kgq run`: CSV, TSV and JSON lines
//! are written row by row while the statement runs, and a closed pipe
//! stops a read statement early (quietly).

use std::io::{self, Write};

use kgq::Graph;
use kgq::exec::Row;
use kgq::session::RowSink;
use serde_json::{Map, Value as Json};

use crate::args::Format;
use crate::output::{delimited_cell, to_json};

/// Whether results in `format` are streamed (the others need every row
/// first: a table's widths, a JSON document's closing bracket).
pub fn streams(format: Format, why: bool) -> bool {
    !why && matches!(format, Format::Csv | Format::Tsv | Format::Jsonl)
}

/// Writes rows to `out` in a streaming format as they come.
pub struct FormatSink<'w> {
    out: &'w mut dyn Write,
    format: Format,
    columns: Vec<String>,
    delimiter: u8,
    /// The write that failed (a closed pipe, a full disk), if one did.
    pub failed: Option<io::Error>,
}

impl<'w> FormatSink<'w> {
    /// A sink writing `format` (CSV, TSV or JSON lines) to `out`.
    pub fn new(out: &'w mut dyn Write, format: Format) -> Self {
        let delimiter = if format == Format::Tsv { b'\t' } else { b',' };
        FormatSink {
            out,
            format,
            columns: Vec::new(),
            delimiter,
            failed: None,
        }
    }

    fn record(&mut self, cells: &[String]) -> io::Result<()> {
        // One small writer per record: the csv crate quotes, the bytes go
        // out at once.
        let mut writer = csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .from_writer(Vec::new());
        writer
            .write_record(cells)
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(io) => io,
                other => io::Error::other(format!("{other:?}")),
            })?;
        let bytes = writer
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        self.out.write_all(&bytes)
    }

    /// Remembers a failed write; the statement is told to stop.
    fn write_failed(&mut self, e: io::Error) -> kgq::Result<bool> {
        self.failed = Some(e);
        Ok(false)
    }
}

impl RowSink for FormatSink<'_> {
    fn columns(&mut self, columns: &[String]) -> kgq::Result<()> {
        self.columns = columns.to_vec();
        if self.format == Format::Jsonl {
            return Ok(());
        }
        if let Err(e) = self.record(columns) {
            self.failed = Some(e);
        }
        Ok(())
    }

    fn row(&mut self, row: Row, graph: &Graph) -> kgq::Result<bool> {
        if self.failed.is_some() {
            return Ok(false);
        }
        let written = if self.format == Format::Jsonl {
            let object: Map<String, Json> = self
                .columns
                .iter()
                .cloned()
                .zip(row.iter().map(|v| to_json(v, graph)))
                .collect();
            writeln!(self.out, "{}", Json::Object(object))
        } else {
            let cells: Vec<String> = row.iter().map(|v| delimited_cell(v, graph)).collect();
            self.record(&cells)
        };
        match written {
            Ok(()) => Ok(true),
            Err(e) => self.write_failed(e),
        }
    }
}

/// Keeps the first `keep` rows of a result (all when `keep` is `None`)
/// and counts the rest: what the shell shows under `:maxrows`.
#[derive(Debug, Default)]
pub struct KeepFirst {
    keep: Option<usize>,
    /// The column names.
    pub columns: Vec<String>,
    /// The rows kept.
    pub rows: Vec<Row>,
    /// How many rows came in all.
    pub total: u64,
}

impl KeepFirst {
    /// Keeps at most `keep` rows (all when `None`).
    pub fn new(keep: Option<usize>) -> Self {
        KeepFirst {
            keep,
            ..KeepFirst::default()
        }
    }
}

impl RowSink for KeepFirst {
    fn columns(&mut self, columns: &[String]) -> kgq::Result<()> {
        self.columns = columns.to_vec();
        Ok(())
    }

    fn row(&mut self, row: Row, _graph: &Graph) -> kgq::Result<bool> {
        self.total += 1;
        if self.keep.is_none_or(|k| self.rows.len() < k) {
            self.rows.push(row);
        }
        Ok(true)
    }
}
