/// Decodes one column value from a rows event image, following the server's binary row format.
enum ValueDecoder {
    static func decode(_ column: ColumnDefinition, from reader: inout ByteReader,
                       options: ValueDecodingOptions = ValueDecodingOptions()) throws -> ColumnValue {
        switch column.type {
        case .tiny: return integer(try reader.uintLE(1, column.name), bytes: 1, unsigned: column.unsigned)
        case .short: return integer(try reader.uintLE(2, column.name), bytes: 2, unsigned: column.unsigned)
        case .int24: return integer(try reader.uintLE(3, column.name), bytes: 3, unsigned: column.unsigned)
        case .long: return integer(try reader.uintLE(4, column.name), bytes: 4, unsigned: column.unsigned)
        case .longlong: return integer(try reader.uintLE(8, column.name), bytes: 8, unsigned: column.unsigned)
        case .float: return .float(Float(bitPattern: UInt32(try reader.uintLE(4, column.name))))
        case .double: return .double(Double(bitPattern: try reader.uintLE(8, column.name)))
        case .newDecimal: return try decimal(column, from: &reader)
        case .year:
            let year = try reader.uint8(column.name)
            return .int(year == 0 ? 0 : 1900 + Int64(year))
        case .date: return .string(Temporal.date(packed: UInt32(try reader.uintLE(3, column.name))))
        case .time: return .string(Temporal.timeV1(try reader.uintLE(3, column.name)))
        case .time2: return .string(try Temporal.time2(&reader, precision: column.metadata))
        case .datetime: return .string(Temporal.datetimeV1(try reader.uint64(column.name)))
        case .datetime2: return .string(try Temporal.datetime2(&reader, precision: column.metadata))
        case .timestamp: return .string(Temporal.timestamp(seconds: try reader.uint32(column.name), micros: 0, precision: 0))
        case .timestamp2:
            let seconds = UInt32(try reader.uintBE(4, column.name))
            let micros = try Temporal.fraction(&reader, precision: column.metadata)
            return .string(Temporal.timestamp(seconds: seconds, micros: micros, precision: column.metadata))
        case .varchar, .varString:
            let length = Int(try reader.uintLE(column.metadata > 255 ? 2 : 1, column.name))
            return try text(column, try reader.take(length, column.name), options)
        case .string:
            let length = Int(try reader.uintLE(column.metadata > 255 ? 2 : 1, column.name))
            var bytes = try reader.take(length, column.name)
            if column.isBinary && options.binaryPadding == .padded && bytes.count < column.metadata {
                // BINARY(n) is logged without its trailing zero bytes; the stored value has all n.
                bytes = ArraySlice(Array(bytes) + Array(repeating: 0, count: column.metadata - bytes.count))
            }
            return try text(column, bytes, options)
        case .blob, .tinyBlob, .mediumBlob, .longBlob:
            let width = column.metadata == 0 ? 2 : column.metadata
            let length = Int(try reader.uintLE(width, column.name))
            return try text(column, try reader.take(length, column.name), options)
        case .geometry:
            let width = column.metadata == 0 ? 2 : column.metadata
            let length = Int(try reader.uintLE(width, column.name))
            return try ColumnText.geometry(try reader.take(length, column.name), column: column.name, options: options)
        case .enum:
            let index = Int(try reader.uintLE(max(1, column.metadata), column.name))
            return .string(index >= 1 && index <= column.values.count ? column.values[index - 1] : "")
        case .set:
            let bits = try reader.uintLE(max(1, column.metadata), column.name)
            return .set(column.values.indices.filter { $0 < 64 && bits & (1 << UInt64($0)) != 0 }.map { column.values[$0] })
        case .bit:
            let bytes = (column.metadata + 7) / 8
            return .uint(try reader.uintBE(max(1, bytes), column.name))
        case .null:
            return .null
        case .json:
            throw BinlogError.unsupported("MySQL binary JSON column `\(column.name)` (MariaDB's text JSON is supported)")
        case .decimal, .newdate:
            throw BinlogError.unsupported("pre-5.0 column type \(column.type) of column `\(column.name)`")
        }
    }

    private static func integer(_ raw: UInt64, bytes: Int, unsigned: Bool) -> ColumnValue {
        if unsigned { return .uint(raw) }
        let shift = UInt64(64 - 8 * bytes)
        return .int(Int64(bitPattern: raw << shift) >> Int64(shift))
    }

    private static func text(_ column: ColumnDefinition, _ bytes: ArraySlice<UInt8>,
                             _ options: ValueDecodingOptions) throws -> ColumnValue {
        if column.isBinary { return .bytes(Array(bytes)) }
        return try ColumnText.value(bytes, collation: column.collation, column: column.name, isJSON: column.isJSON,
                                    options: options)
    }

    private static let digitsToBytes = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4]

    /// MySQL's packed DECIMAL: groups of 9 digits in 4 big-endian bytes, sign in the top bit, negatives inverted.
    static func decimal(_ column: ColumnDefinition, from reader: inout ByteReader) throws -> ColumnValue {
        let precision = column.metadata >> 8
        let scale = column.metadata & 0xFF
        guard precision >= scale, precision <= 65 else {
            throw BinlogError.malformed("DECIMAL(\(precision),\(scale)) of column `\(column.name)`")
        }
        let integerDigits = precision - scale
        let (integerGroups, integerRest) = (integerDigits / 9, integerDigits % 9)
        let (fractionGroups, fractionRest) = (scale / 9, scale % 9)
        let size = integerGroups * 4 + digitsToBytes[integerRest] + fractionGroups * 4 + digitsToBytes[fractionRest]
        var raw = try reader.takeArray(size, column.name)
        guard !raw.isEmpty else { return .decimal("0") }
        let negative = raw[0] & 0x80 == 0
        raw[0] ^= 0x80
        if negative { for index in raw.indices { raw[index] ^= 0xFF } }
        var groups = ByteReader(raw)
        var digits = ""
        digits.reserveCapacity(precision + 1)
        func append(_ width: Int, digits count: Int) throws {
            let value = try groups.uintBE(width, "decimal digits of `\(column.name)`")
            let text = String(value)
            guard text.count <= count else {
                throw BinlogError.malformed("DECIMAL group \(value) of column `\(column.name)` has more than \(count) digits")
            }
            digits += String(repeating: "0", count: count - text.count) + text
        }
        if integerRest > 0 { try append(digitsToBytes[integerRest], digits: integerRest) }
        for _ in 0..<integerGroups { try append(4, digits: 9) }
        for _ in 0..<fractionGroups { try append(4, digits: 9) }
        if fractionRest > 0 { try append(digitsToBytes[fractionRest], digits: fractionRest) }
        return .decimal(JavaFormat.bigDecimal(negative: negative, digits: Substring(digits), scale: scale))
    }
}
