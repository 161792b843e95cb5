#!/usr/bin/env bash
# Starts (or stops) maildev, an SMTP server that keeps what it receives and shows it through a
# REST API, on 127.0.0.1 for tests, installing it from npm into .tools/ when missing.
# Source it after local-postgres.sh (for mes_npm_tool), then call:
#   mes_smtp_start [SMTP_PORT] [WEB_PORT] -> exports MES_TEST_SMTP (host:port) and MES_TEST_MAILDEV (its web URL; the API is under /api)
#   mes_smtp_stop

mes_smtp_start() {
  local smtp=${1:-1025} web=${2:-1080} maildev
  maildev=$(mes_npm_tool maildev@3.0.0 maildev) || return 1
  MES_SMTP_DIR=$(mktemp -d /tmp/mes-smtp.XXXXXX)
  MES_SMTP_LOG="$MES_SMTP_DIR.log"
  "$maildev" --ip 127.0.0.1 --smtp "$smtp" --web-ip 127.0.0.1 --web "$web" \
    --mail-directory "$MES_SMTP_DIR" >"$MES_SMTP_LOG" 2>&1 &
  MES_SMTP_PID=$!
  export MES_SMTP_PID MES_SMTP_LOG MES_SMTP_DIR
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$web") 2>/dev/null; then
      export MES_TEST_SMTP="127.0.0.1:$smtp" MES_TEST_MAILDEV="http://127.0.0.1:$web"
      echo "maildev started on 127.0.0.1:$smtp (API on $web)" >&2
      return 0
    fi
    sleep 0.1
  done
  echo "maildev did not start: $(cat "$MES_SMTP_LOG")" >&2
  return 1
}

mes_smtp_stop() {
  if [ -n "${MES_SMTP_PID:-}" ]; then kill "$MES_SMTP_PID" 2>/dev/null || true; wait "$MES_SMTP_PID" 2>/dev/null || true; fi
  if [ -n "${MES_SMTP_DIR:-}" ]; then rm -rf "$MES_SMTP_DIR" "$MES_SMTP_LOG"; fi
  unset MES_SMTP_PID MES_SMTP_LOG MES_SMTP_DIR
  return 0
}
