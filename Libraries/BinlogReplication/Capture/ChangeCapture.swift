import Logging
import Synchronization

/// The change data capture loop: reads committed transactions from the binlog, delivers their records to a
/// sink, and stores the position after each delivered batch, so that a restart resumes after the last
/// acknowledged transaction (records may repeat after a crash, never go missing).
public final class ChangeCapture: Sendable {
    public let reader: BinlogReader
    let sink: any ChangeSink
    private let store: any PositionStore
    let partitioner: MaxwellPartitioner
    private let logger: Logger
    private let stats = Mutex(Statistics())

    /// Counters for metrics and health checks.
    public struct Statistics: Sendable, Equatable {
        /// Records acknowledged by the sink since start.
        public var recordsDelivered = 0
        /// Transactions whose position was stored since start.
        public var transactionsCommitted = 0
        /// The last stored position.
        public var position: ReplicationPosition?
        /// Source timestamp (seconds) of the last delivered record, for lag.
        public var lastEventTimestamp: UInt32?
        /// True once the binlog stream is open and the first batch (or nothing) has been handled.
        public var isStreaming = false
    }

    public init(reader: BinlogReader, sink: any ChangeSink, store: any PositionStore,
                partitioner: MaxwellPartitioner = MaxwellPartitioner(), logger: Logger = Logger(label: "cdc")) {
        self.reader = reader
        self.sink = sink
        self.store = store
        self.partitioner = partitioner
        self.logger = logger
    }

    public var statistics: Statistics { stats.withLock { $0 } }

    /// Where a run starts: after the stored position, or at the binlog's current end when none is stored.
    public func startPosition() async throws -> StartPosition {
        if let stored = try await store.load() {
            logger.info("resuming after the stored position", metadata: ["position": "\(stored)"])
            return stored.startPosition
        }
        let end = try reader.currentEnd()
        logger.info("no stored position: starting at the current end of the binlog", metadata: ["position": "\(end)"])
        try await store.save(end)
        return end.startPosition
    }

    /// Runs until the task is cancelled or the stream fails for good (purged position, server settings).
    public func run() async throws {
        let start = try await startPosition()
        stats.withLock { $0.isStreaming = true }
        for try await batch in reader.batches(from: start) {
            try Task.checkCancellation()
            try await deliver(batch)
        }
    }

    /// Delivers one batch of transactions and then stores the position after its last complete one.
    func deliver(_ batch: [CommittedTransaction]) async throws {
        var messages: [ChangeMessage] = []
        messages.reserveCapacity(batch.reduce(0) { $0 + $1.records.count })
        for transaction in batch {
            for record in transaction.records { messages.append(ChangeMessage(record, partitioner: partitioner)) }
        }
        if !messages.isEmpty { try await sink.deliver(messages) }
        let end = batch.last { $0.end != nil }?.end
        if let end { try await store.save(end) }
        let lastTimestamp = batch.last { !$0.records.isEmpty }?.records.last?.timestamp
        stats.withLock { stats in
            stats.recordsDelivered += messages.count
            stats.transactionsCommitted += batch.count { $0.end != nil }
            if let end { stats.position = end }
            if let lastTimestamp { stats.lastEventTimestamp = lastTimestamp }
        }
    }
}
