import Testing
@testable import Elasticsearch

private func parse(_ json: String, expectedCount: Int) throws -> BulkResponse {
    try BulkResponse.parse(Array(json.utf8), expectedCount: expectedCount)
}

@Suite("BulkResponse.parse")
struct BulkResponseTests {
    /// A real-looking answer with one item of each kind, in order.
    static let mixed = """
        {"took":12,"errors":true,"items":[
          {"index":{"_index":"o","_id":"1","_version":3,"result":"created","status":201}},
          {"index":{"_index":"o","_id":"2","_version":1,"result":"updated","status":200}},
          {"index":{"_index":"o","_id":"3","status":409,"error":{"type":"version_conflict_engine_exception",
            "reason":"[3]: version conflict, current version [9] is higher or equal to the one provided [5]"}}},
          {"index":{"_index":"o","_id":"4","status":400,"error":{"type":"mapper_parsing_exception",
            "reason":"failed to parse field [n] of type [integer]","caused_by":{"type":"number_format_exception"}}}},
          {"index":{"_index":"o","_id":"5","status":429,"error":{"type":"circuit_breaking_exception","reason":"too much"}}},
          {"index":{"_index":"o","_id":"6","status":503,"error":{"type":"unavailable_shards_exception","reason":"primary shard is not active"}}},
          {"create":{"_index":"o","_id":"7","status":400,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}}
        ]}
        """

    @Test("items keep their order, ids, statuses and errors")
    func fields() throws {
        let response = try parse(Self.mixed, expectedCount: 7)
        #expect(response.tookMillis == 12)
        #expect(response.items.map(\.id) == ["1", "2", "3", "4", "5", "6", "7"])
        #expect(response.items.map(\.status) == [201, 200, 409, 400, 429, 503, 400])
        #expect(response.items[0].index == "o")
        #expect(response.items[0].errorType == nil)
        #expect(response.items[3].errorType == "mapper_parsing_exception")
        #expect(response.items[3].errorReason == "failed to parse field [n] of type [integer]")
    }

    @Test("outcomes: written, stale version, rejected content, retryable")
    func outcomes() throws {
        let outcomes = try parse(Self.mixed, expectedCount: 7).items.map(\.outcome)
        #expect(outcomes[0] == .written)
        #expect(outcomes[1] == .written)
        #expect(outcomes[2] == .staleVersion)
        #expect(outcomes[3] == .rejected(reason: "HTTP 400 mapper_parsing_exception: failed to parse field [n] of type [integer]"))
        #expect(outcomes[4] == .retryable(reason: "HTTP 429 circuit_breaking_exception: too much"))
        guard case .retryable = outcomes[5] else { Issue.record("503 should be retryable, got \(outcomes[5])"); return }
        guard case .retryable = outcomes[6] else { Issue.record("es_rejected_execution_exception should be retryable"); return }
    }

    @Test("a 409 that is not a version conflict is not counted as done")
    func otherConflict() {
        let item = BulkItemResult(index: "o", id: "1", status: 409, errorType: "some_other_conflict", errorReason: "x")
        #expect(item.outcome == .rejected(reason: "HTTP 409 some_other_conflict: x"))
    }

    @Test("an answer with fewer or more items than operations is refused")
    func countMismatch() throws {
        let oneItem = #"{"took":1,"errors":false,"items":[{"index":{"_index":"o","_id":"1","status":201}}]}"#
        #expect(throws: ElasticsearchError.invalidResponse("the _bulk answer has 1 items for 2 operations")) {
            try parse(oneItem, expectedCount: 2)
        }
        #expect(throws: ElasticsearchError.self) { try parse(oneItem, expectedCount: 0) }
        #expect(try parse(oneItem, expectedCount: 1).items.count == 1)
    }

    @Test("garbage is refused with .invalidResponse", arguments: [
        "", "not json", "[]", #"{"took":1}"#, #"{"items":[{"index":{"_id":"1"}}]}"#,
        #"{"items":[{"index":{"_id":"1","status":201},"delete":{"_id":"1","status":200}}]}"#,
        #"{"items":[{"index":{"_id":"1","status":"#,
    ])
    func garbage(json: String) {
        #expect {
            try parse(json, expectedCount: 1)
        } throws: { error in
            guard case ElasticsearchError.invalidResponse = error else { return false }
            return true
        }
    }
}

@Suite("ElasticsearchResponse")
struct ElasticsearchResponseTests {
    @Test("requireSuccess passes 2xx and cuts long error bodies to about 2 KB")
    func requireSuccess() throws {
        #expect(try ElasticsearchResponse(status: 201, body: [1]).requireSuccess().body == [1])
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
        #expect {
            try ElasticsearchResponse(status: 500, body: long).requireSuccess()
        } throws: { error in
            guard case ElasticsearchError.http(500, let body) = error else { return false }
            return body.count < 2_100 && body.hasSuffix("(10000 bytes)")
        }
    }
}
