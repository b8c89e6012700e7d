"""kgq serve through the official Neo4j Python driver."""

import datetime
import threading

import neo4j
import pytest
import pytz
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, CypherSyntaxError, TransientError
from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time


def driver(server, auth=("neo4j", "any"), scheme="bolt"):
    uri = f"{scheme}://127.0.0.1:{server.port}"
    return GraphDatabase.driver(uri, auth=auth, max_transaction_retry_time=5)


@pytest.fixture
def store(serve, tmp_path):
    return serve(str(tmp_path / "g.kgqs"))


def test_connects_and_reads_the_bundled_graph(serve):
    server = serve()
    with driver(server) as d:
        d.verify_connectivity()
        records, summary, keys = d.execute_query("MATCH (n) RETURN count(n) AS c")
        assert keys == ["c"]
        assert records[0]["c"] > 0
        assert summary.query_type == "r"
        assert summary.server.agent.startswith("Neo4j/")
    assert server.stop() == 0
    log = "\n".join(server.lines)
    assert "user=\"neo4j\"" in log and "ended: goodbye" in log


def test_auth_accepts_the_password_and_refuses_a_wrong_one(serve):
    server = serve("--auth", "neo4j:s3cret")
    with driver(server, auth=("neo4j", "s3cret")) as d:
        assert d.execute_query("RETURN 1 AS one").records[0]["one"] == 1
    with driver(server, auth=("neo4j", "wrong")) as d:
        with pytest.raises(AuthError) as failure:
            d.verify_connectivity()
        assert failure.value.code == "Neo.ClientError.Security.Unauthorized"
    server.stop()
    log = "\n".join(server.lines)
    assert "s3cret" not in log and "wrong" not in log
    assert "authentication failed" in log


def test_non_loopback_without_auth_is_refused(tmp_path):
    import subprocess

    from conftest import KGQ

    run = subprocess.run(
        [KGQ, "serve", "--bolt", "0.0.0.0:0"], capture_output=True, text=True, timeout=60
    )
    assert run.returncode != 0
    assert "without --auth" in run.stderr


def roundtrip(d, value):
    records, _, _ = d.execute_query("RETURN $v AS v", v=value)
    return records[0]["v"]


def test_every_value_type_both_ways(serve):
    server = serve()
    stockholm = pytz.timezone("Europe/Stockholm")
    values = [
        None,
        True,
        False,
        0,
        -17,
        2**40,
        -(2**63),
        1.5,
        "Росстандарт",
        "",
        [1, "a", None, [2.5]],
        {"a": 1, "b": {"c": ["d"]}},
        Date(2025, 2, 10),
        Time(12, 31, 14, 645_000_000),
        Time(12, 31, 14, tzinfo=pytz.FixedOffset(60)),
        DateTime(2025, 2, 10, 8, 0, 0, 1),
        DateTime(2025, 2, 10, 8, 0, 0, tzinfo=pytz.FixedOffset(180)),
        stockholm.localize(DateTime(2025, 3, 30, 3, 30, 0)),
        Duration(years=1, months=2, days=3, hours=4, minutes=5, seconds=6, nanoseconds=7),
    ]
    with driver(server) as d:
        for value in values:
            back = roundtrip(d, value)
            assert back == value, (value, back)
            assert type(back) is type(value) or value is None
        # Python's own date and datetime go in too.
        assert roundtrip(d, datetime.date(2024, 2, 29)) == Date(2024, 2, 29)
        with pytest.raises(ClientError):
            roundtrip(d, b"bytes")


def test_values_computed_by_kgq_come_back_typed(serve):
    server = serve()
    with driver(server) as d:
        r = d.execute_query(
            "RETURN date('2025-02-10') AS d, localtime('12:00') AS lt, time('12:00+02:00') AS t, "
            "localdatetime('2025-02-10T08:00') AS ldt, datetime('2025-02-10T08:00Z') AS dt, "
            "datetime('2025-07-01T12:00[Europe/Moscow]') AS zdt, duration('P1DT2H') AS du"
        ).records[0]
        assert r["d"] == Date(2025, 2, 10)
        assert r["lt"] == Time(12, 0)
        assert r["t"].utcoffset() == datetime.timedelta(hours=2)
        assert r["ldt"] == DateTime(2025, 2, 10, 8, 0)
        assert r["dt"].utcoffset() == datetime.timedelta(0)
        assert r["zdt"].tzinfo.zone == "Europe/Moscow"
        assert r["du"] == Duration(days=1, hours=2)


