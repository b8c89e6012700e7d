"""Database, Connection and QueryResult: every call of the API."""

import os

import pytest

import kgq


def test_memory_database_is_empty_and_writable():
    for db in (kgq.Database(), kgq.Database(":memory:")):
        with db:
            conn = kgq.Connection(db)
            assert conn.execute("MATCH (n) RETURN count(n) AS n").get_next() == [0]
            r = conn.execute("CREATE (:Country {name: 'Russia'})")
            assert r.statistics["nodes_created"] == 1
            assert conn.execute("MATCH (n) RETURN count(n)").get_all() == [[1]]


def test_example_is_the_bundled_article_graph(conn):
    names = [r[0] for r in conn.execute("MATCH (c:Country) RETURN c.name ORDER BY c.name")]
    assert "China" in names and "Russia" in names


def test_script_database_loads_into_memory(tmp_path):
    script = tmp_path / "g.kgq"
    script.write_text("CREATE (:Country {name: 'Chile'});\nCREATE (:Country {name: 'Peru'});\n")
    with kgq.Database(script) as db:
        rows = kgq.Connection(db).execute("MATCH (c:Country) RETURN c.name ORDER BY c.name").get_all()
        assert rows == [["Chile"], ["Peru"]]
    # The script itself is not changed.
    assert "Peru" in script.read_text()


def test_store_database_save_checkpoint_and_reopen(store_path, tmp_path):
    with kgq.Database(store_path) as db:
        conn = kgq.Connection(db)
        conn.execute("CREATE (:Country {name: 'Russia'})")
        assert os.path.exists(store_path + ".lock")
        db.checkpoint()
        snap = tmp_path / "copy.kgqs"
        db.save(snap)
    assert not os.path.exists(store_path + ".lock")
    for path in (store_path, str(snap)):
        with kgq.Database(path, read_only=True) as db:
            assert kgq.Connection(db).execute("MATCH (c) RETURN c.name").get_all() == [["Russia"]]


def test_read_only_store_refuses_writes(store_path):
    kgq.Database(store_path).close()
    with kgq.Database(store_path, read_only=True) as db:
        with pytest.raises(kgq.Error) as e:
            kgq.Connection(db).execute("CREATE (:X)")
        assert e.value.code == "ReadOnlyStore"


def test_several_statements_give_a_list(empty):
    results = empty.execute("CREATE (:A {x: 1}); CREATE (:A {x: 2}); MATCH (a:A) RETURN sum(a.x) AS s")
    assert isinstance(results, list) and len(results) == 3
    assert results[2].get_next() == [3]


def test_result_fetching(conn):
    q = "UNWIND range(1, 5) AS x RETURN x, x * 2 AS y"
    r = conn.execute(q)
    assert r.get_column_names() == ["x", "y"]
    assert r.get_num_tuples() == len(r) == 5
    assert r.has_next()
    assert r.get_next() == [1, 2]
    assert r.get_n(2) == [[2, 4], [3, 6]]
    assert r.get_all() == [[4, 8], [5, 10]]
    assert not r.has_next()
    with pytest.raises(IndexError):
        r.get_next()
    r.reset_iterator()
    assert [row[0] for row in r] == [1, 2, 3, 4, 5]
    r = conn.execute(q).rows_as_dict()
    assert next(r) == {"x": 1, "y": 2}
    assert r.get_all()[-1] == {"x": 5, "y": 10}
    assert list(conn.execute(q).rows_as_dict()) == [{"x": i, "y": 2 * i} for i in range(1, 6)]
    r.close()


def test_statistics(empty):
    s = empty.execute("CREATE (a:A {x: 1})-[:R {w: 2}]->(b:B)").statistics
    assert s["nodes_created"] == 2
    assert s["relationships_created"] == 1
    assert s["properties_set"] == 2
    assert s["labels_added"] == 2
    s = empty.execute("MATCH (a:A) DETACH DELETE a").statistics
    assert s["nodes_deleted"] == 1 and s["relationships_deleted"] == 1


def test_parameters(conn):
    r = conn.execute("MATCH (c:Country {name: $name}) RETURN c.name", {"name": "China"})
    assert r.get_all() == [["China"]]
    with pytest.raises(kgq.ParameterMissing):
        conn.execute("RETURN $nope")


def test_why_gives_the_facts_behind_each_row(conn):
    q = "MATCH (a:Country {name: 'China'})-[r]->(b) RETURN b.name AS b ORDER BY b"
    r = conn.execute(q, why=True)
    why = r.why
    rows = r.get_all()
    assert len(why) == len(rows) > 0
    for (b,), facts in zip(rows, why):
        assert all(isinstance(f, kgq.Relationship) for f in facts)
        assert len(facts) == 1
    assert conn.execute(q).why is None
    # On the connection: every call.
    c2 = kgq.Connection(conn.database, why=True)
    assert c2.execute(q).why is not None
    assert c2.execute(q, why=False).why is None


def test_as_of_filters_by_valid_time(empty):
    import datetime as dt

    empty.execute(
        "CREATE (:Country {name: 'A'})-[:SANCTIONS {valid_from: date('2020-01-01'), "
        "valid_to: date('2021-01-01')}]->(:Country {name: 'B'})"
    )
    q = "MATCH (a)-[:SANCTIONS]->(b) RETURN count(*) AS n"
    assert empty.execute(q).get_next() == [1]
    assert empty.execute(q, as_of=dt.date(2020, 6, 1)).get_next() == [1]
    assert empty.execute(q, as_of=dt.date(2022, 6, 1)).get_next() == [0]
    empty.set_as_of(dt.datetime(2019, 1, 1))
    assert empty.execute(q).get_next() == [0]
    assert empty.execute(q, as_of=None).get_next() == [1]


