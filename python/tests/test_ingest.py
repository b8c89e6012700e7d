"""Bulk ingest from pandas, polars and pyarrow tables."""

import datetime as dt

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import kgq


def countries():
    return pd.DataFrame(
        {
            "id": [1, 2, 3],
            "name": ["China", "Russia", "Kazakhstan"],
            "gdp": [17.8, 2.0, None],
            "joined": [dt.date(2001, 12, 11), dt.date(2012, 8, 22), None],
        }
    )


def test_load_nodes_from_pandas_keeps_types_and_drops_nulls(empty):
    stats = empty.load_nodes("Country", countries(), key="id")
    assert stats["nodes_created"] == 3 and stats["labels_added"] == 1
    rows = empty.execute("MATCH (c:Country) RETURN c ORDER BY c.id").get_all()
    china, russia, kz = (r[0] for r in rows)
    assert china.properties == {"id": 1, "name": "China", "gdp": 17.8, "joined": dt.date(2001, 12, 11)}
    assert "gdp" not in kz and "joined" not in kz
    assert stats["properties_set"] == 10


def test_load_nodes_with_key_updates_existing_nodes(empty):
    empty.load_nodes("Country", countries(), key="id")
    update = pd.DataFrame({"id": [3, 4], "gdp": [0.26, 1.0]})
    stats = empty.load_nodes("Country", update, key="id")
    assert stats["nodes_created"] == 1
    rows = empty.execute("MATCH (c:Country) RETURN c.id, c.name, c.gdp ORDER BY c.id").get_all()
    assert rows[2] == [3, "Kazakhstan", 0.26]
    assert rows[3] == [4, None, 1.0]


def test_load_from_polars_and_pyarrow(empty):
    empty.load_nodes("A", pl.DataFrame({"id": [1, 2], "t": [dt.datetime(2024, 1, 1, 5), None]}), key="id")
    empty.load_nodes("B", pa.table({"code": ["x", "y"], "n": pa.array([1, None], pa.int32())}), key="code")
    edges = pa.table({"src": [1, 2], "dst": ["y", "x"], "w": [0.5, 1.5]})
    stats = empty.load_relationships("LINKS", edges, src="src", dst="dst", src_label="A", dst_label="B")
    assert stats["relationships_created"] == 2
    rows = empty.execute("MATCH (a:A)-[r:LINKS]->(b:B) RETURN a.id, r.w, b.code, a.t ORDER BY a.id").get_all()
    assert rows == [[1, 0.5, "y", dt.datetime(2024, 1, 1, 5)], [2, 1.5, "x", None]]
    assert empty.execute("MATCH (b:B {code: 'x'}) RETURN b.n").get_next() == [1]


def test_load_relationships_by_explicit_keys(empty):
    empty.load_nodes("Country", countries())
    df = pd.DataFrame({"a": ["China"], "b": ["Russia"], "year": [2024], "units": [100]})
    empty.load_relationships(
        "EXPORTS_TO", df, src="a", dst="b", src_label="Country", dst_label="Country",
        src_key="name", dst_key="name",
    )
    r = empty.execute("MATCH (:Country {name: 'China'})-[r:EXPORTS_TO]->(b) RETURN r, b.name").get_next()
    assert r[0].properties == {"year": 2024, "units": 100} and r[1] == "Russia"


def test_a_missing_endpoint_adds_nothing(empty):
    empty.load_nodes("Country", countries(), key="id")
    df = pd.DataFrame({"from": [1, 99], "to": [2, 3]})
    with pytest.raises(kgq.EntityNotFound) as e:
        empty.load_relationships("X", df, src_label="Country", dst_label="Country")
    assert "row 1" in str(e.value) and "99" in str(e.value)
    assert empty.execute("MATCH ()-[r]->() RETURN count(r)").get_next() == [0]


def test_bad_input_is_refused_before_anything_changes(empty):
    with pytest.raises(ValueError):
        empty.load_nodes("A", pd.DataFrame({"x": [1]}), key="nope")
    with pytest.raises(ValueError):
        empty.load_relationships("R", pd.DataFrame({"x": [1]}))
    with pytest.raises(TypeError):
        empty.load_nodes("A", [1, 2, 3])
    with pytest.raises(kgq.Error) as e:
        empty.load_nodes("A", pd.DataFrame({"id": [1, None]}).astype("Int64"), key="id")
    assert e.value.code == "MissingKey"
    with pytest.raises(kgq.Error):
        empty.load_nodes("A", pa.table({"m": pa.array([{"k": 1}])}))
    assert empty.execute("MATCH (n) RETURN count(n)").get_next() == [0]


def test_load_then_query_as_dataframe(empty):
    empty.load_nodes("Country", countries(), key="id")
    df = empty.execute("MATCH (c:Country) RETURN c.name AS name, c.gdp AS gdp ORDER BY name").get_as_df()
    assert df["name"].tolist() == ["China", "Kazakhstan", "Russia"]
    assert df["gdp"].dtype == "float64"


def test_load_from_an_arrow_stream_and_round_trip_a_result(empty):
    schema = pa.schema([("id", pa.int64()), ("name", pa.large_string())])
    reader = pa.RecordBatchReader.from_batches(
        schema,
        [pa.record_batch([[i], [n]], schema=schema) for i, n in [(1, "China"), (2, "Russia")]],
    )
    assert empty.load_nodes("Country", pa.table(reader), key="id")["nodes_created"] == 2
    t = empty.execute("MATCH (c:Country) RETURN c.id AS id, c.name AS name ORDER BY id").get_as_arrow()
    stats = empty.load_nodes("Copy", t, key="id")
    assert stats["nodes_created"] == 2
    assert empty.execute("MATCH (c:Copy) RETURN c.name ORDER BY c.id").get_all() == [["China"], ["Russia"]]


