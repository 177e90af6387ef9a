import Foundation
import Testing
import TestSupport

/// The whole pipeline through its four real processes on a real local stack: the simulator's exact
/// expected answers must come out of the query API, also when processes crash mid-stream.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct PipelineEndToEndTests {
    struct Expected: Decodable {
        struct Day: Decodable, Equatable {
            var dau: Int
            var by_hour: [Int]
        }
        var days: [String: Day]
        var unique_page_events: Int
    }

    /// Runs shop-sim against the pipeline and returns its expected answers.
    static func simulate(_ pipeline: PipelineUnderTest, devices: Int, days: Int, seed: Int,
                         extra: [String] = []) async throws -> (ManagedProcess, URL) {
        let expectedFile = pipeline.stack.directory.appendingPathComponent("expected-\(seed).json")
        let sim = try ManagedProcess(
            name: "shop-sim-\(seed)", executable: try Tools.builtProduct("shop-sim"),
            arguments: ["--devices", "\(devices)", "--days", "\(days)", "--seed", "\(seed)",
                        "--start-date", "2026-11-01", "--ingest-url", pipeline.url("log-ingest"),
                        "--expected", expectedFile.path] + extra,
            environment: ["INGEST_WRITE_KEY": pipeline.writeKey],
            logDirectory: pipeline.stack.directory)
        return (sim, expectedFile)
    }

    /// Waits until the query API gives exactly `expected` for every day (or the time is up) and
    /// returns the last answers.
    static func awaitAnswers(_ pipeline: PipelineUnderTest, expected: Expected,
                             timeout: Duration = .seconds(120)) async throws -> [String: Expected.Day] {
        let deadline = ContinuousClock.now + timeout
        var answers: [String: Expected.Day] = [:]
        while true {
            for day in expected.days.keys {
                let (status, body) = try await pipeline.query("/v1/dau?date=\(day)")
                #expect(status == 200)
                let answer = try JSONDecoder().decode(Answer.self, from: body)
                answers[day] = Expected.Day(dau: answer.dau, by_hour: answer.by_hour)
            }
            if answers == expected.days || ContinuousClock.now >= deadline { return answers }
            try await Task.sleep(for: .seconds(1))
        }
    }

    struct Answer: Decodable {
        var date: String
        var dau: Int
        var by_hour: [Int]
    }

    /// Documents in the page-log index once it holds `expected` (or the time is up): one per
    /// distinct page event, however often it was sent.
    static func pageLogCount(_ pipeline: PipelineUnderTest, expected: Int, timeout: Duration = .seconds(60)) async throws -> Int {
        let index = "\(pipeline.stack.elasticsearchURL)/gmall_page_log"
        let deadline = ContinuousClock.now + timeout
        while true {
            _ = try await HTTP.send("POST", "\(index)/_refresh", body: Data())
            let (_, body) = try await HTTP.get("\(index)/_count")
            struct Count: Decodable { var count: Int }
            let count = try JSONDecoder().decode(Count.self, from: body).count
            if count == expected || ContinuousClock.now >= deadline { return count }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    static func load(_ file: URL) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: file))
    }

    /// Waits for the simulator to finish, then requires the query API's answers to equal its
    /// expected ones exactly, and the page-log index to hold each distinct page event once.
    static func verify(_ pipeline: PipelineUnderTest, simulator: ManagedProcess, expectedFile: URL) async throws {
        let status = await simulator.waitForExit(timeout: .seconds(300))
        #expect(status == 0, "shop-sim failed:\n\(simulator.logTail())")
        let expected = try Self.load(expectedFile)
        #expect(expected.days.values.contains { $0.dau > 0 })
        let answers = try await Self.awaitAnswers(pipeline, expected: expected)
        #expect(answers == expected.days, "pipeline logs:\n\(pipeline.logs())")
        #expect(try await Self.pageLogCount(pipeline, expected: expected.unique_page_events) == expected.unique_page_events)
    }

    @Test("a simulated shop's DAU comes out exactly as expected")
    func exactAnswers() async throws {
        let pipeline = try await PipelineUnderTest.start()
        do {
            let (sim, file) = try await Self.simulate(pipeline, devices: 300, days: 3, seed: 11)
            try await Self.verify(pipeline, simulator: sim, expectedFile: file)
            // Nothing secret in any service's log (or the simulator's) of a whole run.
            for (name, log) in pipeline.fullLogs() + [("shop-sim", sim.logTail(bytes: 1 << 24))] {
                #expect(!log.contains(pipeline.writeKey) && !log.contains(pipeline.queryToken), "\(name)'s log holds a secret")
            }
        } catch {
            Issue.record("\(error)\n\(pipeline.logs())")
        }
        await pipeline.stop()
    }

    @Test("business days in another time zone (Asia/Shanghai) come out exactly as expected")
    func businessTimeZone() async throws {
        let pipeline = try await PipelineUnderTest.start(environment: ["enricher": ["BUSINESS_TIME_ZONE": "Asia/Shanghai"]])
        do {
            let (sim, file) = try await Self.simulate(pipeline, devices: 200, days: 2, seed: 5,
                                                      extra: ["--time-zone", "Asia/Shanghai"])
            try await Self.verify(pipeline, simulator: sim, expectedFile: file)
        } catch {
            Issue.record("\(error)\n\(pipeline.logs())")
        }
        await pipeline.stop()
    }

    @Test("enricher and sink-es killed with SIGKILL mid-stream: nothing lost, nothing counted twice")
    func crashesMidStream() async throws {
        let pipeline = try await PipelineUnderTest.start()
        do {
            // Small sequential requests keep the stream flowing while processes are killed.
            let (sim, file) = try await Self.simulate(pipeline, devices: 600, days: 3, seed: 23,
                                                      extra: ["--concurrency", "1", "--batch-size", "25"])
            for victim in ["enricher", "sink-es", "enricher"] {
                try await Task.sleep(for: .seconds(1.5))
                #expect(sim.isRunning, "the stream should still be flowing when \(victim) is killed")
                try await pipeline.crashAndRestart(victim)
            }
            try await Self.verify(pipeline, simulator: sim, expectedFile: file)
        } catch {
            Issue.record("\(error)\n\(pipeline.logs())")
        }
        await pipeline.stop()
    }
}
