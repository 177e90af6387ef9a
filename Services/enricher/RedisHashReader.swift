import PipelineCore
import Redis

/// `HashReader` over Redis: HGETALL and HMGET, pipelined.
struct RedisHashReader: HashReader {
    let redis: RedisClient

    func allFields(of keys: [String]) async throws -> [[String: String]] {
        guard !keys.isEmpty else { return [] }
        return try await redis.pipeline(keys.map { ["HGETALL", $0] }).map { reply in
            if case .error(let message) = reply { throw RedisError.server(message) }
            let items = reply.array ?? []
            var fields: [String: String] = [:]
            for index in stride(from: 0, to: items.count - 1, by: 2) {
                if let field = items[index].string, let value = items[index + 1].string { fields[field] = value }
            }
            return fields
        }
    }

    func values(of requests: [(key: String, fields: [String])]) async throws -> [[String?]] {
        guard !requests.isEmpty else { return [] }
        return try await redis.pipeline(requests.map { ["HMGET", $0.key] + $0.fields }).map { reply in
            if case .error(let message) = reply { throw RedisError.server(message) }
            return (reply.array ?? []).map(\.string)
        }
    }
}
