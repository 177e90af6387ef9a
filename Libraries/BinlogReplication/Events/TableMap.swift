/// TABLE_MAP: binds a table id to a table's name and column layout for the rows events that follow.
public struct TableMap: Sendable, Equatable {
    public var tableID: UInt64
    public var database: String
    public var table: String
    public var columns: [ColumnDefinition]
    /// Indexes into `columns` of the primary key, in key order; empty when the table has none or it was not logged.
    public var primaryKey: [Int]
    /// True when the event carried column names (the server runs with `binlog_row_metadata=FULL`).
    public var hasColumnNames: Bool

    public init(tableID: UInt64, database: String, table: String, columns: [ColumnDefinition],
                primaryKey: [Int] = [], hasColumnNames: Bool = true) {
        self.tableID = tableID
        self.database = database
        self.table = table
        self.columns = columns
        self.primaryKey = primaryKey
        self.hasColumnNames = hasColumnNames
    }

    /// The names of the primary key columns, in key order.
    public var primaryKeyNames: [String] { primaryKey.map { columns[$0].name } }

    /// A copy whose columns named in `names` are treated as JSON: MariaDB logs JSON columns as LONGTEXT,
    /// so which columns hold JSON comes from the schema (`CHECK (json_valid(col))`).
    public func markingJSON(_ names: Set<String>) -> TableMap {
        guard !names.isEmpty else { return self }
        var copy = self
        for index in copy.columns.indices where names.contains(copy.columns[index].name) {
            copy.columns[index].isJSON = true
        }
        return copy
    }
}

extension TableMap {
    /// Optional metadata field types (MySQL 8.0 / MariaDB 10.5 `binlog_row_metadata`).
    private enum OptionalField: UInt8 {
        case signedness = 1, defaultCharset, columnCharset, columnName, setValues, enumValues, geometryType,
             simplePrimaryKey, primaryKeyWithPrefix, enumAndSetDefaultCharset, enumAndSetColumnCharset,
             columnVisibility
    }

    /// Decodes the body of a TABLE_MAP event (after the common header), `tableIDSize` bytes of table id first.
    init(reading reader: inout ByteReader, tableIDSize: Int) throws {
        tableID = try reader.uintLE(tableIDSize, "table id")
        _ = try reader.uint16("table map flags")
        let databaseLength = Int(try reader.uint8("database name length"))
        database = String(decoding: try reader.take(databaseLength, "database name"), as: UTF8.self)
        try reader.skip(1, "database name terminator")
        let tableLength = Int(try reader.uint8("table name length"))
        table = String(decoding: try reader.take(tableLength, "table name"), as: UTF8.self)
        try reader.skip(1, "table name terminator")
        let count = try reader.lengthEncodedCount("column count")
        let typeCodes = try reader.takeArray(count, "column types")
        let metadataLength = try reader.lengthEncodedCount("column metadata length")
        var metadataReader = ByteReader(try reader.takeArray(metadataLength, "column metadata"))
        let nullBits = try reader.takeArray((count + 7) / 8, "null bitmap")

        var columns: [ColumnDefinition] = []
        columns.reserveCapacity(count)
        for index in 0..<count {
            guard let declared = FieldType(rawValue: typeCodes[index]) else {
                throw BinlogError.unsupported("column type code \(typeCodes[index]) in \(database).\(table)")
            }
            let (type, metadata) = try Self.readMetadata(declared, from: &metadataReader)
            let nullable = nullBits[index / 8] & (1 << (index % 8)) != 0
            columns.append(ColumnDefinition(name: "", type: type, metadata: metadata, nullable: nullable))
        }
        primaryKey = []
        hasColumnNames = false
        self.columns = columns
        try readOptionalMetadata(&reader)
    }

    /// Reads one column's metadata and resolves the real type of STRING columns (CHAR, ENUM, SET).
    private static func readMetadata(_ type: FieldType, from reader: inout ByteReader) throws -> (FieldType, Int) {
        switch type {
        case .float, .double, .blob, .tinyBlob, .mediumBlob, .longBlob, .geometry, .json,
             .timestamp2, .datetime2, .time2:
            return (type, Int(try reader.uint8("metadata of \(type)")))
        case .varchar, .varString:
            return (type, Int(try reader.uint16("varchar metadata")))
        case .bit:
            let bits = Int(try reader.uint8("bit metadata"))
            let bytes = Int(try reader.uint8("bit metadata"))
            return (type, bytes * 8 + bits)
        case .newDecimal, .decimal:
            let precision = Int(try reader.uint8("decimal precision"))
            let scale = Int(try reader.uint8("decimal scale"))
            return (type, precision << 8 | scale)
        case .string, .enum, .set:
            let first = Int(try reader.uint8("string metadata"))
            let second = Int(try reader.uint8("string metadata"))
            // CHAR longer than 255 bytes folds two length bits into the real-type byte.
            if first & 0x30 != 0x30, first != 0 {
                let realType = FieldType(rawValue: UInt8(first | 0x30)) ?? .string
                return (realType, second | (((first & 0x30) ^ 0x30) << 4))
            }
            switch FieldType(rawValue: UInt8(first)) {
            case .enum?: return (.enum, second)
            case .set?: return (.set, second)
            default: return (.string, second)
            }
        default:
            return (type, 0)
        }
    }

