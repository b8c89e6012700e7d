//! Functions on nodes and relationships: ids, labels, types, keys,
//! properties and the ends of a relationship. Asking a deleted entity for
//! its data is an `EntityNotFound: DeletedEntityAccess`.

use std::collections::BTreeMap;

use super::{arg, deleted, type_error};
use crate::error::{Error, Result};
use crate::graph::{EdgeId, Graph, NodeId, NodeRef, Properties, RelRef};
use crate::value::Value;

fn node_data(graph: &Graph, id: NodeId) -> Result<NodeRef<'_>> {
    graph.node(id).ok_or_else(|| deleted("node", id.index()))
}

fn edge_data(graph: &Graph, id: EdgeId) -> Result<RelRef<'_>> {
    graph
        .relationship(id)
        .ok_or_else(|| deleted("relationship", id.index()))
}

/// Converts an index to an integer value (indices always fit in an i64).
fn index_value(index: usize) -> Value {
    Value::Int(i64::try_from(index).unwrap_or(i64::MAX))
}

/// `id(x)`: the index of a node or relationship.
pub fn id(args: &[Value], _: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Node(n) => Ok(index_value(n.index())),
        Value::Relationship(r) => Ok(index_value(r.index())),
        other => Err(type_error("id", "a node or a relationship", other)),
    }
}

/// `labels(n)`: the labels of a node in the order they were added.
pub fn labels(args: &[Value], graph: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Node(n) => {
            let data = node_data(graph, *n)?;
            Ok(Value::List(
                data.labels()
                    .iter()
                    .map(|l| Value::from(graph.label_name(*l)))
                    .collect(),
            ))
        }
        other => Err(Error::type_error(
            "InvalidArgumentValue",
            format!("labels() expects a node, got {}", other.type_name()),
        )),
    }
}

/// `type(r)`: the type of a relationship.
pub fn rel_type(args: &[Value], graph: &Graph) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Relationship(r) => {
            // A relationship deleted by this statement still has its type.
            let rel_type = match graph.deleted_type(*r) {
                Some(t) if graph.relationship(*r).is_none() => t,
                _ => edge_data(graph, *r)?.rel_type(),
            };
            Ok(Value::from(graph.type_name(rel_type)))
        }
        other => Err(Error::type_error(
            "InvalidArgumentValue",
            format!("type() expects a relationship, got {}", other.type_name()),
        )),
    }
}

/// The properties of a node or relationship, or `None` for other values;
/// null gives `Ok(None)` too, so callers check null first.
fn entity_properties(value: &Value, graph: &Graph) -> Result<Option<Properties>> {
    match value {
        Value::Node(n) => Ok(Some(node_data(graph, *n)?.properties())),
        Value::Relationship(r) => Ok(Some(edge_data(graph, *r)?.properties())),
        _ => Ok(None),
    }
}

/// `keys(x)`: the property keys of a node, relationship or map, sorted by
/// name.
pub fn keys(args: &[Value], graph: &Graph) -> Result<Value> {
    let value = arg(args, 0);
    match value {
        Value::Null => Ok(Value::Null),
        Value::Map(m) => Ok(Value::List(
            m.keys().map(|k| Value::from(k.as_str())).collect(),
        )),
        _ => match entity_properties(value, graph)? {
            Some(props) => Ok(Value::List(
                graph
                    .sorted_properties(&props)
                    .into_iter()
                    .map(|(k, _)| Value::from(k))
                    .collect(),
            )),
            None => Err(type_error("keys", "a node, a relationship or a map", value)),
        },
    }
}

/// `properties(x)`: the properties of a node or relationship as a map; a
/// map is returned as is.
pub fn properties(args: &[Value], graph: &Graph) -> Result<Value> {
    let value = arg(args, 0);
    match value {
        Value::Null => Ok(Value::Null),
        Value::Map(_) => Ok(value.clone()),
        _ => match entity_properties(value, graph)? {
            Some(props) => Ok(Value::Map(
                props
                    .iter()
                    .map(|(k, v)| (graph.key_name(*k).to_owned(), v.clone()))
                    .collect::<BTreeMap<_, _>>(),
            )),
            None => Err(type_error(
                "properties",
                "a node, a relationship or a map",
                value,
            )),
        },
    }
}

/// One end of a relationship: `start` picks the start node.
fn endpoint(name: &str, args: &[Value], graph: &Graph, start: bool) -> Result<Value> {
    match arg(args, 0) {
        Value::Null => Ok(Value::Null),
        Value::Relationship(r) => {
            let (from, to) = graph
                .endpoints(*r)
                .ok_or_else(|| deleted("relationship", r.index()))?;
            Ok(Value::Node(if start { from } else { to }))
        }
        other => Err(type_error(name, "a relationship", other)),
    }
}

/// `startNode(r)`.
pub fn start_node(args: &[Value], graph: &Graph) -> Result<Value> {
    endpoint("startNode", args, graph, true)
}

