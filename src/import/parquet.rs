//! Loading a folder of Parquet files (cargo feature `parquet`): the layout
//! `kgq export parquet` writes (read through its `manifest.json`), or,
//! without a manifest, any folder of `.parquet` files where a file with
//! `src` and `dst` columns holds relationships of the type named by the
//! file (`rels_MAKES.parquet` or `MAKES.parquet`) and any other file holds
//! nodes of the label named by the file, keyed by their `id` column.
//! Values are read through [`crate::arrow`], so files written by pandas,
//! polars, DuckDB or Spark load too.

use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use ::parquet::errors::ParquetError;

use super::ImportStats;
use crate::arrow::{
    NodeKeys, NodeLoad, RelationshipLoad, arrow_error, load_nodes, load_relationships,
};
use crate::error::{Error, ErrorClass, Result};
use crate::export::parquet::manifest::{self, Manifest, NodeFile, RelationshipFile};
use crate::graph::Graph;

/// Loads the Parquet folder `dir` into a new graph.
pub fn load_dir(dir: &Path) -> Result<(Graph, ImportStats)> {
    let started = Instant::now();
    let manifest_path = dir.join(manifest::FILE_NAME);
    let (plan, key_is_property) = if manifest_path.exists() {
        (read_manifest(&manifest_path)?, false)
    } else {
        (guess(dir)?, true)
    };
    let mut graph = Graph::new();
    let mut stats = ImportStats::default();
    let mut keys = NodeKeys::new();
    graph.begin_bulk_load();
    for n in &plan.nodes {
        let spec = NodeLoad {
            labels: n.label.iter().cloned().collect(),
            key: Some(n.key.clone()).filter(|k| !k.is_empty()),
            store_key: key_is_property,
            labels_column: n.labels_column.clone(),
        };
        let mut added = 0;
        for_each_batch(dir, &n.file, &mut stats, |batch| {
            added += load_nodes(&mut graph, &batch, &spec, &mut keys)?.len() as u64;
            Ok(())
        })?;
        stats.nodes += added;
    }
    for r in &plan.relationships {
        let spec = RelationshipLoad {
            rel_type: r.rel_type.clone(),
            src: r.src.clone(),
            dst: r.dst.clone(),
            skip: vec![r.key.clone()],
        };
        let mut added = 0;
        for_each_batch(dir, &r.file, &mut stats, |batch| {
            added += load_relationships(&mut graph, &batch, &spec, &keys, &keys)? as u64;
            Ok(())
        })?;
        stats.relationships += added;
    }
    graph.finish_bulk_load();
    stats.seconds = started.elapsed().as_secs_f64();
    Ok((graph, stats))
}

fn read_manifest(path: &Path) -> Result<Manifest> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Error::io(&path.display().to_string(), &e))?;
    let m: Manifest = serde_json::from_str(&text)
        .map_err(|e| format_error("BadManifest", format!("{}: {e}", path.display())))?;
    if m.format != manifest::FORMAT || m.version > manifest::VERSION {
        return Err(format_error(
            "BadManifest",
            format!(
                "{}: format `{}` version {} is not one this kgq reads ({} version {})",
                path.display(),
                m.format,
                m.version,
                manifest::FORMAT,
                manifest::VERSION
            ),
        ));
    }
    Ok(m)
}

/// A plan for a folder without a manifest, from file names and columns.
fn guess(dir: &Path) -> Result<Manifest> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(&dir.display().to_string(), &e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::new(
            ErrorClass::IoError,
            "NoParquetFiles",
            format!(
                "{}: no manifest.json and no .parquet files in this folder",
                dir.display()
            ),
        ));
    }
    let mut plan = Manifest::default();
    for path in files {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = file.trim_end_matches(".parquet");
        let reader = open(&path)?;
        let schema = reader.schema().clone();
        let has = |c: &str| schema.field_with_name(c).is_ok();
        if has("src") && has("dst") {
            plan.relationships.push(RelationshipFile {
                rel_type: stem.strip_prefix("rels_").unwrap_or(stem).to_string(),
                src: "src".into(),
                dst: "dst".into(),
                key: if has("id") {
                    "id".into()
                } else {
                    String::new()
                },
                file,
                ..RelationshipFile::default()
            });
        } else {
            plan.nodes.push(NodeFile {
                label: Some(stem.strip_prefix("nodes_").unwrap_or(stem).to_string()),
                key: if has("id") {
                    "id".into()
                } else {
                    String::new()
                },
                labels_column: has("labels").then(|| "labels".into()),
                file,
                ..NodeFile::default()
            });
        }
    }
    Ok(plan)
}

/// The file `name` of `dir`; names leaving the folder are refused.
fn inside(dir: &Path, name: &str) -> Result<PathBuf> {
    let rel = Path::new(name);
    if name.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format_error(
            "BadManifest",
            format!("`{name}` is not a file name inside {}", dir.display()),
        ));
    }
    Ok(dir.join(rel))
}

fn open(path: &Path) -> Result<ParquetRecordBatchReaderBuilder<File>> {
    let file = File::open(path).map_err(|e| Error::io(&path.display().to_string(), &e))?;
    ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| parquet_error(path, &e))
}

/// Calls `each` with every record batch of the file `name` of `dir`.
fn for_each_batch(
    dir: &Path,
    name: &str,
    stats: &mut ImportStats,
    mut each: impl FnMut(::arrow::array::RecordBatch) -> Result<()>,
) -> Result<()> {
    let path = inside(dir, name)?;
    let reader = open(&path)?.build().map_err(|e| parquet_error(&path, &e))?;
    stats.files += 1;
    stats.bytes += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    for batch in reader {
        let batch = batch.map_err(|e| {
            let e = arrow_error(&e);
            format_error("BadParquet", format!("{}: {}", path.display(), e.message))
        })?;
        each(batch).map_err(|e| {
            Error::new(
                e.class,
                e.code,
                format!("{}: {}", path.display(), e.message),
            )
        })?;
    }
    Ok(())
}

fn parquet_error(path: &Path, e: &ParquetError) -> Error {
    format_error("BadParquet", format!("{}: {e}", path.display()))
}

fn format_error(code: &'static str, message: String) -> Error {
    Error::new(ErrorClass::FormatError, code, message)
}
