import PipelineCore
import Testing

@Suite("EventValidator")
struct EventValidatorTests {
    /// A minimal valid event with the given extra top-level members (JSON text without braces).
    private func event(_ members: String) -> String {
        "{" + members + "}"
    }

    private let common = #""common":{"mid":"mid_1","uid":"7"}"#

    private func expectRefused(_ text: String, field: String, index: Int = 0,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try TestEvents.validationError(text, index: index)
        #expect(error?.field == field, "for \(text)", sourceLocation: sourceLocation)
        #expect(error?.index == index, sourceLocation: sourceLocation)
        #expect(error?.message.isEmpty == false, sourceLocation: sourceLocation)
    }

    // MARK: accepted events

    @Test("A valid event keeps its client event_id, device, time and body")
    func validWithClientID() throws {
        let value = try TestEvents.json(event(common + #","page":{"page_id":"home"},"ts":1793491200000,"event_id":"e-1""#))
        let validated = try EventValidator.validate(value, index: 3)
        #expect(validated.eventID == "e-1")
        #expect(validated.mid == "mid_1")
        #expect(validated.ts == 1_793_491_200_000)
        #expect(validated.body == value)
        #expect(validated.uid == "7")
        #expect(validated.page?["page_id"] == .string("home"))
    }

    @Test("Without event_id the event gets the id derived from its content, also in its body")
    func validWithoutClientID() throws {
        let value = try TestEvents.json(event(common + #","start":{"entry":"icon"},"ts":5"#))
        let validated = try EventValidator.validate(value, index: 0)
        #expect(validated.eventID == EventID.derive(from: value))
        #expect(validated.body["event_id"] == .string(validated.eventID))
        #expect(validated.body["start"] == value["start"])
    }

    @Test("Each kind part alone is enough", arguments: [
        #""page":{}"#, #""start":{}"#, #""err":{"error_code":1}"#, #""displays":[]"#, #""actions":[]"#,
    ])
    func kindParts(part: String) throws {
        #expect(try TestEvents.validationError(event(common + ",\"ts\":0," + part)) == nil)
    }

    @Test("Time bounds: 0 and the largest time below maxTimestamp are accepted")
    func timeBounds() throws {
        #expect(try TestEvents.validationError(event(common + #","page":{},"ts":0"#)) == nil)
        let last = EventValidator.maxTimestamp - 1
        #expect(try TestEvents.validationError(event(common + #","page":{},"ts":\#(last)"#)) == nil)
    }

    @Test("Identifiers of exactly maxIdentifierBytes UTF-8 bytes are accepted")
    func identifierLimit() throws {
        let mid = String(repeating: "m", count: EventValidator.maxIdentifierBytes)
        let id = String(repeating: "é", count: EventValidator.maxIdentifierBytes / 2)   // 2 bytes each
        let text = event(#""common":{"mid":"\#(mid)"},"page":{},"ts":1,"event_id":"\#(id)""#)
        #expect(try TestEvents.validationError(text) == nil)
    }

    @Test("Common fields other than mid are not checked (mock logs send some as numbers)")
    func commonIsOpen() throws {
        let text = event(#""common":{"mid":"m","uid":42,"is_new":1,"extra":[1]},"page":{},"ts":1"#)
        let validated = try EventValidator.validate(try TestEvents.json(text), index: 0)
        #expect(validated.uid == "42")
    }

    // MARK: refused events

    @Test("An event that is not an object", arguments: ["[]", "1", "\"e\"", "null", "true", "1.5"])
    func notAnObject(text: String) throws {
        try expectRefused(text, field: "")
    }

    @Test("Unknown top-level fields are refused, the first in sorted order named")
    func unknownField() throws {
        try expectRefused(event(common + #","page":{},"ts":1,"zeta":1,"alpha":2"#), field: "alpha")
        try expectRefused(event(common + #","page":{},"ts":1,"Page":{}"#), field: "Page")
    }

    @Test("common missing or not an object")
    func commonMissingOrIllTyped() throws {
        try expectRefused(event(#""page":{},"ts":1"#), field: "common")
        for bad in ["\"m\"", "[]", "1", "null"] {
            try expectRefused(event("\"common\":\(bad)," + #""page":{},"ts":1"#), field: "common")
        }
    }

    @Test("common.mid missing, empty, not a string or too long", arguments: [
        #"{}"#, #"{"mid":""}"#, #"{"mid":12}"#, #"{"mid":null}"#, #"{"mid":["m"]}"#,
        #"{"mid":"\#(String(repeating: "x", count: 129))"}"#,
        #"{"mid":"\#(String(repeating: "é", count: 65))"}"#,
    ])
    func badMid(commonText: String) throws {
        try expectRefused(event("\"common\":\(commonText)," + #""page":{},"ts":1"#), field: "common.mid")
    }

    @Test("ts missing, not an integer, negative or too large", arguments: [
        nil, "\"1793491200000\"", "1.5", "1793491200000.25", "-1", "10000000000000", "99999999999999999999",
        "null", "true",
    ])
    func badTs(ts: String?) throws {
        let tsMember = ts.map { ",\"ts\":\($0)" } ?? ""
        try expectRefused(event(common + #","page":{}"# + tsMember), field: "ts")
    }

    @Test("page, start and err must be objects", arguments: ["page", "start", "err"])
    func partsMustBeObjects(part: String) throws {
        for bad in ["[]", "\"x\"", "1", "null"] {
            try expectRefused(event(common + #","ts":1,"displays":[],"# + "\"\(part)\":\(bad)"), field: part)
        }
    }

    @Test("displays and actions must be arrays", arguments: ["displays", "actions"])
    func listsMustBeArrays(part: String) throws {
        for bad in ["{}", "\"x\"", "1", "null"] {
            try expectRefused(event(common + #","ts":1,"page":{},"# + "\"\(part)\":\(bad)"), field: part)
        }
    }

    @Test("An event without any kind part (page, start, err, displays, actions) is refused")
    func noKindPart() throws {
        try expectRefused(event(common + #","ts":1"#), field: "page")
        try expectRefused(event(common + #","ts":1,"event_id":"e""#), field: "page")
    }

    @Test("event_id empty, too long or not a string", arguments: [
        "\"\"", "\"\(String(repeating: "i", count: 129))\"", "12", "null", "{}", "[\"e\"]",
    ])
    func badEventID(id: String) throws {
        try expectRefused(event(common + #","ts":1,"page":{},"event_id":"# + id), field: "event_id")
    }

    @Test("The error carries the index it was given")
    func indexIsReported() throws {
        try expectRefused(event(common + #","page":{}"#), field: "ts", index: 17)
    }

    // MARK: validateAll

    @Test("validateAll returns every event in order")
    func validateAllValid() throws {
        let values = (0..<5).map { TestEvents.pageView(mid: "m\($0)", ts: Int64($0)) }
        let events = try EventValidator.validateAll(values)
        #expect(events.map(\.mid) == ["m0", "m1", "m2", "m3", "m4"])
    }

    @Test("validateAll names the position of the first bad event and stops there")
    func validateAllStopsAtFirst() throws {
        let values: [JSONValue] = [
            TestEvents.pageView(ts: 1),
            try TestEvents.json(event(common + #","page":{}"#)),           // no ts
            try TestEvents.json(event(#""page":{},"ts":1"#)),               // no common
        ]
        do {
            _ = try EventValidator.validateAll(values)
            Issue.record("an invalid batch was accepted")
        } catch {
            #expect(error.index == 1)
            #expect(error.field == "ts")
        }
    }

    @Test("validateAll of an empty batch is empty")
    func validateAllEmpty() throws {
        #expect(try EventValidator.validateAll([]).isEmpty)
    }

    @Test("BehaviourEvent(validating:) reads a stored event back with the same identity")
    func readBack() throws {
        let first = try EventValidator.validate(TestEvents.pageView(ts: 9), index: 0)
        let again = try BehaviourEvent(validating: first.body)
        #expect(again == first)
    }
}

@Suite("EventValidator number reading")
struct EventValidatorNumberTests {
    @Test("ts must be written as an integer: a fraction or an exponent is refused, naming ts")
    func integralNumberForms() throws {
        for text in ["1793491200000.0", "1.7934912e12"] {
            let value = try TestEvents.json(#"{"common":{"mid":"m"},"page":{},"ts":\#(text)}"#)
            #expect(throws: EventValidationError.self) { try EventValidator.validate(value, index: 0) }
            do {
                _ = try EventValidator.validate(value, index: 0)
            } catch {
                #expect(error.field == "ts")
            }
        }
    }

    @Test("source is set by log-ingest: refused from a client, kept when read back from ods.log")
    func sourceIsReserved() throws {
        let value = try TestEvents.json(#"{"common":{"mid":"m1"},"page":{"page_id":"home"},"ts":1,"source":"app"}"#)
        do {
            _ = try EventValidator.validate(value, index: 2)
            Issue.record("a client's source was accepted")
        } catch {
            #expect(error.field == "source" && error.index == 2)
            #expect(error.message.contains("reserved"))
        }
        #expect(try BehaviourEvent(validating: value).body["source"] == .string("app"))
    }
}
