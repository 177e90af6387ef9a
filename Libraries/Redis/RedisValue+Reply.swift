import CHiredis

extension RedisValue {
    /// Copies a hiredis reply tree into a value; the caller still owns (and frees) `reply`.
    init(reply: UnsafePointer<redisReply>) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STATUS:
            self = .simpleString(Self.text(node))
        case REDIS_REPLY_ERROR:
            self = .error(Self.text(node))
        case REDIS_REPLY_STRING:
            self = .bulkString(Self.bytes(node))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(node.integer))
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                if let child = node.element[index] {
                    elements.append(RedisValue(reply: child))
                } else {
                    elements.append(.null)
                }
            }
            self = .array(elements)
        default:
            // Reply types newer than RESP2 (hiredis >= 1.0 with RESP3): keep their text if they carry any.
            self = node.str == nil ? .null : .bulkString(Self.bytes(node))
        }
    }

    private static func bytes(_ node: redisReply) -> [UInt8] {
        guard let str = node.str, node.len > 0 else { return [] }
        return str.withMemoryRebound(to: UInt8.self, capacity: node.len) {
            Array(UnsafeBufferPointer(start: $0, count: node.len))
        }
    }

    private static func text(_ node: redisReply) -> String {
        String(decoding: bytes(node), as: UTF8.self)
    }
}
