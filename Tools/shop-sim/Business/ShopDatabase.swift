import Foundation

/// Where the shop's MariaDB is and how to log in (`--shop-db`, `--shop-db-user`, `--shop-db-password-file`);
/// the simulator always uses database `gmall`.
struct ShopDatabase: Sendable {
    static let databaseName = "gmall"

    var host: String
    var port: Int
    var user: String
    var password: String?

    /// Parses `host:port` (IPv6 hosts in brackets: `[::1]:3306`); nil when malformed.
    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { return nil }
        return (host, port)
    }

    /// Reads the password from the first line of `path` (a trailing newline is not part of it).
    static func password(fromFile path: String) throws(ShopDatabaseError) -> String {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        } catch {
            throw ShopDatabaseError(purpose: "reading --shop-db-password-file", detail: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// The `mariadb` client's arguments: no option files, batch mode (tab-separated, no column names),
    /// unbuffered so that each answer arrives as soon as its statement ran.
    var clientArguments: [String] {
        ["--no-defaults", "--host=\(host)", "--port=\(port)", "--user=\(user)", "--batch", "--skip-column-names",
         "--unbuffered", "--database=\(Self.databaseName)"]
    }

    /// The client's environment: ours, with the password in `MYSQL_PWD` (kept off the command line, which
    /// other users can see).
    var clientEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["MYSQL_PWD"] = password
        return environment
    }
}
