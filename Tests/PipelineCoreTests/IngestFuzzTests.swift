import Foundation
import PipelineCore
import Testing
import TestSupport

/// Seeded fuzzing of what log-ingest does with a body before Kafka (parse, then validate): every body is
/// accepted whole or refused with a parse or validation error, never anything else; valid events are
/// always accepted, and what is accepted reads back from Kafka as the same events. `FUZZ_SEED` replays a run.
struct IngestFuzzTests {
    static let seed = UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "") ?? UInt64.random(in: 1...(1 << 62))
    static let cases = Int(ProcessInfo.processInfo.environment["FUZZ_CASES"] ?? "") ?? 20_000

    @Test func everyBodyIsAcceptedWholeOrRefusedWithAClearError() {
        var bodies = FuzzBodies(seed: Self.seed)
        var outcomes: [String: Int] = [:]
        for number in 0..<Self.cases {
            let body = bodies.next()
            let outcome: String
            do {
                let events = try EventValidator.validateAll(try EventBatchParser.parse(body.bytes, format: body.format))
                outcome = events.isEmpty ? "empty" : "accepted"
                if body.kind == .valid { #expect(events.count == body.events, "case \(number), seed \(Self.seed)") }
                for event in events {
                    // As log-ingest writes it to Kafka (with its source) and the enricher reads it back.
                    var written = event.body.objectValue ?? [:]
                    written["source"] = .string("fuzz")
                    let readBack = try? BehaviourEvent(validating: JSONCodec.parse(JSONCodec.serialize(.object(written))))
                    #expect(readBack?.eventID == event.eventID && readBack?.mid == event.mid && readBack?.ts == event.ts,
                            "case \(number), seed \(Self.seed): an accepted event does not read back")
                }
            } catch let error as MalformedBodyError {
                outcome = "malformed"
                #expect(body.kind != .valid, "case \(number), seed \(Self.seed): a valid body was refused: \(error.message)")
                #expect(error.offset >= 0 && error.offset <= body.bytes.count)
            } catch let error as EventValidationError {
                outcome = "invalid"
                #expect(body.kind != .valid, "case \(number), seed \(Self.seed): a valid event was refused: \(error)")
            } catch {
                outcome = "other"
                Issue.record("case \(number), seed \(Self.seed): unexpected \(type(of: error)): \(error)")
            }
            outcomes["\(body.kind.rawValue) \(outcome)", default: 0] += 1
        }
        print("ingest fuzz: \(Self.cases) bodies, seed \(Self.seed): "
              + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
}

/// log-ingest's fast path (`EventScanner`) against the full path (parse, then validate): on every fuzzed body
/// and on hand-picked edge cases, the fast path accepts only what the full path accepts, with the same
/// events, and what it writes to Kafka reads back as the full path's event with its `source`.
struct EventScannerDifferentialTests {
    /// Checks one body; returns whether the fast path took it.
    @discardableResult
    static func check(_ bytes: [UInt8], _ format: EventBodyFormat, _ label: String) throws -> Bool {
        let full = try? EventValidator.validateAll(try EventBatchParser.parse(bytes, format: format))
        guard let scanned = EventScanner.scan(bytes, format: format) else {
            // The fast path declines only what the full path refuses.
            #expect(full?.isEmpty ?? true, "\(label): a valid body took the full path")
            return false
        }
        let events = try #require(full, "\(label): the fast path accepted a body the full path refuses")
        #expect(scanned.count == events.count, "\(label)")
        #expect(scanned.map(\.mid) == events.map(\.mid), "\(label)")
        #expect(scanned.map(\.ts) == events.map(\.ts), "\(label)")
        let source = EventScanner.SourceMember("fuzz \"source\"")
        for (scannedEvent, event) in zip(scanned, events) {
            if let id = scannedEvent.eventID { #expect(id == event.eventID, "\(label)") }
            var expected = try #require(event.body.objectValue)
            expected["source"] = .string("fuzz \"source\"")
            let written = try JSONCodec.parse(try #require(EventScanner.message(bytes, scannedEvent, source: source)))
            #expect(written == .object(expected), "\(label): what goes to Kafka differs")
        }
        return true
    }

    @Test func fuzzedBodies() throws {
        var bodies = FuzzBodies(seed: IngestFuzzTests.seed)
        var fast = 0
        for number in 0..<IngestFuzzTests.cases {
            let body = bodies.next()
            if try Self.check(body.bytes, body.format, "case \(number), seed \(IngestFuzzTests.seed)") { fast += 1 }
        }
        print("event scanner: \(fast) of \(IngestFuzzTests.cases) fuzzed bodies took the fast path")
        #expect(fast > IngestFuzzTests.cases / 4, "the fast path is hardly ever taken")
    }

    static let common = #""common":{"mid":"m1","uid":"7","ar":"110000"}"#
    static let page = #""page":{"page_id":"home","during_time":1}"#

    @Test(arguments: [
        // Taken: valid, with own ids, in every layout.
        (#"{\#(common),\#(page),"ts":1,"event_id":"e1"}"#, EventBodyFormat.json, true),
        (" [ {\(common) , \(page) , \"ts\" : 0 , \"event_id\" : \"e1\" } ,{\(common),\"start\":{},\"ts\":-0,\"event_id\":\"e2\"} ] \n", .json, true),
        ("\n\r\n  {\(common),\(page),\"ts\":1,\"event_id\":\"e1\"}\r\n\n{\(common),\"displays\":[],\"ts\":2,\"event_id\":\"\\u00e9\"}", .ndjson, true),
        (#"{"common":{"mid":"m\u0031","mid2":{"a":[1,2.5e3,{"b":null}]}},"err":{"x":"\ud83d\ude00"},"ts":9999999999999,"event_id":"e"}"#, .json, true),
        (#"{\#(common),\#(page),"ts":1}"#, .json, true),  // no event_id: derived when written
        // Declined: the full path refuses them.
        (#"{\#(common),\#(page),"ts":1,"event_id":"e1","source":"x"}"#, .json, false),
        (#"{\#(common),\#(page),"ts":1,"event_id":"e1","extra":1}"#, .json, false),
        (#"{\#(common),\#(page),"ts":1.0,"event_id":"e1"}"#, .json, false),
        (#"{\#(common),\#(page),"ts":10000000000000,"event_id":"e1"}"#, .json, false),
        (#"{\#(common),\#(page),"ts":-1,"event_id":"e1"}"#, .json, false),
        (#"{\#(common),"ts":1,"event_id":"e1"}"#, .json, false),
        (#"{\#(common),"page":[],"ts":1,"event_id":"e1"}"#, .json, false),
        (#"{\#(common),\#(page),"ts":1,"event_id":""}"#, .json, false),
        (#"{"common":{"mid":""},\#(page),"ts":1,"event_id":"e1"}"#, .json, false),
        (#"{"common":{"mid":1},\#(page),"ts":1,"event_id":"e1"}"#, .json, false),
        (#"{"common":{"mid":"a","mid":"b"},\#(page),"ts":1,"event_id":"e1"}"#, .json, false),
        (#"{\#(common),"page":{"a":1,"a":2},"ts":1,"event_id":"e1"}"#, .json, false),
        (#"{\#(common),\#(page),"ts":1,"event_id":"e1","ts":2}"#, .json, false),
        (#"{\#(common),\#(page),"ts":1,"event_id":"e1"},"#, .json, false),
        (#"[{\#(common),\#(page),"ts":1,"event_id":"e1"},]"#, .json, false),
        (#"[]"#, .json, false),
        (#"[{\#(common),\#(page),"ts":1,"event_id":"e1"}, 1]"#, .json, false),
        (#"{\#(common),"page":{"x":1e400},"ts":1,"event_id":"e1"}"#, .json, false),
        (#"{\#(common),"page":{"x":"\ud800"},"ts":1,"event_id":"e1"}"#, .json, false),
        ("{\(common),\"page\":{\"x\":\"a\u{01}\"},\"ts\":1,\"event_id\":\"e1\"}", .json, false),
        ("{\(common),\(page),\"ts\":1,\"event_id\":\"e1\"} x", .ndjson, false),
        ("", .ndjson, false),
        (#"{"common":{"mid":"\#(String(repeating: "m", count: 129))"},\#(page),"ts":1,"event_id":"e1"}"#, .json, false),
    ])
    func edgeCases(text: String, format: EventBodyFormat, taken: Bool) throws {
        #expect(try Self.check(Array(text.utf8), format, text) == taken)
    }

    @Test func invalidUTF8AndDeepNestingAreDeclined() throws {
        var bytes = Array(#"{"common":{"mid":"m"},"page":{"x":"#.utf8) + [0x22, 0xC3, 0x28, 0x22] + Array(#"},"ts":1,"event_id":"e"}"#.utf8)
        #expect(try !Self.check(bytes, .json, "invalid UTF-8"))
        bytes = Array(#"{"common":{"mid":"m"},"page":{"x":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 600)
            + Array(repeating: UInt8(ascii: "]"), count: 600) + Array(#"},"ts":1,"event_id":"e"}"#.utf8)
        #expect(try !Self.check(bytes, .json, "600 levels"))
        bytes = Array(#"[{"common":{"mid":"m"},"page":{"x":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 509)
            + Array(repeating: UInt8(ascii: "]"), count: 509) + Array(#"},"ts":1,"event_id":"e"}]"#.utf8)
        #expect(try Self.check(bytes, .json, "512 levels, the limit"))
    }
}
