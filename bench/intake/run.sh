#!/usr/bin/env bash
# Issue 7's intake benchmark: how many single-subject erasure requests per second the service accepts on this
# machine (closed loop: INTAKE_CLIENTS concurrent connections back to back with wrk for INTAKE_SECONDS), and the
# p50/p99 latency at a fixed open-loop rate (INTAKE_RATE requests/s for INTAKE_SECONDS, at most 2,000 requests,
# measured from each request's due time). The service runs as scripts/run.sh runs it (defaults, Hangfire draining
# to the emulator in the background, PostgreSQL with fsync on). Prints a table and RESULT lines.
#
#   INTAKE_CLIENTS (16), INTAKE_SECONDS (20), INTAKE_RATE (100); BENCH_QUICK=1: 8 s per phase.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../drain/stack.sh"
trap stack_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "${BENCH_QUICK:-}" == 1 ]]; then DEFAULT_SECONDS=8; else DEFAULT_SECONDS=20; fi
CLIENTS="${INTAKE_CLIENTS:-16}"
SECONDS_PER_PHASE="${INTAKE_SECONDS:-$DEFAULT_SECONDS}"
RATE="${INTAKE_RATE:-100}"

if ! command -v wrk >/dev/null; then
  echo "wrk is missing; installing the Debian package..." >&2
  sudo=""; [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null; } \
    || echo "Could not install wrk; the closed loop uses the .NET client instead." >&2
fi

echo "Building (Release, into $BUILD)..." >&2
stack_build intake:bench/intake
stack_postgres
stack_database intake
stack_emulator
# The per-key API rate limit (RateLimiting:PermitsPerSecond 50, Burst 100 by default) would answer most of this load
# with 429 and hide what the intake path can do, so it is lifted here; INTAKE_KEEP_RATE_LIMIT=1 keeps the default.
if [[ "${INTAKE_KEEP_RATE_LIMIT:-}" == 1 ]]; then stack_service
else stack_service RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000; fi
export BENCH_KEY="$KEY"
CLIENT=(dotnet "$BUILD/intake/IntakeBench.dll")

if command -v wrk >/dev/null; then
  echo "Warming up (3 s)..." >&2
  BENCH_TAG="warm-$RANDOM" wrk -t2 -c8 -d3s -s "$HERE/intake.lua" "$SERVICE_URL/api/v1/erasure-requests" >/dev/null
fi

echo "Open loop: $RATE requests/s for $SECONDS_PER_PHASE s..." >&2
"${CLIENT[@]}" open --url "$SERVICE_URL" --key "$KEY" --rate "$RATE" --seconds "$SECONDS_PER_PHASE" --max 2000 | tee "$WORK/open"

echo "Closed loop: $CLIENTS clients for $SECONDS_PER_PHASE s..." >&2
if command -v wrk >/dev/null; then
  BENCH_TAG="closed-$RANDOM$RANDOM" wrk -t2 -c"$CLIENTS" -d"${SECONDS_PER_PHASE}s" --latency -s "$HERE/intake.lua" \
    "$SERVICE_URL/api/v1/erasure-requests" >"$WORK/wrk"
  cat "$WORK/wrk" >&2
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk")"
  line="$(grep '^RESULT_WRK' "$WORK/wrk" | sed 's/^RESULT_WRK //')"
  echo "RESULT intake.closed tool=wrk clients=$CLIENTS seconds=$SECONDS_PER_PHASE requests_per_s=$rps $line" | tee "$WORK/closed"
else
  "${CLIENT[@]}" closed --url "$SERVICE_URL" --key "$KEY" --clients "$CLIENTS" --seconds "$SECONDS_PER_PHASE" | tee "$WORK/closed"
fi

field() { tr ' ' '\n' <"$WORK/$1" | grep "^$2=" | cut -d= -f2; }
echo
echo "Intake of single-subject erasure requests ($(nproc) cores, service + PostgreSQL + load on this machine)"
echo "| measure | value |"
echo "|---|---|"
echo "| sustained, closed loop ($CLIENTS clients, $SECONDS_PER_PHASE s) | $(field closed requests_per_s) requests/s (non-201: $(field closed errors_status)$(field closed errors)) |"
echo "| p50 at $RATE requests/s open loop ($(field open requests) requests) | $(field open p50_ms) ms |"
echo "| p99 at $RATE requests/s open loop | $(field open p99_ms) ms (max $(field open max_ms) ms, errors $(field open errors)) |"
