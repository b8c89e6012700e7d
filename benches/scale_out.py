"""Runs the recipes of docs/scale-out.md once on a kgq Parquet export and
compares each engine's answer with kgq's. Called by benches/scale-out.sh
(not in CI): python scale_out.py KGQ SNAPSHOT EXPORT_DIR PARAMS_JSON.

Prints one line per recipe: the engine, the query, whether the answer
agrees with kgq's, and the engine's time."""

import json
import subprocess
import sys
import time

KGQ, SNAPSHOT, EXPORT, PARAMS_PATH = sys.argv[1:5]
MANIFEST = json.load(open(f"{EXPORT}/manifest.json"))

# Q7 of the shared benchmark, and a two-hop ownership motif.
Q7 = """MATCH (c:Company)-[:MAKES]->(p:Product)
RETURN c.name AS company, sum(p.units_exported) AS units
ORDER BY units DESC, company LIMIT 10"""
MOTIF = """MATCH (a:Company)-[:OWNS]->(b:Company)-[:OWNS]->(c:Company)
RETURN count(*) AS chains"""
Q4 = """MATCH (p:Product)
RETURN p.category AS category, count(*) AS products,
       sum(p.units_exported) AS units, max(p.units_exported) AS max_units
ORDER BY category"""


def kgq(text):
    out = subprocess.run(
        [KGQ, "query", "-g", SNAPSHOT, "--read-only", "-f", "json", text],
        capture_output=True, text=True, check=True,
    ).stdout
    return [tuple(r) for r in json.loads(out)["rows"]]


def path(name):
    for entry in MANIFEST["nodes"]:
        if entry["label"] == name:
            return f"{EXPORT}/{entry['file']}"
    for entry in MANIFEST["relationships"]:
        if entry["type"] == name:
            return f"{EXPORT}/{entry['file']}"
    raise KeyError(name)


def report(engine, query, got, want, seconds):
    verdict = "agrees" if got == want else f"DIFFERS: {got[:3]} vs {want[:3]}"
    print(f"{engine:<10} {query:<6} {len(got):>4} rows  {verdict}  ({seconds:.2f} s)", flush=True)
    return got == want


def timed(f):
    start = time.perf_counter()
    out = f()
    return out, time.perf_counter() - start


def spark():
    from pyspark.sql import SparkSession

    (spark, startup) = timed(
        lambda: SparkSession.builder.master("local[2]").appName("kgq-scale-out")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "4g")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    print(f"spark      started in {startup:.1f} s (local[2])", flush=True)
    for name in ["Company", "Product", "MAKES", "OWNS"]:
        spark.read.parquet(path(name)).createOrReplaceTempView(name)
    # GraphFrames would take: vertices = union of the node files' (id, …),
    # edges = union of the relationship files' (src, dst, …); its motif
    # (a)-[e1]->(b); (b)-[e2]->(c) compiles to the join below.
    rows, s = timed(lambda: spark.sql(
        "SELECT c.name AS company, coalesce(sum(p.units_exported), 0) AS units"
        " FROM Company c JOIN MAKES m ON m.src = c.id JOIN Product p ON p.id = m.dst"
        " GROUP BY c.name ORDER BY units DESC, company LIMIT 10").collect())
    ok = report("spark", "Q7", [tuple(r) for r in rows], kgq(Q7), s)
    rows, s = timed(lambda: spark.sql(
        "SELECT count(*) FROM OWNS e1 JOIN OWNS e2 ON e1.dst = e2.src").collect())
    ok &= report("spark", "motif", [tuple(r) for r in rows], kgq(MOTIF), s)
    spark.stop()
    return ok


def duckdb_recipe():
    import duckdb

    con = duckdb.connect()
    for entry in MANIFEST["nodes"]:
        con.execute(f"CREATE VIEW {entry['label']} AS FROM read_parquet('{EXPORT}/{entry['file']}')")
    for entry in MANIFEST["relationships"]:
        con.execute(f"CREATE VIEW {entry['type']} AS FROM read_parquet('{EXPORT}/{entry['file']}')")
    rows, s = timed(lambda: con.execute(
        "SELECT category, count(*), coalesce(sum(units_exported), 0), max(units_exported)"
        " FROM Product GROUP BY category ORDER BY category NULLS LAST").fetchall())
    ok = report("duckdb", "Q4", rows, kgq(Q4), s)
    rows, s = timed(lambda: con.execute(
        "SELECT count(*) FROM OWNS e1 JOIN OWNS e2 ON e1.dst = e2.src").fetchall())
    ok &= report("duckdb", "motif", rows, kgq(MOTIF), s)
    return ok


KUZU_TYPES = {"Int64": "INT64", "Float64": "DOUBLE", "Utf8": "STRING", "Boolean": "BOOLEAN",
              "Date32": "DATE", "List(Utf8)": "STRING[]"}


def ladybug():
    import shutil
    import tempfile

    import ladybug as lb

    folder = tempfile.mkdtemp(prefix="kgq-ladybug-")
    try:
        db = lb.Database(f"{folder}/db")
        conn = lb.Connection(db)
        start = time.perf_counter()
        for entry in MANIFEST["nodes"]:
            cols = ["id INT64"] + [
                f"{c['name']} {KUZU_TYPES.get(c['arrow_type'], 'STRING')}" for c in entry["columns"]
            ]
            conn.execute(f"CREATE NODE TABLE {entry['label']}({', '.join(cols)}, PRIMARY KEY (id))")
            conn.execute(f"COPY {entry['label']} FROM '{EXPORT}/{entry['file']}'")
        for entry in MANIFEST["relationships"]:
            pairs = ENDPOINTS[entry["type"]]
            cols = ["id INT64"] + [
                f"{c['name']} {KUZU_TYPES.get(c['arrow_type'], 'STRING')}" for c in entry["columns"]
            ]
            conn.execute(
                f"CREATE REL TABLE {entry['type']}(FROM {pairs[0]} TO {pairs[1]}, {', '.join(cols)})"
            )
            conn.execute(f"COPY {entry['type']} FROM '{EXPORT}/{entry['file']}'")
        print(f"ladybug    loaded the export in {time.perf_counter() - start:.1f} s", flush=True)
        rows, s = timed(lambda: conn.execute(Q7).get_all())
        ok = report("ladybug", "Q7", [tuple(r) for r in rows], kgq(Q7), s)
        rows, s = timed(lambda: conn.execute(MOTIF).get_all())
        ok &= report("ladybug", "motif", [tuple(r) for r in rows], kgq(MOTIF), s)
        return ok
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# The generator's relationship endpoints, from its manifest beside params.json.
ENDPOINTS = json.load(open(PARAMS_PATH.replace("params.json", "manifest.json")))[
    "relationship_endpoints"
]

if __name__ == "__main__":
    results = {}
    for name, recipe in [("duckdb", duckdb_recipe), ("ladybug", ladybug), ("spark", spark)]:
        try:
            results[name] = recipe()
        except Exception as e:  # report and go on with the other recipes
            print(f"{name:<10} could not run: {type(e).__name__}: {e}", flush=True)
            results[name] = False
    sys.exit(0 if all(results.values()) else 1)