def test_nodes_relationships_and_paths(store):
    with driver(store) as d:
        r = d.execute_query(
            "CREATE p = (a:Agency {name: 'Rosstandart'})-[c:CANCELLED {date: date('2025-02-10')}]->"
            "(t:Product {name: 'Truck'}) RETURN a, c, p"
        ).records[0]
        a, c, p = r["a"], r["c"], r["p"]
        assert isinstance(a, Node) and a.labels == {"Agency"} and a["name"] == "Rosstandart"
        assert isinstance(c, Relationship) and c.type == "CANCELLED"
        assert c.start_node.element_id == a.element_id
        assert isinstance(p, Path) and len(p) == 1
        assert p.start_node.element_id == a.element_id
        assert p.end_node["name"] == "Truck"
        back = d.execute_query(
            "MATCH (a:Agency)<-[r]-(b) RETURN count(r) AS n"
        ).records[0]["n"]
        assert back == 0


def test_auto_commit_counters_and_bookmarks(store):
    with driver(store) as d:
        _, summary, _ = d.execute_query("CREATE (:A {x: 1})-[:R]->(:B)")
        counters = summary.counters
        assert counters.nodes_created == 2
        assert counters.relationships_created == 1
        assert counters.properties_set == 1
        assert counters.labels_added == 2
        assert summary.query_type == "w"
        assert summary.result_available_after is not None
        with d.session() as s:
            s.run("CREATE (:C)").consume()
            assert s.last_bookmarks()


def test_managed_transactions(store):
    with driver(store) as d, d.session() as s:
        def write(tx, n):
            return tx.run("UNWIND range(1, $n) AS i CREATE (:W {i: i}) RETURN count(*) AS c", n=n).single()["c"]

        assert s.execute_write(write, 5) == 5

        def read(tx):
            return tx.run("MATCH (w:W) RETURN sum(w.i) AS s").single()["s"]

        assert s.execute_read(read) == 15

        def read_only_write(tx):
            tx.run("CREATE (:Nope)").consume()

        with pytest.raises(ClientError) as failure:
            s.execute_read(read_only_write)
        assert failure.value.code == "Neo.ClientError.Statement.AccessMode"


def test_explicit_transaction_isolation_and_rollback(serve, tmp_path):
    server = serve(str(tmp_path / "g.kgqs"), "--lock-timeout", "0.2")
    with driver(server) as d, d.session() as s, d.session() as other:
        tx = s.begin_transaction()
        tx.run("CREATE (:T {x: 1})").consume()
        tx.run("CREATE (:T {x: 2})").consume()
        assert tx.run("MATCH (t:T) RETURN count(t) AS c").single()["c"] == 2
        # Another client cannot see uncommitted writes: it waits, then fails transiently.
        with pytest.raises(TransientError):
            other.run("MATCH (t:T) RETURN count(t) AS c").single()
        tx.rollback()
        assert other.run("MATCH (t:T) RETURN count(t) AS c").single()["c"] == 0
        tx = s.begin_transaction()
        tx.run("CREATE (:T {x: 3})").consume()
        tx.commit()
        assert other.run("MATCH (t:T) RETURN t.x AS x").single()["x"] == 3


def test_error_codes_positions_and_reset_after_failure(serve):
    server = serve()
    with driver(server) as d, d.session() as s:
        with pytest.raises(CypherSyntaxError) as failure:
            s.run("MATCH (n)\nRETRN n").consume()
        assert failure.value.code == "Neo.ClientError.Statement.SyntaxError"
        assert "line 2, column 1" in failure.value.message
        with pytest.raises(ClientError) as failure:
            s.run("RETURN 1 / 0 AS x").consume()
        assert failure.value.code == "Neo.ClientError.Statement.ArithmeticError"
        with pytest.raises(ClientError) as failure:
            s.run("WITH [1] AS l, 'x' AS s RETURN l - s AS x").consume()
        assert failure.value.code == "Neo.ClientError.Statement.TypeError"
        with pytest.raises(ClientError) as failure:
            s.run("RETURN $missing AS x").consume()
        assert failure.value.code == "Neo.ClientError.Statement.ParameterMissing"
        # The same session works after each failure (the driver sends RESET).
        assert s.run("RETURN 41 + 1 AS x").single()["x"] == 42
        # Inside an explicit transaction, a failure ends the transaction.
        tx = s.begin_transaction()
        with pytest.raises(ClientError):
            tx.run("RETURN 1 / 0 AS x").consume()
        tx.close()
        assert s.run("RETURN 1 AS x").single()["x"] == 1


def test_timeouts_are_transient(serve):
    server = serve("--timeout", "0.2")
    with driver(server) as d, d.session() as s:
        with pytest.raises(neo4j.exceptions.Neo4jError) as failure:
            s.run("UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b RETURN count(*) AS c").consume()
        assert "time limit" in failure.value.message