def test_timeout_stops_a_long_query(empty):
    with pytest.raises(kgq.LimitExceeded):
        empty.execute("UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS x RETURN count(*)", timeout=0.2)
    empty.set_query_timeout(200)
    with pytest.raises(kgq.LimitExceeded):
        empty.execute("UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS x RETURN count(*)")
    with pytest.raises(ValueError):
        empty.execute("RETURN 1", timeout=-1)


def test_find(example):
    found = example.find("Russian Federation")
    score, node, matched = found[0]
    assert score == 1.0
    assert isinstance(node, kgq.Node) and node["name"] == "Russia"
    assert matched == "Russian Federation"
    assert len(example.find("China", limit=1)) == 1


def test_diff(tmp_path):
    a = kgq.Database()
    kgq.Connection(a).execute("CREATE (:Country {name: 'A', pop: 1}), (:Country {name: 'B'})")
    b = kgq.Database()
    kgq.Connection(b).execute("CREATE (:Country {name: 'A', pop: 2}), (:Country {name: 'C'})")
    d = kgq.diff(a, b)
    assert [n["properties"]["name"] for n in d["added_nodes"]] == ["C"]
    assert [n["properties"]["name"] for n in d["removed_nodes"]] == ["B"]
    (change,) = d["changed_nodes"]
    assert change["changes"] == [{"key": "pop", "before": 1, "after": 2}]
    assert kgq.diff(a, a) == {k: [] for k in d}
    # Paths too.
    pa, pb = tmp_path / "a.kgqs", tmp_path / "b.kgqs"
    a.save(pa)
    b.save(pb)
    assert kgq.diff(str(pa), str(pb)) == d


def test_explain_and_profile_plans(conn):
    assert "Country" in conn.execute("EXPLAIN MATCH (c:Country) RETURN c").plan
    assert conn.execute("PROFILE MATCH (c:Country) RETURN c").plan
    assert conn.execute("RETURN 1").plan is None


def test_connection_helpers(example):
    conn = example.connect()
    assert isinstance(conn, kgq.Connection)
    with kgq.Connection(example, num_threads=4) as c:
        assert c.execute("RETURN 1").get_next() == [1]
    with pytest.raises(TypeError):
        kgq.Connection("not a database")
    with pytest.raises(TypeError):
        conn.execute(42)
    assert "open" in repr(example)
    assert "QueryResult" in repr(conn.execute("RETURN 1"))
    r = conn.execute("UNWIND range(1, 1000) AS x RETURN sum(x)")
    assert r.get_execution_time() > 0.0 and r.get_compiling_time() == 0.0


def test_the_readme_example_runs(tmp_path):
    import pathlib

    from conftest import run_python

    script = pathlib.Path(__file__).parent.parent / "examples" / "vehicle_exports.py"
    out = tmp_path / "chart.png"
    p = run_python(script.read_text(), str(out))
    assert "1158000" in p.stdout.replace(",", "")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_large_fetches_give_every_row_and_leave_the_collector_as_it_was(empty):
    import gc

    q = "UNWIND range(1, 3000) AS i RETURN i, toString(i) AS s"
    assert gc.isenabled()
    rows = empty.execute(q).get_all()
    assert rows[0] == [1, "1"] and rows[-1] == [3000, "3000"] and len(rows) == 3000
    assert gc.isenabled()
    r = empty.execute(q)
    assert [len(r.get_n(2000)), len(r.get_n(2000))] == [2000, 1000]
    assert gc.isenabled()
    gc.disable()
    try:
        assert len(empty.execute(q).rows_as_dict().get_all()) == 3000
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_repeated_reads_reuse_their_plan_until_the_graph_changes():
    db = kgq.Database()
    conn = kgq.Connection(db)
    conn.execute("CREATE (:Country {name: 'Russia'}), (:Country {name: 'China'})")
    q = "MATCH (c:Country) WHERE c.name = $name RETURN c.name AS name"
    before = db.plan_cache()
    first = conn.execute(q, {"name": "Russia"}).get_all()
    second = conn.execute(q, {"name": "Russia"}).get_all()
    after = db.plan_cache()
    assert first == second == [["Russia"]]
    assert after["parses"] - before["parses"] == 1
    assert after["plan_hits"] - before["plan_hits"] == 1
    # Other values are planned again (they are constants of the plan).
    assert conn.execute(q, {"name": "China"}).get_all() == [["China"]]
    assert db.plan_cache()["plan_hits"] == after["plan_hits"]
    # A write makes every cached plan stale.
    conn.execute("CREATE (:Country {name: 'Russia'})")
    assert conn.execute(q, {"name": "Russia"}).get_all() == [["Russia"], ["Russia"]]
    assert db.plan_cache()["plan_hits"] == after["plan_hits"]
    assert db.plan_cache(capacity=0)["entries"] == 0
    conn.execute(q, {"name": "Russia"})
    conn.execute(q, {"name": "Russia"})
    assert db.plan_cache()["plan_hits"] == after["plan_hits"]
    with pytest.raises(ValueError):
        db.plan_cache(capacity=-1)
