//! The Parquet export (cargo feature `parquet`): a folder with one file per
//! label and one per relationship type, laid out so that GraphFrames
//! (`id`, `src`, `dst`), Kùzu / Ladybug `COPY FROM` (by column order),
//! DuckDB `read_parquet`, Spark and neo4j-admin (`--input-type=parquet`,
//! with the header files written here) read the files directly:
//!
//! - `nodes_<Label>.parquet`: `id` (Int64 node id, unique over all node
//!   files), then `labels` (a list of every label, only in files holding
//!   nodes with several labels), then one typed column per property, in
//!   name order. A node is written once, in the file of its first label;
//!   nodes without labels go to `nodes.parquet`.
//! - `rels_<TYPE>.parquet`: `src`, `dst` (the ends' node ids), `id`
//!   (Int64 relationship id), then the properties.
//! - Valid time (`valid_from`, `valid_to`) and sources (`source`) are
//!   ordinary property columns.
//! - A property named like a structural column (`id`, `labels`, `src`,
//!   `dst`) is written as `prop_<name>`, with the field metadata
//!   `kgq.property` and an entry in the manifest naming the property.
//! - `manifest.json` ([`manifest::Manifest`]) names every file, label,
//!   type, key column and property column; `<file>.header.csv` are the
//!   neo4j-admin headers and `import.sh` the neo4j-admin command.
//!
//! Column types follow [`crate::arrow`]'s mapping; files are compressed
//! with Snappy.

pub mod manifest;

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::arrow::array::{ArrayRef, Int64Array};
use ::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use ::parquet::arrow::ArrowWriter;
use ::parquet::basic::Compression;
use ::parquet::file::properties::WriterProperties;
use ::parquet::schema::types::ColumnPath;

use self::manifest::{Column, Manifest, NodeFile, RelationshipFile};
use super::Subgraph;
use crate::arrow::{ColumnType, KGQ_PROPERTY, KGQ_TYPE, batch, values_to_array_as};
use crate::error::{Error, ErrorClass, Result};
use crate::graph::{EdgeId, Graph, KeyId, NodeId, Properties};
use crate::value::Value;

/// Rows per record batch written.
const BATCH_ROWS: usize = 1 << 16;

/// What [`write_dir`] wrote.
#[derive(Debug, Clone, Default)]
pub struct ParquetExport {
    /// The Parquet files, nodes first.
    pub files: Vec<PathBuf>,
    /// The manifest, as written to `manifest.json`.
    pub manifest: Manifest,
    /// The neo4j-admin command that imports the folder (also in `import.sh`).
    pub command: String,
}

/// Writes `subgraph` of `graph` as Parquet files into `dir` (created if
/// needed; files of the same names are replaced).
pub fn write_dir(graph: &Graph, subgraph: &Subgraph, dir: &Path) -> Result<ParquetExport> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
    let mut out = ParquetExport {
        manifest: Manifest {
            format: manifest::FORMAT.to_string(),
            version: manifest::VERSION,
            ..Manifest::default()
        },
        ..ParquetExport::default()
    };
    let mut taken = Vec::new();

    let mut by_label: BTreeMap<Option<&str>, Vec<NodeId>> = BTreeMap::new();
    for n in &subgraph.nodes {
        let first = graph
            .node(*n)
            .and_then(|d| d.labels().first())
            .map(|l| graph.label_name(*l));
        by_label.entry(first).or_default().push(*n);
    }
    for (label, nodes) in &by_label {
        let stem = label.map_or_else(
            || "nodes".to_string(),
            |l| format!("nodes_{}", file_part(l)),
        );
        let name = unique(&stem, &mut taken);
        let entry = write_nodes(graph, nodes, *label, dir, &name)?;
        out.files.push(dir.join(&entry.file));
        out.manifest.nodes.push(entry);
    }

    let mut by_type: BTreeMap<&str, Vec<EdgeId>> = BTreeMap::new();
    for r in &subgraph.relationships {
        if let Some(t) = graph.relationship_type(*r) {
            by_type.entry(t).or_default().push(*r);
        }
    }
    for (rel_type, rels) in &by_type {
        let name = unique(&format!("rels_{}", file_part(rel_type)), &mut taken);
        let entry = write_relationships(graph, rels, rel_type, dir, &name)?;
        out.files.push(dir.join(&entry.file));
        out.manifest.relationships.push(entry);
    }

    let path = dir.join(manifest::FILE_NAME);
    let text = serde_json::to_string_pretty(&out.manifest)
        .map_err(|e| Error::new(ErrorClass::IoError, "Io", e.to_string()))?;
    std::fs::write(&path, text + "\n").map_err(|e| io(&path, &e))?;
    out.command = neo4j_command(&out.manifest);
    let script = dir.join("import.sh");
    let text = format!(
        "#!/bin/sh\n# Imports this folder into the (stopped, empty) Neo4j database `neo4j`.\n\
         # Written by kgq export parquet.\ncd \"$(dirname \"$0\")\" || exit 1\n{}\n",
        out.command
    );
    std::fs::write(&script, text).map_err(|e| io(&script, &e))?;
    Ok(out)
}

