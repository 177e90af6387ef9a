#!/usr/bin/env bash
# Events per second through log-ingest (HTTP → validated → acknowledged by Kafka), release build,
# on a private stack in a temporary folder. Prints, in the same run, the baseline: how fast the
# simulator alone generates and encodes the same events (--dry-run), so the figure is known to be
# the service's and not the client's.
#   DEVICES=5000 DAYS=2 CONCURRENCY=8 scripts/bench-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_CONFIGURATION=release
source scripts/lib.sh

DEVICES=${DEVICES:-5000}
DAYS=${DAYS:-2}
CONCURRENCY=${CONCURRENCY:-8}
BATCH=${BATCH:-200}

SKIP_BUILD=1 scripts/setup.sh
step "building release binaries"
swift build -c release --product log-ingest >/dev/null
swift build -c release --product shop-sim >/dev/null

work=$(mktemp -d /tmp/gmall-bench-XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; sleep 0.5; rm -rf "$work"' EXIT
kafka_port=29092; es_port=29200; ingest_port=28180
"$(noida_bin)" start --data-dir "$work/noida" --only kafka,elasticsearch --kafka-port $kafka_port \
  --elasticsearch-port $es_port >"$work/noida.log" 2>&1 & echo $! >"$work/noida.pid"
wait_for_port $kafka_port "noida-db (Kafka)"
new_secret "$work/write-key" "$work/write-keys" bench   # authenticated, as in production
export INGEST_WRITE_KEY="$(cat "$work/write-key")"
# Rate limits off: the benchmark measures how fast one client can go.
KAFKA_BROKERS=127.0.0.1:$kafka_port HTTP_ADDR=127.0.0.1:$ingest_port INGEST_WRITE_KEYS_FILE="$work/write-keys" \
  INGEST_KEY_RATE=0 INGEST_CLIENT_RATE=0 \
  "$BIN_DIR/log-ingest" >"$work/ingest.log" 2>&1 &
echo $! >"$work/ingest.pid"
wait_for_url "http://127.0.0.1:$ingest_port/readyz" log-ingest

sim=("$BIN_DIR/shop-sim" --devices "$DEVICES" --days "$DAYS" --seed 1 --concurrency "$CONCURRENCY" --batch-size "$BATCH")
step "baseline: the simulator alone (generate + encode, nothing sent)"
start=$(date +%s.%N)
"${sim[@]}" --dry-run --expected "$work/expected.json" 2>&1 | tail -n 2
echo "baseline wall time: $(echo "$(date +%s.%N) - $start" | bc) s"
step "through log-ingest ($CONCURRENCY requests in flight, $BATCH events each)"
"${sim[@]}" --ingest-url "http://127.0.0.1:$ingest_port" 2>&1 | tail -n 1
echo "log-ingest peak memory: $(grep VmHWM /proc/$(cat "$work/ingest.pid")/status | awk '{print $2, $3}')"
