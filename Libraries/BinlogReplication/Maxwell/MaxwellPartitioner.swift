/// Chooses a Kafka partition for a record as Maxwell does: a partition key string, then
/// `abs(key.hashCode() % partitions)` with Java's `String.hashCode`.
public struct MaxwellPartitioner: Sendable {
    /// What to use when a table's partition columns are all NULL or missing (Maxwell's
    /// `producer_partition_by_fallback`).
    public enum Fallback: String, Sendable {
        case database, table
        case primaryKey = "primary_key"
    }

    /// Partition columns per table, keyed `database.table` or just `table`; other tables go by primary key.
    public var columnsByTable: [String: [String]]
    /// Default `.primaryKey`.
    public var fallback: Fallback

    public init(columnsByTable: [String: [String]] = [:], fallback: Fallback = .primaryKey) {
        self.columnsByTable = columnsByTable
        self.fallback = fallback
    }

    /// The string Maxwell hashes for `record`.
    public func partitionKey(for record: MaxwellRecord) -> String {
        guard let columns = columnsByTable["\(record.database).\(record.table)"] ?? columnsByTable[record.table] else {
            return Self.primaryKeyString(record)
        }
        let key = columns.compactMap { record.value(of: $0)?.javaString }.joined()
        if !key.isEmpty { return key }
        switch fallback {
        case .database: return record.database
        case .table: return record.table
        case .primaryKey: return Self.primaryKeyString(record)
        }
    }

    /// The partition in `0..<partitions` for `record` (`partitions` must be positive).
    public func partition(for record: MaxwellRecord, partitions: Int32) -> Int32 {
        Self.partition(forKey: partitionKey(for: record), partitions: partitions)
    }

    /// Maxwell's `abs(hashCode % partitions)`.
    public static func partition(forKey key: String, partitions: Int32) -> Int32 {
        abs(JavaFormat.hashCode(key) % max(1, partitions))
    }

    /// Maxwell's `pkAsConcatString`: the primary key values concatenated; `database + table` without a key.
    static func primaryKeyString(_ record: MaxwellRecord) -> String {
        if record.primaryKey.isEmpty { return record.database + record.table }
        let key = record.primaryKey.compactMap { record.value(of: $0)?.javaString }.joined()
        return key.isEmpty ? "None" : key
    }
}
