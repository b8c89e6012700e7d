//! Interning of labels, relationship types and property keys: each distinct
//! name is stored once and referred to by a small integer.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// A table of distinct names, each with a dense `u32` id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Interner {
    names: Vec<Box<str>>,
    #[serde(skip)]
    ids: HashMap<Box<str>, u32>,
}

impl Interner {
    /// The id of `name`, adding it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    /// The id of `name`, if it was ever interned.
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    /// The name of `id` (empty for an unknown id).
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |s| s)
    }

    /// How many names are interned.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether no name is interned.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every (id, name) pair in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        self.names.iter().enumerate().map(|(i, n)| (i as u32, &**n))
    }

    /// Rebuilds the name → id map (after deserialising the names).
    pub fn rebuild(&mut self) {
        self.ids = self
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
    }

    /// Builds an interner from names in id order.
    pub fn from_names(names: Vec<String>) -> Self {
        let mut interner = Interner {
            names: names.into_iter().map(Into::into).collect(),
            ids: HashMap::new(),
        };
        interner.rebuild();
        interner
    }
}
