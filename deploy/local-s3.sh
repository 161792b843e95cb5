#!/usr/bin/env bash
# Starts (or stops) s3rver, an S3-compatible server, on 127.0.0.1 for tests and benchmarks,
# installing it from npm into .tools/ when missing (and Node.js from Debian when absent).
# Source it after local-postgres.sh (for mes_npm_tool), then call:
#   mes_s3_start [PORT]   -> exports MES_TEST_S3 (the endpoint URL; credentials S3RVER/S3RVER)
#   mes_s3_stop

mes_s3_start() {
  local port=${1:-4569} s3rver
  s3rver=$(mes_npm_tool s3rver@3.7.1 s3rver) || return 1
  MES_S3_DIR=$(mktemp -d /tmp/mes-s3.XXXXXX)
  "$s3rver" -d "$MES_S3_DIR" -a 127.0.0.1 -p "$port" --silent >"$MES_S3_DIR.log" 2>&1 &
  MES_S3_PID=$!
  export MES_S3_DIR MES_S3_PID
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      export MES_TEST_S3="http://127.0.0.1:$port"
      echo "s3rver started on 127.0.0.1:$port" >&2
      return 0
    fi
    sleep 0.1
  done
  echo "s3rver did not start: $(cat "$MES_S3_DIR.log")" >&2
  return 1
}

mes_s3_stop() {
  # `|| true`: the killed server's status (143) must not fail a caller running under `set -e`.
  if [ -n "${MES_S3_PID:-}" ]; then kill "$MES_S3_PID" 2>/dev/null || true; wait "$MES_S3_PID" 2>/dev/null || true; fi
  if [ -n "${MES_S3_DIR:-}" ]; then rm -rf "$MES_S3_DIR" "$MES_S3_DIR.log"; fi
  unset MES_S3_PID MES_S3_DIR
  return 0
}
