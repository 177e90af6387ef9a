import Foundation
import PipelineCore
import Testing

@Suite("DauPlanner")
struct DauPlannerTests {
    private let utc = DauPlanner(calendar: BusinessCalendar())
    private let nov1 = BusinessDate("2026-11-01")!
    private let nov2 = BusinessDate("2026-11-02")!
    private let t0 = Instants.nov1UTC + 8 * Instants.hour + 1_234   // 2026-11-01 08:00:01.234Z

    private func key(_ date: BusinessDate, _ mid: String) -> DauKey { DauKey(date: date, mid: mid) }

    @Test("The record id is <yyyy-MM-dd>:<mid>")
    func recordID() {
        #expect(key(nov1, "mid_7").recordID == "2026-11-01:mid_7")
    }

    @Test("keys(of:) lists each device-day of a batch once")
    func keys() throws {
        let events = [
            try TestEvents.event(mid: "a", ts: t0), try TestEvents.event(mid: "a", ts: t0 + 5),
            try TestEvents.event(mid: "b", ts: t0), try TestEvents.event(mid: "a", ts: Instants.nov2UTC),
        ]
        #expect(utc.keys(of: events) == [key(nov1, "a"), key(nov1, "b"), key(nov2, "a")])
        #expect(utc.keys(of: []).isEmpty)
    }

