import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// The four services, built by `swift build`, running against a private local stack.
final class PipelineUnderTest: @unchecked Sendable {
    static let services = ["log-ingest", "enricher", "sink-es", "query-api"]

    let stack: LocalStack
    private(set) var processes: [String: ManagedProcess] = [:]
    private let ports: [String: Int]

    /// Starts the stack and the services; `waitForReady` lists the services to wait for (default all).
    static func start(environment: [String: [String: String]] = [:],
                      waitForReady: [String] = services) async throws -> PipelineUnderTest {
        let stack = try await LocalStack.start()
        var ports: [String: Int] = [:]
        for name in services { ports[name] = try Network.freePort() }
        let pipeline = PipelineUnderTest(stack: stack, ports: ports)
        for name in services { try pipeline.launch(name, extra: environment[name] ?? [:]) }
        for name in waitForReady { try await pipeline.waitUntilReady(name) }
        return pipeline
    }

    private init(stack: LocalStack, ports: [String: Int]) {
        self.stack = stack
        self.ports = ports
    }

    func url(_ service: String) -> String { "http://127.0.0.1:\(ports[service]!)" }

    private func launch(_ name: String, extra: [String: String] = [:]) throws {
        processes[name] = try ManagedProcess(
            name: name, executable: try Tools.builtProduct(name), arguments: [],
            environment: [
                "HTTP_ADDR": "127.0.0.1:\(ports[name]!)",
                "KAFKA_BROKERS": stack.kafkaBootstrapServers,
                "REDIS_ADDR": "127.0.0.1:\(stack.redisPort)",
                "ELASTICSEARCH_URL": stack.elasticsearchURL,
                "LOG_LEVEL": "info",
                "KAFKA_MESSAGE_TIMEOUT": "5s",
                // Static membership: a restarted consumer takes its partitions back at once.
                "KAFKA_GROUP_INSTANCE_ID": "\(name)-0",
            ].merging(extra) { _, new in new },
            logDirectory: stack.directory)
    }

    func waitUntilReady(_ name: String, timeout: Duration = .seconds(60)) async throws {
        guard let process = processes[name] else { throw PipelineError("\(name) was not launched") }
        try await HTTP.waitUntilReady(url(name), process: process, timeout: timeout)
    }

    /// Kills `name` with SIGKILL (no cleanup, as in a crash) and starts it again with `extra` environment.
    func crashAndRestart(_ name: String, extra: [String: String] = [:]) async throws {
        await processes[name]?.crash()
        try launch(name, extra: extra)
        try await waitUntilReady(name)
    }

    /// The readiness answer of `name`: status and body.
    func readiness(_ name: String) async throws -> (Int, String) {
        let (status, body) = try await HTTP.get("\(url(name))/readyz")
        return (status, String(decoding: body, as: UTF8.self))
    }

    func logs() -> String {
        processes.sorted { $0.key < $1.key }.map { "--- \($0.key)\n\($0.value.logTail(bytes: 3000))" }.joined(separator: "\n")
    }

    func stop() async {
        for process in processes.values { await process.terminate() }
        await stack.stop()
    }
}

struct PipelineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
