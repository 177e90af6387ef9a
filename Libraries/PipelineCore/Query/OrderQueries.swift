/// The business answers over `<prefix>order` (one document per order) and `<prefix>order_wide` (one per
/// order line): the searches to send and how to read their answers. Only counted documents enter a figure
/// (`counts: true`: not cancelled, not deleted; deletion markers never count). Sums are integer cents;
/// distinct counts come from exact terms buckets, never from `cardinality`; lists are sorted here.
public enum OrderQueries {
    /// Most distinct keys (buyers, orders of a SKU, SKUs...) an exact count reads in one answer.
    public static let maximumBuckets = 60_000

    static func counted(on date: BusinessDate, _ more: [JSONValue] = []) -> JSONValue {
        SearchDSL.filter([SearchDSL.term("date", .string(date.description)), SearchDSL.term("counts", .bool(true))] + more)
    }

    /// Distinct keys of a terms aggregation, refusing an answer that left some out.
    static func distinct(_ aggregation: JSONValue?) throws(InvalidSearchAnswer) -> [JSONValue] {
        if let other = aggregation?["sum_other_doc_count"]?.integerValue, other > 0 {
            throw InvalidSearchAnswer(message: "more than \(maximumBuckets) distinct keys: not counted exactly")
        }
        return SearchAnswer.buckets(aggregation)
    }

    // MARK: - Summary

    public struct Summary: Codable, Sendable, Equatable {
        public struct Hour: Codable, Sendable, Equatable {
            public var hour: Int
            public var orders: Int64
            public var orderAmount: String
        }
        public var date: String
        public var orders: Int64
        public var orderAmount: String
        public var buyers: Int64
        public var paidOrders: Int64
        public var paidAmount: String
        public var byHour: [Hour]
    }

    public static func summaryBody(_ date: BusinessDate) -> [UInt8] {
        SearchDSL.body(query: counted(on: date), aggregations: [
            "amount": SearchDSL.sum("total_amount_cents"),
            "buyers": SearchDSL.termsAggregation("user_id", size: maximumBuckets),
            "paid": .object(["filter": SearchDSL.term("paid", .bool(true)), "aggs": .object(["amount": SearchDSL.sum("total_amount_cents")])]),
            "by_hour": SearchDSL.termsAggregation("hour", size: 24, aggregations: ["amount": SearchDSL.sum("total_amount_cents")]),
        ])
    }

    public static func summary(_ date: BusinessDate, _ answer: SearchAnswer?) throws(InvalidSearchAnswer) -> Summary {
        var hours = (0..<24).map { Summary.Hour(hour: $0, orders: 0, orderAmount: Int64(0).asAmount) }
        guard let answer else {
            return Summary(date: date.description, orders: 0, orderAmount: "0.00", buyers: 0, paidOrders: 0, paidAmount: "0.00", byHour: hours)
        }
        for bucket in SearchAnswer.buckets(answer.aggregation("by_hour")) {
            guard let hour = SearchAnswer.integerKey(bucket), (0..<24).contains(hour) else { continue }
            hours[Int(hour)] = Summary.Hour(hour: Int(hour), orders: SearchAnswer.count(bucket),
                                            orderAmount: try SearchAnswer.sum(bucket["amount"]).asAmount)
        }
        return Summary(date: date.description, orders: answer.total, orderAmount: try SearchAnswer.sum(answer.aggregation("amount")).asAmount,
                       buyers: Int64(try distinct(answer.aggregation("buyers")).count),
                       paidOrders: SearchAnswer.count(answer.aggregation("paid")),
                       paidAmount: try SearchAnswer.sum(answer.aggregation("paid", "amount")).asAmount, byHour: hours)
    }

    // MARK: - By province

    public struct Provinces: Codable, Sendable, Equatable {
        public struct Province: Codable, Sendable, Equatable {
            public var provinceID: Int64
            @Nullable public var name: String?
            @Nullable public var isoCode: String?
            public var orders: Int64
            public var orderAmount: String
            var cents: Int64 = 0

            enum CodingKeys: String, CodingKey { case provinceID = "province_id", name, isoCode = "iso_code", orders, orderAmount = "order_amount" }
        }
        public var date: String
        public var provinces: [Province]
    }

    public static func provincesBody(_ date: BusinessDate) -> [UInt8] {
        SearchDSL.body(query: counted(on: date), aggregations: [
            "provinces": SearchDSL.termsAggregation("province_id", size: maximumBuckets, aggregations: ["amount": SearchDSL.sum("total_amount_cents")]),
        ])
    }

    /// The provinces' figures, unnamed; `name(_:with:)` adds the names.
    public static func provinces(_ date: BusinessDate, _ answer: SearchAnswer?) throws(InvalidSearchAnswer) -> Provinces {
        var provinces: [Provinces.Province] = []
        for bucket in try distinct(answer?.aggregation("provinces")) {
            guard let id = SearchAnswer.integerKey(bucket) else { continue }
            let cents = try SearchAnswer.sum(bucket["amount"])
            provinces.append(.init(provinceID: id, name: nil, isoCode: nil, orders: SearchAnswer.count(bucket), orderAmount: cents.asAmount, cents: cents))
        }
        provinces.sort { ($1.cents, $0.provinceID) < ($0.cents, $1.provinceID) }
        return Provinces(date: date.description, provinces: provinces)
    }

