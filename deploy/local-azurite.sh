#!/usr/bin/env bash
# Starts (or stops) Azurite's blob service, the Azure Storage emulator, on 127.0.0.1 for tests
# and benchmarks, installing it from npm into .tools/ when missing (and Node.js from Debian
# when absent). Source it after local-postgres.sh (for mes_npm_tool), then call:
#   mes_azurite_start [PORT] -> exports MES_TEST_AZURITE (a connection string for its well-known dev account)
#   mes_azurite_stop
# --skipApiVersionCheck: Azure.Storage.Blobs sends a newer x-ms-version than Azurite lists as
# supported; the blob calls the content store makes have not changed between those versions.
# --loose: Azurite otherwise refuses headers it does not implement instead of ignoring them.

mes_azurite_start() {
  local port=${1:-10000} azurite
  azurite=$(mes_npm_tool azurite@3.37.0 azurite-blob) || return 1
  MES_AZURITE_DIR=$(mktemp -d /tmp/mes-azurite.XXXXXX)
  "$azurite" --blobHost 127.0.0.1 --blobPort "$port" --location "$MES_AZURITE_DIR" \
    --skipApiVersionCheck --loose --silent >"$MES_AZURITE_DIR.log" 2>&1 &
  MES_AZURITE_PID=$!
  export MES_AZURITE_DIR MES_AZURITE_PID
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      # Azurite's fixed development account (public, documented by Microsoft; not a secret).
      export MES_TEST_AZURITE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$port/devstoreaccount1;"
      echo "azurite (blob) started on 127.0.0.1:$port" >&2
      return 0
    fi
    sleep 0.1
  done
  echo "azurite did not start: $(cat "$MES_AZURITE_DIR.log")" >&2
  return 1
}

mes_azurite_stop() {
  # `|| true`: the killed server's status (143) must not fail a caller running under `set -e`.
  if [ -n "${MES_AZURITE_PID:-}" ]; then kill "$MES_AZURITE_PID" 2>/dev/null || true; wait "$MES_AZURITE_PID" 2>/dev/null || true; fi
  if [ -n "${MES_AZURITE_DIR:-}" ]; then rm -rf "$MES_AZURITE_DIR" "$MES_AZURITE_DIR.log"; fi
  unset MES_AZURITE_PID MES_AZURITE_DIR
  return 0
}
