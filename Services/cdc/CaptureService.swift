import BinlogReplication
import Common
import Foundation
import Kafka
import Logging
import Metrics
import Redis
import ServiceLifecycle

/// Waits for MySQL, Kafka and Redis (the HTTP server already answers), then runs the change capture loop and
/// the bootstrap queue as a lifecycle service and publishes progress as metrics:
/// `cdc_rows_total`, `cdc_transactions_total`, `cdc_lag_seconds` (now minus the source time of the last
/// delivered row), `cdc_rows_per_second`, `cdc_undecodable_values_total` (text values written as base64 under
/// `CDC_ON_UNDECODABLE=base64`).
struct CaptureService: Service {
    let reader: BinlogReader
    let producer: KafkaProducer
    let admin: KafkaAdmin
    let redis: RedisClient
    let kafkaSettings: KafkaSettings
    let settings: CDCSettings
    /// Where the admin endpoint finds the capture once it runs.
    let started: StartedCapture
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        let capture: ChangeCapture, bootstraps: BootstrapQueue
        do {
            (capture, bootstraps) = try await connect()
        } catch is CancellationError {
            return  // stopped while waiting for a dependency
        }
        started.set(bootstraps)
        let reporter = Task { await report(capture) }
        defer { reporter.cancel() }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await capture.run() }
                    group.addTask {
                        try await bootstraps.restore(adding: settings.bootstrap)
                        try await bootstraps.run()
                    }
                    // The first to end ends both: `waitForAll()` would wait for the bootstrap queue, which runs
                    // until cancelled, before reporting the stream's failure (cdc then hung instead of exiting).
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch let error where !(error is CancellationError) {
            // A stream that cannot go on (settings, a purged position, an undecodable value): the process exits.
            logger.critical("change capture stopped", metadata: ["error": "\(error)"])
            throw error
        }
    }

    /// Waits for MySQL (the source's server id names the stored position), Kafka (the topic and its
    /// partition count) and builds the capture and its bootstrap queue.
    private func connect() async throws -> (ChangeCapture, BootstrapQueue) {
        let replication = settings.replication
        let serverID = try await waitForDependency("mysql", readiness: readiness, logger: logger, what: "read the source's server_id") {
            try BinlogConnection(replication).serverID()
        }
        let store = RedisPositionStore(client: redis, key: RedisPositionStore.key(serverID: serverID, clientID: settings.clientID),
                                       readiness: readiness, logger: logger)
        try await TopicSetup(admin: admin, topics: [settings.topic], settings: kafkaSettings, readiness: readiness, logger: logger)
            .ensureTopics()
        let (admin, topic) = (admin, settings.topic)
        let partitions = try await waitForDependency("kafka", readiness: readiness, logger: logger,
                                                     what: "read the partition count of \(topic)") {
            Int32(try await admin.partitionCount(topic: topic))
        }
        let sink = KafkaChangeSink(producer: producer, topic: settings.topic, partitions: partitions, readiness: readiness, logger: logger)
        let capture = ChangeCapture(reader: reader, sink: sink, store: store, partitioner: settings.partitioner, logger: logger)
        let bootstraps = BootstrapQueue(capture: capture, redis: redis,
                                        key: BootstrapQueue.key(serverID: serverID, clientID: settings.clientID),
                                        readiness: readiness, logger: logger)
        return (capture, bootstraps)
    }

    private func report(_ capture: ChangeCapture) async {
        let rows = Counter(label: "cdc_rows_total")
        let transactions = Counter(label: "cdc_transactions_total")
        let lag = Gauge(label: "cdc_lag_seconds")
        let rate = Gauge(label: "cdc_rows_per_second")
        let undecodable = Counter(label: "cdc_undecodable_values_total")
        let undecodableValues = capture.reader.valueOptions.undecodableValues
        var last = capture.statistics
        var lastUndecodable = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let now = capture.statistics
            rows.increment(by: now.recordsDelivered - last.recordsDelivered)
            transactions.increment(by: now.transactionsCommitted - last.transactionsCommitted)
            rate.record(now.recordsDelivered - last.recordsDelivered)
            let undecodableNow = undecodableValues.value
            undecodable.increment(by: undecodableNow - lastUndecodable)
            lastUndecodable = undecodableNow
            if let timestamp = now.lastEventTimestamp {
                lag.record(max(0, Date().timeIntervalSince1970 - Double(timestamp)))
            }
            if now.isStreaming { readiness.markAvailable("mysql") }
            last = now
        }
    }
}
