import Kafka
import PipelineCore

/// The work done on one batch of a consumer group: write the batch's outputs durably and return the
/// state changes to commit with its offsets. Throwing makes the consumer retry the same batch after
/// a backoff, so everything written must be idempotent (same input, same ids, same content).
public protocol BatchProcessor: Sendable {
    func process(_ batch: [KafkaConsumerMessage]) async throws -> [StateChange]

    /// Periodic work on the partitions this consumer owns, each given at its committed offset (first =
    /// next), such as re-checking held joins; called about every `Options.idleInterval`, between batches.
    /// The state changes returned are committed with those offsets, fenced like a batch's: if another
    /// consumer has taken a partition over and moved on, nothing is written. Default: nothing to do.
    func idle(owned: [PartitionProgress]) async throws -> [StateChange]
}

extension BatchProcessor {
    public func idle(owned: [PartitionProgress]) async throws -> [StateChange] { [] }
}
