import Foundation
import TestSupport

/// The cdc service against a private MariaDB (with `schema` applied), Redis and Kafka stand-in, streaming
/// database `shop`; tests launch, crash and relaunch the process. `stop()` stops everything.
class CDCUnderTest: @unchecked Sendable {
    let server: MariaDBServer
    let stack: LocalStack
    let port: Int
    private let environment: [String: String]
    private let lock = NSLock()
    private var current: ManagedProcess?

    /// `environment` adds to or overrides the service's variables.
    init(serverID: Int, schema: String, environment extra: [String: String] = [:]) async throws {
        server = try await MariaDBServer.start(serverID: serverID)
        do {
            stack = try await LocalStack.start()
        } catch {
            await server.stop()
            throw error
        }
        do {
            port = try Network.freePort()
            try await server.sql("CREATE DATABASE shop")
            try await server.sql(schema, database: "shop")
        } catch {
            await stack.stop()
            await server.stop()
            throw error
        }
        environment = [
            "HTTP_ADDR": "127.0.0.1:\(port)", "KAFKA_BROKERS": stack.kafkaBootstrapServers,
            "REDIS_ADDR": "127.0.0.1:\(stack.redisPort)", "CDC_MYSQL_ADDR": "\(server.host):\(server.port)",
            "CDC_MYSQL_USER": server.user, "CDC_INCLUDE": "shop", "KAFKA_MESSAGE_TIMEOUT": "5s", "LOG_LEVEL": "info",
        ].merging(extra) { _, new in new }
    }

    /// The process last launched.
    var cdc: ManagedProcess? { lock.withLock { current } }
    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts cdc (every start appends to the same `cdc.log`) and waits until it is ready.
    func launch() async throws {
        let process = try ManagedProcess(name: "cdc", executable: try Tools.builtProduct("cdc"), arguments: [],
                                         environment: environment, logDirectory: stack.directory)
        lock.withLock { current = process }
        try await HTTP.waitUntilReady(url, process: process)
    }

    func stop() async {
        await cdc?.terminate()
        await stack.stop()
        await server.stop()
    }
}
