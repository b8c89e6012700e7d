"""Threads, the GIL and interrupts (a real SIGINT to a child process)."""

import os
import signal
import sys
import threading

import pytest

import kgq

from conftest import run_python

LONG = "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS x RETURN count(*) AS n"


def test_threads_share_a_database_reads_and_writes():
    db = kgq.Database()
    kgq.Connection(db).execute("UNWIND range(1, 100) AS i CREATE (:N {i: i})")
    errors, sums = [], []

    def reader():
        try:
            conn = kgq.Connection(db)
            for _ in range(20):
                sums.append(conn.execute("MATCH (n:N) WHERE n.i <= 100 RETURN sum(n.i)").get_next()[0])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    def writer(k):
        try:
            conn = kgq.Connection(db)
            for j in range(25):
                conn.execute("CREATE (:W {k: $k, j: $j})", {"k": k, "j": j})
        except Exception as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    threads += [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sums == [5050] * 80
    # Every write landed exactly once.
    rows = kgq.Connection(db).execute("MATCH (w:W) RETURN w.k, count(*) ORDER BY w.k").get_all()
    assert rows == [[k, 25] for k in range(4)]


def test_the_gil_is_released_while_a_query_runs():
    # A query in another thread runs until interrupted; this thread can only
    # call interrupt() if that thread let go of the GIL.
    db = kgq.Database()
    conn = kgq.Connection(db)
    outcome = {}
    started = threading.Event()

    def run():
        started.set()
        try:
            conn.execute(LONG, timeout=30)
            outcome["result"] = "finished"
        except kgq.Error as e:
            outcome["result"] = e

    t = threading.Thread(target=run)
    t.start()
    started.wait()
    while t.is_alive():
        conn.interrupt()
        t.join(0.05)
    assert isinstance(outcome["result"], kgq.Cancelled), outcome
    assert outcome["result"].kind == "LimitExceeded"


def test_interrupt_rolls_back_a_write():
    db = kgq.Database()
    conn = kgq.Connection(db)
    done = threading.Event()
    outcome = {}

    def run():
        try:
            conn.execute("UNWIND range(1, 1000) AS i CREATE (:Junk {i: i}) WITH i UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS x RETURN count(*)", timeout=30)
        except kgq.Error as e:
            outcome["e"] = e
        done.set()

    t = threading.Thread(target=run)
    t.start()
    while not done.wait(0.1):
        conn.interrupt()
    t.join()
    assert isinstance(outcome["e"], kgq.Cancelled)
    assert conn.execute("MATCH (j:Junk) RETURN count(j)").get_next() == [0]


CHILD = """
import signal, socket, sys, kgq
if sys.argv[2] == "wakeup_fd":
    # As an asyncio loop does: the statement is handed to a worker thread.
    r, w = socket.socketpair()
    w.setblocking(False)
    signal.set_wakeup_fd(w.fileno())
elif sys.argv[2] == "own_handler":
    def on_sigint(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGINT, on_sigint)
db = kgq.Database(sys.argv[1])
conn = kgq.Connection(db)
conn.execute("CREATE (:Kept {name: 'before'})")
print("ready", flush=True)
try:
    conn.execute("UNWIND range(1, 1000) AS i CREATE (:Junk {i: i}) WITH i UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS x RETURN count(*)", timeout=30)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
n = conn.execute("MATCH (n) RETURN count(n)").get_next()[0]
print("nodes", n, flush=True)
db.close()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("mode", ["default", "wakeup_fd", "own_handler"])
def test_ctrl_c_cancels_and_rolls_back(store_path, mode):
    # default: the statement runs on the main thread, and a watcher thread
    # hears SIGINT through Python's wakeup fd; with a wakeup fd of its own
    # or a handler of its own, the statement runs on a worker thread while
    # the main thread polls for signals.
    import subprocess
    import textwrap

    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), store_path, mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready"
        # Let the long statement get going, then press Ctrl-C.
        import time

        time.sleep(0.5)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert out.split() == ["interrupted", "nodes", "1"]
    # Nothing of the cancelled statement reached the store.
    with kgq.Database(store_path, read_only=True) as db:
        rows = kgq.Connection(db).execute("MATCH (n) RETURN labels(n)[0], n.name").get_all()
    assert rows == [["Kept", "before"]]


def test_reads_run_in_parallel():
    # A read that runs until interrupted does not keep another thread's
    # read from finishing.
    db = kgq.Database.example()
    conn = kgq.Connection(db)
    outcome = {}

    def long_read():
        try:
            conn.execute(LONG, timeout=30)
        except kgq.Error as e:
            outcome["e"] = e

    t = threading.Thread(target=long_read)
    t.start()
    while db._engine.running_statements == 0:
        t.join(0.01)
    quick = kgq.Connection(db).execute("MATCH (c:Country) RETURN count(c)").get_next()[0]
    still_running = t.is_alive()
    while t.is_alive():
        conn.interrupt()
        t.join(0.05)
    assert quick > 0
    assert still_running
    assert isinstance(outcome["e"], kgq.Cancelled)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_main_thread_calls_leave_the_wakeup_fd_as_it_was():
    # A statement on the main thread borrows Python's wakeup fd while it
    # runs (to hear Ctrl-C) and gives it back; one set by someone else is
    # left alone.
    import socket

    assert threading.current_thread() is threading.main_thread()
    conn = kgq.Connection(kgq.Database())
    old = signal.set_wakeup_fd(-1)
    try:
        assert conn.execute("RETURN 1 AS one").get_all() == [[1]]
        with pytest.raises(kgq.Error):
            conn.execute("RETURN nope(")
        assert signal.set_wakeup_fd(-1) == -1
        r, w = socket.socketpair()
        with r, w:
            w.setblocking(False)
            signal.set_wakeup_fd(w.fileno())
            assert conn.execute("RETURN 2 AS two").get_all() == [[2]]
            assert signal.set_wakeup_fd(-1) == w.fileno()
    finally:
        signal.set_wakeup_fd(old)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc")
def test_main_thread_calls_start_no_thread_per_call():
    # Statements started on the main thread run on it (or on one reused
    # worker), so calls neither leak threads nor stop working after a
    # failed statement.
    assert threading.current_thread() is threading.main_thread()
    conn = kgq.Connection(kgq.Database())
    conn.execute("RETURN 1")
    before = len(os.listdir("/proc/self/task"))
    for i in range(200):
        assert conn.execute("RETURN $i AS i", {"i": i}).get_next() == [i]
        if i % 50 == 0:
            with pytest.raises(kgq.Error):
                conn.execute("RETURN nope(")
    # Threads of earlier tests may still be ending meanwhile.
    assert len(os.listdir("/proc/self/task")) <= before
