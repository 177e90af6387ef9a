#!/usr/bin/env bash
# End-to-end test of query-api's business endpoints, its OpenAPI contract and its dashboard in a real browser.
#   scripts/test-api.sh                                  debug binaries from .build/debug (build them first)
#   SCREENSHOT=docs/dashboard.png scripts/test-api.sh    also refresh the README's screenshot
# How: a private stack (free ports, data in a temporary folder) with all services; shop-sim sends two days of
# behaviour logs and writes two days of shop traffic into MariaDB; once scripts/compare_dau.py and
# scripts/compare_business.py see the expected answers, scripts/api_contract_test.py checks every endpoint's
# answers against Services/query-api/Resources/openapi.json (and against shop-sim's expected answers),
# schemathesis sends requests generated from that document (each answer must be documented, never a 5xx), and
# scripts/browser_test.py checks the dashboard in headless Chromium (figures, a new order, Elasticsearch frozen).
# Everything started is stopped on exit; the exit status is non-zero if any step failed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

DAY=2026-11-02   # the second simulated day: the day before has data too
SCREENSHOT=${SCREENSHOT:-${TMPDIR:-/tmp}/gmall-dashboard.png}
for bin in log-ingest enricher sink-es query-api cdc shop-sim; do
  [[ -x $BIN_DIR/$bin ]] || die "$BIN_DIR/$bin is not built: run scripts/setup.sh (or swift build)"
done
for tool in chromium chromedriver mariadb; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/setup.sh"
done
"$VENV/bin/python" -c 'import jsonschema, selenium' 2>/dev/null || die "jsonschema or selenium missing in $VENV: run scripts/setup.sh"
[[ -x $SCHEMATHESIS_VENV/bin/st ]] || die "schemathesis missing in $SCHEMATHESIS_VENV: run scripts/setup.sh"
began=$(date +%s)

export GMALL_LOCAL; GMALL_LOCAL=$(mktemp -d /tmp/gmall-api-test.XXXXXX)
use_private_ports
source scripts/lib.sh   # again, for the private ports and folder
status=0
cleanup() {
  scripts/stack.sh stop >/dev/null 2>&1 || true
  if [[ $status != 0 ]]; then
    rm -rf "${TMPDIR:-/tmp}/gmall-api-test-logs" && cp -r "$LOGS" "${TMPDIR:-/tmp}/gmall-api-test-logs" 2>/dev/null || true
    echo "services' logs kept in ${TMPDIR:-/tmp}/gmall-api-test-logs" >&2
  fi
  rm -rf "$GMALL_LOCAL"
}
trap cleanup EXIT
trap 'status=$?' ERR

# quietly NAME COMMAND...: runs it with its output in $LOGS/NAME.log; prints the last line, or all of it on failure.
quietly() {
  local name=$1; shift
  if "$@" >"$LOGS/$name.log" 2>&1; then tail -n 1 "$LOGS/$name.log"; else cat "$LOGS/$name.log"; return 1; fi
}

step "starting a private stack and the services (data in $GMALL_LOCAL)"
scripts/stack.sh start >/dev/null
scripts/stack.sh services >/dev/null
use_credentials   # INGEST_WRITE_KEY and QUERY_API_TOKEN for shop-sim and the checks

step "shop-sim: 300 devices and 300 orders a day over 2 days from 2026-11-01"
quietly shop-sim "$BIN_DIR/shop-sim" --devices 300 --days 2 --seed 5 --start-date 2026-11-01 --ingest-url "http://$INGEST_ADDR" \
  --shop-db "127.0.0.1:$MARIADB_PORT" --orders-per-day 300 \
  --business-expected "$GMALL_LOCAL/business-expected.json" --expected "$GMALL_LOCAL/expected.json"

step "waiting for the pipeline to reach the expected answers"
quietly compare-dau python3 scripts/compare_dau.py --expected "$GMALL_LOCAL/expected.json" --query-url "http://$QUERY_ADDR" --wait 120
quietly compare-business python3 scripts/compare_business.py --expected "$GMALL_LOCAL/business-expected.json" \
  --es-url "http://127.0.0.1:$ES_PORT" --prefix gmall_ --mariadb "127.0.0.1:$MARIADB_PORT" --wait 180
ready_s=$(( $(date +%s) - began ))

failed=()
step "the API against its OpenAPI document (scripts/api_contract_test.py)"
start=$(date +%s)
"$VENV/bin/python" scripts/api_contract_test.py --query-url "http://$QUERY_ADDR" --date "$DAY" \
  --business-expected "$GMALL_LOCAL/business-expected.json" --expected "$GMALL_LOCAL/expected.json" \
  >"$LOGS/contract.log" 2>&1 || failed+=(contract)
grep -E "^FAIL|^     " "$LOGS/contract.log" | head -n 80 || true
tail -n 1 "$LOGS/contract.log"
contract_s=$(( $(date +%s) - start ))

step "schemathesis: generated requests from the OpenAPI document, answers checked against it"
start=$(date +%s)
# Documented statuses and content types, answers valid against their schemas, never a 5xx but the documented
# 503; seeded, so that a failure can be replayed. The document's examples and edge values, then fuzzing.
"$SCHEMATHESIS_VENV/bin/st" run "http://$QUERY_ADDR/v1/openapi.json" --url "http://$QUERY_ADDR" \
  -H "Authorization: Bearer $QUERY_API_TOKEN" --seed 20261202 --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --phases examples,coverage,fuzzing --workers 2 --no-color --generation-database none --report junit --report-dir "$LOGS/schemathesis" \
  >"$LOGS/schemathesis.log" 2>&1 || failed+=(schemathesis)
grep -E "^(FAILURES|_{3,}|[0-9]+\.|E |    )|passed|failed" "$LOGS/schemathesis.log" | head -n 60 || true
fuzz_s=$(( $(date +%s) - start ))

step "the dashboard in headless Chromium (scripts/browser_test.py)"
start=$(date +%s)
"$VENV/bin/python" scripts/browser_test.py --query-url "http://$QUERY_ADDR" --date "$DAY" \
  --mariadb "127.0.0.1:$MARIADB_PORT" --noida-pid "$(cat "$RUN/noida.pid")" --screenshot "$SCREENSHOT" || failed+=(browser)
browser_s=$(( $(date +%s) - start ))

echo "stack and pipeline ${ready_s} s, contract test ${contract_s} s, schemathesis ${fuzz_s} s, browser test ${browser_s} s; screenshot: $SCREENSHOT"
if ((${#failed[@]})); then
  status=1
  die "failed: ${failed[*]} (the contract test's whole output is contract.log among the kept logs)"
fi
echo "test-api: all passed"
