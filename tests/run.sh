#!/usr/bin/env bash
# The test command: starts what the tests need on loopback (PostgreSQL; poppler-utils for
# reading generated PDFs), runs every test, and stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/deploy/local-postgres.sh"

mes_apt_install poppler-utils
mes_pg_start "${MES_TEST_PG_PORT:-55432}"
trap mes_pg_stop EXIT

cd "$root"
dotnet test MonEspaceSante.sln -c Release --logger "console;verbosity=normal" "$@"
