/// `GET /v1/orders/search`: a day's counted order lines, filtered, paged by `create_time` descending then
/// line id, with statistics by gender and age group over every matching line.
public struct LineSearch: Sendable, Equatable {
    public var date: BusinessDate
    /// Words that a line's own `sku_name` must all contain (Elasticsearch's standard analyzer splits them).
    public var words: String?
    public var provinceID: Int64?
    public var gender: String?
    public var page: Int
    public var size: Int

    /// Pages up to this depth are read with from/size; deeper ones walk with `search_after` (Elasticsearch's
    /// `index.max_result_window` refuses from + size above 10,000).
    public static let directWindow = 10_000

    public init(_ parameters: QueryParameters) throws(QueryError) {
        date = try parameters.date()
        words = try parameters.text("q")
        provinceID = try parameters.integer("province_id", in: 1...Int64(Int32.max), default: nil)
        gender = try parameters.choice("gender", ["M", "F"], default: nil)
        page = Int(try parameters.integer("page", in: 1...10_000_000, default: 1) ?? 1)
        size = Int(try parameters.integer("size", in: 1...100, default: 20) ?? 20)
    }

    public var offset: Int { (page - 1) * size }

    var query: JSONValue {
        var filters = [SearchDSL.term("date", .string(date.description)), SearchDSL.term("counts", .bool(true))]
        if let provinceID { filters.append(SearchDSL.term("province_id", .integer(provinceID))) }
        if let gender { filters.append(SearchDSL.term("user_gender", .string(gender))) }
        var bool: [String: JSONValue] = ["filter": .array(filters)]
        if let words {
            bool["must"] = .array([.object(["match": .object(["sku_name.text": .object(["query": .string(words), "operator": .string("and")])])])])
        }
        return .object(["bool": .object(bool)])
    }

    static let sort: JSONValue = .array([.object(["create_time": .string("desc")]), .object(["id": .string("asc")])])

    /// The search of `count` lines after `after` (sort values of the last line skipped) or from `from`; with
    /// the statistics when `statistics`.
    public func body(from: Int = 0, count: Int, after: [JSONValue]? = nil, statistics: Bool, sourceless: Bool = false) -> [UInt8] {
        var extra: [String: JSONValue] = ["sort": Self.sort]
        if let after { extra["search_after"] = .array(after) } else if from > 0 { extra["from"] = .integer(Int64(from)) }
        if sourceless { extra["_source"] = .bool(false) }
        let amount = ["amount": SearchDSL.sum("split_total_amount_cents")]
        let aggregations: [String: JSONValue] = statistics ? [
            "gender": SearchDSL.termsAggregation("user_gender", size: 100, aggregations: amount),
            "gender_unknown": .object(["missing": .object(["field": .string("user_gender")]), "aggs": .object(amount)]),
            "age": .object(["range": .object(["field": .string("user_age"), "ranges": .array([
                .object(["key": .string("<20"), "to": .integer(20)]),
                .object(["key": .string("20-29"), "from": .integer(20), "to": .integer(30)]),
                .object(["key": .string("30+"), "from": .integer(30)]),
            ])]), "aggs": .object(amount)]),
            "age_unknown": .object(["missing": .object(["field": .string("user_age")]), "aggs": .object(amount)]),
        ] : [:]
        return SearchDSL.body(query: query, size: count, aggregations: aggregations, extra: extra)
    }

    public struct Result: Codable, Sendable, Equatable {
        public struct Item: Codable, Sendable, Equatable {
            public var detailID: Int64
            @Nullable public var orderID: Int64?
            @Nullable public var createTime: String?
            @Nullable public var skuID: Int64?
            @Nullable public var skuName: String?
            @Nullable public var skuNum: Int64?
            @Nullable public var orderPrice: String?
            @Nullable public var amount: String?
            @Nullable public var orderStatus: String?
            @Nullable public var provinceName: String?
            @Nullable public var userID: Int64?
            @Nullable public var userGender: String?
            @Nullable public var userAge: Int64?

            enum CodingKeys: String, CodingKey {
                case detailID = "detail_id", orderID = "order_id", createTime = "create_time", skuID = "sku_id", skuName = "sku_name"
                case skuNum = "sku_num", orderPrice = "order_price", amount, orderStatus = "order_status", provinceName = "province_name"
                case userID = "user_id", userGender = "user_gender", userAge = "user_age"
            }
        }
        public struct Group: Codable, Sendable, Equatable {
            public var key: String
            public var lines: Int64
            public var amount: String
        }
        public struct Stats: Codable, Sendable, Equatable {
            public var gender: [Group]
            public var ageGroup: [Group]
            enum CodingKeys: String, CodingKey { case gender, ageGroup = "age_group" }
        }
        public var date: String
        public var total: Int64
        public var page: Int
        public var size: Int
        public var items: [Item]
        public var stats: Stats
    }

    /// The page `hits` (nil: past the end) and the statistics of `statistics` (the answer that carried them).
    public func result(hits: [(source: [String: JSONValue], sort: [JSONValue])], statistics: SearchAnswer) throws(InvalidSearchAnswer) -> Result {
        let items = hits.map { hit -> Result.Item in
            let s = hit.source
            func cents(_ field: String) -> String? { s[field]?.integerValue?.asAmount }
            return Result.Item(detailID: s["id"]?.integerValue ?? 0, orderID: s["order_id"]?.integerValue, createTime: s["create_time"]?.stringValue,
                               skuID: s["sku_id"]?.integerValue, skuName: s["sku_name"]?.stringValue, skuNum: s["sku_num"]?.integerValue,
                               orderPrice: cents("order_price_cents"), amount: cents("split_total_amount_cents"),
                               orderStatus: s["order_status"]?.stringValue, provinceName: s["province_name"]?.stringValue,
                               userID: s["user_id"]?.integerValue, userGender: s["user_gender"]?.stringValue, userAge: s["user_age"]?.integerValue)
        }
        func group(_ key: String, _ bucket: JSONValue?) throws(InvalidSearchAnswer) -> Result.Group? {
            let lines = SearchAnswer.count(bucket)
            return lines > 0 ? Result.Group(key: key, lines: lines, amount: try SearchAnswer.sum(bucket?["amount"]).asAmount) : nil
        }
        var genders: [Result.Group] = []
        for bucket in SearchAnswer.buckets(statistics.aggregation("gender")) {
            if let key = bucket["key"]?.stringValue, let g = try group(key, bucket) { genders.append(g) }
        }
        if let unknown = try group("unknown", statistics.aggregation("gender_unknown")) { genders.append(unknown) }
        var ages: [Result.Group] = []
        for bucket in SearchAnswer.buckets(statistics.aggregation("age")) {
            if let key = bucket["key"]?.stringValue, let g = try group(key, bucket) { ages.append(g) }
        }
        if let unknown = try group("unknown", statistics.aggregation("age_unknown")) { ages.append(unknown) }
        return Result(date: date.description, total: statistics.total, page: page, size: size, items: items,
                      stats: Result.Stats(gender: genders.sorted { $0.key < $1.key }, ageGroup: ages.sorted { $0.key < $1.key }))
    }
}
