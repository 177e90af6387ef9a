import CRdKafka

/// Everything the Kafka client throws, with enough context to log and to decide whether to retry.
public enum KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// librdkafka rejected a configuration `property` (unknown name or invalid value).
    case configuration(property: String, message: String)
    /// librdkafka refused to create the client, usually because properties contradict each other.
    case clientCreation(message: String)
    /// librdkafka's local queue (`queue.buffering.max.messages`) was full while enqueueing for `topic`.
    case queueFull(topic: String)
    /// The broker did not acknowledge a message for `topic`; `code` is librdkafka's error code.
    case deliveryFailed(topic: String, code: Int32, message: String)
    /// `operation` got no answer within `timeout`.
    case timedOut(operation: String, timeout: Duration)
    /// No broker could be reached for `operation`.
    case brokerUnavailable(operation: String, message: String)
    /// The cluster does not know `topic`.
    case unknownTopic(String)
    /// Any other failure of `operation`; `code` is librdkafka's error code.
    case operationFailed(operation: String, code: Int32, message: String)
    /// The client was shut down or closed before or during `operation`.
    case closed(operation: String)

    /// True if the same operation may succeed when tried again later (broker down, timeouts, full
    /// queues, leader elections), false for mistakes that a retry repeats (configuration, unknown topic).
    public var isRetriable: Bool {
        switch self {
        case .configuration, .clientCreation, .unknownTopic, .closed: return false
        case .queueFull, .timedOut, .brokerUnavailable: return true
        case .deliveryFailed(_, let code, _), .operationFailed(_, let code, _):
            return RDKafkaErrorCode.isRetriable(code)
        }
    }

    public var description: String {
        switch self {
        case .configuration(let property, let message):
            return "Kafka configuration property '\(property)' rejected: \(message)"
        case .clientCreation(let message):
            return "Kafka client could not be created: \(message)"
        case .queueFull(let topic):
            return "Kafka producer queue is full while sending to '\(topic)'; wait for deliveries or raise queue.buffering.max.messages"
        case .deliveryFailed(let topic, let code, let message):
            return "Kafka delivery to '\(topic)' failed: \(message) (\(RDKafkaErrorCode.name(code)))"
        case .timedOut(let operation, let timeout):
            return "Kafka \(operation) timed out after \(timeout)"
        case .brokerUnavailable(let operation, let message):
            return "Kafka \(operation) failed, no broker reachable: \(message)"
        case .unknownTopic(let topic):
            return "Kafka topic '\(topic)' does not exist"
        case .operationFailed(let operation, let code, let message):
            return "Kafka \(operation) failed: \(message) (\(RDKafkaErrorCode.name(code)))"
        case .closed(let operation):
            return "Kafka \(operation) impossible: the client is shut down"
        }
    }

    /// The error for librdkafka's `code` returned by `operation` (which waited at most `timeout`, if given).
    static func from(_ code: rd_kafka_resp_err_t, operation: String, timeout: Duration? = nil) -> KafkaError {
        switch code {
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
            return .timedOut(operation: operation, timeout: timeout ?? .zero)
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE:
            return .brokerUnavailable(operation: operation, message: RDKafkaErrorCode.message(code.rawValue))
        default:
            return .operationFailed(operation: operation, code: code.rawValue,
                                    message: RDKafkaErrorCode.message(code.rawValue))
        }
    }
}
