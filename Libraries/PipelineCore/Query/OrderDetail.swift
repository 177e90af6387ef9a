/// `GET /v1/orders/{order_id}`: an order as it is now, with its joined lines.
public struct OrderDetail: Codable, Sendable, Equatable {
    public struct Province: Codable, Sendable, Equatable {
        @Nullable public var id: Int64?
        @Nullable public var name: String?
    }
    public struct Line: Codable, Sendable, Equatable {
        public var detailID: Int64
        @Nullable public var skuID: Int64?
        @Nullable public var skuName: String?
        @Nullable public var skuNum: Int64?
        @Nullable public var amount: String?
        enum CodingKeys: String, CodingKey { case detailID = "detail_id", skuID = "sku_id", skuName = "sku_name", skuNum = "sku_num", amount }
    }
    public var orderID: Int64
    @Nullable public var userID: Int64?
    @Nullable public var orderStatus: String?
    @Nullable public var totalAmount: String?
    @Nullable public var createTime: String?
    public var province: Province
    public var lines: [Line]

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id", userID = "user_id", orderStatus = "order_status", totalAmount = "total_amount"
        case createTime = "create_time", province, lines
    }

    /// The search of the order's live lines (joined ones: a held line has no document yet).
    public static func linesBody(orderID: Int64) -> [UInt8] {
        SearchDSL.body(query: SearchDSL.filter([SearchDSL.term("order_id", .integer(orderID)), SearchDSL.term("deleted", .bool(false))]),
                       size: 1000, extra: ["sort": .array([.object(["id": .string("asc")])])])
    }

    /// The answer from the order's document (nil or a deletion marker: unknown, 404) and its lines.
    public static func make(orderID: Int64, order: [String: JSONValue]?, lines: SearchAnswer?, provinceName: String?) throws(QueryError) -> OrderDetail {
        guard let order, order["deleted"] != .bool(true) else { throw QueryError.notFound("no order \(orderID)") }
        let items = (lines?.hits ?? []).map { hit in
            Line(detailID: hit.source["id"]?.integerValue ?? 0, skuID: hit.source["sku_id"]?.integerValue, skuName: hit.source["sku_name"]?.stringValue,
                 skuNum: hit.source["sku_num"]?.integerValue, amount: hit.source["split_total_amount_cents"]?.integerValue?.asAmount)
        }.sorted { $0.detailID < $1.detailID }
        return OrderDetail(orderID: orderID, userID: order["user_id"]?.integerValue, orderStatus: order["order_status"]?.stringValue,
                           totalAmount: order["total_amount_cents"]?.integerValue?.asAmount, createTime: order["create_time"]?.stringValue,
                           province: Province(id: order["province_id"]?.integerValue, name: provinceName), lines: items)
    }
}
