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
    public var message: String
}

/// Splits a request body into raw event values; validation is `EventValidator`'s job.
public enum EventBatchParser {
    /// Parses `body` as one object, an array of values, or NDJSON lines.
    public static func parse(_ body: [UInt8], format: EventBodyFormat) throws(MalformedBodyError) -> [JSONValue] {
        switch format {
        case .json:
            let value: JSONValue
            do { value = try JSONCodec.parse(body) } catch {
                throw MalformedBodyError(line: nil, message: "body is not valid JSON")
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
                do { events.append(try JSONCodec.parse(trimmed)) } catch {
                    throw MalformedBodyError(line: lineNumber, message: "line \(lineNumber) is not valid JSON")
                }
            }
            return events
        }
    }
}
