import Foundation
import Synchronization

/// Runs SQL in the shop database through the `mariadb` command-line client: queries that return rows, and
/// the simulation's transactions streamed to one client session. Blocking: call it off Swift's cooperative
/// threads.
struct MariaDBClient: Sendable {
    let database: ShopDatabase

    /// The rows of `sql` (one statement), each a list of column values, nil for NULL.
    func query(_ sql: String, purpose: String) throws(ShopDatabaseError) -> [[String?]] {
        let lines = Mutex<[String]>([])
        let client = try ClientProcess(database: database, purpose: purpose) { line in
            lines.withLock { $0.append(String(line)) }
        }
        _ = client.write(sql + ";\n")
        let (status, errors) = client.finish()
        guard status == 0 else { throw Self.failure(purpose: purpose, status: status, errors: errors) }
        return lines.withLock { $0 }.map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map { field in
                field == "NULL" ? nil : Self.unescape(field)
            }
        }
    }

    /// Commits `transactions` in order in one session; each transaction's end is reported to `progress`.
    /// Stops at the first failing statement (the client rolls its transaction back) and names the
    /// transaction's purpose and the database's error.
    func commit(_ transactions: [SQLTransaction], progress: ProgressDisplay) throws(ShopDatabaseError) {
        let statements = transactions.map(\.statements.count)
        let committed = Mutex(0)
        let client = try ClientProcess(database: database, purpose: "sending the business traffic") { line in
            // Each transaction ends with `SELECT <index>`, answered once it committed.
            guard let index = Int(line), statements.indices.contains(index) else { return }
            committed.withLock { $0 = index + 1 }
            progress.batchDone(items: statements[index])
        }
        var firstLines: [Int] = []   // the line of the client's input on which each transaction starts
        var line = 1
        var buffer = ""
        for (index, transaction) in transactions.enumerated() {
            firstLines.append(line)
            buffer += "START TRANSACTION;\n"
            for statement in transaction.statements { buffer += statement + ";\n" }
            buffer += "COMMIT;\nSELECT \(index);\n"
            line += transaction.statements.count + 3
            if buffer.utf8.count >= 65_536 || index == transactions.count - 1 {
                guard client.write(buffer) else { break }
                buffer = ""
            }
        }
        let (status, errors) = client.finish()
        guard status != 0 else { return }
        // The client names the input line of the failing statement: "ERROR 1062 (23000) at line 57: ...".
        var purpose = "sending the business traffic (\(committed.withLock { $0 }) of \(transactions.count) transactions committed)"
        if let failedLine = Self.errorLine(in: errors),
           let index = firstLines.lastIndex(where: { $0 <= failedLine }) {
            purpose = "transaction \(index + 1) of \(transactions.count), \(transactions[index].purpose)"
        }
        throw Self.failure(purpose: purpose, status: status, errors: errors)
    }

    private static func failure(purpose: String, status: Int32, errors: String) -> ShopDatabaseError {
        let message = errors.split(separator: "\n").filter { !$0.hasPrefix("-----") }.suffix(3).joined(separator: " ")
        var detail = "mariadb exited with status \(status): \(message.isEmpty ? "(no message)" : message)"
        if message.contains("ERROR 2002") || message.contains("ERROR 2003") || message.contains("ERROR 2005") {
            detail += " -- is the database running (scripts/stack.sh start)?"
        } else if message.contains("ERROR 1049") || message.contains("ERROR 1146") || message.contains("ERROR 1054") {
            detail += " -- load scripts/shop-schema.sql (scripts/stack.sh start does)"
        } else if message.contains("ERROR 1045") {
            detail += " -- check --shop-db-user and --shop-db-password-file"
        }
        return ShopDatabaseError(purpose: purpose, detail: detail)
    }

    private static func errorLine(in errors: String) -> Int? {
        guard let range = errors.range(of: " at line ") else { return nil }
        return Int(errors[range.upperBound...].prefix { $0.isNumber })
    }

    /// Undoes the batch mode's escapes: `\t`, `\n`, `\\`, `\0`.
    private static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var text = ""
        var escaped = false
        for character in field {
            if escaped {
                switch character {
                case "t": text.append("\t")
                case "n": text.append("\n")
                case "0": text.append("\0")
                default: text.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                text.append(character)
            }
        }
        return text
    }
}
