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
