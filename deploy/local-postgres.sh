#!/usr/bin/env bash
# Starts (or stops) a private PostgreSQL cluster on 127.0.0.1 for tests and benchmarks,
# installing the Debian package when it is missing. Source it, then call:
#   mes_pg_start [PORT]   -> exports MES_TEST_PG (an admin connection string)
#   mes_pg_stop
# PostgreSQL refuses to run as root, so as root the cluster runs as the 'postgres' user.

mes_apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${missing[*]} (install them as root)" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || apt-get update -qq
  for attempt in 1 2 3; do
    apt-get install -y -qq "${missing[@]}" >/dev/null && return 0
    echo "apt-get install failed (attempt $attempt); retrying" >&2
    apt-get install -f -y -qq >/dev/null || true
    sleep 3
  done
  return 1
}

# Installs an npm package into the project's .tools/ folder when its binary is missing (and
# Node.js from Debian when absent); prints the binary's path. Usage: mes_npm_tool PKG@VERSION BIN
mes_npm_tool() {
  local spec=$1 bin=$2 tools
  tools="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools"
  if ! command -v npm >/dev/null 2>&1; then
    mes_apt_install nodejs npm >&2 || return 1
  fi
  if [ ! -x "$tools/node_modules/.bin/$bin" ]; then
    mkdir -p "$tools"
    for attempt in 1 2 3; do
      npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "$spec" >&2 && break
      echo "npm install $spec failed (attempt $attempt); retrying" >&2
      sleep 3
    done
    [ -x "$tools/node_modules/.bin/$bin" ] || { echo "could not install $spec" >&2; return 1; }
  fi
  echo "$tools/node_modules/.bin/$bin"
}

mes_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && echo "$dir"
}

mes_as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

mes_pg_start() {
  local port=${1:-25432}
  mes_apt_install postgresql >&2 || return 1
  local bin; bin=$(mes_pg_bin) || { echo "PostgreSQL binaries not found" >&2; return 1; }
  MES_PG_DIR=$(mktemp -d /tmp/mes-pg.XXXXXX)
  export MES_PG_DIR MES_PG_BIN="$bin"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$MES_PG_DIR"
  mes_as_pg "$bin/initdb" -D "$MES_PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Tuned for a throwaway test cluster: durability is not needed, speed is.
  mes_as_pg "$bin/pg_ctl" -D "$MES_PG_DIR/data" -l "$MES_PG_DIR/log" -w -t 60 \
    -o "-p $port -k $MES_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB" start >/dev/null || {
    echo "PostgreSQL did not start on 127.0.0.1:$port; its log:" >&2
    tail -n 20 "$MES_PG_DIR/log" >&2 || true
    return 1
  }
  export MES_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
  echo "PostgreSQL $(basename "$(dirname "$bin")") started on 127.0.0.1:$port" >&2
}

mes_pg_stop() {
  [ -n "${MES_PG_DIR:-}" ] && [ -d "$MES_PG_DIR" ] || return 0
  mes_as_pg "$MES_PG_BIN/pg_ctl" -D "$MES_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$MES_PG_DIR"
  unset MES_PG_DIR
}
