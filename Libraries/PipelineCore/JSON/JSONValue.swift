import Foundation

/// A JSON document as a value: what events and records are made of before and after validation.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    /// A number kept exactly as written; only `JSONParser` in `.exact` mode produces it (see `JSONDecimal`).
    case decimal(JSONDecimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The member `key` of an object, nil for absent members and non-objects.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let i) = self { return i }
        return nil
    }

    /// The number times 10^`places` exactly (integers and exact decimals; see `JSONDecimal.scaled`), else nil.
    /// Money in cents is `scaled(places: 2)`. Doubles are refused: they are not exact.
    public func scaled(places: Int) -> Int64? {
        switch self {
        case .integer(let i):
            var result = i
            for _ in 0..<places {
                let (next, overflow) = result.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                result = next
            }
            return result
        case .decimal(let d): return d.scaled(places: places)
        default: return nil
        }
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .double, .decimal: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? container.decode(Int64.self) {
            self = .integer(i)
        } else if let d = try? container.decode(Double.self) {
            self = .double(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .integer(let i): try container.encode(i)
        case .double(let d): try container.encode(d)
        case .decimal(let d): try container.encode(Double(d.text) ?? .nan)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

/// Reads and writes JSON text. Output has sorted keys, so equal values always give equal bytes.
public enum JSONCodec {
    /// Parses one JSON document strictly (RFC 8259, see `JSONParser`); duplicate keys: the last member wins,
    /// or with `rejectingDuplicateKeys` an error. Non-integer numbers become `.double`, or with
    /// `numbers: .exact` `.decimal` (kept as written).
    public static func parse(_ bytes: some Collection<UInt8>, numbers: JSONParser.NumberMode = .double,
                             rejectingDuplicateKeys: Bool = false) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(bytes, numbers: numbers, rejectingDuplicateKeys: rejectingDuplicateKeys)
    }

    /// Serializes `value` compactly with keys sorted by their UTF-8 bytes (see `JSONWriter`).
    public static func serialize(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }

    /// Serializes any Encodable compactly with sorted keys.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [UInt8](try encoder.encode(value))
    }
}
