import Foundation

/// A second noida-db serving only the Elasticsearch API, which a test can stop and start again
/// (same port, same data) to play an Elasticsearch outage while Kafka stays up.
public final class StandaloneElasticsearch: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    private var process: ManagedProcess?

    public var url: String { "http://127.0.0.1:\(port)" }

    public static func start() async throws -> StandaloneElasticsearch {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gmall-test-es-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = StandaloneElasticsearch(port: try Network.freePort(), directory: directory)
        try await server.resume()
        return server
    }

    private init(port: Int, directory: URL) {
        self.port = port
        self.directory = directory
    }

    /// Starts the server (again), keeping its data.
    public func resume() async throws {
        process = try ManagedProcess(
            name: "noida-es", executable: try Tools.noidaDB(),
            arguments: ["start", "--data-dir", directory.appendingPathComponent("data").path, "--only", "elasticsearch",
                        "--elasticsearch-port", "\(port)"],
            logDirectory: directory)
        try await Network.waitUntilListening(port: port, what: "noida-db (Elasticsearch only)")
    }

    /// Stops the server with SIGTERM; it saves its data first.
    public func pause() async {
        await process?.terminate()
    }

    public func stop() async {
        await pause()
        try? FileManager.default.removeItem(at: directory)
    }
}
