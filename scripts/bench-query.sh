#!/usr/bin/env bash
# Benchmark of query-api: each endpoint's latency (p50/p90/p99, exact) under concurrent load, next to the same
# Elasticsearch requests sent straight to Elasticsearch in the same run (release builds, a private stack on
# free ports).
#   scripts/bench-query.sh                       a day of ~10,000 order lines (5,000 orders)
#   BENCH_COPIES=9 scripts/bench-query.sh        a day of ~100,000 order lines: on the local stand-in, one
#                                                by-category search then takes minutes (its aggregations)
#   BENCH_ORDERS=5000 BENCH_COPIES=0 BENCH_CONCURRENCY=4 BENCH_SECONDS=10 scripts/bench-query.sh (the defaults)
# How: shop-sim's business traffic for one day (BENCH_ORDERS orders, about two lines each) is committed to
# MariaDB and goes through cdc, the enricher and sink-es; 2,000 devices' behaviour logs go through log-ingest;
# then BENCH_COPIES copies of the order documents with shifted ids can make the day larger.
# Then scripts/bench_query.py records, through a second query-api whose Elasticsearch is a recording proxy,
# which Elasticsearch requests each endpoint makes, and loads the main query-api and Elasticsearch in turn.
# Results also go to .local/bench/query-<time>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SKIP_BUILD=1 scripts/setup.sh
ORDERS=${BENCH_ORDERS:-5000}
COPIES=${BENCH_COPIES:-0}   # copies of the pipeline's order documents (9: ten times the day)
CONCURRENCY=${BENCH_CONCURRENCY:-4}
SECONDS_EACH=${BENCH_SECONDS:-10}
DAY=2026-11-01
RESULTS="$PWD/.local/bench"

use_bench_stack
bench_cleanup() { stop_pidfile "$GMALL_LOCAL/recording-query-api.pid"; }
ES="http://127.0.0.1:$ES_PORT"

start_bench_services

step "loading a day: $ORDERS orders through the binlog, 2,000 devices' logs through log-ingest"
"$BIN_DIR/shop-sim" --devices 1 --days 1 --seed 7 --start-date "$DAY" --skip-events --dry-run \
  --orders-per-day "$ORDERS" --dump-sql "$GMALL_LOCAL/traffic.sql" --business-expected "$GMALL_LOCAL/business-expected.json" \
  2>&1 | tail -n 1
mariadb --no-defaults --host=127.0.0.1 --port="$MARIADB_PORT" --user=root --database=gmall <"$GMALL_LOCAL/traffic.sql"
"$BIN_DIR/shop-sim" --devices 2000 --days 1 --seed 7 --start-date "$DAY" --ingest-url "http://$INGEST_ADDR" \
  --expected "$GMALL_LOCAL/expected.json" 2>&1 | tail -n 1
count() { curl -fsS "$ES/$1/_count" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])' 2>/dev/null || echo 0; }
# Until every order and line is in Elasticsearch in its final state, and every device counted.
python3 scripts/compare_business.py --expected "$GMALL_LOCAL/business-expected.json" --es-url "$ES" --prefix gmall_ \
  --mariadb "127.0.0.1:$MARIADB_PORT" --wait 900 | tail -n 1
python3 scripts/compare_dau.py --expected "$GMALL_LOCAL/expected.json" --query-url "http://$QUERY_ADDR" --wait 300 | tail -n 1
# The stand-in re-indexes an existing document ever more slowly as the index grows (see docs/performance.md),
# so a whole day of 100,000 lines through the pipeline would take hours here: the day is made of the
# pipeline's documents and copies of them with shifted ids (same day, hours, provinces, SKUs, users).
if (( COPIES > 0 )); then
  python3 - "$ES" "$COPIES" <<'PY'
import json, sys, urllib.request
es, copies = sys.argv[1], int(sys.argv[2])
SHIFT = 10_000_000   # above any id of the loaded day
def post(path, body, content_type="application/json"):
    request = urllib.request.Request(es + path, body.encode(), {"Content-Type": content_type})
    return json.load(urllib.request.urlopen(request, timeout=600))
for index, id_fields in (("gmall_order_wide", ("id", "order_id")), ("gmall_order", ("id",))):
    documents, after = [], None
    while True:
        query = {"size": 1000, "sort": [{"id": "asc"}], "query": {"match_all": {}}}
        if after: query["search_after"] = after
        hits = post(f"/{index}/_search", json.dumps(query))["hits"]["hits"]
        if not hits: break
        documents += [hit["_source"] for hit in hits]
        after = hits[-1]["sort"]
    for copy in range(1, copies + 1):
        for start in range(0, len(documents), 1000):
            operations = []
            for source in documents[start:start + 1000]:
                document = dict(source, **{field: source[field] + copy * SHIFT for field in id_fields})
                operations.append(json.dumps({"create": {"_index": index, "_id": str(document["id"])}}))
                operations.append(json.dumps(document, ensure_ascii=False))
            answer = post("/_bulk", "\n".join(operations) + "\n", "application/x-ndjson")
            if answer.get("errors"):
                sys.exit(f"bulk copy into {index} failed: {json.dumps(answer)[:500]}")
    post(f"/{index}/_refresh", "")
    print(f"  {index}: {len(documents)} documents from the pipeline and {copies} copies of each")
PY
fi
echo "  the day has $(count gmall_order_wide) order lines (documents) in $(count gmall_order) orders"

step "measuring (${CONCURRENCY} clients, ${SECONDS_EACH} s per endpoint and per baseline)"
proxy_port=$(free_port); recording_port=$(free_port)
env ELASTICSEARCH_URL="http://127.0.0.1:$proxy_port" HTTP_ADDR="127.0.0.1:$recording_port" \
  QUERY_API_TOKENS_FILE="$LOCAL/query-api-tokens" "$BIN_DIR/query-api" >"$LOGS/recording-query-api.log" 2>&1 &
echo $! >"$GMALL_LOCAL/recording-query-api.pid"
mkdir -p "$RESULTS"
python3 scripts/bench_query.py --query-url "http://$QUERY_ADDR" --recording-query-url "http://127.0.0.1:$recording_port" \
  --es-url "$ES" --proxy-port "$proxy_port" --token "$QUERY_API_TOKEN" --date "$DAY" \
  --concurrency "$CONCURRENCY" --seconds "$SECONDS_EACH" --json "$RESULTS/query-$(date -u +%Y%m%dT%H%M%SZ).json"
rss() { awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$(cat "$RUN/$1.pid")/status"; }
echo "query-api peak RSS: $(rss query-api)"
