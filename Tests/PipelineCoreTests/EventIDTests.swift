@testable import PipelineCore
import Testing

@Suite("EventID")
struct EventIDTests {
    private func hex(_ value: UInt128) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 32 - digits.count) + digits
    }

    @Test("FNV-1a 128 test vectors (FNV specification; checked with an independent implementation)")
    func vectors() {
        #expect(EventID.fnv1a128([]) == 0x6c62272e07bb0142_62b821756295c58d)
        #expect(EventID.fnv1a128(Array("a".utf8)) == 0xd228cb696f1a8caf_78912b704e4a8964)
        #expect(EventID.fnv1a128(Array("foobar".utf8)) == 0x343e1662793c64bf_6f0d3597ba446f18)
    }

    @Test("The id is the hex of FNV-1a 128 over the canonical JSON: sorted keys, no whitespace")
    func idIsHashOfCanonicalJSON() throws {
        let value = try TestEvents.json(#"{ "a" : 1 }"#)
        #expect(Array(JSONCodec.serialize(value)) == Array(#"{"a":1}"#.utf8))
        #expect(EventID.derive(from: value) == "a930e708924ff78dd36054201cd38dc9")
        #expect(EventID.derive(from: value) == hex(EventID.fnv1a128(Array(#"{"a":1}"#.utf8))))
    }

    @Test("32 lowercase hex digits, leading zeros kept")
    func shape() throws {
        for ts in 0..<200 {
            let id = EventID.derive(from: TestEvents.pageView(ts: Int64(ts)))
            #expect(id.count == 32)
            #expect(id.allSatisfy { "0123456789abcdef".contains($0) }, "\(id)")
        }
    }

    @Test("Deterministic: the same event gives the same id every time")
    func deterministic() {
        let event = TestEvents.pageView(mid: "mid_9", ts: 1_793_491_200_123)
        #expect(EventID.derive(from: event) == EventID.derive(from: event))
    }

    @Test("Independent of the key order and whitespace of the input, at every depth")
    func canonical() throws {
        let a = try TestEvents.json(#"{"common":{"mid":"m","uid":"1"},"page":{"page_id":"home","item":"3"},"ts":5,"displays":[{"order":1,"item":"2"}]}"#)
        let b = try TestEvents.json("""
            {
              "ts" : 5,
              "displays" : [ { "item" : "2", "order" : 1 } ],
              "page" : { "item" : "3", "page_id" : "home" },
              "common" : { "uid" : "1", "mid" : "m" }
            }
            """)
        #expect(EventID.derive(from: a) == EventID.derive(from: b))
    }

    @Test("Independent of how strings and numbers are spelled (escapes, 1 vs 1.0)")
    func spelling() throws {
        let a = try TestEvents.json(#"{"common":{"mid":"caf\u00e9"},"page":{"during_time":1},"ts":5}"#)
        let b = try TestEvents.json(#"{"common":{"mid":"café"},"page":{"during_time":1.0},"ts":5}"#)
        #expect(EventID.derive(from: a) == EventID.derive(from: b))
    }

    @Test("Different events give different ids: time, device, a nested field, array order")
    func distinct() throws {
        let base = TestEvents.pageView(mid: "m", ts: 5)
        let variants: [JSONValue] = [
            base,
            TestEvents.pageView(mid: "m", ts: 6),
            TestEvents.pageView(mid: "n", ts: 5),
            TestEvents.pageView(mid: "m", ts: 5, pageID: "cart"),
            TestEvents.pageView(mid: "m", ts: 5, uid: nil),
            TestEvents.pageView(mid: "m", ts: 5, uid: .integer(7)),      // "7" vs 7
            try TestEvents.json(#"{"common":{"mid":"m"},"displays":[1,2],"ts":5}"#),
            try TestEvents.json(#"{"common":{"mid":"m"},"displays":[2,1],"ts":5}"#),
        ]
        let ids = Set(variants.map(EventID.derive(from:)))
        #expect(ids.count == variants.count)
    }

    @Test("Many similar events do not collide")
    func noCollisions() {
        let ids = Set((0..<5_000).map { EventID.derive(from: TestEvents.pageView(mid: "mid_\($0 % 50)", ts: Int64($0 / 50))) })
        #expect(ids.count == 5_000)
    }
}
