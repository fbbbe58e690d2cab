#!/usr/bin/env bash
# Issue 7's intake benchmark: how many single-subject erasure requests per second the service accepts on this
# machine (closed loop: INTAKE_CLIENTS concurrent connections back to back with wrk for INTAKE_SECONDS), and the
# p50/p99 latency at a fixed open-loop rate (INTAKE_RATE requests/s for INTAKE_SECONDS, at most 2,000 requests,
# measured from each request's due time). The service runs as scripts/run.sh runs it (defaults, Hangfire draining
# to the emulator in the background, PostgreSQL with fsync on). Both phases run first against a baseline
# (bench/intake-baseline: the same POST answered by one durable INSERT on the same cluster), in the same run, and
# the service ÷ baseline ratios are printed beside the absolute figures. Prints a table and RESULT lines.
#
#   INTAKE_CLIENTS (16), INTAKE_SECONDS (20), INTAKE_RATE (100); BENCH_QUICK=1: 8 s per phase.
#   INTAKE_WARMUP (30 s; quick 20 s): before the measured open loop, the same load unmeasured, so that the drain has run
#   and tiered compilation has settled (a service's first half minute under load is mostly JIT on 2 cores); its figures
#   are printed as intake.open_warmup (intake.baseline_open_warmup).
#   INTAKE_PROFILE=1: pg_stat_statements in the cluster, and the service phases' statements printed at the end.
#   INTAKE_SERVICE_ENV="Var=value ...": extra configuration for the service, e.g. Execution__RunServer=false to
#   measure intake without the drain running beside it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../drain/stack.sh"
# INTAKE_LOGS=<folder>: the service's, the baseline's and PostgreSQL's logs (and the profile's trace) are copied there before the cleanup.
# INTAKE_TRACE_AFTER=<s>: with INTAKE_PROFILE=1, when the 5 s trace starts (default 4 s into the measured open loop).
keep_logs() { [[ -n "${INTAKE_LOGS:-}" && -n "${WORK:-}" ]] && mkdir -p "$INTAKE_LOGS" && cp "$WORK"/*.log "$WORK"/*.nettrace "$WORK"/pg/server.log "$INTAKE_LOGS"/ 2>/dev/null; return 0; }
trap 'keep_logs; stack_cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "${BENCH_QUICK:-}" == 1 ]]; then DEFAULT_SECONDS=8; DEFAULT_WARMUP=20; else DEFAULT_SECONDS=20; DEFAULT_WARMUP=30; fi
WARMUP="${INTAKE_WARMUP:-$DEFAULT_WARMUP}"
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
stack_build intake:bench/intake intake-baseline:bench/intake-baseline
[[ "${INTAKE_PROFILE:-}" == 1 ]] && export BENCH_PG_STATEMENTS=1
stack_postgres
stack_database intake
[[ "${INTAKE_PROFILE:-}" == 1 ]] && "${PSQL[@]}" -d intake -c "CREATE EXTENSION pg_stat_statements" >/dev/null
# The baseline: one durable INSERT per request on the same cluster, through a pool, in a database of its own.
"${PSQL[@]}" -d postgres -c "CREATE DATABASE intake_baseline" >/dev/null
BASELINE_PORT="$(free_port)"
(cd "$BUILD/intake-baseline" && exec env BASELINE_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=intake_baseline" \
  ASPNETCORE_URLS="http://127.0.0.1:$BASELINE_PORT" dotnet IntakeBaseline.dll) >"$WORK/baseline.log" 2>&1 &
STACK_PIDS+=("$!")
BASELINE_URL="http://127.0.0.1:$BASELINE_PORT"
wait_for "$BASELINE_URL/health/ready" "The baseline endpoint" || { tail -n 30 "$WORK/baseline.log" >&2; exit 1; }
stack_emulator
# The per-key API rate limit (RateLimiting:PermitsPerSecond 50, Burst 100 by default) would answer most of this load
# with 429 and hide what the intake path can do, so it is lifted here; INTAKE_KEEP_RATE_LIMIT=1 keeps the default.
read -r -a SERVICE_ENV <<<"${INTAKE_SERVICE_ENV:-}"
if [[ "${INTAKE_KEEP_RATE_LIMIT:-}" == 1 ]]; then stack_service "${SERVICE_ENV[@]}"
else stack_service RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000 "${SERVICE_ENV[@]}"; fi
export BENCH_KEY="$KEY"
CLIENT=(dotnet "$BUILD/intake/IntakeBench.dll")

# One target (label, base URL): warm-up, open loop, closed loop; RESULT lines named intake.<phase> for the service
# and intake.baseline_<phase> for the baseline, kept in $WORK/<label>-open and $WORK/<label>-closed.
measure() {
  local label="$1" url="$2" prefix="intake."
  [[ "$label" == baseline ]] && prefix="intake.baseline_"
  if command -v wrk >/dev/null; then
    echo "[$label] warming up (3 s)..." >&2
    BENCH_TAG="warm-$RANDOM" wrk -t2 -c8 -d3s -s "$HERE/intake.lua" "$url/api/v1/erasure-requests" >/dev/null
  fi

  if (( WARMUP > 0 )); then
    echo "[$label] open loop, unmeasured warm-up: $RATE requests/s for $WARMUP s..." >&2
    "${CLIENT[@]}" open --url "$url" --key "$KEY" --rate "$RATE" --seconds "$WARMUP" --max 1000000 2>/dev/null \
      | sed "s/^RESULT intake\.open/RESULT ${prefix}open_warmup/" | tee "$WORK/$label-warmup"
  fi
  echo "[$label] open loop: $RATE requests/s for $SECONDS_PER_PHASE s..." >&2
  "${CLIENT[@]}" open --url "$url" --key "$KEY" --rate "$RATE" --seconds "$SECONDS_PER_PHASE" --max 2000 \
    | sed "s/^RESULT intake\./RESULT $prefix/" | tee "$WORK/$label-open"

  echo "[$label] closed loop: $CLIENTS clients for $SECONDS_PER_PHASE s..." >&2
  if command -v wrk >/dev/null; then
    # wrk wants at least as many connections as threads.
    BENCH_TAG="closed-$RANDOM$RANDOM" wrk -t"$(( CLIENTS < 2 ? CLIENTS : 2 ))" -c"$CLIENTS" -d"${SECONDS_PER_PHASE}s" --latency -s "$HERE/intake.lua" \
      "$url/api/v1/erasure-requests" >"$WORK/wrk-$label"
    cat "$WORK/wrk-$label" >&2
    local rps line
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk-$label")"
    line="$(grep '^RESULT_WRK' "$WORK/wrk-$label" | sed 's/^RESULT_WRK //')"
    echo "RESULT ${prefix}closed tool=wrk clients=$CLIENTS seconds=$SECONDS_PER_PHASE requests_per_s=$rps $line" | tee "$WORK/$label-closed"
  else
    "${CLIENT[@]}" closed --url "$url" --key "$KEY" --clients "$CLIENTS" --seconds "$SECONDS_PER_PHASE" \
      | sed "s/^RESULT intake\./RESULT $prefix/" | tee "$WORK/$label-closed"
  fi
}

# The baseline first, while the service is idle; then the service, whose drain of what it accepts runs meanwhile.
measure baseline "$BASELINE_URL"
TOOLS="$HOME/.dotnet/tools"
if [[ "${INTAKE_PROFILE:-}" == 1 ]]; then
  "${PSQL[@]}" -d intake -c "SELECT pg_stat_statements_reset()" >/dev/null
  # dotnet-counters over both service phases, and a 5 s CPU-sampling trace 4 s into them (after the warm-up), when the
  # tools are installed (dotnet tool install -g dotnet-counters dotnet-trace).
  if [[ -x "$TOOLS/dotnet-counters" ]]; then
    "$TOOLS/dotnet-counters" collect -p "$SERVICE_PID" --format csv -o "$WORK/counters.csv" \
      --counters System.Runtime,Npgsql,Microsoft.AspNetCore.Hosting >/dev/null 2>&1 &
    COUNTERS_PID=$!
  fi
  if [[ -x "$TOOLS/dotnet-trace" ]]; then
    (sleep "${INTAKE_TRACE_AFTER:-$((3 + WARMUP + 4))}" && "$TOOLS/dotnet-trace" collect -p "$SERVICE_PID" --profile dotnet-sampled-thread-time --duration 00:00:00:05 \
      -o "$WORK/service.nettrace" >/dev/null 2>&1) &
    TRACE_PID=$!
  fi
fi
measure service "$SERVICE_URL"
# SIGTERM: a background process of a non-interactive shell ignores SIGINT.
if [[ -n "${COUNTERS_PID:-}" ]]; then kill -TERM "$COUNTERS_PID" 2>/dev/null; wait "$COUNTERS_PID" 2>/dev/null || true; fi
if [[ -n "${TRACE_PID:-}" ]]; then wait "$TRACE_PID" 2>/dev/null || true; fi

field() { tr ' ' '\n' <"$WORK/$1" | grep "^$2=" | cut -d= -f2; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
closed_ratio="$(ratio "$(field service-closed requests_per_s)" "$(field baseline-closed requests_per_s)")"
# Latency ratios are baseline ÷ intake, so that for every ratio 1 means "as fast as the baseline" and less is slower.
p50_ratio="$(ratio "$(field baseline-open p50_ms)" "$(field service-open p50_ms)")"
p99_ratio="$(ratio "$(field baseline-open p99_ms)" "$(field service-open p99_ms)")"
echo "RESULT intake.ratio closed=$closed_ratio open_p50=$p50_ratio open_p99=$p99_ratio load=$(cut -d' ' -f1 /proc/loadavg)"

if [[ "${INTAKE_PROFILE:-}" == 1 ]]; then
  created="$("${PSQL[@]}" -d intake -c "SELECT count(*) FROM privacy.erasure_requests")"
  echo
  echo "pg_stat_statements over the service's two phases ($created requests in the database, including warm-ups):"
  "${PSQL[@]}" -d intake -P format=aligned -P tuples_only=off -c "
    SELECT calls, round(calls::numeric / $created, 2) AS per_create, round(total_exec_time::numeric, 0) AS total_ms,
           round(mean_exec_time::numeric, 3) AS mean_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'intake')
    ORDER BY calls DESC LIMIT 40"
  echo
  echo "Statements by total time (the ledger lock's wait is its time):"
  "${PSQL[@]}" -d intake -P format=aligned -P tuples_only=off -c "
    SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
           left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'intake')
    ORDER BY total_exec_time DESC LIMIT 12"
  if [[ -s "$WORK/counters.csv" ]]; then
    echo
    echo "dotnet-counters over the service phases (mean and max of each sample):"
    awk -F, 'NR > 1 && ($3 ~ /cpu-usage|threadpool-queue-length|threadpool-thread-count|lock-contention|gc-heap-size|time-in-gc|current-requests|request-duration|Busy|Idle|Pending|connection/) {
        n[$3]++; sum[$3] += $5; if (!($3 in max) || $5 > max[$3]) max[$3] = $5 }
      END { for (k in n) printf "  %-70s mean %10.2f  max %10.2f\n", k, sum[k] / n[k], max[k] }' "$WORK/counters.csv" | sort
  fi
  if [[ -s "$WORK/service.nettrace" ]]; then
    echo
    echo "dotnet-trace, 5 s of the service phases, top methods by inclusive time:"
    "$TOOLS/dotnet-trace" report "$WORK/service.nettrace" topN -n 25 --inclusive 2>/dev/null | head -n 40 || true
    echo "and by exclusive time:"
    "$TOOLS/dotnet-trace" report "$WORK/service.nettrace" topN -n 15 2>/dev/null | head -n 30 || true
  fi
fi

echo
echo "Intake of single-subject erasure requests ($(nproc) cores, service + baseline + PostgreSQL + load on this machine)"
echo "| measure | service | baseline (one INSERT) | service ÷ baseline |"
echo "|---|---|---|---|"
echo "| sustained, closed loop ($CLIENTS clients, $SECONDS_PER_PHASE s), requests/s | $(field service-closed requests_per_s) (non-201: $(field service-closed errors_status)$(field service-closed errors)) | $(field baseline-closed requests_per_s) | $closed_ratio |"
echo "| p50 at $RATE requests/s open loop ($(field service-open requests) requests), ms | $(field service-open p50_ms) | $(field baseline-open p50_ms) | $p50_ratio (baseline ÷ service) |"
echo "| p99 at $RATE requests/s open loop, ms | $(field service-open p99_ms) (max $(field service-open max_ms), errors $(field service-open errors)) | $(field baseline-open p99_ms) | $p99_ratio (baseline ÷ service) |"
if (( WARMUP > 0 )); then
  echo "| p99 at $RATE requests/s in the unmeasured warm-up (its first $WARMUP s under load), ms | $(field service-warmup p99_ms) | $(field baseline-warmup p99_ms) | |"
fi
