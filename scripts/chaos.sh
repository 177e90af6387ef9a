#!/usr/bin/env bash
# Chaos test: the simulator's behaviour logs and business transactions flow at a steady rate while a
# seeded loop injects faults for CHAOS_SECONDS: SIGKILL of a service (log-ingest, either of two enricher
# and two sink-es replicas, query-api, cdc) then its restart; SIGKILL of Redis, restarted from its
# append-only file (which may lose its last second of offsets: replayed, harmlessly); SIGSTOP of the
# Kafka/Elasticsearch stand-in for up to 20 s, then SIGCONT (never SIGKILL: the stand-in loses
# acknowledged writes then); a restart of MariaDB. Afterwards every answer must equal the simulator's
# expected ones exactly: DAU per day and hour, and every business answer. Prints the faults, the
# clients' retries and the time to converge after the last fault.
#   scripts/chaos.sh                                 60 s, a random seed (printed; CHAOS_SEED replays it)
#   CHAOS_SECONDS=900 CHAOS_SEED=7 scripts/chaos.sh  a 15-minute run
#   CHAOS_KEEP=1 scripts/chaos.sh                    on failure, leave the stack running to look into it
# Debug binaries from .build/debug (GMALL_BIN_DIR for others). Everything started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

CHAOS_SECONDS=${CHAOS_SECONDS:-60}
SEED=${CHAOS_SEED:-$(( (RANDOM << 15) | RANDOM ))}
EVENT_RATE=${CHAOS_EVENT_RATE:-200}            # events per second
BUSINESS_RATE=${CHAOS_BUSINESS_RATE:-20}       # shop transactions per second
# Enough traffic to last the chaos window at those rates (about 7 events per device and day).
DEVICES=${CHAOS_DEVICES:-$(( EVENT_RATE * CHAOS_SECONDS / 12 + 50 ))}
ORDERS=${CHAOS_ORDERS_PER_DAY:-$(( BUSINESS_RATE * CHAOS_SECONDS / 12 + 20 ))}
DAYS=2
for bin in log-ingest enricher sink-es query-api cdc shop-sim; do
  [[ -x $BIN_DIR/$bin ]] || die "$BIN_DIR/$bin is not built: run scripts/setup.sh (or swift build)"
done

export GMALL_LOCAL; GMALL_LOCAL=$(mktemp -d /tmp/gmall-chaos.XXXXXX)
use_private_ports
export GMALL_REPLICAS=2
source scripts/lib.sh   # again, for the private ports and folder
status=0
cleanup() {
  kill -CONT "$(cat "$RUN/noida.pid" 2>/dev/null)" 2>/dev/null || true
  kill "${traffic[@]}" 2>/dev/null || true
  if [[ $status != 0 && -n ${CHAOS_KEEP:-} ]]; then
    echo "stack left running (CHAOS_KEEP): GMALL_LOCAL=$GMALL_LOCAL; Kafka 127.0.0.1:$KAFKA_PORT, Elasticsearch" \
         "http://127.0.0.1:$ES_PORT, query-api http://$QUERY_ADDR; stop it with GMALL_LOCAL=$GMALL_LOCAL scripts/stack.sh stop" >&2
    return
  fi
  scripts/stack.sh stop >/dev/null 2>&1 || true
  rm -rf "${TMPDIR:-/tmp}/gmall-chaos-logs" && cp -r "$LOGS" "${TMPDIR:-/tmp}/gmall-chaos-logs" 2>/dev/null || true
  echo "logs kept in ${TMPDIR:-/tmp}/gmall-chaos-logs" >&2
  rm -rf "$GMALL_LOCAL"
}
traffic=()
trap cleanup EXIT
trap 'status=$?' ERR

step "chaos for ${CHAOS_SECONDS}s, seed $SEED: $DEVICES devices and $ORDERS orders a day over $DAYS days, " \
     "$EVENT_RATE events/s and $BUSINESS_RATE transactions/s (data in $GMALL_LOCAL)"
scripts/stack.sh start >/dev/null
scripts/stack.sh services >/dev/null
use_credentials

# The traffic: both simulators retry what fails (the events for up to 10 minutes; the shop transactions
# resume after the last committed one when MariaDB comes back).
"$BIN_DIR/shop-sim" --devices "$DEVICES" --days "$DAYS" --seed "$SEED" --start-date 2026-11-01 --rate "$EVENT_RATE" \
  --concurrency 4 --batch-size 50 --give-up-after 600 --ingest-url "http://$INGEST_ADDR" \
  --expected "$GMALL_LOCAL/expected.json" >"$LOGS/traffic-events.log" 2>&1 &
traffic+=($!)
"$BIN_DIR/shop-sim" --skip-events --days "$DAYS" --seed "$SEED" --start-date 2026-11-01 --orders-per-day "$ORDERS" \
  --business-rate "$BUSINESS_RATE" --survive-database-restarts --give-up-after 600 \
  --shop-db "127.0.0.1:$MARIADB_PORT" --business-expected "$GMALL_LOCAL/business-expected.json" \
  >"$LOGS/traffic-business.log" 2>&1 &
