#!/usr/bin/env bash
# Benchmark of the cdc binlog reader: loads CDC_BENCH_ROWS (default 300000) rows into a private MariaDB,
# then times binlog -> Maxwell JSON records delivered (decoding, JSON, key and partition key; the sink is
# in memory, Kafka is not involved) and, on the same binlog range, `mariadb-binlog --read-from-remote-server
# --verbose` as the baseline. Prints both figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
export CDC_BENCH_ROWS="${CDC_BENCH_ROWS:-300000}"
swift test -c release --scratch-path .build-bench --filter CDCBenchmark 2>&1 | grep -E "cdc benchmark|rows/s|✘|error:" 
