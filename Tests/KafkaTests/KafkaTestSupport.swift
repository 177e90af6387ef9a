import Kafka
import Logging

/// Shared helpers of the Kafka tests.
enum KafkaTestSupport {
    /// A logger printing librdkafka's warnings and errors to stderr, so failures come with context.
    static let logger: Logger = {
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Polls until `count` messages arrived or `deadline` passed; returns what arrived.
    static func consume(_ consumer: KafkaConsumer, count: Int, within deadline: Duration = .seconds(30))
        async throws -> [KafkaConsumerMessage] {
        let end = ContinuousClock.now + deadline
        var messages: [KafkaConsumerMessage] = []
        while messages.count < count, ContinuousClock.now < end {
            messages += try await consumer.poll(maxMessages: count - messages.count, timeout: .milliseconds(500))
        }
        return messages
    }

    /// The partition the Java client's default partitioner picks for `key` (murmur2, positive, modulo).
    static func javaPartition(of key: [UInt8], partitions: Int32) -> Int32 {
        Int32(bitPattern: murmur2(key) & 0x7fff_ffff) % partitions
    }

    /// Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), written out independently of librdkafka.
    static func murmur2(_ data: [UInt8]) -> UInt32 {
        let seed: UInt32 = 0x9747_b28c
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        var h = seed ^ UInt32(data.count)
        let blocks = data.count / 4
        for i in 0..<blocks {
            var k = UInt32(data[i * 4]) | UInt32(data[i * 4 + 1]) << 8 | UInt32(data[i * 4 + 2]) << 16
                | UInt32(data[i * 4 + 3]) << 24
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
        }
        let tail = blocks * 4
        switch data.count % 4 {
        case 3:
            h ^= UInt32(data[tail + 2]) << 16
            fallthrough
        case 2:
            h ^= UInt32(data[tail + 1]) << 8
            fallthrough
        case 1:
            h ^= UInt32(data[tail])
            h = h &* m
        default:
            break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return h
    }
}
