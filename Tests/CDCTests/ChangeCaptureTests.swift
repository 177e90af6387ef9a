@testable import BinlogReplication
import Foundation
import Synchronization
import Testing
import TestSupport

/// Collects delivered messages; fails the delivery that holds a record matching `failOn` (once).
final class MemorySink: ChangeSink {
    private let state = Mutex<(messages: [ChangeMessage], failOn: String?)>(([], nil))
    init(failOn: String? = nil) { state.withLock { $0.failOn = failOn } }

    var messages: [ChangeMessage] { state.withLock { $0.messages } }

    func deliver(_ messages: [ChangeMessage]) async throws {
        try state.withLock { state in
            if let failOn = state.failOn, messages.contains(where: { $0.value.contains(failOn) }) {
                state.failOn = nil
                throw LiveTestError.timeout("sink unavailable")
            }
            state.messages += messages
        }
    }
}

final class MemoryStore: PositionStore {
    private let position = Mutex<ReplicationPosition?>(nil)
    private let saves = Mutex(0)
    var saved: ReplicationPosition? { position.withLock { $0 } }
    var saveCount: Int { saves.withLock { $0 } }
    func load() async throws -> ReplicationPosition? { position.withLock { $0 } }
    func save(_ position: ReplicationPosition) async throws {
        self.position.withLock { $0 = position }
        saves.withLock { $0 += 1 }
    }
}

@Suite struct ChangeCaptureTests {
    @Test func positionTextRoundTrips() {
        let position = ReplicationPosition(binlog: BinlogPosition(file: "binlog.000002", offset: 1234),
                                           gtid: Gtid(domain: 0, serverID: 1, sequence: 5))
        #expect(position.storedText == #"{"gtid":"0-1-5","file":"binlog.000002","offset":1234}"#)
        #expect(ReplicationPosition(storedText: position.storedText) == position)
        let plain = ReplicationPosition(binlog: BinlogPosition(file: "b.1", offset: 4))
        #expect(ReplicationPosition(storedText: plain.storedText) == plain)
        #expect(plain.startPosition == .binlog(BinlogPosition(file: "b.1", offset: 4)))
        #expect(position.startPosition == .gtid("0-1-5"))
        #expect(ReplicationPosition(storedText: "nonsense") == nil)
        #expect(ReplicationPosition(storedText: #"{"gtid":"x","file":"b","offset":1}"#) == nil)
    }

    /// Runs `capture` until the sink has `count` messages or `run()` ends (20 s at most); returns run()'s error.
    private func run(_ capture: ChangeCapture, until count: Int, sink: MemorySink) async -> (any Error)? {
        let ended = Atomic<Bool>(false)
        let task = Task {
            defer { ended.store(true, ordering: .releasing) }
            try await capture.run()
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while sink.messages.count < count, !ended.load(ordering: .acquiring), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        do { try await task.value; return nil } catch is CancellationError { return nil } catch { return error }
    }

    @Test func deliversThenStoresAndResumesWithoutLoss() async throws {
        let server = try await Live.server()
        let db = Live.uniqueDatabase()
        try await server.sql("CREATE DATABASE \(db); CREATE TABLE \(db).order_detail (id INT PRIMARY KEY, order_id INT, sku VARCHAR(8));")
        let store = MemoryStore()
        let reader = BinlogReader(configuration: Live.configuration(server), filter: TableFilter(include: [db]))
        let partitioner = MaxwellPartitioner(columnsByTable: ["order_detail": ["order_id"]])

        // First run: no stored position, so it starts at the current end and stores it at once.
        let sink = MemorySink()
        let firstRun = Task { try await ChangeCapture(reader: reader, sink: sink, store: store, partitioner: partitioner).run() }
        while store.saved == nil { try await Task.sleep(for: .milliseconds(20)) }
        try await server.sql("INSERT INTO \(db).order_detail VALUES (1, 1001, 'a'), (2, 1001, 'b'); INSERT INTO \(db).order_detail VALUES (3, 1002, 'c');")
        let deadline = ContinuousClock.now + .seconds(20)
        while sink.messages.count < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        firstRun.cancel()
        _ = await firstRun.result
        #expect(sink.messages.map(\.partitionKey) == ["1001", "1001", "1002"])
        #expect(sink.messages.first?.key == #"{"database":"\#(db)","table":"order_detail","pk.id":1}"#)
        let stored = try #require(store.saved)

        // While stopped, more changes; the second run starts after the stored position: no loss, no repeat.
        try await server.sql("UPDATE \(db).order_detail SET sku = 'z' WHERE id = 3;")
        let second = MemorySink()
        _ = await run(ChangeCapture(reader: reader, sink: second, store: store, partitioner: partitioner), until: 1, sink: second)
        #expect(second.messages.count == 1)
        #expect(second.messages.first?.value.contains(#""type":"update""#) == true)
        #expect(second.messages.first?.value.contains(#""old":{"sku":"c"}"#) == true)
        #expect(store.saved != stored)
    }

    @Test func failedDeliveryIsRedeliveredByteIdentical() async throws {
        let server = try await Live.server()
        let db = Live.uniqueDatabase()
        try await server.sql("CREATE DATABASE \(db); CREATE TABLE \(db).t (id INT PRIMARY KEY, v VARCHAR(10));")
        let store = MemoryStore()
        let reader = BinlogReader(configuration: Live.configuration(server), filter: TableFilter(include: [db]))
        _ = try await ChangeCapture(reader: reader, sink: MemorySink(), store: store).startPosition()
        try await server.sql("INSERT INTO \(db).t VALUES (1, 'first'); INSERT INTO \(db).t VALUES (2, 'poison'); INSERT INTO \(db).t VALUES (3, 'after');")

        let failing = MemorySink(failOn: "poison")
        let error = await run(ChangeCapture(reader: reader, sink: failing, store: store), until: 3, sink: failing)
        #expect(error != nil, "the failed delivery ends the run")
        #expect(!failing.messages.contains { $0.value.contains("poison") })

        let retry = MemorySink()
        let retryError = await run(ChangeCapture(reader: reader, sink: retry, store: store), until: 2, sink: retry)
        #expect(retryError == nil)
        let everything = failing.messages + retry.messages
        let ids = everything.compactMap { message in ["first", "poison", "after"].first { message.value.contains($0) } }
        #expect(Set(ids) == ["first", "poison", "after"], "every committed row arrives at least once")
        #expect(ids.last == "after")
        // A repeat of "first" (if the batch held it) is the same bytes.
        let firsts = everything.filter { $0.value.contains("first") }
        #expect(Set(firsts.map(\.value)).count == 1)
    }
}

@Suite struct TransactionQueueTests {
    private func transaction(_ records: Int, offset: UInt64) -> CommittedTransaction {
        let record = MaxwellRecord(database: "d", table: "t", kind: .insert, timestamp: 1, data: [])
        return CommittedTransaction(records: Array(repeating: record, count: records),
                                    end: ReplicationPosition(binlog: BinlogPosition(file: "f", offset: offset)))
    }

