#!/usr/bin/env bash
# Issue 4's benchmark: 100,000 user ids erased end to end against the emulator with 20 ms latency per call (both
# emulated environments, as scripts/run.sh configures them), batched (the defaults: 500 ids per call, 10 calls/s per
# environment) and one call per user id (BatchSize=1, MaxCallsPerSecond=10000, on a fresh database, time-boxed and
# projected). Prints a table and RESULT lines; removes everything it made.
#
#   DRAIN_REQUESTS (100) × DRAIN_IDS_PER_REQUEST (1000) ids, DRAIN_SENDERS (4) concurrent creators,
#   DRAIN_TIME_BOX (60) seconds measured after the per-id run's create phase, DRAIN_TIMEOUT (240) seconds for the batched one,
#   DRAIN_LATENCY_MS (20). BENCH_QUICK=1: 20 × 1000 ids and a 20 s time box.
#   DRAIN_CASES ("batched per_id"): the cases to run (the ratio needs both).
#   DRAIN_PROFILE=1: PostgreSQL loads pg_stat_statements, and after each case the statements the service ran are
#   printed (calls, per Miso call, time), the profile behind bench/results/drain-profile.md.
#   DRAIN_EXPLAIN=<folder> (with DRAIN_PROFILE=1): auto_explain logs the plan of every statement over 300 ms, and
#   log_lock_waits every lock wait over 100 ms; each case's server log is kept as <folder>/<case>-server.log.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/stack.sh"
trap stack_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "${BENCH_QUICK:-}" == 1 ]]; then DEFAULT_REQUESTS=20; DEFAULT_BOX=20; else DEFAULT_REQUESTS=100; DEFAULT_BOX=60; fi
REQUESTS="${DRAIN_REQUESTS:-$DEFAULT_REQUESTS}"
IDS_PER_REQUEST="${DRAIN_IDS_PER_REQUEST:-1000}"
SENDERS="${DRAIN_SENDERS:-4}"
TIME_BOX="${DRAIN_TIME_BOX:-$DEFAULT_BOX}"
TIMEOUT="${DRAIN_TIMEOUT:-240}"
LATENCY_MS="${DRAIN_LATENCY_MS:-20}"
IDS=$((REQUESTS * IDS_PER_REQUEST))

echo "Building (Release, into $BUILD)..." >&2
stack_build drain:bench/drain
CASES="${DRAIN_CASES:-batched per_id}"
if [[ "${DRAIN_PROFILE:-}" == 1 ]]; then
  EXPLAIN=(-c shared_preload_libraries=pg_stat_statements)
  [[ -n "${DRAIN_EXPLAIN:-}" ]] && EXPLAIN=(-c shared_preload_libraries=pg_stat_statements,auto_explain
    -c auto_explain.log_min_duration=300 -c auto_explain.log_analyze=on -c auto_explain.log_nested_statements=on
    -c auto_explain.log_buffers=on -c log_lock_waits=on -c deadlock_timeout=100ms)
  pg_throwaway_start bench -c max_connections=200 "${EXPLAIN[@]}" \
    -c pg_stat_statements.track=all -c pg_stat_statements.max=10000 -c track_io_timing=on || exit 1
  WORK="$PG_WORK"
  "${PSQL[@]}" -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
else
  stack_postgres
fi

# Statements of the service's role in this case's database: calls, calls per Miso call, total and mean time.
profile() { # database, Miso calls made
  [[ "${DRAIN_PROFILE:-}" == 1 ]] || return 0
  echo "Statements run by $SERVICE_ROLE in $1 (pg_stat_statements; $2 Miso calls; top 40 by total time):"
  "${PSQL[@]}" -d postgres -P pager=off -F ' | ' -c "
    SELECT s.calls, round(s.calls::numeric / greatest($2, 1), 2) AS per_call, round(s.total_exec_time::numeric) AS total_ms,
           round(s.mean_exec_time::numeric, 3) AS mean_ms, s.rows,
           left(regexp_replace(s.query, '\s+', ' ', 'g'), 160) AS query
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid
    WHERE d.datname = '$1' AND r.rolname = '$SERVICE_ROLE'
    ORDER BY s.total_exec_time DESC LIMIT 40"
  "${PSQL[@]}" -d postgres -P pager=off -F ' | ' -c "
    SELECT 'all statements', sum(s.calls), round(sum(s.calls)::numeric / greatest($2, 1), 1), round(sum(s.total_exec_time)::numeric)
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid
    WHERE d.datname = '$1' AND r.rolname = '$SERVICE_ROLE'"
}

