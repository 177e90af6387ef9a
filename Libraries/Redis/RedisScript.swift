/// A Lua script with its SHA-1 name, for `RedisClient.evaluate` (`EVALSHA`, falling back to `EVAL`).
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The script's SHA-1 in lowercase hex, as `SCRIPT LOAD` would return it; computed locally.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(Array(source.utf8))
    }
}
