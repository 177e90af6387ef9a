import Synchronization

/// Which columns hold JSON, per table: MariaDB logs JSON columns as LONGTEXT, so this asks
/// `information_schema.CHECK_CONSTRAINTS` for `json_valid(col)` checks, once per table until `invalidate()`.
final class JSONColumnCatalog: Sendable {
    private let lookup: @Sendable (String, String) -> Set<String>
    private let cache = Mutex<[String: Set<String>]>([:])

    /// `lookup(database, table)` returns the JSON column names of one table.
    init(lookup: @escaping @Sendable (String, String) -> Set<String>) {
        self.lookup = lookup
    }

    func jsonColumns(database: String, table: String) -> Set<String> {
        let key = "\(database).\(table)"
        if let known = cache.withLock({ $0[key] }) { return known }
        let columns = lookup(database, table)
        cache.withLock { $0[key] = columns }
        return columns
    }

    /// Forgets every table, after DDL.
    func invalidate() { cache.withLock { $0.removeAll() } }

    /// Column names out of check clauses like "json_valid(`attrs`)".
    static func columns(fromCheckClauses clauses: [String]) -> Set<String> {
        var names = Set<String>()
        for clause in clauses {
            let compact = clause.filter { !$0.isWhitespace }.lowercased()
            guard compact.hasPrefix("json_valid(`"), compact.hasSuffix("`)") else { continue }
            let original = clause.filter { !$0.isWhitespace }
            let start = original.index(original.startIndex, offsetBy: "json_valid(`".count)
            let end = original.index(original.endIndex, offsetBy: -2)
            if start < end { names.insert(String(original[start..<end])) }
        }
        return names
    }
}
