/// How a `KafkaConsumer` joins its group. Offsets are never committed to Kafka: the application keeps
/// them (auto commit and auto offset store are off) and says where to start in `startingOffsets`.
public struct KafkaConsumerConfiguration: Sendable {
    /// Comma-separated `host:port` list of brokers to bootstrap from.
    public var bootstrapServers: String
    /// The consumer group; its members share the subscribed topics' partitions.
    public var groupID: String
    /// Where a partition starts when the application knows no offset for it (default `.earliest`).
    public var autoOffsetReset: AutoOffsetReset = .earliest
    /// How long the group waits for a silent member before rebalancing its partitions away
    /// (`session.timeout.ms`, default 45 s).
    public var sessionTimeout: Duration = .seconds(45)
    /// Longest time between two `poll` calls before the member is considered stuck and leaves the
    /// group (`max.poll.interval.ms`, default 5 min).
    public var maxPollInterval: Duration = .seconds(300)
    /// Largest fetch response accepted (`receive.message.max.bytes`, default 1 GB): high, because
    /// the local Kafka stand-in ignores `fetch.max.bytes`; this bounds a buffer, it allocates nothing.
    public var receiveMessageMaxBytes: Int = 1_000_000_000
    /// How partitions are spread over members; the default `range,roundrobin` is eager (every
    /// rebalance revokes everything, then assigns). `cooperative-sticky` works too.
    public var partitionAssignmentStrategy: String = "range,roundrobin"
    /// Further librdkafka properties, applied last so they override everything above.
    public var extra: [String: String] = [:]

    public init(bootstrapServers: String, groupID: String) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
    }

    /// The values of `auto.offset.reset`.
    public enum AutoOffsetReset: String, Sendable {
        case earliest
        case latest
    }

    /// The librdkafka properties, in the order they are set.
    var properties: [(name: String, value: String)] {
        [
            ("bootstrap.servers", bootstrapServers),
            ("group.id", groupID),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("enable.partition.eof", "false"),
            ("auto.offset.reset", autoOffsetReset.rawValue),
            ("session.timeout.ms", String(sessionTimeout.wholeMilliseconds)),
            ("max.poll.interval.ms", String(maxPollInterval.wholeMilliseconds)),
            ("receive.message.max.bytes", String(receiveMessageMaxBytes)),
            ("partition.assignment.strategy", partitionAssignmentStrategy),
        ] + extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
