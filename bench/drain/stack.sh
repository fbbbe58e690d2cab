# Shared by bench/drain/run.sh and bench/intake/run.sh (sourced): a throwaway PostgreSQL cluster, Release builds
# of the service, emulator and migrations in their own output folder, and helpers that start the emulator and the
# service as processes configured the way scripts/run.sh configures them. Loopback only; stack_cleanup removes it all.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/scripts/lib/postgres.sh"
BUILD="${BENCH_BUILD_DIR:-/tmp/bench-build}"

STACK_PIDS=()
stack_cleanup() {
  for pid in "${STACK_PIDS[@]:-}"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  pg_throwaway_stop
}

# Release builds into $BUILD/<name>, so nobody's Debug build in the tree is disturbed. BENCH_SKIP_BUILD=1 reuses them.
stack_build() { # extra "name:project" pairs for bench clients
  local pair
  for pair in service:src/Miso.Privacy emulator:src/Miso.Emulator migrations:migrations/Miso.Privacy.Migrations "$@"; do
    if [[ "${BENCH_SKIP_BUILD:-}" == 1 && -d "$BUILD/${pair%%:*}" ]]; then continue; fi
    dotnet build "$ROOT/${pair#*:}" -c Release -o "$BUILD/${pair%%:*}" -v quiet -nologo >/dev/null \
      || { echo "Building ${pair#*:} failed." >&2; return 1; }
  done
}

# PostgreSQL with its default durability (fsync on), as scripts/run.sh runs it; BENCH_PG_FAST=1 turns fsync off,
# BENCH_PG_STATEMENTS=1 loads pg_stat_statements (a database still needs CREATE EXTENSION pg_stat_statements);
# BENCH_PG_SETTINGS="-c name=value ...": further server settings, for experiments.
# Its folder (WORK) also holds the logs of the processes started here.
stack_postgres() {
  local fast=()
  [[ "${BENCH_PG_FAST:-}" == 1 ]] && fast=(-c fsync=off -c synchronous_commit=off)
  [[ "${BENCH_PG_STATEMENTS:-}" == 1 ]] && fast+=(-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all)
  local extra=(); [[ -n "${BENCH_PG_SETTINGS:-}" ]] && read -r -a extra <<<"$BENCH_PG_SETTINGS"
  pg_throwaway_start bench -c max_connections=200 "${fast[@]}" "${extra[@]}" || return 1
  WORK="$PG_WORK"
}

# A fresh, migrated database; sets CONNECTION (the owner's, for the benchmark's own reads) and SERVICE_CONNECTION.
stack_database() {
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE $1" >/dev/null
  pg_service_role
  CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$1"
  SERVICE_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=$SERVICE_ROLE;Database=$1"
  (cd "$BUILD/migrations" && dotnet Miso.Privacy.Migrations.dll --connection "$CONNECTION" --service-role "$SERVICE_ROLE" >/dev/null)
}

wait_for() {
  for _ in $(seq 1 240); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "$2 did not come up ($1)." >&2; return 1
}

# The emulator on a free port (EMULATOR_URL, EMULATOR_PID); extra VAR=value arguments are its environment,
# e.g. Emulator__Faults__LatencyMs=20.
stack_emulator() {
  local port; port="$(free_port)"
  (cd "$BUILD/emulator" && exec env "$@" Logging__LogLevel__Default=Warning MISO_EMULATOR_PORT="$port" dotnet Miso.Emulator.dll) \
    >"$WORK/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  STACK_PIDS+=("$EMULATOR_PID")
  EMULATOR_URL="http://127.0.0.1:$port"
  wait_for "$EMULATOR_URL/_emulator/stats" "The emulator"
}

# The service on a free port against $SERVICE_CONNECTION and $EMULATOR_URL (SERVICE_URL, SERVICE_PID, KEY with every scope);
# extra VAR=value arguments override its configuration, e.g. Execution__BatchSize=1.
stack_service() {
  local port; port="$(free_port)"
  KEY="${KEY:-mp_bench_$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}"
  HASH_KEY="${HASH_KEY:-$(head -c 32 /dev/urandom | base64)}"
  RETENTION_KEY="${RETENTION_KEY:-$(head -c 32 /dev/urandom | base64)}"
  local config=(
    ConnectionStrings__Privacy="$SERVICE_CONNECTION"
    Privacy__SubjectHashKey="$HASH_KEY"
    Privacy__RetentionKey="$RETENTION_KEY"
    Reports__SigningKeys__0__PrivateKeyPem="$(throwaway_signing_key)"
    Auth__ApiKeys__0__Name=bench
    Auth__ApiKeys__0__KeySha256="$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)"
    Logging__LogLevel__Default=Warning
  )
  local i=0 scope name
  for scope in erasure:write erasure:read reports:read suppression:write admin; do
    config+=("Auth__ApiKeys__0__Scopes__$i=$scope"); i=$((i + 1))
  done
  for i in 0 1; do
    name=$([[ $i -eq 0 ]] && echo production || echo development)
    config+=("Miso__Environments__${i}__Name=$name" "Miso__Environments__${i}__BaseUrl=$EMULATOR_URL/"
             "Miso__Environments__${i}__SecretKey=emu-$name-secret-key"
             "Miso__Environments__${i}__PublishableKeys__0=emu-$name-publishable-key")
  done
  (cd "$BUILD/service" && exec env "${config[@]}" "$@" ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet Miso.Privacy.dll) \
    >"$WORK/service-$port.log" 2>&1 &
  SERVICE_PID=$!
  STACK_PIDS+=("$SERVICE_PID")
  SERVICE_URL="http://127.0.0.1:$port"
  wait_for "$SERVICE_URL/health/ready" "The service" || { tail -n 30 "$WORK/service-$port.log" >&2; return 1; }
}

stack_stop() { kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
