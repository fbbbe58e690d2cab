#!/usr/bin/env bash
# Runs every benchmark under bench/ that is present, collects each one's key figures into one table, prints it and
# writes it (with the date, the machine and every benchmark's own table) to bench/results/latest.md.
# Quick modes by default so the whole run stays under about 10 minutes on 2 cores; BENCH_FULL=1 runs the full sizes
# (bench/drain alone then takes about 5 minutes). BENCH_ONLY="drain intake" runs a subset
# (names: drain intake summary forwarding micro).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$BENCH/results/latest.md"
LOGS="$(mktemp -d /tmp/miso-bench-all-XXXXXX)"
trap 'rm -rf "$LOGS"' EXIT
ONLY="${BENCH_ONLY:-drain intake summary forwarding micro}"
if [[ "${BENCH_FULL:-}" == 1 ]]; then QUICK=""; MODE="full"; else QUICK=1; MODE="quick"; fi
wanted() { [[ " $ONLY " == *" $1 "* ]]; }

ROWS=()          # "| benchmark | measure | value |"
STATUS=()        # "name: ok (N s)" / "name: FAILED (exit N)" / "name: absent"
row() { ROWS+=("| $1 | $2 | $3 |"); }

run() { # name, command...: runs it with a time limit, keeps stdout+stderr in $LOGS/name.log
  local name="$1"; shift
  local start=$SECONDS rc
  echo "=== $name: $* ($MODE)" >&2
  timeout --kill-after=20 "${BENCH_TIMEOUT:-420}" "$@" >"$LOGS/$name.log" 2>"$LOGS/$name.err"
  rc=$?
  if [[ $rc -eq 0 ]]; then STATUS+=("$name: ok ($((SECONDS - start)) s)")
  else STATUS+=("$name: FAILED (exit $rc after $((SECONDS - start)) s; last lines of its errors below)"); fi
  echo "    exit $rc after $((SECONDS - start)) s" >&2
  return $rc
}
kv() { # log, RESULT name, key
  grep "^RESULT $2 " "$LOGS/$1.log" | tail -n 1 | tr ' ' '\n' | grep "^$3=" | cut -d= -f2
}

export BENCH_QUICK="$QUICK"
echo "Building the service, emulator and migrations once (Release, /tmp/bench-build)..." >&2
if ( source "$BENCH/drain/stack.sh" && stack_build drain:bench/drain intake:bench/intake intake-baseline:bench/intake-baseline ); then export BENCH_SKIP_BUILD=1
else echo "The Release build failed; drain and intake will try again and say why." >&2; fi
# The per-key API rate limit (50/s, burst 100 by default) would answer the summary benchmark's 500 back-to-back polls
# with 429, and the per-Miso-key limit on /v1 (1000/s, burst 2000) the forwarding benchmark's uploads; these
# benchmarks measure the paths behind them, so both are lifted for every service started from here.
export RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000
export Forwarding__RateLimit__PermitsPerSecond=1000000 Forwarding__RateLimit__Burst=1000000

# --- drain (issue 4)
if wanted drain && [[ -x "$BENCH/drain/run.sh" ]]; then
  if run drain "$BENCH/drain/run.sh"; then
    ids="$(kv drain drain.batched ids)"
    row drain "batched: $ids ids end to end, wall time" "$(kv drain drain.batched wall_s) s"
    row drain "batched: Miso calls / ids per s" "$(kv drain drain.batched miso_calls) / $(kv drain drain.batched ids_per_s)"
    row drain "per id: ids/s (time-boxed $(kv drain drain.per_id measured_s) s)" "$(kv drain drain.per_id ids_per_s)"
    row drain "per id: wall time for $ids ids (projected)" "$(kv drain drain.per_id projected_wall_s) s"
    row drain "per id: Miso calls for $ids ids (projected)" "$(kv drain drain.per_id projected_calls)"
    row drain "batched ÷ per id: wall time / calls" "$(kv drain drain.ratio wall) / $(kv drain drain.ratio calls)"
  fi
else STATUS+=("drain: not run"); fi

# --- intake (issue 7)
if wanted intake && [[ -x "$BENCH/intake/run.sh" ]]; then
  if run intake "$BENCH/intake/run.sh"; then
    row intake "sustained, closed loop ($(kv intake intake.closed clients) clients, $(kv intake intake.closed tool))" \
      "$(kv intake intake.closed requests_per_s) requests/s"
    row intake "p50 / p99 at $(kv intake intake.open rate) requests/s open loop" \
      "$(kv intake intake.open p50_ms) / $(kv intake intake.open p99_ms) ms"
    row intake "baseline (one INSERT per request, same cluster, same run): closed loop" \
      "$(kv intake intake.baseline_closed requests_per_s) requests/s"
    row intake "baseline: p50 / p99 at $(kv intake intake.baseline_open rate) requests/s open loop" \
      "$(kv intake intake.baseline_open p50_ms) / $(kv intake intake.baseline_open p99_ms) ms"
    row intake "intake ÷ baseline: closed loop requests/s; open loop p50, p99 (baseline ÷ intake latency)" \
      "$(kv intake intake.ratio closed); $(kv intake intake.ratio open_p50), $(kv intake intake.ratio open_p99) (load $(kv intake intake.ratio load))"
  fi
else STATUS+=("intake: not run"); fi

