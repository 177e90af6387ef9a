import PipelineCore

/// Builders shared by the PipelineCore tests: JSON from text, and valid events from a few fields.
enum TestEvents {
    struct Invalid: Error { var text: String }

    /// Parses `text` as one JSON document.
    static func json(_ text: String) throws -> JSONValue {
        try JSONCodec.parse(Array(text.utf8))
    }

    /// A page-view event in the gmall format, with the given device, time and (optional) client id.
    static func pageView(mid: String = "mid_1", ts: Int64, eventID: String? = nil, uid: JSONValue? = .string("7"),
                         area: String = "110000", pageID: String = "home") -> JSONValue {
        var common: [String: JSONValue] = [
            "mid": .string(mid), "ar": .string(area), "ch": .string("xiaomi"), "os": .string("Android 11.0"),
            "md": .string("Xiaomi 9"), "ba": .string("Xiaomi"), "vc": .string("v2.1.134"), "is_new": .string("0"),
        ]
        if let uid { common["uid"] = uid }
        var members: [String: JSONValue] = [
            "common": .object(common),
            "page": .object(["page_id": .string(pageID), "during_time": .integer(3_000), "last_page_id": .string("search")]),
            "ts": .integer(ts),
        ]
        if let eventID { members["event_id"] = .string(eventID) }
        return .object(members)
    }

    /// A validated page-view event (see `pageView`).
    static func event(mid: String = "mid_1", ts: Int64, eventID: String? = nil, uid: JSONValue? = .string("7"),
                      area: String = "110000") throws -> BehaviourEvent {
        try EventValidator.validate(pageView(mid: mid, ts: ts, eventID: eventID, uid: uid, area: area), index: 0)
    }

    /// The validation error for the event in `text`, nil if it is valid.
    static func validationError(_ text: String, index: Int = 0) throws -> EventValidationError? {
        let value = try json(text)
        do {
            _ = try EventValidator.validate(value, index: index)
            return nil
        } catch {
            return error
        }
    }
}

/// Epoch milliseconds used across the tests (checked against Python's zoneinfo).
enum Instants {
    /// 2026-11-01T00:00:00Z
    static let nov1UTC: Int64 = 1_793_491_200_000
    /// 2026-11-01T23:59:59.999Z
    static let nov1LastMilliUTC: Int64 = 1_793_577_599_999
    /// 2026-11-02T00:00:00Z
    static let nov2UTC: Int64 = 1_793_577_600_000
    /// 2026-11-01T23:59:59.999 in Asia/Shanghai (15:59:59.999Z)
    static let nov1LastMilliShanghai: Int64 = 1_793_548_799_999
    /// 2026-11-02T00:00:00 in Asia/Shanghai (16:00:00Z)
    static let nov2Shanghai: Int64 = 1_793_548_800_000
    /// 2026-11-01T00:00:00 in America/New_York (EDT, 04:00Z); the day lasts 25 hours (DST ends).
    static let nov1NewYork: Int64 = 1_793_505_600_000
    /// 2026-11-02T00:00:00 in America/New_York (EST, 05:00Z)
    static let nov2NewYork: Int64 = 1_793_595_600_000
    static let hour: Int64 = 3_600_000
}
