//! Full-text indexes (`CREATE FULLTEXT INDEX … ON EACH [...]`): the
//! definitions kept in the [`Schema`](super::Schema), and the in-memory
//! inverted indexes ([`FulltextIndexes`]) the graph keeps current on every
//! change of a node or relationship. Because the graph's writes and their
//! undo go through the same methods, a rolled-back statement leaves the
//! postings as they were. Postings are never stored: they are rebuilt when
//! a graph is loaded.
//!
//! Modules: [`analyze`] (text to terms), [`query`] (query text to a
//! query), `index` (postings), `search` (matching and BM25 scoring).

pub mod analyze;
mod index;
pub mod query;
mod search;

use serde::{Deserialize, Serialize};

pub use index::DocId;
pub use search::{bm25, idf};

use crate::value::Value;
use index::Inverted;

/// What a full-text index covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entity {
    /// Nodes with one of the labels.
    Node,
    /// Relationships of one of the types.
    Relationship,
}

/// A declared full-text index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FulltextDef {
    /// Its name.
    pub name: String,
    /// Nodes or relationships.
    pub entity: Entity,
    /// The labels (for nodes) or types (for relationships).
    pub tokens: Vec<String>,
    /// The property keys, each a field of the index.
    pub properties: Vec<String>,
    /// The analyzer's name (always [`analyze::ANALYZER`] for now).
    pub analyzer: String,
    /// `fulltext.eventually_consistent` as given (kgq is always current).
    pub eventually_consistent: bool,
}

impl FulltextDef {
    /// The name given, or `fulltext_<tokens>_<properties>` in lower case.
    pub fn default_name(tokens: &[String], properties: &[String]) -> String {
        super::default_name("fulltext", &tokens.join("_"), properties)
    }
}

/// One full-text index: its definition and postings.
#[derive(Debug, Clone)]
pub struct FulltextIndex {
    def: FulltextDef,
    inverted: Inverted,
}

impl FulltextIndex {
    /// The definition.
    pub fn def(&self) -> &FulltextDef {
        &self.def
    }

    /// How many nodes or relationships it holds.
    pub fn len(&self) -> usize {
        self.inverted.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.inverted.is_empty()
    }

    /// The ids matching a parsed query, best first (ties by id).
    pub fn search(&self, query: &query::Query) -> Vec<(DocId, f64)> {
        search::search(&self.inverted, &self.def.properties, query)
    }

    /// Whether an element with these labels or type belongs in the index.
    fn covers<'a>(&self, mut names: impl Iterator<Item = &'a str>) -> bool {
        names.any(|n| self.def.tokens.iter().any(|t| t == n))
    }
}

/// The full-text indexes of a graph, by name.
#[derive(Debug, Clone, Default)]
pub struct FulltextIndexes {
    indexes: Vec<FulltextIndex>,
}

/// What the graph tells an index about one element: its label or type
/// names and its value of each indexed property (by name).
pub struct Element<'a, L, P>
where
    L: Iterator<Item = &'a str>,
    P: Fn(&str) -> Option<Value>,
{
    /// Its labels, or its type.
    pub names: L,
    /// Its properties.
    pub property: P,
}

impl FulltextIndexes {
    /// Whether there is no full-text index.
    pub fn is_empty(&self) -> bool {
        self.indexes.is_empty()
    }

    /// The index called `name`.
    pub fn get(&self, name: &str) -> Option<&FulltextIndex> {
        self.indexes.iter().find(|i| i.def.name == name)
    }

    /// Whether some index of `entity` indexes property `key`.
    pub fn uses_key(&self, entity: Entity, key: &str) -> bool {
        self.indexes
            .iter()
            .any(|i| i.def.entity == entity && i.def.properties.iter().any(|p| p == key))
    }

    /// Keeps the indexes whose definition is in `defs`, and returns the
    /// definitions that have no index yet (to be built with [`Self::add`]).
    pub fn retain(&mut self, defs: &[FulltextDef]) -> Vec<FulltextDef> {
        self.indexes.retain(|i| defs.contains(&i.def));
        defs.iter()
            .filter(|d| !self.indexes.iter().any(|i| &i.def == *d))
            .cloned()
            .collect()
    }

    /// Adds an empty index for `def` (fill it with [`Self::update`]).
    pub fn add(&mut self, def: FulltextDef) {
        let fields = def.properties.len();
        self.indexes.push(FulltextIndex {
            def,
            inverted: Inverted::new(fields),
        });
    }

    /// Re-indexes element `id` of kind `entity` as it is now (`None`: it
    /// no longer exists), in every index of that kind; `only` limits it
    /// to the index of that name.
    pub fn update<'a, L, P>(
        &mut self,
        entity: Entity,
        id: DocId,
        element: Option<Element<'a, L, P>>,
        only: Option<&str>,
    ) where
        L: Iterator<Item = &'a str> + Clone,
        P: Fn(&str) -> Option<Value>,
    {
        for index in &mut self.indexes {
            if index.def.entity != entity || only.is_some_and(|n| n != index.def.name) {
                continue;
            }
            match &element {
                Some(e) if index.covers(e.names.clone()) => {
                    let owned: Vec<Option<Value>> = index
                        .def
                        .properties
                        .iter()
                        .map(|p| (e.property)(p))
                        .collect();
                    let values: Vec<Option<&Value>> = owned.iter().map(Option::as_ref).collect();
                    index.inverted.put(id, &values);
                }
                _ => index.inverted.remove(id),
            }
        }
    }
}
