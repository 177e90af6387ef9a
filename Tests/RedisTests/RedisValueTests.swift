import CHiredis
import Testing
@testable import Redis

/// Converts RESP bytes with hiredis's own reader, as a live connection would, without a server.
private func decode(_ resp: [UInt8]) throws -> RedisValue {
    let reader = try #require(redisReaderCreate())
    defer { redisReaderFree(reader) }
    let fed = resp.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { redisReaderFeed(reader, $0.baseAddress, $0.count) }
    }
    try #require(fed == REDIS_OK)
    var reply: UnsafeMutableRawPointer?
    try #require(redisReaderGetReply(reader, &reply) == REDIS_OK)
    let complete = try #require(reply, "incomplete RESP input")
    defer { freeReplyObject(complete) }
    return RedisValue(reply: complete.assumingMemoryBound(to: redisReply.self))
}

private func decode(_ resp: String) throws -> RedisValue { try decode(Array(resp.utf8)) }

@Suite("Reply conversion")
struct RedisValueTests {
    @Test("scalar replies")
    func scalars() throws {
        #expect(try decode("+OK\r\n") == .simpleString("OK"))
        #expect(try decode("-WRONGTYPE Operation against a key\r\n") == .error("WRONGTYPE Operation against a key"))
        #expect(try decode(":-42\r\n") == .integer(-42))
        #expect(try decode(":9223372036854775807\r\n") == .integer(.max))
        #expect(try decode("$-1\r\n") == .null)
        #expect(try decode("*-1\r\n") == .null)
        #expect(try decode("$0\r\n\r\n") == .bulkString([]))
    }

    @Test("bulk strings are binary safe")
    func binaryBulk() throws {
        let payload: [UInt8] = [0, 1, 0xFF, 0x0D, 0x0A, 0xC3, 0x28, 0]
        let resp = Array("$\(payload.count)\r\n".utf8) + payload + Array("\r\n".utf8)
        #expect(try decode(resp) == .bulkString(payload))
    }

    @Test("nested arrays keep order, nils and errors")
    func nested() throws {
        let value = try decode("*4\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n-ERR x\r\n*0\r\n")
        #expect(value == .array([.integer(1), .array([.bulkString([97]), .null]), .error("ERR x"), .array([])]))
    }

    @Test("conveniences")
    func conveniences() {
        #expect(RedisValue.bulkString(Array("42".utf8)).int == 42)
        #expect(RedisValue.bulkString(Array("x".utf8)).int == nil)
        #expect(RedisValue.integer(7).int == 7)
        #expect(RedisValue.integer(7).string == nil)
        #expect(RedisValue.simpleString("OK").string == "OK")
        #expect(RedisValue.bulkString([0x68, 0x69]).string == "hi")
        #expect(RedisValue.null.isNull)
        #expect(RedisValue.array([.null]).array == [.null])
        #expect(RedisValue.error("ERR").bytes == nil)
    }
}