/// A property column of one file: its key, name in the file, and type.
struct PropertyColumn {
    key: KeyId,
    name: String,
    property: String,
    ty: ColumnType,
}

impl PropertyColumn {
    fn field(&self) -> Field {
        let field = self.ty.field(&self.name);
        if self.name == self.property {
            return field;
        }
        let mut meta = field.metadata().clone();
        meta.insert(KGQ_PROPERTY.to_string(), self.property.clone());
        field.with_metadata(meta)
    }

    fn manifest(&self) -> Column {
        let field = self.field();
        Column {
            name: self.name.clone(),
            property: self.property.clone(),
            arrow_type: field.data_type().to_string(),
            kgq_type: field.metadata().get(KGQ_TYPE).cloned(),
        }
    }
}

/// The property columns of a file whose rows have `props`, named so as not
/// to clash with the `structural` columns.
fn property_columns(
    graph: &Graph,
    rows: usize,
    props: impl Fn(usize) -> Properties,
    structural: &[&str],
) -> Vec<PropertyColumn> {
    let mut types: BTreeMap<KeyId, ColumnType> = BTreeMap::new();
    for row in 0..rows {
        for (k, v) in &props(row) {
            let ty = types.remove(k).unwrap_or(ColumnType::Null);
            types.insert(*k, ty.merge(ColumnType::of(v)));
        }
    }
    let names: Vec<&str> = types.keys().map(|k| graph.key_name(*k)).collect();
    let mut columns: Vec<PropertyColumn> = types
        .into_iter()
        .map(|(key, ty)| {
            let property = graph.key_name(key).to_string();
            let mut name = property.clone();
            while structural.contains(&name.as_str())
                || (name != property && names.contains(&name.as_str()))
            {
                name = format!("prop_{name}");
            }
            PropertyColumn {
                key,
                name,
                property,
                ty,
            }
        })
        .collect();
    columns.sort_by(|a, b| a.property.cmp(&b.property));
    columns
}

fn write_nodes(
    graph: &Graph,
    nodes: &[NodeId],
    label: Option<&str>,
    dir: &Path,
    name: &str,
) -> Result<NodeFile> {
    let props = |i: usize| {
        graph
            .node(nodes[i])
            .map(|d| d.properties())
            .unwrap_or_default()
    };
    let multi = nodes.iter().any(|n| graph.node_labels(*n).len() > 1);
    let columns = property_columns(graph, nodes.len(), props, &["id", "labels"]);
    let labels_type = ColumnType::List(Box::new(ColumnType::String));
    let mut fields = vec![Field::new("id", DataType::Int64, false)];
    if multi {
        fields.push(labels_type.field("labels"));
    }
    fields.extend(columns.iter().map(PropertyColumn::field));
    let file = format!("{name}.parquet");
    let schema = Arc::new(Schema::new(fields.clone()));
    write_file(&dir.join(&file), schema, nodes.len(), |range| {
        let rows = &nodes[range.clone()];
        let mut arrays: Vec<ArrayRef> = vec![ids(rows.iter().map(|n| n.0))];
        if multi {
            let labels: Vec<Value> = rows
                .iter()
                .map(|n| Value::List(graph.node_labels(*n).into_iter().map(Value::from).collect()))
                .collect();
            let refs: Vec<&Value> = labels.iter().collect();
            arrays.push(values_to_array_as("labels", &refs, &labels_type)?.1);
        }
        property_arrays(&columns, range.map(props), &mut arrays)?;
        Ok(arrays)
    })?;
    let header_file = format!("{name}.header.csv");
    let mut header = vec![":ID".to_string()];
    if multi {
        header.push(":LABEL".to_string());
    }
    header.extend(columns.iter().map(|c| neo4j_name(&c.property)));
    write_header(&dir.join(&header_file), &header)?;
    Ok(NodeFile {
        file,
        label: label.map(str::to_string),
        key: "id".to_string(),
        labels_column: multi.then(|| "labels".to_string()),
        neo4j_header: header_file,
        rows: nodes.len() as u64,
        columns: columns.iter().map(PropertyColumn::manifest).collect(),
    })
}