    @Test("The first event of a device-day makes the record and the new state")
    func firstRecord() throws {
        let event = try TestEvents.event(mid: "mid_1", ts: t0, eventID: "e1", uid: .string("42"), area: "310000")
        let (records, firstSeen) = utc.plan(events: [event], known: [:])
        #expect(firstSeen == [key(nov1, "mid_1"): t0])
        let record = try #require(records.first)
        #expect(records.count == 1)
        #expect(record.topic == Topics.dau)
        #expect(record.topic == "dwd.dau")
        #expect(record.id == "2026-11-01:mid_1")
        #expect(record.version == EventValidator.maxTimestamp - t0)
        #expect(record.version == DauPlanner.version(forFirstEventAt: t0))
        #expect(record.document == .object([
            "date": .string("2026-11-01"), "mid": .string("mid_1"), "ts": .integer(t0), "hour": .integer(8),
            "event_id": .string("e1"), "uid": .string("42"), "ar": .string("310000"), "is_new": .string("0"),
        ]))
    }

    @Test("A numeric uid becomes text; a missing uid is left out")
    func uidForms() throws {
        let numeric = utc.plan(events: [try TestEvents.event(mid: "a", ts: t0, uid: .integer(42))], known: [:]).records
        #expect(numeric.first?.document["uid"] == .string("42"))
        let missing = utc.plan(events: [try TestEvents.event(mid: "a", ts: t0, uid: nil)], known: [:]).records
        #expect(missing.first?.document["uid"] == nil)
        #expect(missing.first?.document["mid"] == .string("a"))
    }

    @Test("A later event of a known device-day (or one at the same time) emits nothing")
    func laterEventDoesNothing() throws {
        for ts in [t0 + 1, t0 + Instants.hour, t0] {
            let (records, firstSeen) = utc.plan(events: [try TestEvents.event(ts: ts)], known: [key(nov1, "mid_1"): t0])
            #expect(records.isEmpty)
            #expect(firstSeen.isEmpty)
        }
    }

    @Test("A late earlier event corrects the record: same id, earlier time, higher version")
    func lateEarlierEventCorrects() throws {
        let first = utc.plan(events: [try TestEvents.event(ts: t0, eventID: "late")], known: [:])
        let known = first.firstSeen
        let earlier = t0 - 3 * Instants.hour
        let correction = utc.plan(events: [try TestEvents.event(ts: earlier, eventID: "early")], known: known)
        let old = try #require(first.records.first)
        let new = try #require(correction.records.first)
        #expect(new.id == old.id)
        #expect(new.document["ts"] == .integer(earlier))
        #expect(new.document["hour"] == .integer(5))
        #expect(new.document["event_id"] == .string("early"))
        #expect(try #require(new.version) > #require(old.version))
        #expect(correction.firstSeen == [key(nov1, "mid_1"): earlier])
    }

    @Test("Versions fall as the first event time rises, and stay positive over the accepted range")
    func versions() {
        #expect(DauPlanner.version(forFirstEventAt: 1) < DauPlanner.version(forFirstEventAt: 0))
        #expect(DauPlanner.version(forFirstEventAt: EventValidator.maxTimestamp - 1) == 1)
        #expect(DauPlanner.version(forFirstEventAt: 0) == EventValidator.maxTimestamp)
    }

    @Test("Within a batch the earliest event wins whatever the order")
    func earliestInBatch() throws {
        let events = [
            try TestEvents.event(ts: t0 + 500, eventID: "c"), try TestEvents.event(ts: t0, eventID: "b"),
            try TestEvents.event(ts: t0 + 10, eventID: "a"),
        ]
        for order in [events, events.reversed(), [events[1], events[0], events[2]]] {
            let (records, firstSeen) = utc.plan(events: order, known: [:])
            #expect(records.count == 1)
            #expect(records.first?.document["event_id"] == .string("b"))
            #expect(firstSeen[key(nov1, "mid_1")] == t0)
        }
    }

    @Test("Equal times are decided by the smaller event id, whatever the order")
    func tieBrokenByEventID() throws {
        let x = try TestEvents.event(ts: t0, eventID: "id-b")
        let y = try TestEvents.event(ts: t0, eventID: "id-a")
        let z = try TestEvents.event(ts: t0, eventID: "id-c")
        for order in [[x, y, z], [y, x, z], [z, x, y], [z, y, x]] {
            let records = utc.plan(events: order, known: [:]).records
            #expect(records.map { $0.document["event_id"] } == [.string("id-a")])
        }
    }

    @Test("Several devices and days in one batch: one record each, sorted by day then device")
    func severalDevicesAndDays() throws {
        let events = [
            try TestEvents.event(mid: "b", ts: Instants.nov2UTC + 7 * Instants.hour),
            try TestEvents.event(mid: "a", ts: Instants.nov2UTC + 2 * Instants.hour),
            try TestEvents.event(mid: "b", ts: t0 + 20),
            try TestEvents.event(mid: "a", ts: t0 + 9 * Instants.hour),
            try TestEvents.event(mid: "a", ts: t0 + Instants.hour),
            try TestEvents.event(mid: "b", ts: t0),
            try TestEvents.event(mid: "b", ts: Instants.nov2UTC + 3 * Instants.hour),
        ]
        let (records, firstSeen) = utc.plan(events: events, known: [:])
        #expect(records.map(\.id) == ["2026-11-01:a", "2026-11-01:b", "2026-11-02:a", "2026-11-02:b"])
        #expect(records.map { $0.document["hour"] } == [.integer(9), .integer(8), .integer(2), .integer(3)])
        #expect(firstSeen == [
            key(nov1, "a"): t0 + Instants.hour, key(nov1, "b"): t0,
            key(nov2, "a"): Instants.nov2UTC + 2 * Instants.hour, key(nov2, "b"): Instants.nov2UTC + 3 * Instants.hour,
        ])
    }

    @Test("Known state earlier than the whole batch: that device-day emits nothing, the others do")
    func knownStateEarlier() throws {
        let known = [key(nov1, "a"): t0 - Instants.hour, key(nov1, "c"): t0 + Instants.hour]
        let events = [
            try TestEvents.event(mid: "a", ts: t0), try TestEvents.event(mid: "a", ts: t0 + 1),
            try TestEvents.event(mid: "b", ts: t0 + 2), try TestEvents.event(mid: "c", ts: t0 + 3),
        ]
        let (records, firstSeen) = utc.plan(events: events, known: known)
        #expect(records.map(\.id) == ["2026-11-01:b", "2026-11-01:c"])
        #expect(firstSeen == [key(nov1, "b"): t0 + 2, key(nov1, "c"): t0 + 3])
    }

    @Test("State of another day does not hide a device's first event of this day")
    func knownStateOfAnotherDay() throws {
        let (records, _) = utc.plan(events: [try TestEvents.event(mid: "a", ts: Instants.nov2UTC)],
                                    known: [key(nov1, "a"): t0])
        #expect(records.map(\.id) == ["2026-11-02:a"])
        #expect(records.first?.document["hour"] == .integer(0))
    }

    @Test("Business days and hours follow the calendar's time zone")
    func timeZone() throws {
        let shanghai = DauPlanner(calendar: BusinessCalendar(timeZone: try #require(TimeZone(identifier: "Asia/Shanghai"))))
        let events = [
            try TestEvents.event(mid: "a", ts: Instants.nov1LastMilliShanghai),
            try TestEvents.event(mid: "a", ts: Instants.nov2Shanghai),
        ]
        let records = shanghai.plan(events: events, known: [:]).records
        #expect(records.map(\.id) == ["2026-11-01:a", "2026-11-02:a"])
        #expect(records.map { $0.document["hour"] } == [.integer(23), .integer(0)])
    }

    @Test("A replay of the same batch against the same state gives the same records")
    func replayIsDeterministic() throws {
        let events = try (0..<50).map { try TestEvents.event(mid: "m\($0 % 7)", ts: t0 + Int64(($0 * 7_919) % 86_400_000)) }
        let known = [key(nov1, "m3"): t0 + 1_000]
        let first = utc.plan(events: events, known: known)
        let second = utc.plan(events: events.reversed(), known: known)
        #expect(first.records == second.records)
        #expect(first.firstSeen == second.firstSeen)
    }

    @Test("Over many batches in any arrival order, the newest version of each record is the device's earliest event")
    func manyBatchesConverge() throws {
        var rng = SplitMix64(seed: 11)
        var events: [BehaviourEvent] = []
        for index in 0..<600 {
            let mid = "m\(rng.next() % 40)"
            let ts = Instants.nov1UTC + Int64(rng.next() % UInt64(3 * 86_400_000))
            events.append(try TestEvents.event(mid: mid, ts: ts, eventID: "e\(index)"))
        }
        var truth: [String: (ts: Int64, id: String)] = [:]
        for event in events {
            let days = (event.ts - Instants.nov1UTC) / 86_400_000
            let recordID = "2026-11-0\(1 + days):\(event.mid)"
            if let current = truth[recordID], (current.ts, current.id) <= (event.ts, event.eventID) { continue }
            truth[recordID] = (event.ts, event.eventID)
        }
        for _ in 0..<3 {
            events.shuffle(using: &rng)
            var state: [DauKey: Int64] = [:]
            var newest: [String: OutputRecord] = [:]
            var start = 0
            while start < events.count {
                let batch = Array(events[start..<min(events.count, start + Int(1 + rng.next() % 60))])
                start += batch.count
                let needed = utc.keys(of: batch)
                let (records, firstSeen) = utc.plan(events: batch, known: state.filter { needed.contains($0.key) })
                for (key, ts) in firstSeen {
                    #expect(needed.contains(key))
                    #expect(state[key].map { ts < $0 } ?? true)
                    state[key] = ts
                }
                for record in records where (newest[record.id]?.version ?? .min) < (record.version ?? .min) {
                    newest[record.id] = record
                }
            }
            #expect(Set(newest.keys) == Set(truth.keys))
            for (id, record) in newest {
                #expect(record.document["ts"] == .integer(truth[id]!.ts), "\(id)")
            }
        }
    }
}
