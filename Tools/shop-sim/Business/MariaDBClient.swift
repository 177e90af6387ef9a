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
    /// With `marker`, each transaction also records its number in `shop_sim.progress` (see
    /// `commitSurvivingRestarts`); `firstNumber` is the number of `transactions[0]`.
    /// With `rate`, at most that many transactions per second are sent.
    func commit(_ transactions: [SQLTransaction], firstNumber: Int = 0, marker: String? = nil, rate: Int? = nil,
                progress: ProgressDisplay) throws(ShopDatabaseError) {
        let started = Date()
        let statements = transactions.map(\.statements.count)
        let committed = Mutex(0)
        let client = try ClientProcess(database: database, purpose: "sending the business traffic") { line in
            // Each transaction ends with `SELECT <number>`, answered once it committed.
            guard let number = Int(line), statements.indices.contains(number - firstNumber) else { return }
            let index = number - firstNumber
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
            if let marker {
                buffer += "INSERT INTO shop_sim.progress VALUES ('\(marker)', \(firstNumber + index)) "
                    + "ON DUPLICATE KEY UPDATE done = VALUES(done);\n"
                line += 1
            }
            buffer += "COMMIT;\nSELECT \(firstNumber + index);\n"
            line += transaction.statements.count + 3
            if let rate {
                // Paced: each transaction goes out at its time.
                guard client.write(buffer) else { break }
                buffer = ""
                let due = started.addingTimeInterval(Double(index + 1) / Double(rate))
                if due > Date() { Thread.sleep(until: due) }
                continue
            }
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

    /// Like `commit`, but a server that goes away (a restart) is waited for, up to `giveUpAfter`, and the
    /// commit goes on after the last transaction that committed: each transaction records its number in
    /// `shop_sim.progress` under `run` within itself, so none is committed twice and none is skipped.
    func commitSurvivingRestarts(_ transactions: [SQLTransaction], run: String, rate: Int?, progress: ProgressDisplay,
                                 giveUpAfter: Duration) throws(ShopDatabaseError) {
        try retryingLostConnections(giveUpAfter) { () throws(ShopDatabaseError) in
            _ = try query("CREATE DATABASE IF NOT EXISTS shop_sim", purpose: "creating the progress table")
            _ = try query("CREATE TABLE IF NOT EXISTS shop_sim.progress (run VARCHAR(64) PRIMARY KEY, done INT NOT NULL)",
                          purpose: "creating the progress table")
        }
        var next = 0
        while next < transactions.count {
            do {
                try commit(Array(transactions[next...]), firstNumber: next, marker: run, rate: rate, progress: progress)
                return
            } catch where Self.isLostConnection(error) {
                ShopSimCommand.say("the shop database went away (\(error.detail)); resuming after its last committed transaction")
                let rows = try retryingLostConnections(giveUpAfter) { () throws(ShopDatabaseError) in
                    try query("SELECT done FROM shop_sim.progress WHERE run = '\(run)'", purpose: "reading the progress")
                }
                next = rows.first?.first.flatMap { $0.flatMap { Int($0) } }.map { $0 + 1 } ?? 0
            }
        }
    }

    /// Runs `work` again while the server cannot be reached, for at most `giveUpAfter`.
    func retryingLostConnections<T>(_ giveUpAfter: Duration,
                                    _ work: () throws(ShopDatabaseError) -> T) throws(ShopDatabaseError) -> T {
        let deadline = ContinuousClock.now + giveUpAfter
        while true {
            do {
                return try work()
            } catch where Self.isLostConnection(error) && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    /// The client could not reach the server, or lost it (2002, 2003: cannot connect; 2006, 2013: gone away, lost).
    static func isLostConnection(_ error: ShopDatabaseError) -> Bool {
        ["ERROR 2002", "ERROR 2003", "ERROR 2006", "ERROR 2013"].contains { error.detail.contains($0) }
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