fn write_relationships(
    graph: &Graph,
    rels: &[EdgeId],
    rel_type: &str,
    dir: &Path,
    name: &str,
) -> Result<RelationshipFile> {
    let props = |i: usize| {
        graph
            .relationship(rels[i])
            .map(|d| d.properties())
            .unwrap_or_default()
    };
    let columns = property_columns(graph, rels.len(), props, &["src", "dst", "id"]);
    let mut fields = vec![
        Field::new("src", DataType::Int64, false),
        Field::new("dst", DataType::Int64, false),
        Field::new("id", DataType::Int64, false),
    ];
    fields.extend(columns.iter().map(PropertyColumn::field));
    let file = format!("{name}.parquet");
    let schema = Arc::new(Schema::new(fields));
    write_file(&dir.join(&file), schema, rels.len(), |range| {
        let rows = &rels[range.clone()];
        let ends: Vec<(NodeId, NodeId)> = rows
            .iter()
            .map(|r| graph.endpoints(*r).unwrap_or((NodeId(0), NodeId(0))))
            .collect();
        let mut arrays: Vec<ArrayRef> = vec![
            ids(ends.iter().map(|e| e.0.0)),
            ids(ends.iter().map(|e| e.1.0)),
            ids(rows.iter().map(|r| r.0)),
        ];
        property_arrays(&columns, range.map(props), &mut arrays)?;
        Ok(arrays)
    })?;
    let header_file = format!("{name}.header.csv");
    let mut header = vec![
        ":START_ID".to_string(),
        ":END_ID".to_string(),
        ":IGNORE".to_string(),
    ];
    header.extend(columns.iter().map(|c| neo4j_name(&c.property)));
    write_header(&dir.join(&header_file), &header)?;
    Ok(RelationshipFile {
        file,
        rel_type: rel_type.to_string(),
        src: "src".to_string(),
        dst: "dst".to_string(),
        key: "id".to_string(),
        neo4j_header: header_file,
        rows: rels.len() as u64,
        columns: columns.iter().map(PropertyColumn::manifest).collect(),
    })
}

fn ids(ids: impl Iterator<Item = u32>) -> ArrayRef {
    Arc::new(ids.map(i64::from).collect::<Int64Array>())
}

/// Appends one array per property column for the rows whose properties
/// `rows` yields.
fn property_arrays(
    columns: &[PropertyColumn],
    rows: impl Iterator<Item = Properties>,
    arrays: &mut Vec<ArrayRef>,
) -> Result<()> {
    let rows: Vec<Properties> = rows.collect();
    for c in columns {
        let values: Vec<&Value> = rows
            .iter()
            .map(|p| crate::graph::get_property(p, c.key).unwrap_or(&Value::Null))
            .collect();
        arrays.push(values_to_array_as(&c.name, &values, &c.ty)?.1);
    }
    Ok(())
}

/// Writes a Parquet file of `rows` rows, asking `chunk` for the arrays of
/// each range of rows.
fn write_file(
    path: &Path,
    schema: SchemaRef,
    rows: usize,
    mut chunk: impl FnMut(std::ops::Range<usize>) -> Result<Vec<ArrayRef>>,
) -> Result<()> {
    let file = File::create(path).map_err(|e| io(path, &e))?;
    // Ids are unique: a dictionary of them would only be built and dropped.
    let mut props = WriterProperties::builder().set_compression(Compression::SNAPPY);
    for id in ["id", "src", "dst"] {
        if schema.field_with_name(id).is_ok() {
            props = props.set_column_dictionary_enabled(ColumnPath::from(id), false);
        }
    }
    let props = props.build();
    let fail = |e: ::parquet::errors::ParquetError| {
        Error::new(
            ErrorClass::IoError,
            "ParquetError",
            format!("{}: {e}", path.display()),
        )
    };
    let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(fail)?;
    let mut start = 0;
    while start < rows {
        let end = (start + BATCH_ROWS).min(rows);
        let arrays = chunk(start..end)?;
        let fields = schema.fields().iter().map(|f| (**f).clone()).collect();
        let b = batch(fields, arrays, end - start)?;
        writer.write(&b).map_err(fail)?;
        start = end;
    }
    writer.close().map_err(fail)?;
    Ok(())
}

/// A neo4j-admin header name for a property (`:` would start a type).
fn neo4j_name(property: &str) -> String {
    if property.contains([':', ',', '"']) {
        format!("\"{}\"", property.replace('"', "\"\""))
    } else {
        property.to_string()
    }
}

fn write_header(path: &Path, header: &[String]) -> Result<()> {
    std::fs::write(path, header.join(",") + "\n").map_err(|e| io(path, &e))
}

/// The `neo4j-admin database import full` command for the folder.
fn neo4j_command(m: &Manifest) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let mut command = String::from("neo4j-admin database import full --input-type=parquet");
    for n in &m.nodes {
        let label = n.label.as_ref().map_or(String::new(), |l| format!("{l}="));
        command.push_str(&format!(
            " --nodes={}",
            quote(&format!("{label}{},{}", n.neo4j_header, n.file))
        ));
    }
    for r in &m.relationships {
        command.push_str(&format!(
            " --relationships={}",
            quote(&format!("{}={},{}", r.rel_type, r.neo4j_header, r.file))
        ));
    }
    command.push_str(" neo4j");
    command
}

/// A name usable in a file name: letters, digits and `_`.
fn file_part(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() { "_".to_string() } else { s }
}

/// `stem`, or `stem_2`… when an earlier file took it.
fn unique(stem: &str, taken: &mut Vec<String>) -> String {
    let mut name = stem.to_string();
    let mut i = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{stem}_{i}");
        i += 1;
    }
    taken.push(name.clone());
    name
}

fn io(path: &Path, e: &std::io::Error) -> Error {
    Error::io(&path.display().to_string(), e)
}

#[cfg(test)]
mod tests;
