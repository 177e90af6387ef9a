import Foundation
import Synchronization

/// A running `mariadb` command-line client: SQL is written to its standard input, each line it answers on
/// standard output goes to `onLine` (on a reader thread of its own), its standard error is kept for the
/// error message. Blocking: use it off Swift's cooperative threads.
final class ClientProcess: Sendable {
    private let process: Process
    private let input: FileHandle
    private let errors = Mutex<[UInt8]>([])
    private let readersDone = DispatchGroup()

    /// Starts the client found in `PATH`.
    init(database: ShopDatabase, purpose: String, onLine: @escaping @Sendable (Substring) -> Void) throws(ShopDatabaseError) {
        guard let executable = Self.findClient() else {
            throw ShopDatabaseError(purpose: purpose, detail: "the mariadb command-line client is not in PATH "
                + "(Debian package mariadb-client)")
        }
        // A client that exits early must fail our next write (EPIPE), not kill the simulator with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = executable
        process.arguments = database.clientArguments
        process.environment = database.clientEnvironment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw ShopDatabaseError(purpose: purpose, detail: "cannot start \(executable.path): \(error.localizedDescription)")
        }
        self.process = process
        input = stdin.fileHandleForWriting
        let output = stdout.fileHandleForReading, errorOutput = stderr.fileHandleForReading

        readersDone.enter()
        Thread {
            var pending: [UInt8] = []
            while case let chunk = output.availableData, !chunk.isEmpty {
                pending += chunk
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    onLine(Substring(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { onLine(Substring(decoding: pending, as: UTF8.self)) }
            self.readersDone.leave()
        }.start()
        readersDone.enter()
        Thread {
            while case let chunk = errorOutput.availableData, !chunk.isEmpty {
                self.errors.withLock { $0 += chunk }
            }
            self.readersDone.leave()
        }.start()
    }

    /// Sends SQL text; false if the client stopped reading (it exited: `finish()` says why).
    func write(_ text: String) -> Bool {
        do {
            try input.write(contentsOf: Data(text.utf8))
            return true
        } catch {
            return false
        }
    }

    /// Closes the client's input and waits for it to exit: its exit status and standard error.
    func finish() -> (status: Int32, errors: String) {
        try? input.close()
        readersDone.wait()
        process.waitUntilExit()
        return (process.terminationStatus, errors.withLock { String(decoding: $0, as: UTF8.self) })
    }

    private static func findClient() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("mariadb")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
