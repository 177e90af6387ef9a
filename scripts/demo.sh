#!/usr/bin/env bash
# Sets up everything, starts the local stack and the services, sends a simulated shop's behaviour
# logs through the pipeline and prints the query API's DAU next to the expected answers; then has
# shop-sim write the shop's business traffic (users, orders and their changes) into its MariaDB, which
# cdc captures, and compares the order documents in Elasticsearch with the expected business answers.
# The stack stays up afterwards; `scripts/stack.sh stop` stops it.
#   DEVICES=2000 DAYS=3 SEED=42 ORDERS_PER_DAY=200 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

DEVICES=${DEVICES:-2000}
DAYS=${DAYS:-3}
SEED=${SEED:-42}
START_DATE=${START_DATE:-2026-11-01}

scripts/setup.sh
step "starting Redis, noida-db and MariaDB (data in $LOCAL)"
scripts/stack.sh reset >/dev/null 2>&1 || true
scripts/stack.sh start
step "starting log-ingest, enricher, sink-es, query-api, cdc"
scripts/stack.sh services
use_credentials   # INGEST_WRITE_KEY and QUERY_API_TOKEN for shop-sim and the checks
step "simulating $DEVICES devices over $DAYS days (seed $SEED)"
"$BIN_DIR/shop-sim" --devices "$DEVICES" --days "$DAYS" --seed "$SEED" --start-date "$START_DATE" \
  --ingest-url "http://$INGEST_ADDR" --expected "$LOCAL/expected.json"
step "query API answers next to the simulator's expected answers"
python3 scripts/compare_dau.py --expected "$LOCAL/expected.json" --query-url "http://$QUERY_ADDR" --wait 120

ORDERS_PER_DAY=${ORDERS_PER_DAY:-200}
step "business traffic: $ORDERS_PER_DAY orders a day over $DAYS days into the shop database (seed $SEED)"
"$BIN_DIR/shop-sim" --skip-events --days "$DAYS" --seed "$SEED" --start-date "$START_DATE" \
  --orders-per-day "$ORDERS_PER_DAY" --shop-db "127.0.0.1:$MARIADB_PORT" --business-expected "$LOCAL/business-expected.json"
step "the query API's business answers next to the expected ones (documents checked against the database too)"
status=0
python3 scripts/compare_business.py --expected "$LOCAL/business-expected.json" --es-url "http://127.0.0.1:$ES_PORT" \
  --prefix gmall_ --mariadb "127.0.0.1:$MARIADB_PORT" --query-url "http://$QUERY_ADDR" --wait 180 || status=$?
echo
scripts/stack.sh status
echo
echo "Dashboard: http://$QUERY_ADDR/?date=$START_DATE  (it asks for the token in $LOCAL/query-api-token)"
echo
echo "Send your own events with the write key, and query with the token:"
echo "  curl -H \"Authorization: Bearer \$(cat $LOCAL/ingest-write-key)\" -H 'Content-Type: application/json' \\"
echo "       -d '{\"common\":{\"mid\":\"my-device\"},\"page\":{\"page_id\":\"home\"},\"ts\":'\$(date +%s000)'}' http://$INGEST_ADDR/v1/events"
echo "  curl -H \"Authorization: Bearer \$(cat $LOCAL/query-api-token)\" 'http://$QUERY_ADDR/v1/dau?date=$START_DATE'"
echo "Stop everything with: scripts/stack.sh stop"
exit $status
