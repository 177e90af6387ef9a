/// The answer of `GET /v1/dau`: devices active on a business day, when each was first seen, where, and how
/// many were new.
public struct DauAnswer: Codable, Sendable, Equatable {
    /// Devices whose first event of the day had `common.ar` = `areaCode` (nil: no `ar`), with the province's
    /// name as known when the query is answered (nil: no province has that area code).
    public struct Province: Codable, Sendable, Equatable {
        @Nullable public var areaCode: String?
        @Nullable public var name: String?
        public var dau: Int

        public init(areaCode: String?, name: String? = nil, dau: Int) {
            self.areaCode = areaCode
            self.name = name
            self.dau = dau
        }

        enum CodingKeys: String, CodingKey { case areaCode = "area_code", name, dau }
    }

    public var date: String
    public var dau: Int
    /// `by_hour[h]`: devices whose first event of the day fell in hour h (24 entries).
    public var byHour: [Int]
    /// By the province of each device's first event of the day, `dau` descending, then area code (null last).
    public var byProvince: [Province]
    /// Devices whose first event of the day says `common.is_new == "1"`.
    public var newDevices: Int

    enum CodingKeys: String, CodingKey {
        case date, dau
        case byHour = "by_hour"
        case byProvince = "by_province"
        case newDevices = "new_devices"
    }

    public init(date: String, dau: Int, byHour: [Int], byProvince: [Province] = [], newDevices: Int = 0) {
        self.date = date
        self.dau = dau
        self.byHour = byHour
        self.byProvince = byProvince
        self.newDevices = newDevices
    }
}

/// Builds the Elasticsearch search for a day's DAU and reads its answer. DAU documents are one per
/// device and day (id `<date>:<mid>`), so the day's document count is its DAU; each carries its first
/// event's hour, `ar` and `is_new`, so the buckets of those are exact counts too.
public enum DauQuery {
    public struct InvalidAnswer: Error, Sendable { public var message: String }

    public static func searchBody(for date: BusinessDate) -> [UInt8] {
        JSONCodec.serialize(.object([
            "size": .integer(0),
            "track_total_hits": .bool(true),
            "query": .object(["term": .object(["date": .string(date.description)])]),
            "aggs": .object([
                "by_hour": .object(["terms": .object(["field": .string("hour"), "size": .integer(24)])]),
                "by_area": .object(["terms": .object(["field": .string("ar"), "size": .integer(Int64(OrderQueries.maximumBuckets))])]),
                "no_area": .object(["missing": .object(["field": .string("ar")])]),
                "new_devices": .object(["filter": .object(["term": .object(["is_new": .string("1")])])]),
            ]),
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
        if let other = value["aggregations"]?["by_area"]?["sum_other_doc_count"]?.integerValue, other > 0 {
            throw InvalidAnswer(message: "more area codes than counted exactly")
        }
        var provinces: [DauAnswer.Province] = []
        for bucket in value["aggregations"]?["by_area"]?["buckets"]?.arrayValue ?? [] {
            guard let area = bucket["key"]?.stringValue, let count = bucket["doc_count"]?.integerValue else {
                throw InvalidAnswer(message: "unexpected by_area bucket")
            }
            provinces.append(.init(areaCode: area, dau: Int(count)))
        }
        if let missing = value["aggregations"]?["no_area"]?["doc_count"]?.integerValue, missing > 0 {
            provinces.append(.init(areaCode: nil, dau: Int(missing)))
        }
        provinces.sort { a, b in a.dau != b.dau ? a.dau > b.dau : (a.areaCode ?? "\u{10FFFF}") < (b.areaCode ?? "\u{10FFFF}") }
        let newDevices = value["aggregations"]?["new_devices"]?["doc_count"]?.integerValue ?? 0
        return DauAnswer(date: date.description, dau: Int(total), byHour: byHour, byProvince: provinces, newDevices: Int(newDevices))
    }

    /// Names the provinces of `answer` from the province rows (`DimensionLookup`, by area code).
    public static func name(_ answer: inout DauAnswer, provinces: [Int64: ShopRow]) {
        var names: [String: String] = [:]
        for row in provinces.values {
            if let area = row.text("area_code"), let name = row.text("name") { names[area] = name }
        }
        for index in answer.byProvince.indices {
            answer.byProvince[index].name = answer.byProvince[index].areaCode.flatMap { names[$0] }
        }
    }
}
