#!/usr/bin/env bash
# Sets up everything, starts the local stack and the four services, sends a simulated shop's
# behaviour logs through the pipeline and prints the query API's DAU next to the expected answers.
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
step "starting Redis and noida-db (data in $LOCAL)"
scripts/stack.sh reset >/dev/null 2>&1 || true
scripts/stack.sh start
step "starting log-ingest, enricher, sink-es, query-api"
scripts/stack.sh services
step "simulating $DEVICES devices over $DAYS days (seed $SEED)"
"$BIN_DIR/shop-sim" --devices "$DEVICES" --days "$DAYS" --seed "$SEED" --start-date "$START_DATE" \
  --ingest-url "http://$INGEST_ADDR" --expected "$LOCAL/expected.json"
step "query API answers next to the simulator's expected answers"
python3 scripts/compare_dau.py --expected "$LOCAL/expected.json" --query-url "http://$QUERY_ADDR" --wait 120
echo
scripts/stack.sh status
echo
echo "Stop everything with: scripts/stack.sh stop"