traffic+=($!)

# The faults, from the seed.
RANDOM=$SEED
instances=(log-ingest enricher enricher-1 sink-es sink-es-1 query-api cdc)
declare -A counts=()
fault() { counts[$1]=$(( ${counts[$1]:-0} + 1 )); printf '  %4ds  %s\n' "$(( SECONDS - began ))" "$2"; }
# SIGKILL the processes of these pid files and wait until they are gone (a dying process still looks alive,
# and its port may still answer: restarting too early would skip it).
kill_now() {
  local file pid pids=()
  for file in "$@"; do pid=$(cat "$RUN/$file.pid" 2>/dev/null) && pids+=("$pid"); done
  kill -9 "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 100); do
    local any=0
    for pid in "${pids[@]}"; do alive "$pid" && any=1; done
    (( any )) || return 0
    sleep 0.1
  done
}
began=$SECONDS
last_fault=$SECONDS
while (( SECONDS - began < CHAOS_SECONDS )); do
  sleep $(( 1 + RANDOM % 4 ))
  # As a supervisor would: a service that stopped by itself (a fatal Kafka error) is started again.
  scripts/stack.sh services >/dev/null
  case $(( RANDOM % 8 )) in
    0|1|2|3)
      name=${instances[$(( RANDOM % ${#instances[@]} ))]}
      kill_now "$name"
      fault "kill $name" "SIGKILL $name; restarted"
      scripts/stack.sh services >/dev/null ;;
    4)
      kill_now redis
      fault redis "SIGKILL Redis; restarted from its append-only file"
      scripts/stack.sh start >/dev/null ;;
    5)
      freeze=$(( 1 + RANDOM % 20 ))
      kill -STOP "$(cat "$RUN/noida.pid")"
      fault freeze "SIGSTOP the Kafka/Elasticsearch stand-in for ${freeze}s"
      sleep "$freeze"
      kill -CONT "$(cat "$RUN/noida.pid")" ;;
    6)
      stop_pidfile "$RUN/mariadb.pid"
      fault mariadb "MariaDB stopped and started again"
      scripts/stack.sh start >/dev/null ;;
    7)
      a=${instances[$(( RANDOM % ${#instances[@]} ))]}; b=${instances[$(( RANDOM % ${#instances[@]} ))]}
      kill_now "$a" "$b"
      fault "kill two" "SIGKILL $a and $b together; restarted"
      scripts/stack.sh services >/dev/null ;;
  esac
  last_fault=$SECONDS
done
summary=""; for kind in "${!counts[@]}"; do summary+="${kind}: ${counts[$kind]}, "; done
step "faults injected over $(( last_fault - began ))s: ${summary%, }"

step "waiting for the traffic to finish"
for pid in "${traffic[@]}"; do wait "$pid" || { status=$?; echo "a simulator failed:"; tail -n 5 "$LOGS"/traffic-*.log; exit $status; }; done
echo "  events:   $(tail -n 1 "$LOGS/traffic-events.log")"
echo "  business: $(tail -n 1 "$LOGS/traffic-business.log")"
grep -h "went away" "$LOGS/traffic-business.log" | sed 's/^/  /' | head -n 5 || true

step "waiting for every answer to equal the expected ones"
python3 scripts/compare_dau.py --expected "$GMALL_LOCAL/expected.json" --query-url "http://$QUERY_ADDR" --wait "${CHAOS_CONVERGE_WAIT:-300}" \
  >"$LOGS/compare-dau.log" 2>&1 || { status=$?; cat "$LOGS/compare-dau.log"; exit $status; }
tail -n 1 "$LOGS/compare-dau.log"
python3 scripts/compare_business.py --expected "$GMALL_LOCAL/business-expected.json" --es-url "http://127.0.0.1:$ES_PORT" \
  --prefix gmall_ --mariadb "127.0.0.1:$MARIADB_PORT" --query-url "http://$QUERY_ADDR" --wait "${CHAOS_CONVERGE_WAIT:-300}" \
  >"$LOGS/compare-business.log" 2>&1 || { status=$?; cat "$LOGS/compare-business.log"; exit $status; }
tail -n 1 "$LOGS/compare-business.log"
# How the consumers met the faults, from their logs.
incidents() { cat "$LOGS"/enricher*.log "$LOGS"/sink-es*.log 2>/dev/null | grep -c "$1" || true; }
echo "  consumers: $(incidents "batch fenced") batches fenced (another member committed first)," \
     "$(incidents "does not continue from the committed offsets") read again (gap after the committed offset)," \
     "$(incidents "failed for good") restarts after a fatal Kafka error"
step "chaos: all answers exact, $(( SECONDS - last_fault ))s after the last fault (seed $SEED)"
