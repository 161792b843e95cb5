#!/usr/bin/env bash
# Benchmarks: bash tests/bench.sh enrollment [rows]
# Starts a private PostgreSQL on loopback (installing it if missing), runs the benchmark in
# Release, prints its figures (last line is the summary), and stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/deploy/local-postgres.sh"
[ $# -ge 1 ] || { echo "usage: bash tests/bench.sh enrollment [rows]" >&2; exit 2; }
mes_pg_start "${MES_BENCH_PG_PORT:-55433}"
trap mes_pg_stop EXIT
dotnet build "$root/tests/MonEspaceSante.Bench" -c Release -v quiet -nologo >&2
dotnet "$root/tests/MonEspaceSante.Bench/bin/Release/net10.0/MonEspaceSante.Bench.dll" "$@"
