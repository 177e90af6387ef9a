import Elasticsearch
import Foundation
import Logging
import Testing
import TestSupport

private func makeClient(_ stack: LocalStack, maxResponseBytes: Int = 64 << 20, maxConnections: Int = 16) -> ElasticsearchClient {
    ElasticsearchClient(configuration: ElasticsearchConfiguration(url: stack.elasticsearchURL, maxResponseBytes: maxResponseBytes,
                                                                  maxConnections: maxConnections),
                        logger: Logger(label: "elasticsearch-tests"))
}

private func json(_ text: String) -> [UInt8] { Array(text.utf8) }

private func object(_ bytes: [UInt8]?) throws -> [String: Any] {
    let bytes = try #require(bytes)
    return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
}

/// Creates an index with an explicit mapping: `n` integer, `k` keyword.
private func createIndex(_ client: ElasticsearchClient, _ index: String) async throws {
    let mapping = #"{"mappings":{"properties":{"n":{"type":"integer"},"k":{"type":"keyword"}}}}"#
    _ = try await client.request("PUT", "/\(index)", body: json(mapping)).requireSuccess()
}

@Suite("ElasticsearchClient against the test cluster")
struct ElasticsearchClientTests {
    @Test("ping answers")
    func ping() async throws {
        try await makeClient(try await LocalStack.shared()).ping()
    }