    private mutating func readOptionalMetadata(_ reader: inout ByteReader) throws {
        let numeric = columns.indices.filter { columns[$0].type.isNumeric }
        let character = columns.indices.filter { columns[$0].type.isCharacter }
        let enumOrSet = columns.indices.filter { columns[$0].type == .enum || columns[$0].type == .set }
        let sets = columns.indices.filter { columns[$0].type == .set }
        let enums = columns.indices.filter { columns[$0].type == .enum }
        // ENUM and SET values are logged in the column's character set, which may come later.
        var rawValues: [Int: [ArraySlice<UInt8>]] = [:]

        while !reader.isAtEnd {
            let code = try reader.uint8("optional metadata type")
            let length = try reader.lengthEncodedCount("optional metadata length")
            var field = ByteReader(try reader.takeArray(length, "optional metadata field \(code)"))
            switch OptionalField(rawValue: code) {
            case .signedness?:
                for (position, index) in numeric.enumerated() {
                    guard position / 8 < field.bytes.count else { break }
                    columns[index].unsigned = field.bytes[position / 8] & (0x80 >> (position % 8)) != 0
                }
            case .defaultCharset?:
                try readDefaultCharset(&field, into: character)
            case .columnCharset?:
                try readColumnCharsets(&field, into: character)
            case .enumAndSetDefaultCharset?:
                try readDefaultCharset(&field, into: enumOrSet)
            case .enumAndSetColumnCharset?:
                try readColumnCharsets(&field, into: enumOrSet)
            case .columnName?:
                for index in columns.indices {
                    columns[index].name = try field.lengthEncodedString("column name")
                }
                hasColumnNames = true
            case .setValues?:
                try readValues(&field, into: sets, &rawValues)
            case .enumValues?:
                try readValues(&field, into: enums, &rawValues)
            case .simplePrimaryKey?:
                while !field.isAtEnd {
                    primaryKey.append(try validColumn(field.lengthEncodedCount("primary key column")))
                }
            case .primaryKeyWithPrefix?:
                while !field.isAtEnd {
                    primaryKey.append(try validColumn(field.lengthEncodedCount("primary key column")))
                    _ = try field.lengthEncoded("primary key prefix")
                }
            case .geometryType?, .columnVisibility?, nil:
                continue
            }
        }
        for (index, values) in rawValues {
            let column = columns[index]
            let charset = MySQLCharset.forColumn(collation: column.collation)
            columns[index].values = try values.map { bytes in
                guard let text = charset?.decode(bytes) else {
                    throw BinlogError.malformed("a value of ENUM/SET column `\(column.name)` of \(database).\(table) is not valid \(charset?.name ?? "text") (collation \(column.collation ?? 0))")
                }
                return text
            }
        }
    }

    private func validColumn(_ index: Int) throws -> Int {
        guard index < columns.count else {
            throw BinlogError.malformed("primary key column \(index) of \(database).\(table) beyond \(columns.count) columns")
        }
        return index
    }

    private mutating func readDefaultCharset(_ field: inout ByteReader, into indexes: [Int]) throws {
        let fallback = try field.lengthEncodedCount("default collation")
        for index in indexes { columns[index].collation = fallback }
        while !field.isAtEnd {
            let position = try field.lengthEncodedCount("charset column index")
            let collation = try field.lengthEncodedCount("charset column collation")
            guard position < indexes.count else { throw BinlogError.malformed("charset for column \(position) out of range") }
            columns[indexes[position]].collation = collation
        }
    }

    private mutating func readColumnCharsets(_ field: inout ByteReader, into indexes: [Int]) throws {
        for index in indexes where !field.isAtEnd {
            columns[index].collation = try field.lengthEncodedCount("column collation")
        }
    }

    private func readValues(_ field: inout ByteReader, into indexes: [Int],
                            _ values: inout [Int: [ArraySlice<UInt8>]]) throws {
        for index in indexes where !field.isAtEnd {
            let count = try field.lengthEncodedCount("value count")
            var columnValues: [ArraySlice<UInt8>] = []
            for _ in 0..<count {
                columnValues.append(try field.take(field.lengthEncodedCount("enum/set value length"), "enum/set value"))
            }
            values[index] = columnValues
        }
    }
}
