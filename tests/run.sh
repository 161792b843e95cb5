#!/usr/bin/env bash
# The test command: starts what the tests need on loopback (PostgreSQL; s3rver and Azurite for
# the S3 and Azure Blob content stores; maildev, a real SMTP server, for e-mail delivery;
# poppler-utils for reading generated PDFs; nginx for the proxy tests), runs every test, and
# stops what it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/deploy/local-postgres.sh"
source "$root/deploy/local-s3.sh"
source "$root/deploy/local-azurite.sh"
source "$root/deploy/local-smtp.sh"

mes_apt_install poppler-utils nginx
cleanup() { mes_smtp_stop; mes_azurite_stop; mes_s3_stop; mes_pg_stop; }
trap cleanup EXIT
# Ports below the kernel's ephemeral range (32768-60999): a port in it can be held at that
# moment by some connection's source port (a benchmark's thousands of sockets in TIME_WAIT).
mes_pg_start "${MES_TEST_PG_PORT:-25432}"
mes_s3_start "${MES_TEST_S3_PORT:-4569}"
mes_azurite_start "${MES_TEST_AZURITE_PORT:-10000}"
mes_smtp_start "${MES_TEST_SMTP_PORT:-2525}" "${MES_TEST_MAILDEV_PORT:-1080}"

cd "$root"
dotnet test MonEspaceSante.sln -c Release --logger "console;verbosity=normal" "$@"