    @Test("an index template's mapping applies to a new matching index")
    func indexTemplate() async throws {
        let client = makeClient(try await LocalStack.shared())
        let name = LocalStack.uniqueName("tpl")
        try await client.putIndexTemplate(name: name, body: json("""
            {"index_patterns":["\(name)-*"],"template":{"mappings":{"properties":{
              "amount":{"type":"scaled_float","scaling_factor":100},"province":{"type":"keyword"}}}}}
            """))
        let index = "\(name)-2026.11"
        let written = try await client.bulk([BulkOperation(index: index, id: "1", document: json(#"{"amount":"12.30","province":"Hubei"}"#))])
        #expect(written.items.map(\.outcome) == [.written])
        let mapping = try object(try await client.request("GET", "/\(index)/_mapping", body: nil).requireSuccess().body)
        let properties = try #require(((mapping[index] as? [String: Any])?["mappings"] as? [String: Any])?["properties"] as? [String: Any])
        #expect((properties["amount"] as? [String: Any])?["type"] as? String == "scaled_float")
        #expect((properties["province"] as? [String: Any])?["type"] as? String == "keyword")
    }

    @Test("external versions: an older or equal version is stale and keeps the newer document")
    func externalVersions() async throws {
        let client = makeClient(try await LocalStack.shared())
        let index = LocalStack.uniqueName("versions")
        let first = try await client.bulk([BulkOperation(index: index, id: "order-1", document: json(#"{"state":"paid"}"#), version: 5)])
        #expect(first.items.map(\.outcome) == [.written])
        let replay = try await client.bulk([
            BulkOperation(index: index, id: "order-1", document: json(#"{"state":"created"}"#), version: 3),
            BulkOperation(index: index, id: "order-1", document: json(#"{"state":"paid-again"}"#), version: 5),
        ])
        #expect(replay.items.map(\.outcome) == [.staleVersion, .staleVersion])
        #expect(replay.items.map(\.status) == [409, 409])
        #expect(try object(try await client.get(index: index, id: "order-1"))["state"] as? String == "paid")
        let newer = try await client.bulk([BulkOperation(index: index, id: "order-1", document: json(#"{"state":"shipped"}"#), version: 9)])
        #expect(newer.items.map(\.outcome) == [.written])
        #expect(try object(try await client.get(index: index, id: "order-1"))["state"] as? String == "shipped")
    }

    @Test("a document without a version is created once: a replay is a 409 counted as done, the document untouched")
    func unversionedDocumentsAreCreatedOnce() async throws {
        let client = makeClient(try await LocalStack.shared())
        let index = LocalStack.uniqueName("immutable")
        let first = try await client.bulk([BulkOperation(index: index, id: "event-1", document: json(#"{"page":"home"}"#))])
        #expect(first.items.map(\.outcome) == [.written])
        let replay = try await client.bulk([BulkOperation(index: index, id: "event-1", document: json(#"{"page":"home"}"#))])
        #expect(replay.items.map(\.outcome) == [.staleVersion])
        #expect(replay.items.map(\.status) == [409])
        let stored = try await client.request("GET", "/\(index)/_doc/event-1", body: nil).requireSuccess().body
        #expect(try object(stored)["_version"] as? Int == 1, "the replay rewrote the document")
    }

    @Test("a document that conflicts with the mapping is rejected, its neighbours are written")
    func mappingConflict() async throws {
        let client = makeClient(try await LocalStack.shared())
        let index = LocalStack.uniqueName("mapping")
        try await createIndex(client, index)
        let response = try await client.bulk([
            BulkOperation(index: index, id: "good-1", document: json(#"{"n":1,"k":"a"}"#)),
            BulkOperation(index: index, id: "bad", document: json(#"{"n":"not a number","k":"a"}"#)),
            BulkOperation(index: index, id: "good-2", document: json(#"{"n":2,"k":"b"}"#)),
        ])
        #expect(response.items.map(\.id) == ["good-1", "bad", "good-2"])
        #expect(response.items[0].outcome == .written)
        #expect(response.items[2].outcome == .written)
        guard case .rejected(let reason) = response.items[1].outcome else {
            Issue.record("expected rejected, got \(response.items[1].outcome)")
            return
        }
        #expect(reason.contains("HTTP 400"))
        #expect(try await client.get(index: index, id: "bad") == nil)
    }

    @Test("search with a terms aggregation")
    func termsAggregation() async throws {
        let client = makeClient(try await LocalStack.shared())
        let index = LocalStack.uniqueName("aggs")
        try await createIndex(client, index)
        let operations = ["a", "b", "a", "c", "a", "b"].enumerated().map { position, key in
            BulkOperation(index: index, id: "\(position)", document: json(#"{"n":\#(position),"k":"\#(key)"}"#))
        }
        #expect(try await client.bulk(operations).items.allSatisfy { $0.outcome == .written })
        try await client.refresh(index: index)
        let answer = try object(try await client.search(index: index, body: json(
            #"{"size":0,"aggs":{"by_k":{"terms":{"field":"k","size":10}}}}"#)))
        let buckets = try #require(((answer["aggregations"] as? [String: Any])?["by_k"] as? [String: Any])?["buckets"] as? [[String: Any]])
        let counts = Dictionary(uniqueKeysWithValues: buckets.compactMap { bucket in
            (bucket["key"] as? String).map { ($0, bucket["doc_count"] as? Int ?? -1) }
        })
        #expect(counts == ["a": 3, "b": 2, "c": 1])
        #expect(buckets.first?["key"] as? String == "a")
    }

    @Test("get: a missing id or index is nil; ids with reserved characters round-trip")
    func getDocuments() async throws {
        let client = makeClient(try await LocalStack.shared())
        let index = LocalStack.uniqueName("get")
        let odd = "a/b c?d#e%f+g\"é"
        _ = try await client.bulk([BulkOperation(index: index, id: odd, document: json(#"{"k":"odd"}"#))], refresh: true)
        #expect(try object(try await client.get(index: index, id: odd))["k"] as? String == "odd")
        #expect(try await client.get(index: index, id: "missing") == nil)
        #expect(try await client.get(index: LocalStack.uniqueName("no-index"), id: "1") == nil)
    }

    @Test("search on a missing index throws .http(404)")
    func searchMissingIndex() async throws {
        let client = makeClient(try await LocalStack.shared())
        await #expect {
            _ = try await client.search(index: LocalStack.uniqueName("absent"), body: json(#"{"query":{"match_all":{}}}"#))
        } throws: { error in
            guard case ElasticsearchError.http(let status, let body) = error else { return false }
            return status == 404 && body.contains("index_not_found_exception")
        }
    }

    @Test("an answer above maxResponseBytes fails clearly")
    func responseTooLarge() async throws {
        let client = makeClient(try await LocalStack.shared(), maxResponseBytes: 64)
        await #expect {
            try await client.ping()
        } throws: { error in
            guard case ElasticsearchError.invalidResponse(let message) = error else { return false }
            return message.contains("maxResponseBytes")
        }
    }

    @Test("concurrent requests share the client; beyond its connections they wait their turn")
    func concurrentRequests() async throws {
        let client = makeClient(try await LocalStack.shared(), maxConnections: 2)
        let index = LocalStack.uniqueName("parallel")
        try await withThrowingTaskGroup(of: BulkResponse.self) { group in
            for batch in 0..<40 {
                group.addTask {
                    try await client.bulk((0..<25).map { BulkOperation(index: index, id: "\(batch)-\($0)", document: json(#"{"n":\#($0)}"#)) })
                }
            }
            for try await response in group {
                #expect(response.items.count == 25 && response.items.allSatisfy { $0.outcome == .written })
            }
        }
        try await client.refresh(index: index)
        let count = try object(try await client.request("GET", "/\(index)/_count", body: nil).requireSuccess().body)
        #expect(count["count"] as? Int == 1000)
    }

    @Test("a closed port is .unreachable quickly")
    func unreachable() async throws {
        let port = try Network.freePort()
        let client = ElasticsearchClient(
            configuration: ElasticsearchConfiguration(url: "http://127.0.0.1:\(port)", connectTimeout: .seconds(2)),
            logger: Logger(label: "unreachable"))
        await #expect {
            try await client.ping()
        } throws: { error in
            guard case ElasticsearchError.unreachable(let message) = error else { return false }
            return message.contains("GET /")
        }
    }
}
