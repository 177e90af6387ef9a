import ArgumentParser
import Foundation
import PipelineCore

/// `shop-sim`: simulates the behaviour logs of an online shop's devices, sends them to log-ingest and
/// writes the answers the pipeline must then give; with `--shop-db`, also the shop's business traffic
/// (orders, users, SKUs) written into its MariaDB, and the answers for it.
@main
struct ShopSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shop-sim",
        abstract: "Simulate shop devices' behaviour logs and the shop's business traffic, and write the expected answers.",
        discussion: """
            The events (gmall mock-log format) are deterministic for a seed. About 10% carry no event_id, about \
            5% are sent twice in different requests (client retries), and all are shuffled, so event times arrive \
            out of order. Requests alternate JSON arrays and NDJSON; every third is gzip-compressed.

            With --shop-db (after the events, or alone with --skip-events), the shop's business traffic over the \
            same days, also deterministic for the seed, is committed to its MariaDB (database gmall, schema \
            scripts/shop-schema.sql, reference data scripts/shop-seed.sql loaded, no users or orders yet) through \
            the mariadb command-line client: users 1-5000 first, then registrations, profile changes, orders with \
            1 to 5 lines, payments, cancellations, completions, refunds, removed lines, deleted orders, renamed and \
            new SKUs. --business-expected then gets the answers from SQL queries against the final database.

            The write key for log-ingest comes from the environment, INGEST_WRITE_KEY (the local stack writes \
            one to .local/ingest-write-key); without it no key is sent.
            """)

    @Option(help: "Number of simulated devices (1 to 10000000); not needed with --skip-events.")
    var devices: Int?

    @Option(help: "Number of business days to simulate (1 to 366).")
    var days: Int

    @Option(help: "Seed of the simulation: the same seed gives the same events, order and requests.")
    var seed: UInt64

    @Option(help: "First business day, yyyy-MM-dd.")
    var startDate: String = "2026-11-01"

    @Option(help: "Time zone of the business days (IANA name), as configured for the enricher.")
    var timeZone: String = "UTC"

    @Option(help: "Base URL of log-ingest.")
    var ingestURL: String = "http://127.0.0.1:8180"

    @Option(help: "Requests in flight at once (1 to 256).")
    var concurrency: Int = 8

    @Option(help: "Events per request (1 to 100000).")
    var batchSize: Int = 200

    @Option(help: "Seconds one request may keep failing (connection errors, 429, 503) before the run fails.")
    var giveUpAfter: Int = 120

    @Option(help: ArgumentHelp("Write the expected answers (DAU and by-hour per day, event counts) to this JSON file.",
                               valueName: "file"))
    var expected: String?

    @Option(help: ArgumentHelp("Write every event of the send plan as a line '<request number>\\t<event JSON>' (for tests).",
                               valueName: "file"))
    var dumpEvents: String?

    @Flag(help: ArgumentHelp("Generate the events and write the expected answers without sending anything; with the "
        + "business traffic, write --dump-sql and --business-expected (by the simulation's own account) without a database."))
    var dryRun = false

    @Option(help: ArgumentHelp("Send at most this many events per second (default: as fast as --concurrency allows).",
                               valueName: "events"))
    var rate: Int?

    @Option(help: ArgumentHelp("Commit at most this many business transactions per second (default: as fast as the "
        + "database takes them).", valueName: "transactions"))
    var businessRate: Int?

    @Flag(help: ArgumentHelp("Wait out a shop database that goes away (a restart), up to --give-up-after seconds, and go "
        + "on after its last committed transaction (recorded in the table shop_sim.progress, in the same transactions)."))
    var surviveDatabaseRestarts = false

    @Flag(help: "Send no behaviour events (only the business traffic).")
    var skipEvents = false

    @Option(help: ArgumentHelp("The shop's MariaDB, host:port: commit the business traffic there (database gmall).",
                               valueName: "host:port"))
    var shopDB: String?

    @Option(help: "User of --shop-db.")
    var shopDBUser: String = "root"

    @Option(help: ArgumentHelp("File whose first line is the password of --shop-db-user (default: none).", valueName: "file"))
    var shopDBPasswordFile: String?

    @Option(help: "Orders placed per simulated day by the business traffic (1 to 100000).")
    var ordersPerDay: Int = 200

    @Option(help: ArgumentHelp("Write the expected business answers (orders, amounts, buyers, by hour, province, "
        + "category and SKU, per day) to this JSON file; needs --shop-db or --dry-run.", valueName: "file"))
    var businessExpected: String?

    @Option(help: ArgumentHelp("Write the business traffic's transactions as a SQL script to this file.", valueName: "file"))
    var dumpSQL: String?

    /// Whether this run simulates the business traffic.
    var simulatesBusiness: Bool { shopDB != nil || businessExpected != nil || dumpSQL != nil }

    func validate() throws {
        if !skipEvents {
            guard let devices else { throw ValidationError("--devices is required (or --skip-events)") }
            guard (1...10_000_000).contains(devices) else { throw ValidationError("--devices must be from 1 to 10000000, got \(devices)") }
        } else {
            guard simulatesBusiness else { throw ValidationError("--skip-events leaves nothing to do without --shop-db, --dump-sql or --business-expected") }
            guard expected == nil && dumpEvents == nil else { throw ValidationError("--expected and --dump-events need the events: drop --skip-events") }
        }
        guard (1...100_000).contains(ordersPerDay) else { throw ValidationError("--orders-per-day must be from 1 to 100000, got \(ordersPerDay)") }
        if let shopDB, ShopDatabase.address(shopDB) == nil {
            throw ValidationError("--shop-db must be host:port, such as 127.0.0.1:3306, got '\(shopDB)'")
        }
        if businessExpected != nil && shopDB == nil && !dryRun {
            throw ValidationError("--business-expected needs --shop-db (answers from the final database) or --dry-run")
        }
        guard !shopDBUser.isEmpty else { throw ValidationError("--shop-db-user must not be empty") }
        guard (1...366).contains(days) else { throw ValidationError("--days must be from 1 to 366, got \(days)") }
        if let rate, rate < 1 { throw ValidationError("--rate must be at least 1 event per second, got \(rate)") }
        if let businessRate, businessRate < 1 { throw ValidationError("--business-rate must be at least 1, got \(businessRate)") }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be from 1 to 256, got \(concurrency)") }
        guard (1...100_000).contains(batchSize) else { throw ValidationError("--batch-size must be from 1 to 100000, got \(batchSize)") }
        guard giveUpAfter >= 1 else { throw ValidationError("--give-up-after must be at least 1 second, got \(giveUpAfter)") }
        guard BusinessDate(startDate) != nil else {
            throw ValidationError("--start-date must be a real day written yyyy-MM-dd, got '\(startDate)'")
        }
        guard TimeZone(identifier: timeZone) != nil else {
            throw ValidationError("--time-zone must be an IANA time zone name such as UTC or Asia/Shanghai, got '\(timeZone)'")
        }
        guard let url = URL(string: ingestURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw ValidationError("--ingest-url must be an http:// or https:// URL, got '\(ingestURL)'")
        }
    }

    func run() async throws {
        guard let start = BusinessDate(startDate), let zone = TimeZone(identifier: timeZone),
              let url = URL(string: ingestURL) else { throw ValidationError("invalid arguments") }   // checked in validate()
        if !skipEvents, let devices {
            try await sendEvents(devices: devices, start: CivilDate(start), zone: zone, url: url)
        }
        if simulatesBusiness {
            try await runBusiness(start: CivilDate(start))
        }
    }

    /// The behaviour logs: generate, write the expected DAU answers, send to log-ingest.
    private func sendEvents(devices: Int, start: CivilDate, zone: TimeZone, url: URL) async throws {
        let settings = SimulationSettings(devices: devices, days: days, seed: seed, startDate: start,
                                          clock: ZonedClock(timeZone: zone))
        let clock = ContinuousClock()
        let began = clock.now
        let events = EventGenerator(settings: settings).generate()
        let plan = DeliveryPlan(events: events, seed: seed, batchSize: batchSize,
                                percentResent: settings.percentResent, gzip: Gzip.isAvailable)
        let answers = ExpectedAnswers(events: events, plan: plan, dates: settings.dates, clock: settings.clock)
        if let expected { try Self.write(answers.json, to: expected) }
        if let dumpEvents { try Self.write(Self.dump(plan), to: dumpEvents) }
        let prepared = clock.now - began
        Self.say("generated \(answers.eventsGenerated) events (\(answers.uniquePageEvents) with a page) of \(devices) devices "
            + "over \(days) day\(days == 1 ? "" : "s") from \(settings.startDate) (\(timeZone)) in \(Self.seconds(prepared)) s; "
            + "\(plan.eventCount) to send in \(plan.requests.count) requests"
            + (Gzip.isAvailable ? "" : " (no gzip: built without CZlib)")
            + (expected.map { "; expected answers in \($0)" } ?? ""))
        guard !dryRun else {
            Self.say("dry run: nothing sent")
            return
        }

        let progress = ProgressDisplay(units: .events, totalItems: plan.eventCount, totalBatches: plan.requests.count)
        let writeKey = ProcessInfo.processInfo.environment["INGEST_WRITE_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        var sender = EventSender(ingestURL: url, writeKey: writeKey, concurrency: concurrency,
                                 retryPolicy: RetryPolicy(giveUpAfter: .seconds(giveUpAfter)), progress: progress)
        sender.rate = rate
        let display = Task { await progress.run() }
        defer { display.cancel() }
        do {
            try await sender.send(plan)
        } catch {
            display.cancel()
            progress.finish(completed: false)
            throw error
        }
        display.cancel()
        progress.finish(completed: true)
    }

    /// The business traffic: simulate, dump, commit to --shop-db (unless a dry run), write the expected answers.
    private func runBusiness(start: CivilDate) async throws {
        var database: ShopDatabase?
        if !dryRun, let shopDB, let address = ShopDatabase.address(shopDB) {
            database = ShopDatabase(host: address.host, port: address.port, user: shopDBUser,
                                    password: try shopDBPasswordFile.map { path throws(ShopDatabaseError) in
                                        try ShopDatabase.password(fromFile: path)
                                    })
        }
        let settings = BusinessSettings(seed: seed, startDate: start, days: days, ordersPerDay: ordersPerDay)
        try await BusinessTraffic(settings: settings, database: database, dumpSQL: dumpSQL, expectedFile: businessExpected,
                                  surviveRestartsFor: surviveDatabaseRestarts ? .seconds(giveUpAfter) : nil,
                                  rate: businessRate).run()
        if database == nil && shopDB != nil { Self.say("dry run: nothing written to the shop database") }
    }

    /// The send plan, one event per line after its request number and a tab.
    static func dump(_ plan: DeliveryPlan) -> [UInt8] {
        var bytes: [UInt8] = []
        for request in plan.requests {
            for event in request.events {
                bytes += Array("\(request.number)\t".utf8) + event.json + [UInt8(ascii: "\n")]
            }
        }
        return bytes
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ShopSimError(description: "cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data(("shop-sim: " + line + "\n").utf8))
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return ProgressDisplay.format(value, digits: 2)
    }
}
