#!/usr/bin/env python3
"""kgq's Python API side by side with Kùzu's and Ladybug's, in one run.

    benches/python_api.sh M            # sets everything up, then runs this

Measures, on one data folder made by ../shared/bench/gen_kg.py:
  1. Q1–Q11 through `kgq.Connection.execute` (parameters, every row fetched
     into Python with get_all), timed like ../shared/bench/peer_kuzu.py
     times its peers (it is imported for that: same warm-up, runs, median,
     digests), and the peers themselves (`peer_kuzu.py --peers kuzu,ladybug`
     run as a child in the same run);
  2. bulk ingest of the whole graph from pandas DataFrames: kgq's
     load_nodes/load_relationships against Ladybug's `COPY T FROM df` of the
     same DataFrames (Ladybug in a child process, in memory);
  3. the binding's overhead per call over in-process Rust: kgq's median per
     query here minus `kgq bench`'s in-process median (given as --rust-json),
     and the median of a trivial `RETURN 1` call.
Writes a JSON report and prints a markdown table.
"""

import argparse
import datetime as dt
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def peer_module(bench_dir):
    spec = importlib.util.spec_from_file_location("peer_kuzu", os.path.join(bench_dir, "peer_kuzu.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def kgq_queries():
    """Q-id -> query text, from benches/queries.kgq (what `kgq bench` runs)."""
    text = open(os.path.join(HERE, "queries.kgq"), encoding="utf-8").read()
    out = {}
    for m in re.finditer(r"^// (Q\d+)[^\n]*\n(.*?)(?=^// Q\d+|\Z)", text, flags=re.S | re.M):
        out[m.group(1)] = m.group(2).strip().rstrip(";")
    return out


def frames(pk, data):
    """One pandas DataFrame per label and relationship type, typed by the
    peer script's schema (DATE columns as datetime.date objects)."""
    import pandas as pd

    out = {}
    for name, cols in list(pk.NODE_TYPES.items()) + [
        (t, {"from": "INT64", "to": "INT64", **props}) for t, (_, _, props) in pk.REL_TYPES.items()
    ]:
        df = pd.read_csv(os.path.join(data, f"{name}.csv"))
        for c, ty in cols.items():
            if ty == "DATE":
                df[c] = pd.to_datetime(df[c]).dt.date
        out[name] = df
    return out


def kgq_ingest(kgq, pk, dfs):
    db = kgq.Database()
    conn = kgq.Connection(db)
    steps = {}
    t_all = time.perf_counter()
    for label in pk.NODE_TYPES:
        t0 = time.perf_counter()
        conn.load_nodes(label, dfs[label], key="id")
        steps[label] = round(time.perf_counter() - t0, 3)
    for t, (a, b, _) in pk.REL_TYPES.items():
        t0 = time.perf_counter()
        conn.load_relationships(t, dfs[t], src_label=a, dst_label=b)
        steps[t] = round(time.perf_counter() - t0, 3)
    return db, conn, round(time.perf_counter() - t_all, 3), steps


def ladybug_copy_worker(data, bench_dir, out):
    """In a child: Ladybug in memory, schema, then COPY T FROM df."""
    pk = peer_module(bench_dir)
    import ladybug

    dfs = frames(pk, data)
    db = ladybug.Database(":memory:")
    conn = ladybug.Connection(db)
    for stmt in pk.kuzu_ddl():
        conn.execute(stmt)
    steps = {}
    t_all = time.perf_counter()
    for name in list(pk.NODE_TYPES) + list(pk.REL_TYPES):
        df = dfs[name]  # noqa: F841 (COPY reads the local variable)
        t0 = time.perf_counter()
        conn.execute(f"COPY {name} FROM df")
        steps[name] = round(time.perf_counter() - t0, 3)
    total = round(time.perf_counter() - t_all, 3)
    n = conn.execute("MATCH (n) RETURN count(n)").get_next()[0]
    r = conn.execute("MATCH ()-[r]->() RETURN count(r)").get_next()[0]
    with open(out, "w") as f:
        json.dump({"version": f"ladybug {ladybug.__version__}", "load_s": total, "steps": steps,
                   "nodes": n, "relationships": r}, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--peers", default="kuzu,ladybug")
    ap.add_argument("--bench-dir", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--peer-python", default=sys.executable,
                    help="the Python that runs peer_kuzu.py (a venv with kuzu and ladybug)")
    ap.add_argument("--rust-json", help="`kgq bench --json` output for the same data")
    ap.add_argument("--peers-json", help="reuse the peers' results of an earlier `peer_kuzu.py --out` "
                    "run (say so when reporting) instead of running them")
    ap.add_argument("--out", required=True)
    ap.add_argument("--ladybug-copy-worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.out = os.path.abspath(args.out)
    args.data = os.path.abspath(args.data)
    if args.ladybug_copy_worker:
        return ladybug_copy_worker(args.data, args.bench_dir, args.ladybug_copy_worker)

    pk = peer_module(args.bench_dir)
    import kgq

    params = pk.load_params(args.data)
    queries = pk.parse_queries(os.path.join(args.bench_dir, "queries.md"))
    texts = kgq_queries()
    report = {"when": dt.datetime.now().isoformat(timespec="seconds"), "data": os.path.abspath(args.data),
              "runs": args.runs, "kgq": {}, "peers": {}}

    # 1. Peers' queries (children of peer_kuzu.py, as it runs them).
    peers_out = args.out + ".peers.json"
    if args.peers_json:
        with open(args.peers_json) as f:
            report["peers"] = json.load(f)["peers"]
        report["peers_from"] = os.path.abspath(args.peers_json)
    elif args.peers:
        print(f"== peers {args.peers}", file=sys.stderr, flush=True)
        subprocess.run([args.peer_python, os.path.join(args.bench_dir, "peer_kuzu.py"), "--data", args.data,
                        "--runs", str(args.runs), "--peers", args.peers, "--out", peers_out],
                       check=True, stdout=subprocess.DEVNULL)
        with open(peers_out) as f:
            report["peers"] = json.load(f)["peers"]

    # 2. Bulk ingest: kgq here, Ladybug's COPY FROM df in a child.
    print("== kgq ingest", file=sys.stderr, flush=True)
    dfs = frames(pk, args.data)
    db, conn, load_s, steps = kgq_ingest(kgq, pk, dfs)
    report["kgq"]["version"] = f"kgq {kgq.__version__} (Python API)"
    report["kgq"]["load_s"] = load_s
    report["kgq"]["load_steps_s"] = steps
    if "ladybug" in args.peers:
        print("== ladybug COPY FROM df", file=sys.stderr, flush=True)
        lb_out = args.out + ".ladybug-copy.json"
        subprocess.run([sys.executable, __file__, "--data", args.data, "--bench-dir", args.bench_dir,
                        "--out", args.out, "--ladybug-copy-worker", lb_out], check=True)
        with open(lb_out) as f:
            report["ladybug_copy_df"] = json.load(f)

    # 3. Queries through the Python API, timed as the peers are.
    print("== kgq queries", file=sys.stderr, flush=True)
    res = {}

    def make_runner(qid, q):
        text = texts[qid]
        p = pk.used_params(text, params)

        def run():
            r = conn.execute(text, p)
            return r.get_all(), r.get_execution_time()

        return run

    class A:
        runs, slow_s, timeout = args.runs, 10, 120

    pk.run_queries("kgq-python", queries, params, make_runner, A, res)
    report["kgq"]["queries"] = res["queries"]
    calls = []
    for _ in range(2000):
        t0 = time.perf_counter()
        conn.execute("RETURN 1").get_all()
        calls.append((time.perf_counter() - t0) * 1e6)
    report["kgq"]["return1_median_us"] = round(statistics.median(calls), 1)
    print("== kgq per-call A/B", file=sys.stderr, flush=True)
    report["kgq"]["ab"] = per_call_ab(db, conn, texts, pk, params)
    if args.rust_json:
        with open(args.rust_json) as f:
            report["rust"] = json.load(f)
    with open(args.out, "w") as f:
        json.dump(report, f, indent=1, default=str)
    print(table(report))


AB_MODES = ("shipped", "hand-off", "no plan cache")


def per_call_ab(db, conn, texts, pk, params, rounds=15):
    """Median µs of execute + get_all per query in three modes of the same
    build, interleaved call by call so that load hits all alike:
    "shipped" (statement on the calling thread, plan cache on),
    "hand-off" (a wakeup fd of our own is set, as an asyncio loop does, so
    statements from the main thread run on the worker thread: the path
    every main-thread call took before) and "no plan cache" (capacity 0).
    Also the engine's own time (get_execution_time) in the shipped mode."""
    import signal
    import socket

    r_sock, w_sock = socket.socketpair()
    w_sock.setblocking(False)
    capacity = 256
    cases = [("RETURN 1", "RETURN 1", {})]
    cases += [(qid, text, pk.used_params(text, params)) for qid, text in texts.items() if qid != "Q8"]
    out = {}
    for qid, text, p in cases:
        n = rounds * (20 if qid == "RETURN 1" else 1)
        times = {m: [] for m in AB_MODES}
        engine = []
        for _ in range(n):
            for mode in AB_MODES:
                if mode == "hand-off":
                    signal.set_wakeup_fd(w_sock.fileno())
                if mode == "no plan cache":
                    db.plan_cache(capacity=0)
                t0 = time.perf_counter()
                r = conn.execute(text, p)
                r.get_all()
                times[mode].append((time.perf_counter() - t0) * 1e6)
                if mode == "shipped":
                    engine.append(r.get_execution_time() * 1e3)
                if mode == "hand-off":
                    signal.set_wakeup_fd(-1)
                if mode == "no plan cache":
                    db.plan_cache(capacity=capacity)
                    conn.execute(text, p).get_all()  # refill the cache, untimed
        out[qid] = {m: round(statistics.median(v), 1) for m, v in times.items()}
        out[qid]["engine"] = round(statistics.median(engine), 1)
    r_sock.close()
    w_sock.close()
    return out


def ab_table(ab):
    lines = ["| call | " + " | ".join(f"{m} µs" for m in AB_MODES) + " | engine µs (shipped) | shipped − engine µs |",
             "|---|" + "---:|" * (len(AB_MODES) + 2)]
    for qid, e in ab.items():
        cells = [str(e[m]) for m in AB_MODES] + [str(e["engine"]), f"{e['shipped'] - e['engine']:.1f}"]
        lines.append(f"| {qid} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def rust_median(report, qid):
    rust = report.get("rust") or {}
    q = (rust.get("queries") or {}).get(qid) or {}
    return q.get("median_ms")


def table(report):
    peers = report["peers"]
    names = [p for p in ("kuzu", "ladybug") if p in peers]
    head = ("| query | rows | kgq Python wall ms | kgq engine ms | binding overhead ms | "
            + " | ".join(f"{p} ms" for p in names)
            + " | kgq / best peer | rows agree | `kgq bench` ms |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for qid, e in report["kgq"]["queries"].items():
        k, eng = e.get("median_ms"), e.get("engine_median_ms")
        ps = [peers[p].get("queries", {}).get(qid, {}) for p in names]
        pm = [x.get("median_ms") for x in ps]
        best = min([m for m in pm if m is not None], default=None)
        ratio = f"{k / best:.2f}" if k is not None and best else "—"
        agree = all(x.get("digest") == e.get("digest") for x in ps if x.get("digest")) if ps else "—"
        over = f"{k - eng:.3f}" if k is not None and eng is not None else "—"
        r = rust_median(report, qid)
        cells = [str(e.get("rows", "—")), str(k if k is not None else e.get("error")), str(eng), over]
        cells += [str(m) for m in pm]
        cells += [ratio, "agree" if agree is True else str(agree), str(r if r is not None else "—")]
        lines.append(f"| {qid} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"`RETURN 1` through the Python API: median {report['kgq']['return1_median_us']} µs per call.")
    if report["kgq"].get("ab"):
        lines.append("")
        lines.append(ab_table(report["kgq"]["ab"]))
    lb = report.get("ladybug_copy_df")
    if lb:
        lines.append(f"Bulk ingest from DataFrames: kgq load_nodes/load_relationships {report['kgq']['load_s']} s; "
                     f"Ladybug COPY FROM df {lb['load_s']} s ({lb['version']}).")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
