//! Element ids: the one string form of a node's or relationship's identity
//! that `elementId()`, Bolt and the HTTP API all give out, so an id a driver
//! received can be matched with `WHERE elementId(n) = $id`.
//!
//! The form is Neo4j's `KIND:DATABASE:INDEX`: `4:kgq:N` for node `N`,
//! `5:kgq:N` for relationship `N`. It is opaque to clients and stable while
//! the element lives.

use super::{EdgeId, NodeId};

/// The database name every kgq element id carries.
pub const DATABASE_NAME: &str = "kgq";

const NODE_PREFIX: &str = "4:kgq:";
const RELATIONSHIP_PREFIX: &str = "5:kgq:";

/// The element id of a node.
pub fn node_element_id(id: NodeId) -> String {
    format!("{NODE_PREFIX}{}", id.index())
}

/// The element id of a relationship.
pub fn relationship_element_id(id: EdgeId) -> String {
    format!("{RELATIONSHIP_PREFIX}{}", id.index())
}

/// The node an element id names, if it is a node's.
pub fn parse_node_element_id(text: &str) -> Option<NodeId> {
    text.strip_prefix(NODE_PREFIX)?.parse().ok().map(NodeId)
}

/// The relationship an element id names, if it is a relationship's.
pub fn parse_relationship_element_id(text: &str) -> Option<EdgeId> {
    text.strip_prefix(RELATIONSHIP_PREFIX)?
        .parse()
        .ok()
        .map(EdgeId)
}

/// The database an element id names (`kgq`), if it is a well-formed kgq
/// element id of a node or a relationship.
pub fn database_of_element_id(text: &str) -> Option<&'static str> {
    let ours =
        parse_node_element_id(text).is_some() || parse_relationship_element_id(text).is_some();
    ours.then_some(DATABASE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_ids_round_trip_and_keep_kinds_apart() {
        assert_eq!(node_element_id(NodeId(7)), "4:kgq:7");
        assert_eq!(parse_node_element_id("4:kgq:7"), Some(NodeId(7)));
        assert_eq!(parse_relationship_element_id("5:kgq:7"), Some(EdgeId(7)));
        assert_eq!(parse_node_element_id("5:kgq:7"), None);
        assert_eq!(parse_node_element_id("4:kgq:x"), None);
        assert_eq!(database_of_element_id("5:kgq:7"), Some("kgq"));
        assert_eq!(database_of_element_id("4:neo4j:7"), None);
        assert_eq!(database_of_element_id("4:kgq:"), None);
    }
}
