/// One column of a table as its TABLE_MAP event describes it.
public struct ColumnDefinition: Sendable, Equatable {
    /// The column's name; empty when the server logs no column names (`binlog_row_metadata` below FULL).
    public var name: String
    /// The type after resolving CHAR/ENUM/SET, which share a type code in the TABLE_MAP.
    public var type: FieldType
    /// The type's metadata, normalised: max byte length (CHAR/VARCHAR), length-prefix size (BLOB),
    /// fractional digits (TIME2/DATETIME2/TIMESTAMP2), precision << 8 | scale (DECIMAL), bit count (BIT),
    /// storage bytes (ENUM/SET, FLOAT/DOUBLE).
    public var metadata: Int
    public var nullable: Bool
    /// True for UNSIGNED numeric columns.
    public var unsigned: Bool
    /// The collation id of a character column (63 means binary), nil when not logged.
    public var collation: Int?
    /// The allowed values of an ENUM or SET column, in definition order.
    public var values: [String]
    /// True when the column holds JSON (MariaDB stores JSON as LONGTEXT; see `TableMap.markingJSON`).
    public var isJSON: Bool

    public init(name: String, type: FieldType, metadata: Int = 0, nullable: Bool = true, unsigned: Bool = false,
                collation: Int? = nil, values: [String] = [], isJSON: Bool = false) {
        self.name = name
        self.type = type
        self.metadata = metadata
        self.nullable = nullable
        self.unsigned = unsigned
        self.collation = collation
        self.values = values
        self.isJSON = isJSON
    }

    /// The collation id MySQL and MariaDB use for binary strings.
    public static let binaryCollation = 63

    /// True when the column's bytes are binary rather than text: BINARY, VARBINARY, BLOB, or text with
    /// the binary collation. A BLOB-type column without a logged collation counts as binary.
    public var isBinary: Bool {
        if let collation { return collation == Self.binaryCollation }
        switch type {
        case .blob, .tinyBlob, .mediumBlob, .longBlob, .geometry: return true
        default: return false
        }
    }
}
