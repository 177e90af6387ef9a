#!/usr/bin/env bash
# Sets up everything and runs all tests: unit tests, integration tests against real servers the
# tests start themselves (Redis, noida-db) on free ports, and the end-to-end pipeline tests.
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
swift test --skip-build 2>&1 | tee "${TMPDIR:-/tmp}/gmall-test.log" || status=$?
step "tests ran in $(( $(date +%s) - start )) s"
# Backstop: no test server may outlive the run, even after a crashed test process.
pkill -f "gmall-test-" 2>/dev/null || true
exit $status