# --- dashboard summary (prints a markdown table: | path | n | p50 | p99 |)
if wanted summary && [[ -x "$BENCH/summary/run.sh" ]]; then
  run summary "$BENCH/summary/run.sh"
  if [[ -s "$LOGS/summary.log" ]]; then
    while IFS='|' read -r _ path n p50 p99 _; do
      row summary "$(echo $path) (p50 / p99 over $(echo $n))" "$(echo $p50) / $(echo $p99) ms"
    done < <(grep -E '^\| [a-zA-Z].*\| +[0-9]+ \|' "$LOGS/summary.log")
  fi
else STATUS+=("summary: not run"); fi

# --- forwarding (prints a markdown table per batch size)
if wanted forwarding && [[ -x "$BENCH/forwarding/run.sh" ]]; then
  [[ -n "$QUICK" ]] && export FORWARDING_BENCH_SECONDS="${FORWARDING_BENCH_SECONDS:-3}"
  run forwarding "$BENCH/forwarding/run.sh"
  if [[ -s "$LOGS/forwarding.log" ]]; then
    while IFS='|' read -r _ batch direct proxy filtered ratio rounds dropped _; do
      row forwarding "batch $(echo $batch): straight / pass-through / forwarder (medians)" \
        "$(echo $direct) / $(echo $proxy) / $(echo $filtered) (forwarder ÷ pass-through $(echo $ratio); per round $(echo $rounds))"
    done < <(grep -E '^\| +[0-9][0-9,]* \|' "$LOGS/forwarding.log")
  fi
else STATUS+=("forwarding: not run (bench/forwarding/run.sh absent)"); fi

# --- BenchmarkDotNet micro-benchmarks (in-process ShortRun jobs, see its Program.cs)
if wanted micro && [[ -d "$BENCH/Miso.Privacy.Benchmarks" ]]; then
  MICRO="/tmp/bench-build/micro"
  if dotnet build "$BENCH/Miso.Privacy.Benchmarks" -c Release -o "$MICRO" -v quiet -nologo >"$LOGS/micro-build.out" 2>"$LOGS/micro-build.err"; then
    rm -rf "$MICRO/BenchmarkDotNet.Artifacts"
    if run micro bash -c "cd '$MICRO' && dotnet Miso.Privacy.Benchmarks.dll --filter '*' && dotnet Miso.Privacy.Benchmarks.dll --memory"; then
      # One row per benchmark case from the GitHub-flavoured reports: method [parameters], Mean, and MB/s when given.
      for report in "$MICRO"/BenchmarkDotNet.Artifacts/results/*-report-github.md; do
        class="$(basename "$report" | sed 's/-report-github.md//; s/.*\.//')"
        while IFS=$'\t' read -r what value; do row micro "$class.$what" "$value"; done < <(awk -F'|' '
          /^\| *Method/ { for (i = 2; i < NF; i++) { h = $i; gsub(/^ +| +$/, "", h); col[h] = i } next }
          /^\|[-: |]+$/ { next }
          /^\|/ && ("Method" in col) {
            m = $col["Method"]; gsub(/^ +| +$/, "", m)
            p = ""; if ("Records" in col) { r = $col["Records"]; gsub(/^ +| +$/, "", r); p = " [Records=" r "]" }
            mean = $col["Mean"]; gsub(/^ +| +$/, "", mean)
            extra = ""; if ("MB/s" in col) { t = $col["MB/s"]; gsub(/^ +| +$/, "", t); if (t != "-") extra = ", " t " MB/s" }
            if ("Allocated" in col) { a = $col["Allocated"]; gsub(/^ +| +$/, "", a); extra = extra ", allocated " a }
            printf "%s%s\tmean %s%s\n", m, p, mean, extra
          }' "$report" | tr -d '*')
      done
      while read -r line; do row micro "memory: ${line%%:*}" "${line#*: }"; done < <(grep -E '^(ReplaceAll|Add x)' "$LOGS/micro.log")
    fi
  else
    STATUS+=("micro: build FAILED: $(grep -m3 -E 'error' "$LOGS/micro-build.err" "$LOGS/micro-build.out" 2>/dev/null | tr '\n' ' ')")
  fi
else STATUS+=("micro: not run"); fi

# --- the table, printed and written to bench/results/latest.md
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
mem="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
{
  echo "# Benchmark results"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores, $mem memory, $cpu"
  echo "- commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) (${MODE} mode; \`bench/run.sh\`$([[ -n "$QUICK" ]] && echo ", BENCH_FULL=1 for the full sizes"))"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews these figures)"
  echo
  echo "| benchmark | measure | value |"
  echo "|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Runs:"
  printf -- '- %s\n' "${STATUS[@]}"
  for name in drain intake summary forwarding micro; do
    [[ -f "$LOGS/$name.log" ]] || continue
    echo
    echo "## $name"
    echo
    echo '```'
    if [[ "$name" == micro ]]; then
      cat /tmp/bench-build/micro/BenchmarkDotNet.Artifacts/results/*-report-github.md 2>/dev/null | grep -E '^\|' | tr -d '*'
      grep -E '^(ReplaceAll|Add x)' "$LOGS/micro.log"
    else
      grep -vE '^(RESULT|// |\s*$)' "$LOGS/$name.log" | grep -E '^\||^[A-Z][a-z]' | head -n 60
    fi
    if [[ " ${STATUS[*]} " == *"$name: FAILED"* ]]; then
      echo "--- last lines of its output and errors"; tail -n 8 "$LOGS/$name.log"; tail -n 20 "$LOGS/$name.err"
    fi
    echo '```'
  done
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
echo >&2
echo "Written to ${OUT#$ROOT/}." >&2
