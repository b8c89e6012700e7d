#!/usr/bin/env bash
# Runs the recipes of docs/scale-out.md once on this machine (not in CI):
# generates the benchmark graph at a scale (M by default), imports it into
# kgq, exports it to Parquet, then lets DuckDB, Ladybug and Spark (pyspark
# in local mode) read the export and compares their answers with kgq's
# (benches/scale_out.py). Everything goes to target/scale-out/.
#
#   benches/scale-out.sh [SCALE]         (KGQ_BUILD=debug for a debug build)
#
# Java: OpenJDK 17 from Debian's package, unpacked into target/scale-out/jdk
# (`apt-get download` + `dpkg -x`, no system change); the system's java is
# used when the package cannot be fetched. Python packages (pyspark, duckdb,
# pyarrow, ladybug) go into target/scale-out/venv.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-M}
bench=${KGQ_BENCH_DIR:-../shared/bench}
work=target/scale-out
mkdir -p "$work"

# --- Java from Debian's package, into target/
jdk="$PWD/$work/jdk"
if [ ! -x "$jdk/usr/lib/jvm/java-17-openjdk-amd64/bin/java" ]; then
  (cd "$work" && rm -f openjdk-17-jre-headless_*.deb &&
    apt-get download openjdk-17-jre-headless >/dev/null 2>&1 &&
    dpkg -x openjdk-17-jre-headless_*.deb "$jdk") ||
    echo "scale-out: could not unpack Debian's openjdk-17-jre-headless; using the system java" >&2
fi
if [ -x "$jdk/usr/lib/jvm/java-17-openjdk-amd64/bin/java" ]; then
  export JAVA_HOME="$jdk/usr/lib/jvm/java-17-openjdk-amd64"
  export PATH="$JAVA_HOME/bin:$PATH"
fi
java -version 2>&1 | head -1

# --- Python packages, into target/
venv="$work/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  pyspark==4.0.1 duckdb==2.0.1 pyarrow==26.0.1 ladybug==0.22.0

# --- the graph: generate, import into kgq, export to Parquet
# KGQ_BUILD=debug uses a debug build (quicker to build on a busy machine;
# kgq's own times are then slower than a release build's).
if [ "${KGQ_BUILD:-release}" = debug ]; then
  cargo build --quiet
  kgq=target/debug/kgq
else
  cargo build --release --quiet
  kgq=target/release/kgq
fi
data="$work/$scale"
[ -f "$data/params.json" ] || python3 "$bench/gen_kg.py" --scale "$scale" --out "$data"
"$kgq" import csv "$data" --out "$work/$scale.kgs"
rm -rf "$work/$scale-parquet"
start=$(date +%s.%N)
"$kgq" export parquet -g "$work/$scale.kgs" -o "$work/$scale-parquet"
end=$(date +%s.%N)
echo "kgq export parquet ($scale): $(echo "$end - $start" | bc) s;" \
  "snapshot $(du -b "$work/$scale.kgs" | cut -f1) bytes;" \
  "Parquet files $(cat "$work/$scale-parquet"/*.parquet | wc -c) bytes"

# --- the recipes (Spark's driver binds loopback only)
export SPARK_LOCAL_IP=127.0.0.1
"$venv/bin/python" benches/scale_out.py "$kgq" "$work/$scale.kgs" "$work/$scale-parquet" \
  "$data/params.json"
