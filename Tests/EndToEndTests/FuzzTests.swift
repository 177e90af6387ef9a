import Foundation
import Kafka
import Logging
import PipelineCore
import Testing
import TestSupport

/// Seeded fuzzing of the real log-ingest and query-api: every body gets 202 or a 4xx, the events of the
/// 202s all reach Kafka and a refused body writes nothing; every query answers 200, 400 or 404 with a
/// JSON body, never a 5xx. `FUZZ_SEED` replays a run.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct FuzzTests {
    static let seed = UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "") ?? UInt64.random(in: 1...(1 << 62))
    static let cases = Int(ProcessInfo.processInfo.environment["FUZZ_LIVE_CASES"] ?? "") ?? 300

    @Test func ingestAcceptsWholeBodiesOrWritesNothing() async throws {
        let pipeline = try await PipelineUnderTest.start(services: ["log-ingest"], environment: [
            "log-ingest": ["INGEST_KEY_RATE": "0", "INGEST_CLIENT_RATE": "0"],
        ])
        do {
            var bodies = FuzzBodies(seed: Self.seed)
            var accepted = 0
            var statuses: [Int: Int] = [:]
            for number in 0..<Self.cases {
                let body = bodies.next()
                let (status, data) = try await pipeline.ingest(Data(body.bytes),
                                                               contentType: body.format == .json ? "application/json" : "application/x-ndjson")
                statuses[status, default: 0] += 1
                #expect(status == 202 || (400..<500).contains(status), "case \(number) (\(body.kind)), seed \(Self.seed): \(status)")
                #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "case \(number): the answer is not JSON")
                if body.kind == .valid { #expect(status == 202, "case \(number), seed \(Self.seed): a valid body got \(status)") }
                if status == 202 {
                    accepted += (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["accepted"] as? Int ?? 0
                }
            }
            let written = try await Self.countEvents(in: pipeline.stack, atLeast: accepted)
            #expect(written == accepted, "seed \(Self.seed): \(accepted) events accepted, \(written) in ods.log")
            print("ingest live fuzz: \(Self.cases) bodies, seed \(Self.seed): statuses \(statuses.sorted { $0.key < $1.key }), "
                  + "\(accepted) events accepted, \(written) in Kafka")
        } catch {
            print(pipeline.logs())
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }

    @Test func queriesAnswer200Or4xxNever5xx() async throws {
        let pipeline = try await PipelineUnderTest.start(services: ["query-api"])
        do {
            var rng = SplitMix64(seed: Self.seed)
            let paths = ["/v1/dau", "/v1/realtime", "/v1/orders/summary", "/v1/orders/by-province", "/v1/orders/by-category",
                         "/v1/products/top", "/v1/orders/search", "/v1/orders/1", "/v1/orders/abc", "/v1/orders/99999999999999999999"]
            let names = ["date", "level", "by", "limit", "q", "province_id", "gender", "page", "size", "x", "date"]
            let values = ["2026-11-02", "2024-02-29", "2026-02-30", "", "0", "-1", "1", "3", "101", "1.5", "1e3", "amount", "quantity",
                          "M", "F", "%00", "%FF", "%E4%B8%AD", "a%20b", "%22%27%3C", String(repeating: "9", count: 40),
                          String(repeating: "x", count: 3000), "2026-11-02T00:00:00", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-11-02"]
            var statuses: [Int: Int] = [:]
            for number in 0..<Self.cases {
                // Half the queries start with a good date, so that the other parameters are looked at too.
                let query = ((Bool.random(using: &rng) ? ["date=2026-11-02"] : []) + (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                    names[Int.random(in: 0..<names.count, using: &rng)] + "=" + values[Int.random(in: 0..<values.count, using: &rng)]
                }).joined(separator: "&")
                let path = paths[Int.random(in: 0..<paths.count, using: &rng)] + (query.isEmpty ? "" : "?" + query)
                let (status, data) = try await pipeline.query(path)
                statuses[status, default: 0] += 1
                #expect([200, 400, 404].contains(status), "case \(number), seed \(Self.seed): GET \(path) answered \(status)")
                #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "case \(number): GET \(path): not JSON")
            }
            print("query live fuzz: \(Self.cases) queries, seed \(Self.seed): statuses \(statuses.sorted { $0.key < $1.key })")
        } catch {
            print(pipeline.logs())
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }

    /// The events in `ods.log`: read until at least `expected` arrived and nothing more comes for 3 s.
    static func countEvents(in stack: LocalStack, atLeast expected: Int) async throws -> Int {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: stack.kafkaBootstrapServers,
                                                      groupID: LocalStack.uniqueName("fuzz-reader")),
            logger: Logger(label: "fuzz"), startingOffsets: { _ in [:] }, revoked: { _ in })
        try consumer.subscribe(topics: ["ods.log"])
        var count = 0
        var quiet = ContinuousClock.now
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let batch = try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(500))
            if !batch.isEmpty { quiet = .now }
            count += batch.count
            if count >= expected && ContinuousClock.now - quiet > .seconds(3) { break }
        }
        await consumer.close()
        return count
    }
}
