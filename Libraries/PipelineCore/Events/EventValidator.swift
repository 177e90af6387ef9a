/// Why one event of a request was refused: its position in the request, the field, and what is wrong.
public struct EventValidationError: Error, Equatable, Sendable {
    public var index: Int
    public var field: String
    public var message: String
}

/// The rules an event must meet before anything of its request is written.
public enum EventValidator {
    /// Top-level members of the gmall log format; any other member is refused.
    public static let knownFields: Set<String> = ["common", "page", "displays", "actions", "start", "err", "ts", "event_id"]
    /// Longest `event_id` and `common.mid` accepted, in UTF-8 bytes (they become Kafka keys and document ids).
    public static let maxIdentifierBytes = 128
    /// Event times must lie in [0, this): milliseconds before the year 2286, so that `DauRecord.version` stays positive.
    public static let maxTimestamp: Int64 = 10_000_000_000_000

    /// Set by log-ingest on every event it accepts (the write key's name), never by a client.
    public static let sourceField = "source"

    /// Checks `value` (the request's `index`-th event) and returns it with its identity. `fromIngest`: the event
    /// was written by log-ingest, so it may carry `source`, which a client may not send.
    public static func validate(_ value: JSONValue, index: Int, fromIngest: Bool = false) throws(EventValidationError) -> BehaviourEvent {
        func fail(_ field: String, _ message: String) -> EventValidationError {
            EventValidationError(index: index, field: field, message: message)
        }
        guard case .object(var members) = value else {
            throw fail("", "event must be a JSON object, got \(value.typeName)")
        }
        if let unknown = members.keys.sorted().first(where: { !knownFields.contains($0) && !(fromIngest && $0 == sourceField) }) {
            throw fail(unknown, unknown == sourceField ? "reserved: log-ingest sets it from the write key" : "unknown top-level field")
        }
        guard let common = members["common"] else { throw fail("common", "missing") }
        guard case .object(let commonMembers) = common else {
            throw fail("common", "must be an object, got \(common.typeName)")
        }
        guard let midValue = commonMembers["mid"] else { throw fail("common.mid", "missing") }
        guard case .string(let mid) = midValue, !mid.isEmpty else {
            throw fail("common.mid", "must be a non-empty string")
        }
        guard mid.utf8.count <= maxIdentifierBytes else {
            throw fail("common.mid", "longer than \(maxIdentifierBytes) bytes")
        }
        guard let tsValue = members["ts"] else { throw fail("ts", "missing") }
        guard case .integer(let ts) = tsValue else {
            throw fail("ts", "must be an integer (epoch milliseconds), got \(tsValue.typeName)")
        }
        guard ts >= 0, ts < maxTimestamp else { throw fail("ts", "out of range: \(ts)") }
        for field in ["page", "start", "err"] {
            if let part = members[field], part.objectValue == nil {
                throw fail(field, "must be an object, got \(part.typeName)")
            }
        }
        for field in ["displays", "actions"] {
            if let part = members[field], part.arrayValue == nil {
                throw fail(field, "must be an array, got \(part.typeName)")
            }
        }
        if members["page"] == nil && members["start"] == nil && members["err"] == nil
            && members["displays"] == nil && members["actions"] == nil {
            throw fail("page", "event has none of page, start, err, displays, actions")
        }
        let eventID: String
        if let idValue = members["event_id"] {
            guard case .string(let id) = idValue, !id.isEmpty else {
                throw fail("event_id", "must be a non-empty string")
            }
            guard id.utf8.count <= maxIdentifierBytes else {
                throw fail("event_id", "longer than \(maxIdentifierBytes) bytes")
            }
            eventID = id
        } else {
            eventID = EventID.derive(from: value)
            members["event_id"] = .string(eventID)
        }
        return BehaviourEvent(eventID: eventID, mid: mid, ts: ts, body: .object(members))
    }

    /// Validates every event of a request; the first invalid one fails the whole request.
    public static func validateAll(_ values: [JSONValue]) throws(EventValidationError) -> [BehaviourEvent] {
        var events: [BehaviourEvent] = []
        events.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            events.append(try validate(value, index: index))
        }
        return events
    }
}
