import PipelineCore
import Testing

@Suite("EventBodyFormat")
struct EventBodyFormatTests {
    @Test("JSON media types, with or without parameters and in any case", arguments: [
        "application/json", "application/json; charset=utf-8", "APPLICATION/JSON;charset=UTF-8",
        " application/json ", "Application/Json ; charset=\"utf-8\"",
    ])
    func json(contentType: String) {
        #expect(EventBodyFormat(contentType: contentType) == .json)
    }

    @Test("NDJSON media types, with or without parameters", arguments: [
        "application/x-ndjson", "application/x-ndjson; charset=utf-8", "application/ndjson", "APPLICATION/X-NDJSON",
    ])
    func ndjson(contentType: String) {
        #expect(EventBodyFormat(contentType: contentType) == .ndjson)
    }

    @Test("Unsupported media types", arguments: [
        "text/plain", "application/xml", "", ";", "application/jsonl", "application/json-seq", "text/json",
        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "charset=utf-8; application/json",
    ])
    func unsupported(contentType: String) {
        #expect(EventBodyFormat(contentType: contentType) == nil)
    }

    @Test("No Content-Type at all is unsupported")
    func missing() {
        #expect(EventBodyFormat(contentType: nil) == nil)
    }
}

@Suite("EventBatchParser")
struct EventBatchParserTests {
    private func parse(_ text: String, _ format: EventBodyFormat) throws(MalformedBodyError) -> [JSONValue] {
        try EventBatchParser.parse(Array(text.utf8), format: format)
    }

    @Test("A single JSON object is a batch of one")
    func singleObject() throws {
        let events = try parse(#"{"common":{"mid":"m1"},"ts":1}"#, .json)
        #expect(events == [try TestEvents.json(#"{"common":{"mid":"m1"},"ts":1}"#)])
    }

    @Test("A JSON array yields its elements in order, whatever their type")
    func array() throws {
        let events = try parse(#"[{"ts":1},{"ts":2}, 3, "x", null]"#, .json)
        #expect(events == [.object(["ts": .integer(1)]), .object(["ts": .integer(2)]), .integer(3), .string("x"), .null])
    }

    @Test("An empty JSON array is an empty batch")
    func emptyArray() throws {
        #expect(try parse(" [ ] ", .json).isEmpty)
    }

    @Test("A JSON scalar is a batch of one value (the validator refuses it)")
    func scalar() throws {
        #expect(try parse("42", .json) == [.integer(42)])
    }

    @Test("A JSON body with whitespace and newlines around it")
    func whitespace() throws {
        #expect(try parse("\r\n  [\n{\"ts\":1}\r\n]\n\n", .json) == [.object(["ts": .integer(1)])])
    }

    @Test("Malformed JSON bodies carry no line number", arguments: [
        "", "{", "[{\"ts\":1},,]", "{\"ts\":1}{\"ts\":2}", "{\"ts\":1}\n{\"ts\":2}", "nul", "{'ts':1}", "[1 2]",
    ])
    func malformedJSON(body: String) {
        #expect(throws: MalformedBodyError.self) { try parse(body, .json) }
        do {
            _ = try parse(body, .json)
        } catch {
            #expect(error.line == nil)
            #expect(!error.message.isEmpty)
        }
    }

    @Test("Trailing commas are malformed JSON, in a JSON body and on an NDJSON line",
          arguments: ["[{\"ts\":1},]", "{\"ts\":1,}", "{\"common\":{\"mid\":\"m\",},\"ts\":1}"])
    func trailingCommas(body: String) {
        #expect(throws: MalformedBodyError.self) { try parse(body, .json) }
        #expect(throws: MalformedBodyError.self) { try parse(body + "\n", .ndjson) }
    }

    @Test("NDJSON: one value per line, blank and whitespace-only lines skipped, CRLF accepted")
    func ndjson() throws {
        let body = "{\"ts\":1}\r\n\r\n  \n{\"ts\":2}\n\t\n  {\"ts\":3}  \r\n"
        #expect(try parse(body, .ndjson) == [1, 2, 3].map { .object(["ts": .integer($0)]) })
    }

    @Test("NDJSON without a trailing newline")
    func ndjsonNoTrailingNewline() throws {
        #expect(try parse("{\"ts\":1}\n{\"ts\":2}", .ndjson).count == 2)
    }

    @Test("An empty or blank NDJSON body is an empty batch", arguments: ["", "\n", "\r\n\r\n", "  \n\t\n"])
    func ndjsonEmpty(body: String) throws {
        #expect(try parse(body, .ndjson).isEmpty)
    }

    @Test("Malformed NDJSON names the 1-based line, counting blank lines")
    func ndjsonMalformedLine() {
        let body = "{\"ts\":1}\r\n\n{\"ts\":2}\n{\"ts\":\n{\"ts\":4}\n"
        do {
            _ = try parse(body, .ndjson)
            Issue.record("malformed NDJSON was accepted")
        } catch {
            #expect(error.line == 4)
            #expect(error.message.contains("4"))
            #expect(error.offset == 26, "the end of line 4 (which starts at byte 20), where a value was expected")
        }
    }

    @Test("The error gives the byte offset in the body, and a duplicated key is refused by name")
    func offsetsAndDuplicateKeys() {
        for (body, format, offset, fragment) in [
            (#"[{"mid":"a"},{"mid":"a","ts":1,"mid":"b"}]"#, EventBodyFormat.json, 13, #"duplicate key "mid""#),
            ("{\"mid\":\"a\"}\n{\"ts\":1,\"ts\":2}\n", .ndjson, 12, #"duplicate key "ts""#),
            (#"{"mid":"a",}"#, .json, 11, "trailing comma"),
        ] {
            do {
                _ = try parse(body, format)
                Issue.record("\(body) was accepted")
            } catch {
                #expect(error.offset == offset, "\(body)")
                #expect(error.message.contains(fragment), "\(error.message)")
                #expect(error.message.contains("at byte \(offset)"), "\(error.message)")
            }
        }
    }

    @Test("An NDJSON line holding two values is malformed")
    func ndjsonTwoValuesOnALine() {
        do {
            _ = try parse("{\"ts\":1} {\"ts\":2}\n", .ndjson)
            Issue.record("two values on one line were accepted")
        } catch {
            #expect(error.line == 1)
        }
    }

    @Test("An NDJSON line may hold an array: it stays one value (the validator refuses it)")
    func ndjsonArrayLine() throws {
        #expect(try parse("[{\"ts\":1},{\"ts\":2}]\n", .ndjson) == [.array([.object(["ts": .integer(1)]), .object(["ts": .integer(2)])])])
    }

    @Test("Non-UTF-8 bytes are malformed")
    func invalidUTF8() {
        #expect(throws: MalformedBodyError.self) {
            try EventBatchParser.parse([0x22, 0xFF, 0xFE, 0x22], format: .json)
        }
    }
}
