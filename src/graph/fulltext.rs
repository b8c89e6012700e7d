//! Keeping the graph's full-text indexes current: every method of
//! [`Graph`] that changes a node or relationship (and so every undo)
//! calls one of these, which re-index that one element.

use super::{EdgeId, Graph, NodeId};
use crate::schema::fulltext::{Element, Entity, FulltextIndex, FulltextIndexes};

impl Graph {
    /// The full-text index called `name`, with its postings.
    pub fn fulltext_index(&self, name: &str) -> Option<&FulltextIndex> {
        self.fulltext.get(name)
    }

    /// Makes the full-text postings match the schema's full-text
    /// definitions: drops those of dropped indexes and builds new ones
    /// from the data (after a schema change, and when a graph is loaded).
    pub fn sync_fulltext(&mut self) {
        let mut indexes = std::mem::take(&mut self.fulltext);
        let missing = indexes.retain(&self.schema.fulltext);
        for def in missing {
            let (name, entity) = (def.name.clone(), def.entity);
            indexes.add(def);
            match entity {
                Entity::Node => {
                    for id in self.nodes() {
                        self.refresh_node_in(&mut indexes, id, Some(&name));
                    }
                }
                Entity::Relationship => {
                    for id in self.relationships() {
                        self.refresh_relationship_in(&mut indexes, id, Some(&name));
                    }
                }
            }
        }
        self.fulltext = indexes;
    }

    /// Re-indexes node `id` as it is now (gone, if removed).
    pub(super) fn fulltext_node(&mut self, id: NodeId) {
        if self.fulltext.is_empty() {
            return;
        }
        let mut indexes = std::mem::take(&mut self.fulltext);
        self.refresh_node_in(&mut indexes, id, None);
        self.fulltext = indexes;
    }

    /// Re-indexes node `id` if some node index covers `key`.
    pub(super) fn fulltext_node_key(&mut self, id: NodeId, key: super::KeyId) {
        if !self.fulltext.is_empty() && self.fulltext.uses_key(Entity::Node, self.key_name(key)) {
            self.fulltext_node(id);
        }
    }

    /// Re-indexes relationship `id` as it is now (gone, if removed).
    pub(super) fn fulltext_relationship(&mut self, id: EdgeId) {
        if self.fulltext.is_empty() {
            return;
        }
        let mut indexes = std::mem::take(&mut self.fulltext);
        self.refresh_relationship_in(&mut indexes, id, None);
        self.fulltext = indexes;
    }

    /// Re-indexes relationship `id` if some relationship index covers `key`.
    pub(super) fn fulltext_relationship_key(&mut self, id: EdgeId, key: super::KeyId) {
        if !self.fulltext.is_empty()
            && self
                .fulltext
                .uses_key(Entity::Relationship, self.key_name(key))
        {
            self.fulltext_relationship(id);
        }
    }

    fn refresh_node_in(&self, indexes: &mut FulltextIndexes, id: NodeId, only: Option<&str>) {
        let element = self.node(id).map(|data| Element {
            names: data.labels().iter().map(|l| self.label_name(*l)),
            property: move |name: &str| self.key_id(name).and_then(|k| data.property(k)),
        });
        indexes.update(Entity::Node, id.0, element, only);
    }

    fn refresh_relationship_in(
        &self,
        indexes: &mut FulltextIndexes,
        id: EdgeId,
        only: Option<&str>,
    ) {
        let element = self.relationship(id).map(|data| Element {
            names: std::iter::once(self.type_name(data.rel_type())),
            property: move |name: &str| self.key_id(name).and_then(|k| data.property(k)),
        });
        indexes.update(Entity::Relationship, id.0, element, only);
    }
}
