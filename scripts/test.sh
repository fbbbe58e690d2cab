#!/usr/bin/env bash
# Runs every test. Tests start their own throwaway PostgreSQL cluster (or use MISO_PRIVACY_TEST_DB);
# this script makes sure the server binaries are installed, then prints a plain summary line.
# Arguments go to every `dotnet test` run (a --filter runs the integration tests as one process).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib/postgres.sh"
ensure_postgres_binaries || exit 1
# The dashboard's browser test drives Debian's headless Chromium through its chromedriver.
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  echo "Chromium or chromedriver not found; installing the Debian packages 'chromium' and 'chromium-driver'..."
  sudo=""
  [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null || exit 1
fi

# MISO_PRIVACY_TEST_RESULTS keeps each run's trx file (per-test durations) and output in that folder.
if [[ -n "${MISO_PRIVACY_TEST_RESULTS:-}" ]]; then
  RESULTS="$MISO_PRIVACY_TEST_RESULTS"
  mkdir -p "$RESULTS" && rm -f "$RESULTS"/*.trx
  KEEP=1
else
  RESULTS="$(mktemp -d)"
  KEEP=""
fi
# The tests' PostgreSQL clusters go in one folder of this run's, stopped and removed when it ends: the test host may be
# ended before its own exit hook has stopped them.
CLUSTERS="$(mktemp -d /tmp/miso-privacy-test-clusters-XXXXXX)"
chmod 755 "$CLUSTERS"  # mktemp makes it private to us; the postgres user must reach the clusters inside
export MISO_PRIVACY_TEST_CLUSTERS="$CLUSTERS"
stop_clusters() {
  for data in "$CLUSTERS"/*/data; do [[ -f "$data/postmaster.pid" ]] && pg_stop "$data" immediate; done
  rm -rf "$CLUSTERS"
}
RUNS=()
stop_runs() { for pid in "${RUNS[@]:-}"; do [[ -n "$pid" ]] && kill -- "-$pid" 2>/dev/null; done; }
trap 'stop_runs; stop_clusters; [[ -n "$KEEP" ]] || rm -rf "$RESULTS"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One build (restore included) for everything; the runs below only run what it made.
echo "Building..."
dotnet build "$ROOT/Miso.Privacy.sln" -nologo -v quiet || { echo "0 passed, 0 failed"; exit 1; }

# The test processes run side by side, each in its own process group (so stopping this script stops them) with its
# output kept apart and shown when it ends. The integration tests run as two processes: the classes marked
# RunsAlongside (see tests/Miso.Privacy.IntegrationTests/Infrastructure/RunsAlongside.cs) and all the others; inside
# each, classes still run one at a time.
declare -A NAMES=()
start() {
  local name="$1"
  shift
  setsid dotnet test "$@" --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
    >"$RESULTS/$name.log" 2>&1 </dev/null &
  RUNS+=($!)
  NAMES[$!]="$name"
}
INTEGRATION="$ROOT/tests/Miso.Privacy.IntegrationTests"
if [[ " $* " == *" --filter "* ]]; then
  start integration "$INTEGRATION" "$@"
else
  start integration-alongside "$INTEGRATION" --filter "RunsAlongside=true" "$@"
  start integration "$INTEGRATION" --filter "RunsAlongside!=true" "$@"
fi
start emulator "$ROOT/tests/Miso.Emulator.Tests" "$@"
start fast "$ROOT/tests/Miso.Privacy.Tests" "$@"
echo "Testing: ${NAMES[*]}..."

status=0
running=("${RUNS[@]}")
while [[ ${#running[@]} -gt 0 ]]; do
  wait -n -p finished "${running[@]}"
  code=$?
  [[ "$code" -ne 0 ]] && status=1
  echo "=== ${NAMES[$finished]} (exit code $code)"
  cat "$RESULTS/${NAMES[$finished]}.log"
  running=($(printf '%s\n' "${running[@]}" | grep -vx "$finished"))
done
RUNS=()

count() { cat "$RESULTS"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{s += $1} END {print s + 0}'; }
passed="$(count passed)"
failed="$(count failed)"
echo "$passed passed, $failed failed"
if [[ "$status" -ne 0 || "$failed" -ne 0 || "$passed" -eq 0 ]]; then
  exit 1
fi
