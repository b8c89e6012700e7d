//! The neo4j-admin bulk-import layout: a folder with one
//! `nodes_<Labels>.csv` per set of labels and one `rels_<TYPE>.csv` per
//! relationship type, headers `:ID`, `:LABEL`, `:START_ID`, `:END_ID`,
//! `:TYPE` and typed properties (`founded:long`, `announced:date`,
//! `aliases:string[]`, arrays separated by `;`), plus `import.sh` with the
//! `neo4j-admin database import full` command. `kgq import csv DIR` reads
//! the folder back.
//!
//! A property whose values have different types within one file is
//! written as text (`name:string`) and reported in
//! [`Neo4jExport::warnings`]. CSV cannot tell an empty string or an empty
//! list from a missing value, nor keep a `;` inside an array element:
//! those are the layout's limits.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::Subgraph;
use crate::error::{Error, Result};
use crate::graph::{EdgeId, Graph, NodeId};
use crate::value::{Value, tagged};

/// What [`write_dir`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Neo4jExport {
    /// The CSV files, nodes first.
    pub files: Vec<PathBuf>,
    /// The neo4j-admin command line that imports them (also in `import.sh`).
    pub command: String,
    /// Properties written as text because their types were mixed.
    pub warnings: Vec<String>,
}

/// The neo4j-admin type of a value (`long`, `date`, `string[]`, …); `None`
/// for an empty list, which fits any array type.
pub fn column_type(value: &Value) -> Option<String> {
    Some(match value {
        Value::List(items) => {
            let mut types = items.iter().map(scalar_type);
            let first = types.next()?;
            if types.all(|t| t == first) {
                format!("{first}[]")
            } else {
                "string[]".to_string()
            }
        }
        other => scalar_type(other).to_string(),
    })
}

fn scalar_type(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "boolean",
        Value::Int(_) => "long",
        Value::Float(_) => "double",
        other => tagged::tag(other).unwrap_or("string"),
    }
}

/// The text of a value in a CSV field.
pub fn field_text(value: &Value) -> String {
    match value {
        Value::List(items) => items.iter().map(field_text).collect::<Vec<_>>().join(";"),
        Value::Float(f) => tagged::special_float(*f).map_or_else(|| format!("{f:?}"), String::from),
        Value::String(s) => s.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        other => tagged::iso_text(other).unwrap_or_else(|| other.literal(None).to_string()),
    }
}

/// A name usable in a file name: letters, digits and `_`.
fn file_part(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() { "_".to_string() } else { s }
}

/// One file's columns: property key → header type.
type Columns = BTreeMap<String, String>;

/// Works out each property's column type in a group of entities.
fn columns<'a>(
    props: impl Iterator<Item = Vec<(&'a str, Value)>>,
    file: &str,
    warnings: &mut Vec<String>,
) -> Columns {
    let mut seen: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut mixed: BTreeMap<String, bool> = BTreeMap::new();
    for list in props {
        for (k, v) in list {
            let ty = column_type(&v);
            let slot = seen.entry(k.to_string()).or_insert(None);
            match (&slot, ty) {
                (_, None) => {}
                (None, Some(t)) => *slot = Some(t),
                (Some(old), Some(t)) if *old != t => {
                    mixed.insert(k.to_string(), true);
                }
                _ => {}
            }
        }
    }
    seen.into_iter()
        .map(|(k, t)| {
            let t = t.unwrap_or_else(|| "string[]".to_string());
            let ty = if mixed.contains_key(&k) {
                let fallback = if t.ends_with("[]") {
                    "string[]"
                } else {
                    "string"
                };
                warnings.push(format!(
                    "{file}: property `{k}` has values of several types; written as {fallback}"
                ));
                fallback.to_string()
            } else {
                t
            };
            (k, ty)
        })
        .collect()
}

