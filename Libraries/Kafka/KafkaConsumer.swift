import CRdKafka
import Dispatch
import Logging
import Synchronization

/// A consumer group member whose offsets the application keeps: on assignment it asks the application
/// where each partition starts, and it never commits offsets to Kafka. librdkafka is only polled from
/// the consumer's own serial queue, during `poll`, `seek` and `close`, and rebalances happen there.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let rebalancer: ConsumerRebalancer
    private let queue: DispatchQueue
    private let logger: Logger
    private let isClosed = Atomic<Bool>(false)

    /// Creates the member (it joins the group on `subscribe`). `startingOffsets` runs on the poll thread
    /// during rebalances and may block (e.g. read Redis); a partition it leaves out starts at
    /// `autoOffsetReset`. `revoked` runs there too when partitions are taken away.
    public init(
        configuration: KafkaConsumerConfiguration, logger: Logger,
        startingOffsets: @escaping @Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64],
        revoked: @escaping @Sendable ([KafkaTopicPartition]) -> Void
    ) throws(KafkaError) {
        let rebalancer = ConsumerRebalancer(logger: logger, startingOffsets: startingOffsets, revoked: revoked)
        let context = RDKafkaClientContext(logger: logger, rebalanceHandler: { handle, code, list in
            rebalancer.rebalance(handle: handle, code: code, list: list)
        })
        client = try RDKafkaClient.make(kind: .consumer, properties: configuration.properties, context: context)
        self.rebalancer = rebalancer
        self.logger = logger
        queue = DispatchQueue(label: "kafka-consumer-\(configuration.groupID)")
        // Route the main queue (errors and other events) to the consumer queue that `poll` serves.
        try client.withHandle("create consumer") { handle throws(KafkaError) in
            let code = rd_kafka_poll_set_consumer(handle)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw .from(code, operation: "create consumer") }
        }
    }

    deinit {
        // No poll, seek or close can be running (each holds a reference): leave the group here.
        if !isClosed.load(ordering: .acquiring) { Self.leaveGroup(client, logger: logger) }
    }

    /// Subscribes to `topics`, replacing any earlier subscription; partitions come with the next `poll`.
    public func subscribe(topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList(topics: topics)
        try client.withHandle("subscribe") { handle throws(KafkaError) in
            let code = rd_kafka_subscribe(handle, list.pointer)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw .from(code, operation: "subscribe to \(topics)") }
        }
    }

    /// The partitions currently assigned to this member.
    public var assignment: Set<KafkaTopicPartition> { rebalancer.assignment }

    /// Reads until `maxMessages` messages are in or `timeout` has passed (rebalances are served meanwhile).
    /// Messages of partitions revoked during the call are dropped, since their new owner reads them again;
    /// consumer errors such as an unreachable broker are logged, not returned. Task cancellation ends the
    /// call early with what was read. Throws only when the consumer is closed or hit a fatal error.
    public func poll(maxMessages: Int, timeout: Duration) async throws(KafkaError) -> [KafkaConsumerMessage] {
        let cancellation = CancellationFlag()
        let result: Result<[KafkaConsumerMessage], KafkaError> = await withTaskCancellationHandler {
            do throws(KafkaError) {
                return .success(try await queue.perform { [self] () throws(KafkaError) in
                    try read(maxMessages: maxMessages, timeout: timeout, cancellation: cancellation)
                })
            } catch {
                return .failure(error)
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    /// Moves the fetch position of assigned partitions, so that the next `poll` returns messages from
    /// there (e.g. to read a batch again after a failure). Waits up to `timeout` for librdkafka.
    public func seek(_ offsets: [KafkaTopicPartition: Int64], timeout: Duration = .seconds(10)) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        try await queue.perform { [client] () throws(KafkaError) in
            try client.withHandle("seek") { handle throws(KafkaError) in
                let list = RDKafkaTopicPartitionList(offsets.map { ($0.key, offset: $0.value) })
                if let error = rd_kafka_seek_partitions(handle, list.pointer, timeout.wholeMilliseconds) {
                    let code = rd_kafka_error_code(error)
                    rd_kafka_error_destroy(error)
                    throw .from(code, operation: "seek", timeout: timeout)
                }
                for element in list.elements where element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let partition = KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
                    throw .from(element.err, operation: "seek \(partition) to \(element.offset)", timeout: timeout)
                }
            }
        }
    }

    /// How many messages the partitions hold past `offsets`, from high watermarks asked of the brokers (up to
    /// `timeout` each, on a thread of its own: polling goes on meanwhile); nil when one cannot be had.
    public func lag(after offsets: [KafkaTopicPartition: Int64], timeout: Duration = .seconds(2)) async -> Int64? {
        guard !offsets.isEmpty else { return 0 }
        let result: Result<Int64?, KafkaError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [client] in
                continuation.resume(returning: Result { () throws(KafkaError) -> Int64? in
                    try client.withHandle("lag") { handle in
                        var total: Int64 = 0
                        for (partition, offset) in offsets {
                            var low: Int64 = 0, high: Int64 = 0
                            let code = rd_kafka_query_watermark_offsets(handle, partition.topic, partition.partition,
                                                                        &low, &high, timeout.wholeMilliseconds)
                            guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
                            total += max(0, high - offset)
                        }
                        return total
                    }
                })
            }
        }
        return (try? result.get()) ?? nil
    }

    /// Leaves the group (the `revoked` callback runs for the current assignment) and frees the client.
    /// Idempotent; `poll` and `seek` throw `.closed` afterwards.
    public func close() async {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await queue.perform { [client, logger] in Self.leaveGroup(client, logger: logger) }
    }

    /// Closes the consumer (serving the final revocation on this thread), then frees the client.
    private static func leaveGroup(_ client: RDKafkaClient, logger: Logger) {
        try? client.withHandle("close") { handle in
            let code = rd_kafka_consumer_close(handle)
            if code != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.warning("Kafka consumer did not leave its group cleanly", metadata: [
                    "error": "\(RDKafkaErrorCode.message(code.rawValue))",
                ])
            }
        }
        client.destroy()
    }

    private func read(maxMessages: Int, timeout: Duration, cancellation: CancellationFlag) throws(KafkaError)
        -> [KafkaConsumerMessage] {
        try client.withHandle("poll") { handle throws(KafkaError) in
            let deadline = ContinuousClock.now + timeout
            var messages: [KafkaConsumerMessage] = []
            _ = rebalancer.takeRevoked()
            while messages.count < maxMessages, !cancellation.isCancelled {
                let remaining = deadline - .now
                guard remaining > .zero else { break }
                // Short slices, so that cancellation is noticed quickly.
                let message = rd_kafka_consumer_poll(handle, min(remaining, .milliseconds(100)).wholeMilliseconds)
                let revoked = rebalancer.takeRevoked()
                if !revoked.isEmpty {
                    messages.removeAll { revoked.contains($0.topicPartition) }
                }
                guard let message else { continue }
                defer { rd_kafka_message_destroy(message) }
                if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    messages.append(KafkaConsumerMessage(copying: message))
                } else {
                    try handleError(message, handle: handle)
                }
            }
            return messages
        }
    }

    /// Logs a consumer error; throws if librdkafka says the consumer can no longer work.
    private func handleError(_ message: UnsafeMutablePointer<rd_kafka_message_t>, handle: OpaquePointer) throws(KafkaError) {
        let code = message.pointee.err
        if code == RD_KAFKA_RESP_ERR__PARTITION_EOF { return }
        let text = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? RDKafkaErrorCode.message(code.rawValue)
        if code == RD_KAFKA_RESP_ERR__FATAL {
            let (fatal, reason) = withRDKafkaErrorString { rd_kafka_fatal_error(handle, $0, $1) }
            throw .operationFailed(operation: "poll", code: fatal.rawValue, message: reason.isEmpty ? text : reason)
        }
        var metadata: Logger.Metadata = ["error": "\(RDKafkaErrorCode.name(code.rawValue))", "message": "\(text)"]
        if let topic = message.pointee.rkt {
            metadata["partition"] = "\(KafkaTopicPartition(topic: String(cString: rd_kafka_topic_name(topic)), partition: message.pointee.partition))"
        }
        logger.warning("Kafka consumer error", metadata: metadata)
    }
}

/// Set when the task awaiting a `poll` is cancelled; read by the poll thread.
private final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
    func cancel() { flag.store(true, ordering: .relaxed) }
}
