import Elasticsearch
import Foundation
import Logging
import Testing

@Suite("What ElasticsearchClient sends")
struct ElasticsearchWireTests {
    static let okAnswer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"

    @Test("basic auth, method, path, content type and body; no Expect: 100-continue")
    func requestOnTheWire() async throws {
        let server = try CapturingHTTPServer(answer: Self.okAnswer)
        let client = ElasticsearchClient(
            configuration: ElasticsearchConfiguration(url: "http://127.0.0.1:\(server.port)/", username: "elastic", password: "pa:ss"),
            logger: Logger(label: "wire"))
        let body = Array(#"{"query":{"match_all":{}}}"#.utf8)
        #expect(try await client.search(index: "dwd-*", body: body) == Array("{}".utf8))
        let request = server.request
        let expectedAuth = "Basic " + Data("elastic:pa:ss".utf8).base64EncodedString()
        #expect(request.hasPrefix("POST /dwd-*/_search HTTP/1.1\r\n"))
        #expect(request.contains("\r\nAuthorization: \(expectedAuth)\r\n"))
        #expect(request.contains("\r\nContent-Type: application/json\r\n"))
        #expect(request.contains("\r\nContent-Length: \(body.count)\r\n"))
        #expect(!request.lowercased().contains("expect:"))
        #expect(request.hasSuffix("\r\n\r\n" + String(decoding: body, as: UTF8.self)))
    }

    @Test("a bulk request is NDJSON with its refresh flag; a body-less POST sends Content-Length 0")
    func bulkAndRefresh() async throws {
        let bulkAnswer = #"{"took":3,"errors":false,"items":[{"index":{"_index":"i","_id":"1","status":201}}]}"#
        let server = try CapturingHTTPServer(answer:
            "HTTP/1.1 200 OK\r\nContent-Length: \(bulkAnswer.utf8.count)\r\nConnection: close\r\n\r\n\(bulkAnswer)")
        let client = ElasticsearchClient(configuration: ElasticsearchConfiguration(url: "http://127.0.0.1:\(server.port)"),
                                         logger: Logger(label: "wire"))
        let response = try await client.bulk([BulkOperation(index: "i", id: "1", document: Array("{}".utf8))], refresh: true)
        #expect(response.tookMillis == 3)
        #expect(server.request.hasPrefix("POST /_bulk?refresh=true HTTP/1.1\r\n"))
        #expect(server.request.contains("\r\nContent-Type: application/x-ndjson\r\n"))
        #expect(!server.request.contains("Authorization"))

        let refreshServer = try CapturingHTTPServer(answer: Self.okAnswer)
        let refreshClient = ElasticsearchClient(configuration: ElasticsearchConfiguration(url: "http://127.0.0.1:\(refreshServer.port)"),
                                                logger: Logger(label: "wire"))
        try await refreshClient.refresh(index: "a b")
        #expect(refreshServer.request.hasPrefix("POST /a%20b/_refresh HTTP/1.1\r\n"))
        #expect(refreshServer.request.contains("\r\nContent-Length: 0\r\n"))
    }

    @Test("a server that never answers fails with .unreachable after the request timeout")
    func requestTimeout() async throws {
        let server = try CapturingHTTPServer(answer: nil)
        let client = ElasticsearchClient(
            configuration: ElasticsearchConfiguration(url: "http://127.0.0.1:\(server.port)", requestTimeout: .milliseconds(500)),
            logger: Logger(label: "wire"))
        let started = ContinuousClock.now
        await #expect {
            try await client.ping()
        } throws: { error in
            guard case ElasticsearchError.unreachable(let message) = error else { return false }
            return message.lowercased().contains("timeout") || message.lowercased().contains("timed out")
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(30))
    }

    @Test("a request waiting for a free connection fails after its timeout too, not later")
    func queuedRequestTimeout() async throws {
        // One connection allowed, held by the first request that the server never answers.
        let server = try CapturingHTTPServer(answer: nil)
        let client = ElasticsearchClient(
            configuration: ElasticsearchConfiguration(url: "http://127.0.0.1:\(server.port)", requestTimeout: .seconds(1),
                                                      maxConnections: 1),
            logger: Logger(label: "wire"))
        let first = Task { try await client.ping() }
        let second = Task { try await client.ping() }
        await #expect(throws: ElasticsearchError.self) { try await first.value }
        await #expect(throws: ElasticsearchError.self) { try await second.value }
        #expect(server.request.hasPrefix("GET / HTTP/1.1\r\n"))
    }

    @Test("a whole-request 429 throws .http so that the caller retries the batch")
    func wholeRequestRejected() async throws {
        let body = #"{"error":"too many requests"}"#
        let server = try CapturingHTTPServer(answer:
            "HTTP/1.1 429 Too Many Requests\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        let client = ElasticsearchClient(configuration: ElasticsearchConfiguration(url: "http://127.0.0.1:\(server.port)"),
                                         logger: Logger(label: "wire"))
        await #expect(throws: ElasticsearchError.http(status: 429, body: body)) {
            _ = try await client.bulk([BulkOperation(index: "i", id: "1", document: Array("{}".utf8))])
        }
    }
}
