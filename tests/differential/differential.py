#!/usr/bin/env python3
"""Differential test: random read queries over the benchmark graph, asked of
kgq and of Ladybug (the maintained fork of Kùzu), answers compared after
canonicalisation.

    differential.py --data DIR --kgq RUNNER [--queries N] [--seed S] [--keep DIR]

DIR is a folder written by gen_kg.py; RUNNER is the `run_queries` example
binary (it loads DIR into kgq and answers a file of queries). The queries
come from a small generator over the graph's schema, with constants sampled
from the data, restricted to what both engines define the same way (see
docs/differential.md for what is left out and why). Exit status 1 when an
answer differs or a query fails on one engine only.
"""
import argparse
import csv
import datetime as dt
import decimal
import json
import math
import os
import random
import subprocess
import sys
import tempfile

# Labels and their properties (name -> type), as gen_kg.py writes them.
NODES = {
    "Country": {"id": "INT64", "name": "STRING", "iso": "STRING", "region": "STRING"},
    "Agency": {"id": "INT64", "name": "STRING", "short": "STRING", "founded": "INT64"},
    "Official": {"id": "INT64", "name": "STRING", "title": "STRING"},
    "Company": {"id": "INT64", "name": "STRING", "founded": "INT64",
                "employees": "INT64", "sector": "STRING"},
    "Product": {"id": "INT64", "name": "STRING", "model": "STRING",
                "category": "STRING", "units_exported": "INT64"},
    "Measure": {"id": "INT64", "name": "STRING", "kind": "STRING",
                "announced": "DATE", "severity": "INT64"},
}
# Relationship types: (from label, to label, properties).
RELS = {
    "PART_OF": ("Agency", "Country", {}),
    "LEADS": ("Official", "Agency", {}),
    "BASED_IN": ("Company", "Country", {}),
    "MAKES": ("Company", "Product", {}),
    "OWNS": ("Company", "Company", {}),
    "ISSUED": ("Agency", "Measure", {}),
    "TARGETS": ("Measure", "Product", {}),
    "EXPORTS_TO": ("Country", "Country", {"year": "INT64", "units": "INT64"}),
    "CRITICIZED": ("Official", "Company", {"date": "DATE"}),
}


