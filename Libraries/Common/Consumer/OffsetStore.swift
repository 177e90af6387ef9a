import Foundation
import Kafka
import PipelineCore
import Logging
import Redis

/// Consumer offsets kept in Redis, hash `offsets:<group>:<topic>` with partition → next offset,
/// committed together with state changes in one Lua script, so either both or neither happen.
public final class OffsetStore: Sendable {
    public enum CommitOutcome: Sendable, Equatable {
        case committed
        /// Another consumer already committed past this batch's start (after a rebalance): nothing was written.
        case fenced
    }

    public let group: String
    private let redis: RedisClient
    private let logger: Logger

    public init(redis: RedisClient, group: String, logger: Logger) {
        self.redis = redis
        self.group = group
        self.logger = logger
    }

    public func key(topic: String) -> String { "offsets:\(group):\(topic)" }

    /// The stored next offsets of `partitions` (absent: never committed). Blocking, for the Kafka
    /// rebalance callback; retries while Redis is unreachable, because starting anywhere else would
    /// lose or repeat data. Returns what it has once `isStopping` is true.
    public func loadBlocking(_ partitions: [KafkaTopicPartition], isStopping: () -> Bool = { false }) -> [KafkaTopicPartition: Int64] {
        var result: [KafkaTopicPartition: Int64] = [:]
        var backoff = Backoff(maximum: .seconds(5))
        for (topic, members) in Dictionary(grouping: partitions, by: \.topic) {
            while true {
                do {
                    let reply = try redis.execute(["HMGET", key(topic: topic)] + members.map { String($0.partition) })
                    for (member, value) in zip(members, reply.array ?? []) {
                        if let text = value.string, let offset = Int64(text) { result[member] = offset }
                    }
                    break
                } catch {
                    if isStopping() { return result }
                    let delay = backoff.nextDelay()
                    logger.warning("cannot load offsets from Redis; retrying", metadata: [
                        "topic": "\(topic)", "error": "\(error)", "retry_in": "\(delay)",
                    ])
                    Thread.sleep(forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
                }
            }
        }
        return result
    }

    /// The stored next offsets of `partitions`, asynchronously.
    public func load(_ partitions: [KafkaTopicPartition]) async throws -> [KafkaTopicPartition: Int64] {
        var result: [KafkaTopicPartition: Int64] = [:]
        for (topic, members) in Dictionary(grouping: partitions, by: \.topic) {
            let reply = try await redis.execute(["HMGET", key(topic: topic)] + members.map { String($0.partition) })
            for (member, value) in zip(members, reply.array ?? []) {
                if let text = value.string, let offset = Int64(text) { result[member] = offset }
            }
        }
        return result
    }

    /// Stores the batch's next offsets and applies `changes`, atomically, unless another consumer
    /// has committed past the batch's start for any of its partitions.
    public func commit(_ progress: [PartitionProgress], changes: [StateChange]) async throws -> CommitOutcome {
        let (keys, arguments) = Self.scriptInput(progress: progress, changes: changes, offsetKey: key(topic:))
        let reply = try await redis.evaluate(Self.commitScript, keys: keys, arguments: arguments)
        return reply.int == 1 ? .committed : .fenced
    }

    /// Keys and arguments of `commitScript`: each distinct key once in KEYS, referenced by 1-based index.
    static func scriptInput(progress: [PartitionProgress], changes: [StateChange],
                            offsetKey: (String) -> String) -> (keys: [String], arguments: [String]) {
        var keys: [String] = []
        var index: [String: Int] = [:]
        func reference(_ key: String) -> String {
            if let i = index[key] { return String(i) }
            keys.append(key)
            index[key] = keys.count
            return String(keys.count)
        }
        var arguments = [String(progress.count)]
        for p in progress {
            arguments += [reference(offsetKey(p.topic)), String(p.partition), String(p.firstOffset), String(p.nextOffset)]
        }
        arguments.append(String(changes.count))
        for change in changes {
            switch change {
            case .hashMinimum(let key, let field, let value, let ttl):
                arguments += ["min", reference(key), field, String(value), String(ttl)]
            case .hashSet(let key, let field, let value):
                arguments += ["set", reference(key), field, value]
            case .hashDelete(let key, let field):
                arguments += ["del", reference(key), field]
            case .hashSetIfNotOlder(let key, let field, let value):
                arguments += ["newer", reference(key), field, value]
            }
        }
        return (keys, arguments)
    }

    /// Checks every partition (stored offset must not be past the batch's first offset), then writes
    /// the offsets and the state changes (each an operation name, a key index, a field and its
    /// arguments; see `StateChange`). Returns 1 when committed, 0 when fenced.
    static let commitScript = RedisScript("""
        local n = tonumber(ARGV[1])
        local i = 2
        for _ = 1, n do
          local stored = redis.call('HGET', KEYS[tonumber(ARGV[i])], ARGV[i + 1])
          if stored and tonumber(stored) > tonumber(ARGV[i + 2]) then return 0 end
          i = i + 4
        end
        i = 2
        for _ = 1, n do
          redis.call('HSET', KEYS[tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 3])
          i = i + 4
        end
        local m = tonumber(ARGV[i])
        i = i + 1
        for _ = 1, m do
          local op = ARGV[i]
          local key = KEYS[tonumber(ARGV[i + 1])]
          local field = ARGV[i + 2]
          if op == 'min' then
            local current = redis.call('HGET', key, field)
            if not current or tonumber(ARGV[i + 3]) < tonumber(current) then
              redis.call('HSET', key, field, ARGV[i + 3])
            end
            if tonumber(ARGV[i + 4]) > 0 then redis.call('EXPIRE', key, tonumber(ARGV[i + 4])) end
            i = i + 5
          elseif op == 'set' then
            redis.call('HSET', key, field, ARGV[i + 3])
            i = i + 4
          elseif op == 'del' then
            redis.call('HDEL', key, field)
            i = i + 3
          elseif op == 'newer' then
            local current = redis.call('HGET', key, field)
            if not current or string.sub(current, 1, 20) <= string.sub(ARGV[i + 3], 1, 20) then
              redis.call('HSET', key, field, ARGV[i + 3])
            end
            i = i + 4
          else
            return redis.error_reply('unknown state change ' .. tostring(op))
          end
        end
        return 1
        """)
}
