//! `:schema` and `:stats`: what the graph holds.

use std::collections::{BTreeMap, BTreeSet};

use kgq::Graph;
use kgq::graph::Properties;

use super::table;

/// Labels with counts; relationship types with counts and the labels at
/// their ends; property keys with the value types seen.
pub fn schema(graph: &Graph, width: u16) -> String {
    let s = |x: &str| x.to_string();
    let mut labels: Vec<Vec<String>> = graph
        .all_labels()
        .filter(|(id, _)| graph.label_count(*id) > 0)
        .map(|(id, name)| vec![name.to_string(), graph.label_count(id).to_string()])
        .collect();
    labels.sort();

    let label_set = |node| -> String {
        graph.node(node).map_or_else(String::new, |n| {
            let mut names: Vec<&str> = n.labels().iter().map(|l| graph.label_name(*l)).collect();
            names.sort_unstable();
            names.iter().map(|l| format!(":{l}")).collect()
        })
    };
    let mut types: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    let mut keys: BTreeMap<String, (BTreeSet<&'static str>, BTreeSet<&'static str>)> =
        BTreeMap::new();
    let mut note_keys = |props: &Properties, on: &'static str| {
        for (key, value) in graph.sorted_properties(props) {
            let entry = keys.entry(key.to_string()).or_default();
            entry.0.insert(value.type_name());
            entry.1.insert(on);
        }
    };
    for id in graph.relationships() {
        let Some(rel) = graph.relationship(id) else {
            continue;
        };
        note_keys(&rel.properties(), "relationships");
        let Some((a, b)) = graph.endpoints(id) else {
            continue;
        };
        let entry = types
            .entry(graph.type_name(rel.rel_type()).to_string())
            .or_default();
        entry.0 += 1;
        entry
            .1
            .insert(format!("({})→({})", label_set(a), label_set(b)));
    }
    for id in graph.nodes() {
        if let Some(node) = graph.node(id) {
            note_keys(&node.properties(), "nodes");
        }
    }
    let types: Vec<Vec<String>> = types
        .into_iter()
        .map(|(name, (count, ends))| {
            vec![
                name,
                count.to_string(),
                ends.into_iter().collect::<Vec<_>>().join(", "),
            ]
        })
        .collect();
    let keys: Vec<Vec<String>> = keys
        .into_iter()
        .map(|(name, (kinds, on))| {
            vec![
                name,
                kinds.into_iter().collect::<Vec<_>>().join(", "),
                on.into_iter().collect::<Vec<_>>().join(", "),
            ]
        })
        .collect();
    format!(
        "Labels\n{}\nRelationship types\n{}\nProperty keys\n{}",
        table::fit(&[s("label"), s("nodes")], &labels, width),
        table::fit(&[s("type"), s("count"), s("ends")], &types, width),
        table::fit(&[s("key"), s("value types"), s("on")], &keys, width),
    )
}

/// One line of counts.
pub fn counts(graph: &Graph) -> String {
    let labels = graph
        .all_labels()
        .filter(|(id, _)| graph.label_count(*id) > 0)
        .count();
    format!(
        "{} nodes, {} relationships, {} labels, {} relationship types, {} property keys",
        graph.node_count(),
        graph.relationship_count(),
        labels,
        graph.all_types().count(),
        graph.all_keys().count()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_the_bundled_graph() {
        let Ok(graph) = kgq::bundled::graph() else {
            panic!("the bundled graph builds")
        };
        let text = schema(&graph, 200);
        assert!(
            text.contains("Labels") && text.contains("Company"),
            "{text}"
        );
        assert!(text.contains("→"), "{text}");
        assert!(text.contains("STRING") || text.contains("String"), "{text}");
        assert!(counts(&graph).contains("nodes"));
    }
}
