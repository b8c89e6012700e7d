#!/usr/bin/env python3
"""Merges peer_kuzu.py's JSON and `kgq bench --json` into one markdown
table: query, rows, kgq median, Kùzu median, ratio kgq/Kùzu, and whether
the row counts and digests agree.

    python3 benches/merge.py target/bench/M-kuzu.json target/bench/M-kgq.json
"""
import json
import sys


def main(kuzu_path, kgq_path):
    with open(kuzu_path) as f:
        peer_report = json.load(f)
    with open(kgq_path) as f:
        kgq = json.load(f)
    kuzu = peer_report["peers"]["kuzu"]
    print(f"scale {peer_report.get('scale')}: {peer_report.get('total_nodes')} nodes, "
          f"{peer_report.get('total_relationships')} relationships; "
          f"{kgq.get('runs')} timed runs after 1 warm-up (median ms)\n")
    print("| query | rows | kgq | Kùzu | kgq/Kùzu | check |")
    print("|---|---:|---:|---:|---:|---|")
    qids = sorted(set(kgq["queries"]) | set(kuzu.get("queries", {})),
                  key=lambda q: int(q[1:]) if q[1:].isdigit() else 999)
    for q in qids:
        a = kgq["queries"].get(q, {})
        b = kuzu.get("queries", {}).get(q, {})
        ka = a.get("median_ms")
        kb = b.get("median_ms")
        ratio = f"{ka / kb:.2f}" if ka is not None and kb else "—"
        if "rows" in a and "rows" in b:
            if a["rows"] != b["rows"]:
                check = f"ROWS DIFFER (kgq {a['rows']}, Kùzu {b['rows']})"
            elif a["digest"] != b["digest"]:
                check = f"VALUES DIFFER ({a['digest']} vs {b['digest']})"
            else:
                check = "agree"
        else:
            check = a.get("error") or b.get("error") or "—"
        rows = a.get("rows", b.get("rows", "—"))
        fa = f"{ka:.2f}" if ka is not None else a.get("error", "—")
        fb = f"{kb:.2f}" if kb is not None else b.get("error", "—")
        print(f"| {q} | {rows} | {fa} | {fb} | {ratio} | {check} |")
    print()
    print("| engine | load s | RSS after load MiB | peak RSS MiB | notes |")
    print("|---|---:|---:|---:|---|")
    n, r = kgq.get("nodes", 0), kgq.get("relationships", 0)
    print(f"| kgq | {kgq.get('load_s')} | {kgq.get('rss_after_load_mb')} | "
          f"{kgq.get('peak_rss_mb')} | {kgq.get('version')}; {n} nodes, {r} relationships |")
    db = kuzu.get("db_bytes")
    note = kuzu.get("version", "") + (f"; db file {db / 2**20:.1f} MiB" if db else "")
    print(f"| Kùzu | {kuzu.get('load_s')} | {kuzu.get('rss_after_load_mb')} | "
          f"{kuzu.get('peak_rss_mb')} | {note} |")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
