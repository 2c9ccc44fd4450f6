#!/usr/bin/env bash
# Benchmarks (b) and (d) of docs/performance.md: alerts_v2 list throughput and p99 latency at
# $top=50 over 1,000,000 demo alerts for two filters, next to a bare axum route serving the same
# bytes with the same headers in the same run, and the server's resident memory.
#
# Usage: bench/http.sh            (from anywhere; run from a quiet machine, it uses both cores)
# Environment:
#   SECGRAPH_BENCH_DIR    where the generated data directory is cached (default ~/.cache/secgraph/bench)
#   SECGRAPH_BENCH_COUNT  demo alerts (default 1000000)
#   SECGRAPH_BENCH_SECS   seconds per wrk run (default 15)
#   SECGRAPH_BENCH_POSTGRES  a PostgreSQL server URL (e.g. postgres://postgres@127.0.0.1:5432/test):
#                         measure the PostgreSQL backend; the data lives in a schema of that
#                         database named after the fingerprint, reused like the data directory
# The data directory is reused while the store schema and encoding, the model, the demo generator,
# the count and the anchor are unchanged (a fingerprint of their sources names it); otherwise it is rebuilt with
# `secgraph serve --demo`, which is the one ingest path.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
RELEASE="${CARGO_TARGET_DIR:-$ROOT/target}/release"
COUNT=${SECGRAPH_BENCH_COUNT:-1000000}
SECS=${SECGRAPH_BENCH_SECS:-15}
ANCHOR=2026-11-01
SINCE=2026-10-25T00:00:00Z # the anchor minus 7 days
CACHE=${SECGRAPH_BENCH_DIR:-$HOME/.cache/secgraph/bench}
WRK_ARGS=(-t1 -c16 "-d${SECS}s" --latency)
WORK=$(mktemp -d)
PIDS=()

die() { echo "bench/http.sh: $*" >&2; exit 1; }

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need_wrk() {
  command -v wrk >/dev/null && return
  echo "installing wrk with apt-get" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk >/dev/null || die "cannot install wrk"
  command -v wrk >/dev/null || die "wrk is still missing"
}

# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"

wait_healthy() {
  local base=$1 tries=0
  until curl -sf "$base/healthz" >/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || die "$base/healthz did not answer"
    sleep 0.1
  done
}

# VmRSS and VmHWM of PID, in MiB.
rss_of() {
  awk '/^VmRSS:/ {r=$2} /^VmHWM:/ {h=$2} END {printf "%.0f %.0f", r/1024, h/1024}' "/proc/$1/status"
}

fingerprint() {
  {
    echo "$COUNT $ANCHOR"
    cat crates/store/src/schema.rs crates/store/src/encode.rs crates/store/src/migrations.rs
    find crates/demo/src crates/model/src -name '*.rs' -print0 | sort -z | xargs -0 cat
  } | sha256sum | cut -c1-16
}

PG_SERVER=${SECGRAPH_BENCH_POSTGRES:-}
DB_ARGS=()
BACKEND=SQLite

psql_server() { psql "$PG_SERVER" -v ON_ERROR_STOP=1 -qAtc "$1"; }

