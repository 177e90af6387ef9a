extension RedisClient {
    /// Runs a Lua script by its SHA-1 (`EVALSHA`), sending its source (`EVAL`) when the server does not have
    /// it cached (`NOSCRIPT`), blocking the calling thread; an error reply throws `RedisError.server`.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) throws -> RedisValue {
        let tail = [String(keys.count)] + keys + arguments
        do {
            return try execute(["EVALSHA", script.sha1] + tail)
        } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") {
            return try execute(["EVAL", script.source] + tail)
        }
    }

    /// Runs a Lua script (`EVALSHA`, falling back to `EVAL`) on the client's queue; see the blocking form.
    public func evaluate(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RedisValue {
        try await onQueue { try self.evaluate(script, keys: keys, arguments: arguments) }
    }
}
