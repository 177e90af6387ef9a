/// One transaction the shop's application commits: what it is for (named in errors and in `--dump-sql`)
/// and its statements, each a single line of SQL without the trailing semicolon.
struct SQLTransaction: Sendable, Equatable {
    var purpose: String
    var statements: [String]
}

/// SQL literals for the statements the simulator writes.
enum SQLLiteral {
    /// A quoted string with quotes and backslashes escaped (MariaDB's default sql_mode), or NULL.
    static func string(_ value: String?) -> String {
        guard let value else { return "NULL" }
        var quoted = "'"
        for character in value {
            switch character {
            case "'": quoted += "\\'"
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            default: quoted.append(character)
            }
        }
        return quoted + "'"
    }

    static func dateTime(_ value: ShopDateTime?) -> String {
        value.map { "'\($0)'" } ?? "NULL"
    }

    static func date(_ value: CivilDate?) -> String {
        value.map { "'\($0)'" } ?? "NULL"
    }

    /// A DECIMAL(…,2) value, exact.
    static func decimal(_ value: Cents) -> String {
        value.description
    }
}
