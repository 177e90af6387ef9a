import Kafka
import PipelineCore
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Consumes topics as a consumer group, batch by batch: poll, process (outputs written), then commit
/// the offsets and state changes to Redis in one atomic step. Offsets live only in Redis; on
/// assignment each partition starts at the offset stored there. A crash at any point replays the
/// uncommitted batch against unchanged state. Graceful shutdown finishes the batch in flight.
public final class BatchConsumerService: Service, Sendable {
    public struct Options: Sendable {
        public var topics: [String]
        /// Most messages per batch (default 500).
        public var maxBatchSize: Int = 500
        /// How long a poll waits to fill a batch (default 100 ms); bounds the added latency.
        public var pollTimeout: Duration = .milliseconds(100)
        /// How often the processor's `idle` work runs (default 1 s), with or without traffic.
        public var idleInterval: Duration = .seconds(1)
        /// With messages waiting, no commit for this long (and no dependency down) marks the consumer stuck
        /// on `/healthz`, so that Kubernetes restarts the process (default 5 minutes; nil: never).
        public var stallTimeout: Duration? = .seconds(300)

        public init(topics: [String]) { self.topics = topics }
    }

    private let consumer: KafkaConsumer
    private let offsets: OffsetStore
    private let processor: any BatchProcessor
    private let options: Options
    private let readiness: Readiness
    private let liveness: Liveness?
    private let logger: Logger
    private let messagesCounter: Counter
    private let batchTimer: Timer
    private let fencedCounter: Counter
    private let gapCounter: Counter
    private let stoppingFlag: StoppingFlag
    /// The partitions this member owns whose committed offset it knows, and that offset.
    private let committed: CommittedOffsets

    private let prepare: @Sendable () async throws -> Void

    /// `prepare` runs before consuming starts (creating topics, installing index templates); it
    /// should wait for its dependencies rather than fail.
    public init(kafka: KafkaConsumerConfiguration, offsets: OffsetStore, processor: any BatchProcessor,
                options: Options, readiness: Readiness, liveness: Liveness? = nil, logger: Logger,
                prepare: @escaping @Sendable () async throws -> Void = {}) throws {
        self.prepare = prepare
        self.offsets = offsets
        self.processor = processor
        self.options = options
        self.readiness = readiness
        self.liveness = liveness
        self.logger = logger
        self.messagesCounter = Counter(label: "consumer_messages_total", dimensions: [("group", offsets.group)])
        self.batchTimer = Timer(label: "consumer_batch_seconds", dimensions: [("group", offsets.group)])
        self.fencedCounter = Counter(label: "consumer_fenced_batches_total", dimensions: [("group", offsets.group)])
        self.gapCounter = Counter(label: "consumer_offset_gaps_total", dimensions: [("group", offsets.group)])
        let stoppingFlag = StoppingFlag()
        self.stoppingFlag = stoppingFlag
        let committed = CommittedOffsets()
        self.committed = committed
        let store = offsets
        let log = logger
        self.consumer = try KafkaConsumer(
            configuration: kafka, logger: logger,
            startingOffsets: { partitions in
                let loaded = store.loadBlocking(partitions, isStopping: { stoppingFlag.value })
                committed.assign(loaded)
                log.info("partitions assigned", metadata: [
                    "partitions": "\(partitions.map { "\($0.topic)/\($0.partition)@\(loaded[$0].map(String.init) ?? "start")" })",
                ])
                return loaded
            },
            revoked: { partitions in
                committed.revoke(partitions)
                log.info("partitions revoked", metadata: ["partitions": "\(partitions.map { "\($0.topic)/\($0.partition)" })"])
            })
    }

