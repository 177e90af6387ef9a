#!/usr/bin/env bash
# The local stack: Redis, the Kafka + Elasticsearch stand-in (noida-db) and the shop's MariaDB, plus
# the services.
#   scripts/stack.sh start      start Redis, noida-db and MariaDB with the shop's schema (data under .local/)
#   scripts/stack.sh services   start log-ingest, enricher, sink-es, query-api and cdc (after start), then
#                               load the shop's reference data (scripts/shop-seed.sql) through cdc
#   scripts/stack.sh stop       stop the services and the stack (data is kept)
#   scripts/stack.sh status     what runs, with its address
#   scripts/stack.sh sql        run the SQL on standard input in the shop database (as root)
#   scripts/stack.sh reset      stop, then delete .local/
# GMALL_REPLICAS=2 runs enricher and sink-es twice (the second on its port + 1, as enricher-1 and sink-es-1);
# `services` (re)starts whatever of them is not running.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

SERVICES=(log-ingest enricher sink-es query-api cdc)
MARIADB="$LOCAL/mariadb"
# mariadbd refuses to run as root unless told to.
MARIADB_USER_ARG=(); [[ $(id -u) == 0 ]] && MARIADB_USER_ARG=(--user=root)

# shop_sql [mariadb options]: runs the SQL on standard input as root.
shop_sql() { mariadb --no-defaults --host=127.0.0.1 --port="$MARIADB_PORT" --user=root --batch "$@"; }

# The shop database, with the binlog settings cdc needs, the schema (no rows: cdc starts at the binlog's
# end, so rows written before it runs would never reach the pipeline) and a least-privilege `cdc` user
# whose password is generated on first start and kept in .local/cdc-password.
start_mariadb() {
  if ! [[ -d $MARIADB/data/mysql ]]; then
    mkdir -p "$MARIADB/data" "$MARIADB/tmp"
    mariadb-install-db --no-defaults --datadir="$MARIADB/data" --tmpdir="$MARIADB/tmp" --skip-test-db \
      --auth-root-authentication-method=normal ${MARIADB_USER_ARG[@]+"${MARIADB_USER_ARG[@]}"} \
      >"$LOGS/mariadb-install.log" 2>&1 || die "mariadb-install-db failed (see $LOGS/mariadb-install.log)"
  fi
  if ! [[ -f $RUN/mariadb.pid ]] || ! alive "$(cat "$RUN/mariadb.pid")"; then
    nohup mariadbd --no-defaults --datadir="$MARIADB/data" --tmpdir="$MARIADB/tmp" --port="$MARIADB_PORT" \
      --bind-address=127.0.0.1 --socket="$RUN/mariadb.sock" --log-error="$LOGS/mariadb.log" \
      --log-bin="$MARIADB/data/binlog" --server-id=1 --binlog-format=ROW --binlog-row-image=FULL \
      --binlog-row-metadata=FULL --character-set-server=utf8mb4 --default-time-zone=+00:00 \
      --innodb-buffer-pool-size=64M ${MARIADB_USER_ARG[@]+"${MARIADB_USER_ARG[@]}"} >/dev/null 2>&1 &
    echo $! >"$RUN/mariadb.pid"
  fi
  wait_for_port "$MARIADB_PORT" mariadb 60
  if ! [[ -f $LOCAL/cdc-password ]]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$LOCAL/cdc-password")
  fi
  shop_sql <scripts/shop-schema.sql
  shop_sql <<EOT
CREATE USER IF NOT EXISTS 'cdc'@'127.0.0.1' IDENTIFIED BY '$(cat "$LOCAL/cdc-password")';
GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'cdc'@'127.0.0.1';
GRANT SELECT ON gmall.* TO 'cdc'@'127.0.0.1';
EOT
}

start_stack() {
  mkdir -p "$RUN" "$LOGS" "$LOCAL/redis" "$LOCAL/noida"
  if ! [[ -f $RUN/redis.pid ]] || ! alive "$(cat "$RUN/redis.pid")"; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$LOCAL/redis" --appendonly yes \
      --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$LOGS/redis.log"
  fi
  if ! [[ -f $RUN/noida.pid ]] || ! alive "$(cat "$RUN/noida.pid")"; then
    local bin; bin=$(noida_bin); [[ -n $bin ]] || die "noida-db is not installed: run scripts/setup.sh"
    nohup "$bin" start --data-dir "$LOCAL/noida" --only kafka,elasticsearch \
      --kafka-port "$KAFKA_PORT" --elasticsearch-port "$ES_PORT" >"$LOGS/noida-db.log" 2>&1 &
    echo $! >"$RUN/noida.pid"
  fi
  wait_for_port "$REDIS_PORT" redis
  wait_for_port "$KAFKA_PORT" "noida-db (Kafka)"
  wait_for_port "$ES_PORT" "noida-db (Elasticsearch)"
  sleep 0.3
  alive "$(cat "$RUN/noida.pid")" || die "noida-db exited: $(tail -n 3 "$LOGS/noida-db.log")"
  start_mariadb
}

