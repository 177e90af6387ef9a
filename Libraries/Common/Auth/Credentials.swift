import Foundation
import Logging
import Metrics
import PipelineCore
import ServiceLifecycle
import Synchronization

/// Named secrets (ingest write keys, query API tokens) as a credentials file lists them: one
/// `name:sha256(secret)` per line, the digest as `sha256sum` prints it; blank lines and `#` comments are
/// skipped. Only digests are held, and a presented secret is compared with every entry in constant time.
public struct CredentialList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var digest: [UInt8]
    }

    public private(set) var entries: [Entry]

    /// Parses a credentials file's text; the error names the line.
    public init(parsing text: String) throws(CredentialFileError) {
        entries = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty,
                  parts[0].utf8.allSatisfy({ Self.nameBytes.contains($0) }), parts[0].utf8.count <= 64 else {
                throw CredentialFileError(line: index + 1, message: "expected name:sha256, the name of letters, digits, '.', '_' or '-' (at most 64)")
            }
            guard let digest = Self.digest(hex: parts[1]) else {
                throw CredentialFileError(line: index + 1, message: "the digest of \(parts[0]) is not 64 hexadecimal digits (sha256sum's output)")
            }
            guard !entries.contains(where: { $0.name == parts[0] }) else {
                throw CredentialFileError(line: index + 1, message: "\(parts[0]) is listed twice")
            }
            entries.append(Entry(name: parts[0], digest: digest))
        }
    }

    /// The name of the entry `secret` belongs to, nil for none. Every entry's digest is compared in full,
    /// whether or not an earlier one matched.
    public func name(forSecret secret: some StringProtocol) -> String? {
        let digest = SHA256.digest(secret.utf8)
        var match: String?
        for entry in entries {
            var difference: UInt8 = 0
            for index in 0..<32 { difference |= entry.digest[index] ^ digest[index] }
            if difference == 0 { match = entry.name }
        }
        return match
    }

    private static let nameBytes = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".utf8)

    private static func digest(hex: String) -> [UInt8]? {
        let digits = Array(hex.lowercased().utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

public struct CredentialFileError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

/// The credentials of one file, read at start (a missing or invalid file stops the service) and read
/// again every 5 seconds: a changed file replaces them at once (key rotation, a Kubernetes Secret
/// update); a file that became invalid is logged and the previous credentials stay in force.
public final class CredentialStore: Service, Sendable {
    public let path: String
    private let logger: Logger
    private let current: Mutex<(text: String, list: CredentialList)>
    private let reloads = Counter(label: "auth_credential_reloads_total")
    private let reloadFailures = Counter(label: "auth_credential_reload_failures_total")

    /// `variable` names the setting that gave `path`, for the error when the file is missing or invalid.
    public init(path: String, variable: String, logger: Logger) throws(ConfigurationError) {
        self.path = path
        self.logger = logger
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigurationError(variable: variable, value: path, expected: "a readable file of name:sha256 lines")
        }
        do {
            current = Mutex((text, try CredentialList(parsing: text)))
        } catch {
            throw ConfigurationError(variable: variable, value: path, expected: "name:sha256 lines (\(error))")
        }
        logger.info("credentials loaded", metadata: ["file": "\(path)", "names": "\(names.joined(separator: ","))"])
    }

    /// The names of the loaded credentials (not secret).
    public var names: [String] { current.withLock { $0.list.entries.map(\.name) } }

    public func name(forSecret secret: some StringProtocol) -> String? {
        let list = current.withLock { $0.list }
        return list.name(forSecret: secret)
    }

    /// Reads the file every 5 seconds until the service shuts down.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(5))
                self.reload()
            }
        }
    }

    /// Reads the file again and takes it if it changed and is valid.
    public func reload() {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            reloadFailures.increment()
            logger.error("credentials file unreadable; keeping the loaded credentials", metadata: ["file": "\(path)"])
            return
        }
        guard text != current.withLock({ $0.text }) else { return }
        do {
            let list = try CredentialList(parsing: text)
            current.withLock { $0 = (text, list) }
            reloads.increment()
            logger.notice("credentials reloaded", metadata: ["file": "\(path)", "names": "\(list.entries.map(\.name).joined(separator: ","))"])
        } catch {
            reloadFailures.increment()
            logger.error("credentials file invalid; keeping the loaded credentials", metadata: ["file": "\(path)", "error": "\(error)"])
        }
    }
}
