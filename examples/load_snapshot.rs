//! Opens a snapshot (or a store: snapshot plus journal) read-only, prints
//! what it holds and runs a query with a parameter.
//!
//! `cargo run --example load_snapshot -- GRAPH.kgqs`
//! Without an argument it first writes a small snapshot to a temporary
//! folder, so it runs on its own.

use kgq::{Value, snapshot};

fn main() -> Result<(), kgq::Error> {
    let dir = std::env::temp_dir().join(format!("kgq-load-{}", std::process::id()));
    let path = match std::env::args().nth(1) {
        Some(p) => p.into(),
        None => {
            std::fs::create_dir_all(&dir).map_err(|e| {
                kgq::Error::new(kgq::ErrorClass::IoError, "CreateDirFailed", e.to_string())
            })?;
            let path = dir.join("demo.kgqs");
            let mut session = kgq::Session::new();
            session.run(
                "CREATE (:Country {name: 'Russia'})-[:IMPORTS {units: 15000}]->(:Product {name: 'Truck'}),
                        (:Country {name: 'China'})",
            )?;
            snapshot::save(session.graph(), &path)?;
            path
        }
    };

    let info = snapshot::inspect(&path)?;
    println!(
        "format {} written by kgq {}; {} nodes, {} relationships; checksum {}",
        info.format_version,
        info.kgq_version,
        info.node_count,
        info.relationship_count,
        if info.checksum_ok { "ok" } else { "BAD" }
    );

    let mut store = kgq::open(&path)?;
    for node in store.graph().nodes() {
        println!(
            "node {}: {:?} {:?}",
            node.0,
            store.graph().node_labels(node),
            store.graph().node_properties(node)
        );
    }
    store.set_param("min", Value::Int(1000));
    let result = store.run(
        "MATCH (c:Country)-[i:IMPORTS]->(p:Product) WHERE i.units >= $min
         RETURN c.name AS country, p.name AS product, i.units AS units",
    )?;
    for row in result.iter() {
        let country: String = row.get("country")?;
        let product: String = row.get("product")?;
        let units: i64 = row.get("units")?;
        println!("{country} imports {units} × {product}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
