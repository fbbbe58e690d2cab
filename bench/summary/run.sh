#!/usr/bin/env bash
# Seeds 1,000,000 erasure requests into a throwaway PostgreSQL, then measures the dashboard summary:
# the uncached computation before (recount from the rows) and after (counters), the real service's 304 and
# cached-200 poll paths over HTTP, and polls while single-subject creates arrive at SUMMARY_INTAKE_RATE (100)
# requests/s for SUMMARY_INTAKE_SECONDS (15) per phase (open loop; the service runs no Hangfire server, so
# nothing drains and the polls compete with intake only). SUMMARY_BEFORE=0 skips the old recount (about a second
# per computation) while iterating. Prints a table and RESULT lines, and removes everything it made.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/summary"
source "$ROOT/scripts/lib/postgres.sh"
ensure_postgres_binaries

PORT="$(free_port)"
SERVICE=""
cleanup() {
  [[ -n "$SERVICE" ]] && kill "$SERVICE" 2>/dev/null && wait "$SERVICE" 2>/dev/null || true
  pg_throwaway_stop
}
trap cleanup EXIT

pg_throwaway_start summary-bench -c fsync=off -c synchronous_commit=off -c shared_buffers=256MB
"${PSQL[@]}" -d postgres -c "CREATE DATABASE bench" >/dev/null
pg_service_role
CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench"

echo "Building..." >&2
dotnet build "$ROOT/migrations/Miso.Privacy.Migrations" -c Release -v quiet -nologo >/dev/null
dotnet build "$HERE" -c Release -v quiet -nologo >/dev/null
dotnet run --project "$ROOT/migrations/Miso.Privacy.Migrations" -c Release --no-build -- --connection "$CONNECTION" --service-role "$SERVICE_ROLE" >/dev/null
echo "Seeding 1,000,000 requests..." >&2
start=$(date +%s)
"${PSQL[@]}" -d bench -f "$HERE/seed.sql" >/dev/null
echo "Seeded in $(( $(date +%s) - start )) s: $("${PSQL[@]}" -d bench -c "SELECT pg_size_pretty(pg_database_size('bench'))")" >&2

KEY="bench-key-$RANDOM$RANDOM"
export ConnectionStrings__Privacy="Host=127.0.0.1;Port=$PG_PORT;Username=$SERVICE_ROLE;Database=bench"
export Privacy__SubjectHashKey="$(head -c 32 /dev/urandom | base64)" Privacy__RetentionKey="$(head -c 32 /dev/urandom | base64)"
export Reports__SigningKeys__0__PrivateKeyPem="$(throwaway_signing_key)"
export Auth__ApiKeys__0__Name=bench Auth__ApiKeys__0__Scopes__0=erasure:read Auth__ApiKeys__0__Scopes__1=erasure:write
# Creates need a Miso environment to plan for; nothing calls it, since no Hangfire server runs here.
export Miso__Environments__0__Name=production Miso__Environments__0__BaseUrl=http://127.0.0.1:9/
export Miso__Environments__0__SecretKey=unused-secret-key Miso__Environments__0__PublishableKeys__0=unused-publishable-key
export Execution__RunServer=false
# The pollers here poll far faster than the per-key API rate limit allows.
export RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000
export Auth__ApiKeys__0__KeySha256="$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)"
export Logging__LogLevel__Default=Warning
BIN="$ROOT/bench/summary/bin/Release/net10.0"
(cd "$ROOT/src/Miso.Privacy/bin/Release/net10.0" && ASPNETCORE_URLS="http://127.0.0.1:$PORT" exec dotnet Miso.Privacy.dll) &
SERVICE=$!
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "http://127.0.0.1:$PORT/health/live" >/dev/null || { echo "The service did not start." >&2; exit 1; }

echo
echo "Dashboard summary, 1,000,000 requests ($(nproc) cores), milliseconds"
echo "| path                                 |     n |       p50 |       p99 |"
echo "|--------------------------------------|-------|-----------|-----------|"
dotnet "$BIN/SummaryBench.dll" --connection "$CONNECTION" --url "http://127.0.0.1:$PORT" --key "$KEY" --before "${SUMMARY_BEFORE:-1}"
echo "Polling while creates arrive at ${SUMMARY_INTAKE_RATE:-100}/s..." >&2
dotnet "$BIN/SummaryBench.dll" --connection "$CONNECTION" --url "http://127.0.0.1:$PORT" --key "$KEY" --uncached 0 --before "${SUMMARY_BEFORE:-1}" \
  --intake-rate "${SUMMARY_INTAKE_RATE:-100}" --seconds "${SUMMARY_INTAKE_SECONDS:-15}"
