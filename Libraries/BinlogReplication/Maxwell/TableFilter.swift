/// Which tables reach the output: `database.table` patterns with `*` wildcards. A table is included when it
/// matches no exclude pattern and, if include patterns are given, at least one of them. The server's own
/// schemas (`mysql`, `information_schema`, `performance_schema`, `sys`) are always excluded.
public struct TableFilter: Sendable, Equatable {
    public var include: [String]
    public var exclude: [String]

    public static let systemDatabases: Set<String> = ["mysql", "information_schema", "performance_schema", "sys"]

    /// Patterns like `shop.*`, `shop.order_*` or `*.tmp`; a bare `shop` means `shop.*`. Default: everything.
    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include.map(Self.normalise)
        self.exclude = exclude.map(Self.normalise)
    }

    public func includes(database: String, table: String) -> Bool {
        if Self.systemDatabases.contains(database.lowercased()) { return false }
        let name = "\(database).\(table)"
        if exclude.contains(where: { Self.matches(pattern: $0, name) }) { return false }
        return include.isEmpty || include.contains { Self.matches(pattern: $0, name) }
    }

    private static func normalise(_ pattern: String) -> String {
        pattern.contains(".") ? pattern : pattern + ".*"
    }

    /// Glob match with `*` for any run of characters.
    static func matches(pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.utf8), text = Array(text.utf8)
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == text[t] {
                p += 1; t += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
