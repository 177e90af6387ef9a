/// The two record kinds of the business stream, in one place: their fields, how they are built from the
/// join state, and their Elasticsearch mapping.
///
/// - `dwd.order` (index `<prefix>order`): one document per order, `_id` = order id.
/// - `dwd.order_wide` (index `<prefix>order_wide`): one document per order line, `_id` = line id, with the
///   line's fields, its order's, and the dimension fields taken when it was first joined.
///
/// - `dwd.dimension` (index `<prefix>dimension`): each dimension row as last known, `_id` = `<table>:<id>`,
///   its columns next to `table` and `id`, so that answers can name what they count as known now.
///
/// All are versioned (`SourceVersion` of the newest change that contributed) and written with external
/// versioning. A deleted order or line becomes a deletion marker (`deleted: true`, `counts: false`), which
/// every query filters out; a marker keeps its version, so an older replay cannot bring the row back.
/// Money is in integer cents (`*_cents`, `long`).
public enum OrderRecords {
    public static let orderTopic = Topics.order
    public static let lineTopic = Topics.orderWide

    /// Statuses: `1003` cancelled (does not count), `1002` paid and `1004` finished (paid).
    public static let cancelled = "1003"
    public static let paidStatuses: Set<String> = ["1002", "1004"]

    /// The order's own fields, shared by both documents.
    static func orderFields(_ order: ShopRow) throws(ShopRowError) -> [String: JSONValue] {
        let status = order.text("order_status")
        let createTime = order.text("create_time")
        let day = createTime.flatMap { BusinessDate(String($0.prefix(10))) }
        var hour: JSONValue = .null
        if let createTime, createTime.utf8.count >= 13, let h = Int(createTime.dropFirst(11).prefix(2)), (0..<24).contains(h) {
            hour = .integer(Int64(h))
        }
        return [
            "order_status": status.map(JSONValue.string) ?? .null,
            "consignee": order.value("consignee"),
            "user_id": try order.integer("user_id").map(JSONValue.integer) ?? .null,
            "province_id": try order.integer("province_id").map(JSONValue.integer) ?? .null,
            "total_amount_cents": try order.cents("total_amount"),
            "original_total_amount_cents": try order.cents("original_total_amount"),
            "activity_reduce_amount_cents": try order.cents("activity_reduce_amount"),
            "coupon_reduce_amount_cents": try order.cents("coupon_reduce_amount"),
            "feight_fee_cents": try order.cents("feight_fee"),
            "create_time": createTime.map(JSONValue.string) ?? .null,
            "operate_time": order.text("operate_time").map(JSONValue.string) ?? .null,
            "date": day.map { .string($0.description) } ?? .null,
            "hour": hour,
            "counts": .bool(status != cancelled),
            "paid": .bool(status.map(paidStatuses.contains) ?? false),
            "deleted": .bool(false),
        ]
    }

    /// The `dwd.order` record of an order's current row.
    public static func order(id: Int64, row: ShopRow, version: Int64) throws(ShopRowError) -> OutputRecord {
        var document = try orderFields(row)
        document["id"] = .integer(id)
        return OutputRecord(topic: orderTopic, id: String(id), version: version, document: .object(document))
    }

    /// The `dwd.order_wide` record of a joined line: line fields, order fields, dimension `snapshot`.
    public static func line(id: Int64, row: ShopRow, order: ShopRow, snapshot: [String: JSONValue],
                            version: Int64) throws(ShopRowError) -> OutputRecord {
        var document = try orderFields(order)
        for (field, value) in snapshot where field != LineJoin.snapshotKey { document[field] = value }
        document["id"] = .integer(id)
        document["order_id"] = try row.integer("order_id").map(JSONValue.integer) ?? .null
        document["sku_id"] = try row.integer("sku_id").map(JSONValue.integer) ?? .null
        document["sku_name"] = row.value("sku_name")
        document["sku_num"] = try row.integer("sku_num").map(JSONValue.integer) ?? .null
        document["order_price_cents"] = try row.cents("order_price")
        document["split_total_amount_cents"] = try row.cents("split_total_amount")
        document["split_activity_amount_cents"] = try row.cents("split_activity_amount")
        document["split_coupon_amount_cents"] = try row.cents("split_coupon_amount")
        return OutputRecord(topic: lineTopic, id: String(id), version: version, document: .object(document))
    }

