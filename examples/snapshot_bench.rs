//! Measures snapshot save/load time and file size for a graph built in
//! code: 100k nodes and 500k relationships by default.
//!
//! `cargo run --release --example snapshot_bench -- [NODES] [RELS]`

use std::time::Instant;

use kgq::{Graph, NodeId, Value, snapshot};

fn main() -> Result<(), kgq::Error> {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<usize>().unwrap_or(0));
    let nodes = args.next().unwrap_or(100_000).max(1);
    let rels = args.next().unwrap_or(500_000);

    let t = Instant::now();
    let mut g = Graph::new();
    for i in 0..nodes {
        let label = ["Company", "Product", "Country"][i % 3];
        g.add_node_with(
            &[label],
            [
                ("name", Value::from(format!("node-{i}"))),
                ("rank", Value::Int(i as i64)),
                ("score", Value::Float(i as f64 / 7.0)),
            ],
        );
    }
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..rels {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let from = NodeId((x % nodes as u64) as u32);
        let to = NodeId(((x >> 32) % nodes as u64) as u32);
        let ty = ["MAKES", "SELLS_TO", "IMPORTS"][i % 3];
        g.add_relationship_with(from, to, ty, [("weight", Value::Int((x % 1000) as i64))])?;
    }
    println!(
        "built {} nodes, {} relationships in {:.2?}",
        g.node_count(),
        g.relationship_count(),
        t.elapsed()
    );

    let dir = std::env::temp_dir().join(format!("kgq-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| kgq::Error::new(kgq::ErrorClass::IoError, "CreateDirFailed", e.to_string()))?;
    let path = dir.join("bench.kgqs");

    let t = Instant::now();
    snapshot::save(&g, &path)?;
    let save = t.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    let t = Instant::now();
    let loaded = snapshot::load(&path)?;
    let load = t.elapsed();
    assert_eq!(loaded.relationship_count(), g.relationship_count());

    println!("save (incl. fsync): {save:.2?}");
    println!("load: {load:.2?}");
    println!(
        "file size: {size} bytes ({:.1} MiB)",
        size as f64 / (1024.0 * 1024.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
