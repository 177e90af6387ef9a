#!/usr/bin/env bash
# Sets up everything and runs all tests: the Kubernetes manifest checks (scripts/check-manifests.sh), unit
# tests, integration tests against real servers the tests start themselves (Redis, noida-db) on free ports,
# the end-to-end pipeline tests, the query API's contract and dashboard test (scripts/test-api.sh), and a
# 60-second chaos run (scripts/chaos.sh; CHAOS_SECONDS changes its length, 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/setup.sh
# The Kubernetes manifests, without a cluster: every overlay rendered, validated, checked against the project's
# rules and by checkov (scripts/check-manifests.sh). A failure fails the run, after the other tests.
manifest_status=0
scripts/check-manifests.sh || manifest_status=$?
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
# Faults under traffic (scripts/chaos.sh): a 60-second run with a random seed (printed: CHAOS_SEED replays it);
# CHAOS_SECONDS sets another length, CHAOS_SECONDS=0 skips it.
if (( ${CHAOS_SECONDS:=60} > 0 )); then
  step "chaos: services, Redis, MariaDB killed and the stand-in frozen under traffic (scripts/chaos.sh, ${CHAOS_SECONDS} s)"
  CHAOS_SECONDS=$CHAOS_SECONDS setsid --wait scripts/chaos.sh || status=$?
fi
((status)) || status=$manifest_status
exit $status
