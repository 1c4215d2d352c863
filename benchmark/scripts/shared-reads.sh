#!/usr/bin/env bash
# How many store reads a burst of session evictions costs while one token is validated under load
# (README "Performance": calls that miss the same session at once share one read).
#
#   benchmark/scripts/shared-reads.sh [h2|postgresql] [server jar]
#
# Starts the server jar (default: server/target/sessiond-server.jar, built by bin/benchmark or
# ./mvnw package) on a fresh H2 data directory or a fresh PostgreSQL database, opens a session for
# a user, restarts the server, warms it up validating that session with h2load (4 connections, 16
# calls in flight each), then validates it for ~15 s more while the user is changed 10 times
# (UpdateUser, 0.3 s apart: each change evicts the user's sessions). Prints the server's
# sessiond_session_cache_reads_total before and after that. Needs h2load, jq, curl, and psql for
# PostgreSQL (SESSIOND_TEST_POSTGRES_URL's host and port are not read: 127.0.0.1:5432, user postgres).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bin/jdk.sh
sessiond_pick_jdk

store="${1:-h2}"
jar="$(realpath "${2:-server/target/sessiond-server.jar}")"
port="${SHARED_READS_PORT:-50997}"
metrics_port="${SHARED_READS_METRICS_PORT:-50996}"
work="$(mktemp -d)"
database=sessiond_shared_reads
url="http://127.0.0.1:$port"
bin/install-buf >/dev/null
buf="$PWD/.tools/node_modules/.bin/buf"
pid=""

env_settings=(SESSIOND_GRPC_PORT="$port" SESSIOND_METRICS_PORT="$metrics_port" SESSIOND_DATA_DIR="$work/data"
  SESSIOND_ADMIN_PASSWORD=shared-reads-admin)
if [ "$store" = postgresql ]; then
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database" postgres
  env_settings+=(SESSIOND_DB_URL="jdbc:postgresql://127.0.0.1:5432/$database" SESSIOND_DB_USER=postgres)
fi

start() {
  env "${env_settings[@]}" "$JAVA_HOME/bin/java" -Xms64m -Xmx320m -jar "$jar" >>"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$metrics_port/readyz" >/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "the server did not become ready; its log:" >&2
  cat "$work/server.log" >&2
  return 1
}
stop() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}
finish() {
  stop
  rm -rf "$work"
  if [ "$store" = postgresql ]; then
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $database" postgres || true
  fi
}
trap finish EXIT
rpc() { "$buf" curl --protocol grpc --http2-prior-knowledge "$@"; }
reads() { curl -s "http://127.0.0.1:$metrics_port/metrics" | grep '^sessiond_session_cache_reads_total' | tr '\n' ' '; echo; }

start
admin=$(rpc -d '{"login":"admin","password":"shared-reads-admin","application_id":"cli"}' \
  "$url/sessiond.v1.SessionClientService/OpenSession" | jq -r .token)
alice_id=$(rpc -H "authorization: Bearer $admin" -d '{"login":"alice","password":"correct horse","display_name":"Alice"}' \
  "$url/sessiond.v1.UserAdminService/CreateUser" | jq -r .user.id)
alice=$(rpc -d '{"login":"alice","password":"correct horse","application_id":"web-client"}' \
  "$url/sessiond.v1.SessionClientService/OpenSession" | jq -r .token)
# The gRPC frame of ValidateAndGetSessionRequest{token: alice}: a 5-byte prefix, then field 1.
python3 - "$alice" >"$work/body.bin" <<'PY'
import sys
token = sys.argv[1].encode()
def varint(n):
    out = b""
    while True:
        low, n = n & 0x7F, n >> 7
        if not n:
            return out + bytes([low])
        out += bytes([low | 0x80])
message = b"\x0a" + varint(len(token)) + token
sys.stdout.buffer.write(b"\x00" + len(message).to_bytes(4, "big") + message)
PY
stop
start

validate() {
  h2load -c 4 -m 16 -n "$1" -d "$work/body.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
    -H "authorization: Bearer $admin" "$url/sessiond.v1.SessionServerService/ValidateAndGetSession"
}
validate 200000 | grep -E '^(finished|requests)'
echo "after the warm-up: $(reads)"
validate 900000 >"$work/h2load.out" &
load=$!
sleep 1
for i in $(seq 1 10); do
  rpc -H "authorization: Bearer $admin" \
    -d "{\"user\":{\"id\":\"$alice_id\",\"display_name\":\"Alice $i\"},\"update_mask\":\"displayName\"}" \
    "$url/sessiond.v1.UserAdminService/UpdateUser" >/dev/null
  sleep 0.3
done
wait "$load"
grep -E '^(finished|requests)' "$work/h2load.out"
echo "after 10 changes of the user under load: $(reads)"
