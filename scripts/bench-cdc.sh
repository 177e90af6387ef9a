#!/usr/bin/env bash
# Benchmark of cdc: loads CDC_BENCH_ROWS (default 300000) row changes into a private MariaDB, then times,
# on the same binlog range:
#   1. the reader library: binlog -> Maxwell JSON records (decode, JSON, key, partition key), in-memory sink;
#   2. the cdc service (release build): binlog -> acknowledged by Kafka (noida-db) -> position in Redis;
#   3. the baseline, `mariadb-binlog --read-from-remote-server --verbose` decoding the same range.
# Prints the three figures.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SKIP_BUILD=1 scripts/setup.sh
export CDC_BENCH_ROWS="${CDC_BENCH_ROWS:-300000}"
step "building the release cdc service and benchmark"
swift build -c release --scratch-path .build-bench --product cdc 2>&1 | grep -E "error|Compiling|Build complete" | tail -n 1
export GMALL_BIN_DIR="$PWD/.build-bench/release"
step "running (${CDC_BENCH_ROWS} rows)"
swift test -c release --scratch-path .build-bench --filter CDCBenchmark 2>&1 \
  | grep -E "cdc benchmark|rows/s|messages/s|✘|error:"
