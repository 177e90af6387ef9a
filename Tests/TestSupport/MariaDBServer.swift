import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A private MariaDB server for tests: `mariadb-install-db` into a temporary folder, then `mariadbd` on a free
/// port with the binlog settings change data capture needs (ROW format, FULL image and metadata, GTIDs,
/// CRC32 checksums, utf8mb4). Stopped by `stop()`, and killed when the test process exits.
public final class MariaDBServer: Sendable {
    public let host = "127.0.0.1"
    public let port: Int
    /// The account tests connect with (`root`, no password, over TCP).
    public let user = "root"
    public let serverID: Int
    /// The server's data directory (binlogs are `binlog.NNNNNN` in it); removed by `stop()`.
    public let directory: URL
    private let arguments: [String]
    private let process: Mutex<ManagedProcess>

    /// One server for the whole test process, started on first use.
    public static func shared() async throws -> MariaDBServer {
        try await SharedMariaDB.instance.get()
    }

    /// Starts a new server; `extraArguments` are added to mariadbd's command line (they win over the defaults).
    public static func start(serverID: Int = 1, extraArguments: [String] = []) async throws -> MariaDBServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gmall-mariadb-\(UUID().uuidString.prefix(8))")
        let data = directory.appendingPathComponent("data")
        let temporary = directory.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        // A private tmpdir: temporary-table files are named by pid, and stale ones in /tmp break the install.
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("install.log")
        let status = try await runToCompletion(
            try Tools.path(of: "mariadb-install-db"),
            ["--no-defaults", "--datadir=\(data.path)", "--tmpdir=\(temporary.path)",
             "--auth-root-authentication-method=normal", "--skip-test-db"] + userArguments,
            log: log)
        guard status == 0 else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw TestSupportError.network("mariadb-install-db failed (\(status)): \(output.suffix(2000))")
        }
        let port = try Network.freePort()
        let arguments = [
            "--no-defaults", "--datadir=\(data.path)", "--tmpdir=\(temporary.path)", "--port=\(port)", "--bind-address=127.0.0.1",
            "--socket=\(directory.appendingPathComponent("mysqld.sock").path)",
            "--pid-file=\(directory.appendingPathComponent("mysqld.pid").path)",
            "--log-error=\(directory.appendingPathComponent("error.log").path)",
            "--log-bin=\(data.appendingPathComponent("binlog").path)", "--server-id=\(serverID)",
            "--binlog-format=ROW", "--binlog-row-image=FULL", "--binlog-row-metadata=FULL",
            "--binlog-checksum=CRC32", "--gtid-strict-mode=ON", "--log-slave-updates=ON",
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
            "--skip-name-resolve", "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=48M",
            "--max-connections=100", "--default-time-zone=+00:00",
        ] + userArguments + extraArguments
        let process = try ManagedProcess(name: "mariadbd", executable: try Tools.path(of: "mariadbd"),
                                         arguments: arguments, logDirectory: directory)
        let server = MariaDBServer(port: port, serverID: serverID, directory: directory, arguments: arguments,
                                   process: process)
        do {
            try await Network.waitUntilListening(port: port, what: "mariadbd", timeout: .seconds(60))
        } catch {
            let errors = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
            await server.stop()
            throw TestSupportError.timeout("\(error): \(errors.suffix(2000))")
        }
        return server
    }

    /// mariadbd refuses to run as root unless told to.
    private static var userArguments: [String] { getuid() == 0 ? ["--user=root"] : [] }

    private init(port: Int, serverID: Int, directory: URL, arguments: [String], process: ManagedProcess) {
        self.port = port
        self.serverID = serverID
        self.directory = directory
        self.arguments = arguments
        self.process = Mutex(process)
    }

    /// Runs SQL statements through the `mariadb` command-line client; returns its tab-separated output.
    @discardableResult
    public func sql(_ statements: String, database: String? = nil) async throws -> String {
        try await runBlocking { [self] in try blockingSQL(statements, database: database) }
    }

    /// `sql` for code on a thread of its own (never call it from a task: it waits for the client process).
    @discardableResult
    public func blockingSQL(_ statements: String, database: String? = nil) throws -> String {
        let client = Process()
        client.executableURL = URL(fileURLWithPath: try Tools.path(of: "mariadb"))
        client.arguments = ["--no-defaults", "-h", host, "-P", "\(port)", "-u", user, "--batch", "--skip-column-names",
                            "--default-character-set=utf8mb4"] + (database.map { [$0] } ?? [])
        let input = Pipe(), output = Pipe(), errors = Pipe()
        client.standardInput = input
        client.standardOutput = output
        client.standardError = errors
        _ = Self.ignoreBrokenPipes
        try client.run()
        // A client that cannot connect (the server is down or restarting) exits without reading its input:
        // the write then fails with EPIPE (an error here; its exit status tells what happened) instead of
        // killing the test process with SIGPIPE.
        try? input.fileHandleForWriting.write(contentsOf: Data(statements.utf8))
        try? input.fileHandleForWriting.close()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        let failure = errors.fileHandleForReading.readDataToEndOfFile()
        client.waitUntilExit()
        guard client.terminationStatus == 0 else {
            throw TestSupportError.network("SQL failed: \(String(decoding: failure, as: UTF8.self))\n\(statements.prefix(500))")
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// SIGPIPE ignored in the test process, once: a write to a pipe whose reader has gone fails with EPIPE.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Stops the server (SIGTERM, a clean shutdown) and removes its data.
    public func stop() async {
        await process.withLock { $0 }.terminate(timeout: .seconds(30))
        try? FileManager.default.removeItem(at: directory)
    }

    /// Kills the server with SIGKILL, keeping its data, as a crash would.
    public func crash() async { await process.withLock { $0 }.crash() }

    /// Starts the server again on the same port and data after `crash()`; waits until it accepts connections.
    public func restart() async throws {
        let next = try ManagedProcess(name: "mariadbd", executable: try Tools.path(of: "mariadbd"),
                                      arguments: arguments, logDirectory: directory)
        process.withLock { $0 = next }
        try await Network.waitUntilListening(port: port, what: "mariadbd (restarted)", timeout: .seconds(60))
    }

    /// The last lines of the server's error log, for failure messages.
    public func errorLogTail() -> String {
        let text = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(3000))
    }
}

/// Starts the shared server once, even when many tests ask at the same moment.
private actor SharedMariaDB {
    static let instance = SharedMariaDB()
    private var task: Task<MariaDBServer, Error>?

    func get() async throws -> MariaDBServer {
        if let task { return try await task.value }
        let task = Task { try await MariaDBServer.start() }
        self.task = task
        return try await task.value
    }
}
