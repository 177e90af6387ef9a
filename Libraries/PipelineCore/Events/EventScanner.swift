/// One event of a request as the fast path read it: where its object lies in the body, and its identity.
public struct ScannedEvent: Sendable, Equatable {
    /// The event's bytes in the body, from its `{` to its `}`.
    public var bytes: Range<Int>
    /// The client's `event_id`; nil when the event has none (its id is derived from its content when written).
    public var eventID: String?
    public var mid: String
    public var ts: Int64
}

/// log-ingest's fast path: reads a request's events without building a JSON tree, for the common case of a
/// body whose every event is valid. What it accepts is exactly what `EventBatchParser.parse` and
/// `EventValidator.validateAll` accept, with the same identities (a differential test holds them together);
/// anything else gives nil, and the full path decides and explains what is wrong.
public enum EventScanner {
    /// The body's events, or nil when the full path must decide.
    public static func scan(_ body: [UInt8], format: EventBodyFormat) -> [ScannedEvent]? {
        body.withUnsafeBufferPointer { buffer in
            switch format {
            case .json: return scanJSON(buffer)
            case .ndjson: return scanNDJSON(buffer)
            }
        }
    }

    /// The event as written to Kafka, with `"source":<name>` added. An event with its own `event_id` is the
    /// client's bytes with that member spliced in first; one without is parsed and written whole with its derived
    /// id (`EventValidator`), as the full path writes it. Nil only if that parse disagreed with the scan.
    public static func message(_ body: [UInt8], _ event: ScannedEvent, source: SourceMember) -> [UInt8]? {
        guard event.eventID != nil else {
            guard let value = try? JSONCodec.parse(body[event.bytes], rejectingDuplicateKeys: true),
                  let validated = try? EventValidator.validate(value, index: 0),
                  case .object(var members) = validated.body else { return nil }
            members[EventValidator.sourceField] = .string(source.name)
            return JSONCodec.serialize(.object(members))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(event.bytes.count + source.member.count + 1)
        bytes.append(UInt8(ascii: "{"))
        bytes.append(contentsOf: source.member)
        bytes.append(UInt8(ascii: ","))  // an accepted event has members
        bytes.append(contentsOf: body[(event.bytes.lowerBound + 1)..<event.bytes.upperBound])
        return bytes
    }

    /// A write key's name, and `"source":"<name>"`, the member `message` adds, encoded once per request.
    public struct SourceMember: Sendable {
        public let name: String
        let member: [UInt8]

        public init(_ name: String) {
            self.name = name
            member = JSONCodec.serialize(.string(EventValidator.sourceField)) + [UInt8(ascii: ":")] + JSONCodec.serialize(.string(name))
        }
    }

    private static func scanJSON(_ buffer: UnsafeBufferPointer<UInt8>) -> [ScannedEvent]? {
        JSONParser.scanning(buffer) { parser throws(JSONParseError) -> [ScannedEvent]? in
            var events: [ScannedEvent] = []
            parser.skipWhitespace()
            if parser.next(is: UInt8(ascii: "{")) {
                guard let event = try parser.scanEvent() else { return nil }
                events.append(event)
            } else {
                guard parser.next(is: UInt8(ascii: "[")) else { return nil }
                try parser.enter()
                parser.position += 1
                parser.skipWhitespace()
                guard !parser.next(is: UInt8(ascii: "]")) else { return nil }  // no events: the full path says so
                while true {
                    guard let event = try parser.scanEvent() else { return nil }
                    events.append(event)
                    parser.skipWhitespace()
                    if parser.next(is: UInt8(ascii: "]")) { break }
                    guard parser.next(is: UInt8(ascii: ",")) else { return nil }
                    parser.position += 1
                    parser.skipWhitespace()
                }
                parser.position += 1
                parser.depth -= 1
            }
            parser.skipWhitespace()
            return parser.position == parser.input.count ? events : nil
        }
    }

    /// NDJSON lines as `EventBatchParser` splits them: leading blanks dropped, blank lines ignored.
    private static func scanNDJSON(_ buffer: UnsafeBufferPointer<UInt8>) -> [ScannedEvent]? {
        var events: [ScannedEvent] = []
        var lineStart = 0
        while lineStart <= buffer.count {
            var lineEnd = lineStart
            while lineEnd < buffer.count, buffer[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var start = lineStart
            while start < lineEnd, buffer[start] == 32 || buffer[start] == 9 || buffer[start] == 13 { start += 1 }
            if start < lineEnd {
                let line = UnsafeBufferPointer(rebasing: buffer[start..<lineEnd])
                let scanned = JSONParser.scanning(line) { parser throws(JSONParseError) -> ScannedEvent? in
                    guard let event = try parser.scanEvent() else { return nil }
                    parser.skipWhitespace()
                    return parser.position == parser.input.count ? event : nil
                }
                guard var event = scanned else { return nil }
                event.bytes = (event.bytes.lowerBound + start)..<(event.bytes.upperBound + start)
                events.append(event)
            }
            lineStart = lineEnd + 1
        }
        return events.isEmpty ? nil : events
    }
}

extension JSONParser {
    /// Reads the event object at `position`, checking `EventValidator.validate`'s rules; nil for an event the
    /// fast path leaves to the full path (an invalid one).
    mutating func scanEvent() throws(JSONParseError) -> ScannedEvent? {
        guard next(is: UInt8(ascii: "{")) else { return nil }
        let start = position
        var eventID: String?, mid: String?, ts: Int64?
        var hasContent = false
        do {
            try scanObject { parser, key throws(JSONParseError) in
                switch key {
                case "common":
                    guard parser.next(is: UInt8(ascii: "{")) else { throw Self.leftToFullPath }
                    mid = try parser.scanCommonMid()
                case "ts":
                    guard parser.position < parser.input.count,
                          parser.input[parser.position] == UInt8(ascii: "-") || parser.input[parser.position] &- UInt8(ascii: "0") < 10,
                          case .integer(let value) = try parser.number(), value >= 0, value < EventValidator.maxTimestamp
                    else { throw Self.leftToFullPath }
                    ts = value
                case "event_id":
                    guard parser.next(is: UInt8(ascii: "\"")) else { throw Self.leftToFullPath }
                    let id = try parser.string()
                    guard !id.isEmpty, id.utf8.count <= EventValidator.maxIdentifierBytes else { throw Self.leftToFullPath }
                    eventID = id
                case "page", "start", "err":
                    guard parser.next(is: UInt8(ascii: "{")) else { throw Self.leftToFullPath }
                    hasContent = true
                    return false
                case "displays", "actions":
                    guard parser.next(is: UInt8(ascii: "[")) else { throw Self.leftToFullPath }
                    hasContent = true
                    return false
                default:
                    throw Self.leftToFullPath  // unknown, or `source`, which only log-ingest sets
                }
                return true
            }
        } catch where error.offset == Self.leftToFullPath.offset {
            return nil
        }
        guard hasContent, let mid, let ts else { return nil }
        return ScannedEvent(bytes: start..<position, eventID: eventID, mid: mid, ts: ts)
    }

    /// Thrown to stop reading an event that the full path must judge (never a real error's offset).
    private static let leftToFullPath = JSONParseError(offset: -1, message: "left to the full path")

    /// Reads the `common` object at `position` and returns its `mid`; throws `leftToFullPath` unless that is a
    /// valid device id.
    private mutating func scanCommonMid() throws(JSONParseError) -> String {
        var mid: String?
        try scanObject { parser, key throws(JSONParseError) in
            guard key == "mid" else { return false }
            guard parser.next(is: UInt8(ascii: "\"")) else { throw Self.leftToFullPath }
            let value = try parser.string()
            guard !value.isEmpty, value.utf8.count <= EventValidator.maxIdentifierBytes else { throw Self.leftToFullPath }
            mid = value
            return true
        }
        guard let mid else { throw Self.leftToFullPath }
        return mid
    }
}
