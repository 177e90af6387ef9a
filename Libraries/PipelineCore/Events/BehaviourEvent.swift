/// One validated behaviour log event (the gmall log format) with its identity.
public struct BehaviourEvent: Sendable, Equatable {
    /// The client's `event_id`, or one derived from the event's content (`EventID.derive`).
    public var eventID: String
    /// The device id, `common.mid`: the Kafka key, so that a device's events share a partition.
    public var mid: String
    /// Event time in epoch milliseconds.
    public var ts: Int64
    /// The whole event as received, with `event_id` set.
    public var body: JSONValue

    public var common: [String: JSONValue] { body["common"]?.objectValue ?? [:] }
    public var uid: String? { Self.text(common["uid"]) }
    public var area: String? { Self.text(common["ar"]) }
    public var page: [String: JSONValue]? { body["page"]?.objectValue }

    /// Reads an event back from `ods.log`, where only validated events are written (with their `source`).
    public init(validating value: JSONValue) throws(EventValidationError) {
        self = try EventValidator.validate(value, index: 0, fromIngest: true)
    }

    init(eventID: String, mid: String, ts: Int64, body: JSONValue) {
        self.eventID = eventID
        self.mid = mid
        self.ts = ts
        self.body = body
    }

    /// Strings as they are, numbers as their decimal text (mock logs send some ids as numbers).
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s): return s
        case .integer(let i): return String(i)
        default: return nil
        }
    }
}
