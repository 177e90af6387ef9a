/// One row change read from `ods.db`, in Maxwell's format (`database`, `table`, `type`, `data`, `position`, ...),
/// reduced to what the business stream needs: which row, what it became, and the change's version.
public struct MaxwellChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case insert, update, delete
        /// A row of a snapshot (`bootstrap-insert`): fills gaps, never overrides a binlog change.
        case bootstrapInsert = "bootstrap-insert"
    }

    public var database: String
    public var table: String
    public var kind: Kind
    /// The row after the change (for a delete: the row that was deleted).
    public var row: ShopRow
    /// `SourceVersion` of the change's binlog position; `SourceVersion.bootstrap` for snapshot rows.
    public var version: Int64

    public init(database: String, table: String, kind: Kind, row: ShopRow, version: Int64) {
        self.database = database
        self.table = table
        self.kind = kind
        self.row = row
        self.version = version
    }

    /// The change in `value`, nil for records that change no row (`bootstrap-start`, `bootstrap-complete`,
    /// DDL). Throws for a record that is not Maxwell's format. Parse messages with `numbers: .exact` so that
    /// DECIMAL values stay exact.
    public static func read(_ value: JSONValue) throws(ShopRowError) -> MaxwellChange? {
        guard case .object(let record) = value else { throw ShopRowError(field: "record", problem: "is not a JSON object") }
        guard let type = record["type"]?.stringValue else { throw ShopRowError(field: "type", problem: "is missing") }
        guard let kind = Kind(rawValue: type) else {
            if type.hasPrefix("bootstrap-") || type.hasPrefix("table-") || type.hasPrefix("database-") { return nil }
            throw ShopRowError(field: "type", problem: "is not a row change: \(type)")
        }
        guard let database = record["database"]?.stringValue, let table = record["table"]?.stringValue else {
            throw ShopRowError(field: "database/table", problem: "is missing")
        }
        guard case .object(let data)? = record["data"] else { throw ShopRowError(field: "data", problem: "is missing") }
        let version: Int64
        if kind == .bootstrapInsert {
            version = SourceVersion.bootstrap
        } else {
            guard let position = record["position"]?.stringValue else {
                throw ShopRowError(field: "position", problem: "is missing")
            }
            guard let derived = SourceVersion.of(position: position) else {
                throw ShopRowError(field: "position", problem: "is not a binlog position (file.NNNNNN:offset): \(position)")
            }
            version = derived
        }
        return MaxwellChange(database: database, table: table, kind: kind, row: ShopRow(data), version: version)
    }
}
