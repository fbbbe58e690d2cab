#!/usr/bin/env bash
# Issue 4's benchmark: 100,000 user ids erased end to end against the emulator with 20 ms latency per call (both
# emulated environments, as scripts/run.sh configures them), batched (the defaults: 500 ids per call, 10 calls/s per
# environment) and one call per user id (BatchSize=1, MaxCallsPerSecond=10000, on a fresh database, time-boxed and
# projected). Prints a table and RESULT lines; removes everything it made.
#
#   DRAIN_REQUESTS (100) × DRAIN_IDS_PER_REQUEST (1000) ids, DRAIN_SENDERS (4) concurrent creators,
#   DRAIN_TIME_BOX (60) seconds measured after the per-id run's create phase, DRAIN_TIMEOUT (240) seconds for the batched one,
#   DRAIN_LATENCY_MS (20). BENCH_QUICK=1: 20 × 1000 ids and a 20 s time box.
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
stack_postgres

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
  stack_stop "$SERVICE_PID"
  stack_stop "$EMULATOR_PID"
}

echo "Batched: $IDS ids, Execution defaults (BatchSize 500, MaxCallsPerSecond 10, BatchWindow 2 s, DrainInterval 5 s)..." >&2
run_case batched
echo "Per id: BatchSize=1, MaxCallsPerSecond=10000 (the most the service accepts), time box $TIME_BOX s..." >&2
run_case per_id Execution__BatchSize=1 Execution__MaxCallsPerSecond=10000

field() { grep "^RESULT drain.$1 " "$WORK/results" | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
b_wall="$(field batched wall_s)"; b_calls="$(field batched miso_calls)"; b_rate="$(field batched ids_per_s)"
p_wall="$(field per_id projected_wall_s)"; p_calls="$(field per_id projected_calls)"; p_rate="$(field per_id ids_per_s)"
p_measured="$(field per_id measured_s)"; p_done="$(field per_id ids_done)"; p_made="$(field per_id miso_calls)"
[[ -n "$b_wall" ]] || { echo "The batched run did not finish within $TIMEOUT s." >&2; exit 1; }
ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.4g}' if b else 'n/a')" "$1" "$2"; }

echo
echo "Erasing $IDS user ids ($REQUESTS requests × $IDS_PER_REQUEST), 2 environments × 2 operations, emulator latency $LATENCY_MS ms, $(nproc) cores"
echo "| run | wall time | Miso calls | ids/s |"
echo "|---|---|---|---|"
echo "| batched (500 ids/call, 10 calls/s per env) | $b_wall s (measured) | $b_calls (measured) | $b_rate |"
echo "| per id (1 id/call, 10,000 calls/s per env) | $p_wall s (**projected** from $p_done ids done $p_measured s after the first create) | $p_calls (projected; $p_made made in $p_measured s) | $p_rate |"
echo "| batched ÷ per id | $(ratio "$b_wall" "$p_wall") (per id takes $(ratio "$p_wall" "$b_wall")× as long) | $(ratio "$b_calls" "$p_calls") ($(ratio "$p_calls" "$b_calls")× fewer calls) | $(ratio "$b_rate" "$p_rate") |"
echo "RESULT drain.ratio wall=$(ratio "$b_wall" "$p_wall") calls=$(ratio "$b_calls" "$p_calls") ids_per_s=$(ratio "$b_rate" "$p_rate")"
