import CRdKafka

/// An owned `rd_kafka_topic_partition_list_t`, destroyed with this object.
final class RDKafkaTopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// A list of `partitions`, each with its `offset` (librdkafka's special offsets allowed).
    init(_ partitions: [(KafkaTopicPartition, offset: Int64)]) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: partitions.count))
        for (topicPartition, offset) in partitions {
            let element = rd_kafka_topic_partition_list_add(pointer, topicPartition.topic, topicPartition.partition)
            element?.pointee.offset = offset
        }
    }

    /// A subscription list: each topic with no particular partition.
    init(topics: [String]) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: topics.count))
        for topic in topics {
            rd_kafka_topic_partition_list_add(pointer, topic, RD_KAFKA_PARTITION_UA)
        }
    }

    deinit {
        rd_kafka_topic_partition_list_destroy(pointer)
    }

    var elements: UnsafeMutableBufferPointer<rd_kafka_topic_partition_t> {
        Self.elements(of: pointer)
    }

    static func elements(
        of list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) -> UnsafeMutableBufferPointer<rd_kafka_topic_partition_t> {
        UnsafeMutableBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt))
    }

    /// The topic-partitions in a list librdkafka owns.
    static func partitions(of list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [KafkaTopicPartition] {
        elements(of: list).map { KafkaTopicPartition(topic: String(cString: $0.topic), partition: $0.partition) }
    }
}
