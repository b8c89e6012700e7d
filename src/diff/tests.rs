use super::*;
use crate::Session;

fn graph(script: &str) -> Graph {
    let mut s = Session::new();
    s.run_script(script).unwrap();
    s.into_graph()
}

const A: &str = "CREATE (a:Company {name: 'Shacman', aliases: ['Shaanxi']}),
                        (b:Country {name: 'Russia'}), (c:Country {name: 'China'}),
                        (a)-[:BASED_IN {source: ['x']}]->(c),
                        (c)-[:EXPORTED_TO {year: 2022, n: 1}]->(b),
                        (c)-[:EXPORTED_TO {year: 2023, n: 2}]->(b),
                        (:Note {text: 'no name'});";
const B: &str =
    "CREATE (a:Company {name: 'Shacman', aliases: ['Shaanxi', 'Шакман'], founded: 1968}),
                        (b:Country {name: 'Russia'}), (c:Country {name: 'China'}),
                        (:Company {name: 'Kamaz', valid_from: date('1969-01-01')}),
                        (c)-[:EXPORTED_TO {year: 2022, n: 1}]->(b),
                        (c)-[:EXPORTED_TO {year: 2023, n: 3}]->(b),
                        (a)-[:MAKES {since: 2.5}]->(b);";

#[test]
fn finds_changes_by_key() {
    let d = diff(&graph(A), &graph(B));
    assert_eq!(d.added_nodes.len(), 1);
    assert_eq!(d.removed_nodes.len(), 1);
    assert_eq!(d.changed_nodes.len(), 1);
    assert_eq!(d.changed_nodes[0].changes.len(), 2);
    assert_eq!(d.added_relationships.len(), 1);
    assert_eq!(d.removed_relationships.len(), 1);
    assert_eq!(d.changed_relationships.len(), 1);
    assert_eq!(d.changed_relationships[0].changes[0].key, "n");
    assert!(diff(&graph(A), &graph(A)).is_empty());
}

#[test]
fn script_turns_a_into_b() {
    let d = diff(&graph(A), &graph(B));
    let mut s = Session::with_graph(graph(A));
    s.run_script(&d.script()).unwrap();
    let after = diff(s.graph(), &graph(B));
    assert!(after.is_empty(), "{}\n{}", d.script(), after.report());
}

#[test]
fn report_and_json() {
    let d = diff(&graph(A), &graph(B));
    let text = d.report();
    assert!(text.contains("+ (:Company {name: 'Kamaz'"), "{text}");
    assert!(text.contains("founded: (absent) → 1968"), "{text}");
    let json = d.to_json();
    assert_eq!(
        json["nodes"]["added"][0]["properties"]["valid_from"],
        "1969-01-01"
    );
}
