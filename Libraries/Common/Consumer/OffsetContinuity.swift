import Kafka
import Logging
import PipelineCore

/// A partition whose batch starts past the offset this member committed last.
struct OffsetGap: Sendable, Equatable {
    var partition: KafkaTopicPartition
    var committed: Int64
    var first: Int64
}

/// Checks that each batch continues where the member's commits end, so that a batch is never committed
/// over messages nobody processed. The commit script's fence only refuses a batch that starts *before*
/// the stored offset (another member moved on); a batch that starts *after* it would commit a gap.
/// A read position can jump ahead of the commits when messages already taken out of librdkafka are
/// dropped (an error in the middle of a poll) or the client moves a position itself.
///
/// Real logs have offsets without messages (transaction markers, compaction, retention). So a gap is
/// reported once; when reading again from the committed offset starts at the same offset as before,
/// the messages in between do not exist, and the batch is accepted.
struct OffsetContinuity {
    /// Gaps reported and read again, by partition: the offset the batch started at.
    private var reread: [KafkaTopicPartition: Int64] = [:]
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// The gaps of a batch with `progress`, given the committed offsets of the partitions this member
    /// owns; nil when the batch may be processed. A partition without a known committed offset (never
    /// committed: it starts where `auto.offset.reset` says) has no gap.
    mutating func gaps(in progress: [PartitionProgress], committed: [KafkaTopicPartition: Int64]) -> [OffsetGap]? {
        var gaps: [OffsetGap] = []
        for part in progress {
            let partition = KafkaTopicPartition(topic: part.topic, partition: part.partition)
            guard let offset = committed[partition], part.firstOffset > offset else {
                reread[partition] = nil
                continue
            }
            if reread[partition] == part.firstOffset {
                reread[partition] = nil
                logger.notice("offsets missing from the log (transaction markers, compaction or retention); continuing", metadata: [
                    "partition": "\(partition.topic)/\(partition.partition)", "missing": "\(offset)..<\(part.firstOffset)",
                ])
                continue
            }
            reread[partition] = part.firstOffset
            gaps.append(OffsetGap(partition: partition, committed: offset, first: part.firstOffset))
        }
        return gaps.isEmpty ? nil : gaps
    }
}
