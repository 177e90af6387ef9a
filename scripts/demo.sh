#!/usr/bin/env bash
# Sets up everything, starts the local stack and the services, sends a simulated shop's behaviour
# logs through the pipeline and prints the query API's DAU next to the expected answers; then writes
# orders into the shop database and shows cdc delivering every row change to Kafka ods.db.
# The stack stays up afterwards; `scripts/stack.sh stop` stops it.
#   DEVICES=2000 DAYS=3 SEED=42 scripts/demo.sh
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
step "simulating $DEVICES devices over $DAYS days (seed $SEED)"
"$BIN_DIR/shop-sim" --devices "$DEVICES" --days "$DAYS" --seed "$SEED" --start-date "$START_DATE" \
  --ingest-url "http://$INGEST_ADDR" --expected "$LOCAL/expected.json"
step "query API answers next to the simulator's expected answers"
python3 scripts/compare_dau.py --expected "$LOCAL/expected.json" --query-url "http://$QUERY_ADDR" --wait 120

ORDERS=${ORDERS:-500}
step "business changes: $ORDERS orders with $((ORDERS * 2)) order lines, a third of the orders paid"
scripts/stack.sh sql <<EOT
INSERT INTO order_info SELECT seq, 1 + seq MOD 97, (seq MOD 1000) / 10 + 0.99, 'unpaid', NOW(), NULL FROM seq_1_to_$ORDERS;
INSERT INTO order_detail SELECT seq, (seq + 1) DIV 2, seq MOD 50, CONCAT('sku ', seq MOD 50), (seq MOD 1000) / 20, 1 + seq MOD 3, NOW()
  FROM seq_1_to_$((ORDERS * 2));
UPDATE order_info SET order_status = 'paid', operate_time = NOW() WHERE id MOD 3 = 0;
EOT
paid=$(echo "SELECT COUNT(*) FROM order_info WHERE order_status = 'paid'" | scripts/stack.sh sql --skip-column-names)
expected=$((ORDERS + ORDERS * 2 + paid))
delivered=0
for _ in $(seq 60); do
  delivered=$(curl -fsS "http://$CDC_ADDR/metrics" | awk '$1 == "cdc_rows_total" { print int($2) }')
  [[ ${delivered:-0} -ge $expected ]] && break
  sleep 1
done
echo "row changes committed: $expected; delivered by cdc to Kafka ods.db (acknowledged): ${delivered:-0}"
[[ ${delivered:-0} -eq $expected ]] || die "cdc delivered ${delivered:-0} of $expected row changes (see $LOGS/cdc.log)"
echo
scripts/stack.sh status
echo
echo "Stop everything with: scripts/stack.sh stop"
