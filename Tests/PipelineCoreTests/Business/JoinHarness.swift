import PipelineCore

/// The business stream without processes, for the join's unit tests: hashes in a dictionary with the
/// commit script's semantics (`StateChange`), and documents kept as Elasticsearch's external versioning
/// keeps them (a write replaces a document only with a strictly higher version).
final class JoinHarness: HashReader, @unchecked Sendable {
    var hashes: [String: [String: String]] = [:]
    var documents: [String: (version: Int64, document: JSONValue)] = [:]
    /// Every record produced, in order.
    var produced: [OutputRecord] = []
    var now: Int64 = 1_000

    func allFields(of keys: [String]) async throws -> [[String: String]] { keys.map { hashes[$0] ?? [:] } }
    func values(of requests: [(key: String, fields: [String])]) async throws -> [[String?]] {
        requests.map { request in request.fields.map { hashes[request.key]?[$0] } }
    }

    var reader: BusinessStateReader<JoinHarness> { BusinessStateReader(reader: self) }

    /// Processes one batch (changes read from partition 0 unless said otherwise) and commits it.
    @discardableResult
    func process(_ changes: [BusinessChange]) async throws -> OrderJoiner.Plan {
        let plan = try await reader.plan(changes: changes, now: now)
        commit(plan)
        return plan
    }

    /// Re-checks the held lines of `partitions`, as the enricher does between batches.
    @discardableResult
    func recheck(partitions: [Int32] = [0]) async throws -> OrderJoiner.Plan {
        var lines: [LineRef] = []
        for partition in partitions { lines += try await reader.held(partition: partition).keys }
        let plan = try await reader.plan(changes: [], recheck: lines.sorted(), now: now)
        commit(plan)
        return plan
    }

    func commit(_ plan: OrderJoiner.Plan) {
        for record in plan.records {
            produced.append(record)
            let id = "\(record.topic)/\(record.id)"
            if let current = documents[id], current.version >= record.version ?? 0 { continue }
            documents[id] = (record.version ?? 0, record.document)
        }
        for change in plan.changes { apply(change) }
    }

    func apply(_ change: StateChange) {
        switch change {
        case .hashSet(let key, let field, let value): hashes[key, default: [:]][field] = value
        case .hashDelete(let key, let field): hashes[key]?[field] = nil
        case .hashSetIfNotOlder(let key, let field, let value):
            if let current = hashes[key]?[field], current.prefix(20) > value.prefix(20) { return }
            hashes[key, default: [:]][field] = value
        case .hashMinimum(let key, let field, let value, _):
            if let current = hashes[key]?[field].flatMap({ Int64($0) }), current <= value { return }
            hashes[key, default: [:]][field] = String(value)
        }
    }

    func document(_ topic: String, _ id: Int64) -> [String: JSONValue]? { documents["\(topic)/\(id)"]?.document.objectValue }
    func version(_ topic: String, _ id: Int64) -> Int64? { documents["\(topic)/\(id)"]?.version }
    var heldCount: Int { hashes.filter { $0.key.hasSuffix(":held") }.values.reduce(0) { $0 + $1.count } }
}

/// Row changes as cdc writes them, for the join's tests.
enum Rows {
    static let database = "gmall"

    static func change(_ table: ShopTable, _ kind: MaxwellChange.Kind = .insert, position: Int64, partition: Int32 = 0,
                       _ row: [String: JSONValue]) throws -> BusinessChange {
        let version = kind == .bootstrapInsert ? SourceVersion.bootstrap : (1 << 32) + position
        return try BusinessChange.classify(MaxwellChange(database: database, table: table.rawValue, kind: kind, row: ShopRow(row),
                                                         version: version),
                                           partition: partition, database: database)
    }

    static func decimal(_ text: String) -> JSONValue { .decimal(JSONDecimal(text)!) }

    static func order(id: Int64 = 1, status: String = "1001", user: Int64 = 7, province: Int64 = 1,
                      total: String = "100.50", createTime: String = "2026-11-01 13:05:22") -> [String: JSONValue] {
        ["id": .integer(id), "consignee": .string("张三"), "user_id": .integer(user), "province_id": .integer(province),
         "order_status": .string(status), "total_amount": decimal(total), "original_total_amount": decimal("110.50"),
         "activity_reduce_amount": decimal("5.00"), "coupon_reduce_amount": decimal("5.00"), "feight_fee": decimal("0.00"),
         "create_time": .string(createTime), "operate_time": .null]
    }

    static func line(id: Int64 = 11, order: Int64 = 1, sku: Int64 = 3, amount: String = "100.50") -> [String: JSONValue] {
        ["id": .integer(id), "order_id": .integer(order), "sku_id": .integer(sku), "sku_name": .string("小米10 8GB"),
         "order_price": decimal("55.25"), "sku_num": .integer(2), "create_time": .string("2026-11-01 13:05:22"),
         "split_total_amount": decimal(amount), "split_activity_amount": decimal("5.00"), "split_coupon_amount": decimal("5.00")]
    }

    static func sku(id: Int64 = 3, name: String = "小米10") -> [String: JSONValue] {
        ["id": .integer(id), "spu_id": .integer(4), "price": .integer(5525), "sku_name": .string(name), "tm_id": .integer(5),
         "category3_id": .integer(61), "create_time": .string("2026-01-01 00:00:00")]
    }

    static let spu: [String: JSONValue] = ["id": .integer(4), "spu_name": .string("小米10"), "category3_id": .integer(61), "tm_id": .integer(5)]
    static let trademark: [String: JSONValue] = ["id": .integer(5), "tm_name": .string("小米")]
    static let category3: [String: JSONValue] = ["id": .integer(61), "name": .string("手机"), "category2_id": .integer(13)]
    static let category2: [String: JSONValue] = ["id": .integer(13), "name": .string("手机通讯"), "category1_id": .integer(2)]
    static let category1: [String: JSONValue] = ["id": .integer(2), "name": .string("手机")]
    static let province: [String: JSONValue] = ["id": .integer(1), "name": .string("北京"), "region_id": .string("1"),
                                                "area_code": .string("110000"), "iso_code": .string("CN-11"), "iso_3166_2": .string("CN-BJ")]
    static func user(id: Int64 = 7, birthday: String = "1990-11-02", gender: String = "F") -> [String: JSONValue] {
        ["id": .integer(id), "login_name": .string("u7"), "name": .string("李四"), "gender": .string(gender),
         "birthday": .string(birthday), "user_level": .string("1"), "create_time": .string("2025-01-01 00:00:00"), "operate_time": .null]
    }
}
