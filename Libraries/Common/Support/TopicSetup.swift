import Kafka
import Logging
import ServiceLifecycle

/// Creates the service's topics at start with the configured partition count (auto-created topics
/// get one partition), waiting for Kafka if it is not up yet; then marks Kafka ready and idles.
public struct TopicSetup: Service {
    let admin: KafkaAdmin
    let topics: [String]
    let settings: KafkaSettings
    let readiness: Readiness
    let logger: Logger

    public init(admin: KafkaAdmin, topics: [String], settings: KafkaSettings, readiness: Readiness, logger: Logger) {
        self.admin = admin
        self.topics = topics
        self.settings = settings
        self.readiness = readiness
        self.logger = logger
    }

    public func run() async throws {
        try await ensureTopics()
        try? await gracefulShutdown()
    }

    /// Creates the topics (existing ones are left as they are), retrying until Kafka answers.
    public func ensureTopics() async throws {
        try await waitForDependency("kafka", readiness: readiness, logger: logger, what: "create topics \(topics)") {
            try await admin.createTopics(topics, partitions: settings.partitions,
                                         replicationFactor: settings.replicationFactor, timeout: .seconds(10))
        }
        logger.info("topics ready", metadata: ["topics": "\(topics)", "partitions": "\(settings.partitions)"])
    }
}