/// `endNode(r)`.
pub fn end_node(args: &[Value], graph: &Graph) -> Result<Value> {
    endpoint("endNode", args, graph, false)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::error::ErrorClass;
    use crate::exec::functions::lookup;
    use crate::graph::{EdgeId, Graph, NodeId};
    use crate::value::Value;

    fn call(graph: &Graph, name: &str, arg: Value) -> crate::error::Result<Value> {
        lookup(name).expect("function exists").invoke(&[arg], graph)
    }

    fn sample() -> (Graph, NodeId, NodeId, EdgeId) {
        let mut g = Graph::new();
        let person = g.intern_label("Person");
        let admin = g.intern_label("Admin");
        let knows = g.intern_type("KNOWS");
        let name = g.intern_key("name");
        let age = g.intern_key("age");
        let since = g.intern_key("since");
        // Interned in non-alphabetical order on purpose: keys() sorts by name.
        let a = g.add_node(
            vec![person, admin],
            vec![(name, Value::from("Ann")), (age, Value::Int(40))],
        );
        let b = g.add_node(vec![], vec![]);
        let r = g
            .add_relationship(a, b, knows, vec![(since, Value::Int(2020))])
            .expect("both ends exist");
        (g, a, b, r)
    }

    #[test]
    fn ids_labels_types() {
        let (g, a, b, r) = sample();
        assert_eq!(
            call(&g, "id", Value::Node(b)).unwrap(),
            Value::Int(b.index() as i64)
        );
        assert_eq!(
            call(&g, "id", Value::Relationship(r)).unwrap(),
            Value::Int(r.index() as i64)
        );
        assert_eq!(call(&g, "id", Value::Null).unwrap(), Value::Null);
        assert_eq!(
            call(&g, "id", Value::Int(1)).unwrap_err().class,
            ErrorClass::TypeError
        );
        assert_eq!(
            call(&g, "labels", Value::Node(a)).unwrap(),
            Value::List(vec![Value::from("Person"), Value::from("Admin")].into())
        );
        assert_eq!(
            call(&g, "labels", Value::Node(b)).unwrap(),
            Value::List(vec![].into())
        );
        assert_eq!(
            call(&g, "labels", Value::Relationship(r))
                .unwrap_err()
                .class,
            ErrorClass::TypeError
        );
        assert_eq!(
            call(&g, "type", Value::Relationship(r)).unwrap(),
            Value::from("KNOWS")
        );
        assert_eq!(
            call(&g, "type", Value::Node(a)).unwrap_err().class,
            ErrorClass::TypeError
        );
        assert_eq!(call(&g, "type", Value::Null).unwrap(), Value::Null);
    }

    #[test]
    fn keys_and_properties() {
        let (g, a, b, r) = sample();
        assert_eq!(
            call(&g, "keys", Value::Node(a)).unwrap(),
            Value::List(vec![Value::from("age"), Value::from("name")].into())
        );
        assert_eq!(
            call(&g, "keys", Value::Node(b)).unwrap(),
            Value::List(vec![].into())
        );
        assert_eq!(
            call(&g, "keys", Value::Relationship(r)).unwrap(),
            Value::List(vec![Value::from("since")].into())
        );
        let map: BTreeMap<String, Value> = [
            ("b".to_owned(), Value::Int(1)),
            ("a".to_owned(), Value::Null),
        ]
        .into();
        assert_eq!(
            call(&g, "keys", Value::Map(map.clone())).unwrap(),
            Value::List(vec![Value::from("a"), Value::from("b")].into())
        );
        assert_eq!(
            call(&g, "keys", Value::Int(1)).unwrap_err().class,
            ErrorClass::TypeError
        );
        let props: BTreeMap<String, Value> = [
            ("age".to_owned(), Value::Int(40)),
            ("name".to_owned(), Value::from("Ann")),
        ]
        .into();
        assert_eq!(
            call(&g, "properties", Value::Node(a)).unwrap(),
            Value::Map(props)
        );
        assert_eq!(
            call(&g, "properties", Value::Map(map.clone())).unwrap(),
            Value::Map(map)
        );
        assert_eq!(call(&g, "properties", Value::Null).unwrap(), Value::Null);
        assert_eq!(
            call(&g, "properties", Value::from("x")).unwrap_err().class,
            ErrorClass::TypeError
        );
    }

    #[test]
    fn ends_of_relationships_and_deleted_entities() {
        let (mut g, a, b, r) = sample();
        assert_eq!(
            call(&g, "startNode", Value::Relationship(r)).unwrap(),
            Value::Node(a)
        );
        assert_eq!(
            call(&g, "endNode", Value::Relationship(r)).unwrap(),
            Value::Node(b)
        );
        assert_eq!(call(&g, "startNode", Value::Null).unwrap(), Value::Null);
        assert_eq!(
            call(&g, "endNode", Value::Node(a)).unwrap_err().class,
            ErrorClass::TypeError
        );
        g.remove_relationship(r);
        let err = call(&g, "type", Value::Relationship(r)).unwrap_err();
        assert_eq!(
            (err.class, err.code),
            (ErrorClass::EntityNotFound, "DeletedEntityAccess")
        );
        assert_eq!(
            call(&g, "startNode", Value::Relationship(r))
                .unwrap_err()
                .class,
            ErrorClass::EntityNotFound
        );
        assert!(g.remove_node(b).is_ok());
        assert_eq!(
            call(&g, "labels", Value::Node(b)).unwrap_err().class,
            ErrorClass::EntityNotFound
        );
        assert_eq!(
            call(&g, "keys", Value::Node(b)).unwrap_err().class,
            ErrorClass::EntityNotFound
        );
        // The id of a deleted entity is still known.
        assert_eq!(
            call(&g, "id", Value::Node(b)).unwrap(),
            Value::Int(b.index() as i64)
        );
    }
}
