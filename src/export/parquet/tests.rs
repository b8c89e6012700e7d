//! Round trips through Parquet files: every value type, labels, structure.

use std::path::Path;

use super::*;
use crate::import::parquet::load_dir;

/// The graph's content without ids: each node as its sorted labels and
/// properties, each relationship as its ends' content, type and
/// properties; sorted.
fn content(g: &Graph) -> Vec<String> {
    let node = |n: NodeId| {
        let mut labels = g.node_labels(n);
        labels.sort_unstable();
        format!("{labels:?} {:?}", g.node_properties(n))
    };
    let mut out: Vec<String> = g.nodes().map(node).collect();
    out.extend(g.relationships().map(|r| {
        let (a, b) = g.endpoints(r).unwrap();
        format!(
            "({}) -[{:?} {:?}]-> ({})",
            node(a),
            g.relationship_type(r),
            g.relationship_properties(r),
            node(b)
        )
    }));
    out.sort();
    out
}

fn round_trip(g: &Graph, dir: &Path) -> Graph {
    write_dir(g, &Subgraph::whole(g), dir).unwrap();
    load_dir(dir).unwrap().0
}

/// A graph with a property of every storable type, several labels, no
/// label, properties named like structural columns, and relationships.
fn sample() -> Graph {
    let mut s = crate::Session::new();
    s.run(
        "CREATE (r:Agency:Regulator {name: 'Rosstandart', id: 'RU-1', founded: 1925, \
                 budget: 1.5e9, active: true, since: date('2025-02-10'), \
                 seen: localdatetime('2025-02-10T12:31:14.123456789'), \
                 at: datetime('2025-02-10T12:31:14[Europe/Moscow]'), \
                 opens: localtime('09:00'), call: time('10:15+03:00'), \
                 term: duration('P1Y2M3DT4H5M6.007S'), aliases: ['RST', 'Rosstandart'], \
                 scores: [1.5, 2.5], days: [date('2025-01-01')], old: localdatetime('1500-01-01T00:00')}),
                (p:Product {name: 'HOWO', labels: 'x', prop_id: 'clash'}),
                (c:Company {name: 'Shaanxi Heavy Truck', id: 7}),
                (u {note: 'no label'}),
                (m:Agency {name: 'Ministry', founded: 'unknown'}),
                (r)-[:CANCELLED_CERTIFICATION_OF {date: date('2025-02-10'), \
                     source: ['Caijing Network'], valid_from: date('2025-02-10'), src: 'x', id: 3}]->(p),
                (c)-[:MAKES]->(p), (c)-[:MAKES {since: 2019}]->(p), (u)-[:NOTED]->(u)",
    )
    .unwrap();
    s.into_graph()
}

#[test]
fn every_property_type_labels_and_structure_survive() {
    let g = sample();
    let dir = tempfile::tempdir().unwrap();
    let back = round_trip(&g, dir.path());
    assert_eq!(content(&back), content(&g));
    assert_eq!(back.node_count(), g.node_count());
    assert_eq!(back.relationship_count(), g.relationship_count());
}

#[test]
fn the_layout_is_what_other_tools_expect() {
    let g = sample();
    let dir = tempfile::tempdir().unwrap();
    let done = write_dir(&g, &Subgraph::whole(&g), dir.path()).unwrap();
    let m = &done.manifest;
    let files: Vec<&str> = m.nodes.iter().map(|n| n.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "nodes.parquet",
            "nodes_Agency.parquet",
            "nodes_Company.parquet",
            "nodes_Product.parquet"
        ]
    );
    let agency = &m.nodes[1];
    assert_eq!(agency.labels_column.as_deref(), Some("labels"));
    assert_eq!(agency.rows, 2);
    let id_col = agency.columns.iter().find(|c| c.property == "id").unwrap();
    assert_eq!(id_col.name, "prop_id");
    // A mixed column (Integer and String) is JSON text.
    let founded = agency.columns.iter().find(|c| c.name == "founded").unwrap();
    assert_eq!(founded.kgq_type.as_deref(), Some("json"));
    let product = &m.nodes[3];
    let names: Vec<&str> = product.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["prop_labels", "name", "prop_id"]);
    // Relationship files start with src, dst, id.
    let file = File::open(dir.path().join("rels_CANCELLED_CERTIFICATION_OF.parquet")).unwrap();
    let reader =
        ::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let fields: Vec<String> = reader
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(&fields[..3], ["src", "dst", "id"]);
    assert!(fields.contains(&"prop_src".to_string()));
    let header = std::fs::read_to_string(dir.path().join("nodes_Agency.header.csv")).unwrap();
    assert!(header.starts_with(":ID,:LABEL,"), "{header}");
    assert!(done.command.contains("--input-type=parquet"));
    assert!(dir.path().join("import.sh").exists());
}

