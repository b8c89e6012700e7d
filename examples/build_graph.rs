//! Builds a small graph in code, queries it, and saves it as a snapshot.
//!
//! `cargo run --example build_graph -- [OUT.kgqs]`

use kgq::graph::Direction;
use kgq::{Graph, Session, Value, snapshot};

fn main() -> Result<(), kgq::Error> {
    let mut graph = Graph::new();
    let sinotruk = graph.add_node_with(
        &["Company"],
        [
            ("name", Value::from("Sinotruk")),
            ("founded", Value::Int(1956)),
        ],
    );
    let kamaz = graph.add_node_with(&["Company"], [("name", "KAMAZ")]);
    let howo = graph.add_node_with(&["Product", "Truck"], [("name", "HOWO")]);
    graph.add_relationship_with(sinotruk, howo, "MAKES", [("since", 2004)])?;
    graph.add_relationship_with(
        sinotruk,
        kamaz,
        "COMPETES_WITH",
        Vec::<(&str, Value)>::new(),
    )?;

    // Walk the graph without the query language.
    for node in graph.nodes() {
        let out: Vec<_> = graph
            .neighbors(node, Direction::Outgoing)
            .filter_map(|n| {
                graph
                    .node_property(n, "name")
                    .and_then(|v| v.as_str().map(str::to_string))
            })
            .collect();
        println!(
            "{:?} {:?} -> {:?}",
            graph.node_labels(node),
            graph.node_property(node, "name"),
            out
        );
    }

    // Save it (atomically) where asked, or in a temporary folder.
    let dir = std::env::temp_dir().join(format!("kgq-build-{}", std::process::id()));
    let path = match std::env::args().nth(1) {
        Some(p) => p.into(),
        None => {
            std::fs::create_dir_all(&dir).map_err(|e| {
                kgq::Error::new(kgq::ErrorClass::IoError, "CreateDirFailed", e.to_string())
            })?;
            dir.join("trucks.kgqs")
        }
    };
    snapshot::save(&graph, &path)?;
    println!("saved {} nodes to {}", graph.node_count(), path.display());

    // Query a copy with parameters.
    let mut session = Session::with_graph(snapshot::load(&path)?);
    session.set_param("company", Value::from("Sinotruk"));
    let result =
        session.run("MATCH (:Company {name: $company})-[:MAKES]->(p) RETURN p.name AS product")?;
    for row in result.iter() {
        let product: String = row.get("product")?;
        println!("makes {product}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
