#!/usr/bin/env bash
# Where log-ingest's CPU goes: release build, a private stand-in, shop-sim sending events as fast as it can
# (8 requests in flight, 200 events each) while `perf record` samples log-ingest; then the same events
# produced straight to the same stand-in by `kcat -P` (acks=all, idempotent) as the baseline of this run.
# Prints events/s, CPU per event of log-ingest and of the stand-in for both paths, and perf's top symbols.
#   DEVICES=12000 scripts/profile-ingest.sh        (about 175,000 events)
set -eu
cd "$(dirname "$0")/.."
export SWIFT_CONFIGURATION=release
source scripts/lib.sh

SKIP_BUILD=1 scripts/setup.sh
install_debian_packages linux-perf || true
step "building release binaries"
swift build -c release --product log-ingest >/dev/null
swift build -c release --product shop-sim >/dev/null

work=$(mktemp -d /tmp/gmall-profile-XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; sleep 0.5; rm -rf "$work"' EXIT
# Rate limits off: the profile measures how fast one client can go.
start_private_ingest "$work" bench INGEST_KEY_RATE=0 INGEST_CLIENT_RATE=0
export INGEST_WRITE_KEY; INGEST_WRITE_KEY=$(cat "$work/write-key")

cpu_ms() { awk '{print ($14 + $15) * 10}' "/proc/$1/stat"; }   # user + system, in ms (100 ticks/s)
ingest=$(cat "$work/ingest.pid"); noida=$(cat "$work/noida.pid")
step "through log-ingest, sampled by perf"
i0=$(cpu_ms "$ingest"); n0=$(cpu_ms "$noida")
perf record -F 499 -g -p "$ingest" -o "$work/perf.data" >/dev/null 2>&1 & perf_pid=$!
"$BIN_DIR/shop-sim" --devices "${DEVICES:-12000}" --days 2 --seed 1 --concurrency 8 --batch-size 200 \
  --ingest-url "http://127.0.0.1:$ingest_port" 2>&1 | tail -n 1
kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
i1=$(cpu_ms "$ingest"); n1=$(cpu_ms "$noida")
# The stand-in answers a fetch with a partition's whole log, whatever the size asked for: allow large answers.
kcat -C -b "127.0.0.1:$kafka_port" -t ods.log -e -q -X receive.message.max.bytes=1000000000 -f '%s\n' >"$work/events.txt"
events=$(wc -l <"$work/events.txt")
echo "log-ingest: $events events; CPU $(( i1 - i0 )) ms ($(( (i1 - i0) * 1000 / events )) µs/event); stand-in CPU $(( n1 - n0 )) ms ($(( (n1 - n0) * 1000 / events )) µs/event)"

step "baseline: the same events straight to the stand-in with kcat -P"
n2=$(cpu_ms "$noida"); start=$(date +%s.%N)
kcat -P -b "127.0.0.1:$kafka_port" -t bench.kcat -X acks=all -X enable.idempotence=true -l "$work/events.txt"
seconds=$(echo "$(date +%s.%N) - $start" | bc); n3=$(cpu_ms "$noida")
echo "kcat -P: $events events in ${seconds} s ($(echo "$events / $seconds" | bc) events/s); stand-in CPU $(( n3 - n2 )) ms ($(( (n3 - n2) * 1000 / events )) µs/event)"

step "log-ingest's top symbols (self time)"
perf report -i "$work/perf.data" --no-children --sort dso,symbol -g none --stdio 2>/dev/null | grep '%' | head -n 25 \
  | /opt/swift/usr/bin/swift-demangle --simplified | cut -c1-150 || true
perf report -i "$work/perf.data" --no-children --sort dso -g none --stdio 2>/dev/null | grep '%' | head -n 6 || true
