#!/usr/bin/env bash
# Memory over a steady run: every service's resident memory (RSS) sampled every 10 s while behaviour logs and
# business transactions flow at a steady rate (release builds, a private stack on free ports). Prints the
# series per service, its first and last sample, peak (VmHWM) and the growth from the first minute's average
# to the last minute's; the baseline of the run is the services' RSS when idle before the traffic.
#   scripts/bench-memory.sh                      10 minutes, 300 events/s, 5 transactions/s
#   BENCH_MINUTES=10 BENCH_RATE=300 BENCH_TX_RATE=5 scripts/bench-memory.sh
# Results also go to .local/bench/memory-<time>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SKIP_BUILD=1 scripts/setup.sh
MINUTES=${BENCH_MINUTES:-10}
RATE=${BENCH_RATE:-300}
TX_RATE=${BENCH_TX_RATE:-5}
RESULTS="$PWD/.local/bench"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)

use_bench_stack
load_pids=()
bench_cleanup() { ((${#load_pids[@]} == 0)) || kill "${load_pids[@]}" 2>/dev/null; }
start_bench_services
SERVICES=(log-ingest enricher sink-es query-api cdc)
sample() {   # one line: RSS in kB of each service, in SERVICES order
  local svc line=""
  for svc in "${SERVICES[@]}"; do line+="$(awk '/VmRSS/ { print $2 }' "/proc/$(cat "$RUN/$svc.pid")/status") "; done
  echo "$line"
}
sleep 5
idle=$(sample)

seconds=$(( MINUTES * 60 ))
step "steady traffic for $MINUTES min: $RATE events/s, $TX_RATE business transactions/s; RSS every 10 s"
# Enough devices and orders to outlast the run (about 10 events per device, 2.3 transactions per order).
"$BIN_DIR/shop-sim" --devices $(( RATE * seconds / 9 + 100 )) --days 1 --seed 21 --start-date 2026-11-01 \
  --rate "$RATE" --ingest-url "http://$INGEST_ADDR" >"$LOGS/events-load.log" 2>&1 &
load_pids+=($!)
"$BIN_DIR/shop-sim" --days 1 --seed 21 --start-date 2026-11-01 --skip-events --shop-db "127.0.0.1:$MARIADB_PORT" \
  --orders-per-day $(( TX_RATE * seconds / 2 + 100 )) --business-rate "$TX_RATE" >"$LOGS/business-load.log" 2>&1 &
load_pids+=($!)
samples="$GMALL_LOCAL/samples"
: >"$samples"
for ((t = 10; t <= seconds; t += 10)); do
  sleep 10
  for pid in "${load_pids[@]}"; do alive "$pid" || die "a load generator ended early (see $LOGS/*-load.log)"; done
  echo "$t $(sample)" >>"$samples"
  printf '\r  %d/%d s' "$t" "$seconds"
done
echo
peaks=""
for svc in "${SERVICES[@]}"; do peaks+="$(awk '/VmHWM/ { print $2 }' "/proc/$(cat "$RUN/$svc.pid")/status") "; done

mkdir -p "$RESULTS"
python3 - "$samples" "$RESULTS/memory-$STAMP.json" "${SERVICES[*]}" "$idle" "$peaks" "$RATE" "$TX_RATE" <<'PY'
import json, sys
samples_file, out, services = sys.argv[1], sys.argv[2], sys.argv[3].split()
idle = [int(v) for v in sys.argv[4].split()]
peaks = [int(v) for v in sys.argv[5].split()]
rows = [[int(v) for v in line.split()] for line in open(samples_file) if line.strip()]
times = [row[0] for row in rows]
result = {"rate_events_per_s": int(sys.argv[6]), "rate_transactions_per_s": int(sys.argv[7]), "interval_s": 10,
          "services": {}}
print(f"RSS in MB every 10 s over {times[-1]} s (idle before the traffic: the baseline)")
for i, name in enumerate(services):
    series = [row[i + 1] / 1024 for row in rows]
    per_minute = max(1, 60 // 10)
    first, last = series[:per_minute], series[-per_minute:]
    growth = sum(last) / len(last) - sum(first) / len(first)
    result["services"][name] = {"idle_mb": round(idle[i] / 1024, 1), "peak_mb": round(peaks[i] / 1024, 1),
                                "first_minute_mb": round(sum(first) / len(first), 1),
                                "last_minute_mb": round(sum(last) / len(last), 1),
                                "growth_mb": round(growth, 1), "series_mb": [round(v, 1) for v in series]}
    print(f"{name:11} idle {idle[i] / 1024:6.1f}  first minute {sum(first) / len(first):6.1f}  "
          f"last minute {sum(last) / len(last):6.1f}  growth {growth:+6.1f}  peak {peaks[i] / 1024:6.1f}")
    print("            series: " + " ".join(f"{v:.0f}" for v in series))
json.dump(result, open(out, "w"), indent=1)
print(f"results written to {out}")
PY
echo "load: $(tail -n 1 "$LOGS/events-load.log" 2>/dev/null)"
