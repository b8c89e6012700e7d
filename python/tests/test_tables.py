"""Results as pandas, polars, pyarrow and networkx."""

import datetime as dt

import networkx as nx
import pandas as pd
import polars as pl
import pyarrow as pa

import kgq

TYPED = """
UNWIND [
  {i: 1, f: 0.5, s: 'a', b: true, d: date('2024-01-01'), t: localdatetime('2024-01-01T10:00'), n: 1},
  {i: 2, f: 1.5, s: 'b', b: false, d: date('2024-02-01'), t: localdatetime('2024-02-01T11:00'), n: null}
] AS r
RETURN r.i AS i, r.f AS f, r.s AS s, r.b AS b, r.d AS d, r.t AS t, r.n AS n
"""


def test_get_as_df_has_typed_columns(empty):
    df = empty.execute(TYPED).get_as_df()
    assert list(df.columns) == ["i", "f", "s", "b", "d", "t", "n"]
    assert df["i"].dtype == "int64"
    assert df["f"].dtype == "float64"
    assert pd.api.types.is_string_dtype(df["s"])
    assert df["b"].dtype == "bool"
    assert pd.api.types.is_datetime64_any_dtype(df["d"])
    assert pd.api.types.is_datetime64_any_dtype(df["t"])
    assert str(df["n"].dtype) == "Int64"
    assert df["n"].isna().tolist() == [False, True]
    assert df["t"][1] == pd.Timestamp("2024-02-01 11:00")


def test_get_as_arrow(empty):
    table = empty.execute(TYPED).get_as_arrow()
    assert isinstance(table, pa.Table)
    assert table.schema.field("i").type == pa.int64()
    assert table.schema.field("s").type == pa.string()
    assert table.schema.field("d").type == pa.date32()
    assert table.column("n").null_count == 1
    assert table.num_rows == 2


def test_get_as_pl(empty):
    df = empty.execute(TYPED).get_as_pl()
    assert isinstance(df, pl.DataFrame)
    assert df.schema["i"] == pl.Int64
    assert df.schema["d"] == pl.Date
    assert df["s"].to_list() == ["a", "b"]


def test_entities_and_mixed_columns_become_plain_data(conn):
    df = conn.execute("MATCH (c:Country {name: 'China'}) RETURN c, c.name AS name").get_as_df()
    assert df["c"][0]["name"] == "China" and df["c"][0]["_labels"] == ["Country"]
    mixed = conn.execute("UNWIND [1, 'x', [2]] AS v RETURN v").get_as_arrow()
    # kgq::arrow writes a mixed column as JSON text tagged kgq.type=json.
    assert mixed.column("v").to_pylist() == ["1", '"x"', "[2]"]
    assert mixed.schema.field("v").metadata[b"kgq.type"] == b"json"
    assert conn.execute("UNWIND [1, 'x', [2]] AS v RETURN v").get_as_df()["v"].tolist() == [1, "x", [2]]
    empty = conn.execute("MATCH (c:Nothing) RETURN c.name AS n").get_as_df()
    assert list(empty.columns) == ["n"] and len(empty) == 0


def test_duration_and_zoned_columns(empty):
    t = empty.execute(
        "RETURN duration('PT1M') AS d, datetime('2024-01-01T00:00Z') AS z"
    ).get_as_arrow()
    assert t.column("d").to_pylist() == [dt.timedelta(minutes=1)]
    assert t.column("z").to_pylist()[0] == dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def test_get_as_networkx(conn):
    q = "MATCH (a:Country {name: 'China'})-[r]->(b) RETURN a, r, b"
    rows = conn.execute(q).get_all()
    g = conn.execute(q).get_as_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    a = rows[0][0]
    assert g.nodes[a.id]["labels"] == ["Country"] and g.nodes[a.id]["name"] == "China"
    assert g.number_of_edges() == len(rows)
    for _, r, b in rows:
        data = g.get_edge_data(a.id, b.id)[r.id]
        assert data["type"] == r.type
    u = conn.execute(q).get_as_networkx(directed=False)
    assert not u.is_directed() and u.number_of_edges() == len(rows)
    paths = conn.execute("MATCH p = (:Country {name: 'China'})-[]->() RETURN p").get_as_networkx()
    assert paths.number_of_edges() == len(rows)


def test_arrow_comes_from_the_shared_conversion(conn):
    rows = conn.execute("MATCH (c:Country) RETURN c ORDER BY c.name").get_all()
    t = conn.execute("MATCH (c:Country) RETURN c ORDER BY c.name").get_as_arrow()
    assert t.schema.field("c").type == pa.int64()
    assert t.schema.field("c").metadata[b"kgq.type"] == b"node"
    assert t.column("c").to_pylist() == [r[0].id for r in rows]
    months = conn.execute("RETURN duration('P1M') AS d").get_as_arrow()
    assert pa.types.is_struct(months.schema.field("d").type)
    assert months.column("d").to_pylist()[0]["months"] == 1
