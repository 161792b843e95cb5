#!/usr/bin/env bash
# The test command: starts what the tests need on loopback (PostgreSQL; s3rver for the S3
# content store; poppler-utils for reading generated PDFs; nginx for the proxy tests), runs every test, and stops what
# it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/deploy/local-postgres.sh"
source "$root/deploy/local-s3.sh"

mes_apt_install poppler-utils nginx
cleanup() { mes_s3_stop; mes_pg_stop; }
trap cleanup EXIT
mes_pg_start "${MES_TEST_PG_PORT:-55432}"
mes_s3_start "${MES_TEST_S3_PORT:-4569}"

cd "$root"
dotnet test MonEspaceSante.sln -c Release --logger "console;verbosity=normal" "$@"
