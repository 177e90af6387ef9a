#!/usr/bin/env bash
# The benchmarks' one entry point: runs the chosen ones in turn (each builds release, starts its own servers on
# free ports and prints its figures next to a baseline of the same run), keeps each one's output in
# .local/bench/<name>-<time>.log and writes a summary of the run to .local/bench/run-<time>.json (per
# benchmark: command, exit status, seconds, log, and the JSON results of those that write them).
#   scripts/bench.sh                      all of them, in the order below (more than an hour on 2 cores)
#   scripts/bench.sh ingest latency       only these
# Benchmarks: ingest (bench-ingest.sh), profile (profile-ingest.sh: CPU per event, perf), idle (bench-idle.sh),
# latency (bench-latency.sh), query (bench-query.sh), business (bench-business.sh), cdc (bench-cdc.sh),
# memory (bench-memory.sh: RSS every 10 s over a steady 10-minute run).
# Their own variables (BENCH_PROBES, DEVICES, ...) pass through.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

declare -A SCRIPTS=([ingest]=bench-ingest.sh [profile]=profile-ingest.sh [idle]=bench-idle.sh
                    [latency]=bench-latency.sh [query]=bench-query.sh [business]=bench-business.sh [cdc]=bench-cdc.sh
                    [memory]=bench-memory.sh)
ORDER=(ingest profile idle latency query business cdc memory)
chosen=("$@")
((${#chosen[@]})) || chosen=("${ORDER[@]}")
for name in "${chosen[@]}"; do
  [[ -n ${SCRIPTS[$name]:-} ]] || die "unknown benchmark '$name' (one of: ${ORDER[*]})"
done

results="$PWD/.local/bench"
mkdir -p "$results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
summary="$results/run-$stamp.json"
entries=()
failed=0
for name in "${chosen[@]}"; do
  script=scripts/${SCRIPTS[$name]}
  log="$results/$name-$stamp.log"
  step "$name: $script (output also in $log)"
  marker=$(mktemp); began=$(date +%s)
  "$script" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  seconds=$(( $(date +%s) - began ))
  # The JSON results this benchmark wrote during its run.
  written=$(find "$results" -maxdepth 1 -name '*.json' -newer "$marker" ! -name 'run-*' -printf '%f\n' | sort)
  rm -f "$marker"
  (( status == 0 )) || { failed=1; echo "$name failed (exit $status)" >&2; }
  entries+=("$(python3 -c 'import json,sys; print(json.dumps({"name": sys.argv[1], "command": sys.argv[2],
    "exit": int(sys.argv[3]), "seconds": int(sys.argv[4]), "log": sys.argv[5],
    "results": [line for line in sys.argv[6].splitlines() if line]}))' \
    "$name" "$script" "$status" "$seconds" "$(basename "$log")" "$written")")
done
python3 -c 'import json,sys; json.dump({"started": sys.argv[2], "benchmarks": [json.loads(e) for e in sys.argv[3:]]},
  open(sys.argv[1], "w"), indent=1)' "$summary" "$stamp" "${entries[@]}"
echo "summary: $summary"
exit $failed
