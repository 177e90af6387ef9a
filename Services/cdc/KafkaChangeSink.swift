import BinlogReplication
import Common
import Kafka
import Logging

/// Sends change messages to the topic, each to the partition Maxwell would choose for it, and
/// returns once Kafka acknowledged all of them; while Kafka is
/// unreachable it retries the same messages with backoff (the idempotent producer and the stored position
/// make a repeat harmless), so nothing is skipped.
struct KafkaChangeSink: ChangeSink {
    let producer: KafkaProducer
    let topic: String
    /// The topic's partition count, for Maxwell's `abs(hashCode % partitions)`.
    let partitions: Int32
    let readiness: Readiness
    let logger: Logger

    func deliver(_ messages: [ChangeMessage]) async throws {
        let records = messages.map {
            KafkaProducerMessage(topic: topic, key: $0.key, value: $0.value,
                                 partition: MaxwellPartitioner.partition(forKey: $0.partitionKey, partitions: partitions))
        }
        _ = try await waitForDependency("kafka", readiness: readiness, logger: logger, what: "deliver \(records.count) changes") {
            try await producer.send(records)
        }
    }
}
