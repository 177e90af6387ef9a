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

    @Test func rateLimitsPerWriteKeyAndPerClientAnswer429WithRetryAfter() async throws {
        let pipeline = try await PipelineUnderTest.start(services: ["log-ingest"], environment: [
            "log-ingest": ["INGEST_KEY_RATE": "2", "INGEST_CLIENT_RATE": "4"],  // bursts of 4 and 8
        ])
        do {
            let second = Credentials.randomSecret()
            try Credentials.write(["test": pipeline.writeKey, "second": second], to: pipeline.writeKeysFile)
            try await Task.sleep(for: .seconds(6))  // reloaded
            func post(_ key: String, events: Int) async throws -> (Int, [String: Any], String?) {
                let body = "[" + (0..<events).map { _ in Self.event }.joined(separator: ",") + "]"
                let (status, data, headers) = try await HTTP.exchange("POST", "\(pipeline.url("log-ingest"))/v1/events", body: Data(body.utf8),
                                                                      headers: ["Content-Type": "application/json", "Authorization": "Bearer \(key)"])
                return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:], headers["Retry-After"])
            }
            func limit(_ answer: [String: Any]) -> String? { (answer["error"] as? [String: Any])?["limit"] as? String }

            // Each refused request needs at least a second of refill, far more than a request takes here.
            let first = try await post(pipeline.writeKey, events: 4)
            #expect(first.0 == 202, "\(first)")                                 // key "test" empty, client 4 left
            let overKey = try await post(pipeline.writeKey, events: 4)
            #expect(overKey.0 == 429 && limit(overKey.1) == "key" && overKey.2.flatMap(Int.init) ?? 0 >= 1, "\(overKey)")
            #expect(try await post(second, events: 4).0 == 202)                  // another key: the client's last 4
            let overClient = try await post(second, events: 4)
            #expect(overClient.0 == 429 && limit(overClient.1) == "client" && overClient.2 != nil, "\(overClient)")

            #expect(try await pipeline.metric("log-ingest", #"ingest_events_accepted_total{source="test"}"#) == 4)
            #expect(try await pipeline.metric("log-ingest", #"ingest_events_accepted_total{source="second"}"#) == 4)
            #expect(try await pipeline.metric("log-ingest", #"ingest_rate_limited_total{limit="key"}"#) == 1)
            #expect(try await pipeline.metric("log-ingest", #"ingest_rate_limited_total{limit="client"}"#) == 1)
            #expect(try await pipeline.metric("log-ingest", #"ingest_rate_limit_events_per_second{limit="key"}"#) == 2)
            // Refill: two seconds later the key may send again.
            try await Task.sleep(for: .seconds(2.5))
            #expect(try await post(pipeline.writeKey, events: 1).0 == 202)
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
