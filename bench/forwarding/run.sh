#!/usr/bin/env bash
# Records/s to one emulator three ways, under the same load: straight, through a pass-through proxy (YARP), and
# through the forwarder with 1,000,000 suppressed subjects. Starts its own PostgreSQL, emulator, proxy and service
# (Release builds, loopback only), prints a table, and removes everything it made.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/forwarding"
SECONDS_PER_RUN="${FORWARDING_BENCH_SECONDS:-5}"
source "$ROOT/scripts/lib/postgres.sh"
ensure_postgres_binaries

EMULATOR_PORT="$(free_port)"; PROXY_PORT="$(free_port)"; SERVICE_PORT="$(free_port)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  pg_throwaway_stop
}
trap cleanup EXIT
wait_for() {
  for _ in $(seq 1 240); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "$2 did not come up ($1)." >&2; exit 1
}

echo "Building (Release)..." >&2
for project in src/Miso.Privacy src/Miso.Emulator migrations/Miso.Privacy.Migrations bench/forwarding bench/Miso.Privacy.Benchmarks; do
  dotnet build "$ROOT/$project" -c Release -v quiet -nologo >/dev/null
done

pg_throwaway_start forwarding-bench -c fsync=off -c synchronous_commit=off -c shared_buffers=256MB
"${PSQL[@]}" -d postgres -c "CREATE DATABASE bench" >/dev/null
pg_service_role
CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench"
dotnet run --project "$ROOT/migrations/Miso.Privacy.Migrations" -c Release --no-build -- --connection "$CONNECTION" --service-role "$SERVICE_ROLE" >/dev/null

HASH_KEY="$(head -c 32 /dev/urandom | base64)"
echo "Seeding 1,000,000 suppressions..." >&2
start=$(date +%s)
# In production, the environment the load uploads to, as the service writes suppressions since they are kept per environment.
dotnet "$ROOT/bench/Miso.Privacy.Benchmarks/bin/Release/net10.0/Miso.Privacy.Benchmarks.dll" --seed-suppressions "$CONNECTION" "$HASH_KEY" 1000000 production
echo "Seeded in $(( $(date +%s) - start )) s." >&2

export Logging__LogLevel__Default=Warning
(cd "$ROOT/src/Miso.Emulator/bin/Release/net10.0" && MISO_EMULATOR_PORT="$EMULATOR_PORT" exec dotnet Miso.Emulator.dll) &
PIDS+=($!)
dotnet "$HERE/bin/Release/net10.0/ForwardingBench.dll" proxy "$PROXY_PORT" "http://127.0.0.1:$EMULATOR_PORT" &
PIDS+=($!)
(
  export ConnectionStrings__Privacy="Host=127.0.0.1;Port=$PG_PORT;Username=$SERVICE_ROLE;Database=bench" Privacy__SubjectHashKey="$HASH_KEY" \
    Privacy__RetentionKey="$(head -c 32 /dev/urandom | base64)"
  export Reports__SigningKeys__0__PrivateKeyPem="$(throwaway_signing_key)" Execution__RunServer=false
  # The load sends thousands of uploads a second with one key: the per-key limit on /v1 would refuse most of them.
  export Forwarding__RateLimit__PermitsPerSecond=1000000 Forwarding__RateLimit__Burst=1000000
  export Miso__Environments__0__Name=production Miso__Environments__0__BaseUrl="http://127.0.0.1:$EMULATOR_PORT/"
  export Miso__Environments__0__SecretKey=emu-production-secret-key Miso__Environments__0__PublishableKeys__0=emu-production-publishable-key
  cd "$ROOT/src/Miso.Privacy/bin/Release/net10.0" && ASPNETCORE_URLS="http://127.0.0.1:$SERVICE_PORT" exec dotnet Miso.Privacy.dll
) &
SERVICE=$!
PIDS+=($SERVICE)
wait_for "http://127.0.0.1:$EMULATOR_PORT/_emulator/stats" "The emulator"
wait_for "http://127.0.0.1:$SERVICE_PORT/health/ready" "The service (with its suppression set)"
wait_for "http://127.0.0.1:$PROXY_PORT/_emulator/stats" "The proxy"
echo "Service ready; resident memory with 1M suppressions loaded: $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' /proc/$SERVICE/status)" >&2

echo
echo "Interaction uploads, records/s ($(nproc) cores, $SECONDS_PER_RUN s per cell, 5 interleaved rounds after 8 s of warm-up per path, medians, 4 senders, 10 % of records name a suppressed user)"
dotnet "$HERE/bin/Release/net10.0/ForwardingBench.dll" load \
  "http://127.0.0.1:$EMULATOR_PORT/" "http://127.0.0.1:$PROXY_PORT/" "http://127.0.0.1:$SERVICE_PORT/" "$SECONDS_PER_RUN"
