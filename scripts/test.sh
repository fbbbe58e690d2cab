#!/usr/bin/env bash
# Runs every test. Tests start their own throwaway PostgreSQL cluster (or use MISO_PRIVACY_TEST_DB);
# this script makes sure the server binaries are installed, then prints a plain summary line.
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

RESULTS="$(mktemp -d)"
trap 'rm -rf "$RESULTS"' EXIT
dotnet test "$ROOT/Miso.Privacy.sln" --logger "trx" --results-directory "$RESULTS" "$@"
status=$?

count() { cat "$RESULTS"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{s += $1} END {print s + 0}'; }
passed="$(count passed)"
failed="$(count failed)"
echo "$passed passed, $failed failed"
if [[ "$status" -ne 0 || "$failed" -ne 0 || "$passed" -eq 0 ]]; then
  exit 1
fi
