/// The answer of `GET /v1/dau`: devices active on a business day and when each was first seen.
public struct DauAnswer: Codable, Sendable, Equatable {
    public var date: String
    public var dau: Int
    /// `by_hour[h]`: devices whose first event of the day fell in hour h (24 entries).
    public var byHour: [Int]

    enum CodingKeys: String, CodingKey {
        case date, dau
        case byHour = "by_hour"
    }

    public init(date: String, dau: Int, byHour: [Int]) {
        self.date = date
        self.dau = dau
        self.byHour = byHour
    }
}

/// Builds the Elasticsearch search for a day's DAU and reads its answer. DAU documents are one per
/// device and day (id `<date>:<mid>`), so the day's document count is its DAU.
public enum DauQuery {
    public struct InvalidAnswer: Error, Sendable { public var message: String }

    public static func searchBody(for date: BusinessDate) -> [UInt8] {
        JSONCodec.serialize(.object([
            "size": .integer(0),
            "track_total_hits": .bool(true),
            "query": .object(["term": .object(["date": .string(date.description)])]),
            "aggs": .object(["by_hour": .object(["terms": .object(["field": .string("hour"), "size": .integer(24)])])]),
        ]))
    }

    public static func answer(for date: BusinessDate, searchResponse body: [UInt8]) throws(InvalidAnswer) -> DauAnswer {
        let value: JSONValue
        do { value = try JSONCodec.parse(body) } catch { throw InvalidAnswer(message: "search answer is not JSON") }
        guard let total = value["hits"]?["total"]?["value"]?.integerValue else {
            throw InvalidAnswer(message: "search answer has no hits.total.value")
        }
        var byHour = Array(repeating: 0, count: 24)
        for bucket in value["aggregations"]?["by_hour"]?["buckets"]?.arrayValue ?? [] {
            guard let hour = bucket["key"]?.integerValue, (0..<24).contains(hour),
                  let count = bucket["doc_count"]?.integerValue else {
                throw InvalidAnswer(message: "unexpected by_hour bucket")
            }
            byHour[Int(hour)] = Int(count)
        }
        return DauAnswer(date: date.description, dau: Int(total), byHour: byHour)
    }
}
