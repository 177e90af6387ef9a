/// How a `KafkaAdmin` connects to the cluster.
public struct KafkaAdminConfiguration: Sendable {
    /// Comma-separated `host:port` list of brokers to bootstrap from.
    public var bootstrapServers: String
    /// Further librdkafka properties (e.g. security settings), applied last.
    public var extra: [String: String] = [:]

    public init(bootstrapServers: String) {
        self.bootstrapServers = bootstrapServers
    }

    /// The librdkafka properties, in the order they are set.
    var properties: [(name: String, value: String)] {
        [
            ("bootstrap.servers", bootstrapServers),
            // Asking for a topic's metadata must not create it on brokers that auto-create topics.
            ("allow.auto.create.topics", "false"),
        ] + extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
