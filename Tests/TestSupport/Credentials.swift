import Foundation
import PipelineCore

/// Secrets and credentials files (`name:sha256(secret)` lines) for services under test.
public enum Credentials {
    /// 32 random bytes as hexadecimal.
    public static func randomSecret() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// Writes a credentials file for `secrets` (name → secret).
    public static func write(_ secrets: [String: String], to file: URL) throws {
        let lines = secrets.sorted { $0.key < $1.key }.map { "\($0.key):\(SHA256.hex(Array($0.value.utf8)))" }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    }
}