# ------------------------------------------------------------------ data
def read_samples(data, rng):
    """Up to 200 sampled values per (label or type, property)."""
    samples = {}
    for table, props in list(NODES.items()) + [(t, p) for t, (_, _, p) in RELS.items()]:
        with open(os.path.join(data, f"{table}.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        picked = rng.sample(rows, min(200, len(rows)))
        for prop, ty in props.items():
            samples[(table, prop)] = [(r[prop], ty) for r in picked if r[prop] != ""]
    return samples


# ------------------------------------------------------------- generator
class Gen:
    def __init__(self, rng, samples):
        self.rng = rng
        self.samples = samples

    def literal(self, table, prop):
        value, ty = self.rng.choice(self.samples[(table, prop)])
        if ty == "INT64":
            return value
        if ty == "DATE":
            return f"date('{value}')"
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def props(self, table, types=None):
        all_props = NODES.get(table) or RELS[table][2]
        return [p for p, t in all_props.items() if types is None or t in types]

    def predicate(self, var, table):
        r = self.rng
        props = self.props(table)
        if not props:
            return None
        prop = r.choice(props)
        ty = (NODES.get(table) or RELS[table][2])[prop]
        x = f"{var}.{prop}"
        if not self.samples.get((table, prop)):
            return f"{x} IS NOT NULL"
        if ty == "STRING":
            value = r.choice(self.samples[(table, prop)])[0]
            kind = r.randrange(6)
            if kind == 0:
                return f"{x} = {self.literal(table, prop)}"
            if kind == 1:
                return f"{x} STARTS WITH '{value[:r.randint(1, 4)]}'"
            if kind == 2:
                return f"{x} ENDS WITH '{value[-r.randint(1, 3):]}'"
            if kind == 3:
                i = r.randrange(len(value))
                return f"{x} CONTAINS '{value[i:i + r.randint(1, 3)]}'"
            if kind == 4:
                items = ", ".join(self.literal(table, prop) for _ in range(r.randint(1, 4)))
                return f"{x} IN [{items}]"
            return f"{x} <> {self.literal(table, prop)}"
        op = r.choice(["=", "<>", "<", "<=", ">", ">="])
        if ty == "INT64" and r.random() < 0.25:
            items = ", ".join(self.literal(table, prop) for _ in range(r.randint(1, 4)))
            return f"{x} IN [{items}]"
        return f"{x} {op} {self.literal(table, prop)}"

    def where(self, bound):
        """A WHERE clause over the bound (variable, table) pairs, or ''."""
        r = self.rng
        terms = []
        for _ in range(r.choice([0, 0, 1, 1, 1, 2, 2, 3])):
            var, table = r.choice(bound)
            p = self.predicate(var, table)
            if p is None:
                continue
            if r.random() < 0.15:
                p = f"NOT ({p})"
            terms.append(p)
        if not terms:
            return ""
        text = terms[0]
        for t in terms[1:]:
            text = f"({text}) {r.choice(['AND', 'AND', 'OR'])} ({t})"
        return f" WHERE {text}"

    def pattern(self):
        """A MATCH pattern: one node or a chain of up to three hops along
        the schema. Returns (text, bound [(var, table)], node vars)."""
        r = self.rng
        label = r.choice(list(NODES))
        nodes = [("n0", label)]
        text = f"(n0:{label})"
        bound = [("n0", label)]
        hops = r.choice([0, 1, 1, 1, 2, 2])
        used = set()
        for i in range(hops):
            here = nodes[-1][1]
            # A type at most once per pattern: Ladybug does not keep the
            # relationships of one pattern distinct (docs/differential.md).
            options = [(t, a, b) for t, (a, b, _) in RELS.items()
                       if here in (a, b) and t not in used]
            if not options:
                break
            t, a, b = r.choice(options)
            used.add(t)
            outgoing = a == here if a != b else r.random() < 0.5
            other = b if outgoing else a
            var, rvar = f"n{i + 1}", f"r{i + 1}"
            if t == "OWNS" and r.random() < 0.3:
                # OWNS is a forest: walks and trails agree, so both engines
                # define variable length the same way there.
                length = f"*1..{r.randint(1, 3)}"
                rel = f"[:{t}{length}]"
                rvar = None
            else:
                rel = f"[{rvar}:{t}]"
            # Undirected only for one hop: an undirected variable-length
            # walk may go back over its relationship in Ladybug.
            undirected = a == b and rvar is not None and r.random() < 0.3
            left, right = ("-", "->") if outgoing else ("<-", "-")
            if undirected:
                left, right = "-", "-"
            far = f"({var}:{other})" if r.random() < 0.85 else f"({var})"
            text += f"{left}{rel}{right}{far}"
            nodes.append((var, other))
            bound.append((var, other))
            if rvar and RELS[t][2]:
                bound.append((rvar, t))
        return text, bound, nodes, hops

    def anchor(self, var, table):
        """A selective condition on one node: its id or name is one or a
        few sampled values (keeps two-hop answers small)."""
        prop = self.rng.choice(["id", "name"])
        items = ", ".join(self.literal(table, prop) for _ in range(self.rng.randint(1, 3)))
        return f"{var}.{prop} IN [{items}]"

    def value_expr(self, var, table):
        r = self.rng
        props = self.props(table)
        prop = r.choice(props)
        ty = (NODES.get(table) or RELS[table][2])[prop]
        x = f"{var}.{prop}"
        kind = r.randrange(8)
        if ty == "INT64" and kind == 0:
            return f"{x} + {r.randint(-5, 5)}"
        if ty == "INT64" and kind == 1:
            return f"{x} * {r.randint(-3, 3)}"
        if ty == "INT64" and kind == 2:
            return f"{x} % {r.randint(1, 9)}"
        if ty == "STRING" and kind == 0:
            return f"toUpper({x})"
        if ty == "STRING" and kind == 1:
            return f"size({x})"
        if ty == "STRING" and kind == 2:
            return f"{x} STARTS WITH '{r.choice('ABCDEFGHIJKLMNOPRSTUVWY')}'"
        return x

    def aggregate(self, bound):
        r = self.rng
        var, table = r.choice(bound)
        props = self.props(table)
        prop = r.choice(props)
        ty = (NODES.get(table) or RELS[table][2])[prop]
        x = f"{var}.{prop}"
        choices = ["count(*)", f"count({x})", f"count(DISTINCT {x})", f"min({x})", f"max({x})"]
        if ty == "INT64":
            choices += [f"sum({x})", f"avg({x})", f"sum(DISTINCT {x})"]
        return r.choice(choices)

    def query(self):
        r = self.rng
        text, bound, nodes, hops = self.pattern()
        # Ladybug miscounts a filter on a relationship property in a
        # two-hop pattern (docs/differential.md, peer bug 3): there, WHERE
        # reads nodes only.
        filterable = [b for b in bound if b[1] in NODES] if hops >= 2 else bound
        where = self.where(filterable)
        if hops >= 2:
            anchor = self.anchor(*nodes[0])
            where = f" WHERE {anchor}" + (f" AND ({where[7:]})" if where else "")
        q = f"MATCH {text}{where}"
        shape = r.randrange(10)
        if shape == 0 and len(nodes) >= 1:
            # OPTIONAL MATCH from the first node.
            var, label = nodes[0]
            options = [(t, a, b) for t, (a, b, _) in RELS.items() if a == label]
            if options:
                t, a, b = r.choice(options)
                q += f" OPTIONAL MATCH ({var})-[:{t}]->(o:{b})"
                return (q + f" RETURN {var}.name AS c0, count(o) AS c1, count(*) AS c2"
                        + self.order_limit(3, always=True))
        if shape == 1:
            # WITH, aggregate, filter on the aggregate.
            var, table = r.choice([b for b in bound if b[1] in NODES])
            agg = self.aggregate(bound)
            q += f" WITH {var}.name AS k, {agg} AS a WHERE a IS NOT NULL"
            if "count" in agg:
                q += f" AND a > {r.randint(0, 3)}"
            return q + " RETURN k AS c0, a AS c1" + self.order_limit(2, always=True)
        items = []
        keys = r.choice([0, 1, 1, 2]) if shape in (2, 3, 4, 5) else r.randint(1, 3)
        for _ in range(keys):
            var, table = r.choice(bound)
            items.append(self.value_expr(var, table))
        if shape in (2, 3, 4, 5):
            for _ in range(r.randint(1, 3)):
                items.append(self.aggregate(bound))
        distinct = " DISTINCT" if shape >= 6 and r.random() < 0.3 else ""
        ret = ", ".join(f"{e} AS c{i}" for i, e in enumerate(items))
        # Rows keyed by values are ordered and cut, to keep answers small.
        return q + f" RETURN{distinct} {ret}" + self.order_limit(len(items), always=keys > 0)

    def order_limit(self, width, always=False):
        """ORDER BY every column (so the order, and what LIMIT keeps, is
        fixed), sometimes with SKIP and LIMIT."""
        r = self.rng
        if not always and r.random() < 0.5:
            return ""
        keys = ", ".join(f"c{i}{r.choice(['', '', ' DESC'])}" for i in range(width))
        text = f" ORDER BY {keys}"
        if r.random() < 0.3:
            text += f" SKIP {r.randint(0, 5)}"
        if always or r.random() < 0.8:
            text += f" LIMIT {r.randint(1, 25)}"
        return text


# ------------------------------------------------------------ the engines
def ladybug_answers(data, queries):
    import ladybug
    db = ladybug.Database(":memory:")
    conn = ladybug.Connection(db)
    for label, props in NODES.items():
        cols = ", ".join(f"{p} {t}" + (" PRIMARY KEY" if p == "id" else "") for p, t in props.items())
        conn.execute(f"CREATE NODE TABLE {label}({cols})")
    for t, (a, b, props) in RELS.items():
        cols = "".join(f", {p} {ty}" for p, ty in props.items())
        conn.execute(f"CREATE REL TABLE {t}(FROM {a} TO {b}{cols})")
    for table in list(NODES) + list(RELS):
        conn.execute(f"COPY {table} FROM '{os.path.join(data, table + '.csv')}' (header=true)")
    out = []
    for q in queries:
        try:
            result = conn.execute(q)
            rows = []
            while result.has_next():
                rows.append(result.get_next())
            out.append({"rows": rows})
        except Exception as e:  # the engine's own error, kept as text
            out.append({"error": str(e).splitlines()[0]})
    return out


def kgq_answers(runner, data, queries, work):
    qpath = os.path.join(work, "queries.jsonl")
    apath = os.path.join(work, "kgq.jsonl")
    with open(qpath, "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q) + "\n")
    subprocess.run([runner, data, qpath, apath], check=True)
    with open(apath, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# -------------------------------------------------------- canonical form
def canon(v):
    """One comparable form for a value of either engine."""
    if v is None or isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return repr(v)
        return float(f"{v:.9g}")
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(f"{float(v):.9g}")
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, list):
        return [canon(x) for x in v]
    if isinstance(v, dict):
        if set(v) == {"$type", "value"}:
            return v["value"]
        return {k: canon(x) for k, x in sorted(v.items())}
    return repr(v)


def key(row):
    return json.dumps(row, sort_keys=True, default=str)


def same(a, b, ordered):
    ra = [[canon(x) for x in row] for row in a]
    rb = [[canon(x) for x in row] for row in b]
    if not ordered:
        ra, rb = sorted(ra, key=key), sorted(rb, key=key)
    return ra == rb


def sum_of_nothing(query, rows):
    """Ladybug answers null for `sum()` over no values, where openCypher
    says 0 (docs/differential.md, peer bug 2). Rewrites those cells in
    place, in the columns that are a `sum(...)`; every property of the
    benchmark graph is set, so a null sum can only be a sum of nothing.
    Returns whether a cell changed."""
    ret = query.rsplit(" RETURN ", 1)[-1]
    sums = [i for i, item in enumerate(ret.split(" AS c")[:-1]) if item.split(", ")[-1].startswith("sum(")]
    changed = False
    for row in rows:
        for i in sums:
            if i < len(row) and row[i] is None:
                row[i] = 0
                changed = True
    return changed


# ------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--kgq", required=True, help="the run_queries example binary")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--keep", help="write queries and both answers here")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    gen = Gen(rng, read_samples(args.data, rng))
    queries = [gen.query() for _ in range(args.queries)]

    work = args.keep or tempfile.mkdtemp(prefix="kgq-diff-")
    os.makedirs(work, exist_ok=True)
    ours = kgq_answers(args.kgq, args.data, queries, work)
    theirs = ladybug_answers(args.data, queries)
    if args.keep:
        with open(os.path.join(work, "ladybug.jsonl"), "w", encoding="utf-8") as f:
            for a in theirs:
                f.write(json.dumps(a, default=str) + "\n")

    agree, both_failed, problems, adjusted = 0, 0, [], 0
    for q, a, b in zip(queries, ours, theirs):
        if "rows" in b and sum_of_nothing(q, b["rows"]):
            adjusted += 1
        ordered = " ORDER BY " in q
        if "error" in a and "error" in b:
            both_failed += 1
        elif "error" in a or "error" in b:
            problems.append((q, a, b))
        elif same(a["rows"], b["rows"], ordered):
            agree += 1
        else:
            problems.append((q, a, b))
    for q, a, b in problems:
        print(f"DIFFERS: {q}")
        for name, ans in (("kgq", a), ("ladybug", b)):
            shown = ans.get("error") or json.dumps([[canon(x) for x in r] for r in ans["rows"][:6]], default=str)
            print(f"  {name}: {shown}")
    print(f"differential: {len(queries)} queries (seed {args.seed}): {agree} agree "
          f"({adjusted} after reading Ladybug's null sum of no values as 0), "
          f"{both_failed} fail on both, {len(problems)} differ")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