run_case() { # label, extra service config...
  local label="$1"; shift
  stack_database "drain_$label"
  stack_emulator Emulator__Faults__LatencyMs="$LATENCY_MS"
  stack_service "$@"
  local box=0
  [[ "$label" == per_id ]] && box="$TIME_BOX"
  dotnet "$BUILD/drain/DrainBench.dll" --url "$SERVICE_URL" --key "$KEY" --emulator "$EMULATOR_URL" \
    --connection "$CONNECTION" --label "$label" --requests "$REQUESTS" --ids-per-request "$IDS_PER_REQUEST" \
    --senders "$SENDERS" --time-box "$box" --timeout "$TIMEOUT" | tee -a "$WORK/results"
  profile "drain_$label" "$(grep "^RESULT drain.$label " "$WORK/results" | tr ' ' '\n' | grep '^miso_calls=' | cut -d= -f2)" >&2
  if [[ -n "${DRAIN_EXPLAIN:-}" && "${DRAIN_PROFILE:-}" == 1 ]]; then
    mkdir -p "$DRAIN_EXPLAIN" && cp "$PGDATA/server.log" "$DRAIN_EXPLAIN/$label-server.log"
  fi
  stack_stop "$SERVICE_PID"
  stack_stop "$EMULATOR_PID"
}

if [[ " $CASES " == *" batched "* ]]; then
  echo "Batched: $IDS ids, Execution defaults (BatchSize 500, MaxCallsPerSecond 10, BatchWindow 2 s, DrainInterval 5 s)..." >&2
  run_case batched
fi
if [[ " $CASES " == *" per_id "* ]]; then
  echo "Per id: BatchSize=1, MaxCallsPerSecond=10000 (the most the service accepts), time box $TIME_BOX s..." >&2
  run_case per_id Execution__BatchSize=1 Execution__MaxCallsPerSecond=10000
fi

field() { grep "^RESULT drain.$1 " "$WORK/results" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
b_wall="$(field batched wall_s)"; b_calls="$(field batched miso_calls)"; b_rate="$(field batched ids_per_s)"
p_wall="$(field per_id projected_wall_s)"; p_calls="$(field per_id projected_calls)"; p_rate="$(field per_id ids_per_s)"
p_measured="$(field per_id measured_s)"; p_done="$(field per_id ids_done)"; p_made="$(field per_id miso_calls)"
[[ " $CASES " == *" batched "* ]] || exit 0
[[ -n "$b_wall" ]] || { echo "The batched run did not finish within $TIMEOUT s." >&2; exit 1; }
[[ " $CASES " == *" per_id "* ]] || exit 0
ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.4g}' if b else 'n/a')" "$1" "$2"; }

echo
echo "Erasing $IDS user ids ($REQUESTS requests × $IDS_PER_REQUEST), 2 environments × 2 operations, emulator latency $LATENCY_MS ms, $(nproc) cores"
echo "| run | wall time | Miso calls | ids/s |"
echo "|---|---|---|---|"
echo "| batched (500 ids/call, 10 calls/s per env) | $b_wall s (measured) | $b_calls (measured) | $b_rate |"
echo "| per id (1 id/call, 10,000 calls/s per env) | $p_wall s (**projected** from $p_done ids done $p_measured s after the first create) | $p_calls (projected; $p_made made in $p_measured s) | $p_rate |"
echo "| batched ÷ per id | $(ratio "$b_wall" "$p_wall") (per id takes $(ratio "$p_wall" "$b_wall")× as long) | $(ratio "$b_calls" "$p_calls") ($(ratio "$p_calls" "$b_calls")× fewer calls) | $(ratio "$b_rate" "$p_rate") |"
echo "RESULT drain.ratio wall=$(ratio "$b_wall" "$p_wall") calls=$(ratio "$b_calls" "$p_calls") ids_per_s=$(ratio "$b_rate" "$p_rate")"
