/// Converts a value of the text protocol (a SELECT result) into the same `ColumnValue` the binlog decoder
/// yields for that column, so that bootstrap rows print exactly like live rows. The connection must send
/// values unconverted (`character_set_results = NULL`), so that text arrives in the column's own character
/// set and is decoded by the same code as the binlog's.
enum TextValue {
    // enum_field_types and field flags of the client protocol.
    private static let unsignedFlag: UInt32 = 32, enumFlag: UInt32 = 256, setFlag: UInt32 = 2048
    /// MYSQL_TYPE_STRING: CHAR and BINARY (VARCHAR and VARBINARY are MYSQL_TYPE_VAR_STRING).
    private static let binaryType: UInt32 = 254

    static func convert(_ bytes: [UInt8]?, field: BinlogConnection.ResultField, isJSON: Bool,
                        options: ValueDecodingOptions) throws -> ColumnValue {
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
        case 255:  // GEOMETRY: the same SRID + WKB bytes as in the binlog
            return try ColumnText.geometry(bytes, column: field.name, options: options)
        default:
            if field.charset == UInt32(ColumnDefinition.binaryCollation) && field.flags & (setFlag | enumFlag) == 0 {
                if field.type == binaryType && options.binaryPadding == .maxwell {
                    // BINARY(n): as the binlog logs it, without trailing zero bytes.
                    return .bytes(Array(bytes[..<(bytes.lastIndex { $0 != 0 }.map { $0 + 1 } ?? 0)]))
                }
                return .bytes(bytes)
            }
            let value = try ColumnText.value(bytes, collation: Int(field.charset), column: field.name, isJSON: isJSON,
                                             options: options)
            if field.flags & setFlag != 0, case .string(let members) = value {
                return .set(members.isEmpty ? [] : members.split(separator: ",").map(String.init))
            }
            return value
        }
    }
}
