/// A little-endian cursor over the bytes of one binlog event; every read checks the bounds and throws
/// `BinlogError.truncated` instead of trapping.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    /// One past the last readable byte (a trailing checksum is left outside).
    let end: Int

    init(_ bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset >= end }

    private func require(_ count: Int, _ what: String) throws {
        if count < 0 || count > end - offset {
            throw BinlogError.truncated(what: what, offset: offset, need: count, available: max(0, end - offset))
        }
    }

    mutating func skip(_ count: Int, _ what: String = "padding") throws {
        try require(count, what)
        offset += count
    }

    mutating func uint8(_ what: String = "byte") throws -> UInt8 {
        try require(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    /// An unsigned little-endian integer of `width` bytes (1...8).
    mutating func uintLE(_ width: Int, _ what: String) throws -> UInt64 {
        try require(width, what)
        var value: UInt64 = 0
        for index in 0..<width {
            value |= UInt64(bytes[offset + index]) << (8 * UInt64(index))
        }
        offset += width
        return value
    }

    /// An unsigned big-endian integer of `width` bytes (1...8), as DECIMAL, temporal and BIT values use.
    mutating func uintBE(_ width: Int, _ what: String) throws -> UInt64 {
        try require(width, what)
        var value: UInt64 = 0
        for index in 0..<width {
            value = value << 8 | UInt64(bytes[offset + index])
        }
        offset += width
        return value
    }

    mutating func uint16(_ what: String) throws -> UInt16 { UInt16(try uintLE(2, what)) }
    mutating func uint32(_ what: String) throws -> UInt32 { UInt32(try uintLE(4, what)) }
    mutating func uint64(_ what: String) throws -> UInt64 { try uintLE(8, what) }

    mutating func take(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        try require(count, what)
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func takeArray(_ count: Int, _ what: String) throws -> [UInt8] {
        Array(try take(count, what))
    }

    mutating func rest() -> ArraySlice<UInt8> {
        defer { offset = end }
        return bytes[offset..<end]
    }

    /// MySQL's length-encoded integer (1, 3, 4 or 9 bytes).
    mutating func lengthEncoded(_ what: String) throws -> UInt64 {
        let first = try uint8(what)
        switch first {
        case 0..<0xFB: return UInt64(first)
        case 0xFC: return try uintLE(2, what)
        case 0xFD: return try uintLE(3, what)
        case 0xFE: return try uintLE(8, what)
        default: throw BinlogError.malformed("invalid length-encoded integer 0x\(String(first, radix: 16)) in \(what)")
        }
    }

    /// A length-encoded integer that must fit an `Int` count of bytes still in the event.
    mutating func lengthEncodedCount(_ what: String) throws -> Int {
        let value = try lengthEncoded(what)
        guard value <= UInt64(Int.max) else { throw BinlogError.malformed("\(what) length \(value) too large") }
        return Int(value)
    }

    mutating func lengthEncodedString(_ what: String) throws -> String {
        let count = try lengthEncodedCount(what)
        return String(decoding: try take(count, what), as: UTF8.self)
    }
}
