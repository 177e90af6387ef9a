/// A device's first event of a business day, the unit of daily active users.
public struct DauKey: Sendable, Hashable {
    public var date: BusinessDate
    public var mid: String

    public init(date: BusinessDate, mid: String) {
        self.date = date
        self.mid = mid
    }

    /// The record id, `<yyyy-MM-dd>:<mid>`.
    public var recordID: String { "\(date):\(mid)" }
}

/// Decides which DAU records a batch of events produces, given the first event times already known.
///
/// The state is, per business day and device, the earliest event time seen. A batch emits a record
/// for a device-day whose earliest time in the batch is earlier than the state (or the state has
/// none): the first record of the day, or a correction when an earlier event arrives late. The record's
/// version falls as its time rises, so Elasticsearch keeps the earliest one whatever the write order.
public struct DauPlanner: Sendable {
    public let calendar: BusinessCalendar

    public init(calendar: BusinessCalendar) {
        self.calendar = calendar
    }

    /// The device-days of `events`: what the state must be read for.
    public func keys(of events: [BehaviourEvent]) -> Set<DauKey> {
        Set(events.map { DauKey(date: calendar.dayAndHour(ofMillis: $0.ts).date, mid: $0.mid) })
    }

    /// Records to emit and the new earliest times to store (only for keys that changed).
    public func plan(events: [BehaviourEvent], known: [DauKey: Int64]) -> (records: [OutputRecord], firstSeen: [DauKey: Int64]) {
        var earliest: [DauKey: BehaviourEvent] = [:]
        for event in events {
            let key = DauKey(date: calendar.dayAndHour(ofMillis: event.ts).date, mid: event.mid)
            if let current = earliest[key], !Self.precedes(event, current) { continue }
            earliest[key] = event
        }
        var records: [OutputRecord] = []
        var firstSeen: [DauKey: Int64] = [:]
        for key in earliest.keys.sorted(by: { ($0.date, $0.mid) < ($1.date, $1.mid) }) {
            let event = earliest[key]!
            if let knownTs = known[key], knownTs <= event.ts { continue }
            records.append(record(for: key, event: event))
            firstSeen[key] = event.ts
        }
        return (records, firstSeen)
    }

    /// Earlier time first; equal times are ordered by event id so that replays choose the same event.
    static func precedes(_ a: BehaviourEvent, _ b: BehaviourEvent) -> Bool {
        (a.ts, a.eventID) < (b.ts, b.eventID)
    }

    /// The version of a DAU record whose first event is at `ts`: earlier times are newer knowledge.
    public static func version(forFirstEventAt ts: Int64) -> Int64 {
        EventValidator.maxTimestamp - ts
    }

    func record(for key: DauKey, event: BehaviourEvent) -> OutputRecord {
        let hour = calendar.dayAndHour(ofMillis: event.ts).hour
        var document: [String: JSONValue] = [
            "date": .string(key.date.description),
            "mid": .string(key.mid),
            "ts": .integer(event.ts),
            "hour": .integer(Int64(hour)),
            "event_id": .string(event.eventID),
        ]
        if let uid = event.uid { document["uid"] = .string(uid) }
        if let area = event.area { document["ar"] = .string(area) }
        // Whether the device was new that day, as its first event of the day says (new devices per day).
        if let isNew = BehaviourEvent.text(event.common["is_new"]) { document["is_new"] = .string(isNew) }
        return OutputRecord(topic: Topics.dau, id: key.recordID, version: Self.version(forFirstEventAt: event.ts),
                            document: .object(document))
    }
}
