import Foundation

/// Runs blocking work (waiting for a child process, a synchronous read) on a thread of its own and awaits it.
///
/// Swift's cooperative pool has one thread per core, two on the CI machine, shared by every test of the
/// process. A test that waits for `mariadb-install-db` or an `openssl` key on one of them stalls all the
/// others: CI once saw every test's timers and polls held up for 40 s at once.
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.name = "test-blocking-work"
        thread.start()
    }
}

/// Runs `executable` with `arguments` to its end, off the cooperative pool (see `runBlocking`), with its output
/// and errors appended to the file at `log` (discarded when nil); returns its exit status.
public func runToCompletion(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                            log: URL? = nil) async throws -> Int32 {
    try await runBlocking {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var handle: FileHandle?
        if let log {
            if !FileManager.default.fileExists(atPath: log.path) {
                FileManager.default.createFile(atPath: log.path, contents: nil)
            }
            handle = try FileHandle(forWritingTo: log)
            _ = try handle?.seekToEnd()
        }
        defer { try? handle?.close() }
        process.standardOutput = handle ?? FileHandle.nullDevice
        process.standardError = handle ?? FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
