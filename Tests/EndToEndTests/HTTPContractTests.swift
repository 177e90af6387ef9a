import Foundation
import Testing
import TestSupport

/// log-ingest's and query-api's answers to good and bad requests, over real sockets.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct HTTPContractTests {
    static func event(mid: String, ts: Int64, id: String? = nil) -> String {
        let idPart = id.map { "\"event_id\":\"\($0)\"," } ?? ""
        return "{\(idPart)\"common\":{\"mid\":\"\(mid)\",\"uid\":\"u1\",\"ar\":\"110000\"},\"page\":{\"page_id\":\"home\"},\"ts\":\(ts)}"
    }

    static func ingest(_ pipeline: PipelineUnderTest, _ body: String, type: String = "application/json",
                       headers: [String: String] = [:]) async throws -> (Int, [String: Any]) {
        try await ingest(pipeline, Data(body.utf8), type: type, headers: headers)
    }

    static func ingest(_ pipeline: PipelineUnderTest, _ body: Data, type: String,
                       headers: [String: String] = [:]) async throws -> (Int, [String: Any]) {
        let (status, data) = try await pipeline.ingest(body, contentType: type, headers: headers)
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    static func dau(_ pipeline: PipelineUnderTest, _ date: String) async throws -> (Int, [String: Any]) {
        let (status, data) = try await pipeline.query("/v1/dau?date=\(date)")
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    /// 2030-01-01T05:00:00Z and the next day, far from what other tests send.
    static let dayOne: Int64 = 1_893_474_000_000
    static let dayTwo: Int64 = dayOne + 86_400_000

    @Test("a request with one bad event is refused whole; good ones are counted; bad input gets clear errors")
    func contract() async throws {
        let pipeline = try await PipelineUnderTest.start()
        do {
            // One valid and one invalid event: 400 naming index 1 and the field, and nothing written.
            let (badStatus, bad) = try await Self.ingest(pipeline, "[\(Self.event(mid: "m-bad", ts: Self.dayOne)),{\"common\":{\"mid\":\"x\"},\"page\":{},\"ts\":\"soon\"}]")
            #expect(badStatus == 400)
            let error = bad["error"] as? [String: Any]
            #expect(error?["index"] as? Int == 1)
            #expect(error?["field"] as? String == "ts")

            // NDJSON with two events of one device on day two: accepted.
            let ndjson = Self.event(mid: "m-good", ts: Self.dayTwo + 3_600_000, id: "e2") + "\n"
                + Self.event(mid: "m-good", ts: Self.dayTwo, id: "e1") + "\n"
            let (okStatus, ok) = try await Self.ingest(pipeline, ndjson, type: "application/x-ndjson")
            #expect(okStatus == 202)
            #expect(ok["accepted"] as? Int == 2)

            // Once day two is through the pipeline, day one must still be empty.
            var dayTwoAnswer: [String: Any] = [:]
            for _ in 0..<120 {
                dayTwoAnswer = try await Self.dau(pipeline, "2030-01-02").1
                if dayTwoAnswer["dau"] as? Int == 1 { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(dayTwoAnswer["dau"] as? Int == 1)
            let byHour = dayTwoAnswer["by_hour"] as? [Int] ?? []
            #expect(byHour.count == 24 && byHour[5] == 1, "first event of the day was at 05:00 UTC")
            #expect(try await Self.dau(pipeline, "2030-01-01").1["dau"] as? Int == 0)

            // Malformed JSON, wrong content type, too large, unsupported encoding.
            #expect(try await Self.ingest(pipeline, "{\"common\":").0 == 400)
            let (ndStatus, ndBody) = try await Self.ingest(pipeline, Self.event(mid: "a", ts: 1) + "\n{oops\n", type: "application/x-ndjson")
            #expect(ndStatus == 400)
            #expect((ndBody["error"] as? [String: Any])?["line"] as? Int == 2)
            #expect(try await Self.ingest(pipeline, "mid=1", type: "text/plain").0 == 415)
            let huge = "[" + Array(repeating: Self.event(mid: "big", ts: Self.dayOne), count: 15000).joined(separator: ",") + "]"
            #expect(huge.utf8.count > 1 << 20)
            #expect(try await Self.ingest(pipeline, huge).0 == 413)
            #expect(try await Self.ingest(pipeline, Self.event(mid: "a", ts: 1), headers: ["Content-Encoding": "br"]).0 == 415)

            // query-api: bad and missing dates.
            #expect(try await Self.dau(pipeline, "2030-02-30").0 == 400)
            let (missing, _) = try await pipeline.query("/v1/dau")
            #expect(missing == 400)

            // Kafka down: 503 with Retry-After, not a hang and not a 202.
            await pipeline.stack.crashNoida()
            let (downStatus, _) = try await Self.ingest(pipeline, Self.event(mid: "m-down", ts: Self.dayOne))
            #expect(downStatus == 503)
        } catch {
            Issue.record("\(error)\n\(pipeline.logs())")
        }
        await pipeline.stop()
    }
}
