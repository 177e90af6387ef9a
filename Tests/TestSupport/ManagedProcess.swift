import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started by a test, with its output in a log file; every one still running is
/// terminated when the test process exits.
public final class ManagedProcess: @unchecked Sendable {
    public let name: String
    public let logFile: URL
    private let process: Process

    /// Starts `executable` with `arguments` and `environment` added to this process's own.
    public init(name: String, executable: String, arguments: [String], environment: [String: String] = [:],
                logDirectory: URL) throws {
        self.name = name
        self.logFile = logDirectory.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        handle.seekToEndOfFile()
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        ChildRegistry.shared.add(process.processIdentifier)
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM and waits up to `timeout` for the exit; returns the exit status, nil if it did not exit.
    @discardableResult
    public func terminate(timeout: Duration = .seconds(10)) async -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(pid, SIGTERM)
        return await waitForExit(timeout: timeout)
    }

    /// Sends SIGKILL: the process gets no chance to clean up, as in a crash.
    public func crash() async {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
    }

    /// Waits for the process to exit by itself; returns its exit status, or nil after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        ChildRegistry.shared.remove(pid)
        return process.terminationStatus
    }

    /// The last `bytes` of the process's output, for failure messages.
    public func logTail(bytes: Int = 4000) -> String {
        guard let data = try? Data(contentsOf: logFile) else { return "" }
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }
}

/// Process ids of children still running; killed from an atexit handler so that no test server outlives the tests.
final class ChildRegistry: @unchecked Sendable {
    static let shared = ChildRegistry()
    private let lock = NSLock()
    private var pids = Set<Int32>()
    private var installed = false

    func add(_ pid: Int32) {
        lock.lock(); defer { lock.unlock() }
        pids.insert(pid)
        if !installed {
            installed = true
            atexit { ChildRegistry.shared.killAll() }
        }
    }

    func remove(_ pid: Int32) {
        lock.lock(); defer { lock.unlock() }
        pids.remove(pid)
    }

    func killAll() {
        lock.lock(); let all = pids; pids.removeAll(); lock.unlock()
        for pid in all { kill(pid, SIGKILL) }
    }
}
