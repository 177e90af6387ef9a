import CRdKafka
import Logging

/// What librdkafka's C callbacks reach through the client's opaque pointer: the logger, and the handler
/// of the producer's delivery reports or of the consumer's rebalances.
final class RDKafkaClientContext: Sendable {
    typealias DeliveryHandler = @Sendable (UnsafePointer<rd_kafka_message_t>) -> Void
    typealias RebalanceHandler = @Sendable (
        OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) -> Void

    let logger: Logger
    let deliveryHandler: DeliveryHandler?
    let rebalanceHandler: RebalanceHandler?

    init(logger: Logger, deliveryHandler: DeliveryHandler? = nil, rebalanceHandler: RebalanceHandler? = nil) {
        self.logger = logger
        self.deliveryHandler = deliveryHandler
        self.rebalanceHandler = rebalanceHandler
    }

    /// The context registered on `handle` (valid until the client is destroyed).
    static func of(_ handle: OpaquePointer?) -> RDKafkaClientContext? {
        guard let handle, let opaque = rd_kafka_opaque(handle) else { return nil }
        return Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }

    /// Forwards one librdkafka log line (syslog `level`) to swift-log.
    func log(handle: OpaquePointer?, level: Int32, facility: UnsafePointer<CChar>?, message: UnsafePointer<CChar>?) {
        let swiftLevel: Logger.Level
        switch level {
        case ...2: swiftLevel = .critical
        case 3: swiftLevel = .error
        case 4: swiftLevel = .warning
        case 5: swiftLevel = .notice
        case 6: swiftLevel = .info
        default: swiftLevel = .debug
        }
        guard logger.logLevel <= swiftLevel else { return }
        let text = message.map { String(cString: $0) } ?? ""
        var metadata: Logger.Metadata = ["rdkafka.facility": "\(facility.map { String(cString: $0) } ?? "")"]
        if let handle { metadata["rdkafka.client"] = "\(String(cString: rd_kafka_name(handle)))" }
        logger.log(level: swiftLevel, "\(text)", metadata: metadata)
    }
}