    /// The `dwd.dimension` record of a dimension row's change (a deletion marker when deleted).
    public static func dimension(_ key: DimensionKey, _ value: VersionedRow) -> OutputRecord {
        var document: [String: JSONValue] = value.row?.columns ?? [:]
        document["table"] = .string(key.table.rawValue)
        document["id"] = .integer(key.id)
        document["deleted"] = .bool(value.row == nil)
        return OutputRecord(topic: Topics.dimension, id: "\(key.table.rawValue):\(key.id)", version: value.version,
                            document: .object(document))
    }

    /// Field mappings of `<prefix>dimension` (other columns map dynamically: strings as keywords).
    public static var dimensionMapping: [String: JSONValue] {
        ["table": keyword, "id": long, "deleted": boolean]
    }

    /// Throws for a line row whose numbers cannot be read (amounts not exact cents, ids not integers).
    static func validateLine(_ row: ShopRow) throws(ShopRowError) {
        for column in ["order_id", "sku_id", "sku_num"] { _ = try row.integer(column) }
        for column in ["order_price", "split_total_amount", "split_activity_amount", "split_coupon_amount"] { _ = try row.cents(column) }
    }

    /// A deletion marker for `topic`'s document `id` (`orderID` given for lines).
    public static func deleted(topic: String, id: Int64, orderID: Int64?, version: Int64) -> OutputRecord {
        var document: [String: JSONValue] = ["id": .integer(id), "deleted": .bool(true), "counts": .bool(false), "paid": .bool(false)]
        if let orderID { document["order_id"] = .integer(orderID) }
        return OutputRecord(topic: topic, id: String(id), version: version, document: .object(document))
    }

    // MARK: - Elasticsearch mappings

    private static let keyword: JSONValue = .object(["type": .string("keyword")])
    private static let long: JSONValue = .object(["type": .string("long")])
    private static let integer: JSONValue = .object(["type": .string("integer")])
    private static let boolean: JSONValue = .object(["type": .string("boolean")])
    private static let time: JSONValue = .object(["type": .string("date"), "format": .string("yyyy-MM-dd HH:mm:ss||strict_date_optional_time")])
    private static let day: JSONValue = .object(["type": .string("date"), "format": .string("yyyy-MM-dd")])

    static var orderProperties: [String: JSONValue] {
        [
            "id": long, "order_status": keyword, "consignee": keyword, "user_id": long, "province_id": long,
            "total_amount_cents": long, "original_total_amount_cents": long, "activity_reduce_amount_cents": long,
            "coupon_reduce_amount_cents": long, "feight_fee_cents": long,
            "create_time": time, "operate_time": time, "date": day, "hour": integer,
            "counts": boolean, "paid": boolean, "deleted": boolean,
        ]
    }

    /// Field mappings of `<prefix>order`.
    public static var orderMapping: [String: JSONValue] { orderProperties }

    /// Field mappings of `<prefix>order_wide`: ids and names as keywords, `sku_name` also as text for search.
    public static var lineMapping: [String: JSONValue] {
        var properties = orderProperties
        for field in ["order_id", "sku_id", "sku_num", "order_price_cents", "split_total_amount_cents",
                      "split_activity_amount_cents", "split_coupon_amount_cents",
                      "category1_id", "category2_id", "category3_id", "tm_id", "spu_id"] {
            properties[field] = long
        }
        for field in ["province_name", "province_area_code", "province_iso_code", "province_iso_3166_2", "province_region_id",
                      "category1_name", "category2_name", "category3_name", "tm_name", "spu_name", "user_gender"] {
            properties[field] = keyword
        }
        properties["user_age"] = integer
        properties["sku_name"] = .object(["type": .string("keyword"), "fields": .object(["text": .object(["type": .string("text")])])])
        return properties
    }
}
