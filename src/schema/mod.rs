//! Schema: the indexes and constraints a graph declares with
//! `CREATE INDEX` / `CREATE CONSTRAINT`, kept with the graph (in snapshots
//! and the journal) and checked after every statement that writes.
//!
//! Indexes: kgq already answers `n.key = value` lookups on a label from an
//! equality index it builds on first use; a declared index is built at
//! once and listed by `SHOW INDEXES`. Constraints: `IS UNIQUE`,
//! `IS NOT NULL` and `IS NODE KEY` on node labels; a statement that breaks
//! one fails, is rolled back, and the error names the constraint.
//! Full-text indexes ([`fulltext`]) are declared here too and searched
//! with `db.index.fulltext.queryNodes | queryRelationships`.

mod check;
pub mod command;
pub mod fulltext;
mod options;

use serde::{Deserialize, Serialize};

pub use check::check;

use crate::error::{Error, ErrorClass, Result};

/// What an index is declared as (both are equality indexes in kgq).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndexKind {
    /// `CREATE [RANGE] INDEX`
    Range,
    /// `CREATE TEXT INDEX`
    Text,
}

/// A declared index on node properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexDef {
    /// Its name.
    pub name: String,
    /// Range or text.
    pub kind: IndexKind,
    /// The label.
    pub label: String,
    /// The property keys.
    pub properties: Vec<String>,
}

/// What a constraint requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConstraintKind {
    /// `IS UNIQUE`: no two nodes with the label share the values.
    Unique,
    /// `IS NOT NULL`: every node with the label has the property.
    NotNull,
    /// `IS NODE KEY`: both.
    NodeKey,
}

/// A declared constraint on node properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstraintDef {
    /// Its name.
    pub name: String,
    /// What it requires.
    pub kind: ConstraintKind,
    /// The label.
    pub label: String,
    /// The property keys.
    pub properties: Vec<String>,
}

/// The declared indexes and constraints of a graph. A snapshot stores
/// `indexes` and `constraints` in one section and `fulltext` in another
/// (see [`crate::snapshot`]), so snapshots without full-text indexes keep
/// their old form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Indexes, in creation order.
    pub indexes: Vec<IndexDef>,
    /// Constraints, in creation order.
    pub constraints: Vec<ConstraintDef>,
    /// Full-text indexes, in creation order.
    pub fulltext: Vec<fulltext::FulltextDef>,
}

/// One schema command, as the journal records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SchemaChange {
    /// An index was created.
    CreateIndex(IndexDef),
    /// The index of this name was dropped.
    DropIndex(String),
    /// A constraint was created.
    CreateConstraint(ConstraintDef),
    /// The constraint of this name was dropped.
    DropConstraint(String),
    /// A full-text index was created.
    CreateFulltext(fulltext::FulltextDef),
}

impl Schema {
    /// Whether the schema declares nothing.
    pub fn is_empty(&self) -> bool {
        self.indexes.is_empty() && self.constraints.is_empty() && self.fulltext.is_empty()
    }

    /// Whether an index or constraint is called `name`.
    pub fn name_taken(&self, name: &str) -> bool {
        self.indexes.iter().any(|i| i.name == name)
            || self.constraints.iter().any(|c| c.name == name)
            || self.fulltext.iter().any(|f| f.name == name)
    }

    /// Applies `change`; fails (changing nothing) when a name is taken or
    /// missing, or an equivalent index or constraint exists.
    pub fn apply(&mut self, change: &SchemaChange) -> Result<()> {
        match change {
            SchemaChange::CreateIndex(def) => {
                if self.name_taken(&def.name) {
                    return Err(exists(format!(
                        "an index or constraint `{}` already exists",
                        def.name
                    )));
                }
                if let Some(same) = self.indexes.iter().find(|i| {
                    i.label == def.label && i.properties == def.properties && i.kind == def.kind
                }) {
                    return Err(exists(format!(
                        "index `{}` already covers :{}({})",
                        same.name,
                        def.label,
                        def.properties.join(", ")
                    )));
                }
                self.indexes.push(def.clone());
            }
            SchemaChange::CreateConstraint(def) => {
                if self.name_taken(&def.name) {
                    return Err(exists(format!(
                        "an index or constraint `{}` already exists",
                        def.name
                    )));
                }
                if let Some(same) = self.constraints.iter().find(|c| {
                    c.label == def.label && c.properties == def.properties && c.kind == def.kind
                }) {
                    return Err(exists(format!(
                        "constraint `{}` already requires the same",
                        same.name
                    )));
                }
                self.constraints.push(def.clone());
            }
            SchemaChange::CreateFulltext(def) => {
                if self.name_taken(&def.name) {
                    return Err(exists(format!(
                        "an index or constraint `{}` already exists",
                        def.name
                    )));
                }
                if let Some(same) = self.fulltext.iter().find(|f| {
                    f.entity == def.entity
                        && f.tokens == def.tokens
                        && f.properties == def.properties
                }) {
                    return Err(exists(format!(
                        "full-text index `{}` already covers the same labels or types and properties",
                        same.name
                    )));
                }
                self.fulltext.push(def.clone());
            }
            SchemaChange::DropIndex(name) => {
                if let Some(at) = self.fulltext.iter().position(|f| f.name == *name) {
                    self.fulltext.remove(at);
                    return Ok(());
                }
                let Some(at) = self.indexes.iter().position(|i| i.name == *name) else {
                    return Err(missing(format!("there is no index `{name}`")));
                };
                self.indexes.remove(at);
            }
            SchemaChange::DropConstraint(name) => {
                let Some(at) = self.constraints.iter().position(|c| c.name == *name) else {
                    return Err(missing(format!("there is no constraint `{name}`")));
                };
                self.constraints.remove(at);
            }
        }
        Ok(())
    }
}

/// The name Neo4j-style tools expect when none is given:
/// `constraint_company_name` / `index_company_name`.
pub fn default_name(prefix: &str, label: &str, properties: &[String]) -> String {
    let mut name = format!("{prefix}_{}", label.to_lowercase());
    for p in properties {
        name.push('_');
        name.push_str(&p.to_lowercase());
    }
    name
}

fn exists(message: String) -> Error {
    Error::new(
        ErrorClass::SemanticError,
        "EquivalentSchemaRuleAlreadyExists",
        message,
    )
}

fn missing(message: String) -> Error {
    Error::new(ErrorClass::SemanticError, "SchemaRuleNotFound", message)
}
