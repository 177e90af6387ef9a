extension RedisClient {
    /// Runs the commands atomically as `MULTI ... EXEC` in one round trip and returns `EXEC`'s replies,
    /// blocking the calling thread. A command Redis refuses to queue aborts the whole transaction
    /// (`RedisError.server` with `EXECABORT`); a command failing at run time comes back as `.error` in its slot.
    public func transaction(_ commands: [[String]]) throws -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        let replies = try pipeline([["MULTI"]] + commands + [["EXEC"]])
        guard let exec = replies.last else {
            throw RedisError.protocolError("no reply to EXEC")
        }
        switch exec {
        case .array(let results) where results.count == commands.count:
            return results
        case .error(let message):
            let firstQueueError = replies.dropLast().lazy.compactMap { reply -> String? in
                if case .error(let queueError) = reply { return queueError }
                return nil
            }.first
            throw RedisError.server(firstQueueError.map { "\(message) (first refused command: \($0))" } ?? message)
        case .null:
            throw RedisError.server("transaction aborted: a WATCHed key changed")
        default:
            throw RedisError.protocolError("EXEC of \(commands.count) commands answered \(exec)")
        }
    }

    /// Runs the commands atomically as `MULTI ... EXEC` on the client's queue; see the blocking form.
    public func transaction(_ commands: [[String]]) async throws -> [RedisValue] {
        try await onQueue { try self.transaction(commands) }
    }
}
