/// The body formats `POST /v1/events` accepts.
public enum EventBodyFormat: Sendable, Equatable {
    /// `application/json`: one event object or an array of them.
    case json
    /// `application/x-ndjson`: one event object per line; blank lines are ignored.
    case ndjson

    /// The format for a Content-Type header value (parameters such as charset are ignored), nil if unsupported.
    public init?(contentType: String?) {
        guard let contentType else { return nil }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        switch mediaType {
        case "application/json": self = .json
        case "application/x-ndjson", "application/ndjson": self = .ndjson
        default: return nil
        }
    }
}

/// Why a request body could not be read as JSON.
public struct MalformedBodyError: Error, Equatable, Sendable {
    /// The 1-based NDJSON line, nil for a JSON body.
    public var line: Int?
    /// The 0-based byte offset in the body where reading stopped.
    public var offset: Int
    public var message: String
}

/// Splits a request body into raw event values; validation is `EventValidator`'s job.
public enum EventBatchParser {
    /// Parses `body` as one object, an array of values, or NDJSON lines. An object with a key twice is
    /// refused (which of the two a reader would take is not defined).
    public static func parse(_ body: [UInt8], format: EventBodyFormat) throws(MalformedBodyError) -> [JSONValue] {
        switch format {
        case .json:
            let value: JSONValue
            do { value = try JSONCodec.parse(body, rejectingDuplicateKeys: true) } catch {
                throw MalformedBodyError(line: nil, offset: error.offset,
                                         message: "body is not valid JSON: \(error.message) at byte \(error.offset)")
            }
            if case .array(let items) = value { return items }
            return [value]
        case .ndjson:
            var events: [JSONValue] = []
            var lineNumber = 0
            for line in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                lineNumber += 1
                let trimmed = line.drop { $0 == 32 || $0 == 9 || $0 == 13 }
                if trimmed.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                do { events.append(try JSONCodec.parse(trimmed, rejectingDuplicateKeys: true)) } catch {
                    let offset = trimmed.startIndex + error.offset
                    throw MalformedBodyError(line: lineNumber, offset: offset,
                                             message: "line \(lineNumber) is not valid JSON: \(error.message) at byte \(offset)")
                }
            }
            return events
        }
    }
}
