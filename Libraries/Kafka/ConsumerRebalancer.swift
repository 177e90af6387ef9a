import CRdKafka
import Logging
import Synchronization

/// Serves the consumer group's rebalances inside librdkafka's rebalance callback (on the consumer's
/// poll thread): asks the application where newly assigned partitions start, tells it which partitions
/// it loses, applies both to librdkafka and remembers the assignment.
final class ConsumerRebalancer: Sendable {
    typealias StartingOffsets = @Sendable ([KafkaTopicPartition]) -> [KafkaTopicPartition: Int64]
    typealias Revoked = @Sendable ([KafkaTopicPartition]) -> Void

    private struct State {
        var assignment: Set<KafkaTopicPartition> = []
        /// Partitions revoked since `takeRevoked()` was last called.
        var revoked: Set<KafkaTopicPartition> = []
    }

    private let state = Mutex(State())
    private let startingOffsets: StartingOffsets
    private let revoked: Revoked
    private let logger: Logger

    init(logger: Logger, startingOffsets: @escaping StartingOffsets, revoked: @escaping Revoked) {
        self.logger = logger
        self.startingOffsets = startingOffsets
        self.revoked = revoked
    }

    var assignment: Set<KafkaTopicPartition> { state.withLock { $0.assignment } }

    /// The partitions revoked since the last call, so that messages already read from them are dropped.
    func takeRevoked() -> Set<KafkaTopicPartition> {
        state.withLock { state in
            defer { state.revoked.removeAll() }
            return state.revoked
        }
    }

    /// Handles one rebalance event of librdkafka's rebalance callback.
    func rebalance(handle: OpaquePointer, code: rd_kafka_resp_err_t,
                   list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let partitions = RDKafkaTopicPartitionList.partitions(of: list)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            assign(partitions, handle: handle, cooperative: cooperative)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            revoke(partitions, handle: handle, cooperative: cooperative)
        default:
            logger.error("Kafka rebalance failed; giving up the whole assignment", metadata: [
                "error": "\(RDKafkaErrorCode.name(code.rawValue))",
            ])
            revoke(Array(assignment), handle: handle, cooperative: false)
        }
    }

    private func assign(_ partitions: [KafkaTopicPartition], handle: OpaquePointer, cooperative: Bool) {
        let offsets = startingOffsets(partitions)
        let list = RDKafkaTopicPartitionList(partitions.map { ($0, offset: offsets[$0] ?? Int64(RD_KAFKA_OFFSET_INVALID)) })
        let failure: String?
        if cooperative {
            failure = Self.consume(rd_kafka_incremental_assign(handle, list.pointer))
        } else {
            let code = rd_kafka_assign(handle, list.pointer)
            failure = code == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RDKafkaErrorCode.message(code.rawValue)
        }
        if let failure {
            logger.error("Kafka could not apply the partition assignment", metadata: [
                "partitions": "\(partitions)", "error": "\(failure)",
            ])
            return
        }
        state.withLock { state in
            if !cooperative { state.assignment.removeAll() }
            state.assignment.formUnion(partitions)
        }
        logger.info("Kafka partitions assigned", metadata: [
            "partitions": "\(partitions.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) })",
            "startingOffsets": "\(offsets.map { "\($0.key)=\($0.value)" }.sorted())",
        ])
    }

    private func revoke(_ partitions: [KafkaTopicPartition], handle: OpaquePointer, cooperative: Bool) {
        // Eager rebalancing takes everything away, whatever the list says.
        let lost: Set<KafkaTopicPartition> = state.withLock { state in
            let lost = cooperative ? Set(partitions) : state.assignment.union(partitions)
            state.assignment.subtract(lost)
            state.revoked.formUnion(lost)
            return lost
        }
        revoked(Array(lost))
        if cooperative {
            let list = RDKafkaTopicPartitionList(partitions.map { ($0, offset: Int64(RD_KAFKA_OFFSET_INVALID)) })
            if let failure = Self.consume(rd_kafka_incremental_unassign(handle, list.pointer)) {
                logger.error("Kafka could not give up partitions", metadata: ["error": "\(failure)"])
            }
        } else {
            _ = rd_kafka_assign(handle, nil)
        }
        logger.info("Kafka partitions revoked", metadata: ["partitions": "\(lost.count)"])
    }

    /// The message of an `rd_kafka_error_t` (destroying it), or nil for success.
    private static func consume(_ error: OpaquePointer?) -> String? {
        guard let error else { return nil }
        defer { rd_kafka_error_destroy(error) }
        return String(cString: rd_kafka_error_string(error))
    }
}
