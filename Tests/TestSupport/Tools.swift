import Foundation

/// Finds the programs tests start: Debian's servers on PATH, the noida-db binary in the project's .venv.
public enum Tools {
    /// The repository's root folder, found from this source file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The full path of `name` on PATH (plus /usr/sbin and /usr/bin, where Debian puts servers).
    public static func path(of name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin"] {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestSupportError.missingTool("\(name) not found on PATH; run scripts/setup.sh")
    }

    /// The noida-db server binary: $NOIDA_DB_BIN, or the one pip put into .venv (run directly, not
    /// through its Python launcher, so that stopping it stops the server).
    public static func noidaDB() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["NOIDA_DB_BIN"] { return explicit }
        let lib = repositoryRoot.appendingPathComponent(".venv/lib")
        let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
        for python in pythons where python.hasPrefix("python") {
            let candidate = lib.appendingPathComponent("\(python)/site-packages/noida_db/noida-db").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw TestSupportError.missingTool("noida-db not found under \(lib.path); run scripts/setup.sh")
    }

    /// A product built by `swift build` (e.g. "log-ingest"), from $GMALL_BIN_DIR or .build/debug.
    public static func builtProduct(_ name: String) throws -> String {
        let folder = ProcessInfo.processInfo.environment["GMALL_BIN_DIR"]
            ?? repositoryRoot.appendingPathComponent(".build/debug").path
        let candidate = "\(folder)/\(name)"
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw TestSupportError.missingTool("\(candidate) not built; run swift build first")
        }
        return candidate
    }
}
