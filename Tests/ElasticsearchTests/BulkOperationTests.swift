import Foundation
import Testing
@testable import Elasticsearch

/// Splits an NDJSON body into lines and parses each as a JSON object.
private func parseLines(_ body: [UInt8]) throws -> [[String: Any]] {
    #expect(body.last == 0x0A, "NDJSON must end with a newline")
    return try body.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }
}

@Suite("BulkOperation.ndjson")
struct BulkOperationTests {
    @Test("an action line then the document, per operation: create without a version, index with one")
    func shape() throws {
        let body = BulkOperation.ndjson([
            BulkOperation(index: "orders", id: "1", document: Array(#"{"a":1}"#.utf8)),
            BulkOperation(index: "orders", id: "2", document: Array(#"{"a":2}"#.utf8), version: 42),
        ])
        #expect(String(decoding: body, as: UTF8.self) == """
            {"create":{"_index":"orders","_id":"1"}}
            {"a":1}
            {"index":{"_index":"orders","_id":"2","version":42,"version_type":"external"}}
            {"a":2}

            """)
    }

    @Test("ids and index names with quotes, backslashes, control characters and non-ASCII survive")
    func escaping() throws {
        let id = "a\"b\\c\nd\te\u{01}f/é😀"
        let index = "odd\"index"
        let lines = try parseLines(BulkOperation.ndjson([BulkOperation(index: index, id: id, document: Array("{}".utf8))]))
        #expect(lines.count == 2)
        let action = try #require(lines[0]["create"] as? [String: Any])
        #expect(action["_id"] as? String == id)
        #expect(action["_index"] as? String == index)
        #expect(action["version"] == nil && action["version_type"] == nil)
    }

    @Test("a pretty-printed document is folded onto one line without changing its content")
    func multiLineDocument() throws {
        let document = Array("{\n  \"text\": \"line\\nbreak\",\r\n  \"n\": 3\n}\n".utf8)
        let lines = try parseLines(BulkOperation.ndjson([BulkOperation(index: "i", id: "x", document: document, version: 7)]))
        #expect(lines.count == 2)
        #expect(lines[1]["text"] as? String == "line\nbreak")
        #expect(lines[1]["n"] as? Int == 3)
        let action = try #require(lines[0]["index"] as? [String: Any])
        #expect(action["version"] as? Int == 7)
        #expect(action["version_type"] as? String == "external")
    }

    @Test("no operations, no bytes")
    func empty() {
        #expect(BulkOperation.ndjson([]).isEmpty)
    }
}

@Suite("URL path segments")
struct URLPathTests {
    @Test("reserved characters are percent-encoded, patterns and lists are kept")
    func encoding() {
        #expect(URLPath.segment("dwd-order-*,ads") == "dwd-order-*,ads")
        #expect(URLPath.segment("a/b?c#d e%f+g") == "a%2Fb%3Fc%23d%20e%25f%2Bg")
        #expect(URLPath.segment("é") == "%C3%A9")
    }
}
