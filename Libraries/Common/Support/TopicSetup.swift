import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// Creates the service's topics at start with the configured partition count (auto-created topics
/// get one partition), waiting for Kafka if it is not up yet; then marks Kafka ready and idles. Topics
/// that exist are left as they are and need no `Create` permission (an operator may own them).
public struct TopicSetup: Service {
    let admin: KafkaAdmin
    let topics: [String]
    let settings: KafkaSettings
    let readiness: Readiness
    let logger: Logger
    /// One creation per process, however many consumers wait for it.
    private let creation = CreationSlot()

    private final class CreationSlot: Sendable {
        let task = Mutex<Task<Void, any Error>?>(nil)
    }

    public init(admin: KafkaAdmin, topics: [String], settings: KafkaSettings, readiness: Readiness, logger: Logger) {
        self.admin = admin
        self.topics = topics
        self.settings = settings
        self.readiness = readiness
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await ensureTopics()
        } catch is CancellationError {
            return  // shut down while waiting for Kafka
        }
        try? await gracefulShutdown()
    }

    /// Creates the topics (existing ones are left as they are), retrying until Kafka answers; concurrent
    /// callers share one creation. Throws `CancellationError` when the service stops first.
    public func ensureTopics() async throws {
        let task = creation.task.withLock { creation in
            if let creation { return creation }
            let (admin, topics, settings, readiness, logger) = (admin, topics, settings, readiness, logger)
            let task = Task {
                let created = try await waitForDependency("kafka", readiness: readiness, logger: logger,
                                                          what: "create topics \(topics)") {
                    try await admin.ensureTopics(topics, partitions: settings.partitions,
                                                 replicationFactor: settings.replicationFactor, timeout: .seconds(10))
                }
                logger.info("topics ready", metadata: [
                    "topics": "\(topics)", "created": "\(created)", "partitions": "\(settings.partitions)",
                ])
            }
            creation = task
            return task
        }
        // The shared task is unstructured: it sees no graceful shutdown of its own. A shutdown of this caller
        // cancels it, so that it makes no new attempt (one in flight runs to its own timeout).
        try await cancelWhenGracefulShutdown {
            try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
        }
    }
}
