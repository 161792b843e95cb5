#!/usr/bin/env bash
# Benchmarks:
#   bash tests/bench.sh enrollment [rows]
#   bash tests/bench.sh documents [uploads] [concurrency] [--s3]
#   bash tests/bench.sh access [reads]
#   bash tests/bench.sh messaging [sends] [concurrency]
# Starts a private PostgreSQL (and, with --s3, s3rver) on loopback, installing them if missing,
# runs the benchmark in Release, prints its figures (the last line is the summary), and stops
# what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/deploy/local-postgres.sh"
source "$root/deploy/local-s3.sh"
[ $# -ge 1 ] || { echo "usage: bash tests/bench.sh enrollment [rows] | documents [uploads] [concurrency] [--s3] | access [reads] | messaging [sends] [concurrency]" >&2; exit 2; }
cleanup() { mes_s3_stop; mes_pg_stop; }
trap cleanup EXIT
mes_pg_start "${MES_BENCH_PG_PORT:-55433}"
case " $* " in *" --s3 "*) mes_s3_start "${MES_BENCH_S3_PORT:-4579}" ;; esac
dotnet build "$root/tests/MonEspaceSante.Bench" -c Release -v quiet -nologo >&2
dotnet "$root/tests/MonEspaceSante.Bench/bin/Release/net10.0/MonEspaceSante.Bench.dll" "$@"
