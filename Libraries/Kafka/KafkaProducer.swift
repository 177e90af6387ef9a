import CRdKafka
import Dispatch
import Logging
import Synchronization

/// Sends records to Kafka and reports when the brokers acknowledged them. A dedicated thread serves
/// librdkafka's delivery reports; call `shutdown(timeout:)` to deliver what is queued before exiting.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let deliveries: DeliveryTracker
    private let poller: PollingThread
    private let logger: Logger
    private let isShutDown = Atomic<Bool>(false)

    /// Connects lazily (the first send opens connections); throws `.configuration` naming a rejected property.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        try configuration.validate()
        let deliveries = DeliveryTracker(logger: logger)
        let context = RDKafkaClientContext(logger: logger, deliveryHandler: { message in
            let (id, result) = KafkaProducer.deliveryResult(of: message)
            deliveries.delivered(id: id, result)
        })
        let client = try RDKafkaClient.make(kind: .producer, properties: configuration.properties, context: context)
        self.client = client
        self.deliveries = deliveries
        self.logger = logger
        self.poller = PollingThread(label: "kafka-producer-poll") {
            do {
                try client.withHandle("poll") { _ = rd_kafka_poll($0, 100) }
                return true
            } catch {
                return false
            }
        }
    }

    deinit {
        // No send can be waiting here (each holds a reference); stop polling before the handle goes.
        poller.stop()
        client.destroy()
    }

    /// Enqueues `messages` and returns, in input order, where each was stored once all are acknowledged.
    /// Throws the first delivery error after every report is in, or `.queueFull` when librdkafka's queue
    /// fills while enqueueing (after the already enqueued ones are reported). Waits at most about the
    /// configured message timeout; task cancellation does not cut that short.
    public func send(_ messages: [KafkaProducerMessage]) async throws(KafkaError) -> [KafkaDeliveryReport] {
        guard !messages.isEmpty else { return [] }
        let outcome: DeliveryTracker.Outcome = await withCheckedContinuation { continuation in
            guard let ids = deliveries.register(count: messages.count, continuation: continuation) else {
                continuation.resume(returning: .failure(.closed(operation: "send")))
                return
            }
            var enqueued = 0
            var failure: KafkaError?
            do throws(KafkaError) {
                try client.withHandle("send") { handle throws(KafkaError) in
                    for (message, id) in zip(messages, ids) {
                        try Self.enqueue(message, id: id, on: handle)
                        enqueued += 1
                    }
                }
            } catch {
                failure = error
            }
            deliveries.enqueueFinished(ids: ids, enqueued: enqueued, error: failure)
        }
        return try outcome.get()
    }

    /// Stops accepting sends, waits up to `timeout` for queued records to be acknowledged, fails the rest
    /// (their `send` calls throw), then frees the client. Idempotent; later calls return at once.
    public func shutdown(timeout: Duration = .seconds(10)) async {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await DispatchQueue.global().perform { [self] in drainAndDestroy(timeout: timeout) }
    }

    private func drainAndDestroy(timeout: Duration) {
        deliveries.stopAccepting()
        poller.stop()
        try? client.withHandle("shutdown") { handle in
            // rd_kafka_flush serves delivery reports on this thread now that the poller is gone.
            if rd_kafka_flush(handle, timeout.wholeMilliseconds) != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.warning("Kafka producer shutdown: records not acknowledged in time are purged", metadata: [
                    "records": "\(rd_kafka_outq_len(handle))", "timeout": "\(timeout)",
                ])
            }
            // Purged records get failed delivery reports, which the short flush serves.
            _ = rd_kafka_purge(handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
            _ = rd_kafka_flush(handle, min(timeout, .seconds(1)).wholeMilliseconds)
        }
        deliveries.failAll(with: .closed(operation: "send"))
        client.destroy()
    }

    private static func enqueue(_ message: KafkaProducerMessage, id: UInt, on handle: OpaquePointer) throws(KafkaError) {
        let headers = makeHeaders(message.headers)
        let code = message.value.withUnsafeBytes { value in
            withBytes(of: message.key) { key in
                crdkafka_produce(handle, message.topic, message.partition ?? -1 /* RD_KAFKA_PARTITION_UA: by key */,
                                 key?.baseAddress, key?.count ?? 0,
                                 value.baseAddress, value.count, headers, UnsafeMutableRawPointer(bitPattern: id))
            }
        }
        switch code {
        case RD_KAFKA_RESP_ERR_NO_ERROR:
            return
        case RD_KAFKA_RESP_ERR__QUEUE_FULL:
            throw .queueFull(topic: message.topic)
        default:
            throw .deliveryFailed(topic: message.topic, code: code.rawValue, message: RDKafkaErrorCode.message(code.rawValue))
        }
    }

    /// A header list for librdkafka (which takes it over when enqueueing), or nil when there are none.
    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer? {
        guard !headers.isEmpty, let list = rd_kafka_headers_new(headers.count) else { return nil }
        for header in headers {
            header.value.withUnsafeBytes { value in
                _ = rd_kafka_header_add(list, header.key, -1, value.baseAddress, value.count)
            }
        }
        return list
    }

    private static func withBytes<T>(of bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }

    /// The message id and outcome of one delivery report.
    private static func deliveryResult(
        of message: UnsafePointer<rd_kafka_message_t>
    ) -> (UInt, Result<KafkaDeliveryReport, KafkaError>) {
        let m = message.pointee
        let id = UInt(bitPattern: m._private)
        let topic = m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        guard m.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            return (id, .failure(.deliveryFailed(topic: topic, code: m.err.rawValue,
                                                 message: RDKafkaErrorCode.message(m.err.rawValue))))
        }
        return (id, .success(KafkaDeliveryReport(topic: topic, partition: m.partition, offset: m.offset)))
    }
}
