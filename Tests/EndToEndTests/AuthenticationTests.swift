import Foundation
import Kafka
import Logging
import Testing
import TestSupport

/// Write keys on log-ingest and tokens on query-api, on the real processes.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct AuthenticationTests {
    static let event = #"{"common":{"mid":"auth-device","ar":"110000"},"page":{"page_id":"home"},"ts":1893474000000}"#

    @Test func writeKeysDecideWhoMayIngestAndNameTheSource() async throws {
        let pipeline = try await PipelineUnderTest.start(services: ["log-ingest"], environment: [
            "log-ingest": ["INGEST_ALLOWED_ORIGINS": "https://shop.example"],
        ])
        do {
            let url = "\(pipeline.url("log-ingest"))/v1/events"
            let body = Data(Self.event.utf8)
            func post(_ headers: [String: String]) async throws -> (Int, [String: Any]) {
                let (status, data) = try await HTTP.send("POST", url, body: body, headers: ["Content-Type": "application/json"].merging(headers) { _, b in b })
                return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
            }
            // Refused: no key, an unknown key, the key in a scheme other than Bearer.
            for headers in [[:], ["Authorization": "Bearer wrong"], ["X-Write-Key": "wrong"], ["Authorization": pipeline.writeKey]] {
                let (status, answer) = try await post(headers)
                #expect(status == 401, "\(headers)")
                #expect((answer["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            }
            // Accepted: Bearer, X-Write-Key.
            #expect(try await post(["Authorization": "Bearer \(pipeline.writeKey)"]).0 == 202)
            #expect(try await post(["X-Write-Key": pipeline.writeKey]).0 == 202)

            // A second key added to the file works within the reload interval, under its own name; the
            // first, removed, stops working.
            let rotated = Credentials.randomSecret()
            try Credentials.write(["app-2": rotated], to: pipeline.writeKeysFile)
            var rotatedStatus = 0
            for _ in 0..<40 where rotatedStatus != 202 {
                try await Task.sleep(for: .milliseconds(500))
                rotatedStatus = try await post(["Authorization": "Bearer \(rotated)"]).0
            }
            #expect(rotatedStatus == 202, "the new key was not taken within 20 s")
            #expect(try await post(["Authorization": "Bearer \(pipeline.writeKey)"]).0 == 401, "the removed key still works")
            // An invalid file keeps the keys in force.
            try "this is not a credentials file\n".write(to: pipeline.writeKeysFile, atomically: true, encoding: .utf8)
            try await Task.sleep(for: .seconds(6))
            #expect(try await post(["Authorization": "Bearer \(rotated)"]).0 == 202)

            // Each accepted event carries its key's name as `source`; a client cannot set it.
            let spoofed = Data(#"{"common":{"mid":"auth-spoof"},"page":{"page_id":"home"},"ts":1893474000000,"source":"someone-else"}"#.utf8)
            let (spoofStatus, spoofAnswer) = try await HTTP.send("POST", url, body: spoofed, headers: [
                "Content-Type": "application/json", "Authorization": "Bearer \(rotated)"])
            #expect(spoofStatus == 400)
            #expect(String(decoding: spoofAnswer, as: UTF8.self).contains("reserved"))
            let sources = try await Self.sources(in: pipeline.stack, count: 4)
            #expect(sources == ["auth-device": ["test", "test", "app-2", "app-2"]])
            let accepted = try await pipeline.metric("log-ingest", #"ingest_events_accepted_total{source="app-2"}"#)
            #expect(accepted == 2)

            // CORS: the configured origin may send from a browser; another may not.
            let (preflight, _, preflightHeaders) = try await HTTP.exchange("OPTIONS", url, headers: [
                "Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type"])
            #expect(preflight == 204)
            #expect(preflightHeaders["Access-Control-Allow-Origin"] == "https://shop.example")
            #expect(preflightHeaders["Access-Control-Allow-Headers"]?.contains("Authorization") == true)
            #expect(try await HTTP.exchange("OPTIONS", url, headers: ["Origin": "https://evil.example"]).0 == 403)
            let (_, _, postHeaders) = try await HTTP.exchange("POST", url, body: body, headers: [
                "Origin": "https://shop.example", "Content-Type": "application/json", "Authorization": "Bearer \(rotated)"])
            #expect(postHeaders["Access-Control-Allow-Origin"] == "https://shop.example")
            let (_, _, foreignHeaders) = try await HTTP.exchange("POST", url, body: body, headers: [
                "Origin": "https://evil.example", "Content-Type": "application/json", "Authorization": "Bearer \(rotated)"])
            #expect(foreignHeaders["Access-Control-Allow-Origin"] == nil)

            // Nothing secret in the log.
            let log = pipeline.processes["log-ingest"]?.logTail(bytes: 1 << 20) ?? ""
            #expect(!log.contains(pipeline.writeKey) && !log.contains(rotated))
        } catch {
            print(pipeline.logs())
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }

    @Test func queryTokensGuardEveryV1PathAndNothingElse() async throws {
        let pipeline = try await PipelineUnderTest.start(services: ["query-api"])
        do {
            let base = pipeline.url("query-api")
            for path in ["/v1/dau?date=2030-01-01", "/v1/orders/summary?date=2030-01-01", "/v1/openapi.json"] {
                let (none, _, challenge) = try await HTTP.exchange("GET", base + path)
                #expect(none == 401, "\(path)")
                #expect(challenge["WWW-Authenticate"] == #"Bearer realm="query-api""#)
                #expect(try await HTTP.get(base + path, headers: ["Authorization": "Bearer \(pipeline.writeKey)"]).0 == 401)
                #expect(try await pipeline.query(path).0 == 200, "\(path)")
            }
            for path in ["/healthz", "/readyz", "/metrics", "/", "/dashboard/app.js"] {
                #expect(try await HTTP.get(base + path).0 == 200, "\(path) is open")
            }
            let log = pipeline.processes["query-api"]?.logTail(bytes: 1 << 20) ?? ""
            #expect(!log.contains(pipeline.queryToken))
        } catch {
            print(pipeline.logs())
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }

    /// A write key, and then a client address, over its limit: 429 with Retry-After naming the limit, and only
    /// the accepted requests' events counted. 6 requests of 4 events against 2 events/s (bursts of 4) cannot all
    /// pass unless they take over 10 s, so some are refused however slow the machine.
    @Test(arguments: [("key", "INGEST_KEY_RATE", "INGEST_CLIENT_RATE"), ("client", "INGEST_CLIENT_RATE", "INGEST_KEY_RATE")])
    func rateLimitsAnswer429WithRetryAfter(limit: String, limited: String, unlimited: String) async throws {
        let pipeline = try await PipelineUnderTest.start(services: ["log-ingest"], environment: [
            "log-ingest": [limited: "2", unlimited: "0"],
        ])
        do {
            let second = Credentials.randomSecret()
            try Credentials.write(["test": pipeline.writeKey, "second": second], to: pipeline.writeKeysFile)
            try await Task.sleep(for: .seconds(6))  // reloaded
            let body = Data(("[" + Array(repeating: Self.event, count: 4).joined(separator: ",") + "]").utf8)
            var accepted = 0, refused = 0
            for request in 0..<6 {
                // The client limit is checked across keys: alternate them; the key limit with one key.
                let key = limit == "client" && request % 2 == 1 ? second : pipeline.writeKey
                let (status, data, headers) = try await HTTP.exchange("POST", "\(pipeline.url("log-ingest"))/v1/events", body: body,
                                                                      headers: ["Content-Type": "application/json", "Authorization": "Bearer \(key)"])
                if status == 202 { accepted += 1; continue }
                refused += 1
                let error = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["error"] as? [String: Any]
                #expect(status == 429 && error?["code"] as? String == "rate_limited" && error?["limit"] as? String == limit,
                        "\(status) \(String(decoding: data, as: UTF8.self))")
                #expect((headers["Retry-After"].flatMap(Int.init) ?? 0) >= 1)
            }
            #expect(refused >= 1 && accepted >= 1, "accepted \(accepted), refused \(refused)")
            let counted = (try await pipeline.metric("log-ingest", #"ingest_events_accepted_total{source="test"}"#) ?? 0)
                + (try await pipeline.metric("log-ingest", #"ingest_events_accepted_total{source="second"}"#) ?? 0)
            #expect(counted == Double(4 * accepted), "only accepted requests are counted")
            #expect(try await pipeline.metric("log-ingest", "ingest_rate_limited_total{limit=\"\(limit)\"}") == Double(refused))
            #expect(try await pipeline.metric("log-ingest", "ingest_rate_limit_events_per_second{limit=\"\(limit)\"}") == 2)
        } catch {
            print(pipeline.logs())
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }

    /// The `source` of the first `count` events in `ods.log`, by device.
    static func sources(in stack: LocalStack, count: Int) async throws -> [String: [String]] {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: stack.kafkaBootstrapServers,
                                                      groupID: LocalStack.uniqueName("auth-reader")),
            logger: Logger(label: "auth-test"), startingOffsets: { _ in [:] }, revoked: { _ in })
        try consumer.subscribe(topics: ["ods.log"])
        var messages: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while messages.count < count, ContinuousClock.now < deadline {
            messages += try await consumer.poll(maxMessages: 100, timeout: .milliseconds(500))
        }
        await consumer.close()
        var sources: [String: [String]] = [:]
        for message in messages.sorted(by: { $0.offset < $1.offset }) {
            let event = try JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any]
            let mid = (event?["common"] as? [String: Any])?["mid"] as? String ?? "?"
            sources[mid, default: []].append(event?["source"] as? String ?? "(none)")
        }
        return sources
    }
}
