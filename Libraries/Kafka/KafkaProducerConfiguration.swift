/// How a `KafkaProducer` connects and when it considers a record delivered; defaults suit an
/// exactly-once pipeline (every in-sync replica acknowledges, idempotent retries).
public struct KafkaProducerConfiguration: Sendable {
    /// Comma-separated `host:port` list of brokers to bootstrap from.
    public var bootstrapServers: String
    /// Acknowledgements the leader waits for; `.all` (the default) waits for every in-sync replica.
    public var acks: Acks = .all
    /// Idempotent producer (default true): retries never duplicate or reorder records within a partition.
    public var idempotent: Bool = true
    /// How long a record may wait for its acknowledgement, retries included, before its delivery fails
    /// (`message.timeout.ms`, default 30 s). At least 1 ms.
    public var messageTimeout: Duration = .seconds(30)
    /// How long records wait to be batched before a request is sent (`linger.ms`, default 5 ms).
    public var linger: Duration = .milliseconds(5)
    /// Most records waiting in the local queue (`queue.buffering.max.messages`, default 100 000);
    /// beyond it `send` throws `KafkaError.queueFull`.
    public var queueBufferingMaxMessages: Int = 100_000
    /// Further librdkafka properties, applied last so they override everything above.
    public var extra: [String: String] = [:]

    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    /// The acknowledgement levels of `acks`.
    public enum Acks: String, Sendable {
        case none = "0"
        case leader = "1"
        case all = "all"
    }

    /// The librdkafka properties, in the order they are set.
    var properties: [(name: String, value: String)] {
        [
            ("bootstrap.servers", bootstrapServers),
            ("acks", acks.rawValue),
            ("enable.idempotence", idempotent ? "true" : "false"),
            ("message.timeout.ms", String(messageTimeout.wholeMilliseconds)),
            ("linger.ms", String(linger.wholeMilliseconds)),
            ("queue.buffering.max.messages", String(queueBufferingMaxMessages)),
            // Keys map to partitions as with the Java client, so that other clients co-partition alike.
            ("partitioner", "murmur2_random"),
        ] + extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Checks what librdkafka would accept but that makes no sense here.
    func validate() throws(KafkaError) {
        guard messageTimeout.wholeMilliseconds > 0 else {
            throw .configuration(property: "message.timeout.ms", message: "must be positive (0 would wait forever)")
        }
    }
}
