import Kafka
import PipelineCore

extension OutputRecord {
    /// The Kafka message of this record: key = id, value = the document's JSON, `version` header when versioned.
    public var kafkaMessage: KafkaProducerMessage {
        var headers: [KafkaHeader] = []
        if let version {
            headers.append(KafkaHeader(key: OutputRecord.versionHeader, value: Array(String(version).utf8)))
        }
        return KafkaProducerMessage(topic: topic, key: Array(id.utf8), value: JSONCodec.serialize(document), headers: headers)
    }
}

/// A message that could not be processed, for a dead-letter topic: the original bytes and the reason.
public struct DeadLetter: Sendable {
    public var source: KafkaConsumerMessage
    public var reason: String

    public init(source: KafkaConsumerMessage, reason: String) {
        self.source = source
        self.reason = reason
    }

    /// The dead-letter message: same key and value, with headers naming the origin and the reason.
    public func kafkaMessage(topic: String) -> KafkaProducerMessage {
        KafkaProducerMessage(topic: topic, key: source.key, value: source.value, headers: source.headers + [
            KafkaHeader(key: "dlq.reason", value: Array(reason.utf8)),
            KafkaHeader(key: "dlq.source", value: Array("\(source.topic)/\(source.partition)@\(source.offset)".utf8)),
        ])
    }
}
