import Common
import PipelineCore
import Redis

/// The enricher's DAU state in Redis: hash `dau:first:<yyyy-MM-dd>`, device id → earliest event time (ms).
struct DauState: Sendable {
    let redis: RedisClient
    let ttlSeconds: Int

    static func key(for date: BusinessDate) -> String { "dau:first:\(date)" }

    /// The earliest times already stored for `keys`, read in one round trip.
    func known(_ keys: Set<DauKey>) async throws -> [DauKey: Int64] {
        let byDate = Dictionary(grouping: keys, by: \.date).map { ($0.key, $0.value.map(\.mid)) }
        guard !byDate.isEmpty else { return [:] }
        let replies = try await redis.pipeline(byDate.map { date, mids in ["HMGET", Self.key(for: date)] + mids })
        var result: [DauKey: Int64] = [:]
        for ((date, mids), reply) in zip(byDate, replies) {
            if case .error(let message) = reply { throw RedisError.server(message) }
            for (mid, value) in zip(mids, reply.array ?? []) {
                if let text = value.string, let ts = Int64(text) { result[DauKey(date: date, mid: mid)] = ts }
            }
        }
        return result
    }

    /// The changes that store `firstSeen`, applied atomically with the batch's offsets.
    func changes(recording firstSeen: [DauKey: Int64]) -> [StateChange] {
        firstSeen.map { .hashMinimum(key: Self.key(for: $0.key.date), field: $0.key.mid, value: $0.value, ttlSeconds: ttlSeconds) }
    }
}
