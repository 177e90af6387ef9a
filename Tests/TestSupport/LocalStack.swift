import Foundation

/// The real servers the pipeline talks to, started for tests on free ports with data in a temporary
/// folder: Redis (Debian's redis-server) and the Kafka + Elasticsearch stand-in (noida-db).
public final class LocalStack: Sendable {
    public let redisHost = "127.0.0.1"
    public let redisPort: Int
    public let kafkaPort: Int
    public let elasticsearchPort: Int
    /// The folder holding the servers' data and logs; removed by `stop()`.
    public let directory: URL
    private let redis: ManagedProcess
    private let noida: ManagedProcess

    public var kafkaBootstrapServers: String { "127.0.0.1:\(kafkaPort)" }
    public var elasticsearchURL: String { "http://127.0.0.1:\(elasticsearchPort)" }

    /// One stack for the whole test process, started on first use and stopped when the process exits.
    public static func shared() async throws -> LocalStack {
        try await SharedStack.instance.get()
    }

    /// A private stack, for tests that must not share topics or state with others; call `stop()` after.
    public static func start() async throws -> LocalStack {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gmall-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let redisPort = try Network.freePort()
        let kafkaPort = try Network.freePort()
        let elasticsearchPort = try Network.freePort()
        let redisData = directory.appendingPathComponent("redis")
        let noidaData = directory.appendingPathComponent("noida")
        try FileManager.default.createDirectory(at: redisData, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: noidaData, withIntermediateDirectories: true)

        let redis = try ManagedProcess(
            name: "redis", executable: try Tools.path(of: "redis-server"),
            arguments: ["--port", "\(redisPort)", "--bind", "127.0.0.1", "--dir", redisData.path,
                        "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
            logDirectory: directory)
        let noida = try ManagedProcess(
            name: "noida-db", executable: try Tools.noidaDB(),
            arguments: ["start", "--data-dir", noidaData.path, "--only", "kafka,elasticsearch",
                        "--kafka-port", "\(kafkaPort)", "--elasticsearch-port", "\(elasticsearchPort)"],
            logDirectory: directory)
        let stack = LocalStack(redisPort: redisPort, kafkaPort: kafkaPort, elasticsearchPort: elasticsearchPort,
                               directory: directory, redis: redis, noida: noida)
        do {
            try await Network.waitUntilListening(port: redisPort, what: "redis-server")
            try await Network.waitUntilListening(port: kafkaPort, what: "noida-db (Kafka)")
            try await Network.waitUntilListening(port: elasticsearchPort, what: "noida-db (Elasticsearch)")
        } catch {
            await stack.stop()
            throw error
        }
        return stack
    }

    private init(redisPort: Int, kafkaPort: Int, elasticsearchPort: Int, directory: URL,
                 redis: ManagedProcess, noida: ManagedProcess) {
        self.redisPort = redisPort
        self.kafkaPort = kafkaPort
        self.elasticsearchPort = elasticsearchPort
        self.directory = directory
        self.redis = redis
        self.noida = noida
    }

    /// Stops both servers and removes their data.
    public func stop() async {
        resumeNoida()
        resumeRedis()
        await redis.terminate()
        await noida.terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops the Kafka/Elasticsearch stand-in with SIGKILL, as a crash would.
    public func crashNoida() async { await noida.crash() }

    /// Freezes the Kafka/Elasticsearch stand-in (SIGSTOP): it stops answering but keeps its connections
    /// and loses nothing, as an unreachable broker. `resumeNoida()` undoes it; `stop()` does too.
    public func pauseNoida() { kill(noida.pid, SIGSTOP) }

    public func resumeNoida() { kill(noida.pid, SIGCONT) }

    /// Freezes Redis (SIGSTOP): commands time out as with an unreachable server, nothing is lost.
    /// `resumeRedis()` undoes it; `stop()` does too.
    public func pauseRedis() { kill(redis.pid, SIGSTOP) }

    public func resumeRedis() { kill(redis.pid, SIGCONT) }

    /// A name no other test uses, for topics, Redis keys and indices (lowercase, as index names must be).
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// Starts the shared stack once, even when many tests ask at the same moment.
private actor SharedStack {
    static let instance = SharedStack()
    private var task: Task<LocalStack, Error>?

    func get() async throws -> LocalStack {
        if let task { return try await task.value }
        let task = Task { try await LocalStack.start() }
        self.task = task
        return try await task.value
    }
}
