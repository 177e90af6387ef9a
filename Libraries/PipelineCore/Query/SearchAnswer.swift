/// Why an Elasticsearch answer could not be read.
public struct InvalidSearchAnswer: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "unexpected Elasticsearch answer: \(message)" }
}

/// An Elasticsearch search answer, read: hits, the exact total, aggregations and their buckets.
public struct SearchAnswer: Sendable {
    public let value: JSONValue

    public init(_ body: [UInt8]) throws(InvalidSearchAnswer) {
        do { value = try JSONCodec.parse(body) } catch { throw InvalidSearchAnswer(message: "not JSON") }
    }

    /// `hits.total.value` (searches set `track_total_hits: true`, so it is exact).
    public var total: Int64 { value["hits"]?["total"]?["value"]?.integerValue ?? 0 }

    /// The `_source` of each hit, with its sort values.
    public var hits: [(source: [String: JSONValue], sort: [JSONValue])] {
        (value["hits"]?["hits"]?.arrayValue ?? []).map { ($0["_source"]?.objectValue ?? [:], $0["sort"]?.arrayValue ?? []) }
    }

    /// The aggregation at `path` (names of nested aggregations from the top).
    public func aggregation(_ path: String...) -> JSONValue? {
        var current = value["aggregations"]
        for name in path { current = current?[name] }
        return current
    }

    /// The buckets of a terms/range aggregation.
    public static func buckets(_ aggregation: JSONValue?) -> [JSONValue] { aggregation?["buckets"]?.arrayValue ?? [] }

    /// A `sum` aggregation's value as an exact integer (sums of `long` fields come back as doubles, exact
    /// below 2^53; anything else throws).
    public static func sum(_ aggregation: JSONValue?) throws(InvalidSearchAnswer) -> Int64 {
        switch aggregation?["value"] {
        case .integer(let value)?: return value
        case .double(let value)? where value == value.rounded() && abs(value) < 9_007_199_254_740_992: return Int64(value)
        case .null?, nil: return 0
        default: throw InvalidSearchAnswer(message: "sum is not an exact integer")
        }
    }

    /// A bucket's `doc_count`.
    public static func count(_ bucket: JSONValue?) -> Int64 { bucket?["doc_count"]?.integerValue ?? 0 }

    /// A terms bucket's key as an integer (keys of numeric fields may come back as numbers or text).
    public static func integerKey(_ bucket: JSONValue) -> Int64? {
        switch bucket["key"] {
        case .integer(let value)?: return value
        case .double(let value)? where value == value.rounded(): return Int64(value)
        case .string(let text)?: return Int64(text)
        default: return nil
        }
    }
}

/// Small builders of Elasticsearch query JSON.
public enum SearchDSL {
    public static func term(_ field: String, _ value: JSONValue) -> JSONValue { .object(["term": .object([field: value])]) }
    public static func terms(_ field: String, _ values: [JSONValue]) -> JSONValue { .object(["terms": .object([field: .array(values)])]) }
    public static func filter(_ clauses: [JSONValue]) -> JSONValue { .object(["bool": .object(["filter": .array(clauses)])]) }
    public static func sum(_ field: String) -> JSONValue { .object(["sum": .object(["field": .string(field)])]) }
    /// A terms aggregation with `size` buckets and optional sub-aggregations (ordered here, not by Elasticsearch).
    public static func termsAggregation(_ field: String, size: Int, aggregations: [String: JSONValue] = [:]) -> JSONValue {
        var body: [String: JSONValue] = ["terms": .object(["field": .string(field), "size": .integer(Int64(size))])]
        if !aggregations.isEmpty { body["aggs"] = .object(aggregations) }
        return .object(body)
    }
    public static func body(query: JSONValue, size: Int = 0, aggregations: [String: JSONValue] = [:],
                            extra: [String: JSONValue] = [:]) -> [UInt8] {
        var body: [String: JSONValue] = ["size": .integer(Int64(size)), "track_total_hits": .bool(true), "query": query]
        if !aggregations.isEmpty { body["aggs"] = .object(aggregations) }
        body.merge(extra) { _, new in new }
        return JSONCodec.serialize(.object(body))
    }
}