/// Writes `subgraph` into the folder `dir` (created if needed).
pub fn write_dir(graph: &Graph, subgraph: &Subgraph, dir: &Path) -> Result<Neo4jExport> {
    let io = |p: &Path, e: std::io::Error| Error::io(&p.display().to_string(), &e);
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut result = Neo4jExport::default();
    let positions = subgraph.positions();

    let mut node_groups: BTreeMap<String, Vec<NodeId>> = BTreeMap::new();
    for n in &subgraph.nodes {
        let labels = graph.node_labels(*n);
        let name = if labels.is_empty() {
            "nodes__unlabelled".to_string()
        } else {
            let parts: Vec<String> = labels.iter().map(|l| file_part(l)).collect();
            format!("nodes_{}", parts.join("_"))
        };
        node_groups.entry(name).or_default().push(*n);
    }
    let mut node_files = Vec::new();
    for (name, nodes) in &node_groups {
        let file = unique(dir, name, &result.files);
        let cols = columns(
            nodes.iter().map(|n| graph.node_properties(*n)),
            &file_name(&file),
            &mut result.warnings,
        );
        let mut header = vec![":ID".to_string(), ":LABEL".to_string()];
        header.extend(cols.iter().map(|(k, t)| format!("{k}:{t}")));
        let rows = nodes.iter().map(|n| {
            let mut row = vec![
                positions[n.index()].to_string(),
                graph.node_labels(*n).join(";"),
            ];
            row.extend(property_fields(graph.node_properties(*n), &cols));
            row
        });
        write_csv(&file, &header, rows)?;
        node_files.push(file.clone());
        result.files.push(file);
    }

    let mut rel_groups: BTreeMap<String, Vec<EdgeId>> = BTreeMap::new();
    for r in &subgraph.relationships {
        let t = graph.relationship_type(*r).unwrap_or_default();
        rel_groups
            .entry(format!("rels_{}", file_part(t)))
            .or_default()
            .push(*r);
    }
    let mut rel_files = Vec::new();
    for (name, rels) in &rel_groups {
        let file = unique(dir, name, &result.files);
        let cols = columns(
            rels.iter().map(|r| graph.relationship_properties(*r)),
            &file_name(&file),
            &mut result.warnings,
        );
        let mut header = vec![
            ":START_ID".to_string(),
            ":END_ID".to_string(),
            ":TYPE".to_string(),
        ];
        header.extend(cols.iter().map(|(k, t)| format!("{k}:{t}")));
        let rows = rels.iter().filter_map(|r| {
            let (a, b) = graph.endpoints(*r)?;
            let mut row = vec![
                positions[a.index()].to_string(),
                positions[b.index()].to_string(),
                graph.relationship_type(*r).unwrap_or_default().to_string(),
            ];
            row.extend(property_fields(graph.relationship_properties(*r), &cols));
            Some(row)
        });
        write_csv(&file, &header, rows)?;
        rel_files.push(file.clone());
        result.files.push(file);
    }

    let mut command = String::from(
        "neo4j-admin database import full --array-delimiter=';' --multiline-fields=true",
    );
    for f in &node_files {
        command.push_str(&format!(" --nodes={}", file_name(f)));
    }
    for f in &rel_files {
        command.push_str(&format!(" --relationships={}", file_name(f)));
    }
    command.push_str(" neo4j");
    let script = dir.join("import.sh");
    let text = format!(
        "#!/bin/sh\n# Imports this folder into the (stopped, empty) Neo4j database `neo4j`.\n\
         # Written by kgq export neo4j.\ncd \"$(dirname \"$0\")\" || exit 1\n{command}\n"
    );
    std::fs::write(&script, text).map_err(|e| io(&script, e))?;
    result.command = command;
    Ok(result)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `dir/name.csv`, or `dir/name_2.csv`… when an earlier file took the name.
fn unique(dir: &Path, name: &str, taken: &[PathBuf]) -> PathBuf {
    let mut candidate = dir.join(format!("{name}.csv"));
    let mut i = 2;
    while taken.contains(&candidate) {
        candidate = dir.join(format!("{name}_{i}.csv"));
        i += 1;
    }
    candidate
}

fn property_fields(props: Vec<(&str, Value)>, cols: &Columns) -> Vec<String> {
    let by_key: BTreeMap<&str, Value> = props.into_iter().collect();
    cols.keys()
        .map(|k| by_key.get(k.as_str()).map_or_else(String::new, field_text))
        .collect()
}

fn write_csv(
    path: &Path,
    header: &[String],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    let fail = |e: ::csv::Error| {
        let e = match e.into_kind() {
            ::csv::ErrorKind::Io(e) => e,
            other => std::io::Error::other(format!("{other:?}")),
        };
        Error::io(&path.display().to_string(), &e)
    };
    let file = File::create(path).map_err(|e| Error::io(&path.display().to_string(), &e))?;
    let mut w = ::csv::Writer::from_writer(BufWriter::new(file));
    w.write_record(header).map_err(fail)?;
    for row in rows {
        w.write_record(&row).map_err(fail)?;
    }
    w.flush()
        .map_err(|e| Error::io(&path.display().to_string(), &e))
}