def test_neo4j_scheme_routing(serve):
    server = serve()
    with driver(server, scheme="neo4j") as d:
        records, _, _ = d.execute_query("RETURN 1 AS one", routing_="r")
        assert records[0]["one"] == 1
        records, _, _ = d.execute_query("RETURN 2 AS two")
        assert records[0]["two"] == 2


def test_pull_in_batches(serve):
    server = serve()
    with GraphDatabase.driver(server.uri, auth=("u", "p")) as d, d.session(fetch_size=7) as s:
        values = [r["i"] for r in s.run("UNWIND range(1, 100) AS i RETURN i")]
        assert values == list(range(1, 101))


def test_eight_concurrent_writers(store):
    errors = []

    def writer(k):
        try:
            with driver(store) as d, d.session() as s:
                for i in range(25):
                    s.execute_write(lambda tx: tx.run("CREATE (:C {k: $k, i: $i})", k=k, i=i).consume())
                    s.execute_read(lambda tx: tx.run("MATCH (c:C) RETURN count(c) AS n").single())
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with driver(store) as d:
        records, _, _ = d.execute_query("MATCH (c:C) RETURN count(DISTINCT [c.k, c.i]) AS n")
        assert records[0]["n"] == 200


def test_sigkill_under_load_keeps_every_acknowledged_write(serve, tmp_path):
    path = str(tmp_path / "g.kgqs")
    server = serve(path)
    acknowledged = [[] for _ in range(8)]
    stop = threading.Event()

    def writer(k):
        try:
            with driver(server) as d, d.session() as s:
                i = 0
                while not stop.is_set():
                    if i % 3 == 0:
                        def tx_work(tx, k=k, i=i):
                            tx.run("CREATE (:K {k: $k, i: $i})", k=k, i=i).consume()
                            tx.run("CREATE (:K {k: $k, i: $i, twin: true})", k=k, i=i).consume()
                        s.execute_write(tx_work)
                    else:
                        s.run("CREATE (:K {k: $k, i: $i})", k=k, i=i).consume()
                    acknowledged[k].append(i)
                    i += 1
        except Exception:  # noqa: BLE001 - the server dies under it
            pass

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    # Let some writes land, then kill without warning.
    import time

    deadline = time.monotonic() + 30
    while sum(map(len, acknowledged)) < 80 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    total = sum(map(len, acknowledged))
    assert total >= 80
    restarted = serve(path)
    with driver(restarted) as d:
        for k in range(8):
            records, _, _ = d.execute_query(
                "MATCH (n:K {k: $k}) WHERE n.twin IS NULL RETURN collect(n.i) AS xs", k=k
            )
            present = set(records[0]["xs"])
            missing = [i for i in acknowledged[k] if i not in present]
            assert not missing, (k, missing)
        # Transactions are all or nothing.
        records, _, _ = d.execute_query(
            "MATCH (n:K {twin: true}) MATCH (m:K {k: n.k, i: n.i}) WHERE m.twin IS NULL "
            "RETURN count(n) AS twins"
        )
        twins = records[0]["twins"]
        records, _, _ = d.execute_query("MATCH (n:K {twin: true}) RETURN count(n) AS c")
        assert records[0]["c"] == twins
    assert restarted.stop() == 0


def test_procedures_tools_call_on_connect(serve):
    server = serve()
    with driver(server) as d:
        records, _, _ = d.execute_query("CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition")
        assert records and records[0]["name"]
        labels = [r["label"] for r in d.execute_query("CALL db.labels()").records]
        assert "Agency" in labels
        types = [r["relationshipType"] for r in d.execute_query("CALL db.relationshipTypes()").records]
        assert types
        keys = [r["propertyKey"] for r in d.execute_query("CALL db.propertyKeys()").records]
        assert "name" in keys
        viz = d.execute_query("CALL db.schema.visualization()").records
        assert viz and viz[0]["nodes"]
        assert d.execute_query("CALL db.schema.nodeTypeProperties()").records
        assert d.execute_query("CALL db.schema.relTypeProperties()").records


def test_idle_transaction_is_rolled_back_and_frees_the_writer_turn(serve, tmp_path):
    import time

    server = serve(str(tmp_path / "g.kgqs"), "--tx-idle-timeout", "0.5")
    with driver(server) as d, d.session() as s:
        tx = s.begin_transaction()
        tx.run("CREATE (:Idle)").consume()
        time.sleep(2)
        # The server closed the idle transaction's connection and rolled it back.
        with pytest.raises(Exception):
            tx.commit()
        records, _, _ = d.execute_query("MATCH (n:Idle) RETURN count(n) AS c")
        assert records[0]["c"] == 0
        d.execute_query("CREATE (:After)")
    server.stop()
    assert any("idle timeout" in line for line in server.lines)
