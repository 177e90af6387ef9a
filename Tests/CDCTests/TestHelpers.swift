@testable import BinlogReplication

/// Bytes from a hex string (test fixtures only).
func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        bytes.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// Builds a binlog event: a 19-byte header, `body`, and a CRC32 when `checksum` is set.
func makeEvent(type: UInt8, body: [UInt8], timestamp: UInt32 = 1_700_000_000, serverID: UInt32 = 7,
               nextPosition: UInt32 = 1000, checksum: Bool = true) -> [UInt8] {
    let length = UInt32(EventHeader.length + body.count + (checksum ? 4 : 0))
    var bytes = le(timestamp, 4) + [type] + le(serverID, 4) + le(length, 4) + le(nextPosition, 4) + [0, 0]
    bytes += body
    if checksum { bytes += le(CRC32.checksum(bytes[...]), 4) }
    return bytes
}

/// `value` as `width` little-endian bytes.
func le<T: BinaryInteger>(_ value: T, _ width: Int) -> [UInt8] {
    let raw = UInt64(truncatingIfNeeded: value)
    return (0..<width).map { UInt8(truncatingIfNeeded: raw >> (8 * UInt64($0))) }
}

/// `value` as `width` big-endian bytes.
func be<T: BinaryInteger>(_ value: T, _ width: Int) -> [UInt8] {
    Array(le(value, width).reversed())
}

/// A length-encoded string.
func lenenc(_ text: String) -> [UInt8] {
    let bytes = Array(text.utf8)
    return [UInt8(bytes.count)] + bytes
}

/// Decodes one value of `column` from `bytes`, requiring that every byte is consumed.
func decodeValue(_ column: ColumnDefinition, _ bytes: [UInt8]) throws -> ColumnValue {
    var reader = ByteReader(bytes)
    let value = try ValueDecoder.decode(column, from: &reader)
    guard reader.isAtEnd else { throw BinlogError.malformed("\(reader.remaining) bytes left over") }
    return value
}

/// The JSON text of a single value as Maxwell prints it.
func jsonText(_ value: ColumnValue) -> String {
    var writer = MaxwellJSONWriter()
    value.write(to: &writer)
    return writer.text
}
