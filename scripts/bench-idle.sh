#!/usr/bin/env bash
# Benchmark of an idle pipeline: CPU time of every process over BENCH_IDLE_SECONDS (default 30) with no
# data flowing, after some traffic has passed, next to baselines measured in the same run: the stand-in
# with no clients, and an idle `kcat -G` consumer group member (librdkafka's defaults) on the same stand-in.
# Then the same against librdkafka's mock cluster (Tools/kafka-mock), a broker that holds an empty fetch
# for fetch.wait.max.ms as Kafka does, with an idle `kcat -G` on it as the baseline: what idling costs the
# services where the broker behaves like Kafka.
#   scripts/bench-idle.sh                    release binaries (built into .build-bench)
#   BENCH_IDLE_SECONDS=10 scripts/bench-idle.sh
#   GMALL_BIN_DIR=.build/debug scripts/bench-idle.sh     binaries already built there (no release build)
# What it shows (2026-12): noida-db answers an empty Kafka fetch at once instead of holding it for
# fetch.wait.max.ms, so every idle consumer's librdkafka broker thread fetches again ~1,000 times a second
# and the stand-in answers each; kcat does the same. See docs/architecture.md, "Idle CPU".
# Figures also as JSON in .local/bench/idle-<time>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SKIP_BUILD=1 scripts/setup.sh
SECONDS_IDLE=${BENCH_IDLE_SECONDS:-30}
command -v kcat >/dev/null || die "kcat is missing: run scripts/setup.sh"

use_bench_stack
kcat_pid=
mock_pid=
RESULTS=$(mktemp)   # label, process, CPU ms: one line per measurement
bench_cleanup() {
  [[ -z $kcat_pid ]] || kill "$kcat_pid" 2>/dev/null
  [[ -z $mock_pid ]] || kill "$mock_pid" 2>/dev/null
  rm -f "$RESULTS"
}

# cpu_ms PID...: the CPU time (user + system) of each process, in ms, one line each.
cpu_ms() {
  local tick; tick=$(getconf CLK_TCK)
  for pid in "$@"; do awk -v t="$tick" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$pid/stat"; done
}
# measure LABEL NAME=PID...: each process's CPU over SECONDS_IDLE, printed as ms and % of one core.
measure() {
  local label=$1; shift
  local names=() pids=() before after i
  for pair in "$@"; do names+=("${pair%%=*}"); pids+=("${pair#*=}"); done
  mapfile -t before < <(cpu_ms "${pids[@]}")
  sleep "$SECONDS_IDLE"
  mapfile -t after < <(cpu_ms "${pids[@]}")
  for i in "${!pids[@]}"; do
    local ms=$(( after[i] - before[i] ))
    printf '  %-34s %-11s %6d ms  %5.2f%% of a core\n' "$label" "${names[i]}" "$ms" "$(python3 -c "print($ms / ($SECONDS_IDLE * 10))")"
    printf '%s\t%s\t%d\n' "$label" "${names[i]}" "$ms" >>"$RESULTS"
  done
}
pid_of() { cat "$RUN/$1.pid"; }
# services_cpu LABEL BROKER=PID: the broker's and every service's CPU over SECONDS_IDLE.
services_cpu() {
  local pairs=("$2")
  for svc in log-ingest enricher sink-es query-api cdc; do pairs+=("$svc=$(pid_of "$svc")"); done
  measure "$1" "${pairs[@]}"
}
# kcat_baseline LABEL BROKERS BROKER=PID: the services stopped, an idle `kcat -G` member on ods.log and the broker.
kcat_baseline() {
  stop_services
  sleep 2
  kcat -b "$2" -G bench-idle-kcat -o end ods.log >/dev/null 2>&1 &
  kcat_pid=$!
  sleep 10
  measure "$1" "kcat=$kcat_pid" "$3"
  kill "$kcat_pid"; kcat_pid=
}
stop_services() { for svc in log-ingest enricher sink-es query-api cdc; do stop_pidfile "$RUN/$svc.pid"; done; }

step "starting a private stack (data in $GMALL_LOCAL)"
scripts/stack.sh start >/dev/null
echo "figures: CPU time over $SECONDS_IDLE s of quiet, per process"

