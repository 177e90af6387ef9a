import CRdKafka
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Owns one librdkafka `rd_kafka_t` and its callback context. The handle is thread-safe; `withHandle`
/// lends it out and `destroy` (also run by deinit) waits until no borrower is left before freeing it.
final class RDKafkaClient: Sendable {
    enum Kind {
        case producer
        case consumer
    }

    private struct Usage {
        var isDestroyed = false
        var borrowers = 0
    }

    nonisolated(unsafe) private let handle: OpaquePointer
    private let context: Unmanaged<RDKafkaClientContext>
    private let usage = Mutex(Usage())

    private init(handle: OpaquePointer, context: Unmanaged<RDKafkaClientContext>) {
        self.handle = handle
        self.context = context
    }

    deinit {
        destroy()
    }

    /// Creates the client with `properties`; librdkafka's logs go to the context's logger, and its
    /// delivery reports and rebalances to the context's handlers if set.
    static func make(kind: Kind, properties: [(name: String, value: String)],
                     context: RDKafkaClientContext) throws(KafkaError) -> RDKafkaClient {
        let conf = try RDKafkaConfig.make(properties)
        let opaque = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, opaque.toOpaque())
        rd_kafka_conf_set_log_cb(conf) { handle, level, facility, message in
            RDKafkaClientContext.of(handle)?.log(handle: handle, level: level, facility: facility, message: message)
        }
        if context.deliveryHandler != nil {
            rd_kafka_conf_set_dr_msg_cb(conf) { handle, message, _ in
                guard let message else { return }
                RDKafkaClientContext.of(handle)?.deliveryHandler?(message)
            }
        }
        if context.rebalanceHandler != nil {
            rd_kafka_conf_set_rebalance_cb(conf) { handle, code, partitions, _ in
                guard let handle else { return }
                guard let partitions, let handler = RDKafkaClientContext.of(handle)?.rebalanceHandler else {
                    // Keep librdkafka's state consistent even without partitions to hand out.
                    _ = rd_kafka_assign(handle, nil)
                    return
                }
                handler(handle, code, partitions)
            }
        }
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        let (created, message) = withRDKafkaErrorString { rd_kafka_new(type, conf, $0, $1) }
        guard let handle = created else {
            // rd_kafka_new takes over the configuration only when it succeeds.
            rd_kafka_conf_destroy(conf)
            opaque.release()
            throw .clientCreation(message: message)
        }
        return RDKafkaClient(handle: handle, context: opaque)
    }

    /// Runs `body` with the handle; throws `.closed(operation:)` once `destroy` has begun.
    func withHandle<T>(_ operation: String, _ body: (OpaquePointer) throws(KafkaError) -> T) throws(KafkaError) -> T {
        let available = usage.withLock { usage in
            guard !usage.isDestroyed else { return false }
            usage.borrowers += 1
            return true
        }
        guard available else { throw .closed(operation: operation) }
        defer { usage.withLock { $0.borrowers -= 1 } }
        return try body(handle)
    }

    /// Destroys the handle once every current borrower is done; later borrowers get `.closed`.
    /// Idempotent. Must not be called from inside `withHandle` or a librdkafka callback.
    func destroy() {
        let first = usage.withLock { usage in
            defer { usage.isDestroyed = true }
            return !usage.isDestroyed
        }
        guard first else { return }
        while usage.withLock({ $0.borrowers }) > 0 {
            usleep(1_000)
        }
        rd_kafka_destroy(handle)
        // Callbacks stop with rd_kafka_destroy, so the context is no longer reachable from C.
        context.release()
    }
}
