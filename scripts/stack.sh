#!/usr/bin/env bash
# The local stack: Redis and the Kafka + Elasticsearch stand-in (noida-db), plus the four services.
#   scripts/stack.sh start      start Redis and noida-db (data under .local/)
#   scripts/stack.sh services   start log-ingest, enricher, sink-es and query-api (after start)
#   scripts/stack.sh stop       stop the services and the stack (data is kept)
#   scripts/stack.sh status     what runs, with its address
#   scripts/stack.sh reset      stop, then delete .local/
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

SERVICES=(log-ingest enricher sink-es query-api)

start_stack() {
  mkdir -p "$RUN" "$LOGS" "$LOCAL/redis" "$LOCAL/noida"
  if ! [[ -f $RUN/redis.pid ]] || ! kill -0 "$(cat "$RUN/redis.pid")" 2>/dev/null; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$LOCAL/redis" --appendonly yes \
      --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$LOGS/redis.log"
  fi
  if ! [[ -f $RUN/noida.pid ]] || ! kill -0 "$(cat "$RUN/noida.pid")" 2>/dev/null; then
    local bin; bin=$(noida_bin); [[ -n $bin ]] || die "noida-db is not installed: run scripts/setup.sh"
    nohup "$bin" start --data-dir "$LOCAL/noida" --only kafka,elasticsearch \
      --kafka-port "$KAFKA_PORT" --elasticsearch-port "$ES_PORT" >"$LOGS/noida-db.log" 2>&1 &
    echo $! >"$RUN/noida.pid"
  fi
  wait_for_port "$REDIS_PORT" redis
  wait_for_port "$KAFKA_PORT" "noida-db (Kafka)"
  wait_for_port "$ES_PORT" "noida-db (Elasticsearch)"
  sleep 0.3
  kill -0 "$(cat "$RUN/noida.pid")" 2>/dev/null || die "noida-db exited: $(tail -n 3 "$LOGS/noida-db.log")"
}

service_env() {
  echo KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" REDIS_ADDR="127.0.0.1:$REDIS_PORT" \
    ELASTICSEARCH_URL="http://127.0.0.1:$ES_PORT"
}

start_services() {
  for svc in "${SERVICES[@]}"; do
    [[ -x $BIN_DIR/$svc ]] || die "$BIN_DIR/$svc is not built: run scripts/setup.sh"
    if [[ -f $RUN/$svc.pid ]] && kill -0 "$(cat "$RUN/$svc.pid")" 2>/dev/null; then continue; fi
    local addr
    case $svc in
      log-ingest) addr=$INGEST_ADDR ;; query-api) addr=$QUERY_ADDR ;;
      enricher) addr=$ENRICHER_ADDR ;; sink-es) addr=$SINK_ADDR ;;
    esac
    env $(service_env) HTTP_ADDR="$addr" KAFKA_GROUP_INSTANCE_ID="$svc-0" nohup "$BIN_DIR/$svc" >"$LOGS/$svc.log" 2>&1 &
    echo $! >"$RUN/$svc.pid"
  done
  wait_for_url "http://$INGEST_ADDR/readyz" log-ingest
  wait_for_url "http://$ENRICHER_ADDR/readyz" enricher
  wait_for_url "http://$SINK_ADDR/readyz" sink-es
  wait_for_url "http://$QUERY_ADDR/readyz" query-api
}

stop_all() {
  for svc in "${SERVICES[@]}"; do stop_pidfile "$RUN/$svc.pid"; done
  stop_pidfile "$RUN/noida.pid"
  stop_pidfile "$RUN/redis.pid"
}

status() {
  local name file
  for name in redis noida "${SERVICES[@]}"; do
    file=$RUN/$name.pid
    if [[ -f $file ]] && kill -0 "$(cat "$file")" 2>/dev/null; then echo "$name: running (pid $(cat "$file"))"
    else echo "$name: stopped"; fi
  done
  cat <<EOT
Redis          redis://127.0.0.1:$REDIS_PORT
Kafka          127.0.0.1:$KAFKA_PORT
Elasticsearch  http://127.0.0.1:$ES_PORT
log-ingest     http://$INGEST_ADDR/v1/events   (/healthz /readyz /metrics)
query-api      http://$QUERY_ADDR/v1/dau?date=YYYY-MM-DD
enricher       http://$ENRICHER_ADDR/metrics
sink-es        http://$SINK_ADDR/metrics
logs           $LOGS
EOT
}

case "${1:-}" in
  start) start_stack ;;
  services) start_services ;;
  stop) stop_all ;;
  status) status ;;
  reset) stop_all; rm -rf "$LOCAL" ;;
  *) sed -n '2,8p' "$0" >&2; exit 2 ;;
esac
