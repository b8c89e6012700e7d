#!/usr/bin/env bash
# Side by side: kgq's in-process harness and the Kùzu and Ladybug peers on
# one scale, in one run, then a table of medians and ratios (kgq / best peer).
#
#   benches/side-by-side.sh S|M|L [--runs N] [--queries Q1,Q2]
#
# Generates target/bench/<SCALE> with ../shared/bench/gen_kg.py when it is
# missing, creates target/bench/.venv (kuzu==0.11.3, ladybug) when it is
# missing, then writes target/bench/<SCALE>-peers.json, <SCALE>-kgq.json and
# <SCALE>-side-by-side.md. Safe to re-run.
set -euo pipefail

usage() { echo "usage: $0 S|M|L [--runs N] [--queries Q1,Q2]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
SCALE=$1; shift
[[ $SCALE =~ ^(S|M|L)$ ]] || usage
RUNS=5
QUERIES=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) RUNS=${2:?}; shift 2 ;;
    --queries) QUERIES=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_SRC=${KGQ_BENCH_DIR:-$ROOT/../shared/bench}
OUT=$ROOT/target/bench
DATA=$OUT/$SCALE
VENV=$OUT/.venv
mkdir -p "$OUT"
[[ -f $BENCH_SRC/gen_kg.py ]] || { echo "no gen_kg.py in $BENCH_SRC (set KGQ_BENCH_DIR)" >&2; exit 1; }

if [[ ! -f $DATA/manifest.json ]]; then
  echo "== generating scale $SCALE into $DATA" >&2
  rm -rf "$DATA.tmp"
  python3 "$BENCH_SRC/gen_kg.py" --scale "$SCALE" --out "$DATA.tmp" >&2
  rm -rf "$DATA" && mv "$DATA.tmp" "$DATA"
fi

# Kùzu and Ladybug cannot be imported into one process; check each alone.
if ! "$VENV/bin/python" -c 'import kuzu' 2>/dev/null \
   || ! "$VENV/bin/python" -c 'import ladybug' 2>/dev/null; then
  echo "== creating $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q kuzu==0.11.3 ladybug==0.22.0
fi

QARGS=()
[[ -n $QUERIES ]] && QARGS=(--queries "$QUERIES")

echo "== building kgq (release)" >&2
(cd "$ROOT" && cargo build --release --quiet)

echo "== Kùzu and Ladybug" >&2
"$VENV/bin/python" "$BENCH_SRC/peer_kuzu.py" --data "$DATA" --runs "$RUNS" \
  --peers kuzu,ladybug "${QARGS[@]}" --out "$OUT/$SCALE-peers.json" >&2

echo "== kgq" >&2
"$ROOT/target/release/kgq" bench "$DATA" --runs "$RUNS" "${QARGS[@]}" \
  --json "$OUT/$SCALE-kgq.json" >&2

python3 "$ROOT/benches/merge.py" "$OUT/$SCALE-peers.json" "$OUT/$SCALE-kgq.json" \
  | tee "$OUT/$SCALE-side-by-side.md"