# Makes sure the cached data directory (and, on PostgreSQL, its schema) exists; sets DATA_DIR to its
# path and DB_ARGS to the --database flag, if any.
DATA_DIR=""
prepare_data_dir() {
  local fp dir schema
  fp=$(fingerprint)
  dir="$CACHE/alerts-$COUNT-$fp"
  if [ -n "$PG_SERVER" ]; then
    command -v psql >/dev/null || die "psql is needed with SECGRAPH_BENCH_POSTGRES"
    schema="bench_${COUNT}_$fp"
    dir="$CACHE/pg-alerts-$COUNT-$fp"
    local sep='?'
    [[ "$PG_SERVER" == *"?"* ]] && sep='&'
    DB_ARGS=(--database "$PG_SERVER${sep}options=-c%20search_path%3D$schema")
    BACKEND=PostgreSQL
    if [ -f "$dir/complete" ] && [ "$(psql_server "SELECT count(*) FROM pg_namespace WHERE nspname = '$schema'")" = 1 ]; then
      DATA_DIR=$dir
      return
    fi
    psql_server "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
  fi
  DATA_DIR=$dir
  if [ -f "$dir/complete" ]; then
    return
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "loading $COUNT demo alerts into $dir (once; cached for later runs)" >&2
  local log="$dir/load.log" started pid line rss
  started=$(date +%s.%N)
  "$RELEASE/secgraph" serve --demo --demo-count "$COUNT" --demo-anchor "$ANCHOR" \
    --data-dir "$dir" "${DB_ARGS[@]}" --listen 127.0.0.1:0 >"$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  line=$(wait_for_line "$log" '^demo tenant .* loaded' "$pid" 7200)
  rss=$(rss_of "$pid")
  echo "$line" >&2
  awk -v s="$started" -v e="$(date +%s.%N)" -v n="$COUNT" -v r="$rss" 'BEGIN {
    split(r, m, " ");
    printf "load: %d alerts in %.0f s (%.0f alerts/s, generation included); loading server VmRSS %s MiB, VmHWM %s MiB\n", n, e - s, n / (e - s), m[1], m[2] }' \
    | tee "$dir/load.txt" >&2
  kill "$pid"
  wait "$pid" || true
  touch "$dir/complete"
}

# Runs wrk on URL (extra args after it); prints "req/s p99_ms".
run_wrk() {
  local url=$1 out
  shift
  out=$(wrk "${WRK_ARGS[@]}" "$@" "$url") || die "wrk failed on $url"
  echo "$out" >>"$WORK/wrk.log"
  grep -q "Non-2xx" <<<"$out" && die "non-2xx answers from $url"
  awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" {
      v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v);
      p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
    END { printf "%.0f %.2f", rps, p99 }' <<<"$out"
}

# Fetches URL into FILE (headers into FILE.headers) and checks it is a 200 page of 50 alerts.
fetch_page() {
  local url=$1 file=$2
  curl -sf -H "Authorization: Bearer $TOKEN" -D "$file.headers" -o "$file" "$url" || die "GET $url failed"
  python3 - "$file" <<'PY' || die "unexpected answer from $url"
import json, sys
page = json.load(open(sys.argv[1]))
assert len(page["value"]) == 50, len(page["value"])
PY
}

# Requests run as the demo app: a client-credentials token from the token endpoint, sent on every
# request (so the figures include token authentication, a cache hit after the first request).
# Also writes the token request as a wrk script for the issuance benchmark. Sets TOKEN.
TOKEN=""
get_token() {
  local dir=$1 base=$2 form
  form=$(python3 - "$dir/demo-credentials.json" <<'PY'
import json, sys, urllib.parse
c = json.load(open(sys.argv[1]))
print(urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": c["clientId"],
    "client_secret": c["clientSecret"], "scope": "https://graph.microsoft.com/.default"}))
print(c["tenantId"])
PY
) || die "cannot read $dir/demo-credentials.json"
  TENANT=$(sed -n 2p <<<"$form")
  form=$(sed -n 1p <<<"$form")
  TOKEN=$(curl -sf -X POST --data "$form" "$base/$TENANT/oauth2/v2.0/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])') || die "no token"
  printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' \
    "$form" >"$WORK/token.lua"
  WRK_ARGS+=(-H "Authorization: Bearer $TOKEN")
}