def test_repeated_keys_in_one_frame_update_the_first_rows_node(empty):
    df = pd.DataFrame({"id": [7, 8, 7], "name": ["a", "b", None], "n": [1, 2, 3]})
    stats = empty.load_nodes("K", df, key="id")
    assert stats["nodes_created"] == 2
    rows = empty.execute("MATCH (k:K) RETURN k.id, k.name, k.n ORDER BY k.id").get_all()
    # The third row updates node 7: its null name leaves the name alone.
    assert rows == [[7, "a", 3], [8, "b", 2]]


def test_upsert_mixes_new_and_existing_keys_and_counts_only_new_properties(empty):
    empty.load_nodes("K", pd.DataFrame({"id": ["x", "y"], "v": [1, 2]}), key="id")
    stats = empty.load_nodes(
        "K", pd.DataFrame({"id": ["y", "z", "z"], "v": [20, 30, 31], "w": [None, 1.5, None]}), key="id"
    )
    assert stats["nodes_created"] == 1
    rows = empty.execute("MATCH (k:K) RETURN k.id, k.v, k.w ORDER BY k.id").get_all()
    assert rows == [["x", 1, None], ["y", 20, None], ["z", 31, 1.5]]
    # Nodes of another label with the same key are not updated.
    empty.load_nodes("L", pd.DataFrame({"id": ["x"], "v": [9]}), key="id")
    assert empty.execute("MATCH (k:K {id: 'x'}) RETURN k.v").get_next() == [1]
    assert empty.execute("MATCH (n {id: 'x'}) RETURN count(n)").get_next() == [2]


def test_every_column_type_arrives_typed_with_nulls_dropped(empty):
    table = pa.table(
        {
            "id": pa.array([1, 2], pa.int64()),
            "small": pa.array([3, None], pa.int8()),
            "f": pa.array([None, 2.5], pa.float32()),
            "b": pa.array([True, None]),
            "s": pa.array(["x", None], pa.large_string()),
            "cat": pa.array(["p", "q"]).dictionary_encode(),
            "d": pa.array([dt.date(2024, 2, 29), None], pa.date32()),
            "ts": pa.array([dt.datetime(2024, 1, 1, 12, 30), None], pa.timestamp("us")),
            "tags": pa.array([["a", "b"], None], pa.list_(pa.string())),
        }
    )
    stats = empty.load_nodes("T", table, key="id")
    assert stats["properties_set"] == 8 + 3
    one, two = (r[0] for r in empty.execute("MATCH (t:T) RETURN t ORDER BY t.id").get_all())
    assert one.properties == {
        "id": 1, "small": 3, "b": True, "s": "x", "cat": "p",
        "d": dt.date(2024, 2, 29), "ts": dt.datetime(2024, 1, 1, 12, 30), "tags": ["a", "b"],
    }
    assert two.properties == {"id": 2, "f": 2.5, "cat": "q"}


def test_a_stream_of_several_batches_loads_every_batch(empty):
    schema = pa.schema([("from", pa.int64()), ("to", pa.int64()), ("w", pa.float64())])
    empty.load_nodes("N", pd.DataFrame({"id": list(range(10))}), key="id")
    batches = [pa.record_batch([[i], [(i + 1) % 10], [i / 2]], schema=schema) for i in range(10)]
    stats = empty.load_relationships(
        "NEXT", pa.Table.from_batches(batches, schema), src_label="N", dst_label="N"
    )
    assert stats["relationships_created"] == 10 and stats["properties_set"] == 10
    rows = empty.execute("MATCH (a:N)-[r:NEXT]->(b:N) RETURN a.id, b.id, r.w ORDER BY a.id").get_all()
    assert rows == [[i, (i + 1) % 10, i / 2] for i in range(10)]
    # The adjacency is usable in both directions after the bulk load.
    assert empty.execute("MATCH (:N {id: 0})<-[:NEXT]-(a) RETURN a.id").get_all() == [[9]]


def test_relationship_errors_name_the_row_and_the_key(empty):
    empty.load_nodes("A", pd.DataFrame({"id": [1, 1, 2]}))
    with pytest.raises(kgq.EntityNotFound) as e:
        empty.load_relationships("R", pd.DataFrame({"from": [2, 1], "to": [2, 2]}), src_label="A", dst_label="A")
    assert "row 1" in str(e.value) and "2 nodes have id = 1" in str(e.value)
    with pytest.raises(kgq.EntityNotFound) as e:
        empty.load_relationships("R", pd.DataFrame({"from": [2], "to": [2]}), src_label="A", dst_label="Nope")
    assert "Nope" in str(e.value)
    assert empty.execute("MATCH ()-[r]->() RETURN count(r)").get_next() == [0]


def test_a_bad_property_cell_names_its_row_and_column(empty):
    table = pa.table({"id": [1, 2], "ok": [1, 2], "bad": pa.array([None, {"k": 1}])})
    with pytest.raises(kgq.Error) as e:
        empty.load_nodes("A", table, key="id")
    assert "row 1" in str(e.value) and "`bad`" in str(e.value)
    assert empty.execute("MATCH (n) RETURN count(n)").get_next() == [0]
