#!/usr/bin/env bash
# Benchmarks:
#   bash tests/bench.sh enrollment [rows]
#   bash tests/bench.sh documents [uploads] [concurrency] [--s3]
#   bash tests/bench.sh access [reads] [concurrency]
#   bash tests/bench.sh profile [reads]
#   bash tests/bench.sh messaging [sends] [concurrency]
#   bash tests/bench.sh realtime [clients] [events_per_s] [seconds]
#   bash tests/bench.sh grains [calls]
# Starts a private PostgreSQL (and, with --s3, s3rver) on loopback, installing them if missing,
# runs the benchmark in Release, prints its figures (the last line is the summary), and stops
# what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/deploy/local-postgres.sh"
source "$root/deploy/local-s3.sh"
[ $# -ge 1 ] || { echo "usage: bash tests/bench.sh enrollment [rows] | documents [uploads] [concurrency] [--s3] | access [reads] [concurrency] | profile [reads] | messaging [sends] [concurrency] | realtime [clients] [events_per_s] [seconds] | grains [calls]" >&2; exit 2; }
# The realtime benchmark holds one socket per client in each of its two processes.
if [ "$1" = realtime ]; then
  need=$(( ${2:-5000} + 4096 ))
  [ "$(ulimit -n)" -ge "$need" ] || ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
  [ "$(ulimit -n)" -ge "$need" ] || echo "warning: open files limited to $(ulimit -n), below the $need the clients need" >&2
fi
cleanup() { mes_s3_stop; mes_pg_stop; }
trap cleanup EXIT
mes_pg_start "${MES_BENCH_PG_PORT:-25433}"
case " $* " in *" --s3 "*) mes_s3_start "${MES_BENCH_S3_PORT:-4579}" ;; esac
dotnet build "$root/tests/MonEspaceSante.Bench" -c Release -v quiet -nologo >&2
dotnet "$root/tests/MonEspaceSante.Bench/bin/Release/net10.0/MonEspaceSante.Bench.dll" "$@"
