/// WRITE/UPDATE/DELETE_ROWS: the row images of one statement on one table.
public struct RowsEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case insert, update, delete
    }

    public var kind: Kind
    public var tableID: UInt64
    /// The table the rows belong to (its TABLE_MAP, with JSON columns marked if known).
    public var table: TableMap
    public var flags: UInt16
    /// The decoded rows; empty when the table was filtered out before decoding.
    public var rows: [RowChange]

    /// Set on the last rows event of a statement.
    public static let statementEndFlag: UInt16 = 0x0001
}

/// One changed row: `after` for inserts and updates, `before` for updates and deletes.
/// Each image has one entry per table column; nil marks a column the image does not include.
public struct RowChange: Sendable, Equatable {
    public var before: [ColumnValue?]?
    public var after: [ColumnValue?]?

    public init(before: [ColumnValue?]?, after: [ColumnValue?]?) {
        self.before = before
        self.after = after
    }
}
