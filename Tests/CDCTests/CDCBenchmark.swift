import BinlogReplication
import Foundation
import Synchronization
import Testing
import TestSupport

/// Counts delivered messages and their bytes.
final class CountingSink: ChangeSink {
    let count = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)
    func deliver(_ messages: [ChangeMessage]) async throws {
        count.add(messages.count, ordering: .relaxed)
        bytes.add(messages.reduce(0) { $0 + $1.value.utf8.count + $1.key.utf8.count }, ordering: .relaxed)
    }
}

/// Throughput from binlog to delivered Maxwell JSON, against `mariadb-binlog --verbose` decoding the same
/// binlog. Runs only with CDC_BENCH_ROWS set (scripts/bench-cdc.sh); prints the figures.
@Suite struct CDCBenchmark {
    static let rows = Int(ProcessInfo.processInfo.environment["CDC_BENCH_ROWS"] ?? "") ?? 0

    @Test(.enabled(if: rows > 0)) func binlogToDeliveredRecords() async throws {
        let server = try await MariaDBServer.start(serverID: 11)
        let rows = Self.rows
        try server.sql("""
            CREATE DATABASE bench;
            CREATE TABLE bench.order_detail (id BIGINT PRIMARY KEY, order_id BIGINT, sku_id INT, sku_name VARCHAR(100),
              order_price DECIMAL(10,2), sku_num INT, create_time DATETIME, source_type VARCHAR(20));
            """)
        let reader = BinlogReader(configuration: Live.configuration(server), filter: TableFilter(include: ["bench"]))
        let start = try reader.currentEnd()
        let loadStarted = ContinuousClock.now
        var loaded = 0
        while loaded < rows {
            let batch = min(10_000, rows - loaded)
            try server.sql("""
                INSERT INTO bench.order_detail SELECT seq, seq DIV 3, seq MOD 1000, CONCAT('商品 sku ', seq MOD 1000),
                  (seq MOD 10000) / 100, 1 + seq MOD 5, '2024-06-01 12:00:00' + INTERVAL seq SECOND, 'promotion'
                FROM seq_\(loaded + 1)_to_\(loaded + batch);
                """, database: "bench")
            loaded += batch
        }
        let loadTime = ContinuousClock.now - loadStarted
        let end = try reader.currentEnd()

        let sink = CountingSink()
        let store = MemoryStore()
        try await store.save(ReplicationPosition(binlog: start.binlog))
        let capture = ChangeCapture(reader: reader, sink: sink, store: store)
        let started = ContinuousClock.now
        let task = Task { try await capture.run() }
        while sink.count.load(ordering: .relaxed) < rows, ContinuousClock.now - started < .seconds(600) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let elapsed = ContinuousClock.now - started
        task.cancel()
        _ = await task.result
        let delivered = sink.count.load(ordering: .relaxed)

        let baselineStarted = ContinuousClock.now
        let baseline = Process()
        baseline.executableURL = URL(fileURLWithPath: try Tools.path(of: "mariadb-binlog"))
        baseline.arguments = ["--no-defaults", "--read-from-remote-server", "--host=127.0.0.1", "--port=\(server.port)",
                              "--user=root", "--verbose", "--base64-output=decode-rows",
                              "--start-position=\(start.binlog.offset)", "--stop-position=\(end.binlog.offset)", start.binlog.file]
        let baselineOutput = server.directory.appendingPathComponent("baseline.sql")
        FileManager.default.createFile(atPath: baselineOutput.path, contents: nil)
        baseline.standardOutput = try FileHandle(forWritingTo: baselineOutput)
        try baseline.run()
        baseline.waitUntilExit()
        let baselineTime = ContinuousClock.now - baselineStarted
        let decodedRows = try String(contentsOf: baselineOutput, encoding: .utf8)
            .components(separatedBy: "### INSERT INTO").count - 1
        await server.stop()

        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        print("""
            cdc benchmark: \(delivered) row changes (\(rows) rows loaded in \(String(format: "%.1f", seconds(loadTime))) s)
              binlog -> Maxwell JSON delivered: \(String(format: "%.2f", seconds(elapsed))) s, \(Int(Double(delivered) / seconds(elapsed))) rows/s, \(sink.bytes.load(ordering: .relaxed) / 1_000_000) MB
              mariadb-binlog --read-from-remote-server --verbose (same range): \(String(format: "%.2f", seconds(baselineTime))) s, \(Int(Double(rows) / seconds(baselineTime))) rows/s (\(decodedRows) rows printed, exit \(baseline.terminationStatus))
            """)
        #expect(delivered == rows)
        #expect(baseline.terminationStatus == 0)
        #expect(decodedRows == rows)
    }
}
