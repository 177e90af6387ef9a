import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// The services, built by `swift build`, running against a private local stack; with `shopDatabase`, also
/// a private MariaDB holding the shop's schema (`scripts/shop-schema.sql`) that `cdc` streams.
final class PipelineUnderTest: @unchecked Sendable {
    static let services = ["log-ingest", "enricher", "sink-es", "query-api"]
    /// What the business stream needs: the shop's changes through cdc, joined by the enricher, indexed by sink-es, answered by query-api.
    static let businessServices = ["cdc", "enricher", "sink-es", "query-api"]

    let stack: LocalStack
    /// The shop's database, when started with one.
    let database: MariaDBServer?
    private(set) var processes: [String: ManagedProcess] = [:]
    private let ports: [String: Int]
    /// The write key log-ingest accepts (as `source` "test") and the token query-api accepts.
    let writeKey = Credentials.randomSecret()
    let queryToken = Credentials.randomSecret()

    /// Starts the stack and `services`; `waitForReady` lists the services to wait for (default all). With
    /// `shopDatabase`, the schema is created before cdc starts and the reference data
    /// (`scripts/shop-seed.sql`) loaded once it is ready, so that cdc streams them like any other rows.
    static func start(services: [String] = services, shopDatabase: Bool = false,
                      environment: [String: [String: String]] = [:],
                      waitForReady: [String]? = nil) async throws -> PipelineUnderTest {
        let database = shopDatabase ? try await MariaDBServer.start() : nil
        let stack: LocalStack
        do {
            stack = try await LocalStack.start()
        } catch {
            await database?.stop()
            throw error
        }
        var ports: [String: Int] = [:]
        for name in services { ports[name] = try Network.freePort() }
        let pipeline = PipelineUnderTest(stack: stack, database: database, ports: ports)
        do {
            try Credentials.write(["test": pipeline.writeKey], to: pipeline.writeKeysFile)
            try Credentials.write(["test": pipeline.queryToken], to: pipeline.queryTokensFile)
            try await database?.sql(try String(contentsOf: Tools.repositoryRoot.appendingPathComponent("scripts/shop-schema.sql"), encoding: .utf8))
            for name in services { try pipeline.launch(name, extra: environment[name] ?? [:]) }
            for name in waitForReady ?? services { try await pipeline.waitUntilReady(name) }
            try await database?.sql(try String(contentsOf: Tools.repositoryRoot.appendingPathComponent("scripts/shop-seed.sql"), encoding: .utf8))
        } catch {
            await pipeline.stop()
            throw error
        }
        return pipeline
    }

    private init(stack: LocalStack, database: MariaDBServer?, ports: [String: Int]) {
        self.stack = stack
        self.database = database
        self.ports = ports
    }

    func url(_ service: String) -> String { "http://127.0.0.1:\(ports[service]!)" }

    var writeKeysFile: URL { stack.directory.appendingPathComponent("ingest-write-keys") }
    var queryTokensFile: URL { stack.directory.appendingPathComponent("query-api-tokens") }

    /// POSTs `body` to log-ingest's `/v1/events` with the write key.
    func ingest(_ body: Data, contentType: String = "application/json", headers: [String: String] = [:]) async throws -> (Int, Data) {
        try await HTTP.send("POST", "\(url("log-ingest"))/v1/events", body: body, headers: [
            "Content-Type": contentType, "Authorization": "Bearer \(writeKey)",
        ].merging(headers) { _, new in new })
    }

    /// GETs `path` (with its query) from query-api with the token.
    func query(_ path: String) async throws -> (Int, Data) {
        try await HTTP.get("\(url("query-api"))\(path)", headers: ["Authorization": "Bearer \(queryToken)"])
    }

    private func launch(_ name: String, extra: [String: String] = [:]) throws {
        var extra = extra
        if name == "cdc", let database {
            extra = ["CDC_MYSQL_ADDR": "\(database.host):\(database.port)", "CDC_MYSQL_USER": database.user,
                     "CDC_INCLUDE": "gmall"].merging(extra) { _, new in new }
        }
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
                "INGEST_WRITE_KEYS_FILE": writeKeysFile.path,
                "QUERY_API_TOKENS_FILE": queryTokensFile.path,
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

    /// Each service's whole log so far.
    func fullLogs() -> [(String, String)] {
        processes.sorted { $0.key < $1.key }.map { ($0.key, $0.value.logTail(bytes: 1 << 24)) }
    }

    func logs() -> String {
        processes.sorted { $0.key < $1.key }.map { "--- \($0.key)\n\($0.value.logTail(bytes: 3000))" }.joined(separator: "\n")
    }

    /// The value of the Prometheus sample `name` (with its labels, e.g. `x_total{topic="a"}`) on `service`.
    func metric(_ service: String, _ name: String) async throws -> Double? {
        let (_, body) = try await HTTP.get("\(url(service))/metrics")
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    func stop() async {
        for process in processes.values { await process.terminate() }
        await stack.stop()
        await database?.stop()
    }
}

struct PipelineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
