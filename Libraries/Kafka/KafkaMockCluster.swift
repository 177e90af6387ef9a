import CRdKafka
import Logging

/// librdkafka's in-process mock Kafka cluster, for tests that need brokers but no server. It lives as
/// long as this object; point clients at `bootstrapServers`.
public final class KafkaMockCluster: Sendable {
    /// Where clients reach the mock brokers, e.g. "127.0.0.1:40123".
    public let bootstrapServers: String
    nonisolated(unsafe) private let cluster: OpaquePointer
    private let client: RDKafkaClient

    /// Starts `brokers` mock brokers on free local ports.
    public init(brokers: Int32 = 1, logger: Logger = Logger(label: "kafka-mock-cluster")) throws(KafkaError) {
        let client = try RDKafkaClient.make(kind: .producer, properties: [], context: RDKafkaClientContext(logger: logger))
        let cluster = try client.withHandle("create mock cluster") { handle throws(KafkaError) in
            guard let cluster = rd_kafka_mock_cluster_new(handle, brokers) else {
                throw .clientCreation(message: "librdkafka could not start a mock cluster")
            }
            return cluster
        }
        self.client = client
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// Creates `topic` with `partitions` partitions (the mock also creates unknown topics on first use).
    public func createTopic(_ topic: String, partitions: Int32) throws(KafkaError) {
        let code = rd_kafka_mock_topic_create(cluster, topic, partitions, 1)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw .from(code, operation: "create mock topic '\(topic)'") }
    }
}
