/// A reply from Redis (RESP2), converted from hiredis's reply tree into plain values.
public indirect enum RedisValue: Sendable, Equatable {
    /// A status reply such as `OK` or `QUEUED`.
    case simpleString(String)
    /// A binary-safe bulk string.
    case bulkString([UInt8])
    case integer(Int64)
    case array([RedisValue])
    /// A nil bulk string or nil array (a missing key, an aborted transaction).
    case null
    /// An error reply; `execute` throws these as `RedisError.server`, `pipeline` returns them in place.
    case error(String)

    /// The text of a status or bulk string reply (invalid UTF-8 is repaired), nil for other replies.
    public var string: String? {
        switch self {
        case .simpleString(let text): return text
        case .bulkString(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// The bytes of a bulk or status string reply, nil for other replies.
    public var bytes: [UInt8]? {
        switch self {
        case .simpleString(let text): return Array(text.utf8)
        case .bulkString(let bytes): return bytes
        default: return nil
        }
    }

    /// An integer reply, or a string reply holding a decimal integer (as `GET` of a counter returns).
    public var int: Int64? {
        switch self {
        case .integer(let value): return value
        case .simpleString, .bulkString: return string.flatMap { Int64($0) }
        default: return nil
        }
    }

    /// The elements of an array reply, nil for other replies.
    public var array: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// True for a nil reply.
    public var isNull: Bool { self == .null }
}