step "baseline: the stand-in with no clients"
measure "stand-in alone" "noida-db=$(pid_of noida)"

step "some traffic through every service, then quiet"
scripts/stack.sh services >/dev/null
use_credentials   # INGEST_WRITE_KEY and QUERY_API_TOKEN for shop-sim and the checks
"$BIN_DIR/shop-sim" --devices 50 --days 1 --seed 3 --ingest-url "http://$INGEST_ADDR" --shop-db "127.0.0.1:$MARIADB_PORT" \
  --orders-per-day 50 --expected "$GMALL_LOCAL/expected.json" --business-expected "$GMALL_LOCAL/business.json" 2>&1 | tail -n 1
sleep 10
services_cpu "services idle" "noida-db=$(pid_of noida)"
rss() { awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$(pid_of "$1")/status"; }
echo "peak RSS: log-ingest $(rss log-ingest), enricher $(rss enricher), sink-es $(rss sink-es), query-api $(rss query-api), cdc $(rss cdc)"

step "baseline: an idle kcat consumer group member on ods.log (services stopped)"
kcat_baseline "kcat -G (librdkafka defaults)" "127.0.0.1:$KAFKA_PORT" "noida-db=$(pid_of noida)"

step "the services against librdkafka's mock cluster (holds empty fetches as Kafka does)"
# Every topic of the code, with the services' partition count (the mock cannot create topics).
topics=()
for topic in ods.log ods.db dwd.page_log dwd.dau dwd.order dwd.order_wide dwd.dimension dlq.enricher dlq.sink-es; do
  topics+=("$topic:${KAFKA_TOPIC_PARTITIONS:-4}")
done
"$BIN_DIR/kafka-mock" --bootstrap-file "$GMALL_LOCAL/kafka-mock.address" "${topics[@]}" >"$LOGS/kafka-mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 100); do [[ -s $GMALL_LOCAL/kafka-mock.address ]] && break; sleep 0.1; done
[[ -s $GMALL_LOCAL/kafka-mock.address ]] || die "kafka-mock did not start: $(tail -n 3 "$LOGS/kafka-mock.log")"
export GMALL_KAFKA_BROKERS; GMALL_KAFKA_BROKERS=$(cat "$GMALL_LOCAL/kafka-mock.address")
# Offsets and positions in Redis belong to the stand-in's topics: start afresh.
redis-cli -p "$REDIS_PORT" flushall >/dev/null
scripts/stack.sh services >/dev/null
"$BIN_DIR/shop-sim" --devices 50 --days 1 --seed 4 --start-date 2026-10-01 --ingest-url "http://$INGEST_ADDR" \
  --expected "$GMALL_LOCAL/expected-mock.json" 2>&1 | tail -n 1
sleep 10
services_cpu "services idle (mock broker)" "kafka-mock=$mock_pid"
dau=$(curl -sf -H "Authorization: Bearer $QUERY_API_TOKEN" "http://$QUERY_ADDR/v1/dau?date=2026-10-01" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["dau"])')
echo "  traffic went through the mock broker: /v1/dau of 2026-10-01 = $dau (expected $(python3 -c \
  'import json, sys; print(json.load(open(sys.argv[1]))["days"]["2026-10-01"]["dau"])' "$GMALL_LOCAL/expected-mock.json"))"

step "baseline: an idle kcat consumer group member on the mock broker's ods.log (services stopped)"
kcat_baseline "kcat -G on the mock broker" "$GMALL_KAFKA_BROKERS" "kafka-mock=$mock_pid"

mkdir -p .local/bench
json=".local/bench/idle-$(date -u +%Y%m%dT%H%M%SZ).json"
python3 - "$RESULTS" "$SECONDS_IDLE" >"$json" <<'PY'
import json, sys
seconds = int(sys.argv[2])
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
print(json.dumps({"benchmark": "idle", "seconds": seconds, "measurements": [
    {"phase": phase, "process": process, "cpu_ms": int(ms), "percent_of_core": round(int(ms) / (seconds * 10), 2)}
    for phase, process, ms in rows]}, indent=1))
PY
echo "figures written to $json"