    public static func name(_ provinces: inout Provinces, with rows: [Int64: ShopRow]) {
        for index in provinces.provinces.indices {
            let row = rows[provinces.provinces[index].provinceID]
            provinces.provinces[index].name = row?.text("name")
            provinces.provinces[index].isoCode = row?.text("iso_code")
        }
    }

    // MARK: - By category

    public struct Categories: Codable, Sendable, Equatable {
        public struct Category: Codable, Sendable, Equatable {
            public var id: Int64
            @Nullable public var name: String?
            public var quantity: Int64
            public var amount: String
            var cents: Int64 = 0

            enum CodingKeys: String, CodingKey { case id, name, quantity, amount }
        }
        public var date: String
        public var level: Int
        public var categories: [Category]
    }

    public static func categoriesBody(_ date: BusinessDate, level: Int) -> [UInt8] {
        SearchDSL.body(query: counted(on: date), aggregations: [
            "categories": SearchDSL.termsAggregation("category\(level)_id", size: maximumBuckets, aggregations: [
                "amount": SearchDSL.sum("split_total_amount_cents"), "quantity": SearchDSL.sum("sku_num"),
            ]),
        ])
    }

    public static func categories(_ date: BusinessDate, level: Int, _ answer: SearchAnswer?) throws(InvalidSearchAnswer) -> Categories {
        var categories: [Categories.Category] = []
        for bucket in try distinct(answer?.aggregation("categories")) {
            guard let id = SearchAnswer.integerKey(bucket) else { continue }
            let cents = try SearchAnswer.sum(bucket["amount"])
            categories.append(.init(id: id, name: nil, quantity: try SearchAnswer.sum(bucket["quantity"]), amount: cents.asAmount, cents: cents))
        }
        categories.sort { ($1.cents, $0.id) < ($0.cents, $1.id) }
        return Categories(date: date.description, level: level, categories: categories)
    }

    public static func categoryTable(level: Int) -> ShopTable { [1: .category1, 2: .category2][level] ?? .category3 }

    // MARK: - Top products

    public struct Products: Codable, Sendable, Equatable {
        public struct Product: Codable, Sendable, Equatable {
            public var skuID: Int64
            @Nullable public var skuName: String?
            @Nullable public var trademark: String?
            @Nullable public var category3: String?
            public var quantity: Int64
            public var amount: String
            public var orders: Int64
            var cents: Int64 = 0

            enum CodingKeys: String, CodingKey {
                case skuID = "sku_id", skuName = "sku_name", trademark, category3, quantity, amount, orders
            }
        }
        public var date: String
        public var by: String
        public var products: [Product]
    }

    public static func productsBody(_ date: BusinessDate) -> [UInt8] {
        SearchDSL.body(query: counted(on: date), aggregations: [
            "skus": SearchDSL.termsAggregation("sku_id", size: maximumBuckets, aggregations: [
                "amount": SearchDSL.sum("split_total_amount_cents"), "quantity": SearchDSL.sum("sku_num"),
                "orders": SearchDSL.termsAggregation("order_id", size: maximumBuckets),
            ]),
        ])
    }

    /// The top `limit` SKUs by `by` (`amount` or `quantity`), unnamed; `name(_:skus:trademarks:categories:)` names them.
    public static func products(_ date: BusinessDate, by: String, limit: Int, _ answer: SearchAnswer?) throws(InvalidSearchAnswer) -> Products {
        var products: [Products.Product] = []
        for bucket in try distinct(answer?.aggregation("skus")) {
            guard let id = SearchAnswer.integerKey(bucket) else { continue }
            let cents = try SearchAnswer.sum(bucket["amount"])
            products.append(.init(skuID: id, quantity: try SearchAnswer.sum(bucket["quantity"]), amount: cents.asAmount,
                                  orders: Int64(try distinct(bucket["orders"]).count), cents: cents))
        }
        if by == "quantity" {
            products.sort { ($1.quantity, $0.skuID) < ($0.quantity, $1.skuID) }
        } else {
            products.sort { ($1.cents, $0.skuID) < ($0.cents, $1.skuID) }
        }
        return Products(date: date.description, by: by, products: Array(products.prefix(limit)))
    }

    public static func name(_ products: inout Products, skus: [Int64: ShopRow], trademarks: [Int64: ShopRow], categories: [Int64: ShopRow]) {
        for index in products.products.indices {
            guard let sku = skus[products.products[index].skuID] else { continue }
            products.products[index].skuName = sku.text("sku_name")
            products.products[index].trademark = ((try? sku.integer("tm_id")) ?? nil).flatMap { trademarks[$0]?.text("tm_name") }
            products.products[index].category3 = ((try? sku.integer("category3_id")) ?? nil).flatMap { categories[$0]?.text("name") }
        }
    }
}
