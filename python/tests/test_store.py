"""Durable stores across real processes: durability and the writer lock."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

import kgq

from conftest import run_python


def test_writes_survive_a_killed_process(store_path):
    code = """
    import os, sys, kgq
    db = kgq.Database(sys.argv[1])
    conn = kgq.Connection(db)
    for i in range(5):
        conn.execute("CREATE (:Country {i: $i})", {"i": i})
    print("written", flush=True)
    os.kill(os.getpid(), 9)  # no close, no checkpoint
    """
    p = run_python(code, store_path, check=False)
    assert "written" in p.stdout and p.returncode == -signal.SIGKILL
    with kgq.Database(store_path) as db:
        rows = kgq.Connection(db).execute("MATCH (c:Country) RETURN c.i ORDER BY c.i").get_all()
    assert rows == [[i] for i in range(5)]


def test_second_writer_process_gets_store_locked(store_path):
    with kgq.Database(store_path) as db:
        conn = kgq.Connection(db)
        conn.execute("CREATE (:Country {name: 'Russia'})")
        code = """
        import sys, kgq
        try:
            kgq.Database(sys.argv[1])
            print("opened")
        except kgq.StoreLocked as e:
            print("locked", e.kind, e.code)
        with kgq.Database(sys.argv[1], read_only=True) as db:
            print("reader sees", kgq.Connection(db).execute("MATCH (c) RETURN count(c)").get_next()[0])
        """
        out = run_python(code, store_path).stdout.split("\n")
        assert out[0] == "locked IoError StoreLocked"
        assert out[1] == "reader sees 1"
        # The first writer goes on, and nothing is lost.
        conn.execute("CREATE (:Country {name: 'China'})")
    with kgq.Database(store_path) as db:
        assert kgq.Connection(db).execute("MATCH (c) RETURN count(c)").get_next() == [2]


def test_the_lock_is_released_on_close(store_path):
    db = kgq.Database(store_path)
    db.close()
    out = run_python(
        "import sys, kgq; kgq.Database(sys.argv[1]).close(); print('ok')", store_path
    ).stdout
    assert out.strip() == "ok"


def test_bulk_load_into_a_store_is_durable(store_path):
    code = """
    import os, sys, kgq, pandas as pd
    db = kgq.Database(sys.argv[1])
    conn = kgq.Connection(db)
    conn.load_nodes("Country", pd.DataFrame({"id": [1, 2], "name": ["A", "B"]}), key="id")
    conn.load_relationships("BORDERS", pd.DataFrame({"from": [1], "to": [2]}),
                            src_label="Country", dst_label="Country")
    os.kill(os.getpid(), 9)
    """
    run_python(code, store_path, check=False)
    with kgq.Database(store_path) as db:
        rows = kgq.Connection(db).execute(
            "MATCH (a)-[:BORDERS]->(b) RETURN a.name, b.name"
        ).get_all()
    assert rows == [["A", "B"]]
