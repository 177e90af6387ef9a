/// Converts a value of the text protocol (a SELECT result) into the same `ColumnValue` the binlog decoder
/// yields for that column, so that bootstrap rows print exactly like live rows.
enum TextValue {
    // enum_field_types and field flags of the client protocol.
    private static let unsignedFlag: UInt32 = 32, enumFlag: UInt32 = 256, setFlag: UInt32 = 2048

    static func convert(_ bytes: [UInt8]?, field: BinlogConnection.ResultField, isJSON: Bool) -> ColumnValue {
        guard let bytes else { return .null }
        let text = String(decoding: bytes, as: UTF8.self)
        switch field.type {
        case 1, 2, 3, 8, 9:  // TINY, SHORT, LONG, LONGLONG, INT24
            if field.flags & unsignedFlag != 0 { return UInt64(text).map(ColumnValue.uint) ?? .string(text) }
            return Int64(text).map(ColumnValue.int) ?? .string(text)
        case 13:  // YEAR
            return Int64(text).map(ColumnValue.int) ?? .string(text)
        case 0, 246:  // DECIMAL, NEWDECIMAL
            let negative = text.hasPrefix("-")
            let unsigned = negative ? text.dropFirst() : Substring(text)
            let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
            let scale = parts.count > 1 ? parts[1].count : 0
            return .decimal(JavaFormat.bigDecimal(negative: negative, digits: Substring(parts.joined()), scale: scale))
        case 4:  // FLOAT
            return Float(text).map(ColumnValue.float) ?? .string(text)
        case 5:  // DOUBLE
            return Double(text).map(ColumnValue.double) ?? .string(text)
        case 16:  // BIT
            return .uint(bytes.reduce(0) { $0 << 8 | UInt64($1) })
        case 7, 10, 11, 12, 14, 17, 18, 19:  // temporal types print as MySQL text already
            return .string(text)
        default:
            if field.flags & setFlag != 0 { return .set(text.isEmpty ? [] : text.split(separator: ",").map(String.init)) }
            if field.flags & enumFlag != 0 { return .string(text) }
            if isJSON { return JSONCompactor.compact(text).map(ColumnValue.json) ?? .string(text) }
            if field.charset == UInt32(ColumnDefinition.binaryCollation) { return .bytes(bytes) }
            return .string(text)
        }
    }
}
