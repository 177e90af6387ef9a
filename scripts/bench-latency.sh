#!/usr/bin/env bash
# End-to-end latency benchmark: POST of one event of a new device to log-ingest -> counted by query-api's
# /v1/dau (log-ingest, Kafka, the enricher, sink-es, Elasticsearch, query-api; release builds, a private
# stack on free ports). Probes one at a time (scripts/bench_latency.py), first on a quiet pipeline (the
# baseline of the run), then under a steady background load of behaviour logs on another day.
#   scripts/bench-latency.sh
#   BENCH_PROBES=100 BENCH_RATE=2000 BENCH_REFRESH_INTERVAL=1s scripts/bench-latency.sh (the defaults)
#   BENCH_RATE=0 skips the loaded probes; BENCH_REFRESH_INTERVAL is sink-es's SINK_REFRESH_INTERVAL
# Results also go to .local/bench/latency-{quiet,loaded}-<time>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SKIP_BUILD=1 scripts/setup.sh
PROBES=${BENCH_PROBES:-100}
RATE=${BENCH_RATE:-2000}
export SINK_REFRESH_INTERVAL=${BENCH_REFRESH_INTERVAL:-1s}
RESULTS="$PWD/.local/bench"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)

use_bench_stack
load_pid=
bench_cleanup() { [[ -z $load_pid ]] || kill "$load_pid" 2>/dev/null; }
start_bench_services
mkdir -p "$RESULTS"
probe() {   # probe NAME: $PROBES probes on a day of their own
  python3 scripts/bench_latency.py --ingest-url "http://$INGEST_ADDR" --query-url "http://$QUERY_ADDR" \
    --write-key "$INGEST_WRITE_KEY" --token "$QUERY_API_TOKEN" --date "$2" --probes "$PROBES" \
    --json "$RESULTS/latency-$1-$STAMP.json"
}
cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat"; }

step "baseline: $PROBES probes on a quiet pipeline (indices refreshed every $SINK_REFRESH_INTERVAL)"
probe quiet 2026-11-03
(( RATE > 0 )) || exit 0

step "$PROBES probes under a steady $RATE events/s of other devices' logs (on another day)"
# Enough devices to outlast the probes (about 10 events each).
"$BIN_DIR/shop-sim" --devices $(( RATE * 20 )) --days 1 --seed 11 --start-date 2026-11-01 --rate "$RATE" \
  --ingest-url "http://$INGEST_ADDR" >"$LOGS/background-load.log" 2>&1 &
load_pid=$!
sleep 5
declare -A before
for svc in log-ingest enricher sink-es query-api; do before[$svc]=$(cpu_ms "$(cat "$RUN/$svc.pid")"); done
before[noida]=$(cpu_ms "$(cat "$RUN/noida.pid")"); began=$(date +%s.%N)
probe loaded 2026-11-04 || echo "(the pipeline did not keep up with $RATE events/s: see the CPU figures)"
alive "$load_pid" || echo "note: the background load ended before the probes (see $LOGS/background-load.log)"
elapsed=$(echo "$(date +%s.%N) - $began" | bc)
printf 'CPU during the loaded probes (%.0f s), %% of one core:' "$elapsed"
for svc in log-ingest enricher sink-es query-api noida; do
  pidfile="$RUN/$svc.pid"
  printf ' %s %.0f' "$svc" "$(echo "($(cpu_ms "$(cat "$pidfile")") - ${before[$svc]}) / 10 / $elapsed" | bc -l)"
done
echo