    public func run() async throws {
        do {
            try await prepare()
        } catch is CancellationError {
            await close()  // shut down while waiting for a dependency
            // The wait may be shared (TopicSetup) and ended by another service's shutdown: return in this
            // service's own turn, or the service group takes it for a failure.
            try? await gracefulShutdown()
            return
        }
        try consumer.subscribe(topics: options.topics)
        readiness.markAvailable("kafka")
        logger.info("consuming", metadata: ["topics": "\(options.topics)", "group": "\(offsets.group)"])
        do {
            try await consume()
        } catch {
            await close()
            throw error
        }
        await close()
    }

    private func close() async {
        stoppingFlag.value = true
        await consumer.close()
        logger.info("consumer closed")
    }

    private func consume() async throws {
        var continuity = OffsetContinuity(logger: logger)
        let clock = ContinuousClock()
        var stall = options.stallTimeout.map { StallDetector(timeout: $0, now: clock.now) }
        var lastIdle = clock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if clock.now - lastIdle >= options.idleInterval {
                lastIdle = clock.now
                await runIdleWork()
                if stall != nil { await checkStall(&stall!) }
            }
            let batch: [KafkaConsumerMessage]
            do {
                batch = try await consumer.poll(maxMessages: options.maxBatchSize, timeout: options.pollTimeout)
            } catch {
                // Closed or fatal (e.g. fenced by a member with the same group.instance.id): this consumer
                // will never read again. Stopping the service lets the process restart with a new one.
                logger.critical("Kafka consumer failed for good; stopping", metadata: ["error": "\(error)"])
                throw error
            }
            if batch.isEmpty { continue }
            let progress = Self.progress(of: batch)
            if let gaps = continuity.gaps(in: progress, committed: committed.snapshot()) {
                try await rewind(after: gaps, batchProgress: progress)
                continue
            }
            try await handle(batch, progress: progress)
            stall?.progressed(at: clock.now)
            liveness?.markProgressing(livenessComponent)
        }
    }

    private var livenessComponent: String { "consumer \(offsets.group)" }

    /// Marks the consumer stuck on `/healthz` (or no longer) by what `detector` makes of its lag.
    private func checkStall(_ detector: inout StallDetector) async {
        let now = ContinuousClock.now
        guard detector.shouldCheckLag(at: now) else { return }
        let lag = await consumer.lag(after: committed.snapshot())
        switch detector.judge(lag: lag, dependencyDown: !readiness.unavailable.isEmpty, at: ContinuousClock.now) {
        case .fine:
            liveness?.markProgressing(livenessComponent)
        case .stuck(let waiting, let since):
            let reason = "\(waiting) messages waiting and nothing committed for \(since.components.seconds) s"
            logger.error("consumer stuck: reported on /healthz", metadata: ["reason": "\(reason)"])
            liveness?.markStuck(livenessComponent, reason: reason)
        }
    }

    /// Reads again from where this member's commits end, dropping the batch of `batchProgress`: its messages
    /// do not follow on from the committed offsets, and committing it would skip the messages in between.
    private func rewind(after gaps: [OffsetGap], batchProgress: [PartitionProgress]) async throws {
        gapCounter.increment(by: gaps.count)
        logger.error("batch does not continue from the committed offsets; reading again from them", metadata: [
            "gaps": "\(gaps.map { "\($0.partition.topic)/\($0.partition.partition): committed \($0.committed), batch starts at \($0.first)" })",
        ])
        let known = committed.snapshot()
        var positions: [KafkaTopicPartition: Int64] = [:]
        for progress in batchProgress {
            let partition = KafkaTopicPartition(topic: progress.topic, partition: progress.partition)
            positions[partition] = known[partition] ?? progress.firstOffset
        }
        var backoff = Backoff()
        while true {
            do {
                try await consumer.seek(positions)
                return
            } catch {
                logger.warning("seek failed; retrying", metadata: ["error": "\(error)"])
                if Task.isShuttingDownGracefully { return }  // nothing was committed: read again after restart
                try await backoff.wait()
            }
        }
    }

    /// The processor's periodic work, committed with the owned partitions' offsets (unchanged). A failure
    /// is logged and the work runs again at the next interval.
    private func runIdleWork() async {
        let owned = committed.snapshot().map {
            PartitionProgress(topic: $0.key.topic, partition: $0.key.partition, firstOffset: $0.value, nextOffset: $0.value)
        }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        guard !owned.isEmpty else { return }
        do {
            let changes = try await processor.idle(owned: owned)
            guard !changes.isEmpty else { return }
            if try await offsets.commit(owned, changes: changes) == .fenced {
                fencedCounter.increment()
                logger.warning("periodic work fenced: another consumer committed past this one's offsets")
            }
        } catch is CancellationError {
            return
        } catch {
            logger.warning("periodic work failed; it runs again shortly", metadata: ["error": "\(error)"])
        }
    }

    /// Processes and commits `batch` (whose offsets are `progress`), retrying with backoff until both succeed or the service stops.
    private func handle(_ batch: [KafkaConsumerMessage], progress: [PartitionProgress]) async throws {
        var backoff = Backoff()
        while true {
            let start = ContinuousClock.now
            do {
                let changes = try await processor.process(batch)
                switch try await offsets.commit(progress, changes: changes) {
                case .committed:
                    committed.record(progress)
                    messagesCounter.increment(by: batch.count)
                    batchTimer.recordElapsed(since: start)
                case .fenced:
                    fencedCounter.increment()
                    logger.warning("batch fenced: another consumer committed past it; re-reading from Redis offsets")
                    let stored = try await offsets.load(progress.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) })
                    try await consumer.seek(stored)
                    committed.update(stored)
                }
                readiness.markAvailable("processing")
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                readiness.markUnavailable("processing")
                logger.error("batch failed; retrying the same batch", metadata: [
                    "error": "\(error)", "messages": "\(batch.count)",
                ])
                if Task.isShuttingDownGracefully { return }  // uncommitted: replayed after restart
                try await backoff.wait()
            }
        }
    }

    /// Per partition, the batch's first offset and the offset after its last.
    static func progress(of batch: [KafkaConsumerMessage]) -> [PartitionProgress] {
        var byPartition: [KafkaTopicPartition: PartitionProgress] = [:]
        for message in batch {
            let key = KafkaTopicPartition(topic: message.topic, partition: message.partition)
            if var current = byPartition[key] {
                current.firstOffset = min(current.firstOffset, message.offset)
                current.nextOffset = max(current.nextOffset, message.offset + 1)
                byPartition[key] = current
            } else {
                byPartition[key] = PartitionProgress(topic: message.topic, partition: message.partition,
                                                     firstOffset: message.offset, nextOffset: message.offset + 1)
            }
        }
        return byPartition.values.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}

