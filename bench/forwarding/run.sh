#!/usr/bin/env bash
# Records/s to one emulator three ways, under the same load: straight, through a pass-through proxy (YARP), and
# through the forwarder with 1,000,000 suppressed subjects. Starts its own PostgreSQL, emulator, proxy and service
# (Release builds, loopback only), prints a table, and removes everything it made.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/forwarding"
SECONDS_PER_RUN="${FORWARDING_BENCH_SECONDS:-5}"
# Which tables: any of 100, 10000 (upload batch sizes) and recommendation, comma-separated.
CASES="${FORWARDING_CASES:-100,10000,recommendation}"
# FORWARDING_TRACE=<case> (100, 10000 or recommendation): instead of the tables, load the pass-through and then the
# service with that case alone, and print each one's process CPU per call and top functions: from perf (the
# processes write perf maps for JIT-compiled code), or without perf from a sampled thread-time dotnet-trace
# (dotnet tool install -g dotnet-trace).
TRACE_CASE="${FORWARDING_TRACE:-}"
TOOLS="${DOTNET_TOOLS:-$HOME/.dotnet/tools}"
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
# Perf maps name JIT-compiled code; without W^X the code is not double-mapped, so perf can place it in them.
if [[ -n "$TRACE_CASE" ]]; then export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0; fi
(cd "$ROOT/src/Miso.Emulator/bin/Release/net10.0" && MISO_EMULATOR_PORT="$EMULATOR_PORT" exec dotnet Miso.Emulator.dll) &
PIDS+=($!)
dotnet "$HERE/bin/Release/net10.0/ForwardingBench.dll" proxy "$PROXY_PORT" "http://127.0.0.1:$EMULATOR_PORT" &
PROXY=$!
PIDS+=($PROXY)
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

if [[ -n "$TRACE_CASE" ]]; then
  WORK="$(mktemp -d)"
  SEND=(dotnet "$HERE/bin/Release/net10.0/ForwardingBench.dll" send)
  cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
  echo "# $TRACE_CASE, one path at a time ($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the start)"
  for side in proxy service; do
    if [[ $side == proxy ]]; then pid=$PROXY; url="http://127.0.0.1:$PROXY_PORT/"; else pid=$SERVICE; url="http://127.0.0.1:$SERVICE_PORT/"; fi
    # Warm-up long enough for tiered compilation to finish on a busy machine: its thread is not the per-call cost.
    "${SEND[@]}" "$url" "http://127.0.0.1:$EMULATOR_PORT/" "$TRACE_CASE" "${FORWARDING_TRACE_WARMUP:-20}" >/dev/null
    before=$(cpu_ticks "$pid")
    if command -v perf >/dev/null; then
      perf record -F 997 -g -p "$pid" -o "$WORK/$side.perf" >/dev/null 2>&1 &
    else
      "$TOOLS/dotnet-trace" collect -p "$pid" --profile dotnet-sampled-thread-time -o "$WORK/$side.nettrace" >/dev/null 2>&1 &
    fi
    profiler=$!
    result="$("${SEND[@]}" "$url" "http://127.0.0.1:$EMULATOR_PORT/" "$TRACE_CASE" 6)"
    kill -INT "$profiler" 2>/dev/null || true; wait "$profiler" 2>/dev/null || true
    after=$(cpu_ticks "$pid")
    calls=$(sed -E 's/.*calls=([0-9]+).*/\1/' <<<"$result")
    echo
    echo "## $side: $result; process CPU $(awk -v t=$((after - before)) -v c="$calls" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f µs per call", t / hz * 1e6 / c }')"
    if [[ -s "$WORK/$side.perf" ]]; then
      perf report -i "$WORK/$side.perf" --no-children --sort comm,dso --stdio -g none --percent-limit 1 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 12
      perf report -i "$WORK/$side.perf" --no-children --sort sym --stdio -g none --percent-limit 0.4 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 60
    else
      "$TOOLS/dotnet-trace" report "$WORK/$side.nettrace" topN -n 40 2>&1 | head -n 45 || true
    fi
  done
  if [[ -n "${FORWARDING_STRACE:-}" ]] && command -v strace >/dev/null; then
    # Syscalls per call (strace slows the process down; the counts, not the times, are the point).
    for side in proxy service; do
      if [[ $side == proxy ]]; then pid=$PROXY; url="http://127.0.0.1:$PROXY_PORT/"; else pid=$SERVICE; url="http://127.0.0.1:$SERVICE_PORT/"; fi
      strace -c -f -p "$pid" -o "$WORK/$side.strace" &
      tracer=$!
      sleep 1
      result="$("${SEND[@]}" "$url" "http://127.0.0.1:$EMULATOR_PORT/" "$TRACE_CASE" 4)"
      kill -INT "$tracer" 2>/dev/null || true; wait "$tracer" 2>/dev/null || true
      calls=$(sed -E 's/.*calls=([0-9]+).*/\1/' <<<"$result")
      echo
      echo "## $side: syscalls per call ($result)"
      awk -v c="$calls" '$1 ~ /^[0-9.]+$/ && NF >= 5 { printf "  %-20s %6.2f\n", $NF, $4 / c }' "$WORK/$side.strace" | sort -k2 -nr | head -n 12
    done
  fi
  echo "Profiles kept in $WORK (perf report -i <file>, with the perf maps the processes wrote to /tmp)." >&2
  exit 0
fi

echo
echo "Interaction uploads, records/s ($(nproc) cores, $SECONDS_PER_RUN s per cell, 5 interleaved rounds after 8 s of warm-up per path, medians, 4 senders, 10 % of records name a suppressed user)"
dotnet "$HERE/bin/Release/net10.0/ForwardingBench.dll" load \
  "http://127.0.0.1:$EMULATOR_PORT/" "http://127.0.0.1:$PROXY_PORT/" "http://127.0.0.1:$SERVICE_PORT/" "$SECONDS_PER_RUN" "$CASES"