# GMALL_KAFKA_BROKERS points the services at another Kafka than the stand-in (bench-idle.sh: a mock broker).
service_env() {
  echo KAFKA_BROKERS="${GMALL_KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}" REDIS_ADDR="127.0.0.1:$REDIS_PORT" \
    ELASTICSEARCH_URL="http://127.0.0.1:$ES_PORT"
}

# instances: every service instance as name:binary:address (replicas of enricher and sink-es named name-i).
instances() {
  local replicas=${GMALL_REPLICAS:-1} svc addr i
  for svc in "${SERVICES[@]}"; do
    case $svc in
      log-ingest) echo "$svc:$svc:$INGEST_ADDR" ;; query-api) echo "$svc:$svc:$QUERY_ADDR" ;; cdc) echo "$svc:$svc:$CDC_ADDR" ;;
      enricher|sink-es)
        addr=$ENRICHER_ADDR; [[ $svc == sink-es ]] && addr=$SINK_ADDR
        echo "$svc:$svc:$addr"
        for ((i = 1; i < replicas; i++)); do echo "$svc-$i:$svc:${addr%:*}:$(( ${addr##*:} + i ))"; done ;;
    esac
  done
}

start_services() {
  use_credentials
  local entry name svc addr instance extra
  for entry in $(instances); do
    IFS=: read -r name svc addr <<<"$entry"   # addr keeps its own colon: host:port
    [[ -x $BIN_DIR/$svc ]] || die "$BIN_DIR/$svc is not built: run scripts/setup.sh"
    if [[ -f $RUN/$name.pid ]] && alive "$(cat "$RUN/$name.pid")"; then continue; fi
    instance=${name#"$svc"}; instance=${instance#-}
    extra=()
    case $svc in
      log-ingest) extra=(INGEST_WRITE_KEYS_FILE="$LOCAL/ingest-write-keys") ;;
      query-api) extra=(QUERY_API_TOKENS_FILE="$LOCAL/query-api-tokens") ;;
      cdc) # The database password goes to cdc only.
           extra=(CDC_MYSQL_ADDR="127.0.0.1:$MARIADB_PORT" CDC_MYSQL_USER=cdc
                  CDC_MYSQL_PASSWORD="$(cat "$LOCAL/cdc-password")" CDC_INCLUDE=gmall) ;;
    esac
    env $(service_env) HTTP_ADDR="$addr" KAFKA_GROUP_INSTANCE_ID="$svc-${instance:-0}" ${extra[@]+"${extra[@]}"} \
      nohup "$BIN_DIR/$svc" >>"$LOGS/$name.log" 2>&1 &
    echo $! >"$RUN/$name.pid"
  done
  # Ready, or exited meanwhile (e.g. a service that stopped after a fatal error): then started again.
  for entry in $(instances); do
    if ! wait_for_url "http://${entry#*:*:}/readyz" "${entry%%:*}" 60 "$RUN/${entry%%:*}.pid"; then
      local attempt=${1:-1}
      (( attempt < 5 )) || die "${entry%%:*} keeps exiting at start (see $LOGS/${entry%%:*}.log)"
      start_services $(( attempt + 1 ))
      return
    fi
  done
  # Reference data once cdc streams, so that it reaches Kafka ods.db; INSERT IGNORE: a reload changes nothing.
  shop_sql <scripts/shop-seed.sql
}

stop_all() {
  local entry
  for entry in $(GMALL_REPLICAS=${GMALL_REPLICAS:-2} instances); do stop_pidfile "$RUN/${entry%%:*}.pid"; done
  stop_pidfile "$RUN/mariadb.pid"
  stop_pidfile "$RUN/noida.pid"
  stop_pidfile "$RUN/redis.pid"
}

status() {
  local name file
  for name in redis noida mariadb "${SERVICES[@]}"; do
    file=$RUN/$name.pid
    if [[ -f $file ]] && alive "$(cat "$file")"; then echo "$name: running (pid $(cat "$file"))"
    else echo "$name: stopped"; fi
  done
  cat <<EOT
Redis          redis://127.0.0.1:$REDIS_PORT
Kafka          127.0.0.1:$KAFKA_PORT
Elasticsearch  http://127.0.0.1:$ES_PORT
MariaDB        127.0.0.1:$MARIADB_PORT (database gmall; scripts/stack.sh sql < file.sql)
log-ingest     http://$INGEST_ADDR/v1/events   (write key in $LOCAL/ingest-write-key; /healthz /readyz /metrics)
query-api      http://$QUERY_ADDR/   (the dashboard; the API under /v1, its contract at /v1/openapi.json;
               token in $LOCAL/query-api-token)
enricher       http://$ENRICHER_ADDR/metrics
sink-es        http://$SINK_ADDR/metrics
cdc            http://$CDC_ADDR/metrics   (binlog of gmall -> Kafka ods.db)
logs           $LOGS
EOT
}

case "${1:-}" in
  start) start_stack ;;
  services) start_services ;;
  stop) stop_all ;;
  status) status ;;
  sql) shift; shop_sql --database=gmall "$@" ;;
  reset) stop_all; rm -rf "$LOCAL" ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
