/// Why a binlog event or value could not be decoded or used; each case names where it happened.
public enum BinlogError: Error, Equatable, CustomStringConvertible {
    /// The event ended before a field could be read: `need` bytes at `offset`, only `available` left.
    case truncated(what: String, offset: Int, need: Int, available: Int)
    /// A field held a value the format does not allow.
    case malformed(String)
    /// The event's CRC32 did not match its content.
    case checksumMismatch(eventType: UInt8, expected: UInt32, actual: UInt32)
    /// A rows event referred to a table id without a preceding TABLE_MAP.
    case unknownTable(tableID: UInt64)
    /// A column type, or an event type, that this decoder does not support.
    case unsupported(String)

    public var description: String {
        switch self {
        case let .truncated(what, offset, need, available):
            return "binlog event truncated reading \(what) at byte \(offset): need \(need) bytes, \(available) left"
        case let .malformed(message):
            return "malformed binlog event: \(message)"
        case let .checksumMismatch(type, expected, actual):
            return "binlog event type \(type) failed its CRC32 check (stored \(expected), computed \(actual))"
        case let .unknownTable(tableID):
            return "rows event for table id \(tableID) without a TABLE_MAP event before it"
        case let .unsupported(message):
            return "unsupported: \(message)"
        }
    }
}
