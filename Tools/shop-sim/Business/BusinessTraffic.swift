import Foundation

/// The business part of a run: simulates the shop's transactions, writes them as SQL (`--dump-sql`),
/// commits them to the shop database (`--shop-db`), then writes the expected answers
/// (`--business-expected`): from SQL queries against the final database, checked against the
/// simulation's own account; without a database (a dry run), from the simulation's account alone.
struct BusinessTraffic: Sendable {
    let settings: BusinessSettings
    /// Where to commit the traffic; nil: nowhere.
    let database: ShopDatabase?
    let dumpSQL: String?
    let expectedFile: String?
    /// Wait out a database that goes away (a restart) for this long, resuming where it stopped; nil: fail.
    var surviveRestartsFor: Duration? = nil
    /// At most this many transactions per second; nil: as fast as the database takes them.
    var rate: Int? = nil

    func run() async throws {
        let began = ContinuousClock.now
        let outcome = BusinessSimulation.run(settings)
        let transactions = outcome.transactions
        let statements = transactions.reduce(0) { $0 + $1.statements.count }
        let summary = outcome.summary
        ShopSimCommand.say("simulated the shop's business over \(settings.days) day\(settings.days == 1 ? "" : "s") from "
            + "\(settings.startDate) in \(ShopSimCommand.seconds(ContinuousClock.now - began)) s: "
            + "\(transactions.count) transactions, \(statements) statements; \(summary.usersRegistered) users registered, "
            + "\(summary.profileChanges) profile changes, \(summary.ordersPlaced) orders with \(summary.linesPlaced) lines, "
            + "\(summary.payments) paid, \(summary.cancellations) cancelled, \(summary.finished) finished, "
            + "\(summary.refundsRequested)/\(summary.refundsCompleted) refunds requested/completed, "
            + "\(summary.linesRemoved) lines removed, \(summary.ordersDeleted) orders deleted, \(summary.skusRenamed) SKUs "
            + "renamed, \(summary.skusAdded) added"
            + summary.skusSoldBeforeInsert.map { " (SKU \($0.sku) sold by order \($0.order) before its row)" }.joined())
        if let dumpSQL {
            try ShopSimCommand.write(Array(Self.script(transactions).utf8), to: dumpSQL)
        }
        let ownAnswers = BusinessAnswers(state: outcome.finalState, dates: settings.dates)
        guard let database else {
            if let expectedFile {
                try ShopSimCommand.write(ownAnswers.json, to: expectedFile)
                ShopSimCommand.say("business expected answers (by the simulation's account; no database) in \(expectedFile)")
            }
            return
        }

        let client = MariaDBClient(database: database)
        let initialUsers = settings.initialUsers
        let patience = surviveRestartsFor
        /// Runs `work` once, or (surviving restarts) again while the database cannot be reached.
        @Sendable func reaching<T>(_ work: () throws(ShopDatabaseError) -> T) throws(ShopDatabaseError) -> T {
            guard let patience else { return try work() }
            return try client.retryingLostConnections(patience, work)
        }
        try await Self.offPool { () throws(ShopDatabaseError) in
            try reaching { () throws(ShopDatabaseError) in try ShopDatabaseCheck.verify(client, initialUsers: initialUsers) }
        }
        let progress = ProgressDisplay(units: .statements, totalItems: statements, totalBatches: transactions.count)
        let display = Task { await progress.run() }
        do {
            let (run, rate) = ("\(settings.seed)-\(UInt32.random(in: 0...UInt32.max))", rate)
            try await Self.offPool { () throws(ShopDatabaseError) in
                if let patience {
                    try client.commitSurvivingRestarts(transactions, run: run, rate: rate, progress: progress, giveUpAfter: patience)
                } else {
                    try client.commit(transactions, rate: rate, progress: progress)
                }
            }
        } catch {
            display.cancel()
            progress.finish(completed: false)
            throw error
        }
        display.cancel()
        progress.finish(completed: true)

        let dates = settings.dates
        let answers = try await Self.offPool { () throws(ShopDatabaseError) in
            try reaching { () throws(ShopDatabaseError) in try BusinessAnswers(querying: client, dates: dates) }
        }
        if let expectedFile {
            try ShopSimCommand.write(answers.json, to: expectedFile)
            ShopSimCommand.say("business expected answers (SQL against the final database) in \(expectedFile)")
        }
        let differences = answers.differences(from: ownAnswers)
        guard differences.isEmpty else {
            throw ShopSimError(description: "the final database's answers differ from the simulation's own account "
                + "(a bug in the simulator, or someone else wrote to the database): "
                + differences.prefix(10).joined(separator: "; "))
        }
    }

    /// The transactions as a SQL script, each after a comment naming it (for `--dump-sql`; load it with
    /// `mariadb --database=gmall`).
    static func script(_ transactions: [SQLTransaction]) -> String {
        var text = ""
        for (index, transaction) in transactions.enumerated() {
            text += "-- \(index + 1): \(transaction.purpose)\nSTART TRANSACTION;\n"
            for statement in transaction.statements { text += statement + ";\n" }
            text += "COMMIT;\n"
        }
        return text
    }

    /// Runs blocking work (the database client) on a thread of its own, off Swift's cooperative threads.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws(ShopDatabaseError) -> T) async throws(ShopDatabaseError) -> T {
        let result: Result<T, ShopDatabaseError> = await withCheckedContinuation { continuation in
            Thread {
                do throws(ShopDatabaseError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }.start()
        }
        return try result.get()
    }
}
