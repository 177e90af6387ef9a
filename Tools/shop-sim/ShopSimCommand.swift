import ArgumentParser
import Foundation
import PipelineCore

/// `shop-sim`: simulates the behaviour logs of an online shop's devices, sends them to log-ingest and
/// writes the answers the pipeline must then give.
@main
struct ShopSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shop-sim",
        abstract: "Simulate shop devices' behaviour logs, send them to log-ingest, and write the expected DAU answers.",
        discussion: """
            The events (gmall mock-log format) are deterministic for a seed. About 10% carry no event_id, about \
            5% are sent twice in different requests (client retries), and all are shuffled, so event times arrive \
            out of order. Requests alternate JSON arrays and NDJSON; every third is gzip-compressed.
            """)

    @Option(help: "Number of simulated devices (1 to 10000000).")
    var devices: Int

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

    @Flag(help: "Generate the events and write the expected answers without sending anything.")
    var dryRun = false

    func validate() throws {
        guard (1...10_000_000).contains(devices) else { throw ValidationError("--devices must be from 1 to 10000000, got \(devices)") }
        guard (1...366).contains(days) else { throw ValidationError("--days must be from 1 to 366, got \(days)") }
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
        let settings = SimulationSettings(devices: devices, days: days, seed: seed, startDate: CivilDate(start),
                                          clock: ZonedClock(timeZone: zone))
        let clock = ContinuousClock()
        let began = clock.now
        let events = EventGenerator(settings: settings).generate()
        let plan = DeliveryPlan(events: events, seed: seed, batchSize: batchSize,
                                percentResent: settings.percentResent, gzip: Gzip.isAvailable)
        let answers = ExpectedAnswers(events: events, plan: plan, dates: settings.dates, clock: settings.clock)
        if let expected { try write(answers.json, to: expected) }
        if let dumpEvents { try write(Self.dump(plan), to: dumpEvents) }
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
        let sender = EventSender(ingestURL: url, concurrency: concurrency,
                                 retryPolicy: RetryPolicy(giveUpAfter: .seconds(giveUpAfter)), progress: progress)
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

    private func write(_ bytes: [UInt8], to path: String) throws {
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
