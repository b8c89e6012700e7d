//! `manifest.json`: what a Parquet export holds, so that other tools (and
//! `kgq import parquet`) know each file's label or type and key columns
//! without guessing from file names.

use serde::{Deserialize, Serialize};

/// The manifest's format name.
pub const FORMAT: &str = "kgq-parquet";
/// The manifest's version.
pub const VERSION: u32 = 1;
/// The manifest's file name in an export folder.
pub const FILE_NAME: &str = "manifest.json";

/// The whole manifest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] for files this version writes.
    pub version: u32,
    /// The node files.
    pub nodes: Vec<NodeFile>,
    /// The relationship files.
    pub relationships: Vec<RelationshipFile>,
}

/// One file of nodes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeFile {
    /// The Parquet file, relative to the folder.
    pub file: String,
    /// The label every node of the file has (`null` for nodes without labels).
    pub label: Option<String>,
    /// The key column (node ids, unique over every node file): `id`.
    pub key: String,
    /// The column listing every label of nodes that have several, if any.
    pub labels_column: Option<String>,
    /// The neo4j-admin header file for this file.
    pub neo4j_header: String,
    /// Rows in the file.
    pub rows: u64,
    /// The property columns.
    pub columns: Vec<Column>,
}

/// One file of relationships.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelationshipFile {
    /// The Parquet file, relative to the folder.
    pub file: String,
    /// The relationship type.
    #[serde(rename = "type")]
    pub rel_type: String,
    /// The column with the start node's id: `src`.
    pub src: String,
    /// The column with the end node's id: `dst`.
    pub dst: String,
    /// The column with the relationship's id: `id`.
    pub key: String,
    /// The neo4j-admin header file for this file.
    pub neo4j_header: String,
    /// Rows in the file.
    pub rows: u64,
    /// The property columns.
    pub columns: Vec<Column>,
}

/// A property column.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The column's name in the file.
    pub name: String,
    /// The property it holds (differs from `name` only for properties
    /// named like a structural column: `id` is written as `prop_id`).
    pub property: String,
    /// The Arrow type, as arrow-rs prints it (`Int64`, `List(Utf8)`, …).
    pub arrow_type: String,
    /// The kgq type tag for columns that need one (`duration`, `json`, …).
    pub kgq_type: Option<String>,
}
