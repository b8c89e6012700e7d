//! Bulk import of graphs from files. [`csv::load_dir`] reads a folder of
//! CSV files in either the benchmark generator's layout (one file per label
//! or relationship type, `id` / `from`,`to` columns, inferred types) or the
//! neo4j-admin layout (`:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`,
//! typed headers such as `founded:int`).

pub mod csv;
pub mod cypher;
pub mod graphml;
mod header;
pub mod infer;
pub mod jsonl;
#[cfg(feature = "parquet")]
pub mod parquet;

/// How far an import got, reported now and then while it runs.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The file being read.
    pub file: String,
    /// Bytes read so far over every pass of every file.
    pub bytes_done: u64,
    /// Bytes the whole import will read.
    pub bytes_total: u64,
    /// Nodes created so far.
    pub nodes: u64,
    /// Relationships created so far.
    pub relationships: u64,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportStats {
    /// Files read.
    pub files: u64,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Nodes created.
    pub nodes: u64,
    /// Relationships created.
    pub relationships: u64,
    /// Wall time, in seconds.
    pub seconds: f64,
}

impl ImportStats {
    /// Reads a whole input file as text, counting it.
    pub fn read_text(&mut self, path: &std::path::Path) -> crate::error::Result<String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| crate::error::Error::io(&path.display().to_string(), &e))?;
        self.files += 1;
        self.bytes += text.len() as u64;
        Ok(text)
    }
}

/// A format error at `path:line`.
pub fn at_line(
    path: &std::path::Path,
    line: u64,
    code: &'static str,
    message: &str,
) -> crate::Error {
    crate::Error::new(
        crate::ErrorClass::FormatError,
        code,
        format!("{}:{line}: {message}", path.display()),
    )
}
