#!/usr/bin/env bash
# Sets up everything and runs all tests: unit tests, integration tests against real servers the
# tests start themselves (Redis, noida-db) on free ports, the end-to-end pipeline tests, then the
# query API's contract and dashboard test (scripts/test-api.sh), then a short chaos run (scripts/chaos.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/setup.sh
step "building tests"
start=$(date +%s)
swift build --build-tests
step "tests built in $(( $(date +%s) - start )) s; running them"
start=$(date +%s)
status=0
# The tests run in a session of their own, so that whatever they started (Redis, MariaDB,
# noida-db, the services) can be stopped afterwards even if the test process crashed.
session_file=$(mktemp)
setsid --wait bash -c 'echo $$ >"$0"; exec swift test --skip-build' "$session_file" 2>&1 \
  | tee "${TMPDIR:-/tmp}/gmall-test.log" || status=$?
step "tests ran in $(( $(date +%s) - start )) s"
pkill -9 -s "$(cat "$session_file")" 2>/dev/null || true
rm -f "$session_file"
# The query API against its OpenAPI document and the dashboard in headless Chromium, on a private stack.
step "the query API's contract and its dashboard in a real browser (scripts/test-api.sh)"
setsid --wait scripts/test-api.sh || status=$?
# A minute of faults under traffic (scripts/chaos.sh: CHAOS_SECONDS=900 for the long run), answers exact after.
step "chaos: services, Redis, MariaDB killed and the stand-in frozen under traffic (scripts/chaos.sh, ${CHAOS_SECONDS:-60} s)"
setsid --wait scripts/chaos.sh || status=$?
exit $status
