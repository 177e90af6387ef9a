import Kafka

/// The work done on one batch of a consumer group: write the batch's outputs durably and return the
/// state changes to commit with its offsets. Throwing makes the consumer retry the same batch after
/// a backoff, so everything written must be idempotent (same input, same ids, same content).
public protocol BatchProcessor: Sendable {
    func process(_ batch: [KafkaConsumerMessage]) async throws -> [StateChange]
}
