import Foundation
import Logging
import Redis
import Testing
import TestSupport

/// A client for the shared test Redis.
func makeRedisClient(_ stack: LocalStack, database: Int = 0, commandTimeout: Duration = .seconds(5)) -> RedisClient {
    RedisClient(
        configuration: RedisConfiguration(host: stack.redisHost, port: stack.redisPort, database: database,
                                          commandTimeout: commandTimeout),
        logger: Logger(label: "redis-tests"))
}

@Suite("RedisClient against redis-server")
struct RedisClientTests {
    @Test("SET and GET round-trip every byte value; a missing key is null")
    func binaryValues() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let key = Array(LocalStack.uniqueName("bin").utf8) + [0, 0xFF]
        let value = (0...255).map { UInt8($0) } + [0, 0x0D, 0x0A]
        #expect(try await client.execute([Array("SET".utf8), key, value]) == .simpleString("OK"))
        #expect(try await client.execute([Array("GET".utf8), key]) == .bulkString(value))
        #expect(try await client.execute(["GET", LocalStack.uniqueName("missing")]) == .null)
        #expect(try await client.execute(["SET", "", ""]) == .simpleString("OK"))
    }

    @Test("HSET and HGETALL")
    func hashes() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let key = LocalStack.uniqueName("hash")
        #expect(try await client.execute(["HSET", key, "a", "1", "b", "two words"]) == .integer(2))
        let flat = try #require(try await client.execute(["HGETALL", key]).array)
        var fields: [String: String] = [:]
        for pair in stride(from: 0, to: flat.count, by: 2) {
            fields[try #require(flat[pair].string)] = flat[pair + 1].string
        }
        #expect(fields == ["a": "1", "b": "two words"])
    }

    @Test("a pipeline of 1000 commands returns 1000 replies in order")
    func pipelineOfThousand() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let key = LocalStack.uniqueName("counter")
        let replies = try await client.pipeline(Array(repeating: ["INCR", key], count: 1000))
        #expect(replies == (1...1000).map { RedisValue.integer(Int64($0)) })
        #expect(try await client.execute(["GET", key]).int == 1000)
    }

    @Test("error replies inside a pipeline come back in place")
    func pipelineErrors() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let key = LocalStack.uniqueName("text")
        let replies = try await client.pipeline([["SET", key, "not a number"], ["INCR", key], ["GET", key]])
        #expect(replies.count == 3)
        #expect(replies[0] == .simpleString("OK"))
        guard case .error(let message) = replies[1] else {
            Issue.record("expected an error reply, got \(replies[1])")
            return
        }
        #expect(message.hasPrefix("ERR"))
        #expect(replies[2].string == "not a number")
    }

    @Test("a transaction returns EXEC's results")
    func transactionResults() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let key = LocalStack.uniqueName("tx")
        let results = try await client.transaction([["INCR", key], ["INCRBY", key, "10"], ["GET", key]])
        #expect(results == [.integer(1), .integer(11), .bulkString(Array("11".utf8))])
    }

    @Test("a transaction with a refused command applies nothing and throws EXECABORT")
    func transactionAtomicity() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let key = LocalStack.uniqueName("tx-abort")
        await #expect {
            _ = try await client.transaction([["SET", key, "1"], ["NO-SUCH-COMMAND"], ["INCR", key]])
        } throws: { error in
            guard case RedisError.server(let message) = error else { return false }
            return message.hasPrefix("EXECABORT") && message.contains("NO-SUCH-COMMAND")
        }
        #expect(try await client.execute(["EXISTS", key]) == .integer(0))
        // The connection is still in a clean state (not stuck inside MULTI).
        #expect(try await client.execute(["SET", key, "after"]) == .simpleString("OK"))
    }

    @Test("concurrent transactions never interleave")
    func transactionsDoNotInterleave() async throws {
        let stack = try await LocalStack.shared()
        let key = LocalStack.uniqueName("tx-list")
        let clients = [makeRedisClient(stack), makeRedisClient(stack)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    for round in 0..<50 {
                        _ = try await client.transaction([["RPUSH", key, "\(index)-\(round)-a"], ["RPUSH", key, "\(index)-\(round)-b"]])
                    }
                }
            }
            try await group.waitForAll()
        }
        let items = try #require(try await clients[0].execute(["LRANGE", key, "0", "-1"]).array).compactMap(\.string)
        #expect(items.count == 200)
        for pair in stride(from: 0, to: items.count, by: 2) {
            #expect(items[pair].dropLast() == items[pair + 1].dropLast(), "pair \(pair) was split")
        }
    }

    @Test("a Lua script runs by SHA-1, and again by source after SCRIPT FLUSH")
    func luaScript() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1]) * 10")
        let key = LocalStack.uniqueName("lua")
        #expect(try await client.evaluate(script, keys: [key], arguments: ["2"]) == .integer(20))
        #expect(try await client.execute(["SCRIPT", "LOAD", script.source]).string == script.sha1)
        _ = try await client.execute(["SCRIPT", "FLUSH"])
        #expect(try await client.execute(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(0)]))
        #expect(try await client.evaluate(script, keys: [key], arguments: ["3"]) == .integer(50))
        #expect(try await client.execute(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(1)]))
    }

    @Test("a failing script throws its error reply")
    func luaError() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let script = RedisScript("return redis.error_reply('BOOM ' .. ARGV[1])")
        await #expect(throws: RedisError.server("BOOM now")) {
            _ = try await client.evaluate(script, keys: [], arguments: ["now"])
        }
    }

    @Test("an error reply throws RedisError.server")
    func serverError() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let key = LocalStack.uniqueName("string")
        _ = try await client.execute(["SET", key, "x"])
        await #expect {
            _ = try await client.execute(["LPUSH", key, "y"])
        } throws: { error in
            guard case RedisError.server(let message) = error else { return false }
            return message.hasPrefix("WRONGTYPE")
        }
        // The same connection keeps working after an error reply.
        #expect(try await client.execute(["GET", key]).string == "x")
    }

    @Test("the blocking API works from a plain thread")
    func blockingCall() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let key = LocalStack.uniqueName("sync")
        // A thread of its own, outside the cooperative pool, as a librdkafka callback would be.
        let replies: [RedisValue] = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    [try client.execute(["SET", key, "v"])]
                        + (try client.pipeline([["GET", key], ["STRLEN", key]]))
                        + (try client.transaction([["APPEND", key, "w"]]))
                        + [try client.evaluate(RedisScript("return ARGV[1]"), keys: [], arguments: ["z"])]
                })
            }.start()
        }
        #expect(replies == [.simpleString("OK"), .bulkString([0x76]), .integer(1), .integer(2), .bulkString([0x7A])])
    }

    @Test("SELECT isolates databases")
    func databases() async throws {
        let stack = try await LocalStack.shared()
        let key = LocalStack.uniqueName("db")
        _ = try await makeRedisClient(stack, database: 3).execute(["SET", key, "in three"])
        #expect(try await makeRedisClient(stack, database: 3).execute(["GET", key]).string == "in three")
        #expect(try await makeRedisClient(stack).execute(["GET", key]) == .null)
    }

    @Test("many concurrent callers share one client safely")
    func concurrentCallers() async throws {
        let client = makeRedisClient(try await LocalStack.shared())
        let key = LocalStack.uniqueName("shared")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { _ = try await client.execute(["INCR", key]) }
            }
            try await group.waitForAll()
        }
        #expect(try await client.execute(["GET", key]).int == 100)
    }
}
