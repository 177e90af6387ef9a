import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started by a test, with its output in a log file; every one still running is
/// killed when the test process exits.
///
/// Started with `posix_spawn` and a cleared signal mask: tests run on threads that block most
/// signals, and a child inheriting that mask (as with Foundation's `Process`) would ignore SIGTERM.
public final class ManagedProcess: @unchecked Sendable {
    public let name: String
    public let logFile: URL
    public let pid: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments` and `environment` added to this process's own.
    public init(name: String, executable: String, arguments: [String], environment: [String: String] = [:],
                logDirectory: URL) throws {
        self.name = name
        self.logFile = logDirectory.appendingPathComponent("\(name).log")
        // Without the multi-kilobyte backtrace, a crashed child's log tail shows its fatal error message.
        let variables = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { old, _ in old }
            .merging(environment) { _, new in new }
        pid = try Self.spawn(executable: executable, arguments: arguments,
                             environment: variables.map { "\($0.key)=\($0.value)" }, logPath: logFile.path)
        ChildRegistry.shared.add(pid)
    }

    private static func spawn(executable: String, arguments: [String], environment: [String], logPath: String) throws -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of ours: tests spawn processes from several threads at once, and a child holding the
        // write end of another child's stdin pipe (e.g. of a `mariadb` client run by `MariaDBServer.sql`)
        // keeps that client waiting for end of input as long as the child lives.
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw TestSupportError.network("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+: closes every descriptor from a number on in the
    /// child), looked up at run time because Swift's Glibc module does not export it.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// The exit status once the process has ended (128 + signal number if a signal ended it).
    private func reap() -> Int32? {
        lock.lock(); defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let signal = status & 0x7f
        exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        ChildRegistry.shared.remove(pid)
        return exitStatus
    }

    public var isRunning: Bool { reap() == nil }

    /// Sends SIGTERM and waits up to `timeout` for the exit; returns the exit status, nil if it did not exit.
    @discardableResult
    public func terminate(timeout: Duration = .seconds(10)) async -> Int32? {
        if let status = reap() { return status }
        kill(pid, SIGTERM)
        return await waitForExit(timeout: timeout)
    }

    /// Sends SIGKILL: the process gets no chance to clean up, as in a crash.
    public func crash() async {
        guard isRunning else { return }
        kill(pid, SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
    }

    /// Waits for the process to exit by itself; returns its exit status, or nil after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = reap() { return status }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
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
    private var pids = Set<pid_t>()
    private var installed = false

    func add(_ pid: pid_t) {
        lock.lock(); defer { lock.unlock() }
        pids.insert(pid)
        if !installed {
            installed = true
            atexit { ChildRegistry.shared.killAll() }
        }
    }

    func remove(_ pid: pid_t) {
        lock.lock(); defer { lock.unlock() }
        pids.remove(pid)
    }

    func killAll() {
        lock.lock(); let all = pids; pids.removeAll(); lock.unlock()
        for pid in all { kill(pid, SIGKILL) }
    }
}