/// The committed offsets of the partitions a member owns, as far as it knows them: set on assignment
/// (from Redis), moved by each commit, dropped on revocation. Guards the periodic work's commit.
final class CommittedOffsets: Sendable {
    private let offsets = Mutex<[KafkaTopicPartition: Int64]>([:])

    func assign(_ loaded: [KafkaTopicPartition: Int64]) { offsets.withLock { $0.merge(loaded) { _, new in new } } }
    func update(_ stored: [KafkaTopicPartition: Int64]) { offsets.withLock { $0.merge(stored) { _, new in new } } }
    func revoke(_ partitions: [KafkaTopicPartition]) { offsets.withLock { for p in partitions { $0[p] = nil } } }
    func record(_ progress: [PartitionProgress]) {
        offsets.withLock { for p in progress { $0[KafkaTopicPartition(topic: p.topic, partition: p.partition)] = p.nextOffset } }
    }
    func snapshot() -> [KafkaTopicPartition: Int64] { offsets.withLock { $0 } }
}

/// Set when the service stops, so that a blocking offset load in the rebalance callback gives up.
final class StoppingFlag: Sendable {
    private let flag = Atomic(false)
    var value: Bool {
        get { flag.load(ordering: .relaxed) }
        set { flag.store(newValue, ordering: .relaxed) }
    }
}