#[test]
fn a_query_subgraph_and_an_empty_graph_export() {
    let g = sample();
    let dir = tempfile::tempdir().unwrap();
    let mut s = crate::Session::with_graph(g);
    let r = s.run("MATCH (c:Company)-[m:MAKES]->(p) RETURN m").unwrap();
    let sub = Subgraph::from_rows(s.graph(), r.rows.iter().map(Vec::as_slice));
    write_dir(s.graph(), &sub, dir.path()).unwrap();
    let back = load_dir(dir.path()).unwrap().0;
    assert_eq!(back.node_count(), 2);
    assert_eq!(back.relationship_count(), 2);

    let empty = tempfile::tempdir().unwrap();
    let g = Graph::new();
    assert_eq!(round_trip(&g, empty.path()).node_count(), 0);
}

#[test]
fn bad_folders_give_errors() {
    let dir = tempfile::tempdir().unwrap();
    // No files at all.
    assert_eq!(load_dir(dir.path()).unwrap_err().code, "NoParquetFiles");
    // A file that is not Parquet.
    std::fs::write(dir.path().join("nodes_A.parquet"), b"not parquet").unwrap();
    assert_eq!(load_dir(dir.path()).unwrap_err().code, "BadParquet");
    // A manifest naming a file outside the folder.
    let g = sample();
    write_dir(&g, &Subgraph::whole(&g), dir.path()).unwrap();
    let path = dir.path().join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("\"nodes_Company.parquet\"", "\"../x.parquet\""),
    )
    .unwrap();
    assert_eq!(load_dir(dir.path()).unwrap_err().code, "BadManifest");
    std::fs::write(&path, "{").unwrap();
    assert_eq!(load_dir(dir.path()).unwrap_err().code, "BadManifest");
    // A relationship whose end is missing: the file of its label is gone.
    std::fs::remove_file(&path).unwrap();
    std::fs::remove_file(dir.path().join("nodes_A.parquet")).unwrap();
    std::fs::remove_file(dir.path().join("nodes_Company.parquet")).unwrap();
    let err = load_dir(dir.path()).unwrap_err();
    assert_eq!(err.code, "MissingNode", "{}", err.message);
}

#[test]
fn a_folder_without_manifest_loads_by_file_names() {
    let g = sample();
    let dir = tempfile::tempdir().unwrap();
    write_dir(&g, &Subgraph::whole(&g), dir.path()).unwrap();
    std::fs::remove_file(dir.path().join("manifest.json")).unwrap();
    let back = load_dir(dir.path()).unwrap().0;
    assert_eq!(back.node_count(), g.node_count());
    assert_eq!(back.relationship_count(), g.relationship_count());
    // Without a manifest the id column is kept as a property.
    let c = back.nodes_labeled("Company").next().unwrap();
    // (Company's own `id` property, written as `prop_id`, wins.)
    assert_eq!(back.node_property(c, "id"), Some(Value::Int(7)));
    let p = back.nodes_labeled("Product").next().unwrap();
    assert!(matches!(back.node_property(p, "id"), Some(Value::Int(_))));
}
