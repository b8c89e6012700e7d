#!/usr/bin/env bash
# kgq's Python API side by side with Kùzu's and Ladybug's Python APIs, in
# one run (see benches/python_api.py for what is measured).
#
#   benches/python_api.sh S|M|L [--runs N]
#
# Sets up target/bench/.venv (kuzu 0.11.3, ladybug, pandas, pyarrow,
# maturin) and target/bench/<SCALE> (gen_kg.py) when missing, installs kgq
# into that venv with a release build, runs `kgq bench` (in-process Rust)
# for the overhead column, then writes target/bench/<SCALE>-python.json and
# prints a markdown table.
set -euo pipefail
SCALE=${1:?usage: $0 S|M|L [--runs N]}; shift
RUNS=5
[[ ${1:-} == --runs ]] && RUNS=${2:?}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_SRC=${KGQ_BENCH_DIR:-$ROOT/../shared/bench}
OUT=$ROOT/target/bench
VENV=$OUT/.venv
mkdir -p "$OUT"
if [[ ! -x $VENV/bin/python ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q kuzu==0.11.3 ladybug pandas pyarrow maturin==1.16.0
fi
[[ -f $OUT/$SCALE/manifest.json ]] || python3 "$BENCH_SRC/gen_kg.py" --scale "$SCALE" --out "$OUT/$SCALE"
(cd "$ROOT" && VIRTUAL_ENV=$VENV "$VENV/bin/maturin" develop --release --quiet)
RUST=()
if [[ ${KGQ_BENCH_RUST:-1} == 1 ]]; then
  # In-process Rust (`kgq bench`) for the last column; KGQ_BENCH_RUST=0
  # skips it (the engine time measured inside each Python call remains).
  (cd "$ROOT" && cargo build --release --quiet --bin kgq)
  "$ROOT/target/release/kgq" bench "$OUT/$SCALE" --runs "$RUNS" --json "$OUT/$SCALE-rust.json" > /dev/null
  RUST=(--rust-json "$OUT/$SCALE-rust.json")
fi
cd "$OUT"
# KGQ_PEER_PYTHON: another venv's python (with kuzu and ladybug) for the
# peers' queries, when this venv cannot import both.
"$VENV/bin/python" "$ROOT/benches/python_api.py" --data "$OUT/$SCALE" --runs "$RUNS" \
  --peer-python "${KGQ_PEER_PYTHON:-$VENV/bin/python}" \
  --bench-dir "$BENCH_SRC" "${RUST[@]}" --out "$OUT/$SCALE-python.json"
