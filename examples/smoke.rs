fn main() {
    let mut s = kgq::Session::new();
    for q in [
        "CREATE (a:Country {name: 'Russia'})-[:IMPORTS {units: 15000}]->(p:Product {name: 'Truck'}), (c:Country {name:'China'})",
        "MATCH (c:Country) RETURN c.name AS name ORDER BY name",
        "MATCH (a)-[r]->(b) RETURN a.name, type(r), r.units, b.name",
        "MATCH (c:Country {name: 'Russia'}) RETURN c",
        "MATCH (n) RETURN count(*) AS n, collect(n.name) AS names",
        "UNWIND range(1, 5) AS x WITH x WHERE x % 2 = 1 RETURN x, x * 10 AS y ORDER BY y DESC LIMIT 2",
        "MATCH p = (a)-[*1..2]->(b) RETURN length(p)",
        "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) RETURN n.name, m.name ORDER BY n.name",
        "MERGE (x:Country {name: 'Ukraine'}) ON CREATE SET x.new = true RETURN x.name, x.new",
        "MATCH (x:Country {name: 'Ukraine'}) DELETE x",
        "MATCH (x:Country {name: 'Russia'}) DELETE x",
        "EXPLAIN MATCH (c:Country)-[:IMPORTS]->(p) WHERE c.name = 'Russia' RETURN p",
        "RETURN 1/0",
    ] {
        match s.run(q) {
            Ok(r) => {
                if let Some(p) = &r.plan {
                    println!("{p}");
                }
                println!("{:?} {:?}", r.columns, r.stats);
                for row in &r.rows {
                    println!(
                        "  {}",
                        row.iter()
                            .map(|v| v.literal(Some(s.graph())).to_string())
                            .collect::<Vec<_>>()
                            .join(" | ")
                    );
                }
            }
            Err(e) => println!("{}", e.render("q", q)),
        }
    }
}