    @Test func batchesWhatIsQueuedAndBlocksWhenFull() async throws {
        let queue = TransactionQueue(limit: BufferLimit(records: 3, bytes: .max))
        let pushed = Atomic<Int>(0)
        let producer = Thread {
            for offset in 1...5 {
                guard queue.push(self.transaction(1, offset: UInt64(offset))) else { return }
                pushed.add(1, ordering: .relaxed)
            }
            queue.finish()
        }
        producer.start()
        try await Task.sleep(for: .milliseconds(200))
        let pushedBeforeConsuming = pushed.load(ordering: .relaxed)
        #expect(pushedBeforeConsuming == 3, "the producer waits at the record limit")
        var offsets: [UInt64] = []
        while let batch = try await queue.next() { offsets += batch.compactMap(\.end?.binlog.offset) }
        #expect(offsets == [1, 2, 3, 4, 5])
    }

    @Test func blocksAtTheByteLimitToo() async throws {
        // Each transaction: one record of about 1,130 bytes; two fit in 2,500 bytes, a third does not.
        let record = MaxwellRecord(database: "d", table: "t", kind: .insert, timestamp: 1,
                                   data: [.init("v", .string(String(repeating: "x", count: 1000)))])
        let queue = TransactionQueue(limit: BufferLimit(records: .max, bytes: 2500))
        let pushed = Atomic<Int>(0)
        let producer = Thread {
            for offset in 1...4 {
                let transaction = CommittedTransaction(records: [record], end: ReplicationPosition(binlog: BinlogPosition(file: "f", offset: UInt64(offset))))
                guard queue.push(transaction) else { return }
                pushed.add(1, ordering: .relaxed)
            }
            queue.finish()
        }
        producer.start()
        try await Task.sleep(for: .milliseconds(200))
        let pushedBeforeConsuming = pushed.load(ordering: .relaxed)
        #expect(pushedBeforeConsuming == 2, "the producer waits at the byte limit")
        var offsets: [UInt64] = []
        while let batch = try await queue.next() { offsets += batch.compactMap(\.end?.binlog.offset) }
        #expect(offsets == [1, 2, 3, 4])
    }

    @Test func oversizedTransactionStillPassesAndErrorsArrive() async throws {
        let queue = TransactionQueue(limit: BufferLimit(records: 2, bytes: .max))
        #expect(queue.push(transaction(10, offset: 1)))
        queue.finish(throwing: ReplicationError.serverSetting("x"))
        #expect(try await queue.next()?.count == 1)
        await #expect(throws: ReplicationError.self) { _ = try await queue.next() }
    }

    @Test func stopReleasesTheProducer() async throws {
        let queue = TransactionQueue(limit: BufferLimit(records: 1, bytes: .max))
        #expect(queue.push(transaction(1, offset: 1)))
        let done = Atomic<Bool>(false)
        let producer = Thread {
            _ = queue.push(self.transaction(1, offset: 2))
            done.store(true, ordering: .relaxed)
        }
        producer.start()
        try await Task.sleep(for: .milliseconds(100))
        let doneBefore = done.load(ordering: .relaxed)
        #expect(!doneBefore)
        queue.stop()
        try await Task.sleep(for: .milliseconds(100))
        let doneAfter = done.load(ordering: .relaxed)
        #expect(doneAfter)
        #expect(!queue.push(transaction(1, offset: 3)))
    }
}
