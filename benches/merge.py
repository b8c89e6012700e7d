#!/usr/bin/env python3
"""Merges peer_kuzu.py's JSON (one or more peers, e.g. Kùzu and Ladybug)
and `kgq bench --json` into one markdown table: query, rows, kgq median,
each peer's median, the ratio kgq / best peer, and whether the row counts
and digests agree with every peer.

    python3 benches/merge.py target/bench/M-peers.json target/bench/M-kgq.json
"""
import json
import sys

NAMES = {"kuzu": "Kùzu", "ladybug": "Ladybug", "kuzu-mem": "Kùzu (memory)"}


def main(peers_path, kgq_path):
    with open(peers_path) as f:
        peer_report = json.load(f)
    with open(kgq_path) as f:
        kgq = json.load(f)
    peers = peer_report["peers"]
    order = [p for p in ("kuzu", "ladybug", "kuzu-mem") if p in peers]
    order += [p for p in peers if p not in order]
    print(f"scale {peer_report.get('scale')}: {peer_report.get('total_nodes')} nodes, "
          f"{peer_report.get('total_relationships')} relationships; "
          f"{kgq.get('runs')} timed runs after 1 warm-up (median ms)\n")
    head = " | ".join(NAMES.get(p, p) for p in order)
    print(f"| query | rows | kgq | {head} | kgq / best peer | check |")
    print("|---|---:|---:|" + "---:|" * len(order) + "---:|---|")
    qids = set(kgq["queries"])
    for p in order:
        qids |= set(peers[p].get("queries", {}))
    qids = sorted(qids, key=lambda q: int(q[1:]) if q[1:].isdigit() else 999)
    for q in qids:
        a = kgq["queries"].get(q, {})
        ka = a.get("median_ms")
        cells, best, checks = [], None, []
        for p in order:
            b = peers[p].get("queries", {}).get(q, {})
            kb = b.get("median_ms")
            cells.append(f"{kb:.2f}" if kb is not None else b.get("error", "—"))
            if kb is not None and (best is None or kb < best[0]):
                best = (kb, NAMES.get(p, p))
            if "rows" in a and "rows" in b:
                if a["rows"] != b["rows"]:
                    checks.append(f"rows differ from {NAMES.get(p, p)}")
                elif a["digest"] != b["digest"]:
                    checks.append(f"values differ from {NAMES.get(p, p)}")
            else:
                checks.append(f"{NAMES.get(p, p)}: {a.get('error') or b.get('error') or '—'}")
        ratio = f"{ka / best[0]:.2f}" if ka is not None and best and best[0] else "—"
        if ka is not None and best and ka > best[0]:
            ratio = f"**{ratio}** ({best[1]})"
        check = "agree" if not checks else "; ".join(checks)
        rows = a.get("rows", "—")
        fa = f"{ka:.2f}" if ka is not None else a.get("error", "—")
        print(f"| {q} | {rows} | {fa} | {' | '.join(cells)} | {ratio} | {check} |")
    print()
    print("| engine | load s | RSS after load MiB | peak RSS MiB | notes |")
    print("|---|---:|---:|---:|---|")
    n, r = kgq.get("nodes", 0), kgq.get("relationships", 0)
    print(f"| kgq | {kgq.get('load_s')} | {kgq.get('rss_after_load_mb')} | "
          f"{kgq.get('peak_rss_mb')} | {kgq.get('version')}; {n} nodes, {r} relationships |")
    for p in order:
        info = peers[p]
        db = info.get("db_bytes")
        note = info.get("version", "") + (f"; db file {db / 2**20:.1f} MiB" if db else "")
        print(f"| {NAMES.get(p, p)} | {info.get('load_s')} | {info.get('rss_after_load_mb')} | "
              f"{info.get('peak_rss_mb')} | {note} |")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
