import Foundation
import PipelineCore
import Testing
import TestSupport

/// Runs the built `shop-sim` binary with `--dry-run` (executable targets cannot be imported by tests)
/// and checks its send plan and expected answers against PipelineCore's own validation and DAU rules.
@Suite("shop-sim (dry runs of the built binary)")
struct ShopSimulatorTests {
    struct Run: Sendable {
        var status: Int32
        var stderr: String
        var expected: JSONValue?
        var expectedBytes: [UInt8]
        /// The send plan: request number and the event's exact bytes, in send order.
        var plan: [(request: Int, bytes: [UInt8])]

        /// The plan with each event parsed (parsing costs about a millisecond an event under the test runner).
        func parsed() throws -> [(request: Int, bytes: [UInt8], value: JSONValue)] {
            try plan.map { ($0.request, $0.bytes, try JSONCodec.parse($0.bytes)) }
        }
    }

    /// The shop-sim binary: `SHOP_SIM_BINARY`, else in `GMALL_BIN_DIR`, else next to the test bundle
    /// (`swift test` builds every product).
    static func binary() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SHOP_SIM_BINARY"] { return URL(fileURLWithPath: path) }
        if let folder = environment["GMALL_BIN_DIR"] { return URL(fileURLWithPath: folder).appendingPathComponent("shop-sim") }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("shop-sim")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw TestEvents.Invalid(text: "shop-sim binary not found next to \(CommandLine.arguments[0]); build it "
            + "(swift build --product shop-sim) or set SHOP_SIM_BINARY")
    }

    /// Runs shop-sim with `arguments` (off the cooperative pool: it waits for the child process).
    static func run(_ arguments: [String]) async throws -> Run {
        try await runBlocking { try runToEnd(arguments) }
    }

    private static func runToEnd(_ arguments: [String]) throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shop-sim-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let expectedFile = directory.appendingPathComponent("expected.json")
        let dumpFile = directory.appendingPathComponent("plan.tsv")
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments + ["--dry-run", "--expected", expectedFile.path, "--dump-events", dumpFile.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return Run(status: process.terminationStatus, stderr: stderr, expected: nil, expectedBytes: [], plan: [])
        }
        let expectedBytes = [UInt8](try Data(contentsOf: expectedFile))
        var plan: [(Int, [UInt8])] = []
        for line in try Data(contentsOf: dumpFile).split(separator: UInt8(ascii: "\n")) {
            let tab = try #require(line.firstIndex(of: UInt8(ascii: "\t")))
            let number = try #require(Int(String(decoding: line[line.startIndex..<tab], as: UTF8.self)))
            plan.append((number, [UInt8](line[(tab + 1)...])))
        }
        return Run(status: 0, stderr: stderr, expected: try JSONCodec.parse(expectedBytes), expectedBytes: expectedBytes,
                   plan: plan)
    }

    static let standard = ["--devices", "60", "--days", "3", "--seed", "20261101", "--batch-size", "20"]

    /// The run with the standard arguments and its parsed plan, made once for the tests that only read them.
    static let standardRun = Task { () throws -> (run: Run, events: [(request: Int, bytes: [UInt8], value: JSONValue)]) in
        let result = try await run(standard)
        return (result, try result.parsed())
    }

    @Test("The same seed gives the same plan and answers, byte for byte; another seed does not")
    func deterministic() async throws {
        let first = try await Self.standardRun.value.run
        let second = try await Self.run(Self.standard)
        let other = try await Self.run(["--devices", "60", "--days", "3", "--seed", "20261102", "--batch-size", "20"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.plan.isEmpty)
        #expect(first.expectedBytes == second.expectedBytes)
        #expect(first.plan.map(\.bytes) == second.plan.map(\.bytes))
        #expect(first.plan.map(\.request) == second.plan.map(\.request))
        #expect(first.plan.map(\.bytes) != other.plan.map(\.bytes))
    }

    @Test("Every planned event is valid for log-ingest, within the simulated days, in requests of at most --batch-size")
    func eventsAreValid() async throws {
        let (run, events) = try await Self.standardRun.value
        try #require(run.status == 0, "\(run.stderr)")
        let calendar = BusinessCalendar()
        let days = Set(["2026-11-01", "2026-11-02", "2026-11-03"])
        for (_, _, value) in events {
            let event = try EventValidator.validate(value, index: 0)
            #expect(days.contains(calendar.dayAndHour(ofMillis: event.ts).date.description))
            #expect(event.mid.hasPrefix("mid_"))
        }
        let sizes = Dictionary(grouping: run.plan, by: \.request).mapValues(\.count)
        #expect(sizes.values.allSatisfy { $0 <= 20 })
        #expect(Set(sizes.keys) == Set(0..<sizes.count))
    }

    @Test("About 5% of events are resent byte for byte in another request; about 10% carry no event_id")
    func duplicatesAndMissingIDs() async throws {
        let (run, events) = try await Self.standardRun.value
        try #require(run.status == 0, "\(run.stderr)")
        var requestsByBytes: [[UInt8]: [Int]] = [:]
        var withoutID: Set<[UInt8]> = []
        var clientIDs: [String: [UInt8]] = [:]
        for (request, bytes, value) in events {
            requestsByBytes[bytes, default: []].append(request)
            if let id = value["event_id"]?.stringValue {
                if let earlier = clientIDs[id] { #expect(earlier == bytes, "one event_id on different events") }
                clientIDs[id] = bytes
            } else {
                withoutID.insert(bytes)
            }
        }
        let resent = requestsByBytes.values.filter { $0.count > 1 }
        #expect(requestsByBytes.values.allSatisfy { $0.count <= 2 })
        #expect(resent.allSatisfy { $0[0] != $0[1] }, "a resend shares a request with its original")
        let unique = Double(requestsByBytes.count)
        #expect((0.03...0.07).contains(Double(resent.count) / unique), "\(resent.count) of \(unique) resent")
        #expect((0.07...0.13).contains(Double(withoutID.count) / unique), "\(withoutID.count) of \(unique) without event_id")
        #expect(run.expected?["events_sent"] == .integer(Int64(run.plan.count)))
        #expect(run.expected?["unique_events"] == .integer(Int64(requestsByBytes.count)))
        #expect(run.expected?["events_generated"] == .integer(Int64(requestsByBytes.count)))
    }

    @Test("Event times arrive out of order: many device-days' first event comes after a later one")
    func outOfOrder() async throws {
        let (run, events) = try await Self.standardRun.value
        try #require(run.status == 0, "\(run.stderr)")
        let calendar = BusinessCalendar()
        var arrivals: [String: [Int64]] = [:]   // per device-day, event times in send order
        for (_, _, value) in events {
            let event = try EventValidator.validate(value, index: 0)
            arrivals["\(calendar.dayAndHour(ofMillis: event.ts).date):\(event.mid)", default: []].append(event.ts)
        }
        let multiEvent = arrivals.values.filter { $0.count > 1 }
        let lateFirst = multiEvent.filter { $0.first != $0.min() }
        #expect(multiEvent.count > 25)
        #expect(Double(lateFirst.count) > 0.5 * Double(multiEvent.count), "\(lateFirst.count) of \(multiEvent.count)")
    }

    @Test("The expected answers equal what PipelineCore's validation and DauPlanner make of the plan, batch by batch",
          arguments: ["UTC", "Asia/Shanghai", "America/New_York"])
    func expectedMatchesPipelineRules(zone: String) async throws {
        let run = try await Self.run(Self.standard + ["--time-zone", zone])
        try #require(run.status == 0, "\(run.stderr)")
        let expected = try #require(run.expected)
        let planner = DauPlanner(calendar: BusinessCalendar(timeZone: try #require(TimeZone(identifier: zone))))

        var state: [DauKey: Int64] = [:]
        var newest: [String: OutputRecord] = [:]
        var ids: Set<String> = []
        var pageIDs: Set<String> = []
        for (_, request) in Dictionary(grouping: try run.parsed(), by: \.request).sorted(by: { $0.key < $1.key }) {
            let events = try EventValidator.validateAll(request.map(\.value))
            for event in events {
                ids.insert(event.eventID)
                if event.page != nil { pageIDs.insert(event.eventID) }
            }
            let keys = planner.keys(of: events)
            let (records, firstSeen) = planner.plan(events: events, known: state.filter { keys.contains($0.key) })
            state.merge(firstSeen) { $1 }
            for record in records where (newest[record.id]?.version ?? .min) < (record.version ?? .min) {
                newest[record.id] = record
            }
        }
        var days: [String: (dau: Int, byHour: [Int])] = [:]
        for record in newest.values {
            let date = try #require(record.document["date"]?.stringValue)
            let hour = Int(try #require(record.document["hour"]?.integerValue))
            var day = days[date] ?? (0, Array(repeating: 0, count: 24))
            day.dau += 1
            day.byHour[hour] += 1
            days[date] = day
        }
        let expectedDays = try #require(expected["days"]?.objectValue)
        #expect(Set(expectedDays.keys) == ["2026-11-01", "2026-11-02", "2026-11-03"])
        for (date, answer) in expectedDays {
            #expect(answer["dau"] == .integer(Int64(days[date]?.dau ?? 0)), "\(zone) \(date)")
            #expect(answer["by_hour"] == .array((days[date]?.byHour ?? Array(repeating: 0, count: 24)).map { .integer(Int64($0)) }),
                    "\(zone) \(date)")
        }
        #expect(Set(days.keys).isSubset(of: Set(expectedDays.keys)))
        #expect(expected["unique_events"] == .integer(Int64(ids.count)))
        #expect(expected["unique_page_events"] == .integer(Int64(pageIDs.count)))
    }

    @Test("A 25-hour business day (DST ends in New York on 2026-11-01) has devices first seen in hour 1 twice over")
    func daylightSavingDay() async throws {
        let run = try await Self.run(["--devices", "100", "--days", "1", "--seed", "3", "--time-zone", "America/New_York"])
        try #require(run.status == 0, "\(run.stderr)")
        let times = try run.parsed().map { try EventValidator.validate($0.value, index: 0).ts }
        #expect(times.allSatisfy { (Instants.nov1NewYork..<Instants.nov2NewYork).contains($0) })
        #expect(times.contains { $0 >= Instants.nov2NewYork - Instants.hour })      // the 25th hour is used
        let byHour = try #require(run.expected?["days"]?["2026-11-01"]?["by_hour"]?.arrayValue)
        #expect(byHour.count == 24)
    }

    @Test("The expected file has the documented shape: sorted keys, 24 hours per day, dau = sum of by_hour")
    func expectedShape() async throws {
        let run = try await Self.run(["--devices", "20", "--days", "2", "--seed", "1", "--start-date", "2024-02-28"])
        try #require(run.status == 0, "\(run.stderr)")
        let expected = try #require(run.expected)
        #expect(run.expectedBytes == JSONCodec.serialize(expected) + [UInt8(ascii: "\n")])
        let days = try #require(expected["days"]?.objectValue)
        #expect(Set(days.keys) == ["2024-02-28", "2024-02-29"])
        for day in days.values {
            let hours = try #require(day["by_hour"]?.arrayValue).compactMap(\.integerValue)
            #expect(hours.count == 24)
            #expect(day["dau"] == .integer(hours.reduce(0, +)))
        }
        let devices = days.values.compactMap { $0["dau"]?.integerValue }
        #expect(devices.allSatisfy { (0...20).contains($0) })
    }

    @Test("Invalid arguments stop with a message naming the option and a non-zero exit", arguments: [
        (["--devices", "0", "--days", "1", "--seed", "1"], "--devices"),
        (["--devices", "5", "--days", "0", "--seed", "1"], "--days"),
        (["--devices", "5", "--days", "1", "--seed", "1", "--start-date", "2026-02-30"], "--start-date"),
        (["--devices", "5", "--days", "1", "--seed", "1", "--start-date", "20260101"], "--start-date"),
        (["--devices", "5", "--days", "1", "--seed", "1", "--time-zone", "Mars/Olympus"], "--time-zone"),
        (["--devices", "5", "--days", "1", "--seed", "1", "--concurrency", "0"], "--concurrency"),
        (["--devices", "5", "--days", "1", "--seed", "1", "--batch-size", "0"], "--batch-size"),
        (["--devices", "5", "--days", "1", "--seed", "1", "--ingest-url", "ftp://x"], "--ingest-url"),
        (["--devices", "5", "--days", "1", "--seed", "-1"], "seed"),
        (["--devices", "5", "--days", "1"], "--seed"),
    ])
    func invalidArguments(arguments: [String], option: String) async throws {
        let run = try await Self.run(arguments)
        #expect(run.status != 0)
        #expect(run.stderr.contains(option), "\(run.stderr)")
    }
}
