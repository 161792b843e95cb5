#!/usr/bin/env bash
# Runs several silos behind nginx on 127.0.0.1, all on one PostgreSQL database, until
# interrupted (Ctrl-C or SIGTERM); on exit it stops every silo and nginx it started.
#   bash deploy/multi-silo.sh CONNECTION_STRING [SILOS]
# installing nginx from Debian packages when it is missing. Optional environment:
#   MES_PROXY_PORT           nginx's port                                       8080
#   MES_SILO_PORTS           the silos' ports, space-separated (sets the count)  5081 5082 ...
#   MES_DATA_DIR             the silos' shared folder: content, imports, mail, keys  ./data
#   MES_MASTER_KEY_FILE      the master key all silos share (created when missing)  $MES_DATA_DIR/master.key
#   MES_TEST_ISSUER_KEY_FILE the test issuer's key all silos share (Development)    $MES_DATA_DIR/test-issuer.pem
#   MES_SILO_DLL             a built silo; otherwise silo/ is built in Release
#   ASPNETCORE_ENVIRONMENT   Development (default here: the test issuer is on) or Production
# Any other setting reaches the silos as an environment variable (Jobs__Enabled=false, ...).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/deploy/local-postgres.sh"

connection=${1:?usage: deploy/multi-silo.sh CONNECTION_STRING [SILOS]}
if [ -n "${MES_SILO_PORTS:-}" ]; then
  read -r -a ports <<<"$MES_SILO_PORTS"
else
  ports=()
  for i in $(seq 1 "${2:-2}"); do ports+=($((5080 + i))); done
fi
[ ${#ports[@]} -ge 2 ] || { echo "multi-silo: at least two silos" >&2; exit 2; }
proxy_port=${MES_PROXY_PORT:-8080}
environment=${ASPNETCORE_ENVIRONMENT:-Development}
data=$(mkdir -p "${MES_DATA_DIR:-data}" && cd "${MES_DATA_DIR:-data}" && pwd)
master_key=${MES_MASTER_KEY_FILE:-$data/master.key}
issuer_key=${MES_TEST_ISSUER_KEY_FILE:-$data/test-issuer.pem}

nginx_bin() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }
nginx_bin >/dev/null || mes_apt_install nginx >&2 || exit 1
nginx=$(nginx_bin) || { echo "multi-silo: nginx not found" >&2; exit 1; }

dll=${MES_SILO_DLL:-}
if [ -z "$dll" ]; then
  dotnet build "$root/silo" -c Release -nologo -v quiet >&2
  dll=$(ls "$root"/silo/bin/Release/*/MonEspaceSante.Silo.dll | head -n 1)
fi

# One master key for every silo: each must open what another sealed (content keys, tickets).
if [ ! -f "$master_key" ]; then
  (umask 077 && head -c 32 /dev/urandom | base64 >"$master_key")
fi

run=$(mktemp -d /tmp/mes-multi-silo.XXXXXX)
pids=()
stop_all() {
  # Further signals (Ctrl-C reaches the whole process group; supervisors repeat TERM) must not cut the cleanup short.
  trap "" INT TERM
  trap - EXIT
  # `|| true`: a process that already exited must not stop the cleanup under `set -e`.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$run"
  echo "multi-silo: stopped" >&2
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# True when http://127.0.0.1:PORT/health answers 200 (bash's /dev/tcp: no curl needed).
http_ok() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && head -n 1 <&3 | grep -q ' 200 ') 2>/dev/null
}

wait_healthy() {
  local port=$1 what=$2 pid=$3
  for _ in $(seq 1 600); do
    http_ok "$port" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "multi-silo: $what exited" >&2; return 1; }
    sleep 0.1
  done
  echo "multi-silo: $what did not answer /health on 127.0.0.1:$port" >&2
  return 1
}

start_silo() {
  local n=$1 port=$2
  local settings=(
    "ASPNETCORE_ENVIRONMENT=$environment"
    "Storage__ConnectionString=$connection"
    # A shared folder: an enrolment file uploaded to one silo is imported by whichever claims the job.
    "Storage__DataPath=$data"
    "Keys__MasterKeyFile=$master_key"
    "Keys__CreateIfMissing=false"
    # Every silo on this machine takes a free port for silo-to-silo traffic and advertises it
    # in the membership table; a deployment across machines sets a fixed Orleans__SiloPort.
    "Orleans__SiloPort=0"
    # Stop within seconds even with event streams open (they never end by themselves).
    "HostOptions__ShutdownTimeout=00:00:05"
  )
  # Development only: the test issuer's tokens must be accepted by every silo. (The content root
  # below is the built silo's folder, where appsettings.Development.json turns the issuer on.)
  [ "$environment" = Development ] && settings+=("Professionals__TestIssuer__KeyFile=$issuer_key")
  env "${settings[@]}" dotnet "$dll" --contentRoot "$(dirname "$dll")" --urls "http://127.0.0.1:$port" > >(sed -u "s/^/[silo $n] /" >&2) 2>&1 &
  pids+=($!)
}

# The first silo alone, so it applies the migrations (the others would wait on its lock anyway).
start_silo 1 "${ports[0]}"
wait_healthy "${ports[0]}" "silo 1" "${pids[0]}"
for i in $(seq 2 ${#ports[@]}); do start_silo "$i" "${ports[$((i - 1))]}"; done
for i in $(seq 2 ${#ports[@]}); do wait_healthy "${ports[$((i - 1))]}" "silo $i" "${pids[$((i - 1))]}"; done

mkdir -p "$run/nginx/logs" "$run/nginx/temp"
upstreams=""
for port in "${ports[@]}"; do upstreams+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'; done
awk -v upstreams="$upstreams" -v listen="$proxy_port" \
  '{ gsub(/@LISTEN_PORT@/, listen) } /@UPSTREAM_SERVERS@/ { printf "%s", upstreams; next } { print }' \
  "$root/deploy/nginx/monespacesante.conf" >"$run/nginx/nginx.conf"
# Started as root, nginx's workers run as nobody: they must reach the temporary folders.
[ "$(id -u)" -eq 0 ] && chmod 0755 "$run" "$run/nginx"
"$nginx" -p "$run/nginx/" -c nginx.conf -e logs/error.log -t -q
"$nginx" -p "$run/nginx/" -c nginx.conf -e logs/error.log &
nginx_pid=$!
pids+=("$nginx_pid")
wait_healthy "$proxy_port" "nginx" "$nginx_pid"

echo "MonEspaceSante: ${#ports[@]} silos (ports ${ports[*]}) behind nginx at http://127.0.0.1:$proxy_port"
# Until interrupted or nginx exits. A silo that dies is left out by nginx, and its clients
# reconnect through nginx to another one: that is how a failover is tried by hand (kill -9).
wait "$nginx_pid" || true
echo "multi-silo: nginx exited" >&2
exit 1
