#!/usr/bin/env bash
# Measures what docs/performance.md records besides the Go benchmarks: binary size, start-up
# time of `ladder serve --demo` on a fresh SQLite database (until /readyz answers) and on an
# existing one, and idle RSS. Usage: bash scripts/perf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -trimpath -ldflags "-s -w" -o "$tmp/ladder" ./cmd/ladder
go build -o "$tmp/ladder-debug" ./cmd/ladder
echo "binary size: $(du -h "$tmp/ladder" | cut -f1) stripped, $(du -h "$tmp/ladder-debug" | cut -f1) with symbols"

start_once() { # $1 = label, $2… = extra flags
  local t0 t1 pid label=$1
  shift
  t0=$(date +%s%N)
  "$tmp/ladder" serve "$@" --addr 127.0.0.1:18089 --data-dir "$tmp/data" --admin-password perf-admin-password >"$tmp/out.log" 2>&1 &
  pid=$!
  until curl -fs http://127.0.0.1:18089/readyz >/dev/null 2>&1; do sleep 0.01; done
  t1=$(date +%s%N)
  echo "start-up ($label): $(( (t1 - t0) / 1000000 )) ms until /readyz"
  sleep 3
  echo "idle RSS ($label): $(awk '/VmRSS/ {print $2 " " $3}' /proc/$pid/status)"
  kill -TERM $pid; wait $pid || true
}
start_once "serve --demo, fresh database: migrations, admin, demo data" --demo
start_once "serve --demo, existing database" --demo
start_once "serve, existing database"

# The sales core at a million contacts (docs/performance.md, "sales core"): PERF_LARGE=1 runs
# `ladder bench`, which generates the database once into ./bench-data (minutes) and reuses it.
# PERF_PG=postgres://… measures a PostgreSQL database too (empty on the first run).
if [ "${PERF_LARGE:-0}" = 1 ]; then
  "$tmp/ladder" bench --contacts 1000000 --bench-dir ./bench-data
  "$tmp/ladder" bench --import 1000000 --bench-dir ./bench-data
  if [ -n "${PERF_PG:-}" ]; then
    "$tmp/ladder" bench --contacts 1000000 --bench-dir ./bench-data --db-url "$PERF_PG"
  fi
fi
