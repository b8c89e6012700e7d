"""Independent readers of `kgq export parquet`: pyarrow and DuckDB read the
files kgq writes, and DuckDB SQL over the export of the benchmark graph
answers Q2, Q4 and Q7 the same as kgq. Run by scripts/test-parquet, which
sets KGQ_BIN, KGQ_PARQUET_WORK and KGQ_BENCH_DIR."""

import datetime as dt
import json
import os
import pathlib
import re
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

KGQ = os.environ["KGQ_BIN"]
WORK = pathlib.Path(os.environ["KGQ_PARQUET_WORK"])
BENCH = pathlib.Path(os.environ["KGQ_BENCH_DIR"])


def kgq(*args):
    done = subprocess.run([KGQ, *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def query(graph, text, params=()):
    args = ["query", "-g", str(graph), "--read-only", "-f", "json"]
    for name, value in params:
        args += ["--param", f"{name}={value}"]
    out = json.loads(kgq(*args, text))
    return out["columns"], [tuple(r) for r in out["rows"]]


def export(graph, name):
    out = WORK / name
    args = ["export", "parquet", "-o", str(out)]
    if graph is not None:
        args += ["-g", str(graph)]
    kgq(*args)
    return out, json.loads((out / "manifest.json").read_text())


# ----- the bundled graph, read by pyarrow -----


def test_pyarrow_reads_every_file_of_the_bundled_graph():
    folder, manifest = export(None, "bundled")
    assert manifest["format"] == "kgq-parquet"
    total_nodes = 0
    for entry in manifest["nodes"]:
        table = pq.read_table(folder / entry["file"])
        assert table.num_rows == entry["rows"]
        assert table.column_names[0] == "id"
        assert table.schema.field("id").type == pa.int64()
        props = [c["name"] for c in entry["columns"]]
        structural = ["id", "labels"] if entry["labels_column"] else ["id"]
        assert table.column_names == structural + props
        total_nodes += table.num_rows
        ids = table.column("id").to_pylist()
        assert len(set(ids)) == len(ids)
    _, counted = query_bundled("MATCH (n) RETURN count(n) AS n")
    assert total_nodes == counted[0][0]

    # Names by node id agree with kgq's.
    country = next(e for e in manifest["nodes"] if e["label"] == "Country")
    table = pq.read_table(folder / country["file"]).to_pydict()
    from_files = dict(zip(table["id"], table["name"]))
    _, rows = query_bundled("MATCH (c:Country) RETURN id(c), c.name")
    assert from_files == dict(rows)

    for entry in manifest["relationships"]:
        table = pq.read_table(folder / entry["file"])
        assert table.column_names[:3] == ["src", "dst", "id"]
        assert table.num_rows == entry["rows"]
    # Every relationship's source list is a list of strings.
    cancelled = next(
        e for e in manifest["relationships"] if e["type"] == "CANCELLED_CERTIFICATION_OF"
    )
    table = pq.read_table(folder / cancelled["file"])
    assert table.schema.field("source").type == pa.list_(pa.string())
    assert table.schema.field("date").type == pa.date32()
    assert table.column("date").to_pylist() == [dt.date(2025, 2, 10)]


def query_bundled(text):
    out = json.loads(kgq("query", "-f", "json", text))
    return out["columns"], [tuple(r) for r in out["rows"]]


# ----- every value type, read by pyarrow and DuckDB -----

EVERY_TYPE = """
CREATE (:Agency:Regulator {name: 'Rosstandart', founded: 1925, budget: 1.5, active: true,
        since: date('2025-02-10'), seen: localdatetime('2025-02-10T12:31:14.123456789'),
        at: datetime('2025-02-10T12:31:14[Europe/Moscow]'), opens: localtime('09:00:00.5'),
        call: time('10:15+03:00'), term: duration('P1Y2M3DT4H5M6.007S'),
        aliases: ['RST', 'Federal Agency'], scores: [1.5, 2.5], id: 'RU-1'});
CREATE (:Agency {name: 'Ministry'});
"""


@pytest.fixture(scope="module")
def every_type():
    script = WORK / "every_type.cypher"
    script.write_text(EVERY_TYPE)
    snap = WORK / "every_type.kgs"
    kgq("import", "cypher", str(script), "--out", str(snap))
    folder, manifest = export(snap, "every_type")
    return folder / "nodes_Agency.parquet"


def test_pyarrow_sees_typed_columns(every_type):
    table = pq.read_table(every_type)
    t = {f.name: f.type for f in table.schema}
    assert t["id"] == pa.int64()
    assert t["labels"] == pa.list_(pa.string())
    assert t["founded"] == pa.int64()
    assert t["budget"] == pa.float64()
    assert t["active"] == pa.bool_()
    assert t["since"] == pa.date32()
    assert t["seen"] == pa.timestamp("ns")
    assert t["at"] == pa.timestamp("ns", tz="Europe/Moscow")
    assert t["opens"] == pa.time64("ns")
    assert t["call"] == pa.string()
    assert pa.types.is_struct(t["term"])
    assert t["aliases"] == pa.list_(pa.string())
    assert t["prop_id"] == pa.string()
    assert table.schema.field("prop_id").metadata == {b"kgq.property": b"id"}

    # (datetime.datetime has no nanoseconds: `seen` is checked as int64 below.)
    rows = {r["name"]: r for r in table.drop_columns(["seen"]).to_pylist()}
    r = rows["Rosstandart"]
    assert sorted(r["labels"]) == ["Agency", "Regulator"]
    assert r["since"] == dt.date(2025, 2, 10)
    assert r["at"].isoformat() == "2025-02-10T12:31:14+03:00"
    assert r["at"].tzinfo is not None
    assert r["opens"] == dt.time(9, 0, 0, 500000)
    assert r["call"] == "10:15+03:00"
    assert r["term"] == {"months": 14, "days": 3, "seconds": 14706, "nanoseconds": 7000000}
    assert r["aliases"] == ["RST", "Federal Agency"]
    assert r["prop_id"] == "RU-1"
    # Nanoseconds survive: the raw int64 of the timestamp.
    seen = [s for s in table.column("seen").cast(pa.int64()).to_pylist() if s is not None]
    assert seen == [1739190674123456789]
    # A node without the property has null.
    assert rows["Ministry"]["founded"] is None


def test_duckdb_reads_the_same_file(every_type):
    con = duckdb.connect()
    row = con.execute(
        'SELECT typeof("at"), typeof("since"), typeof(opens), typeof(aliases), typeof(term),'
        ' "since", aliases, term.months, founded'
        f" FROM read_parquet('{every_type}') WHERE name = 'Rosstandart'"
    ).fetchone()
    assert row[0] in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ_NS")
    assert row[1] == "DATE"
    assert row[2].startswith("TIME")
    assert row[3] == "VARCHAR[]"
    assert row[4].startswith("STRUCT(")
    assert row[5:] == (dt.date(2025, 2, 10), ["RST", "Federal Agency"], 14, 1925)


# ----- the benchmark graph: DuckDB SQL answers like kgq -----


def bench_query(n):
    """The openCypher text of query `n` in queries.md (the `cypher kgq`
    block when there is one, else the plain `cypher` block)."""
    text = (BENCH / "queries.md").read_text()
    section = re.split(r"^## ", text, flags=re.M)
    body = next(s for s in section if s.startswith(f"Q{n} "))
    blocks = dict(
        (m.group(1).strip(), m.group(2))
        for m in re.finditer(r"```(cypher[^\n]*)\n(.*?)```", body, flags=re.S)
    )
    return blocks.get("cypher kgq", blocks["cypher"])


def literal(value):
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return str(value)


@pytest.fixture(scope="module")
def bench():
    snap = WORK / "S.kgs"
    kgq("import", "csv", str(WORK / "S"), "--out", str(snap))
    folder, manifest = export(snap, "S-parquet")
    params = json.loads((WORK / "S" / "params.json").read_text())
    con = duckdb.connect()
    for entry in manifest["nodes"]:
        con.execute(f"CREATE VIEW {entry['label']} AS SELECT * FROM read_parquet('{folder / entry['file']}')")
    for entry in manifest["relationships"]:
        con.execute(f"CREATE VIEW {entry['type']} AS SELECT * FROM read_parquet('{folder / entry['file']}')")
    return snap, params, con


def kgq_answer(snap, params, n, used):
    _, rows = query(snap, bench_query(n), [(p, literal(params[p])) for p in used])
    return rows


def test_q2_one_hop_expand(bench):
    snap, params, con = bench
    want = kgq_answer(snap, params, 2, ["company"])
    got = con.execute(
        "SELECT p.name, p.model, p.category, p.units_exported FROM Company c"
        " JOIN MAKES m ON m.src = c.id JOIN Product p ON p.id = m.dst WHERE c.name = ?",
        [params["company"]],
    ).fetchall()
    assert len(want) > 0
    assert sorted(got, key=repr) == sorted(want, key=repr)


def test_q4_group_by(bench):
    snap, params, con = bench
    want = kgq_answer(snap, params, 4, [])
    got = con.execute(
        "SELECT category, count(*), coalesce(sum(units_exported), 0), max(units_exported)"
        " FROM Product GROUP BY category ORDER BY category NULLS LAST"
    ).fetchall()
    assert len(want) > 1
    assert got == want


def test_q7_top_k(bench):
    snap, params, con = bench
    want = kgq_answer(snap, params, 7, ["k"])
    got = con.execute(
        "SELECT c.name AS company, coalesce(sum(p.units_exported), 0) AS units FROM Company c"
        " JOIN MAKES m ON m.src = c.id JOIN Product p ON p.id = m.dst"
        " GROUP BY c.name ORDER BY units DESC, company LIMIT ?",
        [params["k"]],
    ).fetchall()
    assert len(want) == params["k"]
    assert got == want
