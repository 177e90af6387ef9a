import BinlogReplication
import Foundation
import Kafka
import Logging
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
        try await server.sql("""
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
            try await server.sql("""
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

        let service = try await Self.throughTheService(server: server, start: start, end: end, rows: rows,
                                                       bytes: sink.bytes.load(ordering: .relaxed))
        await server.stop()

        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        print("""
            cdc benchmark: \(delivered) row changes (\(rows) rows loaded in \(String(format: "%.1f", seconds(loadTime))) s)
              binlog -> Maxwell JSON delivered: \(String(format: "%.2f", seconds(elapsed))) s, \(Int(Double(delivered) / seconds(elapsed))) rows/s, \(sink.bytes.load(ordering: .relaxed) / 1_000_000) MB
              the cdc service, binlog -> acknowledged by Kafka (noida-db) -> position stored in Redis: \(String(format: "%.2f", seconds(service.streaming))) s from ready, \(Int(Double(rows) / seconds(service.streaming))) rows/s (\(String(format: "%.2f", seconds(service.total))) s from process start, \(Int(Double(rows) / seconds(service.total))) rows/s), \(service.delivered) rows counted by cdc_rows_total, peak RSS \(service.peakMemory)
              baseline, a producer alone sending as many messages of the same total size to the same noida-db: \(String(format: "%.2f", seconds(service.kafkaAlone))) s, \(Int(Double(rows) / seconds(service.kafkaAlone))) messages/s
              mariadb-binlog --read-from-remote-server --verbose (same range): \(String(format: "%.2f", seconds(baselineTime))) s, \(Int(Double(rows) / seconds(baselineTime))) rows/s (\(decodedRows) rows printed, exit \(baseline.terminationStatus))
            """)
        #expect(delivered == rows)
        #expect(service.delivered == rows)
        #expect(baseline.terminationStatus == 0)
        #expect(decodedRows == rows)
    }

    /// Runs the built `cdc` service from `start` (stored in Redis beforehand) against a private Kafka stand-in
    /// and Redis, and times until the position it stores after Kafka's acknowledgements reaches `end`.
    static func throughTheService(server: MariaDBServer, start: ReplicationPosition, end: ReplicationPosition, rows: Int,
                                  bytes: Int) async throws
        -> (total: Duration, streaming: Duration, delivered: Int, peakMemory: String, kafkaAlone: Duration) {
        let stack = try await LocalStack.start()
        defer { Task { await stack.stop() } }
        let redisCLI = try Tools.path(of: "redis-cli")
        func redis(_ arguments: String...) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: redisCLI)
            process.arguments = ["-p", "\(stack.redisPort)", "--raw"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let key = "cdc:position:\(server.serverID):bench"
        _ = try redis("SET", key, ReplicationPosition(binlog: start.binlog).storedText)
        let port = try Network.freePort()
        let started = ContinuousClock.now
        let cdc = try ManagedProcess(
            name: "cdc", executable: try Tools.builtProduct("cdc"), arguments: [],
            environment: ["HTTP_ADDR": "127.0.0.1:\(port)", "KAFKA_BROKERS": stack.kafkaBootstrapServers,
                          "REDIS_ADDR": "127.0.0.1:\(stack.redisPort)", "CDC_MYSQL_ADDR": "\(server.host):\(server.port)",
                          "CDC_MYSQL_USER": server.user, "CDC_CLIENT_ID": "bench", "CDC_INCLUDE": "bench", "LOG_LEVEL": "warning"],
            logDirectory: stack.directory)
        defer { Task { await cdc.terminate() } }
        var ready: ContinuousClock.Instant?
        var stored: ReplicationPosition?
        var peakMemory = "?"
        while ContinuousClock.now - started < .seconds(600) {
            if ready == nil, let (status, _) = try? await HTTP.get("http://127.0.0.1:\(port)/readyz"), status == 200 {
                ready = .now
            }
            stored = ReplicationPosition(storedText: try redis("GET", key))
            if let stored, stored.binlog.file == end.binlog.file, stored.binlog.offset >= end.binlog.offset { break }
            guard cdc.isRunning else { throw LiveTestError.timeout("cdc exited:\n\(cdc.logTail())") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let finished = ContinuousClock.now
        if let status = try? String(contentsOfFile: "/proc/\(cdc.pid)/status", encoding: .utf8) {
            peakMemory = status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map {
                $0.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces) } ?? "?"
        }
        // cdc_rows_total is published once a second.
        var delivered = 0
        while ContinuousClock.now - finished < .seconds(5) {
            let (_, body) = try await HTTP.get("http://127.0.0.1:\(port)/metrics")
            let line = String(decoding: body, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("cdc_rows_total ") }
            delivered = line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
            if delivered >= rows { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        await cdc.terminate()
        let kafkaAlone = try await producerAlone(stack: stack, rows: rows, bytes: bytes)
        await stack.stop()
        return (finished - started, finished - (ready ?? started), delivered, peakMemory, kafkaAlone)
    }

    /// The Kafka baseline: `rows` messages of `bytes` bytes in all, sent straight from a producer with the
    /// service's settings to the same noida-db, in batches of 10,000 (as cdc batches), until acknowledged.
    static func producerAlone(stack: LocalStack, rows: Int, bytes: Int) async throws -> Duration {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: stack.kafkaBootstrapServers),
                                         logger: Logger(label: "bench"))
        let topic = LocalStack.uniqueName("bench-baseline")
        let admin = try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: stack.kafkaBootstrapServers),
                                   logger: Logger(label: "bench"))
        try await admin.createTopics([topic], partitions: 4, replicationFactor: 1)  // as ods.db
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: max(1, bytes / max(1, rows)))
        _ = try await producer.send([KafkaProducerMessage(topic: topic, key: "warm-up", value: "{}")])
        let started = ContinuousClock.now
        var sent = 0
        while sent < rows {
            let count = min(10_000, rows - sent)
            _ = try await producer.send((0..<count).map { KafkaProducerMessage(topic: topic, key: Array("{\"pk.id\":\(sent + $0)}".utf8), value: value) })
            sent += count
        }
        let elapsed = ContinuousClock.now - started
        await producer.shutdown()
        return elapsed
    }
}
