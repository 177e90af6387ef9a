#!/usr/bin/env bash
# Benchmark of the business path: order lines per second from the binlog to Elasticsearch, through cdc,
# the enricher's join and sink-es (release builds), next to the stand-in's own bulk ceiling measured in the
# same run: a direct `_bulk` loader writing the same documents to the same noida-db.
#   BENCH_ORDERS=20000 scripts/bench-business.sh
# How: a private stack (free ports, data in a temporary folder) with all services; the reference data goes
# through cdc; cdc is stopped; shop-sim's business traffic (BENCH_ORDERS orders on one day, with their
# payments, cancellations, deletes ...) is committed to MariaDB as one SQL script; then cdc is started
# again and the clock runs until Elasticsearch counts a document for every order line (markers included).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SKIP_BUILD=1 scripts/setup.sh
ORDERS=${BENCH_ORDERS:-20000}

use_bench_stack
ES="http://127.0.0.1:$ES_PORT"

start_bench_services
step "generating $ORDERS orders with shop-sim"
"$BIN_DIR/shop-sim" --devices 1 --days 1 --seed 1 --skip-events --dry-run --orders-per-day "$ORDERS" \
  --dump-sql "$GMALL_LOCAL/traffic.sql" 2>&1 | tail -n 1
# Let the reference data through, then stop cdc so that the whole traffic waits in the binlog.
sleep 3
stop_pidfile "$RUN/cdc.pid"
step "committing the traffic to MariaDB (cdc stopped)"
start=$(date +%s.%N)
mariadb --no-defaults --host=127.0.0.1 --port="$MARIADB_PORT" --user=root --database=gmall <"$GMALL_LOCAL/traffic.sql"
echo "committed in $(python3 -c "print(round($(date +%s.%N) - $start, 2))") s"
lines=$(echo "SELECT MAX(id) FROM order_detail" | scripts/stack.sh sql --skip-column-names)
count() { curl -fsS "$ES/$1/_count" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])' 2>/dev/null || echo 0; }
wait_for_count() {   # index, target, timeout s: prints the seconds it took
  local begin; begin=$(date +%s.%N)
  for _ in $(seq $(( $3 * 20 ))); do
    [[ $(count "$1") -ge $2 ]] && { python3 -c "print($(date +%s.%N) - $begin)"; return 0; }
    sleep 0.05
  done
  die "$1 did not reach $2 documents within $3 s (has $(count "$1"); logs in $LOGS)"
}

step "pipeline: starting cdc; timing until Elasticsearch has all $lines order lines"
begin=$(date +%s.%N)
scripts/stack.sh services >/dev/null   # starts cdc again (the others run)
wait_for_count gmall_order_wide "$lines" 600 >/dev/null
pipeline_s=$(python3 -c "print(round($(date +%s.%N) - $begin, 3))")
rss() { awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$(cat "$RUN/$1.pid")/status"; }
echo "peak RSS: cdc $(rss cdc), enricher $(rss enricher), sink-es $(rss sink-es)"

step "baseline: a direct _bulk loader writing the same documents to the same noida-db"
python3 - "$ES" "$GMALL_LOCAL/bulk" <<'PY'
import json, os, sys, urllib.request
es, folder = sys.argv[1], sys.argv[2]
os.makedirs(folder)
after, batch, n = None, [], 0
def flush():
    global batch, n
    if batch:
        with open(f"{folder}/{n:06d}.ndjson", "w") as f: f.write("".join(batch))
        n += 1; batch = []
while True:
    body = {"size": 1000, "sort": [{"id": "asc"}], "query": {"match_all": {}}}
    if after: body["search_after"] = after
    req = urllib.request.Request(f"{es}/gmall_order_wide/_search", json.dumps(body).encode(), {"Content-Type": "application/json"})
    hits = json.load(urllib.request.urlopen(req))["hits"]["hits"]
    if not hits: break
    for h in hits:
        batch.append(json.dumps({"index": {"_index": "gmall_order_wide_bulk", "_id": h["_id"], "version": 1, "version_type": "external"}}) + "\n"
                     + json.dumps(h["_source"], ensure_ascii=False) + "\n")
        if len(batch) == 1000: flush()
    after = hits[-1]["sort"]
flush()
PY
begin=$(date +%s.%N)
for file in "$GMALL_LOCAL"/bulk/*.ndjson; do
  curl -fsS -o /dev/null -XPOST "$ES/_bulk" -H 'content-type: application/x-ndjson' --data-binary "@$file"
done
wait_for_count gmall_order_wide_bulk "$lines" 600 >/dev/null
bulk_s=$(python3 -c "print(round($(date +%s.%N) - $begin, 3))")

python3 - "$lines" "$pipeline_s" "$bulk_s" <<'PY'
import sys
lines, pipeline, bulk = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"order lines: {lines}")
print(f"pipeline, binlog -> cdc -> enricher -> sink-es -> Elasticsearch: {pipeline:.2f} s, {lines / pipeline:,.0f} lines/s")
print(f"baseline, direct _bulk of the same documents (1000 per request): {bulk:.2f} s, {lines / bulk:,.0f} lines/s")
print(f"ratio pipeline / baseline: {bulk / pipeline:.2f}")
PY