main() {
  need_wrk
  echo "building (release)" >&2
  cargo build --release -q -p secgraph -p bench || die "build failed"
  local dir log pid base
  prepare_data_dir
  dir=$DATA_DIR
  log="$WORK/serve.log"
  "$RELEASE/secgraph" serve --data-dir "$dir" "${DB_ARGS[@]}" --listen 127.0.0.1:0 >"$log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  base=$(wait_for_line "$log" '^secgraph listening on' "$pid" 120 | awk '{print $4}')
  wait_healthy "$base"
  get_token "$dir" "$base"

  local f1="$base/v1.0/security/alerts_v2?\$filter=severity%20eq%20%27high%27%20and%20status%20ne%20%27resolved%27&\$orderby=createdDateTime%20desc&\$top=50"
  local f2="$base/v1.0/security/alerts_v2?\$filter=evidence%2Fany(e%3A%20e%2FremediationStatus%20eq%20%27notFound%27)%20and%20createdDateTime%20ge%20${SINCE//:/%3A}&\$top=50"
  fetch_page "$f1" "$WORK/f1.json"
  fetch_page "$f2" "$WORK/f2.json"

  # The bare route serves the first filter's exact bytes and headers.
  local headers=() h bare_log bare_pid bare
  while IFS= read -r h; do
    h=${h%$'\r'}
    case "$h" in HTTP/* | "") ;; *) headers+=(--header "$h") ;; esac
  done <"$WORK/f1.json.headers"
  bare_log="$WORK/bare.log"
  "$RELEASE/bare-route" --body "$WORK/f1.json" "${headers[@]}" --listen 127.0.0.1:0 >"$bare_log" 2>&1 &
  bare_pid=$!
  PIDS+=("$bare_pid")
  bare="http://$(wait_for_line "$bare_log" '^listening on' "$bare_pid" 30 | awk '{print $3}')/v1.0/security/alerts_v2"
  cmp -s <(curl -sf "$bare") "$WORK/f1.json" || die "the bare route does not serve the same bytes"

  echo "warming up" >&2
  for url in "$f1" "$f2" "$bare"; do
    wrk -t1 -c16 -d3s -H "Authorization: Bearer $TOKEN" "$url" >/dev/null
  done

  echo "measuring: wrk -t1 -c16 -d${SECS}s --latency, with the demo app's bearer token" >&2
  local r_bare r_f1 r_f2 r_f1p
  r_bare=$(run_wrk "$bare")
  r_f1=$(run_wrk "$f1")
  r_f2=$(run_wrk "$f2")
  r_f1p=$(run_wrk "$f1" -H "Prefer: include-unknown-enum-members")
  local rss
  rss=$(rss_of "$pid")
  local r_tok
  r_tok=$(run_wrk "$base/$TENANT/oauth2/v2.0/token" -s "$WORK/token.lua")
  report "$r_bare" "$r_f1" "$r_f2" "$r_f1p" "$rss" "$(wc -c <"$WORK/f1.json")" "$dir"
  read -r tok_rps tok_p99 <<<"$r_tok"
  echo "token endpoint, client credentials (RS256, store lookup per request): $tok_rps tokens/s, p99 $tok_p99 ms (target >= 2,000 tokens/s)"
}

report() {
  local bare=$1 f1=$2 f2=$3 f1p=$4 rss=$5 bytes=$6 dir=$7
  echo
  echo "alerts_v2 list on $BACKEND, \$top=50, $COUNT demo alerts (anchor $ANCHOR), wrk -t1 -c16 -d${SECS}s with a bearer token, $(nproc) cores"
  [ -f "$dir/load.txt" ] && cat "$dir/load.txt"
  awk -v bare="$bare" -v f1="$f1" -v f2="$f2" -v f1p="$f1p" -v bytes="$bytes" '
    function row(name, v, target,   a) {
      split(v, a, " ");
      printf "%-58s %9d %9.2f %8.0f%%   %s\n", name, a[1], a[2], 100 * a[1] / b[1], target }
    BEGIN {
      split(bare, b, " ");
      printf "%-58s %9s %9s %9s   %s\n", "route", "req/s", "p99 ms", "of bare", "target";
      row("bare axum route, same bytes (" bytes " B) and headers", bare, "");
      row("severity eq high and status ne resolved, orderby created", f1, ">= 50% of bare, p99 < 50 ms");
      row("evidence/any(remediationStatus eq notFound), created ge", f2, "p99 < 50 ms");
      row("first filter + Prefer: include-unknown-enum-members", f1p, "(diagnostic)");
    }'
  read -r vmrss vmhwm <<<"$rss"
  echo "server (serving $COUNT alerts, after the runs): VmRSS $vmrss MiB, VmHWM $vmhwm MiB (target < 200 MB)"
  if [ -n "$PG_SERVER" ]; then
    echo "(on PostgreSQL the server process holds no data: the database server's memory is not counted)"
  fi
}

main "$@"
