@testable import Common
import Kafka
import Logging
import PipelineCore
import Redis
import Testing
import TestSupport

/// The atomic commit of offsets and state against a real Redis.
@Suite struct OffsetStoreTests {
    static func store() async throws -> (OffsetStore, RedisClient) {
        let stack = try await LocalStack.shared()
        var configuration = RedisConfiguration()
        configuration.host = stack.redisHost
        configuration.port = stack.redisPort
        let redis = RedisClient(configuration: configuration, logger: Logger(label: "test"))
        return (OffsetStore(redis: redis, group: LocalStack.uniqueName("group"), logger: Logger(label: "test")), redis)
    }

    @Test func commitsOffsetsAndKeepsTheMinimumState() async throws {
        let (store, redis) = try await Self.store()
        let key = LocalStack.uniqueName("state")
        let tp = KafkaTopicPartition(topic: "t", partition: 2)
        #expect(try await store.load([tp]).isEmpty)

        var outcome = try await store.commit(
            [PartitionProgress(topic: "t", partition: 2, firstOffset: 0, nextOffset: 10)],
            changes: [.hashMinimum(key: key, field: "m1", value: 500, ttlSeconds: 60)])
        #expect(outcome == .committed)
        #expect(try await store.load([tp]) == [tp: 10])
        #expect(store.loadBlocking([tp]) == [tp: 10])

        // A larger value never replaces a smaller one; a smaller one does.
        outcome = try await store.commit(
            [PartitionProgress(topic: "t", partition: 2, firstOffset: 10, nextOffset: 12)],
            changes: [.hashMinimum(key: key, field: "m1", value: 900, ttlSeconds: 60),
                      .hashMinimum(key: key, field: "m2", value: 7, ttlSeconds: 60)])
        #expect(outcome == .committed)
        #expect(try await redis.execute(["HGET", key, "m1"]).string == "500")
        #expect(try await redis.execute(["HGET", key, "m2"]).string == "7")
        _ = try await store.commit(
            [PartitionProgress(topic: "t", partition: 2, firstOffset: 12, nextOffset: 13)],
            changes: [.hashMinimum(key: key, field: "m1", value: 100, ttlSeconds: 60)])
        #expect(try await redis.execute(["HGET", key, "m1"]).string == "100")
        let ttl = try await redis.execute(["TTL", key]).int ?? -1
        #expect(ttl > 0 && ttl <= 60)
    }

    @Test func aBatchBehindTheStoredOffsetIsFencedAndWritesNothing() async throws {
        let (store, redis) = try await Self.store()
        let key = LocalStack.uniqueName("state")
        let a = KafkaTopicPartition(topic: "t", partition: 0)
        let b = KafkaTopicPartition(topic: "u", partition: 1)
        _ = try await store.commit([PartitionProgress(topic: "t", partition: 0, firstOffset: 0, nextOffset: 50)], changes: [])

        // Another consumer re-processed from 20 after a rebalance: it must not move anything.
        let outcome = try await store.commit(
            [PartitionProgress(topic: "u", partition: 1, firstOffset: 0, nextOffset: 5),
             PartitionProgress(topic: "t", partition: 0, firstOffset: 20, nextOffset: 40)],
            changes: [.hashMinimum(key: key, field: "m", value: 1, ttlSeconds: 0)])
        #expect(outcome == .fenced)
        #expect(try await store.load([a, b]) == [a: 50])
        #expect(try await redis.execute(["EXISTS", key]).int == 0)

        // Starting at or after the stored offset is fine (a gap after retention is allowed).
        #expect(try await store.commit([PartitionProgress(topic: "t", partition: 0, firstOffset: 50, nextOffset: 60)], changes: []) == .committed)
        #expect(try await store.commit([PartitionProgress(topic: "t", partition: 0, firstOffset: 70, nextOffset: 71)], changes: []) == .committed)
        #expect(try await store.load([a]) == [a: 71])
    }

    @Test func scriptInputNamesEachKeyOnce() {
        let (keys, arguments) = OffsetStore.scriptInput(
            progress: [PartitionProgress(topic: "t", partition: 0, firstOffset: 1, nextOffset: 2),
                       PartitionProgress(topic: "t", partition: 1, firstOffset: 3, nextOffset: 4)],
            changes: [.hashMinimum(key: "k", field: "f", value: 9, ttlSeconds: 5),
                      .hashMinimum(key: "k", field: "g", value: 8, ttlSeconds: 5)],
            offsetKey: { "offsets:g:\($0)" })
        #expect(keys == ["offsets:g:t", "k"])
        #expect(arguments == ["2", "1", "0", "1", "2", "1", "1", "3", "4",
                              "2", "min", "2", "f", "9", "5", "min", "2", "g", "8", "5"])
    }

    @Test func setDeleteAndNewerVersionWins() async throws {
        let (store, redis) = try await Self.store()
        let key = LocalStack.uniqueName("state")
        func commit(_ first: Int64, _ changes: [StateChange]) async throws {
            let outcome = try await store.commit([PartitionProgress(topic: "t", partition: 0, firstOffset: first, nextOffset: first + 1)],
                                                 changes: changes)
            #expect(outcome == .committed)
        }
        let v5 = VersionedValue.encode(version: 5, payload: "five")
        let v9 = VersionedValue.encode(version: 9, payload: "nine")
        try await commit(0, [.hashSet(key: key, field: "a", value: "x"), .hashSetIfNotOlder(key: key, field: "d", value: v9)])
        // An older version never overwrites a newer one; an equal or newer one does.
        try await commit(1, [.hashDelete(key: key, field: "a"), .hashSetIfNotOlder(key: key, field: "d", value: v5)])
        #expect(try await redis.execute(["HGET", key, "a"]).string == nil)
        #expect(try await redis.execute(["HGET", key, "d"]).string == v9)
        let v10 = VersionedValue.encode(version: 10, payload: nil)
        try await commit(2, [.hashSetIfNotOlder(key: key, field: "d", value: v10)])
        #expect(try await redis.execute(["HGET", key, "d"]).string == v10)
        #expect(VersionedValue.decode(v10) == VersionedValue(version: 10, payload: nil))
        #expect(VersionedValue.decode(v9) == VersionedValue(version: 9, payload: "nine"))
    }
}
