import Foundation
import Kafka
import Logging
import PipelineCore
import Redis
import Testing
import TestSupport

/// The cdc process under crashes, end to end: a writer commits transactions to a private MariaDB while the
/// service is killed with SIGKILL and restarted, or while the database is killed and restarted. Afterwards
/// every committed row change must be in `ods.db` at least once, in commit order per key, every repeat byte
/// for byte the same record with the same Kafka key, and all records of a key in one partition.
///
/// The workload makes each row change identifiable: `shop.orders(id, version, note)` where an insert
/// writes version 1 and every update bumps `version` by one and sets `note` to `r<id>v<version>`. So the
/// committed changes are exactly `(id, 1...version)` for every row the table holds at the end, whatever
/// the crashes did to the writer's own transactions.
///
/// Each run prints its seed, the kills (transactions committed, the last committed GTID, the GTID cdc had
/// stored: "behind" means the kill found committed changes not yet acknowledged) and how many records
/// repeated. `CDC_RESTART_TESTS_KEEP_LOGS=<folder>` keeps each run's cdc log there.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CDCServiceRestartTests {
    static let logger = Logger(label: "cdc-restart-tests")
    static let topic = "ods.db"

    /// The writer's seed: `CDC_RESTART_TESTS_SEED` to repeat a run's transactions, else a random one (printed).
    static func seed() -> UInt64 {
        ProcessInfo.processInfo.environment["CDC_RESTART_TESTS_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64.max)
    }

    // MARK: - cdc killed mid-stream

    @Test("cdc killed with SIGKILL mid-stream and restarted: every committed change arrives, in order per key, repeats byte-identical")
    func serviceKilledMidStream() async throws {
        // A small buffer: transactions of a few hundred rows go to Kafka in parts, so that a kill can land
        // between the parts of one transaction as well as inside one delivery.
        let rig = try await Rig(serverID: 31, environment: ["CDC_BUFFERED_RECORDS": "100"])
        let seed = Self.seed()
        let writer = OrdersWriter(server: rig.server, seed: seed, transactions: 300, pause: 0.015)
        let started = ContinuousClock.now
        do {
            try await rig.launch()
            let writing = Task { try await runBlocking { try writer.run(tolerateOutages: false) } }
            var kills: [KillReport] = []
            for (point, delay) in [(50, 0), (110, 15), (170, 40), (230, 90)] {
                // Kill it while it is busy delivering the parts of a large transaction.
                let before = try await Self.awaitKillPoint(rig: rig, writer: writer, transaction: point, delay: delay,
                                                           deliveryTimeout: .seconds(30))
                await rig.cdc?.crash()
                let stored = try await rig.storedGtid()
                kills.append(KillReport(transactionsCommitted: before.committed, writerRunning: !before.finished,
                                        committedGtid: before.lastGtid, storedGtid: stored))
                try await rig.launch()
            }
            try await writing.value
            let written = ContinuousClock.now - started

            let table = try await runBlocking { try Self.readTable(rig.server) }
            #expect(table == writer.model, "the writer's model of the table matches the table (seed \(seed))")
            let expected = Self.expectedChanges(table)
            let messages = try await Self.readChanges(rig.stack, expected: expected, timeout: .seconds(45))
            let summary = Self.verify(messages, expected: expected, context: "seed \(seed)\n\(rig.cdc?.logTail(bytes: 6000) ?? "")")

            let behind = kills.filter(\.cdcWasBehind).count
            print("cdc SIGKILL test (seed \(seed)): \(expected.count) committed changes, \(messages.count) records, "
                  + "\(summary.repeats) repeats over \(summary.repeatedTransactions) transactions; kills: \(kills); "
                  + "writer \(written), total \(ContinuousClock.now - started)")
            #expect(kills.filter(\.writerRunning).count >= 2, "at least two kills while the writer was committing: \(kills)")
            #expect(behind > 0 || summary.repeats > 0,
                    "at least one kill landed while cdc had committed changes not yet stored as delivered: \(kills)")
            #expect(rig.cdc?.isRunning == true, "the last cdc is still running:\n\(rig.cdc?.logTail() ?? "")")
        } catch {
            writer.cancel()
            Issue.record("\(error)\nseed \(seed)\n--- cdc\n\(rig.cdc?.logTail(bytes: 6000) ?? "")\n--- mariadb\n\(rig.server.errorLogTail())")
        }
        await rig.stop()
    }

    // MARK: - database killed mid-stream

    @Test("MariaDB killed with SIGKILL mid-stream and restarted: cdc reconnects by itself and every committed change arrives")
    func databaseKilledMidStream() async throws {
        // The small buffer here too: a crash can land while cdc re-reads a large transaction in parts.
        let rig = try await Rig(serverID: 32, environment: ["CDC_BUFFERED_RECORDS": "100"])
        let seed = Self.seed()
        let writer = OrdersWriter(server: rig.server, seed: seed, transactions: 240, pause: 0.01)
        let started = ContinuousClock.now
        do {
            try await rig.launch()
            let firstPid = rig.cdc?.pid
            let writing = Task { try await runBlocking { try writer.run(tolerateOutages: true) } }
            var crashes: [KillReport] = []
            for (point, delay) in [(60, 0), (150, 30)] {
                // As above (after the first crash cdc must have reconnected and deliver again).
                let before = try await Self.awaitKillPoint(rig: rig, writer: writer, transaction: point, delay: delay,
                                                           deliveryTimeout: .seconds(60))
                let stored = try await rig.storedGtid()
                await rig.server.crash()
                crashes.append(KillReport(transactionsCommitted: before.committed, writerRunning: !before.finished,
                                          committedGtid: before.lastGtid, storedGtid: stored))
                try await rig.server.restart()
            }
            try await writing.value
            let written = ContinuousClock.now - started

            let table = try await runBlocking { try Self.readTable(rig.server) }
            let expected = Self.expectedChanges(table)
            let messages = try await Self.readChanges(rig.stack, expected: expected, timeout: .seconds(60))
            let summary = Self.verify(messages, expected: expected, context: "seed \(seed)\n\(rig.cdc?.logTail(bytes: 6000) ?? "")")

            let progress = writer.progress
            print("database SIGKILL test (seed \(seed)): crashes \(crashes); writer saw \(progress.outages) outages, "
                  + "retried \(progress.retried) uncommitted transactions; \(expected.count) committed changes, "
                  + "\(messages.count) records, \(summary.repeats) repeats; writer \(written), total \(ContinuousClock.now - started)")
            #expect(progress.outages >= 1, "the writer noticed the outage")
            #expect(crashes.allSatisfy { $0.writerRunning }, "both crashes hit while the writer was committing: \(crashes)")
            #expect(rig.cdc?.isRunning == true && rig.cdc?.pid == firstPid,
                    "cdc survived the outages without a restart:\n\(rig.cdc?.logTail() ?? "")")
            let reconnects = rig.cdc?.logTail(bytes: 1_000_000).components(separatedBy: "binlog stream lost").count ?? 1
            #expect(reconnects > 1, "cdc logged the lost binlog stream")
        } catch {
            writer.cancel()
            Issue.record("\(error)\nseed \(seed)\n--- cdc\n\(rig.cdc?.logTail(bytes: 6000) ?? "")\n--- mariadb\n\(rig.server.errorLogTail())")
        }
        await rig.stop()
    }

    // MARK: - The checks themselves

    @Test("the checks catch a lost change, a change out of order, a repeat that differs, a key in two partitions, a phantom change")
    func checksCatchViolations() {
        func message(_ id: Int, _ version: Int, partition: Int32, offset: Int64, ts: Int = 1) -> KafkaConsumerMessage {
            let sequence = id * 100 + version
            let value = #"{"database":"shop","table":"orders","type":"\#(version == 1 ? "insert" : "update")","ts":\#(ts),"#
                + #""xid":\#(sequence),"commit":true,"position":"binlog.000001:\#(sequence * 10)","gtid":"0-1-\#(sequence)","#
                + #""server_id":1,"data":{"id":\#(id),"version":\#(version),"note":"r\#(id)v\#(version)"}}"#
            return KafkaConsumerMessage(topic: Self.topic, partition: partition, offset: offset,
                                        key: Array(#"{"database":"shop","table":"orders","pk.id":\#(id)}"#.utf8), value: Array(value.utf8))
        }
        let expected = Self.expectedChanges([1: 2, 2: 1])
        let good = [message(1, 1, partition: 0, offset: 0), message(1, 2, partition: 0, offset: 1),
                    message(2, 1, partition: 1, offset: 0)]
        // Repeats that are byte-identical, here a replay of earlier changes, are fine.
        let replayed = Self.check(good + [message(1, 1, partition: 0, offset: 2), message(1, 2, partition: 0, offset: 3)],
                                  expected: expected)
        #expect(replayed.problems.isEmpty)
        #expect(replayed.repeats == 2)

        let broken: [(String, [KafkaConsumerMessage])] = [
            ("never reached Kafka", Array(good.dropLast())),
            ("out of commit order", [message(1, 2, partition: 0, offset: 0), message(1, 1, partition: 0, offset: 1), good[2]]),
            ("differ from the first copy", good + [message(2, 1, partition: 1, offset: 1, ts: 2)]),
            ("more than one partition", good + [message(2, 1, partition: 3, offset: 0)]),
            ("changes the database does not have", good + [message(2, 2, partition: 1, offset: 1)]),
        ]
        for (problem, messages) in broken {
            let problems = Self.check(messages, expected: expected).problems
            #expect(problems.count == 1 && problems[0].contains(problem), "expected only \"\(problem)\", got \(problems)")
        }
    }

    // MARK: - Setup

    /// A private MariaDB with an empty `shop.orders`, a private stack, and the cdc service streaming `shop`,
    /// started again with the same settings (same client id, same Redis) after each kill.
    final class Rig: CDCUnderTest, @unchecked Sendable {
        let clientID: String
        /// Reads the stored position; set once the stack (and so the Redis port) exists.
        private var redis: RedisClient?

        init(serverID: Int, environment extra: [String: String] = [:]) async throws {
            let clientID = LocalStack.uniqueName("restart")
            self.clientID = clientID
            try await super.init(
                serverID: serverID,
                schema: "CREATE TABLE orders (id INT PRIMARY KEY, version INT NOT NULL, note VARCHAR(64))",
                environment: ["CDC_CLIENT_ID": clientID, "CDC_TOPIC": CDCServiceRestartTests.topic,
                              "CDC_REPLICA_SERVER_ID": "4242"].merging(extra) { _, new in new })
            redis = RedisClient(configuration: RedisConfiguration(port: stack.redisPort), logger: CDCServiceRestartTests.logger)
        }

        var positionKey: String { "cdc:position:\(server.serverID):\(clientID)" }

        /// The GTID of the position cdc stored in Redis, nil when none is stored.
        func storedGtid() async throws -> String? {
            guard let redis, let text = try await redis.execute(["GET", positionKey]).string,
                  let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
            return object["gtid"] as? String
        }

        override func stop() async {
            await cdc?.terminate()
            if let folder = ProcessInfo.processInfo.environment["CDC_RESTART_TESTS_KEEP_LOGS"] {
                try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try? FileManager.default.copyItem(atPath: stack.directory.appendingPathComponent("cdc.log").path,
                                                  toPath: "\(folder)/cdc-\(clientID).log")
            }
            await super.stop()
        }
    }

    /// Waits for the moment to kill something: the writer has committed `transaction` transactions, cdc has
    /// delivered since the last kill (its stored position moved: it streams, it is not still starting), and
    /// the next large transaction has just committed (plus `delay` ms), so that cdc is busy delivering its
    /// parts. Returns the writer's progress at that moment.
    static func awaitKillPoint(rig: Rig, writer: OrdersWriter, transaction point: Int, delay: Int,
                               deliveryTimeout: Duration) async throws -> OrdersWriter.Progress {
        let resumedFrom = try await rig.storedGtid()
        try await waitUntil("writer reaches transaction \(point)", timeout: .seconds(60)) {
            writer.progress.committed >= point || writer.progress.finished
        }
        try await waitUntil("cdc delivers", timeout: deliveryTimeout) {
            try await rig.storedGtid() != resumedFrom
        }
        let large = writer.progress.largeCommitted
        try await waitUntil("the next large transaction commits", timeout: .seconds(30)) {
            writer.progress.largeCommitted > large || writer.progress.finished
        }
        if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
        return writer.progress
    }

    /// What one kill of cdc found: whether the writer was still committing, and whether the position cdc had
    /// stored was behind a transaction committed before the kill (cdc had undelivered work: a mid-stream kill).
    struct KillReport: CustomStringConvertible {
        var transactionsCommitted: Int
        var writerRunning: Bool
        var committedGtid: String?
        var storedGtid: String?

        var cdcWasBehind: Bool {
            guard let committed = committedGtid.flatMap(CDCServiceRestartTests.sequence) else { return false }
            return (storedGtid.flatMap(CDCServiceRestartTests.sequence) ?? 0) < committed
        }

        var description: String {
            "after \(transactionsCommitted) tx\(writerRunning ? "" : " (writer done)"): committed \(committedGtid ?? "-"), "
                + "stored \(storedGtid ?? "-")\(cdcWasBehind ? " (behind)" : "")"
        }
    }

    /// The sequence number of a MariaDB GTID `domain-server-sequence`.
    static func sequence(_ gtid: String) -> UInt64? {
        gtid.split(separator: "-").last.flatMap { UInt64($0) }
    }

    // MARK: - Writer

    /// Commits `transactions` transactions to `shop.orders` from a thread of its own (the `mariadb` client
    /// blocks): mostly small ones (a few inserts and single-row updates, sometimes of the same row twice),
    /// and every twelfth a large one, a few hundred rows inserted or updated in statements of 20-50 rows.
    final class OrdersWriter: @unchecked Sendable {
        struct Progress: Sendable {
            /// Transactions done (committed, or found committed after an outage).
            var committed = 0
            /// Large transactions (a few hundred rows) among them.
            var largeCommitted = 0
            var finished = false
            /// The GTID of the last transaction the writer saw commit.
            var lastGtid: String?
            /// Failed statements (the database was down).
            var outages = 0
            /// Transactions found not committed after an outage, and run again.
            var retried = 0
            /// Set by `cancel()`: the test has given up, the writer stops at the next transaction.
            var cancelled = false
        }

        let server: MariaDBServer
        let transactions: Int
        /// Seconds between two transactions, so that the stream lasts through the kills.
        let pause: Double
        private var random: SplitMix64  // seeded, so that a failing run can be repeated from its logged seed
        private let lock = NSLock()
        private var state = Progress()
        /// The writer's idea of the table: id -> version.
        private var versions: [Int: Int] = [:]

        init(server: MariaDBServer, seed: UInt64, transactions: Int, pause: Double) {
            self.server = server
            self.transactions = transactions
            self.pause = pause
            random = SplitMix64(seed: seed)
        }

        var progress: Progress { lock.withLock { state } }

        /// Makes `run` stop (throwing) before its next transaction or database check.
        func cancel() { lock.withLock { state.cancelled = true } }

        private func checkCancelled() throws {
            if lock.withLock({ state.cancelled }) { throw PipelineError("writer cancelled") }
        }
        var model: [Int: Int] { lock.withLock { versions } }

        /// Runs the transactions. With `tolerateOutages`, a failed transaction waits for the database, then
        /// reads the table to learn whether it committed (the table then equals its planned outcome) or not
        /// (the table is unchanged: it runs again); anything else is an error.
        func run(tolerateOutages: Bool) throws {
            defer { lock.withLock { state.finished = true } }
            var model: [Int: Int] = [:]
            for index in 0..<transactions {
                if index > 0 { Thread.sleep(forTimeInterval: pause) }
                try checkCancelled()
                let (sql, planned) = plan(index, model: model)
                let large = Self.isLarge(index)
                var attempts = 0
                while true {
                    attempts += 1
                    do {
                        let output = try server.blockingSQL(sql, database: "shop")
                        model = planned
                        lock.withLock {
                            versions = model
                            state.committed = index + 1
                            if large { state.largeCommitted += 1 }
                            state.lastGtid = output.trimmingCharacters(in: .whitespacesAndNewlines)
                        }
                        break
                    } catch {
                        // A statement that fails again and again is the writer's bug, not an outage.
                        guard tolerateOutages, attempts < 5 else { throw error }
                        lock.withLock { state.outages += 1 }
                        try waitForDatabase()
                        let actual = try CDCServiceRestartTests.readTable(server)
                        if actual == planned {
                            model = planned
                            lock.withLock {
                                versions = model
                                state.committed = index + 1
                                if large { state.largeCommitted += 1 }
                            }
                            break
                        }
                        guard actual == model else {
                            throw PipelineError("transaction \(index) half applied after an outage: \(error)")
                        }
                        lock.withLock { state.retried += 1 }
                    }
                }
            }
        }

        private func waitForDatabase() throws {
            let deadline = Date().addingTimeInterval(90)
            while (try? server.blockingSQL("SELECT 1")) == nil {
                try checkCancelled()
                guard Date() < deadline else { throw PipelineError("MariaDB did not come back within 90 s") }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }

        static func isLarge(_ index: Int) -> Bool { index % 12 == 6 }

        /// Transaction `index`'s SQL (ending with `SELECT @@last_gtid`) and the table it leaves behind.
        private func plan(_ index: Int, model: [Int: Int]) -> (String, [Int: Int]) {
            var next = model
            var statements: [String] = []
            let highest = model.keys.max() ?? 0
            func bump(_ condition: String) -> String {
                "UPDATE orders SET note = CONCAT('r', id, 'v', version + 1), version = version + 1 WHERE \(condition)"
            }
            if Self.isLarge(index) {
                // A few hundred rows in statements of 20-50 rows: small rows events, so that cdc with a
                // buffer of 100 rows hands the transaction to Kafka in several parts.
                let count = Int.random(in: 300...600, using: &random)
                let insert = index % 24 == 6 || highest < count
                var first = insert ? highest + 1 : Int.random(in: 1...(highest - count + 1), using: &random)
                let end = first + count
                while first < end {
                    let last = min(end, first + Int.random(in: 20...50, using: &random)) - 1
                    if insert {
                        statements.append("INSERT INTO orders (id, version, note) SELECT seq, 1, CONCAT('r', seq, 'v1') "
                                          + "FROM seq_\(first)_to_\(last)")
                        for id in first...last { next[id] = 1 }
                    } else {
                        statements.append(bump("id BETWEEN \(first) AND \(last)"))
                        for id in first...last { next[id]! += 1 }
                    }
                    first = last + 1
                }
            } else {
                let inserts = Int.random(in: highest == 0 ? 1...3 : 0...2, using: &random)
                if inserts > 0 {
                    let ids = (highest + 1)...(highest + inserts)
                    statements.append("INSERT INTO orders (id, version, note) VALUES "
                                      + ids.map { "(\($0), 1, 'r\($0)v1')" }.joined(separator: ", "))
                    for id in ids { next[id] = 1 }
                }
                let top = highest + inserts
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    // Recent rows more often, so that some rows change many times.
                    let id = Bool.random(using: &random) ? Int.random(in: max(1, top - 20)...top, using: &random)
                                                         : Int.random(in: 1...top, using: &random)
                    statements.append(bump("id = \(id)"))
                    next[id]! += 1
                }
            }
            return ("BEGIN;\n" + statements.map { $0 + ";\n" }.joined() + "COMMIT;\nSELECT @@last_gtid;\n", next)
        }
    }

    /// `shop.orders` as id -> version; every row's note must be `r<id>v<version>`.
    static func readTable(_ server: MariaDBServer) throws -> [Int: Int] {
        var table: [Int: Int] = [:]
        for line in try server.blockingSQL("SELECT id, version, note FROM shop.orders").split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, let id = Int(fields[0]), let version = Int(fields[1]), fields[2] == "r\(id)v\(version)" else {
                throw PipelineError("unexpected row in shop.orders: \(line)")
            }
            table[id] = version
        }
        return table
    }

    // MARK: - Reading and checking ods.db

    /// A committed row change: a row's id and the version it was given.
    struct Change: Hashable, Comparable, CustomStringConvertible {
        var id: Int
        var version: Int
        static func < (a: Change, b: Change) -> Bool { (a.id, a.version) < (b.id, b.version) }
        var description: String { "\(id)v\(version)" }
    }

    /// The changes that committed: every version from 1 (the insert) to the row's final version.
    static func expectedChanges(_ table: [Int: Int]) -> Set<Change> {
        Set(table.flatMap { id, version in (1...version).map { Change(id: id, version: $0) } })
    }

    /// One `ods.db` message, parsed.
    struct Record {
        var message: KafkaConsumerMessage
        var type: String
        var position: String
        var gtid: String
        var xid: Int?
        var commit: Bool
        var change: Change
        var note: String?

        /// What names one row change in the binlog.
        var identity: String { "\(position)|\(gtid)|\(change.id)|\(type)" }
        var text: String { String(decoding: message.value, as: UTF8.self) }
        var keyText: String { message.key.map { String(decoding: $0, as: UTF8.self) } ?? "<no key>" }

        init?(_ message: KafkaConsumerMessage) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any],
                  object["database"] as? String == "shop", object["table"] as? String == "orders",
                  let type = object["type"] as? String, let position = object["position"] as? String,
                  let gtid = object["gtid"] as? String, let data = object["data"] as? [String: Any],
                  let id = (data["id"] as? NSNumber)?.intValue, let version = (data["version"] as? NSNumber)?.intValue
            else { return nil }
            self.message = message
            self.type = type
            self.position = position
            self.gtid = gtid
            xid = (object["xid"] as? NSNumber)?.intValue
            commit = (object["commit"] as? Bool) ?? false
            change = Change(id: id, version: version)
            note = data["note"] as? String
        }
    }

    /// Reads the topic from the start (all partitions, a fresh consumer group) until every expected change
    /// was seen and a poll comes back empty, or `timeout` passes; returns the messages in partition and
    /// offset order, each offset once.
    static func readChanges(_ stack: LocalStack, expected: Set<Change>, timeout: Duration) async throws -> [KafkaConsumerMessage] {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: stack.kafkaBootstrapServers,
                                                      groupID: LocalStack.uniqueName("restart-reader")),
            logger: logger, startingOffsets: { _ in [:] }, revoked: { _ in })
        try consumer.subscribe(topics: [topic])
        var byOffset: [String: KafkaConsumerMessage] = [:]
        var missing = expected
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let batch = try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(500))
            for message in batch {
                byOffset["\(message.partition):\(message.offset)"] = message
                if let record = Record(message) { missing.remove(record.change) }
            }
            // Complete, and nothing more waiting: trailing repeats in other partitions are in too.
            if missing.isEmpty && batch.isEmpty { break }
        }
        await consumer.close()
        return byOffset.values.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }

    struct Summary {
        /// What is wrong, one entry per kind of violation (empty when all holds).
        var problems: [String] = []
        /// Records that repeat an earlier one.
        var repeats = 0
        /// Transactions (GTIDs) with at least one repeated record.
        var repeatedTransactions = 0
    }

    /// Checks the records against the committed changes:
    /// (a) every committed change is there (and nothing else: no change the database does not have);
    /// (b) per key, in offset order and skipping repeats, versions strictly increase (commit order);
    /// (c) the records of one row change (same position, gtid, id and type; equally, same id and version)
    ///     are byte-identical, with the same Kafka key;
    /// (d) all records of a key are in one partition.
    /// Plus, per transaction, one xid and exactly one `commit: true`.
    static func check(_ messages: [KafkaConsumerMessage], expected: Set<Change>) -> Summary {
        var summary = Summary()
        var records: [Record] = []
        var unreadable: [String] = []
        for message in messages {
            if let record = Record(message) { records.append(record) } else { unreadable.append(String(decoding: message.value, as: UTF8.self)) }
        }
        if !unreadable.isEmpty {
            summary.problems.append("records not about shop.orders or without id/version: \(unreadable.prefix(3))")
        }
        if records.isEmpty {
            summary.problems.append("no records in \(topic)")
        }
        // (a) completeness, and no phantom changes; each record's data is the committed row.
        let delivered = Set(records.map(\.change))
        let missing = expected.subtracting(delivered).sorted()
        if !missing.isEmpty {
            summary.problems.append("\(missing.count) committed changes never reached Kafka, e.g. \(missing.prefix(10))")
        }
        let phantom = delivered.subtracting(expected).sorted()
        if !phantom.isEmpty {
            summary.problems.append("\(phantom.count) records describe changes the database does not have, e.g. \(phantom.prefix(10))")
        }
        let wrongType = records.filter { $0.type != ($0.change.version == 1 ? "insert" : "update") }
        if !wrongType.isEmpty {
            summary.problems.append("records of the wrong type, e.g. \(wrongType.prefix(3).map(\.text))")
        }
        let wrongNote = records.filter { $0.note != "r\($0.change.id)v\($0.change.version)" }
        if !wrongNote.isEmpty {
            summary.problems.append("records whose data is not the committed row, e.g. \(wrongNote.prefix(3).map(\.text))")
        }
        // (c) repeats are byte-identical with the same key; (b) first occurrences per key in increasing versions.
        var firstByIdentity: [String: Record] = [:]
        var firstByChange: [Change: Record] = [:]
        var lastVersion: [Int: (version: Int, record: Record)] = [:]
        var differing: [String] = []
        var outOfOrder: [String] = []
        var repeatedGtids = Set<String>()
        for record in records {
            // The same change (id and version) or the same binlog row (position, gtid, id, type) seen before:
            // it must be the same bytes under the same key.
            if let first = firstByIdentity[record.identity] ?? firstByChange[record.change],
               first.message.value != record.message.value || first.message.key != record.message.key {
                differing.append("\(first.keyText) \(first.text)\n  vs \(record.keyText) \(record.text)")
            }
            if firstByChange[record.change] == nil { firstByChange[record.change] = record }
            if firstByIdentity[record.identity] != nil {
                summary.repeats += 1
                repeatedGtids.insert(record.gtid)
                continue
            }
            firstByIdentity[record.identity] = record
            if let last = lastVersion[record.change.id], last.version >= record.change.version {
                outOfOrder.append("id \(record.change.id): version \(record.change.version) at \(record.message.partition):\(record.message.offset) "
                                  + "after version \(last.version) at \(last.record.message.partition):\(last.record.message.offset)")
            }
            lastVersion[record.change.id] = (record.change.version, record)
        }
        summary.repeatedTransactions = repeatedGtids.count
        if !differing.isEmpty {
            summary.problems.append("\(differing.count) repeats differ from the first copy, e.g.\n\(differing.prefix(3).joined(separator: "\n"))")
        }
        if !outOfOrder.isEmpty {
            summary.problems.append("\(outOfOrder.count) records out of commit order per key, e.g.\n\(outOfOrder.prefix(5).joined(separator: "\n"))")
        }
        if firstByIdentity.count != firstByChange.count {
            summary.problems.append("one binlog identity per change: \(firstByIdentity.count) identities for \(firstByChange.count) changes")
        }
        // (d) one partition per key, and the key names the row.
        var partitionsByKey: [String: Set<Int32>] = [:]
        for record in records { partitionsByKey[record.keyText, default: []].insert(record.message.partition) }
        let split = partitionsByKey.filter { $0.value.count > 1 }
        if !split.isEmpty {
            summary.problems.append("\(split.count) keys in more than one partition, e.g. \(split.prefix(3))")
        }
        let wrongKeys = records.filter { $0.keyText != #"{"database":"shop","table":"orders","pk.id":\#($0.change.id)}"# }
        if !wrongKeys.isEmpty {
            summary.problems.append("records with another key, e.g. \(wrongKeys.prefix(3).map(\.keyText))")
        }
        // Per transaction: one xid on every row, `commit: true` on exactly one (its last) row.
        var byGtid: [String: [Record]] = [:]
        for record in firstByIdentity.values { byGtid[record.gtid, default: []].append(record) }
        let badTransactions = byGtid.filter { _, rows in
            Set(rows.map(\.xid)).count != 1 || rows.first?.xid == nil || rows.filter(\.commit).count != 1
        }
        if !badTransactions.isEmpty {
            summary.problems.append("\(badTransactions.count) transactions without one xid and one commit, e.g. \(badTransactions.keys.prefix(3))")
        }
        return summary
    }

    /// `check`, recording an issue per problem (with `context`: the seed and the cdc log).
    @discardableResult
    static func verify(_ messages: [KafkaConsumerMessage], expected: Set<Change>, context: String) -> Summary {
        let summary = check(messages, expected: expected)
        for problem in summary.problems { Issue.record("\(problem)\n\(context)") }
        return summary
    }

    // MARK: - Helpers

    /// Polls `condition` every 5 ms until it holds; throws after `timeout`.
    static func waitUntil(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw PipelineError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
